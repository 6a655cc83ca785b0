//! Landscape page numbers at the portrait position: the landscape sections' own footers (GB/T
//! 9704 §8), each a text box in the left margin with its text turned a quarter clockwise.

use quick_xml::events::{BytesEnd, BytesStart, Event};

use super::*;
use crate::docx::DocxError;

/// The landscape sections' footers: relationship id, part, odd pages.
pub(super) const LANDSCAPE_FOOTERS: [(&str, &str, bool); 2] = [
    ("rIdFooter3", "footer3.xml", true),
    ("rIdFooter4", "footer4.xml", false),
];

/// The footers docx-rs gives every section (see `page::Sections`), odd and even.
pub(super) const PORTRAIT_FOOTERS: [&str; 2] = ["rIdFooter1", "rIdFooter2"];

/// Whether `e` is the size of a landscape section (a `w:pgSz` with `w:orient="landscape"`).
pub(super) fn is_landscape(e: &BytesStart) -> bool {
    e.name().as_ref() == "w:pgSz"
        && e.attributes()
            .flatten()
            .any(|a| a.key.as_ref() == "w:orient" && a.value == "landscape")
}

/// The writer of a part's events that turns each landscape section's footer references to
/// the landscape footers. A `w:sectPr` names its size (`w:pgSz`) before its references, so its
/// events are held until it ends; every other event is written as it comes.
pub(super) struct SectionFooters {
    writer: InSchemaOrder,
    /// The events of the `w:sectPr` being read.
    section: Option<Vec<Event<'static>>>,
    /// Whether a landscape section was written.
    landscape: bool,
}

impl SectionFooters {
    pub(super) fn new(writer: InSchemaOrder) -> Self {
        Self {
            writer,
            section: None,
            landscape: false,
        }
    }

    /// Writes `event`, or holds it while a section is open.
    pub(super) fn write(&mut self, event: Event<'_>) -> Result<(), DocxError> {
        match event {
            Event::Start(e) if e.name().as_ref() == "w:sectPr" => {
                self.section = Some(vec![Event::Start(e.into_owned())]);
            }
            Event::End(e) if e.name().as_ref() == "w:sectPr" && self.section.is_some() => {
                let mut events = self.section.take().unwrap_or_default();
                events.push(Event::End(e.into_owned()));
                let landscape = events.iter().any(|e| match e {
                    Event::Empty(e) | Event::Start(e) => is_landscape(e),
                    _ => false,
                });
                self.landscape |= landscape;
                for event in events {
                    let event = match event {
                        Event::Empty(e)
                            if landscape && e.name().as_ref() == "w:footerReference" =>
                        {
                            Event::Empty(landscape_reference(&e)?)
                        }
                        other => other,
                    };
                    self.writer.write(event)?;
                }
            }
            other => match &mut self.section {
                Some(events) => events.push(other.into_owned()),
                None => self.writer.write(other)?,
            },
        }
        Ok(())
    }

    /// The part written, and whether it has a landscape section.
    pub(super) fn finish(self) -> Result<(Vec<u8>, bool), DocxError> {
        Ok((self.writer.finish()?, self.landscape))
    }
}

/// A footer reference of a landscape section: rIdFooter1 / rIdFooter2 → rIdFooter3 / rIdFooter4.
pub(super) fn landscape_reference(e: &BytesStart) -> Result<BytesStart<'static>, DocxError> {
    let mut out = BytesStart::new("w:footerReference");
    for attribute in e.attributes() {
        let attribute = attribute.map_err(xml_error)?;
        // The ids and types of a reference hold no character XML escapes.
        let value = attribute.value;
        let value = match PORTRAIT_FOOTERS.iter().position(|id| *id == value) {
            Some(i) if attribute.key.as_ref() == "r:id" => LANDSCAPE_FOOTERS[i].0.to_owned(),
            _ => value.into_owned(),
        };
        out.push_attribute((attribute.key.as_ref(), value.as_str()));
    }
    Ok(out)
}

