//! `send`: one request from validated input to a logged outcome.
//!
//! Write-ahead order (DESIGN §2, §6), and why each step is where it is:
//!
//! 1. Everything that can fail because of the user's input has failed
//!    already ([`Request::build`]), and so has everything that needs no
//!    disk: rendering, the MIME message, DKIM signing, the SMTP password.
//! 2. With SMTP configured, the session is opened ([`deliver::Route::open`]: TCP,
//!    greeting, EHLO, STARTTLS or implicit TLS, AUTH), still before the
//!    data directory is touched. A server that cannot be reached, or
//!    refuses TLS or the credentials, fails with [`Error::NotStarted`]
//!    (exit 3) and leaves nothing behind: no object, no event, not even a
//!    new log, so running the same command again once the settings are
//!    fixed sends the request as new (no stuck "send failed" case, no
//!    second case). No message data has crossed the wire yet.
//! 3. Every artifact is stored as an object (durable before any event names
//!    it), then `prepared` is logged (fsynced).
//! 4. The stored bytes go to SMTP over that session (each attempt logged
//!    as it ends: `sent` or `send_failed`; a refusal of MAIL, RCPT or DATA,
//!    or a session that has to be opened again and fails, is a logged
//!    `send_failed`), or to the outbox (`outboxed`). Steps 2 to 4 are the
//!    shared pipeline, [`deliver`].
//!
//! A crash between 3 and 4 leaves `prepared` without an outcome: the case
//! shows "delivery unknown", and only an explicit `send --retry` sends the
//! same stored bytes again. Nothing is logged as sent that the server did
//! not accept; a delivery whose `sent` line could not be written is
//! reported as an error and shows as "delivery unknown", never as unsent.

use crate::Error;
use crate::case::event::{Event, Prepared, Route, role};
use crate::evidence::{Log, ObjectRef, RequestId, Stored};
use crate::kind::LetterKind;
use crate::mail::{self, MessageBytes, MessageId, MessageSpec};
use crate::ops::compose::{self, Composed};
use crate::ops::deliver::{self, Delivered, Env, Staged};
use crate::request::Request;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// The result of a successful `send`.
#[derive(Debug, Clone, Serialize)]
pub struct SendReport {
    /// The new request (case) id.
    pub request: RequestId,
    /// The Message-ID, without angle brackets.
    pub message_id: MessageId,
    /// The letter kind.
    pub kind: LetterKind,
    /// The company.
    pub company: String,
    /// The subject line.
    pub subject: String,
    /// The deadline the letter states (data-subject rights).
    pub deadline: Option<NaiveDate>,
    /// The extended deadline, if the company extends in time.
    pub extended: Option<NaiveDate>,
    /// The confirmation date (processor deletion).
    pub confirm_by: Option<NaiveDate>,
    /// How it left.
    pub delivered: Delivered,
    /// Warnings and notes for the user.
    pub warnings: Vec<String>,
    /// For a web form letter: the form's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webform: Option<String>,
    /// For a letter for post: the day of receipt the deadline assumes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presumed_receipt: Option<NaiveDate>,
}

impl SendReport {
    /// The report of `req` sent as `request` with `message_id`, from what
    /// was composed and how it left (every channel: the form's URL only for
    /// a web form, a presumed receipt only for post).
    pub(crate) fn new(
        req: &Request,
        composed: &Composed,
        request: RequestId,
        message_id: MessageId,
        delivered: Delivered,
        warnings: Vec<String>,
    ) -> SendReport {
        SendReport {
            request,
            message_id,
            kind: req.kind,
            company: req.policy.entity.legal_name.clone(),
            subject: composed.letter.subject.clone(),
            deadline: composed.deadlines.as_ref().map(|d| d.deadline),
            extended: composed.deadlines.as_ref().map(|d| d.extended),
            confirm_by: composed.confirm_by,
            delivered,
            warnings,
            webform: (req.channel == crate::channel::Channel::Webform)
                .then(|| req.policy.contact.webform.clone())
                .flatten(),
            presumed_receipt: composed.presumed_receipt,
        }
    }
}

/// A message that is fully built but not yet stored or sent.
pub struct Built {
    /// The request id it will be logged under.
    pub request: RequestId,
    /// The rendered letter and identity record.
    pub composed: Composed,
    /// The exact bytes.
    pub message: MessageBytes,
}

/// Builds everything for `req` without touching the disk: the letter, the
/// identity record, the MIME message (DKIM-signed if configured).
///
/// # Errors
/// Template errors, header injection, a DKIM key that cannot be read.
pub fn prepare(req: &Request, env: &Env<'_>) -> Result<Built, Error> {
    let signer = env.dkim.map(mail::dkim::Signer::load).transpose()?;
    prepare_signed(req, env, signer.as_ref())
}

