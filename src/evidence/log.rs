//! The writer: [`Log`] appends lines under the data directory's lock, and
//! [`repair`] sets a torn last line aside.
//!
//! # Durability
//!
//! Each [`Log::append`] writes its line with one `write` on a file opened
//! with `O_APPEND` and calls `fdatasync` before it returns: an append that
//! returned `Ok` survives a crash. [`Log::append_group`] does the same for
//! many lines with one `write` and one `fdatasync` (group commit); after a
//! crash either a prefix of the group is in the log (ending, at worst, in a
//! torn line) or all of it. Events may only name objects already in the
//! [`Store`], which [`Store::put`] made durable first.
//!
//! # Open-time check
//!
//! [`Log::open`] reads only the last line (not the whole log): if it has no
//! `\n` or does not parse, the log was cut off mid-append, and `open` fails
//! with [`Error::TornTail`] naming the byte offset. Nothing is appended
//! until [`repair`] has moved those bytes into the object store and logged
//! a `repaired` event naming their hash.

use super::chain::MAX_LINE_LEN;
use super::line::{self, CHECKPOINT_EVENT, FORMAT_V2, LineProblem, REQUEST_PREV, UPGRADED_EVENT};
use super::lock::Lock;
use super::merkle::leaf_hash;
use super::note::{Checkpoint, Signer};
use super::store::sync_dir;
use super::tree::TreeState;
use super::{
    Entry, Error, FORMAT, HEADER_EVENT, IoContext, LOG_FILE, NewEvent, OBJECTS_DIR, REPAIRED_EVENT, RequestId, Sha256,
    Store, links, open_options,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The open, locked evidence log of one data directory.
#[derive(Debug)]
pub struct Log {
    path: PathBuf,
    data_dir: PathBuf,
    /// `None` until the first line is written.
    file: Option<File>,
    store: Store,
    tail: Tail,
    poisoned: bool,
    /// The tree and the log's format, loaded (or rebuilt) before the first
    /// append: `evidence::tree`.
    tree: Option<TreeState>,
    /// The last line of each request this handle knows of (`None`: the
    /// request has no line yet): `evidence::links`.
    requests: HashMap<RequestId, Option<u64>>,
    /// The origin a new log's header gets (random unless set).
    new_origin: Option<String>,
    _lock: Lock,
}

/// What the next line needs to know about the last one.
#[derive(Debug, Clone, Copy, Default)]
struct Tail {
    next_seq: u64,
    prev: Sha256,
    last_time: Option<DateTime<Utc>>,
    /// The file's length in bytes.
    len: u64,
    /// Whether the last line is a checkpoint (of the lines before it).
    checkpointed: bool,
}

/// A torn last line found at open.
struct Torn {
    offset: u64,
    len: u64,
    problem: LineProblem,
}

impl Log {
    /// Opens (creating the directory if needed) and locks the log of
    /// `data_dir`. A new log gets its `log_created` header with the first
    /// append, timed like that event.
    ///
    /// # Errors
    /// [`Error::Locked`] if another process has the log open;
    /// [`Error::TornTail`] if the last line is incomplete or damaged (run
    /// [`repair`]); [`Error::Io`] on I/O failure.
    pub fn open(data_dir: &Path) -> Result<Log, Error> {
        let mut log = Log::open_unchecked(data_dir)?;
        if let Err(torn) = log.read_tail()? {
            return Err(Error::TornTail { path: log.path, offset: torn.offset, problem: torn.problem });
        }
        Ok(log)
    }

    /// Opens and locks without looking at the tail.
    fn open_unchecked(data_dir: &Path) -> Result<Log, Error> {
        check_data_dir(data_dir)?;
        fs::create_dir_all(data_dir).map_err(|e| Error::io(IoContext::Create, data_dir, e))?;
        let lock = Lock::acquire(data_dir)?;
        let path = data_dir.join(LOG_FILE);
        let file = match open_options().read(true).append(true).open(&path) {
            Ok(f) => Some(f),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::opening(path, e)),
        };
        let file = match file {
            Some(f) => {
                check_regular(&f, &path)?;
                // Empty: created, and dsr died before its first write
                // (which holds the header). Nothing was logged: a new log.
                let empty = f.metadata().map_err(|e| Error::io(IoContext::Read, &path, e))?.len() == 0;
                (!empty).then_some(f)
            }
            None => None,
        };
        check_dir_member(&data_dir.join(OBJECTS_DIR))?;
        Ok(Log {
            path,
            data_dir: data_dir.to_path_buf(),
            file,
            store: Store::new(data_dir),
            tail: Tail::default(),
            poisoned: false,
            tree: None,
            requests: HashMap::new(),
            new_origin: None,
            _lock: lock,
        })
    }

    /// Sets the origin a new log's header gets instead of a random one
    /// (for reproducible logs in tests and benchmarks). Has no effect on a
    /// log that already has lines.
    ///
    /// # Errors
    /// [`Error::InvalidEvent`] if `origin` cannot be an origin line.
    pub fn set_origin_for_new_log(&mut self, origin: &str) -> Result<(), Error> {
        if !super::note::is_origin(origin) {
            return Err(Error::InvalidEvent {
                event: HEADER_EVENT.into(),
                why: format!("{origin:?} is not an origin"),
            });
        }
        self.new_origin = Some(origin.to_string());
        Ok(())
    }

    /// Tells the log that `request` is new (made by this process, e.g. a
    /// fresh [`RequestId::generate`]): its first line needs no search for
    /// an earlier one.
    pub fn note_new_request(&mut self, request: &RequestId) {
        self.requests.entry(request.clone()).or_insert(None);
    }

    /// The log's origin (the first line of its checkpoints), once it is
    /// format 2; `None` for an empty or a format-1 log.
    ///
    /// # Errors
    /// As [`Log::tree_root`].
    pub fn origin(&mut self) -> Result<Option<String>, Error> {
        Ok(self.tree()?.origin.clone())
    }

    /// The tree's size and root hash over every line.
    ///
    /// # Errors
    /// [`Error::Verify`] if the tree had to be rebuilt and a line does not
    /// verify; I/O.
    pub fn tree_root(&mut self) -> Result<(u64, Sha256), Error> {
        let t = self.tree()?;
        Ok((t.range.size(), t.range.root()))
    }

    /// The tree state, loaded from `log.tree` or rebuilt from the log.
    fn tree(&mut self) -> Result<&TreeState, Error> {
        if self.tree.is_none() {
            let loaded = if self.tail.next_seq == 0 {
                Some(TreeState::empty())
            } else {
                TreeState::load(&self.data_dir, self.tail.next_seq, self.tail.prev)
            };
            let state = match loaded {
                Some(s) => s,
                None => {
                    let s = TreeState::rebuild(&self.data_dir)?;
                    if s.range.size() != self.tail.next_seq || s.last != self.tail.prev {
                        return Err(Error::InvalidEvent {
                            event: CHECKPOINT_EVENT.into(),
                            why: crate::t!("ev2.invalid.tree-rebuilt"),
                        });
                    }
                    let _ = s.save(&self.data_dir);
                    s
                }
            };
            self.tree = Some(state);
        }
        Ok(self.tree.as_ref().expect("set above"))
    }

    /// Appends a signed checkpoint of every line so far, unless the last
    /// line already is one. Returns the checkpoint line, or `None` when
    /// there was nothing to sign (an empty log, or one that ends in a
    /// checkpoint). A format-1 log is upgraded first.
    ///
    /// # Errors
    /// [`Error::Verify`] if the tree had to be rebuilt and the log does not
    /// verify (dsr never signs a tree over a broken chain); I/O.
    pub fn checkpoint(&mut self, signer: &Signer, time: DateTime<Utc>) -> Result<Option<Entry>, Error> {
        if self.tail.next_seq == 0 || self.tail.checkpointed {
            return Ok(None);
        }
        if self.tree()?.origin.is_none() {
            self.write_events(Vec::new(), time)?;
        }
        let tree = self.tree()?;
        let origin = tree.origin.clone().expect("upgraded above");
        let cp = Checkpoint { origin, size: tree.range.size(), root: tree.range.root() };
        let note = signer.sign(&cp.body());
        let data = serde_json::json!({ "key": signer.verifier().to_string(), "note": note });
        let mut entries = self.write_events(vec![NewEvent::new(time, CHECKPOINT_EVENT, None, data)], time)?;
        Ok(entries.pop())
    }

    /// The object store of this data directory.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The hash of the last line, or `None` for an empty log.
    pub fn head(&self) -> Option<Sha256> {
        (self.tail.next_seq > 0).then_some(self.tail.prev)
    }

    /// The `seq` the next line will get.
    pub fn next_seq(&self) -> u64 {
        self.tail.next_seq
    }

    /// Appends one event and fsyncs it.
    ///
    /// The event's time is truncated to whole seconds, and raised to the
    /// last line's time if it is earlier (times never go back).
    ///
    /// # Errors
    /// [`Error::InvalidEvent`] (bad name or data), [`Error::UnstoredObject`]
    /// (an object in `data.objects` is not in the store), [`Error::Io`].
    pub fn append(&mut self, event: NewEvent) -> Result<Entry, Error> {
        let mut entries = self.append_group(vec![event])?;
        Ok(entries.remove(0))
    }

    /// Appends several events with one write and one fsync, in order.
    /// Returns their entries (a new log's header, or the `upgraded` line
    /// of a format-1 log, is written first but not returned).
    ///
    /// Each event of a request gets `data.request_prev`, the seq of the
    /// request's previous line (none for its first line).
    ///
    /// # Errors
    /// As [`Log::append`], and [`Error::InvalidEvent`] for an event the log
    /// writes itself (`log_created`, `upgraded`, `checkpoint`) or data that
    /// already has `request_prev`; [`Error::Verify`] if the tree had to be
    /// rebuilt and the log does not verify. Nothing is written if any event
    /// is invalid.
    pub fn append_group(&mut self, events: Vec<NewEvent>) -> Result<Vec<Entry>, Error> {
        let Some(first) = events.first() else { return Ok(Vec::new()) };
        if let Some(e) =
            events.iter().find(|e| [HEADER_EVENT, UPGRADED_EVENT, CHECKPOINT_EVENT].contains(&e.event.as_str()))
        {
            return Err(Error::InvalidEvent { event: e.event.clone(), why: crate::t!("ev2.invalid.own-event") });
        }
        let time = first.time;
        self.write_events(events, time)
    }

    /// Encodes and writes `events` after the header (new log) or the
    /// `upgraded` line (format-1 log) they need, timed `time`; updates the
    /// tail, the tree and the request links once the write succeeded.
    fn write_events(&mut self, events: Vec<NewEvent>, time: DateTime<Utc>) -> Result<Vec<Entry>, Error> {
        if self.poisoned {
            return Err(Error::Poisoned { path: self.path.clone() });
        }
        let mut tree = self.tree()?.clone();
        self.find_requests(&events)?;
        let mut tail = self.tail;
        let mut requests: HashMap<RequestId, Option<u64>> = HashMap::new();
        let mut buf = Vec::with_capacity(256 * (events.len() + 2));
        let mut prelude = Vec::new();
        if tail.next_seq == 0 {
            let origin = match &self.new_origin {
                Some(o) => o.clone(),
                None => random_origin()?,
            };
            let data = serde_json::json!({ "format": FORMAT, "origin": origin });
            prelude.push(NewEvent::new(time, HEADER_EVENT, None, data));
            tree.origin = Some(origin);
        } else if tree.origin.is_none() {
            let origin = random_origin()?;
            let data = serde_json::json!({ "format": FORMAT_V2, "origin": origin });
            prelude.push(NewEvent::new(time, UPGRADED_EVENT, None, data));
            tree.origin = Some(origin);
        }
        for event in &prelude {
            encode_into(&mut buf, &mut tail, event, &self.store, &mut tree)?;
        }
        if let Some(e) = events.iter().find(|e| e.data.get(REQUEST_PREV).is_some()) {
            return Err(Error::InvalidEvent {
                event: e.event.clone(),
                why: format!("data.{REQUEST_PREV} is written by the log itself"),
            });
        }
        let mut entries = Vec::with_capacity(events.len());
        for mut event in events {
            if let Some(r) = event.request.clone() {
                let prev = requests.get(&r).copied().or_else(|| self.requests.get(&r).copied()).flatten();
                link(&mut event, prev)?;
                requests.insert(r, Some(tail.next_seq));
            }
            let (seq, time, prev, hash) = encode_into(&mut buf, &mut tail, &event, &self.store, &mut tree)?;
            entries.push(Entry { seq, time, event: event.event, request: event.request, data: event.data, prev, hash });
        }
        if buf.is_empty() {
            return Ok(entries);
        }
        self.write(&buf)?;
        self.tail = tail;
        self.requests.extend(requests);
        // The tree file is a cache: if it cannot be written, the next
        // writer rebuilds it from the log.
        let _ = tree.save(&self.data_dir);
        self.tree = Some(tree);
        Ok(entries)
    }

    /// Learns the last line of every request in `events` that this handle
    /// has not seen, with one backward read of the file.
    fn find_requests(&mut self, events: &[NewEvent]) -> Result<(), Error> {
        let mut missing: Vec<RequestId> =
            events.iter().filter_map(|e| e.request.clone()).filter(|r| !self.requests.contains_key(r)).collect();
        missing.sort();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let found = links::last_lines(&self.path, self.tail.len, self.tail.next_seq, &missing)
            .map_err(|e| Error::io(IoContext::Read, &self.path, e))?;
        for r in missing {
            let seq = found.get(&r).copied();
            self.requests.insert(r, seq);
        }
        Ok(())
    }

    /// Writes and fsyncs bytes at the end of the log, creating it if needed.
    fn write(&mut self, buf: &[u8]) -> Result<(), Error> {
        let created = self.file.is_none();
        if created {
            let f = open_options()
                .read(true)
                .append(true)
                .create(true)
                .open(&self.path)
                .map_err(|e| Error::opening(&self.path, e))?;
            self.file = Some(f);
        }
        let file = self.file.as_mut().expect("opened above");
        if let Err(e) = file.write_all(buf).and_then(|()| file.sync_data()) {
            // The file may now end in part of a line: refuse to go on, so
            // the next open reports the torn tail.
            self.poisoned = true;
            if created {
                // A log this call created holds nothing but this failed
                // write: remove it rather than leave a file without its
                // header (the data directory stays as it was).
                self.file = None;
                if fs::remove_file(&self.path).is_ok() {
                    let _ = sync_dir(&self.data_dir);
                }
            }
            return Err(Error::io(IoContext::AppendTo, &self.path, e));
        }
        if created {
            sync_dir(&self.data_dir)?;
        }
        Ok(())
    }

    /// Reads the last line into `self.tail`; `Err(Torn)` if it is torn.
    fn read_tail(&mut self) -> Result<Result<(), Torn>, Error> {
        let Some(file) = self.file.as_mut() else { return Ok(Ok(())) };
        let len = file.metadata().map_err(|e| Error::io(IoContext::Read, &self.path, e))?.len();
        match tail_at(file, len).map_err(|e| Error::io(IoContext::Read, &self.path, e))? {
            Ok(tail) => {
                self.tail = tail;
                Ok(Ok(()))
            }
            Err(torn) => Ok(Err(torn)),
        }
    }
}

