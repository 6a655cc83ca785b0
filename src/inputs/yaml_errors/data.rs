//! serde's data errors on a well-formed manifest: a key that does not exist (with the closest
//! one), a key given twice, a value of the wrong type (said in words: a list, a text, a number).

use std::path::Path;

use crate::diag::{Diagnostic, Location, closest};

/// `unknown field `职位`, expected one of `a`, `b``: the keys allowed, and the closest one.
pub(super) fn unknown_key(
    path: &Path,
    location: Location,
    rest: &str,
    key_zh: &str,
    key_en: &str,
) -> Diagnostic {
    let found = rest.split('`').next().unwrap_or_default();
    let expected: Vec<&str> = rest
        .split("expected ")
        .nth(1)
        .unwrap_or_default()
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    // The English aliases are listed in the English message only.
    let chinese: Vec<&str> = expected.iter().copied().filter(|k| !k.is_ascii()).collect();
    let mut d = Diagnostic::error(
        path,
        location,
        format!(
            "未知的键“{found}”{key_zh}，可用的键：{}",
            chinese.join("、")
        ),
        format!(
            "unknown key “{found}”{key_en}; expected one of: {}",
            expected.join(", ")
        ),
    );
    if let Some(guess) = closest(found, expected.iter().copied()) {
        d = d.with_hint(
            format!("“{found}”是否应为“{guess}”？"),
            format!("did you mean “{guess}”?"),
        );
    }
    d
}

/// A key given twice in one block. serde names the block's first line; the lines of the two
/// entries are found in the text (the second one is where the problem shows).
pub(super) fn duplicate_key(
    path: &Path,
    text: Option<&str>,
    location: Location,
    field: &str,
    key_zh: &str,
    key_en: &str,
) -> Diagnostic {
    let from = match location {
        Location::Line(line) => line,
        _ => 1,
    };
    let lines: Vec<usize> = text
        .unwrap_or_default()
        .lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .filter(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ");
            l.strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|(i, _)| i + 1)
        .take(2)
        .collect();
    let (location, where_zh, where_en) = match lines[..] {
        [first, second] => (
            Location::Line(second),
            format!("（第{first}行和第{second}行）"),
            format!(" (lines {first} and {second})"),
        ),
        _ => (location, String::new(), String::new()),
    };
    Diagnostic::error(
        path,
        location,
        format!("键“{field}”{key_zh}写了两次{where_zh}"),
        format!("key “{field}”{key_en} is given twice{where_en}"),
    )
    .with_hint(
        "每个键只写一次：删去或合并其中一个（英文别名与中文键算同一个键）",
        "give each key once: delete or merge one of them (an English alias is the same key)",
    )
}

/// `invalid type: map, expected a sequence`: what was found and expected, in words, with the
/// usual fix for that pair.
pub(super) fn wrong_type(path: &Path, location: Location, rest: &str, key: &str) -> Diagnostic {
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
    let (found_zh, found_en) = match found {
        "sequence" => ("列表".to_owned(), "a list".to_owned()),
        "map" => ("下级键".to_owned(), "keys below it (a mapping)".to_owned()),
        "unit value" => ("空值".to_owned(), "nothing".to_owned()),
        "boolean `true`" | "boolean `false`" => {
            let value = found.trim_start_matches("boolean ").trim_matches('`');
            (
                format!("真假值 {value}"),
                format!("the true/false value {value}"),
            )
        }
        other => match other.split_once(' ') {
            Some(("string", value)) => {
                let value = value.trim_matches('"');
                (format!("文本“{value}”"), format!("the text “{value}”"))
            }
            Some((_, value)) => {
                let value = value.trim_matches('`');
                (format!("数字 {value}"), format!("the number {value}"))
            }
            None => (other.to_owned(), other.to_owned()),
        },
    };
    let struct_like = expected.starts_with("struct ") || expected == "a map";
    let (expected_zh, expected_en, hint) = match expected {
        "a string" | "a borrowed string" => (
            "一段文本",
            "a text",
            match found {
                "map" => Some((
                    "文本中有“: ”或以 { 开头时，整段加引号，如 标题: \"甲: 乙\"",
                    "quote a text that contains “: ” or starts with {, e.g. 标题: \"a: b\"",
                )),
                "sequence" => Some((
                    "这里只能写一个值；以 [ 开头的文本请加引号",
                    "give a single value here; quote a text that starts with [",
                )),
                "unit value" => Some((
                    "在冒号后写上内容，或删去这个键",
                    "write the value after the colon, or delete the key",
                )),
                _ => None,
            },
        ),
        "a sequence" => (
            "列表",
            "a list",
            Some((
                "每一项另起一行，以“- ”开头，如“  - 类型: 责任清单”",
                "put each item on a line of its own starting with “- ”, e.g. “  - 类型: 责任清单”",
            )),
        ),
        "u32" | "u8" | "u16" | "u64" | "usize" | "i32" | "i64" => (
            "整数",
            "a whole number",
            Some(("写阿拉伯数字，如 2", "write it in digits, e.g. 2")),
        ),
        "f64" | "f32" => (
            "数字",
            "a number",
            Some(("写阿拉伯数字，如 28.95", "write it in digits, e.g. 28.95")),
        ),
        "a boolean" => (
            "真假值（true 或 false）",
            "true or false",
            Some(("写 true（是）或 false（否）", "write true or false")),
        ),
        // A block whose keys are not indented under it reads as a text: here indentation is
        // the likely cause.
        _ if struct_like => (
            "下级键",
            "keys below it (a mapping)",
            Some((
                "从下一行起缩进两格写它的键，如“  标题: …”",
                "write its keys on the lines below it, indented two spaces, e.g. “  标题: …”",
            )),
        ),
        other => (other, other, None),
    };
    let key_zh = if key.is_empty() {
        "值".to_owned()
    } else {
        format!("“{key}”的值")
    };
    let key_en = if key.is_empty() {
        "a value".to_owned()
    } else {
        format!("“{key}”")
    };
    let d = Diagnostic::error(
        path,
        location,
        format!("{key_zh}应为{expected_zh}，这里是{found_zh}"),
        format!("{key_en} must be {expected_en}, found {found_en}"),
    );
    match hint {
        Some((zh, en)) => d.with_hint(zh, en),
        None => d,
    }
}
