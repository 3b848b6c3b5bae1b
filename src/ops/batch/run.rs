//! Executing a [`Plan`]: groups, one SMTP connection, group-committed
//! events, the rate limit. The crash semantics are in the parent module.

use super::{Action, Error, Inputs, Plan, Planned, cases_by_key, classify};
use crate::case::Delivery;
use crate::case::event::{self, Event, RetryConfirmed};
use crate::evidence::{Log, NewEvent, RequestId, Store};
use crate::kind::LetterKind;
use crate::mail::smtp::Backoff;
use crate::mail::{self, MessageBytes};
use crate::ops::deliver::{self, Attempted, Clock, Delivered, Route, Sink, Staged};
use crate::ops::{self, parallel};
use crate::request::Request;
use crate::trace::Tracer;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

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
    /// Outcomes are also made durable before the group ends: at once after
    /// an attempt that took this long or longer, else once the oldest of
    /// them waited this long. The window in which a crash leaves accepted
    /// messages "delivery unknown" is the message in flight plus at most
    /// this long, not a whole group. Default [`COMMIT_AFTER`].
    pub commit_after: Duration,
}

/// How long an outcome may wait for its group's commit (BENCHMARKS.md,
/// "batch commit window": the cost against a local server).
pub const COMMIT_AFTER: Duration = Duration::from_millis(100);

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions { rate: None, group: 50, outbox_group: 200, backoff: None, commit_after: COMMIT_AFTER }
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
    pub fn name(self) -> String {
        match self {
            RowOutcome::Sent => crate::t!("cli.outcome.sent"),
            RowOutcome::Outboxed => crate::t!("cli.outcome.outboxed"),
            RowOutcome::Failed => crate::t!("cli.outcome.failed"),
            RowOutcome::Unknown => crate::t!("cli.outcome.unknown"),
            RowOutcome::Skipped => crate::t!("cli.outcome.skipped"),
            RowOutcome::Held => crate::t!("cli.outcome.held"),
            RowOutcome::NotAttempted => crate::t!("cli.outcome.not-attempted"),
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
    pub policy: crate::policy::PolicyId,
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
    pub message_id: Option<crate::mail::MessageId>,
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
        | Action::Refused { request, delivery }
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

/// The batch's [`Sink`]: events are group-committed (queued, then
/// appended with one write and one fsync at [`Sink::flush`]), and a row is
/// reported only once its outcome is durable.
struct Journal<'f> {
    log: Log,
    now: Clock<'f>,
    tracer: Tracer,
    data_dir: &'f Path,
    /// Events not yet appended.
    pending: Vec<NewEvent>,
    /// Rows being delivered in the current group, by case.
    in_flight: HashMap<RequestId, RowReport>,
    /// Rows whose outcome is queued, in order.
    waiting: Vec<RowReport>,
    summary: Summary,
    progress: &'f mut dyn FnMut(&RowReport),
    /// A failure of the server (not of one message): no further group starts.
    stopped: bool,
    /// Objects put (deferred) since the last flush, to sync before it.
    unsynced: Vec<crate::evidence::Sha256>,
    /// When the oldest outcome not yet durable was recorded.
    first_outcome: Option<Instant>,
    /// When the last outcome was recorded, or the last flush ended: the
    /// start of the attempt now under way.
    last_mark: Option<Instant>,
    /// [`RunOptions::commit_after`].
    commit_after: Duration,
}

impl Journal<'_> {
    fn done(&mut self, r: RowReport) {
        (self.progress)(&r);
        self.summary.add(r);
    }
}

