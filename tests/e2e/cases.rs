//! Tests for the case lifecycle: `send`, `reply`, `status`, `show`,
//! `remind`, `complain`, `close` and `send --retry`, against the real SMTP
//! test server, with the clock moved by `DSR_NOW` (debug builds only).

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{Placeholders, TestEnv, assert_output, closed_port, files, repo, smtp_plain};
use serde_json::Value;

/// The standard test config plus a policy directory.
fn config() -> String {
    format!("policies_dir = \"policies\"\n{}", crate::support::TEST_CONFIG)
}

/// A test directory whose Zendesk policy writes to `privacy@company.example`
/// and whose `[smtp]` is the given plaintext loopback server (or none).
fn setup(port: Option<u16>) -> TestEnv {
    let env = TestEnv::new();
    let policy = std::fs::read_to_string(repo().join("policies/zendesk.toml"))
        .unwrap()
        .replace("euprivacy@zendesk.com", "privacy@company.example");
    env.write("policies/zendesk.toml", policy);
    let smtp = port.map(smtp_plain).unwrap_or_default();
    env.write("dsr.toml", format!("{}{smtp}", config()));
    env
}

/// `dsr status --ics - ARGS` at `now`, read by Python's icalendar package:
/// the case's event as {uid, sequence, start, alarms: [trigger, …]}.
fn ics_event(env: &TestEnv, now: &str, request: &str, args: &[&str]) -> Value {
    let ics = env.join("calendar.ics");
    let mut all = vec!["status", "--ics", "-"];
    all.extend_from_slice(args);
    std::fs::write(&ics, ok(env, now, &all)).unwrap();
    let script = r#"
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for ev in cal.walk("VEVENT"):
    if str(ev["UID"]) == sys.argv[2] + "@dsr":
        print(json.dumps({"sequence": int(ev["SEQUENCE"]), "start": ev.decoded("DTSTART").isoformat(),
            "alarms": [str(a.decoded("TRIGGER")) + " " + str(a["ACTION"]) for a in ev.walk("VALARM")]}))
"#;
    let out = std::process::Command::new(crate::support::smtp::python())
        .arg("-c")
        .arg(script)
        .arg(&ics)
        .arg(request)
        .output()
        .unwrap();
    assert!(out.status.success(), "icalendar: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: no event for {request}"))
}

fn dsr(env: &TestEnv, now: &str, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd().env("DSR_NOW", now).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Runs `dsr ARGS` at `now` and checks exit code, stdout and stderr
/// against the snapshot `tests/golden/<name>.txt`.
#[track_caller]
fn snapshot(env: &TestEnv, now: &str, args: &[&str], name: &str, placeholders: Placeholders) {
    let out = env.cmd().env("DSR_NOW", now).args(args).output().unwrap();
    assert_output(name, args, &out, placeholders);
}

fn ok(env: &TestEnv, now: &str, args: &[&str]) -> String {
    let (code, stdout, stderr) = dsr(env, now, args);
    assert_eq!(code, 0, "dsr {args:?}\nstdout: {stdout}\nstderr: {stderr}");
    stdout
}

fn json(env: &TestEnv, now: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&ok(env, now, &a)).unwrap()
}

fn send_erasure(env: &TestEnv, now: &str) -> (String, String) {
    let subject = repo().join("examples/subject-person.toml");
    let v = json(env, now, &["send", "--to", "zendesk", "--kind", "erasure", "--subject", subject.to_str().unwrap()]);
    (v["request"].as_str().unwrap().to_string(), v["message_id"].as_str().unwrap().to_string())
}

fn reply_eml(env: &TestEnv, name: &str, in_reply_to: &str, date: &str, id: &str) -> String {
    let text = format!(
        "From: Zendesk Privacy <privacy@company.example>\r\nTo: erika.mustermann@beispiel-handel.example\r\n\
         Subject: Re: your request\r\nDate: {date}\r\nMessage-ID: <{id}>\r\nIn-Reply-To: <{in_reply_to}>\r\n\r\n\
         We have received your request.\r\n"
    );
    env.write(name, text).display().to_string()
}

fn row(env: &TestEnv, now: &str, request: &str) -> Value {
    let rows = json(env, now, &["status"]);
    rows.as_array().unwrap().iter().find(|r| r["request"] == request).cloned().unwrap()
}

