//! The 责任清单 by post with extra columns, from CSV and from import: landscape, header on every
//! page, （续） labels, merged cells in the .docx.

use std::path::Path;
use std::process::Command;

use super::built;
use crate::common::qingdan_ok;

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
        for (r, row) in rows.iter().enumerate().take(5).skip(2) {
            assert_eq!(
                merge(row, c).as_deref(),
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
