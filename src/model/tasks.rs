//! 任务分工表: categories (一、) → measures (（一）) → tasks (1.) with 责任单位 and 完成时限.
//!
//! One row per task. A blank 类别 or 措施 cell means "same as above", exactly how merged cells
//! look once Excel users unmerge or export them. Measures are numbered continuously across the
//! whole table, tasks restart at 1 under each measure — as in the published tables. A 措施 cell
//! holding several lines is several measures that share the same tasks (seen in real tables as
//! "（十二）… （十三）…" in one merged cell).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::columns::{ColumnSpec, map_columns};
use crate::inputs::sheet::Sheet;
use crate::model::numbering::{Ordinal, strip_typed_number};

const CATEGORY: usize = 0;
const MEASURE: usize = 1;
const TASK: usize = 2;
const UNITS: usize = 3;
const DEADLINE: usize = 4;

/// Columns of a task-division sheet.
pub(crate) const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        name: "类别",
        aliases: &["category", "大项", "一级"],
        required: true,
    },
    ColumnSpec {
        name: "措施",
        aliases: &["measure", "措施内容", "二级"],
        required: true,
    },
    ColumnSpec {
        name: "具体工作",
        aliases: &["task", "工作任务", "任务"],
        required: true,
    },
    ColumnSpec {
        name: "责任单位",
        aliases: &["units", "unit", "牵头单位"],
        required: true,
    },
    ColumnSpec {
        name: "完成时限",
        aliases: &["deadline", "时限", "完成时间"],
        required: true,
    },
];

/// One task row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Task {
    pub(crate) label: String,
    pub(crate) text: String,
    pub(crate) units: String,
    pub(crate) deadline: String,
}

/// One measure (or several sharing tasks) with its tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Measure {
    /// "（一）树牢安全发展理念" per measure line.
    pub(crate) headings: Vec<String>,
    pub(crate) tasks: Vec<Task>,
}

/// A category (一、) and its measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Category {
    pub(crate) heading: String,
    pub(crate) measures: Vec<Measure>,
}

/// A validated task-division table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskTable {
    pub(crate) categories: Vec<Category>,
    /// Printed header per column, defaults replaced by the manifest's 表头.
    pub(crate) headers: BTreeMap<String, String>,
}

