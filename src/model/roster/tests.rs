//! Unit tests of the 责任清单 reader.
use super::*;
use crate::inputs::parse_csv;

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

#[test]
fn a_list_by_post_keeps_its_headers_its_numbers_and_its_extra_columns() {
    let (list, diags) = build(
        "序号,岗位,安全工作职责,责任依据,追责情形\n1,校长,甲,依据一,情形一\n,,乙,,\n2,门卫,丙,依据三,\n",
    );
    assert!(diags.is_empty(), "{diags}");
    let list = list.unwrap();
    assert!(list.columns.by_post);
    assert_eq!(
        list.columns.headers(),
        ["序号", "岗位", "安全工作职责", "责任依据", "追责情形"]
    );
    assert_eq!(list.leaders[0].duties, ["甲", "乙"]);
    assert_eq!(
        list.leaders[0].extra,
        [vec!["依据一", "情形一"], vec!["", ""]]
    );
    assert_eq!(list.leaders[1].name, "门卫");
    // No 职务 needed by post; a department list has only two columns.
    let (list, diags) = build("科室,职责\n办公室,甲\n,乙\n教务处,丙\n");
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(list.unwrap().columns.headers(), ["科室", "职责"]);
}

#[test]
fn a_list_by_post_names_its_own_columns_in_messages() {
    let (list, diags) = build("岗位,安全工作职责,责任依据\n,甲,依据\n门卫,,依据二\n");
    assert!(list.is_none());
    let text = diags.to_string();
    assert!(text.contains("第一条职责没有对应的岗位"), "{text}");
    assert!(
        text.contains("此行有“依据二”，但安全工作职责为空"),
        "{text}"
    );
    assert!(text.contains("“门卫”没有任何安全工作职责"), "{text}");
}

#[test]
fn a_list_by_person_still_needs_its_position() {
    let (list, diags) = build("姓名,职位,工作职责\n吴安浩,局长,甲\n");
    assert!(list.is_none());
    let text = diags.to_string();
    assert!(text.contains("缺少“职务”列"), "{text}");
    assert!(
        text.contains("did you mean “职务” instead of “职位”?"),
        "{text}"
    );
}
