//! Stages 5–6 for many prepared projects at once: fonts found once, one engine per layout
//! template, the PDFs compiled by a pool of worker threads, and each document set handed back
//! whole — every PDF of it, or the reasons it failed — so that a set is written all or nothing.
//!
//! `qingdan build` writes what comes back; `qingdan check` runs the very same compile and
//! writes nothing, so a project that `check` passes does not fail at `build`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::PreparedProject;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::document::Document;
use crate::pdf::fonts::{FontOptions, Fonts};
use crate::pdf::{BUILTIN_LAYOUT, PdfEngine, evict_caches};
use crate::typst_markup::source::TypstSource;
use diagnostics::{diagnostic, missing_glyph};
use glyph_sources::Sources;

mod diagnostics;
mod glyph_sources;

/// At most this many PDF workers per CPU core. Compiling is CPU-bound: a second worker per core
/// keeps the core busy while the first waits for the disk, more only add threads, stacks and
/// per-thread typst caches (`--jobs 1000` on 300 documents took 946 MB).
const WORKERS_PER_CORE: usize = 2;

/// How many workers compile `documents` PDFs on `cores` cores when `--jobs` asked for
/// `requested`: the cores by default, never more than the documents nor [`WORKERS_PER_CORE`]
/// per core, at least one.
fn worker_count(requested: Option<usize>, documents: usize, cores: usize) -> usize {
    requested
        .unwrap_or(cores)
        .min(cores.max(1) * WORKERS_PER_CORE)
        .clamp(1, documents.max(1))
}

/// How the PDFs are made.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Extra font folders (`--font-path`), searched first.
    pub font_paths: Vec<PathBuf>,
    /// Whether the system's fonts are searched too.
    pub system_fonts: bool,
    /// Worker threads asked for (`--jobs`); the number of cores by default.
    pub jobs: Option<usize>,
}

/// The fonts and engines shared by every document of a run — or, in `qingdan serve`, of every
/// request: fonts are found once, and one engine is made per distinct layout template, the first
/// time a project using it is compiled.
pub(crate) struct Compiler {
    fonts: Arc<Fonts>,
    /// One engine per layout template text, the built-in first.
    engines: Mutex<Vec<Arc<PdfEngine>>>,
    jobs: Option<usize>,
}

/// One document set after compiling: the PDFs of the documents asked for (by document index),
/// or, when any failed, the reasons.
pub(crate) struct CompiledSet {
    /// The project's index in the slice given to [`Compiler::compile`].
    pub(crate) project: usize,
    pub(crate) pdfs: Vec<(usize, Vec<u8>)>,
    /// typst's errors and warnings, placed in the template or the document.
    pub(crate) diagnostics: Diagnostics,
}

/// One PDF to compile: the document's index in its project and its Typst source.
pub(crate) type Job = (usize, TypstSource);

impl Compiler {
    /// Loads the fonts the projects in `font_folders` can use (`--font-path` first, then each
    /// project's `fonts/` and shared ones, the system's, the bundled set). A font folder, or a
    /// link in it, that leads out of the folder owning it is left out with a warning.
    pub(crate) fn new(
        font_folders: &[(PathBuf, PathBuf)],
        options: &CompileOptions,
    ) -> (Self, Diagnostics) {
        let mut warnings = Diagnostics::new();
        let mut dirs = options.font_paths.clone();
        for (owner, folder) in font_folders {
            let leaving = crate::project::links_leaving(owner, folder);
            for link in &leaving {
                warnings.push(Diagnostic::warning(
                    link,
                    Location::File,
                    "字体链接到项目文件夹之外，未使用",
                    "this font link leads outside the project folder and is not used",
                ));
            }
            if !leaving.contains(folder) {
                dirs.push(folder.clone());
            }
        }
        let fonts = Arc::new(Fonts::load(&FontOptions {
            dirs,
            system: options.system_fonts,
        }));
        warnings.extend(fonts.problems().clone());
        let builtin = Arc::new(PdfEngine::new(fonts.clone(), BUILTIN_LAYOUT));
        let compiler = Self {
            fonts,
            engines: Mutex::new(vec![builtin]),
            jobs: options.jobs,
        };
        (compiler, warnings)
    }

    /// The engine for `project`'s layout template, made on first use.
    pub(crate) fn engine(&self, project: &PreparedProject) -> Arc<PdfEngine> {
        let layout = project
            .layout
            .as_ref()
            .map_or(BUILTIN_LAYOUT, |(_, text)| text.as_str());
        let mut engines = self.engines.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(engine) = engines.iter().find(|e| e.template_text() == layout) {
            return engine.clone();
        }
        let engine = Arc::new(PdfEngine::new(self.fonts.clone(), layout));
        engines.push(engine.clone());
        engine
    }

    /// Stage 5 for every document of `project`: its Typst source, with the font families of
    /// its roles that are installed, or why it cannot be made.
    pub(crate) fn sources(&self, project: &PreparedProject) -> Vec<Result<TypstSource, String>> {
        let roles = self.engine(project).installed_roles(&project.font_roles);
        project
            .documents
            .iter()
            .map(|document| TypstSource::new(document, &roles).map_err(|e| e.to_string()))
            .collect()
    }

