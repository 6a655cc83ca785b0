//! Markdown → blocks: one pass over the events of the project's one Markdown reader, in the
//! shape of a builder (parse state in named fields, a flat `match` on events, one method per
//! concern). Text opens a paragraph when none is open; a list item is a paragraph that starts
//! with its marker (the text of a tight item, or the paragraph of a loose one, continues it);
//! inline spans collect their content and become one [`Inline`] when they close.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::block::{Block, Heading};
use super::inline::Inline;
use super::table::{Cell, Table};
use crate::markdown::parser;

/// The blocks of `markdown`: level-1 headings are chapters when `chapters`, tables are balanced
/// for `table_width` em and numbered from `next_table` on (which is advanced).
pub(super) fn read(
    markdown: &str,
    chapters: bool,
    table_width: f64,
    next_table: &mut usize,
) -> Vec<Block> {
    let mut reader = Reader {
        chapters,
        table_width,
        next_table: *next_table,
        containers: vec![Vec::new()],
        open: None,
        spans: Vec::new(),
        lists: Vec::new(),
        in_code_block: false,
        table: None,
        last: None,
    };
    for event in parser(markdown) {
        reader.event(event);
    }
    *next_table = reader.next_table;
    reader.finish()
}

/// The heading level a Markdown heading is set at: `#` and `##` 1, `###` 2, deeper 3.
fn level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => 1,
        HeadingLevel::H3 => 2,
        _ => 3,
    }
}

/// A list item's marker: its number and a full stop, or a bullet and an en space.
fn marker(list: Option<&mut Option<u64>>) -> String {
    match list {
        Some(Some(n)) => {
            *n += 1;
            format!("{}.", *n - 1)
        }
        _ => "•\u{2002}".to_owned(),
    }
}

struct Reader {
    chapters: bool,
    table_width: f64,
    next_table: usize,
    /// Finished blocks, one list per open container: the body, then each block quote in it.
    containers: Vec<Vec<Block>>,
    /// The paragraph or heading being filled.
    open: Option<Open>,
    /// Inline spans opened and not yet closed, with their content so far.
    spans: Vec<(Span, Vec<Inline>)>,
    /// Next number per open list; `None` for bullet lists.
    lists: Vec<Option<u64>>,
    in_code_block: bool,
    table: Option<TableReader>,
    /// The last character of text in the open paragraph or cell: a soft break after an ASCII
    /// letter or digit is a space (Latin words), after anything else nothing (Chinese lines).
    last: Option<char>,
}

/// A paragraph or heading being filled.
#[derive(Default)]
struct Open {
    heading: Option<u8>,
    inlines: Vec<Inline>,
    /// Where its list marker is, if it is a list item.
    marker: Option<usize>,
}

#[derive(Clone, Copy)]
enum Span {
    Emphasis,
    Strong,
    Strike,
}

/// A table being collected.
#[derive(Default)]
struct TableReader {
    head: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    /// The cell being filled.
    cell: Option<Vec<Inline>>,
    in_head: bool,
}

