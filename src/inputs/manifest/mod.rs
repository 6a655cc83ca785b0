//! Stage 1 for the project manifest `qingdan.yaml`, as written.
//!
//! Keys are Chinese, as the clerks who edit the file read them, with English aliases. Unknown keys
//! are errors (a misspelt key must never silently drop a field). Values stay as text here;
//! checking what they mean is stage 2's job ([`crate::model`]). The manifest's parts (notice,
//! issued document, attachments, 版式) are declared in `parts`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

mod parts;

pub(crate) use parts::{AttachmentSpec, FontChoice, LayoutSpec, MainSpec, NoticeSpec, TextOrList};

use super::yaml_errors::yaml_error;
use crate::diag::{Diagnostic, Location};
use crate::inputs::cell_text::{control_error, is_refused_control};

/// How many folders up qingdan looks for shared settings.
pub(crate) use crate::project::defaults_dirs;

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
        let value = yaml_serde::from_str(t).map_err(|e| Box::new(yaml_error(p, Some(t), &e)))?;
        refuse_control_characters(p, &value, &mut String::new())?;
        Ok(value)
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
    pub(crate) organisation: String,
    /// Red banner text, e.g. 株洲市教育局文件; for joint issuing a list of organs, lead organ
    /// first, optionally ending in 文件 (printed to the right of the stacked names).
    #[serde(rename = "发文机关标志", alias = "banner", default)]
    pub(crate) banner: Option<TextOrList>,
    #[serde(rename = "通知", alias = "notice", default)]
    pub(crate) notice: Option<NoticeSpec>,
    /// The document the notice issues (实施细则, 实施意见 …).
    #[serde(rename = "主件", alias = "main", default)]
    pub(crate) main: Option<MainSpec>,
    #[serde(rename = "附件", alias = "attachments", default)]
    pub(crate) attachments: Vec<AttachmentSpec>,
    /// Font families per role, overriding the defaults.
    #[serde(rename = "字体", alias = "fonts", default)]
    pub(crate) fonts: BTreeMap<String, FontChoice>,
    #[serde(rename = "版式", alias = "layout", default)]
    pub(crate) layout: Option<LayoutSpec>,
}

impl Manifest {
    /// Applies `f` to every plain text a document prints (not to file names, keys or Markdown
    /// bodies, which need escaping and are handled where they are read), e.g. to fill in `{单位}`
    /// for one unit of a batch. Works on parsed values, so a unit name can never change the
    /// manifest's structure.
    pub(crate) fn map_texts(&self, f: &dyn Fn(&str) -> String) -> Manifest {
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
pub(crate) fn looks_like_file(value: &str) -> bool {
    let trimmed = value.trim();
    !trimmed.contains('\n') && trimmed.to_ascii_lowercase().ends_with(".md")
}

/// Parses manifest text, turning serde's message into a bilingual diagnostic with a line number.
pub fn parse_manifest(path: &Path, text: &str) -> Result<Manifest, Box<Diagnostic>> {
    check_depth(path, text)?;
    let manifest = yaml_serde::from_str(text).map_err(|e| {
        Box::new(unquoted_placeholder_hint(
            text,
            yaml_error(path, Some(text), &e),
        ))
    })?;
    if let Ok(value) = yaml_serde::from_str::<yaml_serde::Value>(text) {
        refuse_control_characters(path, &value, &mut String::new())?;
    }
    Ok(manifest)
}

/// Refuses a control character in any text value, found at its key (`通知.正文`): a file
/// holding one as such is refused when it is read, but YAML's escapes (`"\u0001"`, `"\a"`)
/// write one in plain text, and it would print as nothing in one output and a box in another.
fn refuse_control_characters(
    path: &Path,
    value: &yaml_serde::Value,
    key: &mut String,
) -> Result<(), Box<Diagnostic>> {
    use yaml_serde::Value;
    let at = key.len();
    match value {
        Value::String(text) => {
            if let Some(c) = text.chars().find(|&c| c != '\r' && is_refused_control(c)) {
                return Err(Box::new(control_error(
                    path,
                    Location::Key(key.clone()),
                    c,
                    "",
                    "",
                )));
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                key.push_str(&format!("[{}]", i + 1));
                refuse_control_characters(path, item, key)?;
                key.truncate(at);
            }
        }
        Value::Mapping(entries) => {
            for (name, item) in entries {
                if !key.is_empty() {
                    key.push('.');
                }
                match name {
                    Value::String(name) => key.push_str(name),
                    other => key.push_str(&format!("{other:?}")),
                }
                refuse_control_characters(path, item, key)?;
                key.truncate(at);
            }
        }
        Value::Tagged(tagged) => refuse_control_characters(path, &tagged.value, key)?,
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    Ok(())
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
    fn a_control_character_written_as_an_escape_is_refused_at_its_key() {
        let err = parse_manifest(
            Path::new("qingdan.yaml"),
            "机关: 甲\n通知:\n  发文字号: 甲发〔2019〕1号\n  标题: 通知\n  正文: \"请\\u0001落实\"\n",
        )
        .unwrap_err();
        assert_eq!(err.location, Location::Key("通知.正文".into()), "{err}");
        assert!(err.zh.contains("U+0001"), "{err}");
        let err = parse_manifest(
            Path::new("qingdan.yaml"),
            "机关: 甲\n附件:\n  - 类型: 安排表\n    标题: \"表\\a\"\n    数据: a.csv\n",
        )
        .unwrap_err();
        assert_eq!(err.location, Location::Key("附件[1].标题".into()), "{err}");
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
