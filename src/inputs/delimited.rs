//! CSV files as offices save them, read by the `csv` crate under the sheet [`Limits`].
//!
//! The `csv` crate is lenient where a clerk's file is broken: a quote that is never closed
//! makes the rest of the file one cell (the next leader vanishes into the previous duty), and
//! text after a closing quote is glued on. It does not report either, nor does it expose its
//! parse state, so [`quote_problem`] follows the same RFC 4180 states over the bytes and names
//! the cell where quoting goes wrong.
//!
//! [`Limits`]: crate::inputs::sheet::Limits

use std::io::Read;
use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::inputs::formula::unguard;
use crate::inputs::sheet::{
    Budget, RowLimit, Sheet, SheetRow, column_letters, into_sheet, unreadable,
};
use crate::inputs::text::decode;

/// The largest CSV file read, in bytes (a 20,000-duty list is 2.3 MB).
pub(crate) const MAX_CSV_BYTES: u64 = 128 << 20;

/// Reads and decodes a CSV file (UTF-8 or GBK) into a [`Sheet`], stopping at the first row past
/// `limit`.
pub(crate) fn read_csv(path: &Path, limit: RowLimit) -> Result<Sheet, Box<Diagnostic>> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
    let mut bytes = Vec::new();
    file.take(MAX_CSV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(path, &e))?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                path,
                Location::File,
                format!("CSV 文件超过 {} MB，不能读取", MAX_CSV_BYTES >> 20),
                format!("the CSV file is larger than {} MB", MAX_CSV_BYTES >> 20),
            )
            .with_hint(
                "确认选对了文件；表格确实这么大时请拆分",
                "check that this is the right file; split a table that is really this large",
            ),
        ));
    }
    let (text, _encoding) = decode(path, &bytes)?;
    drop(bytes);
    // GBK is what Excel and WPS on a Chinese PC write as "CSV": the normal case, read without a
    // word (a manifest or a Markdown file in GBK, which nobody saves on purpose, is warned about).
    parse_csv_within(path, &text, limit)
}

/// Parses CSV text. Rows that are entirely blank are skipped (Excel leaves them behind).
pub fn parse_csv(path: &Path, text: &str) -> Result<Sheet, Box<Diagnostic>> {
    parse_csv_within(path, text, RowLimit::Master)
}

/// [`parse_csv`], stopping at the first row past `limit`.
fn parse_csv_within(path: &Path, text: &str, limit: RowLimit) -> Result<Sheet, Box<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut budget = Budget::new(limit);
    let (mut counted_to, mut line_count) = (0usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(Box::new(Diagnostic::error(
                    path,
                    Location::Line(line),
                    format!("CSV 格式错误：{e}"),
                    format!("malformed CSV: {e}"),
                )));
            }
        }
        // The csv crate does not count skipped blank lines; the byte offset is exact.
        let mut offset = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(bytes.get(offset), Some(b'\n' | b'\r')) {
            offset += 1;
        }
        // Line breaks are counted from the previous record on, so a large sheet stays linear.
        let offset = offset.min(bytes.len()).max(counted_to);
        line_count += line_breaks(&bytes[counted_to..offset]);
        counted_to = offset;
        // Trailing empty cells (Excel pads rows to the widest one) take no room.
        let width = (0..record.len())
            .rposition(|i| !record[i].is_empty())
            .map_or(0, |i| i + 1);
        if width == 0 {
            continue;
        }
        budget.take_row(path, line_count + 1, width, record.as_slice().len())?;
        records.push(SheetRow {
            row: line_count + 1,
            // An apostrophe qingdan put before a formula-like cell is not part of it.
            cells: record
                .iter()
                .take(width)
                .map(|cell| unguard(cell).to_owned())
                .collect(),
        });
    }
    if let Some(problem) = quote_problem(bytes) {
        return Err(Box::new(problem.diagnostic(path, &records)));
    }
    let mut sheet = into_sheet(path, records, Vec::new(), 0)?;
    let swallowed = swallowed_rows(&sheet, path);
    sheet.problems.extend(swallowed);
    Ok(sheet)
}

