//! Documents other programs wrote: LibreOffice (from HTML the test writes), python-docx (cells
//! merged down), pandoc (Word's list numbering), each imported and built.

use std::process::Command;

use super::{built, import_files};
use crate::common::repo;

/// A notice with a 责任清单 whose names are merged down their rows, as HTML: LibreOffice turns
/// it into a .docx of its own making.
const HTML_NOTICE: &str = "<html><head><meta charset=\"utf-8\"></head><body>\
<p align=\"center\"><font color=\"#ff0000\">某县教育局文件</font></p>\
<p align=\"center\">某教发〔2024〕3号</p>\
<p align=\"center\">某县教育局关于印发安全生产责任清单的通知</p>\
<p>各学校：</p><p>现将安全生产责任清单印发给你们，请认真执行。</p>\
<p>附件：某县教育局安全生产责任清单</p>\
<p align=\"right\">某县教育局</p><p align=\"right\">2024年3月1日</p>\
<p>附件</p><p align=\"center\">某县教育局安全生产责任清单</p>\
<table border=\"1\"><tr><td>姓名</td><td>职务</td><td>工作职责</td></tr>\
<tr><td rowspan=\"2\">张三</td><td rowspan=\"2\">局长</td><td>1. 全面负责安全工作。</td></tr>\
<tr><td>2. 每月带队检查一次。</td></tr>\
<tr><td>李四</td><td>副局长</td><td>1. 分管安全工作。</td></tr></table>\
</body></html>";

#[test]
fn a_docx_libreoffice_wrote_is_imported_with_its_merged_cells() {
    let temp = built().join("libreoffice");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let html = temp.join("notice.html");
    std::fs::write(&html, HTML_NOTICE).unwrap();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            temp.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&temp)
        .arg(&html)
        .env("HOME", &temp)
        .output()
        .expect("soffice runs (scripts/test installs LibreOffice)");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let (files, markdown, report) = import_files(&temp.join("notice.docx"), &temp.join("import"));
    let yaml = &files["qingdan.yaml"];
    assert!(
        yaml.contains("发文字号: 某教发〔2024〕3号"),
        "{yaml}\n{report}"
    );
    assert!(yaml.contains("主送: 各学校"), "{yaml}");
    assert!(yaml.contains("成文日期: 2024年3月1日"), "{yaml}");
    assert_eq!(
        files["责任清单.csv"],
        "姓名,职务,工作职责\n张三,局长,全面负责安全工作。\n,,每月带队检查一次。\n李四,副局长,分管安全工作。\n",
        "{report}"
    );
    assert!(markdown["附件-责任清单.md"].contains("|  |  | 2. 每月带队检查一次。 |"));
}

/// A 细则 with a table merged down (`vMerge`) and across (`gridSpan`), as python-docx writes it.
const PYTHON_DOCX: &str = r#"
import sys
from docx import Document
doc = Document()
doc.add_heading("某县应急管理局安全生产约谈办法", 0)
doc.add_paragraph("第一章 总则")
doc.add_paragraph("第一条 为规范约谈工作，制定本办法。")
doc.add_paragraph("第二条 约谈由局长主持。")
doc.add_paragraph("附件")
doc.add_paragraph("某县应急管理局约谈安排表")
table = doc.add_table(rows=4, cols=3)
for r, row in enumerate([["带队领导", "牵头部门", "约谈对象"], ["张三", "安监站", "甲企业"], ["", "执法队", "乙企业"], ["李四", "办公室", "丙企业"]]):
    for c, text in enumerate(row):
        table.cell(r, c).text = text
table.cell(1, 0).merge(table.cell(2, 0))
doc.save(sys.argv[1])
"#;

/// Python 3 with python-docx, which `scripts/test` installs into `target/test-tools/python`
/// (pip's `--target`, as for mammoth): the folder goes on `PYTHONPATH`.
fn python() -> Command {
    let packages = repo().join("target/test-tools/python");
    assert!(
        packages.join("docx").is_dir(),
        "python-docx is missing from {}: scripts/test installs it there",
        packages.display()
    );
    let mut python = Command::new("python3");
    python.env("PYTHONPATH", packages);
    python
}

#[test]
fn a_docx_python_docx_wrote_is_imported_with_its_merged_cells() {
    let temp = built().join("python-docx");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let docx = temp.join("办法.docx");
    let out = python()
        .args(["-c", PYTHON_DOCX])
        .arg(&docx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (files, markdown, report) = import_files(&docx, &temp.join("import"));
    assert!(
        files["qingdan.yaml"].contains("类型: 办法"),
        "{}",
        files["qingdan.yaml"]
    );
    assert_eq!(
        files["办法.md"], "# 总则\n\n1. 为规范约谈工作，制定本办法。\n\n1. 约谈由局长主持。\n",
        "{report}"
    );
    assert_eq!(
        files["安排表.csv"],
        "带队领导,牵头部门,约谈对象\n张三,安监站,甲企业\n,执法队,乙企业\n李四,办公室,丙企业\n",
        "{report}"
    );
    let list = &markdown["附件-安排表.md"];
    assert!(
        list.contains("| 张　三 | 安监站 | 甲企业 |\n|  | 执法队 | 乙企业 |"),
        "{list}"
    );
}

/// A 意见 in Markdown, its measures an ordered list: pandoc gives Word's automatic numbering,
/// which the importer writes out.
const PANDOC_SOURCE: &str = "# 某县教育局关于加强校园安全工作的实施意见\n\n\
为加强校园安全工作，制定本意见。\n\n\
## 一、总体要求\n\n坚持安全第一、预防为主。\n\n\
## 二、工作措施\n\n1. 加强领导。成立工作专班。\n2. 落实责任。签订责任书。\n3. 强化检查。每月检查一次。\n";

#[test]
fn a_docx_pandoc_wrote_is_imported_with_its_list_numbers() {
    let temp = built().join("pandoc");
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).unwrap();
    let source = temp.join("意见.md");
    std::fs::write(&source, PANDOC_SOURCE).unwrap();
    let docx = temp.join("意见.docx");
    let out = Command::new("pandoc")
        .arg(&source)
        .arg("-o")
        .arg(&docx)
        .output()
        .expect("pandoc runs (scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (files, markdown, report) = import_files(&docx, &temp.join("import"));
    let body = &files["实施意见.md"];
    assert!(body.contains("# 总体要求\n"), "{body}\n{report}");
    assert!(
        body.contains("1. 加强领导。成立工作专班。\n\n1. 落实责任。"),
        "{body}"
    );
    // 1. directly under 一、 prints as （一） in qingdan's numbering; the report says so.
    assert!(report.contains("（一）"), "{report}");
    assert!(
        markdown["实施意见.md"].contains("（三）强化检查。"),
        "{markdown:?}"
    );
}
