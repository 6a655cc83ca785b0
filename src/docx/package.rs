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
//! - **byte-identical output**: paragraph ids (`w14:paraId`, from a per-thread counter in
//!   docx-rs) are numbered from 1 in each part, and the zip is written afresh with one fixed
//!   timestamp (1980-01-01) in a fixed order.

use std::io::{Cursor, Read, Write};

use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use sha2::{Digest, Sha256};

use super::{DocxError, DocxFonts};
use crate::pdf::fonts::BUNDLED;

/// Packs `docx` into the bytes of a .docx file.
pub(crate) fn pack(docx: docx_rs::Docx, fonts: &DocxFonts) -> Result<Vec<u8>, DocxError> {
    let mut raw = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut raw)
        .map_err(|e| DocxError(format!("docx-rs: {e}")))?;
    let mut archive =
        ZipArchive::new(Cursor::new(raw.into_inner())).map_err(|e| DocxError(e.to_string()))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = entry_options();
    let embedded = embedded_faces(fonts);
    let landscape = has_landscape_section(&mut archive)?;
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
            "[Content_Types].xml" => content_types(&bytes, !embedded.is_empty(), landscape)?,
            "word/_rels/document.xml.rels" if landscape => document_relationships(&bytes)?,
            "word/document.xml" if landscape => landscape_footers(&rewrite_part(&bytes)?)?,
            "word/settings.xml" if !embedded.is_empty() => settings_part(&bytes)?,
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
    if landscape {
        for (_, part, odd) in LANDSCAPE_FOOTERS {
            out.start_file(format!("word/{part}"), options)
                .map_err(|e| DocxError(e.to_string()))?;
            out.write_all(&landscape_footer(odd)?)
                .map_err(|e| DocxError(e.to_string()))?;
        }
    }
    if !embedded.is_empty() {
        out.start_file("word/_rels/fontTable.xml.rels", options)
            .map_err(|e| DocxError(e.to_string()))?;
        out.write_all(&font_relationships(&embedded)?)
            .map_err(|e| DocxError(e.to_string()))?;
        let mut fonts = ZipArchive::new(Cursor::new(obfuscated_fonts()))
            .map_err(|e| DocxError(e.to_string()))?;
        for &index in &embedded {
            let entry = fonts
                .by_name(&font_part(index))
                .map_err(|e| DocxError(e.to_string()))?;
            out.raw_copy_file(entry)
                .map_err(|e| DocxError(e.to_string()))?;
        }
    }
    out.finish()
        .map(Cursor::into_inner)
        .map_err(|e| DocxError(e.to_string()))
}

/// Every entry deflated, with the one fixed timestamp.
fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
}

/// The bundled font files the roles embed (indexes into [`BUNDLED`]), each once, in order.
fn embedded_faces(fonts: &DocxFonts) -> Vec<usize> {
    let mut faces: Vec<usize> = fonts.roles().iter().filter_map(|f| f.embedded).collect();
    faces.sort_unstable();
    faces.dedup();
    faces
}

/// The package part of bundled font `index`.
fn font_part(index: usize) -> String {
    format!("word/fonts/font{}.odttf", index + 1)
}

/// The relationship id of bundled font `index` in the font table.
fn font_relationship(index: usize) -> String {
    format!("rIdFont{}", index + 1)
}

