//! Stage 1 for tables: a CSV or spreadsheet file read as written.
//!
//! A [`Sheet`] is a header row plus data rows of text cells, each row remembering the row number
//! the user sees in Excel, so later stages can point at the exact cell. Nothing is interpreted
//! here beyond decoding and cleaning; column meaning is [`crate::inputs::columns`]'s job.
//!
//! Nothing is lost silently on the way: text in a column without a header, a control character,
//! an Excel error value (`#DIV/0!`) is an error naming the cell; invisible characters are
//! removed with a warning ([`crate::inputs::cell_text`]). A file may not claim more than
//! [`Limits`] allow, so a hostile workbook is refused before it can exhaust memory.

use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::inputs::cell_text::{self, clean};

/// One row of data cells, with its 1-based row number as a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The row number the spreadsheet shows (the header row counted), for messages.
    pub row: usize,
    /// The cells up to the last one holding text; a row can be shorter than the header.
    pub(crate) cells: Vec<String>,
}

/// A table as read from a file: headers and rows, all text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    pub(crate) headers: Vec<String>,
    /// The data rows below the header, in file order; rows with no text at all are left out.
    pub rows: Vec<SheetRow>,
    /// What reading found: warnings, and errors in single cells that let the rest be read
    /// (each must still fail the document the sheet feeds).
    pub(crate) problems: Vec<Diagnostic>,
}

impl Sheet {
    /// The number of columns: the header's or the widest row's, whichever is more.
    pub(crate) fn width(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.cells.len())
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0)
    }
}

/// What one table may hold. Real lists are far below these (20,000 duties are 60,000 cells);
/// the limits exist so a 2 KB file claiming a million rows cannot take the machine down.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Columns up to the last one holding text (Excel allows 16,384).
    pub(crate) columns: usize,
    /// Rows holding text × columns used: the cells a table of that size has.
    pub(crate) area: usize,
    /// Total bytes of cell text.
    pub(crate) text_bytes: usize,
}

/// The limits every sheet is read under.
pub(crate) const LIMITS: Limits = Limits {
    columns: 1_000,
    area: 4_000_000,
    text_bytes: 64 << 20,
};

/// The most data rows one printed table may have (see `model::checks`, which checks the cells
/// and characters too); a sheet read for one table stops reading there.
pub(crate) const MAX_TABLE_ROWS: usize = 20_000;

/// The most data rows a batch's master sheet may have: each unit's table has at most
/// [`MAX_TABLE_ROWS`], and 2,000 schools of 35 duties are 70,000.
pub(crate) const MAX_MASTER_ROWS: usize = 200_000;

/// What a sheet is read for, which sets how many rows it may have; reading stops at the first
/// row past them, before the rest take memory (an 871-byte .ods can repeat a row a million
/// times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowLimit {
    /// One printed table: [`MAX_TABLE_ROWS`].
    Table,
    /// A batch's master sheet, split into units: [`MAX_MASTER_ROWS`].
    #[default]
    Master,
}

impl RowLimit {
    /// The most data rows allowed.
    pub(crate) fn rows(self) -> usize {
        match self {
            RowLimit::Table => MAX_TABLE_ROWS,
            RowLimit::Master => MAX_MASTER_ROWS,
        }
    }

    fn error(self, path: &Path, row: usize) -> Box<Diagnostic> {
        let max = self.rows();
        let (zh, en, hint) = match self {
            RowLimit::Table => (
                format!("表格超过每张表 {max} 行数据的上限，读到此行时停止"),
                format!(
                    "the table has more than {max} data rows, the limit per table; reading stopped at this row"
                ),
                (
                    "请把数据拆成几个附件，或加一列单位并按它分组（分组: 列名），每个单位一张表",
                    "split the data into several attachments, or add a unit column and group by it (分组: column) for one table per unit",
                ),
            ),
            RowLimit::Master => (
                format!("分组总表超过 {max} 行数据的上限，读到此行时停止"),
                format!(
                    "the master sheet has more than {max} data rows, the limit; reading stopped at this row"
                ),
                (
                    "请把总表拆成几个项目，每个项目一部分单位",
                    "split the master sheet into several projects, each with some of the units",
                ),
            ),
        };
        Box::new(Diagnostic::error(path, Location::Row(row), zh, en).with_hint(hint.0, hint.1))
    }
}

/// Problems reported per sheet before the rest are summed up in one line.
const MAX_REPORTED: usize = 30;

/// Counts what a reader has taken in so far, refusing a table beyond [`LIMITS`] as soon as it
/// is, before its cells are allocated.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    limit: RowLimit,
    rows: usize,
    widest: usize,
    text: usize,
}

impl Budget {
    /// A budget for a sheet read for `limit`'s purpose.
    pub(crate) fn new(limit: RowLimit) -> Self {
        Self {
            limit,
            ..Self::default()
        }
    }

