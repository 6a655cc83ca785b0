//! Apply: the checked upload goes into the project, the previous file is kept, the project is
//! rebuilt (only documents whose inputs changed are compiled and rewritten) and its previews
//! follow, being keyed by document version.
//!
//! The Apply form carries the digest of the data file the upload was checked against. If the
//! file changed since (another tab applied first, or someone edited it), Apply refuses with 409
//! and changes nothing: the clerk checks the upload again against the new data, so no change
//! is merged silently. Applies run one at a time, and each owns the output folder from that
//! comparison to the end of its rebuild ([`crate::output::lock`]): a `qingdan build` running
//! meanwhile finishes first, or waits.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::{ErrorPage, io_reason};
use super::pages::file_name;
use super::rebuild::{PATIENCE, busy};
use super::upload::{family, file_digest};
use crate::inputs::formula::guard;
use crate::inputs::sheet::lowercase_extension;
use crate::output::lock::{LockError, Owner};
use crate::output::write_atomic;

/// The folder of a project, beside its manifest, where each replaced data file is kept.
pub(super) const HISTORY: &str = ".qingdan-history";

/// What stopped an Apply, decided while the output folder is owned.
enum Stopped {
    Busy(Owner),
    Unowned(std::io::Error),
    Changed,
    Failed(Failure),
}

/// Applies upload `token` to attachment `a` of project `p`, if the data file still has
/// `digest`; answers with the project page to go to.
pub(super) async fn apply(
    state: Arc<AppState>,
    p: usize,
    a: usize,
    token: &str,
    digest: &str,
) -> Result<Response, ErrorPage> {
    let _one_at_a_time = state.apply_lock.lock().await;
    let snapshot = state.projects[p].snapshot();
    let attachment = snapshot
        .attachments
        .get(a)
        .ok_or_else(|| ErrorPage::not_found("附件", "attachment"))?;
    let upload = state.uploads.take(token, p, a).ok_or_else(|| {
        ErrorPage::new(
            StatusCode::GONE,
            "这次上传已应用或已过期，未做任何修改",
            "this upload was applied already or has expired; nothing was changed",
        )
        .hint("重新上传表格并检查", "upload the sheet again and check it")
    })?;
    let path = attachment.path.clone();
    let digest = digest.to_owned();
    let worker = state.clone();
    // From comparing the data file to the end of the rebuild, nobody else writes the output
    // folder: a `qingdan build` that read the old file cannot write its documents over ours.
    let (stopped, upload) = tokio::task::spawn_blocking(move || {
        let project = &worker.projects[p];
        let owner = match worker.own_output(Some(PATIENCE)) {
            Ok(owner) => owner,
            Err(LockError::Busy(owner)) => return (Some(Stopped::Busy(owner)), Some(upload)),
            Err(LockError::Io(e)) => return (Some(Stopped::Unowned(e)), Some(upload)),
        };
        if file_digest(&path) != digest {
            return (Some(Stopped::Changed), None);
        }
        if let Err(failure) = replace(&project.dir, &path, &upload.path) {
            return (Some(Stopped::Failed(failure)), None);
        }
        project.rebuild(&worker, &owner);
        (None, None)
    })
    .await
    .map_err(|_| ErrorPage::internal("应用未完成", "the Apply did not finish"))?;
    // An upload not applied because the folder was busy can be applied again.
    if let Some(upload) = upload {
        state.uploads.keep(upload);
    }
    match stopped {
        None => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/p/{p}?applied={a}"))],
        )
            .into_response()),
        Some(Stopped::Changed) => Err(changed_since_check(&attachment.file)),
        Some(Stopped::Failed(failure)) => Err(failure.page(&attachment.file)),
        Some(Stopped::Busy(owner)) => Err(busy(&owner)),
        Some(Stopped::Unowned(e)) => Err(Failure::io(
            (
                "建立输出文件夹的锁文件",
                "making the output folder's lock file",
            ),
            &e,
        )
        .page(&attachment.file)),
    }
}

