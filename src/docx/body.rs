//! A part's body Markdown → Word paragraphs and tables.
//!
//! The same shape as the Typst builder (src/typst_markup/mod.rs): parse state in named fields,
//! a flat `match` on the events of the project's one Markdown reader, one method per concern.
//! Headings keep their numbers as text, exactly as in the Markdown (一、 （一） 1.), and take
//! the heading styles: level 1 黑体, level 2 楷体, level 3 仿宋 (in a 细则 the 第一章 level is
//! centred, as in the PDF). Emphasis is 楷体 (the run-in （一） leads), strong 黑体.

use docx_rs::{AlignmentType, BreakType, Paragraph, Run, SpecialIndentType};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::page::Metrics;
use super::table::DocxTable;
use super::{Block, DocxFonts};
use crate::markdown::parser;
use crate::model::{BodyStyle, PageSettings};
use crate::render::views::PartView;

/// Converts `markdown` (one part's body) to blocks; `width` is the type area's in twips.
pub(crate) fn markdown_to_blocks(
    markdown: &str,
    part: &PartView,
    page: &PageSettings,
    fonts: &DocxFonts,
    metrics: &Metrics,
    width: i32,
) -> Vec<Block> {
    let mut builder = Builder {
        fonts,
        metrics,
        articles: part.style == Some(BodyStyle::Articles),
        chapter_size: page.chapter_size,
        bold: page.bold.clone(),
        width,
        blocks: Vec::new(),
        paragraph: None,
        heading: None,
        emphasis: 0,
        strong: 0,
        strike: 0,
        lists: Vec::new(),
        quote: 0,
        in_code_block: false,
        table: None,
    };
    for event in parser(markdown) {
        builder.event(event);
    }
    builder.flush();
    builder.blocks
}

