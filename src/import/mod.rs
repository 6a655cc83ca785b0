//! `qingdan import`: an existing document — a .docx as Word and WPS save it, text pasted or
//! saved as .txt (UTF-8 or GBK), Markdown, or a .doc / .wps / .pdf through LibreOffice or
//! poppler when they are installed — turned into a project folder that `qingdan build` turns
//! back into the same document.
//!
//! The stages, one module each:
//! 1. read: [`docx`], [`text`], [`markdown`] (and [`convert`] first for .doc / .wps / .pdf) give
//!    the document as paragraphs and tables ([`source`]), each remembering where it was
//!    ([`place`]);
//! 2. recognise: [`structure`] finds the 版记, the attachments by their 附件N labels (each read
//!    by [`attachment`]), and hands
//!    the part before them to [`front`] (版头, notice, issued document; titles by [`title`]),
//!    each line judged by [`furniture`]; [`tables`] and [`tasks`] read each attachment's table as the sheet of its
//!    kind — the result is a [`draft::Draft`];
//! 3. compose: [`compose`] numbers the issued document's body ([`numbering`]) and puts what
//!    found no place at its end, as text, with a warning;
//! 4. write: [`write`] makes the files, stages them in a temporary folder beside the target,
//!    loads them with qingdan's own loader — stepping back towards plain text
//!    ([`compose::fall_back`]) where it refuses something — and renames the folder into place.
//!
//! Every guess, everything left out because qingdan makes it anew, and every text that found no
//! place is a line of the [`report::Report`], in Chinese and English.

pub(crate) mod attachment;
pub(crate) mod compose;
pub(crate) mod convert;
pub(crate) mod docx;
pub(crate) mod draft;
pub(crate) mod front;
pub(crate) mod furniture;
pub(crate) mod markdown;
pub(crate) mod numbering;
pub(crate) mod place;
pub mod report;
pub(crate) mod source;
pub(crate) mod structure;
pub(crate) mod tables;
pub(crate) mod tasks;
pub(crate) mod text;
pub(crate) mod title;
pub(crate) mod write;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::prepare::PreparedProject;
pub use report::{Level, Note, Report};
use source::{Block, Source};
pub use write::ProjectFiles;

/// The most bytes of text (or of a document) one import reads.
pub const MAX_INPUT_BYTES: usize = 64 << 20;

/// One document to import: where it came from (a path, or `-` for standard input) and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file's path as given, or `-` (standard input); its extension says how to read it.
    pub name: PathBuf,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// How an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Docx,
    Markdown,
    Text,
    Office,
    Pdf,
}

fn kind_of(input: &Input) -> Kind {
    let ext = input
        .name
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("docx" | "docm" | "dotx") => Kind::Docx,
        Some("md" | "markdown") => Kind::Markdown,
        Some("doc" | "wps" | "dot" | "rtf" | "odt" | "wpt") => Kind::Office,
        Some("pdf") => Kind::Pdf,
        _ if input.bytes.starts_with(b"PK\x03\x04") => Kind::Docx,
        _ if input.bytes.starts_with(b"%PDF") => Kind::Pdf,
        _ => Kind::Text,
    }
}

/// Reads one input into paragraphs and tables.
fn read(input: &Input, notes: &mut Vec<Note>) -> Result<Source, Box<Diagnostic>> {
    let path = &input.name;
    if input.bytes.len() > MAX_INPUT_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                path,
                Location::File,
                format!(
                    "文件有 {} MB，超过了可导入的 {} MB",
                    input.bytes.len() >> 20,
                    MAX_INPUT_BYTES >> 20
                ),
                format!(
                    "the file is {} MB, more than the {} MB that can be imported",
                    input.bytes.len() >> 20,
                    MAX_INPUT_BYTES >> 20
                ),
            )
            .with_hint(
                "公文不会这么大：请检查是否选错了文件",
                "no 公文 is this large: check that this is the right file",
            ),
        ));
    }
    match kind_of(input) {
        Kind::Docx => docx::read_docx(path, &input.bytes),
        Kind::Markdown => markdown::read_markdown(path, &input.bytes),
        Kind::Text => text::read_text(path, &input.bytes),
        Kind::Office => {
            let bytes = convert::office_to_docx(path, &input.bytes, notes)?;
            docx::read_docx(path, &bytes)
        }
        Kind::Pdf => {
            let bytes = convert::pdf_to_text(path, &input.bytes, notes)?;
            text::read_text(path, &bytes)
        }
    }
}

/// A document read and recognised, not yet written.
#[derive(Debug, Clone)]
pub struct Imported {
    /// What was read from, for the manifest's comment and messages.
    pub source: String,
    draft: draft::Draft,
    /// What reading and recognising noted (composing adds to it when checked).
    notes: Vec<Note>,
}

/// A project made from an import and read back by qingdan: its files, the report, and the
/// documents as `qingdan build` will make them (Markdown; the preview).
pub struct Checked {
    /// The files of the project folder.
    pub files: ProjectFiles,
    /// Every guess and warning, in order.
    pub report: Report,
    /// The project as qingdan loads and renders it.
    pub prepared: PreparedProject,
    staged: write::Staged,
}

