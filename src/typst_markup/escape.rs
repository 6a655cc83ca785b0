//! Escaping text for Typst markup: the one table of characters Typst could read as code.
//!
//! Typst accepts a backslash before any non-space character as a literal, so every ASCII
//! punctuation mark that has a meaning anywhere in markup (`#` code, `$` math, `*` `_` emphasis,
//! `<` `>` labels, `@` references, `[` `]` content, `/` comments, `=` `-` `+` `.` line starts,
//! `~` `'` `"` smart characters, `` ` `` raw) is escaped. Everything else passes through.

const SPECIAL: &[char] = &[
    '\\', '#', '$', '*', '_', '`', '<', '>', '@', '[', ']', '{', '}', '/', '=', '-', '+', '.', '~',
    '\'', '"', ':', '!', '|', '(', ')', ';', ',', '%', '&', '^', '?',
];

/// Escapes `text` for use in Typst markup (inside `[...]` content).
pub(crate) fn escape_typst(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        match c {
            // A bare line break would end a paragraph or a heading; data never carries one here.
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_special_character_is_escaped() {
        for c in SPECIAL {
            assert_eq!(escape_typst(&c.to_string()), format!("\\{c}"));
        }
        assert_eq!(escape_typst("王 安浩"), "王 安浩");
        assert_eq!(escape_typst("#set page()"), "\\#set page\\(\\)");
    }
}