    /// Takes in sheet row `row` (1-based), holding text up to column `width`, with `text` bytes
    /// in all.
    pub(crate) fn take_row(
        &mut self,
        path: &Path,
        row: usize,
        width: usize,
        text: usize,
    ) -> Result<(), Box<Diagnostic>> {
        self.rows += 1;
        self.widest = self.widest.max(width);
        self.text += text;
        self.check_rows(path, row)?;
        self.check(path)
    }

    /// Rows holding text beyond the header's, past the limit: an error at sheet row `row`.
    fn check_rows(&self, path: &Path, row: usize) -> Result<(), Box<Diagnostic>> {
        if self.rows > self.limit.rows() + 1 {
            return Err(self.limit.error(path, row));
        }
        Ok(())
    }

    /// Takes in one more cell at 0-based `column` of a row not counted yet.
    pub(crate) fn take_cell(
        &mut self,
        path: &Path,
        column: usize,
        text: usize,
    ) -> Result<(), Box<Diagnostic>> {
        self.widest = self.widest.max(column + 1);
        self.text += text;
        self.check(path)
    }

    /// Counts `count` rows at the widest width seen, starting at sheet row `first` (for a
    /// format that repeats rows).
    pub(crate) fn take_rows(
        &mut self,
        path: &Path,
        first: usize,
        count: usize,
    ) -> Result<(), Box<Diagnostic>> {
        let room = (self.limit.rows() + 1).saturating_sub(self.rows);
        self.rows = self.rows.saturating_add(count);
        // The first row past the limit, as the sheet numbers it.
        self.check_rows(path, first.saturating_add(room))?;
        self.check(path)
    }

    /// Counts a new row, sheet row `row` (for readers that see cells one by one).
    pub(crate) fn new_row(&mut self, path: &Path, row: usize) -> Result<(), Box<Diagnostic>> {
        self.rows += 1;
        self.check_rows(path, row)?;
        self.check(path)
    }

    fn check(&self, path: &Path) -> Result<(), Box<Diagnostic>> {
        let limits = LIMITS;
        if self.widest > limits.columns {
            return Err(too_big(
                path,
                format!(
                    "表格用到了 {} 列（第{}列），超过了可读取的{}列",
                    column_letters(self.widest - 1),
                    self.widest,
                    limits.columns
                ),
                format!(
                    "the table uses column {} (column {}), beyond the {} columns that can be read",
                    column_letters(self.widest - 1),
                    self.widest,
                    limits.columns
                ),
            ));
        }
        if self.rows.saturating_mul(self.widest) > limits.area {
            return Err(too_big(
                path,
                format!(
                    "表格有内容的行数 × 列数超过 {}（已读到 {} 行 × {} 列）",
                    limits.area, self.rows, self.widest
                ),
                format!(
                    "rows × columns holding text exceed {} ({} rows × {} columns so far)",
                    limits.area, self.rows, self.widest
                ),
            ));
        }
        if self.text > limits.text_bytes {
            return Err(too_big(
                path,
                format!("单元格文字总量超过 {} MB", limits.text_bytes >> 20),
                format!(
                    "the cells hold more than {} MB of text",
                    limits.text_bytes >> 20
                ),
            ));
        }
        Ok(())
    }
}

fn too_big(path: &Path, zh: String, en: String) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(path, Location::File, zh, en).with_hint(
            "检查是否有远处的单元格被误填（按 Ctrl+End 可跳到最后一个单元格），删除多余的行列后再保存；表格过大时请拆分",
            "look for a stray cell far away (Ctrl+End jumps to the last cell), delete the extra rows and columns and save again; split a table that is really this large",
        ),
    )
}

/// An Excel error value found in a cell, reported once the header names its column.
#[derive(Debug, Clone)]
pub(crate) struct ErrorCell {
    pub(crate) row: usize,
    /// 0-based column index.
    pub(crate) column: usize,
    /// As Excel shows it, e.g. `#DIV/0!`.
    pub(crate) value: String,
}

/// A file's extension in lower case (`XLSX` → `xlsx`), empty when it has none.
pub(crate) fn lowercase_extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

pub(crate) fn unreadable(path: &Path, e: &std::io::Error) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        path,
        Location::File,
        format!("无法读取文件：{e}"),
        format!("cannot read the file: {e}"),
    ))
}

