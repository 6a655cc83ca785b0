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

/// The visible text of Markdown, white space removed.
fn folded(markdown: &str) -> String {
    use pulldown_cmark::Event;
    let mut out = String::new();
    for event in qingdan::markdown::parser(markdown) {
        if let Event::Text(t) | Event::Code(t) = event {
            out.push_str(&t);
        }
    }
    out.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The Markdown without its 附件说明 (`附件：…` and the lines after it).
fn without_attachment_note(markdown: &str) -> String {
    match markdown.find("\n附件：") {
        Some(i) => markdown[..=i].to_owned(),
        None => markdown.to_owned(),
    }
}

/// How often each character occurs in `text`.
fn char_counts(text: &str) -> BTreeMap<char, usize> {
    let mut counts = BTreeMap::new();
    for c in text.chars() {
        *counts.entry(c).or_default() += 1;
    }
    counts
}

/// From the PDF (read with `pdftotext -layout`): every document without a table comes back
/// the same. Tables cannot be read back from laid-out text, whose cells' lines interleave, so
/// their text comes back as paragraphs at the end of the issued document's body — every
/// character of it (counted) — and the documents holding a table (the attachments, 全文) and
/// the 附件说明 naming them are what differs.
#[test]
fn every_example_round_trips_through_its_pdf_text_but_its_tables() {
    let mut problems = Vec::new();
    let mut same = 0;
    for (i, set) in document_sets().iter().enumerate() {
        let scratch = built().join(format!("trip-pdf-{i}"));
        let _ = std::fs::remove_dir_all(&scratch);
        let (again, _) = import_and_build(&whole(set, "pdf"), &scratch);
        let first = markdown_of(set);
        let whole_name = whole(set, "md")
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let have = char_counts(
            &again
                .iter()
                .filter(|(n, _)| **n != "全文.md" || again.len() == 1)
                .map(|(_, m)| folded(m))
                .collect::<String>(),
        );
        let want = char_counts(&folded(&without_attachment_note(&first[&whole_name])));
        let lost: String = want
            .iter()
            .filter(|(c, n)| have.get(c).copied().unwrap_or(0) < **n)
            .map(|(c, _)| *c)
            .collect();
        if !lost.is_empty() {
            problems.push(format!("{}: characters lost: {lost}", set.display()));
        }
        for (name, md) in first.iter().filter(|(_, md)| !md.contains("| --- ")) {
            match again.get(name) {
                Some(other) if other == md => same += 1,
                // The issued document: the same up to its 附件说明, the tables' text after.
                Some(other)
                    if other.starts_with(&without_attachment_note(md))
                        && md != &without_attachment_note(md) =>
                {
                    same += 1
                }
                Some(other) => problems.push(diff(&format!("{} {name}", set.display()), md, other)),
                None => problems.push(format!("{}: {name} not made again", set.display())),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // 通知 and the issued document of zhuzhou, daligang and init's example, and the three variants.
    assert_eq!(same, 9);
}

/// The clauses of a text: what lies between sentence marks and line breaks, white space and
/// Word's bookmark marker removed.
fn clauses(text: &str) -> Vec<String> {
    text.replace("[bookmark: _GoBack]", "")
        .split(|c: char| "。；！？\n\t".contains(c))
        .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|c| c.chars().count() >= 2)
        .collect()
}

/// Each seed imported and built: the share of its clauses found word for word in the
/// Markdown, and the ones missing.
fn seed_share(seed: &str) -> (f64, Vec<String>, String) {
    let path = repo().join("tests/fixtures/seeds").join(seed);
    let scratch = built().join(format!("seed-{seed}"));
    let _ = std::fs::remove_dir_all(&scratch);
    let (markdown, report) = import_and_build(&path, &scratch);
    let generated: String = markdown
        .iter()
        .filter(|(name, _)| name.as_str() != "全文.md")
        .map(|(_, m)| m.lines().collect::<Vec<_>>().join("\n"))
        .map(|m| folded(&m.replace("<br>", "")))
        .collect();
    let all = clauses(&std::fs::read_to_string(&path).unwrap());
    let missed: Vec<String> = all
        .iter()
        .filter(|c| !generated.contains(c.as_str()))
        .cloned()
        .collect();
    (1.0 - missed.len() as f64 / all.len() as f64, missed, report)
}

#[test]
fn the_seeds_are_imported_and_their_clauses_reproduced_word_for_word() {
    for seed in [
        "000_c080a7ba038a0a1c.txt",
        "003_73bb61234b817ab7.txt",
        "004_c033ab8380c52e2a.txt",
    ] {
        let (share, missed, report) = seed_share(seed);
        eprintln!(
            "{seed}: {:.4} of the clauses reproduced; missed: {missed:?}",
            share
        );
        assert!(
            share >= 0.99,
            "{seed}: {share:.4}, missed {missed:?}\n{report}"
        );
        // The report names what it recognised, in both languages.
        assert!(
            report.contains("识别 / guess") && report.contains("read as"),
            "{report}"
        );
    }
}

/// Imports `file` as `qingdan import --dry-run` would not: into `scratch/project`, built; the
/// project's files are returned too.
fn import_files(
    file: &Path,
    scratch: &Path,
) -> (BTreeMap<String, String>, BTreeMap<String, String>, String) {
    let _ = std::fs::remove_dir_all(scratch);
    let (markdown, report) = import_and_build(file, scratch);
    let project = scratch.join("project");
    let files = std::fs::read_dir(&project)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p)
                    .unwrap()
                    .trim_start_matches('\u{FEFF}')
                    .to_owned(),
            )
        })
        .collect();
    (files, markdown, report)
}

