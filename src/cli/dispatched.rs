//! `dsr dispatched`: record a message the user sent themselves, or its receipt.

use super::Ctx;
use crate::Error;
use crate::channel::Channel;
use crate::ops::dispatched::{self, How, Input};
use crate::t;
use chrono::NaiveDate;
use std::path::PathBuf;

/// Arguments of `dsr dispatched`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request id.
    pub request: String,
    /// How it went: email (from your own mail client), post, webform.
    #[arg(long, value_enum)]
    pub via: Channel,
    /// --via email: the copy from your Sent folder, saved as .eml (raw
    /// source); it is stored byte for byte as evidence. `-` reads it from
    /// standard input.
    #[arg(long, value_name = "FILE")]
    pub eml: Option<PathBuf>,
    /// --via post: the day you posted it; --via webform: the day you submitted it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::iso_date::parse)]
    pub date: Option<NaiveDate>,
    /// --via post: the tracking number of a registered letter (e.g. RR123456789DE).
    #[arg(long, value_name = "NUMBER")]
    pub tracking: Option<String>,
    /// --via post: the day the company received it (on the Rückschein or in the tracking).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::iso_date::parse)]
    pub received_on: Option<NaiveDate>,
    /// --via post, with --received-on: the proof of receipt (a scan of the Rückschein, the tracking page).
    #[arg(long, value_name = "FILE", requires = "received_on")]
    pub receipt: Option<PathBuf>,
    /// --via webform: what the form showed or sent back (a screenshot, the saved page, the
    /// confirmation email); repeatable.
    #[arg(long, value_name = "FILE")]
    pub confirmation: Vec<PathBuf>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let how = how(ctx, args)?;
    let config = ctx.config()?;
    let data_dir = ctx.data_dir()?;
    let r = dispatched::record(&data_dir, config, &Input { request: args.request.clone(), how }, crate::clock::now())?;
    for w in &r.warnings {
        ctx.out.warn(w);
    }
    for d in &r.differences {
        ctx.out.warn(format!("  {d}"));
    }
    if ctx.out.json {
        return ctx.out.json(&r);
    }
    let o = &ctx.out;
    o.line(t!("send.request", request = r.request))?;
    o.line(t!("send.message-id", message_id = r.message_id))?;
    o.line(t!("dispatched.recorded", events = r.events.join(", "), via = r.via))?;
    if let Some(time) = r.sent_at {
        o.line(t!("dispatched.sent-at", time = time.to_rfc3339()))?;
    }
    if let Some(d) = r.date {
        o.line(if r.via == Channel::Post {
            t!("dispatched.posted", date = d)
        } else {
            t!("dispatched.submitted", date = d)
        })?;
    }
    if let Some(d) = r.received_on {
        o.line(t!("dispatched.received", date = d))?;
    } else if let Some(d) = r.presumed_received_on {
        o.line(t!("dispatched.received-presumed", date = d))?;
    }
    if let Some(d) = &r.due {
        let presumed = if d.presumed { t!("dispatched.from-presumed") } else { String::new() };
        o.line(t!("dispatched.due", date = d.date, basis = d.basis.as_str(), presumed = presumed))?;
    }
    Ok(())
}

/// The library's input, or a usage error naming the flag that does not
/// fit the channel.
fn how(ctx: &Ctx, args: &Args) -> Result<How, Error> {
    let abs = |p: &PathBuf| crate::file::from_cwd(&ctx.cwd, p);
    let (eml, receipt): (Vec<PathBuf>, Vec<PathBuf>) =
        (args.eml.iter().cloned().collect(), args.receipt.iter().cloned().collect());
    super::stdin::one_reader(&[("--eml", &eml), ("--receipt", &receipt), ("--confirmation", &args.confirmation)])?;
    let not_for = |flag: &str, via: Channel| -> Result<(), Error> {
        Err(Error::usage(
            crate::t!("cli.misc.dispatched-flag", flag = flag, via = via),
            crate::t!("cli.misc.dispatched-flag-hint", flag = flag),
        ))
    };
    match args.via {
        Channel::Email => {
            for (set, flag) in [
                (args.date.is_some(), "--date"),
                (args.tracking.is_some(), "--tracking"),
                (args.received_on.is_some(), "--received-on"),
                (!args.confirmation.is_empty(), "--confirmation"),
            ] {
                if set {
                    not_for(flag, Channel::Email)?;
                }
            }
            let eml = args.eml.as_ref().ok_or_else(|| {
                Error::usage(
                    crate::t!("cli.dispatched.email-needs-eml"),
                    crate::t!("cli.dispatched.email-needs-eml-hint"),
                )
            })?;
            Ok(How::Email { eml: abs(eml) })
        }
        Channel::Post => {
            if args.eml.is_some() {
                not_for("--eml", Channel::Post)?;
            }
            if !args.confirmation.is_empty() {
                not_for("--confirmation", Channel::Post)?;
            }
            if args.date.is_none() && args.received_on.is_none() {
                return Err(Error::usage(
                    crate::t!("cli.dispatched.post-needs-date"),
                    crate::t!("cli.dispatched.post-needs-date-hint"),
                ));
            }
            Ok(How::Post {
                posted_on: args.date,
                tracking: args.tracking.clone(),
                received_on: args.received_on,
                receipt: args.receipt.as_ref().map(abs),
            })
        }
        Channel::Webform => {
            for (set, flag) in [
                (args.eml.is_some(), "--eml"),
                (args.tracking.is_some(), "--tracking"),
                (args.received_on.is_some(), "--received-on"),
            ] {
                if set {
                    not_for(flag, Channel::Webform)?;
                }
            }
            let date = args.date.ok_or_else(|| {
                Error::usage(
                    crate::t!("cli.dispatched.webform-needs-date"),
                    crate::t!("cli.dispatched.webform-needs-date-hint"),
                )
            })?;
            Ok(How::Webform { date, confirmation: args.confirmation.iter().map(abs).collect() })
        }
    }
}
