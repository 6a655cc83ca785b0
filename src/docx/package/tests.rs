//! Tests of the package's post-processing.

use super::*;

#[test]
fn header_rows_are_marked_and_ids_renumbered() {
    let xml = br#"<w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr><w:tr><w:trPr/></w:tr></w:tbl><w:p w14:paraId="0000002A" w:x="1"/><w:p w14:paraId="00000007"><w:r/></w:p>"#;
    let out = String::from_utf8(rewrite_part(xml).unwrap().0).unwrap();
    assert_eq!(
        out,
        r#"<w:tbl><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr></w:tr><w:tr><w:trPr/></w:tr></w:tbl><w:p w14:paraId="00000001" w:x="1"/><w:p w14:paraId="00000002"><w:r/></w:p>"#
    );
}

#[test]
fn paragraph_defaults_keep_punctuation_inside_no_latin_gaps_and_no_widow_control() {
    let xml = br#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:rPr/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:styleId="A"><w:pPr/></w:style></w:styles>"#;
    let out = String::from_utf8(styles_part(xml).unwrap()).unwrap();
    assert_eq!(
        out,
        r#"<w:styles><w:docDefaults><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:styleId="A"><w:pPr/></w:style></w:styles>"#
    );
}

#[test]
fn an_earlier_style_of_the_same_id_is_dropped() {
    let xml = br#"<w:styles><w:style w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:styleId="Title"/><w:style w:styleId="Normal"><w:rPr/></w:style></w:styles>"#;
    let out = String::from_utf8(styles_part(xml).unwrap()).unwrap();
    assert_eq!(
        out,
        r#"<w:styles><w:style w:styleId="Title"/><w:style w:styleId="Normal"><w:rPr/></w:style></w:styles>"#
    );
}

#[test]
fn fonts_are_obfuscated_with_the_keys_bytes_last_to_first() {
    let key = "{00112233-4455-6677-8899-AABBCCDDEEFF}";
    let data = [0u8; 40];
    let out = obfuscate(&data, key).unwrap();
    let reversed: Vec<u8> = (0..16u8).rev().map(|i| i * 0x11).collect();
    assert_eq!(&out[..16], &reversed[..]);
    assert_eq!(&out[16..32], &reversed[..]);
    assert_eq!(&out[32..], &[0u8; 8]);
    // The same operation undoes it.
    assert_eq!(obfuscate(&out, key).unwrap(), data);
    assert!(obfuscate(&data, "{not-a-guid}").is_err());
    // A key is a GUID, the same for the same file.
    let key = font_key(b"font");
    assert_eq!((key.len(), key.matches('-').count()), (38, 4));
    assert_eq!(key, font_key(b"font"));
    assert_ne!(key, font_key(b"other font"));
}

#[test]
fn settings_say_the_fonts_are_embedded_in_the_schemas_place() {
    let xml = br#"<w:settings xmlns:w="w"><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:evenAndOddHeaders /></w:settings>"#;
    let out = String::from_utf8(settings_part(xml, true).unwrap()).unwrap();
    assert_eq!(
        out,
        r#"<w:settings xmlns:w="w"><w:zoom w:percent="100" /><w:embedTrueTypeFonts/><w:defaultTabStop w:val="840" /><w:evenAndOddHeaders /></w:settings>"#
    );
    let types = br#"<Types xmlns="t"><Default Extension="xml"/></Types>"#;
    let out = String::from_utf8(content_types(types, true, false).unwrap()).unwrap();
    assert_eq!(
        out,
        r#"<Types xmlns="t"><Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/><Default Extension="xml"/></Types>"#
    );
}

#[test]
fn landscape_sections_get_their_own_footers() {
    let xml = br#"<w:body><w:p><w:pPr><w:sectPr><w:pgSz w:w="11906"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/></w:sectPr></w:pPr></w:p><w:sectPr><w:pgSz w:w="16838" w:orient="landscape"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/></w:sectPr></w:body>"#;
    let (out, landscape) = rewrite_part(xml).unwrap();
    assert!(landscape);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        // In the schema's order: the references before the size.
        r#"<w:body><w:p><w:pPr><w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/><w:pgSz w:w="11906"/></w:sectPr></w:pPr></w:p><w:sectPr><w:footerReference w:type="default" r:id="rIdFooter3"/><w:footerReference w:type="even" r:id="rIdFooter4"/><w:pgSz w:w="16838" w:orient="landscape"/></w:sectPr></w:body>"#
    );
    for odd in [true, false] {
        let footer = landscape_footer(odd).unwrap();
        let footer = String::from_utf8(footer).unwrap();
        assert!(roxmltree::Document::parse(&footer).is_ok(), "{footer}");
    }
}

#[test]
fn first_line_indents_are_also_given_in_characters() {
    let styles = br#"<w:styles><w:style w:styleId="Normal"><w:pPr><w:ind w:left="0" w:firstLine="630" /></w:pPr></w:style><w:style w:styleId="Title"><w:pPr><w:ind w:firstLine="0"/></w:pPr></w:style></w:styles>"#;
    let out = String::from_utf8(styles_part(styles).unwrap()).unwrap();
    assert_eq!(
        out,
        r#"<w:styles><w:style w:styleId="Normal"><w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:ind w:left="0" w:firstLine="630"  w:firstLineChars="200"/></w:pPr></w:style><w:style w:styleId="Title"><w:pPr><w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr></w:style></w:styles>"#
    );
    // A paragraph's: none or hanging → 0; two characters inherit Normal's; one of its own
    // in characters is kept.
    let document = br#"<w:ind w:firstLine="0"/><w:ind w:left="1890" w:hanging="315"/><w:ind w:left="630" w:firstLine="630"/><w:ind w:hangingChars="100"/>"#;
    let out = String::from_utf8(rewrite_part(document).unwrap().0).unwrap();
    assert_eq!(
        out,
        r#"<w:ind w:firstLine="0" w:firstLineChars="0"/><w:ind w:left="1890" w:hanging="315" w:firstLineChars="0"/><w:ind w:left="630" w:firstLine="630"/><w:ind w:hangingChars="100"/>"#
    );
}

#[test]
fn text_with_markup_characters_survives() {
    let xml = "<w:t>a &lt;b&gt; &amp; “c”</w:t>".as_bytes();
    let (out, landscape) = rewrite_part(xml).unwrap();
    assert!(!landscape);
    assert_eq!(out, xml);
}

#[test]
fn a_part_copied_from_the_memo_is_the_part_deflated_afresh() {
    use std::io::Read;
    let name = "word/memo-test.xml";
    let part = "<w:p>甲乙丙 &amp; 1</w:p>".repeat(200).into_bytes();
    let zip_of = |add_part: &dyn Fn(&mut deflated::Package)| {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        add_part(&mut zip);
        zip.finish().unwrap().into_inner()
    };
    let fresh = zip_of(&|zip| deflated::add_best(zip, name, &part).unwrap());
    let shared = SharedParts::default();
    // The first deflates it into the memo, the second copies it from there.
    for _ in 0..2 {
        let copied = zip_of(&|zip| add_shared(&shared, zip, name, part.clone()).unwrap());
        assert_eq!(copied, fresh);
    }
    let mut archive = ZipArchive::new(Cursor::new(fresh)).unwrap();
    let mut entry = archive.by_name(name).unwrap();
    assert_eq!(entry.last_modified(), Some(DateTime::DEFAULT));
    let mut back = Vec::new();
    entry.read_to_end(&mut back).unwrap();
    assert_eq!(back, part);
}
