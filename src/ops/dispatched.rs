//! `dispatched`: record that the user sent a message themselves, and when
//! the company received it.
//!
//! dsr sends by SMTP itself; every other way leaves it with the user: the
//! `.eml` in the outbox goes out from the user's own mail client, the PDF
//! letter by post, the letter text through a web form. Nothing of that is
//! "sent" until it is recorded here, with its evidence:
//!
//! | channel | what is recorded | evidence stored |
//! |---|---|---|
//! | email | the copy from the Sent folder, checked against the outboxed message (same Message-ID; letter text, subject, addresses and attachments compared); its `Date` is the sending time | `sent-copy`, `comparison` |
//! | post | the posting day, a tracking number, the receipt day presumed from it; later the day of receipt | `receipt` (Rückschein, tracking record) |
//! | web form | the day of submission | `confirmation` (screenshot, saved page, confirmation email) |
//!
//! The events are `dispatched` and `receipt_recorded`
//! ([`crate::case::event`]); the case's deadline is then counted from the
//! copy's `Date` (email), the recorded receipt day, or until one is
//! recorded the presumed one: the posting day plus
//! [`crate::config::Post::presumed_delivery_days`] working days of the
//! company's calendar (docs/post.md gives the source of the default).
//!
//! As everywhere, every check runs before anything is stored: a copy that
//! is of another message (other Message-ID), a date in the future or
//! before the letter was written, a message already recorded. A copy that
//! is of this message but differs in what the company reads is recorded
//! with its differences (the company got what the copy shows) and they are
//! reported, in the log (`dispatched.differences`), in the stored
//! comparison and to the user.

use crate::Error;
use crate::case::event::{Difference, Dispatched, Event, ReceiptRecorded, Route, role};
use crate::case::{self, Case, Delivery, Due, Message};
use crate::channel::Channel;
use crate::config::Config;
use crate::deadline::{self, CalendarCode, ExtraDay};
use crate::evidence::{Log, ObjectRef, RequestId};
use crate::mail::MessageId;
use crate::mail::compare::{self, Part};
use crate::request::FileData;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How the user sent it, with what they give as evidence.
#[derive(Debug, Clone)]
pub enum How {
    /// From their own mail client: the copy from the Sent folder.
    Email {
        /// The sent copy, saved as .eml.
        eml: PathBuf,
    },
    /// By post: posted on a day, and/or received on a day.
    Post {
        /// The posting day.
        posted_on: Option<NaiveDate>,
        /// The carrier's tracking number.
        tracking: Option<String>,
        /// The day of receipt (Rückschein, tracking).
        received_on: Option<NaiveDate>,
        /// The proof of receipt.
        receipt: Option<PathBuf>,
    },
    /// Through the company's web form.
    Webform {
        /// The day of submission.
        date: NaiveDate,
        /// What the form showed or sent back.
        confirmation: Vec<PathBuf>,
    },
}

/// What to record.
#[derive(Debug, Clone)]
pub struct Input {
    /// The request.
    pub request: String,
    /// How it went.
    pub how: How,
}

/// What was recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The case.
    pub request: RequestId,
    /// The message recorded (original or follow-up).
    pub message_id: MessageId,
    /// The channel.
    pub via: Channel,
    /// The events logged, in order.
    pub events: Vec<&'static str>,
    /// Email: the copy's Date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// Post: posting day; web form: day of submission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Post: the presumed receipt day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presumed_received_on: Option<NaiveDate>,
    /// The recorded receipt day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
    /// Email: each difference from the outboxed message, in words.
    pub differences: Vec<String>,
    /// The case's deadline now.
    pub due: Option<Due>,
    /// Things the user must know.
    pub warnings: Vec<String>,
}

fn wrong(c: &Case, message: impl Into<String>, hint: impl Into<String>) -> Error {
    case::Error::wrong_state(c, message, hint).into()
}

