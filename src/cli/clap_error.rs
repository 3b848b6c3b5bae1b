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
    if i18n::ui() == UiLang::De
        && let Some(text) = german(&e)
    {
        super::output::stderr_line(text.trim_end());
        std::process::exit(e.exit_code());
    }
    e.exit()
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
            if e.kind() == ErrorKind::ValueValidation
                && let Some(source) = std::error::Error::source(e)
            {
                first.push_str(&format!(": {source}"));
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
                Some(other) => format!("{error} {}", t!("clap.conflict", arg = arg, other = other)),
                None => format!("{error} {}", t!("clap.conflict-alone", arg = arg)),
            });
        }
        _ => return None,
    }
    if let Some(usage) = string(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").map_or(usage, str::trim_start);
        lines.push(String::new());
        lines.push(format!("{} {usage}", t!("clap.usage")));
    }
    lines.push(String::new());
    lines.push(t!("clap.more"));
    Some(lines.join("\n"))
}
