//! Chinese document numbering: 第一章, 第二十条, 一、, （一）, 1., （1）.
//!
//! Numbers are always computed from position, never typed by users, so inserting an article or a
//! task renumbers everything after it and cross-references follow.

/// Writes `n` (≥ 1) in Chinese numerals as documents do: 一, 十, 十一, 二十, 一百零五.
pub(crate) fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 10 {
        return DIGITS[n as usize].to_owned();
    }
    if n < 20 {
        // 十一, not 一十一.
        return format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        );
    }
    if n < 100 {
        let ones = n % 10;
        return format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if ones == 0 { "" } else { DIGITS[ones as usize] }
        );
    }
    if n < 1000 {
        let rest = n % 100;
        let tail = match rest {
            0 => String::new(),
            1..=9 => format!("零{}", DIGITS[rest as usize]),
            10..=19 => format!("一{}", chinese_numeral(rest)),
            _ => chinese_numeral(rest),
        };
        return format!("{}百{tail}", DIGITS[(n / 100) as usize]);
    }
    n.to_string()
}

/// How a project's body prints its numbers (`版式` settings); the default is the current
/// style: （一）, 第一条　text, 第一章　title, every chapter numbered.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NumberingStyle {
    /// (一) and (1) instead of （一） and （1）.
    pub(crate) half_width_brackets: bool,
    /// 第二十一条被问责的… instead of 第二十一条　被问责的….
    pub(crate) article_run_in: bool,
    /// 第一章总则 instead of 第一章　总则.
    pub(crate) chapter_run_in: bool,
    /// Chapter titles printed without 第N章 (still counted).
    pub(crate) unnumbered_chapters: Vec<String>,
}

/// The numbering style of one level of a document's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ordinal {
    /// 第一章
    Chapter,
    /// 第一条
    Article,
    /// 一、
    Section,
    /// （一）
    Paren,
    /// 1.
    Arabic,
    /// （1）
    ParenArabic,
}

impl Ordinal {
    /// The label for the `n`th item (1-based).
    pub(crate) fn label(self, n: u32) -> String {
        match self {
            Ordinal::Chapter => format!("第{}章", chinese_numeral(n)),
            Ordinal::Article => format!("第{}条", chinese_numeral(n)),
            Ordinal::Section => format!("{}、", chinese_numeral(n)),
            Ordinal::Paren => format!("（{}）", chinese_numeral(n)),
            Ordinal::Arabic => format!("{n}."),
            Ordinal::ParenArabic => format!("（{n}）"),
        }
    }

    /// The label for the `n`th item in a project's `style` (half-width brackets where asked).
    pub(crate) fn label_in(self, n: u32, style: &NumberingStyle) -> String {
        match self {
            Ordinal::Paren if style.half_width_brackets => format!("({})", chinese_numeral(n)),
            Ordinal::ParenArabic if style.half_width_brackets => format!("({n})"),
            _ => self.label(n),
        }
    }

    /// The style one level further down: 条 → （一） → 1. → （1）.
    pub(crate) fn below(self) -> Ordinal {
        match self {
            Ordinal::Chapter => Ordinal::Article,
            Ordinal::Article | Ordinal::Section => Ordinal::Paren,
            Ordinal::Paren => Ordinal::Arabic,
            Ordinal::Arabic | Ordinal::ParenArabic => Ordinal::ParenArabic,
        }
    }
}

/// Reads `text` written in Chinese numerals (一, 十二, 一百零五) back as a number.
fn read_chinese_numeral(text: &str) -> Option<u32> {
    (1..1000).find(|&n| chinese_numeral(n) == text)
}

/// A number a user typed at the start of a heading or item out of habit — `第二章`, `第三条`,
/// `四、`, `（五）`, `(五)`, `6.`, `（7）` — with its level, its value and the text after it
/// (spaces dropped). The body numbers itself, so such a number would print twice.
pub(crate) fn typed_ordinal(text: &str) -> Option<(Ordinal, u32, &str)> {
    let t = text.trim_start();
    fn rest_after(rest: &str) -> &str {
        rest.trim_start_matches([' ', '\u{3000}'])
    }
    let is_cn = |c: char| "零一二三四五六七八九十百".contains(c);
    if let Some(rest) = t.strip_prefix('第') {
        let end = rest.find(|c: char| !is_cn(c))?;
        let n = read_chinese_numeral(&rest[..end])?;
        let tail = &rest[end..];
        if let Some(after) = tail.strip_prefix('章') {
            return Some((Ordinal::Chapter, n, rest_after(after)));
        }
        if let Some(after) = tail.strip_prefix('条') {
            return Some((Ordinal::Article, n, rest_after(after)));
        }
        return None;
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            let end = rest.find(close)?;
            let inner = &rest[..end];
            let after = rest_after(&rest[end + close.len_utf8()..]);
            if let Some(n) = read_chinese_numeral(inner) {
                return Some((Ordinal::Paren, n, after));
            }
            if !inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit()) {
                return Some((Ordinal::ParenArabic, inner.parse().ok()?, after));
            }
            return None;
        }
    }
    let end = t.find(|c: char| !(c.is_ascii_digit() || is_cn(c)))?;
    let (number, tail) = t.split_at(end);
    if number.is_empty() {
        return None;
    }
    if let Some(after) = tail.strip_prefix('、')
        && let Some(n) = read_chinese_numeral(number)
    {
        return Some((Ordinal::Section, n, rest_after(after)));
    }
    if number.len() <= 3 && number.chars().all(|c| c.is_ascii_digit()) {
        // "2019.8" or "1.5倍" are numbers in the text, not labels.
        let after = ["．", ".", "、"]
            .iter()
            .find_map(|sep| tail.strip_prefix(sep))?;
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((Ordinal::Arabic, number.parse().ok()?, rest_after(after)));
    }
    None
}

