//! Reading the log line by line and checking each line against the one
//! before it: `seq` continuity, the `prev` hash chain, non-decreasing time,
//! the header.
//!
//! Memory stays constant: one line buffer (lines are at most
//! [`MAX_LINE_LEN`] bytes) and the previous line's hash and time. Both the
//! verifier and the read side ([`read_entries`]) are built on [`Reader`],
//! so anything that reads the log sees the same checks. The one exception,
//! [`read_leaves`], checks nothing but the file's shape: its user (the
//! export of one case) must vouch for the lines another way, by the root of
//! a signed checkpoint.

use super::lanes::{self, Message};
use super::line::{self, Fields, LineProblem};
use super::line::{CHECKPOINT_EVENT, FORMAT_V1, FORMAT_V2, REQUEST_PREV, UPGRADED_EVENT};
use super::{Entry, Error, HEADER_EVENT, IoContext, LOG_FILE, RequestId, Sha256, VerifyError, merkle, note};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

/// The longest line accepted, in bytes without the `\n` (1 MiB).
pub const MAX_LINE_LEN: usize = 1 << 20;

/// The size of one read (a block holds this plus a partial line).
const READ_BUFFER: usize = 1 << 20;

/// The state carried from one line to the next.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// The `seq` the next line must have.
    pub next_seq: u64,
    /// The hash the next line's `prev` must have.
    pub prev: Sha256,
    /// The last line's time, as written (the fixed format sorts as text).
    pub last_time: String,
    /// The log's origin once it is format 2: from its header, or from the
    /// `upgraded` line of a format-1 log.
    pub origin: Option<String>,
    /// The seq of the `upgraded` line, in a format-1 log that has one.
    pub upgraded_at: Option<u64>,
}

impl Default for Chain {
    fn default() -> Chain {
        Chain { next_seq: 0, prev: Sha256::ZERO, last_time: String::new(), origin: None, upgraded_at: None }
    }
}

impl Chain {
    /// Checks a parsed line against the state and, if it fits, advances.
    pub(crate) fn check(&mut self, fields: &Fields<'_>, hash: Sha256) -> Result<(), LineProblem> {
        if self.next_seq == 0 {
            let format = fields.format.as_deref();
            if fields.event != HEADER_EVENT || !matches!(format, Some(FORMAT_V1 | FORMAT_V2)) {
                return Err(LineProblem::Header(crate::t!(
                    "verify.rule.first-line",
                    header = format!("{HEADER_EVENT:?}"),
                    v2 = format!("{FORMAT_V2:?}"),
                    v1 = format!("{FORMAT_V1:?}")
                )));
            }
            if fields.request.is_some() {
                return Err(LineProblem::Header(crate::t!("verify.rule.header-request")));
            }
            if format == Some(FORMAT_V2) {
                let origin = valid_origin(fields, HEADER_EVENT).map_err(LineProblem::Header)?;
                self.origin = Some(origin);
            }
        } else if fields.event == HEADER_EVENT {
            return Err(LineProblem::Header(crate::t!(
                "verify.rule.header-later",
                header = format!("{HEADER_EVENT:?}")
            )));
        }
        if fields.seq != self.next_seq {
            return Err(LineProblem::Seq { expected: self.next_seq, found: fields.seq });
        }
        if fields.prev != self.prev {
            return Err(LineProblem::Prev { expected: self.prev, found: fields.prev });
        }
        if *fields.time < *self.last_time {
            return Err(LineProblem::TimeBackwards {
                previous: self.last_time.clone(),
                found: fields.time.to_string(),
            });
        }
        check_purge_shape(fields)?;
        self.check_v2(fields)?;
        self.next_seq += 1;
        self.prev = hash;
        if *self.last_time != *fields.time {
            self.last_time.clear();
            self.last_time.push_str(&fields.time);
        }
        Ok(())
    }
}

