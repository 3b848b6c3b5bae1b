//! Golden files and snapshots: the one bless mechanism of the repository.
//!
//! Every comparison with a file under `tests/golden/` goes through this
//! module: the letters and identity records (`src/letter`, `src/identity.rs`),
//! the golden message (`src/mail/message.rs`), the log fixtures
//! (`tests/e2e/log.rs`), and the `--help` and error-output snapshots
//! (`tests/e2e/snapshots.rs` and the command tests). It is built on snapbox.
//!
//! `DSR_BLESS=1 cargo test` (or `DSR_BLESS=1 ./scripts/test`) rewrites every
//! golden file that differs, and creates missing ones; then review the
//! change with `git diff tests/golden` and commit it with the code that
//! caused it. Without `DSR_BLESS` a difference fails the test with a diff.
//!
//! Two kinds of comparison:
//! - [`assert_golden`]: byte for byte (line endings included), for files
//!   that are evidence in themselves: letters, messages, log fixtures.
//! - [`assert_snapshot`]: text in which the parts that vary from run to run
//!   (temp paths, ports, pids, request ids, hashes) are replaced by
//!   placeholders such as `[ROOT]` or `[PORT]` ([`Redactions`]). Everything
//!   else must match exactly.
//!
//! This file is compiled twice, into the library's unit tests (`src/lib.rs`,
//! `#[cfg(test)]`) and into the e2e binary (`tests/support/mod.rs`), so both
//! bless the same way; it uses only std and snapbox.

#![allow(dead_code)]

pub use snapbox::Redactions;
use snapbox::assert::Action;
use snapbox::data::DataFormat;
use snapbox::{Assert, Data};
use std::path::{Path, PathBuf};

/// The variable that turns comparing into rewriting.
pub const BLESS_ENV: &str = "DSR_BLESS";

/// Whether this run rewrites golden files (`DSR_BLESS` set, not empty or `0`).
pub fn blessing() -> bool {
    std::env::var_os(BLESS_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// `tests/golden/<rel>` in the repository.
pub fn golden_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(rel)
}

fn assert() -> Assert {
    // No path normalisation: `\` stays `\` (dsr runs on Unix, and escaped
    // control characters like `\r\n` must show as they are).
    Assert::new().action(if blessing() { Action::Overwrite } else { Action::Verify }).normalize_paths(false)
}

#[track_caller]
fn fail(error: impl std::fmt::Display) -> ! {
    panic!(
        "{error}\nhelp: if the change is intended, run `{BLESS_ENV}=1 cargo test` and review `git diff tests/golden`"
    )
}

/// Compares `actual` with `tests/golden/<rel>` byte for byte (with
/// `DSR_BLESS`: writes it). A difference is shown as a text diff where
/// both sides are text.
#[track_caller]
pub fn assert_golden(rel: &str, actual: impl AsRef<[u8]>) {
    assert_file(&golden_path(rel), actual.as_ref());
}

/// [`assert_golden`] for a file elsewhere in the repository (the log
/// fixtures in `tests/fixtures/logs/`).
#[track_caller]
pub fn assert_file(path: &Path, actual: &[u8]) {
    if std::fs::read(path).is_ok_and(|expected| expected == actual) {
        return;
    }
    if blessing() {
        // Binary data are written as they are: no newline or path filters.
        let expected = Data::read_from(path, Some(DataFormat::Binary));
        if let Err(e) = assert().try_eq(Some(&"actual"), Data::binary(actual), expected) {
            fail(e);
        }
        return;
    }
    let diff = std::str::from_utf8(actual).ok().and_then(|text| {
        let expected = Data::read_from(path, Some(DataFormat::Text)).raw();
        assert().try_eq(Some(&"actual"), Data::text(text), expected).err()
    });
    match diff {
        Some(e) => fail(e),
        None => fail(format!(
            "{}: differs from the actual bytes only in line endings or in bytes that are not UTF-8",
            path.display()
        )),
    }
}

/// Compares the text `actual` with `tests/golden/<rel>` after replacing
/// what `redactions` name by their placeholders (with `DSR_BLESS`: writes
/// it, placeholders included).
#[track_caller]
pub fn assert_snapshot(rel: &str, actual: &str, redactions: Redactions) {
    if let Err(e) = try_snapshot(rel, actual, redactions) {
        fail(e);
    }
}

/// [`assert_snapshot`] that returns the failure, for tests that check many
/// snapshots and report every difference at once.
pub fn try_snapshot(rel: &str, actual: &str, redactions: Redactions) -> Result<(), String> {
    let expected = Data::read_from(&golden_path(rel), Some(DataFormat::Text));
    assert().redact_with(redactions).try_eq(Some(&"actual"), Data::text(actual), expected).map_err(|e| e.to_string())
}
