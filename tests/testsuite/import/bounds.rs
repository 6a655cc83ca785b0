//! Hostile files (a zip bomb, XML entities, a renamed file, tables nested deep, 100,000
//! paragraphs, text without structure): refused or read within bounds, nothing written; a dry
//! run writes nothing; an existing folder is never written over.

use std::path::Path;

use super::{built, import_files};
use crate::common::{qingdan, repo};
use crate::snapshots;

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
#[cfg(target_os = "linux")]
fn a_hundred_thousand_paragraphs_and_text_without_structure_are_read_within_bounds() {
    let temp = built().join("large");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let body: String = (1..=100_000)
        .map(|n| para(&format!("这是第{n}段文字，没有任何编号。")))
        .collect();
    let large = temp.join("large.docx");
    std::fs::write(&large, docx_of(&body)).unwrap();
    let started = std::time::Instant::now();
    let run = crate::common::qingdan_measured(
        &[Path::new("import"), Path::new("--dry-run"), &large],
        &temp.join("measured"),
    );
    let (seconds, mb) = (started.elapsed().as_secs_f64(), run.peak / 1024);
    eprintln!("100,000 paragraphs: {seconds:.1} s, {mb} MB");
    // 4.9 MB of body text: more than a body may hold (2 MB), said, and nothing is written.
    assert!(
        run.code == Some(1) && run.stderr.contains("larger than 2 MB"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("inputs/导入的项目/实施意见.md"),
        "{}",
        run.stderr
    );
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

/// What a dry run prints: the report and the files it would write, and nothing is written.
#[test]
fn a_dry_run_reports_and_writes_nothing_and_an_existing_folder_is_never_written_over() {
    let temp = built().join("dry-run");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(temp.join("inputs")).unwrap();
    let seed = repo().join("tests/fixtures/seeds/004_c033ab8380c52e2a.txt");
    let out = crate::common::command()
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
    let mut child = crate::common::command()
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
