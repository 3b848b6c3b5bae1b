//! Witnesses: copies of a signed checkpoint that travel inside what dsr
//! sends, so every recipient holds one the sender cannot change later
//! (docs/evidence-log.md §11.4).
//!
//! - An email carries the log's latest checkpoint in the header
//!   [`HEADER`] (`DSR-Checkpoint:`), covered by the DKIM signature. Its
//!   value is the standard base64 of the signed note's bytes, cut into
//!   chunks of [`CHUNK`] characters separated by a space, so that any
//!   header folding lands between chunks; a reader removes every space,
//!   tab, CR and LF and decodes the rest ([`note_from_header`]).
//! - A letter for post carries it in its PDF metadata (document
//!   information dictionary and XMP) as the keyword [`PDF_KEYWORD`]
//!   followed by the same base64, in one piece.
//!
//! [`extract`] reads either back from a file, [`anchor`] turns it into
//! what a verifier reports: every line the checkpoint covers existed no
//! later than the message that carried it.

use super::note::SignedCheckpoint;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The mail header that carries a checkpoint.
pub const HEADER: &str = "DSR-Checkpoint";

/// The PDF metadata keyword that carries a checkpoint (then the base64
/// of the note, without a space).
pub const PDF_KEYWORD: &str = "dsr-log-checkpoint-note:";

/// Characters of base64 between two spaces in the header value.
pub const CHUNK: usize = 64;

/// The header value for a signed note (see the module docs).
pub fn header_value(note: &str) -> String {
    let b64 = BASE64.encode(note.as_bytes());
    let chunks: Vec<&str> = b64.as_bytes().chunks(CHUNK).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    chunks.join(" ")
}

/// The signed checkpoint of a header value (or of a PDF keyword's
/// base64): whitespace removed, base64 decoded, parsed.
///
/// # Errors
/// Not base64, not UTF-8, or not a signed checkpoint note.
pub fn note_from_header(value: &str) -> Result<SignedCheckpoint, String> {
    let compact: String = value.chars().filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n')).collect();
    let bytes = BASE64
        .decode(compact.as_bytes())
        .map_err(|e| crate::t!("evidence.witness.not-base64", header = HEADER, error = e))?;
    let note = String::from_utf8(bytes).map_err(|_| crate::t!("evidence.witness.not-utf8", header = HEADER))?;
    SignedCheckpoint::parse(&note)
        .map_err(|e| crate::t!("evidence.witness.not-a-checkpoint", header = HEADER, error = e))
}

/// What carried a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// A mail message (`.eml`): the [`HEADER`] header.
    Email,
    /// A letter for post (PDF): the [`PDF_KEYWORD`] metadata keyword.
    Pdf,
}

/// A checkpoint found in a message or letter.
#[derive(Debug, Clone)]
pub struct Witness {
    /// The checkpoint (its signature not yet checked).
    pub checkpoint: SignedCheckpoint,
    /// Mail or letter.
    pub medium: Medium,
    /// The message's `Date` header (unfolded), if any.
    pub date: Option<String>,
    /// The message's `To` header (unfolded), if any.
    pub to: Option<String>,
}

/// An independent anchor for the first `tree_size` lines of a log: they
/// existed no later than `time`, on the word of `description`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Anchor {
    /// Lines covered (the checkpoint's size).
    pub tree_size: u64,
    /// When, as the witness states it (the `Date` header); `None` when it
    /// states no time (a PDF: its date is the sender's own).
    pub time: Option<String>,
    /// Who holds the witness, in words.
    pub description: Description,
    /// The anchor it gives for the per-line report ([`super::anchor::earliest`]):
    /// a mail message with a `Date` that parses; `None` otherwise.
    #[serde(skip)]
    pub dated: Option<super::anchor::Anchor>,
}

/// What a witness proves, in words ([`Anchor::description`]). Shown
/// (`Display`) in the interface language; serialized (the JSON reports'
/// `description`) in English, as [`Description::english`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Description {
    /// A mail message, with its `Date` and `To` headers as written.
    Email {
        /// Its `Date` header.
        date: Option<String>,
        /// Its `To` header.
        to: Option<String>,
    },
    /// A letter for post.
    Pdf,
}

