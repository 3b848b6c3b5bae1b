//! Checking a bundle offline: nothing but the bundle's own files and,
//! optionally, a checkpoint obtained elsewhere and the published key.
//!
//! Two layers, for both formats. First the files: every file's SHA-256
//! against both `SHA256SUMS` and `manifest.json`, and no file unlisted or
//! missing; a file both disagree with is the one that changed. Then the
//! content.
//!
//! Format 2 (the order is the order problems are reported in; the spec is
//! `docs/evidence-bundle.md` §3): `proofs.json`; the context lines (the
//! log's header, its `upgraded` line) and the log's origin; the signed
//! checkpoint (its signature, origin and tree); the case's lines (each a
//! valid log line of the case, in order); each line's inclusion proof
//! against the tree; the per-request links (`data.request_prev`), which
//! show that no line of the case between its first and its last was left
//! out; the manifest's case fields against the case's first `prepared`
//! line; the objects; the linked checkpoints and their consistency proofs;
//! and a checkpoint given with `--checkpoint`.
//!
//! Format 1: every exported line's hash is its `chain.txt` entry and its
//! `prev` the entry before; `chain.txt` runs from seq 0 without gaps and
//! ends in the manifest's head (and in `--head`, if given); every object
//! an exported line names is in the bundle with that hash and size, or
//! listed by an exported `purged` line.

use super::{
    BundleProofs, CHAIN, CONTEXT, Error, FORMAT_V1, FORMAT_V2, LOG_LINES, Line, MANIFEST, Manifest, ManifestV2, PROOFS,
    PROOFS_FORMAT, SUMS,
};
use crate::case::event::Name;
use crate::evidence::anchor::{self, Anchor};
use crate::evidence::note::{SignedCheckpoint, Verifier};
use crate::evidence::tsa_trust::TokenTrust;
use crate::evidence::tsp;
use crate::evidence::{
    self, FORMAT_V1 as LOG_V1, FORMAT_V2 as LOG_V2, HEADER_EVENT, IoContext, ObjectRef, ParsedLine, RequestId, Sha256,
    TreeHead, UPGRADED_EVENT, merkle,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The largest file a bundle may hold: a stored reply (64 MiB, the
/// limit `dsr reply` reads) is the largest object dsr writes into one.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// What to check besides the bundle itself.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Format 1: the head the chain must end in (recorded elsewhere).
    pub head: Option<Sha256>,
    /// Format 2: a checkpoint obtained independently (its name for
    /// messages, and the checkpoint): the bundle's tree must be it, or
    /// extend it.
    pub checkpoint: Option<(String, SignedCheckpoint)>,
    /// Format 2: the published verifier key; the checkpoints must be
    /// signed by it [default: the key the manifest names].
    pub key: Option<Verifier>,
    /// Format 2: the CA files the bundle's timestamp tokens are checked
    /// against (without any, each token's signature and certificate are
    /// checked, not its chain).
    pub tsa: TokenTrust,
    /// Format 2: the dated anchor of the `checkpoint` when a mail message
    /// carried it (a witness): it joins the per-line report.
    pub witness: Option<Anchor>,
}

/// A bundle that verified.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// The bundle directory.
    pub dir: PathBuf,
    /// The bundle's format (1 or 2).
    pub format: u8,
    /// The request.
    pub request: RequestId,
    /// Format 1: the head the chain ends in.
    pub head: Option<Line>,
    /// Format 2: the tree the lines are proved in.
    pub tree: Option<TreeHead>,
    /// Format 2: the key that signed its checkpoint (`None`: unsigned).
    pub signed_by: Option<String>,
    /// Format 2: the linked earlier checkpoints that verified.
    pub linked: usize,
    /// Format 2: the `--checkpoint` given, if it matched.
    pub matches: Option<String>,
    /// Files checked (SHA256SUMS included).
    pub files: usize,
    /// Exported log lines.
    pub lines: usize,
    /// Objects present and intact.
    pub objects: usize,
    /// Objects listed as purged.
    pub purged: usize,
    /// Format 2: timestamp tokens that verified.
    pub timestamps: usize,
    /// Format 2: for each of the case's lines, the earliest independent
    /// evidence that it existed.
    pub existed: Vec<Existed>,
}

/// What a verifier can say about when one of the case's lines existed.
#[derive(Debug, Clone, Serialize)]
pub struct Existed {
    /// The line's seq.
    pub seq: u64,
    /// Its event.
    pub event: String,
    /// No later than this (RFC 3339 UTC), if an anchor covers it.
    pub no_later_than: Option<String>,
    /// Who says so (`timestamp by X`, `witness: …`; English in the JSON).
    pub by: Option<anchor::Source>,
    /// The report's wording.
    pub says: String,
}

