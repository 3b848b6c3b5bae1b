//! Delivering [`MessageBytes`] over SMTP: exact bytes in, [`Delivery`] or
//! [`SendError`] out.
//!
//! # Choices
//! | setting | behaviour |
//! |---|---|
//! | `tls = "starttls"` (default) | plain connect, STARTTLS required (no downgrade), then EHLO again |
//! | `tls = "tls"` | TLS from the first byte (SMTPS, port 465) |
//! | `tls = "none"` | no encryption. Always explicit (never a default). To a non-loopback host it is refused when a username is set, since the password would cross the network in clear; without AUTH it is allowed. Every command that opens a session shows [`plaintext_warning`] first, to loopback hosts too |
//! | `ca_file` | extra trusted roots, in addition to the platform's |
//! | `username` | AUTH PLAIN or LOGIN; the password is resolved once in [`Mailer::new`] |
//! | `timeout_secs` | connect, read and write timeout |
//!
//! # Exact bytes
//! The server stores what precedes the final `CRLF . CRLF`. Since
//! [`MessageBytes::bytes`] ends with CRLF, the mailer sends it without that
//! CRLF and lettre's terminator supplies it: the server stores exactly
//! `bytes` (research/rust-stack.md §1, "stored bytes ≠ formatted()").
//!
//! # Why `SmtpConnection` and not `SmtpTransport`
//! lettre's transport reports a dropped connection the same way whether it
//! happened before MAIL FROM (nothing sent) or after the message's final
//! dot (the server may have accepted it). The mailer drives lettre's
//! `SmtpConnection` step by step instead, so every [`SendError`] knows its
//! [`Stage`], and only a failure after the end of the message is
//! [`SendErrorKind::Unknown`] ("delivery unknown": never retried silently).
//! The connection is kept for the next message (a batch uses one), checked
//! with NOOP before reuse, and reset with RSET after a refused transaction.
//! It is opened at the first [`Mailer::send`], or earlier with
//! [`Mailer::connect`] (a batch does, before it stores anything).
//!
//! # `-v`: the dialogue, never the credentials
//! [`Mailer::set_tracer`] hands each step to a [`Tracer`] (the CLI's
//! `-v`; [`trace::quiet`] by default), one line each, prefixed `smtp: `:
//! connect and greeting, EHLO (the server's name and the extensions dsr
//! uses), STARTTLS, AUTH (the mechanism and the reply, never the
//! credentials or their base64), MAIL FROM, RCPT TO, DATA, the final
//! reply, RSET, NOOP, QUIT, and every failure as its [`SendError`]. lettre
//! reads the greeting and the EHLO and STARTTLS replies itself and keeps
//! only that they were positive, so those lines have no code; every other
//! line ends with the server's code and text, with the password's forms
//! scrubbed as in a [`SendError`].
//!
//! A workflow that sends sets the tracer right after [`Mailer::new`],
//! before the session is opened, so the connect steps are shown too:
//!
//! ```text
//! let mut mailer = Mailer::new(smtp)?;
//! mailer.set_tracer(env.tracer.clone()); // the CLI's Ctx::tracer()
//! mailer.connect()?;
//! ```
//!
//! # Classes (RFC 5321 §4.2.1)
//! Reply codes come from lettre's parsed status, never from text:
//! 4xx → [`SendErrorKind::Transient`] (retry with [`Backoff`]), 5xx →
//! [`SendErrorKind::Permanent`], failure to reach the server →
//! [`SendErrorKind::Connection`], certificate or STARTTLS problems →
//! [`SendErrorKind::Tls`], refused credentials → [`SendErrorKind::Auth`].
//!
//! # Nagle
//! lettre 0.11.23 (the newest release on 2026-11-28) does not set
//! TCP_NODELAY and writes a message's terminator separately, so each
//! message would wait ~40 ms for a delayed ACK (fixed upstream by lettre
//! PR #1159, unreleased). The mailer therefore dot-stuffs the message
//! itself and writes message and terminator at once (`DataPayload`).

use super::{Error, MessageBytes, MessageId};
use crate::address::EmailAddress;
use crate::config::{Smtp, TlsMode};
use crate::i18n::UiLang;
use crate::secret::Secret;
use crate::trace::{self, Tracer};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter, RcptParameter};
use lettre::transport::smtp::response::Response;
use std::error::Error as _;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;
use zeroize::Zeroizing;

/// A message the server accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The final reply code (2xx).
    pub code: u16,
    /// The final reply's text lines joined by `\n`, e.g. `2.0.0 Ok: queued as 4F2A`.
    pub text: String,
    /// `host:port` as configured.
    pub server: String,
    /// Whether the session was encrypted.
    pub tls: bool,
    /// The Message-ID of the delivered message.
    pub message_id: MessageId,
    /// The accepted recipients (RCPT TO), in order.
    pub recipients: Vec<EmailAddress>,
    /// Whether delivery status notifications were asked for (the server
    /// offered DSN and an ENVID was given): `RET=HDRS ENVID=…` on MAIL
    /// FROM and `NOTIFY=SUCCESS,FAILURE,DELAY` on every RCPT TO.
    pub dsn: bool,
}

