//! Dates and numbers as each letter language writes them, and the
//! handlebars helpers that use them.
//!
//! This is the one place where a language decides how a value looks
//! (STYLE: "dates and numbers per language in one place"). Legal wording
//! stays in `templates/<lang>/`; month and weekday names are locale data.
//!
//! ```
//! use chrono::NaiveDate;
//! use dsr::lang::Lang;
//! use dsr::letter::locale::{format_date, format_deadline};
//! let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
//! assert_eq!(format_date(d, Lang::De), "28. November 2026");
//! assert_eq!(format_date(d, Lang::En), "28 November 2026");
//! assert_eq!(format_deadline(d, Lang::De), "Samstag, 28. November 2026");
//! ```

use crate::lang::{Gender, Lang};
use chrono::{Datelike, NaiveDate};
use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason};

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS_DE: [&str; 7] = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];
const WEEKDAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// A date as written in running text: `28. November 2026` (de),
/// `28 November 2026` (en).
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    let m = date.month0() as usize;
    match lang {
        Lang::De => format!("{}. {} {}", date.day(), MONTHS_DE[m], date.year()),
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[m], date.year()),
    }
}

/// A deadline: the date with its weekday, so that the reader sees at once
/// which day is meant: `Montag, 28. Dezember 2026` / `Monday, 28 December 2026`.
pub fn format_deadline(date: NaiveDate, lang: Lang) -> String {
    let w = date.weekday().num_days_from_monday() as usize;
    let day = match lang {
        Lang::De => WEEKDAYS_DE[w],
        Lang::En => WEEKDAYS_EN[w],
    };
    format!("{day}, {}", format_date(date, lang))
}

/// A byte count with the language's thousands separator and unit:
/// `12.345 Bytes` (de), `12,345 bytes` (en).
pub fn format_bytes(n: u64, lang: Lang) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::De => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    match lang {
        Lang::De => format!("{out} Bytes"),
        Lang::En => format!("{out} bytes"),
    }
}

/// Which value a formatting helper writes.
#[derive(Clone, Copy)]
enum Format {
    Date,
    Deadline,
    Bytes,
}

/// The helpers `{{date x}}`, `{{deadline x}}` and `{{bytes n}}`. The
/// language is the root context's `lang`, so templates never repeat it.
#[derive(Clone, Copy)]
pub(crate) struct FormatHelper(Format);

/// `{{date x}}`: `x` is an ISO date (`2026-11-28`).
pub(crate) const DATE: FormatHelper = FormatHelper(Format::Date);
/// `{{deadline x}}`: `x` is an ISO date; written with its weekday.
pub(crate) const DEADLINE: FormatHelper = FormatHelper(Format::Deadline);
/// `{{bytes n}}`: `n` is a non-negative integer.
pub(crate) const BYTES: FormatHelper = FormatHelper(Format::Bytes);

impl HelperDef for FormatHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = match self.0 {
            Format::Date => "date",
            Format::Deadline => "deadline",
            Format::Bytes => "bytes",
        };
        let param = h.param(0).ok_or(RenderErrorReason::ParamNotFoundForIndex(name, 0))?;
        if param.is_value_missing() {
            return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
        }
        let lang = ctx
            .data()
            .get("lang")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<Lang>().ok())
            .ok_or_else(|| RenderErrorReason::Other(crate::t!("letter.helper.no-lang", helper = name)))?;
        let what = param.relative_path().cloned().unwrap_or_else(|| param.value().to_string());
        let text = match self.0 {
            Format::Bytes => {
                let n = param.value().as_u64().ok_or_else(|| {
                    RenderErrorReason::Other(crate::t!("letter.helper.not-a-count", helper = name, value = what))
                })?;
                format_bytes(n, lang)
            }
            Format::Date | Format::Deadline => {
                let date =
                    param.value().as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).ok_or_else(
                        || RenderErrorReason::Other(crate::t!("letter.helper.not-a-date", helper = name, value = what)),
                    )?;
                match self.0 {
                    Format::Deadline => format_deadline(date, lang),
                    _ => format_date(date, lang),
                }
            }
        };
        out.write(&text)?;
        Ok(())
    }
}

/// The grammatical case an organisation's name is used in (`{{org x "gen"}}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GramCase {
    /// Nominative: "die Beispiel GmbH".
    Nominative,
    /// Genitive: "im Namen der Beispiel GmbH".
    Genitive,
    /// Dative: "mit der Beispiel GmbH".
    Dative,
    /// Accusative: "gegen die Beispiel GmbH".
    Accusative,
}

