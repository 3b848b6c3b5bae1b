//! Whether a time-stamp token was signed by the time-stamping authority
//! it claims, checked by dsr itself (RFC 3161 §2.3–2.4, RFC 5652 §5, RFC
//! 5816): the second half of what `openssl ts -verify` does, the first
//! (imprint, nonce) being [`super::tsp`].
//!
//! [`verify`] checks, in this order, and names the first failure:
//!
//! 1. the token is CMS `SignedData` with exactly one `SignerInfo` whose
//!    signed attributes hold `content-type` = `id-ct-TSTInfo` and a
//!    `message-digest` equal to the digest of the `TSTInfo`;
//! 2. the signer's certificate is found (in the token, or in the CA file)
//!    by the `SignerInfo`'s identifier;
//! 3. the signed attributes bind that certificate: the first `ESSCertIDv2`
//!    of `signing-certificate-v2` (RFC 5816; any SHA-2) or the first
//!    `ESSCertID` of `signing-certificate` (SHA-1) holds its hash, and its
//!    issuer and serial number where given;
//! 4. the signature over the signed attributes verifies with the
//!    certificate's key (RSA PKCS #1 v1.5, ECDSA P-256 or P-384, Ed25519;
//!    SHA-256, -384 or -512; SHA-1 is refused for every key type, as the
//!    signature's digest and as the `SignerInfo`'s digest algorithm);
//! 5. the certificate has exactly one extended key usage, `timeStamping`,
//!    and that extension is critical (RFC 3161 §2.3);
//! 6. the certificate was valid at the token's `genTime`;
//! 7. when a CA file is given ([`Trust`]): the certificate chains to one
//!    of its certificates, through certificates of the token or the file
//!    that are CAs (basicConstraints), each signature verifying and each
//!    certificate valid at `genTime`.
//!
//! Validity is judged at `genTime`, not now: a token stays evidence after
//! its TSA's certificate expires (RFC 3161 §4.3). `openssl ts -verify`
//! judges it now unless given `-attime`. Revocation (CRL, OCSP) is not
//! checked.

use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use sha2::Digest;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::GeneralName;

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.12");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SHA1_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
const ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// The longest chain followed from the signer to a CA of the file.
const MAX_DEPTH: usize = 8;

/// The certificates a verifier trusts for one TSA: a PEM CA file.
#[derive(Debug, Clone)]
pub struct Trust {
    /// Where they came from (for messages).
    pub label: String,
    certs: Vec<Certificate>,
}

impl Trust {
    /// The certificates of a PEM file (`-----BEGIN CERTIFICATE-----`
    /// blocks; other blocks and text between them are skipped).
    ///
    /// # Errors
    /// Not text, a block that is no certificate, or no certificate at all.
    pub fn from_pem(label: &str, pem: &[u8]) -> Result<Trust, PemError> {
        let err = |problem| PemError { label: label.to_string(), problem };
        let text = std::str::from_utf8(pem).map_err(|_| err(PemProblem::NotText))?;
        let mut certs = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
            let body = &rest[start + "-----BEGIN CERTIFICATE-----".len()..];
            let Some(end) = body.find("-----END CERTIFICATE-----") else {
                return Err(err(PemProblem::NoEnd));
            };
            let b64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
            let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64.as_bytes())
                .map_err(|e| err(PemProblem::NotBase64 { n: certs.len() + 1, error: e.to_string() }))?;
            let cert = Certificate::from_der(&der)
                .map_err(|e| err(PemProblem::NotX509 { n: certs.len() + 1, error: e.to_string() }))?;
            certs.push(cert);
            rest = &body[end..];
        }
        if certs.is_empty() {
            return Err(err(PemProblem::Empty));
        }
        Ok(Trust { label: label.to_string(), certs })
    }
}

/// Why a CA file is not one ([`Trust::from_pem`]): shown (`Display`) in
/// the interface language; as a `String` (`From`, what a
/// `timestamp_failed` line stores) in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemError {
    /// The file, as named to the user.
    pub label: String,
    /// What is wrong with it.
    pub problem: PemProblem,
}

/// What is wrong with a CA file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemProblem {
    /// Not UTF-8 text.
    NotText,
    /// A `BEGIN CERTIFICATE` line without its `END` line.
    NoEnd,
    /// The `n`-th certificate is not base64.
    NotBase64 {
        /// From 1.
        n: usize,
        /// The decoder's message.
        error: String,
    },
    /// The `n`-th certificate does not parse.
    NotX509 {
        /// From 1.
        n: usize,
        /// The parser's message.
        error: String,
    },
    /// No certificate at all.
    Empty,
}

