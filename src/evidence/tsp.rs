//! RFC 3161 time-stamp protocol: the request dsr sends and what it checks
//! in the reply, with a small DER reader of its own (no ASN.1 crate: dsr
//! reads six fields of two structures).
//!
//! A request ([`request`]) is a DER `TimeStampReq` with a SHA-256 message
//! imprint, a nonce and `certReq = TRUE`. A reply ([`parse_response`]) is
//! a DER `TimeStampResp`; dsr keeps its `timeStampToken` (a CMS
//! `ContentInfo`, the object stored in the log's object store) and reads
//! from the token's `TSTInfo`: the imprint's algorithm and hash, the
//! nonce, the serial number and `genTime`.
//!
//! What dsr checks ([`Token::check`]): status granted (0) or granted with
//! modifications (1); the token is CMS `signedData` carrying `id-ct-TSTInfo`;
//! imprint algorithm SHA-256 and hash equal to the SHA-256 of the
//! checkpoint's note; nonce equal to the one sent; `genTime` a valid time.
//! The CMS signature, the signing-certificate binding and the TSA
//! certificate (its key usage, validity, chain to a CA file) are checked
//! by [`super::tsa_trust`]; `openssl ts -verify` checks the same
//! independently (docs/verify_log.py, docs/evidence-log.md §13).

use chrono::{DateTime, NaiveDateTime, Utc};
use std::fmt;

/// The log event of a token obtained (docs/evidence-log.md §13).
pub const TIMESTAMPED_EVENT: &str = "timestamped";
/// The log event of a TSA that gave none.
pub const TIMESTAMP_FAILED_EVENT: &str = "timestamp_failed";
/// The role of the token in a `timestamped` line's `data.objects`.
pub const TOKEN_ROLE: &str = "timestamp_token";

/// `id-sha256`, 2.16.840.1.101.3.4.2.1.
const OID_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// `id-signedData`, 1.2.840.113549.1.7.2.
const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
/// `id-ct-TSTInfo`, 1.2.840.113549.1.9.16.1.4.
const OID_TST_INFO: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04];

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const INTEGER: u8 = 0x02;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const GENERALIZED_TIME: u8 = 0x18;
const BOOLEAN: u8 = 0x01;
const NULL: u8 = 0x05;
const CONTEXT_0: u8 = 0xa0;

/// Why a reply is not a usable token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not DER of the expected shape.
    #[error("the reply is not a valid TimeStampResp: {0}")]
    Malformed(String),
    /// The TSA said no.
    #[error("the TSA refused: status {status}{}", text.as_deref().map(|t| format!(" ({t})")).unwrap_or_default())]
    Refused {
        /// PKIStatus (2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification).
        status: u64,
        /// Its statusString, if any.
        text: Option<String>,
    },
    /// The token is over something else.
    #[error("the token's message imprint is not the SHA-256 of the checkpoint")]
    WrongImprint,
    /// The nonce is not the one sent.
    #[error("the token's nonce is not the one dsr sent")]
    WrongNonce,
}

/// A DER TimeStampReq over `digest` (a SHA-256) with `nonce`.
pub fn request(digest: &[u8; 32], nonce: &[u8; 8]) -> Vec<u8> {
    let mut alg = tlv(OID, OID_SHA256);
    alg.extend(tlv(NULL, &[]));
    let mut imprint = tlv(SEQUENCE, &alg);
    imprint.extend(tlv(OCTET_STRING, digest));
    let mut body = tlv(INTEGER, &[1]);
    body.extend(tlv(SEQUENCE, &imprint));
    body.extend(tlv(INTEGER, &integer_bytes(nonce)));
    body.extend(tlv(BOOLEAN, &[0xff]));
    tlv(SEQUENCE, &body)
}

