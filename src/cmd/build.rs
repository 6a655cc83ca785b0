//! `qingdan build`: every project's documents as Markdown and PDF under the output folder.
//!
//! Projects (and each unit of a batch) are prepared one after another — stages 1–3 are fast —
//! then the PDFs of all of them are compiled by a fixed set of worker threads sharing one font
//! set. A PDF whose inputs have not changed since the last build (same digest, recorded in
//! `.qingdan-state.json` beside the outputs) is not compiled again. A project or unit with errors
//! is reported and skipped; the others are still built, and the exit code says so.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::cli::BuildArgs;
use crate::cmd::{err, errln, no_projects, outln, project_dirs};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::output::{WriteOutcome, write_atomic, write_atomic_unsynced};
use crate::pdf::fonts::{FontOptions, Fonts};
use crate::pdf::{BUILTIN_LAYOUT, PdfEngine, evict_caches};
use crate::render::RenderedDocument;
use crate::{FailedProject, PreparedProject, prepare_projects};

/// The file recording, per PDF, the digest of the inputs it was built from.
const STATE_FILE: &str = ".qingdan-state.json";

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Tally {
    written: usize,
    unchanged: usize,
    failed: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.written += other.written;
        self.unchanged += other.unchanged;
        self.failed += other.failed;
    }

    fn record(&mut self, path: &Path, result: std::io::Result<WriteOutcome>) {
        match result {
            Ok(WriteOutcome::Written) => self.written += 1,
            Ok(WriteOutcome::Unchanged) => self.unchanged += 1,
            Err(e) => {
                self.failed += 1;
                errln!(
                    "错误 / error: {}：无法写入 / cannot write: {e}",
                    path.display()
                );
            }
        }
    }
}

/// One PDF to make.
struct Job<'a> {
    project: usize,
    document: &'a RenderedDocument,
    engine: usize,
    path: PathBuf,
    digest: String,
}

