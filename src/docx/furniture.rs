//! The furniture of a part, placed as the PDF layout (templates/gongwen.typ) places it:
//! 份号 / 密级 / 紧急程度, the red 发文机关标志 35 mm below the type area's top, the 发文字号 two
//! lines under it (with the 签发人 of an upward document), the red rule 4 mm under that, the
//! 2号 title, 主送, the 附件N label, the 附件说明 with its hanging indent, 署名 and 成文日期 for
//! an unsealed, organ-sealed or signature-sealed document, and the 版记 with its rules at the
//! foot of the type area.

use docx_rs::{
    AlignmentType, BorderType, HeightRule, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, SpecialIndentType, Table, TableBorders, TableCell, TableCellBorder,
    TableCellBorderPosition, TableCellBorders, TableLayoutType, TablePositionProperty, TableRow,
    VAlignType, WidthType,
};

use super::page::{MM, Metrics, SMALL_SIZE, TITLE_PITCH, exact};
use super::{Block, DocxFonts};
use crate::model::Seal;
use crate::render::views::{ColophonView, PartView};

/// Red as the PDF prints it.
pub const RED: &str = "FF0000";

/// Width of `text` in characters of its size: CJK and full-width count 1, others ½.
pub fn width_chars(text: &str) -> f64 {
    text.chars()
        .map(|c| {
            if c.is_ascii() || c == '\u{00B7}' {
                0.5
            } else {
                1.0
            }
        })
        .sum()
}

/// A paragraph without the body's first-line indent, its lines spaced as it says rather than
/// on the document grid (LibreOffice would round a 35 mm gap up to whole grid lines).
fn flush_left() -> Paragraph {
    Paragraph::new().snap_to_grid(false).indent(
        Some(0),
        Some(SpecialIndentType::FirstLine(0)),
        None,
        None,
    )
}

fn block(p: Paragraph) -> Block {
    Block::Paragraph(Box::new(p))
}

