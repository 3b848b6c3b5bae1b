//! Cases: a request's life, derived from the evidence log.
//!
//! The log is the single source of truth. [`event`] defines what the
//! workflows write; [`state`] folds a case's entries into its current state
//! (sent when, deadline, replies, overdue) — there is no second store.

pub mod event;
pub mod state;

pub use event::Event;
pub use state::{Case, Delivery, Dispatch, Due, DueBasis, Error, Kept, Message, Reply, Status, find, fold_log};

#[cfg(test)]
mod golden_tests;
