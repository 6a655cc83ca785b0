//! Numbers and labels the author typed where qingdan does not expect them: a number pasted in
//! front of a heading or item (dropped when it is the right one, reported when not), a line
//! starting with a number that Markdown would join to the text above, a `{#label}` out of place.

use super::numberer::Numberer;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::numbering::{Ordinal, typed_ordinal};

impl Numberer<'_> {
    /// A number the author typed in front of a heading or item: the one qingdan gives it is
    /// recognised and dropped (it would print twice: 第一条　第一条); another number of the same
    /// level, or a number of another level, is reported with the fix, never printed doubled.
    pub(super) fn typed_number(
        &self,
        text: String,
        ordinal: Ordinal,
        number: u32,
        line: usize,
        diags: &mut Diagnostics,
    ) -> String {
        let Some((typed, n, rest)) = typed_ordinal(&text) else {
            return text;
        };
        let typed_label = text.trim_start()[..text.trim_start().len() - rest.len()].trim_end();
        let own = ordinal.label_in(number, self.numbering);
        if typed == ordinal && n == number {
            return rest.to_owned();
        }
        let (zh, en) = if typed == ordinal {
            (
                format!(
                    "这里手写了编号“{typed_label}”，按位置这里是“{own}”；编号由 qingdan 自动生成"
                ),
                format!(
                    "the number “{typed_label}” is typed here, but by its place this is “{own}”; qingdan numbers automatically"
                ),
            )
        } else {
            (
                format!("这里手写了另一层级的编号“{typed_label}”，而此处自动编号为“{own}”"),
                format!(
                    "the number “{typed_label}” of another level is typed here, where the automatic number is “{own}”"
                ),
            )
        };
        diags.push(
            Diagnostic::error(self.path, Location::Line(line), zh, en).with_hint(
                "删去手写的编号；下一级的条目请缩进（行首空三格再写“1.”）",
                "remove the typed number; indent items of the next level (three spaces, then “1.”)",
            ),
        );
        text
    }

    /// Lines inside the paragraph or item being collected that start with a number
    /// (`（三）…`): Markdown joins them to the text above, so an item the author meant to start
    /// would silently merge into the previous one.
    pub(super) fn pasted_lines(&self, diags: &mut Diagnostics) {
        let Some(range) = self.inline.clone() else {
            return;
        };
        let first = self.line_of(range.start);
        for (i, line) in self.source[range].lines().enumerate().skip(1) {
            if let Some((_, _, rest)) = typed_ordinal(line) {
                let typed = line.trim_start();
                let typed = typed[..typed.len() - rest.len()].trim_end();
                diags.push(
                    Diagnostic::error(
                        self.path,
                        Location::Line(first + i),
                        format!("这一行以编号“{typed}”开头，但会并入上一段（或上一条）的文字中"),
                        format!(
                            "this line starts with the number “{typed}” but would be joined to the paragraph or item above"
                        ),
                    )
                    .with_hint(
                        "要另起一条，就写成列表项：行首写“1. ”（下一级再缩进三格），并删去手写的编号",
                        "to start a new item, write it as a list item: “1. ” at the line start (indented three spaces for the next level), without the typed number",
                    ),
                );
            }
        }
    }

    /// A `{#label}` anywhere but at the start of an item (or the end of a heading) is not a
    /// label: it would print as text, and a reference to it would fail far from the cause.
    pub(super) fn misplaced_label(&self, text: &str, line: usize, diags: &mut Diagnostics) {
        let Some(start) = text.find("{#") else {
            return;
        };
        let Some(end) = text[start..].find('}') else {
            return;
        };
        let label = &text[start..start + end + 1];
        diags.push(
            Diagnostic::error(
                self.path,
                Location::Line(line),
                format!("标签“{label}”放的位置不对，不会被识别"),
                format!("the label “{label}” is in a place where it is not recognised"),
            )
            .with_hint(
                "标签只能写在列表项的开头（1. {#标签} 内容）或标题的末尾（# 职责 {#标签}）",
                "a label goes at the start of a list item (1. {#label} text) or the end of a heading (# 职责 {#label})",
            ),
        );
    }
}
