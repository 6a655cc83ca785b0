//! Stage 6b: a rendered document → an editable Word file (.docx), laid out after GB/T 9704 in
//! Word's own terms.
//!
//! It takes the very [`Document`] tree that feeds the Typst markup — the parts' furniture
//! (版头, 主送, 附件说明, 落款, 版记) as data, each part's body as blocks and every layout
//! decision both writers share (heading levels, chapter headings, title lines, table merges and
//! widths, where the 版记 goes) taken there — and gives the bytes of a .docx:
//! - [`page`]: A4, the 版心 and margins of the PDF, a 22 × 28 document grid, odd/even footers
//!   with a PAGE field (— N —), landscape sections for wide tables;
//! - [`body`]: a body's blocks as paragraphs, headings (一、 黑体, （一） 楷体, 1. 仿宋) and
//!   tables;
//! - [`table`]: tables with real merged cells (vMerge / gridSpan), balanced as the PDF's;
//! - [`runs`]: inline text as runs (楷体 emphasis and leads, 黑体 strong, bold headings);
//! - [`furniture`]: 版头 with the red banner and rule, the 附件N label, title, 主送;
//! - [`closing`]: 附件说明, 署名 and 成文日期 placed as in the PDF for 无 / 印章 / 签名章, the
//!   版记 with its rules;
//! - [`package`]: what docx-rs does not write (repeated header rows, the font table), every
//!   element in the schema's order, and a byte-identical zip for the same inputs.
//!
//! Fonts are named: each role's first family, by the name an office PC knows it by
//! (仿宋_GB2312, 楷体_GB2312, 黑体, 宋体, 方正小标宋简体), never a theme font. With
//! [`Embed::Bundled`] (`build --embed-fonts`) each role names the bundled family the PDF falls
//! back to instead, and the package carries those font files (see [`package`]).

pub(crate) mod body;
pub(crate) mod closing;
pub(crate) mod furniture;
pub(crate) mod package;
pub(crate) mod page;
pub(crate) mod runs;
pub(crate) mod table;

use std::collections::BTreeMap;

use docx_rs::{Docx, Paragraph, RunFonts, Table};
use sha2::{Digest, Sha256};

use crate::document::Document;

pub use package::SharedParts;

/// One font as a .docx names it: the name Word looks up, and the other name the same face is
/// installed under (Chinese or English), for the font table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontName {
    /// The name runs and styles give, e.g. 仿宋_GB2312.
    pub name: String,
    /// The same face's name in the other language (FangSong_GB2312), for the font table.
    pub alt: Option<String>,
    /// Set in bold: the bundled 标题 face (Noto Serif CJK SC Bold), as the PDF sets it.
    pub bold: bool,
    /// The bundled font file (an index into [`crate::pdf::fonts::BUNDLED`]) embedded for it.
    pub embedded: Option<usize>,
}

/// Office fonts by their English and Chinese names: Word and WPS on a Chinese system list them
/// by the Chinese name, which is what Chinese templates use.
const OFFICE_NAMES: &[(&str, &str)] = &[
    ("FangSong_GB2312", "仿宋_GB2312"),
    ("FangSong", "仿宋"),
    ("KaiTi_GB2312", "楷体_GB2312"),
    ("KaiTi", "楷体"),
    ("SimHei", "黑体"),
    ("SimSun", "宋体"),
    ("FZXiaoBiaoSong-B05S", "方正小标宋简体"),
    ("FZXiaoBiaoSong-B05", "方正小标宋_GBK"),
    ("STFangsong", "华文仿宋"),
    ("STKaiti", "华文楷体"),
    ("STHeiti", "华文黑体"),
    ("STSong", "华文宋体"),
];

impl FontName {
    /// The name for `family`: an office font's Chinese name with its English one beside it.
    pub fn of(family: &str) -> Self {
        match OFFICE_NAMES
            .iter()
            .find(|(en, zh)| en.eq_ignore_ascii_case(family) || *zh == family)
        {
            Some((en, zh)) => Self {
                name: (*zh).to_owned(),
                alt: Some((*en).to_owned()),
                bold: false,
                embedded: None,
            },
            None => Self {
                name: family.to_owned(),
                alt: None,
                bold: false,
                embedded: None,
            },
        }
    }

