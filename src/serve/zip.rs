//! "Download all": every built file of a project as one ZIP — `<document>.<ext>` for a plain
//! project, `<unit>/<document>.<ext>` and `索引.md` for a batch — streamed as it is made.
//!
//! A 2,000-school batch makes a ZIP of about 190 MB. It is never held whole: a worker thread
//! writes the archive (the zip crate's streaming writer, each entry followed by its sizes) into a
//! channel of a few 64 KiB chunks, and the response sends them as they come; each file is read
//! in pieces. At most [`AT_ONCE`] ZIPs are made at a time, the rest wait their turn, so memory
//! stays bounded however many are asked for; a client that stops reading is cut off by the
//! connection's write timeout ([`super::connections`]), which frees its turn. Only a page of
//! this server can start one ([`FromThisPage`]).

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::Response;
use http_body::Frame;
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::AppState;
use super::downloads::{KINDS, attachment, not_built, output_file};
use super::error::ErrorPage;
use super::guard::FromThisPage;
use super::ids::ProjectPath;
use super::projects::Snapshot;
use crate::build::INDEX_FILE;

/// ZIPs made at the same time.
pub(super) const AT_ONCE: usize = 2;

/// The size of the pieces sent, and how many may wait to be sent.
const CHUNK: usize = 64 << 10;
const CHUNKS_WAITING: usize = 4;

/// `GET /p/{p}/zip`: every built file of the project, as a ZIP.
pub(super) async fn zip(
    State(state): State<Arc<AppState>>,
    project: ProjectPath,
    _: FromThisPage,
) -> Result<Response, ErrorPage> {
    let name = state.projects[project.id].name.clone();
    let turn = state
        .zips
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ErrorPage::internal("无法生成 ZIP", "cannot make the ZIP"))?;
    let worker = state.clone();
    let listed = name.clone();
    let files = tokio::task::spawn_blocking(move || built(&worker, &listed, &project.snapshot))
        .await
        .map_err(|_| ErrorPage::internal("无法生成 ZIP", "cannot make the ZIP"))?;
    if files.is_empty() {
        return Err(not_built(&name));
    }
    let (send, receive) = mpsc::channel(CHUNKS_WAITING);
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let failed = send.clone();
        // A failure (a file unreadable mid-way) breaks the response off, so that the browser
        // reports the download as failed rather than keep half a ZIP; when the client went
        // away, there is nobody to tell.
        if let Err(e) = write_zip(&files, Chunks::new(send)) {
            let _ = failed.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    Ok(attachment(
        Body::new(Received(receive)),
        &format!("{name}.zip"),
        "application/zip",
    ))
}

/// The entries of the ZIP and the files they are read from: those built, regular files only.
/// Units that failed have no folder. Blocking (looks at each file).
fn built(state: &AppState, project: &str, snapshot: &Snapshot) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for unit in snapshot.units.iter().filter_map(|u| u.as_ref().ok()) {
        let folder = unit.name.split_once('/').map(|(_, u)| format!("{u}/"));
        for document in &unit.documents {
            for (ext, _) in KINDS {
                let path = output_file(state, &unit.name, &document.name, ext);
                let entry = format!("{}{}.{ext}", folder.as_deref().unwrap_or(""), document.name);
                files.push((entry, path));
            }
        }
    }
    if snapshot.batch {
        let index = state.options.output.join(project).join(INDEX_FILE);
        files.push((INDEX_FILE.to_owned(), index));
    }
    files
        .retain(|(_, path)| std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file()));
    files
}

/// Writes the ZIP of `files` into `out`: PDFs and .docx (compressed already) stored as they are,
/// Markdown deflated; fixed timestamps, so the same files give the same ZIP. A file gone since
/// it was listed is left out.
fn write_zip(files: &[(String, PathBuf)], out: impl Write) -> zip::result::ZipResult<()> {
    let mut zip = ZipWriter::new_stream(out);
    for (entry, path) in files {
        let Ok(mut file) = File::open(path) else {
            continue;
        };
        let method = if entry.ends_with(".md") {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::default());
        zip.start_file(entry.as_str(), options)?;
        std::io::copy(&mut file, &mut zip)?;
    }
    zip.finish()?.into_inner().flush()?;
    Ok(())
}

/// A writer that hands what is written to the response in [`CHUNK`]-sized pieces, waiting
/// while [`CHUNKS_WAITING`] are not sent yet. Fails once the response is gone.
struct Chunks {
    send: mpsc::Sender<Piece>,
    piece: Vec<u8>,
}

impl Chunks {
    fn new(send: mpsc::Sender<Piece>) -> Self {
        Self {
            send,
            piece: Vec::with_capacity(CHUNK),
        }
    }

    fn send_piece(&mut self) -> std::io::Result<()> {
        if self.piece.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.piece, Vec::with_capacity(CHUNK));
        self.send
            .blocking_send(Ok(Bytes::from(piece)))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let taken = buf.len().min(CHUNK - self.piece.len());
        self.piece.extend_from_slice(&buf[..taken]);
        if self.piece.len() == CHUNK {
            self.send_piece()?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send_piece()
    }
}

/// A piece of the ZIP, or why it could not be finished.
type Piece = std::io::Result<Bytes>;

/// The response body: the pieces as they arrive, until the writer is done.
struct Received(mpsc::Receiver<Piece>);

impl http_body::Body for Received {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|piece| piece.map(|p| p.map(Frame::data)))
    }
}
