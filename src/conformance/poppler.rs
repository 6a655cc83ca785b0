//! Running poppler's tools and reading what they print: text boxes (`pdftotext -bbox-layout`,
//! `-bbox`), font sizes (`pdftohtml -xml`) and page sizes (`pdfinfo`), the XML with roxmltree.

use std::path::Path;
use std::process::Command;

use super::TextLine;

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
