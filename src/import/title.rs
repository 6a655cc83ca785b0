//! Titles: which paragraphs make one (short, not a sentence, not furniture; a Title style),
//! their lines as the document broke them, and the issued document's title found after a
//! notice by the name the notice quotes in 《》.

use super::furniture::{attachment_note, date, kind_of_title, squeeze};
use super::report::Note;
use super::source::{Look, Para};
use super::text::ends_sentence;

/// A paragraph that can be a line of a title: short, not a sentence, not furniture.
pub(crate) fn title_like(para: &Para) -> bool {
    let t = para.text.trim();
    !t.is_empty()
        && t.chars().count() <= 60
        && !ends_sentence(t)
        && !t.ends_with(['：', ':', '；', '，'])
        && !t.contains(['，', '；', '。'])
        && date(t).is_none()
        && attachment_note(t).is_none()
        && crate::model::numbering::typed_ordinal(t).is_none()
}

/// A title's lines: a Title paragraph's own lines, or consecutive title-like paragraphs (at most
/// four) up to one naming the kind of document. Returns the lines and the paragraphs used.
pub(crate) fn title_at(paras: &[Para], i: usize, notes: &mut Vec<Note>) -> (Vec<String>, usize) {
    let Some(first) = paras.get(i) else {
        return (Vec::new(), 0);
    };
    let mut split = |p: &Para| -> Vec<String> {
        p.text
            .split('\n')
            .flat_map(|line| spaced_lines(line, &p.place, notes))
            .filter(|l| !l.is_empty())
            .collect()
    };
    if matches!(first.look, Look::Title) {
        return (split(first), 1);
    }
    let mut lines = Vec::new();
    let mut used = 0;
    for para in paras[i..].iter().take(4) {
        if !title_like(para) || (used > 0 && para.look == Look::Title) {
            break;
        }
        lines.extend(split(para));
        used += 1;
        let t = squeeze(&para.text);
        if t.ends_with("通知")
            || kind_of_title(&t).is_some()
            || t.ends_with("表")
            || t.ends_with("清单")
        {
            break;
        }
    }
    (lines, used)
}

/// A title line in which single spaces between Chinese characters stand for line breaks (text
/// taken out of a printed title: 株洲市教育局 关于印发…).
fn spaced_lines(line: &str, place: &super::source::Place, notes: &mut Vec<Note>) -> Vec<String> {
    let line = line.trim();
    let cjk = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || "《》“”（）".contains(c);
    let chars: Vec<char> = line.chars().collect();
    let mut parts = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        let breaks =
            c == ' ' && i > 0 && cjk(chars[i - 1]) && chars.get(i + 1).is_some_and(|n| cjk(*n));
        if breaks {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    if parts.len() > 1 {
        notes.push(Note::guess(
            Some(place.clone()),
            format!("标题“{line}”中的空格读作换行：{}", parts.join(" / ")),
            format!(
                "the spaces in the title “{line}” read as line breaks: {}",
                parts.join(" / ")
            ),
        ));
    }
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// The name a notice's title quotes in 《》: 《党政领导干部安全生产责任制实施细则》.
pub(crate) fn quoted_name(title: &str) -> Option<String> {
    let start = title.find('《')? + '《'.len_utf8();
    let end = title[start..].find('》')? + start;
    Some(squeeze(&title[start..end]))
}

/// Whether `para` is the issued document's title, after the notice whose title is `notice`.
pub(crate) fn main_title(para: &Para, notice: &str, after_date: bool) -> bool {
    let t = squeeze(&para.text);
    if para.look == Look::Title {
        return true;
    }
    if !title_like(para) {
        return false;
    }
    let quoted = quoted_name(notice)
        .is_some_and(|q| t.ends_with(&q) || q.ends_with(&t) && t.chars().count() >= 6);
    quoted || (kind_of_title(&t).is_some() && (after_date || para.new_page))
}
