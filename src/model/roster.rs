//! 责任清单: leaders with their 职务 and numbered 工作职责, validated from a sheet.
//!
//! One row per duty, as clerks keep it in Excel: a blank 姓名 / 职务 means "same leader as the row
//! above" (that is how merged cells come out of a spreadsheet). A duty typed with its own number
//! ("1. …") has the number removed, since numbering is ours.

use std::path::Path;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::columns::{ColumnSpec, map_columns};
use crate::inputs::sheet::Sheet;
use crate::model::numbering::strip_typed_number;

const NAME: usize = 0;
const TITLE: usize = 1;
const DUTY: usize = 2;

/// Columns of a responsibility-list sheet.
pub(crate) const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        name: "姓名",
        aliases: &["name", "领导", "领导姓名"],
        required: true,
    },
    ColumnSpec {
        name: "职务",
        aliases: &["title", "position"],
        required: true,
    },
    ColumnSpec {
        name: "工作职责",
        aliases: &["职责", "duty", "duties", "安全生产职责"],
        required: true,
    },
];

/// One leader and the duties listed for them, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leader {
    pub(crate) name: String,
    pub(crate) title: String,
    pub duties: Vec<String>,
    /// Sheet row where the leader starts, for messages.
    #[serde(skip)]
    pub(crate) row: usize,
}

/// A validated responsibility list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponsibilityList {
    pub leaders: Vec<Leader>,
    pub(crate) remark: Option<String>,
}

/// Validates a responsibility list, collecting every problem.
pub(crate) fn build_roster(
    path: &Path,
    sheet: &Sheet,
    remark: Option<String>,
    diags: &mut Diagnostics,
) -> Option<ResponsibilityList> {
    let columns = map_columns(path, sheet, COLUMNS, diags)?;
    let errors_before = diags.error_count();
    let mut leaders: Vec<Leader> = Vec::new();
    // Rows above the first name: one leader's duties whose name was left out, told once.
    let mut nameless: Vec<usize> = Vec::new();
    for row in &sheet.rows {
        let name = columns.cell(row, NAME);
        let title = columns.cell(row, TITLE);
        let duty = columns.cell(row, DUTY);
        let starts_new = !name.is_empty() && leaders.last().is_none_or(|l| l.name != name);
        if starts_new {
            if let (true, Some(nameless)) = (leaders.is_empty(), nameless_rows(path, &nameless)) {
                diags.push(nameless);
            }
            if let Some(earlier) = leaders.iter().find(|l| l.name == name) {
                diags.push(
                    Diagnostic::error(
                        path,
                        Location::Cell {
                            row: row.row,
                            column: "姓名".into(),
                        },
                        format!("“{name}”重复出现（第{}行已列出）", earlier.row),
                        format!("“{name}” is listed twice (already at row {})", earlier.row),
                    )
                    .with_hint(
                        "同一领导的职责请放在相邻的行",
                        "keep all duties of one leader in adjacent rows",
                    ),
                );
            }
            if title.is_empty() {
                diags.push(Diagnostic::error(
                    path,
                    Location::Cell {
                        row: row.row,
                        column: "职务".into(),
                    },
                    format!("“{name}”的职务为空"),
                    format!("the 职务 (position) of “{name}” is empty"),
                ));
            }
            leaders.push(Leader {
                name: name.to_owned(),
                title: title.to_owned(),
                duties: Vec::new(),
                row: row.row,
            });
        } else if leaders.is_empty() {
            nameless.push(row.row);
            continue;
        } else if !title.is_empty() && leaders.last().is_some_and(|l| l.title != title) {
            diags.push(Diagnostic::warning(
                path,
                Location::Cell {
                    row: row.row,
                    column: "职务".into(),
                },
                format!(
                    "此行职务“{title}”与上方“{}”不同，已按上方为准",
                    leaders.last().map_or("", |l| &l.title)
                ),
                format!(
                    "this row’s 职务 “{title}” differs from the one above; the one above is kept"
                ),
            ));
        }
        if duty.is_empty() {
            continue;
        }
        let (text, had_number) = strip_typed_number(duty);
        if had_number {
            diags.push(Diagnostic::warning(
                path,
                Location::Cell {
                    row: row.row,
                    column: "工作职责".into(),
                },
                "职责前的序号已去掉，序号会自动生成",
                "the number typed before the duty was removed; duties are numbered automatically",
            ));
        }
        if let Some(leader) = leaders.last_mut() {
            leader.duties.push(text.to_owned());
        }
    }
    if let (true, Some(nameless)) = (leaders.is_empty(), nameless_rows(path, &nameless)) {
        diags.push(nameless);
    }
    for leader in &leaders {
        if leader.duties.is_empty() {
            diags.push(Diagnostic::error(
                path,
                Location::Cell {
                    row: leader.row,
                    column: "工作职责".into(),
                },
                format!("“{}”没有任何工作职责", leader.name),
                format!("“{}” has no duties listed", leader.name),
            ));
        }
    }
    if leaders.is_empty() {
        diags.push(Diagnostic::error(
            path,
            Location::File,
            "责任清单中没有任何领导",
            "the responsibility list has no leaders",
        ));
    }
    (diags.error_count() == errors_before).then_some(ResponsibilityList { leaders, remark })
}

/// The one error for the duties on `rows`, above the first name: the first leader's name was
/// left out, on the first of them (the rows below it may stay empty, as for every leader).
fn nameless_rows(path: &Path, rows: &[usize]) -> Option<Diagnostic> {
    let (&first, &last) = (rows.first()?, rows.last()?);
    let (zh, en) = if rows.len() == 1 {
        (
            "第一条职责没有对应的姓名".to_owned(),
            "the first duty has no leader name".to_owned(),
        )
    } else {
        (
            format!("第{first}–{last}行的{}条职责没有对应的姓名", rows.len()),
            format!(
                "the {} duties on rows {first}–{last} have no leader name",
                rows.len()
            ),
        )
    };
    Some(
        Diagnostic::error(
            path,
            Location::Cell {
                row: first,
                column: "姓名".into(),
            },
            zh,
            en,
        )
        .with_hint(
            format!("在第{first}行的“姓名”列填上负责这些职责的领导姓名；其下各行可留空，表示同一人"),
            format!(
                "fill in the leader's name in column 姓名 on row {first}; the rows below it may stay empty, they belong to the same leader"
            ),
        ),
    )
}

#[cfg(test)]
mod tests {
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
}
