//! `send --readdress REQUEST --to-address NEW`: the letter of a message
//! that was refused for good (a 5xx when it was sent, or a bounce report),
//! sent again as a new message to a corrected address, in the same case.
//!
//! `send --retry` sends the stored bytes again, unchanged: after a
//! permanent refusal that cannot help, so it refuses and points here. A
//! readdressed letter is the same letter (same kind, language, sender,
//! identifiers and attachments, re-rendered from the stored letter context)
//! dated today, with a new Message-ID, threaded to the refused message
//! (`In-Reply-To`, `References`), to the new address. Its `prepared` names
//! the refused message and the reason (`readdresses`), and the case then
//! counts its deadline from the new message's acceptance: the folded case
//! puts it in the refused message's place ([`crate::case::Case::superseded`]).
//!
//! It goes through the one delivery pipeline ([`deliver`]) in the order of
//! every send: every check and the whole message first (nothing stored),
//! then the SMTP session, then the log is locked and the case read again,
//! then objects, `prepared`, delivery and its outcome.

use crate::Error;
use crate::address::EmailAddress;
use crate::case::event::{Event, Prepared, Readdresses, role};
use crate::case::{self, Case, Message};
use crate::config::Config;
use crate::deadline;
use crate::evidence::{Log, ObjectRef, Store};
use crate::letter::context::{LetterContext, Period};
use crate::mail::{self, MessageBytes, MessageId, MessageSpec};
use crate::ops::deliver::{self, Delivered, Env, Route, Staged};
use chrono::{DateTime, NaiveDate, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use serde::Serialize;

/// The result.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The case.
    pub request: String,
    /// The new message's Message-ID.
    pub message_id: MessageId,
    /// The refused message it replaces.
    pub readdresses: MessageId,
    /// Why (`readdressed after 550 at rcpt_to for …`).
    pub reason: String,
    /// The subject line.
    pub subject: String,
    /// The new address.
    pub to: Vec<EmailAddress>,
    /// The deadline the new letter states (data-subject rights).
    pub deadline: Option<NaiveDate>,
    /// How it left.
    pub delivered: Delivered,
}

/// What a readdress would do, for the confirmation question.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The refused message.
    pub refused: MessageId,
    /// Its refusal, as the reason names it.
    pub reason: String,
    /// The new address.
    pub to: EmailAddress,
}

fn wrong(c: &Case, message: impl Into<String>, hint: impl Into<String>) -> Error {
    case::Error::wrong_state(c, message, hint).into()
}

/// Reads `--to-address`.
///
/// # Errors
/// Not an email address (exit 2).
pub fn parse_address(text: &str) -> Result<EmailAddress, Error> {
    crate::address::parse_email(text.trim()).map_err(|e| {
        Error::usage(
            crate::t!("ops.readdress.bad-address", text = text, error = e),
            crate::t!("ops.readdress.bad-address-hint"),
        )
    })
}

/// The checks of `--readdress` on the case as it is: a message refused for
/// good, and a new address that was not refused already.
///
/// # Errors
/// The case has no permanently refused message, or `to` was refused before
/// (exit 2).
fn check(c: &Case, to: &EmailAddress) -> Result<Plan, Error> {
    let Some((m, r)) = c.refused() else {
        return Err(wrong(
            c,
            crate::t!("ops.readdress.nothing-refused"),
            crate::t!("ops.readdress.nothing-refused-hint"),
        ));
    };
    let same = |a: &EmailAddress| a.as_ref().eq_ignore_ascii_case(to.as_ref());
    if c.refused_addresses().iter().any(same) {
        return Err(Error::usage(
            crate::t!("ops.readdress.refused-already", to = to, request = c.request, what = r.what()),
            crate::t!("ops.readdress.refused-already-hint"),
        ));
    }
    Ok(Plan { refused: m.message_id.clone(), reason: r.reason(), to: to.clone() })
}

/// Looks up what `--readdress REQUEST --to-address TO` would do, before
/// anything is stored.
///
/// # Errors
/// Unknown request; as [`check`].
pub fn plan(env: &Env<'_>, request: &str, to: &EmailAddress) -> Result<Plan, Error> {
    let cases = super::cases::load(env.data_dir)?;
    let c = case::find(&cases, request)?;
    check(c, to)
}

fn object(store: &Store, m: &Message, wanted: &str) -> Result<Option<Vec<u8>>, Error> {
    match m.prepared.objects.iter().find(|o| o.role == wanted) {
        None => Ok(None),
        Some(r) => Ok(Some(store.get(&r.sha256)?)),
    }
}

