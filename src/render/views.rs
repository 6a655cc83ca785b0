//! View structs: what templates see, shaped for printing rather than for validation.
//!
//! The model says "leader with duties"; a template wants "rows of a table, the name only on the
//! first row of its group, two-character names spaced 熊　丹". That shaping lives here, once, so
//! both the Markdown templates and the Typst layout receive the same [`PartView`].

use serde::Serialize;

use super::segmenter::Segmenter;
use crate::model::tasks::{UnitTask, UnitTaskList};
use crate::model::{
    Attachment, AttachmentContent, Banner, Block, BodyStyle, DocumentSet, MainDocument, Notice,
    ResponsibilityList, Schedule, Seal, TaskTable,
};

/// Two-character names are spaced with an ideographic space so they line up with
/// three-character ones (熊　丹 under 郭环球), as printed tables do.
pub(crate) fn pad_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    let all_cjk = chars
        .iter()
        .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(c) || ('\u{3400}'..='\u{4DBF}').contains(c));
    if chars.len() == 2 && all_cjk {
        format!("{}\u{3000}{}", chars[0], chars[1])
    } else {
        name.trim().to_owned()
    }
}

/// The page furniture and title of one part (notice, issued document or attachment), used by the
/// Markdown frame template and handed to the Typst layout as JSON.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PartView {
    /// notice, main or attachment.
    pub kind: &'static str,
    /// articles or sections, for the main document's heading layout.
    pub style: Option<BodyStyle>,
    /// The red 发文机关标志 (notice only).
    pub banner: Option<Banner>,
    /// 份号, the copy's serial number, top left (notice only).
    pub copy_number: Option<String>,
    /// 密级和保密期限, e.g. 秘密★1年 (notice only).
    pub secrecy: Option<String>,
    /// 紧急程度, e.g. 特急 (notice only).
    pub urgency: Option<String>,
    /// 发文字号, e.g. 大发〔2019〕45号 (notice only).
    pub number: Option<String>,
    /// An attachment's label over its title: 附件, or 附件2 when there are several.
    pub label: Option<String>,
    /// The title on one line (the author's line breaks are in `title_words`).
    pub title: String,
    /// The title's words, where the layout may break its lines (see [`super::title`]).
    pub title_words: super::title::TitleWords,
    /// 主送机关, the line above the body (notice only).
    pub addressee: Option<String>,
    /// Titles listed in the 附件说明 under this part's body.
    pub attachments: Vec<String>,
    /// 署名: one organ, several for a joint document, or the signer's title with a signature seal.
    pub signature: Vec<String>,
    /// Which seal the signature block is laid out for (GB/T 9704 7.3.5).
    pub seal: Seal,
    /// 签发人 (upward documents): the 发文字号 moves to the left, the signers to the right.
    pub signers: Vec<String>,
    /// 成文日期 under the signature, e.g. 2019年3月1日.
    pub date: Option<String>,
    /// 附注, printed in brackets under the date, e.g. 此件公开发布.
    pub remark: Option<String>,
    /// The rendered body Markdown (filled in by the render stage).
    pub body: String,
    /// Whether the part is set on landscape pages (tables of five or more columns).
    pub landscape: bool,
}

/// The 版记 at the end of the last page.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ColophonView {
    /// 抄送机关, the first line of the 版记.
    pub cc: Option<String>,
    /// 印发机关, on the left of the last line.
    pub printed_by: Option<String>,
    /// 印发日期, on the right of the last line.
    pub printed_on: Option<String>,
}

impl ColophonView {
    pub(crate) fn from_notice(notice: &Notice) -> Option<Self> {
        let view = Self {
            cc: notice.cc.clone(),
            printed_by: notice.printed_by.clone(),
            printed_on: notice.printed_on.clone(),
        };
        (view.cc.is_some() || view.printed_by.is_some() || view.printed_on.is_some())
            .then_some(view)
    }
}

/// The notice part; attachments are listed on it only when there is no issued document.
pub(crate) fn notice_part(segmenter: &Segmenter, set: &DocumentSet, notice: &Notice) -> PartView {
    PartView {
        kind: "notice",
        banner: set.banner.clone(),
        copy_number: notice.copy_number.clone(),
        secrecy: notice.secrecy.clone(),
        urgency: notice.urgency.clone(),
        number: Some(notice.number.clone()),
        title: notice.title.clone(),
        title_words: super::title::words(segmenter, &notice.title_lines, &[&set.organisation]),
        addressee: notice.addressee.clone(),
        attachments: if set.main.is_none() {
            attachment_titles(set)
        } else {
            Vec::new()
        },
        signature: notice.signature.clone(),
        seal: notice.seal,
        signers: notice.signers.clone(),
        date: notice.date.clone(),
        remark: notice.remark.clone(),
        ..PartView::default()
    }
}