/// A token read from a reply (or from the object store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The DER `TimeStampToken` (CMS ContentInfo): the object dsr stores.
    pub der: Vec<u8>,
    /// `TSTInfo.messageImprint.hashedMessage`.
    pub imprint: Vec<u8>,
    /// Whether the imprint's algorithm is SHA-256.
    pub sha256: bool,
    /// `TSTInfo.nonce`, minimal big-endian (empty if absent).
    pub nonce: Vec<u8>,
    /// `TSTInfo.serialNumber`, hex.
    pub serial: String,
    /// `TSTInfo.genTime`.
    pub gen_time: DateTime<Utc>,
}

impl Token {
    /// Checks that the token is over `digest` (and, when given, carries
    /// `nonce`).
    ///
    /// # Errors
    /// [`TokenError::WrongImprint`], [`TokenError::WrongNonce`].
    pub fn check(&self, digest: &[u8; 32], nonce: Option<&[u8; 8]>) -> Result<(), TokenError> {
        if !self.sha256 || self.imprint != digest {
            return Err(TokenError::WrongImprint);
        }
        if let Some(n) = nonce
            && strip(&self.nonce) != strip(n)
        {
            return Err(TokenError::WrongNonce);
        }
        Ok(())
    }
}

/// Reads a DER TimeStampResp: the token if the status grants one.
///
/// # Errors
/// [`TokenError::Refused`] for a status other than 0 or 1;
/// [`TokenError::Malformed`] for anything that is not the expected DER.
pub fn parse_response(der: &[u8]) -> Result<Token, TokenError> {
    let mut top = Reader::new(der);
    let resp = top.expect(SEQUENCE, "TimeStampResp")?;
    top.end("TimeStampResp")?;
    let mut resp = Reader::new(resp);
    let mut info = Reader::new(resp.expect(SEQUENCE, "PKIStatusInfo")?);
    let status = uint(info.expect(INTEGER, "PKIStatus")?)?;
    if status > 1 {
        let text = match info.peek() {
            Some(SEQUENCE) => {
                let mut strings = Reader::new(info.expect(SEQUENCE, "statusString")?);
                strings.any().ok().map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            }
            _ => None,
        };
        return Err(TokenError::Refused { status, text });
    }
    let start = resp.pos;
    resp.expect(SEQUENCE, "timeStampToken")?;
    let token = &resp.data[start..resp.pos];
    resp.end("TimeStampResp")?;
    parse_token(token)
}

/// Reads a DER TimeStampToken (as stored).
///
/// # Errors
/// [`TokenError::Malformed`].
pub fn parse_token(der: &[u8]) -> Result<Token, TokenError> {
    let mut top = Reader::new(der);
    let mut ci = Reader::new(top.expect(SEQUENCE, "ContentInfo")?);
    top.end("TimeStampToken")?;
    if ci.expect(OID, "contentType")? != OID_SIGNED_DATA {
        return Err(malformed("the token is not CMS signedData"));
    }
    let mut explicit = Reader::new(ci.expect(CONTEXT_0, "content")?);
    let mut sd = Reader::new(explicit.expect(SEQUENCE, "SignedData")?);
    sd.expect(INTEGER, "SignedData.version")?;
    sd.expect(SET, "digestAlgorithms")?;
    let mut encap = Reader::new(sd.expect(SEQUENCE, "encapContentInfo")?);
    if encap.expect(OID, "eContentType")? != OID_TST_INFO {
        return Err(malformed("the token does not carry a TSTInfo"));
    }
    let mut e = Reader::new(encap.expect(CONTEXT_0, "eContent")?);
    let tst = e.expect(OCTET_STRING, "eContent")?;
    let mut t = Reader::new(tst);
    let mut tst = Reader::new(t.expect(SEQUENCE, "TSTInfo")?);
    tst.expect(INTEGER, "TSTInfo.version")?;
    tst.expect(OID, "TSTInfo.policy")?;
    let mut imprint = Reader::new(tst.expect(SEQUENCE, "messageImprint")?);
    let mut alg = Reader::new(imprint.expect(SEQUENCE, "hashAlgorithm")?);
    let sha256 = alg.expect(OID, "hashAlgorithm")? == OID_SHA256;
    let hashed = imprint.expect(OCTET_STRING, "hashedMessage")?.to_vec();
    let serial = tst.expect(INTEGER, "serialNumber")?.iter().map(|b| format!("{b:02x}")).collect();
    let gen_time = generalized_time(tst.expect(GENERALIZED_TIME, "genTime")?)?;
    let mut nonce = Vec::new();
    while let Some(tag) = tst.peek() {
        let (_, value) = tst.any()?;
        if tag == INTEGER {
            nonce = strip(value).to_vec();
            break;
        }
    }
    Ok(Token { der: der.to_vec(), imprint: hashed, sha256, nonce, serial, gen_time })
}

