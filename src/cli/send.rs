//! `dsr send`: send a request (or put it in the outbox) and log everything.

use super::Ctx;
use super::request_args::RequestArgs;
use crate::Error;
use crate::ops::deliver::{Delivered, Env};
use crate::ops::preview::Preview;
use crate::ops::send;
use crate::request::Request;
use crate::t;
use std::path::PathBuf;

/// Arguments of `dsr send`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to write to whom.
    #[command(flatten)]
    pub request: RequestArgs,
    /// Validate, render and build the message, then stop: nothing is
    /// stored, logged or sent.
    #[arg(long)]
    pub dry_run: bool,
    /// Send the stored message of this request again (after a temporary
    /// failure, a delivery-unknown crash, or from the outbox once SMTP is
    /// configured). The bytes and Message-ID are unchanged. Refused after a
    /// permanent refusal (5xx, bounce): see --readdress.
    #[arg(long, value_name = "REQUEST", conflicts_with_all = ["to", "kind", "subject", "dry_run"])]
    pub retry: Option<String>,
    /// Send the letter of this request again, as a new message, to the
    /// corrected address --to-address: after the server refused the
    /// message for good (a 5xx reply, or a bounce report), when --retry
    /// would send the same bytes to the same bad address. The deadline then
    /// runs from the new message.
    #[arg(
        long,
        value_name = "REQUEST",
        requires = "to_address",
        conflicts_with_all = ["to", "kind", "subject", "dry_run", "retry", "batch", "label", "again"]
    )]
    pub readdress: Option<String>,
    /// With --readdress: the corrected address.
    #[arg(long, value_name = "EMAIL", requires = "readdress")]
    pub to_address: Option<String>,
    /// The case's label (default: the subject's name), stored with the
    /// case as an object that `dsr purge` deletes.
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["retry", "batch"])]
    pub label: Option<String>,
    /// Send although an open case for the same subject, company and kind
    /// exists (dsr refuses otherwise); REASON is stored with the new case.
    #[arg(long, value_name = "REASON", conflicts_with_all = ["retry", "batch"], value_parser = non_empty)]
    pub again: Option<String>,
    /// Send every request of a CSV or TOML file, one row per request
    /// (docs/batch.md): policy, kind, lang, subject (a file, or the
    /// subject's fields inline as subject.name, subject.email, …),
    /// attach, confirm, ground, calendar, confirm_by, cc_self, key. All
    /// rows are validated first; rows already sent (by an earlier run of
    /// the same file) are skipped.
    #[arg(long, value_name = "FILE", conflicts_with_all = BATCH_CONFLICTS, conflicts_with = "retry")]
    pub batch: Option<PathBuf>,
    /// With --batch: also send rows whose delivery failed or is unknown
    /// again (the same stored message), after confirmation (--yes).
    #[arg(long, requires = "batch", conflicts_with_all = BATCH_CONFLICTS)]
    pub retry_failed: bool,
    /// With --batch: send at most N messages per minute.
    #[arg(long, value_name = "N", requires = "batch", conflicts_with_all = BATCH_CONFLICTS, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate: Option<u32>,
    /// With --batch: let rows name files outside the batch file's
    /// directory (absolute paths, `..`, symlinks pointing out). Only for a
    /// batch file you wrote or checked yourself: a row naming another
    /// file would email it.
    #[arg(long, requires = "batch")]
    pub allow_outside_paths: bool,
}

fn non_empty(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err(crate::t!("input.send.again-reason"));
    }
    Ok(text.to_string())
}

/// The single-request options that a batch file replaces.
const BATCH_CONFLICTS: [&str; 10] =
    ["to", "kind", "subject", "lang", "attach", "confirm", "ground", "confirm_by", "calendar", "cc_self"];

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    if let Some(file) = &args.batch {
        let options = super::batch::Options {
            dry_run: args.dry_run,
            yes: ctx.yes,
            retry_failed: args.retry_failed,
            rate: args.rate,
            allow_outside_paths: args.allow_outside_paths,
        };
        return super::batch::exec(ctx, &options, file);
    }
    if let Some(request) = &args.retry {
        return retry(ctx, request);
    }
    if let (Some(request), Some(to)) = (&args.readdress, &args.to_address) {
        return readdress(ctx, request, to);
    }
    let config = ctx.config()?;
    let catalog = ctx.catalog()?;
    let req = Request::build(&args.request.options()?, config, &catalog)?;
    with_env(ctx, |env| send_one(ctx, args, &req, env))
}