impl Chain {
    /// The rules format 2 adds: the `upgraded` line, checkpoint lines and
    /// `data.request_prev`. (The checkpoint's root and signature need the
    /// tree: [`verify`](super::verify()) checks them.)
    fn check_v2(&mut self, fields: &Fields<'_>) -> Result<(), LineProblem> {
        let rule = LineProblem::Format;
        let seq = self.next_seq;
        if fields.event == UPGRADED_EVENT {
            if self.origin.is_some() {
                return Err(rule(crate::t!(
                    "verify.rule.upgraded-once",
                    upgraded = format!("{UPGRADED_EVENT:?}"),
                    v1 = format!("{FORMAT_V1:?}")
                )));
            }
            if fields.request.is_some() || fields.format.as_deref() != Some(FORMAT_V2) {
                return Err(rule(crate::t!(
                    "verify.rule.upgraded-shape",
                    upgraded = format!("{UPGRADED_EVENT:?}"),
                    v2 = format!("{FORMAT_V2:?}")
                )));
            }
            self.origin = Some(valid_origin(fields, UPGRADED_EVENT).map_err(rule)?);
            self.upgraded_at = Some(seq);
        } else if fields.event == CHECKPOINT_EVENT {
            if self.origin.is_none() {
                return Err(rule(crate::t!(
                    "verify.rule.checkpoint-v1",
                    checkpoint = format!("{CHECKPOINT_EVENT:?}"),
                    upgraded = format!("{UPGRADED_EVENT:?}")
                )));
            }
            let d = &fields.refs;
            if fields.request.is_some() || d.key.is_none() || d.note.is_none() || d.members != 2 {
                return Err(rule(crate::t!(
                    "verify.rule.checkpoint-shape",
                    checkpoint = format!("{CHECKPOINT_EVENT:?}")
                )));
            }
        }
        if let Some(p) = fields.refs.request_prev {
            if fields.request.is_none() {
                return Err(rule(crate::t!("verify.rule.request-prev-no-request", member = REQUEST_PREV)));
            }
            if self.origin.is_none() {
                return Err(rule(crate::t!("verify.rule.request-prev-v1", member = REQUEST_PREV)));
            }
            if p >= seq {
                return Err(rule(crate::t!("verify.rule.request-prev-later", member = REQUEST_PREV, p = p, seq = seq)));
            }
        }
        Ok(())
    }
}

/// The purge rules a line shows on its own (both formats): see
/// [`line::purge_shape_problem`].
fn check_purge_shape(fields: &Fields<'_>) -> Result<(), LineProblem> {
    match line::purge_shape_problem(&fields.event, fields.request.is_some(), fields.refs.has_purged) {
        Some(why) => Err(LineProblem::Purge(why)),
        None => Ok(()),
    }
}

/// The `data.origin` of a v2 header or `upgraded` line, which must have
/// exactly `format` and `origin`.
fn valid_origin(fields: &Fields<'_>, event: &str) -> Result<String, String> {
    match &fields.refs.origin {
        Some(o) if note::is_origin(o) && fields.refs.members == 2 => Ok(o.clone()),
        _ => Err(crate::t!("verify.rule.origin", event = format!("{event:?}"))),
    }
}

/// One line that passed the checks, borrowed from the reader's buffer.
pub(crate) struct Checked<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The line's byte offset in the file.
    pub offset: u64,
    /// The parsed members.
    pub fields: Fields<'a>,
    /// SHA-256 of the line's bytes.
    pub hash: Sha256,
    /// The line's bytes, without `\n`.
    pub bytes: &'a [u8],
    /// Its RFC 9162 leaf hash, if the reader was opened with
    /// [`Reader::open_with_leaves`].
    pub leaf: Option<Sha256>,
    /// The root of the tree of the lines before it, if the reader was
    /// opened with [`Reader::open_with_tree`] and the line may be a
    /// checkpoint line.
    pub root: Option<Sha256>,
}

/// Streams a log file's lines through [`Chain`].
///
/// A second thread reads the file in blocks, splits them into lines and
/// hashes each line (with a helper thread for half of each block when it
/// computes leaves), and for [`Reader::open_with_tree`] a third builds the
/// tree, while this one parses and checks: the stages overlap. The queues
/// between them are short ([`BLOCKS_IN_FLIGHT`], [`BLOCKS_TO_TREE`]) and a
/// block this thread is done with goes back to the reading thread, which
/// reuses its memory: a fixed pool of blocks, whatever the log's length.
pub(crate) struct Reader {
    path: PathBuf,
    blocks: Receiver<Block>,
    /// Where blocks go when read, for the reading thread to reuse their
    /// memory.
    recycle: Sender<Block>,
    block: Block,
    /// Index in `block.lines` of the next line.
    next_line: usize,
    /// Index in `block.roots` of the next root.
    next_root: usize,
    /// Where the current line starts.
    offset: u64,
    number: u64,
    chain: Chain,
}

/// Complete lines of the file, read and hashed by the reading thread.
#[derive(Default)]
struct Block {
    data: Vec<u8>,
    /// Start and end (without `\n`) of each line in `data`, and its hash.
    lines: Vec<(usize, usize, Sha256)>,
    /// Each line's leaf hash, when asked for (else empty).
    leaves: Vec<Sha256>,
    /// With [`Hashes::Tree`]: (index in `lines`, the root of the tree of
    /// every line of the file before that one), in order.
    roots: Vec<(usize, Sha256)>,
    /// With [`Hashes::Tree`]: the root of the tree of every line up to
    /// this block's last.
    root_after: Option<Sha256>,
    /// The file offset of `data[0]`.
    base: u64,
    /// Set on the last block if the file does not end after a line.
    end: Option<BlockEnd>,
}

/// How a file can end other than after a `\n`.
enum BlockEnd {
    /// Bytes without a final `\n` (they are `data`).
    Torn,
    /// More than [`MAX_LINE_LEN`] bytes without a `\n`.
    TooLong,
    /// Reading failed.
    Failed(io::Error),
}

