//! The recognised project made ready to write: text that found no place put at the end of the
//! issued document's body (or the notice's, or a 主件 of its own), the body's numbering read
//! into Markdown ([`super::numbering`]) and its 类型 chosen from its title and numbering. When
//! qingdan's loader refuses what was made, [`fall_back`] takes one step towards plain text.

use super::attachment::table_as_text;
use super::draft::{Draft, Kind, LayoutDraft, MainDraft, MainSource, NoticeDraft};
use super::furniture::kind_of_title;
use super::numbering::{Style, body};
use super::report::Note;
use crate::markdown::escape_markdown;

/// What is written, besides the draft's own values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Composed {
    pub(crate) notice: Option<NoticeDraft>,
    pub(crate) main: Option<MainDraft>,
    pub(crate) layout: LayoutDraft,
    /// What composing found: the body's numbering, where unplaced text went.
    pub(crate) notes: Vec<Note>,
}

/// Composes `draft` (see the module's doc).
pub(crate) fn compose(draft: &Draft) -> Composed {
    let mut notes = Vec::new();
    let mut notice = draft.notice.clone();
    let mut main = draft.main.clone();
    if !draft.unplaced.is_empty() {
        match (&mut main, &mut notice) {
            (Some(m), _) => m.paras.extend(draft.unplaced.iter().cloned()),
            (None, Some(n)) => {
                for para in &draft.unplaced {
                    n.body.push_str("\n\n");
                    n.body.push_str(&escape_markdown(para.text.trim()));
                }
            }
            (None, None) => {
                notes.push(Note::warning(
                    None,
                    "没有通知或正文可以容纳未能归位的文字，已另立一个“主件”，请移到合适的位置后删除",
                    "there is no notice or body to hold the text that found no place: it is in a 主件 of its own; move it and delete that",
                ));
                main = Some(MainSource {
                    title: vec!["导入时未能归位的文字".to_owned()],
                    paras: draft.unplaced.clone(),
                    plain: true,
                });
            }
        }
    }
    let mut layout = LayoutDraft::default();
    let main = main.map(|m| {
        let title = if m.title.is_empty() {
            notes.push(Note::warning(
                None,
                "没有找到主件的标题，暂填“（标题）”",
                "the issued document's title was not found: it says “（标题）” for now",
            ));
            vec!["（标题）".to_owned()]
        } else {
            m.title.clone()
        };
        if m.plain {
            let markdown: Vec<String> = m
                .paras
                .iter()
                .map(|p| escape_markdown(p.text.trim()))
                .collect();
            return MainDraft {
                kind: "意见".to_owned(),
                title,
                body: markdown.join("\n\n") + "\n",
            };
        }
        let parsed = body(&m.paras, &mut notes);
        layout = parsed.layout;
        MainDraft {
            kind: main_kind(&title, parsed.style, &mut notes),
            title,
            body: parsed.markdown,
        }
    });
    Composed {
        notice,
        main,
        layout,
        notes,
    }
}

/// The 类型 of the issued document: the kind its title names, if its numbering agrees.
fn main_kind(title: &[String], style: Style, notes: &mut Vec<Note>) -> String {
    let named = kind_of_title(&title.concat());
    let articles = |k: &str| ["实施细则", "细则", "实施办法", "办法", "规定", "制度"].contains(&k);
    let kind = match named {
        Some(k) if articles(k) == (style == Style::Articles) => k.trim_start_matches("实施"),
        _ => match style {
            Style::Articles => "细则",
            Style::Sections => "意见",
        },
    };
    let (how_zh, how_en) = match style {
        Style::Articles => ("第一章、第一条", "第一章, 第一条"),
        Style::Sections => ("一、（一）1.", "一、（一）1."),
    };
    notes.push(Note::guess(
        None,
        format!("主件读作“{kind}”，按{how_zh}编号"),
        format!("the issued document read as a {kind}, numbered {how_en}"),
    ));
    kind.to_owned()
}

/// What qingdan's loader refused, by file: an attachment's sheet, the issued document's body.
pub(crate) enum Refused {
    Attachment(usize),
    Main,
}

/// One step towards what qingdan reads: a 责任清单 or 任务分工表 becomes an 安排表 of the rows
/// as printed, an 安排表 becomes text; a body whose numbering was refused keeps its paragraphs
/// as they are. Returns whether anything was changed.
pub(crate) fn fall_back(draft: &mut Draft, refused: &Refused, notes: &mut Vec<Note>) -> bool {
    match *refused {
        Refused::Attachment(i) if i < draft.attachments.len() => {
            let attachment = &mut draft.attachments[i];
            if attachment.kind != Kind::Schedule {
                let rows: Vec<Vec<String>> = attachment
                    .table
                    .rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.trim().to_owned()).collect())
                    .filter(|r: &Vec<String>| r.iter().any(|c| !c.is_empty()))
                    .collect();
                notes.push(Note::warning(
                    Some(attachment.table.place.clone()),
                    format!("表格{}按{}读入时 qingdan 报错，改按安排表（原样的表格）读入", attachment.table.number, attachment.kind.label()),
                    format!("table {} as a {} was refused by qingdan; it is read as an 安排表 (the table as printed) instead", attachment.table.number, attachment.kind.label()),
                ));
                attachment.kind = Kind::Schedule;
                attachment.rows = rows;
                attachment.headers.clear();
                attachment.remark = None;
                return true;
            }
            let removed = draft.attachments.remove(i);
            let text = table_as_text(&removed.table, notes);
            draft.unplaced.extend(text);
            true
        }
        Refused::Main => match &mut draft.main {
            Some(m) if !m.plain => {
                notes.push(Note::warning(
                    None,
                    "主件的编号无法按 qingdan 的结构读入，正文按原样（含编号）保留为段落",
                    "the issued document's numbering could not be read into qingdan's structure: its paragraphs are kept as they are, numbers and all",
                ));
                m.plain = true;
                true
            }
            _ => false,
        },
        Refused::Attachment(_) => false,
    }
}
