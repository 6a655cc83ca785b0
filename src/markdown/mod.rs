//! Below every stage: the one place a pulldown-cmark parser is configured, and the one table
//! that escapes data for it.
//!
//! Every reader of Markdown — the body-document model, the document tree both writers (Typst and
//! .docx) serialise — goes through [`parser`], so all see exactly the same dialect: CommonMark plus
//! GFM tables and strikethrough, and `{#label}` heading attributes for cross-references.
//! Whoever writes data into Markdown (the templates, through Tera's autoescape; the model,
//! filling a unit's name into the author's text) escapes it with [`escape::escape_markdown`],
//! proved against this same dialect. It sits below every stage, so any may use it.

pub(crate) mod escape;

pub use escape::escape_markdown;

use pulldown_cmark::{Options, Parser};

/// The Markdown dialect qingdan reads and writes.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A parser for `text` in qingdan's dialect.
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}

/// Whether raw inline HTML is a line break (`<br>`, `<br/>`, `<BR />`): the one tag the dialect
/// gives a meaning, a hard break inside a cell or line (the templates write it).
pub(crate) fn is_line_break(html: &str) -> bool {
    let tag: String = html
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(tag.as_str(), "<br>" | "<br/>")
}
