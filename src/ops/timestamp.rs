//! Trusted time (RFC 3161): a time-stamping authority's token over a
//! signed checkpoint, stored as an object and logged.
//!
//! After every command that appends, once its checkpoint is signed
//! (`cli/seal.rs`), [`timestamp_latest`] sends the checkpoint's note to each
//! configured TSA (`[timestamp]`, docs/config.md). A granted token whose
//! imprint and nonce check out ([`crate::evidence::tsp`]) is stored and a
//! `timestamped` line names it once its signature and certificate pass
//! [`crate::evidence::tsa_trust`] (chained to the TSA's `ca_file` when
//! configured); anything else (no connection, a timeout,
//! HTTP 500, a rejection, bytes that are no token, a token over something
//! else) is a `timestamp_failed` line with the reason. Neither ever fails
//! the command: the send happened and is logged either way. `dsr log
//! timestamp` catches up: it timestamps the latest checkpoint, which
//! covers every line before it.
//!
//! The network call is made without the log's lock (a slow TSA must not
//! block other dsr commands); the lines are appended afterwards. The
//! `timestamped` line itself is covered by the next checkpoint, never by
//! the one it timestamps: no loop.

use crate::config::Tsa;
use crate::evidence::{self, Log, LoggedCheckpoint, NewEvent, Sha256, tsp};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

pub use crate::evidence::tsp::{TIMESTAMP_FAILED_EVENT, TIMESTAMPED_EVENT, TOKEN_ROLE};
/// The largest reply read (tokens are a few KiB; a certificate chain a few more).
const MAX_REPLY: usize = 256 * 1024;

/// What one TSA gave for one checkpoint.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The TSA's name.
    pub tsa: String,
    /// The logged line.
    pub entry: evidence::Entry,
    /// The token's genTime, or why there is no token.
    pub result: Result<DateTime<Utc>, String>,
}

/// Requests a token over `cp` from each TSA and logs the outcome (one line
/// per TSA). Errors only when the log cannot be written.
///
/// # Errors
/// The log cannot be opened or appended to.
pub fn timestamp_checkpoint(
    data_dir: &std::path::Path,
    cp: &LoggedCheckpoint,
    tsas: &[Tsa],
    now: impl Fn() -> DateTime<Utc>,
) -> Result<Vec<Outcome>, evidence::Error> {
    let digest = *Sha256::digest(cp.note.note.as_bytes()).as_bytes();
    let results: Vec<Result<tsp::Token, String>> = tsas.iter().map(|tsa| request_token(tsa, &digest)).collect();
    let mut log = Log::open(data_dir)?;
    let checkpoint = json!({
        "seq": cp.seq,
        "size": cp.note.checkpoint.size,
        "root": cp.note.checkpoint.root,
    });
    let mut outcomes = Vec::new();
    for (tsa, result) in tsas.iter().zip(results) {
        let event = match &result {
            Ok(token) => {
                let stored = log.store().put(&token.der)?;
                NewEvent::new(
                    now(),
                    TIMESTAMPED_EVENT,
                    None,
                    json!({
                        "checkpoint": checkpoint,
                        "tsa": tsa.name,
                        "url": tsa.url,
                        "gen_time": token.gen_time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                        "serial": token.serial,
                        "objects": [stored.with_role(TOKEN_ROLE)],
                    }),
                )
            }
            Err(reason) => NewEvent::new(
                now(),
                TIMESTAMP_FAILED_EVENT,
                None,
                json!({ "checkpoint": checkpoint, "tsa": tsa.name, "url": tsa.url, "reason": reason }),
            ),
        };
        let entry = log.append(event)?;
        outcomes.push(Outcome {
            tsa: tsa.name.clone(),
            entry,
            result: result.map(|t| t.gen_time).map_err(|e| e.clone()),
        });
    }
    Ok(outcomes)
}

/// Where the log stands for `dsr log timestamp`.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    /// Lines after the latest checkpoint line other than `timestamped` and
    /// `timestamp_failed` (a new checkpoint must be signed first).
    pub unsealed: bool,
    /// The TSAs that timestamped the latest checkpoint line.
    pub done: std::collections::HashSet<String>,
}

/// Reads the log once (without the lock) for [`Pending`].
///
/// # Errors
/// The log cannot be read or does not parse.
pub fn pending(data_dir: &std::path::Path) -> Result<Pending, evidence::Error> {
    let mut p = Pending::default();
    let mut latest: Option<u64> = None;
    for entry in evidence::read_entries(data_dir)? {
        let entry = entry?;
        if entry.event == evidence::CHECKPOINT_EVENT {
            latest = Some(entry.seq);
            p = Pending::default();
        } else if entry.event == TIMESTAMPED_EVENT {
            let seq = entry.data.pointer("/checkpoint/seq").and_then(serde_json::Value::as_u64);
            if seq.is_some()
                && seq == latest
                && let Some(name) = entry.data.get("tsa").and_then(|v| v.as_str())
            {
                p.done.insert(name.to_string());
            }
        } else if entry.event != TIMESTAMP_FAILED_EVENT {
            p.unsealed = true;
        }
    }
    Ok(p)
}

