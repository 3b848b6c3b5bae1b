//! `send --batch`: many requests from one CSV or TOML file, idempotent and
//! resumable.
//!
//! # Brief overview
//!
//! - [`plan`] reads the file ([`file`]: one row per request, each with a
//!   stable key), folds the evidence log to find what each key already
//!   did, and validates every row that is still to be sent (the same
//!   [`Request::build`] and preconditions as `dsr send`, plus rendering and
//!   the message's headers; the whole MIME message is built once, when the
//!   row's group runs). Problems of *all* rows are reported together, with
//!   their row numbers, before anything is stored ([`Error::InvalidRows`]).
//! - Each row gets an [`Action`]: new rows are sent; rows whose message was
//!   sent or outboxed are skipped; rows whose delivery failed or is unknown
//!   are held, unless the user confirmed ([`Plan::confirm_retries`]): then
//!   the *stored* message (same bytes, same Message-ID) goes out again after
//!   a `retry_confirmed` event, never a new one.
//! - [`run`] executes the plan under the log's lock (checking first that
//!   the log did not change since planning), over one SMTP connection.
//!
//! # Groups and crash semantics
//!
//! Rows are handled in groups (at most [`RunOptions::group`] rows over SMTP,
//! [`RunOptions::outbox_group`] to the outbox, and with
//! a rate limit at most about one second's worth of messages):
//!
//! 1. every artifact of the group is stored, and made durable together by
//!    one commit of the store (`syncfs`, [`crate::evidence::StoreBatch`]);
//!    a scoped thread does this for group n+1 while group n is sent;
//! 2. the group's `prepared` (and `retry_confirmed`) events are appended
//!    with one write and one fsync ([`Log::append_group`]);
//! 3. the messages go out one by one; their outcomes (`sent`,
//!    `send_failed`, `outboxed`) are group-committed: appended together
//!    when the group ends, before any wait for the rate limit and before a
//!    4xx retry's back-off. A row is reported as done only once its outcome
//!    is durable.
//!
//! A crash (or SIGKILL) anywhere loses nothing and sends nothing twice: a
//! row whose `prepared` is not in the log was never sent, and is new on the
//! next run; a row whose `prepared` is logged but whose outcome is not
//! shows as *delivery unknown* (it may or may not have reached the server)
//! and is held until the user confirms a retry — never treated as unsent.
//! Group-committing outcomes widens that window to the messages of one
//! group since its last flush; with `--rate` each outcome is durable before
//! the next message starts.
//!
//! # Server failures
//!
//! With SMTP configured and rows to send, [`run`] opens the session
//! (connect, STARTTLS or implicit TLS, AUTH; [`crate::mail::Mailer::connect`])
//! before it touches the data directory. A server that cannot be reached,
//! or refuses TLS or the credentials, fails the batch with
//! [`Error::NotStarted`] (exit 3): no object is stored, no event logged,
//! so every row is still new on the next run — not "failed", which would
//! be held for `--retry-failed`. Transient refusals (4xx) are retried as
//! for a message first.
//!
//! When the connection fails later, mid-batch (the server went away, a
//! reconnect is refused), the current group is finished (its messages are
//! already prepared, and each gets its `send_failed` or delivery-unknown
//! outcome) and no further group is started; those rows are reported as
//! not attempted and stay new.

mod file;
mod run;

pub use file::{FIELDS, Row};
pub use run::{RowOutcome, RowReport, RunOptions, Summary, run};

use crate::case::{Case, Delivery};
use crate::config::Config;
use crate::evidence::RequestId;
use crate::exit::ExitKind;
use crate::field::Words;
use crate::ops;
use crate::ops::deliver::Env;
use crate::ops::parallel;
use crate::policy::Catalog;
use crate::request::{Files, Request};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The 1-based row number.
    pub row: usize,
    /// The line the row starts on.
    pub line: u64,
    /// What is wrong.
    pub message: String,
    /// What to do, if known.
    pub hint: Option<String>,
}

impl RowError {
    fn new(row: usize, line: u64, message: impl Into<String>, hint: impl Into<String>) -> RowError {
        let hint = hint.into();
        RowError { row, line, message: message.into(), hint: (!hint.is_empty()).then_some(hint) }
    }
}

