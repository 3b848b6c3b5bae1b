//! Finding the checkpoints the log recorded: the latest one (read from
//! the end of the file), or all of them in one pass.
//!
//! A checkpoint line is the log's record of a checkpoint it signed: its
//! `data.note` is the signed note exactly as published, `data.key` the
//! verifier key that signed it (docs/evidence-log.md §11). Nothing found
//! here is trusted yet: the note's signature and its root are checked by
//! whoever uses it ([`verify`](super::verify()), the proofs, a bundle).

use super::line::{self, CHECKPOINT_EVENT};
use super::note::{NoteError, SignedCheckpoint, Verifier};
use super::{Error, IoContext, LOG_FILE, links};
use std::path::Path;

/// A checkpoint line of the log.
#[derive(Debug, Clone)]
pub struct LoggedCheckpoint {
    /// The line's seq (equal to the checkpoint's size).
    pub seq: u64,
    /// The key the line names.
    pub key: Verifier,
    /// The signed checkpoint.
    pub note: SignedCheckpoint,
}

impl LoggedCheckpoint {
    /// The checkpoint of a parsed checkpoint line's `data.key` and
    /// `data.note`.
    ///
    /// # Errors
    /// Either does not parse.
    pub fn from_data(seq: u64, key: &str, note: &str) -> Result<LoggedCheckpoint, NoteError> {
        Ok(LoggedCheckpoint { seq, key: Verifier::parse(key)?, note: SignedCheckpoint::parse(note)? })
    }
}

/// The last checkpoint line of the log, read backwards from the end
/// without the writer's lock; `None` if there is none (or no log).
///
/// # Errors
/// The log cannot be read; the last checkpoint line's key or note does
/// not parse ([`Error::InvalidEvent`]; `dsr log verify` names the line).
pub fn latest_checkpoint(data_dir: &Path) -> Result<Option<LoggedCheckpoint>, Error> {
    let path = data_dir.join(LOG_FILE);
    let len = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        // No log, or a data directory that is not a directory: no
        // checkpoint; opening the log for writing reports the latter as the
        // bad input it is.
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            return Ok(None);
        }
        Err(e) => return Err(Error::io(IoContext::Read, path, e)),
    };
    let needle = format!("\"event\":\"{CHECKPOINT_EVENT}\"");
    let mut found: Option<Result<LoggedCheckpoint, NoteError>> = None;
    links::backwards(&path, len, u64::MAX, |_, l| {
        if !l.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            return true;
        }
        let Ok(fields) = line::parse(l) else { return true };
        if fields.event != CHECKPOINT_EVENT {
            return true;
        }
        let (Some(key), Some(note)) = (&fields.refs.key, &fields.refs.note) else { return true };
        found = Some(LoggedCheckpoint::from_data(fields.seq, key, note));
        false
    })
    .map_err(|e| Error::io(IoContext::Read, &path, e))?;
    match found {
        None => Ok(None),
        Some(Ok(c)) => Ok(Some(c)),
        Some(Err(e)) => Err(Error::InvalidEvent { event: CHECKPOINT_EVENT.into(), why: e.to_string() }),
    }
}
