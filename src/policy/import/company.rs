//! One Datenanfragen.de company record → one dsr [`Policy`].
//!
//! The record is read into typed structs that mirror their `schema.json`
//! (a wrong type, a missing required field or an unknown enum value is an
//! error for that record); unknown top-level fields are kept and reported.
//! Every field either maps to a policy key or becomes an `[import] notes`
//! entry; `comments` (free text) are returned for the report only.

use super::{Mapped, Msg, decide_calendar, decide_language, element_key};
use crate::policy::{
    Contact, Entity, IdDocument, IdentityRequirements, Import, Localized, Policy, PolicyId, Quality, Role, Roles,
    Sources, Transport, identifier,
};
use serde::Deserialize;

/// A company record as their schema defines it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Record {
    slug: String,
    relevant_countries: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    name: String,
    #[serde(default)]
    runs: Vec<String>,
    address: String,
    phone: Option<String>,
    fax: Option<String>,
    email: Option<String>,
    webform: Option<String>,
    pgp_fingerprint: Option<String>,
    pgp_url: Option<String>,
    web: Option<String>,
    sources: Vec<String>,
    #[serde(default)]
    required_elements: Vec<Element>,
    request_language: Option<String>,
    custom_access_template: Option<String>,
    custom_erasure_template: Option<String>,
    custom_rectification_template: Option<String>,
    custom_objection_template: Option<String>,
    needs_id_document: Option<bool>,
    suggested_transport_medium: Option<Medium>,
    #[serde(default)]
    comments: Vec<String>,
    quality: RecordQuality,
    facet_group: Option<FacetGroup>,
    nsfw: Option<bool>,
}

