//! C4, the page numbers: "— N —" in 4号 on the outer side, 7 mm below the type area, measured
//! on the portrait sheet (a landscape page turned as it is bound).

use super::{Check, TextLine, check, near, page_list};
use crate::gbt9704::{self as gb, MM};

/// C4: page numbers "— N —" at 14 pt, outer side, 7 mm below the type area, on every page but
/// blank ones and a 版记 page after a blank one.
pub(super) fn page_number_check(pages: &[Vec<TextLine>], sizes: &[(f64, f64)]) -> Check {
    let mut numbered = 0;
    let mut unnumbered = Vec::new();
    let mut misplaced = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let label = format!("—{n}—");
        let Some(number) = page
            .iter()
            .find(|l| l.text.split_whitespace().collect::<String>() == label)
        else {
            let blank = page.is_empty();
            let colophon_after_blank = n == pages.len() && i > 0 && pages[i - 1].is_empty();
            if !blank && !colophon_after_blank {
                unnumbered.push(n);
            }
            continue;
        };
        numbered += 1;
        let landscape = sizes.get(i).is_some_and(|&(w, _)| w > 700.0);
        // A landscape page's number is checked where it lands on the portrait sheet.
        let number = if landscape {
            on_portrait_sheet(number)
        } else {
            number.clone()
        };
        let size = gb::SMALL_SIZE;
        let dash = (number.y0 + number.y1) / 2.0 - 0.08 * size;
        let x_ok = if n % 2 == 1 {
            near(number.x1, gb::TYPE_RIGHT * MM - size, 1.0 * MM)
        } else {
            near(number.x0, gb::LEFT * MM + size, 1.0 * MM)
        };
        let drop = (gb::TYPE_BOTTOM + gb::PAGE_NUMBER_DROP) * MM;
        if !(near(number.em(), size, 0.4) && near(dash, drop, 1.5 * MM) && x_ok) {
            misplaced.push(n);
        }
    }
    check(
        "C4 页码 page numbers",
        format!(
            "— N —, {} pt, 版心下 {} mm, 单页右/双页左 outer side",
            gb::SMALL_SIZE,
            gb::PAGE_NUMBER_DROP
        ),
        format!(
            "{numbered}/{} 页有页码 numbered, 缺页码 missing: {}, 位置不符 misplaced: {}",
            pages.len(),
            page_list(&unnumbered),
            page_list(&misplaced)
        ),
        numbered > 0 && unnumbered.is_empty() && misplaced.is_empty(),
    )
}

/// Where a box of a landscape page lands on the portrait sheet it is bound into, turned 90°
/// counter-clockwise (the page's top along the sheet's left edge, as GB/T 9704 §8 binds tables):
/// landscape (x, y) is portrait (y, 297 mm − x).
pub fn on_portrait_sheet(line: &TextLine) -> TextLine {
    TextLine {
        x0: line.y0,
        x1: line.y1,
        y0: gb::PAGE_HEIGHT * MM - line.x1,
        y1: gb::PAGE_HEIGHT * MM - line.x0,
        text: line.text.clone(),
        size: line.size,
    }
}
