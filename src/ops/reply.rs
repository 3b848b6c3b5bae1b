//! `reply`: file a company's answer with its case.
//!
//! The reply is stored byte for byte as an object and a `reply_received`
//! event records what it says (the outcome the user read in it). The case
//! is named, or found from the reply's In-Reply-To/References. An outcome
//! that does not fit the case (a confirmation of a request never sent, an
//! Art. 12(3) extension of a processor instruction) is refused before
//! anything is stored.

use crate::case::event::{Event, Outcome, ReplyReceived, role};
use crate::case::{self, Case};
use crate::config::Config;
use crate::deadline;
use crate::evidence::{Log, RequestId, Stored};
use crate::kind::LetterKind;
use crate::{Error, file, mail};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::path::PathBuf;

/// What the user said about a reply.
#[derive(Debug, Clone)]
pub struct Input {
    /// The request, or `None` to find it from the reply's headers.
    pub request: Option<String>,
    /// The reply as saved from the mail client.
    pub eml: PathBuf,
    /// What it says.
    pub outcome: Outcome,
    /// The user's note (stored as an object: it may hold personal data).
    pub note: Option<String>,
}

/// What was recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// The case.
    pub request: RequestId,
    /// The outcome.
    pub outcome: Outcome,
    /// The reply's Message-ID.
    pub message_id: Option<String>,
    /// For `extended`: the extended deadline.
    pub extended_to: Option<NaiveDate>,
    /// Things the user must know (a late extension).
    pub warnings: Vec<String>,
}

fn wrong(c: &Case, message: impl Into<String>, hint: impl Into<String>) -> Error {
    case::Error::wrong_state(c, message, hint).into()
}

/// Records a reply.
///
/// # Errors
/// The file is not an email; no case matches; the outcome does not fit the
/// case; the log is locked or damaged.
pub fn record(
    data_dir: &std::path::Path,
    config: &Config,
    input: &Input,
    now: DateTime<Utc>,
) -> Result<Recorded, Error> {
    let bytes = file::read_bytes(&input.eml, file::Limit::REPLY)?;
    let headers =
        mail::parse::headers(&bytes).map_err(|source| mail::Error::Parse { path: input.eml.clone(), source })?;
    let mut log = Log::open(data_dir)?;
    let cases = super::cases::load(data_dir)?;
    let c = match &input.request {
        Some(id) => case::find(&cases, id)?,
        None => find_by_thread(&cases, &headers).ok_or_else(|| {
            Error::usage(
                format!("{}: no case has a Message-ID this reply refers to", input.eml.display()),
                "name the case: `dsr reply REQUEST --eml FILE --outcome …` (`dsr status` lists them)",
            )
        })?,
    };
    if c.closed_at.is_some() {
        return Err(wrong(c, "the case is closed", "a closed case takes no more replies"));
    }
    if !c.original.delivery.has_left() {
        let (message, hint) = super::dispatched::not_sent(c);
        return Err(wrong(c, format!("{message}, so there is nothing to reply to"), hint));
    }
    if let Some(id) = &headers.message_id
        && let Some(r) = c.replies.iter().find(|r| r.message_id.as_ref() == Some(id))
    {
        return Err(wrong(
            c,
            format!("this reply (<{id}>) is already recorded at log line {}", r.seq),
            "nothing to do",
        ));
    }
    let mut warnings = Vec::new();
    let mut extended_to = None;
    if input.outcome == Outcome::Extended {
        if c.kind == LetterKind::ProcessorDeletion {
            return Err(wrong(
                c,
                "an Art. 12(3) extension does not apply to a processor's deletion instruction",
                "record it as acknowledged and note the new date with --note",
            ));
        }
        let extra = config.extra_days(c.calendar);
        let sent_at = c.original.sent_at.unwrap_or(now);
        let (first, later) = deadline::receipt_dates(sent_at, c.calendar, &extra)?;
        let one = deadline::compute(first, c.calendar, &extra)?;
        let one_later = deadline::compute(later, c.calendar, &extra)?;
        extended_to = Some(one.extended);
        let arrived = headers.date.unwrap_or(now).with_timezone(&c.calendar.time_zone()).date_naive();
        if arrived > one_later.deadline {
            warnings.push(format!(
                "the extension arrived on {arrived}, after the first month ended ({}): under Art. 12(3) GDPR an \
                 extension must be announced, with reasons, within one month of receipt, so this one is late",
                one.deadline
            ));
        }
    }
    let note = input.note.as_ref().filter(|n| !n.trim().is_empty());
    let payload = |objects| ReplyReceived {
        outcome: input.outcome,
        message_id: headers.message_id.clone(),
        date: headers.date,
        extended_to,
        objects,
    };
    // Checked with the objects' hashes before they are stored: an event
    // that cannot be logged leaves no object behind.
    let note = note.map(|n| super::salt::text(n)).transpose()?;
    let mut planned = vec![Stored::of(&bytes).with_role(role::REPLY)];
    planned.extend(note.as_ref().map(|n| Stored::of(n).with_role(role::NOTE)));
    Event::ReplyReceived(payload(planned)).into_new(now, c.request.clone()).check()?;
    let mut objects = vec![log.store().put(&bytes)?.with_role(role::REPLY)];
    if let Some(n) = &note {
        objects.push(log.store().put(n)?.with_role(role::NOTE));
    }
    log.append(Event::ReplyReceived(payload(objects)).into_new(now, c.request.clone()))?;
    Ok(Recorded {
        request: c.request.clone(),
        outcome: input.outcome,
        message_id: headers.message_id,
        extended_to,
        warnings,
    })
}

fn find_by_thread<'a>(
    cases: &'a std::collections::BTreeMap<RequestId, Case>,
    h: &mail::parse::Headers,
) -> Option<&'a Case> {
    h.referenced_ids().into_iter().find_map(|id| cases.values().find(|c| c.message_ids().any(|m| m == id)))
}
