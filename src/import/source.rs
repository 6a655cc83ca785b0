//! What every reader gives the recogniser: the document as a list of paragraphs and tables, in
//! reading order, each remembering where it was (paragraph 12, line 40, table 2) so the report
//! can name it.
//!
//! A .docx, a text file, a Markdown file and pdftotext's output are very different sources of
//! the same document; once read they look alike, with what only some of them know (a paragraph
//! centred, a heading style, a lead sentence in 楷体) as hints the recogniser may use and never
//! needs.

pub(crate) use super::place::Place;

/// How a paragraph was set, where the source says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Look {
    /// Nothing known (plain text), or an ordinary body paragraph.
    #[default]
    Plain,
    /// A title: Word's Title style, a Markdown `#` heading, or centred large text.
    Title,
    /// A heading of this level (Word's Heading N, Markdown `##` …).
    Heading(u8),
    /// Centred, not a title by style.
    Centred,
    /// Set flush right (a date, a signature).
    Right,
}

/// One paragraph of the input.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Para {
    /// The text, line breaks inside the paragraph as `\n`, spaces as written.
    pub(crate) text: String,
    /// The length in bytes of a run-in lead set apart at its start (楷体 or italic in a .docx,
    /// `*…*` in Markdown): （一）加强学习，提高认识。
    pub(crate) lead: Option<usize>,
    pub(crate) look: Look,
    /// Set in red (a 发文机关标志).
    pub(crate) red: bool,
    /// The paragraph starts a new page (a page or section break before it).
    pub(crate) new_page: bool,
    /// Its indent from the left, in characters of its text, when the source knows it.
    pub(crate) indent: Option<f32>,
    /// Its indent from the right, in characters, when the source knows it (where a .docx puts
    /// a date under a seal).
    pub(crate) right_indent: Option<f32>,
    pub(crate) place: Place,
}

impl Para {
    /// A plain paragraph at `place`.
    pub(crate) fn plain(text: impl Into<String>, place: Place) -> Self {
        Self {
            text: text.into(),
            lead: None,
            look: Look::Plain,
            red: false,
            new_page: false,
            indent: None,
            right_indent: None,
            place,
        }
    }
}

/// One table of the input, merged cells resolved the way qingdan reads sheets: a cell covered
/// by a merge from above is blank ("same as above"), one covered from the left is blank too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    /// Rows of cell texts (line breaks inside a cell as `\n`), all of the same width.
    pub(crate) rows: Vec<Vec<String>>,
    /// Which cells were covered by a merge, row by row (same shape as `rows`).
    pub(crate) covered: Vec<Vec<bool>>,
    /// The table's number in the input (1-based), for the report.
    pub(crate) number: usize,
    /// Where it starts.
    pub(crate) place: Place,
    /// The table starts a new page.
    pub(crate) new_page: bool,
}

impl Table {
    /// A table of `rows` (padded to the widest), nothing merged.
    pub(crate) fn new(mut rows: Vec<Vec<String>>, number: usize, place: Place) -> Self {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut rows {
            row.resize(width, String::new());
        }
        let covered = rows.iter().map(|r| vec![false; r.len()]).collect();
        Self {
            rows,
            covered,
            number,
            place,
            new_page: false,
        }
    }

    /// The number of columns.
    #[cfg(test)]
    pub(crate) fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }

    /// Where cell (`row`, `column`) (0-based) is, for the report.
    pub(crate) fn cell_place(&self, row: usize, column: usize) -> Place {
        Place::Cell {
            table: self.number,
            row: row + 1,
            column: column + 1,
        }
    }
}

/// A paragraph or a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Para(Para),
    Table(Table),
}

/// A whole input, read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Source {
    pub(crate) blocks: Vec<Block>,
    /// What reading it noticed on the way (a bookmark removed, text of a nested table moved
    /// into its cell, the encoding), for the report.
    pub(crate) notes: Vec<super::report::Note>,
}
