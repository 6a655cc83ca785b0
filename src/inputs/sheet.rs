//! Stage 1 for tables: a CSV or spreadsheet file read as written.
//!
//! A [`Sheet`] is a header row plus data rows of text cells, each row remembering the row number
//! the user sees in Excel, so later stages can point at the exact cell. Nothing is interpreted
//! here beyond decoding; column meaning is [`crate::inputs::columns`]'s job.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use crate::diag::{Diagnostic, Location};
use crate::inputs::text::decode;

/// One row of data cells, with its 1-based row number as a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub row: usize,
    pub cells: Vec<String>,
}

/// A table as read from a file: headers and rows, all text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

/// Reads `path` (CSV, or .xlsx/.xls/.ods) into a [`Sheet`]; `sheet_name` picks a worksheet,
/// otherwise the first is used.
pub fn read_sheet(path: &Path, sheet_name: Option<&str>) -> Result<Sheet, Box<Diagnostic>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, sheet_name),
        _ => {
            let bytes = std::fs::read(path).map_err(|e| Box::new(unreadable(path, &e)))?;
            let (text, _) = decode(path, &bytes)?;
            parse_csv(path, &text)
        }
    }
}

fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        Location::File,
        format!("无法读取文件：{e}"),
        format!("cannot read the file: {e}"),
    )
}

/// Parses CSV text. Rows that are entirely blank are skipped (Excel leaves them behind).
pub fn parse_csv(path: &Path, text: &str) -> Result<Sheet, Box<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let (mut counted_to, mut line_count) = (0usize, 0usize);
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Box::new(Diagnostic::error(
                path,
                Location::Line(line),
                format!("CSV 格式错误：{e}"),
                format!("malformed CSV: {e}"),
            ))
        })?;
        // The csv crate does not count skipped blank lines; the byte offset is exact.
        let mut offset = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(offset), Some(b'\n' | b'\r')) {
            offset += 1;
        }
        // Newlines are counted from the previous record on, so a large sheet stays linear.
        let offset = offset.min(text.len()).max(counted_to);
        line_count += text.as_bytes()[counted_to..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = offset;
        let line = line_count + 1;
        records.push(SheetRow {
            row: line,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    into_sheet(path, records)
}

fn read_workbook(path: &Path, sheet_name: Option<&str>) -> Result<Sheet, Box<Diagnostic>> {
    let mut workbook = open_workbook_auto(path).map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            format!("无法打开电子表格：{e}"),
            format!("cannot open the spreadsheet: {e}"),
        ))
    })?;
    let names = workbook.sheet_names();
    let name = match sheet_name {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                Box::new(Diagnostic::error(
                    path,
                    Location::File,
                    format!("找不到工作表“{wanted}”，现有：{}", names.join("、")),
                    format!(
                        "no worksheet “{wanted}”; the workbook has: {}",
                        names.join(", ")
                    ),
                ))
            })?,
        None => names.first().cloned().ok_or_else(|| {
            Box::new(Diagnostic::error(
                path,
                Location::File,
                "电子表格中没有工作表",
                "the workbook has no worksheet",
            ))
        })?,
    };
    let range = workbook.worksheet_range(&name).map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            format!("无法读取工作表“{name}”：{e}"),
            format!("cannot read worksheet “{name}”: {e}"),
        ))
    })?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let records = range
        .rows()
        .enumerate()
        .map(|(i, cells)| SheetRow {
            row: first_row + i + 1,
            cells: cells.iter().map(cell_text).collect(),
        })
        .collect();
    into_sheet(path, records)
}

/// Text of a spreadsheet cell as the user sees it: whole numbers without ".0".
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            format!("{year}年{month}月{day}日")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}

fn into_sheet(path: &Path, records: Vec<SheetRow>) -> Result<Sheet, Box<Diagnostic>> {
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
    Ok(Sheet {
        headers: header.cells.iter().map(|h| h.trim().to_owned()).collect(),
        rows: rows.collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_numbers_and_multiline_cells() {
        let sheet = parse_csv(
            Path::new("t.csv"),
            "姓名,完成时限\n\n甲,\"9月底前完成\n长期坚持\"\n乙,立即整改\n",
        )
        .unwrap();
        assert_eq!(sheet.headers, ["姓名", "完成时限"]);
        assert_eq!(sheet.rows[0].row, 3);
        assert_eq!(sheet.rows[0].cells[1], "9月底前完成\n长期坚持");
        assert_eq!(sheet.rows[1].row, 5);
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let err = parse_csv(Path::new("t.csv"), "\n,,\n").unwrap_err();
        assert!(err.zh.contains("表格是空的"));
    }
}
