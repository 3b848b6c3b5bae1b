//! Subject files: whom a request is about, and on whose behalf it is sent.
//!
//! A subject file (`subject.toml`, documented in `docs/subjects.md`) states
//! the capacity in which the sender acts (the data subject, a representative
//! with a mandate, or a controller instructing its processor), the
//! identifiers that bind the requester to the account, and how identity or
//! authority was verified. [`Subject::check_against`] compares it with a
//! policy's identity requirements and names anything missing in the
//! policy's own words.
//!
//! Data minimisation: only identifiers the policy requires, plus those the
//! user lists in `share`, reach the letter ([`Subject::disclosed`]).

use crate::address::{EmailAddress, parse_email};
use crate::exit::ExitKind;
use crate::field::{Field, Fix, Hint, Opt, Words};
use crate::kind::LetterKind;
use crate::lang::{Gender, Lang};
use crate::policy::Policy;
use crate::policy::identifier::{self, Method};
use crate::{file, toml_file};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a subject file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error(transparent)]
    File(#[from] file::Error),
    /// Malformed TOML, an unknown key or a wrong type.
    #[error(transparent)]
    Toml(#[from] toml_file::Error),
    /// A field is missing or wrong.
    #[error("{}: {field}: {message}", path.display())]
    Invalid {
        /// The subject file.
        path: PathBuf,
        /// Dotted field path (`identifiers.account_email`).
        field: String,
        /// What is wrong.
        message: String,
        /// How to fix it (a [`Fix`] of a key is worded for a subject file
        /// or, inline, for a batch row: [`Error::hint_in`]).
        hint: Hint,
    },
}

impl Error {
    /// The exit code class: always bad input.
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// What the user can do about it, for a subject file.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(Words::Cli)
    }

    /// The field the error is about, as `words` name it: a subject file's
    /// key (`verification`), or for a batch row's inline subject the row's
    /// field (`subject.verification`).
    pub fn field_in(&self, words: Words) -> Option<String> {
        match self {
            Error::Invalid { field, .. } if words == (Words::Row { inline_subject: true }) && field != "subject" => {
                Some(format!("subject.{field}"))
            }
            Error::Invalid { field, .. } => Some(field.clone()),
            Error::File(_) | Error::Toml(_) => None,
        }
    }

    /// The message in `words`: for an inline subject, the row's field and
    /// what is wrong with it (the row itself is named by the caller);
    /// otherwise the subject file, its key and what is wrong.
    pub fn message_in(&self, words: Words) -> String {
        match self {
            Error::Invalid { message, .. } if words == (Words::Row { inline_subject: true }) => {
                format!("{}: {message}", self.field_in(words).unwrap_or_default())
            }
            other => other.to_string(),
        }
    }

    /// What the user can do about it, in `words`: a key to add is one of
    /// the subject file, or for a batch row's inline subject the row's
    /// `subject.<key>` field.
    pub fn hint_in(&self, words: Words) -> Option<String> {
        match self {
            Error::File(e) => e.hint(),
            Error::Toml(e) => Some(e.hint_with(&crate::t!("toml.fix-subject"))),
            Error::Invalid { hint, .. } => Some(hint.render(words)),
        }
    }
}

/// In what capacity the sender acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// The person whose data it is writes for themself.
    DataSubject,
    /// Someone writes for the data subject, with a mandate.
    Representative,
    /// An organisation writes to its processor (Art. 28(3)(g)).
    Controller,
}

impl Capacity {
    /// The snake_case name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Capacity::DataSubject => "data_subject",
            Capacity::Representative => "representative",
            Capacity::Controller => "controller",
        }
    }
}

/// The organisation the sender acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Legal name.
    pub name: String,
    /// Postal address lines.
    #[serde(default)]
    pub address: Vec<String>,
}

/// The data subject's mandate for a representative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mandate {
    /// The signed mandate (PDF, scan); attached and hashed.
    pub file: PathBuf,
    /// The date it was signed.
    #[serde(with = "crate::toml_file::date")]
    pub dated: NaiveDate,
}

/// How identity or authority was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// The method (see `docs/subjects.md`).
    pub method: Method,
    /// Who verified, as a role ("DPO of Beispiel Handels GmbH"), not a name;
    /// `None` for a data subject who verified themself (the record says so
    /// in the letter's language).
    pub verified_by: Option<String>,
    /// When.
    #[serde(serialize_with = "crate::toml_file::date::serialize")]
    pub date: NaiveDate,
    /// Evidence files, referenced in the identity record by SHA-256 and size.
    pub evidence: Vec<PathBuf>,
}

