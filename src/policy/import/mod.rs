//! Importing the Datenanfragen.de directory (CC0) as dsr policies and
//! supervisory-authority files.
//!
//! [`import_datenanfragen`] reads a copy of `datenanfragen/data`
//! (`companies/*`, `supervisory-authorities/*`, `PROVENANCE.md`,
//! `LICENSE-CC0`) and writes
//!
//! ```text
//! <out>/imported/<slug>.toml        one policy per company record
//! <out>/imported/PROVENANCE.md      source commit, licence, import date
//! <out>/authorities/<id>.toml       one file per authority record
//! <out>/import-report.md            per-field counts, errors, notes, comments
//! ```
//!
//! Each record is converted on its own ([`company`], [`supervisory`]): a
//! record that breaks their schema, a file that is not JSON or a missing
//! subdirectory is an error *for that file* in the [`Report`], and the rest
//! still imports. Every field maps to a key or to an `[import] notes` entry
//! of the record; their free-text `comments` are never copied into a policy
//! but listed in the report for curators. A converted record must pass the
//! policy (or authority) lint and re-parse to the same value, else it is an
//! error too, so the output always passes `dsr policy check`.
//!
//! The output depends only on the input and the import date (which appears
//! only in `PROVENANCE.md`): files are sorted, TOML is written from the
//! typed structs in their fixed field order, and `imported/*.toml` files
//! that the run did not write are removed.

mod company;
mod report;
mod seat;

/// Whether Assumption Day (15 August) is a public holiday at a Bavarian
/// seat, where the address names a municipality dsr knows (its postcode and
/// town); `None` when it does not tell. See `seat::BAVARIAN_MUNICIPALITIES`
/// for the table and its sources.
pub fn bavarian_assumption_day(address: &[String]) -> Option<bool> {
    seat::bavarian_assumption_day(address)
}
mod supervisory;

pub use report::imported_on;

use super::{Policy, authority, check};
use crate::deadline::CalendarCode;
use crate::i18n::UiLang;
use crate::lang::Lang;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `[import] source` of every policy this module writes.
pub const SOURCE: &str = "datenanfragen";

/// Why an import could not run at all (per-record problems are in the
/// [`Report`] instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The source directory does not exist or is not a directory.
    #[error("{}", crate::t!("import.no-source", path = path.display()))]
    NoSource {
        /// The path given.
        path: PathBuf,
    },
    /// An output file or directory could not be written.
    #[error("{}", crate::t!("import.write", path = path.display(), source = source))]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Some records or directories could not be imported (the others were).
    #[error("{}", crate::t!("import.incomplete", failed = failed, imported = imported))]
    Incomplete {
        /// Files or directories with an error.
        failed: usize,
        /// Records written.
        imported: usize,
        /// The report listing each error.
        report: PathBuf,
    },
}

impl Error {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoSource { .. } => Some(crate::t!("pcheck.import.no-source-hint")),
            Error::Write { .. } => Some(crate::t!("pcheck.import.write-hint")),
            Error::Incomplete { report, .. } => {
                Some(crate::t!("pcheck.import.incomplete-hint", report = report.display()))
            }
        }
    }
}

/// What to import from where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Datenanfragen.de copy.
    pub source: PathBuf,
    /// The output root (`policies` in the source tree).
    pub out: PathBuf,
    /// The import date written to `PROVENANCE.md`.
    pub imported_on: NaiveDate,
}

/// A converted record with what the report needs.
#[derive(Debug)]
struct Mapped<T> {
    slug: String,
    value: T,
    /// Fields not mapped, or mapped with a caveat (also in `[import] notes`).
    notes: Vec<String>,
    /// Their free-text comments (report only).
    comments: Vec<String>,
    /// Mapping decisions, counted in the summary.
    decisions: Vec<String>,
}

/// Counts for one kind of record.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// Files found.
    pub files: usize,
    /// Records written.
    pub imported: usize,
    /// Files with an error.
    pub failed: usize,
}

/// How often a field of their schema occurs, and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct FieldCount {
    /// Their field name.
    pub field: String,
    /// Records that have it.
    pub records: usize,
    /// Where dsr puts it.
    pub mapped_to: String,
}

