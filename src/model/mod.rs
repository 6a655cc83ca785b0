//! Stage 2: the validated model of one project — a notice, the document it issues, attachments.
//!
//! [`load_project`] reads the manifest and every file it names (stage 1, [`crate::inputs`]) and
//! checks them all, returning either a [`DocumentSet`] or every problem found, never just the
//! first. Nothing after this stage sees raw user input.

pub mod batch;
pub mod body;
pub mod checks;
pub mod furniture;
pub mod numbering;
pub mod output_names;
pub mod roster;
pub mod schedule;
pub mod tasks;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::cell_text::{describe, strip_invisible};
use crate::inputs::manifest::{
    AttachmentSpec, DEFAULTS_FILE, MANIFEST_FILE, Manifest, NoticeSpec, TextOrList, defaults_dirs,
    parse_with_defaults,
};
use crate::inputs::sheet::{Sheet, read_sheet};
use crate::inputs::text::{decode, decoded_warning};
use crate::project::resolve_in_project;

pub use body::{Block, BodyStyle};
pub use furniture::{Banner, PageSettings, Seal};
pub use roster::ResponsibilityList;
pub use schedule::Schedule;
pub use tasks::TaskTable;

/// One project's documents, validated.
#[derive(Debug, Clone)]
pub struct DocumentSet {
    pub organisation: String,
    pub banner: Option<Banner>,
    pub notice: Option<Notice>,
    pub main: Option<MainDocument>,
    pub attachments: Vec<Attachment>,
    /// Font families per role (仿宋, 黑体, 楷体, 宋体, 标题), as the project asks.
    pub fonts: BTreeMap<String, Vec<String>>,
    pub page: PageSettings,
    /// Every file the set was built from, for change detection.
    pub sources: Vec<PathBuf>,
}

/// The 印发通知.
#[derive(Debug, Clone)]
pub struct Notice {
    pub number: String,
    /// The title on one line (explicit line breaks removed), and as the author broke it.
    pub title: String,
    pub title_lines: Vec<String>,
    pub addressee: Option<String>,
    /// Markdown written by the author.
    pub body: String,
    /// The organ (or, for a joint document, the organs in order); with a signature seal, the
    /// signer's title.
    pub signature: Vec<String>,
    pub seal: Seal,
    /// 签发人 of an upward document.
    pub signers: Vec<String>,
    pub date: Option<String>,
    pub remark: Option<String>,
    pub copy_number: Option<String>,
    pub secrecy: Option<String>,
    pub urgency: Option<String>,
    pub cc: Option<String>,
    pub printed_by: Option<String>,
    pub printed_on: Option<String>,
}

/// The document the notice issues.
#[derive(Debug, Clone)]
pub struct MainDocument {
    pub name: String,
    /// The title on one line (explicit line breaks removed), and as the author broke it.
    pub title: String,
    pub title_lines: Vec<String>,
    pub style: BodyStyle,
    /// How its numbers print (`版式`: 括号, 条号后, 章号后, 不编号章).
    pub numbering: numbering::NumberingStyle,
    pub blocks: Vec<Block>,
}

/// An attachment with its label (附件 / 附件2) and content.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub label: String,
    /// The title on one line (explicit line breaks removed), and as the author broke it.
    pub title: String,
    pub title_lines: Vec<String>,
    pub content: AttachmentContent,
    /// For a task-division table asked to: each 责任单位's own task list.
    pub unit_lists: Vec<tasks::UnitTaskList>,
}

#[derive(Debug, Clone)]
pub enum AttachmentContent {
    Responsibility(ResponsibilityList),
    Tasks(TaskTable),
    Schedule(Schedule),
}

impl AttachmentContent {
    /// The template that renders this kind.
    pub fn template(&self) -> &'static str {
        match self {
            AttachmentContent::Responsibility(_) => "responsibility-list.md",
            AttachmentContent::Tasks(_) => "task-division.md",
            AttachmentContent::Schedule(_) => "schedule.md",
        }
    }
}

