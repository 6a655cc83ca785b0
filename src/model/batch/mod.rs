//! Batch production: one master sheet, one document set per unit (学校, 乡镇 …).
//!
//! An attachment with `分组: 学校` splits its sheet by that column; every distinct value is a
//! unit, and `{单位}` in the manifest's texts becomes the unit's name. A blank group cell means
//! "same as above", as with merged cells. Units are validated separately, so one school's bad
//! row fails that school only. The sheets are read once for all units (`cache`).

mod cache;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};
use crate::inputs::columns::fold_header;
use crate::inputs::manifest::Manifest;
use crate::inputs::sheet::{RowLimit, Sheet, SheetRow};
use crate::names::collision_key;
use crate::project::resolve_in_project;

pub(crate) use cache::SheetCache;

/// The placeholder for the unit's name in a batch manifest's texts.
pub(crate) const UNIT: &str = "{单位}";

fn column_index(sheet: &Sheet, column: &str) -> Option<usize> {
    let wanted = fold_header(column);
    sheet.headers.iter().position(|h| fold_header(h) == wanted)
}

/// The group of each row, blank cells continuing the group above.
fn groups(sheet: &Sheet, index: usize) -> Vec<String> {
    let mut current = String::new();
    sheet
        .rows
        .iter()
        .map(|row| {
            let cell = row.cells.get(index).map_or("", |c| c.trim());
            if !cell.is_empty() {
                current = cell.to_owned();
            }
            current.clone()
        })
        .collect()
}

/// The units of a batch manifest, in sheet order, or `None` when it is not a batch.
pub(crate) fn units(
    dir: &Path,
    manifest: &Manifest,
    sheets: &mut SheetCache,
) -> Result<Option<Vec<BatchUnit>>, Box<Diagnostic>> {
    let Some((i, spec)) = manifest
        .attachments
        .iter()
        .enumerate()
        .find(|(_, a)| a.group_by.is_some())
    else {
        return Ok(None);
    };
    let column = spec.group_by.as_deref().unwrap_or_default();
    let manifest_path = dir.join(crate::project::MANIFEST_FILE);
    let path = resolve_in_project(dir, &spec.data).map_err(|(zh, en)| {
        Box::new(Diagnostic::error(
            &manifest_path,
            Location::Key(format!("附件[{}].数据", i + 1)),
            zh,
            en,
        ))
    })?;
    let sheet = sheets.read(&path, spec.sheet.as_deref(), RowLimit::Master)?;
    let index = column_index(&sheet, column).ok_or_else(|| {
        Box::new(Diagnostic::error(
            &path,
            Location::Row(1),
            format!(
                "没有分组列“{column}”（表头现有：{}）",
                sheet.headers.join("、")
            ),
            format!(
                "no grouping column “{column}” (the header row has: {})",
                sheet.headers.join(", ")
            ),
        ))
    })?;
    let groups = groups(&sheet, index);
    if let Some(problem) = rows_without_unit(&path, &sheet, index, &groups) {
        return Err(problem);
    }
    let mut units: Vec<BatchUnit> = Vec::new();
    for (row, group) in sheet.rows.iter().zip(groups) {
        if !group.is_empty() && !units.iter().any(|u| u.name == group) {
            units.push(BatchUnit {
                name: group,
                first_row: row.row,
                sheet: path.clone(),
            });
        }
    }
    Ok(Some(units))
}

/// One unit of a batch: its name and the sheet row where it first appears.
#[derive(Debug, Clone)]
pub(crate) struct BatchUnit {
    pub(crate) name: String,
    pub(crate) first_row: usize,
    /// The master sheet the unit comes from.
    pub(crate) sheet: PathBuf,
}