/// Which hashes the reading thread computes for each line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Hashes {
    /// The chain hash (SHA-256 of the line), for [`Chain`].
    Chain,
    /// The chain hash and the RFC 9162 leaf hash.
    ChainAndLeaves,
    /// The leaf hash only (the chain hash is left [`Sha256::ZERO`]): for
    /// [`read_leaves`], which checks no chain.
    Leaves,
    /// The chain hash, and the tree over the lines built on the reading
    /// side (for [`verify`](super::verify())): the root of the lines
    /// before each line that may be a checkpoint line
    /// ([`may_be_checkpoint`]) or whose index is one of these sizes
    /// (ascending), and the root after each block.
    Tree(Vec<u64>),
}

/// A line's start and end in its block, its chain hash, its leaf hash and
/// the root of the lines before it.
type Bounds = (usize, usize, Sha256, Option<Sha256>, Option<Sha256>);

/// True unless the line is, by a glance at its layout, of another event
/// than `checkpoint`: a line [`line::peek`] cannot read is counted as one.
fn may_be_checkpoint(line: &[u8]) -> bool {
    line::peek(line).is_none_or(|(event, _)| event == CHECKPOINT_EVENT.as_bytes())
}

/// Appends a block's lines (their leaf hashes) to `range`. Pushes onto
/// `roots` the root before each line that [`may_be_checkpoint`] or whose
/// index (`range.size()` then) is in `sizes` from `*next` on; returns the
/// root after the block.
fn extend_tree(block: &mut Block, range: &mut merkle::CompactRange, sizes: &[u64], next: &mut usize) -> Sha256 {
    for (i, (&(s, e, _), leaf)) in block.lines.iter().zip(&block.leaves).enumerate() {
        let size = range.size();
        while sizes.get(*next).is_some_and(|&wanted| wanted < size) {
            *next += 1;
        }
        if sizes.get(*next) == Some(&size) || may_be_checkpoint(&block.data[s..e]) {
            block.roots.push((i, range.root()));
        }
        range.append(*leaf);
    }
    range.root()
}

/// The tree stage of [`Hashes::Tree`], on its own thread between the
/// reading thread (which sends blocks with every line's leaf) and the
/// checking one: appends each block's leaves to the tree, sets the
/// block's `roots` and `root_after` (see [`extend_tree`]) and passes it
/// on without the leaves. A block that ends the file passes unchanged.
/// Stops when either side is gone.
fn build_tree(blocks: Receiver<Block>, tx: &SyncSender<Block>, sizes: &[u64]) {
    let mut range = merkle::CompactRange::default();
    let mut next = 0;
    for mut block in blocks {
        if block.end.is_none() {
            block.root_after = Some(extend_tree(&mut block, &mut range, sizes, &mut next));
            block.leaves.clear();
        }
        if tx.send(block).is_err() {
            return;
        }
    }
}

/// The result of a hashing thread. A panic there would be a bug (hashing
/// cannot fail), and is passed on.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Blocks queued between the reading (or tree) thread and the checking one.
const BLOCKS_IN_FLIGHT: usize = 4;

/// Blocks queued between the reading thread and the tree stage: one, so
/// that the queue to the checking side is the one that absorbs uneven
/// progress.
const BLOCKS_TO_TREE: usize = 1;

/// Hashes the lines `bounds` of `data` as `hashes` asks, into `lines`
/// (bounds and chain hash) and `leaves` (of the same length, or empty for
/// [`Hashes::Chain`]). Each pair of hashes goes on the two lanes of
/// [`lanes::digest_pair`]: two lines' chain hashes, two lines' leaves, or
/// one line's two.
fn hash_lines(
    data: &[u8],
    bounds: &[(usize, usize)],
    lines: &mut [(usize, usize, Sha256)],
    leaves: &mut [Sha256],
    hashes: &Hashes,
) {
    let line = |&(s, e): &(usize, usize)| Message::plain(&data[s..e]);
    let leaf = |&(s, e): &(usize, usize)| Message::prefixed(merkle::LEAF_PREFIX, &data[s..e]);
    match hashes {
        Hashes::Chain => {
            for (two, out) in bounds.chunks(2).zip(lines.chunks_mut(2)) {
                match (two, out) {
                    ([a, b], [out_a, out_b]) => {
                        let (ha, hb) = lanes::digest_pair(line(a), line(b));
                        *out_a = (a.0, a.1, ha);
                        *out_b = (b.0, b.1, hb);
                    }
                    ([a], [out_a]) => *out_a = (a.0, a.1, lanes::digest(line(a))),
                    _ => unreachable!("chunks(2) of slices of one length"),
                }
            }
        }
        Hashes::ChainAndLeaves | Hashes::Tree(_) => {
            for ((b, out), out_leaf) in bounds.iter().zip(lines.iter_mut()).zip(leaves.iter_mut()) {
                let (hash, leaf_hash) = lanes::digest_pair(line(b), leaf(b));
                *out = (b.0, b.1, hash);
                *out_leaf = leaf_hash;
            }
        }
        Hashes::Leaves => {
            for (b, out) in bounds.iter().zip(lines.iter_mut()) {
                *out = (b.0, b.1, Sha256::ZERO);
            }
            for (two, out) in bounds.chunks(2).zip(leaves.chunks_mut(2)) {
                match (two, out) {
                    ([a, b], [out_a, out_b]) => (*out_a, *out_b) = lanes::digest_pair(leaf(a), leaf(b)),
                    ([a], [out_a]) => *out_a = lanes::digest(leaf(a)),
                    _ => unreachable!("chunks(2) of slices of one length"),
                }
            }
        }
    }
}