/// Where in the SMTP dialogue a send failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// TCP connect, greeting, EHLO (with `tls = "tls"`: also the TLS handshake).
    Connect,
    /// STARTTLS and the TLS handshake.
    StartTls,
    /// AUTH.
    Auth,
    /// MAIL FROM.
    MailFrom,
    /// RCPT TO for this address.
    RcptTo(String),
    /// The DATA command (before any message byte was sent).
    Data,
    /// Sending the message and waiting for the final reply.
    Message,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Connect => f.write_str("connect"),
            Stage::StartTls => f.write_str("STARTTLS"),
            Stage::Auth => f.write_str("AUTH"),
            Stage::MailFrom => f.write_str("MAIL FROM"),
            Stage::RcptTo(a) => write!(f, "RCPT TO:<{a}>"),
            Stage::Data => f.write_str("DATA"),
            Stage::Message => f.write_str("end of message"),
        }
    }
}

/// The class of a send failure. See the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SendErrorKind {
    /// A 4xx reply: the server refused for now; nothing was accepted.
    Transient,
    /// A 5xx reply (outside AUTH): refused for good; nothing was accepted.
    Permanent,
    /// The server could not be reached or closed the connection before the
    /// message was sent; nothing was accepted.
    Connection,
    /// TLS failed (certificate, handshake, STARTTLS not offered); nothing was sent.
    Tls,
    /// The credentials were refused or no common AUTH mechanism exists.
    Auth,
    /// The connection broke or timed out after the whole message was sent:
    /// the server may or may not have accepted it (delivery unknown).
    Unknown,
    /// The server lacks an extension the message needs (8BITMIME, SMTPUTF8).
    Unsupported,
}

/// Why a message was not (or not provably) delivered. Never contains the
/// password.
#[derive(Debug, Clone)]
pub struct SendError {
    kind: SendErrorKind,
    stage: Stage,
    code: Option<u16>,
    detail: String,
    /// dsr's own reason (no server reply) in the interface language; the
    /// evidence keeps [`SendError::detail`], in English.
    shown: Option<String>,
    server: String,
}

impl SendError {
    /// The class.
    pub fn kind(&self) -> SendErrorKind {
        self.kind
    }

    /// Where in the dialogue it failed.
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// A 4xx reply: retrying later may succeed.
    pub fn is_transient(&self) -> bool {
        self.kind == SendErrorKind::Transient
    }

    /// A 5xx reply outside AUTH: retrying will not help.
    pub fn is_permanent(&self) -> bool {
        self.kind == SendErrorKind::Permanent
    }

    /// The message may have been accepted; do not resend without asking.
    pub fn delivery_unknown(&self) -> bool {
        self.kind == SendErrorKind::Unknown
    }

    /// Nothing of the message reached the server (every class but
    /// [`SendErrorKind::Unknown`]).
    pub fn nothing_accepted(&self) -> bool {
        !self.delivery_unknown()
    }

    /// The server's reply code, if the failure was a reply.
    pub fn reply_code(&self) -> Option<u16> {
        self.code
    }

    /// The server's reply text, or the local reason (e.g. `Connection
    /// refused (os error 111)`).
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// `host:port`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// What the user can do.
    pub fn hint(&self) -> String {
        match self.kind {
            SendErrorKind::Transient => crate::t!("smtp.hint-transient"),
            SendErrorKind::Permanent => match self.stage {
                // A 554 greeting or a 500 to EHLO: the server, not a recipient.
                Stage::Connect | Stage::StartTls | Stage::Auth => crate::t!("smtp.hint-session-refused"),
                Stage::MailFrom => crate::t!("smtp.hint-sender-refused"),
                Stage::RcptTo(_) => crate::t!("smtp.hint-recipient-refused"),
                Stage::Data | Stage::Message => crate::t!("smtp.hint-message-refused"),
            },
            SendErrorKind::Connection => crate::t!("smtp.hint-connection"),
            SendErrorKind::Tls => crate::t!("smtp.hint-tls"),
            SendErrorKind::Auth => crate::t!("smtp.hint-auth"),
            SendErrorKind::Unknown => crate::t!("smtp.hint-unknown"),
            SendErrorKind::Unsupported => crate::t!("smtp.hint-unsupported"),
        }
    }

    /// The error as the evidence store keeps it (the `smtp-error` object):
    /// always in English, whatever the interface language, so that the
    /// evidence does not depend on who ran dsr.
    pub fn evidence_text(&self) -> String {
        self.render(crate::i18n::UiLang::En)
    }

    fn render(&self, lang: crate::i18n::UiLang) -> String {
        let kind = kind_text(self.kind, lang);
        let mut out = crate::t_in!(lang, "smtp.failure", kind = kind, server = self.server, stage = self.stage);
        if let Some(code) = self.code {
            out.push_str(&format!("{code} "));
        }
        let detail = match &self.shown {
            Some(shown) if lang != crate::i18n::UiLang::En => shown,
            _ => &self.detail,
        };
        out.push_str(detail);
        if self.kind == SendErrorKind::Unknown {
            out.push_str(&crate::t_in!(lang, "smtp.maybe-accepted"));
        }
        out
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(crate::i18n::ui()))
    }
}

impl std::error::Error for SendError {}

