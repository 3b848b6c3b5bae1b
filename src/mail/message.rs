//! Building a message: plain data ([`MessageSpec`]) → exact bytes
//! ([`MessageBytes`]).
//!
//! The shape is fixed (DESIGN §6): `multipart/mixed` with a
//! `text/plain; charset=utf-8` body part followed by the attachments; a
//! `Message-ID` and `Date` from the caller; optional Cc, Reply-To,
//! In-Reply-To/References and Disposition-Notification-To; an optional DKIM
//! signature added here, so the signed bytes are the stored bytes.
//!
//! Every input that is not random is a parameter: with the same spec the
//! bytes are the same (the MIME boundary, unless given, is derived from the
//! Message-ID, which the caller makes with [`generate_message_id`]). The
//! output is 7-bit ASCII with CRLF line ends: lettre encodes non-ASCII
//! names and subjects as RFC 2047 words, filenames as RFC 2231 parameters,
//! and picks quoted-printable or base64 for bodies
//! (research/rust-stack.md §1).
//!
//! Header injection: addresses and Message-IDs are typed
//! ([`EmailAddress`], [`MessageId`]), which cannot hold a control
//! character; every other value that reaches a header (names, subject,
//! filenames, content types, the boundary) is checked for control
//! characters before anything else is done, and refused with
//! [`Error::HeaderInjection`] naming the field.
//!
//! ```
//! use chrono::TimeZone;
//! use dsr::mail::message::{build, MessageSpec};
//!
//! let spec = MessageSpec::new(
//!     ("Anna Beispiel".into(), "anna@example.org".parse().unwrap()),
//!     vec![(None, "dpo@example.com".parse().unwrap())],
//!     "Löschung".into(),
//!     "Guten Tag,\n".into(),
//!     "0123abcd@example.org".parse().unwrap(),
//!     chrono::Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
//! );
//! let msg = build(&spec, None).unwrap();
//! assert!(msg.bytes().starts_with(b"Date: Mon, 05 Jan 2026 09:00:00 +0000\r\n"));
//! assert_eq!(msg.envelope().to[0].to_string(), "dpo@example.com");
//! ```

use super::dkim::Signer;
use super::message_id::MessageId;
use super::{Envelope, Error, check_header_value};
use crate::address::EmailAddress;
use chrono::{DateTime, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as LettreAttachment, Body, Mailbox, MultiPart, SinglePart};
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The name the recipient sees (may contain non-ASCII characters).
    pub filename: String,
    /// MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// The content, sent base64-encoded.
    pub bytes: Vec<u8>,
}

/// Everything a message is built from. Names are optional display names;
/// addresses and ids are typed (parsed where they entered dsr).
#[derive(Debug, Clone)]
pub struct MessageSpec {
    /// (display name, address) of the sender; an empty name means none.
    pub from: (String, EmailAddress),
    /// Recipients (at least one).
    pub to: Vec<(Option<String>, EmailAddress)>,
    /// Copy recipients (e.g. the sender's own archive address).
    pub cc: Vec<(Option<String>, EmailAddress)>,
    /// Where replies should go, if not `from`.
    pub reply_to: Option<(Option<String>, EmailAddress)>,
    /// The subject line.
    pub subject: String,
    /// The letter text; line ends become CRLF.
    pub body: String,
    /// Attachments, in order after the body.
    pub attachments: Vec<Attachment>,
    /// Made by the caller with [`generate_message_id`].
    pub message_id: MessageId,
    /// The Date header.
    pub date: DateTime<Utc>,
    /// The Message-ID this one answers, if any.
    pub in_reply_to: Option<MessageId>,
    /// Earlier Message-IDs of the thread, oldest first.
    pub references: Vec<MessageId>,
    /// Ask for a read receipt (RFC 8098) to this address.
    pub disposition_notification_to: Option<EmailAddress>,
    /// The MIME boundary; derived from the Message-ID when `None`.
    pub boundary: Option<String>,
    /// The log's latest signed checkpoint note, carried in the
    /// `DSR-Checkpoint` header (a witness, [`crate::evidence::witness`]).
    pub checkpoint: Option<String>,
}

impl MessageSpec {
    /// A message with what every message has; no Cc, Reply-To, attachments,
    /// threading or read receipt, and the boundary derived from the id.
    pub fn new(
        from: (String, EmailAddress),
        to: Vec<(Option<String>, EmailAddress)>,
        subject: String,
        body: String,
        message_id: MessageId,
        date: DateTime<Utc>,
    ) -> MessageSpec {
        MessageSpec {
            from,
            to,
            cc: Vec::new(),
            reply_to: None,
            subject,
            body,
            attachments: Vec::new(),
            message_id,
            date,
            in_reply_to: None,
            references: Vec::new(),
            disposition_notification_to: None,
            boundary: None,
            checkpoint: None,
        }
    }
}

