//! TOML documents with errors located by file, line and column.
//!
//! Config, policy and subject files are all TOML read into structs that deny
//! unknown keys. The `toml` crate reports a byte span; this module turns it
//! into `path:line:column: message`, the form every editor can jump to.

use crate::exit::ExitKind;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// A TOML file that did not parse into the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {}", path.display(), shown(message))]
pub struct Error {
    /// The file.
    pub path: PathBuf,
    /// 1-based line of the problem (1 when the parser gave no position).
    pub line: usize,
    /// 1-based column of the problem.
    pub column: usize,
    /// What is wrong: the parser's message, or for a syntax error a
    /// rephrasing that names what was expected (see [`rephrase`]).
    pub message: String,
    /// The right form, when known (e.g. `date = 2026-12-01`).
    pub example: Option<String>,
}

impl Error {
    /// The exit code class: always bad input (a file the user wrote).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// `base` (what the file's kind asks for), with the right form when
    /// known.
    pub fn hint_with(&self, base: &str) -> String {
        match &self.example {
            Some(example) => crate::t!("toml.with-example", base = base, example = example),
            None => base.to_string(),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match &self.example {
            Some(example) => {
                crate::t!("toml.with-example", base = crate::t!("toml.fix-file"), example = example)
            }
            None => crate::t!("toml.fix-file"),
        })
    }
}

/// Parses `text` (the content of `path`) as `T`.
///
/// # Errors
/// Malformed TOML, a missing or unknown key, or a value of the wrong type;
/// the error carries the position and the parser's message.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        let raw = e.message().trim().to_string();
        // A syntax error (the text is no TOML at all) gets words a
        // non-programmer can act on; a shape error (unknown key, wrong
        // type) already names the key.
        let syntax = toml::from_str::<toml::Table>(text).is_err();
        let line_text = text.lines().nth(line - 1).unwrap_or("");
        let (message, example) = if syntax { rephrase(line_text, &raw) } else { (raw, None) };
        Error { path: path.to_path_buf(), line, column, message, example }
    })
}

/// `message` in the interface language: serde's messages about a file's
/// shape ("missing field `capacity`", "unknown field `nmae`, expected one
/// of …") are English text made inside serde; in German their fixed words
/// are translated, the names and serde's descriptions of types kept.
/// [`Error::message`] itself stays serde's text (callers match on it).
pub fn shown(message: &str) -> String {
    shown_in(crate::i18n::ui(), message)
}

/// [`shown`] in `lang`.
pub fn shown_in(lang: crate::i18n::UiLang, message: &str) -> String {
    if lang == crate::i18n::UiLang::En {
        return message.to_string();
    }
    let name_and_rest = |prefix: &str| -> Option<(String, String)> {
        let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
        let (name, rest) = rest.split_once('`')?;
        Some((name.to_string(), rest.to_string()))
    };
    let expected = |rest: &str| -> Option<String> {
        if rest.is_empty() {
            return Some(String::new());
        }
        if rest == ", there are no fields" {
            return Some(crate::t_in!(lang, "toml.serde.no-fields"));
        }
        if let Some(list) = rest.strip_prefix(", expected one of ") {
            return Some(crate::t_in!(lang, "toml.serde.expected-one-of", list = list));
        }
        rest.strip_prefix(", expected ").map(|one| crate::t_in!(lang, "toml.serde.expected", what = one))
    };
    let translated = if let Some((name, rest)) = name_and_rest("missing field ") {
        rest.is_empty().then(|| crate::t_in!(lang, "toml.serde.missing-field", name = name))
    } else if let Some((name, rest)) = name_and_rest("duplicate field ") {
        rest.is_empty().then(|| crate::t_in!(lang, "toml.serde.duplicate-field", name = name))
    } else if let Some((name, rest)) = name_and_rest("unknown field ") {
        expected(&rest).map(|e| crate::t_in!(lang, "toml.serde.unknown-field", name = name, expected = e))
    } else if let Some((name, rest)) = name_and_rest("unknown variant ") {
        expected(&rest).map(|e| crate::t_in!(lang, "toml.serde.unknown-variant", name = name, expected = e))
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        rest.split_once(", expected ")
            .map(|(t, e)| crate::t_in!(lang, "toml.serde.invalid-type", found = t, expected = e))
    } else if let Some(rest) = message.strip_prefix("invalid value: ") {
        rest.split_once(", expected ")
            .map(|(v, e)| crate::t_in!(lang, "toml.serde.invalid-value", found = v, expected = e))
    } else {
        None
    };
    translated.unwrap_or_else(|| message.to_string())
}

