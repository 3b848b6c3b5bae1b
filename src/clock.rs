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
