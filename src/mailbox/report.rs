//! Delivery reports and read receipts, from raw message bytes.
//!
//! A report is a `multipart/report` message (RFC 6522) whose
//! `report-type` says what it is:
//!
//! | report-type | machine part | becomes |
//! |---|---|---|
//! | `delivery-status` | `message/delivery-status` (RFC 3464) | [`DeliveryReport`] |
//! | `disposition-notification` | `message/disposition-notification` (RFC 8098) | [`DispositionReport`] |
//!
//! The machine part is groups of `Name: value` fields separated by blank
//! lines: for a DSN one per-message group, then one group per recipient.
//! The reader here is strict about that shape (a line that is neither a
//! field nor a continuation is refused) and lenient about unknown fields
//! (kept out, not refused: RFC 3464 allows extensions). A returned
//! message or its headers (`text/rfc822-headers`, `message/rfc822`) gives
//! the Message-ID of what was reported on, for matching when a DSN has no
//! `Original-Envelope-Id`.

use crate::mail::MessageId;
use crate::mail::parse;
use chrono::{DateTime, Utc};
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// What a report message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// A delivery status notification.
    Delivery(DeliveryReport),
    /// A message disposition notification (read receipt).
    Disposition(DispositionReport),
}

/// A DSN: the per-message fields and one status per recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// `Reporting-MTA`, e.g. `dns; mail.example.org`.
    pub reporting_mta: Option<String>,
    /// `Original-Envelope-Id`, xtext-decoded: the ENVID dsr sent (the request id).
    pub envelope_id: Option<String>,
    /// `Arrival-Date`: when the reporting MTA received the message.
    pub arrival_date: Option<DateTime<Utc>>,
    /// One per recipient, in order (at least one).
    pub recipients: Vec<RecipientStatus>,
    /// The returned message's Message-ID (without brackets), if returned.
    pub returned_message_id: Option<String>,
    /// The ids the returned message refers to (In-Reply-To, References).
    pub returned_references: Vec<MessageId>,
}

/// What happened to the message for one recipient (RFC 3464 §2.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Could not be delivered; no further attempts.
    Failed,
    /// Not delivered yet; the MTA keeps trying.
    Delayed,
    /// Delivered to the recipient's mailbox.
    Delivered,
    /// Passed on to a system that sends no DSNs.
    Relayed,
    /// Delivered and forwarded to several addresses.
    Expanded,
}

impl Action {
    /// The name as written in a DSN and logged.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Failed => "failed",
            Action::Delayed => "delayed",
            Action::Delivered => "delivered",
            Action::Relayed => "relayed",
            Action::Expanded => "expanded",
        }
    }

    fn parse(value: &str) -> Option<Action> {
        // Comments after the action, "delivered (to mailbox)", are allowed.
        let word = value.split(['(', ' ', '\t']).next().unwrap_or("").to_ascii_lowercase();
        [Action::Failed, Action::Delayed, Action::Delivered, Action::Relayed, Action::Expanded]
            .into_iter()
            .find(|a| a.as_str() == word)
    }
}

/// One recipient's block of a DSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientStatus {
    /// `Final-Recipient`, e.g. `rfc822; privacy@example.org`.
    pub final_recipient: String,
    /// `Action`.
    pub action: Action,
    /// `Status`, e.g. `2.0.0`, `5.1.1`.
    pub status: String,
    /// `Remote-MTA`: the server that answered, e.g. `dns; mx.example.org`.
    pub remote_mta: Option<String>,
    /// `Diagnostic-Code`: its reply, e.g. `smtp; 550 5.1.1 user unknown`.
    pub diagnostic: Option<String>,
    /// `Last-Attempt-Date`.
    pub last_attempt: Option<DateTime<Utc>>,
}

/// An MDN (RFC 8098 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispositionReport {
    /// `Reporting-UA`.
    pub reporting_ua: Option<String>,
    /// `Final-Recipient`.
    pub final_recipient: Option<String>,
    /// `Original-Message-ID`, without brackets.
    pub original_message_id: Option<String>,
    /// `Disposition`, as written, e.g. `manual-action/MDN-sent-manually; displayed`.
    pub disposition: String,
    /// The disposition type: `displayed`, `deleted`, `dispatched`, `processed`.
    pub kind: String,
}

