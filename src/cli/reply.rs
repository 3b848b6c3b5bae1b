//! `dsr reply` and `dsr close`: record what the company answered; close a case.

use super::Ctx;
use crate::Error;
use crate::case::event::Outcome;
use crate::ops::{cases, reply};
use std::path::PathBuf;

/// Arguments of `dsr reply`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request id [default: found from the reply's In-Reply-To/References].
    pub request: Option<String>,
    /// The reply, saved from your mail client as .eml (raw source); it is
    /// stored byte for byte as evidence. `-` reads it from standard input.
    #[arg(long, value_name = "FILE", conflicts_with = "message")]
    pub eml: Option<PathBuf>,
    /// A reply `dsr mail sync` fetched: its Message-ID or log line (as
    /// `dsr show` or `dsr mail unmatched` list it). Confirms or corrects
    /// the suggested outcome, or assigns an unmatched message to REQUEST.
    #[arg(long, value_name = "ID")]
    pub message: Option<String>,
    /// Correct the outcome of the reply recorded before (logged as a new
    /// line naming the one it corrects; nothing is rewritten).
    #[arg(long)]
    pub amend: bool,
    /// Record the reply although it is threaded to another case.
    #[arg(long)]
    pub force: bool,
    /// What the reply says. Without it nothing is recorded, and dsr says
    /// what the reply reads like (the rules of `dsr mail sync`).
    #[arg(long, value_enum)]
    pub outcome: Option<Outcome>,
    /// Your note on the reply (stored with it). For a refusal: the reasons
    /// the company gave; for a partial answer: what is still missing. A
    /// reminder or complaint quotes it, in summary.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let Some(outcome) = args.outcome else {
        // A reply file that cannot be read is the first thing to fix: the
        // missing --outcome would only be the second error.
        if let Some(f) = args.eml.as_ref().filter(|f| !crate::file::is_stdin(f)) {
            crate::file::check(&crate::file::from_cwd(&ctx.cwd, f), crate::file::Limit::REPLY)?;
        }
        return Err(missing_outcome(ctx, args));
    };
    let config = ctx.config()?;
    let data_dir = ctx.data_dir()?;
    let input = reply::Input {
        request: args.request.clone(),
        eml: args.eml.clone(),
        message: args.message.clone(),
        amend: args.amend,
        force: args.force,
        outcome,
        note: args.note.clone(),
    };
    let r = reply::record(&data_dir, config, &input, crate::clock::now())?;
    for w in &r.warnings {
        ctx.out.warn(w);
    }
    if ctx.out.json {
        return ctx.out.json(&r);
    }
    ctx.out.line(crate::t!("send.request", request = r.request))?;
    match r.amends {
        Some(line) => ctx.out.line(crate::t!("reply.recorded-amend", outcome = r.outcome.name(), line = line))?,
        None => ctx.out.line(crate::t!("reply.recorded", outcome = r.outcome.name()))?,
    }
    if let Some(id) = &r.message_id {
        ctx.out.line(crate::t!("reply.reply", message_id = id))?;
    }
    if let Some(d) = r.extended_to {
        ctx.out.line(crate::t!("reply.extended", date = d))?;
    }
    Ok(())
}

/// `--outcome` left out: the error lists the outcomes and, for an `--eml`
/// file, the one the reply reads like (standard input is not read: it
/// could not be read again).
fn missing_outcome(ctx: &Ctx, args: &Args) -> Error {
    use clap::ValueEnum as _;
    let names: Vec<String> = Outcome::value_variants()
        .iter()
        .filter_map(|o| o.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect();
    let reads_like = args
        .eml
        .as_ref()
        .filter(|f| !crate::file::is_stdin(f))
        .and_then(|f| std::fs::read(ctx.cwd.join(f)).ok())
        .map(|bytes| {
            let (subject, text) = crate::mailbox::classify::subject_and_text(&bytes);
            crate::mailbox::classify::suggest(subject.as_deref(), &text)
        })
        .filter(|s| *s != crate::case::event::Suggestion::Other);
    let hint = match reads_like {
        Some(s) => crate::t!("reply.missing-outcome-suggested", outcome = s.as_str()),
        None => crate::t!("reply.missing-outcome-hint", outcomes = names.join(", ")),
    };
    Error::usage(crate::t!("reply.missing-outcome", outcomes = names.join(", ")), hint)
}

/// Arguments of `dsr close`.
#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    /// The request id.
    pub request: String,
    /// Why (stored with the event).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

pub(super) fn close(ctx: &Ctx, args: &CloseArgs) -> Result<(), Error> {
    let data_dir = ctx.data_dir()?;
    let id = cases::close(&data_dir, &args.request, args.note.as_deref(), crate::clock::now())?;
    if ctx.out.json {
        return ctx.out.json(&serde_json::json!({ "request": id, "closed": true }));
    }
    ctx.out.line(crate::t!("reply.closed", request = id))
}
