//! Identifiers: the pieces of information that tie a requester to an account.
//!
//! A policy lists which identifiers a company needs (`required`, and groups
//! of alternatives in `one_of`); a subject file supplies values under
//! `[identifiers]`. Keys come from a fixed vocabulary with built-in labels,
//! or are custom keys that the policy labels itself (`[identity.labels]`).

use super::Localized;
use crate::lang::Lang;

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
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, de)| if lang == Lang::De { *de } else { *en }.to_string())
        .unwrap_or_else(|| key.to_string())
}

/// How a requester's identity or authority was verified (DESIGN §5,
/// legal-and-log A.3). Written in policies (accepted methods) and subject
/// files (the method used).
pub const METHODS: &[(&str, &str)] = &[
    ("sent_from_account_email", "the request is sent from the account's registered email address"),
    ("challenge_to_account_email", "a challenge sent to the account's email address was answered"),
    ("authenticated_session", "the requester was logged in to the account"),
    ("known_shared_secret", "the requester knows a secret only the account holder has (e.g. customer number)"),
    ("in_person_sighting_no_copy", "an ID document was seen in person; no copy was kept"),
    ("eid_or_qes", "electronic ID or qualified electronic signature"),
    ("contract_party", "the requester is the contracting party (controller) or its authorised signatory"),
];

/// True for a known verification method.
pub fn is_method(m: &str) -> bool {
    METHODS.iter().any(|(k, _)| *k == m)
}

/// All method names, comma-separated, for messages.
pub fn method_list() -> String {
    METHODS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
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
}
