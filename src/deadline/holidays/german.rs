//! Holiday names for a German interface (see "Names" in the module docs of
//! `deadline::holidays`).
//!
//! A German holiday's name carries its German name in brackets
//! (`Whit Monday (Pfingstmontag)`): that part is shown. Other names are
//! looked up by their English part ([`COMMON`]: New Year's Day, Good
//! Friday, Christmas Day, …), keeping the local name in brackets beside it
//! (`Allerheiligen (Toussaint)`), and the marks python-holidays and the
//! substitute-day rules add are translated ([`MARKS`]: `(observed)` →
//! `(Ersatztag)`); the proper names of foreign holidays (`St Brigid's Day`,
//! `Canada Day`, `June Bank Holiday`) stay as they are.

use std::borrow::Cow;

/// The German names in brackets in the rules of the German-speaking
/// calendars (Germany, Austria, Switzerland, Liechtenstein); a test checks
/// that every such rule's bracket is listed.
const LOCAL: &[&str] = &[
    "1. Weihnachtstag",
    "2. Weihnachtstag",
    "Allerheiligen",
    "Auffahrt",
    "Augsburger Hohes Friedensfest",
    "Berchtoldstag",
    "Buß- und Bettag",
    "Christi Himmelfahrt",
    "Christtag",
    "Fasnachtsdienstag",
    "Fronleichnam",
    "Heilige Drei Könige",
    "Internationaler Frauentag",
    "Jahrestag des Volksaufstandes",
    "Josefstag",
    "Karfreitag",
    "Mariä Empfängnis",
    "Mariä Geburt",
    "Mariä Himmelfahrt",
    "Mariä Lichtmess",
    "Nationalfeiertag",
    "Neujahr",
    "Neujahrstag",
    "Ostermontag",
    "Pfingstmontag",
    "Reformationstag",
    "Silvester",
    "Staatsfeiertag",
    "Stefanitag",
    "Stephanstag",
    "Tag der Arbeit",
    "Tag der Befreiung",
    "Tag der Deutschen Einheit",
    "Bundesfeiertag",
    "Weihnachten",
    "Weihnachtstag",
    "Weltkindertag",
];

/// Marks at the end of a name, translated; several may follow each other
/// (`Chinese New Year (Second Day) (observed)`).
const MARKS: &[(&str, &str)] = &[
    (" (observed)", " (Ersatztag)"),
    (" (substitute day)", " (Ersatztag)"),
    (" (estimated)", " (geschätzt)"),
    (" (moved)", " (verlegt)"),
    (" (Second Day)", " (zweiter Tag)"),
    (" (additional holiday)", " (zusätzlicher Feiertag)"),
];

