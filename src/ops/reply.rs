//! `reply`: file a company's answer with its case.
//!
//! The reply is stored byte for byte as an object and a `reply_received`
//! event records what it says (the outcome the user read in it). The case
//! is named, or found from the reply's In-Reply-To/References. An outcome
//! that does not fit the case (a confirmation of a request never sent, an
//! Art. 12(3) extension of a processor instruction) is refused before
//! anything is stored.
//!
//! The reply comes from a file (`--eml`), or is one `dsr mail sync`
//! already stored (`--message ID`: this confirms or corrects the outcome
//! dsr suggested, and assigns a message no case took). A reply threaded to
//! another case (its In-Reply-To/References name a message sent for it)
//! is refused, naming that case, unless `--force`. `--amend` corrects the
//! outcome of a reply recorded before: a new line that names the one it
//! corrects; nothing is rewritten. A reply that would show the case at an
//! earlier stage than it is (a complained case "acknowledged") is recorded
//! with a warning that says so.

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
    pub eml: Option<PathBuf>,
    /// A message `dsr mail sync` stored: its Message-ID (with or without
    /// angle brackets) or its `message_received` line.
    pub message: Option<String>,
    /// Correct the outcome of the reply recorded before.
    pub amend: bool,
    /// Record it although it is threaded to another case.
    pub force: bool,
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
    /// For `--amend`: the line whose outcome this one corrects.
    pub amends: Option<u64>,
}

/// Where the reply's bytes come from.
enum Source {
    File(PathBuf),
    Stored { hash: crate::evidence::Sha256, request: Option<RequestId>, label: String },
}

