//! The issued document's body: paragraphs numbered by hand (第一章, 第一条, 一、, （一）, 1.)
//! turned into the Markdown structure qingdan numbers itself — `#` chapters or sections, `##`
//! sub-sections, list items by depth — with the numbers taken out, and the way they were
//! printed kept as the manifest's 版式 (括号 半角, 条号后 无, 章号后 无, 不编号章).
//!
//! A number that is not the one qingdan will give (a skipped or repeated number, a level left
//! out) is reported, since the document will come out renumbered. Cross-references in the text
//! (本细则第二章) stay text.

use super::draft::LayoutDraft;
use super::report::Note;
use super::source::{Para, Place};
use crate::markdown::escape_markdown;
use crate::model::numbering::{Ordinal, typed_ordinal};

/// How the body is numbered, as the model's `BodyStyle` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// 第一章 / 第一条 / （一） / 1.
    Articles,
    /// 一、 / （一） / 1. / （1）
    Sections,
}

/// One paragraph, classified.
struct Item<'p> {
    para: &'p Para,
    /// Its typed number, level and text after it.
    label: Option<(Ordinal, u32, String)>,
    /// Text right after the number, without a space (第二十一条被问责的…).
    run_in: bool,
}

/// The body's Markdown and how its numbers were printed.
pub(crate) struct Body {
    pub(crate) markdown: String,
    pub(crate) style: Style,
    pub(crate) layout: LayoutDraft,
}

/// Reads the numbering of `paras` into Markdown (see the module's doc).
pub(crate) fn body(paras: &[Para], notes: &mut Vec<Note>) -> Body {
    let items: Vec<Item<'_>> = paras.iter().map(classify).collect();
    let articles = items
        .iter()
        .any(|i| matches!(i.label, Some((Ordinal::Article | Ordinal::Chapter, _, _))));
    let style = if articles {
        Style::Articles
    } else {
        Style::Sections
    };
    let mut layout = LayoutDraft {
        half_width_brackets: paras
            .iter()
            .any(|p| p.text.trim_start().starts_with('(') && typed_ordinal(&p.text).is_some()),
        ..LayoutDraft::default()
    };
    let mut writer = Writer {
        notes,
        blocks: Vec::new(),
        style,
        heading: 0,
        levels: Vec::new(),
        counts: Vec::new(),
        chapters: 0,
        articles: 0,
        sections: 0,
        subsections: 0,
    };
    let heading_parens = parens_as_headings(&items);
    let run_in_parens = run_in_items(&items, &heading_parens);
    for (i, item) in items.iter().enumerate() {
        match (&item.label, style) {
            (Some((Ordinal::Chapter, n, title)), Style::Articles) => {
                if *n > writer.chapters + 1 {
                    writer.unnumbered_before(*n, &mut layout);
                }
                layout.chapter_run_in |= item.run_in;
                writer.chapter(title, *n, &item.para.place);
            }
            (Some((Ordinal::Article, n, text)), Style::Articles) => {
                layout.article_run_in |= item.run_in;
                writer.articles += 1;
                writer.check(Ordinal::Article, *n, writer.articles, &item.para.place);
                writer.levels = vec![Ordinal::Article];
                writer.counts = vec![writer.articles];
                writer.item(1, text, None);
            }
            (Some((Ordinal::Section, n, title)), Style::Sections) => {
                writer.sections += 1;
                writer.subsections = 0;
                writer.check(Ordinal::Section, *n, writer.sections, &item.para.place);
                writer.heading(1, title);
            }
            (Some((Ordinal::Paren, n, title)), Style::Sections) if heading_parens[i] => {
                writer.subsections += 1;
                writer.check(Ordinal::Paren, *n, writer.subsections, &item.para.place);
                writer.heading(2, title);
            }
            (Some((ordinal, n, text)), _) => {
                let lead = lead_of(item, run_in_parens[i]);
                writer.nested(*ordinal, *n, text, lead, &item.para.place);
            }
            (None, _) => writer.paragraph(item.para),
        }
    }
    Body {
        markdown: writer.blocks.join("\n\n") + "\n",
        style,
        layout,
    }
}

fn classify(para: &Para) -> Item<'_> {
    let text = para.text.trim();
    let Some((ordinal, n, rest)) = typed_ordinal(text) else {
        return Item {
            para,
            label: None,
            run_in: false,
        };
    };
    let label_len = text.len() - text[text.len() - rest.len()..].len();
    let label = text[..label_len].trim_end();
    // 第一条 is followed by a space or not; 1. and （一） never are, in print.
    let run_in = matches!(ordinal, Ordinal::Article | Ordinal::Chapter)
        && label.len() == label_len
        && !rest.is_empty();
    Item {
        para,
        label: Some((ordinal, n, rest.to_owned())),
        run_in,
    }
}

