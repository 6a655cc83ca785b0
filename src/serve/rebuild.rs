//! The one place `qingdan serve` builds: a project into its output folder, as `qingdan build`
//! would (incremental: documents whose inputs did not change are not compiled or rewritten, so
//! after an Apply only the affected documents are). Problems are reported on the server's
//! standard error, as the command would; the pages show them from preparing the project.

use std::path::Path;

use crate::cli::{BuildArgs, FontArgs, Format, ProjectArgs};

use super::AppState;

/// Builds the project in `dir`; whether every unit of it was built without error. Blocking.
pub fn build_project(state: &AppState, dir: &Path) -> bool {
    let options = &state.options;
    let args = BuildArgs {
        projects: ProjectArgs {
            projects: vec![dir.to_path_buf()],
        },
        output: options.output.clone(),
        fonts: FontArgs {
            font_paths: options.compile.font_paths.clone(),
            no_system_fonts: !options.compile.system_fonts,
        },
        jobs: options.compile.jobs,
        formats: vec![Format::Md, Format::Pdf, Format::Docx],
        markdown_only: false,
        emit_typst: false,
    };
    crate::cmd::build::run(&args) == 0
}
