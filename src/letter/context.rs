//! The plain data a letter is rendered from.
//!
//! [`LetterContext`] is what the templates see (serialized to JSON, plus a
//! few derived flags, see [`super::Renderer::render`]). It holds no policy
//! or subject types: the request layer maps policy + subject + config into
//! it, so that the letter module depends on nothing above it. Every field
//! is documented for template authors in `docs/templates.md`.
//!
//! Options serialize as `null` and lists as `[]`, never omitted, so that a
//! template's `{{#if x}}` can tell "absent" from "misspelt" (dsr's `if`
//! helper fails on a path that does not exist at all).

use crate::address::EmailAddress;
pub use crate::lang::Gender;
use crate::lang::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::kind::{ErasureGround, LetterKind, UnknownKind};

/// In what capacity the sender writes (LEGAL.md §1, "who may ask for what").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// The sender is the data subject (Arts. 15-22 GDPR).
    DataSubject,
    /// The sender represents a data subject under a mandate.
    Representative,
    /// The sender writes for a controller to its processor (Art. 28 GDPR).
    ControllerToProcessor,
}

impl Capacity {
    /// The snake_case name, as in the JSON record and the templates.
    pub fn name(self) -> &'static str {
        match self {
            Capacity::DataSubject => "data_subject",
            Capacity::Representative => "representative",
            Capacity::ControllerToProcessor => "controller_to_processor",
        }
    }
}

/// The sender, who signs the letter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// Name of the person who signs.
    pub name: String,
    /// The organisation the sender acts for, if any (for processor
    /// deletion: the controller).
    pub organisation: Option<String>,
    /// The signer's role, e.g. "Data Protection Officer".
    pub role: Option<String>,
    /// Postal address, one line per entry (may be empty).
    pub address: Vec<String>,
    /// The address the letter is sent from.
    pub email: EmailAddress,
}

/// The addressee: a legal entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// Legal name, e.g. "Zendesk International Ltd.".
    pub name: String,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
    /// The address the letter goes to.
    pub email: Option<EmailAddress>,
}

/// A legal entity named in a letter other than the addressee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Legal name.
    pub name: String,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
    /// Email address, if known.
    pub email: Option<EmailAddress>,
}

/// Whom the data is about, when that is not the sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSubject {
    /// The data subject's name.
    pub name: Option<String>,
    /// The data subject's email address (usually the account's).
    pub email: Option<EmailAddress>,
    /// The mandate under which the sender represents them.
    pub mandate: Option<Mandate>,
    /// Their postal address, from the subject file (a complaint names the
    /// complainant's address, Art. 77(1) GDPR). Absent in letters written
    /// before dsr recorded it.
    #[serde(default)]
    pub address: Vec<String>,
}

/// A signed mandate (power of attorney), attached to the letter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mandate {
    /// The date it was signed.
    pub dated: NaiveDate,
    /// The attached file's name.
    pub filename: String,
    /// SHA-256 of the attached file.
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
}

/// An identifier that ties the request to an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// Stable key, e.g. `account_email` (as in the policy).
    pub key: String,
    /// Label in the letter's language, e.g. "Konto-E-Mail-Adresse".
    pub label: String,
    /// The value.
    pub value: String,
}

/// The `erasure` kind's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    /// Grounds under Art. 17(1); empty means [`ErasureGround::DEFAULT`].
    pub grounds: Vec<ErasureGround>,
    /// The Art. 12(3) deadline (computed by the caller).
    pub deadline: NaiveDate,
    /// Ask to be told the recipients (Art. 19, second sentence).
    pub ask_recipients: bool,
    /// The controller made the data public (adds the Art. 17(2) paragraph).
    pub made_public: bool,
    /// Ground (c) under Art. 21(1): the data subject's particular
    /// situation, in their words.
    #[serde(default)]
    pub situation: Option<String>,
    /// Ground (c) under Art. 21(2): an objection to direct marketing.
    #[serde(default)]
    pub direct_marketing: bool,
    /// The request is limited to these data or services (empty: all).
    #[serde(default)]
    pub only: Vec<String>,
}

/// The Art. 12(3) period a request under Arts. 15-22 states: the day it
/// reaches the company (an email is received the day it is sent) and the
/// deadline counted from it (Reg. 1182/71 Art. 3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The day of receipt, in the company's calendar.
    pub received: NaiveDate,
    /// The one-month deadline.
    pub deadline: NaiveDate,
}

