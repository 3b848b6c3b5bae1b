//! Deadlines under Art. 12(3) GDPR, counted under Reg. (EEC, Euratom) 1182/71.
//!
//! A leaf module: dates and calendars in, dates out. [`calendar`] names the
//! public-holiday calendars of the place where a controller must act,
//! [`holidays`] computes their holidays for any year, and this file counts
//! (LEGAL.md §3):
//!
//! 1. The day of receipt is not counted (Art. 3(1)); a period in months ends
//!    at 24:00 on the day of the last month with the same date (Art. 3(2)(c)).
//! 2. If that month has no such date, it ends on its last day (ibid.).
//! 3. If the end day is a Saturday, Sunday or public holiday of the
//!    calendar, the period ends on the next working day (Art. 3(4)).
//! 4. The extension of Art. 12(3) ("two further months") is counted as
//!    **three months from receipt** with the same rules, never as the
//!    (rolled or raw) one-month end plus two months: month addition with
//!    clamping is not associative (31 Jan + 1 + 2 = 28 Apr, but + 3 = 30 Apr).
//!
//! ```
//! use chrono::NaiveDate;
//! use dsr::deadline::{compute, CalendarCode};
//!
//! let d = |s: &str| s.parse::<NaiveDate>().unwrap();
//! let x = compute(d("2025-05-09"), CalendarCode::De, &[]).unwrap();
//! assert_eq!(x.raw, d("2025-06-09")); // Whit Monday
//! assert_eq!(x.deadline, d("2025-06-10"));
//! assert_eq!(x.extended, d("2025-08-11")); // 9 Aug is a Saturday
//! ```
//!
//! Receipt of an email is the moment the recipient's server accepted it
//! (SMTP 250), dated in the calendar's time zone; see [`receipt_dates`] for
//! the second, later reading a controller could argue.

pub mod calendar;
pub mod holidays;

pub use calendar::{CalendarCode, UnknownCalendar};
pub use holidays::Holiday;

use crate::exit::ExitKind;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Timelike, Utc, Weekday};
use serde::Serialize;

/// Why a deadline could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The result lies beyond the dates dsr can represent.
    #[error("{}", crate::t!("deadline.out-of-range", from = from))]
    OutOfRange {
        /// The date the period was counted from.
        from: NaiveDate,
    },
    /// The calendar's holidays are known only for some years
    /// ([`CalendarCode::data_years`]) and the count reached another.
    #[error("{}", crate::t!("deadline.no-data", year = year, calendar = calendar, first = first, last = last))]
    NoData {
        /// The calendar.
        calendar: CalendarCode,
        /// The year the count reached.
        year: i32,
        /// The first year with data.
        first: i32,
        /// The last year with data.
        last: i32,
    },
}

impl Error {
    /// The exit code class: bad input (a date the user gave).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::OutOfRange { .. } => Some(crate::t!("calendar.out-of-range-hint")),
            Error::NoData { calendar, year, first, last } => Some(crate::t!(
                "calendar.no-data-hint",
                calendar = calendar,
                name = calendar.display_name(),
                first = first,
                last = last,
                year = year
            )),
        }
    }
}

/// An extra non-working day added to a calendar (from `dsr.toml`: the CLI
/// passes those of `config.extra_holidays` that belong to the calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraDay {
    /// The day.
    pub date: NaiveDate,
    /// Why it is not a working day (shown when it moves a deadline).
    pub name: Option<String>,
}

/// A non-working day that moved a deadline, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedDay {
    /// The day skipped.
    pub date: NaiveDate,
    /// Why: `Saturday`, `Whit Monday (Pfingstmontag)`, an extra day's name;
    /// several reasons are joined with `, `.
    pub reason: String,
}

