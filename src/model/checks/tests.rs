//! Tests of [`super`] (checks).

use super::*;
use crate::inputs::sheet::SheetRow;

/// A sheet of `rows` rows of `columns` cells, `chars` characters in the last cell of each.
fn sheet(rows: usize, columns: usize, chars: usize) -> Sheet {
    let mut cells = vec![String::new(); columns - 1];
    cells.push("字".repeat(chars));
    Sheet {
        headers: (0..columns).map(|c| format!("列{c}")).collect(),
        rows: (0..rows)
            .map(|i| SheetRow {
                row: i + 2,
                cells: cells.clone(),
            })
            .collect(),
        ..Sheet::default()
    }
}

#[test]
fn tables_past_the_size_limits_are_refused_at_the_row_that_passes_them() {
    let per_row_at_limit = MAX_TABLE_CHARS / MAX_TABLE_ROWS;
    for (rows, columns, chars, refused_at, message) in [
        (MAX_TABLE_ROWS, 5, per_row_at_limit, None, ""),
        (
            MAX_TABLE_ROWS + 1,
            2,
            1,
            Some(MAX_TABLE_ROWS + 2),
            "20001 data rows",
        ),
        // 51 characters a row pass a million in the 19,608th row, sheet row 19,609.
        (
            MAX_TABLE_ROWS,
            3,
            per_row_at_limit + 1,
            Some(19_609),
            "reaches 1000008",
        ),
        (
            3,
            2,
            MAX_TABLE_CHARS / 2,
            Some(4),
            "reaches 1500000 characters",
        ),
        // 101 columns pass 100,000 cells in the 991st row, sheet row 992.
        (
            1_000,
            101,
            1,
            Some(992),
            "reaches 100091 cells (101 columns)",
        ),
        (1_000, 100, 1, None, ""),
    ] {
        let found = table_too_large(Path::new("表.csv"), &sheet(rows, columns, chars));
        assert_eq!(
            found.as_ref().map(|d| d.location.clone()),
            refused_at.map(Location::Row),
            "{rows} rows × {columns} of {chars}"
        );
        if let Some(d) = found {
            assert!(d.en.contains(message), "{}", d.en);
            assert!(d.hint.is_some());
        }
    }
}

#[test]
fn document_numbers() {
    assert_eq!(doc_number_problem("株教发〔2019〕12号"), None);
    assert_eq!(doc_number_problem("大发〔2019〕45号"), None);
    let (zh, _) = doc_number_problem("株教发[2019]12号").unwrap();
    assert!(zh.contains("“株教发〔2019〕12号”"), "{zh}");
    let (zh, _) = doc_number_problem("株教发〔2019〕012号").unwrap();
    assert!(zh.contains("“株教发〔2019〕12号”"), "{zh}");
    let (zh, _) = doc_number_problem("株教发【2019】007号").unwrap();
    assert!(zh.contains("“株教发〔2019〕7号”"), "{zh}");
    assert!(doc_number_problem("株教发2019年12号").is_some());
}

#[test]
fn dates() {
    assert_eq!(date_problem("2019年7月1日"), None);
    assert!(date_problem("2019年07月01日").is_some());
    assert!(date_problem("2019-07-01").is_some());
    assert!(date_problem("二〇一九年七月一日").is_some());
    assert!(date_problem("2019年2月29日").unwrap().0.contains("不存在"));
    assert!(date_problem("2019年13月1日").unwrap().0.contains("不存在"));
    for (written, fixed) in [
        ("2019年07月01日", "2019年7月1日"),
        ("2019-07-01", "2019年7月1日"),
        ("2019/8/20", "2019年8月20日"),
        ("2019.08.20", "2019年8月20日"),
        ("二〇一九年八月二十日", "2019年8月20日"),
        ("二〇一九年十二月三十一日", "2019年12月31日"),
        ("２０１９年８月２０日", "2019年8月20日"),
    ] {
        let (zh, en) = date_problem(written).unwrap();
        assert!(zh.contains(&format!("“{fixed}”")), "{written}: {zh}");
        assert!(en.contains(fixed), "{written}: {en}");
    }
    assert!(date_problem("去年").unwrap().0.contains("2019年8月20日"));
    assert_eq!(date_problem("2020年2月29日"), None);
}

#[test]
fn office_deadlines_are_understood() {
    for ok in [
        "9月底前完成",
        "11 月底前完成",
        "11月30日前完成",
        "长期坚持",
        "立即整改",
        "及时修订",
        "4月起至党的二十大结束",
        "年底前完成",
        "2023年6月底前",
    ] {
        assert!(deadline_understood(ok), "{ok}");
    }
    for bad in ["教育局", "尽快吧", "完成"] {
        assert!(!deadline_understood(bad), "{bad}");
    }
}
