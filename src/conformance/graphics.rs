//! The graphics of a page that text extraction cannot see: ruled lines (the red separator, the
//! 版记 rules) and the colour of glyphs (the red 发文机关标志).
//!
//! mupdf's `mutool draw -F trace` tells every drawing operation of a page as it draws it, with
//! its colour and its transform into page space (points from the top-left corner, the space of
//! `pdftotext -bbox`). It prints as it goes, so a page of a million lines is cut short by the
//! run's [`Budget`] after a few megabytes; poppler's `pdftocairo -svg`, used before, built the
//! whole SVG in memory first (131 KB of line drawings took it 5.8 GB). Only what the checks need
//! is kept: straight two-point stroked paths and the fill colour of glyphs.

use std::ffi::OsStr;
use std::io::BufRead;
use std::path::Path;

use super::tool::{self, Budget, MUTOOL, Unmeasured, path_arg};
use super::xml::{Element, Step, each};

/// A straight stroked line, in points from the page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
    /// Stroke width in points.
    pub(crate) width: f64,
    /// Stroke colour, each channel 0–1.
    pub(crate) rgb: [f64; 3],
}

impl Rule {
    pub(crate) fn length(&self) -> f64 {
        (self.x1 - self.x0).hypot(self.y1 - self.y0)
    }

    pub(crate) fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() < 0.5
    }
}

/// A glyph drawn in a colour: its origin (on the baseline) and fill colour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) rgb: [f64; 3],
}

/// What one page draws.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageGraphics {
    pub(crate) rules: Vec<Rule>,
    pub(crate) glyphs: Vec<Glyph>,
}

/// Red as the standard's print tolerances accept it (shared/spec/gbt9704.md §11 C5).
pub(crate) fn is_red(rgb: [f64; 3]) -> bool {
    rgb[0] >= 0.8 && rgb[1] <= 0.35 && rgb[2] <= 0.35
}

/// The graphics of page `page` (1-based) of `pdf`.
pub(crate) fn page_graphics(
    pdf: &Path,
    page: usize,
    budget: Budget,
) -> Result<PageGraphics, Unmeasured> {
    let file = path_arg(pdf);
    let page = page.to_string();
    let args: Vec<&OsStr> = ["draw", "-F", "trace", "-o", "-"]
        .map(OsStr::new)
        .into_iter()
        .chain([file.as_os_str(), OsStr::new(&page)])
        .collect();
    tool::read(MUTOOL, &args, budget, parse_trace)
}

/// An affine transform `[a b c d e f]`, as PDF writes them.
type Matrix = [f64; 6];

/// A stroked path being read: its width, colour, transform and points so far (up to three:
/// a third point means it is no straight line).
struct Stroke {
    width: f64,
    rgb: Option<[f64; 3]>,
    matrix: Matrix,
    points: Vec<(f64, f64)>,
    moves: usize,
}

/// Reads mutool's trace of a page: `<stroke_path linewidth colorspace color transform>` with
/// `<moveto>` and `<lineto>` inside for lines, and `<fill_text color transform>` with
/// `<g x y>` inside for glyphs.
pub(crate) fn parse_trace(out: &mut dyn BufRead) -> Result<PageGraphics, String> {
    let mut graphics = PageGraphics::default();
    let mut stroke: Option<Stroke> = None;
    // The colour and transform of the text being drawn.
    let mut text: Option<(Option<[f64; 3]>, Matrix)> = None;
    each(out, |step| {
        match step {
            Step::Open(e) => match e.name() {
                "stroke_path" => {
                    stroke = Some(Stroke {
                        width: e.number("linewidth"),
                        rgb: colour(&e),
                        matrix: matrix(&e),
                        points: Vec::new(),
                        moves: 0,
                    });
                }
                "moveto" | "lineto" => {
                    if let Some(s) = stroke.as_mut()
                        && s.points.len() < 3
                    {
                        s.moves += usize::from(e.name() == "moveto");
                        s.points.push((e.number("x"), e.number("y")));
                    }
                }
                "curveto" | "closepath" => {
                    if let Some(s) = stroke.as_mut() {
                        s.points.push((f64::NAN, f64::NAN));
                    }
                }
                "fill_text" => text = Some((colour(&e), matrix(&e))),
                "g" => {
                    if let Some((Some(rgb), m)) = text {
                        let (x, y) = apply(m, e.number("x"), e.number("y"));
                        graphics.glyphs.push(Glyph { x, y, rgb });
                    }
                }
                _ => {}
            },
            Step::Close("stroke_path") => {
                if let Some(rule) = stroke.take().and_then(rule) {
                    graphics.rules.push(rule);
                }
            }
            Step::Close("fill_text") => text = None,
            _ => {}
        }
        Ok(())
    })?;
    Ok(graphics)
}

