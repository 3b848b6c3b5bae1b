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
//! The top-level `[args]` holds the arguments that mean the same wherever
//! they appear (the request's options that `send` and `render` share); a
//! command's own `args` win. `[values]` describes the possible values of
//! options (`erasure`, `post`, `refused` …) by name; an option whose
//! values all have a German text lists them in German. Whatever the file
//! lacks keeps its English text.

use crate::i18n::{self, UiLang};
use clap::{Arg, ArgAction, Command};

/// clap's help layout with the usage heading in German.
const TEMPLATE_DE: &str = "{before-help}{about-with-newline}\nAufruf: {usage}\n\n{all-args}{after-help}";

/// `cmd` with its help in the interface language.
pub fn localized(cmd: Command) -> Command {
    localized_in(cmd, i18n::ui())
}

/// [`localized`] for `lang`.
fn localized_in(cmd: Command, lang: UiLang) -> Command {
    if lang != UiLang::De {
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
    let mut cmd = apply(cmd, Some(&root), &table, true);
    cmd.build();
    help_subcommands(cmd)
}

/// clap's `help` subcommand (made when the tree is built) in German, in
/// every command that has subcommands.
fn help_subcommands(mut cmd: Command) -> Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| {
            if name == "help" {
                let ids: Vec<clap::Id> = s.get_arguments().map(|a| a.get_id().clone()).collect();
                let s = s.about("Diese Hilfe oder die der genannten Befehle anzeigen").help_template(TEMPLATE_DE);
                ids.into_iter().fold(s, |s, id| s.mut_arg(id, |a| a.help_heading("Argumente").value_name("BEFEHL")))
            } else {
                help_subcommands(s)
            }
        });
    }
    cmd
}

fn sub_table(t: &toml::Table, key: &str) -> toml::Table {
    t.get(key).and_then(toml::Value::as_table).cloned().unwrap_or_default()
}

fn text<'t>(t: Option<&'t toml::Table>, key: &str) -> Option<&'t str> {
    t?.get(key)?.as_str()
}

/// `a` with its possible values described in German from `[values]`, when
/// every value it shows has a German text there: the list goes into the
/// help text itself (`Mögliche Werte:`), and clap's English one is hidden.
fn with_german_values(a: Arg, values: &toml::Table) -> Arg {
    let shown: Vec<clap::builder::PossibleValue> =
        a.get_possible_values().into_iter().filter(|v| !v.is_hide_set()).collect();
    // Flags (`--json`) have the possible values true and false, never shown.
    if shown.is_empty() || a.is_hide_possible_values_set() || !a.get_action().takes_values() {
        return a;
    }
    if shown.iter().all(|v| v.get_help().is_none()) {
        // Bare names (the shells): only the bracket is clap's English.
        let names: Vec<&str> = shown.iter().map(|v| v.get_name()).collect();
        let help = a.get_help().map(ToString::to_string).unwrap_or_default();
        return a.help(format!("{help} [mögliche Werte: {}]", names.join(", "))).hide_possible_values(true);
    }
    let german: Option<Vec<(String, String)>> = shown
        .iter()
        .map(|v| Some((v.get_name().to_string(), values.get(v.get_name())?.as_str()?.to_string())))
        .collect();
    let Some(german) = german else { return a };
    let help = a.get_help().map(ToString::to_string).unwrap_or_default();
    let names: Vec<&str> = german.iter().map(|(n, _)| n.as_str()).collect();
    // clap wraps these lines without a hanging indent: no column padding.
    let list: Vec<String> = german.iter().map(|(n, t)| format!("- {n}: {t}")).collect();
    let short = format!("{help} [mögliche Werte: {}]", names.join(", "));
    let long = format!("{help}\n\nMögliche Werte:\n{}", list.join("\n"));
    a.help(short).long_help(long).hide_possible_values(true)
}

