//! Public-holiday calendars, named by code (`DE`, `DE-BE`, `DE-BY-KATH`, `IE`,
//! `AT`, `FR-ALSACE-MOSELLE`, `GB-SCT`, …).
//!
//! Reg. 1182/71 Art. 3(4) moves a period's end past Saturdays, Sundays and
//! the public holidays *of the place where the act is to be performed*: for a
//! German controller the Land of its seat, for an Irish one Ireland. For the
//! UK (UK GDPR), the ICO reads "one month" the same way and moves a deadline
//! on a weekend or bank holiday to the next working day; its bank holidays
//! differ between England and Wales, Scotland and Northern Ireland. For a
//! controller outside the EU/EEA (GDPR Art. 3(2)) the period is still
//! counted under Reg. 1182/71, with the holidays of its seat (see
//! [`super::holidays`], "Outside Europe").

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A holiday calendar dsr knows: Germany nationwide, each of the 16 Länder,
/// the municipal calendars of Bavaria, Saxony and Thuringia (a Land's
/// holidays plus those of some of its municipalities), Ireland, Austria, the
/// three UK jurisdictions, France (and Alsace-Moselle), the Benelux, the
/// Nordic states, Italy, Poland, Lithuania, Czechia, Slovakia, Estonia,
/// Portugal, Malta, Liechtenstein, Hungary, Croatia, Slovenia, Latvia,
/// Iceland, Spain (national and per autonomous community), with the Orthodox
/// Easter Greece, Cyprus, Romania and Bulgaria, and outside the EEA
/// Switzerland and the United States (federal holidays) from rules, and the
/// other non-EEA seats of the imported directory (Canada and Australia with
/// their provinces and states, New Zealand with its regions, Israel,
/// Singapore, Hong Kong, China, Japan, the Gulf states, …) as tables for
/// the years written out ([`CalendarCode::data_years`]).
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
    /// Hungary (with the bridge days decreed non-working).
    Hu,
    /// Bulgaria (with the substitute and decreed non-working days).
    Bg,
    /// Croatia.
    Hr,
    /// Slovenia.
    Si,
    /// Latvia (with the transferred days decreed non-working).
    Lv,
    /// Iceland (EEA).
    Is,
    /// Spain, the national holidays only (each autonomous community has days of its own).
    Es,
    /// Spain: Andalusia (national and regional holidays).
    EsAn,
    /// Spain: Aragon (national and regional holidays).
    EsAr,
    /// Spain: Asturias (national and regional holidays).
    EsAs,
    /// Spain: Cantabria (national and regional holidays).
    EsCb,
    /// Spain: Ceuta (national and regional holidays).
    EsCe,
    /// Spain: Castile and León (national and regional holidays).
    EsCl,
    /// Spain: Castilla-La Mancha (national and regional holidays).
    EsCm,
    /// Spain: Canary Islands (national and regional holidays).
    EsCn,
    /// Spain: Catalonia (national and regional holidays).
    EsCt,
    /// Spain: Extremadura (national and regional holidays).
    EsEx,
    /// Spain: Galicia (national and regional holidays).
    EsGa,
    /// Spain: Balearic Islands (national and regional holidays).
    EsIb,
    /// Spain: Region of Murcia (national and regional holidays).
    EsMc,
    /// Spain: Community of Madrid (national and regional holidays).
    EsMd,
    /// Spain: Melilla (national and regional holidays).
    EsMl,
    /// Spain: Navarre (national and regional holidays).
    EsNc,
    /// Spain: Basque Country (national and regional holidays).
    EsPv,
    /// Spain: La Rioja (national and regional holidays).
    EsRi,
    /// Spain: Valencian Community (national and regional holidays).
    EsVc,
    /// United States: the federal holidays, with their observed days.
    Us,
    /// Switzerland: the nationwide days and the cantonal days observed in at least a quarter of the cantons.
    Ch,
    /// Canada: the holidays statutory in every province (a province's own days are in its calendar). Written out for 2025–2027.
    Ca,
    /// Canada: British Columbia. Written out for 2025–2027.
    CaBc,
    /// Canada: Ontario. Written out for 2025–2027.
    CaOn,
    /// Canada: Quebec. Written out for 2025–2027.
    CaQc,
    /// Australia: the national holidays (a state's own days are in its calendar). Written out for 2025–2027.
    Au,
    /// Australia: New South Wales. Written out for 2025–2027.
    AuNsw,
    /// Australia: Victoria. Written out for 2025–2027.
    AuVic,
    /// New Zealand: the national holidays (a region's anniversary day is in its calendar). Written out for 2025–2027.
    Nz,
    /// New Zealand: Auckland (with Auckland Anniversary Day). Written out for 2025–2027.
    NzAuk,
    /// New Zealand: Canterbury (with Canterbury Anniversary Day). Written out for 2025–2027.
    NzCan,
    /// New Zealand: Nelson (with Nelson Anniversary Day). Written out for 2025–2027.
    NzNsn,
    /// New Zealand: Wellington (with Wellington Anniversary Day). Written out for 2025–2027.
    NzWgn,
    /// Israel (Hebrew-calendar holidays; Fridays count as weekend). Written out for 2025–2027.
    Il,
    /// Singapore. Written out for 2025–2027.
    Sg,
    /// Hong Kong (general holidays). Written out for 2025–2027.
    Hk,
    /// China (mainland), with the State Council's days off. Written out for 2025–2027.
    Cn,
    /// Taiwan. Written out for 2025–2027.
    Tw,
    /// Japan (with the bank holidays 31 December to 3 January). Written out for 2025–2027.
    Jp,
    /// United Arab Emirates. Written out for 2025–2027.
    Ae,
    /// Qatar (Fridays count as weekend). Written out for 2025–2027.
    Qa,
    /// Morocco. Written out for 2025–2027.
    Ma,
    /// India: the holidays python-holidays lists nationwide. Written out for 2025–2027.
    In,
    /// India: Maharashtra. Written out for 2025–2027.
    InMh,
    /// Malaysia: the national holidays. Written out for 2025–2027.
    My,
    /// Malaysia: Selangor. Written out for 2025–2027.
    My10,
    /// Pakistan. Written out for 2025–2027.
    Pk,
    /// Panama. Written out for 2025–2027.
    Pa,
    /// Marshall Islands. Written out for 2025–2027.
    Mh,
    /// Seychelles. Written out for 2025–2027.
    Sc,
    /// Gibraltar. Written out for 2025–2027.
    Gi,
    /// Isle of Man. Written out for 2025–2027.
    Im,
    /// Russia (with the decreed days off). Written out for 2025–2027.
    Ru,
}