/// Why a batch cannot run (or did not finish).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file as a whole cannot be used (type, header, shape).
    #[error("{}: {message}", path.display())]
    Unusable {
        /// The batch file.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: String,
    },
    /// Some rows are invalid; nothing was stored, logged or sent.
    #[error("{}", InvalidRowsText { path, total: *total, rows })]
    InvalidRows {
        /// The batch file.
        path: PathBuf,
        /// Rows in the file.
        total: usize,
        /// Every problem, in row order.
        rows: Vec<RowError>,
    },
    /// The log changed between planning and running.
    #[error("{}", crate::t!("batch.changed", row = row))]
    Changed {
        /// The first row whose state changed.
        row: usize,
    },
    /// Rows that would be sent again were not confirmed.
    #[error("{}", crate::t!("batch.retry-not-confirmed", count = count))]
    RetryNotConfirmed {
        /// How many.
        count: usize,
    },
    /// The SMTP session could not be opened (connect, TLS or AUTH) before
    /// the first message; nothing was stored, logged or sent.
    #[error("{}", crate::t!("batch.not-started", source = source))]
    NotStarted {
        /// The last connection attempt's error.
        source: Box<crate::mail::SendError>,
    },
    /// The batch ran, but not every row ended sent, outboxed or skipped.
    #[error(
        "{}",
        crate::t!("batch.incomplete", failed = failed, unknown = unknown, held = held, not_attempted = not_attempted)
    )]
    Incomplete {
        /// Rows whose delivery failed.
        failed: usize,
        /// Rows whose delivery is unknown.
        unknown: usize,
        /// Failed or unknown rows from earlier runs, not retried.
        held: usize,
        /// Rows not attempted after a server failure.
        not_attempted: usize,
    },
}

struct InvalidRowsText<'a> {
    path: &'a Path,
    total: usize,
    rows: &'a [RowError],
}

impl fmt::Display for InvalidRowsText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut bad: Vec<usize> = self.rows.iter().map(|r| r.row).collect();
        bad.dedup();
        f.write_str(&crate::t!("batch.invalid-rows", path = self.path.display(), bad = bad.len(), total = self.total))?;
        for r in self.rows {
            let message = r.message.replace('\n', "\n    ");
            write!(f, "\n  {}", crate::t!("batch.invalid-row", row = r.row, line = r.line, message = message))?;
            if let Some(h) = &r.hint {
                write!(f, "\n    {} {h}", crate::t!("report.help"))?;
            }
        }
        Ok(())
    }
}

impl Error {
    /// What the user can do.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Unusable { hint, .. } => hint.clone(),
            Error::InvalidRows { .. } => crate::t!("batch.invalid-rows-hint"),
            Error::Changed { .. } => crate::t!("batch.changed-hint"),
            Error::RetryNotConfirmed { .. } => crate::t!("batch.retry-not-confirmed-hint"),
            Error::NotStarted { source } => crate::t!("batch.not-started-hint", hint = source.hint()),
            Error::Incomplete { held, .. } if *held > 0 => crate::t!("batch.incomplete-held-hint"),
            Error::Incomplete { .. } => crate::t!("batch.incomplete-hint"),
        })
    }

    /// The exit code class.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Incomplete { .. } | Error::NotStarted { .. } => ExitKind::DeliveryFailed,
            Error::Changed { .. } => ExitKind::Locked,
            _ => ExitKind::BadInput,
        }
    }
}

/// What a batch needs besides the file.
pub struct Inputs<'a> {
    /// What every sending workflow needs (data directory, SMTP, DKIM,
    /// templates, clock, `-v`).
    pub env: &'a Env<'a>,
    /// The configuration (sender, extra holidays).
    pub config: &'a Config,
    /// The policies.
    pub catalog: &'a Catalog,
    /// Subject files and attachments, read once for validation and
    /// sending alike.
    pub files: &'a Files,
    /// `--allow-outside-paths`: rows may name files outside the batch
    /// file's directory (docs/batch.md, "Paths").
    pub allow_outside_paths: bool,
}

/// What will happen to a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// New: prepare and send.
    Send,
    /// Sent or outboxed by an earlier run: nothing to do.
    Skip {
        /// The earlier request.
        request: RequestId,
        /// How it ended.
        delivery: Delivery,
    },
    /// Failed or delivery unknown, confirmed: send the stored message again.
    Retry {
        /// The earlier request.
        request: RequestId,
        /// How it ended.
        delivery: Delivery,
    },
    /// Failed or delivery unknown, not confirmed: left alone.
    Hold {
        /// The earlier request.
        request: RequestId,
        /// How it ended.
        delivery: Delivery,
    },
    /// Refused for good (a 5xx for the recipient, or a bounce): never sent
    /// again, not even with `--retry-failed`, since the same bytes would go
    /// to the same address; `dsr send --readdress` sends the letter to a
    /// corrected one (issue 17 point 6).
    Refused {
        /// The earlier request.
        request: RequestId,
        /// How it ended.
        delivery: Delivery,
    },
}

