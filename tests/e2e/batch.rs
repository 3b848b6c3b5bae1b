//! Tests for `dsr send --batch`: validation of every row before anything
//! is stored, idempotent re-runs, resuming after SIGKILL, the rate limit,
//! and delivery-unknown rows that are only re-sent after confirmation.

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{Placeholders, TEST_CONFIG, TestEnv, assert_output, repo};
use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A test env with the subject examples and a config that sends to `port`
/// (or to the outbox without one).
fn env(port: Option<u16>) -> TestEnv {
    let env = TestEnv::new();
    let smtp = port.map_or(String::new(), |p| {
        format!("\n[smtp]\nhost = \"127.0.0.1\"\nport = {p}\ntls = \"none\"\nretries = 0\ntimeout_secs = 5\n")
    });
    env.write("dsr.toml", format!("{TEST_CONFIG}{smtp}"));
    for f in ["subject-person.toml", "subject-org.toml"] {
        env.write(&format!("batch/{f}"), std::fs::read(repo().join("examples").join(f)).unwrap());
    }
    // One subject per row of `rows`: the duplicate guard refuses two rows
    // for the same subject, company and kind.
    let person = std::fs::read_to_string(repo().join("examples/subject-person.toml")).unwrap();
    for i in 0..8 {
        env.write(
            &format!("batch/subject-person-{i}.toml"),
            person.replace("Erika Mustermann", &format!("Erika Mustermann {i}")),
        );
    }
    env
}

/// `n` distinct rows (explicit keys), alternating zendesk/1blu and de/en.
fn rows(n: usize) -> String {
    let mut s = String::from("key,policy,kind,lang,subject\n");
    for i in 0..n {
        let policy = if i % 2 == 0 { "zendesk" } else { "1blu" };
        let lang = if (i / 2) % 2 == 0 { "de" } else { "en" };
        s.push_str(&format!("row-{i},{policy},erasure,{lang},subject-person-{i}.toml\n"));
    }
    s
}

/// Every event of the log as (event, request, data).
fn events(env: &TestEnv) -> Vec<(String, String, serde_json::Value)> {
    let Ok(text) = std::fs::read_to_string(env.join("data/log.jsonl")) else { return Vec::new() };
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["event"].as_str().unwrap().to_string(),
                v["request"].as_str().unwrap_or_default().to_string(),
                v["data"].clone(),
            )
        })
        .collect()
}

/// The Message-ID header of a stored message.
fn message_id(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).expect("Message-ID");
    line["message-id:".len()..].trim().trim_matches(['<', '>']).to_string()
}

/// Message-ID → how often the server received it.
fn received(server: &SmtpServer) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for c in server.messages() {
        *m.entry(message_id(&c.bytes)).or_default() += 1;
    }
    m
}

/// Message-ID → last delivery state per the log (`sent`, `unknown`, …).
fn logged(env: &TestEnv) -> BTreeMap<String, &'static str> {
    let mut m = BTreeMap::new();
    for (event, _, data) in events(env) {
        let id = data["message_id"].as_str().unwrap_or_default().to_string();
        let state = match event.as_str() {
            "prepared" | "retry_confirmed" => "unknown",
            "sent" => "sent",
            "send_failed" if data["class"] == "unknown" => "unknown",
            "send_failed" => "failed",
            "outboxed" => "outboxed",
            _ => continue,
        };
        m.insert(id, state);
    }
    m
}

