//! Signed checkpoints: the C2SP `tlog-checkpoint` body (origin, tree size,
//! root hash) in a C2SP signed note, signed with Ed25519.
//!
//! A signed note (c2sp.org/signed-note, v1.0.0) is UTF-8 text ending in a
//! newline, a blank line, and signature lines
//! `— <key name> <base64(4-byte key id ‖ 64-byte signature)>`. The key id
//! is the first four bytes of `SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public
//! key)`; the signature covers the text, final newline included. A
//! checkpoint (c2sp.org/tlog-checkpoint, v1.0.0) is a note whose text is
//! three lines: the log's origin, the tree size in decimal and the root
//! hash in base64.
//!
//! Keys are written as the Go `note` package writes them:
//! [`Verifier`] as `<name>+<8 hex id>+<base64(0x01 ‖ public key)>`,
//! [`Signer`] (private) as `PRIVATE+KEY+<name>+<8 hex id>+<base64(0x01 ‖
//! seed)>`. A [`Signer`] never prints its seed: it has no `Display`, its
//! `Debug` shows only the public half, and the private text comes out
//! only as a [`Secret`] for writing the key file.
//!
//! ```
//! use dsr::evidence::note::{Checkpoint, Signer, SignedNote};
//! use dsr::evidence::Sha256;
//! let signer = Signer::from_seed("example.org/dsr", [7; 32]).unwrap();
//! let cp = Checkpoint { origin: "dsr-evidence-log/x".into(), size: 3, root: Sha256::digest(b"r") };
//! let note = signer.sign(&cp.body());
//! let parsed = SignedNote::parse(&note).unwrap();
//! parsed.verify(&signer.verifier()).unwrap();
//! assert_eq!(Checkpoint::parse(parsed.text()).unwrap(), cp);
//! ```

use super::Sha256;
use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use std::fmt;

/// The signature type byte of Ed25519 in C2SP signed notes.
const ED25519: u8 = 0x01;

/// The em dash that starts a signature line (U+2014) and the space after it.
const SIG_PREFIX: &str = "\u{2014} ";

/// The longest note accepted, in bytes (a checkpoint is ~200).
pub const MAX_NOTE_LEN: usize = 1 << 16;

/// Why a note, a key or a checkpoint is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteError {
    /// The note's layout is wrong (no blank line, a bad signature line …).
    #[error("{}", crate::t!("evidence.note.malformed", why = _0))]
    Malformed(NoteSyntax),
    /// A key string does not parse.
    #[error("{}", crate::t!("evidence.note.key", why = _0))]
    Key(KeySyntax),
    /// No signature of the expected key is on the note.
    #[error("{}", crate::t!("evidence.note.unsigned", name = name, id = id))]
    Unsigned {
        /// The key's name.
        name: String,
        /// The key id in hex.
        id: String,
    },
    /// A signature of the expected key is there but does not verify.
    #[error("{}", crate::t!("evidence.note.bad-signature", name = name, id = id))]
    BadSignature {
        /// The key's name.
        name: String,
        /// The key id in hex.
        id: String,
    },
    /// The note's text is not a checkpoint.
    #[error("{}", crate::t!("evidence.note.checkpoint", why = _0))]
    Checkpoint(CheckpointSyntax),
}

/// What is wrong with a signed note's layout ([`NoteError::Malformed`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteSyntax {
    /// Longer than [`MAX_NOTE_LEN`].
    #[error("{}", crate::t!("ev2.note.too-long"))]
    TooLong,
    /// A control character other than `\n`.
    #[error("{}", crate::t!("ev2.note.control"))]
    Control,
    /// No blank line before the signatures.
    #[error("{}", crate::t!("ev2.note.no-blank-line"))]
    NoBlankLine,
    /// The last signature line has no newline.
    #[error("{}", crate::t!("ev2.note.no-final-newline"))]
    NoFinalNewline,
    /// A signature line does not start with `— `.
    #[error("{}", crate::t!("ev2.note.signature-prefix"))]
    SignaturePrefix,
    /// A signature line is not `— <name> <base64>`.
    #[error("{}", crate::t!("ev2.note.signature-layout"))]
    SignatureLayout,
    /// A signature line's key name is not a key name.
    #[error("{}", crate::t!("ev2.note.signature-name"))]
    SignatureName,
    /// A signature is not base64.
    #[error("{}", crate::t!("ev2.note.signature-base64"))]
    SignatureBase64,
    /// A signature is shorter than a key id and one byte.
    #[error("{}", crate::t!("ev2.note.signature-short"))]
    SignatureShort,
    /// No signature line.
    #[error("{}", crate::t!("ev2.note.no-signature"))]
    NoSignature,
}

