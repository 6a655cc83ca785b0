//! Element order by the schema, in one place. WordprocessingML's property elements (`w:pPr`,
//! `w:rPr`, `w:sectPr`, `w:tblPr`, `w:tcPr`, a style, the settings …) are `xsd:sequence`s:
//! their children have one order, and Word drops a child that stands out of it (a run's font
//! named after its colour is a font Word may not set) or calls the file damaged. docx-rs writes
//! several in an order of its own (`w:pStyle` after `w:jc`, `w:rFonts` after `w:sz`, the footer
//! references after the page size …). Every part qingdan writes goes out through
//! [`InSchemaOrder`], which holds each element with a sequence until it ends and writes its
//! children in the sequence's order; whatever docx-rs or this package writes in between, the
//! order comes out right, so no builder has to know it. It also leaves out what docx-rs writes
//! where the schema has no place for it: `w:type` on `w:gridCol`, and the empty run properties
//! in a style's paragraph properties.
//!
//! The sequences are those of ECMA-376 Part 1 (wml.xsd), the schema Microsoft's Open XML SDK
//! validator checks against; the test suite runs that validator over every .docx it builds.

use quick_xml::Writer;
use quick_xml::events::{BytesStart, Event};

use super::xml_error;
use crate::docx::DocxError;

/// The children of the elements whose children have one order, in that order. Alternatives
/// (`w:left` / `w:start`, `w:headerReference` / `w:footerReference`) share a place.
fn sequence(parent: &str) -> Option<&'static [&'static [&'static str]]> {
    Some(match parent {
        "w:pPr" => &[
            &["w:pStyle"],
            &["w:keepNext"],
            &["w:keepLines"],
            &["w:pageBreakBefore"],
            &["w:framePr"],
            &["w:widowControl"],
            &["w:numPr"],
            &["w:suppressLineNumbers"],
            &["w:pBdr"],
            &["w:shd"],
            &["w:tabs"],
            &["w:suppressAutoHyphens"],
            &["w:kinsoku"],
            &["w:wordWrap"],
            &["w:overflowPunct"],
            &["w:topLinePunct"],
            &["w:autoSpaceDE"],
            &["w:autoSpaceDN"],
            &["w:bidi"],
            &["w:adjustRightInd"],
            &["w:snapToGrid"],
            &["w:spacing"],
            &["w:ind"],
            &["w:contextualSpacing"],
            &["w:mirrorIndents"],
            &["w:suppressOverlap"],
            &["w:jc"],
            &["w:textDirection"],
            &["w:textAlignment"],
            &["w:textboxTightWrap"],
            &["w:outlineLvl"],
            &["w:divId"],
            &["w:cnfStyle"],
            &["w:rPr"],
            &["w:sectPr"],
            &["w:pPrChange"],
        ],
        "w:rPr" => &[
            // A paragraph mark's revisions come first.
            &["w:ins"],
            &["w:del"],
            &["w:moveFrom"],
            &["w:moveTo"],
            &["w:rStyle"],
            &["w:rFonts"],
            &["w:b"],
            &["w:bCs"],
            &["w:i"],
            &["w:iCs"],
            &["w:caps"],
            &["w:smallCaps"],
            &["w:strike"],
            &["w:dstrike"],
            &["w:outline"],
            &["w:shadow"],
            &["w:emboss"],
            &["w:imprint"],
            &["w:noProof"],
            &["w:snapToGrid"],
            &["w:vanish"],
            &["w:webHidden"],
            &["w:color"],
            &["w:spacing"],
            &["w:w"],
            &["w:kern"],
            &["w:position"],
            &["w:sz"],
            &["w:szCs"],
            &["w:highlight"],
            &["w:u"],
            &["w:effect"],
            &["w:bdr"],
            &["w:shd"],
            &["w:fitText"],
            &["w:vertAlign"],
            &["w:rtl"],
            &["w:cs"],
            &["w:em"],
            &["w:lang"],
            &["w:eastAsianLayout"],
            &["w:specVanish"],
            &["w:oMath"],
            &["w:rPrChange"],
        ],
        "w:sectPr" => &[
            &["w:headerReference", "w:footerReference"],
            &["w:footnotePr"],
            &["w:endnotePr"],
            &["w:type"],
            &["w:pgSz"],
            &["w:pgMar"],
            &["w:paperSrc"],
            &["w:pgBorders"],
            &["w:lnNumType"],
            &["w:pgNumType"],
            &["w:cols"],
            &["w:formProt"],
            &["w:vAlign"],
            &["w:noEndnote"],
            &["w:titlePg"],
            &["w:textDirection"],
            &["w:bidi"],
            &["w:rtlGutter"],
            &["w:docGrid"],
            &["w:printerSettings"],
            &["w:sectPrChange"],
        ],
        "w:tblPr" => &[
            &["w:tblStyle"],
            &["w:tblpPr"],
            &["w:tblOverlap"],
            &["w:bidiVisual"],
            &["w:tblStyleRowBandSize"],
            &["w:tblStyleColBandSize"],
            &["w:tblW"],
            &["w:jc"],
            &["w:tblCellSpacing"],
            &["w:tblInd"],
            &["w:tblBorders"],
            &["w:shd"],
            &["w:tblLayout"],
            &["w:tblCellMar"],
            &["w:tblLook"],
            &["w:tblCaption"],
            &["w:tblDescription"],
            &["w:tblPrChange"],
        ],
        "w:tcPr" => &[
            &["w:cnfStyle"],
            &["w:tcW"],
            &["w:gridSpan"],
            &["w:hMerge"],
            &["w:vMerge"],
            &["w:tcBorders"],
            &["w:shd"],
            &["w:noWrap"],
            &["w:tcMar"],
            &["w:textDirection"],
            &["w:tcFitText"],
            &["w:vAlign"],
            &["w:hideMark"],
            &["w:headers"],
            &["w:cellIns", "w:cellDel", "w:cellMerge"],
            &["w:tcPrChange"],
        ],
        "w:pBdr" => &[
            &["w:top"],
            &["w:left"],
            &["w:bottom"],
            &["w:right"],
            &["w:between"],
            &["w:bar"],
        ],
        "w:tblBorders" | "w:tcBorders" => &[
            &["w:top"],
            &["w:left", "w:start"],
            &["w:bottom"],
            &["w:right", "w:end"],
            &["w:insideH"],
            &["w:insideV"],
            &["w:tl2br"],
            &["w:tr2bl"],
        ],
        "w:tblCellMar" | "w:tcMar" => &[
            &["w:top"],
            &["w:left", "w:start"],
            &["w:bottom"],
            &["w:right", "w:end"],
        ],
        "w:styles" => &[&["w:docDefaults"], &["w:latentStyles"], &["w:style"]],
        "w:docDefaults" => &[&["w:rPrDefault"], &["w:pPrDefault"]],
        "w:style" => &[
            &["w:name"],
            &["w:aliases"],
            &["w:basedOn"],
            &["w:next"],
            &["w:link"],
            &["w:autoRedefine"],
            &["w:hidden"],
            &["w:uiPriority"],
            &["w:semiHidden"],
            &["w:unhideWhenUsed"],
            &["w:qFormat"],
            &["w:locked"],
            &["w:personal"],
            &["w:personalCompose"],
            &["w:personalReply"],
            &["w:rsid"],
            &["w:pPr"],
            &["w:rPr"],
            &["w:tblPr"],
            &["w:trPr"],
            &["w:tcPr"],
            &["w:tblStylePr"],
        ],
        "w:font" => &[
            &["w:altName"],
            &["w:panose1"],
            &["w:charset"],
            &["w:family"],
            &["w:notTrueType"],
            &["w:pitch"],
            &["w:sig"],
            &["w:embedRegular"],
            &["w:embedBold"],
            &["w:embedItalic"],
            &["w:embedBoldItalic"],
        ],
        "w:settings" => SETTINGS,
        _ => return None,
    })
}