/// `[verification]` as written: the method still a name, so that an
/// unknown one is reported with its key ([`SubjectFile::into_subject`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerificationFile {
    method: String,
    #[serde(default)]
    verified_by: Option<String>,
    #[serde(with = "crate::toml_file::date")]
    date: NaiveDate,
    #[serde(default)]
    evidence: Vec<PathBuf>,
}

/// Facts about the account a processor-deletion letter is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The contract or subscription reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    /// When the service was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::toml_file::date::option")]
    pub cancelled: Option<NaiveDate>,
    /// Connected third-party apps or integrations the deletion must reach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connected_apps: Vec<String>,
}

/// A subject file, checked on its own (see the module docs): a
/// [`Subject`] exists only once [`Subject::load`] or
/// [`Subject::from_table`] accepted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// In what capacity the sender acts.
    pub capacity: Capacity,
    /// The data subject's name (capacity data_subject / representative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The data subject's contact email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailAddress>,
    /// The data subject's postal address (capacity data_subject: shown
    /// under the signature; a representative's complaint names it as the
    /// complainant's, Art. 77(1) GDPR; never required).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// The data subject's grammatical gender for German wording
    /// ("Beschwerdeführerin"); neutral wording without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// The organisation acting (representative or controller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<Organisation>,
    /// The mandate (representative only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandate: Option<Mandate>,
    /// Identifiers of the account, by key (`account_email = "…"`), as
    /// written (they go into letters as text).
    pub identifiers: BTreeMap<String, String>,
    /// `identifiers.account_email`, parsed when the file was read.
    #[serde(skip)]
    pub account_email: Option<EmailAddress>,
    /// Identifiers to disclose although the policy does not require them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub share: Vec<String>,
    /// How identity or authority was verified.
    pub verification: Verification,
    /// The account (processor-deletion letters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
    /// The file it was read from (for an inline subject, the name it goes
    /// by in messages).
    #[serde(skip)]
    pub path: PathBuf,
}

/// A subject file as written (the serde shape of `subject.toml`), before
/// [`SubjectFile::into_subject`] checks it and parses the method.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectFile {
    capacity: Capacity,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    address: Vec<String>,
    #[serde(default)]
    gender: Option<Gender>,
    #[serde(default)]
    organisation: Option<Organisation>,
    #[serde(default)]
    mandate: Option<Mandate>,
    #[serde(default)]
    identifiers: BTreeMap<String, String>,
    #[serde(default)]
    share: Vec<String>,
    verification: Option<VerificationFile>,
    #[serde(default)]
    account: Option<Account>,
}

/// One identifier as it goes into a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disclosed {
    /// The key (`account_email`).
    pub key: String,
    /// The label in the letter's language.
    pub label: String,
    /// The value.
    pub value: String,
}

impl Subject {
    /// Reads and checks a subject file on its own (without a policy).
    ///
    /// # Errors
    /// Unreadable, malformed, unknown keys, or a field that is wrong in
    /// itself (see [`Subject::parse`]).
    pub fn load(path: &Path) -> Result<Subject, Error> {
        Subject::parse(path, &file::read_text(path, file::Limit::TEXT)?)
    }

    /// Reads and checks a subject file for a letter of `kind`: as
    /// [`Subject::load`], but a capacity that cannot send `kind` is the
    /// first thing reported, before the capacity's own fields.
    ///
    /// # Errors
    /// As [`Subject::load`], and the capacity does not fit `kind`.
    pub fn load_for(path: &Path, kind: LetterKind) -> Result<Subject, Error> {
        let raw: SubjectFile = toml_file::parse(path, &file::read_text(path, file::Limit::TEXT)?)?;
        if let Some(e) = capacity_misfit(path, raw.capacity, kind) {
            return Err(e);
        }
        raw.into_subject(path)
    }

    /// Parses and checks `text`, the content of the subject file `path`.
    ///
    /// # Errors
    /// Malformed TOML, an unknown key, a wrong type, or a field that is
    /// wrong in itself: capacity-specific fields, addresses, control
    /// characters, a missing `[verification]` or an unknown method.
    pub fn parse(path: &Path, text: &str) -> Result<Subject, Error> {
        let raw: SubjectFile = toml_file::parse(path, text)?;
        raw.into_subject(path)
    }