/// Removes a numbering prefix a user typed by habit (`1.`, `1、`, `（一）`, `一、`, `第三条`),
/// returning the rest and whether anything was removed.
pub(crate) fn strip_typed_number(text: &str) -> (&str, bool) {
    let t = text.trim_start();
    let is_cn = |c: char| "零一二三四五六七八九十百".contains(c);
    fn after(rest: &str) -> Option<&str> {
        Some(rest.trim_start_matches([' ', '\u{3000}']))
    }
    let stripped = (|| {
        if let Some(rest) = t.strip_prefix('第') {
            let end = rest.find(|c: char| !is_cn(c))?;
            let rest = &rest[end..];
            if end > 0 && (rest.starts_with('条') || rest.starts_with('章')) {
                return after(&rest[3..]);
            }
            return None;
        }
        for (open, close) in [('（', '）'), ('(', ')')] {
            if let Some(rest) = t.strip_prefix(open) {
                let end = rest.find(close)?;
                let inner = &rest[..end];
                if !inner.is_empty() && inner.chars().all(|c| is_cn(c) || c.is_ascii_digit()) {
                    return after(&rest[end + close.len_utf8()..]);
                }
                return None;
            }
        }
        let end = t.find(|c: char| !(c.is_ascii_digit() || is_cn(c)))?;
        if end == 0 {
            return None;
        }
        let rest = &t[end..];
        let rest = ["、", "．", ".", "，"]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))?;
        // "2019.8" or "1.5倍" are numbers, not labels.
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        after(rest)
    })();
    match stripped {
        Some(rest) => (rest, true),
        None => (text, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_read_as_in_documents() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (123, "一百二十三"),
        ];
        for (n, want) in cases {
            assert_eq!(chinese_numeral(n), want, "{n}");
        }
    }

    #[test]
    fn labels_per_level() {
        assert_eq!(Ordinal::Chapter.label(2), "第二章");
        assert_eq!(Ordinal::Article.label(20), "第二十条");
        assert_eq!(Ordinal::Section.label(3), "三、");
        assert_eq!(Ordinal::Paren.label(13), "（十三）");
        assert_eq!(Ordinal::Arabic.label(4), "4.");
        assert_eq!(Ordinal::ParenArabic.label(2), "（2）");
        assert_eq!(Ordinal::Article.below(), Ordinal::Paren);
    }

    #[test]
    fn typed_numbers_are_read_with_their_level() {
        for (text, ordinal, n, rest) in [
            ("第一章 总则", Ordinal::Chapter, 1, "总则"),
            ("第二十一条被问责的", Ordinal::Article, 21, "被问责的"),
            ("第三条　内容", Ordinal::Article, 3, "内容"),
            ("四、要求", Ordinal::Section, 4, "要求"),
            ("（五）内容", Ordinal::Paren, 5, "内容"),
            ("(十二) 内容", Ordinal::Paren, 12, "内容"),
            ("6.内容", Ordinal::Arabic, 6, "内容"),
            ("7、内容", Ordinal::Arabic, 7, "内容"),
            ("（8）内容", Ordinal::ParenArabic, 8, "内容"),
        ] {
            assert_eq!(typed_ordinal(text), Some((ordinal, n, rest)), "{text}");
        }
        for text in [
            "2019.8月",
            "1.5倍",
            "第一次会议",
            "一些内容",
            "（以下简称）",
            "十分重要",
        ] {
            assert_eq!(typed_ordinal(text), None, "{text}");
        }
    }

    #[test]
    fn strips_numbers_users_typed_but_not_numbers_in_text() {
        assert_eq!(strip_typed_number("1. 履行职责"), ("履行职责", true));
        assert_eq!(strip_typed_number("2、履行职责"), ("履行职责", true));
        assert_eq!(strip_typed_number("（三）加强领导"), ("加强领导", true));
        assert_eq!(strip_typed_number("一、工作目标"), ("工作目标", true));
        assert_eq!(strip_typed_number("第十二条　本办法"), ("本办法", true));
        assert_eq!(strip_typed_number("2019.8 开始"), ("2019.8 开始", false));
        assert_eq!(strip_typed_number("每季度1次"), ("每季度1次", false));
        assert_eq!(strip_typed_number("（以下简称）"), ("（以下简称）", false));
    }
}
