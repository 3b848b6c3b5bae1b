//! Case state: a fold over a request's log entries.
//!
//! Nothing here is stored: every command that needs a case reads the log
//! and folds it again ([`fold_log`]), so the state can never diverge from the
//! evidence. The fold is strict about the vocabulary of [`super::event`]
//! (an event it cannot read is an error naming the line), and lenient about
//! order in one way only: events of unknown names are kept in the timeline
//! but change nothing, so a newer dsr's log still folds.

use super::event::{
    DecodeError, Difference, Event, FailureClass, LogEvent, Name, Outcome, Prepared, Readdresses, RetryFrom, Route,
    Stage,
};
use crate::address::EmailAddress;
use crate::channel::Channel;
use crate::deadline::{self, CalendarCode, ExtraDay};
use crate::evidence::{EntryRef, RequestId};
use crate::exit::ExitKind;
use crate::kind::LetterKind;
use crate::mail::MessageId;
use crate::policy::PolicyId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Why the log could not be folded into cases.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An event's data does not have the shape its name promises.
    #[error("{}", crate::t!("case.log.bad-event", seq = seq, event = event, message = message))]
    BadEvent {
        /// The line's seq.
        seq: u64,
        /// The event name.
        event: String,
        /// What is wrong.
        message: String,
    },
    /// An event names a request that has no `prepared` event before it.
    #[error("{}", crate::t!("case.log.orphan", seq = seq, event = event, request = request))]
    Orphan {
        /// The line's seq.
        seq: u64,
        /// The event name.
        event: String,
        /// The request.
        request: RequestId,
    },
    /// No case has this request id.
    #[error("{}", crate::t!("case.unknown-request", id = id, log = log.as_ref().map(|p| format!(" {p}")).unwrap_or_default()))]
    UnknownRequest {
        /// The id asked for.
        id: String,
        /// Close ids, best first.
        suggestions: Vec<String>,
        /// The log that was searched, when the caller knows it
        /// ([`Error::in_log`]): its path, and why that one.
        log: Option<String>,
    },
    /// The command does not fit the case's state.
    #[error("{}", crate::t!("case.wrong-state", request = request, state = state, message = message))]
    WrongState {
        /// The request.
        request: RequestId,
        /// Its state.
        state: String,
        /// Why that does not fit.
        message: String,
        /// What to do.
        hint: String,
    },
    /// The log itself could not be read.
    #[error(transparent)]
    Evidence(#[from] crate::evidence::Error),
}

impl Error {
    /// Names the log that was searched in [`Error::UnknownRequest`] (the
    /// user may be looking at another data directory than they think).
    pub fn in_log(self, log: String) -> Error {
        match self {
            Error::UnknownRequest { id, suggestions, log: None } => {
                Error::UnknownRequest { id, suggestions, log: Some(log) }
            }
            other => other,
        }
    }

    /// The exit code class: the log's own ([`crate::evidence::Error::exit_kind`]),
    /// evidence invalid for an event that does not fit the log, bad input
    /// for a request that is not there or a command that does not fit it.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Evidence(e) => e.exit_kind(),
            Error::BadEvent { .. } | Error::Orphan { .. } => ExitKind::EvidenceInvalid,
            Error::UnknownRequest { .. } | Error::WrongState { .. } => ExitKind::BadInput,
        }
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Error {
        Error::BadEvent { seq: e.seq, event: e.name.to_string(), message: e.message }
    }
}

impl Error {
    /// A [`Error::WrongState`] for `case`.
    pub fn wrong_state(case: &Case, message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::WrongState {
            request: case.request.clone(),
            state: case.status().shown(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::UnknownRequest { suggestions, .. } if !suggestions.is_empty() => {
                Some(crate::t!("case.unknown-request-did-you-mean", ids = suggestions.join(&crate::t!("words.or"))))
            }
            Error::UnknownRequest { .. } => Some(crate::t!("case.unknown-request-hint")),
            Error::WrongState { hint, .. } => Some(hint.clone()),
            Error::BadEvent { .. } | Error::Orphan { .. } => Some(crate::t!("case.log.bad-event-hint")),
            Error::Evidence(e) => e.hint(),
        }
    }

    /// True when the log itself is damaged (exit 4) rather than the input.
    pub fn is_evidence_invalid(&self) -> bool {
        match self {
            Error::Evidence(e) => e.is_evidence_invalid(),
            Error::BadEvent { .. } | Error::Orphan { .. } => true,
            _ => false,
        }
    }
}

/// Finds a case by id (or an unambiguous prefix of at least 6 characters).
///
/// # Errors
/// [`Error::UnknownRequest`] with near ids.
pub fn find<'a>(cases: &'a BTreeMap<RequestId, Case>, id: &str) -> Result<&'a Case, Error> {
    if let Some(c) = cases.iter().find(|(k, _)| k.as_str() == id).map(|(_, c)| c) {
        return Ok(c);
    }
    let prefixed: Vec<&Case> = cases.values().filter(|c| id.len() >= 6 && c.request.as_str().starts_with(id)).collect();
    if let [one] = prefixed.as_slice() {
        return Ok(one);
    }
    // A mistyped prefix counts as close to the id it starts.
    let suggestions = crate::suggest::near(id, cases.keys().map(RequestId::as_str), crate::suggest::Closeness::Prefix);
    Err(Error::UnknownRequest { id: id.to_string(), suggestions, log: None })
}

/// Where one message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// `prepared` and nothing after it: dsr may have died mid-send, or the
    /// server may have the message. Only an explicit retry resolves it.
    Unknown,
    /// In the outbox: not sent by dsr.
    Outboxed,
    /// Accepted by the server.
    Sent,
    /// Refused or not connected; nothing was accepted.
    Failed,
    /// Sent by the user (own mail client, post, web form) and recorded
    /// with `dsr dispatched`; see [`Message::dispatch`].
    Dispatched,
}

impl Delivery {
    /// The state a re-send starts from, as `retry_confirmed` logs it
    /// (`None` for a message the server accepted: nothing to re-send).
    pub fn retry_from(self) -> Option<RetryFrom> {
        match self {
            Delivery::Unknown => Some(RetryFrom::DeliveryUnknown),
            Delivery::Failed => Some(RetryFrom::SendFailed),
            Delivery::Outboxed => Some(RetryFrom::Outboxed),
            Delivery::Sent | Delivery::Dispatched => None,
        }
    }

    /// True once the message has left: accepted by the server, or sent by
    /// the user and recorded. Replies, reminders and complaints need it.
    pub fn has_left(self) -> bool {
        matches!(self, Delivery::Sent | Delivery::Dispatched)
    }
}