/// Excel's letters for 0-based column `index`: 0 → A, 26 → AA, 16383 → XFD.
pub(crate) fn column_letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index;
    loop {
        letters.push(char::from(b'A' + (n % 26) as u8));
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// The name of 0-based column `index` for messages: its header, or its letters (as Excel
/// shows them, counted from `first_column`) where it has none.
fn column_name(headers: &[String], index: usize, first_column: usize) -> String {
    match headers.get(index) {
        Some(h) if !h.is_empty() => h.clone(),
        _ => column_letters(first_column + index),
    }
}

/// Builds the sheet from rows as read: cleans every cell, takes the first row holding text as
/// the header, and reports what would otherwise be lost. `first_column` is the 0-based column
/// the cells start at in the file, for naming columns by their letters.
pub(crate) fn into_sheet(
    path: &Path,
    mut records: Vec<SheetRow>,
    error_cells: Vec<ErrorCell>,
    first_column: usize,
) -> Result<Sheet, Box<Diagnostic>> {
    // (row, column, what was found) — named once the header is known.
    let mut removed: Vec<(usize, usize, Vec<char>)> = Vec::new();
    let mut controls: Vec<(usize, usize, char)> = Vec::new();
    for record in &mut records {
        for (i, cell) in record.cells.iter_mut().enumerate() {
            let Some(cleaned) = clean(cell) else {
                continue;
            };
            if !cleaned.removed.is_empty() {
                removed.push((record.row, i, cleaned.removed));
            }
            if let Some(c) = cleaned.control {
                controls.push((record.row, i, c));
            }
            *cell = cleaned.text;
        }
    }
    let mut rows = records
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
    let header = rows.next().ok_or_else(|| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            "表格是空的：第一行应为列名（如 姓名、职务、工作职责）",
            "the table is empty: the first row must hold the column names",
        ))
    })?;
    let headers: Vec<String> = header.cells.iter().map(|h| h.trim().to_owned()).collect();
    let rows: Vec<SheetRow> = rows.collect();
    let cell = |row: usize, column: usize| Location::Cell {
        row,
        column: column_name(&headers, column, first_column),
    };
    let mut found = Vec::new();
    for (row, column, chars) in removed {
        let (zh, en) = cell_text::describe(&chars);
        found.push(
            Diagnostic::warning(
                path,
                cell(row, column),
                format!("单元格中有看不见的字符 {zh}，已删除"),
                format!("the cell holds invisible characters, removed: {en}"),
            )
            .with_hint(
                "这类字符多来自从网页、微信或 PDF 复制的文字，可能使文字显示颠倒；请在原表中删除",
                "they come with text copied from web pages, WeChat or PDFs and can make text print reversed; delete them in the source",
            ),
        );
    }
    for (row, column, c) in controls {
        // A header holding the control character is named by its letters, not printed.
        let location = if row == header.row {
            Location::Cell {
                row,
                column: column_letters(first_column + column),
            }
        } else {
            cell(row, column)
        };
        found.push(
            Diagnostic::error(
                path,
                location,
                format!("单元格中有控制字符 U+{:04X}，不能出现在公文里", c as u32),
                format!(
                    "the cell holds the control character U+{:04X}, which cannot go into a document",
                    c as u32
                ),
            )
            .with_hint(
                "文件可能已损坏或不是文本；请在 Excel 或 WPS 中重新输入此单元格后另存",
                "the file may be damaged or not text; retype the cell in Excel or WPS and save again",
            ),
        );
    }
    for e in error_cells {
        found.push(
            Diagnostic::error(
                path,
                cell(e.row, e.column),
                format!("单元格是 Excel 错误值“{}”，不是文字", e.value),
                format!("the cell holds the Excel error “{}”, not text", e.value),
            )
            .with_hint(
                "修正该单元格的公式，或把它改为要印出的文字",
                "fix the cell's formula, or replace it with the text to print",
            ),
        );
    }
    for row in &rows {
        for (i, text) in row.cells.iter().enumerate() {
            let outside = headers.get(i).is_none_or(|h| h.is_empty());
            if outside && !text.trim().is_empty() {
                let preview: String = text
                    .trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(20)
                    .collect();
                found.push(
                    Diagnostic::error(
                        path,
                        cell(row.row, i),
                        format!("此单元格“{preview}”所在的列没有列名，内容会丢失"),
                        format!("this cell (“{preview}”) is in a column without a header, so its text would be lost"),
                    )
                    .with_hint(
                        "在第一行为该列加上列名，或把内容移到正确的列（单元格内的逗号须用英文双引号括起）",
                        "give the column a header in the first row, or move the text to the right column (a comma inside a cell needs the cell in double quotes)",
                    ),
                );
            }
        }
    }
    found.sort_by_key(|d| match &d.location {
        Location::Cell { row, .. } | Location::Row(row) => *row,
        _ => 0,
    });
    if found.len() > MAX_REPORTED {
        let more = found.len() - MAX_REPORTED;
        let errors = found.iter().any(Diagnostic::is_error);
        found.truncate(MAX_REPORTED);
        let zh = format!("另有 {more} 处类似问题未列出");
        let en = format!("{more} more problems of this kind are not listed");
        found.push(if errors {
            Diagnostic::error(path, Location::File, zh, en)
        } else {
            Diagnostic::warning(path, Location::File, zh, en)
        });
    }
    Ok(Sheet {
        headers,
        rows,
        problems: found,
    })
}

#[cfg(test)]
mod tests;
