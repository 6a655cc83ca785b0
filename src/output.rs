//! Stage 7: writing results safely.
//!
//! Files are written to a temporary file in the target folder and renamed into place, so a failed
//! or interrupted run leaves the previous output intact, never half a PDF. A file whose content
//! is unchanged is not touched. Nothing is ever deleted.

use std::io::Write;
use std::path::Path;

/// What happened to one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    Unchanged,
}

/// Writes `bytes` to `path` atomically (temp file + rename), creating the folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<WriteOutcome> {
    write(path, bytes, true)
}

/// Like [`write_atomic`] but without waiting for the disk: for caches (the build state), which
/// are rebuilt when lost. A crash can leave the old file or the new one, never a mix.
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> std::io::Result<WriteOutcome> {
    write(path, bytes, false)
}

fn write(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<WriteOutcome> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(WriteOutcome::Unchanged);
    }
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".qingdan-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    // Temporary files are private (0600); an output keeps the permissions of the file it
    // replaces, or gets the usual 0644 so colleagues sharing the folder can read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        temp.as_file().set_permissions(permissions)?;
    }
    if sync {
        temp.as_file().sync_all()?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(WriteOutcome::Written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_skips_identical_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/清单.md");
        assert_eq!(write_atomic(&path, b"one").unwrap(), WriteOutcome::Written);
        assert_eq!(
            write_atomic(&path, b"one").unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(write_atomic(&path, b"two").unwrap(), WriteOutcome::Written);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o644, "readable by others, not private");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&path, b"three").unwrap();
            assert_eq!(mode(&path), 0o640, "a replaced file keeps its permissions");
        }
    }
}