/// The `w:fontKey` of a font file: a GUID made of the first 16 bytes of its SHA-256, so the
/// same file always gets the same key (Word makes a random one; any GUID will do).
pub(crate) fn font_key(data: &[u8]) -> String {
    let hash = Sha256::digest(data);
    let hex: String = hash[..16].iter().map(|b| format!("{b:02X}")).collect();
    format!(
        "{{{}-{}-{}-{}-{}}}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The [`font_key`] of bundled font `index`, hashed once per process.
fn bundled_key(index: usize) -> &'static str {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    &KEYS.get_or_init(|| BUNDLED.iter().map(|f| font_key(f.data)).collect())[index]
}

/// `data` obfuscated with `key` as ECMA-376 Part 1, 17.8.1 says: the key's 16 bytes, read from
/// the GUID's hexadecimal digits last to first, are XOR-ed onto the file's bytes 0–15 and again
/// onto bytes 16–31. The same operation undoes it.
pub(crate) fn obfuscate(data: &[u8], key: &str) -> Result<Vec<u8>, DocxError> {
    let digits: Vec<u8> = key
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .map(|d| (d as char).to_digit(16).map_or(0, |v| v as u8))
        .collect();
    if digits.len() != 32 {
        return Err(DocxError(format!("font key {key} is not a GUID")));
    }
    let guid: Vec<u8> = digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect();
    let mut out = data.to_vec();
    for (i, byte) in out.iter_mut().take(32).enumerate() {
        *byte ^= guid[15 - i % 16];
    }
    Ok(out)
}

/// A zip of every bundled font, obfuscated and deflated, made once per process: deflating the
/// 25 MB of fonts takes about a second, too long to do again for every document.
fn obfuscated_fonts() -> &'static [u8] {
    static FONTS: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (index, font) in BUNDLED.iter().enumerate() {
            let obfuscated =
                obfuscate(font.data, bundled_key(index)).expect("a key font_key made is a GUID");
            zip.start_file(font_part(index), entry_options())
                .and_then(|()| zip.write_all(&obfuscated).map_err(Into::into))
                .expect("a zip in memory");
        }
        zip.finish().expect("a zip in memory").into_inner()
    })
}

/// The font table's relationships: one per embedded font file.
fn font_relationships(embedded: &[usize]) -> Result<Vec<u8>, DocxError> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(quick_xml::events::BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))
    .map_err(xml_error)?;
    let mut root = BytesStart::new("Relationships");
    root.push_attribute((
        "xmlns",
        "http://schemas.openxmlformats.org/package/2006/relationships",
    ));
    w.write_event(Event::Start(root)).map_err(xml_error)?;
    for &index in embedded {
        let mut e = BytesStart::new("Relationship");
        e.push_attribute(("Id", font_relationship(index).as_str()));
        e.push_attribute((
            "Type",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font",
        ));
        let target = font_part(index);
        e.push_attribute(("Target", target.trim_start_matches("word/")));
        w.write_event(Event::Empty(e)).map_err(xml_error)?;
    }
    w.write_event(Event::End(BytesEnd::new("Relationships")))
        .map_err(xml_error)?;
    Ok(w.into_inner())
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

/// The landscape sections' footers: relationship id, part, odd pages.
const LANDSCAPE_FOOTERS: [(&str, &str, bool); 2] = [
    ("rIdFooter3", "footer3.xml", true),
    ("rIdFooter4", "footer4.xml", false),
];

/// The footers docx-rs gives every section (see `page::Sections`), odd and even.
const PORTRAIT_FOOTERS: [&str; 2] = ["rIdFooter1", "rIdFooter2"];

/// Whether the document has a landscape section (a `w:pgSz` with `w:orient="landscape"`).
fn has_landscape_section(archive: &mut ZipArchive<Cursor<Vec<u8>>>) -> Result<bool, DocxError> {
    let mut xml = Vec::new();
    archive
        .by_name("word/document.xml")
        .map_err(|e| DocxError(e.to_string()))?
        .read_to_end(&mut xml)
        .map_err(|e| DocxError(e.to_string()))?;
    let mut reader = Reader::from_reader(&xml[..]);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Eof => return Ok(false),
            Event::Empty(e) | Event::Start(e) if is_landscape(&e) => return Ok(true),
            _ => {}
        }
        buf.clear();
    }
}

fn is_landscape(e: &BytesStart) -> bool {
    e.name().as_ref() == "w:pgSz"
        && e.attributes()
            .flatten()
            .any(|a| a.key.as_ref() == "w:orient" && a.value == "landscape")
}

/// `document.xml` with each landscape section's footer references turned to the landscape
/// footers.
pub(crate) fn landscape_footers(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 64));
    // The events of the `w:sectPr` being read: its references come after its `w:pgSz`.
    let mut section: Option<Vec<Event<'static>>> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        match event {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == "w:sectPr" => {
                section = Some(vec![Event::Start(e.into_owned())]);
            }
            Event::End(e) if e.name().as_ref() == "w:sectPr" && section.is_some() => {
                let mut events = section.take().unwrap_or_default();
                events.push(Event::End(e.into_owned()));
                let landscape = events.iter().any(|e| match e {
                    Event::Empty(e) | Event::Start(e) => is_landscape(e),
                    _ => false,
                });
                for event in events {
                    let event = match event {
                        Event::Empty(e)
                            if landscape && e.name().as_ref() == "w:footerReference" =>
                        {
                            Event::Empty(landscape_reference(&e)?)
                        }
                        other => other,
                    };
                    writer.write_event(event).map_err(xml_error)?;
                }
            }
            other => match &mut section {
                Some(events) => events.push(other.into_owned()),
                None => writer.write_event(other).map_err(xml_error)?,
            },
        }
        buf.clear();
    }
    Ok(writer.into_inner())
}

