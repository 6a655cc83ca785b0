//! One writer of an output folder at a time.
//!
//! Two qingdan processes writing one output folder would interleave: a `build` that read the
//! old sheet writes its documents after `serve` applied a new one, and the page offers the old
//! leader's PDF. So whoever writes owns the folder for as long as it works: `build` from reading
//! its inputs to its last file, `serve` for each rebuild, and for an Apply from comparing the
//! data file to the end of the rebuild. Whoever comes second waits until the folder is free,
//! saying once for whom; `serve` gives up an Apply after a while and says so instead.
//!
//! Ownership is an operating-system lock (flock on Unix, LockFileEx on Windows) on the file
//! [`LOCK_FILE`] in the folder, which holds the owner's process id and command for the message
//! of whoever waits. The system drops the lock when its process ends, however it ends: a lock
//! file left by a killed process (a dead pid in it) is not locked, and the next writer takes it
//! over at once — the stale-lock rule, with no pid reuse to be fooled by. The file is left in
//! place, emptied, when its owner is done, with one exception: a writer that made the folder
//! and wrote nothing into it (a build refused for its inputs) takes the folder away again, so a
//! refused build leaves no trace ([`OutputLock::release_unused`]). Whoever was waiting on the
//! removed file sees, once it owns it, that the name no longer leads to it and starts again
//! (on Unix; Windows does not delete a file another process holds open, so there the file
//! stays). Where the file system has no locks at all, the folder is written unowned, as
//! before.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// The lock file, in the output folder.
pub(crate) const LOCK_FILE: &str = ".qingdan-lock";

/// How often a waiting writer tries again.
const POLL: Duration = Duration::from_millis(100);

/// Ownership of an output folder; released when dropped.
#[derive(Debug)]
pub(crate) struct OutputLock {
    file: Option<File>,
    /// The output folder, when this owner made it (it did not exist before).
    made: Option<std::path::PathBuf>,
}

/// Who owns a folder, as its lock file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Owner {
    /// Its process id, when the file could be read (on Windows a locked file cannot be).
    pub(crate) pid: Option<u32>,
    /// What it is doing: `build`, `serve` ….
    pub(crate) command: String,
}

impl Owner {
    /// "进程 1234（build）" / "process 1234 (build)", or "another qingdan" when unknown.
    pub(crate) fn describe(&self) -> (String, String) {
        match self.pid {
            Some(pid) => (
                format!("进程 {pid}（qingdan {}）", self.command),
                format!("process {pid} (qingdan {})", self.command),
            ),
            None => ("另一个 qingdan".to_owned(), "another qingdan".to_owned()),
        }
    }
}

/// Why the folder could not be owned.
#[derive(Debug)]
pub(crate) enum LockError {
    /// The folder or its lock file could not be made or opened.
    Io(std::io::Error),
    /// Another writer still owned it when the patience ran out.
    Busy(Owner),
}

impl OutputLock {
    /// Owns the output folder `output` (made if missing) for `command`, waiting while another
    /// writer owns it — for ever, or at most `patience`. `waiting` is told once, with the owner,
    /// when the folder is not free at first. Blocking.
    pub(crate) fn own(
        output: &Path,
        command: &str,
        patience: Option<Duration>,
        waiting: &mut dyn FnMut(&Owner),
    ) -> Result<Self, LockError> {
        let made = (!output.exists()).then(|| output.to_path_buf());
        std::fs::create_dir_all(output).map_err(LockError::Io)?;
        let path = output.join(LOCK_FILE);
        let started = Instant::now();
        let mut told = false;
        loop {
            let open = || {
                OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)
            };
            // The folder can go between making it and opening its file, when a refused owner
            // takes it away: made again, once.
            let mut file = match open() {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    std::fs::create_dir_all(output).map_err(LockError::Io)?;
                    open()
                }
                opened => opened,
            }
            .map_err(LockError::Io)?;
            loop {
                match file.try_lock() {
                    Ok(()) => break,
                    Err(TryLockError::WouldBlock) => {
                        let owner = owner(&path);
                        if patience.is_some_and(|p| started.elapsed() >= p) {
                            return Err(LockError::Busy(owner));
                        }
                        if !told {
                            waiting(&owner);
                            told = true;
                        }
                        std::thread::sleep(POLL);
                    }
                    Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                        return Ok(Self { file: None, made });
                    }
                    Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
                }
            }
            // The owner before took the file away (it had made the folder and wrote nothing):
            // this lock is on a file nobody else can find, so start again on the name's file.
            if !still_named(&file, &path) {
                std::fs::create_dir_all(output).map_err(LockError::Io)?;
                continue;
            }
            // The owner's name, for whoever waits; the lock holds whether or not this is written.
            let _ = file
                .set_len(0)
                .and_then(|()| writeln!(file, "{} {command}", std::process::id()));
            return Ok(Self {
                file: Some(file),
                made,
            });
        }
    }

    /// Gives the folder up when nothing was written into it: a folder this owner made is taken
    /// away again with its lock file, so a build refused for its inputs leaves nothing behind.
    /// A folder that was there before, or holds anything else, is left as it is.
    pub(crate) fn release_unused(mut self) {
        // Otherwise dropped as usual: emptied and released.
        let Some(folder) = self.made.take() else {
            return;
        };
        let Some(file) = self.file.take() else {
            return;
        };
        // Removed while still owned, so no other writer can be writing into it meanwhile.
        if cfg!(unix) && std::fs::remove_file(folder.join(LOCK_FILE)).is_ok() {
            drop(file);
            // Fails, leaving it, if anything else is in it.
            let _ = std::fs::remove_dir(&folder);
        } else {
            let _ = file.set_len(0);
        }
    }
}

