//! The characters a cell may not carry into a document, found and dealt with once, at reading.
//!
//! Text pasted from web pages, WeChat or PDF viewers often brings characters nobody can see:
//! zero-width spaces and joiners, and bidirectional controls such as U+202E, which makes a
//! viewer print the rest of a name backwards. They never belong in a 公文, and a reader cannot
//! tell they are there, so they are **removed** and the cell is named in a warning: refusing
//! would leave the clerk hunting for a character no editor shows, and the text without them is
//! exactly what was meant. Control characters (NUL, form feed …) are different: they mean the
//! file is damaged or not text, so they are an **error**. Line breaks inside a cell are kept, and
//! a bare carriage return (old Mac files, some exporters) becomes a line break, so a table row
//! is never split by an invisible CR.

use std::path::Path;

use crate::diag::{Diagnostic, Location};

/// A cell's text after cleaning, with what was found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CleanText {
    pub(crate) text: String,
    /// Invisible characters removed, each once, in order of first appearance.
    pub(crate) removed: Vec<char>,
    /// The first control character found: the cell is refused.
    pub(crate) control: Option<char>,
}

/// Zero-width characters and bidirectional controls: invisible, and never meant in a document.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Control characters other than tab and line feed (C0, DEL and C1).
pub(crate) fn is_refused_control(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// Cleans `text`: CR and CRLF become LF, invisible characters are removed, the first control
/// character is reported. `None` when there is nothing to do (the common case only scans).
pub(crate) fn clean(text: &str) -> Option<CleanText> {
    let needs_work = text
        .chars()
        .any(|c| c == '\r' || is_invisible(c) || is_refused_control(c));
    if !needs_work {
        return None;
    }
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut removed = Vec::new();
    let mut control = None;
    let mut out = String::with_capacity(normalised.len());
    for c in normalised.chars() {
        if is_invisible(c) {
            if !removed.contains(&c) {
                removed.push(c);
            }
        } else {
            if control.is_none() && is_refused_control(c) {
                control = Some(c);
            }
            out.push(c);
        }
    }
    Some(CleanText {
        text: out,
        removed,
        control,
    })
}

/// A line of a text file (1-based) and the invisible characters removed from it.
pub(crate) type InvisibleOnLine = (usize, Vec<char>);

/// Removes invisible characters from a whole text file (a manifest, a Markdown body), giving
/// the 1-based line of each line that held some, with the characters removed there.
pub(crate) fn strip_invisible(text: &str) -> Option<(String, Vec<InvisibleOnLine>)> {
    if !text.chars().any(is_invisible) {
        return None;
    }
    let mut lines = Vec::new();
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let mut removed = Vec::new();
        for c in line.chars() {
            if is_invisible(c) {
                if !removed.contains(&c) {
                    removed.push(c);
                }
            } else {
                out.push(c);
            }
        }
        if !removed.is_empty() {
            lines.push((i + 1, removed));
        }
    }
    Some((out, lines))
}

/// `U+202E（文字方向控制符）` and `U+202E (bidirectional control)`, for messages.
pub(crate) fn describe(chars: &[char]) -> (String, String) {
    let kind = |c: char| match c {
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => ("文字方向控制符", "bidirectional control"),
        _ => ("零宽字符", "zero-width character"),
    };
    let zh: Vec<String> = chars
        .iter()
        .map(|&c| format!("U+{:04X}（{}）", c as u32, kind(c).0))
        .collect();
    let en: Vec<String> = chars
        .iter()
        .map(|&c| format!("U+{:04X} ({})", c as u32, kind(c).1))
        .collect();
    (zh.join("、"), en.join(", "))
}

/// The error for control character `c` at `location` of `path`.
pub(crate) fn control_error(
    path: &Path,
    location: Location,
    c: char,
    zh_more: &str,
    en_more: &str,
) -> Diagnostic {
    let code = c as u32;
    Diagnostic::error(
        path,
        location,
        format!("有控制字符 U+{code:04X}{zh_more}：文件可能已损坏，或混入了不可见的内容"),
        format!(
            "holds the control character U+{code:04X}{en_more}: the file is damaged or has invisible content pasted in"
        ),
    )
    .with_hint(
        "在文本编辑器中删除该字符（可删去此处的文字重新输入）后保存",
        "delete the character in a text editor (retype the text around it) and save",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_needs_nothing() {
        assert_eq!(clean("吴安浩\n局长\t"), None);
    }

    #[test]
    fn each_hostile_character_is_handled() {
        // (input, cleaned text, removed, control)
        let cases: &[(&str, &str, &[char], Option<char>)] = &[
            ("\u{202E}浩安吴", "浩安吴", &['\u{202E}'], None),
            ("吴\u{200B}安\u{200B}浩", "吴安浩", &['\u{200B}'], None),
            (
                "吴\u{2066}安\u{2069}浩",
                "吴安浩",
                &['\u{2066}', '\u{2069}'],
                None,
            ),
            ("\u{FEFF}姓名", "姓名", &['\u{FEFF}'], None),
            ("甲\r乙", "甲\n乙", &[], None),
            ("甲\r\n乙", "甲\n乙", &[], None),
            ("甲\0乙", "甲\0乙", &[], Some('\0')),
            ("甲\u{0C}乙\u{85}", "甲\u{0C}乙\u{85}", &[], Some('\u{0C}')),
        ];
        for (input, text, removed, control) in cases {
            let c = clean(input).unwrap();
            assert_eq!(&c.text, text, "{input:?}");
            assert_eq!(&c.removed, removed, "{input:?}");
            assert_eq!(&c.control, control, "{input:?}");
        }
    }

    #[test]
    fn a_text_file_loses_its_invisible_characters_line_by_line() {
        assert_eq!(strip_invisible("机关: 测试局\n"), None);
        let (text, lines) =
            strip_invisible("机关\u{200B}: 测试局\n署名: \u{202E}局试测\n").unwrap();
        assert_eq!(text, "机关: 测试局\n署名: 局试测\n");
        assert_eq!(lines, [(1, vec!['\u{200B}']), (2, vec!['\u{202E}'])]);
    }

    #[test]
    fn descriptions_name_the_code_point_in_both_languages() {
        let (zh, en) = describe(&['\u{202E}', '\u{200B}']);
        assert_eq!(zh, "U+202E（文字方向控制符）、U+200B（零宽字符）");
        assert_eq!(
            en,
            "U+202E (bidirectional control), U+200B (zero-width character)"
        );
    }
}
