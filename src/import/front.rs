//! The part before the attachments: the 印发通知 (版头, title, 主送, body, 附件说明, 署名,
//! 成文日期, 附注) and the document it issues (its title, its body), recognised paragraph by
//! paragraph from the order GB/T 9704 gives them and the words they are made of.
//!
//! Where the notice ends and the issued document begins is told by the issued document's title:
//! a paragraph set as a title (Word's Title style, a Markdown `#`), or the name the notice's
//! title quotes in 《》, or a line naming a kind of document (…实施细则) after the 成文日期.

use super::draft::NoticeDraft;
use super::furniture::{
    attachment_note, attachment_note_more, banner, copy_number, date, document_number,
    kind_of_title, remark, secrecy, squeeze, urgency,
};
use super::report::Note;
use super::source::Para;
use super::title::{main_title, quoted_name, title_at, title_like};

/// The front part, recognised.
#[derive(Debug, Default)]
pub(crate) struct Front {
    pub(crate) banner: Vec<String>,
    pub(crate) notice: Option<NoticeDraft>,
    /// The issued document's title lines and body paragraphs.
    pub(crate) main: Option<(Vec<String>, Vec<Para>)>,
    /// Titles listed in a 附件说明.
    pub(crate) attachment_titles: Vec<String>,
}

/// The last words of a notice's title (a 通知 issuing a document, or a document of its own with
/// a 版头: 请示, 报告, 函 …).
const NOTICE_KINDS: &[&str] = &[
    "通知", "通报", "请示", "报告", "函", "批复", "决定", "公告", "通告", "纪要",
];

/// Recognises the front part (see the module's doc).
pub(crate) fn front(paras: &[Para], notes: &mut Vec<Note>) -> Front {
    let mut out = Front::default();
    if paras.is_empty() {
        return out;
    }
    let mut notice = NoticeDraft::default();
    let mut i = 0;
    let mut head = false;
    // 版头: 份号, 密级, 紧急程度, 发文机关标志, 发文字号.
    while let Some(para) = paras.get(i) {
        let t = para.text.trim();
        if let Some(n) =
            copy_number(t).filter(|_| out.banner.is_empty() && notice.number.is_empty())
        {
            notice.copy_number = Some(n);
        } else if let Some(s) = secrecy(t) {
            notice.secrecy = Some(s);
        } else if let Some(u) = urgency(t) {
            notice.urgency = Some(u);
        } else if let Some((number, signers)) = document_number(t) {
            notice.number = number;
            notice.signers = signers;
        } else if let Some(b) =
            banner(t).filter(|_| notice.number.is_empty() && out.banner.is_empty())
        {
            out.banner = b;
        } else if para.red && notice.number.is_empty() && out.banner.is_empty() {
            out.banner = vec![squeeze(t)];
        } else {
            break;
        }
        head = true;
        i += 1;
    }
    if !head {
        i = laid_out_head(paras, &mut out.banner, &mut notice).unwrap_or(0);
        head = i > 0;
    }
    if head {
        let number = if notice.number.is_empty() {
            String::new()
        } else {
            format!(" {}", notice.number)
        };
        notes.push(Note::guess(
            None,
            format!("版头：{}{number}", out.banner.join("、")),
            format!("the 版头: {}{number}", out.banner.join(", ")),
        ));
    }
    let (title, used) = title_at(paras, i, notes);
    let title_text: String = title.concat();
    let is_notice = head || NOTICE_KINDS.iter().any(|k| title_text.ends_with(k));
    i += used;
    if !is_notice {
        if !title.is_empty() {
            out.main = Some((title, paras[i..].to_vec()));
        } else {
            out.main = Some((Vec::new(), paras.to_vec()));
        }
        return out;
    }
    if notice.number.is_empty() {
        // qingdan's notice carries a 发文字号; without one the text is kept as a document of
        // its own, nothing invented.
        notes.push(Note::warning(
            None,
            "没有找到发文字号：qingdan 的印发通知需要发文字号，通知的文字已作为“主件”导入；如需印成通知，请在 qingdan.yaml 中加上“通知:”和发文字号",
            "no 发文字号 found: qingdan's notice needs one, so the notice's text is imported as the 主件; to print it as a notice, add 通知: with its 发文字号 in qingdan.yaml",
        ));
        out.main = Some((title, paras[i..].to_vec()));
        return out;
    }
    notice.title = title;
    if let Some(para) = paras.get(i) {
        let t = para.text.trim();
        if t.ends_with(['：', ':']) && t.chars().count() <= 100 && !t.contains('。') {
            notice.addressee = Some(t.trim_end_matches(['：', ':']).to_owned());
            i += 1;
        }
    }
    // The body, up to the 附件说明, the 署名 and date, or the issued document's title.
    let mut body: Vec<&Para> = Vec::new();
    let mut after_date = false;
    while let Some(para) = paras.get(i) {
        let t = para.text.trim();
        if let Some(next) = take_attachment_note(paras, i, &mut out.attachment_titles, notes) {
            i = next;
            continue;
        }
        if let Some(d) = date(t) {
            // The lines just above the date that are names, not sentences: the 署名.
            while body.last().is_some_and(|p| signature_like(p)) {
                if let Some(p) = body.pop() {
                    // Joint organs: on lines of their own, or side by side (甲局　　　乙局).
                    let names = p
                        .text
                        .split(['\n', '\t'])
                        .flat_map(|l| l.split("　　").flat_map(|n| n.split("   ")))
                        .map(squeeze)
                        .filter(|n| !n.is_empty());
                    notice.signature.splice(0..0, names);
                }
            }
            notice.seal = seal_of(para, paras.get(i.wrapping_sub(1)));
            notice.date = Some(d);
            after_date = true;
            i += 1;
            if let Some(r) = paras.get(i).and_then(|p| remark(&p.text)) {
                notice.remark = Some(r);
                i += 1;
            }
            continue;
        }
        if !body.is_empty() && main_title(para, &title_text, after_date) {
            // A title broken over lines: the lines above that make up the quoted name with it.
            if let Some(q) = quoted_name(&title_text) {
                let mut t = squeeze(&para.text);
                while let Some(above) = body.last().filter(|p| title_like(p)) {
                    let joined = format!("{}{t}", squeeze(&above.text));
                    if !(q.ends_with(&joined) || joined.ends_with(&q)) || t.ends_with(&q) {
                        break;
                    }
                    t = joined;
                    body.pop();
                    i -= 1;
                }
            }
            break;
        }
        if after_date && title_like(para) && kind_of_title(t).is_some() {
            break;
        }
        body.push(para);
        i += 1;
    }
    notice.body = body
        .iter()
        .map(|p| crate::markdown::escape_markdown(p.text.trim()))
        .collect::<Vec<_>>()
        .join("\n\n");
    if i < paras.len() {
        let (title, used) = title_at(paras, i, notes);
        let rest = &paras[i + used..];
        let (body, titles) = strip_attachment_note(rest, notes);
        out.attachment_titles.extend(titles);
        out.main = Some((title, body));
    }
    out.notice = Some(notice);
    out
}

