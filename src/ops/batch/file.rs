//! Reading a batch file (CSV or TOML) into rows of [`Options`], each with
//! its stable key.
//!
//! Both formats have the same fields; CSV has one column each (lists
//! `;`-separated), TOML one `[[request]]` table per row (lists as arrays or
//! `;`-separated strings):
//!
//! | field | meaning |
//! |---|---|
//! | `key` | optional stable key of the row (else derived from the row) |
//! | `policy` | the policy id (`--to`) |
//! | `kind` | `erasure`, `processor-deletion`, `access` |
//! | `lang` | `de` or `en` (default: the policy's) |
//! | `subject` | the subject file, relative to the batch file |
//! | `subject.*` | or the subject's fields inline (see below) |
//! | `attach` | attachments, relative to the batch file |
//! | `confirm` | confirmed precondition ids |
//! | `ground` | Art. 17(1) grounds (`a` … `f`) |
//! | `calendar` | holiday calendar code |
//! | `confirm_by` | processor deletion: `YYYY-MM-DD` |
//! | `cc_self` | `true` / `false` |
//!
//! Every problem of every row is collected ([`RowError`]) rather than
//! stopping at the first, so the user fixes the file once.
//!
//! # Inline subjects
//! Instead of a subject file a row may carry the subject's fields itself:
//! in CSV as columns named by the field's dotted path in a subject file
//! (`subject.name`, `subject.identifiers.account_email`,
//! `subject.verification.date`; the list fields [`LIST_FIELDS`]
//! `;`-separated), in TOML as a `subject` table (`[request.subject]` or
//! `subject = { … }`). The fields become the table a subject file would
//! hold and are checked exactly like one ([`crate::subject::Subject::from_table`]);
//! relative paths in them (evidence, mandate) are taken from the batch
//! file's directory. A row gives a subject file or inline fields, not both.
//!
//! # Keys
//! A row's key is what makes re-running a batch idempotent: the log's
//! `prepared` events carry it (`batch_key`). It is the SHA-256 (first 16
//! bytes, hex) of either the explicit `key` or the row's normalised fields
//! (paths as written, lists sorted where order does not matter), with
//! distinct prefixes for the two. Only the digest is logged, never the
//! row, so no personal data reaches the log through a key. The key is
//! global to the data directory, like an idempotency key: the same row in
//! another batch file is the same request.

use super::RowError;
use crate::deadline::CalendarCode;
use crate::kind::{ErasureGround, LetterKind};
use crate::lang::Lang;
use crate::policy::PolicyId;
use crate::request::Options;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fields a row may have, in CSV header order.
pub const FIELDS: [&str; 18] = [
    "key",
    "policy",
    "kind",
    "lang",
    "subject",
    "attach",
    "confirm",
    "ground",
    "calendar",
    "confirm_by",
    "cc_self",
    "situation",
    "direct_marketing",
    "only",
    "made_public",
    "correct",
    "complete",
    "transmit_to",
];

/// Subject fields that hold lists (`;`-separated in a CSV cell).
pub const LIST_FIELDS: [&str; 5] =
    ["address", "share", "organisation.address", "verification.evidence", "account.connected_apps"];

/// The prefix of inline subject columns.
const INLINE: &str = "subject.";

/// One row of a batch file, validated as far as the file alone allows.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based row number (the n-th request in the file).
    pub number: usize,
    /// The line the row starts on.
    pub line: u64,
    /// The line of each field that was found on a line of its own (TOML:
    /// `confirm_by`, `subject.verification`; empty for CSV, whose row is
    /// one record). See [`Row::line_of`].
    pub lines: BTreeMap<String, u64>,
    /// The explicit `key`, if given.
    pub label: Option<String>,
    /// The stable key logged as `batch_key`.
    pub key: String,
    /// The row as a person tells it apart: its explicit `key`, else its
    /// kind and subject (the file as written, or the inline subject's
    /// name), e.g. `erasure agent-erika.toml`.
    pub name: String,
    /// What to send, paths resolved against the batch file's directory.
    pub options: Options,
}

