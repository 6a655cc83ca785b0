//! C1–C4, the checks that text positions decide: the type area's edges, the 22-line grid, the
//! title's size and place, and the page numbers. They work on the text lines of every page and
//! the page sizes only, so they are tested on made-up pages as well as on real PDFs.

use super::{Check, TextLine, check, near};
use crate::gbt9704::{self as gb, MM};

/// Where a line's ink starts and ends: CJK punctuation at a line's ends is set in half a
/// character (标点挤压), but its glyph box is a whole one (an em: the box's height).
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
        if closing {
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

/// Page numbers (1-based) for a report, the first ten of them.
fn page_list(pages: &[usize]) -> String {
    let shown: Vec<String> = pages.iter().take(10).map(usize::to_string).collect();
    let more = if pages.len() > 10 { ", …" } else { "" };
    format!("[{}{more}]", shown.join(", "))
}

/// The checks that text positions decide (C1–C4), from each page's text lines and size.
///
/// A property of the layout is judged on every page it applies to, not on the best page: the
/// edges are the outermost text of all, and they must also be each page's own on most pages of
/// body text; most such pages hold 22 lines, none more. Every page carries its number, except
/// blank pages and a 版记 page after one (GB/T 9704 §7.5). One good page among a thousand bad
/// ones is a failure.
pub fn text_checks(pages: &[Vec<TextLine>], sizes: &[(f64, f64)]) -> Vec<Check> {
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
    for &i in &portrait[..portrait.len().saturating_sub(1)] {
        let page = &pages[i];
        // Body text only: 16 pt lines and the page number (a table page has 14 pt rows).
        if page
            .iter()
            .all(|l| near(l.em(), gb::BODY_SIZE, 0.4) || is_number(l))
        {
            let lines: Vec<&TextLine> = page
                .iter()
                .filter(|l| near(l.em(), gb::BODY_SIZE, 0.4))
                .collect();
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
        title.is_some_and(|(t, centre)| near(ink_centre(t), centre * MM, 1.0 * MM)),
    ));

    checks.push(page_number_check(pages, sizes));
    checks
}

/// C4: page numbers "— N —" at 14 pt, outer side, 7 mm below the type area, on every page but
/// blank ones and a 版记 page after a blank one.
fn page_number_check(pages: &[Vec<TextLine>], sizes: &[(f64, f64)]) -> Check {
    let mut numbered = 0;
    let mut unnumbered = Vec::new();
    let mut misplaced = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let label = format!("—{n}—");
        let Some(number) = page
            .iter()
            .find(|l| l.text.split_whitespace().collect::<String>() == label)
        else {
            let blank = page.is_empty();
            let colophon_after_blank = n == pages.len() && i > 0 && pages[i - 1].is_empty();
            if !blank && !colophon_after_blank {
                unnumbered.push(n);
            }
            continue;
        };
        numbered += 1;
        let landscape = sizes.get(i).is_some_and(|&(w, _)| w > 700.0);
        // A landscape page's number is checked where it lands on the portrait sheet.
        let number = if landscape {
            on_portrait_sheet(number)
        } else {
            number.clone()
        };
        let size = gb::SMALL_SIZE;
        let dash = (number.y0 + number.y1) / 2.0 - 0.08 * size;
        let x_ok = if n % 2 == 1 {
            near(number.x1, gb::TYPE_RIGHT * MM - size, 1.0 * MM)
        } else {
            near(number.x0, gb::LEFT * MM + size, 1.0 * MM)
        };
        let drop = (gb::TYPE_BOTTOM + gb::PAGE_NUMBER_DROP) * MM;
        if !(near(number.em(), size, 0.4) && near(dash, drop, 1.5 * MM) && x_ok) {
            misplaced.push(n);
        }
    }
    check(
        "C4 页码 page numbers",
        format!(
            "— N —, {} pt, 版心下 {} mm, 单页右/双页左 outer side",
            gb::SMALL_SIZE,
            gb::PAGE_NUMBER_DROP
        ),
        format!(
            "{numbered}/{} 页有页码 numbered, 缺页码 missing: {}, 位置不符 misplaced: {}",
            pages.len(),
            page_list(&unnumbered),
            page_list(&misplaced)
        ),
        numbered > 0 && unnumbered.is_empty() && misplaced.is_empty(),
    )
}

