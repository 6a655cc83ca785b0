//! Property tests ("fuzzing" on stable Rust): no user input may make qingdan panic, and escaping
//! must make any text read back literally. Each property runs a fixed budget of cases
//! (PROPTEST_CASES overrides it); a failure found is shrunk and recorded by proptest under
//! `proptest-regressions/`, which is committed so it is replayed forever.

use std::path::Path;

use proptest::prelude::*;
use qingdan::diag::Diagnostics;
use qingdan::inputs::manifest::parse_manifest;
use qingdan::inputs::sheet::{parse_csv, read_sheet};
use qingdan::inputs::text::decode;
use qingdan::model::{BodyStyle, body::build_body};
use qingdan::render::escape::escape_markdown;
use qingdan::typst_markup::markdown_to_typst;

/// Text rich in the characters that mean something to CSV, YAML, Markdown, Tera or Typst.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[#*|$<>\\[\\]@`_~+=.!{}()\\\\:;,\"' \n\t一二三（）〔〕第条章1-9a-c-]{0,120}",
        any::<String>(),
    ]
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
            let _ = build_body(Path::new("x.md"), &text, style, &mut diags);
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
