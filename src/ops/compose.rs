//! From a validated [`Request`] to the letter and the identity record.
//!
//! This is where the input vocabulary (policy, subject, config) is mapped
//! onto the plain data the producers render: [`LetterContext`] for the
//! letter, [`IdentityInput`] for the identity-verification record. It also
//! decides the dates a letter states: the Art. 12(3) deadline for data-subject
//! rights (counted from today in the company's calendar: an email is received
//! the day it is sent) and the confirmation date of a processor deletion.

use crate::deadline::{self, Deadlines};
use crate::identity::{self, Basis, Binding, EvidenceFile, EvidenceRole, IdentityInput, IdentityRecord, MandateRef};
use crate::kind::LetterKind;
use crate::letter::context::{
    Access, Capacity as LetterCapacity, DataSubject, Erasure, Identifier, LetterContext, Mandate, ProcessorDeletion,
    Recipient, Sender as LetterSender,
};
use crate::letter::{Letter, Renderer};
use crate::request::Request;
use crate::subject::Capacity;
use crate::{Error, mail};
use chrono::{DateTime, NaiveDate, Utc};

/// Everything rendered for one request, before it becomes a message.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The letter (subject line and body).
    pub letter: Letter,
    /// What the letter was rendered from (stored, so that reminders and
    /// complaints can be written months later from the log alone).
    pub context: LetterContext,
    /// The identity record.
    pub identity: IdentityRecord,
    /// Its text rendering.
    pub identity_txt: String,
    /// Its JSON rendering.
    pub identity_json: Vec<u8>,
    /// The Art. 12(3) deadlines the letter states (data-subject rights).
    pub deadlines: Option<Deadlines>,
    /// The confirmation date a processor-deletion letter sets.
    pub confirm_by: Option<NaiveDate>,
    /// The letter's date.
    pub date: NaiveDate,
    /// Warnings for the user (e.g. an ID document among the evidence).
    pub warnings: Vec<String>,
    /// A letter for post: the day of receipt its deadline is counted from,
    /// presumed from today's posting (`[post] presumed_delivery_days`).
    pub presumed_receipt: Option<NaiveDate>,
}

impl Composed {
    /// The date the company should answer by: the Art. 12(3) deadline or
    /// the processor-deletion confirmation date.
    pub fn due(&self) -> Option<NaiveDate> {
        self.deadlines.as_ref().map(|d| d.deadline).or(self.confirm_by)
    }
}

/// Renders the letter and the identity record for `req` as of `now`.
/// `request_id` goes into the identity record (none for a preview);
/// `nonce` makes the record's hash a hiding commitment.
///
/// # Errors
/// A template error, or a date out of range.
pub fn compose(
    req: &Request,
    renderer: &Renderer,
    now: DateTime<Utc>,
    request_id: Option<&str>,
    nonce: [u8; 32],
) -> Result<Composed, Error> {
    let today = now.with_timezone(&req.calendar.time_zone()).date_naive();
    let date = match req.sender.calendar {
        Some(c) => now.with_timezone(&c.time_zone()).date_naive(),
        None => today,
    };
    // An email is received the day it is sent; a letter for post some
    // working days after it is posted (presumed; the case's deadline moves
    // to the recorded day of receipt later).
    let presumed_receipt = match req.channel {
        crate::channel::Channel::Post => {
            Some(super::dispatched::presume_receipt(today, req.post_days, req.calendar, &req.extra_days)?)
        }
        crate::channel::Channel::Email | crate::channel::Channel::Webform => None,
    };
    let received = presumed_receipt.unwrap_or(today);
    let deadlines = if req.kind.is_data_subject_right() {
        Some(deadline::compute(received, req.calendar, &req.extra_days)?)
    } else {
        None
    };
    let confirm_by = match (req.kind, req.confirm_by) {
        (LetterKind::ProcessorDeletion, Some(d)) => Some(d),
        (LetterKind::ProcessorDeletion, None) => {
            Some(deadline::add_months_rolled(today, 1, req.calendar, &req.extra_days)?)
        }
        _ => None,
    };

    let identity = IdentityRecord::build(identity_input(req, request_id), nonce);
    let identity_txt = identity.render_text(renderer)?;
    let identity_json = identity.to_json_bytes();
    let warnings = identity.warnings().to_vec();

    let ctx = letter_context(req, &identity, date, deadlines.as_ref(), confirm_by);
    let letter = renderer.render(&ctx)?;
    Ok(Composed {
        letter,
        context: ctx,
        identity,
        identity_txt,
        identity_json,
        deadlines,
        confirm_by,
        date,
        warnings,
        presumed_receipt,
    })
}

