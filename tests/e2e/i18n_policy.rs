//! The interface language (issue 17 point 11): policy messages, each in
//! English and in German, pinned in `tests/golden/i18n/{en,de}/`: the
//! policy and authority lints, `dsr deadline` with the calendars' and
//! holidays' names, and `dsr policy import-datenanfragen`'s errors.

use crate::i18n::{NOW, both};
use crate::support::{TestEnv, output_text};

/// A policy file that breaks nearly every rule of the lint at once.
const BROKEN: &str = r#"id = "acme-ltd"
name = " "
quality = "curated"
language = "en"
role = "both"
authority = "ie-dcp"
supersedes = ["ACME"]
[entity]
legal_name = ""
address = []
[contact]
to = []
cc = ["support"]
web = "www.acme.example"
[identity]
required = ["Ticket", "ticket_no"]
one_of = [["email"]]
methods = ["telepathy"]
[identity.labels.member_no]
en = "Member number"
[[preconditions]]
id = "Export!"
en = "Export your data first"
de = "Exportieren Sie zuerst Ihre Daten"
[[preconditions]]
id = "Export!"
en = "Export your data again"
[[notes]]
en = "Answers slowly"
[sources]
urls = []
"#;

/// The rest: a text too long, a role text never used, a source that is
/// not a URL.
fn broken_too() -> String {
    format!(
        r#"id = "beta"
name = "{}"
language = "de"
role = "controller"
[entity]
legal_name = "Beta GmbH"
address = ["Hauptstr. 1", "10115 Berlin", "Deutschland"]
[contact]
privacy_email = "datenschutz@beta.example"
[roles.processor]
en = "Hosting for shops"
de = "Hosting für Shops"
[sources]
urls = ["ftp://beta.example/datenschutz"]
"#,
        "B".repeat(2001)
    )
}

#[test]
fn policy_and_authority_lint_in_both_languages() {
    let env = TestEnv::new();
    let p = env.placeholders();
    let mut failures = Vec::new();
    env.write("bad/acme.toml", BROKEN);
    env.write("bad/beta.toml", broken_too());
    both(&env, "pcheck-policy-check", NOW, &["policy", "check", "bad"], &p, &mut failures);
    env.write(
        "authorities/yy.toml",
        "id = \"XX_1\"\nname = \"\"\ncountry = \"ie\"\nregion = \"DE-BE\"\nlanguage = \"english\"\n\
         address = []\nweb = \"www.example.org\"\ntransport = \"webform\"\n",
    );
    env.write(
        "authorities/zz.toml",
        "id = \"zz\"\nname = \"Datenschutz Z\"\ncountry = \"DE\"\naddress = [\"Z-Str. 1\", \"Deutschland\"]\n\
         transport = \"email\"\n[sources]\nurls = [\"https://z.example\"]\n",
    );
    both(&env, "pcheck-authority-check", NOW, &["authority", "check", "authorities"], &p, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A German holiday, a UK holiday with its substitute day, an Irish
/// holiday with no German name and the Friday weekend of Qatar: the table
/// names the calendar and the holidays in the interface language; the JSON
/// keeps the English names.
#[test]
fn deadline_calendars_and_holidays_in_both_languages() {
    let env = TestEnv::new();
    let p = env.placeholders();
    let mut failures = Vec::new();
    for (name, received, calendar) in [
        ("pcheck-deadline-bavaria", "2026-05-04", "DE-BY"),
        ("pcheck-deadline-england", "2027-11-25", "GB-EAW"),
        ("pcheck-deadline-ireland", "2026-01-02", "IE"),
        ("pcheck-deadline-qatar", "2025-12-16", "QA"),
    ] {
        both(&env, name, NOW, &["deadline", "--received", received, "--calendar", calendar], &p, &mut failures);
    }
    both(
        &env,
        "pcheck-deadline-no-data",
        NOW,
        &["deadline", "--received", "2027-12-01", "--calendar", "ES-CL"],
        &p,
        &mut failures,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let json = |lang: &str| {
        let out = crate::i18n::run(
            &env,
            lang,
            NOW,
            &["--json", "deadline", "--received", "2027-11-25", "--calendar", "GB-EAW"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let (en, de) = (json("en"), json("de"));
    assert_eq!(en["moved"][2]["reason"], "Christmas Day (substitute day)");
    assert_eq!(de["moved"][2]["reason"], "Christmas Day (substitute day)", "the JSON keeps the English name");
    assert_eq!(en["calendar"], de["calendar"]);
}

/// The importer's errors for each file, its summary and its hint in the
/// interface language; `import-report.md` stays English.
#[test]
fn import_errors_in_both_languages() {
    let env = TestEnv::new();
    let p = env.placeholders();
    let mut failures = Vec::new();
    let record = |slug: &str| {
        format!(
            r#"{{"slug": "{slug}", "relevant-countries": ["de"], "name": "ACME GmbH",
                "address": "ACME GmbH\nHauptstr. 1\n10115 Berlin\nDeutschland",
                "email": "datenschutz@acme.example", "sources": ["https://acme.example/datenschutz"],
                "quality": "tested"}}"#
        )
    };
    env.write("dan/companies/acme.json", record("acme-gmbh"));
    env.write("dan/companies/bad.json", record("Bad Slug"));
    env.write("dan/companies/empty.json", "");
    env.write("dan/companies/list.json", "[1]");
    let import = ["policy", "import-datenanfragen", "dan", "--out", "out", "--date", "2026-11-30"];
    both(&env, "pcheck-import-errors", NOW, &import, &p, &mut failures);
    both(&env, "pcheck-import-no-source", NOW, &["policy", "import-datenanfragen", "missing"], &p, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let report = env.read("out/import-report.md");
    assert!(report.contains("`companies/acme.json`: slug 'acme-gmbh' does not match the file name"), "{report}");
    assert!(report.contains("`companies/empty.json`: file is empty"), "{report}");
    assert!(!report.contains("Dateinamen") && !report.contains("leer"), "the report stays English:\n{report}");
}
