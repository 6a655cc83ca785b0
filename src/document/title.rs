//! The 2号 title's lines (GB/T 9704 7.3.1: 回行时词意完整，排列对称), decided once for the PDF and
//! the .docx. A title breaks only between the words the render stage cut it into
//! ([`TitleWords`]: the issuing body, compound terms and 《…》 whole, no line starting with a
//! closing mark), in the narrowest measure from an even split up that needs no more lines than
//! the full line, so the lines come out of even length rather than a full line and a stub. A
//! 《…》 or “…” is kept on one line where some measure allows it without an extra line. A break
//! the author wrote is kept and the lines are not rebalanced.
//!
//! Widths are estimated ([`super::measure::text_width`]); the writers set the lines as given,
//! each line's pieces unbreakable (Word would otherwise fill each line to the margin and cut
//! words; typst would rebalance).

use serde::Serialize;

use super::measure::{char_width, text_width, title_capacity};
use crate::render::title::{BREAK, TitleWords};

/// The measures tried, from an even split up: at most this many half-character steps.
const WIDER_STEPS: usize = 16;

/// A title's lines, each the pieces (words, or a 《…》 kept whole) set on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TitleLines(pub Vec<Vec<String>>);

impl TitleLines {
    /// The lines as text.
    pub fn texts(&self) -> Vec<String> {
        self.0.iter().map(|line| line.concat()).collect()
    }
}

/// The lines of `title`, cut into words as `cut` says; a title that was not cut into words is
/// broken by characters ([`character_lines`]).
pub(crate) fn title_lines(title: &str, cut: &TitleWords) -> TitleLines {
    if cut.words.is_empty() {
        return TitleLines(
            character_lines(title)
                .into_iter()
                .map(|l| vec![l])
                .collect(),
        );
    }
    if cut.words.iter().any(|w| w == BREAK) {
        return TitleLines(
            cut.words
                .split(|w| w == BREAK)
                .map(<[String]>::to_vec)
                .collect(),
        );
    }
    let capacity = title_capacity();
    let total: f64 = cut.words.iter().map(|w| text_width(w)).sum();
    let plain = units(cut, false);
    let full = fill(&plain, capacity);
    if full.len() <= 1 {
        return TitleLines(full);
    }
    let even = total / (total / capacity).ceil();
    let measures: Vec<f64> = (0..WIDER_STEPS)
        .map(|i| (even + i as f64 * 0.5).min(capacity))
        .collect();
    let pick = |units: &[String]| {
        measures
            .iter()
            .map(|&m| fill(units, m))
            .find(|lines| lines.len() <= full.len())
    };
    TitleLines(
        pick(&units(cut, true))
            .or_else(|| pick(&plain))
            .unwrap_or(full),
    )
}

/// The pieces a title's lines are filled with: its words, or with `keep_groups` each group
/// (《…》, “…”) that fits on a line as one piece.
fn units(cut: &TitleWords, keep_groups: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < cut.words.len() {
        let group = cut.groups.iter().find(|(start, _)| *start == i);
        if let (true, Some(&(start, end))) = (keep_groups, group) {
            let joined = cut.words[start..end.min(cut.words.len())].concat();
            if text_width(&joined) <= title_capacity() + 0.01 {
                out.push(joined);
                i = end;
                continue;
            }
        }
        out.push(cut.words[i].clone());
        i += 1;
    }
    out
}

/// Lines of at most `measure` characters filled with `units` in turn; a unit wider than the
/// measure itself is broken by characters.
fn fill(units: &[String], measure: f64) -> Vec<Vec<String>> {
    let mut lines = Vec::new();
    let mut line: Vec<String> = Vec::new();
    let mut width = 0.0;
    for unit in units {
        let w = text_width(unit);
        if width + w <= measure + 0.01 {
            line.push(unit.clone());
            width += w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= measure + 0.01 {
            line.push(unit.clone());
            width = w;
        } else {
            let chars: Vec<char> = unit.chars().collect();
            let mut pieces = break_lines(&chars, measure, false);
            let last = pieces.pop().unwrap_or_default();
            lines.extend(pieces.into_iter().map(|p| vec![p]));
            width = text_width(&last);
            line = vec![last];
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The lines of a title not cut into words, balanced by characters: a title longer than a line
/// is set in a narrower measure — its width over the number of lines, plus 1.2 characters — so
/// its lines come out of even length; a 《…》 is kept on one line when that costs no extra line,
/// the measure widened up to the full line if need be; no line starts with closing punctuation.
pub(crate) fn character_lines(title: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().collect();
    let capacity = title_capacity();
    let total = text_width(title);
    if total <= capacity {
        return vec![title.to_owned()];
    }
    let lines = (total / capacity).ceil();
    let measure = (total / lines + 1.2).min(capacity);
    let plain = break_lines(&chars, measure, false);
    [measure, capacity]
        .into_iter()
        .map(|m| break_lines(&chars, m, true))
        .find(|kept| kept.len() <= plain.len())
        .unwrap_or(plain)
}

/// Lines of at most `measure` characters, filled greedily; with `keep_titles`, a 《…》 that
/// would be cut goes whole to the next line.
fn break_lines(chars: &[char], measure: f64, keep_titles: bool) -> Vec<String> {
    let closing = |c: char| "，。、；：？！）》」』”’〕".contains(c);
    let width = |range: &[char]| range.iter().copied().map(char_width).sum::<f64>();
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = start + 1;
        while end < chars.len() && width(&chars[start..=end]) <= measure + 0.01 {
            end += 1;
        }
        if end < chars.len() {
            if keep_titles
                && let Some(open) = chars[start..end].iter().rposition(|&c| c == '《')
                && start + open > start
                && chars[start + open..end].iter().all(|&c| c != '》')
            {
                end = start + open;
            }
            // A closing mark stays with the text before it.
            while end > start + 1 && closing(chars[end]) {
                end -= 1;
            }
        }
        out.push(chars[start..end].iter().collect());
        start = end;
    }
    out
}

#[cfg(test)]
mod tests;
