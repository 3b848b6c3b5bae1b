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
    /// A reminder after a deadline passed, threaded to the original request.
    Reminder,
    /// Art. 77 GDPR: a complaint to a supervisory authority.
    Complaint,
}

impl LetterKind {
    /// Every kind, in a stable order.
    pub const ALL: [LetterKind; 5] = [
        LetterKind::Erasure,
        LetterKind::ProcessorDeletion,
        LetterKind::Access,
        LetterKind::Reminder,
        LetterKind::Complaint,
    ];

    /// The name used in files and on the command line (`processor-deletion`).
    pub fn name(self) -> &'static str {
        match self {
            LetterKind::Erasure => "erasure",
            LetterKind::ProcessorDeletion => "processor-deletion",
            LetterKind::Access => "access",
            LetterKind::Reminder => "reminder",
            LetterKind::Complaint => "complaint",
        }
    }

    /// Kinds that open a new request to a company (reminders and complaints
    /// follow up an existing one).
    pub fn is_initial(self) -> bool {
        matches!(self, LetterKind::Erasure | LetterKind::ProcessorDeletion | LetterKind::Access)
    }

    /// True for data-subject rights (Arts. 15-22), which run the Art. 12(3)
    /// deadline and need the company to act as controller.
    pub fn is_data_subject_right(self) -> bool {
        matches!(self, LetterKind::Erasure | LetterKind::Access)
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A kind name dsr does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown letter kind '{0}', expected one of: erasure, processor-deletion, access, reminder, complaint")]
pub struct UnknownKind(pub String);

impl FromStr for LetterKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LetterKind::ALL.into_iter().find(|k| k.name() == s.trim()).ok_or_else(|| UnknownKind(s.to_string()))
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
