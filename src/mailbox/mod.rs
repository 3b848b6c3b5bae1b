//! The mailbox: what arrives for the sender after a message left.
//!
//! - [`imap`]: a synchronous IMAP session (async-imap over tokio-rustls,
//!   blocked on a current-thread runtime); `dsr mail sync`
//!   fetches what arrived, stores each message byte for byte, files it with
//!   its case and suggests what it says; the user confirms with `dsr reply`
//!   (docs/mailbox.md is the user's guide).
//! - [`matching`]: which case a message belongs to, and why.
//! - [`classify`]: the suggested outcome (de/en rules).
//! - [`sync`]: what is new since the last sync (derived from the log),
//!   and [`sync::ingest`], the one place a fetched message enters dsr.
//! - [`report`] reads delivery status notifications (RFC 3461/3464) and
//!   message disposition notifications (read receipts, RFC 8098) from raw
//!   message bytes; `ops::report` matches a report to its case, stores it
//!   and logs the event.

pub mod classify;
pub mod imap;
pub mod matching;
pub mod report;
pub mod sync;

pub use report::{Action, DeliveryReport, DispositionReport, RecipientStatus, Report, ReportError};

use crate::exit::ExitKind;

/// Why the mailbox could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting in `[imap]` cannot be used.
    #[error("{field}: {message}")]
    Settings {
        /// The key, e.g. `imap.ca_file`.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// `imap.ca_file` could not be read.
    #[error("imap.ca_file: {0}")]
    CaFile(crate::file::Error),
    /// The server could not be reached.
    #[error("{}", crate::t!("mailbox.error.connect", server = server, reason = source))]
    Connect {
        /// `host:port`.
        server: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// TLS could not be set up.
    #[error("{}", crate::t!("mailbox.error.tls", server = server, reason = message))]
    Tls {
        /// `host:port`.
        server: String,
        /// Why.
        message: String,
    },
    /// The server refused the user name or password.
    #[error("{}", crate::t!("mailbox.error.login", server = server, reason = message))]
    Login {
        /// `host:port`.
        server: String,
        /// The server's words (never the password).
        message: String,
    },
    /// The server refused a command.
    #[error("{}", crate::t!("mailbox.error.no", server = server, command = command, reason = message))]
    No {
        /// `host:port`.
        server: String,
        /// The command's first words (never its arguments' secrets).
        command: String,
        /// The server's words.
        message: String,
    },
    /// The server said something dsr does not understand.
    #[error("{}", crate::t!("mailbox.error.protocol", server = server, reason = message))]
    Protocol {
        /// `host:port`.
        server: String,
        /// What.
        message: String,
    },
    /// The server did not answer in time.
    #[error("{}", crate::t!("mailbox.error.timeout", server = server))]
    Timeout {
        /// `host:port`.
        server: String,
    },
    /// The connection broke.
    #[error("{}", crate::t!("mailbox.error.dropped", server = server, reason = source))]
    Dropped {
        /// `host:port`.
        server: String,
        /// The system's reason.
        source: std::io::Error,
    },
}

impl Error {
    /// The exit class: a setting or a refused login is bad input; the
    /// network is unexpected.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Settings { .. } | Error::CaFile(_) | Error::Login { .. } | Error::No { .. } => ExitKind::BadInput,
            _ => ExitKind::Unexpected,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Settings { .. } | Error::CaFile(_) => crate::t!("mailbox.error.settings-hint"),
            Error::Connect { .. } => crate::t!("mailbox.error.connect-hint"),
            Error::Tls { .. } => crate::t!("mailbox.error.tls-hint"),
            Error::Login { .. } => crate::t!("mailbox.error.login-hint"),
            Error::No { .. } => crate::t!("mailbox.error.no-hint"),
            Error::Protocol { .. } | Error::Timeout { .. } | Error::Dropped { .. } => {
                crate::t!("mailbox.error.again-hint")
            }
        })
    }
}
