//! The writer's lock: `<data-dir>/lock`, held with an exclusive OS file lock
//! (`flock` on Unix) for as long as a [`Log`](super::Log) is open.
//!
//! The lock file holds the pid of the process that has it, so a second
//! writer can say who is in the way ("log is locked by pid N"). The pid is
//! only a message: the OS lock is what excludes, and it is released when
//! the process exits, even by SIGKILL, so a stale pid in the file never
//! blocks anyone.

use super::{Error, IoContext, LOCK_FILE, open_options};
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An exclusive lock on a data directory, released on drop.
#[derive(Debug)]
pub(crate) struct Lock {
    // Held for its OS lock; dropping the file releases it.
    _file: File,
}

/// How long a writer that finds the lock taken waits for the holder's pid
/// to appear in the file: the holder writes it just after it took the
/// lock, so a pid missing or naming a dead process is that moment.
const PID_WAIT: Duration = Duration::from_millis(200);

impl Lock {
    /// Takes the lock without waiting.
    ///
    /// # Errors
    /// [`Error::Locked`] if another process holds it; [`Error::Symlink`] if
    /// the lock file is a symbolic link (never followed: it would be
    /// truncated); [`Error::Io`] if it cannot be created or locked.
    pub(crate) fn acquire(data_dir: &Path) -> Result<Lock, Error> {
        let path = data_dir.join(LOCK_FILE);
        let mut file = open_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::opening(&path, e))?;
        match file.metadata() {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err(Error::NotAFile { path, dir: false }),
            Err(e) => return Err(Error::io(IoContext::Read, path, e)),
        }
        // Taken: the holder is named by its pid once a live one is in the
        // file. Until then (the holder has not written it yet, or has just
        // exited and left its pid) the lock is tried again, for at most
        // PID_WAIT: a stale pid is never named.
        let deadline = std::time::Instant::now() + PID_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let pid = read_pid(&mut file).filter(|p| is_alive(*p));
                    if pid.is_some() || std::time::Instant::now() >= deadline {
                        return Err(Error::Locked { pid, path });
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(TryLockError::Error(e)) => return Err(Error::io(IoContext::Lock, path, e)),
            }
        }
        write_pid(&file, &path)?;
        Ok(Lock { _file: file })
    }
}

/// Whether a process with this pid exists (Linux: `/proc/<pid>`; elsewhere
/// assumed).
fn is_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new(&format!("/proc/{pid}")).exists() } else { true }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(64).read_to_string(&mut text).ok()?;
    text.lines().next()?.trim().parse().ok()
}

/// Writes the pid at the start, then cuts the file after it: a reader
/// never finds the file empty, and reads only the first line.
fn write_pid(file: &File, path: &PathBuf) -> Result<(), Error> {
    let line = format!("{}\n", std::process::id());
    file.write_all_at(line.as_bytes(), 0)
        .and_then(|()| file.set_len(line.len() as u64))
        .map_err(|e| Error::io(IoContext::Write, path, e))
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

    #[test]
    fn a_symlinked_lock_file_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("thesis.txt");
        std::fs::write(&victim, b"years of work").unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::os::unix::fs::symlink(&victim, data.join(LOCK_FILE)).unwrap();
        let err = Lock::acquire(&data).unwrap_err();
        assert!(matches!(err, Error::Symlink { .. }), "{err}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"years of work");
    }

    #[test]
    fn a_stale_pid_in_the_file_is_not_named_as_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let _held = Lock::acquire(dir.path()).unwrap();
        // As if the holder had not written its pid yet and a dead process's
        // was still there (pids above the kernel's maximum never exist).
        std::fs::write(dir.path().join(LOCK_FILE), "4194305\n").unwrap();
        let Error::Locked { pid, .. } = Lock::acquire(dir.path()).unwrap_err() else { panic!() };
        assert_eq!(pid, None);
    }
}