/// What `dsr evidence verify` prints for a bundle that verified, line by
/// line (`docs/verify_log.py bundle` prints the same).
pub fn verified_summary(v: &Verified) -> Vec<String> {
    let purged = match v.purged {
        0 => String::new(),
        n => crate::t!("export.verify.purged", n = n),
    };
    let mut out = vec![crate::t!(
        "export.verify.ok",
        request = v.request,
        files = v.files,
        lines = v.lines,
        objects = v.objects,
        purged = purged
    )];
    if let Some(h) = &v.head {
        out[0].push_str(&crate::t!("export.verify.head", sha256 = h.sha256, seq = h.seq));
    }
    if let Some(t) = &v.tree {
        out.push(match &v.signed_by {
            Some(k) => crate::t!(
                "export.verify.tree-signed",
                root = t.root,
                size = t.size,
                key = k,
                fingerprint = Sha256::digest(k.as_bytes())
            ),
            None => crate::t!("export.verify.tree-unsigned", root = t.root, size = t.size),
        });
        if v.linked > 0 {
            out.push(crate::t!("export.verify.linked", n = v.linked));
        }
    }
    if v.timestamps > 0 {
        out.push(crate::t!("export.verify.timestamps", n = v.timestamps));
    }
    if let Some(m) = &v.matches {
        out.push(crate::t!("export.verify.matches", label = m));
    }
    for e in &v.existed {
        // `says` and `by` stay English in the JSON report; the text is in
        // the interface language.
        let says = match (&e.no_later_than, &e.by) {
            (Some(time), Some(source)) => crate::t!("verify.no-later-than", time = time, source = source),
            _ => crate::t!("verify.claim-only"),
        };
        out.push(crate::t!("export.verify.existed", line = e.seq + 1, event = e.event, says = says));
    }
    out
}

/// Problems found so far: (file, what is wrong).
struct Problems(Vec<(String, String)>);

impl Problems {
    fn add(&mut self, file: &str, problem: impl Into<String>) {
        self.0.push((file.to_string(), problem.into()));
    }
}

/// The bundle's files: name → (hash, size, bytes).
type Files = BTreeMap<String, (Sha256, u64, Vec<u8>)>;

/// Verifies the bundle in `dir` (either format; see the module docs).
///
/// # Errors
/// [`Error::Invalid`] naming the first file (and line) found wrong and
/// counting the rest; [`Error::NoBundle`] if `dir` is not a directory.
pub fn verify(dir: &Path, options: &VerifyOptions) -> Result<Verified, Error> {
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
    let mut actual: Files = BTreeMap::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(IoContext::Read, dir, e))? {
        let entry = entry.map_err(|e| Error::io(IoContext::Read, dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let meta = fs::symlink_metadata(&path).map_err(|e| Error::io(IoContext::Read, &path, e))?;
        if !meta.is_file() {
            p.add(&name, crate::t!("export.verify.not-a-file"));
            continue;
        }
        // Bounded before it is read: a bundle comes from someone else.
        if meta.len() > MAX_FILE_BYTES {
            p.add(&name, crate::t!("export.verify.too-big", size = meta.len(), max = MAX_FILE_BYTES));
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| Error::io(IoContext::Read, &path, e))?;
        actual.insert(name, (Sha256::digest(&bytes), bytes.len() as u64, bytes));
    }
    let Some((_, _, sums_bytes)) = actual.get(SUMS) else {
        p.add(SUMS, crate::t!("export.verify.missing"));
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
        p.add(MANIFEST, crate::t!("export.verify.missing"));
        return Err(invalid(p));
    };
    if sums.get(MANIFEST) != Some(manifest_hash) {
        p.add(MANIFEST, crate::t!("export.verify.manifest-vs-sums"));
        return Err(invalid(p));
    }
    let format = serde_json::from_slice::<serde_json::Value>(manifest_bytes)
        .ok()
        .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_string));
    match format.as_deref() {
        Some(FORMAT_V2) => {
            let manifest: ManifestV2 = match serde_json::from_slice(manifest_bytes) {
                Ok(m) => m,
                Err(e) => {
                    p.add(MANIFEST, crate::t!("export.verify.does-not-parse", error = e));
                    return Err(invalid(p));
                }
            };
            files_layer(&actual, &sums, &manifest.files, &mut p);
            if !p.0.is_empty() {
                return Err(invalid(p));
            }
            verify_v2(dir, &actual, &manifest, options, &mut p).ok_or_else(|| invalid(p))
        }
        Some(FORMAT_V1) => {
            let manifest: Manifest = match serde_json::from_slice(manifest_bytes) {
                Ok(m) => m,
                Err(e) => {
                    p.add(MANIFEST, crate::t!("export.verify.does-not-parse", error = e));
                    return Err(invalid(p));
                }
            };
            files_layer(&actual, &sums, &manifest.files, &mut p);
            if !p.0.is_empty() {
                return Err(invalid(p));
            }
            verify_v1(dir, &actual, &manifest, options.head.as_ref(), &mut p).ok_or_else(|| invalid(p))
        }
        other => {
            let found = other.map_or_else(
                || crate::t!("export.verify.no-format"),
                |f| crate::t!("export.verify.format", format = format!("{f:?}")),
            );
            let (v2, v1) = (format!("{FORMAT_V2:?}"), format!("{FORMAT_V1:?}"));
            p.add(MANIFEST, crate::t!("export.verify.unknown-format", found = found, v2 = v2, v1 = v1));
            Err(invalid(p))
        }
    }
}