impl PemError {
    /// The text in `lang`.
    pub fn text_in(&self, lang: crate::i18n::UiLang) -> String {
        let label = &self.label;
        match &self.problem {
            PemProblem::NotText => crate::t_in!(lang, "ev2.pem.not-text", label = label),
            PemProblem::NoEnd => crate::t_in!(lang, "ev2.pem.no-end", label = label),
            PemProblem::NotBase64 { n, error } => {
                crate::t_in!(lang, "ev2.pem.not-base64", label = label, n = n, error = error)
            }
            PemProblem::NotX509 { n, error } => {
                crate::t_in!(lang, "ev2.pem.not-x509", label = label, n = n, error = error)
            }
            PemProblem::Empty => crate::t_in!(lang, "ev2.pem.empty", label = label),
        }
    }
}

impl std::fmt::Display for PemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text_in(crate::i18n::ui()))
    }
}

impl std::error::Error for PemError {}

impl From<PemError> for String {
    fn from(e: PemError) -> String {
        e.text_in(crate::i18n::UiLang::En)
    }
}

/// The CA files a verifier was given: for the TSA of a given name (its
/// `ca_file` in the config), and any number given on the command line,
/// one of which every token must chain to (`--tsa-ca`, as
/// docs/verify_log.py takes it).
#[derive(Debug, Clone, Default)]
pub struct TokenTrust {
    /// By TSA name (`[[timestamp.tsa]]` `name` and `ca_file`).
    pub by_tsa: std::collections::HashMap<String, Trust>,
    /// Given on the command line: when not empty, these and only these.
    pub given: Vec<Trust>,
}

impl TokenTrust {
    /// Checks `token` of the TSA `tsa` (see [`verify`]): against each CA
    /// given on the command line until one chains, else against the one
    /// configured for `tsa`, else without a chain.
    ///
    /// # Errors
    /// The reason (each CA's when several were given).
    pub fn check(&self, tsa: &str, token: &[u8], gen_time: DateTime<Utc>) -> Result<Signer, Refusal> {
        if self.given.is_empty() {
            return verify(token, gen_time, self.by_tsa.get(tsa));
        }
        let mut why = Vec::new();
        for t in &self.given {
            match verify(token, gen_time, Some(t)) {
                Ok(s) => return Ok(s),
                Err(e) => why.push(e),
            }
        }
        why.dedup();
        Err(if why.len() == 1 { why.remove(0) } else { Refusal::Several(why) })
    }
}

