//! qingdan (清单) turns data about an organisation's leaders and assignments into Chinese
//! official documents (公文): a 印发通知, the rules it issues, and attachments such as a
//! 责任清单, a 任务分工表 or an 安排表 — as Markdown, as GB/T 9704-2012 PDF and as .docx.
//!
//! The pipeline, one module per stage:
//! 1. [`inputs`] — read the YAML manifest, CSV / spreadsheet tables and Markdown as written;
//! 2. [`model`] — validate them into typed documents, collecting every problem ([`diag`]);
//! 3. [`render`] — Tera templates turn the model into Markdown (data escaped automatically);
//! 4. [`markdown`] — the one configured Markdown reader;
//! 5. [`typst_markup`] — Markdown → Typst markup, text escaped;
//! 6. [`pdf`] — the layout template and typst, in-process, → PDF; beside it [`docx`] — the same
//!    rendered documents → Word files laid out after GB/T 9704;
//! 7. [`output`] — atomic writes into `output/<project>/`.
//!
//! [`prepare_project`] runs stages 1–3 for one project folder; [`pipeline`] runs 5–6 for many
//! projects at once (fonts loaded once, worker threads) and hands back each document set whole,
//! so `cmd::build` writes a set all or nothing and `cmd::check` compiles without writing.
//! [`names`] holds the rule for the file and folder names qingdan writes; [`blank_sheets`] the
//! spreadsheets to fill in, one per attachment kind.

pub mod blank_sheets;
pub mod changes;
pub mod cli;
pub mod cmd;
pub mod conformance;
pub mod diag;
pub mod docx;
pub mod gitrev;
pub mod inputs;
pub mod markdown;
pub mod model;
pub mod names;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod project;
pub mod render;
pub mod serve;
pub mod typst_markup;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diag::{Diagnostic, Diagnostics, Location};
use render::{RenderedDocument, Renderer};

/// One project after stages 1–3: its documents rendered to Markdown, ready for PDF.
pub struct PreparedProject {
    pub dir: PathBuf,
    /// The output subfolder name (the project folder's name).
    pub name: String,
    pub documents: Vec<RenderedDocument>,
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

/// Loads, validates and renders the project in `dir` (stages 1–3) as one document set; for a
/// batch project use [`prepare_projects`], which yields one prepared set per unit.
pub fn prepare_project(dir: &Path) -> Result<PreparedProject, Diagnostics> {
    prepare_project_with(dir, &mut model::SheetCache::default())
}

/// [`prepare_project`], reading sheets through `sheets`.
fn prepare_project_with(
    dir: &Path,
    sheets: &mut model::SheetCache,
) -> Result<PreparedProject, Diagnostics> {
    let (set, warnings) = model::load_project_with(dir, sheets)?;
    let templates = ProjectTemplates::load(dir)?;
    render_set(dir, project_name(dir), set, warnings, &templates)
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
    fn load(dir: &Path) -> Result<Self, Diagnostics> {
        let mut owners = vec![dir.to_path_buf()];
        owners.extend(inputs::manifest::defaults_dirs(dir));
        let mut refused = Diagnostics::new();
        for owner in &owners {
            for path in project::links_leaving(owner, &owner.join("templates")) {
                refused.push(link_refused(&path, "模板", "template"));
            }
        }
        if refused.has_errors() {
            return Err(refused);
        }
        let folders: Vec<PathBuf> = owners.iter().map(|o| o.join("templates")).collect();
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

/// A project, or one unit of a batch, that could not be prepared.
pub struct FailedProject {
    pub dir: PathBuf,
    pub name: String,
    pub diagnostics: Diagnostics,
}

/// Stages 1–3 for the project in `dir`: one prepared set, or one per unit of a batch
/// (named `<project>/<unit>`). Units fail independently.
pub fn prepare_projects(dir: &Path) -> Vec<Result<PreparedProject, FailedProject>> {
    prepare_projects_with(dir, model::SheetCache::default())
}

/// [`prepare_projects`], reading sheets through `sheets`: a sheet put there with
/// [`model::SheetCache::with_sheet`] stands in for its file (`qingdan serve` checks an upload
/// so, writing nothing).
pub fn prepare_projects_with(
    dir: &Path,
    mut sheets: model::SheetCache,
) -> Vec<Result<PreparedProject, FailedProject>> {
    let name = project_name(dir);
    let fail = |name: String, diagnostics: Diagnostics| FailedProject {
        dir: dir.to_path_buf(),
        name,
        diagnostics,
    };
    let (manifest, manifest_warnings) = match model::read_manifest_with_warnings(dir) {
        Ok(m) => m,
        Err(d) => return vec![Err(fail(name, one(*d)))],
    };
    let units = match model::batch::units(dir, &manifest, &mut sheets) {
        Ok(Some(units)) => units,
        Ok(None) => return vec![prepare_project_with(dir, &mut sheets).map_err(|d| fail(name, d))],
        Err(d) => return vec![Err(fail(name, one(*d)))],
    };
    let templates = match ProjectTemplates::load(dir) {
        Ok(t) => t,
        Err(d) => return vec![Err(fail(name, d))],
    };
    let collisions = model::batch::folder_collisions(&units);
    units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let unit_name = format!("{name}/{}", model::batch::folder_name(&unit.name));
            // The manifest's own warnings are given once, with the first unit.
            let with_manifest_warnings = |diags: Diagnostics| {
                let mut all = if i == 0 {
                    manifest_warnings.clone()
                } else {
                    Diagnostics::new()
                };
                all.extend(diags);
                all
            };
            if let Some(collision) = collisions.get(&i) {
                return Err(fail(
                    unit_name,
                    with_manifest_warnings(one(collision.clone())),
                ));
            }
            let filled =
                manifest.map_texts(&|text: &str| text.replace(model::batch::UNIT, &unit.name));
            let (set, warnings) = model::load_unit(dir, &filled, &unit.name, &mut sheets)
                .map_err(|d| fail(unit_name.clone(), with_manifest_warnings(d)))?;
            let warnings = with_manifest_warnings(warnings);
            render_set(dir, unit_name.clone(), set, warnings, &templates)
                .map_err(|d| fail(unit_name, d))
        })
        .collect()
}

/// The output folder name of a project: its folder's name.
pub fn project_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".to_owned())
}

/// Stage 3 for a validated set: the project's templates → Markdown.
fn render_set(
    dir: &Path,
    name: String,
    set: model::DocumentSet,
    warnings: Diagnostics,
    templates: &ProjectTemplates,
) -> Result<PreparedProject, Diagnostics> {
    let documents = templates.renderer.render_set(&set).map_err(|d| one(*d))?;
    let mut font_roles = pdf::fonts::default_roles();
    font_roles.extend(set.fonts.clone());
    Ok(PreparedProject {
        dir: dir.to_path_buf(),
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