/// The `access` kind's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// The Art. 12(3) deadline (computed by the caller).
    pub deadline: NaiveDate,
}

/// The `rectification` kind's data (Art. 16 GDPR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    /// Inaccurate data and what is right, in the data subject's words.
    pub corrections: Vec<String>,
    /// Incomplete data and what completes them (Art. 16, second sentence).
    pub completions: Vec<String>,
}

/// The `objection` kind's data (Art. 21 GDPR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    /// Art. 21(1): the grounds relating to the particular situation.
    pub situation: Option<String>,
    /// Art. 21(2): an objection to direct marketing (absolute, 21(3)).
    pub direct_marketing: bool,
    /// The processing objected to, when not all of it.
    pub only: Vec<String>,
}

/// The `restriction` kind's data (Art. 18(1) GDPR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restriction {
    /// Grounds under Art. 18(1)(a)-(d).
    pub grounds: Vec<ErasureGround>,
    /// Ground (a): the data whose accuracy is contested, and why.
    pub contested: Vec<String>,
    /// Ground (d): the particular situation of the pending objection.
    pub situation: Option<String>,
    /// The data the restriction covers, when not all.
    pub only: Vec<String>,
}

/// The `portability` kind's data (Art. 20 GDPR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portability {
    /// Art. 20(2): the controller the data go to directly, where
    /// technically feasible (name and address, as the user wrote it).
    pub transmit_to: Option<String>,
    /// The data asked for, when not all.
    pub only: Vec<String>,
}

/// The `processor-deletion` kind's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessorDeletion {
    /// Contract or data processing agreement reference.
    pub contract: Option<String>,
    /// Account or customer number.
    pub account: Option<String>,
    /// Subdomain or instance, e.g. `acme.zendesk.com`.
    pub subdomain: Option<String>,
    /// Date the services were cancelled or end.
    pub cancellation_date: Option<NaiveDate>,
    /// Connected apps and integrations the controller knows of.
    pub connected_apps: Vec<String>,
    /// The date the sender sets for the written confirmation (contractual,
    /// not Art. 12(3)).
    pub confirm_by: NaiveDate,
    /// The day the company's own documented deletion starts (the policy's
    /// `deletion_starts_after_days` after cancellation), if known.
    #[serde(default)]
    pub deletion_starts: Option<NaiveDate>,
    /// When the documented deletion starts after `confirm_by` would
    /// otherwise fall: the date by which the deletion schedule is asked.
    #[serde(default)]
    pub schedule_by: Option<NaiveDate>,
    /// The data processing agreement as the policy names it, in the
    /// letter's language.
    #[serde(default)]
    pub agreement: Option<String>,
}

/// The `reminder` kind's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// Kind of the original request (`erasure`, `access` or
    /// `processor-deletion`).
    pub original_kind: LetterKind,
    /// Date the original was sent.
    pub original_date: NaiveDate,
    /// The original's Message-ID, with angle brackets.
    pub original_message_id: String,
    /// The original's subject line.
    pub original_subject: String,
    /// The deadline that applies to the original: the Art. 12(3) deadline
    /// (the extended one after a recorded extension), or the confirmation
    /// date a processor-deletion letter set.
    pub original_deadline: NaiveDate,
    /// The new, short date. After the deadline: a further period that does
    /// not extend the legal one. While the period still runs (a reminder
    /// sent with `--force`): the date by which a status report is asked.
    pub new_deadline: NaiveDate,
    /// True when `original_deadline` has not passed on the reminder's date.
    #[serde(default)]
    pub period_running: bool,
    /// What the company did so far, as recorded with `dsr reply`.
    #[serde(default)]
    pub conduct: Conduct,
}

/// What the company did after the request, as recorded with `dsr reply`:
/// every statement a reminder or complaint makes about the company's
/// behaviour is derived from this (and nothing else).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Conduct {
    /// The first acknowledgement of receipt.
    pub acknowledged: Option<NaiveDate>,
    /// The latest extension notice.
    pub extension: Option<Extension>,
    /// The latest demand for (further) proof of identity.
    pub identity_demand: Option<NaiveDate>,
    /// The latest partial answer.
    pub partial: Option<NaiveDate>,
    /// The refusal.
    pub refusal: Option<NaiveDate>,
    /// The user's note on the refusal (`dsr reply --note`): the reasons
    /// the company gave, in the user's words.
    pub refusal_note: Option<String>,
    /// The user's note on the latest partial answer: what is still missing.
    pub partial_note: Option<String>,
    /// The confirmation (erasure done, access given).
    pub confirmed: Option<NaiveDate>,
    /// True when any reply was recorded.
    pub any: bool,
}

