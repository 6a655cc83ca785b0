//! A workbook's zip package, checked before calamine unpacks it: it opens, no part unpacks to
//! more than allowed (an .ods's tables measured before calamine expands repeated rows), and the
//! shared strings announce no more entries than a sheet can hold.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::damaged;
use crate::diag::{Diagnostic, Location};
use crate::inputs::sheet::{Budget, RowLimit, unreadable};

/// The largest unpacked part of a workbook package (a worksheet is streamed, not kept).
pub(crate) const MAX_PART_BYTES: u64 = 256 << 20;
/// The largest shared-strings or styles part: calamine keeps these whole in memory.
pub(crate) const MAX_KEPT_PART_BYTES: u64 = 32 << 20;
/// The most shared strings a workbook may announce (calamine reserves room for all of them).
pub(crate) const MAX_SHARED_STRINGS: u64 = 4_000_000;

fn too_large_part(path: &Path, part: &str, size: u64, limit: u64) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            format!(
                "电子表格中的“{part}”解压后有 {} MB，超过了可读取的 {} MB",
                size >> 20,
                limit >> 20
            ),
            format!(
                "the part “{part}” of the workbook unpacks to {} MB, more than the {} MB that can be read",
                size >> 20,
                limit >> 20
            ),
        )
        .with_hint(
            "用 Excel/WPS 打开后删除多余的内容再另存；表格确实这么大时请拆分或另存为 CSV",
            "open it in Excel or WPS, delete what is not needed and save again; split a table that is really this large, or save it as CSV",
        ),
    )
}

/// Checks a workbook's zip package before calamine unpacks it: it opens, no part unpacks to
/// more than allowed, and the shared strings announce no more entries than a sheet can hold.
pub(super) fn check_package(path: &Path) -> Result<Package, Box<Diagnostic>> {
    let file = File::open(path).map_err(|e| unreadable(path, &e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| damaged(path, Some(&e.to_string())))?;
    let mut kept = Vec::new();
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| damaged(path, Some(&e.to_string())))?;
        let name = entry
            .name()
            .map_err(|e| damaged(path, Some(&e.to_string())))?
            .into_owned();
        let size = entry.size();
        let lower = name.to_ascii_lowercase();
        let is_kept = lower.ends_with("sharedstrings.xml") || lower.ends_with("styles.xml");
        let limit = if is_kept {
            MAX_KEPT_PART_BYTES
        } else {
            MAX_PART_BYTES
        };
        if size > limit {
            return Err(too_large_part(path, &name, size, limit));
        }
        if lower.ends_with("sharedstrings.xml") {
            kept.push(name);
        }
    }
    for name in kept {
        let Ok(entry) = zip.by_name(&name) else {
            continue;
        };
        if let Some(count) = announced_strings(entry.take(64 << 10))
            && count > MAX_SHARED_STRINGS
        {
            return Err(Box::new(
                Diagnostic::error(
                    path,
                    Location::File,
                    format!(
                        "电子表格声明了 {count} 个不同的文字，超过了可读取的 {MAX_SHARED_STRINGS} 个"
                    ),
                    format!(
                        "the workbook announces {count} distinct strings, more than the {MAX_SHARED_STRINGS} that can be read"
                    ),
                )
                .with_hint(
                    "用 Excel/WPS 打开后重新另存为 .xlsx，或另存为 CSV",
                    "open it in Excel or WPS and save it as .xlsx again, or as CSV",
                ),
            ));
        }
    }
    Ok(zip)
}

/// A workbook's zip package, opened.
pub(super) type Package = zip::ZipArchive<BufReader<File>>;

/// Checks the tables of an .ods before calamine expands them. An .ods row or cell can say
/// "repeated a million times", and calamine fills the rectangle from the first to the last row
/// holding text, as wide as the widest row: that rectangle is measured here, under the same
/// [`Budget`] as every sheet, rows past `limit` included.
pub(super) fn check_ods_tables(
    path: &Path,
    zip: &mut Package,
    limit: RowLimit,
) -> Result<(), Box<Diagnostic>> {
    use quick_xml::events::Event;
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(()); // calamine reports the missing part
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let repeats = |e: &quick_xml::events::BytesStart, key: &str| -> usize {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    let has_value = |e: &quick_xml::events::BytesStart| {
        e.attributes().flatten().any(|a| {
            let key = a.key.as_ref();
            key.starts_with("office:") && key.ends_with("value") || key == "office:value-type"
        })
    };
    // Rows so far in this table, and the span and width of the rows holding text.
    let (mut rows, mut first, mut widest) = (0usize, None, 0usize);
    // Within the current row: its repeat count, columns so far, the end of the last value.
    let (mut row_repeats, mut column, mut row_width) = (1usize, 0usize, 0usize);
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break, // calamine reports broken XML
            Ok(event) => event,
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => (rows, first, widest) = (0, None, 0),
                "table:table-row" => {
                    row_repeats = repeats(e, "table:number-rows-repeated");
                    (column, row_width) = (0, 0);
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    column = column.saturating_add(repeats(e, "table:number-columns-repeated"));
                    if matches!(event, Event::Start(_)) || has_value(e) {
                        row_width = column;
                    }
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if row_width > 0 {
                    let start = *first.get_or_insert(rows);
                    widest = widest.max(row_width);
                    let span = rows.saturating_add(row_repeats) - start;
                    let mut budget = Budget::new(limit);
                    budget.take_cell(path, widest - 1, 0)?;
                    // The rectangle calamine would fill, counted as rows of that width.
                    budget.take_rows(path, start + 1, span)?;
                }
                rows = rows.saturating_add(row_repeats);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// The `uniqueCount` (or `count`) on the `<sst>` element starting a shared-strings part.
fn announced_strings(part: impl Read) -> Option<u64> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.local_name().as_ref() == "sst" =>
            {
                let number = |key: &str| -> Option<u64> {
                    let attr = e.try_get_attribute(key).ok()??;
                    attr.value.trim().parse().ok()
                };
                return match (number("uniqueCount"), number("count")) {
                    (Some(u), _) => Some(u),
                    (None, c) => c,
                };
            }
            quick_xml::events::Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}
