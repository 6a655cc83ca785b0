//! 安排表 (e.g. 带队检查安排表): a plain table whose first column names a leader.
//!
//! The columns are whatever the office prints (带队领导 | 牵头部门 | 检查范围…), so headers are kept
//! as written. Only the first column has a meaning we check: it must name someone. A blank
//! below a name means that name again, as a merged cell comes out of a spreadsheet (the PDF and
//! the .docx merge it back).

use std::path::Path;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::sheet::Sheet;

/// A validated schedule: printed headers and rows of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    /// Sheet row of each data row, for cross-check messages.
    #[serde(skip)]
    pub(crate) sheet_rows: Vec<usize>,
    /// The file it came from, for cross-check messages.
    #[serde(skip)]
    pub(crate) path: std::path::PathBuf,
}

/// Validates a schedule sheet. The schedule is returned even when rows have errors (they are in
/// `diags`), so its leaders can still be cross-checked in the same run.
pub(crate) fn build_schedule(
    path: &Path,
    sheet: &Sheet,
    diags: &mut Diagnostics,
) -> Option<Schedule> {
    let width = sheet.headers.len();
    for (i, header) in sheet.headers.iter().enumerate() {
        if header.is_empty() {
            diags.push(Diagnostic::error(
                path,
                Location::Row(1),
                format!("第{}列没有列名", i + 1),
                format!("column {} has no header", i + 1),
            ));
        }
    }
    let mut rows = Vec::new();
    let mut sheet_rows = Vec::new();
    for row in &sheet.rows {
        // Text beyond the header was reported when the sheet was read.
        let mut cells: Vec<String> = row.cells.iter().map(|c| c.trim().to_owned()).collect();
        cells.resize(width, String::new());
        // A blank below a name is that name again (a merged cell); the first row needs one.
        if cells[0].is_empty() && rows.is_empty() {
            diags.push(Diagnostic::error(
                path,
                Location::Cell {
                    row: row.row,
                    column: sheet.headers[0].clone(),
                },
                format!("“{}”为空", sheet.headers[0]),
                format!("“{}” is empty", sheet.headers[0]),
            ));
        }
        rows.push(cells);
        sheet_rows.push(row.row);
    }
    if rows.is_empty() {
        diags.push(Diagnostic::error(
            path,
            Location::File,
            "安排表中没有任何行",
            "the schedule has no rows",
        ));
    }
    Some(Schedule {
        headers: sheet.headers.clone(),
        rows,
        sheet_rows,
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_leader_below_a_name_is_that_name_merged_but_not_on_the_first_row() {
        let path = Path::new("安排.csv");
        let sheet =
            crate::inputs::parse_csv(path, "带队领导,检查范围\n郭环球,甲村\n,乙村\n").unwrap();
        let mut diags = Diagnostics::new();
        let schedule = build_schedule(path, &sheet, &mut diags).unwrap();
        assert!(diags.is_empty(), "{diags}");
        assert_eq!(schedule.rows[1], ["", "乙村"]);
        let sheet = crate::inputs::parse_csv(path, "带队领导,检查范围\n,甲村\n").unwrap();
        let mut diags = Diagnostics::new();
        build_schedule(path, &sheet, &mut diags);
        assert!(diags.to_string().contains("“带队领导”为空"), "{diags}");
    }
}
