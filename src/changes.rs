//! Change reports: what differs between two versions of a project, in words an office uses —
//! who joined or left, whose 职务 or duties changed, which duties moved from whom to whom, which
//! tasks changed their 责任单位 or 完成时限, and which output documents are affected.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::PreparedProject;
use crate::markdown::escape_markdown as md;
use crate::model::{AttachmentContent, ResponsibilityList, TaskTable};

/// What changed between two versions of one project (or batch unit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChangeReport {
    /// Per attachment with changes: its title and one sentence per change, as plain text
    /// (each output escapes it its own way: [`Self::to_markdown`], the web page's HTML).
    pub(crate) sections: Vec<(String, Vec<String>)>,
    /// The output documents whose text differs (by file stem, e.g. 附件-责任清单).
    pub(crate) affected: Vec<String>,
}

impl ChangeReport {
    /// Whether nothing changed at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.affected.is_empty()
    }

    /// The report as Markdown, as `qingdan diff` prints it.
    pub(crate) fn to_markdown(&self) -> String {
        if self.is_empty() {
            return "没有变化。/ No changes.\n".to_owned();
        }
        let mut out = String::new();
        for (title, lines) in &self.sections {
            let _ = writeln!(out, "## {}\n", md(title));
            for line in lines {
                let _ = writeln!(out, "- {}", md(line));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "## 受影响的文件 / Affected documents\n");
        if self.affected.is_empty() {
            out.push_str("- 无\n");
        }
        for name in &self.affected {
            let _ = writeln!(out, "- {}", md(name));
        }
        out
    }
}

/// The changes between two prepared versions of the same project (or batch unit).
pub(crate) fn compare(old: &PreparedProject, new: &PreparedProject) -> ChangeReport {
    let mut report = ChangeReport::default();
    for (old_a, new_a) in old.set.attachments.iter().zip(&new.set.attachments) {
        let lines = match (&old_a.content, &new_a.content) {
            (AttachmentContent::Responsibility(a), AttachmentContent::Responsibility(b)) => {
                roster_changes(a, b)
            }
            (AttachmentContent::Tasks(a), AttachmentContent::Tasks(b)) => task_changes(a, b),
            _ => Vec::new(),
        };
        if !lines.is_empty() {
            report.sections.push((new_a.title.clone(), lines));
        }
    }
    report.affected = new
        .documents
        .iter()
        .filter(|d| {
            old.documents
                .iter()
                .find(|o| o.name == d.name)
                .is_none_or(|o| o.markdown != d.markdown)
        })
        .map(|d| d.name.clone())
        .collect();
    report
}

/// The change report of a project given by unit (`""` for a project that is not a batch):
/// each unit compared with the unit of the same name, new and removed units said so. Units
/// without changes are left out, unless the project is not a batch.
pub(crate) fn units_report(
    old: &BTreeMap<String, PreparedProject>,
    new: &BTreeMap<String, PreparedProject>,
) -> String {
    let mut report = String::new();
    for (unit, new_unit) in new {
        let heading = if unit.is_empty() {
            String::new()
        } else {
            format!("# {}\n\n", md(unit))
        };
        match old.get(unit) {
            Some(old_unit) => {
                let changes = compare(old_unit, new_unit);
                if !changes.is_empty() || unit.is_empty() {
                    report.push_str(&heading);
                    report.push_str(&changes.to_markdown());
                    report.push('\n');
                }
            }
            None => report.push_str(&format!("{heading}新增单位 / new unit\n\n")),
        }
    }
    for unit in old.keys().filter(|u| !new.contains_key(*u)) {
        report.push_str(&format!(
            "# {}\n\n已移除的单位 / removed unit\n\n",
            md(unit)
        ));
    }
    report
}

