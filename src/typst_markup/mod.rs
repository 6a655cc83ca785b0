//! Stage 5: the document tree → Typst markup.
//!
//! Each block of a part's body ([`crate::document::Block`]) as markup: paragraphs, headings
//! (`#heading`), emphasis and run-in leads (`#emph`, set in 楷体 by the layout), strong
//! (`#strong`, 黑体), line breaks and tables with merged cells ([`table`]). Every piece of text goes
//! through [`escape::escape_typst`], so nothing in the data can run as Typst code. What the markup
//! looks like on the page is the layout template's business (`templates/gongwen.typ`); the
//! decisions the tree took for it (chapter headings, title lines) go to it in `meta.json`
//! ([`source`]).

pub(crate) mod escape;
pub mod source;
pub(crate) mod table;

use crate::document::grid::{Cell, Piece, pieces};
use crate::document::{Block, Inline};
use escape::escape_typst;

/// Converts Markdown to Typst markup, read on its own (tables balanced for a portrait page).
pub fn markdown_to_typst(markdown: &str) -> String {
    blocks_markup(&crate::document::blocks(markdown), false)
}

/// The markup of `blocks`; `sized_chapters` when their chapter headings are set in a size of
/// their own, off the body's grid.
pub(crate) fn blocks_markup(blocks: &[Block], sized_chapters: bool) -> String {
    let mut out = String::new();
    for block in blocks {
        push_block(&mut out, block, sized_chapters);
    }
    out
}

fn push_block(out: &mut String, block: &Block, sized_chapters: bool) {
    match block {
        Block::Paragraph(inlines) => {
            // A list item's marker (1., 10.) opens it in whole cells, as Word's list number
            // does, so the item's text starts on the grid.
            let rest = match inlines.first() {
                Some(Inline::Text(text)) => match list_marker(text) {
                    Some((marker, after)) => {
                        out.push_str(&format!("#mr[{}]", escape_typst(marker)));
                        push_grid_text(out, after);
                        &inlines[1..]
                    }
                    None => inlines,
                },
                _ => inlines,
            };
            push_inlines(out, rest, Grid::On);
            out.push_str("\n\n");
        }
        Block::Heading(heading) => {
            out.push_str(&format!("#heading(level: {})[", heading.level));
            let grid = if heading.chapter && sized_chapters {
                Grid::Off
            } else {
                Grid::On
            };
            push_inlines(out, &heading.inlines, grid);
            out.push_str("]\n\n");
        }
        Block::Quote(blocks) => {
            out.push_str("#pad(left: 2em)[");
            for block in blocks {
                push_block(out, block, sized_chapters);
            }
            out.push_str("]\n\n");
        }
        Block::Table(t) => out.push_str(&table::to_typst(t)),
        Block::Rule => out.push_str("#line(length: 100%)\n\n"),
    }
}

/// Whether text is set on the body's character grid (3号 body text) or as it is (tables, a
/// chapter heading in a size of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grid {
    On,
    Off,
}

/// Writes `inlines` as markup: text escaped, spans as the functions the layout styles.
pub(crate) fn push_inlines(out: &mut String, inlines: &[Inline], grid: Grid) {
    for inline in inlines {
        let (function, children) = match inline {
            Inline::Text(text) if grid == Grid::On => {
                push_grid_text(out, text);
                continue;
            }
            Inline::Text(text) => {
                out.push_str(&escape_typst(text));
                continue;
            }
            Inline::LineBreak => {
                out.push_str("#linebreak()");
                continue;
            }
            Inline::Lead(children) | Inline::Emphasis(children) => ("#emph[", children),
            Inline::Strong(children) => ("#strong[", children),
            Inline::Strike(children) => ("#strike[", children),
        };
        out.push_str(function);
        push_inlines(out, children, grid);
        out.push(']');
    }
}

