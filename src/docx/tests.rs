//! Tests of [`super`].

use super::*;
use crate::render::views::PartView;

/// `document.xml` of the .docx `bytes`, read back with a real zip reader.
fn document_xml(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The text of every `w:t` of `document.xml` in the .docx `bytes`, read with a real XML
/// reader (so the XML must be well-formed).
fn text_of(bytes: &[u8]) -> String {
    let xml = document_xml(bytes);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed document.xml");
    doc.descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|n| n.text())
        .collect()
}

/// One attachment of `body` under `title`, as render gives it.
fn rendered(body: &str, title: &str) -> crate::render::RenderedDocument {
    crate::render::RenderedDocument {
        name: "t".to_owned(),
        parts: vec![PartView {
            kind: "attachment",
            title: title.to_owned(),
            body: body.to_owned(),
            ..PartView::default()
        }],
        colophon: None,
        page: crate::model::PageSettings::default(),
        markdown: String::new(),
    }
}

fn document(body: &str, title: &str) -> Document {
    Document::read(rendered(body, title))
}

#[test]
fn hostile_text_stays_text_in_well_formed_xml() {
    let roles = crate::pdf::fonts::default_roles();
    for text in [
        "a < b & c > d",
        "\"quoted\" 'single' ]]> <!-- -->",
        "<w:t>injected</w:t>",
        "emoji 😀 and 𠀀 (Ext. B)",
        "tab\there",
    ] {
        let bytes = render(
            &document("正文\n", text),
            &roles,
            Embed::None,
            &SharedParts::default(),
        )
        .unwrap();
        assert_eq!(text_of(&bytes), format!("{text}正文"), "{text:?}");
    }
    // Characters XML 1.0 cannot hold (a spreadsheet's vertical tab, a stray bell) must not
    // make the file unreadable: they are dropped.
    let bytes = render(
        &document("正文\n", "甲\u{000B}乙\u{0007}丙"),
        &roles,
        Embed::None,
        &SharedParts::default(),
    )
    .unwrap();
    assert_eq!(text_of(&bytes), "甲乙丙正文");
}

#[test]
fn office_fonts_go_by_their_chinese_names() {
    assert_eq!(FontName::of("FangSong_GB2312").name, "仿宋_GB2312");
    assert_eq!(
        FontName::of("方正小标宋简体").alt.as_deref(),
        Some("FZXiaoBiaoSong-B05S")
    );
    assert_eq!(FontName::of("LXGW WenKai").name, "LXGW WenKai");
    let fonts = DocxFonts::from_roles(&crate::pdf::fonts::default_roles());
    assert_eq!(fonts.heiti.name, "黑体");
    assert_eq!(fonts.title.name, "方正小标宋简体");
}

#[test]
fn embedding_names_each_roles_first_bundled_family() {
    let mut roles = crate::pdf::fonts::default_roles();
    let fonts = DocxFonts::for_roles(&roles, Embed::Bundled);
    let named = |f: &FontName| (f.name.clone(), f.bold, f.embedded);
    assert_eq!(
        named(&fonts.fangsong),
        ("FandolFang R".into(), false, Some(0))
    );
    assert_eq!(named(&fonts.kaiti), ("FandolKai".into(), false, Some(1)));
    assert_eq!(
        named(&fonts.heiti),
        ("Noto Sans CJK SC".into(), false, Some(4))
    );
    assert_eq!(
        named(&fonts.songti),
        ("Noto Serif CJK SC".into(), false, Some(2))
    );
    assert_eq!(
        named(&fonts.title),
        ("Noto Serif CJK SC".into(), true, Some(3))
    );
    // A project's choice: the first bundled family of its list; a list without one keeps
    // its named font, not embedded.
    roles.insert(
        "仿宋".into(),
        vec!["仿宋_GB2312".into(), "noto serif cjk sc".into()],
    );
    roles.insert("楷体".into(), vec!["LXGW WenKai".into()]);
    let fonts = DocxFonts::for_roles(&roles, Embed::Bundled);
    assert_eq!(
        named(&fonts.fangsong),
        ("Noto Serif CJK SC".into(), false, Some(2))
    );
    assert_eq!(named(&fonts.kaiti), ("LXGW WenKai".into(), false, None));
    assert_eq!(
        DocxFonts::for_roles(&roles, Embed::None).fangsong.embedded,
        None
    );
}

