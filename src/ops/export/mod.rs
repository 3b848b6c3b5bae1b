//! Evidence bundles: one case's artifacts and log lines in a folder that
//! anyone can check offline, with `sha256sum`, `docs/verify_log.py` or
//! `dsr evidence verify`.
//!
//! [`export`] writes a bundle (format 2) from a data directory; [`verify`]
//! checks a bundle of format 2 or 1 with nothing but its own files (and,
//! optionally, a checkpoint obtained elsewhere). The layout of format 2
//! (user-facing spec in `docs/evidence-bundle.md`):
//!
//! ```text
//! 01-message.eml …        every object the case's lines name, numbered
//!                         in the order the log first names them
//! log-lines.jsonl         the case's log lines, byte for byte
//! log-context.jsonl       the log's header line (and `upgraded` line)
//! proofs.json             an RFC 9162 inclusion proof of each of those
//!                         lines, and consistency proofs from earlier
//!                         checkpoints, against the bundle's tree
//! checkpoint.txt          the signed checkpoint of that tree
//! checkpoint-<n>.txt      earlier checkpoints the proofs link to
//! timestamp-<n>-<k>.tst   RFC 3161 tokens over checkpoint-<n>.txt (or
//!                         checkpoint.txt): the case's lines existed by
//!                         their genTime
//! README.txt              what each file proves, in the case's language
//! manifest.json           files, lines, objects, the tree and checkpoints
//! SHA256SUMS              coreutils format, every file but itself
//! ```
//!
//! The proofs hold subtree hashes only, so the bundle discloses nothing of
//! other cases' lines, and its size grows with log2 of the log's length
//! (format 1 carried the hash of every line, `chain.txt`).

mod verify;
mod write;

pub use verify::{Existed, Verified, VerifyOptions, verified_summary, verify};
pub use write::{ExportOptions, Exported, export};

use crate::evidence::{IoContext, RequestId, Sha256, TreeHead};
use crate::exit::ExitKind;
use crate::kind::LetterKind;
use crate::lang::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io;
use std::path::PathBuf;

/// The bundle format dsr writes, in `manifest.json`.
pub const FORMAT: &str = FORMAT_V2;
/// Format 2: proofs against a signed checkpoint.
pub const FORMAT_V2: &str = "dsr-evidence-bundle/2";
/// Format 1: the chain of every line's hash (`chain.txt`); still verified.
pub const FORMAT_V1: &str = "dsr-evidence-bundle/1";
/// The proofs' file name (format 2).
pub const PROOFS: &str = "proofs.json";
/// The format name inside `proofs.json`.
pub const PROOFS_FORMAT: &str = "dsr-bundle-proofs/1";
/// The log's header (and `upgraded`) lines' file name (format 2).
pub const CONTEXT: &str = "log-context.jsonl";
/// The signed checkpoint's file name (format 2).
pub const CHECKPOINT: &str = "checkpoint.txt";
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

/// The file name of the `k`-th (from 1) timestamp token over the
/// checkpoint of `size` lines.
pub fn timestamp_file(size: u64, k: usize) -> String {
    format!("timestamp-{size}-{k}.tst")
}

