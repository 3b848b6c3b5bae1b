//! The kinds of letter dsr writes.
//!
//! A kind decides the legal basis, the template and who may send it: an
//! `erasure` is a data subject's right (Art. 17 GDPR) against a controller; a
//! `processor-deletion` is a controller's instruction to its processor
//! (Art. 28(3)(g) GDPR), a contractual matter without the Art. 12(3)
//! deadline. The two must never be mixed up (LEGAL.md §1, "Who may ask").

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A letter kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum LetterKind {
    /// Art. 17 GDPR: erasure, by the data subject or a representative.
    Erasure,
    /// Art. 28(3)(g) GDPR: a controller instructs its processor to delete.
    ProcessorDeletion,
    /// Art. 15 GDPR: access, by the data subject or a representative.
    Access,
    /// Art. 16 GDPR: rectification of inaccurate data, completion of
    /// incomplete data.
    Rectification,
    /// Art. 21 GDPR: objection, on grounds relating to the particular
    /// situation (21(1)) or to direct marketing (21(2)).
    Objection,
    /// Art. 18(1) GDPR: restriction of processing, on grounds (a)-(d).
    Restriction,
    /// Art. 20 GDPR: data portability, to the data subject or directly to
    /// another controller.
    Portability,
    /// A reminder after a deadline passed, threaded to the original request.
    Reminder,
    /// Art. 77 GDPR: a complaint to a supervisory authority.
    Complaint,
}

impl LetterKind {
    /// Every kind, in a stable order.
    pub const ALL: [LetterKind; 9] = [
        LetterKind::Erasure,
        LetterKind::ProcessorDeletion,
        LetterKind::Access,
        LetterKind::Rectification,
        LetterKind::Objection,
        LetterKind::Restriction,
        LetterKind::Portability,
        LetterKind::Reminder,
        LetterKind::Complaint,
    ];

    /// The name used in files and on the command line (`processor-deletion`).
    pub fn name(self) -> &'static str {
        match self {
            LetterKind::Erasure => "erasure",
            LetterKind::ProcessorDeletion => "processor-deletion",
            LetterKind::Access => "access",
            LetterKind::Rectification => "rectification",
            LetterKind::Objection => "objection",
            LetterKind::Restriction => "restriction",
            LetterKind::Portability => "portability",
            LetterKind::Reminder => "reminder",
            LetterKind::Complaint => "complaint",
        }
    }

    /// Kinds that open a new request to a company (reminders and complaints
    /// follow up an existing one).
    pub fn is_initial(self) -> bool {
        !matches!(self, LetterKind::Reminder | LetterKind::Complaint)
    }

    /// The name with `_` instead of `-`, as used for template context
    /// blocks and derived flags (`processor_deletion`).
    pub fn key(self) -> &'static str {
        match self {
            LetterKind::ProcessorDeletion => "processor_deletion",
            other => other.name(),
        }
    }

    /// True for data-subject rights (Arts. 15-22), which run the Art. 12(3)
    /// deadline and need the company to act as controller.
    pub fn is_data_subject_right(self) -> bool {
        self.is_initial() && self != LetterKind::ProcessorDeletion
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A kind name dsr does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown letter kind '{0}', expected one of: erasure, processor-deletion, access, rectification, objection, \
     restriction, portability, reminder, complaint"
)]
pub struct UnknownKind(pub String);

impl FromStr for LetterKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        LetterKind::ALL.into_iter().find(|k| k.name() == t).ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// One ground for erasure under Art. 17(1)(a)-(f) GDPR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ErasureGround {
    /// (a) no longer necessary for the purposes.
    A,
    /// (b) consent withdrawn, no other legal ground.
    B,
    /// (c) objection under Art. 21(1) or (2).
    C,
    /// (d) unlawfully processed.
    D,
    /// (e) erasure required by a legal obligation.
    E,
    /// (f) collected in relation to information-society services to a child.
    F,
}

impl ErasureGround {
    /// All grounds, in the order of Art. 17(1).
    pub const ALL: [ErasureGround; 6] =
        [ErasureGround::A, ErasureGround::B, ErasureGround::C, ErasureGround::D, ErasureGround::E, ErasureGround::F];

    /// The default when the user picks none: (a) the purpose has ended (the
    /// account or contract is closed) and (b) any consent is withdrawn
    /// (research/legal-and-log.md A.4, letter 2).
    pub const DEFAULT: [ErasureGround; 2] = [ErasureGround::A, ErasureGround::B];

    /// The letter of the ground (`a` … `f`).
    pub fn letter(self) -> &'static str {
        match self {
            ErasureGround::A => "a",
            ErasureGround::B => "b",
            ErasureGround::C => "c",
            ErasureGround::D => "d",
            ErasureGround::E => "e",
            ErasureGround::F => "f",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in LetterKind::ALL {
            assert_eq!(k.name().parse::<LetterKind>(), Ok(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.name()));
        }
        assert!("delete".parse::<LetterKind>().is_err());
    }
}
