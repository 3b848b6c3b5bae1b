//! `Request`: policy + subject + config + kind + language, fully validated.
//!
//! Everything that can fail because of the user's input fails here, before
//! a byte is stored or logged (DESIGN §2): unknown policy, a kind the
//! company's role does not allow, a company that cannot be written to by
//! email, a subject that lacks what the policy requires, a missing sender,
//! unreadable attachments, unconfirmed preconditions.
//!
//! Its [`Error`] names options as data ([`Opt`]), so that `dsr send` says
//! `--confirm` and a batch row its `confirm` field ([`Error::message_in`],
//! [`Error::hint_in`]).

use crate::address::EmailAddress;
use crate::channel::Channel;
use crate::config::{Config, Sender};
use crate::deadline::{CalendarCode, ExtraDay};
use crate::exit::ExitKind;
use crate::field::{Field, Fix, Opt, Words};
use crate::kind::{ErasureGround, LetterKind};
use crate::lang::Lang;
use crate::policy::{Catalog, Policy, PolicyId, PolicySource};
use crate::subject::{Capacity, Subject};
use crate::{config, file, policy, subject};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Why a request cannot be built, or not sent. Every variant is bad input.
///
/// `Display` and [`Error::hint`] speak the command line's words;
/// [`Error::message_in`] and [`Error::hint_in`] any front end's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The policy is unknown or invalid, does not fit the letter kind, or
    /// the company cannot be written to by email.
    #[error(transparent)]
    Policy(#[from] policy::Error),
    /// The subject file is unusable, or does not fit the policy.
    #[error(transparent)]
    Subject(#[from] subject::Error),
    /// An attachment, evidence file or mandate cannot be read.
    #[error(transparent)]
    File(#[from] file::Error),
    /// The configuration has no sender (a representative's or controller's
    /// request is signed by the configured one).
    #[error(transparent)]
    Config(#[from] config::Error),
    /// A reminder or complaint was asked for as a new request.
    #[error("{}", crate::t!("request.follow-up", kind = kind))]
    FollowUp {
        /// The kind asked for.
        kind: LetterKind,
    },
    /// A confirmed precondition the policy does not have for this kind.
    #[error("{}", self.message_in(Words::Cli))]
    UnknownPrecondition {
        /// The id given.
        id: String,
        /// The policy.
        policy: PolicyId,
        /// The letter kind.
        kind: LetterKind,
        /// The policy's preconditions for this kind.
        known: Vec<String>,
    },
    /// A copy to the archive was asked for, and there is no archive address.
    #[error("{}", self.message_in(Words::Cli))]
    NoArchive,
    /// A free-text option is longer than [`MAX_TEXT_CHARS`].
    #[error("{}", self.message_in(Words::Cli))]
    TooLong {
        /// The option.
        option: Opt,
        /// Its length in characters.
        chars: usize,
    },
    /// An option was given that only applies to another kind of letter.
    #[error("{}", self.message_in(Words::Cli))]
    NotApplicable {
        /// The option.
        option: Opt,
        /// The kinds it applies to.
        applies_to: Vec<LetterKind>,
    },
    /// A letter kind lacks what it rests on (a rectification without the
    /// correction, an objection without its ground).
    #[error("{}", self.message_in(Words::Cli))]
    KindNeeds {
        /// The letter kind.
        kind: LetterKind,
        /// The options, one of which gives it.
        options: Vec<Opt>,
        /// What is missing, in words.
        what: String,
    },
    /// Neither the policy nor the user names a holiday calendar, so no
    /// deadline can be counted.
    #[error("{}", crate::t!("request.no-calendar", policy = policy))]
    NoCalendar {
        /// The policy.
        policy: PolicyId,
        /// The company's legal name.
        company: String,
    },
    /// A file named by a batch file lies outside the batch file's directory
    /// (an absolute path, a `..` that climbs out, or a symlink pointing
    /// out), and `--allow-outside-paths` was not given.
    #[error("{}", self.message_in(Words::Cli))]
    Outside {
        /// What names the file.
        what: Named,
        /// The path, resolved.
        path: PathBuf,
        /// The directory it must stay in.
        root: PathBuf,
    },
    /// A file that is (or looks like) an identity document would be sent,
    /// and either the policy does not ask for one or the user did not
    /// confirm it ([`crate::id_document`]).
    #[error("{}", self.message_in(Words::Cli))]
    IdDocument {
        /// The file's name.
        file: String,
        /// The policy.
        policy: String,
        /// Whether the policy requires an identity document.
        required: bool,
    },
    /// Erasure ground (c) without the objection it rests on.
    #[error("{}", self.message_in(Words::Cli))]
    ObjectionWithoutGround,
    /// The company is not written to by email, or not by the channel asked
    /// for (`--via`).
    #[error("{source}")]
    Channel {
        /// What the policy says.
        source: Box<policy::Error>,
        /// The command for each channel the company accepts.
        commands: Vec<String>,
    },
    /// A letter for post whose sender has no postal address: the page's
    /// return line (DIN 5008) would be a bare name, an undeliverable
    /// letter could not come back, and the company could not answer by
    /// post.
    #[error("{}", crate::t!("request.no-return-address", place = place))]
    NoReturnAddress {
        /// Where the address is read from (`[sender] in FILE`, `the subject
        /// file FILE`), with the key.
        place: String,
    },
    /// Preconditions apply that were not confirmed (sending requires them;
    /// [`Request::require_confirmations`]).
    #[error("{}", crate::t!("request.unconfirmed", policy = policy, list = list(preconditions)))]
    Unconfirmed {
        /// The policy.
        policy: PolicyId,
        /// Each unconfirmed precondition's id and text (in the interface
        /// language where the policy has it, else English).
        preconditions: Vec<(String, String)>,
    },
}

/// What names a file that goes along with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// The subject file (`--subject`, a row's `subject`).
    Subject,
    /// An attachment (`--attach`, `attach`).
    Attach,
    /// A verification evidence file (the subject's `verification.evidence`).
    Evidence,
    /// The mandate (the subject's `mandate.file`).
    Mandate,
}

/// The `dsr send` command line of `opts` (for a hint naming the channel to add).
fn command(opts: &Options) -> String {
    let mut c = format!("dsr send --to {} --kind {}", opts.to, opts.kind);
    if let Some(l) = opts.lang {
        c.push_str(&format!(" --lang {l}"));
    }
    let subject = opts.subject.display().to_string();
    if subject.contains([' ', '\'', '"']) {
        c.push_str(&format!(" --subject '{}'", subject.replace('\'', "'\\''")));
    } else {
        c.push_str(&format!(" --subject {subject}"));
    }
    for id in &opts.confirm {
        c.push_str(&format!(" --confirm {id}"));
    }
    c
}

fn list(preconditions: &[(String, String)]) -> String {
    preconditions.iter().map(|(id, text)| format!("\n  {id}: {text}")).collect()
}

impl Error {
    /// The message in `words`: an option is `--confirm` on the command
    /// line, `confirm` in a batch row.
    pub fn message_in(&self, words: Words) -> String {
        let name = |o: Opt| Field::Option(o).name(words);
        match self {
            Error::UnknownPrecondition { id, policy, kind, .. } => {
                crate::t!(
                    "request.unknown-precondition",
                    option = name(Opt::Confirm),
                    id = id,
                    policy = policy,
                    kind = kind
                )
            }
            Error::NoArchive => crate::t!("request.no-archive", option = name(Opt::CcSelf)),
            Error::Outside { what, path, root } => {
                let field = match what {
                    Named::Subject => name(Opt::Subject),
                    Named::Attach => name(Opt::Attach),
                    Named::Evidence => "verification.evidence".into(),
                    Named::Mandate => "mandate.file".into(),
                };
                crate::t!("request.outside", field = field, path = path.display(), root = root.display())
            }
            Error::TooLong { option, chars } => {
                crate::t!("request.too-long", option = name(*option), chars = chars, max = MAX_TEXT_CHARS)
            }
            Error::NotApplicable { option, applies_to } => {
                let kinds: Vec<&str> = applies_to.iter().map(|k| k.name()).collect();
                let kinds = match kinds.split_last() {
                    Some((last, [])) => last.to_string(),
                    Some((last, rest)) => crate::t!("request.and", first = rest.join(", "), last = last),
                    None => String::new(),
                };
                crate::t!("request.not-applicable", option = name(*option), kinds = kinds)
            }
            Error::KindNeeds { kind, what, .. } => crate::t!("request.kind-needs", kind = kind, what = what),
            Error::IdDocument { file, policy, required: false } => {
                crate::t!("request.id-document-not-asked", file = file, policy = policy)
            }
            Error::ObjectionWithoutGround => crate::t!("request.objection-without-ground", option = name(Opt::Ground)),
            Error::IdDocument { file, .. } => crate::t!("request.id-document-unconfirmed", file = file),
            Error::Subject(e) => e.message_in(words),
            Error::Policy(_)
            | Error::Channel { .. }
            | Error::File(_)
            | Error::Config(_)
            | Error::FollowUp { .. }
            | Error::NoCalendar { .. }
            | Error::NoReturnAddress { .. }
            | Error::Unconfirmed { .. } => self.to_string(),
        }
    }

    /// What the user can do about it, on the command line.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(Words::Cli)
    }

    /// What the user can do about it, in `words` (`pass --confirm a`, `add a
    /// to the row's confirm field`).
    pub fn hint_in(&self, words: Words) -> Option<String> {
        match self {
            Error::Policy(e) => e.hint_in(words),
            Error::Channel { source, commands } => match (words, commands.as_slice()) {
                (Words::Cli, [_, ..]) => Some(crate::t!(
                    "policy.run-one-of",
                    hint = source.hint_in(words).unwrap_or_default(),
                    commands = commands.join("\n  ")
                )),
                _ => source.hint_in(words),
            },
            Error::Subject(e) => e.hint_in(words),
            Error::File(e) => e.hint(),
            Error::Config(e) => e.hint(),
            Error::FollowUp { kind } => Some(crate::t!(
                "request.follow-up-hint",
                command = if *kind == LetterKind::Reminder { "remind" } else { "complain" }
            )),
            Error::UnknownPrecondition { known, .. } if known.is_empty() => {
                Some(crate::t!("request.no-preconditions", fix = Fix::Drop(Opt::Confirm).render(words)))
            }
            Error::UnknownPrecondition { known, .. } => Some(crate::t!("request.known", known = known.join(", "))),
            Error::NoArchive => Some(crate::t!("request.no-archive-hint")),
            Error::Outside { .. } => Some(crate::t!("request.outside-hint")),
            Error::TooLong { .. } => Some(crate::t!("request.too-long-hint")),
            Error::NotApplicable { option, .. } => Some(Fix::Drop(*option).render(words)),
            Error::KindNeeds { options, .. } => Some(
                options
                    .iter()
                    .map(|o| Fix::Set(Field::Option(*o)).render(words))
                    .collect::<Vec<_>>()
                    .join(&format!(",{}", crate::t!("words.or"))),
            ),
            Error::NoCalendar { company, .. } => Some(crate::t!(
                "request.no-calendar-hint",
                fix = Fix::Set(Field::Option(Opt::Calendar)).render(words),
                company = company,
                known = CalendarCode::known_list()
            )),
            Error::ObjectionWithoutGround => Some(crate::t!(
                "request.objection-without-ground-hint",
                situation = Fix::Set(Field::Option(Opt::Situation)).render(words),
                marketing = Fix::Set(Field::Option(Opt::DirectMarketing)).render(words)
            )),
            Error::IdDocument { required: false, .. } => Some(crate::t!("request.id-document-not-asked-hint")),
            Error::IdDocument { .. } => Some(match words {
                Words::Cli => crate::t!("request.id-document-unconfirmed-hint"),
                Words::Row { .. } => crate::t!("request.id-document-row-hint"),
            }),
            Error::NoReturnAddress { .. } => Some(crate::t!("request.no-return-address-hint")),
            Error::Unconfirmed { preconditions, .. } => Some(crate::t!(
                "request.unconfirmed-hint",
                fix = Fix::Give(Opt::Confirm, preconditions.iter().map(|(id, _)| id.clone()).collect()).render(words)
            )),
        }
    }

    /// The exit code class: bad input, whatever the cause.
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Policy(e) => e.exit_kind(),
            Error::Channel { source, .. } => source.exit_kind(),
            Error::Subject(e) => e.exit_kind(),
            Error::File(e) => e.exit_kind(),
            Error::Config(e) => e.exit_kind(),
            Error::FollowUp { .. }
            | Error::UnknownPrecondition { .. }
            | Error::NoArchive
            | Error::NotApplicable { .. }
            | Error::TooLong { .. }
            | Error::Outside { .. }
            | Error::KindNeeds { .. }
            | Error::NoCalendar { .. }
            | Error::IdDocument { .. }
            | Error::ObjectionWithoutGround
            | Error::NoReturnAddress { .. }
            | Error::Unconfirmed { .. } => ExitKind::BadInput,
        }
    }
}

