//! The 2号 title's lines (GB/T 9704 7.3.1: 回行时词意完整，排列对称), broken as the PDF breaks
//! them (templates/gongwen.typ, `title-lines`): only between the words the pipeline cut the
//! title into ([`TitleWords`]: the issuing body, compound terms and 《…》 whole, no line starting
//! with a closing mark), in the narrowest measure from an even split up that needs no more
//! lines than the full line, so the lines come out of even length rather than a full line and a
//! stub. Word then gets the lines with line breaks between them: it would otherwise fill each
//! line to the margin and cut words.

use crate::render::title::{BREAK, TitleWords};

use super::furniture::width_chars;

/// Characters a 2号 title line holds: 156 mm / 22 pt.
const TITLE_CAPACITY: f64 = 20.0;

/// The measures tried, from an even split up: at most this many half-character steps.
const WIDER_STEPS: usize = 16;

/// The title of `part` as one run, its lines joined by line breaks.
pub(crate) fn title_run(part: &crate::render::views::PartView) -> docx_rs::Run {
    let mut run = docx_rs::Run::new();
    for (i, line) in title_lines(&part.title, &part.title_words)
        .iter()
        .enumerate()
    {
        if i > 0 {
            run = run.add_break(docx_rs::BreakType::TextWrapping);
        }
        run = run.add_text(super::xml_text(line));
    }
    run
}

/// The lines of `title`, cut into words as `cut` says. A break the author wrote is kept and the
/// lines are not rebalanced; a 《…》 or “…” is kept on one line where some measure allows it
/// without an extra line. A title that was not cut into words is broken by characters
/// ([`character_lines`]).
pub(crate) fn title_lines(title: &str, cut: &TitleWords) -> Vec<String> {
    if cut.words.is_empty() {
        return character_lines(title);
    }
    if cut.words.iter().any(|w| w == BREAK) {
        return cut
            .words
            .split(|w| w == BREAK)
            .map(|line| line.concat())
            .collect();
    }
    let total: f64 = cut.words.iter().map(|w| width_chars(w)).sum();
    let plain = units(cut, false);
    let full = fill(&plain, TITLE_CAPACITY);
    if full.len() <= 1 {
        return full;
    }
    let even = total / (total / TITLE_CAPACITY).ceil();
    let measures: Vec<f64> = (0..WIDER_STEPS)
        .map(|i| (even + i as f64 * 0.5).min(TITLE_CAPACITY))
        .collect();
    let pick = |units: &[String]| {
        measures
            .iter()
            .map(|&m| fill(units, m))
            .find(|lines| lines.len() <= full.len())
    };
    pick(&units(cut, true))
        .or_else(|| pick(&plain))
        .unwrap_or(full)
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
            if width_chars(&joined) <= TITLE_CAPACITY + 0.01 {
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
fn fill(units: &[String], measure: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for unit in units {
        if width_chars(&line) + width_chars(unit) <= measure + 0.01 {
            line.push_str(unit);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if width_chars(unit) <= measure + 0.01 {
            line.push_str(unit);
        } else {
            let chars: Vec<char> = unit.chars().collect();
            let mut pieces = break_lines(&chars, measure, false);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
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
    let total = width_chars(title);
    if total <= TITLE_CAPACITY {
        return vec![title.to_owned()];
    }
    let lines = (total / TITLE_CAPACITY).ceil();
    let measure = (total / lines + 1.2).min(TITLE_CAPACITY);
    let plain = break_lines(&chars, measure, false);
    [measure, TITLE_CAPACITY]
        .into_iter()
        .map(|m| break_lines(&chars, m, true))
        .find(|kept| kept.len() <= plain.len())
        .unwrap_or(plain)
}

/// Lines of at most `measure` characters, filled greedily; with `keep_titles`, a 《…》 that
/// would be cut goes whole to the next line.
fn break_lines(chars: &[char], measure: f64, keep_titles: bool) -> Vec<String> {
    let closing = |c: char| "，。、；：？！）》」』”’〕".contains(c);
    let width = |range: &[char]| {
        range
            .iter()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum::<f64>()
    };
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