/// An error for one file or directory; the rest of the import goes on.
#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    /// The file, relative to the source directory.
    pub file: String,
    /// What is wrong, in English: what `import-report.md` and `--json` say
    /// (the report depends on the input only).
    pub message: String,
    /// The same in the interface language, for the terminal.
    #[serde(skip)]
    pub shown: String,
}

impl FileError {
    fn new(file: impl Into<String>, message: Msg) -> FileError {
        FileError { file: file.into(), message: message.en, shown: message.shown }
    }
}

/// A per-file error's text in English (for [`FileError::message`]) and in
/// the interface language (for [`FileError::shown`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Msg {
    en: String,
    shown: String,
}

impl Msg {
    /// The text `text` gives in English and in the interface language.
    fn new(text: impl Fn(UiLang) -> String) -> Msg {
        Msg { en: text(UiLang::En), shown: text(crate::i18n::ui()) }
    }
}

/// Another program's text (serde's), the same in both.
impl From<String> for Msg {
    fn from(text: String) -> Msg {
        Msg { en: text.clone(), shown: text }
    }
}

impl std::ops::Deref for Msg {
    type Target = str;
    fn deref(&self) -> &str {
        &self.en
    }
}

impl PartialEq<&str> for Msg {
    fn eq(&self, other: &&str) -> bool {
        self.en == *other
    }
}

/// What the report says about one record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordNote {
    /// `company` or `authority`.
    pub kind: &'static str,
    /// Their slug.
    pub slug: String,
    /// The dsr id written.
    pub id: String,
    /// Unmapped fields and caveats.
    pub notes: Vec<String>,
    /// Their free-text comments, for curators.
    pub comments: Vec<String>,
}

/// The outcome of an import: written to `<out>/import-report.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The source commit (from their `PROVENANCE.md`), if found.
    pub commit: Option<String>,
    /// The import date.
    pub imported_on: NaiveDate,
    /// Company records.
    pub companies: Tally,
    /// Supervisory-authority records.
    pub authorities: Tally,
    /// Company fields: how many records have each.
    pub company_fields: Vec<FieldCount>,
    /// Authority fields: how many records have each.
    pub authority_fields: Vec<FieldCount>,
    /// Mapping decisions (language, calendar, transport, ids) and counts.
    pub decisions: BTreeMap<String, usize>,
    /// Per-file errors.
    pub errors: Vec<FileError>,
    /// Records with notes or comments.
    pub records: Vec<RecordNote>,
    /// Stale `imported/*.toml` files removed.
    pub removed: Vec<String>,
    /// Where the report was written.
    pub report_path: PathBuf,
}

/// Company fields of their `schema.json`, in schema order, and where each goes.
const COMPANY_FIELDS: &[(&str, &str)] = &[
    ("slug", "id, import.slug"),
    ("relevant-countries", "countries"),
    ("categories", "categories"),
    ("name", "name, entity.legal_name"),
    ("runs", "runs"),
    ("address", "entity.address (one line each, country last); calendar, default language"),
    ("phone", "contact.phone"),
    ("fax", "contact.fax"),
    ("email", "contact.privacy_email"),
    ("webform", "contact.webform"),
    ("pgp-fingerprint", "import.notes (dsr does not encrypt)"),
    ("pgp-url", "import.notes (dsr does not encrypt)"),
    ("web", "contact.web"),
    ("sources", "sources.urls"),
    ("required-elements", "identity.required (+ identity.labels); optional ones to import.notes"),
    ("request-language", "language (de, en; others: en and import.notes)"),
    ("custom-access-template", "import.notes"),
    ("custom-erasure-template", "import.notes"),
    ("custom-rectification-template", "import.notes"),
    ("custom-objection-template", "import.notes"),
    ("needs-id-document", "identity.id_document (true: required)"),
    ("suggested-transport-medium", "transport"),
    ("comments", "not copied: listed in this report"),
    ("quality", "quality"),
    ("facet-group", "categories"),
    ("nsfw", "import.notes"),
];

