//! For batch projects: `索引.md` in the project's output folder, listing every unit and its
//! files; a unit that was not built (bad data, or a PDF that failed) is marked so. The units are
//! noted as their sets go by ([`Index::prepared`], [`Index::failed`]), the indexes written after
//! the last one.

use std::collections::BTreeMap;

use super::write::Tally;
use super::{BuildOptions, Reporter};
use crate::output::write_atomic_unsynced;
use crate::{FailedProject, PreparedProject};

/// The index file's name.
pub(crate) const INDEX_FILE: &str = "索引.md";

/// A prepared unit, and its documents' names when it was built.
type PreparedUnit = (String, Option<Vec<String>>);

/// One row of an index: a unit, and its documents' names when it was built.
type IndexRow<'a> = (&'a str, Option<&'a [String]>);

/// The units of every batch project seen so far, by project name: those prepared, in order,
/// with their documents' names when they were built; and those that failed to prepare.
#[derive(Default)]
pub(super) struct Index {
    prepared: BTreeMap<String, Vec<PreparedUnit>>,
    failed: BTreeMap<String, Vec<String>>,
}

impl Index {
    /// Notes a prepared set, `built` or not.
    pub(super) fn prepared(&mut self, set: &PreparedProject, built: bool) {
        if let Some(unit) = &set.unit {
            let documents = built.then(|| set.documents.iter().map(|d| d.name.clone()).collect());
            self.prepared
                .entry(set.project.name.clone())
                .or_default()
                .push((unit.clone(), documents));
        }
    }

    /// Notes a unit that failed to prepare.
    pub(super) fn failed(&mut self, failed: &FailedProject) {
        if let Some(unit) = &failed.unit {
            self.failed
                .entry(failed.project.name.clone())
                .or_default()
                .push(unit.clone());
        }
    }

    /// Writes the index of every batch project noted: its prepared units, then those that
    /// failed to prepare.
    pub(super) fn write(&self, options: &BuildOptions, reporter: &dyn Reporter) -> Tally {
        let mut tally = Tally::default();
        let mut units: BTreeMap<&str, Vec<IndexRow>> = BTreeMap::new();
        for (base, list) in &self.prepared {
            units.entry(base).or_default().extend(
                list.iter()
                    .map(|(unit, docs)| (unit.as_str(), docs.as_deref())),
            );
        }
        for (base, list) in &self.failed {
            units
                .entry(base)
                .or_default()
                .extend(list.iter().map(|unit| (unit.as_str(), None)));
        }
        for (base, list) in units {
            let mut text = format!(
                "# {base} 生成索引\n\n共 {} 个单位。\n\n| 单位 | 文件 |\n| --- | --- |\n",
                list.len()
            );
            for (unit, documents) in list {
                let cell = match documents {
                    Some(documents) => documents
                        .iter()
                        .map(|name| {
                            format!(
                                "[{0}](<{1}/{0}.md>)、[PDF](<{1}/{0}.pdf>)、[Word](<{1}/{0}.docx>)",
                                name, unit
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("；"),
                    None => "**生成失败**，见 qingdan check 的报告".to_owned(),
                };
                text.push_str(&format!(
                    "| {} | {cell} |\n",
                    crate::markdown::escape_markdown(unit)
                ));
            }
            let path = options.output.join(base).join(INDEX_FILE);
            tally.record(
                reporter,
                &path,
                write_atomic_unsynced(&path, text.as_bytes()),
            );
        }
        tally
    }
}