/// The `w:p` elements of `document.xml` in the .docx `bytes` whose text starts with `start`:
/// each its spacing's `w:line` and its runs' `w:sz` values.
fn paragraphs_starting(bytes: &[u8], start: &str) -> Vec<(Option<String>, Vec<String>)> {
    let xml = document_xml(bytes);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    doc.descendants()
        .filter(|n| n.has_tag_name((w, "p")))
        .filter(|p| {
            let text: String = p
                .descendants()
                .filter(|n| n.has_tag_name((w, "t")))
                .filter_map(|n| n.text())
                .collect();
            text.starts_with(start)
        })
        .map(|p| {
            let line = p
                .children()
                .find(|n| n.has_tag_name((w, "pPr")))
                .and_then(|ppr| ppr.children().find(|n| n.has_tag_name((w, "spacing"))))
                .and_then(|s| s.attribute((w, "line")))
                .map(str::to_owned);
            let sizes = p
                .children()
                .filter(|n| n.has_tag_name((w, "r")))
                .filter_map(|r| {
                    r.descendants()
                        .find(|n| n.has_tag_name((w, "sz")))
                        .and_then(|s| s.attribute((w, "val")))
                        .map(str::to_owned)
                })
                .collect();
            (line, sizes)
        })
        .collect()
}

#[test]
fn chapter_headings_take_the_size_a_project_asks_for_on_whole_grid_lines() {
    let roles = crate::pdf::fonts::default_roles();
    let body = "# 第一章　总则\n\n第一条　正文。\n";
    let read = |style, chapter_size| {
        let mut rendered = rendered(body, "实施细则");
        rendered.parts[0].style = style;
        rendered.page.chapter_size = chapter_size;
        Document::read(rendered)
    };
    let articles = Some(crate::model::BodyStyle::Articles);
    let pitch = page::Metrics::new(&read(articles, None).page).pitch;
    // The body's 3号 by default: the heading style's size and spacing, none of its own.
    let bytes = render(
        &read(articles, None),
        &roles,
        Embed::None,
        &SharedParts::default(),
    )
    .unwrap();
    assert_eq!(
        paragraphs_starting(&bytes, "第一章"),
        vec![(None, Vec::<String>::new())]
    );
    for (size, half_points, lines) in [(18.0, "36", 1), (22.0, "44", 2)] {
        let bytes = render(
            &read(articles, Some(size)),
            &roles,
            Embed::None,
            &SharedParts::default(),
        )
        .unwrap();
        assert_eq!(
            paragraphs_starting(&bytes, "第一章"),
            vec![(
                Some((lines * pitch).to_string()),
                vec![half_points.to_owned()]
            )],
            "{size} pt"
        );
        // Articles keep the body's size.
        assert_eq!(
            paragraphs_starting(&bytes, "第一条"),
            vec![(None, Vec::<String>::new())]
        );
    }
    // Only a 细则's chapters: an 意见's 一、 headings keep the body's size.
    let bytes = render(
        &read(None, Some(22.0)),
        &roles,
        Embed::None,
        &SharedParts::default(),
    )
    .unwrap();
    assert_eq!(
        paragraphs_starting(&bytes, "第一章"),
        vec![(None, Vec::<String>::new())]
    );
}

#[test]
fn the_colophon_follows_the_notice_when_the_project_asks() {
    let roles = crate::pdf::fonts::default_roles();
    let notice = PartView {
        kind: "notice",
        title: "关于印发清单的通知".to_owned(),
        body: "现印发给你们。\n".to_owned(),
        ..PartView::default()
    };
    let mut rendered = rendered("| 姓名 |\n| --- |\n| 甲 |\n", "责任清单");
    rendered.parts.insert(0, notice);
    rendered.colophon = Some(crate::render::views::ColophonView {
        cc: Some("市安委办。".to_owned()),
        ..Default::default()
    });
    let order = |after_notice: bool| {
        let mut rendered = rendered.clone();
        rendered.page.colophon_after_notice = after_notice;
        let text = text_of(
            &render(
                &Document::read(rendered),
                &roles,
                Embed::None,
                &SharedParts::default(),
            )
            .unwrap(),
        );
        (text.find("抄送").unwrap(), text.find("责任清单").unwrap())
    };
    let (cc, list) = order(false);
    assert!(cc > list, "the 版记 closes the document");
    let (cc, list) = order(true);
    assert!(
        cc < list,
        "版记位置: 通知后 puts it after the notice, as in the PDF"
    );
}
