#!/usr/bin/env python3
"""Write src/deadline/holidays/tables.rs: the written-out holiday tables of
the calendars outside the EU/EEA that dsr does not compute from rules
(Canada, Australia, New Zealand, Israel, Singapore, Hong Kong, the United
Arab Emirates, China, Japan, …), for the years in YEARS, from
python-holidays.

One-off, reviewed by hand (see the module docs of src/deadline/holidays.rs):

    python3 -m venv /tmp/hv && /tmp/hv/bin/pip install holidays==0.109
    /tmp/hv/bin/python scripts/holiday-tables.py > src/deadline/holidays/tables.rs && cargo fmt
    /tmp/hv/bin/python scripts/holiday-tables.py --check   # prints the 2026 lists, for review

Every day python-holidays lists for the calendar in its default categories
(public holidays and their observed or substitute days), plus the extra
categories named in CALENDARS, is written out; several names on one day are
joined with "; ". Islamic, Hebrew and Chinese lunar holidays are in
python-holidays' tables too (some marked "(estimated)"); that is why these
calendars are tables and not rules.
"""

import sys

import holidays

PYTHON_HOLIDAYS = "0.109"
YEARS = range(2025, 2028)

# (dsr variant, dsr code, country, subdivision, extra categories)
CALENDARS = [
    ("Ca", "CA", "CA", None, ()),
    ("CaBc", "CA-BC", "CA", "BC", ()),
    ("CaOn", "CA-ON", "CA", "ON", ()),
    ("CaQc", "CA-QC", "CA", "QC", ()),
    ("Au", "AU", "AU", None, ()),
    ("AuNsw", "AU-NSW", "AU", "NSW", ()),
    ("AuVic", "AU-VIC", "AU", "VIC", ()),
    ("Nz", "NZ", "NZ", None, ()),
    ("NzAuk", "NZ-AUK", "NZ", "AUK", ()),
    ("NzCan", "NZ-CAN", "NZ", "CAN", ()),
    ("NzNsn", "NZ-NSN", "NZ", "NSN", ()),
    ("NzWgn", "NZ-WGN", "NZ", "WGN", ()),
    ("Il", "IL", "IL", None, ()),
    ("Sg", "SG", "SG", None, ()),
    ("Hk", "HK", "HK", None, ()),
    ("Cn", "CN", "CN", None, ()),
    ("Tw", "TW", "TW", None, ()),
    ("Jp", "JP", "JP", None, ("bank",)),
    ("Ae", "AE", "AE", None, ()),
    ("Qa", "QA", "QA", None, ()),
    ("Ma", "MA", "MA", None, ()),
    ("In", "IN", "IN", None, ()),
    ("InMh", "IN-MH", "IN", "MH", ()),
    ("My", "MY", "MY", None, ()),
    ("My10", "MY-10", "MY", "10", ()),
    ("Pk", "PK", "PK", None, ()),
    ("Pa", "PA", "PA", None, ()),
    ("Mh", "MH", "MH", None, ()),
    ("Sc", "SC", "SC", None, ()),
    ("Gi", "GI", "GI", None, ()),
    ("Im", "IM", "IM", None, ()),
    ("Ru", "RU", "RU", None, ()),
]


def days(country, subdiv, extra):
    cls = holidays.country_holidays(country, years=2026).__class__
    lang = "en_US" if "en_US" in getattr(cls, "supported_languages", ()) else None
    cats = tuple(sorted(set(("public",) + tuple(extra))))
    h = holidays.country_holidays(country, subdiv=subdiv, years=YEARS, language=lang, categories=cats)
    return sorted(h.items())


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    assert holidays.__version__ == PYTHON_HOLIDAYS, holidays.__version__
    if "--check" in sys.argv:
        for variant, code, country, subdiv, extra in CALENDARS:
            print(f"== {code}")
            for d, n in days(country, subdiv, extra):
                if d.year == 2026:
                    print(f"   {d} {n}")
        return
    out = []
    out.append(f"//! Written by `scripts/holiday-tables.py` from python-holidays {PYTHON_HOLIDAYS}:")
    out.append("//! do not edit by hand; see the module docs of `deadline::holidays`.")
    out.append("")
    out.append("use super::{CalendarCode, Day, Rule, Where, only};")
    out.append("")
    out.append("/// The years the tables below cover.")
    out.append(f"pub(super) const TABLE_YEARS: (i32, i32) = ({YEARS[0]}, {YEARS[-1]});")
    out.append("")
    out.append("/// A holiday of one calendar on one day.")
    out.append("const fn on(")
    out.append("    place: &'static [CalendarCode],")
    out.append("    year: i32,")
    out.append("    month: u32,")
    out.append("    day: u32,")
    out.append("    name: &'static str,")
    out.append(") -> Rule {")
    out.append("    only(name, Day::Fixed(month, day), Where::Only(place), year, year)")
    out.append("}")
    for variant, code, country, subdiv, extra in CALENDARS:
        konst = code.replace("-", "_")
        out.append("")
        cats = "public" + "".join(f" and {c}" for c in extra)
        sub = f", subdivision {subdiv}" if subdiv else ""
        out.append(f"/// `{code}`: python-holidays `{country}`{sub}, categories {cats}.")
        out.append(f"pub(super) const {konst}: &[Rule] = &[")
        for d, n in days(country, subdiv, extra):
            out.append(
                f"    on(&[CalendarCode::{variant}], {d.year}, {d.month}, {d.day}, {rust_str(n)}),"
            )
        out.append("];")
    print("\n".join(out))


if __name__ == "__main__":
    main()
