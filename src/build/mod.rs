//! The whole pipeline as one library call: [`build`] takes project folders and writes every
//! document of them — Markdown, PDF and .docx — into the output folder, reporting as it goes to
//! a [`Reporter`] and returning a [`BuildReport`]. `qingdan build` is this call with the command
//! line turned into [`BuildOptions`] and a reporter that prints; `qingdan serve` makes the same
//! call with its own reporter and the fonts and engines it keeps ([`build_with`]).
//!
//! The steps, each in the stage it belongs to:
//! 1. every project (and each unit of a batch) is prepared — stages 1–3, [`crate::prepare`];
//! 2. [`plan`]: the Typst source of each document is made once (stage 5) and its digest
//!    compared with the last build's, so only what changed is made again;
//! 3. the PDFs of all projects are compiled by [`crate::pipeline`]'s worker threads sharing one
//!    font set; each set comes back whole, its .docx files are made on the same worker;
//! 4. [`write`]: each set is written on its own thread once all its files are made, and only
//!    then — a set whose PDF fails keeps its previous files, Markdown included;
//! 5. [`index`]: batch projects get an index of their units.
//!
//! A project or unit with errors is reported and skipped; the others are still built.

pub mod check;
mod folders;
mod index;
mod options;
mod plan;
mod report;
mod write;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::diag::Diagnostics;
use crate::output::{output_overlaps_input, remove_stale_temporaries};
use crate::pipeline::{CompiledSet, Compiler, Job};
use crate::project::Project;
use crate::{FailedProject, PreparedProject, prepare_projects};
use plan::Plan;
use write::{DocxResult, write_set};

pub(crate) use index::INDEX_FILE;
pub use options::{BuildOptions, Format, Formats};
pub use report::{BuildReport, BuiltSet, NotBuilt, Reporter};
pub use write::Tally;
pub(crate) use write::markdown_path;

/// Builds `projects` into `options.output`, loading the fonts the projects can use.
pub fn build(projects: &[Project], options: &BuildOptions, reporter: &dyn Reporter) -> BuildReport {
    let Ok(owner) = folders::own_output(projects, options, reporter) else {
        return refused();
    };
    let report = run(None, projects, options, reporter);
    let files = &report.files;
    if files.written + files.unchanged + files.failed == 0
        && let Some(owner) = owner
    {
        owner.release_unused();
    }
    report
}

