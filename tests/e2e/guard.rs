//! The duplicate guard (issue 17 point 1): the built binary against the
//! real SMTP server of `tests/support`, the log and objects read back.

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{TestEnv, output_text, zendesk_over_smtp};
use serde_json::Value;
use std::process::Output;

fn env(port: u16, local: &str) -> TestEnv {
    zendesk_over_smtp(port, local)
}

const SEND: [&str; 7] = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];

fn run(env: &TestEnv, args: &[&str]) -> Output {
    env.cmd().env("DSR_NOW", "2026-11-30T09:00:00Z").args(args).output().expect("run dsr")
}

fn events(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().skip(1).map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn prepared(env: &TestEnv) -> Vec<Value> {
    events(env).into_iter().filter(|e| e["event"] == "prepared").collect()
}

/// The bytes of the object with `role` of an event.
fn object(env: &TestEnv, event: &Value, role: &str) -> String {
    let sha = event["data"]["objects"].as_array().unwrap().iter().find(|o| o["role"] == role).unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    env.read(&format!("data/objects/{}/{}", &sha[..2], &sha[2..]))
}

/// The refusal names the open case and every way out, and exits 2.
fn assert_refused(out: &Output, request: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", output_text(out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("an open case for this subject already exists: {request}")), "{stderr}");
    for choice in [format!("dsr show {request}"), "--again \"REASON\"".to_string()] {
        assert!(stderr.contains(&choice), "{choice} missing: {stderr}");
    }
}

#[test]
fn a_second_send_for_the_same_subject_is_refused_and_again_sends_it_with_the_reason_logged() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(server.port(), "privacy");
    let out = run(&env, &SEND);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let first = prepared(&env)[0]["request"].as_str().unwrap().to_string();
    let log_before = env.read("data/log.jsonl");

    let out = run(&env, &SEND);
    assert_refused(&out, &first);
    assert_eq!(env.read("data/log.jsonl"), log_before, "a refused send logs nothing");
    assert_eq!(server.messages().len(), 1, "a refused send sends nothing");

    // Refused before the question: nobody is asked to confirm a send that
    // the guard would then refuse (here: no terminal, no --yes).
    let out =
        env.cmd().env_remove("DSR_YES").env("DSR_NOW", "2026-11-30T09:00:00Z").args(SEND).output().expect("run dsr");
    assert_refused(&out, &first);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("confirmation needed") && !stderr.contains("Zendesk International Ltd. <"), "{stderr}");

    // The same subject written differently (case, spaces) is the same subject.
    let subject = env.read("subject.toml").replace("Erika Mustermann", "  erika   MUSTERMANN ");
    env.write("subject.toml", subject);
    assert_refused(&run(&env, &SEND), &first);

    // Another kind for the same subject and company is another request.
    let out = run(&env, &["send", "--to", "zendesk", "--kind", "access", "--subject", "subject.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));

    let mut again = SEND.to_vec();
    again.extend(["--again", "the first request went to an address the company no longer reads"]);
    let out = run(&env, &again);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(server.messages().len(), 3);
    let all = prepared(&env);
    let tag: Value = serde_json::from_str(&object(&env, &all[2], "tag")).unwrap();
    assert_eq!(tag["again_of"], first.as_str());
    assert_eq!(tag["again_reason"], "the first request went to an address the company no longer reads");
    assert_eq!(tag["salt"].as_str().unwrap().len(), 32, "the tag carries 128 random bits");
    // Personal data stays out of the log lines.
    assert!(!env.read("data/log.jsonl").to_lowercase().contains("mustermann"));
    assert!(run(&env, &["log", "verify", "--objects"]).status.success());
}

#[test]
fn a_rerun_after_delivery_unknown_is_refused_not_sent_again() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(server.port(), "dropdata");
    let out = run(&env, &SEND);
    assert_eq!(out.status.code(), Some(3), "{}", output_text(&out));
    assert_eq!(server.messages().len(), 1, "the server has it, but dsr cannot know");
    let first = prepared(&env)[0]["request"].as_str().unwrap().to_string();
    let out = run(&env, &SEND);
    assert_refused(&out, &first);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("dsr send --retry {first}")),
        "{}",
        output_text(&out)
    );
    assert_eq!(server.messages().len(), 1, "re-running the command must not send a second request");
    assert_eq!(prepared(&env).len(), 1);
}

#[test]
fn a_rerun_after_a_crash_mid_delivery_is_refused_not_sent_again() {
    // The server takes the message and never answers; dsr is killed while
    // it waits: `prepared` without an outcome, "delivery unknown".
    let server = SmtpServer::start(SmtpOptions { stall_after_data: true, ..SmtpOptions::default() });
    let env = env(server.port(), "privacy");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dsr"))
        .args(SEND)
        .current_dir(env.path())
        .env_clear()
        .env("HOME", env.path())
        .env("DSR_YES", "1")
        .env("DSR_NOW", "2026-11-30T09:00:00Z")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while server.messages().is_empty() {
        assert!(start.elapsed() < std::time::Duration::from_secs(30), "the message never reached the server");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(events(&env).iter().map(|e| e["event"].as_str().unwrap()).collect::<Vec<_>>(), ["prepared"]);
    let first = prepared(&env)[0]["request"].as_str().unwrap().to_string();
    let status = run(&env, &["status"]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("delivery-unknown"), "{}", output_text(&status));
    let out = run(&env, &SEND);
    assert_refused(&out, &first);
    assert_eq!(server.messages().len(), 1);
    assert_eq!(prepared(&env).len(), 1);
}

#[test]
fn a_batch_row_duplicating_an_open_single_send_or_another_row_is_refused() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(server.port(), "privacy");
    let out = run(&env, &SEND);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let first = prepared(&env)[0]["request"].as_str().unwrap().to_string();
    let log_before = env.read("data/log.jsonl");
    env.write(
        "b.csv",
        "key,policy,kind,lang,subject\na,zendesk,access,de,subject.toml\nb,zendesk,erasure,en,subject.toml\n",
    );
    let out = run(&env, &["send", "--batch", "b.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("an open case for this subject already exists: {first}")), "{stderr}");
    assert!(stderr.contains("row 2"), "{stderr}");
    assert_eq!(env.read("data/log.jsonl"), log_before, "no row of a refused batch is sent");
    assert_eq!(server.messages().len(), 1);

    // Two rows of one file for the same subject, company and kind.
    env.write(
        "b.csv",
        "key,policy,kind,lang,subject\na,zendesk,access,de,subject.toml\nb,zendesk,access,en,subject.toml\n",
    );
    let out = run(&env, &["send", "--batch", "b.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the same subject, company and kind as row 1"),
        "{}",
        output_text(&out)
    );
    assert_eq!(server.messages().len(), 1);
}
