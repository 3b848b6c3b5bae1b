//! The interface language for the mail messages (issue 17 point 11): each
//! in English and in German, pinned in `tests/golden/i18n/{en,de}/`.
//!
//! Mail (a DKIM key that is not one, a line break headed for a header, a
//! file that is not an email), the mailbox (no `[imap]`, an `[imap]`
//! without a user name, an IMAP server that cannot be reached, a file that
//! is no delivery report), letters (a user template with a missing
//! variable, one with broken syntax) and an outboxed message compared with
//! a file that is not its sent copy. None of them logs anything, so the
//! German run meets the same situation as the English one.

use crate::i18n::{NOW, both, run};
use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{output_text, zendesk_over_smtp};

/// Sending and letters: the DKIM key, a header injection, user templates.
#[test]
fn mail_and_letter_errors_in_english_and_german() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "privacy");
    let p = env.placeholders().with("[PORT]", server.port());
    let config = env.read("dsr.toml");
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let mut failures = Vec::new();

    // A DKIM key file that holds no key.
    env.write("dkim.pem", "this is not a key\n");
    env.write(
        "dsr.toml",
        format!(
            "{config}\n[dkim]\ndomain = \"beispiel-handel.example\"\nselector = \"dsr2026\"\nalgorithm = \"rsa\"\n\
             key_file = \"dkim.pem\"\n"
        ),
    );
    both(&env, "mail-dkim-not-a-key", NOW, &send, &p, &mut failures);
    env.write(
        "dsr.toml",
        format!(
            "{config}\n[dkim]\ndomain = \"beispiel-handel.example\"\nselector = \"dsr2026\"\n\
             algorithm = \"ed25519\"\nkey_file = \"dkim.pem\"\n"
        ),
    );
    both(&env, "mail-dkim-not-an-ed25519-key", NOW, &send, &p, &mut failures);

    // A line break in the data subject's name (the From name): refused when the subject file is read.
    env.write("dsr.toml", &config);
    env.write(
        "crlf.toml",
        env.read("subject.toml").replace("name = \"Erika Mustermann\"", "name = \"Erika\\r\\nBcc: x@y.example\""),
    );
    let crlf = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "crlf.toml"];
    both(&env, "mail-name-with-line-break", NOW, &crlf, &p, &mut failures);

    // User templates: a variable the context does not have, broken syntax.
    env.write("dsr.toml", format!("templates_dir = \"tpl\"\n{config}"));
    let render = ["render", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    env.write("tpl/en/erasure.subject.hbs", "Erasure {{subjekt.name}}\n");
    env.write("tpl/de/erasure.subject.hbs", "Löschung {{subjekt.name}}\n");
    both(&env, "letter-template-missing-variable", NOW, &render, &p, &mut failures);
    env.write("tpl/en/erasure.subject.hbs", "Erasure {{sender.name}\n");
    env.write("tpl/de/erasure.subject.hbs", "Löschung {{sender.name}\n");
    both(&env, "letter-template-syntax", NOW, &render, &p, &mut failures);
    env.write("tpl/en/erasure.subject.hbs", "Erasure\n{{sender.name}}\n");
    env.write("tpl/de/erasure.subject.hbs", "Löschung\n{{sender.name}}\n");
    both(&env, "letter-template-multiline-subject", NOW, &render, &p, &mut failures);
    std::fs::remove_dir_all(env.join("tpl")).unwrap();
    std::fs::create_dir_all(env.join("tpl/fr")).unwrap();
    both(&env, "letter-template-unknown-language", NOW, &render, &p, &mut failures);

    assert!(!env.join("data/log.jsonl").exists(), "no error above may log anything");
    assert!(server.messages().is_empty(), "nothing was sent");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The mailbox, reports and copies: `dsr mail sync` without `[imap]`, with
/// an incomplete one, against a port where nothing listens; `dsr mail
/// import`, `dsr reply --eml` and `dsr dispatched --eml` with files that
/// are not what they should be.
#[test]
fn mailbox_and_received_mail_errors_in_english_and_german() {
    // No SMTP server: the letter goes to the outbox.
    let env = zendesk_over_smtp(1, "privacy");
    let config = env.read("dsr.toml");
    let config = config.split("\n[smtp]").next().unwrap().to_string();
    env.write("dsr.toml", &config);
    let p = env.placeholders();
    let mut failures = Vec::new();

    both(&env, "mail-sync-no-imap", NOW, &["mail", "sync"], &p, &mut failures);
    env.write("dsr.toml", format!("{config}\n[imap]\nhost = \"127.0.0.1\"\nport = 993\npassword_file = \"pw\"\n"));
    both(&env, "mail-sync-imap-incomplete", NOW, &["mail", "sync"], &p, &mut failures);
    let (closed, refused) = crate::support::closed_port();
    env.write("pw", "secret\n");
    env.write(
        "dsr.toml",
        format!(
            "{config}\n[imap]\nhost = \"127.0.0.1\"\nport = {closed}\ntls = \"tls\"\nusername = \"anna\"\n\
             password_file = \"pw\"\ntimeout_secs = 5\n"
        ),
    );
    let p_closed = env.placeholders().with("[PORT]", closed).with("[REFUSED]", &refused);
    both(&env, "mail-sync-cannot-connect", NOW, &["mail", "sync"], &p_closed, &mut failures);
    env.write("dsr.toml", &config);

    // A file that is an email but no delivery report.
    let plain = "From: privacy@mueller-soehne.example\r\nTo: datenschutz@beispiel-handel.example\r\n\
                 Subject: Hello\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <x-1@mueller-soehne.example>\r\n\
                 \r\nHello.\r\n";
    env.write("plain.eml", plain);
    both(&env, "mail-import-not-a-report", NOW, &["mail", "import", "plain.eml"], &p, &mut failures);
    assert!(!env.join("data/log.jsonl").exists(), "no error above may log anything");

    // One case, written to the outbox.
    let out = run(&env, "en", NOW, &["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let p = env.placeholders().with("[REQUEST]", &request);
    env.write("notes.txt", "Called them on Monday; they will answer by letter.\n");
    let reply = ["reply", &request, "--eml", "notes.txt", "--outcome", "acknowledged"];
    both(&env, "reply-eml-not-an-email", NOW, &reply, &p, &mut failures);
    let dispatched = ["dispatched", &request, "--via", "email", "--eml", "notes.txt"];
    both(&env, "dispatched-eml-not-an-email", NOW, &dispatched, &p, &mut failures);
    assert_eq!(env.read("data/log.jsonl"), log, "no error above may log anything");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
