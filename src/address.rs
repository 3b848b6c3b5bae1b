//! Email addresses as dsr accepts them: a plain `local@domain`, nothing that
//! could smuggle a header line into a message.
//!
//! [`EmailAddress`] is parsed once, where an address enters (a config,
//! policy or subject file, an authority file), with an error that names
//! the file and key; from there on it is carried typed, so nothing checks
//! an address again or splits its domain out by hand. It reads and writes
//! as a plain string (TOML, JSON, the evidence log), byte for byte as
//! written.
//!
//! ```
//! use dsr::address::EmailAddress;
//!
//! let a: EmailAddress = "dpo@example.org".parse().unwrap();
//! assert_eq!((a.local_part(), a.domain()), ("dpo", "example.org"));
//! assert_eq!(serde_json::to_string(&a).unwrap(), "\"dpo@example.org\"");
//! assert!("Name <dpo@example.org>".parse::<EmailAddress>().is_err());
//! ```
//!
//! A leaf: it imports nothing of dsr.

use std::fmt;
use std::str::FromStr;

/// An email address that did not validate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("parse.email", value = value, reason = reason))]
pub struct InvalidEmail {
    /// The value as given (control characters escaped).
    pub value: String,
    /// Why it was refused.
    pub reason: String,
}

/// A bare, valid email address (`dpo@example.org`, no display name): no
/// control character, no surrounding space, no angle brackets, and what
/// RFC 5321 allows (lettre's rules).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(lettre::Address);

// Hashed as its text, so that `Borrow<str>` holds (lookups by `&str`).
impl std::hash::Hash for EmailAddress {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::borrow::Borrow<str> for EmailAddress {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl EmailAddress {
    /// The address as written.
    pub fn as_str(&self) -> &str {
        self.0.as_ref()
    }

    /// The part after the `@` (`example.org`).
    pub fn domain(&self) -> &str {
        self.0.domain()
    }

    /// The part before the `@` (`dpo`).
    pub fn local_part(&self) -> &str {
        self.0.user()
    }

    /// The address for lettre (envelopes and mailboxes).
    pub fn to_lettre(&self) -> lettre::Address {
        self.0.clone()
    }
}

/// Parses a bare address (`dpo@example.org`, no display name).
///
/// # Errors
/// Control characters (CR/LF would allow header injection), a display name
/// or angle brackets, or anything RFC 5321 does not allow.
pub fn parse_email(value: &str) -> Result<EmailAddress, InvalidEmail> {
    let fail = |reason: &str| InvalidEmail { value: value.escape_debug().to_string(), reason: reason.to_string() };
    if value.chars().any(char::is_control) {
        return Err(fail(&crate::t!("parse.email-control")));
    }
    if value.trim() != value {
        return Err(fail(&crate::t!("parse.email-spaces")));
    }
    if value.contains(['<', '>', ' ']) {
        return Err(fail(&crate::t!("parse.email-name")));
    }
    value.parse::<lettre::Address>().map(EmailAddress).map_err(|e| fail(&e.to_string()))
}

impl FromStr for EmailAddress {
    type Err = InvalidEmail;

    fn from_str(value: &str) -> Result<EmailAddress, InvalidEmail> {
        parse_email(value)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = InvalidEmail;

    fn try_from(value: String) -> Result<EmailAddress, InvalidEmail> {
        parse_email(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(a: EmailAddress) -> String {
        a.as_str().to_string()
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for EmailAddress {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for EmailAddress {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_refuses_tricks() {
        let a = parse_email("euprivacy@zendesk.com").unwrap();
        assert_eq!((a.as_str(), a.local_part(), a.domain()), ("euprivacy@zendesk.com", "euprivacy", "zendesk.com"));
        assert_eq!(a.to_string(), "euprivacy@zendesk.com");
        for bad in ["x", "a@", "@b", "a b@c.d", "a@b.c\r\nBcc: e@f.g", "Name <a@b.c>", " a@b.c"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_email("nope").unwrap_err().to_string(),
            "'nope' is not a valid email address: Missing domain or user"
        );
        assert_eq!(
            "a@b.c\r\nBcc: e@f.g".parse::<EmailAddress>().unwrap_err().to_string(),
            "'a@b.c\\r\\nBcc: e@f.g' is not a valid email address: it contains a control character (line break or tab)"
        );
    }

    #[test]
    fn reads_and_writes_as_the_plain_string() {
        for text in ["\"Dpo.Team+x@Example.org\"", "\"a@b.example\""] {
            let a: EmailAddress = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&a).unwrap(), text);
        }
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        struct File {
            email: EmailAddress,
        }
        let toml_text = "email = \"dpo@example.org\"\n";
        let f: File = toml::from_str(toml_text).unwrap();
        assert_eq!(toml::to_string(&f).unwrap(), toml_text);
        let e = toml::from_str::<File>("email = \"dpo(at)example.org\"\n").unwrap_err();
        assert_eq!(e.message(), "'dpo(at)example.org' is not a valid email address: Missing domain or user");
    }
}