#[test]
fn the_whole_lifecycle_send_reply_extend_overdue_remind_complain() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup(Some(server.port()));
    // Monday 30 Nov 2026, 09:00 UTC = 09:00 in Dublin: received that day.
    let (request, message_id) = send_erasure(&env, "2026-11-30T09:00:00Z");
    let r = row(&env, "2026-11-30T10:00:00Z", &request);
    assert_eq!(r["state"], "sent");
    assert_eq!(r["due"], "2026-12-30");
    assert_eq!(r["days_left"], 30);

    // The reply names no request: found from In-Reply-To.
    let ack = reply_eml(&env, "ack.eml", &message_id, "Tue, 01 Dec 2026 10:00:00 +0000", "ack-1@company.example");
    let out = ok(&env, "2026-12-01T12:00:00Z", &["reply", "--eml", &ack, "--outcome", "acknowledged"]);
    assert!(out.contains(&format!("request:    {request}")), "{out}");
    assert_eq!(row(&env, "2026-12-01T12:00:00Z", &request)["state"], "acknowledged");
    // The same reply twice is refused.
    let args = ["reply", "--eml", &ack, "--outcome", "acknowledged"];
    snapshot(
        &env,
        "2026-12-01T12:00:00Z",
        &args,
        "errors/reply-already-recorded",
        env.placeholders().with("[REQUEST]", &request),
    );

    // The calendar: one event, alarms 7 days and 1 day before (or as asked).
    let ev = ics_event(&env, "2026-12-01T12:00:00Z", &request, &[]);
    assert_eq!(ev["sequence"], 0);
    assert_eq!(ev["alarms"], serde_json::json!(["-7 days, 0:00:00 DISPLAY", "-1 day, 0:00:00 DISPLAY"]));
    let ev = ics_event(&env, "2026-12-01T12:00:00Z", &request, &["--alarm", "3"]);
    assert_eq!(ev["alarms"], serde_json::json!(["-3 days, 0:00:00 DISPLAY"]));
    assert_eq!(ics_event(&env, "2026-12-01T12:00:00Z", &request, &["--no-alarms"])["alarms"], serde_json::json!([]));
    let first_due = ev["start"].clone();

    // An extension within the first month: three months from receipt.
    let ext = reply_eml(&env, "ext.eml", &message_id, "Mon, 21 Dec 2026 10:00:00 +0000", "ext-1@company.example");
    let v = json(&env, "2026-12-21T12:00:00Z", &["reply", request.as_str(), "--eml", &ext, "--outcome", "extended"]);
    assert_eq!(v["extended_to"], "2027-03-01", "30 Nov + 3 months = Sun 28 Feb 2027, rolled to Monday");
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0);
    let r = row(&env, "2027-03-01T12:00:00Z", &request);
    assert_eq!(
        (r["state"].as_str(), r["due"].as_str(), r["overdue"].as_bool()),
        (Some("extended"), Some("2027-03-01"), Some(false))
    );

    // After the extended deadline: overdue, and listed by --overdue.
    let r = row(&env, "2027-03-02T12:00:00Z", &request);
    assert_eq!(r["overdue"], true);
    let overdue = json(&env, "2027-03-02T12:00:00Z", &["status", "--overdue"]);
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    let human = ok(&env, "2027-03-02T12:00:00Z", &["status"]);
    assert!(human.contains("OVERDUE 1 day(s)"), "{human}");

    // Reminder: threaded to the original, a new deadline 14 days on.
    let ev = ics_event(&env, "2027-03-02T12:00:00Z", &request, &[]);
    assert_eq!((ev["sequence"].as_u64(), ev["start"].as_str()), (Some(1), Some("2027-03-01")), "{ev}");
    let v = json(&env, "2027-03-02T12:00:00Z", &["remind", &request]);
    assert_eq!(v["new_deadline"], "2027-03-16");
    let msgs = server.messages();
    assert_eq!(msgs.len(), 2);
    let reminder = String::from_utf8_lossy(&msgs[1].bytes).to_string();
    assert!(reminder.contains(&format!("In-Reply-To: <{message_id}>")), "{reminder}");
    assert!(reminder.contains("Subject: Reminder"), "{reminder}");
    assert_eq!(row(&env, "2027-03-02T12:00:00Z", &request)["state"], "reminded");
    // The calendar event moved with the extension and then the reminder:
    // the same UID, a higher SEQUENCE, the new date.
    assert_ne!(first_due, "2027-03-16");
    let ev = ics_event(&env, "2027-03-02T12:00:00Z", &request, &[]);
    assert_eq!((ev["sequence"].as_u64(), ev["start"].as_str()), (Some(2), Some("2027-03-16")), "{ev}");

    // Complaint to the Irish DPC, with the evidence attached.
    let v = json(
        &env,
        "2027-03-17T12:00:00Z",
        &["complain", &request, "--authority", "ie-dpc", "--residence", "Deutschland"],
    );
    assert_eq!(v["kind"], "complaint");
    let msgs = server.messages();
    assert_eq!(msgs.len(), 3);
    let complaint = String::from_utf8_lossy(&msgs[2].bytes).to_string();
    for name in ["request.eml", "reminder-1.eml", "reply-1.eml", "reply-2.eml"] {
        assert!(complaint.contains(name), "{name} missing from the complaint");
    }
    assert!(complaint.contains("Article 77"), "{complaint}");
    // The earlier messages are attached as mail (message/rfc822), byte for
    // byte what went out and came in, as Python's email package reads them.
    let parsed = crate::support::parse_eml(&msgs[2].path);
    assert_eq!(parsed["defects"].as_array().unwrap().len(), 0, "{parsed}");
    let attached: Vec<(String, String)> = parsed["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["filename"].as_str().unwrap().to_string(), a["content_type"].as_str().unwrap().to_string()))
        .collect();
    for name in ["request.eml", "reminder-1.eml", "reply-1.eml", "reply-2.eml"] {
        assert!(attached.contains(&(name.to_string(), "message/rfc822".to_string())), "{name}: {attached:?}");
    }
    let first = &parsed["attachments"][0];
    assert!(first["message_subject"].as_str().unwrap().starts_with("Request for erasure"), "{first}");
    assert!(
        complaint.contains(&String::from_utf8_lossy(&msgs[0].bytes).to_string()),
        "the request is attached as it went"
    );
    assert_eq!(row(&env, "2027-03-17T12:00:00Z", &request)["state"], "complained");

    // The timeline shows every step; the log verifies.
    let show = ok(&env, "2027-03-17T12:00:00Z", &["show", &request]);
    for e in ["prepared", "sent", "reply_received", "reply: extended"] {
        assert!(show.contains(e), "{e} missing from:\n{show}");
    }
    ok(&env, "2027-03-17T12:00:00Z", &["log", "verify", "--objects"]);

    // The evidence bundle for the authority: every message and reply, checked offline.
    ok(&env, "2027-03-17T12:00:00Z", &["evidence", "export", &request, "--out", "bundle"]);
    let verified = ok(&env, "2027-03-17T12:00:00Z", &["evidence", "verify", "bundle"]);
    assert!(verified.starts_with(&format!("ok: request {request}, ")), "{verified}");
    let names: Vec<String> = std::fs::read_dir(env.join("bundle"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for wanted in ["message.eml", "reply.eml", "reminder-message.eml", "complaint-message.eml"] {
        assert!(names.iter().any(|n| n.ends_with(wanted)), "{wanted} missing from {names:?}");
    }
    ok(&env, "2027-03-18T12:00:00Z", &["close", &request, "--note", "handed to the DPC"]);
    assert_eq!(row(&env, "2027-03-18T12:00:00Z", &request)["state"], "closed");
    assert_eq!(json(&env, "2027-03-18T12:00:00Z", &["status", "--open"]).as_array().unwrap().len(), 0);
}

/// Issue 16 point 2: the reasons noted with a refusal (`reply --note`) are
/// read back from the evidence store into the complaint, in either language.
#[test]
fn a_complaint_quotes_the_reasons_noted_with_the_refusal() {
    let reasons = "They keep the tickets for ten years under tax law.";
    for (lang, intro) in [
        ("en", "It gave the following reasons, in summary:"),
        ("de", "Zur Begründung hat er, zusammengefasst, angegeben:"),
    ] {
        let server = SmtpServer::start(SmtpOptions::default());
        let env = setup(Some(server.port()));
        let (request, message_id) = send_erasure(&env, "2026-11-30T09:00:00Z");
        let eml = reply_eml(&env, "no.eml", &message_id, "Thu, 10 Dec 2026 10:00:00 +0000", "no-1@company.example");
        let args = ["reply", request.as_str(), "--eml", &eml, "--outcome", "refused", "--note", reasons];
        ok(&env, "2026-12-10T12:00:00Z", &args);
        // A refusal may be complained about at once.
        let args = ["complain", &request, "--authority", "ie-dpc", "--residence", "Deutschland", "--lang", lang];
        ok(&env, "2026-12-11T12:00:00Z", &args);
        let msgs = server.messages();
        let parsed = crate::support::parse_eml(&msgs[1].path);
        let body = parsed["body"].as_str().unwrap_or_else(|| panic!("no text body: {parsed}"));
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&format!("{intro} {reasons}")), "{lang}: {body}");
    }
}

