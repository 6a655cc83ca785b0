//! An attachment's table → the sheet qingdan reads for it, and which kind it is.
//!
//! The header row says the kind, matched by the very column lists qingdan reads sheets with: a
//! 责任清单 by person (姓名 | 职务 | 工作职责) or by post (岗位 | 安全工作职责, 科室 | 职责, with
//! 序号, 责任依据, 追责情形), a 任务分工表 (具体工作 | 责任单位 | 完成时限, or 一、 / （一） / 1.
//! in its first three columns), otherwise an 安排表 with the headers as printed. Numbers typed
//! in cells (一、, （一）, 1.) are taken out, since qingdan numbers; merged cells are already
//! blank, which qingdan reads as "same as above"; a header row repeated on each page and a
//! 备注 row are recognised. Every change is noted for the report.

use super::draft::{Kind, Sheeted};
use super::furniture::squeeze;
use super::report::Note;
use super::source::Table;
use super::tasks::header_sheet;
use crate::inputs::columns::{fold_header, map_columns};
use crate::model::numbering::{Ordinal, typed_ordinal};
use crate::model::roster::columns as roster;

/// Reads `table` as the sheet of an attachment, noting each guess; `None` for a table with
/// no header and rows (it is then kept as text).
pub(crate) fn sheet_of(table: &Table, notes: &mut Vec<Note>) -> Option<Sheeted> {
    let mut rows = cleaned(table);
    if rows.len() < 2 {
        return None;
    }
    // A header is one line: its breaks are the cell's width.
    rows[0] = rows[0]
        .iter()
        .map(|h| h.split('\n').map(str::trim).collect())
        .collect();
    widen_short_header(&mut rows, table, notes);
    drop_repeated_headers(&mut rows, table, notes);
    let headers = rows[0].clone();
    let number = table.number;
    let read_as = |kind: &str, headers: &[String], notes: &mut Vec<Note>| {
        let headers = headers.join("/");
        notes.push(Note::guess(
            Some(table.place.clone()),
            format!("表格{number}读作{kind}：{headers}"),
            format!("table {number} read as {kind}: {headers}"),
        ));
    };
    if responsibility_columns(&headers).is_some() {
        let sheeted = responsibility(rows, table, notes);
        read_as("责任清单", &sheeted.rows[0], notes);
        return Some(sheeted);
    }
    if let Some(sheeted) = super::tasks::tasks(&rows, table, notes) {
        read_as("任务分工表", &headers, notes);
        return Some(sheeted);
    }
    read_as("安排表", &headers, notes);
    Some(schedule(rows))
}

/// The table's text, trimmed, without empty rows and without columns empty from top to bottom.
fn cleaned(table: &Table) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(|c| unwrapped(c)).collect::<Vec<_>>())
        .filter(|r: &Vec<String>| r.iter().any(|c| !c.is_empty()))
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let keep: Vec<bool> = (0..width)
        .map(|c| rows.iter().any(|r| r.get(c).is_some_and(|t| !t.is_empty())))
        .collect();
    for row in &mut rows {
        let mut c = 0;
        row.retain(|_| {
            c += 1;
            keep[c - 1]
        });
    }
    rows
}

