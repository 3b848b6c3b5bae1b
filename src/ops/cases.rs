//! Reading cases: fold the log, and summarise each case for `dsr status`.

use crate::Error;
use crate::case::{self, Case};
use crate::config::Config;
use crate::evidence::{self, RequestId};
use crate::kind::LetterKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Every case in the data directory's log.
///
/// # Errors
/// The log is damaged or an event does not fold.
pub fn load(data_dir: &Path) -> Result<BTreeMap<RequestId, Case>, Error> {
    Ok(case::state::fold_log(data_dir)?)
}

/// One line of `dsr status`.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The request id.
    pub request: RequestId,
    /// The company.
    pub company: String,
    /// The policy id.
    pub policy: crate::policy::PolicyId,
    /// The original request's kind.
    pub kind: LetterKind,
    /// The case's label (`--label`, else the subject's name or the batch
    /// row's key), `(purged)` after `dsr purge`; `None` for a case from
    /// before labels ([`Row::labelled`] fills it in).
    pub label: Option<String>,
    /// The subject's name, while the case's tag exists (searched by
    /// `status --search`, not shown).
    #[serde(skip)]
    pub name: Option<String>,
    /// The case's state.
    pub state: case::Status,
    /// When the original was sent (server acceptance).
    pub sent_at: Option<DateTime<Utc>>,
    /// When a delivery report says the company's server took the original.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
    /// True when a delivery report says the original was delivered but
    /// gives no date (`delivered_at` is then unknown).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub delivered_time_unknown: bool,
    /// When the answer is due (earlier reading).
    pub due: Option<NaiveDate>,
    /// The later reading: overdue only after this day.
    pub due_later: Option<NaiveDate>,
    /// What `due` rests on.
    pub due_basis: Option<case::DueBasis>,
    /// Days until `due` (negative: past), counted in the company's calendar.
    pub days_left: Option<i64>,
    /// True after the later reading's deadline.
    pub overdue: bool,
    /// True when the case needs nothing more from the company.
    pub settled: bool,
    /// For a letter sent by post or through a web form: the day of receipt
    /// `due` is counted from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
    /// True when that day is only presumed (a posted letter whose receipt
    /// is not recorded yet).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub receipt_presumed: bool,
    /// The answer date the latest sent reminder set, when later than
    /// `due`: what the calendar plans for once the legal period ran out.
    #[serde(skip)]
    pub reminder_due: Option<NaiveDate>,
    /// How often the case's dates changed (sent reminders, extensions, a
    /// recorded day of receipt): the calendar event's SEQUENCE.
    #[serde(skip)]
    pub revision: u32,
}

/// Summarises a case as of `now`.
///
/// # Errors
/// A date out of range.
pub fn row(c: &Case, config: &Config, now: DateTime<Utc>) -> Result<Row, Error> {
    let extra = config.extra_days(c.calendar);
    let due = c.due(&extra)?;
    let today = now.with_timezone(&c.calendar.time_zone()).date_naive();
    Ok(Row {
        request: c.request.clone(),
        company: c.company.clone(),
        policy: c.policy.clone(),
        kind: c.kind,
        label: None,
        name: None,
        state: c.status(),
        sent_at: c.original.sent_at,
        delivered_at: c.original.delivered_at,
        delivered_time_unknown: c.original.delivered_time_unknown(),
        due: due.as_ref().map(|d| d.date),
        due_later: due.as_ref().map(|d| d.later),
        due_basis: due.as_ref().map(|d| d.basis),
        days_left: due.as_ref().map(|d| (d.date - today).num_days()),
        // As `Case::is_overdue`, from the `due` computed above.
        overdue: due.as_ref().is_some_and(|d| today > d.later),
        settled: c.is_settled(),
        received_on: due.as_ref().and_then(|d| d.received_on),
        receipt_presumed: due.as_ref().is_some_and(|d| d.presumed),
        reminder_due: c
            .followups
            .iter()
            .filter(|m| m.kind == LetterKind::Reminder && m.delivery.has_left())
            .filter_map(|m| m.prepared.stated_deadline)
            .next_back()
            .filter(|r| due.as_ref().is_some_and(|d| *r > d.date)),
        revision: revision(c),
    })
}

impl Row {
    /// The row with the case's label and subject name from its tag.
    pub fn labelled(mut self, store: &evidence::Store, c: &Case) -> Row {
        let l = super::guard::labelled(store, c);
        self.label = l.shown().map(str::to_string);
        if let super::guard::Labelled::Tag(t) = l {
            self.name = t.name;
        }
        self
    }

