//! The command-line parser's errors in the interface language.
//!
//! clap writes its errors in English. When the interface is German, the
//! errors a user meets most (an invalid or unknown value, an unknown
//! option or command, a missing or conflicting argument) are written from
//! the catalogue instead, with the same parts clap shows: the message,
//! the tip, the usage line and the pointer to `--help`. Every other kind,
//! and `--help`/`--version` themselves, stay with clap.

use crate::i18n::{self, UiLang};
use crate::t;
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// Reports `e` and exits the process with clap's exit code for it.
pub fn exit(e: clap::Error) -> ! {
    if i18n::ui() == UiLang::De {
        if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) {
            // The page clap rendered (with its styles), with clap's own
            // fixed words in German; written the way clap writes it
            // (anstream drops the styles when the stream is no terminal).
            use std::io::Write;
            let page = german_help(&e.render().ansi().to_string());
            let written = if e.use_stderr() {
                anstream::stderr().write_all(page.as_bytes())
            } else {
                anstream::stdout().write_all(page.as_bytes())
            };
            // A closed pipe (`dsr --help | head`) ends the page quietly.
            let _ = written;
            std::process::exit(e.exit_code());
        }
        if let Some(text) = german(&e) {
            super::output::stderr_line(text.trim_end());
            std::process::exit(e.exit_code());
        }
    }
    e.exit()
}

/// clap's fixed words in a help page, in German: the heading of the
/// options without a heading of their own (the root page's `-h` and
/// `-V`), and `[OPTIONS]` in the usage lines. Everything else on the page
/// comes from `cli::help`.
pub(crate) fn german_help(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + 16);
    let mut in_usage = false;
    for line in page.split_inclusive('\n') {
        let plain = strip_styles(line);
        let plain = plain.trim_end();
        if plain == "Options:" {
            out.push_str(&line.replacen("Options:", "Optionen:", 1));
            in_usage = false;
            continue;
        }
        in_usage = plain.starts_with("Aufruf: ") || (in_usage && plain.starts_with("  ") && !plain.trim().is_empty());
        if in_usage {
            out.push_str(&usage_in_german(line));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A usage line with `[OPTIONS]` in German.
fn usage_in_german(usage: &str) -> String {
    usage.replace("[OPTIONS]", "[OPTIONEN]")
}

/// `text` without ANSI SGR sequences (`ESC [ … m`).
fn strip_styles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn string(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    }
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The German text of `e`, or `None` for the kinds left to clap.
fn german(e: &clap::Error) -> Option<String> {
    let mut lines = Vec::new();
    let error = t!("report.error");
    match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = string(e, ContextKind::InvalidArg)?;
            let value = string(e, ContextKind::InvalidValue).unwrap_or_default();
            let mut first = format!("{error} {}", t!("clap.invalid-value", value = value, arg = arg));
            if e.kind() == ErrorKind::ValueValidation {
                // The parser's reason: clap's source, or the text a
                // hand-made error carries (`request_args::PolicyIdParser`).
                match (std::error::Error::source(e), string(e, ContextKind::Custom)) {
                    (Some(source), _) => first.push_str(&format!(": {source}")),
                    (None, Some(reason)) => first.push_str(&format!(": {reason}")),
                    (None, None) => {}
                }
            }
            lines.push(first);
            let valid = strings(e, ContextKind::ValidValue);
            if !valid.is_empty() {
                lines.push(t!("clap.possible-values", values = valid.join(", ")));
            }
            if let Some(s) = string(e, ContextKind::SuggestedValue) {
                lines.push(String::new());
                lines.push(t!("clap.did-you-mean", value = s));
            }
        }
        ErrorKind::UnknownArgument => {
            let arg = string(e, ContextKind::InvalidArg)?;
            lines.push(format!("{error} {}", t!("clap.unknown-argument", arg = arg)));
            if let Some(s) = string(e, ContextKind::SuggestedArg) {
                lines.push(String::new());
                lines.push(t!("clap.did-you-mean-arg", arg = s));
            }
        }
        ErrorKind::InvalidSubcommand => {
            let command = string(e, ContextKind::InvalidSubcommand)?;
            lines.push(format!("{error} {}", t!("clap.unknown-command", command = command)));
            if let Some(s) = string(e, ContextKind::SuggestedSubcommand) {
                lines.push(String::new());
                lines.push(t!("clap.did-you-mean-command", command = s));
            }
        }
        ErrorKind::MissingRequiredArgument => {
            lines.push(format!("{error} {}", t!("clap.missing-arguments")));
            lines.extend(strings(e, ContextKind::InvalidArg).into_iter().map(|a| format!("  {a}")));
        }
        ErrorKind::ArgumentConflict => {
            let arg = string(e, ContextKind::InvalidArg)?;
            lines.push(match string(e, ContextKind::PriorArg) {
                Some(other) if other == arg => format!("{error} {}", t!("clap.repeated", arg = arg)),
                Some(other) => format!("{error} {}", t!("clap.conflict", arg = arg, other = other)),
                None => format!("{error} {}", t!("clap.conflict-alone", arg = arg)),
            });
        }
        ErrorKind::TooManyValues => {
            let arg = string(e, ContextKind::InvalidArg)?;
            let value = string(e, ContextKind::InvalidValue).unwrap_or_default();
            lines.push(format!("{error} {}", t!("clap.too-many-values", value = value, arg = arg)));
        }
        ErrorKind::MissingSubcommand => {
            let command = string(e, ContextKind::InvalidSubcommand)?;
            lines.push(format!("{error} {}", t!("clap.missing-command", command = command)));
            let valid = strings(e, ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                lines.push(t!("clap.commands", commands = valid.join(", ")));
            }
        }
        _ => return None,
    }
    if let Some(usage) = string(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").map_or(usage, str::trim_start);
        lines.push(String::new());
        lines.push(format!("{} {}", t!("clap.usage"), usage_in_german(usage)));
    }
    lines.push(String::new());
    lines.push(t!("clap.more"));
    Some(lines.join("\n"))
}
