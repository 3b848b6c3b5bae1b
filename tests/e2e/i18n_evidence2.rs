//! The interface language (issue 17 point 11): evidence2 messages, each in
//! English and in German, pinned in `tests/golden/i18n/{en,de}/`.
//!
//! One case is sent (to the outbox, with a signing key, so the log has a
//! checkpoint). Then `dsr log verify` meets what a verifier is handed in
//! practice: checkpoint files that are no signed note, a message or
//! letter without a checkpoint, a bad `--key` or `--tsa-ca`, the
//! checkpoint carried by a message and by a letter (witnesses), log lines
//! damaged in their JSON, a log that is a directory, and a broken key
//! file; with a real TSA on loopback, a timestamp token that does not
//! chain to the CA given. The log itself stays as dsr wrote it (English).

use crate::i18n::{NOW, both, run};
use crate::support::tsa::TsaServer;
use crate::support::{TEST_CONFIG, TestEnv, output_text, repo};
use base64::Engine;
use std::fs;
use std::path::Path;

const SEND: [&str; 9] =
    ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml", "--again", "test: again"];

/// A config with a signing key and a subject; `extra` goes at the end of
/// dsr.toml.
fn env_with(extra: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write("dsr.toml", format!("{TEST_CONFIG}{extra}"));
    let out = run(&env, "en", NOW, &["key", "new"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    let out = run(&env, "en", NOW, &SEND);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    env
}

fn request_of(log: &str) -> String {
    log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string()
}

#[test]
fn checkpoint_files_witnesses_damaged_lines_and_io_errors_in_english_and_german() {
    let env = env_with("");
    let log = env.read("data/log.jsonl");
    let out = run(&env, "en", NOW, &["log", "checkpoint", "--out", "cp.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let note = env.read("cp.txt");
    let shown: serde_json::Value =
        serde_json::from_slice(&run(&env, "en", NOW, &["--json", "key", "show"]).stdout).unwrap();
    let (key, key_file) = (shown["key"].as_str().unwrap().to_string(), shown["file"].as_str().unwrap().to_string());
    let p = env
        .placeholders()
        .with("[REQUEST]", request_of(&log))
        .with("[KEY]", &key)
        .pattern("[HASH]", "[0-9a-f]{64}")
        .pattern("[ORIGIN]", "dsr-evidence-log/[0-9a-f]{32}");
    let mut failures = Vec::new();

    // Files that are no signed checkpoint.
    env.write("no-blank-line.txt", "dsr-evidence-log/x\n1\nAAAA\n");
    env.write("bad-signature-line.txt", "o\n1\nAAAA\n\nx k AAAAAAAA\n");
    env.write(
        "bad-size.txt",
        "o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} k AAAAAAAAAAAAAAAAAAAA\n",
    );
    env.write("no-header.eml", "Date: Wed, 02 Dec 2026 09:00:00 +0000\r\nTo: dpo@example.com\r\n\r\nbody\r\n");
    env.write("no-keyword.pdf", "%PDF-1.7\n%%EOF\n");
    for (name, file) in [
        ("ev2-checkpoint-no-blank-line", "no-blank-line.txt"),
        ("ev2-checkpoint-bad-signature-line", "bad-signature-line.txt"),
        ("ev2-checkpoint-bad-size", "bad-size.txt"),
        ("ev2-checkpoint-mail-without-header", "no-header.eml"),
        ("ev2-checkpoint-pdf-without-keyword", "no-keyword.pdf"),
    ] {
        both(&env, name, NOW, &["log", "verify", "--checkpoint", file], &p, &mut failures);
    }
    both(&env, "ev2-verify-bad-key", NOW, &["log", "verify", "--key", "dsr+0000+AQ=="], &p, &mut failures);
    env.write("empty.pem", "no certificate here\n");
    both(&env, "ev2-verify-bad-tsa-ca", NOW, &["log", "verify", "--tsa-ca", "empty.pem"], &p, &mut failures);

    // The checkpoint carried by a message (with and without a To header)
    // and by a letter for post: witnesses of the lines it covers.
    let b64 = base64::engine::general_purpose::STANDARD.encode(note.as_bytes());
    env.write(
        "witness.eml",
        format!(
            "Date: Tue, 01 Dec 2026 09:00:00 +0000\r\nTo: dpo@example.com\r\nDSR-Checkpoint: {b64}\r\n\r\nbody\r\n"
        ),
    );
    env.write(
        "witness-no-to.eml",
        format!("Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nDSR-Checkpoint: {b64}\r\n\r\nx\r\n"),
    );
    env.write("witness.pdf", format!("%PDF-1.7\n<</Keywords (a, dsr-log-checkpoint-note:{b64})>>\n%%EOF\n"));
    for (name, file) in [
        ("ev2-verify-witness-mail", "witness.eml"),
        ("ev2-verify-witness-mail-without-to", "witness-no-to.eml"),
        ("ev2-verify-witness-letter", "witness.pdf"),
    ] {
        both(&env, name, NOW, &["log", "verify", "--checkpoint", file], &p, &mut failures);
    }

    // The JSON report keeps its English wording in German too.
    let json = run(&env, "de", NOW, &["--json", "log", "verify", "--checkpoint", "witness.eml"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["witnesses"][0]["description"],
        "no later than the message of Tue, 01 Dec 2026 09:00:00 +0000 to dpo@example.com (witness)"
    );
    assert_eq!(json["existed"][0]["by"], "witness: the message of Tue, 01 Dec 2026 09:00:00 +0000 to dpo@example.com");

    // Lines damaged in their JSON: an event name that is not snake_case,
    // a member given twice.
    let data = env.join("data");
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.len() >= 3, "{log}");
    let damaged = |dir: &str, line: usize, from: &str, to: &str| {
        let copy = env.join(dir);
        crate::support::copy_tree(&data, &copy);
        let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert!(changed[line].contains(from), "{}", changed[line]);
        changed[line] = changed[line].replacen(from, to, 1);
        fs::write(copy.join("log.jsonl"), changed.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    };
    damaged("data-bad-event", 1, "\"event\":\"prepared\"", "\"event\":\"Prepared\"");
    both(&env, "ev2-log-bad-event-name", NOW, &["--data-dir", "data-bad-event", "log", "verify"], &p, &mut failures);
    damaged("data-duplicate", 1, "\"data\":{", "\"data\":{\"note\":1,\"note\":2,");
    let args = ["--data-dir", "data-duplicate", "log", "verify"];
    both(&env, "ev2-log-duplicate-member", NOW, &args, &p, &mut failures);

    // A directory where the log file should be.
    fs::create_dir_all(env.join("data-dir-log/log.jsonl")).unwrap();
    let args = ["--data-dir", "data-dir-log", "log", "verify"];
    both(&env, "ev2-log-is-a-directory", NOW, &args, &p, &mut failures);

    // A key file that holds no key.
    assert_eq!(env.read("data/log.jsonl"), log, "no command above may log anything");
    assert!(Path::new(&key_file).is_file(), "dsr key show: {key_file:?}");
    fs::write(&key_file, "not a key\n").unwrap();
    both(&env, "ev2-key-file-no-key", NOW, &["log", "checkpoint"], &p, &mut failures);

    assert_eq!(env.read("data/log.jsonl"), log, "no command above may log anything");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_token_of_a_tsa_outside_the_given_ca_is_refused_in_english_and_german() {
    let tsa = TsaServer::start("ec");
    // The TSA without its ca_file: the token is logged; its CA is given to
    // the verifier later, and the TSA's certificate does not chain to it.
    let config = tsa.config("loopback-tsa", 10);
    let config: String = config.lines().filter(|l| !l.starts_with("ca_file")).map(|l| format!("{l}\n")).collect();
    tsa.set_mode("foreign");
    let env = env_with(&config);
    let log = env.read("data/log.jsonl");
    assert!(log.contains("\"event\":\"timestamped\""), "{log}");
    let ca = tsa.ca_file().display().to_string();
    let line = log.lines().find(|l| l.contains("\"event\":\"timestamped\"")).unwrap();
    let line: serde_json::Value = serde_json::from_str(line).unwrap();
    let p = env
        .placeholders()
        .with("[TSA]", tsa.dir().display())
        .with("[SERIAL]", line["data"]["serial"].as_str().unwrap())
        .pattern("[HASH]", "[0-9a-f]{64}")
        .pattern("[TIME]", r"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
    let mut failures = Vec::new();
    both(&env, "ev2-token-refused", NOW, &["log", "verify", "--tsa-ca", &ca], &p, &mut failures);
    assert_eq!(env.read("data/log.jsonl"), log, "verify logs nothing");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
