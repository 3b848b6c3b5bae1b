//! `dsr log verify|show|repair|checkpoint|prove|consistency`: check, read,
//! repair and prove the evidence log.

use super::Ctx;
use crate::Error;
use crate::evidence::note::{SignedCheckpoint, Verifier};
use crate::evidence::tsa_trust::{TokenTrust, Trust};
use crate::evidence::witness::Anchor;
use crate::evidence::{self, Entry, ExternalCheckpoint, RequestId, Sha256, VerifyOptions};
use clap::Subcommand;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Check, show or repair the evidence log (<data-dir>/log.jsonl).
///
/// Example: `dsr log verify --objects`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with the log.
    #[command(subcommand)]
    pub command: LogCommand,
}

/// The `dsr log` subcommands.
#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Check every line's seq, prev hash and time, the header, the Merkle tree and every
    /// checkpoint line; with --objects also every object the log names.
    ///
    /// Prints `ok: N lines, head HASH`, the tree's root and which lines the last signed checkpoint
    /// covers, and exits 0; or names the first bad line, object or checkpoint and exits 4. Give
    /// --checkpoint with a checkpoint someone else kept (a copy mailed to an archive, a
    /// timestamped one): the log must still hold exactly what it signed.
    ///
    /// Example: `dsr log verify --objects --checkpoint archive/checkpoint-2026-11.txt`
    Verify(VerifyArgs),
    /// Print the log as a timeline, one line per event.
    ///
    /// Example: `dsr log show --request r_k3q7z2m4x7w5abcd`
    Show(ShowArgs),
    /// Set a torn last line aside (after a crash mid-append) so the log can
    /// be appended to again.
    ///
    /// The torn bytes are kept as an object and a `repaired` event names
    /// their hash, offset and length. Does nothing if the log is sound.
    ///
    /// Example: `dsr log repair && dsr log verify`
    Repair,
    /// Sign a checkpoint of the log now (unless its last line is one) and print the latest.
    ///
    /// dsr signs one after every command that logs something; this one is for publishing: mail
    /// the printed checkpoint to an archive, or keep it with --out. Needs the signing key (`dsr
    /// key new`).
    ///
    /// Example: `dsr log checkpoint --out checkpoint-2026-11-28.txt`
    Checkpoint(CheckpointArgs),
    /// Print one request's log lines with inclusion proofs against the latest checkpoint.
    ///
    /// The output (JSON, docs/evidence-log.md §12) shows that each line is in the tree whose root
    /// the checkpoint signs, without revealing any other line. `docs/verify_log.py proof FILE`
    /// checks it.
    ///
    /// Example: `dsr log prove r_k3q7z2m4x7w5abcd > proof.json`
    Prove(ProveArgs),
    /// Prove that the log of checkpoint NEW extends that of checkpoint OLD (nothing before OLD's
    /// size changed).
    ///
    /// Both are checked against the log; the printed consistency proof (JSON) lets anyone holding
    /// OLD check NEW without the log (`docs/verify_log.py consistency OLD NEW PROOF`). NEW defaults
    /// to the log's latest checkpoint.
    ///
    /// Example: `dsr log consistency checkpoint-2026-11.txt > consistency.json`
    Consistency(ConsistencyArgs),
    /// Timestamp the latest checkpoint with every time-stamping authority of [timestamp] that has
    /// not timestamped it yet (catching up after a TSA could not be reached).
    ///
    /// The latest checkpoint covers every line before it, so one token over it is trusted time for
    /// the whole log so far. Lines logged since the latest checkpoint are first signed into a new one
    /// (needs the signing key). Exits 3 if no TSA gave a token (each failure is logged).
    ///
    /// Example: `dsr log timestamp`
    Timestamp,
}

/// Options of `dsr log verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Also check that every object named by the log exists and hashes to
    /// its name (purged objects are reported as purged).
    #[arg(long)]
    pub objects: bool,
    /// Fail unless the last line hashes to HASH (a head recorded earlier).
    #[arg(long, value_name = "HASH")]
    pub head: Option<Sha256>,
    /// A signed checkpoint obtained independently (repeatable): the log must extend it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Vec<PathBuf>,
    /// The published verifier key (`dsr key show`): checkpoints must be signed by it [default:
    /// the key the log's last checkpoint names].
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// A PEM CA file of a trusted time-stamping authority (repeatable): every timestamp token
    /// must chain to one of them [default: each TSA's ca_file in dsr.toml].
    #[arg(long, value_name = "CA.pem")]
    pub tsa_ca: Vec<PathBuf>,
}

