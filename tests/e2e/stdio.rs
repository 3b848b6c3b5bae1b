//! `-` for standard input and output (issue 17, point 7): the subject
//! file, a sent copy, a reply and a read receipt read from stdin, the PDF
//! letter and a checkpoint written to stdout, and `-` given twice refused.

use crate::support::{TestEnv, repo, subject_with_address};
use serde_json::Value;
use std::process::Output;

/// `dsr ARGS` with `input` on its standard input, at time `now`.
fn with_stdin(env: &TestEnv, now: &str, args: &[&str], input: &[u8]) -> Output {
    env.dsr(args).env("DSR_NOW", now).write_stdin(input.to_vec()).output().unwrap()
}

#[track_caller]
fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
    stdout
}

fn subject_text() -> Vec<u8> {
    std::fs::read(repo().join("examples/subject-person.toml")).unwrap()
}

#[test]
fn a_subject_file_from_stdin_renders_and_sends_the_same_letter_as_the_file() {
    let env = TestEnv::new().with_config();
    let file = repo().join("examples/subject-person.toml");
    let now = "2026-11-30T09:00:00Z";
    let args = ["render", "--to", "zendesk", "--kind", "erasure", "--subject"];
    let from_file =
        ok(&env.dsr(&[&args[..], &[file.to_str().unwrap()]].concat()).env("DSR_NOW", now).output().unwrap());
    let from_stdin = ok(&with_stdin(&env, now, &[&args[..], &["-"]].concat(), &subject_text()));
    assert!(from_stdin.contains("Erika Mustermann"), "{from_stdin}");
    assert_eq!(from_stdin, from_file);
    // Sent from stdin: the case is logged as any other.
    let out = with_stdin(
        &env,
        now,
        &["send", "--to", "zendesk", "--kind", "erasure", "--subject", "-", "--json"],
        &subject_text(),
    );
    let v: Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(v["delivered"]["route"], "outbox", "{v}");
    // A syntax error names standard input, not a file called "-".
    let out = with_stdin(&env, now, &["render", "--to", "zendesk", "--kind", "erasure", "--subject", "-"], b"name =\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`name =` has no value"), "{out:?}");
    let out = with_stdin(&env, now, &["render", "--to", "zendesk", "--kind", "erasure", "--subject", "-"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input (-): file is empty"), "{out:?}");
}

#[test]
fn dash_given_twice_for_stdin_is_refused_naming_both_options() {
    let env = TestEnv::new().with_config();
    let cases: [(&[&str], &str); 4] = [
        (
            &["send", "--to", "zendesk", "--kind", "erasure", "--subject", "-", "--attach", "-"],
            "`-` (standard input) is given for --subject and --attach: only one file can be read from standard input",
        ),
        (
            &[
                "render",
                "--to",
                "zendesk",
                "--kind",
                "erasure",
                "--subject",
                "s.toml",
                "--attach",
                "-",
                "--attach",
                "-",
            ],
            "`-` (standard input) is given twice for --attach",
        ),
        (
            &[
                "dispatched",
                "r_aaaaaaaaaaaaaaaa",
                "--via",
                "webform",
                "--date",
                "2026-12-01",
                "--confirmation",
                "-",
                "--confirmation",
                "-",
            ],
            "`-` (standard input) is given twice for --confirmation",
        ),
        (&["mail", "import", "-", "-"], "`-` (standard input) is given twice for FILE"),
    ];
    for (args, message) in cases {
        let out = with_stdin(&env, "2026-11-30T09:00:00Z", args, &subject_text());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(err.contains("help: save the other file and give its name instead of `-`"), "{err}");
    }
    assert!(!env.join("data/log.jsonl").exists(), "nothing was logged");
}

#[test]
fn a_sent_copy_a_reply_and_a_read_receipt_come_from_stdin() {
    let env = TestEnv::new().with_config();
    let subject = repo().join("examples/subject-person.toml");
    let send = env
        .dsr(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", subject.to_str().unwrap(), "--json"])
        .env("DSR_NOW", "2026-11-30T08:00:00Z")
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&ok(&send)).unwrap();
    let request = v["request"].as_str().unwrap().to_string();
    let mid = v["message_id"].as_str().unwrap().to_string();
    let outboxed = std::fs::read(v["delivered"]["file"].as_str().unwrap()).unwrap();
    // The user sent the outboxed .eml unchanged and pipes the Sent copy in.
    let out =
        with_stdin(&env, "2026-11-30T12:00:00Z", &["dispatched", &request, "--via", "email", "--eml", "-"], &outboxed);
    assert!(ok(&out).contains("dispatched"), "{out:?}");
    let reply = format!(
        "From: Zendesk Privacy <euprivacy@zendesk.com>\r\nTo: erika.mustermann@beispiel-handel.example\r\n\
         Subject: Re: your request\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <ack-1@zendesk.com>\r\n\
         In-Reply-To: <{mid}>\r\n\r\nWe have received your request.\r\n"
    );
    let out = with_stdin(
        &env,
        "2026-12-01T12:00:00Z",
        &["reply", "--eml", "-", "--outcome", "acknowledged"],
        reply.as_bytes(),
    );
    assert!(ok(&out).contains(&format!("request:    {request}")), "{out:?}");
    let mdn = format!(
        "From: euprivacy@zendesk.com\r\nTo: erika.mustermann@beispiel-handel.example\r\nSubject: Read\r\n\
         Date: Wed, 2 Dec 2026 09:00:00 +0100\r\nMessage-ID: <mdn-1@zendesk.com>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=disposition-notification;\r\n boundary=\"mdn\"\r\n\r\n--mdn\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\r\nThe message was displayed.\r\n\r\n--mdn\r\nContent-Type: \
         message/disposition-notification\r\n\r\nReporting-UA: client.zendesk.com; Thunderbird\r\nFinal-Recipient: \
         rfc822;euprivacy@zendesk.com\r\nOriginal-Message-ID: <{mid}>\r\nDisposition: \
         manual-action/MDN-sent-manually; displayed\r\n\r\n--mdn--\r\n"
    );
    let out = with_stdin(&env, "2026-12-02T12:00:00Z", &["mail", "import", "-"], mdn.as_bytes());
    assert!(ok(&out).contains(&format!("-: {request} read <{mid}>")), "{out:?}");
    let log = env.read("data/log.jsonl");
    let events: Vec<String> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["request"] == request.as_str())
        .map(|e| e["event"].as_str().unwrap_or_default().to_string())
        .collect();
    for e in ["dispatched", "reply_received", "read"] {
        assert!(events.iter().any(|x| x == e), "{e} in {events:?}");
    }
}

