//! `send --retry`: send a case's stored message again, after confirmation.
//!
//! Used when a send failed (the cause is fixed now), when delivery is
//! unknown (dsr died mid-send, or the connection broke after the message
//! was sent), or to send an outboxed message once SMTP is configured. The
//! bytes are the stored object, unchanged (same Message-ID and Date): what
//! the evidence says was prepared is exactly what goes out. A
//! `retry_confirmed` event records the decision before the SMTP dialogue.
//!
//! As in `send`, the SMTP session (connect, TLS, AUTH) is opened before
//! the log is touched: a server that still cannot be reached, or refuses
//! TLS or the credentials, fails with [`Error::NotStarted`] and logs
//! nothing (no `retry_confirmed`, no `send_failed`); the case keeps its
//! state and the same command can be run again.

use crate::Error;
use crate::case::event::{Event, RetryConfirmed, RetryFrom};
use crate::case::{self, Delivery, Message};
use crate::evidence::{Log, Store};
use crate::mail::MessageBytes;
use crate::ops::deliver::{self, Delivered, Env, Route, Staged};

/// What a retry would do, for the confirmation question.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The Message-ID to re-send.
    pub message_id: crate::mail::MessageId,
    /// The message's state now.
    pub from_state: RetryFrom,
    /// Recipients.
    pub to: Vec<crate::address::EmailAddress>,
    /// True when the server may already have the message.
    pub maybe_delivered: bool,
    /// What the message is, for the question: recipient, kind, channel and
    /// the attachments its letter lists (issue 17 point 2).
    pub preview: super::preview::Preview,
}

fn pending(c: &case::Case) -> Option<&Message> {
    // A letter for post or a web form is not a message to re-send by SMTP.
    std::iter::once(&c.original)
        .chain(c.followups.iter())
        .filter(|m| m.prepared.route.channel() == crate::channel::Channel::Email)
        .rfind(|m| m.delivery.retry_from().is_some())
}

/// Refuses to re-send a message that was refused for good (a 5xx when it
/// was sent, or a bounce report): the same bytes to the same address would
/// be refused again. The hint offers `--readdress`.
///
/// # Errors
/// See above (exit 2).
pub fn refuse_if_refused(c: &case::Case) -> Result<(), Error> {
    let Some((m, r)) = c.refused() else { return Ok(()) };
    Err(case::Error::wrong_state(
        c,
        crate::t!("ops.retry.refused", id = m.message_id, to = r.to.join(", "), what = r.what()),
        crate::t!("ops.retry.refused-hint", request = c.request),
    )
    .into())
}

/// Looks up what `--retry REQUEST` would re-send.
///
/// # Errors
/// Unknown request; its message was refused for good
/// ([`refuse_if_refused`]); nothing to re-send (every message was accepted).
pub fn plan(env: &Env<'_>, request: &str) -> Result<Plan, Error> {
    let cases = super::cases::load(env.data_dir)?;
    let c = case::find(&cases, request)?;
    refuse_if_refused(c)?;
    let m = pending(c).ok_or_else(|| {
        let letter = std::iter::once(&c.original).chain(c.followups.iter()).rfind(|m| {
            m.prepared.route.channel() != crate::channel::Channel::Email && m.delivery == Delivery::Outboxed
        });
        match letter {
            Some(m) => case::Error::wrong_state(
                c,
                crate::t!("ops.retry.not-by-email", channel = m.prepared.route.channel()),
                crate::t!("ops.retry.not-by-email-hint", request = c.request, channel = m.prepared.route.channel()),
            ),
            None => case::Error::wrong_state(
                c,
                crate::t!("ops.retry.all-accepted"),
                crate::t!("ops.retry.all-accepted-hint"),
            ),
        }
    })?;
    // The letter's own context names its recipient and attachments; a
    // context the store no longer holds leaves the company's name and no list.
    let store = crate::evidence::Store::new(env.data_dir);
    let context = m
        .prepared
        .objects
        .iter()
        .find(|o| o.role == crate::case::event::role::CONTEXT)
        .and_then(|o| store.get(&o.sha256).ok())
        .and_then(|b| serde_json::from_slice::<crate::letter::context::LetterContext>(&b).ok());
    let preview = super::preview::Preview {
        kind: m.kind,
        recipient: context.as_ref().map_or_else(|| c.company.clone(), |x| x.recipient.name.clone()),
        to: m.prepared.to.clone(),
        cc: m.prepared.cc.clone(),
        channel: crate::channel::Channel::Email,
        attachments: context.map(|x| x.attachments).unwrap_or_default(),
    };
    Ok(Plan {
        message_id: m.message_id.clone(),
        from_state: m.delivery.retry_from().expect("a pending message was not accepted"),
        to: m.prepared.to.iter().chain(&m.prepared.cc).cloned().collect(),
        maybe_delivered: m.delivery == Delivery::Unknown,
        preview,
    })
}

/// A message as it was prepared: the stored bytes and envelope, unchanged.
///
/// # Errors
/// The `message` or `envelope` object is not named or not in the store
/// (purged), or the envelope does not parse.
pub fn stored_message(store: &Store, m: &Message) -> Result<MessageBytes, Error> {
    deliver::stored_message(store, &m.message_id, &m.prepared.objects)
}

/// Re-sends the pending message of `request` (confirmed by the caller).
///
/// # Errors
/// No SMTP configured; the server cannot be reached or refuses TLS or the
/// credentials ([`Error::NotStarted`], nothing logged); unknown request,
/// nothing pending, the stored message is gone (purged), or delivery
/// failed again.
pub fn retry(env: &Env<'_>, request: &str, expected: &Plan) -> Result<Delivered, Error> {
    if env.smtp.is_none() {
        return Err(Error::usage(crate::t!("ops.retry.no-smtp"), crate::t!("ops.retry.no-smtp-hint")));
    }
    let mut route = Route::new(env)?;
    deliver::open(&mut route)?;
    let mut log = Log::open(env.data_dir)?;
    // Read the state again under the lock: another dsr may have acted.
    let cases = super::cases::load(env.data_dir)?;
    let c = case::find(&cases, request)?;
    refuse_if_refused(c)?;
    let m = pending(c).filter(|m| m.message_id == expected.message_id).ok_or_else(|| {
        case::Error::wrong_state(c, crate::t!("ops.retry.changed"), crate::t!("ops.retry.changed-hint"))
    })?;
    let message = stored_message(log.store(), m)?;
    let from_state = m.delivery.retry_from().expect("a pending message was not accepted");
    let before = Event::RetryConfirmed(RetryConfirmed { message_id: m.message_id.clone(), from_state });
    let delivered = deliver::dispatch_one(
        &mut route,
        &mut log,
        env,
        Staged { request: c.request.clone(), before, message: message.into() },
    )?;
    route.close();
    Ok(delivered)
}