impl Reader {
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
                self.push_block(Block::Rule);
            }
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self.open(None),
            Tag::Heading { level: l, .. } => self.open(Some(level(l))),
            Tag::BlockQuote(_) => {
                self.flush();
                self.containers.push(Vec::new());
            }
            Tag::CodeBlock(_) => {
                self.open(None);
                self.in_code_block = true;
            }
            Tag::List(start) => self.lists.push(start),
            Tag::Item => {
                self.open(None);
                let marker = marker(self.lists.last_mut());
                if let Some(open) = &mut self.open {
                    open.marker = Some(open.inlines.len());
                }
                self.text(&marker);
            }
            Tag::Emphasis => self.spans.push((Span::Emphasis, Vec::new())),
            Tag::Strong => self.spans.push((Span::Strong, Vec::new())),
            Tag::Strikethrough => self.spans.push((Span::Strike, Vec::new())),
            Tag::Table(_) => {
                self.flush();
                self.table = Some(TableReader::default());
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(t) = &mut self.table {
                    t.cell = Some(Vec::new());
                }
                self.last = None;
            }
            // Links and images show their text; metadata and the rest need nothing.
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
            TagEnd::BlockQuote(_) => {
                self.flush();
                if self.containers.len() > 1
                    && let Some(quoted) = self.containers.pop()
                {
                    self.push_block(Block::Quote(quoted));
                }
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.close_span(),
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
            }
            TagEnd::TableCell => self.end_cell(),
            TagEnd::Table => self.end_table(),
            _ => {}
        }
    }

    /// Starts a paragraph (a heading at `heading`'s level), unless one is open: a list item's
    /// text comes as a paragraph inside the item, and continues it.
    fn open(&mut self, heading: Option<u8>) {
        if self.open.is_none() {
            self.open = Some(Open {
                heading,
                ..Open::default()
            });
            self.last = None;
        }
    }

    /// Ends the open paragraph or heading.
    fn flush(&mut self) {
        if let Some(open) = self.open.take() {
            let block = match open.heading {
                Some(level) => Block::Heading(Heading {
                    level,
                    chapter: self.chapters && level == 1,
                    inlines: open.inlines,
                }),
                None => Block::Paragraph(open.inlines),
            };
            self.push_block(block);
        }
    }

    fn push_block(&mut self, block: Block) {
        if let Some(container) = self.containers.last_mut() {
            container.push(block);
        }
    }

    /// Adds `inline` where text goes now: the innermost open span, the table cell being filled
    /// (text in a table outside a cell is dropped), or the paragraph, opened if need be.
    fn push(&mut self, inline: Inline) {
        if let Some((_, children)) = self.spans.last_mut() {
            children.push(inline);
        } else if let Some(table) = &mut self.table {
            if let Some(cell) = &mut table.cell {
                cell.push(inline);
            }
        } else {
            self.open(None);
            if let Some(open) = &mut self.open {
                open.inlines.push(inline);
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.table.is_none() {
            self.open(None);
        }
        if let Some(c) = text.chars().last() {
            self.last = Some(c);
        }
        self.push(Inline::Text(text.to_owned()));
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

    /// A line break, in a cell or an open paragraph (one before any text is dropped).
    fn line_break(&mut self) {
        if self.table.is_some() || self.open.is_some() {
            self.push(Inline::LineBreak);
            self.last = None;
        }
    }

    /// Chinese lines join without a space; Latin words keep one.
    fn soft_break(&mut self) {
        if self.last.is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.text(" ");
        }
    }

    /// Closes the innermost span. Emphasis that opens a paragraph, after nothing but its number
    /// (a bold 第一条, a list marker) and spaces, is its run-in lead.
    fn close_span(&mut self) {
        let Some((span, children)) = self.spans.pop() else {
            return;
        };
        let inline = match span {
            Span::Emphasis if self.spans.is_empty() && self.at_paragraph_start() => {
                Inline::Lead(children)
            }
            Span::Emphasis => Inline::Emphasis(children),
            Span::Strong => Inline::Strong(children),
            Span::Strike => Inline::Strike(children),
        };
        self.push(inline);
    }

    /// Whether the open paragraph (not a heading, not in a table) holds only its number so far.
    fn at_paragraph_start(&self) -> bool {
        if self.table.is_some() {
            return false;
        }
        self.open.as_ref().is_none_or(|open| {
            open.heading.is_none()
                && open.inlines.iter().enumerate().all(|(i, inline)| {
                    Some(i) == open.marker
                        || matches!(inline, Inline::Strong(_))
                        || matches!(inline, Inline::Text(t) if t.trim().is_empty())
                })
        })
    }

    fn end_cell(&mut self) {
        if let Some(t) = &mut self.table {
            let cell = Cell::new(t.cell.take().unwrap_or_default());
            if t.in_head {
                t.head.push(cell);
            } else if let Some(row) = t.rows.last_mut() {
                row.push(cell);
            }
        }
    }

    fn end_table(&mut self) {
        if let Some(t) = self.table.take() {
            let table = Table::new(t.head, t.rows, self.table_width, self.next_table);
            self.next_table += 1;
            self.push_block(Block::Table(table));
        }
    }

    /// The blocks read, block quotes left open closed.
    fn finish(mut self) -> Vec<Block> {
        self.flush();
        while self.containers.len() > 1 {
            if let Some(quoted) = self.containers.pop() {
                self.push_block(Block::Quote(quoted));
            }
        }
        self.containers.pop().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