/// How the user sent a message themselves, and when it was received, as
/// recorded with `dsr dispatched`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dispatch {
    /// The `dispatched` line.
    pub seq: u64,
    /// The channel.
    pub via: Channel,
    /// Post: the posting day; web form: the day of submission; email: the
    /// sent copy's date in the company's calendar.
    pub on: NaiveDate,
    /// Post: the tracking number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    /// Email: what differed from the outboxed message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<Difference>,
    /// Post: the receipt day presumed when it was posted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presumed_received_on: Option<NaiveDate>,
    /// The receipt day recorded (`receipt_recorded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
}

impl Dispatch {
    /// The day the company's period runs from, and whether it is only
    /// presumed: the recorded receipt day, else for post the presumed one,
    /// for a web form the day of submission (the form delivers at once);
    /// `None` for email, whose receipt is the sending time.
    pub fn receipt(&self) -> Option<(NaiveDate, bool)> {
        match (self.received_on, self.via) {
            (Some(d), _) => Some((d, false)),
            (None, Channel::Post) => self.presumed_received_on.map(|d| (d, true)),
            (None, Channel::Webform) => Some((self.on, false)),
            (None, Channel::Email) => None,
        }
    }
}

/// One message of a case: the original request, a reminder or a complaint.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// The `prepared` line.
    pub seq: u64,
    /// The letter kind.
    pub kind: LetterKind,
    /// The Message-ID.
    pub message_id: MessageId,
    /// When it was prepared.
    pub prepared_at: DateTime<Utc>,
    /// Where it stands.
    pub delivery: Delivery,
    /// When the server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
    /// The server's final reply (`250 2.0.0 Ok: queued as …`).
    pub reply: Option<String>,
    /// The last failure's class (`auth`, `permanent`, `unknown`, …).
    pub failure: Option<FailureClass>,
    /// Attempts made.
    pub attempts: u32,
    /// The outbox file, relative to the data directory.
    pub outbox_file: Option<String>,
    /// The authority, for a complaint.
    pub authority: Option<String>,
    /// Sent by the user and recorded (`dsr dispatched`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispatch: Option<Dispatch>,
    /// When a delivery status notification says the company's server took
    /// the message (`delivered`): the strongest evidence of receipt email
    /// gives. The latest such report counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
    /// Delivery reports and read receipts, in log order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ReportSeen>,
    /// The last failure's reply code, if the server answered (`550`).
    #[serde(skip)]
    pub failed_code: Option<u16>,
    /// The SMTP stage the last failure happened at.
    #[serde(skip)]
    pub failed_stage: Option<Stage>,
    /// For a letter sent again to a corrected address: the refused
    /// message it replaces, and why (`send --readdress`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readdresses: Option<Readdresses>,
    /// What the commands read of the payload logged when it was prepared.
    #[serde(skip)]
    pub prepared: Kept,
}

/// The fields of a message's [`Prepared`] payload that commands read once
/// the log is folded (`export`, `followup`, `retry`, `batch`); the rest is
/// in [`Case`]/[`Message`] already or read by nobody, and is dropped after
/// folding so that a large log's cases stay small.
#[derive(Debug, Clone)]
pub struct Kept {
    /// The letter's language.
    pub lang: crate::lang::Lang,
    /// Recipients.
    pub to: Vec<EmailAddress>,
    /// Copy recipients.
    pub cc: Vec<EmailAddress>,
    /// The confirmation date set, for processor deletion.
    pub confirm_by: Option<NaiveDate>,
    /// The deadline the letter states (a reminder's new answer date).
    pub stated_deadline: Option<NaiveDate>,
    /// The batch row key, for a message sent by `dsr send --batch`.
    pub batch_key: Option<String>,
    /// The stored artifacts.
    pub objects: Vec<crate::evidence::ObjectRef>,
    /// The route it was prepared for (smtp, outbox, post, webform).
    pub route: Route,
}

impl Message {
    /// True when a delivery report says the company's server took the
    /// message but none gives a date: delivered, time unknown.
    pub fn delivered_time_unknown(&self) -> bool {
        self.delivered_at.is_none() && self.reports.iter().any(|r| r.kind == ReportKind::Delivered)
    }

    /// The permanent refusal that ended this message, if one did: a 5xx
    /// reply when it was sent (`send_failed`, class `permanent`), or a
    /// delivery report that it bounced, later than any report that it
    /// was delivered. Sending the same bytes to the same address again
    /// cannot help; only a corrected address can (`send --readdress`).
    pub fn refusal(&self) -> Option<Refusal> {
        let to: Vec<EmailAddress> = self.prepared.to.iter().chain(&self.prepared.cc).cloned().collect();
        // A 5xx to MAIL FROM (or before) is the sender's server refusing
        // the sender, not the company's address: fixed there, then `--retry`.
        let recipient_stage =
            !matches!(self.failed_stage, Some(Stage::Connect | Stage::StartTls | Stage::Auth | Stage::MailFrom));
        if self.delivery == Delivery::Failed && self.failure == Some(FailureClass::Permanent) && recipient_stage {
            return Some(Refusal {
                code: self.failed_code.map_or_else(|| "5xx".to_string(), |c| c.to_string()),
                how: RefusalHow::Smtp(self.failed_stage),
                to,
            });
        }
        if !self.delivery.has_left() {
            return None;
        }
        self.reports
            .iter()
            .rfind(|r| matches!(r.kind, ReportKind::Delivered | ReportKind::Bounced))
            .filter(|r| r.kind == ReportKind::Bounced)
            .map(|r| Refusal {
                code: r.status.clone().unwrap_or_else(|| "5.0.0".into()),
                how: RefusalHow::Bounced(r.seq),
                to,
            })
    }
}

/// A permanent refusal of a message ([`Message::refusal`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The reply code (`550`) or the delivery report's status (`5.1.1`).
    pub code: String,
    /// Where it was refused.
    pub how: RefusalHow,
    /// The addresses the refused message went to.
    pub to: Vec<EmailAddress>,
}

/// Where a message was refused for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalHow {
    /// By the sender's own server when it was sent, at this SMTP stage.
    Smtp(Option<Stage>),
    /// By the company's server: a delivery report (`bounced`, its line).
    Bounced(u64),
}

impl Refusal {
    /// `550 at rcpt_to` or `a delivery report (5.1.1, log line 7)`.
    pub fn what(&self) -> String {
        match self.how {
            RefusalHow::Smtp(Some(stage)) => format!("{} at {}", self.code, stage.as_str()),
            RefusalHow::Smtp(None) => self.code.clone(),
            RefusalHow::Bounced(seq) => format!("a delivery report ({}, log line {seq})", self.code),
        }
    }

    /// The reason a readdressed letter logs: `readdressed after 550 at
    /// rcpt_to for privacy@old.example`.
    pub fn reason(&self) -> String {
        format!("readdressed after {} for {}", self.what(), self.to.join(", "))
    }
}

