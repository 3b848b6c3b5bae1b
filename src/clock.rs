//! The one place that reads the wall clock.
//!
//! Library code never calls `Utc::now()` itself: it takes a time as a
//! parameter, and the CLI asks this module for it. Tests of the built binary
//! need a controllable clock (a case that becomes overdue, a deadline a month
//! away), so a debug build honours `DSR_NOW` (an RFC 3339 time). A release
//! build ignores it: a user can never backdate evidence by setting a variable.

use chrono::{DateTime, SubsecRound, Utc};

/// The environment variable that overrides the clock in debug builds.
pub const NOW_ENV: &str = "DSR_NOW";

/// The current time in UTC, truncated to whole seconds (the log's precision).
///
/// In debug builds `DSR_NOW=2026-11-28T10:00:00Z` replaces the wall clock; an
/// unparsable value is ignored so that a typo cannot silently change
/// behaviour in a way the test would not notice (the test then sees the real
/// time and fails).
pub fn now() -> DateTime<Utc> {
    #[cfg(debug_assertions)]
    if let Some(t) = std::env::var(NOW_ENV).ok().and_then(|v| DateTime::parse_from_rfc3339(v.trim()).ok()) {
        return t.with_timezone(&Utc).trunc_subsecs(0);
    }
    Utc::now().trunc_subsecs(0)
}

/// Parses a date as `YYYY-MM-DD`, the one form every date option and
/// batch field takes, telling a malformed date ("'2027/01/10' is not a date
/// as YYYY-MM-DD (year-month-day), e.g. 2026-12-01") from a day that does
/// not exist ("2027-02-30 is not a day in the calendar").
///
/// # Errors
/// The message, as above.
pub fn iso_date(s: &str) -> Result<chrono::NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(crate::t!("date.not-iso", date = s));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| crate::t!("date.no-such-day", date = s))
}
