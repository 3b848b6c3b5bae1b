//! The delivery pipeline: how a built message leaves, and how every step is
//! recorded, for every workflow that sends.
//!
//! `send`, `send --batch`, `send --retry`, `remind` and `complain` differ in
//! what they write and where its bytes come from; from the moment a message
//! is built they do the same thing, here:
//!
//! ```text
//!              Route::new(env)      settings checked (password, TLS), no network
//!              Route::open()        SMTP: connect, TLS, AUTH — before anything is stored
//! store_*  ──► Staged { before }    objects durable; `prepared` or `retry_confirmed` to log
//! dispatch ──► Sink::record(before)… Sink::flush()      durable before any byte leaves
//!          ──► Route::deliver       each attempt ─► Sink::record(sent | send_failed | outboxed)
//!                                   each message ─► Sink::finished(Attempted)
//! ```
//!
//! A [`Route`] is one way a message leaves: [`Route::Smtp`] (an SMTP session
//! kept open for every message of a run) or [`Route::Outbox`] (`.eml` files
//! for the user to send). A [`Sink`] is where the events go: [`AppendNow`]
//! appends and fsyncs each one before the next step (a single message), the
//! batch's journal group-commits them (`ops::batch`). Adding a route means
//! adding one [`Route`] variant with its delivery function and one
//! [`event::Route`] name; no workflow changes (docs/architecture.md).
//!
//! The invariants every route keeps: nothing is recorded as sent that the
//! server did not accept; a message's `prepared` (or `retry_confirmed`) is
//! durable before its first byte is handed over; every attempt's outcome
//! is recorded as it ends, and made durable before any wait (a 4xx
//! back-off, the rate limit); a message whose outcome could not be recorded
//! is reported as an error (the case then shows "delivery unknown").

use crate::Error;
use crate::case::event::{self, Event, Outboxed, SendFailed, Sent, role};
use crate::config::{Dkim, Smtp};
use crate::evidence::{Log, ObjectRef, RequestId, Store, Stored};
use crate::letter::{Letter, Renderer};
use crate::mail::smtp::Backoff;
use crate::mail::{self, Envelope, Mailer, MessageBytes, MessageId, SendError, SendErrorKind};
use crate::trace::Tracer;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The clock the pipeline stamps events with (the CLI passes
/// [`crate::clock::now`]; each event is stamped when it happens).
pub type Clock<'a> = &'a (dyn Fn() -> DateTime<Utc> + Sync);

/// What every sending workflow needs besides its own input.
pub struct Env<'a> {
    /// The data directory (log, objects, outbox).
    pub data_dir: &'a Path,
    /// SMTP settings; `None` sends to the outbox.
    pub smtp: Option<&'a Smtp>,
    /// DKIM settings.
    pub dkim: Option<&'a Dkim>,
    /// The template renderer.
    pub renderer: &'a Renderer,
    /// The clock.
    pub now: Clock<'a>,
    /// Retry schedule for 4xx replies; default from the SMTP settings.
    pub backoff: Option<Backoff>,
    /// Where `-v` details go (files written, the SMTP dialogue).
    pub tracer: Tracer,
    /// `[imap]`: with a `sent_folder`, each message the SMTP server
    /// accepted is also stored there (IMAP APPEND).
    pub imap: Option<&'a crate::config::Imap>,
}

/// How a message left.
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
    /// A letter for post written out (PDF); nothing was sent.
    Post {
        /// The PDF file.
        file: PathBuf,
    },
    /// A web form's texts written out; nothing was sent.
    Webform {
        /// The files, the letter text first.
        files: Vec<PathBuf>,
    },
}

/// What leaves by a route: a MIME message (SMTP, outbox) or files for the
/// user to post or paste (post, web form).
#[derive(Debug)]
pub enum Parcel {
    /// The exact bytes of a message.
    Mail(MessageBytes),
    /// Files written out for the user.
    Files(Files),
}

