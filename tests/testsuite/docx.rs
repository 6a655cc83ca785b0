//! The .docx outputs, opened as Word opens them — a zip of XML parts, read with a real zip and
//! XML reader — and checked by their structure: page setup and grid, fonts per role, heading
//! styles, merged cells against the model's groups, repeated header rows, landscape sections,
//! footers with PAGE fields, the 版记; their text against the Markdown's; their bytes from one
//! build to the next. Then LibreOffice converts them to PDF and `qingdan check --layout`
//! measures the result.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, build_ok, fold, qingdan, qingdan_ok, repo, visible_text};
use qingdan::model::AttachmentContent;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The parts of a .docx, by name.
pub(crate) fn parts(docx: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(docx).unwrap_or_else(|e| panic!("{}: {e}", docx.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        parts.insert(name, text);
    }
    parts
}

/// Elements named `name` (in the WordprocessingML namespace) under `node`, in document order.
fn all<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.descendants()
        .filter(|n| n.has_tag_name((W, name)))
        .collect()
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((W, name)))
}

fn val<'a>(node: roxmltree::Node<'a, '_>, attr: &str) -> Option<&'a str> {
    node.attribute((W, attr))
}

/// The text of `node`: its `w:t`, in order.
fn text(node: roxmltree::Node) -> String {
    all(node, "t").iter().filter_map(|t| t.text()).collect()
}

/// Every .docx of the shared build of the examples ([`common::examples`]), sorted.
pub(crate) fn built() -> &'static Vec<PathBuf> {
    static BUILT: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let mut docx: Vec<PathBuf> = walkdir::WalkDir::new(common::examples())
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "docx"))
            .collect();
        docx.sort();
        docx
    })
}

fn out() -> PathBuf {
    common::examples().to_path_buf()
}

#[test]
fn every_markdown_file_has_a_docx_with_the_same_text() {
    let mut markdown = 0;
    for entry in walkdir::WalkDir::new(out())
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") || path.ends_with("索引.md") {
            continue;
        }
        markdown += 1;
        let docx = path.with_extension("docx");
        assert!(docx.is_file(), "{} has no .docx", path.display());
        let xml = parts(&docx)
            .remove("word/document.xml")
            .expect("document.xml");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let generated = fold(&text(doc.root()));
        let expected = fold(&visible_text(&std::fs::read_to_string(path).unwrap()));
        assert_eq!(generated, expected, "{}", docx.display());
    }
    // 4 + 1 + 3 documents of the examples, 5 units of the batch, 3 of the init example.
    assert!(markdown >= 15, "{markdown} Markdown files");
    assert_eq!(markdown, built().len());
}

#[test]
fn pages_are_a4_with_the_type_area_and_a_22_line_grid() {
    for docx in built() {
        let xml = &parts(docx)["word/document.xml"];
        let doc = roxmltree::Document::parse(xml).unwrap();
        let sections = all(doc.root(), "sectPr");
        assert!(!sections.is_empty());
        for section in sections {
            let size = child(section, "pgSz").unwrap();
            let margin = child(section, "pgMar").unwrap();
            let grid = child(section, "docGrid").unwrap();
            let landscape = val(size, "orient") == Some("landscape");
            let (w, h) = if landscape {
                ("16838", "11906")
            } else {
                ("11906", "16838")
            };
            assert_eq!((val(size, "w"), val(size, "h")), (Some(w), Some(h)));
            // 37 / 35 mm top and bottom, 28 / 26 mm left and right, on the sheet.
            let m = |a| val(margin, a).unwrap();
            if landscape {
                assert_eq!(
                    [m("top"), m("bottom"), m("left"), m("right")],
                    ["1587", "1474", "1984", "2098"]
                );
            } else {
                assert_eq!(
                    [m("top"), m("bottom"), m("left"), m("right")],
                    ["2098", "1984", "1587", "1474"]
                );
            }
            let pitch: f64 = val(grid, "linePitch").unwrap().parse().unwrap();
            assert_eq!(pitch, 579.0, "Word's 28.95 pt 公文 grid");
            assert!(22.0 * pitch <= 16838.0 - 2098.0 - 1984.0, "22 lines fit");
            assert!(23.0 * pitch > 16838.0 - 2098.0 - 1984.0, "and no more");
            assert_eq!(val(grid, "type"), Some("lines"));
            // Odd and even footers in every section.
            let kinds: Vec<&str> = all(section, "footerReference")
                .iter()
                .filter_map(|f| val(*f, "type"))
                .collect();
            assert_eq!(kinds, ["default", "even"], "{}", docx.display());
        }
    }
}

