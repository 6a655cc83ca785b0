//! The furniture below a part's body, placed as the PDF layout (templates/gongwen.typ) places
//! it: the 附件说明 with its hanging indent, 署名 and 成文日期 for an unsealed, organ-sealed or
//! signature-sealed document, the 附注, and the 版记 with its rules at the foot of the type area.

use docx_rs::{
    AlignmentType, BorderType, HeightRule, Paragraph, SpecialIndentType, Table, TableBorders,
    TableCell, TableCellBorder, TableCellBorderPosition, TableCellBorders, TableLayoutType,
    TablePositionProperty, TableRow, VAlignType, WidthType,
};

use super::Block;
use super::furniture::{block, flush_left, width_chars};
use super::page::{Metrics, SMALL_SIZE, exact, rule_eighths, small_chars};
use crate::gbt9704::{self as gb, CLOSING as K};
use crate::model::Seal;
use crate::render::views::{ColophonView, PartView};

/// Everything of a part below its body: the 附件说明, 署名, 成文日期 and 附注.
pub(crate) fn part_tail(part: &PartView, m: &Metrics) -> Vec<Block> {
    let mut blocks = attachment_note(part, m);
    blocks.extend(signature(part, m));
    if let Some(remark) = &part.remark {
        blocks.push(block(
            Paragraph::new().add_run(super::text_run(format!("（{remark}）"))),
        ));
    }
    blocks
}

/// `n` empty lines of the body's grid, in twips.
fn lines(n: usize, m: &Metrics) -> i32 {
    n as i32 * m.pitch
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
    // The lead 附件： is three characters wide.
    let text_start = K.attachment_indent + 3.0 + number_width;
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
            let first_line_start = if i == 0 {
                K.attachment_indent
            } else {
                K.attachment_indent + 3.0
            };
            let before = if i == 0 {
                lines(K.attachment_lines, m) as u32
            } else {
                0
            };
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
                    .add_run(super::text_run(format!("{lead}{number}{title}"))),
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
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(0)),
                    Some(m.chars(indent_chars.max(0.0))),
                    None,
                )
                .add_run(super::text_run(text)),
        )
    };
    let mut blocks = Vec::new();
    match part.seal {
        Seal::Organ => {
            // Sealed (7.3.5.1): the date ends 4 characters in; the organ's name centred on it
            // one line above; two empty lines above leave room for the seal. Joint organs stand
            // side by side, the last over the date, their middles `organ_step` characters
            // apart as in the PDF (full-width spaces between them, at least one).
            let names = joint_names(&part.signature, K.organ_step);
            let last = part.signature.last().map_or(0.0, |s| width_chars(s));
            let sig_indent = K.sealed_date_right + (dw - last) / 2.0;
            if !part.signature.is_empty() {
                blocks.push(right(sig_indent, &names, lines(K.sealed_lines, m)));
            }
            if !date.is_empty() {
                let before = if part.signature.is_empty() {
                    lines(K.sealed_lines + 1, m)
                } else {
                    0
                };
                blocks.push(right(K.sealed_date_right, &date, before));
            }
        }
        Seal::Signature => {
            // Signature seal (7.3.5.3): the signer's title 2 characters left of the seal's
            // room (4 characters wide, 4 in from the right); the date one empty line below,
            // also 4 characters in.
            let title_right = K.sealed_date_right + K.seal_width + K.signer_gap;
            for (i, s) in part.signature.iter().enumerate() {
                let before = if i == 0 { lines(K.sealed_lines, m) } else { 0 };
                blocks.push(right(title_right, s, before));
            }
            if !date.is_empty() {
                blocks.push(right(
                    K.sealed_date_right,
                    &date,
                    lines(K.signer_date_lines, m),
                ));
            }
        }
        Seal::None => {
            // Unsealed (7.3.5.2): the signature 2 characters in from the right, the date
            // starting 2 characters right of the signature's start; a longer date takes the
            // 2-character indent and the signature moves with it.
            let (date_right, shift) = (K.unsealed_date_right, K.unsealed_date_shift);
            let (sig_indent, date_indent) = if dw > sw {
                (date_right + dw + shift - sw, date_right)
            } else {
                (date_right, date_right + sw - shift - dw)
            };
            for (i, s) in part.signature.iter().enumerate() {
                let before = if i == 0 {
                    lines(K.unsealed_lines, m)
                } else {
                    0
                };
                blocks.push(right(sig_indent + sw - width_chars(s), s, before));
            }
            if !date.is_empty() {
                let before = if part.signature.is_empty() {
                    lines(K.unsealed_lines, m)
                } else {
                    0
                };
                blocks.push(right(date_indent, &date, before));
            }
        }
    }
    blocks
}

