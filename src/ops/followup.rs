//! `remind` and `complain`: follow-up letters of an existing case.
//!
//! Both are written from the log alone: the original letter's context (an
//! object stored when it was sent) supplies the sender, the company and the
//! identifiers; the case state supplies dates, Message-IDs and replies. Both
//! are sent like the original (write-ahead, every attempt logged) and
//! logged as events of the same case. A reminder is threaded to the
//! original (In-Reply-To/References); a complaint goes to the supervisory
//! authority with the original messages and replies attached.
//!
//! Order, as in `send` (see [`crate::ops::send`]):
//!
//! 1. Every check that can fail on the user's input or on the case's state
//!    (unknown request, never sent, closed, settled, not yet overdue
//!    without `--force`, a processor letter to complain about, an unknown
//!    authority or one without email, the original's context purged) runs
//!    on the unlocked log, and the whole message is built: no network
//!    traffic yet, nothing stored or logged.
//! 2. With SMTP configured, the session is opened (connect, TLS, AUTH). A
//!    server that cannot be reached, or refuses TLS or the credentials,
//!    fails with [`Error::NotStarted`] (exit 3): no object, no event, the
//!    case keeps its state and the same command can be run again.
//! 3. The log is locked and the case read again: if another dsr added to
//!    it meanwhile, the checks run and the letter is written again from
//!    the new state (a check that fails now fails with its usual error; the
//!    session is dropped unused).
//! 4. The objects are stored, `prepared` logged (both durable before any
//!    message data is sent), then the message goes over that session
//!    (every attempt logged) or, without SMTP, to the outbox (everything
//!    under the lock from the start, as there is no session to open).

use crate::Error;
use crate::address::EmailAddress;
use crate::case::event::{self, Event, Prepared, role};
use crate::case::{self, Case, Message};
use crate::channel::Channel;
use crate::config::Config;
use crate::deadline;
use crate::evidence::{Log, ObjectRef, Store};
use crate::kind::LetterKind;
use crate::lang::Lang;
use crate::letter::context::{
    Complaint, EvidenceItem, Failure, LetterContext, Party, Recipient, Reminder, ReplySummary, SentMessage,
};
use crate::letter::locale;
use crate::mail::{self, MessageId, MessageSpec};
use crate::ops::deliver::{self, Delivered, Env, Parcel, Route, Staged};
use crate::policy::authority;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// What to write.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A reminder with a new deadline `days` days ahead.
    Reminder {
        /// Days until the new deadline (rolled to a working day).
        days: u32,
    },
    /// A complaint to a supervisory authority.
    Complaint {
        /// The authority's id (`ie-dpc`).
        authority: String,
        /// What went wrong [default: refused if refused, else no reply].
        reason: Option<Failure>,
        /// The user's own words, in the letter's language.
        details: Option<String>,
    },
}

/// The follow-up to write.
#[derive(Debug, Clone)]
pub struct Input {
    /// The request.
    pub request: String,
    /// Reminder or complaint.
    pub kind: Kind,
    /// Letter language [default: the original's, or the authority's].
    pub lang: Option<Lang>,
    /// Write it even though the deadline has not passed yet.
    pub force: bool,
    /// How it goes: email (default) or post (a PDF letter to post).
    pub via: Channel,
}

/// The result.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The case.
    pub request: String,
    /// `reminder` or `complaint`.
    pub kind: LetterKind,
    /// The new message's Message-ID.
    pub message_id: MessageId,
    /// The subject line.
    pub subject: String,
    /// To whom.
    pub to: Vec<EmailAddress>,
    /// The reminder's new deadline.
    pub new_deadline: Option<NaiveDate>,
    /// How it left.
    pub delivered: Delivered,
}

fn wrong(c: &Case, message: impl Into<String>, hint: impl Into<String>) -> Error {
    case::Error::wrong_state(c, message, hint).into()
}

