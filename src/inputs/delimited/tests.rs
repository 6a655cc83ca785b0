//! Tests of [`super`] (delimited).

use super::*;

#[test]
fn rows_swallowed_by_a_stray_quote_are_warned_about() {
    // The quote before 职责一 opens a cell that the stray quote after 李四's duty closes:
    // 李四's whole row is read as part of 张三's duty.
    let text = "姓名,职务,工作职责\n张三,局长,\"职责一\n李四,副局长,职责二\"\n王五,科长,职责三\n";
    let sheet = parse_csv(Path::new("清单.csv"), text).unwrap();
    assert_eq!(sheet.rows.len(), 2, "the csv reader swallows 李四's row");
    let warning = sheet
        .problems
        .iter()
        .find(|d| !d.is_error())
        .expect("a warning");
    assert_eq!(
        warning.location,
        Location::Cell {
            row: 2,
            column: "工作职责".to_owned()
        }
    );
    // A duty that merely runs over two lines is not suspicious.
    let fine = parse_csv(
        Path::new("清单.csv"),
        "姓名,职务,工作职责\n张三,局长,\"职责一，\n续写\"\n",
    )
    .unwrap();
    assert!(fine.problems.is_empty(), "{:?}", fine.problems);
}

#[test]
fn csv_rows_keep_their_line_numbers_and_multiline_cells() {
    let sheet = parse_csv(
        Path::new("t.csv"),
        "姓名,完成时限\n\n甲,\"9月底前完成\n长期坚持\"\n乙,立即整改\n",
    )
    .unwrap();
    assert_eq!(sheet.headers, ["姓名", "完成时限"]);
    assert_eq!(sheet.rows[0].row, 3);
    assert_eq!(sheet.rows[0].cells[1], "9月底前完成\n长期坚持");
    assert_eq!(sheet.rows[1].row, 5);
}

#[test]
fn a_bare_cr_inside_a_cell_is_a_line_break_and_cr_rows_are_numbered() {
    let sheet = parse_csv(Path::new("t.csv"), "姓名,职责\r甲,\"一\r二\"\r乙,三\r").unwrap();
    assert_eq!(sheet.rows[0].cells[1], "一\n二");
    assert_eq!((sheet.rows[0].row, sheet.rows[1].row), (2, 4));
}

#[test]
fn quoting_mistakes_name_the_cell() {
    // (CSV, row, column, kind)
    let cases = [
        (
            "姓名,职务,工作职责\n甲,局长,\"职责一\n乙,副局长,职责二\n",
            2,
            "工作职责",
            QuoteKind::Unclosed,
        ),
        (
            "姓名,职务,工作职责\n甲,局长,\"职责一\n乙,副局长,\"职责二\"\n",
            2,
            "工作职责",
            QuoteKind::TextAfterQuote,
        ),
        ("姓名,\"职务\n", 1, "B", QuoteKind::Unclosed),
        (
            "姓名,职务\n甲,\"a\" \"\n",
            2,
            "职务",
            QuoteKind::TextAfterQuote,
        ),
        (
            "姓名,职务\r\n\r\n甲,\"a\"\"b\"x\r\n",
            3,
            "职务",
            QuoteKind::TextAfterQuote,
        ),
    ];
    for (csv, row, column, kind) in cases {
        let err = parse_csv(Path::new("t.csv"), csv).unwrap_err();
        assert_eq!(
            err.location,
            Location::Cell {
                row,
                column: column.into()
            },
            "{csv:?}"
        );
        let expected = match kind {
            QuoteKind::Unclosed => "没有闭合",
            QuoteKind::TextAfterQuote => "闭合后却还有文字",
        };
        assert!(err.zh.contains(expected), "{csv:?}: {}", err.zh);
    }
}

#[test]
fn well_formed_quoting_is_not_a_problem() {
    for csv in [
        "a,\"b,c\"\n",
        "a,\"say \"\"hi\"\"\"\r\n",
        "a,\"b\"  ,c\n",
        "a,b\"c\"\n",
        "\"a\",\"\"\n\"\"",
        "",
    ] {
        assert_eq!(quote_problem(csv.as_bytes()), None, "{csv:?}");
    }
}

#[test]
fn extra_cells_and_nul_bytes_are_errors_with_row_and_column() {
    let sheet = parse_csv(
        Path::new("t.csv"),
        "姓名,职务,工作职责\n甲,局长,职责一,漏掉的文字\n乙,副局长,职\0责\n",
    )
    .unwrap();
    let text: Vec<String> = sheet.problems.iter().map(|d| d.to_string()).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(text[0].contains("第2行，“D”列"), "{}", text[0]);
    assert!(text[1].contains("第3行，“工作职责”列") && text[1].contains("U+0000"));
}
