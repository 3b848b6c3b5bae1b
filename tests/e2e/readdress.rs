//! `dsr send --readdress`: after a permanent refusal (a 550 when it was
//! sent, against the real test SMTP server; a bounce report from a real
//! Postfix, imported with `dsr mail import`), `send --retry` refuses to send
//! the same bytes to the same address and names `--readdress`, which sends
//! the same letter as a new message, threaded to the refused one, to the
//! corrected address; the case's deadline then runs from the new message.

use crate::support::postfix::Postfix;
use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{TestEnv, parse_eml, repo, smtp_plain};
use serde_json::Value;

const COMPANY: &str = "mueller-soehne.example";
const SENDER: &str = "erika.mustermann@beispiel-handel.example";

const CONFIG: &str = r#"
data_dir = "data"
policies_dir = "policies"

[sender]
name = "Dr. Anna Beispiel"
organisation = "Beispiel Handels GmbH"
role = "Datenschutzbeauftragte"
address = ["Musterstraße 12", "10115 Berlin", "Deutschland"]
email = "datenschutz@beispiel-handel.example"
calendar = "DE-BE"
"#;

fn setup(to_local: &str, port: u16) -> TestEnv {
    let env = TestEnv::new();
    let original = std::fs::read_to_string(repo().join("policies/zendesk.toml")).unwrap();
    env.write("policies/zendesk.toml", original.replace("euprivacy@zendesk.com", &format!("{to_local}@{COMPANY}")));
    env.write("dsr.toml", format!("{CONFIG}{}", smtp_plain(port)));
    env
}