/// A notice with a 责任清单 whose names are merged down their rows, as HTML: LibreOffice turns
/// it into a .docx of its own making.
const HTML_NOTICE: &str = "<html><head><meta charset=\"utf-8\"></head><body>\
<p align=\"center\"><font color=\"#ff0000\">某县教育局文件</font></p>\
<p align=\"center\">某教发〔2024〕3号</p>\
<p align=\"center\">某县教育局关于印发安全生产责任清单的通知</p>\
<p>各学校：</p><p>现将安全生产责任清单印发给你们，请认真执行。</p>\
<p>附件：某县教育局安全生产责任清单</p>\
<p align=\"right\">某县教育局</p><p align=\"right\">2024年3月1日</p>\
<p>附件</p><p align=\"center\">某县教育局安全生产责任清单</p>\
<table border=\"1\"><tr><td>姓名</td><td>职务</td><td>工作职责</td></tr>\
<tr><td rowspan=\"2\">张三</td><td rowspan=\"2\">局长</td><td>1. 全面负责安全工作。</td></tr>\
<tr><td>2. 每月带队检查一次。</td></tr>\
<tr><td>李四</td><td>副局长</td><td>1. 分管安全工作。</td></tr></table>\
</body></html>";

#[test]
fn a_docx_libreoffice_wrote_is_imported_with_its_merged_cells() {
    let temp = built().join("libreoffice");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let html = temp.join("notice.html");
    std::fs::write(&html, HTML_NOTICE).unwrap();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            temp.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&temp)
        .arg(&html)
        .env("HOME", &temp)
        .output()
        .expect("soffice runs (scripts/test installs LibreOffice)");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let (files, markdown, report) = import_files(&temp.join("notice.docx"), &temp.join("import"));
    let yaml = &files["qingdan.yaml"];
    assert!(
        yaml.contains("发文字号: 某教发〔2024〕3号"),
        "{yaml}\n{report}"
    );
    assert!(yaml.contains("主送: 各学校"), "{yaml}");
    assert!(yaml.contains("成文日期: 2024年3月1日"), "{yaml}");
    assert_eq!(
        files["责任清单.csv"],
        "姓名,职务,工作职责\n张三,局长,全面负责安全工作。\n,,每月带队检查一次。\n李四,副局长,分管安全工作。\n",
        "{report}"
    );
    assert!(markdown["附件-责任清单.md"].contains("|  |  | 2. 每月带队检查一次。 |"));
}

/// A 细则 with a table merged down (`vMerge`) and across (`gridSpan`), as python-docx writes it.
const PYTHON_DOCX: &str = r#"
import sys
from docx import Document
doc = Document()
doc.add_heading("某县应急管理局安全生产约谈办法", 0)
doc.add_paragraph("第一章 总则")
doc.add_paragraph("第一条 为规范约谈工作，制定本办法。")
doc.add_paragraph("第二条 约谈由局长主持。")
doc.add_paragraph("附件")
doc.add_paragraph("某县应急管理局约谈安排表")
table = doc.add_table(rows=4, cols=3)
for r, row in enumerate([["带队领导", "牵头部门", "约谈对象"], ["张三", "安监站", "甲企业"], ["", "执法队", "乙企业"], ["李四", "办公室", "丙企业"]]):
    for c, text in enumerate(row):
        table.cell(r, c).text = text
table.cell(1, 0).merge(table.cell(2, 0))
doc.save(sys.argv[1])
"#;

