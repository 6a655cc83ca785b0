//! The project's 版式 (layout) and the notice's 用印 (seal) choices, checked: a known value, in
//! range, and no seal stamped on nothing.

use super::loader::Loader;
use super::{PageSettings, Seal, numbering};
use crate::inputs::manifest::{Manifest, NoticeSpec};

impl Loader<'_> {
    /// The project's 版式 settings, checked against what still fits the type area.
    pub(super) fn page_settings(&mut self, m: &Manifest) -> PageSettings {
        let Some(layout) = &m.layout else {
            return PageSettings::default();
        };
        let mut settings = PageSettings::default();
        if let Some(pitch) = layout.line_pitch {
            let (min, max) = (PageSettings::MIN_PITCH, PageSettings::MAX_PITCH);
            if (min..=max).contains(&pitch) {
                settings.line_pitch = Some(pitch);
            } else {
                self.key_error(
                    "版式.行距",
                    format!("行距 {pitch} 磅超出范围：应在 {min} 至 {max} 磅之间（每页 22 行）"),
                    format!(
                        "line pitch {pitch} pt is out of range: use {min} to {max} pt (22 lines a page)"
                    ),
                );
            }
        }
        match layout.colophon_place.as_deref().map(str::trim) {
            None | Some("文末") => {}
            Some("通知后") => settings.colophon_after_notice = true,
            Some(other) => self.key_error(
                "版式.版记位置",
                format!("“{other}”不是可用的值，应为“文末”或“通知后”"),
                format!("“{other}” is not a known value; use 文末 or 通知后"),
            ),
        }
        if let Some(name) = layout.chapter_size.as_deref().map(str::trim) {
            match PageSettings::CHAPTER_SIZES.iter().find(|(n, _)| *n == name) {
                Some((_, size)) if *size == crate::gbt9704::BODY_SIZE => {}
                Some((_, size)) => settings.chapter_size = Some(*size),
                None => {
                    let names: Vec<&str> = PageSettings::CHAPTER_SIZES
                        .iter()
                        .map(|(n, _)| *n)
                        .collect();
                    self.key_error(
                        "版式.章标题字号",
                        format!("“{name}”不是可用的字号，应为“{}”之一", names.join("”“")),
                        format!(
                            "“{name}” is not a known size; use one of {}",
                            names.join(" ")
                        ),
                    );
                }
            }
        }
        for name in &layout.bold {
            let name = name.trim();
            match PageSettings::LEVELS.iter().find(|(n, _)| *n == name) {
                Some((_, level)) => settings.bold.push(*level),
                None => {
                    let names: Vec<&str> = PageSettings::LEVELS.iter().map(|(n, _)| *n).collect();
                    self.key_error(
                        "版式.加粗",
                        format!("“{name}”不是标题层级，应为“{}”之一", names.join("”“")),
                        format!(
                            "“{name}” is not a heading level; use one of {}",
                            names.join(" ")
                        ),
                    );
                }
            }
        }
        settings
    }

    /// The body numbering a project's 版式 asks for; an unknown value is an error naming the
    /// values there are.
    pub(super) fn numbering_style(&mut self, m: &Manifest) -> numbering::NumberingStyle {
        let mut style = numbering::NumberingStyle::default();
        let Some(layout) = &m.layout else {
            return style;
        };
        let mut choice = |value: &Option<String>, key: &str, options: [&str; 2]| -> bool {
            let Some(value) = value.as_deref().map(str::trim) else {
                return false;
            };
            if value == options[1] {
                return true;
            }
            if value != options[0] {
                self.key_error(
                    &format!("版式.{key}"),
                    format!(
                        "“{value}”不是可用的值，应为“{}”或“{}”",
                        options[0], options[1]
                    ),
                    format!(
                        "“{value}” is not a known value; use {} or {}",
                        options[0], options[1]
                    ),
                );
            }
            false
        };
        style.half_width_brackets = choice(&layout.brackets, "括号", ["全角", "半角"]);
        style.article_run_in = choice(&layout.after_article, "条号后", ["空格", "无"]);
        style.chapter_run_in = choice(&layout.after_chapter, "章号后", ["空格", "无"]);
        style.unnumbered_chapters = layout
            .unnumbered_chapters
            .iter()
            .map(|t| t.trim().to_owned())
            .collect();
        style
    }

    /// The notice's 用印, checked: a known value, and no seal stamped on nothing.
    pub(super) fn seal(&mut self, n: &NoticeSpec) -> Seal {
        let Some(value) = &n.seal else {
            return Seal::None;
        };
        let Some(seal) = Seal::parse(value) else {
            let names: Vec<&str> = Seal::NAMES.iter().map(|(name, _)| *name).collect();
            self.key_error(
                "通知.用印",
                format!("未知的用印方式“{value}”，应为“{}”之一", names.join("”“")),
                format!("unknown 用印 “{value}”; use one of {}", names.join(", ")),
            );
            return Seal::None;
        };
        if seal != Seal::None && n.date.is_none() {
            self.key_error(
                "通知.成文日期",
                "盖章（用印）的公文须写成文日期，不得出现空白印章".to_owned(),
                "a sealed document needs a 成文日期: a seal may not stand on nothing".to_owned(),
            );
        }
        seal
    }
}
