//! `<w:body>` → paragraphs and tables, in reading order.
//!
//! Each paragraph's text is its runs' text (deleted revisions and field codes left out, line
//! breaks kept), with what Word knows about it: style (title, heading), alignment, red, a page
//! break before it, a run-in lead in 楷体 or italic, and its list number written out. A table
//! becomes a grid, merged cells blank (`vMerge` from above, `gridSpan` from the left), which is
//! how qingdan reads "same as above". Text boxes become paragraphs after the one anchoring them;
//! a table inside a cell keeps its text in that cell, row by row. Every walk that follows the
//! XML's nesting is bounded or iterative, so a hostile nesting cannot exhaust the stack.

use roxmltree::Node;

use super::numbering::Lists;
use super::styles::{RunLook, Styles, attr, child, numbering_of, toggle};
use crate::import::report::Note;
use crate::import::source::{Block, Look, Para, Place};

/// How deep `<w:sdt>`, `<w:customXml>` and nested tables are followed before their text is
/// taken flat.
pub(super) const MAX_DEPTH: usize = 8;

/// The walk over a document body.
pub(super) struct Walker<'s> {
    pub(super) styles: &'s Styles,
    pub(super) lists: Lists,
    pub(super) blocks: Vec<Block>,
    pub(super) notes: Vec<Note>,
    pub(super) paragraphs: usize,
    tables: usize,
    /// A page or section break was seen: the next block starts a page.
    pending_page: bool,
    /// Text boxes found in the paragraph being read, to follow it.
    boxes: Vec<Para>,
}

/// A paragraph's text with the look of each run, before it becomes a [`Para`].
#[derive(Default)]
struct Runs {
    text: String,
    /// Byte length of the leading text set in 楷体 or italic, while it lasts.
    lead: usize,
    lead_open: bool,
    red_chars: usize,
    other_chars: usize,
    page_break: bool,
    image: bool,
}

impl<'s> Walker<'s> {
    pub(super) fn new(styles: &'s Styles, lists: Lists) -> Self {
        Self {
            styles,
            lists,
            blocks: Vec::new(),
            notes: Vec::new(),
            paragraphs: 0,
            tables: 0,
            pending_page: false,
            boxes: Vec::new(),
        }
    }

