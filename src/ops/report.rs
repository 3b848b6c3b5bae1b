//! Filing delivery reports and read receipts with their case: the entry
//! point for `dsr mail import` and for anything else that fetches mail
//! (an IMAP sync calls [`import`] with each message's raw bytes).
//!
//! A report is matched to the message it is about:
//!
//! | report | matched by |
//! |---|---|
//! | DSN | `Original-Envelope-Id` = the request id dsr sent as ENVID; else the returned headers' Message-ID, then their In-Reply-To/References, against every Message-ID dsr sent |
//! | MDN | `Original-Message-ID` against every Message-ID dsr sent |
//!
//! The raw bytes are stored as the `report` object and one typed event is
//! appended: `delivered`, `delayed` or `bounced` for a DSN (any failed
//! recipient makes it `bounced`, else any delayed one `delayed`), `read`
//! for an MDN. The same bytes imported again are recognised by their hash
//! and recorded once.

use crate::case::Case;
use crate::case::event::{DeliveryReported, Event, Place, Read, ReportedRecipient, role};
use crate::evidence::{Log, RequestId, Stored};
use crate::mail::MessageId;
use crate::mailbox::{Action, DeliveryReport, DispositionReport, Report, report};
use crate::{Error, file};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Where a report came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// How it was read, as logged in the event's `source`: `file`, `imap`.
    pub via: &'static str,
    /// What names it for the user (a file path, `INBOX uid 42`): used in
    /// messages, never logged.
    pub name: String,
}

/// What [`import`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    /// The case.
    pub request: RequestId,
    /// The message the report is about.
    pub message_id: MessageId,
    /// The event: `delivered`, `delayed`, `bounced` or `read`.
    pub event: String,
    /// The event's log line (the earlier one when `already`).
    pub seq: u64,
    /// True when these bytes were recorded before: nothing was appended.
    pub already: bool,
    /// One line per recipient (DSN) or the disposition (MDN), for the user.
    pub details: Vec<String>,
    /// The report's date: when the company's server took the message
    /// (delivered), or the last attempt (delayed, bounced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
}

/// Reads a file and imports it ([`import`]).
///
/// # Errors
/// As [`import`], and the file cannot be read.
pub fn import_file(data_dir: &Path, path: &Path, now: DateTime<Utc>) -> Result<Imported, Error> {
    let bytes = file::read_bytes(path, file::Limit::REPLY)?;
    import(data_dir, &bytes, &Origin { via: "file", name: path.display().to_string() }, now)
}

/// Recognises a DSN or MDN in `bytes`, matches it to its case, stores the
/// bytes and appends the event (or finds it recorded already).
///
/// # Errors
/// Not a report (or a malformed one), no case matches, the log is locked
/// or damaged. Nothing is stored then.
pub fn import(data_dir: &Path, bytes: &[u8], origin: &Origin, now: DateTime<Utc>) -> Result<Imported, Error> {
    let parsed = report::parse(bytes).map_err(|e| {
        Error::usage(
            crate::t!("ops.report.not-a-report", name = origin.name, error = e),
            crate::t!("ops.report.not-a-report-hint"),
        )
    })?;
    let mut log = Log::open(data_dir)?;
    let cases = super::cases::load(data_dir)?;
    let (c, message_id) = matching(&cases, &parsed).ok_or_else(|| {
        Error::usage(crate::t!("ops.report.no-case", name = origin.name), crate::t!("ops.report.no-case-hint"))
    })?;
    let stored = Stored::of(bytes);
    let seen = recorded(c, &stored);
    let (event, details, at) =
        event_of(&parsed, message_id.clone(), origin.via, None, vec![stored.with_role(role::REPORT)]);
    if let Some((m, r)) = seen {
        return Ok(Imported {
            request: c.request.clone(),
            message_id: m.message_id.clone(),
            event: event.name().to_string(),
            seq: r.seq,
            already: true,
            details,
            at,
        });
    }
    // Checked with the object's hash before it is stored: an event that
    // cannot be logged leaves no object behind.
    event.clone().into_new(now, c.request.clone()).check()?;
    let object = log.store().put(bytes)?.with_role(role::REPORT);
    let (event, _, _) = event_of(&parsed, message_id.clone(), origin.via, None, vec![object]);
    let name = event.name();
    let seq = log.append(event.into_new(now, c.request.clone()))?.seq;
    Ok(Imported { request: c.request.clone(), message_id, event: name.to_string(), seq, already: false, details, at })
}

