//! The blocks of a body in the document tree: paragraphs, headings (with their level and whether
//! they are chapter headings, and how those are set), block quotes, tables and rules.

use serde::Serialize;

use super::inline::Inline;
use super::table::Table;

/// A chapter heading (第一章) of a 细则 / 办法: centred on whole grid lines, in the size the
/// project asks for (版式: 章标题字号).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Chapter {
    /// Its size in pt, when other than the body's 3号.
    pub size: Option<f64>,
    /// The grid lines it takes: two for a heading larger than 小二 (18 pt), else one.
    pub lines: u8,
}

impl Chapter {
    /// The chapter heading of a project whose 章标题字号 is `size`.
    pub(crate) fn sized(size: Option<f64>) -> Self {
        let lines = if size.is_some_and(|s| s > crate::gbt9704::XIAO_ER_SIZE) {
            2
        } else {
            1
        };
        Self { size, lines }
    }
}

/// A heading of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 (一、 or 第一章), 2 (（一）) or 3 (1.).
    pub level: u8,
    /// A chapter heading (level 1 of a 细则 / 办法): set as its part's
    /// [`super::Part::chapter`] says.
    pub chapter: bool,
    /// Its text, with the number.
    pub inlines: Vec<Inline>,
}

/// A block of a body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph; a list item is one, its marker (1. or •) its first text.
    Paragraph(Vec<Inline>),
    /// A heading.
    Heading(Heading),
    /// A block quote, indented.
    Quote(Vec<Block>),
    /// A table.
    Table(Table),
    /// A horizontal rule.
    Rule,
}
