//! The holiday calendar of a German seat, read from its postal address.
//!
//! Reg. 1182/71 Art. 3(4) counts the public holidays of the place where the
//! controller must act: its seat. For a German address that is a Land, and
//! for some days a municipality (`deadline::holidays`). A postcode alone does
//! not name a Land (many postcode regions cross a Land border), so the
//! calendar is taken only where the address decides it:
//!
//! 1. the town and the postcode's first two digits are in [`TOWNS`] (a town
//!    name with a postcode in the wrong region, such as Frankfurt (Oder)
//!    under 15, is not taken for the town in the table);
//! 2. else the postcode region lies wholly in Bavaria ([`BAVARIA`]): `DE-BY`,
//!    with a note that Assumption Day is a holiday in most Bavarian
//!    municipalities, which the address cannot tell;
//! 3. else `DE` (nationwide holidays only), noted.
//!
//! The towns are those with the most imported policies; the Land of each is
//! common knowledge and was checked against the postcode's region.

use crate::deadline::CalendarCode::{self, *};

/// Towns whose Land (or municipal calendar) is known: name as written in
/// the address, the postcode's first two digits, the calendar.
const TOWNS: &[(&str, &[&str], CalendarCode)] = &[
    ("Aachen", &["52"], DeNw),
    ("Augsburg", &["86"], DeByAugsburg),
    ("Bad Gandersheim", &["37"], DeNi),
    ("Bad Harzburg", &["38"], DeNi),
    ("Baden-Baden", &["76"], DeBw),
    ("Berlin", &["10", "12", "13", "14"], DeBe),
    ("Bergisch Gladbach", &["51"], DeNw),
    ("Bielefeld", &["33"], DeNw),
    ("Bochum", &["44"], DeNw),
    ("Bonn", &["53"], DeNw),
    ("Braunlage", &["38"], DeNi),
    ("Braunschweig", &["38"], DeNi),
    ("Bremen", &["28"], DeHb),
    ("Brühl", &["50"], DeNw),
    ("Calvörde", &["39"], DeSt),
    ("Cremlingen", &["38"], DeNi),
    ("Darmstadt", &["64"], DeHe),
    ("Dortmund", &["44"], DeNw),
    ("Dresden", &["01"], DeSn),
    ("Duisburg", &["47"], DeNw),
    ("Düsseldorf", &["40"], DeNw),
    ("Einbeck", &["37"], DeNi),
    ("Erfurt", &["99"], DeTh),
    ("Eschborn", &["65"], DeHe),
    ("Essen", &["45"], DeNw),
    ("Frankfurt", &["60", "65"], DeHe),
    ("Frankfurt am Main", &["60", "65"], DeHe),
    ("Gelsenkirchen", &["45"], DeNw),
    ("Goslar", &["38"], DeNi),
    ("Gütersloh", &["33"], DeNw),
    ("Hagen", &["58"], DeNw),
    ("Hamburg", &["20", "21", "22"], DeHh),
    ("Hannover", &["30"], DeNi),
    ("Heidelberg", &["69"], DeBw),
    ("Helmstedt", &["38"], DeNi),
    ("Jena", &["07"], DeTh),
    ("Karlsruhe", &["76"], DeBw),
    ("Kiel", &["24"], DeSh),
    ("Koblenz", &["56"], DeRp),
    ("Köln", &["50", "51"], DeNw),
    ("Königslutter am Elm", &["38"], DeNi),
    ("Leipzig", &["04"], DeSn),
    ("Liebenburg", &["38"], DeNi),
    ("Ludwigsburg", &["71"], DeBw),
    ("Lüneburg", &["21"], DeNi),
    ("Magdeburg", &["39"], DeSt),
    ("Mainz", &["55"], DeRp),
    ("Mannheim", &["68"], DeBw),
    ("Mönchengladbach", &["41"], DeNw),
    ("Montabaur", &["56"], DeRp),
    ("München", &["80", "81"], DeByKath),
    ("Münster", &["48"], DeNw),
    ("Neuss", &["41"], DeNw),
    ("Offenbach am Main", &["63"], DeHe),
    ("Offenburg", &["77"], DeBw),
    ("Oldenburg", &["26"], DeNi),
    ("Osnabrück", &["49"], DeNi),
    ("Saarbrücken", &["66"], DeSl),
    ("Salzgitter", &["38"], DeNi),
    ("Schöningen", &["38"], DeNi),
    ("Seesen", &["38"], DeNi),
    ("Siegburg", &["53"], DeNw),
    ("Stuttgart", &["70"], DeBw),
    ("Weimar", &["99"], DeTh),
    ("Wiesbaden", &["65"], DeHe),
    ("Wolfenbüttel", &["38"], DeNi),
    ("Wolfsburg", &["38"], DeNi),
    ("Wuppertal", &["42"], DeNw),
    ("Würzburg", &["97"], DeBy),
];

