//! The one yes/no question dsr asks on the terminal.
//!
//! Every confirmation goes through [`confirm_with`]: before an
//! irreversible step ([`ask`]: `send`, `send --batch`, `remind`,
//! `complain`, `purge`, `send --retry`) and for held batch rows
//! (`send --batch --retry-failed`). It is the same `[y/N]` prompt on
//! stderr, the same accepted answers ([`is_yes`]: y, yes, j, ja in any
//! case; anything else, an empty line included, is no), and without a
//! terminal on both stdin and stderr (scripts, CI) no question at all but
//! an error telling to pass `--yes` (or `DSR_YES=1`): dsr never decides to
//! send on its own. Dry runs and `render` never ask.

use crate::Error;
use crate::channel::Channel;
use crate::config::Smtp;
use crate::ops::preview::Preview;
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
        Error::usage(
            format!("confirmation needed: {question} (there is no terminal to ask on); nothing was stored or sent"),
            "run it in a terminal to answer, or pass --yes (or set DSR_YES=1) to confirm without a question",
        )
    })?;
    if confirmed {
        Ok(())
    } else {
        Err(Error::usage(
            "not confirmed: nothing was stored or sent",
            "answer y to go ahead, or pass --yes in a script",
        ))
    }
}

/// The lines that show one letter before it goes: recipient (name and
/// addresses), kind, channel (with SMTP: the server; without: the outbox)
/// and attachments.
pub fn preview_lines(p: &Preview, smtp: Option<&Smtp>) -> Vec<String> {
    let addresses =
        |list: &[crate::address::EmailAddress]| list.iter().map(|a| format!("<{a}>")).collect::<Vec<_>>().join(", ");
    let mut lines = vec![if p.to.is_empty() {
        format!("  to:          {}", p.recipient)
    } else {
        format!("  to:          {} {}", p.recipient, addresses(&p.to))
    }];
    if !p.cc.is_empty() {
        lines.push(format!("  cc:          {}", addresses(&p.cc)));
    }
    lines.push(format!("  kind:        {}", p.kind));
    lines.push(format!("  channel:     {}", channel_words(p.channel, smtp)));
    lines.push(format!(
        "  attachments: {}",
        if p.attachments.is_empty() { "none".to_string() } else { p.attachments.join(", ") }
    ));
    lines
}

/// The question before one letter on `channel` goes.
pub fn question(channel: Channel, smtp: Option<&Smtp>) -> &'static str {
    match (channel, smtp) {
        (Channel::Email, Some(_)) => "Send it now?",
        (Channel::Email, None) => "Write it to the outbox and log it?",
        (Channel::Post | Channel::Webform, _) => "Write it out and log it?",
    }
}

/// How a letter on `channel` leaves, in words.
pub fn channel_words(channel: Channel, smtp: Option<&Smtp>) -> String {
    match (channel, smtp) {
        (Channel::Email, Some(s)) => format!("email, sent now over SMTP ({}:{})", s.host, s.port),
        (Channel::Email, None) => "email, written to the outbox (no [smtp] configured): not sent by dsr".into(),
        (Channel::Post, _) => "post: a PDF letter for you to print, sign and post".into(),
        (Channel::Webform, _) => "web form: the text for you to paste into the company's form".into(),
    }
}

/// Prints `context` (one line each), then asks `question`. Without a
/// terminal, returns `no_terminal()` instead: an error that says what
/// needed confirming and that `--yes` gives it.
///
/// # Errors
/// No terminal (`no_terminal()`), or the terminal cannot be written or
/// read.
pub fn confirm_with(context: &[String], question: &str, no_terminal: impl FnOnce() -> Error) -> Result<bool, Error> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(no_terminal());
    }
    let io = |e| Error::io("asking on the terminal", e);
    let mut err = std::io::stderr().lock();
    for line in context {
        writeln!(err, "{line}").map_err(io)?;
    }
    write!(err, "{question} [y/N] ").map_err(io)?;
    err.flush().map_err(io)?;
    drop(err);
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::io("reading the answer", e))?;
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
