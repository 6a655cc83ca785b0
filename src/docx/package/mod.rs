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
//! - **the first-line indent in characters** (`w:firstLineChars`, hundredths of a character;
//!   docx-rs reads it but never writes it): Normal's two characters are also given as 200, so
//!   the indent stays two characters when a clerk changes the body's size, as in Word's own
//!   公文 templates. Word lets a `…Chars` value, inherited from the style, win over an indent in
//!   twips, so every other `w:ind` with no first line or a hanging one says
//!   `w:firstLineChars="0"`, as Word writes it for 首行缩进 无;
//! - **the font table**: each role's face by its office name with its other name (`w:altName`)
//!   and the GB 2312 character set, so Word substitutes sensibly where the face is missing;
//! - **embedded fonts** (`build --embed-fonts`), as Word embeds them (ECMA-376 Part 1, 17.8.1;
//!   docx-rs has no font embedding): each bundled font file the roles name is stored as
//!   `word/fonts/fontN.odttf`, obfuscated by XOR-ing its first 32 bytes with its `w:fontKey`
//!   GUID, which is derived from the file's SHA-256 (so the bytes stay the same from one build
//!   to the next); the font table refers to it by `w:embedRegular` / `w:embedBold` with that
//!   key, `word/_rels/fontTable.xml.rels` holds the relationships, `[Content_Types].xml` the
//!   `odttf` type, and `settings.xml` says `w:embedTrueTypeFonts`. The obfuscated, deflated
//!   files are made once per process and copied into every package as they are;
//! - **landscape page numbers at the portrait position** (GB/T 9704 §8: a landscape page is
//!   bound turned, its number where every portrait sheet has it): docx-rs gives all sections
//!   the same footers, so the landscape sections' references are turned to two footers of
//!   their own (`footer3.xml` odd, `footer4.xml` even), each a text box in the left margin,
//!   its text turned a quarter clockwise (`wps:bodyPr vert="vert"`), holding — PAGE —;
//! - **the schema's order**: every WordprocessingML part goes out through
//!   [`schema::InSchemaOrder`], which writes the children of each property element, style and
//!   the settings in the order ECMA-376 gives them, whatever order docx-rs or this module
//!   wrote them in;
//! - **byte-identical output**: paragraph ids (`w14:paraId`, from a per-thread counter in
//!   docx-rs) are numbered from 1 in each part, and the zip is written from docx-rs's parts
//!   with one fixed timestamp (1980-01-01) in a fixed order; the parts every document shares
//!   are deflated once per build ([`SharedParts`]).

use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::{DocxError, DocxFonts};
use deflated::*;
use fonts::*;
use footers::*;
use schema::InSchemaOrder;
use styles::*;

pub use deflated::SharedParts;

mod deflated;
mod fonts;
mod footers;
mod schema;
mod styles;

/// Packs `docx` into the bytes of a .docx file: docx-rs writes each part's XML, this module
/// mends the parts and zips them, in docx-rs's order of parts; the parts every document shares
/// are taken from `shared`, deflated, once they have been.
pub(crate) fn pack(
    docx: docx_rs::Docx,
    fonts: &DocxFonts,
    shared: &SharedParts,
) -> Result<Vec<u8>, DocxError> {
    let xml = docx.build();
    if !xml.media.is_empty() || xml.taskpanes.is_some() || !xml.custom_items.is_empty() {
        return Err(DocxError(
            "images, task panes and custom XML are not packed".to_owned(),
        ));
    }
    let (document, landscape) = rewrite_part(&xml.document)?;
    let embedded = embedded_faces(fonts);
    let fonts_embedded = !embedded.is_empty();
    let mut document_relationships = xml.document_rels;
    if landscape {
        document_relationships = landscape_relationships(&document_relationships)?;
    }
    let settings = settings_part(&xml.settings, fonts_embedded)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(document.len() / 3 + 16_384)));
    let content_types = content_types(&xml.content_type, fonts_embedded, landscape)?;
    add_shared(shared, &mut out, "[Content_Types].xml", content_types)?;
    add_shared(shared, &mut out, "_rels/.rels", xml.rels)?;
    add_shared(shared, &mut out, "docProps/app.xml", xml.doc_props.app)?;
    add_shared(shared, &mut out, "docProps/core.xml", xml.doc_props.core)?;
    add_shared(
        shared,
        &mut out,
        "docProps/custom.xml",
        xml.doc_props.custom,
    )?;
    add_shared(
        shared,
        &mut out,
        "word/_rels/document.xml.rels",
        document_relationships,
    )?;
    add_own(&mut out, "word/document.xml", &document)?;
    add_shared(
        shared,
        &mut out,
        "word/styles.xml",
        styles_part(&xml.styles)?,
    )?;
    add_shared(shared, &mut out, "word/settings.xml", settings)?;
    add_shared(shared, &mut out, "word/fontTable.xml", font_table(fonts)?)?;
    for (name, part) in [
        ("word/comments.xml", &xml.comments),
        ("word/numbering.xml", &xml.numberings),
        ("word/commentsExtended.xml", &xml.comments_extended),
        ("word/footnotes.xml", &xml.footnotes),
    ] {
        add_shared(shared, &mut out, name, rewrite_part(part)?.0)?;
    }
    for (kind, parts, relationships) in [
        ("header", &xml.headers, &xml.header_rels),
        ("footer", &xml.footers, &xml.footer_rels),
    ] {
        for (i, part) in parts.iter().enumerate() {
            let n = i + 1;
            add_shared(
                shared,
                &mut out,
                &format!("word/{kind}{n}.xml"),
                rewrite_part(part)?.0,
            )?;
            if let Some(relationships) = relationships.get(i) {
                let name = format!("word/_rels/{kind}{n}.xml.rels");
                add_shared(shared, &mut out, &name, relationships.clone())?;
            }
        }
    }
    if landscape {
        for (_, part, odd) in LANDSCAPE_FOOTERS {
            add_shared(
                shared,
                &mut out,
                &format!("word/{part}"),
                landscape_footer(odd)?,
            )?;
        }
    }
    if fonts_embedded {
        let relationships = font_relationships(&embedded)?;
        add_shared(
            shared,
            &mut out,
            "word/_rels/fontTable.xml.rels",
            relationships,
        )?;
        let mut fonts = ZipArchive::new(Cursor::new(shared.fonts())).map_err(zip_error)?;
        for &index in &embedded {
            let entry = fonts.by_name(&font_part(index)).map_err(zip_error)?;
            out.raw_copy_file(entry).map_err(zip_error)?;
        }
    }
    out.finish().map(Cursor::into_inner).map_err(zip_error)
}

