//! `qingdan check`: validate projects (every unit of a batch) and print every problem, writing
//! nothing. Every document is compiled as `build` would, so what passes here builds.

use crate::build::check;
use crate::cli::CheckArgs;
use crate::cmd::report::Printer;
use crate::cmd::{errln, no_projects, outln, projects};

/// Checks the projects named in `args` (or, with `--layout`, measures PDFs), printing every
/// problem; returns the exit code (see [`crate::cmd`]).
pub fn run(args: &CheckArgs) -> i32 {
    if !args.layout.is_empty() {
        return check_layout(&args.layout);
    }
    let projects = projects(&args.projects);
    if projects.is_empty() {
        return no_projects(&args.projects);
    }
    let verdicts = check(
        &projects,
        &args.fonts.compile_options(None),
        &Printer::new(),
    );
    for verdict in &verdicts {
        let n = verdict.errors;
        if n > 0 {
            outln!("✗ {}：{n} 个错误 / {n} error(s)", verdict.name);
        } else {
            outln!("✓ {}：没有发现错误 / no errors", verdict.name);
        }
    }
    i32::from(verdicts.iter().any(|v| v.errors > 0))
}

/// `qingdan check --layout FILE.pdf …`: one table per PDF; exit 1 when any check fails or could
/// not be measured.
fn check_layout(pdfs: &[std::path::PathBuf]) -> i32 {
    let mut failed = false;
    for pdf in pdfs {
        match crate::conformance::measure(pdf) {
            Ok(checks) => {
                outln!("{}", crate::conformance::report(pdf, &checks));
                failed |= checks.iter().any(|c| !c.pass);
            }
            Err(message) => {
                errln!("错误 / error: {}：{message}", pdf.display());
                failed = true;
            }
        }
    }
    i32::from(failed)
}