    /// A subject given inline (a batch row's `subject.*` fields) as the
    /// table a subject file would hold; `origin` names it in messages
    /// (`requests.csv row 3`), and relative paths in it are taken from
    /// `origin`'s directory.
    ///
    /// # Errors
    /// An unknown key, a wrong type, or what [`Subject::parse`] finds.
    pub fn from_table(origin: &Path, table: toml::Table) -> Result<Subject, Error> {
        Subject::from_table_for(origin, table, None)
    }

    /// As [`Subject::from_table`]; with a `kind`, a capacity that cannot
    /// send it is reported first (as [`Subject::load_for`]).
    ///
    /// # Errors
    /// As [`Subject::from_table`], and the capacity does not fit `kind`.
    pub fn from_table_for(origin: &Path, table: toml::Table, kind: Option<LetterKind>) -> Result<Subject, Error> {
        let keys: Vec<String> = table.keys().cloned().collect();
        let raw: SubjectFile = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            let message = e.message().trim().to_string();
            // serde names the key, not where it is: a top-level key is
            // named as the row's field when it surely is one (an unknown
            // key the row gives, a required one it lacks).
            let quoted = |prefix: &str| {
                message.strip_prefix(prefix).and_then(|r| r.strip_prefix('`')).and_then(|r| r.split('`').next())
            };
            let (field, message) = match (quoted("unknown field "), quoted("missing field ")) {
                (Some(k), _) if keys.iter().any(|x| x == k) => {
                    let expected = message.split_once(&format!("`{k}`")).map_or("", |(_, rest)| rest);
                    (k.to_string(), crate::t!("input.subject.unknown-field", expected = expected_fields(expected)))
                }
                (_, Some(k)) if k == "capacity" && !keys.iter().any(|x| x == k) => {
                    (k.to_string(), crate::t!("input.subject.missing-capacity"))
                }
                _ => ("subject".to_string(), crate::toml_file::shown(&message)),
            };
            Error::Invalid {
                path: origin.to_path_buf(),
                field,
                message,
                hint: crate::t!("input.subject.inline-hint").into(),
            }
        })?;
        if let Some(e) = kind.and_then(|k| capacity_misfit(origin, raw.capacity, k)) {
            return Err(e);
        }
        raw.into_subject(origin)
    }

    fn invalid(&self, field: &str, message: impl Into<String>, hint: impl Into<Hint>) -> Error {
        invalid(&self.path, field, message, hint)
    }

    /// The address a data subject writes from: their `email`, else the
    /// account's (`identifiers.account_email`).
    ///
    /// # Errors
    /// The subject file has neither.
    pub fn own_email(&self) -> Result<&EmailAddress, Error> {
        self.email
            .as_ref()
            .or(self.account_email.as_ref())
            .ok_or_else(|| self.invalid("email", crate::t!("subject.missing-own-email"), supply_hint("email")))
    }

    /// The value of an identifier: `name` and `email` come from the top-level
    /// fields (for a controller, `name` falls back to the organisation's
    /// name: the organisation is the requester), everything else from
    /// `[identifiers]`.
    pub fn identifier(&self, key: &str) -> Option<&str> {
        match key {
            "name" => {
                self.name.as_deref().or_else(|| self.identifiers.get("name").map(String::as_str)).or_else(|| match self
                    .capacity
                {
                    Capacity::Controller => self.organisation.as_ref().map(|o| o.name.as_str()),
                    _ => None,
                })
            }
            "email" => self
                .email
                .as_ref()
                .map(EmailAddress::as_str)
                .or_else(|| self.identifiers.get("email").map(String::as_str)),
            _ => self.identifiers.get(key).map(String::as_str),
        }
        .filter(|v| !v.trim().is_empty())
    }

    /// Checks the subject against a policy for a letter of `kind`: the
    /// capacity fits the kind, every required identifier is present, each
    /// group of alternatives has one, and the verification method is one
    /// the policy accepts.
    ///
    /// # Errors
    /// The first mismatch, named in the policy's words, with how to fix it.
    pub fn check_against(&self, policy: &Policy, kind: LetterKind) -> Result<(), Error> {
        if let Some(e) = capacity_misfit(&self.path, self.capacity, kind) {
            return Err(e);
        }
        let labels = Some(&policy.identity.labels);
        for key in policy.identity.required_for(kind) {
            if self.identifier(key).is_none() {
                let label = identifier::label(key, crate::i18n::ui().letter_lang(), labels);
                return Err(self.invalid(
                    &format!("identifiers.{key}"),
                    crate::t!("subject.missing-identifier", label = label, policy = policy.id),
                    supply_hint(key),
                ));
            }
        }
        let ui_lang = crate::i18n::ui().letter_lang();
        for group in &policy.identity.one_of {
            if !group.iter().any(|k| self.identifier(k).is_some()) {
                let names: Vec<String> =
                    group.iter().map(|k| format!("'{}' ({k})", identifier::label(k, ui_lang, labels))).collect();
                return Err(self.invalid(
                    "identifiers",
                    crate::t!("subject.needs-one-of", policy = policy.id, names = names.join(", ")),
                    supply_hint(&group[0]),
                ));
            }
        }
        let v = &self.verification;
        if !policy.identity.methods.is_empty() && !policy.identity.methods.iter().any(|m| m == v.method.name()) {
            return Err(self.invalid(
                "verification.method",
                crate::t!("subject.method-not-accepted", policy = policy.id, method = v.method),
                crate::t!("subject.use-one-of", methods = policy.identity.methods.join(", ")),
            ));
        }
        Ok(())
    }

    /// The identifiers that go into the letter: those the policy requires
    /// (or offers as alternatives) plus those listed in `share`, in that
    /// order, labelled in `lang`. Everything else stays out (data
    /// minimisation).
    ///
    /// A policy that names no identifiers at all (most imported ones) would
    /// leave a letter that identifies nobody: then the name, the contact
    /// and account addresses and every identifier of the subject file are
    /// disclosed instead ([`Subject::uses_fallback`]).
    pub fn disclosed(&self, policy: &Policy, kind: LetterKind, lang: Lang) -> Vec<Disclosed> {
        let mut keys: Vec<&str> = policy.identity.required_for(kind);
        keys.extend(policy.identity.one_of.iter().flatten().map(String::as_str));
        if Subject::uses_fallback(policy, kind) {
            keys.extend(["name", "email", "account_email"]);
            keys.extend(self.identifiers.keys().map(String::as_str));
        }
        keys.extend(self.share.iter().map(String::as_str));
        let mut out: Vec<Disclosed> = Vec::new();
        for key in keys {
            if out.iter().any(|d| d.key == key) {
                continue;
            }
            if let Some(value) = self.identifier(key) {
                // A controller's `name` is its organisation's, not a person's.
                let organisation =
                    key == "name" && self.capacity == Capacity::Controller && !policy.identity.labels.contains_key(key);
                let label_key = if organisation { identifier::ORGANISATION_NAME } else { key };
                out.push(Disclosed {
                    key: key.to_string(),
                    label: identifier::label(label_key, lang, Some(&policy.identity.labels)),
                    value: value.to_string(),
                });
            }
        }
        out
    }

    /// True when `policy` names no identifier for a letter of `kind` (no
    /// `required`, no `by_kind`, no `one_of`), so that
    /// [`Subject::disclosed`] falls back to the name, the addresses and the
    /// subject file's identifiers.
    pub fn uses_fallback(policy: &Policy, kind: LetterKind) -> bool {
        policy.identity.required_for(kind).is_empty() && policy.identity.one_of.is_empty()
    }

    /// Identifiers in the file that will not be disclosed (for a note).
    pub fn withheld(&self, policy: &Policy, kind: LetterKind, lang: Lang) -> Vec<String> {
        let disclosed = self.disclosed(policy, kind, lang);
        self.identifiers.keys().filter(|k| !disclosed.iter().any(|d| &d.key == *k)).cloned().collect()
    }
}