/// Runs dsr with `DSR_NOW` = `now` when given.
fn dsr(env: &TestEnv, now: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = env.dsr(args);
    if let Some(now) = now {
        cmd.env("DSR_NOW", now);
    }
    let out = cmd.output().expect("run dsr");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8");
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

fn events(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

fn send(env: &TestEnv, now: Option<&str>) -> (i32, String) {
    let subject = repo().join("examples/subject-person.toml").display().to_string();
    let (code, out, err) = dsr(env, now, &["send", "--to", "zendesk", "--kind", "erasure", "--subject", &subject]);
    (code, format!("{out}{err}"))
}

fn verify(env: &TestEnv) {
    let (code, out, err) = dsr(env, None, &["log", "verify", "--objects"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// `--retry` of a refused case: exit 2, the refusal and `--readdress`
/// named, nothing logged.
#[track_caller]
fn assert_retry_refused(env: &TestEnv, request: &str, what: &str) {
    let log = env.read("data/log.jsonl");
    let (code, out, err) = dsr(env, None, &["send", "--retry", request, "--yes"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains(&format!("was refused for good ({what}")), "{err}");
    assert!(err.contains(&format!("dsr send --readdress {request} --to-address NEW@ADDRESS")), "{err}");
    assert_eq!(env.read("data/log.jsonl"), log, "a refused retry logged something");
}

/// The readdressed `prepared` event: the new address, threaded to and
/// naming the refused message and the reason.
#[track_caller]
fn assert_readdressed(env: &TestEnv, refused: &str, reason: &str) -> Value {
    let ev = events(env);
    let p = ev.iter().rfind(|e| e["event"] == "prepared").unwrap().clone();
    assert_eq!(p["data"]["to"][0], format!("privacy@{COMPANY}"), "{p}");
    assert_eq!(p["data"]["in_reply_to"], refused, "{p}");
    assert_eq!(p["data"]["readdresses"]["message_id"], refused, "{p}");
    let logged = p["data"]["readdresses"]["reason"].as_str().unwrap();
    assert!(logged.starts_with(reason), "{logged}");
    assert_ne!(p["data"]["message_id"], refused);
    assert_eq!(ev.last().unwrap()["event"], "sent");
    p
}

#[test]
fn a_550_refuses_retry_and_readdress_sends_a_threaded_message_with_a_new_deadline() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("permfail", server.port());
    let (code, out) = send(&env, Some("2026-11-30T09:00:00Z"));
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("--readdress"), "the 550's hint offers --readdress: {out}");
    let ev = events(&env);
    let request = ev[1]["request"].as_str().unwrap().to_string();
    let refused = ev[1]["data"]["message_id"].as_str().unwrap().to_string();
    assert_retry_refused(&env, &request, "550 at rcpt_to");
    assert!(server.messages().is_empty());

    // Bad new addresses: refused, nothing logged.
    let log = env.read("data/log.jsonl");
    for (to, says) in [
        ("not-an-address", "--to-address: 'not-an-address' is not a valid email address"),
        (&format!("PermFail@{COMPANY}") as &str, "was refused for good already"),
    ] {
        let (code, out, err) = dsr(&env, None, &["send", "--readdress", &request, "--to-address", to, "--yes"]);
        assert_eq!(code, 2, "{to}: {out}{err}");
        assert!(err.contains(says), "{to}: {err}");
    }
    assert_eq!(env.read("data/log.jsonl"), log);

    // Three days later, to the right address. Without a terminal and
    // without --yes (or DSR_YES) it is refused before anything is stored.
    let to = format!("privacy@{COMPANY}");
    let out = env
        .dsr(&["send", "--readdress", &request, "--to-address", &to])
        .env_remove("DSR_YES")
        .env("DSR_NOW", "2026-12-03T09:00:00Z")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("confirmation needed: send the letter of message") && err.contains("--yes"), "{err}");
    assert_eq!(env.read("data/log.jsonl"), log);
    assert!(server.messages().is_empty());
    let (code, out, err) =
        dsr(&env, Some("2026-12-03T09:00:00Z"), &["send", "--readdress", &request, "--to-address", &to, "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("replaces:   <{refused}> (readdressed after 550 at rcpt_to")), "{out}");
    let p = assert_readdressed(&env, &refused, &format!("readdressed after 550 at rcpt_to for permfail@{COMPANY}"));
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos, std::slice::from_ref(&to));
    let eml = parse_eml(&got[0].path);
    assert_eq!(eml["to"][0][1], to);
    assert_eq!(eml["in_reply_to"], format!("<{refused}>"));
    assert_eq!(eml["message_id"], format!("<{}>", p["data"]["message_id"].as_str().unwrap()));
    assert!(eml["date"].as_str().unwrap().starts_with("2026-12-03"), "{eml}");
    // The same letter: its identity record and subject line.
    let names: Vec<&str> =
        eml["attachments"].as_array().unwrap().iter().map(|a| a["filename"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.starts_with("identity")), "{names:?}");
    assert!(
        eml["body"].as_str().unwrap().contains("3. Dezember 2026")
            || eml["body"].as_str().unwrap().contains("3 December 2026"),
        "dated today: {eml}"
    );

    // The deadline runs from the new message.
    let stated = p["data"]["stated_deadline"].as_str().unwrap().to_string();
    let (_, show, _) = dsr(&env, Some("2026-12-03T10:00:00Z"), &["show", &request]);
    assert!(show.contains("state     sent"), "{show}");
    assert!(show.contains(&format!("due       {stated}")), "{show}");
    assert!(show.contains(&format!("readdressed to {to}")), "{show}");
    let (_, status, _) = dsr(&env, Some("2026-12-03T10:00:00Z"), &["status"]);
    assert!(status.contains(&stated), "{status}");
    verify(&env);

    // Nothing is refused any more: a second readdress is refused.
    let (code, _, err) =
        dsr(&env, None, &["send", "--readdress", &request, "--to-address", "other@x.example", "--yes"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no message of this case was refused for good"), "{err}");
    verify(&env);
}

#[test]
fn a_case_without_a_refusal_cannot_be_readdressed() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", server.port());
    let (code, out) = send(&env, None);
    assert_eq!(code, 0, "{out}");
    let request = events(&env)[1]["request"].as_str().unwrap().to_string();
    let (code, _, err) =
        dsr(&env, None, &["send", "--readdress", &request, "--to-address", &format!("new@{COMPANY}"), "--yes"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no message of this case was refused for good"), "{err}");
    verify(&env);
}

#[test]
fn a_bounce_report_refuses_retry_and_readdress_sends_to_the_new_address() {
    let postfix = Postfix::start(&[COMPANY, "beispiel-handel.example"], &[&format!("privacy@{COMPANY}"), SENDER]);
    let env = setup("bounce", postfix.port());
    let (code, out) = send(&env, None);
    assert_eq!(code, 0, "{out}");
    let ev = events(&env);
    let sent = ev.iter().find(|e| e["event"] == "sent").unwrap();
    let request = sent["request"].as_str().unwrap().to_string();
    let refused = sent["data"]["message_id"].as_str().unwrap().to_string();
    let dsn = postfix
        .wait_for(SENDER, 1, "Action: failed")
        .into_iter()
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(&request)))
        .expect("a bounce for the request");
    let (code, out, err) = dsr(&env, None, &["mail", "import", &dsn.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains(&format!("dsr send --readdress {request}")), "{err}");
    assert_retry_refused(&env, &request, "a delivery report (5.1.1");

    let to = format!("privacy@{COMPANY}");
    let (code, out, err) = dsr(&env, None, &["send", "--readdress", &request, "--to-address", &to, "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    let p = assert_readdressed(&env, &refused, "readdressed after a delivery report (5.1.1");
    let new_id = p["data"]["message_id"].as_str().unwrap();
    assert_eq!(postfix.wait_for(&to, 1, new_id).len(), 1, "the company's mailbox has the new message");
    let (_, show, _) = dsr(&env, None, &["show", &request]);
    assert!(show.contains("state     sent"), "the bounce of the replaced message no longer fails the case: {show}");
    // The refused message's report, imported again, is still recorded once.
    let lines = events(&env).len();
    let (code, out, err) = dsr(&env, None, &["mail", "import", &dsn.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("already recorded"), "{out}");
    assert_eq!(events(&env).len(), lines);
    // The bad address again is refused.
    let (code, _, err) =
        dsr(&env, None, &["send", "--readdress", &request, "--to-address", &format!("bounce@{COMPANY}"), "--yes"]);
    assert_eq!(code, 2, "{err}");
    verify(&env);
}
