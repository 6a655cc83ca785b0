//! `qingdan build`: the command line turned into [`BuildOptions`], [`crate::build`] run with a
//! printing reporter, and its report printed.

use std::time::Instant;

use crate::build::{BuildOptions, BuildReport, Formats, Stage, build};
use crate::cli::{BuildArgs, Format};
use crate::cmd::report::Printer;
use crate::cmd::{no_projects, outln, projects};

/// Above this many projects and units, the per-project ✓ lines are left out of the summary.
const LIST_UP_TO: usize = 20;

/// Builds the projects named in `args` and prints what happened; returns the exit code (see
/// [`crate::cmd`]): 0 all built, 1 refused or something not built or written, 2 no projects.
pub fn run(args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let projects = projects(&args.projects);
    if projects.is_empty() {
        return no_projects(&args.projects);
    }
    let report = build(&projects, &options(args), &Printer::new());
    if report.refused {
        return 1;
    }
    print_summary(&report, started.elapsed().as_secs_f64());
    if args.timings {
        print_timings(&report);
    }
    i32::from(!report.success())
}

/// The build the arguments ask for.
fn options(args: &BuildArgs) -> BuildOptions {
    let wants = |format: Format| {
        args.formats.contains(&format) && (format == Format::Md || !args.markdown_only)
    };
    BuildOptions {
        output: args.output.clone(),
        formats: Formats {
            md: wants(Format::Md),
            pdf: wants(Format::Pdf),
            docx: wants(Format::Docx),
        },
        emit_typst: args.emit_typst,
        embed_fonts: args.embed_fonts,
        compile: args.fonts.compile_options(args.jobs),
        check: false,
    }
}

fn print_summary(report: &BuildReport, seconds: f64) {
    if report.prepared <= LIST_UP_TO {
        for set in &report.built {
            outln!("✓ {} → {}", set.dir.display(), set.output.display());
        }
    }
    let files = report.files;
    let built = report.built.len();
    let with_errors = report.not_built.len();
    outln!(
        "{} 个文件已写入，{} 个未变，{} 个失败；{built} 个项目/单位已生成，{with_errors} 个有错误；用时 {seconds:.1} 秒",
        files.written,
        files.unchanged,
        files.failed,
    );
    outln!(
        "{} written, {} unchanged, {} failed; {built} project(s)/unit(s) built, {with_errors} with errors; {seconds:.1} s",
        files.written,
        files.unchanged,
        files.failed,
    );
}

/// `--timings`: the wall time of each stage, summed over the build's windows of document sets.
fn print_timings(report: &BuildReport) {
    outln!("用时 / timings:");
    for stage in Stage::ALL {
        let (zh, en) = stage.name();
        let seconds = report.timings.of(stage).as_secs_f64();
        outln!("  {:>7.3} s  {zh} / {en}", seconds);
    }
}