/// Why [`verify`] refuses a token. Its `Display` is English: the reason a
/// `timestamp_failed` line stores (`ops::timestamp`); [`Refusal::text`]
/// gives it in the interface language, for what a verifier shows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// Not a CMS `ContentInfo` (the parser's message).
    NotContentInfo(String),
    /// Not `signedData`.
    NotSignedData,
    /// The `SignedData` does not parse (the parser's message).
    SignedDataSyntax(String),
    /// The content is not a `TSTInfo`.
    NoTstInfo,
    /// No `TSTInfo` content.
    NoTstInfoContent,
    /// Not exactly one `SignerInfo` (how many).
    SignerInfos(usize),
    /// The `SignerInfo`'s digest algorithm is refused.
    SignerInfoDigest(Box<Refusal>),
    /// No signed attributes.
    NoSignedAttributes,
    /// A signed attribute given more than once (its OID).
    AttributeTwice(String),
    /// No `content-type` attribute.
    NoContentType,
    /// The `content-type` attribute is not `id-ct-TSTInfo`.
    ContentType,
    /// No `message-digest` attribute.
    NoMessageDigest,
    /// The `message-digest` is not an OCTET STRING.
    MessageDigestType,
    /// The `message-digest` is not the `TSTInfo`'s digest.
    MessageDigest,
    /// No certificate in the token nor the CA file names the signer.
    NoCertificate,
    /// None of the token's certificates is the signer's.
    SignerNotFound,
    /// The signer certificate does not encode (the encoder's message).
    SignerEncoding(String),
    /// The signature does not verify with the signer certificate's key.
    Signature(Box<Refusal>),
    /// A part of the token is not the expected DER (its name).
    Der(&'static str),
    /// No `signing-certificate(-v2)` attribute.
    NoBinding,
    /// That attribute (named) does not parse.
    BindingSyntax(&'static str),
    /// That attribute (named) names another certificate.
    BindingHash(&'static str),
    /// That attribute (named) names another issuer or serial number.
    BindingIssuer(&'static str),
    /// The TSA certificate has no extended key usage.
    NoKeyUsage,
    /// Its extended key usage does not parse.
    KeyUsageSyntax,
    /// Its extended key usage is not exactly `timeStamping`.
    KeyUsageNotTimeStamping,
    /// Its extended key usage is not critical.
    KeyUsageNotCritical,
    /// A certificate was not yet valid at genTime.
    NotYetValid {
        /// Which.
        cert: Cert,
        /// genTime.
        at: String,
        /// Its `notBefore`.
        from: String,
    },
    /// A certificate had expired at genTime.
    Expired {
        /// Which.
        cert: Cert,
        /// genTime.
        at: String,
        /// Its `notAfter`.
        until: String,
    },
    /// The TSA certificate does not chain to the CA file.
    NoChain {
        /// The TSA certificate's subject.
        subject: String,
        /// The CA file.
        ca: String,
        /// The issuer no certificate there is.
        issuer: String,
    },
    /// No chain within `max` certificates.
    ChainTooLong {
        /// The CA file.
        ca: String,
        /// The longest chain followed.
        max: usize,
    },
    /// A digest algorithm (its OID) that is not supported.
    DigestUnsupported(String),
    /// A signature of one type from a key of another.
    KeyType {
        /// The signature's type.
        signature: &'static str,
        /// The type the key should have.
        key: &'static str,
    },
    /// An Ed25519 key that is not 32 bytes.
    Ed25519KeyLength,
    /// An invalid key of the named type.
    InvalidKey(&'static str),
    /// An Ed25519 signature of the wrong length.
    Ed25519SignatureLength,
    /// The signature is wrong.
    WrongSignature,
    /// A signature over SHA-1 (the algorithm's name and OID).
    Sha1 {
        /// Its name.
        name: &'static str,
        /// Its OID.
        alg: String,
    },
    /// An RSA key that does not parse (the parser's message).
    RsaKey(String),
    /// An ECDSA signature that is not DER.
    EcdsaNotDer,
    /// An EC key on another curve than P-256 or P-384.
    Curve,
    /// A signature algorithm (its OID) that is not supported.
    SignatureAlgorithm(String),
    /// Each CA file given refuses it, for these reasons.
    Several(Vec<Refusal>),
}

/// A certificate [`Refusal`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cert {
    /// The TSA's (the signer's).
    Tsa,
    /// A CA certificate of the CA file (its subject).
    Ca(String),
    /// An intermediate certificate (its subject).
    Intermediate(String),
}

impl Cert {
    fn text_in(&self, lang: crate::i18n::UiLang) -> String {
        match self {
            Cert::Tsa => crate::t_in!(lang, "ev2.tsa.cert-tsa"),
            Cert::Ca(subject) => crate::t_in!(lang, "ev2.tsa.cert-ca", subject = subject),
            Cert::Intermediate(subject) => crate::t_in!(lang, "ev2.tsa.cert-intermediate", subject = subject),
        }
    }
}

impl Refusal {
    /// The reason in the interface language.
    pub fn text(&self) -> String {
        self.text_in(crate::i18n::ui())
    }

    /// The reason in `lang`.
    pub fn text_in(&self, lang: crate::i18n::UiLang) -> String {
        use crate::t_in;
        match self {
            Refusal::NotContentInfo(e) => t_in!(lang, "ev2.tsa.not-content-info", error = e),
            Refusal::NotSignedData => t_in!(lang, "ev2.tsa.not-signed-data"),
            Refusal::SignedDataSyntax(e) => t_in!(lang, "ev2.tsa.signed-data-syntax", error = e),
            Refusal::NoTstInfo => t_in!(lang, "ev2.tsa.no-tst-info"),
            Refusal::NoTstInfoContent => t_in!(lang, "ev2.tsa.no-tst-info-content"),
            Refusal::SignerInfos(n) => t_in!(lang, "ev2.tsa.signer-infos", n = n),
            Refusal::SignerInfoDigest(why) => t_in!(lang, "ev2.tsa.signer-info-digest", why = why.text_in(lang)),
            Refusal::NoSignedAttributes => t_in!(lang, "ev2.tsa.no-signed-attributes"),
            Refusal::AttributeTwice(oid) => t_in!(lang, "ev2.tsa.attribute-twice", oid = oid),
            Refusal::NoContentType => t_in!(lang, "ev2.tsa.no-content-type"),
            Refusal::ContentType => t_in!(lang, "ev2.tsa.content-type"),
            Refusal::NoMessageDigest => t_in!(lang, "ev2.tsa.no-message-digest"),
            Refusal::MessageDigestType => t_in!(lang, "ev2.tsa.message-digest-type"),
            Refusal::MessageDigest => t_in!(lang, "ev2.tsa.message-digest"),
            Refusal::NoCertificate => t_in!(lang, "ev2.tsa.no-certificate"),
            Refusal::SignerNotFound => t_in!(lang, "ev2.tsa.signer-not-found"),
            Refusal::SignerEncoding(e) => t_in!(lang, "ev2.tsa.signer-encoding", error = e),
            Refusal::Signature(why) => t_in!(lang, "ev2.tsa.signature", why = why.text_in(lang)),
            Refusal::Der(what) => t_in!(lang, "ev2.tsa.der", what = what),
            Refusal::NoBinding => t_in!(lang, "ev2.tsa.no-binding"),
            Refusal::BindingSyntax(attribute) => t_in!(lang, "ev2.tsa.binding-syntax", attribute = attribute),
            Refusal::BindingHash(attribute) => t_in!(lang, "ev2.tsa.binding-hash", attribute = attribute),
            Refusal::BindingIssuer(attribute) => t_in!(lang, "ev2.tsa.binding-issuer", attribute = attribute),
            Refusal::NoKeyUsage => t_in!(lang, "ev2.tsa.no-key-usage"),
            Refusal::KeyUsageSyntax => t_in!(lang, "ev2.tsa.key-usage-syntax"),
            Refusal::KeyUsageNotTimeStamping => t_in!(lang, "ev2.tsa.key-usage-not-time-stamping"),
            Refusal::KeyUsageNotCritical => t_in!(lang, "ev2.tsa.key-usage-not-critical"),
            Refusal::NotYetValid { cert, at, from } => {
                t_in!(lang, "ev2.tsa.not-yet-valid", cert = cert.text_in(lang), at = at, from = from)
            }
            Refusal::Expired { cert, at, until } => {
                t_in!(lang, "ev2.tsa.expired", cert = cert.text_in(lang), at = at, until = until)
            }
            Refusal::NoChain { subject, ca, issuer } => {
                t_in!(lang, "ev2.tsa.no-chain", subject = subject, ca = ca, issuer = issuer)
            }
            Refusal::ChainTooLong { ca, max } => t_in!(lang, "ev2.tsa.chain-too-long", ca = ca, max = max),
            Refusal::DigestUnsupported(oid) => t_in!(lang, "ev2.tsa.digest-unsupported", oid = oid),
            Refusal::KeyType { signature, key } => t_in!(lang, "ev2.tsa.key-type", signature = signature, key = key),
            Refusal::Ed25519KeyLength => t_in!(lang, "ev2.tsa.ed25519-key-length"),
            Refusal::InvalidKey(kind) => t_in!(lang, "ev2.tsa.invalid-key", kind = kind),
            Refusal::Ed25519SignatureLength => t_in!(lang, "ev2.tsa.ed25519-signature-length"),
            Refusal::WrongSignature => t_in!(lang, "ev2.tsa.wrong-signature"),
            Refusal::Sha1 { name, alg } => t_in!(lang, "ev2.tsa.sha1", name = name, alg = alg),
            Refusal::RsaKey(e) => t_in!(lang, "ev2.tsa.rsa-key", error = e),
            Refusal::EcdsaNotDer => t_in!(lang, "ev2.tsa.ecdsa-not-der"),
            Refusal::Curve => t_in!(lang, "ev2.tsa.curve"),
            Refusal::SignatureAlgorithm(oid) => t_in!(lang, "ev2.tsa.signature-algorithm", oid = oid),
            Refusal::Several(all) => all.iter().map(|r| r.text_in(lang)).collect::<Vec<_>>().join("; "),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text_in(crate::i18n::UiLang::En))
    }
}

impl std::error::Error for Refusal {}

/// What [`verify`] found out about the signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The signer certificate's subject, as text (`CN=…`).
    pub subject: String,
    /// The CA file it chains to, when one was given.
    pub chained_to: Option<String>,
}

/// Checks the CMS signature of a DER `TimeStampToken` and its signer's
/// certificate (see the module docs), at `gen_time`.
///
/// # Errors
/// The first check that fails (without the token's name, which the caller
/// adds).
pub fn verify(token: &[u8], gen_time: DateTime<Utc>, trust: Option<&Trust>) -> Result<Signer, Refusal> {
    let ci = ContentInfo::from_der(token).map_err(|e| Refusal::NotContentInfo(e.to_string()))?;
    if ci.content_type != ID_SIGNED_DATA {
        return Err(Refusal::NotSignedData);
    }
    let sd: SignedData = ci.content.decode_as().map_err(|e| Refusal::SignedDataSyntax(e.to_string()))?;
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(Refusal::NoTstInfo);
    }
    let tst_info =
        sd.encap_content_info.econtent.as_ref().map(|any| any.value().to_vec()).ok_or(Refusal::NoTstInfoContent)?;
    let signers: Vec<_> = sd.signer_infos.0.iter().collect();
    let [si] = signers.as_slice() else {
        return Err(Refusal::SignerInfos(signers.len()));
    };
    let digest_alg = si.digest_alg.oid;
    if matches!(digest_of(digest_alg), Ok(Hash::Sha1)) {
        // The message-digest of the TSTInfo is what the signature covers:
        // SHA-1 there is as weak as a SHA-1 signature.
        return Err(Refusal::SignerInfoDigest(Box::new(sha1_refused(digest_alg))));
    }
    let attrs = si.signed_attrs.as_ref().ok_or(Refusal::NoSignedAttributes)?;
    let attr = |oid: ObjectIdentifier| -> Result<Option<der::Any>, Refusal> {
        let mut found = attrs.iter().filter(|a| a.oid == oid);
        let Some(a) = found.next() else { return Ok(None) };
        if found.next().is_some() || a.values.len() != 1 {
            return Err(Refusal::AttributeTwice(oid.to_string()));
        }
        Ok(a.values.iter().next().cloned())
    };
    let content_type = attr(ID_CONTENT_TYPE)?.ok_or(Refusal::NoContentType)?;
    if content_type.decode_as::<ObjectIdentifier>().ok() != Some(ID_CT_TST_INFO) {
        return Err(Refusal::ContentType);
    }
    let md = attr(ID_MESSAGE_DIGEST)?.ok_or(Refusal::NoMessageDigest)?;
    let md = md.decode_as::<OctetString>().map_err(|_| Refusal::MessageDigestType)?;
    if md.as_bytes() != hash(digest_alg, &tst_info)? {
        return Err(Refusal::MessageDigest);
    }

    let mut pool: Vec<Certificate> = Vec::new();
    if let Some(set) = &sd.certificates {
        for choice in set.0.iter() {
            if let CertificateChoices::Certificate(c) = choice {
                pool.push(c.clone());
            }
        }
    }
    let embedded = pool.len();
    if let Some(t) = trust {
        pool.extend(t.certs.iter().cloned());
    }
    let signer = pool.iter().find(|c| identifies(&si.sid, c)).cloned().ok_or(match embedded {
        0 => Refusal::NoCertificate,
        _ => Refusal::SignerNotFound,
    })?;
    let signer_der = signer.to_der().map_err(|e| Refusal::SignerEncoding(e.to_string()))?;

    ess_binding(attr(ID_SIGNING_CERTIFICATE_V2)?, attr(ID_SIGNING_CERTIFICATE)?, &signer, &signer_der)?;

    let signed = signed_attrs_der(token)?;
    let sig_alg = si.signature_algorithm.oid;
    check_signature(
        &signer.tbs_certificate.subject_public_key_info,
        sig_alg,
        digest_alg,
        &signed,
        si.signature.as_bytes(),
    )
    .map_err(|e| Refusal::Signature(Box::new(e)))?;

    time_stamping_only(&signer)?;
    valid_at(&signer, gen_time, Cert::Tsa)?;

    let subject = signer.tbs_certificate.subject.to_string();
    let chained_to = match trust {
        None => None,
        Some(t) => {
            chain(&signer, &pool, t, gen_time)?;
            Some(t.label.clone())
        }
    };
    Ok(Signer { subject, chained_to })
}

/// The token's signed attributes as signed: the raw `[0] IMPLICIT` bytes
/// with the tag of a SET (RFC 5652 §5.4).
fn signed_attrs_der(token: &[u8]) -> Result<Vec<u8>, Refusal> {
    use super::tsp::raw;
    let bad = Refusal::Der;
    let ci = raw::children(raw::only(token).ok_or_else(|| bad("ContentInfo"))?.1).ok_or_else(|| bad("ContentInfo"))?;
    let explicit = ci.get(1).ok_or_else(|| bad("ContentInfo"))?;
    let sd =
        raw::children(raw::only(explicit.1).ok_or_else(|| bad("SignedData"))?.1).ok_or_else(|| bad("SignedData"))?;
    let infos = sd.iter().rev().find(|(tag, _, _)| *tag == 0x31).ok_or_else(|| bad("signerInfos"))?;
    let infos = raw::children(infos.1).ok_or_else(|| bad("signerInfos"))?;
    let info = raw::children(infos.first().ok_or_else(|| bad("SignerInfo"))?.1).ok_or_else(|| bad("SignerInfo"))?;
    let (_, _, whole) = info.iter().find(|(tag, _, _)| *tag == 0xa0).ok_or_else(|| bad("signedAttrs"))?;
    let mut out = whole.to_vec();
    out[0] = 0x31;
    Ok(out)
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            ias.issuer == cert.tbs_certificate.issuer && ias.serial_number == cert.tbs_certificate.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => cert.tbs_certificate.extensions.iter().flatten().any(|e| {
            e.extn_id == ObjectIdentifier::new_unwrap("2.5.29.14")
                && OctetString::from_der(e.extn_value.as_bytes()).is_ok_and(|v| v.as_bytes() == ski.0.as_bytes())
        }),
    }
}

