//! Tests for `dsr send`: the built binary against a real SMTP server
//! (aiosmtpd, `tests/support/smtp_capture.py`), with the evidence it leaves
//! read back from `data/log.jsonl` and `data/objects/`, and the delivered
//! messages read by independent verifiers (Python's `email` package, dkimpy,
//! `docs/verify_log.py`).
//!
//! Each test writes its own `dsr.toml` and a copy of the Zendesk policy whose
//! `privacy_email` is a magic recipient of the test server (`privacy@` is
//! accepted, `permfail@` refused, … see `tests/support/smtp.rs`), so that the
//! real example subject files can be sent.

use crate::support::smtp::{SmtpOptions, SmtpServer, python, run_script};
use crate::support::{
    Placeholders, TestEnv, assert_transcript, base64, closed_port, files, parse_eml, repo, secret_forms,
    sha256_hex as sha256, smtp_plain, transcript,
};
use serde_json::{Value, json};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The SMTP password of user `alice` on the test servers.
const PASSWORD: &str = "Zq7!e2e-Pässwort-ÄÖÜ-9f3b1c";
/// The variable `password_env` names.
const PW_ENV: &str = "DSR_E2E_SMTP_PASSWORD";
/// A fixed clock (debug builds honour `DSR_NOW`).
const NOW: &str = "2026-11-30T09:00:00Z";
/// The domain of the test policy's addresses.
const COMPANY_DOMAIN: &str = "mueller-soehne.example";

/// The config every test starts from: a German organisation, evidence in
/// `./data`, policies in `./policies`.
const BASE_CONFIG: &str = r#"
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

// ----- helpers ------------------------------------------------------------

/// A test directory with `dsr.toml` (BASE_CONFIG + `extra`) and
/// `policies/zendesk.toml` sending to `<to_local>@mueller-soehne.example`.
fn setup(to_local: &str, extra: &str) -> TestEnv {
    let env = TestEnv::new();
    let original = std::fs::read_to_string(repo().join("policies/zendesk.toml")).unwrap();
    let policy = original.replace("euprivacy@zendesk.com", &format!("{to_local}@{COMPANY_DOMAIN}"));
    assert_ne!(policy, original, "the Zendesk policy no longer names euprivacy@zendesk.com");
    env.write("policies/zendesk.toml", policy);
    env.write("dsr.toml", format!("{BASE_CONFIG}{extra}"));
    env
}

/// `[smtp]` with TLS (`"starttls"` or `"tls"`), AUTH as alice, the test CA.
fn smtp_tls(server: &SmtpServer, mode: &str) -> String {
    format!(
        "\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"{mode}\"\nusername = \"alice\"\npassword_env = \"{PW_ENV}\"\n\
         ca_file = '{}'\ntimeout_secs = 10\n",
        server.port(),
        server.ca_pem_path().display()
    )
}

fn alice() -> Vec<(String, String)> {
    vec![("alice".into(), PASSWORD.into())]
}

fn example(name: &str) -> String {
    repo().join("examples").join(name).display().to_string()
}

/// The arguments of the README's erasure request (Erika, to Zendesk).
fn erasure() -> Vec<String> {
    ["send", "--to", "zendesk", "--kind", "erasure", "--subject"]
        .into_iter()
        .map(String::from)
        .chain([example("subject-person.toml")])
        .collect()
}

/// [`erasure`] once more for the same subject (`--again`, the duplicate
/// guard's override).
fn again() -> Vec<String> {
    let mut args = erasure();
    args.extend(["--again".to_string(), "test: one more request for the same subject".to_string()]);
    args
}

/// One run of the binary.
struct Run {
    args: Vec<String>,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Checks exit code, stdout and stderr against `tests/golden/<name>.txt`.
    #[track_caller]
    fn snapshot(&self, name: &str, placeholders: Placeholders) {
        let text = transcript(&self.args, Some(self.code), self.stdout.as_bytes(), self.stderr.as_bytes());
        assert_transcript(name, &text, placeholders);
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs `dsr ARGS` in `env` with `DSR_NOW` fixed and `vars` set.
fn run<S: AsRef<OsStr>>(env: &TestEnv, vars: &[(&str, &str)], args: &[S]) -> Run {
    let mut cmd = env.cmd();
    cmd.env("DSR_NOW", NOW);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().expect("run dsr");
    Run {
        args: args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Every event of `data/log.jsonl` after `log_created`.
fn events(env: &TestEnv) -> Vec<Value> {
    let text = env.read("data/log.jsonl");
    let all: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("log line is JSON")).collect();
    assert_eq!(all[0]["event"], "log_created");
    all[1..].to_vec()
}

fn names(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["event"].as_str().unwrap()).collect()
}

/// The hash of the object with `role` named in an event.
fn object_sha(event: &Value, role: &str) -> String {
    let objects = event["data"]["objects"].as_array().expect("objects");
    let found: Vec<&Value> = objects.iter().filter(|o| o["role"] == role).collect();
    assert_eq!(found.len(), 1, "one '{role}' object in {event}");
    found[0]["sha256"].as_str().unwrap().to_string()
}

/// The bytes of a stored object, checked against its name.
fn object(env: &TestEnv, sha: &str) -> Vec<u8> {
    let path = env.join("data/objects").join(&sha[..2]).join(&sha[2..]);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(sha256(&bytes), sha, "{} does not hash to its name", path.display());
    bytes
}

/// Nothing of a refused send may exist: no log, no objects, no outbox.
fn assert_nothing_stored(env: &TestEnv, context: &str) {
    for rel in ["data/log.jsonl", "data/objects", "data/outbox"] {
        assert!(!env.join(rel).exists(), "{context}: {rel} exists");
    }
}

// ----- delivery -------------------------------------------------------------

#[test]
fn delivered_bytes_are_the_stored_message_object_and_the_log_verifies() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", &smtp_plain(server.port()));
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 0, "{r}");

