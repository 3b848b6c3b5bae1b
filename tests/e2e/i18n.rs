//! The interface language (issue 17 point 11): the main help page and the
//! errors a new user meets most (twenty of dsr's, three of the parser's), each in English and in German,
//! pinned in `tests/golden/i18n/{en,de}/`. English is what dsr writes with
//! no locale set; German comes from `LANG=de_DE.UTF-8` (and the same from
//! `--ui-lang de`, and not when `LC_MESSAGES=C` says otherwise). The
//! commands run against a real SMTP server and real files; each error
//! leaves the log as it was, so the German run meets the same situation.

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{Placeholders, TestEnv, output_text, snapshot, transcript, zendesk_over_smtp};
use std::process::Output;

pub(crate) const NOW: &str = "2026-11-30T09:00:00Z";

pub(crate) fn run(env: &TestEnv, lang: &str, now: &str, args: &[&str]) -> Output {
    run_as(env, lang, now, args, true)
}

/// [`run`], with `yes = false` as a user without `--yes` (no `DSR_YES`).
pub(crate) fn run_as(env: &TestEnv, lang: &str, now: &str, args: &[&str], yes: bool) -> Output {
    let mut c = env.cmd();
    c.env("DSR_NOW", now).args(args);
    if !yes {
        c.env_remove("DSR_YES");
    }
    if lang == "de" {
        c.env("LANG", "de_DE.UTF-8");
    }
    c.output().expect("run dsr")
}

/// Runs `args` in English and in German and compares both with their
/// snapshots; returns the failures.
pub(crate) fn both(
    env: &TestEnv,
    name: &str,
    now: &str,
    args: &[&str],
    placeholders: &Placeholders,
    failures: &mut Vec<String>,
) {
    both_as(env, name, now, args, placeholders, true, failures);
}

/// [`both`], with `yes` as [`run_as`] takes it.
pub(crate) fn both_as(
    env: &TestEnv,
    name: &str,
    now: &str,
    args: &[&str],
    placeholders: &Placeholders,
    yes: bool,
    failures: &mut Vec<String>,
) {
    for lang in ["en", "de"] {
        let out = run_as(env, lang, now, args, yes);
        let text = transcript(args, out.status.code(), &out.stdout, &out.stderr);
        if let Err(e) = snapshot::try_snapshot(&format!("i18n/{lang}/{name}.txt"), &text, placeholders.clone().into()) {
            failures.push(e);
        }
    }
}

