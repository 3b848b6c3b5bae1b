//! The interface language for messages of src/cli (issue 17 point 11):
//! each in English and in German, pinned in `tests/golden/i18n/{en,de}/`.

use crate::support::TestEnv;

#[test]
fn batch_file_and_purge_refusals_in_both_languages() {
    let env = TestEnv::new();
    let ph = env.placeholders();
    let mut failures = Vec::new();
    env.write("batch/cols.csv", "policy,kind,colour\nzendesk,erasure,red\n");
    env.write("batch/empty.csv", "policy,kind,subject\n");
    env.write("batch/rows.csv", "policy,kind,subject,cc_self\n,erasure,erika.toml,perhaps\n");
    for (name, file) in [("batch-unknown-column", "cols"), ("batch-empty", "empty"), ("batch-bad-row", "rows")] {
        let path = format!("batch/{file}.csv");
        crate::i18n::both(&env, name, crate::i18n::NOW, &["send", "--batch", &path], &ph, &mut failures);
    }
    crate::i18n::both(&env, "purge-nothing-selected", crate::i18n::NOW, &["purge"], &ph, &mut failures);
    crate::i18n::both(
        &env,
        "purge-empty-reason",
        crate::i18n::NOW,
        &["purge", "--before", "2026-01-01", "--reason", " "],
        &ph,
        &mut failures,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The calendar file, the state filter, `-` twice, `--pdf` with another
/// channel, and the `-v` evidence lines, in both languages.
#[test]
fn calendar_file_and_command_errors_in_both_languages() {
    use crate::support::smtp::{SmtpOptions, SmtpServer};
    let server = SmtpServer::start(SmtpOptions::default());
    let env = crate::support::zendesk_over_smtp(server.port(), "privacy");
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let out = crate::i18n::run(&env, "de", crate::i18n::NOW, &[&["-v"][..], &send[..]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", crate::support::output_text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Beweise: ") && !stderr.contains("evidence: "), "{stderr}");
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let p = env.placeholders().with("[PORT]", server.port()).with("[REQUEST]", &request);
    let mut failures = Vec::new();
    let both = |name: &str, now: &str, args: &[&str], failures: &mut Vec<String>| {
        crate::i18n::both(&env, name, now, args, &p, failures)
    };
    // The calendar unfolded (RFC 5545 folds at 75 octets, which can split
    // the request id that the placeholder replaces).
    for lang in ["en", "de"] {
        let out = crate::i18n::run(&env, lang, "2027-01-20T09:00:00Z", &["status", "--ics", "-"]);
        let ics = String::from_utf8_lossy(&out.stdout).replace("\r\n ", "");
        let text =
            crate::support::transcript(&["status", "--ics", "-"], out.status.code(), ics.as_bytes(), &out.stderr);
        let golden = format!("i18n/{lang}/cli-status-ics.txt");
        if let Err(e) = crate::support::snapshot::try_snapshot(&golden, &text, p.clone().into()) {
            failures.push(e);
        }
    }
    both("cli-status-no-such-state", crate::i18n::NOW, &["status", "--state", "happy"], &mut failures);
    let twice =
        ["dispatched", &request, "--via", "email", "--received-on", "2026-12-01", "--eml", "-", "--receipt", "-"];
    both("cli-stdin-twice", crate::i18n::NOW, &twice, &mut failures);
    let pdf = ["render", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml", "--via", "email"];
    both("cli-render-pdf-via", crate::i18n::NOW, &[&pdf[..], &["--pdf", "x.pdf"]].concat(), &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