/// `ESSCertIDv2` / `ESSCertID`: `SEQUENCE { [hashAlgorithm,] certHash,
/// issuerSerial OPTIONAL }`.
fn ess_binding(
    v2: Option<der::Any>,
    v1: Option<der::Any>,
    signer: &Certificate,
    signer_der: &[u8],
) -> Result<(), Refusal> {
    let (attribute, value, is_v2) = match (v2, v1) {
        (Some(v), _) => ("signing-certificate-v2", v, true),
        (None, Some(v)) => ("signing-certificate", v, false),
        (None, None) => {
            return Err(Refusal::NoBinding);
        }
    };
    let bad = || Refusal::BindingSyntax(attribute);
    let outer: Vec<der::Any> = value.decode_as::<Vec<der::Any>>().map_err(|_| bad())?;
    let certs: Vec<der::Any> = outer.first().ok_or_else(bad)?.decode_as().map_err(|_| bad())?;
    let first: Vec<der::Any> = certs.first().ok_or_else(bad)?.decode_as().map_err(|_| bad())?;
    let mut fields = first.iter().peekable();
    let mut alg = ID_SHA1;
    if is_v2 {
        alg = ID_SHA256;
        if let Some(a) = fields.peek()
            && der::Tagged::tag(*a) == der::Tag::Sequence
        {
            let id: spki::AlgorithmIdentifierOwned = a.decode_as().map_err(|_| bad())?;
            alg = id.oid;
            fields.next();
        }
    }
    let cert_hash: OctetString = fields.next().ok_or_else(bad)?.decode_as().map_err(|_| bad())?;
    if cert_hash.as_bytes() != hash(alg, signer_der)? {
        return Err(Refusal::BindingHash(attribute));
    }
    if let Some(issuer_serial) = fields.next() {
        let parts: Vec<der::Any> = issuer_serial.decode_as().map_err(|_| bad())?;
        let [names, serial] = parts.as_slice() else { return Err(bad()) };
        let names: Vec<GeneralName> = names.decode_as().map_err(|_| bad())?;
        let serial: x509_cert::serial_number::SerialNumber = serial.decode_as().map_err(|_| bad())?;
        let issuer_ok =
            names.iter().any(|n| matches!(n, GeneralName::DirectoryName(d) if *d == signer.tbs_certificate.issuer));
        if !issuer_ok || serial != signer.tbs_certificate.serial_number {
            return Err(Refusal::BindingIssuer(attribute));
        }
    }
    Ok(())
}

