//! Help pages in the interface language.
//!
//! clap builds the help from the doc comments in `src/cli/` (English).
//! When the interface is German, [`localized`] puts the German texts of
//! `i18n/help.de.toml` in their place and renames clap's own headings and
//! flags (`Usage:` → `Aufruf:`, `Options:` → `Optionen:`, `Print help` →
//! `Hilfe anzeigen` …).
//!
//! `help.de.toml` has one table per command, named by its path from
//! `dsr` (`[dsr]`, `[dsr.send]`, `[dsr.policy.check]`), with `about` (the
//! one-line summary), optionally `long_about` (the text of `--help`, else
//! `about` is used there too) and `after_long_help` (the examples after
//! the options), and a sub-table `args` of the arguments' help by their
//! id (`[dsr.send.args] to = "…"`; the global options under `[dsr.args]`).
//! Whatever it lacks keeps its English text.

use crate::i18n::{self, UiLang};
use clap::{Arg, ArgAction, Command};

/// clap's help layout with the usage heading in German.
const TEMPLATE_DE: &str = "{before-help}{about-with-newline}\nAufruf: {usage}\n\n{all-args}{after-help}";

/// `cmd` with its help in the interface language.
pub fn localized(cmd: Command) -> Command {
    if i18n::ui() != UiLang::De {
        return cmd;
    }
    let Ok(table) = i18n::HELP_DE.parse::<toml::Table>() else {
        // Checked by the tests; a broken table keeps the English help.
        return cmd;
    };
    let root = table.get("dsr").and_then(toml::Value::as_table).cloned().unwrap_or_default();
    // Before clap builds the tree: the global options are then copied into
    // every subcommand with their German text, after the command's own
    // options and its help and version flags, which keeps the command's
    // options first on each page.
    let mut cmd = apply(cmd, Some(&root));
    cmd.build();
    match cmd.find_subcommand("help") {
        Some(_) => cmd.mut_subcommand("help", |s| {
            let ids: Vec<clap::Id> = s.get_arguments().map(|a| a.get_id().clone()).collect();
            let s = s.about("Diese Hilfe oder die der genannten Befehle anzeigen").help_template(TEMPLATE_DE);
            ids.into_iter().fold(s, |s, id| s.mut_arg(id, |a| a.help_heading("Argumente")))
        }),
        None => cmd,
    }
}

fn sub_table(t: &toml::Table, key: &str) -> toml::Table {
    t.get(key).and_then(toml::Value::as_table).cloned().unwrap_or_default()
}

fn text<'t>(t: Option<&'t toml::Table>, key: &str) -> Option<&'t str> {
    t?.get(key)?.as_str()
}

fn apply(mut cmd: Command, t: Option<&toml::Table>) -> Command {
    cmd = cmd.help_template(TEMPLATE_DE).subcommand_help_heading("Befehle");
    if let Some(about) = text(t, "about") {
        cmd = cmd.about(about.to_string());
        cmd = match text(t, "long_about") {
            Some(long) => cmd.long_about(long.to_string()),
            None => cmd.long_about(None::<&'static str>),
        };
    }
    if let Some(after) = text(t, "after_long_help") {
        cmd = cmd.after_long_help(after.to_string());
    }
    let args = t.map(|t| sub_table(t, "args")).unwrap_or_default();
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        let help = args.get(id.as_str()).and_then(toml::Value::as_str).map(str::to_string);
        cmd = cmd.mut_arg(id, |a| {
            let heading = match a.get_help_heading() {
                Some("Global options") => "Globale Optionen".to_string(),
                Some(other) => other.to_string(),
                None if a.is_positional() => "Argumente".to_string(),
                None => "Optionen".to_string(),
            };
            let a = a.help_heading(heading);
            match help {
                Some(h) => a.help(h).long_help(None::<&'static str>),
                None => a,
            }
        });
    }
    // clap's own flags, in German.
    let long = cmd.get_long_about().is_some() || cmd.get_arguments().any(|a| a.get_long_help().is_some());
    let help = Arg::new("help").short('h').long("help").action(ArgAction::Help).help_heading("Optionen");
    let help = if long {
        help.help("Hilfe anzeigen (mehr mit '--help')").long_help("Hilfe anzeigen (kurz mit '-h')")
    } else {
        help.help("Hilfe anzeigen")
    };
    let version = Arg::new("version").short('V').long("version").action(ArgAction::Version).help("Version anzeigen");
    cmd = cmd.disable_help_flag(true).arg(help).disable_version_flag(true).arg(version.help_heading("Optionen"));
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub = t.and_then(|t| t.get(&name)).and_then(toml::Value::as_table).cloned();
        cmd = cmd.mut_subcommand(&name, |s| apply(s, sub.as_ref()));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every table of `help.de.toml` names a command that exists and every
    /// `args` key an argument of it: a renamed option cannot leave a German
    /// text behind that nobody sees.
    #[test]
    fn every_german_help_text_belongs_to_a_command_or_argument() {
        fn check(cmd: &Command, t: &toml::Table, path: &str, bad: &mut Vec<String>) {
            for (key, value) in t {
                match (key.as_str(), value) {
                    ("about" | "long_about" | "after_long_help", toml::Value::String(_)) => {}
                    ("args", toml::Value::Table(args)) => {
                        for id in args.keys() {
                            if !cmd.get_arguments().any(|a| a.get_id() == id.as_str()) {
                                bad.push(format!("[{path}.args] {id}: no such argument"));
                            }
                        }
                    }
                    (name, toml::Value::Table(sub)) => match cmd.find_subcommand(name) {
                        Some(s) => check(s, sub, &format!("{path}.{name}"), bad),
                        None => bad.push(format!("[{path}.{name}]: no such command")),
                    },
                    (other, _) => bad.push(format!("[{path}] {other}: not a help text")),
                }
            }
        }
        let table: toml::Table = i18n::HELP_DE.parse().unwrap();
        let mut bad = Vec::new();
        let mut cmd = super::super::Cli::command();
        cmd.build();
        check(&cmd, table["dsr"].as_table().unwrap(), "dsr", &mut bad);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    /// The first page a German user sees is German throughout: the summary,
    /// the examples, every global option and every command's one-liner.
    #[test]
    fn the_main_help_page_is_complete_in_german() {
        let table: toml::Table = i18n::HELP_DE.parse().unwrap();
        let root = table["dsr"].as_table().unwrap();
        let mut missing = Vec::new();
        for key in ["about", "after_long_help"] {
            if text(Some(root), key).is_none() {
                missing.push(format!("[dsr] {key}"));
            }
        }
        let args = sub_table(root, "args");
        let cmd = super::super::Cli::command();
        for a in cmd.get_arguments() {
            if !args.contains_key(a.get_id().as_str()) {
                missing.push(format!("[dsr.args] {}", a.get_id()));
            }
        }
        for s in cmd.get_subcommands() {
            if text(root.get(s.get_name()).and_then(toml::Value::as_table), "about").is_none() {
                missing.push(format!("[dsr.{}] about", s.get_name()));
            }
        }
        assert!(missing.is_empty(), "German help lacks: {}", missing.join(", "));
    }
}
