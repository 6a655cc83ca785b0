//! `qingdan build`: every project's documents as Markdown and PDF under the output folder.
//!
//! Projects are prepared (stages 1–3) one after another — that is fast — then all PDFs of all
//! projects are compiled by a fixed set of worker threads sharing one font set. A project with
//! errors is reported and skipped; the others are still built, and the exit code says so.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::cli::BuildArgs;
use crate::cmd::{no_projects, project_dirs};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::output::{WriteOutcome, write_atomic};
use crate::pdf::fonts::{FontOptions, Fonts};
use crate::pdf::{BUILTIN_LAYOUT, PdfEngine, evict_caches};
use crate::render::RenderedDocument;
use crate::{PreparedProject, prepare_project};

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Tally {
    written: usize,
    unchanged: usize,
    failed: usize,
}

impl Tally {
    fn record(&mut self, path: &Path, result: std::io::Result<WriteOutcome>) {
        match result {
            Ok(WriteOutcome::Written) => self.written += 1,
            Ok(WriteOutcome::Unchanged) => self.unchanged += 1,
            Err(e) => {
                self.failed += 1;
                eprintln!(
                    "错误 / error: {}：无法写入 / cannot write: {e}",
                    path.display()
                );
            }
        }
    }
}

/// One PDF to make.
struct Job<'a> {
    project: &'a PreparedProject,
    document: &'a RenderedDocument,
    engine: usize,
    path: PathBuf,
}

pub fn run(args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let dirs = project_dirs(&args.projects);
    if dirs.is_empty() {
        return no_projects(&args.projects);
    }
    let mut tally = Tally::default();
    let mut failed_projects = 0;
    let mut projects = Vec::new();
    for dir in &dirs {
        match prepare_project(dir) {
            Ok(project) => {
                eprint!("{}", project.warnings);
                projects.push(project);
            }
            Err(diags) => {
                failed_projects += 1;
                eprint!("{diags}");
                eprintln!(
                    "✗ {}：未生成 / not built ({} error(s))",
                    dir.display(),
                    diags.error_count()
                );
            }
        }
    }
    for project in &projects {
        for document in &project.documents {
            let path = args
                .output
                .join(&project.name)
                .join(format!("{}.md", document.name));
            tally.record(&path, write_atomic(&path, document.markdown.as_bytes()));
        }
    }
    if !args.markdown_only && !projects.is_empty() {
        build_pdfs(args, &projects, &mut tally);
    }
    for project in &projects {
        println!(
            "✓ {} → {}",
            project.dir.display(),
            args.output.join(&project.name).display()
        );
    }
    println!(
        "{} 个文件已写入，{} 个未变，{} 个失败，{} 个项目有错误；用时 {:.1} 秒 / {} written, {} unchanged, {} failed, {} project(s) with errors, {:.1} s",
        tally.written,
        tally.unchanged,
        tally.failed,
        failed_projects,
        started.elapsed().as_secs_f64(),
        tally.written,
        tally.unchanged,
        tally.failed,
        failed_projects,
        started.elapsed().as_secs_f64(),
    );
    i32::from(failed_projects > 0 || tally.failed > 0)
}

fn build_pdfs(args: &BuildArgs, projects: &[PreparedProject], tally: &mut Tally) {
    let mut dirs = args.font_paths.clone();
    dirs.extend(projects.iter().map(|p| p.dir.join("fonts")));
    let fonts = Arc::new(Fonts::load(&FontOptions {
        dirs,
        system: !args.no_system_fonts,
    }));
    // One engine per distinct layout template; projects without their own share the built-in.
    let mut layouts: Vec<&str> = vec![BUILTIN_LAYOUT];
    let mut jobs = Vec::new();
    for project in projects {
        report_missing_glyphs(&fonts, project, &args.output);
        let layout = project.layout.as_deref().unwrap_or(BUILTIN_LAYOUT);
        let engine = layouts
            .iter()
            .position(|l| *l == layout)
            .unwrap_or_else(|| {
                layouts.push(layout);
                layouts.len() - 1
            });
        for document in &project.documents {
            let path = args
                .output
                .join(&project.name)
                .join(format!("{}.pdf", document.name));
            jobs.push(Job {
                project,
                document,
                engine,
                path,
            });
        }
    }
    let engines: Vec<PdfEngine> = layouts
        .iter()
        .map(|l| PdfEngine::new(fonts.clone(), l))
        .collect();
    let workers = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let shared_tally = Mutex::new(std::mem::take(tally));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = compile_one(&engines[job.engine], job, args.emit_typst);
                    evict_caches();
                    let mut tally = shared_tally.lock().unwrap_or_else(|e| e.into_inner());
                    match result {
                        Ok(outcome) => tally.record(&job.path, Ok(outcome)),
                        Err(message) => {
                            tally.failed += 1;
                            eprintln!(
                                "错误 / error: {}：PDF 生成失败 / PDF failed\n{message}",
                                job.path.display()
                            );
                        }
                    }
                }
            });
        }
    });
    *tally = shared_tally.into_inner().unwrap_or_else(|e| e.into_inner());
}

fn compile_one(engine: &PdfEngine, job: &Job, emit_typst: bool) -> Result<WriteOutcome, String> {
    if emit_typst {
        let typ = PdfEngine::main_markup(job.document);
        write_atomic(&job.path.with_extension("typ"), typ.as_bytes()).map_err(|e| e.to_string())?;
    }
    let (bytes, warnings) = engine
        .render(job.document, &job.project.font_roles)
        .map_err(|e| e.to_string())?;
    for warning in warnings {
        eprintln!("警告 / warning: {}: {warning}", job.path.display());
    }
    write_atomic(&job.path, &bytes).map_err(|e| e.to_string())
}

/// typst draws a blank box for a character no font has, silently; we say which and where.
fn report_missing_glyphs(fonts: &Fonts, project: &PreparedProject, output: &Path) {
    let families: Vec<String> = project
        .font_roles
        .values()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut diags = Diagnostics::new();
    for document in project.documents.iter().filter(|d| d.parts.len() == 1) {
        let path = output
            .join(&project.name)
            .join(format!("{}.md", document.name));
        for (i, line) in document.markdown.lines().enumerate() {
            for c in fonts.missing_chars(&families, line) {
                diags.push(
                    Diagnostic::warning(
                        &path,
                        Location::Line(i + 1),
                        format!(
                            "字符“{c}”（U+{:04X}）没有任何字体可以显示，PDF 中会是空白方框",
                            c as u32
                        ),
                        format!(
                            "no font has “{c}” (U+{:04X}); it would print as an empty box",
                            c as u32
                        ),
                    )
                    .with_hint(
                        "用 --font-path 或项目的 fonts/ 文件夹提供含此字的字体",
                        "add a font that has it with --font-path or the project's fonts/ folder",
                    ),
                );
            }
        }
    }
    eprint!("{diags}");
}
