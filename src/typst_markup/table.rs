//! A table of the document tree → Typst `table(...)`, with its merged cells and the marks from
//! which the layout template repeats a merged cell's label, marked （续）, at the top of the next
//! page when a page breaks it.
//!
//! Where pages break is known only once typeset, so a table with merged rows
//! ([`Table::continued`]) carries invisible marks (`<qd-head>` in its header, `<qd-row>` at the
//! top of every row with the labels of the merged cells starting there, `<qd-col>` /
//! `<qd-col-end>` at the corners of each merged column) from which the layout template draws the
//! repeated labels over the page (see `continued-index` and `continued-labels` in
//! `templates/gongwen.typ`: one pass over the marks, then a lookup per page, so time and memory
//! grow linearly with the rows). The table itself is laid out once.

use std::collections::BTreeSet;

use super::push_inlines;
use crate::document::table::{Cell, Place, Table};

/// The markup of a cell's content.
fn markup(cell: &Cell) -> String {
    let mut out = String::new();
    push_inlines(&mut out, &cell.inlines);
    out
}

/// Per-column widths as Typst track sizes, and each column's alignment: short columns are
/// centred, long text is set flush left.
fn tracks(table: &Table) -> Vec<(String, &'static str)> {
    table
        .columns
        .iter()
        .map(|column| {
            let align = if column.centred {
                "center + horizon"
            } else {
                "left + horizon"
            };
            (format!("{:.2}fr", column.width), align)
        })
        .collect()
}

/// Writes `table` as a Typst `table` call.
pub(crate) fn to_typst(table: &Table) -> String {
    let tracks = tracks(table);
    let sizes: Vec<&str> = tracks.iter().map(|(s, _)| s.as_str()).collect();
    let aligns: Vec<&str> = tracks.iter().map(|(_, a)| *a).collect();
    let mut out = String::from("#table(\n  columns: (");
    out.push_str(&sizes.join(", "));
    out.push_str(",),\n  align: (");
    out.push_str(&aligns.join(", "));
    out.push_str(",),\n  table.header(");
    let t = table.index;
    let mut head_mark = table
        .continued
        .then(|| format!("#place(top + left)[#metadata({t})<qd-head>]"));
    for (cell, place) in table.head.iter().zip(&table.header_places) {
        if let Place::Span { rows, cols } = place {
            // Headers are centred whatever their column's alignment.
            out.push_str(&format!(
                " table.cell(rowspan: {rows}, colspan: {cols}, align: center + horizon)[{}",
                head_mark.take().unwrap_or_default()
            ));
            out.push_str(&markup(cell));
            out.push_str("],");
        }
    }
    out.push_str("),\n");
    let empty = Cell::default();
    // Merged columns whose extent has been marked (once a table).
    let mut columns_marked = BTreeSet::new();
    for (r, (row, row_places)) in table.rows.iter().zip(&table.body_places).enumerate() {
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
                starting.push(format!("({c}, {rows}, \"{align}\", [{}]),", markup(cell)));
            }
        }
        let mut row_mark = table.continued.then(|| {
            format!(
                "#place(top + left)[#metadata(({t}, {r}, {joins}, ({})))<qd-row>]",
                starting.concat()
            )
        });
        for (c, &place) in row_places.iter().enumerate() {
            let cell = row.get(c).unwrap_or(&empty);
            let mut marks = String::new();
            if place != Place::Covered {
                marks.push_str(&row_mark.take().unwrap_or_default());
            }
            if matches!(place, Place::Span { rows, .. } if rows > 1) && columns_marked.insert(c) {
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

/// Writes one cell, `marks` (invisible, for the layout) in front of its text.
fn push_cell(out: &mut String, marks: &str, cell: &Cell, place: Place) {
    match place {
        Place::Covered => {}
        Place::Span { rows: 1, cols: 1 } => {
            out.push_str(" [");
            out.push_str(marks);
            out.push_str(&markup(cell));
            out.push_str("],");
        }
        Place::Span { rows, cols } => {
            out.push_str(&format!(" table.cell(rowspan: {rows}, colspan: {cols})["));
            out.push_str(marks);
            out.push_str(&markup(cell));
            out.push_str("],");
        }
    }
}

#[cfg(test)]
mod tests;
