//! A real SMTP server for tests: `smtp_capture.py` (aiosmtpd) in a child
//! process, on a free loopback port, storing every message byte-exact.
//!
//! `SmtpServer::start(SmtpOptions { … })` runs the script with the test
//! Python (`$DSR_TEST_PYTHON`, else `.venv/bin/python` in the repository,
//! else `python3`), waits for its `READY port=N` line (no fixed ports, no
//! sleeps) and returns. `messages()` reads what the server stored: the exact
//! DATA bytes and the envelope/session facts from the JSON sidecar. `Drop`
//! kills the child by its own PID; the script also exits when its stdin
//! closes, so a crashed test leaves no server behind.
//!
//! Magic recipients (see the script): `tempfail@` → 451, `tempfail-once@` →
//! 451 the first time only, `permfail@` → 550,
//! `datafail@` → 554 after DATA, `dropdata@` → connection dropped after DATA,
//! `stall@` → no reply after DATA.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How the test server behaves.
#[derive(Debug, Clone, Default)]
pub struct SmtpOptions {
    /// Offer STARTTLS with a certificate made at start.
    pub starttls: bool,
    /// Refuse mail until STARTTLS was done.
    pub require_starttls: bool,
    /// Speak TLS from the first byte (SMTPS).
    pub implicit_tls: bool,
    /// Accepted AUTH PLAIN/LOGIN users as (user, password).
    pub users: Vec<(String, String)>,
    /// Refuse mail without AUTH.
    pub auth_required: bool,
    /// Advertise AUTH on a plaintext connection too.
    pub auth_without_tls: bool,
    /// Store every message, then close the connection without a reply.
    pub drop_after_data: bool,
    /// Store every message, then never reply.
    pub stall_after_data: bool,
    /// Name the envelope sender in the final reply to DATA.
    pub echo_sender: bool,
    /// Refuse the session: `Some("greeting")` (554 greeting) or
    /// `Some("ehlo")` (500 to EHLO and HELO).
    pub refuse: Option<&'static str>,
}

/// One message as the server stored it.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The DATA bytes exactly as received (dot-unstuffed).
    pub bytes: Vec<u8>,
    /// MAIL FROM.
    pub mail_from: String,
    /// Accepted RCPT TO addresses.
    pub rcpt_tos: Vec<String>,
    /// The AUTH login, if the client authenticated.
    pub auth_login: Option<String>,
    /// Whether the session was encrypted.
    pub tls: bool,
    /// True when the server never sent its final reply (drop/stall modes).
    pub dropped: bool,
    /// The queue id the server named in its final reply ("queued as …").
    pub queue_id: Option<String>,
    /// The client's (address, port): equal ports mean one connection.
    pub peer: Option<(String, u16)>,
    /// The path of the stored .eml.
    pub path: PathBuf,
}

/// A running test server. See the module docs.
pub struct SmtpServer {
    child: Child,
    _stdin: ChildStdin,
    dir: tempfile::TempDir,
    port: u16,
}

/// The Python that runs the test scripts.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("DSR_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = super::repo().join(".venv/bin/python");
    if venv.exists() { venv } else { PathBuf::from("python3") }
}

/// A script in `tests/support/`.
pub fn script(name: &str) -> PathBuf {
    super::repo().join("tests/support").join(name)
}

/// Runs `tests/support/<name>` with the test Python and returns its output.
pub fn run_script(name: &str, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(python()).arg(script(name)).args(args).output().expect("run the test Python")
}

impl SmtpServer {
    /// Starts a server and waits until it accepts connections.
    ///
    /// Panics (the test fails) when the script cannot start; the message
    /// includes its stderr.
    pub fn start(opts: SmtpOptions) -> SmtpServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cmd = Command::new(python());
        cmd.arg(script("smtp_capture.py")).arg("--maildir").arg(dir.path().join("maildir"));
        if opts.starttls || opts.implicit_tls {
            cmd.arg("--make-cert").arg(dir.path().join("tls"));
        }
        let flags = [
            (opts.starttls, "--starttls"),
            (opts.require_starttls, "--require-starttls"),
            (opts.implicit_tls, "--implicit-tls"),
            (opts.auth_required, "--auth-required"),
            (opts.auth_without_tls, "--auth-without-tls"),
            (opts.drop_after_data, "--drop-after-data"),
            (opts.stall_after_data, "--stall-after-data"),
            (opts.echo_sender, "--echo-sender"),
        ];
        for (on, flag) in flags {
            if on {
                cmd.arg(flag);
            }
        }
        if let Some(at) = opts.refuse {
            cmd.arg("--refuse").arg(at);
        }
        for (user, pass) in &opts.users {
            cmd.arg("--auth").arg(format!("{user}:{pass}"));
        }
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", python().display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr_pipe = child.stderr.take().expect("piped stderr");
        let stderr = std::thread::spawn(move || {
            let mut buf = String::new();
            let _ = stderr_pipe.read_to_string(&mut buf);
            buf
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let ready = lines
                .by_ref()
                .map_while(Result::ok)
                .find_map(|l| l.strip_prefix("READY port=").and_then(|p| p.trim().parse::<u16>().ok()));
            let _ = tx.send(ready);
            for _ in lines {} // keep draining
        });
        let port = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(port)) => port,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                let err = stderr.join().unwrap_or_default();
                panic!("smtp_capture.py did not become ready ({other:?}); stderr:\n{err}");
            }
        };
        SmtpServer { child, _stdin: stdin, dir, port }
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The PEM certificate to trust (self-signed, made at start); only
    /// with TLS options.
    pub fn ca_pem_path(&self) -> PathBuf {
        self.dir.path().join("tls/cert.pem")
    }

    /// A scratch directory that lives as long as the server.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Every stored message, oldest first.
    pub fn messages(&self) -> Vec<Captured> {
        let new = self.dir.path().join("maildir/new");
        let mut names: Vec<PathBuf> = match std::fs::read_dir(&new) {
            Ok(rd) => {
                rd.map(|e| e.expect("dir entry").path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect()
            }
            Err(_) => return Vec::new(),
        };
        names.sort();
        names
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).expect("read .eml");
                let meta_path = PathBuf::from(format!("{}.json", path.display()));
                let meta: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&meta_path).expect("read sidecar")).expect("sidecar JSON");
                Captured {
                    bytes,
                    mail_from: meta["mail_from"].as_str().unwrap_or_default().to_string(),
                    rcpt_tos: meta["rcpt_tos"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                        .unwrap_or_default(),
                    auth_login: meta["auth_login"].as_str().map(String::from),
                    tls: meta["tls"].as_bool().unwrap_or(false),
                    dropped: meta["dropped"].as_bool().unwrap_or(false),
                    queue_id: meta["queue_id"].as_str().map(String::from),
                    peer: meta["peer"].as_array().and_then(|p| {
                        Some((p.first()?.as_str()?.to_string(), u16::try_from(p.get(1)?.as_u64()?).ok()?))
                    }),
                    path,
                }
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
