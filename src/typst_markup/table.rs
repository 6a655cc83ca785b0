//! GFM tables → Typst `table(...)`, with the merges a printed 公文 table has.
//!
//! GFM has no merged cells, so the Markdown carries them the way a spreadsheet export does, and
//! this module restores them:
//! - in the header, an empty cell joins the cell to its left (one header over two columns);
//! - in the body, an empty cell joins the cell above when every cell to its left in the row is
//!   empty or joined too — a group label (姓名, 一、…, （一）…) spanning its rows.
//!
//! A merged cell broken by a page has its label repeated at the top of the next page, marked
//! （续）. Where pages break is known only once typeset, so a table with merged rows carries
//! invisible marks (`<qd-head>` in its header, `<qd-row>` at the top of every row with the
//! labels of the merged cells starting there, `<qd-col>` / `<qd-col-end>` at the corners of each
//! merged column) from which the layout template draws the repeated labels over the page (see
//! `continued-index` and `continued-labels` in `templates/gongwen.typ`: one pass over the marks,
//! then a lookup per page, so time and memory grow linearly with the rows). The table itself is
//! laid out once.
//!
//! Column widths come from the text: short columns (names, units, deadlines) get their natural
//! width, long ones share the rest by the square root of their length, so no column is squeezed
//! to one character per line.

use std::collections::BTreeSet;

/// One cell: Typst markup, and plain text for measuring and emptiness.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub(crate) markup: String,
    pub(crate) plain: String,
}

impl Cell {
    pub(crate) fn is_empty(&self) -> bool {
        self.plain.trim().is_empty()
    }
}

/// A table being collected from Markdown events.
#[derive(Debug, Default)]
pub(crate) struct TableBuilder {
    pub(crate) head: Vec<Cell>,
    pub(crate) rows: Vec<Vec<Cell>>,
    /// The width the table will have, in em of its text, to balance the columns for.
    pub(crate) width_em: f64,
    /// The table's number in its document, tying the marks of one table together.
    pub(crate) index: usize,
}

/// Where a cell goes in the printed table: skipped (covered by a merge) or placed with spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Covered,
    Span { rows: usize, cols: usize },
}

/// Width of a line of text in em: CJK and full-width characters count 1, others ½. The one
/// estimate both writers (Typst and .docx) size columns and lines by.
pub(crate) fn text_width(line: &str) -> f64 {
    line.chars()
        .map(|c| {
            if c.is_ascii() || c == '\u{00B7}' {
                0.5
            } else {
                1.0
            }
        })
        .sum()
}

