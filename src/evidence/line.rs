//! One line of `log.jsonl`: how it is written and how it is read back.
//!
//! A line is one JSON object with exactly six members, written by dsr in
//! this order (docs/evidence-log.md has the full rules):
//!
//! ```text
//! {"seq":1,"time":"2026-11-28T10:00:00Z","event":"noted","request":"r_…","data":{…},"prev":"<64 hex>"}
//! ```
//!
//! The line's hash is SHA-256 over its exact bytes without the `\n`; nothing
//! is ever re-encoded to compute a hash, so readers need no canonical JSON.
//! Parsing is strict (no unknown or duplicate members anywhere, UTF-8,
//! finite numbers) so that the Rust verifier and the Python one in `docs/`
//! accept exactly the same lines.
//!
//! The conventions inside `data` that the log itself relies on:
//! `data.objects` (an array of [`ObjectRef`]) names stored artifacts and
//! `data.purged` (an array of hashes) lists purged ones.

use super::{Error, RequestId, Sha256, Stored};
use chrono::{DateTime, Datelike, NaiveDate, SubsecRound, Timelike, Utc};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The format name in the header line's `data.format` of a log written
/// before Merkle trees and checkpoints (v1).
pub const FORMAT_V1: &str = "dsr-evidence-log/1";

/// The format of a log with a Merkle tree, signed checkpoints and
/// per-request links (v2): in a new log's header, or in the `upgraded`
/// line of a v1 log.
pub const FORMAT_V2: &str = "dsr-evidence-log/2";

/// The format dsr writes into a new log's header.
pub const FORMAT: &str = FORMAT_V2;

/// The event that turns a v1 log into a v2 log (appended once, by the
/// first append of a dsr that writes v2).
pub const UPGRADED_EVENT: &str = "upgraded";

/// The event that records a signed checkpoint of the lines before it.
pub const CHECKPOINT_EVENT: &str = "checkpoint";

/// The `data` member, in a line with a request, that names the seq of the
/// request's previous line (v2).
pub const REQUEST_PREV: &str = "request_prev";

/// The event of line 0 (and only of line 0).
pub const HEADER_EVENT: &str = "log_created";

/// The event [`repair`](super::repair) logs after setting a torn last line aside.
pub const REPAIRED_EVENT: &str = "repaired";

/// The event [`purge`](super::purge()) logs for a request whose objects it deleted.
pub const PURGED_EVENT: &str = "purged";

/// The longest event name accepted.
const MAX_EVENT_LEN: usize = 64;

/// An event to append; the log assigns `seq` and `prev`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// When it happened (UTC). Sub-seconds are dropped; a time before the
    /// log's last line is raised to that line's time (times never go back).
    pub time: DateTime<Utc>,
    /// Event name: snake_case (`[a-z][a-z0-9_]*`, at most 64 characters).
    pub event: String,
    /// The request (case) the event belongs to, if any.
    pub request: Option<RequestId>,
    /// Event-specific data: a JSON object, no personal data in clear.
    /// Stored artifacts go in `data.objects` as [`ObjectRef`]s.
    pub data: serde_json::Value,
}

impl NewEvent {
    /// An event with the given parts.
    pub fn new(
        time: DateTime<Utc>,
        event: impl Into<String>,
        request: Option<RequestId>,
        data: serde_json::Value,
    ) -> NewEvent {
        NewEvent { time, event: event.into(), request, data }
    }
}

/// A reference from an event to a stored object, as written in
/// `data.objects`: `{"role":"message","sha256":"<64 hex>","size":1234}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    /// What the object is for this event (`message`, `letter`, `reply` …).
    pub role: String,
    /// The object's SHA-256, which is also its name in the store.
    pub sha256: Sha256,
    /// Its length in bytes.
    pub size: u64,
}

/// One line read back from the log, checked against the line before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// The time written in the line.
    pub time: DateTime<Utc>,
    /// The event name.
    pub event: String,
    /// The request, if any.
    pub request: Option<RequestId>,
    /// The event's data (a JSON object).
    pub data: serde_json::Value,
    /// The hash of the previous line ([`Sha256::ZERO`] for line 0).
    pub prev: Sha256,
    /// The hash of this line's bytes (the next line's `prev`).
    pub hash: Sha256,
}

impl Entry {
    /// The objects this event names (`data.objects`), in order.
    pub fn objects(&self) -> Vec<ObjectRef> {
        self.data.get("objects").and_then(|v| Vec::<ObjectRef>::deserialize(v).ok()).unwrap_or_default()
    }

    /// The hashes a `purged` event lists (`data.purged`).
    pub fn purged(&self) -> Vec<Sha256> {
        DataRefs::deserialize(&self.data).map(|r| r.purged).unwrap_or_default()
    }
}

