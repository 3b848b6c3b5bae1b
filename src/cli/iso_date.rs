//! The one parser of every date option (`--received`, `--date`,
//! `--received-on`, `--confirm-by`, `policy import-datenanfragen --date`):
//! ISO dates only, YYYY-MM-DD, with the same message everywhere.

use chrono::NaiveDate;

/// Parses `YYYY-MM-DD`, telling a malformed date from a day that does not exist.
/// ([`crate::clock::iso_date`], which batch files' date fields use too).
pub(super) fn parse(s: &str) -> Result<NaiveDate, String> {
    crate::clock::iso_date(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_only() {
        assert_eq!(parse("2025-03-15"), Ok(NaiveDate::from_ymd_opt(2025, 3, 15).unwrap()));
        assert_eq!(
            parse("2027/01/10").unwrap_err(),
            "'2027/01/10' is not a date as YYYY-MM-DD (year-month-day), e.g. 2026-12-01"
        );
        assert!(parse("10.01.2027").is_err() && parse("2027-1-10").is_err());
        assert_eq!(parse("2027-02-30").unwrap_err(), "2027-02-30 is not a day in the calendar");
    }
}