fn send_one(ctx: &Ctx, args: &Args, req: &Request, env: &Env<'_>) -> Result<(), Error> {
    if args.dry_run {
        req.require_confirmations()?;
        let built = send::prepare(req, env)?;
        for w in &built.composed.warnings {
            ctx.out.warn(w);
        }
        for n in &req.notes {
            ctx.out.note(t!("send.policy-note", note = n));
        }
        if ctx.out.json {
            return ctx.out.json(&serde_json::json!({
                "dry_run": true,
                "message_id": built.message.message_id(),
                "subject": built.composed.letter.subject,
                "bytes": built.message.bytes().len(),
                "deadline": built.composed.deadlines.as_ref().map(|d| d.deadline),
                "confirm_by": built.composed.confirm_by,
            }));
        }
        ctx.out.line(t!("send.subject", subject = built.composed.letter.subject))?;
        ctx.out.line(t!("send.to", to = req.to.join(", ")))?;
        ctx.out.line(t!(
            "send.message",
            bytes = built.message.bytes().len(),
            message_id = built.message.message_id()
        ))?;
        if let Some(d) = built.composed.due() {
            ctx.out.line(t!("send.due", date = d))?;
        }
        ctx.out.note(t!("send.dry-run"));
        return Ok(());
    }
    // Everything that can fail on the input has failed by now: ask, then
    // store and send.
    req.require_confirmations()?;
    let new = send::New { label: args.label.as_deref(), again: args.again.as_deref() };
    new.check_before_asking(req, env.data_dir)?;
    let preview = super::prompt::preview_lines(&Preview::of_request(req), env.smtp);
    let mut context = vec![crate::t!("prompt.new-request", kind = req.kind)];
    context.extend(preview);
    super::prompt::ask(ctx.yes, &context, &super::prompt::question(req.channel, env.smtp))?;
    let report = send::send(req, env, &new)?;
    for w in &report.warnings {
        ctx.out.warn(w);
    }
    for n in &req.notes {
        ctx.out.note(t!("send.policy-note", note = n));
    }
    if ctx.out.json {
        return ctx.out.json(&report);
    }
    let o = &ctx.out;
    o.line(t!("send.request", request = report.request))?;
    o.line(t!("send.message-id", message_id = report.message_id))?;
    o.line(t!("send.to", to = format!("{} ({})", req.to.join(", "), report.company)))?;
    match (&report.deadline, &report.confirm_by) {
        (Some(d), _) => o.line(t!(
            "send.deadline",
            date = d,
            extended = report.extended.map(|e| e.to_string()).unwrap_or_default()
        ))?,
        (None, Some(c)) => o.line(t!("send.confirm-by", date = c))?,
        _ => {}
    }
    match &report.delivered {
        Delivered::Smtp { server, code, reply, attempts } => {
            o.line(t!("send.sent", server = server, code = code, reply = reply))?;
            if *attempts > 1 {
                o.line(t!("send.attempts", attempts = attempts))?;
            }
        }
        Delivered::Outbox { file } => {
            o.line(t!("send.outbox", file = file.display()))?;
            o.not_sent(1, Some(&report.request.to_string()));
        }
        Delivered::Post { .. } | Delivered::Webform { .. } => {
            written_out(ctx, &report.delivered, report.request.as_str(), report.webform.as_deref())?
        }
    }
    Ok(())
}