/// Every entry deflated, with the one fixed timestamp.
pub(super) fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
}

/// `[Content_Types].xml` with the obfuscated font type for `.odttf` parts (`fonts`) and the
/// landscape footers' parts (`landscape`).
pub(crate) fn content_types(
    xml: &[u8],
    fonts: bool,
    landscape: bool,
) -> Result<Vec<u8>, DocxError> {
    let mut added = Vec::new();
    if fonts {
        let mut e = BytesStart::new("Default");
        e.push_attribute(("Extension", "odttf"));
        e.push_attribute((
            "ContentType",
            "application/vnd.openxmlformats-officedocument.obfuscatedFont",
        ));
        added.push(e);
    }
    if landscape {
        for (_, part, _) in LANDSCAPE_FOOTERS {
            let mut e = BytesStart::new("Override");
            e.push_attribute(("PartName", format!("/word/{part}").as_str()));
            e.push_attribute((
                "ContentType",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
            ));
            added.push(e);
        }
    }
    if added.is_empty() {
        return Ok(xml.to_vec());
    }
    insert_after_start(xml, "Types", added)
}

/// `settings.xml` in the schema's order (docx-rs writes `w:zoom` after `w:defaultTabStop`),
/// saying that the document carries its fonts (`w:embedTrueTypeFonts`) when it does.
pub(crate) fn settings_part(xml: &[u8], fonts_embedded: bool) -> Result<Vec<u8>, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut out = InSchemaOrder::new(xml.len() + 64);
    loop {
        let event = reader.read_event().map_err(xml_error)?;
        match event {
            Event::Eof => break,
            Event::Start(e) if fonts_embedded && e.name().as_ref() == "w:settings" => {
                out.write(Event::Start(e))?;
                // Put in its place by the writer.
                out.write(Event::Empty(BytesStart::new("w:embedTrueTypeFonts")))?;
            }
            other => out.write(other)?,
        }
    }
    out.finish()
}

/// `xml` with the empty elements `added` right after the start tag of its root `root`.
pub(super) fn insert_after_start(
    xml: &[u8],
    root: &str,
    added: Vec<BytesStart<'_>>,
) -> Result<Vec<u8>, DocxError> {
    let mut added = Some(added);
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 128));
    let mut buf = Vec::new();
    let mut done = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        match event {
            Event::Eof => break,
            Event::Start(e) if !done && e.name().as_ref() == root => {
                writer.write_event(Event::Start(e)).map_err(xml_error)?;
                for e in added.take().unwrap_or_default() {
                    writer.write_event(Event::Empty(e)).map_err(xml_error)?;
                }
                done = true;
            }
            other => writer.write_event(other).map_err(xml_error)?,
        }
        buf.clear();
    }
    if done {
        Ok(writer.into_inner())
    } else {
        Err(DocxError(format!("no <{root}> to add to")))
    }
}

pub(super) fn xml_error(e: impl std::fmt::Display) -> DocxError {
    DocxError(format!("XML: {e}"))
}

/// One XML part with `w:tblHeader` after every `w:cantSplit`, paragraph ids renumbered and
/// the landscape sections' footer references turned to their own footers; and whether it has
/// a landscape section.
pub(crate) fn rewrite_part(xml: &[u8]) -> Result<(Vec<u8>, bool), DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut out = SectionFooters::new(InSchemaOrder::new(xml.len() + 256));
    let mut next_id: u32 = 1;
    loop {
        // Events borrowed from `xml` itself: nothing is copied but what is changed.
        let event = reader.read_event().map_err(xml_error)?;
        match event {
            Event::Eof => break,
            Event::Start(e) => out.write(Event::Start(renumber(e, &mut next_id)?))?,
            Event::Empty(e) => {
                let header = e.name().as_ref() == "w:cantSplit";
                let e = renumber(e, &mut next_id)?;
                out.write(Event::Empty(indent_in_chars(e, false)?))?;
                if header {
                    out.write(Event::Empty(BytesStart::new("w:tblHeader")))?;
                }
            }
            other => out.write(other)?,
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests;