/// An empty paragraph carrying a horizontal rule as its bottom border: `size` in eighths of a
/// point. Its line is a hair high, so the rule lies where the paragraph starts.
pub fn rule(size: usize, color: &str) -> Paragraph {
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

/// The banner's size: as large as 42 pt, as small as needed for the longest line (and 文件
/// beside a joint block) to fit 96 % of the type area, as in the PDF.
fn banner_half_points(organs: &[String], suffix: Option<&str>) -> usize {
    let longest = organs.iter().map(|o| o.chars().count()).max().unwrap_or(1) as f64;
    let extra = suffix.map_or(0.0, |s| s.chars().count() as f64 + 0.5);
    let fit = 156.0 * 72.0 / 25.4 * 0.96 / (longest + extra).max(1.0);
    (fit.min(42.0) * 2.0).floor() as usize
}

/// Everything of a part above its body: 版头 (a notice), the 附件 label, title and 主送.
pub fn part_head(part: &PartView, fonts: &DocxFonts, m: &Metrics) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut used = 0; // twips of the type area used above the banner
    for line in [&part.copy_number, &part.secrecy, &part.urgency]
        .into_iter()
        .flatten()
    {
        blocks.push(block(
            flush_left().add_run(Run::new().add_text(line).fonts(fonts.heiti.run_fonts())),
        ));
        used += m.pitch;
    }
    let mut title_before = 0;
    if let Some(banner) = &part.banner {
        let size = banner_half_points(&banner.organs, banner.suffix.as_deref());
        let line = (size as f64 * 10.0 * 1.25).round() as i32; // twips
        // The banner's top edge 35 mm below the type area's top: its line box starts a little
        // above its glyphs' top (the ideographic em box sits centred in the exact line).
        let before = ((35.0 * MM) as i32 - used - (line - (size as i32 * 10)) / 2).max(0);
        let red_run = |t: &str| {
            Run::new()
                .add_text(t)
                .fonts(fonts.title.run_fonts())
                .size(size)
                .color(RED)
        };
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
            blocks.push(block(rule(11, RED)));
        }
    }
    if let Some(number) = &part.number {
        let before = if part.banner.is_some() {
            2 * m.pitch
        } else {
            0
        };
        if part.signers.is_empty() {
            blocks.push(block(
                flush_left()
                    .align(AlignmentType::Center)
                    .line_spacing(m.body_spacing().before(before as u32))
                    .add_run(Run::new().add_text(number)),
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
        blocks.push(block(
            flush_left().line_spacing(exact((4.9 * MM) as i32 - 110)),
        ));
        blocks.push(block(rule(11, RED)));
        title_before = 2 * m.pitch;
    }
    if let Some(label) = &part.label {
        // 附件 label in 黑体 on line 1, the title on line 3.
        blocks.push(block(
            flush_left().add_run(Run::new().add_text(label).fonts(fonts.heiti.run_fonts())),
        ));
        title_before = m.pitch;
    }
    blocks.push(block(
        Paragraph::new()
            .style("Title")
            .line_spacing(
                exact(TITLE_PITCH)
                    .before(title_before as u32)
                    .after(m.pitch as u32),
            )
            .add_run(Run::new().add_text(&part.title)),
    ));
    if let Some(addressee) = &part.addressee {
        blocks.push(block(
            flush_left()
                .align(AlignmentType::Left)
                .add_run(Run::new().add_text(format!("{addressee}："))),
        ));
    }
    blocks
}

/// The joint banner: organ names in one cell (spread to one width), the suffix in the next.
fn joint_banner(banner: &crate::model::Banner, size: usize, line: i32, fonts: &DocxFonts) -> Block {
    let red_run = |t: &str| {
        Run::new()
            .add_text(t)
            .fonts(fonts.title.run_fonts())
            .size(size)
            .color(RED)
    };
    let longest = banner
        .organs
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(1);
    let names_width = longest * size * 10;
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
            .set_grid(grid)
            .layout(TableLayoutType::Fixed)
            .align(docx_rs::TableAlignmentType::Center)
            .set_borders(TableBorders::with_empty()),
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
                .indent(Some(m.chars(1.0)), None, None, None)
                .add_run(Run::new().add_text(number)),
        );
    let mut names = TableCell::new().vertical_align(VAlignType::Bottom);
    for (i, pair) in signers.chunks(2).enumerate() {
        let lead = if i == 0 { "签发人：" } else { "" };
        let mut p = flush_left().align(AlignmentType::Left).indent(
            Some(if i == 0 { 0 } else { m.chars(4.0) }),
            None,
            None,
            None,
        );
        if !lead.is_empty() {
            p = p.add_run(Run::new().add_text(lead));
        }
        p = p.add_run(
            Run::new()
                .add_text(pair.join("　"))
                .fonts(fonts.kaiti.run_fonts()),
        );
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
        .set_grid(vec![number_width as usize, names_width as usize])
        .layout(TableLayoutType::Fixed)
        .set_borders(TableBorders::with_empty()),
    ))
}

/// Everything of a part below its body: the 附件说明, 署名, 成文日期 and 附注.
pub fn part_tail(part: &PartView, m: &Metrics) -> Vec<Block> {
    let mut blocks = attachment_note(part, m);
    blocks.extend(signature(part, m));
    if let Some(remark) = &part.remark {
        blocks.push(block(
            Paragraph::new().add_run(Run::new().add_text(format!("（{remark}）"))),
        ));
    }
    blocks
}

/// 附件说明 (7.3.4): one empty line below the body, 附件： two characters in, several titles
/// numbered 1. 2. …, the numbers aligned and wrapped lines aligned with the title's first
/// character (a hanging indent).
fn attachment_note(part: &PartView, m: &Metrics) -> Vec<Block> {
    let many = part.attachments.len() > 1;
    let number_width = if many {
        width_chars(&format!("{}.", part.attachments.len()))
    } else {
        0.0
    };
    let text_start = 2.0 + 3.0 + number_width;
    part.attachments
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let lead = if i == 0 { "附件：" } else { "" };
            let number = if many {
                format!("{}.", i + 1)
            } else {
                String::new()
            };
            let first_line_start = if i == 0 { 2.0 } else { 5.0 };
            let before = if i == 0 { m.pitch as u32 } else { 0 };
            block(
                Paragraph::new()
                    .align(AlignmentType::Left)
                    .line_spacing(m.body_spacing().before(before))
                    .indent(
                        Some(m.chars(text_start)),
                        Some(SpecialIndentType::Hanging(
                            m.chars(text_start - first_line_start),
                        )),
                        None,
                        None,
                    )
                    .add_run(Run::new().add_text(format!("{lead}{number}{title}"))),
            )
        })
        .collect()
}

