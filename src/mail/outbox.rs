//! The outbox: without SMTP, a message is written as an `.eml` file for the
//! user to send by other means (DESIGN §6; `ops` logs it as `outboxed`,
//! never as `sent`).
//!
//! File name: `<UTC time>-<Message-ID local part>.eml`, e.g.
//! `20260302T101500Z-5f1c0e3a….eml`, so a directory listing sorts by time.
//! The write is atomic and durable: a hidden temp file in the same
//! directory, `fsync`, rename (which never replaces an existing file here),
//! then `fsync` of the directory. The file holds exactly
//! [`MessageBytes::bytes`].
//!
//! Many files at once ([`write_unsynced`] for each, then one [`sync`]):
//! the same temp file and link without an fsync per file; [`sync`] then
//! makes them all durable with one `syncfs(2)` on the outbox's filesystem
//! (Linux; see `evidence::store` for why that is as durable as fsync per
//! file, and its cost) and one fsync of the directory.

use super::{Error, MessageBytes, MessageId};
use chrono::{DateTime, Utc};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The outbox's directory inside the data directory.
pub const DIR: &str = "outbox";

/// Writes the message to `dir` (created if missing) and returns the path.
///
/// # Errors
/// [`Error::Outbox`] when the directory cannot be created, the file cannot
/// be written or synced, or a file of that name already exists.
pub fn write(dir: &Path, message: &MessageBytes, at: DateTime<Utc>) -> Result<PathBuf, Error> {
    write_file(dir, message.message_id(), ".eml", message.bytes(), at, true)
}

/// Writes `bytes` to `dir` as `<UTC time>-<local part of id><suffix>`
/// (a letter for post: `….pdf`; a web form's texts: `…-letter.txt`), as
/// atomically and durably as [`write`], and returns the path.
///
/// # Errors
/// As [`write`].
pub fn write_named(
    dir: &Path,
    id: &MessageId,
    suffix: &str,
    bytes: &[u8],
    at: DateTime<Utc>,
) -> Result<PathBuf, Error> {
    write_file(dir, id, suffix, bytes, at, true)
}

/// Like [`write`], but the file is durable only after [`sync`] of `dir`
/// returned `Ok` (on Linux; elsewhere it is synced at once). Nothing may
/// report the file as written before that.
///
/// # Errors
/// As [`write`].
pub fn write_unsynced(dir: &Path, message: &MessageBytes, at: DateTime<Utc>) -> Result<PathBuf, Error> {
    write_file(dir, message.message_id(), ".eml", message.bytes(), at, !cfg!(target_os = "linux"))
}

/// Makes every file written to `dir` by [`write_unsynced`] durable: one
/// `syncfs(2)` of its filesystem and one fsync of the directory.
///
/// # Errors
/// [`Error::Outbox`] when the filesystem or directory cannot be synced.
pub fn sync(dir: &Path) -> Result<(), Error> {
    let io = |source| Error::Outbox { path: dir.to_path_buf(), source };
    let d = File::open(dir).map_err(io)?;
    #[cfg(target_os = "linux")]
    rustix::fs::syncfs(&d).map_err(|e| io(e.into()))?;
    d.sync_all().map_err(io)
}

/// Fails unless `dir` is missing or a real directory (not a symbolic
/// link): checked before anything is stored, and again before each write.
///
/// # Errors
/// [`Error::OutboxNotDir`].
pub fn check(dir: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(dir) {
        Ok(m) if !m.is_dir() => Err(Error::OutboxNotDir { path: dir.to_path_buf() }),
        _ => Ok(()),
    }
}

fn write_file(
    dir: &Path,
    id: &MessageId,
    suffix: &str,
    bytes: &[u8],
    at: DateTime<Utc>,
    durable: bool,
) -> Result<PathBuf, Error> {
    check(dir)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Outbox { path, source }
    };
    let local = id.local_part();
    let safe: String =
        local.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let name = format!("{}-{}{suffix}", at.format("%Y%m%dT%H%M%SZ"), safe);
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let create = || OpenOptions::new().write(true).create_new(true).open(&tmp);
        // The outbox usually exists: create it only when the file cannot be.
        let mut new_dir = false;
        let mut f = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir_all(dir).map_err(io(dir))?;
                new_dir = true;
                create()
            }
            other => other,
        }
        .map_err(io(&tmp))?;
        // A new outbox directory's own entry must survive a crash too.
        if durable
            && new_dir
            && let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty())
        {
            File::open(parent).and_then(|d| d.sync_all()).map_err(io(parent))?;
        }
        f.write_all(bytes).map_err(io(&tmp))?;
        if durable {
            f.sync_all().map_err(io(&tmp))?;
        }
        // A hard link fails if the name exists, so an earlier file is never
        // replaced; then the temp name goes away.
        fs::hard_link(&tmp, &path).map_err(io(&path))?;
        fs::remove_file(&tmp).map_err(io(&tmp))?;
        if durable { File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir)) } else { Ok(()) }
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn writes_exact_bytes_under_a_sortable_name_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("outbox");
        let m = crate::mail::message::build(&crate::mail::message::tests::spec(), None).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 10, 15, 0).unwrap();
        let p = write(&out, &m, at).unwrap();
        assert_eq!(p, out.join("20260302T101500Z-5f1c0e3a9b7d4c2e8a6f0b1d3c5e7a9b.eml"));
        assert_eq!(fs::read(&p).unwrap(), m.bytes());
        let e = write(&out, &m, at).unwrap_err();
        assert!(e.to_string().starts_with(&format!("{}: cannot write to the outbox: ", p.display())), "{e}");
        let names: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "no temp file left behind: {names:?}");

        let later = Utc.with_ymd_and_hms(2026, 3, 2, 10, 16, 0).unwrap();
        let q = write_unsynced(&out, &m, later).unwrap();
        sync(&out).unwrap();
        assert_eq!(fs::read(&q).unwrap(), m.bytes());
        assert!(write_unsynced(&out, &m, later).is_err(), "never overwrites");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 2);
    }
}
