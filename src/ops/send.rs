//! `send`: one request from validated input to a logged outcome.
//!
//! Write-ahead order (DESIGN §2, §6), and why each step is where it is:
//!
//! 1. Everything that can fail because of the user's input has failed
//!    already ([`Request::build`]), and so has everything that needs no
//!    disk: rendering, the MIME message, DKIM signing, the SMTP password.
//! 2. With SMTP configured, the session is opened ([`connect`]: TCP,
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
//!    `send_failed`), or to the outbox (`outboxed`).
//!
//! A crash between 3 and 4 leaves `prepared` without an outcome: the case
//! shows "delivery unknown", and only an explicit `send --retry` sends the
//! same stored bytes again. Nothing is logged as sent that the server did
//! not accept; a delivery whose `sent` line could not be written is
//! reported as an error and shows as "delivery unknown", never as unsent.

use crate::Error;
use crate::case::event::{Event, Outboxed, Prepared, Route, SendFailed, Sent, role};
use crate::config::{Dkim, Smtp};
use crate::evidence::{Log, ObjectRef, RequestId, Store};
use crate::kind::LetterKind;
use crate::letter::Renderer;
use crate::mail::smtp::Backoff;
use crate::mail::{self, Delivery, Mailer, MessageBytes, MessageSpec, SendError};
use crate::ops::compose::{self, Composed};
use crate::request::Request;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What `send` needs besides the request.
pub struct Env<'a> {
    /// The data directory (log, objects, outbox).
    pub data_dir: &'a Path,
    /// SMTP settings; `None` sends to the outbox.
    pub smtp: Option<&'a Smtp>,
    /// DKIM settings.
    pub dkim: Option<&'a Dkim>,
    /// The template renderer.
    pub renderer: &'a Renderer,
    /// The clock (the CLI passes `clock::now`; each event is stamped when it
    /// happens).
    pub now: &'a dyn Fn() -> DateTime<Utc>,
    /// Retry schedule for 4xx replies; default from the SMTP settings.
    pub backoff: Option<Backoff>,
}

/// How a message left (or did not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "route", rename_all = "lowercase")]
pub enum Delivered {
    /// The server accepted it.
    Smtp {
        /// `host:port`.
        server: String,
        /// Final reply code.
        code: u16,
        /// Final reply text.
        reply: String,
        /// Attempts it took.
        attempts: u32,
    },
    /// Written to the outbox; nothing was sent.
    Outbox {
        /// The .eml file.
        file: PathBuf,
    },
}

/// The result of a successful `send`.
#[derive(Debug, Clone, Serialize)]
pub struct SendReport {
    /// The new request (case) id.
    pub request: RequestId,
    /// The Message-ID, without angle brackets.
    pub message_id: String,
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
/// Template errors, header injection.
pub fn prepare_signed(req: &Request, env: &Env<'_>, signer: Option<&mail::dkim::Signer>) -> Result<Built, Error> {
    let now = (env.now)();
    let request = RequestId::generate()?;
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce)
        .map_err(|e| Error::io("reading the system's random source", std::io::Error::other(e.to_string())))?;
    let composed = compose::compose(req, env.renderer, now, Some(request.as_str()), nonce)?;
    let domain = req.sender.email.rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_default();
    let message_id = mail::message::generate_message_id(&domain, &mail::message::random_id_bytes()?)?;
    let spec = message_spec(req, &composed, message_id, now, true);
    let message = mail::message::build(&spec, signer)?;
    Ok(Built { request, composed, message })
}

