//! `dsr mail sync`, `dsr mail unmatched` and `dsr reply --message/--amend`
//! against a real Dovecot on loopback (tests/support/imap.rs) and the real
//! SMTP test server, with the clock moved by `DSR_NOW`.

use crate::support::imap::{Dovecot, PASSWORD};
use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{TestEnv, repo, smtp_plain};
use serde_json::Value;

const NOW: &str = "2026-12-02T09:00:00Z";

fn setup(smtp: &SmtpServer, imap: &Dovecot, tls: &str) -> TestEnv {
    let env = TestEnv::new();
    let policy = std::fs::read_to_string(repo().join("policies/zendesk.toml"))
        .unwrap()
        .replace("euprivacy@zendesk.com", "privacy@company.example");
    env.write("policies/zendesk.toml", policy);
    env.write(
        "dsr.toml",
        format!(
            "policies_dir = \"policies\"\n{}{}{}",
            crate::support::TEST_CONFIG,
            smtp_plain(smtp.port()),
            imap.config(tls)
        ),
    );
    env
}

fn run(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd().env("DSR_NOW", NOW).env("DSR_IMAP_PASSWORD", PASSWORD).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[track_caller]
fn ok(env: &TestEnv, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(env, args);
    assert_eq!(code, 0, "dsr {args:?}\nstdout: {stdout}\nstderr: {stderr}");
    stdout
}

#[track_caller]
fn json(env: &TestEnv, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&ok(env, &a)).unwrap()
}

fn send_erasure(env: &TestEnv) -> (String, String) {
    let subject = repo().join("examples/subject-person.toml");
    let v = json(
        env,
        &[
            "send",
            "--to",
            "zendesk",
            "--kind",
            "erasure",
            "--subject",
            subject.to_str().unwrap(),
            "--again",
            "test: one more request for the same subject",
        ],
    );
    (v["request"].as_str().unwrap().to_string(), v["message_id"].as_str().unwrap().to_string())
}

fn message(id: &str, subject: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Privacy Team <privacy@company.example>\r\nTo: datenschutz@beispiel-handel.example\r\n\
         Subject: {subject}\r\nDate: Wed, 02 Dec 2026 08:00:00 +0000\r\nMessage-ID: <{id}>\r\n{headers}\r\n{body}\r\n"
    )
    .into_bytes()
}

fn state(env: &TestEnv, request: &str) -> String {
    let rows = json(env, &["status"]);
    let row = rows.as_array().unwrap().iter().find(|r| r["request"] == request).cloned().unwrap();
    row["state"].as_str().unwrap().to_string()
}

fn log(env: &TestEnv) -> String {
    env.read("data/log.jsonl")
}