/// Records a dispatch (and/or a receipt).
///
/// # Errors
/// A file cannot be read or is not what it should be; the case is unknown,
/// closed, or has no message waiting for this channel; the sent copy is of
/// another message; a date lies in the future or before the letter; the
/// log is locked or damaged. Nothing is stored or logged then.
pub fn record(data_dir: &Path, config: &Config, input: &Input, now: DateTime<Utc>) -> Result<Report, Error> {
    // Input files first: a missing file stores nothing and locks nothing.
    let files = read_files(&input.how)?;
    let mut log = Log::open(data_dir)?;
    let cases = super::cases::load(data_dir)?;
    let c = case::find(&cases, &input.request)?;
    if c.closed_at.is_some() {
        return Err(wrong(c, crate::t!("ops.dispatched.closed"), crate::t!("ops.dispatched.closed-hint")));
    }
    let extra = config.extra_days(c.calendar);
    let today = now.with_timezone(&c.calendar.time_zone()).date_naive();
    let mut warnings = Vec::new();
    let mut differences = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let store = log.store();
    let (message_id, via) = match &input.how {
        How::Email { eml } => {
            let copy = files.first().expect("the sent copy was read");
            let summary = compare::summarize(&copy.bytes).map_err(|e| not_a_message(eml, &e))?;
            let id = summary.message_id.clone().ok_or_else(|| {
                Error::usage(
                    crate::t!("ops.dispatched.no-message-id", path = eml.display()),
                    crate::t!("ops.dispatched.no-message-id-hint"),
                )
            })?;
            let m = waiting(c, Route::Outbox, Some(&id))?;
            let outboxed = message_object(store, m, role::MESSAGE)?.ok_or_else(|| {
                wrong(
                    c,
                    crate::t!("ops.dispatched.outboxed-missing"),
                    crate::t!("ops.dispatched.outboxed-missing-hint"),
                )
            })?;
            let cmp = compare::compare(&outboxed, &copy.bytes).map_err(|e| not_a_message(eml, &e))?;
            let sent_at = summary.date.ok_or_else(|| {
                Error::usage(
                    crate::t!("ops.dispatched.no-date", path = eml.display()),
                    crate::t!("ops.dispatched.no-date-hint"),
                )
            })?;
            check_not_future(
                sent_at.with_timezone(&c.calendar.time_zone()).date_naive(),
                today,
                &crate::t!("ops.dispatched.the-copys-date"),
            )?;
            if sent_at < m.prepared_at {
                warnings.push(crate::t!(
                    "dispatched.date-before-written",
                    date = sent_at.to_rfc3339(),
                    written = m.prepared_at.to_rfc3339()
                ));
            }
            if cmp.sent_copy.date == cmp.outboxed.date {
                warnings.push(crate::t!("dispatched.date-unchanged"));
            }
            differences = cmp.describe();
            if !differences.is_empty() {
                warnings.push(crate::t!(
                    "dispatched.differs",
                    what = cmp.differences.iter().map(|p| Difference::from(*p).as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            let objects = vec![
                store.put(&copy.bytes)?.with_role(role::SENT_COPY),
                store.put(&cmp.to_json())?.with_role(role::COMPARISON),
            ];
            events.push(Event::Dispatched(Dispatched {
                message_id: m.message_id.clone(),
                via: Channel::Email,
                sent_at: Some(sent_at),
                date: None,
                tracking: None,
                presumed_received_on: None,
                presumed_days: None,
                differences: cmp.differences.iter().map(|p| Difference::from(*p)).collect(),
                objects,
            }));
            (m.message_id.clone(), Channel::Email)
        }
        How::Post { posted_on, tracking, received_on, receipt } => {
            let tracking = tracking.as_deref().map(parse_tracking).transpose()?;
            let m = match posted_on {
                Some(_) => waiting(c, Route::Post, None)?,
                None => posted(c)?,
            };
            let posted_day = match posted_on {
                Some(day) => {
                    check_not_future(*day, today, "--date")?;
                    check_not_before(c, m, *day, "--date")?;
                    let days = config.post.presumed_delivery_days;
                    let presumed = presume_receipt(*day, days, c.calendar, &extra)?;
                    events.push(Event::Dispatched(Dispatched {
                        message_id: m.message_id.clone(),
                        via: Channel::Post,
                        sent_at: None,
                        date: Some(*day),
                        tracking: tracking.clone(),
                        presumed_received_on: Some(presumed),
                        presumed_days: Some(days),
                        differences: Vec::new(),
                        objects: Vec::new(),
                    }));
                    *day
                }
                None => m.dispatch.as_ref().map(|d| d.on).expect("a posted message has its dispatch"),
            };
            if tracking.is_some() && posted_on.is_none() {
                return Err(Error::usage(
                    crate::t!("ops.dispatched.tracking-without-date"),
                    crate::t!("ops.dispatched.tracking-without-date-hint"),
                ));
            }
            if let Some(day) = received_on {
                check_not_future(*day, today, "--received-on")?;
                if *day < posted_day {
                    return Err(Error::usage(
                        crate::t!("ops.dispatched.received-before-posted", day = day, posted = posted_day),
                        crate::t!("ops.dispatched.received-before-posted-hint"),
                    ));
                }
                let objects: Vec<ObjectRef> = receipt
                    .as_ref()
                    .map(|_| -> Result<ObjectRef, Error> {
                        Ok(store.put(&files.first().expect("the receipt was read").bytes)?.with_role(role::RECEIPT))
                    })
                    .transpose()?
                    .into_iter()
                    .collect();
                events.push(Event::ReceiptRecorded(ReceiptRecorded {
                    message_id: m.message_id.clone(),
                    via: Channel::Post,
                    received_on: *day,
                    objects,
                }));
            }
            (m.message_id.clone(), Channel::Post)
        }
        How::Webform { date, .. } => {
            let m = waiting(c, Route::Webform, None)?;
            check_not_future(*date, today, "--date")?;
            check_not_before(c, m, *date, "--date")?;
            if files.is_empty() {
                warnings.push(crate::t!("dispatched.no-confirmation"));
            }
            let objects = files
                .iter()
                .map(|f| Ok(store.put(&f.bytes)?.with_role(role::CONFIRMATION)))
                .collect::<Result<Vec<_>, Error>>()?;
            events.push(Event::Dispatched(Dispatched {
                message_id: m.message_id.clone(),
                via: Channel::Webform,
                sent_at: None,
                date: Some(*date),
                tracking: None,
                presumed_received_on: None,
                presumed_days: None,
                differences: Vec::new(),
                objects,
            }));
            (m.message_id.clone(), Channel::Webform)
        }
    };
    let names: Vec<&'static str> = events.iter().map(|e| e.name().as_str()).collect();
    let mut report = Report {
        request: c.request.clone(),
        message_id,
        via,
        events: names,
        sent_at: None,
        date: None,
        presumed_received_on: None,
        received_on: None,
        differences,
        due: None,
        warnings,
    };
    for e in &events {
        match e {
            Event::Dispatched(d) => {
                report.sent_at = d.sent_at;
                report.date = d.date;
                report.presumed_received_on = d.presumed_received_on;
            }
            Event::ReceiptRecorded(r) => report.received_on = Some(r.received_on),
            _ => {}
        }
    }
    for e in events {
        log.append(e.into_new(now, c.request.clone()))?;
    }
    let cases = super::cases::load(data_dir)?;
    let c = case::find(&cases, c.request.as_str())?;
    report.due = c.due(&extra)?;
    Ok(report)
}

impl From<Part> for Difference {
    fn from(p: Part) -> Difference {
        match p {
            Part::Subject => Difference::Subject,
            Part::From => Difference::From,
            Part::To => Difference::To,
            Part::Cc => Difference::Cc,
            Part::Body => Difference::Body,
            Part::Attachments => Difference::Attachments,
        }
    }
}

/// The day of receipt presumed for a letter posted on `posted`: `days`
/// working days later in the company's calendar (Saturdays, Sundays and
/// its holidays are not counted, so this is never earlier than the
/// carriers' own targets, which count Saturdays).
///
/// # Errors
/// A date out of range, or a day in a year the calendar has no holidays
/// for ([`deadline::Error::NoData`], as for every other count of days).
pub fn presume_receipt(
    posted: NaiveDate,
    days: u32,
    calendar: CalendarCode,
    extra: &[ExtraDay],
) -> Result<NaiveDate, deadline::Error> {
    let mut day = posted;
    let mut left = days;
    deadline::has_data(day, calendar, extra)?;
    while left > 0 {
        day = day.succ_opt().ok_or(deadline::Error::OutOfRange { from: day })?;
        deadline::has_data(day, calendar, extra)?;
        if deadline::is_working_day(day, calendar, extra) {
            left -= 1;
        }
    }
    Ok(day)
}

/// Why a case's request has not left yet, and the command that changes
/// that (for `reply`, `remind` and `complain`, which need it sent).
pub fn not_sent(c: &Case) -> (String, String) {
    let m = &c.original;
    let r = &c.request;
    match (m.prepared.route, m.delivery) {
        (Route::Outbox | Route::Smtp, Delivery::Outboxed) => {
            (crate::t!("ops.dispatched.not-sent-outbox"), crate::t!("ops.dispatched.not-sent-outbox-hint", request = r))
        }
        (Route::Post, _) => {
            (crate::t!("ops.dispatched.not-sent-post"), crate::t!("ops.dispatched.not-sent-post-hint", request = r))
        }
        (Route::Webform, _) => (
            crate::t!("ops.dispatched.not-sent-webform"),
            crate::t!("ops.dispatched.not-sent-webform-hint", request = r),
        ),
        _ => (crate::t!("ops.dispatched.not-sent-smtp"), crate::t!("ops.dispatched.not-sent-smtp-hint")),
    }
}

fn read_files(how: &How) -> Result<Vec<FileData>, Error> {
    let paths: Vec<&PathBuf> = match how {
        How::Email { eml } => vec![eml],
        How::Post { receipt, .. } => receipt.iter().collect(),
        How::Webform { confirmation, .. } => confirmation.iter().collect(),
    };
    Ok(paths.into_iter().map(|p| FileData::read(p)).collect::<Result<Vec<_>, _>>()?)
}

fn not_a_message(path: &Path, e: &compare::Error) -> Error {
    Error::usage(
        crate::t!("ops.dispatched.not-a-message", path = path.display(), error = e),
        crate::t!("ops.dispatched.not-a-message-hint"),
    )
}

/// The message of `c` waiting on `route` to be sent by the user: written
/// out (outboxed) and not yet recorded; with `id`, the one with that
/// Message-ID.
fn waiting<'c>(c: &'c Case, route: Route, id: Option<&str>) -> Result<&'c Message, Error> {
    let all: Vec<&Message> = std::iter::once(&c.original).chain(&c.followups).collect();
    let on_route: Vec<&Message> = all.iter().copied().filter(|m| m.prepared.route == route).collect();
    if let Some(id) = id {
        if let Some(m) = on_route.iter().find(|m| m.message_id.as_str() == id) {
            return match m.delivery {
                Delivery::Outboxed => Ok(m),
                Delivery::Dispatched => Err(wrong(
                    c,
                    crate::t!("ops.dispatched.already-sent", id = id, line = m.dispatch.as_ref().map_or(0, |d| d.seq)),
                    crate::t!("ops.dispatched.already-sent-hint"),
                )),
                _ => Err(wrong(
                    c,
                    crate::t!("ops.dispatched.not-in-outbox", id = id),
                    crate::t!("ops.dispatched.show-events-hint"),
                )),
            };
        }
        if let Some(m) = all.iter().find(|m| m.message_id.as_str() == id) {
            return Err(wrong(
                c,
                crate::t!("ops.dispatched.other-route", id = id, route = m.prepared.route.as_str()),
                crate::t!("ops.dispatched.other-route-hint"),
            ));
        }
        let expected: Vec<String> = on_route
            .iter()
            .filter(|m| m.delivery == Delivery::Outboxed)
            .map(|m| format!("<{}>", m.message_id))
            .collect();
        return Err(Error::usage(
            crate::t!(
                "ops.dispatched.other-message",
                id = id,
                what = if expected.is_empty() {
                    crate::t!("ops.dispatched.other-message-any", request = c.request)
                } else {
                    crate::t!(
                        "ops.dispatched.other-message-outboxed",
                        ids = expected.join(&crate::t!("ops.dispatched.other-message-or")),
                        request = c.request
                    )
                }
            ),
            crate::t!("ops.dispatched.other-message-hint"),
        ));
    }
    on_route.iter().rev().find(|m| m.delivery == Delivery::Outboxed).copied().ok_or_else(|| {
        let (what, hint) = match route {
            Route::Post => {
                (crate::t!("ops.dispatched.none-post"), crate::t!("ops.dispatched.none-post-hint", request = c.request))
            }
            Route::Webform => (
                crate::t!("ops.dispatched.none-webform"),
                crate::t!("ops.dispatched.none-webform-hint", request = c.request),
            ),
            Route::Outbox | Route::Smtp => {
                (crate::t!("ops.dispatched.none-outbox"), crate::t!("ops.dispatched.show-events-hint"))
            }
        };
        wrong(c, what, hint)
    })
}

/// The posted letter of `c` whose receipt is not recorded yet.
fn posted(c: &Case) -> Result<&Message, Error> {
    std::iter::once(&c.original)
        .chain(&c.followups)
        .rev()
        .find(|m| m.dispatch.as_ref().is_some_and(|d| d.via == Channel::Post && d.received_on.is_none()))
        .ok_or_else(|| {
            wrong(
                c,
                crate::t!("ops.dispatched.none-posted"),
                crate::t!("ops.dispatched.none-posted-hint", request = c.request),
            )
        })
}

fn message_object(store: &crate::evidence::Store, m: &Message, wanted: &str) -> Result<Option<Vec<u8>>, Error> {
    match m.prepared.objects.iter().find(|o| o.role == wanted) {
        None => Ok(None),
        Some(r) => Ok(Some(store.get(&r.sha256)?)),
    }
}

fn check_not_future(day: NaiveDate, today: NaiveDate, what: &str) -> Result<(), Error> {
    if day > today {
        return Err(Error::usage(
            crate::t!("ops.dispatched.future", what = what, day = day, today = today),
            crate::t!("ops.dispatched.future-hint"),
        ));
    }
    Ok(())
}

fn check_not_before(c: &Case, m: &Message, day: NaiveDate, what: &str) -> Result<(), Error> {
    let written = m.prepared_at.with_timezone(&c.calendar.time_zone()).date_naive();
    if day < written {
        return Err(Error::usage(
            crate::t!("ops.dispatched.before-written", what = what, day = day, written = written),
            crate::t!("ops.dispatched.before-written-hint"),
        ));
    }
    Ok(())
}

/// A tracking number as carriers print it: letters, digits, spaces and
/// dashes, at most 40 characters; stored upper-case without spaces.
fn parse_tracking(s: &str) -> Result<String, Error> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if t.is_empty() || t.len() > 40 || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(Error::usage(
            crate::t!("ops.dispatched.bad-tracking", tracking = s),
            crate::t!("ops.dispatched.bad-tracking-hint"),
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_is_presumed_working_days_after_posting() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Posted Thu 2026-12-03: Fri, Mon, Tue, Wed → Wed 2026-12-09.
        assert_eq!(presume_receipt(d("2026-12-03"), 4, CalendarCode::De, &[]).unwrap(), d("2026-12-09"));
        // Over Christmas (DE): Thu 24 Dec → Mon 28, Tue 29, Wed 30, Thu 31.
        assert_eq!(presume_receipt(d("2026-12-24"), 4, CalendarCode::De, &[]).unwrap(), d("2026-12-31"));
        assert_eq!(presume_receipt(d("2026-12-03"), 0, CalendarCode::De, &[]).unwrap(), d("2026-12-03"));
    }

    #[test]
    fn presumed_receipt_beyond_a_calendars_years_is_the_same_no_data_error() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Posted 29 Dec 2027 in Madrid: the fourth working day is in 2028,
        // a year ES-MD has no list for. Counting weekends alone would give a
        // date too early; it is the error every deadline path gives.
        let e = presume_receipt(d("2027-12-29"), 4, CalendarCode::EsMd, &[]).unwrap_err();
        let via_deadline = deadline::compute(d("2027-12-29"), CalendarCode::EsMd, &[]).unwrap_err();
        assert_eq!(e, deadline::Error::NoData { calendar: CalendarCode::EsMd, year: 2028, first: 2025, last: 2027 });
        assert_eq!(e.to_string(), via_deadline.to_string());
        assert_eq!(
            e.to_string(),
            "no holiday data for 2028 in calendar ES-MD (dsr has its holidays for 2025–2027 only)"
        );
        assert!(e.hint().is_some_and(|h| h.contains("[[holidays]]")), "{:?}", e.hint());
        // Posted in 2024, before the lists begin, and for a table calendar.
        assert!(matches!(
            presume_receipt(d("2024-12-02"), 4, CalendarCode::Il, &[]),
            Err(deadline::Error::NoData { year: 2024, .. })
        ));
        // Days of 2028 listed in dsr.toml make that year countable.
        let extra = [ExtraDay { date: d("2028-01-06"), name: Some("Epiphany".into()) }];
        // Posted Wed 29 Dec: Thu 30, Fri 31, Mon 3 and Tue 4 Jan 2028.
        assert_eq!(presume_receipt(d("2027-12-29"), 4, CalendarCode::EsMd, &extra).unwrap(), d("2028-01-04"));
    }

    #[test]
    fn tracking_numbers_are_normalised_or_refused() {
        assert_eq!(parse_tracking("rr 123 456 789 de").unwrap(), "RR123456789DE");
        assert!(parse_tracking("RR123;rm -rf").is_err());
        assert!(parse_tracking(" ").is_err());
    }
}