/// Options of `dsr log checkpoint`.
#[derive(Debug, clap::Args)]
pub struct CheckpointArgs {
    /// Write the checkpoint to FILE instead of printing it (`-`: print it).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Options of `dsr log prove`.
#[derive(Debug, clap::Args)]
pub struct ProveArgs {
    /// The request id.
    pub request: RequestId,
}

/// Options of `dsr log consistency`.
#[derive(Debug, clap::Args)]
pub struct ConsistencyArgs {
    /// The earlier signed checkpoint.
    pub old: PathBuf,
    /// The later one [default: the log's latest checkpoint].
    pub new: Option<PathBuf>,
    /// The published verifier key the checkpoints must be signed by [default: the key the log's
    /// last checkpoint names].
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
}

/// Options of `dsr log show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Only this request's events.
    #[arg(long, value_name = "ID")]
    pub request: Option<RequestId>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let data_dir = ctx.data_dir()?;
    match &args.command {
        LogCommand::Verify(a) => verify(ctx, &data_dir, a),
        LogCommand::Checkpoint(a) => checkpoint(ctx, &data_dir, a),
        LogCommand::Prove(a) => {
            let proof = evidence::prove_request(&data_dir, &a.request)?;
            if proof.checkpoint.is_none() {
                ctx.out.note(crate::t!("verify.cmd.prove-unsigned", size = proof.tree.size));
            }
            if !proof.uncovered.is_empty() {
                ctx.out.note(crate::t!("verify.cmd.prove-uncovered", n = proof.uncovered.len()));
            }
            ctx.out.json(&proof)
        }
        LogCommand::Consistency(a) => consistency(ctx, &data_dir, a),
        LogCommand::Timestamp => timestamp(ctx, &data_dir),
        LogCommand::Show(a) => {
            let path = data_dir.join(evidence::LOG_FILE);
            if !path.exists() {
                ctx.out.note(crate::t!("verify.cmd.no-log-yet", path = path.display()));
                return Ok(());
            }
            let mut shown = 0u64;
            for entry in evidence::read_entries(&data_dir)? {
                let entry = entry?;
                if a.request.as_ref().is_some_and(|r| entry.request.as_ref() != Some(r)) {
                    continue;
                }
                shown += 1;
                if ctx.out.json {
                    ctx.out.line(
                        serde_json::to_string(&entry)
                            .expect("a log entry serializes: it was read from JSON and has only string keys"),
                    )?;
                } else {
                    ctx.out.line(timeline_line(&entry))?;
                }
            }
            if shown == 0
                && let Some(r) = &a.request
            {
                ctx.out.note(crate::t!("verify.cmd.no-events", request = r));
            }
            Ok(())
        }
        LogCommand::Repair => match evidence::repair(&data_dir, crate::clock::now())? {
            None => {
                if ctx.out.json {
                    ctx.out.json(&serde_json::json!({ "repaired": false }))
                } else {
                    ctx.out.line(crate::t!("verify.cmd.nothing-to-repair"))
                }
            }
            Some(r) => {
                if ctx.out.json {
                    ctx.out.json(&serde_json::json!({
                        "repaired": true,
                        "offset": r.offset,
                        "length": r.length,
                        "sha256": r.sha256,
                        "seq": r.entry.seq,
                    }))
                } else {
                    ctx.out.line(crate::t!(
                        "verify.cmd.repaired",
                        length = r.length,
                        offset = r.offset,
                        sha256 = r.sha256,
                        seq = r.entry.seq
                    ))
                }
            }
        },
    }
}

/// Reads a signed checkpoint from a file named on the command line: a
/// checkpoint file, or a mail message or PDF letter that carries one (a
/// witness, whose anchor is returned too).
pub(super) fn read_checkpoint(ctx: &Ctx, file: &Path) -> Result<(SignedCheckpoint, Option<Anchor>), Error> {
    let path = crate::file::from_cwd(&ctx.cwd, file);
    let bytes = crate::file::read_bytes(&path, crate::file::Limit::REPLY)?;
    let (checkpoint, witness) = evidence::witness::read_checkpoint_file(&bytes)
        .map_err(|e| Error::usage(format!("{}: {e}", file.display()), crate::t!("verify.cmd.checkpoint-file-hint")))?;
    Ok((checkpoint, witness.as_ref().map(evidence::witness::anchor)))
}

