//! C5 and C6, the furniture a page's drawing shows: the red 发文机关标志 and the red rule under the
//! 发文字号 on page 1, and the 版记 rules on the last page.

use std::path::Path;

use super::graphics::{Rule, is_red, page_graphics};
use super::tool::{Budget, Unmeasured};
use super::{Check, TextLine, check, near, not_measured};
use crate::gbt9704::{self as gb, MM};

/// A rule at least this long (mm) is one across the type area, not a table's or a glyph's line.
const LONG_RULE: f64 = 150.0;

/// Whether a rule runs from the type area's left edge to its right one (±1 mm).
fn spans_type_area(rule: &Rule) -> bool {
    near(rule.x0, gb::LEFT * MM, 1.0 * MM) && near(rule.x1, gb::TYPE_RIGHT * MM, 1.0 * MM)
}

/// The checks of the banner, the red rule and the 版记 rules, where `pdf` (whose text lines are
/// `pages`) has them; the graphics of a page are read under `budget`, and checks that need them
/// say so when they cannot be.
pub(super) fn furniture_checks(pdf: &Path, pages: &[Vec<TextLine>], budget: Budget) -> Vec<Check> {
    let mut checks = Vec::new();
    // C5: the red banner, when there is one: the largest text on page 1, 35 mm below the type area,
    // in red; the red rule across the type area 4 mm under the 发文字号.
    let banner = pages.first().and_then(|p| banner_box(p));
    if let Some(banner) = &banner {
        let top = gb::TOP + gb::BANNER_DROP;
        checks.push(check(
            "C5 发文机关标志 banner",
            format!("上边缘 top {top} ± 1.5 mm，居中 centred"),
            format!(
                "{:.1} mm, centre {:.1} mm",
                banner.y0 / MM,
                banner.centre_x() / MM
            ),
            near(banner.y0, top * MM, 1.5 * MM)
                && near(banner.centre_x(), gb::TYPE_CENTRE * MM, 1.0 * MM),
        ));
    }
    let first = match page_graphics(pdf, 1, budget) {
        Ok(first) => first,
        Err(why) => {
            // Without a banner, page 1 may have no red rule to check; but a page too complex
            // to draw is said to be, whatever it holds.
            if banner.is_some() || matches!(why, Unmeasured::TooComplex { .. }) {
                checks.push(not_measured(
                    "C5 红色标志、红色分隔线 red banner, red rule",
                    &why,
                ));
            }
            checks.extend(colophon(pdf, pages, budget));
            return checks;
        }
    };
    let red_rule = first
        .rules
        .iter()
        .find(|r| is_red(r.rgb) && r.is_horizontal() && r.length() > LONG_RULE * MM);
    if let Some(banner) = &banner {
        let glyphs: Vec<_> = first
            .glyphs
            .iter()
            .filter(|g| g.y >= banner.y0 && g.y <= banner.y1 + 2.0)
            .collect();
        let red = glyphs.iter().filter(|g| is_red(g.rgb)).count();
        checks.push(check(
            "C5 红色标志 red banner",
            "全部为红色 all red (R ≥ 0.8, G, B ≤ 0.35)",
            format!("{red}/{} 字为红色 glyphs red", glyphs.len()),
            !glyphs.is_empty() && red == glyphs.len(),
        ));
    }
    if banner.is_some() || red_rule.is_some() {
        checks.push(red_rule_check(&pages[0], red_rule));
    }
    checks.extend(colophon(pdf, pages, budget));
    checks
}

/// C6, where the last page has a 版记.
fn colophon(pdf: &Path, pages: &[Vec<TextLine>], budget: Budget) -> Option<Check> {
    // C6: the 版记 rules on the last page: 156 mm wide, the outer ones 0.35 mm, the inner 0.25 mm,
    // the last on the type area's bottom edge.
    // The 版记 is found by its text (抄送 row, …印发 row); its rules are the long ones from just
    // above its first row down.
    let last = pages.len();
    let colophon_top = pages.last().and_then(|page| {
        page.iter()
            .find(|l| l.text.starts_with("抄送") || l.text.ends_with("印发"))
            .map(|l| l.y0)
    });
    let top = colophon_top?;
    let graphics = match page_graphics(pdf, last, budget) {
        Ok(graphics) => graphics,
        Err(why) => return Some(not_measured("C6 版记 colophon rules", &why)),
    };
    let rules: Vec<Rule> = graphics
        .rules
        .into_iter()
        .filter(|r| r.is_horizontal() && r.length() > LONG_RULE * MM && r.y0 > top - 8.0 * MM)
        .collect();
    Some(colophon_check(&rules, last))
}