/// A TOML syntax error in plain words, from the offending line: what the
/// value looks like, what TOML expects instead and an example of the right
/// form. Falls back to the parser's words with a generic example.
pub fn rephrase(line: &str, raw: &str) -> (String, Option<String>) {
    let Some((key, value)) = line.split_once('=') else {
        return (crate::t!("toml.not-key-value", raw = raw), Some("name = \"Erika Mustermann\"".into()));
    };
    let (key, value) = (key.trim(), value.trim());
    let value = value.split(" #").next().unwrap_or(value).trim();
    let digits_and = |seps: &[char]| {
        !value.is_empty()
            && value.chars().all(|c| c.is_ascii_digit() || seps.contains(&c))
            && value.chars().any(|c| seps.contains(&c))
    };
    if digits_and(&['.', '/']) && value.matches(['.', '/']).count() == 2 {
        // 01.12.2026, 2026/12/01, 12/01/2026
        let parts: Vec<&str> = value.split(['.', '/']).collect();
        let iso = match parts.as_slice() {
            [d, m, y] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
            [y, m, d] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
            _ => "2026-12-01".into(),
        };
        return (crate::t!("toml.not-a-date", value = value), Some(format!("{key} = {iso}")));
    }
    let first = value.chars().next();
    if first.is_some_and(|c| c.is_alphabetic()) && !matches!(value, "true" | "false") {
        return (
            crate::t!("toml.needs-quotes", value = value),
            Some(format!("{key} = \"{}\"", value.replace('"', ""))),
        );
    }
    if value.is_empty() {
        return (crate::t!("toml.no-value", key = key), Some(format!("{key} = \"…\"")));
    }
    if value.starts_with('"') && !value[1..].contains('"') {
        return (crate::t!("toml.no-closing-quote", key = key), Some(format!("{key} = {value}\"")));
    }
    (crate::t!("toml.not-a-value", value = value, raw = raw), Some(crate::t!("toml.value-examples", key = key)))
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Smtp {
        host: String,
        port: u16,
    }

    #[test]
    fn serde_shape_messages_in_german() {
        use crate::i18n::UiLang::{De, En};
        let de = |m: &str| shown_in(De, m);
        assert_eq!(de("missing field `capacity`"), "das Feld `capacity` fehlt");
        assert_eq!(
            de("unknown field `nmae`, expected one of `name`, `email`"),
            "unbekanntes Feld `nmae`, erwartet wird eines von `name`, `email`"
        );
        assert_eq!(de("unknown field `x`, expected `name`"), "unbekanntes Feld `x`, erwartet wird `name`");
        assert_eq!(
            de("unknown field `x`, there are no fields"),
            "unbekanntes Feld `x`, hier sind keine Felder erlaubt"
        );
        assert_eq!(
            de("unknown variant `king`, expected one of `data_subject`, `controller`"),
            "unbekannter Wert `king`, erwartet wird eines von `data_subject`, `controller`"
        );
        assert_eq!(
            de("invalid type: integer `3`, expected a string"),
            "falscher Typ: integer `3`, erwartet wird a string"
        );
        assert_eq!(de("duplicate field `name`"), "das Feld `name` steht doppelt");
        // Anything else, and English, as serde wrote it.
        assert_eq!(de("missing field `a` and more"), "missing field `a` and more");
        assert_eq!(de("something else"), "something else");
        assert_eq!(shown_in(En, "missing field `capacity`"), "missing field `capacity`");
    }

    #[test]
    fn errors_carry_position() {
        let e = parse::<Smtp>(Path::new("dsr.toml"), "host = \"x\"\nport = 70000\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        assert!(e.to_string().starts_with("dsr.toml:2:8: invalid value"), "{e}");
        let e = parse::<Smtp>(Path::new("a.toml"), "host = \"x\"\nport = 1\npasword = 2\n").unwrap_err();
        assert_eq!(e.to_string(), "a.toml:3:1: unknown field `pasword`, expected `host` or `port`");
        let e = parse::<Smtp>(Path::new("a.toml"), "host = x\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 8));
        assert_eq!(e.to_string(), "a.toml:1:8: the text `x` must be in double quotes");
        assert!(e.hint().unwrap().contains("`host = \"x\"`"), "{:?}", e.hint());
    }

    #[test]
    fn syntax_errors_are_rephrased_with_the_right_form() {
        let e = parse::<toml::Table>(Path::new("s.toml"), "name = \"A\"\ndate = 01.12.2026\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "`01.12.2026` is not a date TOML can read: write dates as YEAR-MONTH-DAY, without quotes"
        );
        assert_eq!(e.example.as_deref(), Some("date = 2026-12-01"));
        assert_eq!(rephrase("d = 2026/1/5", "x").1.as_deref(), Some("d = 2026-01-05"));
        assert_eq!(rephrase("name = \"Erika", "x").0, "the text after `name =` has no closing double quote");
        assert_eq!(rephrase("port =", "x").0, "`port =` has no value");
        // Shape errors keep the parser's words, which name the key.
        let e = parse::<Smtp>(Path::new("a.toml"), "host = \"x\"\nport = \"25\"\n").unwrap_err();
        assert!(e.example.is_none() && e.message.contains("invalid type"), "{e}");
    }
}

/// Serde helpers for TOML dates (`checked = 2026-11-28`) as `NaiveDate`.
///
/// TOML has a native date type that chrono's serde support does not accept;
/// these read a TOML local date (or a quoted `YYYY-MM-DD` string) and write
/// an ISO string (for `--json`). Use with `#[serde(with = "...")]`.
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Toml(toml::value::Datetime),
        Text(String),
    }

    fn from_raw<E: serde::de::Error>(raw: Raw) -> Result<NaiveDate, E> {
        let text = match raw {
            Raw::Toml(d) => {
                if d.time.is_some() || d.offset.is_some() {
                    return Err(E::custom(crate::t!("toml.date-time-not-date", value = d)));
                }
                d.to_string()
            }
            Raw::Text(s) => s,
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| E::custom(crate::t!("toml.not-a-date-value", value = text)))
    }

    /// Deserializes a date.
    ///
    /// # Errors
    /// Not a date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        from_raw(Raw::deserialize(d)?)
    }

    /// Serializes as `YYYY-MM-DD`.
    ///
    /// # Errors
    /// The serializer fails.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format("%Y-%m-%d"))
    }

    /// The same for `Option<NaiveDate>` (use with `default`).
    pub mod option {
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Deserializes an optional date.
        ///
        /// # Errors
        /// Not a date.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            Option::<super::Raw>::deserialize(d)?.map(super::from_raw).transpose()
        }

        /// Serializes as `YYYY-MM-DD` or null.
        ///
        /// # Errors
        /// The serializer fails.
        pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
                None => s.serialize_none(),
            }
        }
    }
}
