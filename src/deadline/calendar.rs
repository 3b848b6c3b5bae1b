//! Public-holiday calendars, named by code (`DE`, `DE-BE`, `DE-BY-KATH`, `IE`,
//! `AT`, `FR-ALSACE-MOSELLE`, `GB-SCT`, …).
//!
//! Reg. 1182/71 Art. 3(4) moves a period's end past Saturdays, Sundays and
//! the public holidays *of the place where the act is to be performed*: for a
//! German controller the Land of its seat, for an Irish one Ireland. For the
//! UK (UK GDPR), the ICO reads "one month" the same way and moves a deadline
//! on a weekend or bank holiday to the next working day; its bank holidays
//! differ between England and Wales, Scotland and Northern Ireland.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A holiday calendar dsr knows: Germany nationwide, each of the 16 Länder,
/// the municipal calendars of Bavaria, Saxony and Thuringia (a Land's
/// holidays plus those of some of its municipalities), Ireland, Austria, the
/// three UK jurisdictions, France (and Alsace-Moselle), the Benelux, the
/// Nordic states, Italy, Poland, Lithuania, Czechia, Slovakia, Estonia,
/// Portugal, Malta, Liechtenstein, and, with the Orthodox Easter, Greece,
/// Cyprus and Romania.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CalendarCode {
    /// Germany, nationwide holidays only.
    De,
    /// Brandenburg.
    DeBb,
    /// Berlin.
    DeBe,
    /// Baden-Württemberg.
    DeBw,
    /// Bavaria (Bayern).
    DeBy,
    /// Bremen.
    DeHb,
    /// Hesse (Hessen).
    DeHe,
    /// Hamburg.
    DeHh,
    /// Mecklenburg-Vorpommern.
    DeMv,
    /// Lower Saxony (Niedersachsen).
    DeNi,
    /// North Rhine-Westphalia (Nordrhein-Westfalen).
    DeNw,
    /// Rhineland-Palatinate (Rheinland-Pfalz).
    DeRp,
    /// Schleswig-Holstein.
    DeSh,
    /// Saarland.
    DeSl,
    /// Saxony (Sachsen).
    DeSn,
    /// Saxony-Anhalt (Sachsen-Anhalt).
    DeSt,
    /// Thuringia (Thüringen).
    DeTh,
    /// Bavarian municipalities with a predominantly Catholic population,
    /// where Assumption Day (15 August) is a public holiday (Munich among them).
    DeByKath,
    /// The city of Augsburg: Bavaria, Assumption Day and the Augsburg Peace
    /// Festival (8 August).
    DeByAugsburg,
    /// Saxon municipalities where Corpus Christi is a public holiday
    /// (Catholic Sorbian municipalities in the Bautzen district).
    DeSnKath,
    /// Thuringian municipalities where Corpus Christi is a public holiday
    /// (predominantly Catholic municipalities, mostly in the Eichsfeld).
    DeThKath,
    /// Ireland.
    Ie,
    /// Austria (Österreich).
    At,
    /// United Kingdom: England and Wales (bank holidays).
    GbEaw,
    /// United Kingdom: Scotland (bank holidays).
    GbSct,
    /// United Kingdom: Northern Ireland (bank holidays).
    GbNir,
    /// France (metropolitan, without Alsace-Moselle).
    Fr,
    /// France: the départements Bas-Rhin, Haut-Rhin and Moselle (also Good Friday and 26 December).
    FrAlsaceMoselle,
    /// The Netherlands.
    Nl,
    /// Belgium.
    Be,
    /// Luxembourg.
    Lu,
    /// Sweden.
    Se,
    /// Denmark.
    Dk,
    /// Finland.
    Fi,
    /// Italy (national holidays; a town's patron saint's day is not included).
    It,
    /// Poland.
    Pl,
    /// Lithuania.
    Lt,
    /// Czechia.
    Cz,
    /// Estonia.
    Ee,
    /// Liechtenstein (EEA).
    Li,
    /// Malta.
    Mt,
    /// Norway (EEA).
    No,
    /// Portugal (national holidays; a municipality's holiday is not included).
    Pt,
    /// Slovakia.
    Sk,
    /// Greece.
    Gr,
    /// Cyprus (the Republic's holidays).
    Cy,
    /// Romania.
    Ro,
}

