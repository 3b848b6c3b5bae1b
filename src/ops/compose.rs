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
    Access, Capacity as LetterCapacity, DataSubject, Erasure, Identifier, LetterContext, Mandate, Objection, Period,
    Portability, ProcessorDeletion, Recipient, Rectification, Restriction, Sender as LetterSender,
};
use crate::letter::{Letter, Renderer};
use crate::policy::identifier::Method;
use crate::request::Request;
use crate::subject::{Capacity, Subject};
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
    let dates = if req.kind == LetterKind::ProcessorDeletion { Some(processor_dates(req, today)?) } else { None };
    let confirm_by = dates.as_ref().map(|d| d.confirm_by);

    let identity = IdentityRecord::build(identity_input(req, request_id), nonce);
    let identity_txt = identity.render_text(renderer)?;
    let identity_json = identity.to_json_bytes();
    let mut warnings = identity.warnings().to_vec();
    warnings.extend(calendar_warning(req));

    let ctx = letter_context(req, &identity, date, deadlines.as_ref(), dates.as_ref());
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

/// A warning when the deadline's calendar may miss a holiday of the seat:
/// `DE-BY` for a Bavarian address whose municipality dsr does not know
/// (issue 16, point 13). Assumption Day (15 August) is a public holiday in
/// the Bavarian municipalities with a predominantly Catholic population, so
/// a deadline counted with `DE-BY` can be a day early there.
pub fn calendar_warning(req: &Request) -> Option<String> {
    if req.calendar != deadline::CalendarCode::DeBy
        || crate::policy::import::bavarian_assumption_day(&req.policy.entity.address) == Some(false)
    {
        return None;
    }
    let unknown = crate::t!("ops.compose.address-unknown");
    Some(crate::t!(
        "ops.compose.calendar-de-by",
        company = req.policy.name,
        town = req.policy.entity.address.iter().rev().nth(1).map_or(unknown.as_str(), String::as_str)
    ))
}

/// The dates a processor-deletion letter sets (contractual, not Art. 12(3)).
#[derive(Debug, Clone, Copy)]
struct ProcessorDates {
    confirm_by: NaiveDate,
    deletion_starts: Option<NaiveDate>,
    schedule_by: Option<NaiveDate>,
}