/// Sheets read so far, so a batch reads its master sheet once, not once per unit.
#[derive(Default)]
pub struct SheetCache {
    sheets: HashMap<SheetKey, Arc<Sheet>>,
    /// A grouped sheet split into its units once, not filtered again for every unit.
    splits: HashMap<(SheetKey, String), Option<UnitSheets>>,
    /// Text files whose reading warnings were given already (a batch reads them per unit).
    reported: std::collections::HashSet<PathBuf>,
}

/// A sheet file and worksheet name.
type SheetKey = (PathBuf, Option<String>);
/// Each unit's rows of a grouped sheet.
type UnitSheets = HashMap<String, Arc<Sheet>>;

impl SheetCache {
    /// A cache holding `sheet` as the content of `path` (worksheet `sheet_name`, as the
    /// manifest names it): a project loaded with it reads `sheet` in place of the file.
    /// `qingdan serve` checks an uploaded sheet this way, before anything is written into the
    /// project.
    pub fn with_sheet(path: &Path, sheet_name: Option<&str>, sheet: Sheet) -> Self {
        let mut cache = Self::default();
        let key = (path.to_path_buf(), sheet_name.map(str::to_owned));
        cache.sheets.insert(key, Arc::new(sheet));
        cache
    }

    fn read(&mut self, path: &Path, sheet: Option<&str>) -> Result<Arc<Sheet>, Box<Diagnostic>> {
        let key = (path.to_path_buf(), sheet.map(str::to_owned));
        if let Some(found) = self.sheets.get(&key) {
            return Ok(found.clone());
        }
        let read = Arc::new(read_sheet(path, sheet)?);
        self.sheets.insert(key, read.clone());
        Ok(read)
    }

    /// The rows of `unit` in the sheet grouped by `column`; `None` when there is no such column.
    fn unit_rows(
        &mut self,
        path: &Path,
        sheet: Option<&str>,
        column: &str,
        unit: &str,
    ) -> Option<Arc<Sheet>> {
        let key = (
            (path.to_path_buf(), sheet.map(str::to_owned)),
            column.to_owned(),
        );
        if !self.splits.contains_key(&key) {
            let whole = self.sheets.get(&key.0)?.clone();
            let split = batch::split_by_unit(&whole, column).map(|units| {
                units
                    .into_iter()
                    .map(|(name, rows)| (name, Arc::new(rows)))
                    .collect()
            });
            self.splits.insert(key.clone(), split);
        }
        let split = self.splits.get(&key)?.as_ref()?;
        Some(split.get(unit).cloned().unwrap_or_else(|| {
            let whole = &self.sheets[&key.0];
            Arc::new(Sheet {
                headers: batch::without_column(whole, column),
                ..Sheet::default()
            })
        }))
    }
}

/// Reads and validates one unit of a batch project: `manifest` with `{单位}` filled in already.
pub fn load_unit(
    dir: &Path,
    manifest: &Manifest,
    unit: &str,
    sheets: &mut SheetCache,
) -> Result<(DocumentSet, Diagnostics), Diagnostics> {
    validate(dir, manifest, Some(unit), sheets)
}

/// Stage 2 proper: every file the manifest names, read and checked, then the cross-checks.
fn validate(
    dir: &Path,
    manifest: &Manifest,
    unit: Option<&str>,
    sheets: &mut SheetCache,
) -> Result<(DocumentSet, Diagnostics), Diagnostics> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let mut loader = Loader {
        dir,
        manifest_path: &manifest_path,
        diags: Diagnostics::new(),
        sources: vec![manifest_path.clone()],
        unit,
        sheets,
    };
    let set = loader.load(manifest);
    let Loader {
        mut diags, sources, ..
    } = loader;
    if let Some(set) = &set {
        cross_check(set, &mut diags);
        output_names::check_collisions(set, &manifest_path, &mut diags);
    }
    match set {
        Some(mut set) if !diags.has_errors() => {
            set.sources = sources;
            Ok((set, diags))
        }
        _ => Err(diags),
    }
}

/// Reads the manifest of `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, Box<Diagnostic>> {
    read_manifest_with_warnings(dir).map(|(manifest, _)| manifest)
}

