//! The furniture of a 公文, recognised line by line from its own conventions (GB/T 9704 and
//! the seeds): 份号, 密级, 紧急程度, the 发文机关标志, the 发文字号 with its 签发人, the 附件说明,
//! the 附件N label, the 成文日期, a 附注 in brackets, the 版记's 抄送 and 印发 lines, and page
//! numbers. Each function takes one paragraph's text and says what it is, or `None`.

use crate::model::numbering::chinese_numeral;

/// Text without any white space, for matching.
pub(crate) fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// 份号: six digits (GB/T 9704 7.2.1), or fewer, alone at the top.
pub(crate) fn copy_number(text: &str) -> Option<String> {
    let t = squeeze(text);
    (!t.is_empty() && t.len() <= 6 && t.chars().all(|c| c.is_ascii_digit())).then_some(t)
}

/// 密级和保密期限: 秘密, 机密★1年, 绝密★长期.
pub(crate) fn secrecy(text: &str) -> Option<String> {
    let t = squeeze(text);
    ["绝密", "机密", "秘密"]
        .iter()
        .any(|s| t == *s || t.starts_with(&format!("{s}★")))
        .then_some(t)
}

/// 紧急程度: 特急, 加急.
pub(crate) fn urgency(text: &str) -> Option<String> {
    let t = squeeze(text);
    matches!(t.as_str(), "特急" | "加急").then_some(t)
}

/// A 发文字号 and the 签发人 on the same line: `株教发〔2019〕12号`, `大发[2019]45号　签发人：张三`.
/// Square or round brackets around the year become 〔〕 as GB/T 9704 writes them.
pub(crate) fn document_number(text: &str) -> Option<(String, Vec<String>)> {
    let (number_part, signers) = match text.split_once("签发人") {
        Some((n, s)) => (n, signers_of(s)),
        None => (text, Vec::new()),
    };
    let t = squeeze(number_part);
    let open = t.find(['〔', '[', '［', '【', '（', '('])?;
    let rest = &t[open..];
    let first = rest.chars().next()?;
    let after_open = &rest[first.len_utf8()..];
    let year: String = after_open
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if year.len() != 4 {
        return None;
    }
    let after_year = &after_open[4..];
    let close = after_year.chars().next()?;
    if !"〕]］】）)".contains(close) {
        return None;
    }
    let tail = &after_year[close.len_utf8()..];
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || &tail[digits.len()..] != "号" || open == 0 || open > 30 {
        return None;
    }
    let number = format!(
        "{}〔{year}〕{}号",
        &t[..open],
        digits.trim_start_matches('0')
    );
    Some((number, signers))
}

/// The names after 签发人：.
fn signers_of(text: &str) -> Vec<String> {
    text.trim_start_matches([':', '：', ' ', '\u{3000}'])
        .split(|c: char| c.is_whitespace() || "、，,".contains(c))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The 附件N label over an attachment (`附件`, `附件2`, `附件：`), with its number.
pub(crate) fn attachment_label(text: &str) -> Option<Option<u32>> {
    let t = squeeze(text);
    let rest = t.strip_prefix("附件")?;
    let rest = rest.trim_end_matches([':', '：']);
    if rest.is_empty() {
        return Some(None);
    }
    rest.parse::<u32>().ok().filter(|n| *n > 0).map(Some)
}

/// The 附件说明 under a body: `附件：1. 标题` (more titles on the following lines), with the
/// titles.
pub(crate) fn attachment_note(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    let rest = t
        .strip_prefix("附件：")
        .or_else(|| t.strip_prefix("附件:"))?
        .trim();
    if rest.is_empty() {
        return None;
    }
    Some(
        rest.split('\n')
            .map(|l| strip_list_number(l.trim()))
            .filter(|l| !l.is_empty())
            .collect(),
    )
}

/// Another line of a 附件说明 (`2. 标题`, indented under the first).
pub(crate) fn attachment_note_more(text: &str) -> Option<String> {
    let t = text.trim();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && t[digits..].starts_with(['.', '．', '、'])).then(|| strip_list_number(t))
}

fn strip_list_number(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    match rest.strip_prefix(['.', '．', '、']) {
        Some(r) if digits > 0 => r.trim().to_owned(),
        _ => line.to_owned(),
    }
}

/// A 成文日期 alone on its line: `2019年7月1日`, or in Chinese numerals (`二〇一九年七月一日`),
/// given back in Arabic digits without leading zeros as GB/T 9704 writes it.
pub(crate) fn date(text: &str) -> Option<String> {
    let t = squeeze(text);
    let (year, rest) = t.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    let year = number_of(year, true)?;
    let month = number_of(month, false).filter(|m| (1..=12).contains(m))?;
    let day = number_of(day, false).filter(|d| (1..=31).contains(d))?;
    (1900..=2200)
        .contains(&year)
        .then(|| format!("{year}年{month}月{day}日"))
}

/// A number in Arabic or Chinese digits; a year digit by digit (二〇一九).
fn number_of(text: &str, year: bool) -> Option<u32> {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    if year {
        let digits: Option<String> = text
            .chars()
            .map(|c| {
                "〇一二三四五六七八九"
                    .chars()
                    .position(|d| d == c || (c == '零' && d == '〇'))
                    .and_then(|p| char::from_digit(p as u32, 10))
            })
            .collect();
        return digits?.parse().ok();
    }
    (1..=31).find(|&n| chinese_numeral(n) == text)
}

/// A 附注 under the date: text in brackets, `（此件公开发布）`.
pub(crate) fn remark(text: &str) -> Option<String> {
    let t = text.trim();
    let inner = t
        .strip_prefix('（')
        .and_then(|r| r.strip_suffix('）'))
        .or_else(|| t.strip_prefix('(').and_then(|r| r.strip_suffix(')')))?;
    (!inner.is_empty() && !inner.contains(['（', '）'])).then(|| inner.to_owned())
}