/// For each unit whose folder would be another unit's folder too (the same name once the
/// characters file systems refuse are replaced, or equal ignoring case or full-/half-width), the
/// error naming every unit of that folder and its row. Found before anything is written, so no
/// unit can overwrite another.
pub(crate) fn folder_collisions(units: &[BatchUnit]) -> HashMap<usize, Diagnostic> {
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, unit) in units.iter().enumerate() {
        by_key.entry(collision_key(&unit.name)).or_default().push(i);
    }
    let mut errors = HashMap::new();
    for members in by_key.values().filter(|m| m.len() > 1) {
        let listed = |sep: &str, row: &str| {
            members
                .iter()
                .map(|&i| format!("“{}”（{row}{}）", units[i].name, units[i].first_row))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let folder = folder_name(&units[members[0]].name);
        for &i in members {
            let unit = &units[i];
            errors.insert(
                i,
                Diagnostic::error(
                    &unit.sheet,
                    Location::Row(unit.first_row),
                    format!(
                        "这些单位会写入同一个文件夹“{folder}”，互相覆盖：{}",
                        listed("、", "第")
                    ),
                    format!(
                        "these units would be written to the same folder “{folder}” and overwrite each other: {}",
                        listed(", ", "row ").replace('（', " (").replace('）', ")")
                    ),
                )
                .with_hint(
                    "单位名称中的 / \\ : * ? \" < > | 会换成 _，首尾的“.”会去掉，大小写和全角半角视为相同；请把这些单位的名称改得互不相同",
                    "in folder names / \\ : * ? \" < > | become _, leading and trailing dots are dropped, and case and full-/half-width are ignored: give these units distinct names",
                ),
            );
        }
    }
    errors
}

/// The error for rows whose group cell is empty with no value above to continue: they belong
/// to no unit, and building without them would drop them silently (and a column empty
/// throughout would build nothing).
fn rows_without_unit(
    path: &Path,
    sheet: &Sheet,
    index: usize,
    groups: &[String],
) -> Option<Box<Diagnostic>> {
    let orphans: Vec<usize> = sheet
        .rows
        .iter()
        .zip(groups)
        .filter(|(_, g)| g.is_empty())
        .map(|(r, _)| r.row)
        .collect();
    if orphans.len() == sheet.rows.len() {
        let header = &sheet.headers[index];
        return Some(Box::new(
            Diagnostic::error(
                path,
                sheet.rows.first().map_or(Location::Row(1), |r| Location::Cell {
                    row: r.row,
                    column: header.clone(),
                }),
                format!("分组列“{header}”没有任何值：没有可以生成的单位"),
                format!("the grouping column “{header}” holds no value: there is no unit to build"),
            )
            .with_hint(
                format!("在每个单位的第一行填上“{header}”（其下空白的行沿用上方的值）"),
                format!("fill in “{header}” on the first row of each unit (blank cells below continue it)"),
            ),
        ));
    }
    let (&first, &last) = (orphans.first()?, orphans.last()?);
    let header = &sheet.headers[index];
    Some(Box::new(
        Diagnostic::error(
            path,
            Location::Cell {
                row: first,
                column: header.clone(),
            },
            format!(
                "第{first}行至第{last}行的“{header}”为空，上方也没有可沿用的值：这{}行不属于任何单位",
                orphans.len()
            ),
            format!(
                "“{header}” is empty in rows {first} to {last} and there is no value above to continue: these {} rows belong to no unit",
                orphans.len()
            ),
        )
        .with_hint(
            format!("在第{first}行填上这些行所属的“{header}”"),
            format!("fill in the “{header}” these rows belong to at row {first}"),
        ),
    ))
}

/// Where each unit's rows are in a sheet grouped by a column, found in one pass: a unit's own
/// sheet is made from it when that unit is prepared, so a batch holds its master sheet once, not
/// twice (as a whole and split).
pub(crate) struct Split {
    /// The grouping column.
    index: usize,
    /// Each unit's rows (indexes into the sheet's rows) and the problems found reading them.
    units: HashMap<String, UnitRows>,
}

#[derive(Default)]
struct UnitRows {
    rows: Vec<usize>,
    problems: Vec<Diagnostic>,
}