/// A built message: the exact bytes the SMTP server will store, the
/// envelope, and the Message-ID.
///
/// Invariant: `bytes` is non-empty and ends with CRLF (the last line of the
/// message); [`super::smtp::Mailer::send`] relies on it to deliver exactly
/// these bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBytes {
    bytes: Vec<u8>,
    envelope: Envelope,
    message_id: MessageId,
}

impl MessageBytes {
    /// Rebuilds the value from stored parts (e.g. an object from the
    /// evidence store, for an explicit retry).
    ///
    /// # Errors
    /// [`Error::NotDeliverable`] when the bytes are empty or do not end with
    /// CRLF, or the envelope has no recipient.
    pub fn from_parts(bytes: Vec<u8>, envelope: Envelope, message_id: MessageId) -> Result<MessageBytes, Error> {
        if !bytes.ends_with(b"\r\n") {
            return Err(Error::NotDeliverable(crate::t!("mail.build.no-final-crlf")));
        }
        if envelope.to.is_empty() {
            return Err(Error::NotDeliverable(crate::t!("mail.build.no-envelope-recipient")));
        }
        Ok(MessageBytes { bytes, envelope, message_id })
    }

    /// The exact message bytes (headers, blank line, body; CRLF line ends).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// MAIL FROM and RCPT TO.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The Message-ID.
    pub fn message_id(&self) -> &MessageId {
        &self.message_id
    }

    /// The bytes, consuming the value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The transfer encoding of an attachment. Base64, except for a message
/// (`message/rfc822`): RFC 2046 §5.2.1 allows it only 7bit or 8bit, so it
/// goes as it is when its bytes already are valid mail lines (CRLF only, no
/// NUL, at most 998 bytes each), which keeps it byte for byte the stored
/// object. One that is not (bare line ends, an odd reply) stays base64,
/// which every mail reader still opens; converting it would change the
/// bytes whose digest the complaint lists.
fn attachment_encoding(content_type: &str, bytes: &[u8]) -> ContentTransferEncoding {
    if !content_type.to_ascii_lowercase().starts_with("message/") {
        return ContentTransferEncoding::Base64;
    }
    let mut lines = bytes.split(|&b| b == b'\n').peekable();
    let mut ascii = true;
    while let Some(line) = lines.next() {
        let last = lines.peek().is_none();
        let content = match (last, line.strip_suffix(b"\r")) {
            (true, _) if line.is_empty() => break,
            (false, Some(c)) => c,
            // A bare LF, or a last line without an end.
            _ => return ContentTransferEncoding::Base64,
        };
        if content.len() > 998 || content.iter().any(|&b| b == 0 || b == b'\r') {
            return ContentTransferEncoding::Base64;
        }
        ascii &= content.is_ascii();
    }
    if ascii { ContentTransferEncoding::SevenBit } else { ContentTransferEncoding::EightBit }
}

/// Builds the message, DKIM-signed when a signer is given.
///
/// # Errors
/// [`Error::HeaderInjection`] first, for any control character in a value
/// that reaches a header; then [`Error::InvalidValue`] (content type,
/// boundary) or [`Error::NoRecipient`].
pub fn build(spec: &MessageSpec, dkim: Option<&Signer>) -> Result<MessageBytes, Error> {
    check_injection(spec)?;
    if spec.to.is_empty() {
        return Err(Error::NoRecipient);
    }
    let from = Mailbox::new(non_empty(Some(&spec.from.0)), spec.from.1.to_lettre());
    let boundary = match &spec.boundary {
        Some(b) => {
            check_boundary(b)?;
            b.clone()
        }
        None => derived_boundary(spec.message_id.as_str()),
    };

    let mut builder = lettre::Message::builder()
        .date(SystemTime::from(spec.date))
        .from(from)
        .subject(spec.subject.clone())
        .message_id(Some(spec.message_id.bracketed()));
    let mut rcpts: Vec<EmailAddress> = Vec::new();
    for (name, addr) in &spec.to {
        builder = builder.to(Mailbox::new(non_empty(name.as_ref()), addr.to_lettre()));
        push_unique(&mut rcpts, addr);
    }
    for (name, addr) in &spec.cc {
        builder = builder.cc(Mailbox::new(non_empty(name.as_ref()), addr.to_lettre()));
        push_unique(&mut rcpts, addr);
    }
    if let Some((name, addr)) = &spec.reply_to {
        builder = builder.reply_to(Mailbox::new(non_empty(name.as_ref()), addr.to_lettre()));
    }
    if let Some(id) = &spec.in_reply_to {
        builder = builder.in_reply_to(id.bracketed());
    }
    if !spec.references.is_empty() {
        let refs: Vec<String> = spec.references.iter().map(MessageId::bracketed).collect();
        builder = builder.references(refs.join(" "));
    }
    if let Some(addr) = &spec.disposition_notification_to {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Disposition-Notification-To"),
            format!("<{addr}>"),
        ));
    }
    if let Some(note) = &spec.checkpoint {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str(crate::evidence::witness::HEADER),
            crate::evidence::witness::header_value(note),
        ));
    }
    let envelope = lettre::address::Envelope::new(
        Some(spec.from.1.to_lettre()),
        rcpts.iter().map(EmailAddress::to_lettre).collect(),
    )
    .map_err(|e| Error::Assemble(e.to_string()))?;
    builder = builder.envelope(envelope);

    let mut parts = MultiPart::mixed()
        .boundary(boundary)
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(spec.body.clone()));
    for (i, att) in spec.attachments.iter().enumerate() {
        let ct = ContentType::parse(&att.content_type).map_err(|_| Error::InvalidValue {
            field: format!("attachments[{i}].content_type"),
            message: crate::t!("mail.build.not-a-mime-type", value = att.content_type),
        })?;
        let body = match attachment_encoding(&att.content_type, &att.bytes) {
            // Checked to be valid mail lines (lettre's own check would
            // refuse any line over 76 bytes, which RFC 5322 allows).
            ContentTransferEncoding::Base64 => {
                Body::new_with_encoding(att.bytes.clone(), ContentTransferEncoding::Base64)
                    .map_err(|_| Error::Assemble(crate::t!("mail.build.base64-refused")))?
            }
            as_is => Body::dangerous_pre_encoded(att.bytes.clone(), as_is),
        };
        parts = parts.singlepart(LettreAttachment::new(att.filename.clone()).body(body, ct));
    }
    let mut message = builder.multipart(parts).map_err(|e| Error::Assemble(e.to_string()))?;
    if let Some(signer) = dkim {
        signer.sign(&mut message);
    }
    let bytes = message.formatted();
    MessageBytes::from_parts(bytes, Envelope { from: spec.from.1.clone(), to: rcpts }, spec.message_id.clone())
}