/// How a [`SendError`] names its class, in `lang`.
fn kind_text(kind: SendErrorKind, lang: crate::i18n::UiLang) -> String {
    match kind {
        SendErrorKind::Transient => crate::t_in!(lang, "smtp.kind-transient"),
        SendErrorKind::Permanent => crate::t_in!(lang, "smtp.kind-permanent"),
        SendErrorKind::Connection => crate::t_in!(lang, "smtp.kind-connection"),
        SendErrorKind::Tls => crate::t_in!(lang, "smtp.kind-tls"),
        SendErrorKind::Auth => crate::t_in!(lang, "smtp.kind-auth"),
        SendErrorKind::Unknown => crate::t_in!(lang, "smtp.kind-unknown"),
        SendErrorKind::Unsupported => crate::t_in!(lang, "smtp.kind-unsupported"),
    }
}

/// How often and how long to wait before retrying a transient failure:
/// `retries` more attempts after the first, waiting `base`, `2·base`,
/// `4·base` … (at most `max`) before each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Extra attempts after the first.
    pub retries: u32,
    /// The wait before the first retry.
    pub base: Duration,
    /// No wait is longer than this.
    pub max: Duration,
}

impl Backoff {
    /// `smtp.retries` retries, waiting 1 s, 2 s, 4 s … (at most 60 s).
    pub fn from_settings(smtp: &Smtp) -> Backoff {
        Backoff { retries: smtp.retries, base: Duration::from_secs(1), max: Duration::from_secs(60) }
    }

    /// The wait before attempt `attempt` (1 is the first attempt, which has
    /// none); `None` when no attempts are left.
    pub fn delay_before(&self, attempt: u32) -> Option<Duration> {
        if attempt <= 1 || attempt > self.retries + 1 {
            return None;
        }
        let factor = 1u32.checked_shl(attempt - 2).unwrap_or(u32::MAX);
        Some(self.base.saturating_mul(factor).min(self.max))
    }
}

struct Settings {
    host: String,
    port: u16,
    tls: TlsMode,
    tls_params: Option<TlsParameters>,
    hello: ClientId,
    credentials: Option<Credentials>,
    timeout: Duration,
    /// The password and its encodings, to scrub from any text we keep.
    redact: Secret<Vec<String>>,
    /// Where `-v` details go.
    tracer: Tracer,
}

impl Settings {
    /// One `-v` line, `smtp: <text>`; `text` is built only when shown.
    fn trace(&self, text: impl FnOnce() -> String) {
        if self.tracer.enabled() {
            self.tracer.detail(&format!("smtp: {}", text()));
        }
    }
}

