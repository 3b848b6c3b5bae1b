//! Verifying a whole log: every line against the one before it (see
//! [`chain`](super::chain)) and, on request, every object the lines name.
//!
//! The pass is streaming: memory is one line buffer plus, with `objects`,
//! the hashes of purged or not-yet-explained missing objects and a bounded
//! cache of recently checked ones (so `prepared` and `sent` naming the same
//! message hash it once). A missing object is an error only if no `purged`
//! event lists it, before or after the line that names it.

use super::chain::Reader;
use super::line::LineProblem;
use super::{Error, ObjectStatus, Sha256, Store};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How many recently verified object hashes to remember.
const RECENT_OBJECTS: usize = 4096;

/// What to check besides the chain.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Also check that every object named in `data.objects` exists and
    /// hashes to its name (or was purged).
    pub objects: bool,
    /// The hash the last line must have (a head recorded earlier, e.g.
    /// printed by a previous verify or sent to an archive). Without it a
    /// changed *last* line cannot be detected: nothing after it commits
    /// to its hash.
    pub head: Option<Sha256>,
}

/// A log that verified.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verified {
    /// Number of lines.
    pub lines: u64,
    /// The hash of the last line.
    pub head: Sha256,
    /// The last line's time.
    pub last_time: String,
    /// Distinct objects found intact (with `objects`).
    pub objects_intact: u64,
    /// Distinct named objects that are gone because a `purged` event lists
    /// them (with `objects`).
    pub objects_purged: u64,
}

/// Why the evidence does not verify: the first bad line or object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A line is damaged or does not fit the chain.
    #[error("{}:{line}: {problem} (seq {}, byte {offset})", path.display(), line - 1)]
    Line {
        /// The log file.
        path: PathBuf,
        /// 1-based line number (`seq` + 1).
        line: u64,
        /// Byte offset where the line starts.
        offset: u64,
        /// What is wrong.
        problem: LineProblem,
    },
    /// An object named by a line is missing or altered.
    #[error("object {sha256}: {problem} (named on {}:{line})", path.display())]
    Object {
        /// The log file.
        path: PathBuf,
        /// The first line naming the object.
        line: u64,
        /// The object's hash.
        sha256: Sha256,
        /// What is wrong.
        problem: ObjectProblem,
    },
    /// The log file has no lines at all.
    #[error("{}: the log is empty (not even the header line)", path.display())]
    Empty {
        /// The log file.
        path: PathBuf,
    },
}

/// What is wrong with an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ObjectProblem {
    /// No file, and no `purged` event lists it.
    #[error("missing")]
    Missing,
    /// The file's bytes hash to something else.
    #[error("altered: its bytes hash to {actual}")]
    Altered {
        /// The hash of the bytes found.
        actual: Sha256,
    },
    /// The file is intact but the line gives another size.
    #[error("the line says {expected} bytes, the object has {actual}")]
    Size {
        /// The size in the line.
        expected: u64,
        /// The object's size.
        actual: u64,
    },
}

impl VerifyError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            VerifyError::Line { problem: LineProblem::Torn, .. } => {
                "a write was cut off (crash or full disk): run `dsr log repair`".into()
            }
            VerifyError::Line { .. } | VerifyError::Empty { .. } => "the log was changed or damaged after it was \
                written: keep a copy of the data directory as it is, compare it with a backup, and do not append \
                until you know why"
                .into(),
            VerifyError::Object { problem: ObjectProblem::Missing, .. } => "restore the object from a backup; \
                objects removed on purpose must be removed with `dsr purge`, which logs it"
                .into(),
            VerifyError::Object { .. } => "restore the object from a backup".into(),
        }
    }

    /// The 1-based line number the error names.
    pub fn line(&self) -> Option<u64> {
        match self {
            VerifyError::Line { line, .. } | VerifyError::Object { line, .. } => Some(*line),
            VerifyError::Empty { .. } => None,
        }
    }
}

/// Verifies the log of `data_dir` (see the module docs).
///
/// # Errors
/// [`Error::Verify`] naming the first bad line or object; [`Error::NoLog`]
/// if there is no log; [`Error::Io`] if a file cannot be read.
pub fn verify(data_dir: &Path, options: &VerifyOptions) -> Result<Verified, Error> {
    let Some(mut reader) = Reader::open(data_dir)? else {
        return Err(Error::NoLog { path: data_dir.join(super::LOG_FILE) });
    };
    let path = reader.path().to_path_buf();
    let store = Store::new(data_dir);
    let mut objects = ObjectCheck::default();
    let mut last_time = String::new();
    while let Some(line) = reader.next_checked()? {
        if options.objects {
            for o in &line.fields.refs.objects {
                if let Some(problem) = objects.check(&store, o.sha256, o.size, line.number)? {
                    return Err(VerifyError::Object { path, line: line.number, sha256: o.sha256, problem }.into());
                }
            }
            for h in &line.fields.refs.purged {
                objects.purged(*h);
            }
        }
        if last_time != *line.fields.time {
            last_time.clear();
            last_time.push_str(&line.fields.time);
        }
    }
    if reader.lines() == 0 {
        return Err(VerifyError::Empty { path }.into());
    }
    if let Some(expected) = options.head
        && expected != reader.head()
    {
        return Err(reader.error(LineProblem::Head { expected, found: reader.head() }));
    }
    if let Some((sha256, line)) = objects.pending.into_iter().min_by_key(|(_, line)| *line) {
        return Err(VerifyError::Object { path, line, sha256, problem: ObjectProblem::Missing }.into());
    }
    Ok(Verified {
        lines: reader.lines(),
        head: reader.head(),
        last_time,
        objects_intact: objects.intact,
        objects_purged: objects.purged_named.len() as u64,
    })
}

/// Object bookkeeping during a verify.
#[derive(Default)]
struct ObjectCheck {
    /// Hashes listed by `purged` events so far.
    purged: HashSet<Sha256>,
    /// Missing, not (yet) listed as purged: hash → first line naming it.
    pending: HashMap<Sha256, u64>,
    /// Named, missing and purged (for the count).
    purged_named: HashSet<Sha256>,
    /// Recently found intact (bounded).
    recent: HashSet<Sha256>,
    /// Intact objects counted (distinct within the recent window).
    intact: u64,
}

impl ObjectCheck {
    fn check(&mut self, store: &Store, sha256: Sha256, size: u64, line: u64) -> Result<Option<ObjectProblem>, Error> {
        if self.recent.contains(&sha256) {
            return Ok(None);
        }
        match store.verify(&sha256)? {
            ObjectStatus::Intact { size: actual } if actual != size => {
                Ok(Some(ObjectProblem::Size { expected: size, actual }))
            }
            ObjectStatus::Intact { .. } => {
                if self.recent.len() >= RECENT_OBJECTS {
                    self.recent.clear();
                }
                self.recent.insert(sha256);
                self.intact += 1;
                Ok(None)
            }
            ObjectStatus::Altered { actual, .. } => Ok(Some(ObjectProblem::Altered { actual })),
            ObjectStatus::Missing if self.purged.contains(&sha256) => {
                self.purged_named.insert(sha256);
                Ok(None)
            }
            ObjectStatus::Missing => {
                self.pending.entry(sha256).or_insert(line);
                Ok(None)
            }
        }
    }

    fn purged(&mut self, sha256: Sha256) {
        if self.pending.remove(&sha256).is_some() {
            self.purged_named.insert(sha256);
        }
        self.purged.insert(sha256);
    }
}
