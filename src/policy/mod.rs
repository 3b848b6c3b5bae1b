//! Policies: what dsr knows about one company, in `policies/<id>.toml`.
//!
//! A policy names the legal entity and its postal address, where requests go
//! (privacy and support addresses, To/Cc), the company's language and the
//! holiday calendar of the place where it acts, its role (controller,
//! processor or both, and what each covers), the supervisory authority, what
//! it needs to identify a requester, and the preconditions to meet before
//! asking (cancel subscriptions, export data first). Every key is documented
//! in `docs/policies.md`; unknown keys are errors.
//!
//! Built-in policies are embedded in the binary ([`load`]); a user directory
//! overrides or extends them. [`check`] lints policy files.

pub mod authority;
pub mod check;
mod files;
pub mod id;
pub mod identifier;
pub mod import;
pub mod load;
mod problem;

use crate::address::{EmailAddress, parse_email};
use crate::channel::Channel;
use crate::deadline::CalendarCode;
use crate::exit::ExitKind;
use crate::field::{Fix, Opt, Words};
use crate::kind::LetterKind;
use crate::lang::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

pub use id::{InvalidPolicyId, PolicyId};
pub use load::{Catalog, PolicySource};

/// Why a policy could not be found, read or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error(transparent)]
    File(#[from] crate::file::Error),
    /// The TOML is malformed or has unknown keys.
    #[error(transparent)]
    Toml(#[from] crate::toml_file::Error),
    /// The policy parsed but is not valid.
    #[error("{origin}: {field}: {message}")]
    Invalid {
        /// File path or `built-in:<id>`.
        origin: String,
        /// Dotted field path, e.g. `contact.privacy_email`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// No policy has this id.
    #[error("{}", crate::t!("policy.unknown-id", id = id))]
    UnknownId {
        /// The id asked for.
        id: PolicyId,
        /// Close ids, best first.
        suggestions: Vec<String>,
    },
    /// The policy's role does not allow the letter kind.
    #[error("{}", crate::t!("policy.role-mismatch", id = id, role = role, kind = kind))]
    RoleMismatch {
        /// The policy id.
        id: PolicyId,
        /// Its role.
        role: Role,
        /// The requested kind.
        kind: LetterKind,
    },
    /// The company cannot be written to by email.
    #[error("{}", crate::t!("policy.not-by-email", id = id, name = name, transport = transport_name(*transport)))]
    NotByEmail {
        /// The policy id.
        id: PolicyId,
        /// The company's display name.
        name: String,
        /// The transport the policy names.
        transport: Transport,
        /// Where to send instead (web form URL or postal address).
        instead: String,
        /// Every channel the company accepts, with where it goes.
        accepted: Vec<(Channel, String)>,
    },
    /// The channel asked for (`--via`) is not one the company accepts.
    #[error("{}", crate::t!("policy.channel-not-accepted", id = id, what = what, name = name, channel = channel_name(*channel)))]
    ChannelNotAccepted {
        /// The policy id.
        id: PolicyId,
        /// The company's display name.
        name: String,
        /// The channel asked for.
        channel: Channel,
        /// What the channel needs (`privacy email address`, `postal
        /// address`, `web form URL`), in the interface language.
        what: String,
        /// Every channel the company accepts, with where it goes.
        accepted: Vec<(Channel, String)>,
    },
    /// `dsr policy check` found problems.
    #[error("{}", crate::t!("policy.check-failed", problems = problems, files = files, checked = checked))]
    CheckFailed {
        /// Number of problems.
        problems: usize,
        /// Files with problems.
        files: usize,
        /// Files checked.
        checked: usize,
    },
    /// No supervisory authority has this id.
    #[error("{}", crate::t!("policy.unknown-authority", id = id))]
    UnknownAuthority {
        /// The id asked for.
        id: String,
        /// Close ids, best first.
        suggestions: Vec<String>,
    },
    /// `dsr authority check` found problems.
    #[error("{}", crate::t!("policy.authority-check-failed", problems = problems, files = files, checked = checked))]
    AuthorityCheckFailed {
        /// Number of problems.
        problems: usize,
        /// Files with problems.
        files: usize,
        /// Files checked.
        checked: usize,
    },
    /// Importing a directory of records failed.
    #[error(transparent)]
    Import(#[from] import::Error),
    /// Reading the user policy directory failed.
    #[error("{}", crate::t!("policy.dir", path = path.display(), source = source))]
    Dir {
        /// The directory.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl Error {
    /// The exit code class: always bad input (a policy the user named, wrote or asked to check).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// What the user can do about it, on the command line.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(Words::Cli)
    }

    /// What the user can do about it, in `words`: a letter kind to use is
    /// `--kind` on the command line, a batch row's `kind` field.
    pub fn hint_in(&self, words: Words) -> Option<String> {
        match self {
            Error::File(e) => e.hint(),
            Error::Toml(e) => Some(e.hint_with(&crate::t!("toml.fix-policy"))),
            Error::Invalid { .. } => Some(crate::t!("policy.invalid-hint")),
            Error::UnknownId { suggestions, .. } if !suggestions.is_empty() => {
                Some(crate::t!("policy.unknown-id-did-you-mean", ids = quote_list(suggestions)))
            }
            Error::UnknownId { .. } => Some(crate::t!("policy.unknown-id-hint")),
            Error::RoleMismatch { role: Role::Processor, .. } => {
                let fix = Fix::Give(Opt::Kind, vec![LetterKind::ProcessorDeletion.to_string()]);
                Some(crate::t!("policy.processor-only-hint", fix = fix.render(words)))
            }
            Error::RoleMismatch { .. } => Some(crate::t!("policy.role-mismatch-hint")),
            Error::NotByEmail { accepted, .. } if !accepted.is_empty() => Some(crate::t!(
                "policy.not-by-email-hint",
                channels = describe_channels(accepted),
                options =
                    accepted.iter().map(|(c, _)| format!("--via {c}")).collect::<Vec<_>>().join(&crate::t!("words.or"))
            )),
            Error::NotByEmail { instead, .. } => Some(crate::t!("policy.send-instead", instead = instead)),
            Error::ChannelNotAccepted { accepted, .. } => {
                Some(crate::t!("policy.accepts", channels = describe_channels(accepted)))
            }
            Error::CheckFailed { .. } | Error::AuthorityCheckFailed { .. } => {
                Some(crate::t!("policy.check-failed-hint"))
            }
            Error::UnknownAuthority { suggestions, .. } if !suggestions.is_empty() => {
                Some(crate::t!("policy.unknown-authority-did-you-mean", ids = quote_list(suggestions)))
            }
            Error::UnknownAuthority { .. } => Some(crate::t!("policy.unknown-authority-hint")),
            Error::Import(e) => e.hint(),
            Error::Dir { .. } => Some(crate::t!("policy.dir-hint")),
        }
    }
}

/// `post (ACME GmbH, Hauptstr. 1, …), web form (https://…)`.
pub fn describe_channels(accepted: &[(Channel, String)]) -> String {
    if accepted.is_empty() {
        return crate::t!("policy.accepts-nothing");
    }
    accepted.iter().map(|(c, at)| format!("{} ({at})", channel_name(*c))).collect::<Vec<_>>().join(", ")
}

/// A channel in words, in the interface language.
fn channel_name(c: Channel) -> String {
    match c {
        Channel::Email => crate::t!("channel.email"),
        Channel::Post => crate::t!("channel.post"),
        Channel::Webform => crate::t!("channel.webform"),
    }
}

/// A policy's transport in words, in the interface language.
pub fn transport_name(t: Transport) -> String {
    match t {
        Transport::Email => crate::t!("channel.email"),
        Transport::Letter => crate::t!("channel.post"),
        Transport::Webform => crate::t!("channel.webform"),
        Transport::Fax => crate::t!("channel.fax"),
    }
}

fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{}{last}", rest.join(", "), crate::t!("words.or")),
        None => String::new(),
    }
}

/// A text in both letter languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    /// German.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<String>,
}

