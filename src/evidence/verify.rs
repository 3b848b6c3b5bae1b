//! Verifying a whole log: every line against the one before it (see
//! [`chain`](super::chain)) and, on request, every object the lines name.
//!
//! The pass is streaming: memory is one line buffer plus, with `objects`,
//! the hashes of purged or not-yet-explained missing objects and a bounded
//! cache of recently checked ones (so `prepared` and `sent` naming the same
//! message hash it once). A missing object is an error only if no `purged`
//! event lists it, before or after the line that names it.

use super::chain::{Checked, Reader};
use super::line::{CHECKPOINT_EVENT, LineProblem, PURGED_EVENT};
use super::note::{CheckpointRef, SignedCheckpoint, Verifier};
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
    /// Earlier checkpoints, obtained independently (a copy someone else
    /// kept): the log must extend each of them.
    pub checkpoints: Vec<ExternalCheckpoint>,
    /// The published verifier key: the log's last checkpoint and every
    /// external checkpoint must be signed by it. Without it they are
    /// checked against the key the log's last checkpoint names.
    pub key: Option<Verifier>,
}

/// A checkpoint given to [`verify`] from outside the log.
#[derive(Debug, Clone)]
pub struct ExternalCheckpoint {
    /// What to call it in messages (its file name).
    pub label: String,
    /// The checkpoint.
    pub checkpoint: SignedCheckpoint,
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
    /// Objects a `purged` line lists that are in the store again and that
    /// no later line names (restored from a backup, or a purge cut off
    /// before it deleted them): (hash, the purge's line), with `objects`.
    pub restored: Vec<(Sha256, u64)>,
    /// The log's origin (format 2); `None` for a format-1 log.
    pub origin: Option<String>,
    /// The RFC 9162 root of the tree over every line.
    pub root: Sha256,
    /// Checkpoint lines in the log.
    pub checkpoints: u64,
    /// Lines covered by the last checkpoint line (its size; 0 if none):
    /// lines after it rest on the log's own word until a later checkpoint.
    pub covered: u64,
    /// The verifier keys the checkpoint lines name, in order of first use.
    pub keys: Vec<String>,
    /// The key whose signature on the last checkpoint line was checked.
    pub signed_by: Option<String>,
    /// The external checkpoints the log extends: (label, size).
    pub extends: Vec<(String, u64)>,
    /// Lines whose event is `timestamped` (their tokens are checked by
    /// [`super::anchor::timestamps`], which a log without any can skip).
    pub timestamped: u64,
}