/// Issue 16 point 16: a new kind goes the whole way like erasure: sent
/// over SMTP, due one month on, reminded, complained about, each letter
/// citing its article.
#[test]
fn a_rectification_is_sent_reminded_and_complained_about() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup(Some(server.port()));
    let subject = repo().join("examples/subject-person.toml");
    let correct = "Postal address: you hold Musterstr. 21; correct is Musterstraße 12";
    let args = [
        "send",
        "--to",
        "zendesk",
        "--kind",
        "rectification",
        "--subject",
        subject.to_str().unwrap(),
        "--correct",
        correct,
    ];
    let v = json(&env, "2026-11-30T09:00:00Z", &args);
    let request = v["request"].as_str().unwrap().to_string();
    let message_id = v["message_id"].as_str().unwrap().to_string();
    let r = row(&env, "2026-11-30T10:00:00Z", &request);
    assert_eq!((r["kind"].as_str(), r["due"].as_str()), (Some("rectification"), Some("2026-12-30")), "{r}");
    // Too early for a reminder; after the deadline it goes, threaded.
    let (code, _, stderr) = dsr(&env, "2026-12-15T12:00:00Z", &["remind", &request]);
    assert_eq!(code, 2, "{stderr}");
    let v = json(&env, "2026-12-31T12:00:00Z", &["remind", &request]);
    assert_eq!(v["new_deadline"], "2027-01-14", "{v}");
    let v = json(
        &env,
        "2027-01-15T12:00:00Z",
        &["complain", &request, "--authority", "ie-dpc", "--residence", "Deutschland"],
    );
    assert_eq!(v["kind"], "complaint");
    let msgs = server.messages();
    assert_eq!(msgs.len(), 3);
    for (i, what) in ["request", "reminder", "complaint"].iter().enumerate() {
        let parsed = crate::support::parse_eml(&msgs[i].path);
        let body = parsed["body"].as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(body.contains("Article 16"), "{what}: {body}");
        if *what == "reminder" {
            assert_eq!(parsed["in_reply_to"].as_str(), Some(format!("<{message_id}>").as_str()), "{parsed}");
        }
    }
    let complaint = crate::support::parse_eml(&msgs[2].path);
    let body = complaint["body"].as_str().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(body.contains("Article 77") && body.contains("30 December 2026"), "{body}");
    assert_eq!(row(&env, "2027-01-15T12:00:00Z", &request)["state"], "complained");
}