/// Where a box of a landscape page lands on the portrait sheet it is bound into, turned 90°
/// counter-clockwise (the page's top along the sheet's left edge, as GB/T 9704 §8 binds tables):
/// landscape (x, y) is portrait (y, 297 mm − x).
pub fn on_portrait_sheet(line: &TextLine) -> TextLine {
    TextLine {
        x0: line.y0,
        x1: line.y1,
        y0: gb::PAGE_HEIGHT * MM - line.x1,
        y1: gb::PAGE_HEIGHT * MM - line.x0,
        text: line.text.clone(),
        size: line.size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A4: (f64, f64) = (595.28, 841.89);

    fn line(x0_mm: f64, x1_mm: f64, y0: f64, height: f64, text: &str) -> TextLine {
        TextLine {
            x0: x0_mm * MM,
            x1: x1_mm * MM,
            y0,
            y1: y0 + height,
            text: text.to_owned(),
            size: None,
        }
    }

    /// Page `n` of body text: `lines` lines on the 22-line grid from `left` to `right` (mm), the
    /// first indented two characters; with its page number where the standard puts it.
    fn page(n: usize, lines: usize, left: f64, right: f64, numbered: bool) -> Vec<TextLine> {
        let mut page: Vec<TextLine> = (0..lines)
            .map(|i| {
                let indent = if i == 0 { 2.0 * 16.0 / MM } else { 0.0 };
                line(
                    left + indent,
                    right,
                    37.0 * MM + i as f64 * 29.6,
                    16.0,
                    "正文正文",
                )
            })
            .collect();
        if numbered {
            let top = 269.0 * MM + 0.08 * 14.0 - 7.0;
            let (x0, x1) = if n % 2 == 1 {
                (184.0 - 14.0 / MM - 20.0, 184.0 - 14.0 / MM)
            } else {
                (28.0 + 14.0 / MM, 28.0 + 14.0 / MM + 20.0)
            };
            page.push(line(x0, x1, top, 14.0, &format!("— {n} —")));
        }
        page
    }

    fn verdict(checks: &[Check], name: &str) -> (bool, String) {
        let c = checks
            .iter()
            .find(|c| c.name.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {checks:#?}"));
        (c.pass, c.measured.clone())
    }

    fn measure(pages: &[Vec<TextLine>]) -> Vec<Check> {
        text_checks(pages, &vec![A4; pages.len()])
    }

    #[test]
    fn a_well_laid_document_passes() {
        let mut pages: Vec<_> = (1..=6).map(|n| page(n, 22, 28.0, 184.0, true)).collect();
        pages.push(page(7, 9, 28.0, 184.0, true));
        let checks = measure(&pages);
        for name in ["C1 版心左边", "C1 版心右边", "C2 每页行数", "C2 行距", "C4"] {
            let (pass, measured) = verdict(&checks, name);
            assert!(pass, "{name}: {measured}");
        }
    }

    /// One page that passes among many that fail is a failure, for every check measured per page.
    #[test]
    fn a_check_fails_when_most_pages_fail_it() {
        // (check, pages): 18 of 1,512 pages numbered; one page at the left edge, the rest 12 mm
        // in; one page reaching the right edge, the rest 14 mm short; one page of 22 lines, the
        // rest of 15.
        let cases: Vec<(&str, Vec<Vec<TextLine>>)> = vec![
            (
                "C4",
                (1..=1512)
                    .map(|n| page(n, 22, 28.0, 184.0, n % 84 == 0))
                    .collect(),
            ),
            (
                "C1 版心左边",
                (1..=100)
                    .map(|n| page(n, 22, if n == 1 { 28.0 } else { 40.0 }, 184.0, true))
                    .collect(),
            ),
            (
                "C1 版心右边",
                (1..=100)
                    .map(|n| page(n, 22, 28.0, if n == 1 { 184.0 } else { 170.0 }, true))
                    .collect(),
            ),
            (
                "C2 每页行数",
                (1..=10)
                    .map(|n| page(n, if n == 1 { 22 } else { 15 }, 28.0, 184.0, true))
                    .collect(),
            ),
        ];
        for (name, pages) in cases {
            let (pass, measured) = verdict(&measure(&pages), name);
            assert!(!pass, "{name} passed: {measured}");
        }
    }

    #[test]
    fn page_numbers_may_be_missing_only_on_blank_pages_and_a_colophon_after_one() {
        let mut pages: Vec<_> = (1..=3).map(|n| page(n, 22, 28.0, 184.0, true)).collect();
        pages.push(Vec::new());
        pages.push(vec![line(
            28.0,
            184.0,
            240.0 * MM,
            16.0,
            "株洲市教育局办公室2019年8月20日印发",
        )]);
        let (pass, measured) = verdict(&measure(&pages), "C4");
        assert!(pass, "{measured}");
        // The same 版记 page without the blank page before it must be numbered.
        pages.remove(3);
        let (pass, measured) = verdict(&measure(&pages), "C4");
        assert!(
            !pass && measured.contains("缺页码 missing: [4]"),
            "{measured}"
        );
    }
}
