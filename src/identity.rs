//! The identity-verification record attached to every request
//! (DESIGN §5, LEGAL.md §4, research/legal-and-log.md A.3).
//!
//! It records *how* the requester is tied to the account, not who they are
//! beyond what the policy requires: capacity, the identifiers that bind to
//! the account, the method, who verified (a role) and when, evidence files
//! by SHA-256 and size, and what was deliberately not provided and why
//! (Art. 12(6) GDPR). A 32-byte random nonce, passed in by the caller so
//! tests are deterministic, makes the SHA-256 of each rendered file a
//! hiding commitment: the hash in the evidence log reveals nothing once
//! the record itself is purged.
//!
//! [`IdentityRecord::build`] takes plain data ([`IdentityInput`]) that the
//! request layer maps from the subject file and the policy; it includes
//! exactly what it is given, so the caller passes only what the policy
//! requires plus what the user opted into (each binding says which, in
//! `basis`). Two renderings: [`IdentityRecord::to_json_bytes`]
//! (`identity-verification.json`, format `dsr-idv/1`, see
//! docs/identity-record.md) and [`IdentityRecord::render_text`]
//! (`identity-verification.txt`, from `templates/<lang>/identity-verification.hbs`).
//! Warnings (an identity document among the evidence) are returned as data
//! in [`IdentityRecord::warnings`], never printed here.

use crate::lang::Lang;
use crate::letter::context::hex32;
use crate::letter::{self, Capacity, IdentityRecordRef, Renderer};
/// The verification method: the subject file's vocabulary, which the
/// record states.
pub use crate::policy::identifier::Method;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The format name written into every JSON record.
pub const FORMAT: &str = "dsr-idv/1";
/// File name of the text rendering.
pub const TXT_NAME: &str = "identity-verification.txt";
/// File name of the JSON rendering.
pub const JSON_NAME: &str = "identity-verification.json";

/// What an evidence file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRole {
    /// A signed mandate (power of attorney).
    Mandate,
    /// The answer to a challenge sent to the account's address.
    ChallengeReply,
    /// A screenshot or export showing the account.
    AccountScreenshot,
    /// An identity document (ID card, passport). Never by default.
    IdentityDocument,
    /// Anything else.
    Other,
}

impl EvidenceRole {
    const ALL: [EvidenceRole; 5] = [
        EvidenceRole::Mandate,
        EvidenceRole::ChallengeReply,
        EvidenceRole::AccountScreenshot,
        EvidenceRole::IdentityDocument,
        EvidenceRole::Other,
    ];
}

/// Something deliberately not provided (data minimisation, Art. 12(6)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Withheld {
    /// A copy of an identity document.
    IdentityDocumentCopy,
    /// The date of birth.
    DateOfBirth,
    /// The postal address.
    PostalAddress,
    /// A telephone number.
    PhoneNumber,
}

impl Withheld {
    const ALL: [Withheld; 4] =
        [Withheld::IdentityDocumentCopy, Withheld::DateOfBirth, Withheld::PostalAddress, Withheld::PhoneNumber];
    /// The default: no identity document copy.
    pub const DEFAULT: [Withheld; 1] = [Withheld::IdentityDocumentCopy];
}

/// Why a binding is in the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The recipient's policy requires it.
    Policy,
    /// The user chose to add it.
    User,
    /// The policy names no identifier, so the name, the addresses and the
    /// subject file's identifiers tie the request to the requester.
    Fallback,
}

/// Who makes the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requester {
    /// In what capacity.
    pub capacity: Capacity,
    /// Name, only if the policy requires it or the user added it.
    pub name: Option<String>,
    /// The address the request is sent from.
    pub contact_email: crate::address::EmailAddress,
}

/// A signed mandate, by date and hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateRef {
    /// Date signed.
    pub dated: NaiveDate,
    /// SHA-256 of the mandate file.
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
}