impl Description {
    /// The words in `lang`.
    pub fn text_in(&self, lang: crate::i18n::UiLang) -> String {
        match self {
            Description::Email { date, to } => {
                let date = match date {
                    Some(d) => d.clone(),
                    None => crate::t_in!(lang, "ev2.witness.no-date"),
                };
                let to = match to {
                    Some(t) => t.clone(),
                    None => crate::t_in!(lang, "ev2.witness.no-to"),
                };
                crate::t_in!(lang, "ev2.witness.email", date = date, to = to)
            }
            Description::Pdf => crate::t_in!(lang, "ev2.witness.pdf"),
        }
    }

    /// The words in English (what the JSON reports hold).
    pub fn english(&self) -> String {
        self.text_in(crate::i18n::UiLang::En)
    }
}

impl std::fmt::Display for Description {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text_in(crate::i18n::ui()))
    }
}

impl serde::Serialize for Description {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english())
    }
}

/// The anchor a witness gives: the lines its checkpoint covers existed
/// no later than the message that carried it.
pub fn anchor(w: &Witness) -> Anchor {
    let description = match w.medium {
        Medium::Email => Description::Email { date: w.date.clone(), to: w.to.clone() },
        Medium::Pdf => Description::Pdf,
    };
    Anchor { tree_size: w.checkpoint.checkpoint.size, time: w.date.clone(), description, dated: w.dated() }
}

impl Witness {
    /// The time anchor of a mail message: its `Date` header (RFC 5322
    /// §3.3, read as RFC 2822's `date-time`; a trailing comment such as
    /// `(UTC)` is ignored) in UTC, covering the checkpoint's lines. `None`
    /// for a letter (its date is the sender's own) or a message without a
    /// `Date` that parses.
    pub fn dated(&self) -> Option<super::anchor::Anchor> {
        if self.medium != Medium::Email {
            return None;
        }
        let date = self.date.as_deref()?;
        let time = parse_date(date)?;
        Some(super::anchor::Anchor {
            covers: self.checkpoint.checkpoint.size,
            time,
            source: super::anchor::Source::Witness { date: date.to_string(), to: self.to.clone() },
            logged_on: None,
        })
    }
}

/// An RFC 5322 date-time in UTC (a trailing comment removed first).
fn parse_date(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let mut v = value.trim();
    if v.ends_with(')')
        && let Some(open) = v.rfind('(')
    {
        v = v[..open].trim_end();
    }
    chrono::DateTime::parse_from_rfc2822(v).ok().map(|t| t.with_timezone(&chrono::Utc))
}

/// A checkpoint file named to a verifier: a plain signed note (as `dsr
/// log checkpoint --out` writes it), or a mail message or PDF letter that
/// carries one (then also the witness).
///
/// # Errors
/// None of these (the reason, in words).
pub fn read_checkpoint_file(bytes: &[u8]) -> Result<(SignedCheckpoint, Option<Witness>), String> {
    if let Some(w) = extract(bytes)? {
        return Ok((w.checkpoint.clone(), Some(w)));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| crate::t!("evidence.witness.unreadable"))?;
    SignedCheckpoint::parse(text).map(|c| (c, None)).map_err(|e| e.to_string())
}

/// The checkpoint carried by a mail message or a PDF letter; `Ok(None)`
/// when `bytes` look like neither (e.g. a plain checkpoint file).
///
/// # Errors
/// It is a mail or PDF, but carries no checkpoint, or one that does not
/// parse (the reason, in words).
pub fn extract(bytes: &[u8]) -> Result<Option<Witness>, String> {
    if bytes.starts_with(b"%PDF-") {
        return pdf(bytes).map(Some);
    }
    let Some(headers) = mail_headers(bytes) else { return Ok(None) };
    let find =
        |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string());
    let Some(value) = find(HEADER) else {
        return Err(crate::t!("ev2.witness.no-header", header = HEADER));
    };
    Ok(Some(Witness {
        checkpoint: note_from_header(&value)?,
        medium: Medium::Email,
        date: find("Date"),
        to: find("To"),
    }))
}

/// The unfolded header fields of a mail message, or `None` if the bytes
/// do not start with a header section (`Name: value` lines, then a blank
/// line).
fn mail_headers(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 2)
        .or_else(|| bytes.windows(2).position(|w| w == b"\n\n").map(|p| p + 1))?;
    let text = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).filter(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            let (_, value) = fields.last_mut()?;
            value.push_str(line);
            continue;
        }
        let (name, value) = line.split_once(':')?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        fields.push((name.to_string(), value.to_string()));
    }
    (!fields.is_empty()).then_some(fields)
}