/// The Python with python-docx that `scripts/test` installs (`target/python`).
fn python() -> PathBuf {
    let venv = repo().join("target/python/bin/python");
    assert!(
        venv.is_file(),
        "{} is missing: scripts/test installs python-docx there",
        venv.display()
    );
    venv
}

#[test]
fn a_docx_python_docx_wrote_is_imported_with_its_merged_cells() {
    let temp = built().join("python-docx");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let docx = temp.join("办法.docx");
    let out = Command::new(python())
        .args(["-c", PYTHON_DOCX])
        .arg(&docx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (files, markdown, report) = import_files(&docx, &temp.join("import"));
    assert!(
        files["qingdan.yaml"].contains("类型: 办法"),
        "{}",
        files["qingdan.yaml"]
    );
    assert_eq!(
        files["办法.md"], "# 总则\n\n1. 为规范约谈工作，制定本办法。\n\n1. 约谈由局长主持。\n",
        "{report}"
    );
    assert_eq!(
        files["安排表.csv"],
        "带队领导,牵头部门,约谈对象\n张三,安监站,甲企业\n,执法队,乙企业\n李四,办公室,丙企业\n",
        "{report}"
    );
    let list = &markdown["附件-安排表.md"];
    assert!(
        list.contains("| 张　三 | 安监站 | 甲企业 |\n|  | 执法队 | 乙企业 |"),
        "{list}"
    );
}

/// A 意见 in Markdown, its measures an ordered list: pandoc gives Word's automatic numbering,
/// which the importer writes out.
const PANDOC_SOURCE: &str = "# 某县教育局关于加强校园安全工作的实施意见\n\n\
为加强校园安全工作，制定本意见。\n\n\
## 一、总体要求\n\n坚持安全第一、预防为主。\n\n\
## 二、工作措施\n\n1. 加强领导。成立工作专班。\n2. 落实责任。签订责任书。\n3. 强化检查。每月检查一次。\n";

#[test]
fn a_docx_pandoc_wrote_is_imported_with_its_list_numbers() {
    let temp = built().join("pandoc");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let source = temp.join("意见.md");
    std::fs::write(&source, PANDOC_SOURCE).unwrap();
    let docx = temp.join("意见.docx");
    let out = Command::new("pandoc")
        .arg(&source)
        .arg("-o")
        .arg(&docx)
        .output()
        .expect("pandoc runs (scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (files, markdown, report) = import_files(&docx, &temp.join("import"));
    let body = &files["实施意见.md"];
    assert!(body.contains("# 总体要求\n"), "{body}\n{report}");
    assert!(
        body.contains("1. 加强领导。成立工作专班。\n\n1. 落实责任。"),
        "{body}"
    );
    // 1. directly under 一、 prints as （一） in qingdan's numbering; the report says so.
    assert!(report.contains("（一）"), "{report}");
    assert!(
        markdown["实施意见.md"].contains("（三）强化检查。"),
        "{markdown:?}"
    );
}

/// A .docx of `body` (the inside of `<w:body>`), zipped as Word does.
fn docx_of(body: &str) -> Vec<u8> {
    docx_with("", body)
}

/// A .docx with `prolog` before its root element (a DTD, say).
fn docx_with(prolog: &str, body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// Runs `qingdan import` on `file` into `parent/project`, which must fail: its stderr, with the
/// folder's path made relative; nothing may be left in `parent`.
fn import_fails(file: &Path, parent: &Path) -> String {
    std::fs::create_dir_all(parent).unwrap();
    let out = qingdan(&[
        Path::new("import"),
        file,
        Path::new("-o"),
        &parent.join("project"),
    ]);
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let left: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let input_only = left.iter().all(|p| p == file);
    assert!(input_only, "left behind: {left:?}");
    let folder = file.parent().unwrap_or(parent);
    String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", folder.display()), "") + "\n"
}

/// Runs `qingdan import --dry-run`, reaping the child with wait4: its exit, the seconds it took
/// and its peak memory in MB.
#[cfg(unix)]
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also reports its peak memory"
)]
fn dry_run_measured(file: &Path, log: &Path) -> (bool, f64, i64) {
    let started = std::time::Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(["import", "--dry-run"])
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: waits once for our own child; `status` and `usage` are valid for writing, and
    // `usage` is read only after wait4 filled it.
    let usage = unsafe {
        assert_eq!(libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()), pid);
        usage.assume_init()
    };
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (ok, started.elapsed().as_secs_f64(), usage.ru_maxrss / 1024)
}