impl Localized {
    /// The text in `lang`, if present and not blank.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::De => self.de.as_deref(),
        }
        .filter(|s| !s.trim().is_empty())
    }

    /// The languages that are missing or blank.
    pub fn missing(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| self.get(*l).is_none()).collect()
    }
}

/// How reliable a policy's facts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    /// Written and checked by hand for dsr, with dated sources.
    Curated,
    /// A request sent with this data succeeded (Datenanfragen: "tested").
    Tested,
    /// The data was checked against the company's own statements.
    Verified,
    /// Imported from a directory without further checks.
    #[default]
    Imported,
    /// Collected automatically from the web.
    Scraped,
}

impl fmt::Display for Quality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quality::Curated => "curated",
            Quality::Tested => "tested",
            Quality::Verified => "verified",
            Quality::Imported => "imported",
            Quality::Scraped => "scraped",
        })
    }
}

/// Which GDPR role the company has towards the requester's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Decides purposes and means: data subjects' rights apply (Arts. 15-22).
    Controller,
    /// Processes on the requester's behalf: Art. 28(3)(g) deletion applies.
    Processor,
    /// Controller for some data, processor for other data (`[roles]` says which).
    Both,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Controller => "controller",
            Role::Processor => "processor",
            Role::Both => "both",
        })
    }
}

