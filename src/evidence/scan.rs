//! A borrowed reader of a line's `data` object for the shapes dsr writes,
//! without `serde_json` and without allocating per member.
//!
//! It is a fast path only, never the authority: it says `Some` only for a
//! `data` that is compact JSON (no whitespace), has no string escapes, no
//! control characters, no fractions or exponents, integers of at most 18
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
        let len = memchr::memchr2(b'"', b'\\', rest)?;
        if rest[len] != b'"' {
            return None;
        }
        let s = &rest[..len];
        // No control characters before the quote (JSON needs them
        // escaped); without an early exit, so that it vectorizes.
        if s.iter().fold(false, |bad, &c| bad | (c < 0x20)) {
            return None;
        }
        if !s.is_ascii() {
            std::str::from_utf8(s).ok()?;
        }
        self.i += len + 1;
        Some(s)
    }

    fn owned_string(&mut self) -> Option<String> {
        // `string` checked UTF-8.
        std::str::from_utf8(self.string()?).ok().map(str::to_string)
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
            b'"' => self.string().map(drop),
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
