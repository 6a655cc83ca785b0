//! The recognised project as files — `qingdan.yaml` with Chinese keys and a comment saying where
//! it came from, the issued document's Markdown, one CSV (UTF-8 with a byte-order mark, so Excel
//! opens it as such) per attachment — and their writing: into a temporary folder beside the
//! project folder, read back by qingdan's own loader, then renamed into place in one step, never
//! over an existing folder. A failed import leaves nothing behind.

use std::path::{Path, PathBuf};

use super::compose::Composed;
use super::draft::{Draft, Kind, NoticeDraft};
use crate::diag::{Diagnostic, Location};

/// The files of a project: name and content, in writing order (the manifest first).
#[derive(Debug, Clone, Default)]
pub struct ProjectFiles {
    /// File name (no folders) and bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

impl ProjectFiles {
    /// Writes the files as the new project folder `target` — staged beside it, renamed into
    /// place in one step, never over an existing folder — and returns its path. For a project
    /// checked elsewhere and kept (the web page's import, created when the clerk says so).
    pub fn create(&self, target: &Path) -> Result<PathBuf, Box<Diagnostic>> {
        Staged::write(target, self)?.place()
    }

    /// The text of file `name`, if there is one.
    pub fn text(&self, name: &str) -> Option<String> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, b)| {
            String::from_utf8_lossy(b)
                .trim_start_matches('\u{FEFF}')
                .to_owned()
        })
    }
}

/// A YAML scalar for `text` on one line, quoted by the YAML library where it must be.
fn scalar(text: &str) -> String {
    match yaml_serde::to_string(text) {
        Ok(s) if !s.trim_end().contains('\n') => s.trim_end().to_owned(),
        _ => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

/// `key: value`, a multi-line value as a literal block indented under it.
fn entry(out: &mut String, indent: &str, key: &str, value: &str) {
    if value.contains('\n') {
        out.push_str(&format!("{indent}{key}: |\n"));
        for line in value.trim_end_matches('\n').split('\n') {
            if line.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("{indent}  {line}\n"));
            }
        }
    } else {
        out.push_str(&format!("{indent}{key}: {}\n", scalar(value)));
    }
}

/// A list of texts, or its one text alone.
fn texts(out: &mut String, indent: &str, key: &str, values: &[String]) {
    match values {
        [] => {}
        [one] => entry(out, indent, key, one),
        many => {
            let items: Vec<String> = many.iter().map(|v| scalar(v)).collect();
            out.push_str(&format!("{indent}{key}: [{}]\n", items.join(", ")));
        }
    }
}

/// The file the issued document's body goes in: named as qingdan names its output.
pub(crate) fn main_file(kind: &str) -> String {
    match kind {
        "细则" => "实施细则.md".to_owned(),
        "意见" => "实施意见.md".to_owned(),
        other => format!("{other}.md"),
    }
}

/// The CSV file of attachment `index` (0-based) of `count`.
fn sheet_file(kind: Kind, index: usize, count: usize) -> String {
    if count > 1 {
        format!("附件{}-{}.csv", index + 1, kind.label())
    } else {
        format!("{}.csv", kind.label())
    }
}

fn notice_yaml(out: &mut String, n: &NoticeDraft) {
    out.push_str("\n通知:\n");
    let i = "  ";
    for (key, value) in [
        ("份号", &n.copy_number),
        ("密级", &n.secrecy),
        ("紧急程度", &n.urgency),
    ] {
        if let Some(v) = value {
            entry(out, i, key, v);
        }
    }
    entry(out, i, "发文字号", &n.number);
    texts(out, i, "签发人", &n.signers);
    entry(out, i, "标题", &title_value(&n.title));
    if let Some(a) = &n.addressee {
        entry(out, i, "主送", a);
    }
    let body = if n.body.trim().is_empty() {
        "（正文）".to_owned()
    } else {
        format!("{}\n", n.body.trim_end())
    };
    entry(out, i, "正文", &body);
    texts(out, i, "署名", &n.signature);
    if let Some(seal) = n.seal {
        entry(out, i, "用印", seal);
    }
    for (key, value) in [
        ("成文日期", &n.date),
        ("附注", &n.remark),
        ("抄送", &n.cc),
        ("印发机关", &n.printed_by),
        ("印发日期", &n.printed_on),
    ] {
        if let Some(v) = value {
            entry(out, i, key, v);
        }
    }
}

/// A title's value: one line, or its lines as the author broke them.
fn title_value(lines: &[String]) -> String {
    match lines {
        [one] => one.clone(),
        many => format!("{}\n", many.join("\n")),
    }
}

