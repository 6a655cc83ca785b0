//! 责任清单: leaders (or posts, or departments) with their 职务 and numbered 工作职责, validated
//! from a sheet.
//!
//! One row per duty, as clerks keep it in Excel: a blank 姓名 / 职务 means "same leader as the row
//! above" (that is how merged cells come out of a spreadsheet). A duty typed with its own number
//! ("1. …") has the number removed, since numbering is ours. Which columns a sheet may have —
//! by person or by post, 序号, 责任依据 and 追责情形 — is [`columns`]'s concern.

pub(crate) mod columns;
#[cfg(test)]
mod tests;

use std::path::Path;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::columns::map_columns;
use crate::inputs::sheet::Sheet;
use crate::model::numbering::strip_typed_number;
pub(crate) use columns::{COLUMNS, ListColumns};
use columns::{DUTY, HOLDER, TITLE};

/// One leader (or post, or department) and the duties listed for them, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leader {
    pub(crate) name: String,
    pub(crate) title: String,
    pub duties: Vec<String>,
    /// For each duty, the text of each extra column ([`ListColumns::extra`]), in order.
    pub(crate) extra: Vec<Vec<String>>,
    /// Sheet row where the leader starts, for messages.
    #[serde(skip)]
    pub(crate) row: usize,
}

/// A validated responsibility list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponsibilityList {
    pub leaders: Vec<Leader>,
    pub(crate) remark: Option<String>,
    /// The columns it is printed with.
    pub(crate) columns: ListColumns,
}

/// Validates a responsibility list, collecting every problem.
pub(crate) fn build_roster(
    path: &Path,
    sheet: &Sheet,
    remark: Option<String>,
    diags: &mut Diagnostics,
) -> Option<ResponsibilityList> {
    let (by_post, specs) = columns::specs(sheet);
    let map = map_columns(path, sheet, &specs, diags)?;
    let cols = ListColumns::of(sheet, by_post, &specs, &map);
    let extras = ListColumns::extra_positions(&specs, &map);
    let errors_before = diags.error_count();
    let (noun_zh, noun_en) = cols.holder_noun();
    let at = |row: usize, column: &str| Location::Cell {
        row,
        column: column.to_owned(),
    };
    let mut leaders: Vec<Leader> = Vec::new();
    // Rows above the first name: one leader's duties whose name was left out, told once.
    let mut nameless: Vec<usize> = Vec::new();
    for row in &sheet.rows {
        let name = map.cell(row, HOLDER);
        let title = map.cell(row, TITLE);
        let duty = map.cell(row, DUTY);
        let starts_new = !name.is_empty() && leaders.last().is_none_or(|l| l.name != name);
        if starts_new {
            if let (true, Some(nameless)) =
                (leaders.is_empty(), nameless_rows(path, &cols, &nameless))
            {
                diags.push(nameless);
            }
            if let Some(earlier) = leaders.iter().find(|l| l.name == name) {
                diags.push(
                    Diagnostic::error(
                        path,
                        at(row.row, &cols.holder),
                        format!("“{name}”重复出现（第{}行已列出）", earlier.row),
                        format!("“{name}” is listed twice (already at row {})", earlier.row),
                    )
                    .with_hint(
                        format!("同一{noun_zh}的职责请放在相邻的行"),
                        format!("keep all duties of one {noun_en} in adjacent rows"),
                    ),
                );
            }
            if title.is_empty() && !cols.by_post {
                diags.push(Diagnostic::error(
                    path,
                    at(row.row, "职务"),
                    format!("“{name}”的职务为空"),
                    format!("the 职务 (position) of “{name}” is empty"),
                ));
            }
            leaders.push(Leader {
                name: name.to_owned(),
                title: title.to_owned(),
                duties: Vec::new(),
                extra: Vec::new(),
                row: row.row,
            });
        } else if leaders.is_empty() {
            nameless.push(row.row);
            continue;
        } else if !title.is_empty() && leaders.last().is_some_and(|l| l.title != title) {
            diags.push(Diagnostic::warning(
                path,
                at(row.row, cols.title.as_deref().unwrap_or("职务")),
                format!(
                    "此行职务“{title}”与上方“{}”不同，已按上方为准",
                    leaders.last().map_or("", |l| &l.title)
                ),
                format!(
                    "this row’s 职务 “{title}” differs from the one above; the one above is kept"
                ),
            ));
        }
        let extra: Vec<String> = extras
            .iter()
            .map(|&i| map.cell(row, i).to_owned())
            .collect();
        if duty.is_empty() {
            if let Some(text) = extra.iter().find(|t| !t.is_empty()) {
                diags.push(Diagnostic::error(
                    path,
                    at(row.row, &cols.duty),
                    format!("此行有“{text}”，但{}为空", cols.duty),
                    format!("this row has “{text}” but its {} is empty", cols.duty),
                ));
            }
            continue;
        }
        let (text, had_number) = strip_typed_number(duty);
        if had_number {
            diags.push(Diagnostic::warning(
                path,
                at(row.row, &cols.duty),
                "职责前的序号已去掉，序号会自动生成",
                "the number typed before the duty was removed; duties are numbered automatically",
            ));
        }
        if let Some(leader) = leaders.last_mut() {
            leader.duties.push(text.to_owned());
            leader.extra.push(extra);
        }
    }
    if let (true, Some(nameless)) = (leaders.is_empty(), nameless_rows(path, &cols, &nameless)) {
        diags.push(nameless);
    }
    for leader in &leaders {
        if leader.duties.is_empty() {
            diags.push(Diagnostic::error(
                path,
                at(leader.row, &cols.duty),
                format!("“{}”没有任何{}", leader.name, cols.duty),
                format!("“{}” has no duties listed", leader.name),
            ));
        }
    }
    if leaders.is_empty() {
        diags.push(Diagnostic::error(
            path,
            Location::File,
            format!("责任清单中没有任何{noun_zh}"),
            format!("the responsibility list has no {noun_en}s"),
        ));
    }
    (diags.error_count() == errors_before).then_some(ResponsibilityList {
        leaders,
        remark,
        columns: cols,
    })
}