/// For whom the requester acts, when not for themself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnBehalfOf {
    /// The organisation (controller, or the representative's employer).
    pub organisation: Option<String>,
    /// The data subject represented.
    pub data_subject: Option<String>,
    /// The mandate.
    pub mandate: Option<MandateRef>,
}

/// One identifier that ties the request to the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// Stable key, e.g. `account_email`.
    pub key: String,
    /// Label in the record's language.
    pub label: String,
    /// The value.
    pub value: String,
    /// The request is sent from this address.
    pub sent_from: bool,
    /// Why it is included.
    pub basis: Basis,
}

/// One evidence file, by hash and size (its content is not repeated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// What it is.
    pub role: EvidenceRole,
    /// File name as attached or kept.
    pub filename: String,
    /// SHA-256 of the file.
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
    /// Size in bytes.
    pub size: u64,
}

/// Plain data the record is built from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityInput {
    /// Language of the text rendering.
    pub lang: Lang,
    /// The request id, if already known.
    pub request_id: Option<String>,
    /// Who requests.
    pub requester: Requester,
    /// For whom.
    pub on_behalf_of: Option<OnBehalfOf>,
    /// What ties the request to the account.
    pub account_binding: Vec<Binding>,
    /// How identity was verified.
    pub method: Method,
    /// Who verified: a role, not a name (e.g. "Data Protection Officer");
    /// `None`: the data subject themself.
    pub performed_by: Option<String>,
    /// When.
    pub date: NaiveDate,
    /// Evidence files.
    pub evidence: Vec<EvidenceFile>,
    /// What was deliberately not provided; empty means [`Withheld::DEFAULT`].
    pub not_provided: Vec<Withheld>,
    /// Identity documents attached to the request (only when the policy
    /// requires one and the user confirmed a redacted copy), by file name.
    #[serde(default)]
    pub id_documents: Vec<String>,
}

/// The verification section of the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Method.
    pub method: Method,
    /// Role of the verifier; `None`: the data subject themself.
    pub performed_by: Option<String>,
    /// Date.
    pub date: NaiveDate,
    /// Evidence files.
    pub evidence: Vec<EvidenceFile>,
}

/// The record, in the field order of the `dsr-idv/1` JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IdentityRecord {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// 32 random bytes, hex.
    #[serde(with = "hex32")]
    pub nonce: [u8; 32],
    /// The request id.
    pub request_id: Option<String>,
    /// Who requests.
    pub requester: Requester,
    /// For whom.
    pub on_behalf_of: Option<OnBehalfOf>,
    /// What ties the request to the account.
    pub account_binding: Vec<Binding>,
    /// How, by whom, when, with what evidence.
    pub verification: Verification,
    /// What was deliberately not provided.
    pub not_provided: Vec<Withheld>,
    /// The legal basis for not providing it (citations, empty if nothing
    /// was withheld).
    pub not_provided_basis: Vec<&'static str>,
    /// `confirm_via_account_email` when the recipient may ask for
    /// confirmation through the account's address.
    pub offer: Option<&'static str>,
    /// Identity documents attached to the request, by file name (absent
    /// when none is).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub id_documents: Vec<String>,
    #[serde(skip)]
    lang: Lang,
    #[serde(skip)]
    warnings: Vec<String>,
    #[serde(skip)]
    id_document: bool,
}

/// Words in an evidence file name that suggest an identity document.
const ID_WORDS: [&str; 10] = [
    "ausweis",
    "passport",
    "reisepass",
    "id-card",
    "idcard",
    "id_card",
    "identity-card",
    "personalausweis",
    "pass.",
    "driving",
];