#[test]
fn hostile_files_are_refused_or_read_within_bounds_and_nothing_is_written() {
    let temp = built().join("hostile");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let mut messages = String::new();
    // A zip bomb: 200 MB of one paragraph deflated to a few hundred KB.
    let bomb = temp.join("bomb.docx");
    std::fs::write(&bomb, docx_of(&para(&" ".repeat(200 << 20)))).unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20);
    messages += &import_fails(&bomb, &temp.join("bomb"));
    // XML entities: a DTD is never read (no billion laughs).
    let entities = temp.join("entities.docx");
    let laughs = "<!DOCTYPE w:document [<!ENTITY a \"哈哈哈哈哈哈哈哈\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>";
    let bytes = docx_with(laughs, &para("&b;"));
    std::fs::write(&entities, bytes).unwrap();
    messages += &import_fails(&entities, &temp.join("entities"));
    // Not a .docx at all, and an old .doc (an OLE file) without LibreOffice to turn to.
    let renamed = temp.join("renamed.docx");
    std::fs::write(&renamed, "这是一段文字，不是 Word 文件。").unwrap();
    messages += &import_fails(&renamed, &temp.join("renamed"));
    let snapshot = repo().join("tests/fixtures/import/hostile.stderr");
    if let Some(d) = snapshots::differs(&messages, &snapshot) {
        panic!("{d}");
    }
    // Tables nested 3,000 deep: read, the inner ones' text kept in their cells.
    let mut nested = para("最里层的文字");
    for _ in 0..3_000 {
        nested = format!("<w:tbl><w:tr><w:tc>{nested}</w:tc></w:tr></w:tbl>");
    }
    let nest = temp.join("nested.docx");
    std::fs::write(
        &nest,
        docx_of(&format!("{}{}{nested}", para("附件"), para("某表"))),
    )
    .unwrap();
    let out = qingdan(&[Path::new("import"), Path::new("--dry-run"), &nest]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("nested in this cell"));
}

#[test]
#[cfg(unix)]
fn a_hundred_thousand_paragraphs_and_text_without_structure_are_read_within_bounds() {
    let temp = built().join("large");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let body: String = (1..=100_000)
        .map(|n| para(&format!("这是第{n}段文字，没有任何编号。")))
        .collect();
    let large = temp.join("large.docx");
    std::fs::write(&large, docx_of(&body)).unwrap();
    let log = temp.join("stderr.txt");
    let (ok, seconds, mb) = dry_run_measured(&large, &log);
    eprintln!("100,000 paragraphs: {seconds:.1} s, {mb} MB");
    // 4.9 MB of body text: more than a body may hold (2 MB), said, and nothing is written.
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(!ok && stderr.contains("larger than 2 MB"), "{stderr}");
    assert!(stderr.contains("inputs/导入的项目/实施意见.md"), "{stderr}");
    // Bounds against a runaway (quadratic time, a copy per paragraph), not speed targets.
    assert!(seconds < 120.0 && mb < 2_000, "{seconds:.1} s, {mb} MB");
    // Text with no structure at all: one 主件 of its paragraphs, built.
    let plain = temp.join("plain.txt");
    std::fs::write(
        &plain,
        "今天开会讨论了安全工作，大家发言踊跃。\n会议决定下周再检查一次，请各位准备。\n",
    )
    .unwrap();
    let (files, markdown, report) = import_files(&plain, &temp.join("plain"));
    assert!(files.contains_key("qingdan.yaml"), "{report}");
    let all: String = markdown.values().cloned().collect();
    assert!(all.contains("会议决定下周再检查一次"), "{all}");
}