/// A cell's text trimmed, a line broken after 、 or ， (a list the cell's width wrapped)
/// joined again.
fn unwrapped(cell: &str) -> String {
    let mut out = String::new();
    for line in cell.trim().split('\n').map(str::trim) {
        if !out.is_empty() && !out.ends_with(['、', '，']) {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// A header row shorter than the rows below it (its first cell spans two columns, as a text
/// export loses the span): the first header is taken to cover the columns missing.
fn widen_short_header(rows: &mut [Vec<String>], table: &Table, notes: &mut Vec<Note>) {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let header = &mut rows[0];
    let used = header
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    if used == 0 || used >= width {
        return;
    }
    header.truncate(used);
    let missing = width - used;
    for _ in 0..missing {
        header.insert(1, String::new());
    }
    notes.push(Note::guess(
        Some(table.place.clone()),
        format!(
            "表格{}的表头比下面的行少{missing}格，视为第一格“{}”横跨两列",
            table.number, header[0]
        ),
        format!(
            "the header of table {} has {missing} cell(s) fewer than its rows: its first cell “{}” is taken to span them",
            table.number, header[0]
        ),
    ));
}

/// Rows equal to the header row: the header repeated on each page of the printed table.
fn drop_repeated_headers(rows: &mut Vec<Vec<String>>, table: &Table, notes: &mut Vec<Note>) {
    let header: Vec<String> = rows[0].iter().map(|c| squeeze(c)).collect();
    let mut index = 0;
    rows.retain(|row| {
        index += 1;
        let repeated = index > 1 && row.iter().map(|c| squeeze(c)).eq(header.iter().cloned());
        if repeated {
            notes.push(Note::left(
                Some(table.cell_place(index - 1, 0)),
                "与表头相同的一行（分页重复的表头）未作为数据导入",
                "a row equal to the header (the header repeated on a new page) is not imported as data",
            ));
        }
        !repeated
    });
}

/// Whether `headers` are a 责任清单's, with its column specs and their positions.
fn responsibility_columns(headers: &[String]) -> Option<Vec<Option<usize>>> {
    let sheet = header_sheet(headers);
    let (_, specs) = roster::specs(&sheet);
    let mut quiet = crate::diag::Diagnostics::new();
    let map = map_columns(std::path::Path::new(""), &sheet, &specs, &mut quiet)?;
    Some((0..specs.len()).map(|i| map.position(i)).collect())
}

/// A 责任清单: numbers taken out of the duties (a cell of several numbered duties made one row
/// each), the 备注 row read.
fn responsibility(rows: Vec<Vec<String>>, table: &Table, notes: &mut Vec<Note>) -> Sheeted {
    let positions = responsibility_columns(&rows[0]).unwrap_or_default();
    let at = |i: usize| positions.get(i).copied().flatten();
    let (holder, duty, number) = (at(roster::HOLDER), at(roster::DUTY), at(roster::NUMBER));
    let mut out = vec![rows[0].clone()];
    let mut remark = None;
    let mut expected = 1;
    for (r, row) in rows.into_iter().enumerate().skip(1) {
        if fold_header(&row[0]) == "备注" {
            let text: Vec<&str> = row[1..]
                .iter()
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect();
            remark = Some(text.join("\n"));
            notes.push(Note::guess(
                Some(table.cell_place(r, 0)),
                "“备注”一行读作责任清单的备注",
                "the 备注 row read as the list's remark",
            ));
            continue;
        }
        if holder.is_some_and(|h| !row[h].is_empty()) {
            expected = 1;
        }
        let Some(d) = duty else {
            out.push(row);
            continue;
        };
        let mut duties = split_numbered(&row[d]);
        if duties.len() > 1 {
            notes.push(Note::guess(
                Some(table.cell_place(r, d)),
                format!("单元格中有{}条编号的职责，各作一行", duties.len()),
                format!(
                    "the cell holds {} numbered duties: one row each",
                    duties.len()
                ),
            ));
        }
        for (k, (typed, text)) in duties.iter_mut().enumerate() {
            if let Some(n) = typed
                && *n != expected
            {
                notes.push(Note::guess(
                    Some(table.cell_place(r, d)),
                    format!("职责编号“{n}.”，按位置将印为“{expected}.”"),
                    format!("the duty numbered “{n}.” will print as “{expected}.” by its place"),
                ));
            }
            expected += 1;
            let mut line = if k == 0 {
                row.clone()
            } else {
                vec![String::new(); row.len()]
            };
            line[d] = std::mem::take(text);
            out.push(line);
        }
    }
    if let Some(n) = number {
        notes.push(Note::left(
            Some(table.cell_place(0, n)),
            "“序号”列的数字由 qingdan 按岗位顺序生成",
            "the numbers of the 序号 column are generated by qingdan, post by post",
        ));
    }
    Sheeted {
        kind: Kind::Responsibility,
        rows: out,
        headers: Vec::new(),
        remark,
    }
}

/// A duty cell's numbered duties (`1. 甲\n2. 乙` → two), each with its typed number, or the
/// cell whole when it is one duty.
fn split_numbered(cell: &str) -> Vec<(Option<u32>, String)> {
    let mut duties: Vec<(Option<u32>, String)> = Vec::new();
    for line in cell.split('\n') {
        match typed_ordinal(line) {
            Some((Ordinal::Arabic | Ordinal::ParenArabic, n, rest)) => {
                duties.push((Some(n), rest.to_owned()));
            }
            _ => match duties.last_mut() {
                Some((_, text)) => {
                    text.push('\n');
                    text.push_str(line.trim());
                }
                None => duties.push((None, line.trim().to_owned())),
            },
        }
    }
    if duties.is_empty() {
        duties.push((None, String::new()));
    }
    duties
}

/// Any other table: an 安排表, its headers as printed.
fn schedule(rows: Vec<Vec<String>>) -> Sheeted {
    Sheeted {
        kind: Kind::Schedule,
        rows,
        headers: Vec::new(),
        remark: None,
    }
}
