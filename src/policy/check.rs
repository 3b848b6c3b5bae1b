//! Linting policies: everything `dsr policy check` reports.
//!
//! Parsing already rejects malformed TOML, unknown keys, unknown languages
//! and calendars. This module checks what a type cannot: the id matches the
//! file name, addresses parse (an address that does not is kept out of the
//! [`super::Contact`] and reported here with its key), To/Cc name addresses
//! that exist, every text is
//! in both languages, custom identifiers have labels, sources are present.
//! [`problems`] lists them all (for the lint); [`validate`] fails on the first
//! (for loading a policy to use it).

use super::{Error, Policy, Quality, Role, Transport, authority, files, identifier, problem};
use crate::deadline::CalendarCode;
use crate::i18n::UiLang;
use crate::lang::Lang;
use crate::suggest::{Closeness, near};

pub(crate) use super::problem::is_url;
pub use super::problem::{FileReport, MAX_ID_CHARS, Problem, ReportedProblem, is_valid_id};

/// Every problem in `policy`; `expected_id` is the file name's stem. The
/// messages are in the interface language.
pub fn problems(policy: &Policy, expected_id: Option<&str>) -> Vec<Problem> {
    problems_in(crate::i18n::ui(), policy, expected_id)
}

/// [`problems`] with the messages in `lang` (English for what the importer
/// writes into `import-report.md`).
pub fn problems_in(lang: UiLang, policy: &Policy, expected_id: Option<&str>) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut add = |field: &str, message: String| out.push(Problem { field: field.to_string(), message });

    if let Some(expected) = expected_id.filter(|e| policy.id != *e) {
        add("id", crate::t_in!(lang, "pcheck.id-mismatch", id = policy.id, expected = expected));
    }
    if policy.name.trim().is_empty() {
        add("name", crate::t_in!(lang, "pcheck.empty"));
    }
    if let Some(a) = &policy.authority
        && !authority::is_known(a)
    {
        let near = near(a, authority::ids(), Closeness::Name);
        let hint = match near.first() {
            Some(id) => crate::t_in!(lang, "pcheck.did-you-mean", id = id),
            None => String::new(),
        };
        add("authority", crate::t_in!(lang, "pcheck.unknown-authority", id = a, hint = hint));
    }
    for (i, s) in policy.supersedes.iter().enumerate() {
        if !is_valid_id(s) || policy.id == s.as_str() {
            add(&format!("supersedes[{i}]"), crate::t_in!(lang, "pcheck.not-another-policy", id = s));
        }
    }
    if let Some((field, chars)) = crate::field::too_long(policy, &[]) {
        add(&field, crate::t_in!(lang, "pcheck.too-long", chars = chars, max = crate::field::MAX_VALUE_CHARS));
    }
    if policy.entity.legal_name.trim().is_empty() {
        add("entity.legal_name", crate::t_in!(lang, "pcheck.empty"));
    }
    if policy.entity.address.iter().all(|l| l.trim().is_empty()) {
        add("entity.address", crate::t_in!(lang, "pcheck.no-address"));
    }

    let c = &policy.contact;
    for (field, e) in &c.rejected {
        add(field, e.to_string());
    }
    if policy.transport == Transport::Email && !c.gave("contact.privacy_email") {
        add("contact.privacy_email", crate::t_in!(lang, "pcheck.missing-for-email"));
    }
    for (list, roles) in [("contact.to", &c.to), ("contact.cc", &c.cc)] {
        for r in roles {
            let present = match r {
                super::AddressRole::Privacy => c.gave("contact.privacy_email"),
                super::AddressRole::Support => c.gave("contact.support_email"),
            };
            if !present {
                add(list, crate::t_in!(lang, "pcheck.role-address-unset", role = serde_plain(r)));
            }
        }
    }
    if policy.transport == Transport::Email && c.to.is_empty() {
        add("contact.to", crate::t_in!(lang, "pcheck.no-to"));
    }
    for (field, value) in [("contact.web", &c.web), ("contact.webform", &c.webform)] {
        if let Some(v) = value
            && !is_url(v)
        {
            add(field, crate::t_in!(lang, "pcheck.not-url", value = v));
        }
    }

    let needs = |r: Role| policy.role == r || policy.role == Role::Both;
    for (field, text, required) in [
        ("roles.controller", &policy.roles.controller, needs(Role::Controller) && policy.role == Role::Both),
        ("roles.processor", &policy.roles.processor, needs(Role::Processor) && policy.role == Role::Both),
    ] {
        match text {
            Some(t) => {
                for l in t.missing() {
                    add(&format!("{field}.{l}"), crate::t_in!(lang, "pcheck.missing-text", lang = lang_name(lang, l)));
                }
            }
            None if required => add(field, crate::t_in!(lang, "pcheck.both-roles")),
            None => {}
        }
    }
    if policy.roles.processor.is_some() && !needs(Role::Processor) {
        add("roles.processor", crate::t_in!(lang, "pcheck.text-unused", role = policy.role));
    }
    if policy.roles.controller.is_some() && !needs(Role::Controller) {
        add("roles.controller", crate::t_in!(lang, "pcheck.text-unused", role = policy.role));
    }

    let id = &policy.identity;
    let all_keys = id
        .required
        .iter()
        .map(|k| ("identity.required", k))
        .chain(id.one_of.iter().flat_map(|g| g.iter()).map(|k| ("identity.one_of", k)));
    for (field, key) in all_keys {
        if !identifier::is_valid_key(key) {
            add(field, crate::t_in!(lang, "pcheck.bad-key", key = key));
        } else if !identifier::is_known(key) && !id.labels.contains_key(key) {
            add(field, crate::t_in!(lang, "pcheck.needs-label", key = key));
        }
    }
    for (i, group) in id.one_of.iter().enumerate() {
        if group.len() < 2 {
            add(&format!("identity.one_of[{i}]"), crate::t_in!(lang, "pcheck.small-group"));
        }
    }
    for (key, label) in &id.labels {
        for l in label.missing() {
            add(
                &format!("identity.labels.{key}.{l}"),
                crate::t_in!(lang, "pcheck.missing-label", lang = lang_name(lang, l)),
            );
        }
    }
    for m in &id.methods {
        if !identifier::is_method(m) {
            add(
                "identity.methods",
                crate::t_in!(lang, "pcheck.unknown-method", method = m, list = identifier::method_list()),
            );
        }
    }

    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in policy.preconditions.iter().enumerate() {
        if !is_valid_id(&p.id) {
            add(&format!("preconditions[{i}].id"), crate::t_in!(lang, "pcheck.bad-id", id = p.id));
        }
        if !seen.insert(p.id.as_str()) {
            add(&format!("preconditions[{i}].id"), crate::t_in!(lang, "pcheck.used-twice", id = p.id));
        }
        for l in Lang::ALL {
            if p.text(l).is_none() {
                add(
                    &format!("preconditions[{i}].{l}"),
                    crate::t_in!(lang, "pcheck.missing-text", lang = lang_name(lang, l)),
                );
            }
        }
    }
    for (i, n) in policy.notes.iter().enumerate() {
        for l in n.missing() {
            add(&format!("notes[{i}].{l}"), crate::t_in!(lang, "pcheck.missing-text", lang = lang_name(lang, l)));
        }
    }

    if policy.sources.urls.is_empty() {
        add("sources.urls", crate::t_in!(lang, "pcheck.no-source"));
    }
    for (i, u) in policy.sources.urls.iter().enumerate() {
        if !is_url(u) {
            add(&format!("sources.urls[{i}]"), crate::t_in!(lang, "pcheck.not-url", value = u));
        }
    }
    if policy.quality == Quality::Curated && policy.sources.checked.is_none() {
        add("sources.checked", crate::t_in!(lang, "pcheck.no-checked"));
    }
    out
}

