//! Message-IDs: `id-left@id-right` (RFC 5322 §3.6.4), without angle
//! brackets.
//!
//! A [`MessageId`] is made by [`super::message::generate_message_id`] (or
//! read from a received message, [`super::parse`]) and carried typed from
//! there: into the built message, the evidence log's events, the case
//! state and the letters that cite it. Both halves are dot-atoms (letters,
//! digits and ``!#$%&'*+-/=?^_`{|}~.``), so an id can never break a header
//! line. It reads and writes as the plain string (the log's `message_id`
//! and `in_reply_to` members, byte for byte); [`MessageId::bracketed`]
//! gives the `<…>` form headers and letters show.
//!
//! ```
//! use dsr::mail::MessageId;
//!
//! let id: MessageId = "1a2b3c@example.org".parse().unwrap();
//! assert_eq!((id.to_string(), id.bracketed()), ("1a2b3c@example.org".into(), "<1a2b3c@example.org>".into()));
//! assert!("<1a2b3c@example.org>".parse::<MessageId>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

/// A value that is not a Message-ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("mail.parse.invalid-message-id", value = value))]
pub struct InvalidMessageId {
    /// The value as given (control characters escaped).
    pub value: String,
}

/// A Message-ID without angle brackets. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageId(String);

impl MessageId {
    /// Parses an id written without angle brackets.
    ///
    /// # Errors
    /// Not `dot-atom@dot-atom`, or longer than 250 characters.
    pub fn parse(id: &str) -> Result<MessageId, InvalidMessageId> {
        let ok = id.len() <= 250
            && id.split_once('@').is_some_and(|(l, d)| is_dot_atom(l) && is_dot_atom(d) && !d.contains('@'));
        if ok { Ok(MessageId(id.to_string())) } else { Err(InvalidMessageId { value: id.escape_debug().to_string() }) }
    }

    /// The id as written, without angle brackets.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or(self.0.as_str(), |(l, _)| l)
    }

    /// `<id>`, as in a header or a letter.
    pub fn bracketed(&self) -> String {
        format!("<{}>", self.0)
    }
}

/// RFC 5322 `atext` plus the dot (dot-atom), as used in msg-id.
fn is_dot_atom(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && !s.ends_with('.')
        && !s.contains("..")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
}

impl FromStr for MessageId {
    type Err = InvalidMessageId;

    fn from_str(id: &str) -> Result<MessageId, InvalidMessageId> {
        MessageId::parse(id)
    }
}

impl TryFrom<String> for MessageId {
    type Error = InvalidMessageId;

    fn try_from(id: String) -> Result<MessageId, InvalidMessageId> {
        MessageId::parse(&id)
    }
}

impl From<MessageId> for String {
    fn from(id: MessageId) -> String {
        id.0
    }
}

// The derived `Hash` hashes the one `String`, as `str` does: `Borrow` holds.
impl std::borrow::Borrow<str> for MessageId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for MessageId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for MessageId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for MessageId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dot_atoms_at_dot_atoms() {
        let id = MessageId::parse("5f1c.0e3a+x=@beispiel-handel.example").unwrap();
        assert_eq!((id.as_str(), id.local_part()), ("5f1c.0e3a+x=@beispiel-handel.example", "5f1c.0e3a+x="));
        assert_eq!(id.bracketed(), "<5f1c.0e3a+x=@beispiel-handel.example>");
        for bad in ["", "x", "<x@y>", "a@b@c", ".a@b", "a..b@c", "a@b.", "a b@c", "a@b\r\nX: y", "a@[1.2.3.4]"] {
            assert!(MessageId::parse(bad).is_err(), "{bad}");
        }
        assert!(MessageId::parse(&format!("{}@x", "a".repeat(249))).is_err());
        assert_eq!(
            MessageId::parse("<x@y>").unwrap_err().to_string(),
            "'<x@y>' is not an id like 1a2b3c@example.org (no angle brackets)"
        );
        assert_eq!(
            "x@y\n".parse::<MessageId>().unwrap_err().to_string(),
            "'x@y\\n' is not an id like 1a2b3c@example.org (no angle brackets)"
        );
    }

    #[test]
    fn reads_and_writes_as_the_plain_string() {
        let text = "\"ec051efce2e648f94a3a7aec1eb629b6@beispiel-handel.example\"";
        let id: MessageId = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), text);
        let e = serde_json::from_str::<MessageId>("\"<x@y>\"").unwrap_err();
        assert!(e.to_string().starts_with("'<x@y>' is not an id like"), "{e}");
    }
}
