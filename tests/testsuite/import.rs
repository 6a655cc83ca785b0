//! `qingdan import`: every example built, its .docx, Markdown and PDF imported and built again
//! (the round trip: the same Markdown, or the differences named); documents other writers made
//! (LibreOffice, python-docx with merged cells, pandoc with Word's list numbering); the three
//! seed texts (the share of their clauses reproduced word for word); the 责任清单 by post with
//! extra columns, from CSV and from import; hostile files; the messages, snapshotted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{qingdan, qingdan_ok, repo};
use crate::snapshots;

/// The projects every round trip starts from: the examples, the `init` example, two furniture
/// variants (a joint upward request under an organ seal; a signature seal with a remark and
/// 抄送), a body numbered in the other ways (半角, no space after 第N条, an unnumbered chapter),
/// and the lists by post.
const VARIANTS: [(&str, &str); 3] = [
    (
        "联合上行",
        "机关: 株洲市教育局\n\
         发文机关标志: [株洲市教育局, 株洲市应急管理局, 文件]\n\
         通知:\n  发文字号: 株教发〔2019〕12号\n  标题: 关于安全生产工作的请示\n\
         \x20 主送: 株洲市人民政府\n  正文: 现将有关情况报告如下，请审示。\n\
         \x20 签发人: [张三, 李四, 王五]\n  署名: [株洲市教育局, 株洲市应急管理局]\n\
         \x20 用印: 印章\n  成文日期: 2019年8月20日\n",
    ),
    (
        "签名章",
        "机关: 株洲市教育局\n\
         通知:\n  发文字号: 株教发〔2019〕13号\n  标题: 关于安全生产工作的通知\n\
         \x20 主送: 各县市区教育局\n  正文: 现将有关事项通知如下。\n  署名: 局长\n  用印: 签名章\n\
         \x20 成文日期: 2019年8月20日\n  附注: 此件公开发布\n  抄送: 市安委办。\n",
    ),
    (
        "版式",
        "机关: 某县应急管理局\n\
         版式:\n  括号: 半角\n  条号后: 无\n  章号后: 无\n  不编号章: [总则]\n\
         主件:\n  类型: 办法\n  标题: 某县应急管理局安全生产约谈办法\n  正文: |\n\
         \x20   # 总则\n\n    1. 为规范约谈工作，制定本办法。\n\n    # 约谈情形\n\n\
         \x20   1. 有下列情形之一的，进行约谈：\n\n       1. 发生较大事故的；\n\n       1. 隐患整改不力的。\n\n\
         \x20   1. 本办法自印发之日起施行。\n",
    ),
];

/// Where the shared build lives: the projects, and the output of building them.
fn built() -> &'static PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let temp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("import");
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp).unwrap();
        let mut projects: Vec<PathBuf> = [
            "zhuzhou-2019",
            "jilin-task-division",
            "daligang-2019",
            "schools-batch",
        ]
        .iter()
        .map(|p| repo().join("inputs").join(p))
        .collect();
        let init = temp.join("示例");
        qingdan_ok(&[Path::new("init"), &init]);
        projects.push(init);
        projects.push(repo().join("tests/fixtures/post-list"));
        for (name, manifest) in VARIANTS {
            let dir = temp.join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("qingdan.yaml"), manifest).unwrap();
            projects.push(dir);
        }
        let out = temp.join("out");
        let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref()];
        args.extend(projects.iter().map(|p| p.as_os_str()));
        args.extend(["-o".as_ref(), out.as_os_str(), "--no-system-fonts".as_ref()]);
        qingdan_ok(&args);
        temp
    })
}

/// Every built document set: a project's output folder, or a batch unit's.
fn document_sets() -> Vec<PathBuf> {
    let out = built().join("out");
    let mut sets = Vec::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("索引.md").is_file() {
            for unit in std::fs::read_dir(&dir).unwrap() {
                let unit = unit.unwrap().path();
                if unit.is_dir() {
                    sets.push(unit);
                }
            }
        } else if dir.is_dir() {
            sets.push(dir);
        }
    }
    sets.sort();
    sets
}

/// The file of a set that holds the whole document: 全文, or its one document.
fn whole(set: &Path, ext: &str) -> PathBuf {
    let all = set.join(format!("全文.{ext}"));
    if all.is_file() {
        return all;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(set)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    found.sort();
    assert_eq!(found.len(), 1, "{}: {found:?}", set.display());
    found.remove(0)
}

/// The Markdown files of a built set, by name.
fn markdown_of(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// Imports `file` into a new folder under `scratch`, builds its Markdown, and returns the
/// Markdown files and the report.
fn import_and_build(file: &Path, scratch: &Path) -> (BTreeMap<String, String>, String) {
    let project = scratch.join("project");
    let out = qingdan(&[Path::new("import"), file, Path::new("-o"), &project]);
    assert!(
        out.status.success(),
        "import {} failed:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    let built = scratch.join("out");
    qingdan_ok(&[
        Path::new("build"),
        &project,
        Path::new("-o"),
        &built,
        Path::new("--formats"),
        Path::new("md"),
    ]);
    (markdown_of(&built.join("project")), report)
}

/// The line-by-line differences between two texts, for a failure message.
fn diff(name: &str, want: &str, got: &str) -> String {
    let mut out = format!("{name}:\n");
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (
            w.get(i).copied().unwrap_or("∅"),
            g.get(i).copied().unwrap_or("∅"),
        );
        if a != b {
            out.push_str(&format!(
                "  line {}:\n    built:    {a}\n    imported: {b}\n",
                i + 1
            ));
        }
    }
    out
}

/// Builds, imports `ext` of every set, builds again, and gives the differences per set.
fn round_trip(ext: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, set) in document_sets().iter().enumerate() {
        let scratch = built().join(format!("trip-{ext}-{i}"));
        let _ = std::fs::remove_dir_all(&scratch);
        let (again, _) = import_and_build(&whole(set, ext), &scratch);
        let first = markdown_of(set);
        if first != again {
            let mut text = format!("{} (from {ext}):\n", set.display());
            for (name, md) in &first {
                match again.get(name) {
                    Some(other) if other == md => {}
                    Some(other) => text.push_str(&diff(name, md, other)),
                    None => text.push_str(&format!("{name}: not made again\n")),
                }
            }
            for name in again.keys().filter(|n| !first.contains_key(*n)) {
                text.push_str(&format!("{name}: made, not there before\n"));
            }
            problems.push(text);
        }
    }
    problems
}

#[test]
fn every_example_round_trips_through_its_docx() {
    let problems = round_trip("docx");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(document_sets().len() >= 12);
}

#[test]
fn every_example_round_trips_through_its_markdown() {
    let problems = round_trip("md");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