/// The issued document's part, carrying the 附件说明.
pub(crate) fn main_part(segmenter: &Segmenter, set: &DocumentSet, main: &MainDocument) -> PartView {
    PartView {
        kind: "main",
        style: Some(main.style),
        title: main.title.clone(),
        title_words: super::title::words(segmenter, &main.title_lines, &[&set.organisation]),
        attachments: attachment_titles(set),
        ..PartView::default()
    }
}

pub(crate) fn attachment_part(
    segmenter: &Segmenter,
    set: &DocumentSet,
    attachment: &Attachment,
) -> PartView {
    let columns = match &attachment.content {
        AttachmentContent::Responsibility(list) => list.columns.headers().len(),
        AttachmentContent::Tasks(_) => 5,
        AttachmentContent::Schedule(schedule) => schedule.headers.len(),
    };
    PartView {
        kind: "attachment",
        label: Some(attachment.label.clone()),
        title: attachment.title.clone(),
        title_words: super::title::words(segmenter, &attachment.title_lines, &[&set.organisation]),
        landscape: columns >= 5,
        ..PartView::default()
    }
}

fn attachment_titles(set: &DocumentSet) -> Vec<String> {
    set.attachments.iter().map(|a| a.title.clone()).collect()
}

/// A body block with its Markdown lead prepared: `**第一条**　`, `*（一）加强学习*。`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BlockView {
    #[serde(flatten)]
    pub(crate) block: Block,
    /// For run-in items: the label and lead sentence, emphasised, with the closing punctuation
    /// outside the emphasis so CommonMark recognises it.
    pub(crate) lead: Option<String>,
}

