//! Where a build may write: never onto its inputs, and never two projects into one folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use crate::FailedProject;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::names::collision_key;
use crate::project::Project;

/// The error for an output folder that is, contains or lies inside an input project.
pub(super) fn output_on_input(output: &Path, project: &Path) -> Diagnostic {
    Diagnostic::error(
        output,
        Location::File,
        format!(
            "输出文件夹与项目文件夹 {} 重叠（相同、包含或在其内部），生成的文件会覆盖原始文件；未写入任何文件",
            project.display()
        ),
        format!(
            "the output folder overlaps the project folder {} (is, contains or lies inside it): outputs would overwrite its files; nothing was written",
            project.display()
        ),
    )
    .with_hint(
        "用 -o 指定项目文件夹以外的输出文件夹，例如 -o output",
        "choose an output folder outside the project folders with -o, e.g. -o output",
    )
}

/// The projects, each folder once, and a failure for every project whose output folder (its
/// name) another one already has: `a/p` and `b/p` would both write `output/p`.
pub(super) fn distinct_output_folders(
    projects: Vec<Arc<Project>>,
) -> (Vec<Arc<Project>>, Vec<FailedProject>) {
    let mut kept: Vec<Arc<Project>> = Vec::new();
    let mut real = BTreeSet::new();
    let mut by_name: BTreeMap<String, Arc<Project>> = BTreeMap::new();
    let mut clashes = Vec::new();
    for project in projects {
        let dir = &project.dir;
        if !real.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
            continue;
        }
        let name = &project.name;
        match by_name.get(&collision_key(name)) {
            Some(first) => {
                let mut diagnostics = Diagnostics::new();
                diagnostics.push(
                    Diagnostic::error(
                        dir,
                        Location::File,
                        format!(
                            "与项目 {} 同名，两者都会写入输出文件夹“{name}”并互相覆盖；此项目未生成",
                            first.dir.display()
                        ),
                        format!(
                            "has the same name as the project {}: both would be written to the output folder “{name}” and overwrite each other; this one was not built",
                            first.dir.display()
                        ),
                    )
                    .with_hint(
                        "分两次生成，各用一个 -o 输出文件夹，或给其中一个项目文件夹改名",
                        "build them separately, each with its own -o folder, or rename one of the folders",
                    ),
                );
                clashes.push(FailedProject {
                    project: project.clone(),
                    unit: None,
                    name: name.clone(),
                    diagnostics,
                });
            }
            None => {
                by_name.insert(collision_key(name), project.clone());
                kept.push(project);
            }
        }
    }
    (kept, clashes)
}
