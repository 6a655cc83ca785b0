//! qingdan's integration tests, one module per concern, in one test crate so that typst and the
//! library are linked into one test executable instead of one per file (linking is the costliest
//! step of `cargo test` after a change on a small machine). Run one module with a name filter,
//! e.g. `cargo test --test testsuite errors::`. The reviewed snapshots (each bad fixture's
//! `expected.stderr`, `tests/expected/`) are rewritten with `SNAPSHOTS=overwrite` (see
//! `common::snapshot`); the heaviest tests take `common::serial()` so they never overlap.

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
