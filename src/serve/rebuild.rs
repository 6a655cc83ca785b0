//! The one place `qingdan serve` builds: a project into its output folder with
//! [`crate::build::build_with`] — the library call `qingdan build` makes — on the fonts and
//! engines the server keeps. Incremental: documents whose inputs did not change are neither
//! compiled nor rewritten, so after an Apply only the affected documents are. What it finds
//! goes to the server's reporter (standard error, where whoever started it sees it); the pages
//! show the problems from preparing the project.

use crate::build::{BuildOptions, Formats, build_with};

use super::AppState;

/// Builds `project`; whether every unit of it was built and written without error. Blocking.
pub(super) fn build_project(state: &AppState, project: &crate::project::Project) -> bool {
    let options = BuildOptions {
        output: state.options.output.clone(),
        formats: Formats::default(),
        emit_typst: false,
        embed_fonts: false,
        compile: state.options.compile.clone(),
        check: false,
    };
    build_with(
        &state.compiler,
        std::slice::from_ref(project),
        &options,
        state.reporter.as_ref(),
    )
    .success()
}
