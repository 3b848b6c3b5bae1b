//! Delivery reports and read receipts: `dsr send` through a real Postfix
//! (`tests/support/postfix.rs`) that offers DSN, the delivery status
//! notifications Postfix itself sends back to the sender's Maildir, and
//! `dsr mail import` filing them as `delivered`, `delayed` and `bounced`;
//! a read receipt as `read`; the same report imported twice recorded once;
//! a report without dates; and issue 15's acceptance path through Postfix
//! and Dovecot together (`acceptance_…`).

use crate::support::imap::{Dovecot, PASSWORD};
use crate::support::postfix::{Postfix, Setup};
use crate::support::{TestEnv, repo, smtp_plain};
use serde_json::Value;
use std::path::{Path, PathBuf};

const COMPANY: &str = "mueller-soehne.example";
/// The example subject's address: the envelope sender, where DSNs go.
const SENDER: &str = "erika.mustermann@beispiel-handel.example";

const CONFIG: &str = r#"
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

fn setup(to_local: &str, port: u16) -> TestEnv {
    let env = TestEnv::new();
    let original = std::fs::read_to_string(repo().join("policies/zendesk.toml")).unwrap();
    env.write("policies/zendesk.toml", original.replace("euprivacy@zendesk.com", &format!("{to_local}@{COMPANY}")));
    env.write("dsr.toml", format!("{CONFIG}{}", smtp_plain(port)));
    env
}

fn dsr(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env.dsr(args).output().expect("run dsr");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8");
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

/// Sends the README's erasure request; its request id and Message-ID.
fn send(env: &TestEnv) -> (String, String) {
    let subject = repo().join("examples/subject-person.toml").display().to_string();
    let (code, out, err) = dsr(env, &["send", "--to", "zendesk", "--kind", "erasure", "--subject", &subject]);
    assert_eq!(code, 0, "{out}{err}");
    let ev = events(env);
    let sent = ev.iter().find(|e| e["event"] == "sent").expect("a sent event");
    assert_eq!(sent["data"]["dsn"], true, "Postfix offers DSN, so dsr asked for it: {sent}");
    (sent["request"].as_str().unwrap().into(), sent["data"]["message_id"].as_str().unwrap().into())
}

fn events(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

fn import(env: &TestEnv, file: &Path) -> (i32, String, String) {
    dsr(env, &["mail", "import", &file.display().to_string()])
}

/// The DSN for `request` whose recipient block says `action`.
fn report(postfix: &Postfix, request: &str, action: &str) -> PathBuf {
    let all = postfix.wait_for(SENDER, 1, &format!("Action: {action}"));
    all.into_iter()
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(request)))
        .unwrap_or_else(|| panic!("no '{action}' DSN for {request}:\n{}", postfix.log()))
}

#[test]
fn postfix_dsns_become_delivered_delayed_and_bounced_and_a_report_is_recorded_once() {
    let postfix = Postfix::start(&[COMPANY, "beispiel-handel.example"], &[&format!("privacy@{COMPANY}"), SENDER]);
    let ok = setup("privacy", postfix.port());
    let late = setup("delay", postfix.port());
    let bad = setup("bounce", postfix.port());
    let (ok_id, ok_mid) = send(&ok);
    let (late_id, _) = send(&late);
    let (bad_id, _) = send(&bad);

    // The company's copy arrived; Postfix reports its delivery.
    let delivered = postfix.wait_for(&format!("privacy@{COMPANY}"), 1, &ok_mid);
    assert_eq!(delivered.len(), 1);
    let dsn = report(&postfix, &ok_id, "delivered");
    let before = events(&ok).len();
    let (code, out, err) = import(&ok, &dsn);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("{ok_id} delivered <{ok_mid}>")), "{out}");
    let ev = events(&ok);
    assert_eq!(ev.len(), before + 1);
    let last = &ev[before];
    assert_eq!((last["event"].as_str(), last["request"].as_str()), (Some("delivered"), Some(ok_id.as_str())));
    assert_eq!(last["data"]["envelope_id"], ok_id.as_str());
    assert_eq!(last["data"]["recipients"][0]["action"], "delivered");
    assert_eq!(last["data"]["recipients"][0]["status"], "2.0.0");
    assert_eq!(last["data"]["source"], "file");
    // The report is stored byte for byte.
    let sha = last["data"]["objects"][0]["sha256"].as_str().unwrap();
    let stored = std::fs::read(ok.join("data/objects").join(&sha[..2]).join(&sha[2..])).unwrap();
    assert_eq!(stored, std::fs::read(&dsn).unwrap());
    // The same report again: recorded once.
    let (code, out, err) = import(&ok, &dsn);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("already recorded at log line {}", last["seq"])), "{out}");
    assert_eq!(events(&ok).len(), before + 1, "a second import appended a line");
    let (_, show, _) = dsr(&ok, &["show", &ok_id]);
    assert!(show.contains("state     sent"), "{show}");
    assert!(show.contains("delivered 20"), "{show}");
    let (_, status, _) = dsr(&ok, &["status"]);
    assert!(status.contains("(delivered 20"), "{status}");

    // Deferred by the company's side: a real delay warning.
    let dsn = report(&postfix, &late_id, "delayed");
    let (code, out, err) = import(&late, &dsn);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(events(&late).last().unwrap()["event"], "delayed");
    let (_, show, _) = dsr(&late, &["show", &late_id]);
    assert!(show.contains("state     sent"), "a delay does not fail the case: {show}");

    // Accepted by the relay, then refused: a bounce.
    let dsn = report(&postfix, &bad_id, "failed");
    let (code, out, err) = import(&bad, &dsn);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("send the letter to a corrected address with `dsr send --readdress"), "{err}");
    let last = events(&bad).last().unwrap().clone();
    assert_eq!(last["event"], "bounced");
    assert_eq!(last["data"]["recipients"][0]["status"], "5.1.1");
    let (_, status, _) = dsr(&bad, &["status"]);
    assert!(status.contains("delivery-failed"), "{status}");
    let (_, show, _) = dsr(&bad, &["show", &bad_id]);
    assert!(show.contains("state     delivery-failed"), "{show}");
    assert!(show.contains("--retry` would send the same bytes"), "{show}");
    // A report for another data directory's case matches nothing here.
    let (code, _, err) = import(&ok, &dsn);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no case has the message this report is about"), "{err}");
}

