//! The project the importer recognised, before it is written: the manifest's values, the issued
//! document's paragraphs and each attachment's rows. [`super::compose`] numbers the body and
//! places what found no place; [`super::write`] turns the result into files.

use super::source::{Para, Table};

/// One recognised project.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Draft {
    /// 机关.
    pub(crate) organisation: String,
    /// Whether 机关 was found in the document (or is a placeholder to fill in).
    pub(crate) organisation_found: bool,
    /// 发文机关标志: one text (株洲市教育局文件) or the organs of a joint banner then 文件.
    pub(crate) banner: Vec<String>,
    pub(crate) notice: Option<NoticeDraft>,
    /// The issued document as found: its title and paragraphs (numbered into Markdown when the
    /// project is composed, see [`super::compose`]).
    pub(crate) main: Option<MainSource>,
    pub(crate) attachments: Vec<AttachmentDraft>,
    /// Text that found no place, in document order: it goes at the end of the issued
    /// document's body, or the notice's.
    pub(crate) unplaced: Vec<Para>,
}

/// The issued document as found.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct MainSource {
    pub(crate) title: Vec<String>,
    pub(crate) paras: Vec<Para>,
    /// Its numbering could not be read into qingdan's structure: its paragraphs are kept as
    /// they are, numbers and all.
    pub(crate) plain: bool,
}

/// The 印发通知.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NoticeDraft {
    pub(crate) copy_number: Option<String>,
    pub(crate) secrecy: Option<String>,
    pub(crate) urgency: Option<String>,
    pub(crate) number: String,
    pub(crate) signers: Vec<String>,
    /// The title as its lines.
    pub(crate) title: Vec<String>,
    pub(crate) addressee: Option<String>,
    /// Markdown.
    pub(crate) body: String,
    pub(crate) signature: Vec<String>,
    /// 用印: 印章 or 签名章 when the .docx shows it; none is the default.
    pub(crate) seal: Option<&'static str>,
    pub(crate) date: Option<String>,
    pub(crate) remark: Option<String>,
    pub(crate) cc: Option<String>,
    pub(crate) printed_by: Option<String>,
    pub(crate) printed_on: Option<String>,
}

/// The issued document as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct MainDraft {
    /// 类型: 细则, 办法, 意见 … (one of the model's kinds).
    pub(crate) kind: String,
    pub(crate) title: Vec<String>,
    /// Markdown, numbers taken out.
    pub(crate) body: String,
}

/// How the issued document's numbers were printed (the manifest's 版式).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct LayoutDraft {
    pub(crate) half_width_brackets: bool,
    pub(crate) article_run_in: bool,
    pub(crate) chapter_run_in: bool,
    pub(crate) unnumbered_chapters: Vec<String>,
}

/// The kinds of attachment, as the manifest names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Responsibility,
    Tasks,
    Schedule,
}

impl Kind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Responsibility => "责任清单",
            Kind::Tasks => "任务分工表",
            Kind::Schedule => "安排表",
        }
    }
}

/// One 附件 and its table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AttachmentDraft {
    /// The N of 附件N as printed, if any.
    pub(crate) number: Option<u32>,
    pub(crate) title: Vec<String>,
    pub(crate) kind: Kind,
    /// The sheet: header row, then rows, as the CSV holds them.
    pub(crate) rows: Vec<Vec<String>>,
    /// Printed headers differing from the sheet's (the manifest's 表头).
    pub(crate) headers: Vec<(String, String)>,
    /// The 备注 row of a 责任清单.
    pub(crate) remark: Option<String>,
    /// The table it was read from, for falling back to an 安排表 or to text.
    pub(crate) table: Table,
}

/// A table read as an attachment's sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sheeted {
    pub(crate) kind: Kind,
    /// Header row first.
    pub(crate) rows: Vec<Vec<String>>,
    /// Printed headers that differ from the sheet's (the manifest's 表头).
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) remark: Option<String>,
}
