//! Checking an uploaded sheet with the project's own readers and model: the upload is read as
//! the attachment's data file would be, then the whole project is loaded with it standing in
//! for that file ([`crate::model::batch::SheetCache::with_sheet`]) — every check `qingdan check` makes,
//! nothing written. The result is every problem, the sheet with its bad cells marked, and,
//! when it is valid, the change report `qingdan diff` gives against the current data.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::pages::{ProblemView, ReportLine, file_name};
use super::projects::{AttachmentRef, Snapshot};
use crate::diag::{Diagnostic, Location};
use crate::inputs::columns::fold_header;
use crate::inputs::read_sheet;
use crate::inputs::sheet::{Sheet, column_letters, lowercase_extension};
use crate::model::batch::SheetCache;

/// Rows shown whole; a longer sheet shows its first rows and every row with a problem.
const SHOWN_ROWS: usize = 300;

/// What the check found.
#[derive(Serialize)]
pub(super) struct Outcome {
    pub problems: Vec<ProblemView>,
    pub error_count: usize,
    pub sheet: Option<SheetView>,
    /// The change report, line by line, when the sheet is valid.
    pub report: Vec<ReportLine>,
}

#[derive(Serialize)]
pub(super) struct SheetView {
    pub headers: Vec<CellView>,
    pub rows: Vec<RowView>,
    pub hidden: usize,
}

#[derive(Serialize)]
pub(super) struct RowView {
    pub number: usize,
    pub bad: bool,
    pub message: String,
    pub cells: Vec<CellView>,
}

#[derive(Serialize, Default)]
pub(super) struct CellView {
    pub text: String,
    pub column: String,
    pub bad: bool,
    pub message: String,
}

/// Checks the upload saved at `upload` (shown as `name`) as the data of `attachment` of the
/// project in `dir`, currently `current`. Blocking.
pub(super) fn check(
    folder: &Arc<crate::project::Project>,
    current: &Snapshot,
    attachment: &AttachmentRef,
    upload: &Path,
    name: &str,
) -> Outcome {
    let dir = folder.dir.as_path();
    let workbook_target = super::upload::family(&lowercase_extension(&attachment.path)) != "csv";
    let sheet_name = attachment.sheet.as_deref().filter(|_| workbook_target);
    let rename = |path: &Path| {
        if path == upload || path == attachment.path {
            name.to_owned()
        } else {
            path.strip_prefix(dir)
                .map_or_else(|_| file_name(path), |p| p.display().to_string())
        }
    };
    let shown = |d: &Diagnostic| {
        let mut d = d.clone();
        let temp = upload.display().to_string();
        d.zh = d.zh.replace(&temp, name);
        d.en = d.en.replace(&temp, name);
        ProblemView::new(&d, &rename)
    };
    let sheet = match read_sheet(upload, sheet_name) {
        Ok(sheet) => sheet,
        Err(d) => {
            return Outcome {
                problems: vec![shown(&d)],
                error_count: 1,
                sheet: None,
                report: Vec::new(),
            };
        }
    };
    let cache =
        SheetCache::with_sheet(&attachment.path, attachment.sheet.as_deref(), sheet.clone());
    let units = crate::prepare::prepare_projects_with(folder, cache);
    let mut found: Vec<Diagnostic> = Vec::new();
    for unit in &units {
        let diagnostics = match unit {
            Ok(p) => &p.warnings,
            Err(f) => &f.diagnostics,
        };
        for d in diagnostics.iter() {
            if !found.contains(d) {
                found.push(d.clone());
            }
        }
    }
    let error_count = found.iter().filter(|d| d.is_error()).count();
    let ours: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.file == attachment.path || d.file == upload)
        .collect();
    let report = if error_count == 0 {
        report(current, &units)
    } else {
        Vec::new()
    };
    Outcome {
        problems: found.iter().map(shown).collect(),
        error_count,
        sheet: Some(sheet_view(&sheet, &ours)),
        report,
    }
}

