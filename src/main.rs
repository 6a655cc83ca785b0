//! The `qingdan` command: parse arguments, dispatch to a subcommand, exit with its code.

use clap::Parser;
use qingdan::cli::{Cli, Command};
use qingdan::cmd;

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Diff(args) => cmd::diff::run(args),
    };
    std::process::exit(code);
}
