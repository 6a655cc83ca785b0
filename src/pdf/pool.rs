//! The PDF compile pool: fonts found once, one engine per layout template, and the PDFs of many
//! document sets compiled on the worker threads ([`Workers`]), each set handed back whole —
//! every PDF of it, or the reasons it failed — so that a set is written all or nothing.
//!
//! `qingdan build` writes what comes back; `qingdan check` runs the very same compile and
//! writes nothing, so a project that `check` passes does not fail at `build`. `qingdan serve`
//! keeps one [`Compiler`] for every request.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::fonts::{FontOptions, Fonts};
use super::{BUILTIN_LAYOUT, PdfEngine, evict_caches};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::document::Document;
use crate::prepare::PreparedProject;
use crate::typst_markup::source::TypstSource;
use glyph_sources::Sources;
use messages::{diagnostic, missing_glyph};

mod glyph_sources;
mod messages;
mod workers;

pub(crate) use workers::Workers;

/// How the PDFs are made.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Extra font folders (`--font-path`), searched first.
    pub font_paths: Vec<PathBuf>,
    /// Whether the system's fonts are searched too.
    pub system_fonts: bool,
    /// Worker threads asked for (`--jobs`); the number of cores by default (see [`Workers`]).
    pub jobs: Option<usize>,
}

/// The fonts and engines shared by every document of a run — or, in `qingdan serve`, of every
/// request: fonts are found once, and one engine is made per distinct layout template, the first
/// time a project using it is compiled.
pub(crate) struct Compiler {
    fonts: Arc<Fonts>,
    /// One engine per layout template text, the built-in first.
    engines: Mutex<Vec<Arc<PdfEngine>>>,
}

/// One document set after compiling: the PDFs of the documents asked for (by document index),
/// or, when any failed, the reasons.
#[derive(Default)]
pub(crate) struct CompiledSet {
    pub(crate) pdfs: Vec<(usize, Vec<u8>)>,
    /// typst's errors and warnings, placed in the template or the document.
    pub(crate) diagnostics: Diagnostics,
}

/// What the workers made of one set, by document index, in the order they finished.
#[derive(Default)]
struct Gathered {
    pdfs: Vec<(usize, Vec<u8>)>,
    messages: Vec<(usize, Diagnostic)>,
}

/// One PDF to compile: the document's index in its set and its Typst source.
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

    /// Compiles, for each set, the documents in `jobs[s]`, on the workers; `on_document` is
    /// called after every document, for progress. The longest sources go first, so that no
    /// worker is left compiling a long document alone at the end; each source is dropped once
    /// compiled. The sets come back in order, each whole.
    pub(crate) fn compile(
        &self,
        workers: &Workers,
        sets: &[PreparedProject],
        jobs: Vec<Vec<Job>>,
        on_document: &(dyn Fn() + Sync),
    ) -> Vec<CompiledSet> {
        let engines: Vec<Arc<PdfEngine>> = sets.iter().map(|p| self.engine(p)).collect();
        let mut flat: Vec<(usize, usize, TypstSource)> = jobs
            .into_iter()
            .enumerate()
            .flat_map(|(s, docs)| docs.into_iter().map(move |(d, source)| (s, d, source)))
            .collect();
        flat.sort_by_key(|(_, _, source)| std::cmp::Reverse(source.main.len()));
        let outcomes = workers.map(flat, |(s, d, source)| {
            let document = &sets[s].documents[d];
            let result = engines[s].render(&document.name, source);
            evict_caches();
            on_document();
            (s, d, result)
        });
        let mut compiled: Vec<Gathered> = sets.iter().map(|_| Gathered::default()).collect();
        for (s, d, result) in outcomes {
            let (set, document) = (&sets[s], &sets[s].documents[d]);
            let Gathered { pdfs, messages } = &mut compiled[s];
            match result {
                Ok((bytes, warnings)) => {
                    pdfs.push((d, bytes));
                    messages.extend(
                        warnings
                            .iter()
                            .map(|w| (d, diagnostic(set, document, w, false))),
                    );
                }
                Err(error) => messages.extend(
                    error
                        .messages
                        .iter()
                        .map(|m| (d, diagnostic(set, document, m, true))),
                ),
            }
        }
        compiled
            .into_iter()
            .map(
                |Gathered {
                     mut pdfs,
                     mut messages,
                 }| {
                    pdfs.sort_by_key(|(d, _)| *d);
                    messages.sort_by_key(|(d, _)| *d);
                    // A template error fails every document of the set alike: it is said once.
                    let mut diagnostics = Diagnostics::new();
                    for (_, message) in messages {
                        if !diagnostics.iter().any(|d| *d == message) {
                            diagnostics.push(message);
                        }
                    }
                    CompiledSet { pdfs, diagnostics }
                },
            )
            .collect()
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
