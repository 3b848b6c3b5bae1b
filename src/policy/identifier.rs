//! Identifiers: the pieces of information that tie a requester to an account.
//!
//! A policy lists which identifiers a company needs (`required`, and groups
//! of alternatives in `one_of`); a subject file supplies values under
//! `[identifiers]`. Keys come from a fixed vocabulary with built-in labels,
//! or are custom keys that the policy labels itself (`[identity.labels]`).

use super::Localized;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The identifier keys dsr knows, with English and German labels.
pub const KNOWN: &[(&str, &str, &str)] = &[
    ("name", "Full name", "Vollständiger Name"),
    ("email", "Contact email address", "Kontakt-E-Mail-Adresse"),
    ("account_email", "Email address of the account", "E-Mail-Adresse des Kontos"),
    ("account_id", "Account ID", "Konto-ID"),
    ("account_subdomain", "Account subdomain", "Subdomain des Kontos"),
    ("customer_number", "Customer number", "Kundennummer"),
    ("contract_number", "Contract number", "Vertragsnummer"),
    ("username", "User name", "Benutzername"),
    ("phone", "Phone number", "Telefonnummer"),
    ("postal_address", "Postal address", "Postanschrift"),
    ("birth_date", "Date of birth", "Geburtsdatum"),
];

/// The label key for a controller's `name`: the organisation's name, not a
/// person's ("Name der Organisation", never "Vollständiger Name").
pub const ORGANISATION_NAME: &str = "organisation_name";

/// Labels that are not identifier keys a subject file can give.
const EXTRA_LABELS: &[(&str, &str, &str)] = &[(ORGANISATION_NAME, "Name of the organisation", "Name der Organisation")];

/// True for keys of the built-in vocabulary.
pub fn is_known(key: &str) -> bool {
    KNOWN.iter().any(|(k, _, _)| *k == key)
}

/// True for a syntactically valid key: lowercase ASCII letters, digits and
/// underscores, starting with a letter.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The label of a key in a language: the policy's own label if it has one,
/// else the built-in one, else the key itself.
pub fn label(key: &str, lang: Lang, policy_labels: Option<&std::collections::BTreeMap<String, Localized>>) -> String {
    if let Some(l) = policy_labels.and_then(|m| m.get(key)).and_then(|l| l.get(lang)) {
        return l.to_string();
    }
    KNOWN
        .iter()
        .chain(EXTRA_LABELS)
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, de)| if lang == Lang::De { *de } else { *en }.to_string())
        .unwrap_or_else(|| key.to_string())
}

/// How the requester was tied to the account (DESIGN §5, legal-and-log
/// A.3; EDPB Guidelines 01/2022, paras. 63-78: prefer the channel the
/// account already uses). A policy lists the methods it accepts; a subject
/// file names the one used, parsed when the file is loaded; the identity
/// record states it. Written in files as the snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The request is sent from the account's registered email address.
    SentFromAccountEmail,
    /// The request is sent from the requester's own contact address, the
    /// one the record lists: for a company that may hold no account (a
    /// credit bureau, a data broker). dsr records this instead of
    /// [`Method::SentFromAccountEmail`] when the policy names no
    /// identifier (issue 16 point 3).
    SentFromContactEmail,
    /// A challenge sent to the account's address was answered.
    ChallengeToAccountEmail,
    /// The requester was logged in to the account.
    AuthenticatedSession,
    /// The requester knows a secret only the account holder has (e.g. a
    /// customer number).
    KnownSharedSecret,
    /// An identity document was seen in person; no copy was kept.
    InPersonSightingNoCopy,
    /// Electronic identification or a qualified electronic signature.
    EidOrQes,
    /// The requester is the contracting party (the controller) or its
    /// authorised signatory (controller-to-processor instructions).
    ContractParty,
}

impl Method {
    /// Every method, in the order messages list them.
    pub const ALL: [Method; 8] = [
        Method::SentFromAccountEmail,
        Method::SentFromContactEmail,
        Method::ChallengeToAccountEmail,
        Method::AuthenticatedSession,
        Method::KnownSharedSecret,
        Method::InPersonSightingNoCopy,
        Method::EidOrQes,
        Method::ContractParty,
    ];

    /// The name written in files (`sent_from_account_email`).
    pub fn name(self) -> &'static str {
        match self {
            Method::SentFromAccountEmail => "sent_from_account_email",
            Method::SentFromContactEmail => "sent_from_contact_email",
            Method::ChallengeToAccountEmail => "challenge_to_account_email",
            Method::AuthenticatedSession => "authenticated_session",
            Method::KnownSharedSecret => "known_shared_secret",
            Method::InPersonSightingNoCopy => "in_person_sighting_no_copy",
            Method::EidOrQes => "eid_or_qes",
            Method::ContractParty => "contract_party",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of the [`Method`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("parse.method", value = self.0, list = method_list()))]
pub struct UnknownMethod(pub String);

impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Method, UnknownMethod> {
        Method::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| UnknownMethod(s.to_string()))
    }
}

/// True for a known verification method.
pub fn is_method(m: &str) -> bool {
    m.parse::<Method>().is_ok()
}

/// All method names, comma-separated, for messages.
pub fn method_list() -> String {
    Method::ALL.map(Method::name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_labels() {
        assert!(is_valid_key("account_email") && is_valid_key("ticket_no2"));
        assert!(!is_valid_key("Account") && !is_valid_key("2x") && !is_valid_key("") && !is_valid_key("a-b"));
        assert_eq!(label("account_subdomain", Lang::De, None), "Subdomain des Kontos");
        assert_eq!(label("ticket_no", Lang::En, None), "ticket_no");
        for (k, _, _) in KNOWN {
            assert!(is_valid_key(k));
        }
    }

    #[test]
    fn methods_parse_by_their_file_name() {
        for m in Method::ALL {
            assert_eq!(m.name().parse::<Method>(), Ok(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.name(), "the serde name is the file name");
        }
        let e = "telepathy".parse::<Method>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "'telepathy' is not a verification method; one of: sent_from_account_email, sent_from_contact_email, \
             challenge_to_account_email, authenticated_session, known_shared_secret, in_person_sighting_no_copy, eid_or_qes, contract_party"
        );
    }
}
