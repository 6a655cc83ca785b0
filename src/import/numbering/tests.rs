//! Unit tests of reading a body's numbering.

use super::*;
use crate::import::source::Place;

fn paras(lines: &[&str]) -> Vec<Para> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| Para::plain(*l, Place::Line(i + 1)))
        .collect()
}

#[test]
fn rules_become_chapters_articles_and_items() {
    let mut notes = Vec::new();
    let body = body(
        &paras(&[
            "第一章 总则",
            "为进一步加强领导，制定本细则。",
            "第一条 本细则适用于全局。",
            "第二章 职 责",
            "第二条 局长职责主要包括：",
            "（一）认真贯彻执行。",
            "（二）把安全生产纳入议事日程。",
            "第三条 有下列情形之一的：",
            "（一）履行本细则第二章所规定职责不到位的；",
        ]),
        &mut notes,
    );
    assert_eq!(body.style, Style::Articles);
    assert_eq!(
        body.markdown,
        "# 总则\n\n为进一步加强领导，制定本细则。\n\n1. 本细则适用于全局。\n\n# 职　责\n\n\
         1. 局长职责主要包括：\n\n   1. 认真贯彻执行。\n\n   1. 把安全生产纳入议事日程。\n\n\
         1. 有下列情形之一的：\n\n   1. 履行本细则第二章所规定职责不到位的；\n"
    );
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(body.layout, LayoutDraft::default());
}

#[test]
fn the_way_numbers_were_printed_is_kept_as_layout() {
    let mut notes = Vec::new();
    let body = body(
        &paras(&["第一章总则", "第一条本办法自印发之日起施行。", "(一)甲。"]),
        &mut notes,
    );
    assert!(body.layout.chapter_run_in);
    assert!(body.layout.article_run_in);
    assert!(body.layout.half_width_brackets);
}

#[test]
fn opinions_get_sections_subsections_and_run_in_leads() {
    let mut notes = Vec::new();
    let body = body(
        &paras(&[
            "根据要求，制定本意见。",
            "一、工作目标",
            "进一步明确责任。",
            "二、工作责任",
            "（一）镇党委主要负责人的职责：",
            "1.高度重视安全生产工作。",
            "2.协调分工。",
            "（二）其他负责人的职责：",
            "1.负直接领导责任。",
            "三、工作要求",
            "（一）加强学习，提高认识。镇党委要组织学习。",
            "（二）加强督查，确保实效。各部门要监督检查。",
        ]),
        &mut notes,
    );
    assert_eq!(body.style, Style::Sections);
    assert_eq!(
        body.markdown,
        "根据要求，制定本意见。\n\n# 工作目标\n\n进一步明确责任。\n\n# 工作责任\n\n\
         ## 镇党委主要负责人的职责：\n\n1. 高度重视安全生产工作。\n\n1. 协调分工。\n\n\
         ## 其他负责人的职责：\n\n1. 负直接领导责任。\n\n# 工作要求\n\n\
         1. *加强学习，提高认识。*镇党委要组织学习。\n\n1. *加强督查，确保实效。*各部门要监督检查。\n"
    );
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn a_number_qingdan_would_not_give_is_reported() {
    let mut notes = Vec::new();
    let _ = body(&paras(&["第一条 甲。", "第三条 乙。"]), &mut notes);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].zh.contains("“第三条”") && notes[0].zh.contains("“第二条”"));
}

#[test]
fn a_paragraph_inside_a_list_keeps_the_list_open() {
    let mut notes = Vec::new();
    let body = body(
        &paras(&[
            "第一条 有下列情形之一的：",
            "（一）甲；",
            "说明文字。",
            "（二）乙。",
        ]),
        &mut notes,
    );
    assert_eq!(
        body.markdown,
        "1. 有下列情形之一的：\n\n   1. 甲；\n\n      说明文字。\n\n   1. 乙。\n"
    );
    assert!(notes.is_empty(), "{notes:?}");
}
