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

use crate::document::{Block, Inline};
use escape::escape_typst;

/// Converts Markdown to Typst markup, read on its own (tables balanced for a portrait page).
pub fn markdown_to_typst(markdown: &str) -> String {
    blocks_markup(&crate::document::blocks(markdown))
}

/// The markup of `blocks`.
pub(crate) fn blocks_markup(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        push_block(&mut out, block);
    }
    out
}

fn push_block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(inlines) => {
            push_inlines(out, inlines);
            out.push_str("\n\n");
        }
        Block::Heading(heading) => {
            out.push_str(&format!("#heading(level: {})[", heading.level));
            push_inlines(out, &heading.inlines);
            out.push_str("]\n\n");
        }
        Block::Quote(blocks) => {
            out.push_str("#pad(left: 2em)[");
            for block in blocks {
                push_block(out, block);
            }
            out.push_str("]\n\n");
        }
        Block::Table(t) => out.push_str(&table::to_typst(t)),
        Block::Rule => out.push_str("#line(length: 100%)\n\n"),
    }
}

/// Writes `inlines` as markup: text escaped, spans as the functions the layout styles.
pub(crate) fn push_inlines(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        let (function, children) = match inline {
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
        push_inlines(out, children);
        out.push(']');
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
            "#heading(level: 1)[第一章　总则]\n\n#strong[第一条]　本细则#emph[适用]于：全市。\n\n"
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