/// What a message fetched by `dsr mail sync` is as a report.
#[derive(Debug)]
pub enum Fetched {
    /// Not a delivery report or read receipt, or one that names no case:
    /// it is filed like any other received message.
    NotOurs,
    /// A report recorded before (the same bytes).
    AlreadyRecorded,
    /// A new report: its case and the event, whose object is `bytes` with
    /// the role `report` (to be stored with it).
    New(RequestId, Box<Event>),
}

/// For `dsr mail sync` ([`crate::mailbox::sync::once`]): the report a
/// fetched message is, matched as [`import`] matches one, without touching
/// the log (the sync appends it with the other messages of its batch).
/// The event records `place`, where the report was fetched.
pub fn fetched(cases: &BTreeMap<RequestId, Case>, bytes: &[u8], place: Place) -> Fetched {
    let Ok(parsed) = report::parse(bytes) else { return Fetched::NotOurs };
    let Some((c, message_id)) = matching(cases, &parsed) else { return Fetched::NotOurs };
    let stored = Stored::of(bytes);
    if recorded(c, &stored).is_some() {
        return Fetched::AlreadyRecorded;
    }
    let (event, _, _) = event_of(&parsed, message_id, "imap", Some(place), vec![stored.with_role(role::REPORT)]);
    Fetched::New(c.request.clone(), Box::new(event))
}

/// The case's message and report that already hold these bytes.
fn recorded<'a>(
    c: &'a Case,
    stored: &Stored,
) -> Option<(&'a crate::case::Message, &'a crate::case::state::ReportSeen)> {
    // A readdressed message's report stays recorded once, too.
    std::iter::once(&c.original)
        .chain(c.followups.iter())
        .chain(c.superseded.iter())
        .flat_map(|m| m.reports.iter().map(move |r| (m, r)))
        .find(|(_, r)| r.sha256.as_ref() == Some(&stored.sha256))
}

/// The case and message a report is about.
fn matching<'a>(cases: &'a BTreeMap<RequestId, Case>, r: &Report) -> Option<(&'a Case, MessageId)> {
    let by_id =
        |id: &str| cases.values().find_map(|c| c.message_ids().find(|m| m.as_str() == id).map(|m| (c, m.clone())));
    match r {
        Report::Delivery(d) => {
            if let Some(c) = d.envelope_id.as_deref().and_then(|e| cases.values().find(|c| c.request.as_str() == e)) {
                // The returned headers say which of the case's messages;
                // without them, the latest message that left.
                let returned = d.returned_message_id.as_deref();
                let m = c
                    .message_ids()
                    .find(|m| Some(m.as_str()) == returned)
                    .or_else(|| {
                        std::iter::once(&c.original)
                            .chain(c.followups.iter())
                            .rfind(|m| m.delivery.has_left())
                            .map(|m| &m.message_id)
                    })
                    .unwrap_or(&c.original.message_id);
                return Some((c, m.clone()));
            }
            d.returned_message_id
                .as_deref()
                .and_then(by_id)
                .or_else(|| d.returned_references.iter().find_map(|id| by_id(id.as_str())))
        }
        Report::Disposition(m) => m.original_message_id.as_deref().and_then(by_id),
    }
}

fn event_of(
    r: &Report,
    message_id: MessageId,
    source: &str,
    place: Option<Place>,
    objects: Vec<crate::evidence::ObjectRef>,
) -> (Event, Vec<String>, Option<DateTime<Utc>>) {
    match r {
        Report::Delivery(d) => delivery_event(d, message_id, source, place, objects),
        Report::Disposition(m) => disposition_event(m, message_id, source, place, objects),
    }
}

