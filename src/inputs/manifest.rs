//! Stage 1 for the project manifest `qingdan.yaml`, as written.
//!
//! Keys are Chinese, as the clerks who edit the file read them, with English aliases. Unknown keys
//! are errors (a misspelt key must never silently drop a field). Values stay as text here;
//! checking what they mean is stage 2's job ([`crate::model`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::yaml_errors::yaml_error;
use crate::diag::{Diagnostic, Location};
use crate::project::DEFAULTS_FILE;

/// How many folders up qingdan looks for shared settings.
const DEFAULTS_DEPTH: usize = 3;

/// The folders above `dir` holding shared settings, nearest first.
pub fn defaults_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(dir) = dir.canonicalize() else {
        return Vec::new();
    };
    dir.ancestors()
        .skip(1)
        .take(DEFAULTS_DEPTH)
        .filter(|d| d.join(DEFAULTS_FILE).is_file())
        .map(Path::to_path_buf)
        .collect()
}

/// Merges `over` onto `base`: mappings key by key (recursively), anything else replaced.
fn merge(base: &mut yaml_serde::Value, over: yaml_serde::Value) {
    match (base, over) {
        (yaml_serde::Value::Mapping(b), yaml_serde::Value::Mapping(o)) => {
            for (key, value) in o {
                match b.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        b.insert(key, value);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// Parses a project's manifest text, merged over the shared settings of `defaults` (file path and
/// text, nearest first). Without shared settings errors keep their line numbers.
pub fn parse_with_defaults(
    path: &Path,
    text: &str,
    defaults: &[(std::path::PathBuf, String)],
) -> Result<Manifest, Box<Diagnostic>> {
    if defaults.is_empty() {
        return parse_manifest(path, text);
    }
    let as_value = |p: &Path, t: &str| -> Result<yaml_serde::Value, Box<Diagnostic>> {
        check_depth(p, t)?;
        yaml_serde::from_str(t).map_err(|e| Box::new(yaml_error(p, Some(t), &e)))
    };
    let mut merged = yaml_serde::Value::Mapping(yaml_serde::Mapping::new());
    for (default_path, default_text) in defaults.iter().rev() {
        merge(&mut merged, as_value(default_path, default_text)?);
    }
    merge(&mut merged, as_value(path, text)?);
    yaml_serde::from_value(merged).map_err(|e| Box::new(yaml_error(path, None, &e)))
}

/// A whole project manifest as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// 发文机关 full name.
    #[serde(rename = "机关", alias = "organisation")]
    pub organisation: String,
    /// Red banner text, e.g. 株洲市教育局文件; for joint issuing a list of organs, lead organ
    /// first, optionally ending in 文件 (printed to the right of the stacked names).
    #[serde(rename = "发文机关标志", alias = "banner", default)]
    pub banner: Option<TextOrList>,
    #[serde(rename = "通知", alias = "notice", default)]
    pub notice: Option<NoticeSpec>,
    /// The document the notice issues (实施细则, 实施意见 …).
    #[serde(rename = "主件", alias = "main", default)]
    pub main: Option<MainSpec>,
    #[serde(rename = "附件", alias = "attachments", default)]
    pub attachments: Vec<AttachmentSpec>,
    /// Font families per role, overriding the defaults.
    #[serde(rename = "字体", alias = "fonts", default)]
    pub fonts: BTreeMap<String, FontChoice>,
    #[serde(rename = "版式", alias = "layout", default)]
    pub layout: Option<LayoutSpec>,
}

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

impl Manifest {
    /// Applies `f` to every plain text a document prints (not to file names, keys or Markdown
    /// bodies, which need escaping and are handled where they are read), e.g. to fill in `{单位}`
    /// for one unit of a batch. Works on parsed values, so a unit name can never change the
    /// manifest's structure.
    pub fn map_texts(&self, f: &dyn Fn(&str) -> String) -> Manifest {
        let opt = |o: &Option<String>| o.as_deref().map(f);
        let mut m = self.clone();
        m.organisation = f(&self.organisation);
        m.banner = self.banner.as_ref().map(|b| b.map(f));
        if let (Some(out), Some(n)) = (m.notice.as_mut(), self.notice.as_ref()) {
            out.number = f(&n.number);
            out.title = f(&n.title);
            out.addressee = opt(&n.addressee);
            out.signature = n.signature.as_ref().map(|t| t.map(f));
            out.signers = n.signers.as_ref().map(|t| t.map(f));
            out.remark = opt(&n.remark);
            out.cc = opt(&n.cc);
            out.printed_by = opt(&n.printed_by);
        }
        if let (Some(out), Some(main)) = (m.main.as_mut(), self.main.as_ref()) {
            out.title = f(&main.title);
        }
        for (out, a) in m.attachments.iter_mut().zip(&self.attachments) {
            out.title = f(&a.title);
            out.remark = opt(&a.remark);
        }
        m
    }
}

/// Whether a 正文 value names a Markdown file rather than holding the text itself.
pub fn looks_like_file(value: &str) -> bool {
    let trimmed = value.trim();
    !trimmed.contains('\n') && trimmed.to_ascii_lowercase().ends_with(".md")
}

/// Parses manifest text, turning serde's message into a bilingual diagnostic with a line number.
pub fn parse_manifest(path: &Path, text: &str) -> Result<Manifest, Box<Diagnostic>> {
    check_depth(path, text)?;
    yaml_serde::from_str(text).map_err(|e| {
        Box::new(unquoted_placeholder_hint(
            text,
            yaml_error(path, Some(text), &e),
        ))
    })
}

/// A value starting with `{单位}` unquoted reads as a YAML mapping: say so, since the message
/// serde gives does not.
fn unquoted_placeholder_hint(text: &str, diagnostic: Diagnostic) -> Diagnostic {
    let unquoted = text.lines().any(|l| {
        l.split_once(':')
            .is_some_and(|(_, v)| v.trim_start().starts_with("{单位}"))
    });
    if unquoted {
        diagnostic.with_hint(
            "以 {单位} 开头的值要加引号，如 标题: \"{单位}党政领导干部安全生产责任清单\"",
            "quote a value that starts with {单位}, e.g. 标题: \"{单位}…责任清单\"",
        )
    } else {
        diagnostic
    }
}

/// Refuses a text nested deeper than a manifest can be, before yaml_serde spends minutes on it
/// (see [`super::nesting`]).
fn check_depth(path: &Path, text: &str) -> Result<(), Box<Diagnostic>> {
    match super::nesting::too_deep_at(text) {
        None => Ok(()),
        Some(line) => Err(Box::new(
            Diagnostic::error(
                path,
                Location::Line(line),
                format!(
                    "嵌套超过 {} 层（列表、映射或 [ ] {{ }} 套得太深），不像清单的设置",
                    super::nesting::MAX_DEPTH
                ),
                format!(
                    "nested more than {} levels deep (lists, mappings or [ ] {{ }}); not a manifest",
                    super::nesting::MAX_DEPTH
                ),
            )
            .with_hint(
                "清单的设置最多嵌套五六层；检查这一行是否多了括号",
                "a manifest nests five or six levels at most; look for extra brackets on this line",
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chinese_keys_and_english_aliases() {
        let m = parse_manifest(
            Path::new("qingdan.yaml"),
            "机关: 株洲市教育局\nattachments:\n  - 类型: 安排表\n    title: 表\n    数据: a.csv\n",
        )
        .unwrap();
        assert_eq!(m.organisation, "株洲市教育局");
        assert_eq!(m.attachments[0].title, "表");
    }

    #[test]
    fn an_unquoted_unit_placeholder_gets_a_hint() {
        let err = parse_manifest(Path::new("qingdan.yaml"), "机关: {单位}\n").unwrap_err();
        assert!(err.hint.unwrap().0.contains("要加引号"));
    }

    #[test]
    fn a_misspelt_key_names_the_line_and_the_right_key() {
        let err = parse_manifest(Path::new("qingdan.yaml"), "机关: 甲\n附建: []\n").unwrap_err();
        assert_eq!(err.location, Location::Line(2));
        assert!(err.zh.contains("未知的键“附建”"), "{}", err.zh);
        assert_eq!(err.hint.unwrap().1, "did you mean “附件”?");
    }

    #[test]
    fn deep_nesting_is_refused_quickly_naming_the_line() {
        // 100,000 levels (200 KB) took serde_yaml (the loader yaml_serde kept) about a
        // minute.
        let cases = [
            format!(
                "机关: 甲\n附件: {}{}\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            format!(
                "机关: 甲\n附件: {}1{}\n",
                "{a: ".repeat(50_000),
                "}".repeat(50_000)
            ),
            format!("机关: 甲\n附件:\n{}x\n", "- ".repeat(100_000)),
        ];
        for text in cases {
            let started = std::time::Instant::now();
            let err = parse_manifest(Path::new("qingdan.yaml"), &text).unwrap_err();
            assert!(
                started.elapsed().as_secs_f64() < 1.0,
                "{:?}",
                started.elapsed()
            );
            assert!(err.zh.contains("嵌套超过 64 层"), "{err}");
            assert!(
                err.location == Location::Line(2) || err.location == Location::Line(3),
                "{err}"
            );
        }
    }
}