/// [`prepare`] with a DKIM signer loaded once by the caller (a batch);
/// `env.dkim` is not read.
///
/// # Errors
/// Template errors, header injection, the system's random source failed.
pub fn prepare_signed(req: &Request, env: &Env<'_>, signer: Option<&mail::dkim::Signer>) -> Result<Built, Error> {
    let now = (env.now)();
    let request = RequestId::generate()?;
    let composed = compose::compose(req, env.renderer, now, Some(request.as_str()), nonce()?)?;
    let message_id = mail::message::generate_message_id(req.sender.email.domain(), &mail::message::random_id_bytes()?)?;
    let mut spec = message_spec(req, &composed, message_id, now, true);
    spec.checkpoint = super::post::witness_checkpoint(env.data_dir)?.ok().flatten().map(|c| c.note.note);
    let message = mail::message::build(&spec, signer)?;
    Ok(Built { request, composed, message })
}

/// 32 random bytes for the identity record's nonce (LEGAL.md §4: its hash
/// is then a hiding commitment).
fn nonce() -> Result<[u8; 32], Error> {
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce).map_err(|e| mail::Error::Random(e.to_string()))?;
    Ok(nonce)
}

/// The message for `req` and its composed letter; with `content: false`
/// only its headers (empty body, no attachments), which a batch builds to
/// check every header of a row without the cost of the whole message.
pub fn message_spec(
    req: &Request,
    composed: &Composed,
    message_id: MessageId,
    now: DateTime<Utc>,
    content: bool,
) -> MessageSpec {
    MessageSpec {
        cc: req.cc.iter().map(|a| (None, a.clone())).collect(),
        reply_to: req.sender.reply_to.clone().map(|a| (None, a)),
        attachments: if content { compose::attachments(req, composed) } else { Vec::new() },
        disposition_notification_to: req
            .read_receipt
            .then(|| req.sender.reply_to.clone().unwrap_or_else(|| req.sender.email.clone())),
        ..MessageSpec::new(
            (req.sender.name.clone(), req.sender.email.clone()),
            req.to.iter().map(|a| (Some(req.policy.entity.legal_name.clone()), a.clone())).collect(),
            composed.letter.subject.clone(),
            if content { composed.letter.body.clone() } else { String::new() },
            message_id,
            now,
        )
    }
}

/// Sends a request: prepare, store, log `prepared`, deliver, log the outcome.
///
/// # Errors
/// Bad input or settings before anything is stored (exit 2); the server
/// cannot be reached or refuses TLS or the credentials, before anything is
/// stored or logged ([`Error::NotStarted`], 3); the log is locked (5) or
/// damaged (4); delivery failed ([`Error::Delivery`], 3: every attempt is
/// logged).
pub fn send(req: &Request, env: &Env<'_>, new: &New<'_>) -> Result<SendReport, Error> {
    if req.channel != crate::channel::Channel::Email {
        return super::post::send(req, env, new);
    }
    req.require_confirmations()?;
    let Built { request, composed, message } = prepare(req, env)?;
    // The password is read and the TLS settings checked before anything is
    // stored, and the session opened: a refusal must not leave a case behind.
    let mut route = deliver::Route::new(env)?;
    deliver::open(&mut route)?;
    let message_id = message.message_id().clone();
    // The duplicate guard reads the log under the writer's lock, so that
    // two sends started together cannot both pass it.
    let mut log = Log::open(env.data_dir)?;
    let tag = new.tag(req, log.store(), env.data_dir)?.to_bytes()?;
    // The `prepared` line is checked with the objects' hashes before any
    // object is written: an event that cannot be logged must not leave
    // objects that nothing names.
    let planned = store_artifacts(&|bytes| Ok(Stored::of(bytes)), req, &composed, &message, &tag)?;
    let check = prepared_payload(req, &composed, &message_id, planned, route.kind(), None);
    Event::Prepared(check).into_new((env.now)(), request.clone()).check()?;
    let store = log.store();
    let objects = store_artifacts(&|bytes| store.put(bytes), req, &composed, &message, &tag)?;
    deliver::trace_objects(&env.tracer, store, &objects);
    let payload = prepared_payload(req, &composed, &message_id, objects, route.kind(), None);
    let staged = Staged { request: request.clone(), before: Event::Prepared(payload), message: message.into() };
    let delivered = deliver::dispatch_one(&mut route, &mut log, env, staged)?;
    route.close();
    let mut warnings = composed.warnings.clone();
    if let Some(d) = &composed.deadlines
        && matches!(delivered, Delivered::Outbox { .. })
    {
        warnings.push(crate::t!("send.outbox-deadline", date = d.deadline));
    }
    Ok(SendReport::new(req, &composed, request, message_id, delivered, warnings))
}

