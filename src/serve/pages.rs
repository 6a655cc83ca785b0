//! The pages: Tera templates embedded in the binary (HTML-escaped automatically, being `.html`),
//! each filled from a `#[derive(Serialize)]` view struct made beside its handler
//! ([`super::browse`], [`super::changes`], [`super::error`]; [`ProblemView`] here, shared),
//! never from domain types. A little plain JavaScript (`app.js`) and one style sheet; no build
//! step.
//!
//! Stable element ids and classes, for the browser test and anyone scripting the page:
//!
//! | page | ids | classes |
//! |---|---|---|
//! | every page | `#home-link`, `#content` | |
//! | home `/` | `#projects` | `.project` (`data-project`), `.project-link`, `.status` with `.status-clean` / `.status-errors` / `.status-unbuilt`, `.unit` (`data-unit`), `.document-name` |
//! | project `/p/{p}`, unit `/p/{p}/u/{u}` | `#project-name`, `#build-status`, `#applied-banner` (after Apply), `#download-all`, `#attachments`, `#units`, `#documents`, `#problems` | `.upload-link` (`data-attachment`), `.unit-link`, `.document` (`data-document` = file name), `.preview-page` (`data-page`), `.preview-error`, `.download-pdf`, `.download-docx`, `.download-md`, `.problem` |
//! | upload `/p/{p}/a/{a}` | `#upload-form`, `#upload-file` (field `file`), `#upload-submit`, `#upload-progress` | |
//! | check result (POST `/p/{p}/a/{a}/check`) | `#check-result` (`data-valid` = `true` / `false`), `#problems`, `#sheet`, `#change-report`, `#apply-form`, `#apply-submit` | `.problem`, `.problem-row`, `.problem-column`, `.problem-zh`, `.problem-en`, `.problem-fix`, `.bad-cell` (`data-row`, `data-column`, `title` = message), `.bad-row`, `.report-line` |
//! | upload `/p/{p}/a/{a}` (more) | `#blank-sheet`; hidden field `loaded` (the data file's digest as the page shows it) | |
//! | errors | `#error` (`data-status`), `#error-details` (what changed, for a conflict) | `.error-zh`, `.error-en`, `.error-hint`, `.error-detail` |
//! | home `/` (more) | `#import-link` | |
//! | import `/import` | `#import-form`, `#import-file` (field `file`), `#import-text` (field `text`), `#import-submit` | |
//! | import check (POST `/import/check`) | `#import-result` (`data-valid`), `#import-folder`, `#import-report`, `#problems`, `#import-files`, `#documents`, `#create-form`, `#create-submit` | `.report-note` (`data-level` = `guess` / `left` / `warning`), `.project-file` (`data-file`), `.document`, `.preview-page` |
//! | import created (POST `/import/create`) | `#import-created` (`data-folder`) | `.project-file` |

use std::sync::OnceLock;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use tera::{Context, Tera};

use super::error::ErrorPage;
use crate::diag::{Diagnostic, Location, Severity};

/// The templates, by name.
const TEMPLATES: [(&str, &str); 11] = [
    ("base.html", include_str!("templates/base.html")),
    ("home.html", include_str!("templates/home.html")),
    ("project.html", include_str!("templates/project.html")),
    ("upload.html", include_str!("templates/upload.html")),
    ("check.html", include_str!("templates/check.html")),
    ("error.html", include_str!("templates/error.html")),
    ("problems.html", include_str!("templates/problems.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("import.html", include_str!("templates/import.html")),
    (
        "import-check.html",
        include_str!("templates/import-check.html"),
    ),
    (
        "import-created.html",
        include_str!("templates/import-created.html"),
    ),
];

/// The style sheet and script, served under `/assets/`.
pub(super) const STYLE: &str = include_str!("templates/style.css");
pub(super) const SCRIPT: &str = include_str!("templates/app.js");

fn tera() -> &'static Result<Tera, String> {
    static TERA: OnceLock<Result<Tera, String>> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = Tera::default();
        tera.add_raw_templates(TEMPLATES).map_err(|e| chain(&e))?;
        Ok(tera)
    })
}

/// Tera's message with its causes (the useful part is in `source()`).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// Renders template `name` with `view` as `page`, answered with `status`; a failing template
/// (a bug in a built-in one) is a 500 page.
pub(super) fn render(
    status: StatusCode,
    name: &str,
    view: &impl Serialize,
) -> Result<Response, ErrorPage> {
    let tera = tera().as_ref().map_err(|e| template_error(e))?;
    let mut context = Context::new();
    context.insert("page", view);
    match tera.render(name, &context) {
        Ok(html) => Ok((status, Html(html)).into_response()),
        Err(e) => Err(template_error(&chain(&e))),
    }
}

fn template_error(e: &str) -> ErrorPage {
    ErrorPage::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("页面模板出错：{e}"),
        format!("page template error: {e}"),
    )
}

/// One problem, as a row of the problems table.
#[derive(Debug, Serialize)]
pub(super) struct ProblemView {
    pub error: bool,
    /// The file's name (or the upload's), never a full path.
    pub file: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub zh: String,
    pub en: String,
    pub fix_zh: String,
    pub fix_en: String,
}

impl ProblemView {
    /// `d` for the page; `rename` turns a file's path into the name shown.
    pub(super) fn new(d: &Diagnostic, rename: &dyn Fn(&std::path::Path) -> String) -> Self {
        let (row, column) = match &d.location {
            Location::Cell { row, column } => (Some(*row), Some(column.clone())),
            Location::Row(row) => (Some(*row), None),
            Location::Line(line) => (Some(*line), None),
            Location::Key(key) => (None, Some(key.clone())),
            Location::File => (None, None),
        };
        let (fix_zh, fix_en) = d.hint.clone().unwrap_or_default();
        Self {
            error: d.severity == Severity::Error,
            file: rename(&d.file),
            row,
            column,
            zh: d.zh.clone(),
            en: d.en.clone(),
            fix_zh,
            fix_en,
        }
    }
}

/// One line of a change report, as plain text (the template escapes it): a heading (level 1,
/// 2), an item (3) or a sentence (0).
#[derive(Debug, Serialize)]
pub(super) struct ReportLine {
    pub level: u8,
    pub text: String,
}

/// The file name of `path`, for display.
pub(super) fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}
