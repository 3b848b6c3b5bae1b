//! Test support: a fresh directory and a command for the built binary.
//!
//! `TestEnv::new()` is ripgrep's `setup()`: every test gets its own temp
//! dir as the working directory and `HOME`, an environment without `DSR_*`,
//! `XDG_*` or `LANG` (but `DSR_YES=1`: no terminal to confirm on), and writes its own `dsr.toml` when it needs one.
//!
//! What a user sees is pinned with [`assert_output`]: exit code, stdout and
//! stderr of one run, compared with `tests/golden/<name>.txt` after the parts
//! that vary are replaced by placeholders ([`TestEnv::placeholders`]); see
//! `snapshot.rs` for blessing. Helpers more than one test module needs
//! live here once: [`files`], [`parse_eml`], [`closed_port`], [`sha256_hex`],
//! [`smtp_plain`].

#![allow(dead_code)]

use assert_cmd::Command;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

pub mod imap;
pub mod postfix;
pub mod smtp;
pub mod snapshot;
pub mod tsa;

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
        // clap wraps help at the terminal width (at most 100): pin it.
        c.env("COLUMNS", "100");
        // No terminal here: confirm every step as a script would. A test
        // of the question itself removes it (`env_remove("DSR_YES")`).
        c.env("DSR_YES", "1");
        c
    }

    /// `dsr ARGS…`.
    pub fn dsr(&self, args: &[&str]) -> Command {
        let mut c = self.cmd();
        c.args(args);
        c
    }

    /// The placeholders of every snapshot taken in this environment:
    /// `[ROOT]` for its directory, `[REPO]` for the repository.
    pub fn placeholders(&self) -> Placeholders {
        let mut p = Placeholders(snapshot::Redactions::new());
        p.path("[ROOT]", self.path());
        if let Ok(canonical) = self.path().canonicalize() {
            p.path("[ROOT]", &canonical);
        }
        p.path("[REPO]", &repo());
        p
    }
}

/// What varies between runs, and the placeholder each becomes in a snapshot.
#[derive(Clone)]
pub struct Placeholders(snapshot::Redactions);

impl Placeholders {
    fn path(&mut self, placeholder: &'static str, path: &Path) {
        self.0.insert(placeholder, path.to_path_buf()).expect("placeholder is [A-Z_]");
    }

    /// Replaces `value` (as a whole word: a port is not replaced inside a
    /// longer number or a hash) by `placeholder`, e.g. `[PORT]`, `[PID]`,
    /// `[REQUEST]`.
    pub fn with(mut self, placeholder: &'static str, value: impl std::fmt::Display) -> Placeholders {
        let value = value.to_string();
        assert!(!value.is_empty(), "{placeholder}: empty value");
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let pattern = format!(
            "{}{}{}",
            if word(value.chars().next()) { r"\b" } else { "" },
            regex::escape(&value),
            if word(value.chars().last()) { r"\b" } else { "" },
        );
        self.0.insert(placeholder, regex::Regex::new(&pattern).expect("escaped")).expect("placeholder is [A-Z_]");
        self
    }

    /// Replaces every match of `pattern` by `placeholder` (for values a test
    /// cannot know, like the hash of an object it did not write).
    pub fn pattern(mut self, placeholder: &'static str, pattern: &str) -> Placeholders {
        self.0.insert(placeholder, regex::Regex::new(pattern).expect("valid regex")).expect("placeholder is [A-Z_]");
        self
    }
}

impl From<Placeholders> for snapshot::Redactions {
    fn from(p: Placeholders) -> snapshot::Redactions {
        p.0
    }
}

/// One run as a user saw it: the command, the exit code, stdout (when
/// there is any) and stderr.
pub fn transcript<S: AsRef<OsStr>>(args: &[S], code: Option<i32>, stdout: &[u8], stderr: &[u8]) -> String {
    let quote = |a: &S| {
        let a = a.as_ref().to_string_lossy();
        if a.contains(char::is_control) {
            format!("{a:?}")
        } else if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
            format!("'{}'", a.replace('\'', "'\\''"))
        } else {
            a.into_owned()
        }
    };
    let mut text = format!("$ dsr {}\n", args.iter().map(quote).collect::<Vec<_>>().join(" "));
    match code {
        Some(code) => text.push_str(&format!("exit {code}\n")),
        None => text.push_str("killed by a signal\n"),
    }
    for (name, bytes) in [("stdout", stdout), ("stderr", stderr)] {
        if name == "stderr" || !bytes.is_empty() {
            text.push_str(&format!("--- {name}\n{}", String::from_utf8_lossy(bytes)));
        }
    }
    text
}

