//! Stage 2: the validated model of one project — a notice, the document it issues, attachments.
//!
//! [`load_project`] reads the manifest and every file it names (stage 1, [`crate::inputs`]) and
//! checks them all, returning either a [`DocumentSet`] or every problem found, never just the
//! first. Nothing after this stage sees raw user input.
//!
//! `files` reads the manifest and the text files it names; `loader` turns the manifest into
//! the notice and the issued document, `attachments` each 附件 (and checks them against each
//! other), `settings` the 版式 and 用印 choices; the other modules build and check one kind of
//! content each.

mod attachments;
pub(crate) use attachments::AttachmentKind;
pub(crate) mod batch;
pub mod body;
pub(crate) mod checks;
mod files;
pub(crate) mod furniture;
mod loader;
mod long_words;
pub mod numbering;
pub(crate) mod output_names;
pub(crate) mod roster;
pub(crate) mod schedule;
mod settings;
pub(crate) mod tasks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::inputs::manifest::Manifest;
use crate::project::MANIFEST_FILE;
use batch::SheetCache;
use loader::Loader;

pub use body::{Block, BodyStyle};
pub(crate) use files::read_manifest;
pub(crate) use files::read_manifest_with_warnings;
pub use furniture::{Banner, PageSettings, Seal};
pub(crate) use roster::ResponsibilityList;
pub(crate) use schedule::Schedule;
pub(crate) use tasks::TaskTable;

/// One project's documents, validated.
#[derive(Debug, Clone)]
pub struct DocumentSet {
    /// The 发文机关's full name (the manifest's 机关), e.g. 中共大栗港镇委员会.
    pub organisation: String,
    pub(crate) banner: Option<Banner>,
    pub(crate) notice: Option<Notice>,
    pub(crate) main: Option<MainDocument>,
    /// The attachments in the manifest's order, labelled 附件 or 附件1, 附件2 ….
    pub attachments: Vec<Attachment>,
    /// Font families per role (仿宋, 黑体, 楷体, 宋体, 标题), as the project asks.
    pub(crate) fonts: BTreeMap<String, Vec<String>>,
    pub(crate) page: PageSettings,
    /// Every file the set was built from, for change detection.
    pub(crate) sources: Vec<PathBuf>,
}

/// The 印发通知.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub(crate) number: String,
    /// The title on one line (explicit line breaks removed), and as the author broke it.
    pub(crate) title: String,
    pub(crate) title_lines: Vec<String>,
    pub(crate) addressee: Option<String>,
    /// Markdown written by the author.
    pub(crate) body: String,
    /// The organ (or, for a joint document, the organs in order); with a signature seal, the
    /// signer's title.
    pub(crate) signature: Vec<String>,
    pub(crate) seal: Seal,
    /// 签发人 of an upward document.
    pub(crate) signers: Vec<String>,
    pub(crate) date: Option<String>,
    pub(crate) remark: Option<String>,
    pub(crate) copy_number: Option<String>,
    pub(crate) secrecy: Option<String>,
    pub(crate) urgency: Option<String>,
    pub(crate) cc: Option<String>,
    pub(crate) printed_by: Option<String>,
    pub(crate) printed_on: Option<String>,
}

/// The document the notice issues.
#[derive(Debug, Clone)]
pub(crate) struct MainDocument {
    pub(crate) name: String,
    /// The title on one line (explicit line breaks removed), and as the author broke it.
    pub(crate) title: String,
    pub(crate) title_lines: Vec<String>,
    pub(crate) style: BodyStyle,
    /// How its numbers print (`版式`: 括号, 条号后, 章号后, 不编号章).
    pub(crate) numbering: numbering::NumberingStyle,
    pub(crate) blocks: Vec<Block>,
}

/// An attachment with its label (附件 / 附件2) and content.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub(crate) name: String,
    pub(crate) label: String,
    /// The title on one line (explicit line breaks removed), and as the author broke it.
    pub(crate) title: String,
    pub(crate) title_lines: Vec<String>,
    /// What the attachment holds, validated from its sheet.
    pub content: AttachmentContent,
    /// For a task-division table asked to: each 责任单位's own task list.
    pub(crate) unit_lists: Vec<tasks::UnitTaskList>,
}

/// The kinds of attachment (the manifest's 类型), each with its validated table.
#[derive(Debug, Clone)]
pub enum AttachmentContent {
    /// 责任清单: each leader's 职务 and numbered duties.
    Responsibility(ResponsibilityList),
    /// 任务分工表: categories, measures and tasks, each task with its 责任单位 and 完成时限.
    Tasks(TaskTable),
    /// 安排表 (e.g. 带队检查安排表): a plain table whose first column names a leader.
    Schedule(Schedule),
}

/// Reads and validates one unit of a batch project: `manifest` with `{单位}` filled in already.
pub(crate) fn load_unit(
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
        attachments::cross_check(set, &mut diags);
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

/// Reads and validates the project in `dir`.
pub(crate) fn load_project(dir: &Path) -> Result<(DocumentSet, Diagnostics), Diagnostics> {
    load_project_with(dir, &mut SheetCache::default())
}

/// [`load_project`], reading sheets through `sheets` (which may hold stand-ins, see
/// [`SheetCache::with_sheet`]).
pub(crate) fn load_project_with(
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
