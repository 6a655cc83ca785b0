//! Batch production and personnel changes: one master sheet gives one document set per school;
//! a school with bad data fails alone; a rebuild with no change compiles nothing; changing one
//! leader rebuilds only that school's documents, byte-identical elsewhere.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;

use crate::common::{qingdan, repo};

fn build(project: &Path, out: &Path) -> Output {
    qingdan(&[
        Path::new("build"),
        project,
        Path::new("-o"),
        out,
        Path::new("--no-system-fonts"),
    ])
}

/// A copy of the bundled batch example in a temporary folder.
fn batch_copy() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("schools-batch");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["qingdan.yaml", "总表.csv"] {
        std::fs::copy(
            repo().join("inputs/schools-batch").join(name),
            dir.join(name),
        )
        .unwrap();
    }
    (temp, dir)
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SCHOOLS: [&str; 5] = [
    "株洲市第一中学",
    "株洲市第二中学",
    "株洲市南方中学",
    "株洲市实验学校",
    "株洲市特殊教育学校",
];

#[test]
fn one_master_sheet_gives_one_set_per_school_with_an_index() {
    let (_temp, dir) = batch_copy();
    let out = tempfile::tempdir().unwrap();
    let result = build(&dir, out.path());
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    for school in SCHOOLS {
        let md = std::fs::read_to_string(
            out.path()
                .join("schools-batch")
                .join(school)
                .join("附件-责任清单.md"),
        )
        .unwrap();
        assert!(
            md.contains(&format!("# {school}党政领导干部安全生产责任清单")),
            "{md}"
        );
        assert!(
            out.path()
                .join("schools-batch")
                .join(school)
                .join("附件-责任清单.pdf")
                .is_file()
        );
    }
    let index = std::fs::read_to_string(out.path().join("schools-batch/索引.md")).unwrap();
    assert!(SCHOOLS.iter().all(|s| index.contains(s)), "{index}");
}

#[test]
fn a_school_with_bad_data_fails_alone() {
    let (_temp, dir) = batch_copy();
    let sheet = std::fs::read_to_string(dir.join("总表.csv")).unwrap();
    // 第二中学's first leader loses the 职务.
    let broken = sheet.replacen(
        "株洲市第二中学,刘洋,党支部书记 校长,",
        "株洲市第二中学,刘洋,,",
        1,
    );
    assert_ne!(broken, sheet, "the fixture row changed");
    std::fs::write(dir.join("总表.csv"), broken).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(&dir, out.path());
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("“刘洋”的职务为空"), "{stderr}");
    assert!(!out.path().join("schools-batch/株洲市第二中学").exists());
    assert!(
        out.path()
            .join("schools-batch/株洲市第一中学/附件-责任清单.pdf")
            .is_file()
    );
    let index = std::fs::read_to_string(out.path().join("schools-batch/索引.md")).unwrap();
    assert!(index.contains("| 株洲市第二中学 | **生成失败**"), "{index}");
}

#[test]
fn rebuilds_touch_only_what_changed() {
    let (_temp, dir) = batch_copy();
    let out = tempfile::tempdir().unwrap();
    assert!(build(&dir, out.path()).status.success());
    let pdf = |school: &str| {
        out.path()
            .join("schools-batch")
            .join(school)
            .join("附件-责任清单.pdf")
    };
    let before: Vec<(SystemTime, Vec<u8>)> = SCHOOLS
        .iter()
        .map(|s| (modified(&pdf(s)), std::fs::read(pdf(s)).unwrap()))
        .collect();

    // Nothing changed: nothing is compiled or written.
    let again = build(&dir, out.path());
    let summary = String::from_utf8_lossy(&again.stdout);
    assert!(summary.contains("0 written"), "{summary}");

    // A new 副校长 takes over at 南方中学: only that school's list changes.
    let sheet = std::fs::read_to_string(dir.join("总表.csv")).unwrap();
    let old_name = sheet
        .lines()
        .skip_while(|l| !l.starts_with("株洲市南方中学"))
        .find_map(|l| {
            l.split(',')
                .nth(1)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
        })
        .expect("南方中学 has a leader");
    std::fs::write(dir.join("总表.csv"), sheet.replacen(&old_name, "赵新任", 1)).unwrap();
    let changed = build(&dir, out.path());
    assert!(changed.status.success());
    for (school, (time, bytes)) in SCHOOLS.iter().zip(&before) {
        let now = std::fs::read(pdf(school)).unwrap();
        if *school == "株洲市南方中学" {
            assert_ne!(&now, bytes, "{school} must change");
        } else {
            assert_eq!(&now, bytes, "{school} must stay byte-identical");
            assert_eq!(
                modified(&pdf(school)),
                *time,
                "{school} must not be rewritten"
            );
        }
    }
}

