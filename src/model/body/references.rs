//! Cross-references: a link `[…](#label)` gets the label's current number as its text.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, Tag};

use super::Block;
use super::numberer::Pending;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::markdown::parser;

/// Replaces `[…](#label)` links by the label's current number.
pub(super) fn resolve_references(
    path: &Path,
    blocks: Vec<Pending>,
    labels: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Vec<Block> {
    let mut resolve = |text: &str, line: usize| -> String {
        let mut out = String::new();
        let mut last = 0;
        for (event, range) in parser(text).into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let Some(id) = dest_url.strip_prefix('#') else {
                continue;
            };
            out.push_str(&text[last..range.start]);
            last = range.end;
            match labels.get(id) {
                Some(number) => out.push_str(number),
                None => {
                    let mut d = Diagnostic::error(
                        path,
                        Location::Line(line),
                        format!("引用的标签“{id}”不存在"),
                        format!("reference to an unknown label “{id}”"),
                    );
                    if let Some(guess) = crate::diag::closest(id, labels.keys().map(String::as_str))
                    {
                        d = d.with_hint(
                            format!("是否应为“{guess}”？"),
                            format!("did you mean “{guess}”?"),
                        );
                    }
                    diags.push(d);
                    out.push_str(&text[range]);
                }
            }
        }
        out.push_str(&text[last..]);
        out
    };
    blocks
        .into_iter()
        .map(|Pending { block, line }| match block {
            Block::Paragraph { text } => Block::Paragraph {
                text: resolve(&text, line),
            },
            Block::Item {
                ordinal,
                label,
                run_in,
                text,
            } => Block::Item {
                ordinal,
                label,
                run_in: run_in.map(|r| resolve(&r, line)),
                text: resolve(&text, line),
            },
            heading => heading,
        })
        .collect()
}