    /// How many worker threads compile `documents` PDFs (see [`worker_count`]), and whether
    /// `--jobs` asked for more than [`WORKERS_PER_CORE`] per core.
    pub(crate) fn workers(&self, documents: usize) -> (usize, bool) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = worker_count(self.jobs, documents, cores);
        (
            workers,
            self.jobs.is_some_and(|j| j > cores * WORKERS_PER_CORE),
        )
    }

    /// Compiles, for each project, the documents listed in `wanted[p]`, on worker threads.
    /// `on_set` receives each set as soon as its last document is done (a set with nothing to
    /// compile at once), on whichever thread finished it; `on_document` is called after every
    /// document, for progress. Each source is dropped once compiled, so memory drains as the
    /// batch goes.
    pub(crate) fn compile(
        &self,
        projects: &[PreparedProject],
        wanted: Vec<Vec<Job>>,
        on_set: &(dyn Fn(CompiledSet) + Sync),
        on_document: &(dyn Fn() + Sync),
    ) {
        let engines: Vec<Arc<PdfEngine>> = projects.iter().map(|p| self.engine(p)).collect();
        let slots: Vec<Mutex<Slot>> = wanted
            .iter()
            .map(|docs| {
                Mutex::new(Slot {
                    remaining: docs.len(),
                    ..Slot::default()
                })
            })
            .collect();
        for (p, docs) in wanted.iter().enumerate() {
            if docs.is_empty() {
                on_set(CompiledSet {
                    project: p,
                    pdfs: Vec::new(),
                    diagnostics: Diagnostics::new(),
                });
            }
        }
        let jobs: Vec<Mutex<Option<(usize, usize, TypstSource)>>> = wanted
            .into_iter()
            .enumerate()
            .flat_map(|(p, docs)| {
                docs.into_iter()
                    .map(move |(d, source)| Mutex::new(Some((p, d, source))))
            })
            .collect();
        let next = AtomicUsize::new(0);
        let (workers, _) = self.workers(jobs.len());
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let Some((p, d, source)) =
                            job.lock().unwrap_or_else(|e| e.into_inner()).take()
                        else {
                            continue;
                        };
                        let project = &projects[p];
                        let document = &project.documents[d];
                        let result = engines[p].render(&document.name, source);
                        evict_caches();
                        on_document();
                        let done = {
                            let Ok(mut slot) = slots[p].lock() else {
                                continue;
                            };
                            match result {
                                Ok((bytes, warnings)) => {
                                    slot.pdfs.push((d, bytes));
                                    for w in &warnings {
                                        slot.add(diagnostic(project, document, w, false));
                                    }
                                }
                                Err(error) => {
                                    for m in &error.messages {
                                        slot.add(diagnostic(project, document, m, true));
                                    }
                                }
                            }
                            slot.remaining -= 1;
                            (slot.remaining == 0).then(|| std::mem::take(&mut *slot))
                        };
                        if let Some(mut slot) = done {
                            slot.pdfs.sort_by_key(|(d, _)| *d);
                            on_set(CompiledSet {
                                project: p,
                                pdfs: slot.pdfs,
                                diagnostics: slot.diagnostics,
                            });
                        }
                    }
                });
            }
        });
    }

    /// Characters of `project`'s documents that no font of its roles has — typst would draw an
    /// empty box for them, silently — reported where they were written: the first input of the
    /// project holding them (its line, or its row and column), else (a character a template
    /// wrote) the line of the Markdown file at `markdown_path(document)`. Each place is said
    /// once. `seen` remembers each character's verdict across projects.
    pub(crate) fn missing_glyphs(
        &self,
        project: &PreparedProject,
        markdown_path: &dyn Fn(&Document) -> PathBuf,
        seen: &mut BTreeMap<char, bool>,
    ) -> Diagnostics {
        let families: Vec<String> = project
            .font_roles
            .values()
            .flatten()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut diags = Diagnostics::new();
        let mut sources = Sources::new(&project.set.sources);
        let mut said = BTreeSet::new();
        for document in project.documents.iter().filter(|d| d.parts.len() == 1) {
            let path = markdown_path(document);
            for (i, line) in document.markdown.lines().enumerate() {
                let missing = line.chars().filter(|&c| {
                    *seen.entry(c).or_insert_with(|| {
                        !self
                            .fonts
                            .missing_chars(&families, &c.to_string())
                            .is_empty()
                    })
                });
                for c in missing.collect::<BTreeSet<char>>() {
                    let (file, location) = sources
                        .find(c)
                        .unwrap_or_else(|| (path.clone(), Location::Line(i + 1)));
                    if said.insert((c, file.clone(), location.to_string())) {
                        diags.push(missing_glyph(&file, location, c));
                    }
                }
            }
        }
        diags
    }
}

/// What a worker has gathered of one set so far.
#[derive(Default)]
struct Slot {
    remaining: usize,
    pdfs: Vec<(usize, Vec<u8>)>,
    diagnostics: Diagnostics,
}

impl Slot {
    /// Adds `diagnostic` unless the set has it already: a template error fails every document
    /// of the set alike, and is said once.
    fn add(&mut self, diagnostic: Diagnostic) {
        if !self.diagnostics.iter().any(|d| *d == diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_are_capped_at_the_documents_and_twice_the_cores() {
        // (--jobs, documents, cores) → workers
        let cases = [
            (None, 300, 2, 2),
            (Some(1000), 300, 2, 4),
            (Some(1000), 3, 8, 3),
            (Some(3), 300, 2, 3),
            (Some(0), 300, 2, 1),
            (None, 0, 2, 1),
            (None, 10, 0, 1),
        ];
        for (jobs, documents, cores, want) in cases {
            assert_eq!(
                worker_count(jobs, documents, cores),
                want,
                "{jobs:?} {documents} {cores}"
            );
        }
    }
}