/// Postcode regions (first two digits) that lie wholly in Bavaria. 88, 89,
/// 96 and 97 do not (Lindau and Ulm, Sonneberg, Wertheim), nor 63
/// (Aschaffenburg with Hesse).
const BAVARIA: &[&str] = &["80", "81", "82", "83", "84", "85", "86", "87", "90", "91", "92", "93", "94", "95"];

/// How the calendar of a German address was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Seat {
    /// The calendar.
    pub calendar: CalendarCode,
    /// The decision, as counted in the import report.
    pub decision: &'static str,
    /// A note for the policy's `[import] notes`, where the calendar may miss
    /// a municipality's holidays.
    pub note: Option<String>,
}

/// Postcode areas (the letters before the first digit) in Scotland. `TD`
/// (Galashiels) is Scottish but for `TD15` (Berwick-upon-Tweed, England).
const SCOTLAND: &[&str] =
    &["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"];

/// The calendar of a United Kingdom address: `GB-NIR` for a `BT` postcode,
/// `GB-SCT` for a Scottish postcode area ([`SCOTLAND`]), else `GB-EAW`
/// (England and Wales), noted when the address has no postcode.
pub(super) fn uk_calendar(address: &[String]) -> Seat {
    let Some(outward) = address.iter().rev().find_map(|l| uk_outward_code(l)) else {
        return Seat {
            calendar: GbEaw,
            decision: "calendar GB-EAW: no UK postcode in the address",
            note: Some(
                "calendar GB-EAW (England and Wales): the address has no postcode; for a seat in Scotland set calendar = \"GB-SCT\", in Northern Ireland calendar = \"GB-NIR\""
                    .into(),
            ),
        };
    };
    let area: String = outward.chars().take_while(char::is_ascii_alphabetic).collect();
    let calendar = if area == "BT" {
        GbNir
    } else if SCOTLAND.contains(&area.as_str()) && outward != "TD15" {
        GbSct
    } else {
        GbEaw
    };
    Seat { calendar, decision: "calendar of the UK nation from the postcode", note: None }
}

/// The outward code of a UK postcode in an address line (`EC1A` in
/// `London EC1A 1BB`): a token of one or two letters, then a digit and at
/// most two more letters or digits, followed by an inward code (digit, two
/// letters).
fn uk_outward_code(line: &str) -> Option<String> {
    let tokens: Vec<&str> = line.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()).collect();
    tokens.windows(2).rev().find_map(|w| {
        let (out, inw) = (w[0].to_ascii_uppercase(), w[1].to_ascii_uppercase());
        let letters = out.chars().take_while(char::is_ascii_alphabetic).count();
        let rest = &out[letters..];
        let outward_ok = (1..=2).contains(&letters)
            && rest.chars().next().is_some_and(|c| c.is_ascii_digit())
            && rest.len() <= 3
            && rest.chars().all(|c| c.is_ascii_alphanumeric());
        let inward = inw.as_bytes();
        let inward_ok = inward.len() == 3
            && inward[0].is_ascii_digit()
            && inward[1].is_ascii_alphabetic()
            && inward[2].is_ascii_alphabetic();
        (outward_ok && inward_ok).then_some(out)
    })
}

/// The calendar of a French address: `FR-ALSACE-MOSELLE` for a postcode in
/// Moselle (57), Bas-Rhin (67) or Haut-Rhin (68), else `FR`, noted when
/// the address has no postcode.
pub(super) fn french_calendar(address: &[String]) -> Seat {
    let postcode = address.iter().rev().find_map(|l| {
        l.split_whitespace().find(|t| t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit())).map(str::to_string)
    });
    match postcode {
        Some(p) if ["57", "67", "68"].contains(&&p[..2]) => {
            Seat { calendar: FrAlsaceMoselle, decision: "calendar FR-ALSACE-MOSELLE from the postcode", note: None }
        }
        Some(_) => Seat { calendar: Fr, decision: "calendar FR from the postcode", note: None },
        None => Seat {
            calendar: Fr,
            decision: "calendar FR: no postcode in the address",
            note: Some(
                "calendar FR: the address has no postcode; for a seat in Alsace or Moselle set \
                 calendar = \"FR-ALSACE-MOSELLE\" (Good Friday and 26 December are holidays there)"
                    .into(),
            ),
        },
    }
}