/// The message for `req` and its composed letter; with `content: false`
/// only its headers (empty body, no attachments), which a batch builds to
/// check every header of a row without the cost of the whole message.
pub fn message_spec(
    req: &Request,
    composed: &Composed,
    message_id: String,
    now: DateTime<Utc>,
    content: bool,
) -> MessageSpec {
    MessageSpec {
        from: (req.sender.name.clone(), req.sender.email.clone()),
        to: req.to.iter().map(|a| (Some(req.policy.entity.legal_name.clone()), a.clone())).collect(),
        cc: req.cc.iter().map(|a| (None, a.clone())).collect(),
        reply_to: req.sender.reply_to.clone().map(|a| (None, a)),
        subject: composed.letter.subject.clone(),
        body: if content { composed.letter.body.clone() } else { String::new() },
        attachments: if content { compose::attachments(req, composed) } else { Vec::new() },
        message_id,
        date: now,
        disposition_notification_to: req
            .read_receipt
            .then(|| req.sender.reply_to.clone().unwrap_or_else(|| req.sender.email.clone())),
        ..MessageSpec::default()
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
pub fn send(req: &Request, env: &Env<'_>) -> Result<SendReport, Error> {
    req.require_confirmations()?;
    let prepared = prepare(req, env)?;
    // The password is read and the TLS settings checked before anything is
    // stored: a configuration error must not leave a `prepared` behind.
    let mut mailer = env.smtp.map(Mailer::new).transpose()?;
    // So is the server: a refusal here must not leave a case behind either.
    if let Some(m) = mailer.as_mut() {
        connect(m, env)?;
    }
    let mut log = Log::open(env.data_dir)?;
    let objects = store_artifacts(&log, req, &prepared)?;
    let composed = &prepared.composed;
    let route = if mailer.is_some() { Route::Smtp } else { Route::Outbox };
    let payload = prepared_payload(req, &prepared, objects, route, None);
    log.append(Event::Prepared(payload).into_new((env.now)(), prepared.request.clone()))?;

    let delivered = match mailer.as_mut() {
        Some(m) => deliver(&mut log, m, &prepared.request, &prepared.message, env)?,
        None => outbox(&mut log, &prepared.request, &prepared.message, env)?,
    };
    if let Some(m) = mailer {
        m.close();
    }
    let mut warnings = composed.warnings.clone();
    if let Some(d) = &composed.deadlines
        && matches!(delivered, Delivered::Outbox { .. })
    {
        warnings.push(format!(
            "the stated deadline {} assumes the message is received today; send the .eml now",
            d.deadline
        ));
    }
    Ok(SendReport {
        request: prepared.request,
        message_id: prepared.message.message_id().to_string(),
        kind: req.kind,
        company: req.policy.entity.legal_name.clone(),
        subject: composed.letter.subject.clone(),
        deadline: composed.deadlines.as_ref().map(|d| d.deadline),
        extended: composed.deadlines.as_ref().map(|d| d.extended),
        confirm_by: composed.confirm_by,
        delivered,
        warnings,
    })
}

/// The `prepared` event of a built request.
pub fn prepared_payload(
    req: &Request,
    built: &Built,
    objects: Vec<ObjectRef>,
    route: Route,
    batch_key: Option<String>,
) -> Prepared {
    let c = &built.composed;
    Prepared {
        kind: req.kind,
        policy: req.policy.id.clone(),
        company: req.policy.entity.legal_name.clone(),
        lang: req.lang,
        calendar: req.calendar,
        to: req.to.clone(),
        cc: req.cc.clone(),
        message_id: built.message.message_id().to_string(),
        stated_deadline: c.deadlines.as_ref().map(|d| d.deadline),
        confirm_by: c.confirm_by,
        confirmed: req.confirmed.clone(),
        in_reply_to: None,
        authority: None,
        route,
        objects,
        batch_key,
    }
}

/// Stores every artifact of a prepared message and returns their references,
/// message first.
///
/// # Errors
/// Writing an object failed.
pub fn store_artifacts(log: &Log, req: &Request, prepared: &Built) -> Result<Vec<ObjectRef>, Error> {
    let store = log.store();
    store_artifacts_with(req, prepared, &|bytes| store.put(bytes))
}

/// [`store_artifacts`] through `put` (a batch passes
/// [`crate::evidence::StoreBatch::put`]: then the objects are durable only
/// after its commit).
///
/// # Errors
/// Writing an object failed.
pub fn store_artifacts_with(
    req: &Request,
    prepared: &Built,
    put: &dyn Fn(&[u8]) -> Result<crate::evidence::Stored, crate::evidence::Error>,
) -> Result<Vec<ObjectRef>, Error> {
    let c = &prepared.composed;
    let envelope = serde_json::json!({
        "mail_from": prepared.message.envelope().from.to_string(),
        "rcpt_to": prepared.message.envelope().to.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    let envelope =
        serde_json::to_vec(&envelope).map_err(|e| Error::io("encoding the envelope", std::io::Error::other(e)))?;
    let letter = format!("{}\n\n{}", c.letter.subject, c.letter.body);
    let context = serde_json::to_vec_pretty(&c.context)
        .map_err(|e| Error::io("encoding the letter context", std::io::Error::other(e)))?;
    let mut items: Vec<(&str, &[u8])> = vec![
        (role::MESSAGE, prepared.message.bytes()),
        (role::ENVELOPE, &envelope),
        (role::LETTER, letter.as_bytes()),
        (role::CONTEXT, &context),
        (role::IDENTITY_TXT, c.identity_txt.as_bytes()),
        (role::IDENTITY_JSON, &c.identity_json),
    ];
    items.extend(req.mandate.iter().map(|f| (role::MANDATE, f.bytes.as_slice())));
    items.extend(req.evidence.iter().map(|f| (role::EVIDENCE, f.bytes.as_slice())));
    items.extend(req.attachments.iter().map(|f| (role::ATTACHMENT, f.bytes.as_slice())));
    items.into_iter().map(|(r, bytes)| Ok(put(bytes)?.with_role(r))).collect()
}

/// The retry schedule for 4xx replies: `env.backoff`, else the SMTP
/// settings', else none.
pub fn backoff(env: &Env<'_>) -> Backoff {
    env.backoff.unwrap_or_else(|| {
        env.smtp.map(Backoff::from_settings).unwrap_or(Backoff {
            retries: 0,
            base: std::time::Duration::from_secs(1),
            max: std::time::Duration::from_secs(1),
        })
    })
}

/// Opens `mailer`'s session (connect, TLS, AUTH) before anything is stored
/// or logged, retrying transient (4xx) refusals as [`backoff`] says.
///
/// # Errors
/// [`Error::NotStarted`]: the server cannot be reached, or refuses TLS or
/// the credentials; no message data was sent.
pub fn connect(mailer: &mut Mailer, env: &Env<'_>) -> Result<(), Error> {
    mailer.connect_with_retries(&backoff(env)).map_err(|e| Error::NotStarted { source: Box::new(e) })
}

/// Sends stored bytes over SMTP, logging every attempt as it ends.
///
/// # Errors
/// [`Error::Delivery`] when the last attempt failed; an evidence error when
/// an outcome could not be logged (then the case shows "delivery unknown").
pub fn deliver(
    log: &mut Log,
    mailer: &mut Mailer,
    request: &RequestId,
    message: &MessageBytes,
    env: &Env<'_>,
) -> Result<Delivered, Error> {
    let backoff = backoff(env);
    let mut log_error: Option<Error> = None;
    let mut attempts = 0;
    let result = mailer.send_with_retries(message, &backoff, |attempt, result| {
        attempts = attempt;
        if log_error.is_some() {
            return;
        }
        let logged = log_attempt(log, request, message, attempt, result, &backoff, env);
        if let Err(e) = logged {
            log_error = Some(e);
        }
    });
    if let Some(e) = log_error {
        return Err(e);
    }
    match result {
        Ok(d) => Ok(Delivered::Smtp { server: d.server, code: d.code, reply: d.text, attempts }),
        Err(e) => Err(Error::Delivery { request: request.clone(), source: Box::new(e) }),
    }
}

/// The event one delivery attempt leaves: `sent`, or `send_failed` with the
/// error text stored as an object. The flag says whether a retry follows.
///
/// # Errors
/// Storing the error text failed.
pub fn attempt_event(
    store: &Store,
    message: &MessageBytes,
    attempt: u32,
    result: &Result<Delivery, SendError>,
    backoff: &Backoff,
) -> Result<(Event, bool), Error> {
    match result {
        Ok(d) => Ok((
            Event::Sent(Sent {
                message_id: message.message_id().to_string(),
                attempt,
                server: d.server.clone(),
                tls: d.tls,
                code: d.code,
                reply: d.text.clone(),
                recipients: d.recipients.clone(),
            }),
            false,
        )),
        Err(e) => {
            let text = store.put(e.to_string().as_bytes())?.with_role(role::SMTP_ERROR);
            let will_retry = e.is_transient() && backoff.delay_before(attempt + 1).is_some();
            Ok((
                Event::SendFailed(SendFailed {
                    message_id: message.message_id().to_string(),
                    attempt,
                    class: e.kind().into(),
                    stage: e.stage().into(),
                    code: e.reply_code(),
                    is_final: !will_retry,
                    objects: vec![text],
                }),
                will_retry,
            ))
        }
    }
}

fn log_attempt(
    log: &mut Log,
    request: &RequestId,
    message: &MessageBytes,
    attempt: u32,
    result: &Result<Delivery, SendError>,
    backoff: &Backoff,
    env: &Env<'_>,
) -> Result<(), Error> {
    let time = (env.now)();
    let (event, _) = attempt_event(log.store(), message, attempt, result, backoff)?;
    log.append(event.into_new(time, request.clone()))?;
    Ok(())
}

/// Writes stored bytes to the outbox and logs `outboxed`.
///
/// # Errors
/// The outbox file or the event could not be written.
pub fn outbox(log: &mut Log, request: &RequestId, message: &MessageBytes, env: &Env<'_>) -> Result<Delivered, Error> {
    let dir = env.data_dir.join("outbox");
    let file = mail::outbox::write(&dir, message, (env.now)())?;
    let rel = file.strip_prefix(env.data_dir).unwrap_or(&file).to_string_lossy().into_owned();
    let event = Event::Outboxed(Outboxed { message_id: message.message_id().to_string(), file: rel });
    log.append(event.into_new((env.now)(), request.clone()))?;
    Ok(Delivered::Outbox { file })
}
