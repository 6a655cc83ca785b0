//! A part's body, as the document tree holds it, → Word paragraphs and tables.
//!
//! Headings keep their numbers as text, exactly as in the Markdown (一、 （一） 1.), and take
//! the heading styles: level 1 黑体, level 2 楷体, level 3 仿宋; a chapter heading (第一章 of a
//! 细则) is centred, in the size and on the grid lines the tree decided ([`Chapter`]). The text
//! is set in runs ([`super::runs`]). A block quote is indented two characters a level.

use docx_rs::{AlignmentType, Paragraph, SpecialIndentType};

use super::page::Metrics;
use super::runs::{RunStyle, Runs, half_points};
use super::{Block as DocxBlock, DocxFonts};
use crate::document::{Block, Chapter, Document, Heading, Part};

/// The blocks of `part`'s body; `width` is its type area's width in twips.
pub(crate) fn part_body(
    document: &Document,
    part: &Part,
    fonts: &DocxFonts,
    metrics: &Metrics,
    width: i32,
) -> Vec<DocxBlock> {
    let writer = Writer {
        runs: Runs::new(document, part, fonts),
        metrics,
        width,
    };
    let mut out = Vec::new();
    writer.blocks(&part.blocks, 0, &mut out);
    out
}

struct Writer<'a> {
    runs: Runs<'a>,
    metrics: &'a Metrics,
    width: i32,
}

impl Writer<'_> {
    fn blocks(&self, blocks: &[Block], quote: usize, out: &mut Vec<DocxBlock>) {
        for block in blocks {
            let (p, runs) = match block {
                Block::Paragraph(inlines) => (self.paragraph(None, quote), self.runs.of(inlines)),
                Block::Heading(heading) => {
                    let mut runs = Vec::new();
                    let style = RunStyle::heading(heading);
                    self.runs.push(&heading.inlines, style, &mut runs);
                    (self.paragraph(Some(heading), quote), runs)
                }
                Block::Quote(blocks) => {
                    self.blocks(blocks, quote + 1, out);
                    continue;
                }
                Block::Table(table) => {
                    let table = super::table::build(table, &self.runs, self.width);
                    out.push(DocxBlock::Table(Box::new(table)));
                    continue;
                }
                Block::Rule => (super::furniture::rule(4, "000000"), Vec::new()),
            };
            let p = runs.into_iter().fold(p, Paragraph::add_run);
            out.push(DocxBlock::Paragraph(Box::new(p)));
        }
    }

    /// An empty paragraph: a heading's style (a chapter heading centred, in its size on whole
    /// grid lines), indented `quote` levels.
    fn paragraph(&self, heading: Option<&Heading>, quote: usize) -> Paragraph {
        let mut p = Paragraph::new();
        if let Some(heading) = heading {
            p = p
                .style(&format!("Heading{}", heading.level))
                .keep_next(true);
            if heading.chapter {
                p = p.align(AlignmentType::Center).indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(0)),
                    None,
                    None,
                );
                if let Some(Chapter {
                    size: Some(size),
                    lines,
                }) = self.runs.chapter
                {
                    p = p
                        .size(half_points(size))
                        .line_spacing(super::page::exact(i32::from(lines) * self.metrics.pitch));
                }
            }
        }
        if quote > 0 {
            let left = self.metrics.chars(2.0 * quote as f64);
            p = p.indent(
                Some(left),
                Some(SpecialIndentType::FirstLine(self.metrics.chars(2.0))),
                None,
                None,
            );
        }
        p
    }
}
