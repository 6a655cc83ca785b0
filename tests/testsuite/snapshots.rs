//! The reviewed snapshot files (each bad fixture's `expected.stderr`, `tests/expected/*.md`),
//! compared with snapbox so that a change shows as a line diff.

use std::path::Path;

/// Compares `actual` with the reviewed snapshot file `path` (snapbox): `None` when they are
/// equal, else a line diff naming the file. Run with `SNAPSHOTS=overwrite` to rewrite (or
/// create) the file instead, then review the change with `git diff`.
pub(crate) fn differs(actual: &str, path: &Path) -> Option<String> {
    // `raw`: compared as written, without snapbox's `[..]` wildcards or path folding. snapbox
    // still folds \r\n into \n; no snapshot holds a \r, so none may appear in the output.
    let expected = snapbox::Data::read_from(path, None).raw();
    let result = snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .try_eq(Some(&"actual"), actual.into(), expected);
    match result {
        Err(diff) => Some(diff.to_string()),
        Ok(()) if actual.contains('\r') => Some(format!("{}: a \\r in {actual:?}", path.display())),
        Ok(()) => None,
    }
}