/// Authority fields of their schema and where each goes.
const AUTHORITY_FIELDS: &[(&str, &str)] = &[
    ("slug", "id (see docs/policies.md), import.slug"),
    ("relevant-countries", "country"),
    ("name", "name"),
    ("address", "address"),
    ("phone", "phone"),
    ("fax", "fax"),
    ("email", "email"),
    ("webform", "complaint_form"),
    ("pgp-fingerprint", "import.notes"),
    ("pgp-url", "import.notes"),
    ("web", "web"),
    ("sources", "sources.urls"),
    ("complaint-language", "language"),
    ("suggested-transport-medium", "transport"),
    ("comments", "not copied: listed in this report"),
];

/// Imports the directory; see the module docs.
///
/// # Errors
/// [`Error::NoSource`] when `source` is not a directory, [`Error::Write`]
/// when the output cannot be written. Bad records are not errors here: they
/// are in [`Report::errors`].
pub fn import_datenanfragen(opts: &Options) -> Result<Report, Error> {
    if !opts.source.is_dir() {
        return Err(Error::NoSource { path: opts.source.clone() });
    }
    let commit = read_commit(&opts.source);
    let mut errors = Vec::new();
    let mut decisions = BTreeMap::new();
    let mut records = Vec::new();

    // Companies.
    let policies_dir = opts.out.join("imported");
    let mut companies = Tally::default();
    let mut company_counts = BTreeMap::new();
    let mut written = Vec::new();
    let files = list_files(&opts.source, "companies", &mut errors);
    companies.files = files.len();
    for (name, path) in files {
        let outcome = read_json(&path, &mut company_counts).and_then(|text| {
            let m = company::convert(&text, commit.as_deref())?;
            let text = policy_text(&m.value)?;
            check_stem(&name, &m.slug)?;
            Ok((m, text))
        });
        match outcome {
            Ok((m, text)) => {
                let file = format!("{}.toml", m.value.id);
                if written.contains(&file) {
                    let slug = &m.slug;
                    errors.push(FileError::new(
                        format!("companies/{name}"),
                        Msg::new(|l| crate::t_in!(l, "pcheck.import.slug-used", slug = slug)),
                    ));
                    companies.failed += 1;
                    continue;
                }
                write(&policies_dir.join(&file), &text)?;
                written.push(file);
                companies.imported += 1;
                for d in &m.decisions {
                    *decisions.entry(format!("company: {d}")).or_insert(0) += 1;
                }
                if !m.notes.is_empty() || !m.comments.is_empty() {
                    records.push(RecordNote {
                        kind: "company",
                        slug: m.slug,
                        id: m.value.id.to_string(),
                        notes: m.notes,
                        comments: m.comments,
                    });
                }
            }
            Err(message) => {
                companies.failed += 1;
                errors.push(FileError::new(format!("companies/{name}"), message));
            }
        }
    }
    let removed = remove_stale(&policies_dir, &written)?;

    // Authorities.
    let authorities_dir = opts.out.join("authorities");
    let mut authorities = Tally::default();
    let mut authority_counts = BTreeMap::new();
    let mut written_ids: Vec<String> = Vec::new();
    let files = list_files(&opts.source, "supervisory-authorities", &mut errors);
    authorities.files = files.len();
    for (name, path) in files {
        let outcome = read_json(&path, &mut authority_counts).and_then(|text| {
            let m = supervisory::convert(&text, commit.as_deref())?;
            let text = authority_text(&m.value)?;
            check_stem(&name, &m.slug)?;
            Ok((m, text))
        });
        match outcome {
            Ok((m, _)) if written_ids.contains(&m.value.id) => {
                authorities.failed += 1;
                let id = &m.value.id;
                errors.push(FileError::new(
                    format!("supervisory-authorities/{name}"),
                    Msg::new(|l| crate::t_in!(l, "pcheck.import.id-used", id = id)),
                ));
            }
            Ok((m, text)) => {
                write(&authorities_dir.join(format!("{}.toml", m.value.id)), &text)?;
                written_ids.push(m.value.id.clone());
                authorities.imported += 1;
                for d in &m.decisions {
                    *decisions.entry(format!("authority: {d}")).or_insert(0) += 1;
                }
                if !m.notes.is_empty() || !m.comments.is_empty() {
                    records.push(RecordNote {
                        kind: "authority",
                        slug: m.slug,
                        id: m.value.id,
                        notes: m.notes,
                        comments: m.comments,
                    });
                }
            }
            Err(message) => {
                authorities.failed += 1;
                errors.push(FileError::new(format!("supervisory-authorities/{name}"), message));
            }
        }
    }

    // Provenance and licence.
    for dir in [&policies_dir, &authorities_dir] {
        let what = if dir == &policies_dir { "company" } else { "supervisory-authority" };
        write(&dir.join("PROVENANCE.md"), &report::provenance(what, commit.as_deref(), opts.imported_on))?;
        match std::fs::read(opts.source.join("LICENSE-CC0")) {
            Ok(bytes) => write_bytes(&dir.join("LICENSE-CC0"), &bytes)?,
            Err(e) => errors.push(FileError::new(
                "LICENSE-CC0",
                Msg::new(|l| crate::t_in!(l, "pcheck.import.cannot-read", error = e)),
            )),
        }
    }
    if commit.is_none() {
        errors.push(FileError::new("PROVENANCE.md", Msg::new(|l| crate::t_in!(l, "pcheck.import.no-commit"))));
    }
    errors.dedup_by(|a, b| a.file == b.file && a.message == b.message);

    let fields = |table: &[(&str, &str)], counts: &BTreeMap<String, usize>| -> Vec<FieldCount> {
        let mut out: Vec<FieldCount> = table
            .iter()
            .map(|(f, to)| FieldCount {
                field: (*f).into(),
                records: counts.get(*f).copied().unwrap_or(0),
                mapped_to: (*to).into(),
            })
            .collect();
        for (f, n) in counts.iter().filter(|(f, _)| !table.iter().any(|(t, _)| t == f)) {
            out.push(FieldCount {
                field: f.clone(),
                records: *n,
                mapped_to: "not in their schema: import.notes".into(),
            });
        }
        out
    };
    let report = Report {
        commit,
        imported_on: opts.imported_on,
        company_fields: fields(COMPANY_FIELDS, &company_counts),
        authority_fields: fields(AUTHORITY_FIELDS, &authority_counts),
        companies,
        authorities,
        decisions,
        errors,
        records,
        removed,
        report_path: opts.out.join("import-report.md"),
    };
    write(&report.report_path, &report::markdown(&report))?;
    Ok(report)
}

