//! The whole document: the 版记 taken out wherever it stands, the attachments found by their
//! 附件N labels (each label, its title, its table), the part before them read by [`front`], and
//! everything that found no place put at the end of the issued document's body (or the
//! notice's) as text, with a warning naming where it was.
//!
//! [`front`]: super::front

use super::draft::{AttachmentDraft, Draft, MainSource};
use super::front::front;
use super::furniture::{attachment_label, banner_organ, carbon_copy, printed, squeeze};
use super::report::Note;
use super::source::{Block, Para, Place, Table};
use super::tables::sheet_of;
use super::text::layout::page_number;

/// Recognises a project in `blocks`.
pub(crate) fn recognise(blocks: Vec<Block>, notes: &mut Vec<Note>) -> Draft {
    let mut draft = Draft::default();
    let blocks = without_page_furniture(blocks, notes);
    let (blocks, colophon) = take_colophon(blocks, notes);
    let labels: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Para(p) if attachment_label(&p.text).is_some()))
        .map(|(i, _)| i)
        .collect();
    let first_label = labels.first().copied().unwrap_or(blocks.len());
    let mut unplaced: Vec<Para> = Vec::new();
    // Tables before the first label have no 附件 to go in: their text joins the body.
    let mut front_paras = Vec::new();
    for block in &blocks[..first_label] {
        match block {
            Block::Para(p) => front_paras.push(p.clone()),
            Block::Table(t) => front_paras.extend(table_as_text(t, notes)),
        }
    }
    let front = front(&front_paras, notes);
    draft.banner = front.banner;
    let (mut notice, main) = (front.notice, front.main);
    for (k, &start) in labels.iter().enumerate() {
        let end = labels.get(k + 1).copied().unwrap_or(blocks.len());
        attachment(&blocks[start..end], &mut draft, &mut unplaced, notes);
    }
    check_attachment_note(&front.attachment_titles, &draft.attachments, notes);
    match &mut notice {
        Some(notice) => {
            notice.cc = colophon.cc;
            (notice.printed_by, notice.printed_on) = colophon.printed.unwrap_or_default();
        }
        None if !colophon.paras.is_empty() => {
            notes.push(Note::warning(
                None,
                "有版记而没有印发通知（qingdan 的版记属于通知），版记文字已放在正文末尾",
                "there is a 版记 but no notice (qingdan's 版记 belongs to the notice): its text is at the end of the body",
            ));
            unplaced.extend(colophon.paras);
        }
        None => {}
    }
    draft.unplaced = unplaced;
    draft.main = main.map(|(title, paras)| MainSource {
        title,
        paras,
        plain: false,
    });
    draft.notice = notice;
    organisation(&mut draft, notes);
    draft
}

/// Page numbers and similar lines, which qingdan makes anew.
fn without_page_furniture(blocks: Vec<Block>, notes: &mut Vec<Note>) -> Vec<Block> {
    blocks
        .into_iter()
        .filter(|b| match b {
            Block::Para(p) if page_number(&p.text) => {
                notes.push(Note::left(
                    Some(p.place.clone()),
                    format!("页码“{}”未导入（页码由 qingdan 生成）", p.text.trim()),
                    format!(
                        "the page number “{}” is left out (qingdan numbers pages)",
                        p.text.trim()
                    ),
                ));
                false
            }
            _ => true,
        })
        .collect()
}

/// The 版记 as found: 抄送, 印发机关 and 印发日期, and its lines as they were.
#[derive(Default)]
struct Colophon {
    cc: Option<String>,
    printed: Option<(Option<String>, Option<String>)>,
    paras: Vec<Para>,
}

/// Takes out the 版记's 抄送 and 印发 lines (paragraphs, or the rows of a table of nothing
/// else).
fn take_colophon(blocks: Vec<Block>, notes: &mut Vec<Note>) -> (Vec<Block>, Colophon) {
    let mut kept = Vec::with_capacity(blocks.len());
    let mut colophon = Colophon::default();
    let colophon_line = |text: &str| carbon_copy(text).is_some() || printed_line(text).is_some();
    for block in blocks {
        let lines: Vec<(String, Place)> = match &block {
            Block::Para(p) if colophon_line(&p.text) => vec![(p.text.clone(), p.place.clone())],
            Block::Table(t) => {
                let rows: Vec<String> = t
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| c.trim())
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>()
                            .join("　　")
                    })
                    .filter(|r| !r.is_empty())
                    .collect();
                if !rows.is_empty() && rows.iter().all(|r| colophon_line(r)) {
                    rows.into_iter().map(|r| (r, t.place.clone())).collect()
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        };
        if lines.is_empty() {
            kept.push(block);
            continue;
        }
        for (text, place) in lines {
            if let Some(cc) = carbon_copy(&text) {
                colophon.cc = Some(cc);
            } else if let Some(printed) = printed_line(&text) {
                colophon.printed = Some(printed);
            }
            notes.push(Note::guess(
                Some(place.clone()),
                format!("“{}”读作版记", text.trim()),
                format!("“{}” read as the 版记", text.trim()),
            ));
            colophon.paras.push(Para::plain(text, place));
        }
    }
    (kept, colophon)
}

/// A 印发 line of a 版记, not a sentence ending in 印发 (现将…印发).
fn printed_line(text: &str) -> Option<(Option<String>, Option<String>)> {
    let (by, on) = printed(text)?;
    let plain = by
        .as_deref()
        .is_none_or(|b| b.chars().count() <= 30 && !b.contains(['，', '。', '《', '；', '：']));
    (plain && (on.is_some() || by.is_some_and(|b| b.chars().count() <= 20)))
        .then(|| printed(text))
        .flatten()
}

/// One attachment: its label, its title (the paragraphs up to its table), its table; what is
/// left (more text, a second table unlike the first) goes to `unplaced`.
fn attachment(
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

/// The titles a 附件说明 listed, compared with the attachments found.
fn check_attachment_note(listed: &[String], found: &[AttachmentDraft], notes: &mut Vec<Note>) {
    for (i, title) in listed.iter().enumerate() {
        let matches = found
            .get(i)
            .is_some_and(|a| squeeze(&a.title.concat()) == squeeze(title));
        if !matches {
            notes.push(Note::warning(
                None,
                format!("附件说明中的“{title}”与附件的标题不一致；附件说明将按附件标题重新生成"),
                format!("“{title}” in the 附件说明 is not an attachment's title; the 附件说明 will be made from the titles"),
            ));
        }
    }
}

/// 机关: the banner's organ, else the 署名, else what the title says before 关于.
fn organisation(draft: &mut Draft, notes: &mut Vec<Note>) {
    let from_title = |t: &[String]| {
        let t = squeeze(&t.concat());
        t.find("关于")
            .filter(|&i| i > 0 && t[..i].chars().count() <= 30)
            .map(|i| t[..i].to_owned())
    };
    let found = banner_organ(&draft.banner)
        .or_else(|| {
            draft
                .notice
                .as_ref()
                .and_then(|n| n.signature.first().cloned())
        })
        .or_else(|| draft.notice.as_ref().and_then(|n| from_title(&n.title)))
        .or_else(|| draft.main.as_ref().and_then(|m| from_title(&m.title)));
    match found {
        Some(o) => {
            draft.organisation = o;
            draft.organisation_found = true;
        }
        None => {
            draft.organisation = "（请填写发文机关）".to_owned();
            notes.push(Note::warning(
                None,
                "没有找到发文机关，qingdan.yaml 的“机关”暂填“（请填写发文机关）”",
                "the issuing organ was not found: 机关 in qingdan.yaml says “（请填写发文机关）” for now",
            ));
        }
    }
}
