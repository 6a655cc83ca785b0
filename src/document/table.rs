//! A GFM table as both writers set it: its cells, which of them merge, how wide each column is
//! and whether its merged labels are repeated, marked （续）, where a page breaks them.
//!
//! GFM has no merged cells, so the Markdown carries them the way a spreadsheet export does, and
//! this module restores them:
//! - in the header, an empty cell joins the cell to its left (one header over two columns);
//! - in the body, an empty cell joins the cell above when every cell to its left in the row is
//!   empty or joined too — a group label (姓名, 一、…, （一）…) spanning its rows.
//!
//! Column widths come from the text: short columns (names, units, deadlines) get their natural
//! width, long ones share the rest by how much more each one wants, so no column is squeezed to
//! one character per line. The widths are fractions of the table's width: the PDF sets them as
//! `fr` tracks, the .docx as its grid.

use super::inline::Inline;
use super::measure::text_width;

/// One cell: its text as inlines, and as plain text (line breaks as `\n`) for measuring and
/// emptiness.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// The cell's content.
    pub inlines: Vec<Inline>,
    /// Its text without markup.
    pub plain: String,
}

impl Cell {
    /// A cell holding `inlines`.
    pub(crate) fn new(inlines: Vec<Inline>) -> Self {
        let mut plain = String::new();
        for inline in &inlines {
            inline.push_plain(&mut plain);
        }
        Self { inlines, plain }
    }

    /// Whether the cell shows nothing (it then joins a neighbour, see the module's docs).
    pub fn is_empty(&self) -> bool {
        self.plain.trim().is_empty()
    }
}

/// Where a cell goes in the printed table: skipped (covered by a merge) or placed with spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Covered by the merged cell above or to the left.
    Covered,
    /// Placed, spanning `rows` rows and `cols` columns.
    Span {
        /// Rows spanned (1: none below joined).
        rows: usize,
        /// Columns spanned (1: none to the right joined).
        cols: usize,
    },
}

/// One column: its width in em of table text (cell padding included; the columns share the
/// table's width as fractions of their sum), and whether it is short, so centred.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// Width in em.
    pub width: f64,
    /// Short text (names, units, deadlines), centred; long text is set flush left.
    pub centred: bool,
}

/// A table with every decision about its layout made.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The table's number in its document, tying the marks of one table together.
    pub index: usize,
    /// The header row.
    pub head: Vec<Cell>,
    /// The body rows.
    pub rows: Vec<Vec<Cell>>,
    /// Where each header cell goes.
    pub header_places: Vec<Place>,
    /// Where each body cell goes, per row (as many as [`Self::columns`] in every row).
    pub body_places: Vec<Vec<Place>>,
    /// The columns' widths and alignment.
    pub columns: Vec<Column>,
    /// Whether some body cell spans rows: its label is then repeated at the top of the next
    /// page, marked （续）, where a page breaks it (the PDF; Word cannot).
    pub continued: bool,
}

impl Table {
    /// The table of `head` and `rows`, balanced for a width of `width_em` em of its text.
    pub(crate) fn new(head: Vec<Cell>, rows: Vec<Vec<Cell>>, width_em: f64, index: usize) -> Self {
        let header_places = header_places(&head);
        let body_places = body_places(&rows, column_count(&head, &rows));
        let columns = column_widths(&head, &rows, width_em);
        let continued = body_places
            .iter()
            .flatten()
            .any(|p| matches!(p, Place::Span { rows, .. } if *rows > 1));
        Self {
            index,
            head,
            rows,
            header_places,
            body_places,
            columns,
            continued,
        }
    }

    /// The number of columns: the widest row's.
    pub fn column_count(&self) -> usize {
        self.columns.len()
    }

    /// A table of plain-text cells, balanced for a portrait page (for tests).
    #[cfg(test)]
    pub(crate) fn of_text(head: &[&str], rows: &[&[&str]], index: usize) -> Self {
        let cell = |text: &&str| Cell::new(vec![Inline::Text((*text).to_owned())]);
        Self::new(
            head.iter().map(cell).collect(),
            rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
            super::measure::table_width_em(false),
            index,
        )
    }
}

fn column_count(head: &[Cell], rows: &[Vec<Cell>]) -> usize {
    rows.iter()
        .map(Vec::len)
        .chain([head.len()])
        .max()
        .unwrap_or(0)
}