impl Report {
    /// Files or directories that could not be imported.
    pub fn failed(&self) -> usize {
        self.errors.len()
    }

    /// Records written.
    pub fn imported(&self) -> usize {
        self.companies.imported + self.authorities.imported
    }
}

/// The regular files in `source/sub`, sorted by name, skipping dot files.
/// A missing or unreadable directory is one error.
fn list_files(source: &Path, sub: &str, errors: &mut Vec<FileError>) -> Vec<(String, PathBuf)> {
    let dir = source.join(sub);
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) => {
            let message = Msg::new(|l| crate::t_in!(l, "pcheck.import.cannot-read-dir", error = e));
            errors.push(FileError::new(format!("{sub}/"), message));
            return vec![];
        }
    };
    let mut out: Vec<(String, PathBuf)> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p)))
        .filter(|(n, _)| !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

/// Reads a record file and counts its top-level fields.
fn read_json(path: &Path, counts: &mut BTreeMap<String, usize>) -> Result<String, Msg> {
    let text = crate::file::read_text(path, crate::file::Limit::TEXT).map_err(|e| match e {
        crate::file::Error::NotText { offset, .. } => {
            Msg::new(|l| crate::t_in!(l, "pcheck.import.not-utf8", offset = offset))
        }
        crate::file::Error::Empty { .. } => Msg::new(|l| crate::t_in!(l, "pcheck.import.empty-file")),
        other => Msg::from(other.to_string()),
    })?;
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(map)) => {
            for k in map.keys() {
                *counts.entry(k.clone()).or_insert(0) += 1;
            }
            Ok(text)
        }
        Ok(_) => Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.not-object"))),
        Err(e) => Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.not-json", error = e))),
    }
}

/// Their slug "also defines the filename": `<slug>.json` (or `<slug>`).
fn check_stem(name: &str, slug: &str) -> Result<(), Msg> {
    let stem = name.strip_suffix(".json").unwrap_or(name);
    if stem == slug {
        Ok(())
    } else {
        Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.slug-not-file-name", slug = slug)))
    }
}