/// The Art. 12(3) deadlines for one receipt date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// The day of receipt (not counted).
    pub received: NaiveDate,
    /// The calendar whose holidays were used.
    pub calendar: CalendarCode,
    /// One month after receipt, clamped to the month's end, before rolling.
    pub raw: NaiveDate,
    /// The one-month deadline: `raw`, or the next working day (24:00 local
    /// time). An extension must be announced, with reasons, by this day.
    pub deadline: NaiveDate,
    /// The non-working days from `raw` up to `deadline`, in order.
    pub moved: Vec<MovedDay>,
    /// Three months after receipt, clamped, before rolling.
    pub raw_extended: NaiveDate,
    /// The extended deadline (three months from receipt, rolled).
    pub extended: NaiveDate,
    /// The non-working days from `raw_extended` up to `extended`.
    pub moved_extended: Vec<MovedDay>,
}

/// A day moved forward to a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rolled {
    /// The day before rolling.
    pub raw: NaiveDate,
    /// The first working day on or after `raw`.
    pub date: NaiveDate,
    /// The non-working days skipped, in order.
    pub moved: Vec<MovedDay>,
}

/// Why `date` is not a working day in `calendar` (weekend, holidays, extra
/// days), or `None` when it is one: the form of [`MovedDay::reason`] and
/// `dsr deadline --json`, the holidays and the calendar by their English
/// names ([`Holiday::name`]).
pub fn non_working_reason(date: NaiveDate, calendar: CalendarCode, extra: &[ExtraDay]) -> Option<String> {
    reason(date, calendar, extra, false)
}

/// [`non_working_reason`] as `dsr deadline`'s table shows it: the holidays
/// and the calendar named in the interface language
/// ([`Holiday::display_name`], [`CalendarCode::display_name`]).
pub fn non_working_reason_shown(date: NaiveDate, calendar: CalendarCode, extra: &[ExtraDay]) -> Option<String> {
    reason(date, calendar, extra, true)
}

fn reason(date: NaiveDate, calendar: CalendarCode, extra: &[ExtraDay], shown: bool) -> Option<String> {
    let mut reasons: Vec<String> = Vec::new();
    let place = if shown { calendar.display_name() } else { calendar.name() };
    match date.weekday() {
        Weekday::Sat => reasons.push(crate::t!("deadline.saturday")),
        Weekday::Sun => reasons.push(crate::t!("deadline.sunday")),
        Weekday::Fri if calendar.friday_is_weekend() => {
            reasons.push(crate::t!("deadline.friday-weekend", calendar = place))
        }
        _ => {}
    }
    reasons.extend(
        calendar
            .holidays_on(date)
            .into_iter()
            .map(|h| if shown { h.display_name().into_owned() } else { h.name.to_string() }),
    );
    for e in extra.iter().filter(|e| e.date == date) {
        let name = e.name.clone().unwrap_or_else(|| crate::t!("deadline.extra-holiday"));
        if !reasons.contains(&name) {
            reasons.push(name);
        }
    }
    if reasons.is_empty() { None } else { Some(reasons.join(", ")) }
}

/// True when `date` is neither a Saturday, a Sunday, a public holiday of
/// `calendar` nor one of the `extra` days.
pub fn is_working_day(date: NaiveDate, calendar: CalendarCode, extra: &[ExtraDay]) -> bool {
    let weekend = match date.weekday() {
        Weekday::Sat | Weekday::Sun => true,
        Weekday::Fri => calendar.friday_is_weekend(),
        _ => false,
    };
    !weekend && !extra.iter().any(|e| e.date == date) && !calendar.is_holiday(date)
}

/// Whether dsr can tell if `date` is a working day in `calendar`: always,
/// except for a calendar written out for some years only
/// ([`CalendarCode::data_years`]) outside them, unless the user listed
/// days of that year for it under `[[holidays]]` in dsr.toml (`extra`: the
/// CLI passes those of the calendar), which then are that year's holidays.
///
/// # Errors
/// [`Error::NoData`], naming the year and the calendar. Every count of days
/// (deadlines, presumed receipt, `--confirm-by`) checks each day with this.
pub fn has_data(date: NaiveDate, calendar: CalendarCode, extra: &[ExtraDay]) -> Result<(), Error> {
    match calendar.data_years() {
        Some((first, last))
            if !(first..=last).contains(&date.year()) && !extra.iter().any(|e| e.date.year() == date.year()) =>
        {
            Err(Error::NoData { calendar, year: date.year(), first, last })
        }
        _ => Ok(()),
    }
}