/// Validates a task-division table, collecting every problem.
pub(crate) fn build_tasks(
    path: &Path,
    sheet: &Sheet,
    header_overrides: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Option<TaskTable> {
    let columns = map_columns(path, sheet, COLUMNS, diags)?;
    let errors_before = diags.error_count();
    let mut categories: Vec<Category> = Vec::new();
    let mut measure_count = 0;
    for row in &sheet.rows {
        let cell = |i| columns.cell(row, i);
        let at = |column: &str| Location::Cell {
            row: row.row,
            column: column.into(),
        };
        if !cell(CATEGORY).is_empty() {
            let (title, _) = strip_typed_number(cell(CATEGORY));
            let heading = format!(
                "{}{title}",
                Ordinal::Section.label(categories.len() as u32 + 1)
            );
            categories.push(Category {
                heading,
                measures: Vec::new(),
            });
            if cell(MEASURE).is_empty() {
                diags.push(Diagnostic::error(
                    path,
                    at("措施"),
                    "新的类别下第一行缺少措施",
                    "the first row of a new category has no 措施 (measure)",
                ));
            }
        }
        let Some(category) = categories.last_mut() else {
            diags.push(Diagnostic::error(
                path,
                at("类别"),
                "第一行任务缺少类别",
                "the first task row has no 类别 (category)",
            ));
            continue;
        };
        if !cell(MEASURE).is_empty() {
            let headings = cell(MEASURE)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|line| {
                    measure_count += 1;
                    let (title, _) = strip_typed_number(line);
                    format!("{}{title}", Ordinal::Paren.label(measure_count))
                })
                .collect();
            category.measures.push(Measure {
                headings,
                tasks: Vec::new(),
            });
        }
        let Some(measure) = category.measures.last_mut() else {
            continue;
        };
        if cell(TASK).is_empty() {
            diags.push(Diagnostic::error(
                path,
                at("具体工作"),
                "具体工作为空",
                "the task (具体工作) is empty",
            ));
            continue;
        }
        for (column, index) in [("责任单位", UNITS), ("完成时限", DEADLINE)] {
            if cell(index).is_empty() {
                diags.push(Diagnostic::error(
                    path,
                    at(column),
                    format!("{column}为空"),
                    format!("{column} is empty"),
                ));
            }
        }
        for line in cell(DEADLINE).lines().filter(|l| !l.trim().is_empty()) {
            if !crate::model::checks::deadline_understood(line) {
                diags.push(
                    Diagnostic::warning(
                        path,
                        at("完成时限"),
                        format!("无法识别的完成时限“{}”", line.trim()),
                        format!(
                            "完成时限 (deadline) “{}” is not a recognised form",
                            line.trim()
                        ),
                    )
                    .with_hint(
                        "常见写法：9月底前完成、11月30日前完成、长期坚持、立即整改、4月起至……",
                        "usual forms: 9月底前完成, 11月30日前完成, 长期坚持, 立即整改, 4月起至…",
                    ),
                );
            }
        }
        let (text, _) = strip_typed_number(cell(TASK));
        measure.tasks.push(Task {
            label: Ordinal::Arabic.label(measure.tasks.len() as u32 + 1),
            text: text.to_owned(),
            units: cell(UNITS).to_owned(),
            deadline: cell(DEADLINE).to_owned(),
        });
    }
    if categories.is_empty() {
        diags.push(Diagnostic::error(
            path,
            Location::File,
            "任务分工表中没有任何任务",
            "the task-division table has no tasks",
        ));
    }
    let mut headers: BTreeMap<String, String> = COLUMNS
        .iter()
        .map(|c| (c.name.to_owned(), c.name.to_owned()))
        .collect();
    for (column, printed) in header_overrides {
        if headers.contains_key(column) {
            headers.insert(column.clone(), printed.clone());
        } else {
            diags.push(Diagnostic::error(
                path,
                Location::Key(format!("表头.{column}")),
                format!("表头中的“{column}”不是任务分工表的列（类别、措施、具体工作、责任单位、完成时限）"),
                format!("“{column}” in 表头 is not a task-division column (类别, 措施, 具体工作, 责任单位, 完成时限)"),
            ));
        }
    }
    (diags.error_count() == errors_before).then_some(TaskTable {
        categories,
        headers,
    })
}

/// One task as it appears in a unit's own list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct UnitTask {
    pub(crate) measure: String,
    pub(crate) text: String,
    pub(crate) deadline: String,
}

/// The tasks one 责任单位 is responsible for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct UnitTaskList {
    pub(crate) unit: String,
    pub(crate) tasks: Vec<UnitTask>,
}

/// Splits a 责任单位 cell ("教育局、各校") into units, expanding names such as 各校 that stand
/// for several units.
pub(crate) fn units_of(cell: &str, expand: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut units = Vec::new();
    for name in cell
        .split(['、', '，', ',', '；', ';', '/', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        match expand.get(name) {
            Some(members) => units.extend(members.iter().cloned()),
            None => units.push(name.to_owned()),
        }
    }
    units.dedup();
    units
}

/// Every 责任单位's own list of tasks and deadlines, in order of first appearance.
pub(crate) fn per_unit_lists(
    table: &TaskTable,
    expand: &BTreeMap<String, Vec<String>>,
) -> Vec<UnitTaskList> {
    let mut lists: Vec<UnitTaskList> = Vec::new();
    for measure in table.categories.iter().flat_map(|c| &c.measures) {
        for task in &measure.tasks {
            for unit in units_of(&task.units, expand) {
                let index = match lists.iter().position(|l| l.unit == unit) {
                    Some(i) => i,
                    None => {
                        lists.push(UnitTaskList {
                            unit,
                            tasks: Vec::new(),
                        });
                        lists.len() - 1
                    }
                };
                lists[index].tasks.push(UnitTask {
                    measure: measure.headings.join("\n"),
                    text: task.text.clone(),
                    deadline: task.deadline.clone(),
                });
            }
        }
    }
    lists
}

#[cfg(test)]
mod tests;
