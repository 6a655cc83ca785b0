use super::*;

/// The pieces of `text` written out: groups in brackets, runs in `{}`, marks and characters as
/// they are.
fn shown(text: &str) -> String {
    pieces(text)
        .iter()
        .map(|piece| match piece {
            Piece::Text(t) => t.to_string(),
            Piece::Group(cells) => {
                let inner: String = cells
                    .iter()
                    .map(|cell| match cell {
                        Cell::Open(c) | Cell::Close(c) => c.to_string(),
                        Cell::Char(c) => c.to_string(),
                        Cell::Run(r) => format!("{{{r}}}"),
                    })
                    .collect();
                format!("[{inner}]")
            }
        })
        .collect()
}

#[test]
fn a_cited_number_is_one_group_with_its_digits_one_run() {
    assert_eq!(
        shown("（株发〔2018〕13号）"),
        "[（株]发[〔{2018}〕]13[号）]"
    );
}

#[test]
fn marks_cling_to_the_character_beside_them() {
    assert_eq!(shown("意见》（株洲，"), "意[见》][（株][洲，]");
    assert_eq!(shown("好。”他说"), "[好。”]他说");
}

#[test]
fn half_width_text_without_full_width_marks_is_left_to_the_line_breaker() {
    assert_eq!(shown("学校(含幼儿园),减轻"), "学校(含幼儿园),减轻");
    assert_eq!(shown("第346号"), "第346号");
}

#[test]
fn half_width_marks_beside_a_group_join_it() {
    assert_eq!(shown("园)，以"), "[园{)}，]以");
    assert_eq!(shown("《(一"), "[《{(}一]");
}

#[test]
fn every_cjk_bracket_is_a_mark() {
    assert_eq!(shown("〈注意〉「甲」"), "[〈注][意〉][「甲」]");
}

#[test]
fn text_round_trips() {
    for text in [
        "（株发〔2018〕13号）",
        "a，b (c)",
        "，，",
        "（",
        "”开头",
        " ，x",
    ] {
        let back: String = pieces(text)
            .iter()
            .map(|piece| match piece {
                Piece::Text(t) => t.to_string(),
                Piece::Group(cells) => cells
                    .iter()
                    .map(|cell| match cell {
                        Cell::Open(c) | Cell::Close(c) => c.to_string(),
                        Cell::Char(c) | Cell::Run(c) => c.to_string(),
                    })
                    .collect(),
            })
            .collect();
        assert_eq!(back, text);
    }
}
