//! Stages 1–4 for one project folder: read and validate its inputs into a model, render the
//! model's documents to Markdown with the project's templates, and read each into its document
//! tree — one set per project, or one per unit of a batch, each failing on its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::document::Document;
use crate::project::{self, Project};
use crate::render::Renderer;
use crate::{model, pdf};

/// One project, or one unit of a batch, after stages 1–4: its documents rendered to Markdown and
/// read into their trees, ready for PDF and .docx.
pub struct PreparedProject {
    /// The project it comes from (shared by every unit of a batch).
    pub project: Arc<Project>,
    /// The batch unit (its folder name) this set is for, if the project is a batch.
    pub unit: Option<String>,
    /// Where its files go under the output folder, also its name in messages: the project's
    /// name, or `<project>/<unit>`.
    pub name: String,
    /// Its documents in output order: the notice, the main document and each attachment alone,
    /// then 全文 (all of them in one) when there are several, then each 责任单位's task list.
    pub documents: Vec<Document>,
    /// Font families per role: the defaults with the project's choices on top.
    pub font_roles: BTreeMap<String, Vec<String>>,
    /// The project's own layout template (`templates/gongwen.typ`), if it has one: its path
    /// (for error messages) and text.
    pub layout: Option<(PathBuf, String)>,
    /// Warnings found on the way (errors make preparation fail instead).
    pub warnings: Diagnostics,
    /// The validated model the documents were rendered from (for change reports).
    pub set: model::DocumentSet,
}

impl PreparedProject {
    /// The project folder.
    pub fn dir(&self) -> &Path {
        &self.project.dir
    }
}

/// A project, or one unit of a batch, that could not be prepared.
pub struct FailedProject {
    /// The project it comes from.
    pub project: Arc<Project>,
    /// The batch unit (its folder name), if the failure is one unit's.
    pub unit: Option<String>,
    /// The project's name, or `<project>/<unit>`.
    pub name: String,
    /// Why: every problem found, errors and warnings, in the order found.
    pub diagnostics: Diagnostics,
}

/// Loads, validates and renders the project in `dir` (stages 1–4) as one document set; for a
/// batch project use [`prepare_projects`], which yields one prepared set per unit.
pub fn prepare_project(dir: &Path) -> Result<PreparedProject, Diagnostics> {
    let project = Arc::new(Project::open(dir));
    let (set, warnings) = model::load_project(dir)?;
    let templates = ProjectTemplates::load(&project)?;
    render_set(&project, None, set, warnings, &templates)
}

/// Stages 1–4 for `project`: one prepared set, or one per unit of a batch (named
/// `<project>/<unit>`). Units fail independently.
pub fn prepare_projects(project: &Arc<Project>) -> Vec<Result<PreparedProject, FailedProject>> {
    Units::new(project, model::batch::SheetCache::default()).collect()
}

/// [`prepare_projects`], reading sheets through `sheets`: a sheet put there with
/// [`model::batch::SheetCache::with_sheet`] stands in for its file (`qingdan serve` checks an upload
/// so, writing nothing).
pub(crate) fn prepare_projects_with(
    project: &Arc<Project>,
    sheets: model::batch::SheetCache,
) -> Vec<Result<PreparedProject, FailedProject>> {
    Units::new(project, sheets).collect()
}

/// The document sets of one project, prepared one at a time as they are asked for: the project
/// itself, or each unit of a batch. What every unit shares (the manifest, the master sheet split
/// by unit, the compiled templates) is read once, when the units are listed; a batch of
/// thousands of schools is never held prepared all at once.
pub struct Units {
    project: Arc<Project>,
    sheets: model::batch::SheetCache,
    listed: Listed,
    /// How many sets have been handed out.
    next: usize,
}

/// What listing a project's units found.
enum Listed {
    /// It failed as a whole (its manifest, its master sheet or its templates).
    Failed(Option<Diagnostics>),
    /// It is not a batch: one set, the project.
    Single,
    /// A batch: its units, and what they share.
    Batch(Box<Batch>),
}

