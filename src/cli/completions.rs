//! `dsr completions SHELL`: a shell completion script on stdout
//! (clap_complete), generated from the same clap definitions as `--help`,
//! so it can never list an option that does not exist.

use super::{Cli, Ctx};
use crate::Error;
use clap::CommandFactory;
use clap_complete::Shell;

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
///
/// Example (bash): `dsr completions bash > ~/.local/share/bash-completion/completions/dsr`
///
/// Example (zsh):  `dsr completions zsh > ~/.zfunc/_dsr` (with `fpath+=~/.zfunc` in ~/.zshrc)
///
/// Example (fish): `dsr completions fish > ~/.config/fish/completions/dsr.fish`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "dsr", &mut script);
    ctx.out.bytes(&script)
}
