//! `qingdan check`: validate projects (every unit of a batch) and print every problem, writing
//! nothing.

use crate::cli::CheckArgs;
use crate::cmd::{no_projects, project_dirs};
use crate::prepare_projects;

pub fn run(args: &CheckArgs) -> i32 {
    let dirs = project_dirs(&args.projects);
    if dirs.is_empty() {
        return no_projects(&args.projects);
    }
    let mut failed = 0;
    for dir in &dirs {
        for prepared in prepare_projects(dir) {
            match prepared {
                Ok(project) => {
                    eprint!("{}", project.warnings);
                    println!("✓ {}：没有发现错误 / no errors", project.name);
                }
                Err(failure) => {
                    failed += 1;
                    eprint!("{}", failure.diagnostics);
                    let n = failure.diagnostics.error_count();
                    println!("✗ {}：{n} 个错误 / {n} error(s)", failure.name);
                }
            }
        }
    }
    i32::from(failed > 0)
}