impl Role {
    /// True when a letter of `kind` may be addressed to a company in this role.
    pub fn allows(self, kind: LetterKind) -> bool {
        match kind {
            LetterKind::ProcessorDeletion => matches!(self, Role::Processor | Role::Both),
            LetterKind::Reminder | LetterKind::Complaint => true,
            k if k.is_data_subject_right() => matches!(self, Role::Controller | Role::Both),
            _ => false,
        }
    }
}

/// How requests reach the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// By email (the only transport `dsr send` performs).
    #[default]
    Email,
    /// By post.
    Letter,
    /// Through the company's web form.
    Webform,
    /// By fax.
    Fax,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Email => "email",
            Transport::Letter => "post",
            Transport::Webform => "web form",
            Transport::Fax => "fax",
        })
    }
}

/// The legal entity requests are addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// The full legal name, with its legal form ("Zendesk International Ltd.").
    pub legal_name: String,
    /// Postal address, one line per entry, country last.
    pub address: Vec<String>,
}

/// Which of the policy's addresses a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressRole {
    /// `contact.privacy_email`.
    Privacy,
    /// `contact.support_email`.
    Support,
}

/// Where requests go.
///
/// Read through [`ContactFile`]: an address that does not parse is left
/// out and kept in [`Contact::rejected`] with its key, so that `dsr policy
/// check` reports it among every other problem of the file, and loading the
/// policy for use fails on it ([`check::validate`]) with the file and key.
/// A contact holds only valid addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(from = "ContactFile")]
pub struct Contact {
    /// The privacy (DPO) address requests are sent to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_email: Option<EmailAddress>,
    /// Other addresses the company named for privacy matters (informational).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternative_emails: Vec<EmailAddress>,
    /// The general support address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_email: Option<EmailAddress>,
    /// Which addresses go in To (default: privacy).
    #[serde(default = "default_to")]
    pub to: Vec<AddressRole>,
    /// Which addresses go in Cc (default: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<AddressRole>,
    /// The company's website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    /// A privacy web form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webform: Option<String>,
    /// Phone, international format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Fax, international format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    /// The addresses of the file that did not parse: their dotted key
    /// (`contact.alternative_emails[1]`) and why. Never written.
    #[serde(skip)]
    pub rejected: Vec<(String, crate::address::InvalidEmail)>,
}

impl Contact {
    /// True when the file gave `key` (`contact.privacy_email`) an address,
    /// valid or not.
    pub fn gave(&self, key: &str) -> bool {
        let present = match key {
            "contact.privacy_email" => self.privacy_email.is_some(),
            "contact.support_email" => self.support_email.is_some(),
            _ => false,
        };
        present || self.rejected.iter().any(|(k, _)| k == key)
    }
}

/// `[contact]` as written: addresses still strings, parsed by
/// `From<ContactFile> for Contact`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactFile {
    #[serde(default)]
    privacy_email: Option<String>,
    #[serde(default)]
    alternative_emails: Vec<String>,
    #[serde(default)]
    support_email: Option<String>,
    #[serde(default = "default_to")]
    to: Vec<AddressRole>,
    #[serde(default)]
    cc: Vec<AddressRole>,
    #[serde(default)]
    web: Option<String>,
    #[serde(default)]
    webform: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    fax: Option<String>,
}

