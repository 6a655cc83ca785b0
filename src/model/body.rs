//! The issued document's body (实施细则 / 办法 / 实施意见) from the author's Markdown.
//!
//! Authors write structure, not numbers: `#` headings are chapters (细则: 第一章) or sections
//! (意见: 一、), `##` headings are （一） in a 意见, and ordered list items are articles
//! (第一条, numbered continuously across chapters) or （一） / 1. / （1） items by depth. A
//! heading `{#label}` or an item starting with `{#label}` can be referred to as `[第二章](#label)`;
//! the link text is replaced by the current number, so references follow renumbering.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::markdown::parser;
use crate::model::numbering::{NumberingStyle, Ordinal, typed_ordinal};

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

struct Pending {
    block: Block,
    line: usize,
}

/// The state of one pass over a body: counters per level, the labels defined, and the inline
/// text being collected. One method per kind of event.
struct Numberer<'a> {
    path: &'a Path,
    source: &'a str,
    style: BodyStyle,
    numbering: &'a NumberingStyle,
    blocks: Vec<Pending>,
    labels: BTreeMap<String, String>,
    /// 第N章 / 一、 and （一） headings seen under the current chapter.
    heading_counts: [u32; 2],
    heading_depth: usize,
    /// Articles count on across chapters.
    article_count: u32,
    /// Items per open list depth.
    item_counts: Vec<u32>,
    list_depth: usize,
    /// The source range of the inline text being collected.
    inline: Option<Range<usize>>,
    heading_id: Option<String>,
    /// A list item whose text is being collected: start offset, numbering style, number.
    item: Option<(usize, Ordinal, u32)>,
}