/// One line read back like [`Entry`], its `data` still the line's bytes:
/// what [`Entries::next_ref`](super::Entries::next_ref) yields, for readers
/// that deserialize `data` into their own types and need no
/// `serde_json::Value` tree.
#[derive(Debug)]
pub struct EntryRef<'a> {
    /// Position in the log, from 0.
    pub seq: u64,
    /// The time written in the line.
    pub time: DateTime<Utc>,
    /// The event name.
    pub event: Cow<'a, str>,
    /// The request, if any.
    pub request: Option<RequestId>,
    /// The hash of the previous line ([`Sha256::ZERO`] for line 0).
    pub prev: Sha256,
    /// The hash of this line's bytes (the next line's `prev`).
    pub hash: Sha256,
    pub(crate) data: RawData<'a>,
}

/// The data of an [`EntryRef`].
#[derive(Debug)]
pub(crate) enum RawData<'a> {
    /// The bytes of the `data` member.
    Bytes(&'a [u8]),
    /// Parsed, for a line whose layout is not the one dsr writes.
    Value(serde_json::Value),
}

impl EntryRef<'_> {
    /// Deserializes `data` as `T`. Same result as
    /// `serde_json::from_value(entry.data)` for this line's [`Entry`], and
    /// the same error message (without a position).
    ///
    /// # Errors
    /// The message when `data` does not have `T`'s shape.
    pub fn data<T: de::DeserializeOwned>(&self) -> Result<T, String> {
        match &self.data {
            RawData::Bytes(b) => serde_json::from_slice(b).map_err(|e| {
                let message = e.to_string();
                let position = format!(" at line {} column {}", e.line(), e.column());
                match message.strip_suffix(&position) {
                    Some(m) if e.line() != 0 => m.to_string(),
                    _ => message,
                }
            }),
            RawData::Value(v) => T::deserialize(v).map_err(|e| e.to_string()),
        }
    }

    /// This line as an owned [`Entry`] (its data parsed into a
    /// `serde_json::Value`): the same `Entry` the iterator would have
    /// yielded for it.
    ///
    /// # Errors
    /// As [`EntryRef::data`] (the line's checks make it unreachable).
    pub fn to_entry(&self) -> Result<Entry, String> {
        Ok(Entry {
            seq: self.seq,
            time: self.time,
            event: self.event.to_string(),
            request: self.request.clone(),
            data: self.data()?,
            prev: self.prev,
            hash: self.hash,
        })
    }
}

/// What is wrong with one line. The line number and byte offset are kept by
/// [`VerifyError`](super::VerifyError).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineProblem {
    /// The last line has no `\n`: a write was cut off.
    #[error("{}", crate::t!("verify.line.torn"))]
    Torn,
    /// The bytes are not one JSON object of the log's shape.
    #[error("{}", crate::t!("verify.line.syntax", problem = _0))]
    Syntax(String),
    /// A member has the right type but an invalid value.
    #[error("{field}: {why}")]
    Field {
        /// The member (`time`, `event`, `data.objects` …).
        field: &'static str,
        /// What is wrong with it.
        why: String,
    },
    /// `seq` is not the line's position.
    #[error("{}", crate::t!("verify.line.seq", found = found, expected = expected))]
    Seq {
        /// The position (line number − 1).
        expected: u64,
        /// The value in the line.
        found: u64,
    },
    /// `prev` is not the hash of the line before: that line (or this `prev`)
    /// was changed, or lines were removed or reordered.
    #[error("{}", crate::t!("verify.line.prev", expected = expected, found = found))]
    Prev {
        /// The hash of the previous line's bytes (zeros for line 1).
        expected: Sha256,
        /// The value in the line.
        found: Sha256,
    },
    /// The time is earlier than the previous line's.
    #[error("{}", crate::t!("verify.line.time-backwards", found = found, previous = previous))]
    TimeBackwards {
        /// The previous line's time.
        previous: String,
        /// This line's time.
        found: String,
    },
    /// Line 1 is not the header, or a later line claims to be one.
    #[error("{0}")]
    Header(String),
    /// A rule of format 2 is broken (the `upgraded` line, a checkpoint
    /// line's shape, `data.request_prev`).
    #[error("{0}")]
    Format(String),
    /// A `purged` line breaks the purge rules (docs/evidence-log.md §5):
    /// `data.purged` outside a `purged` event, a purge without a request,
    /// or (with objects checked) a purge of an object its request never
    /// named or that another request still names.
    #[error("{0}")]
    Purge(String),
    /// A checkpoint line does not match the lines before it, or its
    /// signature does not verify.
    #[error("{}", crate::t!("verify.line.checkpoint", problem = _0))]
    Checkpoint(String),
    /// The last line's hash is not the head the caller expected.
    #[error("{}", crate::t!("verify.line.head", found = found, expected = expected))]
    Head {
        /// The head given to verify against.
        expected: Sha256,
        /// The hash of the last line.
        found: Sha256,
    },
}