/// What is wrong with a key's text ([`NoteError::Key`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeySyntax {
    /// Not a key name (empty, a space, a `+`, a control character).
    #[error("{}", crate::t!("ev2.key.name", name = format!("{_0:?}")))]
    Name(String),
    /// A verifier key is not `<name>+<id>+<base64>`.
    #[error("{}", crate::t!("ev2.key.verifier-layout"))]
    VerifierLayout,
    /// A verifier key's id is not 8 lowercase hex digits.
    #[error("{}", crate::t!("ev2.key.id-not-hex", id = format!("{_0:?}")))]
    IdNotHex(String),
    /// A verifier key's key is not base64.
    #[error("{}", crate::t!("ev2.key.not-base64", error = _0))]
    NotBase64(String),
    /// Not an Ed25519 key.
    #[error("{}", crate::t!("ev2.key.not-ed25519"))]
    NotEd25519,
    /// An Ed25519 public key of the wrong length.
    #[error("{}", crate::t!("ev2.key.key-length", length = _0))]
    KeyLength(usize),
    /// A verifier key's id is not the key's.
    #[error("{}", crate::t!("ev2.key.id-mismatch", id = found, expected = expected))]
    IdMismatch {
        /// The id written.
        found: String,
        /// The key's id.
        expected: String,
    },
    /// Not a point on the curve.
    #[error("{}", crate::t!("ev2.key.invalid-public"))]
    InvalidPublic,
    /// The operating system's random source failed.
    #[error("{}", crate::t!("ev2.key.no-random", error = _0))]
    NoRandom(String),
    /// A signing key does not start with `PRIVATE+KEY+`.
    #[error("{}", crate::t!("ev2.key.signing-prefix"))]
    SigningPrefix,
    /// A signing key is not `PRIVATE+KEY+<name>+<id>+<base64>`.
    #[error("{}", crate::t!("ev2.key.signing-layout"))]
    SigningLayout,
    /// A signing key's id is not 8 lowercase hex digits.
    #[error("{}", crate::t!("ev2.key.signing-id-not-hex"))]
    SigningIdNotHex,
    /// A signing key's seed is not base64.
    #[error("{}", crate::t!("ev2.key.signing-not-base64"))]
    SigningNotBase64,
    /// An Ed25519 seed of the wrong length.
    #[error("{}", crate::t!("ev2.key.seed-length"))]
    SeedLength,
    /// A signing key's id is not the key's.
    #[error("{}", crate::t!("ev2.key.signing-id-mismatch"))]
    SigningIdMismatch,
}

/// What is wrong with a checkpoint's text ([`NoteError::Checkpoint`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointSyntax {
    /// The text does not end in `\n`.
    #[error("{}", crate::t!("ev2.checkpoint.no-newline"))]
    NoNewline,
    /// Not three lines.
    #[error("{}", crate::t!("ev2.checkpoint.lines", n = _0))]
    Lines(usize),
    /// The origin line is not an origin.
    #[error("{}", crate::t!("ev2.checkpoint.origin", origin = format!("{_0:?}")))]
    Origin(String),
    /// The size line is not a decimal number.
    #[error("{}", crate::t!("ev2.checkpoint.size", size = format!("{_0:?}")))]
    Size(String),
    /// The root line is not base64.
    #[error("{}", crate::t!("ev2.checkpoint.root-base64", root = format!("{_0:?}")))]
    RootBase64(String),
    /// The root hash is not 32 bytes.
    #[error("{}", crate::t!("ev2.checkpoint.root-length"))]
    RootLength,
}

