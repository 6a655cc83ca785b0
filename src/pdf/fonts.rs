//! Fonts: found once per process, shared by every document and thread.
//!
//! Look-up order, by preference: `--font-path` folders, the project's `fonts/`, the system's fonts
//! (an office PC's 仿宋_GB2312 or 方正小标宋 are used when present), then the bundled open-licence
//! set compiled into the binary (Fandol 仿宋/楷, Noto Serif/Sans CJK SC), so a fresh machine
//! still prints real Chinese. Each role (仿宋, 楷体, 黑体, 宋体, 标题) is a fallback list of
//! families; typst takes each character from the first family that has it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

use crate::diag::{Diagnostic, Diagnostics, Location};

/// One bundled font file: the family it is looked up by (in the roles' lists), its weight and
/// its bytes. The .docx writer embeds these same files (`build --embed-fonts`).
pub struct BundledFont {
    /// The family name, as the font roles list it (e.g. FandolFang R).
    pub family: &'static str,
    /// Whether it is the bold face of its family.
    pub bold: bool,
    /// The font file, compiled into the binary.
    pub data: &'static [u8],
}

/// The bundled fonts, subset to 通用规范汉字表 ∪ GB 2312 (see `assets/fonts/README.md`).
///
/// A `static`, not a `const`: every use of a `const` is a copy of its value, and the 24 MB of
/// font data were in the binary once per use.
pub static BUNDLED: &[BundledFont] = &[
    BundledFont {
        family: "FandolFang R",
        bold: false,
        data: include_bytes!("../../assets/fonts/FandolFang-Regular.otf"),
    },
    BundledFont {
        family: "FandolKai",
        bold: false,
        data: include_bytes!("../../assets/fonts/FandolKai-Regular.otf"),
    },
    BundledFont {
        family: "Noto Serif CJK SC",
        bold: false,
        data: include_bytes!("../../assets/fonts/NotoSerifCJKsc-Regular.otf"),
    },
    BundledFont {
        family: "Noto Serif CJK SC",
        bold: true,
        data: include_bytes!("../../assets/fonts/NotoSerifCJKsc-Bold.otf"),
    },
    BundledFont {
        family: "Noto Sans CJK SC",
        bold: false,
        data: include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf"),
    },
];

/// The bundled sans-serif font (Noto Sans CJK SC, subset): `qingdan serve`'s pages use it
/// where the browser's computer has no Chinese font.
pub fn bundled_sans() -> &'static [u8] {
    BUNDLED
        .iter()
        .find(|f| f.family == "Noto Sans CJK SC")
        .map_or(&[][..], |f| f.data)
}

/// Font roles a 公文 uses, with the families tried for each, best first.
pub fn default_roles() -> BTreeMap<String, Vec<String>> {
    let roles: [(&str, &[&str]); 5] = [
        (
            "仿宋",
            &[
                "FangSong_GB2312",
                "仿宋_GB2312",
                "FangSong",
                "STFangsong",
                "FandolFang R",
                "Noto Serif CJK SC",
            ],
        ),
        (
            "楷体",
            &[
                "KaiTi_GB2312",
                "楷体_GB2312",
                "KaiTi",
                "STKaiti",
                "FandolKai",
                "Noto Serif CJK SC",
            ],
        ),
        (
            "黑体",
            &["SimHei", "黑体", "STHeiti", "Noto Sans CJK SC", "FandolHei"],
        ),
        (
            "宋体",
            &[
                "SimSun",
                "宋体",
                "STSong",
                "Noto Serif CJK SC",
                "FandolSong",
            ],
        ),
        (
            "标题",
            &[
                "FZXiaoBiaoSong-B05S",
                "方正小标宋简体",
                "FZXiaoBiaoSong-B05",
                "Noto Serif CJK SC",
            ],
        ),
    ];
    roles
        .iter()
        .map(|(role, families)| {
            (
                (*role).to_owned(),
                families.iter().map(|f| (*f).to_owned()).collect(),
            )
        })
        .collect()
}

/// The font families of each role for a project: the defaults, with the roles the project
/// chose in `字体:` (`chosen`, from the model) replacing them whole. Both writers, PDF and .docx,
/// use this one map, so they name the same fonts.
pub(crate) fn roles_for(chosen: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    let mut roles = default_roles();
    roles.extend(
        chosen
            .iter()
            .map(|(role, families)| (role.clone(), families.clone())),
    );
    roles
}

/// Where to look for fonts besides the bundled set.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Folders searched first (`--font-path`, then each project's `fonts/`).
    pub dirs: Vec<PathBuf>,
    /// Whether to use the system's fonts.
    pub system: bool,
}

/// Every font the process can use, loaded lazily, in preference order.
pub struct Fonts {
    store: FontStore,
    /// Font files in the folders that cannot be used (warnings naming each file).
    problems: Diagnostics,
}

impl Fonts {
    /// Scans the folders and (optionally) the system, then adds the bundled set.
    pub fn load(options: &FontOptions) -> Self {
        let mut store = FontStore::new();
        let mut problems = Diagnostics::new();
        for dir in &options.dirs {
            if dir.is_dir() {
                store.extend(typst_kit::fonts::scan(dir));
                check_font_files(dir, &mut problems);
            }
        }
        if options.system {
            let mut system = fontdb::Database::new();
            system.load_system_fonts();
            store.extend(system_faces(&system));
        }
        for bundled in BUNDLED {
            store.extend(Font::iter(Bytes::new(bundled.data)).map(|font| {
                let info = font.info().clone();
                (font, info)
            }));
        }
        Self { store, problems }
    }

