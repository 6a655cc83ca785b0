//! Subcommands, one file each. Each returns the process exit code:
//! 0 everything done, 1 some input had errors or a document failed, 2 nothing to work on.

pub mod build;
pub mod check;
pub mod diff;
pub mod import;
pub mod init;
pub(crate) mod report;
pub mod serve;
pub mod start;

use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::ProjectArgs;
use crate::project::find_projects;

/// The project folders named on the command line, or every project under `./inputs`.
pub(crate) fn project_dirs(args: &ProjectArgs) -> Vec<PathBuf> {
    let roots = if args.projects.is_empty() {
        vec![PathBuf::from("inputs")]
    } else {
        args.projects.clone()
    };
    roots.iter().flat_map(|root| find_projects(root)).collect()
}

/// The projects named on the command line, or every project under `./inputs`, each resolved
/// once.
pub(crate) fn projects(args: &ProjectArgs) -> Vec<crate::project::Project> {
    project_dirs(args)
        .iter()
        .map(|dir| crate::project::Project::open(dir))
        .collect()
}

/// Prints the "no project found" message and returns exit code 2.
pub(crate) fn no_projects(args: &ProjectArgs) -> i32 {
    let where_ = if args.projects.is_empty() {
        "inputs".to_owned()
    } else {
        args.projects
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    errln!(
        "{}",
        crate::diag::Diagnostic::general_error(
            format!("在 {where_} 中没有找到项目（含 qingdan.yaml 的文件夹）"),
            format!("no project (a folder with a qingdan.yaml) found in {where_}"),
        )
    );
    2
}

/// Set once standard output, or standard error, is gone; later lines to it are dropped.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

/// Writes the report (what `build`, `check`, `diff` and `init` tell the user on standard output)
/// through [`outln!`] / [`out!`], and problems and progress (standard error) through
/// [`errln!`] / [`err!`]; `println!` and `eprintln!` must not be used.
///
/// A closed output (`qingdan build | head`, `qingdan check 2>&1 | head`) is the reader saying it
/// has read enough, not a failure. The Rust runtime ignores SIGPIPE, so the write fails with
/// `BrokenPipe`, and `println!` / `eprintln!` panic (exit 101, a panic message). C tools die of
/// SIGPIPE instead, and ripgrep, which stops its search at that point, exits quietly with 0.
/// Neither fits here: restoring SIGPIPE would kill a build between the files of a document set,
/// and the exit code must still say whether the documents were built. So the work goes on, the
/// rest of that output is dropped, and the exit code is the work's. Any other failure to write
/// the report (a full disk under `> report.md`) is said once on stderr, then treated the same.
pub(crate) fn write_stdout(args: fmt::Arguments<'_>) {
    if let Err(e) = write_to(&STDOUT_GONE, &mut std::io::stdout().lock(), args)
        && e.kind() != ErrorKind::BrokenPipe
    {
        write_stderr(format_args!(
            "警告 / warning: 无法写入标准输出 / cannot write to standard output: {e}\n"
        ));
    }
}

/// Writes to standard error, as [`write_stdout`] does to standard output.
pub(crate) fn write_stderr(args: fmt::Arguments<'_>) {
    // Where problems cannot be told, there is no one left to tell.
    let _ = write_to(&STDERR_GONE, &mut std::io::stderr().lock(), args);
}

/// Writes and flushes at once (a failure must be seen here, not in the runtime's flush at
/// exit); after the first failure `gone` is set and nothing more is written.
fn write_to(
    gone: &AtomicBool,
    out: &mut dyn Write,
    args: fmt::Arguments<'_>,
) -> std::io::Result<()> {
    if gone.load(Ordering::Relaxed) {
        return Ok(());
    }
    let result = out.write_fmt(args).and_then(|()| out.flush());
    if result.is_err() {
        gone.store(true, Ordering::Relaxed);
    }
    result
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

/// `eprintln!` for problems and progress on standard error, through [`write_stderr`].
macro_rules! errln {
    () => {
        $crate::cmd::write_stderr(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cmd::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` for problems and progress on standard error, through [`write_stderr`].
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cmd::write_stderr(format_args!($($arg)*))
    };
}

pub(crate) use {err, errln, out, outln};
