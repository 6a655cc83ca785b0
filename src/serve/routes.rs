//! The URL table and the page handlers. Every id in a URL is an index into a list the server
//! made (projects, a project's units, a unit's documents, a project's attachments), digits
//! only: anything else, or an index past the end, is 404.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | every project and unit, its documents, whether its last build was clean |
//! | `GET /p/{p}` | a project: status, attachments, problems; its documents (or, for a batch, its units) |
//! | `GET /p/{p}/u/{u}` | one unit: each document with its page previews and downloads |
//! | `GET /p/{p}/u/{u}/d/{d}/page/{n}` | page `n` (from 1) of a document, PNG |
//! | `GET /p/{p}/u/{u}/d/{d}/{pdf,docx,md}` | a built file |
//! | `GET /p/{p}/zip` | every built file of the project, ZIP |
//! | `GET /p/{p}/a/{a}` | the upload form for attachment `a` |
//! | `POST /p/{p}/a/{a}/check` | check an upload (multipart field `file`); writes nothing |
//! | `POST /p/{p}/a/{a}/apply` | apply a checked upload (form fields `token`, `digest`) |
//! | `GET /import` | start from an existing document: the form (a file, or pasted text) |
//! | `POST /import/check` | import it in memory (multipart field `file` or `text`): report, files, previews |
//! | `GET /import/{token}/d/{d}/page/{n}` | page `n` of a document of a checked import, PNG |
//! | `POST /import/create` | write the checked import as a new project folder (form field `token`) |
//! | `GET /assets/style.css`, `/assets/app.js`, `/assets/sans.otf` | the embedded style sheet, script and Chinese font |

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::pages::{ErrorPage, ProblemView, file_name, render};
use super::projects::Snapshot;
use super::{AppState, UPLOAD_LIMIT, changes, downloads, guard, import, pages, preview};

pub(super) type Shared = State<Arc<AppState>>;

/// The server's routes, behind the security guard.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(home))
        .route(
            "/assets/style.css",
            get(|| async { asset(pages::STYLE, "text/css; charset=utf-8") }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset(pages::SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/assets/sans.otf",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "font/otf"),
                        // Three and a half megabytes, the same in every page: kept a day.
                        (header::CACHE_CONTROL, "max-age=86400"),
                    ],
                    crate::pdf::fonts::bundled_sans(),
                )
            }),
        )
        .route("/p/{p}", get(project))
        .route("/p/{p}/zip", get(zip))
        .route("/p/{p}/u/{u}", get(unit))
        .route("/p/{p}/u/{u}/d/{d}/page/{n}", get(page_png))
        .route("/p/{p}/u/{u}/d/{d}/{kind}", get(download))
        .route("/p/{p}/a/{a}", get(changes::upload_form))
        .route("/p/{p}/a/{a}/blank.xlsx", get(changes::blank_sheet))
        .route(
            "/p/{p}/a/{a}/check",
            // Room for the form's own bytes around a file of the limit; the file itself is
            // measured in `upload::receive`.
            post(changes::check_upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT + (64 << 10))),
        )
        .route("/p/{p}/a/{a}/apply", post(changes::apply_upload))
        .route("/import", get(import::form))
        .route(
            "/import/check",
            post(import::check).layer(DefaultBodyLimit::max(2 * UPLOAD_LIMIT + (64 << 10))),
        )
        .route("/import/{token}/d/{d}/page/{n}", get(import::page_png))
        .route("/import/create", post(import::create))
        .fallback(|| async { ErrorPage::not_found("页面", "page") })
        .method_not_allowed_fallback(|| async {
            ErrorPage::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "不允许这种请求方式（修改只能通过页面上的按钮提交）",
                "method not allowed (changes are made only with the page's buttons)",
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .with_state(state)
}

fn asset(text: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

/// An id from a URL: digits only, as the server wrote them.
pub(super) fn id(text: &str) -> Option<usize> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The project `p` names, as it is now.
pub(super) fn find(state: &AppState, p: &str) -> Result<(usize, Arc<Snapshot>), ErrorPage> {
    let p = id(p)
        .filter(|&p| p < state.projects.len())
        .ok_or_else(|| ErrorPage::not_found("项目", "project"))?;
    Ok((p, state.projects[p].snapshot()))
}

/// The prepared unit `u` of `snapshot`.
fn find_unit<'a>(
    snapshot: &'a Snapshot,
    u: &str,
) -> Result<(usize, &'a crate::PreparedProject), ErrorPage> {
    let u = id(u).ok_or_else(|| ErrorPage::not_found("单位", "unit"))?;
    match snapshot.units.get(u) {
        Some(Ok(unit)) => Ok((u, unit)),
        Some(Err(_)) => Err(ErrorPage::new(
            StatusCode::NOT_FOUND,
            "这个单位的数据有错误，没有文档",
            "this unit's data has errors; it has no documents",
        )
        .hint("在项目页查看错误", "see the errors on the project page")),
        None => Err(ErrorPage::not_found("单位", "unit")),
    }
}

fn unit_label(name: &str) -> &str {
    name.split_once('/').map_or(name, |(_, u)| u)
}

fn status(snapshot: &Snapshot) -> &'static str {
    match snapshot.built {
        _ if snapshot.error_count() > 0 => "errors",
        Some(true) => "clean",
        Some(false) => "errors",
        None => "unbuilt",
    }
}

