//! `check` as a library call: every step of [`super::build`] but the writing — the same
//! preparation, the missing-glyph report and the same compile of every document, a failing
//! user `gongwen.typ` included — so that what passes here builds.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::{Reporter, font_folders};
use crate::diag::Diagnostics;
use crate::document::Document;
use crate::pipeline::{CompileOptions, Compiler, Job};
use crate::prepare_projects;
use crate::project::Project;

/// The verdict on one project or unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// `<project>` or `<project>/<unit>`.
    pub name: String,
    /// How many errors it has; 0 means `build` would write it.
    pub errors: usize,
}

/// Checks `projects`, reporting every problem; returns each project's and unit's verdict in
/// the order they were found (those failing preparation first, as they are found).
pub fn check(
    projects: &[Project],
    options: &CompileOptions,
    reporter: &dyn Reporter,
) -> Vec<Checked> {
    let mut verdicts = Vec::new();
    let mut prepared = Vec::new();
    for project in projects {
        for result in prepare_projects(&Arc::new(project.clone())) {
            match result {
                Ok(set) => {
                    reporter.diagnostics(&set.warnings);
                    prepared.push(set);
                }
                Err(failure) => {
                    reporter.diagnostics(&failure.diagnostics);
                    verdicts.push(Checked {
                        name: failure.name,
                        errors: failure.diagnostics.error_count(),
                    });
                }
            }
        }
    }
    if prepared.is_empty() {
        return verdicts;
    }
    let (compiler, warnings) = Compiler::new(&font_folders(&prepared), options);
    reporter.diagnostics(&warnings);
    let mut seen = BTreeMap::new();
    for project in &prepared {
        let markdown_path =
            |d: &Document| PathBuf::from(&project.name).join(format!("{}.md", d.name));
        reporter.diagnostics(&compiler.missing_glyphs(project, &markdown_path, &mut seen));
    }
    let mut before = Vec::new();
    let jobs: Vec<Vec<Job>> = prepared
        .iter()
        .map(|project| {
            let mut problems = Diagnostics::new();
            let jobs = compiler
                .sources(project)
                .into_iter()
                .enumerate()
                .filter_map(|(d, source)| match source {
                    Ok(source) => Some((d, source)),
                    Err(e) => {
                        problems.push(crate::diag::Diagnostic::error(
                            PathBuf::from(&project.name)
                                .join(format!("{}.pdf", project.documents[d].name)),
                            crate::diag::Location::File,
                            format!("PDF 未生成：{e}"),
                            format!("the PDF was not made: {e}"),
                        ));
                        None
                    }
                })
                .collect();
            before.push(problems);
            jobs
        })
        .collect();
    let results: Mutex<Vec<Diagnostics>> = Mutex::new(before);
    compiler.compile(
        &prepared,
        jobs,
        &|set| {
            if let Ok(mut results) = results.lock() {
                results[set.project].extend(set.diagnostics);
            }
        },
        &|| {},
    );
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    for (project, diagnostics) in prepared.iter().zip(results) {
        reporter.diagnostics(&diagnostics);
        verdicts.push(Checked {
            name: project.name.clone(),
            errors: diagnostics.error_count(),
        });
    }
    verdicts
}