/// A new Message-ID `<random>@<domain>`: 32 lowercase hex digits from 16
/// random bytes, so the id carries no personal data. `domain` is the
/// sender address's ([`EmailAddress::domain`]).
///
/// # Errors
/// [`Error::InvalidValue`] when `domain` is not a plain domain name.
pub fn generate_message_id(domain: &str, random: &[u8; 16]) -> Result<MessageId, Error> {
    check_header_value("message_id domain", domain)?;
    let local: String = random.iter().map(|b| format!("{b:02x}")).collect();
    MessageId::parse(&format!("{local}@{domain}"))
        .map_err(|e| Error::InvalidValue { field: "message_id domain".into(), message: e.to_string() })
}

/// 16 bytes from the operating system's random source, for
/// [`generate_message_id`].
///
/// # Errors
/// [`Error::Random`] when the OS has no randomness to give.
pub fn random_id_bytes() -> Result<[u8; 16], Error> {
    let mut buf = [0u8; 16];
    getrandom::fill(&mut buf).map_err(|e| Error::Random(e.to_string()))?;
    Ok(buf)
}

fn check_injection(spec: &MessageSpec) -> Result<(), Error> {
    let mut fields: Vec<(String, &str)> = vec![("from.name".into(), &spec.from.0), ("subject".into(), &spec.subject)];
    for (list, name) in [(&spec.to, "to"), (&spec.cc, "cc")] {
        for (i, (n, _)) in list.iter().enumerate() {
            if let Some(n) = n {
                fields.push((format!("{name}[{i}].name"), n));
            }
        }
    }
    if let Some((Some(n), _)) = &spec.reply_to {
        fields.push(("reply_to.name".into(), n));
    }
    for (i, att) in spec.attachments.iter().enumerate() {
        fields.push((format!("attachments[{i}].filename"), &att.filename));
        fields.push((format!("attachments[{i}].content_type"), &att.content_type));
    }
    if let Some(b) = &spec.boundary {
        fields.push(("boundary".into(), b));
    }
    for (field, value) in fields {
        check_header_value(&field, value)?;
    }
    Ok(())
}