impl From<ContactFile> for Contact {
    fn from(f: ContactFile) -> Contact {
        let mut rejected = Vec::new();
        let mut parse = |key: String, value: String| match parse_email(&value) {
            Ok(a) => Some(a),
            Err(e) => {
                rejected.push((key, e));
                None
            }
        };
        let privacy_email = f.privacy_email.and_then(|v| parse("contact.privacy_email".into(), v));
        let support_email = f.support_email.and_then(|v| parse("contact.support_email".into(), v));
        let alternative_emails = f
            .alternative_emails
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| parse(format!("contact.alternative_emails[{i}]"), v))
            .collect();
        Contact {
            privacy_email,
            alternative_emails,
            support_email,
            to: f.to,
            cc: f.cc,
            web: f.web,
            webform: f.webform,
            phone: f.phone,
            fax: f.fax,
            rejected,
        }
    }
}

fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

fn default_to() -> Vec<AddressRole> {
    vec![AddressRole::Privacy]
}

/// What each role covers, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// The data for which the company is controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<Localized>,
    /// The data the company processes on the requester's behalf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor: Option<Localized>,
}

/// Whether the company may ask for an ID document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IdDocument {
    /// Never needed: the account binds the requester (the default; LEGAL §4).
    #[default]
    Never,
    /// Only if the company states reasonable doubts (Art. 12(6)).
    OnReasonableDoubt,
    /// The company insists on one (recorded; dsr still never attaches one by default).
    Required,
}

/// What the company needs to identify a requester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequirements {
    /// Identifiers every request must carry.
    #[serde(default)]
    pub required: Vec<String>,
    /// Identifiers required only for some letter kinds
    /// (`processor-deletion = ["account_subdomain"]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_kind: BTreeMap<LetterKind, Vec<String>>,
    /// Groups of alternatives: at least one identifier of each group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Vec<String>>,
    /// Accepted verification methods (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    /// Whether an ID document may be asked for.
    #[serde(default)]
    pub id_document: IdDocument,
    /// Labels for custom identifier keys (and overrides of built-in labels).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, Localized>,
}

impl IdentityRequirements {
    /// The identifiers required for a letter of `kind`: `required` plus
    /// `by_kind[kind]`, without duplicates, in order.
    pub fn required_for(&self, kind: LetterKind) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for k in self.required.iter().chain(self.by_kind.get(&kind).into_iter().flatten()) {
            if !out.contains(&k.as_str()) {
                out.push(k);
            }
        }
        out
    }
}

/// What the policy knows about the company as a processor: the agreement
/// a deletion instruction rests on, and when its own documented deletion
/// starts (`[processor]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Processor {
    /// The data processing agreement, with its deletion clause where known
    /// ("Data Processing Agreement, section 10"), in both languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Localized>,
    /// Days after the end of the services (cancellation) at which the
    /// company's own documented deletion starts (Zendesk: 90). A deletion
    /// confirmation is not asked for before then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_starts_after_days: Option<u32>,
}

/// Something the requester must do before sending (`--confirm ID`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Precondition {
    /// Short id used with `--confirm`.
    pub id: String,
    /// The kinds it applies to (empty: every initial kind).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<LetterKind>,
    /// English text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    /// German text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<String>,
}

impl Precondition {
    /// The text in a language.
    pub fn text(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::De => self.de.as_deref(),
        }
        .filter(|s| !s.trim().is_empty())
    }

    /// True when it applies to `kind`.
    pub fn applies_to(&self, kind: LetterKind) -> bool {
        if self.kinds.is_empty() { kind.is_initial() } else { self.kinds.contains(&kind) }
    }
}

/// Where the policy's facts come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// When the sources were last checked.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::toml_file::date::option")]
    pub checked: Option<NaiveDate>,
    /// The URLs the facts come from.
    #[serde(default)]
    pub urls: Vec<String>,
}