/// `token serial N of TIME`, in English: what a `timestamp_failed` line
/// stores; [`Token::text`] is the interface language's.
impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token serial {} of {}", self.serial, super::format_time(&self.gen_time))
    }
}

impl Token {
    /// `token serial N of TIME` in the interface language (for a verifier's
    /// report).
    pub fn text(&self) -> String {
        crate::t!("ev2.token.name", serial = self.serial, time = super::format_time(&self.gen_time))
    }
}

fn malformed(why: &str) -> TokenError {
    TokenError::Malformed(why.into())
}

/// GeneralizedTime `YYYYMMDDHHMMSS[.f*]Z` (RFC 3161 §2.4.2: UTC, `Z`).
fn generalized_time(v: &[u8]) -> Result<DateTime<Utc>, TokenError> {
    let s = std::str::from_utf8(v).map_err(|_| malformed("genTime is not text"))?;
    let body = s.strip_suffix('Z').ok_or_else(|| malformed("genTime is not in UTC (no Z)"))?;
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    if whole.len() != 14 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("genTime is not YYYYMMDDHHMMSS[.f]Z"));
    }
    let t = NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").map_err(|_| malformed("genTime is no valid time"))?;
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
        digits.parse().map_err(|_| malformed("genTime's fraction"))?
    };
    Ok(t.and_utc() + chrono::Duration::nanoseconds(i64::from(nanos)))
}

fn uint(v: &[u8]) -> Result<u64, TokenError> {
    let v = strip(v);
    if v.len() > 8 {
        return Err(malformed("an integer is too large"));
    }
    Ok(v.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
}

/// Without leading zero bytes.
fn strip(v: &[u8]) -> &[u8] {
    let first = v.iter().position(|b| *b != 0).unwrap_or(v.len());
    &v[first..]
}

/// A positive INTEGER's content bytes for a big-endian number.
fn integer_bytes(n: &[u8]) -> Vec<u8> {
    let n = strip(n);
    let mut out = Vec::with_capacity(n.len() + 1);
    if n.first().is_none_or(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(n);
    out
}

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(value);
    out
}

/// Reads DER TLVs one after the other.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// The next TLV: (tag, value). Single-byte tags only (all RFC 3161 needs).
    fn any(&mut self) -> Result<(u8, &'a [u8]), TokenError> {
        let short = || malformed("truncated");
        let tag = *self.data.get(self.pos).ok_or_else(short)?;
        if tag & 0x1f == 0x1f {
            return Err(malformed("a multi-byte tag"));
        }
        let first = *self.data.get(self.pos + 1).ok_or_else(short)?;
        let mut at = self.pos + 2;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(malformed("an indefinite or too large length"));
            }
            let bytes = self.data.get(at..at + n).ok_or_else(short)?;
            at += n;
            bytes.iter().fold(0usize, |l, b| (l << 8) | usize::from(*b))
        };
        let end = at.checked_add(len).ok_or_else(short)?;
        let value = self.data.get(at..end).ok_or_else(short)?;
        self.pos = end;
        Ok((tag, value))
    }

    fn expect(&mut self, tag: u8, what: &str) -> Result<&'a [u8], TokenError> {
        match self.any() {
            Ok((t, v)) if t == tag => Ok(v),
            Ok((t, _)) => Err(TokenError::Malformed(format!("{what}: tag {t:#04x}, expected {tag:#04x}"))),
            Err(TokenError::Malformed(why)) => Err(TokenError::Malformed(format!("{what}: {why}"))),
            Err(e) => Err(e),
        }
    }

    fn end(&self, what: &str) -> Result<(), TokenError> {
        if self.pos == self.data.len() { Ok(()) } else { Err(TokenError::Malformed(format!("bytes after the {what}"))) }
    }
}

