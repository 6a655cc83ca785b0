//! Downloads: one built file of a document (PDF, .docx, Markdown), or all of a project as a
//! ZIP — for a batch, one folder per unit and `索引.md`.
//!
//! Only files the build wrote are read: the output folder of a served project, the name of a
//! document the project has, one of three extensions. Nothing is listed from the disk, and a
//! file that is not a regular file (a link someone put there) is not followed.

use std::io::Write;
use std::path::{Path, PathBuf};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::AppState;
use super::pages::ErrorPage;
use super::projects::Snapshot;
use crate::build::INDEX_FILE;

/// The kinds of file a document can be downloaded as: extension and content type.
pub const KINDS: [(&str, &str); 3] = [
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("md", "text/markdown; charset=utf-8"),
];

/// The output file of document `name` of the unit named `unit` (`<project>` or
/// `<project>/<unit>`), with extension `ext`.
pub fn output_file(state: &AppState, unit: &str, name: &str, ext: &str) -> PathBuf {
    state
        .options
        .output
        .join(unit)
        .join(format!("{name}.{ext}"))
}

/// The bytes of a file the build wrote, if it is there and a regular file.
fn read_built(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.file_type()
        .is_file()
        .then(|| std::fs::read(path).ok())?
}

/// `bytes` as a download named `file_name`, of `content_type`.
pub fn attachment(bytes: Vec<u8>, file_name: &str, content_type: &'static str) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(file_name),
        percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC)
    );
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        bytes,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A file name for browsers that ignore `filename*`: its ASCII letters, digits, `.` `-` `_`.
fn ascii_fallback(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    kept
}

/// The file `ext` of document `name` of the unit named `unit`, as a download.
pub fn document(state: &AppState, unit: &str, name: &str, ext: &str) -> Response {
    let Some(&(_, content_type)) = KINDS.iter().find(|(e, _)| *e == ext) else {
        return ErrorPage::not_found("文件类型", "kind of file").into_response();
    };
    match read_built(&output_file(state, unit, name, ext)) {
        Some(bytes) => attachment(bytes, &format!("{name}.{ext}"), content_type),
        None => not_built(name).into_response(),
    }
}

/// The answer for a file the build has not written (yet).
fn not_built(name: &str) -> ErrorPage {
    ErrorPage::new(
        StatusCode::NOT_FOUND,
        format!("“{name}”尚未生成（项目有错误，或正在生成）"),
        format!("“{name}” has not been built (the project has errors, or is being built)"),
    )
    .hint(
        "在项目页查看错误，改正后重新上传表格",
        "see the errors on the project page; fix them and upload the sheet again",
    )
}

/// Every built file of the project as one ZIP: `<document>.<ext>` for a plain project;
/// `<unit>/<document>.<ext>` and `索引.md` for a batch. Units that failed have no folder.
/// Blocking (reads and compresses).
pub fn zip_project(state: &AppState, project: &str, snapshot: &Snapshot) -> Response {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for unit in snapshot.units.iter().filter_map(|u| u.as_ref().ok()) {
        let folder = unit.name.split_once('/').map(|(_, u)| format!("{u}/"));
        for document in &unit.documents {
            for (ext, _) in KINDS {
                let path = output_file(state, &unit.name, &document.name, ext);
                let entry = format!("{}{}.{ext}", folder.as_deref().unwrap_or(""), document.name);
                files.push((entry, path));
            }
        }
    }
    if snapshot.batch {
        let index = state.options.output.join(project).join(INDEX_FILE);
        files.push((INDEX_FILE.to_owned(), index));
    }
    match write_zip(&files) {
        Ok((_, 0)) => not_built(project).into_response(),
        Ok((bytes, _)) => attachment(bytes, &format!("{project}.zip"), "application/zip"),
        Err(e) => ErrorPage::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法生成 ZIP：{e}"),
            format!("cannot make the ZIP: {e}"),
        )
        .into_response(),
    }
}

/// The ZIP of those `files` that are built, and how many were; PDFs and .docx (compressed
/// already) stored as they are, Markdown deflated. Fixed timestamps: the same files give the
/// same ZIP.
fn write_zip(files: &[(String, PathBuf)]) -> zip::result::ZipResult<(Vec<u8>, usize)> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut count = 0;
    for (entry, path) in files {
        let Some(bytes) = read_built(path) else {
            continue;
        };
        let method = if entry.ends_with(".md") {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::default());
        zip.start_file(entry.as_str(), options)?;
        zip.write_all(&bytes)?;
        count += 1;
    }
    Ok((zip.finish()?.into_inner(), count))
}
