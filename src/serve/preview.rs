//! Page previews: each document compiled with the engine that makes its PDF, every page
//! rendered to PNG by typst's renderer, once per version of the document.
//!
//! A version is the PDF digest (layout template, markup, data, fonts chosen), so a preview is
//! never stale and never compiled twice: requests for a version being compiled wait for that
//! compile instead of starting their own (20 tabs opening a page cost one compile), and at most
//! one compile per CPU core runs at a time, which bounds memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{OnceCell, Semaphore};

use super::AppState;
use super::error::ErrorPage;
use super::ids::PagePath;
use crate::PreparedProject;
use crate::typst_markup::source::TypstSource;

/// Preview resolution: one pixel per point, an A4 page 595 × 842 px — readable on screen,
/// quick to make and small to send.
const PIXEL_PER_PT: f64 = 1.0;

/// Versions kept; past this, finished ones are dropped (recompiled if asked for again).
const KEPT: usize = 200;

/// A document's pages as PNG, or why it could not be laid out.
pub(super) type Pages = Result<Arc<Vec<Vec<u8>>>, String>;

/// Compiled previews by version.
pub(super) struct Cache {
    versions: Mutex<HashMap<String, Arc<OnceCell<Pages>>>>,
    compiles: Semaphore,
}

impl Default for Cache {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            versions: Mutex::new(HashMap::new()),
            compiles: Semaphore::new(cores),
        }
    }
}

/// The Typst source of document `d` of `project` (stage 5, with the fonts installed).
fn source(state: &AppState, project: &PreparedProject, d: usize) -> Result<TypstSource, String> {
    let document = project.documents.get(d).ok_or("no such document")?;
    let roles = state
        .compiler
        .engine(project)
        .installed_roles(&project.font_roles);
    TypstSource::new(document, &roles).map_err(|e| e.to_string())
}

/// The version (PDF digest) of document `d` of `project`, or why it has none.
pub(super) fn version(
    state: &AppState,
    project: &PreparedProject,
    d: usize,
) -> Result<String, String> {
    let source = source(state, project, d)?;
    Ok(state.compiler.engine(project).digest(&source))
}

/// The pages of document `d` of unit `u` of project `p`, compiled if not yet.
pub(super) async fn pages(state: &Arc<AppState>, p: usize, u: usize, d: usize) -> Pages {
    let snapshot = state.projects[p].snapshot();
    let Some(Ok(unit)) = snapshot.units.get(u) else {
        return Err("no such unit".into());
    };
    pages_of(state, unit, d).await
}

/// The pages of document `d` of `unit` — a served project's, or a project not yet written (an
/// import's) —, compiled if not yet.
pub(super) async fn pages_of(state: &Arc<AppState>, unit: &PreparedProject, d: usize) -> Pages {
    let source = source(state, unit, d)?;
    let engine = state.compiler.engine(unit);
    let key = engine.digest(&source);
    let cell = {
        let mut versions = state
            .previews
            .versions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if versions.len() >= KEPT {
            versions.retain(|_, cell| !cell.initialized());
        }
        versions.entry(key).or_default().clone()
    };
    cell.get_or_init(|| async {
        let Ok(_permit) = state.previews.compiles.acquire().await else {
            return Err("the server is stopping".into());
        };
        tokio::task::spawn_blocking(move || {
            let result = engine.render_pages(source, PIXEL_PER_PT);
            crate::pdf::evict_caches();
            result.map(Arc::new).map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|e| Err(format!("preview failed: {e}")))
    })
    .await
    .clone()
}

/// The PNG of page `n` (from 1) of a document's `pages` — a served document's or an import's —,
/// or the page saying why there is none.
pub(super) fn page_png(pages: Pages, n: usize) -> Result<Response, ErrorPage> {
    let pages = pages.map_err(|e| {
        ErrorPage::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法生成预览：{e}"),
            format!("cannot make the preview: {e}"),
        )
    })?;
    let png = pages
        .get(n.wrapping_sub(1))
        .ok_or_else(|| ErrorPage::not_found("页", "page"))?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png.clone()).into_response())
}

/// `GET /p/{p}/u/{u}/d/{d}/page/{n}`: one page as PNG.
pub(super) async fn page(
    State(state): State<Arc<AppState>>,
    page: PagePath,
) -> Result<Response, ErrorPage> {
    let (document, unit) = (&page.document, &page.document.unit);
    page_png(
        pages(&state, unit.project.id, unit.id, document.id).await,
        page.number,
    )
}
