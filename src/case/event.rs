//! The case vocabulary: every event a request's life writes into the
//! evidence log, with its payload, its name and how it is encoded.
//!
//! The evidence log does not know what an event means (it is not the
//! "personality", as tessera puts it); this module does. [`Event`] has one
//! variant per event, each with its payload type; [`Name`] is the frozen
//! snake_case name written in the line's `event` member (a file format,
//! listed in docs/evidence-log.md). Writers build an [`Event`] and turn it
//! into a log line with [`Event::into_new`]; readers turn an entry back into
//! one with [`Event::decode`]. No other module spells an event name, and
//! every `match` over events is exhaustive, so a new event cannot be
//! forgotten by the fold or by `dsr show`.
//!
//! The log's own events — the header `log_created`, `repaired` and
//! `purged` — belong to the log format and are named in
//! [`crate::evidence`] (a leaf, which cannot import this module); the fold
//! recognises them through [`LogEvent`].
//!
//! Enumerated fields are enums serialized to the strings dsr has always
//! written ([`Route`], [`FailureClass`], [`Stage`], [`RetryFrom`]); ids and
//! addresses are newtypes that read and write as the plain string
//! ([`PolicyId`], [`MessageId`], [`EmailAddress`]); and a
//! payload encodes to `data` through `serde_json::Value` (members sorted by
//! name), so the bytes of a line are those earlier versions wrote
//! (`golden_tests.rs` holds a log written before this module was typed).
//!
//! No personal data of natural persons appears in a payload: addresses
//! here are the company's (a legal person) and the sender's organisational
//! ones; anything else (the letter, the message, server replies that may
//! echo an address) lives in objects named by hash.

use crate::address::EmailAddress;
use crate::channel::Channel;
use crate::deadline::CalendarCode;
use crate::evidence::{Entry, EntryRef, NewEvent, ObjectRef, RequestId};
use crate::kind::LetterKind;
use crate::lang::Lang;
use crate::mail::{MessageId, SendErrorKind, smtp};
use crate::policy::PolicyId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One event of a case, with its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A message was built and every artifact stored; it is about to be
    /// sent (or written to the outbox). Written before the SMTP dialogue.
    Prepared(Prepared),
    /// The server accepted the message (final 2xx reply).
    Sent(Sent),
    /// An attempt failed; `final` says whether dsr gave up.
    SendFailed(SendFailed),
    /// The message went to the outbox: nothing was sent.
    Outboxed(Outboxed),
    /// The user confirmed re-sending the stored message (`send --retry`).
    RetryConfirmed(RetryConfirmed),
    /// A reply from the company was recorded (`dsr reply`).
    ReplyReceived(ReplyReceived),
    /// The user closed the case.
    Closed(Closed),
    /// The user sent a message dsr did not send itself (from their own
    /// mail client, by post, through a web form) and recorded it
    /// (`dsr dispatched`).
    Dispatched(Dispatched),
    /// The day the company received a dispatched message was recorded
    /// (from a Rückschein or the carrier's tracking).
    ReceiptRecorded(ReceiptRecorded),
    /// A delivery status notification says the message was delivered
    /// (or relayed) to the company's server.
    Delivered(DeliveryReported),
    /// A delivery status notification says delivery is delayed.
    Delayed(DeliveryReported),
    /// A delivery status notification says delivery failed for good.
    Bounced(DeliveryReported),
    /// A read receipt (message disposition notification) arrived.
    Read(Read),
    /// A message was fetched from the mailbox (`dsr mail sync`) and
    /// stored; the line names its case when it matched one.
    MessageReceived(MessageReceived),
    /// `dsr mail sync` looked at a folder up to a UID: the messages up to
    /// it are not fetched again, also those it recorded nothing for (a
    /// copy of a message already stored, a copy of dsr's own). A line of
    /// no case.
    MailSynced(MailSynced),
}

/// The name of a case event, as written in a log line's `event` member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Name {
    /// `prepared`
    Prepared,
    /// `sent`
    Sent,
    /// `send_failed`
    SendFailed,
    /// `outboxed`
    Outboxed,
    /// `retry_confirmed`
    RetryConfirmed,
    /// `reply_received`
    ReplyReceived,
    /// `closed`
    Closed,
    /// `dispatched`
    Dispatched,
    /// `receipt_recorded`
    ReceiptRecorded,
    /// `delivered`
    Delivered,
    /// `delayed`
    Delayed,
    /// `bounced`
    Bounced,
    /// `read`
    Read,
    /// `message_received`
    MessageReceived,
    /// `mail_synced`
    MailSynced,
}

