//! PDF checks with real tools (poppler-utils): the examples are built by the `qingdan` binary and
//! their PDFs inspected for page size, embedded fonts and extractable Chinese text.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{build_ok, examples, repo};

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for the PDF tests (apt-get install poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tool prints UTF-8")
}

fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

fn all_pdfs() -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = walk(examples())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn every_document_is_built_as_markdown_and_pdf() {
    let out = examples();
    for (project, names) in [
        (
            "zhuzhou-2019",
            &["通知", "实施细则", "附件-责任清单", "全文"][..],
        ),
        (
            "daligang-2019",
            &["通知", "实施意见", "附件-安排表", "全文"][..],
        ),
        ("jilin-task-division", &["附件1-任务分工表"][..]),
    ] {
        for name in names {
            for ext in ["md", "pdf"] {
                let path = out.join(project).join(format!("{name}.{ext}"));
                assert!(path.is_file(), "{} missing", path.display());
            }
        }
    }
}

#[test]
fn pages_are_a4() {
    for pdf in all_pdfs() {
        let info = tool("pdfinfo", &["-f", "1", "-l", "999", pdf.to_str().unwrap()]);
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains("size:"))
            .collect();
        assert!(!sizes.is_empty(), "{}: no page sizes", pdf.display());
        for line in sizes {
            // Portrait, or landscape for the wide task-division table.
            assert!(
                line.contains("595.276 x 841.89") || line.contains("841.89 x 595.276"),
                "{}: {line}",
                pdf.display()
            );
        }
    }
}

#[test]
fn every_font_is_embedded_and_cjk() {
    for pdf in all_pdfs() {
        let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{}: no fonts", pdf.display());
        for row in &rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type [encoding] emb sub uni object ID: "emb" is the 5th column from the end.
            assert_eq!(
                cols[cols.len() - 5],
                "yes",
                "{}: font not embedded: {row}",
                pdf.display()
            );
        }
        assert!(
            rows.iter()
                .any(|r| r.contains("Fandol") || r.contains("Noto")),
            "{}: no bundled CJK font used:\n{fonts}",
            pdf.display()
        );
    }
}

#[test]
fn chinese_text_is_extractable() {
    let out = examples();
    let text = text_of(&out.join("zhuzhou-2019/全文.pdf"));
    // pdftotext drops the spaces inside "— 1 —"; compare without white space.
    let folded: String = text.split_whitespace().collect();
    for expected in [
        "株洲市教育局文件",
        "株教发〔2019〕12号",
        "第一章",
        "第十二条",
        "吴安浩",
        "刘永东",
        "—1—",
    ] {
        assert!(
            folded.contains(expected),
            "全文.pdf lacks “{expected}”:\n{text}"
        );
    }
    for pdf in all_pdfs() {
        let text = text_of(&pdf);
        assert!(
            !text.contains('\u{FFFD}'),
            "{}: replacement characters in text",
            pdf.display()
        );
        assert!(
            text.chars()
                .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
                .count()
                > 20,
            "{}",
            pdf.display()
        );
    }
}

#[test]
fn the_bundle_numbers_pages_continuously() {
    let out = examples();
    let pages = |pdf: &Path| {
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse::<usize>()
            .unwrap()
    };
    let bundle = out.join("zhuzhou-2019/全文.pdf");
    let total = pages(&bundle);
    let parts: usize = ["通知", "实施细则", "附件-责任清单"]
        .iter()
        .map(|n| pages(&out.join(format!("zhuzhou-2019/{n}.pdf"))))
        .sum();
    assert_eq!(total, parts);
    let last = tool(
        "pdftotext",
        &[
            "-f",
            &total.to_string(),
            "-l",
            &total.to_string(),
            bundle.to_str().unwrap(),
            "-",
        ],
    );
    let last: String = last.split_whitespace().collect();
    assert!(
        last.contains(&format!("—{total}—")),
        "last page shows its number:\n{last}"
    );
}

