//! The XML the tools print (poppler's XHTML and XML, mupdf's structured text and trace), read as
//! a stream of elements with quick-xml: a tool may print hundreds of megabytes, and only what
//! the checks keep should take memory.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// One step through a document.
pub(crate) enum Step<'a> {
    /// An element opens (an empty element opens and then closes).
    Open(Element<'a>),
    /// The element named so closes.
    Close(&'a str),
    /// Text inside the current element (entities resolved), in one or more pieces.
    Text(Cow<'a, str>),
}

/// An element's name and attributes.
pub(crate) struct Element<'a>(&'a BytesStart<'a>);

impl Element<'_> {
    /// The element's name, e.g. `word`.
    pub(crate) fn name(&self) -> &str {
        self.0.name().0
    }

    /// An attribute's value, entities resolved.
    pub(crate) fn attr(&self, name: &str) -> Option<Cow<'_, str>> {
        let attribute = self.0.try_get_attribute(name).ok()??;
        attribute.normalized_value(XmlVersion::Implicit1_0).ok()
    }

    /// A number attribute, 0 when it is missing or not a number.
    pub(crate) fn number(&self, name: &str) -> f64 {
        self.attr(name)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0.0)
    }
}

/// Calls `step` for each element, end and text of the XML read from `input`, in order. Fails on
/// XML that is not well formed (which includes output cut short).
pub(crate) fn each(
    input: &mut dyn BufRead,
    mut step: impl FnMut(Step<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    // Elements open: the output of a tool that stopped early ends inside one.
    let mut depth = 0usize;
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Start(e) => {
                depth += 1;
                step(Step::Open(Element(&e)))?;
            }
            Event::Empty(e) => {
                step(Step::Open(Element(&e)))?;
                step(Step::Close(e.name().0))?;
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                step(Step::Close(e.name().0))?;
            }
            Event::Text(t) => step(Step::Text(t.xml10_content()))?,
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => Some("&".to_owned()),
                        "lt" => Some("<".to_owned()),
                        "gt" => Some(">".to_owned()),
                        "quot" => Some("\"".to_owned()),
                        "apos" => Some("'".to_owned()),
                        _ => None,
                    },
                };
                if let Some(text) = resolved {
                    step(Step::Text(text.into()))?;
                }
            }
            Event::Eof if depth > 0 => return Err("the output ends early".to_owned()),
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_texts_and_entities_come_in_order() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE html><doc><w x="1.5">甲&amp;&#x4E59;</w><e c="&#x2014;"/></doc>"#;
        let mut seen = Vec::new();
        each(&mut xml.as_bytes(), |step| {
            seen.push(match step {
                Step::Open(e) => match e.name() {
                    "w" => format!("<w {}>", e.number("x")),
                    "e" => format!("<e {}>", e.attr("c").unwrap_or_default()),
                    other => format!("<{other}>"),
                },
                Step::Close(name) => format!("</{name}>"),
                Step::Text(t) => t.into_owned(),
            });
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen.concat(),
            "<doc><w 1.5>甲&乙</w><e —></e></doc>",
            "{seen:?}"
        );
        assert!(each(&mut "<doc><w>".as_bytes(), |_| Ok(())).is_err());
    }
}