impl Name {
    /// Every case event name.
    pub const ALL: [Name; 15] = [
        Name::Prepared,
        Name::Sent,
        Name::SendFailed,
        Name::Outboxed,
        Name::RetryConfirmed,
        Name::ReplyReceived,
        Name::Closed,
        Name::Dispatched,
        Name::ReceiptRecorded,
        Name::Delivered,
        Name::Delayed,
        Name::Bounced,
        Name::Read,
        Name::MessageReceived,
        Name::MailSynced,
    ];

    /// The name as written in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Name::Prepared => "prepared",
            Name::Sent => "sent",
            Name::SendFailed => "send_failed",
            Name::Outboxed => "outboxed",
            Name::RetryConfirmed => "retry_confirmed",
            Name::ReplyReceived => "reply_received",
            Name::Closed => "closed",
            Name::Dispatched => "dispatched",
            Name::ReceiptRecorded => "receipt_recorded",
            Name::Delivered => "delivered",
            Name::Delayed => "delayed",
            Name::Bounced => "bounced",
            Name::Read => "read",
            Name::MessageReceived => "message_received",
            Name::MailSynced => "mail_synced",
        }
    }

    /// The case event called `name`, if it is one.
    pub fn parse(name: &str) -> Option<Name> {
        Name::ALL.into_iter().find(|n| n.as_str() == name)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The log's own events (written by [`crate::evidence`], not by a case
/// workflow), which a reader of cases must recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogEvent {
    /// The header line (`log_created`).
    Created,
    /// A torn last line was set aside (`repaired`).
    Repaired,
    /// A request's objects were deleted (`purged`).
    Purged,
    /// A format-1 log became format 2 (`upgraded`).
    Upgraded,
    /// A signed checkpoint of the lines before it (`checkpoint`).
    Checkpoint,
    /// A TSA's token over a checkpoint (`timestamped`).
    Timestamped,
    /// A TSA gave no usable token (`timestamp_failed`).
    TimestampFailed,
}

impl LogEvent {
    /// The log event called `name`, if it is one.
    pub fn parse(name: &str) -> Option<LogEvent> {
        use crate::evidence::{CHECKPOINT_EVENT, HEADER_EVENT, PURGED_EVENT, REPAIRED_EVENT, UPGRADED_EVENT};
        match name {
            HEADER_EVENT => Some(LogEvent::Created),
            REPAIRED_EVENT => Some(LogEvent::Repaired),
            PURGED_EVENT => Some(LogEvent::Purged),
            UPGRADED_EVENT => Some(LogEvent::Upgraded),
            CHECKPOINT_EVENT => Some(LogEvent::Checkpoint),
            crate::evidence::tsp::TIMESTAMPED_EVENT => Some(LogEvent::Timestamped),
            crate::evidence::tsp::TIMESTAMP_FAILED_EVENT => Some(LogEvent::TimestampFailed),
            _ => None,
        }
    }
}

/// An event's data did not have the shape its name promises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("case.log.bad-event", seq = seq, event = name, message = message))]
pub struct DecodeError {
    /// The line's seq.
    pub seq: u64,
    /// The event.
    pub name: Name,
    /// What is wrong (serde's message, without a position).
    pub message: String,
}

impl Event {
    /// The event's name.
    pub fn name(&self) -> Name {
        match self {
            Event::Prepared(_) => Name::Prepared,
            Event::Sent(_) => Name::Sent,
            Event::SendFailed(_) => Name::SendFailed,
            Event::Outboxed(_) => Name::Outboxed,
            Event::RetryConfirmed(_) => Name::RetryConfirmed,
            Event::ReplyReceived(_) => Name::ReplyReceived,
            Event::Closed(_) => Name::Closed,
            Event::Dispatched(_) => Name::Dispatched,
            Event::ReceiptRecorded(_) => Name::ReceiptRecorded,
            Event::Delivered(_) => Name::Delivered,
            Event::Delayed(_) => Name::Delayed,
            Event::Bounced(_) => Name::Bounced,
            Event::Read(_) => Name::Read,
            Event::MessageReceived(_) => Name::MessageReceived,
            Event::MailSynced(_) => Name::MailSynced,
        }
    }

