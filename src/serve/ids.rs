//! The ids in a URL, as extractors (axum's `customize-path-rejection` pattern): each reads its
//! path parameters — digits only, as the server wrote them —, resolves them against the project
//! as it is now, and rejects with the app's own 404 page. No handler parses or looks up an id.
//!
//! `{p}` is an index into the served projects, `{u}` into a project's units, `{d}` into a
//! unit's documents, `{a}` into a project's attachments, `{n}` a page number from 1: lists the
//! server made, never paths.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;

use super::AppState;
use super::error::ErrorPage;
use super::projects::{AttachmentRef, Snapshot};
use crate::PreparedProject;

/// The project `{p}` names, as it is now.
pub(super) struct ProjectPath {
    pub id: usize,
    pub snapshot: Arc<Snapshot>,
}

/// A prepared unit `{u}` of project `{p}`.
pub(super) struct UnitPath {
    pub project: ProjectPath,
    pub id: usize,
}

/// Document `{d}` of unit `{u}` of project `{p}`.
pub(super) struct DocumentPath {
    pub unit: UnitPath,
    pub id: usize,
}

/// Attachment `{a}` of project `{p}`.
pub(super) struct AttachmentPath {
    pub project: ProjectPath,
    pub id: usize,
}

/// Page `{n}` (from 1) of document `{d}`.
pub(super) struct PagePath {
    pub document: DocumentPath,
    pub number: usize,
}

/// The path parameters of the request, by name.
async fn params(parts: &mut Parts) -> Result<HashMap<String, String>, ErrorPage> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, &()).await?;
    Ok(params)
}

/// Parameter `name` as an index below `len`; else the 404 of a `what`.
fn index(
    params: &HashMap<String, String>,
    name: &str,
    len: usize,
    what: (&str, &str),
) -> Result<usize, ErrorPage> {
    params
        .get(name)
        .and_then(|text| digits(text))
        .filter(|&i| i < len)
        .ok_or_else(|| ErrorPage::not_found(what.0, what.1))
}

/// A number as the server writes it: ASCII digits only, at most nine.
pub(super) fn digits(text: &str) -> Option<usize> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Resolving the ids of a URL against the projects as they are now.
trait Resolve: Sized {
    fn resolve(state: &AppState, params: &HashMap<String, String>) -> Result<Self, ErrorPage>;
}

impl Resolve for ProjectPath {
    fn resolve(state: &AppState, params: &HashMap<String, String>) -> Result<Self, ErrorPage> {
        let id = index(params, "p", state.projects.len(), ("项目", "project"))?;
        Ok(Self {
            id,
            snapshot: state.projects[id].snapshot(),
        })
    }
}

impl Resolve for UnitPath {
    fn resolve(state: &AppState, params: &HashMap<String, String>) -> Result<Self, ErrorPage> {
        let project = ProjectPath::resolve(state, params)?;
        let units = project.snapshot.units.len();
        let id = index(params, "u", units, ("单位", "unit"))?;
        if project.snapshot.units[id].is_err() {
            return Err(ErrorPage::new(
                StatusCode::NOT_FOUND,
                "这个单位的数据有错误，没有文档",
                "this unit's data has errors; it has no documents",
            )
            .hint("在项目页查看错误", "see the errors on the project page"));
        }
        Ok(Self { project, id })
    }
}

impl Resolve for DocumentPath {
    fn resolve(state: &AppState, params: &HashMap<String, String>) -> Result<Self, ErrorPage> {
        let unit = UnitPath::resolve(state, params)?;
        let documents = unit.prepared().documents.len();
        let id = index(params, "d", documents, ("文档", "document"))?;
        Ok(Self { unit, id })
    }
}

impl Resolve for AttachmentPath {
    fn resolve(state: &AppState, params: &HashMap<String, String>) -> Result<Self, ErrorPage> {
        let project = ProjectPath::resolve(state, params)?;
        let attachments = project.snapshot.attachments.len();
        let id = index(params, "a", attachments, ("附件", "attachment"))?;
        Ok(Self { project, id })
    }
}

impl Resolve for PagePath {
    fn resolve(state: &AppState, params: &HashMap<String, String>) -> Result<Self, ErrorPage> {
        let document = DocumentPath::resolve(state, params)?;
        let number = params
            .get("n")
            .and_then(|n| digits(n))
            .filter(|&n| n >= 1)
            .ok_or_else(|| ErrorPage::not_found("页", "page"))?;
        Ok(Self { document, number })
    }
}

impl UnitPath {
    /// The unit, prepared (checked when it was extracted).
    pub(super) fn prepared(&self) -> &PreparedProject {
        match &self.project.snapshot.units[self.id] {
            Ok(unit) => unit,
            Err(_) => unreachable!("a unit path names a prepared unit"),
        }
    }
}

impl DocumentPath {
    /// The document's name (its output files' stem).
    pub(super) fn name(&self) -> &str {
        &self.unit.prepared().documents[self.id].name
    }
}

impl AttachmentPath {
    /// The attachment, as the manifest names it.
    pub(super) fn attachment(&self) -> &AttachmentRef {
        &self.project.snapshot.attachments[self.id]
    }
}

/// Each path type as an extractor: the path parameters, resolved.
macro_rules! extract_by_resolving {
    ($($path:ty),*) => {$(
        impl FromRequestParts<Arc<AppState>> for $path {
            type Rejection = ErrorPage;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &Arc<AppState>,
            ) -> Result<Self, ErrorPage> {
                Self::resolve(state, &params(parts).await?)
            }
        }
    )*};
}

extract_by_resolving!(
    ProjectPath,
    UnitPath,
    DocumentPath,
    AttachmentPath,
    PagePath
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_digits_are_ids() {
        for (text, id) in [
            ("0", Some(0)),
            ("12", Some(12)),
            ("", None),
            ("-1", None),
            ("+1", None),
            ("0x1", None),
            ("１", None),
            ("1 ", None),
            ("1234567890", None),
        ] {
            assert_eq!(digits(text), id, "{text:?}");
        }
    }
}
