//! The .docx package: docx-rs writes the parts; this module adds, in one place, what it lacks,
//! reading and rewriting the XML with a real XML reader/writer (quick-xml), never by splitting
//! strings:
//! - **repeated header rows**: docx-rs 0.4 has no `w:tblHeader`. A table's header row is built
//!   with `w:cantSplit` (a header row is kept whole), and every row so marked also gets
//!   `w:tblHeader`, so Word and WPS repeat it at the top of every page the table runs onto;
//! - **one Normal style**: docx-rs always writes an empty `Normal` before the styles it is
//!   given; Word takes the first of two styles with one id, so the earlier is dropped;
//! - **Chinese line layout as in the PDF**: punctuation never hangs past the right margin
//!   (`w:overflowPunct` off: LibreOffice hangs it by default) and no extra space is put between
//!   Chinese and Latin or digits (`w:autoSpaceDE` / `w:autoSpaceDN` off, as the PDF's 附件1);
//! - **the font table**: each role's face by its office name with its other name (`w:altName`)
//!   and the GB 2312 character set, so Word substitutes sensibly where the face is missing;
//! - **byte-identical output**: paragraph ids (`w14:paraId`, from a per-thread counter in
//!   docx-rs) are numbered from 1 in each part, and the zip is written afresh with one fixed
//!   timestamp (1980-01-01) in a fixed order.

use std::io::{Cursor, Read, Write};

use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::{DocxError, DocxFonts};

/// Packs `docx` into the bytes of a .docx file.
pub fn pack(docx: docx_rs::Docx, fonts: &DocxFonts) -> Result<Vec<u8>, DocxError> {
    let mut raw = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut raw)
        .map_err(|e| DocxError(format!("docx-rs: {e}")))?;
    let mut archive =
        ZipArchive::new(Cursor::new(raw.into_inner())).map_err(|e| DocxError(e.to_string()))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| DocxError(e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| DocxError(e.to_string()))?
            .into_owned();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| DocxError(e.to_string()))?;
        let bytes = match name.as_str() {
            "word/fontTable.xml" => font_table(fonts)?,
            "word/styles.xml" => styles_part(&bytes)?,
            n if n.starts_with("word/") && n.ends_with(".xml") && !n.contains("_rels") => {
                rewrite_part(&bytes)?
            }
            _ => bytes,
        };
        out.start_file(name, options)
            .map_err(|e| DocxError(e.to_string()))?;
        out.write_all(&bytes)
            .map_err(|e| DocxError(e.to_string()))?;
    }
    out.finish()
        .map(Cursor::into_inner)
        .map_err(|e| DocxError(e.to_string()))
}

fn xml_error(e: impl std::fmt::Display) -> DocxError {
    DocxError(format!("XML: {e}"))
}

/// One XML part with `w:tblHeader` after every `w:cantSplit` and paragraph ids renumbered.
pub fn rewrite_part(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 256));
    let mut next_id: u32 = 1;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let e = renumber(e, &mut next_id)?;
                writer.write_event(Event::Start(e)).map_err(xml_error)?;
            }
            Event::Empty(e) => {
                let header = e.name().as_ref() == "w:cantSplit";
                let e = renumber(e, &mut next_id)?;
                writer.write_event(Event::Empty(e)).map_err(xml_error)?;
                if header {
                    writer
                        .write_event(Event::Empty(BytesStart::new("w:tblHeader")))
                        .map_err(xml_error)?;
                }
            }
            other => writer.write_event(other).map_err(xml_error)?,
        }
        buf.clear();
    }
    Ok(writer.into_inner())
}

