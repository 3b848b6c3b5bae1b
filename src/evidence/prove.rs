//! Building inclusion and consistency proofs from the log in the same
//! single pass that finds what to prove.
//!
//! A proof is a list of subtree roots ([`merkle::inclusion_ranges`],
//! [`merkle::consistency_ranges`]); each is the fold of a few perfect
//! subtrees ([`merkle::range_nodes`]). Which lines need proofs is known
//! only while reading (a case's lines, the checkpoints after them), and
//! the siblings left of a line were complete before it was read. So a
//! [`Collector`] keeps, while the lines stream past:
//!
//! - every perfect subtree root at level [`LOW`] or above (two per
//!   2^LOW lines: about 2,000 hashes for a million lines);
//! - the leaf hashes of the current and the previous block of 2^LOW lines,
//!   and of every block someone marked (a line to prove, a tree size to
//!   prove from or against): 32 KiB each.
//!
//! Any node a proof needs is then either stored or the root of 2^level
//! leaves of a kept block. Memory is O(n / 2^LOW + k · 2^LOW) for k marked
//! places, never the tree. [`prove_request`] (`dsr log prove`) and
//! [`consistency_proof`] (`dsr log consistency`) build on it, and so does
//! the evidence bundle's export.

use super::chain::Reader;
use super::line::CHECKPOINT_EVENT;
use super::merkle::{self, CompactRange, NodeId};
use super::note::{SignedCheckpoint, Verifier};
use super::{Error, ExternalCheckpoint, LOG_FILE, LoggedCheckpoint, RequestId, Sha256, VerifyError};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The level from which every perfect subtree root is kept (2^LOW leaves
/// per block).
pub const LOW: u32 = 10;
const BLOCK: u64 = 1 << LOW;

/// Collects what proofs need while the log's leaves stream past (see the
/// module docs).
#[derive(Debug, Default)]
pub struct Collector {
    range: CompactRange,
    high: HashMap<NodeId, Sha256>,
    /// Leaves of the current block.
    current: Vec<Sha256>,
    /// The previous block (its index and leaves).
    previous: Option<(u64, Vec<Sha256>)>,
    /// Blocks to keep, and those kept.
    pinned: HashSet<u64>,
    /// The one block kept for the latest mark made with
    /// [`Collector::mark_latest`] (the latest checkpoint so far).
    latest: Option<u64>,
    kept: HashMap<u64, Vec<Sha256>>,
}

impl Collector {
    /// An empty collector (no leaves yet).
    pub fn new() -> Collector {
        Collector::default()
    }

    /// How many leaves were pushed.
    pub fn size(&self) -> u64 {
        self.range.size()
    }

    /// The root of all leaves pushed so far.
    pub fn root(&self) -> Sha256 {
        self.range.root()
    }

    /// Adds the next line's leaf hash.
    pub fn push(&mut self, leaf: Sha256) {
        let high = &mut self.high;
        self.range.append_visit(leaf, |id, h| {
            if id.level >= LOW {
                high.insert(id, *h);
            }
        });
        self.current.push(leaf);
        if self.current.len() as u64 == BLOCK {
            let index = (self.range.size() - 1) >> LOW;
            let full = std::mem::take(&mut self.current);
            if let Some((old, leaves)) = self.previous.replace((index, full)) {
                self.retire(old, leaves);
            }
        }
    }

    /// A block leaves the window: keep it if marked.
    fn retire(&mut self, index: u64, leaves: Vec<Sha256>) {
        if self.pinned.contains(&index) || self.latest == Some(index) {
            self.kept.insert(index, leaves);
        }
    }

    /// The block holding leaf `leaf`, kept from now on.
    fn pin(&mut self, leaf: u64) {
        let b = leaf >> LOW;
        self.pinned.insert(b);
        if let Some((i, leaves)) = &self.previous
            && *i == b
        {
            self.kept.insert(b, leaves.clone());
        }
    }

    /// The last leaf pushed will be proved included.
    pub fn mark_last(&mut self) {
        if let Some(last) = self.size().checked_sub(1) {
            self.pin(last);
        }
    }

    /// The current size will be a tree to prove from or against.
    pub fn mark_size(&mut self) {
        self.mark_last();
    }

    /// The current size is the latest of a kind (the latest checkpoint):
    /// its block is kept, and the previous latest's released.
    pub fn mark_latest(&mut self) {
        let Some(last) = self.size().checked_sub(1) else { return };
        let b = last >> LOW;
        if let Some(old) = self.latest.replace(b)
            && old != b
            && !self.pinned.contains(&old)
        {
            self.kept.remove(&old);
        }
        if let Some((i, leaves)) = &self.previous
            && *i == b
        {
            self.kept.insert(b, leaves.clone());
        }
    }

    /// The hash of a perfect node, if it was kept.
    fn node(&self, id: NodeId) -> Option<Sha256> {
        if id.level >= LOW {
            return self.high.get(&id).copied();
        }
        let first = id.index << id.level;
        let block = first >> LOW;
        let leaves: &[Sha256] = if block == self.size() >> LOW && (self.size() & (BLOCK - 1)) != 0 {
            &self.current
        } else {
            match &self.previous {
                Some((i, l)) if *i == block => l,
                _ => self.kept.get(&block)?,
            }
        };
        let start = (first - (block << LOW)) as usize;
        let slice = leaves.get(start..start + (1usize << id.level))?;
        let mut r = CompactRange::default();
        for l in slice {
            r.append(*l);
        }
        Some(r.root())
    }

    fn ranges_root(&self, ranges: &[(u64, u64)]) -> Result<Vec<Sha256>, Error> {
        ranges
            .iter()
            .map(|&(a, b)| {
                let nodes = merkle::range_nodes(a, b)
                    .into_iter()
                    .map(|id| self.node(id))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| Error::InvalidEvent {
                    event: "proof".into(),
                    why: format!("leaves {a}..{b} were not kept for a proof (a place was not marked)"),
                })?;
                Ok(merkle::range_root(&nodes))
            })
            .collect()
    }

    /// The root of the first `size` leaves (`size` at most [`size`](Self::size)).
    ///
    /// # Errors
    /// [`Error::InvalidEvent`] if that size was not marked.
    pub fn root_at(&self, size: u64) -> Result<Sha256, Error> {
        Ok(self.ranges_root(&[(0, size)])?.pop().unwrap_or_else(merkle::empty_root))
    }

    /// The inclusion proof of leaf `seq` in the tree of the first `size`
    /// leaves.
    ///
    /// # Errors
    /// [`Error::InvalidEvent`] if the leaf or the size was not marked.
    pub fn inclusion(&self, seq: u64, size: u64) -> Result<Vec<Sha256>, Error> {
        self.ranges_root(&merkle::inclusion_ranges(seq, size))
    }

    /// The consistency proof from the first `old` leaves to the first
    /// `size`.
    ///
    /// # Errors
    /// [`Error::InvalidEvent`] if a size was not marked.
    pub fn consistency(&self, old: u64, size: u64) -> Result<Vec<Sha256>, Error> {
        self.ranges_root(&merkle::consistency_ranges(old, size))
    }
}

