//! Inputs as offices save them: a CSV that Excel wrote as GBK, and .xlsx workbooks (data on a
//! named sheet, blank cells for merged groups), must build exactly the documents the UTF-8 CSV
//! builds.

use std::path::{Path, PathBuf};

use qingdan::prepare_project;

use crate::common::repo;

/// Copies an example project into a temporary folder (same folder name, so outputs compare).
fn copy_project(name: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(repo().join("inputs").join(name)).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    (temp, dir)
}

fn markdown_of(dir: &Path) -> Vec<(String, String)> {
    let project = prepare_project(dir).unwrap_or_else(|d| panic!("{d}"));
    project
        .documents
        .into_iter()
        .map(|d| (d.name, d.markdown))
        .collect()
}

fn replace_in_manifest(dir: &Path, from: &str, to: &str) {
    let path = dir.join("qingdan.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn an_excel_gbk_csv_builds_the_same_documents() {
    for (project, csv) in [
        ("daligang-2019", "带队检查安排表.csv"),
        ("zhuzhou-2019", "责任清单.csv"),
        ("jilin-task-division", "任务分工表.csv"),
    ] {
        let expected = markdown_of(&repo().join("inputs").join(project));
        let (_temp, dir) = copy_project(project);
        let text = std::fs::read_to_string(dir.join(csv)).unwrap();
        // Excel on Windows: GBK and CRLF line ends.
        let crlf = text.replace('\n', "\r\n");
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&crlf);
        assert!(!unmappable);
        std::fs::write(dir.join(csv), &*gbk).unwrap();
        assert_eq!(markdown_of(&dir), expected, "{project}");
        // Read correctly and without a warning: GBK is what Excel writes as CSV on a Chinese PC.
        let warnings = prepare_project(&dir).unwrap().warnings.to_string();
        assert!(warnings.is_empty(), "{warnings}");
    }
}

#[test]
fn an_xlsx_sheet_builds_the_same_documents() {
    for (project, csv, xlsx, sheet) in [
        (
            "daligang-2019",
            "带队检查安排表.csv",
            "带队检查安排表.xlsx",
            "安排",
        ),
        (
            "jilin-task-division",
            "任务分工表.csv",
            "任务分工表.xlsx",
            "分工",
        ),
    ] {
        let expected = markdown_of(&repo().join("inputs").join(project));
        let (_temp, dir) = copy_project(project);
        std::fs::copy(
            repo().join("tests/fixtures/spreadsheets").join(xlsx),
            dir.join(xlsx),
        )
        .unwrap();
        replace_in_manifest(
            &dir,
            &format!("数据: {csv}"),
            &format!("数据: {xlsx}\n    工作表: {sheet}"),
        );
        assert_eq!(markdown_of(&dir), expected, "{project}");
    }
}

#[test]
fn a_missing_worksheet_names_the_sheets_there_are() {
    let (_temp, dir) = copy_project("daligang-2019");
    std::fs::copy(
        repo().join("tests/fixtures/spreadsheets/带队检查安排表.xlsx"),
        dir.join("表.xlsx"),
    )
    .unwrap();
    replace_in_manifest(
        &dir,
        "数据: 带队检查安排表.csv",
        "数据: 表.xlsx\n    工作表: 安拍",
    );
    let Err(diags) = prepare_project(&dir) else {
        panic!("must fail")
    };
    let text = diags.to_string();
    assert!(
        text.contains("找不到工作表“安拍”，现有：说明、安排"),
        "{text}"
    );
}

#[test]
fn columns_in_another_order_with_english_headers_read_the_same() {
    let (_temp, dir) = copy_project("zhuzhou-2019");
    let path = dir.join("责任清单.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    for (i, record) in csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .enumerate()
    {
        let r = record.unwrap();
        if i == 0 {
            out.write_record(["Duties", "Name", " 职 务 "]).unwrap();
        } else {
            out.write_record([&r[2], &r[0], &r[1]]).unwrap();
        }
    }
    std::fs::write(&path, out.into_inner().unwrap()).unwrap();
    assert_eq!(
        markdown_of(&dir),
        markdown_of(&repo().join("inputs/zhuzhou-2019"))
    );
}

/// The parts of a minimal .xlsx package around one worksheet's `<sheetData>` content.
fn xlsx_parts(sheet_data: &str) -> Vec<(String, Vec<u8>)> {
    const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PR: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    [
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{PR}"><Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{R}"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="{PR}"><Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{sheet_data}</sheetData></worksheet>"#
            ),
        ),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), text.into_bytes()))
    .collect()
}

