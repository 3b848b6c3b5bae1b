//! What the lints report, and the id and URL rules they share.
//!
//! A leaf of `policy`: both lints ([`super::check`] for policies,
//! [`super::authority`] for supervisory authorities) and the file lookup
//! ([`super::files`]) use these, and this module uses none of them, so the
//! submodules depend on each other in one direction only:
//! `problem` ← `files` ← `authority` ← `check` ← `load`.

use serde::de::DeserializeOwned;
use std::path::Path;

/// One thing wrong with a policy or authority file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted field path (`preconditions[2].de`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// The result of linting one policy or authority file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    /// The file (or `policies/<id>.toml (built-in)`).
    pub file: String,
    /// The policy's id, when it parsed.
    pub id: Option<String>,
    /// Problems, each `field: message`; a parse error is one problem with
    /// field `line:column`.
    pub problems: Vec<ReportedProblem>,
}

/// One problem in a [`FileReport`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportedProblem {
    /// Dotted field path, or `line:column` for a parse error.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// The longest policy, authority or precondition id, in characters (all
/// ASCII, so bytes too).
pub const MAX_ID_CHARS: usize = 100;

/// True for a valid policy, authority or precondition id: lowercase ASCII
/// letters, digits and dashes, starting with a letter or digit, at most
/// [`MAX_ID_CHARS`] characters.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

/// True for an absolute http(s) URL without whitespace.
pub(crate) fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && s.len() > 8 && !s.chars().any(char::is_whitespace)
}

/// Lints one file's text: a parse error is one problem at `line:column`;
/// otherwise `problems(value, file stem)` and the value's `id`.
pub(super) fn lint_text<T: DeserializeOwned>(
    file: &str,
    text: &str,
    id: impl Fn(&T) -> String,
    problems: impl Fn(&T, Option<&str>) -> Vec<Problem>,
) -> FileReport {
    let path = Path::new(file);
    let stem = path.file_stem().and_then(|s| s.to_str());
    match crate::toml_file::parse::<T>(path, text) {
        Err(e) => FileReport {
            file: file.to_string(),
            id: None,
            problems: vec![ReportedProblem { field: format!("{}:{}", e.line, e.column), message: e.message }],
        },
        Ok(v) => FileReport {
            file: file.to_string(),
            id: Some(id(&v)),
            problems: problems(&v, stem)
                .into_iter()
                .map(|p| ReportedProblem { field: p.field, message: p.message })
                .collect(),
        },
    }
}
