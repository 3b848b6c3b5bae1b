//! The RFC 9162 Merkle tree over the log's lines: hashing, the compact
//! range that extends it, and inclusion and consistency proofs.
//!
//! Leaf *i* is line *i* (seq *i*) of `log.jsonl`, its exact bytes without
//! the `\n`. With SHA-256 (RFC 9162 §2.1.1):
//!
//! - leaf hash: `SHA-256(0x00 ‖ line)` ([`leaf_hash`]);
//! - node hash: `SHA-256(0x01 ‖ left ‖ right)` ([`node_hash`]);
//! - the root of `n > 1` leaves: the node hash of the root of the first
//!   `k` leaves and the root of the rest, `k` the largest power of two
//!   below `n`; the empty tree's root is `SHA-256("")`.
//!
//! A [`CompactRange`] holds the roots of the perfect subtrees that cover
//! leaves `0..n` (one per set bit of `n`): enough to append a leaf in
//! O(log n) and to compute the root. The log keeps one beside the file
//! (`evidence::tree`), derived from it.
//!
//! Proofs are lists of subtree roots. [`inclusion_ranges`] and
//! [`consistency_ranges`] say which leaf ranges they are the roots of
//! (RFC 9162 §2.1.3.1 `PATH` and §2.1.4.1 `PROOF`, written as the RFC
//! writes them); each range is a perfect subtree or ends at the tree's
//! size, so [`range_nodes`] splits it into perfect subtrees whose hashes a
//! pass over the log collects ([`CompactRange::append_visit`]) and
//! [`range_root`] folds. [`verify_inclusion`] and [`verify_consistency`]
//! are RFC 9162 §2.1.3.2 and §2.1.4.2, with the edge cases of
//! transparency-dev/merkle's `proof/verify.go` (a consistency proof from
//! size 0 is refused; equal sizes need an empty proof and equal roots).
//!
//! ```
//! use dsr::evidence::merkle::{CompactRange, leaf_hash, inclusion_proof_from_leaves, verify_inclusion};
//! let lines: Vec<&[u8]> = vec![b"a", b"b", b"c"];
//! let mut tree = CompactRange::default();
//! for l in &lines {
//!     tree.append(leaf_hash(l));
//! }
//! let leaves: Vec<_> = lines.iter().map(|l| leaf_hash(l)).collect();
//! let proof = inclusion_proof_from_leaves(&leaves, 1);
//! verify_inclusion(1, 3, &leaves[1], &proof, &tree.root()).unwrap();
//! ```

use super::Sha256;
use sha2::Digest;

/// The leaf hash of one line: `SHA-256(0x00 ‖ bytes)`.
pub fn leaf_hash(bytes: &[u8]) -> Sha256 {
    let mut h = sha2::Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(bytes);
    Sha256::from_bytes(h.finalize().into())
}

/// The byte before a line in its leaf hash (RFC 9162 §2.1.1).
pub(crate) const LEAF_PREFIX: u8 = 0x00;

/// The hash of an inner node: `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Sha256, right: &Sha256) -> Sha256 {
    node_hash_bytes(left.as_bytes(), right.as_bytes())
}

/// [`node_hash`] over any two byte strings (the RFC's test vectors hash
/// short strings, not digests).
pub fn node_hash_bytes(left: &[u8], right: &[u8]) -> Sha256 {
    let mut h = sha2::Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    Sha256::from_bytes(h.finalize().into())
}

/// The root of the empty tree: `SHA-256("")`.
pub fn empty_root() -> Sha256 {
    Sha256::digest(b"")
}

/// A node of the tree: `level` 0 are the leaves; node `(level, index)`
/// covers leaves `index·2^level .. (index+1)·2^level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// Height above the leaves.
    pub level: u32,
    /// Position within the level, from 0.
    pub index: u64,
}

/// The roots of the perfect subtrees covering leaves `0..size`, largest
/// (leftmost) first: one per set bit of `size`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompactRange {
    size: u64,
    hashes: Vec<Sha256>,
}

impl CompactRange {
    /// A range from its parts; `None` unless there is one hash per set bit
    /// of `size`.
    pub fn from_parts(size: u64, hashes: Vec<Sha256>) -> Option<CompactRange> {
        (hashes.len() == size.count_ones() as usize).then_some(CompactRange { size, hashes })
    }

