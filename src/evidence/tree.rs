//! The Merkle tree's compact range, kept beside the log in `log.tree` and
//! derived from the log alone.
//!
//! Appending a line must extend the tree in O(log n), so the writer keeps
//! the roots of the perfect subtrees covering every line
//! ([`CompactRange`]) and the log's origin. That state is a cache, never a
//! second truth: it records the size and the last line's hash it was
//! computed for, and [`TreeState::load`] ignores it unless both match the
//! log's tail. Otherwise (missing, stale, unreadable, or written by a
//! version that does not know it) [`TreeState::rebuild`] reads the whole
//! log through the checking reader, so a tree is never built over a log
//! whose chain is broken.
//!
//! The file is text (`dsr-log-tree/1`, then `origin`, `size`, `last` and
//! one hash per subtree) and replaced by rename; it is not fsynced, since
//! losing it costs only a rebuild.

use super::chain::Reader;
use super::merkle::CompactRange;
use super::{Error, Sha256};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// The compact range's file name inside the data directory.
pub const TREE_FILE: &str = "log.tree";

const MAGIC: &str = "dsr-log-tree/1";

/// What the writer knows about the tree of a log of `range.size()` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TreeState {
    /// The log's origin, once it is format 2 (`None`: a format-1 log not
    /// yet upgraded).
    pub origin: Option<String>,
    /// The roots of the perfect subtrees over every line.
    pub range: CompactRange,
    /// The hash (chain hash) of the last line; zeros for an empty log.
    pub last: Sha256,
}

impl TreeState {
    /// The tree of an empty (or not yet created) log.
    pub(crate) fn empty() -> TreeState {
        TreeState { origin: None, range: CompactRange::default(), last: Sha256::ZERO }
    }

    /// Reads `log.tree` if it describes a log of `size` lines ending in a
    /// line whose hash is `last`; `None` if it is missing, unreadable or
    /// stale.
    pub(crate) fn load(data_dir: &Path, size: u64, last: Sha256) -> Option<TreeState> {
        // Only a small regular file is read (a symlink or a device in its
        // place is treated as missing): at most 64 hashes, a few KB.
        let path = data_dir.join(TREE_FILE);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > 64 << 10 {
            return None;
        }
        let text = fs::read_to_string(&path).ok()?;
        let state = parse(&text)?;
        (state.range.size() == size && state.last == last).then_some(state)
    }

    /// Builds the state from the whole log, checking every line as
    /// `dsr log verify` does (without objects).
    ///
    /// # Errors
    /// [`Error::Verify`] if a line is damaged or out of chain; I/O.
    pub(crate) fn rebuild(data_dir: &Path) -> Result<TreeState, Error> {
        let Some(mut reader) = Reader::open_with_leaves(data_dir)? else { return Ok(TreeState::empty()) };
        let mut range = CompactRange::default();
        while let Some(line) = reader.next_checked()? {
            range.append(line.leaf.expect("the reader computes leaves"));
        }
        let chain = reader.chain();
        Ok(TreeState { origin: chain.origin.clone(), range, last: chain.prev })
    }

    /// Writes `log.tree` (temp file and rename).
    ///
    /// # Errors
    /// I/O; the caller may ignore it (the next writer rebuilds).
    pub(crate) fn save(&self, data_dir: &Path) -> io::Result<()> {
        let mut text = format!(
            "{MAGIC}\norigin {}\nsize {}\nlast {}\n",
            self.origin.as_deref().unwrap_or("-"),
            self.range.size(),
            self.last
        );
        for h in self.range.hashes() {
            text.push_str(&format!("{h}\n"));
        }
        let temp = data_dir.join(format!("{TREE_FILE}.tmp-{}", std::process::id()));
        // A temp file left by a killed writer of the same pid is replaced;
        // `create_new` never follows a symlink planted in its place.
        let _ = fs::remove_file(&temp);
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written.and_then(|()| fs::rename(&temp, data_dir.join(TREE_FILE))) {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
        Ok(())
    }
}

fn parse(text: &str) -> Option<TreeState> {
    let mut lines = text.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let origin = match lines.next()?.strip_prefix("origin ")? {
        "-" => None,
        o if super::note::is_origin(o) => Some(o.to_string()),
        _ => return None,
    };
    let size: u64 = lines.next()?.strip_prefix("size ")?.parse().ok()?;
    let last: Sha256 = lines.next()?.strip_prefix("last ")?.parse().ok()?;
    let hashes: Vec<Sha256> = lines.map(|l| l.parse().ok()).collect::<Option<_>>()?;
    let range = CompactRange::from_parts(size, hashes)?;
    Some(TreeState { origin, range, last })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::merkle::leaf_hash;

    #[test]
    fn saved_state_loads_only_for_the_same_tail() {
        let dir = tempfile::tempdir().unwrap();
        let mut range = CompactRange::default();
        for i in 0..11u8 {
            range.append(leaf_hash(&[i]));
        }
        let state = TreeState { origin: Some("dsr-evidence-log/x".into()), range, last: Sha256::digest(b"last") };
        state.save(dir.path()).unwrap();
        assert_eq!(TreeState::load(dir.path(), 11, Sha256::digest(b"last")), Some(state.clone()));
        assert_eq!(TreeState::load(dir.path(), 12, Sha256::digest(b"last")), None);
        assert_eq!(TreeState::load(dir.path(), 11, Sha256::digest(b"other")), None);
        let text = fs::read_to_string(dir.path().join(TREE_FILE)).unwrap();
        fs::write(dir.path().join(TREE_FILE), text.replacen("size 11", "size 12", 1)).unwrap();
        assert_eq!(TreeState::load(dir.path(), 12, Sha256::digest(b"last")), None, "hash count must fit the size");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }
}
