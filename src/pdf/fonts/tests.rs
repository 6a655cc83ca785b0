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
fn the_system_s_copies_of_bundled_families_are_left_out() {
    // A system with a copy of the bundled Noto Sans CJK SC, as fonts-noto-cjk installs a bigger
    // one, and a font of another family (the same file, renamed: Toto Sans CJK SC).
    let noto = BUNDLED
        .iter()
        .find(|f| f.family == "Noto Sans CJK SC")
        .unwrap()
        .data;
    let renamed = rename(noto, "Noto", "Toto");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("NotoSansCJK-Regular.otf"), noto).unwrap();
    std::fs::write(dir.path().join("TotoSans.otf"), &renamed).unwrap();
    let mut system = fontdb::Database::new();
    system.load_fonts_dir(dir.path());
    assert_eq!(system.faces().count(), 2);

    let faces = system_faces(&system);
    let families: Vec<&str> = faces.iter().map(|(_, info)| info.family.as_str()).collect();
    assert_eq!(families, ["Toto Sans CJK SC"]);
    assert!(faces[0].0.path.ends_with("TotoSans.otf"));
}

/// `font` with every name `from` (as UTF-16 in the name table, and as bytes) made `to`, which
/// must be as long.
fn rename(font: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut font = font.to_vec();
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_be_bytes).collect() };
    for (from, to) in [(utf16(from), utf16(to)), (from.into(), to.into())] {
        let mut at = 0;
        while let Some(found) = font[at..].windows(from.len()).position(|w| w == from) {
            font[at + found..at + found + to.len()].copy_from_slice(&to);
            at += found + to.len();
        }
    }
    font
}
