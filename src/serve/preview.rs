//! Page previews: each document compiled with the engine that makes its PDF, every page
//! rendered to PNG by typst's renderer, once per version of the document.
//!
//! A version is the PDF digest (layout template, markup, data, fonts chosen), so a preview is
//! never stale and never compiled twice: requests for a version being compiled wait for that
//! compile instead of starting their own (20 tabs opening a page cost one compile), and at most
//! one compile per CPU core runs at a time, which bounds memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OnceCell, Semaphore};

use super::AppState;
use crate::PreparedProject;

/// Preview resolution: one pixel per point, an A4 page 595 × 842 px — readable on screen,
/// quick to make and small to send.
const PIXEL_PER_PT: f64 = 1.0;

/// Versions kept; past this, finished ones are dropped (recompiled if asked for again).
const KEPT: usize = 200;

/// A document's pages as PNG, or why it could not be laid out.
pub type Pages = Result<Arc<Vec<Vec<u8>>>, String>;

/// Compiled previews by version.
pub struct Cache {
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

/// The version (PDF digest) of document `d` of `project`, or why it has none.
pub fn version(state: &AppState, project: &PreparedProject, d: usize) -> Result<String, String> {
    let document = project.documents.get(d).ok_or("no such document")?;
    let layout = project
        .layout
        .as_ref()
        .map_or(crate::pdf::BUILTIN_LAYOUT, |(_, text)| text.as_str());
    state
        .with_engine(layout, |engine| {
            engine.digest(document, &project.font_roles)
        })
        .map_err(|e| e.to_string())
}

/// The pages of document `d` of unit `u` of project `p`, compiled if not yet.
pub async fn pages(state: &Arc<AppState>, p: usize, u: usize, d: usize) -> Pages {
    let snapshot = state.projects[p].snapshot();
    let Some(Ok(unit)) = snapshot.units.get(u) else {
        return Err("no such unit".into());
    };
    let key = version(state, unit, d)?;
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
        let state = state.clone();
        let snapshot = snapshot.clone();
        tokio::task::spawn_blocking(move || {
            let Some(Ok(unit)) = snapshot.units.get(u) else {
                return Err("no such unit".into());
            };
            let document = &unit.documents[d];
            let layout = unit
                .layout
                .as_ref()
                .map_or(crate::pdf::BUILTIN_LAYOUT, |(_, text)| text.as_str());
            let result = state.with_engine(layout, |engine| {
                engine.render_pages(document, &unit.font_roles, PIXEL_PER_PT)
            });
            crate::pdf::evict_caches();
            result.map(Arc::new).map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|e| Err(format!("preview failed: {e}")))
    })
    .await
    .clone()
}
