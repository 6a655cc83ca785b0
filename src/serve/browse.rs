//! The pages to look around: home (every project and unit, whether its last build was clean)
//! and a project's page (status, attachments, problems, and its documents with their previews,
//! or for a batch its units). Each fills a `#[derive(Serialize)]` view made here.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::error::ErrorPage;
use super::ids::{ProjectPath, UnitPath};
use super::pages::{ProblemView, file_name, render};
use super::projects::{AttachmentRef, Snapshot};
use super::{AppState, preview};

/// Units listed per project on the home page; the rest are counted.
const UNITS_SHOWN: usize = 50;

/// Problems listed on a project page.
const PROBLEMS_SHOWN: usize = 200;

#[derive(Serialize)]
struct HomeView<'a> {
    projects: Vec<ProjectCard<'a>>,
}

/// A project on the home page.
#[derive(Serialize)]
struct ProjectCard<'a> {
    id: usize,
    name: &'a str,
    batch: bool,
    /// `clean`, `errors` or `unbuilt`.
    status: &'static str,
    errors: usize,
    units: Vec<UnitCard<'a>>,
    more_units: usize,
}

/// A unit in a list: its name (the school, for a batch), whether it failed, its documents.
#[derive(Serialize)]
struct UnitCard<'a> {
    id: usize,
    name: &'a str,
    failed: bool,
    documents: Vec<&'a str>,
}

/// An attachment whose sheet can be replaced.
#[derive(Serialize)]
pub(super) struct AttachmentView<'a> {
    id: usize,
    kind: &'a str,
    title: &'a str,
    file: &'a str,
}

impl<'a> AttachmentView<'a> {
    pub(super) fn new(id: usize, attachment: &'a AttachmentRef) -> Self {
        Self {
            id,
            kind: &attachment.kind,
            title: &attachment.title,
            file: &attachment.file,
        }
    }
}

#[derive(Serialize)]
struct ProjectView<'a> {
    id: usize,
    name: &'a str,
    clean: bool,
    applied: bool,
    attachments: Vec<AttachmentView<'a>>,
    problems: Vec<ProblemView>,
    /// A batch without a unit chosen: its units.
    units: Vec<UnitCard<'a>>,
    /// The unit shown, with its documents.
    unit: Option<UnitView<'a>>,
}

#[derive(Serialize)]
struct UnitView<'a> {
    id: usize,
    /// Empty but in a batch.
    name: &'a str,
    documents: Vec<DocumentView<'a>>,
}

#[derive(Serialize)]
struct DocumentView<'a> {
    name: &'a str,
    /// The document's URL, before `/pdf`, `/page/N` …
    base: String,
    pages: Vec<usize>,
    /// The start of its version, so a preview is fetched again when the document changes.
    version: String,
    error: Option<String>,
}

/// The query after an Apply: `?applied=A`.
#[derive(Deserialize)]
pub(super) struct Applied {
    applied: Option<String>,
}

/// Whether the page follows an Apply; a query that cannot be read is none.
fn applied(query: Result<Query<Applied>, QueryRejection>) -> bool {
    query.is_ok_and(|Query(q)| q.applied.is_some())
}

/// A unit's name without its project: `株洲市第一中学` for `schools-batch/株洲市第一中学`.
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

/// Every unit of `snapshot` as a card, with its documents' names when `documents`.
fn unit_cards(snapshot: &Snapshot, limit: usize, documents: bool) -> Vec<UnitCard<'_>> {
    snapshot
        .units
        .iter()
        .take(limit)
        .enumerate()
        .map(|(id, unit)| match unit {
            Ok(unit) => UnitCard {
                id,
                name: unit_label(&unit.name),
                failed: false,
                documents: if documents {
                    unit.documents.iter().map(|d| d.name.as_str()).collect()
                } else {
                    Vec::new()
                },
            },
            Err(failed) => UnitCard {
                id,
                name: unit_label(&failed.name),
                failed: true,
                documents: Vec::new(),
            },
        })
        .collect()
}