/// A footer reference of a landscape section: rIdFooter1 / rIdFooter2 → rIdFooter3 / rIdFooter4.
fn landscape_reference(e: &BytesStart) -> Result<BytesStart<'static>, DocxError> {
    let mut out = BytesStart::new("w:footerReference");
    for attribute in e.attributes() {
        let attribute = attribute.map_err(xml_error)?;
        // The ids and types of a reference hold no character XML escapes.
        let value = attribute.value;
        let value = match PORTRAIT_FOOTERS.iter().position(|id| *id == value) {
            Some(i) if attribute.key.as_ref() == "r:id" => LANDSCAPE_FOOTERS[i].0.to_owned(),
            _ => value.into_owned(),
        };
        out.push_attribute((attribute.key.as_ref(), value.as_str()));
    }
    Ok(out)
}

/// The document's relationships with the landscape footers'.
fn document_relationships(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
    let added = LANDSCAPE_FOOTERS
        .iter()
        .map(|(id, part, _)| {
            let mut e = BytesStart::new("Relationship");
            e.push_attribute(("Id", *id));
            e.push_attribute((
                "Type",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
            ));
            e.push_attribute(("Target", *part));
            e
        })
        .collect();
    insert_after_start(xml, "Relationships", added)
}

/// A landscape section's footer: an empty footer paragraph anchoring a text box that holds
/// — N — where a portrait sheet has it. The sheet is bound turned a quarter counter-clockwise
/// (its top along the binding), so the portrait foot is the landscape page's left margin: the
/// box lies `page::FOOTER_DISTANCE` from the left edge, as wide as the footer's line, and as
/// long as the type area is wide (28 mm from the landscape page's top); its text, turned a
/// quarter clockwise, reads down the page, the number at its end on odd pages (the sheet's
/// right) and at its start on even ones, one character in, as in the portrait footers.
fn landscape_footer(odd: bool) -> Result<Vec<u8>, DocxError> {
    use super::page::{FOOTER_DISTANCE, FOOTER_PITCH, LEFT, PAGE_NUMBER_INDENT, PAGE_WIDTH, RIGHT};
    const EMU: i64 = 635; // per twip
    let length = i64::from(PAGE_WIDTH as i32 - LEFT - RIGHT) * EMU;
    let width = i64::from(FOOTER_PITCH) * EMU;
    let (cx, cy) = (width.to_string(), length.to_string());
    let mut x = XmlOut::new();
    x.decl()?;
    x.start(
        "w:ftr",
        &[
            (
                "xmlns:w",
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            ),
            (
                "xmlns:r",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            ),
            (
                "xmlns:wp",
                "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
            ),
            (
                "xmlns:a",
                "http://schemas.openxmlformats.org/drawingml/2006/main",
            ),
            (
                "xmlns:wps",
                "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
            ),
            (
                "xmlns:mc",
                "http://schemas.openxmlformats.org/markup-compatibility/2006",
            ),
        ],
    )?;
    x.start("w:p", &[])?;
    x.start("w:pPr", &[])?;
    x.empty("w:pStyle", &[("w:val", "Footer")])?;
    x.end("w:pPr")?;
    x.start("w:r", &[])?;
    x.start("mc:AlternateContent", &[])?;
    x.start("mc:Choice", &[("Requires", "wps")])?;
    x.start("w:drawing", &[])?;
    x.start(
        "wp:anchor",
        &[
            ("distT", "0"),
            ("distB", "0"),
            ("distL", "0"),
            ("distR", "0"),
            ("simplePos", "0"),
            ("relativeHeight", "1"),
            ("behindDoc", "0"),
            ("locked", "1"),
            ("layoutInCell", "1"),
            ("allowOverlap", "1"),
        ],
    )?;
    x.empty("wp:simplePos", &[("x", "0"), ("y", "0")])?;
    for (axis, offset) in [
        ("wp:positionH", i64::from(FOOTER_DISTANCE) * EMU),
        ("wp:positionV", i64::from(LEFT) * EMU),
    ] {
        x.start(axis, &[("relativeFrom", "page")])?;
        x.text_element("wp:posOffset", &offset.to_string())?;
        x.end(axis)?;
    }
    x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)])?;
    x.empty(
        "wp:effectExtent",
        &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
    )?;
    x.empty("wp:wrapNone", &[])?;
    let id = if odd { "1001" } else { "1002" };
    x.empty("wp:docPr", &[("id", id), ("name", "页码 page number")])?;
    x.empty("wp:cNvGraphicFramePr", &[])?;
    x.start("a:graphic", &[])?;
    x.start(
        "a:graphicData",
        &[(
            "uri",
            "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        )],
    )?;
    x.start("wps:wsp", &[])?;
    x.empty("wps:cNvSpPr", &[("txBox", "1")])?;
    x.start("wps:spPr", &[])?;
    x.start("a:xfrm", &[])?;
    x.empty("a:off", &[("x", "0"), ("y", "0")])?;
    x.empty("a:ext", &[("cx", &cx), ("cy", &cy)])?;
    x.end("a:xfrm")?;
    x.start("a:prstGeom", &[("prst", "rect")])?;
    x.empty("a:avLst", &[])?;
    x.end("a:prstGeom")?;
    x.empty("a:noFill", &[])?;
    x.start("a:ln", &[])?;
    x.empty("a:noFill", &[])?;
    x.end("a:ln")?;
    x.end("wps:spPr")?;
    x.start("wps:txbx", &[])?;
    x.start("w:txbxContent", &[])?;
    x.start("w:p", &[])?;
    x.start("w:pPr", &[])?;
    x.empty("w:pStyle", &[("w:val", "Footer")])?;
    x.empty("w:jc", &[("w:val", if odd { "right" } else { "left" })])?;
    let indent = PAGE_NUMBER_INDENT.to_string();
    let (left, right) = if odd {
        ("0", indent.as_str())
    } else {
        (indent.as_str(), "0")
    };
    x.empty(
        "w:ind",
        &[("w:left", left), ("w:right", right), ("w:firstLine", "0")],
    )?;
    x.end("w:pPr")?;
    x.run_text("— ")?;
    x.field_char("begin")?;
    x.start("w:r", &[])?;
    x.start("w:instrText", &[("xml:space", "preserve")])?;
    x.text(" PAGE ")?;
    x.end("w:instrText")?;
    x.end("w:r")?;
    x.field_char("separate")?;
    x.run_text("1")?;
    x.field_char("end")?;
    x.run_text(" —")?;
    x.end("w:p")?;
    x.end("w:txbxContent")?;
    x.end("wps:txbx")?;
    x.empty(
        "wps:bodyPr",
        &[
            ("rot", "0"),
            ("vert", "vert"),
            ("wrap", "square"),
            ("lIns", "0"),
            ("tIns", "0"),
            ("rIns", "0"),
            ("bIns", "0"),
            ("anchor", "ctr"),
        ],
    )?;
    x.end("wps:wsp")?;
    x.end("a:graphicData")?;
    x.end("a:graphic")?;
    x.end("wp:anchor")?;
    x.end("w:drawing")?;
    x.end("mc:Choice")?;
    x.end("mc:AlternateContent")?;
    x.end("w:r")?;
    x.end("w:p")?;
    x.end("w:ftr")?;
    Ok(x.0.into_inner())
}

/// A small XML writer over quick-xml for the parts written here whole.
struct XmlOut(Writer<Vec<u8>>);

impl XmlOut {
    fn new() -> Self {
        Self(Writer::new(Vec::new()))
    }

    fn event(&mut self, e: Event) -> Result<(), DocxError> {
        self.0.write_event(e).map_err(xml_error)
    }

    fn decl(&mut self) -> Result<(), DocxError> {
        self.event(Event::Decl(quick_xml::events::BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )))
    }

    fn element<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut e = BytesStart::new(name);
        for attribute in attributes {
            e.push_attribute(*attribute);
        }
        e
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), DocxError> {
        self.event(Event::Start(Self::element(name, attributes)))
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), DocxError> {
        self.event(Event::Empty(Self::element(name, attributes)))
    }

    fn end(&mut self, name: &str) -> Result<(), DocxError> {
        self.event(Event::End(BytesEnd::new(name)))
    }

    fn text(&mut self, text: &str) -> Result<(), DocxError> {
        self.event(Event::Text(quick_xml::events::BytesText::new(text)))
    }

    fn text_element(&mut self, name: &str, text: &str) -> Result<(), DocxError> {
        self.start(name, &[])?;
        self.text(text)?;
        self.end(name)
    }

    /// A run of `text`, its spaces kept.
    fn run_text(&mut self, text: &str) -> Result<(), DocxError> {
        self.start("w:r", &[])?;
        self.start("w:t", &[("xml:space", "preserve")])?;
        self.text(text)?;
        self.end("w:t")?;
        self.end("w:r")
    }

    /// A run holding a field character: begin, separate or end.
    fn field_char(&mut self, kind: &str) -> Result<(), DocxError> {
        self.start("w:r", &[])?;
        self.empty("w:fldChar", &[("w:fldCharType", kind)])?;
        self.end("w:r")
    }
}

