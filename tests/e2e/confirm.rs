//! Confirmation before every irreversible step (issue 17 point 2): the
//! built binary against the real SMTP server of `tests/support`, without a
//! terminal (refused unless `--yes` or `DSR_YES=1`) and on a real one (a
//! pty made by util-linux `script`), answering no and yes.

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{TestEnv, output_text, zendesk_over_smtp};
use std::process::Output;

/// The Zendesk policy over the test server (`privacy@…` accepts), and a
/// one-row batch for the same subject.
fn env(port: u16) -> TestEnv {
    let env = zendesk_over_smtp(port, "privacy");
    env.write("batch/subject.toml", env.read("subject.toml"));
    env.write("batch/b.csv", "key,policy,kind,subject\nerika,zendesk,erasure,subject.toml\n");
    env
}

const SEND: [&str; 7] = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];

/// Runs `args` at `now` the way a script without `--yes` would: no
/// terminal, no `DSR_YES`.
fn unconfirmed(env: &TestEnv, now: &str, args: &[&str]) -> Output {
    env.cmd().env_remove("DSR_YES").env("DSR_NOW", now).args(args).output().unwrap()
}

/// The log's event names (empty when there is no log).
fn events(env: &TestEnv) -> Vec<String> {
    let Ok(log) = std::fs::read_to_string(env.join("data/log.jsonl")) else { return Vec::new() };
    log.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["event"].as_str().unwrap().to_string())
        .collect()
}

/// Stored objects, by count.
fn objects(env: &TestEnv) -> usize {
    let dir = env.join("data/objects");
    if !dir.exists() {
        return 0;
    }
    crate::support::files(&dir).len()
}

