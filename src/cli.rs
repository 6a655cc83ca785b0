//! Command-line interface types (clap derive). Shared flag groups are defined once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// qingdan (清单): leader and task data → Chinese official documents (Markdown, PDF, Word).
#[derive(Debug, Parser)]
#[command(name = "qingdan", version, about, long_about = None)]
pub struct Cli {
    /// What to do; `main` dispatches on it.
    #[command(subcommand)]
    pub command: Command,
}

// clap shows the doc comment of each variant as the subcommand's help, and the `about` of `Cli`
// wins over the doc comment of this enum, so neither of these docs changes `--help`.
/// The subcommands, one function each in [`crate::cmd`].
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build documents (Markdown, PDF and .docx) for project folders.
    Build(BuildArgs),
    /// Check project folders for problems without writing anything.
    Check(CheckArgs),
    /// Start a new project folder from a commented example (or copy out the templates).
    Init(InitArgs),
    /// Report what changed between two versions of a project folder, or between the folder and
    /// an earlier git revision of it (Markdown on stdout).
    Diff(DiffArgs),
    /// A local web page for clerks: see every project, preview and download its documents,
    /// upload a new roster or task sheet, check it and apply it.
    Serve(ServeArgs),
    /// The web page for a clerk: serve the working folder (清单 in your documents folder, made
    /// with an example project on first start) and open it in the browser. A double-click on
    /// qingdan does this.
    Start(StartArgs),
    /// Make a project folder from an existing document (.docx, text, Markdown; .doc, .wps and
    /// .pdf through LibreOffice or pdftotext when installed), with a report of every guess.
    Import(ImportArgs),
}

/// The port of the web page (`serve`, `start`) unless another is asked for.
pub const PORT: u16 = 8371;

/// Which projects to work on.
#[derive(Debug, Args)]
pub(crate) struct ProjectArgs {
    /// Project folders (each holding a qingdan.yaml), or folders to search for them.
    /// Default: every project under ./inputs.
    #[arg(value_name = "PROJECT_DIR")]
    pub(crate) projects: Vec<PathBuf>,
}

/// The arguments of `qingdan build` (its help is the doc of [`Command::Build`]).
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub(crate) projects: ProjectArgs,
    /// Output folder; each project goes into its own subfolder.
    #[arg(short, long, default_value = "output")]
    pub(crate) output: PathBuf,
    #[command(flatten)]
    pub(crate) fonts: FontArgs,
    /// Number of worker threads compiling PDFs and making .docx files (default: number of CPU
    /// cores). Capped at twice the number of cores (a note says so).
    #[arg(short, long)]
    pub(crate) jobs: Option<usize>,
    /// Which files to write for every document, comma-separated: md, pdf, docx (Word / WPS).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "md,pdf,docx")]
    pub(crate) formats: Vec<Format>,
    /// Only write Markdown, no PDF or .docx (the same as --formats md).
    #[arg(long)]
    pub(crate) markdown_only: bool,
    /// Also write each document's Typst source as a folder the typst command-line tool compiles
    /// as it is (`<output>/<project>/typst/<document>/main.typ`, the layout template and
    /// `meta.json`), for inspecting the layout.
    #[arg(long)]
    pub(crate) emit_typst: bool,
    /// Embed the bundled fonts (Fandol 仿宋/楷, Noto CJK SC) in each .docx and name them in
    /// it, for computers without the office fonts (仿宋_GB2312 …). About 18 MB more a file.
    #[arg(long)]
    pub(crate) embed_fonts: bool,
    /// Print how long each stage took (reading and rendering, fonts, markup, planning, PDF,
    /// Word, writing, indexes) after the summary.
    #[arg(long)]
    pub(crate) timings: bool,
}

/// A kind of file `build` writes for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Markdown (.md)
    Md,
    /// GB/T 9704 PDF (.pdf)
    Pdf,
    /// Word / WPS document (.docx)
    Docx,
}

/// Which fonts the PDFs may use.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct FontArgs {
    /// Extra folders with fonts, searched before the system's and the bundled fonts.
    #[arg(long = "font-path", value_name = "DIR")]
    pub(crate) font_paths: Vec<PathBuf>,
    /// Do not use fonts installed on this computer (only --font-path, project and bundled fonts).
    #[arg(long)]
    pub(crate) no_system_fonts: bool,
}

impl FontArgs {
    /// The compile options these flags ask for.
    pub(crate) fn compile_options(&self, jobs: Option<usize>) -> crate::pdf::pool::CompileOptions {
        crate::pdf::pool::CompileOptions {
            font_paths: self.font_paths.clone(),
            system_fonts: !self.no_system_fonts,
            jobs,
        }
    }
}

