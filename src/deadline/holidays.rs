//! Public holidays of Germany, its 16 Länder, the municipal calendars of
//! Bavaria, Saxony and Thuringia, Ireland and Austria, computed for any year
//! from dated rules.
//!
//! Reg. 1182/71 Art. 2(1) counts as holidays "all days designated as such in
//! the Member State … in which action is to be taken"; the Member States
//! transmit their lists to the Commission, which publishes them in the Official
//! Journal. dsr uses the statutory lists those notifications rest on (below); a
//! current OJ list could not be consulted while writing this.
//!
//! A Land's calendar (`DE-BY`) has the days that are holidays throughout the
//! Land. Some days are holidays only in some municipalities, and the period
//! follows the controller's seat, so those have calendars of their own, each
//! the Land's calendar plus the municipal days:
//!
//! | code | extra days | where (statute) |
//! |---|---|---|
//! | `DE-BY-KATH` | Mariä Himmelfahrt, 15 Aug | Bavarian municipalities with a predominantly Catholic population, Munich among them (Art. 1(1) no. 2 Bavarian Feiertagsgesetz; the list is the Bavarian statistics office's) |
//! | `DE-BY-AUGSBURG` | 15 Aug and the Augsburger Hohes Friedensfest, 8 Aug | the city of Augsburg (Art. 1(2) FTG) |
//! | `DE-SN-KATH` | Fronleichnam | Catholic Sorbian municipalities in the Bautzen district (Saxon Fronleichnam regulation) |
//! | `DE-TH-KATH` | Fronleichnam | predominantly Catholic municipalities of Thuringia, mostly in the Eichsfeld (§ 2(2) ThürFtG) |
//!
//! Which municipality is which is not modelled: the importer picks
//! `DE-BY-KATH` for Munich and `DE-BY-AUGSBURG` for Augsburg from the postal
//! address, and a user whose controller sits elsewhere in such a municipality
//! names the calendar (`calendar = "DE-BY-KATH"`, `--calendar`).
//!
//! # Germany
//!
//! Nationwide (Art. 2 Einigungsvertrag for 3 October; the Länder holiday acts
//! for the rest): New Year's Day, Good Friday, Easter Monday, 1 May,
//! Ascension Day, Whit Monday, 3 October, 25 and 26 December. Reformationstag
//! 2017 (500 years of the Reformation) was a one-off holiday in every Land.
//! Buß- und Bettag was a holiday everywhere until 1994 and was abolished from
//! 1995 except in Saxony (to fund the long-term care insurance).
//!
//! | holiday | where | since / only |
//! |---|---|---|
//! | Heilige Drei Könige, 6 Jan | BW, BY, ST | |
//! | Internationaler Frauentag, 8 Mar | BE; MV | BE 2019, MV 2023 |
//! | Tag der Befreiung, 8 May | BE | 2020 and 2025 only |
//! | Jahrestag des Volksaufstandes, 17 Jun | BE | 2028 only (a Saturday) |
//! | Fronleichnam, Easter + 60 | BW, BY, HE, NW, RP, SL; SN-KATH, TH-KATH | |
//! | Augsburger Hohes Friedensfest, 8 Aug | BY-AUGSBURG | |
//! | Mariä Himmelfahrt, 15 Aug | SL; BY-KATH, BY-AUGSBURG | |
//! | Weltkindertag, 20 Sep | TH | 2019 |
//! | Reformationstag, 31 Oct | BB, MV, SN, ST, TH; HB, HH, NI, SH | northern four 2018 |
//! | Allerheiligen, 1 Nov | BW, BY, NW, RP, SL | |
//! | Buß- und Bettag, Wednesday before 23 Nov | SN (all Länder until 1994) | |
//!
//! Easter Sunday and Whit Sunday (statutory in Brandenburg) are Sundays anyway
//! and are not listed. Sources: the Länder holiday acts (Feiertagsgesetze);
//! the changes since 2017 as reported on their adoption (Berlin 2019: Frauentag and 8 May
//! 2020; Thuringia 2019: Weltkindertag; the northern Länder 2018:
//! Reformationstag; Mecklenburg-Vorpommern, June 2022: Frauentag from 2023;
//! Berlin, July 2024: 8 May 2025 and 17 June 2028, berlin.de). The tests
//! compare 2025–2030 with a table written from published lists, and the table
//! was checked against the python-holidays project (0.109). Years before 1991
//! are not modelled historically: the rules above are applied as written.
//!
//! # Ireland
//!
//! Organisation of Working Time Act 1997, Schedule 2, as amended: New Year's
//! Day, St Brigid's Day (first Monday in February, or 1 February when that is
//! a Friday; from 2023), St Patrick's Day (17 Mar), Easter Monday, the first
//! Mondays of May (from 1994, S.I. No. 91/1993), June and August, the last
//! Monday of October, Christmas Day and St Stephen's Day; plus the one-off
//! 18 March 2022 (COVID-19 remembrance).
//!
//! **No substitute days.** A public holiday that falls on a weekend does not
//! move in Irish law: the Act gives the employee a day off within a month, an
//! extra day of leave or a day's pay instead, and the following Monday is at
//! most a bank holiday, not a public holiday (Citizens Information, "Public
//! holidays"; Workplace Relations Commission guide). Reg. 1182/71 counts the
//! designated days, so dsr counts the statutory date only; a user who wants the
//! customary day off too can add it as an extra day in `dsr.toml`.
//!
//! # Austria
//!
//! Feiertagsruhegesetz 1957 § 1(2), as amended: New Year's Day, Epiphany,
//! Easter Monday, 1 May (Staatsfeiertag), Ascension Day, Whit Monday, Corpus
//! Christi, Assumption Day, 26 October (Nationalfeiertag), All Saints' Day,
//! 8 December, 25 and 26 December. Good Friday was a holiday for members of
//! the Protestant and Old Catholic churches only and has been none since
//! 2019; the Länder's patron saints' days (St Leopold, 15 November, in Vienna
//! and Lower Austria) are school and office days off, not public holidays.
//! The rules are applied to every year as written. Checked against
//! python-holidays 0.109 (`Austria`, category `public`) for 2025-2030.

