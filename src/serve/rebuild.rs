//! The one place `qingdan serve` builds: a project into its output folder with
//! [`crate::build::build_with`] — the library call `qingdan build` makes — on the fonts and
//! engines the server keeps. Incremental: documents whose inputs did not change are neither
//! compiled nor rewritten, so after an Apply only the affected documents are.

use crate::build::{BuildOptions, Formats, Reporter, build_with};
use crate::diag::Diagnostics;

use super::AppState;

/// Problems found while building go to the server's standard error, where whoever started it
/// sees them; the pages show them from preparing the project.
struct Log;

impl Reporter for Log {
    fn diagnostics(&self, diagnostics: &Diagnostics) {
        if !diagnostics.is_empty() {
            crate::cmd::write_stderr(format_args!("{diagnostics}"));
        }
    }
}

/// Builds `project`; whether every unit of it was built and written without error. Blocking.
pub fn build_project(state: &AppState, project: &crate::project::Project) -> bool {
    let options = BuildOptions {
        output: state.options.output.clone(),
        formats: Formats::default(),
        emit_typst: false,
        compile: state.options.compile.clone(),
    };
    build_with(
        &state.compiler,
        std::slice::from_ref(project),
        &options,
        &Log,
    )
    .success()
}
