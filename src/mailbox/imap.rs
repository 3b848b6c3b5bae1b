//! A small synchronous IMAP4rev1 client (RFC 3501) over rustls: what
//! `dsr mail sync` needs and nothing more.
//!
//! LOGIN, EXAMINE (read-only: dsr never changes a flag), UID SEARCH, UID
//! FETCH of `BODY.PEEK[]` (the exact bytes, without setting `\Seen`),
//! IDLE (RFC 2177), APPEND and LOGOUT, over TLS from the first byte or
//! STARTTLS (required: a server that does not offer it is refused). The
//! password is sent only inside TLS and never appears in an error.
//!
//! Responses are read line by line; a line ending in a literal `{N}` is
//! followed by N bytes, read exactly (bounded by [`MAX_LITERAL`]).

use super::Error;
use crate::config::{Imap, ImapTls};
use crate::secret::Secret;
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// The largest literal (message) accepted: the limit of a reply file.
pub const MAX_LITERAL: usize = crate::file::Limit::REPLY.bytes as usize;

/// The longest response line accepted outside literals.
const MAX_LINE: usize = 1 << 20;

type Tls = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// One untagged response: its text (literals replaced by `{N}`) and the
/// literals in order.
#[derive(Debug, Default)]
pub struct Untagged {
    /// The response's lines, joined, without `* `.
    pub text: String,
    /// The literals' bytes.
    pub literals: Vec<Vec<u8>>,
}

/// A logged-in session.
pub struct Session {
    stream: Tls,
    buf: Vec<u8>,
    tag: u32,
    server: String,
}

/// What EXAMINE reports about a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Folder {
    /// UIDVALIDITY: UIDs are valid only with this value.
    pub uidvalidity: u32,
    /// The number of messages.
    pub exists: u32,
}

fn tls_config(imap: &Imap) -> Result<Arc<rustls::ClientConfig>, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut extra = Vec::new();
    if let Some(ca) = &imap.ca_file {
        let pem = crate::file::read_bytes(ca, crate::file::Limit::TEXT).map_err(Error::CaFile)?;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            extra.push(cert.map_err(|e| Error::Settings {
                field: "imap.ca_file",
                message: format!("{}: not a PEM certificate: {e}", ca.display()),
            })?);
        }
        if extra.is_empty() {
            return Err(Error::Settings {
                field: "imap.ca_file",
                message: format!("{}: no '-----BEGIN CERTIFICATE-----' in it", ca.display()),
            });
        }
    }
    let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())
        .map_err(|e| Error::Settings { field: "imap.tls", message: format!("cannot set up TLS: {e}") })?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Settings { field: "imap.tls", message: format!("cannot set up TLS: {e}") })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

impl Session {
    /// Connects, secures the connection and logs in.
    ///
    /// # Errors
    /// [`Error::Connect`], [`Error::Tls`], [`Error::Login`] (the server
    /// refused the user name or password), [`Error::Protocol`].
    pub fn connect(imap: &Imap, password: &Secret<String>) -> Result<Session, Error> {
        let server = format!("{}:{}", imap.host, imap.port);
        let connect_err = |e: std::io::Error| Error::Connect { server: server.clone(), source: e };
        let timeout = Duration::from_secs(imap.timeout_secs.max(1));
        let addr = (imap.host.as_str(), imap.port)
            .to_socket_addrs()
            .map_err(connect_err)?
            .next()
            .ok_or_else(|| connect_err(std::io::Error::other("the host name has no address")))?;
        let mut tcp = TcpStream::connect_timeout(&addr, timeout).map_err(connect_err)?;
        tcp.set_read_timeout(Some(timeout)).map_err(connect_err)?;
        tcp.set_write_timeout(Some(timeout)).map_err(connect_err)?;
        let config = tls_config(imap)?;
        let name = ServerName::try_from(imap.host.clone())
            .map_err(|e| Error::Settings { field: "imap.host", message: e.to_string() })?;
        if imap.tls == ImapTls::Starttls {
            // Before TLS nothing but the greeting and the STARTTLS reply is
            // read, byte by byte, so no encrypted byte is taken as plain.
            let greeting = plain_line(&mut tcp, &server)?;
            if !greeting.starts_with("* OK") {
                return Err(Error::Protocol { server, message: format!("unexpected greeting: {}", shown(&greeting)) });
            }
            tcp.write_all(b"s0 STARTTLS\r\n").map_err(connect_err)?;
            loop {
                let line = plain_line(&mut tcp, &server)?;
                if line.starts_with("s0 OK") {
                    break;
                }
                if line.starts_with("s0 ") {
                    return Err(Error::Tls {
                        server,
                        message: format!("the server refused STARTTLS: {}", shown(&line)),
                    });
                }
            }
        }
        let conn = rustls::ClientConnection::new(config, name)
            .map_err(|e| Error::Tls { server: server.clone(), message: e.to_string() })?;
        let mut s = Session { stream: rustls::StreamOwned::new(conn, tcp), buf: Vec::new(), tag: 0, server };
        if imap.tls == ImapTls::Tls {
            let greeting = s.line()?;
            if !greeting.starts_with(b"* OK") {
                return Err(s.protocol(format!("unexpected greeting: {}", shown(&String::from_utf8_lossy(&greeting)))));
            }
        }
        let pw = password.expose();
        if pw.chars().any(|c| c.is_control()) {
            return Err(Error::Login {
                server: s.server.clone(),
                message: "the password has a control character".into(),
            });
        }
        let cmd = format!("LOGIN {} {}", quote(&imap.username), quote(pw));
        match s.command_raw(cmd.as_bytes()) {
            Ok(_) => Ok(s),
            Err(Error::No { message, .. }) => Err(Error::Login { server: s.server.clone(), message }),
            Err(e) => Err(e),
        }
    }

