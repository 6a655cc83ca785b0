//! Hostile and careless inputs that used to overwrite or mix up users' files: output names that
//! leave the output folder, an output folder on the input, batch units or projects that map to
//! one folder, a document set half written when its PDF fails, templates and manifests that
//! link out of the project. Each case is one row of a table where there are several.

use std::path::{Path, PathBuf};

use crate::common::{copy_dir, qingdan, repo};

/// A copy of the example project `name` in a temporary folder: (temp, project folder).
fn example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(name);
    copy_dir(&repo().join("inputs").join(name), &dir);
    (temp, dir)
}

fn build(project: &Path, out: &Path) -> std::process::Output {
    qingdan(&[
        Path::new("build").as_os_str(),
        project.as_os_str(),
        Path::new("-o").as_os_str(),
        out.as_os_str(),
        Path::new("--no-system-fonts").as_os_str(),
    ])
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

/// Replaces `from` by `to` in the project's manifest.
fn edit_manifest(project: &Path, from: &str, to: &str) {
    let path = project.join("qingdan.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "manifest has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn output_names_that_leave_the_output_folder_are_refused() {
    for (key_after, name) in [
        ("    数据: 责任清单.csv\n", "../../README"),
        ("    数据: 责任清单.csv\n", "/tmp/qingdan-hostile-absolute"),
        ("    数据: 责任清单.csv\n", "a/b"),
        ("    数据: 责任清单.csv\n", ".."),
        ("  正文: 实施细则.md\n", "../../README"),
        ("  正文: 实施细则.md\n", "C:\\\\x"),
    ] {
        let (temp, project) = example("zhuzhou-2019");
        // Where ../../README.md from output/zhuzhou-2019/ lands.
        let readme = temp.path().join("work/README.md");
        std::fs::create_dir_all(readme.parent().unwrap()).unwrap();
        std::fs::write(&readme, "the user's own README").unwrap();
        let indent = &key_after[..key_after.len() - key_after.trim_start().len()];
        edit_manifest(
            &project,
            key_after,
            &format!("{key_after}{indent}名称: \"{name}\"\n"),
        );
        let out = temp.path().join("work/output");
        let result = build(&project, &out);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains("名称"), "{name}: names the key\n{err}");
        assert!(
            err.contains("file name") && err.contains("文件名"),
            "{name}: bilingual\n{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&readme).unwrap(),
            "the user's own README",
            "{name}"
        );
        assert!(!Path::new("/tmp/qingdan-hostile-absolute.md").exists());
        assert!(files_under(&out).is_empty(), "{name}: nothing written");
    }
}

#[test]
fn a_name_equal_to_another_documents_is_refused() {
    for name in ["全文", "通知", "实施细则", "通知 "] {
        let (temp, project) = example("zhuzhou-2019");
        edit_manifest(
            &project,
            "    数据: 责任清单.csv\n",
            &format!("    数据: 责任清单.csv\n    名称: \"{name}\"\n"),
        );
        let result = build(&project, &temp.path().join("out"));
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains("是同一个文件"), "{name}: {err}");
    }
}

#[test]
fn an_output_folder_on_an_input_project_is_refused() {
    let (temp, project) = example("zhuzhou-2019");
    let source = std::fs::read(project.join("实施细则.md")).unwrap();
    for out in [
        temp.path().to_path_buf(),
        project.clone(),
        project.join("output"),
    ] {
        let result = build(&project, &out);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{}: {err}", out.display());
        assert!(
            err.contains("输出文件夹") && err.contains("output folder"),
            "{err}"
        );
        assert_eq!(std::fs::read(project.join("实施细则.md")).unwrap(), source);
    }
    assert!(!project.join("output").exists());
    assert!(!project.join("zhuzhou-2019").exists());
    #[cfg(unix)]
    {
        let link = temp.path().join("elsewhere");
        std::os::unix::fs::symlink(&project, &link).unwrap();
        let result = build(&project, &link);
        assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
        assert_eq!(std::fs::read(project.join("实施细则.md")).unwrap(), source);
    }
}

#[test]
fn batch_units_that_share_a_folder_fail_before_anything_is_written() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("batch");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::copy(
        repo().join("inputs/schools-batch/qingdan.yaml"),
        project.join("qingdan.yaml"),
    )
    .unwrap();
    // Rows 2–9 collide in pairs or more; 一中 stays alone and must still be built.
    let schools = [
        "a/b", "a:b", "a*b", "a?b", "..", ".", "a.", "a", "School", "school", "ＡＢ", "ab", "一中",
    ];
    let mut csv = String::from("学校,姓名,职务,工作职责\n");
    for (i, school) in schools.iter().enumerate() {
        csv.push_str(&format!("\"{school}\",校长{i},校长,负责{i}\n"));
    }
    std::fs::write(project.join("总表.csv"), csv).unwrap();
    let out = temp.path().join("out");
    let result = build(&project, &out);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    for (folder, rows) in [
        ("a_b", &[2, 3, 4, 5][..]),
        ("_", &[6, 7]),
        ("a", &[8, 9]),
        ("School", &[10, 11]),
        ("ＡＢ", &[12, 13]),
    ] {
        assert!(
            err.contains(&format!("同一个文件夹“{folder}”")),
            "{folder}:\n{err}"
        );
        for row in rows {
            assert!(err.contains(&format!("第{row}）")), "row {row}:\n{err}");
        }
    }
    let built = files_under(&out.join("batch"));
    assert!(built.iter().any(|f| f.starts_with("一中/")), "{built:?}");
    let folders: std::collections::BTreeSet<&str> = built
        .iter()
        .filter_map(|f| f.split_once('/').map(|(d, _)| d))
        .collect();
    assert_eq!(
        folders.into_iter().collect::<Vec<_>>(),
        ["一中"],
        "{built:?}"
    );
}

