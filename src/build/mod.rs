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
mod plan;
mod write;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::diag::Diagnostics;
use crate::output::{output_overlaps_input, remove_stale_temporaries};
use crate::pipeline::{CompileOptions, CompiledSet, Compiler, Job};
use crate::project::Project;
use crate::{FailedProject, PreparedProject, prepare_projects};
use plan::Plan;
use write::{DocxResult, write_set};

pub use index::INDEX_FILE;
pub use write::{TYPST_FOLDER, Tally, markdown_path};

/// A kind of file written for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown (.md).
    Md,
    /// GB/T 9704 PDF (.pdf).
    Pdf,
    /// Word / WPS document (.docx).
    Docx,
}

/// Which kinds of file are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub md: bool,
    pub pdf: bool,
    pub docx: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Self {
            md: true,
            pdf: true,
            docx: true,
        }
    }
}

impl Formats {
    /// Whether `format` is written.
    pub fn wants(&self, format: Format) -> bool {
        match format {
            Format::Md => self.md,
            Format::Pdf => self.pdf,
            Format::Docx => self.docx,
        }
    }
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder; each project goes into its own subfolder.
    pub output: PathBuf,
    pub formats: Formats,
    /// Also write each document's Typst source as a folder the typst CLI compiles
    /// (`<output>/<project>/typst/<document>/main.typ`).
    pub emit_typst: bool,
    /// Fonts and worker threads.
    pub compile: CompileOptions,
}

/// Where a build tells what it finds as it goes. Every method may be called from any thread.
pub trait Reporter: Sync {
    /// Problems found: warnings, and the errors of a set that is not built.
    fn diagnostics(&self, diagnostics: &Diagnostics);
    /// A project or unit that is not built, with how many errors it has.
    fn not_built(&self, _name: &str, _errors: usize) {}
    /// Something worth knowing that is not a problem of the input, in both languages.
    fn note(&self, _zh: &str, _en: &str) {}
    /// `total` PDFs are about to be compiled.
    fn compiling(&self, _total: usize) {}
    /// One more PDF is done.
    fn compiled(&self) {}
    /// Every PDF is done.
    fn compiled_all(&self) {}
}

/// A project, or unit of a batch, that was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltSet {
    /// `<project>` or `<project>/<unit>`.
    pub name: String,
    /// The project folder.
    pub dir: PathBuf,
    /// Where its files are.
    pub output: PathBuf,
    /// How many warnings it had.
    pub warnings: usize,
}

/// A project, or unit of a batch, that was not built: nothing of it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotBuilt {
    pub name: String,
    pub dir: PathBuf,
    pub errors: usize,
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Every project or unit written, in order.
    pub built: Vec<BuiltSet>,
    /// Every project or unit with errors, in the order they were found.
    pub not_built: Vec<NotBuilt>,
    /// How many projects and units were prepared without errors (built or failed later).
    pub prepared: usize,
    pub files: Tally,
    /// The build was refused before anything was read (an output folder on an input).
    pub refused: bool,
}

impl BuildReport {
    /// Whether everything asked for was built and written.
    pub fn success(&self) -> bool {
        !self.refused && self.not_built.is_empty() && self.files.failed == 0
    }
}

/// Builds `projects` into `options.output`, loading the fonts the projects can use.
pub fn build(projects: &[Project], options: &BuildOptions, reporter: &dyn Reporter) -> BuildReport {
    let Some((projects, mut report, failures)) = start(projects, options, reporter) else {
        return refused();
    };
    // Every title is cut into words by now; the PDF stage needs the memory more.
    crate::render::title::release_dictionary();
    let compiler = options.formats.wants(Format::Pdf).then(|| {
        let (compiler, warnings) = Compiler::new(&font_folders(&projects), &options.compile);
        reporter.diagnostics(&warnings);
        compiler
    });
    finish(
        compiler.as_ref(),
        &projects,
        failures,
        options,
        reporter,
        &mut report,
    );
    report
}