/// Why bytes are not a report dsr can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Not a `multipart/report` of a known report-type.
    #[error("{}", crate::t!("mailbox.report.not-a-report"))]
    NotAReport,
    /// The report has no machine-readable part.
    #[error("{}", crate::t!("mailbox.report.no-part", part = .0))]
    NoStatusPart(&'static str),
    /// A line of the machine part is not a field.
    #[error("{}", crate::t!("mailbox.report.not-a-field", line = line, part = part))]
    NotAField {
        /// The part's content type.
        part: &'static str,
        /// 1-based line within the part.
        line: usize,
    },
    /// A field the report must have is missing or empty.
    #[error("{}", crate::t!("mailbox.report.missing", field = .0))]
    Missing(&'static str),
    /// A field's value cannot be read.
    #[error("{}", crate::t!("mailbox.report.bad-value", field = field, value = value))]
    BadValue {
        /// The field.
        field: &'static str,
        /// Its value, shortened.
        value: String,
    },
}

const DSN_PART: &str = "message/delivery-status";
const MDN_PART: &str = "message/disposition-notification";

/// Reads a report from a whole message's bytes.
///
/// # Errors
/// [`ReportError`]: not a report, or a report whose machine part is malformed.
pub fn parse(bytes: &[u8]) -> Result<Report, ReportError> {
    let message = MessageParser::default().parse(bytes).ok_or(ReportError::NotAReport)?;
    let root = message.root_part();
    let report_type = root
        .content_type()
        .filter(|ct| {
            ct.ctype().eq_ignore_ascii_case("multipart")
                && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
        })
        .and_then(|ct| ct.attribute("report-type"))
        .map(str::to_ascii_lowercase)
        .ok_or(ReportError::NotAReport)?;
    let (wanted, is_dsn) = match report_type.as_str() {
        "delivery-status" => (["delivery-status", "global-delivery-status"], true),
        "disposition-notification" => (["disposition-notification", "global-disposition-notification"], false),
        _ => return Err(ReportError::NotAReport),
    };
    let part_name = if is_dsn { DSN_PART } else { MDN_PART };
    let mut machine: Option<Vec<u8>> = None;
    let mut returned: Option<parse::Headers> = None;
    for part in message.parts.iter().skip(1) {
        let Some(ct) = part.content_type() else { continue };
        let sub = ct.subtype().unwrap_or("").to_ascii_lowercase();
        let ctype = ct.ctype().to_ascii_lowercase();
        let raw = || {
            let (start, end) = (part.raw_body_offset() as usize, part.raw_end_offset() as usize);
            bytes.get(start..end).unwrap_or_default().to_vec()
        };
        if ctype == "message" && wanted.contains(&sub.as_str()) && machine.is_none() {
            machine = Some(match &part.body {
                PartType::Text(t) => t.as_bytes().to_vec(),
                PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
                _ => raw(),
            });
        } else if returned.is_none()
            && ((ctype == "text" && sub == "rfc822-headers")
                || (ctype == "message" && (sub == "rfc822" || sub == "global")))
        {
            let content = match &part.body {
                PartType::Text(t) => t.as_bytes().to_vec(),
                PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
                _ => raw(),
            };
            returned = parse::headers(&content).ok();
        }
    }
    let machine = machine.ok_or(ReportError::NoStatusPart(part_name))?;
    let groups = fields(&String::from_utf8_lossy(&machine), part_name)?;
    if is_dsn {
        delivery(&groups, returned).map(Report::Delivery)
    } else {
        disposition(&groups).map(Report::Disposition)
    }
}

type Group = Vec<(String, String)>;

/// Splits a machine part into groups of (lower-case name, unfolded value).
fn fields(text: &str, part: &'static str) -> Result<Vec<Group>, ReportError> {
    let mut groups: Vec<Group> = Vec::new();
    let mut current: Group = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !current.is_empty() {
                groups.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            match current.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                None => return Err(ReportError::NotAField { part, line: i + 1 }),
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReportError::NotAField { part, line: i + 1 });
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ReportError::NotAField { part, line: i + 1 });
        }
        current.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    if !current.is_empty() {
        groups.push(current);
    }
    Ok(groups)
}

fn get<'a>(group: &'a Group, name: &str) -> Option<&'a str> {
    group.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

fn shown(value: &str) -> String {
    match value.char_indices().nth(parse::SHOWN_CHARS) {
        Some((i, _)) => format!("{}…", &value[..i]),
        None => value.to_string(),
    }
}

