//! C1–C4, the checks that text positions decide: the type area's edges, the 22-line grid, the
//! title's size and place, and the page numbers ([`super::page_numbers`]). They work on the text
//! lines of every page and the page sizes only, so they are tested on made-up pages as well as on
//! real PDFs.

use super::page_numbers::page_number_check;
use super::{Check, TextLine, check, near, page_list};
use crate::gbt9704::{self as gb, MM};

/// Where a line's ink starts and ends: CJK punctuation at a line's ends may be set in half a
/// character (标点挤压), but its glyph box is a whole one (an em: the box's height). A closing
/// mark whose cell begins at the type area's right edge hangs outside it (Word's 允许标点溢出
/// 边界, qingdan's character grid): the line ends where that cell begins.
pub fn ink(line: &TextLine) -> (f64, f64) {
    let opening = line
        .text
        .starts_with(['（', '《', '〔', '“', '‘', '「', '『']);
    let closing = line.text.ends_with([
        '，', '。', '、', '；', '：', '？', '！', '）', '》', '」', '』', '”', '’', '〕',
    ]);
    (
        if opening {
            line.x0 + line.em() / 2.0
        } else {
            line.x0
        },
        if closing && near(line.x1 - line.em(), gb::TYPE_RIGHT * MM, 1.0 * MM) {
            line.x1 - line.em()
        } else if closing {
            line.x1 - line.em() / 2.0
        } else {
            line.x1
        },
    )
}

/// Where a full line ends: its box, or, when closing punctuation there was set in half a
/// character (the box then overhangs the type area), its ink. Whether a mark is compressed
/// depends on the typesetter (、。， usually are; ” often is not).
fn line_end(line: &TextLine) -> f64 {
    if near(line.x1, gb::TYPE_RIGHT * MM, 1.0 * MM) {
        line.x1
    } else {
        ink(line).1
    }
}

/// The middle of a line's ink (a title line may end in a half-width 、).
fn ink_centre(line: &TextLine) -> f64 {
    let (start, end) = ink(line);
    (start + end) / 2.0
}

/// The middle value of `values` (the upper one of an even count): what most pages measure.
fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

/// "；3/40 页不符 pages off: [2, 5, 9]" when some of the `of` pages measured are off, else "".
fn pages_off(off: &[usize], of: usize) -> String {
    if off.is_empty() {
        String::new()
    } else {
        format!("；{}/{of} 页不符 pages off: {}", off.len(), page_list(off))
    }
}