/// The most characters a free-text option (`--situation`, `--only`,
/// `--correct`, `--complete`, `--transmit-to`, or the batch field of the
/// same name) may have: about five pages of a letter.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// What the user asked for on the command line (or in a batch row).
#[derive(Debug, Clone)]
pub struct Options {
    /// The policy id (`--to`).
    pub to: PolicyId,
    /// The letter kind (`--kind`, which the command line requires, as a
    /// batch row requires `kind`).
    pub kind: LetterKind,
    /// The language (`--lang`); default: the policy's.
    pub lang: Option<Lang>,
    /// The subject file (`--subject`); with `inline_subject`, the name
    /// that subject goes by in messages (its directory resolves relative
    /// paths).
    pub subject: PathBuf,
    /// The subject's fields given inline (a batch row), instead of a file.
    pub inline_subject: Option<toml::Table>,
    /// Extra attachments (`--attach`).
    pub attach: Vec<PathBuf>,
    /// Confirmed precondition ids (`--confirm`).
    pub confirm: Vec<String>,
    /// Copy to the sender's archive address (`--cc-self`).
    pub cc_self: bool,
    /// Art. 17(1) grounds (`--ground`); default (a).
    pub grounds: Vec<ErasureGround>,
    /// Processor deletion: the date by which confirmation is asked (`--confirm-by`).
    pub confirm_by: Option<NaiveDate>,
    /// The holiday calendar of the place where the company acts, when the
    /// policy names none or the user knows better (`--calendar`).
    pub calendar: Option<CalendarCode>,
    /// Ask for a read receipt (`--read-receipt`, RFC 8098).
    pub read_receipt: bool,
    /// Every file the request reads (the subject file, attachments,
    /// evidence, mandate) must be inside this directory: a batch file's
    /// own, unless `--allow-outside-paths` ([`crate::file::is_inside`]).
    /// `None`: anywhere (the command line, where the user names the files).
    pub within: Option<PathBuf>,
    /// Identity documents to attach, declared as such (`--id-document`).
    pub id_documents: Vec<PathBuf>,
    /// The particular situation for an objection under Art. 21(1)
    /// (`--situation`; erasure ground c).
    pub situation: Option<String>,
    /// An objection to direct marketing, Art. 21(2) (`--direct-marketing`).
    pub direct_marketing: bool,
    /// Limit the request to these data or services (`--only`).
    pub only: Vec<String>,
    /// The controller made the data public, Art. 17(2) (`--made-public`).
    pub made_public: bool,
    /// Rectification: inaccurate data and what is right (`--correct`; also
    /// the contested data of restriction ground a).
    pub corrections: Vec<String>,
    /// Rectification: incomplete data and their completion (`--complete`).
    pub completions: Vec<String>,
    /// Portability: the controller to transmit to directly (`--transmit-to`).
    pub transmit_to: Option<String>,
    /// The user confirms that the policy's demand for an identity document
    /// is met with a redacted copy (`--confirm-id-document`).
    pub confirm_id_document: bool,
    /// The channel (`--via`); default: email, where the company takes it.
    pub via: Option<Channel>,
}