/// Layer 1: each file against `SHA256SUMS` and the manifest's list.
fn files_layer(actual: &Files, sums: &BTreeMap<String, Sha256>, files: &[super::File], p: &mut Problems) {
    let listed: BTreeMap<&str, &super::File> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    // Files that changed: they differ from both lists. Then each list
    // against the other.
    for (name, (hash, size, _)) in actual {
        if name == SUMS || name == MANIFEST {
            continue;
        }
        let in_sums = sums.get(name.as_str());
        let in_manifest = listed.get(name.as_str());
        match (in_sums, in_manifest) {
            (None, None) => p.add(name, crate::t!("export.verify.added")),
            (Some(s), Some(m)) if s != hash && (m.sha256 != *hash || m.size != *size) => {
                p.add(name, crate::t!("export.verify.changed", hash = hash, listed = s))
            }
            _ => {}
        }
    }
    let named: BTreeSet<&str> = listed.keys().copied().chain(sums.keys().map(String::as_str)).collect();
    for name in named {
        if !actual.contains_key(name) {
            p.add(name, crate::t!("export.verify.missing-listed"));
        }
    }
    if !p.0.is_empty() {
        return;
    }
    for (name, (hash, size, _)) in actual {
        if name == SUMS || name == MANIFEST {
            continue;
        }
        match sums.get(name.as_str()) {
            Some(s) if s == hash => {}
            _ => p.add(SUMS, crate::t!("export.verify.entry-differs", name = name)),
        }
        match listed.get(name.as_str()) {
            Some(m) if m.sha256 == *hash && m.size == *size => {}
            _ => p.add(MANIFEST, crate::t!("export.verify.entry-differs", name = name)),
        }
    }
}

/// The lines of a `.jsonl` file of the bundle, each parsed as a log line:
/// (1-based number, bytes, parsed). A problem is added for each line that
/// does not parse, and for a file that does not end in `\n`.
fn bundle_lines<'a>(name: &str, bytes: &'a [u8], p: &mut Problems) -> Vec<(usize, &'a [u8], ParsedLine)> {
    let mut out = Vec::new();
    if !bytes.is_empty() && bytes.last() != Some(&b'\n') {
        p.add(name, crate::t!("export.verify.no-final-newline"));
    }
    for (i, raw) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\n").unwrap_or(raw);
        match evidence::parse_line(line) {
            Ok(parsed) => {
                let has_purged = parsed.data.get("purged").is_some();
                match evidence::purge_shape_problem(&parsed.event, parsed.request.is_some(), has_purged) {
                    Some(why) => p.add(name, crate::t!("export.verify.at-line", number = i + 1, what = why)),
                    None => out.push((i + 1, line, parsed)),
                }
            }
            Err(e) => p.add(name, crate::t!("export.verify.at-line", number = i + 1, what = e)),
        }
    }
    out
}