impl CalendarCode {
    /// Every known calendar, in the order `dsr deadline` lists them.
    pub const ALL: [CalendarCode; 107] = [
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
        CalendarCode::Hu,
        CalendarCode::Bg,
        CalendarCode::Hr,
        CalendarCode::Si,
        CalendarCode::Lv,
        CalendarCode::Is,
        CalendarCode::Es,
        CalendarCode::EsAn,
        CalendarCode::EsAr,
        CalendarCode::EsAs,
        CalendarCode::EsCb,
        CalendarCode::EsCe,
        CalendarCode::EsCl,
        CalendarCode::EsCm,
        CalendarCode::EsCn,
        CalendarCode::EsCt,
        CalendarCode::EsEx,
        CalendarCode::EsGa,
        CalendarCode::EsIb,
        CalendarCode::EsMc,
        CalendarCode::EsMd,
        CalendarCode::EsMl,
        CalendarCode::EsNc,
        CalendarCode::EsPv,
        CalendarCode::EsRi,
        CalendarCode::EsVc,
        CalendarCode::Us,
        CalendarCode::Ch,
        CalendarCode::Ca,
        CalendarCode::CaBc,
        CalendarCode::CaOn,
        CalendarCode::CaQc,
        CalendarCode::Au,
        CalendarCode::AuNsw,
        CalendarCode::AuVic,
        CalendarCode::Nz,
        CalendarCode::NzAuk,
        CalendarCode::NzCan,
        CalendarCode::NzNsn,
        CalendarCode::NzWgn,
        CalendarCode::Il,
        CalendarCode::Sg,
        CalendarCode::Hk,
        CalendarCode::Cn,
        CalendarCode::Tw,
        CalendarCode::Jp,
        CalendarCode::Ae,
        CalendarCode::Qa,
        CalendarCode::Ma,
        CalendarCode::In,
        CalendarCode::InMh,
        CalendarCode::My,
        CalendarCode::My10,
        CalendarCode::Pk,
        CalendarCode::Pa,
        CalendarCode::Mh,
        CalendarCode::Sc,
        CalendarCode::Gi,
        CalendarCode::Im,
        CalendarCode::Ru,
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
            CalendarCode::Hu => "HU",
            CalendarCode::Bg => "BG",
            CalendarCode::Hr => "HR",
            CalendarCode::Si => "SI",
            CalendarCode::Lv => "LV",
            CalendarCode::Is => "IS",
            CalendarCode::Es => "ES",
            CalendarCode::EsAn => "ES-AN",
            CalendarCode::EsAr => "ES-AR",
            CalendarCode::EsAs => "ES-AS",
            CalendarCode::EsCb => "ES-CB",
            CalendarCode::EsCe => "ES-CE",
            CalendarCode::EsCl => "ES-CL",
            CalendarCode::EsCm => "ES-CM",
            CalendarCode::EsCn => "ES-CN",
            CalendarCode::EsCt => "ES-CT",
            CalendarCode::EsEx => "ES-EX",
            CalendarCode::EsGa => "ES-GA",
            CalendarCode::EsIb => "ES-IB",
            CalendarCode::EsMc => "ES-MC",
            CalendarCode::EsMd => "ES-MD",
            CalendarCode::EsMl => "ES-ML",
            CalendarCode::EsNc => "ES-NC",
            CalendarCode::EsPv => "ES-PV",
            CalendarCode::EsRi => "ES-RI",
            CalendarCode::EsVc => "ES-VC",
            CalendarCode::Us => "US",
            CalendarCode::Ch => "CH",
            CalendarCode::Ca => "CA",
            CalendarCode::CaBc => "CA-BC",
            CalendarCode::CaOn => "CA-ON",
            CalendarCode::CaQc => "CA-QC",
            CalendarCode::Au => "AU",
            CalendarCode::AuNsw => "AU-NSW",
            CalendarCode::AuVic => "AU-VIC",
            CalendarCode::Nz => "NZ",
            CalendarCode::NzAuk => "NZ-AUK",
            CalendarCode::NzCan => "NZ-CAN",
            CalendarCode::NzNsn => "NZ-NSN",
            CalendarCode::NzWgn => "NZ-WGN",
            CalendarCode::Il => "IL",
            CalendarCode::Sg => "SG",
            CalendarCode::Hk => "HK",
            CalendarCode::Cn => "CN",
            CalendarCode::Tw => "TW",
            CalendarCode::Jp => "JP",
            CalendarCode::Ae => "AE",
            CalendarCode::Qa => "QA",
            CalendarCode::Ma => "MA",
            CalendarCode::In => "IN",
            CalendarCode::InMh => "IN-MH",
            CalendarCode::My => "MY",
            CalendarCode::My10 => "MY-10",
            CalendarCode::Pk => "PK",
            CalendarCode::Pa => "PA",
            CalendarCode::Mh => "MH",
            CalendarCode::Sc => "SC",
            CalendarCode::Gi => "GI",
            CalendarCode::Im => "IM",
            CalendarCode::Ru => "RU",
        }
    }

    /// The place's name in English: `Germany, nationwide holidays`, `Berlin`,
    /// `Ireland`. For what dsr shows, [`CalendarCode::display_name`] gives
    /// it in the interface language.
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
            CalendarCode::Hu => "Hungary",
            CalendarCode::Bg => "Bulgaria",
            CalendarCode::Hr => "Croatia",
            CalendarCode::Si => "Slovenia",
            CalendarCode::Lv => "Latvia",
            CalendarCode::Is => "Iceland",
            CalendarCode::Es => "Spain, national holidays",
            CalendarCode::EsAn => "Spain, Andalusia",
            CalendarCode::EsAr => "Spain, Aragon",
            CalendarCode::EsAs => "Spain, Asturias",
            CalendarCode::EsCb => "Spain, Cantabria",
            CalendarCode::EsCe => "Spain, Ceuta",
            CalendarCode::EsCl => "Spain, Castile and León",
            CalendarCode::EsCm => "Spain, Castilla-La Mancha",
            CalendarCode::EsCn => "Spain, Canary Islands",
            CalendarCode::EsCt => "Spain, Catalonia",
            CalendarCode::EsEx => "Spain, Extremadura",
            CalendarCode::EsGa => "Spain, Galicia",
            CalendarCode::EsIb => "Spain, Balearic Islands",
            CalendarCode::EsMc => "Spain, Region of Murcia",
            CalendarCode::EsMd => "Spain, Community of Madrid",
            CalendarCode::EsMl => "Spain, Melilla",
            CalendarCode::EsNc => "Spain, Navarre",
            CalendarCode::EsPv => "Spain, Basque Country",
            CalendarCode::EsRi => "Spain, La Rioja",
            CalendarCode::EsVc => "Spain, Valencian Community",
            CalendarCode::Us => "United States, federal holidays",
            CalendarCode::Ch => "Switzerland",
            CalendarCode::Ca => "Canada, federal statutory holidays",
            CalendarCode::CaBc => "Canada, British Columbia",
            CalendarCode::CaOn => "Canada, Ontario",
            CalendarCode::CaQc => "Canada, Quebec",
            CalendarCode::Au => "Australia, national holidays",
            CalendarCode::AuNsw => "Australia, New South Wales",
            CalendarCode::AuVic => "Australia, Victoria",
            CalendarCode::Nz => "New Zealand, national holidays",
            CalendarCode::NzAuk => "New Zealand, Auckland",
            CalendarCode::NzCan => "New Zealand, Canterbury",
            CalendarCode::NzNsn => "New Zealand, Nelson",
            CalendarCode::NzWgn => "New Zealand, Wellington",
            CalendarCode::Il => "Israel",
            CalendarCode::Sg => "Singapore",
            CalendarCode::Hk => "Hong Kong",
            CalendarCode::Cn => "China",
            CalendarCode::Tw => "Taiwan",
            CalendarCode::Jp => "Japan",
            CalendarCode::Ae => "United Arab Emirates",
            CalendarCode::Qa => "Qatar",
            CalendarCode::Ma => "Morocco",
            CalendarCode::In => "India, national holidays",
            CalendarCode::InMh => "India, Maharashtra",
            CalendarCode::My => "Malaysia, national holidays",
            CalendarCode::My10 => "Malaysia, Selangor",
            CalendarCode::Pk => "Pakistan",
            CalendarCode::Pa => "Panama",
            CalendarCode::Mh => "Marshall Islands",
            CalendarCode::Sc => "Seychelles",
            CalendarCode::Gi => "Gibraltar",
            CalendarCode::Im => "Isle of Man",
            CalendarCode::Ru => "Russia",
        }
    }

    /// The place's name in German: `Deutschland, bundesweite Feiertage`,
    /// `Bayern`, `England und Wales`.
    pub fn name_de(self) -> &'static str {
        match self {
            CalendarCode::De => "Deutschland, bundesweite Feiertage",
            CalendarCode::DeBb => "Brandenburg",
            CalendarCode::DeBe => "Berlin",
            CalendarCode::DeBw => "Baden-Württemberg",
            CalendarCode::DeBy => "Bayern",
            CalendarCode::DeHb => "Bremen",
            CalendarCode::DeHe => "Hessen",
            CalendarCode::DeHh => "Hamburg",
            CalendarCode::DeMv => "Mecklenburg-Vorpommern",
            CalendarCode::DeNi => "Niedersachsen",
            CalendarCode::DeNw => "Nordrhein-Westfalen",
            CalendarCode::DeRp => "Rheinland-Pfalz",
            CalendarCode::DeSh => "Schleswig-Holstein",
            CalendarCode::DeSl => "Saarland",
            CalendarCode::DeSn => "Sachsen",
            CalendarCode::DeSt => "Sachsen-Anhalt",
            CalendarCode::DeTh => "Thüringen",
            CalendarCode::DeByKath => "Bayern, Gemeinden mit Mariä Himmelfahrt",
            CalendarCode::DeByAugsburg => "Augsburg (Stadt)",
            CalendarCode::DeSnKath => "Sachsen, Gemeinden mit Fronleichnam",
            CalendarCode::DeThKath => "Thüringen, Gemeinden mit Fronleichnam",
            CalendarCode::Ie => "Irland",
            CalendarCode::At => "Österreich",
            CalendarCode::GbEaw => "England und Wales",
            CalendarCode::GbSct => "Schottland",
            CalendarCode::GbNir => "Nordirland",
            CalendarCode::Fr => "Frankreich",
            CalendarCode::FrAlsaceMoselle => "Frankreich, Elsass-Mosel",
            CalendarCode::Nl => "Niederlande",
            CalendarCode::Be => "Belgien",
            CalendarCode::Lu => "Luxemburg",
            CalendarCode::Se => "Schweden",
            CalendarCode::Dk => "Dänemark",
            CalendarCode::Fi => "Finnland",
            CalendarCode::It => "Italien",
            CalendarCode::Pl => "Polen",
            CalendarCode::Lt => "Litauen",
            CalendarCode::Cz => "Tschechien",
            CalendarCode::Ee => "Estland",
            CalendarCode::Li => "Liechtenstein",
            CalendarCode::Mt => "Malta",
            CalendarCode::No => "Norwegen",
            CalendarCode::Pt => "Portugal",
            CalendarCode::Sk => "Slowakei",
            CalendarCode::Gr => "Griechenland",
            CalendarCode::Cy => "Zypern",
            CalendarCode::Ro => "Rumänien",
            CalendarCode::Hu => "Ungarn",
            CalendarCode::Bg => "Bulgarien",
            CalendarCode::Hr => "Kroatien",
            CalendarCode::Si => "Slowenien",
            CalendarCode::Lv => "Lettland",
            CalendarCode::Is => "Island",
            CalendarCode::Es => "Spanien, landesweite Feiertage",
            CalendarCode::EsAn => "Spanien, Andalusien",
            CalendarCode::EsAr => "Spanien, Aragonien",
            CalendarCode::EsAs => "Spanien, Asturien",
            CalendarCode::EsCb => "Spanien, Kantabrien",
            CalendarCode::EsCe => "Spanien, Ceuta",
            CalendarCode::EsCl => "Spanien, Kastilien und León",
            CalendarCode::EsCm => "Spanien, Kastilien-La Mancha",
            CalendarCode::EsCn => "Spanien, Kanarische Inseln",
            CalendarCode::EsCt => "Spanien, Katalonien",
            CalendarCode::EsEx => "Spanien, Extremadura",
            CalendarCode::EsGa => "Spanien, Galicien",
            CalendarCode::EsIb => "Spanien, Balearen",
            CalendarCode::EsMc => "Spanien, Region Murcia",
            CalendarCode::EsMd => "Spanien, Autonome Gemeinschaft Madrid",
            CalendarCode::EsMl => "Spanien, Melilla",
            CalendarCode::EsNc => "Spanien, Navarra",
            CalendarCode::EsPv => "Spanien, Baskenland",
            CalendarCode::EsRi => "Spanien, La Rioja",
            CalendarCode::EsVc => "Spanien, Valencianische Gemeinschaft",
            CalendarCode::Us => "Vereinigte Staaten, Bundesfeiertage",
            CalendarCode::Ch => "Schweiz",
            CalendarCode::Ca => "Kanada, bundesweite gesetzliche Feiertage",
            CalendarCode::CaBc => "Kanada, British Columbia",
            CalendarCode::CaOn => "Kanada, Ontario",
            CalendarCode::CaQc => "Kanada, Québec",
            CalendarCode::Au => "Australien, landesweite Feiertage",
            CalendarCode::AuNsw => "Australien, New South Wales",
            CalendarCode::AuVic => "Australien, Victoria",
            CalendarCode::Nz => "Neuseeland, landesweite Feiertage",
            CalendarCode::NzAuk => "Neuseeland, Auckland",
            CalendarCode::NzCan => "Neuseeland, Canterbury",
            CalendarCode::NzNsn => "Neuseeland, Nelson",
            CalendarCode::NzWgn => "Neuseeland, Wellington",
            CalendarCode::Il => "Israel",
            CalendarCode::Sg => "Singapur",
            CalendarCode::Hk => "Hongkong",
            CalendarCode::Cn => "China",
            CalendarCode::Tw => "Taiwan",
            CalendarCode::Jp => "Japan",
            CalendarCode::Ae => "Vereinigte Arabische Emirate",
            CalendarCode::Qa => "Katar",
            CalendarCode::Ma => "Marokko",
            CalendarCode::In => "Indien, landesweite Feiertage",
            CalendarCode::InMh => "Indien, Maharashtra",
            CalendarCode::My => "Malaysia, landesweite Feiertage",
            CalendarCode::My10 => "Malaysia, Selangor",
            CalendarCode::Pk => "Pakistan",
            CalendarCode::Pa => "Panama",
            CalendarCode::Mh => "Marshallinseln",
            CalendarCode::Sc => "Seychellen",
            CalendarCode::Gi => "Gibraltar",
            CalendarCode::Im => "Isle of Man",
            CalendarCode::Ru => "Russland",
        }
    }

    /// The place's name in `lang`.
    pub fn name_in(self, lang: crate::i18n::UiLang) -> &'static str {
        match lang {
            crate::i18n::UiLang::En => self.name(),
            crate::i18n::UiLang::De => self.name_de(),
        }
    }

    /// The place's name in the interface language, for what dsr shows
    /// (`dsr deadline`'s "calendar DE-BY (Bayern)"); [`CalendarCode::name`]
    /// stays English where a name is written into a file (the importer's
    /// notes) or into JSON.
    pub fn display_name(self) -> &'static str {
        self.name_in(crate::i18n::ui())
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
            CalendarCode::Hu => chrono_tz::Europe::Budapest,
            CalendarCode::Bg => chrono_tz::Europe::Sofia,
            CalendarCode::Hr => chrono_tz::Europe::Zagreb,
            CalendarCode::Si => chrono_tz::Europe::Ljubljana,
            CalendarCode::Lv => chrono_tz::Europe::Riga,
            CalendarCode::Is => chrono_tz::Atlantic::Reykjavik,
            CalendarCode::Es => chrono_tz::Europe::Madrid,
            CalendarCode::EsAn => chrono_tz::Europe::Madrid,
            CalendarCode::EsAr => chrono_tz::Europe::Madrid,
            CalendarCode::EsAs => chrono_tz::Europe::Madrid,
            CalendarCode::EsCb => chrono_tz::Europe::Madrid,
            CalendarCode::EsCe => chrono_tz::Europe::Madrid,
            CalendarCode::EsCl => chrono_tz::Europe::Madrid,
            CalendarCode::EsCm => chrono_tz::Europe::Madrid,
            CalendarCode::EsCn => chrono_tz::Europe::Madrid,
            CalendarCode::EsCt => chrono_tz::Europe::Madrid,
            CalendarCode::EsEx => chrono_tz::Europe::Madrid,
            CalendarCode::EsGa => chrono_tz::Europe::Madrid,
            CalendarCode::EsIb => chrono_tz::Europe::Madrid,
            CalendarCode::EsMc => chrono_tz::Europe::Madrid,
            CalendarCode::EsMd => chrono_tz::Europe::Madrid,
            CalendarCode::EsMl => chrono_tz::Europe::Madrid,
            CalendarCode::EsNc => chrono_tz::Europe::Madrid,
            CalendarCode::EsPv => chrono_tz::Europe::Madrid,
            CalendarCode::EsRi => chrono_tz::Europe::Madrid,
            CalendarCode::EsVc => chrono_tz::Europe::Madrid,
            CalendarCode::Us => chrono_tz::America::New_York,
            CalendarCode::Ch => chrono_tz::Europe::Zurich,
            CalendarCode::Ca => chrono_tz::America::St_Johns,
            CalendarCode::CaBc => chrono_tz::America::Vancouver,
            CalendarCode::CaOn => chrono_tz::America::Toronto,
            CalendarCode::CaQc => chrono_tz::America::Toronto,
            CalendarCode::Au => chrono_tz::Australia::Sydney,
            CalendarCode::AuNsw => chrono_tz::Australia::Sydney,
            CalendarCode::AuVic => chrono_tz::Australia::Melbourne,
            CalendarCode::Nz => chrono_tz::Pacific::Auckland,
            CalendarCode::NzAuk => chrono_tz::Pacific::Auckland,
            CalendarCode::NzCan => chrono_tz::Pacific::Auckland,
            CalendarCode::NzNsn => chrono_tz::Pacific::Auckland,
            CalendarCode::NzWgn => chrono_tz::Pacific::Auckland,
            CalendarCode::Il => chrono_tz::Asia::Jerusalem,
            CalendarCode::Sg => chrono_tz::Asia::Singapore,
            CalendarCode::Hk => chrono_tz::Asia::Hong_Kong,
            CalendarCode::Cn => chrono_tz::Asia::Shanghai,
            CalendarCode::Tw => chrono_tz::Asia::Taipei,
            CalendarCode::Jp => chrono_tz::Asia::Tokyo,
            CalendarCode::Ae => chrono_tz::Asia::Dubai,
            CalendarCode::Qa => chrono_tz::Asia::Qatar,
            CalendarCode::Ma => chrono_tz::Africa::Casablanca,
            CalendarCode::In => chrono_tz::Asia::Kolkata,
            CalendarCode::InMh => chrono_tz::Asia::Kolkata,
            CalendarCode::My => chrono_tz::Asia::Kuala_Lumpur,
            CalendarCode::My10 => chrono_tz::Asia::Kuala_Lumpur,
            CalendarCode::Pk => chrono_tz::Asia::Karachi,
            CalendarCode::Pa => chrono_tz::America::Panama,
            CalendarCode::Mh => chrono_tz::Pacific::Majuro,
            CalendarCode::Sc => chrono_tz::Indian::Mahe,
            CalendarCode::Gi => chrono_tz::Europe::Gibraltar,
            CalendarCode::Im => chrono_tz::Europe::Isle_of_Man,
            CalendarCode::Ru => chrono_tz::Europe::Moscow,
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
#[error("{}", crate::t!("parse.calendar", value = self.0, list = CalendarCode::known_list()))]
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

    /// Every calendar has a German name (the match in `name_de` is
    /// exhaustive), and it is a German one: the same as the English name
    /// only for the places written alike in both languages, listed here.
    #[test]
    fn every_calendar_has_an_english_and_a_german_name() {
        use crate::i18n::UiLang;
        const ALIKE: &[CalendarCode] = &[
            CalendarCode::DeBb,
            CalendarCode::DeBe,
            CalendarCode::DeBw,
            CalendarCode::DeHb,
            CalendarCode::DeHh,
            CalendarCode::DeMv,
            CalendarCode::DeSh,
            CalendarCode::DeSl,
            CalendarCode::Li,
            CalendarCode::Mt,
            CalendarCode::Pt,
            CalendarCode::Il,
            CalendarCode::Cn,
            CalendarCode::Tw,
            CalendarCode::Jp,
            CalendarCode::My10,
            CalendarCode::Pk,
            CalendarCode::Pa,
            CalendarCode::Gi,
            CalendarCode::Im,
        ];
        for c in CalendarCode::ALL {
            let (en, de) = (c.name_in(UiLang::En), c.name_in(UiLang::De));
            assert!(!en.trim().is_empty() && !de.trim().is_empty(), "{c}");
            assert_eq!(en, c.name(), "{c}");
            assert_eq!(de == en, ALIKE.contains(&c), "{c}: {en} / {de}");
        }
        assert_eq!(CalendarCode::DeBy.name_de(), "Bayern");
        assert_eq!(CalendarCode::EsCl.name_de(), "Spanien, Kastilien und León");
        // The library without an interface language set is English.
        assert_eq!(CalendarCode::De.display_name(), "Germany, nationwide holidays");
    }
}