/// A server's reply text as the log keeps it: every word holding an `@`
/// becomes `<address>`. A reply may echo the envelope sender (the
/// requester: personal data that a log line cannot purge); the whole text
/// stays in the purgeable `report` object.
fn without_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str(if out.ends_with('<') { "address" } else { "<address>" });
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"' | ',' | ';') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn delivery_event(
    d: &DeliveryReport,
    message_id: MessageId,
    source: &str,
    place: Option<Place>,
    objects: Vec<crate::evidence::ObjectRef>,
) -> (Event, Vec<String>, Option<DateTime<Utc>>) {
    let recipients: Vec<ReportedRecipient> = d
        .recipients
        .iter()
        .map(|r| ReportedRecipient {
            final_recipient: r.final_recipient.clone(),
            action: r.action,
            status: r.status.clone(),
            remote_mta: r.remote_mta.clone(),
            diagnostic: r.diagnostic.as_deref().map(without_addresses),
            last_attempt: r.last_attempt,
        })
        .collect();
    let details = d
        .recipients
        .iter()
        .map(|r| {
            let mut s = format!("{}: {} {}", r.final_recipient, r.action.as_str(), r.status);
            if let Some(m) = &r.remote_mta {
                s.push_str(&crate::t!("timeline.by", mta = m));
            }
            if let Some(t) = r.last_attempt {
                s.push_str(&crate::t!("timeline.at", time = t.to_rfc3339()));
            }
            if let Some(diag) = &r.diagnostic {
                s.push_str(&format!(" ({diag})"));
            }
            s
        })
        .collect();
    let payload = DeliveryReported {
        message_id,
        envelope_id: d.envelope_id.clone(),
        reporting_mta: d.reporting_mta.clone(),
        arrival_date: d.arrival_date,
        recipients,
        source: source.to_string(),
        place,
        objects,
    };
    let any = |a: Action| d.recipients.iter().any(|r| r.action == a);
    let (event, at) = if any(Action::Failed) {
        let at = d.recipients.iter().find(|r| r.action == Action::Failed).and_then(|r| r.last_attempt);
        (Event::Bounced(payload), at.or(d.arrival_date))
    } else if any(Action::Delayed) {
        let at = d.recipients.iter().find(|r| r.action == Action::Delayed).and_then(|r| r.last_attempt);
        (Event::Delayed(payload), at.or(d.arrival_date))
    } else {
        let at = payload.delivered_at();
        (Event::Delivered(payload), at)
    };
    (event, details, at)
}

fn disposition_event(
    m: &DispositionReport,
    message_id: MessageId,
    source: &str,
    place: Option<Place>,
    objects: Vec<crate::evidence::ObjectRef>,
) -> (Event, Vec<String>, Option<DateTime<Utc>>) {
    let details = vec![format!("{} ({})", m.kind, m.disposition)];
    let event = Event::Read(Read {
        message_id,
        disposition: m.kind.clone(),
        disposition_field: m.disposition.clone(),
        final_recipient: m.final_recipient.clone(),
        source: source.to_string(),
        place,
        objects,
    });
    (event, details, None)
}

#[cfg(test)]
mod address_tests {
    use super::without_addresses;

    #[test]
    fn reply_texts_keep_everything_but_addresses() {
        assert_eq!(without_addresses("smtp; 250 2.0.0 Ok: queued as 4F2A1"), "smtp; 250 2.0.0 Ok: queued as 4F2A1");
        assert_eq!(
            without_addresses("smtp; 553 5.7.1 <anna@example.org>: Sender address rejected"),
            "smtp; 553 5.7.1 <address>: Sender address rejected"
        );
        assert_eq!(
            without_addresses("x-unix; anna@example.org unknown, (bob@x.y)"),
            "x-unix; <address> unknown, (<address>)"
        );
    }
}
