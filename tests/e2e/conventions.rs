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
    env.write("r.csv", "policy,kind,subject,confirm_by\nzendesk,processor-deletion,s.toml,2027/01/10\n");
    let cases: [&[&str]; 8] = [
        &["deadline", "--received", "2027/01/10", "--calendar", "DE"],
        &["render", "--to", "zendesk", "--kind", "processor-deletion", "--confirm-by", "2027/01/10"],
        &["dispatched", "r_aaaaaaaaaaaaaaaa", "--via", "post", "--received-on", "2027/01/10"],
        &["purge", "--before", "2027/01/10", "--dry-run"],
        &["send", "--batch", "r.csv", "--dry-run"],
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

/// A batch file's problems name the row's own field and the file's real
/// line: CSV data row 1 is line 2, a quoted field with a newline moves
/// the rows after it down, a TOML row's error is on its field's line.
#[test]
fn batch_errors_name_the_rows_field_and_the_files_line() {
    let env = TestEnv::new().with_config();
    let person = std::fs::read_to_string(crate::support::repo().join("examples/subject-person.toml")).unwrap();
    env.write("erika.toml", &person);
    env.write(
        "requests.csv",
        "policy,kind,subject,confirm_by,subject.name\n\
         zendesk,erasure,erika.toml,,\n\
         zendesk,erasure,\"erika\n.toml\",,\n\
         zendesk,processor-deletion,erika.toml,2027/01/10,\n\
         zendesk,erasure,,,Erika Mustermann\n",
    );
    let (code, err) = stderr(&env, &["send", "--batch", "requests.csv"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("3 of 4 rows are invalid"), "{err}");
    // Row 2 starts on line 3 and spans two lines; row 3 is on line 5.
    assert!(err.contains("  row 2 (line 3): "), "{err}");
    assert!(
        err.contains(
            "  row 3 (line 5): confirm_by: '2027/01/10' is not a date as YYYY-MM-DD (year-month-day), e.g. 2026-12-01"
        ),
        "{err}"
    );
    // An inline subject's problem is the row's subject.* field, told once.
    assert!(
        err.contains("  row 4 (line 6): subject.capacity: missing: data_subject, representative or controller"),
        "{err}"
    );
    assert!(!err.contains("requests.csv row"), "the row is not named twice: {err}");

    env.write(
        "requests.toml",
        "[[request]]\npolicy = \"zendesk\"\nkind = \"erasure\"\nsubject = \"erika.toml\"\n\n\
         [[request]]\npolicy = \"zendesk\"\n\nkind = \"processor-deletion\"\n# when\nconfirm_by = \"10.01.2027\"\n\
         subject = \"erika.toml\"\n\n\
         [[request]]\npolicy = \"zendesk\"\nkind = \"erasure\"\n\n[request.subject]\nname = \"Erika\"\n\
         email = \"erika@example.org\"\ncapacity = \"controller\"\n",
    );
    let (code, err) = stderr(&env, &["send", "--batch", "requests.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("  row 2 (line 11): confirm_by: '10.01.2027' is not a date as YYYY-MM-DD"), "{err}");
    assert!(
        err.contains("  row 3 (line 21): subject.capacity: a controller (capacity = \"controller\") cannot make"),
        "{err}"
    );
    assert!(!env.join("data").exists(), "nothing was stored or logged");
}

/// A capacity that cannot send the kind says what is allowed, before any
/// of the capacity's own fields ("organisation: missing").
#[test]
fn a_role_that_cannot_send_the_kind_says_what_is_allowed() {
    let env = TestEnv::new().with_config();
    let controller = env.write(
        "controller.toml",
        "capacity = \"controller\"\nname = \"Erika Mustermann\"\nemail = \"erika@example.org\"\n",
    );
    let person = crate::support::repo().join("examples/subject-person.toml");
    let org = crate::support::repo().join("examples/subject-org.toml");
    let cases: [(&str, &std::path::Path, &str, &str); 4] = [
        (
            "erasure",
            &controller,
            "capacity: a controller (capacity = \"controller\") cannot make an Art. 17 GDPR request: erasure is the \
             data subject's right; a controller instructs its processor with processor-deletion (Art. 28(3)(g) GDPR)",
            "or pass --kind processor-deletion for data the company processes for your organisation",
        ),
        (
            "access",
            &org,
            "a controller (capacity = \"controller\") cannot make an Art. 15 GDPR request: access is the data \
             subject's right",
            "use capacity = \"data_subject\" (or \"representative\" with a mandate)",
        ),
        (
            "objection",
            &org,
            "cannot make an Art. 21 GDPR request: objection is the data subject's right",
            "--kind processor-deletion",
        ),
        (
            "processor-deletion",
            &person,
            "a data subject (capacity = \"data_subject\") cannot send a processor-deletion letter: that is a \
             controller's instruction to its processor (Art. 28(3)(g) GDPR)",
            "or pass --kind erasure for a person's own data (Art. 17 GDPR)",
        ),
    ];
    for (kind, subject, message, hint) in cases {
        let (code, err) =
            stderr(&env, &["render", "--to", "zendesk", "--kind", kind, "--subject", subject.to_str().unwrap()]);
        assert_eq!(code, 2, "{kind}: {err}");
        assert!(err.contains(message), "{kind}: {err}");
        assert!(err.contains(hint), "{kind}: {err}");
        assert!(!err.contains("organisation: missing"), "{kind}: {err}");
    }
}

/// `--dry-run` of a batch names each row by what a person recognises (its
/// key, else kind and subject), once, with its line; never a digest.
#[test]
fn batch_dry_run_prints_each_rows_key_once() {
    let env = TestEnv::new().with_config();
    let person = std::fs::read_to_string(crate::support::repo().join("examples/subject-person.toml")).unwrap();
    env.write("erika.toml", &person);
    env.write(
        "requests.csv",
        "key,policy,kind,subject\n,zendesk,erasure,erika.toml\nerika-access,zendesk,access,erika.toml\n",
    );
    let out = env.dsr(&["send", "--batch", "requests.csv", "--dry-run"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stdout,
        "row 1 (line 2): zendesk erasure erika.toml: send\nrow 2 (line 3): zendesk erika-access: send\n\
         2 rows valid: 2 to send, 0 done earlier, 0 failed or unknown\n"
    );
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "dry run: nothing was stored, logged or sent\n");
    assert!(!env.join("data").exists());
}
