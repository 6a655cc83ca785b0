//! `qingdan check`: validate projects (every unit of a batch) and print every problem, writing
//! nothing.

use crate::cli::CheckArgs;
use crate::cmd::{err, errln, no_projects, outln, project_dirs};
use crate::prepare_projects;

pub fn run(args: &CheckArgs) -> i32 {
    if !args.layout.is_empty() {
        return check_layout(&args.layout);
    }
    let dirs = project_dirs(&args.projects);
    if dirs.is_empty() {
        return no_projects(&args.projects);
    }
    let mut failed = 0;
    for dir in &dirs {
        for prepared in prepare_projects(dir) {
            match prepared {
                Ok(project) => {
                    err!("{}", project.warnings);
                    outln!("✓ {}：没有发现错误 / no errors", project.name);
                }
                Err(failure) => {
                    failed += 1;
                    err!("{}", failure.diagnostics);
                    let n = failure.diagnostics.error_count();
                    outln!("✗ {}：{n} 个错误 / {n} error(s)", failure.name);
                }
            }
        }
    }
    i32::from(failed > 0)
}

/// `qingdan check --layout FILE.pdf …`: one table per PDF; exit 1 when any check fails.
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
