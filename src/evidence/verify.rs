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
    /// The object is a symbolic link (dsr never makes one; it is not
    /// followed).
    #[error("a symbolic link, not a stored file")]
    Symlink,
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
            VerifyError::Empty { .. } => "an empty log.jsonl is what dsr leaves when it dies between creating the \
                log and writing its first line: nothing was logged, and the next dsr command that logs starts it \
                afresh"
                .into(),
            VerifyError::Line { .. } => "the log was changed or damaged after it was \
                written: keep a copy of the data directory as it is, compare it with a backup, and do not append \
                until you know why"
                .into(),
            VerifyError::Object { problem: ObjectProblem::Missing, .. } => "restore the object from a backup; \
                objects removed on purpose must be removed with `dsr purge`, which logs it"
                .into(),
            VerifyError::Object { problem: ObjectProblem::Symlink, .. } => "dsr stores objects as files and \
                never makes links: find out who made this one, and put the object's own bytes in its place"
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
    if options.objects {
        super::log::check_dir_member(&data_dir.join(super::OBJECTS_DIR))?;
    }
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
    /// Recently found intact, with their sizes (bounded).
    recent: HashMap<Sha256, u64>,
    /// Intact objects counted (distinct within the recent window).
    intact: u64,
}

impl ObjectCheck {
    fn check(&mut self, store: &Store, sha256: Sha256, size: u64, line: u64) -> Result<Option<ObjectProblem>, Error> {
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
            let options = VerifyOptions { objects: true, head: Some(head) };
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
            verify(dir.path(), &VerifyOptions { objects: false, head: Some(head) }).unwrap();
            match verify(dir.path(), &VerifyOptions { objects: true, head: Some(head) }) {
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
        let err = verify(dir.path(), &VerifyOptions { objects: true, head: None }).unwrap_err();
        let log = dir.path().join(crate::evidence::LOG_FILE);
        assert_eq!(err.to_string(), format!("object {}: missing (named on {}:3)", objects[1], log.display()));
        let mut w = Log::open(dir.path()).unwrap();
        let t = parse_time("2026-12-01T00:00:00Z").unwrap();
        w.append(NewEvent::new(
            t,
            crate::evidence::PURGED_EVENT,
            None,
            json!({"purged": [objects[1]], "reason": "test"}),
        ))
        .unwrap();
        let v = verify(dir.path(), &VerifyOptions { objects: true, head: None }).unwrap();
        assert_eq!((v.lines, v.objects_intact, v.objects_purged), (4, 1, 1));
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
        let err = verify(dir.path(), &VerifyOptions { objects: false, head: Some(wrong) }).unwrap_err();
        assert!(
            err.to_string()
                .ends_with(&format!(":2: the last line's hash is {head}, expected head {wrong} (seq 1, byte 190)")),
            "{err}"
        );
    }
}
