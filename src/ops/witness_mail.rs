//! The archive witness (issue 13 point 5): each new signed checkpoint
//! mailed to an address the user names (`[witness] email` in dsr.toml), so
//! a dated copy exists outside the data directory even when no request is
//! sent for a while.
//!
//! After every command that appends and signs a checkpoint (`cli/seal.rs`,
//! after the timestamps), [`mail_checkpoint`] builds a small text message
//! from the sender's address to the archive address: the checkpoint's
//! signed note in the body and, as in every message dsr sends, in the
//! `DSR-Checkpoint:` header ([`crate::evidence::witness`]), DKIM-signed when
//! `[dkim]` is configured. It goes out through the same SMTP settings and
//! [`mail::smtp::Mailer`] as requests do, or, without `[smtp]`, into the
//! outbox. The outcome is logged:
//!
//! - `witness_sent`: the server accepted it (its reply code, and the whole
//!   reply as an `smtp-reply` object, since a reply may echo an address);
//! - `witness_outboxed`: written to the outbox (no `[smtp]`): not sent;
//! - `witness_failed`: not sent; the reason as an `smtp-error` object.
//!
//! Each names the checkpoint line (`checkpoint.seq`, `size`, `root`), the
//! address, the Message-ID and the message's exact bytes (`message`
//! object). A failure never fails the command; the next command that
//! appends mails its own, newer checkpoint, which covers everything before
//! it: that is the catch-up.
//!
//! Like the timestamps, the network call is made without the log's lock;
//! the lines are appended afterwards, and covered by the next checkpoint.

use crate::address::EmailAddress;
use crate::case::event::role;
use crate::config::Config;
use crate::evidence::{self, Log, LoggedCheckpoint, NewEvent};
use crate::mail::{self, message::MessageSpec};
use chrono::{DateTime, Utc};
use serde_json::json;

/// The event of a witness message the server accepted.
pub const WITNESS_SENT_EVENT: &str = "witness_sent";
/// The event of a witness message written to the outbox (no `[smtp]`).
pub const WITNESS_OUTBOXED_EVENT: &str = "witness_outboxed";
/// The event of a witness message that could not be sent.
pub const WITNESS_FAILED_EVENT: &str = "witness_failed";

/// What became of one witness message.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The logged line.
    pub entry: evidence::Entry,
    /// The archive address.
    pub to: EmailAddress,
    /// Sent: the server's reply code; outboxed: the file; failed: why.
    pub result: Delivered,
}

/// How a witness message left, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// The server accepted it with this reply code.
    Sent(u16),
    /// Written to this outbox file (relative to the data directory).
    Outboxed(String),
    /// Not sent, for this reason.
    Failed(String),
}