/// A key name: non-empty, no whitespace, no `+` (signed-note §Keys).
fn check_name(name: &str) -> Result<(), NoteError> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '+' || c.is_control()) {
        return Err(NoteError::Key(KeySyntax::Name(name.to_string())));
    }
    Ok(())
}

/// The 4-byte key id of an Ed25519 key (signed-note §Signatures).
fn key_id(name: &str, public: &[u8; 32]) -> [u8; 4] {
    let mut bytes = Vec::with_capacity(name.len() + 34);
    bytes.extend_from_slice(name.as_bytes());
    bytes.push(b'\n');
    bytes.push(ED25519);
    bytes.extend_from_slice(public);
    let h = Sha256::digest(&bytes);
    let mut id = [0u8; 4];
    id.copy_from_slice(&h.as_bytes()[..4]);
    id
}

fn hex4(id: &[u8; 4]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_hex4(s: &str) -> Option<[u8; 4]> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let mut out = [0u8; 4];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A public key that checks signatures: a note verifier key.
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    id: [u8; 4],
    key: VerifyingKey,
}

impl Verifier {
    /// Parses `<name>+<8 hex id>+<base64(0x01 ‖ 32-byte key)>`.
    ///
    /// # Errors
    /// [`NoteError::Key`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Verifier, NoteError> {
        let text = text.trim_end_matches(['\n', '\r']);
        // A name has no '+'; base64 may: split from the left.
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::Key(KeySyntax::VerifierLayout));
        };
        check_name(name)?;
        let id = parse_hex4(id).ok_or_else(|| NoteError::Key(KeySyntax::IdNotHex(id.to_string())))?;
        let raw = BASE64.decode(b64).map_err(|e| NoteError::Key(KeySyntax::NotBase64(e.to_string())))?;
        let [ED25519, key @ ..] = raw.as_slice() else {
            return Err(NoteError::Key(KeySyntax::NotEd25519));
        };
        let key: [u8; 32] = key.try_into().map_err(|_| NoteError::Key(KeySyntax::KeyLength(key.len())))?;
        if key_id(name, &key) != id {
            return Err(NoteError::Key(KeySyntax::IdMismatch {
                found: hex4(&id),
                expected: hex4(&key_id(name, &key)),
            }));
        }
        let key = VerifyingKey::from_bytes(&key).map_err(|_| NoteError::Key(KeySyntax::InvalidPublic))?;
        Ok(Verifier { name: name.to_string(), id, key })
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id in hex (8 digits).
    pub fn id(&self) -> String {
        hex4(&self.id)
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The fingerprint to publish: the SHA-256 of the verifier key's text
    /// (`printf %s KEY | sha256sum`).
    pub fn fingerprint(&self) -> Sha256 {
        Sha256::digest(self.to_string().as_bytes())
    }

    fn check(&self, text: &str, signature: &[u8]) -> bool {
        let Ok(sig) = <[u8; 64]>::try_from(signature) else { return false };
        self.key.verify_strict(text.as_bytes(), &Signature::from_bytes(&sig)).is_ok()
    }
}

impl fmt::Display for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = vec![ED25519];
        raw.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{}+{}", self.name, hex4(&self.id), BASE64.encode(raw))
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verifier({self})")
    }
}

/// A private signing key. Its seed never appears in `Debug` or `Display`
/// output; [`Signer::to_private_text`] hands it out as a [`Secret`] only
/// to write the key file.
pub struct Signer {
    name: String,
    key: SigningKey,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signer({}, private key not shown)", self.verifier())
    }
}

impl Signer {
    /// A signer from a 32-byte Ed25519 seed.
    ///
    /// # Errors
    /// [`NoteError::Key`] if the name is not a key name.
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Signer, NoteError> {
        check_name(name)?;
        Ok(Signer { name: name.to_string(), key: SigningKey::from_bytes(&seed) })
    }