/// The format name of a proof document ([`RequestProof`]).
pub const INCLUSION_FORMAT: &str = "dsr-inclusion-proofs/1";

/// The format name of a consistency proof document.
pub const CONSISTENCY_FORMAT: &str = "dsr-consistency-proof/1";

/// One request's lines with their inclusion proofs against the log's last
/// checkpoint (or, in a log without one, against the tree of every line):
/// what `dsr log prove` prints (docs/evidence-log.md §12).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestProof {
    /// [`INCLUSION_FORMAT`].
    pub format: &'static str,
    /// The request.
    pub request: RequestId,
    /// The signed checkpoint the proofs are against (its note), if any.
    pub checkpoint: Option<String>,
    /// The key the checkpoint line names.
    pub key: Option<String>,
    /// The tree the proofs are against.
    pub tree: TreeHead,
    /// The request's lines the tree covers, each with its proof.
    pub lines: Vec<ProvedLine>,
    /// The request's lines after the tree (no checkpoint covers them yet).
    pub uncovered: Vec<u64>,
}

/// A tree size and root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TreeHead {
    /// Lines covered.
    pub size: u64,
    /// Their RFC 9162 root.
    pub root: Sha256,
}

/// A line and its inclusion proof.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProvedLine {
    /// The line's seq (its leaf index).
    pub seq: u64,
    /// The line's exact text, without the `\n`.
    pub line: String,
    /// The proof hashes, leaf to root.
    pub proof: Vec<Sha256>,
}

