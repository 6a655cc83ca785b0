//! Tests of [`super`] (table).

use super::*;

fn table(head: &[&str], rows: &[&[&str]]) -> Table {
    Table::of_text(head, rows, 0)
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
    let body = &t.body_places;
    assert_eq!(body[0][0], Place::Span { rows: 3, cols: 1 });
    assert_eq!(body[0][1], Place::Span { rows: 2, cols: 1 });
    assert_eq!(body[1][0], Place::Covered);
    assert_eq!(body[2][1], Place::Span { rows: 1, cols: 1 });
    assert_eq!(t.header_places[0], Place::Span { rows: 1, cols: 2 });
    assert!(t.continued);
}

#[test]
fn a_blank_cell_after_filled_ones_stays_a_cell() {
    let t = table(
        &["姓名", "职务", "职责"],
        &[&["甲", "局长", "1."], &["备　注", "", "说明"]],
    );
    assert_eq!(t.body_places[1][1], Place::Span { rows: 1, cols: 1 });
    assert!(!t.continued, "no merged rows, no （续）");
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
    let width = |i: usize| (t.columns[i].width * 100.0).round() / 100.0;
    assert_eq!(width(0), 4.1, "{:?}", t.columns);
    assert_eq!(width(1), 7.6, "{:?}", t.columns);
    assert!(width(2) > 19.0, "{:?}", t.columns);
    assert!(t.columns[0].centred);
    assert!(!t.columns[2].centred);
}