impl<'a> Numberer<'a> {
    fn new(
        path: &'a Path,
        source: &'a str,
        style: BodyStyle,
        numbering: &'a NumberingStyle,
    ) -> Self {
        Self {
            path,
            source,
            style,
            numbering,
            blocks: Vec::new(),
            labels: BTreeMap::new(),
            heading_counts: [0; 2],
            heading_depth: 0,
            article_count: 0,
            item_counts: Vec::new(),
            list_depth: 0,
            inline: None,
            heading_id: None,
            item: None,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.source[..offset].matches('\n').count() + 1
    }

    fn take_inline(&mut self) -> String {
        self.inline
            .take()
            .map(|r| join_lines(&self.source[r]))
            .unwrap_or_default()
    }

    fn define(&mut self, id: &str, label: &str, line: usize, diags: &mut Diagnostics) {
        let reference = label.trim_end_matches(['、', '.']).to_owned();
        if self.labels.insert(id.to_owned(), reference).is_some() {
            diags.push(Diagnostic::error(
                self.path,
                Location::Line(line),
                format!("标签“{id}”重复定义"),
                format!("label “{id}” is defined twice"),
            ));
        }
    }

    fn event(&mut self, event: Event, range: Range<usize>, diags: &mut Diagnostics) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading_id = id.map(|s| s.to_string());
                self.heading_depth = (level as usize).min(2);
                self.inline = None;
            }
            Event::End(TagEnd::Heading(_)) => self.heading(range.start, diags),
            Event::Start(Tag::List(_)) => {
                self.flush_item(diags);
                self.list_depth += 1;
                if self.item_counts.len() < self.list_depth {
                    self.item_counts.resize(self.list_depth, 0);
                }
            }
            Event::End(TagEnd::List(_)) => {
                self.flush_item(diags);
                self.list_depth -= 1;
            }
            Event::Start(Tag::Item) => self.start_item(range.start, diags),
            Event::End(TagEnd::Item) => self.flush_item(diags),
            Event::Start(Tag::Paragraph) => self.inline = None,
            Event::End(TagEnd::Paragraph) => {
                if self.item.is_some() {
                    self.flush_item(diags);
                } else if let Some(r) = self.inline.clone() {
                    self.pasted_lines(diags);
                    let text = self.take_inline();
                    self.misplaced_label(&text, self.line_of(r.start), diags);
                    self.blocks.push(Pending {
                        block: Block::Paragraph { text },
                        line: self.line_of(r.start),
                    });
                }
            }
            Event::Start(Tag::Table(_) | Tag::CodeBlock(_) | Tag::BlockQuote(_)) => {
                diags.push(Diagnostic::error(
                    self.path,
                    Location::Line(self.line_of(range.start)),
                    "正文中不支持表格、代码块或引用块；表格请作为附件",
                    "tables, code blocks and block quotes are not supported in the body; put tables in an attachment",
                ));
            }
            Event::Start(Tag::Image { .. }) => {
                let line = Location::Line(self.line_of(range.start));
                diags.push(image_error(self.path, line, &self.source[range]));
            }
            Event::InlineHtml(ref html) if is_img_tag(html) => {
                let line = Location::Line(self.line_of(range.start));
                diags.push(image_error(self.path, line, html.trim()));
            }
            // An HTML block runs to the next blank line, taking the headings and items in it
            // along: it would vanish from the numbered body without a word.
            Event::Start(Tag::HtmlBlock) => {
                let line = Location::Line(self.line_of(range.start));
                let html = &self.source[range];
                diags.push(if is_img_tag(html) {
                    image_error(self.path, line, html.trim())
                } else {
                    html_block_error(self.path, line, html)
                });
            }
            _ if is_inline(&event) => {
                self.inline = Some(match self.inline.take() {
                    Some(r) => r.start..range.end.max(r.end),
                    None => range,
                });
            }
            _ => {}
        }
    }

    fn heading(&mut self, start: usize, diags: &mut Diagnostics) {
        let title = self.take_inline();
        let line = self.line_of(start);
        let depth = self.heading_depth.max(1);
        self.heading_counts[depth - 1] += 1;
        if depth == 1 {
            self.heading_counts[1] = 0;
        }
        self.item_counts.clear();
        let ordinal = match (self.style, depth) {
            (BodyStyle::Articles, 1) => Ordinal::Chapter,
            (BodyStyle::Articles, _) => {
                diags.push(Diagnostic::error(
                    self.path,
                    Location::Line(line),
                    "细则只支持一级标题（# 章），不支持二级标题",
                    "rules support only level-1 headings (# chapter)",
                ));
                Ordinal::Chapter
            }
            (BodyStyle::Sections, 1) => Ordinal::Section,
            (BodyStyle::Sections, _) => Ordinal::Paren,
        };
        let number = self.heading_counts[depth - 1];
        let mut label = ordinal.label_in(number, self.numbering);
        if let Some(id) = self.heading_id.take() {
            self.define(&id, &label, line, diags);
        }
        let title = self.typed_number(title, ordinal, number, line, diags);
        // An unnumbered chapter (总则) still counts: the next one is 第二章.
        if ordinal == Ordinal::Chapter
            && self
                .numbering
                .unnumbered_chapters
                .iter()
                .any(|t| t.trim() == title.trim())
        {
            label = String::new();
        }
        self.blocks.push(Pending {
            block: Block::Heading {
                level: depth as u8,
                label,
                title,
            },
            line,
        });
    }

    fn start_item(&mut self, start: usize, diags: &mut Diagnostics) {
        self.flush_item(diags);
        let depth = self.list_depth.max(1);
        if self.item_counts.len() < depth {
            self.item_counts.resize(depth, 0);
        }
        self.item_counts[depth - 1] += 1;
        self.item_counts.truncate(depth);
        let first = match self.style {
            BodyStyle::Articles => Ordinal::Article,
            BodyStyle::Sections if self.heading_depth >= 2 => Ordinal::Arabic,
            BodyStyle::Sections => Ordinal::Paren,
        };
        let ordinal = (1..depth).fold(first, |o, _| o.below());
        let number = if ordinal == Ordinal::Article && depth == 1 {
            self.article_count += 1;
            self.article_count
        } else {
            self.item_counts[depth - 1]
        };
        self.item = Some((start, ordinal, number));
        self.inline = None;
    }

    /// A number the author typed in front of a heading or item: the one qingdan gives it is
    /// recognised and dropped (it would print twice: 第一条　第一条); another number of the same
    /// level, or a number of another level, is reported with the fix, never printed doubled.
    fn typed_number(
        &self,
        text: String,
        ordinal: Ordinal,
        number: u32,
        line: usize,
        diags: &mut Diagnostics,
    ) -> String {
        let Some((typed, n, rest)) = typed_ordinal(&text) else {
            return text;
        };
        let typed_label = text.trim_start()[..text.trim_start().len() - rest.len()].trim_end();
        let own = ordinal.label_in(number, self.numbering);
        if typed == ordinal && n == number {
            return rest.to_owned();
        }
        let (zh, en) = if typed == ordinal {
            (
                format!(
                    "这里手写了编号“{typed_label}”，按位置这里是“{own}”；编号由 qingdan 自动生成"
                ),
                format!(
                    "the number “{typed_label}” is typed here, but by its place this is “{own}”; qingdan numbers automatically"
                ),
            )
        } else {
            (
                format!("这里手写了另一层级的编号“{typed_label}”，而此处自动编号为“{own}”"),
                format!(
                    "the number “{typed_label}” of another level is typed here, where the automatic number is “{own}”"
                ),
            )
        };
        diags.push(
            Diagnostic::error(self.path, Location::Line(line), zh, en).with_hint(
                "删去手写的编号；下一级的条目请缩进（行首空三格再写“1.”）",
                "remove the typed number; indent items of the next level (three spaces, then “1.”)",
            ),
        );
        text
    }

    /// Lines inside the paragraph or item being collected that start with a number
    /// (`（三）…`): Markdown joins them to the text above, so an item the author meant to start
    /// would silently merge into the previous one.
    fn pasted_lines(&self, diags: &mut Diagnostics) {
        let Some(range) = self.inline.clone() else {
            return;
        };
        let first = self.line_of(range.start);
        for (i, line) in self.source[range].lines().enumerate().skip(1) {
            if let Some((_, _, rest)) = typed_ordinal(line) {
                let typed = line.trim_start();
                let typed = typed[..typed.len() - rest.len()].trim_end();
                diags.push(
                    Diagnostic::error(
                        self.path,
                        Location::Line(first + i),
                        format!("这一行以编号“{typed}”开头，但会并入上一段（或上一条）的文字中"),
                        format!(
                            "this line starts with the number “{typed}” but would be joined to the paragraph or item above"
                        ),
                    )
                    .with_hint(
                        "要另起一条，就写成列表项：行首写“1. ”（下一级再缩进三格），并删去手写的编号",
                        "to start a new item, write it as a list item: “1. ” at the line start (indented three spaces for the next level), without the typed number",
                    ),
                );
            }
        }
    }

    /// A `{#label}` anywhere but at the start of an item (or the end of a heading) is not a
    /// label: it would print as text, and a reference to it would fail far from the cause.
    fn misplaced_label(&self, text: &str, line: usize, diags: &mut Diagnostics) {
        let Some(start) = text.find("{#") else {
            return;
        };
        let Some(end) = text[start..].find('}') else {
            return;
        };
        let label = &text[start..start + end + 1];
        diags.push(
            Diagnostic::error(
                self.path,
                Location::Line(line),
                format!("标签“{label}”放的位置不对，不会被识别"),
                format!("the label “{label}” is in a place where it is not recognised"),
            )
            .with_hint(
                "标签只能写在列表项的开头（1. {#标签} 内容）或标题的末尾（# 职责 {#标签}）",
                "a label goes at the start of a list item (1. {#label} text) or the end of a heading (# 职责 {#label})",
            ),
        );
    }

    /// Ends the list item being collected, if any, splitting off `{#label}` and a run-in lead.
    fn flush_item(&mut self, diags: &mut Diagnostics) {
        let Some((start, ordinal, number)) = self.item.take() else {
            return;
        };
        let label = ordinal.label_in(number, self.numbering);
        let line = self.line_of(start);
        self.pasted_lines(diags);
        let mut text = self.take_inline();
        if let Some(rest) = text.strip_prefix("{#")
            && let Some(end) = rest.find('}')
        {
            let id = rest[..end].to_owned();
            self.define(&id, &label, line, diags);
            text = rest[end + 1..].trim_start().to_owned();
        }
        let text = self.typed_number(text, ordinal, number, line, diags);
        self.misplaced_label(&text, line, diags);
        let (run_in, text) = split_run_in(&text);
        let ordinal = match ordinal {
            Ordinal::Article => "article",
            Ordinal::Paren => "paren",
            Ordinal::Arabic => "arabic",
            _ => "parenarabic",
        };
        self.blocks.push(Pending {
            block: Block::Item {
                ordinal,
                label,
                run_in,
                text,
            },
            line,
        });
    }
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

