//! Helpers shared by the integration tests: the repository's folder, running the `qingdan`
//! binary (every test runs it through [`command`]), copying a project folder, the examples built
//! once per run ([`examples`]), what a reader sees of Markdown ([`visible_text`], [`fold`]);
//! [`browser`], a real browser for the end-to-end tests; [`server`], `qingdan serve` as a process
//! and an HTTP client to talk to it.

pub(crate) mod browser;
pub(crate) mod server;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use pulldown_cmark::{Event, Tag, TagEnd};

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `qingdan` binary under test, as a command to add arguments to.
pub(crate) fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_qingdan"))
}

/// Runs `qingdan` with `args`.
pub(crate) fn qingdan<S: AsRef<OsStr>>(args: &[S]) -> Output {
    command().args(args).output().expect("qingdan runs")
}

/// Runs `qingdan` with `args`, which must succeed.
pub(crate) fn qingdan_ok<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let out = qingdan(args);
    assert!(
        out.status.success(),
        "qingdan failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Builds `projects` into `out` with the bundled fonts only (no system fonts), which must succeed.
pub(crate) fn build_ok(projects: &[&Path], out: &Path) -> Output {
    let mut args: Vec<&OsStr> = vec![OsStr::new("build")];
    args.extend(projects.iter().map(|p| p.as_os_str()));
    args.extend([
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--no-system-fonts"),
    ]);
    qingdan_ok(&args)
}

/// Copies the files (not subfolders) of `from` into `to`.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// The bundled examples (`inputs/*`).
pub(crate) const EXAMPLES: [&str; 4] = [
    "zhuzhou-2019",
    "jilin-task-division",
    "daligang-2019",
    "schools-batch",
];

/// One-notice projects for the furniture's variants: a joint upward document with 签发人 under
/// an organ seal, and one signed with a signature seal, with a remark and 抄送 only.
pub(crate) const VARIANTS: [(&str, &str); 2] = [
    (
        "联合上行",
        "机关: 株洲市教育局\n\
         发文机关标志: [株洲市教育局, 株洲市应急管理局, 文件]\n\
         通知:\n  发文字号: 株教发〔2019〕12号\n  标题: 关于安全生产工作的请示\n\
         \x20 主送: 株洲市人民政府\n  正文: 现将有关情况报告如下，请审示。\n\
         \x20 签发人: [张三, 李四, 王五]\n  署名: [株洲市教育局, 株洲市应急管理局]\n\
         \x20 用印: 印章\n  成文日期: 2019年8月20日\n",
    ),
    (
        "签名章",
        "机关: 株洲市教育局\n\
         通知:\n  发文字号: 株教发〔2019〕13号\n  标题: 关于安全生产工作的通知\n\
         \x20 主送: 各县市区教育局\n  正文: 现将有关事项通知如下。\n  署名: 局长\n  用印: 签名章\n\
         \x20 成文日期: 2019年8月20日\n  附注: 此件公开发布\n  抄送: 市安委办。\n",
    ),
];

/// The output folder of one build, made once per test run and shared by every module that reads
/// finished documents (pdf, layout, docx, golden): the bundled examples, `qingdan init`'s project
/// (which has a 版头, 署名 and 版记, as `示例`) and the [`VARIANTS`], in every format, with the
/// bundled fonts only and `--emit-typst`. It lies in the target's test folder, made afresh each
/// run, so the documents of the last run can be looked at.
pub(crate) fn examples() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let temp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("examples");
        let _ = std::fs::remove_dir_all(&temp);
        let projects_dir = temp.join("projects");
        std::fs::create_dir_all(&projects_dir).unwrap();
        let mut projects: Vec<PathBuf> = EXAMPLES
            .iter()
            .map(|p| repo().join("inputs").join(p))
            .collect();
        let init = projects_dir.join("示例");
        qingdan_ok(&[Path::new("init"), &init]);
        projects.push(init);
        for (name, manifest) in VARIANTS {
            let dir = projects_dir.join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("qingdan.yaml"), manifest).unwrap();
            projects.push(dir);
        }
        let out = temp.join("out");
        let mut args: Vec<&OsStr> = vec!["build".as_ref()];
        args.extend(projects.iter().map(|p| p.as_os_str()));
        args.extend([
            "-o".as_ref(),
            out.as_os_str(),
            "--no-system-fonts".as_ref(),
            "--emit-typst".as_ref(),
        ]);
        qingdan_ok(&args);
        out
    })
}

/// The text a reader sees in Markdown, block by block, without markup: cells separated by tabs,
/// line breaks (`<br>` too) as new lines.
pub(crate) fn visible_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in qingdan::markdown::parser(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::InlineHtml(h) if h.starts_with("<br") => out.push('\n'),
            // Any other HTML prints as the text it is, as qingdan prints it.
            Event::Html(h) | Event::InlineHtml(h) => out.push_str(&h),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableRow | TagEnd::TableHead,
            ) => out.push('\n'),
            Event::Start(Tag::TableCell) => out.push('\t'),
            _ => {}
        }
    }
    out
}

/// Folds away what a layout changes in text taken out of a PDF or a .docx: all white space
/// (line and page breaks, the ideographic spaces in 熊　丹 and 备　注) and a text extraction's
/// bookmark marker.
pub(crate) fn fold(text: &str) -> String {
    text.replace("[bookmark: _GoBack]", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// What a measured run of `qingdan` gave: its exit code, what it printed on stderr and stdout,
/// and the peak resident memory, in KiB, of the largest of it and the tools it ran.
#[cfg(target_os = "linux")]
pub(crate) struct Measured {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) peak: i64,
}

/// Runs `qingdan` with `args` under GNU time (Debian's `time` package), which reports the peak
/// memory of the process it forks, its output going through files in `scratch`. Not wait4 from
/// here: a child spawned by this large test process keeps its parent's high-water mark across
/// exec, so it would report the test process's memory (700 MB) rather than its own.
#[cfg(target_os = "linux")]
pub(crate) fn qingdan_measured<S: AsRef<OsStr>>(args: &[S], scratch: &Path) -> Measured {
    use std::process::Stdio;
    std::fs::create_dir_all(scratch).unwrap();
    let (out, err, peak) = (
        scratch.join("stdout.txt"),
        scratch.join("stderr.txt"),
        scratch.join("peak.txt"),
    );
    let status = Command::new("/usr/bin/time")
        .args([
            OsStr::new("-f"),
            OsStr::new("%M"),
            OsStr::new("-o"),
            peak.as_os_str(),
        ])
        .arg(env!("CARGO_BIN_EXE_qingdan"))
        .args(args)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .stdin(Stdio::null())
        .status()
        .expect("/usr/bin/time runs (apt-get install time; scripts/test installs it)");
    // "Command exited with non-zero status N" comes first when it fails.
    let peak = std::fs::read_to_string(&peak).unwrap_or_default();
    Measured {
        code: status.code(),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        peak: peak
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or_else(|| panic!("no peak memory from /usr/bin/time: {peak}")),
    }
}

/// `rows` under `header`, as an .xlsx a clerk would save (every cell text; empty cells left
/// out).
pub(crate) fn write_xlsx(path: &Path, header: &[&str], rows: &[Vec<String>]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, cell) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *cell).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, cell).unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

/// The CSV file at `path` with `edit` applied to its rows (the header row first), as bytes.
pub(crate) fn edit_csv(path: &Path, edit: impl FnOnce(&mut Vec<Vec<String>>)) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    edit(&mut rows);
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}