    let got = server.messages();
    assert_eq!(got.len(), 1);
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "sent"]);
    let (prepared, sent) = (&ev[0], &ev[1]);
    let request = prepared["request"].as_str().unwrap();
    assert_eq!(sent["request"], request);

    // The server's copy, the object the log names and its file are one thing.
    let sha = object_sha(prepared, "message");
    assert_eq!(sha256(&got[0].bytes), sha, "the delivered message is not the stored object");
    assert_eq!(object(&env, &sha), got[0].bytes);
    let message_id = prepared["data"]["message_id"].as_str().unwrap();
    let text = String::from_utf8(got[0].bytes.clone()).unwrap();
    assert!(text.contains(&format!("Message-ID: <{message_id}>\r\n")), "{text}");
    assert_eq!(got[0].mail_from, "erika.mustermann@beispiel-handel.example");
    assert_eq!(got[0].rcpt_tos, [format!("privacy@{COMPANY_DOMAIN}")]);
    let envelope: Value = serde_json::from_slice(&object(&env, &object_sha(prepared, "envelope"))).unwrap();
    assert_eq!(envelope["mail_from"], got[0].mail_from.as_str());
    assert_eq!(envelope["rcpt_to"], json!(got[0].rcpt_tos));
    assert_eq!(prepared["data"]["route"], "smtp");
    assert_eq!(prepared["data"]["to"], json!([format!("privacy@{COMPANY_DOMAIN}")]));
    assert_eq!(prepared["data"]["stated_deadline"], "2026-12-30");

    // `sent` holds the server's queue id; its whole reply (which a server
    // may make echo an address) is an object.
    let qid = got[0].queue_id.clone().expect("queue id in the sidecar");
    let reply = format!("2.0.0 Ok: queued as {qid}");
    let server_name = format!("127.0.0.1:{}", server.port());
    let reply_object = format!("250 {reply}");
    assert_eq!(
        sent["data"],
        json!({
            "message_id": message_id,
            "attempt": 1,
            "server": server_name,
            "tls": false,
            "code": 250,
            "queue_id": qid,
            "recipients": [format!("privacy@{COMPANY_DOMAIN}")],
            "objects": [{"role": "smtp-reply", "sha256": sha256(reply_object.as_bytes()), "size": reply_object.len()}],
            // The log links each line of a request to the one before.
            "request_prev": prepared["seq"],
        })
    );
    assert!(prepared["data"].get("request_prev").is_none(), "a request's first line names no earlier one");
    assert_eq!(object(&env, &object_sha(sent, "smtp-reply")), reply_object.as_bytes());
    assert!(r.stdout.contains(&format!("request:    {request}\n")), "{r}");
    assert!(r.stdout.contains(&format!("message-id: <{message_id}>\n")), "{r}");
    assert!(r.stdout.contains(&format!("sent:       {server_name} answered 250 {reply}\n")), "{r}");
    assert!(!r.stdout.contains("attempts:"), "{r}");
    assert!(r.stderr.contains("warning: sending without encryption to 127.0.0.1:"), "{r}");
    assert!(!r.stderr.contains("NOT SENT"), "{r}");

    // Both verifiers accept the data directory.
    let v = run(&env, &[], &["--data-dir", "data", "log", "verify", "--objects"]);
    assert_eq!(v.code, 0, "{v}");
    assert!(v.stdout.starts_with("ok: 3 lines, head "), "{v}");
    // Seven of `prepared` (the tag included), the reply text of `sent`.
    assert!(v.stdout.lines().next().unwrap().ends_with("; objects: 8 intact, 0 purged"), "{v}");
    let py = std::process::Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .arg(env.join("data"))
        .arg("--objects")
        .output()
        .unwrap();
    let py_out = String::from_utf8_lossy(&py.stdout);
    assert!(py.status.success(), "verify_log.py: {py_out}{}", String::from_utf8_lossy(&py.stderr));
    assert!(py_out.starts_with("ok: 3 lines, head "), "{py_out}");
    assert_eq!(py_out, v.stdout);
}

#[test]
fn starttls_with_auth_delivers_and_logs_tls() {
    let server = SmtpServer::start(SmtpOptions {
        starttls: true,
        require_starttls: true,
        users: alice(),
        auth_required: true,
        ..SmtpOptions::default()
    });
    let env = setup("privacy", &smtp_tls(&server, "starttls"));
    let r = run(&env, &[(PW_ENV, PASSWORD)], &erasure());
    assert_eq!(r.code, 0, "{r}");
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert!(got[0].tls, "the session was not encrypted");
    assert_eq!(got[0].auth_login.as_deref(), Some("alice"));
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "sent"]);
    assert_eq!(object(&env, &object_sha(&ev[0], "message")), got[0].bytes);
    assert_eq!(ev[1]["data"]["tls"], true);
    assert!(!r.stderr.contains("without encryption"), "{r}");
}

#[test]
fn implicit_tls_with_auth_delivers_and_reports_json() {
    let server = SmtpServer::start(SmtpOptions {
        implicit_tls: true,
        users: alice(),
        auth_required: true,
        ..Default::default()
    });
    let env = setup("privacy", &smtp_tls(&server, "tls"));
    let mut args = erasure();
    args.insert(0, "--json".into());
    let r = run(&env, &[(PW_ENV, PASSWORD)], &args);
    assert_eq!(r.code, 0, "{r}");
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert!(got[0].tls);
    assert_eq!(got[0].auth_login.as_deref(), Some("alice"));
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "sent"]);
    assert_eq!(sha256(&got[0].bytes), object_sha(&ev[0], "message"));
    assert_eq!(ev[1]["data"]["tls"], true);
    // --json prints the report as one JSON document.
    let report: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {r}"));
    assert_eq!(report["request"], ev[0]["request"]);
    assert_eq!(report["message_id"], ev[0]["data"]["message_id"]);
    assert_eq!(report["kind"], "erasure");
    assert_eq!(report["deadline"], "2026-12-30");
    assert_eq!(
        report["delivered"],
        json!({
            "route": "smtp",
            "server": format!("127.0.0.1:{}", server.port()),
            "code": 250,
            "reply": format!("2.0.0 Ok: queued as {}", ev[1]["data"]["queue_id"].as_str().unwrap()),
            "attempts": 1,
        })
    );
}

#[test]
fn dry_run_stores_and_sends_nothing() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", &smtp_plain(server.port()));
    let mut args = erasure();
    args.push("--dry-run".into());
    let r = run(&env, &[], &args);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.starts_with("subject:    Request for erasure of personal data under Article 17 GDPR"), "{r}");
    assert!(r.stdout.contains("\ndue:        2026-12-30\n"), "{r}");
    // The whole preview and the "dry run: nothing was stored, logged or sent" note.
    let placeholders = env
        .placeholders()
        .with("[PORT]", server.port())
        .pattern("[MESSAGE_ID]", r"[0-9a-f]{32}@beispiel-handel\.example")
        .pattern("[SIZE]", r"(?<redacted>\d+) bytes, Message-ID");
    r.snapshot("notes/send-dry-run", placeholders);
    assert_nothing_stored(&env, "--dry-run");
    assert!(server.messages().is_empty());
}

