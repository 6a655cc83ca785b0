//! Word's automatic numbering, written out: a paragraph numbered by a list (`<w:numPr>`, in the
//! paragraph or its style) holds no number in its text, only a reference into
//! `numbering.xml`. The recogniser reads numbers from text (第一条, （一）, 1.), so each numbered
//! paragraph gets its label — as Word would print it — put in front of its text.

use std::collections::BTreeMap;

use roxmltree::Node;

use super::styles::{attr, child};
use crate::model::numbering::chinese_numeral;

/// One level of a list: how its number is written.
#[derive(Debug, Clone)]
struct Level {
    format: String,
    text: String,
    start: u32,
    /// What follows the number: a tab or a space (Word's default is a tab), or nothing.
    separated: bool,
}

/// The lists of a document and the counters of each.
#[derive(Debug, Default)]
pub(super) struct Lists {
    /// Per abstract list, its levels.
    abstracts: BTreeMap<String, Vec<Level>>,
    /// Per list instance (numId), its abstract list.
    instances: BTreeMap<String, String>,
    /// Per list instance, the current count of each level.
    counters: BTreeMap<String, [u32; 9]>,
}

impl Lists {
    /// Reads `numbering.xml`.
    pub(super) fn read(root: Node<'_, '_>) -> Self {
        let mut lists = Lists::default();
        for node in root.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "abstractNum" => {
                    let Some(id) = attr(node, "abstractNumId") else {
                        continue;
                    };
                    let mut levels = vec![
                        Level {
                            format: "decimal".into(),
                            text: String::new(),
                            start: 1,
                            separated: true,
                        };
                        9
                    ];
                    for lvl in node.children().filter(|n| n.tag_name().name() == "lvl") {
                        let Some(index) = attr(lvl, "ilvl")
                            .and_then(|v| v.parse::<usize>().ok())
                            .filter(|&i| i < 9)
                        else {
                            continue;
                        };
                        let val = |name: &str| child(lvl, name).and_then(|n| attr(n, "val"));
                        levels[index] = Level {
                            format: val("numFmt").unwrap_or("decimal").to_owned(),
                            text: val("lvlText").unwrap_or_default().to_owned(),
                            start: val("start").and_then(|s| s.parse().ok()).unwrap_or(1),
                            separated: val("suff") != Some("nothing"),
                        };
                    }
                    lists.abstracts.insert(id.to_owned(), levels);
                }
                "num" => {
                    if let (Some(id), Some(abstract_id)) = (
                        attr(node, "numId"),
                        child(node, "abstractNumId").and_then(|n| attr(n, "val")),
                    ) {
                        lists
                            .instances
                            .insert(id.to_owned(), abstract_id.to_owned());
                    }
                }
                _ => {}
            }
        }
        lists
    }

    /// The label of the next paragraph of list `id` at `level`, counting it: `第一条 `, `（二）`,
    /// `3.`; empty for bullets, unnumbered levels and lists the document does not define.
    pub(super) fn next_label(&mut self, id: &str, level: u8) -> String {
        let level = usize::from(level.min(8));
        let Some(levels) = self.instances.get(id).and_then(|a| self.abstracts.get(a)) else {
            return String::new();
        };
        let counters = self.counters.entry(id.to_owned()).or_insert([0; 9]);
        for (i, counter) in counters.iter_mut().enumerate() {
            if i == level {
                *counter = if *counter == 0 {
                    levels[i].start
                } else {
                    *counter + 1
                };
            } else if i > level {
                *counter = 0;
            }
        }
        let this = &levels[level];
        if this.format == "bullet" || this.format == "none" || this.text.is_empty() {
            return String::new();
        }
        let mut label = this.text.clone();
        for (i, lvl) in levels.iter().enumerate().take(level + 1) {
            let n = counters[i].max(lvl.start);
            label = label.replace(&format!("%{}", i + 1), &format_number(&lvl.format, n));
        }
        if this.separated {
            label.push(' ');
        }
        label
    }
}

/// `n` written in Word's number format `format`.
fn format_number(format: &str, n: u32) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "chineseLegalSimplified" => chinese_numeral(n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32('①' as u32 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "lowerLetter" | "upperLetter" => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let letter = char::from(base + ((n.max(1) - 1) % 26) as u8);
            letter
                .to_string()
                .repeat(((n.max(1) - 1) / 26 + 1) as usize)
        }
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_word_formats_and_restart_below() {
        let xml = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:abstractNum w:abstractNumId="0">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
              <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
          </w:numbering>"#;
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut lists = Lists::read(doc.root_element());
        assert_eq!(lists.next_label("3", 0), "第一条 ");
        assert_eq!(lists.next_label("3", 1), "（一）");
        assert_eq!(lists.next_label("3", 1), "（二）");
        assert_eq!(lists.next_label("3", 2), "");
        assert_eq!(lists.next_label("3", 0), "第二条 ");
        assert_eq!(lists.next_label("3", 1), "（一）");
        assert_eq!(lists.next_label("9", 0), "");
        assert_eq!(format_number("decimalFullWidth", 12), "１２");
        assert_eq!(format_number("upperRoman", 14), "XIV");
    }
}
