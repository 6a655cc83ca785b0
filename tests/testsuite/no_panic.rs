//! Property tests ("fuzzing" on stable Rust): no user input may make qingdan panic, and escaping
//! must make any text read back literally. Each property runs a fixed budget of cases
//! (PROPTEST_CASES overrides it); a failure found is shrunk and recorded by proptest under
//! `proptest-regressions/`, which is committed so it is replayed forever.

use std::path::Path;

use proptest::prelude::*;
use qingdan::diag::Diagnostics;
use qingdan::diag::Location;
use qingdan::inputs::manifest::{parse_manifest, parse_with_defaults};
use qingdan::inputs::text::decode;
use qingdan::inputs::{parse_csv, read_sheet};
use qingdan::markdown::escape_markdown;
use qingdan::model::{
    BodyStyle,
    body::{Block, build_body},
};
use qingdan::typst_markup::markdown_to_typst;

/// Text rich in the characters that mean something to CSV, YAML, Markdown, Tera or Typst.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[#*|$<>\\[\\]@`_~+=.!{}()\\\\:;,\"' \n\t一二三（）〔〕第条章1-9a-c-]{0,120}",
        any::<String>(),
    ]
}

/// Text shaped like a manifest: lines of indentation, list dashes, real keys (and a few wrong
/// ones), and values of every YAML kind, quoted, flow, block, anchors, aliases, tags and broken
/// brackets, so the reader's error paths are walked, not only its syntax errors.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "机关",
        "发文机关标志",
        "通知",
        "发文字号",
        "标题",
        "主送",
        "正文",
        "署名",
        "成文日期",
        "用印",
        "签发人",
        "抄送",
        "印发机关",
        "印发日期",
        "版式",
        "行距",
        "加粗",
        "主件",
        "类型",
        "名称",
        "附件",
        "数据",
        "工作表",
        "备注",
        "编号",
        "表头",
        "分组",
        "分单位清单",
        "单位展开",
        "字体",
        "仿宋",
        "organisation",
        "title",
        "attachments",
        "附建",
        "",
        "? 复杂",
        "<<",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "",
            " 株洲市教育局",
            " \"{单位}清单\"",
            " {单位}清单",
            " '单: 引'",
            " \"未闭合",
            " [甲, 乙]",
            " {甲: 1}",
            " |",
            " >-",
            " &a 甲",
            " *a",
            " *b",
            " !!str 1",
            " !!map",
            " 1",
            " -1",
            " 1.5",
            " true",
            " 是",
            " ~",
            " [[[",
            " ]]",
            " - 甲",
            " # 注释",
            " \t甲",
            ": 甲",
            " 甲: 乙",
            " 细则",
            " 意见",
            " 清单.csv",
            " 正文.md",
            " ../x.csv",
            " 印章",
            " 签名章",
            " [仿宋_GB2312, FandolFang R]",
            " {各校: [一中, 二中]}",
        ])
        .prop_map(str::to_owned),
        "[ a-c甲乙:#{}\\[\\]\"'&*!|>-]{0,12}".prop_map(|v| format!(" {v}")),
    ];
    let line = (0..7usize, prop::bool::weighted(0.3), key, value).prop_map(
        |(indent, dash, key, value)| {
            let dash = if dash { "- " } else { "" };
            format!("{}{dash}{key}:{value}", " ".repeat(indent * 2))
        },
    );
    prop::collection::vec(line, 0..25).prop_map(|lines| lines.join("\n"))
}

/// Where a diagnostic points must exist in the text it names.
fn points_inside(location: &Location, text: &str) -> bool {
    match location {
        Location::Line(line) => *line >= 1 && *line <= text.lines().count() + 1,
        _ => true,
    }
}

/// A word of body text: what must come out somewhere unless the body is refused.
fn word() -> impl Strategy<Value = String> {
    "[甲乙丙丁戊己庚辛壬癸]{2,4}"
}

