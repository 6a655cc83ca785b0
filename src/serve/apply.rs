//! Apply: the checked upload goes into the project, the previous file is kept, the project is
//! rebuilt (only documents whose inputs changed are compiled and rewritten) and its previews
//! follow, being keyed by document version.
//!
//! The Apply form carries the digest of the data file the upload was checked against. If the
//! file changed since (another tab applied first, or someone edited it), Apply refuses with 409
//! and changes nothing: the clerk checks the upload again against the new data, so no change
//! is merged silently. Applies run one at a time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::check::ext_of;
use super::pages::{ErrorPage, file_name};
use super::upload::{family, file_digest};
use crate::output::write_atomic;

/// The folder of a project, beside its manifest, where each replaced data file is kept.
pub(super) const HISTORY: &str = ".qingdan-history";

/// Applies upload `token` to attachment `a` of project `p`, if the data file still has
/// `digest`.
pub(super) async fn apply(
    state: Arc<AppState>,
    p: usize,
    a: usize,
    token: &str,
    digest: &str,
) -> Response {
    let _one_at_a_time = state.apply_lock.lock().await;
    let project = &state.projects[p];
    let snapshot = project.snapshot();
    let Some(attachment) = snapshot.attachments.get(a) else {
        return ErrorPage::not_found("附件", "attachment").into_response();
    };
    let Some(upload) = state.uploads.take(token, p, a) else {
        return ErrorPage::new(
            StatusCode::GONE,
            "这次上传已应用或已过期，未做任何修改",
            "this upload was applied already or has expired; nothing was changed",
        )
        .hint("重新上传表格并检查", "upload the sheet again and check it")
        .into_response();
    };
    if file_digest(&attachment.path) != digest {
        return ErrorPage::new(
            StatusCode::CONFLICT,
            format!(
                "“{}”在检查之后已被修改（可能在另一个窗口中应用了其他表格），未做任何修改",
                attachment.file
            ),
            format!(
                "“{}” has changed since this upload was checked (perhaps another tab applied a sheet); nothing was changed",
                attachment.file
            ),
        )
        .hint(
            "重新上传这个表格：它会与现在的数据重新比较",
            "upload this sheet again: it is compared with the data as it is now",
        )
        .into_response();
    }
    let path = attachment.path.clone();
    let dir = project.dir.clone();
    let worker = state.clone();
    let written = tokio::task::spawn_blocking(move || {
        let result = replace(&dir, &path, &upload.path);
        if result.is_ok() {
            worker.projects[p].rebuild(&worker);
        }
        result
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    match written {
        Ok(()) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/p/{p}?applied={a}"))],
        )
            .into_response(),
        Err(e) => ErrorPage::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法写入“{}”：{e}；原文件未改动", attachment.file),
            format!(
                "cannot write “{}”: {e}; the file was left as it was",
                attachment.file
            ),
        )
        .into_response(),
    }
}

/// Keeps a copy of `data` in the project's history folder, then writes the upload at `upload`
/// over it atomically — as it is, or as UTF-8 CSV when the data file is a CSV and the upload a
/// workbook (its cells are text already, as read for the check).
fn replace(dir: &Path, data: &Path, upload: &Path) -> Result<(), String> {
    let bytes = if family(&ext_of(upload)) == family(&ext_of(data)) {
        std::fs::read(upload).map_err(|e| e.to_string())?
    } else {
        let sheet = crate::inputs::read_sheet(upload, None).map_err(|d| d.en.clone())?;
        sheet_as_csv(&sheet).map_err(|e| e.to_string())?
    };
    let old = std::fs::read(data).map_err(|e| e.to_string())?;
    let kept = history_path(dir, data);
    write_atomic(&kept, &old).map_err(|e| format!("{}: {e}", kept.display()))?;
    write_atomic(data, &bytes).map_err(|e| e.to_string())?;
    Ok(())
}

/// Where the version of `data` replaced now is kept: `.qingdan-history/<UTC time>-<name>`.
fn history_path(dir: &Path, data: &Path) -> PathBuf {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = format!("{}-{}", utc_stamp(seconds), file_name(data));
    let folder = dir.join(HISTORY);
    // Two applies within a second keep both versions.
    (0..)
        .map(|n| {
            if n == 0 {
                folder.join(&base)
            } else {
                folder.join(format!("{n}-{base}"))
            }
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| folder.join(base))
}

/// `seconds` since 1970 as `YYYYMMDD-HHMMSS` UTC (the civil-from-days algorithm of
/// H. Hinnant's `chrono`-compatible date library).
fn utc_stamp(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `sheet` as a UTF-8 CSV: the header row, then every row padded to the header's width.
fn sheet_as_csv(sheet: &crate::inputs::sheet::Sheet) -> csv::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let width = sheet.width();
    let padded = |cells: &[String]| {
        let mut cells = cells.to_vec();
        cells.resize(width, String::new());
        cells
    };
    writer.write_record(padded(&sheet.headers))?;
    for row in &sheet.rows {
        writer.write_record(padded(&row.cells))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_written_as_csv_reads_back_the_same() {
        // Commas, quotes, line breaks and a short row: what a roster's cells hold.
        let sheet = crate::inputs::sheet::Sheet {
            headers: vec!["姓名".into(), "职务".into(), "工作职责".into()],
            rows: vec![
                crate::inputs::sheet::SheetRow {
                    row: 2,
                    cells: vec![
                        "张三".into(),
                        "局长".into(),
                        "甲，乙, \"丙\"\n第二行".into(),
                    ],
                },
                crate::inputs::sheet::SheetRow {
                    row: 3,
                    cells: vec![String::new(), String::new(), "只有职责".into()],
                },
            ],
            problems: Vec::new(),
        };
        let csv = sheet_as_csv(&sheet).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let back = crate::inputs::parse_csv(Path::new("x.csv"), &text).unwrap();
        assert_eq!(back.headers, sheet.headers);
        let cells = |s: &crate::inputs::sheet::Sheet| -> Vec<Vec<String>> {
            s.rows.iter().map(|r| r.cells.clone()).collect()
        };
        assert_eq!(cells(&back), cells(&sheet));
    }

    #[test]
    fn utc_stamps_match_known_dates() {
        // (seconds since 1970, stamp) — checked with `date -u -d @SECONDS +%Y%m%d-%H%M%S`.
        for (seconds, stamp) in [
            (0, "19700101-000000"),
            (951_782_400, "20000229-000000"),
            (1_764_590_400, "20251201-120000"),
            (4_102_444_799, "20991231-235959"),
        ] {
            assert_eq!(utc_stamp(seconds), stamp, "{seconds}");
        }
    }
}