/// The 版头 of a page laid out as text (pdftotext), where a joint banner's organs and 文件 and
/// a 签发人 beside the 发文字号 come apart over several lines: the lines up to the one holding
/// the 发文字号 are read together. Returns the index after them, or `None` when there is no
/// 发文字号 in the first lines.
fn laid_out_head(
    paras: &[Para],
    banner: &mut Vec<String>,
    notice: &mut NoticeDraft,
) -> Option<usize> {
    let at = paras.iter().take(8).position(|p| {
        p.text
            .split("  ")
            .any(|part| document_number(part.trim()).is_some())
    })?;
    let mut organs = Vec::new();
    let mut suffix = false;
    let mut signers = Vec::new();
    let mut signing = false;
    for para in &paras[..=at] {
        for part in para
            .text
            .split("  ")
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some((number, _)) = document_number(part) {
                notice.number = number;
            } else if let Some(rest) = part.strip_prefix("签发人") {
                signing = true;
                signers.extend(
                    rest.trim_start_matches(['：', ':'])
                        .split_whitespace()
                        .map(str::to_owned),
                );
            } else if squeeze(part) == "文件" {
                suffix = true;
            } else if signing {
                signers.extend(part.split_whitespace().map(str::to_owned));
            } else {
                organs.push(squeeze(part));
            }
        }
    }
    if suffix && !organs.is_empty() {
        organs.push("文件".to_owned());
    }
    *banner = match organs.as_slice() {
        [one] if !suffix => vec![one.clone()],
        _ => organs,
    };
    notice.signers = signers;
    Some(at + 1)
}

/// A short line of names above a date: a 署名.
fn signature_like(para: &Para) -> bool {
    let t = para.text.trim();
    t.chars().count() <= 40 && !t.contains(['，', '。', '；', '：', '《']) && !t.is_empty()
}

/// 用印 as a .docx places the date: 4 characters in from the right under an organ's seal (the
/// signer's title 10 in with a signature seal), 2 without.
fn seal_of(date: &Para, signature: Option<&Para>) -> Option<&'static str> {
    let right = date.right_indent?;
    if (right - 4.0).abs() > 0.6 {
        return None;
    }
    match signature.and_then(|s| s.right_indent) {
        Some(sig) if sig >= 9.0 => Some("签名章"),
        _ => Some("印章"),
    }
}

/// The 附件说明 starting at `paras[i]`, if there is one there: its titles go to `titles` and
/// the index after it is returned (qingdan makes the 附件说明 anew from the attachments).
fn take_attachment_note(
    paras: &[Para],
    mut i: usize,
    titles: &mut Vec<String>,
    notes: &mut Vec<Note>,
) -> Option<usize> {
    let para = paras.get(i)?;
    titles.extend(attachment_note(&para.text)?);
    notes.push(Note::left(
        Some(para.place.clone()),
        "附件说明由 qingdan 按附件标题生成",
        "the 附件说明 is generated from the attachments' titles",
    ));
    i += 1;
    while let Some(more) = paras.get(i).and_then(|p| attachment_note_more(&p.text)) {
        titles.push(more);
        i += 1;
    }
    Some(i)
}

/// The issued document's body without its 附件说明 at the end.
fn strip_attachment_note(paras: &[Para], notes: &mut Vec<Note>) -> (Vec<Para>, Vec<String>) {
    let mut body = Vec::new();
    let mut titles = Vec::new();
    let mut i = 0;
    while let Some(para) = paras.get(i) {
        if let Some(next) = take_attachment_note(paras, i, &mut titles, notes) {
            i = next;
            continue;
        }
        body.push(para.clone());
        i += 1;
    }
    (body, titles)
}