#[test]
fn a_threaded_reply_is_matched_classified_and_confirmed_and_status_shows_each_step() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    let config = env.read("dsr.toml");
    env.write("dsr.toml", format!("{config}sent_folder = \"Sent\"\n"));
    let (request, message_id) = send_erasure(&env);
    assert_eq!(state(&env, &request), "sent");
    // The sent message is in the Sent folder too, byte for byte.
    let accepted = smtp.messages();
    let copies: Vec<Vec<u8>> = ["cur", "new"]
        .iter()
        .flat_map(|d| std::fs::read_dir(imap.maildir().join(".Sent").join(d)).into_iter().flatten())
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(copies.len(), 1, "one copy in Sent");
    // Dovecot keeps Maildir files with LF line ends.
    let lf = |b: &[u8]| String::from_utf8_lossy(b).replace("\r\n", "\n");
    assert!(lf(&copies[0]) == lf(&accepted[0].bytes), "the Sent copy is the message the server accepted");
    let reply = message(
        "ack-1@company.example",
        "Re: Antrag auf Löschung",
        &format!("In-Reply-To: <{message_id}>\r\nReferences: <{message_id}>\r\n"),
        "Guten Tag,\r\nIhr Antrag ist bei uns eingegangen.\r\n\r\nAm 30.11. schrieb DPO:\r\n> Identitätsnachweis",
    );
    imap.deliver(&reply);

    let v = json(&env, &["mail", "sync"]);
    let rec = &v["recorded"].as_array().unwrap()[0];
    assert_eq!(rec["request"], request.as_str());
    assert_eq!(rec["matched"], "in-reply-to");
    assert_eq!(rec["suggested"], "acknowledged", "the quoted request's words do not count");
    assert_eq!(state(&env, &request), "to-classify");
    let text = ok(&env, &["status"]);
    assert!(text.contains("reply received — classify"), "{text}");
    // Stored byte for byte.
    let hex = crate::support::sha256_hex(&reply);
    let stored = std::fs::read(env.join(&format!("data/objects/{}/{}", &hex[..2], &hex[2..]))).unwrap();
    assert_eq!(stored, reply, "stored byte for byte");
    let line = log(&env).lines().find(|l| l.contains("\"message_received\"")).unwrap().to_string();
    assert!(line.contains(&crate::support::sha256_hex(&reply)) && line.contains("\"uidvalidity\""), "{line}");

    // The same message fetched again records nothing.
    let again = json(&env, &["mail", "sync"]);
    assert_eq!(again["recorded"].as_array().unwrap().len(), 0);
    let before = log(&env);
    assert_eq!(json(&env, &["mail", "sync"])["skipped"], 0, "nothing new above the last UID");
    assert_eq!(log(&env).lines().filter(|l| l.contains("message_received")).count(), 1);
    assert!(log(&env).starts_with(before.lines().next().unwrap()));

    let out = ok(&env, &["reply", &request, "--message", "ack-1@company.example", "--outcome", "acknowledged"]);
    assert!(out.contains("recorded:   acknowledged"), "{out}");
    assert_eq!(state(&env, &request), "acknowledged");

    // A wrong outcome is corrected by a new line; the old one stays.
    let out = ok(&env, &["reply", &request, "--amend", "--outcome", "needs-identity"]);
    assert!(out.contains("needs-identity (corrects log line"), "{out}");
    assert_eq!(state(&env, &request), "needs-identity");
    let log = log(&env);
    assert_eq!(log.lines().filter(|l| l.contains("\"reply_received\"")).count(), 2);
    assert!(log.lines().any(|l| l.contains("\"outcome\":\"acknowledged\"")), "the first outcome is not rewritten");
    let (code, _, stderr) =
        run(&env, &["reply", &request, "--message", "ack-1@company.example", "--outcome", "refused"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("already recorded as needs-identity") && stderr.contains("--amend"), "{stderr}");
}