/// Outputs are not synced to disk one by one; what a power cut may leave, an emptied PDF or
/// .docx, is made again by the next build, the state having recorded each file's size.
#[test]
fn an_output_left_empty_is_made_again() {
    let (_temp, dir) = batch_copy();
    let out = tempfile::tempdir().unwrap();
    assert!(build(&dir, out.path()).status.success());
    let school = out.path().join("schools-batch").join(SCHOOLS[0]);
    let mut whole = Vec::new();
    for file in ["附件-责任清单.pdf", "附件-责任清单.docx"] {
        let path = school.join(file);
        whole.push(std::fs::read(&path).unwrap());
        std::fs::File::create(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    }
    let again = build(&dir, out.path());
    let summary = String::from_utf8_lossy(&again.stdout);
    assert!(summary.contains("2 written"), "{summary}");
    for (file, bytes) in ["附件-责任清单.pdf", "附件-责任清单.docx"]
        .iter()
        .zip(&whole)
    {
        assert_eq!(&std::fs::read(school.join(file)).unwrap(), bytes, "{file}");
    }
}

#[test]
fn a_task_division_table_gives_each_unit_its_own_list() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("jilin-task-division");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["qingdan.yaml", "任务分工表.csv"] {
        std::fs::copy(
            repo().join("inputs/jilin-task-division").join(name),
            dir.join(name),
        )
        .unwrap();
    }
    let manifest = std::fs::read_to_string(dir.join("qingdan.yaml")).unwrap();
    std::fs::write(
        dir.join("qingdan.yaml"),
        format!(
            "{manifest}    分单位清单: true\n    单位展开:\n      各校: [第一中学, 第二中学]\n"
        ),
    )
    .unwrap();
    let project = qingdan::prepare_project(&dir).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<&str> = project.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "附件1-任务分工表",
            "任务清单-教育局",
            "任务清单-第一中学",
            "任务清单-第二中学"
        ]
    );
    let school = &project.documents[2].markdown;
    // 各校 tasks reach every school; 教育局-only tasks do not.
    assert!(
        school.contains("| 1 | 局党组、各校党支部必须高度重视"),
        "{school}"
    );
    assert!(
        !school.contains("县教育行政部门党组主要负责人每季度至少带队督促检查"),
        "{school}"
    );
    let bureau = &project.documents[1].markdown;
    assert!(
        bureau.contains("县教育行政部门党组主要负责人每季度至少带队督促检查"),
        "{bureau}"
    );
}

#[test]
fn school_folders_share_settings_and_templates_from_the_parent() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("各校");
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("qingdan-defaults.yaml"),
        "附件:\n  - 类型: 责任清单\n    标题: \"{单位}党政领导干部安全生产责任清单\"\n    数据: 责任清单.csv\n    备注: 共用的备注。\n",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/responsibility-list.md"),
        "共用模板\n\n{% include \"builtin/responsibility-list.md\" %}",
    )
    .unwrap();
    for (school, leader) in [("一中", "王一"), ("二中", "李二")] {
        let dir = root.join(school);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("qingdan.yaml"), format!("机关: 株洲市{school}\n")).unwrap();
        std::fs::write(
            dir.join("责任清单.csv"),
            format!("姓名,职务,工作职责\n{leader},校长,全面负责。\n"),
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let result = qingdan(&[
        Path::new("build"),
        &root,
        Path::new("-o"),
        out.path(),
        Path::new("--markdown-only"),
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let md = std::fs::read_to_string(out.path().join("一中/附件-责任清单.md")).unwrap();
    assert!(
        md.contains("# 株洲市一中党政领导干部安全生产责任清单"),
        "{md}"
    );
    assert!(
        md.contains("共用模板") && md.contains("王　一") && md.contains("共用的备注。"),
        "{md}"
    );
    assert!(
        std::fs::read_to_string(out.path().join("二中/附件-责任清单.md"))
            .unwrap()
            .contains("李　二")
    );
}

#[test]
fn a_unit_with_more_rows_than_a_table_may_have_is_refused_and_the_others_are_built() {
    let (_temp, dir) = batch_copy();
    let mut sheet = std::fs::read_to_string(dir.join("总表.csv")).unwrap();
    if !sheet.ends_with('\n') {
        sheet.push('\n');
    }
    // The sheet row (1-based, header included) where the new school starts.
    let first_row = sheet.lines().count() + 1;
    let rows = 20_001;
    for i in 0..rows {
        let lead = if i == 0 {
            "株洲市第九中学,张三,校长,"
        } else {
            ",,,"
        };
        sheet.push_str(&format!("{lead}第{}项：落实安全生产责任。\n", i + 1));
    }
    std::fs::write(dir.join("总表.csv"), sheet).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = build(&dir, out.path());
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    for line in [
        format!(
            "总表.csv：第{}行 / row {}",
            first_row + 20_000,
            first_row + 20_000
        ),
        "表格有 20001 行数据，超过每张表 20000 行的上限".to_owned(),
        "the table has 20001 data rows, more than the limit of 20000 per table".to_owned(),
        "hint: split the data into several attachments".to_owned(),
    ] {
        assert!(stderr.contains(&line), "missing {line}\n{stderr}");
    }
    assert!(!out.path().join("schools-batch/株洲市第九中学").exists());
    for school in SCHOOLS {
        let pdf = out
            .path()
            .join("schools-batch")
            .join(school)
            .join("附件-责任清单.pdf");
        assert!(pdf.is_file(), "{school} is still built");
    }
}