/// Joint organs' names on one line, the middles of neighbours `step` characters apart: the
/// full-width spaces between two names make up what their half-widths leave (one at least).
fn joint_names(names: &[String], step: f64) -> String {
    let mut line = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            let gap = step - (width_chars(&names[i - 1]) + width_chars(name)) / 2.0;
            line.push_str(&"　".repeat(gap.round().max(1.0) as usize));
        }
        line.push_str(name);
    }
    line
}

/// 版记 (7.4): 抄送 and 印发 rows between rules — 0.35 mm outside, 0.25 mm between — in 4号, one
/// character in from both sides, as a table floating at the foot of the type area, so its last
/// rule lies on the type area's bottom edge on whatever page it lands: bottom-aligned to the
/// margin (`tblpYSpec="bottom"`, ECMA-376 17.4.57: Word's 表格定位 “垂直: 底端, 相对于: 页边距”).
/// Horizontally it is placed from the page's edge, at the left margin: LibreOffice (7.4) keeps
/// a table as wide as the type area and placed from the margin in the text flow instead of
/// floating it (it set the 版记 under the last line, or broke it across two pages). Its rows
/// have exact heights (the 抄送 row a line more for each line its text wraps to).
pub(crate) fn colophon(c: &ColophonView, m: &Metrics, landscape: bool) -> Vec<Block> {
    let thick = rule_eighths(gb::COLOPHON_OUTER_RULE);
    let thin = rule_eighths(gb::COLOPHON_INNER_RULE);
    let half = (m.portrait_width / 2) as usize;
    let inset = small_chars(gb::SMALL_INSET); // 左右各空一字
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
            .add_run(super::text_run(text).size(SMALL_SIZE))
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
    // The type area's left edge, from the page's (a landscape page's left margin is the portrait
    // sheet's foot).
    let type_left = if landscape {
        super::page::BOTTOM
    } else {
        super::page::LEFT
    };
    let row = (gb::COLOPHON_ROW * 20.0).round() as i32; // a 4号 line by the standard's 行
    let mut rows = Vec::new();
    if let Some(cc) = &c.cc {
        // Characters a line: the type area less one character each side, the first line less
        // 抄送：, the others hanging under it.
        let per_line = (f64::from(m.portrait_width - 2 * inset - 840) / 280.0).floor();
        let lines = (width_chars(cc) / per_line.max(1.0)).ceil().max(1.0) as i32;
        let cc_height = row + (lines - 1) * super::page::TABLE_PITCH;
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
                .vertical_anchor("margin")
                .position_y_alignment("bottom")
                .horizontal_anchor("page")
                .position_x(type_left),
        );
    // A floating table is anchored to the paragraph after it (LibreOffice drops one with none).
    vec![
        Block::Table(Box::new(table)),
        block(flush_left().line_spacing(exact(20))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joint_organs_stand_with_their_middles_the_pdfs_step_apart() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        // Six characters each: middles 10 apart leave 4 between the names.
        assert_eq!(
            joint_names(&names(&["株洲市教育局", "株洲市财政局"]), K.organ_step),
            "株洲市教育局　　　　株洲市财政局"
        );
        assert_eq!(
            joint_names(&names(&["株洲市教育局", "株洲市应急管理局"]), K.organ_step),
            "株洲市教育局　　　株洲市应急管理局"
        );
        // Names longer than the step still keep a space between them.
        let long = "株洲市人民政府办公室秘书科";
        assert_eq!(
            joint_names(&names(&[long, long]), K.organ_step),
            format!("{long}　{long}")
        );
    }
}
