//! `dsr evidence`: export one case as a bundle that verifies offline, and
//! verify such a bundle.

use super::Ctx;
use crate::Error;
use crate::evidence::Sha256;
use crate::ops::export::{self, ExportOptions};
use std::path::PathBuf;

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
    /// the chain of line hashes up to the log's head, a manifest, SHA256SUMS and a README.
    ///
    /// The folder is self-contained: `sha256sum -c SHA256SUMS` inside it, or `dsr evidence verify
    /// DIR`, checks it without the data directory. Objects purged for retention are listed as
    /// purged. The format is described in docs/evidence-bundle.md.
    ///
    /// Example: dsr evidence export r_k3q7z2m4x7w5abcd --out bundle-zendesk
    Export(ExportArgs),
    /// Check a bundle written by `dsr evidence export`, offline.
    ///
    /// Checks every file against manifest.json and SHA256SUMS, each log line against chain.txt
    /// (its hash, and its `prev` as the entry before), the chain's continuity, and every object the
    /// lines name. Exit code 4 naming the file when anything does not match.
    ///
    /// Example: dsr evidence verify bundle-zendesk --head 5ad0…e1f3
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
}

/// Arguments of `dsr evidence verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The bundle directory.
    pub dir: PathBuf,
    /// Also require the chain to end in this head (a hash recorded when the log was written, e.g.
    /// from `dsr log verify`).
    #[arg(long, value_name = "HASH")]
    pub head: Option<Sha256>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    match &args.command {
        Sub::Export(a) => export_case(ctx, a),
        Sub::Verify(a) => verify(ctx, a),
    }
}

fn export_case(ctx: &Ctx, args: &ExportArgs) -> Result<(), Error> {
    let data_dir = ctx.data_dir()?;
    let renderer = ctx.renderer()?;
    let out = ctx.cwd.join(&args.out);
    let done = export::export(&ExportOptions {
        data_dir: &data_dir,
        request: &args.request,
        out: &out,
        force: args.force,
        now: crate::clock::now(),
        renderer: &renderer,
    })?;
    if ctx.out.json {
        return ctx.out.json(&done);
    }
    ctx.out.line(format!(
        "exported {} to {}: {} log lines, {} objects{}, head {} (seq {})",
        done.request,
        done.dir.display(),
        done.lines,
        done.objects,
        match done.purged.len() {
            0 => String::new(),
            n => format!(" ({n} purged, listed only)"),
        },
        done.head.sha256,
        done.head.seq
    ))?;
    ctx.out.note(format!(
        "check it with `dsr evidence verify {}` or `sha256sum -c SHA256SUMS` inside it",
        args.out.display()
    ));
    Ok(())
}

fn verify(ctx: &Ctx, args: &VerifyArgs) -> Result<(), Error> {
    let ok = export::verify(&ctx.cwd.join(&args.dir), args.head.as_ref())?;
    if ctx.out.json {
        return ctx.out.json(&ok);
    }
    ctx.out.line(format!(
        "ok: request {}, {} files, {} log lines, {} objects{}, head {} (seq {})",
        ok.request,
        ok.files,
        ok.lines,
        ok.objects,
        match ok.purged {
            0 => String::new(),
            n => format!(" ({n} purged)"),
        },
        ok.head.sha256,
        ok.head.seq
    ))
}
