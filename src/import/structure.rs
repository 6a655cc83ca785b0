//! The whole document: the 版记 taken out wherever it stands, the attachments found by their
//! 附件N labels (each label, its title, its table), the part before them read by [`front`], and
//! everything that found no place put at the end of the issued document's body (or the
//! notice's) as text, with a warning naming where it was.
//!
//! [`front`]: super::front

use super::attachment::attachment;
use super::attachment::table_as_text;
use super::draft::{AttachmentDraft, Draft, MainSource};
use super::front::front;
use super::furniture::{attachment_label, banner_organ, carbon_copy, printed, squeeze};
use super::report::Note;
use super::source::{Block, Para, Place};
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