/// The confirmation date of a processor deletion: `--confirm-by` (never in
/// the past, moved off weekends and holidays, never before the company's
/// documented deletion starts), else one month from today; when the
/// company's documented deletion starts later, one month after that start,
/// with the deletion schedule asked for within the month.
///
/// # Errors
/// `--confirm-by` today or earlier, or before the documented start; a date
/// out of range.
fn processor_dates(req: &Request, today: NaiveDate) -> Result<ProcessorDates, Error> {
    let (cal, extra) = (req.calendar, &req.extra_days);
    let month = deadline::add_months_rolled(today, 1, cal, extra)?;
    let cancelled = req.subject.account.as_ref().and_then(|a| a.cancelled).unwrap_or(today);
    let deletion_starts = req
        .policy
        .processor
        .deletion_starts_after_days
        .map(|days| cancelled.checked_add_days(chrono::Days::new(u64::from(days))).unwrap_or(cancelled));
    let after_start = deletion_starts.filter(|s| *s >= month);
    let confirm_by = match req.confirm_by {
        Some(d) if d <= today => {
            return Err(Error::usage(
                crate::t!("ops.compose.confirm-by-past", date = d, today = today),
                crate::t!("ops.compose.confirm-by-past-hint"),
            ));
        }
        Some(d) => {
            let rolled = deadline::roll_forward(d, cal, extra)?.date;
            if let Some(start) = deletion_starts.filter(|s| rolled < *s) {
                return Err(Error::usage(
                    crate::t!(
                        "ops.compose.confirm-by-before-start",
                        date = d,
                        company = req.policy.name,
                        start = start,
                        policy = req.policy.id
                    ),
                    crate::t!("ops.compose.confirm-by-before-start-hint"),
                ));
            }
            rolled
        }
        None => match after_start {
            Some(start) => deadline::add_months_rolled(start, 1, cal, extra)?,
            None => month,
        },
    };
    let schedule_by = after_start.map(|_| month).filter(|m| *m < confirm_by);
    Ok(ProcessorDates { confirm_by, deletion_starts, schedule_by })
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
    let fallback = Subject::uses_fallback(&req.policy, req.kind);
    let account_binding = disclosed
        .iter()
        .map(|d| Binding {
            key: d.key.clone(),
            label: d.label.clone(),
            value: d.value.clone(),
            sent_from: matches!(d.key.as_str(), "email" | "account_email") && req.sender.email == d.value.as_str(),
            basis: if required.contains(&d.key.as_str()) || alternatives.contains(&d.key.as_str()) {
                Basis::Policy
            } else if s.share.contains(&d.key) {
                Basis::User
            } else if fallback {
                Basis::Fallback
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
                // The signer's authority to act for the controller, if attached.
                mandate,
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
        // Without an identifier to name an account, "the address registered
        // for the account" would be untrue: the request comes from the
        // contact address the record lists.
        method: match verification.method {
            Method::SentFromAccountEmail if fallback => Method::SentFromContactEmail,
            m => m,
        },
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
        id_documents: req.id_documents.clone(),
    }
}

fn letter_context(
    req: &Request,
    identity: &IdentityRecord,
    date: NaiveDate,
    deadlines: Option<&Deadlines>,
    dates: Option<&ProcessorDates>,
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
            address: s.address.clone(),
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
            made_public: req.made_public,
            situation: req.situation.clone(),
            direct_marketing: req.direct_marketing,
            only: req.only.clone(),
        }),
        access: (req.kind == LetterKind::Access).then(|| Access { deadline: deadlines.map_or(date, |d| d.deadline) }),
        processor_deletion: (req.kind == LetterKind::ProcessorDeletion).then(|| ProcessorDeletion {
            contract: account.contract.clone(),
            account: s.identifier("customer_number").or_else(|| s.identifier("account_id")).map(String::from),
            subdomain: s.identifier("account_subdomain").map(String::from),
            cancellation_date: account.cancelled,
            connected_apps: account.connected_apps.clone(),
            confirm_by: dates.map_or(date, |d| d.confirm_by),
            deletion_starts: dates.and_then(|d| d.deletion_starts),
            schedule_by: dates.and_then(|d| d.schedule_by),
            agreement: req.policy.processor.agreement.as_ref().and_then(|a| a.get(lang)).map(String::from),
        }),
        rectification: (req.kind == LetterKind::Rectification)
            .then(|| Rectification { corrections: req.corrections.clone(), completions: req.completions.clone() }),
        objection: (req.kind == LetterKind::Objection).then(|| Objection {
            situation: req.situation.clone(),
            direct_marketing: req.direct_marketing,
            only: req.only.clone(),
        }),
        restriction: (req.kind == LetterKind::Restriction).then(|| Restriction {
            grounds: req.grounds.clone(),
            contested: req.corrections.clone(),
            situation: req.situation.clone(),
            only: req.only.clone(),
        }),
        portability: (req.kind == LetterKind::Portability)
            .then(|| Portability { transmit_to: req.transmit_to.clone(), only: req.only.clone() }),
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
        gender: s.gender,
        services: req.policy.runs.clone(),
        id_documents: req.id_documents.clone(),
        period: deadlines.map(|d| Period { received: d.received, deadline: d.deadline }),
    }
}

#[cfg(test)]
mod tests {
    //! Letters composed from real inputs (policy, subject, config): what
    //! identifies the requester, and identity documents. Fixtures in
    //! `tests/fixtures/letters/`, golden letters in
    //! `tests/golden/letters/<lang>/compose-*.txt`.

