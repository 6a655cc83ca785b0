//! `qingdan check`: validate projects and print every problem, writing nothing.

use crate::cli::CheckArgs;
use crate::cmd::{no_projects, project_dirs};
use crate::prepare_project;

pub fn run(args: &CheckArgs) -> i32 {
    let dirs = project_dirs(&args.projects);
    if dirs.is_empty() {
        return no_projects(&args.projects);
    }
    let mut failed = 0;
    for dir in &dirs {
        match prepare_project(dir) {
            Ok(project) => {
                eprint!("{}", project.warnings);
                println!("✓ {}：没有发现错误 / no errors", dir.display());
            }
            Err(diags) => {
                failed += 1;
                eprint!("{diags}");
                println!(
                    "✗ {}：{} 个错误 / {} error(s)",
                    dir.display(),
                    diags.error_count(),
                    diags.error_count()
                );
            }
        }
    }
    i32::from(failed > 0)
}