impl CalendarCode {
    /// Every known calendar, in the order `dsr deadline` lists them.
    pub const ALL: [CalendarCode; 47] = [
        CalendarCode::De,
        CalendarCode::DeBb,
        CalendarCode::DeBe,
        CalendarCode::DeBw,
        CalendarCode::DeBy,
        CalendarCode::DeHb,
        CalendarCode::DeHe,
        CalendarCode::DeHh,
        CalendarCode::DeMv,
        CalendarCode::DeNi,
        CalendarCode::DeNw,
        CalendarCode::DeRp,
        CalendarCode::DeSh,
        CalendarCode::DeSl,
        CalendarCode::DeSn,
        CalendarCode::DeSt,
        CalendarCode::DeTh,
        CalendarCode::DeByKath,
        CalendarCode::DeByAugsburg,
        CalendarCode::DeSnKath,
        CalendarCode::DeThKath,
        CalendarCode::Ie,
        CalendarCode::At,
        CalendarCode::GbEaw,
        CalendarCode::GbSct,
        CalendarCode::GbNir,
        CalendarCode::Fr,
        CalendarCode::FrAlsaceMoselle,
        CalendarCode::Nl,
        CalendarCode::Be,
        CalendarCode::Lu,
        CalendarCode::Se,
        CalendarCode::Dk,
        CalendarCode::Fi,
        CalendarCode::It,
        CalendarCode::Pl,
        CalendarCode::Lt,
        CalendarCode::Cz,
        CalendarCode::Ee,
        CalendarCode::Li,
        CalendarCode::Mt,
        CalendarCode::No,
        CalendarCode::Pt,
        CalendarCode::Sk,
        CalendarCode::Gr,
        CalendarCode::Cy,
        CalendarCode::Ro,
    ];

