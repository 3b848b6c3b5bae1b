//! Executing a [`Plan`]: groups, one SMTP connection, group-committed
//! events, the rate limit. The crash semantics are in the parent module.

use super::{Action, Error, Inputs, Plan, Planned, cases_by_key, classify, par_map};
use crate::case::Delivery;
use crate::case::event::{self, Outboxed, RetryConfirmed, Route};
use crate::evidence::{Log, NewEvent, RequestId};
use crate::kind::LetterKind;
use crate::mail::smtp::Backoff;
use crate::mail::{self, Mailer, MessageBytes, SendErrorKind};
use crate::ops;
use crate::request::Request;
use serde::Serialize;
use std::path::Path;
use std::time::{Duration, Instant};

/// Threads that build and store a group's messages.
const STAGE_THREADS: usize = 4;

/// How to run a batch.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Messages per minute at most (SMTP only); `None`: as fast as the
    /// server takes them.
    pub rate: Option<u32>,
    /// Rows per group when sending over SMTP (see the module docs); at
    /// least 1. Outcomes are group-committed, so this bounds how many
    /// messages a crash can leave "delivery unknown".
    pub group: usize,
    /// Rows per group when writing to the outbox: larger, since each group
    /// costs two `syncfs` and two log fsyncs, and there is no server to
    /// keep waiting (200 rather than 50: 20-25 % faster for 10,000 rows,
    /// ~30 MiB more peak memory).
    pub outbox_group: usize,
    /// Retry schedule for 4xx replies; default from the SMTP settings.
    pub backoff: Option<Backoff>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions { rate: None, group: 50, outbox_group: 200, backoff: None }
    }
}

/// How a row ended in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// The server accepted the message.
    Sent,
    /// Written to the outbox (no SMTP configured).
    Outboxed,
    /// Refused or not connected; nothing was accepted.
    Failed,
    /// The connection broke after the message was sent: it may have arrived.
    Unknown,
    /// Sent or outboxed by an earlier run.
    Skipped,
    /// Failed or unknown in an earlier run; not retried (no confirmation).
    Held,
    /// Not attempted: the batch stopped after a server failure.
    NotAttempted,
}

impl RowOutcome {
    /// The name shown to the user.
    pub fn name(self) -> &'static str {
        match self {
            RowOutcome::Sent => "sent",
            RowOutcome::Outboxed => "outboxed",
            RowOutcome::Failed => "failed",
            RowOutcome::Unknown => "delivery unknown",
            RowOutcome::Skipped => "skipped",
            RowOutcome::Held => "held",
            RowOutcome::NotAttempted => "not attempted",
        }
    }
}

/// What happened to one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    /// The 1-based row number.
    pub row: usize,
    /// The explicit `key`, if the row has one.
    pub label: Option<String>,
    /// The stable key (`batch_key` in the log).
    pub key: String,
    /// The policy id.
    pub policy: String,
    /// The letter kind.
    pub kind: LetterKind,
    /// How it ended.
    pub outcome: RowOutcome,
    /// For skipped and held rows: how the earlier run ended.
    pub earlier: Option<Delivery>,
    /// True when this run re-sent a stored message.
    pub retried: bool,
    /// The request (case) id, once there is one.
    pub request: Option<RequestId>,
    /// The Message-ID, once there is one.
    pub message_id: Option<String>,
    /// The server's reply, the failure, or the outbox file.
    pub detail: Option<String>,
    /// Warnings from composing the letter.
    pub warnings: Vec<String>,
}

/// The result of a batch.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Rows sent.
    pub sent: usize,
    /// Rows written to the outbox.
    pub outboxed: usize,
    /// Rows whose delivery failed.
    pub failed: usize,
    /// Rows whose delivery is unknown.
    pub unknown: usize,
    /// Rows done by an earlier run.
    pub skipped: usize,
    /// Failed or unknown rows of an earlier run, left alone.
    pub held: usize,
    /// Rows not attempted.
    pub not_attempted: usize,
    /// Every row, in file order.
    pub rows: Vec<RowReport>,
}