/// Raw TLVs of DER, for the one place that needs bytes exactly as
/// signed ([`super::tsa_trust`]: the signed attributes).
pub(super) mod raw {
    /// A TLV: (tag, value, the whole TLV).
    pub type Tlv<'a> = (u8, &'a [u8], &'a [u8]);

    /// The TLVs of `data`, one after the other; `None` if it is not DER.
    pub fn children(data: &[u8]) -> Option<Vec<Tlv<'_>>> {
        let mut r = super::Reader::new(data);
        let mut out = Vec::new();
        while r.pos < data.len() {
            let start = r.pos;
            let (tag, value) = r.any().ok()?;
            out.push((tag, value, &data[start..r.pos]));
        }
        Some(out)
    }

    /// The single TLV `data` is.
    pub fn only(data: &[u8]) -> Option<Tlv<'_>> {
        match children(data)?.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_is_the_der_openssl_writes() {
        // `openssl ts -query -sha256 -cert` of the same digest and nonce.
        let digest = [0x11u8; 32];
        let nonce = [0x3b, 0x5f, 0x76, 0x0c, 0xf8, 0xa4, 0x1b, 0x9a];
        let der = request(&digest, &nonce);
        let mut want = hex("3043020101303130 0d06096086480165030402010500 0420");
        want.extend(digest);
        want.extend(hex("02083b5f760cf8a41b9a 0101ff"));
        assert_eq!(der, want);
        // A nonce with its high bit set gets a leading zero (a positive INTEGER).
        let der = request(&digest, &[0x80, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(&der[der.len() - 14..der.len() - 3], &hex("0209008000000000000001")[..]);
    }

    #[test]
    fn a_rejection_is_refused_and_garbage_malformed() {
        assert_eq!(parse_response(&hex("30053003020102")), Err(TokenError::Refused { status: 2, text: None }));
        assert!(matches!(parse_response(b"this is not a TimeStampResp"), Err(TokenError::Malformed(_))));
        assert!(matches!(parse_response(&hex("3005020100")), Err(TokenError::Malformed(_))));
        assert!(matches!(parse_response(&[]), Err(TokenError::Malformed(_))));
    }

    #[test]
    fn reads_a_token_openssl_ts_reply_wrote() {
        // tests/fixtures/tsa: `openssl ts -reply` over hello.txt (tests/support/tsa_server.py).
        let reply = include_bytes!("../../tests/fixtures/tsa/hello.tsr");
        let t = parse_response(reply).unwrap();
        let digest = *super::super::Sha256::digest(include_bytes!("../../tests/fixtures/tsa/hello.txt")).as_bytes();
        t.check(&digest, Some(&[0x3b, 0x5f, 0x76, 0x0c, 0xf8, 0xa4, 0x1b, 0x9a])).unwrap();
        assert_eq!(t.check(&digest, Some(&[1; 8])), Err(TokenError::WrongNonce));
        assert_eq!(t.check(&[0; 32], None), Err(TokenError::WrongImprint));
        assert_eq!(t.gen_time.to_rfc3339(), "2026-12-02T04:26:58+00:00");
        assert_eq!(parse_token(&t.der).unwrap(), t);
        let mut truncated = reply.to_vec();
        truncated.pop();
        assert!(matches!(parse_response(&truncated), Err(TokenError::Malformed(_))));
    }

    #[test]
    fn generalized_times() {
        assert_eq!(generalized_time(b"20261202042658Z").unwrap().to_rfc3339(), "2026-12-02T04:26:58+00:00");
        assert_eq!(generalized_time(b"20261202042658.25Z").unwrap().to_rfc3339(), "2026-12-02T04:26:58.250+00:00");
        assert!(generalized_time(b"20261202042658").is_err());
        assert!(generalized_time(b"20261302042658Z").is_err());
    }

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }
}
