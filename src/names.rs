//! The names of the files and folders qingdan writes, and when two of them are the same.
//!
//! Output names come from user data: a document's `名称:` in the manifest, a school's name in a
//! batch sheet, a 责任单位 in a per-unit task list. Each must become exactly one path component
//! inside the output folder, and two different names must never become the same file: not after
//! the characters that file systems refuse are replaced, not on a disk that ignores case (Windows,
//! macOS), and not when one is written with full-width letters and the other with half-width ones.

use unicode_normalization::UnicodeNormalization;

/// The characters Windows refuses in a file name, and the path separators.
const REFUSED: &str = "/\\:*?\"<>|";

/// The folder (or file stem) for a unit or per-unit list: `name` with the characters file
/// systems refuse (and control characters) replaced by `_`, and leading or trailing dots and
/// spaces removed (Windows drops trailing ones silently; leading dots hide a folder). A name
/// with nothing left is `_`.
pub(crate) fn sanitised(name: &str) -> String {
    let replaced: String = name
        .trim()
        .chars()
        .map(|c| {
            if REFUSED.contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    match replaced.trim_matches(|c: char| c == '.' || c.is_whitespace()) {
        "" => "_".to_owned(),
        n => n.to_owned(),
    }
}

/// Why `name` (a `名称:` from the manifest) cannot be an output file name, or `None` when it
/// can: it must be one path component, portable to Windows, without the characters
/// [`sanitised`] would replace, since a silently changed name would surprise its author.
pub(crate) fn output_name_problem(name: &str) -> Option<(String, String)> {
    let trimmed = name.trim();
    let bad: Vec<char> = trimmed
        .chars()
        .filter(|c| REFUSED.contains(*c) || c.is_control())
        .collect();
    if trimmed.is_empty() {
        return Some(("文件名为空".to_owned(), "the file name is empty".to_owned()));
    }
    if !bad.is_empty() {
        let shown: String = bad
            .iter()
            .map(|c| {
                if c.is_control() {
                    format!("U+{:04X}", *c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        return Some((
            format!(
                "文件名“{trimmed}”含有不能用于文件名的字符：{shown}（只能是一个文件名，不能含路径）"
            ),
            format!(
                "the file name “{trimmed}” contains characters a file name cannot have: {shown} (it must be one file name, not a path)"
            ),
        ));
    }
    if trimmed.starts_with('.') || trimmed.ends_with('.') {
        return Some((
            format!("文件名“{trimmed}”不能以“.”开头或结尾"),
            format!("the file name “{trimmed}” cannot start or end with “.”"),
        ));
    }
    None
}

/// The key under which two names are the same file on some disk qingdan's users have: the
/// sanitised name, compatibility-folded (full-width ＡＢＣ１ = ABC1, ideographic space = space) and
/// case-folded.
pub(crate) fn collision_key(name: &str) -> String {
    sanitised(name).nfkc().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_folder_names_are_one_safe_component() {
        for (name, folder) in [
            ("株洲市第一中学", "株洲市第一中学"),
            ("../a/b:c", "_a_b_c"),
            ("..", "_"),
            (".", "_"),
            ("a.", "a"),
            (" a b ", "a b"),
            ("a*b", "a_b"),
            ("a\u{0}b", "a_b"),
        ] {
            assert_eq!(sanitised(name), folder, "{name:?}");
        }
    }

    #[test]
    fn names_that_are_one_file_on_some_disk_share_a_key() {
        for (a, b) in [
            ("a/b", "a:b"),
            ("a*b", "a?b"),
            ("..", "."),
            ("a.", "a"),
            ("School", "school"),
            ("ＡＢＣ中学", "abc中学"),
            ("一中（１）", "一中(1)"),
        ] {
            assert_eq!(collision_key(a), collision_key(b), "{a} / {b}");
        }
        assert_ne!(collision_key("一中"), collision_key("二中"));
    }

    #[test]
    fn output_names_must_be_one_portable_component() {
        for bad in [
            "../../README",
            "/etc/passwd",
            "a/b",
            "a\\b",
            "C:x",
            "..",
            ".",
            ".hidden",
            "",
            "  ",
            "a\u{7}",
        ] {
            assert!(
                output_name_problem(bad).is_some(),
                "{bad:?} must be refused"
            );
        }
        for good in ["责任清单", "附件1-任务分工表", "2019 细则"] {
            assert_eq!(output_name_problem(good), None, "{good}");
        }
    }
}
