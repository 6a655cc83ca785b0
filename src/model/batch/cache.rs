//! The sheets (and text files) a batch reads, kept so that the master sheet is read and split
//! into its units once, not once per unit.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Split;
use crate::diag::Diagnostic;
use crate::inputs::read_sheet_within;
use crate::inputs::sheet::{RowLimit, Sheet};

/// Sheets read so far, so a batch reads its master sheet once, not once per unit.
#[derive(Default)]
pub(crate) struct SheetCache {
    sheets: HashMap<SheetKey, Arc<Sheet>>,
    /// Where each unit's rows are in a grouped sheet, found once, not again for every unit.
    splits: HashMap<(SheetKey, String), Option<Split>>,
    /// Text files whose reading warnings were given already (a batch reads them per unit).
    reported: HashSet<PathBuf>,
}

/// A sheet file and worksheet name.
type SheetKey = (PathBuf, Option<String>);

impl SheetCache {
    /// A cache holding `sheet` as the content of `path` (worksheet `sheet_name`, as the
    /// manifest names it): a project loaded with it reads `sheet` in place of the file.
    /// `qingdan serve` checks an uploaded sheet this way, before anything is written into the
    /// project.
    pub(crate) fn with_sheet(path: &Path, sheet_name: Option<&str>, sheet: Sheet) -> Self {
        let mut cache = Self::default();
        let key = (path.to_path_buf(), sheet_name.map(str::to_owned));
        cache.sheets.insert(key, Arc::new(sheet));
        cache
    }

    /// The sheet at `path` (worksheet `sheet`), read once, for `limit`'s purpose (one table, or a
    /// batch's master sheet): reading stops at the first row past it.
    pub(in crate::model) fn read(
        &mut self,
        path: &Path,
        sheet: Option<&str>,
        limit: RowLimit,
    ) -> Result<Arc<Sheet>, Box<Diagnostic>> {
        let key = (path.to_path_buf(), sheet.map(str::to_owned));
        if let Some(found) = self.sheets.get(&key) {
            return Ok(found.clone());
        }
        let read = Arc::new(read_sheet_within(path, sheet, limit)?);
        self.sheets.insert(key, read.clone());
        Ok(read)
    }

    /// The rows of `unit` in the sheet grouped by `column`, made now (the sheet is split once,
    /// into where each unit's rows are); `None` when there is no such column.
    pub(in crate::model) fn unit_rows(
        &mut self,
        path: &Path,
        sheet: Option<&str>,
        column: &str,
        unit: &str,
    ) -> Option<Sheet> {
        let key = (
            (path.to_path_buf(), sheet.map(str::to_owned)),
            column.to_owned(),
        );
        let whole = self.sheets.get(&key.0)?;
        let split = self
            .splits
            .entry(key)
            .or_insert_with(|| Split::new(whole, column))
            .as_ref()?;
        Some(split.sheet_of(whole, unit))
    }

    /// Whether the reading warnings of the text file at `path` are still to be given: true the
    /// first time only, as a batch reads the same text once per unit.
    pub(in crate::model) fn first_report(&mut self, path: &Path) -> bool {
        self.reported.insert(path.to_path_buf())
    }
}