impl TableBuilder {
    pub(crate) fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.head.len()])
            .max()
            .unwrap_or(0)
    }

    /// How wide column `c` wants to be, in em: the 80th percentile of its line widths (one very
    /// long 职务 should wrap, not widen the column), at least its header (up to 6) and 2.
    fn natural_width(&self, c: usize) -> f64 {
        let mut widths: Vec<f64> = self
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .flat_map(|cell| cell.plain.lines().map(text_width).collect::<Vec<_>>())
            .collect();
        widths.sort_by(f64::total_cmp);
        let p80_index = (widths.len().saturating_sub(1) as f64 * 0.8).ceil() as usize;
        let p80 = widths.get(p80_index).copied().unwrap_or(0.0);
        let head = self.head.get(c).map_or(0.0, |h| {
            h.plain.lines().map(text_width).fold(0.0, f64::max).min(6.0)
        });
        // Lines up to 7 characters (11月底前完成) are never wrapped, whatever the percentile.
        let longest = widths.last().copied().unwrap_or(0.0);
        // Half an em of slack: glyph widths vary between fonts, and a three-character name
        // must never wrap.
        p80.max(longest.min(7.0)).max(head).max(2.0) + 0.5
    }

    /// Per-column widths as Typst track sizes, and each column's alignment: short columns are
    /// centred, long text is set flush left.
    fn tracks(&self) -> Vec<(String, &'static str)> {
        self.column_widths()
            .into_iter()
            .map(|(w, centred)| {
                let align = if centred {
                    "center + horizon"
                } else {
                    "left + horizon"
                };
                (format!("{w:.2}fr"), align)
            })
            .collect()
    }

    /// Per-column widths in em of table text (cell padding included; they share the table's
    /// width as fractions), and whether the column is short, so centred. The DOCX writer
    /// uses the same widths, so a Word table is balanced as the PDF's is.
    pub(crate) fn column_widths(&self) -> Vec<(f64, bool)> {
        const PADDING: f64 = 0.6;
        const MIN: f64 = 4.0;
        const SHORT: f64 = 8.0;
        let n = self.columns();
        let max: Vec<f64> = (0..n).map(|c| self.natural_width(c)).collect();
        // Short columns (names, units, deadlines) keep their natural width: wrapping 教育局、各校
        // saves little and reads badly. Long text can go down to four characters.
        let min: Vec<f64> = max
            .iter()
            .map(|&m| if m <= SHORT { m } else { MIN })
            .collect();
        let available = self.width_em - PADDING * n as f64;
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
            .map(|(w, m)| (w + PADDING, *m <= SHORT))
            .collect()
    }

    /// Spans for header cells: empty cells join the one to their left.
    pub(crate) fn header_places(&self) -> Vec<Place> {
        let mut places = vec![Place::Span { rows: 1, cols: 1 }; self.head.len()];
        let mut owner = None;
        for (i, cell) in self.head.iter().enumerate() {
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
    pub(crate) fn body_places(&self) -> Vec<Vec<Place>> {
        let n = self.columns();
        let mut places: Vec<Vec<Place>> =
            vec![vec![Place::Span { rows: 1, cols: 1 }; n]; self.rows.len()];
        // For each column, the row owning the most recent cell that can grow downwards.
        let mut owner: Vec<Option<usize>> = vec![None; n];
        for (r, row) in self.rows.iter().enumerate() {
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

    /// Writes the table as a Typst `table` call.
    pub(crate) fn to_typst(&self) -> String {
        let tracks = self.tracks();
        let sizes: Vec<&str> = tracks.iter().map(|(s, _)| s.as_str()).collect();
        let aligns: Vec<&str> = tracks.iter().map(|(_, a)| *a).collect();
        let mut out = String::from("#table(\n  columns: (");
        out.push_str(&sizes.join(", "));
        out.push_str(",),\n  align: (");
        out.push_str(&aligns.join(", "));
        out.push_str(",),\n  table.header(");
        let merged = self
            .body_places()
            .iter()
            .flatten()
            .any(|p| matches!(p, Place::Span { rows, .. } if *rows > 1));
        let mut head_mark =
            merged.then(|| format!("#place(top + left)[#metadata({})<qd-head>]", self.index));
        for (cell, place) in self.head.iter().zip(self.header_places()) {
            if let Place::Span { rows, cols } = place {
                // Headers are centred whatever their column's alignment.
                out.push_str(&format!(
                    " table.cell(rowspan: {rows}, colspan: {cols}, align: center + horizon)[{}",
                    head_mark.take().unwrap_or_default()
                ));
                out.push_str(&cell.markup);
                out.push_str("],");
            }
        }
        out.push_str("),\n");
        let empty = Cell::default();
        let places = self.body_places();
        let t = self.index;
        // Merged columns whose extent has been marked (once a table).
        let mut columns_marked = BTreeSet::new();
        for (r, (row, row_places)) in self.rows.iter().zip(places).enumerate() {
            out.push(' ');
            // One mark a row, at its top: the merged cells starting in it, with their labels.
            let joins = u8::from(row_places.first() == Some(&Place::Covered));
            let mut starting = Vec::new();
            for (c, place) in row_places.iter().enumerate() {
                let cell = row.get(c).unwrap_or(&empty);
                if let Place::Span { rows, .. } = place
                    && *rows > 1
                    && !cell.is_empty()
                {
                    let align = if aligns.get(c).is_some_and(|a| a.starts_with("center")) {
                        "center"
                    } else {
                        "left"
                    };
                    starting.push(format!("({c}, {rows}, \"{align}\", [{}]),", cell.markup));
                }
            }
            let mut row_mark = merged.then(|| {
                format!(
                    "#place(top + left)[#metadata(({t}, {r}, {joins}, ({})))<qd-row>]",
                    starting.concat()
                )
            });
            for (c, place) in row_places.into_iter().enumerate() {
                let cell = row.get(c).unwrap_or(&empty);
                let mut marks = String::new();
                if place != Place::Covered {
                    marks.push_str(&row_mark.take().unwrap_or_default());
                }
                if matches!(place, Place::Span { rows, .. } if rows > 1) && columns_marked.insert(c)
                {
                    marks.push_str(&format!(
                        "#place(top + left)[#metadata(({t}, {c}))<qd-col>]\
                         #place(top + right)[#metadata(({t}, {c}))<qd-col-end>]"
                    ));
                }
                push_cell(&mut out, &marks, cell, place);
            }
            out.push('\n');
        }
        out.push_str(")\n\n");
        out
    }
}

/// Writes one cell, `marks` (invisible, for the layout) in front of its text.
fn push_cell(out: &mut String, marks: &str, cell: &Cell, place: Place) {
    match place {
        Place::Covered => {}
        Place::Span { rows: 1, cols: 1 } => {
            out.push_str(" [");
            out.push_str(marks);
            out.push_str(&cell.markup);
            out.push_str("],");
        }
        Place::Span { rows, cols } => {
            out.push_str(&format!(" table.cell(rowspan: {rows}, colspan: {cols})["));
            out.push_str(marks);
            out.push_str(&cell.markup);
            out.push_str("],");
        }
    }
}

#[cfg(test)]
mod tests;