#[test]
fn data_prints_literally_and_never_runs() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    std::fs::write(
        dir.join("qingdan.yaml"),
        "机关: 测试局\n附件:\n  - 类型: 责任清单\n    标题: 特殊字符#清单*测试\n    数据: 清单.csv\n",
    )
    .unwrap();
    let nasty = "#set page(width: 1cm) *粗* |竖线| $x^2$ <标签> [链接](http://x) @引用 // 注释 {{ 模板 }} {% if %} \\转义";
    std::fs::write(
        dir.join("清单.csv"),
        format!(
            "姓名,职务,工作职责\n王#五,局长$,\"{}\"\n",
            nasty.replace('"', "\"\"")
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build_ok(&[dir], out.path());
    let name = dir
        .canonicalize()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let text = text_of(&out.path().join(&name).join("附件-责任清单.pdf"));
    let folded: String = text.split_whitespace().collect();
    for piece in [
        "王#五",
        "局长$",
        // Table columns interleave in extracted text: each piece is looked for on its own.
        "#setpage(width:1cm)",
        "*粗*",
        "|竖线|",
        "$x^2$",
        "<标签>",
        "[链接](http://x)",
        "@引用",
        "//注释",
        "{{模板}}",
        "{%if%}",
        "\\转义",
        "特殊字符#清单*测试",
    ] {
        assert!(folded.contains(piece), "PDF lacks “{piece}”:\n{text}");
    }
    let info = tool(
        "pdfinfo",
        &[out
            .path()
            .join(&name)
            .join("附件-责任清单.pdf")
            .to_str()
            .unwrap()],
    );
    assert!(
        info.contains("595.276 x 841.89"),
        "data changed the page size:\n{info}"
    );
}

#[test]
fn the_same_inputs_give_byte_identical_pdfs() {
    // A build of one project against the shared build of all the examples.
    let project = repo().join("inputs/daligang-2019");
    let again = tempfile::tempdir().unwrap();
    build_ok(&[&project], again.path());
    for name in ["通知.pdf", "全文.pdf"] {
        let first = std::fs::read(examples().join("daligang-2019").join(name)).unwrap();
        let second = std::fs::read(again.path().join("daligang-2019").join(name)).unwrap();
        assert!(first == second, "{name} differs between two builds");
    }
}

/// A project whose 责任清单 has one leader with `duties` duties: 姓名 and 职务 merged over all of
/// them, broken by every page.
fn long_list(dir: &Path, duties: usize) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("qingdan.yaml"),
        "机关: 测试局\n附件:\n  - 类型: 责任清单\n    标题: 测试局责任清单\n    数据: 清单.csv\n",
    )
    .unwrap();
    let mut csv = String::from("姓名,职务,工作职责\n");
    for i in 1..=duties {
        let lead = if i == 1 { "张三,局长," } else { ",," };
        csv.push_str(&format!(
            "{lead}第{i}项：督促分管领域落实安全生产责任，定期组织检查并整改隐患问题。\n"
        ));
    }
    std::fs::write(dir.join("清单.csv"), csv).unwrap();
}

/// Builds `project` into `out` and returns the peak resident memory of the qingdan process, in
/// KiB.
#[cfg(target_os = "linux")]
fn build_peak_memory(project: &Path, out: &Path) -> i64 {
    let args = [
        OsStr::new("build"),
        project.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--no-system-fonts"),
    ];
    let run = crate::common::qingdan_measured(&args, out);
    assert_eq!(run.code, Some(0), "qingdan build failed:\n{}", run.stderr);
    run.peak
}

#[test]
#[cfg(target_os = "linux")]
fn a_long_list_grows_linearly_and_continues_its_labels_on_every_page() {
    // When every page searched all of the table's marks for its （续） labels, 2,000 duties took
    // 5× the memory of 500 (1 GB), and 20,000 exhausted 24 GB.
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let mut peak = Vec::new();
    for duties in [500, 2_000] {
        let project = temp.path().join(format!("list{duties}"));
        long_list(&project, duties);
        peak.push(build_peak_memory(&project, &out));
    }
    let ratio = peak[1] as f64 / peak[0] as f64;
    assert!(
        ratio < 3.0,
        "4× the rows took {ratio:.1}× the memory: {peak:?}"
    );

    let pdf = out.join("list2000/附件-责任清单.pdf");
    let text = text_of(&pdf);
    let pages: Vec<&str> = text
        .split('\x0c')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains(&format!("Pages:           {}", pages.len())),
        "{info}"
    );
    assert!(pages.len() > 100, "2,000 duties on {} pages", pages.len());
    // Every duty, once and in order.
    let mut at = 0;
    for i in 1..=2_000 {
        let duty = format!("第{i}项：");
        at += text[at..]
            .find(&duty)
            .unwrap_or_else(|| panic!("{duty} missing or out of order"));
    }
    // 姓名 and 职务 continued at the top of every page after the first.
    for (i, page) in pages.iter().enumerate() {
        let expected = if i == 0 { 0 } else { 2 };
        assert_eq!(
            page.matches("（续）").count(),
            expected,
            "page {}:\n{page}",
            i + 1
        );
    }
}

/// The title lines of the first page of `pdf` (the lines before `until`), whitespace dropped.
fn title_lines(pdf: &Path, skip: usize, count: usize) -> Vec<String> {
    let text = tool(
        "pdftotext",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-enc",
            "UTF-8",
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    text.lines()
        .map(|l| l.split_whitespace().collect::<String>())
        .filter(|l| !l.is_empty())
        .skip(skip)
        .take(count)
        .collect()
}

#[test]
fn titles_break_between_words() {
    for (file, skip, lines) in [
        (
            "zhuzhou-2019/实施细则.pdf",
            0,
            &["株洲市教育局党政领导干部", "安全生产责任制实施细则"][..],
        ),
        (
            "schools-batch/株洲市第一中学/附件-责任清单.pdf",
            1,
            &["株洲市第一中学党政领导干部", "安全生产责任清单"],
        ),
        (
            "daligang-2019/实施意见.pdf",
            0,
            &[
                "大栗港镇党政领导干部安全生产“党政同责、",
                "一岗双责”和“三个必须”的实施意见",
            ],
        ),
    ] {
        let pdf = examples().join(file);
        assert_eq!(title_lines(&pdf, skip, lines.len()), lines, "{file}");
    }
}

#[test]
fn a_break_written_in_the_manifest_is_kept_and_left_out_of_the_metadata() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("qingdan.yaml"),
        "机关: 某局\n主件:\n  类型: 办法\n  标题: |\n    某局关于加强\n    安全生产管理的办法\n  正文: |\n    1. 本办法自印发之日起施行。\n",
    )
    .unwrap();
    let out = temp.path().join("out");
    build_ok(&[&project], &out);
    let pdf = out.join("p/办法.pdf");
    assert_eq!(
        title_lines(&pdf, 0, 2),
        ["某局关于加强", "安全生产管理的办法"]
    );
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("某局关于加强安全生产管理的办法"), "{info}");
    let markdown = std::fs::read_to_string(out.join("p/办法.md")).unwrap();
    assert!(
        markdown.starts_with("# 某局关于加强安全生产管理的办法\n"),
        "{markdown}"
    );
}