/// `w:settings`' children (CT_Settings), the ones of later Word versions (`w14:`, `w15:`) last.
const SETTINGS: &[&[&str]] = &[
    &["w:writeProtection"],
    &["w:view"],
    &["w:zoom"],
    &["w:removePersonalInformation"],
    &["w:removeDateAndTime"],
    &["w:doNotDisplayPageBoundaries"],
    &["w:displayBackgroundShape"],
    &["w:printPostScriptOverText"],
    &["w:printFractionalCharacterWidth"],
    &["w:printFormsData"],
    &["w:embedTrueTypeFonts"],
    &["w:embedSystemFonts"],
    &["w:saveSubsetFonts"],
    &["w:saveFormsData"],
    &["w:mirrorMargins"],
    &["w:alignBordersAndEdges"],
    &["w:bordersDoNotSurroundHeader"],
    &["w:bordersDoNotSurroundFooter"],
    &["w:gutterAtTop"],
    &["w:hideSpellingErrors"],
    &["w:hideGrammaticalErrors"],
    &["w:activeWritingStyle"],
    &["w:proofState"],
    &["w:formsDesign"],
    &["w:attachedTemplate"],
    &["w:linkStyles"],
    &["w:stylePaneFormatFilter"],
    &["w:stylePaneSortMethod"],
    &["w:documentType"],
    &["w:mailMerge"],
    &["w:revisionView"],
    &["w:trackRevisions"],
    &["w:doNotTrackMoves"],
    &["w:doNotTrackFormatting"],
    &["w:documentProtection"],
    &["w:autoFormatOverride"],
    &["w:styleLockTheme"],
    &["w:styleLockQFSet"],
    &["w:defaultTabStop"],
    &["w:autoHyphenation"],
    &["w:consecutiveHyphenLimit"],
    &["w:hyphenationZone"],
    &["w:doNotHyphenateCaps"],
    &["w:showEnvelope"],
    &["w:summaryLength"],
    &["w:clickAndTypeStyle"],
    &["w:defaultTableStyle"],
    &["w:evenAndOddHeaders"],
    &["w:bookFoldRevPrinting"],
    &["w:bookFoldPrinting"],
    &["w:bookFoldPrintingSheets"],
    &["w:drawingGridHorizontalSpacing"],
    &["w:drawingGridVerticalSpacing"],
    &["w:displayHorizontalDrawingGridEvery"],
    &["w:displayVerticalDrawingGridEvery"],
    &["w:doNotUseMarginsForDrawingGridOrigin"],
    &["w:drawingGridHorizontalOrigin"],
    &["w:drawingGridVerticalOrigin"],
    &["w:doNotShadeFormData"],
    &["w:noPunctuationKerning"],
    &["w:characterSpacingControl"],
    &["w:printTwoOnOne"],
    &["w:strictFirstAndLastChars"],
    &["w:noLineBreaksAfter"],
    &["w:noLineBreaksBefore"],
    &["w:savePreviewPicture"],
    &["w:doNotValidateAgainstSchema"],
    &["w:saveInvalidXml"],
    &["w:ignoreMixedContent"],
    &["w:alwaysShowPlaceholderText"],
    &["w:doNotDemarcateInvalidXml"],
    &["w:saveXmlDataOnly"],
    &["w:useXSLTWhenSaving"],
    &["w:saveThroughXslt"],
    &["w:showXMLTags"],
    &["w:alwaysMergeEmptyNamespace"],
    &["w:updateFields"],
    &["w:hdrShapeDefaults"],
    &["w:footnotePr"],
    &["w:endnotePr"],
    &["w:compat"],
    &["w:docVars"],
    &["w:rsids"],
    &["m:mathPr"],
    &["w:attachedSchema"],
    &["w:themeFontLang"],
    &["w:clrSchemeMapping"],
    &["w:doNotIncludeSubdocsInStats"],
    &["w:doNotAutoCompressPictures"],
    &["w:forceUpgrade"],
    &["w:captions"],
    &["w:readModeInkLockDown"],
    &["w:smartTagType"],
    &["sl:schemaLibrary"],
    &["w:shapeDefaults"],
    &["w:doNotEmbedSmartTags"],
    &["w:decimalSymbol"],
    &["w:listSeparator"],
];