    /// True when `text` occurs, ignoring case, in the label, the subject's
    /// name, the company or the request id (`dsr status --search`).
    pub fn matches(&self, text: &str) -> bool {
        let t = text.to_lowercase();
        [self.label.as_deref(), self.name.as_deref(), Some(self.company.as_str()), Some(self.request.as_str())]
            .into_iter()
            .flatten()
            .any(|f| f.to_lowercase().contains(&t))
    }
}

/// The case `text` names: its id or a unique id prefix (as
/// [`case::find`]), else the one case whose label is `text` (ignoring
/// case), else the one whose label or subject name contains it.
///
/// # Errors
/// No case matches ([`case::find`]'s error), or several do: the error
/// lists them.
pub fn find<'a>(store: &evidence::Store, cases: &'a BTreeMap<RequestId, Case>, text: &str) -> Result<&'a Case, Error> {
    let by_id = match case::find(cases, text) {
        Ok(c) => return Ok(c),
        Err(e) => e,
    };
    let prefixed: Vec<&Case> = cases.values().filter(|c| c.request.as_str().starts_with(text)).collect();
    if prefixed.len() > 1 && text.len() >= 3 {
        return Err(ambiguous(store, text, &crate::t!("ops.cases.what-id-prefix"), &prefixed));
    }
    let tagged: Vec<(&Case, super::guard::Tag)> =
        cases.values().filter_map(|c| super::guard::read(store, c).map(|t| (c, t))).collect();
    let wanted = text.trim().to_lowercase();
    let exact: Vec<&Case> =
        tagged.iter().filter(|(_, t)| t.label.trim().to_lowercase() == wanted).map(|(c, _)| *c).collect();
    let found = if exact.is_empty() {
        tagged.iter().filter(|(_, t)| !wanted.is_empty() && t.matches(&wanted)).map(|(c, _)| *c).collect()
    } else {
        exact
    };
    match found.as_slice() {
        [] => Err(by_id.into()),
        [one] => Ok(one),
        many => Err(ambiguous(store, text, &crate::t!("ops.cases.what-label"), many)),
    }
}

fn ambiguous(store: &evidence::Store, text: &str, what: &str, cases: &[&Case]) -> Error {
    let list: Vec<String> = cases
        .iter()
        .map(|c| {
            let label = super::guard::labelled(store, c).shown().map(|l| format!(" [{l}]")).unwrap_or_default();
            format!("{}{label} ({}, {}, {})", c.request, c.company, c.kind, c.status().shown())
        })
        .collect();
    Error::usage(
        crate::t!("ops.cases.ambiguous", what = what, text = text, n = cases.len(), list = list.join("; ")),
        crate::t!("ops.cases.ambiguous-hint", request = cases[0].request),
    )
}

/// Counts the facts that moved a case's dates, in log order: each sent
/// reminder, each extension, a recorded day of receipt. Only grows, since
/// the log only grows.
fn revision(c: &Case) -> u32 {
    let reminders = c.followups.iter().filter(|m| m.kind == LetterKind::Reminder && m.delivery.has_left()).count();
    let extensions = c.replies.iter().filter(|r| r.outcome == case::event::Outcome::Extended).count();
    let received = c.original.dispatch.as_ref().is_some_and(|d| d.received_on.is_some());
    u32::try_from(reminders + extensions + usize::from(received)).unwrap_or(u32::MAX)
}

/// Closes a case: nothing more is expected; `status --open` hides it.
///
/// # Errors
/// Unknown request, already closed, or the log is locked or damaged.
pub fn close(data_dir: &Path, request: &str, note: Option<&str>, now: DateTime<Utc>) -> Result<RequestId, Error> {
    use crate::case::event::{Closed, Event, role};
    let mut log = evidence::Log::open(data_dir)?;
    let all = load(data_dir)?;
    let c = case::find(&all, request)?;
    if c.closed_at.is_some() {
        return Err(case::Error::wrong_state(
            c,
            crate::t!("ops.cases.closed-already"),
            crate::t!("ops.cases.closed-already-hint"),
        )
        .into());
    }
    let mut objects = Vec::new();
    if let Some(n) = note.filter(|n| !n.trim().is_empty()) {
        objects.push(log.store().put(&super::salt::text(n)?)?.with_role(role::NOTE));
    }
    log.append(Event::Closed(Closed { objects }).into_new(now, c.request.clone()))?;
    Ok(c.request.clone())
}