/// Fails on the first problem of [`problems`].
///
/// # Errors
/// [`Error::Invalid`] naming `origin` and the field.
pub fn validate(policy: &Policy, origin: &str, expected_id: Option<&str>) -> Result<(), Error> {
    match problems(policy, expected_id).into_iter().next() {
        None => Ok(()),
        Some(p) => Err(Error::Invalid { origin: origin.to_string(), field: p.field, message: p.message }),
    }
}

fn lang_name(ui: UiLang, l: Lang) -> String {
    match l {
        Lang::De => crate::t_in!(ui, "pcheck.lang-de"),
        Lang::En => crate::t_in!(ui, "pcheck.lang-en"),
    }
}

fn serde_plain(r: &super::AddressRole) -> &'static str {
    match r {
        super::AddressRole::Privacy => "privacy",
        super::AddressRole::Support => "support",
    }
}

/// Lints one policy file's text.
pub fn check_text(file: &str, text: &str) -> FileReport {
    problem::lint_text(file, text, |p: &Policy| p.id.to_string(), problems)
}

/// Lints files and directories: a directory contributes every `*.toml`
/// inside it and in its subdirectories, except `authorities/` (supervisory
/// authority files have their own schema).
///
/// # Errors
/// A path cannot be read at all (missing, unreadable directory); problems
/// inside files are in the reports, not errors.
pub fn check_paths(paths: &[std::path::PathBuf]) -> Result<Vec<FileReport>, Error> {
    let mut files = Vec::new();
    for p in paths {
        collect(p, &mut files)?;
    }
    let mut out = Vec::new();
    for f in files {
        let text = crate::file::read_text(&f, crate::file::Limit::TEXT)?;
        out.push(check_text(&f.display().to_string(), &text));
    }
    Ok(out)
}

