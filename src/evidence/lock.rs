//! The writer's lock: `<data-dir>/lock`, held with an exclusive OS file lock
//! (`flock` on Unix) for as long as a [`Log`](super::Log) is open.
//!
//! The lock file holds the pid of the process that has it, so a second
//! writer can say who is in the way ("log is locked by pid N"). The pid is
//! only a message: the OS lock is what excludes, and it is released when
//! the process exits, even by SIGKILL, so a stale pid in the file never
//! blocks anyone.

use super::{Error, LOCK_FILE};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// An exclusive lock on a data directory, released on drop.
#[derive(Debug)]
pub(crate) struct Lock {
    // Held for its OS lock; dropping the file releases it.
    _file: File,
}

impl Lock {
    /// Takes the lock without waiting.
    ///
    /// # Errors
    /// [`Error::Locked`] if another process holds it; [`Error::Io`] if the
    /// lock file cannot be created or locked.
    pub(crate) fn acquire(data_dir: &Path) -> Result<Lock, Error> {
        let path = data_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io("cannot open", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(Error::Locked { pid: read_pid(&mut file), path }),
            Err(TryLockError::Error(e)) => return Err(Error::io("cannot lock", path, e)),
        }
        write_pid(&mut file, &path)?;
        Ok(Lock { _file: file })
    }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn write_pid(file: &mut File, path: &PathBuf) -> Result<(), Error> {
    file.set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| writeln!(file, "{}", std::process::id()))
        .map_err(|e| Error::io("cannot write", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_with_the_holders_pid_and_drop_releases() {
        let dir = tempfile::tempdir().unwrap();
        let first = Lock::acquire(dir.path()).unwrap();
        let err = Lock::acquire(dir.path()).unwrap_err();
        assert_eq!(err.to_string(), format!("log is locked by pid {}", std::process::id()));
        drop(first);
        Lock::acquire(dir.path()).unwrap();
    }
}