    /// A new key from the operating system's random source.
    ///
    /// # Errors
    /// [`NoteError::Key`] if the name is not a key name or there is no
    /// random source.
    pub fn generate(name: &str) -> Result<Signer, NoteError> {
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|e| NoteError::Key(KeySyntax::NoRandom(e.to_string())))?;
        Signer::from_seed(name, *seed)
    }

    /// Parses `PRIVATE+KEY+<name>+<8 hex id>+<base64(0x01 ‖ seed)>` (what
    /// [`Signer::to_private_text`] writes).
    ///
    /// # Errors
    /// [`NoteError::Key`] naming what is wrong (never the key itself).
    pub fn parse(text: &str) -> Result<Signer, NoteError> {
        let text = text.trim_end_matches(['\n', '\r']);
        let Some(rest) = text.strip_prefix("PRIVATE+KEY+") else {
            return Err(NoteError::Key(KeySyntax::SigningPrefix));
        };
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::Key(KeySyntax::SigningLayout));
        };
        let id = parse_hex4(id).ok_or(NoteError::Key(KeySyntax::SigningIdNotHex))?;
        let raw = zeroize::Zeroizing::new(BASE64.decode(b64).map_err(|_| NoteError::Key(KeySyntax::SigningNotBase64))?);
        let [ED25519, seed @ ..] = raw.as_slice() else {
            return Err(NoteError::Key(KeySyntax::NotEd25519));
        };
        let seed: [u8; 32] = seed.try_into().map_err(|_| NoteError::Key(KeySyntax::SeedLength))?;
        let signer = Signer::from_seed(name, seed)?;
        if signer.verifier().id != id {
            return Err(NoteError::Key(KeySyntax::SigningIdMismatch));
        }
        Ok(signer)
    }

    /// The private key file's text (one line, with `\n`).
    pub fn to_private_text(&self) -> Secret<String> {
        let mut raw = zeroize::Zeroizing::new(vec![ED25519]);
        raw.extend_from_slice(self.key.as_bytes());
        let v = self.verifier();
        Secret::new(format!("PRIVATE+KEY+{}+{}+{}\n", self.name, v.id(), BASE64.encode(raw.as_slice())))
    }

    /// The public half.
    pub fn verifier(&self) -> Verifier {
        let key = self.key.verifying_key();
        Verifier { name: self.name.clone(), id: key_id(&self.name, key.as_bytes()), key }
    }

    /// Signs `text` (which must end in `\n`) and returns the signed note.
    pub fn sign(&self, text: &str) -> String {
        use ed25519_dalek::Signer as _;
        debug_assert!(text.ends_with('\n'));
        let sig = self.key.sign(text.as_bytes());
        let mut raw = key_id(&self.name, self.key.verifying_key().as_bytes()).to_vec();
        raw.extend_from_slice(&sig.to_bytes());
        format!("{text}\n{SIG_PREFIX}{} {}\n", self.name, BASE64.encode(raw))
    }
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name written on the line.
    pub name: String,
    /// The 4-byte key id.
    pub id: [u8; 4],
    /// The signature bytes (64 for Ed25519).
    pub signature: Vec<u8>,
}

/// A parsed signed note: its text and its signature lines (not yet
/// verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedNote {
    text: String,
    signatures: Vec<NoteSignature>,
}

impl SignedNote {
    /// Parses a signed note.
    ///
    /// # Errors
    /// [`NoteError::Malformed`]: too long, a control character in the
    /// text, no blank line before the signatures, no signature, or a
    /// signature line that is not `— <name> <base64>`.
    pub fn parse(note: &str) -> Result<SignedNote, NoteError> {
        let mut signatures = Vec::new();
        let text = split_note(note, |name, id, signature| {
            signatures.push(NoteSignature { name: name.to_string(), id, signature: signature.to_vec() });
        })?;
        Ok(SignedNote { text: text.to_string(), signatures })
    }

