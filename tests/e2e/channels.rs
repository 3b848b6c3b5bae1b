//! Tests for the channels dsr does not send on itself: the user's own mail
//! client (`dispatched --via email --eml`), post (`send --via post`, the
//! PDF letter, `dispatched --via post`) and web forms (`send --via
//! webform`, `dispatched --via webform`), each through reply, reminder and
//! complaint; the clock moved by `DSR_NOW` (debug builds only).

use crate::support::smtp::run_script;
use crate::support::{TestEnv, assert_output, repo, sha256_hex};
use serde_json::Value;
use std::ffi::OsStr;

/// The standard test config plus a policy directory.
fn setup() -> TestEnv {
    let env = TestEnv::new();
    let policy = std::fs::read_to_string(repo().join("policies/zendesk.toml"))
        .unwrap()
        .replace("euprivacy@zendesk.com", "privacy@company.example");
    env.write("policies/zendesk.toml", policy);
    env.write("dsr.toml", format!("policies_dir = \"policies\"\n{}", crate::support::TEST_CONFIG));
    env
}

fn dsr(env: &TestEnv, now: &str, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd().env("DSR_NOW", now).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn ok(env: &TestEnv, now: &str, args: &[&str]) -> (String, String) {
    let (code, stdout, stderr) = dsr(env, now, args);
    assert_eq!(code, 0, "dsr {args:?}\nstdout: {stdout}\nstderr: {stderr}");
    (stdout, stderr)
}

fn json(env: &TestEnv, now: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&ok(env, now, &a).0).unwrap()
}

fn row(env: &TestEnv, now: &str, request: &str) -> Value {
    let rows = json(env, now, &["status"]);
    rows.as_array().unwrap().iter().find(|r| r["request"] == request).cloned().unwrap()
}