/// [`Parcel::Files`]: the files of one letter, already stored as objects.
#[derive(Debug)]
pub struct Files {
    /// dsr's id of the letter (logged as `message_id`; no email carries it).
    pub id: MessageId,
    /// Each file's name suffix (`.pdf`, `-letter.txt`) and bytes, in order.
    pub files: Vec<(&'static str, Vec<u8>)>,
}

impl Parcel {
    /// The id the parcel's events name.
    pub fn message_id(&self) -> &MessageId {
        match self {
            Parcel::Mail(m) => m.message_id(),
            Parcel::Files(f) => &f.id,
        }
    }
}

impl From<MessageBytes> for Parcel {
    fn from(m: MessageBytes) -> Parcel {
        Parcel::Mail(m)
    }
}

/// A message ready to go, with the event that must be durable before it
/// leaves (`prepared` for a new message, `retry_confirmed` for a stored one).
#[derive(Debug)]
pub struct Staged {
    /// The case.
    pub request: RequestId,
    /// The event logged before delivery.
    pub before: Event,
    /// The exact bytes to deliver (already stored as objects).
    pub message: Parcel,
}

/// How one message ended: delivered, or the last attempt's error (every
/// attempt is recorded already).
#[derive(Debug)]
pub struct Attempted {
    /// The case.
    pub request: RequestId,
    /// The outcome.
    pub result: Result<Delivered, SendError>,
}

/// Where the pipeline records events.
pub trait Sink {
    /// The object store (an SMTP failure's text is stored as an object).
    fn store(&self) -> &Store;
    /// Records `event` of `request`, stamped now: durable at once or at the
    /// next [`Sink::flush`].
    ///
    /// # Errors
    /// The event (or, for a sink that writes at once, the log) cannot be written.
    fn record(&mut self, request: &RequestId, event: Event) -> Result<(), Error>;
    /// Stores an object an event of this sink will name (a server's reply
    /// or error text): durable before that event is, at once or at the
    /// next [`Sink::flush`].
    ///
    /// # Errors
    /// The object cannot be written.
    fn put(&mut self, bytes: &[u8]) -> Result<Stored, Error> {
        Ok(self.store().put(bytes)?)
    }
    /// Makes everything recorded durable.
    ///
    /// # Errors
    /// The log cannot be written.
    fn flush(&mut self) -> Result<(), Error>;
    /// Called before each message is handed over: a sink that holds
    /// outcomes back may make them durable now (the batch's journal does
    /// once the oldest has waited long enough), so a slow server does not
    /// keep earlier outcomes out of the log.
    ///
    /// # Errors
    /// As [`Sink::flush`].
    fn tick(&mut self) -> Result<(), Error> {
        Ok(())
    }
    /// One message's final outcome (after its last attempt was recorded).
    fn finished(&mut self, outcome: Attempted);
}

/// A [`Sink`] that appends (and fsyncs) every event as it is recorded: one
/// message's send, retry or follow-up. Keeps the outcomes.
pub struct AppendNow<'l> {
    log: &'l mut Log,
    now: Clock<'l>,
    tracer: Tracer,
    /// The outcomes, in the order the messages finished.
    pub outcomes: Vec<Attempted>,
}

impl<'l> AppendNow<'l> {
    /// A sink writing to `log`, stamping with `now`.
    pub fn new(log: &'l mut Log, now: Clock<'l>, tracer: Tracer) -> AppendNow<'l> {
        AppendNow { log, now, tracer, outcomes: Vec::new() }
    }
}

impl Sink for AppendNow<'_> {
    fn store(&self) -> &Store {
        self.log.store()
    }

    fn record(&mut self, request: &RequestId, event: Event) -> Result<(), Error> {
        let entry = self.log.append(event.into_new((self.now)(), request.clone()))?;
        trace_line(&self.tracer, self.log.path(), entry.seq, &entry.event);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        Ok(())
    }

    fn finished(&mut self, outcome: Attempted) {
        self.outcomes.push(outcome);
    }
}

/// The `-v` line for an appended log line.
pub fn trace_line(tracer: &Tracer, log: &Path, seq: u64, event: &str) {
    tracer.detail(&crate::t!("cli.misc.trace-line", log = log.display(), seq = seq, event = event));
}