/// The place of child `name` in `sequence`: its index; a child of another vocabulary (`w14:`,
/// `w15:`: later Word versions' additions, which the schema lets follow) after every other;
/// an unknown `w:` child (or text) where it stands, after the child before it.
fn place(sequence: &[&[&str]], name: Option<&str>, before: usize) -> usize {
    let Some(name) = name else {
        return before;
    };
    match sequence.iter().position(|names| names.contains(&name)) {
        Some(i) => i,
        None if name.starts_with("w:") => before,
        None => sequence.len(),
    }
}

/// The children element `name` has no place for inside `parent`, which docx-rs writes all the
/// same: a style's paragraph properties (CT_PPrGeneral) have no run properties of a paragraph
/// mark nor a section (docx-rs writes an empty `w:rPr` in each); they are left out.
fn unplaced(name: &str, parent: Option<&str>) -> &'static [&'static str] {
    match (name, parent) {
        ("w:pPr", Some("w:style" | "w:pPrDefault")) => &["w:rPr", "w:sectPr"],
        _ => &[],
    }
}

/// An element being held until its end: its start tag and its children, each with its place.
struct Held {
    start: BytesStart<'static>,
    sequence: Option<&'static [&'static [&'static str]]>,
    /// Children left out (see [`unplaced`]).
    unplaced: &'static [&'static str],
    children: Vec<(usize, Vec<Event<'static>>)>,
}

impl Held {
    /// Adds a child: `events` of the element `name` (or text and the like, `None`).
    fn push(&mut self, name: Option<&str>, events: Vec<Event<'static>>) {
        if name.is_some_and(|n| self.unplaced.contains(&n)) {
            return;
        }
        let before = self.children.last().map_or(0, |(p, _)| *p);
        let place = self.sequence.map_or(before, |s| place(s, name, before));
        self.children.push((place, events));
    }

