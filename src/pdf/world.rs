//! The Typst `World` for one document: it serves exactly what the pipeline hands it.
//!
//! Three files exist in this world — `/main.typ` (generated markup), `/qingdan.typ` (the layout
//! template) and `/meta.json` (the parts' furniture as data) — and nothing else: no file system,
//! no packages, no clock. A document can therefore never read a file or depend on the date.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::Fonts;

/// What all documents of a run share: the standard library, fonts and the layout template.
pub(crate) struct Shared {
    library: LazyHash<Library>,
    fonts: std::sync::Arc<Fonts>,
    template: Source,
}

/// File ids are interned for the whole process (and limited in number), so each is made once.
fn file_id(path: &'static str, cell: &'static OnceLock<FileId>) -> FileId {
    *cell.get_or_init(|| {
        let vpath = VirtualPath::new(path).expect("static path is valid");
        FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
    })
}

pub(crate) fn main_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    file_id("/main.typ", &ID)
}

pub(crate) fn template_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    file_id("/qingdan.typ", &ID)
}

pub(crate) fn meta_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    file_id("/meta.json", &ID)
}

impl Shared {
    pub(crate) fn new(fonts: std::sync::Arc<Fonts>, template: &str) -> Self {
        Self {
            library: LazyHash::new(Library::default()),
            fonts,
            template: Source::new(template_id(), template.to_owned()),
        }
    }

    pub(crate) fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    pub(crate) fn template_text(&self) -> &str {
        self.template.text()
    }
}

/// One document's world, borrowing the shared parts; cheap to create per document and thread.
pub(crate) struct DocumentWorld<'a> {
    shared: &'a Shared,
    main: Source,
    meta: Bytes,
}

impl<'a> DocumentWorld<'a> {
    pub(crate) fn new(shared: &'a Shared, main: String, meta_json: Vec<u8>) -> Self {
        Self {
            shared,
            main: Source::new(main_id(), main),
            meta: Bytes::new(meta_json),
        }
    }

    /// The generated main file, for showing errors in context.
    pub(crate) fn main_text(&self) -> &str {
        self.main.text()
    }

    /// The layout template, for placing errors in it.
    pub(crate) fn template_text(&self) -> &str {
        self.shared.template_text()
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.shared.fonts.book()
    }

    fn main(&self) -> FileId {
        main_id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == main_id() {
            Ok(self.main.clone())
        } else if id == template_id() {
            Ok(self.shared.template.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == meta_id() {
            Ok(self.meta.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