/// The German placeholder for one of clap's value names (`<FILE>` →
/// `<DATEI>`), as GNU tools show them under a German locale; the German
/// help and hint texts name the same words (`--eml DATEI`). Names that
/// read the same in German (`ID`, `TEXT`, `HASH`, `N`) keep theirs.
fn value_name_de(name: &str) -> &str {
    match name {
        "FILE" => "DATEI",
        "DIR" => "VERZEICHNIS",
        "LANG" => "SPRACHE",
        "REQUEST" => "ANTRAG",
        "YYYY-MM-DD" => "JJJJ-MM-TT",
        "PATHS" => "PFADE",
        "DATE" => "DATUM",
        "CHANNEL" => "KANAL",
        "KIND" => "ART",
        "KEY" => "SCHLÜSSEL",
        "NEW" => "NEU",
        "OLD" => "ALT",
        "VIA" => "WEG",
        "REASON" => "GRUND",
        "POLICY" => "PROFIL",
        "LETTER" => "BUCHSTABE",
        "EMAIL" => "E-MAIL",
        "STATE" => "STAND",
        "ROLE" => "FUNKTION",
        "PLACE" => "ORT",
        "OUTCOME" => "ERGEBNIS",
        "NUMBER" => "NUMMER",
        "LINE" => "ZEILE",
        "DAYS" => "TAGE",
        "SHELL" => "SHELL",
        other => other,
    }
}

/// `--flag VALUE` with the value name in the interface language, as the
/// help page shows it (`--subject DATEI`).
pub(crate) fn flag_with_value(flag: &str, value: &str) -> String {
    match i18n::ui() {
        UiLang::En => format!("{flag} {value}"),
        UiLang::De => format!("{flag} {}", value_name_de(value)),
    }
}

/// `a` with its value names in German ([`value_name_de`]).
fn with_german_value_names(a: Arg) -> Arg {
    let Some(names) = a.get_value_names() else { return a };
    let german: Vec<String> = names.iter().map(|n| value_name_de(n.as_str()).to_string()).collect();
    if german.iter().zip(names).all(|(g, n)| g == n.as_str()) {
        return a;
    }
    a.value_names(german)
}

/// `top` is the whole table: its `[args]` and `[values]` serve every
/// command.
/// `a` with clap's `[default: …]` and `[env: …]` notes in German.
fn with_german_defaults(a: Arg) -> Arg {
    let mut notes = Vec::new();
    if !a.is_hide_default_value_set()
        && !a.get_default_values().is_empty()
        && a.get_num_args().is_none_or(|n| n.takes_values())
    {
        let d: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        notes.push(format!("[Standard: {}]", d.join(", ")));
    }
    if let Some(env) = a.get_env().filter(|_| !a.is_hide_env_set()) {
        notes.push(format!("[Umgebungsvariable: {}]", env.to_string_lossy()));
    }
    if notes.is_empty() {
        return a;
    }
    let add = |text: Option<String>| text.map(|t| format!("{t} {}", notes.join(" ")));
    let (help, long) = (add(a.get_help().map(ToString::to_string)), add(a.get_long_help().map(ToString::to_string)));
    let a = a.hide_default_value(true).hide_env(true);
    let a = match help {
        Some(h) => a.help(h),
        None => a,
    };
    match long {
        Some(l) => a.long_help(l),
        None => a,
    }
}

