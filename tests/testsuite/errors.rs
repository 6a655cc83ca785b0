//! Every kind of bad input, with the exact message a user sees. Each folder in
//! `tests/fixtures/bad/` is a broken project; `qingdan check` must fail on it (exit code 1) and
//! print exactly `expected.stderr` beside it. Wording changes are reviewed like code: rewrite the
//! snapshots with `SNAPSHOTS=overwrite cargo test --test testsuite errors::` and read the diff.
//! Each folder in `tests/fixtures/warnings/` builds, with warnings reviewed the same way.

use std::path::{Path, PathBuf};

use crate::common::repo;
use crate::snapshots;

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/bad")
}

/// Runs `qingdan check` with `flags` on every project folder in `root`: each must exit with
/// `code` and print exactly its `expected.stderr`. Gives what differs, case by case.
fn check_each(root: &Path, flags: &[&str], code: i32) -> Vec<String> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "expected fixtures in {}", root.display());
    let mut problems = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let output = crate::common::command()
            .current_dir(root)
            .arg("check")
            .args(flags)
            .arg(&name)
            .output()
            .expect("qingdan runs");
        let stderr = String::from_utf8(output.stderr).expect("messages are UTF-8");
        if output.status.code() != Some(code) {
            problems.push(format!(
                "{name}: exit code {:?}, expected {code}\n{stderr}",
                output.status.code()
            ));
        }
        if stderr.contains("panicked") {
            problems.push(format!("{name}: panicked:\n{stderr}"));
        }
        if let Some(diff) = snapshots::differs(&stderr, &case.join("expected.stderr")) {
            problems.push(format!("{name}: stderr differs\n{diff}"));
        }
    }
    problems
}

#[test]
fn bad_inputs_fail_with_the_reviewed_messages() {
    assert!(
        std::fs::read_dir(fixtures()).unwrap().count() >= 10,
        "expected the bad-input fixtures"
    );
    let problems = check_each(&fixtures(), &[], 1);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Projects that build, with warnings worth reviewing like errors (`tests/fixtures/warnings/`):
/// `qingdan check --no-system-fonts` passes (exit code 0) and prints exactly `expected.stderr`.
#[test]
fn warned_inputs_pass_with_the_reviewed_warnings() {
    let root = repo().join("tests/fixtures/warnings");
    let problems = check_each(&root, &["--no-system-fonts"], 0);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn no_project_found_is_exit_code_2() {
    let empty = tempfile::tempdir().unwrap();
    let output = crate::common::command()
        .arg("check")
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("没有找到项目"));
}

#[test]
fn a_failed_project_does_not_stop_the_others_and_writes_nothing_for_itself() {
    let out = tempfile::tempdir().unwrap();
    let inputs = repo().join("inputs/daligang-2019");
    let output = crate::common::command()
        .arg("build")
        .arg(fixtures().join("unknown-column"))
        .arg(&inputs)
        .args(["--markdown-only", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(out.path().join("daligang-2019/全文.md").is_file());
    assert!(!out.path().join("unknown-column").exists());
}