/// The styles part with only the last definition of each style id, and the default paragraph
/// properties for Chinese line layout.
pub fn styles_part(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
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
                // In the schema's order, before the `w:rPr` docx-rs writes there.
                for (name, value) in [
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
    let mut writer = Writer::new(Vec::with_capacity(xml.len()));
    for (event, dropped) in events.into_iter().zip(dropped) {
        if !dropped {
            writer.write_event(event).map_err(xml_error)?;
        }
    }
    Ok(writer.into_inner())
}

/// `e` with its `w14:paraId`, if any, replaced by the next number of the part.
fn renumber<'a>(e: BytesStart<'a>, next_id: &mut u32) -> Result<BytesStart<'a>, DocxError> {
    if !e
        .attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "w14:paraId")
    {
        return Ok(e);
    }
    let name = e.name().as_ref().to_owned();
    let mut out = BytesStart::new(name);
    for attribute in e.attributes() {
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

/// The font table: every face the document names, with its other name and the GB 2312
/// character set (86), and Times New Roman for Word's defaults.
fn font_table(fonts: &DocxFonts) -> Result<Vec<u8>, DocxError> {
    let mut w = Writer::new(Vec::new());
    let write = |w: &mut Writer<Vec<u8>>, e: Event| w.write_event(e).map_err(xml_error);
    write(
        &mut w,
        Event::Decl(quick_xml::events::BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )),
    )?;
    let mut root = BytesStart::new("w:fonts");
    root.push_attribute((
        "xmlns:w",
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ));
    root.push_attribute((
        "xmlns:r",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ));
    write(&mut w, Event::Start(root))?;
    let val = |name: &str, v: &str| {
        let mut e = BytesStart::new(name.to_owned());
        e.push_attribute(("w:val", v));
        Event::Empty(e)
    };
    for font in fonts.all() {
        let mut e = BytesStart::new("w:font");
        e.push_attribute(("w:name", font.name.as_str()));
        write(&mut w, Event::Start(e))?;
        if let Some(alt) = &font.alt {
            write(&mut w, val("w:altName", alt))?;
        }
        write(&mut w, val("w:charset", "86"))?;
        write(&mut w, val("w:family", "modern"))?;
        write(&mut w, val("w:pitch", "fixed"))?;
        write(&mut w, Event::End(BytesEnd::new("w:font")))?;
    }
    let mut times = BytesStart::new("w:font");
    times.push_attribute(("w:name", "Times New Roman"));
    write(&mut w, Event::Start(times))?;
    write(&mut w, val("w:charset", "00"))?;
    write(&mut w, val("w:family", "roman"))?;
    write(&mut w, val("w:pitch", "variable"))?;
    write(&mut w, Event::End(BytesEnd::new("w:font")))?;
    write(&mut w, Event::End(BytesEnd::new("w:fonts")))?;
    Ok(w.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_are_marked_and_ids_renumbered() {
        let xml = br#"<w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr><w:tr><w:trPr/></w:tr></w:tbl><w:p w14:paraId="0000002A" w:x="1"/><w:p w14:paraId="00000007"><w:r/></w:p>"#;
        let out = String::from_utf8(rewrite_part(xml).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:tbl><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr></w:tr><w:tr><w:trPr/></w:tr></w:tbl><w:p w14:paraId="00000001" w:x="1"/><w:p w14:paraId="00000002"><w:r/></w:p>"#
        );
    }

    #[test]
    fn paragraph_defaults_keep_punctuation_inside_and_no_latin_gaps() {
        let xml = br#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:rPr/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:styleId="A"><w:pPr/></w:style></w:styles>"#;
        let out = String::from_utf8(styles_part(xml).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:rPr/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:styleId="A"><w:pPr/></w:style></w:styles>"#
        );
    }

    #[test]
    fn an_earlier_style_of_the_same_id_is_dropped() {
        let xml = br#"<w:styles><w:style w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:styleId="Title"/><w:style w:styleId="Normal"><w:rPr/></w:style></w:styles>"#;
        let out = String::from_utf8(styles_part(xml).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:styles><w:style w:styleId="Title"/><w:style w:styleId="Normal"><w:rPr/></w:style></w:styles>"#
        );
    }

    #[test]
    fn text_with_markup_characters_survives() {
        let xml = "<w:t>a &lt;b&gt; &amp; “c”</w:t>".as_bytes();
        let out = rewrite_part(xml).unwrap();
        assert_eq!(out, xml);
    }
}
