//! Mail: plain data in, exact bytes out; exact bytes in, delivery outcome out.
//!
//! `mail` knows nothing of the evidence log (STYLE.md, dependency direction):
//! `ops` stores [`MessageBytes::bytes`] as an object, logs `prepared`, hands
//! the same value to [`smtp::Mailer::send`] and logs the [`smtp::Delivery`]
//! or [`smtp::SendError`] it gets back (DESIGN §6).
//!
//! | step | module | in → out |
//! |---|---|---|
//! | build | [`message`] | [`message::MessageSpec`] (+ optional [`dkim::Signer`]) → [`MessageBytes`] |
//! | sign | [`dkim`] | `dsr.toml` `[dkim]` → a signer used while building |
//! | send | [`smtp`] | [`MessageBytes`] → [`smtp::Delivery`] / [`smtp::SendError`] |
//! | no SMTP | [`outbox`] | [`MessageBytes`] → `<dir>/<time>-<id>.eml` |
//! | sent by the user | [`compare`] | outboxed + sent copy → [`compare::Comparison`] |
//!
//! The one invariant: the bytes built are the bytes stored, hashed and
//! delivered. Nothing re-formats a message after [`message::build`]; the
//! SMTP server stores exactly [`MessageBytes::bytes`] (tested by SHA-256
//! equality against a real server, `tests/e2e/mail.rs`).

pub mod compare;
pub mod dkim;
pub mod message;
pub mod message_id;
pub mod outbox;
pub mod parse;
pub mod smtp;

use crate::address::EmailAddress;
use crate::exit::ExitKind;
use std::path::PathBuf;

pub use message::{MessageBytes, MessageSpec};
pub use message_id::{InvalidMessageId, MessageId};
pub use smtp::{Delivery, Mailer, SendError, SendErrorKind};

/// The SMTP envelope: MAIL FROM and every RCPT TO (To and Cc, no duplicates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// MAIL FROM.
    pub from: EmailAddress,
    /// RCPT TO, in header order, each address once.
    pub to: Vec<EmailAddress>,
}

