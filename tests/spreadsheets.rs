//! Inputs as offices save them: a CSV that Excel wrote as GBK, and .xlsx workbooks (data on a
//! named sheet, blank cells for merged groups), must build exactly the documents the UTF-8 CSV
//! builds.

use std::path::{Path, PathBuf};

use qingdan::prepare_project;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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
