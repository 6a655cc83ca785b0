//! Fonts: found once per process, shared by every document and thread.
//!
//! Look-up order, by preference: `--font-path` folders, the project's `fonts/`, the system's fonts
//! (an office PC's 仿宋_GB2312 or 方正小标宋 are used when present), then the bundled open-licence
//! set compiled into the binary (Fandol 仿宋/楷, Noto Serif/Sans CJK SC), so a fresh machine
//! still prints real Chinese. Each role (仿宋, 楷体, 黑体, 宋体, 标题) is a fallback list of
//! families; typst takes each character from the first family that has it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst_kit::fonts::FontStore;

/// The bundled fonts, subset to 通用规范汉字表 ∪ GB 2312 (see `assets/fonts/README.md`).
const BUNDLED: &[&[u8]] = &[
    include_bytes!("../../assets/fonts/FandolFang-Regular.otf"),
    include_bytes!("../../assets/fonts/FandolKai-Regular.otf"),
    include_bytes!("../../assets/fonts/NotoSerifCJKsc-Regular.otf"),
    include_bytes!("../../assets/fonts/NotoSerifCJKsc-Bold.otf"),
    include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf"),
];

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
}

impl Fonts {
    /// Scans the folders and (optionally) the system, then adds the bundled set.
    pub fn load(options: &FontOptions) -> Self {
        let mut store = FontStore::new();
        for dir in &options.dirs {
            if dir.is_dir() {
                store.extend(typst_kit::fonts::scan(dir));
            }
        }
        if options.system {
            store.extend(typst_kit::fonts::system());
        }
        for data in BUNDLED {
            store.extend(Font::iter(Bytes::new(*data)).map(|font| {
                let info = font.info().clone();
                (font, info)
            }));
        }
        Self { store }
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// The families of `families` that are actually available, in order. typst warns about every
    /// unknown family, and most of the preferred ones (仿宋_GB2312 …) are absent on most machines.
    pub fn available(&self, families: &[String]) -> Vec<String> {
        let book = self.store.book();
        families
            .iter()
            .filter(|f| book.select_family(&f.to_lowercase()).next().is_some())
            .cloned()
            .collect()
    }

    /// Characters of `text` that no font of `families` can show. typst silently draws a blank
    /// box for them, so we look first.
    pub fn missing_chars(&self, families: &[String], text: &str) -> Vec<char> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_set_covers_every_role_and_rare_name_characters() {
        let fonts = Fonts::load(&FontOptions::default());
        for (role, families) in default_roles() {
            let missing = fonts.missing_chars(
                &families,
                "株洲市教育局〔2019〕12号（一）、“党政同责”—★堃喆昇镕",
            );
            assert!(missing.is_empty(), "{role} lacks {missing:?}");
        }
    }

    #[test]
    fn reports_characters_no_font_has() {
        let fonts = Fonts::load(&FontOptions::default());
        // U+2A6D6 is in CJK Extension B, outside the bundled subset.
        assert_eq!(
            fonts.missing_chars(&default_roles()["仿宋"], "王\u{2A6D6}"),
            ['\u{2A6D6}']
        );
    }
}
