//! A borrowed reader of a line's `data` object for the shapes dsr writes,
//! without `serde_json` and without allocating per member.
//!
//! It is a fast path only, never the authority: it says `Some` only for a
//! `data` that is compact JSON (no whitespace), has no escapes in member
//! names and none but the two-character ones in string values (a
//! checkpoint's note has `\n`), no control characters, no fractions or exponents, integers of at most 18
//! digits, and nesting well below `serde_json`'s limit. For anything else
//! it says `None` and the strict `serde_json` parser of [`line`](super::line)
//! decides, so the two accept exactly the same lines and the errors always
//! come from the strict parser. On what it accepts it checks everything the
//! strict parser checks: the JSON grammar, UTF-8 in strings, duplicate
//! member names at every depth, and the shapes of `objects`, `purged`,
//! `format`, `origin`, `key`, `note` and `request_prev`. A property test in
//! `line` holds the two to agreement on arbitrary and mutated lines.

use super::line::DataRefs;
use super::{Sha256, Stored};
use std::borrow::Cow;

/// How deep arrays and objects may nest here (`serde_json` refuses beyond
/// 128; deeper values go to it).
const MAX_DEPTH: usize = 32;

/// Member names tracked per object; an object with more goes to the strict
/// parser.
const MAX_KEYS: usize = 32;

/// Reads `data` (the bytes of the JSON object), or `None` if the strict
/// parser must decide.
pub(crate) fn data_refs(data: &[u8]) -> Option<DataRefs> {
    let mut s = Scan { b: data, i: 0 };
    let refs = s.top()?;
    (s.i == data.len()).then_some(refs)
}

/// The length of the start of `s` that is printable ASCII other than `"`
/// and `\\`: where a string without escapes ends, or something else must
/// be looked at (a backslash, a control character, a byte of UTF-8).
///
/// Eight bytes at a time: for each byte of a word, the high bit of
/// `(v - 0x01…) & !v` is set if the byte of `v` is zero (the borrow can
/// flag a byte above a zero byte, never below one, so the lowest flag is
/// exact), `(x - 0x20…) & !x` flags a byte below 0x20, and `x` itself a
/// byte of 0x80 or more.
fn plain_prefix(s: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let special = |c: u8| c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c);
    let mut i = 0;
    while let Some(word) = s[i..].first_chunk::<8>() {
        let x = u64::from_le_bytes(*word);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let flags = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x)
            | x)
            & HIGH;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + s[i..].iter().position(|&c| special(c)).unwrap_or(s.len() - i)
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

/// The member names of one object, to refuse duplicates. Without escapes,
/// equal bytes are equal names.
struct Keys<'a> {
    seen: [&'a [u8]; MAX_KEYS],
    len: usize,
}

impl<'a> Keys<'a> {
    fn new() -> Keys<'a> {
        Keys { seen: [&[]; MAX_KEYS], len: 0 }
    }

    fn insert(&mut self, key: &'a [u8]) -> Option<()> {
        if self.len == MAX_KEYS || self.seen[..self.len].contains(&key) {
            return None;
        }
        self.seen[self.len] = key;
        self.len += 1;
        Some(())
    }
}

impl<'a> Scan<'a> {
    fn eat(&mut self, c: u8) -> Option<()> {
        if *self.b.get(self.i)? == c {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    fn next(&mut self) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }

    /// A string without escapes or control characters, valid UTF-8: its
    /// bytes between the quotes.
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let rest = &self.b[self.i..];
        let mut len = plain_prefix(rest);
        match *rest.get(len)? {
            b'"' => {}
            // Not ASCII: the rest up to the quote, checked as such.
            c if c >= 0x80 => {
                len = memchr::memchr2(b'"', b'\\', rest)?;
                let s = &rest[..len];
                // No control characters before the quote (JSON needs
                // them escaped), no escape.
                if rest[len] != b'"' || s.iter().any(|&c| c < 0x20) {
                    return None;
                }
                std::str::from_utf8(s).ok()?;
            }
            // A backslash or a control character.
            _ => return None,
        }
        self.i += len + 1;
        Some(&rest[..len])
    }