/// The 版记's 抄送 line: `抄送：市安委办。`.
pub(crate) fn carbon_copy(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = t.strip_prefix("抄送")?;
    let rest = rest.trim_start().strip_prefix(['：', ':'])?;
    Some(rest.trim().to_owned())
}

/// The 版记's 印发 line: `株洲市教育局办公室　　2019年8月20日印发`, giving 印发机关 and 印发日期.
pub(crate) fn printed(text: &str) -> Option<(Option<String>, Option<String>)> {
    let t = text.trim();
    let before = t.strip_suffix("印发")?;
    let squeezed = squeeze(before);
    let year = squeezed.char_indices().find(|(i, _)| {
        squeezed[*i..]
            .chars()
            .take(4)
            .all(|c| c.is_ascii_digit() || "〇一二三四五六七八九".contains(c))
            && squeezed[*i..].chars().nth(4) == Some('年')
    });
    let (by, on) = match year {
        Some((i, _)) => (squeezed[..i].to_owned(), date(&squeezed[i..])),
        None => (squeezed.clone(), None),
    };
    if year.is_some() && on.is_none() {
        return None;
    }
    let by = (!by.is_empty()).then_some(by);
    (by.is_some() || on.is_some()).then_some((by, on))
}

/// Whether `text` is a line of furniture that never continues a sentence: a date, a label, a
/// 附件说明, a 版记 line.
pub(crate) fn is_furniture_line(text: &str) -> bool {
    date(text).is_some()
        || attachment_label(text).is_some()
        || attachment_note(text).is_some()
        || carbon_copy(text).is_some()
        || printed(text).is_some()
        || document_number(text).is_some()
}

/// A banner's organs, split from its text: `株洲市教育局文件` (one organ, kept whole), or a
/// joint banner's organs on their lines with 文件 beside them (`甲局\n乙局　文件`).
pub(crate) fn banner(text: &str) -> Option<Vec<String>> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let last = squeeze(lines.last()?);
    if !last.ends_with("文件") || last.chars().count() > 40 {
        return None;
    }
    if lines.len() == 1 {
        return Some(vec![last]);
    }
    let mut organs: Vec<String> = lines.iter().map(|l| squeeze(l)).collect();
    if let Some(l) = organs.last_mut() {
        *l = l.trim_end_matches("文件").to_owned();
    }
    organs.retain(|o| !o.is_empty());
    organs.push("文件".to_owned());
    Some(organs)
}

/// The organ a banner names: `株洲市教育局文件` → 株洲市教育局, a joint banner's first organ.
pub(crate) fn banner_organ(banner: &[String]) -> Option<String> {
    let first = banner.first()?;
    let organ = first.strip_suffix("文件").unwrap_or(first);
    (!organ.is_empty()).then(|| organ.to_owned())
}

/// Words that end a document title: what kind of document it is.
pub(crate) const KINDS: &[&str] = &[
    "实施细则",
    "细则",
    "实施办法",
    "办法",
    "规定",
    "制度",
    "实施意见",
    "意见",
    "实施方案",
    "方案",
];

/// The kind a title names (its last word), if it is one qingdan lays out.
pub(crate) fn kind_of_title(title: &str) -> Option<&'static str> {
    let t = squeeze(title);
    let t = t.trim_end_matches(['》', '”']);
    KINDS.iter().find(|k| t.ends_with(*k)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_and_signers() {
        assert_eq!(
            document_number("株教发〔2019〕12号"),
            Some(("株教发〔2019〕12号".into(), vec![]))
        );
        assert_eq!(
            document_number("大发[2019]045号　　签发人：张三　李四"),
            Some((
                "大发〔2019〕45号".into(),
                vec!["张三".into(), "李四".into()]
            ))
        );
        assert_eq!(document_number("根据株发〔2018〕13号文件精神"), None);
        assert_eq!(document_number("〔2019〕12号"), None);
    }

    #[test]
    fn dates_labels_and_the_colophon() {
        assert_eq!(date("  2019年7月1日"), Some("2019年7月1日".into()));
        assert_eq!(date("二〇一九年七月十一日"), Some("2019年7月11日".into()));
        assert_eq!(date("2019年7月1日前完成"), None);
        assert_eq!(attachment_label("附件"), Some(None));
        assert_eq!(attachment_label("附件："), Some(None));
        assert_eq!(attachment_label("附件 2"), Some(Some(2)));
        assert_eq!(attachment_label("附件：责任清单"), None);
        assert_eq!(
            attachment_note("附件：1. 甲表\n2. 乙表"),
            Some(vec!["甲表".into(), "乙表".into()])
        );
        assert_eq!(carbon_copy("抄送：市安委办。"), Some("市安委办。".into()));
        assert_eq!(
            printed("株洲市教育局办公室　　2019年8月20日印发"),
            Some((
                Some("株洲市教育局办公室".into()),
                Some("2019年8月20日".into())
            ))
        );
        assert_eq!(remark("（此件公开发布）"), Some("此件公开发布".into()));
    }

    #[test]
    fn banners_single_and_joint() {
        assert_eq!(
            banner("株洲市教育局文件"),
            Some(vec!["株洲市教育局文件".into()])
        );
        assert_eq!(
            banner("甲局\n乙局　文件"),
            Some(vec!["甲局".into(), "乙局".into(), "文件".into()])
        );
        assert_eq!(banner("关于印发文件"), Some(vec!["关于印发文件".into()]));
        assert_eq!(
            kind_of_title("某局安全生产责任制实施细则"),
            Some("实施细则")
        );
    }
}
