//! The served projects: found once at start (a new project folder needs a restart), each with
//! its prepared units and the attachments a sheet can be uploaded for, swapped whole after an
//! Apply so a request always sees one consistent version.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use crate::output::lock::OutputLock;
use crate::project::resolve_in_project;
use crate::{FailedProject, PreparedProject, prepare_projects};

use super::AppState;

/// One served project folder.
pub struct Project {
    /// The project folder, resolved once.
    pub folder: Arc<crate::project::Project>,
    /// Where it is (the folder's path, as found under the served folder).
    pub dir: PathBuf,
    /// Its folder name, as the output folder is named.
    pub name: String,
    snapshot: RwLock<Arc<Snapshot>>,
}

/// A project as read at one moment.
pub struct Snapshot {
    /// Its units: one for a plain project, one per school of a batch; each prepared or failed.
    pub units: Vec<Result<PreparedProject, FailedProject>>,
    pub attachments: Vec<AttachmentRef>,
    /// Whether it is a batch (units named `<project>/<unit>`).
    pub batch: bool,
    /// Whether the last build wrote every unit without error; `None` before the first build.
    pub built: Option<bool>,
}

/// An attachment whose data file a clerk can replace, as the manifest names it.
pub struct AttachmentRef {
    pub kind: String,
    pub title: String,
    /// The `数据:` value as written, for display.
    pub file: String,
    /// The data file inside the project (resolved as the loader resolves it).
    pub path: PathBuf,
    /// The worksheet the manifest picks (`工作表:`).
    pub sheet: Option<String>,
    /// The SHA-256 of the data file when the project was read: what the pages show.
    pub digest: String,
}

impl Project {
    /// Reads the project (stages 1–3 of every unit; nothing is built).
    pub fn load(folder: Arc<crate::project::Project>) -> Self {
        let snapshot = Snapshot::read(&folder, None);
        Self {
            dir: folder.dir.clone(),
            name: folder.name.clone(),
            folder,
            snapshot: RwLock::new(Arc::new(snapshot)),
        }
    }

    /// The project as it is now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Builds the project into the output folder, which the server owns (`owner`), then reads
    /// it again (its data may have just changed) and records the build's result. Blocking:
    /// call it off the async threads.
    pub(super) fn rebuild(&self, state: &AppState, owner: &OutputLock) {
        let clean = super::rebuild::build_project(state, &self.folder, owner);
        let snapshot = Snapshot::read(&self.folder, Some(clean));
        *self
            .snapshot
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
    }
}

impl Snapshot {
    /// The project in `folder` as it is on disk now; `built`, the result of the build before.
    fn read(folder: &Arc<crate::project::Project>, built: Option<bool>) -> Self {
        // The data files' digests are taken first: a file that changes while the project is
        // read is then newer than its digest says, and the next check reads it again.
        let attachments = attachments(&folder.dir);
        let units = prepare_projects(folder);
        let batch = units.iter().any(|u| match u {
            Ok(p) => p.unit.is_some(),
            Err(f) => f.unit.is_some(),
        });
        Self {
            units,
            attachments,
            batch,
            built,
        }
    }

    /// The errors of units that could not be prepared.
    pub fn error_count(&self) -> usize {
        self.units
            .iter()
            .filter_map(|u| u.as_ref().err())
            .map(|f| f.diagnostics.error_count())
            .sum()
    }

    /// Whether the project is clean: prepared without error and, once built, built so.
    pub fn clean(&self) -> bool {
        self.error_count() == 0 && self.built != Some(false)
    }
}

/// The attachments of the project in `dir` whose data file exists inside it; none when the
/// manifest cannot be read (its error is on the project page, from preparing).
fn attachments(dir: &Path) -> Vec<AttachmentRef> {
    let Ok(manifest) = crate::model::read_manifest(dir) else {
        return Vec::new();
    };
    // {单位} in a title is the issuing body, or in a batch each unit: shown as 各单位.
    let unit = if manifest.organisation.contains(crate::model::batch::UNIT) {
        "各单位"
    } else {
        manifest.organisation.as_str()
    };
    manifest
        .attachments
        .iter()
        .filter_map(|spec| {
            let path = resolve_in_project(dir, &spec.data).ok()?;
            Some(AttachmentRef {
                kind: spec.kind.clone(),
                title: spec.title.replace(crate::model::batch::UNIT, unit),
                file: spec.data.trim().to_owned(),
                digest: super::upload::file_digest(&path),
                path,
                sheet: spec.sheet.clone(),
            })
        })
        .collect()
}
