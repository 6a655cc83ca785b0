//! "从已有文件开始 / start from an existing document": a clerk uploads last year's .docx (or a
//! .txt / .md, or pastes text), sees the import's report and the new project's documents page by
//! page, and creates the project folder beside the served ones.
//!
//! The import is the library's ([`crate::import`]), run as `qingdan import` runs it: read,
//! recognised, and checked by loading the project with qingdan's own loader — in a temporary
//! folder of its own, never in the served folder, where a build could find it half-made. The
//! checked project is kept in memory under a random token until the clerk presses Create; then
//! its files are written beside the served projects, staged and renamed into place in one step,
//! never over an existing folder. The served projects are fixed when the server starts, so the
//! new one is served after a restart; the page says so, and names the folder.

mod drafts;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Multipart, Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::error::ErrorPage;
use super::ids::digits;
use super::pages::{ProblemView, render};
use super::{AppState, UPLOAD_LIMIT, upload};
use crate::import::{Input, Note};
pub(super) use drafts::Drafts;
use drafts::{import, projects_folder};

/// The name a pasted text is imported under (its extension says: plain text).
const PASTED: &str = "粘贴的文字.txt";

#[derive(Serialize)]
struct FormView {
    limit_mb: usize,
    limit_bytes: usize,
}

pub(super) async fn form() -> Result<Response, ErrorPage> {
    render(
        StatusCode::OK,
        "import.html",
        &FormView {
            limit_mb: UPLOAD_LIMIT >> 20,
            limit_bytes: UPLOAD_LIMIT,
        },
    )
}

