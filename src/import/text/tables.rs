//! Tables in plain text, in the two shapes Word's and WPS's text exports give them:
//! - a row a line, cells separated by tabs (`吴安浩\t党委书记 局长\t1. 履行…`), a merged cell
//!   left empty (`\t\t2. 把安全…`);
//! - a cell a line, each starting with a tab, a cell's further lines without one, rows
//!   separated by blank lines — which also fall inside rows (a cell's empty last paragraph), so
//!   rows are counted by their cells: the width most rows have. A row with fewer cells that the
//!   next one cannot complete (a header over merged columns) stays short.

use super::Line;
use crate::import::report::Note;
use crate::import::source::{Place, Table};

/// Reads the table starting at `lines[start]`; returns it and the index of the first line after.
pub(super) fn read_table(
    lines: &[Line],
    start: usize,
    number: usize,
    notes: &mut Vec<Note>,
) -> (Table, usize) {
    let place = Place::Line(lines[start].number);
    let (rows, next) = if cell_per_line(lines, start) {
        cells_per_line(lines, start)
    } else {
        rows_per_line(lines, start)
    };
    notes.push(Note::guess(
        Some(place.clone()),
        format!(
            "第{}–{}行读作表格{number}（{}行，以制表符分列）",
            lines[start].number,
            lines[next.saturating_sub(1).max(start)].number,
            rows.len()
        ),
        format!(
            "lines {}–{} read as table {number} ({} rows, cells separated by tabs)",
            lines[start].number,
            lines[next.saturating_sub(1).max(start)].number,
            rows.len()
        ),
    ));
    (Table::new(rows, number, place), next)
}

/// A line without text (a line holding only a tab is an empty cell, not a blank line).
fn is_blank(line: &Line) -> bool {
    !line.text.starts_with('\t') && line.text.trim().is_empty()
}

/// Whether the table is written a cell a line: every tab line holds one tab, at its start.
fn cell_per_line(lines: &[Line], start: usize) -> bool {
    lines[start..]
        .iter()
        .filter(|l| l.text.contains('\t'))
        .take(50)
        .all(|l| l.text.starts_with('\t') && !l.text[1..].contains('\t'))
}

/// A row a line: the table ends at the first line with text and no tab.
fn rows_per_line(lines: &[Line], start: usize) -> (Vec<Vec<String>>, usize) {
    let mut rows = Vec::new();
    let mut i = start;
    while let Some(line) = lines.get(i) {
        let empty = line.text.trim().is_empty();
        if !empty && !line.text.contains('\t') {
            break;
        }
        if !empty {
            rows.push(line.text.split('\t').map(|c| c.trim().to_owned()).collect());
        }
        i += 1;
    }
    (rows, i)
}

/// The cells (tab lines) of the group of lines starting at `i`, up to the next blank line.
fn group_cells(lines: &[Line], i: usize) -> usize {
    lines[i..]
        .iter()
        .take_while(|l| !is_blank(l))
        .filter(|l| l.text.starts_with('\t'))
        .count()
}

/// The width of most rows: the cell count most groups of lines between blank lines have.
fn usual_width(lines: &[Line], start: usize) -> usize {
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    let mut i = start;
    while i < lines.len() {
        if is_blank(&lines[i]) {
            i += 1;
            continue;
        }
        if !lines[i].text.starts_with('\t') && i > start && is_blank(&lines[i - 1]) {
            break;
        }
        let cells = group_cells(lines, i);
        if cells >= 2 {
            *counts.entry(cells).or_default() += 1;
        }
        while i < lines.len() && !is_blank(&lines[i]) {
            i += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(width, count)| (count, width))
        .map_or(1, |(width, _)| width)
}

/// Whether the lines after `i` (a paragraph without a tab) lead back into the table: the next
/// line with a tab comes before any blank line that is followed by text without one.
fn table_resumes(lines: &[Line], i: usize) -> bool {
    let mut j = i;
    while j < lines.len() && !is_blank(&lines[j]) {
        if lines[j].text.starts_with('\t') {
            return true;
        }
        j += 1;
    }
    while j < lines.len() && is_blank(&lines[j]) {
        j += 1;
    }
    lines.get(j).is_some_and(|l| l.text.starts_with('\t'))
}

/// A cell a line (see the module's doc).
fn cells_per_line(lines: &[Line], start: usize) -> (Vec<Vec<String>>, usize) {
    let width = usual_width(lines, start);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut after_blank = false;
    let mut i = start;
    while let Some(line) = lines.get(i) {
        if is_blank(line) {
            // A blank line ends the row when the next group cannot complete it.
            let next = (i + 1..lines.len()).find(|&j| !is_blank(&lines[j]));
            let more = next.map_or(0, |j| group_cells(lines, j));
            if !row.is_empty() && row.len() + more > width {
                rows.push(std::mem::take(&mut row));
            }
            after_blank = true;
            i += 1;
            continue;
        }
        if let Some(text) = line.text.strip_prefix('\t') {
            if row.len() == width {
                rows.push(std::mem::take(&mut row));
            }
            row.push(text.trim().to_owned());
        } else {
            // More text of the last cell, after a line break or (while its row is not
            // complete and the table goes on) after an empty paragraph.
            let continues = match row.last() {
                Some(_) if !after_blank => true,
                Some(_) => row.len() < width && table_resumes(lines, i),
                None => false,
            };
            if !continues {
                break;
            }
            if let Some(cell) = row.last_mut() {
                if !cell.is_empty() {
                    cell.push('\n');
                }
                cell.push_str(line.text.trim());
            }
        }
        after_blank = false;
        i += 1;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    (rows, i)
}
