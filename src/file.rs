//! Reading files the user names, with errors that say which file and why.
//!
//! Every path a user gives (`--subject`, `--attach`, a policy, a reply .eml)
//! goes through here, so that "is a directory", "is empty", "is binary" and
//! "cannot be read" read the same everywhere and always name the path.

use crate::exit::ExitKind;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Why a user-named file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file does not exist.
    #[error("{}: no such file", path.display())]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// The path names a directory where a file was expected.
    #[error("{}: is a directory, expected a file", path.display())]
    Directory {
        /// The path as given.
        path: PathBuf,
    },
    /// The file exists but could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The path as given.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The file has no content.
    #[error("{}: file is empty", path.display())]
    Empty {
        /// The path as given.
        path: PathBuf,
    },
    /// A text file contains a NUL byte or is not UTF-8.
    #[error("{}: not a UTF-8 text file (byte {offset} is not text)", path.display())]
    NotText {
        /// The path as given.
        path: PathBuf,
        /// Offset of the first offending byte.
        offset: usize,
    },
}

impl Error {
    /// The exit code class: always bad input (the user named the file).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotFound { .. } => {
                Some("check the path; relative paths are taken from the current directory".into())
            }
            Error::Directory { .. } => Some("name a file inside that directory".into()),
            Error::Read { .. } => Some("check the file's permissions".into()),
            Error::Empty { .. } => Some("the file must not be empty".into()),
            Error::NotText { .. } => {
                Some("this must be a UTF-8 text file (TOML, CSV, .eml); was a binary file given by mistake?".into())
            }
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Error::NotFound { path }
            | Error::Directory { path }
            | Error::Read { path, .. }
            | Error::Empty { path }
            | Error::NotText { path, .. } => path,
        }
    }
}

/// Reads a whole file as bytes; fails if it is missing, a directory,
/// unreadable or empty.
///
/// # Errors
/// Every variant of [`Error`] except [`Error::NotText`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    let meta = fs::metadata(path).map_err(|e| classify(path, e))?;
    if meta.is_dir() {
        return Err(Error::Directory { path: path.to_path_buf() });
    }
    let bytes = fs::read(path).map_err(|e| classify(path, e))?;
    if bytes.is_empty() {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(bytes)
}

/// Reads a whole file as UTF-8 text; fails as [`read_bytes`] does, and also
/// when the content has a NUL byte or is not UTF-8.
///
/// # Errors
/// Every variant of [`Error`].
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read_bytes(path)?;
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::NotText { path: path.to_path_buf(), offset });
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::NotText { path: path.to_path_buf(), offset: e.utf8_error().valid_up_to() })
}

fn classify(path: &Path, e: io::Error) -> Error {
    let path = path.to_path_buf();
    match e.kind() {
        io::ErrorKind::NotFound => Error::NotFound { path },
        io::ErrorKind::IsADirectory => Error::Directory { path },
        _ => Error::Read { path, source: e },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bad_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        assert_eq!(read_text(&missing).unwrap_err().to_string(), format!("{}: no such file", missing.display()));
        assert!(matches!(read_text(dir.path()), Err(Error::Directory { .. })));
        let empty = dir.path().join("empty.toml");
        fs::write(&empty, b"").unwrap();
        assert!(matches!(read_text(&empty), Err(Error::Empty { .. })));
        let bin = dir.path().join("bin.toml");
        fs::write(&bin, b"ab\0cd").unwrap();
        assert!(matches!(read_text(&bin), Err(Error::NotText { offset: 2, .. })));
        let latin1 = dir.path().join("latin1.toml");
        fs::write(&latin1, b"name = \"M\xfcller\"").unwrap();
        assert!(matches!(read_text(&latin1), Err(Error::NotText { offset: 9, .. })));
    }
}
