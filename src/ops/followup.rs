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
//!    traffic yet, nothing stored or logged. The caller's `confirm` sees a
//!    [`Preview`] of it (the CLI asks on the terminal) and may stop here.
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
//!    (every attempt logged) or, without SMTP, to the outbox or a PDF.

use crate::Error;
use crate::address::EmailAddress;
use crate::case::event::{Event, Outcome, Prepared, role};
use crate::case::{self, Case, Message};
use crate::channel::Channel;
use crate::config::Config;
use crate::deadline::{self, ExtraDay};
use crate::evidence::{Log, ObjectRef, Store};
use crate::kind::LetterKind;
use crate::lang::Lang;
use crate::letter::context::{
    Capacity, Complaint, Conduct, DeliveryRecord, EvidenceItem, Extension, Failure, LetterContext, Party, Recipient,
    Reminder, ReplySummary, SentMessage,
};
use crate::letter::locale;
use crate::mail::{self, MessageId, MessageSpec};
use crate::ops::deliver::{self, Delivered, Env, Parcel, Route, Staged};
use crate::ops::preview::{Confirm, Preview};
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
        /// The complainant's habitual residence, when the original letter
        /// gives no postal address (Art. 77(1) GDPR).
        residence: Option<String>,
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
    /// What the user must know (a letter for post: an enclosure that is
    /// listed but not appended, to print and enclose).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
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
/// or logged); `confirm` refused the [`Preview`] (nothing stored or
/// logged); the log is locked (5) or damaged (4); delivery failed
/// ([`Error::Delivery`]: every attempt is logged).
pub fn follow_up(env: &Env<'_>, config: &Config, input: &Input, confirm: Confirm<'_>) -> Result<Report, Error> {
    let now = (env.now)();
    if input.via == Channel::Webform {
        return Err(Error::usage(crate::t!("cli.followup.webform"), crate::t!("cli.followup.webform-hint")));
    }
    // Settings first, so a configuration error stores nothing.
    let mut route = Route::for_channel(env, input.via)?;
    let signer = env.dkim.map(mail::dkim::Signer::load).transpose()?;
    let signer = signer.as_ref();
    // Every check and the whole letter first, from the log as it is now:
    // then the question, then (SMTP) the session, and only then the lock,
    // so that nobody waits on the lock while the user reads the question.
    let cases = super::cases::load(env.data_dir)?;
    let c = case::find(&cases, &input.request)?;
    let written = write(env, config, input, c, &Store::new(env.data_dir), now, signer)?;
    confirm(&written.preview(input.via))?;
    deliver::open(&mut route)?;
    let log = Log::open(env.data_dir)?;
    // Read the state again under the lock: another dsr may have acted
    // meanwhile. Then check and write again from the new state: a check
    // that fails now fails as it would have before the session was opened
    // (the session is dropped unused).
    let cases = super::cases::load(env.data_dir)?;
    let locked = case::find(&cases, &input.request)?;
    let written = if locked.lines == c.lines {
        written
    } else {
        let confirmed = written.preview(input.via);
        let rewritten = write(env, config, input, locked, log.store(), now, signer)?;
        // The answer was given for the letter shown: one that would now go
        // elsewhere, or with other attachments, is not sent unasked.
        if rewritten.preview(input.via) != confirmed {
            let hint = crate::t!("cli.followup.changed-hint");
            return Err(case::Error::wrong_state(locked, crate::t!("cli.followup.changed"), hint).into());
        }
        rewritten
    };
    let (mut log, c) = (log, locked.clone());
    let c = &c;
    let Written { ctx, letter, to, new_deadline, in_reply_to, authority_id, attachments, message, warnings } = written;

    let store = log.store();
    let rest: Vec<(&'static str, &[u8])> = attachments.iter().map(|a| (role::ATTACHMENT, a.bytes.as_slice())).collect();
    let (objects, message) = match message {
        Outgoing::Mail(message) => (
            deliver::store_artifacts(&|bytes| store.put(bytes), &message, &letter, &ctx, &rest)?,
            Parcel::Mail(message),
        ),
        Outgoing::Letter { id, pdf } => {
            let text = super::salt::text(&format!("{}\n\n{}", letter.subject, letter.body))?;
            let context = super::salt::json(&ctx, true)?;
            let head: [(&'static str, &[u8]); 3] =
                [(role::PDF, &pdf), (role::LETTER, &text), (role::CONTEXT, &context)];
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
        readdresses: None,
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
        warnings,
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
    warnings: Vec<String>,
}

impl Written {
    /// What the confirmation question shows about this letter.
    fn preview(&self, channel: Channel) -> Preview {
        Preview {
            kind: self.ctx.kind,
            recipient: self.ctx.recipient.name.clone(),
            to: self.to.clone(),
            cc: Vec::new(),
            channel,
            attachments: self.attachments.iter().map(|a| a.filename.clone()).collect(),
        }
    }
}

/// A follow-up as it leaves: an email, or a PDF letter for post.
enum Outgoing {
    Mail(mail::MessageBytes),
    Letter { id: MessageId, pdf: Vec<u8> },
}

/// What the log says about a case, as a follow-up letter states it: every
/// statement about the company's behaviour comes from here.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    /// The original's sending date, in the company's calendar.
    sent_date: NaiveDate,
    /// The deadline that applies or applied (extended after a recorded
    /// extension; the confirmation date of a processor deletion), whether
    /// or not the company has answered since.
    deadline: NaiveDate,
    /// What the company did.
    conduct: Conduct,
    /// Every reply, oldest first.
    replies: Vec<ReplySummary>,
    /// The latest reminder that left.
    reminder: Option<SentMessage>,
    /// The sender's server's acceptance of the request and each reminder.
    delivery: Vec<DeliveryRecord>,
}

impl Facts {
    /// Reads the facts of `c` (replies in `lang`).
    ///
    /// # Errors
    /// A date out of range.
    pub(crate) fn of(c: &Case, extra: &[ExtraDay], lang: Lang) -> Result<Facts, Error> {
        let tz = c.calendar.time_zone();
        let local = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
        let sent_at = c.original.sent_at.unwrap_or(c.original.prepared_at);
        // A letter posted or submitted by the user: the day it went.
        let sent_date = match &c.original.dispatch {
            Some(d) if d.via != Channel::Email => d.on,
            _ => local(sent_at),
        };
        // Not `due`: that ends once the company answered for good, but a
        // complaint about a refusal still states the period that applied.
        let period = c.period(extra)?;
        let deadline = period.as_ref().map(|d| d.date).or(c.original.prepared.confirm_by).unwrap_or(sent_date);
        let (_, later) = deadline::receipt_dates(sent_at, c.calendar, extra)?;
        let first_month_later = deadline::compute(later, c.calendar, extra)?.deadline;
        let mut conduct = Conduct { any: c.current_replies().next().is_some(), ..Conduct::default() };
        let mut replies = Vec::new();
        // A corrected outcome is stated as corrected, once.
        for r in c.current_replies() {
            let date = local(r.date.unwrap_or(r.recorded_at));
            replies.push(ReplySummary { date, summary: locale::outcome_label(r.outcome.name(), lang) });
            match r.outcome {
                Outcome::Acknowledged => {
                    conduct.acknowledged.get_or_insert(date);
                }
                Outcome::Extended => {
                    let until = match r.extended_to {
                        Some(d) => d,
                        None => period.as_ref().map_or(deadline, |d| d.date),
                    };
                    conduct.extension = Some(Extension { date, until, late: date > first_month_later });
                }
                Outcome::NeedsIdentity => conduct.identity_demand = Some(date),
                Outcome::Partial => conduct.partial = Some(date),
                Outcome::Refused => conduct.refusal = Some(date),
                Outcome::Confirmed => conduct.confirmed = Some(date),
            }
        }
        let sent: Vec<&Message> =
            c.followups.iter().filter(|m| m.delivery.has_left() && m.kind == LetterKind::Reminder).collect();
        let reminder = sent.last().map(|m| SentMessage {
            date: local(m.sent_at.unwrap_or(m.prepared_at)),
            message_id: format!("<{}>", m.message_id),
        });
        let mut delivery = Vec::new();
        for (reminder, m) in std::iter::once((false, &c.original)).chain(sent.iter().map(|m| (true, *m))) {
            if let (Some(at), Some(reply)) = (m.sent_at, &m.reply) {
                delivery.push(DeliveryRecord {
                    reminder,
                    at: at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    reply: reply.clone(),
                    delivered: m.delivered_at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
                });
            }
        }
        Ok(Facts { sent_date, deadline, conduct, replies, reminder, delivery })
    }

    /// Adds the user's notes (`dsr reply --note`) on the refusal and on
    /// the latest partial answer: the company's reasons, what is still
    /// missing. A note the store no longer holds is left out.
    ///
    /// # Errors
    /// The store cannot be read.
    pub(crate) fn with_notes(mut self, c: &Case, store: &Store) -> Result<Facts, Error> {
        let note = |outcome: Outcome| -> Result<Option<String>, Error> {
            let Some(reply) = c.current_replies().filter(|r| r.outcome == outcome).last() else {
                return Ok(None);
            };
            let Some(o) = reply.objects.iter().find(|o| o.role == role::NOTE) else {
                return Ok(None);
            };
            let bytes = match store.get(&o.sha256) {
                Ok(b) => b,
                Err(crate::evidence::Error::Object { problem: crate::evidence::ObjectProblem::Missing, .. }) => {
                    return Ok(None);
                }
                Err(e) => return Err(e.into()),
            };
            let text = String::from_utf8_lossy(super::salt::unsalted(&bytes)).trim().to_string();
            Ok((!text.is_empty()).then_some(text))
        };
        self.conduct.refusal_note = note(Outcome::Refused)?;
        self.conduct.partial_note = note(Outcome::Partial)?;
        Ok(self)
    }
}

/// The reminder, from the original letter's context: pure (the tests
/// render every situation through it).
///
/// # Errors
/// The case is settled; the deadline has not passed and `force` is not set.
#[allow(clippy::too_many_arguments)]
pub(crate) fn reminder_context(
    c: &Case,
    mut ctx: LetterContext,
    facts: &Facts,
    original_subject: String,
    today: NaiveDate,
    new_deadline: NaiveDate,
    overdue: bool,
    input: &Input,
) -> Result<LetterContext, Error> {
    if c.is_settled() {
        return Err(wrong(c, crate::t!("cli.followup.settled"), crate::t!("cli.followup.settled-hint")));
    }
    if !overdue && !input.force {
        return Err(wrong(
            c,
            crate::t!(
                "followup.not-overdue",
                date = c.due(&[]).ok().flatten().map(|d| d.later.to_string()).unwrap_or_default()
            ),
            crate::t!("followup.not-overdue-hint"),
        ));
    }
    clear_initial(&mut ctx, today);
    ctx.kind = LetterKind::Reminder;
    ctx.lang = input.lang.unwrap_or(ctx.lang);
    ctx.reminder = Some(Reminder {
        original_kind: c.kind,
        original_date: facts.sent_date,
        original_message_id: format!("<{}>", c.original.message_id),
        original_subject,
        original_deadline: facts.deadline,
        new_deadline,
        period_running: today <= facts.deadline,
        conduct: facts.conduct.clone(),
    });
    ctx.attachments = Vec::new();
    Ok(ctx)
}

/// What a complaint needs beyond the case and the original context.
pub(crate) struct ComplaintInput<'a> {
    /// The authority complained to.
    pub authority: &'a authority::Authority,
    /// Its complaint address (`None`: the complaint goes by post).
    pub email: Option<EmailAddress>,
    /// What went wrong, as the user named it (`--reason`).
    pub reason: Option<Failure>,
    /// The user's words (`--details`).
    pub details: Option<String>,
    /// The complainant's habitual residence (`--residence`).
    pub residence: Option<String>,
    /// The attached evidence files.
    pub evidence: Vec<EvidenceItem>,
    /// The letter's language.
    pub lang: Lang,
}

/// The complaint, from the original letter's context: pure (the tests
/// render every situation through it).
///
/// # Errors
/// A reason that the recorded replies contradict (a refusal that was never
/// recorded, "no reply" while the period runs or after an answer), no
/// address or residence of the complainant (Art. 77(1) GDPR).
pub(crate) fn complaint_context(
    c: &Case,
    mut ctx: LetterContext,
    facts: &Facts,
    today: NaiveDate,
    input: ComplaintInput<'_>,
) -> Result<LetterContext, Error> {
    let k = &facts.conduct;
    let what = input.reason.unwrap_or(if k.refusal.is_some() {
        Failure::Refused
    } else if k.partial.is_some() {
        Failure::Incomplete
    } else {
        Failure::NoReply
    });
    let period_running = today <= facts.deadline;
    let recorded = |needed: &str| {
        wrong(
            c,
            crate::t!("cli.followup.reason-unrecorded", reason = what.name().replace('_', "-"), needed = needed),
            crate::t!("cli.followup.reason-unrecorded-hint", needed = needed),
        )
    };
    match what {
        Failure::NoReply if k.refusal.is_some() || k.partial.is_some() || k.confirmed.is_some() => {
            return Err(wrong(c, crate::t!("cli.followup.answered"), crate::t!("cli.followup.answered-hint")));
        }
        Failure::NoReply if period_running => {
            return Err(wrong(
                c,
                crate::t!("cli.followup.period-running", date = facts.deadline),
                crate::t!("cli.followup.period-running-hint"),
            ));
        }
        Failure::Refused if k.refusal.is_none() => return Err(recorded("refused")),
        Failure::Incomplete if k.partial.is_none() && k.confirmed.is_none() => return Err(recorded("partial")),
        Failure::ExtendedWithoutReasons if k.extension.is_none() => return Err(recorded("extended")),
        Failure::ExcessiveIdentification if k.identity_demand.is_none() => return Err(recorded("needs-identity")),
        _ => {}
    }
    let complainant_address = match ctx.capacity {
        Capacity::Representative => ctx.data_subject.as_ref().map(|d| d.address.clone()).unwrap_or_default(),
        _ => ctx.sender.address.clone(),
    };
    let residence = input.residence.filter(|r| !r.trim().is_empty());
    if complainant_address.is_empty() && residence.is_none() {
        return Err(wrong(c, crate::t!("cli.followup.no-residence"), crate::t!("cli.followup.no-residence-hint")));
    }
    let controller = Party {
        name: ctx.recipient.name.clone(),
        address: ctx.recipient.address.clone(),
        email: ctx.recipient.email.clone(),
    };
    clear_initial(&mut ctx, today);
    ctx.kind = LetterKind::Complaint;
    ctx.lang = input.lang;
    let a = input.authority;
    ctx.recipient = Recipient { name: a.name.clone(), address: a.address.clone(), email: input.email };
    ctx.reminder = None;
    ctx.attachments = input.evidence.iter().map(|e| e.filename.clone()).collect();
    ctx.complaint = Some(Complaint {
        controller,
        request_kind: c.kind,
        request: SentMessage { date: facts.sent_date, message_id: format!("<{}>", c.original.message_id) },
        deadline: facts.deadline,
        reminder: facts.reminder.clone(),
        what_went_wrong: what,
        details: input.details,
        replies: facts.replies.clone(),
        evidence: input.evidence,
        conduct: facts.conduct.clone(),
        period_running,
        complainant_address,
        residence,
        delivery: facts.delivery.clone(),
    });
    Ok(ctx)
}

/// Drops what only the original letter says.
fn clear_initial(ctx: &mut LetterContext, today: NaiveDate) {
    ctx.date = today;
    ctx.identity_record = None;
    ctx.confirmed_preconditions = Vec::new();
    ctx.policy_notes = Vec::new();
    ctx.erasure = None;
    ctx.access = None;
    ctx.processor_deletion = None;
    ctx.period = None;
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
        return Err(wrong(c, crate::t!("cli.followup.closed"), crate::t!("cli.followup.closed-hint")));
    }
    let overdue = c.is_overdue(now, &extra)?;
    let (_, original_ctx_bytes) = object(store, &c.original, role::CONTEXT)?.ok_or_else(|| {
        wrong(c, crate::t!("cli.followup.context-missing"), crate::t!("cli.followup.context-missing-hint"))
    })?;
    let original: LetterContext = serde_json::from_slice(&original_ctx_bytes).map_err(|e| {
        wrong(c, crate::t!("cli.followup.context-bad", error = e), crate::t!("cli.followup.context-bad-hint"))
    })?;
    let original_subject = match object(store, &c.original, role::LETTER)? {
        Some((_, b)) => String::from_utf8_lossy(&b).lines().next().unwrap_or_default().to_string(),
        None => String::new(),
    };
    let today = now.with_timezone(&c.calendar.time_zone()).date_naive();
    let sent_followups: Vec<&Message> = c.followups.iter().filter(|m| m.delivery.has_left()).collect();

    let mut attachments: Vec<mail::message::Attachment> = Vec::new();
    let mut new_deadline = None;
    let (ctx, to, references, in_reply_to, authority_id): (LetterContext, Vec<EmailAddress>, Vec<MessageId>, _, _);
    match &input.kind {
        Kind::Reminder { days } => {
            let lang = input.lang.unwrap_or(original.lang);
            let facts = Facts::of(c, &extra, lang)?.with_notes(c, store)?;
            let d = deadline::add_days_rolled(today, *days, c.calendar, &extra)?;
            new_deadline = Some(d);
            ctx = reminder_context(c, original, &facts, original_subject, today, d, overdue, input)?;
            to = c.original.prepared.to.clone();
            in_reply_to = Some(c.original.message_id.clone());
            references = c.message_ids().cloned().collect::<Vec<_>>();
            authority_id = None;
        }
        Kind::Complaint { authority: id, reason, details, residence } => {
            if !c.kind.is_data_subject_right() {
                return Err(wrong(c, crate::t!("cli.followup.processor"), crate::t!("cli.followup.processor-hint")));
            }
            if !overdue && !input.force && !c.current_replies().any(|r| r.outcome == Outcome::Refused) {
                return Err(wrong(
                    c,
                    crate::t!("cli.followup.complaint-early"),
                    crate::t!("cli.followup.complaint-early-hint"),
                ));
            }
            let a = authority::get(id)?;
            if input.via == Channel::Post && a.address.is_empty() {
                return Err(Error::usage(
                    crate::t!("cli.followup.authority-no-address", id = id, name = a.name),
                    crate::t!("cli.followup.authority-no-address-hint"),
                ));
            }
            // By post the letter goes to the authority's postal address;
            // by email its address is required.
            let email = match (input.via, a.email.clone()) {
                (Channel::Post, e) => e,
                (_, Some(e)) => Some(e),
                (_, None) => {
                    return Err(Error::usage(
                        crate::t!("cli.followup.authority-no-email", id = id, name = a.name),
                        a.complaint_form.clone().map_or_else(
                            || crate::t!("cli.followup.authority-by-post", address = a.address.join(", ")),
                            |f| crate::t!("cli.followup.authority-form", form = f),
                        ),
                    ));
                }
            };
            let lang =
                input.lang.unwrap_or_else(|| a.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(Lang::En));
            let facts = Facts::of(c, &extra, lang)?.with_notes(c, store)?;
            // Attach the request and reminders as sent, and every reply.
            let mut evidence = Vec::new();
            let mut add = |filename: String, what: &str, bytes: Vec<u8>| {
                let sha256 = *crate::evidence::Sha256::digest(&bytes).as_bytes();
                evidence.push(EvidenceItem {
                    filename: filename.clone(),
                    description: locale::evidence_label(what, lang),
                    sha256,
                });
                // A message is mail (RFC 2046 §5.2.1), readable in place;
                // a letter for post is its PDF.
                let content_type = if filename.ends_with(".pdf") { "application/pdf" } else { "message/rfc822" };
                attachments.push(mail::message::Attachment { filename, content_type: content_type.into(), bytes });
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
            for (i, r) in c.current_replies().enumerate() {
                if let Some(o) = r.objects.iter().find(|o| o.role == role::REPLY) {
                    add(format!("reply-{}.eml", i + 1), "reply", store.get(&o.sha256)?);
                }
            }
            let input = ComplaintInput {
                authority: &a,
                email: email.clone(),
                reason: *reason,
                details: details.clone(),
                residence: residence.clone(),
                evidence,
                lang,
            };
            ctx = complaint_context(c, original, &facts, today, input)?;
            to = email.into_iter().collect();
            in_reply_to = None;
            references = Vec::new();
            authority_id = Some(a.id.clone());
        }
    }
    if input.via == Channel::Email && to.is_empty() {
        return Err(wrong(
            c,
            crate::t!("cli.followup.no-email", name = ctx.recipient.name),
            crate::t!("cli.followup.no-email-hint"),
        ));
    }
    let letter = env.renderer.render(&ctx)?;
    let message_id = mail::message::generate_message_id(ctx.sender.email.domain(), &mail::message::random_id_bytes()?)?;
    let mut postal = vec![ctx.recipient.name.clone()];
    let skip = usize::from(ctx.recipient.address.first().is_some_and(|l| l.trim() == ctx.recipient.name.trim()));
    postal.extend(ctx.recipient.address.iter().skip(skip).cloned());
    if input.via == Channel::Post {
        if ctx.sender.address.is_empty() {
            return Err(wrong(
                c,
                crate::t!("cli.followup.no-sender-address", name = ctx.sender.name),
                crate::t!("cli.followup.no-sender-address-hint"),
            ));
        }
        let (keywords, warning) = super::post::checkpoint_keywords(env.data_dir)?;
        let mut warnings: Vec<String> = warning.into_iter().collect();
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
            keywords,
        };
        let (pdf, more) = super::post::pdf_letter(env.renderer, &parts)?;
        warnings.extend(more);
        let message = Outgoing::Letter { id: message_id, pdf };
        return Ok(Written {
            ctx,
            letter,
            to,
            new_deadline,
            in_reply_to,
            authority_id,
            attachments,
            message,
            warnings,
        });
    }
    let spec = MessageSpec {
        attachments: attachments.clone(),
        in_reply_to: in_reply_to.clone(),
        references,
        checkpoint: super::post::witness_checkpoint(env.data_dir)?.ok().flatten().map(|c| c.note.note),
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
    let warnings = Vec::new();
    Ok(Written { ctx, letter, to, new_deadline, in_reply_to, authority_id, attachments, message, warnings })
}

#[cfg(test)]
mod tests {
    //! Follow-up letters written from synthetic cases: every statement
    //! about the company's behaviour must match the recorded replies, and
    //! every date the real situation. Golden files:
    //! `tests/golden/letters/<lang>/followup-<scenario>.txt`.

    use super::*;
    use crate::case::Delivery;
    use crate::case::event::Route as LoggedRoute;
    use crate::case::state::{Kept, Reply};
    use crate::deadline::CalendarCode;
    use crate::letter::Renderer;
    use crate::letter::golden_tests::fixture;
    use crate::snapshot::assert_golden;

    fn t(s: &str) -> DateTime<Utc> {
        crate::evidence::parse_time(s).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn message(kind: LetterKind, id: &str, sent: &str) -> Message {
        Message {
            seq: 1,
            kind,
            message_id: id.parse().unwrap(),
            prepared_at: t(sent),
            delivery: Delivery::Sent,
            sent_at: Some(t(sent)),
            reply: Some("250 2.0.0 Ok: queued as 4F2A9C".into()),
            failure: None,
            attempts: 1,
            outbox_file: None,
            authority: None,
            dispatch: None,
            delivered_at: None,
            reports: Vec::new(),
            failed_code: None,
            failed_stage: None,
            readdresses: None,
            prepared: Kept {
                lang: Lang::En,
                to: vec!["euprivacy@zendesk.com".parse().unwrap()],
                cc: vec![],
                confirm_by: None,
                stated_deadline: None,
                batch_key: None,
                objects: vec![],
                route: LoggedRoute::Smtp,
            },
        }
    }

    /// An erasure request to an Irish controller, accepted by the sender's
    /// server on Tue 1 Dec 2026 at 10:15 UTC: the deadline is Mon 4 Jan 2027
    /// (1 Jan is New Year's Day, then a weekend).
    fn case(replies: &[(Outcome, &str)]) -> Case {
        let original = message(LetterKind::Erasure, "20261201101500.4f2a9c@dsr.example.org", "2026-12-01T10:15:00Z");
        Case {
            request: "r_aaaaaaaaaaaaaaaa".parse().unwrap(),
            kind: LetterKind::Erasure,
            policy: "zendesk".parse().unwrap(),
            company: "Zendesk International Ltd.".into(),
            calendar: CalendarCode::Ie,
            original,
            followups: vec![],
            superseded: vec![],
            replies: replies
                .iter()
                .enumerate()
                .map(|(i, (outcome, date))| Reply {
                    seq: 2 + i as u64,
                    recorded_at: t(&format!("{date}T12:00:00Z")),
                    outcome: *outcome,
                    message_id: Some(format!("reply{i}@zendesk.example")),
                    date: Some(t(&format!("{date}T09:00:00Z"))),
                    extended_to: (*outcome == Outcome::Extended).then(|| d("2027-03-01")),
                    objects: vec![],
                    amends: None,
                    amended_by: None,
                })
                .collect(),
            received: vec![],
            closed_at: None,
            lines: vec![1],
            last_activity: t("2026-12-01T10:15:00Z"),
        }
    }

    fn original(lang: Lang, case: &str) -> LetterContext {
        let mut c = fixture(LetterKind::Erasure, lang, case);
        c.date = d("2026-12-01");
        c
    }

    fn input(kind: Kind, force: bool) -> Input {
        Input { request: "r_aaaaaaaaaaaaaaaa".into(), kind, lang: None, force, via: Channel::Email }
    }

    /// The facts of `c`, with `note` as the user's note on its refusal or
    /// partial answer (what [`Facts::with_notes`] reads from the store).
    fn facts(c: &Case, lang: Lang, note: Option<&str>) -> Result<Facts, Error> {
        let mut facts = Facts::of(c, &[], lang)?;
        let note = note.map(String::from);
        if facts.conduct.refusal.is_some() {
            facts.conduct.refusal_note.clone_from(&note);
        }
        if facts.conduct.partial.is_some() {
            facts.conduct.partial_note = note;
        }
        Ok(facts)
    }

    fn remind(c: &Case, lang: Lang, who: &str, today: &str, force: bool) -> Result<String, Error> {
        remind_noted(c, lang, who, today, force, None)
    }

    fn remind_noted(
        c: &Case,
        lang: Lang,
        who: &str,
        today: &str,
        force: bool,
        note: Option<&str>,
    ) -> Result<String, Error> {
        let now = t(&format!("{today}T12:00:00Z"));
        let facts = facts(c, lang, note)?;
        let today = d(today);
        let new = deadline::add_days_rolled(today, 14, c.calendar, &[])?;
        let overdue = c.is_overdue(now, &[])?;
        // The subject line the original went out with, for this sender.
        let subject = Renderer::new(None)?.render(&original(lang, who))?.subject;
        let input = input(Kind::Reminder { days: 14 }, force);
        let ctx = reminder_context(c, original(lang, who), &facts, subject, today, new, overdue, &input)?;
        Ok(Renderer::new(None)?.render(&ctx)?.body)
    }

    fn complain(c: &Case, lang: Lang, who: &str, today: &str, reason: Option<Failure>) -> Result<String, Error> {
        complain_noted(c, lang, who, today, reason, None)
    }

    fn complain_noted(
        c: &Case,
        lang: Lang,
        who: &str,
        today: &str,
        reason: Option<Failure>,
        note: Option<&str>,
    ) -> Result<String, Error> {
        let facts = facts(c, lang, note)?;
        let a = authority::get("ie-dpc")?;
        let evidence = vec![EvidenceItem {
            filename: "request.eml".into(),
            description: locale::evidence_label("request", lang),
            sha256: [7; 32],
        }];
        let input = ComplaintInput {
            authority: &a,
            email: Some("info@dataprotection.ie".parse().unwrap()),
            reason,
            details: None,
            residence: None,
            evidence,
            lang,
        };
        let ctx = complaint_context(c, original(lang, who), &facts, d(today), input)?;
        Ok(Renderer::new(None)?.render(&ctx)?.body)
    }

    fn golden(name: &str, lang: Lang, body: &str) {
        assert_golden(&format!("letters/{lang}/followup-{name}.txt"), body);
    }

    /// Defect 1: after a refusal the complaint states the deadline that
    /// applied (4 January 2027), not the sending date, and the refusal's date.
    #[test]
    fn a_complaint_after_a_refusal_keeps_the_deadline_and_dates_the_refusal() {
        let c = case(&[(Outcome::Refused, "2026-12-10")]);
        for lang in Lang::ALL {
            let after = complain(&c, lang, "person", "2027-01-20", None).unwrap();
            let (deadline, refused) = match lang {
                Lang::De => ("endete am Montag, 4. Januar 2027", "Mit Schreiben vom 10. Dezember 2026 hat der"),
                Lang::En => ("ended on Monday, 4 January 2027", "By its message of 10 December 2026, the"),
            };
            assert!(after.contains(deadline) && after.contains(refused), "{after}");
            assert!(!after.contains("1. Dezember 2026.") && !after.contains("1 December 2026."), "{after}");
            golden("complaint-after-refusal", lang, &after);
            // Within the period: it still runs.
            let within = complain(&c, lang, "person", "2026-12-15", None).unwrap();
            assert!(within.contains(if lang == Lang::De { "läuft noch" } else { "still running" }), "{within}");
            golden("complaint-refused-within-period", lang, &within);
        }
    }

    /// Defect 2: statements about the company follow the recorded replies.
    #[test]
    fn statements_about_the_company_follow_the_recorded_replies() {
        let extended = case(&[(Outcome::Acknowledged, "2026-12-02"), (Outcome::Extended, "2026-12-20")]);
        for lang in Lang::ALL {
            let body = complain(&extended, lang, "org", "2027-03-10", None).unwrap();
            let (untrue, ext) = match lang {
                Lang::De => ("weder eine Verlängerung", "bis zum 1. März 2027 verlängert"),
                Lang::En => ("neither communicated an extension", "until 1 March 2027"),
            };
            assert!(!body.contains(untrue) && body.contains(ext), "{body}");
            golden("complaint-after-extension", lang, &body);
            let body = remind(&extended, lang, "org", "2027-03-10", false).unwrap();
            assert!(!body.contains(if lang == Lang::De { "wurde mir nicht mitgeteilt" } else { "nor have I been" }));
            golden("reminder-after-extension", lang, &body);
        }
        let identity = case(&[(Outcome::NeedsIdentity, "2026-12-05")]);
        for lang in Lang::ALL {
            let body = remind(&identity, lang, "person", "2027-01-08", false).unwrap();
            assert!(body.contains(if lang == Lang::De { "Art. 12 Abs. 6" } else { "Article 12(6)" }), "{body}");
            golden("reminder-after-identity-demand", lang, &body);
            let body = complain(&identity, lang, "person", "2027-01-20", Some(Failure::ExcessiveIdentification));
            golden("complaint-excessive-identification", lang, &body.unwrap());
        }
        // A reason the log contradicts is refused.
        let e = complain(&case(&[]), Lang::En, "person", "2027-01-20", Some(Failure::Refused)).unwrap_err();
        assert!(e.to_string().contains("--reason refused needs a recorded refused"), "{e}");
        let e = complain(&extended, Lang::En, "person", "2027-03-10", Some(Failure::ExcessiveIdentification));
        assert!(e.unwrap_err().to_string().contains("needs-identity"));
        let partial = case(&[(Outcome::Partial, "2026-12-20")]);
        let e = complain(&partial, Lang::En, "person", "2027-01-20", Some(Failure::NoReply)).unwrap_err();
        assert!(e.to_string().contains("cannot say it did not reply"), "{e}");
        let missing = "The tickets of the support portal were not deleted.";
        for lang in Lang::ALL {
            let body = complain_noted(&partial, lang, "person", "2027-01-20", None, Some(missing)).unwrap();
            // Compared with the line breaks as spaces: the paragraph is wrapped.
            let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let (part, no_reply) = match lang {
                Lang::De => ("vom 20. Dezember 2026 hat der Verantwortliche den Antrag nur teilweise erfüllt", "weder"),
                Lang::En => ("of 20 December 2026, the controller complied with the request only in part", "neither"),
            };
            assert!(flat.contains(part) && flat.contains(missing) && !flat.contains(no_reply), "{body}");
            golden("complaint-after-partial-answer", lang, &body);
            let body = remind_noted(&partial, lang, "person", "2027-01-08", false, Some(missing)).unwrap();
            let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let part = match lang {
                Lang::De => "Ihre Antwort vom 20. Dezember 2026 erfüllt den Antrag nur teilweise.",
                Lang::En => "Your reply of 20 December 2026 complies with the request only in part.",
            };
            assert!(flat.contains(part) && flat.contains(missing), "{body}");
            golden("reminder-after-partial-answer", lang, &body);
        }
    }

    /// Defect 2, refusal: the complaint quotes the reasons the user noted
    /// with the refusal; without a note it says nothing about reasons.
    #[test]
    fn a_complaint_after_a_refusal_quotes_the_noted_reasons() {
        let c = case(&[(Outcome::Refused, "2026-12-10")]);
        let reasons = "Retention under tax law (section 147 AO) for ten years.";
        for lang in Lang::ALL {
            let body = complain_noted(&c, lang, "org", "2027-01-20", None, Some(reasons)).unwrap();
            let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let (intro, view) = match lang {
                Lang::De => ("Zur Begründung hat er, zusammengefasst, angegeben:", "Auffassung der betroffenen Person"),
                Lang::En => ("It gave the following reasons, in summary:", "the data subject's view"),
            };
            assert!(flat.contains(&format!("{intro} {reasons}")) && flat.contains(view), "{body}");
            golden("complaint-after-refusal-with-reasons", lang, &body);
            let without = complain(&c, lang, "org", "2027-01-20", None).unwrap();
            assert!(!without.contains(intro), "{without}");
        }
    }

    /// Defect 5: a forced reminder describes the running period and never
    /// claims the deadline passed; an ordinary one says its date does not
    /// extend the legal deadline.
    #[test]
    fn a_forced_reminder_says_the_period_still_runs() {
        let c = case(&[]);
        for lang in Lang::ALL {
            let e = remind(&c, lang, "person", "2026-12-10", false).unwrap_err();
            assert!(e.to_string().contains("has not passed"), "{e}");
            let body = remind(&c, lang, "person", "2026-12-10", true).unwrap();
            let (running, untrue) = match lang {
                Lang::De => ("läuft noch; sie endet am Montag, 4. Januar 2027.", "abgelaufen"),
                Lang::En => ("still running; it ends on Monday, 4 January 2027", "expired"),
            };
            let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(running) && !body.contains(untrue), "{body}");
            golden("reminder-forced-within-period", lang, &body);
            let body = remind(&c, lang, "person", "2027-01-08", false).unwrap();
            let extends = if lang == Lang::De {
                "verlängert die abgelaufene gesetzliche Frist nicht"
            } else {
                "does not extend the legal period"
            };
            assert!(body.contains(extends), "{body}");
            golden("reminder-overdue", lang, &body);
            // A complaint for "no reply" while the period runs is refused.
            let e = complain(&c, lang, "person", "2026-12-10", None).unwrap_err();
            assert!(e.to_string().contains("would be untrue"), "{e}");
        }
    }

    /// Point 16: the new kinds follow the same deadline rules and can be
    /// reminded of and complained about.
    #[test]
    fn every_data_subject_right_can_be_reminded_and_complained_about() {
        for kind in LetterKind::ALL.into_iter().filter(|k| k.is_data_subject_right()) {
            let mut c = case(&[]);
            c.kind = kind;
            c.original.kind = kind;
            for lang in Lang::ALL {
                let mut original = fixture(kind, lang, "person");
                original.date = d("2026-12-01");
                let facts = Facts::of(&c, &[], lang).unwrap();
                assert_eq!(facts.deadline, d("2027-01-04"), "{kind}: one month, rolled past New Year");
                let input = input(Kind::Reminder { days: 14 }, false);
                let today = d("2027-01-08");
                let ctx =
                    reminder_context(&c, original.clone(), &facts, "S".into(), today, d("2027-01-22"), true, &input)
                        .unwrap();
                let reminder = Renderer::new(None).unwrap().render(&ctx).unwrap();
                let a = authority::get("ie-dpc").unwrap();
                let input = ComplaintInput {
                    authority: &a,
                    email: Some("info@dataprotection.ie".parse().unwrap()),
                    reason: None,
                    details: None,
                    residence: None,
                    evidence: vec![],
                    lang,
                };
                let ctx = complaint_context(&c, original, &facts, d("2027-01-20"), input).unwrap();
                let complaint = Renderer::new(None).unwrap().render(&ctx).unwrap();
                let article = match kind {
                    LetterKind::Erasure => "17",
                    LetterKind::Access => "15",
                    LetterKind::Rectification => "16",
                    LetterKind::Objection => "21",
                    LetterKind::Restriction => "18",
                    LetterKind::Portability => "20",
                    _ => unreachable!("data-subject rights only"),
                };
                let cite =
                    if lang == Lang::De { format!("Art. {article} DSGVO") } else { format!("Article {article} GDPR") };
                for (what, body) in [("reminder", &reminder.body), ("complaint", &complaint.body)] {
                    assert!(body.contains(&cite), "{kind} {what} {lang}: {body}");
                }
                assert!(reminder.subject.contains(&cite) || reminder.subject.contains(article), "{}", reminder.subject);
                if kind != LetterKind::Erasure && kind != LetterKind::Access {
                    assert_golden(&format!("letters/{lang}/followup-reminder-{kind}.txt"), &reminder.body);
                    assert_golden(&format!("letters/{lang}/followup-complaint-{kind}.txt"), &complaint.body);
                }
            }
        }
    }

    /// Defect 9: the complainant's address, the sender's server's
    /// acceptance among the evidence, no request to forward.
    #[test]
    fn a_complaint_names_the_complainants_address_and_the_delivery_evidence() {
        let c = case(&[]);
        for lang in Lang::ALL {
            let body = complain(&c, lang, "person", "2027-01-20", None).unwrap();
            assert!(body.contains("  Musterstraße 12\n  10115 Berlin"), "{body}");
            assert!(body.contains("250 2.0.0 Ok: queued as 4F2A9C") && body.contains("2026-12-01 10:15:00"), "{body}");
            assert!(!body.contains("Weiterleitung") && !body.contains("forward"), "{body}");
            golden("complaint-no-reply", lang, &body);
            let mut no_address = original(lang, "person");
            no_address.sender.address.clear();
            let facts = Facts::of(&c, &[], lang).unwrap();
            let a = authority::get("ie-dpc").unwrap();
            let input = |residence: Option<&str>| ComplaintInput {
                authority: &a,
                email: Some("info@dataprotection.ie".parse().unwrap()),
                reason: None,
                details: None,
                residence: residence.map(String::from),
                evidence: vec![],
                lang,
            };
            let e = complaint_context(&c, no_address.clone(), &facts, d("2027-01-20"), input(None)).unwrap_err();
            assert!(e.to_string().contains("Art. 77(1)"), "{e}");
            let ctx = complaint_context(&c, no_address, &facts, d("2027-01-20"), input(Some("Deutschland"))).unwrap();
            let body = Renderer::new(None).unwrap().render(&ctx).unwrap().body;
            assert!(body.contains(": Deutschland\n"), "{body}");
        }
    }
}