struct Builder<'a> {
    fonts: &'a DocxFonts,
    metrics: &'a Metrics,
    /// A 细则 / 办法: its 第一章 headings are centred.
    articles: bool,
    /// The size of those headings in pt, when other than the body's 3号 (版式: 章标题字号).
    chapter_size: Option<f64>,
    /// Heading levels set in bold (版式: 加粗).
    bold: Vec<u8>,
    width: i32,
    blocks: Vec<Block>,
    /// The paragraph being filled.
    paragraph: Option<Paragraph>,
    /// The heading level of that paragraph, when it is a heading (1 一、, 2 （一）, 3 1.).
    heading: Option<u8>,
    emphasis: usize,
    strong: usize,
    strike: usize,
    /// Next number per open list; `None` for bullet lists.
    lists: Vec<Option<u64>>,
    quote: usize,
    in_code_block: bool,
    table: Option<DocxTable>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.in_code_block => self.code_text(&text),
            Event::Text(text) | Event::Code(text) => self.text(&text),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text),
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::SoftBreak => self.soft_break(),
            Event::HardBreak => self.line_break(),
            Event::Rule => {
                self.flush();
                self.blocks
                    .push(Block::Paragraph(Box::new(super::furniture::rule(
                        4, "000000",
                    ))));
            }
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self.open(None),
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 1,
                    HeadingLevel::H3 => 2,
                    _ => 3,
                };
                self.open(Some(level));
            }
            Tag::BlockQuote(_) => self.quote += 1,
            Tag::CodeBlock(_) => {
                self.open(None);
                self.in_code_block = true;
            }
            Tag::List(start) => self.lists.push(start),
            Tag::Item => {
                self.open(None);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•\u{2002}".to_owned(),
                };
                self.text(&marker);
            }
            Tag::Emphasis => self.emphasis += 1,
            Tag::Strong => self.strong += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Table(_) => {
                self.flush();
                self.table = Some(DocxTable::new(self.width));
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.start_head();
                }
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.start_row();
                }
            }
            Tag::TableCell => {
                if let Some(t) = &mut self.table {
                    t.start_cell();
                }
            }
            // Links and images show their text; footnotes, metadata and the rest need nothing.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item => self.flush(),
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.flush();
            }
            TagEnd::BlockQuote(_) => self.quote = self.quote.saturating_sub(1),
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.end_head();
                }
            }
            TagEnd::TableCell => {
                if let Some(t) = &mut self.table {
                    t.end_cell();
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.blocks
                        .push(Block::Table(Box::new(t.build(self.fonts))));
                }
            }
            _ => {}
        }
    }

    /// Starts a paragraph (a heading when `heading` is set), unless one is open: a list item's
    /// text comes as a paragraph inside the item.
    fn open(&mut self, heading: Option<u8>) {
        if self.paragraph.is_some() {
            return;
        }
        let mut p = Paragraph::new();
        if let Some(level) = heading {
            p = p.style(&format!("Heading{level}")).keep_next(true);
            if self.articles && level == 1 {
                p = p.align(AlignmentType::Center).indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(0)),
                    None,
                    None,
                );
                if let Some(size) = self.chapter_size {
                    // Whole grid lines, as in the PDF: two for a heading larger than 小二.
                    let lines = if size > 18.0 { 2 } else { 1 };
                    p = p
                        .size(half_points(size))
                        .line_spacing(super::page::exact(lines * self.metrics.pitch));
                }
            }
        }
        if self.quote > 0 {
            let left = self.metrics.chars(2.0 * self.quote as f64);
            p = p.indent(
                Some(left),
                Some(SpecialIndentType::FirstLine(self.metrics.chars(2.0))),
                None,
                None,
            );
        }
        self.heading = heading;
        self.paragraph = Some(p);
    }

    /// Ends the open paragraph.
    fn flush(&mut self) {
        if let Some(p) = self.paragraph.take() {
            self.blocks.push(Block::Paragraph(Box::new(p)));
        }
        self.heading = None;
    }

    /// A run of `text` in the current inline style.
    fn run(&self, text: &str) -> Run {
        let mut run = super::text_run(text);
        if self.strong > 0 {
            run = run.fonts(self.fonts.heiti.run_fonts());
        } else if self.emphasis > 0 {
            run = run.fonts(self.fonts.kaiti.run_fonts());
            if self.bold.contains(&2) {
                run = run.bold();
            }
        }
        if self.strike > 0 {
            run = run.strike();
        }
        if let Some(level) = self.heading
            && self.bold.contains(&level)
        {
            run = run.bold();
        }
        if let (Some(1), true, Some(size)) = (self.heading, self.articles, self.chapter_size) {
            run = run.size(half_points(size));
        }
        run
    }

    fn text(&mut self, text: &str) {
        if self.table.is_some() {
            let run = self.run(text);
            if let Some(t) = &mut self.table {
                t.push_run(run, text);
            }
            return;
        }
        if self.paragraph.is_none() {
            self.open(None);
        }
        let run = self.run(text);
        if let Some(p) = self.paragraph.take() {
            self.paragraph = Some(p.add_run(run));
        }
    }

    fn code_text(&mut self, text: &str) {
        for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
            if i > 0 {
                self.line_break();
            }
            self.text(line);
        }
    }

    fn html(&mut self, html: &str) {
        if crate::markdown::is_line_break(html) {
            self.line_break();
        } else {
            self.text(html.trim_end_matches('\n'));
        }
    }

    fn line_break(&mut self) {
        let run = Run::new().add_break(BreakType::TextWrapping);
        if let Some(t) = &mut self.table {
            t.push_break(run);
        } else if let Some(p) = self.paragraph.take() {
            self.paragraph = Some(p.add_run(run));
        }
    }

    /// Chinese lines join without a space; Latin words keep one.
    fn soft_break(&mut self) {
        let last = match &self.table {
            Some(t) => t.last_char(),
            None => self.paragraph.as_ref().and_then(last_char),
        };
        if last.is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.text(" ");
        }
    }
}

/// A size in pt as Word gives it, in half points.
fn half_points(pt: f64) -> usize {
    (pt * 2.0).round() as usize
}

/// The last character of a paragraph's text.
pub(crate) fn last_char(p: &Paragraph) -> Option<char> {
    p.raw_text().chars().last()
}
