//! `qingdan diff`: the change report an office reads before re-issuing attachments.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{self, copy_dir, qingdan_ok, repo};

fn diff(old: &Path, new: &Path) -> String {
    let out = qingdan_ok(&[Path::new("diff"), old, new]);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn reports_successions_title_changes_and_moved_duties() {
    let old = repo().join("inputs/zhuzhou-2019");
    let temp = tempfile::tempdir().unwrap();
    let new = temp.path().join("zhuzhou-2019");
    copy_dir(&old, &new);
    let sheet = std::fs::read_to_string(new.join("责任清单.csv")).unwrap();
    // A new 副局长 takes over 吴春雪's post; 赵湘兵 is promoted; 刘永东's last duty goes to 毛大训.
    let mut lines: Vec<String> = sheet
        .replacen("吴春雪,副局长,", "陈新任,副局长,", 1)
        .replacen("赵湘兵,主任督学,", "赵湘兵,副局长,", 1)
        .lines()
        .map(str::to_owned)
        .collect();
    let moved = lines
        .iter()
        .position(|l| l.contains("按照管理权限及时对生产安全事故进行调查"))
        .unwrap();
    let duty = lines.remove(moved);
    let mao = lines.iter().position(|l| l.starts_with("毛大训,")).unwrap();
    lines.insert(mao + 1, duty);
    std::fs::write(new.join("责任清单.csv"), lines.join("\n") + "\n").unwrap();

    let report = diff(&old, &new);
    assert!(
        report.contains("- 接任：陈新任接替吴春雪（副局长），职责不变"),
        "{report}"
    );
    assert!(
        report.contains("- 职务变更：赵湘兵，主任督学 → 副局长"),
        "{report}"
    );
    assert!(
        report.contains("- 职责转移：刘永东 → 毛大训：按照管理权限及时对生产安全事故进行调查"),
        "{report}"
    );
    assert!(
        report.contains("## 受影响的文件 / Affected documents\n\n- 附件-责任清单\n- 全文\n"),
        "{report}"
    );
    assert!(
        !report.contains("实施细则"),
        "the rules did not change:\n{report}"
    );
}

#[test]
fn no_change_says_so() {
    let project = repo().join("inputs/daligang-2019");
    assert!(diff(&project, &project).contains("没有变化"));
}

// ---- `qingdan diff --rev REV DIR`: the folder against an earlier git revision of itself ----

/// Runs git in `dir` with a fixed identity and no machine-wide settings, so commits work on a
/// fresh CI machine.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=qingdan tests",
            "-c",
            "user.email=tests@qingdan.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A git repository holding `inputs/zhuzhou-2019`, whose 机关 lines live in shared settings at
/// the repository's top (so the old version is only readable with its ancestors' settings).
fn zhuzhou_repo() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("inputs/zhuzhou-2019");
    copy_dir(&repo().join("inputs/zhuzhou-2019"), &project);
    let manifest = std::fs::read_to_string(project.join("qingdan.yaml")).unwrap();
    let shared = "机关: 株洲市教育局\n发文机关标志: 株洲市教育局文件\n";
    assert!(manifest.contains(shared));
    std::fs::write(project.join("qingdan.yaml"), manifest.replace(shared, "")).unwrap();
    std::fs::write(temp.path().join("qingdan-defaults.yaml"), shared).unwrap();
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["add", "."]);
    git(temp.path(), &["commit", "-q", "-m", "株教发〔2019〕12号"]);
    temp
}