    /// The event's `data` member: its payload as a JSON object (members
    /// sorted by name, as every dsr has written them).
    pub fn to_data(&self) -> serde_json::Value {
        fn value<T: Serialize>(payload: &T) -> serde_json::Value {
            // Payloads are plain structs of strings, numbers, dates and
            // vectors: there is no map with non-string keys and no
            // serializer that can refuse them.
            serde_json::to_value(payload).expect("event payloads always serialize to JSON")
        }
        match self {
            Event::Prepared(p) => value(p),
            Event::Sent(p) => value(p),
            Event::SendFailed(p) => value(p),
            Event::Outboxed(p) => value(p),
            Event::RetryConfirmed(p) => value(p),
            Event::ReplyReceived(p) => value(p),
            Event::Closed(p) => value(p),
            Event::Dispatched(p) => value(p),
            Event::ReceiptRecorded(p) => value(p),
            Event::Delivered(p) | Event::Delayed(p) | Event::Bounced(p) => value(p),
            Event::Read(p) => value(p),
            Event::MessageReceived(p) => value(p),
            Event::MailSynced(p) => value(p),
        }
    }

    /// The log line for an event of no case (a received message that
    /// matched none), stamped `time`.
    pub fn into_unassigned(self, time: DateTime<Utc>) -> NewEvent {
        NewEvent::new(time, self.name().as_str(), None, self.to_data())
    }

    /// The log line to append for this event of `request`, stamped `time`.
    pub fn into_new(self, time: DateTime<Utc>, request: RequestId) -> NewEvent {
        NewEvent::new(time, self.name().as_str(), Some(request), self.to_data())
    }

    /// The case event of a log entry: `Ok(None)` for the log's own events
    /// and for names this dsr does not know (a newer dsr's), which readers
    /// keep in a case's timeline but otherwise pass over.
    ///
    /// # Errors
    /// The entry has a case event's name but not its payload's shape.
    pub fn decode(entry: &EntryRef<'_>) -> Result<Option<Event>, DecodeError> {
        decode(entry.seq, &entry.event, entry)
    }

    /// [`Event::decode`] for an owned [`Entry`] (its data already parsed).
    ///
    /// # Errors
    /// As [`Event::decode`].
    pub fn decode_entry(entry: &Entry) -> Result<Option<Event>, DecodeError> {
        decode(entry.seq, &entry.event, entry)
    }

    /// The Message-ID a delivery event is about (`None` for replies and
    /// closing, which are about the case).
    pub fn message_id(&self) -> Option<&MessageId> {
        match self {
            Event::Prepared(p) => Some(&p.message_id),
            Event::Sent(p) => Some(&p.message_id),
            Event::SendFailed(p) => Some(&p.message_id),
            Event::Outboxed(p) => Some(&p.message_id),
            Event::RetryConfirmed(p) => Some(&p.message_id),
            Event::Dispatched(p) => Some(&p.message_id),
            Event::ReceiptRecorded(p) => Some(&p.message_id),
            Event::Delivered(p) | Event::Delayed(p) | Event::Bounced(p) => Some(&p.message_id),
            Event::Read(p) => Some(&p.message_id),
            Event::ReplyReceived(_) | Event::Closed(_) | Event::MessageReceived(_) | Event::MailSynced(_) => None,
        }
    }
}

/// A log entry whose `data` can be read as a payload type.
trait Data {
    fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, String>;
}

impl Data for EntryRef<'_> {
    fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        self.data()
    }
}

impl Data for Entry {
    fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        T::deserialize(&self.data).map_err(|e| e.to_string())
    }
}

