//! The import report: every guess the importer made ("table 1 read as 责任清单: 姓名/职务/工作职责"),
//! what it left out because qingdan makes it anew (page numbers, a table header repeated on
//! each page), and what it could not place, each in Chinese and English with the paragraph,
//! line or cell it is about. It is a value: the terminal prints it with [`Report`]'s `Display`,
//! the web page shows it as a table.

use std::fmt;

use serde::Serialize;

use super::place::Place;

/// How much a note matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something recognised: check it.
    Guess,
    /// Left out because qingdan generates it (a page number, a typed number, a repeated header).
    Left,
    /// Something the importer could not place where it belongs; it is in the body as text.
    Warning,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// How much it matters.
    pub level: Level,
    /// The paragraph, line or cell it is about, in both languages.
    pub place: Option<(String, String)>,
    /// What was done, in Chinese.
    pub zh: String,
    /// The same in English.
    pub en: String,
}

impl Note {
    fn new(
        level: Level,
        place: Option<Place>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            level,
            place: place.map(|p| p.describe()),
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Something recognised.
    pub(crate) fn guess(
        place: Option<Place>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self::new(Level::Guess, place, zh, en)
    }

    /// Something left out because qingdan generates it.
    pub(crate) fn left(place: Option<Place>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(Level::Left, place, zh, en)
    }

    /// Something not placed (kept as body text) or not imported.
    pub(crate) fn warning(
        place: Option<Place>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self::new(Level::Warning, place, zh, en)
    }
}

/// What an import found and did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The notes in the order they were made (reading, then recognising, then writing).
    pub notes: Vec<Note>,
}

impl Report {
    /// The notes at `level`.
    pub fn at(&self, level: Level) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(move |n| n.level == level)
    }

    /// How many warnings (text not placed, parts not imported).
    pub fn warnings(&self) -> usize {
        self.at(Level::Warning).count()
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (zh, en) = match self.level {
            Level::Guess => ("识别", "guess"),
            Level::Left => ("略去", "left out"),
            Level::Warning => ("警告", "warning"),
        };
        match &self.place {
            Some((pzh, pen)) => writeln!(f, "{zh} / {en}: {pzh} / {pen}")?,
            None => writeln!(f, "{zh} / {en}:")?,
        }
        writeln!(f, "  {}", self.zh)?;
        write!(f, "  {}", self.en)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        Ok(())
    }
}
