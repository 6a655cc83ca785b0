//! The .docx package: a zip whose parts are read under limits, so a zip bomb (a few KB that
//! unpack to gigabytes) or a part claiming millions of XML nodes is refused before it can fill
//! the memory, with a message saying what to do.

use std::io::{Cursor, Read};
use std::path::Path;

use crate::diag::{Diagnostic, Location};

/// The largest .docx read: far above any 通知 with its tables (a 100-page one is under 1 MB).
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;
/// The largest unpacked XML part; `document.xml` of a 300-page table is about 10 MB.
pub(crate) const MAX_PART_BYTES: u64 = 64 << 20;
/// The most XML nodes a part may have (roxmltree keeps each in memory, ~40 bytes apiece).
pub(crate) const MAX_NODES: u32 = 4_000_000;
/// The most entries a package may list (Word writes a dozen, with fonts and images a few dozen).
const MAX_ENTRIES: usize = 10_000;

/// An opened package.
pub(crate) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    path: &'a Path,
}

/// The message for a file that is no .docx at all, or a damaged one.
pub(crate) fn not_a_docx(path: &Path, detail: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            "不是可读取的 .docx 文件（文件损坏、被截断，或只是改了扩展名）",
            "not a readable .docx file (damaged, truncated, or only renamed to .docx)",
        )
        .with_detail(detail.to_owned())
        .with_hint(
            "用 Word 或 WPS 打开它，“另存为” Word 文档（*.docx）后再导入",
            "open it in Word or WPS and “Save As” a Word document (*.docx), then import that",
        ),
    )
}

fn too_large(path: &Path, what: &str, size: u64, limit: u64) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            path,
            Location::File,
            format!(
                "“{what}”有 {} MB，超过了可导入的 {} MB",
                size.div_ceil(1 << 20),
                limit >> 20
            ),
            format!(
                "“{what}” is {} MB, more than the {} MB that can be imported",
                size.div_ceil(1 << 20),
                limit >> 20
            ),
        )
        .with_hint(
            "公文不会这么大：文件可能已损坏或是压缩炸弹；请用 Word/WPS 打开后重新另存，或把正文复制为纯文本导入",
            "no 公文 is this large: the file may be damaged or a zip bomb; open it in Word or WPS and save it again, or import its text copied as plain text",
        ),
    )
}

impl<'a> Package<'a> {
    /// Opens the package in `bytes`, read from `path`.
    pub(crate) fn open(path: &'a Path, bytes: &'a [u8]) -> Result<Self, Box<Diagnostic>> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(
                path,
                &path.display().to_string(),
                bytes.len() as u64,
                MAX_FILE_BYTES,
            ));
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| not_a_docx(path, &e.to_string()))?;
        if zip.len() > MAX_ENTRIES {
            return Err(not_a_docx(
                path,
                &format!("the zip lists {} entries", zip.len()),
            ));
        }
        Ok(Self { zip, path })
    }

    /// The text of part `name`, or `None` when the package has no such part. The part is read
    /// up to [`MAX_PART_BYTES`] whatever its header claims, so a lying size cannot get past.
    pub(crate) fn part(&mut self, name: &str) -> Result<Option<String>, Box<Diagnostic>> {
        let entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(not_a_docx(self.path, &format!("{name}: {e}"))),
        };
        if entry.size() > MAX_PART_BYTES {
            return Err(too_large(self.path, name, entry.size(), MAX_PART_BYTES));
        }
        let mut bytes = Vec::new();
        entry
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| not_a_docx(self.path, &format!("{name}: {e}")))?;
        if bytes.len() as u64 > MAX_PART_BYTES {
            return Err(too_large(
                self.path,
                name,
                bytes.len() as u64,
                MAX_PART_BYTES,
            ));
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            not_a_docx(
                self.path,
                &format!("{name} is not UTF-8 XML (Word always writes UTF-8)"),
            )
        })?;
        Ok(Some(text))
    }

    /// Whether the package has a part `name`.
    pub(crate) fn has(&mut self, name: &str) -> bool {
        self.zip.by_name(name).is_ok()
    }
}

/// Parses a part's XML under the node limit, refusing a DTD (Word never writes one; entity
/// declarations are how XML bombs are built).
pub(crate) fn parse_xml<'x>(
    path: &Path,
    name: &str,
    text: &'x str,
) -> Result<roxmltree::Document<'x>, Box<Diagnostic>> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => Box::new(
            Diagnostic::error(
                path,
                Location::File,
                format!("“{name}”含有 DTD（XML 实体声明），Word 和 WPS 不会这样写，不予读取"),
                format!(
                    "“{name}” holds a DTD (XML entity declarations), which Word and WPS never write; it is not read"
                ),
            )
            .with_hint(
                "用 Word 或 WPS 打开后重新“另存为” .docx",
                "open it in Word or WPS and “Save As” .docx again",
            ),
        ),
        roxmltree::Error::NodesLimitReached => Box::new(
            Diagnostic::error(
                path,
                Location::File,
                format!("“{name}”超过 {MAX_NODES} 个 XML 节点，超过了可导入的大小"),
                format!("“{name}” has more than {MAX_NODES} XML nodes, more than can be imported"),
            )
            .with_hint(
                "把文件拆成几份分别导入，或把正文复制为纯文本导入",
                "split the file and import each part, or import its text copied as plain text",
            ),
        ),
        other => not_a_docx(path, &format!("{name}: {other}")),
    })
}
