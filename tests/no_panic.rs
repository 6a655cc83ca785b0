//! Property tests ("fuzzing" on stable Rust): no user input may make qingdan panic, and escaping
//! must make any text read back literally. Each property runs a fixed budget of cases
//! (PROPTEST_CASES overrides it); a failure found is shrunk and recorded by proptest under
//! `proptest-regressions/`, which is committed so it is replayed forever.

use std::path::Path;

use proptest::prelude::*;
use qingdan::diag::Diagnostics;
use qingdan::inputs::manifest::parse_manifest;
use qingdan::inputs::sheet::parse_csv;
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
