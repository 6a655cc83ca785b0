//! The page in Word's terms: A4 with the PDF's 版心 (37 / 35 mm top and bottom, 28 / 26 mm left
//! and right), a document grid of 22 lines × 28 characters, the styles every paragraph takes
//! its fonts from, odd/even footers with the page number, and sections: a part set on landscape
//! pages (a wide table) is a section of its own.
//!
//! Lengths are in twips (1/20 pt), font sizes in half-points, as OOXML counts them.

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, Footer, LineSpacing, LineSpacingType,
    PageMargin, PageNum, PageOrientationType, PageSize, Paragraph, Run, SectionProperty,
    SpecialIndentType, Style, StyleType,
};

use super::{Block, DocxFonts};
use crate::document::FACES;
use crate::gbt9704 as gb;
use crate::model::PageSettings;

/// Twips in a millimetre.
pub(crate) const MM: f64 = 1440.0 / 25.4;
/// A4, portrait.
pub(crate) const PAGE_WIDTH: u32 = twips(gb::PAGE_WIDTH) as u32;
pub(crate) const PAGE_HEIGHT: u32 = twips(gb::PAGE_HEIGHT) as u32;
/// Margins of the portrait page (GB/T 9704 5.2.1): 37 / 35 mm, 28 / 26 mm.
pub(crate) const TOP: i32 = twips(gb::TOP);
pub(crate) const BOTTOM: i32 = twips(gb::BOTTOM);
pub(crate) const LEFT: i32 = twips(gb::LEFT);
pub(crate) const RIGHT: i32 = twips(gb::RIGHT);
/// The type area's height: 225 mm.
pub(crate) const TYPE_HEIGHT: f64 = (PAGE_HEIGHT as i32 - TOP - BOTTOM) as f64;
/// Body text: 3号, 16 pt.
pub(crate) const BODY_SIZE: usize = half_points(gb::BODY_SIZE);
/// Tables, 版记 and page numbers: 4号, 14 pt.
pub(crate) const SMALL_SIZE: usize = half_points(gb::SMALL_SIZE);
/// Title: 2号, 22 pt.
pub(crate) const TITLE_SIZE: usize = half_points(gb::TITLE_SIZE);
/// A 2号 line: 22 pt + 7/8 of a 3号 character (35.8 pt).
pub(crate) const TITLE_PITCH: i32 = (gb::TITLE_PITCH * 20.0 + 0.5) as i32;

/// `mm` millimetres of the standard in whole twips, rounded.
const fn twips(mm: f64) -> i32 {
    (mm * MM + 0.5) as i32
}

/// A type size of the standard (pt) in OOXML's half-points.
const fn half_points(pt: f64) -> usize {
    (pt * 2.0) as usize
}
/// Lines of table text: 4号 with a tight leading, as in the PDF (14 pt × 1.45).
pub(crate) const TABLE_PITCH: i32 = 406;
/// Where the footer's paragraph starts above the page's bottom edge, so that the page number's
/// dash lies 7 mm below the type area (y ≈ 269 mm; its 14 pt line box is centred on it).
pub(crate) const FOOTER_DISTANCE: i32 = 1385;
/// The footer's one line: the page number's 14 pt line box.
pub(crate) const FOOTER_PITCH: i32 = 400;
/// The page number's distance from the type area's outer edge: one 4号 character.
pub(crate) const PAGE_NUMBER_INDENT: i32 = small_chars(gb::SMALL_INSET);

/// `n` characters of 4号 text in twips.
pub(crate) const fn small_chars(n: f64) -> i32 {
    (n * gb::SMALL_SIZE * 20.0 + 0.5) as i32
}

/// A rule `mm` wide, in the eighths of a point a border is measured in (0.35 mm: 8).
pub(crate) const fn rule_eighths(mm: f64) -> usize {
    (mm * gb::MM * 8.0 + 0.5) as usize
}

/// The page's numbers for one document: its line pitch and the widths of the type area.
#[derive(Debug, Clone)]
pub(crate) struct Metrics {
    /// Body line pitch: 22 lines fill the type area.
    pub pitch: i32,
    /// One character of body text: 16 pt and the body's tracking.
    pub char_width: i32,
    pub portrait_width: i32,
    pub landscape_width: i32,
}

impl Metrics {
    /// Word sets each line of an exact-spaced paragraph in a box of its pitch, so 22 lines fill
    /// the 225 mm type area at 28.95 pt (Word's usual 公文 grid) and no more: the PDF's 29.6 pt
    /// (line 1 flush with the top, line 22 with the bottom) would leave room for only 21. A
    /// project's tighter 行距 is kept.
    pub(crate) fn new(page: &PageSettings) -> Self {
        let widest = (TYPE_HEIGHT / gb::LINES as f64).floor() as i32;
        let asked = page
            .line_pitch
            .map_or(widest, |p| (p * 20.0).round() as i32);
        let portrait_width = PAGE_WIDTH as i32 - LEFT - RIGHT;
        Self {
            pitch: asked.min(widest),
            char_width: 320 + BODY_TRACKING,
            portrait_width,
            landscape_width: PAGE_HEIGHT as i32 - TOP - BOTTOM,
        }
    }