use super::CalendarCode;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// One public holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The day.
    pub date: NaiveDate,
    /// English name, with the German name in brackets for German holidays:
    /// `Whit Monday (Pfingstmontag)`.
    pub name: &'static str,
}

/// How a holiday's date is found in a given year.
#[derive(Debug, Clone, Copy)]
enum Day {
    /// The same month and day every year.
    Fixed(u32, u32),
    /// Days after (or before, if negative) Easter Sunday.
    Easter(i64),
    /// The `n`th (1-based) Monday of a month.
    NthMonday(u32, u32),
    /// The last Monday of a month.
    LastMonday(u32),
    /// Germany: the Wednesday before 23 November.
    BussUndBettag,
    /// Ireland: the first Monday in February, or 1 February when it is a Friday.
    StBrigid,
}

/// Which calendars a rule applies to.
#[derive(Debug, Clone, Copy)]
enum Where {
    /// Every German calendar, `DE` included.
    Germany,
    /// Only these calendars.
    Only(&'static [CalendarCode]),
}

/// A dated rule: a holiday, where it applies and in which years.
#[derive(Debug, Clone, Copy)]
struct Rule {
    name: &'static str,
    day: Day,
    place: Where,
    from: i32,
    until: i32,
}

const ALWAYS: (i32, i32) = (i32::MIN, i32::MAX);

const fn rule(name: &'static str, day: Day, place: Where, years: (i32, i32)) -> Rule {
    Rule { name, day, place, from: years.0, until: years.1 }
}

use CalendarCode::{
    DeBb, DeBe, DeBw, DeBy, DeByAugsburg, DeByKath, DeHb, DeHe, DeHh, DeMv, DeNi, DeNw, DeRp, DeSh, DeSl, DeSn,
    DeSnKath, DeSt, DeTh, DeThKath,
};

/// Germany's rules; see the module docs for the sources.
const GERMANY: &[Rule] = &[
    rule("New Year's Day (Neujahr)", Day::Fixed(1, 1), Where::Germany, ALWAYS),
    rule("Epiphany (Heilige Drei Könige)", Day::Fixed(1, 6), Where::Only(&[DeBw, DeBy, DeSt]), ALWAYS),
    rule(
        "International Women's Day (Internationaler Frauentag)",
        Day::Fixed(3, 8),
        Where::Only(&[DeBe]),
        (2019, i32::MAX),
    ),
    rule(
        "International Women's Day (Internationaler Frauentag)",
        Day::Fixed(3, 8),
        Where::Only(&[DeMv]),
        (2023, i32::MAX),
    ),
    rule("Good Friday (Karfreitag)", Day::Easter(-2), Where::Germany, ALWAYS),
    rule("Easter Monday (Ostermontag)", Day::Easter(1), Where::Germany, ALWAYS),
    rule("Labour Day (Tag der Arbeit)", Day::Fixed(5, 1), Where::Germany, ALWAYS),
    rule("Day of Liberation (Tag der Befreiung)", Day::Fixed(5, 8), Where::Only(&[DeBe]), (2020, 2020)),
    rule("Day of Liberation (Tag der Befreiung)", Day::Fixed(5, 8), Where::Only(&[DeBe]), (2025, 2025)),
    rule("Ascension Day (Christi Himmelfahrt)", Day::Easter(39), Where::Germany, ALWAYS),
    rule("Whit Monday (Pfingstmontag)", Day::Easter(50), Where::Germany, ALWAYS),
    rule(
        "75th anniversary of the 1953 uprising (Jahrestag des Volksaufstandes)",
        Day::Fixed(6, 17),
        Where::Only(&[DeBe]),
        (2028, 2028),
    ),
    rule(
        "Corpus Christi (Fronleichnam)",
        Day::Easter(60),
        Where::Only(&[DeBw, DeBy, DeHe, DeNw, DeRp, DeSl, DeSnKath, DeThKath]),
        ALWAYS,
    ),
    rule(
        "Augsburg Peace Festival (Augsburger Hohes Friedensfest)",
        Day::Fixed(8, 8),
        Where::Only(&[DeByAugsburg]),
        ALWAYS,
    ),
    rule("Assumption Day (Mariä Himmelfahrt)", Day::Fixed(8, 15), Where::Only(&[DeSl, DeByKath, DeByAugsburg]), ALWAYS),
    rule("World Children's Day (Weltkindertag)", Day::Fixed(9, 20), Where::Only(&[DeTh]), (2019, i32::MAX)),
    rule("German Unity Day (Tag der Deutschen Einheit)", Day::Fixed(10, 3), Where::Germany, ALWAYS),
    rule("Reformation Day (Reformationstag)", Day::Fixed(10, 31), Where::Only(&[DeBb, DeMv, DeSn, DeSt, DeTh]), ALWAYS),
    rule(
        "Reformation Day (Reformationstag)",
        Day::Fixed(10, 31),
        Where::Only(&[DeHb, DeHh, DeNi, DeSh]),
        (2018, i32::MAX),
    ),
    rule("Reformation Day (Reformationstag)", Day::Fixed(10, 31), Where::Germany, (2017, 2017)),
    rule("All Saints' Day (Allerheiligen)", Day::Fixed(11, 1), Where::Only(&[DeBw, DeBy, DeNw, DeRp, DeSl]), ALWAYS),
    rule("Day of Repentance and Prayer (Buß- und Bettag)", Day::BussUndBettag, Where::Only(&[DeSn]), ALWAYS),
    rule("Day of Repentance and Prayer (Buß- und Bettag)", Day::BussUndBettag, Where::Germany, (i32::MIN, 1994)),
    rule("Christmas Day (1. Weihnachtstag)", Day::Fixed(12, 25), Where::Germany, ALWAYS),
    rule("Second Day of Christmas (2. Weihnachtstag)", Day::Fixed(12, 26), Where::Germany, ALWAYS),
];

const IE: &[CalendarCode] = &[CalendarCode::Ie];

/// Ireland's rules; see the module docs for the sources.
const IRELAND: &[Rule] = &[
    rule("New Year's Day", Day::Fixed(1, 1), Where::Only(IE), ALWAYS),
    rule("St Brigid's Day", Day::StBrigid, Where::Only(IE), (2023, i32::MAX)),
    rule("St Patrick's Day", Day::Fixed(3, 17), Where::Only(IE), ALWAYS),
    rule("COVID-19 remembrance public holiday", Day::Fixed(3, 18), Where::Only(IE), (2022, 2022)),
    rule("Easter Monday", Day::Easter(1), Where::Only(IE), ALWAYS),
    rule("May Bank Holiday", Day::NthMonday(5, 1), Where::Only(IE), (1994, i32::MAX)),
    rule("June Bank Holiday", Day::NthMonday(6, 1), Where::Only(IE), ALWAYS),
    rule("August Bank Holiday", Day::NthMonday(8, 1), Where::Only(IE), ALWAYS),
    rule("October Bank Holiday", Day::LastMonday(10), Where::Only(IE), ALWAYS),
    rule("Christmas Day", Day::Fixed(12, 25), Where::Only(IE), ALWAYS),
    rule("St Stephen's Day", Day::Fixed(12, 26), Where::Only(IE), ALWAYS),
];

const AT: &[CalendarCode] = &[CalendarCode::At];

/// Austria's rules; see the module docs for the source.
const AUSTRIA: &[Rule] = &[
    rule("New Year's Day (Neujahr)", Day::Fixed(1, 1), Where::Only(AT), ALWAYS),
    rule("Epiphany (Heilige Drei Könige)", Day::Fixed(1, 6), Where::Only(AT), ALWAYS),
    rule("Easter Monday (Ostermontag)", Day::Easter(1), Where::Only(AT), ALWAYS),
    rule("Labour Day (Staatsfeiertag)", Day::Fixed(5, 1), Where::Only(AT), ALWAYS),
    rule("Ascension Day (Christi Himmelfahrt)", Day::Easter(39), Where::Only(AT), ALWAYS),
    rule("Whit Monday (Pfingstmontag)", Day::Easter(50), Where::Only(AT), ALWAYS),
    rule("Corpus Christi (Fronleichnam)", Day::Easter(60), Where::Only(AT), ALWAYS),
    rule("Assumption Day (Mariä Himmelfahrt)", Day::Fixed(8, 15), Where::Only(AT), ALWAYS),
    rule("National Day (Nationalfeiertag)", Day::Fixed(10, 26), Where::Only(AT), ALWAYS),
    rule("All Saints' Day (Allerheiligen)", Day::Fixed(11, 1), Where::Only(AT), ALWAYS),
    rule("Immaculate Conception (Mariä Empfängnis)", Day::Fixed(12, 8), Where::Only(AT), ALWAYS),
    rule("Christmas Day (Christtag)", Day::Fixed(12, 25), Where::Only(AT), ALWAYS),
    rule("St Stephen's Day (Stefanitag)", Day::Fixed(12, 26), Where::Only(AT), ALWAYS),
];

impl CalendarCode {
    /// True for Germany, its Länder and its municipal calendars.
    pub fn is_german(self) -> bool {
        !matches!(self, CalendarCode::Ie | CalendarCode::At)
    }

