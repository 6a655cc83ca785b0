//! The furniture above a part's body, placed as the PDF layout (templates/gongwen.typ) places
//! it: 份号 / 密级 / 紧急程度, the red 发文机关标志 35 mm below the type area's top, the 发文字号
//! two lines under it (with the 签发人 of an upward document), the red rule 4 mm under that, the
//! 附件N label, the 2号 title (its lines as the document tree broke them, [`TitleLines`]) and
//! 主送. What comes below the body is in [`super::closing`].

use docx_rs::{
    AlignmentType, BorderType, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, SpecialIndentType, Table, TableBorders, TableCell, TableCellMargins,
    TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::page::{
    BODY_SIZE, MM, Metrics, PDF_PITCH, TITLE_PITCH, TITLE_SIZE, em_top_in_line, exact, rule_eighths,
};
use super::{Block, DocxFonts};
use crate::document::{FACES, Part, TitleLines};
use crate::gbt9704 as gb;

/// Red as the PDF prints it.
pub(crate) const RED: &str = "FF0000";

/// Width of `text` in characters of its size (the one estimate, [`crate::document::measure`]).
pub(crate) fn width_chars(text: &str) -> f64 {
    crate::document::measure::text_width(text)
}

/// A paragraph without the body's first-line indent, its lines spaced as it says rather than
/// on the document grid (LibreOffice would round a 35 mm gap up to whole grid lines).
pub(crate) fn flush_left() -> Paragraph {
    Paragraph::new().snap_to_grid(false).indent(
        Some(0),
        Some(SpecialIndentType::FirstLine(0)),
        None,
        None,
    )
}

pub(crate) fn block(p: Paragraph) -> Block {
    Block::Paragraph(Box::new(p))
}

/// An empty paragraph carrying a horizontal rule as its bottom border: `size` in eighths of a
/// point. Its line is a hair high, so the rule lies where the paragraph starts.
pub(crate) fn rule(size: usize, color: &str) -> Paragraph {
    let mut p = flush_left().line_spacing(exact(20));
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(size)
                .space(0)
                .color(color),
        ),
    );
    p
}

/// The line of a part's first line of body-sized text: shortened at the top by the room an
/// exact line leaves above the text, so its em box lies on the type area's top, as in the PDF,
/// and what follows moves up with it.
fn first_line(m: &Metrics) -> docx_rs::LineSpacing {
    let body = BODY_SIZE as i32 * 10;
    exact(m.pitch - em_top_in_line(m.pitch, body))
}

