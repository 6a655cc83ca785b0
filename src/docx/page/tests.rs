//! Tests of [`super`].

use super::*;

/// The standard's numbers in Word's units: the values the .docx files have always had.
#[test]
fn the_standards_numbers_in_twips_and_half_points() {
    assert_eq!((PAGE_WIDTH, PAGE_HEIGHT), (11906, 16838));
    assert_eq!((TOP, BOTTOM, LEFT, RIGHT), (2098, 1984, 1587, 1474));
    assert_eq!(
        (BODY_SIZE, SMALL_SIZE, TITLE_SIZE, TITLE_PITCH),
        (32, 28, 44, 716)
    );
}

#[test]
fn twenty_two_lines_of_twenty_eight_characters() {
    let m = Metrics::new(&PageSettings::default());
    assert_eq!(m.pitch, 579);
    assert!(f64::from(m.pitch) * 22.0 <= TYPE_HEIGHT);
    assert_eq!(m.portrait_width, 8845);
    assert_eq!(m.char_width, 315);
    // 28 characters of 16 pt with the body's tracking fit the line; one more does not.
    let advance = 16.0 + f64::from(BODY_TRACKING) / 20.0;
    assert!(28.0 * advance * 20.0 <= f64::from(m.portrait_width));
    assert!(29.0 * advance * 20.0 > f64::from(m.portrait_width));
    // A project's own tighter pitch is kept; a wider one is capped at the grid's.
    let tight = Metrics::new(&PageSettings {
        line_pitch: Some(28.0),
        ..PageSettings::default()
    });
    assert_eq!(tight.pitch, 560);
    let wide = Metrics::new(&PageSettings {
        line_pitch: Some(29.6),
        ..PageSettings::default()
    });
    assert_eq!(wide.pitch, 579);
}