#[test]
fn a_read_receipt_becomes_read_and_a_reply_is_not_a_report() {
    let postfix = Postfix::start(&[COMPANY, "beispiel-handel.example"], &[&format!("privacy@{COMPANY}"), SENDER]);
    let env = setup("privacy", postfix.port());
    let (id, mid) = send(&env);
    // A read receipt as a mail client (Thunderbird) writes it (RFC 8098).
    let mdn = format!(
        "From: privacy@{COMPANY}\r\nTo: {SENDER}\r\nSubject: Read: Antrag auf Löschung\r\nDate: Wed, 2 Dec 2026 \
         09:00:00 +0100\r\nMessage-ID: <mdn-1@{COMPANY}>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; \
         report-type=disposition-notification;\r\n boundary=\"mdn\"\r\n\r\n--mdn\r\nContent-Type: text/plain; \
         charset=UTF-8\r\n\r\nThe message was displayed.\r\n\r\n--mdn\r\nContent-Type: \
         message/disposition-notification\r\n\r\nReporting-UA: client.{COMPANY}; Thunderbird\r\nFinal-Recipient: \
         rfc822;privacy@{COMPANY}\r\nOriginal-Message-ID: <{mid}>\r\nDisposition: \
         manual-action/MDN-sent-manually; displayed\r\n\r\n--mdn--\r\n"
    );
    let file = env.write("mdn.eml", mdn);
    let (code, out, err) = import(&env, &file);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("{id} read <{mid}>")), "{out}");
    let last = events(&env).last().unwrap().clone();
    assert_eq!(last["event"], "read");
    assert_eq!(last["data"]["disposition"], "displayed");
    let (code, _, _) = import(&env, &file);
    assert_eq!(code, 0);
    assert_eq!(events(&env).iter().filter(|e| e["event"] == "read").count(), 1);
    // The company's copy is a plain message, not a report.
    let copy = postfix.wait_for(&format!("privacy@{COMPANY}"), 1, &mid).remove(0);
    let (code, _, err) = import(&env, &copy);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a delivery report or read receipt"), "{err}");
}