/// Reads the manifest of `dir`, with the warnings reading it gave (a file that was not UTF-8).
pub fn read_manifest_with_warnings(dir: &Path) -> Result<(Manifest, Diagnostics), Box<Diagnostic>> {
    let manifest_path = dir.join(MANIFEST_FILE);
    refuse_outside_link(dir, &manifest_path)?;
    let mut warnings = Diagnostics::new();
    let (text, found) = read_text(&manifest_path)?;
    for w in found {
        warnings.push(w);
    }
    let mut defaults = Vec::new();
    for shared in defaults_dirs(dir) {
        let path = shared.join(DEFAULTS_FILE);
        refuse_outside_link(&shared, &path)?;
        let (shared_text, found) = read_text(&path)?;
        for w in found {
            warnings.push(w);
        }
        defaults.push((path, shared_text));
    }
    let manifest = parse_with_defaults(&manifest_path, &text, &defaults)?;
    Ok((manifest, warnings))
}

/// A title's lines as the author broke them in the manifest (a YAML `|` block), each trimmed;
/// one line when there is no explicit break.
fn title_lines(title: &str) -> Vec<String> {
    title
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A title on one line: explicit breaks are layout, not text (the PDF's title metadata, the
/// Markdown heading and the 附件说明 carry the title whole).
fn one_line(title: &str) -> String {
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

/// A manifest that is a link out of its folder is refused before it is read: its content could
/// be any file of the machine, and a parse error would echo it.
fn refuse_outside_link(owner: &Path, manifest: &Path) -> Result<(), Box<Diagnostic>> {
    if crate::project::stays_inside(owner, manifest) {
        return Ok(());
    }
    Err(Box::new(
        Diagnostic::error(
            manifest,
            Location::File,
            "清单文件链接到项目文件夹之外，已拒绝，未读取",
            "the manifest links outside the project folder; it is refused and was not read",
        )
        .with_hint(
            "把文件本身复制到项目文件夹里，而不是放一个链接",
            "copy the file itself into the project folder instead of a link",
        ),
    ))
}

/// Reads and validates the project in `dir`.
pub fn load_project(dir: &Path) -> Result<(DocumentSet, Diagnostics), Diagnostics> {
    load_project_with(dir, &mut SheetCache::default())
}

/// [`load_project`], reading sheets through `sheets` (which may hold stand-ins, see
/// [`SheetCache::with_sheet`]).
pub fn load_project_with(
    dir: &Path,
    sheets: &mut SheetCache,
) -> Result<(DocumentSet, Diagnostics), Diagnostics> {
    let (manifest, warnings) = read_manifest_with_warnings(dir).map_err(|d| {
        let mut diags = Diagnostics::new();
        diags.push(*d);
        diags
    })?;
    // Outside a batch, {单位} is the issuing body itself: shared settings above a folder per
    // school can say "{单位}党政领导干部安全生产责任清单" once for all.
    let organisation = manifest.organisation.clone();
    let manifest = manifest.map_texts(&|text: &str| text.replace(batch::UNIT, &organisation));
    let with_warnings = |diags: Diagnostics| {
        let mut all = warnings.clone();
        all.extend(diags);
        all
    };
    validate(dir, &manifest, None, sheets)
        .map(|(set, diags)| (set, with_warnings(diags)))
        .map_err(with_warnings)
}

/// A text file's content, with warnings: it was not UTF-8, it held invisible characters
/// (removed, each line named).
fn read_text(path: &Path) -> Result<(String, Vec<Diagnostic>), Box<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(Diagnostic::error(
            path,
            Location::File,
            format!("无法读取文件：{e}"),
            format!("cannot read the file: {e}"),
        ))
    })?;
    let (text, encoding) = decode(path, &bytes)?;
    let mut warnings: Vec<Diagnostic> = decoded_warning(path, encoding).into_iter().collect();
    let Some((text, lines)) = strip_invisible(&text) else {
        return Ok((text, warnings));
    };
    for (line, chars) in lines.into_iter().take(30) {
        let (zh, en) = describe(&chars);
        warnings.push(
            Diagnostic::warning(
                path,
                Location::Line(line),
                format!("此行有看不见的字符 {zh}，已删除"),
                format!("the line holds invisible characters, removed: {en}"),
            )
            .with_hint(
                "这类字符多来自从网页、微信或 PDF 复制的文字，可能使文字显示颠倒；请在原文件中删除",
                "they come with text copied from web pages, WeChat or PDFs and can make text print reversed; delete them in the file",
            ),
        );
    }
    Ok((text, warnings))
}

