//! Inline text of the document tree: text and the spans the writers set in their own faces
//! (emphasis and run-in leads in 楷体, strong in 黑体), with line breaks.

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text, as written (unescaped).
    Text(String),
    /// A run-in lead (（一）加强学习。): the emphasis that opens a paragraph or follows its
    /// bold article number; set in the （一） level's face (楷体) as emphasis is.
    Lead(Vec<Inline>),
    /// Emphasis: the （一） level's face (楷体).
    Emphasis(Vec<Inline>),
    /// Strong: 黑体.
    Strong(Vec<Inline>),
    /// Struck through.
    Strike(Vec<Inline>),
    /// A line break inside the paragraph or cell.
    LineBreak,
}

impl Inline {
    /// Appends the text of `self` to `out`, line breaks as `\n`.
    pub(crate) fn push_plain(&self, out: &mut String) {
        match self {
            Inline::Text(text) => out.push_str(text),
            Inline::LineBreak => out.push('\n'),
            Inline::Lead(children)
            | Inline::Emphasis(children)
            | Inline::Strong(children)
            | Inline::Strike(children) => {
                for child in children {
                    child.push_plain(out);
                }
            }
        }
    }
}