#[test]
fn body_text_is_3hao_fangsong_justified_with_a_two_character_indent_on_the_grid() {
    let docx = out().join("zhuzhou-2019/实施细则.docx");
    let styles = &parts(&docx)["word/styles.xml"];
    let doc = roxmltree::Document::parse(styles).unwrap();
    let style = |id: &str| {
        all(doc.root(), "style")
            .into_iter()
            .find(|s| val(*s, "styleId") == Some(id))
            .unwrap_or_else(|| panic!("style {id}"))
    };
    let normal = style("Normal");
    let size = all(normal, "sz")[0];
    assert_eq!(val(size, "val"), Some("32"));
    assert_eq!(val(all(normal, "jc")[0], "val"), Some("both"));
    // Two characters of 15.75 pt.
    let ind = all(normal, "ind")[0];
    assert_eq!(val(ind, "firstLine"), Some("630"));
    // And in Word's own unit, so it stays two characters at another size.
    assert_eq!(val(ind, "firstLineChars"), Some("200"));
    // Every other indent says its own first line in characters (0), or Normal's 200 would win
    // over its twips in Word; only a quotation's two characters may inherit it.
    for part in ["word/styles.xml", "word/document.xml", "word/footer1.xml"] {
        let xml = &parts(&docx)[part];
        let doc = roxmltree::Document::parse(xml).unwrap();
        for ind in all(doc.root(), "ind") {
            let first_line = val(ind, "firstLine");
            if first_line == Some("630") {
                continue;
            }
            let chars = val(ind, "firstLineChars");
            assert_eq!(
                chars,
                Some("0"),
                "{part}: {:?}",
                ind.attributes().collect::<Vec<_>>()
            );
        }
    }
    let normals = all(doc.root(), "style")
        .into_iter()
        .filter(|s| val(*s, "styleId") == Some("Normal"))
        .count();
    assert_eq!(normals, 1, "one Normal style");
    let spacing = all(normal, "spacing");
    let line = spacing.iter().find(|s| val(**s, "line").is_some()).unwrap();
    assert_eq!(
        (val(*line, "line"), val(*line, "lineRule")),
        (Some("579"), Some("exact"))
    );
    // −0.25 pt a character: 28 characters a line.
    assert!(spacing.iter().any(|s| val(*s, "val") == Some("-5")));
}

#[test]
fn fonts_are_named_per_role_without_theme_fonts() {
    let docx = out().join("zhuzhou-2019/全文.docx");
    let parts = parts(&docx);
    let styles = roxmltree::Document::parse(&parts["word/styles.xml"]).unwrap();
    let east_asia = |id: &str| {
        let style = all(styles.root(), "style")
            .into_iter()
            .find(|s| val(*s, "styleId") == Some(id))
            .unwrap_or_else(|| panic!("style {id}"));
        val(all(style, "rFonts")[0], "eastAsia").map(str::to_owned)
    };
    assert_eq!(east_asia("Normal").as_deref(), Some("仿宋_GB2312"));
    assert_eq!(east_asia("Heading1").as_deref(), Some("黑体"));
    assert_eq!(east_asia("Heading2").as_deref(), Some("楷体_GB2312"));
    assert_eq!(east_asia("Heading3").as_deref(), Some("仿宋_GB2312"));
    assert_eq!(east_asia("Title").as_deref(), Some("方正小标宋简体"));
    assert_eq!(east_asia("Footer").as_deref(), Some("宋体"));
    // The banner in 小标宋, red.
    let document = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let banner = all(document.root(), "r")
        .into_iter()
        .find(|r| text(*r) == "株洲市教育局文件")
        .expect("banner run");
    assert_eq!(val(all(banner, "color")[0], "val"), Some("FF0000"));
    assert_eq!(
        val(all(banner, "rFonts")[0], "eastAsia"),
        Some("方正小标宋简体")
    );
    for (name, xml) in &parts {
        assert!(
            !xml.contains("Theme\""),
            "{name} names a theme font: WPS warns about those"
        );
    }
    assert!(!parts.contains_key("word/theme/theme1.xml"));
    // The font table gives each face its other name and the GB 2312 character set.
    let table = roxmltree::Document::parse(&parts["word/fontTable.xml"]).unwrap();
    let fangsong = all(table.root(), "font")
        .into_iter()
        .find(|f| val(*f, "name") == Some("仿宋_GB2312"))
        .expect("仿宋_GB2312 in the font table");
    assert_eq!(
        val(child(fangsong, "altName").unwrap(), "val"),
        Some("FangSong_GB2312")
    );
    assert_eq!(val(child(fangsong, "charset").unwrap(), "val"), Some("86"));
}

