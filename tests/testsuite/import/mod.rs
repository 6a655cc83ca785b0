//! `qingdan import`: every example built, its .docx, Markdown and PDF imported and built again
//! (the round trip: the same Markdown, or the differences named); documents other writers made
//! (LibreOffice, python-docx with merged cells, pandoc with Word's list numbering); the three
//! seed texts (the share of their clauses reproduced word for word); the 责任清单 by post with
//! extra columns, from CSV and from import; hostile files; the messages, snapshotted.
//!
//! `writers` (documents other programs wrote), `bounds` (hostile files, a dry run, an existing
//! folder) and `lists` (the 责任清单 by post) are in modules of their own; the shared build and
//! the helpers are here.

mod bounds;
mod lists;
mod writers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{build_ok, examples, qingdan, qingdan_ok, repo};

/// Besides the examples, the `init` example, the furniture variants (`common`) and the lists by
/// post, every round trip starts from a body numbered in the other ways: 半角, no space after
/// 第N条 or 第N章, an unnumbered chapter.
const VARIANTS: [(&str, &str); 1] = [(
    "版式",
    "机关: 某县应急管理局\n\
         版式:\n  括号: 半角\n  条号后: 无\n  章号后: 无\n  不编号章: [总则]\n\
         主件:\n  类型: 办法\n  标题: 某县应急管理局安全生产约谈办法\n  正文: |\n\
         \x20   # 总则\n\n    1. 为规范约谈工作，制定本办法。\n\n    # 约谈情形\n\n\
         \x20   1. 有下列情形之一的，进行约谈：\n\n       1. 发生较大事故的；\n\n       1. 隐患整改不力的。\n\n\
         \x20   1. 本办法自印发之日起施行。\n",
)];

/// Where this module's scratch lives, and the output of building the projects only it needs:
/// the lists by post and the [`VARIANTS`] (the examples, `init`'s and the furniture variants are
/// built once for every module, [`crate::common::examples`]).
pub(super) fn built() -> &'static PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let temp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("import");
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp).unwrap();
        let mut projects = vec![repo().join("tests/fixtures/post-list")];
        for (name, manifest) in VARIANTS {
            let dir = temp.join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("qingdan.yaml"), manifest).unwrap();
            projects.push(dir);
        }
        let refs: Vec<&Path> = projects.iter().map(PathBuf::as_path).collect();
        build_ok(&refs, &temp.join("out"));
        temp
    })
}

/// Every built document set: a project's output folder, or a batch unit's, of the shared build
/// and of this module's (not the Typst sources the shared build emits, in `typst/`).
pub(super) fn document_sets() -> Vec<PathBuf> {
    let mut sets = Vec::new();
    for out in [examples(), built().join("out").as_path()] {
        for entry in std::fs::read_dir(out).unwrap() {
            let dir = entry.unwrap().path();
            if dir.join("索引.md").is_file() {
                for unit in std::fs::read_dir(&dir).unwrap() {
                    let unit = unit.unwrap().path();
                    if unit.is_dir() && !unit.ends_with("typst") {
                        sets.push(unit);
                    }
                }
            } else if dir.is_dir() {
                sets.push(dir);
            }
        }
    }
    sets.sort();
    sets
}

/// The file of a set that holds the whole document: 全文, or its one document.
pub(super) fn whole(set: &Path, ext: &str) -> PathBuf {
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
pub(crate) fn markdown_of(dir: &Path) -> BTreeMap<String, String> {
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
pub(super) fn import_and_build(file: &Path, scratch: &Path) -> (BTreeMap<String, String>, String) {
    let project = scratch.join("project");
    let out = qingdan(&[Path::new("import"), file, Path::new("-o"), &project]);
    assert!(
        out.status.success(),
        "import {} failed:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    (built_markdown(&project, &scratch.join("out")), report)
}

/// Builds `project`'s Markdown into `out`; its files, by name.
pub(super) fn built_markdown(project: &Path, out: &Path) -> BTreeMap<String, String> {
    qingdan_ok(&[
        Path::new("build"),
        project,
        Path::new("-o"),
        out,
        Path::new("--formats"),
        Path::new("md"),
    ]);
    markdown_of(&out.join(project.file_name().unwrap()))
}

/// The line-by-line differences between two texts, for a failure message.
pub(super) fn diff(name: &str, want: &str, got: &str) -> String {
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
pub(super) fn round_trip(ext: &str) -> Vec<String> {
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
pub(super) fn folded(markdown: &str) -> String {
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
pub(super) fn without_attachment_note(markdown: &str) -> String {
    match markdown.find("\n附件：") {
        Some(i) => markdown[..=i].to_owned(),
        None => markdown.to_owned(),
    }
}

/// How often each character occurs in `text`.
pub(super) fn char_counts(text: &str) -> BTreeMap<char, usize> {
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
pub(super) fn clauses(text: &str) -> Vec<String> {
    text.replace("[bookmark: _GoBack]", "")
        .split(|c: char| "。；！？\n\t".contains(c))
        .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|c| c.chars().count() >= 2)
        .collect()
}

/// Each seed imported and built: the share of its clauses found word for word in the
/// Markdown, and the ones missing.
pub(super) fn seed_share(seed: &str) -> (f64, Vec<String>, String) {
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
pub(super) fn import_files(
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

/// A PDF (or .doc) piped on standard input is converted from the bytes read, as the same file
/// named is: it was once read again from its name, `-`, which holds nothing there.
#[test]
fn a_pdf_on_standard_input_is_imported_as_the_same_file_named() {
    let pdf = examples().join("zhuzhou-2019/通知.pdf");
    let scratch = built().join("stdin-pdf");
    let _ = std::fs::remove_dir_all(&scratch);
    let (named, _) = import_and_build(&pdf, &scratch.join("named"));
    let project = scratch.join("piped/project");
    let out = crate::common::command()
        .args(["import", "-", "-o"])
        .arg(&project)
        .stdin(std::fs::File::open(&pdf).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(built_markdown(&project, &scratch.join("piped/out")), named);
}