/// What a delivery report or read receipt said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// `delivered`.
    Delivered,
    /// `delayed`.
    Delayed,
    /// `bounced`.
    Bounced,
    /// `read`.
    Read,
}

/// A delivery report or read receipt recorded for a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSeen {
    /// The event's line.
    pub seq: u64,
    /// What it said.
    pub kind: ReportKind,
    /// The date the report gives (delivered: Last-Attempt-Date or
    /// Arrival-Date), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// The stored report's hash: the same report is recorded once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<crate::evidence::Sha256>,
    /// A bounce's status (`5.1.1`): the first failed recipient's.
    #[serde(skip)]
    pub status: Option<String>,
}

/// A reply recorded with `dsr reply`.
#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    /// The `reply_received` line.
    pub seq: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// What it says.
    pub outcome: Outcome,
    /// Its Message-ID as written.
    pub message_id: Option<String>,
    /// Its Date header.
    pub date: Option<DateTime<Utc>>,
    /// The extended deadline, for `extended`.
    pub extended_to: Option<NaiveDate>,
    /// The stored reply and note.
    pub objects: Vec<crate::evidence::ObjectRef>,
    /// The `reply_received` line this one corrects (`dsr reply --amend`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amends: Option<u64>,
    /// The later line that corrected this one's outcome: its own outcome
    /// no longer counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amended_by: Option<u64>,
}

impl Reply {
    /// The stored message's hash (`reply` object).
    pub fn message_hash(&self) -> Option<crate::evidence::Sha256> {
        self.objects.iter().find(|o| o.role == crate::case::event::role::REPLY).map(|o| o.sha256)
    }
}

/// A message `dsr mail sync` fetched and filed with the case.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    /// The `message_received` line.
    pub seq: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Its Message-ID as written.
    pub message_id: Option<String>,
    /// Why it belongs to the case.
    pub matched: Option<crate::case::event::MatchBasis>,
    /// What dsr suggests it says.
    pub suggested: crate::case::event::Suggestion,
    /// The stored message.
    pub hash: Option<crate::evidence::Sha256>,
}

/// The state of a case, in the order a privacy officer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Prepared, outcome not logged: delivery unknown.
    DeliveryUnknown,
    /// In the outbox, not sent by dsr.
    Outboxed,
    /// Sending failed; nothing was accepted.
    SendFailed,
    /// The server accepted the message, but a delivery status
    /// notification says it could not be delivered (`bounced`).
    DeliveryFailed,
    /// Sent, no reply yet.
    Sent,
    /// Sent by the user (own mail client, post, web form) and recorded; no
    /// reply yet.
    Dispatched,
    /// The company acknowledged receipt.
    Acknowledged,
    /// The company extended the period.
    Extended,
    /// The company asks for identification.
    NeedsIdentity,
    /// The company confirmed.
    Confirmed,
    /// The company refused.
    Refused,
    /// The company answered in part.
    Partial,
    /// A reminder was sent.
    Reminded,
    /// A complaint was sent to a supervisory authority.
    Complained,
    /// A reply arrived (`dsr mail sync`) that the user has not yet
    /// confirmed or corrected with `dsr reply`.
    ToClassify,
    /// The user closed the case.
    Closed,
}

impl Status {
    /// Every state, in the order above.
    pub const ALL: [Status; 16] = [
        Status::DeliveryUnknown,
        Status::Outboxed,
        Status::SendFailed,
        Status::DeliveryFailed,
        Status::Sent,
        Status::Dispatched,
        Status::Acknowledged,
        Status::Extended,
        Status::NeedsIdentity,
        Status::Confirmed,
        Status::Refused,
        Status::Partial,
        Status::Reminded,
        Status::Complained,
        Status::ToClassify,
        Status::Closed,
    ];

    /// The state named `text` (ignoring case): its `dsr status` name in
    /// either interface language, or its `--json` one (`to-classify`).
    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim().to_lowercase();
        Status::ALL.into_iter().find(|s| {
            s.name() == t
                || crate::i18n::UiLang::ALL.iter().any(|&lang| s.shown_in(lang).to_lowercase() == t)
                || serde_json::to_value(s).ok().and_then(|v| v.as_str().map(|n| n == t)).unwrap_or(false)
        })
    }

    /// The name shown by `dsr status` in the interface language: [`name`]
    /// (an identifier that `--state` takes in every language), except for
    /// the one state whose name is a phrase, [`Status::ToClassify`].
    ///
    /// [`name`]: Status::name
    pub fn shown(self) -> String {
        self.shown_in(crate::i18n::ui())
    }

    /// [`Status::shown`] in `lang`.
    pub fn shown_in(self, lang: crate::i18n::UiLang) -> String {
        match self {
            Status::ToClassify => crate::t_in!(lang, "state.to-classify"),
            other => other.name().to_string(),
        }
    }

    /// The name shown by `dsr status` in English (see [`Status::shown`]).
    pub fn name(self) -> &'static str {
        match self {
            Status::DeliveryUnknown => "delivery-unknown",
            Status::Outboxed => "outboxed",
            Status::SendFailed => "send-failed",
            Status::DeliveryFailed => "delivery-failed",
            Status::Sent => "sent",
            Status::Dispatched => "dispatched",
            Status::Acknowledged => "acknowledged",
            Status::Extended => "extended",
            Status::NeedsIdentity => "needs-identity",
            Status::Confirmed => "confirmed",
            Status::Refused => "refused",
            Status::Partial => "partial",
            Status::Reminded => "reminded",
            Status::Complained => "complained",
            Status::ToClassify => "reply received — classify",
            Status::Closed => "closed",
        }
    }
}

/// One case. See the module docs.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// The request id.
    pub request: RequestId,
    /// The original request's kind.
    pub kind: LetterKind,
    /// The policy id.
    pub policy: PolicyId,
    /// The company.
    pub company: String,
    /// The calendar its deadlines are counted in.
    pub calendar: CalendarCode,
    /// The original request.
    pub original: Message,
    /// Reminders and complaints, in order.
    pub followups: Vec<Message>,
    /// Messages refused for good and sent again to a corrected address
    /// (`send --readdress`): the readdressed letter took their place.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub superseded: Vec<Message>,
    /// Replies, in order.
    pub replies: Vec<Reply>,
    /// Messages fetched from the mailbox (`dsr mail sync`) for this case.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub received: Vec<Received>,
    /// When the case was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Seqs of every line of this case.
    pub lines: Vec<u64>,
    /// The latest line's time.
    pub last_activity: DateTime<Utc>,
}

