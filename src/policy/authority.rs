//! Supervisory authorities: where a complaint (Art. 77 GDPR) goes.
//!
//! One file per authority, `policies/authorities/<id>.toml`, embedded in the
//! binary like the built-in policies. A policy names its lead authority by
//! id (`authority = "ie-dpc"`); the policy lint checks that the id exists
//! here. Ids are short: `ie-dpc`, `de-bfdi`, one `de-<land>` per German
//! Land (`de-be`; Bavaria has two: `de-by-lda` for the private sector and
//! `de-by-lfd` for public bodies), and `<country>-<abbreviation>` for the
//! rest (`fr-cnil`). The files are generated from the Datenanfragen.de
//! directory ([`super::import`]); `docs/policies.md` documents every key.

use super::problem::{self, FileReport, Problem, is_url, is_valid_id};
use super::{Error, Import, Sources, Transport, files};
use crate::address::EmailAddress;
use crate::suggest::{Closeness, near};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A data-protection supervisory authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// Identifier, equal to the file name without `.toml` (`ie-dpc`).
    pub id: String,
    /// The official name.
    pub name: String,
    /// ISO 3166-1 alpha-2 code of its country, upper case (`IE`).
    pub country: String,
    /// ISO 3166-2 code of its region, for authorities of a German Land
    /// (`DE-BE`); also the holiday calendar of its seat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Whom it supervises, in English, where the name does not say it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// The language complaints should be in (ISO 639-1, e.g. `fr`); dsr
    /// writes complaints in `de` or `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The channel the authority prefers for complaints, if it says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    /// Postal address, one line per entry, country last.
    pub address: Vec<String>,
    /// Email address for complaints (an invalid one fails the parse, at
    /// its line and column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailAddress>,
    /// Web form for complaints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_form: Option<String>,
    /// Website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    /// Phone, international format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Fax, international format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Sources,
    /// Import provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<Import>,
}

/// Every problem in `a`; `expected_id` is the file name's stem. Field names
/// and messages follow the policy lint ([`super::check::problems`]), in the
/// interface language.
pub fn problems(a: &Authority, expected_id: Option<&str>) -> Vec<Problem> {
    problems_in(crate::i18n::ui(), a, expected_id)
}

/// [`problems`] with the messages in `lang` (English for what the importer
/// writes into `import-report.md`).
pub fn problems_in(lang: crate::i18n::UiLang, a: &Authority, expected_id: Option<&str>) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut add = |field: &str, message: String| out.push(Problem { field: field.to_string(), message });
    if !is_valid_id(&a.id) {
        add("id", crate::t_in!(lang, "pcheck.authority.bad-id", id = a.id));
    }
    if let Some(expected) = expected_id.filter(|e| *e != a.id) {
        add("id", crate::t_in!(lang, "pcheck.id-mismatch", id = a.id, expected = expected));
    }
    if a.name.trim().is_empty() {
        add("name", crate::t_in!(lang, "pcheck.empty"));
    }
    if a.address.iter().all(|l| l.trim().is_empty()) {
        add("address", crate::t_in!(lang, "pcheck.no-address"));
    }
    if a.country.len() != 2 || !a.country.chars().all(|c| c.is_ascii_uppercase()) {
        add("country", crate::t_in!(lang, "pcheck.authority.bad-country", country = a.country));
    }
    if let Some(r) = &a.region
        && !(r.starts_with(&format!("{}-", a.country)) && r.len() > 3)
    {
        add("region", crate::t_in!(lang, "pcheck.authority.bad-region", region = r, country = a.country));
    }
    if let Some(l) = &a.language
        && !(l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()))
    {
        add("language", crate::t_in!(lang, "pcheck.authority.bad-language", language = l));
    }
    for (field, value) in [("complaint_form", &a.complaint_form), ("web", &a.web)] {
        if let Some(v) = value
            && !is_url(v)
        {
            add(field, crate::t_in!(lang, "pcheck.not-url", value = v));
        }
    }
    if a.transport == Some(Transport::Email) && a.email.is_none() {
        add("email", crate::t_in!(lang, "pcheck.missing-for-email"));
    }
    if a.transport == Some(Transport::Webform) && a.complaint_form.is_none() {
        add("complaint_form", crate::t_in!(lang, "pcheck.authority.missing-for-webform"));
    }
    if a.sources.urls.is_empty() {
        add("sources.urls", crate::t_in!(lang, "pcheck.no-source"));
    }
    for (i, u) in a.sources.urls.iter().enumerate() {
        if !is_url(u) {
            add(&format!("sources.urls[{i}]"), crate::t_in!(lang, "pcheck.not-url", value = u));
        }
    }
    out
}

