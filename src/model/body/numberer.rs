//! The one pass over a body's Markdown events: counters per level, the labels defined, and the
//! inline text being collected, with one method per kind of event.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::refused::{html_block_error, image_error, is_img_tag};
use super::{Block, BodyStyle};
use crate::diag::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::model::numbering::{NumberingStyle, Ordinal};

pub(super) struct Pending {
    pub(super) block: Block,
    pub(super) line: usize,
}

/// The state of one pass over a body: counters per level, the labels defined, and the inline
/// text being collected. One method per kind of event.
pub(super) struct Numberer<'a> {
    pub(super) path: &'a Path,
    pub(super) source: &'a str,
    /// The line of each offset of `source`, for messages.
    lines: LineIndex,
    pub(super) style: BodyStyle,
    pub(super) numbering: &'a NumberingStyle,
    pub(super) blocks: Vec<Pending>,
    pub(super) labels: BTreeMap<String, String>,
    /// 第N章 / 一、 and （一） headings seen under the current chapter.
    pub(super) heading_counts: [u32; 2],
    pub(super) heading_depth: usize,
    /// Articles count on across chapters.
    pub(super) article_count: u32,
    /// Items per open list depth.
    pub(super) item_counts: Vec<u32>,
    pub(super) list_depth: usize,
    /// The source range of the inline text being collected.
    pub(super) inline: Option<Range<usize>>,
    pub(super) heading_id: Option<String>,
    /// A list item whose text is being collected: start offset, numbering style, number.
    pub(super) item: Option<(usize, Ordinal, u32)>,
}

impl<'a> Numberer<'a> {
    pub(super) fn new(
        path: &'a Path,
        source: &'a str,
        style: BodyStyle,
        numbering: &'a NumberingStyle,
    ) -> Self {
        Self {
            path,
            source,
            lines: LineIndex::new(source),
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

    pub(super) fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    pub(super) fn take_inline(&mut self) -> String {
        self.inline
            .take()
            .map(|r| join_lines(&self.source[r]))
            .unwrap_or_default()
    }

    pub(super) fn define(&mut self, id: &str, label: &str, line: usize, diags: &mut Diagnostics) {
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

    pub(super) fn event(&mut self, event: Event, range: Range<usize>, diags: &mut Diagnostics) {
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

    pub(super) fn heading(&mut self, start: usize, diags: &mut Diagnostics) {
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

    pub(super) fn start_item(&mut self, start: usize, diags: &mut Diagnostics) {
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

    /// Ends the list item being collected, if any, splitting off `{#label}` and a run-in lead.
    pub(super) fn flush_item(&mut self, diags: &mut Diagnostics) {
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

/// Splits `*lead*rest` into the lead and the rest. Done on the source text because CommonMark's
/// flanking rules do not recognise `*加强学习。*镇党委…` (punctuation before a closing `*`).
pub(super) fn split_run_in(text: &str) -> (Option<String>, String) {
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

pub(super) fn is_inline(event: &Event) -> bool {
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
pub(super) fn join_lines(text: &str) -> String {
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
