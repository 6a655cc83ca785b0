//! Format checks for the fields of a 公文 that have one right form (GB/T 9704-2012).
//!
//! 发文字号 uses 〔〕 around the year and no leading zeros; dates are written with Arabic digits
//! and no leading zeros (2019年8月20日). These mistakes are common when text is copied from old
//! documents or typed on a Western keyboard, and an official document must not carry them.
//!
//! Also the size limits of a printed table ([`MAX_TABLE_ROWS`], [`MAX_TABLE_CELLS`],
//! [`MAX_TABLE_CHARS`]): a sheet past them is refused before anything is laid out, instead of
//! taking the machine's memory.

use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::inputs::sheet::Sheet;

/// The most data rows one table may have. Layout time and memory grow linearly with the rows
/// (`scripts/bench.sh`): 20,000 short duties of one leader make about 1,500 pages in 8 s of CPU
/// and 1.5 GB on the 2-core development machine. A longer table is of no use on paper, and the
/// same table is compiled twice (the attachment and 全文), maybe in parallel. A sheet read for one
/// table stops reading at the first row past it ([`crate::inputs::sheet::RowLimit`]); a batch's
/// master sheet is checked unit by unit here.
pub(crate) use crate::inputs::sheet::MAX_TABLE_ROWS;

/// The most cells (rows × columns) one table may have: memory follows the cells (about 18 KB
/// each: a 安排表 of 100 columns × 1,000 rows takes 1.9 GB), and a 安排表 may have any number of
/// columns. A 任务分工表 of [`MAX_TABLE_ROWS`] rows (5 columns) still fits.
pub(crate) const MAX_TABLE_CELLS: usize = 100_000;

/// The most characters of cell text one table may have: memory follows the text too (5,000
/// duties of 105 characters are 860 pages and 720 MB), so a million characters is about 1,600
/// pages and under 1.5 GB.
pub(crate) const MAX_TABLE_CHARS: usize = 1_000_000;

/// An error at the row where `sheet` (a whole sheet, or one batch unit's rows of it) passes
/// [`MAX_TABLE_ROWS`], [`MAX_TABLE_CELLS`] or [`MAX_TABLE_CHARS`].
pub(crate) fn table_too_large(path: &Path, sheet: &Sheet) -> Option<Diagnostic> {
    let n = sheet.rows.len();
    let too_large = |row: usize, zh: String, en: String| {
        Diagnostic::error(path, Location::Row(row), zh, en).with_hint(
            "请把数据拆成几个附件，或加一列单位并按它分组（分组: 列名），每个单位一张表",
            "split the data into several attachments, or add a unit column and group by it \
             (分组: column) for one table per unit",
        )
    };
    if let Some(first_over) = sheet.rows.get(MAX_TABLE_ROWS) {
        return Some(too_large(
            first_over.row,
            format!("表格有 {n} 行数据，超过每张表 {MAX_TABLE_ROWS} 行的上限"),
            format!(
                "the table has {n} data rows, more than the limit of {MAX_TABLE_ROWS} per table"
            ),
        ));
    }
    let (mut cells, mut chars) = (0, 0);
    for row in &sheet.rows {
        cells += row.cells.len().max(sheet.headers.len());
        if cells > MAX_TABLE_CELLS {
            return Some(too_large(
                row.row,
                format!(
                    "表格到此行已有 {cells} 个单元格（{} 列），超过每张表 {MAX_TABLE_CELLS} 个的上限",
                    sheet.headers.len()
                ),
                format!(
                    "the table reaches {cells} cells ({} columns) at this row, more than the \
                     limit of {MAX_TABLE_CELLS} per table",
                    sheet.headers.len()
                ),
            ));
        }
        chars += row.cells.iter().map(|c| c.chars().count()).sum::<usize>();
        if chars > MAX_TABLE_CHARS {
            return Some(too_large(
                row.row,
                format!("表格文字到此行已有 {chars} 字，超过每张表 {MAX_TABLE_CHARS} 字的上限"),
                format!(
                    "the table's text reaches {chars} characters at this row, more than the \
                     limit of {MAX_TABLE_CHARS} per table"
                ),
            ));
        }
    }
    None
}

/// Checks a 发文字号 like 株教发〔2019〕12号; returns (zh, en) problems with the fix in them.
pub(crate) fn doc_number_problem(number: &str) -> Option<(String, String)> {
    let number = number.trim();
    let fixed = fix_doc_number(number);
    if fixed != number && is_well_formed(&fixed) {
        return Some((
            format!("发文字号应写作“{fixed}”（年份用六角括号〔〕，序号不编虚位）"),
            format!(
                "write the document number as “{fixed}” (〔〕 around the year, no leading zeros)"
            ),
        ));
    }
    if !is_well_formed(number) {
        return Some((
            "发文字号应为“机关代字〔四位年份〕序号号”，如“株教发〔2019〕12号”".into(),
            "a document number reads “prefix〔4-digit year〕N号”, e.g. “株教发〔2019〕12号”".into(),
        ));
    }
    None
}

