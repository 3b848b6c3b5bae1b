//! The one yes/no question dsr asks on the terminal.
//!
//! Every confirmation goes through [`confirm_with`]: before an
//! irreversible step ([`ask`]: `send`, `send --batch`, `remind`,
//! `complain`, `purge`, `send --retry`) and for held batch rows
//! (`send --batch --retry-failed`). It is the same `[y/N]` prompt on
//! stderr, the same accepted answers ([`is_yes`]: y, yes, j, ja in any
//! case; anything else, an empty line included, is no), and without a
//! terminal on both stdin and stderr (scripts, CI) the same summary and no
//! question at all but
//! an error telling to pass `--yes` (or `DSR_YES=1`): dsr never decides to
//! send on its own. Dry runs and `render` never ask.

use crate::Error;
use crate::channel::Channel;
use crate::config::Smtp;
use crate::ops::preview::Preview;
use crate::t;
use std::io::{BufRead, IsTerminal, Write};

/// Before an irreversible step: with `yes` (the global `--yes`, or
/// `DSR_YES=1`) goes ahead at once; otherwise prints `context` and asks
/// `question` on the terminal.
///
/// # Errors
/// No terminal (`confirmation needed: …`, exit 2, with a hint naming
/// `--yes`), the answer was not yes (exit 2), or the terminal cannot be
/// written or read. In each case the caller has stored nothing yet.
pub fn ask(yes: bool, context: &[String], question: &str) -> Result<(), Error> {
    if yes {
        return Ok(());
    }
    let confirmed = confirm_with(context, question, || {
        Error::usage(t!("prompt.no-terminal", question = question), t!("prompt.no-terminal-hint"))
    })?;
    if confirmed { Ok(()) } else { Err(Error::usage(t!("prompt.not-confirmed"), t!("prompt.not-confirmed-hint"))) }
}

/// The lines that show one letter before it goes: recipient (name and
/// addresses), kind, channel (with SMTP: the server; without: the outbox)
/// and attachments.
pub fn preview_lines(p: &Preview, smtp: Option<&Smtp>) -> Vec<String> {
    let addresses =
        |list: &[crate::address::EmailAddress]| list.iter().map(|a| format!("<{a}>")).collect::<Vec<_>>().join(", ");
    let to = if p.to.is_empty() { p.recipient.clone() } else { format!("{} {}", p.recipient, addresses(&p.to)) };
    let mut lines = vec![t!("prompt.preview-to", to = to)];
    if !p.cc.is_empty() {
        lines.push(t!("prompt.preview-cc", cc = addresses(&p.cc)));
    }
    lines.push(t!("prompt.preview-kind", kind = p.kind));
    lines.push(t!("prompt.preview-channel", channel = channel_words(p.channel, smtp)));
    let attachments = if p.attachments.is_empty() { t!("prompt.preview-none") } else { p.attachments.join(", ") };
    lines.push(t!("prompt.preview-attachments", attachments = attachments));
    lines
}

/// The question before one letter on `channel` goes.
pub fn question(channel: Channel, smtp: Option<&Smtp>) -> String {
    match (channel, smtp) {
        (Channel::Email, Some(_)) => t!("prompt.send-now"),
        (Channel::Email, None) => t!("prompt.write-outbox"),
        (Channel::Post | Channel::Webform, _) => t!("prompt.write-out"),
    }
}

/// How a letter on `channel` leaves, in words.
pub fn channel_words(channel: Channel, smtp: Option<&Smtp>) -> String {
    match (channel, smtp) {
        (Channel::Email, Some(s)) => t!("prompt.channel-smtp", host = s.host, port = s.port),
        (Channel::Email, None) => t!("prompt.channel-outbox"),
        (Channel::Post, _) => t!("prompt.channel-post"),
        (Channel::Webform, _) => t!("prompt.channel-webform"),
    }
}

/// Prints `context` (one line each) on stderr, then asks `question`.
/// Without a terminal, returns `no_terminal()` after the context instead
/// of asking: an error that says what needed confirming and that `--yes`
/// gives it.
///
/// # Errors
/// No terminal (`no_terminal()`), or the terminal cannot be written or
/// read.
pub fn confirm_with(context: &[String], question: &str, no_terminal: impl FnOnce() -> Error) -> Result<bool, Error> {
    let io = |e| Error::io(t!("cli.io.asking"), e);
    let mut err = std::io::stderr().lock();
    // Shown with or without a terminal: a script's log then says what
    // would have gone, beside the refusal.
    for line in context {
        writeln!(err, "{line}").map_err(io)?;
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(no_terminal());
    }
    write!(err, "{question} {} ", t!("prompt.choices")).map_err(io)?;
    err.flush().map_err(io)?;
    drop(err);
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::io(t!("cli.io.answer"), e))?;
    Ok(is_yes(&answer))
}

/// True for the answers that mean yes: `y`, `yes`, `j`, `ja` (German), in
/// any case, surrounding whitespace ignored.
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "y" | "yes" | "j" | "ja")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_in_english_or_german_any_case() {
        for a in ["y", "Y", "yes", "YES", "Yes", "j", "J", "ja", "Ja", "JA", " y\n", "yes\r\n"] {
            assert!(is_yes(a), "{a:?}");
        }
        for a in ["", "\n", "n", "no", "nein", "yy", "jein", "yes please", "1"] {
            assert!(!is_yes(a), "{a:?}");
        }
    }
}
