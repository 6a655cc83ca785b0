//! The file names a document set will be written under, checked before anything is written.
//!
//! A `名称:` from the manifest must be one file name ([`crate::names::output_name_problem`]), and
//! no two documents of a set may land in the same file — a 名称 equal to 通知 or 全文, or two
//! 责任单位 whose task lists differ only by characters a disk ignores — or the second would
//! silently replace the first.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::DocumentSet;
use crate::names::{collision_key, output_name_problem, sanitised};

/// The error for a `名称:` at `key` that is not one portable file name, if it is not.
pub(crate) fn check_name(manifest: &Path, key: &str, name: &str) -> Option<Diagnostic> {
    let (zh, en) = output_name_problem(name)?;
    Some(
        Diagnostic::error(manifest, Location::Key(key.to_owned()), zh, en).with_hint(
            "写一个不含 / \\ : * ? \" < > | 的文件名（不带扩展名），例如“附件1-责任清单”",
            "write one file name without / \\ : * ? \" < > | (and no extension), e.g. 附件1-责任清单",
        ),
    )
}

/// The file stem of a 责任单位's own task list.
pub(crate) fn unit_list_name(unit: &str) -> String {
    format!("任务清单-{}", sanitised(unit))
}

/// Every output file stem of `set`, with what it is, in the order the renderer writes them.
fn stems(set: &DocumentSet) -> Vec<(String, String)> {
    let mut stems = Vec::new();
    let mut parts = 0;
    if set.notice.is_some() {
        stems.push(("通知".to_owned(), "通知".to_owned()));
        parts += 1;
    }
    if let Some(main) = &set.main {
        stems.push((main.name.clone(), "主件".to_owned()));
        parts += 1;
    }
    for (i, attachment) in set.attachments.iter().enumerate() {
        stems.push((attachment.name.clone(), format!("附件[{}]", i + 1)));
        parts += 1;
    }
    if parts > 1 {
        stems.push(("全文".to_owned(), "全文".to_owned()));
    }
    for attachment in &set.attachments {
        for list in &attachment.unit_lists {
            stems.push((
                unit_list_name(&list.unit),
                format!("责任单位“{}”", list.unit),
            ));
        }
    }
    stems
}

/// Reports every pair of documents of `set` that would be written to the same file.
pub(crate) fn check_collisions(set: &DocumentSet, manifest: &Path, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (stem, what) in stems(set) {
        let key = collision_key(&stem);
        if let Some((first, first_what)) = seen.get(&key) {
            diags.push(
                Diagnostic::error(
                    manifest,
                    Location::File,
                    format!(
                        "{what}的输出文件“{stem}”与{first_what}的“{first}”是同一个文件（文件名不区分大小写和全角半角），会互相覆盖"
                    ),
                    format!(
                        "the output file “{stem}” of {what} is the same file as “{first}” of {first_what} (file names ignore case and full-/half-width); one would overwrite the other"
                    ),
                )
                .with_hint(
                    "用“名称:”给其中一个文档另起一个文件名",
                    "give one of the documents another file name with 名称:",
                ),
            );
        } else {
            seen.insert(key, (stem, what));
        }
    }
}