/// Runs `qingdan diff ARGS` in `cwd`, with temporary files going to `tmp`.
fn diff_in(cwd: &Path, tmp: &Path, args: &[&str]) -> Output {
    crate::common::command()
        .current_dir(cwd)
        .arg("diff")
        .args(args)
        .env("TMPDIR", tmp)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("qingdan runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "qingdan failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The message of a run that must fail with exit code 1 (not a panic, not a usage error).
fn error_of(out: &Output) -> String {
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn rev_compares_the_folder_with_its_last_commit_and_leaves_nothing_behind() {
    let repo_dir = zhuzhou_repo();
    let sheet = repo_dir.path().join("inputs/zhuzhou-2019/责任清单.csv");
    let text = std::fs::read_to_string(&sheet).unwrap();
    std::fs::write(&sheet, text.replacen("吴春雪,副局长,", "陈新任,副局长,", 1)).unwrap();
    let tmp = tempfile::tempdir().unwrap();

    let report = stdout(&diff_in(
        repo_dir.path(),
        tmp.path(),
        &["--rev", "HEAD", "inputs/zhuzhou-2019"],
    ));
    let header = report.lines().nth(2).unwrap();
    assert!(
        header.starts_with("inputs/zhuzhou-2019@HEAD (")
            && header.ends_with(") → inputs/zhuzhou-2019"),
        "{report}"
    );
    assert!(
        report.contains("- 接任：陈新任接替吴春雪（副局长），职责不变"),
        "{report}"
    );
    assert!(
        report.contains("## 受影响的文件 / Affected documents\n\n- 附件-责任清单\n- 全文\n"),
        "the shared settings must be read at the revision too:\n{report}"
    );
    assert!(!report.contains("qingdan-diff"), "{report}");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the revision's temporary copy must be removed"
    );

    // Both sides at revisions, from inside the project folder.
    git(repo_dir.path(), &["commit", "-q", "-am", "陈新任接任"]);
    let project = repo_dir.path().join("inputs/zhuzhou-2019");
    let report = stdout(&diff_in(
        &project,
        tmp.path(),
        &["--rev", "HEAD~1", ".", "--to", "HEAD"],
    ));
    assert!(report.contains(".@HEAD~1 ("), "{report}");
    assert!(
        report.contains("- 接任：陈新任接替吴春雪（副局长），职责不变"),
        "{report}"
    );
    let unchanged = stdout(&diff_in(&project, tmp.path(), &["--rev", "HEAD", "."]));
    assert!(unchanged.contains("没有变化"), "{unchanged}");
}

#[test]
fn rev_reads_spreadsheets_byte_for_byte() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("daligang-2019");
    copy_dir(&repo().join("inputs/daligang-2019"), &project);
    std::fs::copy(
        repo().join("tests/fixtures/spreadsheets/带队检查安排表.xlsx"),
        project.join("带队检查安排表.xlsx"),
    )
    .unwrap();
    let manifest = std::fs::read_to_string(project.join("qingdan.yaml")).unwrap();
    let manifest = manifest.replace(
        "数据: 带队检查安排表.csv",
        "数据: 带队检查安排表.xlsx\n    工作表: 安排",
    );
    std::fs::write(project.join("qingdan.yaml"), manifest).unwrap();
    git(temp.path(), &["init", "-q"]);
    git(temp.path(), &["add", "."]);
    git(temp.path(), &["commit", "-q", "-m", "xlsx"]);

    let tmp = tempfile::tempdir().unwrap();
    let report = stdout(&diff_in(
        temp.path(),
        tmp.path(),
        &["--rev", "HEAD", "daligang-2019"],
    ));
    assert!(report.contains("没有变化"), "{report}");
}

#[test]
fn rev_errors_in_the_old_version_name_the_file_at_that_revision() {
    let repo_dir = zhuzhou_repo();
    let sheet = repo_dir.path().join("inputs/zhuzhou-2019/责任清单.csv");
    let good = std::fs::read_to_string(&sheet).unwrap();
    std::fs::write(&sheet, good.replacen("姓名,职务,", "姓名,职位,", 1)).unwrap();
    git(repo_dir.path(), &["commit", "-q", "-am", "typo"]);
    std::fs::write(&sheet, good).unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let message = error_of(&diff_in(
        repo_dir.path(),
        tmp.path(),
        &["--rev", "HEAD", "inputs/zhuzhou-2019"],
    ));
    assert!(
        message.contains("错误 / error: HEAD:inputs/zhuzhou-2019/责任清单.csv："),
        "{message}"
    );
    assert!(message.contains("“职位”是否应为“职务”？"), "{message}");
    assert!(!message.contains("qingdan-diff"), "{message}");
}

#[test]
fn rev_outside_a_git_repository_says_so() {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("inputs/daligang-2019"), &temp.path().join("p"));
    let out = crate::common::command()
        .current_dir(temp.path())
        .args(["diff", "--rev", "HEAD", "p"])
        // However the machine's temporary folder is set up, git must not look above ours.
        .env("GIT_CEILING_DIRECTORIES", temp.path())
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    let message = error_of(&out);
    assert!(
        message.starts_with("错误 / error: p 不在 git 仓库中，没有可比较的历史版本\n"),
        "{message}"
    );
    assert!(
        message.contains("p is not inside a git repository"),
        "{message}"
    );
    assert!(
        message.contains("qingdan diff OLD_DIR NEW_DIR"),
        "{message}"
    );
}

#[test]
fn rev_that_does_not_exist_says_so() {
    let repo_dir = zhuzhou_repo();
    let message = error_of(&diff_in(
        repo_dir.path(),
        &std::env::temp_dir(),
        &["--rev", "v2018", "inputs/zhuzhou-2019"],
    ));
    assert!(message.contains("中没有版本“v2018”"), "{message}");
    assert!(message.contains("revision “v2018” not found"), "{message}");
    assert!(
        message.contains("git log --oneline -- inputs/zhuzhou-2019"),
        "{message}"
    );
    // Nor is an option a revision.
    let message = error_of(&diff_in(
        repo_dir.path(),
        &std::env::temp_dir(),
        &["--rev=--all", "inputs/zhuzhou-2019"],
    ));
    assert!(message.contains("revision “--all” not found"), "{message}");
}

#[test]
fn rev_before_the_folder_was_committed_says_so() {
    let repo_dir = zhuzhou_repo();
    let project = repo_dir.path().join("inputs/daligang-2019");
    copy_dir(&repo().join("inputs/daligang-2019"), &project);
    let message = error_of(&diff_in(
        repo_dir.path(),
        &std::env::temp_dir(),
        &["--rev", "HEAD", "inputs/daligang-2019"],
    ));
    assert!(
        message.contains("版本“HEAD”中没有文件夹 inputs/daligang-2019"),
        "{message}"
    );
    assert!(
        message.contains("folder inputs/daligang-2019 did not exist at revision “HEAD”"),
        "{message}"
    );
}

#[test]
fn rev_without_git_installed_says_so() {
    let repo_dir = zhuzhou_repo();
    let no_programs = tempfile::tempdir().unwrap();
    let out = crate::common::command()
        .current_dir(repo_dir.path())
        .args(["diff", "--rev", "HEAD", "inputs/zhuzhou-2019"])
        .env("PATH", no_programs.path())
        .output()
        .unwrap();
    let message = error_of(&out);
    assert!(message.contains("找不到 git 程序"), "{message}");
    assert!(message.contains("git is not installed"), "{message}");
}

#[test]
fn rev_takes_one_folder_and_two_folders_need_no_rev() {
    let project = repo().join("inputs/daligang-2019");
    let out = common::qingdan(&[
        Path::new("diff"),
        Path::new("--rev"),
        Path::new("HEAD"),
        &project,
        &project,
    ]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let out = common::qingdan(&[Path::new("diff"), &project]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "a usage error: {stderr}");
    assert!(stderr.contains("NEW_DIR"), "{stderr}");
}
