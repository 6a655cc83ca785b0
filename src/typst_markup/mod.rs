//! Stage 5: Markdown → Typst markup.
//!
//! A builder walks pulldown-cmark events and writes Typst markup: paragraphs, headings
//! (`#heading`), emphasis (`#emph`, set in 楷体 by the layout) and strong (`#strong`, 黑体),
//! line breaks (`<br>` included) and tables with merged cells ([`table`]). Every piece of text goes
//! through [`escape::escape_typst`], so nothing in the data can run as Typst code. What the markup
//! looks like on the page is the layout template's business (`templates/gongwen.typ`).

pub(crate) mod escape;
pub mod source;
pub(crate) mod table;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

use crate::markdown::parser;
use escape::escape_typst;
use table::{Cell, TableBuilder};

/// Text width of a portrait type area in 4号 table text (156 mm / 14 pt), in em.
pub(crate) const PORTRAIT_TABLE_EM: f64 = 31.0;
/// The same for a landscape type area (225 mm / 14 pt).
pub(crate) const LANDSCAPE_TABLE_EM: f64 = 45.0;

/// Converts Markdown to Typst markup, balancing tables for a portrait page.
pub fn markdown_to_typst(markdown: &str) -> String {
    markdown_to_typst_for_width(markdown, PORTRAIT_TABLE_EM)
}

/// Converts Markdown to Typst markup, balancing table columns for `table_width_em`.
pub(crate) fn markdown_to_typst_for_width(markdown: &str, table_width_em: f64) -> String {
    markdown_to_typst_numbered(markdown, table_width_em, &mut 0)
}

/// Like [`markdown_to_typst_for_width`], numbering tables from `next_table` on (a document's
/// tables are numbered through all its parts) and advancing it.
pub(crate) fn markdown_to_typst_numbered(
    markdown: &str,
    table_width_em: f64,
    next_table: &mut usize,
) -> String {
    let mut converter = Converter {
        table_width_em,
        next_table: *next_table,
        ..Converter::default()
    };
    for event in parser(markdown) {
        converter.event(event);
    }
    *next_table = converter.next_table;
    converter.out
}

#[derive(Default)]
struct Converter {
    out: String,
    table: Option<TableBuilder>,
    /// The cell being filled, when inside a table.
    cell: Option<Cell>,
    in_table_head: bool,
    /// Next number per open list; `None` for bullet lists.
    lists: Vec<Option<u64>>,
    in_code_block: bool,
    table_width_em: f64,
    next_table: usize,
}

impl Converter {
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
            Event::Rule => self.raw("#line(length: 100%)\n\n"),
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 1,
                    HeadingLevel::H3 => 2,
                    _ => 3,
                };
                self.raw(&format!("#heading(level: {level})["));
            }
            Tag::BlockQuote(_) => self.raw("#pad(left: 2em)["),
            Tag::CodeBlock(kind) => {
                self.in_code_block = true;
                let _ = matches!(kind, CodeBlockKind::Fenced(_));
            }
            Tag::List(start) => self.lists.push(start),
            Tag::Item => {
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•\u{2002}".to_owned(),
                };
                self.text(&marker);
            }
            Tag::Emphasis => self.raw("#emph["),
            Tag::Strong => self.raw("#strong["),
            Tag::Strikethrough => self.raw("#strike["),
            Tag::Table(_) => {
                self.table = Some(TableBuilder {
                    width_em: self.table_width_em,
                    index: self.next_table,
                    ..TableBuilder::default()
                });
                self.next_table += 1;
            }
            Tag::TableHead => self.in_table_head = true,
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.cell = Some(Cell::default()),
            // Links and images show their text; footnotes, metadata and the rest need nothing.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.par_break(),
            TagEnd::Heading(_) => self.raw("]\n\n"),
            TagEnd::BlockQuote(_) => self.raw("]\n\n"),
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.par_break();
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Item => self.par_break(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.raw("]"),
            TagEnd::TableHead => self.in_table_head = false,
            TagEnd::TableCell => {
                let cell = self.cell.take().unwrap_or_default();
                if let Some(t) = &mut self.table {
                    if self.in_table_head {
                        t.head.push(cell);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.out.push_str(&t.to_typst());
                }
            }
            _ => {}
        }
    }

    /// Writes generated markup (never user text).
    fn raw(&mut self, markup: &str) {
        match &mut self.cell {
            Some(cell) => cell.markup.push_str(markup),
            None => self.out.push_str(markup),
        }
    }

    fn text(&mut self, text: &str) {
        let escaped = escape_typst(text);
        if let Some(cell) = &mut self.cell {
            cell.plain.push_str(text);
        }
        self.raw(&escaped);
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
        if let Some(cell) = &mut self.cell {
            cell.plain.push('\n');
        }
        self.raw("#linebreak()");
    }

    /// Chinese lines join without a space; Latin words keep one.
    fn soft_break(&mut self) {
        let target = match &self.cell {
            Some(cell) => &cell.markup,
            None => &self.out,
        };
        if target
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            self.raw(" ");
        }
    }

    fn par_break(&mut self) {
        if self.cell.is_none() {
            self.out.push_str("\n\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_headings_and_emphasis() {
        let typst = markdown_to_typst("## 第一章　总则\n\n**第一条**　本细则*适用*于：\n全市。\n");
        assert_eq!(
            typst,
            "#heading(level: 1)[第一章　总则]\n\n#strong[第一条]　本细则#emph[适用]于：全市。\n\n"
        );
    }

    #[test]
    fn data_with_typst_syntax_stays_text() {
        let typst =
            markdown_to_typst("王\\#五 \\$x\\$ \\<a\\> \\[b\\] @c \\*d\\* \\_e\\_ // f = g\n");
        assert_eq!(
            typst,
            "王\\#五 \\$x\\$ \\<a\\> \\[b\\] \\@c \\*d\\* \\_e\\_ \\/\\/ f \\= g\n\n"
        );
    }

    #[test]
    fn tables_with_breaks_and_merges() {
        let md = "| 姓名 | 职务 | 工作职责 |\n| --- | --- | --- |\n| 吴安浩 | 局长 | 1. 甲<br>续 |\n|  |  | 2. 乙 |\n";
        let typst = markdown_to_typst(md);
        assert!(
            typst.contains("table.cell(rowspan: 2, colspan: 1)[#place(top + left)"),
            "{typst}"
        );
        assert!(typst.contains("<qd-col-end>]吴安浩],"), "{typst}");
        assert!(typst.contains("[1\\. 甲#linebreak()续]"), "{typst}");
        assert!(typst.contains("<qd-row>]2\\. 乙]"), "{typst}");
    }
}
