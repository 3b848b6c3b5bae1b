//! Checking a bundle offline: nothing but the bundle's own files.
//!
//! Two layers. First the files: every file's SHA-256 against both
//! `SHA256SUMS` and `manifest.json`, and no file unlisted or missing; a
//! file both disagree with is the one that changed. Then the content:
//! every exported line's hash is its `chain.txt` entry and its `prev` the
//! entry before; `chain.txt` runs from seq 0 without gaps and ends in the
//! manifest's head (and in `--head`, if given); every object an exported
//! line names is in the bundle with that hash and size, or listed by an
//! exported `purged` line.

use super::{CHAIN, Error, LOG_LINES, Line, MANIFEST, Manifest, SUMS};
use crate::evidence::{ObjectRef, RequestId, Sha256};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A bundle that verified.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// The bundle directory.
    pub dir: PathBuf,
    /// The request.
    pub request: RequestId,
    /// The head the chain ends in.
    pub head: Line,
    /// Files checked (SHA256SUMS included).
    pub files: usize,
    /// Exported log lines.
    pub lines: usize,
    /// Objects present and intact.
    pub objects: usize,
    /// Objects listed as purged.
    pub purged: usize,
}

/// Problems found so far: (file, what is wrong).
struct Problems(Vec<(String, String)>);

impl Problems {
    fn add(&mut self, file: &str, problem: impl Into<String>) {
        self.0.push((file.to_string(), problem.into()));
    }
}