fn collect(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    if !path.is_dir() {
        if !path.exists() {
            return Err(crate::file::Error::NotFound { path: path.to_path_buf() }.into());
        }
        out.push(path.to_path_buf());
        return Ok(());
    }
    out.extend(files::toml_files(path)?);
    let mut subdirs: Vec<_> = std::fs::read_dir(path)
        .map_err(|e| Error::Dir { path: path.to_path_buf(), source: e })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "authorities"))
        .collect();
    subdirs.sort();
    for d in subdirs {
        collect(&d, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Policy {
        crate::toml_file::parse(Path::new("p.toml"), text).unwrap()
    }

    const MINIMAL: &str = r#"
id = "acme"
name = "ACME"
language = "en"
role = "controller"
[entity]
legal_name = "ACME Ltd."
address = ["1 Road", "Dublin", "Ireland"]
[contact]
privacy_email = "privacy@acme.example"
[sources]
urls = ["https://acme.example/privacy"]
"#;

    #[test]
    fn minimal_policy_is_clean() {
        assert_eq!(problems(&parse(MINIMAL), Some("acme")), vec![]);
    }

    #[test]
    fn each_problem_is_named() {
        let text = MINIMAL
            .replace("privacy@acme.example", "privacy-at-acme")
            .replace("role = \"controller\"", "role = \"both\"")
            + "[[preconditions]]\nid = \"export\"\nen = \"Export first\"\n[identity]\nrequired = [\"ticket_no\"]\nmethods = [\"telepathy\"]\n";
        let found: Vec<String> =
            problems(&parse(&text), Some("other")).into_iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
        let expect = [
            "id: 'acme' does not match the file name 'other.toml'",
            "contact.privacy_email: 'privacy-at-acme' is not a valid email address: Missing domain or user",
            "roles.controller: role is 'both': say in en and de what this role covers",
            "roles.processor: role is 'both': say in en and de what this role covers",
            "identity.required: custom identifier 'ticket_no' needs a label in [identity.labels] (en and de)",
            "identity.methods: unknown method 'telepathy', expected one of: ",
            "preconditions[0].de: missing German (de) text",
        ];
        assert_eq!(found.len(), expect.len(), "{found:#?}");
        for (f, e) in found.iter().zip(expect) {
            assert!(f.starts_with(e), "{f} vs {e}");
        }
    }
}

/// How many policies give a usable letter: one that identifies the
/// requester (at least one identifier: the policy's, or dsr's fallback of
/// name and addresses, see [`crate::subject::Subject::disclosed`]) and
/// states a deadline it can compute (a holiday calendar is known), by
/// email or, for a company that takes post or a web form only, as a letter
/// for post (`--via post`) or the text for its form (`--via webform`), whose
/// deadline runs from the recorded or presumed receipt. `dsr policy check`
/// prints it for the whole catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LetterCoverage {
    /// Policies looked at.
    pub checked: usize,
    /// Policies that give such a letter.
    pub usable: usize,
    /// Of those, the ones sent by email.
    pub usable_by_email: usize,
    /// Policies without a holiday calendar, by the country line of their
    /// address (most first).
    pub no_calendar: Vec<(String, usize)>,
    /// Policies whose company is not written to by email.
    pub not_by_email: usize,
    /// Policies with the nationwide calendar `DE`: their deadlines leave
    /// out the Land's own holidays, so they may be a day or more early.
    pub nationwide_only: usize,
    /// Policies with `DE-BY` and no municipal calendar: Assumption Day
    /// (15 August) holds in most Bavarian municipalities.
    pub bavaria_without_municipality: usize,
    /// Policies whose letter was written but names no identifier.
    pub without_identifier: usize,
    /// Policies for which no letter could be written for another reason
    /// than a missing calendar: the first few, with the error.
    pub refused: Vec<(String, String)>,
    /// How many were refused in all.
    pub refused_count: usize,
}

/// What writing the erasure letter for one policy gave
/// (`ops::coverage::probe`, which builds and renders it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A letter was written.
    Letter {
        /// The identifiers it discloses.
        identifiers: usize,
        /// Whether it states a deadline.
        deadline: bool,
    },
    /// No letter: the policy names no holiday calendar.
    NoCalendar,
    /// No letter, for this reason.
    Refused(String),
}