fn time_stamping_only(cert: &Certificate) -> Result<(), Refusal> {
    let ekus: Vec<_> =
        cert.tbs_certificate.extensions.iter().flatten().filter(|e| e.extn_id == EXT_KEY_USAGE).collect();
    let [eku] = ekus.as_slice() else {
        return Err(Refusal::NoKeyUsage);
    };
    let purposes = x509_cert::ext::pkix::ExtendedKeyUsage::from_der(eku.extn_value.as_bytes())
        .map_err(|_| Refusal::KeyUsageSyntax)?;
    if purposes.0 != [KP_TIME_STAMPING] {
        return Err(Refusal::KeyUsageNotTimeStamping);
    }
    if !eku.critical {
        return Err(Refusal::KeyUsageNotCritical);
    }
    Ok(())
}

fn valid_at(cert: &Certificate, at: DateTime<Utc>, what: Cert) -> Result<(), Refusal> {
    let v = &cert.tbs_certificate.validity;
    let secs = |t: x509_cert::time::Time| i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    let (from, until) = (secs(v.not_before), secs(v.not_after));
    let t = at.timestamp();
    let show = |s: i64| DateTime::from_timestamp(s, 0).map(|d| super::format_time(&d)).unwrap_or_default();
    if t < from {
        return Err(Refusal::NotYetValid { cert: what, at: super::format_time(&at), from: show(from) });
    }
    if t > until {
        return Err(Refusal::Expired { cert: what, at: super::format_time(&at), until: show(until) });
    }
    Ok(())
}