/// Writes `parts` as a deflated zip package.
fn write_package(path: &Path, parts: &[(String, Vec<u8>)]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A responsibility list's header and one leader, as `<row>` elements.
fn roster_rows() -> String {
    format!(
        r#"<row r="1">{}{}{}</row><row r="2">{}{}{}</row>"#,
        inline("A1", "姓名"),
        inline("B1", "职务"),
        inline("C1", "工作职责"),
        inline("A2", "吴安浩"),
        inline("B2", "局长"),
        inline("C2", "全面负责"),
    )
}

/// A project whose only attachment is the responsibility list in `表.xlsx`.
fn xlsx_project(parts: &[(String, Vec<u8>)]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("p");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("qingdan.yaml"),
        "机关: 测试局\n附件:\n  - 类型: 责任清单\n    标题: 清单\n    数据: 表.xlsx\n",
    )
    .unwrap();
    write_package(&dir.join("表.xlsx"), parts);
    (temp, dir)
}

/// Runs `qingdan check` on `dir`: exit code and stderr.
fn check(dir: &Path) -> (Option<i32>, String) {
    let out = crate::common::command()
        .arg("check")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_sparse_sheet_is_read_without_its_rectangle_and_a_far_cell_is_refused() {
    // One stray cell at the last row of column C: read sparsely, the list is just one leader
    // longer (the far row is an ordinary row), with no 3-million-cell rectangle behind it.
    let far_row = format!(
        r#"{}<row r="1048576">{}{}</row>"#,
        roster_rows(),
        inline("B1048576", "副局长"),
        inline("C1048576", "远处的职责")
    );
    let (_t, dir) = xlsx_project(&xlsx_parts(&far_row));
    let sheet = qingdan::inputs::read_sheet(&dir.join("表.xlsx"), None).unwrap();
    assert_eq!(sheet.rows.len(), 2);
    assert_eq!(sheet.rows[1].row, 1_048_576);

    // One cell at XFD1048576 (the last cell Excel has): before, this 2 KB file asked for
    // 512 GB and aborted the process.
    let xfd = format!(
        r#"{}<row r="1048576">{}</row>"#,
        roster_rows(),
        inline("XFD1048576", "x")
    );
    let (_t, dir) = xlsx_project(&xlsx_parts(&xfd));
    assert!(std::fs::metadata(dir.join("表.xlsx")).unwrap().len() < 4096);
    let (code, stderr) = check(&dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("表格用到了 XFD 列（第16384列），超过了可读取的1000列"),
        "{stderr}"
    );
    assert!(stderr.contains("Ctrl+End"), "{stderr}");
}

#[test]
fn a_shared_strings_bomb_is_refused_before_it_is_unpacked() {
    // (what the shared strings claim, words the refusal must contain)
    let many = "<si><t>安全生产责任</t></si>".repeat(2_000_000);
    let cases = [
        // A count that calamine would reserve room for: 4 billion strings, ~100 GB.
        (
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000"><si><t>a</t></si></sst>"#.to_owned(),
            "声明了 4000000000 个不同的文字",
        ),
        // 64 MB of strings from a file of a few hundred KB.
        (
            format!(
                r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{many}</sst>"#
            ),
            "解压后有 64 MB，超过了可读取的 32 MB",
        ),
    ];
    for (strings, expected) in cases {
        let mut parts = xlsx_parts(&roster_rows());
        parts.push(("xl/sharedStrings.xml".to_owned(), strings.into_bytes()));
        let (_t, dir) = xlsx_project(&parts);
        let size = std::fs::metadata(dir.join("表.xlsx")).unwrap().len();
        assert!(size < 2 << 20, "{size}");
        let (code, stderr) = check(&dir);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}

#[test]
fn excel_error_cells_are_errors_naming_row_and_column() {
    let rows = format!(
        r##"{}<row r="3">{}{}<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>"##,
        roster_rows(),
        inline("A3", "毛大训"),
        inline("B3", "副局长"),
    );
    let (_t, dir) = xlsx_project(&xlsx_parts(&rows));
    let Err(diags) = prepare_project(&dir) else {
        panic!("an error value must not print")
    };
    let text = diags.to_string();
    assert!(
        text.contains("第3行，“工作职责”列") && text.contains("Excel 错误值“#DIV/0!”"),
        "{text}"
    );
    assert!(!text.contains("Div0"), "{text}");
}

#[test]
fn a_windows_1252_manifest_that_is_valid_gbk_is_read_with_a_warning() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("p");
    std::fs::create_dir_all(&dir).unwrap();
    // A Western PC's editor saved "Müller Straße" as Windows-1252: bytes GBK also accepts, so
    // it decodes without an error, as nonsense.
    let mut manifest = b"organisation: M\xFCller Stra\xDFe\n".to_vec();
    manifest
        .extend(b"attachments:\n  - kind: responsibility\n    title: List\n    data: list.csv\n");
    std::fs::write(dir.join("qingdan.yaml"), &manifest).unwrap();
    std::fs::write(
        dir.join("list.csv"),
        "姓名,职务,工作职责\n吴安浩,局长,全面负责\n",
    )
    .unwrap();
    let project = prepare_project(&dir).unwrap_or_else(|d| panic!("{d}"));
    let warnings = project.warnings.to_string();
    assert!(
        warnings.contains("p/qingdan.yaml") && warnings.contains("已按 GBK（GB18030）读取"),
        "{warnings}"
    );
    assert!(warnings.contains("Windows-1252"), "{warnings}");
}

#[test]
fn an_invisible_bidi_override_in_a_name_is_removed_with_a_warning_naming_the_cell() {
    let (_temp, dir) = copy_project("zhuzhou-2019");
    let path = dir.join("责任清单.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let first_name = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    std::fs::write(
        &path,
        text.replacen(&first_name, &format!("\u{202E}{first_name}\u{200B}"), 1),
    )
    .unwrap();
    let project = prepare_project(&dir).unwrap_or_else(|d| panic!("{d}"));
    let warnings = project.warnings.to_string();
    assert!(
        warnings.contains("责任清单.csv：第2行，“姓名”列")
            && warnings.contains("U+202E")
            && warnings.contains("U+200B"),
        "{warnings}"
    );
    let expected = markdown_of(&repo().join("inputs/zhuzhou-2019"));
    assert_eq!(
        project
            .documents
            .into_iter()
            .map(|d| (d.name, d.markdown))
            .collect::<Vec<_>>(),
        expected
    );
}

/// An .ods cell holding `text`, `repeat` holding the attribute that repeats it (or "").
fn ods_cell(text: &str, repeat: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"{repeat}><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// A project whose 安排表 is an .ods of one table with the rows `rows` (`<table:table-row>`s).
fn ods_project(rows: &str) -> (tempfile::TempDir, PathBuf) {
    let content = format!(
        r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("p");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("qingdan.yaml"),
        "机关: 测试局\n附件:\n  - 类型: 安排表\n    标题: 表\n    数据: 表.ods\n",
    )
    .unwrap();
    write_package(
        &dir.join("表.ods"),
        &[
            (
                "mimetype".to_owned(),
                b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            ),
            (
                "META-INF/manifest.xml".to_owned(),
                manifest.as_bytes().to_vec(),
            ),
            ("content.xml".to_owned(), content.into_bytes()),
        ],
    );
    (temp, dir)
}

#[test]
fn an_ods_row_repeated_a_million_times_is_refused_before_it_is_expanded() {
    let rows = format!(
        r#"<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="990000">{}</table:table-row>"#,
        ods_cell("带队领导", ""),
        ods_cell("检查范围", ""),
        ods_cell("x", r#" table:number-columns-repeated="100""#),
    );
    let (_temp, dir) = ods_project(&rows);
    // Before, this 1 KB file made calamine fill 99 million cells: 4.4 GB, then an abort.
    let (code, stderr) = check(&dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("超过每张表 20000 行数据的上限"), "{stderr}");
}

/// The 20,000-row limit of a table is where reading stops, not a check made once the rows are in
/// memory: one row repeated 1,048,575 times (an 871-byte .ods) took 591 MB to be refused.
#[test]
#[cfg(target_os = "linux")]
fn a_sheet_stops_being_read_at_the_row_limit() {
    let rows = format!(
        r#"<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1048575">{}{}</table:table-row>"#,
        ods_cell("带队领导", ""),
        ods_cell("检查范围", ""),
        ods_cell("张三", ""),
        ods_cell("各校", ""),
    );
    let (temp, dir) = ods_project(&rows);
    let run = crate::common::qingdan_measured(
        &[std::ffi::OsStr::new("check"), dir.as_os_str()],
        &temp.path().join("run"),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("表.ods：第20002行 / row 20002")
            && run.stderr.contains("读到此行时停止"),
        "{}",
        run.stderr
    );
    // KiB: well under the 591 MB it took (a check of a small project is about 60 MB).
    assert!(run.peak < 200 << 10, "peak {} KiB", run.peak);

    // The same rows in a CSV stop at the same row.
    std::fs::write(
        dir.join("表.csv"),
        format!("带队领导,检查范围\n{}", "张三,各校\n".repeat(20_001)),
    )
    .unwrap();
    replace_in_manifest(&dir, "表.ods", "表.csv");
    let (code, stderr) = check(&dir);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("表.csv：第20002行 / row 20002"), "{stderr}");
}

#[test]
fn invisible_characters_in_the_manifest_are_removed_with_a_warning_naming_the_line() {
    let (_temp, dir) = copy_project("zhuzhou-2019");
    let path = dir.join("qingdan.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (line, organ) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.strip_prefix("机关: ").map(|o| (i + 1, o.to_owned())))
        .unwrap();
    std::fs::write(
        &path,
        text.replacen(
            &format!("机关: {organ}"),
            &format!("机关: \u{202E}{organ}"),
            1,
        ),
    )
    .unwrap();
    let project = prepare_project(&dir).unwrap_or_else(|d| panic!("{d}"));
    let warnings = project.warnings.to_string();
    assert!(
        warnings.contains(&format!("qingdan.yaml:{line}（第{line}行 / line {line}）"))
            && warnings.contains("U+202E（文字方向控制符）"),
        "{warnings}"
    );
    assert_eq!(project.set.organisation, organ);
}
