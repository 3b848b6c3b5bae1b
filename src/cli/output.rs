//! Writing results: human text or `--json`, to stdout; notes and warnings to
//! stderr.
//!
//! Data goes to stdout (so it can be piped), everything meant for the human
//! at the terminal goes to stderr. A closed stdout (`dsr status | head`)
//! surfaces as a broken-pipe [`Error`] that the CLI turns into a quiet exit 0.

use crate::Error;
use crate::trace::Trace;
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

/// `path` as a JSON value: an error, not a panic (`json!` unwraps), for a
/// name that is not UTF-8 and so has no JSON form.
pub(super) fn json_path(path: &std::path::Path) -> Result<serde_json::Value, Error> {
    serde_json::to_value(path).map_err(Error::Json)
}

impl Output {
    /// Writes one line of text to stdout.
    ///
    /// # Errors
    /// Writing failed (a broken pipe included).
    pub fn line(&self, text: impl Display) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}").and_then(|()| out.flush()).map_err(|e| Error::io(crate::t!("cli.io.stdout"), e))
    }

    /// Writes bytes to stdout as they are (a generated script or page).
    ///
    /// # Errors
    /// Writing failed (a broken pipe included).
    pub fn bytes(&self, bytes: &[u8]) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).and_then(|()| out.flush()).map_err(|e| Error::io(crate::t!("cli.io.stdout"), e))
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
            stderr_line(text);
        }
    }

    /// A detail shown only with `-v` (stderr).
    pub fn detail(&self, text: impl Display) {
        if self.verbose > 0 && !self.quiet {
            stderr_line(text);
        }
    }

    /// The note after messages went to the outbox instead of a server
    /// (stderr, unless `-q`): nothing was sent, and how to send it.
    /// `request` is the case to name in the `--retry` hint when there is
    /// one (a batch has many).
    pub fn not_sent(&self, messages: usize, request: Option<&str>) {
        self.note(not_sent_text(messages, request));
    }

    /// A warning (stderr, even with `-q`).
    pub fn warn(&self, text: impl Display) {
        stderr_line(format_args!("{} {text}", crate::t!("report.warning")));
    }
}

/// Writes one line to stderr. A standard error that cannot be written to
/// (a full disk behind a redirect, a closed pipe) loses the message but
/// never panics: `eprintln!` would, and abort a command halfway through
/// its evidence. The exit code still says how the command ended.
pub(super) fn stderr_line(text: impl Display) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

/// `-v` details from the library (SMTP dialogue, files used) go where
/// [`Output::detail`] writes: stderr, only with `-v` and never with `-q`.
impl Trace for Output {
    fn detail(&self, text: &str) {
        Output::detail(self, text);
    }

    fn enabled(&self) -> bool {
        self.verbose > 0 && !self.quiet
    }

    fn warn(&self, text: &str) {
        Output::warn(self, text);
    }
}

/// The text of [`Output::not_sent`].
fn not_sent_text(messages: usize, request: Option<&str>) -> String {
    let r = request.unwrap_or("REQUEST");
    match (messages, request) {
        (1, _) => crate::t!("send.not-sent-one", request = r),
        (n, Some(_)) => crate::t!("send.not-sent-many", n = n, request = r),
        (n, None) => crate::t!("send.not-sent-batch", n = n, request = r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_sent_in_singular_and_plural() {
        assert_eq!(
            not_sent_text(1, Some("r_k3q7z2m4x7w5abcd")),
            "NOT SENT: no [smtp] is configured, so the message was written to the outbox and logged as 'outboxed'. \
             Send that .eml yourself and record it with `dsr dispatched r_k3q7z2m4x7w5abcd --via email --eml \
             SENT_COPY.eml` (the copy from your Sent folder), or configure [smtp] in dsr.toml (docs/config.md) and \
             run `dsr send --retry r_k3q7z2m4x7w5abcd`."
        );
        assert_eq!(
            not_sent_text(3, None),
            "NOT SENT: no [smtp] is configured, so the 3 messages were written to the outbox and logged as \
             'outboxed'. Send those .eml files yourself and record each with `dsr dispatched REQUEST --via email --eml \
             SENT_COPY.eml` for each (the copy from your Sent folder), or configure [smtp] in dsr.toml \
             (docs/config.md) and run `dsr send --retry REQUEST` for each."
        );
        assert!(not_sent_text(1, None).ends_with("run `dsr send --retry REQUEST`."));
    }
}