fn events(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn subject() -> String {
    repo().join("examples/subject-person.toml").display().to_string()
}

/// Sends an erasure request to the outbox; its request id and .eml file.
fn outboxed_erasure(env: &TestEnv, now: &str) -> (String, String) {
    let v = json(env, now, &["send", "--to", "zendesk", "--kind", "erasure", "--subject", &subject()]);
    assert_eq!(v["delivered"]["route"], "outbox");
    (v["request"].as_str().unwrap().to_string(), v["delivered"]["file"].as_str().unwrap().to_string())
}

/// What the user's own mail client keeps in its Sent folder after sending
/// `outboxed` at `date` (tests/support/mail_client.py), written to `name`.
fn sent_copy(env: &TestEnv, outboxed: &str, name: &str, date: &str, extra: &[&str]) -> String {
    let copy = env.join(name);
    let mut args: Vec<&OsStr> = vec![OsStr::new(outboxed), copy.as_os_str(), OsStr::new("--date"), OsStr::new(date)];
    args.extend(extra.iter().map(OsStr::new));
    let out = run_script("mail_client.py", &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    copy.display().to_string()
}

fn reply_eml(env: &TestEnv, name: &str, in_reply_to: &str, date: &str) -> String {
    let text = format!(
        "From: Zendesk Privacy <privacy@company.example>\r\nTo: erika.mustermann@beispiel-handel.example\r\n\
         Subject: Re: your request\r\nDate: {date}\r\nMessage-ID: <{name}@company.example>\r\n\
         In-Reply-To: <{in_reply_to}>\r\n\r\nWe have received your request.\r\n"
    );
    env.write(name, text).display().to_string()
}

// ----- the user's own mail client ---------------------------------------------

#[test]
fn an_outboxed_request_sent_from_the_users_own_client_goes_through_reply_and_remind() {
    let env = setup();
    let (request, outboxed) = outboxed_erasure(&env, "2026-11-30T08:00:00Z");
    let r = row(&env, "2026-11-30T08:30:00Z", &request);
    assert_eq!((r["state"].as_str(), r["due"].as_str()), (Some("outboxed"), None));

    // The client re-encodes everything and sends it at 10:12 in Berlin.
    let copy = sent_copy(&env, &outboxed, "sent.eml", "Mon, 30 Nov 2026 10:12:00 +0100", &[]);
    assert_ne!(std::fs::read(&copy).unwrap(), std::fs::read(&outboxed).unwrap(), "a client re-encodes");
    let v = json(&env, "2026-11-30T12:00:00Z", &["dispatched", &request, "--via", "email", "--eml", &copy]);
    assert_eq!(v["events"], serde_json::json!(["dispatched"]));
    assert_eq!(v["differences"], serde_json::json!([]), "{v}");
    assert_eq!(v["warnings"], serde_json::json!([]), "{v}");
    assert_eq!(v["sent_at"], "2026-11-30T09:12:00Z", "the copy's Date is the sending time");
    assert_eq!(v["due"]["date"], "2026-12-30", "one month from Mon 30 Nov in Ireland");

    // The copy is evidence, byte for byte; the comparison too.
    let ev = events(&env);
    let last = ev.last().unwrap();
    assert_eq!(last["event"], "dispatched");
    assert_eq!(last["data"]["via"], "email");
    let roles: Vec<&str> =
        last["data"]["objects"].as_array().unwrap().iter().map(|o| o["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["sent-copy", "comparison"]);
    assert_eq!(last["data"]["objects"][0]["sha256"], sha256_hex(&std::fs::read(&copy).unwrap()));
    assert!(last["data"].get("differences").is_none(), "no differences, none logged");

    let r = row(&env, "2026-12-01T09:00:00Z", &request);
    assert_eq!((r["state"].as_str(), r["due"].as_str()), (Some("dispatched"), Some("2026-12-30")));
    let ics = env.join("d.ics");
    ok(&env, "2026-12-01T09:00:00Z", &["status", "--ics", ics.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&ics).unwrap().contains("DTSTART;VALUE=DATE:20261230"));

    // The same copy twice is refused, and logs nothing.
    let before = env.read("data/log.jsonl");
    let args = ["dispatched", &request, "--via", "email", "--eml", &copy];
    let out = env.cmd().env("DSR_NOW", "2026-12-01T09:00:00Z").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is recorded as sent already"), "{out:?}");
    assert_eq!(env.read("data/log.jsonl"), before);

    // From here on it works as for SMTP: a reply, then a reminder.
    let message_id = last["data"]["message_id"].as_str().unwrap();
    let ack = reply_eml(&env, "ack", message_id, "Tue, 01 Dec 2026 10:00:00 +0000");
    ok(&env, "2026-12-01T12:00:00Z", &["reply", "--eml", &ack, "--outcome", "acknowledged"]);
    assert_eq!(row(&env, "2026-12-01T12:00:00Z", &request)["state"], "acknowledged");
    // Not by post: the letter's sender (Erika, for herself) gave no postal
    // address for the return line. Refused, nothing logged.
    let before = env.read("data/log.jsonl");
    let (code, _, stderr) = dsr(&env, "2027-01-04T09:00:00Z", &["remind", &request, "--via", "post"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a letter for post needs the sender's postal address"), "{stderr}");
    assert!(stderr.contains("send it by email (leave --via out)"), "{stderr}");
    assert_eq!(env.read("data/log.jsonl"), before);
    let v = json(&env, "2027-01-04T09:00:00Z", &["remind", &request]);
    assert_eq!(v["kind"], "reminder");
    assert_eq!(row(&env, "2027-01-04T10:00:00Z", &request)["state"], "reminded");
    ok(&env, "2027-01-04T10:00:00Z", &["log", "verify", "--objects"]);
}

#[test]
fn a_sent_copy_that_differs_is_reported_and_recorded_as_such() {
    let env = setup();
    let (request, outboxed) = outboxed_erasure(&env, "2026-11-30T08:00:00Z");
    let copy = sent_copy(
        &env,
        &outboxed,
        "edited.eml",
        "Mon, 30 Nov 2026 10:12:00 +0100",
        &["--edit-body", "Article 17(1)", "Article 71(1)", "--drop-attachment", "identity-verification.json"],
    );
    let args = ["dispatched", &request, "--via", "email", "--eml", &copy];
    let out = env.cmd().env("DSR_NOW", "2026-11-30T12:00:00Z").args(args).output().unwrap();
    let placeholders =
        env.placeholders().with("[REQUEST]", &request).pattern("[MESSAGE_ID]", r"[a-z0-9]+@beispiel-handel\.example");
    assert_output("notes/dispatched-email-differs", &args, &out, placeholders);

    let ev = events(&env);
    let last = ev.last().unwrap();
    assert_eq!(last["event"], "dispatched");
    assert_eq!(last["data"]["differences"], serde_json::json!(["body", "attachments"]));
    let comparison = last["data"]["objects"].as_array().unwrap().iter().find(|o| o["role"] == "comparison").unwrap();
    let hash = comparison["sha256"].as_str().unwrap();
    let stored: Value = serde_json::from_slice(
        &std::fs::read(env.join(&format!("data/objects/{}/{}", &hash[..2], &hash[2..]))).unwrap(),
    )
    .unwrap();
    assert_eq!(stored["differences"], serde_json::json!(["body", "attachments"]));
    assert_eq!(stored["outboxed"]["attachments"].as_array().unwrap().len(), 2);
    assert_eq!(stored["sent_copy"]["attachments"].as_array().unwrap().len(), 1);
    // `dsr show` says so too.
    let (show, _) = ok(&env, "2026-11-30T12:00:00Z", &["show", &request]);
    assert!(show.contains("DIFFERS from the outboxed message: body, attachments"), "{show}");
}

#[test]
fn a_copy_of_another_message_is_refused_and_nothing_is_logged() {
    let env = setup();
    let (request, outboxed) = outboxed_erasure(&env, "2026-11-30T08:00:00Z");
    let copy = sent_copy(
        &env,
        &outboxed,
        "other.eml",
        "Mon, 30 Nov 2026 10:12:00 +0100",
        &["--new-message-id", "new-id-by-client@beispiel-handel.example"],
    );
    let before = env.read("data/log.jsonl");
    let args = ["dispatched", &request, "--via", "email", "--eml", &copy];
    let out = env.cmd().env("DSR_NOW", "2026-11-30T12:00:00Z").args(args).output().unwrap();
    let placeholders = env
        .placeholders()
        .with("[REQUEST]", &request)
        .pattern("[MESSAGE_ID]", r"[a-z0-9]{20,}@beispiel-handel\.example");
    assert_output("errors/dispatched-other-message", &args, &out, placeholders);
    assert_eq!(env.read("data/log.jsonl"), before, "nothing may be logged");

    // Reply and remind say how to record the sending.
    let args = ["remind", &request, "--force"];
    let out = env.cmd().env("DSR_NOW", "2026-11-30T12:00:00Z").args(args).output().unwrap();
    assert_output("errors/remind-outboxed-request", &args, &out, env.placeholders().with("[REQUEST]", &request));
}

// ----- web forms ----------------------------------------------------------------

#[test]
fn a_webform_only_company_gets_the_text_to_paste_and_goes_through_reply_and_remind() {
    let env = setup();
    // TikTok takes requests through its web form (Datenanfragen: `tiktok`).
    // Erika gives her postal address: the reminder goes by post.
    let s = crate::support::subject_with_address(&env);
    let args = ["send", "--to", "tiktok", "--kind", "erasure", "--subject", s.as_str(), "--via", "webform"];
    let (stdout, stderr) = ok(&env, "2026-12-02T09:00:00Z", &args);
    assert!(stdout.contains("web form:   https://www.tiktok.com/legal/report/privacy"), "{stdout}");
    assert!(stderr.contains("NOT SENT: the letter and the identity record were written as text"), "{stderr}");
    let ev = events(&env);
    let request = ev.last().unwrap()["request"].as_str().unwrap().to_string();
    assert_eq!(ev.last().unwrap()["event"], "outboxed");
    let prepared = ev.iter().rev().find(|e| e["event"] == "prepared").unwrap();
    assert_eq!(prepared["data"]["route"], "webform");
    // The text to paste: subject, then the letter from the salutation on.
    let file = env.join(&format!("data/{}", ev.last().unwrap()["data"]["file"].as_str().unwrap()));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("Request for erasure"), "{text}");
    assert!(text.contains("\n\nDear Sir or Madam,"), "{text}");
    assert!(!text.contains("by email:"), "no email head in a form: {text}");
    let identity = std::fs::read_dir(env.join("data/outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-identity-verification.txt"))
        .expect("the identity record beside it");
    assert!(std::fs::read_to_string(identity).unwrap().contains("dsr-idv/1"));

    // Submitted on Wednesday 2 Dec with a screenshot: due Mon 4 Jan 2027.
    let shot = env.write("shot.png", b"\x89PNG screenshot of the form's thank-you page");
    let v = json(
        &env,
        "2026-12-02T15:00:00Z",
        &["dispatched", &request, "--via", "webform", "--date", "2026-12-02", "--confirmation", shot.to_str().unwrap()],
    );
    assert_eq!(v["due"]["date"], "2027-01-04");
    let last = events(&env).pop().unwrap();
    assert_eq!((last["event"].as_str(), last["data"]["via"].as_str()), (Some("dispatched"), Some("webform")));
    assert_eq!(last["data"]["objects"][0]["role"], "confirmation");
    let r = row(&env, "2026-12-03T09:00:00Z", &request);
    assert_eq!((r["state"].as_str(), r["due"].as_str()), (Some("dispatched"), Some("2027-01-04")));

    // The company answers by email; the user names the case.
    let ack = reply_eml(&env, "ack", "unrelated@tiktok.example", "Thu, 03 Dec 2026 10:00:00 +0000");
    ok(&env, "2026-12-03T12:00:00Z", &["reply", &request, "--eml", &ack, "--outcome", "acknowledged"]);
    assert_eq!(row(&env, "2026-12-03T12:00:00Z", &request)["state"], "acknowledged");

    // Overdue: a reminder. TikTok has no email address, so by post.
    let out = env.cmd().env("DSR_NOW", "2027-01-06T09:00:00Z").args(["remind", &request]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --via post"), "{out:?}");
    let v = json(&env, "2027-01-06T09:00:00Z", &["remind", &request, "--via", "post"]);
    assert_eq!(v["delivered"]["route"], "post");
    assert_eq!(row(&env, "2027-01-06T10:00:00Z", &request)["state"], "reminded");
    ok(&env, "2027-01-06T10:00:00Z", &["log", "verify", "--objects"]);
}