/// Moves `date` forward to the first working day on or after it
/// (Reg. 1182/71 Art. 3(4)).
///
/// # Errors
/// [`Error::OutOfRange`] at the end of chrono's date range.
pub fn roll_forward(date: NaiveDate, calendar: CalendarCode, extra: &[ExtraDay]) -> Result<Rolled, Error> {
    let no_data = |day: NaiveDate| has_data(day, calendar, extra).err();
    let mut day = date;
    if let Some(e) = no_data(day) {
        return Err(e);
    }
    let mut moved = Vec::new();
    // The cheap check first: most days are working days, and the reasons
    // are only needed for the days that are not.
    while !is_working_day(day, calendar, extra) {
        let Some(reason) = non_working_reason(day, calendar, extra) else { break };
        moved.push(MovedDay { date: day, reason });
        day = day.succ_opt().ok_or(Error::OutOfRange { from: date })?;
        if let Some(e) = no_data(day) {
            return Err(e);
        }
    }
    Ok(Rolled { raw: date, date: day, moved })
}

/// A period of `months` months from `from` (that day not counted), clamped
/// to the month's end, then rolled to a working day.
///
/// # Errors
/// [`Error::OutOfRange`] at the end of chrono's date range.
pub fn roll_months(from: NaiveDate, months: u32, calendar: CalendarCode, extra: &[ExtraDay]) -> Result<Rolled, Error> {
    let raw = from.checked_add_months(Months::new(months)).ok_or(Error::OutOfRange { from })?;
    roll_forward(raw, calendar, extra).map_err(|e| match e {
        Error::OutOfRange { .. } => Error::OutOfRange { from },
        other => other,
    })
}

/// The end of a period of `months` months from `from`, counted like
/// Art. 12(3) (used for the processor-deletion confirmation date).
///
/// # Errors
/// [`Error::OutOfRange`] at the end of chrono's date range.
pub fn add_months_rolled(
    from: NaiveDate,
    months: u32,
    calendar: CalendarCode,
    extra: &[ExtraDay],
) -> Result<NaiveDate, Error> {
    Ok(roll_months(from, months, calendar, extra)?.date)
}

/// The end of a period of `days` days from `from` (that day not counted;
/// Reg. 1182/71 Art. 3(1), (2)(b)), rolled to a working day (used for a
/// reminder's short deadline).
///
/// # Errors
/// [`Error::OutOfRange`] at the end of chrono's date range.
pub fn add_days_rolled(
    from: NaiveDate,
    days: u32,
    calendar: CalendarCode,
    extra: &[ExtraDay],
) -> Result<NaiveDate, Error> {
    let raw = from.checked_add_days(Days::new(u64::from(days))).ok_or(Error::OutOfRange { from })?;
    Ok(roll_forward(raw, calendar, extra).map_err(|_| Error::OutOfRange { from })?.date)
}

/// The one-month deadline and the extended deadline for a request received
/// on `received` by a controller acting under `calendar` (LEGAL.md §3).
///
/// # Errors
/// [`Error::OutOfRange`] at the end of chrono's date range.
pub fn compute(received: NaiveDate, calendar: CalendarCode, extra: &[ExtraDay]) -> Result<Deadlines, Error> {
    let one = roll_months(received, 1, calendar, extra)?;
    // Three months from receipt, never `one` + 2 months (see the module docs).
    let three = roll_months(received, 3, calendar, extra)?;
    Ok(Deadlines {
        received,
        calendar,
        raw: one.raw,
        deadline: one.date,
        moved: one.moved,
        raw_extended: three.raw,
        extended: three.date,
        moved_extended: three.moved,
    })
}

/// The local hour from which an email counts, on the later reading, as
/// received on the next working day.
pub const LATE_HOUR: u32 = 18;

