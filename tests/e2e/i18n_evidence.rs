//! The interface language for the evidence messages (issue 17 point 11): each
//! in English and in German, pinned in `tests/golden/i18n/{en,de}/`.
//!
//! One case is sent; copies of its data directory are then damaged the
//! ways a log is damaged in practice (a changed byte in a line, an object
//! deleted from the store, a last line cut off by a crash), and a bundle
//! exported from it is changed after export. Each damage is reported by
//! `dsr log verify` / `dsr evidence verify` in both languages; the log and
//! the bundle themselves stay as dsr wrote them (English).

use crate::i18n::{NOW, both, run};
use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{output_text, zendesk_over_smtp};
use std::fs;
use std::path::Path;

/// The store's file of the letter that line 2 (the `prepared` line) names.
fn letter_object(data: &Path, log: &str) -> std::path::PathBuf {
    let line: serde_json::Value = serde_json::from_str(log.lines().nth(1).unwrap()).unwrap();
    let objects = line["data"]["objects"].as_array().unwrap();
    let letter = objects.iter().find(|o| o["role"] == "letter").unwrap()["sha256"].as_str().unwrap();
    data.join("objects").join(&letter[..2]).join(&letter[2..])
}

#[test]
fn a_damaged_log_and_a_changed_bundle_in_english_and_german() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "privacy");
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let out = run(&env, "en", NOW, &send);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let p = env
        .placeholders()
        .with("[PORT]", server.port())
        .with("[REQUEST]", &request)
        .pattern("[HASH]", "[0-9a-f]{64}")
        .pattern("[ORIGIN]", "dsr-evidence-log/[0-9a-f]{32}");
    let mut failures = Vec::new();
    let data = env.join("data");

    // The log as dsr wrote it.
    both(&env, "log-verify-ok", NOW, &["log", "verify", "--objects"], &p, &mut failures);

    // A changed byte in the second line: the third line's prev no longer
    // matches.
    let changed = env.join("data-changed");
    crate::support::copy_tree(&data, &changed);
    let mut lines: Vec<String> = log.lines().map(str::to_string).collect();
    assert!(lines.len() >= 3, "{log}");
    lines[1] = lines[1].replacen("erasure", "erasurf", 1);
    assert_ne!(lines[1], log.lines().nth(1).unwrap(), "line 2 names the kind");
    fs::write(changed.join("log.jsonl"), lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let args = ["--data-dir", "data-changed", "log", "verify"];
    both(&env, "log-verify-changed-line", NOW, &args, &p, &mut failures);

    // An object deleted from the store.
    let missing = env.join("data-missing");
    crate::support::copy_tree(&data, &missing);
    fs::remove_file(letter_object(&missing, &log)).unwrap();
    let args = ["--data-dir", "data-missing", "log", "verify", "--objects"];
    both(&env, "log-verify-missing-object", NOW, &args, &p, &mut failures);

    // The last line cut off mid-append (a crash): verify and a command
    // that appends both refuse.
    let torn = env.join("data-torn");
    crate::support::copy_tree(&data, &torn);
    fs::write(torn.join("log.jsonl"), &log.as_bytes()[..log.len() - 20]).unwrap();
    let args = ["--data-dir", "data-torn", "log", "verify"];
    both(&env, "log-verify-torn-last-line", NOW, &args, &p, &mut failures);
    let args = ["--data-dir", "data-torn", "close", &request, "--note", "done"];
    both(&env, "close-torn-log", NOW, &args, &p, &mut failures);

    // A bundle, verified as exported and after one of its files changed.
    let out = run(&env, "en", NOW, &["evidence", "export", &request, "--out", "bundle"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    both(&env, "evidence-verify-ok", NOW, &["evidence", "verify", "bundle"], &p, &mut failures);
    let mut readme = fs::read(env.join("bundle/README.txt")).unwrap();
    readme.extend_from_slice(b"one more line\n");
    fs::write(env.join("bundle/README.txt"), readme).unwrap();
    both(&env, "evidence-verify-changed-file", NOW, &["evidence", "verify", "bundle"], &p, &mut failures);
    fs::create_dir_all(env.join("bundle/mine")).unwrap();
    let args = ["evidence", "export", &request, "--out", "bundle", "--force"];
    both(&env, "evidence-export-not-a-bundle", NOW, &args, &p, &mut failures);

    // The log itself stays English.
    assert_eq!(env.read("data/log.jsonl"), log, "no command above may log anything");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