/// The text of each page of `pdf`, laid out.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (scripts/test installs poppler-utils)");
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(str::to_owned)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// The lists by post of `dir` (a built set): 序号 | 岗位 | 安全工作职责 | 责任依据 | 追责情形 on
/// landscape pages, its header on every page, the post broken by pages labelled （续） on each
/// page it continues to (its first duty itself split by a page break); in the .docx, the 序号
/// and 岗位 merged down their rows, the header row repeated.
fn check_lists_by_post(dir: &Path) {
    let pdf = dir.join("附件1-责任清单.pdf");
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 4, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let header = page
            .lines()
            .find(|l| l.contains("安全工作职责"))
            .unwrap_or_default();
        for column in ["序号", "岗位", "责任依据", "追责情形"] {
            assert!(header.contains(column), "page {}: {header}", i + 1);
        }
        // Every page after the first opens inside 分管安全副校长's duties.
        if i > 0 && i + 1 < pages.len() {
            // pdftotext sets the wrapped label apart: 2（续） 分管安全副校长 / （续）.
            let squeezed: String = page.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                squeezed.contains("2（续）分管安全副校长") && page.matches("（续）").count() == 2,
                "page {} has not the two （续） labels:\n{page}",
                i + 1
            );
        }
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("841.89 x 595.276"));
    // The .docx: its table, as Word reads it.
    let docx = std::fs::read(dir.join("附件1-责任清单.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name((
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "tr",
            ))
        })
        .collect();
    let merge = |row: &roxmltree::Node, c: usize| {
        row.children()
            .filter(|n| n.tag_name().name() == "tc")
            .nth(c)
            .and_then(|tc| tc.descendants().find(|n| n.tag_name().name() == "vMerge"))
            .map(|v| {
                v.attributes()
                    .find(|a| a.name() == "val")
                    .map_or("continue", |a| a.value())
                    .to_owned()
            })
    };
    assert!(
        rows[0]
            .descendants()
            .any(|n| n.tag_name().name() == "tblHeader")
    );
    // 校长: four duties, its 序号 and 岗位 merged over them.
    for c in [0, 1] {
        assert_eq!(merge(&rows[1], c).as_deref(), Some("restart"));
        for r in 2..=4 {
            assert_eq!(
                merge(&rows[r], c).as_deref(),
                Some("continue"),
                "row {r}, column {c}"
            );
        }
        assert_eq!(merge(&rows[5], c).as_deref(), Some("restart"));
    }
    // The duty column is never merged; a post with one duty has no number.
    assert_eq!(merge(&rows[2], 2), None);
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains("1. 全面负责学校安全工作") && text.contains("负责本班学生的安全教育"));
    assert!(!text.contains("1. 负责本班学生"));
}

#[test]
fn lists_by_post_with_extra_columns_print_merged_and_continued_from_csv_and_from_import() {
    let built_set = built().join("out/post-list");
    check_lists_by_post(&built_set);
    // The same from the imported .docx, built again with PDFs.
    let scratch = built().join("post-list-import");
    let _ = std::fs::remove_dir_all(&scratch);
    let project = scratch.join("project");
    qingdan_ok(&[
        Path::new("import"),
        &built_set.join("全文.docx"),
        Path::new("-o"),
        &project,
    ]);
    let csv = std::fs::read_to_string(project.join("附件1-责任清单.csv")).unwrap();
    assert!(
        csv.starts_with("\u{FEFF}序号,岗位,安全工作职责,责任依据,追责情形\n1,校长,全面负责"),
        "{csv}"
    );
    let out = scratch.join("out");
    qingdan_ok(&[
        Path::new("build"),
        &project,
        Path::new("-o"),
        &out,
        Path::new("--no-system-fonts"),
    ]);
    check_lists_by_post(&out.join("project"));
}

/// What a dry run prints: the report and the files it would write, and nothing is written.
#[test]
fn a_dry_run_reports_and_writes_nothing_and_an_existing_folder_is_never_written_over() {
    let temp = built().join("dry-run");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(temp.join("inputs")).unwrap();
    let seed = repo().join("tests/fixtures/seeds/004_c033ab8380c52e2a.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .current_dir(&temp)
        .args(["import", "--dry-run"])
        .arg(&seed)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("表格1读作安排表：带队领导/牵头部门/检查范围（每月25日以前完成）"),
        "{stdout}"
    );
    assert!(stdout.contains("table 1 read as 安排表"), "{stdout}");
    assert!(stdout.contains("dry run: would write inputs/大栗港镇党政领导干部安全生产“党政同责、一岗双责”和“三个必须”的实施意见"), "{stdout}");
    assert!(stdout.contains("  安排表.csv（"), "{stdout}");
    assert_eq!(std::fs::read_dir(temp.join("inputs")).unwrap().count(), 0);
    // From standard input, into a folder that exists: refused, nothing touched.
    let existing = temp.join("inputs/已有");
    std::fs::create_dir_all(&existing).unwrap();
    std::fs::write(existing.join("qingdan.yaml"), "机关: 甲\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(["import", "-", "-o"])
        .arg(&existing)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        std::fs::read(&seed).unwrap().as_slice(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", temp.display()), "");
    let snapshot = repo().join("tests/fixtures/import/exists.stderr");
    if let Some(d) = snapshots::differs(&stderr, &snapshot) {
        panic!("{d}");
    }
    assert_eq!(
        std::fs::read_to_string(existing.join("qingdan.yaml")).unwrap(),
        "机关: 甲\n"
    );
    assert_eq!(std::fs::read_dir(&existing).unwrap().count(), 1);
}
