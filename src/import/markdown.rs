//! Reading Markdown — the `.md` files `qingdan build` writes, or Markdown a clerk has — with
//! the project's one Markdown reader: `#` headings are titles, `##` and `###` headings, tables
//! are tables (`<br>` a line break in a cell), a paragraph opening with `*…*` has a run-in lead,
//! and list items get their numbers written in front, as the document printed them.

use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::report::Note;
use super::source::{Block, Look, Para, Place, Source, Table};
use crate::diag::Diagnostic;
use crate::inputs::text::{Encoding, decode};

/// A soft line break while a paragraph is collected: lines of names (a joint 署名) keep it,
/// sentences wrapped in the source lose it.
const SOFT: char = '\u{1}';

/// `text` with its soft breaks resolved: kept as line breaks between short lines that are not
/// sentences, else joined (with a space between two Latin letters or digits).
fn soft_breaks(text: &str) -> String {
    let lines: Vec<&str> = text.split(SOFT).collect();
    let names = lines.len() > 1
        && lines
            .iter()
            .all(|l| l.trim().chars().count() <= 30 && !l.contains(['，', '。', '；', '：']));
    if names {
        return lines
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut out = String::new();
    for line in lines {
        let line = line.trim_start();
        if out.ends_with(|c: char| c.is_ascii_alphanumeric())
            && line.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// What is being collected.
#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    notes: Vec<Note>,
    text: String,
    lead: Option<usize>,
    emphasis_at_start: bool,
    look: Look,
    line: usize,
    /// The table being read: its rows, the row being read.
    table: Option<(Vec<Vec<String>>, Vec<String>, usize)>,
    tables: usize,
    /// Ordered list counters, one per open list (`None` for a bullet list).
    lists: Vec<Option<u64>>,
}

/// Reads Markdown text from `path`.
pub(crate) fn read_markdown(path: &Path, bytes: &[u8]) -> Result<Source, Box<Diagnostic>> {
    let (text, encoding) = decode(path, bytes)?;
    let mut reader = Reader::default();
    if encoding == Encoding::Gb18030 {
        reader.notes.push(Note::guess(
            None,
            "文件不是 UTF-8 编码，已按 GBK（GB18030）读取",
            "the file is not UTF-8; it was read as GBK (GB18030)",
        ));
    }
    let lines = crate::diag::LineIndex::new(&text);
    let line_of = |offset: usize| lines.line_of(offset);
    for (event, range) in crate::markdown::parser(&text).into_offset_iter() {
        reader.event(event, line_of(range.start));
    }
    reader.flush();
    Ok(Source {
        blocks: reader.blocks,
        notes: reader.notes,
    })
}

impl Reader {
    fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.start(line);
                self.look = match level {
                    HeadingLevel::H1 => Look::Title,
                    other => Look::Heading(other as u8 - 1),
                };
            }
            Event::Start(Tag::Paragraph) if self.table.is_none() && self.text.is_empty() => {
                self.start(line);
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => self.flush(),
            Event::Start(Tag::List(first)) => {
                self.flush();
                self.lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush();
                self.start(line);
                if let Some(Some(n)) = self.lists.last_mut() {
                    self.text = format!("{n}. ");
                    *n += 1;
                }
            }
            Event::Start(Tag::Emphasis) if self.text.trim().is_empty() && self.table.is_none() => {
                self.emphasis_at_start = true;
            }
            Event::End(TagEnd::Emphasis) if self.emphasis_at_start => {
                self.emphasis_at_start = false;
                self.lead = Some(self.text.len());
            }
            Event::Start(Tag::Table(_)) => {
                self.flush();
                self.tables += 1;
                self.table = Some((Vec::new(), Vec::new(), line));
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some((rows, row, _)) = &mut self.table {
                    rows.push(std::mem::take(row));
                }
            }
            Event::End(TagEnd::TableCell) => {
                let cell = soft_breaks(&std::mem::take(&mut self.text));
                if let Some((_, row, _)) = &mut self.table {
                    row.push(cell.trim().to_owned());
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((rows, _, line)) = self.table.take() {
                    self.blocks.push(Block::Table(Table::new(
                        rows,
                        self.tables,
                        Place::Line(line),
                    )));
                }
            }
            Event::Text(t) | Event::Code(t) => self.text.push_str(&t),
            Event::InlineHtml(h) | Event::Html(h) => {
                if h.trim_start().starts_with("<br") {
                    self.text.push('\n');
                } else {
                    self.notes.push(Note::warning(
                        Some(Place::Line(line)),
                        format!("HTML“{}”按文字保留", h.trim()),
                        format!("the HTML “{}” is kept as text", h.trim()),
                    ));
                    self.text.push_str(&h);
                }
            }
            Event::SoftBreak => self.text.push(SOFT),
            Event::HardBreak => self.text.push('\n'),
            Event::Start(Tag::Image { dest_url, .. }) => self.notes.push(Note::warning(
                Some(Place::Line(line)),
                format!("图片“{dest_url}”未导入"),
                format!("the picture “{dest_url}” is not imported"),
            )),
            _ => {}
        }
    }

    fn start(&mut self, line: usize) {
        self.flush();
        self.line = line;
    }

    fn flush(&mut self) {
        let text = soft_breaks(&std::mem::take(&mut self.text));
        let lead = self.lead.take();
        let look = std::mem::take(&mut self.look);
        self.emphasis_at_start = false;
        if self.table.is_some() || text.trim().is_empty() {
            return;
        }
        let mut para = Para::plain(text, Place::Line(self.line));
        para.look = look;
        para.lead = lead.filter(|&l| l < para.text.len());
        self.blocks.push(Block::Para(para));
    }
}