/// `settings.xml` saying that the document carries its fonts (`w:embedTrueTypeFonts`), in the
/// schema's place: after `w:zoom`, before `w:defaultTabStop`. docx-rs writes the zoom after
/// the tab stop, so it is moved up to the start with it (the elements the schema puts before
/// them, write protection and view, are ones docx-rs does not write).
pub(crate) fn settings_part(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut events: Vec<Event<'static>> = Vec::new();
    let mut zoom = None;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        match event {
            Event::Eof => break,
            Event::Empty(e) if zoom.is_none() && e.name().as_ref() == "w:zoom" => {
                zoom = Some(e.into_owned());
            }
            other => events.push(other.into_owned()),
        }
        buf.clear();
    }
    let root = events
        .iter()
        .position(|e| matches!(e, Event::Start(s) if s.name().as_ref() == "w:settings"))
        .ok_or_else(|| DocxError("no <w:settings> to add to".to_owned()))?;
    let mut added: Vec<Event<'static>> = zoom.map(Event::Empty).into_iter().collect();
    added.push(Event::Empty(BytesStart::new("w:embedTrueTypeFonts")));
    events.splice(root + 1..root + 1, added);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 64));
    for event in events {
        writer.write_event(event).map_err(xml_error)?;
    }
    Ok(writer.into_inner())
}