impl IdentityRecord {
    /// Builds the record. Includes exactly what `input` holds.
    ///
    /// An identity document among the evidence (by role, or by a file name
    /// such as `ausweis.pdf`) adds a warning, and drops
    /// `identity_document_copy` from `not_provided`.
    pub fn build(input: IdentityInput, nonce: [u8; 32]) -> IdentityRecord {
        let mut warnings = Vec::new();
        let mut not_provided =
            if input.not_provided.is_empty() { Withheld::DEFAULT.to_vec() } else { input.not_provided };
        not_provided.sort();
        not_provided.dedup();
        let id_docs: Vec<&EvidenceFile> = input
            .evidence
            .iter()
            .filter(|e| {
                let name = e.filename.to_ascii_lowercase();
                e.role == EvidenceRole::IdentityDocument || ID_WORDS.iter().any(|w| name.contains(w))
            })
            .collect();
        for doc in &id_docs {
            warnings.push(crate::t!("input.identity.looks-like-id-document", file = doc.filename));
        }
        let id_document = !id_docs.is_empty() || !input.id_documents.is_empty();
        if id_document {
            not_provided.retain(|w| *w != Withheld::IdentityDocumentCopy);
        }
        // Art. 12(6) is a data subject's rule: a controller's instruction to
        // its processor rests on its authority to instruct, which the record
        // states instead (Art. 28(3)(a)).
        if input.requester.capacity == Capacity::ControllerToProcessor {
            not_provided.clear();
        }
        let not_provided_basis = if not_provided.is_empty() {
            vec![]
        } else {
            vec!["GDPR Art. 12(6)", "EDPB Guidelines 01/2022 paras. 69-78"]
        };
        let offer = (input.requester.capacity != Capacity::ControllerToProcessor
            && input.account_binding.iter().any(|b| b.key == "account_email"))
        .then_some("confirm_via_account_email");
        IdentityRecord {
            format: FORMAT,
            nonce,
            request_id: input.request_id,
            requester: input.requester,
            on_behalf_of: input.on_behalf_of,
            account_binding: input.account_binding,
            verification: Verification {
                method: input.method,
                performed_by: input.performed_by,
                date: input.date,
                evidence: input.evidence,
            },
            not_provided,
            not_provided_basis,
            offer,
            id_documents: input.id_documents,
            lang: input.lang,
            warnings,
            id_document,
        }
    }

    /// Warnings for the user (English, for the CLI to print).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether an identity document is among the evidence.
    pub fn id_document_included(&self) -> bool {
        self.id_document
    }

    /// The names under which the two renderings are attached, for the
    /// letter's [`letter::LetterContext::identity_record`].
    pub fn file_ref(&self) -> IdentityRecordRef {
        IdentityRecordRef {
            txt_name: TXT_NAME.into(),
            json_name: JSON_NAME.into(),
            id_document_included: self.id_document_included(),
        }
    }