/// The signer chains to a certificate of `trust`.
fn chain(signer: &Certificate, pool: &[Certificate], trust: &Trust, at: DateTime<Utc>) -> Result<(), Refusal> {
    let mut cert = signer.clone();
    for _ in 0..MAX_DEPTH {
        if trust.certs.contains(&cert) && cert != *signer {
            return Ok(());
        }
        let issued_by = |c: &Certificate| {
            c.tbs_certificate.subject == cert.tbs_certificate.issuer
                && cert.tbs_certificate.to_der().is_ok_and(|tbs| {
                    check_signature(
                        &c.tbs_certificate.subject_public_key_info,
                        cert.signature_algorithm.oid,
                        cert.signature_algorithm.oid,
                        &tbs,
                        cert.signature.raw_bytes(),
                    )
                    .is_ok()
                })
        };
        if let Some(ca) = trust.certs.iter().find(|c| issued_by(c)) {
            valid_at(ca, at, Cert::Ca(ca.tbs_certificate.subject.to_string()))?;
            return Ok(());
        }
        let Some(next) = pool.iter().find(|c| *c != &cert && issued_by(c) && is_ca(c)).cloned() else {
            return Err(Refusal::NoChain {
                subject: signer.tbs_certificate.subject.to_string(),
                ca: trust.label.clone(),
                issuer: cert.tbs_certificate.issuer.to_string(),
            });
        };
        valid_at(&next, at, Cert::Intermediate(next.tbs_certificate.subject.to_string()))?;
        cert = next;
    }
    Err(Refusal::ChainTooLong { ca: trust.label.clone(), max: MAX_DEPTH })
}