    /// `n` characters of body text, in twips.
    pub(crate) fn chars(&self, n: f64) -> i32 {
        (f64::from(self.char_width) * n).round() as i32
    }

    /// Exact line spacing at the body pitch, nothing before or after.
    pub(crate) fn body_spacing(&self) -> LineSpacing {
        exact(self.pitch)
    }

    /// The document grid: 22 lines of the body pitch (Word: 文档网格 “只指定行网格”). The 28
    /// characters a line come from the body's character spacing instead ([`BODY_TRACKING`]):
    /// a character grid (`linesAndChars` with a negative `charSpace`) is what Word templates
    /// use, but LibreOffice gives each 16 pt character two of its 15.8 pt cells, spreading the
    /// text over half the line.
    pub(crate) fn grid(&self) -> DocGrid {
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(self.pitch as usize)
    }
}

/// How far below the top of an exact line of `pitch` twips LibreOffice sets the top of the em box
/// of text `size` twips high: the line's room less the text, less the font's descent below the
/// em box (0.19 em for the bundled faces; measured on its PDFs of the examples). The furniture
/// is placed with it, so that its text lies where the PDF has it.
pub(crate) fn em_top_in_line(pitch: i32, size: i32) -> i32 {
    pitch - size - (0.19 * f64::from(size)).round() as i32
}

/// The PDF's line pitch (29.6 pt: line 1 flush with the type area's top, line 22 with its
/// bottom), in twips: the furniture's gaps are counted in it, as the PDF counts them.
pub(crate) const PDF_PITCH: i32 = (gb::LINE_PITCH * 20.0 + 0.5) as i32;

/// Character spacing of body text in twentieths of a point: −0.25 pt, so 28 characters of 16 pt
/// (441 pt) fit the 442.25 pt line, as the PDF's −0.21 pt tracking does (−0.2 pt would not).
pub(crate) const BODY_TRACKING: i32 = -5;

/// Exact line spacing of `twips`, nothing before or after.
pub(crate) fn exact(twips: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips)
        .before(0)
        .after(0)
}

/// The styles: 正文 (Normal) in 仿宋 3号, justified, first line indented two characters, on the
/// grid's pitch; 标题 in 小标宋 2号; headings 一、 in 黑体, （一） in 楷体, 1. in 仿宋 (not bold:
/// the standard names fonts only); table text in 仿宋 4号.
pub(crate) fn styles(docx: Docx, fonts: &DocxFonts, m: &Metrics) -> Docx {
    let first_line = Some(SpecialIndentType::FirstLine(m.chars(2.0)));
    let face = |face| fonts.face(face);
    let mut normal = Style::new("Normal", StyleType::Paragraph)
        .name("Normal")
        .q_format(true)
        .fonts(face(FACES.body).run_fonts())
        .size(BODY_SIZE)
        .align(AlignmentType::Both)
        .line_spacing(m.body_spacing())
        .indent(None, first_line, None, None);
    normal.run_property = normal.run_property.spacing(BODY_TRACKING);
    // Off the grid and untracked: LibreOffice rounds an exact line up to whole grid lines.
    let untracked = |mut style: Style| {
        style.run_property = style.run_property.spacing(0);
        style.snap_to_grid(false)
    };
    let heading = |level: u8| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .fonts(face(FACES.heading(level)).run_fonts())
            .outline_lvl(usize::from(level) - 1)
    };
    let mut title = Style::new("Title", StyleType::Paragraph)
        .name("Title")
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .fonts(face(FACES.title).run_fonts())
        .size(TITLE_SIZE)
        .align(AlignmentType::Center)
        .line_spacing(exact(TITLE_PITCH))
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None);
    if face(FACES.title).bold {
        title = title.bold();
    }
    let table = Style::new("TableText", StyleType::Paragraph)
        .name("Table Text")
        .based_on("Normal")
        .q_format(true)
        .size(SMALL_SIZE)
        .line_spacing(exact(TABLE_PITCH))
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None);
    let footer = Style::new("Footer", StyleType::Paragraph)
        .name("footer")
        .based_on("Normal")
        .fonts(face(FACES.page_number).run_fonts())
        .size(SMALL_SIZE)
        .line_spacing(exact(FOOTER_PITCH))
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None);
    docx.default_fonts(face(FACES.body).run_fonts())
        .default_size(BODY_SIZE)
        .add_style(normal)
        .add_style(heading(1))
        .add_style(heading(2))
        .add_style(heading(3))
        .add_style(untracked(title))
        .add_style(untracked(table))
        .add_style(untracked(footer))
}

