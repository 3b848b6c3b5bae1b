//! `dsr::Error`: every failure the library reports, with its exit code and
//! a hint that says what to do.
//!
//! Each module has its own error enum that says *what* went wrong and where
//! (file, line, field). This type wraps them so the CLI can pick the exit
//! code in one place ([`Error::exit_code`]) and print the fix
//! ([`Error::hint`]) under the message, cargo-style (`help: …`).
//!
//! Each module's error also says its own exit class
//! ([`ExitKind`], a leaf module), so [`Error::exit_kind`]
//! only delegates. Exit codes are part of the interface (README,
//! docs/exit-codes.md) and never renumbered.

use crate::exit::ExitKind;
use crate::field::Words;
use std::io;

/// Any error dsr reports. See the module docs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A user-named file could not be used.
    #[error(transparent)]
    File(#[from] crate::file::Error),
    /// A TOML file did not parse.
    #[error(transparent)]
    Toml(#[from] crate::toml_file::Error),
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] crate::config::Error),
    /// A policy is unknown, unreadable or invalid.
    #[error(transparent)]
    Policy(#[from] crate::policy::Error),
    /// A subject file is unreadable or does not fit the policy.
    #[error(transparent)]
    Subject(#[from] crate::subject::Error),
    /// A request could not be built from the options, policy, subject and
    /// config, or not sent for want of confirmations.
    #[error(transparent)]
    Request(#[from] crate::request::Error),
    /// A deadline could not be computed.
    #[error(transparent)]
    Deadline(#[from] crate::deadline::Error),
    /// A message could not be built, sent or written to the outbox.
    #[error(transparent)]
    Mail(#[from] crate::mail::Error),
    /// A letter or identity record could not be rendered.
    #[error(transparent)]
    Letter(#[from] crate::letter::Error),
    /// A letter for post could not be written as PDF.
    #[error(transparent)]
    Pdf(#[from] crate::pdf::Error),
    /// The evidence log or its objects.
    #[error(transparent)]
    Evidence(#[from] crate::evidence::Error),
    /// A case could not be found or does not fit the command.
    #[error(transparent)]
    Case(#[from] crate::case::Error),
    /// An evidence bundle could not be written, or does not verify.
    #[error(transparent)]
    Export(#[from] crate::ops::export::Error),
    /// The mailbox (`[imap]`).
    #[error(transparent)]
    Mailbox(#[from] crate::mailbox::Error),
    /// A message was not (or not provably) delivered; every attempt is in
    /// the evidence log.
    #[error("{}", crate::t!("delivery.failed", request = request, source = source))]
    Delivery {
        /// The request whose message failed.
        request: crate::evidence::RequestId,
        /// The last attempt's error.
        source: Box<crate::mail::SendError>,
    },
    /// `dsr send` (or `send --retry`, `remind`, `complain`) could not open
    /// its SMTP session (connect, TLS or AUTH), which it does before
    /// anything is stored or logged: nothing was stored, logged or sent.
    #[error("{}", crate::t!("delivery.not-started", source = source))]
    NotStarted {
        /// The last connection attempt's error.
        source: Box<crate::mail::SendError>,
    },
    /// A batch file (`send --batch`) is unusable, has invalid rows, or did
    /// not finish.
    #[error(transparent)]
    Batch(#[from] crate::ops::batch::Error),
    /// `dsr log timestamp`: no time-stamping authority gave a token (each
    /// failure is logged as `timestamp_failed`).
    #[error("{}", crate::t!("error.no-timestamp", failures = failures))]
    Timestamp {
        /// Each TSA's name and reason.
        failures: String,
    },
    /// Bad command-line usage that clap cannot express.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// What to do instead.
        hint: Option<String>,
    },
    /// `--json` output could not be encoded: a value has no JSON form (a
    /// path that is not UTF-8 is the one case dsr's types allow).
    #[error("{}", crate::t!("error.json", error = _0))]
    Json(#[source] serde_json::Error),
    /// An I/O failure outside user-named files.
    #[error("{context}: {source}")]
    Io {
        /// What dsr was doing, with the path.
        context: String,
        /// The operating system's error.
        source: io::Error,
    },
}

impl Error {
    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage { message: message.into(), hint: Some(hint.into()) }
    }

    /// An I/O error with what dsr was doing.
    pub fn io(context: impl Into<String>, source: io::Error) -> Error {
        Error::Io { context: context.into(), source }
    }

    /// The class of this failure: each module's error says its own.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::File(e) => e.exit_kind(),
            Error::Toml(e) => e.exit_kind(),
            Error::Config(e) => e.exit_kind(),
            Error::Policy(e) => e.exit_kind(),
            Error::Subject(e) => e.exit_kind(),
            Error::Request(e) => e.exit_kind(),
            Error::Deadline(e) => e.exit_kind(),
            Error::Mail(e) => e.exit_kind(),
            Error::Letter(e) => e.exit_kind(),
            Error::Pdf(e) => e.exit_kind(),
            Error::Evidence(e) => e.exit_kind(),
            Error::Case(e) => e.exit_kind(),
            Error::Export(e) => e.exit_kind(),
            Error::Mailbox(e) => e.exit_kind(),
            Error::Batch(e) => e.exit_kind(),
            Error::Delivery { .. } | Error::NotStarted { .. } | Error::Timestamp { .. } => ExitKind::DeliveryFailed,
            Error::Usage { .. } => ExitKind::BadInput,
            Error::Io { .. } | Error::Json(_) => ExitKind::Unexpected,
        }
    }

    /// The process exit code (see [`ExitKind`]).
    pub fn exit_code(&self) -> u8 {
        self.exit_kind().code()
    }

    /// The message in `words` (a batch row's instead of the command
    /// line's): only errors of a request name its options; every other
    /// error reads the same everywhere.
    pub fn message_in(&self, words: Words) -> String {
        match self {
            Error::Request(e) => e.message_in(words),
            Error::Subject(e) => e.message_in(words),
            other => other.to_string(),
        }
    }

    /// The field of a batch row the error is about, when it is one of the
    /// row's own (an inline subject's `subject.verification`): a TOML
    /// batch error then names that field's line.
    pub fn row_field(&self, words: Words) -> Option<String> {
        match self {
            Error::Subject(e) | Error::Request(crate::request::Error::Subject(e))
                if words == (Words::Row { inline_subject: true }) =>
            {
                e.field_in(words)
            }
            _ => None,
        }
    }

    /// [`Error::hint`] in `words`: a request's options, and the keys of an
    /// inline subject, as a batch row names them.
    pub fn hint_in(&self, words: Words) -> Option<String> {
        match self {
            Error::Request(e) => e.hint_in(words),
            Error::Subject(e) => e.hint_in(words),
            other => other.hint(),
        }
    }

    /// What the user can do about it, if dsr knows.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::File(e) => e.hint(),
            Error::Toml(e) => e.hint(),
            Error::Config(e) => e.hint(),
            Error::Policy(e) => e.hint(),
            Error::Subject(e) => e.hint(),
            Error::Request(e) => e.hint(),
            Error::Deadline(e) => e.hint(),
            Error::Mail(e) => e.hint(),
            Error::Letter(e) => e.hint(),
            Error::Pdf(e) => e.hint(),
            Error::Usage { hint, .. } => hint.clone(),
            Error::Delivery { request, source } => Some(if source.kind() == crate::mail::SendErrorKind::Unknown {
                crate::t!("delivery.unknown-hint", request = request)
            } else if source.kind() == crate::mail::SendErrorKind::Permanent
                && matches!(
                    crate::case::event::Stage::from(source.stage()),
                    crate::case::event::Stage::RcptTo
                        | crate::case::event::Stage::Data
                        | crate::case::event::Stage::Message
                )
            {
                crate::t!("delivery.refused-hint", request = request)
            } else {
                crate::t!("delivery.retry-hint", hint = source.hint(), request = request)
            }),
            Error::NotStarted { source } => Some(crate::t!("delivery.not-started-hint", hint = source.hint())),
            Error::Timestamp { .. } => Some(crate::t!("input.error.timestamp-hint")),
            Error::Case(e) => e.hint(),
            Error::Mailbox(e) => e.hint(),
            Error::Io { .. } => None,
            Error::Json(_) => Some(crate::t!("input.error.json-hint")),
            Error::Evidence(e) => e.hint(),
            Error::Export(e) => e.hint(),
            Error::Batch(e) => e.hint(),
        }
    }

    /// True when stdout was closed by the reader (`dsr … | head`): the CLI
    /// then exits 0 quietly, as ripgrep does.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}