/// The one error for the duties on `rows`, above the first name: the first leader's name was
/// left out, on the first of them (the rows below it may stay empty, as for every leader).
fn nameless_rows(path: &Path, cols: &ListColumns, rows: &[usize]) -> Option<Diagnostic> {
    let (&first, &last) = (rows.first()?, rows.last()?);
    let holder = &cols.holder;
    let (noun_zh, noun_en) = cols.holder_noun();
    // A list by person keeps its words: "the leader's name", "姓名".
    let (what_zh, what_en) = if cols.by_post {
        (holder.clone(), format!("{noun_en} ({holder})"))
    } else {
        ("姓名".to_owned(), "leader name".to_owned())
    };
    let (zh, en) = if rows.len() == 1 {
        (
            format!("第一条职责没有对应的{what_zh}"),
            format!("the first duty has no {what_en}"),
        )
    } else {
        (
            format!(
                "第{first}–{last}行的{}条职责没有对应的{what_zh}",
                rows.len()
            ),
            format!(
                "the {} duties on rows {first}–{last} have no {what_en}",
                rows.len()
            ),
        )
    };
    let fill_zh = if cols.by_post {
        format!("负责这些职责的{holder}")
    } else {
        "负责这些职责的领导姓名".to_owned()
    };
    let fill_en = if cols.by_post {
        format!("the {noun_en}")
    } else {
        "the leader's name".to_owned()
    };
    Some(
        Diagnostic::error(path, Location::Cell { row: first, column: holder.clone() }, zh, en)
            .with_hint(
                format!("在第{first}行的“{holder}”列填上{fill_zh}；其下各行可留空，表示同一{}", if cols.by_post { noun_zh } else { "人" }),
                format!(
                    "fill in {fill_en} in column {holder} on row {first}; the rows below it may stay empty, they belong to the same {noun_en}"
                ),
            ),
    )
}
