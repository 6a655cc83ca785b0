//! A table read as a 任务分工表: 类别 (一、) | 措施 (（一）) | 具体工作 (1.) | 责任单位 | 完成时限.
//!
//! It is one when its headers are the ones qingdan reads, or when its first three columns are
//! numbered 一、 / （一） / 1. whatever their headers say (then the printed headers go to the
//! manifest's 表头, an empty one joining the one to its left, as a header over two columns
//! prints). Numbers are taken out; a 类别 or 措施 broken over lines is one line again, except
//! where a new （N） starts (two measures sharing their tasks); a 完成时限 broken inside a
//! phrase (`11月底前完\n成长期坚持`) is broken between its phrases instead.

use super::draft::{Kind, Sheeted};
use super::report::Note;
use super::source::Table;
use crate::inputs::columns::map_columns;
use crate::inputs::sheet::Sheet;
use crate::model::checks::deadline_understood;
use crate::model::numbering::{Ordinal, strip_typed_number, typed_ordinal};
use crate::model::tasks::COLUMNS;

/// `rows` (header first) as a 任务分工表, or `None` when they are not one.
pub(crate) fn tasks(rows: &[Vec<String>], table: &Table, notes: &mut Vec<Note>) -> Option<Sheeted> {
    let header = &rows[0];
    let mut quiet = crate::diag::Diagnostics::new();
    let mapped = map_columns(
        std::path::Path::new(""),
        &header_sheet(header),
        COLUMNS,
        &mut quiet,
    );
    let order: Vec<usize> = match &mapped {
        Some(map) => (0..COLUMNS.len()).filter_map(|i| map.position(i)).collect(),
        None if numbered_like_tasks(rows) => (0..5).collect(),
        None => return None,
    };
    if order.len() != COLUMNS.len() {
        return None;
    }
    // Printed headers that are not the column names go to 表头.
    let headers: Vec<(String, String)> = COLUMNS
        .iter()
        .zip(&order)
        .filter(|(spec, c)| header[**c] != spec.name)
        .map(|(spec, c)| (spec.name.to_owned(), header[*c].clone()))
        .collect();
    let mut out = vec![
        COLUMNS
            .iter()
            .map(|c| c.name.to_owned())
            .collect::<Vec<_>>(),
    ];
    let mut counts = (0u32, 0u32, 0u32);
    for (r, row) in rows.iter().enumerate().skip(1) {
        let cell = |i: usize| row.get(order[i]).cloned().unwrap_or_default();
        let category = one_line(&cell(0));
        let measure = measures(&cell(1));
        if !category.is_empty() {
            counts.0 += 1;
            check(
                &category,
                Ordinal::Section,
                counts.0,
                table,
                r,
                order[0],
                notes,
            );
        }
        for line in measure.lines() {
            counts.1 += 1;
            check(line, Ordinal::Paren, counts.1, table, r, order[1], notes);
        }
        if !measure.is_empty() {
            counts.2 = 0;
        }
        counts.2 += 1;
        let task = cell(2);
        check(&task, Ordinal::Arabic, counts.2, table, r, order[2], notes);
        let deadline = deadline(&cell(4), table, r, order[4], notes);
        out.push(vec![
            strip_typed_number(&category).0.to_owned(),
            measure
                .lines()
                .map(|l| strip_typed_number(l).0)
                .collect::<Vec<_>>()
                .join("\n"),
            strip_typed_number(&task).0.to_owned(),
            cell(3),
            deadline,
        ]);
    }
    Some(Sheeted {
        kind: Kind::Tasks,
        rows: out,
        headers,
        remark: None,
    })
}

/// Whether the first three columns are numbered 一、 / （一） / 1. on the first data row.
fn numbered_like_tasks(rows: &[Vec<String>]) -> bool {
    let Some(first) = rows.get(1) else {
        return false;
    };
    let level = |c: usize| {
        first
            .get(c)
            .and_then(|t| typed_ordinal(t))
            .map(|(o, _, _)| o)
    };
    first.len() == 5
        && level(0) == Some(Ordinal::Section)
        && level(1) == Some(Ordinal::Paren)
        && level(2) == Some(Ordinal::Arabic)
}

/// A cell's lines joined back into one (a line broken by the cell's width).
fn one_line(text: &str) -> String {
    text.split('\n').map(str::trim).collect()
}

/// A 措施 cell: one line per measure, each starting with its （N）.
fn measures(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        match (out.last_mut(), typed_ordinal(line)) {
            (Some(last), None) => last.push_str(line),
            _ => out.push(line.to_owned()),
        }
    }
    out.join("\n")
}

/// A 完成时限 broken inside a phrase, broken between its phrases instead.
fn deadline(text: &str, table: &Table, r: usize, c: usize, notes: &mut Vec<Note>) -> String {
    let lines: Vec<&str> = text
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.iter().all(|l| deadline_understood(l)) {
        return lines.join("\n");
    }
    let joined: String = lines
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let cut = joined.char_indices().skip(1).map(|(i, _)| i).find(|&i| {
        let (left, right) = joined.split_at(i);
        deadline_understood(left)
            && deadline_understood(right)
            && !left.ends_with(|c: char| c.is_ascii_digit() || "年月日底".contains(c))
            && !right.starts_with(|c: char| "年月日底前完成起".contains(c))
    });
    match cut {
        Some(i) => {
            let fixed = format!("{}\n{}", &joined[..i], &joined[i..]);
            notes.push(Note::guess(
                Some(table.cell_place(r, c)),
                format!(
                    "完成时限“{}”读作“{}”",
                    text.replace('\n', "↵"),
                    fixed.replace('\n', "↵")
                ),
                format!(
                    "the deadline “{}” read as “{}”",
                    text.replace('\n', "↵"),
                    fixed.replace('\n', "↵")
                ),
            ));
            fixed
        }
        None => lines.join("\n"),
    }
}

/// A typed number that is not the one qingdan will print there.
fn check(
    text: &str,
    ordinal: Ordinal,
    own: u32,
    table: &Table,
    r: usize,
    c: usize,
    notes: &mut Vec<Note>,
) {
    if let Some((typed, n, _)) = typed_ordinal(text)
        && (typed != ordinal || n != own)
    {
        let (t, o) = (typed.label(n), ordinal.label(own));
        notes.push(Note::guess(
            Some(table.cell_place(r, c)),
            format!("原文编号“{t}”，按位置将印为“{o}”"),
            format!("numbered “{t}” in the source; it will print as “{o}” by its place"),
        ));
    }
}

/// A one-row sheet of `headers`, for matching columns the way qingdan's readers do.
pub(crate) fn header_sheet(headers: &[String]) -> Sheet {
    Sheet {
        headers: headers.to_vec(),
        ..Sheet::default()
    }
}
