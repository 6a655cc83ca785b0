//! The parts of a manifest as written: the 印发通知, the issued document, each attachment, the
//! 版式 settings, and the one-or-many texts several keys take.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Page settings that differ from GB/T 9704's defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    /// Body line pitch in pt, e.g. 28.95 (Word's usual setting); 29.6 by default.
    #[serde(rename = "行距", alias = "line_pitch", default)]
    pub line_pitch: Option<f64>,
    /// Heading levels set in bold, named by their numbering: 一、, （一）, 1. (some local rules
    /// ask for it; 仿宋 and 楷体 have no bold face, so it is drawn).
    #[serde(rename = "加粗", alias = "bold", default)]
    pub bold: Vec<String>,
    /// 括号: 全角 (（一）, the default) or 半角 ((一)), as some published 办法 print them.
    #[serde(rename = "括号", alias = "brackets", default)]
    pub brackets: Option<String>,
    /// 条号后: 空格 (第一条　本办法…, the default) or 无 (第二十一条被问责的…).
    #[serde(rename = "条号后", alias = "after_article", default)]
    pub after_article: Option<String>,
    /// 章号后: 空格 (第一章　总则, the default) or 无 (第一章总则).
    #[serde(rename = "章号后", alias = "after_chapter", default)]
    pub after_chapter: Option<String>,
    /// Chapters printed without their number (e.g. [总则]); they still count, so the next
    /// chapter is 第二章.
    #[serde(rename = "不编号章", alias = "unnumbered_chapters", default)]
    pub unnumbered_chapters: Vec<String>,
    /// 版记位置: 文末 (at the end of the whole set, the default) or 通知后 (right after the
    /// notice, as some offices print it).
    #[serde(rename = "版记位置", alias = "colophon_place", default)]
    pub colophon_place: Option<String>,
    /// 章标题字号: the size of 第N章 headings, 三号 (the body's, the default), 小二 or 二号.
    #[serde(rename = "章标题字号", alias = "chapter_size", default)]
    pub chapter_size: Option<String>,
}

/// One text or a list of texts: a font role's family or fallback families, a joint document's
/// organs, several 签发人.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TextOrList {
    One(String),
    Many(Vec<String>),
}

/// The font families of a role, one or a fallback list.
pub type FontChoice = TextOrList;

impl TextOrList {
    /// The texts, trimmed, empty ones dropped.
    pub fn items(&self) -> Vec<String> {
        let items: Vec<&String> = match self {
            TextOrList::One(f) => vec![f],
            TextOrList::Many(fs) => fs.iter().collect(),
        };
        items
            .into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }

    pub fn families(&self) -> Vec<String> {
        self.items()
    }

    /// The same shape with `f` applied to every text.
    pub fn map(&self, f: &dyn Fn(&str) -> String) -> TextOrList {
        match self {
            TextOrList::One(t) => TextOrList::One(f(t)),
            TextOrList::Many(ts) => TextOrList::Many(ts.iter().map(|t| f(t)).collect()),
        }
    }
}

/// The 印发通知 as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeSpec {
    #[serde(rename = "发文字号", alias = "number")]
    pub number: String,
    #[serde(rename = "标题", alias = "title")]
    pub title: String,
    #[serde(rename = "主送", alias = "to", default)]
    pub addressee: Option<String>,
    /// Inline Markdown, or the name of a `.md` file in the project folder.
    #[serde(rename = "正文", alias = "body")]
    pub body: String,
    /// The issuing organ's name; for a joint document a list, lead organ first. With
    /// `用印: 签名章` the signer's title (职务), printed to the left of the signature seal.
    #[serde(rename = "署名", alias = "signature", default)]
    pub signature: Option<TextOrList>,
    /// How the document is signed: 无 (no seal, the default), 印章 (an organ seal stamped over
    /// the signature and date) or 签名章 (the signer's signature seal).
    #[serde(rename = "用印", alias = "seal", default)]
    pub seal: Option<String>,
    /// 签发人 of an upward document (上行文), one name or several.
    #[serde(rename = "签发人", alias = "signers", default)]
    pub signers: Option<TextOrList>,
    #[serde(rename = "成文日期", alias = "date", default)]
    pub date: Option<String>,
    #[serde(rename = "附注", alias = "remark", default)]
    pub remark: Option<String>,
    #[serde(rename = "份号", alias = "copy_number", default)]
    pub copy_number: Option<String>,
    #[serde(rename = "密级", alias = "secrecy", default)]
    pub secrecy: Option<String>,
    #[serde(rename = "紧急程度", alias = "urgency", default)]
    pub urgency: Option<String>,
    #[serde(rename = "抄送", alias = "cc", default)]
    pub cc: Option<String>,
    #[serde(rename = "印发机关", alias = "printed_by", default)]
    pub printed_by: Option<String>,
    #[serde(rename = "印发日期", alias = "printed_on", default)]
    pub printed_on: Option<String>,
}

/// The issued document (rules or opinions) as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MainSpec {
    /// 细则 (第一章/第一条 numbering) or 意见 (一、/（一）/1. numbering).
    #[serde(rename = "类型", alias = "kind")]
    pub kind: String,
    #[serde(rename = "标题", alias = "title")]
    pub title: String,
    #[serde(rename = "正文", alias = "body")]
    pub body: String,
    #[serde(rename = "名称", alias = "name", default)]
    pub name: Option<String>,
}

/// An attachment as written: its kind, title and data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentSpec {
    /// 责任清单, 任务分工表 or 安排表.
    #[serde(rename = "类型", alias = "kind")]
    pub kind: String,
    #[serde(rename = "标题", alias = "title")]
    pub title: String,
    /// A CSV or spreadsheet file in the project folder.
    #[serde(rename = "数据", alias = "data")]
    pub data: String,
    /// Worksheet name for spreadsheets; the first sheet otherwise.
    #[serde(rename = "工作表", alias = "sheet", default)]
    pub sheet: Option<String>,
    /// The 备注 row of a responsibility list.
    #[serde(rename = "备注", alias = "remark", default)]
    pub remark: Option<String>,
    /// Forces the label 附件N even for a single attachment.
    #[serde(rename = "编号", alias = "number", default)]
    pub number: Option<u32>,
    /// Printed header text per column, e.g. {措施: 国务院安委会安全生产15条措施内容}.
    #[serde(rename = "表头", alias = "headers", default)]
    pub headers: BTreeMap<String, String>,
    /// Output file name (without extension); derived from the kind otherwise.
    #[serde(rename = "名称", alias = "name", default)]
    pub name: Option<String>,
    /// Batch production: the column (e.g. 学校) that splits this sheet into one document set per
    /// unit; `{单位}` in any text of the manifest becomes the unit's name.
    #[serde(rename = "分组", alias = "group_by", default)]
    pub group_by: Option<String>,
    /// For a 任务分工表: also produce one task list per 责任单位.
    #[serde(rename = "分单位清单", alias = "per_unit", default)]
    pub per_unit: bool,
    /// Names standing for several units, e.g. {各校: [一中, 二中]}, expanded in per-unit lists.
    #[serde(rename = "单位展开", alias = "expand_units", default)]
    pub expand_units: BTreeMap<String, Vec<String>>,
}