#[test]
fn a_late_extension_is_recorded_with_a_warning() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup(Some(server.port()));
    let (request, message_id) = send_erasure(&env, "2026-11-30T09:00:00Z");
    let ext = reply_eml(&env, "ext.eml", &message_id, "Mon, 04 Jan 2027 10:00:00 +0000", "ext@company.example");
    // Recorded (exit 0, "extended: answer now due by 2027-03-01"), with a
    // warning that it came after the first month ended (2026-12-30).
    let args = ["reply", &request, "--eml", &ext, "--outcome", "extended"];
    let placeholders = env.placeholders().with("[REQUEST]", &request);
    snapshot(&env, "2027-01-04T12:00:00Z", &args, "notes/reply-late-extension", placeholders);
}

#[test]
fn reminders_wait_for_the_deadline_and_processor_letters_get_no_complaint() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup(Some(server.port()));
    let (request, _) = send_erasure(&env, "2026-11-30T09:00:00Z");
    let placeholders = env.placeholders().with("[REQUEST]", &request);
    snapshot(&env, "2026-12-10T12:00:00Z", &["remind", &request], "errors/remind-before-deadline", placeholders);

    let org = repo().join("examples/subject-org.toml");
    let v = json(
        &env,
        "2026-11-30T09:00:00Z",
        &[
            "send",
            "--to",
            "zendesk",
            "--kind",
            "processor-deletion",
            "--subject",
            org.to_str().unwrap(),
            "--confirm",
            "cancel-subscriptions",
            "--confirm",
            "export-data",
        ],
    );
    let pd = v["request"].as_str().unwrap();
    // Confirmation due 18 March 2027: one month after Zendesk's documented
    // deletion starts (90 days after the cancellation on 20 November 2026).
    let r = row(&env, "2027-03-19T12:00:00Z", pd);
    assert_eq!((r["due_basis"].as_str(), r["overdue"].as_bool()), (Some("confirm-by"), Some(true)));
    let args = ["complain", pd, "--authority", "ie-dpc"];
    snapshot(
        &env,
        "2027-01-05T12:00:00Z",
        &args,
        "errors/complain-processor-deletion",
        env.placeholders().with("[REQUEST]", pd),
    );
}

