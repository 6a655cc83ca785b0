//! Reading plain text — a .txt, text pasted on standard input, text copied out of an OA system
//! or out of Word — into paragraphs and tables.
//!
//! The text is decoded as qingdan reads every text file (UTF-8, with or without a byte-order
//! mark, else GBK), and cleaned of what is no text (`[bookmark: _GoBack]` that Word's text
//! export leaves, invisible characters), each removal noted. A line is a paragraph, as Word's
//! "save as text" and copying out of a browser give them; two lines are joined back into one
//! paragraph where a page break cut a sentence in two (the first stops without a full stop and
//! the next does not start a new item), and the report says so. Tab-separated lines are tables
//! ([`tables`]). Text laid out by `pdftotext -layout` (page feeds, lines wrapped at the type
//! area's width) is [`layout`]'s.

pub(crate) mod layout;
mod tables;

use std::path::Path;

use super::report::Note;
use super::source::{Block, Look, Para, Place, Source};
use crate::diag::Diagnostic;
use crate::inputs::text::{Encoding, decode};
use crate::model::numbering::typed_ordinal;

/// One line of the input, as read.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// 1-based.
    pub(crate) number: usize,
    pub(crate) text: String,
    /// A page feed (`\f`) came before it.
    pub(crate) new_page: bool,
}

/// Decodes and cleans `bytes` read from `path`, noting what was removed.
pub(crate) fn decoded_lines(
    path: &Path,
    bytes: &[u8],
    notes: &mut Vec<Note>,
) -> Result<Vec<Line>, Box<Diagnostic>> {
    let (text, encoding) = decode(path, bytes)?;
    if encoding == Encoding::Gb18030 {
        notes.push(Note::guess(
            None,
            "文本不是 UTF-8 编码，已按 GBK（GB18030）读取",
            "the text is not UTF-8; it was read as GBK (GB18030)",
        ));
    }
    let mut lines = Vec::new();
    let mut new_page = false;
    for (i, raw) in text.split('\n').enumerate() {
        let mut line = raw.trim_end_matches('\r').to_owned();
        if line.contains('\u{c}') {
            new_page = true;
            line = line.replace('\u{c}', "");
        }
        let place = Place::Line(i + 1);
        while let Some(start) = line.find("[bookmark:") {
            let Some(len) = line[start..].find(']') else {
                break;
            };
            let mark: String = line[start..=start + len].to_owned();
            notes.push(Note::left(
                Some(place.clone()),
                format!("去掉了 Word 导出文字时留下的书签标记“{mark}”"),
                format!("removed the bookmark marker “{mark}” left by Word's text export"),
            ));
            line.replace_range(start..=start + len, "");
        }
        let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{FEFF}');
        if line.contains(invisible) {
            notes.push(Note::left(
                Some(place.clone()),
                "去掉了看不见的字符（零宽字符或文字方向控制符）",
                "removed invisible characters (zero-width or bidirectional controls)",
            ));
            line.retain(|c| !invisible(c));
        }
        lines.push(Line {
            number: i + 1,
            text: line,
            new_page: std::mem::take(&mut new_page),
        });
    }
    Ok(lines)
}

/// Reads text with one paragraph a line (or tab-separated table rows).
pub(crate) fn read_text(path: &Path, bytes: &[u8]) -> Result<Source, Box<Diagnostic>> {
    let mut notes = Vec::new();
    let lines = decoded_lines(path, bytes, &mut notes)?;
    if layout::is_layout(&lines) {
        return Ok(layout::read_layout(lines, notes));
    }
    let mut blocks = Vec::new();
    let mut tables = 0;
    let mut i = 0;
    let mut page = false;
    while i < lines.len() {
        let line = &lines[i];
        page |= line.new_page;
        if line.text.contains('\t') {
            let (mut table, next) = tables::read_table(&lines, i, tables + 1, &mut notes);
            if table.rows.len() >= 2 {
                tables += 1;
                table.new_page = std::mem::take(&mut page);
                blocks.push(Block::Table(table));
                i = next;
                continue;
            }
            // One line with a tab in it is no table: its parts are one paragraph.
            notes.pop();
            let mut para = paragraph(line);
            para.text = para
                .text
                .split('\t')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("　");
            para.new_page = std::mem::take(&mut page);
            blocks.push(Block::Para(para));
            i += 1;
            continue;
        }
        if !line.text.trim().is_empty() {
            let mut para = paragraph(line);
            para.new_page = std::mem::take(&mut page);
            blocks.push(Block::Para(para));
        }
        i += 1;
    }
    let blocks = join_cut_sentences(blocks, &mut notes);
    Ok(Source { blocks, notes })
}

/// A line as a paragraph: its text trimmed, its indent kept, a line far to the right read as
/// set flush right (a date under a signature).
pub(crate) fn paragraph(line: &Line) -> Para {
    let indent = indent_of(&line.text);
    let mut para = Para::plain(line.text.trim(), Place::Line(line.number));
    para.indent = Some(indent);
    if indent >= 12.0 {
        para.look = Look::Right;
    }
    para
}

/// The width of a line's leading white space, in characters (a full-width space is one, an
/// ASCII space half, a tab two).
pub(crate) fn indent_of(text: &str) -> f32 {
    text.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| match c {
            '\u{3000}' => 1.0,
            '\t' => 2.0,
            _ => 0.5,
        })
        .sum()
}

/// Characters a paragraph can end with.
const SENTENCE_END: &[char] = &['。', '！', '？', '：', '!', '?', ':'];
/// Characters that may follow the full stop: closing quotes and brackets.
const CLOSING: &[char] = &['”', '’', '）', ')', '》', '」', '』', '】'];

/// Whether `text` ends a sentence (`。`, `。”`, `：`).
pub(crate) fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(CLOSING)
        .ends_with(SENTENCE_END)
}

/// Joins a paragraph to the one before it where a page break cut a sentence: the one before
/// has sentences in it (，；。) but does not end one, and this one does not start an item.
fn join_cut_sentences(blocks: Vec<Block>, notes: &mut Vec<Note>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let joins = match (out.last(), &block) {
            (Some(Block::Para(before)), Block::Para(this)) => {
                cut_sentence(&before.text, &this.text)
            }
            _ => false,
        };
        match (out.last_mut(), block) {
            (Some(Block::Para(before)), Block::Para(this)) if joins => {
                notes.push(Note::guess(
                    Some(this.place.clone()),
                    format!(
                        "与上一段（{}）连成一段：上一段没有以句号结束，像是被分页截断",
                        before.place.describe().0
                    ),
                    format!(
                        "joined to the paragraph before ({}), which stops without a full stop, as if cut by a page break",
                        before.place.describe().1
                    ),
                ));
                before.text.push_str(&this.text);
            }
            (_, block) => out.push(block),
        }
    }
    out
}

/// Whether `next` continues `before`, cut by a page break.
pub(crate) fn cut_sentence(before: &str, next: &str) -> bool {
    let has_sentences = before.contains(['，', '；', '。']);
    has_sentences
        && !ends_sentence(before)
        && typed_ordinal(next).is_none()
        && !super::furniture::is_furniture_line(next)
}

#[cfg(test)]
mod tests;