/// Why the evidence does not verify: the first bad line or object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A line is damaged or does not fit the chain.
    #[error("{}", crate::t!("verify.err.line", path = path.display(), line = line, problem = problem, seq = line - 1, offset = offset))]
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
    #[error("{}", crate::t!("verify.err.object", sha256 = sha256, problem = problem, path = path.display(), line = line))]
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
    #[error("{}", crate::t!("verify.err.empty", path = path.display()))]
    Empty {
        /// The log file.
        path: PathBuf,
    },
    /// A `timestamped` line's token does not fit the checkpoint it names.
    #[error("{}:{line}: {problem}", path.display())]
    Timestamp {
        /// The log file.
        path: PathBuf,
        /// 1-based line number of the `timestamped` line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// A `timestamped` line's token is not signed as a token of a trusted
    /// TSA must be (docs/evidence-log.md §13).
    #[error("{}:{line}: {problem}", path.display())]
    TokenRefused {
        /// The log file.
        path: PathBuf,
        /// 1-based line number of the `timestamped` line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// A checkpoint given from outside does not fit the log.
    #[error("{}", crate::t!("verify.err.external", label = label, problem = problem, line = line))]
    External {
        /// The checkpoint's name (its file).
        label: String,
        /// The line count at which it was compared (its size, or the log's
        /// length if shorter), for messages that name a line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
}

/// What is wrong with an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ObjectProblem {
    /// No file, and no later `purged` event of a request that named it
    /// lists it.
    #[error("{}", crate::t!("verify.object.missing"))]
    Missing,
    /// No file; a `purged` event lists it, but only before this line
    /// names it, so it does not cover this reference.
    #[error("{}", crate::t!("verify.object.purged-before", purge = purge))]
    PurgedBefore {
        /// The line of that purge.
        purge: u64,
    },
    /// The file's bytes hash to something else.
    #[error("{}", crate::t!("verify.object.altered", actual = actual))]
    Altered {
        /// The hash of the bytes found.
        actual: Sha256,
    },
    /// The object is a symbolic link (dsr never makes one; it is not
    /// followed).
    #[error("{}", crate::t!("verify.object.symlink"))]
    Symlink,
    /// The file is intact but the line gives another size.
    #[error("{}", crate::t!("verify.object.size", expected = expected, actual = actual))]
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
            VerifyError::Line { problem: LineProblem::Torn, .. } => crate::t!("verify.hint.torn"),
            VerifyError::Empty { .. } => crate::t!("verify.hint.empty"),
            VerifyError::Line { .. } => crate::t!("verify.hint.line"),
            VerifyError::Object { problem: ObjectProblem::Missing | ObjectProblem::PurgedBefore { .. }, .. } => {
                crate::t!("verify.hint.object-missing")
            }
            VerifyError::Object { problem: ObjectProblem::Symlink, .. } => crate::t!("verify.hint.object-symlink"),
            VerifyError::Object { .. } => crate::t!("verify.hint.object"),
            VerifyError::Timestamp { .. } => crate::t!("verify.hint.timestamp"),
            VerifyError::TokenRefused { .. } => crate::t!("verify.hint.token-refused"),
            VerifyError::External { .. } => crate::t!("verify.hint.external"),
        }
    }

    /// The 1-based line number the error names.
    pub fn line(&self) -> Option<u64> {
        match self {
            VerifyError::Line { line, .. }
            | VerifyError::Object { line, .. }
            | VerifyError::External { line, .. }
            | VerifyError::Timestamp { line, .. }
            | VerifyError::TokenRefused { line, .. } => Some(*line),
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
    // The tree is built on the reading side, which gives its root before
    // every checkpoint line and at each external checkpoint's size.
    let mut sizes: Vec<u64> = options.checkpoints.iter().map(|c| c.checkpoint.checkpoint.size).collect();
    sizes.sort_unstable();
    let Some(mut reader) = Reader::open_with_tree(data_dir, sizes)? else {
        return Err(Error::NoLog { path: data_dir.join(super::LOG_FILE) });
    };
    let path = reader.path().to_path_buf();
    if options.objects {
        super::log::check_dir_member(&data_dir.join(super::OBJECTS_DIR))?;
    }
    let store = Store::new(data_dir);
    let mut objects = ObjectCheck::default();
    let mut last_time = String::new();
    let mut tree = TreeCheck::new(options);
    // External checkpoints, smallest first: each is compared when the tree
    // has exactly its size, before the next line is read.
    let mut external: Vec<&ExternalCheckpoint> = options.checkpoints.iter().collect();
    external.sort_by_key(|c| c.checkpoint.checkpoint.size);
    let mut next_external = 0;
    let mut extends = Vec::new();
    let mut origin: Option<String> = None;
    let mut timestamped = 0u64;
    let external_problem = |c: &ExternalCheckpoint, line: u64, problem: String| -> Error {
        VerifyError::External { label: c.label.clone(), line, problem }.into()
    };
    loop {
        while let Some(c) = external.get(next_external).copied()
            && c.checkpoint.checkpoint.size == reader.lines()
        {
            let root = reader.root();
            if let Err(problem) = tree.matches_external(&c.checkpoint, root, reader.chain().origin.as_deref(), &path) {
                return Err(external_problem(c, c.checkpoint.checkpoint.size, problem));
            }
            extends.push((c.label.clone(), c.checkpoint.checkpoint.size));
            next_external += 1;
        }
        // The origin before this line (a checkpoint line is checked
        // against it), copied only when it changes.
        if origin.as_deref() != reader.chain().origin.as_deref() {
            origin.clone_from(&reader.chain().origin);
        }
        let Some(line) = reader.next_checked()? else { break };
        if let Err(problem) = tree.line(&line, origin.as_deref()) {
            return Err(VerifyError::Line { path, line: line.number, offset: line.offset, problem }.into());
        }
        if options.objects {
            let request = line.fields.request.as_deref();
            for o in &line.fields.refs.objects {
                if let Some(problem) = objects.check(&store, o.sha256, o.size, line.number, request)? {
                    return Err(VerifyError::Object { path, line: line.number, sha256: o.sha256, problem }.into());
                }
            }
            if let Some(request) = request.filter(|_| line.fields.event == PURGED_EVENT) {
                for h in &line.fields.refs.purged {
                    if let Err(why) = objects.purged(&store, *h, line.number, request) {
                        let problem = LineProblem::Purge(why);
                        return Err(VerifyError::Line { path, line: line.number, offset: line.offset, problem }.into());
                    }
                }
                objects.last_purge.insert(request.to_string(), line.number);
            }
        }
        if line.fields.event == super::tsp::TIMESTAMPED_EVENT {
            timestamped += 1;
        }
        if last_time != *line.fields.time {
            last_time.clear();
            last_time.push_str(&line.fields.time);
        }
    }
    if reader.lines() == 0 {
        return Err(VerifyError::Empty { path }.into());
    }
    if let Some(c) = external.get(next_external) {
        let (have, want) = (reader.lines(), c.checkpoint.checkpoint.size);
        return Err(external_problem(
            c,
            have,
            crate::t!("verify.problem.truncated", want = want, path = path.display(), have = have, from = have + 1),
        ));
    }
    let Some(root) = reader.root() else {
        return Err(reader.error(LineProblem::Checkpoint(crate::t!("verify.problem.no-root"))));
    };
    if let Some(expected) = options.head
        && expected != reader.head()
    {
        return Err(reader.error(LineProblem::Head { expected, found: reader.head() }));
    }
    // The last checkpoint line's signature: it covers every line before it,
    // the earlier checkpoint lines included.
    let signed_by = match tree.last.take() {
        Some(last) => match tree.check_signature(&last) {
            Ok(key) => Some(key),
            Err(problem) => {
                return Err(VerifyError::Line { path, line: last.number, offset: last.offset, problem }.into());
            }
        },
        None => None,
    };
    for c in &options.checkpoints {
        if let Err(problem) = tree.check_external_signature(&c.checkpoint) {
            let line = c.checkpoint.checkpoint.size;
            return Err(external_problem(c, line, problem));
        }
    }
    if let Some((sha256, line, problem)) = objects.first_missing() {
        return Err(VerifyError::Object { path, line, sha256, problem }.into());
    }
    Ok(Verified {
        lines: reader.lines(),
        head: reader.head(),
        last_time,
        objects_intact: objects.intact,
        objects_purged: objects.purged_named.len() as u64,
        restored: objects.restored(),
        origin: reader.chain().origin.clone(),
        root,
        checkpoints: tree.count,
        covered: tree.covered,
        keys: tree.keys.iter().map(ToString::to_string).collect(),
        signed_by,
        extends,
        timestamped,
    })
}

/// What `dsr log verify` prints for a log that verified, line by line
/// (`docs/verify_log.py` prints the same).
pub fn verified_summary(v: &Verified, objects: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut first = crate::t!("verify.ok", lines = v.lines, head = v.head);
    if objects {
        first.push_str(&crate::t!("verify.objects", intact = v.objects_intact, purged = v.objects_purged));
    }
    out.push(first);
    out.push(match &v.origin {
        Some(o) => crate::t!("verify.tree-v2", root = v.root, lines = v.lines, origin = o),
        None => crate::t!("verify.tree-v1", root = v.root, lines = v.lines),
    });
    if v.checkpoints > 0 {
        let signer = v.signed_by.as_deref().unwrap_or("?");
        out.push(crate::t!(
            "verify.checkpoints",
            n = v.checkpoints,
            line = v.covered + 1,
            covered = v.covered,
            signer = signer,
            fingerprint = Sha256::digest(signer.as_bytes())
        ));
    } else if v.origin.is_some() {
        out.push(crate::t!("verify.no-checkpoints"));
    }
    let from = if v.checkpoints > 0 { v.covered + 2 } else { 1 };
    if from <= v.lines {
        out.push(crate::t!("verify.not-covered", from = from, to = v.lines));
    }
    for (label, size) in &v.extends {
        out.push(crate::t!("verify.extends", label = label, size = size));
    }
    for (sha256, line) in &v.restored {
        out.push(crate::t!("verify.restored", sha256 = sha256, line = line));
    }
    out
}

/// The last checkpoint line seen, kept to check its signature at the end.
struct LastCheckpoint {
    number: u64,
    offset: u64,
    /// The key it names: its index in [`TreeCheck::keys`].
    key: usize,
    /// Its note (the buffer is reused from line to line).
    note: String,
}

/// The checks against the tree during a verify: every checkpoint line and
/// every external checkpoint against the root the reader gives (the tree
/// itself is built on the reading side, see [`Reader::open_with_tree`]).
struct TreeCheck<'o> {
    options: &'o VerifyOptions,
    /// Keys named by checkpoint lines (parsed once each).
    keys: Vec<Verifier>,
    /// The text of the last key parsed, and its index in `keys`.
    last_key: Option<(String, usize)>,
    count: u64,
    covered: u64,
    last: Option<LastCheckpoint>,
}

