//! `dsr key new|show`: the Ed25519 key that signs the evidence log's
//! checkpoints.

use super::Ctx;
use crate::Error;
use crate::evidence::{self, note::Signer};
use serde_json::json;

/// Make or show the key that signs the evidence log's checkpoints.
///
/// After every command that logs something, dsr appends a signed checkpoint (the number of log
/// lines and the root hash of their Merkle tree). Publish the public key and its fingerprint (a
/// letterhead, your website, a mail to your archive): anyone can then check that a checkpoint,
/// and so every log line it covers, comes from you. The private key lives outside the data
/// directory (signing_key in dsr.toml, default ~/.config/dsr/signing-key), mode 0600; dsr never
/// prints or logs it.
///
/// Example: `dsr key new && dsr key show`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Sub,
}

/// `dsr key` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Make a new signing key (never replaces one).
    ///
    /// Example: `dsr key new --name dpo.beispiel-handel.example`
    New(NewArgs),
    /// Print the public key (a C2SP note verifier key) and its fingerprint.
    ///
    /// The fingerprint is the SHA-256 of the key's text: `printf %s KEY | sha256sum`.
    ///
    /// Example: `dsr key show --json`
    Show,
}

/// Options of `dsr key new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The key's name, shown in every signature (no spaces or '+'; e.g. your domain).
    #[arg(long, default_value = "dsr")]
    pub name: String,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    match &args.command {
        Sub::New(a) => {
            let path = ctx.signing_key_path()?;
            let signer = evidence::key::create(&path, &a.name, ctx.data_dir().ok().as_deref())?;
            print_key(ctx, &path, &signer, true)
        }
        Sub::Show => {
            let path = ctx.signing_key_path()?;
            match evidence::key::load(&path)? {
                Some(signer) => print_key(ctx, &path, &signer, false),
                None => Err(Error::usage(crate::t!("key.none", path = path.display()), crate::t!("key.none-hint"))),
            }
        }
    }
}

/// Prints the public key, its fingerprint and where the private one is.
pub(super) fn print_key(ctx: &Ctx, path: &std::path::Path, signer: &Signer, new: bool) -> Result<(), Error> {
    let v = signer.verifier();
    if ctx.out.json {
        return ctx.out.json(&json!({
            "key": v.to_string(),
            "fingerprint": v.fingerprint(),
            "name": v.name(),
            "file": path,
            "new": new,
        }));
    }
    if new {
        ctx.out.line(crate::t!("key.made", path = path.display()))?;
    }
    ctx.out.line(crate::t!("key.public", key = v))?;
    ctx.out.line(crate::t!("key.fingerprint", fingerprint = v.fingerprint()))?;
    if new {
        ctx.out.note(crate::t!("key.publish"));
    }
    Ok(())
}