#[test]
fn two_projects_with_one_folder_name_do_not_share_an_output() {
    let temp = tempfile::tempdir().unwrap();
    let a = temp.path().join("a/p");
    let b = temp.path().join("b/p");
    copy_dir(&repo().join("inputs/zhuzhou-2019"), &a);
    copy_dir(&repo().join("inputs/daligang-2019"), &b);
    let out = temp.path().join("out");
    let result = qingdan(&[
        "build".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--no-system-fonts".as_ref(),
    ]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("同名") && err.contains("same name"), "{err}");
    assert!(
        err.contains(&b.display().to_string()),
        "names the refused one\n{err}"
    );
    let built = files_under(&out.join("p"));
    assert!(
        built.contains(&"实施细则.md".to_owned()),
        "a is built: {built:?}"
    );
    assert!(
        !built.contains(&"实施意见.md".to_owned()),
        "b is not mixed in: {built:?}"
    );
}

/// A layout template that typst cannot compile, with the error on line 3.
const BROKEN_LAYOUT: &str = "// a user's layout\n#let gongwen(meta, body) = body\n#let part(meta, i, body) = { body + }\n#let colophon(meta) = []\n";

#[test]
fn a_pdf_failure_writes_nothing_of_the_set_and_names_the_template_line() {
    let (temp, project) = example("zhuzhou-2019");
    let out = temp.path().join("out");
    let first = build(&project, &out);
    assert!(first.status.success(), "{}", stderr(&first));
    let before: Vec<(String, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    // A change to the data and a broken template: the new Markdown must not land beside the
    // old PDFs.
    let csv = project.join("责任清单.csv");
    let changed = std::fs::read_to_string(&csv)
        .unwrap()
        .replacen("党委书记", "党委副书记", 1);
    std::fs::write(&csv, changed).unwrap();
    std::fs::create_dir_all(project.join("templates")).unwrap();
    let layout = project.join("templates/gongwen.typ");
    std::fs::write(&layout, BROKEN_LAYOUT).unwrap();
    for command in ["build", "check"] {
        let mut args = vec![command.as_ref(), project.as_os_str()];
        if command == "build" {
            args.extend(["-o".as_ref(), out.as_os_str()]);
        }
        args.push("--no-system-fonts".as_ref());
        let result = qingdan(&args);
        let err = stderr(&result);
        let stdout = String::from_utf8_lossy(&result.stdout).into_owned();
        assert_eq!(result.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains(&format!("{}:3", layout.display())),
            "{command}: names the template and line\n{err}"
        );
        assert!(
            !stdout.contains('✓'),
            "{command}: no success mark\n{stdout}"
        );
    }
    let after: Vec<(String, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert!(
        before == after,
        "the previous set is left exactly as it was"
    );
}

#[test]
fn check_compiles_too() {
    let (temp, project) = example("zhuzhou-2019");
    std::fs::create_dir_all(project.join("templates")).unwrap();
    std::fs::write(project.join("templates/gongwen.typ"), BROKEN_LAYOUT).unwrap();
    let result = qingdan(&[
        "check".as_ref(),
        project.as_os_str(),
        "--no-system-fonts".as_ref(),
    ]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("gongwen.typ:3"), "{err}");
    assert!(
        files_under(temp.path())
            .iter()
            .all(|f| f.starts_with("zhuzhou-2019/"))
    );
}

#[cfg(unix)]
#[test]
fn templates_and_manifests_linking_out_of_the_project_are_refused() {
    use std::os::unix::fs::symlink;
    let secret_text = "root:x:0:0:SECRET-CONTENT";
    for (what, make) in [
        ("templates/", 0),
        ("templates/gongwen.typ", 1),
        ("templates/document.md", 2),
        ("qingdan.yaml", 3),
    ] {
        let (temp, project) = example("zhuzhou-2019");
        let outside = temp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        for name in ["gongwen.typ", "document.md", "secret"] {
            std::fs::write(outside.join(name), secret_text).unwrap();
        }
        match make {
            0 => symlink(&outside, project.join("templates")).unwrap(),
            1 | 2 => {
                std::fs::create_dir_all(project.join("templates")).unwrap();
                let name = what.trim_start_matches("templates/");
                symlink(outside.join(name), project.join(what)).unwrap();
            }
            _ => {
                std::fs::remove_file(project.join("qingdan.yaml")).unwrap();
                symlink(outside.join("secret"), project.join("qingdan.yaml")).unwrap();
            }
        }
        let out = temp.path().join("out");
        let result = build(&project, &out);
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains("链接到项目文件夹之外"), "{what}: {err}");
        assert!(
            !err.contains("SECRET"),
            "{what}: never echoes the file\n{err}"
        );
        assert!(files_under(&out).is_empty(), "{what}: nothing written");
    }
}

#[test]
fn stale_temporaries_of_a_killed_run_are_removed() {
    let (temp, project) = example("zhuzhou-2019");
    let out = temp.path().join("out");
    let folder = out.join("zhuzhou-2019");
    std::fs::create_dir_all(&folder).unwrap();
    // What a run killed mid-write leaves: a partial PDF of qingdan's naming, from a process
    // that is gone (pid 0 is never one), and a file of the user's that merely looks alike.
    let stale = folder.join(".qingdan-0-Xy12ab.tmp");
    let users = folder.join("qingdan-notes.tmp");
    std::fs::write(&stale, b"%PDF-1.7 partial").unwrap();
    std::fs::write(&users, b"mine").unwrap();
    let result = build(&project, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    if Path::new("/proc/self").exists() {
        assert!(!stale.exists(), "the partial file is gone");
    }
    assert!(users.exists(), "a file qingdan did not write is kept");
    assert!(
        !files_under(&folder)
            .iter()
            .any(|f| f.starts_with(".qingdan-") && f != ".qingdan-state.json"),
        "{:?}",
        files_under(&folder)
    );
}

mod generated {
    //! Generated hostile names: whatever a manifest's 名称 or a batch sheet's 学校 says, qingdan
    //! does not panic, and writes nothing outside the output folder.

    use super::*;
    use proptest::prelude::*;

    /// Names built from the pieces that have broken file names before.
    fn hostile_name() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "..", ".", "/", "\\", ":", "*", "?", "\"", "<", ">", "|", "a", "A", "Ａ", "中",
                " ", "\u{3000}", "\u{202e}", "\u{200b}", "~", "$HOME", "C:", "{单位}", "\t",
            ]),
            1..6,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn nothing_is_written_outside_the_output_folder(
            name in hostile_name(),
            schools in prop::collection::vec(hostile_name(), 1..4),
        ) {
            let temp = tempfile::tempdir().unwrap();
            let project = temp.path().join("in/p");
            std::fs::create_dir_all(&project).unwrap();
            let quoted = |s: &str| serde_json::to_string(s).unwrap();
            std::fs::write(
                project.join("qingdan.yaml"),
                format!(
                    "机关: \"{{单位}}\"\n附件:\n  - 类型: 责任清单\n    标题: 清单\n    数据: 总表.csv\n    分组: 学校\n    名称: {}\n",
                    quoted(&name)
                ),
            )
            .unwrap();
            let mut csv = String::from("学校,姓名,职务,工作职责\n");
            for (i, school) in schools.iter().enumerate() {
                let cell = school.replace('"', "\"\"");
                csv.push_str(&format!("\"{cell}\",某{i},校长,职责{i}\n"));
            }
            std::fs::write(project.join("总表.csv"), csv).unwrap();
            let before = files_under(temp.path());
            let out = temp.path().join("out");
            let result = qingdan(&[
                "build".as_ref(),
                project.as_os_str(),
                "-o".as_ref(),
                out.as_os_str(),
                "--markdown-only".as_ref(),
            ]);
            let err = stderr(&result);
            prop_assert!(!err.contains("panicked"), "{}", err);
            prop_assert!(matches!(result.status.code(), Some(0 | 1)), "{:?}: {}", result.status, err);
            for file in files_under(temp.path()) {
                prop_assert!(
                    before.contains(&file) || file.starts_with("out/"),
                    "{} written outside the output folder", file
                );
            }
        }
    }
}