impl<'o> TreeCheck<'o> {
    fn new(options: &'o VerifyOptions) -> TreeCheck<'o> {
        TreeCheck { options, keys: Vec::new(), last_key: None, count: 0, covered: 0, last: None }
    }

    /// Checks a checkpoint line against the tree of the lines before it.
    fn line(&mut self, line: &Checked<'_>, origin: Option<&str>) -> Result<(), LineProblem> {
        if line.fields.event == CHECKPOINT_EVENT {
            self.checkpoint_line(line, origin)?;
        }
        Ok(())
    }

    fn checkpoint_line(&mut self, line: &Checked<'_>, origin: Option<&str>) -> Result<(), LineProblem> {
        let bad = LineProblem::Checkpoint;
        let (Some(key_text), Some(note)) = (&line.fields.refs.key, &line.fields.refs.note) else {
            return Err(bad(crate::t!("verify.problem.no-key-or-note")));
        };
        let key = match &self.last_key {
            Some((text, i)) if text == key_text => *i,
            _ => {
                let key = Verifier::parse(key_text).map_err(|e| bad(format!("data.key: {e}")))?;
                let i = match self.keys.iter().position(|k| *k == key) {
                    Some(i) => i,
                    None => {
                        self.keys.push(key.clone());
                        self.keys.len() - 1
                    }
                };
                self.last_key = Some((key_text.clone(), i));
                i
            }
        };
        // Every note's syntax and body are checked here; the signature
        // only on the last one (it covers the lines before it).
        let cp = CheckpointRef::from_signed(note).map_err(|e| bad(format!("data.note: {e}")))?;
        if Some(cp.origin) != origin {
            return Err(bad(crate::t!(
                "verify.problem.origin",
                origin = format!("{:?}", cp.origin),
                log = format!("{:?}", origin.unwrap_or("none"))
            )));
        }
        if cp.size != line.fields.seq {
            return Err(bad(crate::t!("verify.problem.size", size = cp.size, seq = line.fields.seq)));
        }
        let root = line.root.ok_or_else(|| bad(crate::t!("verify.problem.no-root")))?;
        if cp.root != root {
            return Err(bad(crate::t!("verify.problem.root", size = cp.size, root = root, says = cp.root)));
        }
        self.count += 1;
        self.covered = cp.size;
        match &mut self.last {
            Some(last) => {
                (last.number, last.offset, last.key) = (line.number, line.offset, key);
                last.note.clone_from(note);
            }
            None => {
                self.last = Some(LastCheckpoint { number: line.number, offset: line.offset, key, note: note.clone() })
            }
        }
        Ok(())
    }

    /// The key a signature must be by: `--key`, else the one named.
    fn required<'k>(&'k self, named: &'k Verifier) -> &'k Verifier {
        self.options.key.as_ref().unwrap_or(named)
    }

    fn check_signature(&self, last: &LastCheckpoint) -> Result<String, LineProblem> {
        let problem = |e: super::note::NoteError| LineProblem::Checkpoint(e.to_string());
        let key = self.required(&self.keys[last.key]);
        let note = SignedCheckpoint::parse(&last.note).map_err(problem)?;
        note.signed.verify(key).map_err(problem)?;
        Ok(key.to_string())
    }

    fn matches_external(
        &self,
        c: &SignedCheckpoint,
        root: Option<Sha256>,
        origin: Option<&str>,
        path: &Path,
    ) -> Result<(), String> {
        let cp = &c.checkpoint;
        if Some(cp.origin.as_str()) != origin {
            return Err(crate::t!(
                "verify.problem.other-log",
                origin = format!("{:?}", cp.origin),
                log = format!("{:?}", origin.map_or_else(|| crate::t!("verify.problem.no-origin"), str::to_string))
            ));
        }
        let root = root.ok_or_else(|| crate::t!("verify.problem.no-root"))?;
        if cp.root != root {
            return Err(crate::t!(
                "verify.problem.external-root",
                size = cp.size,
                path = path.display(),
                root = root,
                says = cp.root
            ));
        }
        Ok(())
    }

    /// An external checkpoint must be signed by `--key`, or by a key the
    /// log's checkpoint lines name.
    fn check_external_signature(&self, c: &SignedCheckpoint) -> Result<(), String> {
        if let Some(key) = &self.options.key {
            return c.signed.verify(key).map_err(|e| e.to_string());
        }
        if self.keys.iter().any(|k| c.signed.verify(k).is_ok()) {
            return Ok(());
        }
        Err(crate::t!("verify.problem.unknown-signer"))
    }
}

/// Object bookkeeping during a verify (docs/evidence-log.md §5).
///
/// Memory is bounded by the missing and purged objects, not by the log:
/// only a missing object is remembered with the requests that name it.
#[derive(Default)]
struct ObjectCheck {
    /// Missing objects: hash → request (`None`: a line without one) →
    /// the last line naming it.
    namers: HashMap<Sha256, HashMap<Option<String>, u64>>,
    /// Request → the line of its latest `purged` event so far.
    last_purge: HashMap<String, u64>,
    /// Missing, not covered by a later purge: hash → first such line.
    pending: HashMap<Sha256, u64>,
    /// Hash → the line of the latest purge listing it (for messages).
    purged_at: HashMap<Sha256, u64>,
    /// Named, missing and purged (for the count).
    purged_named: HashSet<Sha256>,
    /// Listed by a purge but in the store again, not named since: hash →
    /// the purge's line.
    restored: HashMap<Sha256, u64>,
    /// Recently found intact, with their sizes (bounded).
    recent: HashMap<Sha256, u64>,
    /// Intact objects counted (distinct within the recent window).
    intact: u64,
}

impl ObjectCheck {
    fn check(
        &mut self,
        store: &Store,
        sha256: Sha256,
        size: u64,
        line: u64,
        request: Option<&str>,
    ) -> Result<Option<ObjectProblem>, Error> {
        // Named again after its purge: stored again, not restored.
        self.restored.remove(&sha256);
        if let Some(&actual) = self.recent.get(&sha256) {
            return Ok((actual != size).then_some(ObjectProblem::Size { expected: size, actual }));
        }
        match store.verify(&sha256)? {
            ObjectStatus::Intact { size: actual } => {
                if self.recent.len() >= RECENT_OBJECTS {
                    self.recent.clear();
                }
                self.recent.insert(sha256, actual);
                self.intact += 1;
                Ok((actual != size).then_some(ObjectProblem::Size { expected: size, actual }))
            }
            ObjectStatus::Altered { actual, .. } => Ok(Some(ObjectProblem::Altered { actual })),
            ObjectStatus::Symlink => Ok(Some(ObjectProblem::Symlink)),
            ObjectStatus::Missing => {
                self.namers.entry(sha256).or_default().insert(request.map(str::to_string), line);
                self.pending.entry(sha256).or_insert(line);
                Ok(None)
            }
        }
    }