/// Issue 15's acceptance path, end to end through the real servers:
/// `dsr send` → Postfix (the relay) → the company's MX → the company's
/// Maildir; Postfix's own success report → the sender's Maildir, which is
/// the very Maildir Dovecot serves → `dsr mail sync` → `delivered` with
/// the MX's name and its 250 reply; the company's reply submitted to
/// Postfix for the sender → the same Maildir → sync → matched by its
/// thread, suggested, confirmed with `dsr reply --message`; `status` and
/// `show` checked at each step; a second sync fetches nothing.
#[test]
fn acceptance_send_postfix_dsn_and_reply_through_dovecot_to_a_confirmed_outcome() {
    let imap = Dovecot::start();
    let setup_pf = Setup { into: vec![(SENDER, imap.maildir(), imap.owner())], via_mx: true };
    let postfix =
        Postfix::start_with(&[COMPANY, "beispiel-handel.example"], &[&format!("privacy@{COMPANY}"), SENDER], &setup_pf);
    let env = setup("privacy", postfix.port());
    let config = env.read("dsr.toml");
    env.write("dsr.toml", format!("{config}{}", imap.config("tls")));
    let sync = || {
        let out = env.cmd().env("DSR_IMAP_PASSWORD", PASSWORD).args(["mail", "sync"]).output().unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (out.status.code(), text(out.stdout), text(out.stderr))
    };
    let status_line = |id: &str| {
        let (code, out, err) = dsr(&env, &["status"]);
        assert_eq!(code, 0, "{out}{err}");
        out.lines().find(|l| l.starts_with(id)).unwrap_or_else(|| panic!("no row for {id}:\n{out}")).to_string()
    };

    // 1. Sent: the relay's 250.
    let (id, mid) = send(&env);
    let row = status_line(&id);
    assert!(row.contains("  sent  ") && !row.contains("delivered"), "{row}");
    let (_, show, _) = dsr(&env, &["show", &id]);
    assert!(show.contains("state     sent") && !show.contains("\ndelivered "), "{show}");
    // The company's MX delivered it to the company's Maildir.
    let company = postfix.wait_for(&format!("privacy@{COMPANY}"), 1, &mid);
    assert_eq!(company.len(), 1);

    // 2. Postfix's own report, written by Postfix into Dovecot's Maildir
    // (nothing copied by the test).
    let dsn = report(&postfix, &id, "relayed");
    let real = std::fs::canonicalize(&dsn).unwrap();
    assert!(real.starts_with(std::fs::canonicalize(imap.maildir()).unwrap()), "into Dovecot's Maildir: {real:?}");
    let maildir_file = String::from_utf8(std::fs::read(&dsn).unwrap()).unwrap();
    let (code, out, err) = sync();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("0 recorded, 1 delivery report(s)"), "{out}");
    let ev = events(&env);
    let delivered: Vec<&Value> = ev.iter().filter(|e| e["event"] == "delivered").collect();
    assert_eq!(delivered.len(), 1, "{ev:#?}");
    let d = delivered[0];
    assert_eq!(d["request"], id.as_str());
    assert_eq!(d["data"]["source"], "imap");
    assert_eq!(d["data"]["folder"], "INBOX");
    assert!(d["data"]["uidvalidity"].is_u64() && d["data"]["uid"] == 1, "{d}");
    let r = &d["data"]["recipients"][0];
    assert_eq!(r["action"], "relayed", "{d}");
    assert_eq!(r["status"], "2.0.0");
    assert_eq!(r["remote_mta"], "dns; 127.0.0.1", "{d}");
    let diagnostic = r["diagnostic"].as_str().unwrap_or_else(|| panic!("the MX's reply: {d}"));
    assert!(diagnostic.starts_with("smtp; 250 2.0.0 Ok: queued as "), "{diagnostic}");
    let sha = d["data"]["objects"][0]["sha256"].as_str().unwrap();
    let stored = std::fs::read(env.join("data/objects").join(&sha[..2]).join(&sha[2..])).unwrap();
    assert!(stored == maildir_file.replace('\n', "\r\n").into_bytes(), "the report is stored as fetched");
    let row = status_line(&id);
    assert!(row.contains("  sent  ") && row.contains("(delivered 20"), "{row}");
    let (_, show, _) = dsr(&env, &["show", &id]);
    assert!(show.contains("\ndelivered 20"), "{show}");
    assert!(show.contains("delivery report: relayed 2.0.0 by dns; 127.0.0.1 (smtp; 250 2.0.0 Ok: queued as"), "{show}");
    // Synced again: the report is not fetched again (its line records
    // folder, UIDVALIDITY and UID), and nothing is recorded twice.
    let sessions = imap.sessions_ended();
    let (code, out, err) = sync();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("0 recorded, 0 delivery report(s) or read receipt(s) filed with their case, 0 already"),
        "{out}"
    );
    assert_eq!(imap.bodies_in_session(sessions + 1), 0, "the report was fetched again:\n{}", imap.log());
    assert_eq!(events(&env).iter().filter(|e| e["event"] == "delivered").count(), 1);

    // 3. The company answers in the request's thread, through Postfix.
    let reply_id = format!("ack-7@{COMPANY}");
    let reply = format!(
        "From: Privacy Team <privacy@{COMPANY}>\r\nTo: {SENDER}\r\nSubject: Re: Request for erasure\r\n\
         Date: Wed, 2 Dec 2026 10:00:00 +0100\r\nMessage-ID: <{reply_id}>\r\nIn-Reply-To: <{mid}>\r\n\
         References: <{mid}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n\
         Hello,\r\nwe have received your request and will answer within one month.\r\n"
    );
    postfix.submit(&format!("privacy@{COMPANY}"), SENDER, &reply);
    postfix.wait_for(SENDER, 1, &reply_id);
    let (code, out, err) = sync();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains(&format!("<{reply_id}>  → {id} (by in-reply-to)  suggested: acknowledged")), "{out}");
    assert!(out.contains("1 recorded, 0 delivery report(s)"), "{out}");
    assert!(status_line(&id).contains("reply received — classify"), "{}", status_line(&id));
    let (_, show, _) = dsr(&env, &["show", &id]);
    assert!(show.contains("state     reply received — classify"), "{show}");
    assert!(
        show.contains("message fetched from INBOX (UID 2), matched by in-reply-to, suggested: acknowledged"),
        "{show}"
    );

    // 4. A sync with nothing new fetches no message and records nothing.
    let n = events(&env).len();
    let sessions = imap.sessions_ended();
    let (code, out, err) = sync();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("0 recorded, 0 delivery report(s) or read receipt(s) filed with their case, 0 already"),
        "{out}"
    );
    assert_eq!(imap.bodies_in_session(sessions + 1), 0, "a message was fetched again:\n{}", imap.log());
    assert!(events(&env)[n..].iter().all(|e| e["event"] == "checkpoint"), "only checkpoints after the re-run");

    // 5. The user confirms the suggestion.
    let (code, out, err) = dsr(&env, &["reply", &id, "--message", &reply_id, "--outcome", "acknowledged"]);
    assert_eq!(code, 0, "{out}{err}");
    let row = status_line(&id);
    assert!(row.contains("acknowledged") && row.contains("(delivered 20"), "{row}");
    let (_, show, _) = dsr(&env, &["show", &id]);
    assert!(show.contains("state     acknowledged"), "{show}");
    assert_eq!(events(&env).iter().filter(|e| e["event"] == "delivered").count(), 1);
}

