//! Deadlines as an iCalendar file (RFC 5545) that calendar apps import.
//!
//! One all-day event per open case with a deadline, on the earlier reading's
//! due date (the date to plan for); the description gives the later reading
//! (the case is overdue only after it). The UID is the request id, so
//! importing a newer file updates the events instead of duplicating them;
//! SEQUENCE counts the facts that moved the case's dates (a sent reminder,
//! an extension, a recorded day of receipt), so a calendar takes the newer
//! date. Once a reminder is sent, the event is on the answer date it set.
//! Each event has an alarm per entry of `alarms` (days before; by default
//! 7 and 1, [`DEFAULT_ALARMS`]).
//!
//! ```
//! use dsr::ops::ics::fold_line;
//! let long = format!("DESCRIPTION:{}", "é".repeat(40));
//! let folded = fold_line(&long);
//! assert!(folded.split("\r\n").all(|l| l.len() <= 75));
//! assert_eq!(folded.replace("\r\n ", ""), long);
//! ```

use crate::case::DueBasis;
use crate::ops::cases::Row;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// True if `row` gets an event: not settled, and a deadline runs.
pub fn has_event(row: &Row) -> bool {
    !row.settled && row.due.is_some()
}

/// The alarms an event gets unless told otherwise: days before its date.
pub const DEFAULT_ALARMS: [u32; 2] = [7, 1];

/// The iCalendar text (CRLF line ends, lines folded at 75 octets) with one
/// event per row that is not settled and has a due date, stamped `stamp`,
/// with an alarm `n` days before for each `n` in `alarms`.
pub fn calendar(rows: &[Row], stamp: DateTime<Utc>, alarms: &[u32]) -> String {
    let mut out = String::new();
    let mut put = |line: String| {
        out.push_str(&fold_line(&line));
        out.push_str("\r\n");
    };
    put("BEGIN:VCALENDAR".into());
    put("VERSION:2.0".into());
    put(format!("PRODID:-//dsr//dsr {}//EN", env!("CARGO_PKG_VERSION")));
    put("CALSCALE:GREGORIAN".into());
    put("METHOD:PUBLISH".into());
    put(format!("X-WR-CALNAME:{}", escape(&crate::t!("cli.ics.calendar-name"))));
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for r in rows.iter().filter(|r| has_event(r)) {
        let Some(legal) = r.due else { continue };
        let due = r.reminder_due.unwrap_or(legal);
        put("BEGIN:VEVENT".into());
        put(format!("UID:{}@dsr", r.request));
        put(format!("SEQUENCE:{}", r.revision));
        put(format!("DTSTAMP:{dtstamp}"));
        put(format!("DTSTART;VALUE=DATE:{}", ics_date(due)));
        put(format!("DTEND;VALUE=DATE:{}", ics_date(due.checked_add_days(Days::new(1)).unwrap_or(due))));
        put(format!("SUMMARY:{}", escape(&crate::t!("cli.ics.summary", company = r.company, kind = r.kind.name()))));
        put(format!("DESCRIPTION:{}", escape(&description(r, legal))));
        put("CATEGORIES:GDPR".into());
        put("TRANSP:TRANSPARENT".into());
        for days in alarms {
            put("BEGIN:VALARM".into());
            put("ACTION:DISPLAY".into());
            put(format!("TRIGGER;RELATED=START:-P{days}D"));
            let when = match days {
                0 => crate::t!("cli.ics.today"),
                1 => crate::t!("cli.ics.tomorrow"),
                n => crate::t!("cli.ics.in-days", n = n),
            };
            let alarm = crate::t!("cli.ics.alarm", when = when, company = r.company, kind = r.kind.name());
            put(format!("DESCRIPTION:{}", escape(&alarm)));
            put("END:VALARM".into());
        }
        put("END:VEVENT".into());
    }
    put("END:VCALENDAR".into());
    out
}