    fn protocol(&self, message: String) -> Error {
        Error::Protocol { server: self.server.clone(), message }
    }

    fn io(&self, e: std::io::Error) -> Error {
        if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) {
            return Error::Timeout { server: self.server.clone() };
        }
        Error::Dropped { server: self.server.clone(), source: e }
    }

    fn fill(&mut self) -> Result<(), Error> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).map_err(|e| self.io(e))?;
        if n == 0 {
            return Err(
                self.io(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the server closed the connection"))
            );
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// One line, without CRLF.
    fn line(&mut self) -> Result<Vec<u8>, Error> {
        let mut from = 0;
        loop {
            if let Some(i) = self.buf[from..].iter().position(|&b| b == b'\n') {
                let end = from + i;
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            from = self.buf.len();
            if from > MAX_LINE {
                return Err(self.protocol(format!("a response line is longer than {MAX_LINE} bytes")));
            }
            self.fill()?;
        }
    }

    fn exact(&mut self, n: usize) -> Result<Vec<u8>, Error> {
        while self.buf.len() < n {
            self.fill()?;
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// One whole response (its literals read), as (first word, Untagged).
    fn response(&mut self) -> Result<Untagged, Error> {
        let mut r = Untagged::default();
        loop {
            let line = self.line()?;
            let text = String::from_utf8_lossy(&line).into_owned();
            let literal =
                text.strip_suffix('}').and_then(|t| t.rsplit_once('{')).and_then(|(_, n)| n.parse::<usize>().ok());
            r.text.push_str(&text);
            match literal {
                Some(n) if n > MAX_LITERAL => {
                    return Err(
                        self.protocol(format!("a message of {n} bytes is larger than the {MAX_LITERAL} accepted"))
                    );
                }
                Some(n) => {
                    let bytes = self.exact(n)?;
                    r.literals.push(bytes);
                }
                None => return Ok(r),
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.stream.write_all(bytes).and_then(|()| self.stream.flush()).map_err(|e| self.io(e))
    }

    fn next_tag(&mut self) -> String {
        self.tag += 1;
        format!("d{}", self.tag)
    }

    /// Sends `cmd` and reads until its tagged reply; the untagged
    /// responses are returned.
    fn command_raw(&mut self, cmd: &[u8]) -> Result<Vec<Untagged>, Error> {
        let tag = self.next_tag();
        let mut line = Vec::with_capacity(cmd.len() + tag.len() + 3);
        line.extend_from_slice(tag.as_bytes());
        line.push(b' ');
        line.extend_from_slice(cmd);
        line.extend_from_slice(b"\r\n");
        self.send(&line)?;
        self.until_tagged(&tag, cmd)
    }

    fn until_tagged(&mut self, tag: &str, cmd: &[u8]) -> Result<Vec<Untagged>, Error> {
        let mut untagged = Vec::new();
        loop {
            let r = self.response()?;
            if let Some(rest) = r.text.strip_prefix("* ") {
                untagged.push(Untagged { text: rest.to_string(), literals: r.literals });
                continue;
            }
            if let Some(rest) = r.text.strip_prefix(tag).and_then(|t| t.strip_prefix(' ')) {
                if rest.starts_with("OK") {
                    return Ok(untagged);
                }
                // The command is named by its first word only: LOGIN's
                // arguments hold the password.
                let verb = String::from_utf8_lossy(cmd).split(' ').take(2).collect::<Vec<_>>().join(" ");
                return Err(Error::No { server: self.server.clone(), command: verb, message: shown(rest) });
            }
            // A continuation request nobody asked for, or noise: ignored.
        }
    }

    /// EXAMINEs `folder` (read-only).
    ///
    /// # Errors
    /// [`Error::No`] (no such folder), [`Error::Protocol`] (no UIDVALIDITY).
    pub fn examine(&mut self, folder: &str) -> Result<Folder, Error> {
        let untagged = self.command_raw(format!("EXAMINE {}", quote(folder)).as_bytes())?;
        let mut uidvalidity = None;
        let mut exists = 0;
        for u in &untagged {
            if let Some(v) = u.text.split("[UIDVALIDITY ").nth(1).and_then(|t| t.split(']').next()) {
                uidvalidity = v.trim().parse().ok();
            }
            if let Some(n) = u.text.strip_suffix(" EXISTS") {
                exists = n.trim().parse().unwrap_or(0);
            }
        }
        let uidvalidity = uidvalidity.ok_or_else(|| self.protocol(format!("EXAMINE {folder}: no UIDVALIDITY")))?;
        Ok(Folder { uidvalidity, exists })
    }

    /// The UIDs of the selected folder from `from` on, ascending.
    ///
    /// # Errors
    /// As any command.
    pub fn uids_from(&mut self, from: u32) -> Result<Vec<u32>, Error> {
        let untagged = self.command_raw(format!("UID SEARCH UID {from}:*").as_bytes())?;
        let mut uids: Vec<u32> = untagged
            .iter()
            .filter_map(|u| u.text.strip_prefix("SEARCH"))
            .flat_map(|t| t.split_ascii_whitespace().filter_map(|n| n.parse().ok()).collect::<Vec<u32>>())
            // `n:*` always includes the last message, even below n.
            .filter(|&u| u >= from)
            .collect();
        uids.sort_unstable();
        uids.dedup();
        Ok(uids)
    }

    /// The exact bytes of the messages `uids`, as (UID, bytes).
    ///
    /// # Errors
    /// As any command; a FETCH response without UID or body.
    pub fn fetch(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>, Error> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let untagged = self.command_raw(format!("UID FETCH {set} (UID BODY.PEEK[])").as_bytes())?;
        let mut out = Vec::new();
        for mut u in untagged {
            if !u.text.split_ascii_whitespace().nth(1).is_some_and(|w| w.eq_ignore_ascii_case("FETCH")) {
                continue;
            }
            let uid = u
                .text
                .split("UID ")
                .nth(1)
                .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<u32>().ok());
            // A FETCH of flags only (an unsolicited update) has no body.
            let (Some(uid), Some(body)) = (uid, u.literals.pop()) else { continue };
            if uids.contains(&uid) {
                out.push((uid, body));
            }
        }
        out.sort_by_key(|(uid, _)| *uid);
        Ok(out)
    }

    /// Waits (IDLE) until the selected folder has new messages or `max`
    /// passed; then ends the IDLE. Returns whether something arrived.
    ///
    /// # Errors
    /// As any command; [`Error::Protocol`] when the server does not
    /// accept IDLE.
    pub fn idle(&mut self, max: Duration) -> Result<bool, Error> {
        let tag = self.next_tag();
        self.send(format!("{tag} IDLE\r\n").as_bytes())?;
        let first = self.response()?;
        if !first.text.starts_with('+') {
            return Err(self.protocol(format!("the server does not accept IDLE: {}", shown(&first.text))));
        }
        self.stream.sock.set_read_timeout(Some(max.max(Duration::from_secs(1)))).map_err(|e| self.io(e))?;
        let arrived = loop {
            match self.response() {
                Ok(r) if r.text.ends_with(" EXISTS") || r.text.ends_with(" RECENT") => break true,
                Ok(_) => {}
                Err(Error::Timeout { .. }) => break false,
                Err(e) => return Err(e),
            }
        };
        self.stream.sock.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| self.io(e))?;
        self.send(b"DONE\r\n")?;
        self.until_tagged(&tag, b"IDLE")?;
        Ok(arrived)
    }

    /// Stores `message` in `folder`, flagged `\Seen`.
    ///
    /// # Errors
    /// As any command ([`Error::No`]: no such folder).
    pub fn append(&mut self, folder: &str, message: &[u8]) -> Result<(), Error> {
        let tag = self.next_tag();
        self.send(format!("{tag} APPEND {} (\\Seen) {{{}}}\r\n", quote(folder), message.len()).as_bytes())?;
        loop {
            let r = self.response()?;
            if r.text.starts_with('+') {
                break;
            }
            if let Some(rest) = r.text.strip_prefix(&tag) {
                return Err(Error::No { server: self.server.clone(), command: "APPEND".into(), message: shown(rest) });
            }
        }
        self.send(message)?;
        self.send(b"\r\n")?;
        self.until_tagged(&tag, b"APPEND")?;
        Ok(())
    }

    /// Logs out (errors are ignored: the work is done).
    pub fn logout(mut self) {
        let _ = self.command_raw(b"LOGOUT");
    }
}

/// One line of the plain (pre-STARTTLS) dialogue, read byte by byte.
fn plain_line(tcp: &mut TcpStream, server: &str) -> Result<String, Error> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        let n = tcp.read(&mut b).map_err(|e| Error::Connect { server: server.to_string(), source: e })?;
        if n == 0 {
            return Err(Error::Connect {
                server: server.to_string(),
                source: std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the server closed the connection"),
            });
        }
        if b[0] == b'\n' {
            break;
        }
        line.push(b[0]);
        if line.len() > MAX_LINE {
            return Err(Error::Protocol { server: server.to_string(), message: "a greeting line is too long".into() });
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// A server's text, cut to 200 characters for an error message.
fn shown(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_escapes_quotes_and_backslashes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
