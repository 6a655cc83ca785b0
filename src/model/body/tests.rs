//! Bodies numbered, cross-referenced and checked, from Markdown as authors write it.

use std::path::Path;

use super::numberer::join_lines;
use super::{Block, BodyStyle, build_body};
use crate::diag::Diagnostics;
use crate::model::numbering::NumberingStyle;

fn build(source: &str, style: BodyStyle) -> (Vec<Block>, Diagnostics) {
    let mut diags = Diagnostics::new();
    (
        build_body(
            Path::new("正文.md"),
            source,
            style,
            &NumberingStyle::default(),
            &mut diags,
        ),
        diags,
    )
}

fn labels(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { label, .. } | Block::Item { label, .. } => Some(label.clone()),
            Block::Paragraph { .. } => None,
        })
        .collect()
}

/// The text of every heading and item.
fn texts(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { title, .. } => Some(title.clone()),
            Block::Item { text, .. } => Some(text.clone()),
            Block::Paragraph { .. } => None,
        })
        .collect()
}

#[test]
fn pasted_numbers_are_used_when_right_and_reported_when_not() {
    // Recognised and used: the typed number is the one qingdan gives.
    for (source, style, text) in [
        ("# 第一章 总则\n\n1. 甲\n", BodyStyle::Articles, "总则"),
        ("# 第一章　总则\n\n1. 甲\n", BodyStyle::Articles, "总则"),
        (
            "1. 第一条 本细则适用于全市。\n",
            BodyStyle::Articles,
            "本细则适用于全市。",
        ),
        ("# 一、总体要求\n\n1. 甲\n", BodyStyle::Sections, "总体要求"),
        (
            "# 要求\n\n1. （一）加强学习。\n",
            BodyStyle::Sections,
            "加强学习。",
        ),
    ] {
        let (blocks, diags) = build(source, style);
        assert!(diags.is_empty(), "{source}: {diags}");
        assert!(
            texts(&blocks).contains(&text.to_owned()),
            "{source}: {:?}",
            texts(&blocks)
        );
    }
    // Reported with the line: never printed doubled (第一条　第二条), never merged.
    for (source, style, line, said) in [
        (
            "# 第三章 总则\n\n1. 甲\n",
            BodyStyle::Articles,
            1,
            "“第三章”",
        ),
        (
            "# 总则\n\n1. 甲\n1. 第二十条 乙\n",
            BodyStyle::Articles,
            4,
            "“第二十条”",
        ),
        ("1. (一)内容\n", BodyStyle::Articles, 1, "另一层级"),
        (
            "1. 甲：\n   1. 子一\n   （三）子三\n",
            BodyStyle::Articles,
            3,
            "“（三）”",
        ),
        (
            "前言一行，\n第三条 这一行是条文。\n",
            BodyStyle::Articles,
            2,
            "“第三条”",
        ),
        ("1. 甲 {#甲} 乙\n", BodyStyle::Articles, 1, "{#甲}"),
    ] {
        let (_, diags) = build(source, style);
        let text = diags.to_string();
        assert!(diags.has_errors(), "{source}: no error");
        assert!(
            text.contains(&format!("正文.md:{line}")),
            "{source}: line {line}\n{text}"
        );
        assert!(text.contains(said), "{source}: {said}\n{text}");
    }
}

#[test]
fn articles_number_continuously_across_chapters() {
    let source = "# 总则\n\n前言。\n\n1. 甲\n1. 乙\n\n# 职责\n\n1. 丙：\n   1. 子一\n   1. 子二\n      1. 孙\n1. 丁\n   1. 子\n";
    let (blocks, diags) = build(source, BodyStyle::Articles);
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(
        labels(&blocks),
        [
            "第一章",
            "第一条",
            "第二条",
            "第二章",
            "第三条",
            "（一）",
            "（二）",
            "1.",
            "第四条",
            "（一）"
        ]
    );
    assert_eq!(
        blocks[1],
        Block::Paragraph {
            text: "前言。".into()
        }
    );
}

#[test]
fn sections_number_by_heading_depth() {
    let source = "导语。\n\n# 目标\n\n段落。\n\n# 责任\n\n## 书记职责：\n\n1. 甲\n2. 乙\n\n## 镇长职责：\n\n1. 丙\n\n# 要求\n\n1. *加强学习，提高认识。*镇党委要……\n1. 乙\n";
    let (blocks, diags) = build(source, BodyStyle::Sections);
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(
        labels(&blocks),
        [
            "一、",
            "二、",
            "（一）",
            "1.",
            "2.",
            "（二）",
            "1.",
            "三、",
            "（一）",
            "（二）"
        ]
    );
    let Block::Item { run_in, text, .. } = &blocks[blocks.len() - 2] else {
        panic!()
    };
    assert_eq!(run_in.as_deref(), Some("加强学习，提高认识。"));
    assert_eq!(text, "镇党委要……");
}

#[test]
fn references_follow_renumbering() {
    let source = "# 总则\n\n1. 见[第九章](#职责)和[第九条](#追责)。\n\n# 新增一章\n\n1. 新条\n\n# 职责 {#职责}\n\n1. {#追责} 追责条款\n";
    let (blocks, diags) = build(source, BodyStyle::Articles);
    assert!(diags.is_empty(), "{diags}");
    let Block::Item { text, .. } = &blocks[1] else {
        panic!()
    };
    assert_eq!(text, "见第三章和第三条。");
    let Block::Item { text, .. } = blocks.last().unwrap() else {
        panic!()
    };
    assert_eq!(text, "追责条款");
}

#[test]
fn an_unknown_reference_names_its_line() {
    let (_, diags) = build(
        "# 总则 {#zongze}\n\n1. 见[第一章](#zongz)。\n",
        BodyStyle::Articles,
    );
    let text = diags.to_string();
    assert!(
        text.contains("（第3行 / line 3）") && text.contains("“zongz”不存在"),
        "{text}"
    );
    assert!(text.contains("did you mean “zongze”?"), "{text}");
}

#[test]
fn wrapped_lines_join_without_spaces_in_chinese() {
    assert_eq!(
        join_lines("第一行\n  第二行 GB/T\n9704"),
        "第一行第二行 GB/T 9704"
    );
}

#[test]
fn one_line_of_many_nested_quotes_is_one_error() {
    let source = format!("1. 第一条。\n\n{}引文\n", "> ".repeat(10_000));
    let (_, diags) = build(&source, BodyStyle::Articles);
    let errors: Vec<_> = diags.iter().collect();
    assert_eq!(errors.len(), 1, "{diags}");
    assert_eq!(errors[0].location, crate::diag::Location::Line(3));
}

#[test]
fn naming_the_line_of_every_item_stays_linear() {
    // 2 MB of articles, the most a body file may hold: counting the line breaks before every
    // item from the start of the file took minutes at this size.
    let item = "1. 各级领导干部应当认真履行安全生产职责，定期检查。\n";
    let source = item.repeat((2 << 20) / item.len());
    let started = std::time::Instant::now();
    let (blocks, diags) = build(&source, BodyStyle::Articles);
    let elapsed = started.elapsed().as_secs_f64();
    assert!(!diags.has_errors(), "{diags}");
    assert_eq!(blocks.len(), (2 << 20) / item.len());
    // Linear takes well under a second; quadratic, over a minute.
    assert!(elapsed < 10.0, "{elapsed} s");
}
