//! `dsr.toml`: who sends, where the evidence lives, how mail leaves.
//!
//! Lookup order (DESIGN §3): `--config PATH`, `$DSR_CONFIG` (both arrive here
//! as `explicit`), `./dsr.toml`, then the user's config directory
//! (`~/.config/dsr/dsr.toml` on Linux). No config at all is valid: dsr then
//! runs on its embedded defaults (outbox, local data dir) and only commands
//! that need a sender ask for one.
//!
//! The SMTP password is never a value in this file: it comes from an
//! environment variable, a file or a command, and is read only when mail is
//! actually sent ([`PasswordSource::resolve`]), straight into a
//! [`Secret`](crate::secret::Secret).

use crate::address::{EmailAddress, parse_email};
use crate::deadline::CalendarCode;
use crate::exit::ExitKind;
use crate::lang::Lang;
use crate::secret::Secret;
use crate::{file, toml_file};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The config file could not be read.
    #[error(transparent)]
    File(#[from] file::Error),
    /// The config file is not valid TOML or has the wrong shape.
    #[error(transparent)]
    Toml(#[from] toml_file::Error),
    /// A value is present but not acceptable.
    #[error("{}: {field}: {message}", path.display())]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// Dotted key, e.g. `smtp.password`.
        field: String,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: String,
    },
    /// A command needs a value the config does not have.
    #[error("{}", crate::t!("config.missing", what = what))]
    Missing {
        /// What is missing, e.g. `[sender]`.
        what: String,
        /// What to do.
        hint: String,
    },
    /// The SMTP password could not be obtained from its source.
    #[error("{}", crate::t!("config.password", source = source_desc, message = message))]
    Password {
        /// The source, e.g. `password_env = "DSR_SMTP_PASSWORD"`.
        source_desc: String,
        /// Why it failed, in the interface language (never contains the
        /// password).
        message: String,
        /// Why it failed, in English (for [`Error::evidence_text`]).
        evidence: String,
    },
}

impl Error {
    /// The exit code class: always bad input (the file, or a value or password source it names).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// The error as the evidence store keeps it (the reason of a witness
    /// mail that failed): a password source's failure in English whatever
    /// the interface language; every other error as it displays itself.
    pub fn evidence_text(&self) -> String {
        match self {
            Error::Password { source_desc, evidence, .. } => {
                crate::t_in!(crate::i18n::UiLang::En, "config.password", source = source_desc, message = evidence)
            }
            other => other.to_string(),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::File(e) => e.hint(),
            Error::Toml(e) => Some(e.hint_with(&crate::t!("toml.fix-config"))),
            Error::Invalid { hint, .. } | Error::Missing { hint, .. } => Some(hint.clone()),
            Error::Password { .. } => Some(crate::t!("config.password-hint")),
        }
    }
}

/// The loaded configuration. Every field has a usable default except the
/// sender, which only sending commands require ([`Config::sender`]).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from; `None` for the embedded defaults.
    pub path: Option<PathBuf>,
    /// Who sends requests.
    pub sender: Option<Sender>,
    /// Evidence log, objects and outbox; relative paths are taken from the
    /// config file's directory.
    pub data_dir: Option<PathBuf>,
    /// Letter language when neither `--lang` nor the policy says.
    pub language: Option<Lang>,
    /// Extra non-working days, added to the named calendars.
    pub extra_holidays: Vec<ExtraHoliday>,
    /// SMTP; `None` means the outbox.
    pub smtp: Option<Smtp>,
    /// DKIM signing; `None` means unsigned.
    pub dkim: Option<Dkim>,
    /// A directory of user policies that override or extend the built-in ones.
    pub policies_dir: Option<PathBuf>,
    /// A directory of user templates that override the built-in ones file by file.
    pub templates_dir: Option<PathBuf>,
    /// The key that signs the log's checkpoints (`dsr key new`); `None`
    /// means the default, `~/.config/dsr/signing-key`. Never inside the
    /// data directory.
    pub signing_key: Option<PathBuf>,
    /// Letters sent by post (`[post]`).
    pub post: Post,
    /// How long settled cases are kept before `dsr purge` deletes their
    /// objects (`[retention]`).
    pub retention: Retention,
    /// Time-stamping authorities (`[timestamp]`): each checkpoint dsr signs
    /// after a command is sent to them (RFC 3161). Empty: none.
    pub timestamp: Vec<Tsa>,
    /// The archive address every new signed checkpoint is mailed to
    /// (`[witness] email`), so a copy exists outside the data directory;
    /// `None` when not configured.
    pub witness_email: Option<EmailAddress>,
    /// The mailbox that `dsr mail sync` reads (`[imap]`); `None` when
    /// not configured.
    pub imap: Option<Imap>,
    /// `[sender] example = true`: the sender is still the fictional one
    /// `dsr init` wrote ([`INIT_MARKER`]); sending is refused until the
    /// user puts in their own and deletes the line ([`Config::own_sender`]).
    pub example_sender: bool,
}

