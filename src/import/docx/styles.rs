//! What `styles.xml` says about a paragraph style: whether it is a title or a heading, centred,
//! set in 楷体 or red, and numbered (Word's heading numbering lives in styles, not paragraphs).
//! Elements and attributes are matched by local name, so the transitional and the strict
//! (ISO) namespaces read alike.

use std::collections::BTreeMap;

use roxmltree::Node;

/// An element's attribute by local name, whatever its namespace prefix.
pub(super) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// The first child element with local name `name`.
pub(super) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Whether a toggle property (`<w:i/>`, `<w:b w:val="0"/>`) is on, if it is given.
pub(super) fn toggle(props: Node<'_, '_>, name: &str) -> Option<bool> {
    child(props, name).map(|n| !matches!(attr(n, "val"), Some("0" | "false" | "off")))
}

/// What a run's properties say: its East Asian font is a 楷体, italic, red.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct RunLook {
    pub(super) kai: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) red: Option<bool>,
}

impl RunLook {
    /// Reads `<w:rPr>`.
    pub(super) fn of(rpr: Node<'_, '_>) -> Self {
        let kai = child(rpr, "rFonts").and_then(|f| {
            attr(f, "eastAsia")
                .or_else(|| attr(f, "ascii"))
                .map(|name| name.contains('楷') || name.to_ascii_lowercase().contains("kai"))
        });
        let red = child(rpr, "color").and_then(|c| attr(c, "val")).map(is_red);
        Self {
            kai,
            italic: toggle(rpr, "i"),
            red,
        }
    }

    /// `self`, with what it leaves open taken from `base`.
    pub(super) fn over(self, base: RunLook) -> RunLook {
        RunLook {
            kai: self.kai.or(base.kai),
            italic: self.italic.or(base.italic),
            red: self.red.or(base.red),
        }
    }
}

/// A hex colour a 发文机关标志 is printed in: mostly red.
fn is_red(hex: &str) -> bool {
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match (channel(0), channel(2), channel(4)) {
        (Some(r), Some(g), Some(b)) => r >= 0xB0 && g <= 0x60 && b <= 0x60,
        _ => hex.eq_ignore_ascii_case("red"),
    }
}

/// One paragraph style, as written (inheritance resolved by [`Styles`]).
#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    centred: Option<bool>,
    outline: Option<u8>,
    numbering: Option<(String, u8)>,
    run: RunLook,
}

/// The paragraph styles of a document.
#[derive(Debug, Default)]
pub(super) struct Styles {
    styles: BTreeMap<String, Style>,
}

/// What a paragraph inherits from its style.
#[derive(Debug, Clone, Default)]
pub(super) struct StyleLook {
    /// Title (Word's Title, 标题), or a heading's level.
    pub(super) title: bool,
    pub(super) heading: Option<u8>,
    pub(super) centred: Option<bool>,
    pub(super) numbering: Option<(String, u8)>,
    pub(super) run: RunLook,
}

impl Styles {
    /// Reads `styles.xml`.
    pub(super) fn read(root: Node<'_, '_>) -> Self {
        let mut styles = BTreeMap::new();
        for style in root.children().filter(|n| n.tag_name().name() == "style") {
            let Some(id) = attr(style, "styleId") else {
                continue;
            };
            let ppr = child(style, "pPr");
            let mut entry = Style {
                name: child(style, "name")
                    .and_then(|n| attr(n, "val"))
                    .unwrap_or(id)
                    .to_owned(),
                based_on: child(style, "basedOn")
                    .and_then(|n| attr(n, "val"))
                    .map(str::to_owned),
                ..Style::default()
            };
            if let Some(ppr) = ppr {
                entry.centred = child(ppr, "jc")
                    .and_then(|j| attr(j, "val"))
                    .map(|v| v == "center");
                entry.outline = child(ppr, "outlineLvl")
                    .and_then(|o| attr(o, "val"))
                    .and_then(|v| v.parse().ok());
                entry.numbering = child(ppr, "numPr").and_then(numbering_of);
            }
            if let Some(rpr) = child(style, "rPr") {
                entry.run = RunLook::of(rpr);
            }
            styles.insert(id.to_owned(), entry);
        }
        Self { styles }
    }

    /// What style `id` gives a paragraph, inheritance followed (at most ten levels: a loop of
    /// `basedOn` must not hang the import).
    pub(super) fn look(&self, id: Option<&str>) -> StyleLook {
        let mut look = StyleLook::default();
        let mut next = id.or(Some("Normal")).map(str::to_owned);
        let mut outline = None;
        for _ in 0..10 {
            let Some(style) = next.as_deref().and_then(|id| self.styles.get(id)) else {
                break;
            };
            let name = style.name.to_lowercase();
            look.title |= name == "title" || name == "标题";
            if look.heading.is_none() {
                look.heading = name
                    .strip_prefix("heading ")
                    .or_else(|| name.strip_prefix("标题 "))
                    .and_then(|n| n.trim().parse().ok());
            }
            look.centred = look.centred.or(style.centred);
            look.numbering = look.numbering.take().or_else(|| style.numbering.clone());
            look.run = look.run.over(style.run);
            outline = outline.or(style.outline);
            next = style.based_on.clone();
        }
        if look.heading.is_none() && !look.title {
            look.heading = outline.filter(|&o| o < 9).map(|o| o + 1);
        }
        look
    }
}

/// A `<w:numPr>`'s list and level; list 0 means "not numbered".
pub(super) fn numbering_of(num_pr: Node<'_, '_>) -> Option<(String, u8)> {
    let id = child(num_pr, "numId").and_then(|n| attr(n, "val"))?;
    let level = child(num_pr, "ilvl")
        .and_then(|n| attr(n, "val"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((id.to_owned(), level))
}