#[test]
fn unusable_smtp_settings_exit_2_before_anything_is_stored() {
    let server = SmtpServer::start(SmtpOptions { starttls: true, users: alice(), ..Default::default() });
    let env = setup("privacy", &smtp_tls(&server, "starttls"));
    // The password variable is not set.
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 2, "{r}");
    r.snapshot("errors/send-password-env-unset", env.placeholders());
    assert_nothing_stored(&env, "unset password variable");
    // The CA file does not exist.
    let config = smtp_tls(&server, "starttls").replace(&server.ca_pem_path().display().to_string(), "missing-ca.pem");
    env.write("dsr.toml", format!("{BASE_CONFIG}{config}"));
    let r = run(&env, &[(PW_ENV, PASSWORD)], &erasure());
    assert_eq!(r.code, 2, "{r}");
    r.snapshot("errors/send-ca-file-missing", env.placeholders());
    assert_nothing_stored(&env, "missing CA file");
    assert!(server.messages().is_empty());
}

// ----- failures -------------------------------------------------------------

/// The `send_failed` payload without its error object, which is checked
/// separately.
fn failure(event: &Value) -> Value {
    let mut d = event["data"].clone();
    d.as_object_mut().unwrap().remove("objects");
    d.as_object_mut().unwrap().remove("message_id");
    // The log's link to the request's previous line (checked in
    // `delivered_bytes_are_the_stored_message_object_and_the_log_verifies`).
    d.as_object_mut().unwrap().remove("request_prev");
    d
}

/// The error text stored with a `send_failed` event.
fn failure_text(env: &TestEnv, event: &Value) -> String {
    String::from_utf8(object(env, &object_sha(event, "smtp-error"))).unwrap()
}

/// A send that could not open its SMTP session: exit 3, stderr as in the
/// snapshot `name` ("send not started: …; nothing was stored, logged or
/// sent" and its help), nothing on stdout, and the data directory not even
/// created (no objects, no log, no outbox).
#[track_caller]
fn assert_not_started(env: &TestEnv, r: &Run, name: &str, placeholders: Placeholders) {
    assert_eq!(r.code, 3, "{r}");
    assert_eq!(r.stdout, "", "{r}");
    r.snapshot(name, placeholders);
    assert_nothing_stored(env, name);
    assert!(!env.join("data").exists(), "{name}: the data directory was created");
}

/// The log holds exactly one case, prepared and then sent at the first
/// attempt, and it verifies.
fn assert_one_case_sent(env: &TestEnv) {
    let ev = events(env);
    assert_eq!(names(&ev), ["prepared", "sent"]);
    assert_eq!(ev[0]["request"], ev[1]["request"]);
    assert_eq!(ev[1]["data"]["attempt"], 1);
    let r = run(env, &[], &["log", "verify", "--objects"]);
    assert_eq!(r.code, 0, "{r}");
}

#[test]
fn refused_credentials_or_tls_fail_before_anything_is_stored_and_the_same_command_then_sends_once() {
    let server = SmtpServer::start(SmtpOptions {
        starttls: true,
        users: alice(),
        auth_required: true,
        ..SmtpOptions::default()
    });
    let env = setup("privacy", &format!("{}retries = 0\n", smtp_tls(&server, "starttls")));
    let r = run(&env, &[(PW_ENV, "not-the-password")], &erasure());
    assert_not_started(&env, &r, "errors/send-smtp-auth-refused", env.placeholders().with("[PORT]", server.port()));

    // A server without STARTTLS when the config asks for it: TLS refused.
    let plain = SmtpServer::start(SmtpOptions::default());
    let config = env.read("dsr.toml");
    env.write(
        "dsr.toml",
        config.replace(&format!("port = {}\n", server.port()), &format!("port = {}\n", plain.port())),
    );
    let r = run(&env, &[(PW_ENV, PASSWORD)], &erasure());
    assert_not_started(&env, &r, "errors/send-smtp-no-starttls", env.placeholders().with("[PORT]", plain.port()));
    assert!(plain.messages().is_empty());

    // Fixed: the same command sends one message, and the log has one case.
    env.write("dsr.toml", config);
    let r = run(&env, &[(PW_ENV, PASSWORD)], &erasure());
    assert_eq!(r.code, 0, "{r}");
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert!(got[0].tls && got[0].auth_login.as_deref() == Some("alice"));
    assert_one_case_sent(&env);
    assert_eq!(sha256(&got[0].bytes), object_sha(&events(&env)[0], "message"));
}

#[test]
fn a_451_is_retried_after_the_default_backoff_and_then_sent() {
    let server = SmtpServer::start(SmtpOptions::default());
    // The default settings: retries = 3, the first retry after 1 s.
    let env = setup("tempfail-once", &smtp_plain(server.port()));
    let start = Instant::now();
    let r = run(&env, &[], &erasure());
    let took = start.elapsed();
    assert_eq!(r.code, 0, "{r}");
    assert!(took >= Duration::from_secs(1), "no backoff before the retry: {took:?}");
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "send_failed", "sent"]);
    assert_eq!(
        failure(&ev[1]),
        json!({"attempt": 1, "class": "transient", "stage": "rcpt_to", "code": 451, "final": false})
    );
    assert_eq!(
        failure_text(&env, &ev[1]),
        format!(
            "temporary failure at 127.0.0.1:{} (RCPT TO:<tempfail-once@{COMPANY_DOMAIN}>): \
             451 4.3.0 Temporary failure, try again later",
            server.port()
        )
    );
    assert_eq!(ev[2]["data"]["attempt"], 2);
    assert_eq!(ev[2]["data"]["code"], 250);
    assert!(r.stdout.contains("\nattempts:   2\n"), "{r}");
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(sha256(&got[0].bytes), object_sha(&ev[0], "message"), "the retry sent other bytes");
}

#[test]
fn a_451_that_persists_gives_up_after_the_configured_retries() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("tempfail", &format!("{}retries = 1\n", smtp_plain(server.port())));
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 3, "{r}");
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "send_failed", "send_failed"]);
    let want = |attempt: u32, last: bool| json!({"attempt": attempt, "class": "transient", "stage": "rcpt_to", "code": 451, "final": last});
    assert_eq!(failure(&ev[1]), want(1, false));
    assert_eq!(failure(&ev[2]), want(2, true));
    let request = ev[0]["request"].as_str().unwrap();
    r.snapshot("errors/send-451-gave-up", env.placeholders().with("[PORT]", server.port()).with("[REQUEST]", request));
    assert!(server.messages().is_empty());
}

