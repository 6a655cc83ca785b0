//! Running poppler's tools and reading what they print: text boxes (`pdftotext -bbox-layout`,
//! `-bbox`), font sizes (`pdftohtml -xml`) and page sizes (`pdfinfo`), each read as it is
//! printed ([`super::xml`]), under the run's [`Budget`].

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::BufRead;
use std::path::Path;

use super::TextLine;
use super::tool::{self, Budget, PDFINFO, PDFTOHTML, PDFTOTEXT, Unmeasured, path_arg};
use super::xml::{Step, each};

/// The most text lines a page may have to be measured: a page of qingdan's has 22 to 60; joining
/// each line with those beside it must not grow with the square of a hostile page's lines.
pub(crate) const MAX_LINES_PER_PAGE: usize = 2_000;

/// The text lines of every page. pdftotext splits a printed line at wide gaps, so boxes on the
/// same baseline and of the same size are joined again.
pub fn text_lines(pdf: &Path) -> Result<Vec<Vec<TextLine>>, Unmeasured> {
    let budget = Budget::for_pages(page_sizes(pdf)?.len());
    text_lines_within(pdf, budget)
}

/// [`text_lines`] under `budget`.
pub(crate) fn text_lines_within(
    pdf: &Path,
    budget: Budget,
) -> Result<Vec<Vec<TextLine>>, Unmeasured> {
    let file = path_arg(pdf);
    let args = [OsStr::new("-bbox-layout"), &file, OsStr::new("-")];
    let boxes = tool::read(PDFTOTEXT, &args, budget, |out| boxes(out, "line"))?;
    let mut widths = Vec::new();
    let mut pages = Vec::new();
    for (width, page) in boxes {
        widths.push(width);
        pages.push(joined(page));
    }
    // Font sizes are a help, not a need: without them the boxes' heights stand in.
    if let Ok(sizes) = font_sizes(pdf, budget) {
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

/// Joins the boxes of one page that sit on the same baseline with the same height (within half
/// a point) into the first of them, as lines sorted top to bottom. Boxes are found by their
/// half-point cells, so a page of n boxes takes n steps, not n².
fn joined(boxes: Vec<TextLine>) -> Vec<TextLine> {
    let cell = |v: f64| (v * 2.0).floor() as i64;
    let mut lines: Vec<TextLine> = Vec::new();
    let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for line in boxes {
        let (y, h) = (cell(line.y0), cell(line.height()));
        let same = (y - 1..=y + 1)
            .flat_map(|y| (h - 1..=h + 1).map(move |h| (y, h)))
            .filter_map(|key| cells.get(&key))
            .flatten()
            .copied()
            .filter(|&i| {
                (lines[i].y0 - line.y0).abs() < 0.5
                    && (lines[i].height() - line.height()).abs() < 0.5
            })
            .min();
        match same {
            Some(i) => {
                let same = &mut lines[i];
                same.x0 = same.x0.min(line.x0);
                same.x1 = same.x1.max(line.x1);
                same.text.push_str(&line.text);
            }
            None => {
                cells.entry((y, h)).or_default().push(lines.len());
                lines.push(line);
            }
        }
    }
    lines.sort_by(|a, b| a.y0.total_cmp(&b.y0));
    lines
}

/// The words of every page as `pdftotext -bbox` boxes them, not joined into lines (a table's
/// merged column keeps its text apart from the row beside it). Each is a [`TextLine`] of one
/// word, without a font size.
pub fn words(pdf: &Path) -> Result<Vec<Vec<TextLine>>, Unmeasured> {
    let budget = Budget::for_pages(page_sizes(pdf)?.len());
    let file = path_arg(pdf);
    let args = [OsStr::new("-bbox"), &file, OsStr::new("-")];
    let pages = tool::read(PDFTOTEXT, &args, budget, |out| boxes(out, "word"))?;
    Ok(pages.into_iter().map(|(_, words)| words).collect())
}

/// The boxes named `tag` (`line` of `-bbox-layout`, `word` of `-bbox`) of every page of
/// pdftotext's XHTML, with each page's width; a `line`'s text is its words' joined.
fn boxes(out: &mut dyn BufRead, tag: &str) -> Result<Vec<(f64, Vec<TextLine>)>, String> {
    let mut pages: Vec<(f64, Vec<TextLine>)> = Vec::new();
    let mut current: Option<TextLine> = None;
    let mut in_word = false;
    each(out, |step| {
        match step {
            Step::Open(e) if e.name() == "page" => pages.push((e.number("width"), Vec::new())),
            Step::Open(e) if e.name() == tag => {
                current = Some(TextLine {
                    x0: e.number("xMin"),
                    y0: e.number("yMin"),
                    x1: e.number("xMax"),
                    y1: e.number("yMax"),
                    text: String::new(),
                    size: None,
                });
                in_word = tag == "word";
            }
            Step::Open(e) if e.name() == "word" => in_word = true,
            Step::Text(text) if in_word => {
                if let Some(line) = current.as_mut() {
                    line.text.push_str(&text);
                }
            }
            Step::Close("word") if tag != "word" => in_word = false,
            Step::Close(name) if name == tag => {
                in_word = false;
                if let (Some(line), Some((_, page))) = (current.take(), pages.last_mut()) {
                    if page.len() >= MAX_LINES_PER_PAGE {
                        return Err(too_many_lines());
                    }
                    page.push(line);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(pages)
}

fn too_many_lines() -> String {
    format!("a page holds more than {MAX_LINES_PER_PAGE} lines of text")
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
fn font_sizes(pdf: &Path, budget: Budget) -> Result<Vec<(f64, Vec<SizedText>)>, Unmeasured> {
    let file = path_arg(pdf);
    let args = ["-xml", "-i", "-q", "-stdout", "-zoom", "3"]
        .map(OsStr::new)
        .into_iter()
        .chain([file.as_os_str()])
        .collect::<Vec<_>>();
    tool::read(PDFTOHTML, &args, budget, |out| {
        // Font specs come before the text that uses them (each page lists its new ones first).
        let mut sizes: HashMap<String, f64> = HashMap::new();
        let mut pages: Vec<(f64, Vec<SizedText>)> = Vec::new();
        each(out, |step| {
            let Step::Open(e) = step else {
                return Ok(());
            };
            match e.name() {
                "fontspec" => {
                    if let Some(id) = e.attr("id") {
                        sizes.insert(id.into_owned(), e.number("size"));
                    }
                }
                "page" => pages.push((e.number("width"), Vec::new())),
                "text" => {
                    let size = e
                        .attr("font")
                        .and_then(|id| sizes.get(id.as_ref()).copied());
                    if let (Some(size), Some((_, texts))) = (size, pages.last_mut()) {
                        if texts.len() >= MAX_LINES_PER_PAGE {
                            return Err(too_many_lines());
                        }
                        let left = e.number("left");
                        texts.push(SizedText {
                            top: e.number("top"),
                            height: e.number("height"),
                            left,
                            right: left + e.number("width"),
                            size,
                        });
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(pages)
    })
}

/// Whether `pdf` is encrypted: its trailer (or, with object streams, its cross-reference
/// stream's dictionary, which is never compressed) has an `/Encrypt` entry (ISO 32000-1 §7.6.1).
/// poppler then only says "Incorrect password". Read in pieces: the file may be large.
fn is_encrypted(pdf: &Path) -> bool {
    const KEY: &[u8] = b"/Encrypt";
    let Ok(file) = std::fs::File::open(pdf) else {
        return false;
    };
    let mut input = std::io::BufReader::with_capacity(1 << 16, file);
    // The end of the previous piece, so a key across two pieces is found.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let piece = match input.fill_buf() {
            Ok([]) | Err(_) => return false,
            Ok(piece) => piece,
        };
        carry.extend_from_slice(piece);
        if carry.windows(KEY.len()).any(|w| w == KEY) {
            return true;
        }
        let n = piece.len();
        input.consume(n);
        let keep = carry.len().saturating_sub(KEY.len() - 1);
        carry.drain(..keep);
    }
}

/// The size of every page of `pdf`, width and height in points (a landscape page is wider than
/// high), from `pdfinfo` (all of them: `-l` past the last page means the last).
pub fn page_sizes(pdf: &Path) -> Result<Vec<(f64, f64)>, Unmeasured> {
    let file = path_arg(pdf);
    let args = [
        OsStr::new("-f"),
        OsStr::new("1"),
        OsStr::new("-l"),
        OsStr::new("2147483647"),
        &file,
    ];
    let sizes = tool::read(PDFINFO, &args, Budget::for_pages(0), |out| {
        Ok(out
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| page_size(&l))
            .collect::<Vec<_>>())
    });
    match sizes {
        Err(Unmeasured::Failed { .. }) if is_encrypted(pdf) => Err(Unmeasured::Encrypted),
        other => other,
    }
}

/// A page size in points, from a "Page N size: W x H pts" line of `pdfinfo -f 1 -l N`.
fn page_size(line: &str) -> Option<(f64, f64)> {
    if !line.starts_with("Page") {
        return None;
    }
    let dims = line.split_once("size:")?.1;
    let mut it = dims.split_whitespace();
    let w: f64 = it.next()?.parse().ok()?;
    it.next();
    let h: f64 = it.next()?.parse().ok()?;
    Some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x0: f64, y0: f64, x1: f64, height: f64, text: &str) -> TextLine {
        TextLine {
            x0,
            y0,
            x1,
            y1: y0 + height,
            text: text.to_owned(),
            size: None,
        }
    }

    #[test]
    fn boxes_on_one_baseline_and_of_one_height_are_one_line() {
        let lines = joined(vec![
            line(100.0, 200.0, 150.0, 16.0, "甲"),
            line(300.0, 100.0, 350.0, 16.0, "上"),
            line(200.0, 200.3, 250.0, 16.2, "乙"),
            line(400.0, 200.0, 450.0, 22.0, "大"),
        ]);
        let texts: Vec<(&str, f64, f64)> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.x0, l.x1))
            .collect();
        assert_eq!(
            texts,
            [
                ("上", 300.0, 350.0),
                ("甲乙", 100.0, 250.0),
                ("大", 400.0, 450.0)
            ]
        );
    }

    #[test]
    fn pdftotext_boxes_are_read_with_their_words() {
        let xhtml = r#"<!DOCTYPE html><html><body><doc><page width="595.3" height="841.9"><flow><block>
<line xMin="79.4" yMin="104.8" xMax="516.0" yMax="120.8"><word xMin="79.4" yMin="104.8" xMax="300" yMax="120.8">株洲&amp;</word><word xMin="301" yMin="104.8" xMax="516.0" yMax="120.8">教育局</word></line>
</block></flow></page></doc></body></html>"#;
        let pages = boxes(&mut xhtml.as_bytes(), "line").unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].0, 595.3);
        assert_eq!(pages[0].1[0].text, "株洲&教育局");
        let words = boxes(&mut xhtml.as_bytes(), "word").unwrap();
        let texts: Vec<&str> = words[0].1.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["株洲&", "教育局"]);
    }

    #[test]
    fn page_sizes_come_from_each_page_line() {
        assert_eq!(
            page_size("Page    2 size:  841.89 x 595.276 pts (A4)"),
            Some((841.89, 595.276))
        );
        assert_eq!(page_size("File size:       334200 bytes"), None);
    }
}
