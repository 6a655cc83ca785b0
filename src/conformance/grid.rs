//! C7, the character grid: every full-width mark of body text keeps a whole cell, and on full
//! lines every CJK glyph sits on one of the 28 columns of the type area. Word with a document
//! grid sets text so; a typesetter that squeezes punctuation (标点挤压) does not.
//!
//! This needs where each glyph is, which poppler's word boxes do not tell (a run of CJK text is
//! one word), so the positions come from mupdf's `mutool draw -F stext`, one `<char>` per glyph
//! with its origin and the font size.

use std::ffi::OsStr;
use std::io::BufRead;
use std::path::Path;

use super::tool::{self, Budget, MUTOOL, Unmeasured, path_arg};
use super::xml::{Step, each};
use super::{Check, check, not_measured};
use crate::gbt9704::{self as gb, MM};

/// The 3号 of body text, in points.
const BODY_SIZE: f64 = gb::BODY_SIZE;
/// One cell of the grid: 156 mm over 28 characters.
const CELL: f64 = gb::CHAR;
/// The type area's left edge on a portrait page.
const LEFT: f64 = gb::LEFT * MM;
/// How far from its column a glyph may sit and still be on the grid, in cells.
const ON_GRID: f64 = 0.15;
/// The share of glyphs of full lines that may be off the grid (a run of half-width digits, for
/// one, moves what follows by half a cell).
const OFF_GRID_ALLOWED: f64 = 0.05;

/// Full-width marks that take a whole cell in Word's grid (dashes and ellipses take two).
const MARKS: &str = "，。、；：？！“”‘’（）《》〔〕【】";

/// One glyph of body text: its origin and character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub(crate) x: f64,
    pub(crate) c: char,
}

/// The body-text glyphs of every portrait page, line by line, in order along the line.
pub(crate) fn body_lines(pdf: &Path, budget: Budget) -> Result<Vec<Vec<Vec<Glyph>>>, Unmeasured> {
    let file = path_arg(pdf);
    let args: Vec<&OsStr> = ["draw", "-F", "stext", "-o", "-"]
        .map(OsStr::new)
        .into_iter()
        .chain([file.as_os_str()])
        .collect();
    tool::read(MUTOOL, &args, budget, parse)
}

/// The glyph lines of mutool's structured text (see [`body_lines`]).
fn parse(out: &mut dyn BufRead) -> Result<Vec<Vec<Vec<Glyph>>>, String> {
    let mut pages: Vec<Vec<Vec<Glyph>>> = Vec::new();
    let mut portrait = false;
    let mut body_font = false;
    let mut line: Option<Vec<Glyph>> = None;
    each(out, |step| {
        match step {
            Step::Open(e) => match e.name() {
                "page" => {
                    portrait = e.number("width") <= e.number("height");
                    if portrait {
                        pages.push(Vec::new());
                    }
                }
                "line" if portrait => line = Some(Vec::new()),
                "font" => body_font = (e.number("size") - BODY_SIZE).abs() < 0.4,
                "char" if body_font => {
                    let c = e.attr("c").and_then(|c| c.chars().next());
                    if let (Some(glyphs), Some(c)) = (line.as_mut(), c)
                        && !c.is_whitespace()
                    {
                        glyphs.push(Glyph {
                            x: e.number("x"),
                            c,
                        });
                    }
                }
                _ => {}
            },
            Step::Close("line") => {
                if let (Some(mut glyphs), Some(page)) = (line.take(), pages.last_mut()) {
                    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
                    if glyphs.len() >= 2 {
                        page.push(glyphs);
                    }
                }
            }
            Step::Close("font") => body_font = false,
            _ => {}
        }
        Ok(())
    })?;
    Ok(pages)
}

fn is_mark(c: char) -> bool {
    MARKS.contains(c)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || is_mark(c)
}

