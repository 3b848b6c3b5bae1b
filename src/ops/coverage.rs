//! What `dsr policy check` claims for the whole catalog, found by doing
//! it: for each policy, an erasure letter is built and rendered for a
//! fictional data subject, exactly as `dsr render` would, and counted
//! when it names at least one identifier and states a deadline (issue 16,
//! acceptance). Nothing is written or sent.

use crate::Error;
use crate::channel::Channel;
use crate::config::Config;
use crate::kind::LetterKind;
use crate::letter::Renderer;
use crate::policy::identifier::Method;
use crate::policy::{Catalog, Policy};
use crate::request::{Options, Request};
use chrono::{DateTime, NaiveDate, Utc};
use std::path::PathBuf;

/// What the letter written for one policy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The identifiers it discloses (in the letter and the identity
    /// record).
    pub identifiers: usize,
    /// The Art. 12(3) deadline it states.
    pub deadline: Option<NaiveDate>,
}

impl Probe {
    /// True when the letter identifies the requester and states a deadline.
    pub fn usable(&self) -> bool {
        self.identifiers > 0 && self.deadline.is_some()
    }
}

/// The fictional data subject of the probe: a name, an email and a postal
/// address, a placeholder for every identifier the policy asks for, and a method the
/// policy accepts.
fn subject(policy: &Policy, today: NaiveDate) -> toml::Table {
    let mut identifiers = toml::Table::new();
    let keys = policy
        .identity
        .required_for(LetterKind::Erasure)
        .into_iter()
        .chain(policy.identity.one_of.iter().filter_map(|group| group.first().map(String::as_str)));
    for key in keys.filter(|k| !matches!(*k, "name" | "email")) {
        let value = if key.contains("email") { "erika.mustermann@example.org" } else { "EXAMPLE-0042" };
        identifiers.insert(key.to_string(), value.into());
    }
    let method = policy
        .identity
        .methods
        .iter()
        .filter_map(|m| m.parse::<Method>().ok())
        .find(|m| *m != Method::ContractParty)
        .unwrap_or(Method::SentFromAccountEmail);
    let mut verification = toml::Table::new();
    verification.insert("method".into(), method.name().into());
    verification.insert(
        "date".into(),
        toml::Value::Datetime(toml::value::Datetime {
            date: Some(toml::value::Date {
                year: chrono::Datelike::year(&today) as u16,
                month: chrono::Datelike::month(&today) as u8,
                day: chrono::Datelike::day(&today) as u8,
            }),
            time: None,
            offset: None,
        }),
    );
    let mut t = toml::Table::new();
    t.insert("capacity".into(), "data_subject".into());
    t.insert("name".into(), "Erika Mustermann".into());
    t.insert("email".into(), "erika.mustermann@example.org".into());
    // A letter for post needs the sender's address for its return line.
    let address: Vec<toml::Value> = ["Musterstraße 1", "10115 Berlin", "Deutschland"].map(toml::Value::from).into();
    t.insert("address".into(), toml::Value::Array(address));
    t.insert("identifiers".into(), toml::Value::Table(identifiers));
    t.insert("verification".into(), toml::Value::Table(verification));
    t
}

/// Writes the erasure letter for `policy` (by its preferred channel), as
/// `catalog` has the policy of that id, and reports what it holds.
///
/// # Errors
/// What `dsr render` would report for this policy: no holiday calendar,
/// a precondition, an invalid record, a template error.
pub fn probe(
    policy: &Policy,
    catalog: &Catalog,
    config: &Config,
    renderer: &Renderer,
    now: DateTime<Utc>,
) -> Result<Probe, Error> {
    let channel = policy.channels().first().map_or(Channel::Email, |(c, _)| *c);
    let opts = Options {
        inline_subject: Some(subject(policy, now.date_naive())),
        via: Some(channel),
        ..Options::new(policy.id.clone(), LetterKind::Erasure, PathBuf::from("policy-check-probe"))
    };
    let req = Request::build(&opts, config, catalog)?;
    let composed = super::compose::compose(&req, renderer, now, None, [0; 32])?;
    Ok(Probe {
        identifiers: composed.identity.account_binding.len(),
        deadline: composed.deadlines.as_ref().map(|d| d.deadline),
    })
}

/// [`probe`] as `dsr policy check` counts it.
pub fn written(
    policy: &Policy,
    catalog: &Catalog,
    config: &Config,
    renderer: &Renderer,
    now: DateTime<Utc>,
) -> crate::policy::check::Written {
    use crate::policy::check::Written;
    match probe(policy, catalog, config, renderer, now) {
        Ok(p) => Written::Letter { identifiers: p.identifiers, deadline: p.deadline.is_some() },
        Err(Error::Request(crate::request::Error::NoCalendar { .. })) => Written::NoCalendar,
        Err(e) => Written::Refused(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in catalog, the default config and templates, 1 December 2026.
    fn setup() -> (Catalog, Config, Renderer, DateTime<Utc>) {
        let config = Config::parse(std::path::Path::new("dsr.toml"), crate::config::TEMPLATE).unwrap();
        let now = crate::evidence::parse_time("2026-12-01T10:00:00Z").unwrap();
        (Catalog::new(None).unwrap(), config, Renderer::new(None).unwrap(), now)
    }

    /// Every policy of the built-in catalog gives a letter with an
    /// identifier and a deadline, and the probe can fail: a policy whose
    /// calendar is removed gives no deadline.
    #[test]
    fn every_built_in_policy_gives_a_letter() {
        let (catalog, config, renderer, now) = setup();
        let (zendesk, _) = catalog.get(&"zendesk".parse().unwrap()).unwrap();
        let p = probe(&zendesk, &catalog, &config, &renderer, now).unwrap();
        assert_eq!(p.identifiers, 2, "name and account email: {p:?}");
        assert_eq!(p.deadline, Some("2027-01-04".parse().unwrap()));
        assert!(p.usable());
        // A policy without a calendar: no deadline can be computed.
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/zendesk.toml")).unwrap();
        let text: String = text.lines().filter(|l| !l.starts_with("calendar =")).map(|l| format!("{l}\n")).collect();
        std::fs::write(dir.path().join("zendesk.toml"), text).unwrap();
        let catalog = Catalog::new(Some(dir.path())).unwrap();
        let (no_calendar, _) = catalog.get(&"zendesk".parse().unwrap()).unwrap();
        assert_eq!(no_calendar.calendar, None);
        let w = written(&no_calendar, &catalog, &config, &renderer, now);
        assert_eq!(w, crate::policy::check::Written::NoCalendar);
    }

    /// Issue 16's acceptance: every policy of the catalog, the 3,070
    /// imported ones among them, gives an erasure letter that names an
    /// identifier and states a deadline.
    #[test]
    fn every_policy_of_the_catalog_gives_a_letter() {
        let (catalog, config, renderer, now) = setup();
        let policies: Vec<Policy> = catalog.all().filter_map(|(_, r)| r.ok()).map(|(p, _)| p).collect();
        assert!(policies.iter().filter(|p| p.import.is_some()).count() >= 3060);
        let c = crate::policy::check::LetterCoverage::of(
            policies.iter().map(|p| (p, written(p, &catalog, &config, &renderer, now))),
        );
        assert_eq!(c.usable, c.checked, "{}", c.summary(5).join("\n"));
    }
}