/// The tail of a log file that ends at byte `len`, or why its last line is
/// torn. An empty file has the empty tail: it was created but the header
/// never written (a crash right after creation), and the next append
/// writes the header.
fn tail_at(file: &mut File, len: u64) -> io::Result<Result<Tail, Torn>> {
    if len == 0 {
        return Ok(Ok(Tail::default()));
    }
    let (start, end) = if read_at(file, len - 1, 1)? == b"\n" {
        (line_start(file, len - 1)?, len - 1)
    } else {
        return Ok(Err(Torn { offset: line_start(file, len)?, len, problem: LineProblem::Torn }));
    };
    let torn = |problem| Ok(Err(Torn { offset: start, len, problem }));
    if end - start > MAX_LINE_LEN as u64 {
        return torn(LineProblem::Syntax(crate::t!("verify.rule.too-long", max = MAX_LINE_LEN)));
    }
    let bytes = read_at(file, start, (end - start) as usize)?;
    let fields = match line::parse(&bytes) {
        Ok(f) => f,
        Err(p) => return torn(p),
    };
    let time = line::parse_time(&fields.time).expect("parse checked the time");
    Ok(Ok(Tail {
        next_seq: fields.seq + 1,
        prev: Sha256::digest(&bytes),
        last_time: Some(time),
        len,
        checkpointed: fields.event == CHECKPOINT_EVENT,
    }))
}

