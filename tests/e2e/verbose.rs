//! Tests for `-v`: which config, policy and template files a command used,
//! and the SMTP dialogue with the server's replies — never a credential.

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{TestEnv, repo, secret_forms};
use dsr::config::{PasswordSource, Smtp, TlsMode};
use dsr::mail::message::{MessageSpec, build};
use dsr::mail::smtp::Mailer;
use dsr::trace::{Trace, Tracer};
use std::sync::{Arc, Mutex};

/// The SMTP password of user `alice` on the test servers.
const PASSWORD: &str = "Vv4!e2e-verbose-Pässwort-ÖÄ-31c9";
/// The variable `password_env` names.
const PW_ENV: &str = "DSR_E2E_SMTP_PASSWORD";

const CONFIG: &str = r#"
data_dir = "data"
policies_dir = "policies"
templates_dir = "templates"

[sender]
name = "Dr. Anna Beispiel"
organisation = "Beispiel Handels GmbH"
address = ["Musterstraße 12", "10115 Berlin", "Deutschland"]
email = "datenschutz@beispiel-handel.example"
calendar = "DE-BE"
"#;

fn assert_no_secret(what: &str, text: &str) {
    for form in secret_forms("alice", PASSWORD) {
        assert!(!text.contains(&form), "{form:?} found in {what}:\n{text}");
    }
}

fn server() -> SmtpServer {
    SmtpServer::start(SmtpOptions {
        starttls: true,
        require_starttls: true,
        users: vec![("alice".into(), PASSWORD.into())],
        auth_required: true,
        ..SmtpOptions::default()
    })
}

/// A directory with `dsr.toml` (STARTTLS and AUTH as alice against
/// `server`), the Zendesk policy as a user file sending to a test address,
/// and a user override of one English template.
fn setup(server: &SmtpServer) -> TestEnv {
    let env = TestEnv::new();
    let policy = std::fs::read_to_string(repo().join("policies/zendesk.toml")).unwrap();
    env.write("policies/zendesk.toml", policy.replace("euprivacy@zendesk.com", "privacy@mueller-soehne.example"));
    let subject = std::fs::read_to_string(repo().join("templates/en/erasure.subject.hbs")).unwrap();
    env.write("templates/en/erasure.subject.hbs", subject);
    env.write(
        "dsr.toml",
        format!(
            "{CONFIG}\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"starttls\"\nusername = \"alice\"\n\
             password_env = \"{PW_ENV}\"\nca_file = '{}'\ntimeout_secs = 10\n",
            server.port(),
            server.ca_pem_path().display()
        ),
    );
    env
}