fn decode(seq: u64, event: &str, data: &impl Data) -> Result<Option<Event>, DecodeError> {
    let Some(name) = Name::parse(event) else { return Ok(None) };
    fn get<T: serde::de::DeserializeOwned>(data: &impl Data, seq: u64, name: Name) -> Result<T, DecodeError> {
        data.payload().map_err(|message| DecodeError { seq, name, message })
    }
    Ok(Some(match name {
        Name::Prepared => Event::Prepared(get(data, seq, name)?),
        Name::Sent => Event::Sent(get(data, seq, name)?),
        Name::SendFailed => Event::SendFailed(get(data, seq, name)?),
        Name::Outboxed => Event::Outboxed(get(data, seq, name)?),
        Name::RetryConfirmed => Event::RetryConfirmed(get(data, seq, name)?),
        Name::ReplyReceived => Event::ReplyReceived(get(data, seq, name)?),
        Name::Closed => Event::Closed(get(data, seq, name)?),
        Name::Dispatched => Event::Dispatched(get(data, seq, name)?),
        Name::ReceiptRecorded => Event::ReceiptRecorded(get(data, seq, name)?),
        Name::Delivered => Event::Delivered(get(data, seq, name)?),
        Name::Delayed => Event::Delayed(get(data, seq, name)?),
        Name::Bounced => Event::Bounced(get(data, seq, name)?),
        Name::Read => Event::Read(get(data, seq, name)?),
        Name::MessageReceived => Event::MessageReceived(get(data, seq, name)?),
        Name::MailSynced => Event::MailSynced(get(data, seq, name)?),
    }))
}

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
    /// The server's final reply to an accepted message (may echo addresses).
    pub const SMTP_REPLY: &str = "smtp-reply";
    /// A reply received from the company.
    pub const REPLY: &str = "reply";
    /// The user's note on a reply.
    pub const NOTE: &str = "note";
    /// A letter for post as a PDF (what the post route writes out).
    pub const PDF: &str = "pdf";
    /// The user's copy of a message they sent themselves (from the Sent
    /// folder), byte for byte.
    pub const SENT_COPY: &str = "sent-copy";
    /// How a sent copy compares with the outboxed message (JSON).
    pub const COMPARISON: &str = "comparison";
    /// What a web form showed or sent back on submission (a screenshot,
    /// a saved page, the confirmation email).
    pub const CONFIRMATION: &str = "confirmation";
    /// Proof of receipt: a Rückschein, a carrier's delivery record.
    pub const RECEIPT: &str = "receipt";
    /// A delivery status notification or read receipt, byte for byte.
    pub const REPORT: &str = "report";
}

/// How a prepared message leaves: one variant per delivery route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// To the configured SMTP server.
    Smtp,
    /// To the outbox (no SMTP configured).
    Outbox,
    /// A PDF letter written out for the user to post.
    Post,
    /// The letter text written out for the user to paste into a web form.
    Webform,
}

impl Route {
    /// The name as logged (`smtp`, `outbox`).
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Smtp => "smtp",
            Route::Outbox => "outbox",
            Route::Post => "post",
            Route::Webform => "webform",
        }
    }

    /// The channel a message on this route reaches the company by.
    pub fn channel(self) -> Channel {
        match self {
            Route::Smtp | Route::Outbox => Channel::Email,
            Route::Post => Channel::Post,
            Route::Webform => Channel::Webform,
        }
    }
}

/// `prepared`: everything about the message except its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prepared {
    /// The letter kind.
    pub kind: LetterKind,
    /// The policy id.
    pub policy: PolicyId,
    /// The company's legal name (or the authority's, for a complaint).
    pub company: String,
    /// The letter language.
    pub lang: Lang,
    /// The calendar deadlines are counted in.
    pub calendar: CalendarCode,
    /// To addresses.
    pub to: Vec<EmailAddress>,
    /// Cc addresses.
    pub cc: Vec<EmailAddress>,
    /// The Message-ID, without angle brackets.
    pub message_id: MessageId,
    /// The deadline the letter states (counted as if received on the day
    /// of sending); the case's legal deadline is counted from `sent`.
    pub stated_deadline: Option<NaiveDate>,
    /// The processor-deletion confirmation date the letter sets.
    pub confirm_by: Option<NaiveDate>,
    /// Precondition ids the user confirmed.
    pub confirmed: Vec<String>,
    /// For reminders and complaints: the Message-ID this one follows up.
    pub in_reply_to: Option<MessageId>,
    /// For complaints: the supervisory authority's id.
    pub authority: Option<String>,
    /// How the message leaves.
    pub route: Route,
    /// The stored artifacts.
    pub objects: Vec<ObjectRef>,
    /// For a request sent from a batch file (`send --batch`): the row's
    /// stable key (a hex digest, never the row's content), so running the
    /// same batch again finds the rows already sent. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_key: Option<String>,
    /// For a letter sent again to a corrected address (`send --readdress`)
    /// after a permanent refusal: the refused message and why. It takes
    /// that message's place in the case (the deadline runs from this one).
    /// Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readdresses: Option<Readdresses>,
}

/// [`Prepared::readdresses`]: the message a readdressed letter replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readdresses {
    /// The refused message's Message-ID.
    pub message_id: MessageId,
    /// Why, e.g. `readdressed after 550 at rcpt_to for privacy@old.example`.
    pub reason: String,
}