/// A case's deadline, read both ways (LEGAL.md §3.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// The date the answer is due under the earlier reading of receipt
    /// (the day the server accepted the mail), or the set confirmation date.
    pub date: NaiveDate,
    /// The same under the later reading (mail received after 18:00 or on a
    /// non-working day counts as received the next working day): the case
    /// is overdue only after this date.
    pub later: NaiveDate,
    /// What kind of date it is.
    pub basis: DueBasis,
    /// The day of receipt it is counted from, for a letter sent by post or
    /// through a web form (absent for email: the sending time counts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
    /// True when that day is presumed (a posted letter whose receipt was
    /// not recorded yet): the date moves once the receipt is recorded.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub presumed: bool,
}

/// What a case's due date rests on (`dsr status --json` `due_basis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueBasis {
    /// One month from receipt, Art. 12(3) GDPR (`art-12-3`).
    #[serde(rename = "art-12-3")]
    Art12_3,
    /// Extended by the company to three months (`extended`).
    Extended,
    /// The confirmation date a processor-deletion letter set (`confirm-by`).
    ConfirmBy,
}

impl DueBasis {
    /// The name shown by `dsr status` and `dsr show`.
    pub fn as_str(self) -> &'static str {
        match self {
            DueBasis::Art12_3 => "art-12-3",
            DueBasis::Extended => "extended",
            DueBasis::ConfirmBy => "confirm-by",
        }
    }
}

impl Case {
    /// The case's status: the latest of its delivery, replies, reminders,
    /// complaints and closing.
    pub fn status(&self) -> Status {
        if self.closed_at.is_some() {
            return Status::Closed;
        }
        // The latest event decides; a follow-up counts once it left
        // (sent, or in the outbox for the user to send).
        let replies = self.current_replies().map(|r| (r.seq, reply_status(r.outcome)));
        let unclassified = self.unclassified().map(|m| (m.seq, Status::ToClassify));
        let followups = self
            .followups
            .iter()
            .filter(|f| matches!(f.delivery, Delivery::Sent | Delivery::Outboxed | Delivery::Dispatched))
            .map(|f| (f.seq, if f.kind == LetterKind::Complaint { Status::Complained } else { Status::Reminded }));
        // A bounce after the last delivery report of a message fails it.
        let bounces = std::iter::once(&self.original).chain(self.followups.iter()).filter_map(|m| {
            m.reports
                .iter()
                .rfind(|r| matches!(r.kind, ReportKind::Delivered | ReportKind::Bounced))
                .filter(|r| r.kind == ReportKind::Bounced)
                .map(|r| (r.seq, Status::DeliveryFailed))
        });
        std::iter::once((self.original.seq, delivery_status(&self.original)))
            .chain(replies)
            .chain(unclassified)
            .chain(followups)
            .chain(bounces)
            .max_by_key(|(seq, _)| *seq)
            .map_or(Status::DeliveryUnknown, |(_, s)| s)
    }

    /// The replies whose outcome counts: those no later line corrected.
    pub fn current_replies(&self) -> impl Iterator<Item = &Reply> {
        self.replies.iter().filter(|r| r.amended_by.is_none())
    }

    /// Received messages no `reply_received` has classified yet (same
    /// stored message, or same Message-ID).
    pub fn unclassified(&self) -> impl Iterator<Item = &Received> {
        self.received.iter().filter(|m| {
            !self.replies.iter().any(|r| {
                (m.hash.is_some() && r.message_hash() == m.hash)
                    || (m.message_id.is_some() && r.message_id == m.message_id)
            })
        })
    }

    /// True once the company has answered for good (confirmed or refused)
    /// or the case is closed: no deadline runs any more.
    pub fn is_settled(&self) -> bool {
        self.closed_at.is_some()
            || self.current_replies().any(|r| matches!(r.outcome, Outcome::Confirmed | Outcome::Refused))
    }

    /// The date the company's answer is due, if one runs: for data-subject
    /// rights counted from the server's acceptance in the company's calendar
    /// (extended when the company extended), for processor deletion the
    /// confirmation date the letter set.
    ///
    /// # Errors
    /// A date out of range.
    pub fn due(&self, extra: &[ExtraDay]) -> Result<Option<Due>, deadline::Error> {
        if self.is_settled() {
            return Ok(None);
        }
        self.period(extra)
    }

    /// The period that applies or applied to the request, whether or not
    /// the company has answered since: what a complaint about a refusal
    /// states as the end of the period ([`Case::due`] is `None` once the
    /// company answered for good).
    ///
    /// # Errors
    /// A date out of range.
    pub fn period(&self, extra: &[ExtraDay]) -> Result<Option<Due>, deadline::Error> {
        if self.kind == LetterKind::ProcessorDeletion {
            let date = self.original.prepared.confirm_by;
            return Ok(date.filter(|_| self.original.delivery.has_left()).map(|d| Due {
                date: d,
                later: d,
                basis: DueBasis::ConfirmBy,
                received_on: None,
                presumed: false,
            }));
        }
        // Post and web form: counted from the day of receipt (recorded or
        // presumed); email: from the sending time, read both ways.
        let receipt = self.original.dispatch.as_ref().and_then(Dispatch::receipt);
        let ((first, later), received_on, presumed) = match receipt {
            Some((day, presumed)) => {
                let later = match self.original.dispatch.as_ref().map(|d| (d.via, d.received_on)) {
                    // A form submitted at an unknown hour: the later reading
                    // is the next working day.
                    Some((Channel::Webform, None)) => {
                        let next = day.succ_opt().ok_or(deadline::Error::OutOfRange { from: day })?;
                        deadline::roll_forward(next, self.calendar, extra)?.date
                    }
                    _ => day,
                };
                ((day, later), Some(day), presumed)
            }
            None => {
                // A delivery report's date, when there is one: when the
                // company's server took the message.
                let Some(sent_at) = self.original.delivered_at.or(self.original.sent_at) else { return Ok(None) };
                (deadline::receipt_dates(sent_at, self.calendar, extra)?, None, false)
            }
        };
        let (a, b) = (deadline::compute(first, self.calendar, extra)?, deadline::compute(later, self.calendar, extra)?);
        let extended = self.current_replies().any(|r| r.outcome == Outcome::Extended);
        Ok(Some(if extended {
            Due { date: a.extended, later: b.extended, basis: DueBasis::Extended, received_on, presumed }
        } else {
            Due { date: a.deadline, later: b.deadline, basis: DueBasis::Art12_3, received_on, presumed }
        }))
    }

    /// True when the answer is due and `today` (in the company's calendar)
    /// is after the later reading's deadline.
    ///
    /// # Errors
    /// A date out of range.
    pub fn is_overdue(&self, now: DateTime<Utc>, extra: &[ExtraDay]) -> Result<bool, deadline::Error> {
        let today = now.with_timezone(&self.calendar.time_zone()).date_naive();
        Ok(self.due(extra)?.is_some_and(|d| today > d.later))
    }