/// The 发文机关标志 on page 1: its largest text, all lines of it (a joint banner stacks the
/// organs' names), as one box.
fn banner_box(page: &[TextLine]) -> Option<TextLine> {
    let size = page
        .iter()
        // Horizontal text only: a landscape page's turned page number is tall and narrow.
        .filter(|l| l.x1 - l.x0 > l.height())
        .map(TextLine::em)
        .filter(|&h| h > 24.0)
        .max_by(f64::total_cmp)?;
    let lines: Vec<&TextLine> = page.iter().filter(|l| near(l.em(), size, 0.5)).collect();
    Some(TextLine {
        x0: lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min),
        y0: lines.iter().map(|l| l.y0).fold(f64::INFINITY, f64::min),
        x1: lines.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max),
        y1: lines.iter().map(|l| l.y1).fold(f64::NEG_INFINITY, f64::max),
        text: lines.iter().map(|l| l.text.as_str()).collect(),
        size: Some(size),
    })
}

/// C5: the red rule spans the type area, its top 4 mm under the 发文字号 line above it.
fn red_rule_check(page: &[TextLine], rule: Option<&Rule>) -> Check {
    let expected = format!(
        "{} → {} mm，发文字号下 {} ± 1 mm under the 发文字号",
        gb::LEFT,
        gb::TYPE_RIGHT,
        gb::RED_RULE_GAP
    );
    let Some(rule) = rule else {
        return check("C5 红色分隔线 red rule", expected, "无 / none", false);
    };
    let top = rule.y0 - rule.width / 2.0;
    let number = page.iter().rfind(|l| l.y1 < top);
    let below = number.map(|n| (top - n.y1) / MM);
    check(
        "C5 红色分隔线 red rule",
        expected,
        format!(
            "{:.1} → {:.1} mm, {}",
            rule.x0 / MM,
            rule.x1 / MM,
            below.map_or("上方无文字 no text above".to_owned(), |b| format!(
                "{b:.1} mm 下 under"
            ))
        ),
        spans_type_area(rule) && below.is_some_and(|b| near(b, gb::RED_RULE_GAP, 1.0)),
    )
}

/// C6: the 版记 rules of the last page, top to bottom.
fn colophon_check(rules: &[Rule], page: usize) -> Check {
    let mut rules = rules.to_vec();
    rules.sort_by(|a, b| a.y0.total_cmp(&b.y0));
    let widths: Vec<String> = rules
        .iter()
        .map(|r| format!("{:.2}", r.width / MM))
        .collect();
    let lowest = rules.last().map_or(0.0, |r| r.y0);
    let widths_ok = rules.iter().enumerate().all(|(i, r)| {
        let want = if i == 0 || i == rules.len() - 1 {
            gb::COLOPHON_OUTER_RULE
        } else {
            gb::COLOPHON_INNER_RULE
        };
        near(r.width / MM, want, 0.05)
    });
    let spans = rules.iter().all(spans_type_area);
    let parity = if page.is_multiple_of(2) {
        "偶数页 even page"
    } else {
        "奇数页 odd page (应为偶数页 should be even)"
    };
    check(
        "C6 版记 colophon rules",
        format!(
            "{} → {} mm；粗细 {outer} / {} / {outer} mm；末线 last at {} ± 0.5 mm",
            gb::LEFT,
            gb::TYPE_RIGHT,
            gb::COLOPHON_INNER_RULE,
            gb::TYPE_BOTTOM,
            outer = gb::COLOPHON_OUTER_RULE,
        ),
        format!(
            "第{page}页 {parity}；粗细 widths [{}] mm；末线 last at {:.1} mm",
            widths.join(", "),
            lowest / MM
        ),
        rules.len() >= 2 && widths_ok && spans && near(lowest, gb::TYPE_BOTTOM * MM, 0.5 * MM),
    )
}
