//! qingdan's integration tests, one module per concern, in one test crate so that typst and the
//! library are linked into one test executable instead of one per file (linking is the costliest
//! step of `cargo test` after a change on a small machine). Run one module with a name filter,
//! e.g. `cargo test --test testsuite errors::`. The reviewed snapshots (each bad fixture's
//! `expected.stderr`, `tests/expected/`) are rewritten with `SNAPSHOTS=overwrite` (see
//! `snapshots::differs`).
//!
//! All tests run in this one process, as many at a time as there are cores, where each file's
//! binary used to run after the other's; none needs to run alone. The long-list test compares
//! peak memory that wait4 reports for its own child only (under 300 MB), the LibreOffice test
//! gives soffice a profile of its own (HOME in its temporary folder), every test writes into its
//! own temporary folder (docx's shared build, made once, into the target's), and no test sets
//! an environment variable or the working directory of this process. Tests that must not
//! overlap would share a lock (a `static Mutex` in `common`).

mod common;
mod snapshots;

mod batch;
mod browser;
mod cli;
mod diff;
mod docx;
mod errors;
mod golden;
mod hostile;
mod layout;
mod no_panic;
mod pdf;
mod serve;
mod spreadsheets;
mod start;
