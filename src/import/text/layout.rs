//! Text laid out as on the page, as `pdftotext -layout` gives a PDF: page feeds between pages,
//! each paragraph's lines wrapped at the type area's width, its first line indented, page
//! numbers (— 3 —) at the foot of each page, table cells side by side.
//!
//! Paragraphs are put back together from their lines (a line starting at the margin continues
//! the paragraph above), page numbers are left out (qingdan numbers pages), and the spaces
//! pdftotext puts between the digits of a number set on the character grid (〔2 019 〕) are
//! removed. A table cannot be read back from text laid out side by side — its cells' lines
//! interleave — so a table's lines are kept as paragraphs, with a warning naming them: import
//! the .docx or the Markdown for the tables.

use super::{Line, indent_of};
use crate::import::report::Note;
use crate::import::source::{Block, Look, Para, Place, Source};

/// Whether `lines` look like `pdftotext -layout` output: page feeds and page-number lines.
pub(crate) fn is_layout(lines: &[Line]) -> bool {
    let pages = lines.iter().filter(|l| l.new_page).count();
    let numbers = lines.iter().filter(|l| page_number(&l.text)).count();
    pages >= 1 && numbers >= pages
}

/// `— 3 —`, `-3-`, `第 3 页`: a page number line.
pub(crate) fn page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t
        .trim_start_matches(['—', '-', '－', '–'])
        .trim_end_matches(['—', '-', '－', '–']);
    let dashed =
        inner.len() < t.len() && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit());
    let page = t.starts_with('第')
        && t.ends_with('页')
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().count() <= 12;
    dashed || page
}

/// Whether a line has cells side by side: a run of three spaces or more between texts.
fn side_by_side(text: &str) -> bool {
    let t = text.trim();
    t.contains("   ") || t.contains("\u{3000}\u{3000}\u{3000}")
}

/// Removes the spaces pdftotext puts inside a number set on the character grid: between two
/// digits, and between a digit and 〕.
fn close_digits(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = chars[..i].iter().rev().find(|c| **c != ' ');
            let after = chars[i + 1..].iter().find(|c| **c != ' ');
            if let (Some(b), Some(a)) = (before, after)
                && b.is_ascii_digit()
                && (a.is_ascii_digit() || *a == '〕')
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Reads layout text (see the module's doc).
pub(crate) fn read_layout(lines: Vec<Line>, mut notes: Vec<Note>) -> Source {
    let mut blocks: Vec<Block> = Vec::new();
    let mut open: Option<Para> = None;
    let mut page = false;
    let flush = |open: &mut Option<Para>, blocks: &mut Vec<Block>| {
        if let Some(para) = open.take() {
            blocks.push(Block::Para(para));
        }
    };
    for line in &lines {
        page |= line.new_page;
        let text = line.text.trim_end();
        if text.trim().is_empty() {
            flush(&mut open, &mut blocks);
            continue;
        }
        if page_number(text) {
            notes.push(Note::left(
                Some(Place::Line(line.number)),
                format!("页码“{}”未导入（页码由 qingdan 生成）", text.trim()),
                format!(
                    "the page number “{}” is left out (qingdan numbers pages)",
                    text.trim()
                ),
            ));
            continue;
        }
        let indent = indent_of(text);
        if side_by_side(text) {
            flush(&mut open, &mut blocks);
            notes.push(Note::warning(
                Some(Place::Line(line.number)),
                "这一行像是表格中并排的单元格，排版后的文字无法还原表格，已作为一段文字保留；表格请导入 .docx 或 Markdown",
                "this line looks like table cells side by side, which laid-out text cannot give back as a table; it is kept as a paragraph: import the .docx or the Markdown for tables",
            ));
            let mut para = Para::plain(close_digits(text.trim()), Place::Line(line.number));
            para.new_page = std::mem::take(&mut page);
            blocks.push(Block::Para(para));
            continue;
        }
        let continues = indent == 0.0 && open.is_some();
        if continues {
            if let Some(para) = &mut open {
                para.text.push_str(&close_digits(text.trim()));
            }
            continue;
        }
        flush(&mut open, &mut blocks);
        let mut para = Para::plain(close_digits(text.trim()), Place::Line(line.number));
        para.indent = Some(indent);
        para.new_page = std::mem::take(&mut page);
        if indent >= 3.0 {
            para.look = Look::Centred;
        }
        open = Some(para);
    }
    flush(&mut open, &mut blocks);
    Source { blocks, notes }
}
