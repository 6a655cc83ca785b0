//! The imports checked and waiting for Create, and the import itself: read, recognised and
//! checked as `qingdan import --dry-run` does, in a temporary folder of its own (never among
//! the served projects), named after the document under the folder new projects go to.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;

use super::super::error::ErrorPage;
use crate::diag::Diagnostics;
use crate::import::{Checked, Input};

/// Checked imports kept waiting for Create; the oldest is dropped past this (each holds its
/// project, files and temporary folder).
const KEPT: usize = 4;

/// One checked import waiting for Create.
pub(super) struct Draft {
    pub(super) token: String,
    /// The folder it will be created as, under [`projects_folder`].
    pub(super) folder: String,
    pub(super) checked: Checked,
    /// The temporary folder it was checked in (removed with the draft).
    _scratch: tempfile::TempDir,
}

/// The checked imports.
#[derive(Default)]
pub(crate) struct Drafts {
    waiting: Mutex<Vec<Arc<Draft>>>,
}

impl Drafts {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Draft>>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn keep(&self, draft: Arc<Draft>) {
        let mut waiting = self.lock();
        waiting.push(draft);
        if waiting.len() > KEPT {
            waiting.remove(0);
        }
    }

    pub(super) fn find(&self, token: &str) -> Result<Arc<Draft>, ErrorPage> {
        self.lock()
            .iter()
            .find(|d| d.token == token)
            .cloned()
            .ok_or_else(expired)
    }

    pub(super) fn take(&self, token: &str) -> Result<Arc<Draft>, ErrorPage> {
        let mut waiting = self.lock();
        let i = waiting
            .iter()
            .position(|d| d.token == token)
            .ok_or_else(expired)?;
        Ok(waiting.remove(i))
    }
}

fn expired() -> ErrorPage {
    ErrorPage::new(
        StatusCode::NOT_FOUND,
        "这次导入已过期（服务重新启动过，或之后又导入了几个文件）",
        "this import has expired (the server restarted, or several files were imported since)",
    )
    .hint("重新上传文件再导入", "upload the file again to import it")
}

/// Where new projects go: the served folder of projects, or beside the one project served.
pub(super) fn projects_folder(served: &Path) -> PathBuf {
    if served.join(crate::project::MANIFEST_FILE).is_file() {
        served
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
    } else {
        served.to_path_buf()
    }
}

/// `name`, or `name-2`, `name-3`, … : the first that names nothing under `parent` yet.
fn free_folder(parent: &Path, name: &str) -> String {
    (1..100)
        .map(|n| match n {
            1 => name.to_owned(),
            n => format!("{name}-{n}"),
        })
        .find(|n| parent.join(n).symlink_metadata().is_err())
        .unwrap_or_else(|| format!("{name}-{}", std::process::id()))
}

/// Reads, recognises and checks `input` as `qingdan import --dry-run` does, in a temporary
/// folder; the project it would create is named after the document, under `parent`. The
/// problems that stopped it otherwise. Blocking.
pub(super) fn import(input: Input, parent: &Path, token: String) -> Result<Draft, Diagnostics> {
    let one = |d| {
        let mut all = Diagnostics::new();
        all.push(d);
        all
    };
    let imported = match crate::import::recognise(std::slice::from_ref(&input)) {
        Ok(i) => i,
        Err(d) => return Err(one(*d)),
    };
    let folder = free_folder(parent, &imported.folder_name());
    let scratch = match tempfile::tempdir() {
        Ok(s) => s,
        Err(e) => {
            return Err(one(crate::diag::Diagnostic::general_error(
                format!("无法创建临时文件夹：{e}"),
                format!("cannot create a temporary folder: {e}"),
            )));
        }
    };
    // Checked in the scratch folder (in a folder beside `staging`), messages naming the folder
    // as it will be.
    let staging = scratch.path().join(&folder);
    let checked = imported.check_as(&staging, Path::new(&folder))?;
    Ok(Draft {
        token,
        folder,
        checked,
        _scratch: scratch,
    })
}
