//! One 附件: its label (附件, 附件2, 附件：), its title (the paragraphs up to its table), its
//! table read as the sheet of its kind. A second table with the same header continues the
//! first (a table a writer broke at a page); what else the attachment holds — text beside the
//! table, a table unlike the first, no table at all — finds no place and goes to the body.

use super::draft::{AttachmentDraft, Draft};
use super::furniture::{attachment_label, squeeze};
use super::report::Note;
use super::source::{Block, Para, Table};
use super::tables::sheet_of;

/// One attachment: its label, its title (the paragraphs up to its table), its table; what is
/// left (more text, a second table unlike the first) goes to `unplaced`.
pub(crate) fn attachment(
    blocks: &[Block],
    draft: &mut Draft,
    unplaced: &mut Vec<Para>,
    notes: &mut Vec<Note>,
) {
    let Some(Block::Para(label)) = blocks.first() else {
        return;
    };
    let number = attachment_label(&label.text).flatten();
    if label.text.trim().ends_with(['：', ':']) {
        notes.push(Note::guess(
            Some(label.place.clone()),
            format!(
                "“{}”读作附件标签，印为“附件{}”（GB/T 9704 不加冒号）",
                label.text.trim(),
                number.map(|n| n.to_string()).unwrap_or_default()
            ),
            format!(
                "“{}” read as the 附件 label, printed without the colon (GB/T 9704)",
                label.text.trim()
            ),
        ));
    }
    let mut title = Vec::new();
    let mut i = 1;
    while let Some(Block::Para(p)) = blocks.get(i) {
        if title.len() >= 4 || super::text::ends_sentence(&p.text) {
            break;
        }
        title.extend(
            p.text
                .split('\n')
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty()),
        );
        i += 1;
    }
    let mut table: Option<Table> = None;
    let mut remark = None;
    for block in &blocks[i..] {
        match (block, &mut table) {
            (Block::Table(t), None) => table = Some(t.clone()),
            (Block::Table(t), Some(first)) if same_header(first, t) => {
                notes.push(Note::guess(
                    Some(t.place.clone()),
                    format!(
                        "表格{}与表格{}表头相同，接续为一张表",
                        t.number, first.number
                    ),
                    format!(
                        "table {} has the header of table {}: read as its continuation",
                        t.number, first.number
                    ),
                ));
                first.rows.extend(t.rows.iter().skip(1).cloned());
                first.covered.extend(t.covered.iter().skip(1).cloned());
            }
            (Block::Table(t), Some(_)) => unplaced.extend(table_as_text(t, notes)),
            (Block::Para(p), _) => {
                let t = p.text.trim();
                if let Some(rest) = t
                    .strip_prefix("备注")
                    .map(|r| r.trim_start_matches([':', '：', ' ', '\u{3000}']))
                {
                    remark = Some(rest.to_owned());
                } else {
                    notes.push(Note::warning(
                        Some(p.place.clone()),
                        format!("附件中表格以外的文字“{}”无处安放，已放在正文末尾", super::docx::short(t)),
                        format!("the text “{}” beside the attachment's table has no place: it is at the end of the body", super::docx::short(t)),
                    ));
                    unplaced.push(p.clone());
                }
            }
        }
    }
    let Some(table) = table else {
        notes.push(Note::warning(
            Some(label.place.clone()),
            "附件没有表格（qingdan 的附件是表格），其文字已放在正文末尾",
            "the attachment has no table (qingdan's attachments are tables); its text is at the end of the body",
        ));
        unplaced.push(label.clone());
        unplaced.extend(blocks[1..].iter().filter_map(|b| match b {
            Block::Para(p) => Some(p.clone()),
            Block::Table(_) => None,
        }));
        return;
    };
    let Some(sheeted) = sheet_of(&table, notes) else {
        unplaced.extend(table_as_text(&table, notes));
        return;
    };
    if title.is_empty() {
        title.push(format!(
            "附件{}",
            number.map(|n| n.to_string()).unwrap_or_default()
        ));
        notes.push(Note::warning(
            Some(label.place.clone()),
            "附件没有标题，暂以标签作标题",
            "the attachment has no title; its label stands in for it",
        ));
    }
    draft.attachments.push(AttachmentDraft {
        number,
        title,
        kind: sheeted.kind,
        rows: sheeted.rows,
        headers: sheeted.headers,
        remark: sheeted.remark.or(remark),
        table,
    });
}

fn same_header(a: &Table, b: &Table) -> bool {
    let key = |t: &Table| {
        t.rows
            .first()
            .map(|r| r.iter().map(|c| squeeze(c)).collect::<Vec<_>>())
    };
    key(a).is_some() && key(a) == key(b)
}

/// A table that cannot be an attachment, as paragraphs: a row each, its cells separated by
/// ideographic spaces, with a warning naming it.
pub(crate) fn table_as_text(table: &Table, notes: &mut Vec<Note>) -> Vec<Para> {
    notes.push(Note::warning(
        Some(table.place.clone()),
        format!(
            "表格{}不在附件中（正文不能有表格），已逐行作为正文文字",
            table.number
        ),
        format!(
            "table {} is not in an attachment (a body holds no tables): its rows are body text",
            table.number
        ),
    ));
    table
        .rows
        .iter()
        .enumerate()
        .filter_map(|(r, row)| {
            let cells: Vec<&str> = row
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            (!cells.is_empty()).then(|| Para::plain(cells.join("　"), table.cell_place(r, 0)))
        })
        .collect()
}
