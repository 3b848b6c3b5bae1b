//! `dsr man`: manual pages (roff, clap_mangen), generated from the same
//! clap definitions as `--help`: `dsr.1` on stdout, or with `--out DIR` one
//! page per command (`dsr.1`, `dsr-send.1`, `dsr-log-verify.1` …).

use super::{Cli, Ctx};
use crate::Error;
use clap::CommandFactory;
use std::path::PathBuf;

/// Print the manual page, or write one page per command to a directory.
///
/// Example: `dsr man | man -l -`
///
/// Example: `dsr man --out ~/.local/share/man/man1 && man dsr-send`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write `dsr.1` and one `dsr-<command>.1` per command into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let cmd = Cli::command();
    let Some(dir) = &args.out else {
        return ctx.out.bytes(&page(&cmd));
    };
    let dir = ctx.cwd.join(dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(crate::t!("cli.io.create", path = dir.display()), e))?;
    let mut written = Vec::new();
    write_pages(&dir, &cmd, "dsr", &mut written)?;
    for p in &written {
        ctx.out.line(p.display())?;
    }
    Ok(())
}

/// The roff page of one command.
fn page(cmd: &clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out).expect("rendering a manual page into memory cannot fail");
    out
}

/// Writes `name.1` for `cmd` and, recursively, `name-<sub>.1` for each of
/// its subcommands (the page names `man` finds: `man dsr-log-verify`).
fn write_pages(
    dir: &std::path::Path,
    cmd: &clap::Command,
    name: &str,
    written: &mut Vec<PathBuf>,
) -> Result<(), Error> {
    let cmd = cmd.clone().name(name.to_string()).version(env!("CARGO_PKG_VERSION"));
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, page(&cmd)).map_err(|e| Error::io(crate::t!("cli.io.write", path = path.display()), e))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        write_pages(dir, sub, &format!("{name}-{}", sub.get_name()), written)?;
    }
    Ok(())
}
