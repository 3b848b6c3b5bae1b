//! `purge`: which cases may lose their stored personal data, and deleting
//! it (issue 17 point 3).
//!
//! The evidence layer deletes what it is told to ([`evidence::purge`]);
//! this workflow decides what that is, from the case state:
//!
//! - an **open** case (not closed, nothing confirmed or refused) keeps its
//!   evidence: the company may still answer, a reminder or a complaint may
//!   still need every byte;
//! - a settled case keeps it for the **retention period** after its last
//!   event: `[retention] years` (default 3, [`Retention`]) whole years
//!   after the end of that event's calendar year, the German limitation
//!   period for claims (§§ 195, 199(1) BGB). Counted in UTC.
//!
//! `--force` with a reason purges a refused case anyway; its `purged` line
//! then says `"forced": true` beside the reason. [`plan`] explains each
//! decision, so `--dry-run` can say why every case goes or stays. Both run
//! with the log's writer lock held ([`Log::open`]), so the cases cannot
//! change between the decision and the purge (the CLI lets the lock go
//! while it asks, then decides again under it and stops if anything
//! changed).

use crate::Error;
use crate::case::{self, Case};
use crate::config::Retention;
use crate::evidence::{self, Log, Purge, PurgeSelection, RequestId};
use crate::kind::LetterKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

/// Which cases to look at.
#[derive(Debug, Clone)]
pub enum Selection {
    /// One case, by id or id prefix.
    Request(String),
    /// Every case whose last event is before this time.
    Before(DateTime<Utc>),
}

/// Why a case goes or stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict", content = "why")]
pub enum Verdict {
    /// Settled and past the retention period: it goes.
    Qualifies(String),
    /// Kept (open, or inside the retention period), and not forced.
    Refused(String),
    /// Would be kept, but `--force` purges it.
    Forced(String),
}

impl Verdict {
    /// True when the case is purged.
    pub fn purges(&self) -> bool {
        !matches!(self, Verdict::Refused(_))
    }
}

/// The decision about one case.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The case.
    pub request: RequestId,
    /// Its label, while its tag object exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The company.
    pub company: String,
    /// The original request's kind.
    pub kind: LetterKind,
    /// The case's state (`dsr status`'s name).
    pub state: &'static str,
    /// The time of its last event.
    pub last_activity: DateTime<Utc>,
    /// The last day the retention period keeps it.
    pub kept_until: NaiveDate,
    /// Settled (closed, or answered for good): only the retention period
    /// keeps it, and `dsr close` would not help.
    #[serde(skip)]
    pub settled: bool,
    /// Goes or stays, and why.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Decides, for each selected case of `cases`, whether it may be purged
/// on `today` under `retention`, or with `force`.
///
/// # Errors
/// [`Selection::Request`] names no case (or an ambiguous prefix).
pub fn plan(
    store: &evidence::Store,
    cases: &std::collections::BTreeMap<RequestId, Case>,
    selection: &Selection,
    retention: Retention,
    force: bool,
    today: NaiveDate,
) -> Result<Vec<Decision>, Error> {
    let selected: Vec<&Case> = match selection {
        Selection::Request(id) => vec![case::find(cases, id)?],
        Selection::Before(t) => cases.values().filter(|c| c.last_activity < *t).collect(),
    };
    Ok(selected.into_iter().map(|c| decide(store, c, retention, force, today)).collect())
}

fn decide(store: &evidence::Store, c: &Case, retention: Retention, force: bool, today: NaiveDate) -> Decision {
    let last = c.last_activity.date_naive();
    let kept_until = retention.kept_until(last);
    let state = c.status().shown();
    let keep = if !c.is_settled() {
        Some(crate::t!("purge.open", state = state))
    } else if today <= kept_until {
        Some(crate::t!(
            "purge.retained",
            last = last,
            kept_until = kept_until,
            years = retention.years,
            year = last.format("%Y")
        ))
    } else {
        None
    };
    let verdict = match (keep, force) {
        (Some(why), true) => Verdict::Forced(why),
        (Some(why), false) => Verdict::Refused(why),
        (None, _) => Verdict::Qualifies(crate::t!(
            "ops.purge.qualifies",
            state = state,
            last = last,
            kept_until = kept_until,
            years = retention.years
        )),
    };
    Decision {
        request: c.request.clone(),
        label: super::guard::read(store, c).map(|t| t.label),
        company: c.company.clone(),
        kind: c.kind,
        state: c.status().name(),
        last_activity: c.last_activity,
        kept_until,
        settled: c.is_settled(),
        verdict,
    }
}

/// The refusal of `dsr purge --request` for a case that is kept.
pub fn refusal(d: &Decision) -> Error {
    let why = match &d.verdict {
        Verdict::Refused(why) | Verdict::Forced(why) | Verdict::Qualifies(why) => why,
    };
    Error::usage(
        crate::t!("purge.refused", request = d.request, why = why),
        if d.settled {
            crate::t!("purge.retained-hint", kept_until = d.kept_until)
        } else {
            crate::t!("purge.refused-hint", request = d.request)
        },
    )
}

/// Purges the cases `decisions` lets go (a dry run: says what would go),
/// logging `reason` in each `purged` event and `"forced": true` in those
/// purged by `--force`.
///
/// # Errors
/// As [`evidence::purge`].
pub fn purge(
    log: &mut Log,
    decisions: &[Decision],
    reason: &str,
    time: DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<evidence::Purged>, Error> {
    let going: BTreeSet<RequestId> =
        decisions.iter().filter(|d| d.verdict.purges()).map(|d| d.request.clone()).collect();
    if going.is_empty() {
        return Ok(Vec::new());
    }
    let forced = decisions.iter().filter(|d| matches!(d.verdict, Verdict::Forced(_))).map(|d| d.request.clone());
    let purge = Purge {
        selection: PurgeSelection::Requests(going),
        reason: reason.to_string(),
        time,
        dry_run,
        forced: forced.collect(),
    };
    Ok(evidence::purge(log, &purge)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_retention_period_ends_with_the_year() {
        let r = Retention::default();
        assert_eq!(r.kept_until(d("2022-03-01")), d("2025-12-31"));
        assert_eq!(r.kept_until(d("2022-12-31")), d("2025-12-31"));
        assert_eq!(Retention { years: 0 }.kept_until(d("2026-01-01")), d("2026-12-31"));
        assert_eq!(Retention { years: 10 }.kept_until(d("2020-06-30")), d("2030-12-31"));
    }
}