#[test]
fn bad_case_input_is_refused_and_nothing_is_logged() {
    let env = setup(None);
    // Outboxed: never sent.
    let (request, message_id) = send_erasure(&env, "2026-11-30T09:00:00Z");
    let log_before = env.read("data/log.jsonl");

    // A unique prefix finds the case; a typo gets a suggestion.
    ok(&env, "2026-12-01T09:00:00Z", &["show", &request[..10]]);
    let typo = format!("{}{}", &request[..request.len() - 1], if request.ends_with('a') { 'b' } else { 'a' });
    let placeholders = env.placeholders().with("[REQUEST]", &request).with("[TYPO]", &typo);
    snapshot(&env, "2026-12-01T09:00:00Z", &["show", &typo], "errors/show-unknown-request-did-you-mean", placeholders);

    let eml = reply_eml(&env, "r.eml", &message_id, "Tue, 01 Dec 2026 10:00:00 +0000", "r@company.example");
    let args = ["reply", &request, "--eml", &eml, "--outcome", "confirmed"];
    let placeholders = env.placeholders().with("[REQUEST]", &request);
    snapshot(&env, "2026-12-01T09:00:00Z", &args, "errors/reply-to-outboxed-request", placeholders);

    env.write("notmail.eml", "%PDF-1.7\nbinary-ish\n");
    let args = ["reply", &request, "--eml", "notmail.eml", "--outcome", "confirmed"];
    let placeholders = env.placeholders().with("[REQUEST]", &request);
    snapshot(&env, "2026-12-01T09:00:00Z", &args, "errors/reply-not-an-email", placeholders);

    // Without --outcome: the outcomes, and what the reply reads like.
    let args = ["reply", &request, "--eml", &eml];
    let placeholders = env.placeholders().with("[REQUEST]", &request);
    snapshot(&env, "2026-12-01T09:00:00Z", &args, "errors/reply-without-outcome", placeholders);

    let args = ["remind", "r_nonexistent00000"];
    snapshot(&env, "2026-12-01T09:00:00Z", &args, "errors/remind-unknown-request", env.placeholders());
    assert_eq!(env.read("data/log.jsonl"), log_before, "nothing may be logged by refused commands");
}