#[test]
fn a_550_is_final_at_once_and_exits_3() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("permfail", &smtp_plain(server.port()));
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 3, "{r}");
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "send_failed"], "a permanent failure was retried");
    assert_eq!(
        failure(&ev[1]),
        json!({"attempt": 1, "class": "permanent", "stage": "rcpt_to", "code": 550, "final": true})
    );
    let error = format!(
        "permanent failure at 127.0.0.1:{} (RCPT TO:<permfail@{COMPANY_DOMAIN}>): 550 5.1.1 No such user here",
        server.port()
    );
    assert_eq!(failure_text(&env, &ev[1]), error);
    let request = ev[0]["request"].as_str().unwrap();
    assert!(r.stderr.contains(&format!("error: request {request}: delivery failed: {error}\n")), "{r}");
    r.snapshot("errors/send-550-refused", env.placeholders().with("[PORT]", server.port()).with("[REQUEST]", request));
    assert!(server.messages().is_empty());
}

#[test]
fn a_closed_port_fails_before_anything_is_stored_and_the_same_command_then_sends_once() {
    let (port, refused) = closed_port();
    let env = setup("privacy", &smtp_plain(port));
    let r = run(&env, &[], &erasure());
    let placeholders = env.placeholders().with("[PORT]", port).with("[REFUSED]", &refused);
    assert_not_started(&env, &r, "errors/send-smtp-connection-refused", placeholders);

    // The server is reachable now: the same command sends it once, as new.
    let server = SmtpServer::start(SmtpOptions::default());
    env.write(
        "dsr.toml",
        env.read("dsr.toml").replace(&format!("port = {port}\n"), &format!("port = {}\n", server.port())),
    );
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(server.messages().len(), 1);
    assert_one_case_sent(&env);
}

#[test]
fn retry_connects_first_and_a_refusal_leaves_the_case_and_the_log_unchanged() {
    // Without [smtp] the request goes to the outbox: a case to retry.
    let env = setup("privacy", "");
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 0, "{r}");
    let request = events(&env)[0]["request"].as_str().unwrap().to_string();
    let log = env.read("data/log.jsonl");
    let stored = files(&env.join("data"));

    let (port, refused) = closed_port();
    let config = env.read("dsr.toml");
    env.write("dsr.toml", format!("{config}{}", smtp_plain(port)));
    let r = run(&env, &[], &["send", "--retry", &request, "--yes"]);
    assert_eq!(r.code, 3, "{r}");
    let placeholders = env.placeholders().with("[PORT]", port).with("[REFUSED]", &refused).with("[REQUEST]", &request);
    r.snapshot("errors/send-retry-connection-refused", placeholders);
    assert_eq!(env.read("data/log.jsonl"), log, "no retry_confirmed, no send_failed");
    assert_eq!(files(&env.join("data")), stored, "nothing stored");

    let server = SmtpServer::start(SmtpOptions::default());
    env.write("dsr.toml", format!("{config}{}", smtp_plain(server.port())));
    let r = run(&env, &[], &["send", "--retry", &request, "--yes"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(server.messages().len(), 1);
    assert_eq!(names(&events(&env)), ["prepared", "outboxed", "retry_confirmed", "sent"]);
}

#[test]
fn a_connection_dropped_after_data_is_delivery_unknown() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("dropdata", &smtp_plain(server.port()));
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 3, "{r}");
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "send_failed"], "delivery unknown must not be retried silently");
    assert_eq!(failure(&ev[1])["class"], "unknown");
    assert_eq!(failure(&ev[1])["stage"], "message");
    assert_eq!(failure(&ev[1])["code"], Value::Null);
    assert_eq!(failure(&ev[1])["final"], true);
    let request = ev[0]["request"].as_str().unwrap();
    let text = failure_text(&env, &ev[1]);
    assert!(text.starts_with(&format!("delivery unknown at 127.0.0.1:{} (end of message): ", server.port())), "{text}");
    assert!(text.ends_with("; the server may or may not have accepted the message"), "{text}");
    // What lettre says about the dropped connection varies with timing.
    let prefix = format!("delivery unknown at 127.0.0.1:{} (end of message): ", server.port());
    let detail = &text[prefix.len()..text.len() - "; the server may or may not have accepted the message".len()];
    assert!(r.stderr.contains(&format!("error: request {request}: delivery failed: {text}\n")), "{r}");
    let placeholders =
        env.placeholders().with("[PORT]", server.port()).with("[REQUEST]", request).with("[DETAIL]", detail);
    r.snapshot("errors/send-delivery-unknown", placeholders);
    // Indeed it did: exactly why the case must say "unknown", not "failed".
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert!(got[0].dropped);
    assert_eq!(sha256(&got[0].bytes), object_sha(&ev[0], "message"));
}

// ----- the outbox -----------------------------------------------------------

#[test]
fn without_smtp_the_message_goes_to_the_outbox_and_is_never_logged_as_sent() {
    let env = setup("privacy", "");
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 0, "{r}");
    let path =
        r.stdout.lines().find_map(|l| l.strip_prefix("outbox:     ")).unwrap_or_else(|| panic!("no outbox line: {r}"));
    let path = env.path().join(path);
    let eml = std::fs::read(&path).unwrap();
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "outboxed"]);
    assert_eq!(ev[0]["data"]["route"], "outbox");
    assert_eq!(eml, object(&env, &object_sha(&ev[0], "message")), "the .eml is not the stored message");
    let rel = ev[1]["data"]["file"].as_str().unwrap();
    assert!(rel.starts_with("outbox/") && rel.ends_with(".eml"), "{rel}");
    assert_eq!(env.join("data").join(rel), path);
    assert_eq!(ev[1]["data"]["message_id"], ev[0]["data"]["message_id"]);
    // The "NOT SENT: no [smtp] is configured" note and its advice (the
    // deadline assumes the message is received today: send the .eml now).
    let placeholders = env
        .placeholders()
        .with("[REQUEST]", ev[0]["request"].as_str().unwrap())
        .with("[MESSAGE_ID]", ev[0]["data"]["message_id"].as_str().unwrap())
        .with("[MESSAGE_ID_LOCAL]", ev[0]["data"]["message_id"].as_str().unwrap().split('@').next().unwrap());
    r.snapshot("notes/send-outbox-not-sent", placeholders);
}

// ----- message content --------------------------------------------------------

