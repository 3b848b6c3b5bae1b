//! DKIM signing (RFC 6376; Ed25519 per RFC 8463), applied while a message is
//! built so the signed bytes are the stored bytes.
//!
//! [`Signer::load`] reads `[dkim] key_file` (the only place it is read) into
//! a [`Secret`], parses it once, and is then used for every message of a
//! batch. Keys: RSA as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`) or PKCS#8 PEM
//! (`BEGIN PRIVATE KEY`, what `openssl genrsa` writes today; converted to
//! PKCS#1 in memory, since lettre reads only that); Ed25519 as PKCS#8 PEM
//! (`openssl genpkey -algorithm ed25519`) or as the base64 of the 32-byte
//! seed. See [`normalize`].
//!
//! Canonicalization is always relaxed/relaxed: lettre's default
//! (simple header) produces signatures that verifiers reject, because the
//! header it hashes is folded differently from the one it emits
//! (research/rust-stack.md §1, lettre#1104). The signed header list is
//! fixed (`SIGNED_HEADERS`: not Content-Type, see there); headers a
//! message lacks are still listed, which per RFC 6376 §5.4 stops anyone
//! from adding them later.
//!
//! The `t=` tag is lettre's wall-clock time (it offers no parameter), so a
//! signed message is not byte-reproducible; unsigned ones are.

use super::{Error, check_header_value};
use crate::config::{Dkim, DkimAlgorithm};
use crate::secret::Secret;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey,
};
use lettre::message::header::HeaderName;
use std::fmt;

/// Headers covered by the signature. Not `Content-Type`: lettre writes a
/// multipart's Content-Type as part of the body, so its signer would hash
/// the header as absent and every verifier would reject the signature
/// (seen with dkimpy). The body hash still covers every part.
const SIGNED_HEADERS: [&str; 12] = [
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Disposition-Notification-To",
    "MIME-Version",
    // The log's checkpoint (witness, docs/evidence-log.md §11.4).
    "DSR-Checkpoint",
];

/// What an RSA key file must hold, in the interface language.
fn rsa_expected() -> String {
    crate::t!("mail.dkim.rsa-expected")
}

/// What an Ed25519 key file must hold, in the interface language.
fn ed25519_expected() -> String {
    crate::t!("mail.dkim.ed25519-expected")
}

/// The DER prefix of an Ed25519 PKCS#8 private key (RFC 8410 §7): version
/// 0, algorithm id-Ed25519 (1.3.101.112), then the 32-byte seed as an
/// OCTET STRING inside the privateKey OCTET STRING. Nothing else may follow.
const ED25519_PKCS8_PREFIX: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/// The key text in the form lettre reads: PKCS#1 PEM for RSA, the base64
/// seed for Ed25519. A PKCS#8 key is converted; a key of the other
/// algorithm is named as such. The error is a reason without key material.
fn normalize(text: &str, algorithm: DkimAlgorithm) -> Result<Secret<String>, String> {
    use base64::Engine as _;
    let pkcs8 = text.starts_with("-----BEGIN PRIVATE KEY-----");
    let ed25519_seed = || -> Option<Secret<String>> {
        let body = zeroize::Zeroizing::new(text.lines().filter(|l| !l.starts_with("-----")).collect::<String>());
        let der = zeroize::Zeroizing::new(base64::engine::general_purpose::STANDARD.decode(body.trim()).ok()?);
        let seed = der.strip_prefix(&ED25519_PKCS8_PREFIX[..]).filter(|s| s.len() == 32)?;
        Some(Secret::new(base64::engine::general_purpose::STANDARD.encode(seed)))
    };
    match algorithm {
        DkimAlgorithm::Rsa if pkcs8 => {
            use rsa::pkcs1::EncodeRsaPrivateKey as _;
            use rsa::pkcs8::DecodePrivateKey as _;
            match rsa::RsaPrivateKey::from_pkcs8_pem(text) {
                Ok(key) => key
                    .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
                    .map(|pem| Secret::new(pem.to_string()))
                    .map_err(|_| rsa_expected()),
                Err(_) if ed25519_seed().is_some() => Err(crate::t!("mail.dkim.is-ed25519")),
                Err(_) => Err(rsa_expected()),
            }
        }
        DkimAlgorithm::Ed25519 if pkcs8 => ed25519_seed().ok_or_else(|| {
            use rsa::pkcs8::DecodePrivateKey as _;
            if rsa::RsaPrivateKey::from_pkcs8_pem(text).is_ok() {
                crate::t!("mail.dkim.is-rsa-or-new")
            } else {
                ed25519_expected()
            }
        }),
        DkimAlgorithm::Ed25519 if text.starts_with("-----BEGIN RSA PRIVATE KEY-----") => {
            Err(crate::t!("mail.dkim.is-rsa"))
        }
        _ => Ok(Secret::new(text.to_string())),
    }
}

