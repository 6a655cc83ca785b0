//! The furniture a document set is dressed in, as the manifest asks: the red 发文机关标志, how
//! the notice is signed (GB/T 9704 7.3.5) and the page settings a project may change.

use serde::Serialize;

use crate::gbt9704 as gb;

/// Page settings a project may change from the standard's defaults.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageSettings {
    /// Body line pitch in pt: the standard's 22-line grid by default (29.6 pt); Word's usual
    /// 28.95 pt when a project asks for it to match documents made there.
    pub(crate) line_pitch: Option<f64>,
    /// Heading levels (1 一、, 2 （一）, 3 1.) set in bold.
    pub(crate) bold: Vec<u8>,
    /// The 版记 right after the notice instead of at the end of the whole set (全文).
    pub(crate) colophon_after_notice: bool,
    /// The size of 第N章 headings in pt when a project asks for other than the body's 3号
    /// (版式: 章标题字号).
    pub(crate) chapter_size: Option<f64>,
}

impl PageSettings {
    /// The heading levels by the numbering a reader sees.
    pub(crate) const LEVELS: [(&'static str, u8); 3] = [("一、", 1), ("（一）", 2), ("1.", 3)];

    /// The widest pitch at which 22 lines of 16 pt text still fit the 225 mm type area.
    pub(crate) const MAX_PITCH: f64 = gb::WIDEST_PITCH;
    /// Below this the page no longer reads as a 公文 (GB/T 9704 allows tightening only a little).
    pub(crate) const MIN_PITCH: f64 = 26.0;
    /// The sizes a 第N章 heading may be set in (版式: 章标题字号), in pt: 3号 as the body (the
    /// default), 小二, 2号 as the title.
    pub(crate) const CHAPTER_SIZES: [(&'static str, f64); 3] = [
        gb::SIZE_NAMES[2], // 三号
        gb::SIZE_NAMES[1], // 小二
        gb::SIZE_NAMES[0], // 二号
    ];
}

/// The red 发文机关标志: one line, or for a joint document the organs stacked (lead organ first)
/// with 文件 to the right of them (GB/T 9704 7.2.4).
#[derive(Debug, Clone, Serialize)]
pub struct Banner {
    pub(crate) organs: Vec<String>,
    pub(crate) suffix: Option<String>,
}

impl Banner {
    /// From the manifest: a single text is one line; in a list, a last item 文件 is the suffix.
    pub(crate) fn from_items(mut items: Vec<String>) -> Option<Self> {
        let suffix = (items.len() >= 2 && items.last().is_some_and(|l| l == "文件"))
            .then(|| items.pop())
            .flatten();
        (!items.is_empty()).then_some(Self {
            organs: items,
            suffix,
        })
    }
}

/// How a document is signed (GB/T 9704 7.3.5): the layout of 署名 and 成文日期 depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Seal {
    /// No seal: signature 2 characters in from the right, date under it (7.3.5.2).
    #[default]
    None,
    /// The organ's seal over signature and date: date ends 4 characters in (7.3.5.1).
    Organ,
    /// The signer's signature seal, with the signer's title to its left (7.3.5.3).
    Signature,
}

impl Seal {
    pub(crate) const NAMES: [(&'static str, Seal); 3] = [
        ("无", Seal::None),
        ("印章", Seal::Organ),
        ("签名章", Seal::Signature),
    ];

    pub(crate) fn parse(value: &str) -> Option<Seal> {
        let value = value.trim();
        Self::NAMES
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, seal)| *seal)
            .or(match value {
                "" | "none" | "不盖章" => Some(Seal::None),
                "organ" | "盖章" | "公章" => Some(Seal::Organ),
                "signature" => Some(Seal::Signature),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_sizes_are_the_standards_sizes_by_name() {
        let names: Vec<_> = PageSettings::CHAPTER_SIZES
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(names, ["三号", "小二", "二号"]);
        assert_eq!(PageSettings::CHAPTER_SIZES[0].1, gb::BODY_SIZE);
        assert_eq!(PageSettings::CHAPTER_SIZES[2].1, gb::TITLE_SIZE);
    }

    #[test]
    fn a_banner_list_ending_in_wen_jian_stacks_the_organs_beside_it() {
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let joint = Banner::from_items(items(&["甲局", "乙局", "文件"])).unwrap();
        assert_eq!(joint.organs, ["甲局", "乙局"]);
        assert_eq!(joint.suffix.as_deref(), Some("文件"));
        let single = Banner::from_items(items(&["甲局文件"])).unwrap();
        assert_eq!((single.organs.len(), single.suffix), (1, None));
        assert!(Banner::from_items(Vec::new()).is_none());
    }

    #[test]
    fn seals_are_named_in_chinese_or_english() {
        assert_eq!(Seal::parse(" 印章 "), Some(Seal::Organ));
        assert_eq!(Seal::parse("signature"), Some(Seal::Signature));
        assert_eq!(Seal::parse("无"), Some(Seal::None));
        assert_eq!(Seal::parse("公章印"), None);
    }
}