/// `xml` with the empty elements `added` right after the start tag of its root `root`.
fn insert_after_start(
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

fn xml_error(e: impl std::fmt::Display) -> DocxError {
    DocxError(format!("XML: {e}"))
}

/// One XML part with `w:tblHeader` after every `w:cantSplit` and paragraph ids renumbered.
pub(crate) fn rewrite_part(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
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
                let e = indent_in_chars(e, false)?;
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

/// Normal's first-line indent in hundredths of a character: two characters.
const BODY_FIRST_LINE_CHARS: &str = "200";

/// `e` with `w:firstLineChars` if it is a `w:ind` that has no `…Chars` value of its own: in
/// Normal (`normal`) its two characters; elsewhere 0 where the first line is not indented
/// (`w:firstLine="0"`) or hangs, so that Normal's does not win over its twips. A first line
/// indented in twips elsewhere is two characters too (a quotation's), and is left as it is.
fn indent_in_chars(e: BytesStart<'_>, normal: bool) -> Result<BytesStart<'_>, DocxError> {
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
        // The embedded faces of this family, regular before bold (the schema's order).
        let mut faces: Vec<usize> = fonts
            .roles()
            .iter()
            .filter(|f| f.name == font.name)
            .filter_map(|f| f.embedded)
            .collect();
        faces.sort_unstable_by_key(|&i| BUNDLED[i].bold);
        faces.dedup();
        for index in faces {
            let mut e = BytesStart::new(if BUNDLED[index].bold {
                "w:embedBold"
            } else {
                "w:embedRegular"
            });
            e.push_attribute(("r:id", font_relationship(index).as_str()));
            e.push_attribute(("w:fontKey", bundled_key(index)));
            write(&mut w, Event::Empty(e))?;
        }
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
    fn fonts_are_obfuscated_with_the_keys_bytes_last_to_first() {
        let key = "{00112233-4455-6677-8899-AABBCCDDEEFF}";
        let data = [0u8; 40];
        let out = obfuscate(&data, key).unwrap();
        let reversed: Vec<u8> = (0..16u8).rev().map(|i| i * 0x11).collect();
        assert_eq!(&out[..16], &reversed[..]);
        assert_eq!(&out[16..32], &reversed[..]);
        assert_eq!(&out[32..], &[0u8; 8]);
        // The same operation undoes it.
        assert_eq!(obfuscate(&out, key).unwrap(), data);
        assert!(obfuscate(&data, "{not-a-guid}").is_err());
        // A key is a GUID, the same for the same file.
        let key = font_key(b"font");
        assert_eq!((key.len(), key.matches('-').count()), (38, 4));
        assert_eq!(key, font_key(b"font"));
        assert_ne!(key, font_key(b"other font"));
    }

    #[test]
    fn settings_say_the_fonts_are_embedded_in_the_schemas_place() {
        let xml = br#"<w:settings xmlns:w="w"><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:evenAndOddHeaders /></w:settings>"#;
        let out = String::from_utf8(settings_part(xml).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:settings xmlns:w="w"><w:zoom w:percent="100" /><w:embedTrueTypeFonts/><w:defaultTabStop w:val="840" /><w:evenAndOddHeaders /></w:settings>"#
        );
        let types = br#"<Types xmlns="t"><Default Extension="xml"/></Types>"#;
        let out = String::from_utf8(content_types(types, true, false).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<Types xmlns="t"><Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/><Default Extension="xml"/></Types>"#
        );
    }

    #[test]
    fn landscape_sections_get_their_own_footers() {
        let xml = br#"<w:body><w:p><w:pPr><w:sectPr><w:pgSz w:w="11906"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/></w:sectPr></w:pPr></w:p><w:sectPr><w:pgSz w:w="16838" w:orient="landscape"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/></w:sectPr></w:body>"#;
        let out = String::from_utf8(landscape_footers(xml).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:body><w:p><w:pPr><w:sectPr><w:pgSz w:w="11906"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/></w:sectPr></w:pPr></w:p><w:sectPr><w:pgSz w:w="16838" w:orient="landscape"/><w:footerReference w:type="default" r:id="rIdFooter3"/><w:footerReference w:type="even" r:id="rIdFooter4"/></w:sectPr></w:body>"#
        );
        for odd in [true, false] {
            let footer = landscape_footer(odd).unwrap();
            let footer = String::from_utf8(footer).unwrap();
            assert!(roxmltree::Document::parse(&footer).is_ok(), "{footer}");
        }
    }

    #[test]
    fn first_line_indents_are_also_given_in_characters() {
        let styles = br#"<w:styles><w:style w:styleId="Normal"><w:pPr><w:ind w:left="0" w:firstLine="630" /></w:pPr></w:style><w:style w:styleId="Title"><w:pPr><w:ind w:firstLine="0"/></w:pPr></w:style></w:styles>"#;
        let out = String::from_utf8(styles_part(styles).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:styles><w:style w:styleId="Normal"><w:pPr><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:ind w:left="0" w:firstLine="630"  w:firstLineChars="200"/></w:pPr></w:style><w:style w:styleId="Title"><w:pPr><w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr></w:style></w:styles>"#
        );
        // A paragraph's: none or hanging → 0; two characters inherit Normal's; one of its own
        // in characters is kept.
        let document = br#"<w:ind w:firstLine="0"/><w:ind w:left="1890" w:hanging="315"/><w:ind w:left="630" w:firstLine="630"/><w:ind w:hangingChars="100"/>"#;
        let out = String::from_utf8(rewrite_part(document).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:ind w:firstLine="0" w:firstLineChars="0"/><w:ind w:left="1890" w:hanging="315" w:firstLineChars="0"/><w:ind w:left="630" w:firstLine="630"/><w:ind w:hangingChars="100"/>"#
        );
    }

    #[test]
    fn text_with_markup_characters_survives() {
        let xml = "<w:t>a &lt;b&gt; &amp; “c”</w:t>".as_bytes();
        let out = rewrite_part(xml).unwrap();
        assert_eq!(out, xml);
    }
}
