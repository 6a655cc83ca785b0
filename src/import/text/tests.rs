//! Unit tests of reading plain text.

use super::*;
use crate::import::source::Block;

fn read(text: &str) -> Source {
    read_text(Path::new("a.txt"), text.as_bytes()).unwrap()
}

fn texts(source: &Source) -> Vec<String> {
    source
        .blocks
        .iter()
        .map(|b| match b {
            Block::Para(p) => p.text.clone(),
            Block::Table(t) => format!("<table {}x{}>", t.rows.len(), t.width()),
        })
        .collect()
}

#[test]
fn a_sentence_cut_by_a_page_break_is_joined_and_reported() {
    let source = read(
        "第三条 坚持党政同责，坚持管行业必须管安\n\n全、管业务必须管安全。\n\n第四条 其他。\n",
    );
    assert_eq!(
        texts(&source),
        [
            "第三条 坚持党政同责，坚持管行业必须管安全、管业务必须管安全。",
            "第四条 其他。"
        ]
    );
    assert!(
        source
            .notes
            .iter()
            .any(|n| n.en.contains("joined to the paragraph before"))
    );
}

#[test]
fn a_title_is_not_joined_to_the_text_below_it() {
    let source = read("某镇党政领导干部安全生产的实施意见\n\n根据要求，结合实际，制定本意见。\n");
    assert_eq!(source.blocks.len(), 2);
}

#[test]
fn bookmarks_and_invisible_characters_are_removed_and_noted() {
    let source = read("附件1\n[bookmark: _GoBack]关于某事的\u{200B}任务分工表\n");
    assert_eq!(texts(&source), ["附件1", "关于某事的任务分工表"]);
    assert_eq!(source.notes.len(), 2);
}

#[test]
fn gbk_text_is_read_with_a_note() {
    let (bytes, _, _) = encoding_rs::GBK.encode("各县市区：\n现印发给你们。\n");
    let source = read_text(Path::new("a.txt"), &bytes).unwrap();
    assert_eq!(texts(&source), ["各县市区：", "现印发给你们。"]);
    assert!(source.notes[0].en.contains("GBK"));
}

#[test]
fn tables_a_row_a_line() {
    let source = read(
        "标题\n\n姓名\t职务\t工作职责\n吴安浩\t局长\t1. 甲。\n\t\t2. 乙。\n\n备 注\t\t如有变动。\n",
    );
    let Block::Table(table) = &source.blocks[1] else {
        panic!("{:?}", texts(&source));
    };
    assert_eq!(table.rows.len(), 4);
    assert_eq!(table.rows[2], ["", "", "2. 乙。"]);
    assert_eq!(table.rows[3], ["备 注", "", "如有变动。"]);
}

#[test]
fn tables_a_cell_a_line_with_rows_counted_by_their_cells() {
    let text = "\t国务院安委会\n15 条措施内容\n\t具体工作\n\t责任单位\n\t完成时限\n\n\
                \t一、严格落实\n\t（一）树牢理念\n\t1.高度重视。\n\t教育局\n\t9月底前完成\n长期坚持\n\n\
                \t\n\t\n\t2.认真学习。\n\t教育局\n\t11月底前完成\n\n\
                \t二、全面落实\n安全监管责任\n\n\t（四）严格落实\n\n\t1.严格按照。\n\t教育局、各校\n\t长期坚持\n\n\
                \t\n\t\n\t2.按照要求。\n\t各校\n\n\t长期坚持\n\n\
                \t\n\t\n\t3.建立制度。\n\t各校\n\t5月底前完成\n";
    let source = read(text);
    let Block::Table(table) = &source.blocks[0] else {
        panic!("{:?}", texts(&source));
    };
    let rows: Vec<Vec<&str>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert_eq!(
        rows[0],
        [
            "国务院安委会\n15 条措施内容",
            "具体工作",
            "责任单位",
            "完成时限",
            ""
        ]
    );
    assert_eq!(
        rows[1],
        [
            "一、严格落实",
            "（一）树牢理念",
            "1.高度重视。",
            "教育局",
            "9月底前完成\n长期坚持"
        ]
    );
    assert_eq!(
        rows[3],
        [
            "二、全面落实\n安全监管责任",
            "（四）严格落实",
            "1.严格按照。",
            "教育局、各校",
            "长期坚持"
        ]
    );
    assert_eq!(rows[4], ["", "", "2.按照要求。", "各校", "长期坚持"]);
}

#[test]
fn a_cell_continued_after_an_empty_paragraph_stays_in_its_row() {
    let text = "标题\n\n\t带队领导\n\t牵头部门\n\t检查范围\n\n\t郭环球\n\t安监站\n\t全镇\n\n\
                \t秦  尚\n\t政法办、纪委、\n\n财政所\n\t负责分管领域\n\n\t高峻峰\n\t国保所\n\t青山府\n\n下一段文字。\n";
    let source = read(text);
    let Block::Table(table) = &source.blocks[1] else {
        panic!("{:?}", texts(&source));
    };
    assert_eq!(table.rows.len(), 4);
    assert_eq!(
        table.rows[2],
        ["秦  尚", "政法办、纪委、\n财政所", "负责分管领域"]
    );
    assert_eq!(texts(&source).last().unwrap(), "下一段文字。");
}
