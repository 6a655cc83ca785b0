//! Layout conformance: measures a PDF — qingdan's or anyone's — against GB/T 9704-2012 and says,
//! check by check, what was expected, what was measured and whether it passes.
//!
//! Text positions come from poppler's `pdftotext -bbox-layout` (word boxes in points from the
//! page's top-left) and page sizes from `pdfinfo`, so the checks see exactly what a reader of the
//! PDF sees. Tolerances follow shared/spec/gbt9704.md §11; the standard's numbers are
//! [`crate::gbt9704`]'s.
//!
//! `tool` runs the tools under a time and output budget (any PDF may be hostile) and `xml` reads
//! what they print as it comes; `poppler` reads text boxes, font sizes and page sizes; `text`
//! (C1–C3) and `page_numbers` (C4) judge text positions; `furniture` (C5, C6) the red banner and
//! rule and the 版记 rules, which [`graphics`] reads from mupdf's trace of the page's drawing;
//! [`grid`] (C7) the character grid from mupdf's glyph positions. A check that could not be
//! measured says why and never passes.

mod furniture;
pub(crate) mod graphics;
pub(crate) mod grid;
mod page_numbers;
mod poppler;
mod text;
mod tool;
mod xml;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use page_numbers::on_portrait_sheet;
pub use poppler::{page_sizes, text_lines, words};
pub use text::ink;
pub(crate) use text::text_checks;
pub use tool::{Over, Tool, Unmeasured};

/// One text line, in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub struct TextLine {
    /// Left edge of the line's box.
    pub x0: f64,
    /// Top edge of the box (y grows down the page).
    pub y0: f64,
    /// Right edge of the box.
    pub x1: f64,
    /// Bottom edge of the box.
    pub y1: f64,
    /// The text in the box as pdftotext reads it (its words joined without spaces).
    pub text: String,
    /// The font size, where the PDF says it (`pdftohtml`): a box's height is the font's ascent
    /// to descent, which differs from font to font (1 em in qingdan's PDFs, 1.3 em in
    /// LibreOffice's), so sizes are told by the font size and not the box.
    pub size: Option<f64>,
}

impl TextLine {
    /// The box's height, in points (about 1 em for qingdan's fonts).
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// The line's font size: as the PDF says it, or else its box's height.
    pub fn em(&self) -> f64 {
        self.size.unwrap_or_else(|| self.height())
    }

    /// The horizontal middle of the box, to compare with the type area's centre (titles).
    pub fn centre_x(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Check {
    /// The check's number in shared/spec/gbt9704.md and what it measures, e.g. "C1 纸张 paper".
    pub name: &'static str,
    /// What GB/T 9704 asks for, with the tolerance, as printed in the table.
    pub expected: String,
    /// What the PDF has, as printed in the table.
    pub measured: String,
    /// Whether `measured` is within the tolerance of `expected` (never for a check that could
    /// not be measured).
    pub pass: bool,
    /// The check could not be measured (`measured` says why): it does not pass, and the table
    /// says 未测量 rather than fail.
    pub unmeasured: bool,
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
        unmeasured: false,
    }
}

/// A check that could not be measured, and why; it does not pass.
fn not_measured(name: &'static str, why: &Unmeasured) -> Check {
    Check {
        name,
        expected: "—".to_owned(),
        measured: why.to_string().replace('\n', " "),
        pass: false,
        unmeasured: true,
    }
}

/// Page numbers (1-based) for a report, the first ten of them.
fn page_list(pages: &[usize]) -> String {
    let shown: Vec<String> = pages.iter().take(10).map(usize::to_string).collect();
    let more = if pages.len() > 10 { ", …" } else { "" };
    format!("[{}{more}]", shown.join(", "))
}

/// Measures `pdf` against the standard. Every tool run is bounded by a budget that grows with
/// the pages ([`tool::Budget::for_pages`]); a PDF past it is [`Unmeasured::TooComplex`], and so
/// is a check past its own (the graphics of a page).
pub fn measure(pdf: &Path) -> Result<Vec<Check>, Unmeasured> {
    refuse_non_pdf(pdf)?;
    let sizes = page_sizes(pdf)?;
    let budget = tool::Budget::for_pages(sizes.len());
    let pages = poppler::text_lines_within(pdf, budget)?;
    let mut checks = text_checks(&pages, &sizes);
    checks.extend(grid::measure_grid(pdf, budget));
    checks.extend(furniture::furniture_checks(
        pdf,
        &pages,
        tool::Budget::for_pages(1),
    ));
    Ok(checks)
}

/// A file that does not start as a PDF (`%PDF-` within its first kilobyte, where readers look
/// for it) is one line of message, not pages of poppler's syntax errors.
fn refuse_non_pdf(pdf: &Path) -> Result<(), Unmeasured> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(pdf)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .map_err(|e| Unmeasured::Unreadable(e.to_string()))?;
    if head.windows(5).any(|w| w == b"%PDF-") {
        Ok(())
    } else {
        Err(Unmeasured::NotPdf)
    }
}

/// The checks as a Markdown table.
pub(crate) fn report(pdf: &Path, checks: &[Check]) -> String {
    let mut out = format!(
        "{}\n\n| 检查 check | 期望 expected | 实测 measured | 结果 |\n| --- | --- | --- | --- |\n",
        pdf.display()
    );
    for c in checks {
        let verdict = if c.unmeasured {
            "— 未测量 not measured"
        } else if c.pass {
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
