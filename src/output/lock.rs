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
//! place, emptied, when its owner is done (removing it would let two writers lock two
//! different files of one name). Where the file system has no locks at all, the folder is
//! written unowned, as before.

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
        std::fs::create_dir_all(output).map_err(LockError::Io)?;
        let path = output.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(LockError::Io)?;
        let started = Instant::now();
        let mut told = false;
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
                    return Ok(Self { file: None });
                }
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
        }
        // The owner's name, for whoever waits; the lock holds whether or not this is written.
        let _ = file
            .set_len(0)
            .and_then(|()| writeln!(file, "{} {command}", std::process::id()));
        Ok(Self { file: Some(file) })
    }
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
}