    /// The bundled face of the first bundled family in `families` (regular, or `bold` where the
    /// family has a bold face), as the PDF takes it on a machine without the office fonts.
    fn bundled(families: &[String], bold: bool) -> Option<Self> {
        let bundled = crate::pdf::fonts::BUNDLED;
        families.iter().find_map(|family| {
            let of_family =
                |b: &crate::pdf::fonts::BundledFont| b.family.eq_ignore_ascii_case(family);
            let index = bundled
                .iter()
                .position(|b| of_family(b) && b.bold == bold)
                .or_else(|| bundled.iter().position(|b| of_family(b) && !b.bold))?;
            Some(Self {
                name: bundled[index].family.to_owned(),
                alt: None,
                bold: bundled[index].bold,
                embedded: Some(index),
            })
        })
    }

    /// `run` in this face (bold where the face is).
    pub fn apply(&self, run: docx_rs::Run) -> docx_rs::Run {
        let run = run.fonts(self.run_fonts());
        if self.bold { run.bold() } else { run }
    }

    /// Run fonts naming this face for every script (no theme fonts: WPS warns about those).
    pub fn run_fonts(&self) -> RunFonts {
        RunFonts::new()
            .ascii(&self.name)
            .hi_ansi(&self.name)
            .east_asia(&self.name)
            .cs(&self.name)
    }
}

/// The fonts of the five roles the PDF uses (src/pdf/fonts.rs), as Word will name them.
#[derive(Debug, Clone)]
pub struct DocxFonts {
    /// Body text, tables and 1. headings (仿宋).
    pub fangsong: FontName,
    /// （一） headings and emphasis (楷体).
    pub kaiti: FontName,
    /// 一、 headings, 附件 labels and table headers (黑体).
    pub heiti: FontName,
    /// Page numbers (宋体).
    pub songti: FontName,
    /// The 2号 titles (小标宋).
    pub title: FontName,
}

/// Whether a .docx carries its fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Embed {
    /// Fonts named only: the office PC has them.
    #[default]
    None,
    /// Each role in the bundled family the PDF falls back to, its font file in the package.
    Bundled,
}

impl DocxFonts {
    /// The fonts of `roles`: named ([`Self::from_roles`]), or with [`Embed::Bundled`] each
    /// role's first bundled family (the 标题 in its bold face, as the PDF sets it); a role
    /// listing no bundled family keeps its named font.
    pub fn for_roles(roles: &BTreeMap<String, Vec<String>>, embed: Embed) -> Self {
        let named = Self::from_roles(roles);
        if embed == Embed::None {
            return named;
        }
        let pick = |role: &str, bold: bool, named: FontName| {
            roles
                .get(role)
                .and_then(|families| FontName::bundled(families, bold))
                .unwrap_or(named)
        };
        Self {
            fangsong: pick("仿宋", false, named.fangsong),
            kaiti: pick("楷体", false, named.kaiti),
            heiti: pick("黑体", false, named.heiti),
            songti: pick("宋体", false, named.songti),
            title: pick("标题", true, named.title),
        }
    }

    /// Each role's first family (the project's choice, or the office default), by its office
    /// name. A .docx names one face per run; Word substitutes on a machine without it.
    /// (The roles come with the defaults filled in, see `crate::render_set`; a role missing
    /// all the same takes its office font.)
    pub fn from_roles(roles: &BTreeMap<String, Vec<String>>) -> Self {
        let pick = |role: &str, office: &str| {
            let family = roles
                .get(role)
                .and_then(|f| f.first())
                .map_or(office, String::as_str);
            FontName::of(family)
        };
        Self {
            fangsong: pick("仿宋", "仿宋_GB2312"),
            kaiti: pick("楷体", "楷体_GB2312"),
            heiti: pick("黑体", "黑体"),
            songti: pick("宋体", "宋体"),
            title: pick("标题", "方正小标宋简体"),
        }
    }