/// What the units of a batch share.
struct Batch {
    manifest: crate::inputs::manifest::Manifest,
    /// The manifest's own warnings, given once, with the first unit.
    manifest_warnings: Diagnostics,
    units: Vec<model::batch::BatchUnit>,
    templates: ProjectTemplates,
    /// The units whose folder would be another unit's, with the error saying so.
    collisions: std::collections::HashMap<usize, Diagnostic>,
}

impl Units {
    /// Lists the sets of `project`, reading its sheets through `sheets`; nothing is prepared
    /// yet.
    pub(crate) fn new(project: &Arc<Project>, mut sheets: model::batch::SheetCache) -> Self {
        let listed = match list(project, &mut sheets) {
            Ok(Some(batch)) => Listed::Batch(Box::new(batch)),
            Ok(None) => Listed::Single,
            Err(d) => Listed::Failed(Some(d)),
        };
        Self {
            project: project.clone(),
            sheets,
            listed,
            next: 0,
        }
    }

    /// How many sets there are in all (failures included).
    pub fn total(&self) -> usize {
        match &self.listed {
            Listed::Batch(batch) => batch.units.len(),
            Listed::Failed(_) | Listed::Single => 1,
        }
    }

    fn fail(&self, unit: Option<String>, diagnostics: Diagnostics) -> FailedProject {
        FailedProject {
            project: self.project.clone(),
            name: unit.as_ref().map_or_else(
                || self.project.name.clone(),
                |u| format!("{}/{u}", self.project.name),
            ),
            unit,
            diagnostics,
        }
    }
}

impl Iterator for Units {
    type Item = Result<PreparedProject, FailedProject>;

    /// Stages 1–3 for the next set.
    fn next(&mut self) -> Option<Self::Item> {
        let i = self.next;
        if i >= self.total() {
            return None;
        }
        self.next += 1;
        let project = &self.project;
        let prepared = match &mut self.listed {
            Listed::Failed(diagnostics) => {
                let diagnostics = diagnostics.take().unwrap_or_default();
                return Some(Err(self.fail(None, diagnostics)));
            }
            Listed::Single => model::load_project_with(&project.dir, &mut self.sheets)
                .and_then(|(set, warnings)| {
                    let templates = ProjectTemplates::load(project)?;
                    render_set(project, None, set, warnings, &templates)
                })
                .map_err(|d| (None, d)),
            Listed::Batch(batch) => prepare_unit(project, batch, i, &mut self.sheets),
        };
        Some(prepared.map_err(|(unit, d)| self.fail(unit, d)))
    }
}

/// Reads `project`'s manifest and, for a batch, its units and templates; `None` when it is not
/// a batch.
fn list(
    project: &Project,
    sheets: &mut model::batch::SheetCache,
) -> Result<Option<Batch>, Diagnostics> {
    let dir = &project.dir;
    let (manifest, manifest_warnings) =
        model::read_manifest_with_warnings(dir).map_err(|d| one(*d))?;
    let Some(units) = model::batch::units(dir, &manifest, sheets).map_err(|d| one(*d))? else {
        return Ok(None);
    };
    let templates = ProjectTemplates::load(project)?;
    let collisions = model::batch::folder_collisions(&units);
    Ok(Some(Batch {
        manifest,
        manifest_warnings,
        units,
        templates,
        collisions,
    }))
}