/// Spanish provinces by the first two digits of the postcode (01–52, the
/// INE province codes, which Correos' postcodes start with), as the
/// autonomous community (or autonomous city) whose calendar applies.
const SPANISH_PROVINCES: [CalendarCode; 52] = [
    EsPv, EsCm, EsVc, EsAn, EsCl, EsEx, EsIb, EsCt, EsCl, EsEx, // 01 Álava … 10 Cáceres
    EsAn, EsVc, EsCm, EsAn, EsGa, EsCm, EsCt, EsAn, EsCm, EsPv, // 11 Cádiz … 20 Gipuzkoa
    EsAn, EsAr, EsAn, EsCl, EsCt, EsRi, EsGa, EsMd, EsAn, EsMc, // 21 Huelva … 30 Murcia
    EsNc, EsGa, EsAs, EsCl, EsCn, EsGa, EsCl, EsCn, EsCb, EsCl, // 31 Navarra … 40 Segovia
    EsAn, EsCl, EsCt, EsAr, EsCm, EsVc, EsCl, EsPv, EsCl, EsAr, // 41 Sevilla … 50 Zaragoza
    EsCe, EsMl, // 51 Ceuta, 52 Melilla
];

/// The calendar of a Spanish address: the autonomous community's from the
/// postcode's province ([`SPANISH_PROVINCES`]), noted because a
/// municipality's own two days are not included; `ES` (national days only),
/// noted, without a postcode.
pub(super) fn spanish_calendar(address: &[String]) -> Seat {
    let province = address.iter().rev().find_map(|l| {
        l.split(|c: char| c.is_whitespace() || c == ',')
            .find(|t| t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t[..2].parse::<usize>().ok())
    });
    let local = "the two local holidays of its municipality (Madrid's San Isidro on 15 May, for \
                 one) are not included: add them under [[holidays]] in dsr.toml";
    match province.and_then(|p| p.checked_sub(1)).and_then(|i| SPANISH_PROVINCES.get(i)) {
        Some(&calendar) => Seat {
            calendar,
            decision: "calendar of the autonomous community from the postcode",
            note: Some(format!("calendar {calendar} ({}): {local}", calendar.name())),
        },
        None => Seat {
            calendar: Es,
            decision: "calendar ES: no Spanish postcode in the address",
            note: Some(format!(
                "calendar ES (national holidays only): the address has no postcode; set the autonomous \
                 community's calendar (ES-MD, ES-CT, ...) so that its own days count; {local}"
            )),
        },
    }
}

/// The calendar of a German address (its lines, country last).
pub(super) fn german_calendar(address: &[String]) -> Seat {
    let Some((postcode, town)) = address.iter().rev().find_map(|l| postcode_and_town(l)) else {
        return Seat {
            calendar: De,
            decision: "calendar DE: no postcode in the address",
            note: Some(nationwide_note()),
        };
    };
    let region = &postcode[..2];
    if let Some((_, _, cal)) = TOWNS.iter().find(|(name, regions, _)| *name == town && regions.contains(&region)) {
        return Seat { calendar: *cal, decision: "calendar of the Land (or municipality) from the town", note: None };
    }
    if BAVARIA.contains(&region) {
        return Seat {
            calendar: DeBy,
            decision: "calendar DE-BY from the postcode region, no municipal calendar",
            note: Some(
                "calendar DE-BY: Assumption Day (15 August) is a public holiday in the Bavarian \
                 municipalities with a predominantly Catholic population; if the company's seat is \
                 one, set calendar = \"DE-BY-KATH\""
                    .into(),
            ),
        };
    }
    Seat {
        calendar: De,
        decision: "calendar DE: the Land is not known from the address",
        note: Some(nationwide_note()),
    }
}

fn nationwide_note() -> String {
    "calendar DE (nationwide holidays only): the Land could not be told from the address; set the \
     calendar of the company's Land (DE-BY, DE-NW, ...) so that its own holidays count"
        .into()
}

