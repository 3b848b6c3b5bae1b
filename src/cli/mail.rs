//! `dsr mail`: fetch replies from the mailbox (`sync`), list what no case
//! took (`unmatched`), file delivery reports and read receipts saved as
//! files (`import`).

use super::{Ctx, seal};
use crate::Error;
use crate::config;
use crate::mailbox::sync;
use crate::ops::report;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `dsr mail`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `dsr mail` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Fetch what is new in the [imap] folders, store it and file it with its case.
    ///
    /// Each message is stored byte for byte and logged with the case it
    /// belongs to and why (In-Reply-To, References or the request id in
    /// the Subject), and the outcome its words suggest. `dsr status` then
    /// shows "reply received — classify" until you confirm or correct the
    /// outcome with `dsr reply REQUEST --message ID --outcome …`. A re-run
    /// records nothing twice.
    ///
    /// Example: dsr mail sync --watch
    Sync {
        /// Stay connected and fetch each new message as it arrives (IMAP IDLE); stop with Ctrl-C.
        #[arg(long)]
        watch: bool,
    },
    /// List received messages that matched no case, or several.
    ///
    /// Assign one with `dsr reply REQUEST --message ID --outcome …`.
    ///
    /// Example: dsr mail unmatched --json
    Unmatched,
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
    /// The reports, as raw message files (.eml, or files of a Maildir);
    /// `-` reads one from standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let data_dir = ctx.data_dir()?;
    match &args.action {
        Action::Import(a) => import(ctx, a),
        Action::Unmatched => {
            let loose = sync::load(&data_dir)?.unassigned;
            if ctx.out.json {
                return ctx.out.json(&loose);
            }
            if loose.is_empty() {
                return ctx.out.line(crate::t!("mail.no-unmatched"));
            }
            for u in &loose {
                let id = shown_id(u.message_id.as_deref());
                let why = if u.candidates.is_empty() {
                    crate::t!("mail.matches-none")
                } else {
                    let c: Vec<String> = u.candidates.iter().map(ToString::to_string).collect();
                    crate::t!("mail.matches-several", cases = c.join(", "))
                };
                ctx.out.line(crate::t!(
                    "mail.unmatched-line",
                    line = u.seq,
                    folder = u.folder,
                    id = id,
                    why = why,
                    suggested = u.suggested.as_str()
                ))?;
            }
            ctx.out.line(crate::t!("mail.assign-hint"))
        }
        Action::Sync { watch } => {
            let config = ctx.config()?;
            let imap = config.imap.as_ref().ok_or_else(|| config::Error::Missing {
                what: "[imap]".into(),
                hint: crate::t!("mail.cli.imap-missing-hint"),
            })?;
            let mut session = sync::connect(imap)?;
            loop {
                let before = seal::log_len(ctx);
                let report = sync::once(&mut session, &data_dir, imap, &crate::clock::now)?;
                if *watch && !report.recorded.is_empty() {
                    seal::after_command(ctx, before);
                }
                show(ctx, &report)?;
                if !*watch {
                    session.logout();
                    return Ok(());
                }
                // Servers end an IDLE after 30 minutes (RFC 2177): renew it before.
                sync::wait(&mut session, imap, report.first_folder_exists, Duration::from_secs(25 * 60))?;
            }
        }
    }
}

/// A message's Message-ID as the lists show it: `<id>`, or that it has none.
fn shown_id(message_id: Option<&str>) -> String {
    message_id.map_or_else(|| crate::t!("mail.no-message-id"), |m| format!("<{m}>"))
}

fn show(ctx: &Ctx, report: &sync::Report) -> Result<(), Error> {
    if ctx.out.json {
        return ctx.out.json(report);
    }
    for r in &report.recorded {
        let id = shown_id(r.message_id.as_deref());
        let filed = match (&r.request, r.matched) {
            (Some(req), Some(basis)) => crate::t!("mail.filed-by", request = req, basis = basis.as_str()),
            _ if !r.candidates.is_empty() => crate::t!("mail.unmatched-several"),
            _ => crate::t!("mail.unmatched"),
        };
        let suggested = r.suggested.as_str();
        ctx.out.line(crate::t!(
            "mail.synced-line",
            folder = r.folder,
            uid = r.uid,
            id = id,
            filed = filed,
            suggested = suggested
        ))?;
    }
    ctx.out.line(crate::t!(
        "mail.synced",
        recorded = report.recorded.len(),
        reports = report.reports,
        skipped = report.skipped
    ))
}

fn import(ctx: &Ctx, args: &ImportArgs) -> Result<(), Error> {
    super::stdin::one_reader(&[("FILE", &args.files)])?;
    let data_dir = ctx.data_dir()?;
    let mut done = Vec::new();
    for file in &args.files {
        let r = report::import_file(&data_dir, &crate::file::from_cwd(&ctx.cwd, file), crate::clock::now())?;
        if !ctx.out.json {
            let what = if r.already {
                crate::t!("mail.cli.import-already", seq = r.seq)
            } else {
                crate::t!("mail.cli.import-line", seq = r.seq)
            };
            ctx.out.line(crate::t!(
                "mail.cli.imported",
                file = file.display(),
                request = r.request,
                event = r.event,
                id = r.message_id,
                what = what
            ))?;
            for d in &r.details {
                ctx.out.line(format!("    {d}"))?;
            }
            if r.event == "delivered" && r.at.is_none() {
                ctx.out.line(crate::t!("mail.cli.no-delivery-time"))?;
            }
            if r.event == "bounced" && !r.already {
                ctx.out.warn(crate::t!("mail.cli.bounced", request = r.request));
            }
        }
        done.push(r);
    }
    if ctx.out.json {
        return ctx.out.json(&done);
    }
    Ok(())
}