/// `sheet` for the page, each cell a diagnostic names marked with its message.
fn sheet_view(sheet: &Sheet, diagnostics: &[&Diagnostic]) -> SheetView {
    let first_data = sheet.rows.first().map_or(usize::MAX, |r| r.row);
    let width = sheet.width();
    let column_of = |name: &str| {
        sheet
            .headers
            .iter()
            .position(|h| h == name || fold_header(h) == fold_header(name))
            .or_else(|| (0..width).find(|&i| column_letters(i) == name))
    };
    // (row, column or none for the whole row) → messages.
    let mut marks: BTreeMap<(usize, Option<usize>), Vec<String>> = BTreeMap::new();
    for d in diagnostics {
        let key = match &d.location {
            Location::Cell { row, column } => (*row, column_of(column)),
            Location::Row(row) => (*row, None),
            _ => continue,
        };
        marks
            .entry(key)
            .or_default()
            .push(format!("{} / {}", d.zh, d.en));
    }
    let message =
        |row: usize, column: Option<usize>| marks.get(&(row, column)).map(|m| m.join("\n"));
    let row_marked = |row: usize| {
        marks
            .range((row, None)..=(row, Some(usize::MAX)))
            .next()
            .is_some()
    };
    let cell = |row: usize, i: usize, text: &str, header: &str| {
        let message = message(row, Some(i));
        CellView {
            text: text.to_owned(),
            column: header.to_owned(),
            bad: message.is_some(),
            message: message.unwrap_or_default(),
        }
    };
    let header_row = marks.keys().map(|(r, _)| *r).find(|r| *r < first_data);
    let headers = (0..width)
        .map(|i| {
            let text = sheet.headers.get(i).map_or("", String::as_str);
            let mut view = cell(header_row.unwrap_or(0), i, text, text);
            if let Some(whole) = header_row.and_then(|r| message(r, None)) {
                view.bad = true;
                view.message = whole;
            }
            view
        })
        .collect();
    let mut rows = Vec::new();
    let mut hidden = 0;
    for (n, row) in sheet.rows.iter().enumerate() {
        if n >= SHOWN_ROWS && !row_marked(row.row) {
            hidden += 1;
            continue;
        }
        let whole = message(row.row, None);
        rows.push(RowView {
            number: row.row,
            bad: whole.is_some(),
            message: whole.unwrap_or_default(),
            cells: (0..width)
                .map(|i| {
                    let header = sheet
                        .headers
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| column_letters(i));
                    cell(
                        row.row,
                        i,
                        row.cells.get(i).map_or("", String::as_str),
                        &header,
                    )
                })
                .collect(),
        });
    }
    SheetView {
        headers,
        rows,
        hidden,
    }
}

/// The `qingdan diff` report between the current units and the checked ones, as lines: per
/// unit of a batch a heading, per attachment its changes, then the affected documents.
pub(super) fn report(
    current: &Snapshot,
    checked: &[Result<crate::PreparedProject, crate::FailedProject>],
) -> Vec<ReportLine> {
    // The report is plain text; the page's template escapes it as HTML.
    let line = |level, text: &str| ReportLine {
        level,
        text: text.to_owned(),
    };
    let old: BTreeMap<&str, &crate::PreparedProject> = current
        .units
        .iter()
        .filter_map(|u| u.as_ref().ok())
        .map(|p| (p.name.as_str(), p))
        .collect();
    let mut lines = Vec::new();
    for new in checked.iter().filter_map(|u| u.as_ref().ok()) {
        let heading = new.unit.as_deref().map(|u| line(1, u));
        let Some(old) = old.get(new.name.as_str()) else {
            let failed = current
                .units
                .iter()
                .any(|u| u.as_ref().is_err_and(|f| f.name == new.name));
            lines.extend(heading);
            lines.push(line(0, if failed {
                "现有数据有错误，无法比较；应用后全部重新生成。/ The current data has errors and cannot be compared; everything is rebuilt on Apply."
            } else {
                "新增单位 / new unit"
            }));
            continue;
        };
        let changes = crate::changes::compare(old, new);
        if changes.is_empty() {
            continue;
        }
        lines.extend(heading);
        for (title, items) in &changes.sections {
            lines.push(line(2, title));
            lines.extend(items.iter().map(|i| line(3, i)));
        }
        lines.push(line(2, "受影响的文件 / Affected documents"));
        lines.extend(changes.affected.iter().map(|d| line(3, d)));
    }
    if lines.is_empty() {
        lines.push(line(0, "没有变化。/ No changes."));
    }
    lines
}
