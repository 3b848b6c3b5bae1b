//! Evidence bundles: one case's artifacts and log lines in a folder that
//! anyone can check offline, with `sha256sum` or `dsr evidence verify`.
//!
//! [`export`] writes the bundle from a data directory; [`verify`] checks a
//! bundle with nothing but its own files. The layout (user-facing spec in
//! `docs/evidence-bundle.md`):
//!
//! ```text
//! 01-message.eml …        every object the case's events name, numbered
//!                         in the order the log first names them
//! log-lines.jsonl         the case's log lines, byte for byte
//! chain.txt               `<seq> <sha256>` of every log line, 0 to the head
//! README.txt              what each file proves, in the case's language
//! manifest.json           files (sha256, size), objects, lines, head
//! SHA256SUMS              coreutils format, every file but itself
//! ```
//!
//! The exported lines tie to the head through `chain.txt`: a line's SHA-256
//! is its `chain.txt` entry, and its `prev` is the entry before. Other
//! cases' lines appear only as hashes, so the bundle discloses nothing of
//! them.

mod verify;
mod write;

pub use verify::{Verified, verify};
pub use write::{ExportOptions, Exported, export};

use crate::evidence::{RequestId, Sha256};
use crate::exit::ExitKind;
use crate::kind::LetterKind;
use crate::lang::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io;
use std::path::PathBuf;

/// The bundle format, written into `manifest.json`.
pub const FORMAT: &str = "dsr-evidence-bundle/1";
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The checksum file's name (`sha256sum -c SHA256SUMS`).
pub const SUMS: &str = "SHA256SUMS";
/// The exported log lines' file name.
pub const LOG_LINES: &str = "log-lines.jsonl";
/// The line-hash chain's file name.
pub const CHAIN: &str = "chain.txt";
/// The explanation's file name.
pub const README: &str = "README.txt";

/// `manifest.json`: what the bundle holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The request (case) id.
    pub request: RequestId,
    /// The company the request went to.
    pub company: String,
    /// The policy id.
    pub policy: crate::policy::PolicyId,
    /// The original request's kind.
    pub kind: LetterKind,
    /// The case's language (of the letter and of README.txt).
    pub lang: Lang,
    /// The log's last line when the bundle was made.
    pub head: Line,
    /// When the bundle was made.
    pub exported_at: DateTime<Utc>,
    /// The dsr version that made it.
    pub dsr_version: String,
    /// Every file of the bundle except `manifest.json` and `SHA256SUMS`.
    pub files: Vec<File>,
    /// The exported log lines, in order.
    pub lines: Vec<Line>,
    /// Every object the exported lines name, in the order first named.
    pub objects: Vec<Object>,
}

/// A file of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Its name in the bundle directory.
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: Sha256,
    /// Its length in bytes.
    pub size: u64,
}

/// A log line: its position and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The line's `seq`.
    pub seq: u64,
    /// SHA-256 of its bytes without the `\n`.
    pub sha256: Sha256,
}

/// An object named by an exported line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Object {
    /// Its SHA-256 (its name in the store).
    pub sha256: Sha256,
    /// Its length in bytes.
    pub size: u64,
    /// The role the first naming line gives it (`message`, `letter` …).
    pub role: String,
    /// The seqs of the lines that name it.
    pub named_by: Vec<u64>,
    /// Its file in the bundle; `None` when it was purged.
    pub file: Option<String>,
    /// The seq of the `purged` line that lists it, if any.
    pub purged_by: Option<u64>,
}

/// What went wrong exporting or verifying a bundle.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The output directory has files in it (and `--force` was not given).
    #[error("{}: directory is not empty", path.display())]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// `--force` was given but the directory has a subdirectory, which a
    /// bundle never has: it is probably not an old bundle.
    #[error("{}: has subdirectory '{name}', so it is not an old bundle; not replacing it", path.display())]
    NotABundle {
        /// The directory.
        path: PathBuf,
        /// The subdirectory found.
        name: String,
    },
    /// A file or directory could not be read or written.
    #[error("{context} {}: {source}", path.display())]
    Io {
        /// What dsr was doing.
        context: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A log line's bytes no longer match the hash read a moment before:
    /// the log was changed while exporting.
    #[error("{}: line {seq} changed while it was exported", path.display())]
    Changed {
        /// The log file.
        path: PathBuf,
        /// The line's seq.
        seq: u64,
    },
    /// An object a case line names is missing from the store, and no
    /// `purged` line of the case lists it.
    #[error("object {sha256} ({role}, named by log line {seq}) is missing from the store and was not purged")]
    MissingObject {
        /// The object.
        sha256: Sha256,
        /// Its role.
        role: String,
        /// The line naming it.
        seq: u64,
    },
    /// The bundle directory does not exist or is not a directory.
    #[error("{}: not a directory", path.display())]
    NoBundle {
        /// The path given.
        path: PathBuf,
    },
    /// The bundle does not verify.
    #[error("bundle {} does not verify: {file}: {problem}{}", dir.display(), more_problems(*more))]
    Invalid {
        /// The bundle directory.
        dir: PathBuf,
        /// The first file found wrong.
        file: String,
        /// What is wrong with it.
        problem: String,
        /// How many more problems were found.
        more: usize,
    },
}

fn more_problems(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " (and 1 more problem)".into(),
        n => format!(" (and {n} more problems)"),
    }
}

impl Error {
    pub(crate) fn io(context: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io { context, path: path.into(), source }
    }

    /// The exit code class: evidence invalid, bad input (a directory that
    /// does not fit), else unexpected (I/O).
    pub fn exit_kind(&self) -> ExitKind {
        if self.is_evidence_invalid() {
            ExitKind::EvidenceInvalid
        } else if self.is_bad_input() {
            ExitKind::BadInput
        } else {
            ExitKind::Unexpected
        }
    }

    /// True when evidence does not verify (exit 4).
    pub fn is_evidence_invalid(&self) -> bool {
        matches!(self, Error::Invalid { .. } | Error::MissingObject { .. } | Error::Changed { .. })
    }

    /// True when the user asked for something that does not fit (exit 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Error::NotEmpty { .. } | Error::NotABundle { .. } | Error::NoBundle { .. })
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotEmpty { .. } => {
                Some("name a new or empty directory, or pass --force to replace an earlier bundle there".into())
            }
            Error::NotABundle { .. } => Some("name a new or empty directory".into()),
            Error::Changed { .. } => Some("run the export again once no other dsr command is writing".into()),
            Error::MissingObject { .. } => {
                Some("run `dsr log verify --objects`; restore the object from a backup of the data directory".into())
            }
            Error::NoBundle { .. } => Some("name the directory `dsr evidence export --out` wrote".into()),
            Error::Invalid { .. } => Some(
                "a file of the bundle was changed, added or removed after export; `sha256sum -c SHA256SUMS` in the \
                 bundle shows which, and a fresh `dsr evidence export` from the data directory restores it"
                    .into(),
            ),
            Error::Io { .. } => None,
        }
    }
}