/// A loaded DKIM key with its domain and selector. Its `Debug` shows no key.
pub struct Signer {
    config: DkimConfig,
    domain: String,
    selector: String,
    algorithm: DkimAlgorithm,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Reads and parses the key named by the `[dkim]` settings.
    ///
    /// # Errors
    /// [`Error::DkimKeyFile`] when the file cannot be read,
    /// [`Error::DkimKey`] when it is not a key of the configured algorithm
    /// (the message never contains key material), [`Error::HeaderInjection`]
    /// or [`Error::InvalidValue`] for a bad domain or selector.
    pub fn load(settings: &Dkim) -> Result<Signer, Error> {
        check_header_value("dkim.domain", &settings.domain)?;
        check_header_value("dkim.selector", &settings.selector)?;
        for (field, value) in [("dkim.domain", &settings.domain), ("dkim.selector", &settings.selector)] {
            let ok = !value.is_empty()
                && value.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
            if !ok {
                return Err(Error::InvalidValue {
                    field: field.into(),
                    message: crate::t!("mail.dkim.not-a-dns-name", value = value),
                });
            }
        }
        let text = Secret::new(
            crate::file::read_text(&settings.key_file, crate::file::Limit::KEY).map_err(Error::DkimKeyFile)?,
        );
        let (algorithm, name) = match settings.algorithm {
            DkimAlgorithm::Rsa => (DkimSigningAlgorithm::Rsa, "rsa"),
            DkimAlgorithm::Ed25519 => (DkimSigningAlgorithm::Ed25519, "ed25519"),
        };
        let refused = |reason: String| Error::DkimKey { path: settings.key_file.clone(), algorithm: name, reason };
        let key = normalize(text.expose().trim(), settings.algorithm).map_err(refused)?;
        let key = DkimSigningKey::new(key.expose(), algorithm).map_err(|_| {
            refused(match settings.algorithm {
                DkimAlgorithm::Rsa => rsa_expected(),
                DkimAlgorithm::Ed25519 => ed25519_expected(),
            })
        })?;
        let config = DkimConfig::new(
            settings.selector.clone(),
            settings.domain.clone(),
            key,
            SIGNED_HEADERS.iter().map(|h| HeaderName::new_from_ascii_str(h)).collect(),
            DkimCanonicalization { header: DkimCanonicalizationType::Relaxed, body: DkimCanonicalizationType::Relaxed },
        );
        Ok(Signer {
            config,
            domain: settings.domain.clone(),
            selector: settings.selector.clone(),
            algorithm: settings.algorithm,
        })
    }

    /// The signing domain (`d=`).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The selector (`s=`).
    pub fn selector(&self) -> &str {
        &self.selector
    }