/// A readdressed letter, built but not yet stored or sent.
struct Written {
    plan: Plan,
    ctx: LetterContext,
    letter: crate::letter::Letter,
    message: MessageBytes,
    /// The refused message's other objects (identity record, tag,
    /// mandate, evidence, attachments), stored again with the new one.
    rest: Vec<(&'static str, Vec<u8>)>,
    deadline: Option<NaiveDate>,
    kept: case::Kept,
    kind: crate::kind::LetterKind,
}

/// The roles of a message's objects the pipeline writes itself.
const OWN: [&str; 4] = [role::MESSAGE, role::ENVELOPE, role::LETTER, role::CONTEXT];

/// The roles that are the message's attachments, in the order
/// `send` attaches them.
const ATTACHED: [&str; 5] = [role::IDENTITY_TXT, role::IDENTITY_JSON, role::MANDATE, role::EVIDENCE, role::ATTACHMENT];

/// A stored role name as the `'static` one the pipeline logs.
fn static_role(r: &str) -> Option<&'static str> {
    [role::IDENTITY_TXT, role::IDENTITY_JSON, super::guard::TAG, role::MANDATE, role::EVIDENCE, role::ATTACHMENT]
        .into_iter()
        .find(|x| *x == r)
}

#[allow(clippy::too_many_arguments)]
fn write(
    env: &Env<'_>,
    config: &Config,
    c: &Case,
    to: &EmailAddress,
    store: &Store,
    now: DateTime<Utc>,
    signer: Option<&mail::dkim::Signer>,
) -> Result<Written, Error> {
    let plan = check(c, to)?;
    let m = c
        .refused()
        .map(|(m, _)| m)
        .ok_or_else(|| wrong(c, crate::t!("ops.readdress.changed"), crate::t!("ops.readdress.changed-hint")))?;
    let purged = |what: String| {
        wrong(c, crate::t!("ops.readdress.purged", what = what), crate::t!("ops.readdress.write-again-hint"))
    };
    let ctx_bytes =
        object(store, m, role::CONTEXT)?.ok_or_else(|| purged(crate::t!("ops.readdress.purged-context")))?;
    let mut ctx: LetterContext = serde_json::from_slice(&ctx_bytes).map_err(|e| {
        wrong(c, crate::t!("ops.readdress.context-unparsable", error = e), crate::t!("ops.readdress.altered-hint"))
    })?;
    let stored = object(store, m, role::MESSAGE)?.ok_or_else(|| purged(crate::t!("ops.readdress.purged-message")))?;
    let parsed = MessageParser::default().parse(&stored).ok_or_else(|| {
        wrong(c, crate::t!("ops.readdress.message-unparsable"), crate::t!("ops.readdress.altered-hint"))
    })?;
    // The same letter, dated today: an email is received the day it is
    // sent, so the period the letter states runs from today.
    let today = now.with_timezone(&c.calendar.time_zone()).date_naive();
    ctx.date = today;
    let mut stated = m.prepared.stated_deadline;
    if ctx.kind.is_data_subject_right() {
        let d = deadline::compute(today, c.calendar, &config.extra_days(c.calendar))?;
        if let Some(e) = ctx.erasure.as_mut() {
            e.deadline = d.deadline;
        }
        if let Some(a) = ctx.access.as_mut() {
            a.deadline = d.deadline;
        }
        ctx.period = Some(Period { received: today, deadline: d.deadline });
        stated = Some(d.deadline);
    }
    ctx.recipient.email = Some(to.clone());
    let letter = env.renderer.render(&ctx)?;

    // The attachments as they went: the stored objects, named as in the
    // refused message.
    let names: Vec<String> =
        parsed.attachments().map(|p| p.attachment_name().unwrap_or("attachment").to_string()).collect();
    let attached: Vec<&ObjectRef> = m.prepared.objects.iter().filter(|o| ATTACHED.contains(&o.role.as_str())).collect();
    if names.len() != attached.len() {
        return Err(wrong(
            c,
            crate::t!("ops.readdress.attachments-differ", named = names.len(), stored = attached.len()),
            crate::t!("ops.readdress.write-again-hint"),
        ));
    }
    let mut attachments = Vec::with_capacity(names.len());
    for (name, o) in names.into_iter().zip(attached) {
        let bytes = store.get(&o.sha256)?;
        attachments.push(mail::message::Attachment {
            content_type: super::compose::content_type(&name).into(),
            filename: name,
            bytes,
        });
    }
    let mut rest = Vec::new();
    for o in m.prepared.objects.iter().filter(|o| !OWN.contains(&o.role.as_str())) {
        if let Some(r) = static_role(&o.role) {
            rest.push((r, store.get(&o.sha256)?));
        }
    }

    let address = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first()).and_then(|a| a.address()).and_then(|a| crate::address::parse_email(a).ok())
    };
    let reply_to = address(parsed.reply_to());
    let notify = parsed
        .header_raw("Disposition-Notification-To")
        .and_then(|v| v.trim().trim_start_matches('<').trim_end_matches('>').parse::<EmailAddress>().ok());
    let message_id = mail::message::generate_message_id(ctx.sender.email.domain(), &mail::message::random_id_bytes()?)?;
    let mut spec = MessageSpec {
        cc: m.prepared.cc.iter().map(|a| (None, a.clone())).collect(),
        reply_to: reply_to.map(|a| (None, a)),
        attachments,
        disposition_notification_to: notify,
        in_reply_to: Some(m.message_id.clone()),
        references: vec![m.message_id.clone()],
        ..MessageSpec::new(
            (ctx.sender.name.clone(), ctx.sender.email.clone()),
            vec![(Some(c.company.clone()), to.clone())],
            letter.subject.clone(),
            letter.body.clone(),
            message_id,
            now,
        )
    };
    spec.checkpoint = super::post::witness_checkpoint(env.data_dir)?.ok().flatten().map(|c| c.note.note);
    let message = mail::message::build(&spec, signer)?;
    let mut kept = m.prepared.clone();
    kept.to = vec![to.clone()];
    Ok(Written { plan, ctx, letter, message, rest, deadline: stated, kept, kind: m.kind })
}