pub(crate) fn body_blocks(main: &MainDocument) -> Vec<BlockView> {
    main.blocks
        .iter()
        .map(|block| {
            let lead = match block {
                Block::Item {
                    label,
                    run_in: Some(run_in),
                    ..
                } => {
                    let core = run_in.trim_end_matches(|c: char| "。，；：！？、".contains(c));
                    Some(format!("*{label}{core}*{}", &run_in[core.len()..]))
                }
                _ => None,
            };
            BlockView {
                block: block.clone(),
                lead,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DutyView {
    pub(crate) label: String,
    pub(crate) text: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LeaderView {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) duties: Vec<DutyView>,
}

/// One cell of a printed 责任清单: the number qingdan gives (a duty's `1. `, Markdown already)
/// and the text, escaped by the template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ListCell {
    pub(crate) label: String,
    pub(crate) text: String,
}

impl ListCell {
    fn text(text: impl Into<String>) -> Self {
        Self {
            label: String::new(),
            text: text.into(),
        }
    }
}

/// The printed rows of a 责任清单, one per duty: the 序号, the name (or post) and the 职务 only
/// on a holder's first row, each duty numbered (in a list by post only when the post has more
/// than one), the extra columns beside it; then the 备注 row, its label in the first column.
pub(crate) fn list_rows(list: &ResponsibilityList) -> Vec<Vec<ListCell>> {
    let columns = &list.columns;
    let mut rows = Vec::new();
    for (i, leader) in list.leaders.iter().enumerate() {
        let numbered = !columns.by_post || leader.duties.len() > 1;
        for (j, duty) in leader.duties.iter().enumerate() {
            let first = |text: &str| ListCell::text(if j == 0 { text } else { "" });
            let mut row = Vec::new();
            if columns.number.is_some() {
                row.push(first(&(i + 1).to_string()));
            }
            row.push(if columns.by_post {
                first(&leader.name)
            } else {
                first(&pad_name(&leader.name))
            });
            if columns.title.is_some() {
                row.push(first(&leader.title));
            }
            row.push(ListCell {
                label: if numbered {
                    format!("{}. ", j + 1)
                } else {
                    String::new()
                },
                text: duty.clone(),
            });
            let extra = leader.extra.get(j).map(Vec::as_slice).unwrap_or_default();
            row.extend(extra.iter().map(ListCell::text));
            rows.push(row);
        }
    }
    if let Some(remark) = &list.remark {
        let width = columns.headers().len();
        let duty = usize::from(columns.number.is_some()) + 1 + usize::from(columns.title.is_some());
        let mut row: Vec<ListCell> = (0..width).map(|_| ListCell::text("")).collect();
        row[0] = ListCell::text("备\u{3000}注");
        row[duty] = ListCell::text(remark.clone());
        rows.push(row);
    }
    rows
}

pub(crate) fn leaders(list: &ResponsibilityList) -> Vec<LeaderView> {
    list.leaders
        .iter()
        .map(|l| LeaderView {
            name: pad_name(&l.name),
            title: l.title.clone(),
            duties: l
                .duties
                .iter()
                .enumerate()
                .map(|(i, d)| DutyView {
                    label: format!("{}.", i + 1),
                    text: d.clone(),
                })
                .collect(),
        })
        .collect()
}

/// One printed row of a task-division table; group cells only on the first row of their group.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaskRowView {
    pub(crate) category: String,
    pub(crate) measure: String,
    pub(crate) task: String,
    pub(crate) units: String,
    pub(crate) deadline: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaskHeadersView {
    pub(crate) category: String,
    pub(crate) measure: String,
    pub(crate) task: String,
    pub(crate) units: String,
    pub(crate) deadline: String,
}

pub(crate) fn task_headers(table: &TaskTable) -> TaskHeadersView {
    let get = |k: &str| {
        table
            .headers
            .get(k)
            .cloned()
            .unwrap_or_else(|| k.to_owned())
    };
    TaskHeadersView {
        category: get("类别"),
        measure: get("措施"),
        task: get("具体工作"),
        units: get("责任单位"),
        deadline: get("完成时限"),
    }
}

pub(crate) fn task_rows(table: &TaskTable) -> Vec<TaskRowView> {
    let mut rows = Vec::new();
    for category in &table.categories {
        let mut first_of_category = true;
        for measure in &category.measures {
            for (t, task) in measure.tasks.iter().enumerate() {
                rows.push(TaskRowView {
                    category: if first_of_category {
                        category.heading.clone()
                    } else {
                        String::new()
                    },
                    measure: if t == 0 {
                        measure.headings.join("\n")
                    } else {
                        String::new()
                    },
                    task: format!("{}{}", task.label, task.text),
                    units: task.units.clone(),
                    deadline: task.deadline.clone(),
                });
                first_of_category = false;
            }
        }
    }
    rows
}

/// A unit's tasks for its list, the measure shown only where it changes.
pub(crate) fn unit_task_rows(list: &UnitTaskList) -> Vec<UnitTask> {
    let mut previous = None;
    list.tasks
        .iter()
        .map(|task| {
            let repeat = previous == Some(&task.measure);
            previous = Some(&task.measure);
            UnitTask {
                measure: if repeat {
                    String::new()
                } else {
                    task.measure.clone()
                },
                ..task.clone()
            }
        })
        .collect()
}

/// Schedule rows with the leader column's names spaced.
pub(crate) fn schedule_rows(schedule: &Schedule) -> Vec<Vec<String>> {
    schedule
        .rows
        .iter()
        .map(|row| {
            let mut row = row.clone();
            row[0] = pad_name(&row[0]);
            row
        })
        .collect()
}

/// What an attachment's body template receives, per kind.
pub(crate) fn attachment_context(attachment: &Attachment) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("title", &attachment.title);
    match &attachment.content {
        AttachmentContent::Responsibility(list) => {
            ctx.insert("headers", &list.columns.headers());
            ctx.insert("rows", &list_rows(list));
            // What the template of qingdan 0.1 read, for a project's own copy of it.
            ctx.insert("leaders", &leaders(list));
            ctx.insert("remark", &list.remark);
        }
        AttachmentContent::Tasks(table) => {
            ctx.insert("headers", &task_headers(table));
            ctx.insert("rows", &task_rows(table));
        }
        AttachmentContent::Schedule(schedule) => {
            ctx.insert("headers", &schedule.headers);
            ctx.insert("rows", &schedule_rows(schedule));
        }
    }
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(csv: &str, remark: Option<&str>) -> ResponsibilityList {
        let path = std::path::Path::new("清单.csv");
        let sheet = crate::inputs::parse_csv(path, csv).unwrap();
        let mut diags = crate::diag::Diagnostics::new();
        crate::model::roster::build_roster(path, &sheet, remark.map(str::to_owned), &mut diags)
            .unwrap()
    }

    fn printed(list: &ResponsibilityList) -> Vec<String> {
        list_rows(list)
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| format!("{}{}", c.label, c.text))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn a_list_by_post_numbers_its_posts_and_only_the_duties_of_a_post_with_several() {
        let rows = printed(&list(
            "序号,岗位,安全工作职责,责任依据\n1,校长,甲,依据\n,,乙,\n,门卫,丙,\n",
            Some("备注文字"),
        ));
        assert_eq!(
            rows,
            [
                "1|校长|1. 甲|依据",
                "||2. 乙|",
                "2|门卫|丙|",
                "备\u{3000}注||备注文字|"
            ]
        );
        // By person, as before: every duty numbered, two-character names spaced.
        let rows = printed(&list("姓名,职务,工作职责\n熊丹,镇长,甲\n", None));
        assert_eq!(rows, ["熊\u{3000}丹|镇长|1. 甲"]);
    }

    #[test]
    fn two_character_names_are_spaced() {
        assert_eq!(pad_name("熊丹"), "熊\u{3000}丹");
        assert_eq!(pad_name("熊  丹"), "熊\u{3000}丹");
        assert_eq!(pad_name("郭环球"), "郭环球");
        assert_eq!(pad_name("Li"), "Li");
    }
}
