//! The text checks (C1–C4) on made-up pages: a well-laid document passes, and each check
//! fails when most pages fail it, whatever the one page that passes.

use super::{Check, TextLine, text_checks};
use crate::gbt9704::MM;

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

/// A chapter heading set larger than a grid line pushes the lines after it off the grid: the
/// page is named, though it may still hold 22 lines and the pitch be the grid's elsewhere.
#[test]
fn a_chapter_heading_off_the_grid_is_found() {
    let headed = |shift: f64| {
        let mut pages: Vec<Vec<TextLine>> =
            (1..=4).map(|n| page(n, 22, 28.0, 184.0, true)).collect();
        // Line 6 of page 2 becomes a centred 第二章 heading; the lines below move by `shift`.
        let heading = &mut pages[1][5];
        heading.x0 = 96.0 * MM;
        heading.x1 = 116.0 * MM;
        for l in pages[1].iter_mut().skip(6).filter(|l| l.text == "正文正文") {
            l.y0 += shift;
            l.y1 += shift;
        }
        let checks = text_checks(&pages, &[A4; 4]);
        let c = checks
            .iter()
            .find(|c| c.name.starts_with("C2 有章标题"))
            .expect("the heading page is measured");
        (c.pass, c.measured.clone())
    };
    let (pass, measured) = headed(0.0);
    assert!(pass, "{measured}");
    let (pass, measured) = headed(7.0);
    assert!(!pass && measured.contains("[2]"), "{measured}");
}

#[test]
fn a_title_is_centred_by_its_ink_or_by_its_boxes() {
    let centre = crate::gbt9704::TYPE_CENTRE;
    let title_page = |x0: f64, text: &str| {
        let width = 20.0 * 22.0 / MM;
        let mut p = page(1, 22, 28.0, 184.0, true);
        p.insert(0, line(x0, x0 + width, 37.0 * MM, 22.0, text));
        p
    };
    let c3 = |x0: f64, text: &str| verdict(&measure(&[title_page(x0, text)]), "C3").0;
    let width = 20.0 * 22.0 / MM;
    let boxed = centre - width / 2.0;
    // A typesetter that sets the line's last 、 in a whole character centres the boxes…
    assert!(c3(boxed, "大栗港镇党政领导干部安全生产“党政同责、"));
    // …one that sets it in half a character centres the ink, the box a quarter em right.
    assert!(c3(
        boxed + 22.0 / 4.0 / MM,
        "大栗港镇党政领导干部安全生产“党政同责、"
    ));
    assert!(c3(boxed, "大栗港镇党政领导干部安全生产党政同责一"));
    // Off by 3 mm either way, it is not centred.
    assert!(!c3(boxed + 3.0, "大栗港镇党政领导干部安全生产“党政同责、"));
    assert!(!c3(boxed - 3.0, "大栗港镇党政领导干部安全生产党政同责一"));
}
