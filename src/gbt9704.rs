//! The numbers of GB/T 9704-2012《党政机关公文格式》 that qingdan lays pages out by and measures
//! them against, in one place (the research notes with clause numbers are
//! shared/spec/gbt9704.md).
//!
//! Every reader takes them from here: the layout template (`templates/gongwen.typ` reads
//! [`TemplateNumbers`] from `/meta.json`), the document tree (the title's and a table's width in
//! characters, the banner's size: [`crate::document::measure`]), the .docx writer (its page,
//! margins, type sizes and the 版头's distances, in Word's units), [`crate::conformance`]
//! (`qingdan check --layout`) and the layout tests. A number changed here changes the PDF, the
//! .docx and the check that measures them together. Lengths on the page are in millimetres from the sheet's top-left corner, type sizes
//! and the grid in points. The tolerances a check allows are the check's, not the standard's.

use serde::Serialize;

/// Points in a millimetre.
pub const MM: f64 = 72.0 / 25.4;

/// A4 (5.1): the sheet, portrait, in mm.
pub(crate) const PAGE_WIDTH: f64 = 210.0;
/// A4 (5.1): the sheet's height in mm.
pub(crate) const PAGE_HEIGHT: f64 = 297.0;

/// The type area (版心, 5.2.1), in mm: 156 × 225, its top 37 mm and its left 28 mm from the sheet's
/// edges, so the right and bottom margins are 26 and 35 mm.
pub const TYPE_WIDTH: f64 = 156.0;
/// The type area's height in mm.
pub(crate) const TYPE_HEIGHT: f64 = 225.0;
/// The top margin (天头) in mm.
pub const TOP: f64 = 37.0;
/// The left margin (订口) in mm.
pub const LEFT: f64 = 28.0;
/// The right margin in mm.
pub(crate) const RIGHT: f64 = PAGE_WIDTH - LEFT - TYPE_WIDTH;
/// The bottom margin in mm.
pub(crate) const BOTTOM: f64 = PAGE_HEIGHT - TOP - TYPE_HEIGHT;
/// Where the type area ends on the right, in mm from the sheet's left edge (184).
pub const TYPE_RIGHT: f64 = LEFT + TYPE_WIDTH;
/// Where the type area ends at the foot, in mm from the sheet's top (262).
pub const TYPE_BOTTOM: f64 = TOP + TYPE_HEIGHT;
/// The type area's middle, in mm from the sheet's left edge (106): titles and the banner are
/// centred on it.
pub const TYPE_CENTRE: f64 = LEFT + TYPE_WIDTH / 2.0;

/// Lines of body text on a full page (5.2.3).
pub const LINES: usize = 22;
/// Characters on a full line (5.2.3).
pub(crate) const CHARS_PER_LINE: usize = 28;

/// 3号: body text (5.2.2), in pt.
pub const BODY_SIZE: f64 = 16.0;
/// 2号: the title (7.3.1), in pt.
pub const TITLE_SIZE: f64 = 22.0;
/// 4号: the 版记, the page numbers and qingdan's table text (7.4, 7.5), in pt.
pub const SMALL_SIZE: f64 = 14.0;
/// 小二: between the title's 2号 and the body's 3号, a size a 第N章 heading may take, in pt.
pub(crate) const XIAO_ER_SIZE: f64 = 18.0;
/// The type sizes (字号) by name, as a project names them, in pt.
pub(crate) const SIZE_NAMES: [(&str, f64); 4] = [
    ("二号", TITLE_SIZE),
    ("小二", XIAO_ER_SIZE),
    ("三号", BODY_SIZE),
    ("四号", SMALL_SIZE),
];
/// One character of body text on the grid, in pt: 28 of them fill the type area's width
/// (156 mm / 28 = 15.79 pt).
pub const CHAR: f64 = TYPE_WIDTH * MM / CHARS_PER_LINE as f64;
/// The letter spacing that sets a 16 pt character in about [`CHAR`], in pt: a little more than
/// the −0.207 pt that would fill the width exactly, so that 28 characters leave 0.4 pt to spare
/// for the last glyph of a run, which typst sets without tracking (the character grid boxes
/// punctuation, and each box ends a run).
pub(crate) const TRACKING: f64 = -0.225;
/// The pitch of the 22-line grid, in pt: 22 lines fill 225 mm, line 1's em box flush with the type
/// area's top and line 22's with its foot, (225 mm − 16 pt) / 21 = 29.609 pt, ≈ 15/8 of a 3号
/// character, as the layout uses it.
pub const LINE_PITCH: f64 = 29.605;
/// The widest pitch a project may ask for (版式: 行距), in pt to two places: 22 lines of 3号 still
/// fit the type area, (225 mm − 16 pt) / 21 = 29.61 pt.
pub(crate) const WIDEST_PITCH: f64 =
    ((TYPE_HEIGHT * MM - BODY_SIZE) / (LINES - 1) as f64 * 100.0 + 0.5) as i64 as f64 / 100.0;
/// The pitch of title lines, in pt: a 2号 line is 22 pt plus 7/8 of a 3号 character.
pub(crate) const TITLE_PITCH: f64 = 35.8;

