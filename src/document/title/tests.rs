//! Tests of [`super`].

use super::*;
use crate::render::segmenter::Segmenter;

#[test]
fn titles_not_cut_into_words_are_cut_into_even_lines_by_characters() {
    assert_eq!(
        character_lines("关于安全生产工作的通知"),
        ["关于安全生产工作的通知"]
    );
    assert_eq!(
        character_lines("株洲市教育局关于印发《党政领导干部安全生产责任制实施细则》的通知"),
        [
            "株洲市教育局关于印发《党政领导干部",
            "安全生产责任制实施细则》的通知"
        ]
    );
    // A 《》 cut in the balanced measure stays whole when a wider one costs no line.
    assert_eq!(
        character_lines("株洲市教育局关于印发《安全生产责任清单》的通知的补充通知"),
        [
            "株洲市教育局关于印发《安全生产责任清单》",
            "的通知的补充通知"
        ]
    );
    // No line starts with closing punctuation.
    let lines =
        character_lines("大栗港镇党政领导干部安全生产“党政同责、一岗双责”和“三个必须”的实施意见");
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with(['，', '、', '”', '》'])),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines.concat(),
        "大栗港镇党政领导干部安全生产“党政同责、一岗双责”和“三个必须”的实施意见"
    );
}

/// `title`'s lines, cut into words as the pipeline cuts it.
fn lines(title: &str) -> Vec<String> {
    let cut = crate::render::title::words(
        &Segmenter::new(),
        &[title.to_owned()],
        &["株洲市教育局", "大栗港镇"],
    );
    title_lines(title, &cut).texts()
}

#[test]
fn titles_break_between_words_into_even_lines_as_in_the_pdf() {
    assert_eq!(lines("关于安全生产工作的通知"), ["关于安全生产工作的通知"]);
    // The lines pdftotext reads from the example PDFs' titles.
    assert_eq!(
        lines("株洲市教育局关于印发《党政领导干部安全生产责任制实施细则》的通知"),
        [
            "株洲市教育局关于印发《党政领导干部",
            "安全生产责任制实施细则》的通知"
        ]
    );
    assert_eq!(
        lines("株洲市教育局党政领导干部安全生产责任制实施细则"),
        ["株洲市教育局党政领导干部", "安全生产责任制实施细则"]
    );
    // By characters, this one's first line would end in 安全生产“党 and cut a word.
    let title = "大栗港镇党政领导干部安全生产“党政同责、一岗双责”和“三个必须”的实施意见";
    let broken = lines(title);
    assert_eq!(broken.concat(), title);
    assert_eq!(broken.len(), 2, "{broken:?}");
    let cut = crate::render::title::words(&Segmenter::new(), &[title.to_owned()], &["大栗港镇"]);
    let mut at = 0;
    let boundaries: Vec<usize> = cut
        .words
        .iter()
        .map(|w| {
            at += w.len();
            at
        })
        .collect();
    assert!(
        boundaries.contains(&broken[0].len()),
        "{broken:?} breaks inside a word of {:?}",
        cut.words
    );
    // A break the author wrote is kept, the lines not rebalanced.
    let cut = crate::render::title::words(
        &Segmenter::new(),
        &[
            "株洲市教育局".to_owned(),
            "关于安全生产工作的通知".to_owned(),
        ],
        &["株洲市教育局"],
    );
    assert_eq!(
        title_lines("株洲市教育局关于安全生产工作的通知", &cut).texts(),
        ["株洲市教育局", "关于安全生产工作的通知"]
    );
    // A word wider than a line is broken by characters.
    let long = "安".repeat(25);
    let cut = crate::render::title::TitleWords {
        words: vec![long.clone()],
        groups: Vec::new(),
    };
    assert_eq!(title_lines(&long, &cut).texts().concat(), long);
    assert!(
        title_lines(&long, &cut)
            .texts()
            .iter()
            .all(|l| text_width(l) <= 20.0)
    );
}
