//! `dsr init`: write a commented `dsr.toml` to start from.

use super::Ctx;
use crate::{Error, config};
use std::io::Write;
use std::path::PathBuf;

/// Write a commented dsr.toml (sender, data dir, language, calendar; SMTP
/// commented out, so mail goes to the outbox until you configure it).
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
    if ctx.out.json {
        ctx.out.json(&serde_json::json!({ "written": path }))?;
    } else {
        ctx.out.line(format!("wrote {}", path.display()))?;
        ctx.out.note("next: fill in [sender], then try `dsr policy show zendesk`");
    }
    Ok(())
}