#[test]
fn invalid_rows_are_reported_together_and_nothing_is_stored() {
    let env = env(None);
    env.write(
        "batch/b.csv",
        "policy,kind,subject,confirm,lang\n\
         zendesk,erasure,subject-person.toml,,de\n\
         nosuch,erasure,subject-person.toml,,\n\
         zendesk,processor-deletion,subject-org.toml,export-data,\n\
         zendesk,erasur,subject-person.toml,,fr\n\
         1blu,erasure,subject-person.toml,,en\n",
    );
    let args = ["send", "--batch", "batch/b.csv"];
    let out = env.dsr(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Every invalid row with its line, then one help: exit 2, no stdout.
    assert_output("errors/batch-invalid-rows", &args, &out, env.placeholders());
    assert!(out.stdout.is_empty());
    assert!(!env.join("data").exists(), "nothing may be stored or logged");
}

#[test]
fn two_policies_and_both_languages_go_out_over_one_connection_and_a_rerun_skips_them() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(Some(server.port()));
    env.write("batch/b.csv", rows(4));
    let out = env.dsr(&["--json", "send", "--batch", "batch/b.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((summary["sent"].as_u64(), summary["failed"].as_u64()), (Some(4), Some(0)));
    let got = server.messages();
    assert_eq!(got.len(), 4);
    assert!(got.iter().all(|m| m.peer.is_some() && m.peer == got[0].peer), "one connection for the batch");
    let to: Vec<&str> = got.iter().map(|m| m.rcpt_tos[0].as_str()).collect();
    assert_eq!(
        to,
        [
            "euprivacy@zendesk.com",
            "datenschutzbeauftragter@1blu.de",
            "euprivacy@zendesk.com",
            "datenschutzbeauftragter@1blu.de"
        ]
    );
    // Languages as asked: rows 0-1 German, rows 2-3 English.
    let subjects: Vec<String> = got
        .iter()
        .map(|m| {
            let t = String::from_utf8_lossy(&m.bytes).to_string();
            t.lines().find(|l| l.starts_with("Subject:")).unwrap().to_string()
        })
        .collect();
    let langs: Vec<&str> = summary["rows"].as_array().unwrap().iter().map(|r| r["policy"].as_str().unwrap()).collect();
    assert_eq!(langs, ["zendesk", "1blu", "zendesk", "1blu"]);
    assert_ne!(subjects[0], subjects[2], "German and English subject lines differ");
    let prepared: Vec<serde_json::Value> =
        events(&env).into_iter().filter(|(e, _, _)| e == "prepared").map(|(_, _, d)| d).collect();
    let langs: Vec<&str> = prepared.iter().map(|d| d["lang"].as_str().unwrap()).collect();
    assert_eq!(langs, ["de", "de", "en", "en"]);
    let keys: BTreeSet<&str> = prepared.iter().map(|d| d["batch_key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), 4);
    assert!(keys.iter().all(|k| k.len() == 32 && !k.contains("row-")), "only digests are logged: {keys:?}");
    // Every message on the server is the stored one.
    for (m, d) in got.iter().zip(&prepared) {
        assert_eq!(message_id(&m.bytes), d["message_id"].as_str().unwrap());
    }

    // The same batch again: nothing is sent, everything is skipped.
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.ends_with("sent 0, outboxed 0, failed 0, delivery unknown 0, skipped 4, held 0, not attempted 0\n"),
        "{text}"
    );
    assert!(text.starts_with("row 1 [row-0]: zendesk erasure skipped (earlier: sent) r_"), "{text}");
    assert_eq!(server.messages().len(), 4);
    env.dsr(&["log", "verify"]).assert().success();
}

#[test]
fn toml_batch_files_work_like_csv() {
    let env = env(None);
    env.write(
        "batch/b.toml",
        "[[request]]\npolicy = \"zendesk\"\nkind = \"processor-deletion\"\nsubject = \"subject-org.toml\"\n\
         confirm = [\"export-data\", \"cancel-subscriptions\"]\n\n\
         [[request]]\npolicy = \"1blu\"\nkind = \"erasure\"\nlang = \"en\"\nsubject = \"subject-person.toml\"\n",
    );
    let out = env.dsr(&["send", "--batch", "batch/b.toml"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("sent 0, outboxed 2, failed 0, delivery unknown 0, skipped 0, held 0, not attempted 0\n"));
    assert_eq!(std::fs::read_dir(env.join("data/outbox")).unwrap().count(), 2);
}

#[test]
fn the_rate_limit_is_honoured() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(Some(server.port()));
    env.write("batch/b.csv", rows(3));
    let start = Instant::now();
    env.dsr(&["-q", "send", "--batch", "batch/b.csv", "--rate", "120"]).assert().success();
    let elapsed = start.elapsed();
    // 120 per minute: 0.5 s between message starts, so ≥ 1 s for three.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert_eq!(server.messages().len(), 3);
}

#[test]
fn resume_after_sigkill_sends_every_row_exactly_once() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(Some(server.port()));
    let n = 8;
    env.write("batch/b.csv", rows(n));
    // Slow on purpose (0.3 s between messages), killed after 3 deliveries.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dsr"))
        .args(["-q", "send", "--batch", "batch/b.csv", "--rate", "200"])
        .current_dir(env.path())
        .env_clear()
        .env("HOME", env.path())
        .env("DSR_YES", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.messages().len() < 3 {
        assert!(Instant::now() < deadline, "the batch did not start sending");
        assert!(child.try_wait().unwrap().is_none(), "the batch ended before it was killed");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before_rerun = received(&server);
    assert!(before_rerun.values().all(|&c| c == 1));
    assert!(before_rerun.len() < n, "killed before the end");
    let unknown_at_kill: BTreeSet<String> =
        logged(&env).into_iter().filter(|(_, s)| *s == "unknown").map(|(id, _)| id).collect();
    // Everything the server has is in the log, as sent or unknown (never unsent).
    for id in before_rerun.keys() {
        assert!(matches!(logged(&env).get(id), Some(&"sent" | &"unknown")), "{id} missing from the log");
    }

    // The log needs no repair after SIGKILL between events, and a plain
    // rerun sends the rest but not the unknown rows.
    env.dsr(&["log", "verify"]).assert().success();
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).output().unwrap();
    let held = unknown_at_kill.len();
    assert_eq!(out.status.code(), Some(if held > 0 { 3 } else { 0 }), "{}", String::from_utf8_lossy(&out.stderr));
    let after = received(&server);
    assert!(after.values().all(|&c| c == 1), "nothing sent twice: {after:?}");
    assert_eq!(after.len() + unknown_at_kill.iter().filter(|id| !before_rerun.contains_key(*id)).count(), n);

    if held > 0 {
        // Unknown rows go out again only with confirmation (no terminal here: --yes).
        let out =
            env.dsr(&["send", "--batch", "batch/b.csv", "--retry-failed"]).env_remove("DSR_YES").output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("would be sent again"));
        env.dsr(&["send", "--batch", "batch/b.csv", "--retry-failed", "--yes"]).assert().success();
    }
    let fin = received(&server);
    assert_eq!(fin.len(), n, "every row arrived");
    for (id, count) in &fin {
        // Only a row that was in flight at the kill (delivered, outcome not
        // yet logged) may arrive twice, and only because the user confirmed.
        let expected = if unknown_at_kill.contains(id) && before_rerun.contains_key(id) { 2 } else { 1 };
        assert_eq!(*count, expected, "{id}");
    }
    let states = logged(&env);
    assert_eq!(states.len(), n);
    assert!(states.values().all(|s| *s == "sent"), "{states:?}");
    env.dsr(&["log", "verify"]).assert().success();
}

#[test]
fn delivery_unknown_rows_are_held_and_resent_as_the_same_message_only_with_yes() {
    let dropping = SmtpServer::start(SmtpOptions { drop_after_data: true, ..Default::default() });
    let env = env(Some(dropping.port()));
    env.write("batch/b.csv", rows(1));
    let args = ["send", "--batch", "batch/b.csv"];
    let out = env.dsr(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("row 1 [row-0]: zendesk erasure delivery unknown r_"), "{stdout}");
    let request = stdout.split("delivery unknown ").nth(1).unwrap()[..18].to_string();
    // What lettre says about the dropped connection varies with timing.
    let placeholders = env
        .placeholders()
        .with("[PORT]", dropping.port())
        .with("[REQUEST]", &request)
        .pattern("[MESSAGE_ID]", r"[0-9a-f]{32}@beispiel-handel\.example")
        .pattern("[DETAIL]", r"\(end of message\): (?<redacted>[^;\n]+); the server may");
    assert_output("errors/batch-delivery-unknown", &args, &out, placeholders);
    let stored = dropping.messages()[0].bytes.clone();

    // A working server now; without --retry-failed the row is held.
    let server = SmtpServer::start(SmtpOptions::default());
    env.write("dsr.toml", env.read("dsr.toml").replace(&dropping.port().to_string(), &server.port().to_string()));
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("held (earlier: delivery unknown)"));
    assert!(server.messages().is_empty());

    env.dsr(&["send", "--batch", "batch/b.csv", "--retry-failed", "--yes"]).assert().success();
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].bytes, stored, "the stored message goes out again, byte for byte (same Message-ID)");
    let names: Vec<String> = events(&env).into_iter().map(|(e, _, _)| e).collect();
    assert_eq!(names, ["log_created", "prepared", "send_failed", "retry_confirmed", "sent"]);
    let requests: BTreeSet<String> = events(&env).into_iter().skip(1).map(|(_, r, _)| r).collect();
    assert_eq!(requests.len(), 1, "one case");
}