/// The TOML text of an imported policy, checked: lint-clean and re-parsing
/// to the same value.
fn policy_text(p: &Policy) -> Result<String, Msg> {
    if !check::problems_in(UiLang::En, p, Some(p.id.as_str())).is_empty() {
        return Err(Msg::new(|l| {
            let first = check::problems_in(l, p, Some(p.id.as_str())).swap_remove(0);
            crate::t_in!(l, "pcheck.import.policy-invalid", field = first.field, message = first.message)
        }));
    }
    let body = toml::to_string_pretty(p)
        .map_err(|e| Msg::new(|l| crate::t_in!(l, "pcheck.import.cannot-write-toml", error = e)))?;
    let text = format!(
        "# Imported from the Datenanfragen.de company directory (CC0 1.0), record\n\
         # '{slug}'; see PROVENANCE.md. Generated by `dsr policy import-datenanfragen`:\n\
         # do not edit. To curate, write policies/<id>.toml with supersedes = [\"{slug}\"].\n\n{body}",
        slug = p.id
    );
    let back: Policy = crate::toml_file::parse(Path::new("imported.toml"), &text).map_err(|e| e.to_string())?;
    if &back != p {
        return Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.policy-reparse")));
    }
    Ok(text)
}

/// The TOML text of an imported authority, checked like [`policy_text`].
fn authority_text(a: &authority::Authority) -> Result<String, Msg> {
    if !authority::problems_in(UiLang::En, a, Some(&a.id)).is_empty() {
        return Err(Msg::new(|l| {
            let first = authority::problems_in(l, a, Some(&a.id)).swap_remove(0);
            crate::t_in!(l, "pcheck.import.authority-invalid", field = first.field, message = first.message)
        }));
    }
    let body = toml::to_string_pretty(a)
        .map_err(|e| Msg::new(|l| crate::t_in!(l, "pcheck.import.cannot-write-toml", error = e)))?;
    let text = format!(
        "# Imported from the Datenanfragen.de supervisory-authority directory (CC0 1.0),\n\
         # record '{}'; see PROVENANCE.md. Generated by `dsr policy import-datenanfragen`.\n\n{body}",
        a.import.as_ref().map_or(a.id.as_str(), |i| i.slug.as_str())
    );
    let back: authority::Authority =
        crate::toml_file::parse(Path::new("authority.toml"), &text).map_err(|e| e.to_string())?;
    if &back != a {
        return Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.authority-reparse")));
    }
    Ok(text)
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    write_bytes(path, text.as_bytes())
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::Write { path: dir.to_path_buf(), source: e })?;
    }
    // Unchanged files are left alone (keeps mtimes, and re-imports quick).
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).map_err(|e| Error::Write { path: path.to_path_buf(), source: e })
}

/// Removes `*.toml` files in `dir` that this run did not write.
fn remove_stale(dir: &Path, written: &[String]) -> Result<Vec<String>, Error> {
    let mut removed = Vec::new();
    let files = super::files::toml_files(dir).unwrap_or_default();
    for f in files {
        let Some(name) = f.file_name().and_then(|n| n.to_str()) else { continue };
        if !written.iter().any(|w| w == name) {
            std::fs::remove_file(&f).map_err(|e| Error::Write { path: f.clone(), source: e })?;
            removed.push(name.to_string());
        }
    }
    Ok(removed)
}

/// The first 40-hex-digit word in `source/PROVENANCE.md`.
fn read_commit(source: &Path) -> Option<String> {
    let text = std::fs::read_to_string(source.join("PROVENANCE.md")).ok()?;
    text.split(|c: char| !c.is_ascii_hexdigit()).find(|w| w.len() == 40).map(|w| w.to_ascii_lowercase())
}

/// Notes for the top-level fields of a record that `table` (their schema)
/// does not define: serde ignores them, this says so.
fn unknown_fields(text: &str, table: &[(&str, &str)]) -> Vec<String> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) else { return vec![] };
    map.iter()
        .filter(|(k, _)| !table.iter().any(|(f, _)| f == k))
        .map(|(k, v)| format!("field '{k}' is not in the Datenanfragen schema; not mapped (value: {v})"))
        .collect()
}

