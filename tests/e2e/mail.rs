//! Tests for `dsr::mail` against a real SMTP server (aiosmtpd, via
//! `tests/support/smtp_capture.py`) and independent verifiers (Python's
//! `email` package, dkimpy). The `send` command does not exist yet, so these
//! drive the public library directly: build → send → compare what the
//! server stored.

use crate::support::smtp::{SmtpOptions, SmtpServer, run_script};
use crate::support::{parse_eml, sha256_hex as sha256};
use chrono::TimeZone;
use dsr::config::{Dkim, DkimAlgorithm, PasswordSource, Smtp, TlsMode};
use dsr::mail::message::{Attachment, MessageSpec, build, generate_message_id, random_id_bytes};
use dsr::mail::smtp::{Backoff, Stage};
use dsr::mail::{Mailer, MessageBytes, SendError, SendErrorKind, dkim::Signer};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

const PASSWORD: &str = "s3cret-Pässwort!";

fn spec(to: &str) -> MessageSpec {
    let id = generate_message_id("beispiel-handel.example", &random_id_bytes().unwrap()).unwrap();
    MessageSpec {
        from: ("Dr. Anna Beispiel-Müller".into(), "datenschutz@beispiel-handel.example".parse().unwrap()),
        to: vec![(Some("Datenschutz Müller & Söhne GmbH".into()), to.parse().unwrap())],
        cc: vec![(Some("Archiv Jürgen".into()), "archiv@beispiel-handel.example".parse().unwrap())],
        reply_to: None,
        subject: "Löschersuchen gemäß Art. 17 DSGVO – Jürgen Müller (Größe: groß)".into(),
        body: "Sehr geehrte Damen und Herren,\n\nbitte löschen Sie alle Daten über Jürgen Müller.\n.\n\
               .Eine Zeile mit Punkt am Anfang.\n\nMit freundlichen Grüßen\nDr. Anna Beispiel-Müller\n"
            .into(),
        attachments: vec![
            Attachment {
                filename: "Vollmacht_Müller_ß.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.4\n\x00\x01\xff binary\r\n.\r\nend".to_vec(),
            },
            Attachment {
                filename: "Identitätsnachweis.txt".into(),
                content_type: "text/plain; charset=utf-8".into(),
                bytes: "Prüfung durchgeführt\n".as_bytes().to_vec(),
            },
        ],
        message_id: id,
        date: chrono::Utc.with_ymd_and_hms(2026, 3, 2, 10, 15, 0).unwrap(),
        in_reply_to: None,
        references: vec![],
        disposition_notification_to: None,
        boundary: None,
        checkpoint: None,
    }
}

fn message(to: &str) -> MessageBytes {
    build(&spec(to), None).unwrap()
}

/// Settings for the test server; `auth` writes the password to a file.
fn settings(server: &SmtpServer, tls: TlsMode, auth: Option<&str>, ca: bool) -> Smtp {
    let password = auth.map(|pw| {
        let f = server.dir().join("password");
        std::fs::write(&f, format!("{pw}\n")).unwrap();
        PasswordSource::File(f)
    });
    Smtp {
        host: "127.0.0.1".into(),
        port: server.port(),
        tls,
        username: auth.map(|_| "alice".into()),
        password,
        ca_file: ca.then(|| server.ca_pem_path()),
        timeout_secs: 10,
        retries: 2,
        helo_name: Some("client.dsr-test.example".into()),
    }
}

fn alice() -> Vec<(String, String)> {
    vec![("alice".into(), PASSWORD.into())]
}

fn assert_no_password(e: &SendError) {
    let all = format!("{e} | {e:?} | {} | {}", e.hint(), e.detail());
    assert!(!all.contains(PASSWORD), "password leaked: {all}");
    let wrapped = dsr::Error::from(dsr::mail::Error::from(e.clone()));
    assert!(!format!("{wrapped} {wrapped:?} {:?}", wrapped.hint()).contains(PASSWORD));
}

