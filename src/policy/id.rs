//! Policy ids: the name of a policy file without `.toml` (`zendesk`), as
//! `--to`, a batch row's `policy` field and the evidence log name it.
//!
//! A [`PolicyId`] is parsed where an id enters — the `id` key of a policy
//! file, `--to` and `dsr policy show` (clap's value parser), a batch row —
//! with the rule every policy, authority and precondition id follows
//! ([`is_valid_id`]), and carried typed from there: [`super::Catalog::get`],
//! the `prepared` event's `policy`, a case's policy. It reads and writes as
//! the plain string.
//!
//! ```
//! use dsr::policy::PolicyId;
//!
//! let id: PolicyId = "zendesk".parse().unwrap();
//! assert_eq!(id.as_str(), "zendesk");
//! assert_eq!(
//!     "Zendesk".parse::<PolicyId>().unwrap_err().to_string(),
//!     "'Zendesk' is not a valid policy id (lowercase letters, digits and dashes); written as an id: 'zendesk'"
//! );
//! ```

use super::problem::is_valid_id;
use std::fmt;
use std::str::FromStr;

/// A value that is not a policy id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", crate::t!("parse.policy-id", value = value), suggestion(value))]
pub struct InvalidPolicyId {
    /// The value as given (control characters escaped).
    pub value: String,
}

/// The value written the way ids are (lower case, dashes for spaces and
/// underscores), when that is an id: `Zendesk` → `zendesk`. Only the
/// spelling: whether a policy has that id is the catalog's to say.
fn suggestion(value: &str) -> String {
    let near: String =
        value.trim().chars().map(|c| if c == ' ' || c == '_' { '-' } else { c.to_ascii_lowercase() }).collect();
    if near != value && is_valid_id(&near) { crate::t!("parse.policy-id-near", near = near) } else { String::new() }
}

/// A policy id: lowercase ASCII letters, digits and dashes, not starting
/// with a dash, at most 100 characters. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PolicyId(String);

impl PolicyId {
    /// Parses an id.
    ///
    /// # Errors
    /// Not an id ([`is_valid_id`]).
    pub fn parse(id: &str) -> Result<PolicyId, InvalidPolicyId> {
        if is_valid_id(id) {
            Ok(PolicyId(id.to_string()))
        } else {
            // A long value is no typo of an id: shown cut, not echoed whole.
            let shown = match id.char_indices().nth(super::problem::MAX_ID_CHARS) {
                Some((cut, _)) => format!("{}…", id[..cut].escape_debug()),
                None => id.escape_debug().to_string(),
            };
            Err(InvalidPolicyId { value: shown })
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PolicyId {
    type Err = InvalidPolicyId;

    fn from_str(id: &str) -> Result<PolicyId, InvalidPolicyId> {
        PolicyId::parse(id)
    }
}

impl TryFrom<String> for PolicyId {
    type Error = InvalidPolicyId;

    fn try_from(id: String) -> Result<PolicyId, InvalidPolicyId> {
        PolicyId::parse(&id)
    }
}

impl From<PolicyId> for String {
    fn from(id: PolicyId) -> String {
        id.0
    }
}

// The derived `Hash` hashes the one `String`, as `str` does: `Borrow` holds.
impl std::borrow::Borrow<str> for PolicyId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PolicyId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for PolicyId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for PolicyId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_file_name_rule() {
        for ok in ["zendesk", "zendesk-international-ltd", "1und1", "a"] {
            assert_eq!(PolicyId::parse(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "-x", "Zendesk", "zen desk", "zen_desk", "zendesk.toml", "x\n", &"a".repeat(101)] {
            assert!(PolicyId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            PolicyId::parse("zen desk").unwrap_err().to_string(),
            "'zen desk' is not a valid policy id (lowercase letters, digits and dashes); written as an id: 'zen-desk'"
        );
        assert_eq!(
            PolicyId::parse("zendesk.toml").unwrap_err().to_string(),
            "'zendesk.toml' is not a valid policy id (lowercase letters, digits and dashes)"
        );
    }

    #[test]
    fn reads_and_writes_as_the_plain_string() {
        let id: PolicyId = serde_json::from_str("\"zendesk\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"zendesk\"");
        assert!(serde_json::from_str::<PolicyId>("\"Zendesk\"").is_err());
    }
}
