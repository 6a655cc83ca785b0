//! C8, what a reader sees at a line's edges and in its numbers: no body line starts with a
//! closing mark (full- or half-width) or reaches into a margin, none holds more than its 28
//! cells (a closing mark may hang past the last one, as Word's 行末标点溢出), and no run of
//! digits is split by a gap a text layer reads as a space (`〔2 018 〕`, `第346 号`), which
//! breaks copying, searching and comparing the text.
//!
//! Judged from the same glyph positions as the grid ([`super::grid::body_lines`]), so it
//! measures any PDF, not only qingdan's.

use super::grid::Glyph;
use super::{Check, check, page_list};
use crate::document::grid::{is_closing, is_opening};
use crate::gbt9704::{self as gb, MM};

/// One cell of the grid, in pt.
const CELL: f64 = gb::CHAR;
/// The 3号 of body text, in pt.
const BODY_SIZE: f64 = gb::BODY_SIZE;
/// The type area's edges on a portrait page, in pt.
const LEFT: f64 = gb::LEFT * MM;
const RIGHT: f64 = (gb::LEFT + gb::TYPE_WIDTH) * MM;
/// A gap a text layer reads as a space (poppler breaks words at 0.1 em), in pt.
const SPACE: f64 = 0.1 * BODY_SIZE;
/// Half-width marks that never start a line.
const HALF_CLOSING: &str = ",.;:!?)]}%";

/// Whether a line starting with `c` starts with a closing mark.
fn closing(c: char) -> bool {
    is_closing(c) || HALF_CLOSING.contains(c)
}

/// The width of `c` in a body glyph, in pt: half-width characters half an em.
fn advance(c: char) -> f64 {
    if c.is_ascii() {
        BODY_SIZE / 2.0
    } else {
        BODY_SIZE
    }
}

/// The C8 checks of body-text `pages` (from [`super::grid::body_lines`]).
pub(crate) fn edge_checks(pages: &[Vec<Vec<Glyph>>]) -> Vec<Check> {
    let mut starts = Vec::new();
    let mut margins = Vec::new();
    let mut splits = Vec::new();
    let mut examples: Vec<String> = Vec::new();
    for (number, page) in pages.iter().enumerate() {
        for line in page {
            let (Some(first), Some(last)) = (line.first(), line.last()) else {
                continue;
            };
            if closing(first.c) {
                starts.push(number + 1);
            }
            // A closing mark may hang past the last cell; nothing else may leave the type area.
            let inner = if is_closing(last.c) {
                &line[..line.len() - 1]
            } else {
                &line[..]
            };
            let past = inner
                .iter()
                .any(|g| g.x + advance(g.c) > RIGHT + 0.25 * CELL);
            let hang = last.x > RIGHT + 0.25 * CELL;
            if first.x < LEFT - 0.25 * CELL || past || hang {
                margins.push(number + 1);
            }
            for pair in line.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let number_run = a.c.is_ascii_digit()
                    && (b.c.is_ascii_digit() || b.c == '号' || is_closing(b.c))
                    || is_opening(a.c) && b.c.is_ascii_digit();
                if number_run && b.x - a.x - advance(a.c) > SPACE {
                    splits.push(number + 1);
                    if examples.len() < 3 {
                        examples.push(format!("{}␣{}", a.c, b.c));
                    }
                }
            }
        }
    }
    for list in [&mut starts, &mut margins, &mut splits] {
        list.dedup();
    }
    vec![
        check(
            "C8 行首无闭合标点 no line starts with a closing mark",
            "0 行 lines",
            format!("页 pages {}", page_list(&starts)),
            starts.is_empty(),
        ),
        check(
            "C8 版心内 lines within the 28 cells",
            "不入页边 nothing in the margins",
            format!("页 pages {}", page_list(&margins)),
            margins.is_empty(),
        ),
        check(
            "C8 数字不拆分 number runs whole",
            "数字间无空隙 no gap inside a number",
            format!("页 pages {} {}", page_list(&splits), examples.join(" ")),
            splits.is_empty(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of `text` from column `from`, each glyph at its own advance plus `gap_after(c)`.
    fn line(text: &str, from: f64, gap_after: &dyn Fn(char) -> f64) -> Vec<Glyph> {
        let mut x = LEFT + from * CELL;
        text.chars()
            .map(|c| {
                let glyph = Glyph { x, c };
                x += advance(c) - 0.225 + gap_after(c);
                glyph
            })
            .collect()
    }

    fn failing(pages: &[Vec<Vec<Glyph>>]) -> Vec<&'static str> {
        edge_checks(pages)
            .into_iter()
            .filter(|c| !c.pass)
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn a_cited_number_set_whole_passes() {
        let ok = line("意见》（株发〔2018〕13号）、第346号文件", 0.0, &|_| 0.0);
        assert!(failing(&[vec![ok]]).is_empty());
    }

    #[test]
    fn a_number_split_by_a_gap_fails() {
        // 〔2 018 〕: the bracket boxed with the 2, the run after it rounded up to whole cells.
        let split = line("株发〔2018〕13号", 0.0, &|c| {
            if c == '2' || c == '8' { 8.0 } else { 0.0 }
        });
        assert_eq!(failing(&[vec![split]]), ["C8 数字不拆分 number runs whole"]);
        let after = line("第346号", 0.0, &|c| if c == '6' { 7.8 } else { 0.0 });
        assert_eq!(failing(&[vec![after]]), ["C8 数字不拆分 number runs whole"]);
    }

    #[test]
    fn a_line_starting_with_a_comma_of_either_width_fails() {
        for text in [", 减轻风险", "，减轻风险", "）要落实"] {
            let l = line(text, 0.0, &|_| 0.0);
            assert_eq!(
                failing(&[vec![l]]),
                ["C8 行首无闭合标点 no line starts with a closing mark"],
                "{text}"
            );
        }
    }

    #[test]
    fn an_opening_mark_in_the_margin_or_29_characters_fail_but_a_hanging_mark_passes() {
        let hanging = line("〈注意〉安全", -0.5, &|_| 0.0);
        assert_eq!(
            failing(&[vec![hanging]]),
            ["C8 版心内 lines within the 28 cells"]
        );
        let full: String = "安".repeat(28);
        let ok = line(&format!("{full}，"), 0.0, &|_| 0.0);
        assert!(failing(&[vec![ok]]).is_empty());
        let over = line(&format!("{full}安安"), 0.0, &|_| 0.0);
        assert_eq!(
            failing(&[vec![over]]),
            ["C8 版心内 lines within the 28 cells"]
        );
    }
}
