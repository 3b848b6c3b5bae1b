//! The options that describe one request, shared by `render` and `send`
//! (cargo's command_prelude: an option means the same everywhere).

use crate::deadline::CalendarCode;
use crate::kind::{ErasureGround, LetterKind};
use crate::lang::Lang;
use crate::policy::PolicyId;
use crate::request::Options;
use chrono::NaiveDate;
use std::path::PathBuf;

/// What to write to whom.
#[derive(Debug, Clone, clap::Args)]
pub struct RequestArgs {
    /// The company's policy id (see `dsr policy list`).
    #[arg(long, value_name = "POLICY")]
    pub to: Option<PolicyId>,
    /// The letter kind.
    #[arg(long, value_enum)]
    pub kind: Option<LetterKind>,
    /// The subject file: whom the request is about (docs/subjects.md).
    #[arg(long, value_name = "FILE")]
    pub subject: Option<PathBuf>,
    /// Letter language [default: the policy's].
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Attach a file (repeatable).
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Confirm a precondition of the policy by its id (repeatable).
    #[arg(long, value_name = "ID")]
    pub confirm: Vec<String>,
    /// Erasure: the Art. 17(1) ground(s) [default: a and b].
    #[arg(long, value_enum, value_name = "LETTER")]
    pub ground: Vec<ErasureGround>,
    /// Processor deletion: the date by which written confirmation is asked
    /// [default: one month from today, in the company's calendar].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub confirm_by: Option<NaiveDate>,
    /// The holiday calendar of the place where the company acts, when the
    /// policy names none.
    #[arg(long, value_name = "CODE")]
    pub calendar: Option<CalendarCode>,
    /// Send a copy to your archive address ([sender] archive_cc).
    #[arg(long)]
    pub cc_self: bool,
    /// Ask the recipient's mail program for a read receipt
    /// (Disposition-Notification-To; the recipient may decline).
    #[arg(long)]
    pub read_receipt: bool,
    /// How the letter goes: email (default, where the company takes it),
    /// post (a DIN 5008 PDF letter to print and post) or webform (the text
    /// to paste into the company's form). Nothing but email is sent by dsr:
    /// record the sending with `dsr dispatched`.
    #[arg(long, value_enum, value_name = "CHANNEL")]
    pub via: Option<crate::channel::Channel>,
}

impl RequestArgs {
    /// The library's options, or a usage error naming the missing flag.
    ///
    /// # Errors
    /// `--to` or `--subject` is missing.
    pub fn options(&self) -> Result<Options, crate::Error> {
        let missing = |flag: &str, what: &str| crate::Error::usage(format!("{flag} is required"), what.to_string());
        Ok(Options {
            to: self.to.clone().ok_or_else(|| missing("--to POLICY", "name the company, e.g. --to zendesk"))?,
            kind: self.kind.ok_or_else(|| missing("--kind KIND", "one of: erasure, processor-deletion, access"))?,
            lang: self.lang,
            subject: self
                .subject
                .clone()
                .ok_or_else(|| missing("--subject FILE", "the subject file; see examples/subject-person.toml"))?,
            attach: self.attach.clone(),
            confirm: self.confirm.clone(),
            cc_self: self.cc_self,
            grounds: self.ground.clone(),
            confirm_by: self.confirm_by,
            calendar: self.calendar,
            read_receipt: self.read_receipt,
            inline_subject: None,
            via: self.via,
        })
    }
}