/// The list marker `text` opens with (digits and a full stop: `1.`, `10.`) and the text after
/// it.
fn list_marker(text: &str) -> Option<(&str, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && text[digits..].starts_with('.')).then(|| text.split_at(digits + 1))
}

/// Writes `text` on the character grid, as the tree cut it ([`pieces`]): each group of marks
/// and what they cling to as the layout template's `#mg` (or `#mh`, whose last closing mark may
/// hang past the line's end), each full-width mark in its cell (`#mo`, `#mc`), a character beside
/// it in its cell (`#mz`), half-width runs and other text as they are.
pub(crate) fn push_grid_text(out: &mut String, text: &str) {
    let mut after_space = false;
    for piece in pieces(text) {
        let cells = match piece {
            Piece::Text(t) => {
                out.push_str(&escape_typst(t));
                after_space = t.ends_with(char::is_whitespace);
                continue;
            }
            Piece::Group(cells) => cells,
        };
        let hanging = match cells.last() {
            Some(Cell::Close(c)) => Some(*c),
            _ => None,
        };
        // After a space the group takes back no tracking: weak spacing there would swallow the
        // space (不少于 1 次 read 不少于 1次).
        out.push_str(match (hanging.is_some(), after_space) {
            (true, false) => "#mh[",
            (true, true) => "#mh(spaced: true)[",
            (false, false) => "#mg[",
            (false, true) => "#mg(spaced: true)[",
        });
        after_space = false;
        let inner = if hanging.is_some() {
            &cells[..cells.len() - 1]
        } else {
            &cells[..]
        };
        for cell in inner {
            match cell {
                Cell::Open(c) => out.push_str(&format!("#mo[{c}]")),
                Cell::Close(c) => out.push_str(&format!("#mc[{c}]")),
                Cell::Char(c) => out.push_str(&format!("#mz[{}]", escape_typst(c))),
                Cell::Run(r) => out.push_str(&escape_typst(r)),
            }
        }
        out.push(']');
        if let Some(c) = hanging {
            out.push_str(&format!("[{c}]"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_headings_and_emphasis() {
        let typst = markdown_to_typst("## 第一章　总则\n\n**第一条**　本细则*适用*于：\n全市。\n");
        assert_eq!(
            typst,
            "#heading(level: 1)[第一章　总则]\n\n#strong[第一条]　本细则#emph[适用]#mh[#mz[于]][：]全#mh[#mz[市]][。]\n\n"
        );
    }

    #[test]
    fn data_with_typst_syntax_stays_text() {
        let typst =
            markdown_to_typst("王\\#五 \\$x\\$ \\<a\\> \\[b\\] @c \\*d\\* \\_e\\_ // f = g\n");
        assert_eq!(
            typst,
            "王\\#五 \\$x\\$ \\<a\\> \\[b\\] \\@c \\*d\\* \\_e\\_ \\/\\/ f \\= g\n\n"
        );
    }

    #[test]
    fn tables_with_breaks_and_merges() {
        let md = "| 姓名 | 职务 | 工作职责 |\n| --- | --- | --- |\n| 吴安浩 | 局长 | 1. 甲<br>续 |\n|  |  | 2. 乙 |\n";
        let typst = markdown_to_typst(md);
        assert!(
            typst.contains("table.cell(rowspan: 2, colspan: 1)[#place(top + left)"),
            "{typst}"
        );
        assert!(typst.contains("<qd-col-end>]吴安浩],"), "{typst}");
        assert!(typst.contains("[1\\. 甲#linebreak()续]"), "{typst}");
        assert!(typst.contains("<qd-row>]2\\. 乙]"), "{typst}");
    }
}

#[cfg(test)]
mod grid_tests {
    use super::push_grid_text;

    #[test]
    fn a_group_after_a_space_keeps_the_space() {
        let mut out = String::new();
        push_grid_text(&mut out, "不少于 1 次。");
        assert_eq!(out, "不少于 1 #mh(spaced: true)[#mz[次]][。]");
    }
}
