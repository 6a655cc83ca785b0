//! The `qingdan` command: parse arguments, dispatch to a subcommand, exit with its code.

use clap::Parser;
use qingdan::cli::{Cli, Command};
use qingdan::cmd;

/// typst allocates and frees many small objects per document (layout fragments, shaped text,
/// memoization entries); mimalloc does that about a tenth faster than glibc's allocator and keeps
/// worker threads from contending for one arena (measured with scripts/bench.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Double-clicked (no arguments, no terminal): the clerk's web page, opened in the browser.
    // Typed in a terminal without arguments, clap prints the help as before.
    if let Some(shown_in) = cmd::start::double_clicked() {
        return exit_code(cmd::start::run_double_clicked(shown_in));
    }
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Start(args) => cmd::start::run(args),
        Command::Import(args) => cmd::import::run(args),
    };
    exit_code(code)
}

/// Exit codes are 0, 1 or 2 (see `cmd`); anything else would be a bug, reported as 1.
fn exit_code(code: i32) -> std::process::ExitCode {
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}