    /// The code as written in files and on the command line (`DE-BE`).
    pub fn code(self) -> &'static str {
        match self {
            CalendarCode::De => "DE",
            CalendarCode::DeBb => "DE-BB",
            CalendarCode::DeBe => "DE-BE",
            CalendarCode::DeBw => "DE-BW",
            CalendarCode::DeBy => "DE-BY",
            CalendarCode::DeHb => "DE-HB",
            CalendarCode::DeHe => "DE-HE",
            CalendarCode::DeHh => "DE-HH",
            CalendarCode::DeMv => "DE-MV",
            CalendarCode::DeNi => "DE-NI",
            CalendarCode::DeNw => "DE-NW",
            CalendarCode::DeRp => "DE-RP",
            CalendarCode::DeSh => "DE-SH",
            CalendarCode::DeSl => "DE-SL",
            CalendarCode::DeSn => "DE-SN",
            CalendarCode::DeSt => "DE-ST",
            CalendarCode::DeTh => "DE-TH",
            CalendarCode::DeByKath => "DE-BY-KATH",
            CalendarCode::DeByAugsburg => "DE-BY-AUGSBURG",
            CalendarCode::DeSnKath => "DE-SN-KATH",
            CalendarCode::DeThKath => "DE-TH-KATH",
            CalendarCode::Ie => "IE",
            CalendarCode::At => "AT",
            CalendarCode::GbEaw => "GB-EAW",
            CalendarCode::GbSct => "GB-SCT",
            CalendarCode::GbNir => "GB-NIR",
            CalendarCode::Fr => "FR",
            CalendarCode::FrAlsaceMoselle => "FR-ALSACE-MOSELLE",
            CalendarCode::Nl => "NL",
            CalendarCode::Be => "BE",
            CalendarCode::Lu => "LU",
            CalendarCode::Se => "SE",
            CalendarCode::Dk => "DK",
            CalendarCode::Fi => "FI",
            CalendarCode::It => "IT",
            CalendarCode::Pl => "PL",
            CalendarCode::Lt => "LT",
            CalendarCode::Cz => "CZ",
            CalendarCode::Ee => "EE",
            CalendarCode::Li => "LI",
            CalendarCode::Mt => "MT",
            CalendarCode::No => "NO",
            CalendarCode::Pt => "PT",
            CalendarCode::Sk => "SK",
            CalendarCode::Gr => "GR",
            CalendarCode::Cy => "CY",
            CalendarCode::Ro => "RO",
        }
    }

    /// The place's name in English: `Germany, nationwide holidays`, `Berlin`, `Ireland`.
    pub fn name(self) -> &'static str {
        match self {
            CalendarCode::De => "Germany, nationwide holidays",
            CalendarCode::DeBb => "Brandenburg",
            CalendarCode::DeBe => "Berlin",
            CalendarCode::DeBw => "Baden-Württemberg",
            CalendarCode::DeBy => "Bavaria",
            CalendarCode::DeHb => "Bremen",
            CalendarCode::DeHe => "Hesse",
            CalendarCode::DeHh => "Hamburg",
            CalendarCode::DeMv => "Mecklenburg-Vorpommern",
            CalendarCode::DeNi => "Lower Saxony",
            CalendarCode::DeNw => "North Rhine-Westphalia",
            CalendarCode::DeRp => "Rhineland-Palatinate",
            CalendarCode::DeSh => "Schleswig-Holstein",
            CalendarCode::DeSl => "Saarland",
            CalendarCode::DeSn => "Saxony",
            CalendarCode::DeSt => "Saxony-Anhalt",
            CalendarCode::DeTh => "Thuringia",
            CalendarCode::DeByKath => "Bavaria, municipalities with Assumption Day",
            CalendarCode::DeByAugsburg => "Augsburg (city)",
            CalendarCode::DeSnKath => "Saxony, municipalities with Corpus Christi",
            CalendarCode::DeThKath => "Thuringia, municipalities with Corpus Christi",
            CalendarCode::Ie => "Ireland",
            CalendarCode::At => "Austria",
            CalendarCode::GbEaw => "England and Wales",
            CalendarCode::GbSct => "Scotland",
            CalendarCode::GbNir => "Northern Ireland",
            CalendarCode::Fr => "France",
            CalendarCode::FrAlsaceMoselle => "France, Alsace-Moselle",
            CalendarCode::Nl => "Netherlands",
            CalendarCode::Be => "Belgium",
            CalendarCode::Lu => "Luxembourg",
            CalendarCode::Se => "Sweden",
            CalendarCode::Dk => "Denmark",
            CalendarCode::Fi => "Finland",
            CalendarCode::It => "Italy",
            CalendarCode::Pl => "Poland",
            CalendarCode::Lt => "Lithuania",
            CalendarCode::Cz => "Czechia",
            CalendarCode::Ee => "Estonia",
            CalendarCode::Li => "Liechtenstein",
            CalendarCode::Mt => "Malta",
            CalendarCode::No => "Norway",
            CalendarCode::Pt => "Portugal",
            CalendarCode::Sk => "Slovakia",
            CalendarCode::Gr => "Greece",
            CalendarCode::Cy => "Cyprus",
            CalendarCode::Ro => "Romania",
        }
    }

    /// The IANA time zone of the calendar's place, in which receipt of an
    /// email is dated (LEGAL.md §3.6).
    pub fn time_zone(self) -> chrono_tz::Tz {
        match self {
            CalendarCode::Ie => chrono_tz::Europe::Dublin,
            CalendarCode::At => chrono_tz::Europe::Vienna,
            CalendarCode::GbEaw => chrono_tz::Europe::London,
            CalendarCode::GbSct => chrono_tz::Europe::London,
            CalendarCode::GbNir => chrono_tz::Europe::London,
            CalendarCode::Fr => chrono_tz::Europe::Paris,
            CalendarCode::FrAlsaceMoselle => chrono_tz::Europe::Paris,
            CalendarCode::Nl => chrono_tz::Europe::Amsterdam,
            CalendarCode::Be => chrono_tz::Europe::Brussels,
            CalendarCode::Lu => chrono_tz::Europe::Luxembourg,
            CalendarCode::Se => chrono_tz::Europe::Stockholm,
            CalendarCode::Dk => chrono_tz::Europe::Copenhagen,
            CalendarCode::Fi => chrono_tz::Europe::Helsinki,
            CalendarCode::It => chrono_tz::Europe::Rome,
            CalendarCode::Pl => chrono_tz::Europe::Warsaw,
            CalendarCode::Lt => chrono_tz::Europe::Vilnius,
            CalendarCode::Cz => chrono_tz::Europe::Prague,
            CalendarCode::Ee => chrono_tz::Europe::Tallinn,
            CalendarCode::Li => chrono_tz::Europe::Vaduz,
            CalendarCode::Mt => chrono_tz::Europe::Malta,
            CalendarCode::No => chrono_tz::Europe::Oslo,
            CalendarCode::Pt => chrono_tz::Europe::Lisbon,
            CalendarCode::Sk => chrono_tz::Europe::Bratislava,
            CalendarCode::Gr => chrono_tz::Europe::Athens,
            CalendarCode::Cy => chrono_tz::Asia::Nicosia,
            CalendarCode::Ro => chrono_tz::Europe::Bucharest,
            _ => chrono_tz::Europe::Berlin,
        }
    }

    /// The Land whose calendar a municipal calendar extends (`DE-BY` for
    /// `DE-BY-KATH`); `None` for a Land, Germany and Ireland.
    pub fn land(self) -> Option<CalendarCode> {
        match self {
            CalendarCode::DeByKath | CalendarCode::DeByAugsburg => Some(CalendarCode::DeBy),
            CalendarCode::DeSnKath => Some(CalendarCode::DeSn),
            CalendarCode::DeThKath => Some(CalendarCode::DeTh),
            _ => None,
        }
    }

    /// All codes joined for an error message: `DE, DE-BB, …, IE`.
    pub fn known_list() -> String {
        CalendarCode::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for CalendarCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// A calendar code dsr does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown holiday calendar '{0}', known calendars: {list}", list = CalendarCode::known_list())]
pub struct UnknownCalendar(pub String);

impl FromStr for CalendarCode {
    type Err = UnknownCalendar;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_uppercase().replace('_', "-");
        CalendarCode::ALL.into_iter().find(|c| c.code() == wanted).ok_or_else(|| UnknownCalendar(s.to_string()))
    }
}

impl Serialize for CalendarCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for CalendarCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in CalendarCode::ALL {
            assert_eq!(c.code().parse::<CalendarCode>(), Ok(c));
        }
        assert_eq!("de-be".parse::<CalendarCode>(), Ok(CalendarCode::DeBe));
        let e = "XX".parse::<CalendarCode>().unwrap_err().to_string();
        assert!(e.starts_with("unknown holiday calendar 'XX', known calendars: DE, DE-BB"), "{e}");
    }
}
