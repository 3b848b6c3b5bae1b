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
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct Error {
    /// The file.
    pub path: PathBuf,
    /// 1-based line of the problem (1 when the parser gave no position).
    pub line: usize,
    /// 1-based column of the problem.
    pub column: usize,
    /// The parser's message, first line only (no source snippet).
    pub message: String,
}

impl Error {
    /// The exit code class: always bad input (a file the user wrote).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some("fix the file at that line and column".into())
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
        Error { path: path.to_path_buf(), line, column, message: e.message().trim().to_string() }
    })
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
    fn errors_carry_position() {
        let e = parse::<Smtp>(Path::new("dsr.toml"), "host = \"x\"\nport = 70000\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        assert!(e.to_string().starts_with("dsr.toml:2:8: invalid value"), "{e}");
        let e = parse::<Smtp>(Path::new("a.toml"), "host = \"x\"\nport = 1\npasword = 2\n").unwrap_err();
        assert_eq!(e.to_string(), "a.toml:3:1: unknown field `pasword`, expected `host` or `port`");
        let e = parse::<Smtp>(Path::new("a.toml"), "host = x\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 8));
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
                    return Err(E::custom(format!("expected a date like 2026-11-28, found the date-time {d}")));
                }
                d.to_string()
            }
            Raw::Text(s) => s,
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| E::custom(format!("expected a date like 2026-11-28, found '{text}'")))
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
