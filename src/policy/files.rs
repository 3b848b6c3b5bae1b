//! Where policy and authority files are: embedded in the binary, or
//! `*.toml` files in a directory.
//!
//! A leaf of `policy` (it uses only [`super::problem`]'s id rule): the
//! catalog ([`super::load`]), the authorities ([`super::authority`]) and
//! the lint ([`super::check`]) all find their files here.

use super::Error;
use super::problem::is_valid_id;
use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

/// `policies/` of the source tree: curated policies, `imported/`,
/// `authorities/`.
pub(super) static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/policies");

/// The embedded authority files (`policies/authorities/*.toml`).
pub(super) fn built_in_authorities() -> impl Iterator<Item = &'static include_dir::File<'static>> {
    BUILT_IN
        .get_dir("authorities")
        .into_iter()
        .flat_map(|d| d.files())
        .filter(|f| f.path().extension().and_then(|e| e.to_str()) == Some("toml"))
}

/// The text of the embedded authority `<id>.toml`.
pub(super) fn built_in_authority_text(id: &str) -> Option<&'static str> {
    if !is_valid_id(id) {
        return None;
    }
    BUILT_IN.get_file(format!("authorities/{id}.toml")).and_then(|f| f.contents_utf8())
}

/// The `.toml` files directly inside `dir`, sorted.
///
/// # Errors
/// The directory cannot be read.
pub fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::Dir { path: dir.to_path_buf(), source: e })?;
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| Error::Dir { path: dir.to_path_buf(), source: e })?;
        let p = entry.path();
        if p.extension().and_then(|e| e.to_str()) == Some("toml") && p.is_file() {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}
