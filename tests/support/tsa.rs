//! A real RFC 3161 time-stamping authority on loopback: `openssl ts
//! -reply` behind Python's http.server (`tests/support/tsa_server.py`),
//! with a CA and a TSA certificate made by openssl at start. What it does
//! with the next request (answer, refuse, hang, …) is switched with
//! [`TsaServer::set_mode`].

use super::smtp::{python, script};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running TSA; stopped when dropped.
pub struct TsaServer {
    child: Child,
    _stdin: ChildStdin,
    dir: tempfile::TempDir,
    port: u16,
}

impl TsaServer {
    /// Starts a TSA whose keys are `key` (`"ec"` P-256 or `"rsa"`).
    pub fn start(key: &str) -> TsaServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(python())
            .arg(script("tsa_server.py"))
            .arg("--dir")
            .arg(dir.path().join("tsa"))
            .arg("--key")
            .arg(key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tsa_server.py");
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
            for _ in lines {}
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(port)) => TsaServer { child, _stdin: stdin, dir, port },
            other => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("tsa_server.py did not become ready ({other:?}): {}", stderr.join().unwrap_or_default());
            }
        }
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/tsa", self.port)
    }

    /// The CA certificate the TSA's chains to (PEM).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("tsa/ca.pem")
    }

    /// The server's directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// How it answers from now on: ok, refuse, reject, hang, garbage, wrong.
    pub fn set_mode(&self, mode: &str) {
        std::fs::write(self.dir.path().join("tsa/mode"), mode).expect("write the TSA's mode");
    }

    /// `[timestamp]` naming this TSA as `name`, with `timeout_secs`.
    pub fn config(&self, name: &str, timeout_secs: u64) -> String {
        format!(
            "\n[timestamp]\ntimeout_secs = {timeout_secs}\n\n[[timestamp.tsa]]\nname = \"{name}\"\nurl = \"{}\"\nca_file = \"{}\"\n",
            self.url(),
            self.ca_file().display()
        )
    }
}

impl Drop for TsaServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