    /// The message (original or follow-up) with this Message-ID.
    fn message_mut(&mut self, message_id: &MessageId) -> Option<&mut Message> {
        std::iter::once(&mut self.original)
            .chain(self.followups.iter_mut())
            .chain(self.superseded.iter_mut())
            .find(|m| &m.message_id == message_id)
    }

    /// Every Message-ID of the case (for threading and finding a case from a reply).
    pub fn message_ids(&self) -> impl Iterator<Item = &MessageId> {
        std::iter::once(&self.original.message_id)
            .chain(self.followups.iter().map(|m| &m.message_id))
            .chain(self.superseded.iter().map(|m| &m.message_id))
    }

    /// The latest message of the case refused for good and not yet sent
    /// again to a corrected address, with its refusal.
    pub fn refused(&self) -> Option<(&Message, Refusal)> {
        std::iter::once(&self.original)
            .chain(self.followups.iter())
            .filter(|m| m.prepared.route.channel() == Channel::Email)
            .filter_map(|m| m.refusal().map(|r| (m, r)))
            .max_by_key(|(m, _)| m.seq)
    }

    /// Every address a message of this case was refused at for good
    /// (including those already readdressed): not to be used again.
    pub fn refused_addresses(&self) -> Vec<EmailAddress> {
        let mut out = Vec::new();
        for m in std::iter::once(&self.original).chain(&self.followups).chain(&self.superseded) {
            if let Some(r) = m.refusal() {
                out.extend(r.to);
            }
        }
        out
    }
}

fn delivery_status(m: &Message) -> Status {
    match m.delivery {
        Delivery::Unknown => Status::DeliveryUnknown,
        Delivery::Outboxed => Status::Outboxed,
        Delivery::Sent => Status::Sent,
        Delivery::Failed => Status::SendFailed,
        Delivery::Dispatched => Status::Dispatched,
    }
}

/// The status a reply with this outcome gives a case.
pub fn reply_status(o: Outcome) -> Status {
    match o {
        Outcome::Acknowledged => Status::Acknowledged,
        Outcome::Extended => Status::Extended,
        Outcome::NeedsIdentity => Status::NeedsIdentity,
        Outcome::Confirmed => Status::Confirmed,
        Outcome::Refused => Status::Refused,
        Outcome::Partial => Status::Partial,
    }
}

/// Folds the whole log of `data_dir` into cases, keyed by request id,
/// reading each event's data straight from the line (no
/// `serde_json::Value` per line).
///
/// # Errors
/// A damaged log, an event whose data does not parse, or an event for a
/// request that was never prepared.
pub fn fold_log(data_dir: &Path) -> Result<BTreeMap<RequestId, Case>, Error> {
    fold_log_with(data_dir, |_| Ok(()))
}

