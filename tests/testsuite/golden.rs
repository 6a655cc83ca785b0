//! Golden tests: the bundled examples must reproduce the published documents in
//! `tests/fixtures/seeds/` (copies of the project's shared/seeds) word for word, and their Markdown must match the reviewed snapshots in
//! `tests/expected/` exactly (after a deliberate change, rewrite the snapshots with
//! `SNAPSHOTS=overwrite cargo test --test testsuite golden::`, then review the diff).

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Tag, TagEnd};
use qingdan::prepare_project;

use crate::snapshots;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text a reader sees in Markdown, block by block, without markup.
fn visible_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in qingdan::markdown::parser(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::InlineHtml(h) if h.starts_with("<br") => out.push('\n'),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableRow | TagEnd::TableHead,
            ) => out.push('\n'),
            Event::Start(Tag::TableCell) => out.push('\t'),
            _ => {}
        }
    }
    out
}

/// Folds away what a PDF text extraction changes: all white space (line and page breaks, the
/// ideographic spaces in 熊　丹 and 备　注) and the extraction's bookmark marker.
fn fold(text: &str) -> String {
    text.replace("[bookmark: _GoBack]", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

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