/// The line `dsr init` puts under `[sender]` when it writes the example
/// signer (no details were given): sending commands refuse a config that
/// still has it. The example config in the repository has no such line.
pub const INIT_MARKER: &str =
    "example = true    # written by `dsr init`: the sender below is fictional; put in yours and delete this line";

/// One RFC 3161 time-stamping authority (`[[timestamp.tsa]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tsa {
    /// What the log and the verify report call it.
    pub name: String,
    /// Its `http://` URL (the request is POSTed there).
    pub url: String,
    /// The PEM file of the CA its certificate chains to, for `openssl ts
    /// -verify` (dsr itself does not check the token's signature).
    pub ca_file: Option<PathBuf>,
    /// Connect and read timeout in seconds (`[timestamp] timeout_secs`).
    pub timeout_secs: u64,
}

/// How the connection to the IMAP server is secured: always encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ImapTls {
    /// TLS from the first byte (IMAPS, usually port 993; default).
    #[default]
    Tls,
    /// Plain connection upgraded with STARTTLS, which is required (port 143).
    Starttls,
}

/// `[imap]`: the mailbox replies arrive in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imap {
    /// Server host name or IP address.
    pub host: String,
    /// Port; defaults by TLS mode (993 TLS, 143 STARTTLS).
    pub port: u16,
    /// Transport security.
    pub tls: ImapTls,
    /// LOGIN user name.
    pub username: String,
    /// Where the password comes from (as for SMTP).
    pub password: PasswordSource,
    /// The folders `dsr mail sync` reads (default `["INBOX"]`).
    pub folders: Vec<String>,
    /// The folder each message dsr sends is also stored in (IMAP APPEND),
    /// so the mail client shows it; `None`: not stored.
    pub sent_folder: Option<String>,
    /// Extra trusted CA certificates (PEM), as for SMTP.
    pub ca_file: Option<PathBuf>,
    /// Connect/read/write timeout in seconds.
    pub timeout_secs: u64,
}

/// `[post]`: letters sent by post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    /// Working days (of the company's calendar) from posting to the
    /// presumed receipt, until the receipt day is recorded (`dsr
    /// dispatched --received-on`). Default 4: the German Postgesetz
    /// (§ 18(1) as amended by the PostModG, from 2025) requires 99 % of
    /// domestic letters to arrive by the fourth working day after posting;
    /// docs/post.md explains the choice. Raise it for letters abroad.
    #[serde(default = "Post::default_days")]
    pub presumed_delivery_days: u32,
}

impl Post {
    /// The default of [`Post::presumed_delivery_days`].
    pub const DEFAULT_DAYS: u32 = 4;

    fn default_days() -> u32 {
        Post::DEFAULT_DAYS
    }
}

impl Default for Post {
    fn default() -> Post {
        Post { presumed_delivery_days: Post::DEFAULT_DAYS }
    }
}

/// `[retention]`: how long a case's evidence is kept after its last
/// activity before `dsr purge` may delete it without `--force`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// Whole years after the end of the calendar year of the case's last
    /// event. Default 3: the regular limitation period of German law
    /// (§ 195 BGB, three years) starts at the end of the year in which a
    /// claim arose (§ 199(1) BGB), so a claim about the case (damages under
    /// Art. 82 GDPR, a dispute over the request) can be raised until then,
    /// and the evidence is kept that long. docs/config.md explains it.
    #[serde(default = "Retention::default_years")]
    pub years: u32,
}