#[test]
fn delivered_bytes_equal_built_bytes() {
    let server = SmtpServer::start(SmtpOptions::default());
    let msg = message("privacy@mueller-soehne.example");
    let mut mailer = Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap();
    let d = mailer.send(&msg).unwrap();
    mailer.close();
    assert_eq!(d.code, 250);
    assert!(d.text.starts_with("2.0.0 Ok: queued as "), "{}", d.text);
    assert_eq!(d.server, format!("127.0.0.1:{}", server.port()));
    assert!(!d.tls);
    assert_eq!(&d.message_id, msg.message_id());
    assert_eq!(d.recipients, ["privacy@mueller-soehne.example", "archiv@beispiel-handel.example"]);
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(sha256(&got[0].bytes), sha256(msg.bytes()), "server copy differs from the built bytes");
    assert_eq!(got[0].bytes, msg.bytes());
    assert_eq!(got[0].mail_from, "datenschutz@beispiel-handel.example");
    assert_eq!(got[0].rcpt_tos, ["privacy@mueller-soehne.example", "archiv@beispiel-handel.example"]);
    assert_eq!(got[0].auth_login, None);
}

#[test]
fn a_batch_uses_one_connection_and_survives_a_refused_recipient() {
    let server = SmtpServer::start(SmtpOptions::default());
    let mut mailer = Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap();
    let first = message("a@mueller-soehne.example");
    let refused = message("permfail@mueller-soehne.example");
    let third = message("c@mueller-soehne.example");
    mailer.send(&first).unwrap();
    let e = mailer.send(&refused).unwrap_err();
    assert!(e.is_permanent(), "{e}");
    mailer.send(&third).unwrap();
    let got = server.messages();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].bytes, first.bytes());
    assert_eq!(got[1].bytes, third.bytes());
    assert!(got[0].peer.is_some());
    assert_eq!(got[0].peer, got[1].peer, "the batch reused one connection (same client port)");
}

#[test]
fn starttls_with_auth_trusts_the_test_ca() {
    let server = SmtpServer::start(SmtpOptions {
        starttls: true,
        require_starttls: true,
        users: alice(),
        auth_required: true,
        ..SmtpOptions::default()
    });
    let msg = message("privacy@mueller-soehne.example");
    let mut mailer = Mailer::new(&settings(&server, TlsMode::Starttls, Some(PASSWORD), true)).unwrap();
    let d = mailer.send(&msg).unwrap();
    assert!(d.tls);
    let got = server.messages();
    assert_eq!(got[0].bytes, msg.bytes());
    assert!(got[0].tls);
    assert_eq!(got[0].auth_login.as_deref(), Some("alice"));
}

#[test]
fn implicit_tls_with_auth() {
    let server = SmtpServer::start(SmtpOptions {
        implicit_tls: true,
        users: alice(),
        auth_required: true,
        ..Default::default()
    });
    let msg = message("privacy@mueller-soehne.example");
    let mut mailer = Mailer::new(&settings(&server, TlsMode::Tls, Some(PASSWORD), true)).unwrap();
    let d = mailer.send(&msg).unwrap();
    assert!(d.tls);
    let got = server.messages();
    assert_eq!(sha256(&got[0].bytes), sha256(msg.bytes()));
    assert!(got[0].tls);
    assert_eq!(got[0].auth_login.as_deref(), Some("alice"));
}