/// The files of `draft` as `composed`; `source` names what it was imported from, for the
/// manifest's comment.
pub(crate) fn project_files(draft: &Draft, composed: &Composed, source: &str) -> ProjectFiles {
    let mut files = Vec::new();
    let mut yaml = format!(
        "# 由 qingdan import 从 {source} 生成：请核对识别结果（见导入报告），再运行 qingdan build。\n"
    );
    entry(&mut yaml, "", "机关", &draft.organisation);
    texts(&mut yaml, "", "发文机关标志", &draft.banner);
    if let Some(notice) = &composed.notice {
        notice_yaml(&mut yaml, notice);
    }
    let l = &composed.layout;
    if l.half_width_brackets
        || l.article_run_in
        || l.chapter_run_in
        || !l.unnumbered_chapters.is_empty()
    {
        yaml.push_str("\n版式:\n");
        if l.half_width_brackets {
            entry(&mut yaml, "  ", "括号", "半角");
        }
        if l.article_run_in {
            entry(&mut yaml, "  ", "条号后", "无");
        }
        if l.chapter_run_in {
            entry(&mut yaml, "  ", "章号后", "无");
        }
        if !l.unnumbered_chapters.is_empty() {
            let items: Vec<String> = l.unnumbered_chapters.iter().map(|c| scalar(c)).collect();
            yaml.push_str(&format!("  不编号章: [{}]\n", items.join(", ")));
        }
    }
    let mut sheets = Vec::new();
    if let Some(main) = &composed.main {
        let file = main_file(&main.kind);
        yaml.push_str("\n主件:\n");
        entry(&mut yaml, "  ", "类型", &main.kind);
        entry(&mut yaml, "  ", "标题", &title_value(&main.title));
        entry(&mut yaml, "  ", "正文", &file);
        sheets.push((file, main.body.clone().into_bytes()));
    }
    if !draft.attachments.is_empty() {
        yaml.push_str("\n附件:\n");
    }
    let count = draft.attachments.len();
    for (index, a) in draft.attachments.iter().enumerate() {
        let file = sheet_file(a.kind, index, count);
        entry(&mut yaml, "  - ", "类型", a.kind.label());
        let i = "    ";
        if let (Some(n), 1) = (a.number, count) {
            yaml.push_str(&format!("{i}编号: {n}\n"));
        }
        entry(&mut yaml, i, "标题", &title_value(&a.title));
        entry(&mut yaml, i, "数据", &file);
        if !a.headers.is_empty() {
            let pairs: Vec<String> = a
                .headers
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
                .collect();
            yaml.push_str(&format!("{i}表头: {{{}}}\n", pairs.join(", ")));
        }
        if let Some(remark) = &a.remark {
            entry(&mut yaml, i, "备注", remark);
        }
        sheets.push((file, csv_bytes(&a.rows)));
    }
    files.push((crate::project::MANIFEST_FILE.to_owned(), yaml.into_bytes()));
    files.extend(sheets);
    ProjectFiles { files }
}

/// Rows as UTF-8 CSV behind a byte-order mark.
fn csv_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        // Writing into memory cannot fail.
        let _ = writer.write_record(row);
    }
    writer.into_inner().unwrap_or_default()
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        path,
        Location::File,
        format!("无法{what}：{e}"),
        format!(
            "cannot {}: {e}",
            match what {
                "创建文件夹" => "create the folder",
                "写入文件" => "write the file",
                _ => "move the folder into place",
            }
        ),
    ))
}

/// The message for a project folder that exists already.
pub(crate) fn exists(dir: &Path) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            dir,
            Location::File,
            "文件夹已存在，导入不会覆盖已有的文件夹",
            "the folder exists already; an import never writes over an existing folder",
        )
        .with_hint(
            "用 -o 指定一个新的文件夹名，或先把已有的文件夹改名",
            "name a new folder with -o, or rename the existing one first",
        ),
    )
}

/// A folder of `files`, not yet in place: a temporary folder beside where the project goes,
/// removed when dropped unless [`Staged::place`] moved it.
pub(crate) struct Staged {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staged {
    /// Writes `files` into a temporary folder beside `target` (creating `target`'s parent).
    pub(crate) fn write(target: &Path, files: &ProjectFiles) -> Result<Self, Box<Diagnostic>> {
        if target.symlink_metadata().is_ok() {
            return Err(exists(target));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "创建文件夹", &e))?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".qingdan-import-{}-", std::process::id()))
            .tempdir_in(&parent)
            .map_err(|e| io_error(&parent, "创建文件夹", &e))?;
        for (name, bytes) in &files.files {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).map_err(|e| io_error(&path, "写入文件", &e))?;
        }
        Ok(Self {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// Where the files are now.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Moves the folder to its place, in one rename; refused when something is there already.
    pub(crate) fn place(self) -> Result<PathBuf, Box<Diagnostic>> {
        if self.target.symlink_metadata().is_ok() {
            return Err(exists(&self.target));
        }
        let staged = self.dir.keep();
        std::fs::rename(&staged, &self.target).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staged);
            io_error(&self.target, "移入", &e)
        })?;
        Ok(self.target)
    }
}
