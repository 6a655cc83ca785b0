//! Receiving an uploaded sheet, and keeping a checked one until it is applied.
//!
//! An upload is read whole into memory (at most [`UPLOAD_LIMIT`]) before anything is done with
//! it, so a connection that drops mid-upload leaves nothing behind: no file in the project, no
//! temporary file. A sheet that passes the check waits, under a random token, in the server's
//! own temporary folder (removed when the server stops) — never in the project — until Apply
//! or until newer uploads push it out.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

use super::UPLOAD_LIMIT;
use super::error::ErrorPage;

/// Checked uploads kept waiting for Apply; the oldest is dropped past this.
const KEPT: usize = 16;

/// The spreadsheet extensions accepted, lower case.
const EXTENSIONS: [&str; 5] = ["csv", "xlsx", "xlsm", "xls", "ods"];

/// An uploaded file, whole, and the form's other field.
pub(super) struct Received {
    /// The name the browser gave, for display only (never a path).
    pub name: String,
    /// Its extension, one of [`EXTENSIONS`].
    pub ext: &'static str,
    pub bytes: Vec<u8>,
    /// The digest of the data file as the upload page showed it (field `loaded`), when sent.
    pub loaded: Option<String>,
}

/// Reads an upload form — the `file` field, and `loaded` —, refusing what is not a
/// spreadsheet, too large, or incomplete.
pub(super) async fn receive(mut multipart: Multipart) -> Result<Received, ErrorPage> {
    let mut file = None;
    let mut loaded = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("loaded") => {
                // A digest: 64 hexadecimal digits; anything longer is not one.
                let text = field.text().await.map_err(broken)?;
                loaded = Some(text.chars().take(64).collect::<String>());
            }
            Some("file") if file.is_none() => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    if bytes.len() + chunk.len() > UPLOAD_LIMIT {
                        return Err(too_large());
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let Some((name, bytes)) = file.filter(|(name, bytes)| !(name.is_empty() && bytes.is_empty()))
    else {
        return Err(ErrorPage::new(
            StatusCode::BAD_REQUEST,
            "没有选择文件，未做任何修改",
            "no file was chosen; nothing was changed",
        )
        .hint(
            "点“选择文件”选一个表格再检查",
            "choose a sheet with “Choose file”, then Check",
        ));
    };
    let ext = extension(&name).ok_or_else(|| not_a_sheet(&name))?;
    if bytes.is_empty() {
        return Err(ErrorPage::new(
            StatusCode::BAD_REQUEST,
            format!("“{name}”是空文件，未做任何修改"),
            format!("“{name}” is empty; nothing was changed"),
        ));
    }
    Ok(Received {
        name,
        ext,
        bytes,
        loaded,
    })
}

/// The extension of `name` if it is a spreadsheet's.
fn extension(name: &str) -> Option<&'static str> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    EXTENSIONS.into_iter().find(|e| *e == ext)
}

/// How long an upload's file may take to arrive.
pub(super) const UPLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(120);

/// A turn among the checks (a sheet's or an import's), then what `receive` reads of the upload,
/// within [`UPLOAD_TIME`]. The turn comes first, before the file is received: uploads waiting
/// for one are held back by the network, not in memory. `what` names the work for the error.
pub(super) async fn in_turn<T>(
    state: &super::AppState,
    what: (&str, &str),
    receive: impl std::future::Future<Output = Result<T, ErrorPage>>,
) -> Result<(tokio::sync::OwnedSemaphorePermit, T), ErrorPage> {
    let turn = state
        .checks
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ErrorPage::internal(what.0, what.1))?;
    let received = tokio::time::timeout(UPLOAD_TIME, receive)
        .await
        .map_err(|_| too_slow(UPLOAD_TIME))??;
    Ok((turn, received))
}

/// A broken upload: too large (the body limit hit), or cut off.
pub(super) fn broken(e: MultipartError) -> ErrorPage {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    ErrorPage::new(
        StatusCode::BAD_REQUEST,
        "上传中断或不完整，未做任何修改",
        "the upload was interrupted or incomplete; nothing was changed",
    )
    .hint(
        "检查网络后重新上传",
        "check the connection and upload again",
    )
}

pub(super) fn too_large() -> ErrorPage {
    let mb = UPLOAD_LIMIT >> 20;
    ErrorPage::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("文件太大：最大 {mb} MB，未做任何修改"),
        format!("the file is too large: at most {mb} MB; nothing was changed"),
    )
    .hint(
        "删去表格中无关的工作表、图片或空白区域后另存，或分成几个附件",
        "remove unrelated worksheets, pictures or blank areas and save again, or split it into several attachments",
    )
}

/// The upload did not arrive within `limit`.
pub(super) fn too_slow(limit: std::time::Duration) -> ErrorPage {
    let minutes = limit.as_secs() / 60;
    ErrorPage::new(
        StatusCode::REQUEST_TIMEOUT,
        format!("上传超过 {minutes} 分钟仍未完成，已中断，未做任何修改"),
        format!("the upload took more than {minutes} minutes and was stopped; nothing was changed"),
    )
    .hint(
        "检查网络后重新上传",
        "check the connection and upload again",
    )
}

