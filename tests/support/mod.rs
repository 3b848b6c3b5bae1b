//! Test support: a fresh directory and a command for the built binary.
//!
//! `TestEnv::new()` is ripgrep's `setup()`: every test gets its own temp
//! dir as the working directory and `HOME`, an environment without `DSR_*`,
//! `XDG_*` or `LANG`, and writes its own `dsr.toml` when it needs one.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub mod smtp;
pub mod snapshot;

/// A fresh working directory for one test.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    /// A new, empty environment.
    pub fn new() -> TestEnv {
        TestEnv { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// The working directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the working directory.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating directories) and returns its path.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write");
        p
    }

    /// Reads a file as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).expect("read")
    }

    /// Writes the standard test config (sender, data dir `data`, outbox).
    pub fn with_config(self) -> TestEnv {
        self.write("dsr.toml", TEST_CONFIG);
        self
    }

    /// `dsr` with a clean environment, run in this directory.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("dsr").expect("binary built");
        c.current_dir(self.path());
        c.env_clear();
        c.env("HOME", self.path());
        c.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        c
    }

    /// `dsr ARGS…`.
    pub fn dsr(&self, args: &[&str]) -> Command {
        let mut c = self.cmd();
        c.args(args);
        c
    }
}

/// A config for tests: a German organisation, evidence in `./data`.
pub const TEST_CONFIG: &str = r#"
data_dir = "data"
language = "de"

[sender]
name = "Dr. Anna Beispiel"
organisation = "Beispiel Handels GmbH"
role = "Datenschutzbeauftragte"
address = ["Musterstraße 12", "10115 Berlin", "Deutschland"]
email = "datenschutz@beispiel-handel.example"
calendar = "DE-BE"
"#;

/// The repository root (for `policies/`, `examples/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
