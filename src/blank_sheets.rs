//! Blank spreadsheets to fill in, one per attachment kind (责任清单, 任务分工表, 安排表): what
//! `qingdan init --xlsx` writes and what the web page offers as a download.
//!
//! Each is an .xlsx with the header row the reader expects, frozen, columns wide enough to read,
//! and one example row. The headers come from the readers themselves ([`roster::COLUMNS`],
//! [`tasks::COLUMNS`]); a 安排表 has no fixed columns (its headers are printed as written), so
//! its header and example are those of the bundled example. The example rows are the first
//! rows of the bundled example sheets, read with the project's own CSV reader, so a blank file
//! is a valid project input as it stands.
//!
//! Data validation: no column of the three kinds has a closed list of values of its own
//! (完成时限 is checked against usual forms, and only with a warning). The one closed list is
//! per project: a 安排表's first column must name a leader of the project's 责任清单. So
//! [`blank_sheet`] takes those leaders, and when there are some the column gets a list
//! validation (warning style: a clerk adding a new leader to both sheets at once may go on).
//!
//! The same kind gives the same bytes: the document's creation date is fixed (the zip entries'
//! dates are fixed by rust_xlsxwriter), so rebuilds and tests are stable.

use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::diag::Diagnostics;
use crate::document::measure::text_width;
use crate::inputs::columns::{ColumnSpec, map_columns};
use crate::inputs::parse_csv;
use crate::inputs::sheet::Sheet;
use crate::model::checks::MAX_TABLE_ROWS;
use crate::model::{roster, tasks};

/// An attachment kind that is filled in as a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SheetKind {
    Responsibility,
    Tasks,
    Schedule,
}

impl SheetKind {
    pub(crate) const ALL: [SheetKind; 3] = [
        SheetKind::Responsibility,
        SheetKind::Tasks,
        SheetKind::Schedule,
    ];

    /// The kind's name as the manifest's 类型 writes it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            SheetKind::Responsibility => "责任清单",
            SheetKind::Tasks => "任务分工表",
            SheetKind::Schedule => "安排表",
        }
    }

    /// The file name the blank sheet is saved (and downloaded) as.
    pub(crate) fn file_name(self) -> String {
        format!("{}.xlsx", self.label())
    }

    /// The sheet of an attachment kind.
    pub(crate) fn of(kind: crate::model::AttachmentKind) -> SheetKind {
        use crate::model::AttachmentKind as K;
        match kind {
            K::Responsibility => SheetKind::Responsibility,
            K::Tasks => SheetKind::Tasks,
            K::Schedule => SheetKind::Schedule,
        }
    }

    /// The bundled example sheet the example row is taken from, and the reader's columns (none
    /// for a 安排表, whose headers are free).
    fn example(self) -> (&'static str, Option<&'static [ColumnSpec]>) {
        match self {
            SheetKind::Responsibility => (
                include_str!("../assets/init/责任清单.csv"),
                Some(roster::COLUMNS),
            ),
            SheetKind::Tasks => (
                include_str!("../inputs/jilin-task-division/任务分工表.csv"),
                Some(tasks::COLUMNS),
            ),
            SheetKind::Schedule => (include_str!("../assets/init/带队检查安排表.csv"), None),
        }
    }

    /// The header row and the example row, in the reader's column order.
    pub(crate) fn header_and_example(self) -> (Vec<String>, Vec<String>) {
        let (csv, columns) = self.example();
        let path = Path::new(self.label());
        let sheet: Sheet = parse_csv(path, csv).expect("the bundled example sheet is valid CSV");
        let first = sheet
            .rows
            .first()
            .expect("the bundled example sheet has a row");
        match columns {
            None => (sheet.headers.clone(), first.cells.clone()),
            Some(specs) => {
                let map = map_columns(path, &sheet, specs, &mut Diagnostics::new())
                    .expect("the bundled example sheet has the reader's columns");
                let headers = specs.iter().map(|c| c.name.to_owned()).collect();
                let cells = (0..specs.len())
                    .map(|i| map.cell(first, i).to_owned())
                    .collect();
                (headers, cells)
            }
        }
    }
}