impl Retention {
    /// The default of [`Retention::years`].
    pub const DEFAULT_YEARS: u32 = 3;

    fn default_years() -> u32 {
        Retention::DEFAULT_YEARS
    }

    /// The last day a case whose last event was on `last` is kept: 31
    /// December of the year `years` after that event's year.
    pub fn kept_until(&self, last: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::Datelike;
        let year = last.year().saturating_add(i32::try_from(self.years).unwrap_or(i32::MAX));
        chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(chrono::NaiveDate::MAX)
    }
}

impl Default for Retention {
    fn default() -> Retention {
        Retention { years: Retention::DEFAULT_YEARS }
    }
}

/// The person or organisation sending requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sender {
    /// Name of the person who signs the letters.
    pub name: String,
    /// Organisation the sender acts for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The signer's role, e.g. "Data Protection Officer".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Postal address, one line per entry.
    pub address: Vec<String>,
    /// The address requests are sent from (the From header).
    pub email: EmailAddress,
    /// Where replies should go, if not `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<EmailAddress>,
    /// An archive mailbox that gets a copy (Cc) with `--cc-self`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_cc: Option<EmailAddress>,
    /// The sender's own holiday calendar (for dates the sender sets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarCode>,
}

/// `[sender]` as written: the addresses still strings, so that a bad one
/// is reported with its key (`sender.reply_to`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SenderFile {
    name: String,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    address: Vec<String>,
    email: String,
    #[serde(default)]
    reply_to: Option<String>,
    #[serde(default)]
    archive_cc: Option<String>,
    #[serde(default)]
    calendar: Option<CalendarCode>,
    /// [`INIT_MARKER`].
    #[serde(default)]
    example: bool,
}

/// One extra non-working day in a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraHoliday {
    /// The calendar it belongs to.
    pub calendar: CalendarCode,
    /// The day.
    #[serde(with = "crate::toml_file::date")]
    pub date: NaiveDate,
    /// Why it is a non-working day (shown when it moves a deadline).
    #[serde(default)]
    pub name: Option<String>,
}

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain connection upgraded with STARTTLS, which is required (default).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only to a loopback address, or when chosen explicitly.
    None,
}

/// Where the SMTP password comes from. Never the password itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordSource {
    /// An environment variable's name.
    Env(String),
    /// A file whose content (trimmed of one final newline) is the password.
    File(PathBuf),
    /// A shell command whose standard output is the password.
    Command(String),
}

impl PasswordSource {
    /// `password_env = "NAME"` etc., for messages. Never the value.
    pub fn describe(&self) -> String {
        match self {
            PasswordSource::Env(v) => format!("password_env = \"{v}\""),
            PasswordSource::File(p) => format!("password_file = \"{}\"", p.display()),
            PasswordSource::Command(c) => format!("password_command = \"{c}\""),
        }
    }