/// 署名 and 成文日期 (7.3.5), right-aligned with the right indents the PDF computes from the
/// widths (half-width digits count half a character).
fn signature(part: &PartView, m: &Metrics) -> Vec<Block> {
    if part.signature.is_empty() && part.date.is_none() {
        return Vec::new();
    }
    let date = part.date.clone().unwrap_or_default();
    let dw = width_chars(&date);
    let sw = part
        .signature
        .iter()
        .map(|s| width_chars(s))
        .fold(0.0, f64::max);
    let right = |indent_chars: f64, text: &str, before: i32| {
        block(
            flush_left()
                .align(AlignmentType::Right)
                .line_spacing(m.body_spacing().before(before.max(0) as u32))
                .indent(None, None, Some(m.chars(indent_chars.max(0.0))), None)
                .add_run(Run::new().add_text(text)),
        )
    };
    let mut blocks = Vec::new();
    match part.seal {
        Seal::Organ => {
            // Sealed (7.3.5.1): the date ends 4 characters in; the organ's name centred on it
            // one line above; two empty lines above leave room for the seal. Joint organs stand
            // side by side, the last over the date.
            let names = part.signature.join("　　　");
            let last = part.signature.last().map_or(0.0, |s| width_chars(s));
            let sig_indent = 4.0 + (dw - last) / 2.0;
            if !part.signature.is_empty() {
                blocks.push(right(sig_indent, &names, 2 * m.pitch));
            }
            if !date.is_empty() {
                let before = if part.signature.is_empty() {
                    3 * m.pitch
                } else {
                    0
                };
                blocks.push(right(4.0, &date, before));
            }
        }
        Seal::Signature => {
            // Signature seal (7.3.5.3): the signer's title 2 characters left of the seal's
            // room (4 characters wide, 4 in from the right); the date one empty line below,
            // also 4 characters in.
            for (i, s) in part.signature.iter().enumerate() {
                let before = if i == 0 { 2 * m.pitch } else { 0 };
                blocks.push(right(10.0, s, before));
            }
            if !date.is_empty() {
                blocks.push(right(4.0, &date, m.pitch));
            }
        }
        Seal::None => {
            // Unsealed (7.3.5.2): the signature 2 characters in from the right, the date
            // starting 2 characters right of the signature's start; a longer date takes the
            // 2-character indent and the signature moves with it.
            let (sig_indent, date_indent) = if dw > sw {
                (2.0 + dw + 2.0 - sw, 2.0)
            } else {
                (2.0, 2.0 + sw - 2.0 - dw)
            };
            for (i, s) in part.signature.iter().enumerate() {
                let before = if i == 0 { m.pitch } else { 0 };
                blocks.push(right(sig_indent + sw - width_chars(s), s, before));
            }
            if !date.is_empty() {
                let before = if part.signature.is_empty() {
                    m.pitch
                } else {
                    0
                };
                blocks.push(right(date_indent, &date, before));
            }
        }
    }
    blocks
}

