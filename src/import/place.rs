//! Where something was in the input — a .docx's paragraph, a text's line, a table's cell —, as
//! the report and the warnings name it, in Chinese and English. Its own module: the readers
//! ([`super::source`]) record places and the report ([`super::report`]) describes them.

use std::fmt;

/// Where a block was in the input, for the report and for warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// The nth paragraph of a .docx (1-based, counting every paragraph of the body).
    Paragraph(usize),
    /// A line of a text or Markdown file (1-based).
    Line(usize),
    /// A cell of a table: the table's number in the input, then row and column (1-based).
    Cell {
        table: usize,
        row: usize,
        column: usize,
    },
}

impl Place {
    /// Where, in Chinese and in English.
    pub(crate) fn describe(&self) -> (String, String) {
        match self {
            Place::Paragraph(n) => (format!("第{n}段"), format!("paragraph {n}")),
            Place::Line(n) => (format!("第{n}行"), format!("line {n}")),
            Place::Cell { table, row, column } => (
                format!("表格{table}第{row}行第{column}列"),
                format!("table {table}, row {row}, column {column}"),
            ),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (zh, en) = self.describe();
        write!(f, "{zh} / {en}")
    }
}