/// `sent`: the server's final reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    /// The Message-ID.
    pub message_id: MessageId,
    /// Which attempt succeeded (from 1).
    pub attempt: u32,
    /// `host:port`.
    pub server: String,
    /// Whether the session was encrypted.
    pub tls: bool,
    /// The final reply code (e.g. 250).
    pub code: u16,
    /// The final reply text, in clear: written only by dsr before the
    /// reply moved to an object (a server may echo the envelope sender,
    /// the data subject's address, in it). Read, never written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// The server's queue id, when its reply names one in a form known to
    /// carry nothing else (`queued as 4F2A`, `id=1abc-0002`): what the
    /// server's own logs can be searched for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<String>,
    /// The accepted recipients.
    pub recipients: Vec<EmailAddress>,
    /// Whether delivery status notifications were asked for (the server
    /// offered DSN: `RET=HDRS ENVID=<request id>`, `NOTIFY=SUCCESS,FAILURE,DELAY`).
    /// Absent when not (older lines, servers without DSN).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dsn: bool,
    /// The final reply text (`smtp-reply`), stored as an object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ObjectRef>,
}

impl Sent {
    /// The reply as shown to the user: `250 2.0.0 Ok: queued as 4F2A`
    /// from an older line, `250 (queued as 4F2A)` or `250` from a newer
    /// one (its text is in the `smtp-reply` object).
    pub fn summary(&self) -> String {
        match (&self.reply, &self.queue_id) {
            (Some(text), _) => format!("{} {text}", self.code),
            (None, Some(id)) => format!("{} (queued as {id})", self.code),
            (None, None) => self.code.to_string(),
        }
    }
}

/// The class of a failed attempt, as logged in `send_failed.class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureClass {
    /// A 4xx reply: refused for now.
    Transient,
    /// A 5xx reply: refused for good.
    Permanent,
    /// The server could not be reached or closed the connection before the
    /// message was sent.
    Connection,
    /// TLS failed.
    Tls,
    /// The credentials were refused.
    Auth,
    /// The connection broke after the whole message was sent: delivery
    /// unknown.
    Unknown,
    /// The server lacks an extension the message needs.
    Unsupported,
}

impl FailureClass {
    /// The name as logged (`transient`, `permanent`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Transient => "transient",
            FailureClass::Permanent => "permanent",
            FailureClass::Connection => "connection",
            FailureClass::Tls => "tls",
            FailureClass::Auth => "auth",
            FailureClass::Unknown => "unknown",
            FailureClass::Unsupported => "unsupported",
        }
    }
}

impl From<SendErrorKind> for FailureClass {
    fn from(kind: SendErrorKind) -> FailureClass {
        match kind {
            SendErrorKind::Transient => FailureClass::Transient,
            SendErrorKind::Permanent => FailureClass::Permanent,
            SendErrorKind::Connection => FailureClass::Connection,
            SendErrorKind::Tls => FailureClass::Tls,
            SendErrorKind::Auth => FailureClass::Auth,
            SendErrorKind::Unknown => FailureClass::Unknown,
            SendErrorKind::Unsupported => FailureClass::Unsupported,
        }
    }
}

/// Where in the SMTP dialogue an attempt failed, as logged in
/// `send_failed.stage` (the address of a refused RCPT TO is not logged:
/// it is in the error text object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// TCP connect, greeting, EHLO.
    Connect,
    /// STARTTLS.
    #[serde(rename = "starttls")]
    StartTls,
    /// AUTH.
    Auth,
    /// MAIL FROM.
    MailFrom,
    /// RCPT TO.
    RcptTo,
    /// The DATA command.
    Data,
    /// The message and its final reply.
    Message,
}

impl Stage {
    /// The name as logged (`connect`, `starttls`, `rcpt_to`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Connect => "connect",
            Stage::StartTls => "starttls",
            Stage::Auth => "auth",
            Stage::MailFrom => "mail_from",
            Stage::RcptTo => "rcpt_to",
            Stage::Data => "data",
            Stage::Message => "message",
        }
    }
}

impl From<&smtp::Stage> for Stage {
    fn from(stage: &smtp::Stage) -> Stage {
        match stage {
            smtp::Stage::Connect => Stage::Connect,
            smtp::Stage::StartTls => Stage::StartTls,
            smtp::Stage::Auth => Stage::Auth,
            smtp::Stage::MailFrom => Stage::MailFrom,
            smtp::Stage::RcptTo(_) => Stage::RcptTo,
            smtp::Stage::Data => Stage::Data,
            smtp::Stage::Message => Stage::Message,
        }
    }
}