#[test]
fn the_main_help_page_in_german_from_lang_or_ui_lang_and_english_otherwise() {
    let env = TestEnv::new();
    let de = run(&env, "de", NOW, &["--help"]);
    let text = transcript(&["--help"], de.status.code(), &de.stdout, &de.stderr);
    crate::support::assert_transcript("i18n/de/help-dsr", &text, env.placeholders());
    let stdout = String::from_utf8_lossy(&de.stdout);
    for german in ["Aufruf:", "Befehle:", "Globale Optionen:", "Beispiele", "Hilfe anzeigen"] {
        assert!(stdout.contains(german), "{german} missing:\n{stdout}");
    }
    // --ui-lang de without a locale gives the same page; LC_MESSAGES=C
    // overrides LANG; --ui-lang en overrides both.
    let flag = env.dsr(&["--ui-lang", "de", "--help"]).output().unwrap();
    assert_eq!(flag.stdout, de.stdout);
    let c = env.dsr(&["--help"]).env("LANG", "de_DE.UTF-8").env("LC_MESSAGES", "C").output().unwrap();
    let en = env.dsr(&["--help"]).output().unwrap();
    assert_eq!(c.stdout, en.stdout);
    let forced = env.dsr(&["--ui-lang", "en", "--help"]).env("LC_ALL", "de_DE.UTF-8").output().unwrap();
    assert_eq!(forced.stdout, en.stdout);
    assert!(String::from_utf8_lossy(&en.stdout).contains("Usage:"));

    // Every command's whole page, enumerated from clap's definition (their
    // English pages are in tests/golden/help/).
    let mut failures = Vec::new();
    let mut all = Vec::new();
    crate::help::paths(&<dsr::cli::Cli as clap::CommandFactory>::command(), &[], &mut all);
    for path in all.iter().filter(|p| !p.is_empty()) {
        let command = path.join(" ");
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = run(&env, "de", NOW, &args);
        let text = transcript(&args, out.status.code(), &out.stdout, &out.stderr);
        let name = path.join("-");
        if let Err(e) = snapshot::try_snapshot(&format!("i18n/de/help-{name}.txt"), &text, env.placeholders().into()) {
            failures.push(e);
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        for english in [
            "Print help",
            "Print this message",
            "Possible values",
            "possible values",
            "[default:",
            "Usage:",
            "Options:",
        ] {
            if stdout.contains(english) {
                failures.push(format!("`dsr {command} --help` in German still says {english:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_common_errors_and_the_status_table_in_english_and_german() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "privacy");
    let p = env.placeholders().with("[PORT]", server.port());
    let mut failures = Vec::new();
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];

    // Before any case exists.
    // The example person without the account email Zendesk requires.
    let person = env.read("subject.toml");
    let no_account: String =
        person.lines().filter(|l| !l.starts_with("account_email")).map(|l| format!("{l}\n")).collect();
    env.write("no-account.toml", no_account);
    both(&env, "policy-unknown", NOW, &["policy", "show", "zendsk"], &p, &mut failures);
    both(&env, "policy-show", NOW, &["policy", "show", "zendesk"], &p, &mut failures);
    both(&env, "policy-list", NOW, &["policy", "list", "--search", "zendesk"], &p, &mut failures);
    both(&env, "authority-show", NOW, &["authority", "show", "ie-dpc"], &p, &mut failures);
    both(&env, "authority-list", NOW, &["authority", "list", "--search", "berlin"], &p, &mut failures);
    let unknown = ["send", "--to", "no-such-company", "--kind", "erasure", "--subject", "subject.toml"];
    both(&env, "send-unknown-policy", NOW, &unknown, &p, &mut failures);
    both(&env, "send-missing-to", NOW, &["send", "--kind", "erasure", "--subject", "subject.toml"], &p, &mut failures);
    let no_id = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "no-account.toml"];
    both(&env, "send-missing-identifier", NOW, &no_id, &p, &mut failures);
    let mut attach = send.to_vec();
    attach.extend(["--attach", "missing.pdf"]);
    both(&env, "send-missing-attachment", NOW, &attach, &p, &mut failures);
    both(&env, "log-verify-no-log", NOW, &["log", "verify"], &p, &mut failures);
    // TOML syntax errors in words (a date as 01.12.2026, text without quotes).
    env.write("bad-date.toml", "capacity = \"data_subject\"\nname = \"Erika\"\n[verification]\ndate = 01.12.2026\n");
    env.write("bad-text.toml", "capacity = \"data_subject\"\nname = Erika Mustermann\n");
    let bad = |file: &'static str| ["render", "--to", "zendesk", "--kind", "erasure", "--subject", file];
    both(&env, "toml-date", NOW, &bad("bad-date.toml"), &p, &mut failures);
    // A subject file's own mistakes: a representative without the mandate.
    env.write("rep.toml", person.replace("capacity = \"data_subject\"", "capacity = \"representative\""));
    both(&env, "subject-missing-mandate", NOW, &bad("rep.toml"), &p, &mut failures);
    // An option for another kind of letter; an identity document not asked for.
    let mut other_kind = bad("subject.toml").to_vec();
    other_kind.extend(["--confirm-by", "2027-03-01"]);
    both(&env, "render-option-for-another-kind", NOW, &other_kind, &p, &mut failures);
    env.write("ausweis-scan.jpg", b"\xff\xd8\xff\xe0 a scan");
    let mut id_doc = bad("subject.toml").to_vec();
    id_doc.extend(["--attach", "ausweis-scan.jpg"]);
    both(&env, "render-id-document-not-asked-for", NOW, &id_doc, &p, &mut failures);
    // A directory where a file belongs; an empty subject file.
    std::fs::create_dir_all(env.join("folder")).unwrap();
    both(&env, "render-subject-is-a-directory", NOW, &bad("folder"), &p, &mut failures);
    // A channel the company does not take; an authority that does not exist.
    let mut webform = send.to_vec();
    webform.extend(["--via", "webform"]);
    both(&env, "send-channel-not-accepted", NOW, &webform, &p, &mut failures);
    both(&env, "authority-unknown", NOW, &["authority", "show", "ie-dcp"], &p, &mut failures);
    both(&env, "toml-quotes", NOW, &bad("bad-text.toml"), &p, &mut failures);
    both(&env, "init-config-exists", NOW, &["init"], &p, &mut failures);
    both(&env, "deadline-date-format", NOW, &["deadline", "--received", "30.01.2025"], &p, &mut failures);
    both(&env, "status-empty", NOW, &["status"], &p, &mut failures);
    // The parser's own errors.
    both(&env, "render-invalid-kind", NOW, &["render", "--kind", "delete"], &p, &mut failures);
    both(&env, "render-unknown-argument", NOW, &["render", "--kidn", "erasure"], &p, &mut failures);
    both(&env, "unknown-command", NOW, &["sned"], &p, &mut failures);
    let facebook = ["send", "--to", "facebook", "--kind", "erasure", "--subject", "subject.toml"];
    both(&env, "send-post-only-company", NOW, &facebook, &p, &mut failures);
    // Without a terminal and without --yes: refused, in both languages.
    both_as(&env, "send-needs-confirmation", NOW, &send, &p, false, &mut failures);
    // Processor deletion needs the preconditions confirmed.
    env.write("org.toml", std::fs::read(crate::support::repo().join("examples/subject-org.toml")).unwrap());
    let precondition = ["send", "--to", "zendesk", "--kind", "processor-deletion", "--subject", "org.toml"];
    both(&env, "send-unconfirmed-precondition", NOW, &precondition, &p, &mut failures);
    // A batch without a terminal and without --yes.
    env.write("batch.csv", "policy,kind,subject\nzendesk,erasure,subject.toml\n");
    both_as(&env, "batch-needs-confirmation", NOW, &["send", "--batch", "batch.csv"], &p, false, &mut failures);
    // A batch with an invalid row: every problem, nothing stored.
    env.write(
        "bad-batch.csv",
        "policy,kind,subject\nzendesk,erasure,subject.toml\nno-such-company,erasure,subject.toml\n",
    );
    both(&env, "batch-invalid-rows", NOW, &["send", "--batch", "bad-batch.csv"], &p, &mut failures);
    assert!(!env.join("data/log.jsonl").exists(), "no error above may log anything");

    // One case, sent.
    let out = run(&env, "en", NOW, &send);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let p = env.placeholders().with("[PORT]", server.port()).with("[REQUEST]", &request);
    both(&env, "send-duplicate", NOW, &send, &p, &mut failures);
    both(&env, "status", "2026-12-10T09:00:00Z", &["status"], &p, &mut failures);
    both(&env, "status-overdue", "2027-01-20T09:00:00Z", &["status"], &p, &mut failures);
    both(&env, "show-unknown-request", NOW, &["show", "r_zzzzzzzzzzzzzzzz"], &p, &mut failures);
    // The last character changed: a near miss, never the id itself.
    let typo = format!("{}{}", &request[..17], if request.ends_with('x') { 'y' } else { 'x' });
    let p_typo = p.clone().with("[TYPO]", &typo);
    both(&env, "show-did-you-mean", NOW, &["show", &typo], &p_typo, &mut failures);
    both(&env, "remind-before-deadline", "2026-12-10T09:00:00Z", &["remind", &request], &p, &mut failures);
    env.write(
        "answer.eml",
        "From: privacy@mueller-soehne.example\r\nTo: datenschutz@beispiel-handel.example\r\nSubject: Re: your \
         request\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <answer-1@mueller-soehne.example>\r\n\r\n\
         Thank you, we have received your request and will reply within one month.\r\n",
    );
    both(&env, "reply-without-outcome", NOW, &["reply", &request, "--eml", "answer.eml"], &p, &mut failures);
    // A missing reply file is named first, before the missing --outcome.
    both(&env, "reply-missing-file", NOW, &["reply", &request, "--eml", "missing.eml"], &p, &mut failures);
    both(&env, "purge-open-case", NOW, &["purge", &request], &p, &mut failures);
    env.write("bundle/notes.txt", "mine");
    both(
        &env,
        "evidence-export-not-empty",
        NOW,
        &["evidence", "export", &request, "--out", "bundle"],
        &p,
        &mut failures,
    );
    let out = run(&env, "en", NOW, &["close", &request, "--note", "done"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    both(&env, "purge-inside-retention", NOW, &["purge", &request], &p, &mut failures);
    let out = run(&env, "en", NOW, &["key", "new"]);
    let out = if out.status.success() { run(&env, "en", NOW, &["key", "new"]) } else { out };
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    both(&env, "key-exists", NOW, &["key", "new"], &p, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The configuration's errors and the mail server's, in both languages:
/// an inline password, two password sources, a server that cannot be
/// reached, a recipient the server refuses for good. The evidence store
/// keeps the server's error in English whatever the interface language.
#[test]
fn config_and_mail_server_errors_in_english_and_german() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "privacy");
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let config = env.read("dsr.toml");
    let mut failures = Vec::new();
    let p = env.placeholders().with("[PORT]", server.port());
    env.write("dsr.toml", config.replace("retries = 0", "retries = 0\npassword = \"secret\""));
    both(&env, "config-inline-password", NOW, &send, &p, &mut failures);
    env.write(
        "dsr.toml",
        config.replace("retries = 0", "retries = 0\nusername = \"u\"\npassword_env = \"A\"\npassword_file = \"b\""),
    );
    both(&env, "config-two-password-sources", NOW, &send, &p, &mut failures);
    let (closed, refused) = crate::support::closed_port();
    env.write("dsr.toml", config.replace(&format!("port = {}", server.port()), &format!("port = {closed}")));
    let p_closed = env.placeholders().with("[PORT]", closed).with("[REFUSED]", &refused);
    both(&env, "smtp-cannot-connect", NOW, &send, &p_closed, &mut failures);
    assert!(!env.join("data/log.jsonl").exists(), "nothing logged before the server answered");
    // A recipient refused for good: logged, with the server's error kept in
    // English in the store, and reported in the user's language.
    let mut objects = Vec::new();
    for lang in ["en", "de"] {
        let permfail = zendesk_over_smtp(server.port(), "permfail");
        let out = run(&permfail, lang, NOW, &send);
        let text = output_text(&out);
        let (kind, hint) = match lang {
            "de" => ("dauerhafter Fehler bei 127.0.0.1", "der Server hat die Nachricht endgültig abgelehnt"),
            _ => ("permanent failure at 127.0.0.1", "the server refused the message for good"),
        };
        assert!(text.contains(kind) && text.contains(hint), "{lang}: {text}");
        // Sending it again is refused; the hint offers a corrected address,
        // not a retry of the refused bytes.
        let again = output_text(&run(&permfail, lang, NOW, &send));
        assert!(again.contains("--readdress") && !again.contains("send --retry"), "{lang}: {again}");
        objects.extend(crate::support::files(&permfail.join("data/objects")));
    }
    let errors: Vec<String> = objects
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .filter(|t| t.contains("RCPT TO:<permfail@mueller-soehne.example>"))
        .collect();
    assert_eq!(errors.len(), 2, "one smtp-error object per attempt: {errors:?}");
    assert!(errors.iter().all(|t| t.starts_with("permanent failure at 127.0.0.1:")), "{errors:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The main job as a German user sees it: `dsr init` on a new machine (no
/// terminal: the example signer), the example subject files, a PDF
/// preview, a send to the outbox with its NOT SENT note, and the status.
/// Input errors below the command line (a calendar, an email address, a
/// policy id written as a name, a special file, what a kind of letter
/// needs) and the deadline table, in both languages.
#[test]
fn input_errors_and_the_deadline_table_in_english_and_german() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "privacy");
    let p = env.placeholders().with("[PORT]", server.port());
    let mut failures = Vec::new();
    let render = |kind: &'static str, subject: &'static str| {
        vec!["render", "--to", "zendesk", "--kind", kind, "--subject", subject]
    };
    both(&env, "deadline-table", NOW, &["deadline", "--received", "2026-12-01", "--calendar", "DE"], &p, &mut failures);
    let unknown = ["deadline", "--received", "2026-12-01", "--calendar", "XX"];
    both(&env, "deadline-unknown-calendar", NOW, &unknown, &p, &mut failures);
    both(&env, "render-kind-needs", NOW, &render("rectification", "subject.toml"), &p, &mut failures);
    let person = env.read("subject.toml");
    env.write("bad-email.toml", person.replacen("mustermann@", "mustermann at ", 1));
    assert_ne!(env.read("bad-email.toml"), person, "the example person's address is erika.mustermann@…");
    both(&env, "subject-invalid-email", NOW, &render("erasure", "bad-email.toml"), &p, &mut failures);
    both(&env, "policy-id-as-a-name", NOW, &["policy", "show", "Zendesk"], &p, &mut failures);
    let fifo = env.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let mut attach = render("erasure", "subject.toml");
    attach.extend(["--attach", "pipe"]);
    both(&env, "render-attachment-is-a-fifo", NOW, &attach, &p, &mut failures);
    both(&env, "key-show-none", NOW, &["key", "show"], &p, &mut failures);
    assert!(!env.join("data/log.jsonl").exists(), "no error above may log anything");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_main_job_in_german() {
    let env = TestEnv::new();
    let mut failures = Vec::new();
    let mut step = |name: &str, args: &[&str], env: &TestEnv| {
        let out = run(env, "de", NOW, args);
        let text = transcript(args, out.status.code(), &out.stdout, &out.stderr);
        let p = env
            .placeholders()
            .pattern("[KEY]", r"dsr\+[A-Za-z0-9+/=_-]+")
            .pattern("[REQUEST]", r"r_[a-z0-9]{16}")
            .pattern("[MESSAGE_ID]", r"[a-z0-9]{20,}@beispiel-handel\.example")
            .pattern("[OUTBOX]", r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{32}\.eml")
            .pattern("[HASH]", "[0-9a-f]{64}")
            .pattern("[ORIGIN]", "dsr-evidence-log/[0-9a-f]{32}")
            .pattern("[SIZE]", r"(?<redacted>[0-9]+) Bytes");
        if let Err(e) = snapshot::try_snapshot(&format!("i18n/de/{name}.txt"), &text, p.into()) {
            failures.push(e);
        }
        out
    };
    assert!(step("main-init", &["init"], &env).status.success());
    assert!(step("main-init-examples", &["init", "--examples", "ex"], &env).status.success());
    let preview =
        ["render", "--to", "zendesk", "--kind", "erasure", "--subject", "ex/agent-erika.toml", "--out", "preview"];
    assert!(step("main-render-example-sender", &preview, &env).status.success());

    let env = TestEnv::new().with_config();
    env.write("subject.toml", std::fs::read(crate::support::repo().join("examples/subject-person.toml")).unwrap());
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let mut dry = send.to_vec();
    dry.push("--dry-run");
    assert!(step("main-send-dry-run", &dry, &env).status.success());
    assert!(step("main-send-outbox", &send, &env).status.success());
    assert!(step("main-status", &["status"], &env).status.success());
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    assert!(step("main-show", &["show", &request], &env).status.success());
    assert!(step("main-log-verify", &["log", "verify"], &env).status.success());
    assert!(step("main-evidence-export", &["evidence", "export", &request, "--out", "bundle"], &env).status.success());
    assert!(step("main-mail-unmatched", &["mail", "unmatched"], &env).status.success());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The question on a real terminal (a pty made by util-linux `script`), in
/// German: the preview, `[j/N]`, "nein" refuses, "ja" sends.
#[test]
fn the_question_on_a_terminal_in_german() {
    use crate::confirm::on_a_terminal_with;
    let server = SmtpServer::start(SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "privacy");
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let de = [("LANG", "de_DE.UTF-8")];
    let (code, shown) = on_a_terminal_with(&env, NOW, &send, "nein\n", &de);
    assert_eq!(code, Some(2), "{shown}");
    for line in [
        "Ein neuer Antrag (erasure), der im Beweisprotokoll festgehalten wird (das lässt sich nicht rückgängig machen):",
        "  An:          Zendesk International Ltd. <privacy@mueller-soehne.example>",
        "  Art:         erasure",
        "  Weg:         E-Mail, jetzt über SMTP gesendet (127.0.0.1:",
        "  Anlagen:     identity-verification.txt, identity-verification.json",
        "Jetzt senden? [j/N] ",
        "nicht bestätigt: nichts wurde gespeichert oder gesendet",
    ] {
        assert!(shown.contains(line), "{line:?} in {shown}");
    }
    assert!(server.messages().is_empty(), "answered nein: nothing sent");
    let (code, shown) = on_a_terminal_with(&env, NOW, &send, "ja\n", &de);
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("Antrag:") && shown.contains("gesendet:"), "{shown}");
    assert_eq!(server.messages().len(), 1, "answered ja: sent");
}

/// What dsr stores never depends on the interface language: a German run
/// that fails at the server (refused session, no STARTTLS where the config
/// asks for it), one that writes to the outbox, and an evidence export
/// leave no German word of the catalogue in the log, the object store or
/// the bundle. (Zendesk's letters are English, so any German text there
/// would be interface text that leaked into the evidence.)
#[test]
fn nothing_stored_follows_a_german_interface() {
    let german = [
        " nicht ",
        "wurde",
        "Antrag",
        "Beweisprotokoll",
        "Unternehmensprofil",
        "Hinweis",
        "Fehler",
        "keine ",
        "Verbindung",
        "Zustellung",
        "Postausgang",
        "Server lehnte",
        " ist ",
        " oder ",
    ];
    let mut scanned = 0;
    let mut leaks = Vec::new();
    let mut scan = |root: &std::path::Path| {
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) {
                    scanned += 1;
                    for word in german.iter().filter(|w| text.contains(**w)) {
                        leaks.push(format!("{}: {word:?}", path.display()));
                    }
                }
            }
        }
    };
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let de = |env: &TestEnv, args: &[&str]| run(env, "de", NOW, args);

    // A recipient the server refuses for good: the failure is logged.
    let server = SmtpServer::start(SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "permfail");
    let out = de(&env, &send);
    assert_ne!(out.status.code(), Some(0), "{}", output_text(&out));
    assert!(env.read("data/log.jsonl").contains("failed"), "{}", env.read("data/log.jsonl"));
    // The same company again, with a corrected address: readdressed.
    let _ = de(&env, &send);
    scan(&env.join("data"));

    // STARTTLS asked for and not offered: refused before anything is
    // sent (whatever is logged is scanned).
    let env = zendesk_over_smtp(server.port(), "privacy");
    env.write("dsr.toml", env.read("dsr.toml").replace("tls = \"none\"", "tls = \"starttls\""));
    let out = de(&env, &send);
    assert_ne!(out.status.code(), Some(0), "{}", output_text(&out));
    if env.join("data").exists() {
        scan(&env.join("data"));
    }

    // No [smtp]: written to the outbox; then the case exported.
    let env = zendesk_over_smtp(1, "privacy");
    let config = env.read("dsr.toml");
    env.write("dsr.toml", &config[..config.find("[smtp]").unwrap()]);
    let out = de(&env, &send);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let out = de(&env, &["evidence", "export", &request, "--out", "bundle"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    scan(&env.join("data"));
    scan(&env.join("bundle"));

    assert!(scanned > 10, "only {scanned} text files scanned");
    assert!(leaks.is_empty(), "German interface text in the evidence:\n{}", leaks.join("\n"));
}
