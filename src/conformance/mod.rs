//! Layout conformance: measures a PDF — qingdan's or anyone's — against GB/T 9704-2012 and says,
//! check by check, what was expected, what was measured and whether it passes.
//!
//! Text positions come from poppler's `pdftotext -bbox-layout` (word boxes in points from the
//! page's top-left) and page sizes from `pdfinfo`, so the checks see exactly what a reader of the
//! PDF sees. Tolerances follow shared/spec/gbt9704.md §11.

pub mod graphics;
mod text;

use std::path::Path;
use std::process::Command;

use crate::gbt9704::{self as gb, MM};
use graphics::{Rule, is_red, page_graphics};
pub use text::{ink, on_portrait_sheet, text_checks};

/// One text line, in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub struct TextLine {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
    /// The font size, where the PDF says it (`pdftohtml`): a box's height is the font's ascent
    /// to descent, which differs from font to font (1 em in qingdan's PDFs, 1.3 em in
    /// LibreOffice's), so sizes are told by the font size and not the box.
    pub size: Option<f64>,
}

impl TextLine {
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// The line's font size: as the PDF says it, or else its box's height.
    pub fn em(&self) -> f64 {
        self.size.unwrap_or_else(|| self.height())
    }

    pub fn centre_x(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Check {
    pub name: &'static str,
    pub expected: String,
    pub measured: String,
    pub pass: bool,
}

pub(crate) fn run(tool: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(tool).args(args).output().map_err(|e| {
        format!("需要 {tool}（apt-get install poppler-utils）/ {tool} is needed (apt-get install poppler-utils): {e}")
    })?;
    if !out.status.success() {
        return Err(format!(
            "{tool}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The text lines of every page. pdftotext splits a printed line at wide gaps, so boxes on the
/// same baseline and of the same size are joined again.
pub fn text_lines(pdf: &Path) -> Result<Vec<Vec<TextLine>>, String> {
    let xhtml = run("pdftotext", &["-bbox-layout", &pdf.to_string_lossy(), "-"])?;
    let doc = parse_xml(&xhtml)?;
    let mut pages = Vec::new();
    let mut widths = Vec::new();
    for page in doc.descendants().filter(|n| n.has_tag_name("page")) {
        widths.push(number(page, "width"));
        let mut lines: Vec<TextLine> = Vec::new();
        for tag in page.descendants().filter(|n| n.has_tag_name("line")) {
            let text: String = tag
                .children()
                .filter(|n| n.has_tag_name("word"))
                .map(|w| w.text().unwrap_or_default())
                .collect();
            let line = TextLine {
                x0: number(tag, "xMin"),
                y0: number(tag, "yMin"),
                x1: number(tag, "xMax"),
                y1: number(tag, "yMax"),
                text,
                size: None,
            };
            match lines
                .iter_mut()
                .find(|l| (l.y0 - line.y0).abs() < 0.5 && (l.height() - line.height()).abs() < 0.5)
            {
                Some(same) => {
                    same.x0 = same.x0.min(line.x0);
                    same.x1 = same.x1.max(line.x1);
                    same.text.push_str(&line.text);
                }
                None => lines.push(line),
            }
        }
        lines.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        pages.push(lines);
    }
    // Font sizes are a help, not a need: without them the boxes' heights stand in.
    if let Ok(sizes) = font_sizes(pdf) {
        for ((lines, (html_width, texts)), width) in pages.iter_mut().zip(&sizes).zip(widths) {
            // pdftohtml's units: its page width over the page's in points.
            let scale = if width > 0.0 { html_width / width } else { 1.0 };
            // Each line takes the size of the piece of text that overlaps it most (pdftohtml
            // may join pieces pdftotext keeps apart, such as 文件 beside a joint banner).
            for line in lines {
                let overlap = |t: &SizedText| {
                    let (top, bottom) = (t.top / scale, (t.top + t.height) / scale);
                    let horizontal = t.left / scale < line.x1 && t.right / scale > line.x0;
                    let vertical = bottom.min(line.y1) - top.max(line.y0);
                    if horizontal { vertical } else { 0.0 }
                };
                line.size = texts
                    .iter()
                    .filter(|t| overlap(t) > 0.0)
                    .max_by(|a, b| overlap(a).total_cmp(&overlap(b)))
                    .map(|t| t.size / scale);
            }
        }
    }
    Ok(pages)
}

/// The words of every page as `pdftotext -bbox` boxes them, not joined into lines (a table's
/// merged column keeps its text apart from the row beside it). Each is a [`TextLine`] of one
/// word, without a font size.
pub fn words(pdf: &Path) -> Result<Vec<Vec<TextLine>>, String> {
    let xhtml = run("pdftotext", &["-bbox", &pdf.to_string_lossy(), "-"])?;
    let doc = parse_xml(&xhtml)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("page"))
        .map(|page| {
            page.descendants()
                .filter(|n| n.has_tag_name("word"))
                .map(|word| TextLine {
                    x0: number(word, "xMin"),
                    y0: number(word, "yMin"),
                    x1: number(word, "xMax"),
                    y1: number(word, "yMax"),
                    text: word.text().unwrap_or_default().to_owned(),
                    size: None,
                })
                .collect()
        })
        .collect())
}

/// Reads poppler's XML (pdftotext's XHTML, pdftohtml's XML), which starts with a DOCTYPE.
fn parse_xml(xml: &str) -> Result<roxmltree::Document<'_>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(xml, options).map_err(|e| e.to_string())
}

/// A number attribute of an element, 0 when it is missing or not a number.
fn number(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// A piece of text as `pdftohtml` places it, with its font's size.
#[derive(Debug, Clone, Copy)]
struct SizedText {
    top: f64,
    height: f64,
    left: f64,
    right: f64,
    size: f64,
}

/// The text pieces of every page with their font sizes, from `pdftohtml -xml` (zoomed, so sizes
/// and positions are finer than its whole units), with each page's width in those units.
fn font_sizes(pdf: &Path) -> Result<Vec<(f64, Vec<SizedText>)>, String> {
    let xml = run(
        "pdftohtml",
        &[
            "-xml",
            "-i",
            "-q",
            "-stdout",
            "-zoom",
            "3",
            &pdf.to_string_lossy(),
        ],
    )?;
    let doc = parse_xml(&xml)?;
    let sizes: std::collections::BTreeMap<&str, f64> = doc
        .descendants()
        .filter(|n| n.has_tag_name("fontspec"))
        .filter_map(|n| Some((n.attribute("id")?, number(n, "size"))))
        .collect();
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("page"))
        .map(|page| {
            let texts = page
                .children()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|t| {
                    let size = *sizes.get(t.attribute("font")?)?;
                    let left = number(t, "left");
                    Some(SizedText {
                        top: number(t, "top"),
                        height: number(t, "height"),
                        left,
                        right: left + number(t, "width"),
                        size,
                    })
                })
                .collect();
            (number(page, "width"), texts)
        })
        .collect())
}

/// A rule at least this long (mm) is one across the type area, not a table's or a glyph's line.
const LONG_RULE: f64 = 150.0;

/// Whether a rule runs from the type area's left edge to its right one (±1 mm).
fn spans_type_area(rule: &Rule) -> bool {
    near(rule.x0, gb::LEFT * MM, 1.0 * MM) && near(rule.x1, gb::TYPE_RIGHT * MM, 1.0 * MM)
}

/// Whether `value` is within `tolerance` of `want`.
pub fn near(value: f64, want: f64, tolerance: f64) -> bool {
    (value - want).abs() <= tolerance
}

fn check(
    name: &'static str,
    expected: impl Into<String>,
    measured: impl Into<String>,
    pass: bool,
) -> Check {
    Check {
        name,
        expected: expected.into(),
        measured: measured.into(),
        pass,
    }
}

/// Measures `pdf` against the standard.
pub fn measure(pdf: &Path) -> Result<Vec<Check>, String> {
    let sizes = page_sizes(pdf)?;
    let pages = text_lines(pdf)?;
    let mut checks = text_checks(&pages, &sizes);

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
    let first = page_graphics(pdf, 1)?;
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
    if let Some(top) = colophon_top {
        let rules: Vec<Rule> = page_graphics(pdf, last)?
            .rules
            .into_iter()
            .filter(|r| r.is_horizontal() && r.length() > LONG_RULE * MM && r.y0 > top - 8.0 * MM)
            .collect();
        checks.push(colophon_check(&rules, last));
    }
    Ok(checks)
}

/// Whether `pdf` is encrypted: its trailer (or, with object streams, its cross-reference
/// stream's dictionary, which is never compressed) has an `/Encrypt` entry (ISO 32000-1 §7.6.1).
/// poppler then only says "Incorrect password".
fn is_encrypted(pdf: &Path) -> bool {
    std::fs::read(pdf).is_ok_and(|bytes| bytes.windows(8).any(|w| w == b"/Encrypt"))
}

fn encrypted_message() -> String {
    "PDF 已加密（需要密码才能打开），无法测量\n  \
     the PDF is encrypted (it needs a password to open), so it cannot be measured\n  \
     提示：先解密再检查：qpdf --decrypt --password=密码 原.pdf 解密.pdf，或在原软件中另存为不加密的 PDF\n  \
     hint: decrypt it first (qpdf --decrypt --password=PASSWORD in.pdf out.pdf), or save it again \
     without a password, then check that copy"
        .to_owned()
}

/// The size of every page of `pdf`, width and height in points (a landscape page is wider than
/// high), from `pdfinfo`.
pub fn page_sizes(pdf: &Path) -> Result<Vec<(f64, f64)>, String> {
    let info = run(
        "pdfinfo",
        &["-f", "1", "-l", "9999", &pdf.to_string_lossy()],
    )
    .map_err(|e| {
        if is_encrypted(pdf) {
            encrypted_message()
        } else {
            e
        }
    })?;
    Ok(parse_page_sizes(&info))
}

/// Page sizes in points, from `pdfinfo -f 1 -l N`'s "Page N size:" lines.
fn parse_page_sizes(info: &str) -> Vec<(f64, f64)> {
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .filter_map(|l| {
            let dims = l.split("size:").nth(1)?;
            let mut it = dims.split_whitespace();
            let w: f64 = it.next()?.parse().ok()?;
            it.next();
            let h: f64 = it.next()?.parse().ok()?;
            Some((w, h))
        })
        .collect()
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

/// The checks as a Markdown table.
pub fn report(pdf: &Path, checks: &[Check]) -> String {
    let mut out = format!(
        "{}\n\n| 检查 check | 期望 expected | 实测 measured | 结果 |\n| --- | --- | --- | --- |\n",
        pdf.display()
    );
    for c in checks {
        let verdict = if c.pass {
            "✓ 通过 pass"
        } else {
            "✗ 不符 fail"
        };
        out.push_str(&format!(
            "| {} | {} | {} | {verdict} |\n",
            c.name, c.expected, c.measured
        ));
    }
    out
}