fn date(group: &Group, name: &str, field: &'static str) -> Result<Option<DateTime<Utc>>, ReportError> {
    let Some(v) = get(group, name) else { return Ok(None) };
    // A comment such as "(UTC)" may follow the zone; Postfix writes one.
    let cleaned = v.split(" (").next().unwrap_or(v).split_whitespace().collect::<Vec<_>>().join(" ");
    DateTime::parse_from_rfc2822(&cleaned)
        .map(|d| Some(d.with_timezone(&Utc)))
        .map_err(|_| ReportError::BadValue { field, value: shown(v) })
}

/// RFC 3461 §4 xtext, decoded; `None` for a malformed `+XX`.
pub fn xtext_decode(value: &str) -> Option<String> {
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'+' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn delivery(groups: &[Group], returned: Option<parse::Headers>) -> Result<DeliveryReport, ReportError> {
    let Some((message, per_recipient)) = groups.split_first() else {
        return Err(ReportError::Missing("Reporting-MTA"));
    };
    let mut recipients = Vec::new();
    for g in per_recipient {
        let final_recipient = get(g, "final-recipient").ok_or(ReportError::Missing("Final-Recipient"))?;
        let action_text = get(g, "action").ok_or(ReportError::Missing("Action"))?;
        let action = Action::parse(action_text)
            .ok_or_else(|| ReportError::BadValue { field: "Action", value: shown(action_text) })?;
        let status = get(g, "status").ok_or(ReportError::Missing("Status"))?;
        let code = status.split([' ', '(']).next().unwrap_or("");
        let parts: Vec<&str> = code.split('.').collect();
        if parts.len() != 3
            || !matches!(parts[0], "2" | "4" | "5")
            || !parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_digit()))
        {
            return Err(ReportError::BadValue { field: "Status", value: shown(status) });
        }
        recipients.push(RecipientStatus {
            final_recipient: final_recipient.to_string(),
            action,
            status: code.to_string(),
            remote_mta: get(g, "remote-mta").map(str::to_string),
            diagnostic: get(g, "diagnostic-code").map(str::to_string),
            last_attempt: date(g, "last-attempt-date", "Last-Attempt-Date")?,
        });
    }
    if recipients.is_empty() {
        return Err(ReportError::Missing("Final-Recipient"));
    }
    let envelope_id = match get(message, "original-envelope-id") {
        Some(v) => Some(
            xtext_decode(v).ok_or_else(|| ReportError::BadValue { field: "Original-Envelope-Id", value: shown(v) })?,
        ),
        None => None,
    };
    let (returned_message_id, returned_references) = match returned {
        Some(h) => {
            let refs = h.referenced_ids().into_iter().cloned().collect();
            (h.message_id, refs)
        }
        None => (None, Vec::new()),
    };
    Ok(DeliveryReport {
        reporting_mta: get(message, "reporting-mta").map(str::to_string),
        envelope_id,
        arrival_date: date(message, "arrival-date", "Arrival-Date")?,
        recipients,
        returned_message_id,
        returned_references,
    })
}

