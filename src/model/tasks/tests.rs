//! Tests of [`super`] (tasks).

use super::*;
use crate::inputs::parse_csv;

fn build(csv: &str) -> (Option<TaskTable>, Diagnostics) {
    let sheet = parse_csv(Path::new("分工.csv"), csv).unwrap();
    let mut diags = Diagnostics::new();
    let table = build_tasks(Path::new("分工.csv"), &sheet, &BTreeMap::new(), &mut diags);
    (table, diags)
}

const HEADER: &str = "类别,措施,具体工作,责任单位,完成时限\n";

#[test]
fn measures_number_across_categories_and_tasks_restart() {
    let csv = format!(
        "{HEADER}严格落实,树牢理念,甲,教育局,长期坚持\n,,乙,教育局,长期坚持\n,加强领导,丙,各校,立即整改\n全面落实,三管三必须,丁,各校,9月底前完成\n"
    );
    let (table, diags) = build(&csv);
    let table = table.unwrap();
    assert!(diags.is_empty(), "{diags}");
    assert_eq!(table.categories[1].heading, "二、全面落实");
    assert_eq!(
        table.categories[1].measures[0].headings,
        ["（三）三管三必须"]
    );
    let labels: Vec<_> = table.categories[0].measures[0]
        .tasks
        .iter()
        .map(|t| &t.label)
        .collect();
    assert_eq!(labels, ["1.", "2."]);
    assert_eq!(table.categories[0].measures[1].tasks[0].label, "1.");
}

#[test]
fn each_unit_gets_its_tasks_with_group_names_expanded() {
    let csv = format!(
        "{HEADER}甲,理念,任务一,教育局、各校,长期坚持\n,,任务二,各校,立即整改\n,领导,任务三,教育局,9月底前完成\n"
    );
    let table = build(&csv).0.unwrap();
    let expand = BTreeMap::from([(
        "各校".to_owned(),
        vec!["一中".to_owned(), "二中".to_owned()],
    )]);
    let lists = per_unit_lists(&table, &expand);
    let summary: Vec<(&str, usize)> = lists
        .iter()
        .map(|l| (l.unit.as_str(), l.tasks.len()))
        .collect();
    assert_eq!(summary, [("教育局", 2), ("一中", 2), ("二中", 2)]);
    assert_eq!(lists[0].tasks[1].measure, "（二）领导");
    assert_eq!(lists[1].tasks[1].deadline, "立即整改");
}

#[test]
fn a_multi_line_measure_takes_one_number_per_line() {
    let csv = format!(
        "{HEADER}甲,\"理直气壮检查\n提升能力\",任务,教育局,长期坚持\n,下一项,任务,教育局,长期坚持\n"
    );
    let table = build(&csv).0.unwrap();
    let measures = &table.categories[0].measures;
    assert_eq!(
        measures[0].headings,
        ["（一）理直气壮检查", "（二）提升能力"]
    );
    assert_eq!(measures[1].headings, ["（三）下一项"]);
}

#[test]
fn empty_required_cells_are_reported_with_row_and_column() {
    let csv = format!("{HEADER},,任务,教育局,长期坚持\n甲,乙,,,\n");
    let (table, diags) = build(&csv);
    assert!(table.is_none());
    let text = diags.to_string();
    assert!(
        text.contains("第2行，“类别”列") && text.contains("第一行任务缺少类别"),
        "{text}"
    );
    assert!(text.contains("第3行，“具体工作”列"), "{text}");
}
