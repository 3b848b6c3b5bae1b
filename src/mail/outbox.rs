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

use super::{Error, MessageBytes};
use chrono::{DateTime, Utc};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes the message to `dir` (created if missing) and returns the path.
///
/// # Errors
/// [`Error::Outbox`] when the directory cannot be created, the file cannot
/// be written or synced, or a file of that name already exists.
pub fn write(dir: &Path, message: &MessageBytes, at: DateTime<Utc>) -> Result<PathBuf, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Outbox { path, source }
    };
    fs::create_dir_all(dir).map_err(io(dir))?;
    let local = message.message_id().split('@').next().unwrap_or_default();
    let safe: String =
        local.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let name = format!("{}-{}.eml", at.format("%Y%m%dT%H%M%SZ"), safe);
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(io(&tmp))?;
        f.write_all(message.bytes()).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        // A hard link fails if the name exists, so an earlier file is never
        // replaced; then the temp name goes away.
        fs::hard_link(&tmp, &path).map_err(io(&path))?;
        fs::remove_file(&tmp).map_err(io(&tmp))?;
        File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
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
    }
}
