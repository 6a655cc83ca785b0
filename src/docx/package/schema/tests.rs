//! Tests of [`super`].

use quick_xml::Reader;

use super::*;

/// `xml` read and written again through [`InSchemaOrder`].
fn ordered(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let mut out = InSchemaOrder::new(xml.len());
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            event => out.write(event).unwrap(),
        }
    }
    String::from_utf8(out.finish().unwrap()).unwrap()
}

#[test]
fn paragraph_and_run_properties_come_in_the_schemas_order() {
    // As docx-rs writes them: the style after the alignment, the run's fonts after its size,
    // a paragraph mark's properties before the spacing.
    let xml = r#"<w:p><w:pPr><w:rPr><w:sz w:val="32"/><w:rFonts w:eastAsia="黑体"/></w:rPr><w:jc w:val="center"/><w:ind w:left="0"/><w:pStyle w:val="Heading1"/><w:keepNext/></w:pPr><w:r><w:rPr><w:color w:val="FF0000"/><w:sz w:val="44"/><w:rFonts w:ascii="A"/><w:b/></w:rPr><w:t>文</w:t></w:r></w:p>"#;
    assert_eq!(
        ordered(xml),
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:keepNext/><w:ind w:left="0"/><w:jc w:val="center"/><w:rPr><w:rFonts w:eastAsia="黑体"/><w:sz w:val="32"/></w:rPr></w:pPr><w:r><w:rPr><w:rFonts w:ascii="A"/><w:b/><w:color w:val="FF0000"/><w:sz w:val="44"/></w:rPr><w:t>文</w:t></w:r></w:p>"#
    );
}

#[test]
fn a_sections_footer_references_come_first_and_grid_columns_lose_their_type() {
    let xml = r#"<w:body><w:tbl><w:tblPr><w:tblLayout w:type="fixed"/><w:tblW w:w="10" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="10" w:type="dxa"/></w:tblGrid></w:tbl><w:sectPr><w:pgSz w:w="11906"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:docGrid w:type="lines"/><w:footerReference w:type="even" r:id="rIdFooter2"/></w:sectPr></w:body>"#;
    assert_eq!(
        ordered(xml),
        r#"<w:body><w:tbl><w:tblPr><w:tblW w:w="10" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="10"/></w:tblGrid></w:tbl><w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/><w:pgSz w:w="11906"/><w:docGrid w:type="lines"/></w:sectPr></w:body>"#
    );
}

#[test]
fn unknown_children_keep_their_place_and_later_vocabularies_go_last() {
    // An unknown w: child stays after the child before it; a w15: one goes to the end; text
    // stays with what it follows.
    let xml = r#"<w:settings><w15:docId w15:val="1"/><w:defaultTabStop w:val="840"/><w:madeUp/><w:zoom w:percent="100"/></w:settings>"#;
    assert_eq!(
        ordered(xml),
        r#"<w:settings><w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/><w:madeUp/><w15:docId w15:val="1"/></w:settings>"#
    );
    // Elements with no sequence are written as they come.
    let xml = r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr><w:tc/></w:tr>"#;
    assert_eq!(ordered(xml), xml);
}

#[test]
fn a_styles_paragraph_properties_hold_no_run_properties() {
    let xml = r#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:rPr/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style><w:pPr><w:rPr><w:b/></w:rPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:sz w:val="32"/><w:rFonts w:ascii="A"/></w:rPr><w:name w:val="N"/></w:style></w:styles>"#;
    assert_eq!(
        ordered(xml),
        r#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style><w:name w:val="N"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="A"/><w:sz w:val="32"/></w:rPr></w:style></w:styles>"#
    );
}

#[test]
fn an_element_left_open_is_an_error() {
    let mut out = InSchemaOrder::new(0);
    out.write(Event::Start(BytesStart::new("w:pPr"))).unwrap();
    assert!(out.finish().is_err());
}