#[test]
fn the_colophon_can_follow_the_notice() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    std::fs::create_dir_all(&project).unwrap();
    for entry in std::fs::read_dir(repo().join("inputs/daligang-2019")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, project.join(path.file_name().unwrap())).unwrap();
    }
    let manifest = std::fs::read_to_string(project.join("qingdan.yaml")).unwrap();
    let manifest = manifest.replace(
        "  成文日期: 2019年7月1日\n",
        "  成文日期: 2019年7月1日\n  抄送: 县应急管理局。\n  印发机关: 中共大栗港镇委员会办公室\n  印发日期: 2019年7月1日\n",
    ) + "版式:\n  版记位置: 通知后\n";
    std::fs::write(project.join("qingdan.yaml"), manifest).unwrap();
    let out = temp.path().join("out");
    build_ok(&[&project], &out);
    let main_title = "大栗港镇党政领导干部安全生产";
    let markdown = std::fs::read_to_string(out.join("p/全文.md")).unwrap();
    let cc = markdown
        .find("抄送：县应急管理局。")
        .expect("the 版记 is in 全文.md");
    let main = markdown
        .find(&format!("# {main_title}"))
        .expect("the main title");
    assert!(cc < main, "the 版记 follows the notice:\n{markdown}");
    // In the PDF: on the notice's last (even) page, before the page the issued document starts.
    let pdf = out.join("p/全文.pdf");
    let pages: u32 = tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let page_of = |needle: &str| {
        (1..=pages)
            .find(|p| {
                let p = p.to_string();
                tool(
                    "pdftotext",
                    &[
                        "-f",
                        &p,
                        "-l",
                        &p,
                        "-enc",
                        "UTF-8",
                        pdf.to_str().unwrap(),
                        "-",
                    ],
                )
                .split_whitespace()
                .collect::<String>()
                .contains(needle)
            })
            .unwrap_or_else(|| panic!("{needle} is in the PDF"))
    };
    let cc_page = page_of("抄送：县应急管理局。");
    assert_eq!(cc_page % 2, 0, "the 版记 is on an even page");
    assert!(
        cc_page < page_of("根据《关于落实党政领导干部"),
        "before the issued document's body"
    );
}

/// `--emit-typst` writes, per document, a folder holding everything typst reads besides the
/// fonts: compiled from those three files alone, it gives the very PDF the build wrote. A second
/// build with `--emit-typst` is still incremental.
#[test]
fn emitted_typst_folders_compile_to_the_pdfs_beside_them() {
    use qingdan::pdf::PdfEngine;
    use qingdan::pdf::fonts::{FontOptions, Fonts};
    use qingdan::typst_markup::source::TypstSource;

    let out = tempfile::tempdir().unwrap();
    let project = repo().join("inputs/zhuzhou-2019");
    let emit = |out: &Path| {
        crate::common::command()
            .arg("build")
            .arg(&project)
            .arg("-o")
            .arg(out)
            .args(["--no-system-fonts", "--emit-typst", "--formats", "pdf"])
            .output()
            .expect("qingdan runs")
    };
    assert!(emit(out.path()).status.success());
    let fonts = std::sync::Arc::new(Fonts::load(&FontOptions {
        dirs: Vec::new(),
        system: false,
    }));
    let project_out = out.path().join("zhuzhou-2019");
    for name in ["通知", "附件-责任清单"] {
        let folder = project_out.join("typst").join(name);
        let read = |file: &str| std::fs::read(folder.join(file)).expect(file);
        let engine = PdfEngine::new(
            fonts.clone(),
            &String::from_utf8(read("qingdan.typ")).unwrap(),
        );
        let source = TypstSource {
            main: String::from_utf8(read("main.typ")).unwrap(),
            meta_json: read("meta.json"),
        };
        assert!(source.main.contains("#import \"/qingdan.typ\""), "{name}");
        let (pdf, _) = engine
            .render(name, source)
            .expect("the emitted folder compiles");
        assert!(
            pdf == std::fs::read(project_out.join(format!("{name}.pdf"))).unwrap(),
            "{name}: the emitted folder compiles to another PDF"
        );
    }
    let again = emit(out.path());
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("0 written"), "{stdout}");
}