/// How far along a case is, so a reply that would move it back is said.
fn stage(s: case::Status) -> u8 {
    use case::Status as S;
    match s {
        S::DeliveryUnknown
        | S::Outboxed
        | S::SendFailed
        | S::DeliveryFailed
        | S::Sent
        | S::Dispatched
        | S::ToClassify => 0,
        S::Acknowledged | S::Extended | S::NeedsIdentity | S::Partial => 1,
        S::Reminded => 2,
        S::Complained => 3,
        S::Confirmed | S::Refused => 4,
        S::Closed => 5,
    }
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
    // A file is read and checked first: a file too large or not a message
    // is refused before the log is opened or a case is looked up.
    let from_file = match &input.eml {
        Some(path) => {
            let bytes = file::read_bytes(path, file::Limit::REPLY)?;
            mail::parse::headers(&bytes).map_err(|source| mail::Error::Parse { path: path.clone(), source })?;
            Some(bytes)
        }
        None => None,
    };
    let mut log = Log::open(data_dir)?;
    let crate::mailbox::sync::Loaded { cases, unassigned: loose, .. } = crate::mailbox::sync::load(data_dir)?;
    let source = match (&input.eml, &input.message) {
        (Some(_), Some(_)) => {
            return Err(Error::usage(
                crate::t!("ops.reply.eml-and-message"),
                crate::t!("ops.reply.eml-and-message-hint"),
            ));
        }
        (Some(path), None) => Some(Source::File(path.clone())),
        (None, Some(m)) => Some(find_stored(&cases, &loose, m)?),
        (None, None) => None,
    };
    let named = match (&input.request, &source) {
        (Some(id), _) => Some(case::find(&cases, id)?),
        (None, Some(Source::Stored { request: Some(r), .. })) => Some(case::find(&cases, r.as_str())?),
        (None, Some(Source::File(_))) => None,
        _ => {
            return Err(Error::usage(crate::t!("ops.reply.name-the-case"), crate::t!("ops.reply.name-the-case-hint")));
        }
    };
    let (bytes, label) = match &source {
        Some(Source::File(path)) => (from_file.unwrap_or_default(), path.display().to_string()),
        Some(Source::Stored { hash, label, .. }) => (log.store().get(hash)?, label.clone()),
        None => (Vec::new(), String::new()),
    };
    let c = match named {
        Some(c) => c,
        None => {
            let headers = mail::parse::headers(&bytes)
                .map_err(|source| mail::Error::Parse { path: PathBuf::from(&label), source })?;
            find_by_thread(&cases, &headers).ok_or_else(|| {
                Error::usage(crate::t!("ops.reply.no-thread", label = label), crate::t!("ops.reply.no-thread-hint"))
            })?
        }
    };
    // --amend: the case's latest current reply, or the one to this message.
    let target = if input.amend {
        let hash = source.as_ref().map(|_| crate::evidence::Sha256::digest(&bytes));
        let latest =
            c.current_replies().filter(|r| hash.is_none() || r.message_hash() == hash).last().ok_or_else(|| {
                wrong(
                    c,
                    if hash.is_some() {
                        crate::t!("ops.reply.no-reply-for-message")
                    } else {
                        crate::t!("ops.reply.no-reply-to-correct")
                    },
                    crate::t!("ops.reply.no-reply-to-correct-hint"),
                )
            })?;
        Some(latest.clone())
    } else {
        None
    };
    let (bytes, label) = match (source.is_some(), &target) {
        (true, _) => (bytes, label),
        (false, Some(t)) => {
            let hash = t.message_hash().ok_or_else(|| {
                wrong(c, crate::t!("ops.reply.no-stored-message"), crate::t!("ops.reply.no-stored-message-hint"))
            })?;
            (log.store().get(&hash)?, crate::t!("ops.reply.reply-at-line", line = t.seq))
        }
        (false, None) => {
            return Err(Error::usage(
                crate::t!("ops.reply.no-reply-given"),
                crate::t!("ops.reply.no-reply-given-hint"),
            ));
        }
    };
    let headers =
        mail::parse::headers(&bytes).map_err(|source| mail::Error::Parse { path: PathBuf::from(&label), source })?;
    let elsewhere = crate::mailbox::matching::threaded_elsewhere(&cases, &headers, &c.request);
    if !elsewhere.is_empty() && !input.force {
        let names: Vec<String> = elsewhere.iter().map(ToString::to_string).collect();
        return Err(wrong(
            c,
            if names.len() == 1 {
                crate::t!("ops.reply.threaded-elsewhere-one", requests = names[0])
            } else {
                crate::t!(
                    "ops.reply.threaded-elsewhere-many",
                    requests = names.join(&crate::t!("ops.reply.threaded-elsewhere-and"))
                )
            },
            crate::t!("ops.reply.threaded-elsewhere-hint", request = names[0]),
        ));
    }
    let amends = match &target {
        Some(t) => {
            if t.outcome == input.outcome {
                return Err(wrong(
                    c,
                    crate::t!("ops.reply.same-outcome", line = t.seq, outcome = t.outcome.name()),
                    crate::t!("ops.reply.same-outcome-hint"),
                ));
            }
            Some(t.seq)
        }
        None => None,
    };
    if c.closed_at.is_some() {
        return Err(wrong(c, crate::t!("ops.reply.closed"), crate::t!("ops.reply.closed-hint")));
    }
    if !c.original.delivery.has_left() {
        let (message, hint) = super::dispatched::not_sent(c);
        return Err(wrong(c, crate::t!("ops.reply.not-sent", message = message), hint));
    }
    if amends.is_none()
        && let Some(id) = &headers.message_id
        && let Some(r) = c.current_replies().find(|r| r.message_id.as_ref() == Some(id))
    {
        return Err(wrong(
            c,
            crate::t!("ops.reply.already-recorded", id = id, outcome = r.outcome.name(), line = r.seq),
            crate::t!("ops.reply.already-recorded-hint", request = c.request),
        ));
    }
    let mut warnings = Vec::new();
    let before = c.status();
    let after = crate::case::state::reply_status(input.outcome);
    if stage(after) < stage(before) {
        warnings.push(crate::t!("ops.reply.goes-back", before = before.name(), after = after.name()));
    }
    let mut extended_to = None;
    if input.outcome == Outcome::Extended {
        if c.kind == LetterKind::ProcessorDeletion {
            return Err(wrong(
                c,
                crate::t!("ops.reply.processor-extension"),
                crate::t!("ops.reply.processor-extension-hint"),
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
            warnings.push(crate::t!("ops.reply.late-extension", arrived = arrived, deadline = one.deadline));
        }
    }
    let note = input.note.as_ref().filter(|n| !n.trim().is_empty());
    let payload = |objects| ReplyReceived {
        outcome: input.outcome,
        message_id: headers.message_id.clone(),
        date: headers.date,
        extended_to,
        objects,
        amends,
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
        amends,
    })
}

/// The stored message `id` names: a Message-ID (brackets optional) or a
/// `message_received` line, of a case or of none.
fn find_stored(
    cases: &std::collections::BTreeMap<RequestId, Case>,
    loose: &[crate::mailbox::sync::Unassigned],
    id: &str,
) -> Result<Source, Error> {
    let bare = id.trim().trim_start_matches('<').trim_end_matches('>');
    let line: Option<u64> = bare.parse().ok();
    let hit = |seq: u64, mid: &Option<String>| line == Some(seq) || mid.as_deref() == Some(bare);
    let mut found: Vec<(crate::evidence::Sha256, Option<RequestId>, u64)> = Vec::new();
    for c in cases.values() {
        for m in c.received.iter().filter(|m| hit(m.seq, &m.message_id)) {
            found.extend(m.hash.map(|h| (h, Some(c.request.clone()), m.seq)));
        }
    }
    for u in loose.iter().filter(|u| hit(u.seq, &u.message_id)) {
        found.extend(u.hash.map(|h| (h, None, u.seq)));
    }
    found.dedup_by_key(|f| f.0);
    match found.len() {
        0 => Err(Error::usage(
            crate::t!("ops.reply.no-such-message", id = id),
            crate::t!("ops.reply.no-such-message-hint"),
        )),
        1 => {
            let (hash, request, seq) = found.remove(0);
            Ok(Source::Stored { hash, request, label: crate::t!("ops.reply.message-at-line", line = seq) })
        }
        _ => Err(Error::usage(
            crate::t!("ops.reply.ambiguous", id = id, n = found.len()),
            crate::t!("ops.reply.ambiguous-hint"),
        )),
    }
}

fn find_by_thread<'a>(
    cases: &'a std::collections::BTreeMap<RequestId, Case>,
    h: &mail::parse::Headers,
) -> Option<&'a Case> {
    h.referenced_ids().into_iter().find_map(|id| cases.values().find(|c| c.message_ids().any(|m| m == id)))
}
