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

use crate::lang::Lang;
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
            .ok_or_else(|| RenderErrorReason::Other(format!("{name}: the context has no valid 'lang'")))?;
        let what = param.relative_path().cloned().unwrap_or_else(|| param.value().to_string());
        let text = match self.0 {
            Format::Bytes => {
                let n = param.value().as_u64().ok_or_else(|| {
                    RenderErrorReason::Other(format!("{name}: '{what}' is not a non-negative integer"))
                })?;
                format_bytes(n, lang)
            }
            Format::Date | Format::Deadline => {
                let date =
                    param.value().as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).ok_or_else(
                        || RenderErrorReason::Other(format!("{name}: '{what}' is not a date (expected YYYY-MM-DD)")),
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
        other => (other, other),
    };
    match lang {
        Lang::De => de.to_string(),
        Lang::En => en.to_string(),
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
