//! What a build is asked for: the output folder, the kinds of file, and how PDFs are made.

use std::path::PathBuf;

use crate::pdf::pool::CompileOptions;

/// A kind of file written for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown (.md).
    Md,
    /// GB/T 9704 PDF (.pdf).
    Pdf,
    /// Word / WPS document (.docx).
    Docx,
}

/// Which kinds of file are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// The Markdown of each document (`<document>.md`).
    pub md: bool,
    /// The GB/T 9704 PDF of each document (the only format that needs fonts and typst).
    pub pdf: bool,
    /// The Word file of each document (`<document>.docx`).
    pub docx: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Self {
            md: true,
            pdf: true,
            docx: true,
        }
    }
}

impl Formats {
    /// Whether `format` is written.
    pub fn wants(&self, format: Format) -> bool {
        match format {
            Format::Md => self.md,
            Format::Pdf => self.pdf,
            Format::Docx => self.docx,
        }
    }
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder; each project goes into its own subfolder.
    pub output: PathBuf,
    /// Which files to write for each document (`--formats`, `--markdown-only`).
    pub formats: Formats,
    /// Also write each document's Typst source as a folder the typst CLI compiles
    /// (`<output>/<project>/typst/<document>/main.typ`).
    pub emit_typst: bool,
    /// Embed the bundled fonts in each .docx, each role named by its bundled family
    /// (`build --embed-fonts`), for machines without the office fonts.
    pub embed_fonts: bool,
    /// Fonts and worker threads.
    pub compile: CompileOptions,
    /// `qingdan check`: every PDF compiled, nothing read from the output folder nor written
    /// to it (see [`BuildOptions::check`]).
    pub check: bool,
}

impl BuildOptions {
    /// What `qingdan check` asks: the PDFs only, each compiled, nothing written.
    pub fn check(compile: &CompileOptions) -> Self {
        Self {
            output: PathBuf::new(),
            formats: Formats {
                md: false,
                pdf: true,
                docx: false,
            },
            emit_typst: false,
            embed_fonts: false,
            compile: compile.clone(),
            check: true,
        }
    }

    /// Whether the .docx files carry their fonts.
    pub fn docx_embed(&self) -> crate::docx::Embed {
        if self.embed_fonts {
            crate::docx::Embed::Bundled
        } else {
            crate::docx::Embed::None
        }
    }
}