/// An extension of the period announced by the company (Art. 12(3),
/// second and third sentences, GDPR).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// When the notice arrived.
    pub date: NaiveDate,
    /// The extended deadline (three months from receipt).
    pub until: NaiveDate,
    /// True when the notice arrived after the first month had ended.
    pub late: bool,
}

/// A message's acceptance by the sender's mail server, as the evidence
/// log records it (`sent`): proof of sending, not of receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRecord {
    /// True for a reminder, false for the request.
    pub reminder: bool,
    /// When the server accepted it (UTC, `YYYY-MM-DD HH:MM:SS`).
    pub at: String,
    /// The server's reply, e.g. `250 2.0.0 Ok: queued as 4F2A`.
    pub reply: String,
    /// When a delivery status notification says the company's server took
    /// it (UTC, `YYYY-MM-DD HH:MM:SS`): evidence of receipt. Written as
    /// `null` when there is none (templates are strict about variables).
    #[serde(default)]
    pub delivered: Option<String>,
}

/// What went wrong, as the complaint states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// No answer by the deadline.
    NoReply,
    /// The request was refused.
    Refused,
    /// The answer was incomplete.
    Incomplete,
    /// The period was extended without reasons or too late.
    ExtendedWithoutReasons,
    /// An identity document or other excessive identification was demanded.
    ExcessiveIdentification,
    /// A fee was demanded.
    FeeDemanded,
}

impl Failure {
    /// All values, in a stable order.
    pub const ALL: [Failure; 6] = [
        Failure::NoReply,
        Failure::Refused,
        Failure::Incomplete,
        Failure::ExtendedWithoutReasons,
        Failure::ExcessiveIdentification,
        Failure::FeeDemanded,
    ];

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Failure::NoReply => "no_reply",
            Failure::Refused => "refused",
            Failure::Incomplete => "incomplete",
            Failure::ExtendedWithoutReasons => "extended_without_reasons",
            Failure::ExcessiveIdentification => "excessive_identification",
            Failure::FeeDemanded => "fee_demanded",
        }
    }
}

/// A message sent earlier, named by date and Message-ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    /// Date sent.
    pub date: NaiveDate,
    /// Message-ID with angle brackets.
    pub message_id: String,
}

/// A reply received from the controller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplySummary {
    /// Date received.
    pub date: NaiveDate,
    /// A one-line summary, in the letter's language.
    pub summary: String,
}

/// A file attached to a complaint as evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// File name as attached.
    pub filename: String,
    /// What it is, in the letter's language.
    pub description: String,
    /// SHA-256 of the file.
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
}

/// The `complaint` kind's data. The supervisory authority is the
/// letter's [`Recipient`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    /// The controller complained about.
    pub controller: Party,
    /// Kind of the original request (`erasure` or `access`).
    pub request_kind: LetterKind,
    /// The original request.
    pub request: SentMessage,
    /// The Art. 12(3) deadline that applied.
    pub deadline: NaiveDate,
    /// A reminder sent after the deadline, if any.
    pub reminder: Option<SentMessage>,
    /// What went wrong.
    pub what_went_wrong: Failure,
    /// The user's own words on what went wrong, in the letter's language.
    pub details: Option<String>,
    /// Replies received, oldest first.
    pub replies: Vec<ReplySummary>,
    /// Attached evidence.
    pub evidence: Vec<EvidenceItem>,
    /// What the company did, as recorded with `dsr reply`.
    #[serde(default)]
    pub conduct: Conduct,
    /// True when `deadline` has not passed on the complaint's date (a
    /// complaint about a refusal or an identity demand within the period).
    #[serde(default)]
    pub period_running: bool,
    /// The complainant's postal address (Art. 77(1) GDPR: the authority of
    /// the habitual residence is competent); may be empty when
    /// `residence` is given.
    #[serde(default)]
    pub complainant_address: Vec<String>,
    /// The complainant's habitual residence, when given instead of or
    /// beside the address (`dsr complain --residence`).
    #[serde(default)]
    pub residence: Option<String>,
    /// The sender's mail server's acceptance of each message sent.
    #[serde(default)]
    pub delivery: Vec<DeliveryRecord>,
}