/// The common holidays' German names, by their English name (without a
/// local name in brackets or a mark).
const COMMON: &[(&str, &str)] = &[
    ("New Year's Day", "Neujahr"),
    ("New Year's Day Holiday", "Neujahrsfeiertag"),
    ("New Year Holiday", "Neujahrsfeiertag"),
    ("New Year's Holiday", "Neujahrsfeiertag"),
    ("New Year Holidays", "Neujahrsferien"),
    ("Day after New Year's Day", "Tag nach Neujahr"),
    ("2nd January", "2. Januar"),
    ("New Year's Eve", "Silvester"),
    ("Epiphany", "Heilige Drei Könige"),
    ("Candlemas", "Mariä Lichtmess"),
    ("Shrove Tuesday", "Fastnachtsdienstag"),
    ("Carnival Tuesday", "Karnevalsdienstag"),
    ("Clean Monday", "Reiner Montag"),
    ("International Women's Day", "Internationaler Frauentag"),
    ("Feast of St Joseph", "Josefstag"),
    ("St Joseph's Day", "Josefstag"),
    ("Saint Joseph's Day", "Josefstag"),
    ("Maundy Thursday", "Gründonnerstag"),
    ("Good Friday", "Karfreitag"),
    ("Holy Saturday", "Karsamstag"),
    ("Easter Saturday", "Karsamstag"),
    ("Easter Sunday", "Ostersonntag"),
    ("Easter Monday", "Ostermontag"),
    ("Labour Day", "Tag der Arbeit"),
    ("Labor Day", "Tag der Arbeit"),
    ("Workers' Day", "Tag der Arbeit"),
    ("May Day", "Maifeiertag"),
    ("Holiday of Spring and Labor", "Fest des Frühlings und der Arbeit"),
    ("Europe Day", "Europatag"),
    ("Ascension Day", "Christi Himmelfahrt"),
    ("Whit Monday", "Pfingstmontag"),
    ("Corpus Christi", "Fronleichnam"),
    ("General Prayer Day", "Großer Bettag"),
    ("First Day of Summer", "Erster Sommertag"),
    ("Midsummer Eve", "Mittsommerabend"),
    ("Midsummer Day", "Mittsommertag"),
    ("St John's Day", "Johannistag"),
    ("St John the Baptist", "Johannistag"),
    ("Saint John the Baptist", "Johannistag"),
    ("Saint John the Baptist Day", "Johannistag"),
    ("Feast of St Peter and St Paul", "Peter und Paul"),
    ("Assumption Day", "Mariä Himmelfahrt"),
    ("Feast of the Assumption", "Mariä Himmelfahrt"),
    ("Dormition of the Mother of God", "Mariä Entschlafung"),
    ("Nativity of Mary", "Mariä Geburt"),
    ("Reformation Day", "Reformationstag"),
    ("All Saints' Day", "Allerheiligen"),
    ("All Souls' Day", "Allerseelen"),
    ("Day of Repentance and Prayer", "Buß- und Bettag"),
    ("Immaculate Conception", "Mariä Empfängnis"),
    ("Feast of the Immaculate Conception", "Mariä Empfängnis"),
    ("Christmas Eve", "Heiligabend"),
    ("Christmas", "Weihnachten"),
    ("Christmas Day", "1. Weihnachtstag"),
    ("Christmas Day Holiday", "Weihnachtsfeiertag"),
    ("Second Day of Christmas", "2. Weihnachtstag"),
    ("Boxing Day", "2. Weihnachtstag"),
    ("Day after Christmas", "2. Weihnachtstag"),
    ("The first weekday after Christmas Day", "Erster Werktag nach Weihnachten"),
    ("St Stephen's Day", "Stephanstag"),
    ("Saint Stephen's Day", "Stephanstag"),
    ("St Andrew's Day", "Andreastag"),
    ("St George's Day", "Georgstag"),
    ("Saint George's Day", "Georgstag"),
    ("Saint Anthony's Day", "Antoniustag"),
    ("St Francis of Assisi", "Franz von Assisi"),
    ("Saints Cyril and Methodius", "Kyrill und Method"),
    ("German Unity Day", "Tag der Deutschen Einheit"),
    ("Day of Liberation", "Tag der Befreiung"),
    ("Liberation Day", "Tag der Befreiung"),
    ("World Children's Day", "Weltkindertag"),
    ("Children's Day", "Kindertag"),
    ("Mother's Day", "Muttertag"),
    ("Youth Day", "Tag der Jugend"),
    ("Independence Day", "Unabhängigkeitstag"),
    ("Restoration of Independence Day", "Tag der Wiederherstellung der Unabhängigkeit"),
    ("Constitution Day", "Verfassungstag"),
    ("National Day", "Nationalfeiertag"),
    ("National Holiday", "Nationalfeiertag"),
    ("Republic Day", "Tag der Republik"),
    ("Statehood Day", "Tag der Staatlichkeit"),
    ("Unity Day", "Tag der Einheit"),
    ("Freedom Day", "Tag der Freiheit"),
    ("Victory Day", "Tag des Sieges"),
    ("Victory in Europe Day", "Tag des Sieges in Europa"),
    ("Armistice Day", "Waffenstillstandstag"),
    ("Martyrs' Day", "Tag der Märtyrer"),
    ("Revolution Day", "Tag der Revolution"),
    ("Russia Day", "Tag Russlands"),
    ("Additional holiday", "Zusätzlicher Feiertag"),
    ("Substitute Holiday", "Ersatzfeiertag"),
    ("Day off by decree", "Arbeitsfreier Tag (per Erlass)"),
    ("Chinese New Year", "Chinesisches Neujahr"),
    ("Chinese New Year (Spring Festival)", "Chinesisches Neujahr (Frühlingsfest)"),
    ("Chinese New Year's Eve", "Vorabend des Chinesischen Neujahrs"),
    ("The second day of Chinese New Year", "Zweiter Tag des Chinesischen Neujahrs"),
    ("The third day of Chinese New Year", "Dritter Tag des Chinesischen Neujahrs"),
    ("The fourth day of Chinese New Year", "Vierter Tag des Chinesischen Neujahrs"),
    ("Mid-Autumn Festival", "Mondfest"),
    ("The Day following Mid-Autumn Festival", "Tag nach dem Mondfest"),
    ("Dragon Boat Festival", "Drachenbootfest"),
    ("Tomb-Sweeping Day", "Qingming-Fest"),
    ("The Buddha's Birthday", "Buddhas Geburtstag"),
    ("Eid al-Fitr", "Fest des Fastenbrechens"),
    ("Eid al-Fitr Holiday", "Feiertag zum Fest des Fastenbrechens"),
    ("Eid al-Adha", "Opferfest"),
    ("Eid al-Adha Holiday", "Feiertag zum Opferfest"),
    ("Islamic New Year", "Islamisches Neujahr"),
    ("Prophet's Birthday", "Geburtstag des Propheten"),
    ("Prophet Muhammad's Birthday", "Geburtstag des Propheten"),
    ("Day of Arafah", "Arafat-Tag"),
    ("Ashura", "Aschura"),
    ("Rosh Hashanah", "Rosch ha-Schana"),
    ("Yom Kippur", "Jom Kippur"),
    ("Pesach", "Pessach"),
    ("Seventh day of Pesach", "Siebter Tag von Pessach"),
    ("Shavuot", "Schawuot"),
    ("Simchat Torah / Shemini Atzeret", "Simchat Tora / Schemini Azeret"),
    ("Emperor's Birthday", "Geburtstag des Kaisers"),
    ("King's Birthday", "Geburtstag des Königs"),
    ("King's Day", "Königstag"),
    ("Queen's Day", "Königinnentag"),
];