/// The error for a log whose first `size` lines no longer have the root a
/// checkpoint signed.
pub(crate) fn changed(data_dir: &Path, label: &str, size: u64, found: Sha256, signed: Sha256) -> Error {
    VerifyError::External {
        label: label.to_string(),
        line: size,
        problem: crate::t!(
            "verify.problem.external-root",
            size = size,
            path = data_dir.join(LOG_FILE).display(),
            root = found,
            says = signed
        ),
    }
    .into()
}

/// Builds the inclusion proofs of one request's lines (see
/// [`RequestProof`]) in one checked pass.
///
/// # Errors
/// [`Error::UnknownRequest`] if no line has the request; [`Error::NoLog`];
/// [`Error::Verify`] if the log does not verify or no longer holds what
/// its last checkpoint signed; a checkpoint line whose key or note does not
/// parse; I/O.
pub fn prove_request(data_dir: &Path, request: &RequestId) -> Result<RequestProof, Error> {
    let Some(mut reader) = Reader::open_with_leaves(data_dir)? else {
        return Err(Error::NoLog { path: data_dir.join(LOG_FILE) });
    };
    let mut collector = Collector::new();
    let mut lines: Vec<(u64, String)> = Vec::new();
    let mut last: Option<(u64, String, String)> = None;
    while let Some(line) = reader.next_checked()? {
        let f = &line.fields;
        if f.event == CHECKPOINT_EVENT
            && let (Some(k), Some(n)) = (&f.refs.key, &f.refs.note)
        {
            collector.mark_latest();
            last = Some((f.seq, k.clone(), n.clone()));
        }
        collector.push(line.leaf.expect("the reader computes leaves"));
        if f.request.as_deref() == Some(request.as_str()) {
            collector.mark_last();
            lines.push((f.seq, String::from_utf8_lossy(line.bytes).into_owned()));
        }
    }
    if lines.is_empty() {
        return Err(Error::UnknownRequest { request: request.clone() });
    }
    let (checkpoint, key, tree) = match last {
        Some((seq, key, note)) => {
            let logged = LoggedCheckpoint::from_data(seq, &key, &note)
                .map_err(|e| Error::InvalidEvent { event: CHECKPOINT_EVENT.into(), why: e.to_string() })?;
            let head = TreeHead { size: logged.note.checkpoint.size, root: logged.note.checkpoint.root };
            let found = collector.root_at(head.size)?;
            if found != head.root {
                return Err(changed(
                    data_dir,
                    &crate::t!("verify.prove.in-line", line = seq + 1),
                    head.size,
                    found,
                    head.root,
                ));
            }
            (Some(note), Some(key), head)
        }
        None => {
            collector.mark_latest();
            (None, None, TreeHead { size: collector.size(), root: collector.root() })
        }
    };
    let (covered, uncovered): (Vec<_>, Vec<_>) = lines.into_iter().partition(|(seq, _)| *seq < tree.size);
    let lines = covered
        .into_iter()
        .map(|(seq, line)| Ok(ProvedLine { seq, line, proof: collector.inclusion(seq, tree.size)? }))
        .collect::<Result<_, Error>>()?;
    Ok(RequestProof {
        format: INCLUSION_FORMAT,
        request: request.clone(),
        checkpoint,
        key,
        tree,
        lines,
        uncovered: uncovered.into_iter().map(|(s, _)| s).collect(),
    })
}

/// A consistency proof document: what `dsr log consistency` prints.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ConsistencyProof {
    /// [`CONSISTENCY_FORMAT`].
    pub format: String,
    /// The earlier tree.
    pub old: TreeHead,
    /// The later tree.
    pub new: TreeHead,
    /// The RFC 9162 consistency proof from `old` to `new`.
    pub proof: Vec<Sha256>,
}