fn not_a_sheet(name: &str) -> ErrorPage {
    ErrorPage::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!("“{name}”不是表格文件，未做任何修改"),
        format!("“{name}” is not a spreadsheet; nothing was changed"),
    )
    .hint(
        "请上传 .xlsx、.xls、.ods 或 .csv 文件（在 Excel / WPS 中“另存为”即可）",
        "upload an .xlsx, .xls, .ods or .csv file (use “Save as” in Excel / WPS)",
    )
}

/// Which readers a file of extension `ext` is read with: all workbooks of one kind alike.
pub(super) fn family(ext: &str) -> &str {
    match ext {
        "xlsm" => "xlsx",
        other => other,
    }
}

/// A checked upload waiting for Apply.
pub(super) struct Waiting {
    pub token: String,
    pub project: usize,
    pub attachment: usize,
    /// The upload, saved in the server's temporary folder.
    pub path: PathBuf,
    pub name: String,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        // Gone from the list: its file goes too (the temporary folder is the server's own).
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The checked uploads.
pub(super) struct Pending {
    dir: tempfile::TempDir,
    waiting: Mutex<Vec<Waiting>>,
    count: AtomicU64,
}

impl Pending {
    /// A new upload folder in the system's temporary folder, named after this process; the
    /// folders of servers that were killed (their process is gone) are removed first.
    pub(super) fn new() -> std::io::Result<Self> {
        remove_stale(&std::env::temp_dir());
        Ok(Self {
            dir: tempfile::Builder::new()
                .prefix(&format!("{DIR_PREFIX}{}-", std::process::id()))
                .tempdir()?,
            waiting: Mutex::new(Vec::new()),
            count: AtomicU64::new(0),
        })
    }

    /// A new token, and where an upload with extension `ext` is saved under it.
    pub(super) fn place(&self, bytes: &[u8], ext: &str) -> (String, PathBuf) {
        let token = self.token(bytes);
        let path = self.dir.path().join(format!("{token}.{ext}"));
        (token, path)
    }

    /// A new token, never given before by this server, for something made from `bytes`.
    pub(super) fn token(&self, bytes: &[u8]) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(self.count.fetch_add(1, Ordering::Relaxed).to_le_bytes());
        hasher.update(format!("{:?}", std::time::SystemTime::now()));
        hasher.update(std::process::id().to_le_bytes());
        hasher.update(bytes);
        hex(&hasher.finalize()[..16])
    }

    /// Keeps `upload` for Apply, dropping the oldest past [`KEPT`].
    pub(super) fn keep(&self, upload: Waiting) {
        let mut waiting = self.lock();
        waiting.push(upload);
        if waiting.len() > KEPT {
            waiting.remove(0);
        }
    }

    /// Takes the upload `token` of attachment `attachment` of project `project` off the list.
    pub(super) fn take(&self, token: &str, project: usize, attachment: usize) -> Option<Waiting> {
        let mut waiting = self.lock();
        let i = waiting
            .iter()
            .position(|w| w.token == token && w.project == project && w.attachment == attachment)?;
        Some(waiting.remove(i))
    }

    /// How many files the server's upload folder holds (each a checked upload waiting).
    pub(super) fn files(&self) -> usize {
        std::fs::read_dir(self.dir.path()).map_or(0, |entries| entries.count())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Waiting>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The upload folders' names start so, then the server's process id and `-`.
const DIR_PREFIX: &str = "qingdan-serve-";

/// Removes the upload folders under `temp` of servers whose process is gone. Only where
/// `/proc` tells which processes run (Linux); elsewhere a killed server's folder stays for the
/// system to clean, rather than risk removing a running server's uploads.
fn remove_stale(temp: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix(DIR_PREFIX))
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if let Some(pid) = pid
            && is_dir
            && pid != std::process::id()
            && !proc.join(pid.to_string()).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Lower-case hexadecimal.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of the file at `path` (empty when it cannot be read).
pub(super) fn file_digest(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    std::fs::read(path)
        .map(|bytes| hex(&Sha256::digest(&bytes)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_folders_of_gone_servers_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        // No process has pid 4294967295 (above any pid_max).
        let ours = format!("{DIR_PREFIX}{}-abc", std::process::id());
        let names = [
            ours.as_str(),
            "qingdan-serve-4294967295-abc",
            "qingdan-serve-x-abc",
            "other-1-abc",
        ];
        for name in names {
            std::fs::create_dir(temp.path().join(name)).unwrap();
        }
        remove_stale(temp.path());
        let left: Vec<bool> = names.iter().map(|n| temp.path().join(n).exists()).collect();
        assert_eq!(left, [true, false, true, true]);
    }
}