/// [`fold_log`], showing every entry to `each` before folding it (what
/// `dsr evidence export` uses to collect the chain of line hashes and the
/// case's own entries in the same pass).
///
/// # Errors
/// As [`fold_log`], or the first error of `each`.
pub fn fold_log_with(
    data_dir: &Path,
    mut each: impl FnMut(&EntryRef<'_>) -> Result<(), Error>,
) -> Result<BTreeMap<RequestId, Case>, Error> {
    let mut cases: BTreeMap<RequestId, Case> = BTreeMap::new();
    let mut entries = crate::evidence::read_entries(data_dir)?;
    while let Some(entry) = entries.next_ref() {
        let entry = entry?;
        each(&entry)?;
        fold_one(&mut cases, entry)?;
    }
    Ok(cases)
}

/// Folds one entry into `cases`: for readers that go through the log
/// themselves and fold only the requests they need (`dsr evidence export`
/// folds one case, not every case).
///
/// # Errors
/// As [`fold_log`], for this entry.
pub fn fold_entry(cases: &mut BTreeMap<RequestId, Case>, e: EntryRef<'_>) -> Result<(), Error> {
    fold_one(cases, e)
}

fn fold_one(cases: &mut BTreeMap<RequestId, Case>, mut e: EntryRef<'_>) -> Result<(), Error> {
    let Some(request) = e.request.take() else { return Ok(()) };
    let (seq, time) = (e.seq, e.time);
    let event = Event::decode(&e)?;
    if let Some(Event::Prepared(p)) = event {
        return prepared(cases, request, seq, time, p);
    }
    let Some(case) = cases.get_mut(&request) else {
        // A purge outlives nothing it could be orphaned from: it may name a
        // request whose lines a newer dsr wrote.
        if LogEvent::parse(&e.event) == Some(LogEvent::Purged) {
            return Ok(());
        }
        return Err(Error::Orphan { seq, event: e.event.to_string(), request });
    };
    case.lines.push(seq);
    case.last_activity = time;
    // The log's own events and events of a newer dsr stay in the timeline
    // and change nothing else.
    let Some(event) = event else { return Ok(()) };
    let unknown = |name: Name| Error::BadEvent { seq, event: name.to_string(), message: "unknown message_id".into() };
    let name = event.name();
    match event {
        Event::Prepared(_) => unreachable!("prepared events are folded above"),
        Event::Sent(s) => {
            let m = case.message_mut(&s.message_id).ok_or_else(|| unknown(name))?;
            m.delivery = Delivery::Sent;
            m.sent_at = Some(time);
            m.reply = Some(s.summary());
            m.attempts = s.attempt;
        }
        Event::SendFailed(f) => {
            let m = case.message_mut(&f.message_id).ok_or_else(|| unknown(name))?;
            m.attempts = f.attempt;
            m.failure = Some(f.class);
            m.failed_code = f.code;
            m.failed_stage = Some(f.stage);
            m.delivery =
                if f.class == FailureClass::Unknown || !f.is_final { Delivery::Unknown } else { Delivery::Failed };
        }
        Event::Outboxed(o) => {
            let m = case.message_mut(&o.message_id).ok_or_else(|| unknown(name))?;
            m.delivery = Delivery::Outboxed;
            m.outbox_file = Some(o.file);
        }
        Event::RetryConfirmed(r) => {
            // Until the retry's outcome is logged, nobody knows.
            case.message_mut(&r.message_id).ok_or_else(|| unknown(name))?.delivery = Delivery::Unknown;
        }
        Event::ReplyReceived(mut r) => {
            r.objects.shrink_to_fit();
            if let Some(old) = r.amends {
                let corrected = case.replies.iter_mut().find(|p| p.seq == old && p.amended_by.is_none());
                corrected
                    .ok_or_else(|| Error::BadEvent {
                        seq,
                        event: name.to_string(),
                        message: format!("amends line {old}, which is not a current reply of this request"),
                    })?
                    .amended_by = Some(seq);
            }
            case.replies.push(Reply {
                amends: r.amends,
                amended_by: None,
                seq,
                recorded_at: time,
                outcome: r.outcome,
                message_id: r.message_id,
                date: r.date,
                extended_to: r.extended_to,
                objects: r.objects,
            });
        }
        Event::MessageReceived(m) => case.received.push(Received {
            seq,
            recorded_at: time,
            matched: m.matched,
            suggested: m.suggested,
            hash: m.objects.iter().find(|o| o.role == crate::case::event::role::REPLY).map(|o| o.sha256),
            message_id: m.message_id,
        }),
        // A line of no case; one naming a request changes nothing.
        Event::MailSynced(_) => {}
        Event::Closed(_) => case.closed_at = Some(time),
        Event::Dispatched(d) => {
            let tz = case.calendar.time_zone();
            let m = case.message_mut(&d.message_id).ok_or_else(|| unknown(name))?;
            let on = match (d.date, d.sent_at) {
                (Some(day), _) => day,
                (None, Some(at)) => at.with_timezone(&tz).date_naive(),
                (None, None) => {
                    return Err(Error::BadEvent {
                        seq,
                        event: name.to_string(),
                        message: "neither date nor sent_at".into(),
                    });
                }
            };
            m.delivery = Delivery::Dispatched;
            if d.via == Channel::Email {
                // The copy's Date is the sending time: from here on the
                // message counts as if a server had accepted it then.
                m.sent_at = d.sent_at;
            }
            m.dispatch = Some(Dispatch {
                seq,
                via: d.via,
                on,
                tracking: d.tracking,
                differences: d.differences,
                presumed_received_on: d.presumed_received_on,
                received_on: None,
            });
        }
        Event::ReceiptRecorded(r) => {
            let m = case.message_mut(&r.message_id).ok_or_else(|| unknown(name))?;
            let dispatch = m.dispatch.as_mut().ok_or_else(|| Error::BadEvent {
                seq,
                event: name.to_string(),
                message: "receipt of a message that was never dispatched".into(),
            })?;
            dispatch.received_on = Some(r.received_on);
        }
        Event::Delivered(r) | Event::Delayed(r) | Event::Bounced(r) => {
            let kind = match name {
                Name::Delivered => ReportKind::Delivered,
                Name::Delayed => ReportKind::Delayed,
                _ => ReportKind::Bounced,
            };
            let m = case.message_mut(&r.message_id).ok_or_else(|| unknown(name))?;
            let at = if kind == ReportKind::Delivered { r.delivered_at() } else { None };
            // A report without Arrival-Date or Last-Attempt-Date says the
            // server took the message, not when: the time stays unknown
            // (never the time the report was read), and the period keeps
            // counting from the relay's acceptance.
            if kind == ReportKind::Delivered && at.is_some() {
                m.delivered_at = at;
            }
            let status = (kind == ReportKind::Bounced)
                .then(|| {
                    r.recipients
                        .iter()
                        .find(|x| x.action == crate::mailbox::Action::Failed)
                        .or(r.recipients.first())
                        .map(|x| x.status.clone())
                })
                .flatten();
            m.reports.push(ReportSeen { seq, kind, at, sha256: r.report_sha256().copied(), status });
        }
        Event::Read(r) => {
            let m = case.message_mut(&r.message_id).ok_or_else(|| unknown(name))?;
            let sha256 = r.objects.iter().find(|o| o.role == super::event::role::REPORT).map(|o| o.sha256);
            m.reports.push(ReportSeen { seq, kind: ReportKind::Read, at: None, sha256, status: None });
        }
    }
    Ok(())
}

/// Folds a `prepared` event: a new case, or a follow-up of an existing one.
fn prepared(
    cases: &mut BTreeMap<RequestId, Case>,
    request: RequestId,
    seq: u64,
    time: DateTime<Utc>,
    p: Prepared,
) -> Result<(), Error> {
    let Prepared {
        kind,
        policy,
        company,
        lang,
        calendar,
        mut to,
        mut cc,
        message_id,
        stated_deadline,
        confirm_by,
        authority,
        batch_key,
        mut objects,
        route,
        readdresses,
        ..
    } = p;
    // Kept for every message of every case: no spare capacity (a vector
    // deserialized from bytes grows by doubling).
    to.shrink_to_fit();
    cc.shrink_to_fit();
    objects.shrink_to_fit();
    let msg = Message {
        seq,
        kind,
        message_id,
        prepared_at: time,
        delivery: Delivery::Unknown,
        sent_at: None,
        reply: None,
        failure: None,
        attempts: 0,
        outbox_file: None,
        authority,
        dispatch: None,
        delivered_at: None,
        reports: Vec::new(),
        failed_code: None,
        failed_stage: None,
        readdresses,
        prepared: Kept { lang, to, cc, confirm_by, stated_deadline, batch_key, objects, route },
    };
    match cases.get_mut(&request) {
        Some(c) => {
            // A readdressed letter takes the refused message's place: as
            // the original, the deadline then runs from its acceptance.
            if let Some(old) = msg.readdresses.as_ref().map(|r| r.message_id.clone()) {
                if c.original.message_id == old {
                    let refused = std::mem::replace(&mut c.original, msg);
                    c.superseded.push(refused);
                } else if let Some(at) = c.followups.iter().position(|m| m.message_id == old) {
                    let refused = c.followups.remove(at);
                    c.superseded.push(refused);
                    c.followups.push(msg);
                } else {
                    return Err(Error::BadEvent {
                        seq,
                        event: Name::Prepared.to_string(),
                        message: format!("readdresses <{old}>, which is not a current message of this request"),
                    });
                }
            } else {
                c.followups.push(msg);
            }
            c.lines.push(seq);
            c.last_activity = time;
        }
        None => {
            let case = Case {
                request: request.clone(),
                kind,
                policy,
                company,
                calendar,
                original: msg,
                followups: Vec::new(),
                superseded: Vec::new(),
                replies: Vec::new(),
                received: Vec::new(),
                closed_at: None,
                lines: vec![seq],
                last_activity: time,
            };
            cases.insert(request, case);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::event::{Name, Route};
    use crate::evidence::{Log, NewEvent, parse_time};
    use crate::lang::Lang;
    use serde_json::json;

    /// `Status::ALL` is written by hand: this match has no wildcard, so a
    /// new state does not compile until it has a place here, and then the
    /// test fails until `ALL` holds it at that place.
    #[test]
    fn all_holds_every_state_once_in_order() {
        let place = |s: Status| match s {
            Status::DeliveryUnknown => 0,
            Status::Outboxed => 1,
            Status::SendFailed => 2,
            Status::DeliveryFailed => 3,
            Status::Sent => 4,
            Status::Dispatched => 5,
            Status::Acknowledged => 6,
            Status::Extended => 7,
            Status::NeedsIdentity => 8,
            Status::Confirmed => 9,
            Status::Refused => 10,
            Status::Partial => 11,
            Status::Reminded => 12,
            Status::Complained => 13,
            Status::ToClassify => 14,
            Status::Closed => 15,
        };
        for (i, s) in Status::ALL.into_iter().enumerate() {
            assert_eq!(place(s), i, "{s:?}");
        }
        // As many as the arms above (a new arm is numbered next, and this
        // count goes up with it).
        assert_eq!(Status::ALL.len(), 16);
    }

    #[test]
    fn every_state_parses_from_its_shown_and_json_names() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.name()), Some(s));
            assert_eq!(Status::parse(&s.name().to_uppercase()), Some(s));
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(Status::parse(json.as_str().unwrap()), Some(s));
        }
        assert_eq!(Status::parse("to-classify"), Some(Status::ToClassify));
        assert_eq!(Status::parse("overdue"), None);
    }

    fn prepared(message_id: &str, calendar: CalendarCode) -> serde_json::Value {
        serde_json::to_value(Prepared {
            kind: LetterKind::Erasure,
            policy: "zendesk".parse().unwrap(),
            company: "Zendesk International Ltd.".into(),
            lang: Lang::En,
            calendar,
            to: vec!["privacy@zendesk.example".parse().unwrap()],
            cc: Vec::new(),
            message_id: message_id.parse().unwrap(),
            stated_deadline: None,
            confirm_by: None,
            confirmed: Vec::new(),
            in_reply_to: None,
            authority: None,
            route: Route::Smtp,
            batch_key: None,
            readdresses: None,
            objects: Vec::new(),
        })
        .unwrap()
    }

    fn append(log: &mut Log, time: &str, event: &str, request: &RequestId, data: serde_json::Value) {
        let time = parse_time(time).unwrap();
        log.append(NewEvent::new(time, event, Some(request.clone()), data)).unwrap();
    }

    #[test]
    fn fold_log_folds_cases() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::open(dir.path()).unwrap();
        let a: RequestId = "r_aaaaaaaaaaaaaaaa".parse().unwrap();
        let b: RequestId = "r_bbbbbbbbbbbbbbbb".parse().unwrap();
        append(&mut log, "2026-01-05T09:00:00Z", Name::Prepared.as_str(), &a, prepared("m1@x", CalendarCode::Ie));
        let sent = json!({"message_id": "m1@x", "attempt": 1, "server": "s:587", "tls": true, "code": 250,
            "reply": "2.0.0 Ok: queued as \"Qä\"", "recipients": ["privacy@zendesk.example"]});
        append(&mut log, "2026-01-05T09:00:01Z", Name::Sent.as_str(), &a, sent);
        append(&mut log, "2026-01-06T09:00:00Z", Name::Prepared.as_str(), &b, prepared("m2@x", CalendarCode::De));
        append(&mut log, "2026-01-06T09:00:01Z", Name::Closed.as_str(), &b, json!({"objects": []}));
        append(&mut log, "2026-01-07T09:00:00Z", "future_event", &b, json!({"x": 1.5}));
        let new = fold_log(dir.path()).unwrap();
        assert_eq!(new.len(), 2);
        assert_eq!(new[&a].original.delivery, Delivery::Sent);
        assert_eq!(new[&a].original.reply.as_deref(), Some("250 2.0.0 Ok: queued as \"Qä\""));
        assert!(new[&b].closed_at.is_some());
        assert_eq!(new[&b].status(), Status::Closed);
        // The unknown event is kept in the case's lines and changes nothing else.
        assert_eq!(new[&b].lines, [3, 4, 5]);
    }

    /// A reply's own Message-ID is the company's: whatever form an older
    /// dsr recorded (an address literal, no `@` at all), the line still
    /// folds and encodes again to the same data.
    #[test]
    fn replies_with_any_message_id_fold() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::open(dir.path()).unwrap();
        let a: RequestId = "r_aaaaaaaaaaaaaaaa".parse().unwrap();
        append(&mut log, "2026-01-05T09:00:00Z", Name::Prepared.as_str(), &a, prepared("m1@x", CalendarCode::Ie));
        for id in ["x@[1.2.3.4]", "no-at-sign"] {
            let data =
                json!({"outcome": "acknowledged", "message_id": id, "date": null, "extended_to": null, "objects": []});
            append(&mut log, "2026-01-06T09:00:00Z", Name::ReplyReceived.as_str(), &a, data);
        }
        let cases = fold_log(dir.path()).unwrap();
        let ids: Vec<_> = cases[&a].replies.iter().map(|r| r.message_id.clone()).collect();
        assert_eq!(ids, [Some("x@[1.2.3.4]".to_string()), Some("no-at-sign".to_string())]);
        let mut entries = crate::evidence::read_entries(dir.path()).unwrap();
        while let Some(e) = entries.next_ref() {
            let e = e.unwrap();
            if let Some(event) = Event::decode(&e).unwrap() {
                // `request_prev` is the log's link, not the event's.
                let mut data = e.to_entry().unwrap().data;
                data.as_object_mut().unwrap().remove(crate::evidence::REQUEST_PREV);
                assert_eq!(event.to_data(), data, "line {}", e.seq);
            }
        }
    }

    /// A letter posted by the user counts from the presumed receipt until a
    /// receipt day is recorded, then from that day; a copy sent from the
    /// user's own client counts from its Date, as an SMTP acceptance does.
    #[test]
    fn dispatched_messages_count_from_their_receipt() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::open(dir.path()).unwrap();
        let a: RequestId = "r_aaaaaaaaaaaaaaaa".parse().unwrap();
        let b: RequestId = "r_bbbbbbbbbbbbbbbb".parse().unwrap();
        let mut post = prepared("letter1@x", CalendarCode::De);
        post["route"] = json!("post");
        post["to"] = json!([]);
        append(&mut log, "2026-12-02T09:00:00Z", Name::Prepared.as_str(), &a, post);
        let outboxed = json!({"message_id": "letter1@x", "file": "outbox/x.pdf"});
        append(&mut log, "2026-12-02T09:00:00Z", Name::Outboxed.as_str(), &a, outboxed);
        let cases = fold_log(dir.path()).unwrap();
        assert_eq!((cases[&a].status(), cases[&a].due(&[]).unwrap()), (Status::Outboxed, None));

        let posted = json!({"message_id": "letter1@x", "via": "post", "date": "2026-12-03",
            "tracking": "RR123456789DE", "presumed_received_on": "2026-12-09", "presumed_days": 4, "objects": []});
        append(&mut log, "2026-12-03T18:00:00Z", Name::Dispatched.as_str(), &a, posted);
        let cases = fold_log(dir.path()).unwrap();
        let due = cases[&a].due(&[]).unwrap().unwrap();
        assert_eq!(cases[&a].status(), Status::Dispatched);
        assert_eq!(
            (due.date.to_string(), due.received_on.map(|d| d.to_string()), due.presumed),
            ("2027-01-11".into(), Some("2026-12-09".into()), true)
        );
        assert!(cases[&a].original.delivery.has_left() && cases[&a].original.delivery.retry_from().is_none());

        let received = json!({"message_id": "letter1@x", "via": "post", "received_on": "2026-12-07", "objects": []});
        append(&mut log, "2026-12-10T09:00:00Z", Name::ReceiptRecorded.as_str(), &a, received);
        let cases = fold_log(dir.path()).unwrap();
        let due = cases[&a].due(&[]).unwrap().unwrap();
        assert_eq!(
            (due.date.to_string(), due.later.to_string(), due.presumed),
            ("2027-01-07".into(), "2027-01-07".into(), false)
        );

        append(&mut log, "2026-12-10T09:00:00Z", Name::Prepared.as_str(), &b, prepared("m2@x", CalendarCode::Ie));
        append(
            &mut log,
            "2026-12-10T09:00:00Z",
            Name::Outboxed.as_str(),
            &b,
            json!({"message_id": "m2@x", "file": "o.eml"}),
        );
        let copy = json!({"message_id": "m2@x", "via": "email", "sent_at": "2026-12-10T20:00:00Z",
            "differences": ["body"], "objects": []});
        append(&mut log, "2026-12-11T09:00:00Z", Name::Dispatched.as_str(), &b, copy);
        let cases = fold_log(dir.path()).unwrap();
        let c = &cases[&b];
        assert_eq!(c.original.sent_at.unwrap().to_rfc3339(), "2026-12-10T20:00:00+00:00");
        let due = c.due(&[]).unwrap().unwrap();
        // Sent at 20:00 in Dublin: the later reading is the next working day.
        assert_eq!(
            (due.date.to_string(), due.later.to_string(), due.received_on),
            ("2027-01-11".into(), "2027-01-11".into(), None)
        );
        assert_eq!(c.original.dispatch.as_ref().unwrap().differences, [Difference::Body]);

        // Every line encodes again to its own data.
        let mut entries = crate::evidence::read_entries(dir.path()).unwrap();
        while let Some(e) = entries.next_ref() {
            let e = e.unwrap();
            if let Some(event) = Event::decode(&e).unwrap() {
                // `request_prev` is the log's link, not the event's.
                let mut data = e.to_entry().unwrap().data;
                data.as_object_mut().unwrap().remove(crate::evidence::REQUEST_PREV);
                assert_eq!(event.to_data(), data, "line {}", e.seq);
            }
        }
    }

    /// A letter readdressed after a 550 takes the refused message's place:
    /// the case's deadline runs from its acceptance; one that names no
    /// message of the case does not fold.
    #[test]
    fn a_readdressed_letter_replaces_the_refused_message() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = Log::open(dir.path()).unwrap();
        let a: RequestId = "r_aaaaaaaaaaaaaaaa".parse().unwrap();
        append(&mut log, "2026-12-01T09:00:00Z", Name::Prepared.as_str(), &a, prepared("m1@x", CalendarCode::Ie));
        let failed = json!({"message_id": "m1@x", "attempt": 1, "class": "permanent", "stage": "rcpt_to",
            "code": 550, "final": true, "objects": []});
        append(&mut log, "2026-12-01T09:00:01Z", Name::SendFailed.as_str(), &a, failed);
        let cases = fold_log(dir.path()).unwrap();
        let (m, r) = cases[&a].refused().unwrap();
        assert_eq!((m.message_id.as_str(), r.what()), ("m1@x", "550 at rcpt_to".to_string()));
        assert_eq!(r.reason(), "readdressed after 550 at rcpt_to for privacy@zendesk.example");

        let mut again = prepared("m2@x", CalendarCode::Ie);
        again["to"] = json!(["dpo@zendesk.example"]);
        again["in_reply_to"] = json!("m1@x");
        again["readdresses"] = json!({"message_id": "m1@x", "reason": r.reason()});
        append(&mut log, "2026-12-04T09:00:00Z", Name::Prepared.as_str(), &a, again);
        let sent = json!({"message_id": "m2@x", "attempt": 1, "server": "s:587", "tls": true, "code": 250,
            "recipients": ["dpo@zendesk.example"]});
        append(&mut log, "2026-12-04T09:00:01Z", Name::Sent.as_str(), &a, sent);
        let cases = fold_log(dir.path()).unwrap();
        let c = &cases[&a];
        assert_eq!((c.original.message_id.as_str(), c.status()), ("m2@x", Status::Sent));
        assert_eq!(c.superseded.len(), 1);
        assert!(c.refused().is_none());
        assert_eq!(c.refused_addresses().len(), 1);
        // One month from 4 December 2026 (Dublin): Monday 4 January 2027.
        assert_eq!(c.due(&[]).unwrap().unwrap().date.to_string(), "2027-01-04");

        // A 550 to MAIL FROM is the sender's own server refusing the
        // sender: not a refused address, so `--retry` stays the way out.
        let b: RequestId = "r_bbbbbbbbbbbbbbbb".parse().unwrap();
        append(&mut log, "2026-12-04T10:00:00Z", Name::Prepared.as_str(), &b, prepared("b1@x", CalendarCode::Ie));
        let failed = json!({"message_id": "b1@x", "attempt": 1, "class": "permanent", "stage": "mail_from",
            "code": 550, "final": true, "objects": []});
        append(&mut log, "2026-12-04T10:00:01Z", Name::SendFailed.as_str(), &b, failed);
        let cases = fold_log(dir.path()).unwrap();
        assert!(cases[&b].refused().is_none());
        assert_eq!(cases[&b].status(), Status::SendFailed);

        let mut orphan = prepared("m3@x", CalendarCode::Ie);
        orphan["readdresses"] = json!({"message_id": "nope@x", "reason": "r"});
        append(&mut log, "2026-12-05T09:00:00Z", Name::Prepared.as_str(), &a, orphan);
        let e = fold_log(dir.path()).unwrap_err().to_string();
        assert!(e.contains("readdresses <nope@x>, which is not a current message"), "{e}");
    }

    #[test]
    fn fold_log_reports_bad_data() {
        for (data, message) in [
            (json!({"message_id": "m1@x"}), "missing field `attempt`"),
            (json!({"message_id": "m1@x", "attempt": "1"}), "invalid type: string \"1\", expected u32"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let mut log = Log::open(dir.path()).unwrap();
            let a: RequestId = "r_aaaaaaaaaaaaaaaa".parse().unwrap();
            append(&mut log, "2026-01-05T09:00:00Z", Name::Prepared.as_str(), &a, prepared("m1@x", CalendarCode::Ie));
            append(&mut log, "2026-01-05T09:00:01Z", Name::Sent.as_str(), &a, data);
            let new = fold_log(dir.path()).unwrap_err().to_string();
            assert_eq!(new, format!("log line 2: 'sent' event has unexpected data: {message}"));
        }
    }
}
