//! Stage 1: reading inputs as written — the YAML manifest, CSV/spreadsheet tables, Markdown text.
//!
//! Nothing here decides what the data means; it only turns bytes into text and rows while keeping
//! positions (file, line, row, column) so every later error can point at the user's own cell.

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
