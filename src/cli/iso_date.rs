//! The one parser of every date option (`--received`, `--date`,
//! `--received-on`, `--confirm-by`, `policy import-datenanfragen --date`):
//! ISO dates only, YYYY-MM-DD, with the same message everywhere.

use chrono::NaiveDate;

/// Parses `YYYY-MM-DD`, telling a malformed date from a day that does not exist.
pub(super) fn parse(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(format!("'{s}' is not a date as YYYY-MM-DD (year-month-day), e.g. 2026-12-01"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s} is not a day in the calendar"))
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
