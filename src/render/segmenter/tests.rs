//! The segmenter against jieba-rs with its whole dictionary loaded (the tests build jieba-rs
//! with its `default-dict` feature; the binary does not carry that copy).

use super::*;

/// jieba-rs with its own dictionary, as titles were cut before.
fn whole() -> Jieba {
    Jieba::new()
}

fn jieba_ends(jieba: &Jieba, line: &str) -> Vec<usize> {
    jieba
        .cut(line, true)
        .iter()
        .map(|token| token.byte_start + token.word.len())
        .collect()
}

#[test]
fn the_table_is_jiebas_dictionary() {
    let jieba = whole();
    // jieba-rs shows its number of words and their total frequency, and nothing else, in Debug.
    let lines = entries().lines().count();
    assert_eq!(
        format!("{jieba:?}"),
        format!("Jieba {{ records_len: {lines}, total_freq: {} }}", total())
    );
    let mut previous = "";
    let mut sum = 0;
    for line in entries().lines() {
        let (word, frequency) = line.split_once(' ').expect("word frequency");
        assert!(previous.as_bytes() < word.as_bytes(), "{previous} ≥ {word}");
        assert!(jieba.has_word(word), "{word}");
        assert!(word.chars().count() <= LONGEST_WORD, "{word}");
        sum += frequency.parse::<usize>().unwrap();
        previous = word;
    }
    assert_eq!(sum, total());
}

#[test]
fn every_word_is_found_and_nothing_else() {
    for (word, frequency) in [
        ("安全", 9_921),
        ("教育局", 226),
        ("侵华日军南京大屠杀遇难同胞纪念馆", 3),
    ] {
        let found = dictionary_words_in(word);
        assert!(found.contains(&(word, frequency)), "{word}: {found:?}");
    }
    let found = dictionary_words_in("株洲市教育局");
    let words: Vec<&str> = found.iter().map(|(w, _)| *w).collect();
    let jieba = whole();
    for word in &words {
        assert!(jieba.has_word(word));
    }
    for word in ["株洲", "株洲市", "教育", "教育局", "市"] {
        assert!(words.contains(&word), "{word} in {words:?}");
    }
    assert!(dictionary_words_in("").is_empty());
    assert!(dictionary_words_in("\u{E000}").is_empty());
}

/// Every line of the example projects and test fixtures (titles, bodies, sheet rows), and lines
/// made to reach jieba's corners: letters and digits, unknown names (its HMM), punctuation.
fn corpus() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lines: Vec<String> = [
        "株洲市教育局关于印发《党政领导干部安全生产责任制实施细则》的通知",
        "大栗港镇党政领导干部安全生产“党政同责、一岗双责”和“三个必须”的实施意见",
        "郭环球熊丹邝新民同志分管的2019年第3季度GB/T 9704-2012工作（试行）",
        "C++与Rust：qingdan 0.1 的 PDF、DOCX 和 Markdown",
        "侵华日军南京大屠杀遇难同胞纪念馆安全生产责任清单",
        "　　全角空格、\t制表符和\u{E000}私用字符",
        "",
    ]
    .map(str::to_owned)
    .to_vec();
    for folder in ["inputs", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root.join(folder))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let wanted = entry
                .path()
                .extension()
                .is_some_and(|e| e == "md" || e == "yaml" || e == "csv");
            if wanted && let Ok(text) = std::fs::read_to_string(entry.path()) {
                lines.extend(text.lines().map(str::to_owned));
            }
        }
    }
    lines
}

#[test]
fn lines_are_cut_as_jieba_with_its_whole_dictionary_cuts_them() {
    let jieba = whole();
    let lines = corpus();
    assert!(lines.len() > 500, "{}", lines.len());
    // One segmenter for all, as a project's renderer keeps one: what it learnt from earlier
    // lines must not change a later line's cut.
    let kept = Segmenter::new();
    for line in &lines {
        let want = jieba_ends(&jieba, line);
        assert_eq!(kept.word_ends(line), want, "{line}");
        assert_eq!(Segmenter::new().word_ends(line), want, "{line} (alone)");
    }
}