/// `manifest.json` of format 2: what the bundle holds. Every member is
/// checked by [`verify`] against the files, the lines or the proofs;
/// nothing in it is taken on trust.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestV2 {
    /// [`FORMAT_V2`].
    pub format: String,
    /// The request (case) id.
    pub request: RequestId,
    /// The company, as the case's first `prepared` line says.
    pub company: String,
    /// The policy id, as that line says.
    pub policy: String,
    /// The original request's kind, as that line says.
    pub kind: LetterKind,
    /// The case's language (that line's, and README.txt's).
    pub lang: Lang,
    /// The tree every proof is against.
    pub tree: TreeHead,
    /// Its signed checkpoint; `None` when no key signed one (the bundle
    /// then rests on the sender's word unless the verifier holds a
    /// checkpoint of that tree).
    pub checkpoint: Option<CheckpointFile>,
    /// Earlier checkpoints with a consistency proof to `tree`.
    pub linked: Vec<LinkedCheckpoint>,
    /// RFC 3161 timestamp tokens over the bundle's checkpoint or a linked
    /// one: for each of the case's lines, the tokens over the first
    /// checkpoint that covers it and was timestamped. Absent (empty) in
    /// bundles without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<TimestampFile>,
    /// Every file of the bundle except `manifest.json` and `SHA256SUMS`.
    pub files: Vec<File>,
    /// The case's lines, in order.
    pub lines: Vec<Line>,
    /// The log's header and `upgraded` lines.
    pub context: Vec<Line>,
    /// Every object the case's lines name, in the order first named.
    pub objects: Vec<Object>,
}

/// The signed checkpoint of a bundle's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointFile {
    /// Its file ([`CHECKPOINT`]).
    pub file: String,
    /// The verifier key the log names for it (compare with the published
    /// one).
    pub key: String,
    /// The log's origin.
    pub origin: String,
}

/// An earlier checkpoint that the bundle's tree extends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkedCheckpoint {
    /// Its file (`checkpoint-<size>.txt`).
    pub file: String,
    /// Its tree size.
    pub size: u64,
    /// Its root.
    pub root: Sha256,
    /// Why it is here: the seqs of the case's lines it was the first
    /// checkpoint to cover, or empty for one given to `--checkpoint`.
    pub first_covers: Vec<u64>,
}

/// A timestamp token in the bundle: a time-stamping authority's RFC 3161
/// token whose imprint is the SHA-256 of a checkpoint file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimestampFile {
    /// Its file ([`timestamp_file`]): the DER `TimeStampToken` as the
    /// log's `timestamped` line stored it.
    pub file: String,
    /// The checkpoint file it is over: [`CHECKPOINT`] or a linked one.
    pub checkpoint: String,
    /// That checkpoint's size: the token covers the first `size` lines.
    pub size: u64,
    /// The TSA's name, as the log's `timestamped` line gives it.
    pub tsa: String,
    /// The token's genTime, RFC 3339 UTC as the log writes it.
    pub gen_time: String,
}

/// `proofs.json` (format 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleProofs {
    /// [`PROOFS_FORMAT`].
    pub format: String,
    /// The tree (as in the manifest).
    pub tree: TreeHead,
    /// One inclusion proof per line of `log-context.jsonl` and
    /// `log-lines.jsonl`, by seq.
    pub inclusion: Vec<InclusionProof>,
    /// One consistency proof per linked checkpoint, to `tree`.
    pub consistency: Vec<ConsistencyFrom>,
}

/// An inclusion proof in `proofs.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// The line's seq (its leaf index).
    pub seq: u64,
    /// The proof hashes, leaf to root.
    pub proof: Vec<Sha256>,
}

/// A consistency proof in `proofs.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyFrom {
    /// The earlier tree size.
    pub size: u64,
    /// The proof hashes.
    pub proof: Vec<Sha256>,
}