/// Fills `block.lines` and `block.leaves` for the lines `bounds` of
/// `block.data` (reusing their memory): the chain hashes alone on this
/// thread, anything more with half the lines on each of two threads.
fn hash_block(block: &mut Block, bounds: &[(usize, usize)], hashes: &Hashes) {
    let n = bounds.len();
    block.lines.clear();
    block.lines.resize(n, (0, 0, Sha256::ZERO));
    block.leaves.clear();
    if *hashes == Hashes::Chain {
        return hash_lines(&block.data, bounds, &mut block.lines, &mut [], hashes);
    }
    block.leaves.resize(n, Sha256::ZERO);
    let (first, second) = bounds.split_at(n / 2);
    let (lines_1, lines_2) = block.lines.split_at_mut(n / 2);
    let (leaves_1, leaves_2) = block.leaves.split_at_mut(n / 2);
    let data = &block.data;
    std::thread::scope(|scope| {
        let later = scope.spawn(|| hash_lines(data, second, lines_2, leaves_2, hashes));
        hash_lines(data, first, lines_1, leaves_1, hashes);
        join(later);
    });
}

/// Reads `file` in blocks of whole lines, hashing each line (the reading
/// thread of [`Reader`]), and with [`Hashes::Tree`] builds the tree on a
/// third thread ([`build_tree`]). Blocks the checking side is done with
/// come back on `spare`. Stops when the receiver is gone.
fn read_blocks(file: File, tx: SyncSender<Block>, spare: Receiver<Block>, hashes: Hashes) {
    let Hashes::Tree(sizes) = &hashes else {
        return read_and_hash(file, tx, &spare, &hashes);
    };
    let (to_tree, from_reader) = sync_channel(BLOCKS_TO_TREE);
    std::thread::scope(|scope| {
        let tree = std::thread::Builder::new()
            .name("dsr-log-tree".into())
            .spawn_scoped(scope, || build_tree(from_reader, &tx, sizes));
        match tree {
            Ok(_) => read_and_hash(file, to_tree, &spare, &hashes),
            Err(e) => {
                let _ = tx.send(Block { end: Some(BlockEnd::Failed(e)), ..Block::default() });
            }
        }
    });
}

/// The reading and hashing of [`read_blocks`], sending each block to `tx`.
fn read_and_hash(mut file: File, tx: SyncSender<Block>, spare: &Receiver<Block>, hashes: &Hashes) {
    // The partial line at the end of the last read, and every block's
    // line bounds, in memory reused from block to block.
    let mut carry: Vec<u8> = Vec::new();
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    let mut base = 0u64;
    loop {
        let mut block = spare.try_recv().unwrap_or_default();
        let mut data = std::mem::take(&mut block.data);
        data.clear();
        data.extend_from_slice(&carry);
        let old = data.len();
        // A block's memory keeps its size from block to block: this read
        // fills it to READ_BUFFER, unless a long partial line was carried.
        data.resize(READ_BUFFER.max(old + READ_BUFFER / 4), 0);
        let n = loop {
            match file.read(&mut data[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Block { base, end: Some(BlockEnd::Failed(e)), ..Block::default() });
                    return;
                }
            }
        };
        data.truncate(old + n);
        if n == 0 {
            if !data.is_empty() {
                let _ = tx.send(Block { data, base, end: Some(BlockEnd::Torn), ..Block::default() });
            }
            return;
        }
        let Some(last) = data.iter().rposition(|&b| b == b'\n') else {
            if data.len() > MAX_LINE_LEN {
                let _ = tx.send(Block { base, end: Some(BlockEnd::TooLong), ..Block::default() });
                return;
            }
            carry = data;
            continue;
        };
        carry.clear();
        carry.extend_from_slice(&data[last + 1..]);
        data.truncate(last + 1);
        bounds.clear();
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', &data) {
            bounds.push((start, i));
            start = i + 1;
        }
        block.data = data;
        hash_block(&mut block, &bounds, hashes);
        block.roots.clear();
        block.root_after = None;
        block.base = base;
        block.end = None;
        let len = block.data.len() as u64;
        if tx.send(block).is_err() {
            return;
        }
        base += len;
    }
}

impl Reader {
    /// Opens `<data_dir>/log.jsonl`; `None` if there is no log.
    pub(crate) fn open(data_dir: &Path) -> Result<Option<Reader>, Error> {
        Reader::open_inner(data_dir, Hashes::Chain)
    }

