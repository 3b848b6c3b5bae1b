//! `dsr` sends GDPR data-subject requests and keeps the evidence.
//!
//! # Map
//!
//! One request flows through the crate like this (DESIGN §2;
//! `docs/architecture.md` has the longer map, the layering rule and how to
//! add a route, an event or a letter kind):
//!
//! ```text
//! config ─┐
//! policy ─┼─► request ─► letter + identity ─► mail (exact bytes)
//! subject ┘                                   │
//!             ops::deliver: Route (smtp | outbox) ─► Sink (append now | batch journal)
//!                     evidence (objects + hash-chained log) ◄─ case::event::Event
//!                     case (state = fold over the log)
//! ```
//!
//! Leaves (no domain imports): [`exit`], [`field`], [`clock`], [`secret`],
//! [`trace`], [`file`](mod@file), [`toml_file`], [`address`], [`lang`],
//! [`kind`], [`channel`], [`deadline`], [`evidence`], [`suggest`] ("did you mean"),
//! [`id_document`] (files that look like ID cards). Inputs: [`config`], [`policy`],
//! [`subject`]; then [`request`], the producers [`letter`] and
//! [`identity`], [`mail`], [`case`], the workflows in [`ops`] (start at
//! [`ops::deliver`]) and the command line in [`cli`], the only module that
//! prints or picks an exit code. Every error is a typed [`Error`] whose
//! [`Error::exit_code`] and [`Error::hint`] the CLI reports; each module's
//! error says its own [`ExitKind`]. Input errors name the field as data
//! ([`field`]), so the command line and a batch row each word it their own
//! way. [`fuzz`] runs every parser of untrusted input on arbitrary bytes
//! (for the property tests and the `cargo fuzz` targets).

pub mod address;
pub mod case;
pub mod channel;
pub mod cli;
pub mod clock;
pub mod config;
pub mod deadline;
pub mod error;
pub mod evidence;
pub mod exit;
pub mod field;
pub mod file;
pub mod fuzz;
pub mod i18n;
pub mod id_document;
pub mod identity;
pub mod kind;
pub mod lang;
pub mod letter;
pub mod mail;
pub mod mailbox;
pub mod ops;
pub mod pdf;
pub mod policy;
pub mod request;
pub mod secret;
pub mod subject;
pub mod suggest;
pub mod toml_file;
pub mod trace;

pub use error::Error;
pub use exit::ExitKind;

/// Golden-file comparison and blessing (`DSR_BLESS=1`), shared with the e2e tests.
#[cfg(test)]
#[path = "../tests/support/snapshot.rs"]
pub(crate) mod snapshot;