    /// Walks the children of `<w:body>` (or of a content control inside it).
    pub(super) fn body(&mut self, parent: Node<'_, '_>, depth: usize) {
        for node in parent.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "p" => {
                    self.paragraphs += 1;
                    let place = Place::Paragraph(self.paragraphs);
                    let (mut para, section_end) = self.paragraph(node, place);
                    para.new_page |= std::mem::take(&mut self.pending_page);
                    // An empty paragraph (a spacer, the red rule under the 版头) holds nothing
                    // to import; a page break on it moves to what follows.
                    if para.text.trim().is_empty() {
                        self.pending_page |= para.new_page;
                    } else {
                        self.blocks.push(Block::Para(para));
                    }
                    let boxes = std::mem::take(&mut self.boxes);
                    self.blocks.extend(boxes.into_iter().map(Block::Para));
                    self.pending_page |= section_end;
                }
                "tbl" => {
                    self.tables += 1;
                    let mut table = self.table(node, self.tables, 0);
                    table.new_page = std::mem::take(&mut self.pending_page);
                    self.blocks.push(Block::Table(table));
                }
                "sdt" | "customXml" if depth < MAX_DEPTH => {
                    let content = child(node, "sdtContent").unwrap_or(node);
                    self.body(content, depth + 1);
                }
                "altChunk" => self.notes.push(Note::warning(
                    None,
                    "文档中嵌入了另一个文件（altChunk），其内容未导入",
                    "the document embeds another file (altChunk); its content is not imported",
                )),
                _ => {}
            }
        }
    }

    /// One paragraph, and whether a section (so a page) ends with it.
    pub(super) fn paragraph(&mut self, p: Node<'_, '_>, place: Place) -> (Para, bool) {
        let ppr = child(p, "pPr");
        let style_id = ppr
            .and_then(|ppr| child(ppr, "pStyle"))
            .and_then(|s| attr(s, "val"));
        let style = self.styles.look(style_id);
        let base = ppr
            .and_then(|ppr| child(ppr, "rPr"))
            .map(RunLook::of)
            .unwrap_or_default()
            .over(style.run);
        let mut runs = self.runs(p, base);
        let numbering = ppr
            .and_then(|ppr| child(ppr, "numPr"))
            .and_then(numbering_of)
            .or(style.numbering.clone())
            .filter(|(id, _)| id != "0");
        if let Some((id, level)) = numbering {
            let label = self.lists.next_label(&id, level);
            if runs.lead > 0 {
                runs.lead += label.len();
            }
            runs.text.insert_str(0, &label);
        }
        let jc = ppr
            .and_then(|ppr| child(ppr, "jc"))
            .and_then(|j| attr(j, "val"));
        let centred = jc.map_or(style.centred.unwrap_or(false), |v| v == "center");
        let look = if style.title {
            Look::Title
        } else if let Some(level) = style.heading {
            Look::Heading(level)
        } else if centred {
            Look::Centred
        } else if matches!(jc, Some("right" | "end")) {
            Look::Right
        } else {
            Look::Plain
        };
        let page_break_before = ppr
            .and_then(|ppr| toggle(ppr, "pageBreakBefore"))
            .unwrap_or(false);
        let section_end = ppr
            .and_then(|ppr| child(ppr, "sectPr"))
            .is_some_and(|s| child(s, "type").and_then(|t| attr(t, "val")) != Some("continuous"));
        let lead = (runs.lead > 0 && runs.lead < runs.text.trim_end().len())
            .then_some(runs.lead)
            .filter(|&l| base.kai != Some(true) && base.italic != Some(true) && l > 3);
        if runs.image {
            self.notes.push(Note::guess(
                Some(place.clone()),
                "此段有图片（如印章），图片不导入；用印方式见 qingdan.yaml 的“用印”",
                "this paragraph holds a picture (a seal?); pictures are not imported, the seal is set by 用印 in qingdan.yaml",
            ));
        }
        let para = Para {
            lead,
            look,
            red: runs.red_chars > 0 && runs.red_chars >= runs.other_chars,
            new_page: page_break_before || runs.page_break,
            indent: ppr.and_then(|p| indent_chars(p, "left")),
            right_indent: ppr.and_then(|p| indent_chars(p, "right")),
            ..Para::plain(runs.text, place)
        };
        (para, section_end)
    }

    /// The text of a paragraph's runs, in document order, with their looks. Iterative, with
    /// the subtrees that hold no printed text skipped.
    fn runs(&mut self, p: Node<'_, '_>, base: RunLook) -> Runs {
        let mut runs = Runs {
            lead_open: true,
            ..Runs::default()
        };
        let mut stack: Vec<Node<'_, '_>> = p.children().filter(Node::is_element).collect();
        stack.reverse();
        while let Some(node) = stack.pop() {
            match node.tag_name().name() {
                "pPr" | "rPr" | "del" | "moveFrom" | "instrText" | "delText" | "delInstrText"
                | "Fallback" | "fldData" | "footnoteReference" | "endnoteReference" => {}
                "txbxContent" => {
                    // Flat: a text box inside a text box must not recurse without end.
                    for p in node.children().filter(|n| n.tag_name().name() == "p") {
                        let place = Place::Paragraph(self.paragraphs);
                        let text = flat_text(p);
                        if !text.trim().is_empty() {
                            self.notes.push(Note::guess(
                                Some(place.clone()),
                                format!("文本框中的文字“{}”作为单独一段读入", short(&text)),
                                format!(
                                    "the text box text “{}” is read as a paragraph of its own",
                                    short(&text)
                                ),
                            ));
                            self.boxes.push(Para::plain(text, place));
                        }
                    }
                }
                "t" => {
                    let text = node.text().unwrap_or_default();
                    let look = node
                        .parent()
                        .and_then(|r| child(r, "rPr"))
                        .map(RunLook::of)
                        .unwrap_or_default()
                        .over(base);
                    runs.push(text, look);
                }
                "tab" | "ptab" => runs.push(" ", RunLook::default()),
                "br" | "cr" => {
                    if attr(node, "type") == Some("page") {
                        if runs.text.trim().is_empty() {
                            runs.page_break = true;
                        } else {
                            runs.text.push('\n');
                        }
                    } else {
                        runs.text.push('\n');
                        runs.lead_open = false;
                    }
                }
                "noBreakHyphen" => runs.push("-", RunLook::default()),
                "drawing" | "pict" | "object" => {
                    if node
                        .descendants()
                        .any(|n| n.tag_name().name() == "txbxContent")
                    {
                        push_children(&mut stack, node);
                    } else {
                        runs.image = true;
                    }
                }
                _ => push_children(&mut stack, node),
            }
        }
        runs
    }
}

impl Runs {
    fn push(&mut self, text: &str, look: RunLook) {
        if text.is_empty() {
            return;
        }
        let set_apart = look.kai == Some(true) || look.italic == Some(true);
        if self.lead_open {
            if set_apart {
                self.lead = self.text.len() + text.len();
            } else if !text.trim().is_empty() {
                self.lead_open = false;
            }
        }
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        if look.red == Some(true) {
            self.red_chars += chars;
        } else {
            self.other_chars += chars;
        }
        self.text.push_str(text);
    }
}

/// Pushes `node`'s element children onto `stack` so they pop in document order.
fn push_children<'a, 'i>(stack: &mut Vec<Node<'a, 'i>>, node: Node<'a, 'i>) {
    let start = stack.len();
    stack.extend(node.children().filter(Node::is_element));
    stack[start..].reverse();
}

/// A paragraph's indent on `side` (left or right) in characters: Word's own `leftChars`, or
/// twips at 16 pt (the body's size).
fn indent_chars(ppr: Node<'_, '_>, side: &str) -> Option<f32> {
    let ind = child(ppr, "ind")?;
    let other = if side == "left" { "start" } else { "end" };
    let chars = attr(ind, &format!("{side}Chars")).or_else(|| attr(ind, &format!("{other}Chars")));
    if let Some(chars) = chars
        .and_then(|c| c.parse::<f32>().ok())
        .filter(|c| *c != 0.0)
    {
        return Some(chars / 100.0);
    }
    let twips = attr(ind, side).or_else(|| attr(ind, other))?;
    twips.parse::<f32>().ok().map(|t| t / 320.0)
}

/// The first characters of `text`, for a report line.
pub(crate) fn short(text: &str) -> String {
    let text = text.trim();
    let mut out: String = text.chars().take(20).collect();
    if text.chars().count() > 20 {
        out.push('…');
    }
    out
}

/// All the text under `node`, paragraphs on lines of their own (iterative: any depth).
pub(super) fn flat_text(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for n in node.descendants().filter(Node::is_element) {
        match n.tag_name().name() {
            "t" => out.push_str(n.text().unwrap_or_default()),
            "p" if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}