/// The two readings of when an email was received, as local dates.
///
/// `first_reading` is the date, in the calendar's time zone, of the moment
/// the receiving server accepted the message (SMTP 250). `later_reading` is
/// what a controller could argue under the German civil-law notion of
/// *Zugang* (an email arriving outside business hours is received the next
/// business morning): the next working day when the mail arrived on a
/// non-working day or at or after 18:00 local time, else the same day. dsr
/// uses 18:00 as the end of business hours; mail accepted before opening
/// time still counts for that day, since no earlier day is arguable.
/// LEGAL.md §3.6: a case is overdue only after the deadline of the later
/// reading.
///
/// # Errors
/// [`Error::OutOfRange`] at the end of chrono's date range.
pub fn receipt_dates(
    sent_at: DateTime<Utc>,
    calendar: CalendarCode,
    extra: &[ExtraDay],
) -> Result<(NaiveDate, NaiveDate), Error> {
    let local = sent_at.with_timezone(&calendar.time_zone());
    let first = local.date_naive();
    has_data(first, calendar, extra)?;
    if is_working_day(first, calendar, extra) && local.hour() < LATE_HOUR {
        return Ok((first, first));
    }
    let next = first.succ_opt().ok_or(Error::OutOfRange { from: first })?;
    Ok((first, roll_forward(next, calendar, extra)?.date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// LEGAL.md §3 (11 vectors) and research/legal-and-log.md A.2 (14, of
    /// which 10 are the same cases): received, calendar, raw, deadline,
    /// extended. The weekday in the source tables is checked too.
    const VECTORS: &[(&str, &str, &str, &str, &str, &str)] = &[
        ("Fri", "2025-01-31", "DE", "2025-02-28", "Fri 2025-02-28", "Wed 2025-04-30"),
        ("Mon", "2028-01-31", "DE", "2028-02-29", "Tue 2028-02-29", "Tue 2028-05-02"),
        ("Fri", "2026-01-30", "DE", "2026-02-28", "Mon 2026-03-02", "Thu 2026-04-30"),
        ("Sat", "2025-03-15", "DE", "2025-04-15", "Tue 2025-04-15", "Mon 2025-06-16"),
        ("Fri", "2025-05-09", "DE", "2025-06-09", "Tue 2025-06-10", "Mon 2025-08-11"),
        ("Wed", "2025-09-03", "DE", "2025-10-03", "Mon 2025-10-06", "Wed 2025-12-03"),
        ("Tue", "2025-11-25", "DE", "2025-12-25", "Mon 2025-12-29", "Wed 2026-02-25"),
        ("Tue", "2025-04-01", "DE", "2025-05-01", "Fri 2025-05-02", "Tue 2025-07-01"),
        ("Tue", "2025-03-18", "DE", "2025-04-18", "Tue 2025-04-22", "Wed 2025-06-18"),
        ("Mon", "2025-05-19", "DE-BE", "2025-06-19", "Thu 2025-06-19", "Tue 2025-08-19"),
        ("Mon", "2025-05-19", "DE-NW", "2025-06-19", "Fri 2025-06-20", "Tue 2025-08-19"),
        ("Fri", "2025-05-02", "IE", "2025-06-02", "Tue 2025-06-03", "Tue 2025-08-05"),
        ("Fri", "2025-05-02", "DE", "2025-06-02", "Mon 2025-06-02", "Mon 2025-08-04"),
        ("Tue", "2026-03-31", "DE", "2026-04-30", "Thu 2026-04-30", "Tue 2026-06-30"),
    ];

    fn with_weekday(date: NaiveDate) -> String {
        format!("{} {date}", date.format("%a"))
    }

    #[test]
    fn legal_md_and_research_vectors() {
        for &(wd, received, cal, raw, deadline, extended) in VECTORS {
            let received = d(received);
            assert_eq!(received.format("%a").to_string(), wd, "{received}");
            let x = compute(received, cal.parse().unwrap(), &[]).unwrap();
            assert_eq!(x.raw, d(raw), "{received} {cal} raw");
            assert_eq!(with_weekday(x.deadline), deadline, "{received} {cal} deadline");
            assert_eq!(with_weekday(x.extended), extended, "{received} {cal} extended");
        }
    }

    #[test]
    fn moved_days_say_why() {
        let x = compute(d("2025-03-18"), CalendarCode::De, &[]).unwrap();
        let moved: Vec<(String, String)> = x.moved.iter().map(|m| (m.date.to_string(), m.reason.clone())).collect();
        assert_eq!(
            moved,
            [
                ("2025-04-18", "Good Friday (Karfreitag)"),
                ("2025-04-19", "Saturday"),
                ("2025-04-20", "Sunday"),
                ("2025-04-21", "Easter Monday (Ostermontag)"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert!(x.moved_extended.is_empty());
        let x = compute(d("2025-11-25"), CalendarCode::De, &[]).unwrap();
        assert_eq!(x.moved[2].reason, "Saturday");
        let x = compute(d("2027-11-25"), CalendarCode::De, &[]).unwrap();
        assert_eq!(x.moved[0].reason, "Saturday, Christmas Day (1. Weihnachtstag)");
    }

    #[test]
    fn extension_is_three_months_from_receipt_not_deadline_plus_two() {
        // 31 Jan 2025: +1 → 28 Feb, then +2 would give 28 Apr; +3 gives 30 Apr.
        let x = compute(d("2025-01-31"), CalendarCode::De, &[]).unwrap();
        assert_eq!(x.raw_extended, d("2025-04-30"));
        assert_ne!(x.raw.checked_add_months(Months::new(2)), Some(x.raw_extended));
    }

    #[test]
    fn extra_days_move_deadlines() {
        let extra = [ExtraDay { date: d("2025-04-15"), name: Some("Betriebsausflug".into()) }];
        let x = compute(d("2025-03-15"), CalendarCode::DeBe, &extra).unwrap();
        assert_eq!(x.deadline, d("2025-04-16"));
        assert_eq!(x.moved, [MovedDay { date: d("2025-04-15"), reason: "Betriebsausflug".into() }]);
        let unnamed = [ExtraDay { date: d("2025-04-15"), name: None }];
        let x = compute(d("2025-03-15"), CalendarCode::DeBe, &unnamed).unwrap();
        assert_eq!(x.moved[0].reason, "extra holiday (dsr.toml)");
        assert!(!is_working_day(d("2025-04-15"), CalendarCode::De, &unnamed));
        assert!(is_working_day(d("2025-04-15"), CalendarCode::De, &[]));
    }

    #[test]
    fn add_months_and_days_rolled() {
        assert_eq!(add_months_rolled(d("2025-05-09"), 1, CalendarCode::De, &[]), Ok(d("2025-06-10")));
        assert_eq!(add_months_rolled(d("2025-01-31"), 3, CalendarCode::De, &[]), Ok(d("2025-04-30")));
        // 14 days from Fri 5 Dec 2025 → Fri 19 Dec; from Thu 11 Dec → Thu 25 Dec → Mon 29 Dec.
        assert_eq!(add_days_rolled(d("2025-12-05"), 14, CalendarCode::De, &[]), Ok(d("2025-12-19")));
        assert_eq!(add_days_rolled(d("2025-12-11"), 14, CalendarCode::De, &[]), Ok(d("2025-12-29")));
        assert_eq!(add_days_rolled(d("2025-12-11"), 0, CalendarCode::De, &[]), Ok(d("2025-12-11")));
        let e = add_days_rolled(NaiveDate::MAX, 1, CalendarCode::De, &[]).unwrap_err();
        assert!(e.to_string().ends_with("is out of the supported date range"), "{e}");
        assert!(compute(NaiveDate::MAX, CalendarCode::Ie, &[]).is_err());
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn receipt_readings() {
        let de = CalendarCode::De;
        // Tue 2025-06-03 10:00 Berlin (08:00 UTC): both readings that day.
        assert_eq!(receipt_dates(utc("2025-06-03T08:00:00Z"), de, &[]), Ok((d("2025-06-03"), d("2025-06-03"))));
        // 17:59 Berlin (CEST, UTC+2) still counts; 18:00 does not.
        assert_eq!(receipt_dates(utc("2025-06-03T15:59:59Z"), de, &[]), Ok((d("2025-06-03"), d("2025-06-03"))));
        assert_eq!(receipt_dates(utc("2025-06-03T16:00:00Z"), de, &[]), Ok((d("2025-06-03"), d("2025-06-04"))));
        // 23:30 UTC on Mon 2025-01-06 is already Tue 00:30 in Berlin (CET).
        assert_eq!(receipt_dates(utc("2025-01-06T23:30:00Z"), de, &[]), Ok((d("2025-01-07"), d("2025-01-07"))));
        // Friday evening → Monday; Saturday → Monday.
        assert_eq!(receipt_dates(utc("2025-06-06T19:00:00Z"), de, &[]), Ok((d("2025-06-06"), d("2025-06-10"))));
        assert_eq!(receipt_dates(utc("2025-06-07T09:00:00Z"), de, &[]), Ok((d("2025-06-07"), d("2025-06-10"))));
        // Dublin is UTC+1 in summer: 17:30 UTC is 18:30 local → next working day.
        let ie = CalendarCode::Ie;
        assert_eq!(receipt_dates(utc("2025-05-30T17:30:00Z"), ie, &[]), Ok((d("2025-05-30"), d("2025-06-03"))));
        assert_eq!(receipt_dates(utc("2025-12-01T17:30:00Z"), ie, &[]), Ok((d("2025-12-01"), d("2025-12-01"))));
        // Holiday in Bavaria but not in Berlin.
        let epiphany = utc("2025-01-06T09:00:00Z");
        assert_eq!(receipt_dates(epiphany, CalendarCode::DeBy, &[]), Ok((d("2025-01-06"), d("2025-01-07"))));
        assert_eq!(receipt_dates(epiphany, CalendarCode::DeBe, &[]), Ok((d("2025-01-06"), d("2025-01-06"))));
    }

    #[test]
    fn deadlines_serialize_with_iso_dates() {
        let x = compute(d("2025-05-09"), CalendarCode::DeNw, &[]).unwrap();
        let v = serde_json::to_value(&x).unwrap();
        assert_eq!(v["received"], "2025-05-09");
        assert_eq!(v["calendar"], "DE-NW");
        assert_eq!(v["deadline"], "2025-06-10");
        assert_eq!(v["moved"][0]["date"], "2025-06-09");
        assert_eq!(v["moved"][0]["reason"], "Whit Monday (Pfingstmontag)");
        assert_eq!(v["extended"], "2025-08-11");
        assert_eq!(v["raw_extended"], "2025-08-09");
    }

    #[test]
    fn a_year_without_data_is_an_error_not_weekends_only() {
        // Spain's lists are written out for 2025–2027 only.
        let x = compute(d("2027-03-15"), CalendarCode::EsMd, &[]).unwrap();
        assert_eq!(x.deadline, d("2027-04-15"));
        let e = compute(d("2027-12-01"), CalendarCode::EsMd, &[]).unwrap_err();
        assert_eq!(e, Error::NoData { calendar: CalendarCode::EsMd, year: 2028, first: 2025, last: 2027 });
        assert_eq!(
            e.to_string(),
            "no holiday data for 2028 in calendar ES-MD (dsr has its holidays for 2025–2027 only)"
        );
        assert!(e.hint().is_some_and(|h| h.contains("under [[holidays]] in dsr.toml")), "{e:?}");
        assert!(e.hint().is_some_and(|h| h.contains("update dsr")), "{e:?}");
        assert!(matches!(roll_forward(d("2024-12-31"), CalendarCode::Es, &[]), Err(Error::NoData { year: 2024, .. })));
        // A calendar of rules knows every year.
        assert!(compute(d("2027-12-01"), CalendarCode::Hu, &[]).is_ok());
        // A table calendar outside Europe: the same error.
        let e = compute(d("2027-12-01"), CalendarCode::Il, &[]).unwrap_err();
        assert_eq!(e.to_string(), "no holiday data for 2028 in calendar IL (dsr has its holidays for 2025–2027 only)");
        // Days of 2028 in dsr.toml make the year countable, with those days.
        let extra = [ExtraDay { date: d("2028-01-03"), name: Some("listed by the user".into()) }];
        let x = compute(d("2027-12-01"), CalendarCode::EsMd, &extra).unwrap();
        assert_eq!(x.deadline, d("2028-01-04"), "Sat 1, Sun 2, the listed Mon 3 January");
    }

    #[test]
    fn fridays_are_weekend_in_israel_and_qatar() {
        // Received 16 December 2025: the month ends on Friday 16 January
        // 2026, weekend in Israel; Saturday and Sunday stay non-working days
        // for the count (Reg. 1182/71), so the deadline is Monday 19.
        let x = compute(d("2025-12-16"), CalendarCode::Il, &[]).unwrap();
        assert_eq!(x.raw, d("2026-01-16"));
        assert_eq!(x.deadline, d("2026-01-19"));
        assert_eq!(x.moved[0].reason, "Friday (weekend in Israel)");
        let q = compute(d("2025-12-16"), CalendarCode::Qa, &[]).unwrap();
        assert_eq!(q.deadline, d("2026-01-19"));
        // Elsewhere a Friday is a working day.
        assert_eq!(compute(d("2025-12-16"), CalendarCode::Sg, &[]).unwrap().deadline, d("2026-01-16"));
    }

    #[test]
    fn spanish_regional_days_move_a_deadline() {
        // 2 May 2025 is the Community of Madrid's day, not Catalonia's; 11
        // September Catalonia's (La Diada).
        assert_eq!(compute(d("2025-04-02"), CalendarCode::EsMd, &[]).unwrap().deadline, d("2025-05-05"));
        assert_eq!(compute(d("2025-04-02"), CalendarCode::EsCt, &[]).unwrap().deadline, d("2025-05-02"));
        assert_eq!(compute(d("2025-08-11"), CalendarCode::EsCt, &[]).unwrap().deadline, d("2025-09-12"));
        assert_eq!(compute(d("2025-08-11"), CalendarCode::EsMd, &[]).unwrap().deadline, d("2025-09-11"));
    }

    #[test]
    fn united_states_observed_days() {
        // 4 July 2026 is a Saturday, observed on Friday 3 July; 1 January
        // 2028 a Saturday, observed on Friday 31 December 2027.
        assert_eq!(compute(d("2026-06-03"), CalendarCode::Us, &[]).unwrap().deadline, d("2026-07-06"));
        assert_eq!(compute(d("2026-06-02"), CalendarCode::Us, &[]).unwrap().deadline, d("2026-07-02"));
        let new_year = roll_forward(d("2027-12-31"), CalendarCode::Us, &[]).unwrap();
        assert_eq!(new_year.date, d("2028-01-03"));
        assert_eq!(new_year.moved[0].reason, "New Year's Day (observed)");
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1990i32..=2100, 1u32..=366).prop_map(|(y, ord)| {
            NaiveDate::from_yo_opt(y, ord).unwrap_or_else(|| NaiveDate::from_yo_opt(y, 365).unwrap())
        })
    }

    fn any_calendar() -> impl Strategy<Value = CalendarCode> {
        (0..CalendarCode::ALL.len()).prop_map(|i| CalendarCode::ALL[i])
    }

    /// The last day of `date`'s month shifted by `months`, computed without
    /// chrono's month arithmetic.
    fn clamp_independently(received: NaiveDate, months: u32) -> NaiveDate {
        let index = received.year() * 12 + i32::try_from(received.month0() + months).unwrap();
        let (y, m) = (index.div_euclid(12), u32::try_from(index.rem_euclid(12)).unwrap() + 1);
        (received.day()..=received.day())
            .chain((28..received.day()).rev())
            .find_map(|day| NaiveDate::from_ymd_opt(y, m, day))
            .unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn deadlines_hold_their_invariants(received in any_date(), calendar in any_calendar()) {
            let x = match compute(received, calendar, &[]) {
                Err(Error::NoData { year, first, last, .. }) => {
                    prop_assert!(!(first..=last).contains(&year));
                    return Ok(());
                }
                other => other.unwrap(),
            };
            // Raw dates: same day number (or the month's last day), 1 and 3
            // months on, each counted from receipt.
            prop_assert_eq!(x.raw, clamp_independently(received, 1));
            prop_assert_eq!(x.raw_extended, clamp_independently(received, 3));
            if received.day() <= 28 {
                prop_assert_eq!(x.raw.day(), received.day());
                prop_assert_eq!(x.raw_extended.day(), received.day());
            }
            for (raw, end, moved) in [(x.raw, x.deadline, &x.moved), (x.raw_extended, x.extended, &x.moved_extended)] {
                prop_assert!(end >= raw);
                prop_assert!(is_working_day(end, calendar, &[]));
                prop_assert!(!matches!(end.weekday(), Weekday::Sat | Weekday::Sun));
                prop_assert!(calendar.holidays_on(end).is_empty());
                // Rolled to the *first* working day: every skipped day is
                // listed, in order, and is not a working day.
                let skipped: Vec<NaiveDate> = raw.iter_days().take_while(|&day| day < end).collect();
                prop_assert_eq!(moved.iter().map(|m| m.date).collect::<Vec<_>>(), skipped);
                prop_assert!(moved.iter().all(|m| !is_working_day(m.date, calendar, &[])));
                // At most six days in Europe: Christmas Eve to St
                // Stephen's Day on a Wednesday to Friday, then the weekend
                // (Lithuania, Poland, Sweden, Finland), five; Latvia in
                // 2024, Saturday 21 December to Thursday 26 with 23
                // December off by decree, six. Outside Europe the
                // Chinese New Year (nine days with the weekends), Russia's
                // New Year holidays (eleven) and the Gulf's Eid days are longer.
                let bound = if calendar.data_years().is_some() && !calendar.code().starts_with("ES") { 11 } else { 6 };
                prop_assert!((end - raw).num_days() <= bound, "{} rolled {} days", raw, (end - raw).num_days());
            }
            prop_assert!(x.extended > x.deadline);
        }

        #[test]
        fn extra_days_are_skipped_too(
            received in any_date(), calendar in any_calendar(), offsets in proptest::collection::vec(25u64..40, 0..6)
        ) {
            let extra: Vec<ExtraDay> = offsets
                .iter()
                .map(|&n| ExtraDay { date: received + Days::new(n), name: None })
                .collect();
            let x = match compute(received, calendar, &extra) {
                Err(Error::NoData { year, first, last, .. }) => {
                    prop_assert!(!(first..=last).contains(&year));
                    return Ok(());
                }
                other => other.unwrap(),
            };
            // Days listed for a year the calendar has no data for make that
            // year countable; without them it is still an error.
            let Ok(plain) = compute(received, calendar, &[]) else { return Ok(()) };
            prop_assert!(x.deadline >= plain.deadline);
            prop_assert!(is_working_day(x.deadline, calendar, &extra));
            let skipped: Vec<NaiveDate> = x.raw.iter_days().take_while(|&day| day < x.deadline).collect();
            prop_assert_eq!(x.moved.iter().map(|m| m.date).collect::<Vec<_>>(), skipped);
            prop_assert_eq!(add_months_rolled(received, 1, calendar, &extra), Ok(x.deadline));
            prop_assert_eq!(add_months_rolled(received, 3, calendar, &extra), Ok(x.extended));
        }

        #[test]
        fn receipt_later_reading_is_a_working_day_not_before_the_first(
            secs in 631_152_000i64..4_133_980_799, calendar in any_calendar()
        ) {
            let at = DateTime::from_timestamp(secs, 0).unwrap();
            let (first, later) = match receipt_dates(at, calendar, &[]) {
                Err(Error::NoData { year, first, last, .. }) => {
                    prop_assert!(!(first..=last).contains(&year));
                    return Ok(());
                }
                other => other.unwrap(),
            };
            prop_assert!(later >= first);
            // Friday before Christmas in Lithuania or Poland: the weekend, then
            // 24–26 December (six days); Russia's New Year holidays, twelve.
            let bound = if calendar.data_years().is_some() { 12 } else { 6 };
            prop_assert!((later - first).num_days() <= bound);
            prop_assert!(is_working_day(later, calendar, &[]));
            prop_assert_eq!(first, at.with_timezone(&calendar.time_zone()).date_naive());
        }
    }
}