    /// A `purged` line of `request` (at `line`) lists `sha256`: it covers
    /// the missing object's earlier references if `request` named it and
    /// every other request naming it had been purged since; an object
    /// still in the store is noted as restored.
    fn purged(&mut self, store: &Store, sha256: Sha256, line: u64, request: &str) -> Result<(), String> {
        if store.path_of(&sha256).symlink_metadata().is_ok() {
            self.restored.insert(sha256, line);
            return Ok(());
        }
        let namers = self.namers.get(&sha256);
        if !namers.is_some_and(|n| n.contains_key(&Some(request.to_string()))) {
            return Err(crate::t!("verify.problem.purge-foreign", sha256 = sha256, request = request));
        }
        let still =
            namers.into_iter().flatten().filter(|(r, _)| r.as_deref() != Some(request)).find(|(r, named)| {
                r.as_ref().and_then(|r| self.last_purge.get(r)).is_none_or(|purged| purged < *named)
            });
        if let Some((other, named)) = still {
            let who = other.as_ref().map_or_else(
                || crate::t!("verify.problem.purge-no-request"),
                |r| crate::t!("verify.problem.purge-request", request = r),
            );
            return Err(crate::t!("verify.problem.purge-shared", sha256 = sha256, who = who, named = named));
        }
        if self.pending.remove(&sha256).is_some() {
            self.purged_named.insert(sha256);
        }
        self.purged_at.insert(sha256, line);
        Ok(())
    }