/// Verifies the bundle in `dir`; with `head`, also that its chain ends in
/// that hash (a head recorded elsewhere when the log was written).
///
/// # Errors
/// [`Error::Invalid`] naming the first file found wrong and counting the
/// rest; [`Error::NoBundle`] if `dir` is not a directory.
pub fn verify(dir: &Path, head: Option<&Sha256>) -> Result<Verified, Error> {
    if !dir.is_dir() {
        return Err(Error::NoBundle { path: dir.to_path_buf() });
    }
    let mut p = Problems(Vec::new());
    let invalid = |p: Problems| -> Error {
        let more = p.0.len().saturating_sub(1);
        let (file, problem) = p.0.into_iter().next().unwrap_or_default();
        Error::Invalid { dir: dir.to_path_buf(), file, problem, more }
    };

    // Layer 1: the files.
    let mut actual: BTreeMap<String, (Sha256, u64, Vec<u8>)> = BTreeMap::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))? {
        let entry = entry.map_err(|e| Error::io("cannot read", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !path.is_file() {
            p.add(&name, "is not a regular file; a bundle holds only files");
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| Error::io("cannot read", &path, e))?;
        actual.insert(name, (Sha256::digest(&bytes), bytes.len() as u64, bytes));
    }
    let Some((_, _, sums_bytes)) = actual.get(SUMS) else {
        p.add(SUMS, "missing");
        return Err(invalid(p));
    };
    let sums = match parse_sums(sums_bytes) {
        Ok(s) => s,
        Err(problem) => {
            p.add(SUMS, problem);
            return Err(invalid(p));
        }
    };
    let Some((manifest_hash, _, manifest_bytes)) = actual.get(MANIFEST) else {
        p.add(MANIFEST, "missing");
        return Err(invalid(p));
    };
    if sums.get(MANIFEST) != Some(manifest_hash) {
        p.add(MANIFEST, "its SHA-256 differs from its entry in SHA256SUMS: one of the two was changed");
        return Err(invalid(p));
    }
    let manifest: Manifest = match serde_json::from_slice(manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            p.add(MANIFEST, format!("does not parse: {e}"));
            return Err(invalid(p));
        }
    };
    if manifest.format != super::FORMAT {
        p.add(MANIFEST, format!("format {:?} is not {:?}", manifest.format, super::FORMAT));
        return Err(invalid(p));
    }
    let listed: BTreeMap<&str, &super::File> = manifest.files.iter().map(|f| (f.path.as_str(), f)).collect();
    // Files that changed: they differ from both lists. Then each list
    // against the other.
    for (name, (hash, size, _)) in &actual {
        if name == SUMS || name == MANIFEST {
            continue;
        }
        let in_sums = sums.get(name.as_str());
        let in_manifest = listed.get(name.as_str());
        match (in_sums, in_manifest) {
            (None, None) => p.add(name, "not listed in manifest.json or SHA256SUMS: it was added after export"),
            (Some(s), Some(m)) if s != hash && (m.sha256 != *hash || m.size != *size) => {
                p.add(name, format!("changed: its SHA-256 is {hash}, the bundle lists {s}"))
            }
            _ => {}
        }
    }
    let named: BTreeSet<&str> = listed.keys().copied().chain(sums.keys().map(String::as_str)).collect();
    for name in named {
        if !actual.contains_key(name) {
            p.add(name, "missing: the bundle lists it");
        }
    }
    if !p.0.is_empty() {
        return Err(invalid(p));
    }
    for (name, (hash, size, _)) in &actual {
        if name == SUMS || name == MANIFEST {
            continue;
        }
        match sums.get(name.as_str()) {
            Some(s) if s == hash => {}
            _ => p.add(SUMS, format!("its entry for {name} does not match the file")),
        }
        match listed.get(name.as_str()) {
            Some(m) if m.sha256 == *hash && m.size == *size => {}
            _ => p.add(MANIFEST, format!("its entry for {name} does not match the file")),
        }
    }
    if !p.0.is_empty() {
        return Err(invalid(p));
    }

    // Layer 2: the content.
    let file = |name: &str| actual.get(name).map(|(_, _, b)| b.as_slice());
    let chain = match file(CHAIN).map(parse_chain) {
        Some(Ok(c)) => c,
        Some(Err(problem)) => {
            p.add(CHAIN, problem);
            return Err(invalid(p));
        }
        None => {
            p.add(CHAIN, "missing");
            return Err(invalid(p));
        }
    };
    let last = Line { seq: chain.len() as u64 - 1, sha256: chain[chain.len() - 1] };
    if last != manifest.head {
        p.add(
            CHAIN,
            format!(
                "ends in seq {} {}, the manifest's head is seq {} {}",
                last.seq, last.sha256, manifest.head.seq, manifest.head.sha256
            ),
        );
    }
    if let Some(h) = head.filter(|h| **h != last.sha256) {
        p.add(CHAIN, format!("ends in {}, not in the given head {h}", last.sha256));
    }

    let Some(log_bytes) = file(LOG_LINES) else {
        p.add(LOG_LINES, "missing");
        return Err(invalid(p));
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut named: Vec<(u64, ObjectRef)> = Vec::new();
    let mut purged: BTreeSet<Sha256> = BTreeSet::new();
    if !log_bytes.is_empty() && log_bytes.last() != Some(&b'\n') {
        p.add(LOG_LINES, "the last line has no final newline");
    }
    for (i, bytes) in log_bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = i + 1;
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let at = |what: String| format!("line {number}: {what}");
        let hash = Sha256::digest(bytes);
        let fields = match line_fields(bytes) {
            Ok(f) => f,
            Err(e) => {
                p.add(LOG_LINES, at(e));
                continue;
            }
        };
        if fields.request.as_ref() != Some(&manifest.request) {
            p.add(LOG_LINES, at(format!("belongs to request {:?}, not {}", fields.request, manifest.request)));
        }
        if lines.last().is_some_and(|l| l.seq >= fields.seq) {
            p.add(LOG_LINES, at(format!("seq {} does not follow seq {}", fields.seq, lines[lines.len() - 1].seq)));
        }
        match chain.get(fields.seq as usize) {
            None => p.add(LOG_LINES, at(format!("seq {} is past the end of chain.txt", fields.seq))),
            Some(c) if *c != hash => {
                p.add(LOG_LINES, at(format!("its SHA-256 is {hash}, chain.txt has {c} for seq {}", fields.seq)))
            }
            Some(_) => {}
        }
        let expected_prev = if fields.seq == 0 { Some(&Sha256::ZERO) } else { chain.get(fields.seq as usize - 1) };
        if expected_prev.is_some_and(|e| *e != fields.prev) {
            p.add(
                LOG_LINES,
                at(format!("prev {} is not chain.txt's entry for seq {}", fields.prev, fields.seq.saturating_sub(1))),
            );
        }
        lines.push(Line { seq: fields.seq, sha256: hash });
        named.extend(fields.objects.into_iter().map(|o| (fields.seq, o)));
        purged.extend(fields.purged);
    }
    if lines != manifest.lines {
        p.add(MANIFEST, "its list of lines differs from log-lines.jsonl");
    }

    // Objects.
    let by_hash: BTreeMap<Sha256, &super::Object> = manifest.objects.iter().map(|o| (o.sha256, o)).collect();
    let mut present = 0;
    let mut gone = 0;
    let mut seen: BTreeSet<Sha256> = BTreeSet::new();
    for (seq, r) in &named {
        if !seen.insert(r.sha256) {
            continue;
        }
        let Some(o) = by_hash.get(&r.sha256) else {
            p.add(MANIFEST, format!("object {} (named by seq {seq}) is not listed", r.sha256));
            continue;
        };
        match &o.file {
            Some(f) => match actual.get(f.as_str()) {
                Some((h, size, _)) if *h == r.sha256 && *size == r.size => present += 1,
                Some(_) => p.add(f, format!("is not object {} of {} bytes named by seq {seq}", r.sha256, r.size)),
                None => p.add(f, "missing"),
            },
            None if purged.contains(&r.sha256) => gone += 1,
            None => {
                p.add(MANIFEST, format!("object {} (named by seq {seq}) is neither in the bundle nor purged", r.sha256))
            }
        }
    }
    if manifest.objects.len() != seen.len() {
        p.add(MANIFEST, "lists objects that no exported line names");
    }
    if !p.0.is_empty() {
        return Err(invalid(p));
    }
    Ok(Verified {
        dir: dir.to_path_buf(),
        request: manifest.request.clone(),
        head: last,
        files: actual.len(),
        lines: lines.len(),
        objects: present,
        purged: gone,
    })
}

