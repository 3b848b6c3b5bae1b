//! The case vocabulary: which events a request's life writes into the
//! evidence log, and what each carries in `data`.
//!
//! The evidence log does not know what an event means (it is not the
//! "personality"); this module does. `ops` writes these payloads, and
//! [`super::state`] folds them back into a case. Names are frozen once
//! shipped (they are a file format, listed in docs/evidence-log.md).
//!
//! No personal data of natural persons appears in a payload: addresses
//! here are the company's (a legal person) and the sender's organisational
//! ones; anything else (the letter, the message, server replies that may
//! echo an address) lives in objects named by hash.

use crate::deadline::CalendarCode;
use crate::evidence::ObjectRef;
use crate::kind::LetterKind;
use crate::lang::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A message was built and every artifact stored; it is about to be sent
/// (or written to the outbox). Written before the SMTP dialogue.
pub const PREPARED: &str = "prepared";
/// The server accepted the message (final 2xx reply).
pub const SENT: &str = "sent";
/// An attempt failed; `final` says whether dsr gave up.
pub const SEND_FAILED: &str = "send_failed";
/// The message went to the outbox: nothing was sent.
pub const OUTBOXED: &str = "outboxed";
/// The user confirmed re-sending the stored message (`send --retry`).
pub const RETRY_CONFIRMED: &str = "retry_confirmed";
/// A reply from the company was recorded (`dsr reply`).
pub const REPLY_RECEIVED: &str = "reply_received";
/// The user closed the case.
pub const CLOSED: &str = "closed";

/// Object roles used in `data.objects`.
pub mod role {
    /// The exact message bytes handed to SMTP or written to the outbox.
    pub const MESSAGE: &str = "message";
    /// The SMTP envelope (MAIL FROM, RCPT TO) as JSON.
    pub const ENVELOPE: &str = "envelope";
    /// The letter: subject line, blank line, body.
    pub const LETTER: &str = "letter";
    /// The data the letter was rendered from (JSON), for follow-ups.
    pub const CONTEXT: &str = "context";
    /// The identity record, text.
    pub const IDENTITY_TXT: &str = "identity-txt";
    /// The identity record, JSON.
    pub const IDENTITY_JSON: &str = "identity-json";
    /// The representative's mandate.
    pub const MANDATE: &str = "mandate";
    /// A verification evidence file.
    pub const EVIDENCE: &str = "evidence";
    /// A user attachment.
    pub const ATTACHMENT: &str = "attachment";
    /// The full text of an SMTP failure (may echo addresses).
    pub const SMTP_ERROR: &str = "smtp-error";
    /// A reply received from the company.
    pub const REPLY: &str = "reply";
    /// The user's note on a reply.
    pub const NOTE: &str = "note";
}

/// Where a prepared message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// To the configured SMTP server.
    Smtp,
    /// To the outbox (no SMTP configured).
    Outbox,
}

/// `prepared`: everything about the message except its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prepared {
    /// The letter kind.
    pub kind: LetterKind,
    /// The policy id.
    pub policy: String,
    /// The company's legal name (or the authority's, for a complaint).
    pub company: String,
    /// The letter language.
    pub lang: Lang,
    /// The calendar deadlines are counted in.
    pub calendar: CalendarCode,
    /// To addresses.
    pub to: Vec<String>,
    /// Cc addresses.
    pub cc: Vec<String>,
    /// The Message-ID, without angle brackets.
    pub message_id: String,
    /// The deadline the letter states (counted as if received on the day
    /// of sending); the case's legal deadline is counted from `sent`.
    pub stated_deadline: Option<NaiveDate>,
    /// The processor-deletion confirmation date the letter sets.
    pub confirm_by: Option<NaiveDate>,
    /// Precondition ids the user confirmed.
    pub confirmed: Vec<String>,
    /// For reminders and complaints: the Message-ID this one follows up.
    pub in_reply_to: Option<String>,
    /// For complaints: the supervisory authority's id.
    pub authority: Option<String>,
    /// SMTP or outbox.
    pub route: Route,
    /// The stored artifacts.
    pub objects: Vec<ObjectRef>,
    /// For a request sent from a batch file (`send --batch`): the row's
    /// stable key (a hex digest, never the row's content), so running the
    /// same batch again finds the rows already sent. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_key: Option<String>,
}

/// `sent`: the server's final reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    /// The Message-ID.
    pub message_id: String,
    /// Which attempt succeeded (from 1).
    pub attempt: u32,
    /// `host:port`.
    pub server: String,
    /// Whether the session was encrypted.
    pub tls: bool,
    /// The final reply code (e.g. 250).
    pub code: u16,
    /// The final reply text (e.g. `2.0.0 Ok: queued as 4F2A`).
    pub reply: String,
    /// The accepted recipients.
    pub recipients: Vec<String>,
}

/// `send_failed`: one failed attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendFailed {
    /// The Message-ID.
    pub message_id: String,
    /// The attempt (from 1).
    pub attempt: u32,
    /// `transient`, `permanent`, `connection`, `tls`, `auth`, `unknown`
    /// (delivery unknown: the connection broke after the whole message was
    /// sent) or `unsupported`.
    pub class: String,
    /// The SMTP stage (`connect`, `starttls`, `auth`, `mail_from`,
    /// `rcpt_to`, `data`, `message`).
    pub stage: String,
    /// The reply code, if the server answered.
    pub code: Option<u16>,
    /// True when dsr gave up (no retry follows).
    #[serde(rename = "final")]
    pub is_final: bool,
    /// The full error text, as an object (`smtp-error`).
    pub objects: Vec<ObjectRef>,
}

/// `outboxed`: written to the outbox; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outboxed {
    /// The Message-ID.
    pub message_id: String,
    /// The file, relative to the data directory.
    pub file: String,
}

/// `retry_confirmed`: the user asked to re-send the stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryConfirmed {
    /// The Message-ID being re-sent (unchanged).
    pub message_id: String,
    /// The state the message was in (`delivery-unknown`, `send-failed`, `outboxed`: the names `dsr status` shows).
    pub from_state: String,
}

/// What a reply from the company says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The company confirmed receipt.
    Acknowledged,
    /// The company extended the period (Art. 12(3) second sentence).
    Extended,
    /// The company asks for (more) identification.
    NeedsIdentity,
    /// The company confirmed the erasure / deletion.
    Confirmed,
    /// The company refused.
    Refused,
}

impl Outcome {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Acknowledged => "acknowledged",
            Outcome::Extended => "extended",
            Outcome::NeedsIdentity => "needs-identity",
            Outcome::Confirmed => "confirmed",
            Outcome::Refused => "refused",
        }
    }
}

/// `reply_received`: a reply, stored as an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyReceived {
    /// What it says.
    pub outcome: Outcome,
    /// Its Message-ID, if it has one.
    pub message_id: Option<String>,
    /// Its Date header.
    pub date: Option<DateTime<Utc>>,
    /// For `extended`: the extended deadline (three months from receipt).
    pub extended_to: Option<NaiveDate>,
    /// The reply (`reply`) and the user's note (`note`).
    pub objects: Vec<ObjectRef>,
}

/// `closed`: the user closed the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closed {
    /// The user's note, as an object (`note`), if any.
    pub objects: Vec<ObjectRef>,
}