async fn home(State(state): Shared) -> Response {
    const UNITS_SHOWN: usize = 50;
    let projects: Vec<_> = state
        .projects
        .iter()
        .enumerate()
        .map(|(p, project)| {
            let snapshot = project.snapshot();
            let units: Vec<_> = snapshot
                .units
                .iter()
                .take(UNITS_SHOWN)
                .enumerate()
                .map(|(u, unit)| match unit {
                    Ok(unit) => json!({"id": u, "name": unit_label(&unit.name), "failed": false,
                        "documents": unit.documents.iter().map(|d| d.name.as_str()).collect::<Vec<_>>()}),
                    Err(f) => json!({"id": u, "name": unit_label(&f.name), "failed": true, "documents": []}),
                })
                .collect();
            json!({"id": p, "name": project.name, "batch": snapshot.batch, "status": status(&snapshot),
                "errors": snapshot.error_count(), "units": units,
                "more_units": snapshot.units.len().saturating_sub(UNITS_SHOWN)})
        })
        .collect();
    render(
        StatusCode::OK,
        "home.html",
        &json!({ "projects": projects }),
    )
}

#[derive(Deserialize)]
struct Applied {
    applied: Option<String>,
}

async fn project(
    State(state): Shared,
    Path(p): Path<String>,
    Query(q): Query<Applied>,
) -> Response {
    match find(&state, &p) {
        Ok((p, snapshot)) if !snapshot.batch => {
            project_page(&state, p, &snapshot, Some(0), q).await
        }
        Ok((p, snapshot)) => project_page(&state, p, &snapshot, None, q).await,
        Err(e) => e.into_response(),
    }
}

async fn unit(
    State(state): Shared,
    Path((p, u)): Path<(String, String)>,
    Query(q): Query<Applied>,
) -> Response {
    let found =
        find(&state, &p).and_then(|(p, s)| find_unit(&s, &u).map(|(u, _)| u).map(|u| (p, s, u)));
    match found {
        Ok((p, snapshot, u)) => project_page(&state, p, &snapshot, Some(u), q).await,
        Err(e) => e.into_response(),
    }
}