    /// The signed text (with its final newline).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The signature lines.
    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// Checks that `key` signed the note. Signatures of other keys are
    /// ignored (signed-note: unknown signatures carry no meaning).
    ///
    /// # Errors
    /// [`NoteError::Unsigned`] if no line has the key's name and id;
    /// [`NoteError::BadSignature`] if one does but does not verify.
    pub fn verify(&self, key: &Verifier) -> Result<(), NoteError> {
        let mut found = false;
        for s in self.signatures.iter().filter(|s| s.name == key.name && s.id == key.id) {
            found = true;
            if key.check(&self.text, &s.signature) {
                return Ok(());
            }
        }
        let (name, id) = (key.name.clone(), key.id());
        Err(if found { NoteError::BadSignature { name, id } } else { NoteError::Unsigned { name, id } })
    }
}

/// Checks a signed note's syntax (see [`SignedNote::parse`]) without
/// keeping anything: returns its text and shows `each` every signature
/// line's name, key id and signature bytes.
fn split_note<'n>(note: &'n str, mut each: impl FnMut(&'n str, [u8; 4], &[u8])) -> Result<&'n str, NoteError> {
    let bad = NoteError::Malformed;
    if note.len() > MAX_NOTE_LEN {
        return Err(bad(NoteSyntax::TooLong));
    }
    // (ASCII, the usual case, byte by byte; the same test.)
    let control = if note.is_ascii() {
        note.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f)
    } else {
        note.chars().any(|c| c.is_control() && c != '\n')
    };
    if control {
        return Err(bad(NoteSyntax::Control));
    }
    let split = memchr::memmem::rfind(note.as_bytes(), b"\n\n").ok_or(NoteError::Malformed(NoteSyntax::NoBlankLine))?;
    let (text, sigs) = (&note[..split + 1], &note[split + 2..]);
    if !sigs.ends_with('\n') {
        return Err(bad(NoteSyntax::NoFinalNewline));
    }
    // Room for an Ed25519 signature line's bytes; a longer one (of another
    // algorithm) is decoded into the heap.
    let mut buffer = [0u8; 96];
    let mut any = false;
    for line in sigs[..sigs.len() - 1].split('\n') {
        let rest = line.strip_prefix(SIG_PREFIX).ok_or(bad(NoteSyntax::SignaturePrefix))?;
        let (name, b64) = rest.split_once(' ').ok_or(bad(NoteSyntax::SignatureLayout))?;
        check_name(name).map_err(|_| bad(NoteSyntax::SignatureName))?;
        let heap;
        let raw = match BASE64.decode_slice(b64, &mut buffer) {
            Ok(n) => &buffer[..n],
            Err(base64::DecodeSliceError::OutputSliceTooSmall) => {
                heap = BASE64.decode(b64).map_err(|_| bad(NoteSyntax::SignatureBase64))?;
                &heap[..]
            }
            Err(base64::DecodeSliceError::DecodeError(_)) => return Err(bad(NoteSyntax::SignatureBase64)),
        };
        if raw.len() < 5 {
            return Err(bad(NoteSyntax::SignatureShort));
        }
        let mut id = [0u8; 4];
        id.copy_from_slice(&raw[..4]);
        each(name, id, &raw[4..]);
        any = true;
    }
    if !any {
        return Err(bad(NoteSyntax::NoSignature));
    }
    Ok(text)
}

/// The body of a checkpoint (c2sp.org/tlog-checkpoint): which log, how
/// many lines, and the root of their tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line (`dsr-evidence-log/<32 hex>`).
    pub origin: String,
    /// The tree size: the number of log lines it covers (lines 1 to size).
    pub size: u64,
    /// The RFC 9162 root hash of those lines.
    pub root: Sha256,
}

impl Checkpoint {
    /// The note text: origin, size and base64 root, each on its own line.
    pub fn body(&self) -> String {
        format!("{}\n{}\n{}\n", self.origin, self.size, BASE64.encode(self.root.as_bytes()))
    }

