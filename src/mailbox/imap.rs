//! The IMAP client `dsr mail sync` and the Sent copies use: the
//! maintained `async-imap` (RFC 3501) over tokio and `tokio-rustls`,
//! behind a synchronous [`Session`] that hands out plain data (UIDs,
//! bytes, [`Folder`]) and this module's [`Error`].
//!
//! Each [`Session`] owns a current-thread tokio runtime and blocks on it
//! for every command: dsr's commands are synchronous, and one connection
//! needs no more threads than the caller's.
//!
//! LOGIN, EXAMINE (read-only: dsr never changes a flag), UID SEARCH, UID
//! FETCH of `BODY.PEEK[]` (the exact bytes, without setting `\Seen`),
//! IDLE (RFC 2177), APPEND and LOGOUT, over TLS from the first byte or
//! STARTTLS (required: a server that does not offer it is refused). TLS
//! is rustls with the system's roots (`rustls-platform-verifier`) plus
//! `imap.ca_file`, as for SMTP. The password is sent only inside TLS and
//! never appears in an error. Every read waits at most
//! `imap.timeout_secs`.

use super::Error;
use crate::config::{Imap, ImapTls};
use crate::secret::Secret;
use async_imap::error::Error as ImapError;
use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{Response, Status};
use futures_util::StreamExt;
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// The largest message accepted: the limit of a reply file.
pub const MAX_LITERAL: usize = crate::file::Limit::REPLY.bytes as usize;

type Inner = async_imap::Session<TlsStream<TcpStream>>;

/// A logged-in session.
pub struct Session {
    rt: tokio::runtime::Runtime,
    /// `None` only after an IDLE failed half-way: the connection is then
    /// unusable.
    inner: Option<Inner>,
    server: String,
    timeout: Duration,
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
                message: crate::t!("mailbox.imap.not-pem", path = ca.display(), reason = e),
            })?);
        }
        if extra.is_empty() {
            return Err(Error::Settings {
                field: "imap.ca_file",
                message: crate::t!("mailbox.imap.no-certificate", path = ca.display()),
            });
        }
    }
    let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())
        .map_err(|e| Error::Settings { field: "imap.tls", message: crate::t!("mailbox.imap.tls-setup", reason = e) })?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Settings { field: "imap.tls", message: crate::t!("mailbox.imap.tls-setup", reason = e) })?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// How a session's errors are named: the server, and how long a read may
/// wait.
#[derive(Clone)]
struct Peer {
    server: String,
    timeout: Duration,
}

impl Peer {
    /// `fut`, or [`Error::Timeout`] when it takes longer than the timeout.
    async fn within<T>(&self, fut: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        tokio::time::timeout(self.timeout, fut).await.unwrap_or_else(|_| Err(self.timed_out()))
    }

    fn timed_out(&self) -> Error {
        Error::Timeout { server: self.server.clone() }
    }

    fn protocol(&self, message: String) -> Error {
        Error::Protocol { server: self.server.clone(), message }
    }

    fn io(&self, e: std::io::Error) -> Error {
        if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) {
            return self.timed_out();
        }
        Error::Dropped { server: self.server.clone(), source: e }
    }

    fn lost(&self) -> Error {
        self.io(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, crate::t!("mailbox.imap.closed")))
    }

    /// async-imap's error for `command` (its first word: never its
    /// arguments, which may hold a password).
    fn imap(&self, command: &str, e: ImapError) -> Error {
        match e {
            ImapError::Io(e) => self.io(e),
            ImapError::ConnectionLost => self.lost(),
            ImapError::No(m) | ImapError::Bad(m) => {
                Error::No { server: self.server.clone(), command: command.into(), message: server_words(&m) }
            }
            ImapError::Append => Error::No {
                server: self.server.clone(),
                command: command.into(),
                message: crate::t!("mailbox.imap.append-refused"),
            },
            // The character is not shown: it may be part of a secret.
            ImapError::Validate(_) => {
                self.protocol(crate::t!("mailbox.imap.line-break-in-argument", command = command))
            }
            other => self.protocol(format!("{command}: {}", shown(&other.to_string()))),
        }
    }
}

