//! Diagnostics a clerk can act on.
//!
//! Every problem found in user data becomes a [`Diagnostic`]: which file, where in it (row and
//! column of a sheet, line of a text file, or a YAML path), what was expected and what was found,
//! in Chinese and in English, with an optional fix. Stages collect *all* problems into
//! [`Diagnostics`] instead of stopping at the first, so one `qingdan check` shows everything.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The whole file.
    File,
    /// A line of a text file (1-based).
    Line(usize),
    /// A cell of a sheet: 1-based row as the spreadsheet shows it, and the column header.
    Cell { row: usize, column: String },
    /// A row of a sheet (1-based, as the spreadsheet shows it).
    Row(usize),
    /// A key path in a YAML manifest, e.g. `附件[1].数据`.
    Key(String),
}

/// How bad a problem is: errors stop a document from being built, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the user's input, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub location: Location,
    pub zh: String,
    pub en: String,
    pub hint: Option<(String, String)>,
    /// What another tool said about it (git's own message), one line each, printed as is.
    pub details: Vec<String>,
}

impl Diagnostic {
    /// An error at `location` of `file`, with the Chinese and English message.
    pub fn error(
        file: impl AsRef<Path>,
        location: Location,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            location,
            zh: zh.into(),
            en: en.into(),
            hint: None,
            details: Vec::new(),
        }
    }

    /// An error about no file in particular (a git revision that cannot be read, no project
    /// found): printed with its message on the first line.
    pub fn general_error(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::error(PathBuf::new(), Location::File, zh, en)
    }

    /// A warning: reported, but the document is still built.
    pub fn warning(
        file: impl AsRef<Path>,
        location: Location,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, location, zh, en)
        }
    }

    /// Adds a line of what another tool said.
    pub fn with_detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }

    /// Adds a suggested fix.
    pub fn with_hint(mut self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.hint = Some((zh.into(), en.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Line(line) => write!(f, ":{line}（第{line}行 / line {line}）"),
            Location::Row(row) => write!(f, "：第{row}行 / row {row}"),
            Location::Cell { row, column } => {
                write!(
                    f,
                    "：第{row}行，“{column}”列 / row {row}, column “{column}”"
                )
            }
            Location::Key(key) => write!(f, "：{key}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (zh_kind, en_kind) = match self.severity {
            Severity::Error => ("错误", "error"),
            Severity::Warning => ("警告", "warning"),
        };
        if self.file.as_os_str().is_empty() && self.location == Location::File {
            writeln!(f, "{zh_kind} / {en_kind}: {}", self.zh)?;
        } else {
            writeln!(
                f,
                "{zh_kind} / {en_kind}: {}{}",
                self.file.display(),
                self.location
            )?;
            writeln!(f, "  {}", self.zh)?;
        }
        write!(f, "  {}", self.en)?;
        for line in &self.details {
            write!(f, "\n  {line}")?;
        }
        if let Some((zh, en)) = &self.hint {
            write!(f, "\n  提示：{zh}\n  hint: {en}")?;
        }
        Ok(())
    }
}

/// All problems found so far, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// The closest candidate to a misspelt name, for "did you mean …?" hints: by edit distance
/// over characters (strsim's Levenshtein counts chars, so 职位 → 职务 is one edit), within
/// about half the name.
pub fn closest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = found.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(found, c), c))
        .filter(|(d, c)| *d <= length.max(c.chars().count()) / 2 + 1 && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_column_name() {
        assert_eq!(closest("职位", ["姓名", "职务", "工作职责"]), Some("职务"));
        assert_eq!(closest("完全不同的列名", ["姓名", "职务"]), None);
    }

    #[test]
    fn a_cell_error_names_row_and_column_in_both_languages() {
        let d = Diagnostic::error(
            "清单.csv",
            Location::Cell {
                row: 3,
                column: "姓名".into(),
            },
            "姓名为空",
            "name is empty",
        );
        let text = d.to_string();
        assert!(
            text.contains("清单.csv：第3行，“姓名”列 / row 3, column “姓名”"),
            "{text}"
        );
        assert!(text.contains("姓名为空") && text.contains("name is empty"));
    }
}