fn roster_changes(old: &ResponsibilityList, new: &ResponsibilityList) -> Vec<String> {
    let mut lines = Vec::new();
    let old_by_name: BTreeMap<&str, _> = old.leaders.iter().map(|l| (l.name.as_str(), l)).collect();
    let new_by_name: BTreeMap<&str, _> = new.leaders.iter().map(|l| (l.name.as_str(), l)).collect();
    // A newcomer with exactly the duties of someone who left took over that post.
    let successions: BTreeMap<&str, &str> = new
        .leaders
        .iter()
        .filter(|l| !old_by_name.contains_key(l.name.as_str()))
        .filter_map(|l| {
            old.leaders
                .iter()
                .find(|o| !new_by_name.contains_key(o.name.as_str()) && o.duties == l.duties)
                .map(|o| (o.name.as_str(), l.name.as_str()))
        })
        .collect();
    for (before, after) in &successions {
        let title = &new_by_name[after].title;
        lines.push(format!(
            "接任：{}接替{}（{}），职责不变",
            after, before, title
        ));
    }
    for leader in &new.leaders {
        if successions.values().any(|n| *n == leader.name) {
            continue;
        }
        match old_by_name.get(leader.name.as_str()) {
            None => lines.push(format!("新增：{}（{}）", leader.name, leader.title)),
            Some(before) if before.title != leader.title => lines.push(format!(
                "职务变更：{}，{} → {}",
                leader.name, before.title, leader.title
            )),
            Some(_) => {}
        }
    }
    for leader in &old.leaders {
        if !new_by_name.contains_key(leader.name.as_str())
            && !successions.contains_key(leader.name.as_str())
        {
            lines.push(format!("离任：{}（{}）", leader.name, leader.title));
        }
    }
    // Duties: where each duty text was, and where it is now.
    // Predecessors count as their successors here, so a plain hand-over lists no duty moves.
    let holders = |list: &ResponsibilityList| -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for l in &list.leaders {
            let name = successions.get(l.name.as_str()).copied().unwrap_or(&l.name);
            for d in &l.duties {
                map.entry(d.clone()).or_default().push(name.to_owned());
            }
        }
        map
    };
    let (before, after) = (holders(old), holders(new));
    for (duty, now) in &after {
        let was = before.get(duty).cloned().unwrap_or_default();
        if was == *now {
            continue;
        }
        let short: String = duty.chars().take(30).collect();
        let short = if duty.chars().count() > 30 {
            format!("{short}……")
        } else {
            short
        };
        lines.push(if was.is_empty() {
            format!("新增职责（{}）：{}", now.join("、"), short)
        } else {
            format!(
                "职责转移：{} → {}：{}",
                was.join("、"),
                now.join("、"),
                short
            )
        });
    }
    for (duty, was) in &before {
        if !after.contains_key(duty) {
            let short: String = duty.chars().take(30).collect();
            lines.push(format!("删除职责（{}）：{}", was.join("、"), short));
        }
    }
    lines
}

fn task_changes(old: &TaskTable, new: &TaskTable) -> Vec<String> {
    let tasks = |t: &TaskTable| -> BTreeMap<String, (String, String)> {
        t.categories
            .iter()
            .flat_map(|c| &c.measures)
            .flat_map(|m| &m.tasks)
            .map(|task| {
                (
                    task.text.clone(),
                    (task.units.clone(), task.deadline.clone()),
                )
            })
            .collect()
    };
    let (before, after) = (tasks(old), tasks(new));
    let mut lines = Vec::new();
    for (text, (units, deadline)) in &after {
        let short: String = text.chars().take(30).collect();
        match before.get(text) {
            None => lines.push(format!("新增任务：{}（{}，{}）", short, units, deadline)),
            Some((u, d)) => {
                if u != units {
                    lines.push(format!("责任单位变更：{}：{} → {}", short, u, units));
                }
                if d != deadline {
                    lines.push(format!("完成时限变更：{}：{} → {}", short, d, deadline));
                }
            }
        }
    }
    for text in before.keys().filter(|t| !after.contains_key(*t)) {
        let short: String = text.chars().take(30).collect();
        lines.push(format!("删除任务：{}", short));
    }
    lines
}
