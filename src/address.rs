//! Email addresses as dsr accepts them: a plain `local@domain`, nothing that
//! could smuggle a header line into a message.

/// An email address that did not validate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid email address: {reason}")]
pub struct InvalidEmail {
    /// The value as given (control characters escaped).
    pub value: String,
    /// Why it was refused.
    pub reason: String,
}

/// Parses a bare address (`dpo@example.org`, no display name).
///
/// # Errors
/// Control characters (CR/LF would allow header injection), a display name
/// or angle brackets, or anything RFC 5321 does not allow.
pub fn parse_email(value: &str) -> Result<lettre::Address, InvalidEmail> {
    let fail = |reason: &str| InvalidEmail { value: value.escape_debug().to_string(), reason: reason.to_string() };
    if value.chars().any(char::is_control) {
        return Err(fail("it contains a control character (line break or tab)"));
    }
    if value.trim() != value {
        return Err(fail("it has leading or trailing spaces"));
    }
    if value.contains(['<', '>', ' ']) {
        return Err(fail("write only the address, without a name or angle brackets"));
    }
    value.parse::<lettre::Address>().map_err(|e| fail(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_refuses_tricks() {
        assert!(parse_email("euprivacy@zendesk.com").is_ok());
        for bad in ["x", "a@", "@b", "a b@c.d", "a@b.c\r\nBcc: e@f.g", "Name <a@b.c>", " a@b.c"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_email("nope").unwrap_err().to_string(),
            "'nope' is not a valid email address: Missing domain or user"
        );
    }
}
