//! Reading the headers of a received message (a reply saved as .eml).
//!
//! dsr keeps a reply byte for byte as evidence; it only needs a few headers
//! to file it: Message-ID, Date, In-Reply-To and References (to find the
//! case), From and Subject (to show it). This is a small RFC 5322 header
//! reader: unfolding, case-insensitive names, message ids in angle
//! brackets. It does not decode bodies.
//!
//! The ids a reply refers to (In-Reply-To, References) are parsed here,
//! where they enter dsr ([`MessageId`]): an id that is not
//! `dot-atom@dot-atom` cannot be one dsr wrote, so it cannot lead to a
//! case, and is left out. The reply's own Message-ID is the company's, not
//! dsr's: it is kept as written (between the angle brackets), whatever its
//! form, because it is evidence of what arrived and older logs hold such
//! ids (the reply itself is stored byte for byte anyway).

use super::MessageId;
use chrono::{DateTime, Utc};

/// The headers dsr uses from a received message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// Message-ID as written, without the angle brackets (the sender's
    /// own id: not checked against dsr's rules).
    pub message_id: Option<String>,
    /// Date, converted to UTC.
    pub date: Option<DateTime<Utc>>,
    /// In-Reply-To ids (the valid ones).
    pub in_reply_to: Vec<MessageId>,
    /// References ids (the valid ones).
    pub references: Vec<MessageId>,
    /// The From header as written.
    pub from: Option<String>,
    /// The Subject header as written (encoded words are not decoded).
    pub subject: Option<String>,
}

impl Headers {
    /// Every id this message refers to: In-Reply-To first, then References
    /// newest first.
    pub fn referenced_ids(&self) -> Vec<&MessageId> {
        self.in_reply_to.iter().chain(self.references.iter().rev()).collect()
    }
}

/// Why a file is not a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// A line in the header section is neither a header nor a continuation.
    #[error("{}", crate::t!("mail.parse.not-a-header", line = line))]
    NotAHeader {
        /// 1-based line number.
        line: usize,
    },
    /// No From, Date or Message-ID header: this is not an email.
    #[error("{}", crate::t!("mail.parse.no-headers"))]
    NoHeaders,
    /// The Date header is not an RFC 5322 date (the value is cut to
    /// [`SHOWN_CHARS`] characters).
    #[error("{}", crate::t!("mail.parse.bad-date", value = .0))]
    BadDate(String),
    /// The Message-ID is longer than a header line may be ([`MAX_ID_LEN`]).
    #[error("{}", crate::t!("mail.parse.id-too-long", len = len, max = MAX_ID_LEN))]
    IdTooLong {
        /// The id's length in bytes.
        len: usize,
    },
}

/// The longest Message-ID accepted: RFC 5322 §2.1.1 limits a line to 998
/// characters, so no valid message has a longer one. dsr logs the id.
pub const MAX_ID_LEN: usize = 998;

/// How much of a bad header value an error shows.
pub const SHOWN_CHARS: usize = 80;

fn shown(value: &str) -> String {
    match value.char_indices().nth(SHOWN_CHARS) {
        Some((i, _)) => format!("{}…", &value[..i]),
        None => value.to_string(),
    }
}