impl Sink for Journal<'_> {
    fn store(&self) -> &Store {
        self.log.store()
    }

    /// Queues the event. An attempt's outcome is made durable (with every
    /// queued event) at once when that attempt took `commit_after` or
    /// longer (a slow server: one commit costs little beside it), and
    /// otherwise once the oldest queued outcome is `commit_after` old. So
    /// a crash leaves at most the message in flight and those accepted in
    /// the last `commit_after` without their `sent` line ("delivery
    /// unknown"), whatever the group size.
    fn record(&mut self, request: &RequestId, event: Event) -> Result<(), crate::Error> {
        let outcome = matches!(event, Event::Sent(_) | Event::SendFailed(_));
        self.pending.push(event.into_new((self.now)(), request.clone()));
        if outcome {
            let now = Instant::now();
            let slow = self.last_mark.is_some_and(|t| now.duration_since(t) >= self.commit_after);
            self.last_mark = Some(now);
            self.first_outcome.get_or_insert(now);
            if slow {
                self.flush()?;
            } else {
                self.tick()?;
            }
        }
        Ok(())
    }

    /// Commits the queued outcomes once the oldest is `commit_after` old;
    /// called after each outcome and before each message.
    fn tick(&mut self) -> Result<(), crate::Error> {
        if self.first_outcome.is_some_and(|first| first.elapsed() >= self.commit_after) {
            self.flush()?;
        }
        Ok(())
    }

    /// Written now, made durable at the next flush, before the events
    /// naming it.
    fn put(&mut self, bytes: &[u8]) -> Result<crate::evidence::Stored, crate::Error> {
        let stored = self.log.store().put_deferred(bytes)?;
        self.unsynced.push(stored.sha256);
        Ok(stored)
    }

    /// Makes the objects put since the last flush durable (their fsyncs
    /// together), appends the pending events (one fsync), then reports
    /// their rows.
    fn flush(&mut self) -> Result<(), crate::Error> {
        self.first_outcome = None;
        if !self.unsynced.is_empty() {
            self.log.store().sync_objects(&self.unsynced)?;
            self.unsynced.clear();
        }
        if !self.pending.is_empty() {
            for e in self.log.append_group(std::mem::take(&mut self.pending))? {
                deliver::trace_line(&self.tracer, self.log.path(), e.seq, &e.event);
            }
        }
        for r in std::mem::take(&mut self.waiting) {
            self.done(r);
        }
        // The next attempt's time is counted from here.
        self.last_mark = Some(Instant::now());
        Ok(())
    }

    fn finished(&mut self, outcome: Attempted) {
        let mut report = self.in_flight.remove(&outcome.request).expect("every dispatched message has its row");
        match outcome.result {
            Ok(Delivered::Smtp { code, reply, .. }) => {
                report.outcome = RowOutcome::Sent;
                report.detail = Some(format!("{code} {reply}"));
            }
            Ok(Delivered::Outbox { file } | Delivered::Post { file }) => {
                report.outcome = RowOutcome::Outboxed;
                report.detail = Some(file.strip_prefix(self.data_dir).unwrap_or(&file).to_string_lossy().into_owned());
            }
            // A batch sends by email only (every row is checked for it).
            Ok(Delivered::Webform { files }) => {
                report.outcome = RowOutcome::Outboxed;
                report.detail = files.first().map(|f| f.to_string_lossy().into_owned());
            }
            Err(e) => {
                report.outcome = if e.delivery_unknown() { RowOutcome::Unknown } else { RowOutcome::Failed };
                report.detail = Some(e.to_string());
                self.stopped |= deliver::is_server_failure(&e);
            }
        }
        self.waiting.push(report);
    }
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
    let env = inputs.env;
    // The password and TLS settings are checked before anything is stored.
    let mut route = Route::new(env)?;
    if let Some(b) = opts.backoff {
        route.set_backoff(b);
    }
    route.limit_rate(opts.rate);
    let smtp = route.kind() == event::Route::Smtp;
    // So is the server: connected (TLS, AUTH) before the data directory is
    // touched, and only when there is something to send. A server that
    // cannot be reached or refuses fails the batch with nothing prepared,
    // so every row stays new (not "failed", which would be held).
    if plan.rows.iter().any(|p| matches!(p.action, Action::Send | Action::Retry { .. })) {
        route.open().map_err(|e| Error::NotStarted { source: Box::new(e) })?;
    }
    let log = Log::open(env.data_dir)?;
    // Under the lock: the log must still say what it said when planning.
    let all = ops::cases::load(env.data_dir)?;
    let cases = cases_by_key(all.values().cloned());
    for p in &plan.rows {
        // The duplicate guard again, under the lock: a single send since
        // planning must not be sent a second time by this batch.
        if let Some(same) = &p.same
            && p.action == Action::Send
            && let Some(c) = ops::guard::duplicate(log.store(), &all, &same.0, &same.1, same.2)
        {
            return Err(ops::guard::refusal(c));
        }
        let now = classify(&p.row, &cases);
        let same = match (&p.action, &now) {
            (Action::Retry { request: a, delivery: x }, Action::Hold { request: b, delivery: y }) => a == b && x == y,
            (a, b) => a == b,
        };
        if !same {
            return Err(Error::Changed { row: p.row.number }.into());
        }
    }
    drop((cases, all));
    let group = match (opts.rate, smtp) {
        (Some(r), true) => opts.group.min(r.div_ceil(60) as usize),
        (None, true) => opts.group,
        (_, false) => opts.outbox_group,
    }
    .max(1);
    // The DKIM key is read once per batch, not per message.
    let signer = env.dkim.map(mail::dkim::Signer::load).transpose()?;
    let store = log.store().clone();
    let mut j = Journal {
        log,
        now: env.now,
        tracer: env.tracer.clone(),
        data_dir: env.data_dir,
        pending: Vec::new(),
        in_flight: HashMap::new(),
        waiting: Vec::new(),
        summary: Summary::default(),
        progress,
        stopped: false,
        unsynced: Vec::new(),
        first_outcome: None,
        last_mark: None,
        commit_after: opts.commit_after,
    };
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
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Built>, crate::Error>>(0);
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
            for &p in seg {
                match p.action {
                    Action::Skip { .. } => j.done(report(p, RowOutcome::Skipped)),
                    Action::Hold { .. } => j.done(report(p, RowOutcome::Held)),
                    Action::Refused { ref request, .. } => {
                        let mut r = report(p, RowOutcome::Held);
                        r.detail = Some(format!(
                            "refused for good, not sent again; to a corrected address: `dsr send --readdress \
                             {request} --to-address NEW@ADDRESS`"
                        ));
                        j.done(r)
                    }
                    // Not attempted after a server failure; the staging
                    // thread ends when `rx` drops.
                    Action::Send | Action::Retry { .. } if j.stopped => j.done(report(p, RowOutcome::NotAttempted)),
                    Action::Send | Action::Retry { .. } => {}
                }
            }
            if j.stopped || actionable.is_empty() {
                continue;
            }
            // The staging thread sends one result per segment with rows to
            // send, and ends only after the last or an error (sent here).
            let built = rx.recv().expect("the staging thread sends every group it builds, or its error")?;
            let staged = stage(&mut j, &actionable, built, inputs, route.kind())?;
            deliver::dispatch(&mut route, &mut j, staged)?;
            j.flush()?;
        }
        Ok(())
    })?;
    j.flush()?;
    route.close();
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
) -> Result<Vec<Built>, crate::Error> {
    let batch = store.batch();
    // Building is CPU work, and writing objects waits on the disk: both on
    // several threads.
    let built = parallel::map(sends, parallel::STAGE_THREADS, |p| -> Result<Built, crate::Error> {
        let req = Request::build_with(&p.row.options, inputs.config, inputs.catalog, inputs.files)?;
        req.require_confirmations()?;
        let built = ops::send::prepare_signed(&req, inputs.env, signer)?;
        let tag = ops::guard::Tag::new(&req, None, p.row.label.as_deref()).to_bytes()?;
        let objects = ops::send::store_artifacts(&|b| batch.put(b), &req, &built.composed, &built.message, &tag)?;
        Ok(Built { req, built, objects })
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    batch.commit()?;
    for b in &built {
        deliver::trace_objects(&inputs.env.tracer, store, &b.objects);
    }
    Ok(built)
}

/// The group's messages with the event each needs before it leaves:
/// `prepared` for a new row (its objects in `built`, one per new row in
/// order, are durable), `retry_confirmed` for a confirmed retry. Each row's
/// report waits in the journal for its outcome.
fn stage(
    j: &mut Journal<'_>,
    group: &[&Planned],
    built: Vec<Built>,
    inputs: &Inputs<'_>,
    route: event::Route,
) -> Result<Vec<Staged>, crate::Error> {
    let mut built = built.into_iter();
    let mut staged = Vec::with_capacity(group.len());
    for &p in group {
        let mut r = report(p, RowOutcome::Unknown);
        let (request, before, message) = match &p.action {
            Action::Send => {
                let Built { req, built, objects } = built.next().expect("build_group builds every new row");
                let ops::send::Built { request, composed, message } = built;
                let payload = ops::send::prepared_payload(
                    &req,
                    &composed,
                    message.message_id(),
                    objects,
                    route,
                    Some(p.row.key.clone()),
                );
                r.request = Some(request.clone());
                r.warnings = composed.warnings;
                (request, Event::Prepared(payload), message)
            }
            Action::Retry { request, delivery } => {
                let message = stored_message(j.log.store(), inputs, request)?;
                let from_state = delivery.retry_from().expect("held rows were not accepted");
                let payload = RetryConfirmed { message_id: message.message_id().clone(), from_state };
                (request.clone(), Event::RetryConfirmed(payload), message)
            }
            Action::Skip { .. } | Action::Hold { .. } | Action::Refused { .. } => {
                unreachable!("only rows to send are staged")
            }
        };
        r.message_id = Some(message.message_id().clone());
        j.in_flight.insert(request.clone(), r);
        staged.push(Staged { request, before, message: message.into() });
    }
    Ok(staged)
}

/// The stored message of an earlier request: its exact bytes and envelope.
fn stored_message(store: &Store, inputs: &Inputs<'_>, request: &RequestId) -> Result<MessageBytes, crate::Error> {
    let cases = ops::cases::load(inputs.env.data_dir)?;
    let case = crate::case::find(&cases, request.as_str())?;
    ops::retry::stored_message(store, &case.original)
}