/// Like [`build`], with fonts and engines kept from earlier builds (`qingdan serve`). The
/// compiler must have been made with the font folders of these projects
/// ([`font_folders`]).
pub fn build_with(
    compiler: &Compiler,
    projects: &[Project],
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> BuildReport {
    let Some((projects, mut report, failures)) = start(projects, options, reporter) else {
        return refused();
    };
    let compiler = options.formats.wants(Format::Pdf).then_some(compiler);
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
pub fn font_folders(projects: &[impl AsRef<Project>]) -> Vec<(PathBuf, PathBuf)> {
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
            let markdown_path = |d: &crate::render::RenderedDocument| {
                markdown_path(&options.output, project, &d.name)
            };
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
    // Sets are written on their own thread as they complete, each file synced to disk, while
    // the workers compile the next ones: the writes wait on the disk, the compiles on the CPU.
    let docx_wanted: Vec<Vec<usize>> = plans
        .iter()
        .map(|p| p.docx.iter().map(|(d, _)| *d).collect())
        .collect();
    let templates: Vec<Option<Arc<crate::pdf::PdfEngine>>> = projects
        .iter()
        .map(|p| compiler.filter(|_| options.emit_typst).map(|c| c.engine(p)))
        .collect();
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
        let on_set = move |set: CompiledSet| {
            let project = &projects[set.project];
            let docx = docx_wanted[set.project]
                .iter()
                .map(|&d| {
                    let document = &project.documents[d];
                    (d, crate::docx::render(document, &project.font_roles))
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
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Keeps what a build tells, for the assertions.
    #[derive(Default)]
    struct Collect {
        problems: Mutex<Vec<String>>,
        not_built: Mutex<Vec<(String, usize)>>,
    }

    impl Reporter for Collect {
        fn diagnostics(&self, diagnostics: &Diagnostics) {
            let mut problems = self.problems.lock().unwrap();
            problems.extend(diagnostics.iter().map(ToString::to_string));
        }

        fn not_built(&self, name: &str, errors: usize) {
            self.not_built
                .lock()
                .unwrap()
                .push((name.to_owned(), errors));
        }
    }

    fn copy_example(name: &str, to: &std::path::Path) -> PathBuf {
        let from = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("inputs")
            .join(name);
        let dir = to.join(name);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = dir.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        dir
    }

    fn options(output: PathBuf) -> BuildOptions {
        BuildOptions {
            output,
            // The PDF path is the command's tests' business; these look at the report.
            formats: Formats {
                md: true,
                pdf: false,
                docx: true,
            },
            emit_typst: false,
            compile: CompileOptions::default(),
        }
    }

    #[test]
    fn a_batch_reports_each_unit_built_and_a_rebuild_writes_nothing() {
        let temp = tempfile::tempdir().unwrap();
        let dir = copy_example("schools-batch", temp.path());
        let options = options(temp.path().join("out"));
        let projects = [Project::open(&dir)];
        let reporter = Collect::default();
        let report = build(&projects, &options, &reporter);
        assert!(report.success(), "{:?}", reporter.problems.lock().unwrap());
        assert_eq!(report.prepared, 5);
        let names: Vec<&str> = report.built.iter().map(|b| b.name.as_str()).collect();
        assert!(names.contains(&"schools-batch/株洲市第一中学"), "{names:?}");
        for set in &report.built {
            assert_eq!(set.dir, dir);
            assert!(set.output.is_dir(), "{}", set.output.display());
        }
        assert!(
            options
                .output
                .join("schools-batch")
                .join(INDEX_FILE)
                .is_file()
        );
        let written = report.files.written;
        assert!(written > 10, "{written}");

        let again = build(&projects, &options, &reporter);
        assert_eq!(again.files.written, 0);
        assert_eq!(again.files.failed, 0);
        assert!(again.files.unchanged > 0);
    }

    #[test]
    fn a_unit_with_bad_data_is_not_built_and_the_others_are() {
        let temp = tempfile::tempdir().unwrap();
        let dir = copy_example("schools-batch", temp.path());
        let roster = dir.join("总表.csv");
        let text = std::fs::read_to_string(&roster).unwrap();
        // An empty 姓名 in one school's first row of the master sheet: that unit fails alone.
        let broken = text.replacen("株洲市第一中学,王建国,", "株洲市第一中学,,", 1);
        assert_ne!(broken, text);
        std::fs::write(&roster, broken).unwrap();
        let options = options(temp.path().join("out"));
        let reporter = Collect::default();
        let report = build(&[Project::open(&dir)], &options, &reporter);
        assert!(!report.success());
        let failed: Vec<&str> = report.not_built.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(failed, ["schools-batch/株洲市第一中学"], "{report:?}");
        assert_eq!(report.built.len(), 4);
        let told = reporter.not_built.lock().unwrap();
        assert_eq!(told.len(), report.not_built.len());
        assert!(
            report
                .not_built
                .iter()
                .all(|n| n.errors > 0 && n.dir == dir)
        );
    }

    #[test]
    fn an_output_folder_inside_a_project_is_refused_before_anything_is_read() {
        let temp = tempfile::tempdir().unwrap();
        let dir = copy_example("zhuzhou-2019", temp.path());
        let reporter = Collect::default();
        let report = build(&[Project::open(&dir)], &options(dir.join("out")), &reporter);
        assert!(report.refused && !report.success());
        assert!(!dir.join("out").exists());
        assert!(reporter.problems.lock().unwrap()[0].contains("重叠"));
    }
}
