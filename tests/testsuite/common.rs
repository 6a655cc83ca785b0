//! Helpers shared by the integration tests: the repository's folder, running the `qingdan`
//! binary, copying a project folder; [`browser`], a real browser for the end-to-end tests.

pub(crate) mod browser;

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

/// What a measured run of `qingdan` gave: its exit code, what it printed on stderr and stdout,
/// and the peak resident memory of the largest of it and the tools it ran, in the platform's unit
/// (KiB on Linux, bytes on macOS).
#[cfg(unix)]
pub(crate) struct Measured {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) peak: i64,
}

/// Runs `qingdan` with `args` and measures its peak memory (wait4 reports the largest of the
/// child and the children it waited for), its output going through files in `scratch`.
#[cfg(unix)]
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also reports its peak memory"
)]
pub(crate) fn qingdan_measured<S: AsRef<OsStr>>(args: &[S], scratch: &Path) -> Measured {
    use std::process::Stdio;
    std::fs::create_dir_all(scratch).unwrap();
    let (out, err) = (scratch.join("stdout.txt"), scratch.join("stderr.txt"));
    let child = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(args)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .expect("qingdan runs");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: waits once for our own child; `status` and `usage` are valid for writing, and
    // `usage` is read only after wait4 filled it.
    let usage = unsafe {
        assert_eq!(libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()), pid);
        usage.assume_init()
    };
    Measured {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        peak: usage.ru_maxrss,
    }
}
