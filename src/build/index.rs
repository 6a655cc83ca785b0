//! For batch projects: `索引.md` in the project's output folder, listing every unit and its
//! files; a unit that was not built (bad data, or a PDF that failed) is marked so.

use std::collections::BTreeMap;

use super::write::Tally;
use super::{BuildOptions, Reporter};
use crate::output::write_atomic_unsynced;
use crate::{FailedProject, PreparedProject};

/// The index file's name.
pub(crate) const INDEX_FILE: &str = "索引.md";

/// Writes the index of every batch project among `projects` and `failures`; `built[p]` says
/// whether `projects[p]` was written.
pub(super) fn write_indexes(
    options: &BuildOptions,
    reporter: &dyn Reporter,
    projects: &[PreparedProject],
    built: &[bool],
    failures: &[FailedProject],
) -> Tally {
    let mut tally = Tally::default();
    let mut units: BTreeMap<&str, Vec<(&str, Option<&PreparedProject>)>> = BTreeMap::new();
    for (project, built) in projects.iter().zip(built) {
        if let Some(unit) = &project.unit {
            let built = built.then_some(project);
            units
                .entry(&project.project.name)
                .or_default()
                .push((unit, built));
        }
    }
    for failed in failures {
        if let Some(unit) = &failed.unit {
            units
                .entry(&failed.project.name)
                .or_default()
                .push((unit, None));
        }
    }
    for (base, list) in units {
        let mut text = format!(
            "# {base} 生成索引\n\n共 {} 个单位。\n\n| 单位 | 文件 |\n| --- | --- |\n",
            list.len()
        );
        for (unit, project) in list {
            let cell = match project {
                Some(p) => p
                    .documents
                    .iter()
                    .map(|d| {
                        format!(
                            "[{0}](<{1}/{0}.md>)、[PDF](<{1}/{0}.pdf>)、[Word](<{1}/{0}.docx>)",
                            d.name, unit
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