/// Formats a time as the log writes it: `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_time(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses a time exactly as the log writes it (`YYYY-MM-DDTHH:MM:SSZ`,
/// UTC, whole seconds, a real calendar date in the years 0001 to 9999, no
/// leap second); `None` for anything else.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    // Year 0000 is a valid proleptic date for chrono but not for RFC 3339
    // readers such as Python's `datetime` (years 0001 to 9999): refused,
    // so every verifier agrees.
    let year = i32::try_from(num(0..4)?).ok().filter(|y| *y >= 1)?;
    let date = NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)?;
    let time = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(time.and_utc())
}

/// True if `name` is a valid event name (`[a-z][a-z0-9_]*`, ≤ 64 chars).
pub fn is_event_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_EVENT_LEN
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// The time a new event gets: whole seconds, never before `last`.
pub(crate) fn effective_time(time: DateTime<Utc>, last: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let t = time.trunc_subsecs(0);
    match last {
        Some(last) if t < last => last,
        _ => t,
    }
}

/// Encodes one line (without `\n`) with members in the fixed order, and
/// returns it with the objects its `data.objects` names.
///
/// # Errors
/// [`Error::InvalidEvent`] if the name or data breaks the format.
pub(crate) fn encode(
    seq: u64,
    time: &DateTime<Utc>,
    event: &str,
    request: Option<&RequestId>,
    data: &serde_json::Value,
    prev: &Sha256,
) -> Result<(Vec<u8>, Vec<Stored>), Error> {
    let invalid = |why: String| Error::InvalidEvent { event: event.to_string(), why };
    if !is_event_name(event) {
        return Err(invalid(crate::t!("ev2.line.event-name")));
    }
    if !data.is_object() {
        return Err(invalid(crate::t!("ev2.line.data-object")));
    }
    if time.year() < 1 || time.year() > 9999 || time.nanosecond() != 0 {
        return Err(invalid(crate::t!("ev2.line.time", time = time)));
    }
    let mut line = Vec::with_capacity(256);
    line.extend_from_slice(b"{\"seq\":");
    line.extend_from_slice(seq.to_string().as_bytes());
    line.extend_from_slice(b",\"time\":\"");
    line.extend_from_slice(format_time(time).as_bytes());
    line.extend_from_slice(b"\",\"event\":\"");
    line.extend_from_slice(event.as_bytes());
    line.extend_from_slice(b"\",\"request\":");
    match request {
        Some(r) => {
            line.push(b'"');
            line.extend_from_slice(r.as_str().as_bytes());
            line.push(b'"');
        }
        None => line.extend_from_slice(b"null"),
    }
    line.extend_from_slice(b",\"data\":");
    serde_json::to_writer(&mut line, data).map_err(|e| invalid(crate::t!("ev2.line.data-encode", error = e)))?;
    line.extend_from_slice(b",\"prev\":\"");
    line.extend_from_slice(prev.to_string().as_bytes());
    line.extend_from_slice(b"\"}");
    // What we write must be what we accept: catches data the reader would
    // refuse (a malformed `objects` array, a float out of range).
    let objects = parse(&line).map_err(|p| invalid(p.to_string()))?.refs.objects;
    Ok((line, objects))
}

/// The members of a parsed line, validated one by one (not yet against
/// the line before: that is [`chain`](super::chain)'s job).
#[derive(Debug, PartialEq)]
pub(crate) struct Fields<'a> {
    pub seq: u64,
    pub time: Cow<'a, str>,
    pub event: Cow<'a, str>,
    pub request: Option<Cow<'a, str>>,
    pub prev: Sha256,
    pub refs: DataRefs,
    /// `data.format` of a header line.
    pub format: Option<String>,
    /// The bytes of `data`, when the line has the layout dsr writes.
    pub data: Option<&'a [u8]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine<S> {
    seq: u64,
    time: S,
    event: S,
    request: Option<S>,
    data: DataRefs,
    prev: S,
}

impl<S> RawLine<S> {
    fn into_cow<'a>(self) -> RawLine<Cow<'a, str>>
    where
        S: Into<Cow<'a, str>>,
    {
        RawLine {
            seq: self.seq,
            time: self.time.into(),
            event: self.event.into(),
            request: self.request.map(Into::into),
            data: self.data,
            prev: self.prev.into(),
        }
    }
}

/// Parses and checks one line's bytes (without the `\n`).
///
/// # Errors
/// The problem, for the caller to attach the line number to.
pub(crate) fn parse(bytes: &[u8]) -> Result<Fields<'_>, LineProblem> {
    match parse_canonical(bytes) {
        Some(fields) => Ok(fields),
        None => parse_full(bytes),
    }
}

/// A JSON parser's error as a line's problem: its message (the parser's
/// own words, or this module's for a duplicate member or a number out of
/// range) and where in the line, in the interface language. Made only for
/// a line that does not parse.
fn json_problem(e: &serde_json::Error) -> String {
    let message = e.to_string();
    if e.line() == 0 {
        return message;
    }
    let position = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&position) {
        Some(m) => crate::t!("ev2.line.json-at", message = m, line = e.line(), column = e.column()),
        None => message,
    }
}

