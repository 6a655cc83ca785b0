//! `qingdan build`: every project's documents as Markdown, PDF and .docx (`--formats`) under
//! the output folder.
//!
//! Projects (and each unit of a batch) are prepared one after another — stages 1–3 are fast —
//! then the PDFs of all of them are compiled by [`crate::pipeline`]'s worker threads sharing one
//! font set. A PDF whose inputs have not changed since the last build (same digest, recorded in
//! `.qingdan-state.json` beside the outputs) is not compiled again. Each document set is written
//! on its own thread once all its PDFs are made, and only then: a set whose PDF fails keeps its
//! previous files, Markdown included. The .docx files are made on the worker thread that
//! finished the set's PDFs (they need no typst) and go into the same all-or-nothing write, with
//! their own digests in the state file. A project or unit with errors is reported and skipped;
//! the others are still built, and the exit code says so.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use crate::cli::{BuildArgs, Format};
use crate::cmd::{err, errln, no_projects, outln, project_dirs};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::names::collision_key;
use crate::output::{
    WriteOutcome, output_overlaps_input, remove_stale_temporaries, write_atomic,
    write_atomic_unsynced,
};
use crate::pdf::PdfEngine;
use crate::pipeline::{CompiledSet, Compiler};
use crate::{FailedProject, PreparedProject, prepare_projects, project_name};

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

/// Digests recorded by the previous build of one output folder: file name → (digest, size).
type State = BTreeMap<String, (String, u64)>;

