//! Inline text of the document tree → Word runs: emphasis and run-in leads in 楷体 (bold when the
//! tree says so), strong in 黑体, struck text, line breaks; in a heading, bold by the project's
//! 加粗 and a chapter heading in its size. Body paragraphs and table cells are filled with them.

use docx_rs::{BreakType, Run};

use super::DocxFonts;
use crate::document::{Chapter, Document, FACES, Heading, Inline, Part};

/// The inline style a run is set in.
#[derive(Clone, Copy, Default)]
pub(crate) struct RunStyle<'h> {
    emphasis: bool,
    strong: bool,
    strike: bool,
    /// The heading the run is in.
    heading: Option<&'h Heading>,
}

impl<'h> RunStyle<'h> {
    /// The style of the text of `heading`.
    pub(crate) fn heading(heading: &'h Heading) -> Self {
        Self {
            heading: Some(heading),
            ..Self::default()
        }
    }
}

/// What the runs of one part are set by.
pub(crate) struct Runs<'a> {
    pub(crate) fonts: &'a DocxFonts,
    /// How the part's chapter headings are set.
    pub(crate) chapter: Option<Chapter>,
    /// Heading levels set in bold (版式: 加粗).
    bold: &'a [u8],
    emphasis_bold: bool,
}

impl<'a> Runs<'a> {
    /// The runs of `part` of `document`.
    pub(crate) fn new(document: &'a Document, part: &Part, fonts: &'a DocxFonts) -> Self {
        Self {
            fonts,
            chapter: part.chapter,
            bold: &document.page.bold,
            emphasis_bold: document.emphasis_bold,
        }
    }

    /// The runs of `inlines` in `style`, appended to `out`.
    pub(crate) fn push(&self, inlines: &[Inline], style: RunStyle, out: &mut Vec<Run>) {
        for inline in inlines {
            let (style, children) = match inline {
                Inline::Text(text) => {
                    out.push(self.run(text, style));
                    continue;
                }
                Inline::LineBreak => {
                    out.push(Run::new().add_break(BreakType::TextWrapping));
                    continue;
                }
                Inline::Lead(children) | Inline::Emphasis(children) => (
                    RunStyle {
                        emphasis: true,
                        ..style
                    },
                    children,
                ),
                Inline::Strong(children) => (
                    RunStyle {
                        strong: true,
                        ..style
                    },
                    children,
                ),
                Inline::Strike(children) => (
                    RunStyle {
                        strike: true,
                        ..style
                    },
                    children,
                ),
            };
            self.push(children, style, out);
        }
    }

    /// The runs of `inlines` in the plain style.
    pub(crate) fn of(&self, inlines: &[Inline]) -> Vec<Run> {
        let mut runs = Vec::new();
        self.push(inlines, RunStyle::default(), &mut runs);
        runs
    }

    /// A run of `text` in `style`.
    fn run(&self, text: &str, style: RunStyle) -> Run {
        let mut run = super::text_run(text);
        if style.strong {
            run = run.fonts(self.fonts.face(FACES.strong).run_fonts());
        } else if style.emphasis {
            run = run.fonts(self.fonts.face(FACES.emphasis).run_fonts());
            if self.emphasis_bold {
                run = run.bold();
            }
        }
        if style.strike {
            run = run.strike();
        }
        if let Some(heading) = style.heading {
            if self.bold.contains(&heading.level) {
                run = run.bold();
            }
            if let (
                true,
                Some(Chapter {
                    size: Some(size), ..
                }),
            ) = (heading.chapter, self.chapter)
            {
                run = run.size(half_points(size));
            }
        }
        run
    }
}

/// A size in pt as Word gives it, in half points.
pub(crate) fn half_points(pt: f64) -> usize {
    (pt * 2.0).round() as usize
}