/// Checks one run against the snapshot `tests/golden/<name>.txt`: exit
/// code, stdout (must be empty unless the snapshot shows it) and stderr,
/// exactly, with `placeholders` replaced.
#[track_caller]
pub fn assert_output<S: AsRef<OsStr>>(name: &str, args: &[S], out: &std::process::Output, placeholders: Placeholders) {
    assert_transcript(name, &transcript(args, out.status.code(), &out.stdout, &out.stderr), placeholders);
}

/// Checks a [`transcript`] against the snapshot `tests/golden/<name>.txt`.
#[track_caller]
pub fn assert_transcript(name: &str, transcript: &str, placeholders: Placeholders) {
    snapshot::assert_snapshot(&format!("{name}.txt"), transcript, placeholders.0);
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

/// `examples/subject-person.toml` with a postal address (a letter for
/// post needs one for its return line), written into `env`; its path.
pub fn subject_with_address(env: &TestEnv) -> String {
    let text = std::fs::read_to_string(repo().join("examples/subject-person.toml")).expect("the example subject");
    let email = "email = \"erika.mustermann@beispiel-handel.example\"\n";
    assert!(text.contains(email), "the example subject's email line");
    let text = text.replacen(email, &format!("{email}address = [\"Hauptstraße 3\", \"10115 Berlin\"]\n"), 1);
    env.write("subject-with-address.toml", text).display().to_string()
}

/// The repository root (for `policies/`, `examples/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` with its bytes, sorted by path (empty if `dir`
/// does not exist).
pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// A delivered message as Python's `email` package reads it
/// (`tests/support/parse_eml.py`).
pub fn parse_eml(path: &Path) -> serde_json::Value {
    let out = smtp::run_script("parse_eml.py", &[path.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A loopback port nothing listens on, and the error text connecting to
/// it gives (`Connection refused (os error 111)` on Linux).
///
/// A port freed here can be taken at once by another test's server (they
/// run in parallel): then another is tried.
pub fn closed_port() -> (u16, String) {
    for _ in 0..20 {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        if let Err(refused) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            return (port, refused.to_string());
        }
    }
    panic!("no closed loopback port found in 20 tries");
}

/// The SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    dsr::evidence::Sha256::digest(bytes).to_string()
}

/// `[smtp]` for a plaintext test server on loopback (allowed without TLS).
pub fn smtp_plain(port: u16) -> String {
    format!("\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\ntimeout_secs = 10\n")
}

/// Standard base64 with padding (the encoding of SMTP AUTH), for tests that
/// search output for a password in every form it could leak in.
pub fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() { ABC[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

/// A password as it could appear on the wire or in a leak: itself, its
/// base64, and the base64 of AUTH PLAIN's two layouts for `user`.
pub fn secret_forms(user: &str, pw: &str) -> Vec<String> {
    vec![
        pw.to_string(),
        base64(pw.as_bytes()),
        base64(format!("\0{user}\0{pw}").as_bytes()),
        base64(format!("{user}\0{user}\0{pw}").as_bytes()),
    ]
}

/// The standard sender with `[smtp]` to plain SMTP on loopback `port` (no
/// retries, 5 s timeout), policies from `policies/`, and the Zendesk
/// policy sending to `<local>@mueller-soehne.example` (a magic recipient
/// of the test server: `privacy` accepts, `dropdata` drops the connection
/// after DATA); `subject.toml` is the example person.
pub fn zendesk_over_smtp(port: u16, local: &str) -> TestEnv {
    let env = TestEnv::new();
    let policy = std::fs::read_to_string(repo().join("policies/zendesk.toml"))
        .expect("zendesk policy")
        .replace("euprivacy@zendesk.com", &format!("{local}@mueller-soehne.example"));
    env.write("policies/zendesk.toml", policy);
    env.write(
        "dsr.toml",
        format!(
            "data_dir = \"data\"\npolicies_dir = \"policies\"\n\n[sender]\nname = \"Dr. Anna Beispiel\"\n\
             organisation = \"Beispiel Handels GmbH\"\nemail = \"datenschutz@beispiel-handel.example\"\n\
             calendar = \"DE-BE\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\nretries = 0\n\
             timeout_secs = 5\n"
        ),
    );
    env.write("subject.toml", std::fs::read(repo().join("examples/subject-person.toml")).expect("example subject"));
    env
}

/// Exit code, stdout and stderr of a run, for an assertion's message.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Copies the directory tree `from` to `to` (made if missing): a data
/// directory to tamper with or upgrade without touching the original.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
