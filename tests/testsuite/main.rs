//! qingdan's integration tests, one module per concern, in one test crate so that typst and the
//! library are linked into one test executable instead of one per file (the costliest step of
//! `cargo test` on a small machine). Run one module with a name filter, e.g.
//! `cargo test --test testsuite errors::`. Snapshots (`tests/fixtures/bad/*/expected.stderr`,
//! `tests/expected/`) are rewritten with `SNAPSHOTS=overwrite` (see `common::snapshot`).

mod common;

mod batch;
mod cli;
mod diff;
mod docx;
mod errors;
mod golden;
mod hostile;
mod layout;
mod no_panic;
mod pdf;
mod spreadsheets;
