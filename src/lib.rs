//! qingdan (清单) turns data about an organisation's leaders and assignments into Chinese
//! official documents (公文): a 印发通知, the rules it issues, and attachments such as a
//! 责任清单, a 任务分工表 or an 安排表 — as Markdown, as GB/T 9704-2012 PDF and as .docx.
//!
//! [`build()`] is the whole pipeline as one call: project folders ([`project::Project`]) and
//! [`BuildOptions`] in, files in the output folder and a [`BuildReport`] out, with what it finds
//! told to a [`Reporter`] as it goes. `qingdan build` and `qingdan serve` are two front ends of it;
//! [`build::check`] is the same without writing.
//!
//! The stages, one module each, in order:
//! 1. [`inputs`] — read the YAML manifest, CSV / spreadsheet tables and Markdown as written;
//! 2. [`model`] — validate them into typed documents, collecting every problem ([`diag`]);
//! 3. [`render`] — Tera templates turn the model into Markdown (data escaped automatically);
//! 4. [`document`] — each rendered document read once, with the one configured Markdown reader
//!    ([`markdown`]), into a small typed tree; every layout decision the PDF and the .docx share
//!    (heading levels, chapter headings, title lines, table merges and widths) is taken there;
//!    [`prepare`] runs stages 1–4 for one project (each unit of a batch in turn);
//! 5. [`typst_markup`] — the tree → Typst markup, text escaped; its output is one
//!    [`typst_markup::source::TypstSource`] per document;
//! 6. [`pdf`] — the layout template and typst, in-process, → PDF, many documents at once on
//!    worker threads (`pdf::pool`: fonts loaded once, one engine per layout template); beside
//!    it [`docx`] — the same trees → Word files laid out after GB/T 9704;
//! 7. [`output`] — atomic writes into `output/<project>/`.
//!
//! [`build`] is the whole: it runs the stages on a few document sets at a time, plans what
//! changed, and writes sets all or nothing; [`names`] holds the rule for the file and folder
//! names qingdan writes. Beside the pipeline, as features that use it: [`changes`] and
//! [`gitrev`] (`qingdan diff`), [`conformance`] (`check --layout`), [`serve`] (`qingdan serve`,
//! the web page), [`blank_sheets`] (the spreadsheets to fill in, one per attachment kind),
//! [`import`] (`qingdan import`: an existing document → a project folder, checked by loading
//! it as `build` does; the web page offers it too). [`cli`] and [`cmd`] only turn arguments
//! into calls and print.
//!
//! **The import rule:** a stage imports only from earlier stages, and from the modules below
//! every stage: [`diag`], [`names`], [`project`], and [`markdown`] — the one Markdown dialect,
//! read by the model (the author's body text), the Typst markup and the .docx alike, and
//! written, escaped, by the templates; [`build`] imports the stages; the features import
//! [`build`] and the stages; nothing imports [`cmd`] or [`cli`] but `main`.

pub(crate) mod blank_sheets;
pub mod build;
pub(crate) mod changes;
pub mod cli;
pub mod cmd;
pub mod conformance;
pub mod diag;
pub mod document;
pub mod docx;
pub mod gbt9704;
pub(crate) mod gitrev;
pub mod import;
pub mod inputs;
pub mod markdown;
pub mod model;
pub(crate) mod names;
pub(crate) mod output;
pub mod pdf;
pub mod prepare;
pub mod project;
pub mod render;
pub mod serve;
pub mod typst_markup;

pub use build::{BuildOptions, BuildReport, Formats, Reporter, build};
pub use pdf::pool::CompileOptions;
pub use prepare::{FailedProject, PreparedProject, prepare_project, prepare_projects};