    /// As [`Reader::open`], also computing every line's leaf hash (on the
    /// reading thread) for whoever builds the tree.
    pub(crate) fn open_with_leaves(data_dir: &Path) -> Result<Option<Reader>, Error> {
        Reader::open_inner(data_dir, Hashes::ChainAndLeaves)
    }

    /// As [`Reader::open`], also building the tree over the lines on the
    /// reading side: [`Checked::root`] is set on every checkpoint line,
    /// and [`Reader::root`] answers after every line and at each of
    /// `sizes` (ascending).
    pub(crate) fn open_with_tree(data_dir: &Path, sizes: Vec<u64>) -> Result<Option<Reader>, Error> {
        Reader::open_inner(data_dir, Hashes::Tree(sizes))
    }

    fn open_inner(data_dir: &Path, hashes: Hashes) -> Result<Option<Reader>, Error> {
        let path = data_dir.join(LOG_FILE);
        // Not following a symlink: the log is this directory's own file.
        let file = match super::open_options().read(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                // A data directory that is a file or a device: say so,
                // rather than "cannot open …/log.jsonl".
                super::log::check_data_dir(data_dir)?;
                return Err(Error::opening(path, e));
            }
        };
        let (tx, rx) = sync_channel(BLOCKS_IN_FLIGHT);
        let (recycle, spare) = channel();
        std::thread::Builder::new()
            .name("dsr-log-reader".into())
            .spawn(move || read_blocks(file, tx, spare, hashes))
            .map_err(|e| Error::io(IoContext::StartReadingThread, path.clone(), e))?;
        Ok(Some(Reader {
            path,
            blocks: rx,
            recycle,
            block: Block::default(),
            next_line: 0,
            next_root: 0,
            offset: 0,
            number: 0,
            chain: Chain::default(),
        }))
    }

    /// The log file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Lines read so far.
    pub(crate) fn lines(&self) -> u64 {
        self.number
    }

    /// The hash of the last line read ([`Sha256::ZERO`] before the first).
    pub(crate) fn head(&self) -> Sha256 {
        self.chain.prev
    }

    /// What the lines read so far established (format, origin, last line).
    pub(crate) fn chain(&self) -> &Chain {
        &self.chain
    }

    /// The error for the current line.
    pub(crate) fn error(&self, problem: LineProblem) -> Error {
        Error::Verify(VerifyError::Line { path: self.path.clone(), line: self.number, offset: self.offset, problem })
    }

    /// Moves to the next line: its bounds in the block, its chain hash
    /// and its leaf; `None` at the end of the file. The file's end other
    /// than after a `\n`, a line too long and a failed read are errors.
    fn advance(&mut self) -> Result<Option<Bounds>, Error> {
        while self.next_line >= self.block.lines.len() {
            if let Some(end) = self.block.end.take() {
                self.number += 1;
                self.offset = self.block.base;
                return Err(match end {
                    BlockEnd::Torn => self.error(LineProblem::Torn),
                    BlockEnd::TooLong => {
                        self.error(LineProblem::Syntax(crate::t!("verify.rule.too-long", max = MAX_LINE_LEN)))
                    }
                    BlockEnd::Failed(e) => Error::io(IoContext::Read, self.path.clone(), e),
                });
            }
            match self.blocks.recv() {
                Ok(block) => {
                    // Gone only if the reading thread ended.
                    let _ = self.recycle.send(std::mem::replace(&mut self.block, block));
                    self.next_line = 0;
                    self.next_root = 0;
                }
                Err(_) => return Ok(None),
            }
        }
        let (start, end, hash) = self.block.lines[self.next_line];
        let leaf = self.block.leaves.get(self.next_line).copied();
        let root = self.root_before_next();
        if root.is_some() {
            self.next_root += 1;
        }
        self.next_line += 1;
        self.number += 1;
        self.offset = self.block.base + start as u64;
        if end - start > MAX_LINE_LEN {
            return Err(self.error(LineProblem::Syntax(crate::t!("verify.rule.too-long", max = MAX_LINE_LEN))));
        }
        Ok(Some((start, end, hash, leaf, root)))
    }

    /// The root the reading thread gave for the next line of the block.
    fn root_before_next(&self) -> Option<Sha256> {
        self.block.roots.get(self.next_root).filter(|(i, _)| *i == self.next_line).map(|(_, root)| *root)
    }

    /// With [`Reader::open_with_tree`]: the root of the tree of the lines
    /// read so far, if the reading thread computed it (after a block's
    /// last line, before a line that may be a checkpoint line, and at each
    /// of the sizes given).
    pub(crate) fn root(&self) -> Option<Sha256> {
        if self.number == 0 {
            return Some(merkle::empty_root());
        }
        if self.next_line == self.block.lines.len() {
            return self.block.root_after;
        }
        self.root_before_next()
    }

    /// Reads and checks the next line; `None` at the end of the file.
    pub(crate) fn next_checked(&mut self) -> Result<Option<Checked<'_>>, Error> {
        let Some((start, end, hash, leaf, root)) = self.advance()? else { return Ok(None) };
        let bytes = &self.block.data[start..end];
        let fields = match line::parse(bytes) {
            Ok(f) => f,
            Err(p) => return Err(self.error(p)),
        };
        if let Err(p) = self.chain.check(&fields, hash) {
            return Err(Error::Verify(VerifyError::Line {
                path: self.path.clone(),
                line: self.number,
                offset: self.offset,
                problem: p,
            }));
        }
        Ok(Some(Checked { number: self.number, offset: self.offset, fields, hash, bytes, leaf, root }))
    }
}