#[test]
fn an_outboxed_request_is_sent_later_with_retry_and_the_same_bytes() {
    let env = setup(None);
    let (request, message_id) = send_erasure(&env, "2026-11-30T09:00:00Z");
    let outboxed = std::fs::read_dir(env.join("data/outbox")).unwrap().next().unwrap().unwrap().path();
    let bytes = std::fs::read(&outboxed).unwrap();

    let server = SmtpServer::start(SmtpOptions::default());
    env.write(
        "dsr.toml",
        format!("{}\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n", config(), server.port()),
    );
    // No terminal and no --yes: refused, nothing sent.
    let placeholders =
        env.placeholders().with("[REQUEST]", &request).with("[MESSAGE_ID]", &message_id).with("[PORT]", server.port());
    let args = ["send", "--retry", &request];
    let out = env.cmd().env_remove("DSR_YES").env("DSR_NOW", "2026-11-30T10:00:00Z").args(args).output().unwrap();
    assert_output("errors/send-retry-needs-yes", &args, &out, placeholders);
    assert!(server.messages().is_empty());
    // On a terminal the question shows what goes: recipient, kind,
    // channel, attachments (issue 17 point 2); answered no, nothing goes.
    let (code, shown) = crate::confirm::on_a_terminal_at(&env, "2026-11-30T10:00:00Z", &args, "n\n");
    assert_eq!(code, Some(2), "{shown}");
    for line in [
        "  to:          Zendesk International Ltd. <privacy@company.example>",
        "  kind:        erasure",
        "  channel:     email, sent now over SMTP (127.0.0.1:",
        "  attachments: identity-verification.txt, identity-verification.json",
        &format!("re-send message <{message_id}> (outboxed) to privacy@company.example?"),
    ] {
        assert!(shown.contains(line), "{line:?} in {shown}");
    }
    assert!(server.messages().is_empty());

    ok(&env, "2026-11-30T10:00:00Z", &["send", "--retry", &request, "--yes"]);
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].bytes, bytes, "the retry must send the stored bytes unchanged");
    let r = row(&env, "2026-11-30T11:00:00Z", &request);
    assert_eq!(r["state"], "sent");
    let log = env.read("data/log.jsonl");
    assert!(log.contains("\"event\":\"retry_confirmed\"") && log.contains(&message_id));
    // Nothing left to re-send.
    let args = ["send", "--retry", &request, "--yes"];
    let placeholders = env.placeholders().with("[REQUEST]", &request);
    snapshot(&env, "2026-11-30T11:00:00Z", &args, "errors/send-retry-nothing-to-resend", placeholders);
}

#[test]
fn delivery_unknown_is_shown_and_only_an_explicit_retry_resends() {
    let dropping = SmtpServer::start(SmtpOptions { drop_after_data: true, ..SmtpOptions::default() });
    let env = setup(Some(dropping.port()));
    let subject = repo().join("examples/subject-person.toml");
    let (code, _, err) = dsr(
        &env,
        "2026-11-30T09:00:00Z",
        &["send", "--to", "zendesk", "--kind", "erasure", "--subject", subject.to_str().unwrap()],
    );
    assert_eq!(code, 3, "{err}");
    let request = json(&env, "2026-11-30T09:01:00Z", &["status"])[0]["request"].as_str().unwrap().to_string();
    let r = row(&env, "2026-11-30T09:01:00Z", &request);
    assert_eq!((r["state"].as_str(), r["due"].as_str()), (Some("delivery-unknown"), None));
    let first = dropping.messages();
    assert_eq!(first.len(), 1, "the dropping server stored the message");

    let server = SmtpServer::start(SmtpOptions::default());
    env.write(
        "dsr.toml",
        format!("{}\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n", config(), server.port()),
    );
    ok(&env, "2026-11-30T10:00:00Z", &["send", "--retry", &request, "--yes"]);
    let again = server.messages();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].bytes, first[0].bytes, "the same stored bytes, same Message-ID");
    let r = row(&env, "2026-11-30T10:01:00Z", &request);
    assert_eq!((r["state"].as_str(), r["due"].as_str()), (Some("sent"), Some("2026-12-30")));
}

// ----- follow-ups open the SMTP session before they log anything ------------

fn smtp_at(env: &TestEnv, port: u16) {
    env.write("dsr.toml", format!("{}\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n", config()));
}

