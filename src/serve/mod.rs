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
//! - [`routes`] — the URL table; [`ids`] — the ids in URLs, as extractors that resolve them;
//!   [`error`] — the one error type, answered as the app's own page;
//! - [`browse`] — the home and project pages, [`changes`] those of a personnel change;
//!   [`pages`] — the templates (each handler fills them from its own view structs);
//! - [`guard`] — Host and same-origin checks, headers every answer carries;
//! - [`upload`] — receive an uploaded sheet and keep it until Apply; [`check`] — check it with
//!   the project's readers and model; [`apply`] — write it into the project, keeping the old;
//! - [`import`] — a new project from an existing document ("从已有文件开始"): imported and
//!   checked in memory, previewed, written beside the served projects on Create;
//! - [`preview`] — PNG pages compiled once per document version, with the PDF's engine;
//! - [`downloads`] — the built files; [`zip`] — "download all", a ZIP streamed as it is made;
//! - [`rebuild`] — the one call that builds a project into its output folder;
//! - [`connections`] — accepting connections, capped, with time limits.
//!
//! Nothing the client sends is ever used as a path: projects, units, documents and attachments
//! are addressed by their index in lists the server made, and files are read only from the
//! served projects' data files and their output folders.

mod apply;
mod browse;
mod changes;
mod check;
mod connections;
mod downloads;
mod error;
mod guard;
mod ids;
mod import;
mod pages;
mod preview;
mod projects;
mod rebuild;
mod routes;
mod upload;
mod zip;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::build::Reporter;
use crate::pdf::pool::{CompileOptions, Compiler};

pub use connections::{HEADER_TIMEOUT, MAX_CONNECTIONS, WRITE_STALL};
pub use projects::Project;
pub use routes::router;

/// The largest sheet accepted for upload: far above any real roster (a 20,000-duty list is
/// about 2 MB as .xlsx), small enough to hold in memory while it is checked.
pub const UPLOAD_LIMIT: usize = 20 << 20;

/// Uploads checked at the same time; more wait their turn before their file is even received,
/// so memory stays bounded however many are sent at once (each check may read a sheet of up to
/// the row limit and load the project with it).
pub const CHECKS_AT_ONCE: usize = 2;

/// What `qingdan serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of project folders (or one project folder).
    pub dir: PathBuf,
    /// Where each project's outputs go (`<output>/<project>/`).
    pub output: PathBuf,
    /// Fonts and worker threads, loaded once for every request.
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
    /// Fonts, loaded once, and an engine per layout template: used for every preview and every
    /// build.
    compiler: Compiler,
    pub(crate) projects: Vec<Project>,
    previews: preview::Cache,
    uploads: upload::Pending,
    /// Imports checked and previewed, waiting for Create.
    imports: import::Drafts,
    /// Where builds and font loading tell what they find (the server's standard error, from
    /// `qingdan serve`).
    reporter: Box<dyn Reporter + Send>,
    /// Held while an upload is applied, so two tabs applying at once go one after the other
    /// and the second sees the file the first wrote.
    apply_lock: tokio::sync::Mutex<()>,
    /// Turns for uploads being checked: each may read a sheet of up to the row limit.
    checks: Arc<tokio::sync::Semaphore>,
    /// Turns for "download all" ZIPs being made.
    zips: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Finds and prepares the projects under `options.dir` and loads the fonts once. Does not
    /// build: see [`AppState::build_all`]. `None` when there is no project there. What the
    /// builds find goes to `reporter`.
    pub fn new(
        options: Options,
        reporter: Box<dyn Reporter + Send>,
    ) -> std::io::Result<Option<Arc<Self>>> {
        let found: Vec<Arc<crate::project::Project>> = crate::project::find_projects(&options.dir)
            .iter()
            .map(|dir| Arc::new(crate::project::Project::open(dir)))
            .collect();
        if found.is_empty() {
            return Ok(None);
        }
        let (compiler, warnings) =
            Compiler::new(&crate::build::font_folders(&found), &options.compile);
        reporter.diagnostics(&warnings);
        Ok(Some(Arc::new(Self {
            options,
            compiler,
            projects: found.into_iter().map(Project::load).collect(),
            previews: preview::Cache::default(),
            uploads: upload::Pending::new()?,
            imports: import::Drafts::default(),
            reporter,
            apply_lock: tokio::sync::Mutex::new(()),
            checks: Arc::new(tokio::sync::Semaphore::new(CHECKS_AT_ONCE)),
            zips: Arc::new(tokio::sync::Semaphore::new(zip::AT_ONCE)),
        })))
    }

    /// Builds every project into the output folder (unchanged documents are skipped, as by
    /// `qingdan build`), and records whether each build was clean. Waits while another qingdan
    /// writes the output folder (see [`crate::output::lock`]).
    pub fn build_all(&self) {
        match self.own_output(None) {
            Ok(owner) => {
                for project in &self.projects {
                    project.rebuild(self, &owner);
                }
            }
            Err(e) => self.report_unowned(&e),
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
}

/// Runs the server on `listener` until Ctrl+C (or, on Unix, SIGTERM); requests under way are finished first (an
/// Apply is never cut off), then the uploads waiting for Apply are removed with the state.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    connections::serve(listener, router(state), stopped()).await
}

/// Resolves when the user or the system asks the server to stop; never, where no signal can
/// be listened for.
async fn stopped() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    () = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => interrupt.await,
        }
    }
    #[cfg(not(unix))]
    interrupt.await;
}