/// Format 2's content (see the module docs); `None` if a problem was
/// added.
fn verify_v2(
    dir: &Path,
    actual: &Files,
    manifest: &ManifestV2,
    options: &VerifyOptions,
    p: &mut Problems,
) -> Option<Verified> {
    let file = |name: &str| actual.get(name).map(|(_, _, b)| b.as_slice());
    let tree = manifest.tree;
    if options.head.is_some() {
        p.add("--head", crate::t!("export.verify.head-for-v1"));
        return None;
    }

    // proofs.json
    let proofs: BundleProofs = match file(PROOFS).map(serde_json::from_slice::<BundleProofs>) {
        Some(Ok(pr)) if pr.format == PROOFS_FORMAT => pr,
        Some(Ok(pr)) => {
            p.add(
                PROOFS,
                crate::t!(
                    "export.verify.proofs-format",
                    format = format!("{:?}", pr.format),
                    want = format!("{PROOFS_FORMAT:?}")
                ),
            );
            return None;
        }
        Some(Err(e)) => {
            p.add(PROOFS, crate::t!("export.verify.does-not-parse", error = e));
            return None;
        }
        None => {
            p.add(PROOFS, crate::t!("export.verify.missing"));
            return None;
        }
    };
    if proofs.tree != tree {
        p.add(PROOFS, crate::t!("export.verify.proofs-tree", size = proofs.tree.size, root = proofs.tree.root));
        return None;
    }

    // The context: the log's header (and `upgraded` line), and its origin.
    let Some(context_bytes) = file(CONTEXT) else {
        p.add(CONTEXT, crate::t!("export.verify.missing"));
        return None;
    };
    let context = bundle_lines(CONTEXT, context_bytes, p);
    if !p.0.is_empty() {
        return None;
    }
    let (origin, boundary) = match context.as_slice() {
        [(_, _, h), rest @ ..] if h.seq == 0 && h.event == HEADER_EVENT => match (h.format.as_deref(), rest) {
            (Some(LOG_V2), []) => (h.origin.clone(), 0),
            (Some(LOG_V1), []) => (None, u64::MAX),
            (Some(LOG_V1), [(_, _, u)]) if u.event == UPGRADED_EVENT && u.format.as_deref() == Some(LOG_V2) => {
                (u.origin.clone(), u.seq)
            }
            _ => {
                p.add(CONTEXT, crate::t!("export.verify.context-lines"));
                return None;
            }
        },
        _ => {
            p.add(CONTEXT, crate::t!("export.verify.context-header"));
            return None;
        }
    };
    let context_lines: Vec<Line> =
        context.iter().map(|(_, b, l)| Line { seq: l.seq, sha256: Sha256::digest(b) }).collect();
    if context_lines != manifest.context {
        p.add(MANIFEST, crate::t!("export.verify.context-list"));
    }

    // The signed checkpoint of the tree.
    let mut signed_by = None;
    let mut key: Option<Verifier> = options.key.clone();
    if let Some(c) = &manifest.checkpoint {
        let named = match Verifier::parse(&c.key) {
            Ok(k) => k,
            Err(e) => {
                p.add(MANIFEST, format!("checkpoint.key: {e}"));
                return None;
            }
        };
        let key = key.get_or_insert(named);
        let note = match file(&c.file).map(|b| String::from_utf8_lossy(b).into_owned()) {
            Some(text) => match SignedCheckpoint::parse(&text) {
                Ok(n) => n,
                Err(e) => {
                    p.add(&c.file, e.to_string());
                    return None;
                }
            },
            None => {
                p.add(&c.file, crate::t!("export.verify.missing"));
                return None;
            }
        };
        if let Err(e) = note.signed.verify(key) {
            p.add(&c.file, e.to_string());
            return None;
        }
        let cp = &note.checkpoint;
        if Some(&cp.origin) != origin.as_ref() || cp.origin != c.origin {
            p.add(
                &c.file,
                crate::t!(
                    "export.verify.checkpoint-origin",
                    origin = format!("{:?}", cp.origin),
                    log = format!("{:?}", origin.as_deref().unwrap_or("none"))
                ),
            );
        }
        if cp.size != tree.size || cp.root != tree.root {
            p.add(&c.file, crate::t!("export.verify.checkpoint-tree", size = cp.size, root = cp.root));
        }
        signed_by = Some(key.to_string());
    }
    if !p.0.is_empty() {
        return None;
    }

    // The case's lines.
    let Some(log_bytes) = file(LOG_LINES) else {
        p.add(LOG_LINES, crate::t!("export.verify.missing"));
        return None;
    };
    let lines = bundle_lines(LOG_LINES, log_bytes, p);
    let mut last: Option<&ParsedLine> = None;
    for (number, _, l) in &lines {
        let at = |what: String| crate::t!("export.verify.at", number = number, seq = l.seq, what = what);
        if l.request.as_ref() != Some(&manifest.request) {
            p.add(
                LOG_LINES,
                at(crate::t!(
                    "export.verify.other-request",
                    request = format!("{:?}", l.request.as_ref().map(RequestId::as_str)),
                    want = manifest.request
                )),
            );
        }
        if let Some(prev) = last {
            if l.seq <= prev.seq {
                p.add(LOG_LINES, at(crate::t!("export.verify.order", seq = prev.seq)));
            }
            if l.time < prev.time {
                p.add(LOG_LINES, at(crate::t!("export.verify.time", time = l.time, previous = prev.time)));
            }
        }
        if l.seq >= tree.size {
            p.add(LOG_LINES, at(crate::t!("export.verify.outside-tree", size = tree.size)));
        }
        last = Some(l);
    }
    if !p.0.is_empty() {
        return None;
    }
    let case_lines: Vec<Line> = lines.iter().map(|(_, b, l)| Line { seq: l.seq, sha256: Sha256::digest(b) }).collect();
    if case_lines != manifest.lines {
        p.add(MANIFEST, crate::t!("export.verify.lines-list"));
    }

    // Inclusion proofs.
    let by_seq: BTreeMap<u64, &Vec<Sha256>> = proofs.inclusion.iter().map(|i| (i.seq, &i.proof)).collect();
    let wanted: BTreeSet<u64> = context.iter().chain(&lines).map(|(_, _, l)| l.seq).collect();
    if by_seq.len() != proofs.inclusion.len() || by_seq.keys().copied().collect::<BTreeSet<_>>() != wanted {
        p.add(PROOFS, crate::t!("export.verify.inclusion-proofs"));
        return None;
    }
    for (name, set) in [(CONTEXT, &context), (LOG_LINES, &lines)] {
        for (number, bytes, l) in set {
            let proof = by_seq[&l.seq];
            if let Err(e) = merkle::verify_inclusion(l.seq, tree.size, &merkle::leaf_hash(bytes), proof, &tree.root) {
                p.add(
                    name,
                    crate::t!("export.verify.not-included", number = number, seq = l.seq, size = tree.size, error = e),
                );
            }
        }
    }
    if !p.0.is_empty() {
        return None;
    }

    // Per-request links: no line between the first and the last was left out.
    let mut before: Option<u64> = None;
    for (number, _, l) in &lines {
        let at = |what: String| crate::t!("export.verify.at", number = number, seq = l.seq, what = what);
        if l.seq > boundary || (boundary == 0 && l.seq > 0) {
            match (l.request_prev, before) {
                (None, None) => {}
                (Some(prev), None) => p.add(LOG_LINES, at(crate::t!("export.verify.left-out", prev = prev))),
                (None, Some(b)) => p.add(LOG_LINES, at(crate::t!("export.verify.not-first", before = b))),
                (Some(prev), Some(b)) if prev != b => {
                    p.add(LOG_LINES, at(crate::t!("export.verify.left-out-between", prev = prev, before = b)))
                }
                _ => {}
            }
        }
        before = Some(l.seq);
    }

    // The manifest's case fields are the first `prepared` line's.
    match lines.first() {
        Some((_, _, first)) if first.event == Name::Prepared.as_str() => {
            let d = &first.data;
            let want = [
                ("company", serde_json::json!(manifest.company)),
                ("policy", serde_json::json!(manifest.policy)),
                ("kind", serde_json::json!(manifest.kind)),
                ("lang", serde_json::json!(manifest.lang)),
            ];
            for (field, value) in want {
                if d.get(field) != Some(&value) {
                    p.add(
                        MANIFEST,
                        crate::t!(
                            "export.verify.case-field",
                            field = field,
                            value = value,
                            seq = first.seq,
                            says = d.get(field).map_or_else(|| crate::t!("export.verify.nothing"), |v| v.to_string())
                        ),
                    );
                }
            }
        }
        Some((number, _, first)) => p.add(
            LOG_LINES,
            crate::t!(
                "export.verify.first-line",
                number = number,
                seq = first.seq,
                event = format!("{:?}", first.event)
            ),
        ),
        None => p.add(LOG_LINES, crate::t!("export.verify.no-lines")),
    }

    // Objects.
    let named: Vec<(u64, ObjectRef)> = lines
        .iter()
        .flat_map(|(_, _, l)| {
            l.objects.iter().map(|o| (l.seq, ObjectRef { role: String::new(), sha256: o.sha256, size: o.size }))
        })
        .collect();
    let purged: BTreeSet<Sha256> = lines.iter().flat_map(|(_, _, l)| l.purged.iter().copied()).collect();
    let (present, gone) = check_objects(actual, &manifest.objects, &named, &purged, p);

    // Linked checkpoints.
    let consistency: BTreeMap<u64, &Vec<Sha256>> = proofs.consistency.iter().map(|c| (c.size, &c.proof)).collect();
    if consistency.len() != proofs.consistency.len()
        || consistency.keys().copied().collect::<BTreeSet<_>>() != manifest.linked.iter().map(|l| l.size).collect()
    {
        p.add(PROOFS, crate::t!("export.verify.consistency-proofs"));
    }
    for l in &manifest.linked {
        let note = match file(&l.file).map(|b| SignedCheckpoint::parse(&String::from_utf8_lossy(b))) {
            Some(Ok(n)) => n,
            Some(Err(e)) => {
                p.add(&l.file, e.to_string());
                continue;
            }
            None => {
                p.add(&l.file, crate::t!("export.verify.missing"));
                continue;
            }
        };
        if let Some(k) = &key
            && let Err(e) = note.signed.verify(k)
        {
            p.add(&l.file, e.to_string());
            continue;
        }
        let cp = &note.checkpoint;
        if Some(&cp.origin) != origin.as_ref() || cp.size != l.size || cp.root != l.root {
            p.add(&l.file, crate::t!("export.verify.linked-differs"));
            continue;
        }
        if let Some(proof) = consistency.get(&l.size)
            && let Err(e) = merkle::verify_consistency(l.size, tree.size, proof, &l.root, &tree.root)
        {
            p.add(&l.file, crate::t!("export.verify.not-extending", error = e));
        }
    }

    // Timestamp tokens, each over the tree's checkpoint or a linked one.
    let mut anchors: Vec<Anchor> = Vec::new();
    for (i, t) in manifest.timestamps.iter().enumerate() {
        let over_tree = t.checkpoint == super::CHECKPOINT && manifest.checkpoint.is_some() && t.size == tree.size;
        let over_linked = manifest.linked.iter().any(|l| l.file == t.checkpoint && l.size == t.size);
        if !over_tree && !over_linked {
            p.add(
                MANIFEST,
                crate::t!(
                    "export.verify.token-over",
                    file = t.file,
                    checkpoint = format!("{:?}", t.checkpoint),
                    size = t.size
                ),
            );
            continue;
        }
        let (Some(der), Some(note)) = (file(&t.file), file(&t.checkpoint)) else {
            p.add(&t.file, crate::t!("export.verify.missing"));
            continue;
        };
        let token = match tsp::parse_token(der) {
            Ok(token) => token,
            Err(e) => {
                p.add(&t.file, crate::t!("export.verify.not-a-token", error = e));
                continue;
            }
        };
        if token.check(Sha256::digest(note).as_bytes(), None).is_err() {
            p.add(&t.file, crate::t!("export.verify.token-imprint", checkpoint = t.checkpoint));
            continue;
        }
        let gen_time = token.gen_time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        if gen_time != t.gen_time {
            p.add(
                MANIFEST,
                crate::t!(
                    "export.verify.token-time",
                    file = t.file,
                    listed = format!("{:?}", t.gen_time),
                    gen_time = gen_time
                ),
            );
            continue;
        }
        if let Err(e) = options.tsa.check(&t.tsa, der, token.gen_time) {
            p.add(
                &t.file,
                crate::t!("export.verify.token-refused", tsa = t.tsa, token = token.text(), error = e.text()),
            );
            continue;
        }
        anchors.push(Anchor {
            covers: t.size,
            time: token.gen_time,
            source: anchor::Source::Timestamp(t.tsa.clone()),
            logged_on: Some(i as u64),
        });
    }

    // A checkpoint obtained independently.
    let mut matches = None;
    if let Some((label, given)) = &options.checkpoint {
        let at = format!("--checkpoint {label}");
        let cp = &given.checkpoint;
        let k = options.key.as_ref().or(key.as_ref());
        match k.map(|k| given.signed.verify(k)) {
            Some(Err(e)) => p.add(&at, e.to_string()),
            None => p.add(&at, crate::t!("export.verify.no-key")),
            Some(Ok(())) => {
                if Some(&cp.origin) != origin.as_ref() {
                    p.add(
                        &at,
                        crate::t!(
                            "export.verify.other-log",
                            origin = format!("{:?}", cp.origin),
                            bundle = format!("{:?}", origin.as_deref().unwrap_or("none"))
                        ),
                    );
                } else if cp.size == tree.size {
                    if cp.root != tree.root {
                        p.add(
                            &at,
                            crate::t!("export.verify.given-root", root = cp.root, size = cp.size, tree = tree.root),
                        );
                    }
                } else if cp.size > tree.size {
                    p.add(&at, crate::t!("export.verify.given-larger", size = cp.size, tree = tree.size));
                } else {
                    match manifest.linked.iter().find(|l| l.size == cp.size) {
                        Some(l) if l.root == cp.root => {}
                        Some(l) => p.add(
                            &at,
                            crate::t!(
                                "export.verify.given-linked",
                                root = cp.root,
                                size = cp.size,
                                file = l.file,
                                linked = l.root
                            ),
                        ),
                        None => p.add(&at, crate::t!("export.verify.given-unlinked", size = cp.size, label = label)),
                    }
                }
                matches = Some(label.clone());
            }
        }
    }
    if !p.0.is_empty() {
        return None;
    }
    let timestamps = anchors.len();
    if matches.is_some()
        && let Some(w) = &options.witness
    {
        anchors.push(w.clone());
    }
    let seqs: Vec<u64> = lines.iter().map(|(_, _, l)| l.seq).collect();
    let existed = anchor::earliest_each(&seqs, &anchors)
        .into_iter()
        .zip(&lines)
        .map(|(a, (_, _, l))| Existed {
            seq: l.seq,
            event: l.event.clone(),
            no_later_than: a.as_ref().map(|a| a.time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            by: a.as_ref().map(|a| a.source.clone()),
            says: anchor::Anchored { from: l.seq, to: l.seq, anchor: a }.wording(),
        })
        .collect();
    Some(Verified {
        dir: dir.to_path_buf(),
        format: 2,
        request: manifest.request.clone(),
        head: None,
        tree: Some(tree),
        signed_by,
        linked: manifest.linked.len(),
        matches,
        files: actual.len(),
        lines: lines.len(),
        objects: present,
        purged: gone,
        timestamps,
        existed,
    })
}

/// The objects the lines name against the manifest's list and the files.
/// Returns (present, purged).
fn check_objects(
    actual: &Files,
    listed: &[super::Object],
    named: &[(u64, ObjectRef)],
    purged: &BTreeSet<Sha256>,
    p: &mut Problems,
) -> (usize, usize) {
    let by_hash: BTreeMap<Sha256, &super::Object> = listed.iter().map(|o| (o.sha256, o)).collect();
    let mut present = 0;
    let mut gone = 0;
    let mut seen: BTreeSet<Sha256> = BTreeSet::new();
    for (seq, r) in named {
        if !seen.insert(r.sha256) {
            continue;
        }
        let Some(o) = by_hash.get(&r.sha256) else {
            p.add(MANIFEST, crate::t!("export.verify.object-unlisted", sha256 = r.sha256, seq = seq));
            continue;
        };
        match &o.file {
            Some(f) => match actual.get(f.as_str()) {
                Some((h, size, _)) if *h == r.sha256 && *size == r.size => present += 1,
                Some(_) => {
                    p.add(f, crate::t!("export.verify.object-differs", sha256 = r.sha256, size = r.size, seq = seq))
                }
                None => p.add(f, crate::t!("export.verify.missing")),
            },
            None if purged.contains(&r.sha256) => gone += 1,
            None => p.add(MANIFEST, crate::t!("export.verify.object-gone", sha256 = r.sha256, seq = seq)),
        }
    }
    if listed.len() != seen.len() {
        p.add(MANIFEST, crate::t!("export.verify.objects-unnamed"));
    }
    (present, gone)
}

/// Format 1's content (see the module docs); `None` if a problem was
/// added.
fn verify_v1(
    dir: &Path,
    actual: &Files,
    manifest: &Manifest,
    head: Option<&Sha256>,
    p: &mut Problems,
) -> Option<Verified> {
    let file = |name: &str| actual.get(name).map(|(_, _, b)| b.as_slice());
    let chain = match file(CHAIN).map(parse_chain) {
        Some(Ok(c)) => c,
        Some(Err(problem)) => {
            p.add(CHAIN, problem);
            return None;
        }
        None => {
            p.add(CHAIN, crate::t!("export.verify.missing"));
            return None;
        }
    };
    let last = Line { seq: chain.len() as u64 - 1, sha256: chain[chain.len() - 1] };
    if last != manifest.head {
        p.add(
            CHAIN,
            crate::t!(
                "export.verify.v1-chain-head",
                seq = last.seq,
                sha256 = last.sha256,
                head_seq = manifest.head.seq,
                head = manifest.head.sha256
            ),
        );
    }
    if let Some(h) = head.filter(|h| **h != last.sha256) {
        p.add(CHAIN, crate::t!("export.verify.v1-given-head", sha256 = last.sha256, head = h));
    }

    let Some(log_bytes) = file(LOG_LINES) else {
        p.add(LOG_LINES, crate::t!("export.verify.missing"));
        return None;
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut named: Vec<(u64, ObjectRef)> = Vec::new();
    let mut purged: BTreeSet<Sha256> = BTreeSet::new();
    if !log_bytes.is_empty() && log_bytes.last() != Some(&b'\n') {
        p.add(LOG_LINES, crate::t!("export.verify.no-final-newline"));
    }
    for (i, bytes) in log_bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = i + 1;
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let at = |what: String| crate::t!("export.verify.at-line", number = number, what = what);
        let hash = Sha256::digest(bytes);
        let fields = match line_fields(bytes) {
            Ok(f) => f,
            Err(e) => {
                p.add(LOG_LINES, at(e));
                continue;
            }
        };
        if fields.request.as_ref() != Some(&manifest.request) {
            p.add(
                LOG_LINES,
                at(crate::t!(
                    "export.verify.other-request",
                    request = format!("{:?}", fields.request),
                    want = manifest.request
                )),
            );
        }
        if lines.last().is_some_and(|l| l.seq >= fields.seq) {
            p.add(
                LOG_LINES,
                at(crate::t!("export.verify.v1-order", seq = fields.seq, previous = lines[lines.len() - 1].seq)),
            );
        }
        match chain.get(fields.seq as usize) {
            None => p.add(LOG_LINES, at(crate::t!("export.verify.v1-past-chain", seq = fields.seq))),
            Some(c) if *c != hash => {
                p.add(LOG_LINES, at(crate::t!("export.verify.v1-hash", hash = hash, chain = c, seq = fields.seq)))
            }
            Some(_) => {}
        }
        let expected_prev = if fields.seq == 0 { Some(&Sha256::ZERO) } else { chain.get(fields.seq as usize - 1) };
        if expected_prev.is_some_and(|e| *e != fields.prev) {
            p.add(
                LOG_LINES,
                at(crate::t!("export.verify.v1-prev", prev = fields.prev, seq = fields.seq.saturating_sub(1))),
            );
        }
        lines.push(Line { seq: fields.seq, sha256: hash });
        named.extend(fields.objects.into_iter().map(|o| (fields.seq, o)));
        purged.extend(fields.purged);
    }
    if lines != manifest.lines {
        p.add(MANIFEST, crate::t!("export.verify.lines-list"));
    }
    let (present, gone) = check_objects(actual, &manifest.objects, &named, &purged, p);
    if !p.0.is_empty() {
        return None;
    }
    Some(Verified {
        dir: dir.to_path_buf(),
        format: 1,
        request: manifest.request.clone(),
        head: Some(last),
        tree: None,
        signed_by: None,
        linked: 0,
        matches: None,
        files: actual.len(),
        lines: lines.len(),
        objects: present,
        purged: gone,
        timestamps: 0,
        existed: Vec::new(),
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
    let raw: Raw = serde_json::from_slice(bytes).map_err(|e| crate::t!("export.verify.not-a-log-line", error = e))?;
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
    let text = std::str::from_utf8(bytes).map_err(|_| crate::t!("export.verify.not-utf8"))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let bad = || crate::t!("export.verify.sums-line", number = i + 1);
        let (hash, rest) = line.split_at_checked(64).ok_or_else(bad)?;
        let hash: Sha256 = hash.parse().map_err(|_| bad())?;
        let name = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *")).ok_or_else(bad)?;
        if name.is_empty() || name.contains('/') || name == "." || name == ".." {
            return Err(crate::t!("export.verify.sums-name", number = i + 1, name = format!("{name:?}")));
        }
        if out.insert(name.to_string(), hash).is_some() {
            return Err(crate::t!("export.verify.sums-twice", number = i + 1, name = name));
        }
    }
    Ok(out)
}

/// `chain.txt`: `<seq> <sha256>` per line, seq 0, 1, 2, … without gaps.
fn parse_chain(bytes: &[u8]) -> Result<Vec<Sha256>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| crate::t!("export.verify.not-utf8"))?;
    if !text.ends_with('\n') {
        return Err(crate::t!("export.verify.chain-newline"));
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = || crate::t!("export.verify.chain-line", number = i + 1, seq = i);
        let (seq, hash) = line.split_once(' ').ok_or_else(bad)?;
        if seq != i.to_string() {
            return Err(crate::t!("export.verify.chain-gap", number = i + 1, found = format!("{seq:?}"), seq = i));
        }
        out.push(hash.parse().map_err(|_| bad())?);
    }
    if out.is_empty() {
        return Err(crate::t!("export.verify.chain-empty"));
    }
    Ok(out)
}