impl Session {
    /// Connects, secures the connection and logs in.
    ///
    /// # Errors
    /// [`Error::Connect`], [`Error::Tls`], [`Error::Login`] (the server
    /// refused the user name or password), [`Error::Protocol`],
    /// [`Error::Timeout`].
    pub fn connect(imap: &Imap, password: &Secret<String>) -> Result<Session, Error> {
        let server = format!("{}:{}", imap.host, imap.port);
        let timeout = Duration::from_secs(imap.timeout_secs.max(1));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| Error::Connect { server: server.clone(), source: e })?;
        let peer = Peer { server: server.clone(), timeout };
        let inner = rt.block_on(open(imap, password, &peer))?;
        Ok(Session { rt, inner: Some(inner), server, timeout })
    }

    fn parts(&mut self) -> Result<(&tokio::runtime::Runtime, &mut Inner, Peer), Error> {
        let peer = Peer { server: self.server.clone(), timeout: self.timeout };
        match self.inner.as_mut() {
            Some(inner) => Ok((&self.rt, inner, peer)),
            None => Err(peer.lost()),
        }
    }

    /// EXAMINEs `folder` (read-only).
    ///
    /// # Errors
    /// [`Error::No`] (no such folder), [`Error::Protocol`] (no UIDVALIDITY).
    pub fn examine(&mut self, folder: &str) -> Result<Folder, Error> {
        let (rt, inner, peer) = self.parts()?;
        let mailbox =
            rt.block_on(peer.within(async { inner.examine(folder).await.map_err(|e| peer.imap("EXAMINE", e)) }))?;
        let uidvalidity = mailbox
            .uid_validity
            .ok_or_else(|| peer.protocol(crate::t!("mailbox.imap.no-uidvalidity", folder = folder)))?;
        Ok(Folder { uidvalidity, exists: mailbox.exists })
    }

    /// The UIDs of the selected folder from `from` on, ascending.
    ///
    /// # Errors
    /// As any command.
    pub fn uids_from(&mut self, from: u32) -> Result<Vec<u32>, Error> {
        let (rt, inner, peer) = self.parts()?;
        let found = rt.block_on(peer.within(async {
            inner.uid_search(format!("UID {from}:*")).await.map_err(|e| peer.imap("UID SEARCH", e))
        }))?;
        // `n:*` always includes the last message, even below n.
        let mut uids: Vec<u32> = found.into_iter().filter(|&u| u >= from).collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// The exact bytes of the messages `uids`, as (UID, bytes), ascending.
    /// Each response may take up to the timeout, not the whole batch.
    ///
    /// # Errors
    /// As any command; a message larger than [`MAX_LITERAL`]; fewer
    /// messages than asked for and a connection that no longer answers.
    pub fn fetch(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>, Error> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let (rt, inner, peer) = self.parts()?;
        let mut out = rt.block_on(async {
            let mut out = Vec::with_capacity(uids.len());
            {
                let mut stream = peer
                    .within(async {
                        inner.uid_fetch(&set, "(UID BODY.PEEK[])").await.map_err(|e| peer.imap("UID FETCH", e))
                    })
                    .await?;
                loop {
                    let next = tokio::time::timeout(peer.timeout, stream.next()).await.map_err(|_| peer.timed_out())?;
                    let Some(fetch) = next else { break };
                    let fetch = fetch.map_err(|e| peer.imap("UID FETCH", e))?;
                    // A FETCH of flags only (an unsolicited update) has no body.
                    let (Some(uid), Some(body)) = (fetch.uid, fetch.body()) else { continue };
                    if body.len() > MAX_LITERAL {
                        return Err(peer.protocol(crate::t!(
                            "mailbox.imap.too-large",
                            uid = uid,
                            size = body.len(),
                            max = MAX_LITERAL
                        )));
                    }
                    if uids.contains(&uid) {
                        out.push((uid, body.to_vec()));
                    }
                }
            }
            // The stream also ends when the connection does: a short
            // answer counts only when the server still answers (the
            // missing messages were expunged meanwhile).
            if out.len() < uids.len() {
                peer.within(async { inner.noop().await.map_err(|e| peer.imap("NOOP", e)) }).await?;
            }
            Ok::<_, Error>(out)
        })?;
        out.sort_by_key(|(uid, _)| *uid);
        out.dedup_by_key(|(uid, _)| *uid);
        Ok(out)
    }

    /// Waits (IDLE) until the selected folder changes or `max` passed;
    /// then ends the IDLE. Returns whether something arrived.
    ///
    /// # Errors
    /// As any command; [`Error::Protocol`] when the server does not
    /// accept IDLE. The session is unusable after an error.
    pub fn idle(&mut self, max: Duration) -> Result<bool, Error> {
        let peer = Peer { server: self.server.clone(), timeout: self.timeout };
        let inner = self.inner.take().ok_or_else(|| peer.lost())?;
        let max = max.max(Duration::from_secs(1));
        let (inner, arrived) = self.rt.block_on(async {
            let mut handle = inner.idle();
            peer.within(async {
                handle.init().await.map_err(|e| match e {
                    ImapError::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                        peer.protocol(crate::t!("mailbox.imap.no-idle", reason = shown(&e.to_string())))
                    }
                    e => peer.imap("IDLE", e),
                })
            })
            .await?;
            let arrived = {
                // Dropping `stop` would end the wait at once: it lives
                // until the wait is over.
                let (wait, stop) = handle.wait_with_timeout(max);
                // async-imap's timeout restarts with every keepalive
                // (`* OK Still here`): `max` bounds the whole wait too.
                let response = match tokio::time::timeout(max, wait).await {
                    Ok(response) => Some(response.map_err(|e| peer.imap("IDLE", e))?),
                    Err(_) => None,
                };
                drop(stop);
                matches!(response, Some(IdleResponse::NewData(_)))
            };
            let inner = peer.within(async { handle.done().await.map_err(|e| peer.imap("IDLE", e)) }).await?;
            Ok::<_, Error>((inner, arrived))
        })?;
        self.inner = Some(inner);
        Ok(arrived)
    }

    /// Stores `message` in `folder`, flagged `\Seen`.
    ///
    /// # Errors
    /// As any command ([`Error::No`]: no such folder).
    pub fn append(&mut self, folder: &str, message: &[u8]) -> Result<(), Error> {
        let (rt, inner, peer) = self.parts()?;
        rt.block_on(peer.within(async {
            inner.append(folder, Some("(\\Seen)"), None, message).await.map_err(|e| peer.imap("APPEND", e))
        }))
    }

    /// Logs out (errors are ignored: the work is done).
    pub fn logout(mut self) {
        if let Ok((rt, inner, peer)) = self.parts() {
            let _ = rt.block_on(peer.within(async { inner.logout().await.map_err(|e| peer.imap("LOGOUT", e)) }));
        }
    }
}

