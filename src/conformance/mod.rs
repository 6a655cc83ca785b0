//! Layout conformance: measures a PDF — qingdan's or anyone's — against GB/T 9704-2012 and says,
//! check by check, what was expected, what was measured and whether it passes.
//!
//! Text positions come from poppler's `pdftotext -bbox-layout` (word boxes in points from the
//! page's top-left) and page sizes from `pdfinfo`, so the checks see exactly what a reader of the
//! PDF sees. Tolerances follow shared/spec/gbt9704.md §11; the standard's numbers are
//! [`crate::gbt9704`]'s.
//!
//! `poppler` runs the tools and reads what they print; `text` (C1–C3) and `page_numbers`
//! (C4) judge text positions; `furniture` (C5, C6) the red banner and rule and the 版记 rules,
//! which [`graphics`] reads from the page's drawing.

mod furniture;
pub mod graphics;
pub mod grid;
mod page_numbers;
mod poppler;
mod text;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use page_numbers::on_portrait_sheet;
pub use poppler::{page_sizes, text_lines, words};
pub use text::{ink, text_checks};

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

/// Page numbers (1-based) for a report, the first ten of them.
fn page_list(pages: &[usize]) -> String {
    let shown: Vec<String> = pages.iter().take(10).map(usize::to_string).collect();
    let more = if pages.len() > 10 { ", …" } else { "" };
    format!("[{}{more}]", shown.join(", "))
}

/// Measures `pdf` against the standard.
pub fn measure(pdf: &Path) -> Result<Vec<Check>, String> {
    let sizes = page_sizes(pdf)?;
    let pages = text_lines(pdf)?;
    let mut checks = text_checks(&pages, &sizes);
    checks.extend(grid::measure_grid(pdf));

    checks.extend(furniture::furniture_checks(pdf, &pages)?);
    Ok(checks)
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
