//! Comparing the copy of a message from the user's Sent folder with the
//! message dsr wrote to the outbox.
//!
//! Without SMTP, dsr writes an `.eml` to the outbox and the user sends it
//! from their own mail client; `dsr dispatched --via email --eml COPY`
//! then takes the copy the client kept. A client re-encodes what it sends
//! (new MIME boundaries, another transfer encoding, re-wrapped headers),
//! so the bytes never match; what must match is what the company reads.
//! This module decodes both messages (MIME, transfer encodings, charsets,
//! encoded words: the `mail-parser` crate) and compares, part by part:
//!
//! | part | compared as |
//! |---|---|
//! | Message-ID | equal, or the copy is another message ([`Comparison::same_message`]) |
//! | Subject | decoded text, surrounding space trimmed |
//! | From, To, Cc | the addresses, case-insensitively, as sets |
//! | the letter text | the first text body, line ends and trailing spaces normalised |
//! | attachments | file name and SHA-256 of the decoded content (text with LF line ends: clients send CRLF), as a multiset |
//!
//! Every difference is reported ([`Comparison::differences`]); whether to
//! accept them is the caller's decision, and the comparison itself is kept
//! as evidence ([`Comparison::to_json`]).

use chrono::{DateTime, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A part of a message that differs between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The Subject header.
    Subject,
    /// The From address.
    From,
    /// The To addresses.
    To,
    /// The Cc addresses.
    Cc,
    /// The letter text.
    Body,
    /// The attachments.
    Attachments,
}

/// What one message says, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// The Date header, in UTC.
    pub date: Option<DateTime<Utc>>,
    /// Subject, decoded.
    pub subject: Option<String>,
    /// From addresses, lowercase, sorted.
    pub from: Vec<String>,
    /// To addresses, lowercase, sorted.
    pub to: Vec<String>,
    /// Cc addresses, lowercase, sorted.
    pub cc: Vec<String>,
    /// SHA-256 (hex) of the normalised letter text.
    pub body_sha256: Option<String>,
    /// Attachments, sorted by name then hash.
    pub attachments: Vec<AttachmentSummary>,
    /// The normalised letter text (not serialized: the evidence keeps the
    /// messages themselves).
    #[serde(skip)]
    pub body: Option<String>,
}

/// One attachment: its name and the hash of its decoded content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AttachmentSummary {
    /// The file name as given (decoded), or empty.
    pub name: String,
    /// SHA-256 (hex) of the decoded content.
    pub sha256: String,
    /// Decoded size in bytes.
    pub size: usize,
}

/// The result of comparing a sent copy with the outboxed message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The message dsr wrote to the outbox.
    pub outboxed: Summary,
    /// The copy from the Sent folder.
    pub sent_copy: Summary,
    /// The parts that differ, in a fixed order.
    pub differences: Vec<Part>,
}

impl Comparison {
    /// True when both carry the same Message-ID: the copy is of this message.
    pub fn same_message(&self) -> bool {
        self.outboxed.message_id.is_some() && self.outboxed.message_id == self.sent_copy.message_id
    }

    /// The comparison as pretty JSON, for the evidence store.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("a comparison of strings and numbers serializes")
    }

    /// One line per difference, in words (file names included), for the user.
    pub fn describe(&self) -> Vec<String> {
        let (a, b) = (&self.outboxed, &self.sent_copy);
        let list = |v: &[String]| if v.is_empty() { crate::t!("mail.compare.none") } else { v.join(", ") };
        self.differences
            .iter()
            .map(|p| match p {
                Part::Subject => crate::t!(
                    "mail.compare.subject",
                    outboxed = format!("{:?}", a.subject.as_deref().unwrap_or("")),
                    sent = format!("{:?}", b.subject.as_deref().unwrap_or(""))
                ),
                Part::From => crate::t!("mail.compare.from", outboxed = list(&a.from), sent = list(&b.from)),
                Part::To => crate::t!("mail.compare.to", outboxed = list(&a.to), sent = list(&b.to)),
                Part::Cc => crate::t!("mail.compare.cc", outboxed = list(&a.cc), sent = list(&b.cc)),
                Part::Body => match (&a.body, &b.body) {
                    (Some(x), Some(y)) => crate::t!("mail.compare.body", line = first_difference(x, y)),
                    (_, None) => crate::t!("mail.compare.body-not-sent"),
                    (None, _) => crate::t!("mail.compare.body-not-outboxed"),
                },
                Part::Attachments => {
                    let names = |s: &Summary| -> Vec<String> {
                        s.attachments
                            .iter()
                            .map(|x| crate::t!("mail.compare.attachment", name = x.name, size = x.size))
                            .collect()
                    };
                    let missing: Vec<String> =
                        a.attachments.iter().filter(|x| !b.attachments.contains(x)).map(|x| x.name.clone()).collect();
                    let extra: Vec<String> =
                        b.attachments.iter().filter(|x| !a.attachments.contains(x)).map(|x| x.name.clone()).collect();
                    crate::t!(
                        "mail.compare.attachments",
                        missing = list(&missing),
                        extra = list(&extra),
                        outboxed = list(&names(a)),
                        sent = list(&names(b))
                    )
                }
            })
            .collect()
    }
}

/// Where the two letter texts first part: the 1-based line.
fn first_difference(a: &str, b: &str) -> usize {
    let line =
        a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    line + 1
}

/// Why a file cannot be read as a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Nothing in it parses as an email message.
    #[error("{}", crate::t!("mail.compare.not-a-message"))]
    NotAMessage,
}

