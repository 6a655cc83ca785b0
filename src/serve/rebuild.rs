//! The one place `qingdan serve` builds: a project into its output folder with
//! [`crate::build::build_with`] — the library call `qingdan build` makes — on the fonts and
//! engines the server keeps. Incremental: documents whose inputs did not change are neither
//! compiled nor rewritten, so after an Apply only the affected documents are. What it finds
//! goes to the server's reporter (standard error, where whoever started it sees it); the pages
//! show the problems from preparing the project.
//!
//! A build writes only while the server owns the output folder ([`OutputLock`]): a `qingdan
//! build` or another `serve` writing the same folder is waited for, and waits in turn.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;

use crate::build::{BuildOptions, Formats, build_with};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::output::lock::{LockError, OutputLock, Owner};

use super::AppState;
use super::error::{ErrorPage, io_reason};
use super::projects::Snapshot;

/// How long a request waits for another qingdan writing the output folder before it gives up.
pub(super) const PATIENCE: Duration = Duration::from_secs(120);

/// The 503 for an output folder another qingdan kept writing for all of [`PATIENCE`].
pub(super) fn busy(owner: &Owner) -> ErrorPage {
    let (zh, en) = owner.describe();
    let minutes = PATIENCE.as_secs() / 60;
    ErrorPage::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("输出文件夹正由{zh}写入，等了 {minutes} 分钟仍未完成；未做任何修改"),
        format!(
            "the output folder is being written by {en}, still after {minutes} minutes; nothing was changed"
        ),
    )
    .hint(
        "等它完成后，回到上一页再试一次",
        "once it is done, go back to the previous page and try again",
    )
}

/// Reads project `p` again as it is on disk and rebuilds it, owning the output folder: for a
/// data file that changed since the server read it (edited in Excel, or applied by another
/// `serve`). The project as it is now.
pub(super) async fn reread(state: &Arc<AppState>, p: usize) -> Result<Arc<Snapshot>, ErrorPage> {
    let worker = state.clone();
    tokio::task::spawn_blocking(move || {
        let owner = worker.own_output(Some(PATIENCE)).map_err(|e| match e {
            LockError::Busy(owner) => busy(&owner),
            LockError::Io(e) => {
                let (zh, en) = io_reason(&e);
                ErrorPage::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("无法建立输出文件夹的锁文件（{zh}），未做任何修改"),
                    format!(
                        "cannot make the output folder's lock file ({en}); nothing was changed"
                    ),
                )
            }
        })?;
        worker.projects[p].rebuild(&worker, &owner);
        Ok(worker.projects[p].snapshot())
    })
    .await
    .map_err(|_| ErrorPage::internal("无法重新读取项目", "cannot read the project again"))?
}

impl AppState {
    /// Owns the output folder, waiting while another qingdan writes it — for ever, or at most
    /// `patience` — and saying on the server's reporter whom it waits for. Blocking.
    pub(super) fn own_output(&self, patience: Option<Duration>) -> Result<OutputLock, LockError> {
        let output = &self.options.output;
        OutputLock::own(output, "serve", patience, &mut |owner: &Owner| {
            let (zh, en) = owner.describe();
            self.reporter.note(
                &format!("输出文件夹 {} 正由{zh}写入，等它完成……", output.display()),
                &format!(
                    "the output folder {} is being written by {en}; waiting until it is done…",
                    output.display()
                ),
            );
        })
    }

    /// Tells the server's reporter that the output folder could not be owned for a build.
    pub(super) fn report_unowned(&self, error: &LockError) {
        let (zh, en) = match error {
            LockError::Io(e) => (
                format!("无法建立锁文件：{e}"),
                format!("cannot make the lock file: {e}"),
            ),
            LockError::Busy(owner) => {
                let (zh, en) = owner.describe();
                (
                    format!("正由{zh}写入"),
                    format!("it is being written by {en}"),
                )
            }
        };
        let mut problem = Diagnostics::new();
        problem.push(Diagnostic::error(
            &self.options.output,
            Location::File,
            format!("未生成：输出文件夹{zh}"),
            format!("not built: the output folder: {en}"),
        ));
        self.reporter.diagnostics(&problem);
    }
}

/// Builds `project`, the output folder being owned (`_owner`); whether every unit of it was
/// built and written without error. Blocking.
pub(super) fn build_project(
    state: &AppState,
    project: &crate::project::Project,
    _owner: &OutputLock,
) -> bool {
    let options = BuildOptions {
        output: state.options.output.clone(),
        formats: Formats::default(),
        emit_typst: false,
        embed_fonts: false,
        compile: state.options.compile.clone(),
        check: false,
    };
    build_with(
        &state.compiler,
        std::slice::from_ref(project),
        &options,
        state.reporter.as_ref(),
    )
    .success()
}
