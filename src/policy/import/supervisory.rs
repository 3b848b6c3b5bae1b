//! One Datenanfragen.de supervisory-authority record → one [`Authority`].
//!
//! Ids: the upstream slug is the country code glued to an abbreviation
//! (`iedpc`, `frcnil`); dsr separates the country with a dash (`ie-dpc`,
//! `fr-cnil`), except for the table [`GERMAN`] below, which gives the 16
//! Länder authorities `de-<land>` (Bavaria's two: `de-by-lda`, `de-by-lfd`)
//! with their ISO 3166-2 region and jurisdiction.

use super::{Mapped, Msg};
use crate::policy::authority::Authority;
use crate::policy::{Import, Sources, Transport};
use serde::Deserialize;

/// Upstream slug → (dsr id, ISO 3166-2 region, jurisdiction).
const GERMAN: &[(&str, &str, Option<&str>, &str)] = &[
    ("debfdi", "de-bfdi", None, "federal public bodies, telecommunications and postal service providers"),
    ("debawueldb", "de-bw", Some("DE-BW"), "private sector and public bodies in Baden-Württemberg"),
    ("debaylda", "de-by-lda", Some("DE-BY"), "private sector in Bavaria"),
    ("debayldb", "de-by-lfd", Some("DE-BY"), "public bodies in Bavaria"),
    ("deberlbdi", "de-be", Some("DE-BE"), "private sector and public bodies in Berlin"),
    ("debralda", "de-bb", Some("DE-BB"), "private sector and public bodies in Brandenburg"),
    ("debrelfdi", "de-hb", Some("DE-HB"), "private sector and public bodies in Bremen"),
    ("dehessbdi", "de-he", Some("DE-HE"), "private sector and public bodies in Hesse"),
    ("dehmbbfdi", "de-hh", Some("DE-HH"), "private sector and public bodies in Hamburg"),
    ("demvldi", "de-mv", Some("DE-MV"), "private sector and public bodies in Mecklenburg-Vorpommern"),
    ("dendslfd", "de-ni", Some("DE-NI"), "private sector and public bodies in Lower Saxony"),
    ("denrwldi", "de-nw", Some("DE-NW"), "private sector and public bodies in North Rhine-Westphalia"),
    ("derlpbdi", "de-rp", Some("DE-RP"), "private sector and public bodies in Rhineland-Palatinate"),
    ("desaarudz", "de-sl", Some("DE-SL"), "private sector and public bodies in Saarland"),
    ("desaechsdsb", "de-sn", Some("DE-SN"), "private sector and public bodies in Saxony"),
    ("desalbd", "de-st", Some("DE-ST"), "private sector and public bodies in Saxony-Anhalt"),
    ("deshuld", "de-sh", Some("DE-SH"), "private sector and public bodies in Schleswig-Holstein"),
    ("detlfdi", "de-th", Some("DE-TH"), "private sector and public bodies in Thuringia"),
];

/// The dsr id for an upstream slug (see the module docs).
pub(super) fn id_for(slug: &str) -> String {
    if let Some((_, id, _, _)) = GERMAN.iter().find(|(s, ..)| *s == slug) {
        return (*id).to_string();
    }
    match (slug.get(..2), slug.get(2..)) {
        (Some(cc), Some(rest)) if !rest.is_empty() && !rest.starts_with('-') => format!("{cc}-{rest}"),
        _ => slug.to_string(),
    }
}

/// A supervisory-authority record as their schema defines it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Record {
    slug: String,
    relevant_countries: Vec<String>,
    name: String,
    address: String,
    phone: Option<String>,
    fax: Option<String>,
    email: Option<String>,
    webform: Option<String>,
    pgp_fingerprint: Option<String>,
    pgp_url: Option<String>,
    web: Option<String>,
    sources: Vec<String>,
    complaint_language: Option<String>,
    suggested_transport_medium: Option<Medium>,
    #[serde(default)]
    comments: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Medium {
    Fax,
    Letter,
    Email,
}

