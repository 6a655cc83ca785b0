//! Downloads: one built file of a document (PDF, .docx, Markdown); all of a project as a ZIP
//! is [`super::zip`].
//!
//! Only files the build wrote are read: the output folder of a served project, the name of a
//! document the project has, one of three extensions. Nothing is listed from the disk, and a
//! file that is not a regular file (a link someone put there) is not followed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path as UrlPath, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ErrorPage;
use super::ids::DocumentPath;

/// The kinds of file a document can be downloaded as: extension and content type.
pub(super) const KINDS: [(&str, &str); 3] = [
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("md", "text/markdown; charset=utf-8"),
];

/// The output file of document `name` of the unit named `unit` (`<project>` or
/// `<project>/<unit>`), with extension `ext`.
pub(super) fn output_file(state: &AppState, unit: &str, name: &str, ext: &str) -> PathBuf {
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

/// `body` as a download named `file_name`, of `content_type`.
pub(super) fn attachment(
    body: impl Into<Body>,
    file_name: &str,
    content_type: &'static str,
) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(file_name),
        percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC)
    );
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.into(),
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

/// The `{kind}` of a download URL: one of [`KINDS`], as extension and content type.
pub(super) struct Kind(&'static str, &'static str);

impl<S: Send + Sync> FromRequestParts<S> for Kind {
    type Rejection = ErrorPage;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ErrorPage> {
        let UrlPath(params) =
            UrlPath::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
                .await?;
        let kind = params.get("kind").map(String::as_str);
        KINDS
            .iter()
            .find(|(ext, _)| Some(*ext) == kind)
            .map(|&(ext, content_type)| Self(ext, content_type))
            .ok_or_else(|| ErrorPage::not_found("文件类型", "kind of file"))
    }
}

/// `GET /p/{p}/u/{u}/d/{d}/{kind}`: a document's built file, as a download.
pub(super) async fn document(
    State(state): State<Arc<AppState>>,
    document: DocumentPath,
    Kind(ext, content_type): Kind,
) -> Result<Response, ErrorPage> {
    let (unit, name) = (&document.unit.prepared().name, document.name());
    let bytes = read_built(&output_file(&state, unit, name, ext)).ok_or_else(|| not_built(name))?;
    Ok(attachment(bytes, &format!("{name}.{ext}"), content_type))
}

/// The answer for a file the build has not written (yet).
pub(super) fn not_built(name: &str) -> ErrorPage {
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
