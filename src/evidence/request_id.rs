//! [`RequestId`]: the random name of one request (one case) in the log.
//!
//! `r_` followed by 16 characters of lowercase RFC 4648 base32
//! (`a`–`z`, `2`–`7`), i.e. 80 random bits. Ids are never derived from
//! personal data, so a log line naming a request reveals nothing about the
//! data subject.
//!
//! ```
//! use dsr::evidence::RequestId;
//! let id: RequestId = "r_k3q7z2m4x7w5abcd".parse().unwrap();
//! assert_eq!(id.to_string(), "r_k3q7z2m4x7w5abcd");
//! assert!("r_k3q9".parse::<RequestId>().is_err());
//! ```

use super::Error;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The id of one request: `r_` + 16 lowercase base32 characters.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(String);

/// A string that is not a request id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("evidence.parse.request-id", text = format!("{:?}", self.0)))]
pub struct ParseRequestIdError(pub String);

/// The length of the random part.
const RANDOM_CHARS: usize = 16;
const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

impl RequestId {
    /// A fresh id from the operating system's random source (80 bits).
    ///
    /// # Errors
    /// [`Error::Random`]: the operating system has no random source.
    pub fn generate() -> Result<RequestId, Error> {
        let mut bytes = [0u8; 10];
        getrandom::fill(&mut bytes).map_err(|e| Error::Random { reason: e.to_string() })?;
        Ok(RequestId::from_random(bytes))
    }

    /// The id whose random part encodes these 80 bits (base32, 5 bits per
    /// character).
    pub fn from_random(bytes: [u8; 10]) -> RequestId {
        let mut bits: u128 = 0;
        for b in bytes {
            bits = (bits << 8) | u128::from(b);
        }
        let mut id = String::with_capacity(2 + RANDOM_CHARS);
        id.push_str("r_");
        for i in (0..RANDOM_CHARS).rev() {
            id.push(char::from(BASE32[((bits >> (5 * i)) & 31) as usize]));
        }
        RequestId(id)
    }

    /// The id as written in the log.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True if `s` is a well-formed id.
    pub fn is_valid(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 2 + RANDOM_CHARS
            && b.starts_with(b"r_")
            && b[2..].iter().all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(c))
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({})", self.0)
    }
}

impl FromStr for RequestId {
    type Err = ParseRequestIdError;

    fn from_str(s: &str) -> Result<RequestId, ParseRequestIdError> {
        if RequestId::is_valid(s) { Ok(RequestId(s.to_string())) } else { Err(ParseRequestIdError(s.to_string())) }
    }
}

impl Serialize for RequestId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RequestId, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_valid_and_differ() {
        let a = RequestId::generate().unwrap();
        let b = RequestId::generate().unwrap();
        assert!(RequestId::is_valid(a.as_str()), "{a}");
        assert_ne!(a, b);
        assert_eq!(RequestId::from_random([0; 10]).as_str(), "r_aaaaaaaaaaaaaaaa");
        assert_eq!(RequestId::from_random([0xff; 10]).as_str(), "r_7777777777777777");
    }

    #[test]
    fn parse_rejects_other_shapes() {
        for bad in ["", "r_", "r_AAAAAAAAAAAAAAAA", "r_aaaaaaaaaaaaaaa1", "x_aaaaaaaaaaaaaaaa", "r_aaaaaaaaaaaaaaaaa"] {
            assert!(bad.parse::<RequestId>().is_err(), "{bad}");
        }
        assert!("r_abcdefgh234567zz".parse::<RequestId>().is_ok());
    }
}
