//! The archive witness (issue 13 point 5): with `[witness] email`, every
//! new signed checkpoint is mailed to that address through the same SMTP
//! settings as requests (the real test server, tests/support/smtp.rs), or
//! put in the outbox without `[smtp]`; a failure is logged and never fails
//! the command, and the next command mails a newer checkpoint. The copy
//! the archive received verifies the log with `dsr log verify
//! --checkpoint` and with docs/verify_log.py.

use crate::support::smtp::{SmtpOptions, SmtpServer, python};
use crate::support::{TEST_CONFIG, TestEnv, closed_port, repo, sha256_hex, smtp_plain};
use serde_json::Value;
use std::fs;
use std::process::Command;

const ARCHIVE: &str = "archive@beispiel-handel.example";

fn env_with(smtp: Option<u16>) -> TestEnv {
    let env = TestEnv::new();
    let smtp = smtp.map(smtp_plain).unwrap_or_default();
    env.write("dsr.toml", format!("{TEST_CONFIG}{smtp}\n[witness]\nemail = \"{ARCHIVE}\"\n"));
    env.dsr(&["key", "new"]).assert().success();
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    env
}

fn send(env: &TestEnv) -> std::process::Output {
    env.dsr(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml", "--again", "test: again"])
        .output()
        .unwrap()
}

fn lines(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn events(env: &TestEnv, name: &str) -> Vec<Value> {
    lines(env).into_iter().filter(|l| l["event"] == name).collect()
}

fn object(env: &TestEnv, line: &Value, role: &str) -> Vec<u8> {
    let o = line["data"]["objects"].as_array().unwrap().iter().find(|o| o["role"] == role).unwrap();
    let h = o["sha256"].as_str().unwrap();
    fs::read(env.join(&format!("data/objects/{}/{}", &h[..2], &h[2..]))).unwrap()
}

#[test]
fn each_new_checkpoint_reaches_the_archive_and_its_copy_verifies_the_log() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env_with(Some(server.port()));
    let out = send(&env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The request and the archive's copy of the checkpoint signed after it.
    let messages = server.messages();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let archived: Vec<_> = messages.iter().filter(|m| m.rcpt_tos == [ARCHIVE]).collect();
    assert_eq!(archived.len(), 1, "{messages:?}");
    let copy = &archived[0];
    let all = lines(&env);
    let sent = events(&env, "witness_sent");
    assert_eq!(sent.len(), 1);
    let w = &sent[0];
    // Logged after the checkpoint it mails, naming it, the server's reply
    // and the exact bytes delivered.
    let cp_seq = w["data"]["checkpoint"]["seq"].as_u64().unwrap() as usize;
    assert_eq!(all[cp_seq]["event"], "checkpoint");
    assert_eq!(w["seq"].as_u64().unwrap() as usize, cp_seq + 1);
    assert_eq!(w["data"]["to"], ARCHIVE);
    assert_eq!(w["data"]["code"], 250);
    assert_eq!(object(&env, w, "message"), copy.bytes, "the stored message is the one delivered");
    assert!(String::from_utf8_lossy(&object(&env, w, "smtp-reply")).starts_with("250 "));
    let text = String::from_utf8_lossy(&copy.bytes).into_owned();
    let id = w["data"]["message_id"].as_str().unwrap();
    assert!(text.contains(&format!("Message-ID: <{id}>")), "{text}");
    assert!(text.contains("DSR-Checkpoint: "), "{text}");
    // The note in the body (quoted-printable: it holds an em dash).
    let note = all[cp_seq]["data"]["note"].as_str().unwrap();
    let first_lines: String = note.lines().take(2).map(|l| format!("{l}\r\n")).collect();
    assert!(text.contains(&first_lines), "the note in the body: {text}");

    // The archive's copy verifies the log, with dsr and with verify_log.py.
    let saved = env.write("saved.eml", &copy.bytes).display().to_string();
    let out = env.dsr(&["log", "verify", "--checkpoint", &saved]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains(&format!("extends checkpoint {saved}: lines 1-{cp_seq} are as it signed them")),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("existed: lines 1-{cp_seq}: no later than ")), "{stdout}");
    assert!(stdout.contains("(witness: the message of "), "{stdout}");
    let py = Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .arg(env.join("data"))
        .args(["--checkpoint", &saved])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&py.stdout), stdout, "verify_log.py agrees");
    // A rewritten log no longer extends the archive's copy.
    let log = env.read("data/log.jsonl");
    fs::write(env.join("data/log.jsonl"), log.replacen("zendesk", "zendesq", 1)).unwrap();
    assert_eq!(env.dsr(&["log", "verify", "--checkpoint", &saved]).output().unwrap().status.code(), Some(4));
    fs::write(env.join("data/log.jsonl"), log).unwrap();

    // A second command mails its own, newer checkpoint.
    assert!(send(&env).status.success());
    assert_eq!(events(&env, "witness_sent").len(), 2);
    assert_eq!(server.messages().iter().filter(|m| m.rcpt_tos == [ARCHIVE]).count(), 2);
}

#[test]
fn a_witness_that_cannot_be_mailed_never_fails_the_command_and_the_next_one_catches_up() {
    let (port, _) = closed_port();
    let env = env_with(None);
    // A request into the outbox first (no [smtp]): the witness goes there too.
    let out = send(&env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let outboxed = events(&env, "witness_outboxed");
    assert_eq!(outboxed.len(), 1);
    let file = outboxed[0]["data"]["file"].as_str().unwrap();
    assert_eq!(fs::read(env.join(&format!("data/{file}"))).unwrap(), object(&env, &outboxed[0], "message"));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(&format!("the checkpoint for the witness {ARCHIVE} is in the outbox"))
    );
    let request = lines(&env).iter().find_map(|l| l["request"].as_str().map(String::from)).unwrap();

    // Now [smtp] names a closed port: closing the case still succeeds, the
    // failure is logged, and nothing is logged as sent.
    let config = env.read("dsr.toml").replace("\n[witness]", &format!("{}\n[witness]", smtp_plain(port)));
    env.write("dsr.toml", &config);
    let out = env.dsr(&["close", &request, "--note", "done"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(&format!("the checkpoint could not be mailed to the witness {ARCHIVE}")), "{stderr}");
    let failed = events(&env, "witness_failed");
    assert_eq!(failed.len(), 1, "{stderr}");
    assert!(events(&env, "witness_sent").is_empty());
    let why = String::from_utf8_lossy(&object(&env, &failed[0], "smtp-error")).into_owned();
    assert!(!why.is_empty());

    // The server is back: the next command mails its checkpoint, which
    // covers everything before it, the failure included.
    let server = SmtpServer::start(SmtpOptions::default());
    env.write("dsr.toml", config.replace(&format!("port = {port}"), &format!("port = {}", server.port())));
    assert!(send(&env).status.success());
    let sent = events(&env, "witness_sent");
    assert_eq!(sent.len(), 1);
    let covers = sent[0]["data"]["checkpoint"]["size"].as_u64().unwrap();
    assert!(covers > failed[0]["seq"].as_u64().unwrap());
    let copy = server.messages().into_iter().find(|m| m.rcpt_tos == [ARCHIVE]).unwrap();
    assert_eq!(sha256_hex(&copy.bytes), sha256_hex(&object(&env, &sent[0], "message")));
    let saved = env.write("saved.eml", &copy.bytes).display().to_string();
    env.dsr(&["log", "verify", "--objects", "--checkpoint", &saved]).assert().success();
}
