//! Incremental builds: what of a project must be made again. The digest of every input of a
//! file (see [`crate::pdf::PdfEngine::digest`] and [`crate::docx::digest`]) is recorded in
//! `.qingdan-state.json` beside the outputs; a file whose digest and size are unchanged is not
//! made again. `check` reads no state: every PDF is compiled.

use std::collections::BTreeMap;
use std::path::Path;

use super::{BuildOptions, Format};
use crate::PreparedProject;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::pdf::pool::{Compiler, Job};
use crate::typst_markup::source::TypstSource;

/// The file recording, per PDF and .docx, the digest of the inputs it was built from.
pub(super) const STATE_FILE: &str = ".qingdan-state.json";

/// Digests recorded by the previous build of one output folder: file name → (digest, size).
pub(super) type State = BTreeMap<String, (String, u64)>;

fn read_state(dir: &Path) -> State {
    std::fs::read(dir.join(STATE_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// What one project needs made, and what its state file will say of the files it skips.
#[derive(Default)]
pub(super) struct Plan {
    /// The PDFs to compile, each with its Typst source (handed to the compiler).
    pub(super) compile: Vec<Job>,
    /// The digest of each PDF to compile, by document.
    pub(super) digests: BTreeMap<usize, String>,
    /// The documents whose .docx is to be made, with their digests.
    pub(super) docx: Vec<(usize, String)>,
    /// With `--emit-typst`: every document's Typst source, to be written as a folder.
    pub(super) emitted: Vec<(usize, TypstSource)>,
    pub(super) state: State,
    /// Problems found before compiling (a source that could not be made).
    pub(super) diagnostics: Diagnostics,
}

/// Which files of `project` must be made, its documents' Typst `sources` given (with a
/// `compiler`, when PDFs are wanted): those whose digest differs from the last build's (or
/// whose file is gone); the others keep their state entry.
pub(super) fn plan(
    options: &BuildOptions,
    compiler: Option<&Compiler>,
    project: &PreparedProject,
    sources: Vec<Result<TypstSource, String>>,
) -> Plan {
    let mut plan = Plan::default();
    let out_dir = options.output.join(&project.name);
    let old = if options.check {
        State::new()
    } else {
        read_state(&out_dir)
    };
    // The entries of a format not built this time are kept for the next build that does.
    for (format, ext) in [(Format::Pdf, ".pdf"), (Format::Docx, ".docx")] {
        if !options.formats.wants(format) {
            plan.state.extend(
                old.iter()
                    .filter(|(file, _)| file.ends_with(ext))
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
        }
    }
    if options.formats.wants(Format::Docx) {
        for (d, document) in project.documents.iter().enumerate() {
            let file = format!("{}.docx", document.name);
            let digest = crate::docx::digest(document, &project.font_roles, options.docx_embed());
            match old.get(&file) {
                Some((recorded, size))
                    if *recorded == digest && file_size(&out_dir.join(&file)) == Some(*size) =>
                {
                    plan.state.insert(file, (digest, *size));
                }
                _ => plan.docx.push((d, digest)),
            }
        }
    }
    let Some(compiler) = compiler else {
        return plan;
    };
    let engine = compiler.engine(project);
    for (d, (document, source)) in project.documents.iter().zip(sources).enumerate() {
        let file = format!("{}.pdf", document.name);
        let source = match source {
            Ok(source) => source,
            Err(e) => {
                plan.diagnostics.push(Diagnostic::error(
                    out_dir.join(&file),
                    Location::File,
                    format!("PDF 未生成：{e}"),
                    format!("the PDF was not made: {e}"),
                ));
                continue;
            }
        };
        let digest = engine.digest(&source);
        if options.emit_typst {
            plan.emitted.push((d, source.clone()));
        }
        match old.get(&file) {
            Some((recorded, size))
                if *recorded == digest && file_size(&out_dir.join(&file)) == Some(*size) =>
            {
                plan.state.insert(file, (digest, *size));
            }
            _ => {
                plan.compile.push((d, source));
                plan.digests.insert(d, digest);
            }
        }
    }
    plan
}

/// The size of the regular file at `path`, if there is one.
fn file_size(path: &Path) -> Option<u64> {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_file())
        .map(|m| m.len())
}