/// An SMTP client for one server that keeps its connection between messages.
pub struct Mailer {
    settings: Settings,
    conn: Option<SmtpConnection>,
    /// Whether the open connection's (last) EHLO offered DSN (RFC 3461).
    dsn: bool,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server())
            .field("tls", &self.settings.tls)
            .field("connected", &self.conn.is_some())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// Prepares a mailer (no connection yet): resolves the password, reads
    /// the CA file, checks the TLS choice.
    ///
    /// # Errors
    /// [`Error::Password`] when the password source fails, [`Error::CaFile`]
    /// or [`Error::Settings`] for an unusable CA file, host name or TLS
    /// choice (plaintext AUTH to a non-loopback host).
    pub fn new(smtp: &Smtp) -> Result<Mailer, Error> {
        // The message in the interface language, and in English for the
        // evidence (a witness mail that failed, `ops::witness_mail`).
        let settings_err = |field: &str, message: &dyn Fn(UiLang) -> String, hint: String| Error::Settings {
            field: field.into(),
            message: message(crate::i18n::ui()),
            evidence: message(UiLang::En),
            hint,
        };
        if smtp.host.chars().any(|c| c.is_control() || c.is_whitespace()) || smtp.host.is_empty() {
            return Err(settings_err(
                "smtp.host",
                &|l| crate::t_in!(l, "mail.smtp.not-a-host", value = smtp.host.escape_debug()),
                crate::t!("mail.smtp.host-hint"),
            ));
        }
        if smtp.tls == TlsMode::None && !is_loopback(&smtp.host) && smtp.username.is_some() {
            return Err(settings_err(
                "smtp.tls",
                &|l| crate::t_in!(l, "mail.smtp.plaintext-password", host = smtp.host),
                crate::t!("mail.smtp.plaintext-password-hint"),
            ));
        }
        let tls_params = match smtp.tls {
            TlsMode::None => None,
            TlsMode::Starttls | TlsMode::Tls => {
                let mut b = TlsParameters::builder(smtp.host.clone());
                if let Some(ca) = &smtp.ca_file {
                    let pem = crate::file::read_bytes(ca, crate::file::Limit::TEXT).map_err(Error::CaFile)?;
                    let not_pem = |why: String| {
                        settings_err(
                            "smtp.ca_file",
                            &|l| crate::t_in!(l, "mail.smtp.not-pem", path = ca.display(), why = why),
                            crate::t!("mail.smtp.not-pem-hint"),
                        )
                    };
                    // lettre accepts a file without any certificate; refuse it here.
                    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
                        return Err(not_pem(String::new()));
                    }
                    let cert = Certificate::from_pem(&pem).map_err(|e| not_pem(format!(": {e}")))?;
                    b = b.add_root_certificate(cert);
                }
                Some(b.build().map_err(|e| {
                    settings_err(
                        "smtp.tls",
                        &|l| crate::t_in!(l, "mail.smtp.tls-setup", reason = e),
                        crate::t!("mail.smtp.tls-setup-hint"),
                    )
                })?)
            }
        };
        let hello = match &smtp.helo_name {
            Some(name) => {
                if name.is_empty() || name.chars().any(|c| c.is_control() || c.is_whitespace()) {
                    return Err(settings_err(
                        "smtp.helo_name",
                        &|l| crate::t_in!(l, "mail.smtp.not-a-host", value = name.escape_debug()),
                        crate::t!("mail.smtp.helo-hint"),
                    ));
                }
                ClientId::Domain(name.clone())
            }
            None => ClientId::default(),
        };
        let (credentials, redact) = match (&smtp.username, &smtp.password) {
            (Some(user), Some(source)) => {
                // Copies of the password: `password` and the `redact` list
                // are `Secret`s, wiped when dropped, and so are the AUTH
                // PLAIN layouts encoded here. lettre's `Credentials` needs
                // its own `String` (one, kept for the AUTH of every new
                // connection); lettre does not wipe it or its own copies.
                let password = source.resolve("smtp").map_err(Error::Password)?;
                let p = password.expose();
                let plain = |text: Zeroizing<String>| b64(text.as_bytes());
                let redact = vec![
                    p.clone(),
                    b64(p.as_bytes()),
                    plain(Zeroizing::new(format!("\0{user}\0{p}"))),
                    plain(Zeroizing::new(format!("{user}\0{user}\0{p}"))),
                ];
                (Some(Credentials::new(user.clone(), p.clone())), redact)
            }
            _ => (None, Vec::new()),
        };
        Ok(Mailer {
            settings: Settings {
                host: smtp.host.clone(),
                port: smtp.port,
                tls: smtp.tls,
                tls_params,
                hello,
                credentials,
                timeout: Duration::from_secs(smtp.timeout_secs.max(1)),
                redact: Secret::new(redact),
                tracer: trace::quiet(),
            },
            conn: None,
            dsn: false,
        })
    }

    /// Sends `-v` details of the dialogue to `tracer` from now on (the
    /// default shows nothing). See the module docs for what is shown; a
    /// credential never is.
    pub fn set_tracer(&mut self, tracer: Tracer) {
        self.settings.tracer = tracer;
    }

    /// `host:port`.
    pub fn server(&self) -> String {
        format!("{}:{}", self.settings.host, self.settings.port)
    }

    /// Opens the session now instead of at the first [`Mailer::send`]: TCP
    /// connect, greeting and EHLO, then STARTTLS and AUTH as configured. A
    /// batch calls this before it stores anything, so that a server that
    /// cannot be reached, or refuses TLS or the credentials, is found while
    /// nothing is prepared yet. An open connection that still answers NOOP
    /// is kept; one that does not is replaced. The next [`Mailer::send`]
    /// reuses the session (after the same NOOP check).
    ///
    /// # Errors
    /// A [`SendError`] at [`Stage::Connect`], [`Stage::StartTls`] or
    /// [`Stage::Auth`]; no message was sent.
    pub fn connect(&mut self) -> Result<(), SendError> {
        if let Some(conn) = &mut self.conn {
            if conn.test_connected() {
                self.settings.trace(|| crate::t!("mail.trace.noop-open"));
                return Ok(());
            }
            self.settings.trace(|| crate::t!("mail.trace.noop-gone"));
            abandon(conn);
            self.conn = None;
        }
        let (conn, dsn) = self.open()?;
        self.conn = Some(conn);
        self.dsn = dsn;
        Ok(())
    }

    /// Like [`Mailer::connect`], retrying transient (4xx) refusals (a 421
    /// greeting, a 454 to AUTH) as `backoff` says, as
    /// [`Mailer::send_with_retries`] would for the first message.
    ///
    /// # Errors
    /// The last attempt's [`SendError`]; other classes are not retried.
    pub fn connect_with_retries(&mut self, backoff: &Backoff) -> Result<(), SendError> {
        let mut attempt = 1;
        loop {
            match self.connect() {
                Err(e) if e.is_transient() => match backoff.delay_before(attempt + 1) {
                    Some(wait) => {
                        std::thread::sleep(wait);
                        attempt += 1;
                    }
                    None => return Err(e),
                },
                result => return result,
            }
        }
    }

    /// Sends one message, reusing the open connection when there is one.
    ///
    /// # Errors
    /// A [`SendError`] with its class; see the module docs.
    pub fn send(&mut self, message: &MessageBytes) -> Result<Delivery, SendError> {
        self.send_with_envid(message, None)
    }

    /// Like [`Mailer::send`]; with `envid` (dsr passes the request id),
    /// asks a server that offers DSN for delivery status notifications:
    /// `MAIL FROM:<…> RET=HDRS ENVID=<envid, xtext>` and `RCPT TO:<…>
    /// NOTIFY=SUCCESS,FAILURE,DELAY` (RFC 3461). A server without DSN gets
    /// neither; [`Delivery::dsn`] says which happened.
    ///
    /// # Errors
    /// As [`Mailer::send`].
    pub fn send_with_envid(&mut self, message: &MessageBytes, envid: Option<&str>) -> Result<Delivery, SendError> {
        self.connect()?;
        let result = self.transaction(message, envid);
        if let Err(e) = &result {
            self.after_failure(e);
        }
        result
    }

    /// Like [`Mailer::send`], retrying transient (4xx) failures as `backoff`
    /// says. `attempted` is called after every attempt with its number
    /// (from 1) and result, so each can be logged.
    ///
    /// # Errors
    /// The last attempt's [`SendError`]; other classes are not retried.
    pub fn send_with_retries(
        &mut self,
        message: &MessageBytes,
        envid: Option<&str>,
        backoff: &Backoff,
        mut attempted: impl FnMut(u32, &Result<Delivery, SendError>),
    ) -> Result<Delivery, SendError> {
        let mut attempt = 1;
        loop {
            let result = self.send_with_envid(message, envid);
            attempted(attempt, &result);
            match &result {
                Err(e) if e.is_transient() => match backoff.delay_before(attempt + 1) {
                    Some(wait) => {
                        std::thread::sleep(wait);
                        attempt += 1;
                    }
                    None => return result,
                },
                _ => return result,
            }
        }
    }

    /// Ends the session politely (QUIT).
    pub fn close(mut self) {
        self.quit();
    }

    fn quit(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            match conn.quit() {
                Ok(r) => self.settings.trace(|| format!("QUIT: {}", reply(&self.settings, &r))),
                Err(e) => self.settings.trace(|| format!("QUIT: {}", redact(&self.settings, e.to_string()))),
            }
        }
    }

    fn open(&self) -> Result<(SmtpConnection, bool), SendError> {
        let s = &self.settings;
        let addr = (s.host.as_str(), s.port);
        let implicit = if s.tls == TlsMode::Tls { s.tls_params.as_ref() } else { None };
        s.trace(|| {
            let how = match s.tls {
                TlsMode::Tls => crate::t!("mail.trace.how-tls"),
                TlsMode::Starttls => crate::t!("mail.trace.how-starttls"),
                TlsMode::None => crate::t!("mail.trace.how-none"),
            };
            crate::t!("mail.trace.connecting", host = s.host, port = s.port, how = how)
        });
        let mut conn = SmtpConnection::connect(addr, Some(s.timeout), &s.hello, implicit, None)
            .map_err(|e| self.error(Stage::Connect, &e))?;
        let mut dsn = if s.tls == TlsMode::Starttls { false } else { self.offers_dsn(&mut conn)? };
        s.trace(|| crate::t!("mail.trace.connected", hello = s.hello, info = server_info(&conn, dsn)));
        if s.tls == TlsMode::Starttls {
            let params = s.tls_params.as_ref().expect("STARTTLS mode always has TLS parameters");
            if !conn.server_info().supports_feature(Extension::StartTls) {
                conn.abort();
                return Err(
                    self.local(SendErrorKind::Tls, Stage::StartTls, |l| crate::t_in!(l, "mail.smtp.no-starttls"))
                );
            }
            conn.starttls(params, &s.hello).map_err(|e| self.error(Stage::StartTls, &e))?;
            dsn = self.offers_dsn(&mut conn)?;
            s.trace(|| crate::t!("mail.trace.starttls", hello = s.hello, info = server_info(&conn, dsn)));
        }
        if let Some(credentials) = &s.credentials {
            let mechanisms = [Mechanism::Plain, Mechanism::Login];
            let Some(mechanism) = conn.server_info().get_auth_mechanism(&mechanisms) else {
                conn.abort();
                return Err(
                    self.local(SendErrorKind::Auth, Stage::Auth, |l| crate::t_in!(l, "mail.smtp.no-auth-mechanism"))
                );
            };
            // Only the mechanism is named: the command carries the credentials.
            match conn.auth(&mechanisms, credentials) {
                Ok(r) => s.trace(|| format!("AUTH {mechanism}: {}", reply(s, &r))),
                Err(e) => {
                    conn.abort();
                    return Err(self.error(Stage::Auth, &e));
                }
            }
        }
        Ok((conn, dsn))
    }

    /// Whether the server offers DSN. lettre's `ServerInfo` keeps only the
    /// extensions lettre uses, so dsr asks once more with its own EHLO (an
    /// EHLO may be repeated, RFC 5321 §4.1.4) and reads the keywords
    /// itself. Before AUTH, which a repeated EHLO could reset.
    fn offers_dsn(&self, conn: &mut SmtpConnection) -> Result<bool, SendError> {
        let r = conn.command(Ehlo::new(self.settings.hello.clone())).map_err(|e| self.error(Stage::Connect, &e))?;
        Ok(ehlo_offers(r.message(), "DSN"))
    }

    fn transaction(&mut self, message: &MessageBytes, envid: Option<&str>) -> Result<Delivery, SendError> {
        let conn = self.conn.as_mut().expect("connected before a transaction");
        let dsn = self.dsn && envid.is_some();
        let envelope = message.envelope();
        let bytes = message.bytes();
        let mut options = Vec::new();
        if !bytes.is_ascii() {
            if !conn.server_info().supports_feature(Extension::EightBitMime) {
                return Err(local(&self.settings, SendErrorKind::Unsupported, Stage::MailFrom, |l| {
                    crate::t_in!(l, "mail.smtp.no-8bitmime")
                }));
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let non_ascii = |a: &EmailAddress| !a.as_str().is_ascii();
        if non_ascii(&envelope.from) || envelope.to.iter().any(non_ascii) {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err(local(&self.settings, SendErrorKind::Unsupported, Stage::MailFrom, |l| {
                    crate::t_in!(l, "mail.smtp.no-smtputf8")
                }));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        if let (true, Some(id)) = (dsn, envid) {
            options.push(MailParameter::Other { keyword: "RET".into(), value: Some("HDRS".into()) });
            options.push(MailParameter::Other { keyword: "ENVID".into(), value: Some(xtext(id)) });
        }
        let tls = conn.is_encrypted();
        let s = &self.settings;
        let params: String = options.iter().map(|o| format!(" {o}")).collect();
        let r = conn
            .command(Mail::new(Some(envelope.from.to_lettre()), options))
            .map_err(|e| error(s, Stage::MailFrom, &e))?;
        s.trace(|| format!("MAIL FROM:<{}>{params}: {}", envelope.from, reply(s, &r)));
        for to in &envelope.to {
            let notify = RcptParameter::Other { keyword: "NOTIFY".into(), value: Some("SUCCESS,FAILURE,DELAY".into()) };
            let params = if dsn { vec![notify] } else { vec![] };
            let shown = if dsn { " NOTIFY=SUCCESS,FAILURE,DELAY" } else { "" };
            let r = conn
                .command(Rcpt::new(to.to_lettre(), params))
                .map_err(|e| error(s, Stage::RcptTo(to.to_string()), &e))?;
            s.trace(|| format!("RCPT TO:<{to}>{shown}: {}", reply(s, &r)));
        }
        let r = conn.command(Data).map_err(|e| error(s, Stage::Data, &e))?;
        s.trace(|| format!("DATA: {}", reply(s, &r)));
        let wire = bytes.strip_suffix(b"\r\n").unwrap_or(bytes);
        // One write for message and terminator (see `DataPayload`); lettre's
        // own path (two writes) only for bytes that are not UTF-8.
        let response = match std::str::from_utf8(wire) {
            Ok(text) => conn.command(DataPayload(dot_stuffed(text))),
            Err(_) => conn.message(wire),
        }
        .map_err(|e| error(s, Stage::Message, &e))?;
        s.trace(|| crate::t!("mail.trace.sent", size = bytes.len(), reply = reply(s, &response)));
        Ok(Delivery {
            code: u16::from(response.code()),
            text: reply_text(&response),
            server: self.server(),
            tls,
            message_id: message.message_id().clone(),
            recipients: envelope.to.clone(),
            dsn,
        })
    }

    /// After a failed transaction: keep the connection for the next
    /// message if the server only refused (RSET), drop it otherwise.
    fn after_failure(&mut self, e: &SendError) {
        let keep = e.code.is_some() && !matches!(e.stage, Stage::Connect | Stage::StartTls | Stage::Auth);
        let s = &self.settings;
        if let Some(conn) = &mut self.conn {
            if keep {
                match conn.command("RSET\r\n") {
                    Ok(r) => {
                        s.trace(|| crate::t!("mail.trace.rset-keep", reply = reply(s, &r)));
                        return;
                    }
                    Err(e) => s.trace(|| format!("RSET: {}", redact(s, e.to_string()))),
                }
            }
            s.trace(|| crate::t!("mail.trace.closing"));
            abandon(conn);
        }
        self.conn = None;
    }

    fn error(&self, stage: Stage, e: &lettre::transport::smtp::Error) -> SendError {
        error(&self.settings, stage, e)
    }

    fn local(&self, kind: SendErrorKind, stage: Stage, detail: fn(UiLang) -> String) -> SendError {
        local(&self.settings, kind, stage, detail)
    }
}

/// The queue id in a final reply's text, when it is in a form known to
/// carry nothing else: Postfix's `queued as 4F2A1C3B`, Exim's
/// `id=1tXyZa-000Abc-2Q`. A token of at most 64 letters, digits, `.`,
/// `_` and `-` (so never an address). `None` otherwise.
///
/// ```
/// use dsr::mail::smtp::queue_id;
/// assert_eq!(queue_id("2.0.0 Ok: queued as 4F2A1C3B").as_deref(), Some("4F2A1C3B"));
/// assert_eq!(queue_id("OK id=1tXyZa-000Abc-2Q").as_deref(), Some("1tXyZa-000Abc-2Q"));
/// assert_eq!(queue_id("2.0.0 Ok <anna@example.org>"), None);
/// ```
pub fn queue_id(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = ["queued as ", "id="].iter().find_map(|m| lower.find(m).map(|i| i + m.len()))?;
    let token: String =
        text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')).collect();
    let token = token.trim_end_matches('.');
    (!token.is_empty() && token.len() <= 64).then(|| token.to_string())
}

/// Closes a connection that failed without waiting for it: lettre's
/// `abort` still sends QUIT and reads the answer, which a server that has
/// stopped answering (a hang after DATA) would make take a whole second
/// timeout.
fn abandon(conn: &mut SmtpConnection) {
    let _ = conn.set_timeout(Some(ABANDON_TIMEOUT));
    conn.abort();
}

/// How long a failed connection is given to take its QUIT.
const ABANDON_TIMEOUT: Duration = Duration::from_millis(50);

impl Drop for Mailer {
    fn drop(&mut self) {
        self.quit();
    }
}

/// The warning to show before a session with these settings is opened:
/// `sending without encryption to host:port (tls = "none")` for every
/// `tls = "none"`, to a loopback host too (a relay on localhost may still
/// forward in clear, and the choice should stay visible); `None` with TLS.
/// [`Mailer::new`] has already refused plaintext AUTH to other hosts.
pub fn plaintext_warning(smtp: &Smtp) -> Option<String> {
    (smtp.tls == TlsMode::None).then(|| crate::t!("smtp.no-encryption", host = smtp.host, port = smtp.port))
}

/// The DATA payload: the dot-stuffed message followed by `CRLF . CRLF`,
/// handed to lettre as one "command" so it leaves in a single write.
/// lettre's `message()` writes the terminator separately; without
/// TCP_NODELAY that small second write waits for the server's delayed ACK
/// (Nagle): ~45 ms per message, 20.8 msg/s on one loopback connection.
struct DataPayload(String);

impl fmt::Display for DataPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// RFC 5321 §4.5.2 transparency, exactly as lettre's `ClientCodec` does it:
/// a line (after CRLF, or at the start) beginning with `.` gets another
/// `.`; then the terminator `CRLF . CRLF` (`wire` has no final CRLF).
fn dot_stuffed(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + wire.len() / 64 + 5);
    let mut line_start = true;
    let mut prev_cr = false;
    for c in wire.chars() {
        if line_start && c == '.' {
            out.push('.');
        }
        out.push(c);
        line_start = prev_cr && c == '\n';
        prev_cr = c == '\r';
    }
    out.push_str("\r\n.\r\n");
    out
}

/// A failure dsr finds itself (no server reply): `detail` gives its reason
/// in a language, English for the evidence.
fn local(s: &Settings, kind: SendErrorKind, stage: Stage, detail: fn(UiLang) -> String) -> SendError {
    let shown = Some(detail(crate::i18n::ui()));
    let server = format!("{}:{}", s.host, s.port);
    traced(s, SendError { kind, stage, code: None, detail: detail(UiLang::En), shown, server })
}

/// Every failure passes here on its way out: the `-v` line of its stage,
/// `RCPT TO:<a@b>: 550 5.1.1 No such user (permanent failure)`.
fn traced(s: &Settings, e: SendError) -> SendError {
    s.trace(|| {
        let code = e.code.map(|c| format!("{c} ")).unwrap_or_default();
        format!(
            "{}: {code}{} ({})",
            e.stage,
            e.shown.as_deref().unwrap_or(&e.detail),
            kind_text(e.kind, crate::i18n::ui())
        )
    });
    e
}

/// Classifies a lettre error by its status and the stage it happened in.
fn error(s: &Settings, stage: Stage, e: &lettre::transport::smtp::Error) -> SendError {
    let code = e.status().map(u16::from);
    let kind = match (code, &stage) {
        (Some(c), Stage::Auth) if c >= 500 => SendErrorKind::Auth,
        (Some(c), _) if c >= 500 => SendErrorKind::Permanent,
        (Some(_), _) => SendErrorKind::Transient,
        (None, Stage::Message) => SendErrorKind::Unknown,
        (None, Stage::StartTls) => SendErrorKind::Tls,
        (None, Stage::Auth) => SendErrorKind::Auth,
        (None, Stage::Connect) if e.is_tls() || (s.tls == TlsMode::Tls && is_tls_failure(e)) => SendErrorKind::Tls,
        (None, _) => SendErrorKind::Connection,
    };
    // For a reply, keep only the server's text; otherwise lettre's description.
    let detail = match (code, e.source()) {
        (Some(_), Some(reply)) => reply.to_string(),
        _ => e.to_string(),
    };
    let server = format!("{}:{}", s.host, s.port);
    traced(s, SendError { kind, stage, code, detail: redact(s, detail), shown: None, server })
}

/// rustls reports handshake and certificate failures as `InvalidData` I/O
/// errors (lettre's `is_tls()` stays false for them, research §1).
fn is_tls_failure(e: &lettre::transport::smtp::Error) -> bool {
    let mut source = e.source();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::InvalidData;
        }
        source = err.source();
    }
    false
}