/// The lines and the note after a letter for post or a web form was
/// written out: where the files are, that nothing was sent, and the
/// command that records the sending.
///
/// # Errors
/// Writing to stdout failed.
pub(super) fn written_out(ctx: &Ctx, delivered: &Delivered, request: &str, url: Option<&str>) -> Result<(), Error> {
    let o = &ctx.out;
    match delivered {
        Delivered::Post { file } => {
            o.line(t!("send.letter", file = file.display()))?;
            o.note(t!("send.not-sent-post", request = request));
        }
        Delivered::Webform { files } => {
            for f in files {
                o.line(t!("send.text", file = f.display()))?;
            }
            if let Some(url) = url {
                o.line(t!("send.webform", url = url))?;
            }
            let url = url.map(|u| format!(" ({u})")).unwrap_or_default();
            o.note(t!("send.not-sent-webform", request = request, url = url));
        }
        Delivered::Smtp { .. } | Delivered::Outbox { .. } => {}
    }
    Ok(())
}

/// Runs `f` with the environment every sending workflow needs: the data
/// directory, SMTP and DKIM settings, the templates and the clock.
///
/// # Errors
/// The config, data directory or templates cannot be used, or `f` fails.
pub(super) fn with_env<T>(ctx: &Ctx, f: impl FnOnce(&Env<'_>) -> Result<T, Error>) -> Result<T, Error> {
    let config = ctx.config()?;
    // Nothing goes out in the name of `dsr init`'s fictional signer.
    if config.example_sender {
        config.own_sender()?;
    }
    let data_dir = ctx.data_dir()?;
    let renderer = ctx.renderer()?;
    f(&Env {
        data_dir: &data_dir,
        smtp: config.smtp.as_ref(),
        dkim: config.dkim.as_ref(),
        renderer: &renderer,
        now: &crate::clock::now,
        backoff: None,
        tracer: ctx.tracer(),
        imap: config.imap.as_ref(),
    })
}

fn retry(ctx: &Ctx, request: &str) -> Result<(), Error> {
    with_env(ctx, |env| retry_in(ctx, request, env))
}

fn retry_in(ctx: &Ctx, request: &str, env: &Env<'_>) -> Result<(), Error> {
    let plan = crate::ops::retry::plan(env, request)?;
    let twice = if plan.maybe_delivered { t!("send.retry-maybe-delivered") } else { String::new() };
    let question = t!(
        "send.retry-question",
        message_id = plan.message_id,
        state = plan.from_state.as_str(),
        to = plan.to.join(", "),
        twice = twice
    );
    let preview = super::prompt::preview_lines(&plan.preview, env.smtp);
    super::prompt::ask(ctx.yes, &preview, &question)?;
    let delivered = crate::ops::retry::retry(env, request, &plan)?;
    if ctx.out.json {
        return ctx
            .out
            .json(&serde_json::json!({ "request": request, "message_id": plan.message_id, "delivered": delivered }));
    }
    if let Delivered::Smtp { server, code, reply, .. } = delivered {
        ctx.out.line(t!("send.sent", server = server, code = code, reply = reply))?;
    }
    Ok(())
}

fn readdress(ctx: &Ctx, request: &str, to: &str) -> Result<(), Error> {
    let to = crate::ops::readdress::parse_address(to)?;
    let config = ctx.config()?;
    with_env(ctx, |env| {
        let plan = crate::ops::readdress::plan(env, request, &to)?;
        let question = t!("send.readdress-question", message_id = plan.refused, to = plan.to, reason = plan.reason);
        super::prompt::ask(ctx.yes, &[], &question)?;
        let report = crate::ops::readdress::readdress(env, config, request, &to)?;
        if ctx.out.json {
            return ctx.out.json(&report);
        }
        let o = &ctx.out;
        o.line(t!("send.request", request = report.request))?;
        o.line(t!("send.message-id", message_id = report.message_id))?;
        o.line(t!("send.to", to = report.to.join(", ")))?;
        o.line(t!("send.replaces", message_id = report.readdresses, reason = report.reason))?;
        if let Some(d) = report.deadline {
            o.line(t!("send.deadline-readdressed", date = d))?;
        }
        match &report.delivered {
            Delivered::Smtp { server, code, reply, .. } => {
                o.line(t!("send.sent", server = server, code = code, reply = reply))?;
            }
            Delivered::Outbox { file } => {
                o.line(t!("send.outbox", file = file.display()))?;
                o.not_sent(1, Some(&report.request));
            }
            Delivered::Post { .. } | Delivered::Webform { .. } => {}
        }
        Ok(())
    })
}