pub fn run(args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let dirs = project_dirs(&args.projects);
    if dirs.is_empty() {
        return no_projects(&args.projects);
    }
    let mut tally = Tally::default();
    let mut projects: Vec<PreparedProject> = Vec::new();
    let mut failures: Vec<FailedProject> = Vec::new();
    for dir in &dirs {
        for prepared in prepare_projects(dir) {
            match prepared {
                Ok(project) => {
                    err!("{}", project.warnings);
                    projects.push(project);
                }
                Err(failed) => {
                    err!("{}", failed.diagnostics);
                    errln!(
                        "✗ {}：未生成 / not built ({} error(s))",
                        failed.name,
                        failed.diagnostics.error_count()
                    );
                    failures.push(failed);
                }
            }
        }
    }
    // Markdown and indexes are written (each file synced to disk) on their own thread while the
    // PDFs compile: the writes wait on the disk, the compiles on the CPU.
    std::thread::scope(|scope| {
        let markdown = scope.spawn(|| {
            let mut tally = Tally::default();
            write_markdown(&args.output, &projects, &mut tally);
            write_indexes(&args.output, &projects, &failures, &mut tally);
            tally
        });
        if !args.markdown_only && !projects.is_empty() {
            build_pdfs(args, &projects, &mut tally);
        }
        match markdown.join() {
            Ok(written) => tally.add(&written),
            Err(_) => tally.failed += 1,
        }
    });
    if projects.len() <= 20 {
        for project in &projects {
            outln!(
                "✓ {} → {}",
                project.dir.display(),
                args.output.join(&project.name).display()
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    outln!(
        "{} 个文件已写入，{} 个未变，{} 个失败；{} 个项目/单位已生成，{} 个有错误；用时 {seconds:.1} 秒",
        tally.written,
        tally.unchanged,
        tally.failed,
        projects.len(),
        failures.len(),
    );
    outln!(
        "{} written, {} unchanged, {} failed; {} project(s)/unit(s) built, {} with errors; {seconds:.1} s",
        tally.written,
        tally.unchanged,
        tally.failed,
        projects.len(),
        failures.len(),
    );
    i32::from(!failures.is_empty() || tally.failed > 0)
}

/// Digests recorded by the previous build of one output folder: file name → (digest, size).
type State = BTreeMap<String, (String, u64)>;

fn read_state(dir: &Path) -> State {
    std::fs::read(dir.join(STATE_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn build_pdfs(args: &BuildArgs, projects: &[PreparedProject], tally: &mut Tally) {
    let mut dirs = args.font_paths.clone();
    let project_dirs: BTreeSet<&PathBuf> = projects.iter().map(|p| &p.dir).collect();
    dirs.extend(project_dirs.iter().map(|d| d.join("fonts")));
    let shared: BTreeSet<PathBuf> = project_dirs
        .iter()
        .flat_map(|d| crate::inputs::manifest::defaults_dirs(d))
        .collect();
    dirs.extend(shared.iter().map(|d| d.join("fonts")));
    let fonts = Arc::new(Fonts::load(&FontOptions {
        dirs,
        system: !args.no_system_fonts,
    }));
    err!("{}", fonts.problems());
    // One engine per distinct layout template; projects without their own share the built-in.
    let mut layouts: Vec<&str> = vec![BUILTIN_LAYOUT];
    let engine_of: Vec<usize> = projects
        .iter()
        .map(|project| {
            let layout = project.layout.as_deref().unwrap_or(BUILTIN_LAYOUT);
            layouts
                .iter()
                .position(|l| *l == layout)
                .unwrap_or_else(|| {
                    layouts.push(layout);
                    layouts.len() - 1
                })
        })
        .collect();
    let engines: Vec<PdfEngine> = layouts
        .iter()
        .map(|l| PdfEngine::new(fonts.clone(), l))
        .collect();
    let mut glyphs_seen: BTreeMap<char, bool> = BTreeMap::new();
    let mut jobs = Vec::new();
    let mut states: Vec<State> = Vec::with_capacity(projects.len());
    for (p, project) in projects.iter().enumerate() {
        report_missing_glyphs(&fonts, project, &args.output, &mut glyphs_seen);
        let out_dir = args.output.join(&project.name);
        let old = read_state(&out_dir);
        let mut state = State::new();
        for document in &project.documents {
            let file = format!("{}.pdf", document.name);
            let path = out_dir.join(&file);
            let digest = match engines[engine_of[p]].digest(document, &project.font_roles) {
                Ok(d) => d,
                Err(e) => {
                    tally.failed += 1;
                    errln!("错误 / error: {}：{e}", path.display());
                    continue;
                }
            };
            let size_now = std::fs::metadata(&path).map(|m| m.len()).ok();
            match old.get(&file) {
                Some((d, size)) if *d == digest && size_now == Some(*size) && !args.emit_typst => {
                    tally.unchanged += 1;
                    state.insert(file, (digest, *size));
                }
                _ => jobs.push(Job {
                    project: p,
                    document,
                    engine: engine_of[p],
                    path,
                    digest,
                }),
            }
        }
        states.push(state);
    }
    let results = compile_all(args, projects, &engines, &jobs);
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok((outcome, size)) => {
                tally.record(&job.path, Ok(outcome));
                let file = format!("{}.pdf", job.document.name);
                states[job.project].insert(file, (job.digest.clone(), size));
            }
            Err(message) => {
                tally.failed += 1;
                errln!(
                    "错误 / error: {}：PDF 生成失败 / PDF failed\n{message}",
                    job.path.display()
                );
            }
        }
    }
    for (project, state) in projects.iter().zip(&states) {
        let path = args.output.join(&project.name).join(STATE_FILE);
        let json = serde_json::to_vec_pretty(state).unwrap_or_default();
        if let Err(e) = write_atomic_unsynced(&path, &json) {
            errln!("警告 / warning: {}：{e}", path.display());
        }
    }
}

/// What compiling one PDF gave: whether the file changed and its size, or why it failed.
type JobResult = Result<(WriteOutcome, u64), String>;

/// At most this many PDF workers per CPU core. Compiling is CPU-bound: a second worker per core
/// keeps the core busy while the first waits for its file to be synced, more only add threads,
/// stacks and per-thread typst caches (`--jobs 1000` on 300 documents took 946 MB).
const MAX_WORKERS_PER_CORE: usize = 2;

/// How many workers compile `documents` PDFs on `cores` cores when `--jobs` asked for
/// `requested`: the cores by default, never more than the documents nor
/// [`MAX_WORKERS_PER_CORE`] per core, at least one.
fn worker_count(requested: Option<usize>, documents: usize, cores: usize) -> usize {
    requested
        .unwrap_or(cores)
        .min(cores.max(1) * MAX_WORKERS_PER_CORE)
        .clamp(1, documents.max(1))
}

/// Compiles the jobs on worker threads, reporting progress; results in job order.
fn compile_all(
    args: &BuildArgs,
    projects: &[PreparedProject],
    engines: &[PdfEngine],
    jobs: &[Job],
) -> Vec<JobResult> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = worker_count(args.jobs, jobs.len(), cores);
    if let Some(asked) = args.jobs.filter(|&n| n > cores * MAX_WORKERS_PER_CORE) {
        errln!(
            "注意 / note: --jobs {asked} 超过上限（{cores} 个 CPU 核 × {MAX_WORKERS_PER_CORE}），只用 {workers} 个 / \
             --jobs {asked} is more than {MAX_WORKERS_PER_CORE} per CPU core ({cores} cores); using {workers}"
        );
    }
    let next = AtomicUsize::new(0);
    let progress = Progress::new(jobs.len());
    let results: Mutex<Vec<Option<JobResult>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let result = compile_one(
                        &engines[job.engine],
                        &projects[job.project],
                        job,
                        args.emit_typst,
                    );
                    evict_caches();
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(result);
                    }
                    progress.tick();
                }
            });
        }
    });
    progress.finish();
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("not compiled".to_owned())))
        .collect()
}