/// Legal forms whose German noun is feminine ("die Gesellschaft"): the
/// name's last word. Foreign forms take the feminine too ("die Zendesk
/// International Ltd."), as German legal writing does.
const FEMININE_FORMS: &[&str] = &[
    "GmbH",
    "gGmbH",
    "mbH",
    "AG",
    "KG",
    "KGaA",
    "OHG",
    "oHG",
    "UG",
    "(haftungsbeschränkt)",
    "SE",
    "eG",
    "GbR",
    "PartG",
    "PartGmbB",
    "mbB",
    "GesmbH",
    "Ges.m.b.H.",
    "Stiftung",
    "Ltd",
    "Ltd.",
    "Limited",
    "LLC",
    "L.L.C.",
    "LLP",
    "LP",
    "Inc",
    "Inc.",
    "Corp",
    "Corp.",
    "Corporation",
    "plc",
    "PLC",
    "p.l.c.",
    "B.V.",
    "BV",
    "N.V.",
    "NV",
    "S.A.",
    "SA",
    "S.A.S.",
    "SAS",
    "S.L.",
    "SL",
    "S.L.U.",
    "S.r.l.",
    "Srl",
    "S.R.L.",
    "S.p.A.",
    "SpA",
    "A/S",
    "AS",
    "ASA",
    "AB",
    "ApS",
    "Oy",
    "Oyj",
    "SARL",
    "S.A.R.L.",
    "r.l.",
    "Sàrl",
    "o.o.",
    "s.r.o.",
    "a.s.",
    "Kft.",
    "Zrt.",
    "Nyrt.",
    "d.o.o.",
    "SCA",
    "S.C.A.",
    "sprl",
    "SPRL",
    "BVBA",
    "bvba",
    "NV/SA",
    "Lda.",
    "Lda",
    "SE.",
];

/// Legal forms whose German noun is masculine ("der Verein").
const MASCULINE_FORMS: &[&str] = &["e.V.", "eV", "V.", "r.V.", "VVaG", "Verein", "Verband"];

/// An organisation's name with the German article its legal form calls
/// for, in `case`: `der Beispiel Handels GmbH` (genitive), `des Beispiel
/// e.V.`. A name whose legal form is unknown (a brand, a person) gets no
/// article, and `von` in the genitive. English names stay as they are.
///
/// ```
/// use dsr::lang::Lang;
/// use dsr::letter::locale::{org_phrase, GramCase};
/// assert_eq!(org_phrase("Beispiel Handels GmbH", GramCase::Genitive, Lang::De), "der Beispiel Handels GmbH");
/// assert_eq!(org_phrase("Zendesk", GramCase::Genitive, Lang::De), "von Zendesk");
/// assert_eq!(org_phrase("Beispiel GmbH", GramCase::Genitive, Lang::En), "Beispiel GmbH");
/// ```
pub fn org_phrase(name: &str, case: GramCase, lang: Lang) -> String {
    if lang != Lang::De {
        return name.to_string();
    }
    let name = name.trim();
    let starts_with_article = ["Der ", "Die ", "Das "].iter().any(|a| name.starts_with(a));
    let last = name.split_whitespace().last().unwrap_or_default().trim_end_matches(',');
    let gender = if starts_with_article {
        None
    } else if FEMININE_FORMS.contains(&last) {
        Some(Gender::Female)
    } else if MASCULINE_FORMS.contains(&last) {
        Some(Gender::Male)
    } else {
        None
    };
    let article = match (gender, case) {
        (None, GramCase::Genitive) => "von",
        (None, _) => return name.to_string(),
        (Some(Gender::Female), GramCase::Nominative | GramCase::Accusative) => "die",
        (Some(Gender::Female), GramCase::Genitive | GramCase::Dative) => "der",
        (Some(Gender::Male), GramCase::Nominative) => "der",
        (Some(Gender::Male), GramCase::Genitive) => "des",
        (Some(Gender::Male), GramCase::Dative) => "dem",
        (Some(Gender::Male), GramCase::Accusative) => "den",
    };
    format!("{article} {name}")
}

/// `{{org name "gen"}}`: [`org_phrase`] in the context's language; the
/// case is `nom`, `gen`, `dat` or `acc`.
#[derive(Clone, Copy)]
pub(crate) struct OrgHelper;

/// The `org` helper.
pub(crate) const ORG: OrgHelper = OrgHelper;