impl SubjectFile {
    /// Checks what can be checked without a policy and parses the
    /// method: capacity-specific fields, addresses, control characters,
    /// verification.
    fn into_subject(self, path: &Path) -> Result<Subject, Error> {
        let mut texts: Vec<(String, &str)> = vec![];
        if let Some(n) = &self.name {
            texts.push(("name".into(), n));
        }
        if let Some(o) = &self.organisation {
            texts.push(("organisation.name".into(), &o.name));
            texts.extend(o.address.iter().map(|l| ("organisation.address".to_string(), l.as_str())));
        }
        for (k, v) in &self.identifiers {
            texts.push((format!("identifiers.{k}"), v));
        }
        if let Some(by) = self.verification.as_ref().and_then(|v| v.verified_by.as_ref()) {
            texts.push(("verification.verified_by".into(), by));
        }
        for (field, value) in texts {
            if value.chars().any(char::is_control) {
                return Err(invalid(
                    path,
                    &field,
                    crate::t!("subject.control-character"),
                    crate::t!("subject.control-character-hint"),
                ));
            }
            if value.trim().is_empty() {
                return Err(invalid(path, &field, crate::t!("subject.empty"), crate::t!("subject.empty-hint")));
            }
        }
        for key in self.identifiers.keys().chain(self.share.iter()) {
            if !identifier::is_valid_key(key) {
                return Err(invalid(
                    path,
                    &format!("identifiers.{key}"),
                    crate::t!("subject.bad-key", key = key),
                    crate::t!("subject.bad-key-hint"),
                ));
            }
        }
        let email = self
            .email
            .as_deref()
            .map(parse_email)
            .transpose()
            .map_err(|err| invalid(path, "email", err.to_string(), crate::t!("subject.plain-address")))?;
        let account_email =
            self.identifiers.get("account_email").map(|e| parse_email(e)).transpose().map_err(|err| {
                invalid(path, "identifiers.account_email", err.to_string(), crate::t!("subject.plain-address"))
            })?;
        match self.capacity {
            Capacity::DataSubject => {
                if self.name.is_none() {
                    return Err(invalid(path, "name", crate::t!("subject.missing-name"), supply_hint("name")));
                }
                if self.mandate.is_some() {
                    return Err(invalid(
                        path,
                        "mandate",
                        crate::t!("subject.mandate-not-representative"),
                        crate::t!("subject.mandate-not-representative-hint"),
                    ));
                }
            }
            Capacity::Representative => {
                if self.name.is_none() {
                    return Err(invalid(
                        path,
                        "name",
                        crate::t!("subject.missing-represented"),
                        crate::t!("subject.missing-represented-hint"),
                    ));
                }
                if self.mandate.is_none() {
                    return Err(invalid(
                        path,
                        "mandate",
                        crate::t!("subject.missing-mandate"),
                        crate::t!("subject.missing-mandate-hint"),
                    ));
                }
            }
            Capacity::Controller => {
                if self.organisation.is_none() {
                    return Err(invalid(
                        path,
                        "organisation",
                        crate::t!("subject.missing-organisation"),
                        crate::t!("subject.missing-organisation-hint"),
                    ));
                }
            }
        }
        let Some(v) = self.verification else {
            return Err(invalid(
                path,
                "verification",
                crate::t!("subject.missing-verification"),
                crate::t!("subject.missing-verification-hint"),
            ));
        };
        let method = v
            .method
            .parse::<Method>()
            .map_err(|e| invalid(path, "verification.method", e.to_string(), crate::t!("subject.method-hint")))?;
        // `contract_party` is a controller instructing its processor; a
        // data subject's right (Arts. 15-22) is exercised by the person or
        // with their mandate, and identity is shown another way.
        if method == Method::ContractParty && self.capacity != Capacity::Controller {
            let others: Vec<&str> =
                Method::ALL.iter().filter(|m| **m != Method::ContractParty).map(|m| m.name()).collect();
            return Err(invalid(
                path,
                "verification.method",
                crate::t!("subject.contract-party", capacity = self.capacity.name()),
                crate::t!("subject.contract-party-hint", methods = others.join(", ")),
            ));
        }
        if v.verified_by.is_none() && self.capacity != Capacity::DataSubject {
            return Err(invalid(
                path,
                "verification.verified_by",
                crate::t!("subject.missing-verified-by"),
                crate::t!("subject.missing-verified-by-hint"),
            ));
        }
        let subject = Subject {
            capacity: self.capacity,
            name: self.name,
            email,
            address: self.address,
            gender: self.gender,
            organisation: self.organisation,
            mandate: self.mandate,
            identifiers: self.identifiers,
            account_email,
            share: self.share,
            verification: Verification { method, verified_by: v.verified_by, date: v.date, evidence: v.evidence },
            account: self.account,
            path: path.to_path_buf(),
        };
        if let Some((field, chars)) = crate::field::too_long(&subject, &["path"]) {
            return Err(invalid(
                path,
                &field,
                crate::t!("subject.too-long", chars = chars, max = crate::field::MAX_VALUE_CHARS),
                crate::t!("subject.too-long-hint"),
            ));
        }
        Ok(subject)
    }
}