    /// Reads the password of the config's `section` (`smtp`, `imap`: named
    /// in the error). Called only when it is about to be used.
    ///
    /// # Errors
    /// The variable is unset, the file unreadable, the command fails, or the
    /// result is empty. The error never contains the password.
    pub fn resolve(&self, section: &str) -> Result<Secret<String>, Error> {
        use crate::i18n::UiLang::En;
        // Why, in the interface language and in English (the evidence store
        // keeps the English one: a failed witness mail's reason).
        let source_desc = format!("[{section}] {}", self.describe());
        let fail =
            |message: String, evidence: String| Error::Password { source_desc: source_desc.clone(), message, evidence };
        let value = match self {
            PasswordSource::Env(name) => std::env::var(name)
                .map_err(|_| fail(crate::t!("input.config.env-unset"), crate::t_in!(En, "input.config.env-unset")))?,
            PasswordSource::File(path) => {
                // Bounded and checked like every file a user names: a password
                // file of /dev/zero must not be read until memory runs out.
                let text = file::read_text(path, file::Limit::KEY).map_err(|e| fail(e.to_string(), e.to_string()))?;
                strip_one_newline(text)
            }
            PasswordSource::Command(cmd) => {
                let out = Command::new("sh")
                    .arg("-c")
                    .arg(cmd)
                    .stdin(std::process::Stdio::null())
                    .stderr(std::process::Stdio::inherit())
                    .output()
                    .map_err(|e| {
                        fail(
                            crate::t!("input.config.cannot-run", error = e),
                            crate::t_in!(En, "input.config.cannot-run", error = e),
                        )
                    })?;
                if !out.status.success() {
                    let status = exit_status(out.status, crate::i18n::ui());
                    return Err(fail(
                        crate::t!("input.config.exited", status = status),
                        crate::t_in!(En, "input.config.exited", status = exit_status(out.status, En)),
                    ));
                }
                strip_one_newline(
                    String::from_utf8(out.stdout).map_err(|_| {
                        fail(crate::t!("input.config.not-utf8"), crate::t_in!(En, "input.config.not-utf8"))
                    })?,
                )
            }
        };
        if value.is_empty() {
            return Err(fail(
                crate::t!("input.config.empty-password"),
                crate::t_in!(En, "input.config.empty-password"),
            ));
        }
        Ok(Secret::new(value))
    }
}

/// How a password command ended, for a message in `lang`: English keeps
/// the standard library's words (`exit status: 3`); another language says
/// the exit code in its own (`Exit-Code 3`), or the signal.
fn exit_status(status: std::process::ExitStatus, lang: crate::i18n::UiLang) -> String {
    if lang == crate::i18n::UiLang::En {
        return status.to_string();
    }
    match status.code() {
        Some(code) => crate::t_in!(lang, "input.config.exit-code", code = code),
        None => status.to_string(),
    }
}

fn strip_one_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    s
}

/// SMTP settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Smtp {
    /// Server host name or IP address.
    pub host: String,
    /// Port; defaults by TLS mode (587 STARTTLS, 465 TLS, 25 none).
    pub port: u16,
    /// Transport security.
    pub tls: TlsMode,
    /// AUTH user name; no AUTH when absent.
    pub username: Option<String>,
    /// Where the password comes from (required with `username`).
    pub password: Option<PasswordSource>,
    /// A PEM file of CA certificates to trust in addition to the system's
    /// (for private relays and tests).
    pub ca_file: Option<PathBuf>,
    /// Connect/read/write timeout in seconds.
    pub timeout_secs: u64,
    /// How many times a 4xx reply is retried before giving up.
    pub retries: u32,
    /// Name sent in EHLO; defaults to the machine's host name.
    pub helo_name: Option<String>,
}

/// DKIM signing settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dkim {
    /// The signing domain (`d=`).
    pub domain: String,
    /// The selector (`s=`).
    pub selector: String,
    /// Key algorithm.
    pub algorithm: DkimAlgorithm,
    /// The private key file: PKCS#1 PEM for RSA, base64 of the 32-byte seed
    /// for Ed25519. Read only when signing; never logged.
    pub key_file: PathBuf,
}

/// DKIM key algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DkimAlgorithm {
    /// rsa-sha256.
    Rsa,
    /// ed25519-sha256 (RFC 8463).
    Ed25519,
}

