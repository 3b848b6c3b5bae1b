//! Cases: a request's life, derived from the evidence log.
//!
//! The log is the single source of truth. [`event`] defines what the
//! workflows write; [`state`] folds a case's entries into its current state
//! (sent when, deadline, replies, overdue) — there is no second store.

pub mod event;
pub mod state;

pub use state::{Case, Delivery, Due, Error, Kept, Message, Reply, Status, find, fold_log};

use crate::exit::ExitKind;

// Beside the re-export rather than in `state.rs`, which is being rewritten
// (issue 12, item 1); the match is exhaustive, so a new variant must say
// its class here.
impl Error {
    /// The exit code class: the log's own ([`crate::evidence::Error::exit_kind`]),
    /// evidence invalid for an event that does not fit the log, bad input
    /// for a request that is not there or a command that does not fit it.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Evidence(e) => e.exit_kind(),
            Error::BadEvent { .. } | Error::Orphan { .. } => ExitKind::EvidenceInvalid,
            Error::UnknownRequest { .. } | Error::WrongState { .. } => ExitKind::BadInput,
        }
    }
}
