//! A project folder as it was at an earlier git revision, for `qingdan diff --rev`.
//!
//! Offices keep their project folders in git; "what changed since the last issue?" is then a
//! question about a revision, not about a second copy of the folder. We run the `git` program
//! (no git library: git is what the office already has, and its own filters, e.g. line endings,
//! apply) and copy the folder's files at that revision into a temporary folder. That folder
//! mirrors the repository's layout and also receives, from every folder between the repository's
//! top and the project, its shared settings (`qingdan-defaults.yaml`) and `templates/`, so the
//! old version is read with the settings it had then. The temporary folder is removed when the
//! [`Snapshot`] is dropped.

use std::ffi::OsStr;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

use crate::diag::Diagnostic;
use crate::project::DEFAULTS_FILE;

/// A project folder's files at one revision, in a temporary folder.
pub struct Snapshot {
    /// Keeps the temporary folder alive; dropping it removes everything we wrote.
    _temp: tempfile::TempDir,
    /// Stands for the repository's top folder (canonical, so diagnostics name it one way).
    root: PathBuf,
    project: PathBuf,
    rev: String,
    commit: String,
}

impl Snapshot {
    /// The project folder as it was at the revision.
    pub fn project_dir(&self) -> &Path {
        &self.project
    }

    /// The revision as the user wrote it, with the commit it names when that is not obvious
    /// (`HEAD~1` means something else tomorrow; a report may be kept for years).
    pub fn label(&self) -> String {
        if self.commit.starts_with(&self.rev) {
            self.rev.clone()
        } else {
            format!(
                "{} ({})",
                self.rev,
                &self.commit[..self.commit.len().min(7)]
            )
        }
    }

    /// `text` (e.g. rendered diagnostics) with temporary paths written the way git names a file
    /// at a revision, `REV:path/in/repo`, which `git show` accepts as it is.
    pub fn unmap(&self, text: &str) -> String {
        let root = self.root.display().to_string();
        let sep = std::path::MAIN_SEPARATOR;
        text.replace(&format!("{root}{sep}"), &format!("{}:", self.rev))
            .replace(&root, &format!("{}:", self.rev))
    }
}

/// Why a revision could not be read: a [`Diagnostic`] about no file in particular, printed like
/// the tool's other errors, in both languages, with what git itself said.
/// (Boxed: it travels in `Result`s up several calls.)
pub type GitError = Box<Diagnostic>;

fn git_error(zh: impl Into<String>, en: impl Into<String>) -> GitError {
    Box::new(Diagnostic::general_error(zh, en))
}

/// What git said, and the fix, added to an error about it.
trait GitErrorParts {
    /// Adds git's standard error, one detail line each.
    fn git_said(self, output: &Output) -> Self;
    /// Adds the fix.
    fn with_hint(self, zh: impl Into<String>, en: impl Into<String>) -> Self;
}

impl GitErrorParts for GitError {
    fn git_said(mut self, output: &Output) -> Self {
        for line in String::from_utf8_lossy(&output.stderr).trim().lines() {
            self.details.push(format!("git: {line}"));
        }
        self
    }

    fn with_hint(mut self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.hint = Some((zh.into(), en.into()));
        self
    }
}