impl Row {
    /// The line of `field` (a dotted row field, `subject.verification.date`)
    /// or of the nearest enclosing field found on a line; else the row's.
    pub fn line_of(&self, field: Option<&str>) -> u64 {
        line_of(&self.lines, self.line, field)
    }
}

fn line_of(lines: &BTreeMap<String, u64>, row: u64, field: Option<&str>) -> u64 {
    let mut field = match field {
        Some(f) => f,
        None => return row,
    };
    loop {
        if let Some(l) = lines.get(field) {
            return *l;
        }
        match field.rsplit_once('.') {
            Some((head, _)) => field = head,
            None => return row,
        }
    }
}

/// The lines of the keys of the TOML table that spans `text[start..end]`
/// (a `[[request]]`): `key = …` lines, the keys of a `[request.subject]`
/// (or deeper) table as `subject.key`, and the keys of an inline table
/// `subject = { name = … }` as `subject.name`. What is not found there
/// keeps the row's line ([`Row::line_of`]).
fn key_lines(text: &str, start: usize, end: usize) -> BTreeMap<String, u64> {
    let mut lines = BTreeMap::new();
    let first = text[..start.min(text.len())].matches('\n').count() as u64 + 1;
    let mut prefix = String::new();
    for (i, line) in text[start.min(text.len())..end.min(text.len())].lines().enumerate() {
        let n = first + i as u64;
        let t = line.trim();
        if let Some(header) = t.strip_prefix('[').and_then(|h| h.split(']').next()) {
            // `[request.subject.verification]` → `subject.verification.`
            let header = header.trim_start_matches('[').trim();
            prefix = header.strip_prefix("request").map(|r| r.trim_start_matches('.')).unwrap_or_default().to_string();
            if !prefix.is_empty() {
                lines.entry(prefix.clone()).or_insert(n);
                prefix.push('.');
            }
            continue;
        }
        let Some((key, rest)) = t.split_once('=') else { continue };
        let key = key.trim().trim_matches('"');
        if key.is_empty() || key.starts_with('#') {
            continue;
        }
        let full = format!("{prefix}{key}");
        lines.entry(full.clone()).or_insert(n);
        // An inline table: its keys are on this line too.
        if rest.trim_start().starts_with('{') {
            for part in rest.split([',', '{']) {
                if let Some((k, _)) = part.split_once('=') {
                    let k = k.trim().trim_matches('"');
                    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                        lines.entry(format!("{full}.{k}")).or_insert(n);
                    }
                }
            }
        }
    }
    lines
}

/// A field's raw value.
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    List(Vec<String>),
    Bool(bool),
    /// An inline subject (TOML), dates as text.
    Table(toml::Table),
}

/// A row as read, before conversion.
struct RawRow {
    number: usize,
    line: u64,
    /// See [`Row::lines`].
    lines: BTreeMap<String, u64>,
    fields: BTreeMap<String, Value>,
}

/// Why the file as a whole cannot be read (as opposed to one row).
#[derive(Debug)]
pub(super) enum FileProblem {
    /// Not readable.
    File(crate::file::Error),
    /// TOML syntax or shape.
    Toml(crate::toml_file::Error),
    /// Anything else, with a hint.
    Other(String, String),
}

/// Reads and converts every row. `Ok` holds the rows and the row errors.
/// With `confine`, every file a row leads to must be inside the batch
/// file's directory ([`Options::within`]).
pub(super) fn read(path: &Path, confine: bool) -> Result<(Vec<Row>, Vec<RowError>), FileProblem> {
    let text = crate::file::read_text(path, crate::file::Limit::BATCH).map_err(FileProblem::File)?;
    parse(path, &text, confine)
}