/// The members of a log line the bundle check needs.
struct LineFields {
    seq: u64,
    request: Option<RequestId>,
    prev: Sha256,
    objects: Vec<ObjectRef>,
    purged: Vec<Sha256>,
}

fn line_fields(bytes: &[u8]) -> Result<LineFields, String> {
    #[derive(serde::Deserialize)]
    struct Raw {
        seq: u64,
        request: Option<RequestId>,
        prev: Sha256,
        data: serde_json::Value,
    }
    let raw: Raw = serde_json::from_slice(bytes).map_err(|e| format!("not a log line: {e}"))?;
    let objects = match raw.data.get("objects") {
        None => Vec::new(),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("data.objects: {e}"))?,
    };
    let purged = match raw.data.get("purged") {
        None => Vec::new(),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("data.purged: {e}"))?,
    };
    Ok(LineFields { seq: raw.seq, request: raw.request, prev: raw.prev, objects, purged })
}

/// `SHA256SUMS`: `<64 hex><space><space or *><name>` per line.
fn parse_sums(bytes: &[u8]) -> Result<BTreeMap<String, Sha256>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string())?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let bad = || format!("line {}: expected '<sha256>  <file>'", i + 1);
        let (hash, rest) = line.split_at_checked(64).ok_or_else(bad)?;
        let hash: Sha256 = hash.parse().map_err(|_| bad())?;
        let name = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *")).ok_or_else(bad)?;
        if name.is_empty() || name.contains('/') || name == "." || name == ".." {
            return Err(format!("line {}: {name:?} is not a file of the bundle", i + 1));
        }
        if out.insert(name.to_string(), hash).is_some() {
            return Err(format!("line {}: {name} is listed twice", i + 1));
        }
    }
    Ok(out)
}

/// `chain.txt`: `<seq> <sha256>` per line, seq 0, 1, 2, … without gaps.
fn parse_chain(bytes: &[u8]) -> Result<Vec<Sha256>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_string())?;
    if !text.ends_with('\n') {
        return Err("does not end with a newline".into());
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = || format!("line {}: expected '{i} <sha256>'", i + 1);
        let (seq, hash) = line.split_once(' ').ok_or_else(bad)?;
        if seq != i.to_string() {
            return Err(format!("line {}: seq {seq:?} where {i} was expected: the chain has a gap", i + 1));
        }
        out.push(hash.parse().map_err(|_| bad())?);
    }
    if out.is_empty() {
        return Err("is empty".into());
    }
    Ok(out)
}
