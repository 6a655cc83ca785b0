//! Tests of [`super`] (table).

use super::*;

fn cell(text: &str) -> Cell {
    Cell {
        markup: text.to_owned(),
        plain: text.to_owned(),
    }
}

fn table(head: &[&str], rows: &[&[&str]]) -> TableBuilder {
    TableBuilder {
        width_em: 31.0,
        head: head.iter().map(|t| cell(t)).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|t| cell(t)).collect())
            .collect(),
        ..TableBuilder::default()
    }
}

#[test]
fn leading_blank_cells_merge_into_the_group_above() {
    let t = table(
        &["措施内容", "", "具体工作"],
        &[
            &["一、甲", "（一）乙", "1.丙"],
            &["", "", "2.丁"],
            &["", "（二）戊", "1.己"],
            &["二、庚", "（三）辛", "1.壬"],
        ],
    );
    let body = t.body_places();
    assert_eq!(body[0][0], Place::Span { rows: 3, cols: 1 });
    assert_eq!(body[0][1], Place::Span { rows: 2, cols: 1 });
    assert_eq!(body[1][0], Place::Covered);
    assert_eq!(body[2][1], Place::Span { rows: 1, cols: 1 });
    assert_eq!(t.header_places()[0], Place::Span { rows: 1, cols: 2 });
}

#[test]
fn tables_with_merged_rows_carry_marks_for_continued_labels() {
    let mut t = table(
        &["措施内容", "", "具体工作"],
        &[
            &["一、甲", "（一）乙", "1.丙"],
            &["", "", "2.丁"],
            &["", "（二）戊", "1.己"],
        ],
    );
    t.index = 4;
    let typst = t.to_typst();
    // The first row: its mark lists the merged cells starting there; the merged columns'
    // extents are marked once.
    assert!(
        typst.contains(
            "table.cell(rowspan: 3, colspan: 1)[#place(top + left)[#metadata((4, 0, 0, \
             ((0, 3, \"center\", [一、甲]),(1, 2, \"center\", [（一）乙]),)))<qd-row>]\
             #place(top + left)[#metadata((4, 0))<qd-col>]\
             #place(top + right)[#metadata((4, 0))<qd-col-end>]一、甲]"
        ),
        "{typst}"
    );
    // A row continuing merged cells marks its first own cell.
    assert!(
        typst.contains(" [#place(top + left)[#metadata((4, 1, 1, ()))<qd-row>]2.丁],"),
        "{typst}"
    );
    assert_eq!(typst.matches("<qd-head>").count(), 1, "{typst}");
    assert_eq!(typst.matches("<qd-col>").count(), 2, "{typst}");
    let plain = table(&["姓名", "职务"], &[&["甲", "局长"], &["乙", "副局长"]]);
    assert!(
        !plain.to_typst().contains("metadata"),
        "no marks without merges"
    );
}

#[test]
fn a_blank_cell_after_filled_ones_stays_a_cell() {
    let t = table(
        &["姓名", "职务", "职责"],
        &[&["甲", "局长", "1."], &["备　注", "", "说明"]],
    );
    assert_eq!(t.body_places()[1][1], Place::Span { rows: 1, cols: 1 });
    let typst = t.to_typst();
    assert!(typst.contains("align: center + horizon)[姓名],"), "{typst}");
    assert!(typst.contains("[备　注], [], [说明],"), "{typst}");
}

#[test]
fn long_columns_share_the_width_short_ones_keep_theirs() {
    let long = "很长的工作职责".repeat(10);
    let t = table(
        &["姓名", "职务", "职责"],
        &[
            &["吴安浩", "党委书记 局长", &long],
            &["毛大训", "副局长", &long],
        ],
    );
    let tracks = t.tracks();
    let width = |i: usize| tracks[i].0.trim_end_matches("fr").parse::<f64>().unwrap();
    assert_eq!(width(0), 4.1, "{tracks:?}");
    assert_eq!(width(1), 7.6, "{tracks:?}");
    assert!(width(2) > 19.0, "{tracks:?}");
    assert_eq!(tracks[0].1, "center + horizon");
    assert_eq!(tracks[2].1, "left + horizon");
}