/// The attachments of the message, in order: the identity record (text,
/// JSON), the mandate, verification evidence, the user's attachments.
pub fn attachments(req: &Request, composed: &Composed) -> Vec<mail::message::Attachment> {
    let mut out = vec![
        mail::message::Attachment {
            filename: identity::TXT_NAME.into(),
            content_type: "text/plain; charset=utf-8".into(),
            bytes: composed.identity_txt.as_bytes().to_vec(),
        },
        mail::message::Attachment {
            filename: identity::JSON_NAME.into(),
            content_type: "application/json".into(),
            bytes: composed.identity_json.clone(),
        },
    ];
    for f in req.mandate.iter().chain(&req.evidence).chain(&req.attachments) {
        out.push(mail::message::Attachment {
            filename: f.name.clone(),
            content_type: content_type(&f.name).into(),
            bytes: f.bytes.clone(),
        });
    }
    out
}

/// A MIME type by file extension; `application/octet-stream` otherwise
/// (also for `.eml`: message/rfc822 may not be base64-encoded).
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn letter_capacity(c: Capacity) -> LetterCapacity {
    match c {
        Capacity::DataSubject => LetterCapacity::DataSubject,
        Capacity::Representative => LetterCapacity::Representative,
        Capacity::Controller => LetterCapacity::ControllerToProcessor,
    }
}

/// The identity record's input: plain data from the request, which was
/// validated whole (the method was parsed when the subject was loaded), so
/// nothing here can fail.
fn identity_input(req: &Request, request_id: Option<&str>) -> IdentityInput {
    let s = &req.subject;
    let verification = &s.verification;
    let required: Vec<&str> = req.policy.identity.required_for(req.kind);
    let alternatives: Vec<&str> = req.policy.identity.one_of.iter().flatten().map(String::as_str).collect();
    let disclosed = s.disclosed(&req.policy, req.kind, req.lang);
    let account_binding = disclosed
        .iter()
        .map(|d| Binding {
            key: d.key.clone(),
            label: d.label.clone(),
            value: d.value.clone(),
            sent_from: matches!(d.key.as_str(), "email" | "account_email") && req.sender.email == d.value.as_str(),
            basis: if required.contains(&d.key.as_str()) || alternatives.contains(&d.key.as_str()) {
                Basis::Policy
            } else {
                Basis::User
            },
        })
        .collect();
    let name_required = required.contains(&"name");
    let mandate =
        req.mandate.as_ref().zip(s.mandate.as_ref()).map(|(f, m)| MandateRef { dated: m.dated, sha256: f.sha256 });
    let (requester_name, on_behalf_of) = match s.capacity {
        Capacity::DataSubject => (name_required.then(|| req.sender.name.clone()), None),
        Capacity::Representative => (
            Some(req.sender.name.clone()),
            Some(identity::OnBehalfOf {
                organisation: req.sender.organisation.clone(),
                data_subject: s.name.clone(),
                mandate,
            }),
        ),
        Capacity::Controller => (
            Some(req.sender.name.clone()),
            Some(identity::OnBehalfOf {
                organisation: s.organisation.as_ref().map(|o| o.name.clone()),
                data_subject: None,
                mandate: None,
            }),
        ),
    };
    IdentityInput {
        lang: req.lang,
        request_id: request_id.map(String::from),
        requester: identity::Requester {
            capacity: letter_capacity(s.capacity),
            name: requester_name,
            contact_email: req.sender.email.clone(),
        },
        on_behalf_of,
        account_binding,
        method: verification.method,
        performed_by: verification.verified_by.clone(),
        date: verification.date,
        evidence: req
            .evidence
            .iter()
            .map(|f| EvidenceFile {
                role: EvidenceRole::Other,
                filename: f.name.clone(),
                sha256: f.sha256,
                size: f.bytes.len() as u64,
            })
            .collect(),
        not_provided: Vec::new(),
    }
}