/// Which （一） paragraphs of a 意见 are `##` headings: in a section (一、) where some （一） is
/// followed by 1. items before the next （一）, all of them are.
fn parens_as_headings(items: &[Item<'_>]) -> Vec<bool> {
    let mut heading = vec![false; items.len()];
    let mut start = 0;
    for end in (0..=items.len())
        .filter(|&e| e == items.len() || matches!(items[e].label, Some((Ordinal::Section, _, _))))
    {
        let section = &items[start..end];
        let has_arabic_after_paren = section.iter().enumerate().any(|(k, it)| {
            matches!(it.label, Some((Ordinal::Paren, _, _)))
                && section[k + 1..]
                    .iter()
                    .take_while(|n| !matches!(n.label, Some((Ordinal::Paren, _, _))))
                    .any(|n| matches!(n.label, Some((Ordinal::Arabic, _, _))))
        });
        if has_arabic_after_paren {
            for (k, it) in section.iter().enumerate() {
                heading[start + k] = matches!(it.label, Some((Ordinal::Paren, _, _)));
            }
        }
        start = end;
    }
    heading
}

/// The first sentence of an item's text, when it reads as a run-in lead: short, ending in 。
/// and followed by more text (加强学习，提高认识。镇党委要…).
fn first_sentence(text: &str) -> Option<usize> {
    let end = text.find('。')? + '。'.len_utf8();
    let lead = &text[..end];
    (lead.chars().count() <= 16 && !lead.contains('：') && text.len() > end).then_some(end)
}

/// Which items get a run-in lead guessed from their text (no font told it): （一） items of a
/// 意见 list whose every member (two or more) starts with a short sentence.
fn run_in_items(items: &[Item<'_>], heading_parens: &[bool]) -> Vec<bool> {
    let mut run_in = vec![false; items.len()];
    let mut group: Vec<usize> = Vec::new();
    let close = |group: &mut Vec<usize>, run_in: &mut Vec<bool>| {
        let all = group.len() >= 2
            && group.iter().all(|&i| {
                items[i].para.lead.is_none()
                    && items[i]
                        .label
                        .as_ref()
                        .is_some_and(|(_, _, t)| first_sentence(t).is_some())
            });
        if all {
            for &i in group.iter() {
                run_in[i] = true;
            }
        }
        group.clear();
    };
    for (i, item) in items.iter().enumerate() {
        match item.label {
            Some((Ordinal::Paren, _, _)) if !heading_parens[i] => group.push(i),
            Some((Ordinal::Arabic | Ordinal::ParenArabic, _, _)) => {}
            _ => close(&mut group, &mut run_in),
        }
    }
    close(&mut group, &mut run_in);
    run_in
}

/// The run-in lead of an item's text after its number, from the source's 楷体 or italic
/// (or guessed), with the punctuation right after it taken in (加强学习，提高认识。).
fn lead_of(item: &Item<'_>, guessed: bool) -> Option<usize> {
    let (_, _, text) = item.label.as_ref()?;
    if guessed {
        return first_sentence(text);
    }
    let lead = item.para.lead?;
    let full = item.para.text.trim();
    let label_len = full.len() - text.len();
    let mut end = lead.checked_sub(full.len() - full.trim_start().len() + label_len)?;
    while let Some(c) = text[end..]
        .chars()
        .next()
        .filter(|c| "。，；：！？、".contains(*c))
    {
        end += c.len_utf8();
    }
    (end > 0 && end < text.len()).then_some(end)
}

/// The Markdown being written.
struct Writer<'n> {
    notes: &'n mut Vec<Note>,
    blocks: Vec<String>,
    style: Style,
    /// The heading level the items are under (0: none, 1: `#`, 2: `##`).
    heading: u8,
    /// The open item levels, outermost first, and their counts.
    levels: Vec<Ordinal>,
    counts: Vec<u32>,
    chapters: u32,
    articles: u32,
    sections: u32,
    subsections: u32,
}

impl Writer<'_> {
    fn heading(&mut self, level: u8, title: &str) {
        self.heading = level;
        self.levels.clear();
        self.counts.clear();
        let hashes = "#".repeat(usize::from(level));
        self.blocks.push(format!(
            "{hashes} {}",
            escape_markdown(&spaced_title(title))
        ));
    }

    fn chapter(&mut self, title: &str, n: u32, place: &Place) {
        self.chapters += 1;
        self.check(Ordinal::Chapter, n, self.chapters, place);
        self.heading(1, title);
    }

    /// A chapter number higher than the next: look back for a chapter printed without its
    /// number (总则), a short line on its own since the last chapter.
    fn unnumbered_before(&mut self, n: u32, layout: &mut LayoutDraft) {
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
    fn nested(&mut self, ordinal: Ordinal, n: u32, text: &str, lead: Option<usize>, place: &Place) {
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
    fn check(&mut self, ordinal: Ordinal, typed: u32, own: u32, place: &Place) {
        if typed != own {
            let (t, o) = (ordinal.label(typed), ordinal.label(own));
            self.notes.push(Note::guess(
                Some(place.clone()),
                format!("原文编号“{t}”，按位置将印为“{o}”（编号由 qingdan 生成）"),
                format!("numbered “{t}” in the source; it will print as “{o}” by its place (qingdan numbers)"),
            ));
        }
    }

    fn item(&mut self, depth: usize, text: &str, lead: Option<usize>) {
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
    fn paragraph(&mut self, para: &Para) {
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

#[cfg(test)]
mod tests;