/// `dsr FLAGS send …` (the README's erasure request); (exit code, stdout, stderr).
fn send(env: &TestEnv, flags: &[&str]) -> (i32, String, String) {
    let subject = repo().join("examples/subject-person.toml");
    let out = env
        .cmd()
        .env("DSR_NOW", "2026-11-30T09:00:00Z")
        .env(PW_ENV, PASSWORD)
        .args(flags)
        .args(["send", "--to", "zendesk", "--kind", "erasure", "--subject"])
        .arg(subject)
        .args(["--again", "test: one more request for the same subject"])
        .output()
        .expect("run dsr");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8");
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

#[test]
fn verbose_names_the_config_policy_and_template_files_and_never_the_password() {
    let server = server();
    let env = setup(&server);
    let (code, stdout, stderr) = send(&env, &["-v"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let dir = env.path().display();
    for line in [
        format!("config: {dir}/dsr.toml"),
        format!("policies: {dir}/policies (overrides and additions), then built-in"),
        format!("policy zendesk: {dir}/policies/zendesk.toml"),
        format!("templates: built-in, with en/erasure.subject.hbs from {dir}/templates"),
    ] {
        assert!(stderr.lines().any(|l| l == line), "no line {line:?} in:\n{stderr}");
    }
    assert_no_secret("stdout", &stdout);
    assert_no_secret("stderr", &stderr);
    assert_eq!(server.messages().len(), 1);

    // Without -v, and with -q, none of it.
    for flags in [&[][..], &["-v", "-q"][..]] {
        let (code, stdout, stderr) = send(&env, flags);
        assert_eq!(code, 0, "{flags:?}: {stdout}{stderr}");
        for prefix in ["config:", "policies:", "policy ", "templates:", "smtp:"] {
            assert!(!stderr.lines().any(|l| l.starts_with(prefix)), "{flags:?}: {prefix} in:\n{stderr}");
        }
    }
}

#[test]
fn verbose_says_when_no_config_file_was_found() {
    let env = TestEnv::new();
    let out = env.dsr(&["-v", "policy", "show", "zendesk"]).output().expect("run dsr");
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let dir = env.path().display();
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("config: none found (looked for {dir}/dsr.toml and "))
            && first.ends_with("/dsr.toml); using the embedded defaults"),
        "{stderr}"
    );
    assert!(stderr.lines().any(|l| l == "policies: built-in (no policies_dir in the config)"), "{stderr}");
    assert!(stderr.lines().any(|l| l == "policy zendesk: policies/zendesk.toml (built-in)"), "{stderr}");
}

/// The SMTP dialogue of `dsr -v send`, and the evidence files it wrote:
/// every stored object and each log line, by path.
#[test]
fn verbose_send_shows_the_smtp_dialogue_and_the_evidence_written() {
    let server = server();
    let env = setup(&server);
    let (code, stdout, stderr) = send(&env, &["-v"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // `send` opens the session before it stores anything, so the message
    // itself starts with a NOOP check of that session.
    let smtp: Vec<&str> =
        stderr.lines().filter(|l| l.starts_with("smtp: ") && !l.starts_with("smtp: NOOP: ")).collect();
    assert_dialogue(&smtp, server.port());
    assert_no_secret("stderr", &stderr);
    let data = env.join("data");
    let evidence: Vec<&str> = stderr.lines().filter_map(|l| l.strip_prefix("evidence: ")).collect();
    let log = format!("{} line", data.join("log.jsonl").display());
    let lines: Vec<&str> = evidence.iter().filter(|l| l.starts_with(&log)).copied().collect();
    assert_eq!(lines, [format!("{log} 1 (prepared)"), format!("{log} 2 (sent)")], "{stderr}");
    let objects: Vec<&str> = evidence.iter().filter(|l| !l.starts_with(&log)).copied().collect();
    for role in ["message", "envelope", "letter", "context", "identity-txt", "identity-json"] {
        let line =
            objects.iter().find(|l| l.contains(&format!(" ({role}, "))).unwrap_or_else(|| panic!("{role}: {stderr}"));
        let path = line.split(" (").next().unwrap();
        assert!(path.starts_with(&data.join("objects").display().to_string()), "{line}");
        assert!(std::path::Path::new(path).is_file(), "{line}");
    }
}

/// Collects `-v` details.
#[derive(Default)]
struct Collect(Mutex<Vec<String>>);

impl Trace for Collect {
    fn detail(&self, text: &str) {
        self.0.lock().unwrap().push(text.to_string());
    }

    fn warn(&self, text: &str) {
        self.0.lock().unwrap().push(format!("warning: {text}"));
    }
}

fn smtp_settings(server: &SmtpServer, password_file: &std::path::Path) -> Smtp {
    Smtp {
        host: "127.0.0.1".into(),
        port: server.port(),
        tls: TlsMode::Starttls,
        username: Some("alice".into()),
        password: Some(PasswordSource::File(password_file.to_path_buf())),
        ca_file: Some(server.ca_pem_path()),
        timeout_secs: 10,
        retries: 0,
        helo_name: Some("client.example".into()),
    }
}

fn message(to: &str) -> dsr::mail::message::MessageBytes {
    build(
        &MessageSpec::new(
            ("Anna".into(), "anna@beispiel-handel.example".parse().unwrap()),
            vec![(None, to.parse().unwrap())],
            "Test".into(),
            "Hello\n".into(),
            format!("{}@beispiel-handel.example", to.replace('@', ".")).parse().unwrap(),
            chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        ),
        None,
    )
    .unwrap()
}

/// The lines of one message's dialogue, in order: connect, EHLO,
/// STARTTLS, AUTH with its mechanism, MAIL FROM, RCPT TO, DATA, the final
/// reply, QUIT.
fn assert_dialogue(lines: &[&str], port: u16) {
    let want = [
        format!("smtp: connecting to 127.0.0.1:{port} (plain, STARTTLS required)"),
        "smtp: connected; greeting accepted; EHLO ".into(),
        "smtp: STARTTLS: encrypted; EHLO ".into(),
        "smtp: AUTH PLAIN: 235 ".into(),
        "smtp: MAIL FROM:<".into(),
        "smtp: RCPT TO:<".into(),
        "smtp: DATA: 354 ".into(),
        "smtp: message sent (".into(),
        "smtp: QUIT: 221 ".into(),
    ];
    assert_eq!(lines.len(), want.len(), "{lines:#?}");
    for (line, prefix) in lines.iter().zip(&want) {
        assert!(line.starts_with(prefix.as_str()), "{line:?} does not start with {prefix:?}\n{lines:#?}");
    }
    assert!(lines[1].contains("offers STARTTLS"), "{lines:#?}");
    assert!(lines[2].contains("AUTH PLAIN LOGIN"), "{lines:#?}");
    assert!(lines[7].contains("): 250 "), "{lines:#?}");
}

#[test]
fn the_mailer_reports_each_step_and_reply_to_its_tracer_and_no_credential() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("password");
    std::fs::write(&pw, PASSWORD).unwrap();
    let seen = Arc::new(Collect::default());
    let tracer: Tracer = seen.clone();

    let mut mailer = Mailer::new(&smtp_settings(&server, &pw)).unwrap();
    mailer.set_tracer(tracer.clone());
    mailer.send(&message("privacy@mueller-soehne.example")).unwrap();
    // A refused recipient: its reply, then RSET keeps the session.
    let refused = mailer.send(&message("permfail@mueller-soehne.example")).unwrap_err();
    assert_eq!(refused.reply_code(), Some(550), "{refused}");
    mailer.close();
    let lines = seen.0.lock().unwrap().clone();
    let first: Vec<&str> = lines.iter().map(String::as_str).take(8).collect();
    let quit: Vec<&str> = lines.iter().map(String::as_str).filter(|l| l.starts_with("smtp: QUIT")).collect();
    assert_dialogue(&[first, quit].concat(), server.port());
    let rest: Vec<&str> = lines[8..].iter().map(String::as_str).collect();
    assert!(rest[0].starts_with("smtp: NOOP: the connection is still open"), "{lines:#?}");
    assert!(rest[1].starts_with("smtp: MAIL FROM:<anna@beispiel-handel.example>"), "{lines:#?}");
    assert!(rest[2].starts_with("smtp: RCPT TO:<permfail@mueller-soehne.example>: 550 "), "{lines:#?}");
    assert!(rest[2].ends_with(" (permanent failure)"), "{lines:#?}");
    assert!(rest[3].starts_with("smtp: RSET: 250 "), "{lines:#?}");
    for l in &lines {
        assert_no_secret("a trace line", l);
    }

    // A wrong password: the failure is traced, the password is not.
    const WRONG: &str = "Wr0ng!verbose-Pässwort-ßß";
    std::fs::write(&pw, WRONG).unwrap();
    let seen = Arc::new(Collect::default());
    let mut mailer = Mailer::new(&smtp_settings(&server, &pw)).unwrap();
    mailer.set_tracer(seen.clone());
    let e = mailer.connect().unwrap_err();
    assert_eq!(e.reply_code(), Some(535), "{e}");
    let lines = seen.0.lock().unwrap().clone();
    let last = lines.last().map(String::as_str).unwrap_or_default();
    assert!(last.starts_with("smtp: AUTH: 535 ") && last.ends_with(" (authentication failed)"), "{lines:#?}");
    for l in &lines {
        for form in secret_forms("alice", WRONG) {
            assert!(!l.contains(&form), "{form:?} in {l:?}");
        }
    }
}