/// Provenance of an imported policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Import {
    /// The directory it came from (`datenanfragen`).
    pub source: String,
    /// The record's id there.
    pub slug: String,
    /// The source's commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Notes on what could not be mapped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A company policy. See the module docs and `docs/policies.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Identifier, equal to the file name without `.toml`.
    pub id: PolicyId,
    /// Display name ("Zendesk").
    pub name: String,
    /// How reliable the facts are.
    #[serde(default)]
    pub quality: Quality,
    /// The company's preferred letter language.
    pub language: Lang,
    /// Holiday calendar of the place where the company acts (deadlines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarCode>,
    /// The company's role towards the requester's data.
    pub role: Role,
    /// The lead supervisory authority's id (`ie-dpc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// How requests reach the company.
    #[serde(default)]
    pub transport: Transport,
    /// Imported policy ids this (curated or user) policy replaces: the
    /// catalog hides them and resolves their id to this policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
    /// Brands and services the company runs (for search).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<String>,
    /// Categories (for search).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Countries the policy is relevant for (ISO codes or `all`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// The legal entity.
    pub entity: Entity,
    /// Where requests go.
    #[serde(default)]
    pub contact: Contact,
    /// What each role covers.
    #[serde(default)]
    pub roles: Roles,
    /// What the company needs to identify a requester.
    #[serde(default)]
    pub identity: IdentityRequirements,
    /// The company as a processor (deletion instructions).
    #[serde(default, skip_serializing_if = "is_default")]
    pub processor: Processor,
    /// Ordered preconditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preconditions: Vec<Precondition>,
    /// Facts worth knowing, in both languages (shown by `policy show`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Localized>,
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Sources,
    /// Import provenance (imported policies only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<Import>,
}

impl Policy {
    /// Checks that a letter of `kind` may go to this company by email.
    ///
    /// # Errors
    /// [`Error::RoleMismatch`] or [`Error::NotByEmail`].
    pub fn check_kind(&self, kind: LetterKind) -> Result<(), Error> {
        self.check_role(kind)?;
        self.channel_for(None).map(|_| ())
    }

    /// Checks that a letter of `kind` fits the company's role.
    ///
    /// # Errors
    /// [`Error::RoleMismatch`].
    pub fn check_role(&self, kind: LetterKind) -> Result<(), Error> {
        if !self.role.allows(kind) {
            return Err(Error::RoleMismatch { id: self.id.clone(), role: self.role, kind });
        }
        Ok(())
    }

    /// The channels the company accepts, read from its data, with where
    /// each goes: email when it has a privacy address, post when it has a
    /// postal address, a web form when it names one. The one `transport`
    /// prefers comes first. A fax number is kept as data, not a channel.
    pub fn channels(&self) -> Vec<(Channel, String)> {
        let mut out = Vec::new();
        if let Some(a) = &self.contact.privacy_email {
            out.push((Channel::Email, a.to_string()));
        }
        if !self.entity.address.is_empty() {
            out.push((Channel::Post, self.postal_lines().join(", ")));
        }
        if let Some(url) = &self.contact.webform {
            out.push((Channel::Webform, url.clone()));
        }
        let preferred = match self.transport {
            Transport::Email | Transport::Fax => Channel::Email,
            Transport::Letter => Channel::Post,
            Transport::Webform => Channel::Webform,
        };
        out.sort_by_key(|(c, _)| (*c != preferred, *c));
        out
    }

    /// The channel a letter goes by: `via` if the company accepts it;
    /// without `via`, email when the policy says requests go by email and
    /// gives the address (dsr never picks post or a web form by itself).
    ///
    /// # Errors
    /// [`Error::ChannelNotAccepted`] for a `via` the policy has no data
    /// for; [`Error::NotByEmail`] without `via` for a company that is not
    /// written to by email (listing the channels it accepts).
    pub fn channel_for(&self, via: Option<Channel>) -> Result<Channel, Error> {
        let accepted = self.channels();
        if let Some(c) = via {
            if accepted.iter().any(|(a, _)| *a == c) {
                return Ok(c);
            }
            let what = match c {
                Channel::Email => crate::t!("policy.needs-email"),
                Channel::Post => crate::t!("policy.needs-post"),
                Channel::Webform => crate::t!("policy.needs-webform"),
            };
            return Err(Error::ChannelNotAccepted {
                id: self.id.clone(),
                name: self.name.clone(),
                channel: c,
                what,
                accepted,
            });
        }
        if self.transport == Transport::Email && self.contact.privacy_email.is_some() {
            return Ok(Channel::Email);
        }
        let instead = self
            .contact
            .webform
            .clone()
            .unwrap_or_else(|| format!("{}, {}", self.entity.legal_name, self.entity.address.join(", ")));
        Err(Error::NotByEmail {
            id: self.id.clone(),
            name: self.name.clone(),
            transport: if self.transport == Transport::Email { Transport::Letter } else { self.transport },
            instead,
            accepted,
        })
    }