/// Reads the form: the `file` chosen, else the `text` pasted. The browser's file name is kept
/// for its extension and for messages, never used as a path.
async fn receive(mut multipart: Multipart) -> Result<Input, ErrorPage> {
    let mut pasted = None;
    while let Some(mut field) = multipart.next_field().await.map_err(upload::broken)? {
        let name = match field.name() {
            Some("file") => field
                .file_name()
                .and_then(|n| n.rsplit(['/', '\\']).next())
                .unwrap_or_default()
                .to_owned(),
            Some("text") => PASTED.to_owned(),
            _ => continue,
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(upload::broken)? {
            if bytes.len() + chunk.len() > UPLOAD_LIMIT {
                return Err(upload::too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == PASTED {
            pasted = Some(bytes);
        } else if !bytes.is_empty() {
            return Ok(Input {
                name: PathBuf::from(name),
                bytes,
            });
        }
    }
    match pasted {
        Some(bytes) if !String::from_utf8_lossy(&bytes).trim().is_empty() => Ok(Input {
            name: PathBuf::from(PASTED),
            bytes,
        }),
        _ => Err(ErrorPage::new(
            StatusCode::BAD_REQUEST,
            "没有选择文件，也没有粘贴文字，未做任何修改",
            "no file was chosen and no text pasted; nothing was changed",
        )
        .hint(
            "选一个 .docx 文件，或把公文的文字粘贴到文本框里，再按“导入”",
            "choose a .docx file, or paste the document's text into the box, then Import",
        )),
    }
}

/// One file of the new project: its name and, for reading on the page, its text.
#[derive(Serialize)]
struct FileView {
    name: String,
    text: String,
}

/// One document of the new project, with its preview pages.
#[derive(Serialize)]
struct DocumentView {
    name: String,
    base: String,
    pages: Vec<usize>,
    error: Option<String>,
}

#[derive(Serialize)]
struct CheckView<'a> {
    upload: String,
    valid: bool,
    token: &'a str,
    folder: &'a str,
    warnings: usize,
    report: &'a [Note],
    problems: Vec<ProblemView>,
    files: Vec<FileView>,
    documents: Vec<DocumentView>,
}

/// `POST /import/check`: imports the upload into memory and shows the report, the files and
/// the documents; writes nothing where projects are. It takes a turn among the checks, as a
/// sheet's check does, before the file is received.
pub(super) async fn check(
    State(state): State<Arc<AppState>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ErrorPage> {
    let (_turn, input) =
        upload::in_turn(&state, ("无法导入", "cannot import"), receive(multipart?)).await?;
    let upload = input.name.display().to_string();
    let parent = projects_folder(&state.options.dir);
    let token = state.uploads.token(&input.bytes);
    let outcome = tokio::task::spawn_blocking(move || import(input, &parent, token))
        .await
        .map_err(|_| ErrorPage::internal("导入失败", "the import failed"))?;
    let draft = match outcome {
        Ok(draft) => Arc::new(draft),
        Err(diags) => {
            let problems = diags
                .iter()
                .map(|d| ProblemView::new(d, &|p| p.display().to_string()))
                .collect();
            let view = CheckView {
                upload,
                valid: false,
                token: "",
                folder: "",
                warnings: 0,
                report: &[],
                problems,
                files: Vec::new(),
                documents: Vec::new(),
            };
            return render(StatusCode::UNPROCESSABLE_ENTITY, "import-check.html", &view);
        }
    };
    state.imports.keep(draft.clone());
    // Every document compiled at once (the preview cache bounds how many compile together).
    let tasks: Vec<_> = (0..draft.checked.prepared.documents.len())
        .map(|d| {
            let (state, draft) = (state.clone(), draft.clone());
            tokio::spawn(async move {
                super::preview::pages_of(&state, &draft.checked.prepared, d).await
            })
        })
        .collect();
    let mut documents = Vec::new();
    for ((d, document), task) in draft
        .checked
        .prepared
        .documents
        .iter()
        .enumerate()
        .zip(tasks)
    {
        let (pages, error) = match task.await.unwrap_or_else(|e| Err(e.to_string())) {
            Ok(pages) => ((1..=pages.len()).collect(), None),
            Err(e) => (Vec::new(), Some(e)),
        };
        documents.push(DocumentView {
            name: document.name.clone(),
            base: format!("/import/{}/d/{d}", draft.token),
            pages,
            error,
        });
    }
    let checked = &draft.checked;
    let view = CheckView {
        upload,
        valid: true,
        token: &draft.token,
        folder: &draft.folder,
        warnings: checked.report.warnings(),
        report: &checked.report.notes,
        problems: checked
            .prepared
            .warnings
            .iter()
            .map(|d| ProblemView::new(d, &|p| p.display().to_string()))
            .collect(),
        files: checked
            .files
            .files
            .iter()
            .map(|(name, _)| FileView {
                name: name.clone(),
                text: checked.files.text(name).unwrap_or_default(),
            })
            .collect(),
        documents,
    };
    render(StatusCode::OK, "import-check.html", &view)
}

/// `GET /import/{token}/d/{d}/page/{n}`: a page of a document of a checked import, PNG.
pub(super) async fn page_png(
    State(state): State<Arc<AppState>>,
    UrlPath((token, d, n)): UrlPath<(String, String, String)>,
) -> Result<Response, ErrorPage> {
    let draft = state.imports.find(&token)?;
    let prepared = &draft.checked.prepared;
    let (Some(d), Some(n)) = (
        digits(&d).filter(|&d| d < prepared.documents.len()),
        digits(&n).filter(|&n| n >= 1),
    ) else {
        return Err(ErrorPage::not_found("页", "page"));
    };
    super::preview::page_png(super::preview::pages_of(&state, prepared, d).await, n)
}

#[derive(Deserialize)]
pub(super) struct CreateForm {
    token: String,
}

#[derive(Serialize)]
struct CreatedView<'a> {
    folder: &'a str,
    files: Vec<&'a str>,
    warnings: usize,
}

/// `POST /import/create`: writes the checked import as a new project folder, never over an
/// existing one.
pub(super) async fn create(
    State(state): State<Arc<AppState>>,
    form: Result<Form<CreateForm>, FormRejection>,
) -> Result<Response, ErrorPage> {
    let Form(form) = form?;
    let draft = state.imports.take(&form.token)?;
    let target = projects_folder(&state.options.dir).join(&draft.folder);
    let writer = draft.clone();
    let written = tokio::task::spawn_blocking(move || writer.checked.files.create(&target))
        .await
        .map_err(|_| {
            ErrorPage::internal("无法创建项目文件夹", "cannot create the project folder")
        })?;
    match written {
        Ok(_) => {
            let view = CreatedView {
                folder: &draft.folder,
                files: draft
                    .checked
                    .files
                    .files
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect(),
                warnings: draft.checked.report.warnings(),
            };
            render(StatusCode::OK, "import-created.html", &view)
        }
        Err(d) if d.file.symlink_metadata().is_ok() => {
            // Kept: the clerk may rename the folder in the way and press Create again.
            state.imports.keep(draft.clone());
            Err(ErrorPage::new(
                StatusCode::CONFLICT,
                format!("文件夹“{}”已存在，导入不会覆盖已有的文件夹，未做任何修改", draft.folder),
                format!(
                    "the folder “{}” exists already; an import never writes over an existing folder; nothing was changed",
                    draft.folder
                ),
            )
            .hint(
                "把已有的文件夹改名后再按“创建项目”，或重新上传",
                "rename the existing folder, then press Create again, or upload again",
            ))
        }
        Err(d) => Err(ErrorPage::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法创建项目文件夹，未留下任何文件：{}", d.zh),
            format!(
                "cannot create the project folder; nothing was left behind: {}",
                d.en
            ),
        )),
    }
}