/// One TSA's token over `digest`, checked (imprint, nonce, signature,
/// certificate), or why not.
fn request_token(tsa: &Tsa, digest: &[u8; 32]) -> Result<tsp::Token, String> {
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| format!("no random nonce: {e}"))?;
    let body = tsp::request(digest, &nonce);
    let reply = post(&tsa.url, &body, Duration::from_secs(tsa.timeout_secs))?;
    let token = tsp::parse_response(&reply).map_err(|e| e.to_string())?;
    token.check(digest, Some(&nonce)).map_err(|e| e.to_string())?;
    let trust = match &tsa.ca_file {
        None => None,
        Some(ca) => {
            let pem = std::fs::read(ca).map_err(|e| format!("cannot read its ca_file {}: {e}", ca.display()))?;
            Some(evidence::tsa_trust::Trust::from_pem(&ca.display().to_string(), &pem)?)
        }
    };
    evidence::tsa_trust::verify(&token.der, token.gen_time, trust.as_ref())
        .map_err(|e| format!("its {token} is refused: {e}"))?;
    Ok(token)
}

/// POSTs `body` as `application/timestamp-query` to an `http://` URL and
/// returns the reply body of a 200 response. `timeout` bounds the
/// connect, each read and write, and the whole exchange.
fn post(url: &str, body: &[u8], timeout: Duration) -> Result<Vec<u8>, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("{url} is not an http:// URL"))?;
    let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
    let host_port = if authority.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let started = Instant::now();
    let addrs: Vec<_> = host_port.to_socket_addrs().map_err(|e| format!("cannot resolve {authority}: {e}"))?.collect();
    let mut last = format!("cannot resolve {authority}");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = format!("cannot connect to {addr}: {e}"),
        }
    }
    let mut stream = stream.ok_or(last)?;
    let io = |e: std::io::Error| {
        if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) {
            format!("no answer within {} s", timeout.as_secs())
        } else {
            format!("connection failed: {e}")
        }
    };
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: dsr/{}\r\nContent-Type: application/timestamp-query\r\n\
         Accept: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION"),
        body.len()
    );
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).map_err(io)?;
    let mut reply = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if started.elapsed() > timeout {
            return Err(format!("no complete answer within {} s", timeout.as_secs()));
        }
        let n = stream.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        reply.extend_from_slice(&buf[..n]);
        if reply.len() > MAX_REPLY {
            return Err(format!("the reply is larger than {} KiB", MAX_REPLY / 1024));
        }
        if let Some(done) = complete(&reply) {
            return done;
        }
    }
    complete(&reply).unwrap_or_else(|| Err("the connection closed before a complete HTTP reply".into()))
}

/// The body of a complete HTTP reply in `raw`, `None` while incomplete.
fn complete(raw: &[u8]) -> Option<Result<Vec<u8>, String>> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let body = &raw[end + 4..];
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default();
    let code = status.split(' ').nth(1).unwrap_or_default();
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    if code != "200" {
        return Some(Err(format!("HTTP {}", status.split_once(' ').map_or(status, |(_, s)| s))));
    }
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        return dechunk(body).map(Ok);
    }
    match header("content-length") {
        Some(len) => match len.parse::<usize>() {
            Ok(len) if body.len() >= len => Some(Ok(body[..len].to_vec())),
            Ok(_) => None,
            Err(_) => Some(Err(format!("a bad Content-Length {len:?}"))),
        },
        None => None, // read to the end (Connection: close)
    }
}

/// A complete chunked body, `None` while incomplete.
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&raw[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or_default().trim(), 16).ok()?;
        raw = &raw[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if raw.len() < size + 2 {
            return None;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_replies() {
        assert_eq!(complete(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"), Some(Ok(b"abc".to_vec())));
        assert_eq!(complete(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab"), None);
        assert_eq!(
            complete(b"HTTP/1.0 500 Internal Server Error\r\n\r\n"),
            Some(Err("HTTP 500 Internal Server Error".into()))
        );
        assert_eq!(
            complete(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n"),
            Some(Ok(b"abc".to_vec()))
        );
        assert_eq!(complete(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n"), None);
        assert_eq!(complete(b"HTTP/1.1 200 OK\r\n"), None);
    }

    #[test]
    fn a_closed_port_is_a_prompt_failure() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let e = post(&format!("http://127.0.0.1:{port}/"), b"x", Duration::from_secs(5)).unwrap_err();
        assert!(e.starts_with("cannot connect to 127.0.0.1"), "{e}");
    }
}