/// Why a message could not be built, a mailer set up, or a message sent or
/// written to the outbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value that would become part of a header contains a control
    /// character; a CR or LF there could add headers (header injection).
    #[error("{}", crate::t!("mail.error.header-injection", field = field, value = value))]
    HeaderInjection {
        /// Which value, e.g. `subject` or `attachments[1].filename`.
        field: String,
        /// The value with control characters escaped (shortened).
        value: String,
    },
    /// Any other value that cannot go into a message.
    #[error("{field}: {message}")]
    InvalidValue {
        /// Which value, e.g. `boundary`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The message has no To recipient.
    #[error("{}", crate::t!("mail.error.no-recipient"))]
    NoRecipient,
    /// lettre refused to assemble the message (should not happen after
    /// validation).
    #[error("{}", crate::t!("mail.error.assemble", reason = .0))]
    Assemble(String),
    /// The operating system gave no random bytes (for a Message-ID).
    #[error("{}", crate::t!("mail.error.random", reason = .0))]
    Random(String),
    /// The DKIM key file could not be read.
    #[error("dkim.key_file: {0}")]
    DkimKeyFile(#[source] crate::file::Error),
    /// The DKIM key file was read but is not a usable key.
    #[error("{}", crate::t!("mail.error.dkim-key", path = path.display(), algorithm = algorithm, reason = reason))]
    DkimKey {
        /// The key file.
        path: PathBuf,
        /// `rsa` or `ed25519`.
        algorithm: &'static str,
        /// What was expected (never key material).
        reason: String,
    },
    /// The SMTP settings cannot be used as they are.
    #[error("{field}: {message}")]
    Settings {
        /// Dotted key, e.g. `smtp.tls`.
        field: String,
        /// What is wrong, in the interface language.
        message: String,
        /// What is wrong, in English (for [`Error::evidence_text`]).
        evidence: String,
        /// What to do.
        hint: String,
    },
    /// The CA file could not be read.
    #[error("smtp.ca_file: {0}")]
    CaFile(#[source] crate::file::Error),
    /// The SMTP password could not be obtained.
    #[error(transparent)]
    Password(crate::config::Error),
    /// Bytes handed to the mailer are not a deliverable message.
    #[error("{}", crate::t!("mail.error.not-deliverable", reason = .0))]
    NotDeliverable(String),
    /// Delivery failed or its outcome is unknown.
    #[error(transparent)]
    Send(#[from] SendError),
    /// A received message (.eml) could not be read as an email.
    #[error("{}", crate::t!("mail.error.parse", path = path.display(), reason = source))]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        source: parse::ParseError,
    },
    /// The outbox file could not be written.
    #[error("{}", crate::t!("mail.error.outbox", path = path.display(), reason = source))]
    Outbox {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The outbox directory is a symbolic link or not a directory: dsr
    /// would write the user's messages wherever it points.
    #[error("{}", crate::t!("mail.error.outbox-not-dir", path = path.display()))]
    OutboxNotDir {
        /// The outbox path.
        path: PathBuf,
    },
}

impl Error {
    /// The error as the evidence store keeps it (the reason of a witness
    /// mail that failed): in English whatever the interface language, like
    /// [`SendError::evidence_text`] and the password source's
    /// [`crate::config::Error::evidence_text`]. A wrapped error of another
    /// module (the CA file) is shown as it displays itself.
    pub fn evidence_text(&self) -> String {
        use crate::i18n::UiLang::En;
        match self {
            Error::Outbox { path, source } => {
                crate::t_in!(En, "mail.error.outbox", path = path.display(), reason = source)
            }
            Error::OutboxNotDir { path } => crate::t_in!(En, "mail.error.outbox-not-dir", path = path.display()),
            Error::Settings { field, evidence, .. } => format!("{field}: {evidence}"),
            Error::Send(e) => e.evidence_text(),
            Error::Password(e) => e.evidence_text(),
            other => other.to_string(),
        }
    }

    /// The exit code class: bad input for build and settings errors,
    /// delivery failed for send errors, unexpected for outbox I/O.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Send(_) => ExitKind::DeliveryFailed,
            Error::Outbox { .. } | Error::Assemble(_) | Error::Random(_) => ExitKind::Unexpected,
            _ => ExitKind::BadInput,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::HeaderInjection { .. } => Some(crate::t!("mail.error.header-injection-hint")),
            Error::InvalidValue { .. }
            | Error::NoRecipient
            | Error::Assemble(_)
            | Error::Random(_)
            | Error::NotDeliverable(_) => None,
            Error::DkimKeyFile(e) | Error::CaFile(e) => e.hint(),
            Error::DkimKey { algorithm, .. } => Some(if *algorithm == "rsa" {
                crate::t!("mail.error.dkim-key-hint-rsa")
            } else {
                crate::t!("mail.error.dkim-key-hint-ed25519")
            }),
            Error::Settings { hint, .. } => Some(hint.clone()),
            Error::Password(e) => e.hint(),
            Error::Send(e) => Some(e.hint().to_string()),
            Error::Outbox { .. } => Some(crate::t!("mail.error.outbox-hint")),
            Error::OutboxNotDir { .. } => Some(crate::t!("mail.error.outbox-not-dir-hint")),
            Error::Parse { .. } => Some(crate::t!("mail.error.parse-hint")),
        }
    }
}

/// Refuses control characters in a value that reaches a header.
pub(crate) fn check_header_value(field: &str, value: &str) -> Result<(), Error> {
    if value.chars().any(char::is_control) {
        let escaped: String = value.escape_debug().to_string();
        let value = if escaped.chars().count() > 60 {
            format!("{}…", escaped.chars().take(60).collect::<String>())
        } else {
            escaped
        };
        return Err(Error::HeaderInjection { field: field.to_string(), value });
    }
    Ok(())
}