/// Whether `path` still names the open `file` (not removed, nor replaced by another file).
#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Windows keeps a file another process holds open, so the name always leads to it.
#[cfg(not(unix))]
fn still_named(_file: &File, _path: &Path) -> bool {
    true
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            // Still owned here: emptied, then closing the file releases the lock.
            let _ = file.set_len(0);
        }
    }
}

/// Who owns the folder whose lock file is `path`, as far as the file says.
fn owner(path: &Path) -> Owner {
    let mut text = String::new();
    let read = File::open(path).and_then(|mut f| f.read_to_string(&mut text));
    let (pid, command) = match read {
        Ok(_) => {
            let mut words = text.split_whitespace();
            (
                words.next().and_then(|w| w.parse().ok()),
                words.next().unwrap_or("").to_owned(),
            )
        }
        Err(_) => (None, String::new()),
    };
    Owner { pid, command }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_owner_waits_until_the_first_is_done() {
        let out = tempfile::tempdir().unwrap();
        let first = OutputLock::own(out.path(), "build", None, &mut |_| {}).unwrap();
        let text = std::fs::read_to_string(out.path().join(LOCK_FILE)).unwrap();
        assert_eq!(text, format!("{} build\n", std::process::id()));
        // Another open file description of the same file is another owner, as another process.
        let mut told = Vec::new();
        let busy = OutputLock::own(
            out.path(),
            "serve",
            Some(Duration::from_millis(300)),
            &mut |o| told.push(o.clone()),
        );
        let expected = Owner {
            pid: Some(std::process::id()),
            command: "build".into(),
        };
        assert!(
            matches!(busy, Err(LockError::Busy(ref o)) if *o == expected),
            "{busy:?}"
        );
        assert_eq!(told, [expected], "told once");
        drop(first);
        assert_eq!(
            std::fs::read_to_string(out.path().join(LOCK_FILE)).unwrap(),
            "",
            "emptied when released"
        );
        let second = OutputLock::own(out.path(), "serve", Some(Duration::ZERO), &mut |_| {});
        assert!(second.is_ok(), "free once the first is dropped");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_does_not_block() {
        let out = tempfile::tempdir().unwrap();
        // No process has pid 4294967295 (above any pid_max): what a killed build leaves.
        std::fs::write(out.path().join(LOCK_FILE), "4294967295 build\n").unwrap();
        let lock = OutputLock::own(out.path(), "build", Some(Duration::ZERO), &mut |_| {
            panic!("nobody to wait for")
        });
        assert!(lock.is_ok());
    }

    #[test]
    fn a_folder_made_and_left_unused_is_taken_away_and_a_waiter_starts_again() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        let first = OutputLock::own(&out, "build", None, &mut |_| {}).unwrap();
        // A second writer waits on the lock file while the first is refused.
        let waiter = {
            let out = out.clone();
            std::thread::spawn(move || {
                OutputLock::own(&out, "serve", Some(Duration::from_secs(20)), &mut |_| {})
            })
        };
        std::thread::sleep(Duration::from_millis(300));
        first.release_unused();
        let second = waiter.join().unwrap().unwrap();
        assert!(
            out.join(LOCK_FILE).is_file(),
            "the waiter locks the name's file"
        );
        // A third writer now finds the second one's lock, not a fresh file of its own.
        let third = OutputLock::own(&out, "build", Some(Duration::ZERO), &mut |_| {});
        assert!(matches!(third, Err(LockError::Busy(_))), "{third:?}");
        drop(second);

        let there = temp.path().join("there");
        std::fs::create_dir_all(&there).unwrap();
        OutputLock::own(&there, "build", None, &mut |_| {})
            .unwrap()
            .release_unused();
        assert!(
            there.join(LOCK_FILE).is_file(),
            "a folder found is left as it was"
        );

        let alone = temp.path().join("alone");
        OutputLock::own(&alone, "build", None, &mut |_| {})
            .unwrap()
            .release_unused();
        assert!(!alone.exists(), "a folder made for nothing is taken away");
    }
}
