//! `dsr evidence`: export one case as a bundle that verifies offline, and
//! verify such a bundle.

use super::Ctx;
use crate::Error;
use crate::evidence::Sha256;
use crate::evidence::note::{SignedCheckpoint, Verifier};
use crate::evidence::witness::Anchor;
use crate::ops::export::{self, ExportOptions};
use std::path::{Path, PathBuf};

/// Arguments of `dsr evidence`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Sub,
}

/// `dsr evidence` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Write one case's evidence into a folder: every stored artifact, its log lines byte for byte,
    /// their inclusion proofs against the log's latest signed checkpoint, that checkpoint, a
    /// manifest, SHA256SUMS and a README.
    ///
    /// The folder is self-contained: `dsr evidence verify DIR` or `docs/verify_log.py bundle DIR`
    /// checks it without the data directory, and `sha256sum -c SHA256SUMS` inside it checks the
    /// files. It holds nothing of other cases: the proofs are subtree hashes. Objects purged for
    /// retention are listed as purged. If the log does not end in a checkpoint, one is signed
    /// first (with the signing key); without a key the bundle's tree is unsigned. The format is
    /// described in docs/evidence-bundle.md.
    ///
    /// Example: dsr evidence export r_k3q7z2m4x7w5abcd --out bundle-zendesk
    Export(ExportArgs),
    /// Check a bundle written by `dsr evidence export`, offline.
    ///
    /// Checks every file against manifest.json and SHA256SUMS, every log line's inclusion proof
    /// against the signed checkpoint (and the key that signed it), that no line of the case between
    /// its first and its last is missing, the manifest's case fields, every object the lines name,
    /// the earlier checkpoints the bundle links to, and its timestamp tokens (RFC 3161; with
    /// --tsa-ca, chained to the TSA's CA). Give --checkpoint with a checkpoint obtained elsewhere
    /// (a copy the recipient kept, or a message dsr sent, which carries one) and --key with the
    /// published key: then the bundle no longer rests on the sender's word. Ends with one
    /// "existed:" line per log line of the case: no later than the earliest timestamp or
    /// witness covering it, or the sender's claim only. Exit code 4 naming the file (and line)
    /// when anything does not match. Bundles of format 1 (chain.txt) are checked as before
    /// (--head).
    ///
    /// Example: dsr evidence verify bundle-zendesk --checkpoint archive/checkpoint.txt --key "dsr+…"
    Verify(VerifyArgs),
}

/// Arguments of `dsr evidence export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The request id (or an unambiguous prefix of at least 6 characters).
    pub request: String,
    /// The bundle directory (created if missing; must be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace an earlier bundle in DIR (its files are deleted first).
    #[arg(long)]
    pub force: bool,
    /// An earlier checkpoint someone else holds (repeatable): the bundle gets a consistency proof
    /// from it, so that holder can check the bundle against it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Vec<PathBuf>,
}

/// Arguments of `dsr evidence verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The bundle directory.
    pub dir: PathBuf,
    /// A signed checkpoint obtained independently: the bundle's tree must be it or extend it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// The published verifier key (`dsr key show` of the sender): the checkpoints must be signed
    /// by it [default: the key the bundle names].
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// Format 1 only: also require the chain to end in this head (a hash recorded when the log was
    /// written).
    #[arg(long, value_name = "HASH")]
    pub head: Option<Sha256>,
    /// A PEM CA file of a trusted time-stamping authority (repeatable): every timestamp token in
    /// the bundle must chain to one of them [default: each TSA's ca_file in dsr.toml, if any].
    #[arg(long, value_name = "CA.pem")]
    pub tsa_ca: Vec<PathBuf>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    match &args.command {
        Sub::Export(a) => export_case(ctx, a),
        Sub::Verify(a) => verify(ctx, a),
    }
}

