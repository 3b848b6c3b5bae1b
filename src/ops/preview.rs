//! What a confirmation question shows before an irreversible step (issue
//! 17 point 2): to whom a letter goes, what kind, by which channel and
//! with which attachments.
//!
//! The workflows fill a [`Preview`] from what they validated and built
//! (nothing is stored yet); the CLI prints it and asks (`cli::prompt`).
//! Keeping it plain data keeps the question out of library code: a
//! workflow takes a `confirm` callback and calls it between building and
//! storing, so that a "no" leaves nothing behind.

use crate::address::EmailAddress;
use crate::channel::Channel;
use crate::kind::LetterKind;
use crate::request::Request;
use serde::Serialize;

/// One letter about to be stored, logged and sent (or written out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    /// The letter kind.
    pub kind: LetterKind,
    /// The recipient's name (the company's legal name, or the authority's).
    pub recipient: String,
    /// The To addresses (empty for a letter for post).
    pub to: Vec<EmailAddress>,
    /// The Cc addresses.
    pub cc: Vec<EmailAddress>,
    /// How it goes.
    pub channel: Channel,
    /// The attachments' file names, in the order they are attached.
    pub attachments: Vec<String>,
}

impl Preview {
    /// What `dsr send` would send for `req`: the identity record (text and
    /// JSON), then the mandate, the evidence files and the attachments, as
    /// [`super::compose::attachments`] attaches them.
    pub fn of_request(req: &Request) -> Preview {
        let mut attachments = vec![crate::identity::TXT_NAME.to_string(), crate::identity::JSON_NAME.to_string()];
        attachments.extend(req.mandate.iter().chain(&req.evidence).chain(&req.attachments).map(|f| f.name.clone()));
        Preview {
            kind: req.kind,
            recipient: req.policy.entity.legal_name.clone(),
            to: req.to.clone(),
            cc: req.cc.clone(),
            channel: req.channel,
            attachments,
        }
    }
}

/// The callback a workflow calls with its preview before it stores
/// anything: `Ok(())` goes ahead, an error (not confirmed, no terminal)
/// stops the workflow with nothing stored, logged or sent.
pub type Confirm<'a> = &'a dyn Fn(&Preview) -> Result<(), crate::Error>;