/// A fresh origin for a log: `dsr-evidence-log/` and 128 random bits in hex.
fn random_origin() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Random { reason: e.to_string() })?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("dsr-evidence-log/{hex}"))
}

/// Puts `request_prev` into a request's event (whose data has none:
/// [`Log::write_events`] refused those).
fn link(event: &mut NewEvent, prev: Option<u64>) -> Result<(), Error> {
    let Some(map) = event.data.as_object_mut() else { return Ok(()) };
    if let Some(p) = prev {
        map.insert(REQUEST_PREV.into(), p.into());
    }
    Ok(())
}

/// The data directory must be a directory (or not exist yet: it is
/// created). A file or device there is the user's mistake, not an I/O
/// failure.
pub(crate) fn check_data_dir(data_dir: &Path) -> Result<(), Error> {
    match fs::metadata(data_dir) {
        Ok(m) if !m.is_dir() => Err(Error::NotAFile { path: data_dir.to_path_buf(), dir: true }),
        // A parent that is a file: `create_dir_all` would say "not a directory".
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NOTDIR.raw_os_error()) => {
            Err(Error::NotAFile { path: data_dir.to_path_buf(), dir: true })
        }
        _ => Ok(()),
    }
}

/// A directory member (`objects/`) must not be a symlink: objects written
/// through it would land in another directory, unseen by this log.
pub(crate) fn check_dir_member(path: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::Symlink { path: path.to_path_buf() }),
        Ok(m) if !m.is_dir() => Err(Error::NotAFile { path: path.to_path_buf(), dir: true }),
        _ => Ok(()),
    }
}

