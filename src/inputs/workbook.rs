//! Spreadsheet files (.xlsx/.xlsm, .xls, .ods) read with calamine, within the sheet [`Limits`].
//!
//! A workbook says how large it is, and calamine believes it: `worksheet_range` allocates the
//! whole rectangle up to the farthest cell, so one cell at XFD1048576 in a 2 KB file asks for
//! 512 GB, and a small .xlsx can unpack gigabytes of shared strings. So an .xlsx is first
//! checked as a zip package (each part's unpacked size, which the zip reader also enforces, and
//! the number of shared strings it announces), then its worksheet is read cell by cell with
//! `worksheet_cells_reader`, keeping only the cells that hold text, under a [`Budget`].
//!
//! The file's first bytes decide how it is read, so an old .xls renamed .xlsx (or the reverse)
//! is still read; a file that is no workbook at all (damaged, cut short, a CSV renamed, an
//! .xlsx with an opening password) gets a message a clerk can act on instead of the zip
//! library's words.
//!
//! [`Limits`]: crate::inputs::sheet::Limits

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsx, open_workbook};

use crate::diag::{Diagnostic, Location};
use crate::inputs::sheet::{
    Budget, ErrorCell, RowLimit, Sheet, SheetRow, into_sheet, lowercase_extension, unreadable,
};
use package::{check_ods_tables, check_package};

mod package;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// A zip package: .xlsx, .xlsm, .ods.
    Zip,
    /// A compound file: an old .xls, or an encrypted (password-protected) .xlsx.
    Compound,
    Other,
}

fn container(path: &Path) -> Result<Container, Box<Diagnostic>> {
    let mut magic = [0u8; 4];
    let mut file = File::open(path).map_err(|e| unreadable(path, &e))?;
    let mut read = 0;
    while read < magic.len() {
        match file.read(&mut magic[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(unreadable(path, &e)),
        }
    }
    Ok(match &magic[..read] {
        [b'P', b'K', 3 | 5, 4 | 6] => Container::Zip,
        [0xD0, 0xCF, 0x11, 0xE0] => Container::Compound,
        _ => Container::Other,
    })
}

/// Reads the worksheet `sheet_name` (or the first) of the workbook at `path`, stopping at the
/// first row past `limit`.
pub(crate) fn read_workbook(
    path: &Path,
    sheet_name: Option<&str>,
    limit: RowLimit,
) -> Result<Sheet, Box<Diagnostic>> {
    let ext = lowercase_extension(path);
    match (container(path)?, ext.as_str()) {
        (Container::Zip, "ods") => {
            let mut zip = check_package(path)?;
            check_ods_tables(path, &mut zip, limit)?;
            drop(zip);
            let workbook = open_workbook::<Ods<_>, _>(path)
                .map_err(|e| damaged(path, Some(&e.to_string())))?;
            read_range(path, sheet_name, Sheets::Ods(workbook), limit)
        }
        (Container::Zip, _) => {
            check_package(path)?;
            read_xlsx(path, sheet_name, limit)
        }
        // An old .xls, whatever its name says; an .xlsx with an opening password is a compound
        // file too, and cannot be read as .xls.
        (Container::Compound, _) => match open_workbook::<Xls<_>, _>(path) {
            Ok(workbook) => read_range(path, sheet_name, Sheets::Xls(workbook), limit),
            Err(e) if ext == "xls" => Err(damaged(path, Some(&e.to_string()))),
            Err(_) => Err(Box::new(
                Diagnostic::error(
                    path,
                    Location::File,
                    "无法打开电子表格：工作簿设置了打开密码（或文件已损坏）",
                    "cannot open the spreadsheet: the workbook is password-protected (or damaged)",
                )
                .with_hint(
                    "用 Excel/WPS 打开，取消密码后重新另存为 .xlsx",
                    "open it in Excel or WPS, remove the password and save it as .xlsx again",
                ),
            )),
        },
        (Container::Other, _) => Err(damaged(path, None)),
    }
}

/// The error for a file that is not a readable workbook, with the library's words (if any)
/// as a detail for whoever supports the clerk.
pub(super) fn damaged(path: &Path, detail: Option<&str>) -> Box<Diagnostic> {
    let detail = detail.map_or_else(String::new, |d| format!(" (details: {d})"));
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            "无法打开电子表格：文件已损坏或不完整（可能没有下载或复制完），或者并不是电子表格（例如改了扩展名的其他文件）",
            format!(
                "cannot open the spreadsheet: the file is damaged or incomplete (not fully downloaded or copied?), or not a spreadsheet at all (another file renamed?){detail}"
            ),
        )
        .with_hint(
            "用 Excel/WPS 打开后重新另存为 .xlsx；如果它其实是 CSV 文件，请把扩展名改为 .csv",
            "open it in Excel or WPS and save it as .xlsx again; if it is really a CSV file, rename it to .csv",
        ),
    )
}

/// The worksheet to read: the one asked for, or the first.
fn pick_sheet(
    path: &Path,
    names: &[String],
    wanted: Option<&str>,
) -> Result<String, Box<Diagnostic>> {
    match wanted {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                Box::new(Diagnostic::error(
                    path,
                    Location::File,
                    format!("找不到工作表“{wanted}”，现有：{}", names.join("、")),
                    format!(
                        "no worksheet “{wanted}”; the workbook has: {}",
                        names.join(", ")
                    ),
                ))
            }),
        None => names.first().cloned().ok_or_else(|| {
            Box::new(Diagnostic::error(
                path,
                Location::File,
                "电子表格中没有工作表",
                "the workbook has no worksheet",
            ))
        }),
    }
}

