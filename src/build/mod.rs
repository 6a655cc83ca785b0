//! The whole pipeline as one library call: [`build`] takes project folders and writes every
//! document of them — Markdown, PDF and .docx — into the output folder, reporting as it goes to
//! a [`Reporter`] and returning a [`BuildReport`]. `qingdan build` is this call with the command
//! line turned into [`BuildOptions`] and a reporter that prints; `qingdan serve` makes the same
//! call with its own reporter and the fonts and engines it keeps ([`build_with`]); [`check`] is
//! the same call writing nothing.
//!
//! [`run`] is the stages in order, each timed ([`Timings`]). They run on a window of a few
//! document sets at a time — prepared, compiled, written, then the next — so that a batch of
//! 5,000 schools needs no more memory than one of 50:
//! 1. prepare: stages 1–3 for the next sets of the projects ([`crate::prepare::Units`]);
//! 2. fonts: loaded once, when the first set wants PDFs ([`Compiler`]);
//! 3. markup: stage 5, each document's Typst source, and the characters no font has;
//! 4. [`plan`]: each file's digest against the last build's, so only what changed is made;
//! 5. compile: the PDFs, on the worker threads ([`crate::pdf::pool`]);
//! 6. docx: the .docx files, on the same threads;
//! 7. [`write`]: each set all or nothing — a set whose PDF fails keeps its previous files;
//! 8. [`index`]: after the last window, batch projects get an index of their units.
//!
//! A project or unit with errors is reported and skipped; the others are still built.

mod folders;
mod index;
mod options;
mod plan;
mod report;
mod run;
mod timings;
mod write;

use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::pdf::pool::{CompileOptions, Compiler, Workers};
use crate::project::Project;
use run::Run;

pub(crate) use index::INDEX_FILE;
pub use options::{BuildOptions, Format, Formats};
pub use report::{BuildReport, BuiltSet, NotBuilt, Reporter, Verdict};
pub use timings::{Stage, Timings};
pub use write::Tally;
pub(crate) use write::markdown_path;

/// Document sets per worker thread in a window: enough that the workers seldom wait for the
/// last PDF of a window, few enough that a window's PDFs are a few MB.
const SETS_PER_WORKER: usize = 8;

/// Builds `projects` into `options.output`, loading the fonts the projects can use. The output
/// folder is owned for the whole build ([`crate::output::lock`]): the one place a build starts
/// writing.
pub fn build(projects: &[Project], options: &BuildOptions, reporter: &dyn Reporter) -> BuildReport {
    let Ok(owner) = folders::own_output(projects, options, reporter) else {
        return BuildReport::refused();
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

/// `qingdan check`: every stage of [`build`] but the writing — the same preparation, the
/// missing-glyph report and the same compile of every document, a failing user `gongwen.typ`
/// included — so that what passes here builds. Each project's and unit's verdict, in the order
/// they were reached.
pub fn check(
    projects: &[Project],
    options: &CompileOptions,
    reporter: &dyn Reporter,
) -> Vec<Verdict> {
    run(None, projects, &BuildOptions::check(options), reporter).verdicts
}

/// The stages, a window of document sets at a time, on a `kept` compiler or one made when the
/// first PDF is wanted.
fn run(
    kept: Option<&Compiler>,
    projects: &[Project],
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> BuildReport {
    let mut timings = Timings::default();
    let mut run = Run::new(options, reporter);
    let Some((mut units, fonts)) = timings.time(Stage::Prepare, || run.start(projects)) else {
        return BuildReport::refused();
    };
    let workers = Workers::new(options.compile.jobs);
    let window = workers.count() * SETS_PER_WORKER;
    let made = OnceCell::new();
    loop {
        let sets = timings.time(Stage::Prepare, || run.prepare(&mut units, window));
        if sets.is_empty() {
            break;
        }
        let compiler = timings.time(Stage::Fonts, || run.fonts(kept, &made, &fonts));
        let sources = timings.time(Stage::Markup, || run.markup(compiler, &workers, &sets));
        let mut plans = timings.time(Stage::Plan, || run.plan(compiler, &workers, &sets, sources));
        let pdfs = timings.time(Stage::Compile, || {
            run.compile(compiler, &workers, &sets, &mut plans)
        });
        let docx = timings.time(Stage::Docx, || run.docx(&workers, &sets, &plans));
        timings.time(Stage::Write, || {
            run.write(compiler, sets, plans, pdfs, docx)
        });
    }
    timings.time(Stage::Index, || run.index());
    run.finish(timings)
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

#[cfg(test)]
mod tests;