// ----- the file's shape -------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    sender: Option<SenderFile>,
    data_dir: Option<PathBuf>,
    language: Option<Lang>,
    policies_dir: Option<PathBuf>,
    templates_dir: Option<PathBuf>,
    signing_key: Option<PathBuf>,
    #[serde(default)]
    holidays: Vec<ExtraHoliday>,
    smtp: Option<SmtpFile>,
    dkim: Option<Dkim>,
    #[serde(default)]
    post: Post,
    #[serde(default)]
    retention: Retention,
    timestamp: Option<TimestampFile>,
    imap: Option<ImapFile>,
    witness: Option<WitnessFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WitnessFile {
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimestampFile {
    timeout_secs: Option<u64>,
    #[serde(default)]
    tsa: Vec<TsaFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TsaFile {
    name: String,
    url: String,
    ca_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImapFile {
    host: String,
    port: Option<u16>,
    #[serde(default)]
    tls: ImapTls,
    username: String,
    password: Option<toml::Value>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    password_command: Option<String>,
    folders: Option<Vec<String>>,
    sent_folder: Option<String>,
    ca_file: Option<PathBuf>,
    timeout_secs: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpFile {
    host: String,
    port: Option<u16>,
    #[serde(default)]
    tls: TlsMode,
    username: Option<String>,
    /// Present only to give a helpful error: inline passwords are refused.
    password: Option<toml::Value>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    password_command: Option<String>,
    ca_file: Option<PathBuf>,
    timeout_secs: Option<u64>,
    retries: Option<u32>,
    helo_name: Option<String>,
}

/// The file name looked for in the current and the user's config directory.
pub const FILE_NAME: &str = "dsr.toml";

/// Finds the config file to use: `explicit` (from `--config` or
/// `$DSR_CONFIG`), else `./dsr.toml`, else `user_dir/dsr.toml`.
/// Returns `None` when there is none (embedded defaults apply).
pub fn find(explicit: Option<&Path>, cwd: &Path, user_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let local = cwd.join(FILE_NAME);
    if local.is_file() {
        return Some(local);
    }
    user_dir.map(|d| d.join(FILE_NAME)).filter(|p| p.is_file())
}

impl Config {
    /// Loads and validates a config file.
    ///
    /// # Errors
    /// The file is unreadable, malformed, has unknown keys, an inline SMTP
    /// password, or an invalid address.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = file::read_text(path, file::Limit::TEXT)?;
        Config::parse(path, &text)
    }

    /// Parses config text that came from `path` (used in messages and to
    /// resolve relative paths).
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(path: &Path, text: &str) -> Result<Config, Error> {
        let raw: ConfigFile = toml_file::parse(path, text)?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let rel = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        let invalid = |field: &str, message: String, hint: &str| Error::Invalid {
            path: path.to_path_buf(),
            field: field.to_string(),
            message,
            hint: hint.to_string(),
        };
        let example_sender = raw.sender.as_ref().is_some_and(|s| s.example);
        let sender = match raw.sender {
            None => None,
            Some(s) => {
                let address = |field: &str, value: &str| {
                    parse_email(value).map_err(|e| invalid(field, e.to_string(), &crate::t!("config.email-hint")))
                };
                let email = address("sender.email", &s.email)?;
                let reply_to = s.reply_to.as_deref().map(|v| address("sender.reply_to", v)).transpose()?;
                let archive_cc = s.archive_cc.as_deref().map(|v| address("sender.archive_cc", v)).transpose()?;
                if s.name.trim().is_empty() {
                    return Err(invalid(
                        "sender.name",
                        crate::t!("config.empty"),
                        &crate::t!("config.sender-name-hint"),
                    ));
                }
                Some(Sender {
                    name: s.name,
                    organisation: s.organisation,
                    role: s.role,
                    address: s.address,
                    email,
                    reply_to,
                    archive_cc,
                    calendar: s.calendar,
                })
            }
        };
        let smtp = match raw.smtp {
            None => None,
            Some(f) => {
                let password = password_source(
                    "smtp",
                    f.password.is_some(),
                    [
                        f.password_env.map(PasswordSource::Env),
                        f.password_file.map(|p| PasswordSource::File(rel(p))),
                        f.password_command.map(PasswordSource::Command),
                    ],
                    &invalid,
                )?;
                if f.username.is_some() && password.is_none() {
                    return Err(invalid(
                        "smtp.username",
                        crate::t!("config.username-no-password"),
                        &crate::t!("config.username-no-password-hint"),
                    ));
                }
                if f.host.trim().is_empty() {
                    return Err(invalid("smtp.host", crate::t!("config.empty"), &crate::t!("config.smtp-host-hint")));
                }
                let port = f.port.unwrap_or(match f.tls {
                    TlsMode::Starttls => 587,
                    TlsMode::Tls => 465,
                    TlsMode::None => 25,
                });
                Some(Smtp {
                    host: f.host,
                    port,
                    tls: f.tls,
                    username: f.username,
                    password,
                    ca_file: f.ca_file.map(rel),
                    timeout_secs: f.timeout_secs.unwrap_or(30),
                    retries: f.retries.unwrap_or(3),
                    helo_name: f.helo_name,
                })
            }
        };
        let mut timestamp = Vec::new();
        if let Some(t) = raw.timestamp {
            let timeout_secs = t.timeout_secs.unwrap_or(10);
            if timeout_secs == 0 {
                return Err(invalid(
                    "timestamp.timeout_secs",
                    crate::t!("config.at-least-one"),
                    &crate::t!("config.timeout-hint"),
                ));
            }
            for (i, tsa) in t.tsa.into_iter().enumerate() {
                if tsa.name.trim().is_empty() {
                    return Err(invalid(
                        &format!("timestamp.tsa[{i}].name"),
                        crate::t!("config.empty"),
                        &crate::t!("config.tsa-name-hint"),
                    ));
                }
                if !tsa.url.starts_with("http://") {
                    return Err(invalid(
                        &format!("timestamp.tsa[{i}].url"),
                        crate::t!("config.tsa-url", url = format!("{:?}", tsa.url)),
                        &crate::t!("config.tsa-url-hint"),
                    ));
                }
                timestamp.push(Tsa { name: tsa.name, url: tsa.url, ca_file: tsa.ca_file.map(rel), timeout_secs });
            }
        }
        let imap = match raw.imap {
            None => None,
            Some(f) => {
                let password = password_source(
                    "imap",
                    f.password.is_some(),
                    [
                        f.password_env.map(PasswordSource::Env),
                        f.password_file.map(|p| PasswordSource::File(rel(p))),
                        f.password_command.map(PasswordSource::Command),
                    ],
                    &invalid,
                )?
                .ok_or_else(|| {
                    invalid("imap.password_*", crate::t!("config.no-password"), &crate::t!("config.no-password-hint"))
                })?;
                if f.host.trim().is_empty() {
                    return Err(invalid("imap.host", crate::t!("config.empty"), &crate::t!("config.imap-host-hint")));
                }
                let folders = f.folders.unwrap_or_else(|| vec!["INBOX".into()]);
                if folders.is_empty() || folders.iter().any(|n| !valid_folder(n)) {
                    return Err(invalid(
                        "imap.folders",
                        crate::t!("config.folders"),
                        &crate::t!("config.folders-hint"),
                    ));
                }
                if f.sent_folder.as_deref().is_some_and(|n| !valid_folder(n)) {
                    return Err(invalid(
                        "imap.sent_folder",
                        crate::t!("config.sent-folder"),
                        &crate::t!("config.sent-folder-hint"),
                    ));
                }
                let port = f.port.unwrap_or(match f.tls {
                    ImapTls::Tls => 993,
                    ImapTls::Starttls => 143,
                });
                Some(Imap {
                    host: f.host,
                    port,
                    tls: f.tls,
                    username: f.username,
                    password,
                    folders,
                    sent_folder: f.sent_folder,
                    ca_file: f.ca_file.map(rel),
                    timeout_secs: f.timeout_secs.unwrap_or(60),
                })
            }
        };
        let witness_email = match raw.witness.and_then(|w| w.email) {
            None => None,
            Some(v) => Some(
                parse_email(&v)
                    .map_err(|e| invalid("witness.email", e.to_string(), &crate::t!("config.witness-hint")))?,
            ),
        };
        Ok(Config {
            example_sender,
            witness_email,
            imap,
            path: Some(path.to_path_buf()),
            sender,
            data_dir: raw.data_dir.map(rel),
            language: raw.language,
            extra_holidays: raw.holidays,
            smtp,
            dkim: raw.dkim.map(|d| Dkim { key_file: rel(d.key_file), ..d }),
            policies_dir: raw.policies_dir.map(rel),
            templates_dir: raw.templates_dir.map(rel),
            signing_key: raw.signing_key.map(rel),
            post: raw.post,
            retention: raw.retention,
            timestamp,
        })
    }

    /// The sender, for a command that sends: refused while it is still
    /// the example `dsr init` wrote ([`INIT_MARKER`]).
    ///
    /// # Errors
    /// As [`Config::sender`]; [`Error::Invalid`] for the example sender.
    pub fn own_sender(&self) -> Result<&Sender, Error> {
        let sender = self.sender()?;
        if self.example_sender {
            let file = self.path.as_ref().map_or_else(|| "dsr.toml".into(), |p| p.display().to_string());
            return Err(Error::Invalid {
                path: self.path.clone().unwrap_or_default(),
                field: "sender.example".into(),
                message: crate::t!("input.config.example-sender", name = sender.name),
                hint: crate::t!("input.config.example-sender-hint", file = file),
            });
        }
        Ok(sender)
    }

    /// The extra non-working days of one calendar (`[[holidays]]`).
    pub fn extra_days(&self, calendar: CalendarCode) -> Vec<crate::deadline::ExtraDay> {
        self.extra_holidays
            .iter()
            .filter(|h| h.calendar == calendar)
            .map(|h| crate::deadline::ExtraDay { date: h.date, name: h.name.clone() })
            .collect()
    }

    /// The sender, required by commands that write letters.
    ///
    /// # Errors
    /// [`Error::Missing`] when the config has no `[sender]`.
    pub fn sender(&self) -> Result<&Sender, Error> {
        self.sender.as_ref().ok_or_else(|| Error::Missing {
            what: match &self.path {
                Some(p) => format!("[sender] in {}", p.display()),
                None => crate::t!("input.config.no-config-sender"),
            },
            hint: crate::t!("input.config.no-sender-hint"),
        })
    }
}

/// The password source of `[section]`: at most one of the three, never
/// an inline password. One rule for SMTP and IMAP.
fn password_source(
    section: &str,
    inline: bool,
    sources: [Option<PasswordSource>; 3],
    invalid: &dyn Fn(&str, String, &str) -> Error,
) -> Result<Option<PasswordSource>, Error> {
    if inline {
        return Err(invalid(
            &format!("{section}.password"),
            crate::t!("config.inline-password"),
            &crate::t!("config.inline-password-hint"),
        ));
    }
    let mut sources: Vec<PasswordSource> = sources.into_iter().flatten().collect();
    if sources.len() > 1 {
        return Err(invalid(
            &format!("{section}.password_*"),
            crate::t!("config.two-passwords"),
            &crate::t!("config.two-passwords-hint"),
        ));
    }
    Ok(sources.pop())
}

/// An IMAP folder name dsr can quote: not empty, no control characters,
/// quotes or backslashes.
fn valid_folder(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_control() || c == '"' || c == '\\')
}

/// The commented `dsr.toml` that `dsr init` writes.
pub const TEMPLATE: &str = include_str!("../examples/dsr.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(Path::new("/etc/dsr/dsr.toml"), text)
    }

    #[test]
    fn timestamp_authorities() {
        let c = parse(
            "[timestamp]\ntimeout_secs = 3\n[[timestamp.tsa]]\nname = \"a\"\nurl = \"http://tsa.example/tsr\"\nca_file = \"ca.pem\"\n",
        )
        .unwrap();
        assert_eq!(
            c.timestamp,
            [Tsa {
                name: "a".into(),
                url: "http://tsa.example/tsr".into(),
                ca_file: Some("/etc/dsr/ca.pem".into()),
                timeout_secs: 3
            }]
        );
        assert!(parse("").unwrap().timestamp.is_empty());
        assert_eq!(parse("").unwrap().witness_email, None);
        let c = parse("[witness]\nemail = \"archive@example.org\"\n").unwrap();
        assert_eq!(c.witness_email.map(|e| e.to_string()), Some("archive@example.org".into()));
        let e = parse("[witness]\nemail = \"Archive <a@example.org>\"\n").unwrap_err();
        assert!(e.to_string().contains("witness.email"), "{e}");
        let e = parse("[[timestamp.tsa]]\nname = \"a\"\nurl = \"https://tsa.example/\"\n").unwrap_err();
        assert!(e.to_string().contains("timestamp.tsa[0].url"), "{e}");
        let e = parse("[[timestamp.tsa]]\nname = \" \"\nurl = \"http://tsa.example/\"\n").unwrap_err();
        assert!(e.to_string().contains("timestamp.tsa[0].name"), "{e}");
        assert!(parse("[timestamp]\ntimeout_secs = 0\n").is_err());
        assert!(parse("[[timestamp.tsa]]\nname = \"a\"\nurl = \"http://x/\"\npassword = \"p\"\n").is_err());
    }

    #[test]
    fn the_example_config_parses() {
        let c = parse(TEMPLATE).unwrap();
        assert!(c.sender.is_some());
        assert!(c.smtp.is_none(), "the example must default to the outbox");
    }

    #[test]
    fn extra_holidays_take_toml_and_quoted_dates() {
        let c = parse("[[holidays]]\ncalendar = \"IE\"\ndate = 2026-12-29\n\n[[holidays]]\ncalendar = \"DE-BE\"\ndate = \"2026-12-30\"\nname = \"x\"\n").unwrap();
        let dates: Vec<String> = c.extra_holidays.iter().map(|h| h.date.to_string()).collect();
        assert_eq!(dates, ["2026-12-29", "2026-12-30"]);
        let e = parse("[[holidays]]\ncalendar = \"IE\"\ndate = 2026-12-29T10:00:00\n").unwrap_err().to_string();
        assert!(e.ends_with("3:8: expected a date like 2026-11-28, found the date-time 2026-12-29T10:00:00"), "{e}");
    }

    #[test]
    fn inline_password_is_refused_with_the_three_alternatives() {
        let e = parse("[smtp]\nhost = \"mail.example.org\"\nusername = \"u\"\npassword = \"hunter2\"\n").unwrap_err();
        assert_eq!(e.to_string(), "/etc/dsr/dsr.toml: smtp.password: an inline password is not allowed");
        let hint = e.hint().unwrap();
        assert!(hint.contains("password_env") && hint.contains("password_file") && hint.contains("password_command"));
        assert!(!format!("{e:?}{hint}").contains("hunter2"));
    }

    #[test]
    fn smtp_defaults_and_relative_paths() {
        let c =
            parse("[smtp]\nhost = \"h\"\nusername = \"u\"\npassword_file = \"pw\"\nca_file = \"ca.pem\"\n").unwrap();
        let s = c.smtp.unwrap();
        assert_eq!((s.port, s.tls, s.retries), (587, TlsMode::Starttls, 3));
        assert_eq!(s.password, Some(PasswordSource::File("/etc/dsr/pw".into())));
        assert_eq!(s.ca_file, Some("/etc/dsr/ca.pem".into()));
    }

    #[test]
    fn bad_sender_email_names_the_field() {
        let e = parse("[sender]\nname = \"A\"\nemail = \"not-an-address\"\n").unwrap_err();
        assert!(e.to_string().starts_with("/etc/dsr/dsr.toml: sender.email: "), "{e}");
        let e =
            parse("[sender]\nname = \"A\"\nemail = \"a@b.example\"\narchive_cc = \"A <c@b.example>\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "/etc/dsr/dsr.toml: sender.archive_cc: 'A <c@b.example>' is not a valid email address: write only the \
             address, without a name or angle brackets"
        );
        let s = parse("[sender]\nname = \"A\"\nemail = \"dpo@b.example\"\n").unwrap().sender.unwrap();
        assert_eq!((s.email.as_str(), s.email.domain()), ("dpo@b.example", "b.example"));
    }

    #[test]
    fn username_without_password_source() {
        let e = parse("[smtp]\nhost = \"h\"\nusername = \"u\"\n").unwrap_err();
        assert!(e.to_string().contains("smtp.username"), "{e}");
    }

    #[test]
    fn password_sources_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pw");
        std::fs::write(&f, "s3cret\n").unwrap();
        assert_eq!(PasswordSource::File(f).resolve("smtp").unwrap().expose(), "s3cret");
        assert_eq!(PasswordSource::Command("printf abc".into()).resolve("smtp").unwrap().expose(), "abc");
        let e = PasswordSource::Env("DSR_TEST_SURELY_UNSET_VAR".into()).resolve("smtp").unwrap_err();
        assert!(e.to_string().contains("[smtp] password_env = \"DSR_TEST_SURELY_UNSET_VAR\""));
        assert!(PasswordSource::Command("exit 3".into()).resolve("smtp").is_err());
    }
}
