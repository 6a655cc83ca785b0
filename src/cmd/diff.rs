//! `qingdan diff OLD NEW`: a Markdown change report between two versions of a project folder
//! (each unit of a batch compared with the unit of the same name).

use std::collections::BTreeMap;

use crate::cli::DiffArgs;
use crate::{PreparedProject, changes, prepare_projects};

pub fn run(args: &DiffArgs) -> i32 {
    let load = |dir: &std::path::Path| -> Option<BTreeMap<String, PreparedProject>> {
        let mut units = BTreeMap::new();
        for prepared in prepare_projects(dir) {
            match prepared {
                Ok(p) => {
                    let unit = p.name.split_once('/').map_or("", |(_, u)| u).to_owned();
                    units.insert(unit, p);
                }
                Err(failure) => {
                    eprint!("{}", failure.diagnostics);
                    return None;
                }
            }
        }
        Some(units)
    };
    let (Some(old), Some(new)) = (load(&args.old), load(&args.new)) else {
        return 1;
    };
    let mut report = format!(
        "# 变更报告 / Change report\n\n{} → {}\n\n",
        args.old.display(),
        args.new.display()
    );
    for (unit, new_unit) in &new {
        let heading = if unit.is_empty() {
            String::new()
        } else {
            format!("# {unit}\n\n")
        };
        match old.get(unit) {
            Some(old_unit) => {
                let section = changes::report(old_unit, new_unit);
                if !section.starts_with("没有变化") || unit.is_empty() {
                    report.push_str(&heading);
                    report.push_str(&section);
                    report.push('\n');
                }
            }
            None => report.push_str(&format!("{heading}新增单位 / new unit\n\n")),
        }
    }
    for unit in old.keys().filter(|u| !new.contains_key(*u)) {
        report.push_str(&format!("# {unit}\n\n已移除的单位 / removed unit\n\n"));
    }
    print!("{report}");
    0
}