/// The page number, — N —, in 4号 宋体 on the outer side one character in: right on odd pages,
/// left on even ones.
fn page_number_footer(odd: bool) -> Footer {
    let indent = PAGE_NUMBER_INDENT;
    let dash = |text: &str| super::text_run(text);
    let paragraph = Paragraph::new()
        .style("Footer")
        .align(if odd {
            AlignmentType::Right
        } else {
            AlignmentType::Left
        })
        .indent(
            Some(if odd { 0 } else { indent }),
            None,
            Some(if odd { indent } else { 0 }),
            None,
        )
        .add_run(dash("— "))
        .add_page_num(PageNum::new())
        .add_run(dash(" —"));
    Footer::new().add_paragraph(paragraph)
}

/// The body of a document, section by section: a run of portrait parts, then a landscape part,
/// and so on. Each part after the first starts on a new page.
pub(crate) struct Sections<'m> {
    metrics: &'m Metrics,
    blocks: Vec<Block>,
    landscape: Option<bool>,
}

impl<'m> Sections<'m> {
    pub(crate) fn new(metrics: &'m Metrics) -> Self {
        Self {
            metrics,
            blocks: Vec::new(),
            landscape: None,
        }
    }

    /// Adds a part's blocks; `new_page` for every part after the first.
    pub(crate) fn add_part(&mut self, landscape: bool, new_page: bool, mut blocks: Vec<Block>) {
        match self.landscape {
            Some(current) if current != landscape => {
                // A section break ends the section before, on a new page.
                let property = self.section(current);
                match self.blocks.pop() {
                    Some(Block::Paragraph(p)) => self
                        .blocks
                        .push(Block::Paragraph(Box::new(p.section_property(property)))),
                    other => {
                        self.blocks.extend(other);
                        self.blocks.push(Block::Paragraph(Box::new(
                            Paragraph::new()
                                .line_spacing(exact(20))
                                .section_property(property),
                        )));
                    }
                }
            }
            _ if new_page => {
                if let Some(Block::Paragraph(first)) = blocks.first_mut() {
                    let p = std::mem::take(&mut **first);
                    **first = p.page_break_before(true);
                } else {
                    blocks.insert(
                        0,
                        Block::Paragraph(Box::new(
                            Paragraph::new()
                                .line_spacing(exact(20))
                                .add_run(Run::new().add_break(BreakType::Page)),
                        )),
                    );
                }
            }
            _ => {}
        }
        self.landscape = Some(landscape);
        self.blocks.extend(blocks);
    }

    /// A section's page: portrait, or landscape with the portrait type area as it lies on the
    /// sheet turned a quarter (35 mm on the left — the sheet's foot — and 37 mm on the right).
    /// Its footers are the document's (rIdFooter1 odd, rIdFooter2 even, see [`Self::finish`]).
    fn section(&self, landscape: bool) -> SectionProperty {
        let (size, margin) = page_setup(landscape);
        SectionProperty::new()
            .page_size(size)
            .page_margin(margin)
            .doc_grid(self.metrics.grid())
            .footer(Footer::new(), "rIdFooter1")
            .even_footer(Footer::new(), "rIdFooter2")
    }

    /// The document: every block, the last section's page, odd and even footers.
    pub(crate) fn finish(self, docx: Docx) -> Docx {
        let mut docx = docx;
        for block in self.blocks {
            docx = match block {
                Block::Paragraph(p) => docx.add_paragraph(*p),
                Block::Table(t) => docx.add_table(*t),
            };
        }
        let landscape = self.landscape.unwrap_or(false);
        let (size, margin) = page_setup(landscape);
        // Footers first: they number rIdFooter1 (odd) and rIdFooter2 (even), which the earlier
        // sections refer to.
        let mut docx = docx
            .footer(page_number_footer(true))
            .even_footer(page_number_footer(false));
        docx.document = docx
            .document
            .page_size(size)
            .page_margin(margin)
            .doc_grid(self.metrics.grid());
        docx
    }
}

/// Page size and margins, portrait or landscape.
fn page_setup(landscape: bool) -> (PageSize, PageMargin) {
    let margin = PageMargin::new()
        .header(851)
        .footer(FOOTER_DISTANCE)
        .gutter(0);
    if landscape {
        (
            PageSize::new()
                .size(PAGE_HEIGHT, PAGE_WIDTH)
                .orient(PageOrientationType::Landscape),
            margin.top(LEFT).bottom(RIGHT).left(BOTTOM).right(TOP),
        )
    } else {
        (
            PageSize::new().size(PAGE_WIDTH, PAGE_HEIGHT),
            margin.top(TOP).bottom(BOTTOM).left(LEFT).right(RIGHT),
        )
    }
}

#[cfg(test)]
mod tests;
