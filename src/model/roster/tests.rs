//! Unit tests of the 责任清单 reader.
use super::*;
use crate::inputs::sheet::parse_csv;

fn build(csv: &str) -> (Option<ResponsibilityList>, Diagnostics) {
    let sheet = parse_csv(Path::new("清单.csv"), csv).unwrap();
    let mut diags = Diagnostics::new();
    (
        build_roster(Path::new("清单.csv"), &sheet, None, &mut diags),
        diags,
    )
}

#[test]
fn blank_name_rows_continue_the_leader_above() {
    let (list, diags) = build("姓名,职务,工作职责\n吴安浩,局长,甲\n,,乙\n毛大训,副局长,丙\n");
    let list = list.unwrap();
    assert!(diags.is_empty());
    assert_eq!(list.leaders.len(), 2);
    assert_eq!(list.leaders[0].duties, ["甲", "乙"]);
}

#[test]
fn typed_numbers_are_removed_with_a_warning() {
    let (list, diags) = build("姓名,职务,工作职责\n吴安浩,局长,1. 甲\n");
    assert_eq!(list.unwrap().leaders[0].duties, ["甲"]);
    assert!(!diags.has_errors() && !diags.is_empty());
}

#[test]
fn a_first_leader_without_a_name_is_one_error_with_the_fix() {
    let (list, diags) = build("姓名,职务,工作职责\n,局长,甲\n,,乙\n,,丙\n毛大训,副局长,丁\n");
    assert!(list.is_none());
    assert_eq!(diags.error_count(), 1, "{diags}");
    let text = diags.to_string();
    assert!(text.contains("第2–4行的3条职责没有对应的姓名"), "{text}");
    assert!(text.contains("在第2行的“姓名”列填上"), "{text}");
    assert!(text.contains("row 2, column “姓名”"), "{text}");
    // No name in the whole sheet: still one error, and that there are no leaders.
    let (_, diags) = build("姓名,职务,工作职责\n,局长,甲\n,,乙\n");
    assert_eq!(diags.error_count(), 2, "{diags}");
    assert!(diags.to_string().contains("第2–3行的2条职责"), "{diags}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let (list, diags) =
        build("姓名,职务,工作职责\n,,孤立的职责\n吴安浩,,\n毛大训,局长,甲\n吴安浩,局长,乙\n");
    assert!(list.is_none());
    let text = diags.to_string();
    assert!(
        text.contains("第2行") && text.contains("没有对应的姓名"),
        "{text}"
    );
    assert!(text.contains("“吴安浩”的职务为空"), "{text}");
    assert!(text.contains("“吴安浩”重复出现（第3行已列出）"), "{text}");
    assert!(text.contains("“吴安浩”没有任何工作职责"), "{text}");
}