    /// The first missing object no later purge covers.
    fn first_missing(&self) -> Option<(Sha256, u64, ObjectProblem)> {
        let (&sha256, &line) = self.pending.iter().min_by_key(|(_, line)| **line)?;
        let problem = match self.purged_at.get(&sha256) {
            Some(&purge) if purge < line => ObjectProblem::PurgedBefore { purge },
            _ => ObjectProblem::Missing,
        };
        Some((sha256, line, problem))
    }

    /// Objects listed as purged that are in the store again, by line.
    fn restored(&self) -> Vec<(Sha256, u64)> {
        let mut r: Vec<(Sha256, u64)> = self.restored.iter().map(|(h, l)| (*h, *l)).collect();
        r.sort_by_key(|(h, l)| (*l, *h));
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Log, NewEvent, RequestId, line::parse_time};
    use proptest::prelude::*;
    use serde_json::json;
    use std::fs;

    /// One generated event: name, request index, object content, a note.
    type Spec = (String, Option<u8>, Option<Vec<u8>>, String);

    fn event_spec() -> impl Strategy<Value = Spec> {
        (
            "[a-z][a-z_]{0,12}",
            proptest::option::of(0u8..3),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 1..40)),
            "[ -~äß]{0,12}",
        )
    }

    /// Writes a log from specs; returns the head and the stored objects.
    fn build(dir: &Path, specs: &[Spec]) -> (Sha256, Vec<Sha256>) {
        let mut log = Log::open(dir).unwrap();
        let mut objects = Vec::new();
        let mut events = Vec::new();
        let start = parse_time("2026-11-28T10:00:00Z").unwrap();
        for (i, (name, request, content, note)) in specs.iter().enumerate() {
            let name = if name == crate::evidence::HEADER_EVENT { "created".to_string() } else { name.clone() };
            let request = request.map(|r| RequestId::from_random([r; 10]));
            let mut data = json!({ "note": note });
            if let Some(c) = content {
                let stored = log.store().put(c).unwrap();
                objects.push(stored.sha256);
                data["objects"] = json!([stored.with_role("attachment")]);
            }
            let time = start + chrono::Duration::seconds(i as i64 / 2);
            events.push(NewEvent::new(time, name, request, data));
        }
        let entries = log.append_group(events).unwrap();
        (entries.last().unwrap().hash, objects)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn any_changed_byte_in_a_line_is_found_at_that_line(
            specs in proptest::collection::vec(event_spec(), 1..10),
            pick_line in any::<prop::sample::Index>(),
            pick_byte in any::<prop::sample::Index>(),
            xor in 1u8..=255,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let (head, _) = build(dir.path(), &specs);
            let options = VerifyOptions { objects: true, head: Some(head), ..Default::default() };
            let ok = verify(dir.path(), &options).unwrap();
            prop_assert_eq!(ok.lines, specs.len() as u64 + 1);

            let path = dir.path().join(crate::evidence::LOG_FILE);
            let mut bytes = fs::read(&path).unwrap();
            let starts: Vec<usize> = std::iter::once(0)
                .chain(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1))
                .filter(|&i| i < bytes.len())
                .collect();
            let k = pick_line.index(starts.len());
            let end = starts.get(k + 1).copied().unwrap_or(bytes.len());
            let at = starts[k] + pick_byte.index(end - starts[k]);
            bytes[at] ^= xor;
            fs::write(&path, &bytes).unwrap();

            let line = (k + 1) as u64;
            match verify(dir.path(), &options) {
                Err(Error::Verify(VerifyError::Line { line: named, problem, .. })) => {
                    // The changed line itself, or the next one, whose `prev`
                    // no longer matches the changed line's hash.
                    let next_prev = named == line + 1 && matches!(problem, LineProblem::Prev { .. });
                    prop_assert!(named == line || next_prev, "changed line {}, named {}: {}", line, named, problem);
                }
                // A changed digit of an object's size still parses: the
                // object no longer fits the line, at that line.
                Err(Error::Verify(VerifyError::Object { line: named, problem: ObjectProblem::Size { .. }, .. }))
                    if named == line => {}
                other => prop_assert!(false, "changed line {}: {:?}", line, other),
            }
        }

        #[test]
        fn any_changed_byte_in_an_object_is_found_and_named(
            specs in proptest::collection::vec(event_spec(), 1..8),
            pick in any::<prop::sample::Index>(),
            pick_byte in any::<prop::sample::Index>(),
            xor in 1u8..=255,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let (head, objects) = build(dir.path(), &specs);
            prop_assume!(!objects.is_empty());
            let target = objects[pick.index(objects.len())];
            let path = Store::new(dir.path()).path_of(&target);
            let mut bytes = fs::read(&path).unwrap();
            let at = pick_byte.index(bytes.len());
            bytes[at] ^= xor;
            fs::write(&path, &bytes).unwrap();
            verify(dir.path(), &VerifyOptions { objects: false, head: Some(head), ..Default::default() }).unwrap();
            match verify(dir.path(), &VerifyOptions { objects: true, head: Some(head), ..Default::default() }) {
                Err(Error::Verify(VerifyError::Object { sha256, problem: ObjectProblem::Altered { .. }, .. })) => {
                    prop_assert_eq!(sha256, target);
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }

    #[test]
    fn purged_objects_are_reported_as_purged_and_missing_ones_fail() {
        let dir = tempfile::tempdir().unwrap();
        let specs: Vec<Spec> = vec![
            ("noted".into(), Some(1), Some(b"one".to_vec()), String::new()),
            ("noted".into(), Some(2), Some(b"two".to_vec()), String::new()),
        ];
        let (_, objects) = build(dir.path(), &specs);
        let store = Store::new(dir.path());
        store.remove(&objects[1]).unwrap();
        let err = verify(dir.path(), &VerifyOptions { objects: true, head: None, ..Default::default() }).unwrap_err();
        let log = dir.path().join(crate::evidence::LOG_FILE);
        assert_eq!(err.to_string(), format!("object {}: missing (named on {}:3)", objects[1], log.display()));
        purge_line(dir.path(), 2, &[objects[1]]);
        let v = verify(dir.path(), &VerifyOptions { objects: true, head: None, ..Default::default() }).unwrap();
        assert_eq!((v.lines, v.objects_intact, v.objects_purged), (4, 1, 1));
        assert!(v.restored.is_empty());
    }

    /// Appends a `purged` line of request `r` (as `build` numbers them).
    fn purge_line(dir: &Path, r: u8, purged: &[Sha256]) {
        let mut w = Log::open(dir).unwrap();
        let t = parse_time("2026-12-01T00:00:00Z").unwrap();
        let request = Some(RequestId::from_random([r; 10]));
        let data = json!({"purged": purged, "reason": "test"});
        w.append(NewEvent::new(t, crate::evidence::PURGED_EVENT, request, data)).unwrap();
    }

    fn verify_objects(dir: &Path) -> Result<Verified, Error> {
        verify(dir, &VerifyOptions { objects: true, head: None, ..Default::default() })
    }

    #[test]
    fn a_purge_covers_only_its_own_requests_objects() {
        let dir = tempfile::tempdir().unwrap();
        let specs: Vec<Spec> = vec![
            ("noted".into(), Some(1), Some(b"one".to_vec()), String::new()),
            ("noted".into(), Some(2), Some(b"two".to_vec()), String::new()),
        ];
        let (_, objects) = build(dir.path(), &specs);
        Store::new(dir.path()).remove(&objects[1]).unwrap();
        // Request 1's purge lists request 2's object.
        purge_line(dir.path(), 1, &[objects[1]]);
        let err = verify_objects(dir.path()).unwrap_err().to_string();
        assert!(err.contains(":4: it lists object "), "{err}");
        assert!(err.contains("but no earlier line of request "), "{err}");
    }

    #[test]
    fn a_purge_before_the_line_naming_the_object_does_not_cover_it() {
        let dir = tempfile::tempdir().unwrap();
        let (_, objects) = build(dir.path(), &[("noted".into(), Some(1), Some(b"one".to_vec()), String::new())]);
        purge_line(dir.path(), 1, &[objects[0]]);
        Store::new(dir.path()).remove(&objects[0]).unwrap();
        // A later line of another request names the same bytes.
        let mut w = Log::open(dir.path()).unwrap();
        let stored = w.store().put(b"one").unwrap();
        let t = parse_time("2026-12-02T00:00:00Z").unwrap();
        let data = json!({"objects": [stored.with_role("attachment")]});
        w.append(NewEvent::new(t, "noted", Some(RequestId::from_random([2; 10])), data)).unwrap();
        drop(w);
        // Stored again by that line: not "restored".
        assert!(verify_objects(dir.path()).unwrap().restored.is_empty());
        Store::new(dir.path()).remove(&objects[0]).unwrap();
        let err = verify_objects(dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with(&format!(
                "missing: the purge that lists it (line 3) comes before this line names it \
            (named on {}:4)",
                dir.path().join("log.jsonl").display()
            )),
            "{err}"
        );
    }

    #[test]
    fn a_shared_object_is_covered_once_every_request_naming_it_is_purged() {
        let dir = tempfile::tempdir().unwrap();
        let specs: Vec<Spec> = vec![
            ("noted".into(), Some(1), Some(b"same".to_vec()), String::new()),
            ("noted".into(), Some(2), Some(b"same".to_vec()), String::new()),
        ];
        let (_, objects) = build(dir.path(), &specs);
        Store::new(dir.path()).remove(&objects[0]).unwrap();
        // Deleted while request 2 still names it.
        let early = tempfile::tempdir().unwrap();
        copy_log(dir.path(), early.path());
        purge_line(early.path(), 1, &[objects[0]]);
        let err = verify_objects(early.path()).unwrap_err().to_string();
        assert!(err.contains(":4: it lists object ") && err.contains("still names it (line 3)"), "{err}");
        // What dsr purge does: request 1's purge keeps it, request 2's deletes it.
        purge_line(dir.path(), 1, &[]);
        purge_line(dir.path(), 2, &[objects[0]]);
        let v = verify_objects(dir.path()).unwrap();
        assert_eq!((v.objects_intact, v.objects_purged), (0, 1));
    }

    fn copy_log(from: &Path, to: &Path) {
        fs::copy(from.join(crate::evidence::LOG_FILE), to.join(crate::evidence::LOG_FILE)).unwrap();
    }

    #[test]
    fn purged_only_in_purged_lines_that_name_their_request() {
        for (event, request, data, why) in [
            (
                "closed",
                Some(1),
                json!({"purged": []}),
                "data.purged is allowed only in a \"purged\" line, not in \"closed\"",
            ),
            ("purged", None, json!({"purged": []}), "a \"purged\" line names the request whose objects it deleted"),
            ("purged", Some(1), json!({"reason": "x"}), "a \"purged\" line lists the deleted objects in data.purged"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            build(dir.path(), &[("noted".into(), None, None, String::new())]);
            let mut w = Log::open(dir.path()).unwrap();
            let t = parse_time("2026-12-01T00:00:00Z").unwrap();
            w.append(NewEvent::new(t, event, request.map(|r| RequestId::from_random([r; 10])), data)).unwrap();
            drop(w);
            let err = verify(dir.path(), &VerifyOptions::default()).unwrap_err().to_string();
            assert!(err.contains(&format!(":3: {why} (seq 2")), "{err}");
        }
    }

    #[test]
    fn an_object_back_in_the_store_after_its_purge_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (_, objects) = build(dir.path(), &[("noted".into(), Some(1), Some(b"one".to_vec()), String::new())]);
        let path = Store::new(dir.path()).path_of(&objects[0]);
        let saved = fs::read(&path).unwrap();
        Store::new(dir.path()).remove(&objects[0]).unwrap();
        purge_line(dir.path(), 1, &[objects[0]]);
        assert!(verify_objects(dir.path()).unwrap().restored.is_empty());
        fs::write(&path, saved).unwrap();
        let v = verify_objects(dir.path()).unwrap();
        assert_eq!(v.restored, vec![(objects[0], 3)]);
        let summary = verified_summary(&v, true);
        assert!(summary.last().unwrap().starts_with(&format!("restored after purge: object {} ", objects[0])));
    }

    #[test]
    fn empty_missing_and_head_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(crate::evidence::LOG_FILE);
        let none = verify(dir.path(), &VerifyOptions::default()).unwrap_err();
        assert_eq!(none.to_string(), format!("no evidence log at {}", log.display()));
        fs::write(&log, b"").unwrap();
        let empty = verify(dir.path(), &VerifyOptions::default()).unwrap_err();
        assert_eq!(empty.to_string(), format!("{}: the log is empty (not even the header line)", log.display()));
        fs::remove_file(&log).unwrap();
        let (head, _) = build(dir.path(), &[("attached".into(), None, None, String::new())]);
        let wrong = Sha256::digest(b"other");
        let err =
            verify(dir.path(), &VerifyOptions { objects: false, head: Some(wrong), ..Default::default() }).unwrap_err();
        assert!(
            err.to_string()
                .ends_with(&format!(":2: the last line's hash is {head}, expected head {wrong} (seq 1, byte 251)")),
            "{err}"
        );
    }
}
