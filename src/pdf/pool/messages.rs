//! typst's messages and missing glyphs as diagnostics a clerk can act on: which file (the
//! project's own `templates/gongwen.typ`, the built-in template, or the document's Markdown),
//! which line, and what typst said, in both languages.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};
use crate::document::Document;
use crate::pdf::{TypstMessage, TypstPlace};
use crate::prepare::PreparedProject;

/// One of typst's messages as a diagnostic a user can act on: an error in the layout template
/// names the template file (the project's own `templates/gongwen.typ`, or the built-in) and its
/// line; an error in a document's generated markup names the document and quotes the markup.
pub(super) fn diagnostic(
    project: &PreparedProject,
    document: &Document,
    message: &TypstMessage,
    error: bool,
) -> Diagnostic {
    let make = if error {
        Diagnostic::error
    } else {
        Diagnostic::warning
    };
    let failed = if error {
        ("PDF 未生成", "the PDF was not made")
    } else {
        ("", "")
    };
    let hints = message.hints.join("; ");
    let with_hints = |d: Diagnostic| {
        if hints.is_empty() {
            d
        } else {
            d.with_hint(format!("typst：{hints}"), format!("typst: {hints}"))
        }
    };
    match &message.place {
        TypstPlace::Template { line } => {
            let (file, whose) = match &project.layout {
                Some((path, _)) => (
                    path.clone(),
                    ("项目的版式模板", "the project's layout template"),
                ),
                None => (
                    PathBuf::from("templates/gongwen.typ"),
                    ("内置版式模板", "the built-in layout template"),
                ),
            };
            with_hints(make(
                &file,
                Location::Line(*line),
                format!("{}出错{}：{}", whose.0, sep_zh(failed.0), message.message),
                format!(
                    "{} failed{}: {}",
                    whose.1,
                    sep_en(failed.1),
                    message.message
                ),
            ))
        }
        TypstPlace::Markup { line, text } => with_hints(make(
            &PathBuf::from(&project.name).join(format!("{}.md", document.name)),
            Location::File,
            format!(
                "文档“{}”无法排版{}：{}（生成的排版代码第{line}行：{text}）",
                document.name,
                sep_zh(failed.0),
                message.message
            ),
            format!(
                "the document “{}” cannot be laid out{}: {} (generated markup line {line}: {text})",
                document.name,
                sep_en(failed.1),
                message.message
            ),
        )),
        TypstPlace::Unknown => with_hints(make(
            &PathBuf::from(&project.name).join(format!("{}.pdf", document.name)),
            Location::File,
            format!(
                "文档“{}”{}：{}",
                document.name,
                sep_zh(failed.0),
                message.message
            ),
            format!(
                "the document “{}”{}: {}",
                document.name,
                sep_en(failed.1),
                message.message
            ),
        )),
    }
}

fn sep_zh(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("，{text}")
    }
}

fn sep_en(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("; {text}")
    }
}

pub(super) fn missing_glyph(path: &Path, location: Location, c: char) -> Diagnostic {
    Diagnostic::warning(
        path,
        location,
        format!(
            "字符“{c}”（U+{:04X}）没有任何字体可以显示，PDF 中会是空白方框",
            c as u32
        ),
        format!(
            "no font has “{c}” (U+{:04X}); it would print as an empty box",
            c as u32
        ),
    )
    .with_hint(
        "用 --font-path 或项目的 fonts/ 文件夹提供含此字的字体",
        "add a font that has it with --font-path or the project's fonts/ folder",
    )
}