/// `name` for a German interface; see the module docs.
pub(super) fn name(name: &'static str) -> Cow<'static, str> {
    if !name.contains("; ") {
        return one(name);
    }
    // Two holidays on one day (`Buddha Purnima; Maharashtra Day`).
    Cow::Owned(name.split("; ").map(one).collect::<Vec<_>>().join("; "))
}

fn one(name: &str) -> Cow<'_, str> {
    // A day off given for a working Saturday or Sunday (China, Taiwan):
    // `Day off (substituted from 01/26/2025)`, month first.
    if let Some(date) = name.strip_prefix("Day off (substituted from ").and_then(|r| r.strip_suffix(')')) {
        let iso = match date.split('/').collect::<Vec<_>>()[..] {
            [m, d, y] => format!("{y}-{m}-{d}"),
            _ => date.to_string(),
        };
        return Cow::Owned(format!("Arbeitsfreier Tag (getauscht gegen den {iso})"));
    }
    let mut rest = name;
    let mut marks = Vec::new();
    while let Some((stripped, mark)) = MARKS.iter().find_map(|(en, de)| rest.strip_suffix(en).map(|r| (r, *de))) {
        rest = stripped;
        marks.insert(0, mark);
    }
    // A substitute day in Spain: `Monday following Madrid Day`.
    let (rest, monday) = match rest.strip_prefix("Monday following ") {
        Some(holiday) => (holiday, true),
        None => (rest, false),
    };
    if monday {
        marks.insert(0, " (Ersatztag)");
    }
    let local = rest.strip_suffix(')').and_then(|r| r.rsplit_once(" ("));
    let german = match (lookup(rest), local) {
        (Some(de), _) => Some(de.to_string()),
        (None, Some((_, l))) if LOCAL.contains(&l) => Some(l.to_string()),
        (None, Some((base, l))) => lookup(base).map(|de| format!("{de} ({l})")),
        (None, None) => None,
    };
    if german.is_none() && marks.is_empty() {
        return Cow::Borrowed(name);
    }
    let mut out = german.unwrap_or_else(|| rest.to_string());
    out.extend(marks);
    Cow::Owned(out)
}

