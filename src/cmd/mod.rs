//! Subcommands, one file each. Each returns the process exit code:
//! 0 everything done, 1 some input had errors or a document failed, 2 nothing to work on.

pub mod build;
pub mod check;
pub mod diff;
pub mod init;

use std::path::PathBuf;

use crate::cli::ProjectArgs;
use crate::project::find_projects;

/// The project folders named on the command line, or every project under `./inputs`.
pub fn project_dirs(args: &ProjectArgs) -> Vec<PathBuf> {
    let roots = if args.projects.is_empty() {
        vec![PathBuf::from("inputs")]
    } else {
        args.projects.clone()
    };
    roots.iter().flat_map(|root| find_projects(root)).collect()
}

/// Prints the "no project found" message and returns exit code 2.
pub fn no_projects(args: &ProjectArgs) -> i32 {
    let where_ = if args.projects.is_empty() {
        "inputs".to_owned()
    } else {
        args.projects
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!("错误 / error: 在 {where_} 中没有找到项目（含 qingdan.yaml 的文件夹）");
    eprintln!("  no project (a folder with a qingdan.yaml) found in {where_}");
    2
}