    /// How many leaves it covers.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The subtree roots, leftmost first.
    pub fn hashes(&self) -> &[Sha256] {
        &self.hashes
    }

    /// Appends one leaf hash: O(log n) node hashes.
    pub fn append(&mut self, leaf: Sha256) {
        self.append_visit(leaf, |_, _| {});
    }

    /// Appends one leaf hash, showing `visit` every node it completes: the
    /// leaf itself, then each new perfect subtree root. Over a whole pass
    /// every perfect node of the tree is visited exactly once.
    pub fn append_visit(&mut self, leaf: Sha256, mut visit: impl FnMut(NodeId, &Sha256)) {
        let index = self.size;
        visit(NodeId { level: 0, index }, &leaf);
        let mut hash = leaf;
        let mut level = 0;
        while (index >> level) & 1 == 1 {
            let left = self.hashes.pop().expect("one hash per set bit of size");
            hash = node_hash(&left, &hash);
            level += 1;
            visit(NodeId { level, index: index >> level }, &hash);
        }
        self.hashes.push(hash);
        self.size += 1;
    }

    /// The tree's root hash (RFC 9162 `MTH`).
    pub fn root(&self) -> Sha256 {
        range_root(&self.hashes)
    }
}

/// The hash of a range from the roots of the perfect subtrees that cover
/// it, left to right ([`range_nodes`]): they are folded from the right,
/// which is how RFC 9162 splits a range that ends at the tree's edge.
pub fn range_root(hashes: &[Sha256]) -> Sha256 {
    let Some((last, rest)) = hashes.split_last() else { return empty_root() };
    rest.iter().rev().fold(*last, |acc, h| node_hash(h, &acc))
}

/// The perfect subtrees covering leaves `begin..end`, left to right, each
/// as large as its position allows.
pub fn range_nodes(begin: u64, end: u64) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut at = begin;
    while at < end {
        let mut level = if at == 0 { 63 } else { at.trailing_zeros().min(63) };
        while level > 0 && (1u64 << level) > end - at {
            level -= 1;
        }
        out.push(NodeId { level, index: at >> level });
        at += 1u64 << level;
    }
    out
}

/// The largest power of two strictly below `n` (`n ≥ 2`).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The leaf ranges whose roots form the inclusion proof of leaf `index`
/// in a tree of `size` leaves, in proof order (RFC 9162 §2.1.3.1:
/// `PATH(m, D[n])`). Requires `index < size`.
pub fn inclusion_ranges(index: u64, size: u64) -> Vec<(u64, u64)> {
    fn path(m: u64, lo: u64, hi: u64, out: &mut Vec<(u64, u64)>) {
        let n = hi - lo;
        if n <= 1 {
            return;
        }
        let k = split_point(n);
        if m < k {
            path(m, lo, lo + k, out);
            out.push((lo + k, hi));
        } else {
            path(m - k, lo + k, hi, out);
            out.push((lo, lo + k));
        }
    }
    let mut out = Vec::new();
    if index < size {
        path(index, 0, size, &mut out);
    }
    out
}

/// The leaf ranges whose roots form the consistency proof from a tree of
/// `old` leaves to one of `size` leaves, in proof order (RFC 9162
/// §2.1.4.1: `PROOF(m, D[n])`). Empty when `old` is 0 or `old == size`
/// (no proof is needed or possible) or `old > size`.
pub fn consistency_ranges(old: u64, size: u64) -> Vec<(u64, u64)> {
    fn subproof(m: u64, lo: u64, hi: u64, whole: bool, out: &mut Vec<(u64, u64)>) {
        let n = hi - lo;
        if m == n {
            if !whole {
                out.push((lo, hi));
            }
            return;
        }
        let k = split_point(n);
        if m <= k {
            subproof(m, lo, lo + k, whole, out);
            out.push((lo + k, hi));
        } else {
            subproof(m - k, lo + k, hi, false, out);
            out.push((lo, lo + k));
        }
    }
    let mut out = Vec::new();
    if old > 0 && old < size {
        subproof(old, 0, size, true, &mut out);
    }
    out
}