/// Issue 17 point 6 for batches: a row whose message was refused for good
/// (550 for the recipient) is not sent again, not even with
/// `--retry-failed --yes`: the row names `--readdress` instead.
#[test]
fn a_row_refused_for_good_is_not_sent_again_by_retry_failed() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(Some(server.port()));
    let policy = std::fs::read_to_string(repo().join("policies/zendesk.toml"))
        .unwrap()
        .replace("euprivacy@zendesk.com", "permfail@company.example");
    env.write("policies/zendesk.toml", policy);
    env.write("dsr.toml", format!("policies_dir = \"policies\"\n{}", env.read("dsr.toml")));
    env.write("batch/b.csv", "key,policy,kind,lang,subject\nrow-0,zendesk,erasure,en,subject-person-0.toml\n");
    let args = ["send", "--batch", "batch/b.csv"];
    let out = env.dsr(&args).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(server.messages().is_empty(), "550: nothing accepted");
    let names = |env: &TestEnv| events(env).into_iter().map(|(e, _, _)| e).collect::<Vec<_>>();
    let before = names(&env);
    assert_eq!(before.iter().filter(|e| *e == "send_failed").count(), 1, "{before:?}");

    let out = env.dsr(&["send", "--batch", "batch/b.csv", "--retry-failed", "--yes"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("held (earlier: failed)"), "{stdout}");
    assert!(stdout.contains("refused for good, not sent again") && stdout.contains("--readdress r_"), "{stdout}");
    assert_eq!(names(&env), before, "no retry_confirmed, nothing sent");
    let plan = env.dsr(&["send", "--batch", "batch/b.csv", "--dry-run"]).output().unwrap();
    let plan = String::from_utf8_lossy(&plan.stdout);
    assert!(plan.contains("hold (refused for good as r_"), "{plan}");
}