/// Images in a body are refused: a 公文 body is text, the PDF layout has no place for a figure,
/// and the Markdown an image becomes would not match the PDF (the text after it was lost).
fn image_error(path: &Path, location: Location, image: &str) -> Diagnostic {
    let image: String = image.chars().take(60).collect();
    Diagnostic::error(
        path,
        location,
        format!("正文中不能插入图片：{image}"),
        format!("images are not supported in a body: {image}"),
    )
    .with_hint(
        "删去图片，把图中的内容写成文字",
        "remove the image and say in words what it shows",
    )
}

fn html_block_error(path: &Path, location: Location, html: &str) -> Diagnostic {
    let first: String = html
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(60)
        .collect();
    Diagnostic::error(
        path,
        location,
        format!("正文中不支持 HTML 块：{first}"),
        format!("HTML blocks are not supported in a body: {first}"),
    )
    .with_hint(
        "删去 HTML 标记，写成普通文字（换行可用行末的 <br>）",
        "remove the HTML tags and write plain text (<br> at a line's end breaks the line)",
    )
}

/// Whether raw HTML is an `<img>` tag.
fn is_img_tag(html: &str) -> bool {
    let lower = html.trim_start().to_lowercase();
    lower
        .strip_prefix("<img")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
}

/// Reports every image in `source`, a Markdown text that is not numbered (the notice's 正文):
/// at its line in the file `path`, or, for a text written in the manifest, at its `key`.
pub fn refuse_images(path: &Path, source: &str, key: Option<&str>, diags: &mut Diagnostics) {
    let location = |offset: usize| match key {
        Some(key) => Location::Key(key.to_owned()),
        None => Location::Line(source[..offset].matches('\n').count() + 1),
    };
    for (event, range) in parser(source).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => {
                diags.push(image_error(path, location(range.start), &source[range]));
            }
            Event::Html(html) | Event::InlineHtml(html) if is_img_tag(&html) => {
                diags.push(image_error(path, location(range.start), html.trim()));
            }
            _ => {}
        }
    }
}