/// Streams the log's entries, each checked against the one before it.
///
/// Reads without taking the writer's lock: a line being appended at the same
/// moment may show up as an incomplete last line (an error item).
pub struct Entries {
    reader: Option<Reader>,
    failed: bool,
    /// The log's path, for errors of [`Entries::next_ref`].
    path: PathBuf,
}

/// The entries of `<data_dir>/log.jsonl`, oldest first. No log yields no
/// entries.
///
/// # Errors
/// The log exists but cannot be opened. Each item is an error if its line
/// is damaged or does not fit the chain; the iterator ends after the first
/// error.
pub fn read_entries(data_dir: &Path) -> Result<Entries, Error> {
    Ok(Entries { reader: Reader::open(data_dir)?, failed: false, path: data_dir.join(LOG_FILE) })
}

impl Iterator for Entries {
    type Item = Result<Entry, Error>;

    fn next(&mut self) -> Option<Result<Entry, Error>> {
        if self.failed {
            return None;
        }
        let reader = self.reader.as_mut()?;
        let result = match reader.next_checked() {
            Ok(None) => return None,
            Ok(Some(c)) => to_entry(&c).map_err(|p| (c.number, p)),
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        Some(result.map_err(|(_, p)| {
            self.failed = true;
            reader.error(p)
        }))
    }
}

/// [`read_entries`], also giving each line's exact bytes and RFC 9162 leaf
/// hash ([`Entries::next_with_leaf`]): for whoever builds proofs while
/// reading.
///
/// # Errors
/// As [`read_entries`].
pub fn read_entries_with_leaves(data_dir: &Path) -> Result<Entries, Error> {
    Ok(Entries { reader: Reader::open_with_leaves(data_dir)?, failed: false, path: data_dir.join(LOG_FILE) })
}

impl Entries {
    /// [`Entries::next_ref`], with the line's bytes (without `\n`) and its
    /// leaf hash. Only for entries from [`read_entries_with_leaves`].
    #[allow(clippy::type_complexity)]
    pub fn next_with_leaf(&mut self) -> Option<Result<(super::line::EntryRef<'_>, &[u8], Sha256), Error>> {
        if self.failed {
            return None;
        }
        let reader = self.reader.as_mut()?;
        let checked = match reader.next_checked() {
            Ok(None) => return None,
            Ok(Some(c)) => c,
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        let (number, offset, bytes) = (checked.number, checked.offset, checked.bytes);
        let Some(leaf) = checked.leaf else {
            self.failed = true;
            return Some(Err(Error::InvalidEvent { event: "read".into(), why: crate::t!("ev2.invalid.no-leaves") }));
        };
        match to_entry_ref(checked) {
            Ok(e) => Some(Ok((e, bytes, leaf))),
            Err(problem) => {
                self.failed = true;
                let path = self.path.clone();
                Some(Err(Error::Verify(VerifyError::Line { path, line: number, offset, problem })))
            }
        }
    }

    /// The next line as an [`EntryRef`](super::line::EntryRef), its data
    /// not parsed into a `serde_json::Value`; the same checks and errors as
    /// [`Iterator::next`].
    pub fn next_ref(&mut self) -> Option<Result<super::line::EntryRef<'_>, Error>> {
        if self.failed {
            return None;
        }
        let reader = self.reader.as_mut()?;
        let checked = match reader.next_checked() {
            Ok(None) => return None,
            Ok(Some(c)) => c,
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        let (number, offset) = (checked.number, checked.offset);
        match to_entry_ref(checked) {
            Ok(e) => Some(Ok(e)),
            Err(problem) => {
                self.failed = true;
                let path = self.path.clone();
                Some(Err(Error::Verify(VerifyError::Line { path, line: number, offset, problem })))
            }
        }
    }
}

/// The log's lines with their RFC 9162 leaf hashes, nothing parsed and
/// nothing checked but the file's shape (whole lines of at most
/// [`MAX_LINE_LEN`] bytes): for a reader that needs every leaf but reads
/// only a few lines, and that takes the integrity of the others from the
/// root of a signed checkpoint instead of from the chain (the export of
/// one case). Half the lines of each block are hashed on a second thread.
pub struct Leaves {
    reader: Option<Reader>,
    failed: bool,
}

/// [`Leaves`] of `<data_dir>/log.jsonl`; no log yields no lines.
///
/// # Errors
/// The log exists but cannot be opened.
pub fn read_leaves(data_dir: &Path) -> Result<Leaves, Error> {
    Ok(Leaves { reader: Reader::open_inner(data_dir, Hashes::Leaves)?, failed: false })
}

impl Leaves {
    /// The next line's bytes (without `\n`) and leaf hash; `None` at the
    /// end. After an error (a torn last line, a line too long, a failed
    /// read) the iteration ends.
    pub fn next_leaf(&mut self) -> Option<Result<(&[u8], Sha256), Error>> {
        if self.failed {
            return None;
        }
        let reader = self.reader.as_mut()?;
        match reader.advance() {
            Ok(None) => None,
            Ok(Some((start, end, _, Some(leaf), _))) => Some(Ok((&reader.block.data[start..end], leaf))),
            Ok(Some((_, _, _, None, _))) => {
                self.failed = true;
                Some(Err(Error::InvalidEvent { event: "read".into(), why: crate::t!("ev2.invalid.no-leaves") }))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// One line's bytes parsed on their own, as [`Entries::next_ref`] would
/// yield it, without the checks against the line before (`seq`, `prev`,
/// time order): for the few lines a [`Leaves`] reader looks at.
///
/// # Errors
/// The line does not parse, or a member is invalid.
pub fn parse_entry(bytes: &[u8]) -> Result<super::line::EntryRef<'_>, LineProblem> {
    let fields = line::parse(bytes)?;
    let hash = Sha256::digest(bytes);
    to_entry_ref(Checked { number: 0, offset: 0, fields, hash, bytes, leaf: None, root: None })
}

fn to_entry_ref(c: Checked<'_>) -> Result<super::line::EntryRef<'_>, LineProblem> {
    let f = c.fields;
    let time = line::parse_time(&f.time).ok_or_else(|| LineProblem::Syntax("time".into()))?;
    let request = match &f.request {
        Some(r) => Some(r.parse::<RequestId>().map_err(|e| LineProblem::Syntax(e.to_string()))?),
        None => None,
    };
    let data = match f.data {
        Some(bytes) => line::RawData::Bytes(bytes),
        None => line::RawData::Value(line::data_value(c.bytes)?),
    };
    Ok(super::line::EntryRef { seq: f.seq, time, event: f.event, request, prev: f.prev, hash: c.hash, data })
}

fn to_entry(c: &Checked<'_>) -> Result<Entry, LineProblem> {
    let f = &c.fields;
    // `parse` accepted these already; the conversions cannot fail.
    let time = line::parse_time(&f.time).ok_or_else(|| LineProblem::Syntax("time".into()))?;
    let request = match &f.request {
        Some(r) => Some(r.parse::<RequestId>().map_err(|e| LineProblem::Syntax(e.to_string()))?),
        None => None,
    };
    Ok(Entry {
        seq: f.seq,
        time,
        event: f.event.to_string(),
        request,
        data: line::data_value(c.bytes)?,
        prev: f.prev,
        hash: c.hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rules() {
        let ok = format!(
            r#"{{"seq":0,"time":"2026-01-01T00:00:00Z","event":"{HEADER_EVENT}","request":null,"data":{{"format":"{FORMAT_V1}"}},"prev":"{}"}}"#,
            Sha256::ZERO
        );
        let mut chain = Chain::default();
        let f = line::parse(ok.as_bytes()).unwrap();
        chain.check(&f, Sha256::digest(ok.as_bytes())).unwrap();
        let again = ok.replace("\"seq\":0", "\"seq\":1").replace(&Sha256::ZERO.to_string(), &chain.prev.to_string());
        let f = line::parse(again.as_bytes()).unwrap();
        assert!(matches!(chain.check(&f, Sha256::ZERO), Err(LineProblem::Header(_))));
        for wrong in [
            ok.replace(FORMAT_V1, "dsr-evidence-log/9"),
            // A format-2 header needs an origin; no header has a request.
            ok.replace(FORMAT_V1, FORMAT_V2),
            ok.replace("\"request\":null", "\"request\":\"r_aaaaaaaaaaaaaaaa\""),
        ] {
            let f = line::parse(wrong.as_bytes()).unwrap();
            assert!(matches!(Chain::default().check(&f, Sha256::ZERO), Err(LineProblem::Header(_))), "{wrong}");
        }
        let v2 = ok.replace(
            &format!("{{\"format\":\"{FORMAT_V1}\"}}"),
            &format!("{{\"format\":\"{FORMAT_V2}\",\"origin\":\"o\"}}"),
        );
        let mut chain = Chain::default();
        chain.check(&line::parse(v2.as_bytes()).unwrap(), Sha256::ZERO).unwrap();
        assert_eq!(chain.origin.as_deref(), Some("o"));
    }

    /// A log of a few MiB (several blocks): some lines are checkpoint
    /// lines, some are not in dsr's layout (so they may be checkpoints).
    fn many_lines() -> (tempfile::TempDir, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let pad = "p".repeat(900);
        let lines: Vec<String> = (0..3000)
            .map(|i| match (i % 7, i % 11) {
                (_, 5) => format!("not dsr's layout {i}"),
                (k, _) => format!(
                    r#"{{"seq":{i},"time":"2026-01-01T00:00:00Z","event":"{}","request":null,"data":{{"pad":"{pad}"}},"prev":"{}"}}"#,
                    if k == 3 { CHECKPOINT_EVENT } else { "noted" },
                    Sha256::ZERO
                ),
            })
            .collect();
        std::fs::write(dir.path().join(LOG_FILE), lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
        (dir, lines)
    }

    #[test]
    fn the_tree_of_the_reading_side_has_the_roots_of_a_tree_built_line_by_line() {
        let (dir, lines) = many_lines();
        assert!(lines.iter().map(String::len).sum::<usize>() > 2 * READ_BUFFER);
        // Asked for every size: a root after every line, from a block's
        // `roots` or, at a block's end, its `root_after`.
        let every: Vec<u64> = (0..=lines.len() as u64).collect();
        let mut reader = Reader::open_with_tree(dir.path(), every).unwrap().unwrap();
        let mut range = merkle::CompactRange::default();
        loop {
            assert_eq!(reader.root(), Some(range.root()), "after {} lines", reader.lines());
            let Some((start, end, _, leaf, root)) = reader.advance().unwrap() else { break };
            assert_eq!((leaf, root), (None, Some(range.root())));
            range.append(merkle::leaf_hash(&reader.block.data[start..end]));
        }
        assert_eq!(reader.lines(), lines.len() as u64);
        // Asked for no size: a root before each line that may be a
        // checkpoint line, and only there.
        let mut reader = Reader::open_with_tree(dir.path(), Vec::new()).unwrap().unwrap();
        let mut range = merkle::CompactRange::default();
        for line in &lines {
            let (start, end, _, _, root) = reader.advance().unwrap().unwrap();
            assert_eq!(&reader.block.data[start..end], line.as_bytes());
            let checkpoint = line.contains(CHECKPOINT_EVENT) || !line.starts_with('{');
            assert_eq!(root, checkpoint.then(|| range.root()), "{line:.40}");
            range.append(merkle::leaf_hash(line.as_bytes()));
        }
        assert!(reader.advance().unwrap().is_none());
        assert_eq!(reader.root(), Some(range.root()));
    }

    /// Blocks are reused: lines of every length up to [`MAX_LINE_LEN`],
    /// many carried from one read into the next (some longer than a
    /// read), come out whole and with the right hashes in every mode.
    #[test]
    fn reused_blocks_give_every_line_whole_in_every_mode() {
        let dir = tempfile::tempdir().unwrap();
        let lengths = [1, 80, 900, READ_BUFFER / 4 + 3, 700_000, READ_BUFFER - 1, MAX_LINE_LEN, 5, READ_BUFFER + 7];
        let lines: Vec<Vec<u8>> = (0..400)
            .map(|i: usize| {
                let len = if i.is_multiple_of(37) { lengths[(i / 37) % lengths.len()] } else { 50 + (i * 97) % 1500 };
                let len = len.min(MAX_LINE_LEN);
                (0..len).map(|j| b'a' + ((i + j) % 26) as u8).collect()
            })
            .collect();
        let mut file = Vec::new();
        for l in &lines {
            file.extend_from_slice(l);
            file.push(b'\n');
        }
        assert!(file.len() > 3 * READ_BUFFER);
        std::fs::write(dir.path().join(LOG_FILE), &file).unwrap();
        let modes = [Hashes::Chain, Hashes::ChainAndLeaves, Hashes::Leaves, Hashes::Tree(Vec::new())];
        for hashes in modes {
            let mut reader = Reader::open_inner(dir.path(), hashes.clone()).unwrap().unwrap();
            let mut range = merkle::CompactRange::default();
            for (i, l) in lines.iter().enumerate() {
                let (start, end, hash, leaf, _) = reader.advance().unwrap().unwrap();
                assert_eq!(&reader.block.data[start..end], &l[..], "{hashes:?}, line {i}");
                let want_hash = if hashes == Hashes::Leaves { Sha256::ZERO } else { Sha256::digest(l) };
                assert_eq!(hash, want_hash, "{hashes:?}, line {i}");
                let want_leaf = matches!(hashes, Hashes::ChainAndLeaves | Hashes::Leaves).then(|| merkle::leaf_hash(l));
                assert_eq!(leaf, want_leaf, "{hashes:?}, line {i}");
                range.append(merkle::leaf_hash(l));
            }
            assert!(reader.advance().unwrap().is_none(), "{hashes:?}");
            if let Hashes::Tree(_) = hashes {
                assert_eq!(reader.root(), Some(range.root()));
            }
        }
    }
}
