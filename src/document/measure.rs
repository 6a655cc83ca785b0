//! How wide text is, estimated the one way every writer sizes by: the title's lines, a table's
//! columns, the .docx's indents and the blank sheets' column widths. qingdan knows the fonts
//! only as names here (the PDF's are measured by typst, the .docx's by Word), so the estimate is
//! in characters of the text's own size, from the character classes alone.

use crate::gbt9704 as gb;

/// Width of a line of text in em: CJK and full-width characters count 1, others ½.
pub(crate) fn text_width(line: &str) -> f64 {
    line.chars().map(char_width).sum()
}

/// Width of one character in em: ½ for ASCII and the middle dot (·), else 1.
pub(crate) fn char_width(c: char) -> f64 {
    if c.is_ascii() || c == '\u{00B7}' {
        0.5
    } else {
        1.0
    }
}

/// Whole characters of `size` pt that `width_mm` holds.
fn whole_chars(width_mm: f64, size: f64) -> f64 {
    (width_mm * gb::MM / size).floor()
}

/// Characters a 2号 title line holds: 156 mm / 22 pt, in whole characters (20).
pub(crate) fn title_capacity() -> f64 {
    whole_chars(gb::TYPE_WIDTH, gb::TITLE_SIZE)
}

/// The red 发文机关标志's size in pt: as large as 42 pt, as small as needed for its longest line
/// (and the 文件 beside a joint block, half a character away) to fill 96 % of the type area.
pub(crate) fn banner_size(banner: &crate::model::Banner) -> f64 {
    let longest = banner
        .organs
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let extra = banner
        .suffix
        .as_ref()
        .map_or(0.0, |s| s.chars().count() as f64 + 0.5);
    let fit = gb::TYPE_WIDTH * gb::MM * 0.96 / (longest + extra).max(1.0);
    fit.min(42.0)
}

/// The width of a table in em of its 4号 text: the type area's width in whole characters, on a
/// portrait page 156 mm (31), on a landscape one 225 mm (45).
pub(crate) fn table_width_em(landscape: bool) -> f64 {
    let width = if landscape {
        gb::TYPE_HEIGHT
    } else {
        gb::TYPE_WIDTH
    };
    whole_chars(width, gb::SMALL_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_standards_numbers() {
        assert_eq!(title_capacity(), 20.0);
        assert_eq!(table_width_em(false), 31.0);
        assert_eq!(table_width_em(true), 45.0);
        assert_eq!(text_width("熊　丹"), 3.0);
        assert_eq!(text_width("2019年"), 3.0);
    }

    #[test]
    fn banners_fill_the_type_area_up_to_42_pt() {
        let banner = |organs: &[&str], suffix: Option<&str>| crate::model::Banner {
            organs: organs.iter().map(|o| (*o).to_owned()).collect(),
            suffix: suffix.map(str::to_owned),
        };
        assert_eq!(banner_size(&banner(&["株洲市教育局文件"], None)), 42.0);
        // Twelve characters and 文件 beside: 156 mm × 96 % over 14.5 characters.
        let joint = banner(&["株洲市教育局株洲市应急管"], Some("文件"));
        let size = banner_size(&joint);
        assert!((size - 156.0 * gb::MM * 0.96 / 14.5).abs() < 1e-9, "{size}");
    }
}