fn compile_one(
    engine: &PdfEngine,
    project: &PreparedProject,
    job: &Job,
    emit_typst: bool,
) -> JobResult {
    if emit_typst {
        let typ = PdfEngine::main_markup(job.document);
        write_atomic(&job.path.with_extension("typ"), typ.as_bytes()).map_err(|e| e.to_string())?;
    }
    let (bytes, warnings) = engine
        .render(job.document, &project.font_roles)
        .map_err(|e| e.to_string())?;
    for warning in warnings {
        errln!("警告 / warning: {}: {warning}", job.path.display());
    }
    let outcome = write_atomic(&job.path, &bytes).map_err(|e| e.to_string())?;
    Ok((outcome, bytes.len() as u64))
}

/// Progress on stderr: a self-updating line with count and time left on a terminal, a plain line
/// every tenth of the way otherwise (logs stay short).
struct Progress {
    total: usize,
    done: AtomicUsize,
    started: Instant,
    terminal: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Self {
            total,
            done: AtomicUsize::new(0),
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.total < 10 {
            return;
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = elapsed / done as f64 * (self.total - done) as f64;
        if self.terminal {
            err!(
                "\rPDF {done}/{} · 还需约 {left:.0} 秒 / about {left:.0} s left   ",
                self.total
            );
        } else if done * 10 / self.total != (done - 1) * 10 / self.total {
            errln!("PDF {done}/{} ({:.0} s)", self.total, elapsed);
        }
    }

    fn finish(&self) {
        if self.terminal && self.total >= 10 {
            errln!();
        }
    }
}

/// Every document's Markdown, beside its PDF.
fn write_markdown(output: &Path, projects: &[PreparedProject], tally: &mut Tally) {
    for project in projects {
        for document in &project.documents {
            let path = output
                .join(&project.name)
                .join(format!("{}.md", document.name));
            tally.record(&path, write_atomic(&path, document.markdown.as_bytes()));
        }
    }
}

/// For batch projects: `索引.md` in the project's output folder, listing every unit and its files.
fn write_indexes(
    output: &Path,
    projects: &[PreparedProject],
    failures: &[FailedProject],
    tally: &mut Tally,
) {
    let mut units: BTreeMap<&str, Vec<(&str, Option<&PreparedProject>)>> = BTreeMap::new();
    for project in projects {
        if let Some((base, unit)) = project.name.split_once('/') {
            units.entry(base).or_default().push((unit, Some(project)));
        }
    }
    for failed in failures {
        if let Some((base, unit)) = failed.name.split_once('/') {
            units.entry(base).or_default().push((unit, None));
        }
    }
    for (base, list) in units {
        let mut text = format!(
            "# {base} 生成索引\n\n共 {} 个单位。\n\n| 单位 | 文件 |\n| --- | --- |\n",
            list.len()
        );
        for (unit, project) in list {
            let cell = match project {
                Some(p) => p
                    .documents
                    .iter()
                    .map(|d| format!("[{0}](<{1}/{0}.md>)、[PDF](<{1}/{0}.pdf>)", d.name, unit))
                    .collect::<Vec<_>>()
                    .join("；"),
                None => "**生成失败**，见 qingdan check 的报告".to_owned(),
            };
            text.push_str(&format!(
                "| {} | {cell} |\n",
                crate::render::escape::escape_markdown(unit)
            ));
        }
        let path = output.join(base).join("索引.md");
        tally.record(&path, write_atomic(&path, text.as_bytes()));
    }
}

/// typst draws a blank box for a character no font has, silently; we say which and where.
/// `seen` remembers each character's verdict across units of a batch.
fn report_missing_glyphs(
    fonts: &Fonts,
    project: &PreparedProject,
    output: &Path,
    seen: &mut BTreeMap<char, bool>,
) {
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
            let missing = line.chars().filter(|&c| {
                *seen
                    .entry(c)
                    .or_insert_with(|| !fonts.missing_chars(&families, &c.to_string()).is_empty())
            });
            for c in missing.collect::<BTreeSet<char>>() {
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
    err!("{diags}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_are_capped_at_the_documents_and_twice_the_cores() {
        // (--jobs, documents, cores) → workers
        let cases = [
            (None, 300, 2, 2),
            (Some(1000), 300, 2, 4),
            (Some(1000), 3, 8, 3),
            (Some(3), 300, 2, 3),
            (Some(0), 300, 2, 1),
            (None, 0, 2, 1),
            (None, 10, 0, 1),
        ];
        for (jobs, documents, cores, want) in cases {
            assert_eq!(
                worker_count(jobs, documents, cores),
                want,
                "{jobs:?} {documents} {cores}"
            );
        }
    }
}
