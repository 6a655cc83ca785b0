//! Stage 5's output for one document: the Typst main file and the `/meta.json` the layout
//! template reads. It is built once per document and then used for everything that needs it —
//! the digest that decides whether a PDF is rebuilt, the compile itself, and `--emit-typst` —
//! so the three can never disagree.

use std::collections::BTreeMap;

use serde::Serialize;

use super::blocks_markup;
use crate::document::{Chapter, Document, TitleLines};
use crate::render::views::{ColophonView, PartView};

/// The file name the layout template is imported as from the main file.
pub(crate) const TEMPLATE_FILE: &str = "qingdan.typ";
/// The file name of the main file in an emitted Typst folder.
pub(crate) const MAIN_FILE: &str = "main.typ";
/// The file name of the data the layout template reads.
pub(crate) const META_FILE: &str = "meta.json";

/// What the layout template receives as `/meta.json`.
#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    fonts: &'a BTreeMap<String, Vec<String>>,
    parts: Vec<PartMeta<'a>>,
    colophon: &'a Option<ColophonView>,
    page: &'a crate::model::PageSettings,
    /// Whether emphasis (run-in leads) is set bold (the tree's decision).
    emphasis_bold: bool,
    /// The face (font role) of each kind of text (the tree's decision).
    faces: &'a crate::document::faces::Faces,
    /// The standard's numbers the template lays out by (the same ones `check --layout` measures).
    gbt9704: &'a crate::gbt9704::TemplateNumbers,
}

/// One part as the layout template reads it: its furniture, and what the tree decided for it.
#[derive(Serialize)]
struct PartMeta<'a> {
    #[serde(flatten)]
    furniture: &'a PartView,
    /// The title's lines, each the pieces set unbreakable on it.
    title_lines: &'a TitleLines,
    /// How its chapter headings are set, if it has chapters.
    chapter: Option<Chapter>,
    /// The 发文机关标志's size in pt, if it has one.
    banner_size: Option<f64>,
}

/// One document as typst reads it: everything but the layout template and the fonts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstSource {
    /// The main file: the template applied to each part's body.
    pub main: String,
    /// `/meta.json`: titles, parts, 版记 and page settings, and the font families per role.
    pub meta_json: Vec<u8>,
}

impl TypstSource {
    /// The source of `document`, with `fonts` the families per role that are actually
    /// installed (the layout template falls back along each list).
    pub fn new(
        document: &Document,
        fonts: &BTreeMap<String, Vec<String>>,
    ) -> Result<Self, serde_json::Error> {
        let meta = Meta {
            title: document
                .parts
                .first()
                .map_or("", |p| p.furniture.title.as_str()),
            fonts,
            parts: document
                .parts
                .iter()
                .map(|part| PartMeta {
                    furniture: &part.furniture,
                    title_lines: &part.title_lines,
                    chapter: part.chapter,
                    banner_size: part.banner_size,
                })
                .collect(),
            colophon: &document.colophon,
            page: &document.page,
            emphasis_bold: document.emphasis_bold,
            faces: &crate::document::FACES,
            gbt9704: &crate::gbt9704::TEMPLATE_NUMBERS,
        };
        Ok(Self {
            main: main_markup(document),
            meta_json: serde_json::to_vec(&meta)?,
        })
    }
}

/// The Typst main file for a document: the template applied to each part's body.
fn main_markup(document: &Document) -> String {
    let mut main = format!(
        "#import \"/{TEMPLATE_FILE}\": *\n#let meta = json(\"/{META_FILE}\")\n#show: gongwen.with(meta)\n"
    );
    for (i, part) in document.parts.iter().enumerate() {
        main.push_str(&format!("#part(meta, {i})[\n"));
        main.push_str(&blocks_markup(&part.blocks));
        main.push_str("]\n");
        if i == 0 && document.colophon_after_first {
            main.push_str("#colophon(meta)\n");
        }
    }
    if !document.colophon_after_first {
        main.push_str("#colophon(meta)\n");
    }
    main
}