/// A delivery report without `Arrival-Date` and `Last-Attempt-Date` says
/// the company's server took the message, not when: the delivery time
/// stays unknown (not the time the report was imported), and the Art. 12(3)
/// period keeps counting from the relay's 250.
#[test]
fn a_dsn_without_dates_leaves_the_delivery_time_unknown_and_the_deadline_on_the_send() {
    let postfix = Postfix::start(&[COMPANY, "beispiel-handel.example"], &[&format!("privacy@{COMPANY}"), SENDER]);
    let env = setup("privacy", postfix.port());
    let (id, _) = send(&env);
    let row = |env: &TestEnv| -> Value {
        let (code, out, err) = dsr(env, &["status", "--json"]);
        assert_eq!(code, 0, "{out}{err}");
        let v: Value = serde_json::from_str(&out).expect("status --json");
        let rows = v.as_array().cloned().or_else(|| v["cases"].as_array().cloned()).expect("rows");
        rows.into_iter().find(|r| r["request"] == id.as_str()).expect("the case's row")
    };
    let before = row(&env);
    assert!(before["due"].is_string(), "{before}");
    // Postfix's real success DSN, its two date fields taken out.
    let dsn = std::fs::read_to_string(report(&postfix, &id, "delivered")).unwrap();
    assert!(dsn.contains("Arrival-Date:"), "{dsn}");
    let undated: String = dsn
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("Arrival-Date:") && !l.starts_with("Last-Attempt-Date:"))
        .collect();
    let file = env.write("undated.eml", undated);
    // Imported 40 days after sending: that day must not become the delivery.
    let late = (chrono::Utc::now() + chrono::Duration::days(40)).to_rfc3339();
    let out = env.dsr(&["mail", "import", &file.display().to_string()]).env("DSR_NOW", &late).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains(&format!("{id} delivered <")), "{stdout}");
    assert!(stdout.contains("the delivery time is unknown"), "{stdout}");
    let last = events(&env).last().unwrap().clone();
    assert_eq!(last["event"], "delivered");
    assert!(last["data"].get("arrival_date").is_none(), "{last}");
    assert!(last["data"]["recipients"][0].get("last_attempt").is_none(), "{last}");
    let after = row(&env);
    assert!(after.get("delivered_at").is_none(), "no made-up delivery time: {after}");
    assert_eq!(after["delivered_time_unknown"], true, "{after}");
    assert_eq!(after["due"], before["due"], "the period still counts from the send");
    assert_eq!(after["sent_at"], before["sent_at"]);
    let (_, show, _) = dsr(&env, &["show", &id]);
    assert!(show.contains("delivered time unknown"), "{show}");
    assert!(!show.contains("delivered 20"), "{show}");
    let (_, status, _) = dsr(&env, &["status"]);
    assert!(status.contains("(delivered, time unknown)"), "{status}");
}
