//! `qingdan check`: validate projects (every unit of a batch) and print every problem, writing
//! nothing. Every document is compiled as `build` would, so what passes here builds.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::cli::CheckArgs;
use crate::cmd::{err, errln, no_projects, outln, project_dirs};
use crate::diag::Diagnostics;
use crate::pipeline::Compiler;
use crate::prepare_projects;
use crate::render::RenderedDocument;

pub fn run(args: &CheckArgs) -> i32 {
    if !args.layout.is_empty() {
        return check_layout(&args.layout);
    }
    let dirs = project_dirs(&args.projects);
    if dirs.is_empty() {
        return no_projects(&args.projects);
    }
    let mut failed = 0;
    let mut projects = Vec::new();
    for dir in &dirs {
        for prepared in prepare_projects(dir) {
            match prepared {
                Ok(project) => {
                    err!("{}", project.warnings);
                    projects.push(project);
                }
                Err(failure) => {
                    failed += 1;
                    err!("{}", failure.diagnostics);
                    let n = failure.diagnostics.error_count();
                    outln!("✗ {}：{n} 个错误 / {n} error(s)", failure.name);
                }
            }
        }
    }
    if projects.is_empty() {
        return i32::from(failed > 0);
    }
    // The documents are compiled as `build` would, and the PDFs dropped: a broken layout
    // template or a body typst cannot lay out is found here, not at the next build.
    let (compiler, warnings) = Compiler::new(&projects, &args.fonts.compile_options(None));
    err!("{warnings}");
    let mut seen = BTreeMap::new();
    for project in &projects {
        let markdown_path =
            |d: &RenderedDocument| PathBuf::from(&project.name).join(format!("{}.md", d.name));
        err!(
            "{}",
            compiler.missing_glyphs(project, &markdown_path, &mut seen)
        );
    }
    let wanted: Vec<Vec<usize>> = projects
        .iter()
        .map(|p| (0..p.documents.len()).collect())
        .collect();
    let results: Mutex<Vec<Option<Diagnostics>>> =
        Mutex::new((0..projects.len()).map(|_| None).collect());
    compiler.compile(
        &projects,
        &wanted,
        &|set| {
            if let Ok(mut results) = results.lock() {
                results[set.project] = Some(set.diagnostics);
            }
        },
        &|| {},
    );
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    for (project, diagnostics) in projects.iter().zip(results) {
        let diagnostics = diagnostics.unwrap_or_default();
        err!("{diagnostics}");
        let n = diagnostics.error_count();
        if n > 0 {
            failed += 1;
            outln!("✗ {}：{n} 个错误 / {n} error(s)", project.name);
        } else {
            outln!("✓ {}：没有发现错误 / no errors", project.name);
        }
    }
    i32::from(failed > 0)
}

/// `qingdan check --layout FILE.pdf …`: one table per PDF; exit 1 when any check fails.
fn check_layout(pdfs: &[std::path::PathBuf]) -> i32 {
    let mut failed = false;
    for pdf in pdfs {
        match crate::conformance::measure(pdf) {
            Ok(checks) => {
                outln!("{}", crate::conformance::report(pdf, &checks));
                failed |= checks.iter().any(|c| !c.pass);
            }
            Err(message) => {
                errln!("错误 / error: {}：{message}", pdf.display());
                failed = true;
            }
        }
    }
    i32::from(failed)
}
