//! A `<w:tbl>` as a grid: `gridBefore`, `gridSpan` and `vMerge` resolved so a covered cell is
//! blank (qingdan's "same as above"); a cell's paragraphs joined by line breaks; a table inside
//! a cell kept as its rows' text in that cell — followed at most [`MAX_DEPTH`] tables deep, then
//! taken flat, so no nesting can exhaust the stack.

use roxmltree::Node;

use super::body::{MAX_DEPTH, Walker, flat_text};
use super::styles::{attr, child};
use crate::import::report::Note;
use crate::import::source::{Place, Table};

impl Walker<'_> {
    /// A table as a grid; `depth` counts the tables it sits in.
    pub(super) fn table(&mut self, tbl: Node<'_, '_>, number: usize, depth: usize) -> Table {
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut covered: Vec<Vec<bool>> = Vec::new();
        for (r, tr) in cells_of(tbl, "tr").into_iter().enumerate() {
            let mut row = Vec::new();
            let mut cover = Vec::new();
            let before = child(tr, "trPr")
                .and_then(|p| child(p, "gridBefore"))
                .and_then(|g| attr(g, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
                .min(64);
            row.resize(before, String::new());
            cover.resize(before, true);
            for tc in cells_of(tr, "tc") {
                let tcpr = child(tc, "tcPr");
                let span = tcpr
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(|g| attr(g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let continues = tcpr
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|v| attr(v, "val").is_none_or(|v| v == "continue"));
                let column = row.len();
                let place = Place::Cell {
                    table: number,
                    row: r + 1,
                    column: column + 1,
                };
                let text = self.cell_text(tc, &place, depth);
                // Word ignores text in a cell merged into the one above; it is kept here.
                let merged = continues && text.trim().is_empty();
                row.push(if merged { String::new() } else { text });
                cover.push(merged);
                for _ in 1..span {
                    row.push(String::new());
                    cover.push(true);
                }
            }
            rows.push(row);
            covered.push(cover);
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for (row, cover) in rows.iter_mut().zip(&mut covered) {
            row.resize(width, String::new());
            cover.resize(width, false);
        }
        Table {
            rows,
            covered,
            number,
            place: Place::Cell {
                table: number,
                row: 1,
                column: 1,
            },
            new_page: false,
        }
    }

    /// A cell's paragraphs joined by line breaks; a table inside it, row by row.
    fn cell_text(&mut self, tc: Node<'_, '_>, place: &Place, depth: usize) -> String {
        let mut lines: Vec<String> = Vec::new();
        for node in tc.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "p" => {
                    let (para, _) = self.paragraph(node, place.clone());
                    lines.push(para.text);
                }
                "tbl" => {
                    self.notes.push(Note::guess(
                        Some(place.clone()),
                        "单元格中嵌套了表格，其文字逐行并入该单元格",
                        "a table nested in this cell: its text is kept in the cell, row by row",
                    ));
                    if depth < MAX_DEPTH {
                        let inner = self.table(node, 0, depth + 1);
                        for row in inner.rows {
                            let cells: Vec<&str> = row
                                .iter()
                                .map(|c| c.trim())
                                .filter(|c| !c.is_empty())
                                .collect();
                            lines.push(cells.join("　"));
                        }
                    } else {
                        lines.push(flat_text(node));
                    }
                }
                "sdt" | "customXml" => lines.push(flat_text(node)),
                _ => {}
            }
        }
        // A cell's empty last paragraphs are Word's, not the author's.
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        lines.join("\n")
    }
}

/// The rows of a table or the cells of a row, looking through content controls around them.
pub(super) fn cells_of<'a, 'i>(parent: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    let mut found = Vec::new();
    for node in parent.children().filter(Node::is_element) {
        match node.tag_name().name() {
            n if n == name => found.push(node),
            "sdt" | "customXml" => {
                let content = child(node, "sdtContent").unwrap_or(node);
                found.extend(
                    content
                        .children()
                        .filter(|c| c.is_element() && c.tag_name().name() == name),
                );
            }
            _ => {}
        }
    }
    found
}