fn letter_context(
    req: &Request,
    identity: &IdentityRecord,
    date: NaiveDate,
    deadlines: Option<&Deadlines>,
    confirm_by: Option<NaiveDate>,
) -> LetterContext {
    let s = &req.subject;
    let lang = req.lang;
    let mut sender = LetterSender {
        name: req.sender.name.clone(),
        organisation: req.sender.organisation.clone(),
        role: req.sender.role.clone(),
        address: req.sender.address.clone(),
        email: req.sender.email.clone(),
    };
    if let (Capacity::Controller, Some(org)) = (s.capacity, &s.organisation) {
        sender.organisation = Some(org.name.clone());
        if !org.address.is_empty() {
            sender.address = org.address.clone();
        }
    }
    let data_subject = match s.capacity {
        Capacity::Representative => Some(DataSubject {
            name: s.name.clone(),
            email: s.email.clone(),
            mandate: req.mandate.as_ref().zip(s.mandate.as_ref()).map(|(f, m)| Mandate {
                dated: m.dated,
                filename: f.name.clone(),
                sha256: f.sha256,
            }),
        }),
        _ => None,
    };
    // A processor-deletion letter names the account in its own block
    // (contract, customer number, subdomain) and the controller as sender:
    // list only the other identifiers, so none appears twice.
    let in_own_block = |key: &str| {
        req.kind == LetterKind::ProcessorDeletion
            && matches!(key, "name" | "account_subdomain" | "customer_number" | "account_id")
    };
    let identifiers = s
        .disclosed(&req.policy, req.kind, lang)
        .into_iter()
        .filter(|d| !in_own_block(&d.key))
        .map(|d| Identifier { key: d.key, label: d.label, value: d.value })
        .collect();
    let account = s.account.clone().unwrap_or_default();
    let mut attachments = vec![identity::TXT_NAME.to_string(), identity::JSON_NAME.to_string()];
    attachments.extend(req.mandate.iter().chain(&req.evidence).chain(&req.attachments).map(|f| f.name.clone()));
    LetterContext {
        kind: req.kind,
        lang,
        date,
        sender,
        recipient: Recipient {
            name: req.policy.entity.legal_name.clone(),
            address: req.policy.entity.address.clone(),
            email: req.to.first().cloned(),
        },
        capacity: letter_capacity(s.capacity),
        data_subject,
        identifiers,
        erasure: (req.kind == LetterKind::Erasure).then(|| Erasure {
            grounds: req.grounds.clone(),
            deadline: deadlines.map_or(date, |d| d.deadline),
            ask_recipients: true,
            made_public: false,
        }),
        access: (req.kind == LetterKind::Access).then(|| Access { deadline: deadlines.map_or(date, |d| d.deadline) }),
        processor_deletion: (req.kind == LetterKind::ProcessorDeletion).then(|| ProcessorDeletion {
            contract: account.contract.clone(),
            account: s.identifier("customer_number").or_else(|| s.identifier("account_id")).map(String::from),
            subdomain: s.identifier("account_subdomain").map(String::from),
            cancellation_date: account.cancelled,
            connected_apps: account.connected_apps.clone(),
            confirm_by: confirm_by.unwrap_or(date),
        }),
        reminder: None,
        complaint: None,
        identity_record: Some(identity.file_ref()),
        confirmed_preconditions: req
            .policy
            .preconditions
            .iter()
            .filter(|p| req.confirmed.contains(&p.id))
            .filter_map(|p| p.text(lang).map(String::from))
            .collect(),
        policy_notes: Vec::new(),
        attachments,
    }
}