fn reply_text(r: &Response) -> String {
    r.message().collect::<Vec<_>>().join("\n")
}

/// A reply for a `-v` line: `250 2.1.0 Ok`, lines joined by ` / `,
/// scrubbed of the password's forms.
fn reply(s: &Settings, r: &Response) -> String {
    let text = r.message().collect::<Vec<_>>().join(" / ");
    redact(s, format!("{} {text}", u16::from(r.code())).trim_end().to_string())
}

/// What the EHLO reply said: the server's name and the extensions dsr
/// looks at, in a fixed order.
fn server_info(conn: &SmtpConnection, dsn: bool) -> String {
    let info = conn.server_info();
    let mut ext: Vec<String> = [Extension::StartTls, Extension::EightBitMime, Extension::SmtpUtfEight]
        .into_iter()
        .filter(|e| info.supports_feature(*e))
        .map(|e| e.to_string())
        .collect();
    if dsn {
        ext.push("DSN".into());
    }
    let auth: Vec<String> = [Mechanism::Plain, Mechanism::Login, Mechanism::Xoauth2]
        .into_iter()
        .filter(|m| info.supports_auth_mechanism(*m))
        .map(|m| m.to_string())
        .collect();
    if !auth.is_empty() {
        ext.push(format!("AUTH {}", auth.join(" ")));
    }
    let ext = if ext.is_empty() { crate::t!("mail.trace.offers-none") } else { ext.join(", ") };
    crate::t!("mail.trace.offers", server = info.name(), ext = ext)
}