/// Lints one authority file's text.
pub fn check_text(file: &str, text: &str) -> FileReport {
    problem::lint_text(file, text, |a: &Authority| a.id.clone(), problems)
}

/// Lints authority files, or directories of them (`*.toml` directly inside).
///
/// # Errors
/// A path is missing or a directory cannot be listed; problems inside files
/// are in the reports.
pub fn check_paths(paths: &[std::path::PathBuf]) -> Result<Vec<FileReport>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let files = if p.is_dir() {
            files::toml_files(p)?
        } else if p.exists() {
            vec![p.clone()]
        } else {
            return Err(crate::file::Error::NotFound { path: p.clone() }.into());
        };
        for f in files {
            let text = crate::file::read_text(&f, crate::file::Limit::TEXT)?;
            out.push(check_text(&f.display().to_string(), &text));
        }
    }
    Ok(out)
}

/// The ids of the built-in authorities, sorted.
pub fn ids() -> Vec<&'static str> {
    let mut out: Vec<&'static str> =
        files::built_in_authorities().filter_map(|f| f.path().file_stem().and_then(|s| s.to_str())).collect();
    out.sort_unstable();
    out
}

/// True when a built-in authority has this id (no file is parsed).
pub fn is_known(id: &str) -> bool {
    files::built_in_authority_text(id).is_some()
}

/// Loads, parses and validates the built-in authority `id`.
///
/// # Errors
/// [`Error::UnknownAuthority`] with close ids, or the file's parse or
/// validation error.
pub fn get(id: &str) -> Result<Authority, Error> {
    let text = files::built_in_authority_text(id)
        .ok_or_else(|| Error::UnknownAuthority { id: id.to_string(), suggestions: near(id, ids(), Closeness::Name) })?;
    let origin = format!("policies/authorities/{id}.toml (built-in)");
    let a: Authority = crate::toml_file::parse(Path::new(&origin), text)?;
    if let Some(p) = problems(&a, Some(id)).into_iter().next() {
        return Err(Error::Invalid { origin, field: p.field, message: p.message });
    }
    Ok(a)
}

/// Every built-in authority, each parsed or its error, sorted by id.
pub fn all() -> Vec<(&'static str, Result<Authority, Error>)> {
    ids().into_iter().map(|id| (id, get(id))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irish_dpc_is_built_in() {
        let a = get("ie-dpc").unwrap();
        assert_eq!(a.name, "Irish Data Protection Commission");
        assert_eq!(a.country, "IE");
        assert_eq!(a.address.last().map(String::as_str), Some("Ireland"));
        assert!(is_known("de-bfdi") && is_known("de-be") && is_known("de-by-lda") && is_known("de-by-lfd"));
        assert!(!is_known("iedpc"));
    }

    #[test]
    fn every_built_in_authority_is_valid() {
        let all = all();
        assert_eq!(all.len(), 57);
        for (id, a) in all {
            assert!(a.is_ok(), "{id}: {a:?}");
        }
    }

    #[test]
    fn unknown_authority_suggests() {
        let e = get("ie-dcp").unwrap_err();
        assert_eq!(e.to_string(), "no supervisory authority with id 'ie-dcp'");
        assert!(e.hint().unwrap().starts_with("did you mean 'ie-dpc'?"), "{:?}", e.hint());
    }

    #[test]
    fn problems_are_named() {
        let text = r#"
id = "xx"
name = ""
country = "ie"
language = "english"
address = []
web = "www.example.org"
transport = "webform"
"#;
        let a: Authority = crate::toml_file::parse(Path::new("yy.toml"), text).unwrap();
        let found: Vec<String> = problems(&a, Some("yy")).into_iter().map(|p| p.field).collect();
        assert_eq!(found, ["id", "name", "address", "country", "language", "web", "complaint_form", "sources.urls"]);
        let report = check_text("yy.toml", &format!("{text}email = \"nope\"\n"));
        assert_eq!(
            report.problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>(),
            ["9:9: 'nope' is not a valid email address: Missing domain or user"]
        );
    }
}