/// Everything of a part above its body: 版头 (a notice; its banner in the size the document
/// tree decided), the 附件 label, title (in the tree's lines) and 主送.
pub(crate) fn part_head(tree: &Part, fonts: &DocxFonts, m: &Metrics) -> Vec<Block> {
    let (title_lines, banner_size) = (&tree.title_lines, tree.banner_size.unwrap_or_default());
    let part = &tree.furniture;
    let mut blocks = Vec::new();
    let mut used = 0; // twips of the type area used above the banner
    for line in [&part.copy_number, &part.secrecy, &part.urgency]
        .into_iter()
        .flatten()
    {
        blocks.push(block(flush_left().add_run(
            super::text_run(line).fonts(fonts.face(FACES.label).run_fonts()),
        )));
        used += m.pitch;
    }
    let mut title_before = 0;
    let mut number_before = 0;
    // Text sizes in twips.
    let (body, title) = (BODY_SIZE as i32 * 10, TITLE_SIZE as i32 * 10);
    if let Some(banner) = &part.banner {
        // In half points, as Word counts sizes.
        let size = (banner_size * 2.0).floor() as usize;
        let line = (size as f64 * 10.0 * 1.25).round() as i32; // twips
        // The banner's top edge 35 mm below the type area's top: its line box starts a little
        // above its glyphs' top (the ideographic em box sits centred in the exact line).
        let before =
            ((gb::BANNER_DROP * MM) as i32 - used - (line - (size as i32 * 10)) / 2).max(0);
        let red_run = |t: &str| red_run(fonts, size, t);
        if banner.organs.len() == 1 {
            let mut text = banner.organs[0].clone();
            let p = flush_left()
                .align(AlignmentType::Center)
                .line_spacing(exact(line).before(before as u32));
            let mut p = p.add_run(red_run(&text));
            if let Some(suffix) = &banner.suffix {
                text = format!("　{suffix}");
                p = p.add_run(red_run(&text));
            }
            blocks.push(block(p));
        } else {
            // Joint issuing (7.2.4): the organs stacked, spread to one width, 文件 to the right
            // centred on the block — a borderless table.
            blocks.push(block(flush_left().line_spacing(exact(before.max(20)))));
            blocks.push(joint_banner(banner, size, line, fonts));
        }
        title_before = 2 * m.pitch;
        // 发文字号 two empty lines below the banner.
        if part.number.is_none() {
            blocks.push(block(rule(rule_eighths(gb::RED_RULE_WIDTH), RED)));
        }
        // The banner's lines end ⅛ of its size below its glyphs' em box; the PDF puts the
        // 发文字号's em top a pitch and a character below that box (two empty lines, counted
        // from the banner's foot as gaps between lines).
        number_before = PDF_PITCH + body - size as i32 * 10 / 8 - em_top_in_line(m.pitch, body);
    }
    if let Some(number) = &part.number {
        let before = if part.banner.is_some() {
            number_before
        } else {
            0
        };
        if part.signers.is_empty() {
            // First on the page, its em box on the type area's top as in the PDF.
            let line = if blocks.is_empty() {
                first_line(m)
            } else {
                m.body_spacing()
            };
            blocks.push(block(
                flush_left()
                    .align(AlignmentType::Center)
                    .line_spacing(line.before(before as u32))
                    .add_run(super::text_run(number)),
            ));
        } else {
            if before > 0 {
                blocks.push(block(flush_left().line_spacing(exact(before))));
            }
            blocks.push(signers_row(number, &part.signers, fonts, m));
        }
        // The red rule 4 mm under the 发文字号's text, as wide as the type area; the title two
        // empty lines below. The text ends about 5.5 pt above its exact line's foot; the
        // rule is set 0.9 mm lower than that gives, as a text box ends between the em box
        // and a font's descent (0.12–0.35 em below the baseline), so it measures 4 ± 1 mm
        // whichever way a PDF reader boxes the glyphs.
        // On a first line made shorter than its face (see `first_line`), LibreOffice sets the
        // text some 0.6 mm lower in it than in a full line: the rule follows it.
        let shortened = if part.banner.is_none() && blocks.len() == 1 {
            (0.6 * MM) as i32
        } else {
            0
        };
        blocks.push(block(flush_left().line_spacing(exact(
            ((gb::RED_RULE_GAP + 0.9) * MM) as i32 - 110 + shortened,
        ))));
        blocks.push(block(rule(rule_eighths(gb::RED_RULE_WIDTH), RED)));
        // The title's em top a gap and two pitches of the PDF below the rule, as it has it.
        title_before = PDF_PITCH - body + 2 * PDF_PITCH
            - (0.25 * MM) as i32
            - 20
            - shortened
            - em_top_in_line(TITLE_PITCH, title);
    }
    if let Some(label) = &part.label {
        // 附件 label in 黑体 on line 1, its em box on the type area's top as in the PDF; the
        // title on line 3.
        let mut p = flush_left();
        if blocks.is_empty() {
            p = p.line_spacing(first_line(m));
        }
        blocks.push(block(p.add_run(
            super::text_run(label).fonts(fonts.face(FACES.label).run_fonts()),
        )));
        title_before = m.pitch;
    }
    // The PDF gives the title whole lines of its pitch, with at least one empty line below it
    // (templates/gongwen.typ, `title-block`): what follows starts that many pitches below the
    // title's em top.
    let lines = title_lines.0.len() as i32;
    let title_height = lines * TITLE_PITCH - (TITLE_PITCH - title);
    let gap = PDF_PITCH - body;
    let pitches = (title_height + PDF_PITCH + gap + PDF_PITCH - 1) / PDF_PITCH;
    // A table starts right there (its top rule); a line of text a little lower, by the room
    // above its text.
    let table_next = matches!(tree.blocks.first(), Some(crate::document::Block::Table(_)))
        && part.addressee.is_none();
    let text_room = if table_next {
        0
    } else {
        em_top_in_line(m.pitch, body)
    };
    // A title first on its page has the room of its exact line above its text, where the
    // PDF has its em top on the type area's top: what follows is set that much higher, on the
    // lines the PDF has it on.
    let above = if blocks.is_empty() {
        em_top_in_line(TITLE_PITCH, title)
    } else {
        0
    };
    let title_after = pitches * PDF_PITCH + em_top_in_line(TITLE_PITCH, title)
        - lines * TITLE_PITCH
        - text_room
        - above;
    blocks.push(block(
        Paragraph::new()
            .style("Title")
            .line_spacing(
                exact(TITLE_PITCH)
                    .before(title_before as u32)
                    .after(title_after.max(0) as u32),
            )
            .add_run(title_run(title_lines)),
    ));
    if let Some(addressee) = &part.addressee {
        blocks.push(block(
            flush_left()
                .align(AlignmentType::Left)
                .add_run(super::text_run(format!("{addressee}："))),
        ));
    }
    blocks
}

