//! Writing a bundle (format 2) in one pass over the log: the case's
//! entries (only this case is folded), the exact bytes of its lines and of
//! the log's header, the latest checkpoint and the first checkpoint after
//! each case line, and, through an [`evidence::Collector`], everything
//! their proofs need. Then every object the case names is copied, the
//! proofs are built and checked, and the README, the manifest and
//! SHA256SUMS are written (each file hashed as it is written). Everything
//! is built in memory first, so a failure leaves no half-written bundle.

use super::{
    BundleProofs, CHECKPOINT, CONTEXT, CheckpointFile, ConsistencyFrom, Error, FORMAT, File, InclusionProof, LOG_LINES,
    Line, LinkedCheckpoint, MANIFEST, ManifestV2, Object, PROOFS, PROOFS_FORMAT, README, SUMS, TimestampFile,
};
use crate::case;
use crate::evidence::note::{SignedCheckpoint, Signer};
use crate::evidence::tsp::{self, TIMESTAMPED_EVENT, TOKEN_ROLE};
use crate::evidence::{
    self, CHECKPOINT_EVENT, Collector, Entry, EntryRef, HEADER_EVENT, IoContext, ObjectRef, RequestId, Sha256, Store,
    TreeHead, UPGRADED_EVENT, merkle,
};
use crate::kind::LetterKind;
use crate::letter::Renderer;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What to export, from where, to where.
pub struct ExportOptions<'a> {
    /// The data directory (log and objects).
    pub data_dir: &'a Path,
    /// The request id, or an unambiguous prefix of it.
    pub request: &'a str,
    /// The bundle directory (created if missing).
    pub out: &'a Path,
    /// Replace the files of an earlier bundle in `out`.
    pub force: bool,
    /// The export time (written into README.txt).
    pub now: DateTime<Utc>,
    /// Renders README.txt.
    pub renderer: &'a Renderer,
    /// Signs a checkpoint first if the log does not end in one (the case's
    /// last lines would not be covered otherwise); `None` without a key.
    pub signer: Option<&'a Signer>,
    /// Earlier checkpoints obtained elsewhere that the bundle should link
    /// to with a consistency proof: (file, its checkpoint).
    pub checkpoints: Vec<(PathBuf, SignedCheckpoint)>,
}

/// What [`export`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    /// The bundle directory.
    pub dir: PathBuf,
    /// The request.
    pub request: RequestId,
    /// The tree the proofs are against.
    pub tree: TreeHead,
    /// Whether a signed checkpoint of that tree is in the bundle.
    pub signed: bool,
    /// Exported log lines.
    pub lines: usize,
    /// The case's lines after the tree, not exported (no checkpoint
    /// covers them yet).
    pub uncovered: Vec<u64>,
    /// Objects copied into the bundle.
    pub objects: usize,
    /// Objects the case names that were purged (listed, not copied).
    pub purged: Vec<Sha256>,
    /// Every file written, `SHA256SUMS` last.
    pub files: Vec<String>,
    /// Bytes of `proofs.json`.
    pub proof_bytes: usize,
    /// Timestamp tokens copied into the bundle.
    pub timestamps: usize,
}

/// A checkpoint line seen while reading.
#[derive(Debug, Clone)]
struct SeenCheckpoint {
    seq: u64,
    key: String,
    note: String,
}

/// A `timestamped` line seen while reading: its seq, the checkpoint line
/// it names, and its token object.
#[derive(Debug, Clone)]
struct SeenToken {
    seq: u64,
    checkpoint: SeenCheckpoint,
    tsa: String,
    token: ObjectRef,
}

/// How many of the latest checkpoint lines a `timestamped` line may name
/// for its token to be exported (dsr timestamps the latest checkpoint, so
/// one would do; a few more cost nothing and keep memory bounded).
const RECENT_CHECKPOINTS: usize = 64;

/// A line read: its entry and its exact bytes (without `\n`).
type Raw = (Entry, Vec<u8>);

/// What one pass over the log gathers.
#[derive(Debug, Default)]
struct Gathered {
    /// Entries (and exact bytes) of the requests that may be the one asked
    /// for: the full id, or every id with the given prefix.
    entries: BTreeMap<RequestId, Vec<Raw>>,
    cases: BTreeMap<RequestId, case::Case>,
    /// The header and `upgraded` lines: (entry, bytes).
    context: Vec<Raw>,
    latest: Option<SeenCheckpoint>,
    /// The first checkpoint after a line of a candidate request, per
    /// request: the checkpoint and the seqs it first covers.
    first_after: BTreeMap<RequestId, Vec<(SeenCheckpoint, Vec<u64>)>>,
    /// Per candidate request, the timestamp tokens over the first
    /// timestamped checkpoint after each of its lines, with those lines.
    tokens: BTreeMap<RequestId, Vec<(SeenToken, Vec<u64>)>>,
    lines: u64,
}

