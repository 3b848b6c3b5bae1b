//! The evidence log: a hash-chained, append-only record of what dsr did,
//! and a content-addressed store of every artifact it sent or received.
//!
//! # Brief overview
//!
//! - [`Log`] is the writer: [`Log::open`] takes the data directory's lock
//!   (one writer at a time), refuses to append behind a torn last line, and
//!   [`Log::append`] / [`Log::append_group`] write lines and fsync them
//!   before returning. [`Log::store`] gives the object store.
//! - [`Store`] keeps objects under `objects/<2 hex>/<62 hex>`, named by
//!   their SHA-256 ([`Sha256`]); [`Store::put`] makes an object durable
//!   before any event names it.
//! - [`read_entries`] streams checked [`Entry`]s without the lock (for
//!   folding case state or showing a timeline); [`verify()`] checks a whole
//!   log (and with `objects`, every object it names) in constant memory.
//! - [`repair`] sets a torn last line aside; [`purge`] deletes a case's
//!   objects and logs which.
//! - Format 2: every line is a leaf of an RFC 9162 Merkle tree
//!   ([`merkle`]), whose compact range the writer caches beside the log
//!   (`tree`, derived from the log and rebuilt when stale);
//!   [`Log::checkpoint`] appends a signed checkpoint ([`note`]: a C2SP
//!   signed note, Ed25519, with the key of [`key`]); each line of a request
//!   names the request's previous line (`links`). [`prove_request`],
//!   [`consistency_proof`] and [`Collector`] build proofs in one pass.
//!
//! The exact file format is in `docs/evidence-log.md`, written so that an
//! independent verifier can be built from it alone (`docs/verify_log.py` is
//! one). This module is a leaf: it knows lines, hashes and objects, and how
//! `data.objects` names objects ([`ObjectRef`]), but not what a letter or a
//! mail is. Times come in as parameters; it never reads the clock.
//!
//! ```
//! use dsr::evidence::{Log, NewEvent, read_entries};
//! let dir = tempfile::tempdir()?;
//! let time = "2026-11-28T10:00:00Z".parse()?;
//! let mut log = Log::open(dir.path())?;
//! let letter = log.store().put(b"Dear Sir or Madam, ...")?;
//! let data = serde_json::json!({"objects": [letter.with_role("letter")]});
//! let entry = log.append(NewEvent::new(time, "noted", None, data))?;
//! assert_eq!(entry.seq, 1); // line 0 is the `log_created` header
//! drop(log);
//! let events: Vec<String> = read_entries(dir.path())?.map(|e| e.map(|e| e.event)).collect::<Result<_, _>>()?;
//! assert_eq!(events, [dsr::evidence::HEADER_EVENT, "noted"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod anchor;
mod chain;
mod checkpoints;
mod hash;
pub mod key;
mod lanes;
mod line;
mod links;
mod lock;
mod log;
pub mod merkle;
pub mod note;
mod prove;
mod purge;
mod request_id;
mod scan;
mod store;
mod tree;
pub mod tsa_trust;
pub mod tsp;
mod verify;
pub mod witness;

pub use chain::{Entries, Leaves, parse_entry, read_entries, read_entries_with_leaves, read_leaves};
pub use checkpoints::{LoggedCheckpoint, latest_checkpoint};
pub use hash::{ParseSha256Error, Sha256};
pub use line::{
    CHECKPOINT_EVENT, Entry, EntryRef, FORMAT, FORMAT_V1, FORMAT_V2, HEADER_EVENT, LineProblem, NewEvent, ObjectRef,
    PURGED_EVENT, ParsedLine, REPAIRED_EVENT, REQUEST_PREV, UPGRADED_EVENT, format_time, is_event_name, parse_line,
    parse_time, peek, purge_shape_problem,
};
pub use log::{Log, Repaired, repair};
pub use prove::{
    CONSISTENCY_FORMAT, Collector, ConsistencyProof, INCLUSION_FORMAT, ProvedLine, RequestProof, TreeHead,
    consistency_proof, prove_request,
};
pub use purge::{Purge, PurgeSelection, Purged, purge};
pub use request_id::{ParseRequestIdError, RequestId};
pub use store::{ObjectStatus, Store, StoreBatch, Stored};
pub use verify::{ExternalCheckpoint, ObjectProblem, Verified, VerifyError, VerifyOptions, verified_summary, verify};

use crate::exit::ExitKind;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

/// Options for opening a data-directory file: `O_NOFOLLOW` (a symlink
/// fails with `ELOOP`, reported as [`Error::Symlink`] by
/// [`Error::opening`]) and `O_CLOEXEC`.
pub(crate) fn open_options() -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    o.custom_flags((rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::CLOEXEC).bits() as i32);
    o
}