/// `send_failed`: one failed attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendFailed {
    /// The Message-ID.
    pub message_id: MessageId,
    /// The attempt (from 1).
    pub attempt: u32,
    /// What kind of failure; [`FailureClass::Unknown`] means delivery
    /// unknown (the connection broke after the whole message was sent).
    pub class: FailureClass,
    /// The SMTP stage it failed at.
    pub stage: Stage,
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
    pub message_id: MessageId,
    /// The file, relative to the data directory.
    pub file: String,
}

/// The state a re-sent message was in, as logged in
/// `retry_confirmed.from_state` (the names `dsr status` shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetryFrom {
    /// `prepared` without an outcome, or a break after the message.
    DeliveryUnknown,
    /// Refused or not connected.
    SendFailed,
    /// In the outbox.
    Outboxed,
}

impl RetryFrom {
    /// The name as logged and shown (`delivery-unknown`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RetryFrom::DeliveryUnknown => "delivery-unknown",
            RetryFrom::SendFailed => "send-failed",
            RetryFrom::Outboxed => "outboxed",
        }
    }
}

/// `retry_confirmed`: the user asked to re-send the stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryConfirmed {
    /// The Message-ID being re-sent (unchanged).
    pub message_id: MessageId,
    /// The state the message was in.
    pub from_state: RetryFrom,
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
    /// The company answered only in part; the request is not settled.
    Partial,
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
            Outcome::Partial => "partial",
        }
    }
}

/// `reply_received`: a reply, stored as an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyReceived {
    /// What it says.
    pub outcome: Outcome,
    /// Its Message-ID as written (the company's id: any form, see
    /// [`crate::mail::parse::Headers::message_id`]).
    pub message_id: Option<String>,
    /// Its Date header.
    pub date: Option<DateTime<Utc>>,
    /// For `extended`: the extended deadline (three months from receipt).
    pub extended_to: Option<NaiveDate>,
    /// The reply (`reply`) and the user's note (`note`).
    pub objects: Vec<ObjectRef>,
    /// For a correction (`dsr reply --amend`): the `reply_received` line
    /// whose outcome this one replaces. That line stays as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amends: Option<u64>,
}

/// Why a received message belongs to its case, as logged in
/// `message_received.matched`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchBasis {
    /// Its In-Reply-To names a Message-ID dsr sent for the case.
    InReplyTo,
    /// Its References name a Message-ID dsr sent for the case.
    References,
    /// Its Subject has the case's request id.
    Subject,
}

impl MatchBasis {
    /// The name as logged and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchBasis::InReplyTo => "in-reply-to",
            MatchBasis::References => "references",
            MatchBasis::Subject => "subject",
        }
    }
}

/// The outcome dsr suggests for a received reply (docs/mailbox.md has the
/// rules); the user confirms or corrects it with `dsr reply`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Suggestion {
    /// Receipt confirmed.
    Acknowledged,
    /// Period extended.
    Extended,
    /// Erasure / deletion confirmed.
    Confirmed,
    /// Refused.
    Refused,
    /// Identification asked for.
    NeedsIdentity,
    /// None of the rules fired.
    Other,
}

impl Suggestion {
    /// The name as logged and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Suggestion::Acknowledged => "acknowledged",
            Suggestion::Extended => "extended",
            Suggestion::Confirmed => "confirmed",
            Suggestion::Refused => "refused",
            Suggestion::NeedsIdentity => "needs-identity",
            Suggestion::Other => "other",
        }
    }
}

/// `message_received`: a message fetched from the mailbox by `dsr mail
/// sync`, stored byte for byte (`reply`). The line's request is the case
/// it matched; a line without request matched none, or several
/// (`candidates`), and waits in `dsr mail unmatched`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageReceived {
    /// The IMAP folder it was fetched from.
    pub folder: String,
    /// The folder's UIDVALIDITY when it was fetched.
    pub uidvalidity: u32,
    /// Its UID in the folder.
    pub uid: u32,
    /// Its Message-ID as written.
    pub message_id: Option<String>,
    /// Its Date header.
    pub date: Option<DateTime<Utc>>,
    /// Why it belongs to the line's request (none without request).
    pub matched: Option<MatchBasis>,
    /// The cases it matched when it matched more than one (then it is
    /// not assigned).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<RequestId>,
    /// The outcome suggested by the rules, until the user says.
    pub suggested: Suggestion,
    /// The message (`reply`).
    pub objects: Vec<ObjectRef>,
}

