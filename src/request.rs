//! `Request`: policy + subject + config + kind + language, fully validated.
//!
//! Everything that can fail because of the user's input fails here, before
//! a byte is stored or logged (DESIGN §2): unknown policy, a kind the
//! company's role does not allow, a company that cannot be written to by
//! email, a subject that lacks what the policy requires, a missing sender,
//! unreadable attachments, unconfirmed preconditions.

use crate::config::{Config, Sender};
use crate::deadline::{CalendarCode, ExtraDay};
use crate::kind::{ErasureGround, LetterKind};
use crate::lang::Lang;
use crate::policy::{Catalog, Policy, PolicySource};
use crate::subject::{Capacity, Subject};
use crate::{Error, file};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// What the user asked for on the command line (or in a batch row).
#[derive(Debug, Clone)]
pub struct Options {
    /// The policy id (`--to`).
    pub to: String,
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
    pub fn subject(&self, path: &Path) -> Result<Subject, crate::subject::Error> {
        if let Some(s) = self.subjects.lock().unwrap_or_else(PoisonError::into_inner).get(path) {
            return Ok(s.clone());
        }
        let s = Subject::load(path)?;
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
        let bytes = file::read_bytes(path)?;
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
    pub to: Vec<String>,
    /// Cc addresses (the policy's, plus the archive with `--cc-self`).
    pub cc: Vec<String>,
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
    /// The calendar deadlines are counted in (`--calendar`, else the policy's).
    pub calendar: CalendarCode,
    /// Extra non-working days of that calendar from the config.
    pub extra_days: Vec<ExtraDay>,
    /// Ask for a read receipt (Disposition-Notification-To).
    pub read_receipt: bool,
    /// Things the user should know (e.g. identifiers left out).
    pub notes: Vec<String>,
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
            return Err(Error::usage(
                format!("'{kind}' letters follow up an existing request"),
                format!(
                    "use `dsr {} REQUEST` for a sent request",
                    if kind == LetterKind::Reminder { "remind" } else { "complain" }
                ),
            ));
        }
        let (policy, policy_source) = catalog.get(&opts.to)?;
        policy.check_kind(kind)?;
        let inline = opts.inline_subject.is_some();
        let subject = match &opts.inline_subject {
            Some(table) => Subject::from_table(&opts.subject, table.clone()).map_err(crate::subject::Error::inline)?,
            None => files.subject(&opts.subject)?,
        };
        subject.check_against(&policy, kind).map_err(|e| if inline { e.inline() } else { e })?;
        let sender = match subject.capacity {
            // A data subject writes for themself: they sign, and the request
            // goes out from their own (ideally the account's) address.
            Capacity::DataSubject => {
                let email = subject
                    .email
                    .clone()
                    .or_else(|| subject.identifiers.get("account_email").cloned())
                    .ok_or_else(|| {
                        Error::usage(
                            format!(
                                "{}: email: missing: the data subject's own address, which the request is sent from",
                                subject.path.display()
                            ),
                            if inline {
                                "set the row's subject.email field"
                            } else {
                                "add email = \"…\" at the top of the subject file"
                            },
                        )
                    })?;
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
        let lang = opts.lang.unwrap_or(policy.language);

        let base = opts.subject.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &PathBuf| if p.is_absolute() { p.clone() } else { base.join(p) };
        let attachments = opts.attach.iter().map(|p| files.data(p)).collect::<Result<Vec<_>, _>>()?;
        let evidence =
            subject.verification.evidence.iter().map(|p| files.data(&resolve(p))).collect::<Result<Vec<_>, _>>()?;
        let mandate = subject.mandate.as_ref().map(|m| files.data(&resolve(&m.file))).transpose()?;

        let applicable = policy.preconditions_for(kind);
        for c in &opts.confirm {
            if !applicable.iter().any(|p| &p.id == c) {
                let known: Vec<&str> = applicable.iter().map(|p| p.id.as_str()).collect();
                return Err(Error::usage(
                    format!("--confirm {c}: policy '{}' has no such precondition for {kind} letters", policy.id),
                    if known.is_empty() {
                        "this letter has no preconditions; drop --confirm".to_string()
                    } else {
                        format!("known: {}", known.join(", "))
                    },
                ));
            }
        }
        let confirmed: Vec<String> =
            applicable.iter().filter(|p| opts.confirm.contains(&p.id)).map(|p| p.id.clone()).collect();
        let unconfirmed: Vec<String> =
            applicable.iter().filter(|p| !opts.confirm.contains(&p.id)).map(|p| p.id.clone()).collect();

        let (to, mut cc) = policy.recipients();
        if opts.cc_self {
            let archive = sender.archive_cc.clone().ok_or_else(|| {
                Error::usage("--cc-self: no archive address", "set archive_cc under [sender] in dsr.toml")
            })?;
            cc.push(archive);
        }
        let mut grounds = opts.grounds.clone();
        grounds.sort();
        grounds.dedup();
        if grounds.is_empty() && kind == LetterKind::Erasure {
            grounds.extend(ErasureGround::DEFAULT);
        }
        if !opts.grounds.is_empty() && kind != LetterKind::Erasure {
            return Err(Error::usage("--ground only applies to erasure letters", "drop --ground"));
        }
        if opts.confirm_by.is_some() && kind != LetterKind::ProcessorDeletion {
            return Err(Error::usage("--confirm-by only applies to processor-deletion letters", "drop --confirm-by"));
        }
        let mut notes = Vec::new();
        let withheld = subject.withheld(&policy, kind, lang);
        if !withheld.is_empty() {
            notes.push(format!(
                "left out of the letter (policy '{}' does not require them; list them in `share` to include): {}",
                policy.id,
                withheld.join(", ")
            ));
        }
        let calendar = opts.calendar.or(policy.calendar).ok_or_else(|| {
            Error::usage(
                format!("policy '{}' names no holiday calendar, so no deadline can be computed", policy.id),
                format!(
                    "pass --calendar CODE for the place where {} acts (one of: {})",
                    policy.entity.legal_name,
                    CalendarCode::known_list()
                ),
            )
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
            calendar,
            extra_days,
            read_receipt: opts.read_receipt,
            notes,
        })
    }

    /// Fails unless every applicable precondition was confirmed (sending
    /// requires it; rendering only lists them).
    ///
    /// # Errors
    /// A usage error listing the unconfirmed preconditions and their text.
    pub fn require_confirmations(&self) -> Result<(), Error> {
        if self.unconfirmed.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = self
            .policy
            .preconditions
            .iter()
            .filter(|p| self.unconfirmed.contains(&p.id))
            .map(|p| format!("  {}: {}", p.id, p.text(Lang::En).unwrap_or_default()))
            .collect();
        Err(Error::usage(
            format!("confirm the preconditions of policy '{}' first:\n{}", self.policy.id, lines.join("\n")),
            format!(
                "when done, pass {}",
                self.unconfirmed.iter().map(|c| format!("--confirm {c}")).collect::<Vec<_>>().join(" ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(Path::new("dsr.toml"), crate::config::TEMPLATE).unwrap()
    }

    fn opts(kind: LetterKind, subject: &str) -> Options {
        Options {
            to: "zendesk".into(),
            kind,
            lang: None,
            subject: Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(subject),
            inline_subject: None,
            attach: Vec::new(),
            confirm: Vec::new(),
            cc_self: false,
            grounds: Vec::new(),
            confirm_by: None,
            calendar: None,
            read_receipt: false,
        }
    }

    #[test]
    fn examples_build_and_preconditions_are_required_for_sending() {
        let cat = Catalog::new(None).unwrap();
        let r = Request::build(&opts(LetterKind::Erasure, "subject-person.toml"), &config(), &cat).unwrap();
        assert_eq!(
            (r.lang, r.grounds.clone(), r.to.clone()),
            (Lang::En, ErasureGround::DEFAULT.to_vec(), vec!["euprivacy@zendesk.com".to_string()])
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
}