/// Sends the letter of the refused message of `request` to `to` (confirmed
/// by the caller).
///
/// # Errors
/// Unknown request, no permanently refused message, an address refused
/// before, the refused message's objects purged (all before anything is
/// stored); the server cannot be reached ([`Error::NotStarted`], nothing
/// logged); the log is locked (5) or damaged (4); delivery failed
/// ([`Error::Delivery`]: every attempt is logged).
pub fn readdress(env: &Env<'_>, config: &Config, request: &str, to: &EmailAddress) -> Result<Report, Error> {
    let now = (env.now)();
    let mut route = Route::new(env)?;
    let signer = env.dkim.map(mail::dkim::Signer::load).transpose()?;
    let signer = signer.as_ref();
    let (mut log, c, written) = match route.kind() {
        crate::case::event::Route::Smtp => {
            let cases = super::cases::load(env.data_dir)?;
            let c = case::find(&cases, request)?;
            let written = write(env, config, c, to, &Store::new(env.data_dir), now, signer)?;
            deliver::open(&mut route)?;
            let log = Log::open(env.data_dir)?;
            // Read again under the lock: another dsr may have acted.
            let cases = super::cases::load(env.data_dir)?;
            let locked = case::find(&cases, request)?;
            let written = if locked.lines == c.lines {
                written
            } else {
                write(env, config, locked, to, log.store(), now, signer)?
            };
            (log, locked.clone(), written)
        }
        _ => {
            let log = Log::open(env.data_dir)?;
            let cases = super::cases::load(env.data_dir)?;
            let c = case::find(&cases, request)?.clone();
            let written = write(env, config, &c, to, log.store(), now, signer)?;
            (log, c, written)
        }
    };
    let Written { plan, ctx, letter, message, rest, deadline, kept, kind } = written;
    let store = log.store();
    let rest: Vec<(&'static str, &[u8])> = rest.iter().map(|(r, b)| (*r, b.as_slice())).collect();
    let objects = deliver::store_artifacts(&|bytes| store.put(bytes), &message, &letter, &ctx, &rest)?;
    deliver::trace_objects(&env.tracer, store, &objects);
    let message_id = message.message_id().clone();
    let payload = Prepared {
        kind,
        policy: c.policy.clone(),
        company: c.company.clone(),
        lang: ctx.lang,
        calendar: c.calendar,
        to: kept.to.clone(),
        cc: kept.cc.clone(),
        message_id: message_id.clone(),
        stated_deadline: deadline,
        confirm_by: kept.confirm_by,
        confirmed: Vec::new(),
        in_reply_to: Some(plan.refused.clone()),
        authority: None,
        route: route.kind(),
        objects,
        batch_key: kept.batch_key.clone(),
        readdresses: Some(Readdresses { message_id: plan.refused.clone(), reason: plan.reason.clone() }),
    };
    let staged = Staged { request: c.request.clone(), before: Event::Prepared(payload), message: message.into() };
    let delivered = deliver::dispatch_one(&mut route, &mut log, env, staged)?;
    route.close();
    Ok(Report {
        request: c.request.to_string(),
        message_id,
        readdresses: plan.refused,
        reason: plan.reason,
        subject: letter.subject,
        to: kept.to,
        deadline,
        delivered,
    })
}
