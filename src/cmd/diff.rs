//! `qingdan diff OLD NEW`: a Markdown change report between two versions of a project folder
//! (each unit of a batch compared with the unit of the same name). With `--rev REV` the old
//! version is the folder as it was at a git revision (and with `--to`, so is the new one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::DiffArgs;
use crate::cmd::{err, errln, out};
use crate::gitrev::{self, GitError, Snapshot};
use crate::{PreparedProject, changes, prepare_projects};

pub fn run(args: &DiffArgs) -> i32 {
    let sides = match &args.rev {
        None => Ok((
            Side::folder(&args.dir),
            Side::folder(args.new.as_deref().unwrap_or(&args.dir)),
        )),
        Some(rev) => Side::at(&args.dir, rev).and_then(|old| {
            let new = match &args.to {
                Some(to) => Side::at(&args.dir, to)?,
                None => Side::folder(&args.dir),
            };
            Ok((old, new))
        }),
    };
    let (old_side, new_side) = match sides {
        Ok(sides) => sides,
        Err(error) => {
            errln!("{error}");
            return 1;
        }
    };
    let (Some(old), Some(new)) = (old_side.load(), new_side.load()) else {
        return 1;
    };
    let mut report = format!(
        "# 变更报告 / Change report\n\n{} → {}\n\n",
        old_side.label, new_side.label
    );
    report.push_str(&changes::units_report(&old, &new));
    out!("{report}");
    0
}

/// One version of the project: where it is read from and how the report names it.
struct Side {
    dir: PathBuf,
    label: String,
    /// A revision's temporary copy (removed when the side is dropped).
    snapshot: Option<Snapshot>,
}

impl Side {
    fn folder(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            label: dir.display().to_string(),
            snapshot: None,
        }
    }

    /// `dir` as it was at git revision `rev`.
    fn at(dir: &Path, rev: &str) -> Result<Self, GitError> {
        let snapshot = gitrev::snapshot(dir, rev)?;
        Ok(Self {
            dir: snapshot.project_dir().to_path_buf(),
            label: format!("{}@{}", dir.display(), snapshot.label()),
            snapshot: Some(snapshot),
        })
    }

    /// Every unit of the project by name ("" for a project that is not a batch), or `None`
    /// after printing why it could not be read.
    fn load(&self) -> Option<BTreeMap<String, PreparedProject>> {
        let mut units = BTreeMap::new();
        let project = std::sync::Arc::new(crate::project::Project::open(&self.dir));
        for prepared in prepare_projects(&project) {
            match prepared {
                Ok(p) => {
                    units.insert(p.unit.clone().unwrap_or_default(), p);
                }
                Err(failure) => {
                    let text = failure.diagnostics.to_string();
                    // Name files at a revision as git does, not by their temporary copies.
                    match &self.snapshot {
                        Some(snapshot) => err!("{}", snapshot.unmap(&text)),
                        None => err!("{text}"),
                    }
                    return None;
                }
            }
        }
        Some(units)
    }
}
