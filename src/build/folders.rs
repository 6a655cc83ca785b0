//! Where a build may write: never onto its inputs, never two projects into one folder, and
//! never while another qingdan writes the same output folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BuildOptions, Reporter};
use crate::FailedProject;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::names::collision_key;
use crate::output::lock::{LockError, OutputLock};
use crate::output::output_overlaps_input;
use crate::project::Project;

/// Owns the output folder for a whole build, from reading the inputs to the last file
/// ([`crate::output::lock`]), waiting while another qingdan writes it and saying so. `Ok(None)`
/// for an output folder on an input, which the build refuses before writing anything (the lock
/// file is not made there either); `Err` once the reason it cannot be owned is reported.
pub(super) fn own_output(
    projects: &[Project],
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> Result<Option<OutputLock>, ()> {
    let dirs: Vec<PathBuf> = projects.iter().map(|p| p.dir.clone()).collect();
    if output_overlaps_input(&options.output, &dirs).is_some() {
        return Ok(None);
    }
    let output = &options.output;
    let waiting = &mut |owner: &crate::output::lock::Owner| {
        let (zh, en) = owner.describe();
        reporter.note(
            &format!(
                "输出文件夹 {} 正由{zh}写入，等它完成后再生成……",
                output.display()
            ),
            &format!(
                "the output folder {} is being written by {en}; waiting until it is done…",
                output.display()
            ),
        );
    };
    match OutputLock::own(output, "build", None, waiting) {
        Ok(lock) => Ok(Some(lock)),
        Err(LockError::Io(e)) => {
            let mut problem = Diagnostics::new();
            problem.push(
                Diagnostic::error(
                    output,
                    Location::File,
                    format!("无法在输出文件夹中建立锁文件，未写入任何文件：{e}"),
                    format!(
                        "cannot make the lock file in the output folder; nothing was written: {e}"
                    ),
                )
                .with_hint(
                    "检查输出文件夹能否写入，或用 -o 指定另一个",
                    "check that the output folder can be written, or choose another with -o",
                ),
            );
            reporter.diagnostics(&problem);
            Err(())
        }
        // Without patience it waits until the folder is free.
        Err(LockError::Busy(_)) => Err(()),
    }
}

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