/// The grid checks of body-text `pages` (from [`body_lines`]).
pub(crate) fn grid_checks(pages: &[Vec<Vec<Glyph>>]) -> Vec<Check> {
    let lines = || pages.iter().flatten();
    // A mark followed on its line by another glyph less than a cell on was squeezed.
    let mut marks = 0;
    let mut squeezed = 0;
    for line in lines() {
        for pair in line.windows(2) {
            if is_mark(pair[0].c) && pair[1].x - pair[0].x < 2.0 * CELL {
                marks += 1;
                if pair[1].x - pair[0].x < CELL - 0.5 {
                    squeezed += 1;
                }
            }
        }
    }
    // Full lines: from the left edge (or an indent) to the last column.
    let mut glyphs = 0;
    let mut off = 0;
    for line in lines() {
        let (Some(first), Some(last)) = (line.first(), line.last()) else {
            continue;
        };
        if first.x < LEFT - 0.5 * CELL || last.x + CELL - LEFT < 27.5 * CELL {
            continue;
        }
        for glyph in line.iter().filter(|g| is_cjk(g.c)) {
            glyphs += 1;
            let column = (glyph.x - LEFT) / CELL;
            if (column - column.round()).abs() > ON_GRID {
                off += 1;
            }
        }
    }
    if marks == 0 && glyphs == 0 {
        return Vec::new();
    }
    let share = off as f64 / glyphs.max(1) as f64;
    vec![
        check(
            "C7 标点占一格 full-width marks",
            "0 个被挤压 none squeezed",
            format!("{squeezed}/{marks} 个被挤压 squeezed"),
            squeezed == 0,
        ),
        check(
            "C7 字符网格 character grid",
            format!(
                "整行字符在 28 列上 glyphs of full lines on the 28 columns（偏离 off ≤ {:.0}%）",
                OFF_GRID_ALLOWED * 100.0
            ),
            format!("{off}/{glyphs} 偏离 off ({:.1}%)", share * 100.0),
            share <= OFF_GRID_ALLOWED,
        ),
    ]
}

/// The grid checks of `pdf`, or, when they cannot be measured (mutool missing, a PDF too
/// complex), a check that says why and does not pass.
pub(crate) fn measure_grid(pdf: &Path, budget: Budget) -> Vec<Check> {
    match body_lines(pdf, budget) {
        Ok(pages) => grid_checks(&pages),
        Err(why) => vec![not_measured("C7 字符网格 character grid", &why)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of `text` starting at column `from`, each glyph `advance` cells after the last.
    fn line(text: &str, from: f64, advances: &dyn Fn(char) -> f64) -> Vec<Glyph> {
        let mut x = LEFT + from * CELL;
        text.chars()
            .map(|c| {
                let glyph = Glyph { x, c };
                x += advances(c) * CELL;
                glyph
            })
            .collect()
    }

    fn verdicts(pages: &[Vec<Vec<Glyph>>]) -> Vec<(bool, String)> {
        grid_checks(pages)
            .into_iter()
            .map(|c| (c.pass, c.measured))
            .collect()
    }

    #[test]
    fn a_line_on_the_grid_passes_and_a_squeezed_mark_fails_both_checks() {
        let text = "坚持党政同责、一岗双责、齐抓共管、失职追责，坚持管行业必须管安全";
        assert_eq!(text.chars().count(), 32);
        let whole = line(&text.chars().take(28).collect::<String>(), 0.0, &|_| 1.0);
        let ok = verdicts(&[vec![whole]]);
        assert!(ok.iter().all(|(pass, _)| *pass), "{ok:?}");

        // Every 、 and ， in half a cell: 28 characters and the four marks squeezed in.
        let squeezed = line(text, 0.0, &|c| if is_mark(c) { 0.5 } else { 1.0 });
        let bad = verdicts(&[vec![squeezed]]);
        assert!(!bad[0].0 && bad[0].1.starts_with("4/4"), "{bad:?}");
        assert!(!bad[1].0, "{bad:?}");
    }

    #[test]
    fn short_lines_and_other_sizes_are_not_judged_on_the_grid() {
        // The last line of a paragraph, shifted half a cell: not a full line.
        let short = line("管业务，必须管安全。", 0.5, &|_| 1.0);
        let checks = verdicts(&[vec![short]]);
        assert!(checks[1].0 && checks[1].1.starts_with("0/0"), "{checks:?}");
    }

    #[test]
    fn mutools_structured_text_gives_body_glyphs_in_order() {
        let xml = r#"<?xml version="1.0"?><document name="x.pdf">
<page id="page1" width="595.2756" height="841.8898"><block><line>
<font name="FangSong" size="16"><char x="95.16" c="责"/><char x="79.37" c="同"/><char x="110.95" c=" "/></font>
<font name="Number" size="14"><char x="300" c="1"/></font>
</line></block></page>
<page id="page2" width="841.8898" height="595.2756"><block><line><font name="F" size="16"><char x="1" c="横"/><char x="2" c="页"/></font></line></block></page>
</document>"#;
        let pages = parse(&mut xml.as_bytes()).unwrap();
        assert_eq!(pages.len(), 1, "landscape pages are left out");
        let text: String = pages[0][0].iter().map(|g| g.c).collect();
        assert_eq!(text, "同责");
    }
}