/// Whether `capacity` can send a letter of `kind`, and if not, what is
/// allowed: a data subject's right (Arts. 15-21) is made by the data
/// subject or a representative, never by a controller, which instructs its
/// processor instead (Art. 28(3)(g), `processor-deletion`); that
/// instruction is a controller's alone. Checked before the capacity's own
/// fields, so that the answer to a wrong capacity is not "organisation:
/// missing".
fn capacity_misfit(path: &Path, capacity: Capacity, kind: LetterKind) -> Option<Error> {
    match (kind, capacity) {
        (LetterKind::ProcessorDeletion, Capacity::Controller) => None,
        (LetterKind::ProcessorDeletion, c) => Some(invalid(
            path,
            "capacity",
            crate::t!(
                "input.subject.not-processor-deletion",
                who = if c == Capacity::Representative {
                    crate::t!("input.subject.who-representative")
                } else {
                    crate::t!("input.subject.who-data-subject")
                },
                capacity = c.name()
            ),
            Hint::Or {
                text: crate::t!("input.subject.processor-deletion-or").into(),
                fix: Box::new(Fix::Give(Opt::Kind, vec![LetterKind::Erasure.to_string()])),
                purpose: crate::t!("input.subject.processor-deletion-purpose").into(),
            },
        )),
        (k, Capacity::Controller) if k.is_data_subject_right() => Some(invalid(
            path,
            "capacity",
            crate::t!("input.subject.controller-not-a-right", article = article(k), kind = k),
            Hint::Or {
                text: crate::t!("input.subject.controller-or").into(),
                fix: Box::new(Fix::Give(Opt::Kind, vec![LetterKind::ProcessorDeletion.to_string()])),
                purpose: crate::t!("input.subject.controller-purpose").into(),
            },
        )),
        _ => None,
    }
}

