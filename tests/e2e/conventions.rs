//! Errors a non-programmer can act on (issue 17, point 8): TOML syntax
//! errors rephrased with the right form, and one ISO date message for every
//! date option.

use crate::support::TestEnv;

fn stderr(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = env.dsr(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_date_written_the_german_way_in_a_subject_file_is_rephrased_with_the_right_form() {
    let env = TestEnv::new().with_config();
    let subject = env.write(
        "erika.toml",
        "capacity = \"self\"\nname = \"Erika Mustermann\"\nemail = \"erika@example.org\"\n\n[mandate]\n\
         dated = 01.12.2026\n",
    );
    let (code, err) =
        stderr(&env, &["render", "--to", "zendesk", "--kind", "erasure", "--subject", subject.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("erika.toml:6:9: `01.12.2026` is not a date TOML can read: write dates as YEAR-MONTH-DAY"),
        "{err}"
    );
    assert!(err.contains("the right form is, e.g., `dated = 2026-12-01`"), "{err}");
    assert!(!err.contains("leading zero"), "the parser's words are gone: {err}");
}

#[test]
fn unquoted_text_in_the_config_names_the_quotes() {
    let env = TestEnv::new();
    env.write("dsr.toml", "[sender]\nname = Erika Mustermann\n");
    let (code, err) = stderr(&env, &["status"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("dsr.toml:2:8: the text `Erika Mustermann` must be in double quotes"), "{err}");
    assert!(err.contains("`name = \"Erika Mustermann\"`"), "{err}");
}

#[test]
fn every_date_option_takes_only_iso_dates_with_the_same_message() {
    let env = TestEnv::new().with_config();
    let cases: [&[&str]; 4] = [
        &["deadline", "--received", "2027/01/10", "--calendar", "DE"],
        &["send", "--to", "zendesk", "--kind", "processor-deletion", "--confirm-by", "2027/01/10"],
        &["dispatched", "r_aaaaaaaaaaaaaaaa", "--via", "post", "--date", "2027/01/10"],
        &["policy", "import-datenanfragen", "dir", "--date", "2027/01/10"],
    ];
    for args in cases {
        let (code, err) = stderr(&env, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("'2027/01/10' is not a date as YYYY-MM-DD (year-month-day), e.g. 2026-12-01"),
            "{args:?}: {err}"
        );
    }
    let (_, err) = stderr(&env, &["deadline", "--received", "2027-02-30", "--calendar", "DE"]);
    assert!(err.contains("2027-02-30 is not a day in the calendar"), "{err}");
}

#[test]
fn without_a_configured_data_directory_dsr_says_which_it_uses() {
    // No dsr.toml, no --data-dir: the default under $HOME.
    let env = TestEnv::new();
    let log = env.join(".local/share/dsr/log.jsonl");
    let (code, err) = stderr(&env, &["show", "r_aaaaaaaaaaaaaaaa"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "error: no request 'r_aaaaaaaaaaaaaaaa' in the evidence log {} (the default: no --data-dir, \
             DSR_DATA_DIR or data_dir in the config)",
            log.display()
        )),
        "{err}"
    );
    let (code, err) = stderr(&env, &["-v", "status"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "data directory: {} (the default: no --data-dir, DSR_DATA_DIR or data_dir in the config)",
            env.join(".local/share/dsr").display()
        )),
        "{err}"
    );
    // Given: the log is named, without the excuse.
    let (_, err) = stderr(&env, &["--data-dir", "elsewhere", "remind", "r_aaaaaaaaaaaaaaaa"]);
    assert!(err.contains(&format!("in the evidence log {}\n", env.join("elsewhere/log.jsonl").display())), "{err}");
    let (_, err) = stderr(&env, &["-v", "--data-dir", "elsewhere", "status"]);
    assert!(err.contains("(from --data-dir or DSR_DATA_DIR)"), "{err}");
}