struct Loader<'a> {
    dir: &'a Path,
    manifest_path: &'a Path,
    diags: Diagnostics,
    sources: Vec<PathBuf>,
    /// The unit being built in a batch (its rows are taken from grouped sheets).
    unit: Option<&'a str>,
    sheets: &'a mut SheetCache,
}

impl Loader<'_> {
    fn load(&mut self, m: &Manifest) -> Option<DocumentSet> {
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
        let attachments: Vec<Option<Attachment>> = m
            .attachments
            .iter()
            .enumerate()
            .map(|(i, spec)| self.attachment(i, count, spec))
            .collect();
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

    fn attachment(
        &mut self,
        index: usize,
        count: usize,
        spec: &AttachmentSpec,
    ) -> Option<Attachment> {
        let key = format!("附件[{}]", index + 1);
        let path = match resolve_in_project(self.dir, &spec.data) {
            Ok(p) => p,
            Err((zh, en)) => {
                self.key_error(&format!("{key}.数据"), zh, en);
                return None;
            }
        };
        self.sources.push(path.clone());
        let sheet = match self.sheets.read(&path, spec.sheet.as_deref()) {
            Ok(s) => s,
            Err(d) => {
                self.diags.push(*d);
                return None;
            }
        };
        let sheet = match (&spec.group_by, self.unit) {
            (Some(column), Some(unit)) => {
                match self
                    .sheets
                    .unit_rows(&path, spec.sheet.as_deref(), column, unit)
                {
                    Some(rows) => rows.as_ref().clone(),
                    None => {
                        self.key_error(
                            &format!("{key}.分组"),
                            format!("表格中没有分组列“{column}”"),
                            format!("the sheet has no grouping column “{column}”"),
                        );
                        return None;
                    }
                }
            }
            _ => sheet.as_ref().clone(),
        };
        // Problems found reading the sheet (in a batch, those of this unit's rows).
        for problem in &sheet.problems {
            self.diags.push(problem.clone());
        }
        if let Some(too_large) = checks::table_too_large(&path, &sheet) {
            self.diags.push(too_large);
            return None;
        }
        let kind = spec.kind.trim();
        let (content, default_name) = match kind {
            "责任清单" | "responsibility" | "responsibility-list" => (
                roster::build_roster(&path, &sheet, spec.remark.clone(), &mut self.diags)
                    .map(AttachmentContent::Responsibility),
                "责任清单",
            ),
            "任务分工表" | "分工表" | "tasks" | "task-division" => (
                tasks::build_tasks(&path, &sheet, &spec.headers, &mut self.diags)
                    .map(AttachmentContent::Tasks),
                "任务分工表",
            ),
            "安排表" | "schedule" => (
                schedule::build_schedule(&path, &sheet, &mut self.diags)
                    .map(AttachmentContent::Schedule),
                "安排表",
            ),
            other => {
                self.key_error(
                    &format!("{key}.类型"),
                    format!("未知的附件类型“{other}”，应为 责任清单、任务分工表 或 安排表"),
                    format!(
                        "unknown attachment kind “{other}”; use 责任清单, 任务分工表 or 安排表"
                    ),
                );
                return None;
            }
        };
        if spec.remark.is_some()
            && !matches!(content, Some(AttachmentContent::Responsibility(_)))
            && content.is_some()
        {
            self.diags.push(Diagnostic::warning(
                self.manifest_path,
                Location::Key(format!("{key}.备注")),
                "只有责任清单有备注行，此备注未使用",
                "only a responsibility list has a 备注 row; this remark is not used",
            ));
        }
        if let Some(name) = &spec.name
            && let Some(d) =
                output_names::check_name(self.manifest_path, &format!("{key}.名称"), name)
        {
            self.diags.push(d);
            return None;
        }
        let number = spec.number.or((count > 1).then_some(index as u32 + 1));
        Some(Attachment {
            name: spec
                .name
                .as_ref()
                .map(|n| n.trim().to_owned())
                .unwrap_or_else(|| match number {
                    Some(n) => format!("附件{n}-{default_name}"),
                    None => format!("附件-{default_name}"),
                }),
            label: number.map_or_else(|| "附件".to_owned(), |n| format!("附件{n}")),
            title: one_line(&spec.title),
            title_lines: title_lines(&spec.title),
            unit_lists: match &content {
                Some(AttachmentContent::Tasks(table)) if spec.per_unit => {
                    tasks::per_unit_lists(table, &spec.expand_units)
                }
                _ => Vec::new(),
            },
            content: content?,
        })
    }

    /// Fills `{单位}` in Markdown written by the author, escaped, so a unit's name stays text.
    fn fill_unit_markdown(&self, markdown: &str) -> String {
        match self.unit {
            Some(unit) => {
                markdown.replace(batch::UNIT, &crate::render::escape::escape_markdown(unit))
            }
            None => markdown.to_owned(),
        }
    }

    fn check(&mut self, value: &str, key: &str, problem: fn(&str) -> Option<(String, String)>) {
        if let Some((zh, en)) = problem(value) {
            self.key_error(key, zh, en);
        }
    }

    /// The project's 版式 settings, checked against what still fits the type area.
    fn page_settings(&mut self, m: &Manifest) -> PageSettings {
        let Some(layout) = &m.layout else {
            return PageSettings::default();
        };
        let mut settings = PageSettings::default();
        if let Some(pitch) = layout.line_pitch {
            let (min, max) = (PageSettings::MIN_PITCH, PageSettings::MAX_PITCH);
            if (min..=max).contains(&pitch) {
                settings.line_pitch = Some(pitch);
            } else {
                self.key_error(
                    "版式.行距",
                    format!("行距 {pitch} 磅超出范围：应在 {min} 至 {max} 磅之间（每页 22 行）"),
                    format!(
                        "line pitch {pitch} pt is out of range: use {min} to {max} pt (22 lines a page)"
                    ),
                );
            }
        }
        match layout.colophon_place.as_deref().map(str::trim) {
            None | Some("文末") => {}
            Some("通知后") => settings.colophon_after_notice = true,
            Some(other) => self.key_error(
                "版式.版记位置",
                format!("“{other}”不是可用的值，应为“文末”或“通知后”"),
                format!("“{other}” is not a known value; use 文末 or 通知后"),
            ),
        }
        for name in &layout.bold {
            let name = name.trim();
            match PageSettings::LEVELS.iter().find(|(n, _)| *n == name) {
                Some((_, level)) => settings.bold.push(*level),
                None => {
                    let names: Vec<&str> = PageSettings::LEVELS.iter().map(|(n, _)| *n).collect();
                    self.key_error(
                        "版式.加粗",
                        format!("“{name}”不是标题层级，应为“{}”之一", names.join("”“")),
                        format!(
                            "“{name}” is not a heading level; use one of {}",
                            names.join(" ")
                        ),
                    );
                }
            }
        }
        settings
    }

    /// The body numbering a project's 版式 asks for; an unknown value is an error naming the
    /// values there are.
    fn numbering_style(&mut self, m: &Manifest) -> numbering::NumberingStyle {
        let mut style = numbering::NumberingStyle::default();
        let Some(layout) = &m.layout else {
            return style;
        };
        let mut choice = |value: &Option<String>, key: &str, options: [&str; 2]| -> bool {
            let Some(value) = value.as_deref().map(str::trim) else {
                return false;
            };
            if value == options[1] {
                return true;
            }
            if value != options[0] {
                self.key_error(
                    &format!("版式.{key}"),
                    format!(
                        "“{value}”不是可用的值，应为“{}”或“{}”",
                        options[0], options[1]
                    ),
                    format!(
                        "“{value}” is not a known value; use {} or {}",
                        options[0], options[1]
                    ),
                );
            }
            false
        };
        style.half_width_brackets = choice(&layout.brackets, "括号", ["全角", "半角"]);
        style.article_run_in = choice(&layout.after_article, "条号后", ["空格", "无"]);
        style.chapter_run_in = choice(&layout.after_chapter, "章号后", ["空格", "无"]);
        style.unnumbered_chapters = layout
            .unnumbered_chapters
            .iter()
            .map(|t| t.trim().to_owned())
            .collect();
        style
    }

    /// The notice's 用印, checked: a known value, and no seal stamped on nothing.
    fn seal(&mut self, n: &NoticeSpec) -> Seal {
        let Some(value) = &n.seal else {
            return Seal::None;
        };
        let Some(seal) = Seal::parse(value) else {
            let names: Vec<&str> = Seal::NAMES.iter().map(|(name, _)| *name).collect();
            self.key_error(
                "通知.用印",
                format!("未知的用印方式“{value}”，应为“{}”之一", names.join("”“")),
                format!("unknown 用印 “{value}”; use one of {}", names.join(", ")),
            );
            return Seal::None;
        };
        if seal != Seal::None && n.date.is_none() {
            self.key_error(
                "通知.成文日期",
                "盖章（用印）的公文须写成文日期，不得出现空白印章".to_owned(),
                "a sealed document needs a 成文日期: a seal may not stand on nothing".to_owned(),
            );
        }
        seal
    }

    fn key_error(&mut self, key: &str, zh: String, en: String) {
        self.diags.push(Diagnostic::error(
            self.manifest_path,
            Location::Key(key.to_owned()),
            zh,
            en,
        ));
    }

    /// A field that holds either Markdown text or the name of a `.md` file in the project.
    fn text_or_file_with_path(&mut self, value: &str, key: &str) -> Option<(String, PathBuf)> {
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
                        if self.sheets.reported.insert(path.clone()) {
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

/// Checks between documents: leaders named in a schedule exist in the responsibility list.
fn cross_check(set: &DocumentSet, diags: &mut Diagnostics) {
    let fold = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let roster: Vec<String> = set
        .attachments
        .iter()
        .filter_map(|a| match &a.content {
            AttachmentContent::Responsibility(list) => {
                Some(list.leaders.iter().map(|l| fold(&l.name)))
            }
            _ => None,
        })
        .flatten()
        .collect();
    if roster.is_empty() {
        return;
    }
    for attachment in &set.attachments {
        let AttachmentContent::Schedule(schedule) = &attachment.content else {
            continue;
        };
        for (row, sheet_row) in schedule.rows.iter().zip(&schedule.sheet_rows) {
            let name = fold(&row[0]);
            if !name.is_empty() && !roster.contains(&name) {
                let mut d = Diagnostic::error(
                    &schedule.path,
                    Location::Cell {
                        row: *sheet_row,
                        column: schedule.headers[0].clone(),
                    },
                    format!("“{}”不在责任清单的领导名单中", row[0]),
                    format!(
                        "“{}” is not among the leaders of the responsibility list",
                        row[0]
                    ),
                );
                if let Some(guess) = crate::diag::closest(&name, roster.iter().map(String::as_str))
                {
                    d = d.with_hint(
                        format!("是否应为“{guess}”？"),
                        format!("did you mean “{guess}”?"),
                    );
                }
                diags.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The issued document's file is named after its kind: a 办法 is 办法.md, not 实施细则.md.
    #[test]
    fn the_main_document_is_named_after_its_kind() {
        for (kind, name) in [
            ("办法", "办法"),
            ("实施办法", "实施办法"),
            ("规定", "规定"),
            ("细则", "实施细则"),
            ("实施细则", "实施细则"),
            ("意见", "实施意见"),
            ("方案", "方案"),
            ("rules", "实施细则"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join(MANIFEST_FILE),
                format!("机关: 某局\n主件:\n  类型: {kind}\n  标题: 某局办法\n  正文: |\n    1. 本办法自印发之日起施行。\n"),
            )
            .unwrap();
            let (set, _) = load_project(dir.path()).unwrap_or_else(|d| panic!("{kind}: {d}"));
            assert_eq!(set.main.unwrap().name, name, "{kind}");
        }
    }
}