/// The lines `dsr log verify` and `dsr evidence verify` add for
/// checkpoints that came from witnesses: what each proves, and which lines
/// rest on the sender's word alone.
pub(super) fn anchor_lines(anchors: &[(String, Anchor)], lines: u64) -> Vec<String> {
    let mut sorted: Vec<&(String, Anchor)> = anchors.iter().collect();
    sorted.sort_by_key(|(_, a)| a.tree_size);
    let mut out = Vec::new();
    let mut from = 1;
    for (label, a) in sorted {
        if a.tree_size >= from {
            out.push(crate::t!("verify.anchor", from = from, to = a.tree_size, what = a.description, label = label));
            from = a.tree_size + 1;
        }
    }
    if !anchors.is_empty() && from <= lines {
        out.push(crate::t!("verify.anchor-none", from = from, to = lines));
    }
    out
}

/// The CA files timestamp tokens are checked against: `--tsa-ca` files,
/// and each configured TSA's `ca_file` (when a config loads: a verifier
/// given `--data-dir` needs none).
pub(super) fn token_trust(ctx: &Ctx, given: &[PathBuf]) -> Result<TokenTrust, Error> {
    let read = |path: &Path, field: &str| -> Result<Trust, Error> {
        let bytes = crate::file::read_bytes(path, crate::file::Limit::TEXT)?;
        Trust::from_pem(&path.display().to_string(), &bytes)
            .map_err(|e| Error::usage(format!("{field}: {e}"), crate::t!("verify.cmd.tsa-ca-hint")))
    };
    let mut trust = TokenTrust::default();
    for file in given {
        trust.given.push(read(&ctx.cwd.join(file), "--tsa-ca")?);
    }
    if let Ok(config) = ctx.config() {
        for tsa in &config.timestamp {
            if let Some(ca) = &tsa.ca_file {
                trust.by_tsa.insert(tsa.name.clone(), read(ca, &format!("timestamp.tsa {:?} ca_file", tsa.name))?);
            }
        }
    }
    Ok(trust)
}

/// Parses `--key`.
fn parse_key(key: Option<&str>) -> Result<Option<Verifier>, Error> {
    key.map(|k| Verifier::parse(k).map_err(|e| Error::usage(format!("--key: {e}"), crate::t!("verify.cmd.key-hint"))))
        .transpose()
}

