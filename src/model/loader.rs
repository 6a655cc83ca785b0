//! The manifest as a document set: the notice and the issued document are built here, each
//! attachment in [`super::attachments`], the 版式 choices in [`super::settings`]. Every problem
//! is collected into the loader's diagnostics; what cannot be built is left out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::batch::{self, SheetCache};
use super::files::read_text;
use super::{
    Attachment, Banner, BodyStyle, DocumentSet, MainDocument, Notice, body, checks, long_words,
    output_names,
};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::manifest::{Manifest, TextOrList};
use crate::project::resolve_in_project;

/// What validating one manifest carries along: where it is, the problems found so far, the
/// files read (for the digest) and, in a batch, the unit and the sheets read once for all units.
pub(super) struct Loader<'a> {
    pub(super) dir: &'a Path,
    pub(super) manifest_path: &'a Path,
    pub(super) diags: Diagnostics,
    pub(super) sources: Vec<PathBuf>,
    /// The unit being built in a batch (its rows are taken from grouped sheets).
    pub(super) unit: Option<&'a str>,
    pub(super) sheets: &'a mut SheetCache,
}

impl Loader<'_> {
    pub(super) fn load(&mut self, m: &Manifest) -> Option<DocumentSet> {
        let notice = m.notice.as_ref().map(|n| {
            self.check(&n.number, "通知.发文字号", checks::doc_number_problem);
            for (value, key) in [(&n.date, "通知.成文日期"), (&n.printed_on, "通知.印发日期")]
            {
                if let Some(v) = value {
                    self.check(v, key, checks::date_problem);
                }
            }
            if n.printed_on.is_some() && n.printed_by.as_deref().is_none_or(|b| b.trim().is_empty()) {
                self.diags.push(
                    Diagnostic::error(
                        self.manifest_path,
                        Location::Key("通知.印发日期".to_owned()),
                        "有印发日期而没有印发机关：版记的印发一行是“印发机关 + 印发日期”",
                        "a 印发日期 without a 印发机关: the 版记's printing line is “印发机关 + 印发日期”",
                    )
                    .with_hint(
                        "加上“印发机关:”（通常是发文机关的办公室，如“株洲市教育局办公室”），或删去印发日期",
                        "add 印发机关: (usually the issuing body's office, e.g. 株洲市教育局办公室), or remove the 印发日期",
                    ),
                );
            }
            Notice {
                number: n.number.trim().to_owned(),
                title: one_line(&n.title),
                title_lines: title_lines(&n.title),
                addressee: n
                    .addressee
                    .as_ref()
                    .map(|a| a.trim().trim_end_matches(['：', ':']).to_owned()),
                body: self
                    .text_or_file_with_path(&n.body, "通知.正文")
                    .map(|(text, file)| {
                        let inline = (file == self.manifest_path).then_some("通知.正文");
                        body::refuse_images(&file, &text, inline, &mut self.diags);
                        long_words::in_body(&file, &text, inline, &mut self.diags);
                        text
                    })
                    .unwrap_or_default(),
                signature: n
                    .signature
                    .as_ref()
                    .map(TextOrList::items)
                    .unwrap_or_default(),
                seal: self.seal(n),
                signers: n
                    .signers
                    .as_ref()
                    .map(TextOrList::items)
                    .unwrap_or_default(),
                date: n.date.clone(),
                remark: n.remark.clone(),
                copy_number: n.copy_number.clone(),
                secrecy: n.secrecy.clone(),
                urgency: n.urgency.clone(),
                cc: n.cc.clone(),
                printed_by: n.printed_by.clone(),
                printed_on: n.printed_on.clone(),
            }
        });
        let numbering = self.numbering_style(m);
        let main = m.main.as_ref().and_then(|spec| {
            let Some(style) = BodyStyle::from_kind(&spec.kind) else {
                let kinds: Vec<&str> = BodyStyle::KINDS.iter().map(|(k, _)| *k).collect();
                let known = kinds.join("、");
                let mut d = Diagnostic::error(
                    self.manifest_path,
                    Location::Key("主件.类型".to_owned()),
                    format!("未知的主件类型“{}”；可用的类型：{known}", spec.kind),
                    format!(
                        "unknown main document kind “{}”; the known kinds are: {}",
                        spec.kind,
                        kinds.join(", ")
                    ),
                );
                if let Some(near) = crate::diag::closest(spec.kind.trim(), kinds.iter().copied()) {
                    d = d.with_hint(
                        format!("是否应为“{near}”？"),
                        format!("did you mean “{near}”?"),
                    );
                }
                self.diags.push(d);
                return None;
            };
            let (source, file) = self.text_or_file_with_path(&spec.body, "主件.正文")?;
            let blocks = body::build_body(&file, &source, style, &numbering, &mut self.diags);
            let inline = (file == self.manifest_path).then_some("主件.正文");
            long_words::in_body(&file, &source, inline, &mut self.diags);
            let default_name = main_file_name(&spec.kind, style);
            if let Some(name) = &spec.name
                && let Some(d) = output_names::check_name(self.manifest_path, "主件.名称", name)
            {
                self.diags.push(d);
                return None;
            }
            Some(MainDocument {
                name: spec
                    .name
                    .as_ref()
                    .map_or_else(|| default_name.to_owned(), |n| n.trim().to_owned()),
                title: one_line(&spec.title),
                title_lines: title_lines(&spec.title),
                style,
                numbering,
                blocks,
            })
        });
        let count = m.attachments.len();
        let attachments: Vec<Option<Attachment>> = if count > MAX_ATTACHMENTS {
            self.diags
                .push(too_many_attachments(self.manifest_path, count));
            Vec::new()
        } else {
            m.attachments
                .iter()
                .enumerate()
                .map(|(i, spec)| self.attachment(i, count, spec))
                .collect()
        };
        let mut fonts = BTreeMap::new();
        for (role, choice) in &m.fonts {
            fonts.insert(role.clone(), choice.families());
        }
        Some(DocumentSet {
            organisation: m.organisation.trim().to_owned(),
            banner: m
                .banner
                .as_ref()
                .and_then(|b| Banner::from_items(b.items())),
            notice,
            main,
            attachments: attachments.into_iter().flatten().collect(),
            fonts,
            page: self.page_settings(m),
            sources: Vec::new(),
        })
    }

    /// Fills `{单位}` in Markdown written by the author, escaped, so a unit's name stays text.
    pub(super) fn fill_unit_markdown(&self, markdown: &str) -> String {
        match self.unit {
            Some(unit) => markdown.replace(batch::UNIT, &crate::markdown::escape_markdown(unit)),
            None => markdown.to_owned(),
        }
    }

    pub(super) fn check(
        &mut self,
        value: &str,
        key: &str,
        problem: fn(&str) -> Option<(String, String)>,
    ) {
        if let Some((zh, en)) = problem(value) {
            self.key_error(key, zh, en);
        }
    }

    pub(super) fn key_error(&mut self, key: &str, zh: String, en: String) {
        self.diags.push(Diagnostic::error(
            self.manifest_path,
            Location::Key(key.to_owned()),
            zh,
            en,
        ));
    }

    /// A field that holds either Markdown text or the name of a `.md` file in the project.
    pub(super) fn text_or_file_with_path(
        &mut self,
        value: &str,
        key: &str,
    ) -> Option<(String, PathBuf)> {
        let trimmed = value.trim();
        if !crate::inputs::manifest::looks_like_file(trimmed) {
            return Some((
                self.fill_unit_markdown(value),
                self.manifest_path.to_path_buf(),
            ));
        }
        match resolve_in_project(self.dir, trimmed) {
            Ok(path) => {
                self.sources.push(path.clone());
                match read_text(&path) {
                    Ok((text, warnings)) => {
                        // A batch reads the file for every unit; say it once.
                        if self.sheets.first_report(&path) {
                            for w in warnings {
                                self.diags.push(w);
                            }
                        }
                        Some((self.fill_unit_markdown(&text), path))
                    }
                    Err(d) => {
                        self.diags.push(*d);
                        None
                    }
                }
            }
            Err((zh, en)) => {
                self.key_error(key, zh, en);
                None
            }
        }
    }
}

