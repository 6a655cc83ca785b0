//! Tests of [`super`] (table).

use super::*;

fn table(head: &[&str], rows: &[&[&str]], index: usize) -> Table {
    Table::of_text(head, rows, index)
}

#[test]
fn tables_with_merged_rows_carry_marks_for_continued_labels() {
    let t = table(
        &["措施内容", "", "具体工作"],
        &[
            &["一、甲", "（一）乙", "1.丙"],
            &["", "", "2.丁"],
            &["", "（二）戊", "1.己"],
        ],
        4,
    );
    let typst = to_typst(&t);
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
    // A row continuing merged cells marks its first own cell (its text escaped).
    assert!(
        typst.contains(" [#place(top + left)[#metadata((4, 1, 1, ()))<qd-row>]2\\.丁],"),
        "{typst}"
    );
    assert_eq!(typst.matches("<qd-head>").count(), 1, "{typst}");
    assert_eq!(typst.matches("<qd-col>").count(), 2, "{typst}");
    let plain = table(&["姓名", "职务"], &[&["甲", "局长"], &["乙", "副局长"]], 0);
    assert!(
        !to_typst(&plain).contains("metadata"),
        "no marks without merges"
    );
}

#[test]
fn cells_are_placed_by_their_merges_and_columns_sized_in_fractions() {
    let t = table(
        &["姓名", "职务", "职责"],
        &[&["甲", "局长", "1."], &["备　注", "", "说明"]],
        0,
    );
    let typst = to_typst(&t);
    assert!(typst.contains("align: center + horizon)[姓名],"), "{typst}");
    assert!(typst.contains("[备　注], [], [说明],"), "{typst}");
    assert!(
        typst.contains("columns: (4.10fr, 3.10fr, 3.10fr,)"),
        "{typst}"
    );
}