/// A quoted cell whose later lines look like whole rows of the sheet — as many commas as the
/// header has column breaks — most likely swallowed them: a stray `"` opened the cell and a
/// later one happened to close it. Reading on would print those rows inside one duty; the
/// warning names the cell so the clerk can look.
fn swallowed_rows(sheet: &Sheet, path: &Path) -> Vec<Diagnostic> {
    let breaks = sheet.headers.len().saturating_sub(1);
    if breaks == 0 {
        return Vec::new();
    }
    let mut found = Vec::new();
    for row in &sheet.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            let looks_like_rows = cell
                .lines()
                .skip(1)
                .filter(|line| line.matches(',').count() >= breaks)
                .count();
            if looks_like_rows == 0 {
                continue;
            }
            let column = sheet
                .headers
                .get(i)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| column_letters(i));
            found.push(
                Diagnostic::warning(
                    path,
                    Location::Cell {
                        row: row.row,
                        column,
                    },
                    format!(
                        "这个单元格跨了多行，其中 {looks_like_rows} 行看起来是表格的整行（逗号数与列数相同）：可能是多了一个引号，把后面的行并进了这个单元格"
                    ),
                    format!(
                        "this cell spans several lines, {looks_like_rows} of which look like whole rows of the sheet (as many commas as columns): a stray quote may have pulled the rows below into this cell"
                    ),
                )
                .with_hint(
                    "检查这个单元格开头的引号；用 Excel/WPS 打开核对后重新保存",
                    "check the quote at the start of this cell; open the file in Excel or WPS, check it and save it again",
                ),
            );
        }
    }
    found
}

/// Line breaks in `bytes`: LF, CRLF, or a bare CR (old Mac files), as the csv crate ends rows.
fn line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Where quoting goes wrong in a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QuoteProblem {
    /// Line where the record holding the cell starts (the row number used for it).
    row: usize,
    /// 0-based field index within the record.
    column: usize,
    kind: QuoteKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteKind {
    /// The quote opening the cell is never closed: the cell runs to the end of the file.
    Unclosed,
    /// Text follows the closing quote before the next comma or line end.
    TextAfterQuote,
}

/// States of RFC 4180 quoting, as csv-core's reader moves through them with the default
/// settings (`,` between cells, `"` quotes, `""` for a quote inside a quoted cell).
#[derive(Clone, Copy)]
enum State {
    StartField,
    Unquoted,
    Quoted,
    /// Just after a `"` inside a quoted cell: a second `"` continues, anything else ends it.
    AfterQuote,
    /// After the closing quote and spaces: only a comma or a line end may follow.
    Closed,
}

/// The first quoting mistake in `bytes`, if any.
fn quote_problem(bytes: &[u8]) -> Option<QuoteProblem> {
    let (mut line, mut row, mut column) = (1usize, 1usize, 0usize);
    let mut state = State::StartField;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let newline = b == b'\n' || b == b'\r';
        if newline && !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            line += 1;
        }
        state = match (state, b) {
            (State::StartField, b'"') => State::Quoted,
            (State::Quoted, b'"') => State::AfterQuote,
            (State::Quoted, _) => State::Quoted,
            (State::AfterQuote, b'"') => State::Quoted,
            (State::AfterQuote | State::Closed, b' ' | b'\t') => State::Closed,
            (_, b',') => {
                column += 1;
                State::StartField
            }
            (_, b'\n' | b'\r') => {
                column = 0;
                row = line;
                State::StartField
            }
            (State::AfterQuote | State::Closed, _) => {
                return Some(QuoteProblem {
                    row,
                    column,
                    kind: QuoteKind::TextAfterQuote,
                });
            }
            (State::StartField | State::Unquoted, _) => State::Unquoted,
        };
        i += 1;
    }
    matches!(state, State::Quoted).then_some(QuoteProblem {
        row,
        column,
        kind: QuoteKind::Unclosed,
    })
}

impl QuoteProblem {
    fn diagnostic(&self, path: &Path, records: &[SheetRow]) -> Diagnostic {
        let header = records.first().filter(|h| h.row < self.row);
        let column = match header.and_then(|h| h.cells.get(self.column)) {
            Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
            _ => column_letters(self.column),
        };
        let location = Location::Cell {
            row: self.row,
            column,
        };
        match self.kind {
            QuoteKind::Unclosed => Diagnostic::error(
                path,
                location,
                "此单元格以英文双引号 \" 开头，但引号没有闭合：其后直到文件末尾的各行都会并入这一格",
                "this cell starts with a double quote \" that is never closed: every row after it up to the end of the file would run into this one cell",
            )
            .with_hint(
                "在单元格内容末尾补上 \"，或删去开头的 \"；单元格内的引号要写成两个 \"\"",
                "add the closing \" at the end of the cell, or delete the opening one; a quote inside a quoted cell is written \"\"",
            ),
            QuoteKind::TextAfterQuote => Diagnostic::error(
                path,
                location,
                "此单元格以英文双引号 \" 开头，引号闭合后却还有文字（可能是引号没有配对，吞并了后面的行）",
                "this cell starts with a double quote \", but text follows the closing quote (the quotes may be unpaired and have swallowed the rows after it)",
            )
            .with_hint(
                "单元格用引号括起时，内部的引号要写成两个 \"\"；或用 Excel/WPS 打开后重新另存为 CSV",
                "inside a quoted cell write a quote as \"\"; or open the file in Excel or WPS and save it as CSV again",
            ),
        }
    }
}

#[cfg(test)]
mod tests;
