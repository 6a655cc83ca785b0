//! What a build tells: to a [`Reporter`] as it goes, and in the [`BuildReport`] at the end.

use std::path::PathBuf;

use super::Timings;
use super::write::Tally;
use crate::diag::Diagnostics;

/// Where a build tells what it finds as it goes. Every method may be called from any thread.
pub trait Reporter: Sync {
    /// Problems found: warnings, and the errors of a set that is not built.
    fn diagnostics(&self, diagnostics: &Diagnostics);
    /// A project or unit that is not built, with how many errors it has.
    fn not_built(&self, _name: &str, _errors: usize) {}
    /// Something worth knowing that is not a problem of the input, in both languages.
    fn note(&self, _zh: &str, _en: &str) {}
    /// About `total` PDFs are to be compiled in all. Told before each window of document sets
    /// is compiled, with a better figure each time: the sets not yet prepared are expected to
    /// need as many as those before; exact once every set is prepared (a build of one window
    /// tells it once, exactly).
    fn compiling(&self, _total: usize) {}
    /// One more PDF is done.
    fn compiled(&self) {}
    /// Every PDF is done.
    fn compiled_all(&self) {}
}

/// A project, or unit of a batch, that was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltSet {
    /// `<project>` or `<project>/<unit>`.
    pub name: String,
    /// The project folder.
    pub dir: PathBuf,
    /// Where its files are.
    pub output: PathBuf,
    /// How many warnings it had.
    pub warnings: usize,
}

/// A project, or unit of a batch, that was not built: nothing of it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotBuilt {
    /// `<project>` or `<project>/<unit>`.
    pub name: String,
    /// The project folder.
    pub dir: PathBuf,
    /// How many errors stopped it (each one told to the [`Reporter`]).
    pub errors: usize,
}

/// What came of one project or unit: built (or, in `check`, would build) when it has no errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `<project>` or `<project>/<unit>`.
    pub name: String,
    /// How many errors it has; 0 means `build` writes it.
    pub errors: usize,
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Every project or unit written, in order.
    pub built: Vec<BuiltSet>,
    /// Every project or unit with errors, in the order they were found.
    pub not_built: Vec<NotBuilt>,
    /// How many projects and units were prepared without errors (built or failed later).
    pub prepared: usize,
    /// The files written, left as they were, or failed, over all sets.
    pub files: Tally,
    /// The build was refused before anything was read (an output folder on an input).
    pub refused: bool,
    /// Every project and unit in the order its verdict was reached (those failing
    /// preparation as they are found, the others as their window is done).
    pub verdicts: Vec<Verdict>,
    /// How long each stage took.
    pub timings: Timings,
}

impl BuildReport {
    /// The report of a build refused before anything was read.
    pub(super) fn refused() -> Self {
        Self {
            refused: true,
            ..Self::default()
        }
    }

    /// Whether everything asked for was built and written.
    pub fn success(&self) -> bool {
        !self.refused && self.not_built.is_empty() && self.files.failed == 0
    }
}