/// The leaders of a project's 责任清单 (all of them, in order), for [`blank_sheet`]'s 安排表.
pub(crate) fn project_leaders(set: &crate::model::DocumentSet) -> Vec<String> {
    set.attachments
        .iter()
        .filter_map(|a| match &a.content {
            crate::model::AttachmentContent::Responsibility(list) => Some(&list.leaders),
            _ => None,
        })
        .flatten()
        .map(|l| l.name.clone())
        .collect()
}

/// The fixed creation date written into every blank sheet (a constant, so the bytes are).
const CREATED: (u16, u8, u8) = (2024, 1, 1);

/// The longest text an Excel cell holds, in UTF-16 units. A "leader" longer than that is no
/// name; it is left out of the list rather than failing the whole download.
const MAX_CELL_TEXT: usize = 32_767;

/// The hidden worksheet holding the project's leaders for a 安排表's list validation: a list
/// typed into the validation itself is limited to 255 characters.
const LEADERS_SHEET: &str = "领导名单";

/// The blank .xlsx for `kind`. `leaders` (a project's 责任清单 names) makes a 安排表's first
/// column a list of them; it is ignored for the other kinds and may be empty.
pub(crate) fn blank_sheet(kind: SheetKind, leaders: &[String]) -> Vec<u8> {
    // Only constant inputs and in-range rows and columns reach the writer: an error here is a
    // bug in this function, not bad user data.
    write_workbook(kind, leaders).expect("writing a blank sheet")
}

fn write_workbook(kind: SheetKind, leaders: &[String]) -> Result<Vec<u8>, XlsxError> {
    let (headers, example) = kind.header_and_example();
    let mut workbook = Workbook::new();
    let (y, m, d) = CREATED;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{}（填写模板）", kind.label()))
            .set_comment("qingdan: 填写后放入项目文件夹，在 qingdan.yaml 的“数据”中写上文件名")
            .set_creation_datetime(&ExcelDateTime::from_ymd(y, m, d)?),
    );
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#D9E1F2")
        .set_border(FormatBorder::Thin);
    let cell_format = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        // Text, so that a number-looking entry (a year, 001) is kept as typed.
        .set_num_format("@");

    let sheet = workbook.add_worksheet();
    sheet.set_name(kind.label())?;
    for (col, header) in headers.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, header, &header_format)?;
        let text = example.get(col as usize).map_or("", String::as_str);
        sheet.write_string_with_format(1, col, text, &cell_format)?;
        sheet.set_column_width(col, column_width(header, text))?;
        sheet.set_column_format(col, &cell_format)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let leaders: Vec<&String> = leaders
        .iter()
        .filter(|l| l.encode_utf16().count() <= MAX_CELL_TEXT)
        .collect();
    if kind == SheetKind::Schedule && !leaders.is_empty() {
        add_leader_validation(sheet, &headers[0], leaders.len())?;
        let list = workbook.add_worksheet();
        list.set_name(LEADERS_SHEET)?;
        for (row, name) in leaders.iter().enumerate() {
            list.write_string(row as u32, 0, name.as_str())?;
        }
        list.set_hidden(true);
    }
    workbook.save_to_buffer()
}

/// Column width in Excel's units (one digit ≈ 1, one CJK character ≈ 2): the widest line of the
/// header or example, within bounds so that a long duty wraps instead of running off screen.
fn column_width(header: &str, example: &str) -> f64 {
    let widest = header
        .lines()
        .chain(example.lines())
        .map(text_width)
        .fold(0.0, f64::max);
    (widest * 2.0 + 2.0).clamp(10.0, 60.0)
}