#[test]
fn batch_options_do_not_mix_with_a_single_request() {
    let env = env(None);
    // clap's own messages: exit 2, the two arguments named, the usage line.
    for (name, args) in [
        ("errors/send-rate-with-to", &["send", "--rate", "3", "--to", "zendesk"][..]),
        ("errors/send-batch-with-kind", &["send", "--batch", "b.csv", "--kind", "erasure"]),
        ("errors/send-retry-failed-without-batch", &["send", "--retry-failed"]),
    ] {
        assert_output(name, args, &env.dsr(args).output().unwrap(), env.placeholders());
    }
}

/// A batch that could not open its SMTP session: exit 3, stderr as in the
/// snapshot `name` ("batch not started: …; nothing was stored, logged or
/// sent", and a help that says every row is still new), no stdout, and
/// neither log nor objects (nor the data directory) exist.
#[track_caller]
fn assert_not_started(env: &TestEnv, out: &std::process::Output, name: &str, placeholders: Placeholders) {
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    assert_output(name, &["send", "--batch", "batch/b.csv"], out, placeholders);
    assert!(events(env).iter().all(|(e, _, _)| e != "prepared"), "nothing prepared");
    let objects = env.join("data/objects");
    assert!(!objects.exists() || std::fs::read_dir(&objects).unwrap().next().is_none(), "no objects");
    assert!(!env.join("data").exists(), "the data directory is not even created");
}