#[test]
fn subject_reference_unrelated_and_two_case_messages_over_starttls() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "starttls");
    let (a, a_id) = send_erasure(&env);
    let (b, b_id) = send_erasure(&env);
    // Thread broken (a new ticket), but the subject quotes the request id.
    imap.deliver(&message("t-1@company.example", &format!("Ticket 4711 [{a}]"), "", "Your data has been deleted."));
    imap.deliver(&message("spam@else.example", "Newsletter", "", "Hello"));
    imap.deliver(&message(
        "both@company.example",
        "Re: requests",
        &format!("In-Reply-To: <{a_id}>\r\nReferences: <{b_id}> <{a_id}>\r\n"),
        "We must decline.",
    ));
    let v = json(&env, &["mail", "sync"]);
    let recs = v["recorded"].as_array().unwrap();
    assert_eq!(recs.len(), 3, "{v}");
    let by = |id: &str| recs.iter().find(|r| r["message_id"] == id).unwrap().clone();
    let t = by("t-1@company.example");
    assert_eq!((t["request"].as_str(), t["matched"].as_str()), (Some(a.as_str()), Some("subject")));
    assert_eq!(t["suggested"], "confirmed");
    assert!(by("spam@else.example")["request"].is_null());
    let both = by("both@company.example");
    assert!(both["request"].is_null(), "a message matching two cases is not assigned: {both}");
    let mut cands: Vec<&str> = both["candidates"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    cands.sort_unstable();
    let mut want = vec![a.as_str(), b.as_str()];
    want.sort_unstable();
    assert_eq!(cands, want);

    let unmatched = json(&env, &["mail", "unmatched"]);
    assert_eq!(unmatched.as_array().unwrap().len(), 2, "{unmatched}");
    let text = ok(&env, &["mail", "unmatched"]);
    assert!(text.contains("<spam@else.example>  matches no case") && text.contains("matches several cases"), "{text}");

    // Assigning the two-case message by hand: threaded to the other case
    // too, so only with --force, and then it leaves the list.
    let (code, _, stderr) = run(&env, &["reply", &b, "--message", "both@company.example", "--outcome", "refused"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&format!("threaded to request {a}")), "{stderr}");
    ok(&env, &["reply", &b, "--message", "both@company.example", "--outcome", "refused", "--force"]);
    assert_eq!(state(&env, &b), "refused");
    assert_eq!(json(&env, &["mail", "unmatched"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_reply_eml_threaded_to_another_case_is_refused_naming_it() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    let (a, a_id) = send_erasure(&env);
    let (b, _) = send_erasure(&env);
    let eml = env.write("r.eml", message("x@company.example", "Re", &format!("In-Reply-To: <{a_id}>\r\n"), "ok"));
    let before = log(&env);
    let (code, _, stderr) = run(&env, &["reply", &b, "--eml", eml.to_str().unwrap(), "--outcome", "acknowledged"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&format!("threaded to request {a}")) && stderr.contains("--force"), "{stderr}");
    assert_eq!(log(&env), before, "nothing logged");
}

#[test]
fn a_wrong_password_is_a_clear_error_and_nothing_is_logged() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    send_erasure(&env);
    imap.deliver(&message("m@company.example", "Hi", "", "x"));
    let before = log(&env);
    let out =
        env.cmd().env("DSR_NOW", NOW).env("DSR_IMAP_PASSWORD", "wrong-pw").args(["mail", "sync"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}\n{}", imap.log());
    assert!(stderr.contains("refused the login") && stderr.contains("nothing was logged"), "{stderr}");
    assert!(!stderr.contains("wrong-pw"), "the password never appears: {stderr}");
    assert_eq!(log(&env), before);
}

#[test]
fn an_untrusted_certificate_and_a_closed_port_are_clear_errors_and_nothing_is_logged() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    send_erasure(&env);
    imap.deliver(&message("m@company.example", "Hi", "", "x"));
    let before = log(&env);
    let direct = env.read("dsr.toml");
    // Without `ca_file`, the test-time certificate is trusted by no root.
    let ca = direct.lines().find(|l| l.starts_with("ca_file")).unwrap().to_string();
    env.write("dsr.toml", direct.replace(&ca, ""));
    let (code, _, stderr) = run(&env, &["mail", "sync"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&format!("TLS with the IMAP server 127.0.0.1:{} failed", imap.imaps_port)), "{stderr}");
    assert!(stderr.contains("certificate") && stderr.contains("imap.ca_file"), "{stderr}");
    // STARTTLS against the IMAPS port: the server speaks TLS, not IMAP.
    env.write("dsr.toml", direct.replace("tls = \"tls\"", "tls = \"starttls\""));
    let (code, _, stderr) = run(&env, &["mail", "sync"]);
    assert_ne!(code, 0, "{stderr}");
    assert!(stderr.contains(&format!("IMAP server 127.0.0.1:{}", imap.imaps_port)), "{stderr}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    env.write("dsr.toml", direct.replace(&format!("port = {}", imap.imaps_port), &format!("port = {closed}")));
    let (code, _, stderr) = run(&env, &["mail", "sync"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("cannot connect to the IMAP server 127.0.0.1:{closed}"))
            && stderr.contains("check imap.host, imap.port"),
        "{stderr}"
    );
    assert_eq!(log(&env), before, "nothing logged");
    assert!(!stderr.contains(PASSWORD));
}

#[test]
fn a_new_uidvalidity_refetches_but_records_each_message_once() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    let (request, id) = send_erasure(&env);
    imap.deliver(&message(
        "one@company.example",
        "Re",
        &format!("In-Reply-To: <{id}>\r\n"),
        "We received your request.",
    ));
    assert_eq!(json(&env, &["mail", "sync"])["recorded"].as_array().unwrap().len(), 1);
    imap.reset_uids();
    imap.deliver(&message("two@company.example", "Re", &format!("In-Reply-To: <{id}>\r\n"), "Further two months."));
    let v = json(&env, &["mail", "sync"]);
    let recs = v["recorded"].as_array().unwrap();
    assert_eq!(recs.len(), 1, "only the new message: {v}");
    assert_eq!(
        (recs[0]["message_id"].as_str(), recs[0]["suggested"].as_str()),
        (Some("two@company.example"), Some("extended"))
    );
    assert_eq!(v["skipped"], 1, "the first one, under its new UID, is known by its bytes");
    let uvs: std::collections::BTreeSet<String> = log(&env)
        .lines()
        .filter(|l| l.contains("message_received"))
        .map(|l| l.split("\"uidvalidity\":").nth(1).unwrap().split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(uvs.len(), 2, "each line records the UIDVALIDITY it was fetched under");
    assert_eq!(state(&env, &request), "to-classify");
}

#[test]
fn a_resync_fetches_nothing_again_even_what_it_skipped() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    let (request, id) = send_erasure(&env);
    let reply = message("r-1@company.example", "Re", &format!("In-Reply-To: <{id}>\r\n"), "We received your request.");
    let by_hand = message("r-2@company.example", "Re", &format!("In-Reply-To: <{id}>\r\n"), "Further two months.");
    let eml = env.write("by-hand.eml", &by_hand);
    ok(&env, &["reply", &request, "--eml", eml.to_str().unwrap(), "--outcome", "extended"]);
    // The reply; then, last, what a sync skips and records no line for:
    // the same reply again (a content duplicate), a copy of the message
    // dsr sent (in the INBOX, as a Bcc to oneself puts it) and the reply
    // already imported by hand.
    imap.deliver(&reply);
    imap.deliver(&reply);
    imap.deliver(&smtp.messages()[0].bytes);
    imap.deliver(&by_hand);

    let v = json(&env, &["mail", "sync"]);
    assert_eq!((v["recorded"].as_array().unwrap().len(), v["skipped"].as_u64()), (1, Some(3)), "{v}");
    let synced: Vec<Value> = log(&env)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["event"] == "mail_synced")
        .collect();
    assert_eq!(synced.len(), 1, "{synced:?}");
    assert_eq!((synced[0]["data"]["folder"].as_str(), synced[0]["data"]["uid"].as_u64()), (Some("INBOX"), Some(4)));
    assert!(synced[0]["data"]["uidvalidity"].as_u64().is_some() && synced[0]["request"].is_null(), "{synced:?}");

    // Dovecot's logout lines count the bodies each session sent (the
    // syncs are its only sessions).
    assert_eq!(imap.bodies_in_session(1), 4, "{}", imap.log());

    // Synced again: the server sends no message body at all.
    let lines = log(&env).lines().count();
    let v = json(&env, &["mail", "sync"]);
    assert_eq!((v["recorded"].as_array().unwrap().len(), v["skipped"].as_u64()), (0, Some(0)), "{v}");
    assert_eq!(imap.bodies_in_session(2), 0, "messages were fetched again:\n{}", imap.log());
    assert_eq!(log(&env).lines().count(), lines, "a sync that fetched nothing writes nothing");
    // One more message: only it is fetched.
    imap.deliver(&message("r-3@company.example", "Re", &format!("In-Reply-To: <{id}>\r\n"), "Deleted."));
    assert_eq!(json(&env, &["mail", "sync"])["recorded"].as_array().unwrap().len(), 1);
    assert_eq!(imap.bodies_in_session(3), 1, "{}", imap.log());
    ok(&env, &["log", "verify"]);
    let shown = ok(&env, &["show", &request]);
    assert!(!shown.contains("read up to UID"), "a line of no case is not in the case's timeline: {shown}");
}

/// A loopback TCP relay to `port` that cuts the connection after `limit`
/// bytes from the server: a connection that drops in the middle of a
/// FETCH, between the real server and dsr.
fn cutting_relay(port: u16, limit: usize) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let relay_port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((mut client, _)) = listener.accept() else { return };
        let mut server = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut c2, &mut s2);
        });
        let mut sent = 0;
        let mut buf = [0u8; 4096];
        while sent < limit {
            let n = match server.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n.min(limit - sent),
            };
            if client.write_all(&buf[..n]).is_err() {
                break;
            }
            sent += n;
        }
        let _ = client.shutdown(std::net::Shutdown::Both);
        let _ = server.shutdown(std::net::Shutdown::Both);
    });
    relay_port
}

