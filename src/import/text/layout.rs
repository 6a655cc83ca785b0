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

use super::Line;
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

/// Whether `c` is set in a full-width cell of the grid (Chinese text and its punctuation).
fn wide(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace()
}

/// Removes the spaces pdftotext puts where half-width text meets the character grid: inside a
/// number (〔2 019 〕), and after half-width text that follows Chinese directly (不少于4 次,
/// 事故, 确保, ( 一)). A space the author typed on both sides (工作 1 次) is kept.
fn close_digits(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 {
            let before = chars[i - 1];
            let after = chars.get(i + 1).copied();
            let inside_number =
                before.is_ascii_digit() && after.is_some_and(|a| a.is_ascii_digit() || a == '〕');
            // The half-width run before the space, and what precedes it.
            let run_start = chars[..i]
                .iter()
                .rposition(|c| !c.is_ascii() || c.is_whitespace())
                .map_or(0, |p| p + 1);
            let glued = before.is_ascii()
                && !before.is_whitespace()
                && after.is_some_and(wide)
                && (run_start == 0 || !chars[run_start - 1].is_whitespace());
            if inside_number || glued {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The characters of a full line of body text on GB/T 9704's grid.
const GRID: usize = 28;

/// A line of one page, measured.
struct Measured<'l> {
    line: &'l Line,
    text: &'l str,
    /// Leading spaces, each a cell of the grid.
    indent: usize,
    /// Indent and text, in cells.
    end: usize,
}

/// Reads layout text (see the module's doc): a line continues the paragraph above when the
/// line above reaches the right edge of the page's text and this one starts at its left edge;
/// a number (第一条, （一）), a date or a 附件 label always starts a paragraph.
pub(crate) fn read_layout(lines: Vec<Line>, mut notes: Vec<Note>) -> Source {
    let mut blocks: Vec<Block> = Vec::new();
    let mut pages: Vec<Vec<Measured<'_>>> = vec![Vec::new()];
    for line in &lines {
        if line.new_page {
            pages.push(Vec::new());
        }
        let text = line.text.trim_end();
        if text.trim().is_empty() {
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
        let indent = text.chars().take_while(|c| *c == ' ').count();
        let end = text.chars().count();
        if let Some(page) = pages.last_mut() {
            page.push(Measured {
                line,
                text,
                indent,
                end,
            });
        }
    }
    // The width of a full line of body text: the one most lines have (28 cells on the grid),
    // over the whole document, as a page of short lines has none.
    let mut widths = std::collections::BTreeMap::<usize, usize>::new();
    for page in &pages {
        let margin = page.iter().map(|m| m.indent).min().unwrap_or(0);
        for m in page
            .iter()
            .filter(|m| !side_by_side(m.text) && m.indent <= margin + 2)
        {
            *widths.entry(m.end).or_default() += 1;
        }
    }
    let right = widths
        .into_iter()
        .max_by_key(|&(end, count)| (count, end))
        .map_or(GRID, |(end, _)| end);
    // A short document may have no full line at all.
    let right = if right >= GRID - 4 { right } else { GRID };
    let mut open: Option<(Para, bool)> = None;
    for page in &pages {
        let margin = page.iter().map(|m| m.indent).min().unwrap_or(0);
        // A table puts cells side by side on line after line; one such line (organs signed
        // side by side, a 发文字号 with a 签发人 beside it) is no table.
        let table_page = page.iter().filter(|m| side_by_side(m.text)).count() >= 3;
        for (k, m) in page.iter().enumerate() {
            let closed = close_digits(m.text.trim());
            let trimmed = closed.as_str();
            if table_page && side_by_side(m.text) {
                if let Some((para, _)) = open.take() {
                    blocks.push(Block::Para(para));
                }
                notes.push(Note::warning(
                    Some(Place::Line(m.line.number)),
                    "这一行像是表格中并排的单元格，排版后的文字无法还原表格，已作为一段文字保留；表格请导入 .docx 或 Markdown",
                    "this line looks like table cells side by side, which laid-out text cannot give back as a table; it is kept as a paragraph: import the .docx or the Markdown for tables",
                ));
                let mut para = Para::plain(close_digits(trimmed), Place::Line(m.line.number));
                para.new_page = k == 0;
                blocks.push(Block::Para(para));
                continue;
            }
            let starts_new = crate::model::numbering::typed_ordinal(trimmed).is_some()
                || trimmed
                    .split("  ")
                    .any(|part| crate::import::furniture::is_furniture_line(part.trim()));
            let continues = match &open {
                Some((_, full)) => *full && m.indent <= margin && !starts_new,
                None => false,
            };
            // A date or a label set flush right reaches the edge without going on.
            let full = m.end + 1 >= right && !crate::import::furniture::is_furniture_line(trimmed);
            if continues {
                if let Some((para, was_full)) = &mut open {
                    para.text.push_str(&close_digits(trimmed));
                    *was_full = full;
                }
                continue;
            }
            if let Some((para, _)) = open.take() {
                blocks.push(Block::Para(para));
            }
            let mut para = Para::plain(close_digits(trimmed), Place::Line(m.line.number));
            para.indent = Some((m.indent - margin) as f32);
            para.new_page = k == 0;
            if m.indent >= margin + 4 {
                para.look = Look::Centred;
            }
            open = Some((para, full));
        }
    }
    if let Some((para, _)) = open.take() {
        blocks.push(Block::Para(para));
    }
    Source { blocks, notes }
}