/// `manifest.json` of format 1 (read by [`verify`] only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT_V1`].
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
    #[error("{}", crate::t!("export.not-empty", path = path.display()))]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// `--force` was given but the directory has a subdirectory, which a
    /// bundle never has: it is probably not an old bundle.
    #[error("{}", crate::t!("export.err.not-a-bundle", path = path.display(), name = name))]
    NotABundle {
        /// The directory.
        path: PathBuf,
        /// The subdirectory found.
        name: String,
    },
    /// A file or directory could not be read or written.
    #[error("{}", crate::t!("evidence.err.io", context = context, path = path.display(), source = source))]
    Io {
        /// What dsr was doing.
        context: IoContext,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A log line's bytes no longer match the hash read a moment before:
    /// the log was changed while exporting.
    #[error("{}", crate::t!("export.err.changed", path = path.display(), seq = seq))]
    Changed {
        /// The log file.
        path: PathBuf,
        /// The line's seq.
        seq: u64,
    },
    /// An object a case line names is missing from the store, and no
    /// `purged` line of the case lists it.
    #[error("{}", crate::t!("export.err.missing-object", sha256 = sha256, role = role, seq = seq))]
    MissingObject {
        /// The object.
        sha256: Sha256,
        /// Its role.
        role: String,
        /// The line naming it.
        seq: u64,
    },
    /// The bundle directory does not exist or is not a directory.
    #[error("{}", crate::t!("export.err.no-bundle", path = path.display()))]
    NoBundle {
        /// The path given.
        path: PathBuf,
    },
    /// A checkpoint given to `export --checkpoint` cannot be read.
    #[error("{}: {problem}", path.display())]
    CheckpointFile {
        /// The file.
        path: PathBuf,
        /// Why it is not a signed checkpoint.
        problem: String,
    },
    /// A checkpoint given to `export --checkpoint` does not fit the log:
    /// the log no longer holds what it signed, or it is of another log.
    #[error("{}: {problem}", path.display())]
    NotExtending {
        /// The file.
        path: PathBuf,
        /// What does not fit.
        problem: String,
    },
    /// A `timestamped` line's token does not fit: its object is changed
    /// or unreadable, or it is not over the checkpoint the line names.
    #[error("{}", crate::t!("export.err.token", path = path.display(), line = seq + 1, seq = seq, problem = problem))]
    Token {
        /// The log file.
        path: PathBuf,
        /// The `timestamped` line's seq.
        seq: u64,
        /// What does not fit.
        problem: String,
    },
    /// The bundle does not verify.
    #[error("{}", crate::t!("export.err.invalid", dir = dir.display(), file = file, problem = problem, more = more_problems(*more)))]
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
        1 => crate::t!("export.err.one-more-problem"),
        n => crate::t!("export.err.more-problems", n = n),
    }
}

impl Error {
    pub(crate) fn io(context: IoContext, path: impl Into<PathBuf>, source: io::Error) -> Error {
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
        matches!(
            self,
            Error::Invalid { .. }
                | Error::MissingObject { .. }
                | Error::Changed { .. }
                | Error::NotExtending { .. }
                | Error::Token { .. }
        )
    }

    /// True when the user asked for something that does not fit (exit 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::NotEmpty { .. } | Error::NotABundle { .. } | Error::NoBundle { .. } | Error::CheckpointFile { .. }
        )
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotEmpty { .. } => Some(crate::t!("export.not-empty-hint")),
            Error::NotABundle { .. } => Some(crate::t!("export.hint.not-a-bundle")),
            Error::Changed { .. } => Some(crate::t!("export.hint.changed")),
            Error::MissingObject { .. } => Some(crate::t!("export.hint.missing-object")),
            Error::NoBundle { .. } => Some(crate::t!("export.hint.no-bundle")),
            Error::Invalid { file, .. } if file == "--head" => Some(crate::t!("export.hint.head")),
            Error::Invalid { file, .. } if file.starts_with("--checkpoint") => {
                Some(crate::t!("export.hint.checkpoint"))
            }
            Error::Invalid { file, problem, .. }
                if file.starts_with("timestamp-") && problem.contains(&crate::t!("export.marker.refused")) =>
            {
                Some(crate::t!("export.hint.token-refused"))
            }
            Error::Invalid { problem, .. } if problem.contains(&crate::t!("export.marker.signature")) => {
                Some(crate::t!("export.hint.signature"))
            }
            Error::Invalid { .. } => Some(crate::t!("export.hint.invalid")),
            Error::CheckpointFile { .. } => Some(crate::t!("export.hint.checkpoint-file")),
            Error::NotExtending { .. } => Some(crate::t!("export.hint.not-extending")),
            Error::Token { .. } => Some(crate::t!("export.hint.token")),
            Error::Io { .. } => None,
        }
    }
}