fn object(store: &Store, m: &Message, wanted: &str) -> Result<Option<(ObjectRef, Vec<u8>)>, Error> {
    match m.prepared.objects.iter().find(|o| o.role == wanted) {
        None => Ok(None),
        Some(r) => Ok(Some((r.clone(), store.get(&r.sha256)?))),
    }
}

/// Writes and sends (or outboxes) a reminder or complaint.
///
/// # Errors
/// Unknown request; a state that does not call for it (never sent,
/// settled, not yet overdue without `force`); an unknown authority or one
/// without email; the original's context was purged (all before any
/// network traffic, nothing logged); the server cannot be reached or
/// refuses TLS or the credentials ([`Error::NotStarted`], nothing stored
/// or logged); the log is locked (5) or damaged (4); delivery failed
/// ([`Error::Delivery`]: every attempt is logged).
pub fn follow_up(env: &Env<'_>, config: &Config, input: &Input) -> Result<Report, Error> {
    let now = (env.now)();
    if input.via == Channel::Webform {
        return Err(Error::usage(
            "reminders and complaints go by email or post, not through a web form",
            "pass --via post (a PDF letter) or leave --via out (email)",
        ));
    }
    // Settings first, so a configuration error stores nothing.
    let mut route = Route::for_channel(env, input.via)?;
    let signer = env.dkim.map(mail::dkim::Signer::load).transpose()?;
    let signer = signer.as_ref();
    let (mut log, c, written) = match route.kind() {
        // The outbox: no session to open, so all of it happens under the lock.
        event::Route::Outbox | event::Route::Post | event::Route::Webform => {
            let log = Log::open(env.data_dir)?;
            let cases = super::cases::load(env.data_dir)?;
            let c = case::find(&cases, &input.request)?.clone();
            let written = write(env, config, input, &c, log.store(), now, signer)?;
            (log, c, written)
        }
        // SMTP: every check and the whole message before the session is
        // opened, and the session before the log is locked.
        event::Route::Smtp => {
            let cases = super::cases::load(env.data_dir)?;
            let c = case::find(&cases, &input.request)?;
            let written = write(env, config, input, c, &Store::new(env.data_dir), now, signer)?;
            deliver::open(&mut route)?;
            let log = Log::open(env.data_dir)?;
            // Read the state again under the lock: another dsr may have
            // acted meanwhile. Then check and write again from the new
            // state: a check that fails now fails as it would have before
            // the session was opened (the session is dropped unused).
            let cases = super::cases::load(env.data_dir)?;
            let locked = case::find(&cases, &input.request)?;
            let written = if locked.lines == c.lines {
                written
            } else {
                write(env, config, input, locked, log.store(), now, signer)?
            };
            (log, locked.clone(), written)
        }
    };
    let c = &c;
    let Written { ctx, letter, to, new_deadline, in_reply_to, authority_id, attachments, message } = written;

    let store = log.store();
    let rest: Vec<(&'static str, &[u8])> = attachments.iter().map(|a| (role::ATTACHMENT, a.bytes.as_slice())).collect();
    let (objects, message) = match message {
        Outgoing::Mail(message) => (
            deliver::store_artifacts(&|bytes| store.put(bytes), &message, &letter, &ctx, &rest)?,
            Parcel::Mail(message),
        ),
        Outgoing::Letter { id, pdf } => {
            let text = format!("{}\n\n{}", letter.subject, letter.body);
            let context = serde_json::to_vec_pretty(&ctx).expect("a letter context serializes");
            let head: [(&'static str, &[u8]); 3] =
                [(role::PDF, &pdf), (role::LETTER, text.as_bytes()), (role::CONTEXT, &context)];
            let objects = head
                .into_iter()
                .chain(rest.iter().copied())
                .map(|(r, b)| Ok(store.put(b)?.with_role(r)))
                .collect::<Result<Vec<_>, Error>>()?;
            (objects, Parcel::Files(deliver::Files { id, files: vec![(".pdf", pdf)] }))
        }
    };
    deliver::trace_objects(&env.tracer, store, &objects);
    let message_id = message.message_id().clone();
    let payload = Prepared {
        kind: ctx.kind,
        policy: c.policy.clone(),
        company: ctx.recipient.name.clone(),
        lang: ctx.lang,
        calendar: c.calendar,
        to: to.clone(),
        cc: Vec::new(),
        message_id: message_id.clone(),
        stated_deadline: new_deadline,
        confirm_by: None,
        confirmed: Vec::new(),
        in_reply_to,
        authority: authority_id,
        route: route.kind(),
        objects,
        batch_key: None,
    };
    // Stamped now, after the session was opened (the letter is dated `now`).
    let staged = Staged { request: c.request.clone(), before: Event::Prepared(payload), message };
    let delivered = deliver::dispatch_one(&mut route, &mut log, env, staged)?;
    route.close();
    Ok(Report {
        request: c.request.to_string(),
        kind: ctx.kind,
        message_id,
        subject: letter.subject,
        to,
        new_deadline,
        delivered,
    })
}

/// A follow-up letter, built but not yet stored or sent.
struct Written {
    ctx: LetterContext,
    letter: crate::letter::Letter,
    to: Vec<EmailAddress>,
    new_deadline: Option<NaiveDate>,
    in_reply_to: Option<MessageId>,
    authority_id: Option<String>,
    attachments: Vec<mail::message::Attachment>,
    message: Outgoing,
}

/// A follow-up as it leaves: an email, or a PDF letter for post.
enum Outgoing {
    Mail(mail::MessageBytes),
    Letter { id: MessageId, pdf: Vec<u8> },
}

/// Checks that case `c` calls for the follow-up and writes it, reading the
/// original's objects from `store`; touches nothing.
///
/// # Errors
/// As [`follow_up`], up to the message being built.
fn write(
    env: &Env<'_>,
    config: &Config,
    input: &Input,
    c: &Case,
    store: &Store,
    now: DateTime<Utc>,
    signer: Option<&mail::dkim::Signer>,
) -> Result<Written, Error> {
    let extra = config.extra_days(c.calendar);
    if !c.original.delivery.has_left() {
        let (message, hint) = super::dispatched::not_sent(c);
        return Err(wrong(c, message, hint));
    }
    if c.closed_at.is_some() {
        return Err(wrong(c, "the case is closed", "nothing more to do"));
    }
    let due = c.due(&extra)?;
    let overdue = c.is_overdue(now, &extra)?;
    let (_, original_ctx_bytes) = object(store, &c.original, role::CONTEXT)?.ok_or_else(|| {
        wrong(c, "the original letter's context is not in the evidence store (purged?)", "write this letter by hand")
    })?;
    let mut ctx: LetterContext = serde_json::from_slice(&original_ctx_bytes).map_err(|e| {
        wrong(c, format!("the stored letter context does not parse: {e}"), "the evidence store was altered")
    })?;
    let original_subject = match object(store, &c.original, role::LETTER)? {
        Some((_, b)) => String::from_utf8_lossy(&b).lines().next().unwrap_or_default().to_string(),
        None => String::new(),
    };
    let sent_at = c.original.sent_at.unwrap_or(c.original.prepared_at);
    // A letter posted or submitted by the user: the day it went.
    let sent_date = match &c.original.dispatch {
        Some(d) if d.via != Channel::Email => d.on,
        _ => sent_at.with_timezone(&c.calendar.time_zone()).date_naive(),
    };
    let today = now.with_timezone(&c.calendar.time_zone()).date_naive();
    let original_deadline = due.as_ref().map(|d| d.date).or(c.original.prepared.confirm_by).unwrap_or(sent_date);
    let sent_followups: Vec<&Message> = c.followups.iter().filter(|m| m.delivery.has_left()).collect();

    ctx.date = today;
    ctx.identity_record = None;
    ctx.confirmed_preconditions = Vec::new();
    ctx.policy_notes = Vec::new();
    ctx.erasure = None;
    ctx.access = None;
    ctx.processor_deletion = None;
    let mut attachments: Vec<mail::message::Attachment> = Vec::new();
    let mut new_deadline = None;
    let (to, references, in_reply_to, authority_id);
    match &input.kind {
        Kind::Reminder { days } => {
            if c.is_settled() {
                return Err(wrong(
                    c,
                    "the company has answered for good",
                    "nothing to remind of; `dsr complain` if the answer is wrong",
                ));
            }
            if !overdue && !input.force {
                return Err(wrong(
                    c,
                    format!(
                        "its deadline has not passed (overdue only after {})",
                        due.map(|d| d.later.to_string()).unwrap_or_default()
                    ),
                    "wait, or pass --force to remind anyway",
                ));
            }
            let d = deadline::add_days_rolled(today, *days, c.calendar, &extra)?;
            new_deadline = Some(d);
            ctx.kind = LetterKind::Reminder;
            ctx.lang = input.lang.unwrap_or(ctx.lang);
            ctx.reminder = Some(Reminder {
                original_kind: c.kind,
                original_date: sent_date,
                original_message_id: c.original.message_id.bracketed(),
                original_subject,
                original_deadline,
                new_deadline: d,
            });
            to = c.original.prepared.to.clone();
            in_reply_to = Some(c.original.message_id.clone());
            references = c.message_ids().cloned().collect::<Vec<_>>();
            authority_id = None;
        }
        Kind::Complaint { authority: id, reason, details } => {
            if !c.kind.is_data_subject_right() {
                return Err(wrong(
                    c,
                    "a processor's deletion instruction is a contractual matter, not a data subject's right",
                    "enforce it under the data processing agreement; Art. 77 complaints are for data subjects' rights",
                ));
            }
            if !overdue && !input.force && !c.replies.iter().any(|r| r.outcome == event::Outcome::Refused) {
                return Err(wrong(
                    c,
                    "its deadline has not passed and the company has not refused",
                    "wait, or pass --force to complain anyway",
                ));
            }
            let a = authority::get(id)?;
            if input.via == Channel::Post && a.address.is_empty() {
                return Err(Error::usage(
                    format!("authority '{id}' ({}) has no postal address", a.name),
                    "complain by email instead (leave --via out)",
                ));
            }
            // By post the letter goes to the authority's postal address;
            // by email its address is required.
            let email = match (input.via, a.email.clone()) {
                (Channel::Post, e) => e,
                (_, Some(e)) => Some(e),
                (_, None) => {
                    return Err(Error::usage(
                        format!("authority '{id}' ({}) has no email address", a.name),
                        a.complaint_form.clone().map_or_else(
                            || format!("send the complaint by post (`--via post`, to {})", a.address.join(", ")),
                            |f| format!("use its complaint form: {f}"),
                        ),
                    ));
                }
            };
            let lang =
                input.lang.unwrap_or_else(|| a.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(Lang::En));
            let reminder = sent_followups.iter().rev().find(|m| m.kind == LetterKind::Reminder).map(|m| SentMessage {
                date: m.sent_at.unwrap_or(m.prepared_at).with_timezone(&c.calendar.time_zone()).date_naive(),
                message_id: m.message_id.bracketed(),
            });
            let what = reason.unwrap_or(if c.replies.iter().any(|r| r.outcome == event::Outcome::Refused) {
                Failure::Refused
            } else {
                Failure::NoReply
            });
            // Attach the request and reminders as sent, and every reply.
            let mut evidence = Vec::new();
            let mut add = |filename: String, what: &str, bytes: Vec<u8>| {
                let sha256 = *crate::evidence::Sha256::digest(&bytes).as_bytes();
                evidence.push(EvidenceItem {
                    filename: filename.clone(),
                    description: locale::evidence_label(what, lang),
                    sha256,
                });
                attachments.push(mail::message::Attachment {
                    filename,
                    content_type: "application/octet-stream".into(),
                    bytes,
                });
            };
            // A message as it went: the .eml, or the PDF of a letter for post.
            let sent = |m: &Message| -> Result<Option<(&'static str, Vec<u8>)>, Error> {
                Ok(match object(store, m, role::MESSAGE)? {
                    Some((_, b)) => Some(("eml", b)),
                    None => object(store, m, role::PDF)?.map(|(_, b)| ("pdf", b)),
                })
            };
            if let Some((ext, b)) = sent(&c.original)? {
                add(format!("request.{ext}"), "request", b);
            }
            for (i, m) in sent_followups.iter().filter(|m| m.kind == LetterKind::Reminder).enumerate() {
                if let Some((ext, b)) = sent(m)? {
                    add(format!("reminder-{}.{ext}", i + 1), "reminder", b);
                }
            }
            let mut replies = Vec::new();
            for (i, r) in c.replies.iter().enumerate() {
                replies.push(ReplySummary {
                    date: r.date.unwrap_or(r.recorded_at).with_timezone(&c.calendar.time_zone()).date_naive(),
                    summary: locale::outcome_label(r.outcome.name(), lang),
                });
                if let Some(o) = r.objects.iter().find(|o| o.role == role::REPLY) {
                    add(format!("reply-{}.eml", i + 1), "reply", store.get(&o.sha256)?);
                }
            }
            let controller = Party {
                name: ctx.recipient.name.clone(),
                address: ctx.recipient.address.clone(),
                email: ctx.recipient.email.clone(),
            };
            ctx.kind = LetterKind::Complaint;
            ctx.lang = lang;
            ctx.recipient = Recipient { name: a.name.clone(), address: a.address.clone(), email: email.clone() };
            ctx.complaint = Some(Complaint {
                controller,
                request_kind: c.kind,
                request: SentMessage { date: sent_date, message_id: c.original.message_id.bracketed() },
                deadline: original_deadline,
                reminder,
                what_went_wrong: what,
                details: details.clone(),
                replies,
                evidence,
            });
            ctx.reminder = None;
            to = email.into_iter().collect();
            in_reply_to = None;
            references = Vec::new();
            authority_id = Some(a.id.clone());
        }
    }
    ctx.attachments = attachments.iter().map(|a| a.filename.clone()).collect();
    if input.via == Channel::Email && to.is_empty() {
        return Err(wrong(
            c,
            format!("{} has no email address in this case's letter", ctx.recipient.name),
            "send it by post: pass --via post",
        ));
    }
    let letter = env.renderer.render(&ctx)?;
    let message_id = mail::message::generate_message_id(ctx.sender.email.domain(), &mail::message::random_id_bytes()?)?;
    let mut postal = vec![ctx.recipient.name.clone()];
    let skip = usize::from(ctx.recipient.address.first().is_some_and(|l| l.trim() == ctx.recipient.name.trim()));
    postal.extend(ctx.recipient.address.iter().skip(skip).cloned());
    if input.via == Channel::Post {
        let parts = super::post::Parts {
            ctx: &ctx,
            letter: &letter,
            recipient: postal,
            reference: Some(c.request.as_str()),
            deadline: new_deadline,
            presumed_receipt: None,
            posting_days: config.post.presumed_delivery_days,
            annexes: attachments.iter().map(|a| (a.filename.clone(), a.bytes.clone())).collect(),
            letter_id: message_id.as_str(),
            keywords: Vec::new(),
        };
        let (pdf, _warnings) = super::post::pdf_letter(env.renderer, &parts)?;
        let message = Outgoing::Letter { id: message_id, pdf };
        return Ok(Written { ctx, letter, to, new_deadline, in_reply_to, authority_id, attachments, message });
    }
    let spec = MessageSpec {
        attachments: attachments.clone(),
        in_reply_to: in_reply_to.clone(),
        references,
        ..MessageSpec::new(
            (ctx.sender.name.clone(), ctx.sender.email.clone()),
            to.iter().map(|a| (Some(ctx.recipient.name.clone()), a.clone())).collect(),
            letter.subject.clone(),
            letter.body.clone(),
            message_id,
            now,
        )
    };
    let message = Outgoing::Mail(mail::message::build(&spec, signer)?);
    Ok(Written { ctx, letter, to, new_deadline, in_reply_to, authority_id, attachments, message })
}
