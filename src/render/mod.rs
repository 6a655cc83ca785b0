//! Stage 3: Tera templates turn the validated model into Markdown.
//!
//! Built-in templates live in `templates/` of this repository and are compiled into the binary.
//! A project overrides any of them by putting a file of the same name in its own `templates/`
//! folder; the built-in stays reachable as `builtin/<name>` for `{% extends %}`. Every `{{ value }}`
//! is Markdown-escaped automatically (see [`crate::markdown::escape`]), so data can never become
//! syntax.

/// The escaping Tera applies, at the path it had when it lived here (kept for callers outside
/// the crate, such as the tests).
pub(crate) mod segmenter;
pub(crate) mod title;
pub mod views;

use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::diag::{Diagnostic, Location};
use crate::model::{AttachmentContent, DocumentSet, MainDocument};
use segmenter::Segmenter;
use views::{ColophonView, PartView};

/// The built-in templates, by name.
pub(crate) const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("document.md", include_str!("../../templates/document.md")),
    ("body.md", include_str!("../../templates/body.md")),
    (
        "responsibility-list.md",
        include_str!("../../templates/responsibility-list.md"),
    ),
    (
        "task-division.md",
        include_str!("../../templates/task-division.md"),
    ),
    ("schedule.md", include_str!("../../templates/schedule.md")),
    ("colophon.md", include_str!("../../templates/colophon.md")),
    (
        "unit-tasks.md",
        include_str!("../../templates/unit-tasks.md"),
    ),
];

/// The template that renders an attachment of this kind (one of [`BUILTIN_TEMPLATES`], or the
/// project's file of the same name).
fn attachment_template(content: &AttachmentContent) -> &'static str {
    match content {
        AttachmentContent::Responsibility(_) => "responsibility-list.md",
        AttachmentContent::Tasks(_) => "task-division.md",
        AttachmentContent::Schedule(_) => "schedule.md",
    }
}

/// Whether a document's 版记 follows its first part, the notice, rather than closing it: when
/// the project asks for it (版式: 版记位置: 通知后) and more follows the notice.
pub(crate) fn colophon_after_first(parts: &[PartView], page: &crate::model::PageSettings) -> bool {
    page.colophon_after_notice && parts.len() > 1 && parts[0].kind == "notice"
}

/// One output document: its parts (with rendered body Markdown) and the full Markdown text.
#[derive(Debug, Clone)]
pub struct RenderedDocument {
    /// File stem, e.g. 通知, 实施细则, 附件-责任清单, 全文.
    pub name: String,
    /// The parts it is made of, in order: one, or every part of the set for 全文.
    pub parts: Vec<PartView>,
    /// The 版记 (抄送, 印发机关, 印发日期), on a document that starts with the notice.
    pub colophon: Option<ColophonView>,
    /// Page settings of the whole set (the layout template reads them).
    pub page: crate::model::PageSettings,
    /// The whole document as Markdown (`document.md` over the parts): what `<name>.md` holds.
    /// The PDF and the .docx are made from the parts instead, each part's body on its own.
    pub markdown: String,
}

/// Compiled templates: built-ins plus the project's overrides, and the segmenter that cuts
/// their titles into words.
pub(crate) struct Renderer {
    tera: Tera,
    segmenter: Segmenter,
    /// Where each overridden template came from, for error messages.
    overrides: Vec<(String, PathBuf)>,
}

