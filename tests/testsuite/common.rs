//! Helpers shared by the integration tests: the repository's folder, running the `qingdan`
//! binary, copying a project folder; [`browser`], a real browser for the end-to-end tests;
//! [`server`], `qingdan serve` as a process and an HTTP client to talk to it.

pub(crate) mod browser;
pub(crate) mod server;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `qingdan` with `args`.
pub(crate) fn qingdan<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(args)
        .output()
        .expect("qingdan runs")
}

/// Runs `qingdan` with `args`, which must succeed.
pub(crate) fn qingdan_ok<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let out = qingdan(args);
    assert!(
        out.status.success(),
        "qingdan failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Builds `projects` into `out` with the bundled fonts only (no system fonts), which must succeed.
pub(crate) fn build_ok(projects: &[&Path], out: &Path) -> Output {
    let mut args: Vec<&OsStr> = vec![OsStr::new("build")];
    args.extend(projects.iter().map(|p| p.as_os_str()));
    args.extend([
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--no-system-fonts"),
    ]);
    qingdan_ok(&args)
}

/// Copies the files (not subfolders) of `from` into `to`.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}