/// The project page: status, attachments, problems, and the documents of unit `u` with their
/// previews (or, for a batch without `u`, the list of units).
async fn project_page(
    state: &Arc<AppState>,
    p: usize,
    snapshot: &Snapshot,
    u: Option<usize>,
    q: Applied,
) -> Response {
    let problems: Vec<ProblemView> = snapshot
        .units
        .iter()
        .filter_map(|u| u.as_ref().err())
        .flat_map(|f| f.diagnostics.iter())
        .take(200)
        .map(|d| {
            ProblemView::new(d, &|path| {
                path.strip_prefix(&state.projects[p].dir)
                    .map_or_else(|_| file_name(path), |r| r.display().to_string())
            })
        })
        .collect();
    let attachments: Vec<_> = snapshot
        .attachments
        .iter()
        .enumerate()
        .map(|(a, att)| json!({"id": a, "kind": att.kind, "title": att.title, "file": att.file}))
        .collect();
    let units: Vec<_> = if u.is_none() {
        snapshot
            .units
            .iter()
            .enumerate()
            .map(|(i, unit)| match unit {
                Ok(x) => json!({"id": i, "name": unit_label(&x.name), "failed": false}),
                Err(f) => json!({"id": i, "name": unit_label(&f.name), "failed": true}),
            })
            .collect()
    } else {
        Vec::new()
    };
    let unit = match u.and_then(|u| snapshot.units.get(u).map(|x| (u, x))) {
        Some((u, Ok(prepared))) => {
            let mut documents = Vec::new();
            let tasks: Vec<_> = (0..prepared.documents.len())
                .map(|d| {
                    let state = state.clone();
                    tokio::spawn(async move { preview::pages(&state, p, u, d).await })
                })
                .collect();
            for (d, task) in tasks.into_iter().enumerate() {
                let pages = task.await.unwrap_or_else(|e| Err(e.to_string()));
                let version = preview::version(state, prepared, d).unwrap_or_default();
                let (count, error) = match pages {
                    Ok(pages) => (pages.len(), None),
                    Err(e) => (0, Some(e)),
                };
                documents.push(json!({"name": prepared.documents[d].name, "base": format!("/p/{p}/u/{u}/d/{d}"),
                    "pages": (1..=count).collect::<Vec<_>>(), "version": &version[..version.len().min(16)], "error": error}));
            }
            Some(
                json!({"id": u, "name": if snapshot.batch { unit_label(&prepared.name) } else { "" }, "documents": documents}),
            )
        }
        _ => None,
    };
    let view = json!({"id": p, "name": state.projects[p].name, "clean": snapshot.clean(),
        "applied": q.applied.is_some(), "attachments": attachments, "problems": problems,
        "units": units, "unit": unit});
    render(StatusCode::OK, "project.html", &view)
}

async fn page_png(
    State(state): Shared,
    Path((p, u, d, n)): Path<(String, String, String, String)>,
) -> Response {
    let found = find(&state, &p).and_then(|(p, s)| {
        let (u, unit) = find_unit(&s, &u)?;
        let d = id(&d)
            .filter(|&d| d < unit.documents.len())
            .ok_or_else(|| ErrorPage::not_found("文档", "document"))?;
        let n = id(&n)
            .filter(|&n| n >= 1)
            .ok_or_else(|| ErrorPage::not_found("页", "page"))?;
        Ok((p, u, d, n))
    });
    let (p, u, d, n) = match found {
        Ok(ids) => ids,
        Err(e) => return e.into_response(),
    };
    preview::page_answer(preview::pages(&state, p, u, d).await, n)
}

async fn download(
    State(state): Shared,
    Path((p, u, d, kind)): Path<(String, String, String, String)>,
) -> Response {
    let found = find(&state, &p).and_then(|(_, s)| {
        let (_, unit) = find_unit(&s, &u)?;
        let d = id(&d)
            .and_then(|d| unit.documents.get(d))
            .ok_or_else(|| ErrorPage::not_found("文档", "document"))?;
        Ok((unit.name.clone(), d.name.clone()))
    });
    match found {
        Ok((unit, name)) => downloads::document(&state, &unit, &name, &kind),
        Err(e) => e.into_response(),
    }
}

async fn zip(State(state): Shared, Path(p): Path<String>) -> Response {
    let (p, snapshot) = match find(&state, &p) {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let worker = state.clone();
    tokio::task::spawn_blocking(move || {
        downloads::zip_project(&worker, &worker.projects[p].name, &snapshot)
    })
    .await
    .unwrap_or_else(|e| {
        ErrorPage::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            e.to_string(),
            e.to_string(),
        )
        .into_response()
    })
}