/// The title as one run, its lines joined by line breaks: Word would otherwise fill each line to
/// the margin and cut words.
fn title_run(title: &TitleLines) -> docx_rs::Run {
    let mut run = docx_rs::Run::new();
    for (i, line) in title.texts().iter().enumerate() {
        if i > 0 {
            run = run.add_break(docx_rs::BreakType::TextWrapping);
        }
        run = run.add_text(super::xml_text(line));
    }
    run
}

/// `text` in the 发文机关标志's face and red, `size` half-points.
fn red_run(fonts: &DocxFonts, size: usize, text: &str) -> docx_rs::Run {
    fonts
        .face(FACES.title)
        .apply(super::text_run(text))
        .size(size)
        .color(RED)
}

/// The joint banner: organ names in one cell (spread to one width), the suffix in the next.
fn joint_banner(banner: &crate::model::Banner, size: usize, line: i32, fonts: &DocxFonts) -> Block {
    let red_run = |t: &str| red_run(fonts, size, t);
    let longest = banner
        .organs
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(1);
    // Half a character more than the longest name: glyphs differ a little from font to font,
    // and a name must never wrap.
    let names_width = longest * size * 10 + size * 5;
    let mut names = TableCell::new()
        .width(names_width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    for organ in &banner.organs {
        names = names.add_paragraph(
            flush_left()
                .align(AlignmentType::Distribute)
                .line_spacing(exact(line))
                .add_run(red_run(organ)),
        );
    }
    let mut cells = vec![names];
    let mut grid = vec![names_width];
    if let Some(suffix) = &banner.suffix {
        let w = (suffix.chars().count() + 1) * size * 10;
        cells.push(
            TableCell::new()
                .width(w, WidthType::Dxa)
                .vertical_align(VAlignType::Center)
                .add_paragraph(
                    flush_left()
                        .align(AlignmentType::Right)
                        .line_spacing(exact(line))
                        .add_run(red_run(suffix)),
                ),
        );
        grid.push(w);
    }
    Block::Table(Box::new(
        Table::without_borders(vec![TableRow::new(cells)])
            .width(grid.iter().sum(), WidthType::Dxa)
            .set_grid(grid)
            .layout(TableLayoutType::Fixed)
            .align(docx_rs::TableAlignmentType::Center)
            .set_borders(TableBorders::with_empty())
            .margins(TableCellMargins::new().margin(0, 0, 0, 0)),
    ))
}

/// 上行文 (7.2.5–7.2.6): the 发文字号 one character in from the left on the baseline of the last
/// 签发人 line; "签发人：" in 仿宋 and the names in 楷体, two a line, one character in from the
/// right — a borderless table of two cells.
fn signers_row(number: &str, signers: &[String], fonts: &DocxFonts, m: &Metrics) -> Block {
    let number_cell = TableCell::new()
        .vertical_align(VAlignType::Bottom)
        .add_paragraph(
            flush_left()
                .indent(
                    Some(m.chars(1.0)),
                    Some(SpecialIndentType::FirstLine(0)),
                    None,
                    None,
                )
                .add_run(super::text_run(number)),
        );
    let mut names = TableCell::new().vertical_align(VAlignType::Bottom);
    for (i, pair) in signers.chunks(2).enumerate() {
        let lead = if i == 0 { "签发人：" } else { "" };
        // An `ind` without its first-line value would take Normal's two characters.
        let mut p = flush_left().align(AlignmentType::Left).indent(
            Some(if i == 0 { 0 } else { m.chars(4.0) }),
            Some(SpecialIndentType::FirstLine(0)),
            None,
            None,
        );
        if !lead.is_empty() {
            p = p.add_run(super::text_run(lead));
        }
        p = p
            .add_run(super::text_run(pair.join("　")).fonts(fonts.face(FACES.signers).run_fonts()));
        names = names.add_paragraph(p);
    }
    let longest = signers
        .chunks(2)
        .map(|p| width_chars(&p.join("　")))
        .fold(0.0, f64::max);
    let names_width = m.chars(longest + 4.0 + 1.0);
    let number_width = m.portrait_width - names_width;
    Block::Table(Box::new(
        Table::without_borders(vec![TableRow::new(vec![
            number_cell.width(number_width as usize, WidthType::Dxa),
            names.width(names_width as usize, WidthType::Dxa),
        ])])
        .width(m.portrait_width as usize, WidthType::Dxa)
        .set_grid(vec![number_width as usize, names_width as usize])
        .layout(TableLayoutType::Fixed)
        .set_borders(TableBorders::with_empty())
        .margins(TableCellMargins::new().margin(0, 0, 0, 0)),
    ))
}
