//! qingdan (清单) turns data about an organisation's leaders and assignments into Chinese
//! official documents (公文): a 印发通知, the rules it issues, and attachments such as a
//! 责任清单, a 任务分工表 or an 安排表 — as Markdown, as GB/T 9704-2012 PDF and as .docx.
//!
//! The pipeline, one module per stage:
//! 1. [`inputs`] — read the YAML manifest, CSV / spreadsheet tables and Markdown as written;
//! 2. [`model`] — validate them into typed documents, collecting every problem ([`diag`]);
//! 3. [`render`] — Tera templates turn the model into Markdown (data escaped automatically);
//! 4. [`markdown`] — the one configured Markdown reader;
//! 5. [`typst_markup`] — Markdown → Typst markup, text escaped;
//! 6. [`pdf`] — the layout template and typst, in-process, → PDF; beside it [`docx`] — the same
//!    rendered documents → Word files laid out after GB/T 9704;
//! 7. [`output`] — atomic writes into `output/<project>/`.
//!
//! [`prepare_project`] runs stages 1–3 for one project folder; [`pipeline`] runs 5–6 for many
//! projects at once (fonts loaded once, worker threads) and hands back each document set whole,
//! so `cmd::build` writes a set all or nothing and `cmd::check` compiles without writing.
//! [`names`] holds the rule for the file and folder names qingdan writes.

pub mod changes;
pub mod build;
pub mod cli;
pub mod cmd;
pub mod conformance;
pub mod diag;
pub mod docx;
pub mod gitrev;
pub mod inputs;
pub mod markdown;
pub mod model;
pub mod names;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod prepare;
pub mod project;
pub mod render;
pub mod typst_markup;

pub use build::{BuildOptions, BuildReport, Formats, Reporter, build};
pub use prepare::{FailedProject, PreparedProject, prepare_project, prepare_projects};