/// One row and what will happen to it.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The row.
    pub row: Row,
    /// What will happen.
    pub action: Action,
    /// For a row to send: its subject key, company and kind (the
    /// duplicate guard, [`ops::guard`]), filled in by validation.
    pub same: Option<(String, crate::policy::PolicyId, crate::kind::LetterKind)>,
    /// For a row to send: what the confirmation shows (recipient, kind,
    /// channel, attachments), filled in by validation.
    pub preview: Option<ops::preview::Preview>,
}

/// A validated batch. See the module docs.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The batch file.
    pub file: PathBuf,
    /// Every row, in file order.
    pub rows: Vec<Planned>,
}

impl Plan {
    /// Rows held because their delivery failed or is unknown, which
    /// `--retry-failed` may send again (not those refused for good).
    pub fn held(&self) -> impl Iterator<Item = &Planned> {
        self.rows.iter().filter(|p| matches!(p.action, Action::Hold { .. }))
    }

    /// The user confirmed: held rows will be sent again (their stored
    /// message, after a `retry_confirmed` event).
    pub fn confirm_retries(&mut self) {
        for p in &mut self.rows {
            if let Action::Hold { request, delivery } = &p.action {
                p.action = Action::Retry { request: request.clone(), delivery: *delivery };
            }
        }
    }

    /// How many rows have each action: (send, skip, retry, hold).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for p in &self.rows {
            match p.action {
                Action::Send => c.0 += 1,
                Action::Skip { .. } => c.1 += 1,
                Action::Retry { .. } => c.2 += 1,
                Action::Hold { .. } | Action::Refused { .. } => c.3 += 1,
            }
        }
        c
    }
}

/// The latest case of each batch key.
fn cases_by_key(cases: impl IntoIterator<Item = Case>) -> HashMap<String, Case> {
    let mut by_key: HashMap<String, Case> = HashMap::new();
    for c in cases {
        if let Some(k) = c.original.prepared.batch_key.clone() {
            match by_key.get(&k) {
                Some(old) if old.original.seq > c.original.seq => {}
                _ => {
                    by_key.insert(k, c);
                }
            }
        }
    }
    by_key
}

fn classify(row: &Row, cases: &HashMap<String, Case>) -> Action {
    let Some(c) = cases.get(&row.key) else { return Action::Send };
    let (request, delivery) = (c.request.clone(), c.original.delivery);
    match delivery {
        Delivery::Sent | Delivery::Outboxed | Delivery::Dispatched => Action::Skip { request, delivery },
        Delivery::Failed if c.original.refusal().is_some() => Action::Refused { request, delivery },
        Delivery::Failed | Delivery::Unknown => Action::Hold { request, delivery },
    }
}

/// Parses the text of a batch file named `path` (CSV or TOML by its
/// extension) into rows, without reading any file a row names: how many
/// rows are usable and how many problems were found, or why the file as a
/// whole is unusable. For fuzzing ([`crate::fuzz`]) and tools; `plan` is
/// what `send --batch` runs.
///
/// # Errors
/// The file's shape (syntax, no rows, unknown type), as a message.
pub fn parse_text(path: &Path, text: &str) -> Result<(usize, usize), String> {
    match file::parse(path, text, true) {
        Ok((rows, errors)) => Ok((rows.len(), errors.len())),
        Err(file::FileProblem::File(e)) => Err(e.to_string()),
        Err(file::FileProblem::Toml(e)) => Err(e.to_string()),
        Err(file::FileProblem::Other(message, _)) => Err(message),
    }
}