#[test]
fn the_pdf_letter_and_a_checkpoint_go_to_stdout() {
    let env = TestEnv::new().with_config();
    let subject = subject_with_address(&env);
    let out = env
        .dsr(&["render", "--to", "zendesk", "--kind", "erasure", "--subject", &subject, "--pdf", "-"])
        .env("DSR_NOW", "2026-11-30T09:00:00Z")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.starts_with(b"%PDF-"), "the PDF itself on stdout");
    assert!(out.stdout.ends_with(b"%%EOF\n") || out.stdout.ends_with(b"%%EOF"), "nothing but the PDF");
    assert!(!env.join("-").exists(), "no file named -");
    // A checkpoint: `--out -` prints it as without --out.
    assert_eq!(env.dsr(&["key", "new"]).output().unwrap().status.code(), Some(0));
    ok(&env.dsr(&["send", "--to", "zendesk", "--kind", "erasure", "--subject", &subject]).output().unwrap());
    let printed = ok(&env.dsr(&["log", "checkpoint"]).output().unwrap());
    let dashed = ok(&env.dsr(&["log", "checkpoint", "--out", "-"]).output().unwrap());
    assert!(printed.contains("\n\u{2014} "), "a signed note: {printed}");
    assert_eq!(dashed, printed);
    assert!(!env.join("-").exists(), "no file named -");
    // And read back from stdin.
    let out = with_stdin(&env, "2026-11-30T09:00:00Z", &["log", "verify", "--checkpoint", "-"], dashed.as_bytes());
    assert!(ok(&out).starts_with("ok: "), "{out:?}");
}
