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
    #[arg(long, value_name = "POLICY", value_parser = PolicyIdParser)]
    pub to: Option<PolicyId>,
    /// The letter kind (reminders and complaints have commands of their
    /// own: `dsr remind`, `dsr complain`).
    #[arg(long, value_name = "KIND", value_parser = InitialKindParser)]
    pub kind: Option<LetterKind>,
    /// The subject file: whom the request is about (docs/subjects.md);
    /// `-` reads it from standard input.
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
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::iso_date::parse)]
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
    /// Attach a copy of an identity document (repeatable); only when the
    /// policy requires one, and with --confirm-id-document.
    #[arg(long, value_name = "FILE")]
    pub id_document: Vec<PathBuf>,
    /// Confirm that the identity document is a redacted copy, sent because
    /// the company's policy requires one.
    #[arg(long)]
    pub confirm_id_document: bool,
    /// Erasure ground c, Art. 21(1) GDPR: the grounds relating to the data
    /// subject's particular situation, in the letter's language.
    #[arg(long, value_name = "TEXT")]
    pub situation: Option<String>,
    /// Erasure ground c, Art. 21(2) GDPR: object to direct marketing.
    #[arg(long)]
    pub direct_marketing: bool,
    /// Erasure: limit the request to these data or services (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub only: Vec<String>,
    /// Erasure: the company made the data public (adds Art. 17(2) GDPR).
    #[arg(long)]
    pub made_public: bool,
    /// Rectification: what is inaccurate and what is right (repeatable);
    /// restriction ground a: the data whose accuracy you contest.
    #[arg(long, value_name = "TEXT")]
    pub correct: Vec<String>,
    /// Rectification: what is incomplete and what completes it (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub complete: Vec<String>,
    /// Portability: the controller to send the data to directly, where
    /// technically feasible (Art. 20(2) GDPR): its name and address.
    #[arg(long, value_name = "TEXT")]
    pub transmit_to: Option<String>,
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
        let subject: Vec<PathBuf> = self.subject.iter().cloned().collect();
        super::stdin::one_reader(&[
            ("--subject", &subject),
            ("--attach", &self.attach),
            ("--id-document", &self.id_document),
        ])?;
        let missing =
            |flag: &str, what: &str| crate::Error::usage(crate::t!("args.required", flag = flag), what.to_string());
        Ok(Options {
            to: self.to.clone().ok_or_else(|| {
                missing(&super::help::flag_with_value("--to", "POLICY"), &crate::t!("args.required-to-hint"))
            })?,
            kind: self.kind.ok_or_else(|| {
                missing(&super::help::flag_with_value("--kind", "KIND"), &crate::t!("input.args.kind-hint"))
            })?,
            lang: self.lang,
            subject: self.subject.clone().ok_or_else(|| {
                missing(&super::help::flag_with_value("--subject", "FILE"), &crate::t!("input.args.subject-hint"))
            })?,
            attach: self.attach.clone(),
            confirm: self.confirm.clone(),
            cc_self: self.cc_self,
            grounds: self.ground.clone(),
            confirm_by: self.confirm_by,
            calendar: self.calendar,
            read_receipt: self.read_receipt,
            within: None,
            inline_subject: None,
            id_documents: self.id_document.clone(),
            confirm_id_document: self.confirm_id_document,
            situation: self.situation.clone(),
            direct_marketing: self.direct_marketing,
            only: self.only.clone(),
            made_public: self.made_public,
            corrections: self.correct.clone(),
            completions: self.complete.clone(),
            transmit_to: self.transmit_to.clone(),
            via: self.via,
        })
    }
}

/// Parses `--to`: clap's own message for a value its parser refuses echoes
/// the value whole, and a 50,000-character value is no typo of an id; this
/// one says the same with the value cut ([`PolicyId::parse`]).
#[derive(Debug, Clone, Copy)]
pub struct PolicyIdParser;

impl clap::builder::TypedValueParser for PolicyIdParser {
    type Value = PolicyId;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<PolicyId, clap::Error> {
        let text = value.to_string_lossy();
        PolicyId::parse(&text).map_err(|e| {
            let arg = arg.map_or_else(|| "--to".to_string(), ToString::to_string);
            use clap::error::{ContextKind, ContextValue};
            let mut error = clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value '{}' for '{arg}': {e}\n\nFor more information, try '--help'.\n", e.value),
            )
            .with_cmd(cmd);
            // For `cli::clap_error`, which writes it in German.
            error.insert(ContextKind::InvalidArg, ContextValue::String(arg));
            error.insert(ContextKind::InvalidValue, ContextValue::String(e.value.clone()));
            error.insert(ContextKind::Custom, ContextValue::String(e.to_string()));
            error
        })
    }
}

/// Parses `--kind`: the kinds that open a request ([`LetterKind::is_initial`]),
/// so that help and the "possible values" of an error list only those.
#[derive(Debug, Clone, Copy)]
pub struct InitialKindParser;

impl clap::builder::TypedValueParser for InitialKindParser {
    type Value = LetterKind;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<LetterKind, clap::Error> {
        let names = LetterKind::ALL.into_iter().filter(|k| k.is_initial()).map(LetterKind::name);
        let name = clap::builder::PossibleValuesParser::new(names).parse_ref(cmd, arg, value)?;
        LetterKind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("unknown kind '{name}'\n")).with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        use clap::ValueEnum as _;
        Some(Box::new(LetterKind::ALL.into_iter().filter(|k| k.is_initial()).filter_map(|k| k.to_possible_value())))
    }
}