/// Every row was sent exactly once, logged as prepared then sent, nothing failed.
fn assert_sent_once(env: &TestEnv, server: &SmtpServer, n: usize) {
    let got = received(server);
    assert_eq!(got.len(), n, "{got:?}");
    assert!(got.values().all(|&c| c == 1), "{got:?}");
    let states = logged(env);
    assert_eq!(states.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>());
    assert!(states.values().all(|s| *s == "sent"), "{states:?}");
    let names: Vec<String> = events(env).into_iter().map(|(e, _, _)| e).collect();
    assert_eq!(names.iter().filter(|e| *e == "prepared").count(), n);
    assert!(!names.iter().any(|e| e == "send_failed" || e == "retry_confirmed"), "{names:?}");
}

#[test]
fn a_server_that_cannot_be_reached_fails_the_batch_before_anything_is_stored() {
    let (port, refused) = crate::support::closed_port();
    assert!(refused.contains("Connection refused"), "{refused}");
    let env = env(Some(port));
    env.write("batch/b.csv", rows(3));
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).output().unwrap();
    let placeholders = env.placeholders().with("[PORT]", port).with("[REFUSED]", &refused);
    assert_not_started(&env, &out, "errors/batch-smtp-connection-refused", placeholders);

    // The server is up now: every row is new and goes out exactly once.
    let server = SmtpServer::start(SmtpOptions::default());
    env.write(
        "dsr.toml",
        env.read("dsr.toml").replace(&format!("port = {port}\n"), &format!("port = {}\n", server.port())),
    );
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .ends_with("sent 3, outboxed 0, failed 0, delivery unknown 0, skipped 0, held 0, not attempted 0\n")
    );
    assert_sent_once(&env, &server, 3);

    // With nothing left to send, the batch needs no server.
    drop(server);
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .ends_with("sent 0, outboxed 0, failed 0, delivery unknown 0, skipped 3, held 0, not attempted 0\n")
    );
    env.dsr(&["log", "verify"]).assert().success();
}

#[test]
fn refused_credentials_or_tls_fail_the_batch_before_anything_is_stored() {
    const PW_ENV: &str = "DSR_E2E_SMTP_PASSWORD";
    let server = SmtpServer::start(SmtpOptions {
        starttls: true,
        users: vec![("alice".into(), "right".into())],
        auth_required: true,
        ..SmtpOptions::default()
    });
    let env = env(None);
    let smtp = |tls: &str| {
        format!(
            "\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"{tls}\"\nusername = \"alice\"\n\
             password_env = \"{PW_ENV}\"\nca_file = '{}'\nretries = 0\ntimeout_secs = 10\n",
            server.port(),
            server.ca_pem_path().display()
        )
    };
    env.write("dsr.toml", format!("{TEST_CONFIG}{}", smtp("starttls")));
    env.write("batch/b.csv", rows(3));
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).env(PW_ENV, "wrong").output().unwrap();
    assert_not_started(&env, &out, "errors/batch-smtp-auth-refused", env.placeholders().with("[PORT]", server.port()));

    // A server without STARTTLS when the config asks for it: TLS refused.
    let plain = SmtpServer::start(SmtpOptions::default());
    let no_tls = smtp("starttls").replace(&format!("port = {}", server.port()), &format!("port = {}", plain.port()));
    env.write("dsr.toml", format!("{TEST_CONFIG}{no_tls}"));
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).env(PW_ENV, "right").output().unwrap();
    assert_not_started(&env, &out, "errors/batch-smtp-no-starttls", env.placeholders().with("[PORT]", plain.port()));
    assert!(plain.messages().is_empty());

    // The right password: every row is new and goes out exactly once, over TLS.
    env.write("dsr.toml", format!("{TEST_CONFIG}{}", smtp("starttls")));
    let out = env.dsr(&["send", "--batch", "batch/b.csv"]).env(PW_ENV, "right").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_sent_once(&env, &server, 3);
    assert!(server.messages().iter().all(|m| m.tls && m.auth_login.as_deref() == Some("alice")));
    env.dsr(&["log", "verify"]).assert().success();
}