/// `mail_synced`: `dsr mail sync` looked at `folder` (under
/// `uidvalidity`) up to `uid`. Written without request, with the batch of
/// messages it closes, when the batch's last UID is above every UID the
/// log records otherwise (its last messages were skipped as already
/// stored or as dsr's own): the next sync asks for the UIDs above it.
/// Derived from the log like everything else: no state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSynced {
    /// The IMAP folder.
    pub folder: String,
    /// The folder's UIDVALIDITY: `uid` means nothing under another one.
    pub uidvalidity: u32,
    /// The highest UID looked at.
    pub uid: u32,
}

/// What differs between a sent copy and the outboxed message, as logged
/// in `dispatched.differences` (the details, which may name files, are in
/// the `comparison` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difference {
    /// The Subject header.
    Subject,
    /// The From address.
    From,
    /// The To addresses.
    To,
    /// The Cc addresses.
    Cc,
    /// The text of the letter.
    Body,
    /// The attachments: one missing, added, renamed or changed.
    Attachments,
}

impl Difference {
    /// The name as logged (`subject`, `body`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Difference::Subject => "subject",
            Difference::From => "from",
            Difference::To => "to",
            Difference::Cc => "cc",
            Difference::Body => "body",
            Difference::Attachments => "attachments",
        }
    }
}

/// `dispatched`: the user sent a message themselves and recorded it.
///
/// Email: the copy from the user's Sent folder is stored (`sent-copy`),
/// compared with the outboxed message (`comparison`), and its `Date` is
/// the sending time. Post: the posting day, a tracking number, and the
/// receipt day presumed until one is recorded. Web form: the day of
/// submission and what the form showed (`confirmation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispatched {
    /// The message (original or follow-up) that was sent.
    pub message_id: MessageId,
    /// How it went.
    pub via: Channel,
    /// Email: the sent copy's `Date` header, in UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// Post: the posting day; web form: the day of submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Post: the carrier's tracking number (e.g. `RR123456789DE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    /// Post: the day of receipt presumed until one is recorded (the
    /// posting day plus `presumed_days` working days of the company's
    /// calendar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presumed_received_on: Option<NaiveDate>,
    /// Post: the working days of that presumption (`[post]` in dsr.toml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presumed_days: Option<u32>,
    /// Email: what differs from the outboxed message (empty: nothing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<Difference>,
    /// The evidence: `sent-copy` and `comparison`, or `confirmation` files.
    pub objects: Vec<ObjectRef>,
}

/// `receipt_recorded`: the day the company received a dispatched message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRecorded {
    /// The message received.
    pub message_id: MessageId,
    /// The channel it went by.
    pub via: Channel,
    /// The day of receipt (the controller's period runs from it, Art. 12(3)).
    pub received_on: NaiveDate,
    /// The proof (`receipt`: a Rückschein, a tracking record), if given.
    pub objects: Vec<ObjectRef>,
}

/// One recipient's line of a delivery status notification, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedRecipient {
    /// `Final-Recipient`, e.g. `rfc822; privacy@company.example` (the
    /// company's address).
    pub final_recipient: String,
    /// `Action`.
    pub action: crate::mailbox::Action,
    /// `Status`, e.g. `2.0.0`, `5.1.1`.
    pub status: String,
    /// `Remote-MTA`: the server that took (or refused) the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_mta: Option<String>,
    /// `Diagnostic-Code`: that server's reply, e.g. `smtp; 250 2.0.0 Ok:
    /// queued as 4F2A1`, with every address in it replaced by `<address>`
    /// (a reply may echo the requester's address; the whole text is in the
    /// purgeable `report` object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<String>,
    /// `Last-Attempt-Date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt: Option<DateTime<Utc>>,
}

/// `delivered`, `delayed`, `bounced`: a delivery status notification
/// (RFC 3464) about a message dsr sent: each recipient's status, the
/// server that answered and its reply. The report itself is the `report`
/// object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryReported {
    /// The message the report is about.
    pub message_id: MessageId,
    /// `Original-Envelope-Id` (dsr sends the request id), if the report has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope_id: Option<String>,
    /// `Reporting-MTA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_mta: Option<String>,
    /// `Arrival-Date`: when the reporting server received the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_date: Option<DateTime<Utc>>,
    /// Every recipient block, in order.
    pub recipients: Vec<ReportedRecipient>,
    /// Where the report was read from (`file`, `imap`).
    pub source: String,
    /// Where `dsr mail sync` fetched it (absent for `dsr mail import`).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// The report (`report`).
    pub objects: Vec<ObjectRef>,
}

