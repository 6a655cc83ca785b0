//! Each 附件 of the manifest: its sheet read (in a batch, the unit's rows), built as the kind it
//! names, and named; then the checks between documents.

use super::loader::{Loader, one_line, title_lines};
use super::{
    Attachment, AttachmentContent, DocumentSet, checks, long_words, output_names, roster, schedule,
    tasks,
};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::inputs::manifest::AttachmentSpec;
use crate::inputs::sheet::RowLimit;
use crate::project::resolve_in_project;

impl Loader<'_> {
    pub(super) fn attachment(
        &mut self,
        index: usize,
        count: usize,
        spec: &AttachmentSpec,
    ) -> Option<Attachment> {
        let key = format!("附件[{}]", index + 1);
        let path = match resolve_in_project(self.dir, &spec.data) {
            Ok(p) => p,
            Err((zh, en)) => {
                self.key_error(&format!("{key}.数据"), zh, en);
                return None;
            }
        };
        self.sources.push(path.clone());
        // A grouped sheet is a batch's master sheet, its units' tables checked one by one below.
        let limit = if spec.group_by.is_some() {
            RowLimit::Master
        } else {
            RowLimit::Table
        };
        let sheet = match self.sheets.read(&path, spec.sheet.as_deref(), limit) {
            Ok(s) => s,
            Err(d) => {
                self.diags.push(*d);
                return None;
            }
        };
        let sheet = match (&spec.group_by, self.unit) {
            (Some(column), Some(unit)) => {
                match self
                    .sheets
                    .unit_rows(&path, spec.sheet.as_deref(), column, unit)
                {
                    Some(rows) => rows,
                    None => {
                        self.key_error(
                            &format!("{key}.分组"),
                            format!("表格中没有分组列“{column}”"),
                            format!("the sheet has no grouping column “{column}”"),
                        );
                        return None;
                    }
                }
            }
            _ => sheet.as_ref().clone(),
        };
        // Problems found reading the sheet (in a batch, those of this unit's rows).
        for problem in &sheet.problems {
            self.diags.push(problem.clone());
        }
        if let Some(too_large) = checks::table_too_large(&path, &sheet) {
            self.diags.push(too_large);
            return None;
        }
        long_words::in_table(&path, &sheet, &mut self.diags);
        let kind = spec.kind.trim();
        let Some(kind) = AttachmentKind::named(kind) else {
            self.key_error(
                &format!("{key}.类型"),
                format!("未知的附件类型“{kind}”，应为 责任清单、任务分工表 或 安排表"),
                format!("unknown attachment kind “{kind}”; use 责任清单, 任务分工表 or 安排表"),
            );
            return None;
        };
        let default_name = kind.label();
        let content = match kind {
            AttachmentKind::Responsibility => {
                roster::build_roster(&path, &sheet, spec.remark.clone(), &mut self.diags)
                    .map(AttachmentContent::Responsibility)
            }
            AttachmentKind::Tasks => {
                tasks::build_tasks(&path, &sheet, &spec.headers, &mut self.diags)
                    .map(AttachmentContent::Tasks)
            }
            AttachmentKind::Schedule => schedule::build_schedule(&path, &sheet, &mut self.diags)
                .map(AttachmentContent::Schedule),
        };
        if spec.remark.is_some()
            && !matches!(content, Some(AttachmentContent::Responsibility(_)))
            && content.is_some()
        {
            self.diags.push(Diagnostic::warning(
                self.manifest_path,
                Location::Key(format!("{key}.备注")),
                "只有责任清单有备注行，此备注未使用",
                "only a responsibility list has a 备注 row; this remark is not used",
            ));
        }
        if let Some(name) = &spec.name
            && let Some(d) =
                output_names::check_name(self.manifest_path, &format!("{key}.名称"), name)
        {
            self.diags.push(d);
            return None;
        }
        let number = spec.number.or((count > 1).then_some(index as u32 + 1));
        Some(Attachment {
            name: spec
                .name
                .as_ref()
                .map(|n| n.trim().to_owned())
                .unwrap_or_else(|| match number {
                    Some(n) => format!("附件{n}-{default_name}"),
                    None => format!("附件-{default_name}"),
                }),
            label: number.map_or_else(|| "附件".to_owned(), |n| format!("附件{n}")),
            title: one_line(&spec.title),
            title_lines: title_lines(&spec.title),
            unit_lists: match &content {
                Some(AttachmentContent::Tasks(table)) if spec.per_unit => {
                    tasks::per_unit_lists(table, &spec.expand_units)
                }
                _ => Vec::new(),
            },
            content: content?,
        })
    }
}

/// Checks between documents: leaders named in a schedule exist in the responsibility list.
pub(super) fn cross_check(set: &DocumentSet, diags: &mut Diagnostics) {
    let fold = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let roster: Vec<String> = set
        .attachments
        .iter()
        .filter_map(|a| match &a.content {
            AttachmentContent::Responsibility(list) => {
                Some(list.leaders.iter().map(|l| fold(&l.name)))
            }
            _ => None,
        })
        .flatten()
        .collect();
    if roster.is_empty() {
        return;
    }
    for attachment in &set.attachments {
        let AttachmentContent::Schedule(schedule) = &attachment.content else {
            continue;
        };
        for (row, sheet_row) in schedule.rows.iter().zip(&schedule.sheet_rows) {
            let name = fold(&row[0]);
            if !name.is_empty() && !roster.contains(&name) {
                let mut d = Diagnostic::error(
                    &schedule.path,
                    Location::Cell {
                        row: *sheet_row,
                        column: schedule.headers[0].clone(),
                    },
                    format!("“{}”不在责任清单的领导名单中", row[0]),
                    format!(
                        "“{}” is not among the leaders of the responsibility list",
                        row[0]
                    ),
                );
                if let Some(guess) = crate::diag::closest(&name, roster.iter().map(String::as_str))
                {
                    d = d.with_hint(
                        format!("是否应为“{guess}”？"),
                        format!("did you mean “{guess}”?"),
                    );
                }
                diags.push(d);
            }
        }
    }
}

/// The kinds of attachment qingdan lays out, each filled in as a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttachmentKind {
    /// 责任清单: 姓名 | 职务 | 工作职责.
    Responsibility,
    /// 任务分工表: tasks with 责任单位 and 完成时限.
    Tasks,
    /// 安排表: 带队领导 | 牵头部门 | 检查范围 ….
    Schedule,
}

impl AttachmentKind {
    /// The kind a manifest's 类型 names (in Chinese or English), if it is one.
    pub(crate) fn named(kind: &str) -> Option<Self> {
        match kind.trim() {
            "责任清单" | "responsibility" | "responsibility-list" => Some(Self::Responsibility),
            "任务分工表" | "分工表" | "tasks" | "task-division" => Some(Self::Tasks),
            "安排表" | "schedule" => Some(Self::Schedule),
            _ => None,
        }
    }

    /// Its name as documents and file names give it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Responsibility => "责任清单",
            Self::Tasks => "任务分工表",
            Self::Schedule => "安排表",
        }
    }
}
