//! Tests of [`super`].

use super::*;

#[test]
fn the_bundled_set_covers_every_role_and_rare_name_characters() {
    let fonts = Fonts::load(&FontOptions::default());
    for (role, families) in default_roles() {
        let missing = fonts.missing_chars(
            &families,
            "株洲市教育局〔2019〕12号（一）、“党政同责”—★堃喆昇镕",
        );
        assert!(missing.is_empty(), "{role} lacks {missing:?}");
    }
}

#[test]
fn a_chosen_role_replaces_the_default_and_the_others_stay() {
    let chosen = BTreeMap::from([("仿宋".to_owned(), vec!["仿宋_GB2312".to_owned()])]);
    let roles = roles_for(&chosen);
    assert_eq!(roles["仿宋"], ["仿宋_GB2312"]);
    assert_eq!(roles["黑体"], default_roles()["黑体"]);
    assert_eq!(roles.len(), default_roles().len());
    assert_eq!(roles_for(&BTreeMap::new()), default_roles());
}

#[test]
fn reports_characters_no_font_has() {
    let fonts = Fonts::load(&FontOptions::default());
    // U+2A6D6 is in CJK Extension B, outside the bundled subset.
    assert_eq!(
        fonts.missing_chars(&default_roles()["仿宋"], "王\u{2A6D6}"),
        ['\u{2A6D6}']
    );
}

#[test]
fn a_damaged_font_file_is_named_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let whole = BUNDLED[0].data;
    std::fs::write(dir.path().join("好.otf"), whole).unwrap();
    // (file, contents): truncated to a tenth, cut inside the table directory, not a font.
    let bad: [(&str, &[u8]); 3] = [
        ("截断.otf", &whole[..whole.len() / 10]),
        ("表头.ttf", &whole[..40]),
        ("改名.TTC", b"ttcf\0\x01\0\0\0\0\0\x01 not a collection"),
    ];
    for (name, bytes) in bad {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let fonts = Fonts::load(&FontOptions {
        dirs: vec![dir.path().to_path_buf()],
        system: false,
    });
    let warnings: Vec<String> = fonts.problems().iter().map(|d| d.to_string()).collect();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    for (name, _) in bad {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(name) && w.contains("falls back")),
            "{name}: {warnings:#?}"
        );
    }
    assert!(warnings.iter().all(|w| !w.contains("好.otf")));
}

#[test]
fn a_system_copy_of_a_bundled_family_comes_after_the_bundled_face() {
    // A face of another design filed under a bundled family's name, as the system's whole Noto
    // CJK collection would be: typst must still take the bundled face, and the system's only
    // for what the subset lacks.
    let bundled = BUNDLED
        .iter()
        .position(|f| f.family == "Noto Serif CJK SC" && !f.bold)
        .unwrap();
    let other = Font::new(Bytes::new(BUNDLED[0].data), 0).unwrap();
    let mut info = other.info().clone();
    info.family = "Noto Serif CJK SC".to_owned();
    let fonts = Fonts::with_system(&[], [(other.clone(), info)]);

    let chosen = fonts
        .book()
        .select("noto serif cjk sc", typst::text::FontVariant::default())
        .and_then(|index| fonts.font(index))
        .unwrap();
    let ours = Font::new(Bytes::new(BUNDLED[bundled].data), 0).unwrap();
    assert_eq!(chosen.info(), ours.info(), "the bundled face is chosen");
    assert_ne!(chosen.info().coverage, other.info().coverage);

    let families = default_roles()["宋体"].clone();
    assert_eq!(
        fonts.available(&families),
        ["Noto Serif CJK SC", "Noto Serif CJK SC (system copy)"],
        "the copy follows the bundled family"
    );
    // Other families keep their names: a system 仿宋_GB2312 stays first in its role.
    let other_family = Font::new(Bytes::new(BUNDLED[0].data), 0).unwrap();
    let mut info = other_family.info().clone();
    info.family = "仿宋_GB2312".to_owned();
    let fonts = Fonts::with_system(&[], [(other_family, info)]);
    assert_eq!(
        fonts.available(&default_roles()["仿宋"]),
        ["仿宋_GB2312", "FandolFang R", "Noto Serif CJK SC"]
    );
}