    /// The postal address as a letter's address field shows it: the legal
    /// name, then the address lines (an address that repeats the name in
    /// its first line, as imported ones often do, has it once).
    pub fn postal_lines(&self) -> Vec<String> {
        let name = &self.entity.legal_name;
        let mut lines = vec![name.clone()];
        let skip = usize::from(self.entity.address.first().is_some_and(|l| l.trim() == name.trim()));
        lines.extend(self.entity.address.iter().skip(skip).cloned());
        lines
    }

    /// The addresses in To and Cc, resolved from the roles.
    pub fn recipients(&self) -> (Vec<EmailAddress>, Vec<EmailAddress>) {
        let resolve = |roles: &[AddressRole]| -> Vec<EmailAddress> {
            roles
                .iter()
                .filter_map(|r| match r {
                    AddressRole::Privacy => self.contact.privacy_email.clone(),
                    AddressRole::Support => self.contact.support_email.clone(),
                })
                .collect()
        };
        (resolve(&self.contact.to), resolve(&self.contact.cc))
    }

    /// The preconditions that apply to a letter of `kind`, in order.
    pub fn preconditions_for(&self, kind: LetterKind) -> Vec<&Precondition> {
        self.preconditions.iter().filter(|p| p.applies_to(kind)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_kinds() {
        assert!(Role::Both.allows(LetterKind::Erasure) && Role::Both.allows(LetterKind::ProcessorDeletion));
        assert!(!Role::Processor.allows(LetterKind::Erasure));
        assert!(!Role::Controller.allows(LetterKind::ProcessorDeletion));
    }

    #[test]
    fn a_kind_to_use_is_worded_for_the_command_line_or_the_row() {
        let e =
            Error::RoleMismatch { id: "zendesk".parse().unwrap(), role: Role::Processor, kind: LetterKind::Erasure };
        assert_eq!(e.hint().unwrap(), "this company only processes data for you: pass --kind processor-deletion");
        assert_eq!(
            e.hint_in(Words::Row { inline_subject: false }).unwrap(),
            "this company only processes data for you: set the row's kind field to processor-deletion"
        );
    }

    #[test]
    fn contact_addresses_are_parsed_and_bad_ones_kept_for_the_lint() {
        let c: Contact = toml::from_str(
            "privacy_email = \"dpo@acme.example\"\nalternative_emails = [\"a@acme.example\", \"b(at)acme\"]\n",
        )
        .unwrap();
        assert_eq!(c.privacy_email.as_ref().map(EmailAddress::domain), Some("acme.example"));
        assert_eq!(c.alternative_emails, ["a@acme.example"]);
        assert_eq!(c.rejected.len(), 1);
        assert_eq!(c.rejected[0].0, "contact.alternative_emails[1]");
        assert!(c.gave("contact.privacy_email") && !c.gave("contact.support_email"));
        // Written back as the same strings (the rejected one is not kept).
        assert_eq!(
            toml::to_string(&c).unwrap(),
            "privacy_email = \"dpo@acme.example\"\nalternative_emails = [\"a@acme.example\"]\nto = [\"privacy\"]\n"
        );
    }

    #[test]
    fn quote_list_reads_naturally() {
        assert_eq!(quote_list(&["a".into()]), "'a'");
        assert_eq!(quote_list(&["a".into(), "b".into(), "c".into()]), "'a', 'b' or 'c'");
    }
}