fn assert_refused_without_terminal(out: &Output) {
    let t = output_text(out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: confirmation needed: "), "{t}");
    assert!(err.contains("nothing was stored or sent"), "{t}");
    assert!(err.contains("help: ") && err.contains("--yes") && err.contains("DSR_YES=1"), "the hint names --yes: {t}");
}

#[test]
fn without_a_terminal_and_without_yes_send_batch_and_remind_are_refused_with_nothing_stored_or_sent() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(server.port());

    let out = unconfirmed(&env, "2026-11-30T09:00:00Z", &SEND);
    assert_refused_without_terminal(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Send it now?"), "{err}");
    let out = unconfirmed(&env, "2026-11-30T09:00:00Z", &["send", "--batch", "batch/b.csv"]);
    assert_refused_without_terminal(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Send this request?"), "{}", output_text(&out));
    assert!(server.messages().is_empty(), "nothing reached the SMTP server");
    assert!(!events(&env).iter().any(|e| e == "prepared"), "nothing logged: {:?}", events(&env));
    assert_eq!(objects(&env), 0, "nothing stored");

    // Dry runs never ask.
    let out = unconfirmed(&env, "2026-11-30T09:00:00Z", &[&SEND[..], &["--dry-run"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let out = unconfirmed(&env, "2026-11-30T09:00:00Z", &["send", "--batch", "batch/b.csv", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));

    // --yes confirms (DSR_YES is not set here).
    let out = unconfirmed(&env, "2026-11-30T09:00:00Z", &[&SEND[..], &["--yes"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(server.messages().len(), 1);
    let request = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("request:").map(|r| r.trim().to_string()))
        .unwrap();

    // A reminder after the deadline: refused without a terminal, too.
    let before = events(&env);
    let out = unconfirmed(&env, "2027-01-20T09:00:00Z", &["remind", &request]);
    assert_refused_without_terminal(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Send it now?"), "{}", output_text(&out));
    assert_eq!(events(&env), before, "nothing logged");
    assert_eq!(server.messages().len(), 1, "no reminder sent");
    // DSR_YES=1 confirms.
    let out = env.cmd().env("DSR_NOW", "2027-01-20T09:00:00Z").args(["remind", &request]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(server.messages().len(), 2);
    // And DSR_YES=0 does not.
    let out = env
        .cmd()
        .env("DSR_YES", "0")
        .env("DSR_NOW", "2027-01-21T09:00:00Z")
        .args(["complain", &request, "--authority", "ie-dpc", "--residence", "Berlin"])
        .output()
        .unwrap();
    assert_refused_without_terminal(&out);
    assert_eq!(server.messages().len(), 2, "no complaint sent");
}

/// Runs `dsr ARGS` on a pty (util-linux `script`), typing `answer`; the
/// transcript is what the terminal showed.
pub(crate) fn on_a_terminal(env: &TestEnv, args: &[&str], answer: &str) -> (Option<i32>, String) {
    on_a_terminal_at(env, "2026-11-30T09:00:00Z", args, answer)
}

/// [`on_a_terminal`] with the clock at `now`.
pub(crate) fn on_a_terminal_at(env: &TestEnv, now: &str, args: &[&str], answer: &str) -> (Option<i32>, String) {
    on_a_terminal_with(env, now, args, answer, &[])
}

/// [`on_a_terminal_at`] with more environment variables (`LANG`).
pub(crate) fn on_a_terminal_with(
    env: &TestEnv,
    now: &str,
    args: &[&str],
    answer: &str,
    vars: &[(&str, &str)],
) -> (Option<i32>, String) {
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("dsr");
    // One shell command line for script(1): every word quoted.
    let quote = |w: &str| format!("'{}'", w.replace('\'', "'\\''"));
    let command: Vec<String> =
        std::iter::once(quote(&bin.display().to_string())).chain(args.iter().map(|a| quote(a))).collect();
    let mut child = std::process::Command::new("script")
        .args(["-qfec", &command.join(" "), "/dev/null"])
        .current_dir(env.path())
        .env_clear()
        .env("HOME", env.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DSR_NOW", now)
        .envs(vars.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(answer.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn on_a_terminal_no_sends_nothing_and_yes_sends() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(server.port());

    let (code, shown) = on_a_terminal(&env, &SEND, "n\n");
    assert_eq!(code, Some(2), "{shown}");
    for line in [
        "A new erasure request, recorded in the evidence log (that cannot be undone):",
        "  to:          Zendesk International Ltd. <privacy@mueller-soehne.example>",
        "  kind:        erasure",
        "  channel:     email, sent now over SMTP (127.0.0.1:",
        "  attachments: identity-verification.txt, identity-verification.json",
        "Send it now? [y/N] ",
        "not confirmed: nothing was stored or sent",
    ] {
        assert!(shown.contains(line), "{line:?} in {shown}");
    }
    assert!(server.messages().is_empty(), "answered no: nothing sent");
    assert!(!events(&env).iter().any(|e| e == "prepared"), "answered no: nothing logged");
    assert_eq!(objects(&env), 0, "answered no: nothing stored");

    // A batch shows one summary: rows, recipients, kinds, channels.
    let (code, shown) = on_a_terminal(&env, &["send", "--batch", "batch/b.csv"], "nein\n");
    assert_eq!(code, Some(2), "{shown}");
    for line in [
        "  rows:        1 new to send",
        "  recipients:  Zendesk International Ltd. <privacy@mueller-soehne.example> (1)",
        "  kinds:       erasure (1)",
        &format!("  channels:    email, sent now over SMTP (127.0.0.1:{}) (1)", server.port()),
        "  attachments: 2 files in all",
        "Send this request? [y/N] ",
    ] {
        assert!(shown.contains(line), "{line:?} in {shown}");
    }
    assert!(server.messages().is_empty(), "answered no: nothing sent");

    let (code, shown) = on_a_terminal(&env, &SEND, "y\n");
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("Send it now? [y/N] "), "{shown}");
    assert_eq!(server.messages().len(), 1, "answered yes: sent");
    assert_eq!(events(&env).iter().filter(|e| *e == "sent").count(), 1);
}

/// Another dsr logs to the case while the question waits (a reminder goes
/// out): the complaint that would now go attaches one message more than
/// the one shown, so it is refused after the "yes" and nothing is sent.
#[test]
fn a_case_that_changed_while_the_question_waited_is_not_sent_unasked() {
    use std::io::{Read as _, Write as _};
    let server = SmtpServer::start(SmtpOptions::default());
    let env = env(server.port());
    let out = env.cmd().env("DSR_NOW", "2026-12-01T09:00:00Z").args(SEND).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let now = "2027-01-20T09:00:00Z";

    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("dsr");
    let command = format!("'{}' complain {request} --authority ie-dpc --residence Deutschland", bin.display());
    let mut child = std::process::Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .current_dir(env.path())
        .env_clear()
        .env("HOME", env.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DSR_NOW", now)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !String::from_utf8_lossy(&shown).contains("[y/N]") {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(bytes) => shown.extend(bytes),
            Err(_) => panic!("no question within 60 s: {}", String::from_utf8_lossy(&shown)),
        }
    }
    // Meanwhile: a reminder, logged to the same case.
    let out = env.cmd().env("DSR_NOW", now).args(["remind", &request]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(server.messages().len(), 2);

    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"y\n").unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    while let Ok(bytes) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
        shown.extend(bytes);
    }
    let shown = String::from_utf8_lossy(&shown);
    assert_eq!(status.code(), Some(2), "{shown}");
    assert!(shown.contains("the case changed while you were answering"), "{shown}");
    assert!(shown.contains("nothing was stored or sent"), "{shown}");
    assert_eq!(server.messages().len(), 2, "the complaint must not go out");
    let log = env.read("data/log.jsonl");
    assert!(!log.contains("\"kind\":\"complaint\""), "nothing of the complaint is logged");
}