    use super::*;
    use crate::config::Config;
    use crate::lang::Lang;
    use crate::policy::Catalog;
    use crate::request::{Error as RequestError, Options};
    use crate::snapshot::assert_golden;
    use std::path::{Path, PathBuf};

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters")
    }

    fn options(to: &str, subject: &str, lang: Lang) -> Options {
        Options {
            lang: Some(lang),
            ..Options::new(to.parse().unwrap(), LetterKind::Erasure, fixtures().join("subjects").join(subject))
        }
    }

    fn build(opts: &Options) -> Result<Request, crate::Error> {
        let config = Config::parse(Path::new("dsr.toml"), crate::config::TEMPLATE)?;
        let catalog = Catalog::new(Some(&fixtures().join("policies")))?;
        Ok(Request::build(opts, &config, &catalog)?)
    }

    fn compose_at(req: &Request) -> Composed {
        let now = crate::evidence::parse_time("2026-12-01T10:00:00Z").unwrap();
        compose(req, &Renderer::new(None).unwrap(), now, None, [0x5a; 32]).unwrap()
    }

    /// Defect 3: a policy that names no identifiers still gives a letter
    /// that identifies the requester (name and address), worded for a
    /// company that may hold no account.
    #[test]
    fn a_policy_without_identifiers_falls_back_to_name_and_address() {
        for lang in Lang::ALL {
            let req = build(&options("beispiel-adressdaten", "person.toml", lang)).unwrap();
            let c = compose_at(&req);
            let body = &c.letter.body;
            let (name, account) = match lang {
                Lang::De => ("  Vollständiger Name: Jana Beispiel", "dem Konto"),
                Lang::En => ("  Full name: Jana Beispiel", "the account"),
            };
            assert!(body.contains(name) && body.contains("jana.beispiel@example.org"), "{body}");
            assert!(!body.contains(account), "no account is claimed: {body}");
            assert!(c.identity_txt.contains(name), "{}", c.identity_txt);
            assert_golden(&format!("letters/{lang}/compose-no-identifiers.txt"), body);
            assert_golden(&format!("identity/{lang}-no-identifiers.txt"), &c.identity_txt);
            let json: serde_json::Value = serde_json::from_slice(&c.identity_json).unwrap();
            assert_eq!(json["account_binding"][0]["basis"], "fallback");
        }
    }

    /// Point 13: the period follows the holidays of the controller's seat,
    /// municipal ones included. The data broker sits in Munich
    /// (`DE-BY-KATH`, as the importer picks it from the address): a request
    /// received on 15 July 2025 is due on Monday 18 August, not on Assumption
    /// Day, Friday 15 August, which `DE-BY` alone would give.
    #[test]
    fn a_munich_controller_counts_assumption_day() {
        for lang in Lang::ALL {
            let req = build(&options("beispiel-adressdaten", "person.toml", lang)).unwrap();
            let now = crate::evidence::parse_time("2025-07-15T10:00:00Z").unwrap();
            let c = compose(&req, &Renderer::new(None).unwrap(), now, None, [0x5a; 32]).unwrap();
            let body = &c.letter.body;
            let (due, not_due) = match lang {
                Lang::De => ("Montag, 18. August 2025", "15. August 2025"),
                Lang::En => ("Monday, 18 August 2025", "15 August 2025"),
            };
            assert!(body.contains(due) && !body.contains(not_due), "{body}");
            assert_golden(&format!("letters/{lang}/compose-munich-assumption-day.txt"), body);
        }
    }

    /// Point 17: a company of the directory outside Germany and Ireland
    /// gets a deadline from its seat's calendar. Tesla International B.V.
    /// (Amsterdam, `NL`, from the importer): a request received on Saturday
    /// 27 March 2027 would end on King's Day, Tuesday 27 April 2027, so the
    /// period ends on Wednesday 28 April. Before the national calendars,
    /// `render` refused this policy: no calendar.
    #[test]
    fn a_dutch_controller_counts_kings_day() {
        for lang in Lang::ALL {
            let mut o = options("tesla", "person.toml", lang);
            o.lang = Some(lang);
            let req = build(&o).unwrap();
            assert_eq!(req.calendar, crate::deadline::CalendarCode::Nl);
            let now = crate::evidence::parse_time("2027-03-27T10:00:00Z").unwrap();
            let c = compose(&req, &Renderer::new(None).unwrap(), now, None, [0x5a; 32]).unwrap();
            assert_eq!(c.deadlines.as_ref().map(|d| d.deadline), Some("2027-04-28".parse().unwrap()));
            let due = if lang == Lang::De { "Mittwoch, 28. April 2027" } else { "Wednesday, 28 April 2027" };
            assert!(c.letter.body.contains(due), "{}", c.letter.body);
            assert_golden(&format!("letters/{lang}/compose-dutch-kings-day.txt"), &c.letter.body);
        }
    }

    /// Point 7: a processor's deletion instruction rests on the controller's
    /// authority to instruct (not Art. 12(6)), names the agreement, and
    /// asks for the schedule before the company's documented deletion
    /// starts (Zendesk: 90 days after cancellation), setting the
    /// confirmation date after it; `--confirm-by` is checked.
    #[test]
    fn a_processor_deletion_waits_for_the_documented_deletion_start() {
        let org = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/subject-org.toml");
        let opts = |lang: Lang, confirm_by: Option<&str>| {
            let mut o = options("zendesk", "person.toml", lang);
            o.kind = LetterKind::ProcessorDeletion;
            o.subject = org.clone();
            o.confirm = vec!["cancel-subscriptions".into(), "export-data".into()];
            o.confirm_by = confirm_by.map(|d| d.parse().unwrap());
            o
        };
        let build = |o: &Options| -> Result<Request, crate::Error> {
            let config = Config::parse(Path::new("dsr.toml"), crate::config::TEMPLATE)?;
            Ok(Request::build(o, &config, &Catalog::new(None)?)?)
        };
        for lang in Lang::ALL {
            let c = compose_at(&build(&opts(lang, None)).unwrap());
            // Cancelled 20 Nov 2026: deletion starts 18 Feb 2027; the schedule is
            // due in a month (1 Jan is a holiday in Ireland, then a weekend).
            let pd = c.context.processor_deletion.as_ref().unwrap();
            assert_eq!(pd.deletion_starts, Some("2027-02-18".parse().unwrap()));
            assert_eq!(pd.schedule_by, Some("2027-01-04".parse().unwrap()));
            assert_eq!(c.confirm_by, Some("2027-03-18".parse().unwrap()));
            assert!(!c.identity_txt.contains("12 Abs. 6") && !c.identity_txt.contains("12(6)"), "{}", c.identity_txt);
            assert!(c.identity_txt.contains("28 Abs. 3 lit. a") || c.identity_txt.contains("28(3)(a)"));
            assert_golden(&format!("letters/{lang}/compose-processor-deletion.txt"), &c.letter.body);
            assert_golden(&format!("identity/{lang}-processor.txt"), &c.identity_txt);
        }
        let err = |d: &str| match build(&opts(Lang::En, Some(d))) {
            Ok(r) => {
                let now = crate::evidence::parse_time("2026-12-01T10:00:00Z").unwrap();
                compose(&r, &Renderer::new(None).unwrap(), now, None, [0; 32]).map(|c| c.confirm_by)
            }
            Err(e) => Err(e),
        };
        assert!(err("2026-11-30").unwrap_err().to_string().contains("must lie after today"));
        assert!(err("2027-01-15").unwrap_err().to_string().contains("deletion starts on 2027-02-18"));
        // Saturday 20 March 2027 moves to Monday 22 March; St Patrick's
        // Day, Wednesday 17 March 2027, an Irish public holiday, to Thursday.
        assert_eq!(err("2027-03-20").unwrap(), Some("2027-03-22".parse().unwrap()));
        assert_eq!(err("2027-03-17").unwrap(), Some("2027-03-18".parse().unwrap()));
    }

    /// Point 7: the instruction cites the agreement's deletion clause the
    /// policy names, and the signer's mandate is attached and recorded.
    #[test]
    fn a_processor_deletion_cites_the_agreement_clause_and_the_signers_mandate() {
        for lang in Lang::ALL {
            let mut o = options("beispiel-helpdesk", "controller-with-mandate.toml", lang);
            o.kind = LetterKind::ProcessorDeletion;
            let c = compose_at(&build(&o).unwrap());
            let body = &c.letter.body;
            let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let clause =
                if lang == Lang::De { "Ziffer 11.2 (Rückgabe und Löschung der Daten)" } else { "clause 11.2" };
            assert!(flat.contains(clause), "{body}");
            assert!(body.contains("- vollmacht-geschaeftsfuehrung.pdf"), "the mandate is listed: {body}");
            assert!(c.identity_txt.contains("vollmacht-geschaeftsfuehrung.pdf") || c.identity_txt.contains("2026"));
            let json: serde_json::Value = serde_json::from_slice(&c.identity_json).unwrap();
            assert_eq!(json["on_behalf_of"]["mandate"]["dated"], "2026-11-25", "{json}");
            assert!(!c.identity_txt.contains("12 Abs. 6") && !c.identity_txt.contains("12(6)"), "{}", c.identity_txt);
            assert_golden(&format!("letters/{lang}/compose-processor-deletion-clause-mandate.txt"), body);
            assert_golden(&format!("identity/{lang}-processor-mandate.txt"), &c.identity_txt);
        }
    }

    /// Defect 4: an attachment that looks like an identity document is
    /// refused unless the policy requires one and the user confirms; then
    /// the letter, its attachment list and the record say so.
    #[test]
    fn identity_documents_are_refused_unless_required_and_confirmed() {
        let scan = fixtures().join("ausweis-scan.jpg");
        let mut o = options("beispiel-adressdaten", "person.toml", Lang::De);
        o.attach = vec![scan.clone()];
        let e = build(&o).unwrap_err();
        assert!(e.to_string().contains("'ausweis-scan.jpg' is or looks like an identity document"), "{e}");
        assert!(e.hint().unwrap().starts_with("leave it out"), "{e:?}");
        // A file declared with --id-document is one, whatever its name and
        // content: refused the same way.
        let dir = tempfile::tempdir().unwrap();
        let bland = dir.path().join("anlage-3.pdf");
        std::fs::write(&bland, b"%PDF-1.7\n").unwrap();
        let mut o = options("beispiel-adressdaten", "person.toml", Lang::De);
        o.id_documents = vec![bland.clone()];
        let e = build(&o).unwrap_err();
        assert!(
            matches!(&e, crate::Error::Request(RequestError::IdDocument { required: false, file, .. }) if file == "anlage-3.pdf"),
            "{e:?}"
        );
        let mut o = options("beispiel-bank", "bank-customer.toml", Lang::En);
        o.id_documents = vec![bland];
        let e = build(&o).unwrap_err();
        assert!(matches!(&e, crate::Error::Request(RequestError::IdDocument { required: true, .. })), "{e:?}");
        o.confirm_id_document = true;
        let c = compose_at(&build(&o).unwrap());
        assert!(c.identity_txt.contains("  - anlage-3.pdf"), "{}", c.identity_txt);
        for lang in Lang::ALL {
            let mut o = options("beispiel-bank", "bank-customer.toml", lang);
            o.attach = vec![scan.clone()];
            let e = build(&o).unwrap_err();
            assert!(matches!(&e, crate::Error::Request(RequestError::IdDocument { required: true, .. })), "{e:?}");
            assert!(e.hint().unwrap().contains("--confirm-id-document"), "{e:?}");
            o.confirm_id_document = true;
            let req = build(&o).unwrap();
            let c = compose_at(&req);
            let body = &c.letter.body;
            let untrue = if lang == Lang::De { "bewusst nicht beigefügt" } else { "deliberately not attached" };
            assert!(!body.contains(untrue), "{body}");
            let listed = body.split_once(if lang == Lang::De { "Anlagen:" } else { "Attachments:" }).unwrap().1;
            assert!(listed.contains("- ausweis-scan.jpg"), "{body}");
            assert!(c.identity_txt.contains("  - ausweis-scan.jpg"), "{}", c.identity_txt);
            assert_golden(&format!("letters/{lang}/compose-id-document.txt"), body);
        }
    }
}