/// One way a message leaves. See the module docs.
pub enum Route<'a> {
    /// Over an SMTP session kept for every message of the run (boxed: the
    /// session's TLS state is large, and a route is moved around).
    Smtp(Box<SmtpRoute>),
    /// To `.eml` files in the outbox: nothing is sent.
    Outbox(OutboxRoute<'a>),
    /// A PDF letter written to the outbox for the user to post.
    Post(FilesRoute<'a>),
    /// A web form's texts written to the outbox for the user to paste.
    Webform(FilesRoute<'a>),
}

/// [`Route::Post`]'s and [`Route::Webform`]'s state.
pub struct FilesRoute<'a> {
    data_dir: &'a Path,
    now: Clock<'a>,
    tracer: Tracer,
}

/// [`Route::Smtp`]'s state.
pub struct SmtpRoute {
    mailer: Mailer,
    backoff: Backoff,
    limiter: Option<Limiter>,
    /// Shown when the session opens ([`mail::smtp::plaintext_warning`]).
    warning: Option<String>,
    tracer: Tracer,
    /// `[imap]` with a `sent_folder`, and its session once opened.
    sent_copy: Option<(crate::config::Imap, Option<crate::mailbox::imap::Session>)>,
}

/// [`Route::Outbox`]'s state.
pub struct OutboxRoute<'a> {
    data_dir: &'a Path,
    now: Clock<'a>,
    tracer: Tracer,
}