impl Options {
    /// A letter of `kind` to the policy `to` for the subject file
    /// `subject`, every other option at its default (as with no further
    /// flags on the command line).
    pub fn new(to: PolicyId, kind: LetterKind, subject: PathBuf) -> Options {
        Options {
            to,
            kind,
            lang: None,
            subject,
            inline_subject: None,
            attach: Vec::new(),
            confirm: Vec::new(),
            cc_self: false,
            grounds: Vec::new(),
            confirm_by: None,
            calendar: None,
            read_receipt: false,
            within: None,
            id_documents: Vec::new(),
            situation: None,
            direct_marketing: false,
            only: Vec::new(),
            made_public: false,
            corrections: Vec::new(),
            completions: Vec::new(),
            transmit_to: None,
            confirm_id_document: false,
            via: None,
        }
    }
}

/// A file that goes along with the request, read and hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileData {
    /// The file name used in the message.
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The content.
    pub bytes: Vec<u8>,
    /// SHA-256 of the content.
    pub sha256: [u8; 32],
}

/// The subject files, attachments, evidence and mandates a run reads,
/// kept after the first read so that a batch of thousands of rows naming a
/// handful of files reads and parses each once ([`Request::build_with`]).
/// Every row then also sees the same bytes that were validated. Subject
/// files are always kept; other files until they total the budget given
/// to [`Files::new`] (a batch: [`Files::KEEP_BYTES`]), after which each is
/// read when asked for (a batch of 10,000 subjects with their own ID scans
/// must not hold them all).
/// Errors are not kept.
#[derive(Debug)]
pub struct Files {
    /// Bytes of attachments, evidence and mandates to keep at most.
    keep_bytes: usize,
    subjects: Mutex<HashMap<PathBuf, Subject>>,
    data: Mutex<(usize, HashMap<PathBuf, FileData>)>,
}

