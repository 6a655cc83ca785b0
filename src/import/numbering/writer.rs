//! The body's Markdown as it is written: headings, items at their depth (paragraphs inside an
//! open list indented into it), the typed numbers checked against the ones qingdan will print.

use super::Style;
use crate::import::draft::LayoutDraft;
use crate::import::report::Note;
use crate::import::source::{Para, Place};
use crate::markdown::escape_markdown;
use crate::model::numbering::Ordinal;

/// The Markdown being written.
pub(super) struct Writer<'n> {
    pub(super) notes: &'n mut Vec<Note>,
    pub(super) blocks: Vec<String>,
    pub(super) style: Style,
    /// The heading level the items are under (0: none, 1: `#`, 2: `##`).
    pub(super) heading: u8,
    /// The open item levels, outermost first, and their counts.
    pub(super) levels: Vec<Ordinal>,
    pub(super) counts: Vec<u32>,
    pub(super) chapters: u32,
    pub(super) articles: u32,
    pub(super) sections: u32,
    pub(super) subsections: u32,
}

impl Writer<'_> {
    pub(super) fn heading(&mut self, level: u8, title: &str) {
        self.heading = level;
        self.levels.clear();
        self.counts.clear();
        let hashes = "#".repeat(usize::from(level));
        self.blocks.push(format!(
            "{hashes} {}",
            escape_markdown(&spaced_title(title))
        ));
    }

    pub(super) fn chapter(&mut self, title: &str, n: u32, place: &Place) {
        self.chapters += 1;
        self.check(Ordinal::Chapter, n, self.chapters, place);
        self.heading(1, title);
    }

    /// A chapter number higher than the next: look back for a chapter printed without its
    /// number (总则), a short line on its own since the last chapter.
    pub(super) fn unnumbered_before(&mut self, n: u32, layout: &mut LayoutDraft) {
        let Some(index) = self.blocks.iter().rposition(|b| {
            !b.starts_with('#')
                && !b.starts_with(' ')
                && !b.starts_with("1. ")
                && !b.contains(['，', '。', '；', '：'])
                && b.chars().count() <= 12
        }) else {
            return;
        };
        if self.blocks[index + 1..].iter().any(|b| b.starts_with("# ")) {
            return;
        }
        let title = self.blocks[index].clone();
        self.blocks[index] = format!("# {title}");
        self.chapters += 1;
        layout.unnumbered_chapters.push(title.clone());
        self.notes.push(Note::guess(
            None,
            format!("“{title}”读作不编号的一章（其后是第{}章），记入版式的“不编号章”", crate::model::numbering::chinese_numeral(n)),
            format!("“{title}” read as a chapter printed without its number (the next is chapter {n}); listed under 不编号章 in 版式"),
        ));
    }

    /// An item at the level its ordinal has under the current heading.
    pub(super) fn nested(
        &mut self,
        ordinal: Ordinal,
        n: u32,
        text: &str,
        lead: Option<usize>,
        place: &Place,
    ) {
        let order: &[Ordinal] = match (self.style, self.heading) {
            (Style::Articles, _) => &[
                Ordinal::Article,
                Ordinal::Paren,
                Ordinal::Arabic,
                Ordinal::ParenArabic,
            ],
            (Style::Sections, 2) => &[Ordinal::Arabic, Ordinal::ParenArabic],
            (Style::Sections, _) => &[Ordinal::Paren, Ordinal::Arabic, Ordinal::ParenArabic],
        };
        // The deepest open level this ordinal can follow.
        let wanted = order.iter().position(|o| *o == ordinal);
        let depth = match wanted {
            Some(w) => (w + 1).min(self.levels.len() + 1),
            None => self.levels.len() + 1,
        }
        .max(1);
        let (depth, count) = match self.levels.iter().position(|o| *o == ordinal) {
            Some(open) => {
                self.levels.truncate(open + 1);
                self.counts.truncate(open + 1);
                self.counts[open] += 1;
                (open + 1, self.counts[open])
            }
            None => {
                self.levels.truncate(depth - 1);
                self.counts.truncate(depth - 1);
                self.levels.push(ordinal);
                self.counts.push(1);
                (depth, 1)
            }
        };
        let expected = order.get(depth - 1).copied().unwrap_or(ordinal);
        if expected != ordinal || wanted.is_none() {
            let own = expected.label(count);
            self.notes.push(Note::guess(
                Some(place.clone()),
                format!("这一级的编号将印为“{own}”（原文为另一种编号），请核对"),
                format!("this level will be numbered “{own}” (the source numbers it otherwise); check it"),
            ));
        } else {
            self.check(ordinal, n, count, place);
        }
        self.item(depth, text, lead);
    }

    /// A number that is not the one qingdan will print there.
    pub(super) fn check(&mut self, ordinal: Ordinal, typed: u32, own: u32, place: &Place) {
        if typed != own {
            let (t, o) = (ordinal.label(typed), ordinal.label(own));
            self.notes.push(Note::guess(
                Some(place.clone()),
                format!("原文编号“{t}”，按位置将印为“{o}”（编号由 qingdan 生成）"),
                format!("numbered “{t}” in the source; it will print as “{o}” by its place (qingdan numbers)"),
            ));
        }
    }

    pub(super) fn item(&mut self, depth: usize, text: &str, lead: Option<usize>) {
        let indent = "   ".repeat(depth - 1);
        let text = text.trim();
        let body = match lead {
            Some(end) => format!(
                "*{}*{}",
                escape_markdown(&text[..end]),
                escape_markdown(&text[end..])
            ),
            None => escape_markdown(text),
        };
        self.blocks.push(format!("{indent}1. {body}"));
    }

    /// A paragraph without a number. Inside a list it is written as part of the item above
    /// (indented), which prints the same and keeps the list open for the items after it.
    pub(super) fn paragraph(&mut self, para: &Para) {
        let indent = "   ".repeat(self.levels.len());
        self.blocks
            .push(format!("{indent}{}", escape_markdown(para.text.trim())));
    }
}

/// A short title spaced with ASCII spaces between Chinese characters (职 责) as print spaces it
/// (职　责).
fn spaced_title(title: &str) -> String {
    let chars: Vec<char> = title.trim().chars().collect();
    let cjk = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && chars.get(i + 1).is_some_and(|n| cjk(*n)) && cjk(chars[i - 1]) {
            out.push('\u{3000}');
        } else {
            out.push(c);
        }
    }
    out
}
