//! Cells a spreadsheet would run as a formula (CSV injection), written and read back safely.
//!
//! When `serve` saves an uploaded workbook as the project's CSV, a cell holding the text
//! `=HYPERLINK("http://…")` would become a live formula the next time a clerk opens that CSV in
//! Excel or WPS. OWASP's guidance (the CSV Injection page) is followed: a cell starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return is written with an apostrophe before it, which
//! spreadsheets take as "this is text", and every cell is quoted. Plain numbers (`-5`, `+3.5`)
//! and a lone sign are left alone: a spreadsheet reads them as what they are.
//!
//! The CSV reader removes that apostrophe again ([`unguard`]), so qingdan reads exactly the
//! text that was uploaded: [`guard`] and [`unguard`] are inverse for every text, a cell that
//! itself starts with an apostrophe included (it gets a second one).

use std::borrow::Cow;

/// Whether a spreadsheet would read `cell` as a formula.
fn formula_like(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !is_plain_number(&cell[1..]),
        _ => false,
    }
}

/// Digits with at most one decimal point, or nothing (a lone sign).
fn is_plain_number(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && text.matches('.').count() <= 1
}

/// Whether `cell` is written with an apostrophe before it: it is formula-like, or it is
/// an apostrophe before such a cell (so that reading it back keeps its own apostrophe).
fn needs_guard(cell: &str) -> bool {
    formula_like(cell) || cell.strip_prefix('\'').is_some_and(needs_guard)
}

/// `cell` as written into a CSV that a clerk may open in a spreadsheet.
pub(crate) fn guard(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `cell` as read from a CSV: the apostrophe [`guard`] put before it, removed.
pub(crate) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formula_cells_get_an_apostrophe_and_come_back_as_they_were() {
        // (cell, as written)
        for (cell, written) in [
            ("=1+1", "'=1+1"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+86 138 0000 0000", "'+86 138 0000 0000"),
            ("-负责安全", "'-负责安全"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("'=1+1", "''=1+1"),
            ("-5", "-5"),
            ("+3.5", "+3.5"),
            ("-", "-"),
            ("'", "'"),
            ("'abc", "'abc"),
            ("王建国", "王建国"),
            ("", ""),
        ] {
            assert_eq!(guard(cell), written, "{cell:?}");
            assert_eq!(unguard(written), cell, "{written:?}");
        }
    }

    proptest! {
        #[test]
        fn unguard_undoes_guard(cell in "['=+@\\-\t\r0-9.a王]{0,6}") {
            let written = guard(&cell);
            prop_assert_eq!(unguard(&written), cell.as_str());
        }
    }
}
