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
    Cell {
        /// The row number as the spreadsheet shows it (1-based, the header row counted).
        row: usize,
        /// The column's header as the user wrote it, e.g. 职务.
        column: String,
    },
    /// A row of a sheet (1-based, as the spreadsheet shows it).
    Row(usize),
    /// A key path in a YAML manifest, e.g. `附件[1].数据`.
    Key(String),
}

/// How bad a problem is: errors stop a document from being built, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The document (or the whole project) is not built; the exit code is 1.
    Error,
    /// Printed, but the documents are still built.
    Warning,
}

/// One problem in the user's input, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether it stops the build.
    pub severity: Severity,
    /// The file the problem is in, as the user would open it; empty for a problem with no file
    /// (then the message is printed on the first line).
    pub file: PathBuf,
    /// Where in `file`.
    pub location: Location,
    /// The message in Chinese: what failed and why.
    pub zh: String,
    /// The same message in English.
    pub en: String,
    /// The fix, in Chinese and English (printed after 提示 / hint), e.g. "did you mean 职务?".
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

    /// Whether it stops the build (rather than being a warning).
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
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one more problem, after those found before it. The same problem at the same
    /// place just found is said once: one line of 10,000 `> ` opens 10,000 block quotes, each
    /// refused alike, and 10,000 identical messages would bury the others.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.items.last() != Some(&diagnostic) {
            self.items.push(diagnostic);
        }
    }

    /// Appends the problems a later step found (keeping the order of both).
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any of the problems is an error, i.e. the documents must not be built.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Whether nothing at all was found, not even a warning.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// How many of the problems are errors (for the closing summary).
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

/// The line numbers of a text's byte offsets, for messages: the line starts are found once, so
/// naming the line of each of many items stays linear in the text (counting the line breaks
/// before every item anew was quadratic: 8 MB of Markdown took two minutes).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// The byte offset where each line after the first starts.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> Self {
        Self {
            starts: line_starts(text.as_bytes()),
        }
    }

    /// The 1-based line that byte `offset` is on.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) + 1
    }
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
        .collect()
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
    fn line_index_names_the_line_of_each_offset() {
        let text = "a\nbc\n\nd";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            let counted = text[..offset].matches('\n').count() + 1;
            assert_eq!(index.line_of(offset), counted, "offset {offset}");
        }
    }

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