impl Summary {
    fn add(&mut self, r: RowReport) {
        match r.outcome {
            RowOutcome::Sent => self.sent += 1,
            RowOutcome::Outboxed => self.outboxed += 1,
            RowOutcome::Failed => self.failed += 1,
            RowOutcome::Unknown => self.unknown += 1,
            RowOutcome::Skipped => self.skipped += 1,
            RowOutcome::Held => self.held += 1,
            RowOutcome::NotAttempted => self.not_attempted += 1,
        }
        self.rows.push(r);
    }

    /// Fails with [`Error::Incomplete`] unless every row ended sent,
    /// outboxed or skipped.
    ///
    /// # Errors
    /// See above.
    pub fn check_complete(&self) -> Result<(), Error> {
        if self.failed + self.unknown + self.held + self.not_attempted == 0 {
            return Ok(());
        }
        Err(Error::Incomplete {
            failed: self.failed,
            unknown: self.unknown,
            held: self.held,
            not_attempted: self.not_attempted,
        })
    }
}

fn report(p: &Planned, outcome: RowOutcome) -> RowReport {
    let (request, earlier) = match &p.action {
        Action::Skip { request, delivery }
        | Action::Hold { request, delivery }
        | Action::Retry { request, delivery } => (Some(request.clone()), Some(*delivery)),
        Action::Send => (None, None),
    };
    RowReport {
        row: p.row.number,
        label: p.row.label.clone(),
        key: p.row.key.clone(),
        policy: p.row.options.to.clone(),
        kind: p.row.options.kind,
        outcome,
        earlier,
        retried: matches!(p.action, Action::Retry { .. }),
        request,
        message_id: None,
        detail: None,
        warnings: Vec::new(),
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

/// One message of the current group, ready to go.
struct Item {
    request: RequestId,
    message: MessageBytes,
    report: RowReport,
}

/// The log plus outcomes not yet appended, and the rows waiting for them.
struct Journal<'f> {
    log: Log,
    pending: Vec<NewEvent>,
    waiting: Vec<RowReport>,
    summary: Summary,
    progress: &'f mut dyn FnMut(&RowReport),
}

impl Journal<'_> {
    /// Appends the pending outcomes (one fsync), then reports their rows.
    fn flush(&mut self) -> Result<(), crate::Error> {
        if !self.pending.is_empty() {
            self.log.append_group(std::mem::take(&mut self.pending))?;
        }
        for r in std::mem::take(&mut self.waiting) {
            self.done(r);
        }
        Ok(())
    }

    fn done(&mut self, r: RowReport) {
        (self.progress)(&r);
        self.summary.add(r);
    }
}

fn to_data<T: Serialize>(payload: &T) -> Result<serde_json::Value, crate::Error> {
    serde_json::to_value(payload).map_err(|e| crate::Error::io("encoding an event", std::io::Error::other(e)))
}

