//! Stage 7: writing results safely.
//!
//! Files are written to a temporary file in the target folder and renamed into place, so a failed
//! or interrupted run leaves the previous output intact, never half a PDF. A file whose content
//! is unchanged is not touched. Nothing is ever deleted. One writer owns an output folder at a
//! time ([`lock`]).

pub(crate) mod lock;

use std::io::Write;
use std::path::{Path, PathBuf};

/// What happened to one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteOutcome {
    Written,
    Unchanged,
}

/// Writes `bytes` to `path` atomically (temp file + rename), creating the folder if needed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<WriteOutcome> {
    write(path, bytes, true)
}

/// Like [`write_atomic`] but without waiting for the disk: for what a build makes again when
/// it is lost — its outputs and its state. A crash of qingdan leaves the old file or the new
/// one, never a mix; a power cut may at worst leave a new file empty, and the state records
/// each output's size, so the next build makes such a file again. Syncing each of a batch's
/// thousands of files as it was written cost 5 % of the CPU time of a 200-school build and
/// 7 % of its wall time; syncing them all at the end, 14 % of the wall time. The user's own
/// files (a sheet `serve` replaces, the inputs `init` writes) are still synced.
pub(crate) fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> std::io::Result<WriteOutcome> {
    write(path, bytes, false)
}

fn write(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<WriteOutcome> {
    // What is at `path` now, without following a link: only a regular file is compared (and only
    // when its size matches, so a huge file is never read whole) and lends its permissions. A
    // link is replaced, never read through — it could point at /dev/zero, a FIFO or a file of
    // somebody else's. Anything else (a folder, a FIFO, a device) is not ours to replace.
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing {
        let kind = meta.file_type();
        if kind.is_file() {
            if meta.len() == bytes.len() as u64 && std::fs::read(path).is_ok_and(|old| old == bytes)
            {
                return Ok(WriteOutcome::Unchanged);
            }
        } else if !kind.is_symlink() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "已有同名的文件夹或特殊文件，不会替换 / a folder or special file of that name is in the way and is not replaced",
            ));
        }
    }
    // An output keeps the permissions of the regular file it replaces.
    let keep = existing
        .as_ref()
        .filter(|m| m.file_type().is_file())
        .map(|m| m.permissions());
    let temp = filled_temporary(path, bytes, keep, sync)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(WriteOutcome::Written)
}

/// A temporary file of qingdan's naming beside `path` holding `bytes`, with the permissions
/// `keep` (or the usual 0644, so colleagues sharing the folder can read it: temporary files are
/// private, 0600), synced to disk when `sync`; ready to be renamed onto `path`.
fn filled_temporary(
    path: &Path,
    bytes: &[u8],
    keep: Option<std::fs::Permissions>,
    sync: bool,
) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = keep.unwrap_or_else(|| std::fs::Permissions::from_mode(0o644));
        temp.as_file().set_permissions(permissions)?;
    }
    #[cfg(not(unix))]
    let _ = keep;
    if sync {
        temp.as_file().sync_all()?;
    }
    Ok(temp)
}

/// Writes `bytes` to `path` only if nothing is there — no file, no folder, no link, not even a
/// link that points nowhere; returns whether it wrote. The check and the write are one step
/// (a rename that refuses to replace), so nothing that appears meanwhile is replaced either.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(false);
    }
    let temp = filled_temporary(path, bytes, None, true)?;
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.error),
    }
}

/// Temporary files are named `.qingdan-<pid>-<random>.tmp`: the process id lets a later run
/// tell the leftovers of a killed run from the files of a run still going.
const TEMP_PREFIX: &str = ".qingdan-";
const TEMP_SUFFIX: &str = ".tmp";

fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// Removes the temporary files a killed qingdan left in `dir` (not in its subfolders): files of
/// qingdan's own naming whose process is gone — or, where that cannot be told, older than an
/// hour. Returns how many were removed. Nothing else is ever deleted.
pub(crate) fn remove_stale_temporaries(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(middle) = name
            .strip_prefix(TEMP_PREFIX)
            .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
        else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.file_type().is_file() {
            continue;
        }
        let pid = middle
            .split_once('-')
            .and_then(|(p, _)| p.parse::<u32>().ok());
        if is_stale(pid, &meta) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn is_stale(pid: Option<u32>, meta: &std::fs::Metadata) -> bool {
    if pid == Some(std::process::id()) {
        return false;
    }
    let proc = Path::new("/proc");
    if let Some(pid) = pid
        && proc.join("self").exists()
    {
        return !proc.join(pid.to_string()).exists();
    }
    meta.modified()
        .ok()
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 3600)
}

/// Refuses an output folder that would put outputs on an input: the folder is, contains or lies
/// inside one of the `projects` (links resolved), so that a rendered 实施细则.md could replace
/// the source 实施细则.md. Returns the project it collides with.
pub(crate) fn output_overlaps_input<'a>(
    output: &Path,
    projects: &'a [PathBuf],
) -> Option<&'a Path> {
    let output = resolved(output);
    projects
        .iter()
        .find(|p| {
            let project = resolved(p);
            output.starts_with(&project) || project.starts_with(&output)
        })
        .map(PathBuf::as_path)
}

/// `path` with links resolved, also when its last components do not exist yet: the deepest
/// existing ancestor is canonicalized and the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
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

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_way_is_replaced_never_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o666)).unwrap();
        // Each link target would hang, read forever or lend its mode if followed.
        for (name, target) in [
            ("zero.pdf", Path::new("/dev/zero")),
            ("victim.pdf", victim.as_path()),
        ] {
            let path = dir.path().join(name);
            std::os::unix::fs::symlink(target, &path).unwrap();
            assert_eq!(write_atomic(&path, b"new").unwrap(), WriteOutcome::Written);
            let meta = std::fs::symlink_metadata(&path).unwrap();
            assert!(meta.file_type().is_file(), "{name}: the link is replaced");
            assert_eq!(meta.permissions().mode() & 0o777, 0o644, "{name}");
            assert_eq!(std::fs::read(&path).unwrap(), b"new");
        }
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_folder_in_the_way_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.pdf");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(write_atomic(&fifo, b"x").is_err());
            assert!(!std::fs::symlink_metadata(&fifo).unwrap().is_file());
        }
        let folder = dir.path().join("folder.pdf");
        std::fs::create_dir(&folder).unwrap();
        assert!(write_atomic(&folder, b"x").is_err());
        assert!(folder.is_dir());
    }

    #[test]
    fn stale_temporaries_of_a_killed_run_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join(format!("{}abc.tmp", temp_prefix()));
        // pid 0 is never a user process: a leftover of a run that is gone.
        let stale = dir.path().join(".qingdan-0-abc.tmp");
        let user = dir.path().join("qingdan-notes.tmp");
        for p in [&mine, &stale, &user] {
            std::fs::write(p, "x").unwrap();
        }
        if Path::new("/proc/self").exists() {
            assert_eq!(remove_stale_temporaries(dir.path()), 1);
            assert!(!stale.exists());
        }
        assert!(mine.exists(), "a running process's temporary is kept");
        assert!(user.exists(), "a file not of qingdan's naming is kept");
    }

    #[test]
    fn an_output_folder_on_an_input_project_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let project = root.path().join("inputs/p");
        std::fs::create_dir_all(&project).unwrap();
        let projects = vec![project.clone()];
        for bad in [
            root.path().to_path_buf(),
            project.clone(),
            project.join("out"),
            root.path().join("inputs/./p/new/deeper"),
        ] {
            assert!(
                output_overlaps_input(&bad, &projects).is_some(),
                "{}",
                bad.display()
            );
        }
        assert!(output_overlaps_input(&root.path().join("output"), &projects).is_none());
        #[cfg(unix)]
        {
            let link = root.path().join("link");
            std::os::unix::fs::symlink(&project, &link).unwrap();
            assert!(output_overlaps_input(&link, &projects).is_some());
        }
    }
}