/// The log file's name inside the data directory.
pub const LOG_FILE: &str = "log.jsonl";
/// The lock file's name inside the data directory (holds the writer's pid).
pub const LOCK_FILE: &str = "lock";
/// The object store's directory inside the data directory.
pub const OBJECTS_DIR: &str = "objects";

/// What can go wrong with the evidence log or its objects.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Another process is writing the log.
    #[error("{}", match pid {
        Some(p) => crate::t!("evidence.locked-by-pid", pid = p),
        None => crate::t!("evidence.locked"),
    })]
    Locked {
        /// The pid written in the lock file, if it could be read.
        pid: Option<u32>,
        /// The lock file.
        path: PathBuf,
    },
    /// The last line is incomplete or unreadable (a crash mid-append); the
    /// log refuses to append until it is repaired.
    #[error("{}", crate::t!("evidence.err.torn-tail", path = path.display(), offset = offset, problem = problem))]
    TornTail {
        /// The log file.
        path: PathBuf,
        /// Byte offset where the damaged line starts.
        offset: u64,
        /// Why the line is not usable.
        problem: LineProblem,
    },
    /// A file or directory could not be read or written.
    #[error("{}", crate::t!("evidence.err.io", context = context, path = path.display(), source = source))]
    Io {
        /// What dsr was doing (`cannot read`, `cannot fsync` …).
        context: IoContext,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The log or an object does not verify.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// There is no log in the data directory.
    #[error("{}", crate::t!("evidence.no-log", path = path.display()))]
    NoLog {
        /// Where the log was expected.
        path: PathBuf,
    },
    /// An event cannot be written as a log line (a bug in the caller).
    #[error("{}", crate::t!("evidence.err.invalid-event", event = format!("{event:?}"), why = why))]
    InvalidEvent {
        /// The event name.
        event: String,
        /// What is wrong.
        why: String,
    },
    /// An event names an object that is not in the store: objects must be
    /// stored before the event that names them.
    #[error("{}", crate::t!("evidence.err.unstored-object", event = format!("{event:?}"), sha256 = sha256))]
    UnstoredObject {
        /// The event name.
        event: String,
        /// The object's hash.
        sha256: Sha256,
    },
    /// An object read from the store is missing or its bytes do not match
    /// its name.
    #[error("{}", crate::t!("evidence.err.object", sha256 = sha256, problem = problem))]
    Object {
        /// The object's hash.
        sha256: Sha256,
        /// What is wrong.
        problem: ObjectProblem,
    },
    /// A request id given to select events appears nowhere in the log.
    #[error("{}", crate::t!("evidence.err.unknown-request", request = request))]
    UnknownRequest {
        /// The id asked for.
        request: RequestId,
    },
    /// An earlier append of this [`Log`] failed part-way; the handle refuses
    /// further appends because the file may end in a partial line.
    #[error("{}", crate::t!("evidence.err.poisoned", path = path.display()))]
    Poisoned {
        /// The log file.
        path: PathBuf,
    },
    /// A member of the data directory (`lock`, `log.jsonl`, `objects/`, an
    /// object) is a symbolic link. dsr never makes one, and following it
    /// would write into (or truncate) whatever it points to.
    #[error("{}", crate::t!("evidence.err.symlink", path = path.display()))]
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// The data directory, or a member that must be a file, is something
    /// else (a file where the directory should be, a device).
    #[error("{}", if *dir {
        crate::t!("evidence.err.not-a-directory", path = path.display())
    } else {
        crate::t!("evidence.err.not-a-regular-file", path = path.display())
    })]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// A directory was expected.
        dir: bool,
    },
    /// The operating system's random source failed.
    #[error("{}", crate::t!("evidence.err.random", reason = reason))]
    Random {
        /// The operating system's message.
        reason: String,
    },
    /// The signing key file cannot be made or used.
    #[error("{}", crate::t!("key.problem", path = path.display(), problem = problem))]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong.
        problem: key::KeyProblem,
    },
}

/// What dsr was doing when a file operation failed ([`Error::Io`]): the
/// start of the message, `cannot read` …, in the interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IoContext {
    /// Appending a line to the log.
    AppendTo,
    /// Creating a file or directory.
    Create,
    /// Deleting an object.
    Delete,
    /// Flushing a file or directory to disk.
    Fsync,
    /// Taking the data directory's lock.
    Lock,
    /// Opening a file.
    Open,
    /// Reading a file or directory.
    Read,
    /// Removing a file.
    Remove,
    /// Renaming a finished temporary file into place.
    RenameInto,
    /// Starting the thread that reads the log ahead.
    StartReadingThread,
    /// Syncing a whole filesystem.
    SyncFilesystem,
    /// Cutting a file short.
    Truncate,
    /// Writing a file.
    Write,
}