/// The checks that text positions decide (C1–C4), from each page's text lines and size.
///
/// A property of the layout is judged on every page it applies to, not on the best page: the
/// edges are the outermost text of all, and they must also be each page's own on most pages of
/// body text; most such pages hold 22 lines, none more. Every page carries its number, except
/// blank pages and a 版记 page after one (GB/T 9704 §7.5). One good page among a thousand bad
/// ones is a failure.
pub(crate) fn text_checks(pages: &[Vec<TextLine>], sizes: &[(f64, f64)]) -> Vec<Check> {
    let mut checks = Vec::new();
    let (width, height) = (gb::PAGE_WIDTH * MM, gb::PAGE_HEIGHT * MM);
    let a4 = sizes.iter().all(|&(w, h)| {
        (near(w, width, 1.0) && near(h, height, 1.0))
            || (near(w, height, 1.0) && near(h, width, 1.0))
    });
    checks.push(check(
        "C1 纸张 paper",
        format!("A4 {} × {} mm", gb::PAGE_WIDTH, gb::PAGE_HEIGHT),
        format!("{} 页 pages", sizes.len()),
        a4 && !sizes.is_empty(),
    ));

    let portrait: Vec<usize> = (0..pages.len())
        .filter(|&i| sizes.get(i).is_some_and(|&(w, _)| w < 700.0))
        .collect();
    let is_body = |l: &TextLine| near(l.em(), gb::BODY_SIZE, 0.4) && !l.text.is_empty();
    let is_number = |l: &TextLine| l.text.starts_with('—') && l.text.ends_with('—');
    // Pages of body text only (the page number aside): where each page's own edges must hold.
    let text_pages: Vec<usize> = portrait
        .iter()
        .copied()
        .filter(|&i| {
            pages[i].iter().any(is_body) && pages[i].iter().all(|l| is_body(l) || is_number(l))
        })
        .collect();
    let body: Vec<&TextLine> = portrait
        .iter()
        .flat_map(|&i| &pages[i])
        .filter(|l| is_body(l))
        .collect();
    // Checks of body text apply only where there is some (a landscape table has none).
    if !body.is_empty() {
        // The edge is the leftmost line of all; and on most pages of text it is that page's.
        let left = body.iter().map(|l| ink(l).0).fold(f64::INFINITY, f64::min);
        let off: Vec<usize> = text_pages
            .iter()
            .filter(|&&i| {
                let page_left = pages[i]
                    .iter()
                    .filter(|l| is_body(l))
                    .map(|l| ink(l).0)
                    .fold(f64::INFINITY, f64::min);
                !near(page_left, gb::LEFT * MM, 1.0 * MM)
            })
            .map(|&i| i + 1)
            .collect();
        checks.push(check(
            "C1 版心左边 left edge",
            format!("{:.1} ± 1 mm", gb::LEFT),
            format!("{:.1} mm{}", left / MM, pages_off(&off, text_pages.len())),
            near(left, gb::LEFT * MM, 1.0 * MM) && off.len() * 2 < text_pages.len().max(1),
        ));
        // The right edge is where full lines end: lines a paragraph wraps from, i.e. followed
        // one pitch lower by a line flush with the left edge.
        let full_line_ends = |i: usize| -> Vec<f64> {
            let lines: Vec<&TextLine> = pages[i]
                .iter()
                .filter(|l| near(l.em(), gb::BODY_SIZE, 0.4))
                .collect();
            lines
                .windows(2)
                .filter(|w| {
                    (27.0..=31.0).contains(&(w[1].y0 - w[0].y0))
                        && near(ink(w[1]).0, left, 1.0 * MM)
                })
                .map(|w| line_end(w[0]))
                .collect()
        };
        let full: Vec<f64> = portrait.iter().flat_map(|&i| full_line_ends(i)).collect();
        if let Some(right) = full.iter().copied().reduce(f64::max) {
            let mut measured_pages = 0;
            let off: Vec<usize> = text_pages
                .iter()
                .filter_map(|&i| {
                    let page_right = full_line_ends(i).into_iter().reduce(f64::max)?;
                    measured_pages += 1;
                    (!near(page_right, gb::TYPE_RIGHT * MM, 1.0 * MM)).then_some(i + 1)
                })
                .collect();
            checks.push(check(
                "C1 版心右边 right edge",
                format!("{:.1} ± 1 mm", gb::TYPE_RIGHT),
                format!("{:.1} mm{}", right / MM, pages_off(&off, measured_pages)),
                near(right, gb::TYPE_RIGHT * MM, 1.0 * MM) && off.len() * 2 < measured_pages.max(1),
            ));
        }
    }

    // C2: pages of body text only hold 22 lines; the pitch is the grid's. A page that ends a
    // part (the notice before the rules) holds fewer, so most pages must hold 22, none more.
    let mut counts = Vec::new();
    let mut crowded = Vec::new();
    let mut pitches = Vec::new();
    // Pages with a chapter heading (a short line centred in the type area), and the tops of
    // their lines: a heading takes one grid line, so every line after it stays on the grid.
    let mut headed: Vec<(usize, Vec<f64>)> = Vec::new();
    for &i in &portrait[..portrait.len().saturating_sub(1)] {
        let page = &pages[i];
        // A chapter heading: a short line centred in the type area, 3号 or larger.
        let is_heading = |l: &TextLine| {
            l.x1 - l.x0 < 20.0 * gb::CHAR
                && near(ink_centre(l), gb::TYPE_CENTRE * MM, 1.0 * MM)
                && l.em() < gb::TITLE_SIZE + 0.4
        };
        let body = |l: &TextLine| near(l.em(), gb::BODY_SIZE, 0.4);
        let lines: Vec<&TextLine> = page.iter().filter(|l| body(l)).collect();
        // Pages of body text and chapter headings (of any size) are judged on the grid.
        if page.iter().any(is_heading)
            && page
                .iter()
                .all(|l| body(l) || is_number(l) || is_heading(l))
        {
            headed.push((i + 1, lines.iter().map(|l| l.y0).collect()));
        }
        // Body text only: 16 pt lines and the page number (a table page has 14 pt rows).
        if page.iter().all(|l| body(l) || is_number(l)) {
            counts.push(lines.len() as f64);
            if lines.len() > gb::LINES {
                crowded.push(i + 1);
            }
            pitches.extend(lines.windows(2).map(|w| w[1].y0 - w[0].y0));
        }
    }
    if let Some(typical) = median(&counts) {
        let lines = gb::LINES as f64;
        let full = counts.iter().filter(|&&c| c == lines).count();
        let mut measured = format!("{typical}");
        if full < counts.len() {
            measured.push_str(&format!("（{full}/{} 页 pages）", counts.len()));
        }
        if !crowded.is_empty() {
            measured.push_str(&format!(
                "；超过 {lines} 行 over {lines}: {}",
                page_list(&crowded)
            ));
        }
        checks.push(check(
            "C2 每页行数 lines per page",
            gb::LINES.to_string(),
            measured,
            typical == lines && crowded.is_empty(),
        ));
    }
    if let (Some(pitch), false) = (median(&pitches), headed.is_empty()) {
        // Each line's distance from the page's first line, in grid lines, is whole.
        let off: Vec<usize> = headed
            .iter()
            .filter(|(_, tops)| {
                tops.iter().any(|y| {
                    let lines = (y - tops[0]) / pitch;
                    (lines - lines.round()).abs() > 0.15
                })
            })
            .map(|(page, _)| *page)
            .collect();
        checks.push(check(
            "C2 有章标题的页 pages with chapter headings",
            "每行在网格上 every line on the grid",
            format!(
                "{}/{} 页偏离 pages off{}",
                off.len(),
                headed.len(),
                if off.is_empty() {
                    String::new()
                } else {
                    format!(": {}", page_list(&off))
                }
            ),
            off.is_empty(),
        ));
    }
    if let Some(median) = median(&pitches) {
        checks.push(check(
            "C2 行距 line pitch",
            "28.9–29.8 pt",
            format!("{median:.2} pt"),
            (28.9..=29.8).contains(&median),
        ));
    }

    // C3: the sizes a 公文 uses.
    let title = pages.iter().enumerate().find_map(|(i, p)| {
        let landscape = sizes.get(i).is_some_and(|&(w, _)| w > 700.0);
        // A landscape type area lies where the portrait one does on the sheet: 35–260 mm.
        let centre = if landscape {
            gb::BOTTOM + gb::TYPE_HEIGHT / 2.0
        } else {
            gb::TYPE_CENTRE
        };
        p.iter()
            .find(|l| near(l.em(), gb::TITLE_SIZE, 0.4))
            .map(|l| (l, centre))
    });
    checks.push(check(
        "C3 标题 title",
        format!(
            "{} pt（2号），版心居中 centred in the type area",
            gb::TITLE_SIZE
        ),
        title.map_or("无 / none".to_owned(), |(t, _)| {
            format!("{:.1} pt at {:.1} mm", t.em(), ink_centre(t) / MM)
        }),
        // By its ink, or by its boxes where the typesetter sets a closing mark at the line's
        // end in a whole character (Word and LibreOffice without 标点挤压 do): either way the
        // line stands in the middle.
        title.is_some_and(|(t, centre)| {
            near(ink_centre(t), centre * MM, 1.0 * MM)
                || near((t.x0 + t.x1) / 2.0, centre * MM, 1.0 * MM)
        }),
    ));

    checks.push(page_number_check(pages, sizes));
    checks
}
