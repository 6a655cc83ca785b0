//! Embedded fonts (`build --embed-fonts`) and the font table: which bundled files the roles
//! embed, their obfuscation (ECMA-376 Part 1, 17.8.1), and the parts that name them.

use std::io::{Cursor, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use zip::ZipWriter;

use sha2::{Digest, Sha256};

use super::*;
use crate::docx::{DocxError, DocxFonts};
use crate::pdf::fonts::BUNDLED;

/// The bundled font files the roles embed (indexes into [`BUNDLED`]), each once, in order.
pub(super) fn embedded_faces(fonts: &DocxFonts) -> Vec<usize> {
    let mut faces: Vec<usize> = fonts.roles().iter().filter_map(|f| f.embedded).collect();
    faces.sort_unstable();
    faces.dedup();
    faces
}

/// The package part of bundled font `index`.
pub(super) fn font_part(index: usize) -> String {
    format!("word/fonts/font{}.odttf", index + 1)
}

/// The relationship id of bundled font `index` in the font table.
pub(super) fn font_relationship(index: usize) -> String {
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
pub(super) fn bundled_key(index: usize) -> &'static str {
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

/// A zip of every bundled font, obfuscated and deflated: made once a build (see
/// [`SharedParts`]), since deflating the 25 MB of fonts takes about a second, too long to do
/// again for every document.
pub(super) fn obfuscated_fonts() -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (index, font) in BUNDLED.iter().enumerate() {
        let obfuscated =
            obfuscate(font.data, bundled_key(index)).expect("a key font_key made is a GUID");
        zip.start_file(font_part(index), entry_options())
            .and_then(|()| zip.write_all(&obfuscated).map_err(Into::into))
            .expect("a zip in memory");
    }
    zip.finish().expect("a zip in memory").into_inner()
}

/// The font table's relationships: one per embedded font file.
pub(super) fn font_relationships(embedded: &[usize]) -> Result<Vec<u8>, DocxError> {
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

/// The font table: every face the document names, with its other name and the GB 2312
/// character set (86), and Times New Roman for Word's defaults.
pub(super) fn font_table(fonts: &DocxFonts) -> Result<Vec<u8>, DocxError> {
    let mut w = InSchemaOrder::new(1024);
    let write = |w: &mut InSchemaOrder, e: Event| w.write(e);
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
    w.finish()
}
