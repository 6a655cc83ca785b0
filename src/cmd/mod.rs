//! Subcommands, one file each. Each returns the process exit code:
//! 0 everything done, 1 some input had errors or a document failed, 2 nothing to work on.

pub mod build;
pub mod check;
pub mod diff;
pub mod init;

use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// Set once standard output is gone; later report lines are dropped.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// Writes the report (what `build`, `check`, `diff` and `init` tell the user on standard output)
/// through [`outln!`] / [`out!`]; `println!` must not be used for it.
///
/// A closed standard output (`qingdan build | head`, `qingdan diff … | true`) is the reader
/// saying it has read enough, not a failure. The Rust runtime ignores SIGPIPE, so the write
/// fails with `BrokenPipe` and `println!` panics (exit 101, a panic message on stderr). C tools
/// die of SIGPIPE instead, and ripgrep, which stops its search at that point, exits quietly
/// with 0. Neither fits here: restoring SIGPIPE would kill a build between the files of a
/// document set, and the exit code must still say whether the documents were built. So the
/// work goes on, the rest of the report is dropped, and the exit code is the work's. Any other
/// failure to write (a full disk under `> report.md`) is said once on stderr, then treated the
/// same way. Diagnostics go to stderr and are not affected.
pub fn write_stdout(args: fmt::Arguments<'_>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    // Flushed at once: a failure must be seen here, not in the runtime's flush at exit.
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != ErrorKind::BrokenPipe {
            eprintln!("警告 / warning: 无法写入标准输出 / cannot write to standard output: {e}");
        }
    }
}

/// `println!` for the report on standard output, through [`write_stdout`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cmd::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the report on standard output, through [`write_stdout`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cmd::write_stdout(format_args!($($arg)*))
    };
}

pub(crate) use {out, outln};
