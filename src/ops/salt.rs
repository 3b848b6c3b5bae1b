//! Salts for the objects dsr writes that hold personal data (issue 13
//! point 7; docs/evidence-log.md §4.1).
//!
//! An object is named by the SHA-256 of its bytes, and that name stays in
//! the log after `dsr purge` deleted the bytes. Without randomness inside,
//! anyone holding the log could confirm a guess about erased data by
//! hashing it (a note `done`, the envelope of a known address). So every
//! such object carries 128 random bits, deleted with it:
//!
//! - the letter text and notes end in a last line `dsr-salt: <32 hex>`
//!   after a blank line ([`text`]);
//! - the letter context and the envelope (JSON) have a first member
//!   `"salt": "<32 hex>"` ([`json`]);
//! - the mail message and the PDF of a letter for post carry a random
//!   Message-ID / document id (128 bits), the identity record its 256-bit
//!   nonce, already.

use crate::Error;
use serde::Serialize;

/// How the salt line of a text object starts.
pub const TRAILER: &str = "dsr-salt: ";

/// 128 random bits as 32 lowercase hex digits.
///
/// # Errors
/// The system's random source failed.
pub fn salt() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| crate::mail::Error::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A text object: the text, a blank line, `dsr-salt: HEX` and a newline.
///
/// # Errors
/// The system's random source failed.
pub fn text(text: &str) -> Result<Vec<u8>, Error> {
    let sep = if text.ends_with('\n') { "\n" } else { "\n\n" };
    Ok(format!("{text}{sep}{TRAILER}{}\n", salt()?).into_bytes())
}

/// The text of a text object without its salt line (unchanged if it has
/// none: objects of logs written before salts).
pub fn unsalted(bytes: &[u8]) -> &[u8] {
    let Some(at) =
        bytes.windows(TRAILER.len() + 2).rposition(|w| w.starts_with(b"\n\n") && w.ends_with(TRAILER.as_bytes()))
    else {
        return bytes;
    };
    &bytes[..=at]
}

/// A JSON object with `"salt"` first, then the members of `value`
/// (pretty-printed when `pretty`).
///
/// # Errors
/// The system's random source failed, or `value` is not a JSON object.
pub fn json(value: &impl Serialize, pretty: bool) -> Result<Vec<u8>, Error> {
    #[derive(Serialize)]
    struct Salted<'a, T: Serialize> {
        salt: String,
        #[serde(flatten)]
        value: &'a T,
    }
    let salted = Salted { salt: salt()?, value };
    let bytes = if pretty { serde_json::to_vec_pretty(&salted) } else { serde_json::to_vec(&salted) };
    bytes.map_err(|e| crate::mail::Error::Assemble(format!("an object's JSON: {e}")).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salted_objects_differ_and_keep_their_content() {
        let (a, b) = (text("done").unwrap(), text("done").unwrap());
        assert_ne!(a, b);
        assert_eq!(unsalted(&a), b"done\n");
        assert!(String::from_utf8(a).unwrap().starts_with("done\n\ndsr-salt: "));
        assert_eq!(unsalted(&text("A\n\nB\n").unwrap()), b"A\n\nB\n");
        assert_eq!(unsalted(b"old letter\n"), b"old letter\n");
        let j = json(&serde_json::json!({"mail_from": "a@x"}), false).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&j).unwrap();
        assert_eq!(v["salt"].as_str().unwrap().len(), 32);
        assert_eq!(v["mail_from"], "a@x");
        assert!(j.starts_with(b"{\"salt\":"));
        assert_ne!(json(&v, true).unwrap(), json(&v, true).unwrap());
    }
}