    /// The element whole, its children in the schema's order (a stable sort: children of one
    /// place keep theirs).
    fn close(mut self, end: Event<'static>) -> Vec<Event<'static>> {
        self.children.sort_by_key(|(place, _)| *place);
        let mut events = Vec::with_capacity(self.children.len() + 2);
        events.push(Event::Start(self.start));
        events.extend(self.children.into_iter().flat_map(|(_, e)| e));
        events.push(end);
        events
    }
}

/// An XML writer that puts the children of every element with a sequence in the schema's
/// order (and drops `w:gridCol`'s `w:type`). Elements without one are written as they come,
/// unless they lie inside one that is held.
pub(crate) struct InSchemaOrder {
    writer: Writer<Vec<u8>>,
    held: Vec<Held>,
}

impl InSchemaOrder {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            writer: Writer::new(Vec::with_capacity(capacity)),
            held: Vec::new(),
        }
    }

    /// Writes `event`, or holds it while an element with a sequence is open.
    pub(crate) fn write(&mut self, event: Event<'_>) -> Result<(), DocxError> {
        match event {
            Event::Start(e) if !self.held.is_empty() || sequence(e.name().as_ref()).is_some() => {
                let sequence = sequence(e.name().as_ref());
                let parent = self.held.last().map(|h| h.start.name());
                let unplaced = unplaced(e.name().as_ref(), parent.as_ref().map(|n| n.as_ref()));
                self.held.push(Held {
                    start: e.into_owned(),
                    sequence,
                    unplaced,
                    children: Vec::new(),
                });
                Ok(())
            }
            Event::End(e) if !self.held.is_empty() => {
                let held = self.held.pop().unwrap_or_else(|| unreachable!());
                let name = held.start.name().as_ref().to_owned();
                self.add(Some(&name), held.close(Event::End(e.into_owned())))
            }
            Event::Empty(e) => {
                let e = schema_attributes(e)?;
                if self.held.is_empty() {
                    return self.writer.write_event(Event::Empty(e)).map_err(xml_error);
                }
                let name = e.name().as_ref().to_owned();
                self.add(Some(&name), vec![Event::Empty(e.into_owned())])
            }
            other if !self.held.is_empty() => self.add(None, vec![other.into_owned()]),
            other => self.writer.write_event(other).map_err(xml_error),
        }
    }

    /// Adds the events of a child (the element `name`, or text) to the element held, or
    /// writes them when none is.
    fn add(&mut self, name: Option<&str>, events: Vec<Event<'static>>) -> Result<(), DocxError> {
        match self.held.last_mut() {
            Some(parent) => {
                parent.push(name, events);
                Ok(())
            }
            None => events
                .into_iter()
                .try_for_each(|e| self.writer.write_event(e).map_err(xml_error)),
        }
    }

    /// The part written.
    pub(crate) fn finish(self) -> Result<Vec<u8>, DocxError> {
        if let Some(open) = self.held.last() {
            return Err(DocxError(format!(
                "XML: <{}> is not closed",
                open.start.name().as_ref()
            )));
        }
        Ok(self.writer.into_inner())
    }
}

/// `e` without the attributes docx-rs writes that the schema has not: `w:type` on a
/// `w:gridCol` (a column's width is always in twips).
fn schema_attributes(e: BytesStart<'_>) -> Result<BytesStart<'_>, DocxError> {
    if e.name().as_ref() != "w:gridCol" {
        return Ok(e);
    }
    let mut out = BytesStart::new("w:gridCol");
    for attribute in e.attributes() {
        let attribute = attribute.map_err(xml_error)?;
        if attribute.key.as_ref() != "w:type" {
            out.push_attribute(attribute);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
