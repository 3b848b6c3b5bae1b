//! Tests for the `dsr deadline` command.

use crate::support::{TestEnv, assert_output};

/// Runs `dsr ARGS` and checks what it shows against `tests/golden/<name>.txt`.
#[track_caller]
fn snapshot(env: &TestEnv, args: &[&str], name: &str) {
    assert_output(name, args, &env.dsr(args).output().unwrap(), env.placeholders());
}

fn json(env: &TestEnv, args: &[&str]) -> serde_json::Value {
    let out = env.dsr(args).arg("--json").output().expect("run dsr");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn human_output_names_the_days_that_moved_the_deadline() {
    let env = TestEnv::new();
    env.dsr(&["deadline", "--received", "2025-03-18", "--calendar", "DE"]).assert().success().stdout(
        "received      2025-03-18 Tue   calendar DE (Germany, nationwide holidays)\n\
         one month     2025-04-18 Fri\n\
         deadline      2025-04-22 Tue   moved past:\n\
         \x20               2025-04-18 Fri  Good Friday (Karfreitag)\n\
         \x20               2025-04-19 Sat  Saturday\n\
         \x20               2025-04-20 Sun  Sunday\n\
         \x20               2025-04-21 Mon  Easter Monday (Ostermontag)\n\
         three months  2025-06-18 Wed\n\
         extended      2025-06-18 Wed\n",
    );
}

#[test]
fn human_output_notes_end_of_day_and_the_extension_condition() {
    let env = TestEnv::new();
    env.dsr(&["deadline", "--received", "2025-05-09", "--calendar", "de-nw"]).assert().success().stderr(
        "Deadlines end at 24:00 local time (Europe/Berlin). The extension applies only if the controller told \
         the requester, with reasons, by 2025-06-10.\n",
    );
    env.dsr(&["-q", "deadline", "--received", "2025-05-09", "--calendar", "IE"]).assert().success().stderr("");
}

#[test]
fn json_output_has_iso_dates_and_reasons() {
    let env = TestEnv::new();
    let v = json(&env, &["deadline", "--received", "2025-05-02", "--calendar", "IE"]);
    assert_eq!(
        v,
        serde_json::json!({
            "received": "2025-05-02",
            "calendar": "IE",
            "raw": "2025-06-02",
            "deadline": "2025-06-03",
            "moved": [{ "date": "2025-06-02", "reason": "June Bank Holiday" }],
            "raw_extended": "2025-08-02",
            "extended": "2025-08-05",
            "moved_extended": [
                { "date": "2025-08-02", "reason": "Saturday" },
                { "date": "2025-08-03", "reason": "Sunday" },
                { "date": "2025-08-04", "reason": "August Bank Holiday" }
            ]
        })
    );
}

#[test]
fn legal_md_vectors_through_the_binary() {
    let env = TestEnv::new();
    // LEGAL.md §3: received, calendar, deadline, extended.
    for (received, calendar, deadline, extended) in [
        ("2025-01-31", "DE", "2025-02-28", "2025-04-30"),
        ("2028-01-31", "DE", "2028-02-29", "2028-05-02"),
        ("2026-01-30", "DE", "2026-03-02", "2026-04-30"),
        ("2025-03-15", "DE", "2025-04-15", "2025-06-16"),
        ("2025-05-09", "DE", "2025-06-10", "2025-08-11"),
        ("2025-09-03", "DE", "2025-10-06", "2025-12-03"),
        ("2025-11-25", "DE", "2025-12-29", "2026-02-25"),
        ("2025-04-01", "DE", "2025-05-02", "2025-07-01"),
        ("2025-03-18", "DE", "2025-04-22", "2025-06-18"),
        ("2025-05-02", "IE", "2025-06-03", "2025-08-05"),
        ("2025-05-02", "DE", "2025-06-02", "2025-08-04"),
        ("2025-05-19", "DE-BE", "2025-06-19", "2025-08-19"),
        ("2025-05-19", "DE-NW", "2025-06-20", "2025-08-19"),
        ("2026-03-31", "DE", "2026-04-30", "2026-06-30"),
    ] {
        let v = json(&env, &["deadline", "--received", received, "--calendar", calendar]);
        assert_eq!((v["deadline"].as_str(), v["extended"].as_str()), (Some(deadline), Some(extended)), "{received}");
    }
}

#[test]
fn extra_holidays_from_the_config_count_for_their_calendar_only() {
    let env = TestEnv::new();
    env.write(
        "dsr.toml",
        "[[holidays]]\ncalendar = \"DE-BE\"\ndate = 2025-04-15\nname = \"Betriebsausflug\"\n\n\
         [[holidays]]\ncalendar = \"IE\"\ndate = \"2025-04-16\"\n",
    );
    let v = json(&env, &["deadline", "--received", "2025-03-15", "--calendar", "DE-BE"]);
    assert_eq!(v["deadline"], "2025-04-16");
    assert_eq!(v["moved"], serde_json::json!([{ "date": "2025-04-15", "reason": "Betriebsausflug" }]));
    let v = json(&env, &["deadline", "--received", "2025-03-15", "--calendar", "DE"]);
    assert_eq!(v["deadline"], "2025-04-15");
    let v = json(&env, &["deadline", "--received", "2025-03-16", "--calendar", "IE"]);
    assert_eq!(v["deadline"], "2025-04-17");
    assert_eq!(v["moved"][0]["reason"], "extra holiday (dsr.toml)");
}

/// The UK's substitute bank holidays and Sweden's eves move deadlines
/// (issue 16, point 17).
#[test]
fn uk_substitute_days_and_swedish_eves_move_the_deadline() {
    let env = TestEnv::new();
    let v = json(&env, &["deadline", "--received", "2027-11-25", "--calendar", "GB-EAW"]);
    assert_eq!(v["deadline"], "2027-12-29");
    let reasons: Vec<&str> = v["moved"].as_array().unwrap().iter().map(|m| m["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"Christmas Day (substitute day)"), "{reasons:?}");
    assert!(reasons.contains(&"Boxing Day (substitute day)"), "{reasons:?}");
    let v = json(&env, &["deadline", "--received", "2026-11-24", "--calendar", "SE"]);
    assert_eq!(v["deadline"], "2026-12-28", "Christmas Eve to St Stephen's Day, then the weekend");
    let v = json(&env, &["deadline", "--received", "2026-11-24", "--calendar", "DE"]);
    assert_eq!(v["deadline"], "2026-12-24", "in Germany Christmas Eve is a working day");
}

#[test]
fn unknown_calendar_lists_the_known_ones() {
    let env = TestEnv::new();
    snapshot(&env, &["deadline", "--received", "2025-03-15", "--calendar", "XX"], "errors/deadline-unknown-calendar");
}

#[test]
fn bad_dates_are_explained() {
    let env = TestEnv::new();
    snapshot(&env, &["deadline", "--received", "2025-02-30", "--calendar", "DE"], "errors/deadline-no-such-day");
    snapshot(&env, &["deadline", "--received", "30.01.2025", "--calendar", "DE"], "errors/deadline-date-format");
}

#[test]
fn calendar_is_required() {
    let env = TestEnv::new();
    snapshot(&env, &["deadline", "--received", "2025-03-15"], "errors/deadline-missing-calendar");
}