fn disposition(groups: &[Group]) -> Result<DispositionReport, ReportError> {
    let g: Group = groups.iter().flatten().cloned().collect();
    let disposition = get(&g, "disposition").ok_or(ReportError::Missing("Disposition"))?;
    // "action-mode/sending-mode; type/modifier" (RFC 8098 §3.2.6).
    let kind = disposition
        .split_once(';')
        .map(|(_, t)| t.trim().split(['/', ' ', '(']).next().unwrap_or("").to_ascii_lowercase())
        .filter(|k| ["displayed", "deleted", "dispatched", "processed"].contains(&k.as_str()))
        .ok_or_else(|| ReportError::BadValue { field: "Disposition", value: shown(disposition) })?;
    let original_message_id = get(&g, "original-message-id").map(|v| {
        let v = v.trim();
        v.strip_prefix('<').and_then(|v| v.split_once('>')).map_or(v, |(id, _)| id.trim()).to_string()
    });
    Ok(DispositionReport {
        reporting_ua: get(&g, "reporting-ua").map(str::to_string),
        final_recipient: get(&g, "final-recipient").map(str::to_string),
        original_message_id,
        disposition: disposition.to_string(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dsn(status: &str, headers: &str) -> Vec<u8> {
        format!(
            "From: MAILER-DAEMON@relay.example\r\nTo: anna@sender.example\r\nSubject: report\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\
             \tboundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhuman text\r\n\r\n\
             --B\r\nContent-Type: message/delivery-status\r\n\r\n{status}\r\n--B\r\n\
             Content-Type: text/rfc822-headers\r\n\r\n{headers}\r\n--B--\r\n"
        )
        .into_bytes()
    }

    const FAILED: &str = "Reporting-MTA: dns; relay.example\r\nX-Postfix-Queue-ID: 4F2A\r\n\
        Original-Envelope-Id: r_aaaa+2Bbbb\r\nArrival-Date: Wed,  2 Dec 2026 04:40:01 +0000 (UTC)\r\n\r\n\
        Final-Recipient: rfc822; nobody@company.example\r\nOriginal-Recipient: rfc822;nobody@company.example\r\n\
        Action: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.company.example\r\n\
        Diagnostic-Code: x-unix; user unknown\r\n  (folded)\r\n";

    #[test]
    fn reads_a_failed_dsn_with_its_returned_headers() {
        let bytes =
            dsn(FAILED, "Message-ID: <m1@sender.example>\r\nIn-Reply-To: <m0@sender.example>\r\nFrom: a@b.example\r\n");
        let Report::Delivery(d) = parse(&bytes).unwrap() else { panic!("not a DSN") };
        assert_eq!(d.envelope_id.as_deref(), Some("r_aaaa+bbb"));
        assert_eq!(d.reporting_mta.as_deref(), Some("dns; relay.example"));
        assert_eq!(d.arrival_date.unwrap().to_rfc3339(), "2026-12-02T04:40:01+00:00");
        assert_eq!(d.returned_message_id.as_deref(), Some("m1@sender.example"));
        assert_eq!(d.returned_references.len(), 1);
        let r = &d.recipients[0];
        assert_eq!((r.action, r.status.as_str()), (Action::Failed, "5.1.1"));
        assert_eq!(r.diagnostic.as_deref(), Some("x-unix; user unknown (folded)"));
        assert_eq!(r.remote_mta.as_deref(), Some("dns; mx.company.example"));
    }

    #[test]
    fn reads_an_mdn() {
        let bytes = b"From: privacy@company.example\r\nSubject: Read: request\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/report; report-type=disposition-notification; boundary=\"X\"\r\n\r\n\
            --X\r\nContent-Type: text/plain\r\n\r\nThe message was displayed.\r\n--X\r\n\
            Content-Type: message/disposition-notification\r\n\r\nReporting-UA: mua.example; Thunderbird\r\n\
            Final-Recipient: rfc822; privacy@company.example\r\nOriginal-Message-ID: <m1@sender.example>\r\n\
            Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n--X--\r\n";
        let Report::Disposition(m) = parse(bytes).unwrap() else { panic!("not an MDN") };
        assert_eq!(m.original_message_id.as_deref(), Some("m1@sender.example"));
        assert_eq!(m.kind, "displayed");
        assert_eq!(m.final_recipient.as_deref(), Some("rfc822; privacy@company.example"));
    }

    #[test]
    fn refuses_what_is_not_a_report_or_is_malformed() {
        assert_eq!(parse(b"From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n"), Err(ReportError::NotAReport));
        let no_field = dsn("Reporting-MTA: dns; x\r\nthis is not a field\r\n", "");
        assert_eq!(parse(&no_field), Err(ReportError::NotAField { part: DSN_PART, line: 2 }));
        let no_rcpt = dsn("Reporting-MTA: dns; x\r\n", "");
        assert_eq!(parse(&no_rcpt), Err(ReportError::Missing("Final-Recipient")));
        let bad_action = dsn(
            "Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: exploded\r\nStatus: 2.0.0\r\n",
            "",
        );
        assert!(matches!(parse(&bad_action), Err(ReportError::BadValue { field: "Action", .. })));
        let bad_status =
            dsn("Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: failed\r\nStatus: 9.9\r\n", "");
        assert!(matches!(parse(&bad_status), Err(ReportError::BadValue { field: "Status", .. })));
        let bad_date = dsn(&FAILED.replace("Wed,  2 Dec 2026 04:40:01 +0000", "yesterday"), "");
        assert!(matches!(parse(&bad_date), Err(ReportError::BadValue { field: "Arrival-Date", .. })));
    }

    #[test]
    fn xtext_round_trips() {
        for s in ["r_abcdefgh23456723", "a+b=c d\u{e9}", ""] {
            assert_eq!(xtext_decode(&crate::mail::smtp::xtext(s)).as_deref(), Some(s));
        }
        assert_eq!(xtext_decode("+4"), None);
        assert_eq!(xtext_decode("+ZZ"), None);
    }
}