/// [`read`] for the text of the file `path` (its extension says CSV or
/// TOML; its directory is where the rows' paths are resolved).
pub(super) fn parse(path: &Path, text: &str, confine: bool) -> Result<(Vec<Row>, Vec<RowError>), FileProblem> {
    let text = text.to_string();
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let raw = match ext.as_deref() {
        Some("csv") => read_csv(&text)?,
        Some("toml") => read_toml(path, &text)?,
        _ => {
            return Err(FileProblem::Other(
                crate::t!("cli.batch.unknown-type"),
                crate::t!("cli.batch.unknown-type-hint"),
            ));
        }
    };
    if raw.is_empty() {
        return Err(FileProblem::Other(crate::t!("cli.batch.empty"), crate::t!("cli.batch.empty-hint")));
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut rows = Vec::with_capacity(raw.len());
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for r in raw {
        match convert(&r, &base, &file_name) {
            Ok(mut row) => {
                // The directory as the user named it; `file::is_inside`
                // follows symlinks on both sides.
                row.options.within =
                    confine.then(|| if base.as_os_str().is_empty() { ".".into() } else { base.clone() });
                if let Some(first) = seen.get(&row.key) {
                    errors.push(RowError::new(
                        r.number,
                        r.line,
                        crate::t!("cli.batch.duplicate-row", first = first, key = row.key),
                        crate::t!("cli.batch.duplicate-row-hint"),
                    ));
                } else {
                    seen.insert(row.key.clone(), r.number);
                    rows.push(row);
                }
            }
            Err(mut es) => errors.append(&mut es),
        }
    }
    Ok((rows, errors))
}

fn read_csv(text: &str) -> Result<Vec<RawRow>, FileProblem> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FileProblem::Other(crate::t!("cli.batch.header", error = e), crate::t!("cli.batch.header-hint")))?
        .clone();
    let mut columns = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().to_ascii_lowercase();
        if !FIELDS.contains(&name.as_str()) && !is_inline_field(&name) {
            return Err(FileProblem::Other(
                crate::t!("cli.batch.unknown-column", column = h, number = i + 1),
                crate::t!("cli.batch.unknown-column-hint", known = FIELDS.join(", ")),
            ));
        }
        if columns.contains(&name) {
            return Err(FileProblem::Other(
                crate::t!("cli.batch.column-twice", column = h),
                crate::t!("cli.batch.column-twice-hint"),
            ));
        }
        columns.push(name);
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            FileProblem::Other(
                crate::t!("cli.batch.bad-record", line = line, error = e),
                crate::t!("cli.batch.bad-record-hint"),
            )
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let fields = columns
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(c, v)| (c.clone(), Value::Text(v.to_string())))
            .collect();
        rows.push(RawRow { number: i + 1, line, lines: BTreeMap::new(), fields });
    }
    Ok(rows)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlBatch {
    #[serde(default)]
    request: Vec<toml::Spanned<toml::Table>>,
}

fn read_toml(path: &Path, text: &str) -> Result<Vec<RawRow>, FileProblem> {
    let batch: TomlBatch = crate::toml_file::parse(path, text).map_err(FileProblem::Toml)?;
    let mut rows = Vec::with_capacity(batch.request.len());
    // A table's span may cover its header only: its keys run to the next
    // `[[request]]` (or the end of the file).
    let starts: Vec<usize> = batch.request.iter().map(|t| t.span().start).collect();
    for (i, table) in batch.request.into_iter().enumerate() {
        let (line, _) = crate::toml_file::line_col(text, table.span().start);
        let end = starts.get(i + 1).copied().unwrap_or(text.len()).max(table.span().end);
        let lines = key_lines(text, table.span().start, end);
        let mut fields = BTreeMap::new();
        let mut bad = Vec::new();
        for (k, v) in table.into_inner() {
            let value = match v {
                toml::Value::String(s) => Value::Text(s),
                toml::Value::Boolean(b) => Value::Bool(b),
                toml::Value::Datetime(d) => Value::Text(d.to_string()),
                toml::Value::Table(t) if k == "subject" => Value::Table(dates_as_text(t)),
                toml::Value::Array(a) => {
                    let items: Option<Vec<String>> = a.into_iter().map(|x| x.as_str().map(String::from)).collect();
                    match items {
                        Some(items) => Value::List(items),
                        None => {
                            bad.push(k);
                            continue;
                        }
                    }
                }
                _ => {
                    bad.push(k);
                    continue;
                }
            };
            fields.insert(k, value);
        }
        if let Some(k) = bad.first() {
            return Err(FileProblem::Other(
                crate::t!(
                    "cli.batch.not-string",
                    line = line_of(&lines, line as u64, Some(k)),
                    number = i + 1,
                    key = k
                ),
                crate::t!("cli.batch.not-string-hint"),
            ));
        }
        rows.push(RawRow { number: i + 1, line: line as u64, lines, fields });
    }
    Ok(rows)
}