/// Decodes one message.
///
/// # Errors
/// [`Error::NotAMessage`] when nothing parses.
pub fn summarize(bytes: &[u8]) -> Result<Summary, Error> {
    let m = MessageParser::default().parse(bytes).ok_or(Error::NotAMessage)?;
    if m.message_id().is_none() && m.date().is_none() && m.from().is_none() {
        return Err(Error::NotAMessage);
    }
    let addresses = |a: Option<&mail_parser::Address<'_>>| -> Vec<String> {
        let mut v: Vec<String> =
            a.map(|a| a.iter().filter_map(|x| x.address()).map(str::to_lowercase).collect()).unwrap_or_default();
        v.sort();
        v.dedup();
        v
    };
    let body = m.body_text(0).map(|t| normalize(&t));
    let mut attachments: Vec<AttachmentSummary> = m
        .attachments()
        .map(|p| {
            // Text travels in canonical form, CRLF line ends (RFC 2046
            // §4.1.1); clients convert. The content is the same either way.
            let content: std::borrow::Cow<'_, [u8]> =
                if p.content_type().is_some_and(|ct| ct.c_type.eq_ignore_ascii_case("text")) {
                    String::from_utf8_lossy(p.contents()).replace("\r\n", "\n").into_bytes().into()
                } else {
                    p.contents().into()
                };
            AttachmentSummary {
                name: p.attachment_name().unwrap_or_default().to_string(),
                sha256: hex(&Sha256::digest(&content)),
                size: content.len(),
            }
        })
        .collect();
    attachments.sort();
    Ok(Summary {
        message_id: m.message_id().map(str::to_string),
        date: m.date().and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        subject: m.subject().map(|s| s.trim().to_string()),
        from: addresses(m.from()),
        to: addresses(m.to()),
        cc: addresses(m.cc()),
        body_sha256: body.as_ref().map(|b| hex(&Sha256::digest(b.as_bytes()))),
        attachments,
        body,
    })
}

/// Compares the copy from the Sent folder with the outboxed message.
///
/// # Errors
/// Either file is not an email message.
pub fn compare(outboxed: &[u8], sent_copy: &[u8]) -> Result<Comparison, Error> {
    let (a, b) = (summarize(outboxed)?, summarize(sent_copy)?);
    let mut differences = Vec::new();
    if a.subject != b.subject {
        differences.push(Part::Subject);
    }
    if a.from != b.from {
        differences.push(Part::From);
    }
    if a.to != b.to {
        differences.push(Part::To);
    }
    if a.cc != b.cc {
        differences.push(Part::Cc);
    }
    if a.body_sha256 != b.body_sha256 {
        differences.push(Part::Body);
    }
    if a.attachments != b.attachments {
        differences.push(Part::Attachments);
    }
    Ok(Comparison { outboxed: a, sent_copy: b, differences })
}

/// The letter text as a reader sees it: LF line ends, no trailing spaces
/// (a client may add or drop them when it re-wraps), no trailing blank
/// lines.
fn normalize(text: &str) -> String {
    let mut out: String = text.replace("\r\n", "\n").lines().map(|l| format!("{}\n", l.trim_end())).collect();
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "From: Anna <anna@beispiel.example>\r\nTo: privacy@company.example\r\nSubject: =?utf-8?q?L=C3=B6schung?=\r\n\
Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMessage-ID: <m1@beispiel.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"AAA\"\r\n\r\n--AAA\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\nSehr geehrte Damen und Herren,=0D=0Abitte l=C3=B6schen.\r\n--AAA\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=\"identity.txt\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nSWRlbnRpdMOkdA==\r\n--AAA--\r\n";

    /// The same message as another client writes it: other boundary,
    /// 8bit body, folded subject, a later Date.
    const B: &str = "Message-ID: <m1@beispiel.example>\r\nDate: Mon, 30 Nov 2026 10:12:00 +0100\r\n\
From: anna@BEISPIEL.example\r\nTo: <privacy@company.example>\r\nSubject: =?iso-8859-1?q?L=F6schung?=\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zzz\r\n\r\n--zzz\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 8bit\r\n\r\nSehr geehrte Damen und Herren,  \r\nbitte löschen.\r\n\r\n--zzz\r\n\
Content-Type: application/octet-stream; name=identity.txt\r\nContent-Disposition: attachment\r\n\
Content-Transfer-Encoding: base64\r\n\r\nSWRlbnRp\r\ndMOkdA==\r\n--zzz--\r\n";

    #[test]
    fn a_re_encoded_copy_matches() {
        let c = compare(A.as_bytes(), B.as_bytes()).unwrap();
        assert!(c.same_message());
        assert_eq!(c.differences, [], "{:#?}", c);
        assert_eq!(c.sent_copy.date.unwrap().to_rfc3339(), "2026-11-30T09:12:00+00:00");
        assert_eq!(c.outboxed.attachments[0].name, "identity.txt");
    }

    #[test]
    fn every_changed_part_is_reported() {
        let changed = B
            .replace("bitte löschen.", "bitte löschen, danke.")
            .replace("To: <privacy@company.example>", "To: other@company.example")
            .replace("SWRlbnRp\r\ndMOkdA==", "SWRlbnRp")
            .replace("Message-ID: <m1@", "Message-ID: <m2@");
        let c = compare(A.as_bytes(), changed.as_bytes()).unwrap();
        assert!(!c.same_message());
        assert_eq!(c.differences, [Part::To, Part::Body, Part::Attachments]);
        let words = c.describe();
        assert_eq!(words[0], "to: outboxed privacy@company.example, sent other@company.example");
        assert_eq!(words[1], "letter text differs (first at line 2)");
        assert!(
            words[2].starts_with("attachments: missing or changed in the sent copy: identity.txt; not in"),
            "{}",
            words[2]
        );
    }

    #[test]
    fn what_is_not_a_message_is_refused() {
        assert_eq!(summarize(b"%PDF-1.7\n").unwrap_err(), Error::NotAMessage);
    }
}