impl<'a> Route<'a> {
    /// The route the settings call for: SMTP when `[smtp]` is configured
    /// (the password is read and the TLS settings checked now, before
    /// anything is stored; no connection yet), else the outbox.
    ///
    /// # Errors
    /// The SMTP settings cannot be used (exit 2).
    pub fn new(env: &Env<'a>) -> Result<Route<'a>, Error> {
        Ok(match env.smtp {
            Some(smtp) => {
                let mut mailer = Mailer::new(smtp)?;
                // Before the session opens, so its first steps show with `-v`.
                mailer.set_tracer(env.tracer.clone());
                let backoff = env.backoff.unwrap_or_else(|| Backoff::from_settings(smtp));
                let warning = mail::smtp::plaintext_warning(smtp);
                let sent_copy = env.imap.filter(|i| i.sent_folder.is_some()).map(|i| (i.clone(), None));
                Route::Smtp(Box::new(SmtpRoute {
                    mailer,
                    backoff,
                    limiter: None,
                    warning,
                    tracer: env.tracer.clone(),
                    sent_copy,
                }))
            }
            None => {
                mail::outbox::check(&env.data_dir.join(mail::outbox::DIR))?;
                Route::Outbox(OutboxRoute { data_dir: env.data_dir, now: env.now, tracer: env.tracer.clone() })
            }
        })
    }

    /// The route for `channel`: email as the settings call for
    /// ([`Route::new`]), post and web form to files.
    ///
    /// # Errors
    /// As [`Route::new`].
    pub fn for_channel(env: &Env<'a>, channel: crate::channel::Channel) -> Result<Route<'a>, Error> {
        let files = || FilesRoute { data_dir: env.data_dir, now: env.now, tracer: env.tracer.clone() };
        Ok(match channel {
            crate::channel::Channel::Email => Route::new(env)?,
            crate::channel::Channel::Post => Route::Post(files()),
            crate::channel::Channel::Webform => Route::Webform(files()),
        })
    }

    /// The route's name in `prepared` events.
    pub fn kind(&self) -> event::Route {
        match self {
            Route::Smtp(_) => event::Route::Smtp,
            Route::Outbox(_) => event::Route::Outbox,
            Route::Post(_) => event::Route::Post,
            Route::Webform(_) => event::Route::Webform,
        }
    }

    /// Sends at most `per_minute` messages a minute (SMTP only; a batch's
    /// `--rate`). Before each wait, everything recorded is made durable.
    pub fn limit_rate(&mut self, per_minute: Option<u32>) {
        if let Route::Smtp(s) = self {
            s.limiter = per_minute
                .map(|r| Limiter { interval: Duration::from_secs_f64(60.0 / f64::from(r.max(1))), next: None });
        }
    }

    /// Replaces the retry schedule for 4xx replies (SMTP only).
    pub fn set_backoff(&mut self, backoff: Backoff) {
        if let Route::Smtp(s) = self {
            s.backoff = backoff;
        }
    }

    /// Opens the route before anything is stored: for SMTP the session
    /// (connect, STARTTLS or implicit TLS, AUTH), retrying 4xx refusals as
    /// the back-off says, then warning through the tracer when it is not
    /// encrypted (`tls = "none"`). The outbox needs nothing.
    ///
    /// # Errors
    /// The server cannot be reached, or refuses TLS or the credentials; no
    /// message data was sent. Callers report it as "not started".
    pub fn open(&mut self) -> Result<(), SendError> {
        match self {
            Route::Smtp(s) => {
                s.mailer.connect_with_retries(&s.backoff)?;
                // Only once the session is open: a server that cannot be
                // reached or refuses the login gets no message, so there is
                // nothing to warn about, only the error.
                if let Some(w) = &s.warning {
                    s.tracer.warn(w);
                }
                Ok(())
            }
            Route::Outbox(_) | Route::Post(_) | Route::Webform(_) => Ok(()),
        }
    }

    /// Delivers `items` in order, recording every attempt and each
    /// message's outcome in `sink`.
    ///
    /// # Errors
    /// An event or an outbox file could not be written. A refused or
    /// failed delivery is not an error here: it is the message's outcome.
    pub fn deliver(&mut self, items: Vec<Outgoing>, sink: &mut dyn Sink) -> Result<(), Error> {
        match self {
            Route::Smtp(s) => s.deliver(mails(items)?, sink),
            Route::Outbox(o) => o.deliver(mails(items)?, sink),
            Route::Post(f) => f.deliver(items, sink, false),
            Route::Webform(f) => f.deliver(items, sink, true),
        }
    }

    /// Ends the route (SMTP: QUIT).
    pub fn close(self) {
        match self {
            Route::Smtp(s) => s.mailer.close(),
            Route::Outbox(_) | Route::Post(_) | Route::Webform(_) => {}
        }
    }
}

/// One message handed to [`Route::deliver`].
#[derive(Debug)]
pub struct Outgoing {
    /// The case.
    pub request: RequestId,
    /// What leaves.
    pub message: Parcel,
}

/// One MIME message for the email routes.
struct Mail {
    request: RequestId,
    message: MessageBytes,
}

/// The email routes take MIME messages only: a letter for post is never
/// handed to SMTP or the outbox of .eml files (a caller's bug, reported
/// before anything leaves).
fn mails(items: Vec<Outgoing>) -> Result<Vec<Mail>, Error> {
    items
        .into_iter()
        .map(|Outgoing { request, message }| match message {
            Parcel::Mail(message) => Ok(Mail { request, message }),
            Parcel::Files(f) => {
                Err(Error::usage(crate::t!("ops.deliver.no-email", id = f.id), crate::t!("ops.deliver.no-email-hint")))
            }
        })
        .collect()
}

impl FilesRoute<'_> {
    /// Writes each letter's files to the outbox (each durable before its
    /// `outboxed` is recorded), records `outboxed` naming the first.
    fn deliver(&mut self, items: Vec<Outgoing>, sink: &mut dyn Sink, webform: bool) -> Result<(), Error> {
        let dir = self.data_dir.join(mail::outbox::DIR);
        for Outgoing { request, message } in items {
            let Parcel::Files(f) = message else {
                return Err(Error::usage(crate::t!("ops.deliver.not-files"), crate::t!("ops.deliver.not-files-hint")));
            };
            let mut paths = Vec::with_capacity(f.files.len());
            for (suffix, bytes) in &f.files {
                let path = mail::outbox::write_named(&dir, &f.id, suffix, bytes, (self.now)())?;
                self.tracer.detail(&crate::t!("cli.trace.outbox", path = path.display()));
                paths.push(path);
            }
            let first = paths.first().cloned().unwrap_or_else(|| dir.clone());
            let rel = first.strip_prefix(self.data_dir).unwrap_or(&first).to_string_lossy().into_owned();
            sink.record(&request, Event::Outboxed(Outboxed { message_id: f.id.clone(), file: rel }))?;
            let delivered = if webform { Delivered::Webform { files: paths } } else { Delivered::Post { file: first } };
            sink.finished(Attempted { request, result: Ok(delivered) });
        }
        Ok(())
    }
}

impl SmtpRoute {
    fn deliver(&mut self, items: Vec<Mail>, sink: &mut dyn Sink) -> Result<(), Error> {
        let SmtpRoute { mailer, backoff, limiter, sent_copy, tracer, .. } = self;
        for Mail { request, message } in items {
            sink.tick()?;
            if let Some(l) = limiter.as_mut() {
                if let Some(wait) = l.wait() {
                    // Everything so far is durable before we idle.
                    sink.flush()?;
                    std::thread::sleep(wait);
                }
                l.next = Some(Instant::now() + l.interval);
            }
            let mut recorded: Result<(), Error> = Ok(());
            let mut attempts = 0;
            let result = mailer.send_with_retries(&message, Some(request.as_str()), backoff, |attempt, result| {
                attempts = attempt;
                if recorded.is_ok() {
                    recorded = record_attempt(sink, &request, &message, attempt, result, backoff);
                }
            });
            recorded?;
            if result.is_ok()
                && let Some((imap, session)) = sent_copy.as_mut()
                && let Err(e) = append_sent(imap, session, message.bytes())
            {
                // The message was sent and logged: only the mail client's
                // copy is missing, which the user must know.
                tracer.warn(&crate::t!(
                    "ops.deliver.sent-copy-failed",
                    id = message.message_id(),
                    folder = imap.sent_folder.as_deref().unwrap_or_default(),
                    error = e
                ));
                *session = None;
            }
            let result = result.map(|d| Delivered::Smtp { server: d.server, code: d.code, reply: d.text, attempts });
            sink.finished(Attempted { request, result });
        }
        Ok(())
    }
}

/// Stores a sent message in `[imap] sent_folder`, connecting on first use.
fn append_sent(
    imap: &crate::config::Imap,
    session: &mut Option<crate::mailbox::imap::Session>,
    bytes: &[u8],
) -> Result<(), Error> {
    let Some(folder) = &imap.sent_folder else { return Ok(()) };
    if session.is_none() {
        *session = Some(crate::mailbox::sync::connect(imap)?);
    }
    match session.as_mut() {
        Some(s) => Ok(s.append(folder, bytes)?),
        None => Ok(()),
    }
}

/// Records one attempt's event; makes it durable at once when a back-off
/// wait follows.
fn record_attempt(
    sink: &mut dyn Sink,
    request: &RequestId,
    message: &MessageBytes,
    attempt: u32,
    result: &Result<mail::Delivery, SendError>,
    backoff: &Backoff,
) -> Result<(), Error> {
    let (event, will_retry) = attempt_event(sink, message, attempt, result, backoff)?;
    sink.record(request, event)?;
    if will_retry {
        sink.flush()?;
    }
    Ok(())
}

/// The event one delivery attempt leaves: `sent` with the server's reply
/// text stored as an object (it may echo the sender's address: personal
/// data stays out of the line), or `send_failed` with the error text
/// stored as an object. The flag says whether a retry follows.
///
/// # Errors
/// Storing the text failed.
fn attempt_event(
    sink: &mut dyn Sink,
    message: &MessageBytes,
    attempt: u32,
    result: &Result<mail::Delivery, SendError>,
    backoff: &Backoff,
) -> Result<(Event, bool), Error> {
    let message_id = message.message_id().clone();
    Ok(match result {
        Ok(d) => {
            let text = sink.put(format!("{} {}", d.code, d.text).as_bytes())?.with_role(role::SMTP_REPLY);
            let sent = Sent {
                message_id,
                attempt,
                server: d.server.clone(),
                tls: d.tls,
                code: d.code,
                reply: None,
                queue_id: mail::smtp::queue_id(&d.text),
                recipients: d.recipients.clone(),
                dsn: d.dsn,
                objects: vec![text],
            };
            (Event::Sent(sent), false)
        }
        Err(e) => {
            let text = sink.put(e.evidence_text().as_bytes())?.with_role(role::SMTP_ERROR);
            let will_retry = e.is_transient() && backoff.delay_before(attempt + 1).is_some();
            let failed = SendFailed {
                message_id,
                attempt,
                class: e.kind().into(),
                stage: e.stage().into(),
                code: e.reply_code(),
                is_final: !will_retry,
                objects: vec![text],
            };
            (Event::SendFailed(failed), will_retry)
        }
    })
}

/// True for a failure of the server or the session rather than of one
/// message: a batch starts no further group after it.
pub fn is_server_failure(e: &SendError) -> bool {
    matches!(e.kind(), SendErrorKind::Connection | SendErrorKind::Tls | SendErrorKind::Auth)
}

impl OutboxRoute<'_> {
    fn deliver(&mut self, items: Vec<Mail>, sink: &mut dyn Sink) -> Result<(), Error> {
        let dir = self.data_dir.join(mail::outbox::DIR);
        let now = self.now;
        // Every file is durable before any `outboxed` names it: one file is
        // fsynced by itself; a group is written on several threads (the
        // writes wait on the disk) and synced together, by one syncfs.
        let files = if let [one] = items.as_slice() {
            vec![mail::outbox::write(&dir, &one.message, now())]
        } else {
            let files = super::parallel::map(&items, super::parallel::STAGE_THREADS, |it| {
                mail::outbox::write_unsynced(&dir, &it.message, now())
            });
            if files.iter().any(Result::is_ok) {
                mail::outbox::sync(&dir)?;
            }
            files
        };
        for (Mail { request, message }, file) in items.into_iter().zip(files) {
            let file = file?;
            self.tracer.detail(&crate::t!("cli.trace.outbox", path = file.display()));
            let rel = file.strip_prefix(self.data_dir).unwrap_or(&file).to_string_lossy().into_owned();
            sink.record(&request, Event::Outboxed(Outboxed { message_id: message.message_id().clone(), file: rel }))?;
            sink.finished(Attempted { request, result: Ok(Delivered::Outbox { file }) });
        }
        Ok(())
    }
}