pub(super) async fn home(State(state): State<Arc<AppState>>) -> Result<Response, ErrorPage> {
    let snapshots: Vec<Arc<Snapshot>> = state.projects.iter().map(|p| p.snapshot()).collect();
    let projects = state
        .projects
        .iter()
        .zip(&snapshots)
        .enumerate()
        .map(|(id, (project, snapshot))| ProjectCard {
            id,
            name: &project.name,
            batch: snapshot.batch,
            status: status(snapshot),
            errors: snapshot.error_count(),
            units: unit_cards(snapshot, UNITS_SHOWN, true),
            more_units: snapshot.units.len().saturating_sub(UNITS_SHOWN),
        })
        .collect();
    render(StatusCode::OK, "home.html", &HomeView { projects })
}

/// `/p/{p}`: a project's page; a plain project shows its one unit's documents.
pub(super) async fn project(
    State(state): State<Arc<AppState>>,
    project: ProjectPath,
    query: Result<Query<Applied>, QueryRejection>,
) -> Result<Response, ErrorPage> {
    let unit = (!project.snapshot.batch).then_some(0);
    project_page(&state, &project, unit, applied(query)).await
}

/// `/p/{p}/u/{u}`: one unit of a batch.
pub(super) async fn unit(
    State(state): State<Arc<AppState>>,
    unit: UnitPath,
    query: Result<Query<Applied>, QueryRejection>,
) -> Result<Response, ErrorPage> {
    project_page(&state, &unit.project, Some(unit.id), applied(query)).await
}

/// The project page: status, attachments, problems, and the documents of unit `u` with their
/// previews (or, for a batch without `u`, the list of units).
async fn project_page(
    state: &Arc<AppState>,
    project: &ProjectPath,
    u: Option<usize>,
    applied: bool,
) -> Result<Response, ErrorPage> {
    let (p, snapshot) = (project.id, &project.snapshot);
    let dir = &state.projects[p].dir;
    let problems = snapshot
        .units
        .iter()
        .filter_map(|u| u.as_ref().err())
        .flat_map(|f| f.diagnostics.iter())
        .take(PROBLEMS_SHOWN)
        .map(|d| {
            ProblemView::new(d, &|path| {
                path.strip_prefix(dir)
                    .map_or_else(|_| file_name(path), |r| r.display().to_string())
            })
        })
        .collect();
    let unit = match u.map(|u| (u, snapshot.units.get(u))) {
        Some((u, Some(Ok(prepared)))) => Some(UnitView {
            id: u,
            name: if snapshot.batch {
                unit_label(&prepared.name)
            } else {
                ""
            },
            documents: documents(state, p, u, prepared).await,
        }),
        _ => None,
    };
    let view = ProjectView {
        id: p,
        name: &state.projects[p].name,
        clean: snapshot.clean(),
        applied,
        attachments: snapshot
            .attachments
            .iter()
            .enumerate()
            .map(|(a, attachment)| AttachmentView::new(a, attachment))
            .collect(),
        problems,
        units: if u.is_none() {
            unit_cards(snapshot, usize::MAX, false)
        } else {
            Vec::new()
        },
        unit,
    };
    render(StatusCode::OK, "project.html", &view)
}

/// The documents of unit `u` of project `p`, each with its pages laid out for preview (in
/// parallel, one compile per document version).
async fn documents<'a>(
    state: &Arc<AppState>,
    p: usize,
    u: usize,
    prepared: &'a crate::PreparedProject,
) -> Vec<DocumentView<'a>> {
    let tasks: Vec<_> = (0..prepared.documents.len())
        .map(|d| {
            let state = state.clone();
            tokio::spawn(async move { preview::pages(&state, p, u, d).await })
        })
        .collect();
    let mut documents = Vec::new();
    for (d, task) in tasks.into_iter().enumerate() {
        let pages = task
            .await
            .unwrap_or_else(|_| Err("预览任务中断 / the preview task stopped".into()));
        let version = preview::version(state, prepared, d).unwrap_or_default();
        let (count, error) = match pages {
            Ok(pages) => (pages.len(), None),
            Err(e) => (0, Some(e)),
        };
        documents.push(DocumentView {
            name: &prepared.documents[d].name,
            base: format!("/p/{p}/u/{u}/d/{d}"),
            pages: (1..=count).collect(),
            version: version.chars().take(16).collect(),
            error,
        });
    }
    documents
}