/// The document's relationships with the landscape footers'.
pub(super) fn landscape_relationships(xml: &[u8]) -> Result<Vec<u8>, DocxError> {
    let added = LANDSCAPE_FOOTERS
        .iter()
        .map(|(id, part, _)| {
            let mut e = BytesStart::new("Relationship");
            e.push_attribute(("Id", *id));
            e.push_attribute((
                "Type",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
            ));
            e.push_attribute(("Target", *part));
            e
        })
        .collect();
    insert_after_start(xml, "Relationships", added)
}

/// A landscape section's footer: an empty footer paragraph anchoring a text box that holds
/// — N — where a portrait sheet has it. The sheet is bound turned a quarter counter-clockwise
/// (its top along the binding), so the portrait foot is the landscape page's left margin: the
/// box lies `page::FOOTER_DISTANCE` from the left edge, as wide as the footer's line, and as
/// long as the type area is wide (28 mm from the landscape page's top); its text, turned a
/// quarter clockwise, reads down the page, the number at its end on odd pages (the sheet's
/// right) and at its start on even ones, one character in, as in the portrait footers.
pub(super) fn landscape_footer(odd: bool) -> Result<Vec<u8>, DocxError> {
    use crate::docx::page::{
        FOOTER_DISTANCE, FOOTER_PITCH, LEFT, PAGE_NUMBER_INDENT, PAGE_WIDTH, RIGHT,
    };
    const EMU: i64 = 635; // per twip
    let length = i64::from(PAGE_WIDTH as i32 - LEFT - RIGHT) * EMU;
    let width = i64::from(FOOTER_PITCH) * EMU;
    let (cx, cy) = (width.to_string(), length.to_string());
    let mut x = XmlOut::new();
    x.decl()?;
    x.start(
        "w:ftr",
        &[
            (
                "xmlns:w",
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            ),
            (
                "xmlns:r",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            ),
            (
                "xmlns:wp",
                "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
            ),
            (
                "xmlns:a",
                "http://schemas.openxmlformats.org/drawingml/2006/main",
            ),
            (
                "xmlns:wps",
                "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
            ),
            (
                "xmlns:mc",
                "http://schemas.openxmlformats.org/markup-compatibility/2006",
            ),
        ],
    )?;
    x.start("w:p", &[])?;
    x.start("w:pPr", &[])?;
    x.empty("w:pStyle", &[("w:val", "Footer")])?;
    x.end("w:pPr")?;
    x.start("w:r", &[])?;
    x.start("mc:AlternateContent", &[])?;
    x.start("mc:Choice", &[("Requires", "wps")])?;
    x.start("w:drawing", &[])?;
    x.start(
        "wp:anchor",
        &[
            ("distT", "0"),
            ("distB", "0"),
            ("distL", "0"),
            ("distR", "0"),
            ("simplePos", "0"),
            ("relativeHeight", "1"),
            ("behindDoc", "0"),
            ("locked", "1"),
            ("layoutInCell", "1"),
            ("allowOverlap", "1"),
        ],
    )?;
    x.empty("wp:simplePos", &[("x", "0"), ("y", "0")])?;
    for (axis, offset) in [
        ("wp:positionH", i64::from(FOOTER_DISTANCE) * EMU),
        ("wp:positionV", i64::from(LEFT) * EMU),
    ] {
        x.start(axis, &[("relativeFrom", "page")])?;
        x.text_element("wp:posOffset", &offset.to_string())?;
        x.end(axis)?;
    }
    x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)])?;
    x.empty(
        "wp:effectExtent",
        &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
    )?;
    x.empty("wp:wrapNone", &[])?;
    let id = if odd { "1001" } else { "1002" };
    x.empty("wp:docPr", &[("id", id), ("name", "页码 page number")])?;
    x.empty("wp:cNvGraphicFramePr", &[])?;
    x.start("a:graphic", &[])?;
    x.start(
        "a:graphicData",
        &[(
            "uri",
            "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        )],
    )?;
    x.start("wps:wsp", &[])?;
    x.empty("wps:cNvSpPr", &[("txBox", "1")])?;
    x.start("wps:spPr", &[])?;
    x.start("a:xfrm", &[])?;
    x.empty("a:off", &[("x", "0"), ("y", "0")])?;
    x.empty("a:ext", &[("cx", &cx), ("cy", &cy)])?;
    x.end("a:xfrm")?;
    x.start("a:prstGeom", &[("prst", "rect")])?;
    x.empty("a:avLst", &[])?;
    x.end("a:prstGeom")?;
    x.empty("a:noFill", &[])?;
    x.start("a:ln", &[])?;
    x.empty("a:noFill", &[])?;
    x.end("a:ln")?;
    x.end("wps:spPr")?;
    x.start("wps:txbx", &[])?;
    x.start("w:txbxContent", &[])?;
    x.start("w:p", &[])?;
    x.start("w:pPr", &[])?;
    x.empty("w:pStyle", &[("w:val", "Footer")])?;
    x.empty("w:jc", &[("w:val", if odd { "right" } else { "left" })])?;
    let indent = PAGE_NUMBER_INDENT.to_string();
    let (left, right) = if odd {
        ("0", indent.as_str())
    } else {
        (indent.as_str(), "0")
    };
    x.empty(
        "w:ind",
        &[("w:left", left), ("w:right", right), ("w:firstLine", "0")],
    )?;
    x.end("w:pPr")?;
    x.run_text("— ")?;
    x.field_char("begin")?;
    x.start("w:r", &[])?;
    x.start("w:instrText", &[("xml:space", "preserve")])?;
    x.text(" PAGE ")?;
    x.end("w:instrText")?;
    x.end("w:r")?;
    x.field_char("separate")?;
    x.run_text("1")?;
    x.field_char("end")?;
    x.run_text(" —")?;
    x.end("w:p")?;
    x.end("w:txbxContent")?;
    x.end("wps:txbx")?;
    x.empty(
        "wps:bodyPr",
        &[
            ("rot", "0"),
            ("vert", "vert"),
            ("wrap", "square"),
            ("lIns", "0"),
            ("tIns", "0"),
            ("rIns", "0"),
            ("bIns", "0"),
            ("anchor", "ctr"),
        ],
    )?;
    x.end("wps:wsp")?;
    x.end("a:graphicData")?;
    x.end("a:graphic")?;
    x.end("wp:anchor")?;
    x.end("w:drawing")?;
    x.end("mc:Choice")?;
    x.end("mc:AlternateContent")?;
    x.end("w:r")?;
    x.end("w:p")?;
    x.end("w:ftr")?;
    x.0.finish()
}

/// A small XML writer over quick-xml for the parts written here whole (in the schema's order
/// as every part, see [`InSchemaOrder`]).
pub(super) struct XmlOut(InSchemaOrder);

impl XmlOut {
    fn new() -> Self {
        Self(InSchemaOrder::new(4096))
    }

    fn event(&mut self, e: Event) -> Result<(), DocxError> {
        self.0.write(e)
    }

    fn decl(&mut self) -> Result<(), DocxError> {
        self.event(Event::Decl(quick_xml::events::BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )))
    }

    fn element<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut e = BytesStart::new(name);
        for attribute in attributes {
            e.push_attribute(*attribute);
        }
        e
    }

    fn start(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), DocxError> {
        self.event(Event::Start(Self::element(name, attributes)))
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), DocxError> {
        self.event(Event::Empty(Self::element(name, attributes)))
    }

    fn end(&mut self, name: &str) -> Result<(), DocxError> {
        self.event(Event::End(BytesEnd::new(name)))
    }

    fn text(&mut self, text: &str) -> Result<(), DocxError> {
        self.event(Event::Text(quick_xml::events::BytesText::new(text)))
    }

    fn text_element(&mut self, name: &str, text: &str) -> Result<(), DocxError> {
        self.start(name, &[])?;
        self.text(text)?;
        self.end(name)
    }

    /// A run of `text`, its spaces kept.
    fn run_text(&mut self, text: &str) -> Result<(), DocxError> {
        self.start("w:r", &[])?;
        self.start("w:t", &[("xml:space", "preserve")])?;
        self.text(text)?;
        self.end("w:t")?;
        self.end("w:r")
    }

    /// A run holding a field character: begin, separate or end.
    fn field_char(&mut self, kind: &str) -> Result<(), DocxError> {
        self.start("w:r", &[])?;
        self.empty("w:fldChar", &[("w:fldCharType", kind)])?;
        self.end("w:r")
    }
}
