//! Reading a .docx as Word and WPS save it: the zip package under limits ([`package`]), the
//! styles and list definitions it refers to ([`styles`], [`numbering`]), and the body walked
//! into paragraphs ([`body`]) and tables ([`table`]). XML is read with roxmltree, which refuses a DTD (no
//! entity expansion) and stops at a node limit; nothing here splits XML as text.

mod body;
mod numbering;
pub(crate) mod package;
mod styles;
mod table;

use std::path::Path;

use super::report::Note;
use super::source::Source;
use crate::diag::{Diagnostic, Location};
pub(crate) use body::short;
use package::{Package, parse_xml};

/// The first bytes of an OLE compound file: a Word 97–2003 .doc, a .wps, or a .docx protected
/// with a password (Word encrypts it into such a file).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads the .docx in `bytes` (read from `path`).
pub(crate) fn read_docx(path: &Path, bytes: &[u8]) -> Result<Source, Box<Diagnostic>> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(Box::new(
            Diagnostic::error(
                path,
                Location::File,
                "这是旧版 Word（.doc）或 WPS 格式的文件，或是设了打开密码的 .docx",
                "this is an old Word (.doc) or WPS file, or a .docx protected by a password",
            )
            .with_hint(
                "用 Word 或 WPS 打开它（有密码的先取消密码），“另存为” Word 文档（*.docx）后再导入",
                "open it in Word or WPS (remove its password, if it has one), “Save As” a Word document (*.docx), then import that",
            ),
        ));
    }
    let mut package = Package::open(path, bytes)?;
    let main = main_part(&mut package, path)?;
    let Some(document) = package.part(&main)? else {
        return Err(package::not_a_docx(
            path,
            &format!("the package has no {main}: it is not a Word document"),
        ));
    };
    let folder = main.rsplit_once('/').map_or("", |(f, _)| f);
    let styles_text = package.part(&format!("{folder}/styles.xml"))?;
    let numbering_text = package.part(&format!("{folder}/numbering.xml"))?;
    let styles = match &styles_text {
        Some(text) => styles::Styles::read(parse_xml(path, "styles.xml", text)?.root_element()),
        None => styles::Styles::default(),
    };
    let lists = match &numbering_text {
        Some(text) => {
            numbering::Lists::read(parse_xml(path, "numbering.xml", text)?.root_element())
        }
        None => numbering::Lists::default(),
    };
    let xml = parse_xml(path, &main, &document)?;
    let Some(body) = styles_child(xml.root_element(), "body") else {
        return Err(package::not_a_docx(path, &format!("{main} has no body")));
    };
    let mut walker = body::Walker::new(&styles, lists);
    walker.body(body, 0);
    let mut notes = std::mem::take(&mut walker.notes);
    for (part, zh, en) in [
        (
            "footnotes.xml",
            "文档有脚注，脚注未导入",
            "the document has footnotes; they are not imported",
        ),
        (
            "comments.xml",
            "文档有批注，批注未导入",
            "the document has comments; they are not imported",
        ),
    ] {
        if has_text(&mut package, path, &format!("{folder}/{part}"))? {
            notes.push(Note::warning(None, zh, en));
        }
    }
    Ok(Source {
        blocks: walker.blocks,
        notes,
    })
}

/// The main document part named by the package's relationships (`word/document.xml` as Word,
/// WPS and LibreOffice write it).
fn main_part(package: &mut Package<'_>, path: &Path) -> Result<String, Box<Diagnostic>> {
    let fallback = "word/document.xml".to_owned();
    let Some(rels) = package.part("_rels/.rels")? else {
        return Ok(fallback);
    };
    let xml = parse_xml(path, "_rels/.rels", &rels)?;
    let target = xml
        .root_element()
        .children()
        .filter(|n| n.tag_name().name() == "Relationship")
        .find(|n| styles::attr(*n, "Type").is_some_and(|t| t.ends_with("/officeDocument")))
        .and_then(|n| styles::attr(n, "Target"))
        .map(|t| t.trim_start_matches('/').to_owned());
    Ok(match target {
        Some(t) if package.has(&t) => t,
        _ => fallback,
    })
}

fn styles_child<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'i>> {
    styles::child(node, name)
}

/// Whether part `name` holds any text (Word writes empty footnote separators in every file).
fn has_text(package: &mut Package<'_>, path: &Path, name: &str) -> Result<bool, Box<Diagnostic>> {
    let Some(text) = package.part(name)? else {
        return Ok(false);
    };
    let xml = parse_xml(path, name, &text)?;
    Ok(xml
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .any(|n| n.text().is_some_and(|t| !t.trim().is_empty())))
}