/// [`parse`] with the general parser only: the authority the fast paths
/// ([`parse_canonical`], [`scan`](super::scan)) must agree with.
fn parse_full(bytes: &[u8]) -> Result<Fields<'_>, LineProblem> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| LineProblem::Syntax(crate::t!("verify.line.not-utf8", byte = e.valid_up_to() + 1)))?;
    // Fast path: members borrowed from the line. A string with escapes
    // cannot be borrowed; then parse again into owned strings.
    let raw: RawLine<Cow<str>> = match serde_json::from_str::<RawLine<&str>>(text) {
        Ok(r) => r.into_cow(),
        Err(_) => match serde_json::from_str::<RawLine<String>>(text) {
            Ok(r) => r.into_cow(),
            Err(e) => return Err(LineProblem::Syntax(json_problem(&e))),
        },
    };
    let RawLine { seq, time, event, request, data, prev } = raw;
    let field = |field: &'static str, why: String| LineProblem::Field { field, why };
    if parse_time(&time).is_none() {
        return Err(field("time", crate::t!("verify.line.bad-time", time = format!("{time:?}"))));
    }
    if !is_event_name(&event) {
        return Err(field("event", crate::t!("verify.line.bad-event", event = format!("{event:?}"))));
    }
    if let Some(r) = &request
        && !RequestId::is_valid(r)
    {
        return Err(field("request", crate::t!("verify.line.bad-request", request = format!("{r:?}"))));
    }
    let prev = Sha256::parse_hex(prev.as_bytes())
        .ok_or_else(|| field("prev", crate::t!("verify.line.bad-prev", prev = format!("{prev:?}"))))?;
    let format = data.format.clone();
    Ok(Fields { seq, time, event, request, prev, refs: data, format, data: None })
}

/// A line in the layout [`encode`] writes, cut into its members' bytes
/// by position; nothing validated yet.
struct Envelope<'a> {
    /// The digits of `seq` (no leading zero, at most 19).
    seq: &'a [u8],
    time: &'a [u8],
    event: &'a [u8],
    request: Option<&'a [u8]>,
    data: &'a [u8],
    prev: &'a [u8],
}

