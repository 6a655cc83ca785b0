//! Helpers shared by the integration tests: the repository's folder, running the `qingdan`
//! binary, copying a project folder, comparing with a snapshot file.

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

/// Compares `actual` with the reviewed snapshot file `path` (snapbox): `None` when they are
/// equal, else a line diff naming the file. Run with `SNAPSHOTS=overwrite` to rewrite (or
/// create) the file instead, then review the change with `git diff`.
pub(crate) fn snapshot(actual: &str, path: &Path) -> Option<String> {
    // `raw`: compared as written, without snapbox's `[..]` wildcards or path folding. snapbox
    // still folds \r\n into \n; no snapshot holds a \r, so none may appear in the output.
    let expected = snapbox::Data::read_from(path, None).raw();
    let result = snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .try_eq(Some(&"actual"), actual.into(), expected);
    match result {
        Err(diff) => Some(diff.to_string()),
        Ok(()) if actual.contains('\r') => Some(format!("{}: a \\r in {actual:?}", path.display())),
        Ok(()) => None,
    }
}
