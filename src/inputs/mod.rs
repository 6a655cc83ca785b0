//! Stage 1: reading inputs as written — the YAML manifest, CSV/spreadsheet tables, Markdown text.
//!
//! Nothing here decides what the data means; it only turns bytes into text and rows while keeping
//! positions (file, line, row, column) so every later error can point at the user's own cell.
//!
//! A table is a [`sheet::Sheet`] whatever file it comes from: [`read_sheet`] picks the reader by
//! the file's extension, [`delimited`] for CSV and [`workbook`] for spreadsheets, and both build
//! the sheet with [`sheet`]'s types and checks.

use std::path::Path;

use crate::diag::Diagnostic;
use sheet::{RowLimit, Sheet, lowercase_extension};

pub(crate) mod cell_text;
pub(crate) mod columns;
pub(crate) mod delimited;
pub(crate) mod formula;
pub mod manifest;
mod nesting;
pub mod sheet;
pub mod text;
pub(crate) mod workbook;
mod yaml_errors;

pub use delimited::parse_csv;

/// Reads `path` (CSV, or .xlsx/.xls/.ods) into a [`Sheet`]; `sheet_name` picks a worksheet,
/// otherwise the first is used. It may hold as many rows as a master sheet
/// ([`RowLimit::Master`]); see [`read_sheet_within`].
pub fn read_sheet(path: &Path, sheet_name: Option<&str>) -> Result<Sheet, Box<Diagnostic>> {
    read_sheet_within(path, sheet_name, RowLimit::Master)
}

/// [`read_sheet`] for `limit`'s purpose: reading stops at the first row past its limit.
pub fn read_sheet_within(
    path: &Path,
    sheet_name: Option<&str>,
    limit: RowLimit,
) -> Result<Sheet, Box<Diagnostic>> {
    match lowercase_extension(path).as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => workbook::read_workbook(path, sheet_name, limit),
        _ => delimited::read_csv(path, limit),
    }
}
