//! `dsr init`: write a commented `dsr.toml` to start from.

use super::Ctx;
use crate::{Error, config};
use std::io::Write;
use std::path::PathBuf;

/// Write a commented dsr.toml (sender, data dir, language, calendar; SMTP
/// commented out, so mail goes to the outbox until you configure it), and
/// make the key that signs the evidence log's checkpoints if there is none
/// (as `dsr key new` does).
///
/// Example: `dsr init && $EDITOR dsr.toml`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the file [default: the --config path, else ./dsr.toml].
    #[arg(long, value_name = "FILE")]
    pub path: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let path =
        args.path.clone().or_else(|| ctx.global.config.clone()).unwrap_or_else(|| ctx.cwd.join(config::FILE_NAME));
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::usage(
                format!("{} already exists", path.display()),
                "pass --force to overwrite it, or --path to write elsewhere",
            )
        } else {
            Error::io(format!("cannot create {}", path.display()), e)
        }
    })?;
    file.write_all(config::TEMPLATE.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    drop(file);
    // The signing key, unless one is there already (`dsr key new` never
    // replaces one either).
    // The config is written: a key that cannot be made is a warning, and
    // `dsr key new` can make it later.
    let keyed = ctx.signing_key_path().and_then(|key_path| {
        let made = match crate::evidence::key::load(&key_path)? {
            Some(_) => None,
            None => Some(crate::evidence::key::create(&key_path, "dsr", ctx.data_dir().ok().as_deref())?),
        };
        Ok((key_path, made))
    });
    let (key_path, made) = match keyed {
        Ok(k) => k,
        Err(e) => {
            ctx.out.warn(format!("no signing key was made: {e}; `dsr key new` makes one"));
            if ctx.out.json {
                return ctx.out.json(&serde_json::json!({ "written": path }));
            }
            return ctx.out.line(format!("wrote {}", path.display()));
        }
    };
    if ctx.out.json {
        let key = made.as_ref().map(|s| s.verifier().to_string());
        ctx.out.json(&serde_json::json!({ "written": path, "signing_key": key_path, "new_key": key }))?;
    } else {
        ctx.out.line(format!("wrote {}", path.display()))?;
        match &made {
            Some(signer) => {
                ctx.out.line(format!("made signing key {}", key_path.display()))?;
                ctx.out.line(format!("public key: {}", signer.verifier()))?;
            }
            None => ctx.out.note(format!("kept the signing key at {}", key_path.display())),
        }
        ctx.out.note("next: fill in [sender], then try `dsr policy show zendesk`");
    }
    Ok(())
}