/// The most attachments a manifest may list. A 公文 carries a handful; each attachment is a
/// document of its own and a part of 全文, so a hundred already take seconds to build.
pub(crate) const MAX_ATTACHMENTS: usize = 100;

fn too_many_attachments(manifest: &std::path::Path, count: usize) -> Diagnostic {
    Diagnostic::error(
        manifest,
        Location::Key("附件".to_owned()),
        format!("列了 {count} 个附件，超过了 {MAX_ATTACHMENTS} 个的上限"),
        format!("{count} attachments are listed, more than the limit of {MAX_ATTACHMENTS}"),
    )
    .with_hint(
        "把同类的表合并为一个附件（一张表可以有多行），或按单位分组（分组: 列名）",
        "merge tables of one kind into one attachment (a table has many rows), or group one sheet by unit (分组: column)",
    )
}

/// A title's lines as the author broke them in the manifest (a YAML `|` block), each trimmed;
/// one line when there is no explicit break.
pub(super) fn title_lines(title: &str) -> Vec<String> {
    title
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A title on one line: explicit breaks are layout, not text (the PDF's title metadata, the
/// Markdown heading and the 附件说明 carry the title whole).
pub(super) fn one_line(title: &str) -> String {
    title_lines(title).concat()
}

/// The file name of the issued document: the kind as the user wrote it (办法.md, 规定.md,
/// 实施方案.md), with the short 细则 / 意见 and the English kinds named as offices name them.
fn main_file_name(kind: &str, style: BodyStyle) -> String {
    match kind.trim() {
        "细则" | "rules" | "articles" => "实施细则".to_owned(),
        "意见" | "opinion" | "sections" => "实施意见".to_owned(),
        "" => match style {
            BodyStyle::Articles => "实施细则".to_owned(),
            BodyStyle::Sections => "实施意见".to_owned(),
        },
        other => other.to_owned(),
    }
}
