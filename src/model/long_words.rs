//! Words longer than a line: a web address, a serial number, a long English word. Chinese text
//! breaks between any two characters, but a run of Latin letters, digits and marks has no break
//! in it, and the PDF sets it past the type area's edge (a 95-character address in the body ran
//! off both sides of the page; a 54-character serial number crossed a table's border). So the
//! body files and the table cells are measured here, and each such word is a warning naming the
//! file and the line, or the row and column, with the fix: put spaces or line breaks into it, or
//! shorten it.
//!
//! Widths are estimated as the grid sets text: a Chinese character or full-width mark takes one
//! em, a half-width letter, digit or mark about half of one.

use std::path::Path;

use pulldown_cmark::Event;

use crate::diag::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::gbt9704::{self as gb, MM};
use crate::inputs::sheet::Sheet;
use crate::markdown::parser;

/// The warnings said per file at most; the rest are counted in one more.
const MAX_SAID: usize = 10;

/// A line of body text: 28 characters of 3号.
const BODY_LINE_EM: f64 = gb::CHARS_PER_LINE as f64;
/// Tables of this many columns or more are set on landscape pages.
const LANDSCAPE_COLUMNS: usize = 5;
/// The narrowest a column of a table gets, in ems of its text, with its padding: the layout
/// lets long text go down to four characters.
const NARROWEST_COLUMN_EM: f64 = 4.6;

/// Where a line may break: between Chinese characters or full-width marks, and at spaces.
fn breaks_around(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF01}'..='\u{FF60}' | '\u{20000}'..='\u{3FFFF}')
}

/// The runs of `text` no line can break, with their widths in ems, where wider than `line_em`.
fn too_long(text: &str, line_em: f64) -> impl Iterator<Item = (&str, f64)> {
    text.split(breaks_around)
        .filter(|w| !w.is_empty())
        .map(|w| (w, w.chars().map(width_em).sum::<f64>()))
        .filter(move |&(_, width)| width > line_em)
}

/// A character's width on the grid, in ems.
fn width_em(c: char) -> f64 {
    if c.is_ascii() || ('\u{00A0}'..='\u{02FF}').contains(&c) {
        0.5
    } else {
        1.0
    }
}

/// The word as a message shows it: its start and end around an ellipsis when it is long, and
/// its length.
fn shown(word: &str) -> (String, usize) {
    let n = word.chars().count();
    if n <= 40 {
        return (word.to_owned(), n);
    }
    let head: String = word.chars().take(20).collect();
    let tail: String = word.chars().skip(n - 12).collect();
    (format!("{head}…{tail}"), n)
}

fn warning(path: &Path, location: Location, word: &str, room: &str, room_en: &str) -> Diagnostic {
    let (word, n) = shown(word);
    Diagnostic::warning(
        path,
        location,
        format!("“{word}”（{n} 个字符）中间无法换行，比{room}还长，PDF 中会超出边界"),
        format!(
            "“{word}” ({n} characters) cannot break and is longer than {room_en}: it runs past the edge in the PDF"
        ),
    )
    .with_hint(
        "在词中合适的位置加空格或换行，或改短（如网址只写域名）",
        "put a space or a line break into it where it may break, or shorten it (a web address: its domain alone)",
    )
}

/// Collects warnings, at most [`MAX_SAID`] of them, counting the rest.
struct Said<'a> {
    path: &'a Path,
    said: Vec<Diagnostic>,
    more: usize,
}

impl<'a> Said<'a> {
    fn new(path: &'a Path) -> Self {
        Self {
            path,
            said: Vec::new(),
            more: 0,
        }
    }

    fn push(&mut self, warning: Diagnostic) {
        if self.said.len() < MAX_SAID {
            self.said.push(warning);
        } else {
            self.more += 1;
        }
    }

    fn into(self, diags: &mut Diagnostics) {
        for w in self.said {
            diags.push(w);
        }
        if self.more > 0 {
            diags.push(Diagnostic::warning(
                self.path,
                Location::File,
                format!("另有 {} 个过长的词未列出", self.more),
                format!(
                    "{} more words too long for their line are not listed",
                    self.more
                ),
            ));
        }
    }
}

/// Warns of each word of the Markdown `source` (a body) longer than a line, at its line of the
/// file `path`, or, for a text written in the manifest, at its `key`.
pub(crate) fn in_body(path: &Path, source: &str, key: Option<&str>, diags: &mut Diagnostics) {
    let lines = LineIndex::new(source);
    let mut said = Said::new(path);
    for (event, range) in parser(source).into_offset_iter() {
        let (Event::Text(text) | Event::Code(text)) = event else {
            continue;
        };
        for (word, _) in too_long(&text, BODY_LINE_EM) {
            let location = match key {
                Some(key) => Location::Key(key.to_owned()),
                None => Location::Line(lines.line_of(range.start)),
            };
            said.push(warning(path, location, word, "一行", "a line"));
        }
    }
    said.into(diags);
}

/// Warns of each word of a table's cells longer than its column can be: the type area (turned
/// for a table of five columns or more) less the narrowest the other columns get.
pub(crate) fn in_table(path: &Path, sheet: &Sheet, diags: &mut Diagnostics) {
    let columns = sheet.headers.len().max(1);
    let width_mm = if columns >= LANDSCAPE_COLUMNS {
        gb::TYPE_HEIGHT
    } else {
        gb::TYPE_WIDTH
    };
    let table_em = width_mm * MM / gb::SMALL_SIZE;
    let cell_em = table_em - NARROWEST_COLUMN_EM * (columns - 1) as f64 - 0.6;
    let mut said = Said::new(path);
    for row in &sheet.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            for (word, _) in too_long(cell, cell_em) {
                let column = sheet
                    .headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("{}", i + 1));
                let location = Location::Cell {
                    row: row.row,
                    column,
                };
                said.push(warning(path, location, word, "单元格的宽度", "its cell"));
            }
        }
    }
    said.into(diags);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_runs_without_a_break_and_wider_than_the_line_are_too_long() {
        let url = format!("https://www.example.gov.cn/{}", "a".repeat(70));
        let text = format!("详见{url}，并按要求报送。");
        let found: Vec<&str> = too_long(&text, BODY_LINE_EM).map(|(w, _)| w).collect();
        assert_eq!(found, [url.as_str()]);
        // Chinese text breaks anywhere; short words and words with spaces fit.
        let fine = format!("{} ISO 9001 {}", "安全".repeat(100), "word ".repeat(50));
        assert_eq!(too_long(&fine, BODY_LINE_EM).count(), 0);
    }

    #[test]
    fn a_long_address_in_a_body_is_named_by_its_line() {
        let source = format!(
            "1. 第一条。\n\n2. 网址：https://www.example.gov.cn/{}\n",
            "x".repeat(80)
        );
        let mut diags = Diagnostics::new();
        in_body(Path::new("细则.md"), &source, None, &mut diags);
        let found: Vec<&Diagnostic> = diags.iter().collect();
        assert_eq!(found.len(), 1, "{diags}");
        assert_eq!(found[0].location, Location::Line(3));
        assert!(!found[0].is_error());
        assert!(found[0].en.contains("runs past the edge"), "{}", found[0]);
    }
}
