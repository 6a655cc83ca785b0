//! What one build keeps from window to window — the report so far, the units the batch indexes
//! will list, the characters already looked up in the fonts, the progress estimate — and each
//! stage's work on one window of document sets, as [`super::run`] calls it.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::index::Index;
use super::plan::Plan;
use super::write::{DocxResult, write_set};
use super::{BuildOptions, BuildReport, BuiltSet, NotBuilt, Reporter, Timings, Verdict, folders};
use crate::diag::Diagnostics;
use crate::output::{output_overlaps_input, remove_stale_temporaries};
use crate::pdf::pool::{CompiledSet, Compiler, Job, Workers};
use crate::prepare::Units;
use crate::project::Project;
use crate::typst_markup::source::TypstSource;
use crate::{FailedProject, PreparedProject};

/// Every unit of every project, prepared as they are taken.
pub(super) type AllUnits = std::iter::Flatten<std::vec::IntoIter<Units>>;

/// The font folders of the projects, for the compiler made when the first PDF is wanted.
pub(super) type FontFolders = Vec<(PathBuf, PathBuf)>;

/// One build in progress.
pub(super) struct Run<'a> {
    options: &'a BuildOptions,
    reporter: &'a dyn Reporter,
    report: BuildReport,
    index: Index,
    /// Whether each character seen so far has a font, across all sets.
    glyphs: BTreeMap<char, bool>,
    /// Sets listed in all, sets taken so far (prepared or failed), prepared so far, and PDFs
    /// asked of those: the progress estimate.
    listed: usize,
    taken: usize,
    pdfs: usize,
    /// Whether any PDF has been compiled (and the note that `--jobs` was capped given).
    compiled: bool,
    /// The .docx parts every document shares, deflated once for the build.
    shared_parts: crate::docx::SharedParts,
}

impl<'a> Run<'a> {
    pub(super) fn new(options: &'a BuildOptions, reporter: &'a dyn Reporter) -> Self {
        Self {
            options,
            reporter,
            report: BuildReport::default(),
            index: Index::default(),
            glyphs: BTreeMap::new(),
            listed: 0,
            taken: 0,
            pdfs: 0,
            compiled: false,
            shared_parts: crate::docx::SharedParts::default(),
        }
    }

    /// Refuses an output folder on the inputs and two projects writing one folder, then lists
    /// the units of every project (nothing is prepared yet), and their font folders. `None`
    /// when the build is refused.
    pub(super) fn start(&mut self, projects: &[Project]) -> Option<(AllUnits, FontFolders)> {
        let projects: Vec<Arc<Project>> = projects.iter().cloned().map(Arc::new).collect();
        let projects = if self.options.check {
            projects
        } else {
            let dirs: Vec<PathBuf> = projects.iter().map(|p| p.dir.clone()).collect();
            if let Some(project) = output_overlaps_input(&self.options.output, &dirs) {
                let mut refusal = Diagnostics::new();
                refusal.push(folders::output_on_input(&self.options.output, project));
                self.reporter.diagnostics(&refusal);
                return None;
            }
            let (projects, clashes) = folders::distinct_output_folders(projects);
            for failed in clashes {
                self.failed(failed);
            }
            projects
        };
        // Nothing has been written yet: from here on the build writes into the output folder.
        let units: Vec<Units> = projects
            .iter()
            .map(|p| Units::new(p, crate::model::batch::SheetCache::default()))
            .collect();
        self.listed = self.taken + units.iter().map(Units::total).sum::<usize>();
        Some((units.into_iter().flatten(), super::font_folders(&projects)))
    }

    /// Stages 1–3 for the next `window` sets that prepare without errors (those that fail are
    /// reported on the way).
    pub(super) fn prepare(&mut self, units: &mut AllUnits, window: usize) -> Vec<PreparedProject> {
        let mut sets = Vec::new();
        while sets.len() < window {
            let Some(result) = units.next() else {
                break;
            };
            self.taken += 1;
            match result {
                Ok(set) => {
                    self.reporter.diagnostics(&set.warnings);
                    sets.push(set);
                }
                Err(failed) => self.failed(failed),
            }
        }
        self.report.prepared += sets.len();
        sets
    }

    /// A project or unit that failed to prepare: reported, and listed as not built.
    fn failed(&mut self, failed: FailedProject) {
        self.reporter.diagnostics(&failed.diagnostics);
        let errors = failed.diagnostics.error_count();
        if !self.options.check {
            self.reporter.not_built(&failed.name, errors);
        }
        self.index.failed(&failed);
        self.report.not_built.push(NotBuilt {
            name: failed.name.clone(),
            dir: failed.project.dir.clone(),
            errors,
        });
        self.report.verdicts.push(Verdict {
            name: failed.name,
            errors,
        });
    }