impl Renderer {
    /// Compiles the built-in templates and those in `folders` (the ones that exist), an earlier
    /// folder winning over a later one: the project's own, then shared ones above it.
    pub(crate) fn new(folders: &[PathBuf]) -> Result<Self, Box<Diagnostic>> {
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, text) in BUILTIN_TEMPLATES {
            sources.push(((*name).to_owned(), (*text).to_owned()));
            sources.push((format!("builtin/{name}"), (*text).to_owned()));
        }
        let mut overrides: Vec<(String, PathBuf)> = Vec::new();
        for dir in folders.iter().rev().filter(|d| d.is_dir()) {
            let entries = walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok);
            for entry in entries {
                if !entry.file_type().is_file()
                    || entry.path().extension().is_none_or(|e| e != "md")
                {
                    continue;
                }
                let name = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let name = name.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(entry.path()).map_err(|e| {
                    Box::new(Diagnostic::error(
                        entry.path(),
                        Location::File,
                        format!("无法读取模板：{e}"),
                        format!("cannot read the template: {e}"),
                    ))
                })?;
                sources.retain(|(n, _)| *n != name);
                sources.push((name.clone(), text));
                overrides.retain(|(n, _)| *n != name);
                overrides.push((name, entry.path().to_path_buf()));
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".md"]);
        tera.set_escape_fn(crate::markdown::escape_markdown);
        tera.add_raw_templates(sources).map_err(|e| {
            let file = folders
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("templates"));
            Box::new(template_error(&file, &e))
        })?;
        Ok(Self {
            tera,
            segmenter: Segmenter::new(),
            overrides,
        })
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<String, Box<Diagnostic>> {
        self.tera
            .render(name, ctx)
            .map(|md| tidy(&md))
            .map_err(|e| {
                let file = self.overrides.iter().find(|(n, _)| n == name).map_or_else(
                    || PathBuf::from(format!("templates/{name}")),
                    |(_, p)| p.clone(),
                );
                Box::new(template_error(&file, &e))
            })
    }

    /// Renders every output document of a set: each part alone, and the whole bundle.
    pub(crate) fn render_set(
        &self,
        set: &DocumentSet,
    ) -> Result<Vec<RenderedDocument>, Box<Diagnostic>> {
        let mut parts: Vec<(String, PartView)> = Vec::new();
        if let Some(notice) = &set.notice {
            let mut part = views::notice_part(&self.segmenter, set, notice);
            part.body = tidy(&notice.body);
            parts.push(("通知".to_owned(), part));
        }
        if let Some(main) = &set.main {
            let mut part = views::main_part(&self.segmenter, set, main);
            part.body = self.render_main_body(main)?;
            parts.push((main.name.clone(), part));
        }
        for attachment in &set.attachments {
            let mut part = views::attachment_part(&self.segmenter, set, attachment);
            part.body = self.render(
                attachment_template(&attachment.content),
                &views::attachment_context(attachment),
            )?;
            parts.push((attachment.name.clone(), part));
        }
        let colophon = set.notice.as_ref().and_then(ColophonView::from_notice);
        let mut documents = Vec::new();
        for (i, (name, part)) in parts.iter().enumerate() {
            let colophon = if i == 0 && part.kind == "notice" {
                colophon.clone()
            } else {
                None
            };
            documents.push(self.document(name, vec![part.clone()], colophon, &set.page)?);
        }
        if parts.len() > 1 {
            let all = parts.into_iter().map(|(_, p)| p).collect();
            documents.push(self.document("全文", all, colophon, &set.page)?);
        }
        for attachment in &set.attachments {
            for list in &attachment.unit_lists {
                let mut ctx = Context::new();
                ctx.insert("unit", &list.unit);
                ctx.insert("source", &attachment.title);
                ctx.insert("tasks", &views::unit_task_rows(list));
                let part = PartView {
                    kind: "attachment",
                    title: format!("{}任务清单", list.unit),
                    body: self.render("unit-tasks.md", &ctx)?,
                    ..PartView::default()
                };
                let name = crate::model::output_names::unit_list_name(&list.unit);
                documents.push(self.document(&name, vec![part], None, &set.page)?);
            }
        }
        Ok(documents)
    }

    fn render_main_body(&self, main: &MainDocument) -> Result<String, Box<Diagnostic>> {
        let mut ctx = Context::new();
        ctx.insert("style", &main.style);
        ctx.insert("numbering", &main.numbering);
        ctx.insert("blocks", &views::body_blocks(main));
        self.render("body.md", &ctx)
    }

    fn document(
        &self,
        name: &str,
        parts: Vec<PartView>,
        colophon: Option<ColophonView>,
        page: &crate::model::PageSettings,
    ) -> Result<RenderedDocument, Box<Diagnostic>> {
        let mut ctx = Context::new();
        ctx.insert("parts", &parts);
        ctx.insert("colophon", &colophon);
        ctx.insert("colophon_after_first", &colophon_after_first(&parts, page));
        let markdown = self.render("document.md", &ctx)?;
        Ok(RenderedDocument {
            name: name.to_owned(),
            parts,
            colophon,
            page: page.clone(),
            markdown,
        })
    }
}

