//! Golden tests: the bundled examples must reproduce the published documents in
//! `tests/fixtures/seeds/` (copies of the project's shared/seeds) word for word, and what they
//! are built into must match the reviewed snapshots in `tests/expected/<project>/` exactly: the
//! Markdown (`<doc>.md`), the Typst each PDF is compiled from (`typst/<doc>.typ` and
//! `typst/<doc>.meta.json`, as `--emit-typst` writes them) and the .docx's text and layout
//! (`docx/<doc>.document.xml`), so that any change to what qingdan writes shows as a line diff
//! to review. After a deliberate change, rewrite the snapshots with
//! `SNAPSHOTS=overwrite cargo test --test testsuite golden::`, then review `git diff`.

use std::path::{Path, PathBuf};

use qingdan::prepare_project;

use crate::common::{self, fold, repo, visible_text};
use crate::snapshots;

/// Asserts equality, showing the first difference in context.
fn assert_same_text(generated: &str, seed: &str, what: &str) {
    if generated == seed {
        return;
    }
    let g: Vec<char> = generated.chars().collect();
    let s: Vec<char> = seed.chars().collect();
    let at = g.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let context = |v: &[char]| {
        v[at.saturating_sub(30)..(at + 40).min(v.len())]
            .iter()
            .collect::<String>()
    };
    panic!(
        "{what}: generated text differs from the seed at character {at}\n generated: …{}…\n seed:      …{}…",
        context(&g),
        context(&s)
    );
}

fn seed(name: &str) -> String {
    let path = repo().join("tests/fixtures/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bundle_markdown(project: &str) -> String {
    let prepared = prepare_project(&repo().join("inputs").join(project))
        .unwrap_or_else(|d| panic!("{project} has errors:\n{d}"));
    assert!(
        prepared.warnings.is_empty(),
        "{project} has warnings:\n{}",
        prepared.warnings
    );
    let doc = prepared
        .documents
        .iter()
        .max_by_key(|d| d.parts.len())
        .expect("at least one document");
    doc.markdown.clone()
}

#[test]
fn zhuzhou_reproduces_seed_000() {
    let generated = fold(&visible_text(&bundle_markdown("zhuzhou-2019")));
    // The published table repeats its header row on every page; ours is one table.
    let header = "姓名职务工作职责";
    let mut expected = fold(&seed("000_c080a7ba038a0a1c.txt"));
    let first = expected.find(header).expect("seed has the table header") + header.len();
    expected = format!(
        "{}{}",
        &expected[..first],
        expected[first..].replace(header, "")
    );
    assert_same_text(&generated, &expected, "zhuzhou-2019");
}

#[test]
fn jilin_task_division_reproduces_seed_003() {
    let generated = fold(&visible_text(&bundle_markdown("jilin-task-division")));
    let expected = fold(&seed("003_73bb61234b817ab7.txt"));
    assert_same_text(&generated, &expected, "jilin-task-division");
}

#[test]
fn daligang_reproduces_seed_004() {
    let generated = fold(&visible_text(&bundle_markdown("daligang-2019")));
    // The seed labels its attachment page "附件："; GB/T 9704 7.3.7 (and our output) says "附件".
    let expected = fold(&seed("004_c033ab8380c52e2a.txt")).replacen(
        "附件：大栗港镇党政领导带队检查安排表附件：",
        "附件：大栗港镇党政领导带队检查安排表附件",
        1,
    );
    assert_same_text(&generated, &expected, "daligang-2019");
}

/// Every generated Markdown file equals its reviewed snapshot.
#[test]
fn markdown_matches_reviewed_snapshots() {
    let mut problems = Vec::new();
    for project in ["zhuzhou-2019", "jilin-task-division", "daligang-2019"] {
        let prepared =
            prepare_project(&repo().join("inputs").join(project)).expect("example builds");
        for doc in &prepared.documents {
            let path: PathBuf = repo()
                .join("tests/expected")
                .join(project)
                .join(format!("{}.md", doc.name));
            if let Some(diff) = snapshots::differs(&doc.markdown, &path) {
                problems.push(format!("{} differs:\n{diff}", rel(&path)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn rel(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The Typst source and the .docx `document.xml` of every document of the bundled examples (the
/// shared build) equal their reviewed snapshots. `meta.json` is compared pretty-printed, and
/// `document.xml` one element to a line, so that a change reads as a line diff.
#[test]
fn typst_and_docx_match_reviewed_snapshots() {
    let mut problems = Vec::new();
    let mut compared = 0;
    for project in common::EXAMPLES {
        let built = common::examples().join(project);
        let expected = repo().join("tests/expected").join(project);
        for markdown in walkdir::WalkDir::new(&built)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("索引.md"))
        {
            let dir = markdown.parent().unwrap();
            let name = markdown.file_stem().unwrap().to_string_lossy().into_owned();
            let unit = dir.strip_prefix(&built).unwrap();
            let typst = dir.join("typst").join(&name);
            let main = std::fs::read_to_string(typst.join("main.typ")).unwrap();
            let meta = pretty_json(&std::fs::read(typst.join("meta.json")).unwrap());
            let xml = crate::docx::parts(&dir.join(format!("{name}.docx")))
                .remove("word/document.xml")
                .expect("document.xml");
            let xml = pretty_xml(&xml);
            let snapshot = expected.join(unit);
            for (actual, path) in [
                (main, snapshot.join("typst").join(format!("{name}.typ"))),
                (
                    meta,
                    snapshot.join("typst").join(format!("{name}.meta.json")),
                ),
                (
                    xml,
                    snapshot.join("docx").join(format!("{name}.document.xml")),
                ),
            ] {
                compared += 1;
                if let Some(diff) = snapshots::differs(&actual, &path) {
                    problems.push(format!("{} differs:\n{diff}", rel(&path)));
                }
            }
        }
    }
    assert!(compared >= 3 * 9, "{compared} snapshots compared");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `xml` re-written one element to a line, indented by depth, text left as it is (a real XML
/// reader and writer: quick-xml).
fn pretty_xml(xml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 1);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            event => writer.write_event(event).unwrap(),
        }
    }
    let mut out = String::from_utf8(writer.into_inner()).unwrap();
    out.push('\n');
    out
}

/// `json` pretty-printed.
fn pretty_json(json: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(json).expect("valid JSON");
    serde_json::to_string_pretty(&value).unwrap() + "\n"
}
