//! Stage 6: Typst markup + the layout template → PDF, compiled in-process.
//!
//! Every `typst::` import of the crate lives under this module. [`PdfEngine`] holds what all
//! documents share (fonts, library, template); [`PdfEngine::render`] builds one document's
//! world from its [`TypstSource`] (stage 5's output) and returns the PDF bytes. Output is deterministic: a fixed
//! timestamp and a document identifier derived from the document's name.

pub mod fonts;
pub(crate) mod pool;
pub(crate) mod world;

use std::collections::BTreeMap;
use std::sync::Arc;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::document::issued::Created;
use crate::typst_markup::source::TypstSource;
use fonts::Fonts;
use world::{DocumentWorld, Shared};

/// The built-in layout template.
pub(crate) const BUILTIN_LAYOUT: &str = include_str!("../../templates/gongwen.typ");

/// Where in the sources of a document typst found a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypstPlace {
    /// A line of the layout template (the built-in or the project's `templates/gongwen.typ`).
    Template { line: usize },
    /// A line of the generated markup, with its text (for a body typst cannot lay out).
    Markup { line: usize, text: String },
    /// Nowhere in particular (e.g. while writing the PDF).
    Unknown,
}

/// One of typst's messages about a document.
#[derive(Debug, Clone)]
pub struct TypstMessage {
    pub(crate) message: String,
    pub(crate) place: TypstPlace,
    pub(crate) hints: Vec<String>,
}

impl std::fmt::Display for TypstMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        match &self.place {
            TypstPlace::Template { line } => write!(f, " (gongwen.typ:{line})")?,
            TypstPlace::Markup { line, text } => write!(f, " (main.typ:{line}: {text})")?,
            TypstPlace::Unknown => {}
        }
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A failed PDF compilation, with typst's messages.
#[derive(Debug)]
pub struct PdfError {
    pub(crate) messages: Vec<TypstMessage>,
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let texts: Vec<String> = self.messages.iter().map(ToString::to_string).collect();
        write!(f, "{}", texts.join("\n"))
    }
}

/// Shared state for compiling many documents, on any number of threads.
pub struct PdfEngine {
    shared: Shared,
}

impl PdfEngine {
    /// An engine using `fonts` and the layout template text (the built-in or a project's).
    pub fn new(fonts: Arc<Fonts>, layout: &str) -> Self {
        Self {
            shared: Shared::new(fonts, layout),
        }
    }

    pub(crate) fn fonts(&self) -> &Fonts {
        self.shared.fonts()
    }

    /// The layout template's text (the built-in or the project's).
    pub(crate) fn template_text(&self) -> &str {
        self.shared.template_text()
    }

    /// The families of each role that are installed (the layout template falls back along each
    /// list; a family no font provides is left out, so typst does not warn about it).
    pub(crate) fn installed_roles(
        &self,
        roles: &BTreeMap<String, Vec<String>>,
    ) -> BTreeMap<String, Vec<String>> {
        roles
            .iter()
            .map(|(role, families)| (role.clone(), self.fonts().available(families)))
            .collect()
    }

    /// A digest of all inputs of a document's PDF (qingdan version, layout template, markup,
    /// data and the fonts chosen): equal digests give byte-identical PDFs, so a rebuild can skip
    /// the document.
    pub(crate) fn digest(&self, source: &TypstSource) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for part in [
            env!("CARGO_PKG_VERSION").as_bytes(),
            self.shared.template_text().as_bytes(),
            source.main.as_bytes(),
            &source.meta_json,
            format!("{:?}", source.issued).as_bytes(),
        ] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Compiles the document `name` from its `source` to PDF bytes, with typst's warnings.
    pub fn render(
        &self,
        name: &str,
        source: TypstSource,
    ) -> Result<(Vec<u8>, Vec<TypstMessage>), PdfError> {
        let timestamp = timestamp(source.created);
        let world = DocumentWorld::new(&self.shared, source.main, source.meta_json);
        let (doc, warnings) = compile(&world)?;
        let options = PdfOptions {
            ident: Smart::Custom(format!("qingdan/{name}")),
            creator: Smart::Custom(Some("qingdan".into())),
            timestamp,
            ..PdfOptions::default()
        };
        let bytes = typst_pdf::pdf(&doc, &options).map_err(|errors| PdfError {
            messages: describe(&world, &errors),
        })?;
        Ok((bytes, warnings))
    }

    /// The pages [`PdfEngine::render`] lays out, each as a PNG at `pixel_per_pt` pixels per point
    /// (1.0: 595 × 842 px for A4) — the same world and compile as the PDF, so a preview shows
    /// exactly what prints (`qingdan serve`).
    pub fn render_pages(
        &self,
        source: TypstSource,
        pixel_per_pt: f64,
    ) -> Result<Vec<Vec<u8>>, PdfError> {
        let world = DocumentWorld::new(&self.shared, source.main, source.meta_json);
        let (doc, _) = compile(&world)?;
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(pixel_per_pt),
            render_bleed: false,
        };
        doc.pages()
            .iter()
            .map(|page| {
                typst_render::render(page, &options)
                    .encode_png()
                    .map_err(|e| PdfError {
                        messages: vec![TypstMessage {
                            message: e.to_string(),
                            place: TypstPlace::Unknown,
                            hints: Vec::new(),
                        }],
                    })
            })
            .collect()
    }
}

/// Lays out the document of `world`, with typst's warnings.
fn compile(world: &DocumentWorld) -> Result<(PagedDocument, Vec<TypstMessage>), PdfError> {
    let warned = typst::compile::<PagedDocument>(world);
    let warnings = describe(world, &warned.warnings);
    let doc = warned.output.map_err(|errors| PdfError {
        messages: describe(world, &errors),
    })?;
    Ok((doc, warnings))
}

/// Frees typst's memoization caches of entries unused for the last three documents; call between
/// documents so memory stays flat over long batches. Documents share little beyond fonts and the
/// template, so a short memory is as fast as a long one and keeps peak memory lower (measured:
/// 10 → 3 documents, 1000-school batch 195 → 160 MB).
pub(crate) fn evict_caches() {
    typst::comemo::evict(3);
}

/// typst's diagnostics, each placed in the template or the generated markup.
fn describe(world: &DocumentWorld, diagnostics: &[SourceDiagnostic]) -> Vec<TypstMessage> {
    diagnostics
        .iter()
        .map(|d| {
            let place = match (typst::WorldExt::range(world, d.span), d.span.id()) {
                (Some(range), Some(id)) if id == world::main_id() => {
                    let main = world.main_text();
                    let line = line_of(main, range.start);
                    let text = main.lines().nth(line - 1).unwrap_or_default();
                    TypstPlace::Markup {
                        line,
                        text: text.chars().take(80).collect(),
                    }
                }
                (Some(range), Some(id)) if id == world::template_id() => TypstPlace::Template {
                    line: line_of(world.template_text(), range.start),
                },
                _ => TypstPlace::Unknown,
            };
            let kind = if d.severity == Severity::Error {
                ""
            } else {
                "warning: "
            };
            TypstMessage {
                message: format!("{kind}{}", d.message),
                place,
                hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
            }
        })
        .collect()
}

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// `created` as typst's PDF timestamp.
fn timestamp(created: Created) -> Option<Timestamp> {
    let (hour, minute, second) = created.time;
    let d = created.day;
    Datetime::from_ymd_hms(d.year, d.month, d.day, hour, minute, second).map(Timestamp::new_utc)
}