/// The usual mistakes corrected: other brackets around the year, leading zeros in the serial.
fn fix_doc_number(number: &str) -> String {
    let mut fixed = number.to_owned();
    for (open, close) in [
        ("[", "]"),
        ("【", "】"),
        ("（", "）"),
        ("(", ")"),
        ("﹝", "﹞"),
        ("［", "］"),
        ("〖", "〗"),
    ] {
        if let Some(start) = fixed.find(open)
            && fixed[start..].contains(close)
        {
            fixed = fixed.replacen(open, "〔", 1).replacen(close, "〕", 1);
        }
    }
    if let Some(close) = fixed.find('〕') {
        let (head, tail) = fixed.split_at(close + '〕'.len_utf8());
        let serial = tail.trim_start_matches('0');
        if serial.len() < tail.len() && serial.starts_with(|c: char| c.is_ascii_digit()) {
            fixed = format!("{head}{serial}");
        }
    }
    fixed
}

fn is_well_formed(number: &str) -> bool {
    let (Some(open), Some(close)) = (number.find('〔'), number.find('〕')) else {
        return false;
    };
    if open == 0 || close < open {
        return false;
    }
    let year = &number[open + '〔'.len_utf8()..close];
    let Some(serial) = number[close + '〕'.len_utf8()..].strip_suffix('号') else {
        return false;
    };
    year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && !serial.is_empty()
        && serial.chars().all(|c| c.is_ascii_digit())
        && !serial.starts_with('0')
}

/// Checks a date written as 2019年8月20日 (Arabic digits, no leading zeros); when the date is
/// only written another way (2019年08月20日, 2019-8-20, 2019.08.20, 二〇一九年八月二十日), the
/// message gives the corrected date itself, as the 发文字号 check does.
pub(crate) fn date_problem(date: &str) -> Option<(String, String)> {
    let date = date.trim();
    let Some((y, m, d)) = read_date(date) else {
        return Some((
            format!("日期“{date}”应写成“2019年8月20日”的形式（阿拉伯数字，不编虚位）"),
            format!(
                "the date “{date}” must read like “2019年8月20日” (Arabic digits, no leading zeros)"
            ),
        ));
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1000..=2999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days[(m - 1) as usize]
    {
        return Some((
            format!("日期“{date}”不存在"),
            format!("the date “{date}” does not exist"),
        ));
    }
    let fixed = format!("{y}年{m}月{d}日");
    (fixed != date).then(|| {
        (
            format!("日期“{date}”应写作“{fixed}”（阿拉伯数字，不编虚位）"),
            format!("write the date “{date}” as “{fixed}” (Arabic digits, no leading zeros)"),
        )
    })
}

/// Year, month and day of a date written in one of the ways offices write them, or `None`.
fn read_date(date: &str) -> Option<(u32, u32, u32)> {
    let normal: String = date
        .chars()
        .map(|c| match c {
            // Full-width digits, as an IME may give them.
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let parts: Vec<&str> = if normal.contains('年') {
        let (year, rest) = normal.split_once('年')?;
        let (month, rest) = rest.split_once('月')?;
        let day = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('号'))?;
        vec![year, month, day]
    } else {
        normal.split(['-', '/', '.']).collect()
    };
    let [year, month, day] = parts[..] else {
        return None;
    };
    Some((
        number(year.trim())?,
        number(month.trim())?,
        number(day.trim())?,
    ))
}

/// A number written in Arabic digits (leading zeros allowed here: the caller corrects them) or
/// in Chinese numerals as dates use them: 二〇一九 digit by digit, 二十 / 三十一 for days.
fn number(text: &str) -> Option<u32> {
    if !text.is_empty() && text.len() <= 4 && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c || (c == '零' && d == '〇'))
    };
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() || chars.len() > 4 {
        return None;
    }
    if !chars.contains(&'十') {
        return chars
            .iter()
            .try_fold(0u32, |n, &c| Some(n * 10 + digit(c)? as u32));
    }
    // 十, 十二, 二十, 三十一.
    let (tens, ones) = match chars.iter().position(|&c| c == '十')? {
        0 => (1, &chars[1..]),
        1 => (digit(chars[0])? as u32, &chars[2..]),
        _ => return None,
    };
    let ones = match ones {
        [] => 0,
        [c] => digit(*c)? as u32,
        _ => return None,
    };
    Some(tens * 10 + ones)
}

/// Whether a 完成时限 line is a form offices use: 9月底前完成, 11月30日前完成, 年底前, 长期坚持,
/// 立即整改, 及时修订, 4月起至党的二十大结束 …. Anything else is probably a typo or a note that
/// belongs in another column.
pub(crate) fn deadline_understood(line: &str) -> bool {
    let line: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    const STANDING: &[&str] = &[
        "长期坚持",
        "立即整改",
        "及时修订",
        "持续推进",
        "常态化推进",
        "立即执行",
        "每月",
        "每季度",
        "每年",
        "长期",
    ];
    if STANDING.iter().any(|s| line.starts_with(s)) {
        return true;
    }
    let rest =
        line.trim_start_matches(|c: char| c.is_ascii_digit() || "年月日上中下旬底".contains(c));
    let had_date = rest.len() < line.len() || line.starts_with("年底") || line.starts_with("年内");
    let rest = rest.trim_start_matches("年底").trim_start_matches("年内");
    had_date
        && (rest.is_empty()
            || [
                "前完成",
                "前",
                "以前完成",
                "底前完成",
                "完成",
                "起至",
                "起",
                "至",
            ]
            .iter()
            .any(|s| rest.starts_with(s)))
}

#[cfg(test)]
mod tests;