fn check_regular(f: &File, path: &Path) -> Result<(), Error> {
    match f.metadata() {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err(Error::NotAFile { path: path.to_path_buf(), dir: false }),
        Err(e) => Err(Error::io(IoContext::Read, path, e)),
    }
}

impl NewEvent {
    /// Checks, before anything the event names is stored, that it can be
    /// logged: a valid name and `data`, and a line no longer than
    /// [`MAX_LINE_LEN`] bytes whatever its seq. Writers call it first, so a
    /// failing append cannot leave objects that no event names.
    ///
    /// # Errors
    /// [`Error::InvalidEvent`], as [`Log::append`] would fail.
    pub fn check(&self) -> Result<(), Error> {
        let (bytes, _) =
            line::encode(u64::MAX, &self.time, &self.event, self.request.as_ref(), &self.data, &Sha256::ZERO)?;
        if bytes.len() > MAX_LINE_LEN {
            return Err(too_long(&self.event));
        }
        Ok(())
    }
}

fn too_long(event: &str) -> Error {
    Error::InvalidEvent { event: event.to_string(), why: format!("the line would be longer than {MAX_LINE_LEN} bytes") }
}

/// Encodes one event as the next line into `buf`, advancing `tail`.
/// Returns the line's seq, time, prev and hash.
fn encode_into(
    buf: &mut Vec<u8>,
    tail: &mut Tail,
    event: &NewEvent,
    store: &Store,
    tree: &mut TreeState,
) -> Result<(u64, DateTime<Utc>, Sha256, Sha256), Error> {
    let time = line::effective_time(event.time, tail.last_time);
    let (bytes, objects) =
        line::encode(tail.next_seq, &time, &event.event, event.request.as_ref(), &event.data, &tail.prev)?;
    if bytes.len() > MAX_LINE_LEN {
        return Err(too_long(&event.event));
    }
    if let Some(o) = objects.iter().find(|o| !store.has(&o.sha256, o.size)) {
        return Err(Error::UnstoredObject { event: event.event.clone(), sha256: o.sha256 });
    }
    let hash = Sha256::digest(&bytes);
    let entry = (tail.next_seq, time, tail.prev, hash);
    tree.range.append(leaf_hash(&bytes));
    tree.last = hash;
    buf.extend_from_slice(&bytes);
    buf.push(b'\n');
    *tail = Tail {
        next_seq: tail.next_seq + 1,
        prev: hash,
        last_time: Some(time),
        len: tail.len + bytes.len() as u64 + 1,
        checkpointed: event.event == CHECKPOINT_EVENT,
    };
    Ok(entry)
}