    /// The rules of the calendar's country.
    fn rules(self) -> &'static [Rule] {
        match self {
            CalendarCode::Ie => IRELAND,
            CalendarCode::At => AUSTRIA,
            _ => GERMANY,
        }
    }

    /// The calendar's public holidays in `year`, sorted by date. Two
    /// holidays on one day (Ascension Day on 1 May, as in 2008) are both
    /// listed. Empty for years chrono cannot represent.
    pub fn holidays(self, year: i32) -> Vec<Holiday> {
        self.holidays_cached(year).to_vec()
    }

    /// The holidays on `date` (usually none or one).
    pub fn holidays_on(self, date: NaiveDate) -> Vec<Holiday> {
        self.holidays_cached(date.year()).iter().filter(|h| h.date == date).cloned().collect()
    }

    /// True if `date` is a public holiday of the calendar.
    pub fn is_holiday(self, date: NaiveDate) -> bool {
        self.holidays_cached(date.year()).iter().any(|h| h.date == date)
    }

    /// [`CalendarCode::holidays`], computed once per calendar and year:
    /// counting a deadline checks many days, and `dsr status` counts
    /// deadlines for every case.
    fn holidays_cached(self, year: i32) -> Arc<[Holiday]> {
        /// Entries kept at most; beyond that the memo starts afresh.
        const MAX_ENTRIES: usize = 4096;
        type Memo = Mutex<HashMap<(CalendarCode, i32), Arc<[Holiday]>>>;
        static MEMO: OnceLock<Memo> = OnceLock::new();
        let memo = MEMO.get_or_init(Mutex::default);
        // A panic while holding the lock cannot leave a wrong entry behind
        // (entries are inserted whole), so a poisoned memo is still good.
        let mut memo = memo.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(h) = memo.get(&(self, year)) {
            return Arc::clone(h);
        }
        if memo.len() >= MAX_ENTRIES {
            memo.clear();
        }
        let h: Arc<[Holiday]> = self.compute_holidays(year).into();
        memo.insert((self, year), Arc::clone(&h));
        h
    }