/// Writes the evidence bundle of one case (see the module docs of
/// [`super`]).
///
/// # Errors
/// An unknown request (with suggestions); `out` not empty without `force`;
/// a damaged log, a missing object that was not purged, or a log that no
/// longer holds what its checkpoint signed (evidence invalid); a given
/// checkpoint that is unreadable or that the log does not extend; I/O.
pub fn export(opts: &ExportOptions<'_>) -> Result<Exported, crate::Error> {
    // The case's last lines must be covered by a checkpoint: sign one now
    // if the log does not end in one (a no-op otherwise). Another writer
    // holding the lock is no reason to fail: the export then uses the
    // latest checkpoint there is.
    if let Some(signer) = opts.signer {
        match evidence::Log::open(opts.data_dir) {
            Ok(mut log) => {
                log.checkpoint(signer, opts.now)?;
            }
            Err(evidence::Error::Locked { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let exact: Option<RequestId> = opts.request.parse().ok();
    let given: BTreeMap<u64, &(PathBuf, SignedCheckpoint)> =
        opts.checkpoints.iter().map(|c| (c.1.checkpoint.size, c)).collect();
    let mut collector = Collector::new();
    let wanted = Wanted { request: opts.request, exact: exact.as_ref(), given: &given };
    let g = match gather_light(opts.data_dir, wanted, &mut collector) {
        Some(g) => g,
        None => {
            collector = Collector::new();
            gather(opts.data_dir, wanted, &mut collector)?
        }
    };
    let request = match (exact, g.cases.len()) {
        (Some(id), _) if g.cases.contains_key(&id) => id,
        (None, 1) => g.cases.keys().next().expect("one case").clone(),
        _ => {
            // Unknown or ambiguous: the same error (and suggestions) as
            // every other command, from a full fold.
            let all = case::state::fold_log(opts.data_dir)?;
            return Err(case::find(&all, opts.request).err().map_or_else(
                || Error::Changed { path: opts.data_dir.join(evidence::LOG_FILE), seq: g.lines }.into(),
                crate::Error::from,
            ));
        }
    };
    let case = &g.cases[&request];
    let stale = check_dir(opts.out, opts.force)?;

    // The tree: the latest checkpoint's, else (no key ever signed one) the
    // tree of every line read, unsigned.
    let (tree, checkpoint) = match &g.latest {
        Some(c) => {
            let parsed = evidence::LoggedCheckpoint::from_data(c.seq, &c.key, &c.note)
                .map_err(|e| evidence::Error::InvalidEvent { event: CHECKPOINT_EVENT.into(), why: e.to_string() })?;
            let head = TreeHead { size: parsed.note.checkpoint.size, root: parsed.note.checkpoint.root };
            if collector.root_at(head.size)? != head.root {
                return Err(Error::Changed { path: opts.data_dir.join(evidence::LOG_FILE), seq: c.seq }.into());
            }
            (head, Some((c.clone(), parsed)))
        }
        None => (TreeHead { size: collector.size(), root: collector.root() }, None),
    };

    let all_entries = &g.entries[&request];
    let (entries, uncovered): (Vec<&Raw>, Vec<&Raw>) = all_entries.iter().partition(|(e, _)| e.seq < tree.size);
    if entries.is_empty() {
        return Err(evidence::Error::InvalidEvent {
            event: CHECKPOINT_EVENT.into(),
            why: format!("no line of request {request} is covered by the log's latest checkpoint"),
        }
        .into());
    }
    let entries_only: Vec<Entry> = entries.iter().map(|(e, _)| e.clone()).collect();

    // Everything is built in memory first, so a failure leaves no
    // half-written bundle.
    let mut contents: Vec<(String, Vec<u8>)> = Vec::new();

    // Objects, numbered in the order the log first names them.
    let objects = copy_objects(opts.data_dir, &entries_only, &mut contents)?;

    let mut log_lines = Vec::new();
    for (_, bytes) in &entries {
        log_lines.extend_from_slice(bytes);
        log_lines.push(b'\n');
    }
    contents.push((LOG_LINES.into(), log_lines));
    let context: Vec<&Raw> = g.context.iter().filter(|(e, _)| e.seq < tree.size).collect();
    let mut context_bytes = Vec::new();
    for (_, bytes) in &context {
        context_bytes.extend_from_slice(bytes);
        context_bytes.push(b'\n');
    }
    contents.push((CONTEXT.into(), context_bytes));

    // Checkpoints: the tree's, and the earlier ones to link.
    let mut linked: Vec<LinkedCheckpoint> = Vec::new();
    let mut linked_notes: Vec<(String, String)> = Vec::new();
    let covered: BTreeSet<u64> = entries.iter().map(|(e, _)| e.seq).collect();
    for (c, seqs) in g.first_after.get(&request).into_iter().flatten() {
        let parsed = SignedCheckpoint::parse(&c.note)
            .map_err(|e| evidence::Error::InvalidEvent { event: CHECKPOINT_EVENT.into(), why: e.to_string() })?;
        let size = parsed.checkpoint.size;
        let first_covers: Vec<u64> = seqs.iter().copied().filter(|s| covered.contains(s)).collect();
        if size >= tree.size || first_covers.is_empty() {
            continue;
        }
        let file = format!("checkpoint-{size}.txt");
        linked.push(LinkedCheckpoint { file: file.clone(), size, root: parsed.checkpoint.root, first_covers });
        linked_notes.push((file, c.note.clone()));
    }
    // Timestamp tokens over the first timestamped checkpoint after each of
    // the case's lines, and the checkpoint each is over (the tree's, or
    // linked with a consistency proof).
    let log_path = opts.data_dir.join(evidence::LOG_FILE);
    let store = Store::new(opts.data_dir);
    let mut timestamps: Vec<TimestampFile> = Vec::new();
    for (t, seqs) in g.tokens.get(&request).into_iter().flatten() {
        let size = t.checkpoint.seq;
        if size > tree.size || !seqs.iter().any(|s| covered.contains(s)) {
            continue;
        }
        let bad = |problem: String| Error::Token { path: log_path.clone(), seq: t.seq, problem };
        let der = match store.get(&t.token.sha256) {
            Ok(der) => der,
            Err(evidence::Error::Object { problem: evidence::ObjectProblem::Missing, .. }) => {
                return Err(
                    Error::MissingObject { sha256: t.token.sha256, role: t.token.role.clone(), seq: t.seq }.into()
                );
            }
            Err(other) => return Err(other.into()),
        };
        if Sha256::digest(&der) != t.token.sha256 {
            return Err(bad(crate::t!("evidence.anchor.token-changed", sha256 = t.token.sha256)).into());
        }
        let token = tsp::parse_token(&der)
            .map_err(|e| bad(crate::t!("evidence.anchor.token-object", sha256 = t.token.sha256, error = e)))?;
        if token.check(Sha256::digest(t.checkpoint.note.as_bytes()).as_bytes(), None).is_err() {
            return Err(bad(crate::t!("export.err.token-not-over", line = size + 1, seq = size)).into());
        }
        let checkpoint_file = if size == tree.size && checkpoint.is_some() {
            CHECKPOINT.to_string()
        } else if let Some(l) = linked.iter().find(|l| l.size == size) {
            l.file.clone()
        } else {
            let parsed = SignedCheckpoint::parse(&t.checkpoint.note)
                .map_err(|e| evidence::Error::InvalidEvent { event: CHECKPOINT_EVENT.into(), why: e.to_string() })?;
            let file = format!("checkpoint-{size}.txt");
            linked.push(LinkedCheckpoint {
                file: file.clone(),
                size,
                root: parsed.checkpoint.root,
                first_covers: Vec::new(),
            });
            linked_notes.push((file.clone(), t.checkpoint.note.clone()));
            file
        };
        let k = timestamps.iter().filter(|x| x.size == size).count() + 1;
        let file = super::timestamp_file(size, k);
        timestamps.push(TimestampFile {
            file: file.clone(),
            checkpoint: checkpoint_file,
            size,
            tsa: t.tsa.clone(),
            gen_time: token.gen_time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        });
        contents.push((file, der));
    }
    for (path, c) in &opts.checkpoints {
        let (size, root) = (c.checkpoint.size, c.checkpoint.root);
        let not_extending = |problem: String| Error::NotExtending { path: path.clone(), problem };
        if let Some((_, logged)) = &checkpoint
            && logged.note.checkpoint.origin != c.checkpoint.origin
        {
            return Err(not_extending(crate::t!(
                "verify.problem.other-log",
                origin = format!("{:?}", c.checkpoint.origin),
                log = format!("{:?}", logged.note.checkpoint.origin)
            ))
            .into());
        }
        if size == 0 || size > tree.size {
            return Err(not_extending(crate::t!("export.err.checkpoint-larger", size = size, tree = tree.size)).into());
        }
        let found = collector.root_at(size)?;
        if found != root {
            return Err(not_extending(crate::t!(
                "export.err.checkpoint-root",
                size = size,
                found = found,
                root = root
            ))
            .into());
        }
        if size == tree.size || linked_notes.iter().any(|(_, n)| *n == c.note) {
            continue;
        }
        let file = if linked.iter().any(|l| l.size == size) {
            format!("checkpoint-{size}-given.txt")
        } else {
            format!("checkpoint-{size}.txt")
        };
        linked.push(LinkedCheckpoint { file: file.clone(), size, root, first_covers: Vec::new() });
        linked_notes.push((file, c.note.clone()));
    }
    linked.sort_by(|a, b| (a.size, &a.file).cmp(&(b.size, &b.file)));
    linked_notes.sort_by(|a, b| a.0.cmp(&b.0));

    // Proofs, checked before anything is written.
    let mut inclusion = Vec::new();
    for (e, bytes) in context.iter().chain(entries.iter()) {
        let proof = collector.inclusion(e.seq, tree.size)?;
        if merkle::verify_inclusion(e.seq, tree.size, &merkle::leaf_hash(bytes), &proof, &tree.root).is_err() {
            return Err(Error::Changed { path: opts.data_dir.join(evidence::LOG_FILE), seq: e.seq }.into());
        }
        inclusion.push(InclusionProof { seq: e.seq, proof });
    }
    inclusion.sort_by_key(|p| p.seq);
    let mut consistency = Vec::new();
    for l in &linked {
        let proof = collector.consistency(l.size, tree.size)?;
        if merkle::verify_consistency(l.size, tree.size, &proof, &l.root, &tree.root).is_err() {
            return Err(Error::Changed { path: opts.data_dir.join(evidence::LOG_FILE), seq: l.size }.into());
        }
        consistency.push(ConsistencyFrom { size: l.size, proof });
    }
    let proofs = BundleProofs { format: PROOFS_FORMAT.into(), tree, inclusion, consistency };
    let mut proofs_json = serde_json::to_vec_pretty(&proofs).expect("the proofs serialize");
    proofs_json.push(b'\n');
    let proof_bytes = proofs_json.len();
    contents.push((PROOFS.into(), proofs_json));
    let checkpoint_file = match &checkpoint {
        Some((seen, parsed)) => {
            contents.push((CHECKPOINT.into(), seen.note.clone().into_bytes()));
            Some(CheckpointFile {
                file: CHECKPOINT.into(),
                key: seen.key.clone(),
                origin: parsed.note.checkpoint.origin.clone(),
            })
        }
        None => None,
    };
    for (file, note) in linked_notes {
        contents.push((file, note.into_bytes()));
    }

    let n_timestamps = timestamps.len();
    let lines: Vec<Line> = entries.iter().map(|(e, _)| Line { seq: e.seq, sha256: e.hash }).collect();
    let context_lines: Vec<Line> = context.iter().map(|(e, _)| Line { seq: e.seq, sha256: e.hash }).collect();
    let lang = case.original.prepared.lang;
    let readme = readme_data(
        case,
        &entries_only,
        &objects,
        (&linked, &timestamps),
        tree,
        checkpoint_file.as_ref(),
        opts.now,
        lang,
    );
    let text = opts.renderer.render_template(lang, "evidence-readme", &readme)?;
    contents.push((README.into(), text.into_bytes()));

    // Write.
    make_dir(opts.out, &stale)?;
    let mut written: Vec<File> = Vec::new();
    let out = opts.out;
    let put = |written: &mut Vec<File>, name: &str, bytes: &[u8]| -> Result<(), Error> {
        let path = out.join(name);
        fs::write(&path, bytes).map_err(|e| Error::io(IoContext::Write, &path, e))?;
        written.push(File { path: name.to_string(), sha256: Sha256::digest(bytes), size: bytes.len() as u64 });
        Ok(())
    };
    for (name, bytes) in &contents {
        put(&mut written, name, bytes)?;
    }
    let manifest = ManifestV2 {
        format: FORMAT.into(),
        request: request.clone(),
        company: case.company.clone(),
        policy: case.policy.to_string(),
        kind: case.kind,
        lang,
        tree,
        checkpoint: checkpoint_file,
        linked,
        timestamps: timestamps.clone(),
        files: written.clone(),
        lines,
        context: context_lines,
        objects: objects.clone(),
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).expect("the manifest serializes");
    manifest_json.push(b'\n');
    put(&mut written, MANIFEST, &manifest_json)?;

    let mut sums = String::new();
    for f in &written {
        sums.push_str(&format!("{}  {}\n", f.sha256, f.path));
    }
    let path = opts.out.join(SUMS);
    fs::write(&path, sums).map_err(|e| Error::io(IoContext::Write, &path, e))?;

    let mut files: Vec<String> = written.into_iter().map(|f| f.path).collect();
    files.push(SUMS.into());
    Ok(Exported {
        dir: opts.out.to_path_buf(),
        request: request.clone(),
        tree,
        signed: checkpoint.is_some(),
        lines: entries.len(),
        uncovered: uncovered.iter().map(|(e, _)| e.seq).collect(),
        objects: objects.iter().filter(|o| o.file.is_some()).count(),
        purged: objects.iter().filter(|o| o.file.is_none()).map(|o| o.sha256).collect(),
        files,
        proof_bytes,
        timestamps: n_timestamps,
    })
}

/// The one pass: checked lines with their leaves into `collector`, the
/// candidate requests' entries folded, the context and checkpoint lines.
/// Every line is parsed and checked against the one before it.
fn gather(data_dir: &Path, wanted: Wanted<'_>, collector: &mut Collector) -> Result<Gathered, crate::Error> {
    let mut gathering = Gathering::new(wanted);
    let mut entries = evidence::read_entries_with_leaves(data_dir).map_err(case::Error::from)?;
    while let Some(next) = entries.next_with_leaf() {
        let (e, bytes, leaf) = next.map_err(case::Error::from)?;
        gathering.line(e, bytes, leaf, collector)?;
    }
    gathering.finish(collector)
}

/// [`gather`] for a log that ends in a signed checkpoint, parsing only the
/// lines it keeps: the header and `upgraded` lines, checkpoint and
/// `timestamped` lines, and those whose request may be the one asked for.
/// Of every other line only the leaf hash is computed (on two threads),
/// and the signed checkpoint vouches for it instead of the chain: the
/// tree of the lines read must have the root the checkpoint signed, and
/// dsr signs only a tree of lines it appended to a log that verified (or
/// that it rebuilt with every check, see [`evidence::Log::checkpoint`]).
/// So the export of one case costs one hash per line instead of two hashes
/// and a parse.
///
/// `None` whenever this pass cannot vouch for the log (no checkpoint at
/// the end, a line it reads does not parse, the root differs, anything
/// else amiss): then [`gather`] reads it again with every check, and
/// reports what is wrong the way `dsr log verify` would.
fn gather_light(data_dir: &Path, wanted: Wanted<'_>, collector: &mut Collector) -> Option<Gathered> {
    let mut gathering = Gathering::new(wanted);
    let mut lines = evidence::read_leaves(data_dir).ok()?;
    let mut ends_in_checkpoint = false;
    while let Some(next) = lines.next_leaf() {
        let (bytes, leaf) = next.ok()?;
        let seq = collector.size();
        let peeked = evidence::peek(bytes);
        let keep = match peeked {
            // Not the layout dsr writes: parse it to know.
            None => true,
            Some((event, request)) => {
                seq == 0
                    || [HEADER_EVENT, UPGRADED_EVENT, CHECKPOINT_EVENT, TIMESTAMPED_EVENT]
                        .iter()
                        .any(|name| name.as_bytes() == event)
                    || request.is_some_and(|r| wanted.may_be(r))
            }
        };
        if !keep {
            gathering.skip(leaf, collector);
            ends_in_checkpoint = false;
            continue;
        }
        // A checkpoint line no case line waits for (most of them) is kept
        // as bytes; it is parsed only if it is the latest or a token
        // names it.
        if seq != 0 && peeked == Some((CHECKPOINT_EVENT.as_bytes(), None)) && gathering.pending.is_empty() {
            gathering.unparsed_checkpoint(bytes, leaf, collector);
            ends_in_checkpoint = true;
            continue;
        }
        let e = evidence::parse_entry(bytes).ok()?;
        if e.seq != seq {
            return None;
        }
        ends_in_checkpoint = e.event == CHECKPOINT_EVENT;
        gathering.line(e, bytes, leaf, collector).ok()?;
    }
    if !ends_in_checkpoint {
        return None;
    }
    let g = gathering.finish(collector).ok()?;
    let latest = g.latest.as_ref()?;
    let logged = evidence::LoggedCheckpoint::from_data(latest.seq, &latest.key, &latest.note).ok()?;
    logged.note.signed.verify(&logged.key).ok()?;
    let head = &logged.note.checkpoint;
    // The last line is the checkpoint of every line before it.
    if head.size != latest.seq || collector.root_at(head.size).ok()? != head.root {
        return None;
    }
    Some(g)
}

/// What [`gather`] and [`gather_light`] look for: the request asked for
/// and the sizes of the checkpoints given to the export.
#[derive(Clone, Copy)]
struct Wanted<'a> {
    /// A full id, or a prefix of one.
    request: &'a str,
    /// `request` parsed, if it is a full id.
    exact: Option<&'a RequestId>,
    given: &'a BTreeMap<u64, &'a (PathBuf, SignedCheckpoint)>,
}

impl Wanted<'_> {
    /// Whether a line of request `r` is one to keep: of the full id asked
    /// for, or of any id with the given prefix (of at least six
    /// characters).
    fn may_be(&self, r: &[u8]) -> bool {
        match self.exact {
            Some(id) => r == id.as_str().as_bytes(),
            None => self.request.len() >= 6 && r.starts_with(self.request.as_bytes()),
        }
    }
}

/// The state of [`gather`] and [`gather_light`] between lines.
struct Gathering<'a> {
    g: Gathered,
    wanted: Wanted<'a>,
    pending: BTreeMap<RequestId, Vec<u64>>,
    /// The case lines no timestamp token covers yet, and the latest
    /// checkpoint lines (a `timestamped` line names one of them), kept as
    /// bytes: of all checkpoint lines (one in three in a busy log) only the
    /// latest and those a case or a token needs are parsed.
    untimed: BTreeMap<RequestId, Vec<u64>>,
    recent: std::collections::VecDeque<(u64, Vec<u8>)>,
}

impl<'a> Gathering<'a> {
    fn new(wanted: Wanted<'a>) -> Gathering<'a> {
        Gathering {
            g: Gathered::default(),
            wanted,
            pending: BTreeMap::new(),
            untimed: BTreeMap::new(),
            recent: std::collections::VecDeque::new(),
        }
    }

    /// A line that is neither context, nor a checkpoint or token, nor of a
    /// candidate request: only its leaf counts.
    fn skip(&mut self, leaf: Sha256, collector: &mut Collector) {
        if self.wanted.given.contains_key(&collector.size()) {
            collector.mark_size();
        }
        collector.push(leaf);
        self.g.lines += 1;
    }

    /// A checkpoint line at the end of the tree so far, with no case line
    /// before it since the last checkpoint: what [`Gathering::line`] does
    /// with it, without parsing it ([`gather_light`] only).
    fn unparsed_checkpoint(&mut self, bytes: &[u8], leaf: Sha256, collector: &mut Collector) {
        let seq = collector.size();
        if self.wanted.given.contains_key(&seq) {
            collector.mark_size();
        }
        Self::remember_checkpoint(&mut self.recent, seq, bytes, collector);
        collector.push(leaf);
        self.g.lines += 1;
    }

    /// Keeps checkpoint line `seq` among the `recent` ones, as bytes.
    fn remember_checkpoint(
        recent: &mut std::collections::VecDeque<(u64, Vec<u8>)>,
        seq: u64,
        bytes: &[u8],
        collector: &mut Collector,
    ) {
        let mut line = if recent.len() == RECENT_CHECKPOINTS {
            recent.pop_front().map(|(_, b)| b).unwrap_or_default()
        } else {
            Vec::new()
        };
        line.clear();
        line.extend_from_slice(bytes);
        recent.push_back((seq, line));
        collector.mark_latest();
    }

    /// One line, in order.
    fn line(
        &mut self,
        e: EntryRef<'_>,
        bytes: &[u8],
        leaf: Sha256,
        collector: &mut Collector,
    ) -> Result<(), crate::Error> {
        let keep = e.request.as_ref().filter(|r| self.wanted.may_be(r.as_str().as_bytes())).cloned();
        let g = &mut self.g;
        if self.wanted.given.contains_key(&collector.size()) {
            collector.mark_size();
        }
        if e.event == CHECKPOINT_EVENT {
            Self::remember_checkpoint(&mut self.recent, e.seq, bytes, collector);
            if !self.pending.is_empty() {
                let seen = SeenCheckpoint::of(&e)?;
                collector.mark_size();
                for (r, seqs) in std::mem::take(&mut self.pending) {
                    g.first_after.entry(r).or_default().push((seen.clone(), seqs));
                }
            }
        }
        if e.event == TIMESTAMPED_EVENT && (!self.untimed.is_empty() || !g.tokens.is_empty()) {
            let token = seen_token(&e, &self.recent)?;
            if let Some(t) = token {
                take_token(&mut g.tokens, &mut self.untimed, t);
            }
        }
        collector.push(leaf);
        g.lines += 1;
        if (e.seq == 0 && e.event == HEADER_EVENT) || e.event == UPGRADED_EVENT {
            collector.mark_last();
            g.context.push((owned(&e)?, bytes.to_vec()));
            return Ok(());
        }
        // Only the case's lines are copied; the others pass by.
        let Some(r) = keep else { return Ok(()) };
        collector.mark_last();
        self.pending.entry(r.clone()).or_default().push(e.seq);
        self.untimed.entry(r.clone()).or_default().push(e.seq);
        g.entries.entry(r).or_default().push((owned(&e)?, bytes.to_vec()));
        case::state::fold_entry(&mut g.cases, e)?;
        Ok(())
    }

    /// After the last line.
    fn finish(mut self, collector: &mut Collector) -> Result<Gathered, crate::Error> {
        if self.wanted.given.contains_key(&collector.size()) {
            collector.mark_size();
        }
        match self.recent.back() {
            None => collector.mark_latest(),
            Some((seq, line)) => self.g.latest = Some(SeenCheckpoint::of_line(*seq, line)?),
        }
        Ok(self.g)
    }
}

impl SeenCheckpoint {
    /// The key and note of a checkpoint line.
    fn of(e: &EntryRef<'_>) -> Result<SeenCheckpoint, case::Error> {
        let d: CheckpointData = e.data().map_err(|message| case::Error::BadEvent {
            seq: e.seq,
            event: CHECKPOINT_EVENT.into(),
            message,
        })?;
        Ok(SeenCheckpoint { seq: e.seq, key: d.key, note: d.note })
    }

    /// [`SeenCheckpoint::of`] from the bytes of line `seq`, which
    /// [`gather_light`] may have kept without parsing: its own `seq` must
    /// be its place in the log, as the full pass checks of every line.
    fn of_line(seq: u64, line: &[u8]) -> Result<SeenCheckpoint, case::Error> {
        #[derive(serde::Deserialize)]
        struct Line {
            seq: u64,
            data: CheckpointData,
        }
        let bad = |message: String| case::Error::BadEvent { seq, event: CHECKPOINT_EVENT.into(), message };
        let l: Line = serde_json::from_slice(line).map_err(|e| bad(e.to_string()))?;
        if l.seq != seq {
            return Err(bad(format!("its seq is {}, but it is line {seq} of the log", l.seq)));
        }
        Ok(SeenCheckpoint { seq, key: l.data.key, note: l.data.note })
    }
}

/// The `data` of a checkpoint line.
#[derive(serde::Deserialize)]
struct CheckpointData {
    key: String,
    note: String,
}

/// The token a `timestamped` line names, if the checkpoint line it names
/// is one of the `recent` ones.
///
/// # Errors
/// A `timestamped` line without the members dsr writes.
fn seen_token(
    e: &EntryRef<'_>,
    recent: &std::collections::VecDeque<(u64, Vec<u8>)>,
) -> Result<Option<SeenToken>, case::Error> {
    #[derive(serde::Deserialize)]
    struct Named {
        seq: u64,
    }
    #[derive(serde::Deserialize)]
    struct Data {
        checkpoint: Named,
        tsa: String,
        objects: Vec<ObjectRef>,
    }
    let d: Data =
        e.data().map_err(|message| case::Error::BadEvent { seq: e.seq, event: TIMESTAMPED_EVENT.into(), message })?;
    let Some((seq, line)) = recent.iter().find(|(seq, _)| *seq == d.checkpoint.seq) else { return Ok(None) };
    let checkpoint = SeenCheckpoint::of_line(*seq, line)?;
    let Some(token) = d.objects.into_iter().find(|o| o.role == TOKEN_ROLE) else { return Ok(None) };
    Ok(Some(SeenToken { seq: e.seq, checkpoint, tsa: d.tsa, token }))
}

/// Gives token `t` the lines it is the first token to cover (those
/// before its checkpoint), and also the lines another TSA's token over the
/// same checkpoint took.
fn take_token(
    tokens: &mut BTreeMap<RequestId, Vec<(SeenToken, Vec<u64>)>>,
    untimed: &mut BTreeMap<RequestId, Vec<u64>>,
    t: SeenToken,
) {
    let size = t.checkpoint.seq;
    for list in tokens.values_mut() {
        let same =
            list.last().filter(|(last, _)| last.checkpoint.seq == size && last.seq != t.seq).map(|l| l.1.clone());
        if let Some(seqs) = same {
            list.push((t.clone(), seqs));
        }
    }
    untimed.retain(|r, seqs| {
        let covered: Vec<u64> = seqs.iter().copied().filter(|s| *s < size).collect();
        if !covered.is_empty() {
            seqs.retain(|s| *s >= size);
            tokens.entry(r.clone()).or_default().push((t.clone(), covered));
        }
        !seqs.is_empty()
    });
}

/// Copies every object the entries name into `contents`, numbered in the
/// order first named; purged ones are listed without a file.
fn copy_objects(
    data_dir: &Path,
    entries: &[Entry],
    contents: &mut Vec<(String, Vec<u8>)>,
) -> Result<Vec<Object>, crate::Error> {
    let purged_by: BTreeMap<Sha256, u64> =
        entries.iter().flat_map(|e| e.purged().into_iter().map(move |h| (h, e.seq))).collect();
    let store = Store::new(data_dir);
    let mut objects: Vec<Object> = Vec::new();
    let mut index: BTreeMap<Sha256, usize> = BTreeMap::new();
    for e in entries {
        let kind = e.data.get("kind").and_then(|k| serde_json::from_value::<LetterKind>(k.clone()).ok());
        for r in e.objects() {
            if let Some(&i) = index.get(&r.sha256) {
                objects[i].named_by.push(e.seq);
                continue;
            }
            let file = match store.get(&r.sha256) {
                Ok(bytes) => {
                    let name = file_name(objects.len() + 1, &r, kind.filter(|k| !k.is_initial()), &bytes);
                    contents.push((name.clone(), bytes));
                    Some(name)
                }
                Err(evidence::Error::Object { problem: evidence::ObjectProblem::Missing, .. })
                    if purged_by.contains_key(&r.sha256) =>
                {
                    None
                }
                Err(evidence::Error::Object { problem: evidence::ObjectProblem::Missing, .. }) => {
                    return Err(Error::MissingObject { sha256: r.sha256, role: r.role.clone(), seq: e.seq }.into());
                }
                Err(other) => return Err(other.into()),
            };
            index.insert(r.sha256, objects.len());
            objects.push(Object {
                sha256: r.sha256,
                size: r.size,
                role: r.role.clone(),
                named_by: vec![e.seq],
                file,
                purged_by: purged_by.get(&r.sha256).copied(),
            });
        }
    }
    Ok(objects)
}

/// One of the case's lines as an owned [`Entry`], its data parsed.
fn owned(e: &EntryRef<'_>) -> Result<Entry, case::Error> {
    e.to_entry().map_err(|message| case::Error::BadEvent { seq: e.seq, event: e.event.to_string(), message })
}

/// Checks that `out` is missing or empty; with `force`, that it holds
/// only files (an earlier bundle has no subdirectories: anything else is
/// not one), and returns them for [`make_dir`] to delete.
fn check_dir(out: &Path, force: bool) -> Result<Vec<PathBuf>, Error> {
    if !out.exists() {
        return Ok(Vec::new());
    }
    let found = fs::read_dir(out)
        .map_err(|e| Error::io(IoContext::Read, out, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::io(IoContext::Read, out, e))?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    if !force {
        return Err(Error::NotEmpty { path: out.to_path_buf() });
    }
    let mut files = Vec::new();
    for e in &found {
        if e.file_type().map_err(|err| Error::io(IoContext::Read, e.path(), err))?.is_dir() {
            return Err(Error::NotABundle {
                path: out.to_path_buf(),
                name: e.file_name().to_string_lossy().into_owned(),
            });
        }
        files.push(e.path());
    }
    Ok(files)
}

/// Creates `out` and deletes an earlier bundle's files from it.
fn make_dir(out: &Path, stale: &[PathBuf]) -> Result<(), Error> {
    fs::create_dir_all(out).map_err(|e| Error::io(IoContext::Create, out, e))?;
    for f in stale {
        fs::remove_file(f).map_err(|e| Error::io(IoContext::Remove, f, e))?;
    }
    Ok(())
}

/// `NN-<what>.<ext>`: a readable name for an object. `followup` is the
/// kind of a reminder's or complaint's `prepared` line, which prefixes its
/// files so they are not mistaken for the original request's.
fn file_name(n: usize, r: &ObjectRef, followup: Option<LetterKind>, bytes: &[u8]) -> String {
    let (stem, ext): (&str, &str) = match r.role.as_str() {
        case::event::role::MESSAGE => ("message", "eml"),
        case::event::role::ENVELOPE => ("envelope", "json"),
        case::event::role::LETTER => ("letter", "txt"),
        case::event::role::CONTEXT => ("letter-context", "json"),
        case::event::role::IDENTITY_TXT => ("identity-verification", "txt"),
        case::event::role::IDENTITY_JSON => ("identity-verification", "json"),
        crate::ops::guard::TAG => ("case-label", "json"),
        case::event::role::SMTP_ERROR => ("smtp-error", "txt"),
        case::event::role::REPLY => ("reply", "eml"),
        case::event::role::NOTE => ("note", "txt"),
        case::event::role::MANDATE => ("mandate", sniff(bytes)),
        case::event::role::EVIDENCE => ("verification-evidence", sniff(bytes)),
        case::event::role::ATTACHMENT => ("attachment", sniff(bytes)),
        _ => ("", sniff(bytes)),
    };
    let stem = if stem.is_empty() { safe(&r.role) } else { stem.to_string() };
    match followup {
        Some(k) => format!("{n:02}-{}-{stem}.{ext}", k.name()),
        None => format!("{n:02}-{stem}.{ext}"),
    }
}

/// A role name made safe for a file name.
fn safe(role: &str) -> String {
    let s: String = role
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .take(40)
        .collect();
    if s.is_empty() { "object".into() } else { s }
}

/// A file extension from the first bytes, for attachments whose type the
/// log does not record.
fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF") {
        "pdf"
    } else if bytes.starts_with(b"\x89PNG") {
        "png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "jpg"
    } else if std::str::from_utf8(bytes).is_ok() {
        "txt"
    } else {
        "bin"
    }
}

/// The data README.txt is rendered from. `is` holds one flag per known
/// role, so the template picks the explanation (strict `{{#if}}` needs all
/// of them).
#[allow(clippy::too_many_arguments)]
fn readme_data(
    case: &case::Case,
    entries: &[Entry],
    objects: &[Object],
    (linked, timestamps): (&[LinkedCheckpoint], &[TimestampFile]),
    tree: TreeHead,
    checkpoint: Option<&CheckpointFile>,
    now: DateTime<Utc>,
    lang: crate::lang::Lang,
) -> serde_json::Value {
    use case::event::role;
    let known = [
        ("message", role::MESSAGE),
        ("envelope", role::ENVELOPE),
        ("letter", role::LETTER),
        ("context", role::CONTEXT),
        ("identity_txt", role::IDENTITY_TXT),
        ("identity_json", role::IDENTITY_JSON),
        ("mandate", role::MANDATE),
        ("evidence", role::EVIDENCE),
        ("attachment", role::ATTACHMENT),
        ("smtp_error", role::SMTP_ERROR),
        ("reply", role::REPLY),
        ("note", role::NOTE),
        ("report", role::REPORT),
    ];
    let roles: BTreeSet<&str> = known.iter().map(|(_, r)| *r).collect();
    let flags = |r: &str| {
        let mut m = serde_json::Map::new();
        for (key, name) in known {
            m.insert(key.into(), json!(r == name));
        }
        m.insert("other".into(), json!(!roles.contains(r)));
        m
    };
    let event_of = |seq: u64| entries.iter().find(|e| e.seq == seq).map(|e| e.event.clone()).unwrap_or_default();
    let files: Vec<_> = objects
        .iter()
        .filter_map(|o| {
            o.file.as_ref().map(|f| {
                json!({
                    "path": f, "role": o.role, "is": flags(&o.role), "sha256": o.sha256, "size": o.size,
                    "seq": o.named_by[0], "event": event_of(o.named_by[0]),
                })
            })
        })
        .collect();
    let purged: Vec<_> = objects
        .iter()
        .filter(|o| o.file.is_none())
        .map(|o| json!({"role": o.role, "sha256": o.sha256, "size": o.size, "seq": o.named_by[0], "purged_by": o.purged_by}))
        .collect();
    let lines: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            json!({
                "number": i + 1, "seq": e.seq, "line": e.seq + 1, "event": e.event, "sha256": e.hash,
                "day": e.time.date_naive().to_string(),
            })
        })
        .collect();
    let linked: Vec<_> = linked
        .iter()
        .map(|l| {
            let covers: Vec<String> = l.first_covers.iter().map(u64::to_string).collect();
            // A checkpoint with no line it first covers is there for a
            // timestamp token over it, or because it was given to export.
            let timestamped = l.first_covers.is_empty() && timestamps.iter().any(|t| t.checkpoint == l.file);
            json!({"file": l.file, "size": l.size, "given": l.first_covers.is_empty() && !timestamped,
                "timestamped": timestamped, "covers": covers.join(", ")})
        })
        .collect();
    let tokens: Vec<_> = timestamps
        .iter()
        .map(|t| json!({"file": t.file, "checkpoint": t.checkpoint, "size": t.size, "tsa": t.tsa, "gen_time": t.gen_time}))
        .collect();
    let fingerprint = checkpoint.map(|c| Sha256::digest(c.key.as_bytes()));
    json!({
        "lang": lang,
        "request": case.request,
        "company": case.company,
        "policy": case.policy,
        "kind": case.kind.name(),
        "kind_label": crate::letter::locale::kind_label(case.kind, lang),
        "exported_date": now.date_naive().to_string(),
        "exported_at": evidence::format_time(&now),
        "dsr_version": env!("CARGO_PKG_VERSION"),
        "tree": tree,
        "signed": checkpoint.is_some(),
        "key": checkpoint.map(|c| c.key.clone()),
        "fingerprint": fingerprint,
        "files": files,
        "purged": purged,
        "has_purged": !purged.is_empty(),
        "lines": lines,
        "linked": linked,
        "has_linked": !linked.is_empty(),
        "timestamps": tokens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(role: &str) -> ObjectRef {
        ObjectRef { role: role.into(), sha256: Sha256::ZERO, size: 0 }
    }

    #[test]
    fn file_names_are_readable() {
        assert_eq!(file_name(1, &r("message"), None, b""), "01-message.eml");
        assert_eq!(file_name(3, &r("identity-txt"), None, b""), "03-identity-verification.txt");
        assert_eq!(file_name(7, &r("letter"), Some(LetterKind::Reminder), b""), "07-reminder-letter.txt");
        assert_eq!(file_name(9, &r("attachment"), None, b"%PDF-1.7"), "09-attachment.pdf");
        assert_eq!(file_name(10, &r("torn_tail"), None, b"\xff\x00"), "10-torn-tail.bin");
        assert_eq!(file_name(11, &r("../x"), None, b"a"), "11----x.txt");
    }

    /// A log of two cases (the exported one with a reply, a reminder, a
    /// purged object, an unknown event and a closing; the other in between)
    /// and its objects, all fixed bytes.
    fn fixed_log(dir: &Path) -> RequestId {
        use crate::case::event::{Name, Prepared, Route, role};
        use crate::deadline::CalendarCode;
        use crate::evidence::{Log, NewEvent, parse_time};
        use crate::lang::Lang;
        let mut log = Log::open(dir).unwrap();
        log.set_origin_for_new_log("dsr-evidence-log/00000000000000000000000000000001").unwrap();
        let put = |log: &Log, bytes: &[u8], role: &str| log.store().put(bytes).unwrap().with_role(role);
        let a: RequestId = "r_aaaaaaaaaaaaaaaa".parse().unwrap();
        let b: RequestId = "r_bbbbbbbbbbbbbbbb".parse().unwrap();
        let prepared = |kind, message_id: &str, objects| Prepared {
            kind,
            policy: "zendesk".parse().unwrap(),
            company: "Zendesk International Ltd.".into(),
            lang: Lang::De,
            calendar: CalendarCode::Ie,
            to: vec!["privacy@zendesk.example".parse().unwrap()],
            cc: Vec::new(),
            message_id: message_id.parse().unwrap(),
            stated_deadline: None,
            confirm_by: None,
            confirmed: Vec::new(),
            in_reply_to: None,
            authority: None,
            route: Route::Smtp,
            batch_key: None,
            readdresses: None,
            objects,
        };
        let add = |log: &mut Log, time: &str, name: &str, request: &RequestId, data: serde_json::Value| {
            log.append(NewEvent::new(parse_time(time).unwrap(), name, Some(request.clone()), data)).unwrap();
        };
        let objects = vec![
            put(&log, b"From: a\r\n\r\nerasure\r\n", role::MESSAGE),
            put(&log, br#"{"mail_from":"a@x","rcpt_to":["privacy@zendesk.example"]}"#, role::ENVELOPE),
            put(&log, "Löschung\n\nText".as_bytes(), role::LETTER),
            put(&log, b"%PDF-1.7 mandate", role::MANDATE),
        ];
        let data = serde_json::to_value(prepared(LetterKind::Erasure, "m1@x", objects)).unwrap();
        add(&mut log, "2026-01-05T09:00:00Z", Name::Prepared.as_str(), &a, data);
        let other = vec![put(&log, b"From: b\r\n\r\nother\r\n", role::MESSAGE)];
        let data = serde_json::to_value(prepared(LetterKind::Erasure, "m2@x", other)).unwrap();
        add(&mut log, "2026-01-05T09:30:00Z", Name::Prepared.as_str(), &b, data);
        let sent = json!({"message_id": "m1@x", "attempt": 1, "server": "s:587", "tls": true, "code": 250,
            "reply": "2.0.0 Ok: queued as Q1", "recipients": ["privacy@zendesk.example"]});
        add(&mut log, "2026-01-05T09:00:01Z", Name::Sent.as_str(), &a, sent);
        let gone = put(&log, b"purged reply", role::REPLY);
        let reply = json!({"outcome": "acknowledged", "message_id": "r1@zendesk", "date": "2026-01-06T10:00:00Z",
            "extended_to": null, "objects": [gone, put(&log, b"note", role::NOTE)]});
        add(&mut log, "2026-01-06T11:00:00Z", Name::ReplyReceived.as_str(), &a, reply);
        fs::remove_file(log.store().path_of(&gone.sha256)).unwrap();
        add(&mut log, "2026-01-07T11:00:00Z", crate::evidence::PURGED_EVENT, &a, json!({"purged": [gone.sha256]}));
        let reminder = vec![put(&log, b"From: a\r\n\r\nreminder\r\n", role::MESSAGE)];
        let data = serde_json::to_value(prepared(LetterKind::Reminder, "m3@x", reminder)).unwrap();
        add(&mut log, "2026-03-01T09:00:00Z", Name::Prepared.as_str(), &a, data);
        add(&mut log, "2026-03-01T09:00:02Z", "future_event", &a, json!({"x": 1.5}));
        add(&mut log, "2026-03-02T09:00:00Z", Name::Closed.as_str(), &a, json!({"objects": []}));
        a
    }

    /// Every file of a bundle, in name order, with the dsr version (in
    /// README.txt) replaced by `VERSION` and the hashes and sizes that
    /// depend on it recomputed: the same bytes for any version.
    fn normalized(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let version = env!("CARGO_PKG_VERSION");
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
        for (name, bytes) in &mut files {
            if name == README {
                let new = text(bytes).replace(&format!("dsr {version}"), "dsr VERSION").into_bytes();
                renamed.insert(Sha256::digest(bytes).to_string(), Sha256::digest(&new).to_string());
                *bytes = new;
            }
        }
        for (name, bytes) in &mut files {
            if name == MANIFEST {
                let mut m: ManifestV2 = serde_json::from_slice(bytes).unwrap();
                for f in &mut m.files {
                    if let Some(new) = renamed.get(&f.sha256.to_string()) {
                        f.sha256 = new.parse().unwrap();
                        f.size = f.size - version.len() as u64 + "VERSION".len() as u64;
                    }
                }
                let mut new = serde_json::to_vec_pretty(&m).unwrap();
                new.push(b'\n');
                renamed.insert(Sha256::digest(bytes).to_string(), Sha256::digest(&new).to_string());
                *bytes = new;
            }
        }
        for (name, bytes) in &mut files {
            if name == SUMS {
                let mut t = text(bytes);
                for (old, new) in &renamed {
                    t = t.replace(old, new);
                }
                *bytes = t.into_bytes();
            }
        }
        files
    }

    /// Both passes over `dir`'s log for `request`: what each gathered
    /// (as text) and the collector's root, or `None` for a light pass that
    /// declined.
    fn both_passes(dir: &Path, request: &RequestId) -> (Option<(String, Sha256)>, (String, Sha256)) {
        let given = BTreeMap::new();
        let wanted = Wanted { request: request.as_str(), exact: Some(request), given: &given };
        let mut light = Collector::new();
        let light = gather_light(dir, wanted, &mut light).map(|g| (format!("{g:?}"), light.root()));
        let mut full = Collector::new();
        let g = gather(dir, wanted, &mut full).unwrap();
        (light, (format!("{g:?}"), full.root()))
    }

    #[test]
    fn a_kept_checkpoint_line_must_be_at_the_place_its_seq_names() {
        // The light pass keeps most checkpoint lines as bytes; the one it
        // puts in the bundle is parsed here, and its seq checked.
        let line = br#"{"seq":7,"event":"checkpoint","request":null,"data":{"key":"k","note":"n"}}"#;
        let seen = SeenCheckpoint::of_line(7, line).unwrap();
        assert_eq!((seen.seq, seen.key.as_str(), seen.note.as_str()), (7, "k", "n"));
        let err = SeenCheckpoint::of_line(8, line).unwrap_err().to_string();
        assert!(err.contains("its seq is 7, but it is line 8"), "{err}");
    }

    #[test]
    fn the_light_pass_gathers_what_the_full_pass_does_and_declines_a_changed_log() {
        let data = tempfile::tempdir().unwrap();
        let a = fixed_log(data.path());
        let time = evidence::parse_time("2026-03-03T12:00:00Z").unwrap();
        // Unsigned: the light pass has nothing to vouch with.
        assert!(both_passes(data.path(), &a).0.is_none());
        let signer = Signer::from_seed("dsr", [7; 32]).unwrap();
        evidence::Log::open(data.path()).unwrap().checkpoint(&signer, time).unwrap().unwrap();
        let (light, full) = both_passes(data.path(), &a);
        assert_eq!(light.as_ref(), Some(&full));
        assert!(full.0.contains("r_aaaaaaaaaaaaaaaa") && !full.0.contains("r_bbbbbbbbbbbbbbbb"), "{}", full.0);

        // Another case's line changed (a line the light pass does not
        // parse): its root no longer matches, and the export reports the
        // line the full pass finds.
        let path = data.path().join(evidence::LOG_FILE);
        let honest = fs::read(&path).unwrap();
        let changed = String::from_utf8(honest.clone()).unwrap().replacen("m2@x", "m9@x", 1);
        fs::write(&path, &changed).unwrap();
        let mut collector = Collector::new();
        let given = BTreeMap::new();
        let wanted = Wanted { request: a.as_str(), exact: Some(&a), given: &given };
        assert!(gather_light(data.path(), wanted, &mut collector).is_none());
        let renderer = Renderer::new(None).unwrap();
        let out = tempfile::tempdir().unwrap();
        let opts = ExportOptions {
            data_dir: data.path(),
            request: a.as_str(),
            out: &out.path().join("b"),
            force: false,
            now: time,
            renderer: &renderer,
            signer: None,
            checkpoints: Vec::new(),
        };
        let err = export(&opts).unwrap_err();
        assert!(err.to_string().contains("log.jsonl:4: prev does not match"), "{err}");

        // A log that no longer ends in a checkpoint is read with every
        // check (its last lines are vouched for by nothing).
        fs::write(&path, &honest).unwrap();
        let mut log = evidence::Log::open(data.path()).unwrap();
        log.append(evidence::NewEvent::new(time, "late_event", Some(a.clone()), json!({}))).unwrap();
        drop(log);
        let (light, full) = both_passes(data.path(), &a);
        assert!(light.is_none());
        assert!(full.0.contains("late_event"));
    }

    #[test]
    fn the_light_pass_keeps_the_checkpoint_lines_it_does_not_parse() {
        // Checkpoints after the case's lines, after only another case's
        // lines (the light pass keeps those as bytes), and a token that
        // names one of the latter: both passes gather the same.
        let data = tempfile::tempdir().unwrap();
        let a = fixed_log(data.path());
        let b: RequestId = "r_bbbbbbbbbbbbbbbb".parse().unwrap();
        let time = evidence::parse_time("2026-03-03T12:00:00Z").unwrap();
        let signer = Signer::from_seed("dsr", [7; 32]).unwrap();
        let mut log = evidence::Log::open(data.path()).unwrap();
        let other = |log: &mut evidence::Log, n: u32| {
            log.append(evidence::NewEvent::new(time, "note_added", Some(b.clone()), json!({"n": n}))).unwrap();
        };
        log.checkpoint(&signer, time).unwrap().unwrap();
        other(&mut log, 1);
        let named = log.checkpoint(&signer, time).unwrap().unwrap().seq;
        other(&mut log, 2);
        log.checkpoint(&signer, time).unwrap().unwrap();
        let token = log.store().put(b"not a real token").unwrap().with_role(TOKEN_ROLE);
        let data_json = json!({"checkpoint": {"seq": named}, "tsa": "https://tsa.example", "objects": [token]});
        log.append(evidence::NewEvent::new(time, TIMESTAMPED_EVENT, None, data_json)).unwrap();
        other(&mut log, 3);
        log.checkpoint(&signer, time).unwrap().unwrap();
        drop(log);
        let (light, full) = both_passes(data.path(), &a);
        assert_eq!(light.as_ref(), Some(&full));
        assert!(full.0.contains("tsa.example"), "the token is gathered: {}", full.0);
        assert!(full.0.contains(&format!("seq: {named}")), "{}", full.0);
    }

    #[test]
    fn a_bundle_is_byte_identical_for_the_same_log() {
        let data = tempfile::tempdir().unwrap();
        let a = fixed_log(data.path());
        let renderer = Renderer::new(None).unwrap();
        let out = tempfile::tempdir().unwrap();
        let mut digests = Vec::new();
        // By the full id and by a prefix: the same bundle.
        for (i, request) in [a.as_str(), &a.as_str()[..8]].into_iter().enumerate() {
            let dir = out.path().join(i.to_string());
            let opts = ExportOptions {
                data_dir: data.path(),
                request,
                out: &dir,
                force: false,
                now: evidence::parse_time("2026-03-03T12:00:00Z").unwrap(),
                renderer: &renderer,
                signer: None,
                checkpoints: Vec::new(),
            };
            let exported = export(&opts).unwrap();
            assert_eq!((exported.lines, exported.objects, exported.purged.len()), (7, 6, 1));
            let mut all = Vec::new();
            for (name, bytes) in normalized(&dir) {
                all.extend_from_slice(format!("{name} {}\n", bytes.len()).as_bytes());
                all.extend_from_slice(&bytes);
            }
            digests.push(Sha256::digest(&all).to_string());
        }
        assert_eq!(digests[0], digests[1]);
        // The format-2 bundle's bytes as first written (unsigned, from a
        // log with a fixed origin): a change here changes what export
        // writes, which the bundle spec must then say. Changed twice since,
        // by README.txt alone: its section 4 no longer says the server's 250
        // proves delivery (issue 16, point 12), and its header names the
        // kind with its article, in the case's language (point 14).
        assert_eq!(digests[0], "e3ef5fda6a9c839aac1a56dfedc6455ddb8a34b19512be9547e0554dead54742");
    }
}