/// Whether an EHLO reply's lines (after the greeting line) name
/// `keyword` as an extension (case-insensitive, the first word of a line).
fn ehlo_offers<'a>(mut lines: impl Iterator<Item = &'a str>, keyword: &str) -> bool {
    let _greeting = lines.next();
    lines.any(|l| l.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case(keyword)))
}

/// RFC 3461 §4 xtext: printable ASCII except `+` and `=` as is, every
/// other byte as `+` and two upper-case hex digits.
///
/// ```
/// use dsr::mail::smtp::xtext;
/// assert_eq!(xtext("r_abc234"), "r_abc234");
/// assert_eq!(xtext("a+b=c d"), "a+2Bb+3Dc+20d");
/// ```
pub fn xtext(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if (b'!'..=b'~').contains(&b) && b != b'+' && b != b'=' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
    out
}

fn redact(s: &Settings, mut text: String) -> String {
    for secret in s.redact.expose() {
        if !secret.is_empty() && text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "[redacted]");
        }
    }
    text
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn b64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let b = Backoff { retries: 3, base: Duration::from_secs(1), max: Duration::from_secs(3) };
        let waits: Vec<_> = (1..=6).map(|a| b.delay_before(a)).collect();
        let s = Duration::from_secs;
        assert_eq!(waits, [None, Some(s(1)), Some(s(2)), Some(s(3)), None, None]);
        let none = Backoff { retries: 0, ..b };
        assert_eq!(none.delay_before(2), None);
    }

    #[test]
    fn dot_stuffing_matches_rfc5321() {
        assert_eq!(dot_stuffed(".a\r\n.b\r\nc.\r\n..\r\n\r\n."), "..a\r\n..b\r\nc.\r\n...\r\n\r\n..\r\n.\r\n");
        assert_eq!(dot_stuffed("x\n.y\r\r\n.z"), "x\n.y\r\r\n..z\r\n.\r\n");
        assert_eq!(dot_stuffed(""), "\r\n.\r\n");
    }

    #[test]
    fn ehlo_keywords_and_xtext() {
        let lines = ["mail.example.org", "PIPELINING", "SIZE 10240000", "dsn", "8BITMIME"];
        assert!(ehlo_offers(lines.into_iter(), "DSN"));
        assert!(!ehlo_offers(["DSN server", "PIPELINING"].into_iter(), "DSN"), "the greeting line is not a keyword");
        assert!(!ehlo_offers(["x", "DSNX"].into_iter(), "DSN"));
        assert_eq!(xtext("r_aaaabbbbccccdddd"), "r_aaaabbbbccccdddd");
        assert_eq!(xtext("+=\u{e9}\n"), "+2B+3D+C3+A9+0A");
    }

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "LOCALHOST"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["mail.example.org", "10.0.0.1", "localhost.example.org"] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let v = ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"];
        for (i, want) in v.iter().enumerate() {
            assert_eq!(b64(&b"foobar"[..i]), *want);
        }
    }

    fn smtp(host: &str, tls: TlsMode, user: bool) -> Smtp {
        Smtp {
            host: host.into(),
            port: 25,
            tls,
            username: user.then(|| "u".into()),
            password: user.then(|| crate::config::PasswordSource::Command("printf hunter2".into())),
            ca_file: None,
            timeout_secs: 5,
            retries: 3,
            helo_name: None,
        }
    }

    #[test]
    fn plaintext_auth_only_to_loopback() {
        let e = Mailer::new(&smtp("mail.example.org", TlsMode::None, true)).unwrap_err();
        assert_eq!(e.to_string(), "smtp.tls: \"none\" would send the password unencrypted to mail.example.org");
        assert!(!format!("{e:?}").contains("hunter2"));
        assert!(Mailer::new(&smtp("127.0.0.1", TlsMode::None, true)).is_ok());
        let remote = smtp("mail.example.org", TlsMode::None, false);
        assert!(Mailer::new(&remote).is_ok());
        // Plaintext is warned about for every host, loopback too.
        assert_eq!(
            plaintext_warning(&remote).as_deref(),
            Some("sending without encryption to mail.example.org:25 (tls = \"none\")")
        );
        assert!(plaintext_warning(&smtp("localhost", TlsMode::None, false)).is_some());
        assert_eq!(plaintext_warning(&smtp("mail.example.org", TlsMode::Starttls, true)), None);
        assert!(!format!("{:?}", Mailer::new(&smtp("127.0.0.1", TlsMode::None, true)).unwrap()).contains("hunter2"));
    }

    #[test]
    fn connecting_to_a_closed_port_fails_at_connect_without_retries() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut s = smtp("127.0.0.1", TlsMode::None, false);
        s.port = port;
        let mut m = Mailer::new(&s).unwrap();
        // A retry would wait a minute: connection failures are not retried.
        let b = Backoff { retries: 3, base: Duration::from_secs(60), max: Duration::from_secs(60) };
        let e = m.connect_with_retries(&b).unwrap_err();
        assert_eq!((e.kind(), e.stage()), (SendErrorKind::Connection, &Stage::Connect));
        assert_eq!(e.server(), format!("127.0.0.1:{port}"));
        assert!(format!("{m:?}").contains("connected: false"), "{m:?}");
    }

    #[test]
    fn bad_ca_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, "not a certificate").unwrap();
        let mut s = smtp("mail.example.org", TlsMode::Starttls, false);
        s.ca_file = Some(ca.clone());
        let e = Mailer::new(&s).unwrap_err();
        assert!(e.to_string().starts_with(&format!("smtp.ca_file: {}: not a PEM certificate", ca.display())), "{e}");
        s.ca_file = Some(dir.path().join("missing.pem"));
        assert!(matches!(Mailer::new(&s), Err(Error::CaFile(_))));
    }
}