    /// `identity-verification.json`: pretty-printed, keys in a fixed
    /// order, ending in a newline. The same input and nonce always give
    /// the same bytes.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("the record has only string keys and plain values");
        out.push(b'\n');
        out
    }

    /// `identity-verification.txt` in the record's language, from the
    /// template `identity-verification`.
    ///
    /// # Errors
    /// A render error in a (user-overridden) template.
    pub fn render_text(&self, renderer: &Renderer) -> Result<String, letter::Error> {
        let data = self.template_data();
        // Lines of at most 76 characters, broken where a letter's would be
        // (issue 16, point 15): values such as addresses and labels vary.
        let text = letter::tidy(&renderer.render_template(self.lang, "identity-verification", &data)?);
        let folded = letter::wrap::fold_long_lines(&text, letter::wrap::WIDTH);
        Ok(letter::wrap::keep_together(&folded, letter::wrap::WIDTH))
    }

    /// The JSON record plus `lang` and derived flags for the template:
    /// `requester.capacity_is.*`, `verification.method_is.*`,
    /// `verification.evidence[].role_is.*`, `not_provided_is.*`.
    fn template_data(&self) -> Value {
        let mut v = serde_json::to_value(self).expect("the record has only string keys and plain values");
        let flags = |names: Vec<String>, on: &str| -> Value {
            Value::Object(names.into_iter().map(|n| (n.clone(), Value::Bool(n == on))).collect::<Map<_, _>>())
        };
        let name_of = |x: Value| x.as_str().unwrap_or_default().to_string();
        let caps = [Capacity::DataSubject, Capacity::Representative, Capacity::ControllerToProcessor];
        v["lang"] = json!(self.lang);
        v["requester"]["capacity_is"] =
            flags(caps.iter().map(|c| c.name().to_string()).collect(), self.requester.capacity.name());
        let methods: Vec<String> = Method::ALL.iter().map(|m| name_of(json!(m))).collect();
        v["verification"]["method_is"] = flags(methods, &name_of(json!(self.verification.method)));
        let roles: Vec<String> = EvidenceRole::ALL.iter().map(|r| name_of(json!(r))).collect();
        if let Some(list) = v["verification"]["evidence"].as_array_mut() {
            for (item, e) in list.iter_mut().zip(&self.verification.evidence) {
                item["role_is"] = flags(roles.clone(), &name_of(json!(e.role)));
            }
        }
        v["sent_from_account"] = json!(self.account_binding.iter().any(|b| b.sent_from));
        v["id_documents"] = json!(self.id_documents);
        v["not_provided_is"] = Value::Object(
            Withheld::ALL.iter().map(|w| (name_of(json!(w)), json!(self.not_provided.contains(w)))).collect(),
        );
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::golden_tests::{d, hash};
    use crate::snapshot::assert_golden;

    fn t(lang: Lang, de: &str, en: &str) -> String {
        match lang {
            Lang::De => de.into(),
            Lang::En => en.into(),
        }
    }

    /// The representative case: an officer acting for an agent, with mandate.
    fn input(lang: Lang) -> IdentityInput {
        IdentityInput {
            lang,
            request_id: Some("r_k3q9z2m4x7w1".into()),
            requester: Requester {
                capacity: Capacity::Representative,
                name: Some("Dr. Erika Mustermann".into()),
                contact_email: "datenschutz@mueller-soehne.example".parse().unwrap(),
            },
            on_behalf_of: Some(OnBehalfOf {
                organisation: Some("Müller & Söhne GmbH".into()),
                data_subject: Some("Max Beispiel".into()),
                mandate: Some(MandateRef { dated: d(2026, 11, 20), sha256: hash(7) }),
            }),
            account_binding: vec![
                Binding {
                    key: "account_email".into(),
                    label: t(lang, "E-Mail-Adresse des Kontos", "Account email address"),
                    value: "max.beispiel@mueller-soehne.example".into(),
                    sent_from: false,
                    basis: Basis::Policy,
                },
                Binding {
                    key: "account_subdomain".into(),
                    label: "Subdomain".into(),
                    value: "muellersoehne.zendesk.com".into(),
                    sent_from: false,
                    basis: Basis::User,
                },
            ],
            method: Method::ChallengeToAccountEmail,
            performed_by: Some(t(
                lang,
                "Datenschutzbeauftragte der Müller & Söhne GmbH",
                "Data Protection Officer of Müller & Söhne GmbH",
            )),
            date: d(2026, 11, 27),
            evidence: vec![
                EvidenceFile {
                    role: EvidenceRole::Mandate,
                    filename: t(lang, "vollmacht-max-beispiel.pdf", "mandate-max-beispiel.pdf"),
                    sha256: hash(7),
                    size: 48213,
                },
                EvidenceFile {
                    role: EvidenceRole::ChallengeReply,
                    filename: "challenge-reply-2026-11-27.eml".into(),
                    sha256: hash(9),
                    size: 2174,
                },
            ],
            not_provided: vec![],
            id_documents: vec![],
        }
    }

    const NONCE: [u8; 32] = [0x5a; 32];

    #[test]
    fn golden_identity_records() {
        let r = Renderer::new(None).unwrap();
        for lang in Lang::ALL {
            let rec = IdentityRecord::build(input(lang), NONCE);
            assert!(rec.warnings().is_empty());
            assert_golden(&format!("identity/{lang}.txt"), rec.render_text(&r).unwrap());
            assert_golden(&format!("identity/{lang}.json"), std::str::from_utf8(&rec.to_json_bytes()).unwrap());
        }
    }

    /// Issue 16, point 15: identity-record lines are at most 76 characters,
    /// also with long values (a long custom label and value).
    #[test]
    fn identity_record_lines_fit_76_columns() {
        let r = Renderer::new(None).unwrap();
        for lang in Lang::ALL {
            let mut i = input(lang);
            i.account_binding[1].label = "Nummer Ihrer Kundenkarte aus dem Treueprogramm der Filialen".into();
            i.account_binding[1].value = "KD-2026-0000-1234-5678-9012 (ausgestellt in der Filiale Hauptbahnhof)".into();
            let text = IdentityRecord::build(i, NONCE).render_text(&r).unwrap();
            for line in text.lines() {
                assert!(line.chars().count() <= 76, "{lang}: {} characters: {line}", line.chars().count());
            }
            assert!(text.contains("KD-2026-0000-1234-5678-9012"), "{text}");
        }
    }

    #[test]
    fn json_is_deterministic_and_has_format() {
        let a = IdentityRecord::build(input(Lang::En), NONCE).to_json_bytes();
        let b = IdentityRecord::build(input(Lang::En), NONCE).to_json_bytes();
        assert_eq!(a, b);
        let v: Value = serde_json::from_slice(&a).unwrap();
        assert_eq!(v["format"], "dsr-idv/1");
        assert_eq!(v["nonce"], "5a".repeat(32));
        assert_eq!(v["not_provided"], json!(["identity_document_copy"]));
        assert!(v.get("lang").is_none() && v.get("warnings").is_none());
        let other = IdentityRecord::build(input(Lang::En), [0u8; 32]).to_json_bytes();
        assert_ne!(a, other, "the nonce changes the bytes, so the hash hides the content");
    }

    #[test]
    fn id_document_warns_and_is_not_listed_as_withheld() {
        let mut i = input(Lang::De);
        i.evidence.push(EvidenceFile {
            role: EvidenceRole::Other,
            filename: "Personalausweis-Scan.pdf".into(),
            sha256: hash(3),
            size: 10,
        });
        let rec = IdentityRecord::build(i, NONCE);
        assert_eq!(rec.warnings().len(), 1);
        assert!(
            rec.warnings()[0].starts_with("evidence file 'Personalausweis-Scan.pdf' looks like an identity document")
        );
        assert!(rec.not_provided.is_empty());
        assert!(rec.not_provided_basis.is_empty());
        assert!(rec.file_ref().id_document_included);
        let text = rec.render_text(&Renderer::new(None).unwrap()).unwrap();
        assert!(!text.contains("Kopie eines Ausweisdokuments"), "{text}");
    }

    #[test]
    fn minimal_record_for_a_data_subject() {
        let i = IdentityInput {
            lang: Lang::En,
            request_id: None,
            requester: Requester {
                capacity: Capacity::DataSubject,
                name: None,
                contact_email: "jana@example.org".parse().unwrap(),
            },
            on_behalf_of: None,
            account_binding: vec![Binding {
                key: "account_email".into(),
                label: "Account email address".into(),
                value: "jana@example.org".into(),
                sent_from: true,
                basis: Basis::Policy,
            }],
            method: Method::SentFromAccountEmail,
            performed_by: None,
            date: d(2026, 11, 30),
            evidence: vec![],
            not_provided: vec![Withheld::DateOfBirth, Withheld::IdentityDocumentCopy],
            id_documents: vec![],
        };
        let rec = IdentityRecord::build(i, NONCE);
        assert!(rec.warnings().is_empty() && !rec.file_ref().id_document_included);
        assert_eq!(rec.not_provided, vec![Withheld::IdentityDocumentCopy, Withheld::DateOfBirth]);
        let text = rec.render_text(&Renderer::new(None).unwrap()).unwrap();
        assert!(text.contains("jana@example.org\n    (this request is sent from this address)"), "{text}");
        assert!(!text.contains("Name:"), "no name unless given: {text}");
    }
}