/// Proves, from the log, that the tree of checkpoint `new` extends that of
/// `old`, after checking that `key` signed both and that the log still
/// holds what each signed.
///
/// # Errors
/// [`VerifyError::External`] (as [`Error::Verify`]) naming the checkpoint
/// that is not signed by `key`, is of another log, is larger than the
/// other or than the log, or whose lines the log no longer holds;
/// [`Error::NoLog`]; [`Error::Verify`] if the log does not verify; I/O.
pub fn consistency_proof(
    data_dir: &Path,
    old: &ExternalCheckpoint,
    new: &ExternalCheckpoint,
    key: &Verifier,
) -> Result<ConsistencyProof, Error> {
    let bad = |c: &ExternalCheckpoint, problem: String| -> Error {
        VerifyError::External { label: c.label.clone(), line: c.checkpoint.checkpoint.size, problem }.into()
    };
    for c in [old, new] {
        c.checkpoint.signed.verify(key).map_err(|e| bad(c, e.to_string()))?;
    }
    let (o, n): (&SignedCheckpoint, &SignedCheckpoint) = (&old.checkpoint, &new.checkpoint);
    if o.checkpoint.origin != n.checkpoint.origin {
        let why = crate::t!(
            "verify.prove.other-log",
            origin = format!("{:?}", o.checkpoint.origin),
            label = new.label,
            other = format!("{:?}", n.checkpoint.origin)
        );
        return Err(bad(old, why));
    }
    if o.checkpoint.size > n.checkpoint.size || o.checkpoint.size == 0 {
        let why =
            crate::t!("verify.prove.order", size = o.checkpoint.size, label = new.label, other = n.checkpoint.size);
        return Err(bad(old, why));
    }
    let Some(mut reader) = Reader::open_with_leaves(data_dir)? else {
        return Err(Error::NoLog { path: data_dir.join(LOG_FILE) });
    };
    let (m, s) = (o.checkpoint.size, n.checkpoint.size);
    let mut collector = Collector::new();
    while collector.size() < s
        && let Some(line) = reader.next_checked()?
    {
        collector.push(line.leaf.expect("the reader computes leaves"));
        if collector.size() == m || collector.size() == s {
            collector.mark_size();
        }
    }
    if collector.size() < s {
        let why = crate::t!("verify.prove.truncated", size = s, have = collector.size());
        return Err(bad(new, why));
    }
    for (c, size) in [(new, s), (old, m)] {
        let found = collector.root_at(size)?;
        if found != c.checkpoint.checkpoint.root {
            return Err(changed(data_dir, &c.label, size, found, c.checkpoint.checkpoint.root));
        }
    }
    let proof = collector.consistency(m, s)?;
    let (old, new) = (TreeHead { size: m, root: o.checkpoint.root }, TreeHead { size: s, root: n.checkpoint.root });
    merkle::verify_consistency(m, s, &proof, &old.root, &new.root)
        .map_err(|e| Error::InvalidEvent { event: "proof".into(), why: e.to_string() })?;
    Ok(ConsistencyProof { format: CONSISTENCY_FORMAT.into(), old, new, proof })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn collected_proofs_match_proofs_from_all_leaves() {
        let n: u64 = 8 * BLOCK + 317;
        let leaves: Vec<Sha256> = (0..n).map(|i| merkle::leaf_hash(&i.to_be_bytes())).collect();
        let lines: Vec<u64> = vec![0, 1, 700, BLOCK - 1, BLOCK, 3 * BLOCK + 5, n - 2, n - 1];
        let sizes: Vec<u64> = vec![1, 2, 701, BLOCK, 2 * BLOCK + 9, n - 1];
        let mut c = Collector::new();
        for (i, l) in leaves.iter().enumerate() {
            let seq = i as u64;
            if sizes.contains(&seq) {
                c.mark_size();
            }
            if seq == 4 * BLOCK + 3 {
                c.mark_latest();
            }
            c.push(*l);
            if lines.contains(&seq) {
                c.mark_last();
            }
        }
        let latest = 4 * BLOCK + 3;
        for size in sizes.iter().copied().chain([n, latest]) {
            let tree = &leaves[..size as usize];
            let mut r = CompactRange::default();
            for l in tree {
                r.append(*l);
            }
            assert_eq!(c.root_at(size).unwrap(), r.root(), "root at {size}");
            for &seq in lines.iter().filter(|&&s| s < size) {
                assert_eq!(
                    c.inclusion(seq, size).unwrap(),
                    merkle::inclusion_proof_from_leaves(tree, seq),
                    "{seq} in {size}"
                );
            }
            for &old in sizes.iter().filter(|&&o| o <= size) {
                assert_eq!(
                    c.consistency(old, size).unwrap(),
                    merkle::consistency_proof_from_leaves(tree, old),
                    "{old} to {size}"
                );
            }
        }
        // An unmarked place far back was not kept: blocks 0 to 4 hold a
        // mark, 5 to 7 none, 8 (the last) is the window.
        assert!(c.inclusion(6 * BLOCK + 100, n).is_err());
        assert_eq!(c.kept.keys().copied().collect::<BTreeSet<u64>>(), (0..=4).collect());
    }
}