/// Columns of an inline data-subject row for zendesk (one agent each).
const INLINE_HEADER: &str = "key,policy,kind,lang,subject.capacity,subject.name,subject.email,\
    subject.identifiers.account_email,subject.identifiers.account_subdomain,subject.verification.method,\
    subject.verification.verified_by,subject.verification.date\n";

fn inline_row(key: &str, name: &str, email: &str) -> String {
    format!(
        "{key},zendesk,erasure,en,data_subject,{name},{email},{email},beispiel-handel,sent_from_account_email,\
         the data subject,2026-11-27\n"
    )
}

#[test]
fn subjects_given_inline_are_checked_like_files_and_sign_their_own_letters() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(Some(server.port()));
    // An unknown subject field, and a row without the identifier zendesk
    // requires: both reported with their rows, nothing stored.
    let bad = format!(
        "{}{}{}",
        INLINE_HEADER.replace("subject.name", "subject.nmae"),
        inline_row("a1", "Agent One", "agent.one@beispiel-handel.example"),
        inline_row("a2", "Agent Two", "agent.two@beispiel-handel.example")
    );
    env.write("batch/agents.csv", bad);
    let args = ["send", "--batch", "batch/agents.csv"];
    let out = env.dsr(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Both rows, each named with its line and its origin (file and row).
    let placeholders = env.placeholders().with("[PORT]", server.port());
    assert_output("errors/batch-inline-unknown-field", &args, &out, placeholders);
    assert!(!env.join("data").exists(), "nothing may be stored or logged");

    let missing = format!(
        "{INLINE_HEADER}{}{}",
        inline_row("a1", "Agent One", "agent.one@beispiel-handel.example"),
        inline_row("a2", "Agent Two", "agent.two@beispiel-handel.example")
            .replace("example,agent.two@beispiel-handel.example,", "example,,")
    );
    env.write("batch/agents.csv", missing);
    let out = env.dsr(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // 1 of 2 rows invalid: row 2 (line 3), with the field to set.
    let placeholders = env.placeholders().with("[PORT]", server.port());
    assert_output("errors/batch-inline-missing-identifier", &args, &out, placeholders);
    assert!(!env.join("data").exists(), "nothing may be stored or logged");

    let good = format!(
        "{INLINE_HEADER}{}{}",
        inline_row("a1", "Agent One", "agent.one@beispiel-handel.example"),
        inline_row("a2", "Agent Two", "agent.two@beispiel-handel.example")
    );
    env.write("batch/agents.csv", &good);
    let out = env.dsr(&["send", "--batch", "batch/agents.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = server.messages();
    let from: Vec<String> = got
        .iter()
        .map(|m| String::from_utf8_lossy(&m.bytes).lines().find(|l| l.starts_with("From:")).unwrap().to_string())
        .collect();
    assert_eq!(
        from,
        [
            "From: \"Agent One\" <agent.one@beispiel-handel.example>",
            "From: \"Agent Two\" <agent.two@beispiel-handel.example>"
        ]
    );
    // Sent rows are skipped on a re-run: the inline fields are part of the key.
    let out = env.dsr(&["send", "--batch", "batch/agents.csv"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("skipped 2"));
    assert_eq!(server.messages().len(), 2);
    env.dsr(&["log", "verify"]).assert().success();
}