impl Files {
    /// Bytes of attachments, evidence and mandates a batch keeps at most.
    pub const KEEP_BYTES: usize = 64 << 20;

    /// Keeps subject files, and other files up to `keep_bytes` in all
    /// (0 for a single request, which reads each file once anyway).
    pub fn new(keep_bytes: usize) -> Files {
        Files { keep_bytes, subjects: Mutex::default(), data: Mutex::default() }
    }

    /// The subject file at `path`, loaded and checked once.
    ///
    /// # Errors
    /// See [`Subject::load`].
    pub fn subject(&self, path: &Path, kind: LetterKind) -> Result<Subject, subject::Error> {
        if let Some(s) = self.subjects.lock().unwrap_or_else(PoisonError::into_inner).get(path) {
            return Ok(s.clone());
        }
        let s = Subject::load_for(path, kind)?;
        self.subjects.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_path_buf(), s.clone());
        Ok(s)
    }

    /// The file at `path`, read and hashed once while the budget lasts.
    ///
    /// # Errors
    /// See [`FileData::read`].
    pub fn data(&self, path: &Path) -> Result<FileData, file::Error> {
        if let Some(d) = self.data.lock().unwrap_or_else(PoisonError::into_inner).1.get(path) {
            return Ok(d.clone());
        }
        let d = FileData::read(path)?;
        let mut kept = self.data.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.0 + d.bytes.len() <= self.keep_bytes && !kept.1.contains_key(path) {
            kept.0 += d.bytes.len();
            kept.1.insert(path.to_path_buf(), d.clone());
        }
        Ok(d)
    }
}

impl FileData {
    /// Reads and hashes a file.
    ///
    /// # Errors
    /// The file is missing, a directory, unreadable or empty.
    pub fn read(path: &Path) -> Result<FileData, file::Error> {
        let bytes = file::read_bytes(path, file::Limit::ATTACHMENT)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "attachment".into());
        Ok(FileData { name, path: path.to_path_buf(), sha256: Sha256::digest(&bytes).into(), bytes })
    }
}

/// A validated request. See the module docs.
#[derive(Debug, Clone)]
pub struct Request {
    /// The letter kind.
    pub kind: LetterKind,
    /// The letter language.
    pub lang: Lang,
    /// The company's policy.
    pub policy: Policy,
    /// Where the policy came from.
    pub policy_source: PolicySource,
    /// Whom the request is about.
    pub subject: Subject,
    /// Who signs and sends it: the data subject (capacity `data_subject`)
    /// or the configured sender.
    pub sender: Sender,
    /// To addresses.
    pub to: Vec<EmailAddress>,
    /// Cc addresses (the policy's, plus the archive with `--cc-self`).
    pub cc: Vec<EmailAddress>,
    /// User attachments.
    pub attachments: Vec<FileData>,
    /// Verification evidence files (attached, hashed in the identity record).
    pub evidence: Vec<FileData>,
    /// The representative's mandate, if any.
    pub mandate: Option<FileData>,
    /// Precondition ids the user confirmed, in policy order.
    pub confirmed: Vec<String>,
    /// Preconditions that apply but were not confirmed (render shows them;
    /// send refuses).
    pub unconfirmed: Vec<String>,
    /// Art. 17(1) grounds.
    pub grounds: Vec<ErasureGround>,
    /// Processor deletion: confirmation asked by this date (if set).
    pub confirm_by: Option<NaiveDate>,
    /// Erasure ground (c) under Art. 21(1): the particular situation.
    pub situation: Option<String>,
    /// Erasure ground (c) under Art. 21(2): direct marketing.
    pub direct_marketing: bool,
    /// The request is limited to these data or services.
    pub only: Vec<String>,
    /// The controller made the data public (Art. 17(2)).
    pub made_public: bool,
    /// Rectification (and restriction ground a): the corrections.
    pub corrections: Vec<String>,
    /// Rectification: the completions.
    pub completions: Vec<String>,
    /// Portability: the controller to transmit to directly.
    pub transmit_to: Option<String>,
    /// The calendar deadlines are counted in (`--calendar`, else the policy's).
    pub calendar: CalendarCode,
    /// Extra non-working days of that calendar from the config.
    pub extra_days: Vec<ExtraDay>,
    /// Ask for a read receipt (Disposition-Notification-To).
    pub read_receipt: bool,
    /// Things the user should know (e.g. identifiers left out).
    pub notes: Vec<String>,
    /// The names of the identity documents among the files sent (declared
    /// or detected): only when the policy requires one and the user
    /// confirmed; the letter and the record then say so.
    pub id_documents: Vec<String>,
    /// How the letter goes (email, post, web form).
    pub channel: Channel,
    /// For post: working days from posting to the presumed receipt
    /// (`[post] presumed_delivery_days`).
    pub post_days: u32,
}