fn verify(ctx: &Ctx, data_dir: &Path, a: &VerifyArgs) -> Result<(), Error> {
    super::stdin::one_reader(&[("--checkpoint", &a.checkpoint)])?;
    let checkpoints = a
        .checkpoint
        .iter()
        .map(|f| Ok((f.display().to_string(), read_checkpoint(ctx, f)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let anchors: Vec<(String, Anchor)> =
        checkpoints.iter().filter_map(|(label, (_, a))| Some((label.clone(), a.clone()?))).collect();
    let checkpoints =
        checkpoints.into_iter().map(|(label, (checkpoint, _))| ExternalCheckpoint { label, checkpoint }).collect();
    let options = VerifyOptions { objects: a.objects, head: a.head, checkpoints, key: parse_key(a.key.as_deref())? };
    let v = evidence::verify(data_dir, &options)?;
    let trust = token_trust(ctx, &a.tsa_ca)?;
    // The verify pass counted the `timestamped` lines: without any, the
    // log need not be read again for them.
    let timestamps = if v.timestamped > 0 { evidence::anchor::timestamps(data_dir, &trust)? } else { Vec::new() };
    let mut all = timestamps;
    all.extend(anchors.iter().filter_map(|(_, a)| a.dated.clone()));
    let existed = evidence::anchor::earliest(v.lines, &all);
    if ctx.out.json {
        return ctx.out.json(&json!({
            "ok": true,
            "lines": v.lines,
            "head": v.head,
            "last_time": v.last_time,
            "objects": a.objects.then(|| json!({
                "intact": v.objects_intact,
                "purged": v.objects_purged,
                "restored": v.restored.iter().map(|(h, line)| json!({"sha256": h, "purged_on_line": line})).collect::<Vec<_>>(),
            })),
            "format": if v.origin.is_some() { 2 } else { 1 },
            "origin": v.origin,
            "root": v.root,
            "checkpoints": v.checkpoints,
            "covered": v.covered,
            "signed_by": v.signed_by,
            "keys": v.keys,
            "extends": v.extends.iter().map(|(label, size)| json!({"checkpoint": label, "size": size})).collect::<Vec<_>>(),
            "witnesses": anchors.iter().map(|(label, a)| json!({"checkpoint": label, "tree_size": a.tree_size, "time": a.time, "description": a.description})).collect::<Vec<_>>(),
            "existed": existed.iter().map(|r| json!({
                "lines": [r.from + 1, r.to + 1],
                "no_later_than": r.anchor.as_ref().map(|a| a.time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
                "by": r.anchor.as_ref().map(|a| a.source.clone()),
                "logged_on_line": r.anchor.as_ref().and_then(|a| a.logged_on).map(|s| s + 1),
                "says": r.wording(),
            })).collect::<Vec<_>>(),
        }));
    }
    for line in evidence::verified_summary(&v, a.objects) {
        ctx.out.line(line)?;
    }
    for line in anchor_lines(&anchors, v.lines) {
        ctx.out.line(line)?;
    }
    for r in &existed {
        ctx.out.line(crate::t!("verify.existed", from = r.from + 1, to = r.to + 1, says = existed_words(r)))?;
    }
    Ok(())
}

fn timestamp(ctx: &Ctx, data_dir: &Path) -> Result<(), Error> {
    let tsas = ctx.config()?.timestamp.clone();
    if tsas.is_empty() {
        return Err(Error::usage(crate::t!("verify.cmd.no-tsa"), crate::t!("verify.cmd.no-tsa-hint")));
    }
    let pending = crate::ops::timestamp::pending(data_dir)?;
    if pending.unsealed {
        let Some(signer) = ctx.signer()? else {
            return Err(Error::usage(
                crate::t!("verify.cmd.timestamp-no-key", path = ctx.signing_key_path()?.display()),
                crate::t!("verify.cmd.no-key-hint"),
            ));
        };
        let mut log = evidence::Log::open(data_dir)?;
        if let Some(e) = log.checkpoint(&signer, crate::clock::now())? {
            ctx.out.detail(crate::t!("verify.cmd.checkpoint-line", path = log.path().display(), seq = e.seq));
        }
    }
    let Some(latest) = evidence::latest_checkpoint(data_dir)? else {
        return Err(Error::usage(crate::t!("verify.cmd.nothing-to-timestamp"), crate::t!("verify.cmd.log-something")));
    };
    let pending = if pending.unsealed { crate::ops::timestamp::Pending::default() } else { pending };
    let todo: Vec<_> = tsas.into_iter().filter(|t| !pending.done.contains(&t.name)).collect();
    if todo.is_empty() {
        return ctx.out.line(crate::t!(
            "verify.cmd.all-timestamped",
            line = latest.seq + 1,
            size = latest.note.checkpoint.size
        ));
    }
    let outcomes = crate::ops::timestamp::timestamp_checkpoint(data_dir, &latest, &todo, crate::clock::now)?;
    super::seal::report(ctx, &outcomes);
    let failures: Vec<String> =
        outcomes.iter().filter_map(|o| o.result.as_ref().err().map(|e| format!("{}: {e}", o.tsa))).collect();
    if failures.len() == outcomes.len() {
        return Err(Error::Timestamp { failures: failures.join("; ") });
    }
    if ctx.out.json {
        return ctx.out.json(&json!({
            "checkpoint": {"seq": latest.seq, "size": latest.note.checkpoint.size, "root": latest.note.checkpoint.root},
            "timestamps": outcomes.iter().map(|o| json!({
                "tsa": o.tsa,
                "line": o.entry.seq,
                "gen_time": o.result.as_ref().ok().map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
                "error": o.result.as_ref().err(),
            })).collect::<Vec<_>>(),
        }));
    }
    for o in &outcomes {
        if let Ok(t) = &o.result {
            ctx.out.line(crate::t!(
                "verify.cmd.timestamped",
                size = latest.note.checkpoint.size,
                line = latest.seq + 1,
                tsa = o.tsa,
                time = t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ))?;
        }
    }
    Ok(())
}

fn checkpoint(ctx: &Ctx, data_dir: &Path, a: &CheckpointArgs) -> Result<(), Error> {
    let Some(signer) = ctx.signer()? else {
        return Err(Error::usage(
            crate::t!("verify.cmd.no-key", path = ctx.signing_key_path()?.display()),
            crate::t!("verify.cmd.no-key-hint"),
        ));
    };
    let mut log = evidence::Log::open(data_dir)?;
    if let Some(e) = log.checkpoint(&signer, crate::clock::now())? {
        ctx.out.detail(crate::t!("verify.cmd.checkpoint-line", path = log.path().display(), seq = e.seq));
    }
    drop(log);
    let Some(latest) = evidence::latest_checkpoint(data_dir)? else {
        return Err(Error::usage(crate::t!("verify.cmd.nothing-to-sign"), crate::t!("verify.cmd.log-something")));
    };
    match a.out.as_ref().filter(|o| !crate::file::is_stdin(o)) {
        Some(out) => {
            let path = ctx.cwd.join(out);
            std::fs::write(&path, &latest.note.note)
                .map_err(|e| Error::io(crate::t!("verify.cmd.cannot-write", path = path.display()), e))?;
            ctx.out.line(crate::t!(
                "verify.cmd.wrote-checkpoint",
                size = latest.note.checkpoint.size,
                seq = latest.seq,
                path = path.display()
            ))
        }
        None if ctx.out.json => ctx.out.json(&json!({
            "seq": latest.seq,
            "size": latest.note.checkpoint.size,
            "root": latest.note.checkpoint.root,
            "key": latest.key.to_string(),
            "note": latest.note.note,
        })),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(latest.note.note.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Error::io(crate::t!("cli.io.stdout"), e))
        }
    }
}

fn consistency(ctx: &Ctx, data_dir: &Path, a: &ConsistencyArgs) -> Result<(), Error> {
    super::stdin::one_reader(&[("OLD", std::slice::from_ref(&a.old)), ("NEW", a.new.as_slice())])?;
    let old = ExternalCheckpoint { label: a.old.display().to_string(), checkpoint: read_checkpoint(ctx, &a.old)?.0 };
    let new = match &a.new {
        Some(f) => ExternalCheckpoint { label: f.display().to_string(), checkpoint: read_checkpoint(ctx, f)?.0 },
        None => {
            let latest = evidence::latest_checkpoint(data_dir)?.ok_or_else(|| {
                Error::usage(
                    crate::t!("verify.cmd.nothing-to-compare"),
                    crate::t!("verify.cmd.nothing-to-compare-hint"),
                )
            })?;
            ExternalCheckpoint {
                label: crate::t!("verify.cmd.of-line", line = latest.seq + 1),
                checkpoint: latest.note,
            }
        }
    };
    let (m, n) = (old.checkpoint.checkpoint.size, new.checkpoint.checkpoint.size);
    if m > n {
        return Err(Error::usage(
            crate::t!("verify.cmd.order", old = old.label, m = m, new = new.label, n = n),
            crate::t!("verify.cmd.order-hint"),
        ));
    }
    let key = match parse_key(a.key.as_deref())? {
        Some(k) => k,
        None => match evidence::latest_checkpoint(data_dir)? {
            Some(c) => c.key,
            None => {
                return Err(Error::usage(
                    crate::t!("verify.cmd.no-named-key"),
                    crate::t!("verify.cmd.no-named-key-hint"),
                ));
            }
        },
    };
    let proof = evidence::consistency_proof(data_dir, &old, &new, &key)?;
    ctx.out.note(crate::t!(
        "verify.cmd.consistent",
        new = proof.new.size,
        old = proof.old.size,
        hashes = proof.proof.len()
    ));
    ctx.out.json(&proof)
}

/// One event as a line of text: seq, time, event, request, then the data
/// (objects as `role=hash… (size B)`, other members as `key=value`).
fn timeline_line(e: &Entry) -> String {
    let request = e.request.as_ref().map_or("-", RequestId::as_str);
    let mut details = Vec::new();
    for o in e.objects() {
        details.push(format!("{}={}… ({} B)", o.role, &o.sha256.to_string()[..12], o.size));
    }
    if let Some(map) = e.data.as_object() {
        for (k, v) in map {
            match (k.as_str(), v) {
                ("objects", _) | (evidence::REQUEST_PREV, _) => {}
                ("purged", serde_json::Value::Array(a)) => details.push(format!("purged={} objects", a.len())),
                (_, serde_json::Value::String(s)) => details.push(format!("{k}={s}")),
                _ => details.push(format!("{k}={v}")),
            }
        }
    }
    format!("{:>6}  {}  {:<13} {:<18}  {}", e.seq, evidence::format_time(&e.time), e.event, request, details.join(" "))
        .trim_end()
        .to_string()
}

/// [`Anchored::wording`](crate::evidence::anchor::Anchored::wording) in the
/// interface language (the JSON keeps the English wording).
pub(super) fn existed_words(r: &crate::evidence::anchor::Anchored) -> String {
    match &r.anchor {
        Some(a) => crate::t!(
            "verify.no-later-than",
            time = a.time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            source = a.source
        ),
        None => crate::t!("verify.claim-only"),
    }
}