/// Names of the identity-verification attachments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityRecordRef {
    /// Text version, e.g. `identity-verification.txt`.
    pub txt_name: String,
    /// JSON version, e.g. `identity-verification.json`.
    pub json_name: String,
    /// The user chose to include an identity document among the evidence.
    pub id_document_included: bool,
}

/// Everything a letter is rendered from. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterContext {
    /// Which letter.
    pub kind: LetterKind,
    /// Its language.
    pub lang: Lang,
    /// The letter's date.
    pub date: NaiveDate,
    /// Who signs.
    pub sender: Sender,
    /// To whom.
    pub recipient: Recipient,
    /// In what capacity the sender writes.
    pub capacity: Capacity,
    /// Whom the data is about, when the sender represents them.
    pub data_subject: Option<DataSubject>,
    /// What ties the request to the account (only what the policy requires
    /// plus what the user added).
    pub identifiers: Vec<Identifier>,
    /// Data for `erasure`.
    pub erasure: Option<Erasure>,
    /// Data for `access`.
    pub access: Option<Access>,
    /// Data for `processor-deletion`.
    pub processor_deletion: Option<ProcessorDeletion>,
    /// Data for `rectification`.
    #[serde(default)]
    pub rectification: Option<Rectification>,
    /// Data for `objection`.
    #[serde(default)]
    pub objection: Option<Objection>,
    /// Data for `restriction`.
    #[serde(default)]
    pub restriction: Option<Restriction>,
    /// Data for `portability`.
    #[serde(default)]
    pub portability: Option<Portability>,
    /// Data for `reminder`.
    pub reminder: Option<Reminder>,
    /// Data for `complaint`.
    pub complaint: Option<Complaint>,
    /// The attached identity record, if any.
    pub identity_record: Option<IdentityRecordRef>,
    /// Preconditions the sender confirmed, in the letter's language.
    pub confirmed_preconditions: Vec<String>,
    /// Notes from the policy, in the letter's language.
    pub policy_notes: Vec<String>,
    /// File names of everything attached to the mail (identity record,
    /// mandate, evidence), listed under the signature.
    pub attachments: Vec<String>,
    /// The data subject's grammatical gender for German wording, if the
    /// subject file gives it (`gender`).
    #[serde(default)]
    pub gender: Option<Gender>,
    /// The services and brands the company runs (the policy's `runs`):
    /// the request covers all of them.
    #[serde(default)]
    pub services: Vec<String>,
    /// File names of the identity documents attached (only when the
    /// policy requires one and the user confirmed a redacted copy).
    #[serde(default)]
    pub id_documents: Vec<String>,
    /// The Art. 12(3) period, for requests under Arts. 15-22.
    #[serde(default)]
    pub period: Option<Period>,
}

/// Serde for a SHA-256 as 64 lowercase hex digits.
pub(crate) mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    /// Lowercase hex of 32 bytes.
    pub(crate) fn encode(bytes: &[u8; 32]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = String::deserialize(d)?;
        let mut out = [0u8; 32];
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(D::Error::custom("expected 64 hex digits"));
        }
        for (i, chunk) in s.as_bytes().chunks(2).enumerate() {
            let pair = std::str::from_utf8(chunk).map_err(D::Error::custom)?;
            out[i] = u8::from_str_radix(pair, 16).map_err(D::Error::custom)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse() {
        assert_eq!("processor-deletion".parse::<LetterKind>(), Ok(LetterKind::ProcessorDeletion));
        assert_eq!("Processor_Deletion".parse::<LetterKind>(), Ok(LetterKind::ProcessorDeletion));
        assert_eq!(
            "objekt".parse::<LetterKind>().unwrap_err().to_string(),
            "unknown letter kind 'objekt', expected one of: erasure, processor-deletion, access, rectification, \
             objection, restriction, portability, reminder, complaint"
        );
        for k in LetterKind::ALL {
            assert_eq!(k.name().parse::<LetterKind>(), Ok(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.name());
        }
    }

    #[test]
    fn hex_round_trip() {
        let mut b = [0u8; 32];
        b[0] = 0xab;
        b[31] = 0x01;
        let m = Mandate { dated: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(), filename: "m.pdf".into(), sha256: b };
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
        assert!(v["sha256"].as_str().unwrap().starts_with("ab00"));
        assert_eq!(serde_json::from_value::<Mandate>(v).unwrap(), m);
    }
}
