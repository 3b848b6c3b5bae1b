//! `dsr mail import`: file delivery reports and read receipts with their case.

use super::Ctx;
use crate::Error;
use crate::ops::report;
use clap::Subcommand;
use std::path::PathBuf;

/// Arguments of `dsr mail`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: MailCommand,
}

/// The `dsr mail` subcommands.
#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Record delivery reports (DSN) and read receipts (MDN) saved as .eml files.
    ///
    /// Each file is matched to its case (a delivery report by the request id
    /// dsr sent as its envelope id, or by the Message-ID of the returned
    /// message; a read receipt by Original-Message-ID), stored byte for byte
    /// and logged as `delivered`, `delayed`, `bounced` or `read`. A file
    /// imported again is recognised and recorded once. Stops at the first
    /// file that is not a report or matches no case (the ones before it are
    /// recorded; running the command again is safe).
    ///
    /// Example: dsr mail import ~/Mail/new/*.eml
    Import(ImportArgs),
}

/// Arguments of `dsr mail import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The reports, as raw message files (.eml, or files of a Maildir).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    match &args.command {
        MailCommand::Import(a) => import(ctx, a),
    }
}

fn import(ctx: &Ctx, args: &ImportArgs) -> Result<(), Error> {
    let data_dir = ctx.data_dir()?;
    let mut done = Vec::new();
    for file in &args.files {
        let r = report::import_file(&data_dir, &ctx.cwd.join(file), crate::clock::now())?;
        if !ctx.out.json {
            let what = if r.already {
                format!("already recorded at log line {}", r.seq)
            } else {
                format!("log line {}", r.seq)
            };
            ctx.out.line(format!("{}: {} {} <{}> ({what})", file.display(), r.request, r.event, r.message_id))?;
            for d in &r.details {
                ctx.out.line(format!("    {d}"))?;
            }
            if r.event == "bounced" && !r.already {
                ctx.out.warn(format!(
                    "{}: delivery failed; send a new message to a corrected address (`dsr send --retry` would send \
                     the same bytes to the same bad address)",
                    r.request
                ));
            }
        }
        done.push(r);
    }
    if ctx.out.json {
        return ctx.out.json(&done);
    }
    Ok(())
}
