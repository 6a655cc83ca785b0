//! Tests of the library call: what a build reports, and what it refuses.

use super::*;
use crate::diag::Diagnostics;
use crate::pdf::pool::CompileOptions;
use std::sync::Mutex;

/// Keeps what a build tells, for the assertions.
#[derive(Default)]
struct Collect {
    problems: Mutex<Vec<String>>,
    not_built: Mutex<Vec<(String, usize)>>,
}

impl Reporter for Collect {
    fn diagnostics(&self, diagnostics: &Diagnostics) {
        let mut problems = self.problems.lock().unwrap();
        problems.extend(diagnostics.iter().map(ToString::to_string));
    }

    fn not_built(&self, name: &str, errors: usize) {
        self.not_built
            .lock()
            .unwrap()
            .push((name.to_owned(), errors));
    }
}

fn copy_example(name: &str, to: &std::path::Path) -> PathBuf {
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("inputs")
        .join(name);
    let dir = to.join(name);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = dir.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn options(output: PathBuf) -> BuildOptions {
    BuildOptions {
        output,
        // The PDF path is the command's tests' business; these look at the report.
        formats: Formats {
            md: true,
            pdf: false,
            docx: true,
        },
        emit_typst: false,
        embed_fonts: false,
        compile: CompileOptions::default(),
        check: false,
    }
}

#[test]
fn a_batch_reports_each_unit_built_and_a_rebuild_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let dir = copy_example("schools-batch", temp.path());
    let options = options(temp.path().join("out"));
    let projects = [Project::open(&dir)];
    let reporter = Collect::default();
    let report = build(&projects, &options, &reporter);
    assert!(report.success(), "{:?}", reporter.problems.lock().unwrap());
    assert_eq!(report.prepared, 5);
    let names: Vec<&str> = report.built.iter().map(|b| b.name.as_str()).collect();
    assert!(names.contains(&"schools-batch/株洲市第一中学"), "{names:?}");
    for set in &report.built {
        assert_eq!(set.dir, dir);
        assert!(set.output.is_dir(), "{}", set.output.display());
    }
    assert!(
        options
            .output
            .join("schools-batch")
            .join(INDEX_FILE)
            .is_file()
    );
    let written = report.files.written;
    assert!(written > 10, "{written}");

    let again = build(&projects, &options, &reporter);
    assert_eq!(again.files.written, 0);
    assert_eq!(again.files.failed, 0);
    assert!(again.files.unchanged > 0);
}

#[test]
fn a_unit_with_bad_data_is_not_built_and_the_others_are() {
    let temp = tempfile::tempdir().unwrap();
    let dir = copy_example("schools-batch", temp.path());
    let roster = dir.join("总表.csv");
    let text = std::fs::read_to_string(&roster).unwrap();
    // An empty 姓名 in one school's first row of the master sheet: that unit fails alone.
    let broken = text.replacen("株洲市第一中学,王建国,", "株洲市第一中学,,", 1);
    assert_ne!(broken, text);
    std::fs::write(&roster, broken).unwrap();
    let options = options(temp.path().join("out"));
    let reporter = Collect::default();
    let report = build(&[Project::open(&dir)], &options, &reporter);
    assert!(!report.success());
    let failed: Vec<&str> = report.not_built.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(failed, ["schools-batch/株洲市第一中学"], "{report:?}");
    assert_eq!(report.built.len(), 4);
    let told = reporter.not_built.lock().unwrap();
    assert_eq!(told.len(), report.not_built.len());
    assert!(
        report
            .not_built
            .iter()
            .all(|n| n.errors > 0 && n.dir == dir)
    );
}

#[test]
fn an_output_folder_inside_a_project_is_refused_before_anything_is_read() {
    let temp = tempfile::tempdir().unwrap();
    let dir = copy_example("zhuzhou-2019", temp.path());
    let reporter = Collect::default();
    let report = build(&[Project::open(&dir)], &options(dir.join("out")), &reporter);
    assert!(report.refused && !report.success());
    assert!(!dir.join("out").exists());
    assert!(reporter.problems.lock().unwrap()[0].contains("重叠"));
}

/// Reports `not_built` of the batch's last unit together with whether the first unit's
/// Markdown was on disk by then.
struct WrittenWhenLastFails {
    first: PathBuf,
    last: String,
    first_written_before: Mutex<Option<bool>>,
}

impl Reporter for WrittenWhenLastFails {
    fn diagnostics(&self, _: &Diagnostics) {}

    fn not_built(&self, name: &str, _errors: usize) {
        if name == self.last {
            *self.first_written_before.lock().unwrap() = Some(self.first.is_file());
        }
    }
}

#[test]
fn a_batch_streams_the_first_units_are_written_before_the_last_is_prepared() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("many");
    std::fs::create_dir_all(&dir).unwrap();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("inputs/schools-batch");
    std::fs::copy(example.join("qingdan.yaml"), dir.join("qingdan.yaml")).unwrap();
    let sheet = std::fs::read_to_string(example.join("总表.csv")).unwrap();
    let (header, rows) = sheet.split_once('\n').unwrap();
    let first_school: Vec<&str> = rows
        .lines()
        .take_while(|row| row.starts_with("株洲市第一中学,") || row.starts_with(','))
        .collect();
    // Far more units than one window holds on any machine (8 per worker, at most 2 workers
    // per core); the last one lacks its first leader's name and fails to prepare.
    let units = 400;
    let mut csv = format!("{header}\n");
    for unit in 1..=units {
        for row in &first_school {
            let mut row = row.replacen("株洲市第一中学", &format!("学校{unit}"), 1);
            if unit == units {
                row = row.replacen(",王建国,", ",,", 1);
            }
            csv.push_str(&row);
            csv.push('\n');
        }
    }
    std::fs::write(dir.join("总表.csv"), csv).unwrap();
    let mut options = options(temp.path().join("out"));
    options.formats.docx = false;
    options.compile.jobs = Some(1);
    let reporter = WrittenWhenLastFails {
        first: options.output.join("many/学校1/附件-责任清单.md"),
        last: format!("many/学校{units}"),
        first_written_before: Mutex::new(None),
    };
    let report = build(&[Project::open(&dir)], &options, &reporter);
    assert_eq!(report.built.len(), units - 1);
    assert_eq!(
        *reporter.first_written_before.lock().unwrap(),
        Some(true),
        "the last unit failed before the first was written: the batch was prepared whole"
    );
    // The index still lists every unit, the failed one last.
    let index = std::fs::read_to_string(options.output.join("many").join(INDEX_FILE)).unwrap();
    assert!(index.contains(&format!("共 {units} 个单位")), "{index}");
    assert!(
        index.trim_end().ends_with(&format!(
            "| 学校{units} | **生成失败**，见 qingdan check 的报告 |"
        )),
        "{index}"
    );
}
