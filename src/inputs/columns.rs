//! Finding the columns a document needs in a sheet, the way users actually label them.
//!
//! Headers are matched after folding away spaces (half- and full-width) and full-width ASCII
//! forms, against a Chinese name and its English aliases, in any column order. A required column
//! that is missing is an error with a "did you mean" suggestion; an extra column is a warning,
//! because a typo there would otherwise silently empty a column.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location, closest};
use crate::inputs::sheet::{Sheet, SheetRow};

/// A column a document kind understands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnSpec {
    /// The Chinese name shown in messages and templates.
    pub(crate) name: &'static str,
    /// Other spellings accepted, e.g. English names.
    pub(crate) aliases: &'static [&'static str],
    pub(crate) required: bool,
}

/// Where each [`ColumnSpec`] was found in a sheet.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMap {
    positions: Vec<Option<usize>>,
}

impl ColumnMap {
    /// The cell of column `spec_index` in `row`, trimmed; empty when absent.
    pub(crate) fn cell<'a>(&self, row: &'a SheetRow, spec_index: usize) -> &'a str {
        self.positions[spec_index]
            .and_then(|i| row.cells.get(i))
            .map_or("", |c| c.trim())
    }

    /// The sheet column where `spec_index` was found, if it was.
    pub(crate) fn position(&self, spec_index: usize) -> Option<usize> {
        self.positions[spec_index]
    }
}

/// Folds a header for matching: no spaces, ASCII instead of full-width forms, lower case.
pub(crate) fn fold_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Maps `specs` onto the headers of `sheet`, reporting missing and unknown columns.
pub(crate) fn map_columns(
    path: &Path,
    sheet: &Sheet,
    specs: &[ColumnSpec],
    diags: &mut Diagnostics,
) -> Option<ColumnMap> {
    let folded: Vec<String> = sheet.headers.iter().map(|h| fold_header(h)).collect();
    let mut positions = vec![None; specs.len()];
    let mut used = vec![false; folded.len()];
    for (s, spec) in specs.iter().enumerate() {
        let names = std::iter::once(spec.name).chain(spec.aliases.iter().copied());
        let wanted: Vec<String> = names.map(fold_header).collect();
        if let Some(i) = (0..folded.len()).find(|&i| !used[i] && wanted.contains(&folded[i])) {
            positions[s] = Some(i);
            used[i] = true;
        }
    }
    let unknown: Vec<&str> = sheet
        .headers
        .iter()
        .zip(&used)
        .filter(|(h, u)| !**u && !h.is_empty())
        .map(|(h, _)| h.as_str())
        .collect();
    let mut ok = true;
    for (spec, pos) in specs.iter().zip(&positions) {
        if pos.is_some() || !spec.required {
            continue;
        }
        ok = false;
        let mut d = Diagnostic::error(
            path,
            Location::Row(1),
            format!(
                "缺少“{}”列（表头现有：{}）",
                spec.name,
                sheet.headers.join("、")
            ),
            format!(
                "missing column “{}” (the header row has: {})",
                spec.name,
                sheet.headers.join(", ")
            ),
        );
        if let Some(guess) = closest(spec.name, unknown.iter().copied()) {
            d = d.with_hint(
                format!("“{guess}”是否应为“{}”？", spec.name),
                format!("did you mean “{}” instead of “{guess}”?", spec.name),
            );
        }
        diags.push(d);
    }
    for header in &unknown {
        let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        let mut d = Diagnostic::warning(
            path,
            Location::Row(1),
            format!("未知列“{header}”，已忽略"),
            format!("unknown column “{header}” is ignored"),
        );
        if let Some(guess) = closest(header, names.iter().copied()) {
            d = d.with_hint(
                format!("未知列“{header}”，是否应为“{guess}”？"),
                format!("unknown column “{header}”, did you mean “{guess}”?"),
            );
        }
        diags.push(d);
    }
    ok.then_some(ColumnMap { positions })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ColumnSpec] = &[
        ColumnSpec {
            name: "姓名",
            aliases: &["name"],
            required: true,
        },
        ColumnSpec {
            name: "职务",
            aliases: &["title"],
            required: true,
        },
    ];

    fn sheet(headers: &[&str]) -> Sheet {
        Sheet {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            ..Sheet::default()
        }
    }

    #[test]
    fn matches_aliases_spaces_and_any_order() {
        let mut diags = Diagnostics::new();
        let map = map_columns(
            Path::new("a.csv"),
            &sheet(&["Title", "姓　名"]),
            SPECS,
            &mut diags,
        );
        let map = map.unwrap();
        // 姓名 is the second column as written, 职务 the first.
        assert_eq!(map.positions, [Some(1), Some(0)]);
        assert!(diags.is_empty());
    }

    #[test]
    fn a_misspelt_column_is_an_error_with_a_suggestion() {
        let mut diags = Diagnostics::new();
        let map = map_columns(
            Path::new("a.csv"),
            &sheet(&["姓名", "职位"]),
            SPECS,
            &mut diags,
        );
        assert!(map.is_none());
        let text = diags.to_string();
        assert!(text.contains("缺少“职务”列"), "{text}");
        assert!(
            text.contains("did you mean “职务” instead of “职位”?"),
            "{text}"
        );
    }
}