fn is_ca(cert: &Certificate) -> bool {
    cert.tbs_certificate.extensions.iter().flatten().any(|e| {
        e.extn_id == BASIC_CONSTRAINTS
            && x509_cert::ext::pkix::BasicConstraints::from_der(e.extn_value.as_bytes()).is_ok_and(|b| b.ca)
    })
}

/// The digest of `data` by the algorithm `alg` names (a digest, or a
/// signature algorithm with its digest).
fn hash(alg: ObjectIdentifier, data: &[u8]) -> Result<Vec<u8>, Refusal> {
    Ok(match digest_of(alg)? {
        Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
        Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
    })
}

#[derive(Clone, Copy)]
enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

fn digest_of(alg: ObjectIdentifier) -> Result<Hash, Refusal> {
    match alg {
        a if a == ID_SHA1 => Ok(Hash::Sha1),
        a if a == ID_SHA256 || a == SHA256_WITH_RSA || a == ECDSA_WITH_SHA256 => Ok(Hash::Sha256),
        a if a == ID_SHA384 || a == SHA384_WITH_RSA || a == ECDSA_WITH_SHA384 => Ok(Hash::Sha384),
        a if a == ID_SHA512 || a == SHA512_WITH_RSA || a == ECDSA_WITH_SHA512 => Ok(Hash::Sha512),
        a => Err(Refusal::DigestUnsupported(a.to_string())),
    }
}

/// `sig` over `msg` by the key of `spki`, under the signature algorithm
/// `sig_alg` (its digest from `digest_alg` where `sig_alg` names none).
fn check_signature(
    spki: &SubjectPublicKeyInfoOwned,
    sig_alg: ObjectIdentifier,
    digest_alg: ObjectIdentifier,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), Refusal> {
    let key_alg = spki.algorithm.oid;
    let key_bytes = spki.subject_public_key.raw_bytes();
    if sig_alg == ED25519 {
        if key_alg != ED25519 {
            return Err(Refusal::KeyType { signature: "Ed25519", key: "Ed25519" });
        }
        let key: [u8; 32] = key_bytes.try_into().map_err(|_| Refusal::Ed25519KeyLength)?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&key).map_err(|_| Refusal::InvalidKey("Ed25519"))?;
        let sig = ed25519_dalek::Signature::from_slice(sig).map_err(|_| Refusal::Ed25519SignatureLength)?;
        return key.verify_strict(msg, &sig).map_err(|_| Refusal::WrongSignature);
    }
    let is_rsa = [RSA_ENCRYPTION, SHA256_WITH_RSA, SHA384_WITH_RSA, SHA512_WITH_RSA].contains(&sig_alg);
    let is_ecdsa = [EC_PUBLIC_KEY, ECDSA_WITH_SHA256, ECDSA_WITH_SHA384, ECDSA_WITH_SHA512].contains(&sig_alg);
    // SHA-1 is refused for every signature, whatever the key (collisions
    // are practical since 2017, SHAttered; RFC 5816 moved TSAs to SHA-2):
    // by the signature algorithm's own name, or as the digest an RSA or
    // EC key signs.
    if sig_alg == SHA1_WITH_RSA || sig_alg == ECDSA_WITH_SHA1 {
        return Err(sha1_refused(sig_alg));
    }
    let algo = if sig_alg == RSA_ENCRYPTION || sig_alg == EC_PUBLIC_KEY { digest_alg } else { sig_alg };
    let h = digest_of(algo)?;
    if matches!(h, Hash::Sha1) && (is_rsa || is_ecdsa) {
        return Err(sha1_refused(algo));
    }
    let digest = hash(algo, msg)?;
    if is_rsa {
        if key_alg != RSA_ENCRYPTION {
            return Err(Refusal::KeyType { signature: "RSA", key: "RSA" });
        }
        let key = <rsa::RsaPublicKey as rsa::pkcs1::DecodeRsaPublicKey>::from_pkcs1_der(key_bytes)
            .map_err(|e| Refusal::RsaKey(e.to_string()))?;
        // DigestInfo prefixes, RFC 8017 §9.2 note 1.
        let (prefix, len): (&[u8], usize) = match h {
            Hash::Sha256 => (&hex_prefix::SHA256, 32),
            Hash::Sha384 => (&hex_prefix::SHA384, 48),
            Hash::Sha512 => (&hex_prefix::SHA512, 64),
            Hash::Sha1 => return Err(sha1_refused(algo)),
        };
        let scheme = rsa::Pkcs1v15Sign { hash_len: Some(len), prefix: prefix.into() };
        return key.verify(scheme, &digest, sig).map_err(|_| Refusal::WrongSignature);
    }
    if is_ecdsa {
        if key_alg != EC_PUBLIC_KEY {
            return Err(Refusal::KeyType { signature: "ECDSA", key: "EC" });
        }
        let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        return match curve {
            Some(c) if c == P256 => {
                let key =
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| Refusal::InvalidKey("P-256"))?;
                let sig = p256::ecdsa::Signature::from_der(sig).map_err(|_| Refusal::EcdsaNotDer)?;
                key.verify_prehash(&digest, &sig).map_err(|_| Refusal::WrongSignature)
            }
            Some(c) if c == P384 => {
                let key =
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| Refusal::InvalidKey("P-384"))?;
                let sig = p384::ecdsa::Signature::from_der(sig).map_err(|_| Refusal::EcdsaNotDer)?;
                key.verify_prehash(&digest, &sig).map_err(|_| Refusal::WrongSignature)
            }
            _ => Err(Refusal::Curve),
        };
    }
    Err(Refusal::SignatureAlgorithm(sig_alg.to_string()))
}