    /// A string value, which may have the two-character escapes (`\"`,
    /// `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`; a `\u` escape goes to
    /// the strict parser): its bytes, decoded, valid UTF-8.
    fn text(&mut self) -> Option<Cow<'a, [u8]>> {
        let start = self.i;
        if let Some(s) = self.string() {
            return Some(Cow::Borrowed(s));
        }
        self.i = start;
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let rest = &self.b[self.i..];
            let len = memchr::memchr2(b'"', b'\\', rest)?;
            let part = &rest[..len];
            if part.iter().any(|&c| c < 0x20) {
                return None;
            }
            out.extend_from_slice(part);
            self.i += len + 1;
            if rest[len] == b'"' {
                break;
            }
            out.push(match self.next()? {
                c @ (b'"' | b'\\' | b'/') => c,
                b'b' => 0x08,
                b'f' => 0x0c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                _ => return None,
            });
        }
        // The escapes are ASCII: the parts between them must be UTF-8.
        std::str::from_utf8(&out).ok()?;
        Some(Cow::Owned(out))
    }

    fn owned_string(&mut self) -> Option<String> {
        // `text` checked UTF-8.
        String::from_utf8(self.text()?.into_owned()).ok()
    }

    /// A non-negative integer of 1 to 18 digits (no leading zero, no
    /// fraction, no exponent).
    fn uint(&mut self) -> Option<u64> {
        let rest = &self.b[self.i..];
        let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 18 || (n > 1 && rest[0] == b'0') || matches!(rest.get(n), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let v = rest[..n].iter().fold(0u64, |v, &c| v * 10 + u64::from(c - b'0'));
        self.i += n;
        Some(v)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// Any JSON value, checked and skipped.
    fn value(&mut self, depth: usize) -> Option<()> {
        match *self.b.get(self.i)? {
            b'"' => self.text().map(drop),
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' => {
                self.i += 1;
                self.uint().map(drop)
            }
            _ => self.uint().map(drop),
        }
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        let mut keys = Keys::new();
        loop {
            keys.insert(self.string()?)?;
            self.eat(b':')?;
            self.value(depth)?;
            match self.next()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.value(depth)?;
            match self.next()? {
                b',' => {}
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// `data` itself: what [`DataRefs`] holds, the rest checked and skipped.
    fn top(&mut self) -> Option<DataRefs> {
        let mut refs = DataRefs::default();
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(refs);
        }
        let mut keys = Keys::new();
        loop {
            let key = self.string()?;
            keys.insert(key)?;
            self.eat(b':')?;
            refs.members += 1;
            match key {
                b"objects" => refs.objects = self.objects()?,
                b"purged" => {
                    refs.has_purged = true;
                    refs.purged = self.hashes()?;
                }
                b"format" => refs.format = Some(self.owned_string()?),
                b"origin" => refs.origin = Some(self.owned_string()?),
                b"key" => refs.key = Some(self.owned_string()?),
                b"note" => refs.note = Some(self.owned_string()?),
                b"request_prev" => refs.request_prev = Some(self.uint()?),
                _ => self.value(1)?,
            }
            match self.next()? {
                b',' => {}
                b'}' => return Some(refs),
                _ => return None,
            }
        }
    }

    /// `data.objects`: objects of exactly `role` (not empty), `sha256` and
    /// `size`, in any order.
    fn objects(&mut self) -> Option<Vec<Stored>> {
        let mut out = Vec::new();
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(out);
        }
        loop {
            self.eat(b'{')?;
            let (mut role, mut sha256, mut size) = (None, None, None);
            loop {
                let key = self.string()?;
                self.eat(b':')?;
                match key {
                    b"role" if role.is_none() => role = Some(self.string()?),
                    b"sha256" if sha256.is_none() => sha256 = Some(Sha256::parse_hex(self.string()?)?),
                    b"size" if size.is_none() => size = Some(self.uint()?),
                    _ => return None,
                }
                match self.next()? {
                    b',' => {}
                    b'}' => break,
                    _ => return None,
                }
            }
            if role?.is_empty() {
                return None;
            }
            out.push(Stored { sha256: sha256?, size: size? });
            match self.next()? {
                b',' => {}
                b']' => return Some(out),
                _ => return None,
            }
        }
    }

    /// `data.purged`: an array of hashes.
    fn hashes(&mut self) -> Option<Vec<Sha256>> {
        let mut out = Vec::new();
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(out);
        }
        loop {
            out.push(Sha256::parse_hex(self.string()?)?);
            match self.next()? {
                b',' => {}
                b']' => return Some(out),
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_prefix;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_plain_prefix_is_where_the_first_special_byte_is(s in proptest::collection::vec(any::<u8>(), 0..40),
            plain in proptest::collection::vec(0x20u8..0x7f, 0..40)) {
            // Mostly plain text, with anything after it.
            let mut bytes = plain;
            bytes.extend(s);
            let expected = bytes.iter().position(|&c| c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c));
            prop_assert_eq!(plain_prefix(&bytes), expected.unwrap_or(bytes.len()));
        }
    }

    #[test]
    fn every_byte_value_at_every_position_of_a_word() {
        for at in 0..17 {
            for c in 0..=255u8 {
                let mut bytes = vec![b'a'; 17];
                bytes[at] = c;
                let special = c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c);
                assert_eq!(plain_prefix(&bytes), if special { at } else { 17 }, "{c:#x} at {at}");
            }
        }
    }
}