fn unreadable_sheet(path: &Path, name: &str, e: &dyn std::fmt::Display) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            format!("无法读取工作表“{name}”：内容已损坏"),
            format!("cannot read worksheet “{name}”: its content is damaged (details: {e})"),
        )
        .with_hint(
            "用 Excel/WPS 打开后重新另存为 .xlsx",
            "open it in Excel or WPS and save it as .xlsx again",
        ),
    )
}

/// Collects cells that hold text into rows (0-based positions), and error values apart.
struct Collector {
    budget: Budget,
    cells: Vec<(u32, u32, String)>,
    errors: Vec<ErrorCell>,
    last_row: Option<u32>,
}

impl Collector {
    fn new(limit: RowLimit) -> Self {
        Self {
            budget: Budget::new(limit),
            cells: Vec::new(),
            errors: Vec::new(),
            last_row: None,
        }
    }

    fn push(
        &mut self,
        path: &Path,
        row: u32,
        column: u32,
        data: &Data,
    ) -> Result<(), Box<Diagnostic>> {
        let text = match data {
            Data::Error(e) => {
                self.errors.push(ErrorCell {
                    row: row as usize + 1,
                    column: column as usize,
                    value: e.to_string(),
                });
                e.to_string()
            }
            other => cell_text(other),
        };
        if text.is_empty() {
            return Ok(());
        }
        if self.last_row != Some(row) {
            self.budget.new_row(path, row as usize + 1)?;
            self.last_row = Some(row);
        }
        self.budget.take_cell(path, column as usize, text.len())?;
        self.cells.push((row, column, text));
        Ok(())
    }

    /// The rows, with columns counted from the first one holding text (as a range starts).
    fn into_sheet(mut self, path: &Path) -> Result<Sheet, Box<Diagnostic>> {
        // Cells come in row order from Excel, but a file may list them in any order.
        self.cells.sort_by_key(|&(r, c, _)| (r, c));
        let first = self.cells.iter().map(|&(_, c, _)| c).min().unwrap_or(0);
        for e in &mut self.errors {
            e.column -= first as usize;
        }
        let mut rows: Vec<SheetRow> = Vec::new();
        for (r, c, text) in self.cells {
            let row = r as usize + 1;
            if rows.last().is_none_or(|last| last.row != row) {
                rows.push(SheetRow {
                    row,
                    cells: Vec::new(),
                });
            }
            if let Some(last) = rows.last_mut() {
                let c = (c - first) as usize;
                if last.cells.len() <= c {
                    last.cells.resize(c + 1, String::new());
                }
                last.cells[c] = text;
            }
        }
        into_sheet(path, rows, self.errors, first as usize)
    }
}

/// An .xlsx/.xlsm worksheet, cell by cell: only cells holding text take memory.
fn read_xlsx(
    path: &Path,
    sheet_name: Option<&str>,
    limit: RowLimit,
) -> Result<Sheet, Box<Diagnostic>> {
    let mut workbook: Xlsx<_> = open_workbook(path).map_err(|e| match e {
        calamine::XlsxError::Password => Box::new(
            Diagnostic::error(
                path,
                Location::File,
                "无法打开电子表格：工作簿设置了打开密码",
                "cannot open the spreadsheet: the workbook is password-protected",
            )
            .with_hint(
                "用 Excel/WPS 打开，取消密码后重新另存为 .xlsx",
                "open it in Excel or WPS, remove the password and save it as .xlsx again",
            ),
        ),
        other => damaged(path, Some(&other.to_string())),
    })?;
    let name = pick_sheet(path, &workbook.sheet_names(), sheet_name)?;
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| unreadable_sheet(path, &name, &e))?;
    let mut collector = Collector::new(limit);
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| unreadable_sheet(path, &name, &e))?
    {
        let (row, column) = cell.get_position();
        let data: Data = cell.get_value().clone().into();
        collector.push(path, row, column, &data)?;
    }
    drop(reader);
    collector.into_sheet(path)
}

/// An .xls or .ods worksheet through calamine's range (these formats have no cell reader; an
/// .xls cannot be larger than 65,536 × 256 cells, an .ods package was checked already).
fn read_range(
    path: &Path,
    sheet_name: Option<&str>,
    mut workbook: Sheets<BufReader<File>>,
    limit: RowLimit,
) -> Result<Sheet, Box<Diagnostic>> {
    let name = pick_sheet(path, &workbook.sheet_names(), sheet_name)?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| unreadable_sheet(path, &name, &e))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut collector = Collector::new(limit);
    for (i, cells) in range.rows().enumerate() {
        for (j, data) in cells.iter().enumerate() {
            collector.push(path, first_row + i as u32, first_column + j as u32, data)?;
        }
    }
    drop(range);
    collector.into_sheet(path)
}

/// Text of a spreadsheet cell as the user sees it: whole numbers without ".0".
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            format!("{year}年{month}月{day}日")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}