/// Like [`build`], with fonts and engines kept from earlier builds (`qingdan serve`). The
/// compiler must have been made with the font folders of these projects
/// ([`font_folders`]).
pub(crate) fn build_with(
    compiler: &Compiler,
    projects: &[Project],
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> BuildReport {
    run(Some(compiler), projects, options, reporter)
}

/// [`build`] with a `kept` compiler, or one made for these projects once they are prepared.
fn run(
    kept: Option<&Compiler>,
    projects: &[Project],
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> BuildReport {
    let Some((projects, mut report, failures)) = start(projects, options, reporter) else {
        return refused();
    };
    let pdf = options.formats.wants(Format::Pdf);
    let mut made = None;
    if kept.is_none() {
        // Every title is cut into words by now; the PDF stage needs the memory more. (A server
        // keeping its compiler builds again and again, and keeps the dictionary too.)
        crate::render::title::release_dictionary();
        if pdf {
            let (compiler, warnings) = Compiler::new(&font_folders(&projects), &options.compile);
            reporter.diagnostics(&warnings);
            made = Some(compiler);
        }
    }
    let compiler = if pdf { kept.or(made.as_ref()) } else { None };
    finish(
        compiler,
        &projects,
        failures,
        options,
        reporter,
        &mut report,
    );
    report
}

/// Every font folder of `projects` (each project's `fonts/` and those beside shared settings),
/// each once, with the folder owning it.
pub(crate) fn font_folders(projects: &[impl AsRef<Project>]) -> Vec<(PathBuf, PathBuf)> {
    let folders: BTreeSet<(PathBuf, PathBuf)> = projects
        .iter()
        .flat_map(|p| p.as_ref().font_folders())
        .collect();
    folders.into_iter().collect()
}

impl AsRef<Project> for PreparedProject {
    fn as_ref(&self) -> &Project {
        &self.project
    }
}

fn refused() -> BuildReport {
    BuildReport {
        refused: true,
        ..BuildReport::default()
    }
}

/// Refuses an output folder on the inputs, then prepares every project: the prepared sets, the
/// report so far, and the projects and units that failed.
fn start(
    projects: &[Project],
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> Option<(Vec<PreparedProject>, BuildReport, Vec<FailedProject>)> {
    let dirs: Vec<PathBuf> = projects.iter().map(|p| p.dir.clone()).collect();
    if let Some(project) = output_overlaps_input(&options.output, &dirs) {
        let mut refusal = Diagnostics::new();
        refusal.push(folders::output_on_input(&options.output, project));
        reporter.diagnostics(&refusal);
        return None;
    }
    let (projects, clashes) =
        folders::distinct_output_folders(projects.iter().cloned().map(Arc::new).collect());
    let mut report = BuildReport::default();
    let mut failures = Vec::new();
    let mut fail = |failed: FailedProject, report: &mut BuildReport| {
        reporter.diagnostics(&failed.diagnostics);
        let errors = failed.diagnostics.error_count();
        reporter.not_built(&failed.name, errors);
        report.not_built.push(NotBuilt {
            name: failed.name.clone(),
            dir: failed.project.dir.clone(),
            errors,
        });
        failures.push(failed);
    };
    for failed in clashes {
        fail(failed, &mut report);
    }
    let mut prepared = Vec::new();
    for project in &projects {
        for result in prepare_projects(project) {
            match result {
                Ok(set) => {
                    reporter.diagnostics(&set.warnings);
                    prepared.push(set);
                }
                Err(failed) => fail(failed, &mut report),
            }
        }
    }
    for set in &prepared {
        remove_stale_temporaries(&options.output.join(&set.name));
    }
    report.prepared = prepared.len();
    Some((prepared, report, failures))
}

/// Steps 2–5 for the prepared sets.
fn finish(
    compiler: Option<&Compiler>,
    projects: &[PreparedProject],
    failures: Vec<FailedProject>,
    options: &BuildOptions,
    reporter: &dyn Reporter,
    report: &mut BuildReport,
) {
    let mut plans: Vec<Plan> = projects
        .iter()
        .map(|project| plan::plan(options, compiler, project))
        .collect();
    if let Some(compiler) = compiler {
        let mut seen = std::collections::BTreeMap::new();
        for project in projects {
            let markdown_path =
                |d: &crate::document::Document| markdown_path(&options.output, project, &d.name);
            reporter.diagnostics(&compiler.missing_glyphs(project, &markdown_path, &mut seen));
        }
    }
    let jobs: Vec<Vec<Job>> = plans
        .iter_mut()
        .map(|plan| std::mem::take(&mut plan.compile))
        .collect();
    let outcomes = compile_and_write(options, reporter, compiler, projects, plans, jobs);
    let built: Vec<bool> = outcomes.iter().map(Result::is_ok).collect();
    for (project, outcome) in projects.iter().zip(outcomes) {
        match outcome {
            Ok((tally, warnings)) => {
                report.files.add(tally);
                report.built.push(BuiltSet {
                    name: project.name.clone(),
                    dir: project.dir().to_path_buf(),
                    output: options.output.join(&project.name),
                    warnings: project.warnings.iter().count() + warnings,
                });
            }
            Err(errors) => report.not_built.push(NotBuilt {
                name: project.name.clone(),
                dir: project.dir().to_path_buf(),
                errors,
            }),
        }
    }
    let index = index::write_indexes(options, reporter, projects, &built, &failures);
    report.files.add(index);
}

/// What came of one set: its tally and number of compile warnings when written, its number of
/// errors when it failed (nothing of it written).
type Outcome = Result<(Tally, usize), usize>;

/// Compiles the PDFs in `jobs`, makes the .docx files each plan asks for, and writes each set as
/// it completes.
fn compile_and_write(
    options: &BuildOptions,
    reporter: &dyn Reporter,
    compiler: Option<&Compiler>,
    projects: &[PreparedProject],
    plans: Vec<Plan>,
    jobs: Vec<Vec<Job>>,
) -> Vec<Outcome> {
    // Sets are written on their own thread as they complete, while the workers compile the
    // next ones.
    let docx_wanted: Vec<Vec<usize>> = plans
        .iter()
        .map(|p| p.docx.iter().map(|(d, _)| *d).collect())
        .collect();
    let templates: Vec<Option<Arc<crate::pdf::PdfEngine>>> = projects
        .iter()
        .map(|p| compiler.filter(|_| options.emit_typst).map(|c| c.engine(p)))
        .collect();
    // The .docx parts every document shares, deflated once for the build.
    let shared_parts = crate::docx::SharedParts::default();
    std::thread::scope(|scope| {
        let (send, receive) = mpsc::channel::<(CompiledSet, Vec<DocxResult>)>();
        let writer = scope.spawn(move || {
            let mut outcomes: Vec<Outcome> = vec![Err(1); projects.len()];
            let mut plans: Vec<Option<Plan>> = plans.into_iter().map(Some).collect();
            for (set, docx) in receive {
                let p = set.project;
                let Some(plan) = plans[p].take() else {
                    continue;
                };
                let template = templates[p].as_ref().map_or("", |e| e.template_text());
                let (tally, diagnostics) =
                    write_set(options, reporter, &projects[p], template, plan, set, docx);
                outcomes[p] = if diagnostics.has_errors() {
                    Err(diagnostics.error_count())
                } else {
                    Ok((tally, diagnostics.iter().count()))
                };
            }
            outcomes
        });
        let docx_wanted = &docx_wanted;
        let shared_parts = &shared_parts;
        let on_set = move |set: CompiledSet| {
            let project = &projects[set.project];
            let docx = docx_wanted[set.project]
                .iter()
                .map(|&d| {
                    let document = &project.documents[d];
                    (
                        d,
                        crate::docx::render(
                            document,
                            &project.font_roles,
                            options.docx_embed(),
                            shared_parts,
                        ),
                    )
                })
                .collect();
            // The writer only stops once every sender is gone, so this cannot fail.
            let _ = send.send((set, docx));
        };
        match compiler {
            Some(compiler) => {
                let total = jobs.iter().map(Vec::len).sum();
                if let (workers, true) = compiler.workers(total) {
                    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                    let asked = options.compile.jobs.unwrap_or_default();
                    reporter.note(
                        &format!("--jobs {asked} 超过上限（{cores} 个 CPU 核 × 2），只用 {workers} 个"),
                        &format!(
                            "--jobs {asked} is more than 2 per CPU core ({cores} cores); using {workers}"
                        ),
                    );
                }
                reporter.compiling(total);
                compiler.compile(projects, jobs, &on_set, &|| reporter.compiled());
                reporter.compiled_all();
            }
            None => {
                // No PDFs: the sets still go through `on_set`, which makes their .docx files,
                // on as many threads as there are cores.
                let next = AtomicUsize::new(0);
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                let workers = options.compile.jobs.unwrap_or(cores).clamp(1, cores.max(1));
                std::thread::scope(|inner| {
                    for _ in 0..workers.min(projects.len()) {
                        inner.spawn(|| {
                            loop {
                                let p = next.fetch_add(1, Ordering::Relaxed);
                                if p >= projects.len() {
                                    break;
                                }
                                on_set(CompiledSet {
                                    project: p,
                                    pdfs: Vec::new(),
                                    diagnostics: Diagnostics::new(),
                                });
                            }
                        });
                    }
                });
            }
        }
        drop(on_set);
        writer
            .join()
            .unwrap_or_else(|_| vec![Err(1); projects.len()])
    })
}

#[cfg(test)]
mod tests;
