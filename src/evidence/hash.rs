//! [`Sha256`]: the digest that names every line and object of the evidence
//! log, written as 64 lowercase hex digits.
//!
//! ```
//! use dsr::evidence::Sha256;
//! let h = Sha256::digest(b"");
//! assert_eq!(h.to_string(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
//! assert_eq!(h.to_string().parse::<Sha256>().unwrap(), h);
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Digest;
use std::fmt;
use std::str::FromStr;

/// A SHA-256 digest. Displays and parses as 64 lowercase hex digits, the
/// only spelling the log uses.
/// The default is [`Sha256::ZERO`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256([u8; 32]);

/// A string that is not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("evidence.parse.sha256", text = format!("{:?}", self.0)))]
pub struct ParseSha256Error(pub String);

impl Sha256 {
    /// The all-zero digest: the `prev` of line 0.
    pub const ZERO: Sha256 = Sha256([0; 32]);

    /// The digest of `bytes`.
    pub fn digest(bytes: &[u8]) -> Sha256 {
        Sha256(sha2::Sha256::digest(bytes).into())
    }

    /// Wraps raw digest bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Sha256 {
        Sha256(bytes)
    }

    /// The raw digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Parses exactly 64 lowercase hex digits (bytes), as [`FromStr`] does,
    /// without building a `String`.
    pub(crate) fn parse_hex(text: &[u8]) -> Option<Sha256> {
        if text.len() != 64 {
            return None;
        }
        // Table lookup, no early exit: the verifier parses millions of these.
        let mut out = [0u8; 32];
        let mut bad = 0u8;
        for (o, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
            let (hi, lo) = (HEX_VALUE[usize::from(pair[0])], HEX_VALUE[usize::from(pair[1])]);
            bad |= hi | lo;
            *o = (hi << 4) | (lo & 0x0f);
        }
        (bad & 0xf0 == 0).then_some(Sha256(out))
    }

    /// Writes the 64 hex digits into `out` (no allocation).
    pub(crate) fn write_hex(&self, out: &mut [u8; 64]) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (i, b) in self.0.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0xf)];
        }
    }
}

/// The value of each lowercase hex digit; 0xff for every other byte.
const HEX_VALUE: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut hex = [0u8; 64];
        self.write_hex(&mut hex);
        // The buffer holds only ASCII hex digits.
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({self})")
    }
}

impl FromStr for Sha256 {
    type Err = ParseSha256Error;

    fn from_str(s: &str) -> Result<Sha256, ParseSha256Error> {
        Sha256::parse_hex(s.as_bytes()).ok_or_else(|| ParseSha256Error(s.to_string()))
    }
}

impl Serialize for Sha256 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sha256 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sha256, D::Error> {
        // A visitor rather than `String`: the verifier parses millions of
        // these and should not allocate for each.
        struct HexVisitor;
        impl serde::de::Visitor<'_> for HexVisitor {
            type Value = Sha256;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("64 lowercase hex digits")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Sha256, E> {
                self.visit_bytes(v.as_bytes())
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Sha256, E> {
                let text = || String::from_utf8_lossy(v).into_owned();
                Sha256::parse_hex(v).ok_or_else(|| E::custom(ParseSha256Error(text())))
            }
        }
        // Bytes: serde_json then skips the UTF-8 check; hex digits are ASCII.
        d.deserialize_bytes(HexVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_uppercase_and_wrong_length() {
        let h = Sha256::digest(b"abc");
        assert_eq!(h.to_string(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(h.to_string().parse::<Sha256>(), Ok(h));
        assert!("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD".parse::<Sha256>().is_err());
        assert!("ba78".parse::<Sha256>().is_err());
        assert_eq!(Sha256::ZERO.to_string(), "0".repeat(64));
    }
}
