//! Where a 标题 may break: between words, never inside one (GB/T 9704 7.3.1: 回行时词意完整).
//!
//! A title is cut into words by a Chinese word segmenter (jieba's, see [`super::segmenter`]),
//! then the spans a reader takes as one word are joined back: the issuing body's name and the
//! compound terms of these documents that the segmenter's general dictionary splits (安全生产,
//! 党政同责 …). A book title `《…》` or a quoted phrase `“…”` is a group: kept on one line when
//! that costs no extra line, else broken between its words. The layout template sets each word
//! unbreakable and balances the lines over the word boundaries; a break the author wrote (a line
//! break in the manifest) is kept as [`BREAK`].

use std::ops::Range;

use super::segmenter::Segmenter;

/// The marker for a line break the author wrote.
pub(crate) const BREAK: &str = "\n";

/// Terms of 安全生产 documents that must not be split across lines although the general
/// dictionary cuts them.
const COMPOUNDS: &[&str] = &[
    "安全生产",
    "党政领导干部",
    "领导干部",
    "责任制",
    "责任清单",
    "任务分工",
    "分工表",
    "安排表",
    "实施细则",
    "实施意见",
    "实施办法",
    "实施方案",
    "开发区",
    "党政同责",
    "一岗双责",
    "三个必须",
    "齐抓共管",
    "失职追责",
];

/// Marks that may not begin a line.
const NO_LINE_START: &str = "，。、；：？！）》”」』〕】·…—";
/// Marks that may not end a line.
const NO_LINE_END: &str = "（《“「『〔【";

/// A title cut for the layout: its words, and the groups (word index ranges, end exclusive)
/// to keep on one line where that costs no extra line.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TitleWords {
    pub(crate) words: Vec<String>,
    pub(crate) groups: Vec<(usize, usize)>,
}

/// The words of a title given as the author's lines, with [`BREAK`] between lines, as
/// `segmenter` cuts them; `names` (the issuing body) are kept whole.
pub(crate) fn words(segmenter: &Segmenter, lines: &[String], names: &[&str]) -> TitleWords {
    let mut out = TitleWords::default();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.words.push(BREAK.to_owned());
        }
        let (words, groups) = line_words(segmenter, line, names);
        let base = out.words.len();
        out.groups
            .extend(groups.into_iter().map(|(a, b)| (a + base, b + base)));
        out.words.extend(words);
    }
    out
}

/// Byte ranges of `open … close` spans in `line`.
fn spans(line: &str, open: char, close: char) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = line[from..].find(open).map(|i| i + from) {
        let Some(end) = line[start..]
            .find(close)
            .map(|i| i + start + close.len_utf8())
        else {
            break;
        };
        found.push(start..end);
        from = end;
    }
    found
}

fn line_words(
    segmenter: &Segmenter,
    line: &str,
    names: &[&str],
) -> (Vec<String>, Vec<(usize, usize)>) {
    let hard: Vec<Range<usize>> = names
        .iter()
        .chain(COMPOUNDS)
        .filter(|t| !t.is_empty())
        .flat_map(|t| line.match_indices(*t).map(|(at, t)| at..at + t.len()))
        .collect();
    let soft: Vec<Range<usize>> = [('《', '》'), ('“', '”')]
        .into_iter()
        .flat_map(|(open, close)| spans(line, open, close))
        .collect();
    // Word boundaries from the segmenter, minus those inside a name or compound; the edges of
    // a group are boundaries too.
    let mut boundaries: Vec<usize> = segmenter
        .word_ends(line)
        .into_iter()
        .chain(soft.iter().flat_map(|g| [g.start, g.end]))
        .filter(|&at| 0 < at && at < line.len() && !hard.iter().any(|k| k.start < at && at < k.end))
        .collect();
    boundaries.sort_unstable();
    boundaries.dedup();
    // No line may start with a closing mark nor end with an opening one (GB/T 15834): such a
    // mark stays with its neighbour word.
    boundaries.retain(|&at| {
        let after = line[at..].chars().next();
        let before = line[..at].chars().next_back();
        !after.is_some_and(|c| NO_LINE_START.contains(c))
            && !before.is_some_and(|c| NO_LINE_END.contains(c))
    });
    let mut words = Vec::new();
    let mut starts = Vec::new();
    let mut start = 0;
    for at in boundaries.into_iter().chain([line.len()]) {
        if at > start {
            starts.push(start);
            words.push(line[start..at].to_owned());
            start = at;
        }
    }
    let index_of = |at: usize| starts.iter().position(|&s| s >= at).unwrap_or(starts.len());
    let groups = soft
        .iter()
        .map(|g| (index_of(g.start), index_of(g.end)))
        .filter(|(a, b)| b - a > 1)
        .collect();
    (words, groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(title: &str, names: &[&str]) -> Vec<String> {
        words(&Segmenter::new(), &[title.to_owned()], names).words
    }

    #[test]
    fn titles_break_between_words_and_keep_names_whole() {
        let words = cut(
            "株洲市教育局党政领导干部安全生产责任制实施细则",
            &["株洲市教育局"],
        );
        assert_eq!(
            words.concat(),
            "株洲市教育局党政领导干部安全生产责任制实施细则"
        );
        for whole in [
            "株洲市教育局",
            "党政领导干部",
            "安全生产",
            "责任制",
            "实施细则",
        ] {
            assert!(words.iter().any(|w| w == whole), "{whole} in {words:?}");
        }
        let title = "株洲市教育局关于印发《党政领导干部安全生产责任制实施细则》的通知";
        let cut_up = super::words(&Segmenter::new(), &[title.to_owned()], &["株洲市教育局"]);
        let words = cut_up.words.clone();
        let (a, b) = cut_up.groups[0];
        assert_eq!(
            words[a..b].concat(),
            "《党政领导干部安全生产责任制实施细则》",
            "the book title is a group: {words:?}"
        );
        assert!(
            words.iter().any(|w| w.contains("党政领导干部")),
            "{words:?}"
        );
        assert_eq!(
            words.concat(),
            "株洲市教育局关于印发《党政领导干部安全生产责任制实施细则》的通知"
        );
    }

    #[test]
    fn no_word_starts_with_a_closing_mark_or_ends_with_an_opening_one() {
        let words = cut(
            "大栗港镇党政领导干部安全生产“党政同责、一岗双责”和“三个必须”的实施意见",
            &["大栗港镇"],
        );
        for w in &words {
            assert!(
                !w.starts_with(|c| NO_LINE_START.contains(c)),
                "{w} in {words:?}"
            );
            assert!(
                !w.ends_with(|c| NO_LINE_END.contains(c)),
                "{w} in {words:?}"
            );
        }
    }

    #[test]
    fn the_authors_breaks_are_kept() {
        let lines = [
            "株洲市教育局关于印发".to_owned(),
            "《安全生产责任清单》的通知".to_owned(),
        ];
        let words = words(&Segmenter::new(), &lines, &[]).words;
        let at = words.iter().position(|w| w == BREAK).expect("a break");
        assert_eq!(words[..at].concat(), "株洲市教育局关于印发");
        assert_eq!(words[at + 1..].concat(), "《安全生产责任清单》的通知");
    }
}