/// `cmd` and its subcommands in German. On the `root` page `-h` and `-V`
/// keep clap's own heading, so that they come before the global options as
/// on the English page (`clap_error::german_help` names it `Optionen:`);
/// on every other page the command's options come first anyway.
fn apply(mut cmd: Command, t: Option<&toml::Table>, top: &toml::Table, root: bool) -> Command {
    cmd = cmd.help_template(TEMPLATE_DE).subcommand_help_heading("Befehle").subcommand_value_name("BEFEHL");
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
    let (shared, values) = (&sub_table(top, "args"), &sub_table(top, "values"));
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        let help = args.get(id.as_str()).or_else(|| shared.get(id.as_str()));
        let help = help.and_then(toml::Value::as_str).map(str::to_string);
        cmd = cmd.mut_arg(id, |a| {
            let heading = match a.get_help_heading() {
                Some("Global options") => "Globale Optionen".to_string(),
                Some(other) => other.to_string(),
                None if a.is_positional() => "Argumente".to_string(),
                None => "Optionen".to_string(),
            };
            let a = with_german_value_names(a.help_heading(heading));
            let a = match help {
                Some(h) => a.help(h).long_help(None::<&'static str>),
                None => a,
            };
            with_german_defaults(with_german_values(a, values))
        });
    }
    // clap's own flags, in German.
    let long = cmd.get_long_about().is_some() || cmd.get_arguments().any(|a| a.get_long_help().is_some());
    let heading = if root { None } else { Some("Optionen") };
    let help = Arg::new("help").short('h').long("help").action(ArgAction::Help).help_heading(heading);
    let help = if long {
        help.help("Hilfe anzeigen (mehr mit '--help')").long_help("Hilfe anzeigen (kurz mit '-h')")
    } else {
        help.help("Hilfe anzeigen")
    };
    let version = Arg::new("version").short('V').long("version").action(ArgAction::Version).help("Version anzeigen");
    cmd = cmd.disable_help_flag(true).arg(help).disable_version_flag(true).arg(version.help_heading(heading));
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub = t.and_then(|t| t.get(&name)).and_then(toml::Value::as_table).cloned();
        cmd = cmd.mut_subcommand(&name, |s| apply(s, sub.as_ref(), top, false));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// clap's own consistency checks hold for the German tree too (a
    /// setting that clap refuses would panic in a debug build only).
    #[test]
    fn the_german_command_passes_clap_debug_asserts() {
        localized_in(super::super::Cli::command(), UiLang::De).debug_assert();
    }

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
        fn has_arg(cmd: &Command, id: &str) -> bool {
            cmd.get_arguments().any(|a| a.get_id() == id) || cmd.get_subcommands().any(|s| has_arg(s, id))
        }
        let table: toml::Table = i18n::HELP_DE.parse().unwrap();
        let mut bad = Vec::new();
        let mut cmd = super::super::Cli::command();
        cmd.build();
        for (key, value) in &table {
            match (key.as_str(), value) {
                ("dsr", toml::Value::Table(t)) => check(&cmd, t, "dsr", &mut bad),
                ("args", toml::Value::Table(t)) => bad.extend(
                    t.keys().filter(|id| !has_arg(&cmd, id)).map(|id| format!("[args] {id}: no command has it")),
                ),
                ("values", toml::Value::Table(t)) => {
                    bad.extend(t.iter().filter(|(_, v)| !v.is_str()).map(|(k, _)| format!("[values] {k}: not a text")))
                }
                (other, _) => bad.push(format!("{other}: only [dsr], [args] and [values] belong at the top")),
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    /// The first page a German user sees is German throughout (the summary,
    /// the examples, every global option and every command's one-liner),
    /// and so is every command's whole page.
    #[test]
    fn every_help_page_is_complete_in_german() {
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
        // Every command has its whole page in German.
        fn walk(cmd: &Command, t: Option<&toml::Table>, path: &str, shared: &toml::Table, missing: &mut Vec<String>) {
            for key in ["about", "long_about"] {
                if text(t, key).is_none() {
                    missing.push(format!("[{path}] {key}"));
                }
            }
            let own = t.map(|t| sub_table(t, "args")).unwrap_or_default();
            for a in cmd.get_arguments().filter(|a| !a.is_global_set()) {
                let id = a.get_id().as_str();
                if !own.contains_key(id) && !shared.contains_key(id) {
                    missing.push(format!("[{path}.args] {id}"));
                }
            }
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let st = t.and_then(|t| t.get(sub.get_name())).and_then(toml::Value::as_table);
                walk(sub, st, &format!("{path}.{}", sub.get_name()), shared, missing);
            }
        }
        let shared = sub_table(&table, "args");
        for sub in cmd.get_subcommands() {
            let st = root.get(sub.get_name()).and_then(toml::Value::as_table);
            walk(sub, st, &format!("dsr.{}", sub.get_name()), &shared, &mut missing);
        }
        assert!(missing.is_empty(), "German help lacks: {}", missing.join(", "));
    }
}