/// Reads and recognises `inputs`, one document in their order (a notice, then its attachment
/// saved apart, say).
pub fn recognise(inputs: &[Input]) -> Result<Imported, Box<Diagnostic>> {
    let mut notes = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    for input in inputs {
        let source = read(input, &mut notes)?;
        notes.extend(source.notes);
        blocks.extend(source.blocks);
    }
    let has_text = blocks.iter().any(|b| match b {
        Block::Para(p) => !p.text.trim().is_empty(),
        Block::Table(t) => t.rows.iter().flatten().any(|c| !c.trim().is_empty()),
    });
    let name = inputs
        .iter()
        .map(|i| i.name.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if !has_text {
        return Err(Box::new(Diagnostic::error(
            PathBuf::from(&name),
            Location::File,
            "没有可导入的文字",
            "there is no text to import",
        )));
    }
    let draft = structure::recognise(blocks, &mut notes);
    Ok(Imported {
        source: name,
        draft,
        notes,
    })
}

impl Imported {
    /// The folder name the title suggests: the issued document's title, else the notice's,
    /// else the first attachment's, made a safe file name.
    pub fn folder_name(&self) -> String {
        let title = self
            .draft
            .main
            .as_ref()
            .map(|m| m.title.concat())
            .filter(|t| !t.is_empty())
            .or_else(|| self.draft.notice.as_ref().map(|n| n.title.concat()))
            .or_else(|| self.draft.attachments.first().map(|a| a.title.concat()))
            .unwrap_or_else(|| "导入的项目".to_owned());
        let short: String = title
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(40)
            .collect();
        crate::names::sanitised(&short)
    }

    /// Composes the project, stages its files in a temporary folder beside `target` and loads
    /// them with qingdan's loader, falling back towards plain text for what it refuses (see
    /// [`compose::fall_back`]); nothing is left in place until [`Checked::place`].
    pub fn check(self, target: &Path) -> Result<Checked, Diagnostics> {
        self.check_as(target, target)
    }

    /// [`Imported::check`] with the files staged beside `staging` (a dry run stages them in a
    /// scratch folder), messages naming them as in `target`.
    pub fn check_as(mut self, staging: &Path, target: &Path) -> Result<Checked, Diagnostics> {
        let one = |d: Box<Diagnostic>| {
            let mut all = Diagnostics::new();
            all.push(*d);
            all
        };
        let mut fallback_notes = Vec::new();
        // Each round changes one attachment or the body; a few rounds always suffice.
        for _ in 0..(2 * self.draft.attachments.len() + 3) {
            let composed = compose::compose(&self.draft);
            let files = write::project_files(&self.draft, &composed, &self.source);
            let staged = write::Staged::write(staging, &files).map_err(one)?;
            match crate::prepare::prepare_project(staged.path()) {
                Ok(mut prepared) => {
                    prepared.warnings = relocated(&prepared.warnings, staged.path(), target);
                    let mut notes = std::mem::take(&mut self.notes);
                    notes.extend(composed.notes);
                    notes.extend(fallback_notes);
                    return Ok(Checked {
                        files,
                        report: Report { notes },
                        prepared,
                        staged,
                    });
                }
                Err(diags) => {
                    let refused = refused(&diags, &files, staged.path());
                    let fell_back = refused.is_some_and(|r| {
                        compose::fall_back(&mut self.draft, &r, &mut fallback_notes)
                    });
                    if !fell_back {
                        return Err(relocated(&diags, staged.path(), target));
                    }
                }
            }
        }
        Err(one(Box::new(Diagnostic::general_error(
            "导入的项目无法被 qingdan 读取",
            "the imported project cannot be read by qingdan",
        ))))
    }
}

/// `diags` naming the files of the project where it will be, not where it was checked.
fn relocated(diags: &Diagnostics, staged: &Path, target: &Path) -> Diagnostics {
    let mut out = Diagnostics::new();
    for d in diags.iter() {
        let mut d = d.clone();
        if let Ok(name) = d.file.strip_prefix(staged) {
            d.file = target.join(name);
        }
        out.push(d);
    }
    out
}

/// Which part of the project qingdan's loader refused, from its first error's file.
fn refused(diags: &Diagnostics, files: &ProjectFiles, dir: &Path) -> Option<compose::Refused> {
    let error = diags.iter().find(|d| d.is_error())?;
    let name = error.file.strip_prefix(dir).ok()?.to_str()?;
    let sheets: Vec<&str> = files
        .files
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    if let Some(i) = sheets.iter().position(|s| *s == name) {
        return Some(compose::Refused::Attachment(i));
    }
    name.ends_with(".md").then_some(compose::Refused::Main)
}

impl Checked {
    /// Moves the checked project folder to its place, returning its path.
    pub fn place(self) -> Result<PathBuf, Box<Diagnostic>> {
        self.staged.place()
    }
}
