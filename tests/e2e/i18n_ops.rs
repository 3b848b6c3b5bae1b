//! The interface language for messages of src/ops (issue 17 point 11):
//! each in English and in German, pinned in `tests/golden/i18n/{en,de}/`.
//!
//! `dsr dispatched` (a sent copy without Message-ID, of another message,
//! dated in the future; a letter for post that is not waiting; a tracking
//! number that is none; a day of receipt before the posting), `dsr reply`
//! to a request never sent, `dsr send --retry` without `[smtp]` and
//! `--readdress` of a case nothing refused. None of them logs anything,
//! so the German run meets the same situation as the English one.

use crate::i18n::{NOW, both, run};
use crate::support::{TestEnv, output_text, zendesk_over_smtp};

/// The one `.eml` in the outbox.
fn outboxed(env: &TestEnv) -> String {
    let dir = env.join("data/outbox");
    let eml = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "eml"))
        .unwrap();
    std::fs::read_to_string(eml).unwrap()
}

/// An email case in the outbox (no `[smtp]`): recording it, replying to
/// it, re-sending and readdressing it.
#[test]
fn dispatched_reply_retry_and_readdress_errors_in_english_and_german() {
    let env = zendesk_over_smtp(1, "privacy");
    let config = env.read("dsr.toml");
    let config = config.split("\n[smtp]").next().unwrap().to_string();
    env.write("dsr.toml", &config);
    let out = run(&env, "en", NOW, &["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let p = env.placeholders().with("[REQUEST]", &request);
    let mut failures = Vec::new();

    // Sent copies: without Message-ID, of another message, dated in the future.
    let eml = outboxed(&env);
    let id = eml.split("\r\n").find_map(|l| l.strip_prefix("Message-ID: <")).unwrap().trim_end_matches('>').to_string();
    let p = p.with("[MESSAGE_ID]", &id);
    let no_id: String = eml.split("\r\n").filter(|l| !l.starts_with("Message-ID:")).collect::<Vec<_>>().join("\r\n");
    env.write("no-id.eml", &no_id);
    let dispatched = |file: &'static str| ["dispatched", request.as_str(), "--via", "email", "--eml", file];
    both(&env, "dispatched-copy-without-message-id", NOW, &dispatched("no-id.eml"), &p, &mut failures);
    let other: String = eml
        .split("\r\n")
        .map(|l| if l.starts_with("Message-ID:") { "Message-ID: <other-1@mail.example>" } else { l })
        .collect::<Vec<_>>()
        .join("\r\n");
    env.write("other.eml", &other);
    both(&env, "dispatched-copy-of-another-message", NOW, &dispatched("other.eml"), &p, &mut failures);
    let future: String = eml
        .split("\r\n")
        .map(|l| if l.starts_with("Date:") { "Date: Thu, 10 Dec 2026 10:00:00 +0000" } else { l })
        .collect::<Vec<_>>()
        .join("\r\n");
    env.write("future.eml", &future);
    both(&env, "dispatched-copy-dated-in-the-future", NOW, &dispatched("future.eml"), &p, &mut failures);

    // Post: no letter for post waits; a tracking number that is none.
    let post = ["dispatched", &request, "--via", "post", "--date", "2026-11-30"];
    both(&env, "dispatched-no-letter-for-post", NOW, &post, &p, &mut failures);
    let tracking = ["dispatched", &request, "--via", "post", "--date", "2026-11-30", "--tracking", "RR1;2"];
    both(&env, "dispatched-bad-tracking-number", NOW, &tracking, &p, &mut failures);

    // A reply to a request dsr never sent.
    env.write(
        "reply.eml",
        "From: privacy@zendesk.example\r\nTo: erika@example.org\r\nSubject: Re: your request\r\n\
         Date: Mon, 30 Nov 2026 08:00:00 +0000\r\nMessage-ID: <r-1@zendesk.example>\r\n\r\nWe are on it.\r\n",
    );
    let reply = ["reply", &request, "--eml", "reply.eml", "--outcome", "acknowledged"];
    both(&env, "reply-to-a-request-never-sent", NOW, &reply, &p, &mut failures);

    // Re-sending without [smtp]; readdressing a case nothing refused; an address that is none.
    both(&env, "send-retry-without-smtp", NOW, &["send", "--retry", &request], &p, &mut failures);
    let readdress = ["send", "--readdress", &request, "--to-address", "dpo@zendesk.example"];
    both(&env, "send-readdress-nothing-refused", NOW, &readdress, &p, &mut failures);
    let bad = ["send", "--readdress", &request, "--to-address", "not an address"];
    both(&env, "send-readdress-bad-address", NOW, &bad, &p, &mut failures);

    assert_eq!(env.read("data/log.jsonl"), log, "no error above may log anything");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A letter for post: posted in the future, received before it was posted.
#[test]
fn dispatched_post_errors_in_english_and_german() {
    let env = TestEnv::new();
    env.write("dsr.toml", crate::support::TEST_CONFIG);
    let s = crate::support::subject_with_address(&env);
    let now = "2026-12-02T09:00:00Z";
    let send = ["send", "--to", "facebook", "--kind", "erasure", "--subject", s.as_str(), "--via", "post"];
    let out = run(&env, "en", now, &send);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let request = log.lines().find_map(|l| l.split("\"request\":\"").nth(1)).unwrap()[..18].to_string();
    let p = env.placeholders().with("[REQUEST]", &request);
    let mut failures = Vec::new();

    let future = ["dispatched", &request, "--via", "post", "--date", "2026-12-05"];
    both(&env, "dispatched-posted-in-the-future", now, &future, &p, &mut failures);
    let early = ["dispatched", &request, "--via", "post", "--date", "2026-12-01"];
    both(&env, "dispatched-posted-before-written", now, &early, &p, &mut failures);
    let receipt = ["dispatched", &request, "--via", "post", "--received-on", "2026-12-02"];
    both(&env, "dispatched-receipt-before-posting-recorded", now, &receipt, &p, &mut failures);
    assert_eq!(env.read("data/log.jsonl"), log, "no error above may log anything");

    // Posted today; a day of receipt before it.
    let out =
        run(&env, "en", "2026-12-03T17:00:00Z", &["dispatched", &request, "--via", "post", "--date", "2026-12-03"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let before = ["dispatched", &request, "--via", "post", "--received-on", "2026-12-02"];
    both(&env, "dispatched-received-before-posted", "2026-12-04T09:00:00Z", &before, &p, &mut failures);
    assert_eq!(env.read("data/log.jsonl"), log, "no error above may log anything");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Two cases sent by SMTP: a reply threaded to the one, recorded for the
/// other; a reply recorded twice.
#[test]
fn reply_errors_of_sent_cases_in_english_and_german() {
    let server = crate::support::smtp::SmtpServer::start(crate::support::smtp::SmtpOptions::default());
    let env = zendesk_over_smtp(server.port(), "privacy");
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    let out = run(&env, "en", NOW, &send);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let again = [&send[..], &["--again", "test: a second request"]].concat();
    let out = run(&env, "en", NOW, &again);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    let field = |event: &str, key: &str| -> Vec<String> {
        log.lines()
            .filter(|l| l.contains(&format!("\"event\":\"{event}\"")))
            .map(|l| l.split(&format!("\"{key}\":\"")).nth(1).unwrap().split('"').next().unwrap().to_string())
            .collect()
    };
    let requests = field("prepared", "request");
    let ids = field("prepared", "message_id");
    let (a, b) = (&requests[0], &requests[1]);
    let p = env
        .placeholders()
        .with("[REQUEST_A]", a)
        .with("[REQUEST_B]", b)
        .with("[MESSAGE_A]", &ids[0])
        .with("[PORT]", server.port());
    let mut failures = Vec::new();

    env.write(
        "reply.eml",
        format!(
            "From: privacy@zendesk.example\r\nTo: erika@example.org\r\nSubject: Re: your request\r\n\
             Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <r-1@zendesk.example>\r\nIn-Reply-To: <{}>\r\n\
             \r\nWe are on it.\r\n",
            ids[0]
        ),
    );
    let elsewhere = ["reply", b.as_str(), "--eml", "reply.eml", "--outcome", "acknowledged"];
    both(&env, "reply-threaded-to-another-case", NOW, &elsewhere, &p, &mut failures);
    assert_eq!(env.read("data/log.jsonl"), log, "no error above may log anything");

    let reply = ["reply", a.as_str(), "--eml", "reply.eml", "--outcome", "acknowledged"];
    let out = run(&env, "en", NOW, &reply);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let log = env.read("data/log.jsonl");
    both(&env, "reply-recorded-twice", NOW, &reply, &p, &mut failures);
    let same = ["reply", a.as_str(), "--amend", "--outcome", "acknowledged"];
    both(&env, "reply-amend-same-outcome", NOW, &same, &p, &mut failures);
    assert_eq!(env.read("data/log.jsonl"), log, "no error above may log anything");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