/// The 发文机关标志's top edge below the type area's top (7.2.4), in mm.
pub const BANNER_DROP: f64 = 35.0;
/// The red rule's top below the 发文字号 (7.2.7), in mm.
pub(crate) const RED_RULE_GAP: f64 = 4.0;
/// The red rule's width (qingdan's reading of 7.2.7's 红色分隔线), in mm.
pub(crate) const RED_RULE_WIDTH: f64 = 0.5;
/// The page number's dash below the type area's foot (7.5), in mm.
pub const PAGE_NUMBER_DROP: f64 = 7.0;
/// How far the page number (7.5: 单页码居右空一字，双页码居左空一字) and the 版记's text (7.4.1:
/// 左右各空一字) stand in from the type area's sides: one character of their 4号, in characters.
pub(crate) const SMALL_INSET: f64 = 1.0;
/// The 版记's first and last rules (7.4.1), in mm.
pub(crate) const COLOPHON_OUTER_RULE: f64 = 0.35;
/// The 版记's rules between them (7.4.1), in mm.
pub(crate) const COLOPHON_INNER_RULE: f64 = 0.25;
/// A row of the 版记, between its rules: a 4号 line by the standard's 行 (14 pt + 13.8 pt), in
/// pt (shared/spec/gbt9704.md §5).
pub(crate) const COLOPHON_ROW: f64 = 27.8;

/// Where the 附件说明 and the 署名 / 成文日期 stand (7.3.4, 7.3.5), in characters of body text
/// from the type area's sides and in empty grid lines: both writers place them by these.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Closing {
    /// 附件说明: 附件： 左空二字 (7.3.4).
    pub attachment_indent: f64,
    /// Empty lines between the body and the 附件说明 (7.3.4: 空一行).
    pub attachment_lines: usize,
    /// Unsealed (7.3.5.2): the 成文日期 右空二字.
    pub unsealed_date_right: f64,
    /// Unsealed: the 成文日期's first character this far right of the 署名's first.
    pub unsealed_date_shift: f64,
    /// Unsealed: empty lines between the body (or 附件说明) and the 署名 (空一行).
    pub unsealed_lines: usize,
    /// Sealed by the organ (7.3.5.1) or by a signature seal (7.3.5.3): the 成文日期 右空四字.
    pub sealed_date_right: f64,
    /// Sealed: empty lines above the 署名, the seal's room (its top within a line of the body).
    pub sealed_lines: usize,
    /// Sealed by the organ: joint organs' names at most this far apart (start to start).
    pub organ_step: f64,
    /// A signature seal's room: as wide as this, its right edge 右空四字.
    pub seal_width: f64,
    /// A signature seal: the signer's title this far left of the seal's room.
    pub signer_gap: f64,
    /// A signature seal: empty lines between the signer and the 成文日期.
    pub signer_date_lines: usize,
}

/// The 附件说明's and the 署名's places.
pub(crate) const CLOSING: Closing = Closing {
    attachment_indent: 2.0,
    attachment_lines: 1,
    unsealed_date_right: 2.0,
    unsealed_date_shift: 2.0,
    unsealed_lines: 1,
    sealed_date_right: 4.0,
    sealed_lines: 2,
    organ_step: 10.0,
    seal_width: 4.0,
    signer_gap: 2.0,
    signer_date_lines: 1,
};

/// The numbers as the layout template reads them from `/meta.json` (`meta.gbt9704`); lengths in
/// mm and sizes in pt, as named here.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TemplateNumbers {
    page_width: f64,
    page_height: f64,
    top: f64,
    left: f64,
    right: f64,
    bottom: f64,
    type_width: f64,
    body_size: f64,
    title_size: f64,
    small_size: f64,
    tracking: f64,
    line_pitch: f64,
    title_pitch: f64,
    banner_drop: f64,
    red_rule_gap: f64,
    red_rule_width: f64,
    page_number_drop: f64,
    small_inset: f64,
    colophon_outer_rule: f64,
    colophon_inner_rule: f64,
    colophon_row: f64,
    closing: Closing,
}

/// The numbers the layout template lays out by.
pub(crate) const TEMPLATE_NUMBERS: TemplateNumbers = TemplateNumbers {
    page_width: PAGE_WIDTH,
    page_height: PAGE_HEIGHT,
    top: TOP,
    left: LEFT,
    right: RIGHT,
    bottom: BOTTOM,
    type_width: TYPE_WIDTH,
    body_size: BODY_SIZE,
    title_size: TITLE_SIZE,
    small_size: SMALL_SIZE,
    tracking: TRACKING,
    line_pitch: LINE_PITCH,
    title_pitch: TITLE_PITCH,
    banner_drop: BANNER_DROP,
    red_rule_gap: RED_RULE_GAP,
    red_rule_width: RED_RULE_WIDTH,
    page_number_drop: PAGE_NUMBER_DROP,
    small_inset: SMALL_INSET,
    colophon_outer_rule: COLOPHON_OUTER_RULE,
    colophon_inner_rule: COLOPHON_INNER_RULE,
    colophon_row: COLOPHON_ROW,
    closing: CLOSING,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The derived numbers are the standard's (shared/spec/gbt9704.md §0), and exact: the layout
    /// template multiplies them by 1 mm, which must give the same lengths as literals would.
    #[test]
    fn the_derived_numbers_are_the_standards() {
        assert_eq!((RIGHT, BOTTOM), (26.0, 35.0));
        assert_eq!(
            (TYPE_RIGHT, TYPE_BOTTOM, TYPE_CENTRE),
            (184.0, 262.0, 106.0)
        );
        assert!((CHAR - 15.79).abs() < 0.01, "{CHAR}");
        let spare = TYPE_WIDTH * MM - CHARS_PER_LINE as f64 * (BODY_SIZE + TRACKING);
        assert!((0.3..0.6).contains(&spare), "{spare}");
        let filled = (TYPE_HEIGHT * MM - BODY_SIZE) / (LINES - 1) as f64;
        assert!((LINE_PITCH - filled).abs() < 0.01, "{filled}");
        assert_eq!(WIDEST_PITCH, 29.61);
    }
}