#[test]
fn a_connection_dropped_mid_fetch_loses_nothing_and_records_nothing_twice() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    send_erasure(&env);
    const N: usize = 450;
    let filler = "x".repeat(500);
    for i in 0..N {
        imap.deliver(&message(&format!("m{i}@else.example"), &format!("Message {i}"), "", &filler));
    }
    let direct = env.read("dsr.toml");
    let relay = cutting_relay(imap.imaps_port, 200_000);
    env.write("dsr.toml", direct.replace(&format!("port = {}", imap.imaps_port), &format!("port = {relay}")));
    let (code, _, stderr) = run(&env, &["mail", "sync"]);
    assert_ne!(code, 0, "the dropped connection is an error");
    assert!(stderr.contains("broke") && stderr.contains("run `dsr mail sync` again"), "{stderr}");
    let first = log(&env).lines().filter(|l| l.contains("\"message_received\"")).count();
    assert!((200..N).contains(&first), "the batches committed before the drop stay: {first}");

    env.write("dsr.toml", direct);
    ok(&env, &["mail", "sync"]);
    let log = log(&env);
    let ids: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("\"message_received\""))
        .map(|l| l.split("\"message_id\":\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!((ids.len(), unique.len()), (N, N), "every message once, none twice");
}

#[test]
fn watch_records_a_message_as_it_arrives() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    let (request, id) = send_erasure(&env);
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("dsr");
    let mut child = std::process::Command::new(bin)
        .current_dir(env.path())
        .env_clear()
        .env("HOME", env.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DSR_NOW", NOW)
        .env("DSR_IMAP_PASSWORD", PASSWORD)
        .args(["mail", "sync", "--watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(env.join("watch.err")).unwrap())
        .spawn()
        .unwrap();
    // Let the first round end and IDLE begin, then deliver.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    imap.deliver(&message("late@company.example", "Re", &format!("In-Reply-To: <{id}>\r\n"), "Thanks."));
    let start = std::time::Instant::now();
    let mut seen = false;
    while start.elapsed() < std::time::Duration::from_secs(20) {
        if std::fs::read_to_string(env.join("data/log.jsonl")).unwrap().contains("late@company.example") {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "the message arrived during IDLE and was recorded: {}", env.read("watch.err"));
    assert_eq!(state(&env, &request), "to-classify");
}

/// `time -f "%e %M"` of a command: (seconds, peak RSS in MiB).
fn timed(mut c: std::process::Command) -> (f64, f64) {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().unwrap().to_string();
    let mut parts = last.split_whitespace();
    let secs: f64 = parts.next().unwrap().parse().unwrap();
    let kib: f64 = parts.next().unwrap().parse().unwrap();
    (secs, kib / 1024.0)
}

/// BENCHMARKS.md: `dsr mail sync` of 10,000 messages, first and
/// incremental (+100) and one with nothing new, beside two same-run
/// baselines over the same messages: `doveadm fetch` (Dovecot reading its
/// Maildir, no IMAP) and one plain `UID FETCH 1:* (UID BODY.PEEK[])` over
/// IMAPS with Python's imaplib. `benches/mail_sync.sh` runs it with the
/// release binary (`DSR_BENCH_BIN`); by hand:
/// `cargo test --test e2e bench_mail_sync -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_mail_sync_10k() {
    let (smtp, imap) = (SmtpServer::start(SmtpOptions::default()), Dovecot::start());
    let env = setup(&smtp, &imap, "tls");
    let (_, id) = send_erasure(&env);
    let body = "Sehr geehrte Damen und Herren,\r\nwir haben Ihre Anfrage erhalten.\r\n".repeat(20);
    for i in 0..10_000 {
        let refs = if i % 10 == 0 { format!("In-Reply-To: <{id}>\r\n") } else { String::new() };
        imap.deliver(&message(&format!("b{i}@company.example"), &format!("Message {i}"), &refs, &body));
    }
    #[allow(deprecated)]
    let bin = std::env::var_os("DSR_BENCH_BIN").map_or_else(|| assert_cmd::cargo::cargo_bin("dsr"), Into::into);
    eprintln!("dsr binary: {}", bin.display());
    let dsr = |args: &[&str]| {
        let mut c = std::process::Command::new("/usr/bin/time");
        c.args(["-f", "%e %M"]).arg(&bin).args(args).current_dir(env.path()).env("DSR_IMAP_PASSWORD", PASSWORD);
        c.env("HOME", env.path());
        c
    };
    let doveadm = || {
        let mut c = std::process::Command::new("/usr/bin/time");
        c.args(["-f", "%e %M", "doveadm", "-c"]).arg(imap.conf());
        c.args(["fetch", "-u", "dpo", "text", "mailbox", "INBOX", "all"]).stdout(std::process::Stdio::null());
        c
    };
    const IMAPLIB: &str = "import imaplib, ssl, sys\n\
        m = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[1]), ssl_context=ssl.create_default_context(cafile=sys.argv[3]))\n\
        m.login('dpo', sys.argv[2]); m.select('INBOX', readonly=True)\n\
        typ, data = m.uid('FETCH', '1:*', '(UID BODY.PEEK[])')\n\
        got = [d[1] for d in data if isinstance(d, tuple)]\n\
        print(len(got), sum(map(len, got))); m.logout()\n";
    let imaplib = || {
        let mut c = std::process::Command::new("/usr/bin/time");
        c.args(["-f", "%e %M", "python3", "-c", IMAPLIB]).arg(imap.imaps_port.to_string()).arg(PASSWORD);
        c.arg(imap.cert());
        c
    };
    let base = timed(doveadm());
    let plain = timed(imaplib());
    let first = timed(dsr(&["-q", "mail", "sync"]));
    for i in 0..100 {
        imap.deliver(&message(&format!("c{i}@company.example"), "More", "", &body));
    }
    let incremental = timed(dsr(&["-q", "mail", "sync"]));
    let nothing = timed(dsr(&["-q", "mail", "sync"]));
    let base2 = timed(doveadm());
    let plain2 = timed(imaplib());
    let lines = env.read("data/log.jsonl").lines().filter(|l| l.contains("message_received")).count();
    assert_eq!(lines, 10_100);
    eprintln!("doveadm fetch text (10,000): {:.2} s, {:.1} MiB", base.0, base.1);
    eprintln!("imaplib UID FETCH 1:* (10,000): {:.2} s, {:.1} MiB", plain.0, plain.1);
    eprintln!("dsr mail sync first (10,000): {:.2} s, {:.1} MiB", first.0, first.1);
    eprintln!("dsr mail sync incremental (+100): {:.2} s, {:.1} MiB", incremental.0, incremental.1);
    eprintln!("dsr mail sync, nothing new: {:.2} s, {:.1} MiB", nothing.0, nothing.1);
    eprintln!("doveadm fetch text (10,100): {:.2} s, {:.1} MiB", base2.0, base2.1);
    eprintln!("imaplib UID FETCH 1:* (10,100): {:.2} s, {:.1} MiB", plain2.0, plain2.1);
}