/// Waits between message starts.
struct Limiter {
    interval: Duration,
    next: Option<Instant>,
}

impl Limiter {
    fn wait(&self) -> Option<Duration> {
        self.next.and_then(|n| n.checked_duration_since(Instant::now())).filter(|d| !d.is_zero())
    }
}

/// Takes staged messages through `route`: records each one's `before`
/// event, makes them durable together, then delivers them in order
/// (see the module docs).
///
/// # Errors
/// As [`Sink::record`], [`Sink::flush`] and [`Route::deliver`].
pub fn dispatch(route: &mut Route<'_>, sink: &mut dyn Sink, staged: Vec<Staged>) -> Result<(), Error> {
    let mut items = Vec::with_capacity(staged.len());
    for Staged { request, before, message } in staged {
        sink.record(&request, before)?;
        items.push(Outgoing { request, message });
    }
    sink.flush()?;
    route.deliver(items, sink)
}

/// [`dispatch`] for one message, appending every event at once.
///
/// # Errors
/// [`Error::Delivery`] when the last attempt failed (every attempt is
/// logged); an evidence error when an event could not be logged.
pub fn dispatch_one(route: &mut Route<'_>, log: &mut Log, env: &Env<'_>, staged: Staged) -> Result<Delivered, Error> {
    let request = staged.request.clone();
    let mut sink = AppendNow::new(log, env.now, env.tracer.clone());
    dispatch(route, &mut sink, vec![staged])?;
    let outcome = sink.outcomes.pop().expect("one message in, one outcome out");
    outcome.result.map_err(|e| Error::Delivery { request, source: Box::new(e) })
}