    /// The compiler, when PDFs are wanted: the `kept` one, or one made in `made` the first
    /// time, with the fonts of `folders`.
    pub(super) fn fonts<'c>(
        &self,
        kept: Option<&'c Compiler>,
        made: &'c OnceCell<Compiler>,
        folders: &FontFolders,
    ) -> Option<&'c Compiler> {
        if !self.options.formats.pdf {
            return None;
        }
        Some(kept.unwrap_or_else(|| {
            made.get_or_init(|| {
                let (compiler, warnings) = Compiler::new(folders, &self.options.compile);
                self.reporter.diagnostics(&warnings);
                compiler
            })
        }))
    }

    /// Stage 5 for every document of `sets`, and the characters no font of theirs has.
    pub(super) fn markup(
        &mut self,
        compiler: Option<&Compiler>,
        workers: &Workers,
        sets: &[PreparedProject],
    ) -> Vec<Vec<Result<TypstSource, String>>> {
        let Some(compiler) = compiler else {
            return sets.iter().map(|_| Vec::new()).collect();
        };
        for set in sets {
            let output = &self.options.output;
            let markdown_path =
                |d: &crate::document::Document| super::markdown_path(output, set, &d.name);
            let missing = compiler.missing_glyphs(set, &markdown_path, &mut self.glyphs);
            self.reporter.diagnostics(&missing);
        }
        workers.map(sets.iter().collect(), |set| compiler.sources(set))
    }

    /// What of each set must be made. With PDFs, their digests are worth the worker threads.
    pub(super) fn plan(
        &self,
        compiler: Option<&Compiler>,
        workers: &Workers,
        sets: &[PreparedProject],
        sources: Vec<Vec<Result<TypstSource, String>>>,
    ) -> Vec<Plan> {
        let plan = |(set, sources)| super::plan::plan(self.options, compiler, set, sources);
        let sets = sets.iter().zip(sources).collect();
        match compiler {
            Some(_) => workers.map(sets, plan),
            None => sets.into_iter().map(plan).collect(),
        }
    }

    /// The PDFs each plan asks for.
    pub(super) fn compile(
        &mut self,
        compiler: Option<&Compiler>,
        workers: &Workers,
        sets: &[PreparedProject],
        plans: &mut [Plan],
    ) -> Vec<CompiledSet> {
        let jobs: Vec<Vec<Job>> = plans
            .iter_mut()
            .map(|plan| std::mem::take(&mut plan.compile))
            .collect();
        let Some(compiler) = compiler else {
            return sets.iter().map(|_| CompiledSet::default()).collect();
        };
        if !self.compiled {
            self.compiled = true;
            if let Some((zh, en)) = workers.capped_note() {
                self.reporter.note(&zh, &en);
            }
        }
        self.pdfs += jobs.iter().map(Vec::len).sum::<usize>();
        // The sets not yet taken are expected to ask for as many PDFs as those taken so far.
        let expected = self.pdfs * self.listed / self.taken.max(1);
        let reporter = self.reporter;
        reporter.compiling(expected.max(self.pdfs));
        compiler.compile(workers, sets, jobs, &|| reporter.compiled())
    }

    /// The .docx files each plan asks for.
    pub(super) fn docx(
        &self,
        workers: &Workers,
        sets: &[PreparedProject],
        plans: &[Plan],
    ) -> Vec<Vec<DocxResult>> {
        let (embed, shared) = (self.options.docx_embed(), &self.shared_parts);
        if plans.iter().all(|plan| plan.docx.is_empty()) {
            return sets.iter().map(|_| Vec::new()).collect();
        }
        workers.map(sets.iter().zip(plans).collect(), |(set, plan)| {
            plan.docx
                .iter()
                .map(|&(d, _)| {
                    let document = &set.documents[d];
                    (
                        d,
                        crate::docx::render(document, &set.font_roles, embed, shared),
                    )
                })
                .collect()
        })
    }

    /// Writes each set of the window, all or nothing (nothing at all in `check`), and records
    /// what came of it.
    pub(super) fn write(
        &mut self,
        compiler: Option<&Compiler>,
        sets: Vec<PreparedProject>,
        plans: Vec<Plan>,
        pdfs: Vec<CompiledSet>,
        docx: Vec<Vec<DocxResult>>,
    ) {
        let options = self.options;
        for (((set, plan), pdfs), docx) in sets.into_iter().zip(plans).zip(pdfs).zip(docx) {
            if !options.check {
                remove_stale_temporaries(&options.output.join(&set.name));
            }
            let engine = compiler
                .filter(|_| options.emit_typst)
                .map(|c| c.engine(&set));
            let template = engine.as_ref().map_or("", |e| e.template_text());
            let (tally, diagnostics) =
                write_set(options, self.reporter, &set, template, plan, pdfs, docx);
            let errors = diagnostics.error_count();
            if errors == 0 {
                self.report.files.add(tally);
                self.report.built.push(BuiltSet {
                    name: set.name.clone(),
                    dir: set.dir().to_path_buf(),
                    output: options.output.join(&set.name),
                    warnings: set.warnings.iter().count() + diagnostics.iter().count(),
                });
            } else {
                self.report.not_built.push(NotBuilt {
                    name: set.name.clone(),
                    dir: set.dir().to_path_buf(),
                    errors,
                });
            }
            self.index.prepared(&set, errors == 0);
            self.report.verdicts.push(Verdict {
                name: set.name,
                errors,
            });
        }
    }

    /// The index of every batch project (not in `check`).
    pub(super) fn index(&mut self) {
        if !self.options.check {
            let tally = self.index.write(self.options, self.reporter);
            self.report.files.add(tally);
        }
    }

    /// The report, with the time each stage took.
    pub(super) fn finish(mut self, timings: Timings) -> BuildReport {
        if self.compiled {
            self.reporter.compiled_all();
        }
        self.report.timings = timings;
        self.report
    }
}