/// One line of a body: headings with labels, numbered and nested items with run-in leads,
/// paragraphs, cross-references, emphasis, images and HTML.
fn body_line() -> impl Strategy<Value = String> {
    (0..13u8, 0..3usize, word(), word(), word()).prop_map(|(kind, depth, a, b, c)| {
        let indent = "   ".repeat(depth);
        match kind {
            0 => format!("# {a} {{#{}}}", a.len()),
            1 => format!("## {a}"),
            2 => format!("{indent}1. {a}{b}"),
            3 => format!("{indent}1. *{a}。*{b}"),
            4 => format!(
                "{indent}1. {{#l{}}} {a}，见[第九条](#l{})。{b}",
                b.len(),
                a.len()
            ),
            5 => format!("{a}，{b}。"),
            6 => format!("{indent}1. {a}![{b}]({c}.png)"),
            7 => format!("{a}<img src=\"{b}.png\">{b}"),
            8 => format!("{indent}- **{a}**{b}"),
            9 => format!("{a}<br>{b}"),
            10 => String::new(),
            11 => format!("<div>{a}</div>"),
            _ => format!("{indent}{a}"),
        }
    })
}

fn block_texts(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading { title, .. } => title.clone(),
            Block::Paragraph { text } => text.clone(),
            Block::Item { run_in, text, .. } => {
                format!("{}{text}", run_in.as_deref().unwrap_or_default())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 400,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_never_panics(text in nasty_text()) {
        let _ = parse_csv(Path::new("x.csv"), &text);
    }

    /// Any bytes, under any spreadsheet or CSV name: an error or a sheet, never a panic.
    #[test]
    fn sheet_reader_never_panics_on_any_bytes(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..600),
            // Starts the way real containers do, so the readers get past the first check.
            proptest::collection::vec(any::<u8>(), 0..600).prop_map(|b| [b"PK\x03\x04".as_slice(), &b].concat()),
            proptest::collection::vec(any::<u8>(), 0..600).prop_map(|b| [b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".as_slice(), &b].concat()),
        ],
        ext in prop_oneof![Just("csv"), Just("xlsx"), Just("xls"), Just("ods"), Just("txt")],
    ) {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join(format!("表.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let _ = read_sheet(&path, None);
    }

    /// A well-formed package whose worksheet XML is anything: cells anywhere, any type, any
    /// text. The reader must answer within its limits, never panic or abort.
    #[test]
    fn xlsx_worksheets_never_panic(cells in proptest::collection::vec(
        (0u32..1_100_000, 0u32..17_000, prop_oneof![Just("inlineStr"), Just("s"), Just("e"), Just("n"), Just("b"), Just("str"), Just("x")], nasty_text()),
        0..12,
    )) {
        let mut xml = String::new();
        for (row, column, kind, text) in &cells {
            let text = text.replace('&', "&amp;").replace('<', "&lt;");
            let reference = format!("{}{}", column_letters(*column), row + 1);
            xml.push_str(&format!(r#"<row r="{}"><c r="{reference}" t="{kind}"><v>{text}</v><is><t>{text}</t></is></c></row>"#, row + 1));
        }
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("表.xlsx");
        write_minimal_xlsx(&path, &xml);
        let _ = read_sheet(&path, None);
    }

    #[test]
    fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode(Path::new("x.csv"), &bytes);
    }

    #[test]
    fn manifests_never_panic(text in nasty_text()) {
        let _ = parse_manifest(Path::new("qingdan.yaml"), &text);
    }

    #[test]
    fn bodies_never_panic(text in nasty_text()) {
        for style in [BodyStyle::Articles, BodyStyle::Sections] {
            let mut diags = Diagnostics::new();
            let _ = build_body(Path::new("x.md"), &text, style, &Default::default(), &mut diags);
        }
    }

    /// Manifest-shaped text never panics the reader, alone or merged over shared settings, and
    /// every error points at a line of the text.
    #[test]
    fn manifest_shaped_text_never_panics(text in yamlish(), defaults in yamlish()) {
        if let Err(d) = parse_manifest(Path::new("qingdan.yaml"), &text) {
            prop_assert!(points_inside(&d.location, &text), "{d}\n{text}");
        }
        let shared = [(std::path::PathBuf::from("qingdan-defaults.yaml"), defaults)];
        let _ = parse_with_defaults(Path::new("qingdan.yaml"), &text, &shared);
    }

    /// Nested brackets and dashes, from shallow to far too deep, are read or refused quickly.
    #[test]
    fn nesting_never_panics(open in prop::sample::select(vec!["[", "{a: ", "- ", "[{b: "]), depth in 0..3000usize, closed in any::<bool>()) {
        let close = match open { "[" => "]", "{a: " => "}", "[{b: " => "}]", _ => "" };
        let mut text = format!("机关: 甲\n附件:\n  {}x", open.repeat(depth));
        if closed {
            text.push_str(&close.repeat(depth));
        }
        let started = std::time::Instant::now();
        if let Err(d) = parse_manifest(Path::new("qingdan.yaml"), &text) {
            prop_assert!(points_inside(&d.location, &text), "{d}");
        }
        prop_assert!(started.elapsed().as_secs_f64() < 1.0, "{depth} levels took {:?}", started.elapsed());
    }

    /// A body is numbered without losing a word, or refused with an error: nothing the author
    /// wrote silently disappears from the output (an image at the end of an item used to cut
    /// the rest of the item off).
    #[test]
    fn bodies_lose_no_text(lines in prop::collection::vec(body_line(), 1..20)) {
        let source = lines.join("\n");
        for style in [BodyStyle::Articles, BodyStyle::Sections] {
            let mut diags = Diagnostics::new();
            let blocks = build_body(Path::new("x.md"), &source, style, &Default::default(), &mut diags);
            if diags.has_errors() {
                continue;
            }
            let out = block_texts(&blocks);
            for word in source.split(|c: char| !('甲'..='癸').contains(&c) || !"甲乙丙丁戊己庚辛壬癸".contains(c)) {
                prop_assert!(word.is_empty() || out.contains(word), "“{word}” lost from {source:?}\n→ {out:?}");
            }
        }
    }

    #[test]
    fn markdown_to_typst_never_panics(text in nasty_text()) {
        let _ = markdown_to_typst(&text);
    }

    /// Whatever a cell holds, its escaped Markdown shows exactly that text.
    #[test]
    fn escaped_text_reads_back_literally(text in "[#*|$<>\\[\\]@`_~+=.!{}()\\\\:;,\"' 一二（）1-9a-c-]{1,60}") {
        let text = text.trim().to_owned();
        prop_assume!(!text.is_empty());
        let markdown = escape_markdown(&text);
        let mut seen = String::new();
        for event in qingdan::markdown::parser(&markdown) {
            match event {
                pulldown_cmark::Event::Text(t) => seen.push_str(&t),
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Paragraph) | pulldown_cmark::Event::End(_) => {}
                other => prop_assert!(false, "{text:?} → {markdown:?} produced {other:?}"),
            }
        }
        prop_assert_eq!(seen, text);
    }
}

/// Excel's column letters for a 0-based index: 0 → A, 26 → AA.
fn column_letters(mut column: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

/// A one-sheet .xlsx package around `sheet_data` (the inside of `<sheetData>`).
fn write_minimal_xlsx(path: &Path, sheet_data: &str) {
    use std::io::Write;
    const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PR: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts = [
        (
            "_rels/.rels",
            format!(
                r#"<Relationships xmlns="{PR}"><Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{NS}" xmlns:r="{R}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{PR}"><Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                r#"<sst xmlns="{NS}" uniqueCount="2"><si><t>甲</t></si><si><t>乙</t></si></sst>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<worksheet xmlns="{NS}"><sheetData>{sheet_data}</sheetData></worksheet>"#),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}