    /// Warnings about font files in the folders that cannot be used: the scan skips them without
    /// a word, and the text falls back to another font.
    pub(crate) fn problems(&self) -> &Diagnostics {
        &self.problems
    }

    pub(crate) fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub(crate) fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// The families of `families` that are actually available, in order. typst warns about every
    /// unknown family, and most of the preferred ones (仿宋_GB2312 …) are absent on most machines.
    pub(crate) fn available(&self, families: &[String]) -> Vec<String> {
        let book = self.store.book();
        families
            .iter()
            .filter(|f| book.contains_family(&f.to_lowercase()))
            .cloned()
            .collect()
    }

    /// Characters of `text` that no font of `families` can show. typst silently draws a blank
    /// box for them, so we look first.
    pub(crate) fn missing_chars(&self, families: &[String], text: &str) -> Vec<char> {
        let book = self.store.book();
        let faces: Vec<usize> = families
            .iter()
            .flat_map(|f| book.select_family(&f.to_lowercase()).collect::<Vec<_>>())
            .collect();
        let mut missing: Vec<char> = text
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .filter(|&c| {
                !faces.iter().any(|&i| {
                    book.info(i)
                        .is_some_and(|info| info.coverage.contains(c as u32))
                })
            })
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }
}

/// The faces of the system's fonts (`system`, as fontdb found them), but for its copies of the
/// families we bundle.
///
/// Such a copy is the same design in a bigger file: Debian's fonts-noto-cjk installs the whole
/// Noto CJK collections, 4–7 times our subsets with every language's forms. Typst would take it
/// in place of the bundled face (the system's fonts come first, and typst keeps the first of
/// equal faces), and a build spent twice the time loading, shaping with and subsetting it, for
/// the same page; merely listing its faces (reading the coverage of each, below) cost a fifth of
/// a small build. Left out before that, it costs nothing, and the documents are the same with or
/// without it. The faces a role prefers to the bundled ones (仿宋_GB2312, 方正小标宋 …) are other
/// families, and are used. A character the bundled subset lacks is reported as on a machine
/// without the copy (the hint: a font with it in `--font-path` or the project's `fonts/`).
fn system_faces(system: &fontdb::Database) -> Vec<(FontPath, FontInfo)> {
    system
        .faces()
        .filter(|face| !face.families.iter().any(|(family, _)| is_bundled(family)))
        .filter_map(|face| {
            let path = match &face.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
                fontdb::Source::Binary(_) => return None,
            };
            let info = system.with_face_data(face.id, FontInfo::new).flatten()?;
            Some((
                FontPath {
                    path,
                    index: face.index,
                },
                info,
            ))
        })
        .collect()
}

/// Whether `family` is the name of a family we bundle (fontdb's English name: the typographic
/// family, which is typst's family without a weight, e.g. Noto Serif CJK SC for its Bold).
fn is_bundled(family: &str) -> bool {
    BUNDLED
        .iter()
        .any(|bundled| bundled.family.eq_ignore_ascii_case(family))
}

/// Whether `path` is a font file the folder scan (fontdb) loads: .ttf, .otf, .ttc or .otc.
fn is_font_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["ttf", "otf", "ttc", "otc"]
            .iter()
            .any(|f| e.eq_ignore_ascii_case(f))
    })
}

/// Checks every font file under `dir` the way typst will use it, and warns about each one that
/// fails: a face that does not parse is skipped by the scan, and a face whose tables run past
/// the end of the file (a truncated copy) parses but lacks glyphs. Either way the text would
/// silently come out in another font.
fn check_font_files(dir: &Path, problems: &mut Diagnostics) {
    let files = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_font_file(e.path()));
    for entry in files {
        let path = entry.path();
        let problem = match std::fs::read(path) {
            Ok(data) => font_file_problem(data),
            Err(e) => Some((format!("无法读取：{e}"), format!("cannot be read: {e}"))),
        };
        if let Some((zh, en)) = problem {
            problems.push(
                Diagnostic::warning(
                    path,
                    Location::File,
                    format!("字体文件不能使用，{zh}；文字会改用其他字体"),
                    format!("font file not usable, {en}; the text falls back to another font"),
                )
                .with_hint(
                    "重新复制或下载这个字体文件（文件可能不完整或已损坏）",
                    "copy or download the font file again (it may be truncated or damaged)",
                ),
            );
        }
    }
}

/// What is wrong with a font file's contents, if anything (in Chinese and English).
fn font_file_problem(data: Vec<u8>) -> Option<(String, String)> {
    let size = data.len() as u64;
    let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
    for index in 0..faces.min(1024) {
        let truncated = match ttf_parser::RawFace::parse(&data, index) {
            Ok(face) => face
                .table_records
                .into_iter()
                .any(|t| u64::from(t.offset) + u64::from(t.length) > size),
            Err(_) => false,
        };
        if truncated {
            return Some((
                "文件被截断（字体表超出文件末尾）".to_owned(),
                "the file is truncated (its tables run past its end)".to_owned(),
            ));
        }
    }
    let data = Bytes::new(data);
    if (0..faces.min(1024)).any(|index| Font::new(data.clone(), index).is_none()) {
        return Some((
            "不是可读的字体（文件不完整或已损坏）".to_owned(),
            "it does not read as a font (truncated or damaged)".to_owned(),
        ));
    }
    None
}

#[cfg(test)]
mod tests;