/// The article of a data subject's right, in the interface language:
/// `Art. 17 GDPR`, `Art. 17 DSGVO`.
fn article(kind: LetterKind) -> String {
    match kind {
        LetterKind::Access => crate::t!("input.subject.article.access"),
        LetterKind::Rectification => crate::t!("input.subject.article.rectification"),
        LetterKind::Erasure => crate::t!("input.subject.article.erasure"),
        LetterKind::Restriction => crate::t!("input.subject.article.restriction"),
        LetterKind::Portability => crate::t!("input.subject.article.portability"),
        LetterKind::Objection => crate::t!("input.subject.article.objection"),
        LetterKind::ProcessorDeletion => crate::t!("input.subject.article.processor-deletion"),
        LetterKind::Reminder => crate::t!("input.subject.article.reminder"),
        LetterKind::Complaint => crate::t!("input.subject.article.complaint"),
    }
}

/// The rest of serde's "unknown field" message, the fields it expected
/// (`, expected one of `capacity`, `name`, …`): as serde wrote it in
/// English, in the words of the catalogue in another language.
fn expected_fields(serde_rest: &str) -> String {
    let names: Vec<String> = serde_rest.split('`').skip(1).step_by(2).map(|n| format!("`{n}`")).collect();
    if crate::i18n::ui() == crate::i18n::UiLang::En || names.is_empty() {
        return serde_rest.to_string();
    }
    crate::t!("input.subject.expected-fields", names = names.join(", "))
}

fn invalid(path: &Path, field: &str, message: impl Into<String>, hint: impl Into<Hint>) -> Error {
    Error::Invalid { path: path.to_path_buf(), field: field.into(), message: message.into(), hint: hint.into() }
}

