//! The issued document's body (实施细则 / 办法 / 实施意见) from the author's Markdown.
//!
//! Authors write structure, not numbers: `#` headings are chapters (细则: 第一章) or sections
//! (意见: 一、), `##` headings are （一） in a 意见, and ordered list items are articles
//! (第一条, numbered continuously across chapters) or （一） / 1. / （1） items by depth. A
//! heading `{#label}` or an item starting with `{#label}` can be referred to as `[第二章](#label)`;
//! the link text is replaced by the current number, so references follow renumbering.
//!
//! `numberer` is the one pass over the Markdown events that numbers headings and items;
//! `typed` recognises numbers and labels the author typed where they do not belong, `refused`
//! what a body may not hold (images, HTML), and `references` resolves the links at the end.

mod numberer;
mod references;
mod refused;
#[cfg(test)]
mod tests;
mod typed;

use std::path::Path;

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::markdown::parser;
use crate::model::numbering::NumberingStyle;
use numberer::Numberer;
use references::resolve_references;

pub use refused::refuse_images;

/// How a body is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyStyle {
    /// 第一章 / 第一条 / （一） / 1.
    Articles,
    /// 一、 / （一） / 1. / （1）
    Sections,
}

impl BodyStyle {
    /// Every 类型 a main document may have, as users write them, with its numbering.
    pub const KINDS: &[(&str, BodyStyle)] = &[
        ("细则", BodyStyle::Articles),
        ("实施细则", BodyStyle::Articles),
        ("办法", BodyStyle::Articles),
        ("实施办法", BodyStyle::Articles),
        ("规定", BodyStyle::Articles),
        ("制度", BodyStyle::Articles),
        ("意见", BodyStyle::Sections),
        ("实施意见", BodyStyle::Sections),
        ("方案", BodyStyle::Sections),
        ("实施方案", BodyStyle::Sections),
    ];

    /// Reads the 类型 a user wrote: one of [`Self::KINDS`], or an English alias (rules,
    /// articles, opinion, sections).
    pub fn from_kind(kind: &str) -> Option<Self> {
        let kind = kind.trim();
        match kind {
            "rules" | "articles" => Some(BodyStyle::Articles),
            "opinion" | "sections" => Some(BodyStyle::Sections),
            _ => Self::KINDS
                .iter()
                .find(|(name, _)| *name == kind)
                .map(|(_, style)| *style),
        }
    }
}

/// One block of a numbered body, ready for a template. Texts are Markdown written by the author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Heading {
        /// 1 for 第一章 / 一、, 2 for （一）.
        level: u8,
        label: String,
        title: String,
    },
    Paragraph {
        text: String,
    },
    Item {
        /// article, paren, arabic or parenarabic.
        ordinal: &'static str,
        label: String,
        /// A lead sentence set in its own face ("加强学习，提高认识。"), from `*…*` at the start.
        run_in: Option<String>,
        text: String,
    },
}

/// Parses and numbers a body, resolving cross-references; problems go to `diags`.
pub fn build_body(
    path: &Path,
    source: &str,
    style: BodyStyle,
    numbering: &NumberingStyle,
    diags: &mut Diagnostics,
) -> Vec<Block> {
    let mut numberer = Numberer::new(path, source, style, numbering);
    for (event, range) in parser(source).into_offset_iter() {
        numberer.event(event, range, diags);
    }
    numberer.flush_item(diags);
    resolve_references(path, numberer.blocks, &numberer.labels, diags)
}