    fn compute_holidays(self, year: i32) -> Vec<Holiday> {
        let mut out: Vec<Holiday> = Vec::new();
        for r in self.rules() {
            if year < r.from || year > r.until || !r.applies_to(self) {
                continue;
            }
            let Some(date) = r.day.date(year) else { continue };
            // One holiday granted by two rules (Reformationstag 2017 in
            // Brandenburg) is listed once.
            if !out.iter().any(|h| h.date == date && h.name == r.name) {
                out.push(Holiday { date, name: r.name });
            }
        }
        out.sort_by_key(|h| h.date);
        out
    }
}

impl Rule {
    /// A municipal calendar (`DE-BY-KATH`) has its Land's holidays and its own.
    fn applies_to(&self, c: CalendarCode) -> bool {
        match self.place {
            Where::Germany => c.is_german(),
            Where::Only(list) => list.contains(&c) || c.land().is_some_and(|land| list.contains(&land)),
        }
    }
}

impl Day {
    fn date(self, year: i32) -> Option<NaiveDate> {
        match self {
            Day::Fixed(m, d) => NaiveDate::from_ymd_opt(year, m, d),
            Day::Easter(offset) => {
                let e = easter_sunday(year)?;
                if offset >= 0 {
                    e.checked_add_days(Days::new(offset.unsigned_abs()))
                } else {
                    e.checked_sub_days(Days::new(offset.unsigned_abs()))
                }
            }
            Day::NthMonday(m, n) => NaiveDate::from_weekday_of_month_opt(year, m, Weekday::Mon, u8::try_from(n).ok()?),
            Day::LastMonday(m) => {
                let first_next = if m == 12 {
                    NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, m + 1, 1)?
                };
                let last = first_next.pred_opt()?;
                last.checked_sub_days(Days::new(u64::from(last.weekday().days_since(Weekday::Mon))))
            }
            Day::BussUndBettag => {
                // The last Wednesday on or before 22 November.
                let nov22 = NaiveDate::from_ymd_opt(year, 11, 22)?;
                nov22.checked_sub_days(Days::new(u64::from(nov22.weekday().days_since(Weekday::Wed))))
            }
            Day::StBrigid => {
                let feb1 = NaiveDate::from_ymd_opt(year, 2, 1)?;
                if feb1.weekday() == Weekday::Fri {
                    Some(feb1)
                } else {
                    NaiveDate::from_weekday_of_month_opt(year, 2, Weekday::Mon, 1)
                }
            }
        }
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian
/// algorithm, Meeus/Jones/Butcher). `None` outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every statewide public holiday, 2025–2030, written by hand from
    /// published lists (Länder holiday acts via the BMI list; berlin.de for
    /// Berlin's one-off days; gov.ie / Citizens Information for Ireland), not
    /// from the rules above; checked against python-holidays 0.109, which
    /// differs only by listing Easter Sunday and Whit Sunday for Brandenburg
    /// (Sundays, left out on purpose). `ALL` is DE and every Land. A
    /// municipal calendar (`BY-KATH`) has its Land's rows and its own; their
    /// rows agree with python-holidays 0.109's `catholic` category (`BY`,
    /// `Augsburg`, `SN`, `TH`), compared once by script. The `AT` rows are
    /// python-holidays 0.109's list for Austria (category `public`), an
    /// independent source for the statute's days.
    const TABLE: &str = "
        2025-01-01 ALL
        2025-01-06 BW BY ST
        2025-03-08 BE MV
        2025-04-18 ALL
        2025-04-21 ALL
        2025-05-01 ALL
        2025-05-08 BE
        2025-05-29 ALL
        2025-06-09 ALL
        2025-06-19 BW BY HE NW RP SL SN-KATH TH-KATH
        2025-08-08 BY-AUGSBURG
        2025-08-15 SL BY-KATH BY-AUGSBURG
        2025-09-20 TH
        2025-10-03 ALL
        2025-10-31 BB HB HH MV NI SH SN ST TH
        2025-11-01 BW BY NW RP SL
        2025-11-19 SN
        2025-12-25 ALL
        2025-12-26 ALL
        2026-01-01 ALL
        2026-01-06 BW BY ST
        2026-03-08 BE MV
        2026-04-03 ALL
        2026-04-06 ALL
        2026-05-01 ALL
        2026-05-14 ALL
        2026-05-25 ALL
        2026-06-04 BW BY HE NW RP SL SN-KATH TH-KATH
        2026-08-08 BY-AUGSBURG
        2026-08-15 SL BY-KATH BY-AUGSBURG
        2026-09-20 TH
        2026-10-03 ALL
        2026-10-31 BB HB HH MV NI SH SN ST TH
        2026-11-01 BW BY NW RP SL
        2026-11-18 SN
        2026-12-25 ALL
        2026-12-26 ALL
        2027-01-01 ALL
        2027-01-06 BW BY ST
        2027-03-08 BE MV
        2027-03-26 ALL
        2027-03-29 ALL
        2027-05-01 ALL
        2027-05-06 ALL
        2027-05-17 ALL
        2027-05-27 BW BY HE NW RP SL SN-KATH TH-KATH
        2027-08-08 BY-AUGSBURG
        2027-08-15 SL BY-KATH BY-AUGSBURG
        2027-09-20 TH
        2027-10-03 ALL
        2027-10-31 BB HB HH MV NI SH SN ST TH
        2027-11-01 BW BY NW RP SL
        2027-11-17 SN
        2027-12-25 ALL
        2027-12-26 ALL
        2028-01-01 ALL
        2028-01-06 BW BY ST
        2028-03-08 BE MV
        2028-04-14 ALL
        2028-04-17 ALL
        2028-05-01 ALL
        2028-05-25 ALL
        2028-06-05 ALL
        2028-06-17 BE
        2028-06-15 BW BY HE NW RP SL SN-KATH TH-KATH
        2028-08-08 BY-AUGSBURG
        2028-08-15 SL BY-KATH BY-AUGSBURG
        2028-09-20 TH
        2028-10-03 ALL
        2028-10-31 BB HB HH MV NI SH SN ST TH
        2028-11-01 BW BY NW RP SL
        2028-11-22 SN
        2028-12-25 ALL
        2028-12-26 ALL
        2029-01-01 ALL
        2029-01-06 BW BY ST
        2029-03-08 BE MV
        2029-03-30 ALL
        2029-04-02 ALL
        2029-05-01 ALL
        2029-05-10 ALL
        2029-05-21 ALL
        2029-05-31 BW BY HE NW RP SL SN-KATH TH-KATH
        2029-08-08 BY-AUGSBURG
        2029-08-15 SL BY-KATH BY-AUGSBURG
        2029-09-20 TH
        2029-10-03 ALL
        2029-10-31 BB HB HH MV NI SH SN ST TH
        2029-11-01 BW BY NW RP SL
        2029-11-21 SN
        2029-12-25 ALL
        2029-12-26 ALL
        2030-01-01 ALL
        2030-01-06 BW BY ST
        2030-03-08 BE MV
        2030-04-19 ALL
        2030-04-22 ALL
        2030-05-01 ALL
        2030-05-30 ALL
        2030-06-10 ALL
        2030-06-20 BW BY HE NW RP SL SN-KATH TH-KATH
        2030-08-08 BY-AUGSBURG
        2030-08-15 SL BY-KATH BY-AUGSBURG
        2030-09-20 TH
        2030-10-03 ALL
        2030-10-31 BB HB HH MV NI SH SN ST TH
        2030-11-01 BW BY NW RP SL
        2030-11-20 SN
        2030-12-25 ALL
        2030-12-26 ALL
        2025-01-01 IE
        2025-02-03 IE
        2025-03-17 IE
        2025-04-21 IE
        2025-05-05 IE
        2025-06-02 IE
        2025-08-04 IE
        2025-10-27 IE
        2025-12-25 IE
        2025-12-26 IE
        2026-01-01 IE
        2026-02-02 IE
        2026-03-17 IE
        2026-04-06 IE
        2026-05-04 IE
        2026-06-01 IE
        2026-08-03 IE
        2026-10-26 IE
        2026-12-25 IE
        2026-12-26 IE
        2027-01-01 IE
        2027-02-01 IE
        2027-03-17 IE
        2027-03-29 IE
        2027-05-03 IE
        2027-06-07 IE
        2027-08-02 IE
        2027-10-25 IE
        2027-12-25 IE
        2027-12-26 IE
        2028-01-01 IE
        2028-02-07 IE
        2028-03-17 IE
        2028-04-17 IE
        2028-05-01 IE
        2028-06-05 IE
        2028-08-07 IE
        2028-10-30 IE
        2028-12-25 IE
        2028-12-26 IE
        2029-01-01 IE
        2029-02-05 IE
        2029-03-17 IE
        2029-04-02 IE
        2029-05-07 IE
        2029-06-04 IE
        2029-08-06 IE
        2029-10-29 IE
        2029-12-25 IE
        2029-12-26 IE
        2030-01-01 IE
        2030-02-01 IE
        2030-03-17 IE
        2030-04-22 IE
        2030-05-06 IE
        2030-06-03 IE
        2030-08-05 IE
        2030-10-28 IE
        2030-12-25 IE
        2030-12-26 IE
        2025-01-01 AT
        2025-01-06 AT
        2025-04-21 AT
        2025-05-01 AT
        2025-05-29 AT
        2025-06-09 AT
        2025-06-19 AT
        2025-08-15 AT
        2025-10-26 AT
        2025-11-01 AT
        2025-12-08 AT
        2025-12-25 AT
        2025-12-26 AT
        2026-01-01 AT
        2026-01-06 AT
        2026-04-06 AT
        2026-05-01 AT
        2026-05-14 AT
        2026-05-25 AT
        2026-06-04 AT
        2026-08-15 AT
        2026-10-26 AT
        2026-11-01 AT
        2026-12-08 AT
        2026-12-25 AT
        2026-12-26 AT
        2027-01-01 AT
        2027-01-06 AT
        2027-03-29 AT
        2027-05-01 AT
        2027-05-06 AT
        2027-05-17 AT
        2027-05-27 AT
        2027-08-15 AT
        2027-10-26 AT
        2027-11-01 AT
        2027-12-08 AT
        2027-12-25 AT
        2027-12-26 AT
        2028-01-01 AT
        2028-01-06 AT
        2028-04-17 AT
        2028-05-01 AT
        2028-05-25 AT
        2028-06-05 AT
        2028-06-15 AT
        2028-08-15 AT
        2028-10-26 AT
        2028-11-01 AT
        2028-12-08 AT
        2028-12-25 AT
        2028-12-26 AT
        2029-01-01 AT
        2029-01-06 AT
        2029-04-02 AT
        2029-05-01 AT
        2029-05-10 AT
        2029-05-21 AT
        2029-05-31 AT
        2029-08-15 AT
        2029-10-26 AT
        2029-11-01 AT
        2029-12-08 AT
        2029-12-25 AT
        2029-12-26 AT
        2030-01-01 AT
        2030-01-06 AT
        2030-04-22 AT
        2030-05-01 AT
        2030-05-30 AT
        2030-06-10 AT
        2030-06-20 AT
        2030-08-15 AT
        2030-10-26 AT
        2030-11-01 AT
        2030-12-08 AT
        2030-12-25 AT
        2030-12-26 AT
    ";

