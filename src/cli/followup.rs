//! `dsr remind` and `dsr complain`: follow-up letters of a case.

use super::Ctx;
use crate::Error;
use crate::channel::Channel;
use crate::lang::Lang;
use crate::letter::context::Failure;
use crate::ops::deliver::Delivered;
use crate::ops::followup::{self, Input, Kind};
use crate::ops::preview::Preview;

/// How a reminder or complaint can go: email or post. A web form is no
/// channel for them (a company's form takes new requests; an authority's
/// complaint form is its own), so `--via` does not offer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Via {
    /// By email: over SMTP, or written to the outbox and sent from the
    /// user's own mail client.
    Email,
    /// By post: a PDF letter (DIN 5008) to print, sign and post.
    Post,
}

impl From<Via> for Channel {
    fn from(v: Via) -> Channel {
        match v {
            Via::Email => Channel::Email,
            Via::Post => Channel::Post,
        }
    }
}

/// Arguments of `dsr remind`.
#[derive(Debug, clap::Args)]
pub struct RemindArgs {
    /// The request id.
    pub request: String,
    /// Days until the new deadline (moved to the next working day).
    #[arg(long, default_value_t = 14, value_name = "N")]
    pub days: u32,
    /// Letter language [default: the original's].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Remind although the deadline has not passed yet.
    #[arg(long)]
    pub force: bool,
    /// How it goes: email (default) or post (a DIN 5008 PDF letter to print and post; record the
    /// posting with `dsr dispatched`).
    #[arg(long, value_enum, value_name = "CHANNEL", default_value_t = Via::Email)]
    pub via: Via,
}

/// Arguments of `dsr complain`.
#[derive(Debug, clap::Args)]
pub struct ComplainArgs {
    /// The request id.
    pub request: String,
    /// The supervisory authority's id (see `dsr authority list`).
    #[arg(long, value_name = "ID")]
    pub authority: String,
    /// What went wrong [default: refused if the company refused, else no-reply].
    #[arg(long, value_enum)]
    pub reason: Option<Failure>,
    /// Your own words on what went wrong, in the letter's language.
    #[arg(long, value_name = "TEXT")]
    pub details: Option<String>,
    /// The complainant's habitual residence (country or town), when the
    /// original letter gives no postal address (Art. 77(1) GDPR).
    #[arg(long, value_name = "PLACE")]
    pub residence: Option<String>,
    /// Letter language [default: the authority's].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Complain although the deadline has not passed and nothing was refused.
    #[arg(long)]
    pub force: bool,
    /// How it goes: email (default) or post (a PDF letter to the authority's postal address).
    #[arg(long, value_enum, value_name = "CHANNEL", default_value_t = Via::Email)]
    pub via: Via,
}

pub(super) fn remind(ctx: &Ctx, args: &RemindArgs) -> Result<(), Error> {
    run(
        ctx,
        Input {
            request: args.request.clone(),
            kind: Kind::Reminder { days: args.days },
            lang: args.lang,
            force: args.force,
            via: args.via.into(),
        },
    )
}

pub(super) fn complain(ctx: &Ctx, args: &ComplainArgs) -> Result<(), Error> {
    let kind = Kind::Complaint {
        authority: args.authority.clone(),
        reason: args.reason,
        details: args.details.clone(),
        residence: args.residence.clone(),
    };
    run(ctx, Input { request: args.request.clone(), kind, lang: args.lang, force: args.force, via: args.via.into() })
}

fn run(ctx: &Ctx, input: Input) -> Result<(), Error> {
    let config = ctx.config()?;
    let what = match input.kind {
        Kind::Reminder { .. } => crate::t!("prompt.what-reminder"),
        Kind::Complaint { .. } => crate::t!("prompt.what-complaint"),
    };
    let confirm = |p: &Preview| {
        let mut context = vec![crate::t!("prompt.follow-up", what = what, request = input.request)];
        context.extend(super::prompt::preview_lines(p, config.smtp.as_ref()));
        super::prompt::ask(ctx.yes, &context, &super::prompt::question(p.channel, config.smtp.as_ref()))
    };
    let r = super::send::with_env(ctx, |env| followup::follow_up(env, config, &input, &confirm))?;
    for w in &r.warnings {
        ctx.out.warn(w);
    }
    if ctx.out.json {
        return ctx.out.json(&r);
    }
    let o = &ctx.out;
    o.line(crate::t!("send.request", request = r.request))?;
    o.line(match r.kind {
        crate::kind::LetterKind::Complaint => crate::t!("followup.line-complaint", subject = r.subject),
        _ => crate::t!("followup.line-reminder", subject = r.subject),
    })?;
    o.line(crate::t!("send.message-id", message_id = r.message_id))?;
    o.line(crate::t!("send.to", to = r.to.join(", ")))?;
    if let Some(d) = r.new_deadline {
        o.line(crate::t!("send.new-deadline", date = d))?;
    }
    match &r.delivered {
        Delivered::Smtp { server, code, reply, .. } => {
            o.line(crate::t!("send.sent", server = server, code = code, reply = reply))?
        }
        Delivered::Outbox { file } => {
            o.line(crate::t!("send.outbox", file = file.display()))?;
            o.not_sent(1, Some(&r.request.to_string()));
        }
        Delivered::Post { .. } | Delivered::Webform { .. } => {
            super::send::written_out(ctx, &r.delivered, &r.request, None)?
        }
    }
    Ok(())
}