fn read_state(dir: &Path) -> State {
    std::fs::read(dir.join(STATE_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// What one project needs compiled, and what its state file will say of the files it skips.
struct Plan {
    wanted: Vec<usize>,
    digests: BTreeMap<usize, String>,
    /// The documents whose .docx is to be made, with their digests.
    docx: Vec<(usize, String)>,
    state: State,
    /// Problems found before compiling (a digest that could not be made).
    diagnostics: Diagnostics,
}

pub fn run(args: &BuildArgs) -> i32 {
    let started = Instant::now();
    let dirs = project_dirs(&args.projects);
    if dirs.is_empty() {
        return no_projects(&args.projects);
    }
    if let Some(project) = output_overlaps_input(&args.output, &dirs) {
        err!("{}", output_on_input(&args.output, project));
        return 1;
    }
    let (dirs, clashes) = distinct_output_folders(dirs);
    let mut failures: Vec<FailedProject> = clashes;
    for failed in &failures {
        err!("{}", failed.diagnostics);
        not_built(&failed.name, failed.diagnostics.error_count());
    }
    let mut projects: Vec<PreparedProject> = Vec::new();
    for dir in &dirs {
        for prepared in prepare_projects(dir) {
            match prepared {
                Ok(project) => {
                    err!("{}", project.warnings);
                    projects.push(project);
                }
                Err(failed) => {
                    err!("{}", failed.diagnostics);
                    not_built(&failed.name, failed.diagnostics.error_count());
                    failures.push(failed);
                }
            }
        }
    }
    for project in &projects {
        remove_stale_temporaries(&args.output.join(&project.name));
    }
    // Every title is cut into words by now; the PDF stage needs the memory more.
    crate::render::title::release_dictionary();
    let compiler = args.wants(Format::Pdf).then(|| {
        let (compiler, warnings) = Compiler::new(&projects, &args.fonts.compile_options(args.jobs));
        err!("{warnings}");
        compiler
    });
    let plans: Vec<Plan> = projects
        .iter()
        .enumerate()
        .map(|(p, project)| plan(args, compiler.as_ref(), p, project))
        .collect();
    if let Some(compiler) = &compiler {
        let mut seen = BTreeMap::new();
        for project in &projects {
            let markdown_path =
                |d: &crate::render::RenderedDocument| markdown_path(&args.output, project, d);
            err!(
                "{}",
                compiler.missing_glyphs(project, &markdown_path, &mut seen)
            );
        }
    }
    let wanted: Vec<Vec<usize>> = plans.iter().map(|p| p.wanted.clone()).collect();
    let (tally, pdf_failed) = compile_and_write(args, compiler.as_ref(), &projects, plans, &wanted);
    let mut tally = tally;
    write_indexes(&args.output, &projects, &failures, &pdf_failed, &mut tally);
    let built = projects.len() - pdf_failed.len();
    if projects.len() <= 20 {
        for (p, project) in projects.iter().enumerate() {
            if !pdf_failed.contains(&p) {
                outln!(
                    "✓ {} → {}",
                    project.dir.display(),
                    args.output.join(&project.name).display()
                );
            }
        }
    }
    let with_errors = failures.len() + pdf_failed.len();
    let seconds = started.elapsed().as_secs_f64();
    outln!(
        "{} 个文件已写入，{} 个未变，{} 个失败；{built} 个项目/单位已生成，{with_errors} 个有错误；用时 {seconds:.1} 秒",
        tally.written,
        tally.unchanged,
        tally.failed,
    );
    outln!(
        "{} written, {} unchanged, {} failed; {built} project(s)/unit(s) built, {with_errors} with errors; {seconds:.1} s",
        tally.written,
        tally.unchanged,
        tally.failed,
    );
    i32::from(with_errors > 0 || tally.failed > 0)
}

fn not_built(name: &str, errors: usize) {
    errln!("✗ {name}：未生成 / not built ({errors} error(s))");
}

/// Compiles the PDFs `wanted`, makes the .docx files each plan asks for, and writes each set as
/// it completes; returns the tally and the projects whose PDFs or .docx failed (nothing of them
/// was written).
fn compile_and_write(
    args: &BuildArgs,
    compiler: Option<&Compiler>,
    projects: &[PreparedProject],
    plans: Vec<Plan>,
    wanted: &[Vec<usize>],
) -> (Tally, BTreeSet<usize>) {
    // Sets are written on their own thread as they complete, each file synced to disk, while
    // the workers compile the next ones: the writes wait on the disk, the compiles on the CPU.
    let docx_wanted: Vec<Vec<(usize, String)>> = plans.iter().map(|p| p.docx.clone()).collect();
    std::thread::scope(|scope| {
        let (send, receive) = mpsc::channel::<(CompiledSet, Vec<DocxResult>)>();
        let writer = scope.spawn(move || {
            let mut tally = Tally::default();
            let mut failed = BTreeSet::new();
            let mut plans: Vec<Option<Plan>> = plans.into_iter().map(Some).collect();
            for (set, docx) in receive {
                let p = set.project;
                if let Some(plan) = plans[p].take()
                    && !write_set(args, &projects[p], plan, set, docx, &mut tally)
                {
                    failed.insert(p);
                }
            }
            (tally, failed)
        });
        let docx_wanted = &docx_wanted;
        let on_set = move |set: CompiledSet| {
            let project = &projects[set.project];
            let docx = docx_wanted[set.project]
                .iter()
                .map(|(d, _)| {
                    let document = &project.documents[*d];
                    (*d, crate::docx::render(document, &project.font_roles))
                })
                .collect();
            // The writer only stops once every sender is gone, so this cannot fail.
            let _ = send.send((set, docx));
        };
        match compiler {
            Some(compiler) => {
                let total = wanted.iter().map(Vec::len).sum();
                if let (workers, true) = compiler.workers(total) {
                    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                    let asked = args.jobs.unwrap_or_default();
                    errln!(
                        "注意 / note: --jobs {asked} 超过上限（{cores} 个 CPU 核 × 2），只用 {workers} 个 / \
                         --jobs {asked} is more than 2 per CPU core ({cores} cores); using {workers}"
                    );
                }
                let progress = Progress::new(total);
                compiler.compile(projects, wanted, &on_set, &|| progress.tick());
                progress.finish();
            }
            None => {
                // No PDFs: the sets still go through `on_set`, which makes their .docx files,
                // on as many threads as there are cores.
                let next = AtomicUsize::new(0);
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                let workers = args.jobs.unwrap_or(cores).clamp(1, cores.max(1));
                std::thread::scope(|inner| {
                    for _ in 0..workers.min(projects.len()) {
                        inner.spawn(|| {
                            loop {
                                let p = next.fetch_add(1, Ordering::Relaxed);
                                if p >= projects.len() {
                                    break;
                                }
                                on_set(CompiledSet {
                                    project: p,
                                    pdfs: Vec::new(),
                                    diagnostics: Diagnostics::new(),
                                });
                            }
                        });
                    }
                });
            }
        }
        drop(on_set);
        writer.join().unwrap_or_else(|_| {
            let mut tally = Tally::default();
            tally.failed += 1;
            (tally, (0..projects.len()).collect())
        })
    })
}

/// Which PDFs of `project` must be compiled: those whose digest differs from the last build's
/// (or whose file is gone); the others keep their state entry.
fn plan(
    args: &BuildArgs,
    compiler: Option<&Compiler>,
    p: usize,
    project: &PreparedProject,
) -> Plan {
    let mut plan = Plan {
        wanted: Vec::new(),
        digests: BTreeMap::new(),
        docx: Vec::new(),
        state: State::new(),
        diagnostics: Diagnostics::new(),
    };
    let out_dir = args.output.join(&project.name);
    let old = read_state(&out_dir);
    // The entries of a format not built this time are kept for the next build that does.
    for (format, ext) in [(Format::Pdf, ".pdf"), (Format::Docx, ".docx")] {
        if !args.wants(format) {
            plan.state.extend(
                old.iter()
                    .filter(|(file, _)| file.ends_with(ext))
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
        }
    }
    if args.wants(Format::Docx) {
        for (d, document) in project.documents.iter().enumerate() {
            let file = format!("{}.docx", document.name);
            let digest = crate::docx::digest(document, &project.font_roles);
            match old.get(&file) {
                Some((recorded, size))
                    if *recorded == digest && file_size(&out_dir.join(&file)) == Some(*size) =>
                {
                    plan.state.insert(file, (digest, *size));
                }
                _ => plan.docx.push((d, digest)),
            }
        }
    }
    let Some(compiler) = compiler else {
        return plan;
    };
    for (d, document) in project.documents.iter().enumerate() {
        let file = format!("{}.pdf", document.name);
        let digest = match compiler.digest(p, project, document) {
            Ok(digest) => digest,
            Err(e) => {
                plan.diagnostics.push(Diagnostic::error(
                    out_dir.join(&file),
                    Location::File,
                    format!("PDF 未生成：{e}"),
                    format!("the PDF was not made: {e}"),
                ));
                continue;
            }
        };
        let size_now = file_size(&out_dir.join(&file));
        match old.get(&file) {
            Some((recorded, size))
                if *recorded == digest && size_now == Some(*size) && !args.emit_typst =>
            {
                plan.state.insert(file, (digest, *size));
            }
            _ => {
                plan.wanted.push(d);
                plan.digests.insert(d, digest);
            }
        }
    }
    plan
}

/// The size of the regular file at `path`, if there is one.
fn file_size(path: &Path) -> Option<u64> {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_file())
        .map(|m| m.len())
}

/// One document's .docx, made beside its PDF: the document's index and the bytes, or why not.
type DocxResult = (usize, Result<Vec<u8>, crate::docx::DocxError>);

/// Writes one compiled set — every Markdown file, every new PDF and .docx, the state — or, when
/// any of its PDFs or .docx failed, nothing at all, so the previous files stay together.
/// Returns whether it was written.
fn write_set(
    args: &BuildArgs,
    project: &PreparedProject,
    plan: Plan,
    set: CompiledSet,
    docx: Vec<DocxResult>,
    tally: &mut Tally,
) -> bool {
    let mut diagnostics = plan.diagnostics;
    diagnostics.extend(set.diagnostics);
    let out_dir = args.output.join(&project.name);
    let mut docx_files = Vec::new();
    for (d, result) in docx {
        let document = &project.documents[d];
        let path = out_dir.join(format!("{}.docx", document.name));
        match result {
            Ok(bytes) => docx_files.push((d, path, bytes)),
            Err(e) => diagnostics.push(Diagnostic::error(
                &path,
                Location::File,
                format!("Word 文档未生成：{e}"),
                format!("the .docx was not made: {e}"),
            )),
        }
    }
    err!("{diagnostics}");
    if diagnostics.has_errors() {
        not_built(&project.name, diagnostics.error_count());
        return false;
    }
    if args.wants(Format::Md) {
        for document in &project.documents {
            let path = markdown_path(&args.output, project, document);
            tally.record(&path, write_atomic(&path, document.markdown.as_bytes()));
        }
    }
    let mut state = plan.state;
    for (d, bytes) in &set.pdfs {
        let document = &project.documents[*d];
        let file = format!("{}.pdf", document.name);
        let path = out_dir.join(&file);
        if args.emit_typst {
            let typ = PdfEngine::main_markup(document);
            let typ_path = path.with_extension("typ");
            tally.record(&typ_path, write_atomic(&typ_path, typ.as_bytes()));
        }
        let result = write_atomic(&path, bytes);
        if result.is_ok()
            && let Some(digest) = plan.digests.get(d)
        {
            state.insert(file, (digest.clone(), bytes.len() as u64));
        }
        tally.record(&path, result);
    }
    let digests: BTreeMap<usize, &String> = plan.docx.iter().map(|(d, h)| (*d, h)).collect();
    for (d, path, bytes) in &docx_files {
        let result = write_atomic(path, bytes);
        if result.is_ok()
            && let (Some(digest), Some(file)) = (digests.get(d), path.file_name())
        {
            state.insert(
                file.to_string_lossy().into_owned(),
                ((*digest).clone(), bytes.len() as u64),
            );
        }
        tally.record(path, result);
    }
    if !args.wants(Format::Pdf) && !args.wants(Format::Docx) {
        return true;
    }
    let path = out_dir.join(STATE_FILE);
    let json = serde_json::to_vec_pretty(&state).unwrap_or_default();
    if let Err(e) = write_atomic_unsynced(&path, &json) {
        errln!("警告 / warning: {}：{e}", path.display());
    }
    true
}

fn markdown_path(
    output: &Path,
    project: &PreparedProject,
    document: &crate::render::RenderedDocument,
) -> PathBuf {
    output
        .join(&project.name)
        .join(format!("{}.md", document.name))
}

/// The error for an output folder that is, contains or lies inside an input project.
fn output_on_input(output: &Path, project: &Path) -> Diagnostic {
    Diagnostic::error(
        output,
        Location::File,
        format!(
            "输出文件夹与项目文件夹 {} 重叠（相同、包含或在其内部），生成的文件会覆盖原始文件；未写入任何文件",
            project.display()
        ),
        format!(
            "the output folder overlaps the project folder {} (is, contains or lies inside it): outputs would overwrite its files; nothing was written",
            project.display()
        ),
    )
    .with_hint(
        "用 -o 指定项目文件夹以外的输出文件夹，例如 -o output",
        "choose an output folder outside the project folders with -o, e.g. -o output",
    )
}

/// The project folders, each once, and a failure for every folder whose output folder (its
/// name) another folder already has: `a/p` and `b/p` would both write `output/p`.
fn distinct_output_folders(dirs: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<FailedProject>) {
    let mut kept: Vec<PathBuf> = Vec::new();
    let mut real: BTreeSet<PathBuf> = BTreeSet::new();
    let mut by_name: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut clashes = Vec::new();
    for dir in dirs {
        if !real.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
            continue;
        }
        let name = project_name(&dir);
        match by_name.get(&collision_key(&name)) {
            Some(first) => {
                let mut diagnostics = Diagnostics::new();
                diagnostics.push(
                    Diagnostic::error(
                        &dir,
                        Location::File,
                        format!(
                            "与项目 {} 同名，两者都会写入输出文件夹“{name}”并互相覆盖；此项目未生成",
                            first.display()
                        ),
                        format!(
                            "has the same name as the project {}: both would be written to the output folder “{name}” and overwrite each other; this one was not built",
                            first.display()
                        ),
                    )
                    .with_hint(
                        "分两次生成，各用一个 -o 输出文件夹，或给其中一个项目文件夹改名",
                        "build them separately, each with its own -o folder, or rename one of the folders",
                    ),
                );
                clashes.push(FailedProject {
                    dir: dir.clone(),
                    name,
                    diagnostics,
                });
            }
            None => {
                by_name.insert(collision_key(&name), dir.clone());
                kept.push(dir);
            }
        }
    }
    (kept, clashes)
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

/// For batch projects: `索引.md` in the project's output folder, listing every unit and its
/// files; a unit that was not built (bad data, or a PDF that failed) is marked so.
fn write_indexes(
    output: &Path,
    projects: &[PreparedProject],
    failures: &[FailedProject],
    pdf_failed: &BTreeSet<usize>,
    tally: &mut Tally,
) {
    let mut units: BTreeMap<&str, Vec<(&str, Option<&PreparedProject>)>> = BTreeMap::new();
    for (p, project) in projects.iter().enumerate() {
        if let Some((base, unit)) = project.name.split_once('/') {
            let built = (!pdf_failed.contains(&p)).then_some(project);
            units.entry(base).or_default().push((unit, built));
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
                    .map(|d| {
                        format!(
                            "[{0}](<{1}/{0}.md>)、[PDF](<{1}/{0}.pdf>)、[Word](<{1}/{0}.docx>)",
                            d.name, unit
                        )
                    })
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