impl Split {
    /// The units of `sheet` grouped by `column`; `None` when the sheet has no such column.
    pub(crate) fn new(sheet: &Sheet, column: &str) -> Option<Self> {
        let index = column_index(sheet, column)?;
        let mut units: HashMap<String, UnitRows> = HashMap::new();
        // The unit of each row: a blank group cell continues the one above.
        let mut of_row: Vec<&str> = Vec::with_capacity(sheet.rows.len());
        let mut current = "";
        for (i, row) in sheet.rows.iter().enumerate() {
            let cell = row.cells.get(index).map_or("", |c| c.trim());
            if !cell.is_empty() {
                current = cell;
            }
            units.entry(current.to_owned()).or_default().rows.push(i);
            of_row.push(current);
        }
        // A problem found reading the sheet goes with the unit of its row; one about the whole
        // file (or the header) with the first unit, so it is reported once.
        for problem in &sheet.problems {
            let row = match problem.location {
                Location::Cell { row, .. } | Location::Row(row) => Some(row),
                _ => None,
            };
            let unit = row
                .and_then(|r| sheet.rows.iter().position(|x| x.row == r))
                .map(|i| of_row[i])
                .or_else(|| of_row.first().copied());
            if let Some(rows) = unit.and_then(|u| units.get_mut(u)) {
                rows.problems.push(problem.clone());
            }
        }
        Some(Self { index, units })
    }

    /// The sheet of `unit`: its rows of `sheet` (the sheet this split was made of) without the
    /// grouping column, and the problems found reading them; only the headers for a unit
    /// without rows.
    pub(crate) fn sheet_of(&self, sheet: &Sheet, unit: &str) -> Sheet {
        let headers = without(&sheet.headers, self.index);
        let Some(part) = self.units.get(unit) else {
            return Sheet {
                headers,
                ..Sheet::default()
            };
        };
        let rows = part
            .rows
            .iter()
            .map(|&i| SheetRow {
                row: sheet.rows[i].row,
                cells: without(&sheet.rows[i].cells, self.index),
            })
            .collect();
        Sheet {
            headers,
            rows,
            problems: part.problems.clone(),
        }
    }
}

fn without(cells: &[String], index: usize) -> Vec<String> {
    cells
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, c)| c.clone())
        .collect()
}

/// A folder name for a unit (see [`crate::names::sanitised`]).
pub(crate) fn folder_name(unit: &str) -> String {
    crate::names::sanitised(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::parse_csv;

    /// The rows of `sheet` that belong to `unit`, without the grouping column; `None` when the
    /// sheet has no such column.
    fn rows_of_unit(sheet: &Sheet, column: &str, unit: &str) -> Option<Sheet> {
        Some(Split::new(sheet, column)?.sheet_of(sheet, unit))
    }

    #[test]
    fn blank_group_cells_continue_the_unit_above() {
        let sheet = parse_csv(
            Path::new("总表.csv"),
            "学校,姓名,职务,工作职责\n一中,甲,校长,职责一\n,,,职责二\n二中,乙,校长,职责三\n",
        )
        .unwrap();
        let one = rows_of_unit(&sheet, "学校", "一中").unwrap();
        assert_eq!(one.headers, ["姓名", "职务", "工作职责"]);
        assert_eq!(one.rows.len(), 2);
        assert_eq!(one.rows[1].row, 3);
        assert_eq!(rows_of_unit(&sheet, "学校", "二中").unwrap().rows.len(), 1);
        assert!(rows_of_unit(&sheet, "单位", "一中").is_none());
    }

    #[test]
    fn a_problem_found_reading_goes_with_the_unit_of_its_row() {
        let sheet = parse_csv(
            Path::new("总表.csv"),
            "学校,姓名,职务,工作职责\n一中,甲,校长,职责一\n二中,\u{202E}乙,校长,职责三\n",
        )
        .unwrap();
        assert_eq!(sheet.problems.len(), 1);
        let split = Split::new(&sheet, "学校").unwrap();
        assert!(split.sheet_of(&sheet, "一中").problems.is_empty());
        assert_eq!(split.sheet_of(&sheet, "二中").problems, sheet.problems);
        assert!(split.sheet_of(&sheet, "三中").rows.is_empty());
    }

    #[test]
    fn unit_folder_names_are_safe() {
        assert_eq!(folder_name("株洲市第一中学"), "株洲市第一中学");
        assert_eq!(folder_name("../a/b:c"), "_a_b_c");
        assert_eq!(folder_name(".."), "_");
    }
}