fn lookup(english: &str) -> Option<&'static str> {
    COMMON.iter().find(|(en, _)| *en == english).map(|(_, de)| *de)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::CalendarCode;

    #[test]
    fn german_names() {
        let cases = [
            ("Whit Monday (Pfingstmontag)", "Pfingstmontag"),
            ("Christmas Day (1. Weihnachtstag)", "1. Weihnachtstag"),
            ("Labour Day (Staatsfeiertag)", "Staatsfeiertag"),
            ("St Stephen's Day (Stefanitag)", "Stefanitag"),
            ("New Year's Day", "Neujahr"),
            ("Boxing Day (substitute day)", "2. Weihnachtstag (Ersatztag)"),
            ("St Stephen's Day", "Stephanstag"),
            ("All Saints' Day (Toussaint)", "Allerheiligen (Toussaint)"),
            ("Whit Monday (Kataklysmos)", "Pfingstmontag (Kataklysmos)"),
            ("Eid al-Fitr (estimated)", "Fest des Fastenbrechens (geschätzt)"),
            ("Chinese New Year (Second Day) (observed)", "Chinesisches Neujahr (zweiter Tag) (Ersatztag)"),
            ("Chinese New Year (Spring Festival)", "Chinesisches Neujahr (Frühlingsfest)"),
            ("Juneteenth National Independence Day (observed)", "Juneteenth National Independence Day (Ersatztag)"),
            ("Monday following Madrid Day", "Madrid Day (Ersatztag)"),
            ("Monday following All Saints' Day", "Allerheiligen (Ersatztag)"),
            ("Buddha Purnima; Maharashtra Day", "Buddha Purnima; Maharashtra Day"),
            ("Bank Holiday; New Year's Day", "Bank Holiday; Neujahr"),
            ("Day off (substituted from 01/26/2025)", "Arbeitsfreier Tag (getauscht gegen den 2025-01-26)"),
            ("Early May bank holiday (VE Day)", "Early May bank holiday (VE Day)"),
            ("St Brigid's Day", "St Brigid's Day"),
            ("June Bank Holiday", "June Bank Holiday"),
            ("Battle of the Boyne (substitute day)", "Battle of the Boyne (Ersatztag)"),
        ];
        for (en, de) in cases {
            assert_eq!(name(en), de, "{en}");
        }
    }

    /// Every holiday of the German-speaking calendars has its German name
    /// shown, never the English one.
    #[test]
    fn german_speaking_calendars_show_only_german_names() {
        let german_speaking = CalendarCode::ALL
            .into_iter()
            .filter(|c| c.is_german() || matches!(c, CalendarCode::At | CalendarCode::Ch | CalendarCode::Li));
        for c in german_speaking {
            for year in 1995..=2035 {
                for h in c.holidays(year).iter() {
                    let de = name(h.name);
                    let bracket = h.name.strip_suffix(')').and_then(|r| r.rsplit_once(" (")).map(|(_, l)| l);
                    assert!(
                        de != h.name && bracket.is_none_or(|b| de == b),
                        "{c} {}: {} shown as {de}",
                        h.date,
                        h.name
                    );
                }
            }
        }
    }

    /// The common names appear in the rules or tables (no entry for a name
    /// dsr never has), and no German name is the English one.
    #[test]
    fn common_names_are_used() {
        let mut all = std::collections::BTreeSet::new();
        for c in CalendarCode::ALL {
            for year in 1995..=2040 {
                all.extend(c.holidays(year).iter().map(|h| h.name));
            }
        }
        let bases: std::collections::BTreeSet<String> = all
            .iter()
            .flat_map(|n| n.split("; "))
            .flat_map(|n| {
                let mut n = n.to_string();
                while let Some(r) = MARKS.iter().find_map(|(en, _)| n.strip_suffix(en).map(str::to_string)) {
                    n = r;
                }
                let n = n.strip_prefix("Monday following ").map_or(n.clone(), str::to_string);
                let base = n.strip_suffix(')').and_then(|r| r.rsplit_once(" (")).map(|(b, _)| b.to_string());
                [Some(n), base].into_iter().flatten()
            })
            .collect();
        for (en, de) in COMMON {
            assert!(bases.contains(*en), "{en} is in no calendar");
            assert_ne!(en, de);
        }
        for l in LOCAL {
            assert!(all.iter().any(|n| n.ends_with(&format!(" ({l})"))), "{l} is in no calendar");
        }
    }
}