/// Splits `*lead*rest` into the lead and the rest. Done on the source text because CommonMark's
/// flanking rules do not recognise `*加强学习。*镇党委…` (punctuation before a closing `*`).
fn split_run_in(text: &str) -> (Option<String>, String) {
    for marker in ["**", "*", "__", "_"] {
        if let Some(rest) = text.strip_prefix(marker)
            && let Some(end) = rest.find(marker)
            && end > 0
        {
            return (
                Some(rest[..end].to_owned()),
                rest[end + marker.len()..].to_owned(),
            );
        }
    }
    (None, text.to_owned())
}

fn is_inline(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

/// Joins the source lines of one paragraph. Chinese wraps without spaces, so lines are joined
/// directly, except between two Latin letters or digits, which keep one space.
fn join_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let needs_space = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && line.starts_with(|c: char| c.is_ascii_alphanumeric());
        if needs_space {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Replaces `[…](#label)` links by the label's current number.
fn resolve_references(
    path: &Path,
    blocks: Vec<Pending>,
    labels: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Vec<Block> {
    let mut resolve = |text: &str, line: usize| -> String {
        let mut out = String::new();
        let mut last = 0;
        for (event, range) in parser(text).into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let Some(id) = dest_url.strip_prefix('#') else {
                continue;
            };
            out.push_str(&text[last..range.start]);
            last = range.end;
            match labels.get(id) {
                Some(number) => out.push_str(number),
                None => {
                    let mut d = Diagnostic::error(
                        path,
                        Location::Line(line),
                        format!("引用的标签“{id}”不存在"),
                        format!("reference to an unknown label “{id}”"),
                    );
                    if let Some(guess) = crate::diag::closest(id, labels.keys().map(String::as_str))
                    {
                        d = d.with_hint(
                            format!("是否应为“{guess}”？"),
                            format!("did you mean “{guess}”?"),
                        );
                    }
                    diags.push(d);
                    out.push_str(&text[range]);
                }
            }
        }
        out.push_str(&text[last..]);
        out
    };
    blocks
        .into_iter()
        .map(|Pending { block, line }| match block {
            Block::Paragraph { text } => Block::Paragraph {
                text: resolve(&text, line),
            },
            Block::Item {
                ordinal,
                label,
                run_in,
                text,
            } => Block::Item {
                ordinal,
                label,
                run_in: run_in.map(|r| resolve(&r, line)),
                text: resolve(&text, line),
            },
            heading => heading,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(source: &str, style: BodyStyle) -> (Vec<Block>, Diagnostics) {
        let mut diags = Diagnostics::new();
        (
            build_body(
                Path::new("正文.md"),
                source,
                style,
                &NumberingStyle::default(),
                &mut diags,
            ),
            diags,
        )
    }

    fn labels(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { label, .. } | Block::Item { label, .. } => Some(label.clone()),
                Block::Paragraph { .. } => None,
            })
            .collect()
    }

    /// The text of every heading and item.
    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { title, .. } => Some(title.clone()),
                Block::Item { text, .. } => Some(text.clone()),
                Block::Paragraph { .. } => None,
            })
            .collect()
    }

    #[test]
    fn pasted_numbers_are_used_when_right_and_reported_when_not() {
        // Recognised and used: the typed number is the one qingdan gives.
        for (source, style, text) in [
            ("# 第一章 总则\n\n1. 甲\n", BodyStyle::Articles, "总则"),
            ("# 第一章　总则\n\n1. 甲\n", BodyStyle::Articles, "总则"),
            (
                "1. 第一条 本细则适用于全市。\n",
                BodyStyle::Articles,
                "本细则适用于全市。",
            ),
            ("# 一、总体要求\n\n1. 甲\n", BodyStyle::Sections, "总体要求"),
            (
                "# 要求\n\n1. （一）加强学习。\n",
                BodyStyle::Sections,
                "加强学习。",
            ),
        ] {
            let (blocks, diags) = build(source, style);
            assert!(diags.is_empty(), "{source}: {diags}");
            assert!(
                texts(&blocks).contains(&text.to_owned()),
                "{source}: {:?}",
                texts(&blocks)
            );
        }
        // Reported with the line: never printed doubled (第一条　第二条), never merged.
        for (source, style, line, said) in [
            (
                "# 第三章 总则\n\n1. 甲\n",
                BodyStyle::Articles,
                1,
                "“第三章”",
            ),
            (
                "# 总则\n\n1. 甲\n1. 第二十条 乙\n",
                BodyStyle::Articles,
                4,
                "“第二十条”",
            ),
            ("1. (一)内容\n", BodyStyle::Articles, 1, "另一层级"),
            (
                "1. 甲：\n   1. 子一\n   （三）子三\n",
                BodyStyle::Articles,
                3,
                "“（三）”",
            ),
            (
                "前言一行，\n第三条 这一行是条文。\n",
                BodyStyle::Articles,
                2,
                "“第三条”",
            ),
            ("1. 甲 {#甲} 乙\n", BodyStyle::Articles, 1, "{#甲}"),
        ] {
            let (_, diags) = build(source, style);
            let text = diags.to_string();
            assert!(diags.has_errors(), "{source}: no error");
            assert!(
                text.contains(&format!("正文.md:{line}")),
                "{source}: line {line}\n{text}"
            );
            assert!(text.contains(said), "{source}: {said}\n{text}");
        }
    }

    #[test]
    fn articles_number_continuously_across_chapters() {
        let source = "# 总则\n\n前言。\n\n1. 甲\n1. 乙\n\n# 职责\n\n1. 丙：\n   1. 子一\n   1. 子二\n      1. 孙\n1. 丁\n   1. 子\n";
        let (blocks, diags) = build(source, BodyStyle::Articles);
        assert!(diags.is_empty(), "{diags}");
        assert_eq!(
            labels(&blocks),
            [
                "第一章",
                "第一条",
                "第二条",
                "第二章",
                "第三条",
                "（一）",
                "（二）",
                "1.",
                "第四条",
                "（一）"
            ]
        );
        assert_eq!(
            blocks[1],
            Block::Paragraph {
                text: "前言。".into()
            }
        );
    }

    #[test]
    fn sections_number_by_heading_depth() {
        let source = "导语。\n\n# 目标\n\n段落。\n\n# 责任\n\n## 书记职责：\n\n1. 甲\n2. 乙\n\n## 镇长职责：\n\n1. 丙\n\n# 要求\n\n1. *加强学习，提高认识。*镇党委要……\n1. 乙\n";
        let (blocks, diags) = build(source, BodyStyle::Sections);
        assert!(diags.is_empty(), "{diags}");
        assert_eq!(
            labels(&blocks),
            [
                "一、",
                "二、",
                "（一）",
                "1.",
                "2.",
                "（二）",
                "1.",
                "三、",
                "（一）",
                "（二）"
            ]
        );
        let Block::Item { run_in, text, .. } = &blocks[blocks.len() - 2] else {
            panic!()
        };
        assert_eq!(run_in.as_deref(), Some("加强学习，提高认识。"));
        assert_eq!(text, "镇党委要……");
    }

    #[test]
    fn references_follow_renumbering() {
        let source = "# 总则\n\n1. 见[第九章](#职责)和[第九条](#追责)。\n\n# 新增一章\n\n1. 新条\n\n# 职责 {#职责}\n\n1. {#追责} 追责条款\n";
        let (blocks, diags) = build(source, BodyStyle::Articles);
        assert!(diags.is_empty(), "{diags}");
        let Block::Item { text, .. } = &blocks[1] else {
            panic!()
        };
        assert_eq!(text, "见第三章和第三条。");
        let Block::Item { text, .. } = blocks.last().unwrap() else {
            panic!()
        };
        assert_eq!(text, "追责条款");
    }

    #[test]
    fn an_unknown_reference_names_its_line() {
        let (_, diags) = build(
            "# 总则 {#zongze}\n\n1. 见[第一章](#zongz)。\n",
            BodyStyle::Articles,
        );
        let text = diags.to_string();
        assert!(
            text.contains("（第3行 / line 3）") && text.contains("“zongz”不存在"),
            "{text}"
        );
        assert!(text.contains("did you mean “zongze”?"), "{text}");
    }

    #[test]
    fn wrapped_lines_join_without_spaces_in_chinese() {
        assert_eq!(
            join_lines("第一行\n  第二行 GB/T\n9704"),
            "第一行第二行 GB/T 9704"
        );
    }
}