/// The 409 for a data file that changed since the upload was checked.
fn changed_since_check(file: &str) -> ErrorPage {
    ErrorPage::new(
        StatusCode::CONFLICT,
        format!("“{file}”在检查之后已被修改（可能在另一个窗口中应用了其他表格），未做任何修改"),
        format!(
            "“{file}” has changed since this upload was checked (perhaps another tab applied a sheet); nothing was changed"
        ),
    )
    .hint(
        "重新上传这个表格：它会与现在的数据重新比较",
        "upload this sheet again: it is compared with the data as it is now",
    )
}

/// Why the data file could not be replaced: the step that failed and the reason, in both
/// languages, never a path.
struct Failure {
    zh: String,
    en: String,
}

impl Failure {
    /// `step` (what was being done) failed with `e`.
    fn io(step: (&str, &str), e: &std::io::Error) -> Self {
        let (zh, en) = io_reason(e);
        Self {
            zh: format!("{}：{zh}", step.0),
            en: format!("{}: {en}", step.1),
        }
    }

    fn page(&self, file: &str) -> ErrorPage {
        ErrorPage::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法写入“{file}”（{}）；原文件未改动", self.zh),
            format!("cannot write “{file}” ({}); the file was left as it was", self.en),
        )
        .hint(
            "腾出磁盘空间或检查文件夹的写入权限后，重新上传并应用",
            "free some disk space or check that the folder can be written, then upload and apply again",
        )
    }
}

/// Keeps a copy of `data` in the project's history folder, then writes the upload at `upload`
/// over it atomically — as it is, or as UTF-8 CSV when the data file is a CSV and the upload a
/// workbook (its cells are text already, as read for the check).
fn replace(dir: &Path, data: &Path, upload: &Path) -> Result<(), Failure> {
    let read_upload = ("读取上传的文件", "reading the upload");
    let bytes = if family(&lowercase_extension(upload)) == family(&lowercase_extension(data)) {
        std::fs::read(upload).map_err(|e| Failure::io(read_upload, &e))?
    } else {
        let sheet = crate::inputs::read_sheet(upload, None).map_err(|d| Failure {
            zh: d
                .zh
                .replace(&upload.display().to_string(), &file_name(upload)),
            en: d
                .en
                .replace(&upload.display().to_string(), &file_name(upload)),
        })?;
        sheet_as_csv(&sheet).map_err(|e| Failure {
            zh: format!("无法写成 CSV：{e}"),
            en: format!("cannot write it as CSV: {e}"),
        })?
    };
    let old =
        std::fs::read(data).map_err(|e| Failure::io(("读取原文件", "reading the file"), &e))?;
    let kept = history_path(dir, data);
    write_atomic(&kept, &old).map_err(|e| {
        Failure::io(
            (
                &format!("保存旧版本到 {HISTORY}"),
                &format!("keeping the old version in {HISTORY}"),
            ),
            &e,
        )
    })?;
    write_atomic(data, &bytes)
        .map_err(|e| Failure::io(("写入新表格", "writing the new sheet"), &e))?;
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

/// `sheet` as a UTF-8 CSV: the header row, then every row padded to the header's width. A cell
/// a spreadsheet would run as a formula gets an apostrophe before it, every cell is quoted
/// (OWASP's CSV-injection guidance), and qingdan's reader takes the apostrophe off again
/// ([`crate::inputs::formula`]).
fn sheet_as_csv(sheet: &crate::inputs::sheet::Sheet) -> csv::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let width = sheet.width();
    let padded = |cells: &[String]| -> Vec<String> {
        (0..width)
            .map(|i| guard(cells.get(i).map_or("", String::as_str)).into_owned())
            .collect()
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
                // Cells a spreadsheet would run as formulas, and one that looks guarded.
                crate::inputs::sheet::SheetRow {
                    row: 4,
                    cells: vec![
                        "=HYPERLINK(\"http://x.example\",\"点我\")".into(),
                        "+86 138".into(),
                        "'@SUM(A1)".into(),
                    ],
                },
            ],
            problems: Vec::new(),
        };
        let csv = sheet_as_csv(&sheet).unwrap();
        let text = String::from_utf8(csv).unwrap();
        // What a spreadsheet sees: every cell quoted, none starting with a formula character.
        let mut raw = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for record in raw.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
            }
        }
        assert!(text.starts_with("\"姓名\",\"职务\""), "{text}");
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
