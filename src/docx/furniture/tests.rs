//! Tests of [`super`].

use super::*;

#[test]
fn long_titles_are_cut_into_even_lines() {
    assert_eq!(
        title_lines("关于安全生产工作的通知"),
        ["关于安全生产工作的通知"]
    );
    assert_eq!(
        title_lines("株洲市教育局关于印发《党政领导干部安全生产责任制实施细则》的通知"),
        [
            "株洲市教育局关于印发《党政领导干部",
            "安全生产责任制实施细则》的通知"
        ]
    );
    // A 《》 cut in the balanced measure stays whole when a wider one costs no line.
    assert_eq!(
        title_lines("株洲市教育局关于印发《安全生产责任清单》的通知的补充通知"),
        [
            "株洲市教育局关于印发《安全生产责任清单》",
            "的通知的补充通知"
        ]
    );
    // No line starts with closing punctuation.
    let lines =
        title_lines("大栗港镇党政领导干部安全生产“党政同责、一岗双责”和“三个必须”的实施意见");
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
