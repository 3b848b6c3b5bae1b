//! `dsr` sends GDPR data-subject requests and keeps the evidence.
//!
//! # Map
//!
//! One request flows through the crate like this (DESIGN §2):
//!
//! ```text
//! config ─┐
//! policy ─┼─► request ─► letter + identity ─► mail (exact bytes)
//! subject ┘                                   │
//!                     evidence (objects + hash-chained log) ◄─ ops
//!                     case (state = fold over the log)
//! ```
//!
//! Leaves (no domain imports): [`clock`], [`secret`], [`file`], [`deadline`],
//! [`evidence`], [`suggest`] ("did you mean"). Inputs: [`config`], [`policy`], [`subject`]. The command line
//! lives in [`cli`], the only module that prints or picks an exit code; every
//! error is a typed [`Error`] whose [`Error::exit_code`] and [`Error::hint`]
//! the CLI reports.

pub mod address;
pub mod case;
pub mod cli;
pub mod clock;
pub mod config;
pub mod deadline;
pub mod error;
pub mod evidence;
pub mod file;
pub mod identity;
pub mod kind;
pub mod lang;
pub mod letter;
pub mod mail;
pub mod ops;
pub mod policy;
pub mod request;
pub mod secret;
pub mod subject;
pub mod suggest;
pub mod toml_file;
pub mod trace;

pub use error::{Error, ExitKind};
