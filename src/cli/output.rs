//! Writing results: human text or `--json`, to stdout; notes and warnings to
//! stderr.
//!
//! Data goes to stdout (so it can be piped), everything meant for the human
//! at the terminal goes to stderr. A closed stdout (`dsr status | head`)
//! surfaces as a broken-pipe [`Error`] that the CLI turns into a quiet exit 0.

use crate::Error;
use serde::Serialize;
use std::fmt::Display;
use std::io::Write;

/// Where a command's output goes, and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// `--json`: data as JSON instead of text.
    pub json: bool,
    /// `-q`: no notes on stderr (warnings and errors still show).
    pub quiet: bool,
    /// `-v` count: extra detail on stderr.
    pub verbose: u8,
}

impl Output {
    /// Writes one line of text to stdout.
    ///
    /// # Errors
    /// Writing failed (a broken pipe included).
    pub fn line(&self, text: impl Display) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}").and_then(|()| out.flush()).map_err(|e| Error::io("writing to standard output", e))
    }

    /// Writes a value as pretty JSON to stdout.
    ///
    /// # Errors
    /// Writing failed, or the value does not serialize ([`Error::Json`]: a
    /// path in it is not UTF-8).
    pub fn json<T: Serialize>(&self, value: &T) -> Result<(), Error> {
        self.line(serde_json::to_string_pretty(value).map_err(Error::Json)?)
    }

    /// A note for the human (stderr), unless `-q`.
    pub fn note(&self, text: impl Display) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// A detail shown only with `-v` (stderr).
    pub fn detail(&self, text: impl Display) {
        if self.verbose > 0 && !self.quiet {
            eprintln!("{text}");
        }
    }

    /// A warning (stderr, even with `-q`).
    pub fn warn(&self, text: impl Display) {
        eprintln!("warning: {text}");
    }
}