/// Copies the project folder `dir` (as it is in its repository) at revision `rev` into a new
/// temporary folder.
pub fn snapshot(dir: &Path, rev: &str) -> Result<Snapshot, GitError> {
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(git_error(
            format!("找不到文件夹 {shown}"),
            format!("folder {shown} not found"),
        ));
    }
    let history_hint = || {
        (
            format!("用 git log --oneline -- {shown} 查看这个文件夹有过的版本（新文件夹要先提交）"),
            format!(
                "git log --oneline -- {shown} lists the revisions that have this folder \
                 (a new folder must be committed first)"
            ),
        )
    };

    let out = git(dir, ["rev-parse", "--show-toplevel", "--show-prefix"])?;
    if !out.status.success() {
        return Err(git_error(
            format!("{shown} 不在 git 仓库中，没有可比较的历史版本"),
            format!("{shown} is not inside a git repository, so it has no earlier versions"),
        )
        .git_said(&out)
        .with_hint(
            "不用 --rev 时，比较两个文件夹：qingdan diff OLD_DIR NEW_DIR",
            "without --rev, compare two folders: qingdan diff OLD_DIR NEW_DIR",
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let top = PathBuf::from(lines.next().unwrap_or_default());
    // "inputs/zhuzhou-2019/" — always with '/', empty at the top.
    let prefix = lines.next().unwrap_or_default().to_owned();

    // A revision starting with '-' would be read as an option by git.
    let commit = if rev.starts_with('-') {
        None
    } else {
        let out = git(
            &top,
            [
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let Some(commit) = commit else {
        let (zh, en) = history_hint();
        return Err(git_error(
            format!("仓库 {} 中没有版本“{rev}”", top.display()),
            format!("revision “{rev}” not found in repository {}", top.display()),
        )
        .with_hint(zh, en));
    };

    let out = git(&top, ["ls-tree", "-r", "-z", "--full-tree", &commit])?;
    if !out.status.success() {
        return Err(failed("git ls-tree").git_said(&out));
    }
    let files = files_to_copy(&out.stdout, &prefix);
    if !prefix.is_empty() && !files.iter().any(|f| f.starts_with(&prefix)) {
        let (zh, en) = history_hint();
        let folder = prefix.trim_end_matches('/');
        return Err(git_error(
            format!("版本“{rev}”中没有文件夹 {folder}"),
            format!("folder {folder} did not exist at revision “{rev}”"),
        )
        .with_hint(zh, en));
    }

    let cannot_write = |e: std::io::Error| {
        git_error(
            format!("无法写入临时文件夹：{e}"),
            format!("cannot write to a temporary folder: {e}"),
        )
    };
    let temp = tempfile::Builder::new()
        .prefix("qingdan-diff-")
        .tempdir()
        .map_err(cannot_write)?;
    // Named like the repository's folder, so a project at the top keeps its name.
    let top_name = top.file_name().unwrap_or(OsStr::new("repo"));
    let root = temp
        .path()
        .canonicalize()
        .map_err(cannot_write)?
        .join(top_name);
    for file in &files {
        let out = git(&top, ["cat-file", "--filters", &format!("{commit}:{file}")])?;
        if !out.status.success() {
            return Err(failed("git cat-file").git_said(&out));
        }
        let path = root.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(cannot_write)?;
        }
        std::fs::write(&path, &out.stdout).map_err(cannot_write)?;
    }
    let project = root.join(prefix.trim_end_matches('/'));
    std::fs::create_dir_all(&project).map_err(cannot_write)?;
    Ok(Snapshot {
        _temp: temp,
        project,
        root,
        rev: rev.to_owned(),
        commit,
    })
}

/// From `git ls-tree -r -z` output, the files the project at `prefix` needs: everything under
/// it, and the shared settings and templates of every folder above it. Symbolic links and
/// submodules are left out (they have no file content to copy), and so is any name that is not
/// a plain relative path.
fn files_to_copy(ls_tree: &[u8], prefix: &str) -> Vec<String> {
    // Folders above the project, as prefixes: "", "inputs/", … (not the project itself).
    let above: Vec<&str> = prefix
        .match_indices('/')
        .map(|(i, _)| &prefix[..=i])
        .filter(|a| *a != prefix)
        .chain([""])
        .collect();
    let needed = |path: &str| {
        path.starts_with(prefix)
            || above.iter().any(|a| {
                path.strip_prefix(a)
                    .is_some_and(|rest| rest == DEFAULTS_FILE || rest.starts_with("templates/"))
            })
    };
    ls_tree
        .split(|b| *b == 0)
        .filter_map(|entry| {
            // "<mode> <type> <object>\t<path>"
            let entry = std::str::from_utf8(entry).ok()?;
            let (info, path) = entry.split_once('\t')?;
            let regular = info.starts_with("100644 blob") || info.starts_with("100755 blob");
            let plain = Path::new(path)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
            (regular && plain && needed(path)).then(|| path.to_owned())
        })
        .collect()
}

/// Runs git in `dir` (`git -C dir …`); a missing git is an error in the user's words.
fn git<const N: usize>(dir: &Path, args: [&str; N]) -> Result<Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            let error = if e.kind() == ErrorKind::NotFound {
                git_error(
                    "找不到 git 程序；--rev 需要安装 git",
                    "git is not installed (or not on PATH); --rev needs it",
                )
            } else {
                git_error(format!("无法运行 git：{e}"), format!("cannot run git: {e}"))
            };
            error.with_hint(
                "或者把旧版本复制到一个文件夹，再用 qingdan diff OLD_DIR NEW_DIR 比较",
                "or copy the old version into a folder and run qingdan diff OLD_DIR NEW_DIR",
            )
        })
}

fn failed(what: &str) -> GitError {
    git_error(format!("{what} 运行失败"), format!("{what} failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls_tree(paths: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, path) in paths {
            let kind = if *mode == "160000" { "commit" } else { "blob" };
            out.extend(format!("{mode} {kind} 0123abcd\t{path}\0").as_bytes());
        }
        out
    }

    #[test]
    fn copies_the_project_and_the_shared_settings_above_it() {
        let listing = ls_tree(&[
            ("100644", "README.md"),
            ("100644", "qingdan-defaults.yaml"),
            ("100644", "templates/notice.md"),
            ("100644", "inputs/qingdan-defaults.yaml"),
            ("100644", "inputs/other/qingdan.yaml"),
            ("100644", "inputs/other/qingdan-defaults.yaml"),
            ("100644", "inputs/a/qingdan.yaml"),
            ("100755", "inputs/a/清单.xlsx"),
            ("100644", "inputs/a/templates/x.md"),
            ("100644", "inputs/ab/qingdan.yaml"),
            ("120000", "inputs/a/link.csv"),
            ("160000", "inputs/a/sub"),
        ]);
        assert_eq!(
            files_to_copy(&listing, "inputs/a/"),
            [
                "qingdan-defaults.yaml",
                "templates/notice.md",
                "inputs/qingdan-defaults.yaml",
                "inputs/a/qingdan.yaml",
                "inputs/a/清单.xlsx",
                "inputs/a/templates/x.md",
            ]
        );
    }

    #[test]
    fn a_project_at_the_top_is_the_whole_tree() {
        let listing = ls_tree(&[("100644", "qingdan.yaml"), ("100644", "a/b.csv")]);
        assert_eq!(files_to_copy(&listing, ""), ["qingdan.yaml", "a/b.csv"]);
    }

    #[test]
    fn errors_are_bilingual_with_what_git_said() {
        let mut error = git_error("中文", "English").with_hint("提示", "hint");
        error
            .details
            .push("git: fatal: not a git repository".into());
        assert_eq!(
            error.to_string(),
            "错误 / error: 中文\n  English\n  git: fatal: not a git repository\n  提示：提示\n  hint: hint"
        );
    }
}
