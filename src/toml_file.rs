//! TOML documents with errors located by file, line and column.
//!
//! Config, policy and subject files are all TOML read into structs that deny
//! unknown keys. The `toml` crate reports a byte span; this module turns it
//! into `path:line:column: message`, the form every editor can jump to.

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