/// Why a signature over SHA-1 is refused, naming the algorithm.
fn sha1_refused(alg: ObjectIdentifier) -> Refusal {
    let name = match alg {
        a if a == SHA1_WITH_RSA => "sha1WithRSAEncryption",
        a if a == ECDSA_WITH_SHA1 => "ecdsa-with-SHA1",
        _ => "SHA-1",
    };
    Refusal::Sha1 { name, alg: alg.to_string() }
}

mod hex_prefix {
    pub const SHA256: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
        0x20,
    ];
    pub const SHA384: [u8; 19] = [
        0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04,
        0x30,
    ];
    pub const SHA512: [u8; 19] = [
        0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
        0x40,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN_REPLY: &[u8] = include_bytes!("../../tests/fixtures/tsa/hello.tsr");

    fn token() -> super::super::tsp::Token {
        super::super::tsp::parse_response(TOKEN_REPLY).unwrap()
    }

    #[test]
    fn the_fixture_token_verifies_and_a_flipped_byte_does_not() {
        let t = token();
        let s = verify(&t.der, t.gen_time, None).unwrap();
        assert!(s.subject.contains("CN="), "{s:?}");
        assert_eq!(s.chained_to, None);
        // The last byte is inside the signature.
        let mut bad = t.der.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        let e = verify(&bad, t.gen_time, None).unwrap_err().to_string();
        assert!(e.contains("signature"), "{e}");
        // Long after the certificate expired.
        let late = t.gen_time + chrono::Duration::days(4000);
        assert!(verify(&t.der, late, None).unwrap_err().to_string().contains("had expired at genTime"));
    }

    #[test]
    fn sha1_signatures_are_refused_for_rsa_and_ecdsa_alike() {
        use spki::AlgorithmIdentifierOwned;
        let spki = |oid: ObjectIdentifier| SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned { oid, parameters: None },
            subject_public_key: der::asn1::BitString::from_bytes(&[4; 65]).unwrap(),
        };
        // (key, signature algorithm, SignerInfo digest algorithm, the name the error gives).
        for (key, sig_alg, digest_alg, name) in [
            (RSA_ENCRYPTION, RSA_ENCRYPTION, ID_SHA1, "SHA-1 (SHA-1, 1.3.14.3.2.26)"),
            (RSA_ENCRYPTION, SHA1_WITH_RSA, ID_SHA1, "sha1WithRSAEncryption"),
            (EC_PUBLIC_KEY, EC_PUBLIC_KEY, ID_SHA1, "SHA-1 (SHA-1, 1.3.14.3.2.26)"),
            (EC_PUBLIC_KEY, ECDSA_WITH_SHA1, ID_SHA1, "ecdsa-with-SHA1"),
            (EC_PUBLIC_KEY, ECDSA_WITH_SHA1, ID_SHA256, "ecdsa-with-SHA1"),
        ] {
            let e = check_signature(&spki(key), sig_alg, digest_alg, b"signed attributes", &[0; 70])
                .unwrap_err()
                .to_string();
            assert!(e.contains("is not accepted, for RSA and ECDSA alike"), "{sig_alg}: {e}");
            assert!(e.contains(name), "{sig_alg}: {e}");
        }
        // SHA-256 with the same (garbage) EC key gets past the algorithm
        // check and fails on the key instead.
        let e =
            check_signature(&spki(EC_PUBLIC_KEY), EC_PUBLIC_KEY, ID_SHA256, b"x", &[0; 70]).unwrap_err().to_string();
        assert!(!e.contains("SHA-1"), "{e}");
    }

    #[test]
    fn pem_files_are_read_and_bad_ones_named() {
        let e = Trust::from_pem("ca.pem", b"nothing here").unwrap_err().to_string();
        assert!(e.contains("ca.pem: no PEM certificate"), "{e}");
        let e = Trust::from_pem("ca.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("ca.pem: certificate 1 is not an X.509 certificate"), "{e}");
    }
}
