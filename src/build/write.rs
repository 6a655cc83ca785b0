//! Writing one document set, all or nothing: every Markdown file, every new PDF and .docx, the
//! Typst folders asked for, and the state file — or, when any PDF or .docx of the set failed,
//! nothing at all, so the previous files stay together. In `check`, nothing ever.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::plan::{Plan, STATE_FILE};
use super::{BuildOptions, Format, Reporter};
use crate::PreparedProject;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::output::{WriteOutcome, write_atomic_unsynced};
use crate::pdf::pool::CompiledSet;
use crate::typst_markup::source::{MAIN_FILE, META_FILE, TEMPLATE_FILE, TypstSource};

/// The folder under a project's output folder that `--emit-typst` writes into, one subfolder
/// per document.
pub(crate) const TYPST_FOLDER: &str = "typst";

/// Counts of files for the closing summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Files written because they are new or their content changed.
    pub written: usize,
    /// Files whose content was already there, left untouched (their dates kept).
    pub unchanged: usize,
    /// Files that could not be written (each reported as an error).
    pub failed: usize,
}

impl Tally {
    /// Counts the outcome of writing `path`; a failure is reported to `reporter`.
    pub(super) fn record(
        &mut self,
        reporter: &dyn Reporter,
        path: &Path,
        result: std::io::Result<WriteOutcome>,
    ) {
        match result {
            Ok(WriteOutcome::Written) => self.written += 1,
            Ok(WriteOutcome::Unchanged) => self.unchanged += 1,
            Err(e) => {
                self.failed += 1;
                let mut diagnostics = Diagnostics::new();
                diagnostics.push(Diagnostic::error(
                    path,
                    Location::File,
                    format!("无法写入：{e}"),
                    format!("cannot write: {e}"),
                ));
                reporter.diagnostics(&diagnostics);
            }
        }
    }

    pub(super) fn add(&mut self, other: Tally) {
        self.written += other.written;
        self.unchanged += other.unchanged;
        self.failed += other.failed;
    }
}

/// One document's .docx, made beside its PDF: the document's index and the bytes, or why not.
pub(super) type DocxResult = (usize, Result<Vec<u8>, crate::docx::DocxError>);

/// Writes one compiled set, or nothing of it when any of its PDFs or .docx failed (or in
/// `check`). Returns the tally, and the set's diagnostics (already reported).
pub(super) fn write_set(
    options: &BuildOptions,
    reporter: &dyn Reporter,
    project: &PreparedProject,
    template: &str,
    plan: Plan,
    set: CompiledSet,
    docx: Vec<DocxResult>,
) -> (Tally, Diagnostics) {
    let mut tally = Tally::default();
    let mut diagnostics = plan.diagnostics;
    diagnostics.extend(set.diagnostics);
    let out_dir = options.output.join(&project.name);
    let mut docx_files = Vec::new();
    for (d, result) in docx {
        let document = &project.documents[d];
        let path = out_dir.join(format!("{}.docx", document.name));
        match result {
            Ok(bytes) => docx_files.push((d, path, bytes)),
            Err(e) => diagnostics.push(Diagnostic::error(
                &path,
                Location::File,
                format!("Word 文档未生成：{e}"),
                format!("the .docx was not made: {e}"),
            )),
        }
    }
    reporter.diagnostics(&diagnostics);
    if options.check {
        return (tally, diagnostics);
    }
    if diagnostics.has_errors() {
        reporter.not_built(&project.name, diagnostics.error_count());
        return (tally, diagnostics);
    }
    if options.formats.wants(Format::Md) {
        for document in &project.documents {
            let path = markdown_path(&options.output, project, &document.name);
            tally.record(
                reporter,
                &path,
                write_atomic_unsynced(&path, document.markdown.as_bytes()),
            );
        }
    }
    for (d, source) in &plan.emitted {
        let folder = out_dir.join(TYPST_FOLDER).join(&project.documents[*d].name);
        write_typst_folder(reporter, &folder, template, source, &mut tally);
    }
    let mut state = plan.state;
    for (d, bytes) in &set.pdfs {
        let file = format!("{}.pdf", project.documents[*d].name);
        let path = out_dir.join(&file);
        let result = write_atomic_unsynced(&path, bytes);
        if result.is_ok()
            && let Some(digest) = plan.digests.get(d)
        {
            state.insert(file, (digest.clone(), bytes.len() as u64));
        }
        tally.record(reporter, &path, result);
    }
    let digests: BTreeMap<usize, &String> = plan.docx.iter().map(|(d, h)| (*d, h)).collect();
    for (d, path, bytes) in &docx_files {
        let result = write_atomic_unsynced(path, bytes);
        if result.is_ok()
            && let (Some(digest), Some(file)) = (digests.get(d), path.file_name())
        {
            state.insert(
                file.to_string_lossy().into_owned(),
                ((*digest).clone(), bytes.len() as u64),
            );
        }
        tally.record(reporter, path, result);
    }
    if options.formats.wants(Format::Pdf) || options.formats.wants(Format::Docx) {
        let path = out_dir.join(STATE_FILE);
        let json = serde_json::to_vec_pretty(&state).unwrap_or_default();
        if let Err(e) = write_atomic_unsynced(&path, &json) {
            let mut warning = Diagnostics::new();
            warning.push(Diagnostic::warning(
                &path,
                Location::File,
                format!("无法记录本次生成的状态，下次将全部重新生成：{e}"),
                format!("cannot record this build's state; the next build remakes everything: {e}"),
            ));
            reporter.diagnostics(&warning);
        }
    }
    (tally, diagnostics)
}

/// `--emit-typst`: a folder the typst command-line tool compiles as it is — the main file, the
/// layout template it imports, and the data the template reads.
fn write_typst_folder(
    reporter: &dyn Reporter,
    folder: &Path,
    template: &str,
    source: &TypstSource,
    tally: &mut Tally,
) {
    for (file, bytes) in [
        (MAIN_FILE, source.main.as_bytes()),
        (TEMPLATE_FILE, template.as_bytes()),
        (META_FILE, source.meta_json.as_slice()),
    ] {
        let path = folder.join(file);
        tally.record(reporter, &path, write_atomic_unsynced(&path, bytes));
    }
}

/// Where the Markdown of the document `name` of `project` goes.
pub(crate) fn markdown_path(output: &Path, project: &PreparedProject, name: &str) -> PathBuf {
    output.join(&project.name).join(format!("{name}.md"))
}