    /// The font of `face`.
    pub fn face(&self, face: crate::document::Face) -> &FontName {
        use crate::document::Face;
        match face {
            Face::FangSong => &self.fangsong,
            Face::KaiTi => &self.kaiti,
            Face::HeiTi => &self.heiti,
            Face::SongTi => &self.songti,
            Face::Title => &self.title,
        }
    }

    /// The roles' fonts, in role order.
    pub fn roles(&self) -> [&FontName; 5] {
        [
            &self.fangsong,
            &self.kaiti,
            &self.heiti,
            &self.songti,
            &self.title,
        ]
    }

    /// Every distinct family, in role order, for the font table.
    pub fn all(&self) -> Vec<&FontName> {
        let mut all: Vec<&FontName> = Vec::new();
        for f in self.roles() {
            if !all.iter().any(|g| g.name == f.name) {
                all.push(f);
            }
        }
        all
    }
}

/// A run of `text`: every piece of text goes into the document through here. Characters XML 1.0
/// cannot hold (control characters a spreadsheet cell may carry, U+FFFE/U+FFFF) are dropped,
/// since one of them makes Word refuse the whole file; docx-rs escapes the rest (`<`, `&` …).
pub fn text_run(text: impl AsRef<str>) -> docx_rs::Run {
    docx_rs::Run::new().add_text(xml_text(text.as_ref()))
}

/// `text` without the characters XML 1.0 cannot hold.
pub fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{FFFD}' | '\u{10000}'..);
    if text.chars().all(allowed) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// A block of the document body: docx-rs keeps paragraphs and tables apart.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph (a heading, body text, a 附件说明 line …).
    Paragraph(Box<Paragraph>),
    /// A table (an attachment's list, the 版记).
    Table(Box<Table>),
}

/// A failed .docx: what went wrong while packing it.
#[derive(Debug)]
pub struct DocxError(pub String);

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The .docx of `document`, with the fonts of `roles`, named or embedded; the parts it shares
/// with the other documents of a build are deflated once, in `shared`.
pub fn render(
    document: &Document,
    roles: &BTreeMap<String, Vec<String>>,
    embed: Embed,
    shared: &SharedParts,
) -> Result<Vec<u8>, DocxError> {
    let fonts = DocxFonts::for_roles(roles, embed);
    let metrics = page::Metrics::new(&document.page);
    let mut sections = page::Sections::new(&metrics);
    // The 版记 closes the document, or the notice when the tree says it follows the first part.
    let colophon_after = if document.colophon_after_first {
        0
    } else {
        document.parts.len().saturating_sub(1)
    };
    for (i, part) in document.parts.iter().enumerate() {
        let view = &part.furniture;
        let mut blocks = furniture::part_head(part, &fonts, &metrics);
        let width = if view.landscape {
            metrics.landscape_width
        } else {
            metrics.portrait_width
        };
        blocks.extend(body::part_body(document, part, &fonts, &metrics, width));
        blocks.extend(closing::part_tail(view, &metrics));
        if i == colophon_after
            && let Some(colophon) = &document.colophon
        {
            blocks.extend(closing::colophon(colophon, &metrics, view.landscape));
        }
        sections.add_part(view.landscape, i > 0, blocks);
    }
    let docx = page::styles(Docx::new(), &fonts, &metrics);
    let docx = sections.finish(docx);
    package::pack(docx, &fonts, shared)
}

/// A digest of every input of the .docx of `document`: what it shows, the fonts it names and
/// this version of qingdan. An unchanged digest means an unchanged file.
pub fn digest(document: &Document, roles: &BTreeMap<String, Vec<String>>, embed: Embed) -> String {
    let mut hash = Sha256::new();
    hash.update(b"docx\0");
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    let inputs = serde_json::json!({
        "parts": document.parts.iter().map(|p| &p.furniture).collect::<Vec<_>>(),
        "colophon": document.colophon,
        "page": document.page,
        "fonts": roles,
        "embed": embed == Embed::Bundled,
    });
    hash.update(inputs.to_string().as_bytes());
    format!("{:x}", hash.finalize())
}

#[cfg(test)]
mod tests;
