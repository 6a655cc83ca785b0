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
use super::source::Para;
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

#[cfg(test)]
mod tests;
mod writer;

use writer::Writer;