/// `("80802", "München")` from `80802 München`; the town without a
/// district after a comma or dash (`Frankfurt am Main`, `Berlin`).
fn postcode_and_town(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    let (postcode, rest) = line.split_once(' ')?;
    if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let town = rest.split([',', '(']).next().unwrap_or(rest).trim();
    Some((postcode, town))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(lines: &[&str]) -> Seat {
        german_calendar(&lines.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn lines(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn uk_nation_from_the_postcode() {
        let uk = |l: &[&str]| uk_calendar(&lines(l)).calendar;
        assert_eq!(uk(&["1 Main St", "London EC1A 1BB", "United Kingdom"]), GbEaw);
        assert_eq!(uk(&["SE1 2TH", "United Kingdom"]), GbEaw);
        assert_eq!(uk(&["Cardiff CF10 1AA", "United Kingdom"]), GbEaw);
        assert_eq!(uk(&["Edinburgh EH1 1YZ", "United Kingdom"]), GbSct);
        assert_eq!(uk(&["Glasgow, G2 1DY", "United Kingdom"]), GbSct);
        assert_eq!(uk(&["Galashiels TD1 1AA", "United Kingdom"]), GbSct);
        assert_eq!(uk(&["Berwick-upon-Tweed TD15 1AA", "United Kingdom"]), GbEaw);
        assert_eq!(uk(&["Belfast BT1 5GS", "United Kingdom"]), GbNir);
        // G alone is Glasgow; GU (Guildford) is not.
        assert_eq!(uk(&["Guildford GU1 4AA", "United Kingdom"]), GbEaw);
        let none = uk_calendar(&lines(&["London", "United Kingdom"]));
        assert_eq!(none.calendar, GbEaw);
        assert!(none.note.is_some_and(|n| n.contains("GB-SCT")));
    }

    #[test]
    fn spanish_community_from_the_postcode() {
        let es = |l: &[&str]| spanish_calendar(&lines(l)).calendar;
        assert_eq!(es(&["Calle de Alcalá 1", "28014 Madrid", "España"]), EsMd);
        assert_eq!(es(&["Avinguda Diagonal 1", "08019 Barcelona", "Spain"]), EsCt);
        assert_eq!(es(&["Gran Vía 1", "48001 Bilbao", "Spain"]), EsPv);
        assert_eq!(es(&["Calle Mayor 1", "35001 Las Palmas de Gran Canaria", "Spain"]), EsCn);
        assert_eq!(es(&["Plaza de España 1", "41013, Sevilla", "Spain"]), EsAn);
        assert_eq!(es(&["Paseo 1", "51001 Ceuta", "Spain"]), EsCe);
        assert_eq!(es(&["Plaza 1", "52001 Melilla", "Spain"]), EsMl);
        assert_eq!(es(&["Plaza 1", "46001 Valencia", "Spain"]), EsVc);
        let s = spanish_calendar(&lines(&["Calle de Alcalá 1", "28014 Madrid", "España"]));
        assert!(s.note.is_some_and(|n| n.contains("[[holidays]]")));
        let none = spanish_calendar(&lines(&["Madrid", "Spain"]));
        assert_eq!(none.calendar, Es);
        assert!(none.note.is_some_and(|n| n.contains("ES-MD")));
        // 99 is no province.
        assert_eq!(es(&["99999 Nowhere", "Spain"]), Es);
    }

    #[test]
    fn alsace_moselle_from_the_postcode() {
        let fr = |l: &[&str]| french_calendar(&lines(l)).calendar;
        assert_eq!(fr(&["67200 Strasbourg", "France"]), FrAlsaceMoselle);
        assert_eq!(fr(&["68100 Mulhouse", "France"]), FrAlsaceMoselle);
        assert_eq!(fr(&["57000 Metz", "France"]), FrAlsaceMoselle);
        assert_eq!(fr(&["75009 Paris", "France"]), Fr);
        assert_eq!(fr(&["75049 Paris Cedex 01", "France"]), Fr);
        assert!(french_calendar(&lines(&["Paris", "France"])).note.is_some());
    }

    #[test]
    fn munich_and_augsburg_get_their_municipal_calendars() {
        assert_eq!(seat(&["Leopoldstraße 1", "80802 München", "Deutschland"]).calendar, DeByKath);
        assert_eq!(seat(&["Maximilianstraße 1", "86150 Augsburg", "Deutschland"]).calendar, DeByAugsburg);
    }

    #[test]
    fn a_town_is_taken_only_with_a_postcode_of_its_region() {
        assert_eq!(seat(&["Am Markt 1", "50667 Köln", "Deutschland"]).calendar, DeNw);
        assert_eq!(seat(&["Friedrichstraße 1", "10117 Berlin", "Germany"]).calendar, DeBe);
        // Frankfurt (Oder) is in Brandenburg, not Hesse.
        let oder = seat(&["Logenstraße 1", "15230 Frankfurt (Oder)", "Deutschland"]);
        assert_eq!(oder.calendar, De);
        assert!(oder.note.is_some());
        assert_eq!(seat(&["Zeil 1", "60313 Frankfurt am Main", "Deutschland"]).calendar, DeHe);
    }

    #[test]
    fn elsewhere_in_bavaria_the_land_with_a_note() {
        let s = seat(&["Medienallee 1", "85774 Unterföhring", "Deutschland"]);
        assert_eq!(s.calendar, DeBy);
        assert!(s.note.as_deref().is_some_and(|n| n.contains("DE-BY-KATH")), "{s:?}");
        // Neu-Ulm is Bavarian, but region 89 is shared with Ulm (BW).
        assert_eq!(seat(&["Marktplatz 1", "89231 Neu-Ulm", "Deutschland"]).calendar, De);
    }

    #[test]
    fn no_postcode_gives_the_nationwide_calendar_with_a_note() {
        let s = seat(&["Postfach", "Deutschland"]);
        assert_eq!(s.calendar, De);
        assert!(s.note.is_some());
    }
}