/// 版记 (7.4): 抄送 and 印发 rows between rules — 0.35 mm outside, 0.25 mm between — in 4号, one
/// character in from both sides, as a table floating at the foot of the type area, so its last
/// rule lies on the type area's bottom edge on whatever page it lands. Its rows have exact
/// heights (the 抄送 row a line more for each line its text wraps to), so the table's top can
/// be placed from the page's top: Word and LibreOffice agree on that, not on "bottom".
pub fn colophon(c: &ColophonView, m: &Metrics, landscape: bool) -> Vec<Block> {
    let thick = 8; // eighths of a point: 1 pt = 0.35 mm
    let thin = 6; // 0.75 pt = 0.26 mm
    let half = (m.portrait_width / 2) as usize;
    let inset = 280; // one 4号 character
    let cell = |text: &str, align: AlignmentType, hanging: i32| {
        Paragraph::new()
            .style("TableText")
            .align(align)
            .indent(
                Some(inset + hanging),
                Some(SpecialIndentType::Hanging(hanging)),
                Some(inset),
                None,
            )
            .add_run(Run::new().add_text(text).size(SMALL_SIZE))
    };
    let border = |position, size: usize| {
        TableCellBorder::new(position)
            .border_type(if size == 0 {
                BorderType::Nil
            } else {
                BorderType::Single
            })
            .size(size)
            .color("000000")
    };
    let borders = |top: usize, bottom: usize| {
        TableCellBorders::with_empty()
            .set(border(TableCellBorderPosition::Top, top))
            .set(border(TableCellBorderPosition::Bottom, bottom))
            .set(border(TableCellBorderPosition::Left, 0))
            .set(border(TableCellBorderPosition::Right, 0))
    };
    let printed = c.printed_by.is_some() || c.printed_on.is_some();
    // The type area's foot, from the page's top.
    let type_bottom = if landscape {
        super::page::PAGE_WIDTH as i32 - super::page::RIGHT
    } else {
        super::page::PAGE_HEIGHT as i32 - super::page::BOTTOM
    };
    let row = 556; // a 4号 line by the standard's 行: 14 pt + 7/8 of a 3号 character
    let mut height = 0;
    let mut rows = Vec::new();
    if let Some(cc) = &c.cc {
        // Characters a line: the type area less one character each side, the first line less
        // 抄送：, the others hanging under it.
        let per_line = (f64::from(m.portrait_width - 2 * inset - 840) / 280.0).floor();
        let lines = (width_chars(cc) / per_line.max(1.0)).ceil().max(1.0) as i32;
        let cc_height = row + (lines - 1) * super::page::TABLE_PITCH;
        height += cc_height;
        let bottom = if printed { thin } else { thick };
        rows.push(
            TableRow::new(vec![
                TableCell::new()
                    .grid_span(2)
                    .width(m.portrait_width as usize, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .set_borders(borders(thick, bottom))
                    .add_paragraph(cell(&format!("抄送：{cc}"), AlignmentType::Left, 840)),
            ])
            .row_height(cc_height as f32)
            .height_rule(HeightRule::Exact),
        );
    }
    if printed {
        let top = if c.cc.is_some() { thin } else { thick };
        let by = c.printed_by.clone().unwrap_or_default();
        let on = c
            .printed_on
            .as_ref()
            .map_or(String::new(), |d| format!("{d}印发"));
        rows.push(
            TableRow::new(vec![
                TableCell::new()
                    .width(half, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .set_borders(borders(top, thick))
                    .add_paragraph(cell(&by, AlignmentType::Left, 0)),
                TableCell::new()
                    .width(m.portrait_width as usize - half, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .set_borders(borders(top, thick))
                    .add_paragraph(cell(&on, AlignmentType::Right, 0)),
            ])
            .row_height(row as f32)
            .height_rule(HeightRule::Exact),
        );
        height += row;
    }
    if rows.is_empty() {
        return Vec::new();
    }
    let table = Table::without_borders(rows)
        .set_grid(vec![half, m.portrait_width as usize - half])
        .width(m.portrait_width as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(TableBorders::with_empty())
        .margins(docx_rs::TableCellMargins::new().margin(0, 0, 0, 0))
        .position(
            TablePositionProperty::new()
                .vertical_anchor("page")
                .horizontal_anchor("margin")
                .position_y(type_bottom - height)
                .position_x(0),
        );
    // A floating table is anchored to the paragraph after it (LibreOffice drops one with none).
    vec![
        Block::Table(Box::new(table)),
        block(flush_left().line_spacing(exact(20))),
    ]
}