/// Mails checkpoint `cp` to `to` (see the module docs) and logs the
/// outcome.
///
/// # Errors
/// Only what stops the outcome from being logged: the config has no
/// usable sender, the message cannot be built, the log cannot be
/// written. A delivery failure is logged as `witness_failed` and returned
/// as [`Delivered::Failed`].
pub fn mail_checkpoint(
    data_dir: &std::path::Path,
    config: &Config,
    to: &EmailAddress,
    cp: &LoggedCheckpoint,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<Outcome, crate::Error> {
    let sender = config.own_sender()?;
    let message_id = mail::message::generate_message_id(sender.email.domain(), &mail::message::random_id_bytes()?)?;
    let c = &cp.note.checkpoint;
    let subject = format!("dsr evidence log checkpoint: {} lines of {}", c.size, c.origin);
    let body = format!(
        "This message holds a signed checkpoint of the evidence log that dsr\n\
         keeps for {name} <{email}>:\n\
         the log {origin} had {size} lines,\n\
         and the root of their Merkle tree was\n\
         {root}.\n\
         \n\
         Keep it unchanged, where the sender cannot alter it. It proves what\n\
         the log held at this point, even against someone who holds the\n\
         sender's data directory and signing key:\n\
         \n\
         \x20   dsr log verify --checkpoint THIS-MESSAGE.eml --key KEY\n\
         \x20   python3 verify_log.py DATA --checkpoint THIS-MESSAGE.eml --key KEY\n\
         \n\
         KEY is the sender's published verifier key. The signed checkpoint\n\
         (a C2SP signed note; the same bytes are in this message's\n\
         DSR-Checkpoint header):\n\
         \n\
         {note}",
        name = sender.name,
        email = sender.email,
        origin = c.origin,
        size = c.size,
        root = c.root,
        note = cp.note.note,
    );
    let mut spec = MessageSpec::new(
        (sender.name.clone(), sender.email.clone()),
        vec![(None, to.clone())],
        subject,
        body,
        message_id,
        now(),
    );
    spec.checkpoint = Some(cp.note.note.clone());
    let dkim = config.dkim.as_ref().map(mail::dkim::Signer::load).transpose()?;
    let message = mail::message::build(&spec, dkim.as_ref())?;

    let checkpoint = json!({"seq": cp.seq, "size": c.size, "root": c.root});
    let id = message.message_id().as_str().to_string();
    let (event, data, result, extra): Logged<'_> = match &config.smtp {
        None => {
            let dir = data_dir.join(mail::outbox::DIR);
            match mail::outbox::write(&dir, &message, now()) {
                Ok(file) => {
                    let rel = file.strip_prefix(data_dir).unwrap_or(&file).to_string_lossy().into_owned();
                    let data = json!({"checkpoint": checkpoint, "to": to, "message_id": id, "file": rel});
                    (WITNESS_OUTBOXED_EVENT, data, Delivered::Outboxed(rel), None)
                }
                Err(e) => failed(&checkpoint, to, &id, "outbox", None, e.evidence_text()),
            }
        }
        Some(smtp) => {
            let sent = mail::smtp::Mailer::new(smtp).map_err(|e| e.evidence_text()).and_then(|mut mailer| {
                let r = mailer.connect().and_then(|()| mailer.send(&message)).map_err(|e| e.evidence_text());
                mailer.close();
                r
            });
            match sent {
                Ok(d) => {
                    let data = json!({
                        "checkpoint": checkpoint, "to": to, "message_id": id, "server": d.server,
                        "tls": d.tls, "code": d.code, "queue_id": mail::smtp::queue_id(&d.text),
                    });
                    let reply = format!("{} {}", d.code, d.text).into_bytes();
                    (WITNESS_SENT_EVENT, data, Delivered::Sent(d.code), Some((role::SMTP_REPLY, reply)))
                }
                Err(why) => failed(&checkpoint, to, &id, "smtp", Some(smtp.host.clone()), why),
            }
        }
    };
    let mut log = Log::open(data_dir)?;
    let mut objects = vec![log.store().put(message.bytes())?.with_role(role::MESSAGE)];
    if let Some((r, bytes)) = extra {
        objects.push(log.store().put(&bytes)?.with_role(r));
    }
    let mut data = data;
    data["objects"] = json!(objects);
    let entry = log.append(NewEvent::new(now(), event, None, data))?;
    Ok(Outcome { entry, to: to.clone(), result })
}

/// What is logged: the event, its `data` (without `objects`), the
/// outcome, and a second object to store besides the message (role,
/// bytes).
type Logged<'a> = (&'a str, serde_json::Value, Delivered, Option<(&'a str, Vec<u8>)>);

/// A `witness_failed` line's parts: the reason goes into an object (an
/// SMTP error may echo an address), the route and server into the line.
fn failed<'a>(
    checkpoint: &serde_json::Value,
    to: &EmailAddress,
    id: &str,
    route: &str,
    server: Option<String>,
    why: String,
) -> Logged<'a> {
    let data = json!({"checkpoint": checkpoint, "to": to, "message_id": id, "route": route, "server": server});
    (WITNESS_FAILED_EVENT, data, Delivered::Failed(why.clone()), Some((role::SMTP_ERROR, why.into_bytes())))
}