    fn expected(calendar: CalendarCode, year: i32) -> Vec<NaiveDate> {
        // A municipal calendar has its Land's rows and its own.
        let own = calendar.code().strip_prefix("DE-");
        let land = calendar.land().and_then(|l| l.code().strip_prefix("DE-"));
        let mut out: Vec<NaiveDate> = TABLE
            .lines()
            .filter_map(|line| {
                let mut parts = line.split_whitespace();
                let date: NaiveDate = parts.next()?.parse().unwrap();
                let codes: Vec<&str> = parts.collect();
                let hit = codes.iter().any(|&c| match c {
                    "ALL" => calendar.is_german(),
                    "IE" => calendar == CalendarCode::Ie,
                    "AT" => calendar == CalendarCode::At,
                    place => own == Some(place) || land == Some(place),
                });
                (hit && date.year() == year).then_some(date)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_calendar_matches_the_table_2025_to_2030() {
        for calendar in CalendarCode::ALL {
            for year in 2025..=2030 {
                let got: Vec<NaiveDate> = calendar.holidays(year).iter().map(|h| h.date).collect();
                assert_eq!(got, expected(calendar, year), "{calendar} {year}");
            }
        }
    }

    #[test]
    fn the_table_is_not_trivially_shared() {
        // Sanity: the table has the expected counts per year (a typo
        // dropping a line would otherwise weaken the test above).
        let count = |c: CalendarCode| expected(c, 2026).len();
        assert_eq!(count(CalendarCode::De), 9);
        assert_eq!(count(CalendarCode::DeBy), 12);
        assert_eq!(count(CalendarCode::DeBw), 12);
        assert_eq!(count(CalendarCode::DeBe), 10);
        assert_eq!(count(CalendarCode::DeSn), 11);
        assert_eq!(count(CalendarCode::DeSl), 12);
        assert_eq!(count(CalendarCode::At), 13);
        assert_eq!(count(CalendarCode::Ie), 10);
    }

    #[test]
    fn easter_dates_from_published_tables() {
        for (y, m, d) in
            [(1990, 4, 15), (2000, 4, 23), (2008, 3, 23), (2011, 4, 24), (2019, 4, 21), (2038, 4, 25), (2100, 3, 28)]
        {
            assert_eq!(easter_sunday(y), NaiveDate::from_ymd_opt(y, m, d), "{y}");
        }
    }

    #[test]
    fn dated_rules_start_and_stop_in_the_right_year() {
        let has = |c: CalendarCode, date: &str| {
            let date: NaiveDate = date.parse().unwrap();
            c.holidays(date.year()).iter().any(|h| h.date == date)
        };
        assert!(has(CalendarCode::De, "2017-10-31"), "Reformationstag 2017 nationwide");
        assert!(has(CalendarCode::DeBy, "2017-10-31"));
        assert!(!has(CalendarCode::De, "2018-10-31"));
        assert!(!has(CalendarCode::DeHh, "2016-10-31") && has(CalendarCode::DeHh, "2018-10-31"));
        assert!(has(CalendarCode::DeBb, "2016-10-31"));
        assert!(!has(CalendarCode::DeBe, "2018-03-08") && has(CalendarCode::DeBe, "2019-03-08"));
        assert!(!has(CalendarCode::DeMv, "2022-03-08") && has(CalendarCode::DeMv, "2023-03-08"));
        assert!(!has(CalendarCode::DeTh, "2018-09-20") && has(CalendarCode::DeTh, "2019-09-20"));
        assert!(has(CalendarCode::DeBe, "2020-05-08") && !has(CalendarCode::DeBe, "2021-05-08"));
        assert!(!has(CalendarCode::DeBe, "2030-05-08"));
        assert!(has(CalendarCode::DeNw, "1994-11-16") && !has(CalendarCode::DeNw, "1995-11-22"));
        assert!(has(CalendarCode::DeSn, "1995-11-22"));
        assert!(!has(CalendarCode::DeSn, "2025-06-19"), "Fronleichnam only in some Saxon municipalities");
        assert!(!has(CalendarCode::DeTh, "2025-06-19"), "Fronleichnam only in some Thuringian municipalities");
        assert!(!has(CalendarCode::DeBy, "2025-08-15"), "Mariä Himmelfahrt only in some Bavarian municipalities");
        assert!(has(CalendarCode::DeByKath, "2025-08-15") && has(CalendarCode::DeByKath, "2025-01-06"));
        assert!(has(CalendarCode::DeByAugsburg, "2025-08-08") && !has(CalendarCode::DeByKath, "2025-08-08"));
        assert!(has(CalendarCode::DeSnKath, "2025-06-19") && has(CalendarCode::DeSnKath, "2025-11-19"));
        assert!(has(CalendarCode::DeThKath, "2025-06-19") && has(CalendarCode::DeThKath, "2025-09-20"));
        assert!(has(CalendarCode::Ie, "2022-03-18") && !has(CalendarCode::Ie, "2023-03-18"));
        assert!(!has(CalendarCode::Ie, "2022-02-07") && has(CalendarCode::Ie, "2023-02-06"));
        assert!(has(CalendarCode::Ie, "2036-02-01"), "1 Feb 2036 is a Friday");
        assert!(!has(CalendarCode::Ie, "1993-05-03") && has(CalendarCode::Ie, "1994-05-02"));
        assert!(!has(CalendarCode::Ie, "2025-04-18"), "Good Friday is no public holiday in Ireland");
    }

    #[test]
    fn no_substitute_days_in_ireland() {
        // Christmas 2027 is a Saturday, St Stephen's Day a Sunday: the
        // Monday and Tuesday after are not public holidays.
        let days: Vec<NaiveDate> = CalendarCode::Ie.holidays(2027).iter().map(|h| h.date).collect();
        assert!(!days.contains(&"2027-12-27".parse().unwrap()));
        assert!(!days.contains(&"2027-12-28".parse().unwrap()));
    }

    #[test]
    fn names_carry_english_and_german() {
        let h = CalendarCode::DeNw.holidays_on("2025-06-09".parse().unwrap());
        assert_eq!(h, vec![Holiday { date: "2025-06-09".parse().unwrap(), name: "Whit Monday (Pfingstmontag)" }]);
        // Ascension Day on 1 May (2008): both are listed.
        assert_eq!(CalendarCode::De.holidays_on("2008-05-01".parse().unwrap()).len(), 2);
        // Reformationstag 2017 in Brandenburg: two rules, one entry.
        assert_eq!(CalendarCode::DeBb.holidays_on("2017-10-31".parse().unwrap()).len(), 1);
    }

    #[test]
    fn every_land_has_the_nationwide_days() {
        for year in 1990..=2100 {
            let de = CalendarCode::De.holidays(year);
            for c in CalendarCode::ALL.into_iter().filter(|c| c.is_german()) {
                let land = c.holidays(year);
                assert!(de.iter().all(|h| land.contains(h)), "{c} {year}");
                assert!(land.windows(2).all(|w| w[0].date <= w[1].date), "{c} {year} sorted");
                assert!(land.iter().all(|h| h.date.year() == year));
            }
        }
    }
}