/// Cuts a line in the layout [`encode`] writes into its members; `None`
/// for any other layout.
fn envelope(b: &[u8]) -> Option<Envelope<'_>> {
    const SUFFIX_LEN: usize = r#","prev":""}"#.len() + 64;
    let rest = b.strip_prefix(br#"{"seq":"#)?;
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 19 || (digits > 1 && rest[0] == b'0') {
        return None;
    }
    let (seq, rest) = rest.split_at(digits);
    let rest = rest.strip_prefix(br#","time":""#)?;
    let (time, rest) = (rest.get(..20)?, rest.get(20..)?);
    let rest = rest.strip_prefix(br#"","event":""#)?;
    let name_len = rest.iter().position(|&c| c == b'"')?;
    let (event, rest) = rest.split_at(name_len);
    let rest = rest.strip_prefix(br#"","request":"#)?;
    let (request, rest) = if let Some(r) = rest.strip_prefix(b"null") {
        (None, r)
    } else {
        let r = rest.strip_prefix(b"\"")?;
        (Some(r.get(..18)?), r.get(18..)?.strip_prefix(b"\"")?)
    };
    let rest = rest.strip_prefix(br#","data":"#)?;
    let (data, suffix) = rest.split_at(rest.len().checked_sub(SUFFIX_LEN)?);
    let prev = suffix.strip_prefix(br#","prev":""#)?.strip_suffix(br#""}"#)?;
    Some(Envelope { seq, time, event, request, data, prev })
}

/// A glance at a line's event and request, by position, for a reader that
/// parses only some lines ([`read_leaves`](super::read_leaves)): `None` for
/// a line not in the layout dsr writes (parse it to know). Nothing is
/// validated: a line this names is still to be parsed before use.
pub fn peek(b: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    // An escape would hide the name (`\u0063heckpoint`); the request's
    // fixed length already rules one out there.
    envelope(b).filter(|e| !e.event.contains(&b'\\')).map(|e| (e.event, e.request))
}

/// The fast path for lines in exactly the layout [`encode`] writes (no
/// whitespace, members in order, no escapes outside `data`): the envelope
/// is read by position and only `data` goes through the JSON parser.
/// Returns `None` for anything else, and then [`parse`] decides with the
/// general parser, so both paths accept exactly the same lines (this one
/// only ever says yes to lines the general one accepts).
fn parse_canonical(b: &[u8]) -> Option<Fields<'_>> {
    let Envelope { seq, time, event, request, data, prev } = envelope(b)?;
    let seq = std::str::from_utf8(seq).ok()?.parse::<u64>().ok()?;
    let time = std::str::from_utf8(time).ok().filter(|t| parse_time(t).is_some())?;
    let event = std::str::from_utf8(event).ok().filter(|e| is_event_name(e))?;
    let request = match request {
        Some(r) => Some(std::str::from_utf8(r).ok().filter(|r| RequestId::is_valid(r))?),
        None => None,
    };
    let prev = Sha256::parse_hex(prev)?;
    let refs = match super::scan::data_refs(data) {
        Some(refs) => refs,
        None => serde_json::from_slice::<DataRefs>(data).ok()?,
    };
    let format = refs.format.clone();
    Some(Fields {
        seq,
        time: Cow::Borrowed(time),
        event: Cow::Borrowed(event),
        request: request.map(Cow::Borrowed),
        prev,
        refs,
        format,
        data: Some(data),
    })
}

/// What the log itself reads from `data`: object references, purged hashes
/// and the header's format. Every other member is checked only for being
/// strict JSON (no duplicate names, finite numbers, valid strings).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct DataRefs {
    pub objects: Vec<Stored>,
    pub purged: Vec<Sha256>,
    /// Whether `data.purged` is present (even as `[]`).
    pub has_purged: bool,
    pub format: Option<String>,
    /// `data.origin` (v2 header and `upgraded` lines).
    pub origin: Option<String>,
    /// `data.request_prev` (v2 lines with a request).
    pub request_prev: Option<u64>,
    /// `data.key` and `data.note` (checkpoint lines).
    pub key: Option<String>,
    pub note: Option<String>,
    /// How many members `data` has.
    pub members: usize,
}

impl<'de> Deserialize<'de> for DataRefs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DataRefs, D::Error> {
        d.deserialize_map(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = DataRefs;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("data to be a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DataRefs, A::Error> {
        let mut refs = DataRefs::default();
        let mut keys = Keys::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            keys.insert::<A::Error>(key.0.clone())?;
            refs.members += 1;
            match &*key.0 {
                "objects" => {
                    let raw = map
                        .next_value::<Vec<RefRaw<'de>>>()
                        .map_err(|e| de::Error::custom(format_args!("data.objects: {e}")))?;
                    if let Some(empty) = raw.iter().position(|o| o.role.is_empty()) {
                        return Err(de::Error::custom(crate::t!("ev2.line.role-empty", index = empty)));
                    }
                    refs.objects = raw.into_iter().map(|o| Stored { sha256: o.sha256, size: o.size }).collect();
                }
                "purged" => {
                    refs.has_purged = true;
                    refs.purged = map
                        .next_value::<Vec<Sha256>>()
                        .map_err(|e| de::Error::custom(format_args!("data.purged: {e}")))?;
                }
                "format" => refs.format = Some(map.next_value_seed(StrictValue(true))?.unwrap_or_default()),
                "origin" => refs.origin = map.next_value_seed(StrictValue(true))?,
                "key" => refs.key = map.next_value_seed(StrictValue(true))?,
                "note" => refs.note = map.next_value_seed(StrictValue(true))?,
                REQUEST_PREV => {
                    refs.request_prev = Some(
                        map.next_value::<u64>()
                            .map_err(|e| de::Error::custom(format_args!("data.{REQUEST_PREV}: {e}")))?,
                    );
                }
                _ => {
                    map.next_value_seed(StrictValue(false))?;
                }
            }
        }
        Ok(refs)
    }
}

/// [`ObjectRef`] as parsed by the verifier: the role borrowed, not copied.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefRaw<'a> {
    #[serde(borrow)]
    role: Cow<'a, str>,
    sha256: Sha256,
    size: u64,
}

/// Member names seen in one JSON object, to refuse duplicates (RFC 7493
/// I-JSON; a parser that kept the first or the last would disagree).
#[derive(Default)]
struct Keys<'de>(Vec<Cow<'de, str>>);

impl<'de> Keys<'de> {
    fn insert<E: de::Error>(&mut self, key: Cow<'de, str>) -> Result<(), E> {
        if self.0.contains(&key) {
            return Err(E::custom(crate::t!("ev2.line.duplicate-member", name = format!("{key:?}"))));
        }
        self.0.push(key);
        Ok(())
    }
}

/// A member name, borrowed from the line unless it has escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Walks any JSON value, refusing duplicate member names; with `true`,
/// yields the value itself when it is a string (for `data.format`).
struct StrictValue(bool);

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<String>, E> {
        if v.is_finite() { Ok(None) } else { Err(E::custom(crate::t!("ev2.line.number-out-of-range"))) }
    }
    fn visit_str<E>(self, v: &str) -> Result<Option<String>, E> {
        Ok(self.0.then(|| v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<String>, A::Error> {
        while seq.next_element_seed(StrictValue(false))?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
        let mut keys = Keys::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            keys.insert::<A::Error>(key.0.clone())?;
            map.next_value_seed(StrictValue(false))?;
        }
        Ok(None)
    }
}

/// One line parsed on its own, as a bundle's verifier needs it: the
/// members, and what `data` says that the log relies on.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedLine {
    /// `seq`.
    pub seq: u64,
    /// `time`, as written.
    pub time: String,
    /// `event`.
    pub event: String,
    /// `request`.
    pub request: Option<RequestId>,
    /// `prev`.
    pub prev: Sha256,
    /// `data` as a JSON object.
    pub data: serde_json::Value,
    /// `data.objects`.
    pub objects: Vec<Stored>,
    /// `data.purged`.
    pub purged: Vec<Sha256>,
    /// `data.format` (a header or `upgraded` line).
    pub format: Option<String>,
    /// `data.origin` (a format-2 header or `upgraded` line).
    pub origin: Option<String>,
    /// `data.request_prev`.
    pub request_prev: Option<u64>,
}

/// The purge rules one line shows on its own (docs/evidence-log.md §5):
/// `data.purged` only in a `purged` event, and a `purged` event names its
/// request and lists what it deleted. `None` if the line keeps them; the
/// log's verifier and the bundle's both apply it.
pub fn purge_shape_problem(event: &str, has_request: bool, has_purged: bool) -> Option<String> {
    if event == PURGED_EVENT {
        if !has_request {
            return Some(crate::t!("verify.line.purge-without-request", event = format!("{PURGED_EVENT:?}")));
        }
        if !has_purged {
            return Some(crate::t!("verify.line.purge-without-list", event = format!("{PURGED_EVENT:?}")));
        }
    } else if has_purged {
        return Some(crate::t!(
            "verify.line.purged-outside-purge",
            purged = format!("{PURGED_EVENT:?}"),
            event = format!("{event:?}")
        ));
    }
    None
}

/// Parses one line (its bytes without the `\n`) with exactly the rules of
/// the log (docs/evidence-log.md §1 and §3): what a bundle's verifier
/// applies to the lines it carries.
///
/// # Errors
/// The problem, as [`LineProblem`].
pub fn parse_line(bytes: &[u8]) -> Result<ParsedLine, LineProblem> {
    let f = parse(bytes)?;
    let request = match &f.request {
        Some(r) => Some(r.parse::<RequestId>().map_err(|e| LineProblem::Syntax(e.to_string()))?),
        None => None,
    };
    Ok(ParsedLine {
        seq: f.seq,
        time: f.time.to_string(),
        event: f.event.to_string(),
        request,
        prev: f.prev,
        data: data_value(bytes)?,
        objects: f.refs.objects.clone(),
        purged: f.refs.purged.clone(),
        format: f.refs.format.clone(),
        origin: f.refs.origin.clone(),
        request_prev: f.refs.request_prev,
    })
}

/// Extracts `data` as a JSON value from a line that [`parse`] accepted.
pub(crate) fn data_value(bytes: &[u8]) -> Result<serde_json::Value, LineProblem> {
    #[derive(Deserialize)]
    struct OnlyData {
        data: serde_json::Value,
    }
    serde_json::from_slice::<OnlyData>(bytes).map(|d| d.data).map_err(|e| LineProblem::Syntax(json_problem(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;
    use serde_json::json;

    fn t(s: &str) -> DateTime<Utc> {
        parse_time(s).unwrap()
    }

    #[test]
    fn encodes_members_in_fixed_order_and_parses_back() {
        let id: RequestId = "r_abcdefghijklmnop".parse().unwrap();
        let data =
            json!({"objects": [{"role": "message", "sha256": Sha256::digest(b"x"), "size": 1}], "a": "ä & \"q\""});
        let (line, _) = encode(3, &t("2026-11-28T10:00:00Z"), "attached", Some(&id), &data, &Sha256::ZERO).unwrap();
        let text = String::from_utf8(line.clone()).unwrap();
        assert!(
            text.starts_with(
                r#"{"seq":3,"time":"2026-11-28T10:00:00Z","event":"attached","request":"r_abcdefghijklmnop","data":{"#
            ),
            "{text}"
        );
        assert!(text.ends_with(&format!(r#""prev":"{}"}}"#, "0".repeat(64))), "{text}");
        let f = parse(&line).unwrap();
        assert_eq!((f.seq, &*f.event, f.request.as_deref()), (3, "attached", Some("r_abcdefghijklmnop")));
        assert_eq!(f.refs.objects, [Stored { sha256: Sha256::digest(b"x"), size: 1 }]);
        assert_eq!(data_value(&line).unwrap(), data);
    }

    #[test]
    fn peek_names_the_event_and_request_of_a_line_dsr_writes_and_nothing_else() {
        let id: RequestId = "r_abcdefghijklmnop".parse().unwrap();
        let now = t("2026-11-28T10:00:00Z");
        let (line, _) = encode(12, &now, "sent", Some(&id), &json!({"a": 1}), &Sha256::ZERO).unwrap();
        assert_eq!(peek(&line), Some((&b"sent"[..], Some(&b"r_abcdefghijklmnop"[..]))));
        let (line, _) = encode(0, &now, "checkpoint", None, &json!({}), &Sha256::ZERO).unwrap();
        assert_eq!(peek(&line), Some((&b"checkpoint"[..], None)));
        let text = String::from_utf8(line).unwrap();
        for other in [
            text.replace(r#""event":"checkpoint""#, r#""event":"\u0063heckpoint""#),
            text.replace(r#""request":null"#, r#""request": null"#),
            text.replace(r#"{"seq":0"#, r#"{"seq":00"#),
            format!(" {text}"),
        ] {
            assert_eq!(peek(other.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn refuses_what_the_reader_would_refuse() {
        let now = t("2026-11-28T10:00:00Z");
        let e = |ev: &str, data| encode(0, &now, ev, None, &data, &Sha256::ZERO).unwrap_err().to_string();
        assert_eq!(
            e("Sent", json!({})),
            "cannot log event \"Sent\": event names are snake_case: [a-z][a-z0-9_]*, at most 64 characters"
        );
        assert_eq!(e("attached", json!([])), "cannot log event \"attached\": data must be a JSON object");
        assert!(e("attached", json!({"objects": [{"role": "x"}]})).contains("data.objects: missing field `sha256`"));
    }

    #[test]
    fn parse_is_strict() {
        let ok = r#"{"seq":0,"time":"2026-01-01T00:00:00Z","event":"x","request":null,"data":{},"prev":"0000000000000000000000000000000000000000000000000000000000000000"}"#;
        assert!(parse(ok.as_bytes()).is_ok());
        // Escapes are fine (slow path) and mean the same.
        assert!(parse(ok.replace(r#""event":"x""#, r#""event":"\u0078""#).as_bytes()).is_ok());
        for (bad, why) in [
            (ok.replace(r#""event":"x""#, r#""event":"x","event":"x""#), "duplicate field `event`"),
            (ok.replace("{}", r#"{"a":1,"a":2}"#), "duplicate member \"a\""),
            (ok.replace("{}", r#"{"a":{"b":1,"b":1}}"#), "duplicate member \"b\""),
            (ok.replace("{}", r#"{"a":"\ud800"}"#), "hex escape"),
            (ok.replace("{}", r#"{"a":1e999}"#), "number out of range"),
            (ok.replace("{}", "[]"), "expected data to be a JSON object"),
            (ok.replace("\"seq\":0", "\"seq\":0.0"), "invalid type: floating point"),
            (ok.replace("\"data\"", "\"extra\":1,\"data\""), "unknown field `extra`"),
            (ok.replace("T00:00:00Z", "T24:00:00Z"), "time: \"2026-01-01T24:00:00Z\" is not a UTC time"),
            (ok.replace("00:00Z", "00:00+00:00"), "time:"),
            (ok.replace("null", "\"r_x\""), "request:"),
            (ok.replace("\"x\"", "\"X\""), "event:"),
            (ok.replace("\"0000", "\"000A"), "prev:"),
        ] {
            let got = parse(bad.as_bytes()).unwrap_err().to_string();
            assert!(got.contains(why), "{bad}\n→ {got}\nwanted {why}");
        }
        assert!(parse(b"{\"seq\":0,\xff}").unwrap_err().to_string().contains("not UTF-8 (byte 10"));
    }

    /// Pieces of `data` members: the shapes dsr writes and near misses.
    const MEMBERS: &[&str] = &[
        r#""objects":[{"role":"message","sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","size":12}]"#,
        r#""objects":[{"size":0,"role":"a","sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},{"role":"b","sha256":"0000000000000000000000000000000000000000000000000000000000000000","size":1}]"#,
        r#""objects":[{"role":"","sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","size":1}]"#,
        r#""objects":[{"role":"x","sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","size":1,"extra":1}]"#,
        r#""objects":[{"role":"x","role":"y","sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","size":1}]"#,
        r#""objects":[]"#,
        r#""objects":[{}]"#,
        r#""objects":{}"#,
        r#""purged":["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]"#,
        r#""purged":[]"#,
        r#""purged":["BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"]"#,
        r#""format":"dsr-evidence-log/2""#,
        r#""format":2"#,
        r#""origin":"example.org/dsr""#,
        r#""origin":null"#,
        r#""key":"dsr+abc+xyz""#,
        r#""note":"line\u000aline""#,
        r#""note":"a note""#,
        r#""request_prev":41"#,
        r#""request_prev":-1"#,
        r#""request_prev":1e3"#,
        r#""request_prev":18446744073709551615"#,
        r#""to":"dpo@example.org""#,
        r#""name":"Zoë Ångström ✓""#,
        r#""quote":"say \"hi\"""#,
        r#""n":-0"#,
        r#""n":01"#,
        r#""n":1.5"#,
        r#""n":1e999"#,
        r#""n":123456789012345678901234567890"#,
        r#""t":true,"f":false,"z":null"#,
        r#""deep":{"a":[1,{"b":[[],{}]}],"c":{"d":"e"}}"#,
        r#""dup":{"b":1,"b":2}"#,
        r#""a":1,"a":2"#,
        r#""\u0061":1,"a":2"#,
        r#""s":"\ud800""#,
        r#""ws": 1"#,
        r#""arr":[1,2,]"#,
        r#""x":tru"#,
        // Two-character escapes in values (the fast path reads them).
        r#""note":"o\n1\nAAAA\n\n— k AAAAAAAAAAAAAAAAAAAA\n""#,
        r#""key":"say \"k\"","format":"a\/b\\c""#,
        r#""s":"\t\b\f\r\n\"\\\/""#,
        r#""s":"\x""#,
        r#""s":"\u00e9\n""#,
        r#""s":"ä\nö""#,
    ];

    fn line_of(members: &[usize]) -> Vec<u8> {
        let data: Vec<&str> = members.iter().map(|&i| MEMBERS[i]).collect();
        format!(
            r#"{{"seq":7,"time":"2026-11-28T10:00:00Z","event":"sent","request":"r_abcdefghijklmnop","data":{{{}}},"prev":"{}"}}"#,
            data.join(","),
            "0".repeat(64)
        )
        .into_bytes()
    }

    #[test]
    fn string_values_with_two_character_escapes_stay_on_the_fast_path() {
        let data = r#"{"key":"k","note":"o\n1\n\n— x \"y\"\\\/\t\n","other":"a\rb"}"#;
        let refs = super::super::scan::data_refs(data.as_bytes()).expect("the scanner reads it");
        assert_eq!(refs.note.as_deref(), Some("o\n1\n\n— x \"y\"\\/\t\n"));
        assert_eq!(refs, serde_json::from_str::<DataRefs>(data).unwrap());
        // A `\u` escape, an escaped member name and an unknown escape are
        // left to the strict parser.
        for strict in [r#"{"note":"\u0041"}"#, r#"{"no\te":"a"}"#, r#"{"note":"\x"}"#, r#"{"note":"a\"#] {
            assert_eq!(super::super::scan::data_refs(strict.as_bytes()), None, "{strict}");
        }
    }

    /// The fast paths against the general parser: the same verdict, the
    /// same error, the same fields.
    fn agree(bytes: &[u8]) -> Result<(), TestCaseError> {
        let full = parse_full(bytes).map(|f| Fields { data: None, ..f }).map_err(|p| p.to_string());
        let fast = parse(bytes).map(|f| Fields { data: None, ..f }).map_err(|p| p.to_string());
        prop_assert_eq!(&fast, &full, "line {}", String::from_utf8_lossy(bytes));
        Ok(())
    }

    const NOISE: &[u8] = b"\"\\{}[],:0123456789-.eEtfnulx \x00\x1f\x7f\xc3\xa4\xff";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn fast_and_full_parsers_agree_on_arbitrary_and_mutated_lines(
            members in proptest::collection::vec(0..MEMBERS.len(), 0..5),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..3u8, 0..NOISE.len()), 0..3),
        ) {
            let mut line = line_of(&members);
            agree(&line)?;
            for (at, kind, noise) in edits {
                let i = at.index(line.len());
                match kind {
                    0 => line[i] = NOISE[noise],
                    1 => line.insert(i, NOISE[noise]),
                    _ => {
                        line.remove(i);
                    }
                }
                agree(&line)?;
            }
        }

        #[test]
        fn the_data_scanner_never_accepts_what_serde_refuses(
            members in proptest::collection::vec(0..MEMBERS.len(), 0..5),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..3u8, 0..NOISE.len()), 0..3),
        ) {
            let mut data = format!("{{{}}}", members.iter().map(|&i| MEMBERS[i]).collect::<Vec<_>>().join(",")).into_bytes();
            for (at, kind, noise) in edits {
                let i = at.index(data.len());
                match kind {
                    0 => data[i] = NOISE[noise],
                    1 => data.insert(i, NOISE[noise]),
                    _ => {
                        data.remove(i);
                    }
                }
            }
            if let Some(fast) = super::super::scan::data_refs(&data) {
                let full = serde_json::from_slice::<DataRefs>(&data);
                prop_assert!(full.is_ok(), "scanner accepted {} but serde says {:?}", String::from_utf8_lossy(&data), full.err());
                prop_assert_eq!(fast, full.unwrap());
            }
        }
    }

    #[test]
    fn the_data_scanner_takes_the_shapes_dsr_writes() {
        for members in [vec![], vec![0, 18, 22], vec![1, 8], vec![11, 13], vec![15, 17], vec![23, 30, 31]] {
            let line = line_of(&members);
            let data = &line[line.windows(8).position(|w| w == b"\"data\":{").unwrap() + 7..line.len() - 75];
            assert!(super::super::scan::data_refs(data).is_some(), "{}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn time_never_goes_back_and_drops_subseconds() {
        let last = t("2026-11-28T10:00:00Z");
        assert_eq!(effective_time(t("2026-11-28T09:00:00Z"), Some(last)), last);
        let later = t("2026-11-28T11:00:00Z") + chrono::Duration::milliseconds(700);
        assert_eq!(effective_time(later, Some(last)), t("2026-11-28T11:00:00Z"));
    }
}