/// How wide column `c` wants to be, in em: the 80th percentile of its line widths (one very
/// long 职务 should wrap, not widen the column), at least its header (up to 6) and 2.
fn natural_width(head: &[Cell], rows: &[Vec<Cell>], c: usize) -> f64 {
    let mut widths: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.get(c))
        .flat_map(|cell| cell.plain.lines().map(text_width).collect::<Vec<_>>())
        .collect();
    widths.sort_by(f64::total_cmp);
    let p80_index = (widths.len().saturating_sub(1) as f64 * 0.8).ceil() as usize;
    let p80 = widths.get(p80_index).copied().unwrap_or(0.0);
    let head = head.get(c).map_or(0.0, |h| {
        h.plain.lines().map(text_width).fold(0.0, f64::max).min(6.0)
    });
    // Lines up to 7 characters (11月底前完成) are never wrapped, whatever the percentile.
    let longest = widths.last().copied().unwrap_or(0.0);
    // Half an em of slack: glyph widths vary between fonts, and a three-character name
    // must never wrap.
    p80.max(longest.min(7.0)).max(head).max(2.0) + 0.5
}

/// Per-column widths in em of table text (cell padding included), and whether the column is
/// short, so centred.
fn column_widths(head: &[Cell], rows: &[Vec<Cell>], width_em: f64) -> Vec<Column> {
    const PADDING: f64 = 0.6;
    const MIN: f64 = 4.0;
    const SHORT: f64 = 8.0;
    let n = column_count(head, rows);
    let max: Vec<f64> = (0..n).map(|c| natural_width(head, rows, c)).collect();
    // Short columns (names, units, deadlines) keep their natural width: wrapping 教育局、各校
    // saves little and reads badly. Long text can go down to four characters.
    let min: Vec<f64> = max
        .iter()
        .map(|&m| if m <= SHORT { m } else { MIN })
        .collect();
    let available = width_em - PADDING * n as f64;
    let (sum_max, sum_min) = (max.iter().sum::<f64>(), min.iter().sum::<f64>());
    // As a browser lays out an auto table: natural widths when they fit, otherwise every
    // column gets its minimum and the rest is shared by how much more each one wants.
    let widths: Vec<f64> = if sum_max <= available || sum_max <= sum_min {
        max.clone()
    } else {
        let extra = (available - sum_min).max(0.0);
        min.iter()
            .zip(&max)
            .map(|(lo, hi)| lo + extra * (hi - lo) / (sum_max - sum_min))
            .collect()
    };
    widths
        .iter()
        .zip(&max)
        .map(|(w, m)| Column {
            width: w + PADDING,
            centred: *m <= SHORT,
        })
        .collect()
}

/// Spans for header cells: empty cells join the one to their left.
fn header_places(head: &[Cell]) -> Vec<Place> {
    let mut places = vec![Place::Span { rows: 1, cols: 1 }; head.len()];
    let mut owner = None;
    for (i, cell) in head.iter().enumerate() {
        match owner {
            Some(o) if cell.is_empty() => {
                places[i] = Place::Covered;
                if let Place::Span { cols, .. } = &mut places[o] {
                    *cols += 1;
                }
            }
            _ => owner = Some(i),
        }
    }
    places
}

/// Spans for body cells: a leading run of empty cells joins the cells above.
fn body_places(rows: &[Vec<Cell>], n: usize) -> Vec<Vec<Place>> {
    let mut places: Vec<Vec<Place>> = vec![vec![Place::Span { rows: 1, cols: 1 }; n]; rows.len()];
    // For each column, the row owning the most recent cell that can grow downwards.
    let mut owner: Vec<Option<usize>> = vec![None; n];
    for (r, row) in rows.iter().enumerate() {
        let mut leading = true;
        for c in 0..n {
            let empty = row.get(c).is_none_or(Cell::is_empty);
            leading &= empty;
            match owner[c] {
                Some(o) if leading => {
                    places[r][c] = Place::Covered;
                    if let Place::Span { rows, .. } = &mut places[o][c] {
                        *rows += 1;
                    }
                }
                _ => owner[c] = Some(r),
            }
        }
    }
    places
}

#[cfg(test)]
mod tests;