/// Runs the plan. `progress` is called once per row, in order, as soon as
/// its outcome is durable (skipped and held rows at once).
///
/// # Errors
/// The SMTP settings are unusable, or the server cannot be reached or
/// refuses TLS or the credentials ([`Error::NotStarted`]), both before
/// anything is stored or logged; the log is
/// locked, damaged or changed since planning ([`Error::Changed`]); a row no
/// longer builds (a file it names that planning did not keep, see
/// [`crate::request::Files`], changed or went away); an object or event
/// cannot be written. Failed deliveries are not errors: they are in the
/// [`Summary`] (see [`Summary::check_complete`]).
pub fn run(
    plan: &Plan,
    inputs: &Inputs<'_>,
    opts: &RunOptions,
    progress: &mut dyn FnMut(&RowReport),
) -> Result<Summary, crate::Error> {
    // The password and TLS settings are checked before anything is stored.
    let mut mailer = inputs.smtp.map(Mailer::new).transpose()?;
    let backoff = opts.backoff.unwrap_or_else(|| {
        inputs.smtp.map(Backoff::from_settings).unwrap_or(Backoff {
            retries: 0,
            base: Duration::from_secs(1),
            max: Duration::from_secs(1),
        })
    });
    // So is the server: connected (TLS, AUTH) before the data directory is
    // touched, and only when there is something to send. A server that
    // cannot be reached or refuses fails the batch with nothing prepared,
    // so every row stays new (not "failed", which would be held).
    if let Some(m) = mailer.as_mut()
        && plan.rows.iter().any(|p| matches!(p.action, Action::Send | Action::Retry { .. }))
    {
        m.connect_with_retries(&backoff).map_err(|e| Error::NotStarted { source: Box::new(e) })?;
    }
    let log = Log::open(inputs.data_dir)?;
    // Under the lock: the log must still say what it said when planning.
    let cases = cases_by_key(ops::cases::load(inputs.data_dir)?.into_values());
    for p in &plan.rows {
        let now = classify(&p.row, &cases);
        let same = match (&p.action, &now) {
            (Action::Retry { request: a, delivery: x }, Action::Hold { request: b, delivery: y }) => a == b && x == y,
            (a, b) => a == b,
        };
        if !same {
            return Err(Error::Changed { row: p.row.number }.into());
        }
    }
    drop(cases);
    let mut limiter = opts
        .rate
        .filter(|_| mailer.is_some())
        .map(|r| Limiter { interval: Duration::from_secs_f64(60.0 / f64::from(r.max(1))), next: None });
    let group = match (opts.rate, mailer.is_some()) {
        (Some(r), true) => opts.group.min(r.div_ceil(60) as usize),
        (None, true) => opts.group,
        (_, false) => opts.outbox_group,
    }
    .max(1);
    // The DKIM key is read once per batch, not per message.
    let signer = inputs.dkim.map(mail::dkim::Signer::load).transpose()?;
    let smtp = mailer.is_some();
    let store = log.store().clone();
    let mut j = Journal { log, pending: Vec::new(), waiting: Vec::new(), summary: Summary::default(), progress };
    let mut stopped = false;
    // The file cut into segments of at most `group` rows to send, with the
    // skipped and held rows between them.
    let mut segments: Vec<Vec<&Planned>> = Vec::new();
    let mut current: Vec<&Planned> = Vec::new();
    let mut count = 0;
    for p in &plan.rows {
        current.push(p);
        if matches!(p.action, Action::Send | Action::Retry { .. }) {
            count += 1;
            if count == group {
                segments.push(std::mem::take(&mut current));
                count = 0;
            }
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    // A pipeline of two: a scoped thread builds and stores the objects of
    // segment n+1 (CPU and fsync) while this thread logs `prepared` for
    // segment n and sends it. A message is sent only after its `prepared`
    // is durable, which is appended here, in order, after its objects are
    // durable (`build_group` returns only after the store's commit).
    std::thread::scope(|s| -> Result<(), crate::Error> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Option<Built>>, crate::Error>>(0);
        let segs = &segments;
        let signer = signer.as_ref();
        let store = &store;
        s.spawn(move || {
            for seg in segs {
                let sends: Vec<&Planned> = seg.iter().copied().filter(|p| p.action == Action::Send).collect();
                let built = build_group(store, &sends, inputs, signer);
                let failed = built.is_err();
                if tx.send(built).is_err() || failed {
                    break;
                }
            }
        });
        for seg in &segments {
            let actionable: Vec<&Planned> =
                seg.iter().copied().filter(|p| matches!(p.action, Action::Send | Action::Retry { .. })).collect();
            if stopped {
                // Not attempted; the staging thread ends when `rx` drops.
                for &p in seg {
                    let outcome = match p.action {
                        Action::Skip { .. } => RowOutcome::Skipped,
                        Action::Hold { .. } => RowOutcome::Held,
                        Action::Send | Action::Retry { .. } => RowOutcome::NotAttempted,
                    };
                    j.done(report(p, outcome));
                }
                continue;
            }
            for &p in seg {
                match p.action {
                    Action::Skip { .. } => j.done(report(p, RowOutcome::Skipped)),
                    Action::Hold { .. } => j.done(report(p, RowOutcome::Held)),
                    Action::Send | Action::Retry { .. } => {}
                }
            }
            if actionable.is_empty() {
                continue;
            }
            let built = rx.recv().map_err(|_| {
                crate::Error::io("staging a batch group", std::io::Error::other("the staging thread ended"))
            })??;
            let items = stage(&mut j.log, &actionable, built, inputs, smtp)?;
            match mailer.as_mut() {
                Some(m) => {
                    for item in items {
                        stopped |= deliver(&mut j, m, limiter.as_mut(), item, inputs, &backoff)?;
                    }
                }
                None => {
                    let dir = inputs.data_dir.join("outbox");
                    let now = inputs.now;
                    let files =
                        par_map(&items, STAGE_THREADS, |it| mail::outbox::write_unsynced(&dir, &it.message, now()));
                    // Every file is durable before any `outboxed` names it.
                    if files.iter().any(Result::is_ok) {
                        mail::outbox::sync(&dir)?;
                    }
                    for (item, file) in items.into_iter().zip(files) {
                        outboxed(&mut j, item, &file?, inputs)?;
                    }
                }
            }
            j.flush()?;
        }
        Ok(())
    })?;
    j.flush()?;
    if let Some(m) = mailer {
        m.close();
    }
    Ok(j.summary)
}

/// A new row's request, message and stored objects (durable).
struct Built {
    req: Request,
    built: ops::send::Built,
    objects: Vec<crate::evidence::ObjectRef>,
}

/// Builds the messages of a group's new rows (in order) and stores their
/// artifacts; every object is durable when it returns (one commit of the
/// store for the whole group). Needs no log, so it runs beside sending.
fn build_group(
    store: &crate::evidence::Store,
    sends: &[&Planned],
    inputs: &Inputs<'_>,
    signer: Option<&mail::dkim::Signer>,
) -> Result<Vec<Option<Built>>, crate::Error> {
    let batch = store.batch();
    // Building is CPU work, and writing objects waits on the disk: both on
    // several threads.
    let built = par_map(sends, STAGE_THREADS, |p| -> Result<Option<Built>, crate::Error> {
        let now = inputs.now;
        let env = inputs.send_env(&now, false);
        let req = Request::build_with(&p.row.options, inputs.config, inputs.catalog, inputs.files)?;
        req.require_confirmations()?;
        let built = ops::send::prepare_signed(&req, &env, signer)?;
        let objects = ops::send::store_artifacts_with(&req, &built, &|b| batch.put(b))?;
        Ok(Some(Built { req, built, objects }))
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    batch.commit()?;
    Ok(built)
}

/// Appends the group's `prepared` and `retry_confirmed` events with one
/// fsync (the objects of `built`, one per new row in order, are durable).
fn stage(
    log: &mut Log,
    group: &[&Planned],
    built: Vec<Option<Built>>,
    inputs: &Inputs<'_>,
    smtp: bool,
) -> Result<Vec<Item>, crate::Error> {
    let now = inputs.now;
    let mut built = built.into_iter();
    let mut items = Vec::with_capacity(group.len());
    let mut events = Vec::with_capacity(group.len());
    for &p in group {
        let mut r = report(p, RowOutcome::Unknown);
        match &p.action {
            Action::Send => {
                let Some(Some(Built { req, built, objects })) = built.next() else {
                    return Err(crate::Error::io(
                        "staging a batch group",
                        std::io::Error::other("a row was not built"),
                    ));
                };
                let route = if smtp { Route::Smtp } else { Route::Outbox };
                let payload = ops::send::prepared_payload(&req, &built, objects, route, Some(p.row.key.clone()));
                events.push(NewEvent::new(now(), event::PREPARED, Some(built.request.clone()), to_data(&payload)?));
                r.request = Some(built.request.clone());
                r.message_id = Some(built.message.message_id().to_string());
                r.warnings = built.composed.warnings.clone();
                items.push(Item { request: built.request, message: built.message, report: r });
            }
            Action::Retry { request, delivery } => {
                let message = stored_message(log, inputs, request)?;
                let payload = RetryConfirmed {
                    message_id: message.message_id().to_string(),
                    // The same spelling as `send --retry` (ops::retry): the case
                    // status names.
                    from_state: if *delivery == Delivery::Failed { "send-failed" } else { "delivery-unknown" }.into(),
                };
                events.push(NewEvent::new(now(), event::RETRY_CONFIRMED, Some(request.clone()), to_data(&payload)?));
                r.message_id = Some(message.message_id().to_string());
                items.push(Item { request: request.clone(), message, report: r });
            }
            Action::Skip { .. } | Action::Hold { .. } => {}
        }
    }
    log.append_group(events)?;
    Ok(items)
}

/// The stored message of an earlier request: its exact bytes and envelope.
fn stored_message(log: &Log, inputs: &Inputs<'_>, request: &RequestId) -> Result<MessageBytes, crate::Error> {
    let cases = ops::cases::load(inputs.data_dir)?;
    let case = crate::case::find(&cases, request.as_str())?;
    ops::retry::stored_message(log.store(), &case.original)
}

/// Queues `outboxed` for a message written to the outbox.
fn outboxed(j: &mut Journal<'_>, item: Item, file: &Path, inputs: &Inputs<'_>) -> Result<(), crate::Error> {
    let Item { request, message, mut report } = item;
    let rel = file.strip_prefix(inputs.data_dir).unwrap_or(file).to_string_lossy().into_owned();
    let data = to_data(&Outboxed { message_id: message.message_id().to_string(), file: rel.clone() })?;
    j.pending.push(NewEvent::new((inputs.now)(), event::OUTBOXED, Some(request), data));
    report.outcome = RowOutcome::Outboxed;
    report.detail = Some(rel);
    j.waiting.push(report);
    Ok(())
}

/// Sends one message and queues its outcome. Returns true after a failure
/// that concerns the server, not the message.
fn deliver(
    j: &mut Journal<'_>,
    mailer: &mut Mailer,
    limiter: Option<&mut Limiter>,
    item: Item,
    inputs: &Inputs<'_>,
    backoff: &Backoff,
) -> Result<bool, crate::Error> {
    let Item { request, message, mut report } = item;
    let now = inputs.now;
    if let Some(l) = limiter {
        if let Some(wait) = l.wait() {
            // Everything so far is durable before we idle.
            j.flush()?;
            std::thread::sleep(wait);
        }
        l.next = Some(Instant::now() + l.interval);
    }
    let mut log_error: Option<crate::Error> = None;
    let result = mailer.send_with_retries(&message, backoff, |attempt, result| {
        if log_error.is_some() {
            return;
        }
        let queued = queue_attempt(j, &request, &message, attempt, result, backoff, now);
        if let Err(e) = queued {
            log_error = Some(e);
        }
    });
    if let Some(e) = log_error {
        return Err(e);
    }
    let server_failed = match &result {
        Ok(d) => {
            report.outcome = RowOutcome::Sent;
            report.detail = Some(format!("{} {}", d.code, d.text));
            false
        }
        Err(e) => {
            report.outcome = if e.delivery_unknown() { RowOutcome::Unknown } else { RowOutcome::Failed };
            report.detail = Some(e.to_string());
            matches!(e.kind(), SendErrorKind::Connection | SendErrorKind::Tls | SendErrorKind::Auth)
        }
    };
    j.waiting.push(report);
    Ok(server_failed)
}

/// Queues one attempt's event; flushes at once when a back-off wait follows.
fn queue_attempt(
    j: &mut Journal<'_>,
    request: &RequestId,
    message: &MessageBytes,
    attempt: u32,
    result: &Result<mail::Delivery, mail::SendError>,
    backoff: &Backoff,
    now: fn() -> chrono::DateTime<chrono::Utc>,
) -> Result<(), crate::Error> {
    let (name, data, will_retry) = ops::send::attempt_event(j.log.store(), message, attempt, result, backoff)?;
    j.pending.push(NewEvent::new(now(), name, Some(request.clone()), data));
    if will_retry {
        j.log.append_group(std::mem::take(&mut j.pending))?;
    }
    Ok(())
}