/// Converts one record.
///
/// # Errors
/// Not a record of their schema (serde's message), or no usable country.
pub(super) fn convert(text: &str, commit: Option<&str>) -> Result<Mapped<Authority>, Msg> {
    let r: Record = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if !super::company::is_slug(&r.slug) {
        let slug = r.slug.escape_debug();
        return Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.slug-pattern", slug = slug)));
    }
    let mut notes = super::unknown_fields(text, super::AUTHORITY_FIELDS);
    let country = match r.relevant_countries.as_slice() {
        [c] if c.len() == 2 && c.chars().all(|c| c.is_ascii_lowercase()) => c.to_ascii_uppercase(),
        other => {
            let found = format!("{other:?}");
            return Err(Msg::new(|l| crate::t_in!(l, "pcheck.import.one-country", found = found)));
        }
    };
    let german = GERMAN.iter().find(|(s, ..)| *s == r.slug);
    if let Some(v) = &r.pgp_fingerprint {
        notes.push(format!("pgp-fingerprint '{v}': dsr does not encrypt mail"));
    }
    if let Some(v) = &r.pgp_url {
        notes.push(format!("pgp-url '{v}': dsr does not encrypt mail"));
    }
    let sources: Vec<String> =
        r.sources.iter().filter_map(|u| super::http_url("sources", Some(u), &mut notes)).collect();
    let id = id_for(&r.slug);
    let a = Authority {
        id: id.clone(),
        name: r.name,
        country,
        region: german.and_then(|(_, _, region, _)| region.map(String::from)),
        jurisdiction: german.map(|(.., j)| (*j).to_string()),
        language: r.complaint_language,
        transport: r.suggested_transport_medium.map(|m| match m {
            Medium::Fax => Transport::Fax,
            Medium::Letter => Transport::Letter,
            Medium::Email => Transport::Email,
        }),
        address: r.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        email: r.email.as_deref().map(crate::address::parse_email).transpose().map_err(|e| {
            Msg::new(|l| crate::t_in!(l, "pcheck.import.authority-invalid", field = "email", message = e))
        })?,
        complaint_form: super::http_url("webform", r.webform.as_deref(), &mut notes),
        web: super::http_url("web", r.web.as_deref(), &mut notes),
        phone: r.phone,
        fax: r.fax,
        sources: Sources { checked: None, urls: sources },
        import: Some(Import {
            source: super::SOURCE.to_string(),
            slug: r.slug.clone(),
            commit: commit.map(String::from),
            notes: notes.clone(),
        }),
    };
    let decisions = vec![if german.is_some() { "id from the German table" } else { "id from the slug" }.to_string()];
    Ok(Mapped { slug: r.slug, value: a, notes, comments: r.comments, decisions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short() {
        assert_eq!(id_for("iedpc"), "ie-dpc");
        assert_eq!(id_for("debfdi"), "de-bfdi");
        assert_eq!(id_for("deberlbdi"), "de-be");
        assert_eq!(id_for("debaylda"), "de-by-lda");
        assert_eq!(id_for("debayldb"), "de-by-lfd");
        assert_eq!(id_for("frcnil"), "fr-cnil");
        assert_eq!(id_for("x"), "x");
        let ids: std::collections::BTreeSet<&str> = GERMAN.iter().map(|(_, id, ..)| *id).collect();
        assert_eq!(ids.len(), GERMAN.len());
    }

    #[test]
    fn maps_a_record() {
        let text = r#"{"slug": "deberlbdi", "relevant-countries": ["de"], "name": "BlnBDI",
            "address": "Alt-Moabit 59-61\n10555 Berlin\nDeutschland", "phone": "+49 30 13889 0",
            "email": "mailbox@datenschutz-berlin.de", "webform": "https://www.datenschutz-berlin.de/beschwerde",
            "sources": ["https://www.datenschutz-berlin.de"], "complaint-language": "de",
            "suggested-transport-medium": "email", "comments": ["Only for Berlin"]}"#;
        let m = convert(text, Some("abc")).unwrap();
        let a = &m.value;
        assert_eq!((a.id.as_str(), a.country.as_str(), a.region.as_deref()), ("de-be", "DE", Some("DE-BE")));
        assert_eq!(a.complaint_form.as_deref(), Some("https://www.datenschutz-berlin.de/beschwerde"));
        assert_eq!(a.transport, Some(Transport::Email));
        assert_eq!(m.comments, ["Only for Berlin"]);
        assert_eq!(crate::policy::authority::problems(a, Some("de-be")), vec![]);
    }
}
