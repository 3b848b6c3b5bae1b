//! The mailbox: what arrives for the sender after a message left.
//!
//! [`report`] reads delivery status notifications (RFC 3461/3464) and
//! message disposition notifications (read receipts, RFC 8098) from raw
//! message bytes. It knows nothing of the evidence log: `ops::report`
//! matches a report to its case, stores it and logs the event.

pub mod report;

pub use report::{Action, DeliveryReport, DispositionReport, RecipientStatus, Report, ReportError};