/// Every perfect node needed to build the roots of `ranges`.
pub fn nodes_for(ranges: &[(u64, u64)]) -> Vec<NodeId> {
    ranges.iter().flat_map(|&(a, b)| range_nodes(a, b)).collect()
}

/// An inclusion proof built from all leaf hashes (tests and small trees;
/// the log builds proofs in one streaming pass instead).
pub fn inclusion_proof_from_leaves(leaves: &[Sha256], index: u64) -> Vec<Sha256> {
    inclusion_ranges(index, leaves.len() as u64)
        .into_iter()
        .map(|(a, b)| subtree_root(&leaves[a as usize..b as usize]))
        .collect()
}

/// A consistency proof built from all leaf hashes (tests and small trees).
pub fn consistency_proof_from_leaves(leaves: &[Sha256], old: u64) -> Vec<Sha256> {
    consistency_ranges(old, leaves.len() as u64)
        .into_iter()
        .map(|(a, b)| subtree_root(&leaves[a as usize..b as usize]))
        .collect()
}

/// The root of a range of leaves that starts at a perfect-subtree boundary.
fn subtree_root(leaves: &[Sha256]) -> Sha256 {
    let mut range = CompactRange::default();
    for l in leaves {
        range.append(*l);
    }
    range.root()
}

/// Why a proof does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The leaf index is not below the tree size.
    #[error("{}", crate::t!("evidence.proof.index", index = index, size = size))]
    IndexOutOfRange {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The sizes cannot have a consistency proof (the old one is 0 or
    /// larger than the new one).
    #[error("{}", crate::t!("evidence.proof.sizes", old = old, new = new))]
    Sizes {
        /// The earlier size.
        old: u64,
        /// The later size.
        new: u64,
    },
    /// The proof has the wrong number of hashes for these sizes.
    #[error("{}", crate::t!("evidence.proof.length", found = found, expected = expected))]
    Length {
        /// Hashes the sizes call for.
        expected: usize,
        /// Hashes given.
        found: usize,
    },
    /// The hashes do not lead to the root given.
    #[error("{}", crate::t!("evidence.proof.root", computed = computed, expected = expected))]
    Root {
        /// The root to prove.
        expected: Sha256,
        /// What the proof computes.
        computed: Sha256,
    },
    /// For a consistency proof: the old root is not reproduced.
    #[error("{}", crate::t!("evidence.proof.old-root", computed = computed, expected = expected))]
    OldRoot {
        /// The old root given.
        expected: Sha256,
        /// What the proof computes.
        computed: Sha256,
    },
}

/// The root an inclusion proof computes for leaf `index` with hash `leaf`
/// in a tree of `size` leaves (RFC 9162 §2.1.3.2 without the final
/// comparison).
///
/// # Errors
/// [`ProofError::IndexOutOfRange`], [`ProofError::Length`].
pub fn root_from_inclusion(index: u64, size: u64, leaf: &Sha256, proof: &[Sha256]) -> Result<Sha256, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let expected = inclusion_ranges(index, size).len();
    if proof.len() != expected {
        return Err(ProofError::Length { expected, found: proof.len() });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(ProofError::Length { expected, found: proof.len() });
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::Length { expected, found: proof.len() });
    }
    Ok(r)
}

/// Checks an inclusion proof (RFC 9162 §2.1.3.2).
///
/// # Errors
/// As [`root_from_inclusion`], and [`ProofError::Root`] when the proof
/// leads elsewhere.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Sha256,
    proof: &[Sha256],
    root: &Sha256,
) -> Result<(), ProofError> {
    let computed = root_from_inclusion(index, size, leaf, proof)?;
    if computed != *root {
        return Err(ProofError::Root { expected: *root, computed });
    }
    Ok(())
}