/// One entry of `required-elements`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Element {
    desc: String,
    #[serde(rename = "type")]
    kind: ElementType,
    #[serde(default)]
    optional: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ElementType {
    Input,
    Textarea,
    Email,
    Address,
    Name,
    Birthdate,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Medium {
    Fax,
    Letter,
    Email,
    Webform,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RecordQuality {
    Tested,
    Verified,
    Imported,
    Scraped,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FacetGroup {
    Church,
    School,
}

/// Converts one record. `commit` is the source snapshot.
///
/// # Errors
/// The text is not a record of their schema: the message says why (serde's
/// text, with line and column).
pub(super) fn convert(text: &str, commit: Option<&str>) -> Result<Mapped<Policy>, Msg> {
    let r: Record = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if !is_slug(&r.slug) {
        let slug = r.slug.escape_debug();
        return Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.slug-pattern", slug = slug)));
    }
    let mut decisions = Vec::new();
    let mut notes = super::unknown_fields(text, super::COMPANY_FIELDS);

    let address: Vec<String> = r.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    let country = address.last().map(String::as_str).unwrap_or_default();

    let language = decide_language(r.request_language.as_deref(), country, &mut notes, &mut decisions);
    let calendar = decide_calendar(country, &address, &mut notes, &mut decisions);

    let transport = match (r.suggested_transport_medium, &r.email) {
        (Some(Medium::Email) | None, Some(_)) => Transport::Email,
        (None, None) => {
            decisions.push("transport letter: no email address".to_string());
            Transport::Letter
        }
        (Some(Medium::Email), None) => {
            notes.push(
                "suggested-transport-medium is 'email' but the record has no email address: transport = letter".into(),
            );
            Transport::Letter
        }
        (Some(Medium::Letter), _) => Transport::Letter,
        (Some(Medium::Fax), _) => Transport::Fax,
        (Some(Medium::Webform), _) => Transport::Webform,
    };
    if transport != Transport::Email && r.email.is_some() {
        decisions.push(format!("transport {transport} although an email address is given"));
    }

    let mut categories = r.categories.clone();
    if let Some(g) = r.facet_group {
        let g = match g {
            FacetGroup::Church => "church",
            FacetGroup::School => "school",
        };
        if !categories.iter().any(|c| c == g) {
            categories.push(g.to_string());
        }
    }

    let identity = identity(&r, &mut notes);
    if identity.id_document == IdDocument::Required {
        decisions.push("identity.id_document = required".into());
    }
    if r.required_elements.iter().any(|e| e.optional) {
        decisions.push("optional required-elements left out (noted)".into());
    }
    if !identity.labels.is_empty() {
        decisions.push("custom identifier keys with labels".into());
    }

    for (field, value) in [
        ("custom-access-template", &r.custom_access_template),
        ("custom-erasure-template", &r.custom_erasure_template),
        ("custom-rectification-template", &r.custom_rectification_template),
        ("custom-objection-template", &r.custom_objection_template),
    ] {
        if let Some(v) = value {
            notes.push(format!(
                "{field} '{v}': Datenanfragen has its own letter for this company; dsr uses its templates"
            ));
        }
    }
    if let Some(v) = &r.pgp_fingerprint {
        notes.push(format!("pgp-fingerprint '{v}': dsr does not encrypt mail"));
    }
    if let Some(v) = &r.pgp_url {
        notes.push(format!("pgp-url '{v}': dsr does not encrypt mail"));
    }
    if r.nsfw == Some(true) {
        notes.push("nsfw: the company offers adult content or services".into());
    }

    let sources: Vec<String> =
        r.sources.iter().filter_map(|u| super::http_url("sources", Some(u), &mut notes)).collect();
    let quality = match r.quality {
        RecordQuality::Tested => Quality::Tested,
        RecordQuality::Verified => Quality::Verified,
        RecordQuality::Imported => Quality::Imported,
        RecordQuality::Scraped => Quality::Scraped,
    };
    let to = if r.email.is_some() { vec![crate::policy::AddressRole::Privacy] } else { vec![] };

    let privacy_email = r.email.as_deref().map(crate::address::parse_email).transpose().map_err(|e| {
        Msg::new(|l| crate::t_in!(l, "pcheck.import.policy-invalid", field = "contact.privacy_email", message = e))
    })?;
    let id = PolicyId::parse(&r.slug)
        .map_err(|e| Msg::new(|l| crate::t_in!(l, "pcheck.import.policy-invalid", field = "id", message = e)))?;
    let policy = Policy {
        id,
        name: r.name.clone(),
        quality,
        language,
        calendar,
        role: Role::Controller,
        authority: None,
        transport,
        supersedes: vec![],
        runs: r.runs.clone(),
        categories,
        countries: r.relevant_countries.clone(),
        entity: Entity { legal_name: r.name.clone(), address },
        contact: Contact {
            privacy_email,
            alternative_emails: vec![],
            support_email: None,
            to,
            cc: vec![],
            web: super::http_url("web", r.web.as_deref(), &mut notes),
            webform: super::http_url("webform", r.webform.as_deref(), &mut notes),
            phone: r.phone.clone(),
            fax: r.fax.clone(),
            rejected: vec![],
        },
        roles: Roles::default(),
        identity,
        processor: Default::default(),
        preconditions: vec![],
        notes: vec![],
        sources: Sources { checked: None, urls: sources },
        import: Some(Import {
            source: super::SOURCE.to_string(),
            slug: r.slug.clone(),
            commit: commit.map(String::from),
            notes: notes.clone(),
        }),
    };
    Ok(Mapped { slug: r.slug, value: policy, notes, comments: r.comments, decisions })
}

/// `required-elements` and `needs-id-document` → `[identity]`.
fn identity(r: &Record, notes: &mut Vec<String>) -> IdentityRequirements {
    let mut id = IdentityRequirements::default();
    for (i, e) in r.required_elements.iter().enumerate() {
        let (key, custom) = match e.kind {
            ElementType::Name => ("name".to_string(), false),
            ElementType::Email => ("email".to_string(), false),
            ElementType::Address => ("postal_address".to_string(), false),
            ElementType::Birthdate => ("birth_date".to_string(), false),
            ElementType::Input | ElementType::Textarea => {
                let k = element_key(&e.desc);
                let custom = !identifier::is_known(&k);
                (k, custom)
            }
        };
        let kind = format!("{:?}", e.kind).to_lowercase();
        if e.optional {
            notes.push(format!(
                "required-elements[{i}] '{}' ({kind}) is optional: not required (would be '{key}')",
                e.desc
            ));
            continue;
        }
        if id.required.contains(&key) {
            notes.push(format!("required-elements[{i}] '{}' ({kind}) maps to '{key}' again: merged", e.desc));
            continue;
        }
        if custom {
            id.labels.insert(key.clone(), Localized { en: Some(e.desc.clone()), de: Some(e.desc.clone()) });
        }
        id.required.push(key);
    }
    if r.needs_id_document == Some(true) {
        id.id_document = IdDocument::Required;
    }
    id
}

/// Their slug pattern `^[a-z0-9-]+$`, and no leading dash (dsr's id rule).
pub(super) fn is_slug(s: &str) -> bool {
    crate::policy::check::is_valid_id(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = r#"{
        "slug": "acme-gmbh",
        "relevant-countries": ["de"],
        "categories": ["commerce"],
        "name": "ACME GmbH",
        "runs": ["ACME Shop"],
        "address": "ACME GmbH\nHauptstr. 1\n10115 Berlin\nDeutschland",
        "email": "datenschutz@acme.example",
        "web": "https://acme.example",
        "sources": ["https://acme.example/datenschutz"],
        "required-elements": [
            {"desc": "Name", "type": "name"},
            {"desc": "Kundennummer", "type": "input"},
            {"desc": "Benutzername", "type": "input", "optional": true},
            {"desc": "Besuchte Filiale(n)", "type": "textarea", "optional": false}
        ],
        "needs-id-document": true,
        "custom-access-template": "acme-access",
        "comments": ["Also reachable at privacy@acme.example"],
        "quality": "tested",
        "facet-group": "school"
    }"#;

    #[test]
    fn maps_every_field() {
        let m = convert(RECORD, Some("abc")).unwrap();
        let p = &m.value;
        assert_eq!((p.id.as_str(), p.name.as_str()), ("acme-gmbh", "ACME GmbH"));
        assert_eq!(p.quality, Quality::Tested);
        assert_eq!(p.language, crate::lang::Lang::De);
        assert_eq!(p.calendar, Some(crate::deadline::CalendarCode::DeBe), "10115 Berlin");
        assert_eq!(p.entity.address, ["ACME GmbH", "Hauptstr. 1", "10115 Berlin", "Deutschland"]);
        assert_eq!(p.categories, ["commerce", "school"]);
        assert_eq!(p.identity.required, ["name", "customer_number", "besuchte_filiale_n"]);
        assert_eq!(p.identity.labels["besuchte_filiale_n"].en.as_deref(), Some("Besuchte Filiale(n)"));
        assert_eq!(p.identity.labels.len(), 1);
        assert_eq!(p.identity.id_document, IdDocument::Required);
        assert_eq!(p.transport, Transport::Email);
        assert_eq!(m.comments, ["Also reachable at privacy@acme.example"]);
        assert_eq!(m.notes.len(), 2, "{:?}", m.notes);
        assert!(m.notes[0].contains("'Benutzername' (input) is optional"));
        assert!(m.notes[1].starts_with("custom-access-template 'acme-access'"));
        assert_eq!(p.import.as_ref().unwrap().notes, m.notes);
        assert!(!format!("{p:?}").contains("Also reachable"), "comments are not copied");
        assert_eq!(crate::policy::check::problems(p, Some("acme-gmbh")), vec![]);
    }

    #[test]
    fn record_without_email_goes_by_post_and_send_refuses() {
        let text = RECORD.replace(r#""email": "datenschutz@acme.example","#, "");
        let p = convert(&text, None).unwrap().value;
        assert_eq!(p.transport, Transport::Letter);
        assert!(p.contact.to.is_empty());
        assert_eq!(crate::policy::check::problems(&p, None), vec![]);
        let e = p.check_kind(crate::kind::LetterKind::Erasure).unwrap_err();
        assert_eq!(e.to_string(), "policy 'acme-gmbh' says requests to ACME GmbH go by post, not by email");
        assert_eq!(
            e.hint().unwrap(),
            "it accepts: post (ACME GmbH, Hauptstr. 1, 10115 Berlin, Deutschland); choose one with --via post"
        );
    }

    #[test]
    fn other_languages_become_english_and_unknown_fields_are_noted() {
        let text = RECORD
            .replace(r#""quality""#, r#""request-language": "fr", "shoe-size": 42, "quality""#)
            .replace("https://acme.example\"", "httsp://acme.example\"");
        let m = convert(&text, None).unwrap();
        assert_eq!(m.value.language, crate::lang::Lang::En);
        assert_eq!(m.value.contact.web, None);
        assert!(m.notes.contains(&"web 'httsp://acme.example' is not an http(s) URL: not mapped".to_string()));
        assert!(m.notes.iter().any(|n| n.starts_with("field 'shoe-size' is not in the Datenanfragen schema")));
        assert!(m.notes.iter().any(|n| n.starts_with("request-language 'fr'")));
    }

    #[test]
    fn schema_violations_are_errors() {
        let wrong_type = RECORD.replace(r#""name": "ACME GmbH""#, r#""name": 5"#);
        assert!(convert(&wrong_type, None).unwrap_err().starts_with("invalid type: integer `5`, expected a string"));
        let bad_enum = RECORD.replace(r#""quality": "tested""#, r#""quality": "great""#);
        assert!(convert(&bad_enum, None).unwrap_err().starts_with("unknown variant `great`"));
        let missing = RECORD.replace(r#""slug": "acme-gmbh","#, "");
        assert!(convert(&missing, None).unwrap_err().starts_with("missing field `slug`"));
        let bad_slug = RECORD.replace("acme-gmbh", "../etc");
        assert_eq!(convert(&bad_slug, None).unwrap_err(), "slug '../etc' does not match their pattern ^[a-z0-9-]+$");
        assert!(convert("not json", None).unwrap_err().starts_with("expected ident at line 1"));
    }
}