/// Reads a signed checkpoint named on the command line.
/// (a checkpoint file, or a mail message or PDF letter carrying one: then
/// its witness anchor too).
fn read_checkpoint(ctx: &Ctx, file: &Path) -> Result<(SignedCheckpoint, Option<Anchor>), Error> {
    let path = crate::file::from_cwd(&ctx.cwd, file);
    let bytes = crate::file::read_bytes(&path, crate::file::Limit::REPLY)?;
    let (checkpoint, witness) = crate::evidence::witness::read_checkpoint_file(&bytes)
        .map_err(|problem| export::Error::CheckpointFile { path: file.to_path_buf(), problem })?;
    Ok((checkpoint, witness.as_ref().map(crate::evidence::witness::anchor)))
}

fn export_case(ctx: &Ctx, args: &ExportArgs) -> Result<(), Error> {
    let data_dir = ctx.data_dir()?;
    let renderer = ctx.renderer()?;
    let out = ctx.cwd.join(&args.out);
    let signer = ctx.signer()?;
    let checkpoints = args
        .checkpoint
        .iter()
        .map(|f| Ok((f.clone(), read_checkpoint(ctx, f)?.0)))
        .collect::<Result<Vec<_>, Error>>()?;
    let done = export::export(&ExportOptions {
        data_dir: &data_dir,
        request: &args.request,
        out: &out,
        force: args.force,
        now: crate::clock::now(),
        renderer: &renderer,
        signer: signer.as_ref(),
        checkpoints,
    })?;
    if ctx.out.json {
        return ctx.out.json(&done);
    }
    let purged = match done.purged.len() {
        0 => String::new(),
        n => crate::t!("export.purged", n = n),
    };
    let signed = if done.signed { crate::t!("export.signed") } else { crate::t!("export.unsigned") };
    let timestamps = match done.timestamps {
        0 => String::new(),
        n => crate::t!("export.timestamps", n = n),
    };
    ctx.out.line(crate::t!(
        "export.done",
        request = done.request,
        dir = done.dir.display(),
        lines = done.lines,
        objects = done.objects,
        purged = purged,
        size = done.tree.size,
        signed = signed,
        timestamps = timestamps
    ))?;
    if !done.uncovered.is_empty() {
        ctx.out.note(crate::t!("export.uncovered", n = done.uncovered.len()));
    }
    ctx.out.note(crate::t!("export.check-it", dir = args.out.display()));
    Ok(())
}

fn verify(ctx: &Ctx, args: &VerifyArgs) -> Result<(), Error> {
    let (checkpoint, anchors) = match &args.checkpoint {
        Some(f) => {
            let (checkpoint, anchor) = read_checkpoint(ctx, f)?;
            let label = f.display().to_string();
            (Some((label.clone(), checkpoint)), anchor.map(|a| (label, a)).into_iter().collect())
        }
        None => (None, Vec::new()),
    };
    let key = args
        .key
        .as_deref()
        .map(|k| Verifier::parse(k).map_err(|e| Error::usage(format!("--key: {e}"), crate::t!("verify.cmd.key-hint"))))
        .transpose()?;
    let tsa = super::log::token_trust(ctx, &args.tsa_ca)?;
    let witness = anchors.first().and_then(|(_, a): &(String, Anchor)| a.dated.clone());
    let options = export::VerifyOptions { head: args.head, checkpoint, key, tsa, witness };
    let ok = export::verify(&ctx.cwd.join(&args.dir), &options)?;
    if ctx.out.json {
        #[derive(serde::Serialize)]
        struct WithWitnesses<'a> {
            #[serde(flatten)]
            ok: &'a export::Verified,
            witnesses: Vec<serde_json::Value>,
        }
        let witnesses = anchors
            .iter()
            .map(|(label, a)| {
                serde_json::json!({"checkpoint": label, "tree_size": a.tree_size, "time": a.time, "description": a.description})
            })
            .collect();
        return ctx.out.json(&WithWitnesses { ok: &ok, witnesses });
    }
    // The witness, if one was given, is in the per-line `existed:` report.
    for line in export::verified_summary(&ok) {
        ctx.out.line(line)?;
    }
    Ok(())
}