/// `value` if it is an http(s) URL (what the policy lint accepts); else a
/// note and nothing (their schema only asks for a URI: `httsp://` passes).
fn http_url(field: &str, value: Option<&str>, notes: &mut Vec<String>) -> Option<String> {
    let v = value?;
    if check::is_url(v) {
        Some(v.to_string())
    } else {
        notes.push(format!("{field} '{v}' is not an http(s) URL: not mapped"));
        None
    }
}

/// Countries whose address line makes German the default letter language.
const GERMAN_SPEAKING: &[&str] = &["Deutschland", "Germany", "Österreich", "Austria", "Liechtenstein", "Schweiz"];

/// The letter language: their `request-language` if dsr has templates for
/// it (de, en), English for other languages (noted), and without one German
/// for an address in Germany, Austria or Liechtenstein, or in Switzerland
/// when the country is written "Schweiz", else English.
fn decide_language(
    requested: Option<&str>,
    country: &str,
    notes: &mut Vec<String>,
    decisions: &mut Vec<String>,
) -> Lang {
    match requested {
        Some("de") => Lang::De,
        Some("en") => Lang::En,
        Some(other) => {
            notes.push(format!("request-language '{other}': dsr writes letters in de or en only; language = en"));
            decisions.push(format!("language en instead of '{other}'"));
            Lang::En
        }
        None if GERMAN_SPEAKING.contains(&country) => {
            decisions.push("language de inferred from the address".into());
            Lang::De
        }
        None => {
            decisions.push("language en inferred from the address".into());
            Lang::En
        }
    }
}

/// Countries with one national calendar, by the names the directory writes
/// them in.
const NATIONAL_CALENDARS: &[(&[&str], CalendarCode)] = &[
    (&["The Netherlands", "Netherlands", "Nederland"], CalendarCode::Nl),
    (&["Belgium", "Belgique", "België", "Belgien"], CalendarCode::Be),
    (&["Luxembourg", "Luxemburg"], CalendarCode::Lu),
    (&["Sweden", "Sverige"], CalendarCode::Se),
    (&["Denmark", "Danmark"], CalendarCode::Dk),
    (&["Finland", "Suomi"], CalendarCode::Fi),
    (&["Italy", "Italia"], CalendarCode::It),
    (&["Poland", "Polska"], CalendarCode::Pl),
    (&["Lithuania", "Lietuva"], CalendarCode::Lt),
    (&["Czech Republic", "Czechia", "Česko", "Česká republika"], CalendarCode::Cz),
    (&["Slovakia", "Slovensko", "Slovak Republic"], CalendarCode::Sk),
    (&["Estonia", "Eesti"], CalendarCode::Ee),
    (&["Portugal"], CalendarCode::Pt),
    (&["Malta"], CalendarCode::Mt),
    (&["Liechtenstein"], CalendarCode::Li),
    (&["Norway", "Norge"], CalendarCode::No),
    (&["Greece", "Ελλάδα", "Hellas"], CalendarCode::Gr),
    (&["Cyprus", "Κύπρος"], CalendarCode::Cy),
    (&["Romania", "România"], CalendarCode::Ro),
    (&["Hungary", "Magyarország"], CalendarCode::Hu),
    (&["Bulgaria", "България"], CalendarCode::Bg),
    (&["Croatia", "Hrvatska"], CalendarCode::Hr),
    (&["Slovenia", "Slovenija"], CalendarCode::Si),
    (&["Latvia", "Latvija"], CalendarCode::Lv),
    (&["Iceland", "Ísland"], CalendarCode::Is),
    (&["Switzerland", "Schweiz", "Suisse", "Svizzera"], CalendarCode::Ch),
    (&["United States of America", "United States", "USA"], CalendarCode::Us),
];