    /// Parses a checkpoint's note text. Extension lines after the root are
    /// refused: dsr writes none, and a verifier that ignored them would
    /// accept text no one checked.
    ///
    /// # Errors
    /// [`NoteError::Checkpoint`] naming the bad line.
    pub fn parse(text: &str) -> Result<Checkpoint, NoteError> {
        let c = CheckpointRef::parse(text)?;
        Ok(Checkpoint { origin: c.origin.to_string(), size: c.size, root: c.root })
    }
}

/// A [`Checkpoint`] borrowed from its note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointRef<'a> {
    /// The log's origin line.
    pub origin: &'a str,
    /// The tree size.
    pub size: u64,
    /// The root hash.
    pub root: Sha256,
}

impl<'a> CheckpointRef<'a> {
    /// As [`Checkpoint::parse`], without copying.
    ///
    /// # Errors
    /// [`NoteError::Checkpoint`] naming the bad line.
    pub fn parse(text: &'a str) -> Result<CheckpointRef<'a>, NoteError> {
        let bad = NoteError::Checkpoint;
        let Some(body) = text.strip_suffix('\n') else { return Err(bad(CheckpointSyntax::NoNewline)) };
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root), None) = (lines.next(), lines.next(), lines.next(), lines.next())
        else {
            return Err(bad(CheckpointSyntax::Lines(body.split('\n').count())));
        };
        if !is_origin(origin) {
            return Err(bad(CheckpointSyntax::Origin(origin.to_string())));
        }
        let valid_size =
            !size.is_empty() && size.bytes().all(|b| b.is_ascii_digit()) && (size.len() == 1 || !size.starts_with('0'));
        let size: u64 =
            size.parse().ok().filter(|_| valid_size).ok_or_else(|| bad(CheckpointSyntax::Size(size.to_string())))?;
        let mut raw = [0u8; 32];
        let decoded = match BASE64.decode_slice(root, &mut raw) {
            Ok(n) => Ok(n),
            // Too long for a root: is it base64 at all?
            Err(base64::DecodeSliceError::OutputSliceTooSmall) => BASE64.decode(root).map(|v| v.len()),
            Err(base64::DecodeSliceError::DecodeError(e)) => Err(e),
        };
        match decoded {
            Ok(32) => {}
            Ok(_) => return Err(bad(CheckpointSyntax::RootLength)),
            Err(_) => return Err(bad(CheckpointSyntax::RootBase64(root.to_string()))),
        }
        Ok(CheckpointRef { origin, size, root: Sha256::from_bytes(raw) })
    }

    /// Checks a signed checkpoint note (as [`SignedCheckpoint::parse`]
    /// would) and reads its body, without copying: for a verifier that
    /// checks the signature of only some of many notes.
    ///
    /// # Errors
    /// The note or its text does not parse.
    pub fn from_signed(note: &'a str) -> Result<CheckpointRef<'a>, NoteError> {
        CheckpointRef::parse(split_note(note, |_, _, _| {})?)
    }
}

/// True if `s` can be an origin line: printable ASCII without spaces or
/// `+`, 1 to 255 bytes.
pub fn is_origin(s: &str) -> bool {
    !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_graphic() && b != b'+')
}

/// A signed checkpoint: the parsed note and its checkpoint body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    /// The note exactly as written.
    pub note: String,
    /// Its checkpoint.
    pub checkpoint: Checkpoint,
    /// Its signatures (not yet verified).
    pub signed: SignedNote,
}

