//! `qingdan serve`: a local web page for clerks, in the same binary, offline.
//!
//! It takes the project folders under one folder, builds them into the output folder as
//! `qingdan build` does, and serves pages (rendered here with Tera, every asset embedded) to see
//! every project, preview each document page by page, download its files, and hand in a new
//! roster or task sheet: checked against the project's own readers and model, shown with every
//! problem in place, compared with the current data (the `qingdan diff` report), and written
//! into the project only when the clerk presses Apply.
//!
//! The parts, one file each:
//! - [`projects`] — the served projects, each with its prepared units, fixed at start;
//! - [`routes`] — the URL table and the page handlers; [`pages`] — templates and view structs;
//! - [`guard`] — Host and same-origin checks, headers every answer carries;
//! - [`upload`] — receive an uploaded sheet and keep it until Apply; [`check`] — check it with
//!   the project's readers and model; [`apply`] — write it into the project, keeping the old;
//! - [`preview`] — PNG pages compiled once per document version, with the PDF's engine;
//! - [`downloads`] — the built files, and "download all" as a ZIP;
//! - [`rebuild`] — the one call that builds a project into its output folder.
//!
//! Nothing the client sends is ever used as a path: projects, units, documents and attachments
//! are addressed by their index in lists the server made, and files are read only from the
//! served projects' data files and their output folders.

mod apply;
mod check;
mod downloads;
mod guard;
mod pages;
mod preview;
mod projects;
mod rebuild;
mod routes;
mod upload;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::pdf::PdfEngine;
use crate::pipeline::{CompileOptions, Compiler};

pub use projects::Project;
pub use routes::router;

/// The largest sheet accepted for upload: far above any real roster (a 20,000-duty list is
/// about 2 MB as .xlsx), small enough to hold in memory while it is checked.
pub const UPLOAD_LIMIT: usize = 20 << 20;

/// What `qingdan serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of project folders (or one project folder).
    pub dir: PathBuf,
    /// Where each project's outputs go (`<output>/<project>/`).
    pub output: PathBuf,
    pub compile: CompileOptions,
    /// The address the server is bound to; with `check_host`, requests must name it (or
    /// `localhost`) in their Host header.
    pub addr: SocketAddr,
    /// Whether to refuse requests for other host names (off with `--listen`).
    pub check_host: bool,
}

/// Everything the handlers share: one font set and one set of engines for every request.
pub struct AppState {
    pub(crate) options: Options,
    compiler: Compiler,
    /// Engines for layout templates the compiler was not made with (a project whose
    /// `templates/gongwen.typ` changed while the server runs), on the same fonts.
    extra_engines: Mutex<Vec<Arc<PdfEngine>>>,
    pub(crate) projects: Vec<Project>,
    previews: preview::Cache,
    uploads: upload::Pending,
    /// Held while an upload is applied, so two tabs applying at once go one after the other
    /// and the second sees the file the first wrote.
    apply_lock: tokio::sync::Mutex<()>,
}

impl AppState {
    /// Finds and prepares the projects under `options.dir` and loads the fonts once. Does not
    /// build: see [`AppState::build_all`]. `None` when there is no project there.
    pub fn new(options: Options) -> std::io::Result<Option<Arc<Self>>> {
        let dirs = crate::project::find_projects(&options.dir);
        if dirs.is_empty() {
            return Ok(None);
        }
        let mut units: Vec<_> = dirs.iter().map(|d| crate::prepare_projects(d)).collect();
        // The compiler needs one prepared unit of each project (its fonts folder and layout
        // template): they are lent to it and put back.
        let lent: Vec<(usize, usize)> = units
            .iter()
            .enumerate()
            .filter_map(|(p, u)| u.iter().position(Result::is_ok).map(|i| (p, i)))
            .collect();
        let mut sample: Vec<crate::PreparedProject> = lent
            .iter()
            .filter_map(|&(p, i)| units[p].remove(i).ok())
            .collect();
        let (compiler, warnings) = Compiler::new(&sample, &options.compile);
        for &(p, i) in lent.iter().rev() {
            if let Some(unit) = sample.pop() {
                units[p].insert(i, Ok(unit));
            }
        }
        let projects: Vec<Project> = dirs
            .into_iter()
            .zip(units)
            .map(|(dir, units)| Project::with_units(dir, units))
            .collect();
        if !warnings.is_empty() {
            crate::cmd::write_stderr(format_args!("{warnings}"));
        }
        Ok(Some(Arc::new(Self {
            options,
            compiler,
            extra_engines: Mutex::new(Vec::new()),
            projects,
            previews: preview::Cache::default(),
            uploads: upload::Pending::new()?,
            apply_lock: tokio::sync::Mutex::new(()),
        })))
    }

    /// Builds every project into the output folder (unchanged documents are skipped, as by
    /// `qingdan build`), and records whether each build was clean.
    pub fn build_all(&self) {
        for project in &self.projects {
            project.rebuild(self);
        }
    }

    /// What the server was started with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The served projects; a project's id in URLs is its index here.
    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    /// How many uploaded files the server holds: the checked uploads waiting for Apply (a
    /// rejected or interrupted upload leaves none).
    pub fn upload_files(&self) -> usize {
        self.uploads.files()
    }

    /// Calls `f` with the engine for the layout template `layout`.
    fn with_engine<R>(&self, layout: &str, f: impl FnOnce(&PdfEngine) -> R) -> R {
        if let Some(engine) = self.compiler.engine_for(layout) {
            return f(engine);
        }
        let engine = {
            let mut extra = self
                .extra_engines
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match extra.iter().find(|e| e.layout() == layout) {
                Some(engine) => engine.clone(),
                None => {
                    let engine = Arc::new(PdfEngine::new(self.compiler.fonts().clone(), layout));
                    extra.push(engine.clone());
                    engine
                }
            }
        };
        f(&engine)
    }
}

/// Runs the server on `listener` until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}