/// One problem of a row found while converting it: the field it is about
/// (`None`: the row as a whole), what is wrong and what to do.
struct Problem {
    field: Option<String>,
    message: String,
    hint: String,
}

impl Problem {
    /// A problem of field `name`.
    fn of(name: &str, message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem { field: Some(name.to_string()), message: message.into(), hint: hint.into() }
    }

    /// `name: message`, as the row's report says it.
    fn into_row_error(self, raw: &RawRow) -> RowError {
        let line = line_of(&raw.lines, raw.line, self.field.as_deref());
        let message = match self.field {
            Some(f) => format!("{f}: {}", self.message),
            None => self.message,
        };
        RowError::new(raw.number, line, message, self.hint)
    }
}

/// Converts one raw row, collecting all of its problems.
fn convert(raw: &RawRow, base: &Path, file_name: &str) -> Result<Row, Vec<RowError>> {
    let mut errors: Vec<Problem> = Vec::new();
    for k in raw.fields.keys() {
        if !FIELDS.contains(&k.as_str()) && !is_inline_field(k) {
            errors.push(Problem {
                field: None,
                message: crate::t!("cli.batch.unknown-field", field = k),
                hint: crate::t!("cli.batch.unknown-field-hint", known = FIELDS.join(", ")),
            });
        }
    }
    let text = |name: &str, errors: &mut Vec<Problem>| -> Option<String> {
        match raw.fields.get(name)? {
            Value::Text(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Bool(b) => Some(b.to_string()),
            Value::List(_) => {
                errors.push(Problem::of(
                    name,
                    crate::t!("cli.batch.list"),
                    crate::t!("cli.batch.list-hint", name = name),
                ));
                None
            }
            Value::Table(_) => None,
        }
    };
    let list = |name: &str| -> Vec<String> {
        match raw.fields.get(name) {
            Some(Value::Text(s)) => s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
            Some(Value::List(items)) => items.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            Some(Value::Bool(b)) => vec![b.to_string()],
            Some(Value::Table(_)) | None => Vec::new(),
        }
    };
    let required = |name: &str, what: &str, errors: &mut Vec<Problem>| -> Option<String> {
        let v = text(name, errors);
        // A value that is there but unusable was reported as such.
        if v.is_none() && !errors.iter().any(|p| p.field.as_deref() == Some(name)) {
            errors.push(Problem::of(name, crate::t!("cli.batch.missing"), what));
        }
        v
    };
    let label = text("key", &mut errors);
    let policy = required("policy", &crate::t!("cli.batch.policy-hint"), &mut errors).and_then(|p| {
        // Bounded before any lookup: not a typo of an id, and not worth a
        // "did you mean" or an echo in the message.
        if p.len() > crate::policy::check::MAX_ID_CHARS {
            errors.push(Problem::of(
                "policy",
                crate::t!("cli.batch.policy-long", bytes = p.len(), max = crate::policy::check::MAX_ID_CHARS),
                crate::t!("cli.batch.policy-hint"),
            ));
            return None;
        }
        PolicyId::parse(&p)
            .map_err(|e| errors.push(Problem::of("policy", e.to_string(), crate::t!("cli.batch.policy-search"))))
            .ok()
    });
    let kind = required("kind", &crate::t!("cli.batch.kind-hint"), &mut errors)
        .and_then(|k| k.parse::<LetterKind>().map_err(|_| errors.push(unknown_kind(&k))).ok());
    let lang = text("lang", &mut errors)
        .and_then(|l| l.parse::<Lang>().map_err(|e| errors.push(Problem::of("lang", e.to_string(), ""))).ok());
    let subject = subject_of(raw, &mut errors);
    let attach = list("attach");
    let mut confirm = list("confirm");
    let mut grounds = Vec::new();
    for g in list("ground") {
        match <ErasureGround as clap::ValueEnum>::from_str(&g, true) {
            Ok(g) => grounds.push(g),
            Err(_) => errors.push(Problem::of(
                "ground",
                crate::t!("cli.batch.ground", ground = g),
                crate::t!("cli.batch.ground-hint"),
            )),
        }
    }
    let calendar = text("calendar", &mut errors).and_then(|c| {
        c.parse::<CalendarCode>().map_err(|e| errors.push(Problem::of("calendar", e.to_string(), ""))).ok()
    });
    let confirm_by = text("confirm_by", &mut errors).and_then(|d| {
        crate::clock::iso_date(&d)
            .map_err(|e| errors.push(Problem::of("confirm_by", e, crate::t!("cli.batch.date-hint"))))
            .ok()
    });
    let switch = |name: &str, errors: &mut Vec<Problem>| match text(name, errors).map(|s| s.to_ascii_lowercase()) {
        None => false,
        Some(s) if ["true", "yes", "1"].contains(&s.as_str()) => true,
        Some(s) if ["false", "no", "0"].contains(&s.as_str()) => false,
        Some(s) => {
            errors.push(Problem::of(
                name,
                crate::t!("cli.batch.switch", value = s),
                crate::t!("cli.batch.switch-hint"),
            ));
            false
        }
    };
    let cc_self = switch("cc_self", &mut errors);
    let direct_marketing = switch("direct_marketing", &mut errors);
    let made_public = switch("made_public", &mut errors);
    let situation = text("situation", &mut errors);
    let only = list("only");
    let corrections = list("correct");
    let completions = list("complete");
    let transmit_to = text("transmit_to", &mut errors);
    let (Some(policy), Some(kind), Some(subject), true) = (policy, kind, subject, errors.is_empty()) else {
        return Err(errors.into_iter().map(|p| p.into_row_error(raw)).collect());
    };
    grounds.sort();
    grounds.dedup();
    confirm.sort();
    confirm.dedup();
    let key = match &label {
        Some(l) => digest("dsr-batch-key-v1", l),
        None => {
            let normalised = serde_json::json!([
                policy,
                kind.name(),
                lang.map(|l| l.to_string()),
                match &subject {
                    Subject::File(f) => serde_json::json!(f),
                    Subject::Inline(t) => serde_json::json!(t),
                },
                attach,
                confirm,
                grounds.iter().map(|g| g.letter()).collect::<Vec<_>>(),
                calendar.map(|c| c.to_string()),
                confirm_by.map(|d| d.to_string()),
                cc_self,
            ]);
            digest("dsr-batch-row-v1", &normalised.to_string())
        }
    };
    let name = match (&label, &subject) {
        (Some(l), _) => l.clone(),
        (None, Subject::File(f)) => format!("{kind} {f}"),
        (None, Subject::Inline(t)) => {
            let who = ["name", "email"].iter().find_map(|k| t.get(*k).and_then(toml::Value::as_str));
            format!("{kind} {}", who.unwrap_or("(inline subject)"))
        }
    };
    let resolve = |p: &str| {
        let p = PathBuf::from(p);
        if p.is_absolute() { p } else { base.join(p) }
    };
    Ok(Row {
        number: raw.number,
        line: raw.line,
        lines: raw.lines.clone(),
        label,
        key,
        name,
        options: Options {
            via: None,
            to: policy,
            kind,
            lang,
            subject: match &subject {
                Subject::File(f) => resolve(f),
                Subject::Inline(_) => base.join(format!("{file_name} row {}", raw.number)),
            },
            inline_subject: match subject {
                Subject::File(_) => None,
                Subject::Inline(t) => Some(t),
            },
            attach: attach.iter().map(|a| resolve(a)).collect(),
            confirm,
            cc_self,
            grounds,
            confirm_by,
            calendar,
            read_receipt: false,
            within: None,
            id_documents: Vec::new(),
            confirm_id_document: false,
            situation,
            direct_marketing,
            only,
            made_public,
            corrections,
            completions,
            transmit_to,
        },
    })
}

/// Where a row's subject comes from.
enum Subject {
    /// A subject file, as written.
    File(String),
    /// The subject's fields.
    Inline(toml::Table),
}

/// `subject.<field>[.<field>…]`, lowercase words.
fn is_inline_field(name: &str) -> bool {
    name.strip_prefix(INLINE).is_some_and(|rest| {
        rest.split('.')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
    })
}

/// The row's subject file or inline fields; a problem if it has both or
/// neither, or two inline fields collide.
/// A row's `kind` that names no kind: the kinds a row may have (the
/// follow-ups parse, and are refused later with their own command), and
/// the closest of them.
fn unknown_kind(kind: &str) -> Problem {
    let initial = LetterKind::ALL.into_iter().filter(|k| k.is_initial()).map(LetterKind::name);
    let near = crate::suggest::near(kind, initial, crate::suggest::Closeness::Name);
    let hint = if near.is_empty() {
        crate::t!("cli.batch.kind-hint")
    } else {
        crate::t!("cli.batch.kind-near", near = near.join(" / "))
    };
    Problem::of("kind", crate::t!("cli.batch.kind-unknown", kind = kind), hint)
}

fn subject_of(raw: &RawRow, errors: &mut Vec<Problem>) -> Option<Subject> {
    let file = match raw.fields.get("subject") {
        Some(Value::Text(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Some(Value::Table(t)) => return Some(Subject::Inline(t.clone())),
        Some(_) => {
            errors.push(Problem::of(
                "subject",
                crate::t!("cli.batch.subject-type"),
                crate::t!("cli.batch.subject-type-hint"),
            ));
            return None;
        }
        None => None,
    };
    let mut table = toml::Table::new();
    for (name, value) in raw.fields.range(INLINE.to_string()..).take_while(|(k, _)| k.starts_with(INLINE)) {
        let path = &name[INLINE.len()..];
        let value = match value {
            Value::Text(s) if LIST_FIELDS.contains(&path) => toml::Value::Array(
                s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(|s| toml::Value::String(s.into())).collect(),
            ),
            Value::Text(s) => toml::Value::String(s.clone()),
            // CSV holds text only.
            Value::List(_) | Value::Bool(_) | Value::Table(_) => continue,
        };
        if let Err(at) = insert(&mut table, path, value) {
            errors.push(Problem::of(
                name,
                crate::t!("cli.batch.inline-clash", field = format!("{INLINE}{at}")),
                crate::t!("cli.batch.inline-clash-hint"),
            ));
            return None;
        }
    }
    match (file, table.is_empty()) {
        (Some(f), true) => Some(Subject::File(f)),
        (None, false) => Some(Subject::Inline(table)),
        (Some(_), false) => {
            errors.push(Problem::of(
                "subject",
                crate::t!("cli.batch.subject-both"),
                crate::t!("cli.batch.subject-both-hint"),
            ));
            None
        }
        (None, true) => {
            errors.push(Problem::of(
                "subject",
                crate::t!("cli.batch.missing"),
                crate::t!("cli.batch.subject-missing-hint"),
            ));
            None
        }
    }
}

/// Puts `value` at the dotted `path` of `table`; `Err` names the prefix
/// that is already a value.
fn insert(table: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let (head, rest) = path.split_once('.').map_or((path, None), |(h, r)| (h, Some(r)));
    match rest {
        None => {
            if table.contains_key(head) {
                return Err(path.to_string());
            }
            table.insert(head.to_string(), value);
            Ok(())
        }
        Some(rest) => {
            let inner = table.entry(head.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match inner {
                toml::Value::Table(t) => insert(t, rest, value).map_err(|e| format!("{head}.{e}")),
                _ => Err(head.to_string()),
            }
        }
    }
}

/// TOML dates as `YYYY-MM-DD` text, as a CSV cell would give them (the
/// subject's date fields take either; the row key must not differ).
fn dates_as_text(table: toml::Table) -> toml::Table {
    fn walk(v: toml::Value) -> toml::Value {
        match v {
            toml::Value::Datetime(d) => toml::Value::String(d.to_string()),
            toml::Value::Array(a) => toml::Value::Array(a.into_iter().map(walk).collect()),
            toml::Value::Table(t) => toml::Value::Table(dates_as_text(t)),
            other => other,
        }
    }
    table.into_iter().map(|(k, v)| (k, walk(v))).collect()
}

/// First 16 bytes of SHA-256(`domain` NUL `text`), hex.
fn digest(domain: &str, text: &str) -> String {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_option_has_its_row_field() {
        // Errors name options as data; a row's report words them by these
        // columns (crate::field::Words::Row), so each must exist.
        for o in crate::field::Opt::ALL {
            assert!(FIELDS.contains(&o.column()), "{o:?}: no batch field '{}'", o.column());
        }
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn csv_and_toml_give_the_same_rows_and_keys() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(
            dir.path(),
            "b.csv",
            "policy,kind,lang,subject,confirm,ground\n\
             zendesk,erasure,de,s.toml,,b;a\n\
             zendesk,processor-deletion,,org.toml,y;x,\n",
        );
        let toml = write(
            dir.path(),
            "b.toml",
            "[[request]]\npolicy = \"zendesk\"\nkind = \"erasure\"\nlang = \"de\"\nsubject = \"s.toml\"\n\
             ground = [\"a\", \"b\"]\n\n[[request]]\npolicy = \"zendesk\"\nkind = \"processor-deletion\"\n\
             subject = \"org.toml\"\nconfirm = \"x;y\"\n",
        );
        let (a, ea) = read(&csv, true).unwrap();
        let (b, eb) = read(&toml, true).unwrap();
        assert!(ea.is_empty() && eb.is_empty(), "{ea:?} {eb:?}");
        assert_eq!(a.iter().map(|r| &r.key).collect::<Vec<_>>(), b.iter().map(|r| &r.key).collect::<Vec<_>>());
        assert_eq!(a[0].options.subject, dir.path().join("s.toml"));
        assert_eq!(a[0].options.grounds, [ErasureGround::A, ErasureGround::B]);
        assert_eq!(a[1].options.confirm, ["x", "y"]);
        assert_eq!((a[0].line, a[1].line, b[0].line, b[1].line), (2, 3, 1, 8));
        assert_eq!(a[0].key.len(), 32);
        assert_ne!(a[0].key, a[1].key);
    }

    #[test]
    fn every_bad_row_is_reported_and_duplicates_are_caught() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(
            dir.path(),
            "b.csv",
            "key,policy,kind,subject,lang\n\
             k1,zendesk,erasure,s.toml,\n\
             k2,,erasur,s.toml,fr\n\
             k1,zendesk,access,s.toml,\n\
             k3,Zendesk,erasure,s.toml,\n",
        );
        let (rows, errors) = read(&csv, true).unwrap();
        assert_eq!(rows.len(), 1);
        let got: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.row, e.message)).collect();
        assert_eq!(
            got,
            [
                "2: policy: missing".to_string(),
                "2: kind: unknown kind 'erasur'".into(),
                "2: lang: unknown language 'fr', expected one of: de, en".into(),
                format!("3: the same request as row 1 (key {})", rows[0].key),
                "4: policy: 'Zendesk' is not a valid policy id (lowercase letters, digits and dashes); written as an \
                 id: 'zendesk'"
                    .into(),
            ]
        );
        assert_eq!((errors[0].line, errors[3].line), (3, 4));
        assert_eq!(errors[4].hint.as_deref(), Some("`dsr policy list --search TEXT` finds a company"));
    }

    #[test]
    fn unknown_columns_and_file_types_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(dir.path(), "b.csv", "policy,knd\nzendesk,erasure\n");
        let Err(FileProblem::Other(m, _)) = read(&csv, true) else { panic!() };
        assert_eq!(m, "line 1: unknown column 'knd' (column 2)");
        let txt = write(dir.path(), "b.txt", "x");
        let Err(FileProblem::Other(m, _)) = read(&txt, true) else { panic!() };
        assert_eq!(m, "unknown batch file type");
    }

    #[test]
    fn inline_subjects_in_csv_and_toml_are_the_same_table_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(
            dir.path(),
            "b.csv",
            "policy,kind,subject.capacity,subject.name,subject.identifiers.account_email,subject.share,\
             subject.verification.method,subject.verification.verified_by,subject.verification.date\n\
             zendesk,erasure,data_subject,Erika,e@x.example,a; b,sent_from_account_email,herself,2026-11-27\n",
        );
        let toml = write(
            dir.path(),
            "b.toml",
            "[[request]]\npolicy = \"zendesk\"\nkind = \"erasure\"\n[request.subject]\ncapacity = \"data_subject\"\n\
             name = \"Erika\"\nshare = [\"a\", \"b\"]\nidentifiers.account_email = \"e@x.example\"\n\
             verification = { method = \"sent_from_account_email\", verified_by = \"herself\", date = 2026-11-27 }\n",
        );
        let (a, ea) = read(&csv, true).unwrap();
        let (b, eb) = read(&toml, true).unwrap();
        assert!(ea.is_empty() && eb.is_empty(), "{ea:?} {eb:?}");
        assert_eq!(a[0].key, b[0].key);
        assert_eq!(a[0].options.inline_subject, b[0].options.inline_subject);
        assert_eq!(a[0].options.subject, dir.path().join("b.csv row 1"));
        let s =
            crate::subject::Subject::from_table(&a[0].options.subject, a[0].options.inline_subject.clone().unwrap())
                .unwrap();
        assert_eq!((s.name.as_deref(), s.share.as_slice()), (Some("Erika"), ["a".to_string(), "b".into()].as_slice()));
        assert_eq!(s.identifiers["account_email"], "e@x.example");
        // A file subject with the same policy is another request.
        let other = write(dir.path(), "c.csv", "policy,kind,subject\nzendesk,erasure,s.toml\n");
        assert_ne!(read(&other, true).unwrap().0[0].key, a[0].key);
    }

    #[test]
    fn a_row_gives_a_subject_file_or_inline_fields() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(
            dir.path(),
            "b.csv",
            "policy,kind,subject,subject.name,subject.identifiers,subject.identifiers.x\n\
             zendesk,erasure,s.toml,Erika,,\n\
             zendesk,erasure,,,,\n\
             zendesk,erasure,,,a,b\n",
        );
        let (rows, errors) = read(&csv, true).unwrap();
        assert!(rows.is_empty());
        let got: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.row, e.message)).collect();
        assert_eq!(
            got,
            [
                "1: subject: both a subject file and subject.* fields",
                "2: subject: missing",
                "3: subject.identifiers.x: 'subject.identifiers' is given both as a value and as fields",
            ]
        );
        let bad = write(dir.path(), "c.csv", "policy,kind,subject.full-name\nzendesk,erasure,x\n");
        let Err(FileProblem::Other(m, h)) = read(&bad, true) else { panic!() };
        assert_eq!(m, "line 1: unknown column 'subject.full-name' (column 3)");
        assert!(h.ends_with("and subject.<field> for an inline subject (e.g. subject.name)"), "{h}");
    }
}