fn description(r: &Row, due: NaiveDate) -> String {
    let basis = match r.due_basis {
        Some(DueBasis::Extended) => crate::t!("cli.ics.basis-extended"),
        Some(DueBasis::ConfirmBy) => crate::t!("cli.ics.basis-confirm-by"),
        Some(DueBasis::Art12_3) | None => crate::t!("cli.ics.basis-month"),
    };
    let from = match (r.received_on, r.receipt_presumed) {
        (Some(d), true) => crate::t!("cli.ics.from-presumed", date = d),
        (Some(d), false) => crate::t!("cli.ics.from-received", date = d),
        (None, _) => crate::t!("cli.ics.from-accepted"),
    };
    let mut text = crate::t!(
        "cli.ics.text",
        request = r.request,
        company = r.company,
        kind = r.kind.name(),
        policy = r.policy,
        state = r.state.shown(),
        due = due,
        basis = basis,
        from = from
    );
    if let Some(later) = r.due_later.filter(|l| *l != due) {
        text.push_str(&crate::t!("cli.ics.later", later = later));
    }
    if let Some(reminded) = r.reminder_due {
        text.push_str(&crate::t!("cli.ics.reminded", date = reminded));
    }
    if r.overdue && r.reminder_due.is_none() {
        text.push_str(&crate::t!("cli.ics.overdue-remind"));
    } else if r.overdue {
        text.push_str(&crate::t!("cli.ics.overdue"));
    }
    text.push_str(&crate::t!("cli.ics.details", request = r.request));
    text
}

fn ics_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma
/// and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line (RFC 5545 §3.1): no line longer than 75 octets
/// without its CRLF; continuation lines start with a space; UTF-8
/// characters are never split.
pub fn fold_line(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / MAX * 3);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > MAX {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::LetterKind;

    fn row(request: &str, due: Option<NaiveDate>, settled: bool) -> Row {
        Row {
            request: request.parse().unwrap(),
            company: "Zendesk International Ltd.".into(),
            policy: "zendesk".parse().unwrap(),
            kind: LetterKind::Erasure,
            label: None,
            name: None,
            state: crate::case::Status::Sent,
            sent_at: None,
            delivered_at: None,
            delivered_time_unknown: false,
            due,
            due_later: due.map(|d| d + Days::new(1)),
            due_basis: Some(DueBasis::Art12_3),
            days_left: Some(3),
            overdue: false,
            settled,
            received_on: None,
            receipt_presumed: false,
            reminder_due: None,
            revision: 0,
        }
    }

    #[test]
    fn one_event_per_open_case_with_a_deadline() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 28);
        let rows = [
            row("r_aaaaaaaaaaaaaaaa", d, false),
            row("r_bbbbbbbbbbbbbbbb", None, false),
            row("r_cccccccccccccccc", d, true),
        ];
        let stamp = "2026-11-28T10:00:00Z".parse().unwrap();
        let ics = calendar(&rows, stamp, &DEFAULT_ALARMS);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("\r\nUID:r_aaaaaaaaaaaaaaaa@dsr\r\n"));
        assert!(unfolded.contains("\r\nDTSTART;VALUE=DATE:20261228\r\nDTEND;VALUE=DATE:20261229\r\n"));
        assert!(unfolded.contains("\r\nDTSTAMP:20261128T100000Z\r\n"));
        assert!(unfolded.contains("\r\nSUMMARY:GDPR deadline: Zendesk International Ltd. (erasure)\r\n"));
        assert!(unfolded.contains("Overdue only after 2026-12-29"));
        assert!(unfolded.contains("\r\nSEQUENCE:0\r\n"));
        assert!(unfolded.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=START:-P7D\r\n"));
        assert!(unfolded.contains("TRIGGER;RELATED=START:-P1D\r\nDESCRIPTION:GDPR deadline tomorrow: Zendesk"));
        assert_eq!(calendar(&rows, stamp, &[]).matches("VALARM").count(), 0);
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    proptest::proptest! {
        #[test]
        fn folding_keeps_the_text_and_the_limit(s in "\\PC{0,300}") {
            let folded = fold_line(&s);
            proptest::prop_assert_eq!(folded.replace("\r\n ", ""), s);
            for l in folded.split("\r\n") {
                proptest::prop_assert!(l.len() <= 75);
            }
        }
    }
}