fn non_empty(name: Option<&String>) -> Option<String> {
    name.filter(|n| !n.trim().is_empty()).cloned()
}

fn push_unique(list: &mut Vec<EmailAddress>, a: &EmailAddress) {
    if !list.iter().any(|x| x.as_str().eq_ignore_ascii_case(a.as_str())) {
        list.push(a.clone());
    }
}

fn check_boundary(b: &str) -> Result<(), Error> {
    // RFC 2046 §5.1.1 bchars, without the space (lettre does not quote it).
    let ok = (1..=70).contains(&b.len()) && b.chars().all(|c| c.is_ascii_alphanumeric() || "'()+_,-./:=?".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidValue { field: "boundary".into(), message: crate::t!("mail.build.bad-boundary") })
    }
}

/// `dsr-` and 32 hex digits of SHA-256(message id): unique per message,
/// reproducible, and never a line of a text body in practice.
fn derived_boundary(message_id: &str) -> String {
    let digest = Sha256::digest(format!("dsr-mime-boundary\0{message_id}").as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("dsr-{hex}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn spec() -> MessageSpec {
        let a = |s: &str| s.parse::<EmailAddress>().unwrap();
        let id = |s: &str| s.parse::<MessageId>().unwrap();
        MessageSpec {
            from: ("Dr. Anna Beispiel".into(), a("datenschutz@beispiel-handel.example")),
            to: vec![(Some("Datenschutz Müller & Söhne GmbH".into()), a("privacy@mueller-soehne.example"))],
            cc: vec![(None, a("archiv@beispiel-handel.example"))],
            reply_to: Some((None, a("antwort@beispiel-handel.example"))),
            subject: "Löschersuchen gemäß Art. 17 DSGVO – Jürgen Müller".into(),
            body: "Sehr geehrte Damen und Herren,\n\nbitte löschen Sie meine Daten.\n\nMit freundlichen Grüßen\n"
                .into(),
            attachments: vec![Attachment {
                filename: "Vollmacht_Müller.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.4 not really a pdf\n".to_vec(),
            }],
            message_id: id("5f1c0e3a9b7d4c2e8a6f0b1d3c5e7a9b@beispiel-handel.example"),
            date: Utc.with_ymd_and_hms(2026, 3, 2, 10, 15, 0).unwrap(),
            in_reply_to: Some(id("abc123@mueller-soehne.example")),
            references: vec![id("first@mueller-soehne.example"), id("abc123@mueller-soehne.example")],
            disposition_notification_to: Some(a("datenschutz@beispiel-handel.example")),
            boundary: Some("dsr-golden-boundary".into()),
            checkpoint: None,
        }
    }

    #[test]
    fn the_checkpoint_header_is_folded_between_chunks_and_reads_back_exactly() {
        use crate::evidence::note::{Checkpoint, Signer};
        let signer = Signer::from_seed("dsr", [3; 32]).unwrap();
        let root = crate::evidence::Sha256::digest(b"root");
        let note = signer.sign(&Checkpoint { origin: "beispiel-handel.example/dsr".into(), size: 41, root }.body());
        let bytes = build(&MessageSpec { checkpoint: Some(note.clone()), ..spec() }, None).unwrap().into_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let head = text.split("\r\n\r\n").next().unwrap();
        assert!(head.contains("\r\nDSR-Checkpoint: "), "{head}");
        let field = head.split("\r\nDSR-Checkpoint: ").nth(1).unwrap().split("\r\nMIME-Version").next().unwrap();
        assert!(field.split("\r\n").count() > 1 && field.split("\r\n").all(|l| l.len() < 78), "folded: {head}");
        let w = crate::evidence::witness::extract(&bytes).unwrap().unwrap();
        assert_eq!(w.checkpoint.note, note);
        assert_eq!(w.date.as_deref(), Some("Mon, 02 Mar 2026 10:15:00 +0000"));
    }

    #[test]
    fn bytes_match_the_golden_file() {
        let bytes = build(&spec(), None).unwrap().into_bytes();
        crate::snapshot::assert_golden("mail/message.eml", bytes);
    }

    #[test]
    fn build_is_deterministic_ascii_crlf() {
        let mut s = spec();
        s.boundary = None;
        let a = build(&s, None).unwrap();
        let b = build(&s, None).unwrap();
        assert_eq!(a, b);
        let bytes = a.bytes();
        assert!(bytes.is_ascii());
        assert!(bytes.ends_with(b"\r\n"));
        assert!(bytes.iter().enumerate().all(|(i, &b)| b != b'\n' || (i > 0 && bytes[i - 1] == b'\r')));
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains("boundary=\"dsr-"), "{text}");
        assert!(text.contains("Message-ID: <5f1c0e3a9b7d4c2e8a6f0b1d3c5e7a9b@beispiel-handel.example>\r\n"));
        assert!(text.contains("Disposition-Notification-To: <datenschutz@beispiel-handel.example>\r\n"));
        assert!(text.contains("Content-Type: text/plain; charset=utf-8\r\n"));
    }

    #[test]
    fn envelope_has_to_and_cc_once() {
        let mut s = spec();
        s.cc.push((None, "PRIVACY@mueller-soehne.example".parse().unwrap()));
        let m = build(&s, None).unwrap();
        let to: Vec<String> = m.envelope().to.iter().map(ToString::to_string).collect();
        assert_eq!(to, ["privacy@mueller-soehne.example", "archiv@beispiel-handel.example"]);
        assert_eq!(m.envelope().from.to_string(), "datenschutz@beispiel-handel.example");
        assert_eq!(m.message_id(), &s.message_id);
    }

    /// Addresses and ids are typed and cannot hold a control character
    /// (`address`, `message_id` tests); every other header value is checked.
    #[test]
    fn control_characters_in_header_values_are_refused_first() {
        type Poke = fn(&mut MessageSpec);
        let cases: [(Poke, &str); 7] = [
            (|s| s.subject.push_str("\r\nBcc: evil@example.net"), "subject"),
            (|s| s.from.0.push('\n'), "from.name"),
            (|s| s.to[0].0 = Some("A\rB".into()), "to[0].name"),
            (|s| s.reply_to = Some((Some("A\nB".into()), s.from.1.clone())), "reply_to.name"),
            (|s| s.attachments[0].filename = "a\r\nContent-Type: text/html.pdf".into(), "attachments[0].filename"),
            (|s| s.attachments[0].content_type = "text/plain\r\nX: y".into(), "attachments[0].content_type"),
            (|s| s.subject.push('\u{1b}'), "subject"),
        ];
        for (poke, field) in cases {
            let mut s = spec();
            // Also make something else invalid: injection must be reported first.
            s.boundary = Some("a b".into());
            poke(&mut s);
            let e = build(&s, None).unwrap_err();
            assert!(matches!(&e, Error::HeaderInjection { field: f, .. } if f == field), "{field}: {e}");
            assert!(e.to_string().starts_with(&format!("{field}: contains a control character")), "{e}");
        }
        let mut s = spec();
        s.subject = "Hallo\r\nBcc: evil@example.net".into();
        assert_eq!(
            build(&s, None).unwrap_err().to_string(),
            "subject: contains a control character (line break or tab): 'Hallo\\r\\nBcc: evil@example.net'"
        );
    }

    #[test]
    fn bad_values_are_named() {
        let mut s = spec();
        s.attachments[0].content_type = "pdf".into();
        assert_eq!(
            build(&s, None).unwrap_err().to_string(),
            "attachments[0].content_type: 'pdf' is not a MIME type like application/pdf"
        );
        let mut s = spec();
        s.to.clear();
        assert_eq!(build(&s, None).unwrap_err().to_string(), "to: the message has no recipient");
        let mut s = spec();
        s.boundary = Some("a b".into());
        assert!(build(&s, None).unwrap_err().to_string().starts_with("boundary: "));
    }

    #[test]
    fn message_ids_are_random_hex_at_domain() {
        let id = generate_message_id("beispiel-handel.example", &[0xab; 16]).unwrap();
        assert_eq!(id.as_str(), format!("{}@beispiel-handel.example", "ab".repeat(16)));
        let a = random_id_bytes().unwrap();
        let b = random_id_bytes().unwrap();
        assert_ne!(a, b);
        assert_eq!(
            generate_message_id("bad domain", &[0xab; 16]).unwrap_err().to_string(),
            format!(
                "message_id domain: '{}@bad domain' is not an id like 1a2b3c@example.org (no angle brackets)",
                "ab".repeat(16)
            )
        );
        assert!(generate_message_id("x\r\ny", &a).is_err());
    }

    #[test]
    fn from_parts_checks_the_invariant() {
        let m = build(&spec(), None).unwrap();
        let env = m.envelope().clone();
        assert!(
            MessageBytes::from_parts(b"Subject: x\r\n\r\nno final crlf".to_vec(), env.clone(), m.message_id().clone())
                .is_err()
        );
        let again = MessageBytes::from_parts(m.bytes().to_vec(), env, m.message_id().clone()).unwrap();
        assert_eq!(again, m);
    }
}