/// Fails unless the letter's sender has a postal address for the return
/// line of a letter for post: the data subject's own (`address` in the
/// subject file), the organisation's (`organisation.address`) for a
/// controller, else the configured sender's (`[sender] address`).
fn return_address(subject: &Subject, sender: &Sender, subject_file: &Path, config: &Config) -> Result<(), Error> {
    let organisation = subject.organisation.as_ref().filter(|_| subject.capacity == Capacity::Controller);
    if !sender.address.is_empty() || organisation.is_some_and(|o| !o.address.is_empty()) {
        return Ok(());
    }
    let config_file = || match &config.path {
        Some(p) => format!("[sender] in {}", p.display()),
        None => "[sender] in dsr.toml".to_string(),
    };
    let place = match subject.capacity {
        Capacity::DataSubject => crate::t!("input.request.return-subject", file = subject_file.display()),
        Capacity::Representative => crate::t!("input.request.return-config", config = config_file()),
        Capacity::Controller => {
            crate::t!("input.request.return-both", file = subject_file.display(), config = config_file())
        }
    };
    Err(Error::NoReturnAddress { place })
}

impl Request {
    /// Validates everything. Relative paths inside the subject file
    /// (evidence, mandate) are taken from the subject file's directory.
    ///
    /// # Errors
    /// Any bad input; see the module docs.
    pub fn build(opts: &Options, config: &Config, catalog: &Catalog) -> Result<Request, Error> {
        Request::build_with(opts, config, catalog, &Files::new(0))
    }