/// Connects to `imap`, secures the connection (TLS at once, or after
/// STARTTLS) and logs in.
async fn open(imap: &Imap, password: &Secret<String>, peer: &Peer) -> Result<Inner, Error> {
    let server = &peer.server;
    let connect_err = |e: std::io::Error| Error::Connect { server: server.clone(), source: e };
    let config = tls_config(imap)?;
    let name = ServerName::try_from(imap.host.clone())
        .map_err(|e| Error::Settings { field: "imap.host", message: e.to_string() })?;
    let tcp =
        peer.within(async { TcpStream::connect((imap.host.as_str(), imap.port)).await.map_err(connect_err) }).await?;
    let tcp = if imap.tls == ImapTls::Starttls {
        // Before TLS only the greeting and the STARTTLS reply are read;
        // whatever else the plain connection held is dropped with it.
        let mut plain = async_imap::Client::new(tcp);
        peer.within(greeting(&mut plain, peer)).await?;
        peer.within(async {
            plain.run_command_and_check_ok("STARTTLS", None).await.map_err(|e| match e {
                ImapError::No(m) | ImapError::Bad(m) => Error::Tls {
                    server: server.clone(),
                    message: crate::t!("mailbox.imap.starttls-refused", reason = server_words(&m)),
                },
                e => peer.imap("STARTTLS", e),
            })
        })
        .await?;
        plain.into_inner()
    } else {
        tcp
    };
    let tls = peer
        .within(async {
            tokio_rustls::TlsConnector::from(config)
                .connect(name, tcp)
                .await
                .map_err(|e| Error::Tls { server: server.clone(), message: e.to_string() })
        })
        .await?;
    let mut client = async_imap::Client::new(tls);
    if imap.tls == ImapTls::Tls {
        peer.within(greeting(&mut client, peer)).await?;
    }
    let pw = password.expose();
    if pw.chars().any(|c| c.is_control()) {
        return Err(Error::Login { server: server.clone(), message: crate::t!("mailbox.imap.password-control") });
    }
    peer.within(async {
        client.login(&imap.username, pw).await.map_err(|(e, _)| match e {
            ImapError::No(m) | ImapError::Bad(m) => Error::Login { server: server.clone(), message: server_words(&m) },
            ImapError::Validate(_) => {
                Error::Login { server: server.clone(), message: crate::t!("mailbox.imap.login-line-break") }
            }
            e => peer.imap("LOGIN", e),
        })
    })
    .await
}

/// Reads the server's greeting: `* OK`.
async fn greeting<T>(client: &mut async_imap::Client<T>, peer: &Peer) -> Result<(), Error>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let first = client.read_response().await.map_err(|e| peer.io(e))?.ok_or_else(|| peer.lost())?;
    match first.parsed() {
        Response::Data { status: Status::Ok, .. } => Ok(()),
        other => {
            Err(peer.protocol(crate::t!("mailbox.imap.unexpected-greeting", greeting = shown(&format!("{other:?}")))))
        }
    }
}

/// The server's own words in async-imap's `code: …, info: Some("…")`.
fn server_words(m: &str) -> String {
    let words = m.split_once("info: Some(\"").and_then(|(_, rest)| rest.rsplit_once("\")")).map_or(m, |(info, _)| info);
    shown(words)
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
    use super::server_words;

    #[test]
    fn the_servers_words_are_taken_from_async_imaps_message() {
        assert_eq!(
            server_words(r#"code: Some(AuthenticationFailed), info: Some("Authentication failed.")"#),
            "Authentication failed."
        );
        assert_eq!(server_words("no response"), "no response");
    }
}