/// Reads the header section of `bytes`.
///
/// # Errors
/// See [`ParseError`].
pub fn headers(bytes: &[u8]) -> Result<Headers, ParseError> {
    let text = String::from_utf8_lossy(bytes);
    let mut fields: Vec<(String, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                None => return Err(ParseError::NotAHeader { line: i + 1 }),
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ParseError::NotAHeader { line: i + 1 });
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return Err(ParseError::NotAHeader { line: i + 1 });
        }
        fields.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let get = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut h = Headers {
        message_id: get("message-id").and_then(|v| bracketed(&v).next().map(str::to_string)),
        date: None,
        in_reply_to: get("in-reply-to").map(|v| ids(&v)).unwrap_or_default(),
        references: get("references").map(|v| ids(&v)).unwrap_or_default(),
        from: get("from"),
        subject: get("subject"),
    };
    if let Some(d) = get("date") {
        // RFC 5322 allows comments such as "(CET)" after the zone.
        let cleaned = d.split(" (").next().unwrap_or(&d).trim().to_string();
        h.date = Some(
            DateTime::parse_from_rfc2822(&cleaned).map_err(|_| ParseError::BadDate(shown(&d)))?.with_timezone(&Utc),
        );
    }
    // The raw header, bracketed or not: the id is kept as written.
    if let Some(raw) = get("message-id") {
        let len = h.message_id.as_ref().map_or(raw.len(), String::len);
        if len > MAX_ID_LEN {
            return Err(ParseError::IdTooLong { len });
        }
    }
    if h.from.is_none() && h.date.is_none() && get("message-id").is_none() {
        return Err(ParseError::NoHeaders);
    }
    Ok(h)
}

/// The `<…>` parts of a header value, trimmed.
fn bracketed(value: &str) -> impl Iterator<Item = &str> {
    value.split('<').skip(1).filter_map(|s| s.split_once('>').map(|(id, _)| id.trim())).filter(|id| !id.is_empty())
}

/// The valid `<id>`s in a header value.
fn ids(value: &str) -> Vec<MessageId> {
    bracketed(value).filter_map(|id| MessageId::parse(id).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_threading_headers() {
        let eml = b"From: Privacy Team <euprivacy@zendesk.com>\r\nTo: a@b.example\r\nSubject: Re: Request\r\n\
Message-ID: <reply-1@zendesk.com>\r\nIn-Reply-To: <abc@beispiel.example>\r\nReferences: <x@y>\r\n <abc@beispiel.example>\r\n\
Date: Mon, 30 Nov 2026 09:15:00 +0000 (UTC)\r\n\r\nBody: not a header\r\n";
        let h = headers(eml).unwrap();
        assert_eq!(h.message_id.as_deref(), Some("reply-1@zendesk.com"));
        assert_eq!(h.in_reply_to, ["abc@beispiel.example"]);
        assert_eq!(h.references, ["x@y", "abc@beispiel.example"]);
        assert_eq!(h.referenced_ids(), ["abc@beispiel.example", "abc@beispiel.example", "x@y"]);
        assert_eq!(h.date.unwrap().to_rfc3339(), "2026-11-30T09:15:00+00:00");
    }

    #[test]
    fn referenced_ids_that_are_not_message_ids_are_left_out_and_the_own_id_is_kept_as_written() {
        let h = headers(b"Message-ID: <no-at-sign>\r\nIn-Reply-To: <a@[1.2.3.4]> <ok@x.example>\r\n\r\n").unwrap();
        assert_eq!(h.message_id.as_deref(), Some("no-at-sign"));
        assert_eq!(h.in_reply_to, vec![MessageId::parse("ok@x.example").unwrap()]);
    }

    #[test]
    fn refuses_what_is_not_a_message() {
        assert_eq!(headers(b"%PDF-1.7\n%\xe2\xe3\n").unwrap_err(), ParseError::NotAHeader { line: 1 });
        assert_eq!(headers(b"X-Foo: bar\n\nbody").unwrap_err(), ParseError::NoHeaders);
        assert!(matches!(headers(b"From: a@b\nDate: yesterday\n\n"), Err(ParseError::BadDate(_))));
        let long = format!("From: a@b\nMessage-ID: <{}@x>\n\n", "a".repeat(MAX_ID_LEN));
        assert_eq!(headers(long.as_bytes()).unwrap_err(), ParseError::IdTooLong { len: MAX_ID_LEN + 2 });
        let date = format!("From: a@b\nDate: {}\n\n", "9".repeat(1 << 20));
        let err = headers(date.as_bytes()).unwrap_err().to_string();
        assert!(err.len() < 200, "the error shows a bounded part of the value: {} bytes", err.len());
    }
}