/// Sends an erasure request (30 Nov 2026, due 30 Dec), then runs the
/// follow-up `args` on 5 Jan 2027 against a closed port: refused before
/// anything is stored or logged. The same command against a live server
/// then sends once and moves the case to `state`.
fn refused_then_sent_once(args: &[&str], state: &str) {
    assert!(["remind", "complain"].contains(&args[0]), "one snapshot per command");
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup(Some(server.port()));
    let (request, _) = send_erasure(&env, "2026-11-30T09:00:00Z");
    let args: Vec<&str> = args.iter().map(|a| if *a == "REQUEST" { request.as_str() } else { a }).collect();
    let log = env.read("data/log.jsonl");
    let stored = files(&env.join("data"));

    let (port, refused) = closed_port();
    smtp_at(&env, port);
    // Exit 3, nothing on stdout, "send not started: cannot connect …".
    let placeholders = env.placeholders().with("[PORT]", port).with("[REFUSED]", &refused).with("[REQUEST]", &request);
    snapshot(&env, "2027-01-05T12:00:00Z", &args, &format!("errors/{}-connection-refused", args[0]), placeholders);
    assert_eq!(env.read("data/log.jsonl"), log, "no prepared, no send_failed");
    assert_eq!(files(&env.join("data")), stored, "nothing stored");
    assert_eq!(row(&env, "2027-01-05T12:00:00Z", &request)["state"], "sent");

    smtp_at(&env, server.port());
    ok(&env, "2027-01-05T12:00:00Z", &args);
    assert_eq!(server.messages().len(), 2, "the request, then the follow-up once");
    assert_eq!(row(&env, "2027-01-05T12:00:00Z", &request)["state"], state);
    let events: Vec<Value> =
        env.read("data/log.jsonl").lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).collect();
    let names: Vec<&str> = events.iter().skip(1).map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(names, ["prepared", "sent", "prepared", "sent"]);
}

#[test]
fn remind_connects_first_and_a_refused_server_leaves_the_case_and_the_log_unchanged() {
    refused_then_sent_once(&["remind", "REQUEST"], "reminded");
}

#[test]
fn complain_connects_first_and_a_refused_server_leaves_the_case_and_the_log_unchanged() {
    refused_then_sent_once(
        &["complain", "REQUEST", "--authority", "ie-dpc", "--residence", "Deutschland"],
        "complained",
    );
}

/// Copies bytes from `from` to `to` until either side closes.
fn pipe(mut from: std::net::TcpStream, mut to: std::net::TcpStream) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(std::net::Shutdown::Both);
    })
}

#[test]
fn a_case_closed_while_the_session_opens_is_checked_again_under_the_lock() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup(Some(server.port()));
    let (request, _) = send_erasure(&env, "2026-11-30T09:00:00Z");
    // dsr talks to the real server through a relay that holds the
    // connection until the case was closed: the case changes after the
    // unlocked checks passed and before the log is locked.
    let relay = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    smtp_at(&env, relay.local_addr().unwrap().port());
    let (code, out, err, log, stored) = std::thread::scope(|scope| {
        let remind = scope.spawn(|| dsr(&env, "2027-01-05T12:00:00Z", &["remind", &request]));
        let (client, _) = relay.accept().unwrap();
        ok(&env, "2027-01-05T12:00:00Z", &["close", &request]);
        let log = env.read("data/log.jsonl");
        let stored = files(&env.join("data"));
        let upstream = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
        let pipes = [pipe(client.try_clone().unwrap(), upstream.try_clone().unwrap()), pipe(upstream, client)];
        let (code, out, err) = remind.join().unwrap();
        for p in pipes {
            p.join().unwrap();
        }
        (code, out, err, log, stored)
    });
    assert_eq!(code, 2, "{err}");
    let shown = crate::support::transcript(&["remind", &request], Some(code), out.as_bytes(), err.as_bytes());
    let relay_port = relay.local_addr().unwrap().port();
    let placeholders = env.placeholders().with("[REQUEST]", &request).with("[PORT]", relay_port);
    crate::support::assert_transcript("errors/remind-closed-while-connecting", &shown, placeholders);
    assert_eq!(env.read("data/log.jsonl"), log, "nothing logged after the close");
    // The lock file names its last holder's pid: remind did take the lock.
    let without_lock = |f: Vec<(std::path::PathBuf, Vec<u8>)>| -> Vec<_> {
        f.into_iter().filter(|(p, _)| !p.ends_with("lock")).collect()
    };
    assert!(without_lock(files(&env.join("data"))) == without_lock(stored), "something was stored after the close");
    assert_eq!(server.messages().len(), 1, "only the request was sent");
}