impl HelperDef for OrgHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let param = h.param(0).ok_or(RenderErrorReason::ParamNotFoundForIndex("org", 0))?;
        if param.is_value_missing() {
            return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
        }
        let case = match h.param(1).and_then(|p| p.value().as_str()) {
            Some("nom") => GramCase::Nominative,
            Some("gen") => GramCase::Genitive,
            Some("dat") => GramCase::Dative,
            Some("acc") => GramCase::Accusative,
            _ => {
                return Err(RenderErrorReason::Other(crate::t!("letter.helper.org-case")).into());
            }
        };
        let lang = ctx
            .data()
            .get("lang")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<Lang>().ok())
            .ok_or_else(|| RenderErrorReason::Other(crate::t!("letter.helper.no-lang", helper = "org")))?;
        let name = param.value().as_str().unwrap_or_default();
        out.write(&org_phrase(name, case, lang))?;
        Ok(())
    }
}

/// A reply's outcome as a complaint lists it (`acknowledged` →
/// "Eingangsbestätigung" / "acknowledgement of receipt"). Unknown names are
/// returned as they are.
pub fn outcome_label(outcome: &str, lang: Lang) -> String {
    let (de, en) = match outcome {
        "acknowledged" => ("Eingangsbestätigung", "acknowledgement of receipt"),
        "extended" => ("Mitteilung einer Fristverlängerung", "notice of an extension of the period"),
        "needs-identity" => ("Anforderung weiterer Angaben zur Identität", "request for further proof of identity"),
        "confirmed" => ("Bestätigung", "confirmation"),
        "refused" => ("Ablehnung", "refusal"),
        "partial" => ("teilweise Erfüllung des Antrags", "partial answer to the request"),
        other => (other, other),
    };
    match lang {
        Lang::De => de.to_string(),
        Lang::En => en.to_string(),
    }
}

/// What a letter of `kind` is, with the article it rests on, as the
/// evidence bundle's README names it ("Löschung (Art. 17 DSGVO)").
pub fn kind_label(kind: crate::kind::LetterKind, lang: Lang) -> &'static str {
    use crate::kind::LetterKind as K;
    let (de, en) = match kind {
        K::Erasure => ("Löschung (Art. 17 DSGVO)", "erasure (Article 17 GDPR)"),
        K::ProcessorDeletion => (
            "Löschweisung an einen Auftragsverarbeiter (Art. 28 Abs. 3 lit. g DSGVO)",
            "deletion instruction to a processor (Article 28(3)(g) GDPR)",
        ),
        K::Access => ("Auskunft (Art. 15 DSGVO)", "access (Article 15 GDPR)"),
        K::Rectification => ("Berichtigung (Art. 16 DSGVO)", "rectification (Article 16 GDPR)"),
        K::Objection => ("Widerspruch (Art. 21 DSGVO)", "objection (Article 21 GDPR)"),
        K::Restriction => {
            ("Einschränkung der Verarbeitung (Art. 18 DSGVO)", "restriction of processing (Article 18 GDPR)")
        }
        K::Portability => ("Datenübertragbarkeit (Art. 20 DSGVO)", "data portability (Article 20 GDPR)"),
        K::Reminder => ("Erinnerung", "reminder"),
        K::Complaint => ("Beschwerde (Art. 77 DSGVO)", "complaint (Article 77 GDPR)"),
    };
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// What an attached evidence file is, as a complaint lists it: `request`,
/// `reminder`, `reply`.
pub fn evidence_label(what: &str, lang: Lang) -> String {
    let (de, en) = match what {
        "request" => (
            "der Antrag, wie er versandt wurde (E-Mail im Originalformat)",
            "the request as sent (email in its original format)",
        ),
        "reminder" => ("die Erinnerung, wie sie versandt wurde", "the reminder as sent"),
        "reply" => ("Antwort des Verantwortlichen", "reply from the controller"),
        other => (other, other),
    };
    match lang {
        Lang::De => de.to_string(),
        Lang::En => en.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_per_language() {
        assert_eq!(format_date(d(2026, 11, 28), Lang::De), "28. November 2026");
        assert_eq!(format_date(d(2026, 11, 28), Lang::En), "28 November 2026");
        assert_eq!(format_date(d(2026, 3, 2), Lang::De), "2. März 2026");
        assert_eq!(format_deadline(d(2026, 3, 2), Lang::De), "Montag, 2. März 2026");
        assert_eq!(format_deadline(d(2026, 3, 2), Lang::En), "Monday, 2 March 2026");
    }

    #[test]
    fn bytes_per_language() {
        assert_eq!(format_bytes(0, Lang::De), "0 Bytes");
        assert_eq!(format_bytes(999, Lang::En), "999 bytes");
        assert_eq!(format_bytes(1000, Lang::De), "1.000 Bytes");
        assert_eq!(format_bytes(1234567, Lang::En), "1,234,567 bytes");
    }
}
