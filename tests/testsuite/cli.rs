//! The command line as a shell user drives it: a closed standard output (`qingdan … | head`)
//! and absurd `--jobs` values.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::common::{build_ok, qingdan_ok, repo};

/// Runs `qingdan args` with standard output a pipe whose read end is already closed, as in
/// `qingdan … | true`, and with standard error too when `stderr_too` (`qingdan … 2>&1 | true`).
fn with_output_closed(args: &[OsString], stderr_too: bool) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let stderr = if stderr_too {
        Stdio::from(writer.try_clone().unwrap())
    } else {
        Stdio::piped()
    };
    crate::common::command()
        .args(args)
        .stdout(writer)
        .stderr(stderr)
        .output()
        .unwrap()
}

fn os(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    args.iter().map(|a| a.as_ref().to_owned()).collect()
}

#[test]
fn a_closed_stdout_ends_the_report_not_the_work() {
    let temp = tempfile::tempdir().unwrap();
    let example = repo().join("inputs/daligang-2019");
    let out = temp.path().join("out");
    let built = temp.path().join("built");
    build_ok(&[&example], &built);
    let pdf = built.join("daligang-2019/通知.pdf");
    let new_project = temp.path().join("新项目");
    // (subcommand, arguments, exit code when it works)
    let cases: Vec<(&str, Vec<OsString>, i32)> = vec![
        (
            "build",
            os(&[&"build", &example, &"-o", &out, &"--no-system-fonts"]),
            0,
        ),
        ("check", os(&[&"check", &example]), 0),
        ("check --layout", os(&[&"check", &"--layout", &pdf]), 0),
        ("diff", os(&[&"diff", &example, &example]), 0),
        ("init", os(&[&"init", &new_project]), 0),
        // A failing check still says so by its exit code.
        (
            "check (errors)",
            os(&[&"check", &repo().join("tests/fixtures/bad/unknown-column")]),
            1,
        ),
    ];
    for (name, args, code) in cases {
        let output = with_output_closed(&args, false);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{name}: {stderr}");
        // A panic would exit with 101.
        let both = with_output_closed(&args, true);
        assert_eq!(both.status.code(), Some(code), "{name}, 2>&1 closed");
    }
    // The work was done: the documents were written, and so was the new project.
    for file in ["通知.md", "通知.pdf", "全文.pdf"] {
        assert!(out.join("daligang-2019").join(file).is_file(), "{file}");
    }
    assert!(new_project.join("qingdan.yaml").is_file());
}

#[test]
fn too_many_jobs_are_capped_with_a_note() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    qingdan_ok(&[Path::new("init"), &project]);
    let out = temp.path().join("out");
    let output = qingdan_ok(&[
        Path::new("build"),
        &project,
        Path::new("-o"),
        &out,
        Path::new("--no-system-fonts"),
        Path::new("--jobs"),
        Path::new("1000"),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("注意 / note: --jobs 1000 超过上限"),
        "{stderr}"
    );
    assert!(out.join("p/全文.pdf").is_file());
    let help = qingdan_ok(&["build", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("twice the number of cores"), "{help}");
}

#[test]
fn a_truncated_font_in_font_path_is_named_in_a_warning() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    qingdan_ok(&[Path::new("init"), &project]);
    let fonts = temp.path().join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    let whole = std::fs::read(repo().join("assets/fonts/FandolFang-Regular.otf")).unwrap();
    std::fs::write(fonts.join("仿宋-截断.otf"), &whole[..whole.len() / 3]).unwrap();
    let out = temp.path().join("out");
    let output = qingdan_ok(&[
        Path::new("build"),
        &project,
        Path::new("-o"),
        &out,
        Path::new("--no-system-fonts"),
        Path::new("--font-path"),
        &fonts,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("仿宋-截断.otf") && stderr.contains("文件被截断"),
        "{stderr}"
    );
    assert!(out.join("p/通知.pdf").is_file());
}

/// `qingdan init`'s manifest lists every 版式 key with its values (issue 21, settings that fail
/// silently), and the block, uncommented as written, is a valid manifest.
#[test]
fn the_init_manifest_lists_every_layout_key_and_uncommented_it_builds() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    qingdan_ok(&[Path::new("init"), &project]);
    let manifest = project.join("qingdan.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    for key in [
        "行距",
        "加粗",
        "括号",
        "条号后",
        "章号后",
        "不编号章",
        "章标题字号",
        "版记位置",
    ] {
        assert!(text.contains(&format!("#   {key}: ")), "{key} in {text}");
    }
    let uncommented: String = text
        .lines()
        .map(|l| {
            let l = l
                .strip_prefix("# 版式:")
                .map_or(l.to_owned(), |r| format!("版式:{r}"));
            l.strip_prefix("#   ")
                .map_or(l.clone(), |r| format!("  {r}"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&manifest, uncommented).unwrap();
    build_ok(&[&project], &temp.path().join("out"));
}

/// A notice signed but not dated is built with a warning (issue 21, settings that fail
/// silently); signed and dated, or neither (the 株洲 example), without.
#[test]
fn a_notice_without_its_date_is_warned_about() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    std::fs::create_dir_all(&project).unwrap();
    let base = "机关: 株洲市教育局\n通知:\n  发文字号: 株教发〔2019〕12号\n  标题: 关于安全生产工作的通知\n  正文: 现将有关事项通知如下。\n";
    for (extra, warned) in [
        ("  署名: 株洲市教育局\n", Some("有署名而没有成文日期")),
        ("", None),
        ("  署名: 株洲市教育局\n  成文日期: 2019年8月20日\n", None),
    ] {
        std::fs::write(project.join("qingdan.yaml"), format!("{base}{extra}")).unwrap();
        let output = crate::common::qingdan(&[Path::new("check"), &project]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        match warned {
            Some(message) => assert!(stderr.contains(message), "{extra}: {stderr}"),
            None => assert!(!stderr.contains("成文日期"), "{extra}: {stderr}"),
        }
    }
}

/// `--timings` prints one line per stage of the build, in order.
#[test]
fn timings_name_every_stage_of_the_build() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let example = repo().join("inputs/zhuzhou-2019");
    let output = qingdan_ok(&[
        Path::new("build"),
        &example,
        Path::new("-o"),
        &out,
        Path::new("--formats"),
        Path::new("md,docx"),
        Path::new("--timings"),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let timings = stdout
        .split_once("用时 / timings:\n")
        .unwrap_or_else(|| panic!("{stdout}"))
        .1;
    let stages: Vec<&str> = timings
        .lines()
        .map(|line| line.rsplit(" / ").next().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "prepare", "fonts", "markup", "plan", "compile", "docx", "write", "index"
        ],
        "{stdout}"
    );
    for line in timings.lines() {
        let seconds: f64 = line.trim().split(' ').next().unwrap().parse().unwrap();
        assert!(seconds >= 0.0, "{line}");
    }
}
