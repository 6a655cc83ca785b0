//! `qingdan diff`: the change report an office reads before re-issuing attachments.

use std::path::Path;

mod common;
use common::{copy_dir, qingdan_ok, repo};

fn diff(old: &Path, new: &Path) -> String {
    let out = qingdan_ok(&[Path::new("diff"), old, new]);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn reports_successions_title_changes_and_moved_duties() {
    let old = repo().join("inputs/zhuzhou-2019");
    let temp = tempfile::tempdir().unwrap();
    let new = temp.path().join("zhuzhou-2019");
    copy_dir(&old, &new);
    let sheet = std::fs::read_to_string(new.join("责任清单.csv")).unwrap();
    // A new 副局长 takes over 吴春雪's post; 赵湘兵 is promoted; 刘永东's last duty goes to 毛大训.
    let mut lines: Vec<String> = sheet
        .replacen("吴春雪,副局长,", "陈新任,副局长,", 1)
        .replacen("赵湘兵,主任督学,", "赵湘兵,副局长,", 1)
        .lines()
        .map(str::to_owned)
        .collect();
    let moved = lines
        .iter()
        .position(|l| l.contains("按照管理权限及时对生产安全事故进行调查"))
        .unwrap();
    let duty = lines.remove(moved);
    let mao = lines.iter().position(|l| l.starts_with("毛大训,")).unwrap();
    lines.insert(mao + 1, duty);
    std::fs::write(new.join("责任清单.csv"), lines.join("\n") + "\n").unwrap();

    let report = diff(&old, &new);
    assert!(
        report.contains("- 接任：陈新任接替吴春雪（副局长），职责不变"),
        "{report}"
    );
    assert!(
        report.contains("- 职务变更：赵湘兵，主任督学 → 副局长"),
        "{report}"
    );
    assert!(
        report.contains("- 职责转移：刘永东 → 毛大训：按照管理权限及时对生产安全事故进行调查"),
        "{report}"
    );
    assert!(
        report.contains("## 受影响的文件 / Affected documents\n\n- 附件-责任清单\n- 全文\n"),
        "{report}"
    );
    assert!(
        !report.contains("实施细则"),
        "the rules did not change:\n{report}"
    );
}

#[test]
fn no_change_says_so() {
    let project = repo().join("inputs/daligang-2019");
    assert!(diff(&project, &project).contains("没有变化"));
}