#[test]
fn wrong_password_is_an_auth_error_that_does_not_show_it() {
    let server =
        SmtpServer::start(SmtpOptions { starttls: true, users: alice(), auth_required: true, ..Default::default() });
    let wrong = "wrong-Pässwort-42";
    let mut mailer = Mailer::new(&settings(&server, TlsMode::Starttls, Some(wrong), true)).unwrap();
    let e = mailer.send(&message("privacy@mueller-soehne.example")).unwrap_err();
    assert_eq!(e.kind(), SendErrorKind::Auth, "{e}");
    assert_eq!(e.reply_code(), Some(535));
    assert_eq!(e.stage(), &Stage::Auth);
    assert!(!e.is_transient() && !e.is_permanent() && !e.delivery_unknown());
    assert_eq!(
        e.to_string(),
        format!(
            "authentication failed at 127.0.0.1:{} (AUTH): 535 5.7.8 Authentication credentials invalid",
            server.port()
        )
    );
    let all = format!("{e} {e:?} {}", e.hint());
    assert!(!all.contains(wrong), "{all}");
    assert!(server.messages().is_empty());
    assert_eq!(dsr::Error::from(dsr::mail::Error::from(e)).exit_code(), 3);
}

#[test]
fn the_password_never_appears_in_any_error() {
    // Every failure class with AUTH configured; none may mention the password.
    let plain = SmtpServer::start(SmtpOptions { users: alice(), auth_without_tls: true, ..Default::default() });
    let mut errors = Vec::new();
    let mut m = Mailer::new(&settings(&plain, TlsMode::None, Some(PASSWORD), false)).unwrap();
    for to in ["tempfail@x.example", "permfail@x.example", "datafail@x.example", "dropdata@x.example"] {
        errors.push(m.send(&message(to)).unwrap_err());
    }
    let mut starttls_missing = Mailer::new(&settings(&plain, TlsMode::Starttls, Some(PASSWORD), false)).unwrap();
    errors.push(starttls_missing.send(&message("a@x.example")).unwrap_err());
    let mut refused = settings(&plain, TlsMode::None, Some(PASSWORD), false);
    refused.port = closed_port();
    errors.push(Mailer::new(&refused).unwrap().send(&message("a@x.example")).unwrap_err());
    assert_eq!(errors.len(), 6);
    for e in &errors {
        assert_no_password(e);
    }
}