impl SignedCheckpoint {
    /// Parses a signed checkpoint note.
    ///
    /// # Errors
    /// The note or its text does not parse.
    pub fn parse(note: &str) -> Result<SignedCheckpoint, NoteError> {
        let signed = SignedNote::parse(note)?;
        let checkpoint = Checkpoint::parse(signed.text())?;
        Ok(SignedCheckpoint { note: note.to_string(), checkpoint, signed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_as_by_char_is_control() {
        let ok = "o\n1\nAAAA\n\n\u{2014} k AAAAAAAAAAAAAAAAAAAA\n";
        assert!(SignedNote::parse(ok).is_ok());
        for c in (0u32..0x200).filter_map(char::from_u32) {
            let note = ok.replacen('o', &format!("o{c}"), 1);
            let refused = matches!(SignedNote::parse(&note), Err(NoteError::Malformed(NoteSyntax::Control)));
            assert_eq!(refused, c.is_control() && c != '\n', "{c:?}");
        }
    }

    fn vector() -> serde_json::Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/merkle/merkle-test-vectors.json");
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        v["signed_note_vector"].clone()
    }

    #[test]
    fn the_c2sp_example_note_verifies_and_a_changed_one_does_not() {
        let v = vector();
        let key = Verifier::parse(v["vkey"].as_str().unwrap()).unwrap();
        assert_eq!(key.to_string(), v["vkey"].as_str().unwrap());
        let note = SignedNote::parse(v["signed_note"].as_str().unwrap()).unwrap();
        assert_eq!(note.text(), v["note_text"].as_str().unwrap());
        note.verify(&key).unwrap();
        let changed = v["signed_note"].as_str().unwrap().replace("example message", "example massage");
        assert!(matches!(SignedNote::parse(&changed).unwrap().verify(&key), Err(NoteError::BadSignature { .. })));
        let other = Signer::from_seed("example.com/foo", [1; 32]).unwrap().verifier();
        assert!(matches!(note.verify(&other), Err(NoteError::Unsigned { .. })));
    }

    #[test]
    fn keys_round_trip_and_the_seed_is_never_shown() {
        let s = Signer::from_seed("dsr", [9; 32]).unwrap();
        let text = s.to_private_text();
        let again = Signer::parse(text.expose()).unwrap();
        assert_eq!(again.verifier(), s.verifier());
        let shown = format!("{s:?} {}", s.verifier());
        let seed_b64 = BASE64.encode([[ED25519].as_slice(), &[9; 32]].concat());
        assert!(!shown.contains(&seed_b64), "{shown}");
        assert!(text.expose().contains(&seed_b64));
        assert_eq!(Verifier::parse(&s.verifier().to_string()).unwrap(), s.verifier());
        assert!(Signer::from_seed("a b", [0; 32]).is_err());
        // Base64 may hold '+' (and '/'): keys with one still parse.
        let plus = (0u8..=255)
            .map(|i| Signer::from_seed("dsr", [i; 32]).unwrap())
            .find(|s| {
                s.verifier().to_string().matches('+').count() > 2
                    && s.to_private_text().expose().matches('+').count() > 4
            })
            .expect("some seed gives a '+' in both");
        assert_eq!(Verifier::parse(&plus.verifier().to_string()).unwrap(), plus.verifier());
        assert_eq!(Signer::parse(plus.to_private_text().expose()).unwrap().verifier(), plus.verifier());
        assert!(Verifier::parse("dsr+00000000+AQ==").is_err());
        let wrong_id = s.verifier().to_string().replacen(&s.verifier().id(), "00000000", 1);
        assert!(Verifier::parse(&wrong_id).unwrap_err().to_string().contains("does not match"));
    }

    #[test]
    fn checkpoints_parse_strictly() {
        let cp = Checkpoint { origin: "o".into(), size: 0, root: Sha256::digest(b"") };
        assert_eq!(Checkpoint::parse(&cp.body()).unwrap(), cp);
        let v = vector();
        let _ = v;
        let example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        assert_eq!(Checkpoint::parse(example).unwrap().size, 20852163);
        for bad in [
            "o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension\n",
            "o\n1\nCsUY\n",
            "o p\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
        ] {
            assert!(Checkpoint::parse(bad).is_err(), "{bad:?}");
        }
        for bad in ["text\n", "text\n\n", "text\n\n— k AAAA\n", "text\n\nx k AAAAAAAA\n", "te\u{7}xt\n\n— k AAAAAAAA\n"]
        {
            assert!(SignedNote::parse(bad).is_err(), "{bad:?}");
        }
    }
}