    /// [`Request::build`] reading files through `files` (a batch keeps one
    /// for the whole run).
    ///
    /// # Errors
    /// Any bad input; see the module docs.
    pub fn build_with(opts: &Options, config: &Config, catalog: &Catalog, files: &Files) -> Result<Request, Error> {
        let kind = opts.kind;
        if !kind.is_initial() {
            return Err(Error::FollowUp { kind });
        }
        let (policy, policy_source) = catalog.get(&opts.to)?;
        policy.check_role(kind)?;
        let channel = policy.channel_for(opts.via).map_err(|source| Error::Channel {
            commands: policy.channels().iter().map(|(c, _)| format!("{} --via {c}", command(opts))).collect(),
            source: Box::new(source),
        })?;
        let inside = |what: Named, path: &Path| match &opts.within {
            Some(root) if !file::is_inside(path, root) => {
                Err(Error::Outside { what, path: path.to_path_buf(), root: root.clone() })
            }
            _ => Ok(()),
        };
        let subject = match &opts.inline_subject {
            Some(table) => Subject::from_table_for(&opts.subject, table.clone(), Some(kind))?,
            None => {
                inside(Named::Subject, &opts.subject)?;
                files.subject(&opts.subject, kind)?
            }
        };
        subject.check_against(&policy, kind)?;
        let sender = match subject.capacity {
            // A data subject writes for themself: they sign, and the request
            // goes out from their own (ideally the account's) address.
            Capacity::DataSubject => {
                let email = subject.own_email()?.clone();
                Sender {
                    name: subject.name.clone().unwrap_or_default(),
                    organisation: None,
                    role: None,
                    address: subject.address.clone(),
                    email,
                    reply_to: None,
                    archive_cc: config.sender.as_ref().and_then(|s| s.archive_cc.clone()),
                    calendar: None,
                }
            }
            Capacity::Representative | Capacity::Controller => config.sender()?.clone(),
        };
        if channel == Channel::Post {
            return_address(&subject, &sender, &opts.subject, config)?;
        }
        let lang = opts.lang.unwrap_or(policy.language);

        let base = opts.subject.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &PathBuf| if p.is_absolute() { p.clone() } else { base.join(p) };
        let read = |what: Named, path: &Path| -> Result<FileData, Error> {
            inside(what, path)?;
            Ok(files.data(path)?)
        };
        let mut attachments = opts.attach.iter().map(|p| read(Named::Attach, p)).collect::<Result<Vec<_>, _>>()?;
        let evidence = subject
            .verification
            .evidence
            .iter()
            .map(|p| read(Named::Evidence, &resolve(p)))
            .collect::<Result<Vec<_>, _>>()?;
        let mandate = subject.mandate.as_ref().map(|m| read(Named::Mandate, &resolve(&m.file))).transpose()?;
        let declared = opts.id_documents.iter().map(|p| read(Named::Attach, p)).collect::<Result<Vec<_>, _>>()?;

        // Identity documents: declared ones, and any attachment or evidence
        // file that looks like one. Never sent unless the policy asks for one
        // and the user confirmed a redacted copy (LEGAL.md §4).
        let mut id_documents: Vec<String> = declared.iter().map(|f| f.name.clone()).collect();
        id_documents.extend(
            attachments
                .iter()
                .chain(&evidence)
                .filter(|f| crate::id_document::looks_like_one(&f.name, &f.bytes))
                .map(|f| f.name.clone()),
        );
        if let Some(file) = id_documents.first() {
            let required = policy.identity.id_document == policy::IdDocument::Required;
            if !required || !opts.confirm_id_document {
                return Err(Error::IdDocument { file: file.clone(), policy: policy.id.to_string(), required });
            }
        }
        attachments.extend(declared);

        let applicable = policy.preconditions_for(kind);
        for c in &opts.confirm {
            if !applicable.iter().any(|p| &p.id == c) {
                return Err(Error::UnknownPrecondition {
                    id: c.clone(),
                    policy: policy.id.clone(),
                    kind,
                    known: applicable.iter().map(|p| p.id.clone()).collect(),
                });
            }
        }
        let confirmed: Vec<String> =
            applicable.iter().filter(|p| opts.confirm.contains(&p.id)).map(|p| p.id.clone()).collect();
        let unconfirmed: Vec<String> =
            applicable.iter().filter(|p| !opts.confirm.contains(&p.id)).map(|p| p.id.clone()).collect();

        let (to, mut cc) = policy.recipients();
        if opts.cc_self {
            let archive = sender.archive_cc.clone().ok_or(Error::NoArchive)?;
            cc.push(archive);
        }
        let mut grounds = opts.grounds.clone();
        grounds.sort();
        grounds.dedup();
        if grounds.is_empty() && kind == LetterKind::Erasure {
            grounds.extend(ErasureGround::DEFAULT);
        }
        let situation = opts.situation.clone().filter(|s| !s.trim().is_empty());
        let texts = |v: &[String]| -> Vec<String> { v.iter().filter(|s| !s.trim().is_empty()).cloned().collect() };
        let (corrections, completions) = (texts(&opts.corrections), texts(&opts.completions));
        let transmit_to = opts.transmit_to.clone().filter(|s| !s.trim().is_empty());
        // Bounded like every input (docs/reliability.md): a batch row's
        // field could otherwise carry megabytes into the letter.
        let texts_of = [
            (Opt::Situation, situation.as_slice()),
            (Opt::TransmitTo, transmit_to.as_slice()),
            (Opt::Only, &opts.only),
            (Opt::Correct, &corrections),
            (Opt::Complete, &completions),
        ];
        for (option, values) in texts_of {
            if let Some(chars) = values.iter().map(|v| v.chars().count()).find(|&n| n > MAX_TEXT_CHARS) {
                return Err(Error::TooLong { option, chars });
            }
        }
        use LetterKind::{Erasure, Objection, Portability, Rectification, Restriction};
        for (given, option, applies_to) in [
            (!opts.grounds.is_empty(), Opt::Ground, &[Erasure, Restriction][..]),
            (situation.is_some(), Opt::Situation, &[Erasure, Objection, Restriction]),
            (opts.direct_marketing, Opt::DirectMarketing, &[Erasure, Objection]),
            (!opts.only.is_empty(), Opt::Only, &[Erasure, Objection, Restriction, Portability]),
            (opts.made_public, Opt::MadePublic, &[Erasure]),
            (!corrections.is_empty(), Opt::Correct, &[Rectification, Restriction]),
            (!completions.is_empty(), Opt::Complete, &[Rectification]),
            (transmit_to.is_some(), Opt::TransmitTo, &[Portability]),
        ] {
            if given && !applies_to.contains(&kind) {
                return Err(Error::NotApplicable { option, applies_to: applies_to.to_vec() });
            }
        }
        let needs = |options: Vec<Opt>, what: String| Err(Error::KindNeeds { kind, options, what });
        match kind {
            Rectification if corrections.is_empty() && completions.is_empty() => {
                return needs(vec![Opt::Correct, Opt::Complete], crate::t!("request.needs-rectification"));
            }
            Objection if situation.is_none() && !opts.direct_marketing => {
                return needs(vec![Opt::Situation, Opt::DirectMarketing], crate::t!("request.needs-objection"));
            }
            Restriction if grounds.is_empty() => {
                return needs(vec![Opt::Ground], crate::t!("request.needs-restriction"));
            }
            Restriction if grounds.iter().any(|g| matches!(g, ErasureGround::E | ErasureGround::F)) => {
                return needs(vec![Opt::Ground], crate::t!("request.needs-restriction-abcd"));
            }
            Restriction if grounds.contains(&ErasureGround::A) && corrections.is_empty() => {
                return needs(vec![Opt::Correct], crate::t!("request.needs-ground-a"));
            }
            Restriction if grounds.contains(&ErasureGround::D) && situation.is_none() => {
                return needs(vec![Opt::Situation], crate::t!("request.needs-ground-d"));
            }
            _ => {}
        }
        if kind == LetterKind::Erasure {
            // An objection is ground (c); ground (c) is an objection, under
            // Art. 21(1) with the particular situation or under Art. 21(2).
            if situation.is_some() || opts.direct_marketing {
                if !grounds.contains(&ErasureGround::C) {
                    grounds.push(ErasureGround::C);
                    grounds.sort();
                }
            } else if grounds.contains(&ErasureGround::C) {
                return Err(Error::ObjectionWithoutGround);
            }
        }
        if opts.confirm_by.is_some() && kind != LetterKind::ProcessorDeletion {
            return Err(Error::NotApplicable {
                option: Opt::ConfirmBy,
                applies_to: vec![LetterKind::ProcessorDeletion],
            });
        }
        let mut notes = Vec::new();
        let withheld = subject.withheld(&policy, kind, lang);
        if !withheld.is_empty() {
            notes.push(crate::t!("request.withheld", policy = policy.id, keys = withheld.join(", ")));
        }
        let calendar = opts.calendar.or(policy.calendar).ok_or_else(|| Error::NoCalendar {
            policy: policy.id.clone(),
            company: policy.entity.legal_name.clone(),
        })?;
        let extra_days = config.extra_days(calendar);
        Ok(Request {
            kind,
            lang,
            policy,
            policy_source,
            subject,
            sender,
            to,
            cc,
            attachments,
            evidence,
            mandate,
            confirmed,
            unconfirmed,
            grounds,
            confirm_by: opts.confirm_by,
            situation,
            direct_marketing: opts.direct_marketing,
            only: opts.only.iter().filter(|s| !s.trim().is_empty()).cloned().collect(),
            made_public: opts.made_public,
            corrections,
            completions,
            transmit_to,
            calendar,
            extra_days,
            read_receipt: opts.read_receipt,
            notes,
            id_documents,
            channel,
            post_days: config.post.presumed_delivery_days,
        })
    }

