//! Stage 4 helper: the one place a pulldown-cmark parser is configured.
//!
//! Every reader of Markdown — the body-document model and the Markdown → Typst converter — goes
//! through [`parser`], so both see exactly the same dialect: CommonMark plus GFM tables and
//! strikethrough, and `{#label}` heading attributes for cross-references.

use pulldown_cmark::{Options, Parser};

/// The Markdown dialect qingdan reads and writes.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A parser for `text` in qingdan's dialect.
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}