impl LetterCoverage {
    /// Counts `policies`, each with the letter written for it.
    pub fn of<'a>(policies: impl IntoIterator<Item = (&'a Policy, Written)>) -> LetterCoverage {
        const EXAMPLES: usize = 3;
        let mut c = LetterCoverage::default();
        let mut countries: std::collections::BTreeMap<String, usize> = Default::default();
        for (p, written) in policies {
            c.checked += 1;
            let by_email = p.transport == Transport::Email && p.contact.privacy_email.is_some();
            if !by_email {
                c.not_by_email += 1;
            }
            match written {
                Written::Letter { identifiers, deadline } => {
                    if identifiers == 0 {
                        c.without_identifier += 1;
                    } else if deadline {
                        c.usable += 1;
                        if by_email {
                            c.usable_by_email += 1;
                        }
                    }
                }
                Written::NoCalendar => {
                    let country =
                        p.entity.address.last().cloned().unwrap_or_else(|| crate::t!("pcheck.no-address-line"));
                    *countries.entry(country).or_default() += 1;
                }
                Written::Refused(why) => {
                    c.refused_count += 1;
                    if c.refused.len() < EXAMPLES {
                        c.refused.push((p.id.to_string(), why));
                    }
                }
            }
            match p.calendar {
                Some(CalendarCode::De) => c.nationwide_only += 1,
                Some(CalendarCode::DeBy)
                    if crate::policy::import::bavarian_assumption_day(&p.entity.address) != Some(false) =>
                {
                    c.bavaria_without_municipality += 1
                }
                _ => {}
            }
        }
        c.no_calendar = countries.into_iter().collect();
        c.no_calendar.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        c
    }

    /// The summary `dsr policy check` prints: the count, then what keeps
    /// the others from a letter (at most `countries` countries named).
    pub fn summary(&self, countries: usize) -> Vec<String> {
        let mut out = vec![crate::t!(
            "policy.coverage-letters",
            usable = self.usable,
            checked = self.checked,
            email = self.usable_by_email,
            other = self.usable - self.usable_by_email
        )];
        let missing: usize = self.no_calendar.iter().map(|(_, n)| n).sum();
        if missing > 0 {
            let named: Vec<String> =
                self.no_calendar.iter().take(countries).map(|(country, n)| format!("{country} {n}")).collect();
            let more = if self.no_calendar.len() > countries { ", …" } else { "" };
            out.push(crate::t!(
                "policy.coverage-no-calendar",
                missing = missing,
                named = named.join(", "),
                more = more
            ));
        }
        if self.without_identifier > 0 {
            out.push(crate::t!("policy.coverage-no-identifier", n = self.without_identifier));
        }
        if self.refused_count > 0 {
            out.push(crate::t!("policy.coverage-refused", n = self.refused_count));
            for (id, why) in &self.refused {
                out.push(format!("    {id}: {why}"));
            }
        }
        if self.not_by_email > 0 {
            out.push(crate::t!("policy.coverage-not-by-email", n = self.not_by_email));
        }
        if self.nationwide_only > 0 {
            out.push(crate::t!("policy.coverage-nationwide", n = self.nationwide_only));
        }
        if self.bavaria_without_municipality > 0 {
            out.push(crate::t!("policy.coverage-bavaria", n = self.bavaria_without_municipality));
        }
        out
    }
}

#[cfg(test)]
mod coverage_tests {
    use super::*;

    /// The counting, from letters written or refused (the whole catalog is
    /// probed in `ops::coverage`).
    #[test]
    fn letters_are_counted_by_what_writing_them_gave() {
        let cat = crate::policy::Catalog::new(None).unwrap();
        let (zendesk, _) = cat.get(&"zendesk".parse().unwrap()).unwrap();
        let mut post_only = zendesk.clone();
        post_only.transport = Transport::Letter;
        let written = [
            (&zendesk, Written::Letter { identifiers: 2, deadline: true }),
            (&post_only, Written::Letter { identifiers: 1, deadline: true }),
            (&zendesk, Written::Letter { identifiers: 0, deadline: true }),
            (&zendesk, Written::Letter { identifiers: 2, deadline: false }),
            (&zendesk, Written::NoCalendar),
            (&zendesk, Written::Refused("a template error".into())),
        ];
        let c = LetterCoverage::of(written);
        assert_eq!((c.checked, c.usable, c.usable_by_email), (6, 2, 1), "{c:?}");
        assert_eq!((c.without_identifier, c.refused_count, c.not_by_email), (1, 1, 1), "{c:?}");
        assert_eq!(c.no_calendar, vec![("Ireland".to_string(), 1)]);
        let text = c.summary(3).join("\n");
        assert!(text.starts_with("letters: 2 of 6 policies"), "{text}");
        assert!(text.contains("1 give a letter that names no identifier"), "{text}");
        assert!(text.contains("    zendesk: a template error"), "{text}");
    }
}
