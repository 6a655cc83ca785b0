//! The styles part: one Normal style, the first-line indent in characters, paragraph ids
//! numbered afresh.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::*;
use crate::docx::DocxError;

/// Normal's first-line indent in hundredths of a character: two characters.
pub(super) const BODY_FIRST_LINE_CHARS: &str = "200";

/// `e` with `w:firstLineChars` if it is a `w:ind` that has no `…Chars` value of its own: in
/// Normal (`normal`) its two characters; elsewhere 0 where the first line is not indented
/// (`w:firstLine="0"`) or hangs, so that Normal's does not win over its twips. A first line
/// indented in twips elsewhere is two characters too (a quotation's), and is left as it is.
pub(super) fn indent_in_chars(
    e: BytesStart<'_>,
    normal: bool,
) -> Result<BytesStart<'_>, DocxError> {
    if e.name().as_ref() != "w:ind" {
        return Ok(e);
    }
    let mut first_line = None;
    for attribute in e.attributes() {
        let attribute = attribute.map_err(xml_error)?;
        let key: &str = attribute.key.as_ref();
        if key.ends_with("Chars") {
            return Ok(e);
        }
        if key == "w:firstLine" {
            first_line = Some(attribute.value.into_owned());
        }
    }
    let chars = if normal {
        BODY_FIRST_LINE_CHARS
    } else if first_line.as_deref().is_none_or(|v| v == "0") {
        "0"
    } else {
        return Ok(e);
    };
    let mut e = e;
    e.push_attribute(("w:firstLineChars", chars));
    Ok(e)
}

/// The styles part with only the last definition of each style id, and the default paragraph
/// properties for Chinese line layout.
pub(crate) fn styles_part(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut events: Vec<Event<'static>> = Vec::new();
    // Each `w:style` element: its id and the range of its events.
    let mut styles: Vec<(String, usize, usize)> = Vec::new();
    let mut open: Option<(String, usize)> = None;
    let mut in_defaults = false;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        if matches!(event, Event::Eof) {
            break;
        }
        match &event {
            Event::Start(e) if e.name().as_ref() == "w:pPrDefault" => in_defaults = true,
            // The defaults, and Normal's own (LibreOffice reads them from the style).
            Event::Start(e)
                if e.name().as_ref() == "w:pPr"
                    && (in_defaults || open.as_ref().is_some_and(|(id, _)| id == "Normal")) =>
            {
                in_defaults = false;
                events.push(event.into_owned());
                // Put in the schema's order by the writer.
                for (name, value) in [
                    // Lines break across pages as the PDF breaks them: no widow or orphan
                    // control (Word's default moves a paragraph's last line, or first, along).
                    ("w:widowControl", "0"),
                    ("w:overflowPunct", "0"),
                    ("w:autoSpaceDE", "0"),
                    ("w:autoSpaceDN", "0"),
                ] {
                    let mut e = BytesStart::new(name);
                    e.push_attribute(("w:val", value));
                    events.push(Event::Empty(e));
                }
                buf.clear();
                continue;
            }
            Event::Start(e) if e.name().as_ref() == "w:style" => {
                let id = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "w:styleId")
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                open = Some((id, events.len()));
            }
            Event::Empty(e) if e.name().as_ref() == "w:ind" => {
                let normal = open.as_ref().is_some_and(|(id, _)| id == "Normal");
                events.push(Event::Empty(
                    indent_in_chars(e.clone(), normal)?.into_owned(),
                ));
                buf.clear();
                continue;
            }
            Event::End(e) if e.name().as_ref() == "w:style" => {
                if let Some((id, start)) = open.take() {
                    styles.push((id, start, events.len() + 1));
                }
            }
            _ => {}
        }
        events.push(event.into_owned());
        buf.clear();
    }
    let mut dropped = vec![false; events.len()];
    for (i, (id, start, end)) in styles.iter().enumerate() {
        if styles[i + 1..].iter().any(|(later, _, _)| later == id) {
            dropped[*start..*end].iter_mut().for_each(|d| *d = true);
        }
    }
    let mut writer = InSchemaOrder::new(xml.len());
    for (event, dropped) in events.into_iter().zip(dropped) {
        if !dropped {
            writer.write(event)?;
        }
    }
    writer.finish()
}

/// `e` with its `w14:paraId`, if any, replaced by the next number of the part.
pub(super) fn renumber<'a>(
    e: BytesStart<'a>,
    next_id: &mut u32,
) -> Result<BytesStart<'a>, DocxError> {
    // docx-rs gives ids to paragraphs only; most elements are not looked into.
    if e.name().as_ref() != "w:p"
        || !e
            .attributes()
            .with_checks(false)
            .flatten()
            .any(|a| a.key.as_ref() == "w14:paraId")
    {
        return Ok(e);
    }
    let name = e.name().as_ref().to_owned();
    let mut out = BytesStart::new(name);
    for attribute in e.attributes().with_checks(false) {
        let attribute = attribute.map_err(xml_error)?;
        if attribute.key.as_ref() == "w14:paraId" {
            out.push_attribute(("w14:paraId", format!("{:08X}", *next_id).as_str()));
            *next_id += 1;
        } else {
            out.push_attribute(attribute);
        }
    }
    Ok(out)
}