impl IoContext {
    /// The text (`cannot read` …) in the interface language.
    pub fn text(self) -> String {
        match self {
            IoContext::AppendTo => crate::t!("evidence.io.cannot-append-to"),
            IoContext::Create => crate::t!("evidence.io.cannot-create"),
            IoContext::Delete => crate::t!("evidence.io.cannot-delete"),
            IoContext::Fsync => crate::t!("evidence.io.cannot-fsync"),
            IoContext::Lock => crate::t!("evidence.io.cannot-lock"),
            IoContext::Open => crate::t!("evidence.io.cannot-open"),
            IoContext::Read => crate::t!("evidence.io.cannot-read"),
            IoContext::Remove => crate::t!("evidence.io.cannot-remove"),
            IoContext::RenameInto => crate::t!("evidence.io.cannot-rename-into"),
            IoContext::StartReadingThread => crate::t!("evidence.io.cannot-start-a-reading-thread-for"),
            IoContext::SyncFilesystem => crate::t!("evidence.io.cannot-sync-the-filesystem-of"),
            IoContext::Truncate => crate::t!("evidence.io.cannot-truncate"),
            IoContext::Write => crate::t!("evidence.io.cannot-write"),
        }
    }
}

impl std::fmt::Display for IoContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl Error {
    pub(crate) fn io(context: IoContext, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io { context, path: path.into(), source }
    }

    /// An error opening `path` with [`open_options`]: a symlink (`ELOOP`
    /// under `O_NOFOLLOW`) is [`Error::Symlink`].
    pub(crate) fn opening(path: impl Into<PathBuf>, source: io::Error) -> Error {
        let path = path.into();
        if source.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
            Error::Symlink { path }
        } else {
            Error::io(IoContext::Open, path, source)
        }
    }

    /// The exit code class: locked, evidence invalid, bad input (a log or
    /// request that is not there), else unexpected (I/O).
    pub fn exit_kind(&self) -> ExitKind {
        if matches!(self, Error::Locked { .. }) {
            ExitKind::Locked
        } else if self.is_evidence_invalid() {
            ExitKind::EvidenceInvalid
        } else if self.is_bad_input() {
            ExitKind::BadInput
        } else {
            ExitKind::Unexpected
        }
    }

    /// True if the log or an object is damaged or does not verify.
    pub fn is_evidence_invalid(&self) -> bool {
        matches!(self, Error::TornTail { .. } | Error::Verify(_) | Error::Object { .. })
    }

    /// True if the user asked for something that is not there, or named a
    /// key file that cannot be used.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::NoLog { .. }
                | Error::UnknownRequest { .. }
                | Error::Symlink { .. }
                | Error::NotAFile { .. }
                | Error::Key { .. }
        )
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Locked { pid: Some(p), .. } => Some(crate::t!("evidence.locked-by-pid-hint", pid = p)),
            Error::Locked { pid: None, .. } => Some(crate::t!("evidence.locked-hint")),
            Error::TornTail { .. } => Some(crate::t!("evidence.err.torn-tail-hint")),
            Error::Verify(e) => Some(e.hint()),
            Error::NoLog { .. } => Some(crate::t!("evidence.no-log-hint")),
            Error::Object { .. } => Some(crate::t!("evidence.err.object-hint")),
            Error::UnknownRequest { .. } => Some(crate::t!("evidence.err.unknown-request-hint")),
            Error::Poisoned { .. } => Some(crate::t!("evidence.err.poisoned-hint")),
            Error::Symlink { .. } => Some(crate::t!("evidence.err.symlink-hint")),
            Error::NotAFile { dir: true, .. } => Some(crate::t!("evidence.err.not-a-directory-hint")),
            Error::NotAFile { dir: false, .. } => Some(crate::t!("evidence.err.not-a-regular-file-hint")),
            Error::Key { problem: key::KeyProblem::Exists, .. } => Some(crate::t!("key.exists-hint")),
            Error::Key { problem: key::KeyProblem::InsideDataDir(_), .. } => {
                Some(crate::t!("evidence.err.key-inside-data-dir-hint"))
            }
            Error::Key { path, problem: key::KeyProblem::Permissions(_) } => {
                Some(crate::t!("evidence.err.key-permissions-hint", path = path.display()))
            }
            Error::Key { .. } => Some(crate::t!("evidence.err.key-hint")),
            Error::Io { .. } | Error::InvalidEvent { .. } | Error::UnstoredObject { .. } | Error::Random { .. } => None,
        }
    }
}