    /// Adds the DKIM-Signature header (last) to a fully built message.
    pub(crate) fn sign(&self, message: &mut lettre::Message) {
        message.sign(&self.config);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn settings(algorithm: DkimAlgorithm, key_file: PathBuf) -> Dkim {
        Dkim { domain: "beispiel-handel.example".into(), selector: "dsr2026".into(), algorithm, key_file }
    }

    #[test]
    fn ed25519_seed_signs_and_debug_hides_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ed.key");
        // base64 of 32 bytes 0x01..0x20
        std::fs::write(&key, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n").unwrap();
        let signer = Signer::load(&settings(DkimAlgorithm::Ed25519, key)).unwrap();
        let dbg = format!("{signer:?}");
        assert!(dbg.contains("dsr2026") && !dbg.contains("AQID"), "{dbg}");
        let spec = crate::mail::message::tests::spec();
        let m = crate::mail::message::build(&spec, Some(&signer)).unwrap();
        let text = String::from_utf8(m.bytes().to_vec()).unwrap();
        assert!(text.contains("DKIM-Signature: v=1; a=ed25519-sha256; d=beispiel-handel.example; s=dsr2026;"));
        assert!(text.contains("c=relaxed/relaxed"));
    }

    #[test]
    fn ed25519_pkcs8_is_read_and_a_key_of_the_other_algorithm_is_named() {
        use base64::Engine as _;
        let dir = tempfile::tempdir().unwrap();
        let seed: Vec<u8> = (1..=32).collect();
        let der = [&ED25519_PKCS8_PREFIX[..], &seed].concat();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(&der)
        );
        let key = dir.path().join("ed.pem");
        std::fs::write(&key, &pem).unwrap();
        assert_eq!(
            normalize(pem.trim(), DkimAlgorithm::Ed25519).unwrap().expose(),
            "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
        );
        Signer::load(&settings(DkimAlgorithm::Ed25519, key.clone())).unwrap();
        let e = Signer::load(&settings(DkimAlgorithm::Rsa, key)).unwrap_err();
        assert!(e.to_string().contains("this is an Ed25519 key; set algorithm = \"ed25519\""), "{e}");
        let rsa1 = "-----BEGIN RSA PRIVATE KEY-----\nTUlJ\n-----END RSA PRIVATE KEY-----";
        assert_eq!(
            normalize(rsa1, DkimAlgorithm::Ed25519).unwrap_err(),
            "this is an RSA key; set algorithm = \"rsa\" in [dkim]"
        );
        // A trailing byte after the seed is not an Ed25519 key.
        let long = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----",
            base64::engine::general_purpose::STANDARD.encode([&der[..], &[0]].concat())
        );
        assert_eq!(normalize(&long, DkimAlgorithm::Ed25519).unwrap_err(), ed25519_expected());
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("rsa.pem");
        std::fs::write(&key, "-----BEGIN PRIVATE KEY-----\nTUlJQ1NFQ1JFVA==\n-----END PRIVATE KEY-----\n").unwrap();
        let e = Signer::load(&settings(DkimAlgorithm::Rsa, key.clone())).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: not a usable DKIM rsa key: expected an RSA private key in PEM ('BEGIN RSA PRIVATE KEY' or \
                 'BEGIN PRIVATE KEY')",
                key.display()
            )
        );
        assert!(e.hint().unwrap().contains("openssl genrsa"));
        assert!(!format!("{e:?}").contains("TUlJ"));
        let e = Signer::load(&settings(DkimAlgorithm::Ed25519, key.clone())).unwrap_err();
        assert!(e.to_string().contains("not a usable DKIM ed25519 key"), "{e}");
        let missing = dir.path().join("nope");
        let e = Signer::load(&settings(DkimAlgorithm::Rsa, missing.clone())).unwrap_err();
        assert_eq!(e.to_string(), format!("dkim.key_file: {}: no such file", missing.display()));
        let mut s = settings(DkimAlgorithm::Rsa, key);
        s.selector = "a\r\nb".into();
        assert!(matches!(Signer::load(&s), Err(Error::HeaderInjection { .. })));
    }
}
