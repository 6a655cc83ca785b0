//! qingdan's integration tests, one module per concern, in one test crate so that typst and the
//! library are linked into one test executable instead of one per file (linking is the costliest
//! step of `cargo test` after a change on a small machine). Run one module with a name filter,
//! e.g. `cargo test --test testsuite errors::`. The reviewed snapshots (each bad fixture's
//! `expected.stderr`, `tests/expected/`) are rewritten with `SNAPSHOTS=overwrite` (see
//! `snapshots::differs`).
//!
//! All tests run in this one process, as many at a time as there are cores, where each file's
//! binary used to run after the other's; none needs to run alone. The tests that bound memory
//! read each run's own peak from GNU time (not from this process's children), the LibreOffice test
//! gives soffice a profile of its own (HOME in its temporary folder), every test writes into its
//! own temporary folder (the examples are built once per run into the target's and shared:
//! `common::examples`), and no test sets
//! an environment variable or the working directory of this process. Tests that must not
//! overlap would share a lock (a `static Mutex` in `common`).

mod common;
mod snapshots;

mod batch;
mod browser;
mod cli;
mod diff;
mod docx;
mod docx_paper;
mod docx_readers;
mod errors;
mod golden;
mod hostile;
mod import;
mod layout;
mod no_panic;
mod pdf;
mod processes;
mod serve;
mod spreadsheets;
mod start;