/// Give identifier `key` a value: `name` and `email` are top-level keys of
/// a subject file, every other identifier is under `[identifiers]`.
fn supply_hint(key: &str) -> Fix {
    Fix::Set(Field::Subject(match key {
        "name" | "email" => key.to_string(),
        _ => format!("identifiers.{key}"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Catalog;

    fn parse(text: &str) -> Result<Subject, Error> {
        Subject::parse(Path::new("s.toml"), text)
    }

    const PERSON: &str = r#"
capacity = "data_subject"
name = "Erika Mustermann"
email = "erika@beispiel-handel.example"
[identifiers]
account_email = "erika@beispiel-handel.example"
username = "erika"
[verification]
method = "sent_from_account_email"
verified_by = "the data subject"
date = 2026-11-27
"#;

    #[test]
    fn person_fits_zendesk_erasure_and_minimises() {
        let s = parse(PERSON).unwrap();
        let (p, _) = Catalog::new(None).unwrap().get(&"zendesk".parse().unwrap()).unwrap();
        s.check_against(&p, LetterKind::Erasure).unwrap();
        let keys: Vec<String> = s.disclosed(&p, LetterKind::Erasure, Lang::En).into_iter().map(|d| d.key).collect();
        assert_eq!(keys, ["name", "account_email"]);
        assert_eq!(s.withheld(&p, LetterKind::Erasure, Lang::En), ["username"]);
    }

    #[test]
    fn missing_requirement_is_named_in_the_policys_words() {
        let s = parse(&PERSON.replace("account_email = \"erika@beispiel-handel.example\"\n", "")).unwrap();
        let (p, _) = Catalog::new(None).unwrap().get(&"zendesk".parse().unwrap()).unwrap();
        let e = s.check_against(&p, LetterKind::Erasure).unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.toml: identifiers.account_email: missing 'Email address of the account', which policy 'zendesk' requires"
        );
        assert_eq!(e.hint().unwrap(), "add account_email = \"…\" under [identifiers] in the subject file");
    }

    #[test]
    fn capacity_must_fit_kind() {
        let s = parse(PERSON).unwrap();
        let (p, _) = Catalog::new(None).unwrap().get(&"zendesk".parse().unwrap()).unwrap();
        let e = s.check_against(&p, LetterKind::ProcessorDeletion).unwrap_err();
        assert!(
            e.to_string().contains(
                "a data subject (capacity = \"data_subject\") cannot send a processor-deletion letter: that is a \
                 controller's instruction to its processor (Art. 28(3)(g) GDPR)"
            ),
            "{e}"
        );
        assert_eq!(
            e.hint().unwrap(),
            "for an organisation's instruction set capacity = \"controller\" and [organisation], or pass --kind \
             erasure for a person's own data (Art. 17 GDPR)"
        );
        assert_eq!(
            e.hint_in(Words::Row { inline_subject: false }).unwrap(),
            "for an organisation's instruction set capacity = \"controller\" and [organisation], or set the \
             row's kind field to erasure for a person's own data (Art. 17 GDPR)"
        );
        assert_eq!(s.own_email().unwrap(), "erika@beispiel-handel.example");
    }

    #[test]
    fn the_method_is_parsed_when_the_file_is_loaded() {
        let s = parse(PERSON).unwrap();
        assert_eq!(s.verification.method, Method::SentFromAccountEmail);
        let e = parse(&PERSON.replace("\"sent_from_account_email\"", "\"telepathy\"")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.toml: verification.method: 'telepathy' is not a verification method; one of: sent_from_account_email, \
             sent_from_contact_email, challenge_to_account_email, authenticated_session, known_shared_secret, \
             in_person_sighting_no_copy, eid_or_qes, contract_party"
        );
        assert!(matches!(&e, Error::Invalid { field, .. } if field == "verification.method"), "{e:?}");
        assert_eq!(e.hint().unwrap(), "write one of these; docs/subjects.md says when each fits");

        // An inline subject (a batch row) is parsed the same way.
        let mut table: toml::Table = toml::from_str(PERSON).unwrap();
        table["verification"]["method"] = "telepathy".into();
        let e = Subject::from_table(Path::new("b.csv row 2"), table).unwrap_err();
        assert!(e.to_string().starts_with("b.csv row 2: verification.method: 'telepathy' is not"), "{e}");
    }

    #[test]
    fn missing_fields() {
        let e = parse("capacity = \"data_subject\"\nname = \"A\"\n").unwrap_err();
        assert_eq!(e.to_string(), "s.toml: verification: missing: how was identity or authority verified?");
        let e = parse("capacity = \"representative\"\nname = \"A\"\n").unwrap_err();
        assert!(e.to_string().starts_with("s.toml: mandate: missing"), "{e}");
        let e = parse("capacity = \"controller\"\n").unwrap_err();
        assert!(e.to_string().starts_with("s.toml: organisation: missing"), "{e}");
        let e = parse("capacity = \"king\"\n").unwrap_err();
        assert!(e.to_string().contains("unknown variant `king`"), "{e}");
        let e = parse(&PERSON.replace("erika@beispiel-handel.example\"\n[identifiers]", "erika(at)x\"\n[identifiers]"))
            .unwrap_err();
        assert!(e.to_string().starts_with("s.toml: email: 'erika(at)x' is not a valid email address"), "{e}");
    }
}
