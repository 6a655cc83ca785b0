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
/// The pitch of title lines, in pt: a 2号 line is 22 pt plus 7/8 of a 3号 character.
pub(crate) const TITLE_PITCH: f64 = 35.8;

/// The 发文机关标志's top edge below the type area's top (7.2.4), in mm.
pub const BANNER_DROP: f64 = 35.0;
/// The red rule's top below the 发文字号 (7.2.7), in mm.
pub(crate) const RED_RULE_GAP: f64 = 4.0;
/// The page number's dash below the type area's foot (7.5), in mm.
pub const PAGE_NUMBER_DROP: f64 = 7.0;
/// The 版记's first and last rules (7.4.1), in mm.
pub(crate) const COLOPHON_OUTER_RULE: f64 = 0.35;
/// The 版记's rules between them (7.4.1), in mm.
pub(crate) const COLOPHON_INNER_RULE: f64 = 0.25;

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
    page_number_drop: f64,
    colophon_outer_rule: f64,
    colophon_inner_rule: f64,
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
    page_number_drop: PAGE_NUMBER_DROP,
    colophon_outer_rule: COLOPHON_OUTER_RULE,
    colophon_inner_rule: COLOPHON_INNER_RULE,
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
    }
}
