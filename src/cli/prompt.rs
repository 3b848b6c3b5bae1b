//! The one yes/no question dsr asks on the terminal.
//!
//! Every confirmation (`send --retry`, `send --batch --retry-failed`) goes
//! through [`confirm_with`]: the same `[y/N]` prompt on stderr, the same
//! accepted answers ([`is_yes`]: y, yes, j, ja in any case; anything else,
//! an empty line included, is no), and without a terminal on both stdin
//! and stderr (scripts, CI) no question at all but an error telling to
//! pass `--yes`: dsr never decides to send on its own.

use crate::Error;
use std::io::{BufRead, IsTerminal, Write};

/// Asks `question` on the terminal.
///
/// # Errors
/// No terminal (`confirmation needed: <question>`, with a hint to pass
/// `--yes`), or the terminal cannot be written or read.
pub fn confirm(question: &str) -> Result<bool, Error> {
    confirm_with(&[], question, || {
        Error::usage(format!("confirmation needed: {question}"), "run it in a terminal to answer, or pass --yes")
    })
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
