//! Stage 6: Typst markup + the layout template → PDF, compiled in-process.
//!
//! Every `typst::` import of the crate lives under this module. [`PdfEngine`] holds what all
//! documents share (fonts, library, template); [`PdfEngine::render`] builds one document's
//! world from the rendered parts and returns the PDF bytes. Output is deterministic: a fixed
//! timestamp and a document identifier derived from the document's name.

pub mod fonts;
pub mod world;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::render::RenderedDocument;
use crate::render::views::{ColophonView, PartView};
use crate::typst_markup::{LANDSCAPE_TABLE_EM, PORTRAIT_TABLE_EM, markdown_to_typst_numbered};
use fonts::Fonts;
use world::{DocumentWorld, Shared};

/// The built-in layout template.
pub const BUILTIN_LAYOUT: &str = include_str!("../../templates/gongwen.typ");

/// What the layout template receives as `/meta.json`.
#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    fonts: &'a BTreeMap<String, Vec<String>>,
    parts: &'a [PartView],
    colophon: &'a Option<ColophonView>,
    page: &'a crate::model::PageSettings,
}

/// Where in the sources of a document typst found a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypstPlace {
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
    pub message: String,
    pub place: TypstPlace,
    pub hints: Vec<String>,
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
    pub messages: Vec<TypstMessage>,
}

impl PdfError {
    fn other(message: impl Into<String>) -> Self {
        Self {
            messages: vec![TypstMessage {
                message: message.into(),
                place: TypstPlace::Unknown,
                hints: Vec::new(),
            }],
        }
    }
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

    pub fn fonts(&self) -> &Fonts {
        self.shared.fonts()
    }

    /// The Typst main file for a document: the template applied to each part's body.
    pub fn main_markup(document: &RenderedDocument) -> String {
        let mut main = String::from(
            "#import \"/qingdan.typ\": *\n#let meta = json(\"/meta.json\")\n#show: gongwen.with(meta)\n",
        );
        let mut next_table = 0;
        let after_notice = crate::render::colophon_after_first(&document.parts, &document.page);
        for (i, part) in document.parts.iter().enumerate() {
            main.push_str(&format!("#part(meta, {i})[\n"));
            let width = if part.landscape {
                LANDSCAPE_TABLE_EM
            } else {
                PORTRAIT_TABLE_EM
            };
            main.push_str(&markdown_to_typst_numbered(
                &part.body,
                width,
                &mut next_table,
            ));
            main.push_str("]\n");
            if i == 0 && after_notice {
                main.push_str("#colophon(meta)\n");
            }
        }
        if !after_notice {
            main.push_str("#colophon(meta)\n");
        }
        main
    }

    /// Everything the typst world of `document` would read: the main markup and `/meta.json`.
    fn world_inputs(
        &self,
        document: &RenderedDocument,
        fonts: &BTreeMap<String, Vec<String>>,
    ) -> Result<(String, Vec<u8>), PdfError> {
        let title = document.parts.first().map_or("", |p| p.title.as_str());
        let fonts: BTreeMap<String, Vec<String>> = fonts
            .iter()
            .map(|(role, families)| (role.clone(), self.fonts().available(families)))
            .collect();
        let meta = Meta {
            title,
            fonts: &fonts,
            parts: &document.parts,
            colophon: &document.colophon,
            page: &document.page,
        };
        let meta_json = serde_json::to_vec(&meta).map_err(|e| PdfError::other(e.to_string()))?;
        Ok((Self::main_markup(document), meta_json))
    }

    /// A digest of all inputs of `document`'s PDF (qingdan version, layout template, markup,
    /// data and the fonts chosen): equal digests give byte-identical PDFs, so a rebuild can skip
    /// the document.
    pub fn digest(
        &self,
        document: &RenderedDocument,
        fonts: &BTreeMap<String, Vec<String>>,
    ) -> Result<String, PdfError> {
        use sha2::{Digest, Sha256};
        let (main, meta) = self.world_inputs(document, fonts)?;
        let mut hasher = Sha256::new();
        for part in [
            env!("CARGO_PKG_VERSION").as_bytes(),
            self.shared.template_text().as_bytes(),
            main.as_bytes(),
            &meta,
        ] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }

    /// Compiles `document` to PDF bytes, with typst's warnings.
    pub fn render(
        &self,
        document: &RenderedDocument,
        fonts: &BTreeMap<String, Vec<String>>,
    ) -> Result<(Vec<u8>, Vec<TypstMessage>), PdfError> {
        let (main, meta_json) = self.world_inputs(document, fonts)?;
        let world = DocumentWorld::new(&self.shared, main, meta_json);
        let (doc, warnings) = compile(&world)?;
        let options = PdfOptions {
            ident: Smart::Custom(format!("qingdan/{}", document.name)),
            creator: Smart::Custom(Some("qingdan".into())),
            timestamp: Datetime::from_ymd_hms(2000, 1, 1, 0, 0, 0).map(Timestamp::new_utc),
            ..PdfOptions::default()
        };
        let bytes = typst_pdf::pdf(&doc, &options).map_err(|errors| PdfError {
            messages: describe(&world, &errors),
        })?;
        Ok((bytes, warnings))
    }

    /// The pages `render` lays out, each as a PNG at `pixel_per_pt` pixels per point (1.0 is
    /// 595 × 842 px for A4): the same world and compile as the PDF, so a preview shows exactly
    /// what prints (`qingdan serve`'s previews).
    pub fn render_pages(
        &self,
        document: &RenderedDocument,
        fonts: &BTreeMap<String, Vec<String>>,
        pixel_per_pt: f64,
    ) -> Result<Vec<Vec<u8>>, PdfError> {
        let (main, meta_json) = self.world_inputs(document, fonts)?;
        let world = DocumentWorld::new(&self.shared, main, meta_json);
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
                    .map_err(|e| PdfError::other(e.to_string()))
            })
            .collect()
    }

    /// The text of the layout template this engine compiles with.
    pub fn layout(&self) -> &str {
        self.shared.template_text()
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
pub fn evict_caches() {
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