/// Normalises template output: no trailing spaces, at most one blank line in a row, one final
/// newline. Templates can then be written for readability rather than exact whitespace.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank_run = 0;
    for line in markdown.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// A Tera error with its whole cause chain: Tera keeps the useful part in `source()`.
fn template_error(file: &Path, e: &tera::Error) -> Diagnostic {
    let mut chain = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        chain.push_str(": ");
        chain.push_str(&c.to_string());
        cause = c.source();
    }
    Diagnostic::error(
        file,
        Location::File,
        format!("模板错误：{chain}"),
        format!("template error: {chain}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rendered 办法 of a project whose manifest ends with `layout` (a 版式 block).
    fn rendered_rules(layout: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("qingdan.yaml"),
            format!("机关: 某局\n主件:\n  类型: 办法\n  标题: 某局办法\n  正文: 办法.md\n{layout}"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("办法.md"),
            "# 总则\n\n1. 本办法适用于全局。\n\n# 职　责\n\n1. 局长职责：\n   1. 主持工作；\n      1. 每月一次。\n",
        )
        .unwrap();
        // Stage 2 then this stage alone: a test of the renderer does not run the pipeline.
        let (set, _) = crate::model::load_project(dir.path()).unwrap_or_else(|d| panic!("{d}"));
        let documents = Renderer::new(&[]).unwrap().render_set(&set).unwrap();
        documents[0].markdown.clone()
    }

    #[test]
    fn numbering_styles_offices_use() {
        let default = rendered_rules("");
        for line in [
            "## 第一章　总则",
            "**第一条**　本办法",
            "## 第二章　职　责",
            "（一）主持工作",
            "1.每月一次",
        ] {
            assert!(default.contains(line), "default: {line}\n{default}");
        }
        let styled =
            rendered_rules("版式:\n  括号: 半角\n  条号后: 无\n  章号后: 无\n  不编号章: [总则]\n");
        for line in [
            "## 总则\n",
            "**第一条**本办法",
            "## 第二章职　责",
            "(一)主持工作",
        ] {
            assert!(styled.contains(line), "styled: {line:?}\n{styled}");
        }
        assert!(!styled.contains("第一章"), "总则 is unnumbered:\n{styled}");
        // A chapter written with a full-width space between its characters (# 职　责) is the
        // one named without it.
        let spaced = rendered_rules("版式:\n  不编号章: [职责]\n");
        assert!(spaced.contains("## 职　责\n"), "{spaced}");
        assert!(!spaced.contains("第二章"), "{spaced}");
    }

    #[test]
    fn tidy_keeps_single_blank_lines() {
        assert_eq!(tidy("a  \n\n\n\nb\nc\n\n"), "a\n\nb\nc\n");
    }

    #[test]
    fn a_project_template_overrides_the_builtin_and_can_extend_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("schedule.md"), "自定义：{{ title }}\n").unwrap();
        let renderer = Renderer::new(&[dir.path().to_path_buf()]).unwrap();
        let mut ctx = Context::new();
        ctx.insert("title", "安排#表");
        assert_eq!(
            renderer.render("schedule.md", &ctx).unwrap(),
            "自定义：安排\\#表\n"
        );
        assert!(
            renderer
                .tera
                .get_template_names()
                .any(|n| n == "builtin/schedule.md")
        );
    }

    #[test]
    fn a_broken_template_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("schedule.md"), "{% if %}").unwrap();
        let err = Renderer::new(&[dir.path().to_path_buf()]).err().unwrap();
        assert!(err.zh.starts_with("模板错误"), "{}", err.zh);
    }
}
