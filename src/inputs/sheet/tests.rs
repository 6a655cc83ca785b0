//! Tests of [`super`] (sheet).

use super::*;
use crate::inputs::parse_csv;

fn row(row: usize, cells: &[&str]) -> SheetRow {
    SheetRow {
        row,
        cells: cells.iter().map(|c| c.to_string()).collect(),
    }
}

#[test]
fn columns_are_named_by_their_letters() {
    let names: Vec<String> = [0, 25, 26, 701, 702, 16_383]
        .into_iter()
        .map(column_letters)
        .collect();
    assert_eq!(names, ["A", "Z", "AA", "ZZ", "AAA", "XFD"]);
}

#[test]
fn an_empty_file_is_an_error() {
    let err = parse_csv(Path::new("t.csv"), "\n,,\n").unwrap_err();
    assert!(err.zh.contains("表格是空的"));
}

#[test]
fn text_without_a_header_is_an_error_naming_the_cell() {
    let sheet = into_sheet(
        Path::new("t.csv"),
        vec![
            row(1, &["姓名", "", "职务"]),
            row(2, &["甲", "", "局长", "", "多出的文字"]),
            row(3, &["乙", "漏掉", "局长", " "]),
        ],
        vec![],
        0,
    )
    .unwrap();
    let text: Vec<String> = sheet.problems.iter().map(|d| d.to_string()).collect();
    assert_eq!(sheet.problems.len(), 2, "{text:?}");
    assert!(text[0].contains("第2行，“E”列") && text[0].contains("多出的文字"));
    assert!(text[1].contains("第3行，“B”列") && text[1].contains("漏掉"));
    assert!(sheet.problems.iter().all(Diagnostic::is_error));
}

#[test]
fn invisible_characters_are_removed_with_a_warning_naming_the_cell() {
    let sheet = into_sheet(
        Path::new("t.csv"),
        vec![
            row(1, &["姓\u{200B}名", "职务"]),
            row(2, &["\u{202E}浩安吴", "局长"]),
        ],
        vec![],
        0,
    )
    .unwrap();
    assert_eq!(sheet.headers, ["姓名", "职务"]);
    assert_eq!(sheet.rows[0].cells[0], "浩安吴");
    let text: Vec<String> = sheet.problems.iter().map(|d| d.to_string()).collect();
    assert!(text[0].contains("第1行，“姓名”列") && text[0].contains("U+200B"));
    assert!(text[1].contains("第2行，“姓名”列") && text[1].contains("U+202E"));
    assert!(!sheet.problems.iter().any(Diagnostic::is_error));
}

#[test]
fn a_flood_of_problems_is_summed_up() {
    let mut records = vec![row(1, &["姓名"])];
    records.extend((2..200).map(|r| row(r, &["甲", "多余"])));
    let sheet = into_sheet(Path::new("t.csv"), records, vec![], 0).unwrap();
    assert_eq!(sheet.problems.len(), MAX_REPORTED + 1);
    assert!(sheet.problems[MAX_REPORTED].zh.contains("另有 168 处"));
}

#[test]
fn the_budget_refuses_a_table_beyond_the_limits() {
    let p = Path::new("t.xlsx");
    let mut b = Budget::default();
    assert!(b.take_row(p, 1, 3, 100).is_ok());
    let wide = Budget::default().take_cell(p, 16_383, 1).unwrap_err();
    assert!(wide.zh.contains("XFD 列（第16384列）"), "{}", wide.zh);
    let mut tall = Budget::default();
    let err = (0..LIMITS.area)
        .find_map(|row| tall.take_row(p, row + 1, 100, 1).err())
        .unwrap();
    assert!(err.en.contains("rows × columns"), "{}", err.en);
    let text = Budget::default()
        .take_row(p, 1, 1, LIMITS.text_bytes + 1)
        .unwrap_err();
    assert!(text.en.contains("MB of text"));
}