#[test]
fn dkim_rsa_and_ed25519_signatures_pkcs1_pkcs8_and_seed_verify_with_dkimpy() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", &smtp_plain(server.port()));
    let keys = env.join("keys");
    let out = run_script("dkim_check.py", &[OsStr::new("keys"), keys.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verify = |eml: &Path, record: &str| {
        let spec = format!("dsr2026._domainkey.beispiel-handel.example={}", keys.join(record).display());
        let out = run_script("dkim_check.py", &[OsStr::new("verify"), eml.as_os_str(), OsStr::new(&spec)]);
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    };
    // PKCS#1 and PKCS#8 RSA (what `openssl genrsa` writes today), the
    // Ed25519 seed and Ed25519 PKCS#8 (`openssl genpkey`).
    let cases = [
        ("rsa", "rsa.pem", "rsa.txt", "ed25519.txt"),
        ("ed25519", "ed25519.key", "ed25519.txt", "rsa.txt"),
        ("rsa", "rsa8.pem", "rsa8.txt", "rsa.txt"),
        ("ed25519", "ed25519.pem", "ed25519-pem.txt", "ed25519.txt"),
    ];
    for (i, (algorithm, key, record, other)) in cases.into_iter().enumerate() {
        let dkim = format!(
            "\n[dkim]\ndomain = \"beispiel-handel.example\"\nselector = \"dsr2026\"\nalgorithm = \"{algorithm}\"\n\
             key_file = \"keys/{key}\"\n"
        );
        env.write("dsr.toml", format!("{BASE_CONFIG}{}{dkim}", smtp_plain(server.port())));
        let r = run(&env, &[], &again());
        assert_eq!(r.code, 0, "{algorithm}: {r}");
        let delivered = &server.messages()[i];
        let ev = events(&env);
        assert_eq!(sha256(&delivered.bytes), object_sha(&ev[2 * i], "message"));
        let text = String::from_utf8_lossy(&delivered.bytes);
        let header = format!("\r\nDKIM-Signature: v=1; a={algorithm}-sha256; d=beispiel-handel.example; s=dsr2026;");
        assert!(text.contains(&header), "{algorithm}: not signed: {text}");
        let (ok, out) = verify(&delivered.path, record);
        assert!(ok, "{algorithm}: {out}");
        // The verifier can say no: the other algorithm's key does not fit.
        let (ok, out) = verify(&delivered.path, other);
        assert!(!ok, "{algorithm}: verified with the wrong key: {out}");
    }
}

/// Issue 13 point 5: a sent message carries the log's latest checkpoint in
/// a DKIM-signed `DSR-Checkpoint` header; `dsr log verify --checkpoint
/// MESSAGE.eml` takes it from there; a changed header breaks both.
#[test]
fn sent_messages_carry_the_latest_checkpoint_under_dkim_and_verify_accepts_them() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", "");
    let keys = env.join("keys");
    let out = run_script("dkim_check.py", &[OsStr::new("keys"), keys.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dkim = "\n[dkim]\ndomain = \"beispiel-handel.example\"\nselector = \"dsr2026\"\nalgorithm = \"ed25519\"\n\
                key_file = \"keys/ed25519.key\"\n";
    env.write("dsr.toml", format!("{BASE_CONFIG}{}{dkim}", smtp_plain(server.port())));
    let r = run(&env, &[], &["key", "new"]);
    assert_eq!(r.code, 0, "{r}");
    let r = run(&env, &[], &erasure());
    assert_eq!(r.code, 0, "{r}");
    let first = String::from_utf8_lossy(&server.messages()[0].bytes).into_owned();
    assert!(!first.contains("DSR-Checkpoint"), "no checkpoint before the first one is signed: {first}");
    // The first send ended with a checkpoint line: the second message carries it.
    let note = events(&env).iter().rev().find(|e| e["event"] == "checkpoint").unwrap()["data"]["note"]
        .as_str()
        .unwrap()
        .to_string();
    let r = run(&env, &[], &again());
    assert_eq!(r.code, 0, "{r}");
    let delivered = &server.messages()[1];
    let eml = String::from_utf8(delivered.bytes.clone()).unwrap();
    let (head, _) = eml.split_once("\r\n\r\n").unwrap();
    let field = head.split("\r\nDSR-Checkpoint:").nth(1).expect("header").split("\r\nMIME-Version").next().unwrap();
    let compact: String = field.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(compact, base64(note.as_bytes()), "the signed note, byte for byte");
    let signature = head.split("DKIM-Signature:").nth(1).unwrap().to_ascii_lowercase();
    let h: String = signature.split("h=").nth(1).unwrap().split(';').next().unwrap().split_whitespace().collect();
    assert!(h.split(':').any(|n| n == "dsr-checkpoint"), "signed headers: {h}");
    let spec = format!("dsr2026._domainkey.beispiel-handel.example={}", keys.join("ed25519.txt").display());
    let dkim_ok = |path: &Path| {
        run_script("dkim_check.py", &[OsStr::new("verify"), path.as_os_str(), OsStr::new(&spec)]).status.success()
    };
    assert!(dkim_ok(&delivered.path), "dkimpy verifies the message with its checkpoint");

    let eml_arg = delivered.path.display().to_string();
    let r = run(&env, &[], &["log", "verify", "--checkpoint", &eml_arg]);
    assert_eq!(r.code, 0, "{r}");
    let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
    let date = format!("\r\n{head}").split("\r\nDate: ").nth(1).unwrap().split("\r\n").next().unwrap().to_string();
    assert!(r.stdout.contains(&format!("extends checkpoint {eml_arg}: lines 1-{size}")), "{r}");
    assert!(
        r.stdout.contains(&format!("lines 1-{size}: no later than the message of {date} to ")),
        "the witness anchor: {r}"
    );
    assert!(r.stdout.contains("sender's claim only"), "{r}");
    // The per-line report takes the message's Date as the time of those lines.
    assert!(
        r.stdout.contains(&format!("existed: lines 1-{size}: no later than 20"))
            && r.stdout.contains(&format!("(witness: the message of {date} to ")),
        "the witness in the per-line report: {r}"
    );
    // The independent verifier reads the same header and says the same.
    let py = std::process::Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .arg(env.join("data"))
        .args(["--checkpoint", &eml_arg])
        .output()
        .unwrap();
    assert_eq!(py.status.code(), Some(0), "{}", String::from_utf8_lossy(&py.stdout));
    assert_eq!(String::from_utf8_lossy(&py.stdout), r.stdout, "verify_log.py and dsr agree");

    // A changed header: DKIM fails, and the checkpoint no longer verifies.
    let at = eml.find("DSR-Checkpoint: ").unwrap() + "DSR-Checkpoint: ".len() + 70;
    let mut bytes = delivered.bytes.clone();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let changed = env.write("changed.eml", &bytes);
    assert!(!dkim_ok(&changed), "dkimpy must refuse a changed checkpoint header");
    let r = run(&env, &[], &["log", "verify", "--checkpoint", "changed.eml"]);
    assert_ne!(r.code, 0, "a changed witness must not verify: {r}");
    let py = std::process::Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .arg(env.join("data"))
        .args(["--checkpoint", &changed.display().to_string()])
        .output()
        .unwrap();
    assert_ne!(py.status.code(), Some(0), "verify_log.py refuses it too");
}

/// Every 64-hex-digit string of `data/log.jsonl` (object names, line and
/// root hashes, anything else).
fn log_hashes(env: &TestEnv) -> std::collections::BTreeSet<String> {
    let text = env.read("data/log.jsonl");
    let mut out = std::collections::BTreeSet::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let n = b[i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        if n == 64 {
            out.insert(text[i..i + 64].to_ascii_lowercase());
        }
        i += n.max(1);
    }
    out
}

/// Issue 13 point 7: the same request sent from two fresh data directories
/// at the same (fixed) time leaves no hash in common; after a purge no hash
/// in the log is the hash of the purged content without its salt.
#[test]
fn identical_requests_share_no_object_hash_and_purged_content_cannot_be_confirmed() {
    let server = SmtpServer::start(SmtpOptions::default());
    let envs: Vec<TestEnv> = (0..2).map(|_| setup("privacy", &smtp_plain(server.port()))).collect();
    for env in &envs {
        assert_eq!(run(env, &[], &["key", "new"]).code, 0);
        let r = run(env, &[], &erasure());
        assert_eq!(r.code, 0, "{r}");
        let request =
            events(env).iter().find(|e| e["event"] == "prepared").unwrap()["request"].as_str().unwrap().to_string();
        let r = run(env, &[], &["close", &request, "--note", "done"]);
        assert_eq!(r.code, 0, "{r}");
    }
    let (a, b) = (log_hashes(&envs[0]), log_hashes(&envs[1]));
    let objects = |env: &TestEnv| -> Vec<(String, String)> {
        events(env)
            .iter()
            .flat_map(|e| e["data"]["objects"].as_array().cloned().unwrap_or_default())
            .map(|o| (o["role"].as_str().unwrap().to_string(), o["sha256"].as_str().unwrap().to_string()))
            .collect()
    };
    let roles: Vec<String> = objects(&envs[0]).into_iter().map(|(r, _)| r).collect();
    for role in ["message", "envelope", "letter", "context", "identity-txt", "identity-json", "note"] {
        assert!(roles.iter().any(|r| r == role), "the test covers {role}: {roles:?}");
    }
    // The first line's `prev` is the all-zero hash in every log (no line before it).
    let zero = "0".repeat(64);
    let common: Vec<&String> = a.intersection(&b).filter(|h| **h != zero).collect();
    assert!(common.is_empty(), "hashes in both logs: {common:?}");

    // The content without salt, hashed, as someone guessing would.
    let env = &envs[0];
    let mut guesses = vec![sha256(b"done"), sha256(b"done\n")];
    for (role, hash) in objects(env) {
        let bytes = std::fs::read(env.join(&format!("data/objects/{}/{}", &hash[..2], &hash[2..]))).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match role.as_str() {
            "letter" | "note" => {
                let (content, salt) = text.rsplit_once("\n\ndsr-salt: ").expect("a salt line");
                assert_eq!(salt.trim_end().len(), 32, "{text}");
                guesses.push(sha256(format!("{content}\n").as_bytes()));
                guesses.push(sha256(content.as_bytes()));
            }
            "envelope" | "context" => {
                let mut v: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(v["salt"].as_str().unwrap().len(), 32, "{text}");
                v.as_object_mut().unwrap().remove("salt");
                guesses.push(sha256(&serde_json::to_vec(&v).unwrap()));
                guesses.push(sha256(&serde_json::to_vec_pretty(&v).unwrap()));
            }
            _ => {}
        }
    }
    let request =
        events(env).iter().find(|e| e["event"] == "prepared").unwrap()["request"].as_str().unwrap().to_string();
    let r = run(env, &[], &["purge", "--request", &request, "--force", "--reason", "test: purge an open case"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(run(env, &[], &["log", "verify", "--objects"]).code, 0);
    let left = log_hashes(env);
    for g in &guesses {
        assert!(!left.contains(g), "a guess of purged content is confirmed by the log: {g}");
    }
}

#[test]
fn umlauts_and_ampersands_arrive_decoded_and_unescaped() {
    let server = SmtpServer::start(SmtpOptions::default());
    let config = BASE_CONFIG
        .replace("Dr. Anna Beispiel", "Dr. Änne Größe-Übel")
        .replace("Beispiel Handels GmbH", "Müller & Söhne GmbH");
    let env = setup("privacy", "");
    env.write("dsr.toml", format!("{config}{}", smtp_plain(server.port())));
    env.write("vollmacht-jürgen.pdf", "%PDF-1.4 Vollmacht\n");
    let subject = env.write(
        "juergen.toml",
        r#"capacity = "representative"
name = "Jürgen Müller-Lüdenscheidt"
email = "juergen@beispiel-handel.example"

[mandate]
file = "vollmacht-jürgen.pdf"
dated = 2026-11-20

[identifiers]
account_email = "juergen@beispiel-handel.example"

[verification]
method = "challenge_to_account_email"
verified_by = "Datenschutzbeauftragte der Müller & Söhne GmbH"
date = 2026-11-27
"#,
    );
    let subject = subject.display().to_string();
    let r = run(&env, &[], &["send", "--to", "zendesk", "--kind", "erasure", "--lang", "de", "--subject", &subject]);
    assert_eq!(r.code, 0, "{r}");
    let org = std::fs::read_to_string(repo().join("examples/subject-org.toml"))
        .unwrap()
        .replace("name = \"Beispiel Handels GmbH\"", "name = \"Müller & Söhne GmbH\"");
    assert!(org.contains("Müller & Söhne GmbH"));
    let org = env.write("mueller-soehne.toml", org).display().to_string();
    let args = ["send", "--to", "zendesk", "--kind", "processor-deletion", "--lang", "de", "--subject", &org];
    let r = run(&env, &[], &[&args[..], &["--confirm", "cancel-subscriptions", "--confirm", "export-data"]].concat());
    assert_eq!(r.code, 0, "{r}");

    let got = server.messages();
    assert_eq!(got.len(), 2);
    let erasure = parse_eml(&got[0].path);
    assert_eq!(erasure["defects"], json!([]));
    assert_eq!(
        erasure["subject"],
        "Antrag auf Löschung personenbezogener Daten nach Art. 17 DSGVO – Jürgen Müller-Lüdenscheidt"
    );
    assert_eq!(erasure["from_name"], "Dr. Änne Größe-Übel");
    assert_eq!(erasure["to"], json!([["Zendesk International Ltd.", format!("privacy@{COMPANY_DOMAIN}")]]));
    let body = erasure["body"].as_str().unwrap().replace("\r\n", "\n");
    assert!(body.contains("\nMüller & Söhne GmbH\n"), "{body}");
    assert!(body.contains("dass mich Jürgen Müller-Lüdenscheidt (im Folgenden:"), "{body}");
    assert!(!body.contains("&amp;") && !body.contains("&#"), "HTML escaping in the body: {body}");
    let names: Vec<&str> =
        erasure["attachments"].as_array().unwrap().iter().filter_map(|a| a["filename"].as_str()).collect();
    assert!(names.contains(&"vollmacht-jürgen.pdf"), "{names:?}");

    let deletion = parse_eml(&got[1].path);
    assert_eq!(deletion["defects"], json!([]));
    assert_eq!(
        deletion["subject"],
        "Weisung zur Löschung nach Art. 28 Abs. 3 lit. g DSGVO – Müller & Söhne GmbH (beispiel-handel)"
    );
    assert_eq!(deletion["from_name"], "Dr. Änne Größe-Übel");
    assert!(deletion["body"].as_str().unwrap().contains("Müller & Söhne GmbH"));
}

// ----- secrets and bad input ----------------------------------------------------

#[test]
fn the_smtp_password_appears_nowhere() {
    const WRONG: &str = "Wr0ng!e2e-Pässwort-ßß-77d0";
    assert_eq!([base64(b"f"), base64(b"fo"), base64(b"foobar")], ["Zg==", "Zm8=", "Zm9vYmFy"]);
    let server = SmtpServer::start(SmtpOptions {
        starttls: true,
        require_starttls: true,
        users: alice(),
        auth_required: true,
        ..SmtpOptions::default()
    });
    let env = setup("privacy", &smtp_tls(&server, "starttls"));
    let mut args = erasure();
    args.insert(0, "-vv".into());
    let ok = run(&env, &[(PW_ENV, PASSWORD)], &args);
    assert_eq!(ok.code, 0, "{ok}");
    // A second request for the same subject: `--again`, or the duplicate
    // guard refuses it before the login is tried.
    args.extend(["--again".into(), "the first was a test".into()]);
    let failed = run(&env, &[(PW_ENV, WRONG)], &args);
    assert_eq!(failed.code, 3, "{failed}");
    let json_run = {
        let mut a = args.clone();
        a.insert(0, "--json".into());
        run(&env, &[(PW_ENV, WRONG)], &a)
    };
    assert_eq!(json_run.code, 3, "{json_run}");
    // A refused password fails before anything is stored or logged.
    assert_eq!(names(&events(&env)), ["prepared", "sent"]);

    let mut haystacks: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, r) in [&ok, &failed, &json_run].into_iter().enumerate() {
        haystacks.push((format!("run {i} stdout"), r.stdout.clone().into_bytes()));
        haystacks.push((format!("run {i} stderr"), r.stderr.clone().into_bytes()));
    }
    for (path, bytes) in files(&env.join("data")) {
        haystacks.push((path.display().to_string(), bytes));
    }
    assert!(haystacks.len() > 10, "too few files to search: {}", haystacks.len());
    // The search finds what is there (the subject's name is in the message).
    assert!(haystacks.iter().any(|(_, h)| h.windows(16).any(|w| w == b"Erika Mustermann")));
    for pw in [PASSWORD, WRONG] {
        for needle in &secret_forms("alice", pw) {
            for (name, hay) in &haystacks {
                assert!(!hay.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle:?} found in {name}");
            }
        }
    }
}

/// Invalid requests: (snapshot name, arguments). Each snapshot pins the
/// exit code (2), an empty stdout and the whole stderr.
fn bad_inputs(env: &TestEnv) -> Vec<(&'static str, Vec<String>)> {
    let no_email = std::fs::read_to_string(repo().join("examples/subject-person.toml"))
        .unwrap()
        .replace("account_email = \"erika.mustermann@beispiel-handel.example\"\n", "");
    let no_email = env.write("no-account-email.toml", no_email).display().to_string();
    let bad_email = std::fs::read_to_string(repo().join("examples/subject-person.toml")).unwrap().replace(
        "email = \"erika.mustermann@beispiel-handel.example\"\n\n",
        "email = \"erika.mustermann.beispiel-handel.example\"\n\n",
    );
    assert!(bad_email.contains("erika.mustermann.beispiel-handel.example"));
    let bad_email = env.write("bad-email.toml", bad_email).display().to_string();
    let person = example("subject-person.toml");
    let org = example("subject-org.toml");
    let scan = env.write("ausweis-scan.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0").display().to_string();
    let contract_party = env
        .write(
            "representative.toml",
            "capacity = \"representative\"\nname = \"Max Beispiel\"\n[mandate]\nfile = \"mandate.pdf\"\n\
             dated = 2026-11-20\n[identifiers]\naccount_email = \"max@beispiel-handel.example\"\n\
             [verification]\nmethod = \"contract_party\"\nverified_by = \"DPO\"\ndate = 2026-11-27\n",
        )
        .display()
        .to_string();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        // A required identifier is missing.
        (
            "errors/send-missing-identifier",
            s(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", &no_email]),
        ),
        (
            "errors/send-unknown-policy",
            s(&["send", "--to", "no-such-company", "--kind", "erasure", "--subject", &person]),
        ),
        (
            "errors/send-unconfirmed-precondition",
            s(&[
                "send",
                "--to",
                "zendesk",
                "--kind",
                "processor-deletion",
                "--subject",
                &org,
                "--confirm",
                "export-data",
            ]),
        ),
        ("errors/send-missing-to", s(&["send", "--kind", "erasure", "--subject", &person])),
        ("errors/send-invalid-policy-id", s(&["send", "--to", "Zendesk", "--kind", "erasure", "--subject", &person])),
        ("errors/send-invalid-email", s(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", &bad_email])),
        (
            "errors/send-unknown-confirm-id",
            s(&[
                "send",
                "--to",
                "zendesk",
                "--kind",
                "processor-deletion",
                "--subject",
                &org,
                "--confirm",
                "cancel-subscriptions",
                "--confirm",
                "export-dat",
            ]),
        ),
        (
            "errors/send-missing-attachment",
            s(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", &person, "--attach", "missing.pdf"]),
        ),
        // An identity document would go out while the letter says none is
        // attached (issue 16, defect 4).
        (
            "errors/send-id-document-not-asked-for",
            s(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", &person, "--attach", &scan]),
        ),
        // A rectification names what is wrong (issue 16, point 16).
        (
            "errors/send-rectification-without-correction",
            s(&["send", "--to", "zendesk", "--kind", "rectification", "--subject", &person]),
        ),
        // A representative's erasure request rests on the mandate, not on a
        // contract (issue 16, defect 8).
        (
            "errors/send-representative-contract-party",
            s(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", &contract_party]),
        ),
    ]
}

#[test]
fn bad_input_exits_2_and_stores_nothing() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", &smtp_plain(server.port()));
    let cases = bad_inputs(&env);
    for (name, args) in &cases {
        let r = run(&env, &[], args);
        assert_eq!(r.code, 2, "{name}: {r}");
        assert_eq!(r.stdout, "", "{name}");
        r.snapshot(name, env.placeholders().with("[PORT]", server.port()));
        assert_nothing_stored(&env, name);
    }
    // With a log that exists, nothing is added to it.
    let ok = run(&env, &[], &erasure());
    assert_eq!(ok.code, 0, "{ok}");
    let before = files(&env.join("data"));
    for (name, args) in &cases {
        let r = run(&env, &[], args);
        assert_eq!(r.code, 2, "{name}: {r}");
        assert!(files(&env.join("data")) == before, "{name}: the data directory changed");
    }
    assert_eq!(server.messages().len(), 1, "only the valid request was sent");
}

#[test]
fn line_breaks_in_header_values_are_refused_before_anything_is_stored() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", &smtp_plain(server.port()));
    // In the subject file: TOML's "\r\n" escape in the data subject's name.
    let injected = std::fs::read_to_string(repo().join("examples/subject-person.toml"))
        .unwrap()
        .replace("name = \"Erika Mustermann\"", "name = \"Erika\\r\\nBcc: everyone@evil.example\"");
    assert!(injected.contains("\\r\\nBcc"));
    let subject = env.write("injected.toml", injected).display().to_string();
    let r = run(&env, &[], &["send", "--to", "zendesk", "--kind", "erasure", "--subject", &subject]);
    assert_eq!(r.code, 2, "{r}");
    r.snapshot("errors/send-subject-name-line-break", env.placeholders().with("[PORT]", server.port()));
    assert_nothing_stored(&env, "name with CR LF");

    // In the sender's name in dsr.toml (it becomes the From header).
    let config = BASE_CONFIG.replace("Dr. Anna Beispiel", "Anna\\r\\nBcc: everyone@evil.example");
    env.write("dsr.toml", format!("{config}{}", smtp_plain(server.port())));
    let org = example("subject-org.toml");
    let confirm = ["--confirm", "cancel-subscriptions", "--confirm", "export-data"];
    let args = [&["send", "--to", "zendesk", "--kind", "processor-deletion", "--subject", &org][..], &confirm].concat();
    let r = run(&env, &[], &args);
    assert_eq!(r.code, 2, "{r}");
    r.snapshot("errors/send-sender-name-line-break", env.placeholders().with("[PORT]", server.port()));
    assert_nothing_stored(&env, "sender name with CR LF");

    // In an attachment's file name.
    env.write("dsr.toml", format!("{BASE_CONFIG}{}", smtp_plain(server.port())));
    let name = "a\r\nBcc: everyone@evil.example.pdf";
    env.write(name, "x");
    let mut args = erasure();
    args.extend(["--attach".into(), name.into()]);
    let r = run(&env, &[], &args);
    assert_eq!(r.code, 2, "{r}");
    r.snapshot("errors/send-attachment-name-line-break", env.placeholders().with("[PORT]", server.port()));
    assert_nothing_stored(&env, "file name with CR LF");
    assert!(server.messages().is_empty());
}

// ----- the documented workflows --------------------------------------------------

#[test]
fn the_readme_main_job_works_in_a_fresh_directory() {
    let env = TestEnv::new();
    let config = example("dsr.toml");
    let subject = example("subject-person.toml");
    let args = [
        "--config",
        &config,
        "--data-dir",
        "dsr-data",
        "send",
        "--to",
        "zendesk",
        "--kind",
        "erasure",
        "--subject",
        &subject,
    ];
    let out = env.dsr(&args).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    let path = stdout.lines().find_map(|l| l.strip_prefix("outbox:     ")).expect("outbox line");
    let path = PathBuf::from(path);
    assert!(path.starts_with(env.join("dsr-data/outbox")), "{}", path.display());
    assert!(path.is_file());
    assert!(stderr.contains("NOT SENT"), "{stderr}");
    let v = env.dsr(&["--data-dir", "dsr-data", "log", "verify", "--objects"]).output().unwrap();
    assert!(v.status.success(), "{}{}", String::from_utf8_lossy(&v.stdout), String::from_utf8_lossy(&v.stderr));
}

#[test]
fn processor_deletion_with_both_confirmations_is_sent_with_the_confirmation_date() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = setup("privacy", &smtp_plain(server.port()));
    let org = example("subject-org.toml");
    let confirm = ["--confirm", "cancel-subscriptions", "--confirm", "export-data"];
    let args = [&["send", "--to", "zendesk", "--kind", "processor-deletion", "--subject", &org][..], &confirm].concat();
    let r = run(&env, &[], &args);
    assert_eq!(r.code, 0, "{r}");
    // Cancelled 2026-11-20: Zendesk's documented deletion starts 90 days
    // later (2027-02-18), the confirmation is due one month after that, in
    // Zendesk's calendar (IE): Thursday 18 March 2027.
    assert!(r.stdout.contains("\nconfirm by: 2027-03-18 (set in the letter)\n"), "{r}");
    let ev = events(&env);
    assert_eq!(names(&ev), ["prepared", "sent"]);
    let data = &ev[0]["data"];
    assert_eq!(data["kind"], "processor-deletion");
    assert_eq!(data["confirm_by"], "2027-03-18");
    assert_eq!(data["confirmed"], json!(["cancel-subscriptions", "export-data"]));
    let letter = String::from_utf8(object(&env, &object_sha(&ev[0], "letter"))).unwrap();
    assert!(
        letter
            .contains("Please confirm the deletion itself in writing no later than\n\n    Thursday, 18 March 2027.\n")
            && letter.contains("that you have received this instruction, and tell me the deletion\nschedule"),
        "{letter}"
    );
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(sha256(&got[0].bytes), object_sha(&ev[0], "message"));
}

#[test]
fn read_receipt_asks_for_a_disposition_notification_to_the_sender() {
    let env = setup("privacy", "");
    let mut args = erasure();
    args.push("--read-receipt".into());
    let r = run(&env, &[("DSR_NOW", NOW)], &args);
    assert_eq!(r.code, 0, "{r}");
    let outbox = std::fs::read_dir(env.join("data/outbox")).unwrap().next().unwrap().unwrap().path();
    let eml = String::from_utf8(std::fs::read(outbox).unwrap()).unwrap();
    assert!(eml.contains("Disposition-Notification-To: <erika.mustermann@beispiel-handel.example>\r\n"), "{eml}");
}