/// The arguments of `qingdan check` (its help is the doc of [`Command::Check`]).
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub(crate) projects: ProjectArgs,
    /// Also used to compile each document (check compiles every PDF, writing nothing).
    #[command(flatten)]
    pub(crate) fonts: FontArgs,
    /// Instead of checking projects, measure these PDFs against GB/T 9704-2012 (page, type
    /// area, 22-line grid, sizes, page numbers, red banner and rule, 版记 rules, character
    /// grid) and print a pass/fail table. Needs poppler-utils (pdfinfo, pdftotext, pdftohtml)
    /// and, for the banner, rules and grid, mupdf-tools (mutool). A PDF too complex to measure
    /// within the time and output allowed says so.
    #[arg(long, value_name = "PDF", num_args = 1..)]
    pub(crate) layout: Vec<std::path::PathBuf>,
}

/// The arguments of `qingdan init` (its help is the doc of [`Command::Init`]).
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (or to put `templates/` into, with --templates).
    #[arg(value_name = "DIR", default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Copy the built-in templates into DIR/templates/ for editing instead.
    #[arg(long, conflicts_with = "xlsx")]
    pub(crate) templates: bool,
    /// Write a blank spreadsheet to fill in for each attachment kind (责任清单.xlsx,
    /// 任务分工表.xlsx, 安排表.xlsx) into DIR instead: header row, one example row.
    #[arg(long)]
    pub(crate) xlsx: bool,
}

/// Two folders (`OLD_DIR NEW_DIR`), or one folder and a git revision (`--rev REV DIR`).
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier version of the project folder; with --rev, the project folder itself.
    #[arg(value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// The current version of the project folder (not with --rev).
    #[arg(
        value_name = "NEW_DIR",
        required_unless_present = "rev",
        conflicts_with = "rev"
    )]
    pub(crate) new: Option<PathBuf>,
    /// Compare DIR with its own earlier version at this git revision (a commit, tag, HEAD~1 …).
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,
    /// With --rev: compare with DIR at this revision instead of DIR as it is now.
    #[arg(long, value_name = "REV", requires = "rev")]
    pub(crate) to: Option<String>,
}

/// `qingdan serve`: where the projects are, where their outputs go, where to listen.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The folder of project folders to serve (or one project folder).
    #[arg(value_name = "DIR", default_value = "inputs")]
    pub dir: PathBuf,
    /// Output folder; each project goes into its own subfolder. Default: `output` beside DIR
    /// (DIR/../output), where `qingdan build` run beside `inputs/` writes.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The port (0: any free port, printed at start).
    #[arg(long, default_value_t = PORT)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0 for the office network).
    /// The page is then reachable from other computers, under any host name.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::IpAddr>,
    /// Which fonts the previews and PDFs may use, as for `build`.
    #[command(flatten)]
    pub(crate) fonts: FontArgs,
}

/// `qingdan start`: the working folder served, the browser opened at it.
#[derive(Debug, Args)]
pub struct StartArgs {
    /// The working folder: its projects are served and built into its 输出 folder. Default: 清单
    /// in your documents folder (as user-dirs.dirs names it on Linux), or in your home folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The port. When another qingdan page answers on it, the browser is opened there instead;
    /// when something else holds it, any free port is taken.
    #[arg(long, default_value_t = PORT)]
    pub port: u16,
    /// Do not open the browser; only print the address.
    #[arg(long)]
    pub no_browser: bool,
    /// Where what qingdan says is seen, when it was not started from a terminal (set by the
    /// desktop entry and by a double-click).
    #[arg(long, value_enum, hide = true)]
    pub shown_in: Option<ShownIn>,
    /// Which fonts the previews and PDFs may use, as for `build`.
    #[command(flatten)]
    pub(crate) fonts: FontArgs,
}

/// Where a `qingdan start` that no terminal user typed shows what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShownIn {
    /// A window of its own (the desktop entry's terminal, the console Windows opens for a
    /// double-clicked program): closing it stops the page; after an error it waits for Enter.
    Window,
    /// A log file in the working folder (a double-click in a Linux file manager, which gives
    /// the program no window).
    Log,
}

/// The arguments of `qingdan import` (its help is the doc of [`Command::Import`]).
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The document: a .docx, a .txt or .md (UTF-8 or GBK), or `-` for text on standard input.
    /// Several files are read in order as one document (a notice, then its attachment).
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// The project folder to create (it must not exist). Default: inputs/<the document's title>.
    #[arg(short, long, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Print the report and the files that would be written, and write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}
