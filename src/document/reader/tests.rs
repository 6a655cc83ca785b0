//! Tests of [`super`] (reader).

use super::super::blocks;
use super::*;

fn text(t: &str) -> Inline {
    Inline::Text(t.to_owned())
}

#[test]
fn headings_take_their_level_and_chapters_their_flag() {
    let read = read(
        "## 第一章　总则\n\n### （一）甲\n\n#### 1.乙\n",
        true,
        31.0,
        &mut 0,
    );
    let levels: Vec<(u8, bool)> = read
        .iter()
        .map(|b| match b {
            Block::Heading(h) => (h.level, h.chapter),
            _ => panic!("{b:?}"),
        })
        .collect();
    assert_eq!(levels, [(1, true), (2, false), (3, false)]);
    let Block::Heading(h) = &blocks("# 一、甲\n")[0] else {
        panic!()
    };
    assert_eq!((h.level, h.chapter), (1, false));
}

#[test]
fn run_in_leads_are_the_emphasis_opening_a_paragraph() {
    assert_eq!(
        blocks("**第一条**　*（一）加强学习*。镇党委*要*\n"),
        [Block::Paragraph(vec![
            Inline::Strong(vec![text("第一条")]),
            text("　"),
            Inline::Lead(vec![text("（一）加强学习")]),
            text("。镇党委"),
            Inline::Emphasis(vec![text("要")]),
        ])]
    );
    assert_eq!(
        blocks("1. *甲*乙\n"),
        [Block::Paragraph(vec![
            text("1."),
            Inline::Lead(vec![text("甲")]),
            text("乙")
        ])]
    );
}

#[test]
fn soft_breaks_are_spaces_between_latin_words_only() {
    assert_eq!(
        blocks("甲\n乙 word\nnext\n"),
        [Block::Paragraph(vec![
            text("甲"),
            text("乙 word"),
            text(" "),
            text("next")
        ])]
    );
    // Not at the start of a line made by a line break.
    assert_eq!(
        blocks("a<br>\nb\n"),
        [Block::Paragraph(vec![
            text("a"),
            Inline::LineBreak,
            text("b")
        ])]
    );
}

#[test]
fn tables_are_numbered_through_the_document() {
    let md = "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n| c |\n| --- |\n| 3 |\n";
    let mut next = 4;
    let read = read(md, false, 31.0, &mut next);
    let numbers: Vec<usize> = read
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t.index),
            _ => None,
        })
        .collect();
    assert_eq!((numbers, next), (vec![4, 5], 6));
}

#[test]
fn quotes_hold_their_blocks() {
    assert_eq!(
        blocks("> 甲\n>\n> 乙\n\n丙\n"),
        [
            Block::Quote(vec![
                Block::Paragraph(vec![text("甲")]),
                Block::Paragraph(vec![text("乙")])
            ]),
            Block::Paragraph(vec![text("丙")])
        ]
    );
}