/// Stages 1–3 for unit `i` of `batch`; when it fails, its folder name and why.
fn prepare_unit(
    project: &Arc<Project>,
    batch: &Batch,
    i: usize,
    sheets: &mut model::batch::SheetCache,
) -> Result<PreparedProject, (Option<String>, Diagnostics)> {
    let unit = &batch.units[i];
    let folder = model::batch::folder_name(&unit.name);
    let with_manifest_warnings = |diags: Diagnostics| {
        let mut all = if i == 0 {
            batch.manifest_warnings.clone()
        } else {
            Diagnostics::new()
        };
        all.extend(diags);
        all
    };
    if let Some(collision) = batch.collisions.get(&i) {
        return Err((Some(folder), with_manifest_warnings(one(collision.clone()))));
    }
    let filled = batch
        .manifest
        .map_texts(&|text: &str| text.replace(model::batch::UNIT, &unit.name));
    let (set, warnings) = model::load_unit(&project.dir, &filled, &unit.name, sheets)
        .map_err(|d| (Some(folder.clone()), with_manifest_warnings(d)))?;
    let warnings = with_manifest_warnings(warnings);
    render_set(
        project,
        Some(folder.clone()),
        set,
        warnings,
        &batch.templates,
    )
    .map_err(|d| (Some(folder), d))
}

/// A project's templates, compiled once and used for all its units.
struct ProjectTemplates {
    renderer: Renderer,
    /// The project's own layout template: where it is and its text.
    layout: Option<(PathBuf, String)>,
}

impl ProjectTemplates {
    /// The project's `templates/`, falling back to those beside shared settings above it. A
    /// template folder or file that links out of the folder it belongs to is refused, as a
    /// `数据:` path is: a project must not make qingdan read (and echo) files elsewhere.
    fn load(project: &Project) -> Result<Self, Diagnostics> {
        let owned = project.template_folders();
        let mut refused = Diagnostics::new();
        for (owner, folder) in &owned {
            for path in project::links_leaving(owner, folder) {
                refused.push(link_refused(&path, "模板", "template"));
            }
        }
        if refused.has_errors() {
            return Err(refused);
        }
        let folders: Vec<PathBuf> = owned.into_iter().map(|(_, folder)| folder).collect();
        let renderer = Renderer::new(&folders).map_err(|d| one(*d))?;
        let layout_path = folders
            .iter()
            .map(|f| f.join("gongwen.typ"))
            .find(|p| p.is_file());
        let layout = if let Some(layout_path) = layout_path {
            let text = std::fs::read_to_string(&layout_path).map_err(|e| {
                one(Diagnostic::error(
                    &layout_path,
                    Location::File,
                    format!("无法读取版式模板：{e}"),
                    format!("cannot read the layout template: {e}"),
                ))
            })?;
            Some((layout_path, text))
        } else {
            None
        };
        Ok(Self { renderer, layout })
    }
}

/// The error for a file of the project that is a link to somewhere outside it.
fn link_refused(path: &Path, zh_what: &str, en_what: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        Location::File,
        format!("{zh_what}“{}”链接到项目文件夹之外，已拒绝", path.display()),
        format!(
            "the {en_what} “{}” links outside the project folder and is refused",
            path.display()
        ),
    )
    .with_hint(
        "把文件本身复制到项目文件夹里，而不是放一个链接",
        "copy the file itself into the project folder instead of a link",
    )
}

/// Stages 3 and 4 for a validated set: the project's templates → Markdown → document trees.
fn render_set(
    project: &Arc<Project>,
    unit: Option<String>,
    set: model::DocumentSet,
    warnings: Diagnostics,
    templates: &ProjectTemplates,
) -> Result<PreparedProject, Diagnostics> {
    let documents = templates
        .renderer
        .render_set(&set)
        .map_err(|d| one(*d))?
        .into_iter()
        .map(Document::read)
        .collect();
    let font_roles = pdf::fonts::roles_for(&set.fonts);
    let name = unit
        .as_ref()
        .map_or_else(|| project.name.clone(), |u| format!("{}/{u}", project.name));
    Ok(PreparedProject {
        project: project.clone(),
        unit,
        name,
        documents,
        font_roles,
        layout: templates.layout.clone(),
        warnings,
        set,
    })
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut diags = Diagnostics::new();
    diags.push(d);
    diags
}