/// The checkpoint in a PDF's metadata: the first [`PDF_KEYWORD`] and the
/// base64 characters after it (dsr writes the metadata uncompressed).
fn pdf(bytes: &[u8]) -> Result<Witness, String> {
    let key = PDF_KEYWORD.as_bytes();
    let Some(at) = bytes.windows(key.len()).position(|w| w == key) else {
        return Err(crate::t!("ev2.witness.no-keyword", keyword = PDF_KEYWORD));
    };
    let rest = &bytes[at + key.len()..];
    let len =
        rest.iter().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))).unwrap_or(rest.len());
    let b64 = std::str::from_utf8(&rest[..len]).map_err(|_| crate::t!("ev2.witness.keyword-not-text"))?;
    Ok(Witness { checkpoint: note_from_header(b64)?, medium: Medium::Pdf, date: None, to: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Sha256;
    use crate::evidence::note::{Checkpoint, Signer};

    fn note() -> String {
        let signer = Signer::from_seed("dsr", [7; 32]).unwrap();
        let body = Checkpoint { origin: "dsr.example/log".into(), size: 12, root: Sha256::digest(b"x") }.body();
        signer.sign(&body)
    }

    #[test]
    fn a_folded_header_reassembles_to_the_exact_note() {
        let note = note();
        let value = header_value(&note);
        assert!(value.split(' ').all(|c| c.len() <= CHUNK), "{value}");
        let mail = format!(
            "Date: Wed, 02 Dec 2026 09:00:00 +0000\r\nTo: dpo@example.com\r\n{HEADER}:\r\n {}\r\n\r\nbody\r\n",
            value.replace(' ', "\r\n\t")
        );
        let w = extract(mail.as_bytes()).unwrap().unwrap();
        assert_eq!(w.checkpoint.note, note);
        let a = anchor(&w);
        assert_eq!(a.tree_size, 12);
        assert_eq!(
            a.description.to_string(),
            "no later than the message of Wed, 02 Dec 2026 09:00:00 +0000 to dpo@example.com (witness)"
        );
        let dated = a.dated.unwrap();
        assert_eq!((dated.covers, dated.time.to_rfc3339()), (12, "2026-12-02T09:00:00+00:00".to_string()));
        assert_eq!(
            dated.source.english(),
            "witness: the message of Wed, 02 Dec 2026 09:00:00 +0000 to dpo@example.com"
        );
    }

    #[test]
    fn dates_parse_to_utc_and_letters_or_bad_dates_give_no_time() {
        let t = |s: &str| parse_date(s).map(|d| d.to_rfc3339());
        assert_eq!(t("Wed, 02 Dec 2026 10:30:00 +0100"), Some("2026-12-02T09:30:00+00:00".into()));
        assert_eq!(t(" 2 Dec 2026 09:00:00 -0000 (UTC)"), Some("2026-12-02T09:00:00+00:00".into()));
        assert_eq!(t("Wed, 02 Dec 2026 09:00:00 GMT"), Some("2026-12-02T09:00:00+00:00".into()));
        assert_eq!(t("yesterday"), None);
        let pdf = format!("%PDF-1.7\n<</Keywords (a, {PDF_KEYWORD}{})>>", BASE64.encode(note()));
        assert!(extract(pdf.as_bytes()).unwrap().unwrap().dated().is_none());
        let mail = format!("Date: soon\r\n{HEADER}: {}\r\n\r\n", header_value(&note()));
        assert!(extract(mail.as_bytes()).unwrap().unwrap().dated().is_none());
    }

    #[test]
    fn what_carries_none_is_named() {
        assert!(extract(note().as_bytes()).unwrap().is_none(), "a plain note is not a message");
        let e = extract(b"Date: x\r\nTo: y\r\n\r\nbody").unwrap_err();
        assert!(e.contains(HEADER), "{e}");
        let e = extract(b"Date: x\r\nDSR-Checkpoint: AAAA\r\n\r\n").unwrap_err();
        assert!(e.contains("not a signed checkpoint"), "{e}");
        assert!(extract(b"%PDF-1.7\n...").unwrap_err().contains(PDF_KEYWORD));
        let pdf = format!("%PDF-1.7\n<</Keywords (a, {PDF_KEYWORD}{})>>", BASE64.encode(note()));
        let w = extract(pdf.as_bytes()).unwrap().unwrap();
        assert_eq!((w.medium, w.checkpoint.note), (Medium::Pdf, note()));
    }
}