/// Checks a consistency proof between a tree of `old` leaves with root
/// `old_root` and one of `new` leaves with root `new_root` (RFC 9162
/// §2.1.4.2).
///
/// # Errors
/// [`ProofError::Sizes`] (old is 0 or above new), [`ProofError::Length`],
/// [`ProofError::OldRoot`] or [`ProofError::Root`].
pub fn verify_consistency(
    old: u64,
    new: u64,
    proof: &[Sha256],
    old_root: &Sha256,
    new_root: &Sha256,
) -> Result<(), ProofError> {
    if old == 0 || old > new {
        return Err(ProofError::Sizes { old, new });
    }
    if old == new {
        if !proof.is_empty() {
            return Err(ProofError::Length { expected: 0, found: proof.len() });
        }
        if old_root != new_root {
            return Err(ProofError::Root { expected: *new_root, computed: *old_root });
        }
        return Ok(());
    }
    let expected = consistency_ranges(old, new).len();
    if proof.len() != expected {
        return Err(ProofError::Length { expected, found: proof.len() });
    }
    // When `old` is a power of two the old root is the proof's implied
    // first element.
    let mut path: Vec<Sha256> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let (mut f, mut s) = (old - 1, new - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if s == 0 {
            return Err(ProofError::Length { expected, found: proof.len() });
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if fr != *old_root {
        return Err(ProofError::OldRoot { expected: *old_root, computed: fr });
    }
    if sr != *new_root {
        return Err(ProofError::Root { expected: *new_root, computed: sr });
    }
    if s != 0 {
        return Err(ProofError::Length { expected, found: proof.len() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn vectors() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/merkle/merkle-test-vectors.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// A 32-byte hash from hex; `None` for any other length (the negative
    /// vectors hold short strings a verifier must refuse).
    fn hash(v: &Value) -> Option<Sha256> {
        let b = unhex(v.as_str().unwrap());
        Some(Sha256::from_bytes(b.try_into().ok()?))
    }

    fn hashes(v: &Value) -> Option<Vec<Sha256>> {
        v.as_array().unwrap().iter().map(hash).collect()
    }

    fn leaves(v: &Value) -> Vec<Sha256> {
        v["tree"]["leaf_inputs_hex"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| leaf_hash(&unhex(x.as_str().unwrap())))
            .collect()
    }

    #[test]
    fn hash_primitives_match_the_rfc_vectors() {
        let v = vectors();
        for p in v["hash_primitives"].as_array().unwrap() {
            let expected = p["expected"].as_str().unwrap();
            let got = if let Some(l) = p.get("left_hex") {
                node_hash_bytes(&unhex(l.as_str().unwrap()), &unhex(p["right_hex"].as_str().unwrap()))
            } else if p["input_hex"].is_null() {
                empty_root()
            } else {
                leaf_hash(&unhex(p["input_hex"].as_str().unwrap()))
            };
            assert_eq!(got.to_string(), expected, "{}", p["name"]);
        }
        let expected: Vec<Sha256> = hashes(&v["tree"]["leaf_hashes"]).unwrap();
        assert_eq!(leaves(&v), expected);
    }

    #[test]
    fn compact_range_roots_match_every_size() {
        let v = vectors();
        let leaves = leaves(&v);
        let roots = &v["tree"]["root_by_size"];
        let mut range = CompactRange::default();
        assert_eq!(range.root().to_string(), roots[0]["root"].as_str().unwrap());
        for (i, l) in leaves.iter().enumerate() {
            range.append(*l);
            assert_eq!(roots[i + 1]["size"], i + 1);
            assert_eq!(range.root().to_string(), roots[i + 1]["root"].as_str().unwrap(), "size {}", i + 1);
            assert_eq!(range.hashes().len(), range.size().count_ones() as usize);
        }
    }

    #[test]
    fn copied_and_derived_proofs_are_reproduced_and_verify() {
        let v = vectors();
        let leaves = leaves(&v);
        let root = |n: u64| hash(&v["tree"]["root_by_size"][n as usize]["root"]).unwrap();
        let mut checked = 0;
        for p in v["inclusion_proofs"]
            .as_array()
            .unwrap()
            .iter()
            .chain(v["derived_all_proofs"]["inclusion"].as_array().unwrap())
        {
            let (i, n) = (p["leaf_index"].as_u64().unwrap(), p["tree_size"].as_u64().unwrap());
            let proof = hashes(&p["proof"]).unwrap();
            if n <= leaves.len() as u64 {
                assert_eq!(inclusion_proof_from_leaves(&leaves[..n as usize], i), proof, "inclusion {i} in {n}");
                verify_inclusion(i, n, &leaves[i as usize], &proof, &root(n)).unwrap();
            } else {
                let r = hash(&p["root"]).unwrap();
                verify_inclusion(i, n, &hash(&p["leaf_hash"]).unwrap(), &proof, &r).unwrap();
            }
            checked += 1;
        }
        for p in v["consistency_proofs"]
            .as_array()
            .unwrap()
            .iter()
            .chain(v["derived_all_proofs"]["consistency"].as_array().unwrap())
        {
            let (a, b) = (p["size1"].as_u64().unwrap(), p["size2"].as_u64().unwrap());
            let proof = hashes(&p["proof"]).unwrap();
            let (r1, r2) = match (p.get("root1"), p.get("root2")) {
                (Some(x), Some(y)) => (hash(x).unwrap(), hash(y).unwrap()),
                _ => (root(a), root(b)),
            };
            if b <= leaves.len() as u64 {
                assert_eq!(consistency_proof_from_leaves(&leaves[..b as usize], a), proof, "consistency {a} to {b}");
            }
            verify_consistency(a, b, &proof, &r1, &r2).unwrap();
            checked += 1;
        }
        assert!(checked >= 80, "{checked}");
    }

    #[test]
    fn negative_vectors_are_refused() {
        let v = vectors();
        for p in v["negative_vectors"].as_array().unwrap() {
            assert_eq!(p["expect_valid"], false);
            let desc = p["desc"].as_str().unwrap();
            let ok = match p["kind"].as_str().unwrap() {
                "inclusion" => match (hash(&p["leaf_hash"]), hashes(&p["proof"]), hash(&p["root"])) {
                    (Some(l), Some(proof), Some(r)) => verify_inclusion(
                        p["leaf_index"].as_u64().unwrap(),
                        p["tree_size"].as_u64().unwrap(),
                        &l,
                        &proof,
                        &r,
                    )
                    .is_ok(),
                    _ => false,
                },
                "consistency" => match (hashes(&p["proof"]), hash(&p["root1"]), hash(&p["root2"])) {
                    (Some(proof), Some(r1), Some(r2)) => {
                        verify_consistency(p["size1"].as_u64().unwrap(), p["size2"].as_u64().unwrap(), &proof, &r1, &r2)
                            .is_ok()
                    }
                    _ => false,
                },
                other => panic!("{other}"),
            };
            assert!(!ok, "accepted: {desc}");
        }
    }

    #[test]
    fn every_proof_of_larger_trees_verifies_and_a_changed_hash_fails() {
        let leaves: Vec<Sha256> = (0..70u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        for n in 1..=leaves.len() as u64 {
            let tree = &leaves[..n as usize];
            let root = subtree_root(tree);
            for i in 0..n {
                let proof = inclusion_proof_from_leaves(tree, i);
                verify_inclusion(i, n, &tree[i as usize], &proof, &root).unwrap();
                if let Some(first) = proof.first() {
                    let mut bad = proof.clone();
                    bad[0] = leaf_hash(first.as_bytes());
                    assert!(verify_inclusion(i, n, &tree[i as usize], &bad, &root).is_err());
                }
            }
            for m in 1..=n {
                let proof = consistency_proof_from_leaves(tree, m);
                let old = subtree_root(&tree[..m as usize]);
                verify_consistency(m, n, &proof, &old, &root).unwrap();
                if m < n {
                    assert!(verify_consistency(m, n, &proof, &leaf_hash(b"x"), &root).is_err());
                }
            }
        }
    }

    #[test]
    fn range_nodes_cover_ranges_with_perfect_subtrees() {
        assert_eq!(
            range_nodes(0, 7),
            [NodeId { level: 2, index: 0 }, NodeId { level: 1, index: 2 }, NodeId { level: 0, index: 6 }]
        );
        assert_eq!(range_nodes(4, 8), [NodeId { level: 2, index: 1 }]);
        assert_eq!(range_nodes(6, 6), []);
        // Every node a pass visits is one of those it needs, and each once.
        let mut seen = std::collections::BTreeMap::new();
        let mut range = CompactRange::default();
        for i in 0..37u32 {
            range.append_visit(leaf_hash(&i.to_be_bytes()), |id, h| assert!(seen.insert(id, *h).is_none()));
        }
        for (index, size) in [(0, 37), (36, 37), (17, 37), (31, 32)] {
            for id in nodes_for(&inclusion_ranges(index, size)) {
                assert!(seen.contains_key(&id), "{id:?}");
            }
        }
    }
}