#[test]
fn tempfail_is_transient_and_retried_with_backoff() {
    let server = SmtpServer::start(SmtpOptions::default());
    let mut mailer = Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap();
    let msg = message("tempfail@mueller-soehne.example");
    let backoff = Backoff { retries: 2, base: Duration::from_millis(10), max: Duration::from_millis(20) };
    let mut attempts = Vec::new();
    let e = mailer.send_with_retries(&msg, None, &backoff, |n, r| attempts.push((n, r.is_ok()))).unwrap_err();
    assert_eq!(attempts, [(1, false), (2, false), (3, false)]);
    assert!(e.is_transient(), "{e}");
    assert_eq!(e.reply_code(), Some(451));
    assert_eq!(e.stage(), &Stage::RcptTo("tempfail@mueller-soehne.example".into()));
    assert_eq!(
        e.to_string(),
        format!(
            "temporary failure at 127.0.0.1:{} (RCPT TO:<tempfail@mueller-soehne.example>): \
             451 4.3.0 Temporary failure, try again later",
            server.port()
        )
    );
    // A permanent failure is not retried, a success needs one attempt.
    let mut attempts = 0;
    let e = mailer.send_with_retries(&message("permfail@x.example"), None, &backoff, |_, _| attempts += 1).unwrap_err();
    assert!(e.is_permanent());
    assert_eq!(attempts, 1);
    assert!(mailer.send_with_retries(&message("ok@x.example"), None, &backoff, |_, _| {}).is_ok());
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn refusals_are_permanent_with_their_code() {
    let server = SmtpServer::start(SmtpOptions::default());
    let mut mailer = Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap();
    let e = mailer.send(&message("permfail@mueller-soehne.example")).unwrap_err();
    assert!(e.is_permanent() && !e.is_transient() && e.nothing_accepted(), "{e}");
    assert_eq!((e.reply_code(), e.detail()), (Some(550), "5.1.1 No such user here"));
    let e = mailer.send(&message("datafail@mueller-soehne.example")).unwrap_err();
    assert!(e.is_permanent(), "{e}");
    assert_eq!(e.reply_code(), Some(554));
    assert_eq!(e.stage(), &Stage::Message);
    assert!(!e.delivery_unknown(), "a 554 after DATA is a clear refusal");
    assert!(server.messages().is_empty());
    assert_eq!(dsr::Error::from(dsr::mail::Error::from(e)).exit_code(), 3);
}

fn closed_port() -> u16 {
    crate::support::closed_port().0
}

#[test]
fn closed_port_is_a_connection_error() {
    let smtp = Smtp {
        host: "127.0.0.1".into(),
        port: closed_port(),
        tls: TlsMode::None,
        username: None,
        password: None,
        ca_file: None,
        timeout_secs: 5,
        retries: 0,
        helo_name: None,
    };
    let e = Mailer::new(&smtp).unwrap().send(&message("a@x.example")).unwrap_err();
    assert_eq!(e.kind(), SendErrorKind::Connection, "{e}");
    assert_eq!(e.stage(), &Stage::Connect);
    assert!(e.nothing_accepted() && !e.is_transient() && e.reply_code().is_none());
    assert!(e.to_string().starts_with(&format!("cannot connect at 127.0.0.1:{} (connect): ", smtp.port)), "{e}");
    assert!(e.to_string().contains("Connection refused"), "{e}");
}

#[test]
fn dropped_after_data_is_delivery_unknown() {
    let server = SmtpServer::start(SmtpOptions { drop_after_data: true, ..Default::default() });
    let msg = message("privacy@mueller-soehne.example");
    let mut mailer = Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap();
    let e = mailer.send(&msg).unwrap_err();
    assert!(e.delivery_unknown(), "{e}");
    assert_eq!(e.kind(), SendErrorKind::Unknown);
    assert_eq!(e.stage(), &Stage::Message);
    assert!(!e.is_transient() && !e.is_permanent() && !e.nothing_accepted());
    assert!(e.to_string().ends_with("; the server may or may not have accepted the message"), "{e}");
    // The server did get the whole message: exactly why "unknown" must not be retried silently.
    let got = server.messages();
    assert_eq!(got.len(), 1);
    assert!(got[0].dropped);
    assert_eq!(got[0].bytes, msg.bytes());
    // The mailer recovers with a new connection for the next message.
    let e = mailer.send(&msg).unwrap_err();
    assert!(e.delivery_unknown(), "{e}");
}

#[test]
fn no_reply_after_data_times_out_as_delivery_unknown() {
    let server = SmtpServer::start(SmtpOptions::default());
    let mut s = settings(&server, TlsMode::None, None, false);
    s.timeout_secs = 1;
    let e = Mailer::new(&s).unwrap().send(&message("stall@mueller-soehne.example")).unwrap_err();
    assert!(e.delivery_unknown(), "{e}");
    assert_eq!(e.stage(), &Stage::Message);
}

#[test]
fn tls_problems_are_tls_errors() {
    // STARTTLS with a certificate nobody trusts.
    let server = SmtpServer::start(SmtpOptions { starttls: true, ..Default::default() });
    let e = Mailer::new(&settings(&server, TlsMode::Starttls, None, false))
        .unwrap()
        .send(&message("a@x.example"))
        .unwrap_err();
    assert_eq!(e.kind(), SendErrorKind::Tls, "{e}");
    assert_eq!(e.stage(), &Stage::StartTls);
    // SMTPS with an untrusted certificate.
    let smtps = SmtpServer::start(SmtpOptions { implicit_tls: true, ..Default::default() });
    let e =
        Mailer::new(&settings(&smtps, TlsMode::Tls, None, false)).unwrap().send(&message("a@x.example")).unwrap_err();
    assert_eq!(e.kind(), SendErrorKind::Tls, "{e}");
    assert_eq!(e.stage(), &Stage::Connect);
    // STARTTLS required but the server does not offer it: no downgrade.
    let plain = SmtpServer::start(SmtpOptions::default());
    let mut s = settings(&plain, TlsMode::Starttls, None, false);
    s.ca_file = Some(server.ca_pem_path());
    let e = Mailer::new(&s).unwrap().send(&message("a@x.example")).unwrap_err();
    assert_eq!(e.kind(), SendErrorKind::Tls, "{e}");
    assert_eq!(
        e.to_string(),
        format!("TLS failed at 127.0.0.1:{} (STARTTLS): the server does not offer STARTTLS", plain.port())
    );
    assert!(plain.messages().is_empty() && server.messages().is_empty());
}

fn dkim_keys(dir: &Path) {
    let out = run_script("dkim_check.py", &[OsStr::new("keys"), dir.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn dkim_verify(eml: &Path, record: &Path) -> (bool, String) {
    let name = format!("dsr2026._domainkey.beispiel-handel.example={}", record.display());
    let out = run_script("dkim_check.py", &[OsStr::new("verify"), eml.as_os_str(), OsStr::new(&name)]);
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn dkim_rsa_and_ed25519_signatures_verify_with_dkimpy() {
    let server = SmtpServer::start(SmtpOptions::default());
    let keys = server.dir().join("dkim");
    dkim_keys(&keys);
    let mut mailer = Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap();
    let cases = [(DkimAlgorithm::Rsa, "rsa.pem", "rsa.txt"), (DkimAlgorithm::Ed25519, "ed25519.key", "ed25519.txt")];
    for (i, (algorithm, key, record)) in cases.into_iter().enumerate() {
        let signer = Signer::load(&Dkim {
            domain: "beispiel-handel.example".into(),
            selector: "dsr2026".into(),
            algorithm,
            key_file: keys.join(key),
        })
        .unwrap();
        let mut s = spec("privacy@mueller-soehne.example");
        s.reply_to = Some((Some("Antwort Jürgen".into()), "antwort@beispiel-handel.example".parse().unwrap()));
        s.in_reply_to = Some("abc@mueller-soehne.example".parse().unwrap());
        s.references = vec!["abc@mueller-soehne.example".parse().unwrap()];
        let msg = build(&s, Some(&signer)).unwrap();
        mailer.send(&msg).unwrap();
        let delivered = &server.messages()[i];
        assert_eq!(delivered.bytes, msg.bytes());
        let (ok, out) = dkim_verify(&delivered.path, &keys.join(record));
        assert!(ok, "{algorithm:?}: {out}");
        // A changed body must fail: the verifier is not just saying yes.
        let tampered = server.dir().join(format!("tampered-{i}.eml"));
        let text = String::from_utf8(delivered.bytes.clone()).unwrap();
        std::fs::write(&tampered, text.replacen("Sehr geehrte", "Sehr geehrtx", 1)).unwrap();
        let (ok, out) = dkim_verify(&tampered, &keys.join(record));
        assert!(!ok, "{algorithm:?}: tampered message verified: {out}");
    }
}

#[test]
fn umlauts_survive_in_subject_names_body_and_filenames() {
    let server = SmtpServer::start(SmtpOptions::default());
    let s = spec("privacy@mueller-soehne.example");
    let msg = build(&s, None).unwrap();
    Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap().send(&msg).unwrap();
    let delivered: PathBuf = server.messages()[0].path.clone();
    let p = parse_eml(&delivered);
    assert_eq!(p["defects"], serde_json::json!([]));
    assert_eq!(p["subject"], s.subject.as_str());
    assert_eq!(p["from_name"], "Dr. Anna Beispiel-Müller");
    assert_eq!(p["from_address"], "datenschutz@beispiel-handel.example");
    assert_eq!(p["to"], serde_json::json!([["Datenschutz Müller & Söhne GmbH", "privacy@mueller-soehne.example"]]));
    assert_eq!(p["cc"], serde_json::json!([["Archiv Jürgen", "archiv@beispiel-handel.example"]]));
    assert_eq!(p["message_id"], format!("<{}>", s.message_id));
    assert_eq!(p["date"], "2026-03-02T10:15:00+00:00");
    assert_eq!(p["body_charset"], "utf-8");
    assert_eq!(p["body"].as_str().unwrap().replace("\r\n", "\n"), s.body);
    let atts = p["attachments"].as_array().unwrap();
    assert_eq!(atts.len(), 2);
    for (got, want) in atts.iter().zip(&s.attachments) {
        assert_eq!(got["filename"], want.filename.as_str());
        assert_eq!(got["content_type"], want.content_type.split(';').next().unwrap());
        assert_eq!(got["sha256"], sha256(&want.bytes), "{} changed in transit", want.filename);
    }
    assert_eq!(p["all_crlf"], true);
    // RFC 5322 §2.1.1: at most 998 (lettre does not fold address headers to 78).
    assert!(p["max_line"].as_u64().unwrap() <= 998, "{}", p["max_line"]);
}

#[test]
fn header_injection_is_refused_before_anything_is_sent() {
    let mut s = spec("privacy@mueller-soehne.example");
    s.subject = "Auskunft\r\nBcc: everyone@evil.example".into();
    let e = build(&s, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "subject: contains a control character (line break or tab): 'Auskunft\\r\\nBcc: everyone@evil.example'"
    );
    let mut s = spec("privacy@mueller-soehne.example");
    s.attachments[0].filename = "a.pdf\"\r\nContent-Type: text/html".into();
    let e = build(&s, None).unwrap_err();
    assert!(e.to_string().starts_with("attachments[0].filename: contains a control character"), "{e}");
    let wrapped = dsr::Error::from(e);
    assert_eq!(wrapped.exit_code(), 2);
    assert!(wrapped.hint().unwrap().contains("remove line breaks"));
}

#[test]
fn stored_bytes_with_dot_lines_and_8bit_arrive_exactly() {
    // Bytes rebuilt from storage (e.g. for an explicit retry) go out as they
    // are: leading dots are stuffed on the wire and unstuffed by the server,
    // and non-UTF-8 bytes take lettre's own write path (with BODY=8BITMIME).
    let server = SmtpServer::start(SmtpOptions::default());
    let built = message("privacy@mueller-soehne.example");
    let env = built.envelope().clone();
    let mut mailer = Mailer::new(&settings(&server, TlsMode::None, None, false)).unwrap();
    let raws: [&[u8]; 2] = [b".Subject: dots\r\n\r\n.\r\n..\r\n.x\r\n", b"Subject: latin-1\r\n\r\nM\xfcller\r\n.\r\n"];
    for raw in raws {
        let m = MessageBytes::from_parts(raw.to_vec(), env.clone(), "x@y.example".parse().unwrap()).unwrap();
        mailer.send(&m).unwrap();
    }
    let got = server.messages();
    assert_eq!(got[0].bytes, raws[0]);
    assert_eq!(got[1].bytes, raws[1]);
}

/// Throughput on one connection, plaintext and STARTTLS (not a pass/fail
/// check; run with `cargo test --test e2e batch_throughput -- --ignored --nocapture`).
#[test]
#[ignore]
fn batch_throughput() {
    for tls in [TlsMode::None, TlsMode::Starttls] {
        let server = SmtpServer::start(SmtpOptions { starttls: tls == TlsMode::Starttls, ..Default::default() });
        let mut mailer = Mailer::new(&settings(&server, tls, None, tls != TlsMode::None)).unwrap();
        let msgs: Vec<MessageBytes> = (0..200).map(|_| message("privacy@mueller-soehne.example")).collect();
        let start = std::time::Instant::now();
        for m in &msgs {
            mailer.send(m).unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{tls:?}: {} messages in {secs:.2} s = {:.1} msg/s", msgs.len(), msgs.len() as f64 / secs);
        assert_eq!(server.messages().len(), msgs.len());
    }
}