/// Reads the batch file, folds the log and validates every row still to
/// be sent. Nothing is stored, logged or sent.
///
/// # Errors
/// The file cannot be read or has the wrong shape; any row is invalid
/// ([`Error::InvalidRows`], every row's problems together); the log cannot
/// be folded.
pub fn plan(path: &Path, inputs: &Inputs<'_>) -> Result<Plan, crate::Error> {
    let (rows, mut errors) = file::read(path, !inputs.allow_outside_paths).map_err(|p| match p {
        file::FileProblem::File(e) => crate::Error::File(e),
        file::FileProblem::Toml(e) => crate::Error::Toml(e),
        file::FileProblem::Other(message, hint) => Error::Unusable { path: path.to_path_buf(), message, hint }.into(),
    })?;
    let total = rows.len() + errors.iter().map(|e| e.row).collect::<std::collections::BTreeSet<_>>().len();
    let cases = cases_by_key(ops::cases::load(inputs.env.data_dir)?.into_values());
    let mut planned: Vec<Planned> = rows
        .into_iter()
        .map(|row| {
            let action = classify(&row, &cases);
            Planned { row, action, same: None, preview: None }
        })
        .collect();
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let checked = parallel::map(&planned, cpus, |p| {
        if p.action != Action::Send {
            return Ok(None);
        }
        validate(&p.row, inputs).map(Some)
    });
    let store = crate::evidence::Store::new(inputs.env.data_dir);
    let all = ops::cases::load(inputs.env.data_dir)?;
    let mut firsts: HashMap<(String, crate::policy::PolicyId, crate::kind::LetterKind), usize> = HashMap::new();
    for (p, result) in planned.iter_mut().zip(checked) {
        match &result {
            Ok(Some((same, preview))) => {
                // The duplicate guard: against the open cases, then against
                // the rows above.
                if let Some(c) = ops::guard::duplicate(&store, &all, &same.0, &same.1, same.2) {
                    errors.push(RowError::new(
                        p.row.number,
                        p.row.line,
                        crate::t!(
                            "guard.duplicate",
                            id = c.request,
                            kind = c.kind,
                            company = c.company,
                            state = c.status().shown()
                        ),
                        crate::t!("cli.batch.open-case-hint", id = c.request),
                    ));
                } else if let Some(first) = firsts.get(same) {
                    errors.push(RowError::new(
                        p.row.number,
                        p.row.line,
                        crate::t!("cli.batch.same-subject", first = first),
                        crate::t!("cli.batch.same-subject-hint"),
                    ));
                } else {
                    firsts.insert(same.clone(), p.row.number);
                }
                p.same = Some(same.clone());
                p.preview = Some(preview.clone());
            }
            Ok(None) => {}
            Err(_) => {}
        }
        if let Err(e) = result {
            // The row's own words: its fields, not `dsr send`'s options.
            let words = Words::Row { inline_subject: p.row.options.inline_subject.is_some() };
            errors.push(RowError::new(
                p.row.number,
                p.row.line_of(e.row_field(words).as_deref()),
                e.message_in(words),
                e.hint_in(words).unwrap_or_default(),
            ));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(Error::InvalidRows { path: path.to_path_buf(), total, rows: errors }.into());
    }
    // A DKIM key that cannot be used fails here, once, not per row.
    if let Some(d) = inputs.env.dkim {
        crate::mail::dkim::Signer::load(d)?;
    }
    Ok(Plan { file: path.to_path_buf(), rows: planned })
}

/// Everything `dsr send` checks, plus rendering and the message's headers
/// (without DKIM, checked once): what can fail for this row fails now. The
/// whole MIME message (body and attachments encoded) is built only when
/// the row is sent: its encoding cannot fail on input that passed these
/// checks, and building it twice cost half of a batch's CPU.
fn validate(row: &Row, inputs: &Inputs<'_>) -> Result<(Same, ops::preview::Preview), crate::Error> {
    let env = inputs.env;
    let req = Request::build_with(&row.options, inputs.config, inputs.catalog, inputs.files)?;
    req.require_confirmations()?;
    let now = (env.now)();
    // A fixed request id and nonce: the letter renders the same way with
    // any, and no random source is read per row.
    let id = crate::evidence::RequestId::from_random([0; 10]);
    let composed = ops::compose::compose(&req, env.renderer, now, Some(id.as_str()), [0; 32])?;
    let message_id = crate::mail::message::generate_message_id(req.sender.email.domain(), &[0; 16])?;
    crate::mail::message::build(&ops::send::message_spec(&req, &composed, message_id, now, false), None)?;
    let same = (ops::guard::subject_key(&req), req.policy.id.clone(), req.kind);
    Ok((same, ops::preview::Preview::of_request(&req)))
}

/// What makes two requests the same for the duplicate guard: subject key,
/// company and kind.
type Same = (String, crate::policy::PolicyId, crate::kind::LetterKind);