/// Reads `len` bytes at `offset`.
fn read_at(file: &mut File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut buf)?;
    Ok(buf)
}

/// The offset just after the last `\n` before `end` (0 if there is none).
fn line_start(file: &mut File, end: u64) -> io::Result<u64> {
    const CHUNK: u64 = 64 * 1024;
    let mut pos = end;
    while pos > 0 {
        let from = pos.saturating_sub(CHUNK);
        let chunk = read_at(file, from, (pos - from) as usize)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(from + i as u64 + 1);
        }
        pos = from;
    }
    Ok(0)
}

/// What [`repair`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired {
    /// Where the torn bytes started.
    pub offset: u64,
    /// How many bytes were set aside.
    pub length: u64,
    /// Their hash: they are kept as this object.
    pub sha256: Sha256,
    /// The `repaired` event that records it.
    pub entry: Entry,
}

/// Repairs a log whose last line is torn: stores the torn bytes as an
/// object (role `torn_tail`), truncates the log to the line before, and
/// appends a `repaired` event naming the object, its offset and length.
/// Returns `None` if the log is fine (or absent) and nothing was done.
///
/// If the process dies between the truncation and the `repaired` event,
/// the torn bytes are still in the store but no event names them yet (the
/// only window in which set-aside bytes are not recorded in the log).
///
/// # Errors
/// [`Error::Locked`]; [`Error::TornTail`] if the line before the torn one is
/// damaged too (repair only sets aside the last line; nothing is changed
/// then); [`Error::Io`].
pub fn repair(data_dir: &Path, time: DateTime<Utc>) -> Result<Option<Repaired>, Error> {
    if !data_dir.join(LOG_FILE).exists() {
        return Ok(None);
    }
    let mut log = Log::open_unchecked(data_dir)?;
    let torn = match log.read_tail()? {
        Ok(()) => return Ok(None),
        Err(t) => t,
    };
    let file = log.file.as_mut().expect("a torn log exists");
    let io_err = |e| Error::io(IoContext::Read, log.path.clone(), e);
    let bytes = read_at(file, torn.offset, (torn.len - torn.offset) as usize).map_err(io_err)?;
    // The line before must be sound, or truncating would leave another
    // torn tail behind and the `repaired` event could not be written.
    if let Err(t) = tail_at(file, torn.offset).map_err(io_err)? {
        return Err(Error::TornTail { path: log.path, offset: t.offset, problem: t.problem });
    }
    let stored = log.store.put(&bytes)?;
    let file = log.file.as_mut().expect("a torn log exists");
    file.set_len(torn.offset)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(IoContext::Truncate, log.path.clone(), e))?;
    if log.read_tail()?.is_err() {
        return Err(Error::InvalidEvent { event: REPAIRED_EVENT.into(), why: crate::t!("ev2.invalid.repair") });
    }
    let data = serde_json::json!({
        "objects": [stored.with_role("torn_tail")],
        "offset": torn.offset,
        "length": stored.size,
    });
    let entry = log.append(NewEvent::new(time, REPAIRED_EVENT, None, data))?;
    Ok(Some(Repaired { offset: torn.offset, length: stored.size, sha256: stored.sha256, entry }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{RequestId, VerifyError, VerifyOptions, read_entries, verify};
    use serde_json::json;

    fn t(s: &str) -> DateTime<Utc> {
        line::parse_time(s).unwrap()
    }

    fn sample(dir: &Path) -> Vec<Entry> {
        let mut log = Log::open(dir).unwrap();
        let obj = log.store().put(b"the message").unwrap();
        let r: RequestId = "r_aaaaaaaaaaaaaaab".parse().unwrap();
        let mut out = vec![
            log.append(NewEvent::new(
                t("2026-11-28T10:00:00Z"),
                "noted",
                Some(r.clone()),
                json!({"objects": [obj.with_role("message")]}),
            ))
            .unwrap(),
        ];
        out.extend(
            log.append_group(vec![
                NewEvent::new(t("2026-11-28T10:00:01Z"), "attached", Some(r.clone()), json!({"reply": "250 ok"})),
                NewEvent::new(t("2026-11-28T09:00:00Z"), "reminded", Some(r), json!({})),
            ])
            .unwrap(),
        );
        out
    }

    #[test]
    fn appends_chain_and_read_back_with_header_and_clamped_time() {
        let dir = tempfile::tempdir().unwrap();
        let written = sample(dir.path());
        assert_eq!(written.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        // The earlier time was raised to the last line's.
        assert_eq!(written[2].time, t("2026-11-28T10:00:01Z"));
        let read: Vec<Entry> = read_entries(dir.path()).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(read[0].event, HEADER_EVENT);
        assert_eq!(read[0].data["format"], json!(FORMAT));
        assert!(read[0].data["origin"].as_str().unwrap().starts_with("dsr-evidence-log/"));
        assert_eq!(read[0].prev, Sha256::ZERO);
        assert_eq!(read[1..], written[..]);
        let bytes = fs::read(dir.path().join(LOG_FILE)).unwrap();
        let last = bytes[..bytes.len() - 1].rsplit(|&b| b == b'\n').next().unwrap();
        assert_eq!(Sha256::digest(last), written[2].hash);
        let v = verify(dir.path(), &VerifyOptions { objects: true, head: Some(written[2].hash), ..Default::default() })
            .unwrap();
        assert_eq!((v.lines, v.head, v.objects_intact), (4, written[2].hash, 1));
        // Reopening continues the chain.
        let mut log = Log::open(dir.path()).unwrap();
        assert_eq!((log.next_seq(), log.head()), (4, Some(written[2].hash)));
        let e = log.append(NewEvent::new(t("2026-11-28T11:00:00Z"), "complained", None, json!({}))).unwrap();
        assert_eq!((e.seq, e.prev), (4, written[2].hash));
    }

    #[test]
    fn refuses_events_naming_unstored_objects_and_a_second_writer() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::open(dir.path()).unwrap();
        let missing = Sha256::digest(b"never stored");
        let data = json!({"objects": [{"role": "message", "sha256": missing, "size": 12}]});
        let err = log.append(NewEvent::new(t("2026-11-28T10:00:00Z"), "noted", None, data)).unwrap_err();
        assert_eq!(err.to_string(), format!("cannot log event \"noted\": object {missing} is not in the store"));
        assert!(!dir.path().join(LOG_FILE).exists(), "nothing written, not even the header");
        let err = Log::open(dir.path()).unwrap_err();
        assert_eq!(err.to_string(), format!("log is locked by pid {}", std::process::id()));
    }

    #[test]
    fn a_torn_last_line_cut_at_every_offset_is_detected_and_repaired() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let full = fs::read(dir.path().join(LOG_FILE)).unwrap();
        let last_start = full[..full.len() - 1].iter().rposition(|&b| b == b'\n').unwrap() + 1;
        for cut in last_start + 1..full.len() {
            let case = tempfile::tempdir().unwrap();
            fs::write(case.path().join(LOG_FILE), &full[..cut]).unwrap();
            Store::new(case.path()).put(b"the message").unwrap();
            match Log::open(case.path()) {
                Err(Error::TornTail { offset, problem, .. }) => {
                    assert_eq!(offset, last_start as u64, "cut at {cut}");
                    assert_eq!(problem, LineProblem::Torn);
                }
                other => panic!("cut at {cut}: {other:?}"),
            }
            let err = verify(case.path(), &VerifyOptions::default()).unwrap_err();
            assert!(err.to_string().contains(":4: incomplete line"), "{err}");
            let r = repair(case.path(), t("2026-11-28T12:00:00Z")).unwrap().expect("repaired");
            let torn = &full[last_start..cut];
            assert_eq!((r.offset, r.length, r.sha256), (last_start as u64, torn.len() as u64, Sha256::digest(torn)));
            assert_eq!(Store::new(case.path()).get(&r.sha256).unwrap(), torn);
            assert_eq!(r.entry.seq, 3);
            verify(case.path(), &VerifyOptions { objects: true, head: Some(r.entry.hash), ..Default::default() })
                .unwrap();
            assert!(repair(case.path(), t("2026-11-28T12:00:00Z")).unwrap().is_none());
        }
    }

    #[test]
    fn an_unparsable_last_line_is_torn_but_two_damaged_lines_are_not_repaired() {
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let path = dir.path().join(LOG_FILE);
        let mut bytes = fs::read(&path).unwrap();
        let len = bytes.len();
        bytes.extend_from_slice(b"\0\0\0\0\n");
        fs::write(&path, &bytes).unwrap();
        assert!(matches!(Log::open(dir.path()), Err(Error::TornTail { offset, .. }) if offset == len as u64));
        bytes.extend_from_slice(b"{\"seq\":");
        fs::write(&path, &bytes).unwrap();
        let err = repair(dir.path(), t("2026-11-28T12:00:00Z")).unwrap_err();
        assert!(matches!(err, Error::TornTail { offset, .. } if offset == len as u64), "{err}");
        assert_eq!(fs::read(&path).unwrap(), bytes, "nothing changed");
    }

    #[test]
    fn the_tree_cache_is_derived_rebuilt_when_stale_and_never_signs_a_broken_chain() {
        use crate::evidence::merkle::{CompactRange, leaf_hash};
        use crate::evidence::note::{SignedCheckpoint, Signer};
        use crate::evidence::tree::TREE_FILE;
        let dir = tempfile::tempdir().unwrap();
        sample(dir.path());
        let tree_of = |dir: &Path| {
            let mut r = CompactRange::default();
            for l in fs::read_to_string(dir.join(LOG_FILE)).unwrap().lines() {
                r.append(leaf_hash(l.as_bytes()));
            }
            r.root()
        };
        let signer = Signer::from_seed("test", [3; 32]).unwrap();
        // Missing, or stale (another writer appended without it): rebuilt.
        for damage in ["remove", "stale"] {
            match damage {
                "remove" => fs::remove_file(dir.path().join(TREE_FILE)).unwrap(),
                _ => fs::write(dir.path().join(TREE_FILE), "dsr-log-tree/1\norigin -\nsize 1\nlast 00\n").unwrap(),
            }
            let mut log = Log::open(dir.path()).unwrap();
            let e = log.append(NewEvent::new(t("2026-11-29T00:00:00Z"), "noted", None, json!({}))).unwrap();
            let cp = log.checkpoint(&signer, t("2026-11-29T00:00:00Z")).unwrap().unwrap();
            let note = SignedCheckpoint::parse(cp.data["note"].as_str().unwrap()).unwrap();
            assert_eq!(note.checkpoint.size, e.seq + 1);
            drop(log);
            let text = fs::read_to_string(dir.path().join(LOG_FILE)).unwrap();
            let without_cp: String = text.lines().take(e.seq as usize + 1).map(|l| format!("{l}\n")).collect();
            let scratch = tempfile::tempdir().unwrap();
            fs::write(scratch.path().join(LOG_FILE), without_cp).unwrap();
            assert_eq!(note.checkpoint.root, tree_of(scratch.path()), "{damage}");
        }
        // A checkpoint is not signed twice.
        let mut log = Log::open(dir.path()).unwrap();
        assert!(log.checkpoint(&signer, t("2026-11-29T00:00:00Z")).unwrap().is_none());
        drop(log);
        // A line changed in the middle, the cache gone: the rebuild checks
        // the chain, and nothing is appended or signed.
        let path = dir.path().join(LOG_FILE);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replacen("250 ok", "250 OK", 1)).unwrap();
        fs::remove_file(dir.path().join(TREE_FILE)).unwrap();
        let before = fs::read(&path).unwrap();
        let mut log = Log::open(dir.path()).unwrap();
        let err = log.append(NewEvent::new(t("2026-11-29T00:00:00Z"), "noted", None, json!({}))).unwrap_err();
        assert!(matches!(err, Error::Verify(VerifyError::Line { line: 4, .. })), "{err}");
        assert!(!matches!(log.checkpoint(&signer, t("2026-11-29T00:00:00Z")), Ok(Some(_))));
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_v1_log_is_upgraded_by_its_first_append_and_lines_link_to_their_request() {
        let dir = tempfile::tempdir().unwrap();
        let r: RequestId = "r_aaaaaaaaaaaaaaab".parse().unwrap();
        let header = format!(
            r#"{{"seq":0,"time":"2026-01-01T00:00:00Z","event":"log_created","request":null,"data":{{"format":"{}"}},"prev":"{}"}}"#,
            line::FORMAT_V1,
            Sha256::ZERO
        );
        let first = format!(
            r#"{{"seq":1,"time":"2026-01-01T00:00:00Z","event":"noted","request":"{r}","data":{{}},"prev":"{}"}}"#,
            Sha256::digest(header.as_bytes())
        );
        let v1 = format!("{header}\n{first}\n");
        fs::write(dir.path().join(LOG_FILE), &v1).unwrap();
        let mut log = Log::open(dir.path()).unwrap();
        let e = log.append(NewEvent::new(t("2026-11-29T00:00:00Z"), "noted", Some(r.clone()), json!({}))).unwrap();
        assert_eq!(e.seq, 3, "after the upgraded line");
        assert_eq!(e.data["request_prev"], 1);
        let again = log.append(NewEvent::new(t("2026-11-29T00:00:00Z"), "noted", Some(r.clone()), json!({}))).unwrap();
        assert_eq!(again.data["request_prev"], 3);
        drop(log);
        let text = fs::read_to_string(dir.path().join(LOG_FILE)).unwrap();
        assert!(text.starts_with(&v1), "the upgrade only appends");
        let upgraded: serde_json::Value = serde_json::from_str(text.lines().nth(2).unwrap()).unwrap();
        assert_eq!(
            (upgraded["event"].as_str(), upgraded["data"]["format"].as_str()),
            (Some(UPGRADED_EVENT), Some(FORMAT_V2))
        );
        let v = verify(dir.path(), &VerifyOptions::default()).unwrap();
        assert_eq!(v.origin.as_deref(), upgraded["data"]["origin"].as_str());
        // Reopened: the link is found by reading backwards.
        let mut log = Log::open(dir.path()).unwrap();
        let third = log.append(NewEvent::new(t("2026-11-29T00:00:00Z"), "noted", Some(r), json!({}))).unwrap();
        assert_eq!(third.data["request_prev"], 4);
        // The log's own events and request_prev come only from the log.
        for (event, data) in [(CHECKPOINT_EVENT, json!({})), ("noted", json!({"request_prev": 1}))] {
            let err = log.append(NewEvent::new(t("2026-11-29T00:00:00Z"), event, None, data)).unwrap_err();
            assert!(matches!(err, Error::InvalidEvent { .. }), "{err}");
        }
    }

    #[test]
    fn repair_of_a_torn_header_writes_a_new_header() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(LOG_FILE), b"{\"seq\":0,\"ti").unwrap();
        let r = repair(dir.path(), t("2026-11-28T12:00:00Z")).unwrap().unwrap();
        assert_eq!((r.offset, r.length, r.entry.seq), (0, 12, 1));
        verify(dir.path(), &VerifyOptions { objects: true, head: None, ..Default::default() }).unwrap();
    }
}