/// The holiday calendar: for an address in Germany the Land's or
/// municipality's where the address tells it, else `DE` (nationwide holidays
/// only, noted: [`seat`]); for the United Kingdom the nation's from the
/// postcode, for France `FR` or `FR-ALSACE-MOSELLE` from the postcode, for
/// Spain the autonomous community's from the postcode's province; `IE`,
/// `AT` and the [`NATIONAL_CALENDARS`] (with the United States' federal
/// holidays and Switzerland's widely observed days for a seat there, LEGAL.md
/// §3.4: the holidays of the place where the controller must act); none
/// elsewhere.
fn decide_calendar(
    country: &str,
    address: &[String],
    notes: &mut Vec<String>,
    decisions: &mut Vec<String>,
) -> Option<CalendarCode> {
    match country {
        "Deutschland" | "Germany" => {
            let seat = seat::german_calendar(address);
            decisions.push(seat.decision.into());
            notes.extend(seat.note);
            Some(seat.calendar)
        }
        "Ireland" | "Éire" => {
            decisions.push("calendar IE".into());
            Some(CalendarCode::Ie)
        }
        "Österreich" | "Austria" => {
            decisions.push("calendar AT".into());
            Some(CalendarCode::At)
        }
        "United Kingdom" | "UK" | "Great Britain" | "England" | "Scotland" | "Wales" | "Northern Ireland" => {
            let seat = seat::uk_calendar(address);
            decisions.push(seat.decision.into());
            notes.extend(seat.note);
            Some(seat.calendar)
        }
        "Spain" | "España" => {
            let seat = seat::spanish_calendar(address);
            decisions.push(seat.decision.into());
            notes.extend(seat.note);
            Some(seat.calendar)
        }
        "France" => {
            let seat = seat::french_calendar(address);
            decisions.push(seat.decision.into());
            notes.extend(seat.note);
            Some(seat.calendar)
        }
        other if seat::overseas_calendar(other, address).is_some() => {
            let seat = seat::overseas_calendar(other, address)?;
            decisions.push(if seat.decision == seat::NATIONAL_OVERSEAS {
                format!("calendar {}", seat.calendar)
            } else {
                seat.decision.into()
            });
            notes.extend(seat.note);
            Some(seat.calendar)
        }
        other => {
            let national = NATIONAL_CALENDARS.iter().find(|(names, _)| names.contains(&other)).map(|(_, c)| *c);
            if let Some(c) = national {
                decisions.push(format!("calendar {c}"));
                return Some(c);
            }
            decisions.push("calendar unset".into());
            None
        }
    }
}

/// Derived keys that mean a built-in identifier (so that it gets the
/// built-in labels in both languages instead of a one-language label).
const SYNONYMS: &[(&str, &str)] = &[
    ("address", "postal_address"),
    ("benutzername", "username"),
    ("e_mail", "email"),
    ("e_mail_adresse", "email"),
    ("email_address", "email"),
    ("kundennummer", "customer_number"),
    ("kundenummer", "customer_number"),
    ("nutzername", "username"),
    ("phone_number", "phone"),
    ("telefon", "phone"),
    ("telefonnummer", "phone"),
    ("user_id", "account_id"),
    ("vertragsnummer", "contract_number"),
];

/// The identifier key for an `input`/`textarea` element: [`key_from_desc`],
/// then [`SYNONYMS`].
fn element_key(desc: &str) -> String {
    let key = key_from_desc(desc);
    SYNONYMS.iter().find(|(from, _)| *from == key).map_or(key, |(_, to)| (*to).to_string())
}

/// An identifier key from a free-text description: lowercase ASCII, German
/// and French letters transliterated, other characters to `_`, at most 40
/// characters, starting with a letter (`Nummer Ihrer Kundenkarte` →
/// `nummer_ihrer_kundenkarte`).
fn key_from_desc(desc: &str) -> String {
    let mut s = String::new();
    for c in desc.chars().flat_map(char::to_lowercase) {
        let rep: &str = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'à' | 'á' | 'â' => "a",
            'ç' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ó' => "o",
            'ù' | 'ú' | 'û' => "u",
            'ñ' => "n",
            c if c.is_ascii_alphanumeric() => {
                s.push(c);
                continue;
            }
            _ => "_",
        };
        s.push_str(rep);
    }
    let mut key = s.split('_').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("_");
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        key = format!("id_{key}").trim_end_matches('_').to_string();
    }
    if key.len() > 40 {
        key.truncate(40);
        key = key.trim_end_matches('_').to_string();
    }
    key
}

#[cfg(test)]
mod tests;