/// Where `dsr mail sync` fetched a report: logged in its line, so that the
/// next sync does not fetch it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The folder.
    pub folder: String,
    /// The folder's UIDVALIDITY.
    pub uidvalidity: u32,
    /// The message's UID.
    pub uid: u32,
}

impl DeliveryReported {
    /// When the message reached the server that reported it: the first
    /// recipient's `Last-Attempt-Date` whose action is `delivered` or
    /// `relayed`, else the `Arrival-Date`.
    pub fn delivered_at(&self) -> Option<DateTime<Utc>> {
        use crate::mailbox::Action;
        self.recipients
            .iter()
            .filter(|r| matches!(r.action, Action::Delivered | Action::Relayed | Action::Expanded))
            .find_map(|r| r.last_attempt)
            .or(self.arrival_date)
    }

    /// The report object's hash, if stored.
    pub fn report_sha256(&self) -> Option<&crate::evidence::Sha256> {
        self.objects.iter().find(|o| o.role == role::REPORT).map(|o| &o.sha256)
    }
}

/// `read`: a message disposition notification (RFC 8098) about a message
/// dsr sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    /// The message it is about (`Original-Message-ID`).
    pub message_id: MessageId,
    /// The disposition type: `displayed`, `deleted`, `dispatched`, `processed`.
    pub disposition: String,
    /// The `Disposition` field as written (`manual-action/MDN-sent-manually; displayed`).
    pub disposition_field: String,
    /// `Final-Recipient` (the company's address), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_recipient: Option<String>,
    /// Where the report was read from (`file`, `imap`).
    pub source: String,
    /// Where `dsr mail sync` fetched it (absent for `dsr mail import`).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// The notification (`report`).
    pub objects: Vec<ObjectRef>,
}

/// `closed`: the user closed the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closed {
    /// The user's note, as an object (`note`), if any.
    pub objects: Vec<ObjectRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each enumerated value serializes to the string earlier versions
    /// logged, and back.
    #[test]
    fn enumerated_fields_keep_their_logged_names() {
        fn check<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(v: T, name: &str) {
            assert_eq!(serde_json::to_value(&v).unwrap(), serde_json::json!(name));
            assert_eq!(serde_json::from_value::<T>(serde_json::json!(name)).unwrap(), v);
        }
        for (k, name) in [
            (SendErrorKind::Transient, "transient"),
            (SendErrorKind::Permanent, "permanent"),
            (SendErrorKind::Connection, "connection"),
            (SendErrorKind::Tls, "tls"),
            (SendErrorKind::Auth, "auth"),
            (SendErrorKind::Unknown, "unknown"),
            (SendErrorKind::Unsupported, "unsupported"),
        ] {
            check(FailureClass::from(k), name);
            assert_eq!(FailureClass::from(k).as_str(), name);
        }
        for (s, name) in [
            (smtp::Stage::Connect, "connect"),
            (smtp::Stage::StartTls, "starttls"),
            (smtp::Stage::Auth, "auth"),
            (smtp::Stage::MailFrom, "mail_from"),
            (smtp::Stage::RcptTo("a@b.example".into()), "rcpt_to"),
            (smtp::Stage::Data, "data"),
            (smtp::Stage::Message, "message"),
        ] {
            check(Stage::from(&s), name);
            assert_eq!(Stage::from(&s).as_str(), name);
        }
        for (r, name) in [
            (RetryFrom::DeliveryUnknown, "delivery-unknown"),
            (RetryFrom::SendFailed, "send-failed"),
            (RetryFrom::Outboxed, "outboxed"),
        ] {
            check(r, name);
            assert_eq!(r.as_str(), name);
        }
        for (r, name) in
            [(Route::Smtp, "smtp"), (Route::Outbox, "outbox"), (Route::Post, "post"), (Route::Webform, "webform")]
        {
            check(r, name);
            assert_eq!(r.as_str(), name);
        }
    }

    #[test]
    fn names_are_distinct_snake_case_and_parse_back() {
        for n in Name::ALL {
            assert!(crate::evidence::is_event_name(n.as_str()), "{n}");
            assert_eq!(Name::parse(n.as_str()), Some(n));
            assert_eq!(LogEvent::parse(n.as_str()), None, "{n} is a case event, not the log's");
        }
        assert_eq!(Name::parse("future_event"), None);
    }
}
