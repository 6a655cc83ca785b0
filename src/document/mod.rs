//! Stage 4: each rendered document read once into a small typed tree, with every decision
//! about its layout that the PDF and the .docx both need taken here, once.
//!
//! The render stage gives each document as Markdown (what `<name>.md` holds) and each part's
//! furniture as data. This stage reads each part's body with the project's one Markdown reader
//! ([`crate::markdown`]) into [`Block`]s — paragraphs (list items with their marker, run-in leads
//! as [`Inline::Lead`]), headings with their level and whether they are chapter headings, tables
//! with their merges and column widths — and decides what both writers set the same way:
//! - heading levels: `#` and `##` are level 1 (一、, 第一章), `###` level 2 (（一）), deeper 3;
//! - the typeface of each kind of text: headings by level, leads, labels, table headers
//!   ([`faces`]);
//! - a chapter heading's size and the grid lines it takes ([`Chapter`]);
//! - the red 发文机关标志's size ([`Part::banner_size`]);
//! - the title's lines ([`title`]);
//! - a table's width for its page's orientation, its merges and columns, and whether its merged
//!   labels are repeated （续） ([`table`]);
//! - list markers, and where a soft line break is a space.
//!
//! The Typst writer ([`crate::typst_markup`]) and the .docx writer ([`crate::docx`]) serialise the
//! tree; the layout template reads the decisions from `meta.json`. This is also the model a
//! document imported from elsewhere would be read into.

mod block;
pub mod faces;
mod inline;
pub(crate) mod measure;
mod reader;
pub mod table;
pub mod title;

use crate::model::{BodyStyle, PageSettings};
use crate::render::RenderedDocument;
use crate::render::views::{ColophonView, PartView};
pub use block::{Block, Chapter, Heading};
pub use faces::{FACES, Face};
pub use inline::Inline;
pub use table::Table;
pub use title::TitleLines;

/// One part of a document (the notice, the issued document, an attachment): its furniture, its
/// title's lines and its body.
#[derive(Debug, Clone)]
pub struct Part {
    /// The furniture and title as data, and the body's Markdown (as render made them).
    pub furniture: PartView,
    /// The title's lines.
    pub title_lines: TitleLines,
    /// The size of the red 发文机关标志 in pt, if the part has one.
    pub banner_size: Option<f64>,
    /// How its chapter headings are set, for a 细则 / 办法 (whose `#` headings are chapters).
    pub chapter: Option<Chapter>,
    /// The width its tables are balanced for, in em of 4号 table text: the type area's width
    /// on its pages' orientation.
    pub table_width: f64,
    /// The body.
    pub blocks: Vec<Block>,
}

/// One output document as both writers set it.
#[derive(Debug, Clone)]
pub struct Document {
    /// File stem, e.g. 通知, 实施细则, 附件-责任清单, 全文.
    pub name: String,
    /// Its parts, in order.
    pub parts: Vec<Part>,
    /// The 版记 (抄送, 印发机关, 印发日期), on a document that starts with the notice.
    pub colophon: Option<ColophonView>,
    /// Whether the 版记 follows the first part (the notice) rather than closing the document.
    pub colophon_after_first: bool,
    /// Page settings of the whole set.
    pub page: PageSettings,
    /// Whether emphasis (run-in leads) is bold: when the （一） level is (版式: 加粗).
    pub emphasis_bold: bool,
    /// The whole document as Markdown: what `<name>.md` holds.
    pub markdown: String,
}

impl Document {
    /// Reads `rendered` into its tree; its tables are numbered through all its parts.
    pub fn read(rendered: RenderedDocument) -> Self {
        let colophon_after_first =
            crate::render::colophon_after_first(&rendered.parts, &rendered.page);
        let mut next_table = 0;
        let parts = rendered
            .parts
            .into_iter()
            .map(|furniture| Part::read(furniture, &rendered.page, &mut next_table))
            .collect();
        Self {
            name: rendered.name,
            parts,
            colophon: rendered.colophon,
            colophon_after_first,
            emphasis_bold: rendered.page.bold.contains(&2),
            page: rendered.page,
            markdown: rendered.markdown,
        }
    }
}

impl Part {
    /// Reads the body of `furniture`, numbering its tables from `next_table` on.
    fn read(furniture: PartView, page: &PageSettings, next_table: &mut usize) -> Self {
        let chapter = (furniture.style == Some(BodyStyle::Articles))
            .then(|| Chapter::sized(page.chapter_size));
        let table_width = measure::table_width_em(furniture.landscape);
        let blocks = reader::read(&furniture.body, chapter.is_some(), table_width, next_table);
        Self {
            title_lines: title::title_lines(&furniture.title, &furniture.title_words),
            banner_size: furniture.banner.as_ref().map(measure::banner_size),
            chapter,
            table_width,
            blocks,
            furniture,
        }
    }
}

/// The blocks of `markdown` read on its own (no chapters, tables balanced for a portrait page).
pub fn blocks(markdown: &str) -> Vec<Block> {
    reader::read(markdown, false, measure::table_width_em(false), &mut 0)
}