/// [`Route::open`] for a single message: a refusal becomes
/// [`Error::NotStarted`] (nothing stored, logged or sent).
///
/// # Errors
/// See above.
pub fn open(route: &mut Route<'_>) -> Result<(), Error> {
    route.open().map_err(|e| Error::NotStarted { source: Box::new(e) })
}

/// The SMTP envelope as stored (role `envelope`): JSON with `mail_from`
/// and `rcpt_to`.
#[derive(Debug, Serialize, Deserialize)]
struct StoredEnvelope {
    mail_from: String,
    rcpt_to: Vec<String>,
}

/// Stores a message's artifacts through `put` and returns their
/// references in the order they are logged: the message, its envelope, the
/// letter (subject line, blank line, body), the letter's context (JSON),
/// then `rest` as given.
///
/// # Errors
/// Writing an object failed.
pub fn store_artifacts(
    put: &dyn Fn(&[u8]) -> Result<Stored, crate::evidence::Error>,
    message: &MessageBytes,
    letter: &Letter,
    context: &impl Serialize,
    rest: &[(&'static str, &[u8])],
) -> Result<Vec<ObjectRef>, Error> {
    let e = message.envelope();
    let envelope =
        StoredEnvelope { mail_from: e.from.to_string(), rcpt_to: e.to.iter().map(ToString::to_string).collect() };
    let envelope = super::salt::json(&envelope, false)?;
    let letter = super::salt::text(&format!("{}\n\n{}", letter.subject, letter.body))?;
    let context = super::salt::json(context, true)?;
    let head: [(&str, &[u8]); 4] = [
        (role::MESSAGE, message.bytes()),
        (role::ENVELOPE, &envelope),
        (role::LETTER, &letter),
        (role::CONTEXT, &context),
    ];
    head.into_iter().chain(rest.iter().copied()).map(|(r, bytes)| Ok(put(bytes)?.with_role(r))).collect()
}

/// Traces the objects just stored (`-v`).
pub fn trace_objects(tracer: &Tracer, store: &Store, objects: &[ObjectRef]) {
    for o in objects {
        tracer.detail(&crate::t!(
            "cli.misc.trace-object",
            path = store.path_of(&o.sha256).display(),
            role = o.role,
            size = o.size
        ));
    }
}

/// A message as it was prepared: the stored bytes and envelope of a
/// `prepared` event's objects, unchanged.
///
/// # Errors
/// The `message` or `envelope` object is not named or not in the store
/// (purged), or the envelope does not parse.
pub fn stored_message(store: &Store, message_id: &MessageId, objects: &[ObjectRef]) -> Result<MessageBytes, Error> {
    let object = |wanted: &str| -> Result<Vec<u8>, Error> {
        let r = objects.iter().find(|o| o.role == wanted).ok_or_else(|| {
            Error::usage(
                crate::t!("ops.deliver.no-object", id = message_id, role = wanted),
                crate::t!("ops.deliver.no-object-hint"),
            )
        })?;
        Ok(store.get(&r.sha256)?)
    };
    let bytes = object(role::MESSAGE)?;
    let stored: StoredEnvelope = serde_json::from_slice(&object(role::ENVELOPE)?).map_err(|e| {
        Error::usage(crate::t!("ops.deliver.envelope-unparsable", error = e), crate::t!("ops.deliver.altered-hint"))
    })?;
    let addr = |a: &str| {
        crate::address::parse_email(a).map_err(|e| {
            Error::usage(crate::t!("ops.deliver.envelope-address", error = e), crate::t!("ops.deliver.altered-hint"))
        })
    };
    let envelope = Envelope {
        from: addr(&stored.mail_from)?,
        to: stored.rcpt_to.iter().map(|a| addr(a)).collect::<Result<_, _>>()?,
    };
    Ok(MessageBytes::from_parts(bytes, envelope, message_id.clone())?)
}
