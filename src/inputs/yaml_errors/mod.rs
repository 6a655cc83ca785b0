//! yaml_serde's errors as diagnostics a clerk can act on: the line, the key path, what was
//! expected in words (a list, a text, a number), and a hint that fits the cause.
//!
//! yaml_serde (the YAML organisation's continuation of the archived serde_yaml, chosen because
//! it kept serde_yaml's messages and their line and column) reports two kinds of problems in
//! one string type. Syntax errors come from libyaml ("mapping values are not allowed in this
//! context"): in a hand-edited manifest they are nearly always indentation or a missing space
//! after a colon, so that is the hint. Data errors come from serde (`附件: invalid type: map,
//! expected a sequence`, `duplicate field`): the YAML is well formed and indentation is rarely
//! the cause, so each gets a hint of its own (`data`).

mod data;

use std::path::Path;

use crate::diag::{Diagnostic, Location};
use data::{duplicate_key, unknown_key, wrong_type};

/// The phrases serde starts a data error with; anything else is a syntax error from libyaml.
const DATA_ERRORS: &[&str] = &[
    "unknown field",
    "missing field",
    "duplicate field",
    "invalid type",
    "invalid value",
    "invalid length",
    "unknown variant",
    "data did not match",
];

/// Turns a yaml_serde error on the manifest `text` (when it is known: merged settings have no
/// single text) into a bilingual diagnostic.
pub fn yaml_error(path: &Path, text: Option<&str>, e: &yaml_serde::Error) -> Diagnostic {
    let location = e
        .location()
        .map_or(Location::File, |l| Location::Line(l.line()));
    let message = e.to_string();
    // serde says: [key path: ]<problem>[ at line L column C]
    let (key_path, body) = match message.split_once(": ") {
        Some((key_path, rest)) if DATA_ERRORS.iter().any(|p| rest.starts_with(p)) => {
            (Some(key_path), rest)
        }
        _ => (None, message.as_str()),
    };
    if !DATA_ERRORS.iter().any(|p| body.starts_with(p)) {
        return syntax_error(path, location, &message);
    }
    let body = body.split(" at line ").next().unwrap_or(body);
    let key_zh = key_path.map(|k| format!("（{k}）")).unwrap_or_default();
    let key_en = key_path.map(|k| format!(" (in {k})")).unwrap_or_default();
    if let Some(rest) = body.strip_prefix("unknown field `") {
        return unknown_key(path, location, rest, &key_zh, &key_en);
    }
    if let Some(rest) = body.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        // A key missing from a block that has its neighbours is most often indented wrongly.
        return Diagnostic::error(
            path,
            location,
            format!("缺少必填的键“{field}”{key_zh}"),
            format!("missing required key “{field}”{key_en}"),
        )
        .with_hint(
            "检查是否漏写，或缩进是否与同级的键对齐",
            "check it is there and indented like the keys beside it",
        );
    }
    if let Some(rest) = body.strip_prefix("duplicate field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return duplicate_key(path, text, location, field, &key_zh, &key_en);
    }
    if let Some(rest) = body.strip_prefix("invalid type: ") {
        return wrong_type(path, location, rest, key_path.unwrap_or_default());
    }
    if body.starts_with("data did not match any variant of untagged enum TextOrList") {
        // serde loses the key and the position of an untagged value; name the keys it can be.
        return Diagnostic::error(
            path,
            Location::File,
            "发文机关标志、署名、签发人或字体的值应为一段文本或文本列表",
            "the value of 发文机关标志, 署名, 签发人 or a 字体 role must be a text or a list of texts",
        )
        .with_hint(
            "写成 键: 文本，或 键: [甲, 乙]",
            "write key: text, or key: [first, second]",
        );
    }
    Diagnostic::error(
        path,
        location,
        format!("值不对{key_zh}：{body}"),
        format!("invalid value{key_en}: {body}"),
    )
}

/// A libyaml syntax error: in a hand-edited file, indentation or a colon without a space.
fn syntax_error(path: &Path, location: Location, message: &str) -> Diagnostic {
    let d = Diagnostic::error(
        path,
        location,
        format!("YAML 格式错误：{message}"),
        format!("invalid YAML: {message}"),
    );
    if message.starts_with("mapping values are not allowed") {
        // A second “: ” on a line: a misindented key, or a value that needs quotes.
        d.with_hint(
            "检查缩进（用空格，不用 Tab）；值里有“: ”时整个值加引号，如 标题: \"甲: 乙\"",
            "check the indentation (spaces, not tabs); quote a value that contains “: ”, e.g. 标题: \"a: b\"",
        )
    } else {
        d.with_hint(
            "检查缩进（用空格，不用 Tab）和冒号后的空格",
            "check the indentation (spaces, not tabs) and the space after each colon",
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::inputs::manifest::parse_manifest;

    /// (manifest, line, words of the message, whether the hint speaks of indentation)
    const CASES: &[(&str, usize, &str, bool)] = &[
        (
            "机关: 甲\n机关: 乙\n",
            2,
            "键“机关”写了两次（第1行和第2行）",
            false,
        ),
        (
            "机关: 甲\n通知:\n  标题: 甲\n  标题: 乙\n",
            4,
            "键“标题”（通知）写了两次",
            false,
        ),
        (
            "机关: [甲, 乙]\n",
            1,
            "“机关”的值应为一段文本，这里是列表",
            false,
        ),
        (
            "机关: 甲\n附件:\n  类型: 责任清单\n",
            3,
            "应为列表，这里是下级键",
            false,
        ),
        (
            "机关: 甲\n附件: 清单.csv\n",
            2,
            "这里是文本“清单.csv”",
            false,
        ),
        (
            "机关: 甲\n版式:\n  行距: 宽\n",
            3,
            "“版式.行距”的值应为数字",
            false,
        ),
        (
            "机关: 甲\n附件:\n  - 类型: 清单\n    标题: 表\n    数据: a.csv\n    编号: 一\n",
            6,
            "应为整数",
            false,
        ),
        // A block whose keys were not indented under it reads as a text.
        ("机关: 甲\n通知: 文本\n", 2, "“通知”的值应为下级键", true),
        // Syntax errors: a misindented key.
        ("机关: 甲\n 附件: 乙\n", 2, "YAML 格式错误", true),
        (
            "机关: 甲\n附件:\n  - 类型: 甲\n     标题: 乙\n",
            4,
            "YAML 格式错误",
            true,
        ),
    ];

    #[test]
    fn each_yaml_error_says_what_is_wrong_and_hints_at_indentation_only_where_likely() {
        for &(text, line, words, indentation) in CASES {
            let d = parse_manifest(std::path::Path::new("qingdan.yaml"), text).unwrap_err();
            assert_eq!(d.location, crate::diag::Location::Line(line), "{text}\n{d}");
            assert!(d.zh.contains(words), "{text}\n{d}");
            let (hint_zh, hint_en) = d.hint.clone().unwrap_or_default();
            assert_eq!(
                hint_zh.contains("缩进") && hint_en.contains("indent"),
                indentation,
                "{text}\n{d}"
            );
        }
    }
}
