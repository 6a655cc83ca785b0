//! Which typeface each kind of text is set in, decided once for both writers: the layout
//! template reads [`FACES`] from `meta.json` (`meta.faces`), the .docx writer takes each face's
//! font from [`crate::docx::DocxFonts::face`]. A face is a font role (src/pdf/fonts.rs), so a
//! project's `字体:` choice still picks the family.
//!
//! GB/T 9704 7.3.3 names the heading faces: 一、 黑体, （一） 楷体, 1. 仿宋 (and the body 仿宋);
//! qingdan sets run-in leads as the （一） level they are, strong text, 附件 labels, the 份号 /
//! 密级 / 紧急程度 lines and table headers in 黑体, the 签发人's names in 楷体, the page numbers in
//! 宋体 (7.5).

use serde::Serialize;

/// A font role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Face {
    /// 仿宋: body text, tables, 1. headings.
    #[serde(rename = "仿宋")]
    FangSong,
    /// 楷体: （一） headings, run-in leads and emphasis, the 签发人's names.
    #[serde(rename = "楷体")]
    KaiTi,
    /// 黑体: 一、 headings, strong text, labels, table headers.
    #[serde(rename = "黑体")]
    HeiTi,
    /// 宋体: page numbers.
    #[serde(rename = "宋体")]
    SongTi,
    /// 小标宋: the title and the red 发文机关标志.
    #[serde(rename = "标题")]
    Title,
}

/// The face of every kind of text.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Faces {
    /// Body text and table cells.
    pub body: Face,
    /// Headings by level: 1 (一、, 第一章), 2 (（一）), 3 (1.).
    pub headings: [Face; 3],
    /// Emphasis, and run-in leads (the （一） level in a paragraph).
    pub emphasis: Face,
    /// Strong text.
    pub strong: Face,
    /// A table's header row.
    pub table_header: Face,
    /// The 附件N label and the 份号 / 密级 / 紧急程度 lines.
    pub label: Face,
    /// The 签发人's names.
    pub signers: Face,
    /// The title and the 发文机关标志.
    pub title: Face,
    /// The page numbers.
    pub page_number: Face,
}

/// The faces qingdan sets text in.
pub const FACES: Faces = Faces {
    body: Face::FangSong,
    headings: [Face::HeiTi, Face::KaiTi, Face::FangSong],
    emphasis: Face::KaiTi,
    strong: Face::HeiTi,
    table_header: Face::HeiTi,
    label: Face::HeiTi,
    signers: Face::KaiTi,
    title: Face::Title,
    page_number: Face::SongTi,
};

impl Faces {
    /// The face of a heading of `level` (1–3; deeper levels are read as 3).
    pub fn heading(&self, level: u8) -> Face {
        self.headings[usize::from(level.clamp(1, 3)) - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_take_the_standards_faces_and_the_template_reads_role_names() {
        assert_eq!(FACES.heading(1), Face::HeiTi);
        assert_eq!(FACES.heading(2), Face::KaiTi);
        assert_eq!(FACES.heading(3), Face::FangSong);
        let json = serde_json::to_value(FACES).unwrap();
        assert_eq!(
            json["headings"],
            serde_json::json!(["黑体", "楷体", "仿宋"])
        );
        assert_eq!(json["title"], "标题");
    }
}