/// What the user said about a new single request: its label, and the
/// reason for sending it although an open case for the same subject,
/// company and kind exists (`--again`).
#[derive(Debug, Clone, Copy, Default)]
pub struct New<'a> {
    /// `--label`.
    pub label: Option<&'a str>,
    /// `--again REASON`.
    pub again: Option<&'a str>,
}

impl New<'_> {
    /// The new case's tag, after the duplicate guard: call it with the
    /// log's writer lock held (`log` open), so that the log it folds is
    /// the one the new case is appended to.
    ///
    /// # Errors
    /// An open case for the same subject, company and kind exists and no
    /// `--again` was given ([`super::guard::refusal`]); the log cannot be
    /// folded.
    pub fn tag(
        &self,
        req: &Request,
        store: &crate::evidence::Store,
        data_dir: &std::path::Path,
    ) -> Result<super::guard::Tag, Error> {
        use super::guard;
        let mut tag = guard::Tag::new(req, self.label, None);
        let cases = super::cases::load(data_dir)?;
        let dup = guard::duplicate(store, &cases, &tag.subject_key, &req.policy.id, req.kind);
        match (dup, self.again) {
            (Some(c), None) => return Err(guard::refusal(c)),
            (dup, Some(reason)) => {
                tag.again_of = dup.map(|c| c.request.to_string());
                tag.again_reason = Some(reason.to_string());
            }
            (None, None) => {}
        }
        Ok(tag)
    }

    /// The duplicate guard before the question, without the lock: the
    /// refusal [`New::tag`] gives under the lock, early, so that nobody is
    /// asked to confirm a send that would then be refused. `tag` still
    /// decides.
    ///
    /// # Errors
    /// As [`New::tag`].
    pub fn check_before_asking(&self, req: &Request, data_dir: &std::path::Path) -> Result<(), Error> {
        if self.again.is_some() {
            return Ok(());
        }
        let store = crate::evidence::Store::new(data_dir);
        let key = super::guard::subject_key(req);
        let cases = super::cases::load(data_dir)?;
        match super::guard::duplicate(&store, &cases, &key, &req.policy.id, req.kind) {
            Some(c) => Err(super::guard::refusal(c)),
            None => Ok(()),
        }
    }
}

/// The `prepared` event of a built request.
pub fn prepared_payload(
    req: &Request,
    composed: &Composed,
    message_id: &MessageId,
    objects: Vec<ObjectRef>,
    route: Route,
    batch_key: Option<String>,
) -> Prepared {
    Prepared {
        kind: req.kind,
        policy: req.policy.id.clone(),
        company: req.policy.entity.legal_name.clone(),
        lang: req.lang,
        calendar: req.calendar,
        to: req.to.clone(),
        cc: req.cc.clone(),
        message_id: message_id.clone(),
        stated_deadline: composed.deadlines.as_ref().map(|d| d.deadline),
        confirm_by: composed.confirm_by,
        confirmed: req.confirmed.clone(),
        in_reply_to: None,
        authority: None,
        route,
        objects,
        batch_key,
        readdresses: None,
    }
}

/// Stores every artifact of a built request through `put` (the store's
/// own, or a batch's [`crate::evidence::StoreBatch::put`], whose objects
/// are durable only after its commit) and returns their references: the
/// pipeline's four ([`deliver::store_artifacts`]), then the identity record
/// (text, JSON), the case's tag ([`super::guard`]), the mandate, the verification evidence and the user's
/// attachments.
///
/// # Errors
/// Writing an object failed.
pub fn store_artifacts(
    put: &dyn Fn(&[u8]) -> Result<crate::evidence::Stored, crate::evidence::Error>,
    req: &Request,
    composed: &Composed,
    message: &MessageBytes,
    tag: &[u8],
) -> Result<Vec<ObjectRef>, Error> {
    let mut rest: Vec<(&'static str, &[u8])> = vec![
        (role::IDENTITY_TXT, composed.identity_txt.as_bytes()),
        (role::IDENTITY_JSON, &composed.identity_json),
        (super::guard::TAG, tag),
    ];
    rest.extend(req.mandate.iter().map(|f| (role::MANDATE, f.bytes.as_slice())));
    rest.extend(req.evidence.iter().map(|f| (role::EVIDENCE, f.bytes.as_slice())));
    rest.extend(req.attachments.iter().map(|f| (role::ATTACHMENT, f.bytes.as_slice())));
    deliver::store_artifacts(put, message, &composed.letter, &composed.context, &rest)
}