    /// Fails unless every applicable precondition was confirmed (sending
    /// requires it; rendering only lists them).
    ///
    /// # Errors
    /// [`Error::Unconfirmed`], listing the unconfirmed preconditions and
    /// their text.
    pub fn require_confirmations(&self) -> Result<(), Error> {
        if self.unconfirmed.is_empty() {
            return Ok(());
        }
        Err(Error::Unconfirmed {
            policy: self.policy.id.clone(),
            preconditions: self
                .policy
                .preconditions
                .iter()
                .filter(|p| self.unconfirmed.contains(&p.id))
                .map(|p| {
                    let text = p.text(crate::i18n::ui().letter_lang()).or_else(|| p.text(Lang::En));
                    (p.id.clone(), text.unwrap_or_default().to_string())
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(Path::new("dsr.toml"), crate::config::TEMPLATE).unwrap()
    }

    fn opts(kind: LetterKind, subject: &str) -> Options {
        Options::new(
            "zendesk".parse().unwrap(),
            kind,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(subject),
        )
    }

    #[test]
    fn examples_build_and_preconditions_are_required_for_sending() {
        let cat = Catalog::new(None).unwrap();
        let r = Request::build(&opts(LetterKind::Erasure, "subject-person.toml"), &config(), &cat).unwrap();
        assert_eq!(
            (r.lang, r.grounds.clone(), r.to.clone()),
            (Lang::En, ErasureGround::DEFAULT.to_vec(), vec!["euprivacy@zendesk.com".parse().unwrap()])
        );
        assert!(r.unconfirmed.is_empty());
        r.require_confirmations().unwrap();

        let mut o = opts(LetterKind::ProcessorDeletion, "subject-org.toml");
        o.confirm = vec!["export-data".into()];
        let r = Request::build(&o, &config(), &cat).unwrap();
        assert_eq!(r.unconfirmed, ["cancel-subscriptions"]);
        let e = r.require_confirmations().unwrap_err();
        assert!(e.to_string().contains("cancel-subscriptions: All paid Zendesk subscriptions"), "{e}");
        assert_eq!(e.hint().unwrap(), "when done, pass --confirm cancel-subscriptions");
    }

    #[test]
    fn wrong_combinations_are_refused() {
        let cat = Catalog::new(None).unwrap();
        let mut o = opts(LetterKind::Erasure, "subject-person.toml");
        o.confirm = vec!["export-data".into()];
        let e = Request::build(&o, &config(), &cat).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--confirm export-data: policy 'zendesk' has no such precondition for erasure letters"
        );
        let e =
            Request::build(&opts(LetterKind::ProcessorDeletion, "subject-person.toml"), &config(), &cat).unwrap_err();
        assert!(e.to_string().contains("capacity"), "{e}");
        let mut o = opts(LetterKind::Erasure, "subject-person.toml");
        o.cc_self = true;
        assert_eq!(Request::build(&o, &config(), &cat).unwrap_err().to_string(), "--cc-self: no archive address");
        // A data subject signs their own request: no configured sender needed.
        Request::build(&opts(LetterKind::Erasure, "subject-person.toml"), &Config::default(), &cat).unwrap();
        let mut o = opts(LetterKind::ProcessorDeletion, "subject-org.toml");
        o.confirm = vec!["export-data".into(), "cancel-subscriptions".into()];
        let e = Request::build(&o, &Config::default(), &cat).unwrap_err();
        assert_eq!(e.to_string(), "a sender (no dsr.toml was found) is not configured");
    }

    const ROW: Words = Words::Row { inline_subject: false };

    /// The same error, in `dsr send`'s words and in a batch row's.
    fn both(e: &Error) -> [(String, String); 2] {
        [Words::Cli, ROW].map(|w| (e.message_in(w), e.hint_in(w).unwrap_or_default()))
    }

    #[test]
    fn options_are_named_as_the_command_line_or_the_batch_row_says() {
        let cat = Catalog::new(None).unwrap();
        let r = Request::build(&opts(LetterKind::ProcessorDeletion, "subject-org.toml"), &config(), &cat).unwrap();
        let e = r.require_confirmations().unwrap_err();
        let [(cli_message, cli), (row_message, row)] = both(&e);
        assert_eq!(cli_message, row_message);
        assert_eq!(cli, "when done, pass --confirm cancel-subscriptions --confirm export-data");
        assert_eq!(row, "when done, add cancel-subscriptions;export-data to the row's confirm field");
        assert_eq!(e.hint().unwrap(), cli);

        let mut o = opts(LetterKind::Erasure, "subject-person.toml");
        o.confirm_by = NaiveDate::from_ymd_opt(2027, 1, 1);
        let e = Request::build(&o, &config(), &cat).unwrap_err();
        assert_eq!(
            both(&e),
            [
                ("--confirm-by only applies to processor-deletion letters".into(), "drop --confirm-by".into()),
                (
                    "confirm_by only applies to processor-deletion letters".into(),
                    "remove the row's confirm_by field".into()
                ),
            ]
        );
        assert_eq!(e.to_string(), "--confirm-by only applies to processor-deletion letters");

        let mut o = opts(LetterKind::Access, "subject-person.toml");
        o.grounds = vec![ErasureGround::A];
        let e = Request::build(&o, &config(), &cat).unwrap_err();
        assert_eq!(
            both(&e),
            [
                ("--ground only applies to erasure and restriction letters".into(), "drop --ground".into()),
                (
                    "ground only applies to erasure and restriction letters".into(),
                    "remove the row's ground field".into()
                ),
            ]
        );

        let mut o = opts(LetterKind::Erasure, "subject-person.toml");
        o.confirm = vec!["export-data".into()];
        let e = Request::build(&o, &config(), &cat).unwrap_err();
        assert_eq!(
            both(&e).map(|(m, _)| m),
            ["--confirm export-data", "confirm export-data"]
                .map(|f| format!("{f}: policy 'zendesk' has no such precondition for erasure letters"))
        );
        assert_eq!(
            both(&e).map(|(_, h)| h),
            [
                "this letter has no preconditions; drop --confirm".to_string(),
                "this letter has no preconditions; remove the row's confirm field".to_string()
            ]
        );

        // Ground (c) is an objection (Art. 21): it needs the particular
        // situation or the direct-marketing objection (issue 16 point 11).
        let mut o = opts(LetterKind::Erasure, "subject-person.toml");
        o.grounds = vec![ErasureGround::C];
        let e = Request::build(&o, &config(), &cat).unwrap_err();
        assert!(matches!(e, Error::ObjectionWithoutGround), "{e:?}");
        let [(cli_message, cli), (row_message, row)] = both(&e);
        assert_eq!(
            cli_message,
            "--ground c is an objection under Art. 21 GDPR, and neither its ground (Art. 21(1)) nor direct \
             marketing (Art. 21(2)) is given"
        );
        assert!(row_message.starts_with("ground c is an objection"), "{row_message}");
        assert!(cli.contains("--situation") && cli.contains("--direct-marketing"), "{cli}");
        assert!(!row.contains("--"), "a row's hint names its fields: {row}");
        for fix in ["situation", "direct-marketing"] {
            let mut o = o.clone();
            if fix == "situation" {
                o.situation = Some("I left the company; my profile is still shown.".into());
            } else {
                o.direct_marketing = true;
            }
            Request::build(&o, &config(), &cat).unwrap();
        }

        let mut o = opts(LetterKind::Erasure, "subject-person.toml");
        o.cc_self = true;
        let e = Request::build(&o, &config(), &cat).unwrap_err();
        assert_eq!(both(&e).map(|(m, _)| m), ["--cc-self: no archive address", "cc_self: no archive address"]);

        let e = Error::NoCalendar { policy: "x".parse().unwrap(), company: "X Ltd".into() };
        let [(_, cli), (_, row)] = both(&e);
        assert_eq!(
            cli,
            format!("pass --calendar CODE for the place where X Ltd acts (one of: {})", CalendarCode::known_list())
        );
        assert_eq!(
            row,
            format!(
                "set the row's calendar field for the place where X Ltd acts (one of: {})",
                CalendarCode::known_list()
            )
        );
    }

    #[test]
    fn an_inline_subjects_keys_are_the_rows_fields() {
        let cat = Catalog::new(None).unwrap();
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/subject-person.toml"))
            .unwrap();
        let mut table: toml::Table = toml::from_str(&text).unwrap();
        table.remove("email");
        table["identifiers"].as_table_mut().unwrap().remove("account_email");
        let mut o = opts(LetterKind::Erasure, "b.csv row 2");
        o.inline_subject = Some(table.clone());
        let e = Request::build(&o, &config(), &cat).unwrap_err();
        let inline = Words::Row { inline_subject: true };
        // The row's own field, without the file and row its report names already.
        assert!(e.message_in(inline).starts_with("subject.identifiers.account_email: missing"), "{e}");
        assert_eq!(
            e.hint_in(inline).unwrap(),
            "set the row's subject.identifiers.account_email field (its meaning: docs/subjects.md)"
        );
        assert_eq!(e.hint().unwrap(), "add account_email = \"…\" under [identifiers] in the subject file");
    }
}
