//! Escaping data for Markdown: the one table of characters that could change meaning.
//!
//! Tera calls [`escape_markdown`] on every `{{ value }}` in a `.md` template (autoescape, set up
//! in [`crate::render`]), so a leader's name or a duty can never become a heading, a table
//! column, a link or HTML. Text that is already Markdown (a body the author wrote) is passed with
//! `| safe`. It lives beside the reader, not in the renderer, because the model escapes too.

/// ASCII characters that start or end Markdown syntax anywhere in a line.
const INLINE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '$', '~', '&', '{', '}', '!',
];

/// Escapes `text` so CommonMark/GFM shows it literally; line breaks become `<br>` so a value stays
/// inside its table cell or paragraph.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        escape_line(line.trim_end_matches('\r'), &mut out);
    }
    out
}

fn escape_line(line: &str, out: &mut String) {
    // At the start of a line these begin a list, quote, heading or rule.
    let leading_digits = line.chars().take_while(char::is_ascii_digit).count();
    let mut after_digits = line[leading_digits..].chars();
    // "1. x" starts a list; "1.高度重视" (no space) does not, and stays unescaped.
    let list_number = leading_digits > 0
        && matches!(after_digits.next(), Some('.' | ')'))
        && after_digits.next().is_none_or(char::is_whitespace);
    let first_is_block_marker = line.starts_with(['-', '+', '=']);
    for (i, c) in line.char_indices() {
        let escape = INLINE.contains(&c)
            || (i == 0 && first_is_block_marker)
            || (list_number && i == leading_digits);
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Tag};

    /// What a Markdown reader shows for `markdown`: only text, and whether any syntax fired.
    fn read_back(markdown: &str) -> (String, bool) {
        let mut text = String::new();
        let mut syntax = false;
        for event in crate::markdown::parser(markdown) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Paragraph) | Event::End(_) => {}
                Event::InlineHtml(h) if &*h == "<br>" => text.push('\n'),
                _ => syntax = true,
            }
        }
        (text, syntax)
    }

    #[test]
    fn every_special_character_reads_back_literally() {
        let cases = [
            "王#",
            "*强调*",
            "a|b",
            "$x$",
            "<b>粗</b>",
            "[链接](x)",
            "@某人",
            "# 标题",
            "- 列表",
            "+ 列表",
            "1. 列表",
            "2) 列表",
            "> 引用",
            "`代码`",
            "_下划线_",
            "~~删除~~",
            "&amp;",
            "\\",
            "![图](x)",
            "===",
            "{#id}",
            "a\nb",
        ];
        for case in cases {
            let (text, syntax) = read_back(&escape_markdown(case));
            assert_eq!(text, case, "{case:?} became {:?}", escape_markdown(case));
            assert!(!syntax, "{case:?} triggered Markdown syntax");
        }
    }

    #[test]
    fn numbers_without_a_following_space_are_left_alone() {
        assert_eq!(escape_markdown("1.高度重视"), "1.高度重视");
        assert_eq!(escape_markdown("1. 高度重视"), "1\\. 高度重视");
    }

    #[test]
    fn escaped_cells_stay_in_their_table_column() {
        let row = format!(
            "| {} | {} |",
            escape_markdown("甲|乙"),
            escape_markdown("丙")
        );
        let md = format!("| 姓名 | 职务 |\n| --- | --- |\n{row}\n");
        let cells = crate::markdown::parser(&md)
            .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
            .count();
        assert_eq!(cells, 4);
    }
}
