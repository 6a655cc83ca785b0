//! The graphics of a page that text extraction cannot see: ruled lines (the red separator, the
//! 版记 rules) and the colour of glyphs (the red 发文机关标志).
//!
//! poppler's `pdftocairo -svg` draws the page as SVG with resolved colours and coordinates in
//! points from the top-left corner, the same space as `pdftotext -bbox`. Only what the checks
//! need is read, with an XML parser: straight two-point stroked paths and the fill colour of
//! glyph groups.

use super::poppler::run;

/// A straight stroked line, in points from the page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// Stroke width in points.
    pub width: f64,
    /// Stroke colour, each channel 0–1.
    pub rgb: [f64; 3],
}

impl Rule {
    pub fn length(&self) -> f64 {
        (self.x1 - self.x0).hypot(self.y1 - self.y0)
    }

    pub fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() < 0.5
    }
}

/// A glyph drawn in a colour: its origin (on the baseline) and fill colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub x: f64,
    pub y: f64,
    pub rgb: [f64; 3],
}

/// What one page draws.
#[derive(Debug, Clone, Default)]
pub struct PageGraphics {
    pub rules: Vec<Rule>,
    pub glyphs: Vec<Glyph>,
}

/// Red as the standard's print tolerances accept it (shared/spec/gbt9704.md §11 C5).
pub fn is_red(rgb: [f64; 3]) -> bool {
    rgb[0] >= 0.8 && rgb[1] <= 0.35 && rgb[2] <= 0.35
}

/// The graphics of page `page` (1-based) of `pdf`.
pub fn page_graphics(pdf: &std::path::Path, page: usize) -> Result<PageGraphics, String> {
    let n = page.to_string();
    let svg = run(
        "pdftocairo",
        &["-svg", "-f", &n, "-l", &n, &pdf.to_string_lossy(), "-"],
    )?;
    parse_svg(&svg)
}

/// Reads cairo's SVG: `<path style="…stroke:rgb(…)…" d="M x y L x y" transform="matrix(…)"/>`
/// for lines, and `<g style="fill:rgb(…)…"><use … x= y=/>…</g>` for glyphs.
pub fn parse_svg(svg: &str) -> Result<PageGraphics, String> {
    let doc = roxmltree::Document::parse(svg).map_err(|e| format!("pdftocairo: {e}"))?;
    let mut graphics = PageGraphics::default();
    // Glyph outlines live in <defs>; only what is drawn outside them counts.
    let drawn = doc
        .descendants()
        .filter(|n| n.is_element() && !n.ancestors().any(|a| a.has_tag_name("defs")));
    for node in drawn {
        if node.has_tag_name("use") {
            // The fill of the innermost group that sets one (a group without one inherits).
            let fill = node
                .ancestors()
                .filter(|a| a.has_tag_name("g"))
                .find_map(|g| style(g, "fill").and_then(rgb));
            if let (Some(rgb), Some(x), Some(y)) = (fill, attr(node, "x"), attr(node, "y")) {
                graphics.glyphs.push(Glyph { x, y, rgb });
            }
        } else if node.has_tag_name("path")
            && let Some(rule) = rule(node)
        {
            graphics.rules.push(rule);
        }
    }
    Ok(graphics)
}

fn rule(path: roxmltree::Node) -> Option<Rule> {
    let colour = rgb(style(path, "stroke")?)?;
    let width: f64 = style(path, "stroke-width")?.parse().ok()?;
    let d = path.attribute("d")?;
    let numbers: Vec<f64> = d
        .split_whitespace()
        .filter(|t| *t != "M" && *t != "L")
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let ops = d
        .split_whitespace()
        .filter(|t| *t == "M" || *t == "L")
        .count();
    if numbers.len() != 4 || ops != 2 {
        return None;
    }
    let [a, b, c, d_, e, f] = path
        .attribute("transform")
        .and_then(matrix)
        .unwrap_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    let at = |x: f64, y: f64| (a * x + c * y + e, b * x + d_ * y + f);
    let (x0, y0) = at(numbers[0], numbers[1]);
    let (x1, y1) = at(numbers[2], numbers[3]);
    Some(Rule {
        x0: x0.min(x1),
        y0,
        x1: x0.max(x1),
        y1,
        width: width * (a * d_ - b * c).abs().sqrt(),
        rgb: colour,
    })
}

/// A property of an element's `style="a:b;c:d"` attribute.
fn style<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute("style")?.split(';').find_map(|p| {
        let (key, value) = p.split_once(':')?;
        (key.trim() == name).then(|| value.trim())
    })
}

fn attr(node: roxmltree::Node, name: &str) -> Option<f64> {
    node.attribute(name)?.parse().ok()
}

/// `rgb(100%,0%,0%)` → [1, 0, 0].
fn rgb(value: &str) -> Option<[f64; 3]> {
    let inner = value.strip_prefix("rgb(")?.strip_suffix(')')?;
    let channels: Vec<f64> = inner
        .split(',')
        .map(|c| {
            c.trim()
                .trim_end_matches('%')
                .parse::<f64>()
                .map(|v| v / 100.0)
        })
        .collect::<Result<_, _>>()
        .ok()?;
    channels.try_into().ok()
}

/// `matrix(a,b,c,d,e,f)`.
fn matrix(value: &str) -> Option<[f64; 6]> {
    let inner = value.strip_prefix("matrix(")?.strip_suffix(')')?;
    let numbers: Vec<f64> = inner
        .split(',')
        .map(|n| n.trim().parse())
        .collect::<Result<_, _>>()
        .ok()?;
    numbers.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><g><symbol id="glyph0-0"><path style="stroke:none;" d="M 1 1 L 2 2 Z"/></symbol></g></defs>
<g style="fill:rgb(100%,0%,0%);fill-opacity:1;">
  <use xlink:href="#glyph1-1" x="88.1" y="239.8"/>
</g>
<g style="fill:rgb(0%,0%,0%);fill-opacity:1;">
  <use xlink:href="#glyph0-1" x="100" y="300"/>
</g>
<path style="fill:none;stroke-width:1.417323;stroke-linecap:butt;stroke:rgb(100%,0%,0%);stroke-opacity:1;" d="M -0.0002 0.0016 L 442.205 0.0016 " transform="matrix(0.998785,0,0,0.998785,79.273611,380.295297)"/>
<path style="fill:none;stroke-width:1;stroke:rgb(0%,0%,0%);" d="M 0 0 L 10 0 L 10 10 Z"/>
</svg>"##;

    #[test]
    fn reads_lines_and_coloured_glyphs() {
        let g = parse_svg(SAMPLE).unwrap();
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
}