/// The first column of a 安排表 (rows 2 to the table limit) as a list of the project's leaders.
fn add_leader_validation(
    sheet: &mut Worksheet,
    column: &str,
    leaders: usize,
) -> Result<(), XlsxError> {
    let range = format!("='{LEADERS_SHEET}'!$A$1:$A${leaders}");
    let validation = DataValidation::new()
        .allow_list_formula(Formula::new(range))
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title(column)?
        .set_input_message("请选择责任清单中的领导 / pick a leader of the 责任清单")?
        .set_error_title("不在责任清单中 / not in the 责任清单")?
        .set_error_message(
            "此人不在责任清单的领导名单中，请先在责任清单中加上。\n\
             This person is not a leader of the 责任清单: add them there first.",
        )?;
    sheet.add_data_validation(1, 0, MAX_TABLE_ROWS as u32, 0, &validation)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::inputs::read_sheet;

    /// The text of `entry` in the .xlsx package `bytes`.
    fn part(bytes: &[u8], entry: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(entry)
            .unwrap_or_else(|e| panic!("{entry}: {e}"))
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    fn elements<'a>(doc: &'a roxmltree::Document, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == name)
            .collect()
    }

    /// Each blank sheet, read back by the reader a project uses (calamine), has the headers the
    /// model maps and the example row, and maps onto the reader's columns without a warning.
    #[test]
    fn headers_and_example_read_back_as_the_reader_expects() {
        let dir = tempfile::tempdir().unwrap();
        for kind in SheetKind::ALL {
            let path = dir.path().join(kind.file_name());
            std::fs::write(&path, blank_sheet(kind, &[])).unwrap();
            let sheet = read_sheet(&path, None).unwrap_or_else(|d| panic!("{d}"));
            assert!(sheet.problems.is_empty(), "{kind:?}: {:?}", sheet.problems);
            let (headers, example) = kind.header_and_example();
            assert_eq!(sheet.headers, headers, "{kind:?}");
            assert_eq!(sheet.rows.len(), 1, "{kind:?}: one example row");
            assert_eq!(sheet.rows[0].cells, example, "{kind:?}");
            assert!(
                example.iter().all(|c| !c.is_empty()),
                "{kind:?}: {example:?}"
            );
            let specs = match kind {
                SheetKind::Responsibility => Some(roster::COLUMNS),
                SheetKind::Tasks => Some(tasks::COLUMNS),
                SheetKind::Schedule => None,
            };
            if let Some(specs) = specs {
                let names: Vec<&str> = specs.iter().map(|c| c.name).collect();
                assert_eq!(sheet.headers, names, "{kind:?}");
                let mut diags = Diagnostics::new();
                assert!(map_columns(&path, &sheet, specs, &mut diags).is_some());
                assert!(diags.is_empty(), "{kind:?}: {diags}");
            }
        }
    }

    /// A project whose three attachments are the blank sheets as they stand builds clean.
    #[test]
    fn a_project_of_the_blank_sheets_is_valid() {
        let dir = tempfile::tempdir().unwrap();
        for kind in SheetKind::ALL {
            std::fs::write(dir.path().join(kind.file_name()), blank_sheet(kind, &[])).unwrap();
        }
        std::fs::write(
            dir.path().join(crate::project::MANIFEST_FILE),
            "机关: 示例县教育局\n附件:\n\
             \x20 - {类型: 责任清单, 标题: 责任清单, 数据: 责任清单.xlsx}\n\
             \x20 - {类型: 任务分工表, 标题: 任务分工表, 数据: 任务分工表.xlsx}\n\
             \x20 - {类型: 安排表, 标题: 安排表, 数据: 安排表.xlsx}\n",
        )
        .unwrap();
        let prepared = crate::prepare_project(dir.path()).unwrap_or_else(|d| panic!("{d}"));
        assert!(prepared.warnings.is_empty(), "{}", prepared.warnings);
        let names: Vec<&str> = prepared.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names.len(), 4, "three attachments and 全文: {names:?}");
        assert!(matches!(
            prepared.set.attachments[2].content,
            crate::model::AttachmentContent::Schedule(_)
        ));
        let kinds: Vec<SheetKind> = ["责任清单", "tasks", "安排表"]
            .into_iter()
            .filter_map(crate::model::AttachmentKind::named)
            .map(SheetKind::of)
            .collect();
        assert_eq!(kinds, SheetKind::ALL);
        assert_eq!(project_leaders(&prepared.set), ["张三"]);
    }

    /// Header frozen, readable widths, and no list validation where the model has no closed list.
    #[test]
    fn the_header_is_frozen_and_columns_are_readable() {
        for kind in SheetKind::ALL {
            let bytes = blank_sheet(kind, &[]);
            let xml = part(&bytes, "xl/worksheets/sheet1.xml");
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let pane = elements(&doc, "pane");
            assert_eq!(pane.len(), 1, "{kind:?}");
            assert_eq!(pane[0].attribute("state"), Some("frozen"));
            assert_eq!(pane[0].attribute("ySplit"), Some("1"));
            assert_eq!(pane[0].attribute("xSplit"), None);
            let (headers, _) = kind.header_and_example();
            let cols = elements(&doc, "col");
            assert_eq!(cols.len(), headers.len(), "{kind:?}");
            for col in cols {
                let width: f64 = col.attribute("width").unwrap().parse().unwrap();
                assert!((10.0..=61.0).contains(&width), "{kind:?}: {width}");
            }
            assert!(elements(&doc, "dataValidation").is_empty(), "{kind:?}");
        }
    }

    /// A 安排表 for a project: its first column is a list of the project's leaders, held on a
    /// hidden sheet that the reader never takes for the data.
    #[test]
    fn a_schedule_for_a_project_lists_its_leaders() {
        let leaders = ["张三".to_owned(), "李四".to_owned()];
        let bytes = blank_sheet(SheetKind::Schedule, &leaders);
        let xml = part(&bytes, "xl/worksheets/sheet1.xml");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let validations = elements(&doc, "dataValidation");
        assert_eq!(validations.len(), 1);
        let v = validations[0];
        assert_eq!(v.attribute("type"), Some("list"));
        assert_eq!(v.attribute("errorStyle"), Some("warning"));
        assert_eq!(v.attribute("sqref"), Some("A2:A20001"));
        let formula = v.children().find(|n| {
            n.has_tag_name((
                "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                "formula1",
            ))
        });
        assert_eq!(formula.and_then(|f| f.text()), Some("'领导名单'!$A$1:$A$2"));

        let workbook = part(&bytes, "xl/workbook.xml");
        let doc = roxmltree::Document::parse(&workbook).unwrap();
        let sheets: Vec<_> = elements(&doc, "sheet")
            .iter()
            .map(|s| (s.attribute("name").unwrap(), s.attribute("state")))
            .collect();
        assert_eq!(sheets, [("安排表", None), (LEADERS_SHEET, Some("hidden"))]);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("安排表.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let sheet = read_sheet(&path, None).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(sheet.headers, SheetKind::Schedule.header_and_example().0);
        let names = read_sheet(&path, Some(LEADERS_SHEET)).unwrap();
        assert_eq!(names.headers, ["张三"]);
        assert_eq!(names.rows[0].cells, ["李四"]);
    }

    /// Leaders as a project's sheet may hold them (control characters, quotes, a cell of any
    /// length) make a valid workbook, never a panic; one too long for a cell is left out.
    #[test]
    fn hostile_leader_names_make_a_valid_workbook() {
        let leaders = [
            "张\u{1}三".to_owned(),
            "\"李四\",'王五'".to_owned(),
            "长".repeat(MAX_CELL_TEXT),
            "长".repeat(MAX_CELL_TEXT + 1),
        ];
        let bytes = blank_sheet(SheetKind::Schedule, &leaders);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("安排表.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let names = read_sheet(&path, Some(LEADERS_SHEET)).unwrap_or_else(|d| panic!("{d}"));
        let listed: Vec<&str> = std::iter::once(names.headers[0].as_str())
            .chain(names.rows.iter().map(|r| r.cells[0].as_str()))
            .collect();
        assert_eq!(listed.len(), 3, "the one too long is left out");
        assert_eq!(listed[1], leaders[1]);
        assert_eq!(listed[2].chars().count(), MAX_CELL_TEXT);
        let xml = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(xml.contains("$A$1:$A$3"), "{xml}");
    }

    /// The same kind gives the same bytes (a fixed creation date), whenever it is written.
    #[test]
    fn the_same_kind_gives_the_same_bytes() {
        for kind in SheetKind::ALL {
            let bytes = blank_sheet(kind, &[]);
            assert_eq!(bytes, blank_sheet(kind, &[]), "{kind:?}");
            let core = part(&bytes, "docProps/core.xml");
            assert!(core.contains("2024-01-01T00:00:00Z"), "{core}");
        }
    }
}