#[test]
fn a_projects_own_fonts_are_named() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("qingdan.yaml"),
        "机关: 株洲市教育局\n字体:\n  仿宋: [LXGW WenKai GB]\n\
         通知:\n  发文字号: 株教发〔2019〕12号\n  标题: 关于安全生产工作的通知\n\
         \x20 正文: 现将有关事项通知如下。\n",
    )
    .unwrap();
    let out = temp.path().join("out");
    let result = qingdan(&[
        Path::new("build"),
        &project,
        Path::new("-o"),
        &out,
        Path::new("--no-system-fonts"),
        Path::new("--formats"),
        Path::new("docx"),
    ]);
    assert!(
        out.join("p/通知.docx").is_file(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let styles = &parts(&out.join("p/通知.docx"))["word/styles.xml"];
    assert!(styles.contains("w:eastAsia=\"LXGW WenKai GB\""), "{styles}");
}

#[test]
fn headings_take_the_heading_styles_with_their_numbers_as_text() {
    let xml = &parts(&out().join("zhuzhou-2019/实施细则.docx"))["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let styled = |id: &str| -> Vec<(String, bool)> {
        all(doc.root(), "p")
            .into_iter()
            .filter(|p| {
                all(*p, "pStyle")
                    .first()
                    .is_some_and(|s| val(*s, "val") == Some(id))
            })
            .map(|p| {
                let centred = all(p, "jc")
                    .first()
                    .is_some_and(|j| val(*j, "val") == Some("center"));
                (text(p), centred)
            })
            .collect()
    };
    let chapters = styled("Heading1");
    assert!(!chapters.is_empty());
    assert!(chapters[0].0.starts_with("第一章"), "{chapters:?}");
    // In a 细则 the 第一章 level is centred.
    assert!(chapters.iter().all(|(_, centred)| *centred), "{chapters:?}");
    let title = styled("Title");
    assert_eq!(title.len(), 1);
    assert!(title[0].0.ends_with("实施细则"));
}

/// The column-0 merges of the first data table of `docx`: per body row, `Some("restart")`,
/// `Some("continue")` or `None`.
fn first_column_merges(docx: &Path) -> Vec<Option<String>> {
    let xml = &parts(docx)["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let table = all(doc.root(), "tbl")
        .into_iter()
        .find(|t| all(*t, "tblHeader").len() == 1)
        .expect("a table with a header row");
    all(table, "tr")
        .into_iter()
        .skip(1)
        .map(|row| {
            let first = all(row, "tc")[0];
            all(first, "vMerge")
                .first()
                .map(|m| val(*m, "val").unwrap_or("continue").to_owned())
        })
        .collect()
}

#[test]
fn merged_cells_match_the_models_groups() {
    let prepared = qingdan::prepare_project(&repo().join("inputs/zhuzhou-2019")).unwrap();
    let AttachmentContent::Responsibility(list) = &prepared.set.attachments[0].content else {
        panic!("the example's attachment is a 责任清单");
    };
    let mut expected = Vec::new();
    for leader in &list.leaders {
        let n = leader.duties.len().max(1);
        for i in 0..n {
            expected.push(match (n, i) {
                (1, _) => None,
                (_, 0) => Some("restart".to_owned()),
                _ => Some("continue".to_owned()),
            });
        }
    }
    let merges = first_column_merges(&out().join("zhuzhou-2019/附件-责任清单.docx"));
    // The list may end with a 备注 row, which merges nothing.
    assert_eq!(&merges[..expected.len()], &expected[..]);
    assert!(merges[expected.len()..].iter().all(Option::is_none));
    assert!(expected.iter().any(|m| m.as_deref() == Some("continue")));

    // The task table: the header's 措施内容 spans two columns; categories merge downwards.
    let task = out().join("jilin-task-division/附件1-任务分工表.docx");
    let xml = &parts(&task)["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let header = all(doc.root(), "tr")
        .into_iter()
        .find(|r| !all(*r, "tblHeader").is_empty())
        .unwrap();
    let spans: Vec<&str> = all(header, "gridSpan")
        .iter()
        .filter_map(|g| val(*g, "val"))
        .collect();
    assert_eq!(spans[0], "2", "{spans:?}");
    let merges = first_column_merges(&task);
    assert_eq!(merges[0].as_deref(), Some("restart"));
    assert!(merges.iter().any(|m| m.as_deref() == Some("continue")));
}

#[test]
fn header_rows_are_marked_to_repeat_and_only_they() {
    for docx in built() {
        let xml = &parts(docx)["word/document.xml"];
        let doc = roxmltree::Document::parse(xml).unwrap();
        for table in all(doc.root(), "tbl") {
            let rows = all(table, "tr");
            let marked: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| !all(**r, "tblHeader").is_empty())
                .map(|(i, _)| i)
                .collect();
            // Data tables (several rows, not floating) repeat their first row; the furniture's
            // tables (banner, 签发人, 版记) repeat nothing.
            let floating = !all(table, "tblpPr").is_empty();
            if rows.len() > 1 && !floating {
                assert_eq!(marked, [0], "{}", docx.display());
            } else {
                assert!(marked.is_empty(), "{}", docx.display());
            }
        }
    }
}

#[test]
fn wide_tables_get_landscape_sections() {
    let xml = &parts(&out().join("jilin-task-division/附件1-任务分工表.docx"))["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let size = all(doc.root(), "pgSz")[0];
    assert_eq!(val(size, "orient"), Some("landscape"));
    // The table spans the landscape type area: 225 mm.
    let widths: u32 = all(all(doc.root(), "tblGrid")[0], "gridCol")
        .iter()
        .map(|c| val(*c, "w").unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(widths, 16838 - 2098 - 1984);
}

#[test]
fn a_document_mixing_portrait_and_landscape_parts_has_a_section_each() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("jilin");
    common::copy_dir(&repo().join("inputs/jilin-task-division"), &project);
    let manifest = project.join("qingdan.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        format!(
            "通知:\n  发文字号: 吉教发〔2019〕1号\n  标题: 关于印发任务分工表的通知\n\
             \x20 正文: 现将任务分工表印发给你们。\n{text}"
        ),
    )
    .unwrap();
    let out = temp.path().join("out");
    build_ok(&[&project], &out);
    let parts = parts(&out.join("jilin/全文.docx"));
    let xml = &parts["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let orients: Vec<Option<&str>> = all(doc.root(), "pgSz")
        .iter()
        .map(|s| val(*s, "orient"))
        .collect();
    assert_eq!(orients, [None, Some("landscape")]);
    // Each section's odd and even footers: the landscape one has footers of its own, whose
    // number sits where the portrait sheet has it (GB/T 9704 §8).
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let rels = roxmltree::Document::parse(&parts["word/_rels/document.xml.rels"]).unwrap();
    let target = |id: &str| {
        rels.descendants()
            .find(|n| n.attribute("Id") == Some(id))
            .and_then(|n| n.attribute("Target"))
            .map(|t| format!("word/{t}"))
            .unwrap_or_else(|| panic!("no relationship {id}"))
    };
    let footers: Vec<Vec<(&str, String)>> = all(doc.root(), "sectPr")
        .iter()
        .map(|section| {
            all(*section, "footerReference")
                .iter()
                .map(|f| {
                    (
                        val(*f, "type").unwrap(),
                        target(f.attribute((R, "id")).unwrap()),
                    )
                })
                .collect()
        })
        .collect();
    let footer = |t: &'static str, part: &str| (t, format!("word/{part}"));
    assert_eq!(
        footers,
        [
            vec![
                footer("default", "footer1.xml"),
                footer("even", "footer2.xml")
            ],
            vec![
                footer("default", "footer3.xml"),
                footer("even", "footer4.xml")
            ],
        ]
    );
    let types = &parts["[Content_Types].xml"];
    const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
    for (part, align) in [("word/footer3.xml", "right"), ("word/footer4.xml", "left")] {
        assert!(
            types.contains(&format!("PartName=\"/{part}\"")),
            "{part} has no type"
        );
        let doc = roxmltree::Document::parse(&parts[part]).unwrap();
        // A text box in the landscape page's left margin (the portrait sheet's foot), from the
        // type area's top (28 mm) along its width, the text turned a quarter clockwise.
        let offset = |axis: &str| -> i64 {
            let node = doc
                .descendants()
                .find(|n| n.has_tag_name((WP, axis)))
                .unwrap();
            node.descendants()
                .find(|n| n.has_tag_name((WP, "posOffset")))
                .and_then(|n| n.text())
                .unwrap()
                .parse()
                .unwrap()
        };
        assert_eq!(offset("positionH"), 1385 * 635, "{part}: footer distance");
        assert_eq!(offset("positionV"), 1587 * 635, "{part}: 28 mm");
        let body = doc
            .descendants()
            .find(|n| n.tag_name().name() == "bodyPr")
            .unwrap();
        assert_eq!(body.attribute("vert"), Some("vert"));
        let content = all(doc.root(), "txbxContent")[0];
        assert_eq!(val(all(content, "jc")[0], "val"), Some(align));
        let instr: String = all(content, "instrText")
            .iter()
            .filter_map(|t| t.text())
            .collect();
        assert_eq!(instr.trim(), "PAGE");
        let shown = self::text(content);
        assert!(shown.starts_with("— ") && shown.ends_with(" —"), "{shown}");
    }
    // A portrait document has no landscape footers.
    let portrait = self::parts(&out.join("jilin/通知.docx"));
    assert!(!portrait.contains_key("word/footer3.xml"));
}

#[test]
fn footers_number_odd_pages_right_and_even_pages_left() {
    let parts = parts(&out().join("zhuzhou-2019/全文.docx"));
    assert!(parts["word/settings.xml"].contains("evenAndOddHeaders"));
    let rels = &parts["word/_rels/document.xml.rels"];
    let target = |id: &str| {
        let doc = roxmltree::Document::parse(rels).unwrap();
        doc.descendants()
            .find(|n| n.attribute("Id") == Some(id))
            .and_then(|n| n.attribute("Target"))
            .map(|t| format!("word/{t}"))
            .unwrap()
    };
    for (id, align) in [("rIdFooter1", "right"), ("rIdFooter2", "left")] {
        let xml = &parts[&target(id)];
        let doc = roxmltree::Document::parse(xml).unwrap();
        assert_eq!(val(all(doc.root(), "jc")[0], "val"), Some(align));
        let instr: String = all(doc.root(), "instrText")
            .iter()
            .filter_map(|t| t.text())
            .collect();
        assert_eq!(instr.trim(), "PAGE");
        let shown = text(doc.root());
        assert!(shown.starts_with("— ") && shown.ends_with(" —"), "{shown}");
    }
    let styles = &parts["word/styles.xml"];
    let doc = roxmltree::Document::parse(styles).unwrap();
    let footer = all(doc.root(), "style")
        .into_iter()
        .find(|s| val(*s, "styleId") == Some("Footer"))
        .unwrap();
    assert_eq!(val(all(footer, "sz")[0], "val"), Some("28"), "4号");
}

#[test]
fn the_colophon_is_a_table_at_the_foot_of_the_type_area_with_its_rules() {
    let xml = &parts(&out().join("示例/通知.docx"))["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let table = all(doc.root(), "tbl")
        .into_iter()
        .find(|t| !all(*t, "tblpPr").is_empty())
        .expect("a floating 版记 table");
    // Its foot on the type area's: bottom-aligned to the margin; placed from the page's left
    // edge at the margin's (LibreOffice keeps a full-width table placed from the margin in the
    // text flow).
    let position = all(table, "tblpPr")[0];
    assert_eq!(val(position, "vertAnchor"), Some("margin"));
    assert_eq!(val(position, "tblpYSpec"), Some("bottom"));
    assert_eq!(val(position, "tblpY"), None);
    assert_eq!(val(position, "horzAnchor"), Some("page"));
    assert_eq!(val(position, "tblpX"), Some("1587"), "28 mm");
    let rows = all(table, "tr");
    for row in &rows {
        let h = all(*row, "trHeight")[0];
        assert_eq!(val(h, "hRule"), Some("exact"));
    }
    assert_eq!(rows.len(), 2);
    assert!(text(rows[0]).starts_with("抄送："));
    assert!(text(rows[1]).ends_with("印发"));
    let border = |row: roxmltree::Node, side: &str| {
        let cell = all(row, "tc")[0];
        let b = all(cell, side)
            .into_iter()
            .find(|b| b.parent().is_some_and(|p| p.has_tag_name((W, "tcBorders"))))
            .unwrap();
        val(b, "sz").unwrap().to_owned()
    };
    // 0.35 mm outside (8/8 pt), 0.25 mm between (6/8 pt).
    assert_eq!(border(rows[0], "top"), "8");
    assert_eq!(border(rows[0], "bottom"), "6");
    assert_eq!(border(rows[1], "bottom"), "8");
    // It is the document's last block but the empty paragraph it is anchored to.
    let body = all(doc.root(), "body")[0];
    let blocks: Vec<roxmltree::Node> = body
        .children()
        .filter(|n| n.is_element() && !n.has_tag_name((W, "sectPr")))
        .collect();
    assert!(blocks[blocks.len() - 2].has_tag_name((W, "tbl")));
    assert!(text(blocks[blocks.len() - 1]).is_empty());
}

#[test]
fn signature_and_attachment_note_are_placed_as_in_the_pdf() {
    let xml = &parts(&out().join("示例/全文.docx"))["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    let paragraphs = all(doc.root(), "p");
    let note = paragraphs
        .iter()
        .find(|p| text(**p).starts_with("附件："))
        .expect("附件说明");
    let ind = all(*note, "ind")[0];
    assert!(val(ind, "hanging").is_some(), "wrapped lines hang");
    let dates: Vec<&roxmltree::Node> = paragraphs
        .iter()
        .filter(|p| {
            let t = text(**p);
            t.ends_with('日') && t.contains('年') && t.chars().count() < 14
        })
        .collect();
    assert!(!dates.is_empty());
    for date in dates {
        assert_eq!(val(all(*date, "jc")[0], "val"), Some("right"));
    }
}

/// The right indent (in twips) of the paragraph whose text is `text`.
fn right_indent(doc: &roxmltree::Document, text: &str) -> i32 {
    let p = all(doc.root(), "p")
        .into_iter()
        .find(|p| self::text(*p) == text)
        .unwrap_or_else(|| panic!("no paragraph {text}"));
    assert_eq!(val(all(p, "jc")[0], "val"), Some("right"), "{text}");
    val(all(p, "ind")[0], "right").unwrap().parse().unwrap()
}

#[test]
fn seals_place_signature_and_date_as_the_standard_says() {
    const CHAR: i32 = 315;
    // Organ seal: the date ends 4 characters in; the joint organs stand on one line, the last
    // centred on the date (6.5 characters wide).
    let xml = &parts(&out().join("联合上行/通知.docx"))["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    assert_eq!(right_indent(&doc, "2019年8月20日"), 4 * CHAR);
    let names = right_indent(&doc, "株洲市教育局　　　株洲市应急管理局");
    assert_eq!(
        names,
        (4.0 * 315.0 + (6.5 - 8.0) / 2.0 * 315.0_f64).round() as i32
    );
    // The 签发人 beside the number: one table row, number first.
    let row = all(doc.root(), "tr")
        .into_iter()
        .find(|r| text(*r).contains("签发人"))
        .expect("签发人 row");
    assert!(text(row).starts_with("株教发〔2019〕12号签发人：张三　李四王五"));
    // The joint banner: the organs stacked, spread to one width, 文件 beside them.
    let banner = all(doc.root(), "tbl")
        .into_iter()
        .find(|t| text(*t).contains("应急管理局") && text(*t).ends_with("文件"))
        .expect("joint banner");
    let spread: Vec<&str> = all(banner, "jc")
        .iter()
        .filter(|j| j.parent().is_some_and(|p| p.has_tag_name((W, "pPr"))))
        .filter_map(|j| val(*j, "val"))
        .collect();
    assert_eq!(spread, ["distribute", "distribute", "right"]);

    // Signature seal: the title 10 characters in (the seal's room and two characters), the
    // date 4 characters in; the remark follows.
    let xml = &parts(&out().join("签名章/通知.docx"))["word/document.xml"];
    let doc = roxmltree::Document::parse(xml).unwrap();
    assert_eq!(right_indent(&doc, "局长"), 10 * CHAR);
    assert_eq!(right_indent(&doc, "2019年8月20日"), 4 * CHAR);
    assert!(
        all(doc.root(), "p")
            .iter()
            .any(|p| text(*p) == "（此件公开发布）")
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let temp = tempfile::tempdir().unwrap();
    let again = temp.path().join("again");
    let project = repo().join("inputs/zhuzhou-2019");
    qingdan_ok(&[
        Path::new("build"),
        &project,
        Path::new("-o"),
        &again,
        Path::new("--no-system-fonts"),
        Path::new("--formats"),
        Path::new("docx"),
        Path::new("--jobs"),
        Path::new("1"),
    ]);
    for name in ["通知", "实施细则", "附件-责任清单", "全文"] {
        let a = std::fs::read(out().join("zhuzhou-2019").join(format!("{name}.docx"))).unwrap();
        let b = std::fs::read(again.join("zhuzhou-2019").join(format!("{name}.docx"))).unwrap();
        assert!(a == b, "{name}.docx differs between builds");
    }
    let file = std::fs::File::open(again.join("zhuzhou-2019/全文.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        let time = entry.last_modified().unwrap();
        assert_eq!((time.year(), time.month(), time.day()), (1980, 1, 1));
    }
}

#[test]
fn formats_choose_the_files_and_unchanged_docx_are_not_rewritten() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let project = repo().join("inputs/jilin-task-division");
    let build = |formats: &str| {
        let output = qingdan_ok(&[
            Path::new("build"),
            &project,
            Path::new("-o"),
            &out,
            Path::new("--no-system-fonts"),
            Path::new("--formats"),
            Path::new(formats),
        ]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let dir = out.join("jilin-task-division");
    build("md");
    assert!(dir.join("附件1-任务分工表.md").is_file());
    assert!(!dir.join("附件1-任务分工表.docx").exists());
    assert!(!dir.join("附件1-任务分工表.pdf").exists());
    let first = build("docx");
    assert!(first.contains("1 written"), "{first}");
    assert!(!dir.join("附件1-任务分工表.pdf").exists());
    let state = std::fs::read_to_string(dir.join(".qingdan-state.json")).unwrap();
    assert!(state.contains("附件1-任务分工表.docx"), "{state}");
    let docx = dir.join("附件1-任务分工表.docx");
    let made = std::fs::metadata(&docx).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // Unchanged inputs: the .docx is not even made again.
    let second = build("md,docx");
    assert!(second.contains("0 written, 1 unchanged"), "{second}");
    assert_eq!(std::fs::metadata(&docx).unwrap().modified().unwrap(), made);
    // A deleted .docx is made again.
    std::fs::remove_file(dir.join("附件1-任务分工表.docx")).unwrap();
    let third = build("docx");
    assert!(third.contains("1 written"), "{third}");
}

/// The init project built with `--embed-fonts` once per run, and the same built without it (in
/// the shared build of the examples): the output folder of each.
pub(crate) fn embedded() -> &'static (PathBuf, PathBuf) {
    static BUILT: std::sync::OnceLock<(PathBuf, PathBuf)> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let temp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docx-embed");
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp).unwrap();
        let project = temp.join("示例");
        qingdan_ok(&[Path::new("init"), &project]);
        let out = temp.join("embedded");
        qingdan_ok(&[
            Path::new("build"),
            &project,
            Path::new("-o"),
            &out,
            Path::new("--formats"),
            Path::new("docx"),
            Path::new("--embed-fonts"),
        ]);
        (out.join("示例"), common::examples().join("示例"))
    })
}

/// Every entry of a .docx as bytes.
fn entries(docx: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

#[test]
fn embedded_fonts_are_the_bundled_files_obfuscated_as_word_does() {
    let docx = embedded().0.join("通知.docx");
    let entries = entries(&docx);
    let xml = |name: &str| String::from_utf8(entries[name].clone()).unwrap();
    // The runs and styles name the bundled families, the title in bold.
    let styles = xml("word/styles.xml");
    let doc = roxmltree::Document::parse(&styles).unwrap();
    let style = |id: &str| {
        all(doc.root(), "style")
            .into_iter()
            .find(|s| val(*s, "styleId") == Some(id))
            .unwrap()
    };
    let font = |id: &str| val(all(style(id), "rFonts")[0], "eastAsia").map(str::to_owned);
    assert_eq!(font("Normal").as_deref(), Some("FandolFang R"));
    assert_eq!(font("Heading1").as_deref(), Some("Noto Sans CJK SC"));
    assert_eq!(font("Heading2").as_deref(), Some("FandolKai"));
    assert_eq!(font("Title").as_deref(), Some("Noto Serif CJK SC"));
    assert_eq!(font("Footer").as_deref(), Some("Noto Serif CJK SC"));
    assert!(!all(style("Title"), "b").is_empty(), "the title is bold");
    // The font table embeds each face with its key; the relationship leads to the part.
    let table = xml("word/fontTable.xml");
    let table = roxmltree::Document::parse(&table).unwrap();
    let rels = xml("word/_rels/fontTable.xml.rels");
    let rels = roxmltree::Document::parse(&rels).unwrap();
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let assets = repo().join("assets/fonts");
    let mut faces = Vec::new();
    for font in all(table.root(), "font") {
        for face in font.children().filter(|n| n.is_element()) {
            let kind = face.tag_name().name();
            if !kind.starts_with("embed") {
                continue;
            }
            let id = face.attribute((R, "id")).unwrap();
            let key = val(face, "fontKey").unwrap();
            let rel = rels
                .descendants()
                .find(|r| r.attribute("Id") == Some(id))
                .unwrap_or_else(|| panic!("no relationship {id}"));
            assert!(
                rel.attribute("Type")
                    .unwrap()
                    .ends_with("/relationships/font")
            );
            let target = format!("word/{}", rel.attribute("Target").unwrap());
            assert!(target.ends_with(".odttf"), "{target}");
            // Undone by the standard's rule, independently of the writer: the GUID's bytes,
            // last to first, XOR-ed onto bytes 0-31.
            let hex: Vec<u8> = key
                .chars()
                .filter(char::is_ascii_hexdigit)
                .collect::<String>()
                .as_bytes()
                .chunks(2)
                .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
                .collect();
            assert_eq!(hex.len(), 16, "{key}");
            let mut bytes = entries[&target].clone();
            assert_ne!(&bytes[..4], b"OTTO", "{target} is obfuscated");
            for (i, b) in bytes.iter_mut().take(32).enumerate() {
                *b ^= hex[15 - i % 16];
            }
            let file = match (val(font, "name").unwrap(), kind) {
                ("FandolFang R", "embedRegular") => "FandolFang-Regular.otf",
                ("FandolKai", "embedRegular") => "FandolKai-Regular.otf",
                ("Noto Sans CJK SC", "embedRegular") => "NotoSansCJKsc-Regular.otf",
                ("Noto Serif CJK SC", "embedRegular") => "NotoSerifCJKsc-Regular.otf",
                ("Noto Serif CJK SC", "embedBold") => "NotoSerifCJKsc-Bold.otf",
                other => panic!("unexpected embedded face {other:?}"),
            };
            assert!(
                bytes == std::fs::read(assets.join(file)).unwrap(),
                "{target} is {file}"
            );
            faces.push(file);
        }
    }
    assert_eq!(faces.len(), 5, "{faces:?}");
    let types = xml("[Content_Types].xml");
    assert!(
        types.contains(r#"Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont""#),
        "{types}"
    );
    let settings = xml("word/settings.xml");
    let settings = roxmltree::Document::parse(&settings).unwrap();
    let first: Vec<&str> = settings
        .root_element()
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .take(3)
        .collect();
    assert_eq!(first, ["zoom", "embedTrueTypeFonts", "defaultTabStop"]);
    // Without the option: the office names, no font parts.
    let named = self::entries(&embedded().1.join("通知.docx"));
    assert!(
        !named
            .keys()
            .any(|k| k.ends_with(".odttf") || k.contains("fontTable.xml.rels"))
    );
    assert!(!String::from_utf8_lossy(&named["word/styles.xml"]).contains("Fandol"));
    // The same bytes from a second build.
    let again = tempfile::tempdir().unwrap();
    qingdan_ok(&[
        Path::new("build"),
        &embedded()
            .0
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .join("示例"),
        Path::new("-o"),
        again.path(),
        Path::new("--formats"),
        Path::new("docx"),
        Path::new("--embed-fonts"),
    ]);
    assert!(
        std::fs::read(again.path().join("示例/通知.docx")).unwrap()
            == std::fs::read(&docx).unwrap()
    );
}

/// The PostScript names of the fonts of `pdf`, from poppler's `pdffonts`.
fn pdf_fonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libreoffice_takes_the_embedded_fonts_on_a_machine_without_them() {
    if Command::new("soffice").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "soffice is missing: scripts/test installs libreoffice-writer-nogui"
        );
        eprintln!("soffice not installed: skipping (scripts/test installs it)");
        return;
    }
    let (with, without) = embedded();
    let temp = tempfile::tempdir().unwrap();
    // A machine without the fonts, whatever this one has: DejaVu's Latin faces only.
    let config = fontconfig(temp.path(), &[], &[]);
    let convert = |docx: PathBuf, out: &str| {
        let outdir = temp.path().join(out);
        let status = Command::new("soffice")
            .env("FONTCONFIG_FILE", &config)
            .env("HOME", &outdir)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&outdir)
            .arg(&docx)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        pdf_fonts(&outdir.join(docx.with_extension("pdf").file_name().unwrap()))
    };
    // Without the fonts in the file LibreOffice substitutes (here: no CJK font at all).
    let named = convert(without.join("全文.docx"), "named");
    assert!(
        !named.contains("Fandol") && !named.contains("CJK"),
        "this machine has the bundled fonts installed, so the test proves nothing:\n{named}"
    );
    // With them it sets the body in FandolFang, headings in Noto Sans, the title in Noto
    // Serif Bold, page numbers in Noto Serif (the subsets' PostScript names say CJKjp).
    let embedded = convert(with.join("全文.docx"), "embedded");
    for face in [
        "FandolFang-Regular",
        "NotoSansCJKjp-Regular",
        "NotoSerifCJKjp-Bold",
        "NotoSerifCJKjp-Regular",
    ] {
        assert!(embedded.contains(face), "{face} missing:\n{embedded}");
    }
    let checks = qingdan::conformance::measure(&temp.path().join("embedded/全文.pdf")).unwrap();
    for name in ["C1 纸张 paper", "C1 版心左边 left edge", "C3 标题 title"] {
        let check = checks.iter().find(|c| c.name == name).unwrap();
        assert!(check.pass, "{name}: {}", check.measured);
    }
}

/// Where Debian keeps the DejaVu faces (fonts-dejavu-core, which `scripts/test` installs):
/// LibreOffice needs some font to start, and these have no Chinese.
const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu";

/// A fontconfig file in `dir` naming only DejaVu and `folders`, with `aliases` (family → the
/// family standing in for it): LibreOffice then finds the same fonts on a bare server and on a
/// Chinese desktop with its own CJK fonts, never the machine's.
pub(crate) fn fontconfig(dir: &Path, folders: &[&Path], aliases: &[(&str, &str)]) -> PathBuf {
    assert!(
        Path::new(DEJAVU).is_dir(),
        "{DEJAVU} is missing: scripts/test installs fonts-dejavu-core"
    );
    let mut xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>\
         <dir>{DEJAVU}</dir><cachedir>{}</cachedir>",
        dir.join("fontconfig-cache").display()
    );
    for folder in folders {
        xml.push_str(&format!("<dir>{}</dir>", folder.display()));
    }
    for (from, to) in aliases {
        xml.push_str(&format!(
            "<alias binding=\"same\"><family>{from}</family><prefer><family>{to}</family></prefer></alias>"
        ));
    }
    xml.push_str("</fontconfig>");
    let config = dir.join("fonts.conf");
    std::fs::write(&config, xml).unwrap();
    config
}

/// The office fonts' names and the bundled families standing in for them.
pub(crate) const BUNDLED_FOR_OFFICE: [(&str, &str); 5] = [
    ("仿宋_GB2312", "FandolFang R"),
    ("楷体_GB2312", "FandolKai"),
    ("黑体", "Noto Sans CJK SC"),
    ("宋体", "Noto Serif CJK SC"),
    ("方正小标宋简体", "Noto Serif CJK SC"),
];

/// LibreOffice, with the bundled fonts standing in for the office ones by name (and no font of
/// the machine's but DejaVu).
pub(crate) fn soffice_pdf(docx: &Path, outdir: &Path) -> Option<PathBuf> {
    let config = fontconfig(outdir, &[&repo().join("assets/fonts")], &BUNDLED_FOR_OFFICE);
    let status = Command::new("soffice")
        .env("FONTCONFIG_FILE", &config)
        .env("HOME", outdir)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(outdir)
        .arg(docx)
        .output()
        .ok()?;
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = outdir.join(docx.with_extension("pdf").file_name().unwrap());
    pdf.is_file().then_some(pdf)
}

#[test]
fn libreoffice_opens_every_docx_and_the_pdf_it_makes_measures_as_gbt_9704() {
    if Command::new("soffice").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "soffice is missing: scripts/test installs libreoffice-writer-nogui"
        );
        eprintln!("soffice not installed: skipping (scripts/test installs it)");
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut summary = BTreeMap::<&'static str, (usize, usize)>::new();
    for docx in built() {
        let pdf = soffice_pdf(docx, temp.path()).expect("LibreOffice made a PDF");
        let checks = qingdan::conformance::measure(&pdf).expect("measurable");
        // The banner checks apply where there is a banner (they take any large text for one).
        let document = &parts(docx)["word/document.xml"];
        let banner = document.contains("w:val=\"FF0000\"");
        for check in &checks {
            let entry = summary.entry(check.name).or_default();
            entry.0 += usize::from(check.pass);
            entry.1 += 1;
            // What LibreOffice's PDFs must pass (the README says what differs): page numbers,
            // landscape pages' included (where the portrait sheet has them); not the right
            // edge, which LibreOffice 7.4 overruns by hanging a closing punctuation mark past
            // the margin (w:overflowPunct off notwithstanding). The 版记's rules it sets at the
            // type area's foot as the PDF does (C6), on the page the text ends on.
            // The lines per page are held to the PDF's in docx_paper.rs (the examples); here,
            // over every variant, the pitch (C2 行距) is asserted.
            // Nor the glyphs' columns: LibreOffice sets a half-width run at its own width, so the
            // characters after an odd run of digits sit half a cell off (daligang-2019: 10–11 %
            // of full-line glyphs); its full-width marks all keep their cells, and that is asserted.
            let required = match check.name {
                "C7 字符网格 character grid" => false,
                "C1 版心右边 right edge" => false,
                "C2 每页行数 lines per page" | "C2 有章标题的页 pages with chapter headings" => {
                    false
                }
                name if name.starts_with("C5") => banner,
                _ => true,
            };
            if required && !check.pass {
                failures.push(format!(
                    "{}: {} expected {}, measured {}",
                    docx.display(),
                    check.name,
                    check.expected,
                    check.measured
                ));
            }
        }
        std::fs::remove_file(&pdf).unwrap();
    }
    for (name, (pass, total)) in &summary {
        eprintln!("{name}: {pass}/{total} pass");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    /// No body Markdown or title makes the .docx writer panic or write XML Word cannot read:
    /// text rich in Markdown syntax, table pipes, HTML and XML's own characters, or any string.
    #[test]
    fn any_body_gives_a_readable_docx(
        body in proptest::prop_oneof![
            "[#*|<>&\\[\\]`_~\\-=.!{}()\\\\:;,\"' \n\t一二（）1-9a-c]{0,160}",
            proptest::prelude::any::<String>(),
        ],
        title in proptest::prelude::any::<String>(),
        landscape in proptest::prelude::any::<bool>(),
    ) {
        let document = qingdan::document::Document::read(qingdan::render::RenderedDocument {
            name: "x".to_owned(),
            parts: vec![qingdan::render::views::PartView {
                kind: "attachment",
                title,
                body,
                landscape,
                ..Default::default()
            }],
            colophon: None,
            page: qingdan::model::PageSettings::default(),
            markdown: String::new(),
        });
        let bytes = qingdan::docx::render(&document, &qingdan::pdf::fonts::default_roles(), qingdan::docx::Embed::None, &qingdan::docx::SharedParts::default())
            .expect("a .docx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        for part in ["word/document.xml", "word/styles.xml", "word/fontTable.xml"] {
            let mut xml = String::new();
            zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
            proptest::prop_assert!(roxmltree::Document::parse(&xml).is_ok(), "{part}");
        }
    }
}

/// The lines of each title paragraph (style Title) of `document.xml`, white space folded: the
/// text of its runs, a line break (`w:br`) starting a new line.
fn title_lines(xml: &str) -> Vec<Vec<String>> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    all(doc.root(), "p")
        .into_iter()
        .filter(|p| {
            all(*p, "pStyle")
                .first()
                .is_some_and(|s| val(*s, "val") == Some("Title"))
        })
        .map(|p| {
            let mut lines = vec![String::new()];
            for node in p.descendants() {
                if node.has_tag_name((W, "br")) {
                    lines.push(String::new());
                } else if node.has_tag_name((W, "t")) {
                    lines
                        .last_mut()
                        .unwrap()
                        .push_str(node.text().unwrap_or(""));
                }
            }
            lines.iter().map(|l| fold(l)).collect()
        })
        .collect()
}

/// The PDF and the .docx set every title in the same lines: the document tree breaks it once for
/// both (before, the PDF measured its own lines, and daligang-2019's 通知 had three lines in the
/// PDF and four in the .docx).
#[test]
fn titles_have_the_same_lines_in_the_pdf_and_the_docx() {
    let mut titles = 0;
    for docx in built() {
        let pdf = docx.with_extension("pdf");
        let text = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        let pdf_lines: Vec<String> = String::from_utf8_lossy(&text.stdout)
            .lines()
            .map(fold)
            .filter(|l| !l.is_empty())
            .collect();
        for lines in title_lines(&parts(docx)["word/document.xml"]) {
            titles += 1;
            assert!(
                pdf_lines
                    .windows(lines.len())
                    .any(|w| w == lines.as_slice()),
                "{}: the title's lines {lines:?} are not the PDF's",
                pdf.display()
            );
        }
    }
    assert!(titles >= 20, "{titles} titles");
}