/// A stroke of one move and one line, in page space.
fn rule(stroke: Stroke) -> Option<Rule> {
    let [(x0, y0), (x1, y1)] = stroke.points[..] else {
        return None;
    };
    if stroke.moves != 1 || [x0, y0, x1, y1].iter().any(|v| !v.is_finite()) {
        return None;
    }
    let m = stroke.matrix;
    let (x0, y0) = apply(m, x0, y0);
    let (x1, y1) = apply(m, x1, y1);
    Some(Rule {
        x0: x0.min(x1),
        y0,
        x1: x0.max(x1),
        y1,
        width: stroke.width * (m[0] * m[3] - m[1] * m[2]).abs().sqrt(),
        rgb: stroke.rgb?,
    })
}

fn apply(m: Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// An element's `transform="a b c d e f"`, the identity when it has none.
fn matrix(e: &Element) -> Matrix {
    let numbers: Option<Vec<f64>> = e.attr("transform").map(|t| {
        t.split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect()
    });
    numbers
        .and_then(|n| n.try_into().ok())
        .unwrap_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
}

/// An element's `color` as RGB, each channel 0–1, read by its number of components (gray, RGB,
/// CMYK), whatever the colour space is called.
fn colour(e: &Element) -> Option<[f64; 3]> {
    let c: Vec<f64> = e
        .attr("color")?
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match c[..] {
        [g] => Some([g, g, g]),
        [r, g, b] => Some([r, g, b]),
        [c, m, y, k] => Some([
            (1.0 - c) * (1.0 - k),
            (1.0 - m) * (1.0 - k),
            (1.0 - y) * (1.0 - k),
        ]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0"?>
<document name="x.pdf">
<page mediabox="0 0 595.2756 841.8898">
<fill_text colorspace="DeviceRGB" color="1 0 0" transform="1 0 0 1 88.1 239.8">
    <span font="X" wmode="0" bidi="0" trm="22 0 0 -22">
        <g unicode="株" glyph="1" x="0" y="0" adv="1"/>
    </span>
</fill_text>
<fill_text colorspace="DeviceGray" color="0" transform="1 0 0 1 100 300">
    <span font="X" wmode="0" bidi="0" trm="16 0 0 -16"><g unicode="大" glyph="1" x="0" y="0" adv="1"/></span>
</fill_text>
<stroke_path linewidth="1.4173229" colorspace="DeviceRGB" color="1 0 0" transform="0.998785 0 0 0.998785 79.273611 380.295297">
    <moveto x="-0.0002" y="0.0016"/>
    <lineto x="442.205" y="0.0016"/>
</stroke_path>
<stroke_path linewidth="1" colorspace="DeviceCMYK" color="0 0 0 1" transform="1 0 0 1 0 0">
    <moveto x="0" y="0"/><lineto x="10" y="0"/><lineto x="10" y="10"/><closepath/>
</stroke_path>
</page>
</document>"#;

    #[test]
    fn reads_lines_and_coloured_glyphs() {
        let g = parse_trace(&mut SAMPLE.as_bytes()).unwrap();
        assert_eq!(g.glyphs.len(), 2);
        assert!(is_red(g.glyphs[0].rgb) && !is_red(g.glyphs[1].rgb));
        assert_eq!((g.glyphs[0].x, g.glyphs[0].y), (88.1, 239.8));
        // The closed path is not a rule; the red separator is, transformed to page space.
        assert_eq!(g.rules.len(), 1);
        let r = &g.rules[0];
        assert!(is_red(r.rgb) && r.is_horizontal());
        assert!(
            (r.x0 - 79.27).abs() < 0.01 && (r.x1 - 520.94).abs() < 0.01,
            "{r:?}"
        );
        assert!((r.y0 - 380.30).abs() < 0.01);
        assert!((r.width - 1.4156).abs() < 0.001, "{}", r.width);
    }

    #[test]
    fn cmyk_red_is_red() {
        let e = r#"<p color="0 1 1 0"/>"#;
        let mut found = None;
        each(&mut e.as_bytes(), |step| {
            if let Step::Open(e) = step {
                found = colour(&e);
            }
            Ok(())
        })
        .unwrap();
        assert!(is_red(found.unwrap()));
    }
}
