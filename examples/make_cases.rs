//! Writes a synthetic evidence log of N cases for benchmarks
//! (`benches/status.sh`).
//!
//! `cargo run --release --example make_cases -- DATA_DIR CASES`
//!
//! Each case is a `prepared` line (a full `dsr::case::event::Prepared`
//! payload naming five objects, as `dsr send` writes it) and a `sent` line
//! (`Sent`, with the SMTP reply), written through `dsr::evidence::Log` in
//! groups of 10,000 lines (one fsync each). The five objects are stored
//! once and shared, since `dsr status` never reads objects. Sending times
//! spread over the 400 days before 2026-11-28, so some cases are overdue
//! and some are not; companies and calendars rotate through a small list.

use dsr::address::EmailAddress;
use dsr::case::event::{Event, Prepared, Route, Sent, role};
use dsr::deadline::CalendarCode;
use dsr::evidence::{Log, RequestId, parse_time};
use dsr::kind::LetterKind;
use dsr::lang::Lang;
use dsr::mail::MessageId;
use std::path::PathBuf;

const COMPANIES: [(&str, &str, CalendarCode, Lang); 4] = [
    ("zendesk", "Zendesk International Ltd.", CalendarCode::Ie, Lang::En),
    ("example-de", "Beispiel Versand GmbH", CalendarCode::DeBe, Lang::De),
    ("example-by", "Muster Reisen AG", CalendarCode::DeBy, Lang::De),
    ("example-nw", "Rheinland Shop GmbH & Co. KG", CalendarCode::DeNw, Lang::De),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: make_cases DATA_DIR CASES";
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let n: u64 = args.next().ok_or(usage)?.parse()?;
    let mut log = Log::open(&dir)?;
    let store = log.store().clone();
    let objects = vec![
        store.put(b"Message-ID: <bench@beispiel-handel.example>\r\n\r\nPlease erase.")?.with_role(role::MESSAGE),
        store
            .put(br#"{"mail_from":"datenschutz@beispiel-handel.example","rcpt_to":["privacy@example.com"]}"#)?
            .with_role(role::ENVELOPE),
        store.put(b"Erasure request under Art. 17 GDPR\n\nDear Sir or Madam, ...")?.with_role(role::LETTER),
        store.put(b"Identity verification record ...")?.with_role(role::IDENTITY_TXT),
        store.put(br#"{"format":"dsr-identity/1"}"#)?.with_role(role::IDENTITY_JSON),
    ];
    let start = parse_time("2026-11-28T00:00:00Z").ok_or("time")? - chrono::Duration::days(400);
    // 400 days spread over n cases, in whole seconds, never going back.
    let step = (400 * 86_400 / n.max(1)).max(1) as i64;
    let mut case = 0u64;
    while case < n {
        let batch = (n - case).min(5_000);
        let mut events = Vec::with_capacity(2 * batch as usize);
        for i in case..case + batch {
            let mut random = [0u8; 10];
            random[2..].copy_from_slice(&i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes());
            let request = RequestId::from_random(random);
            let (policy, company, calendar, lang) = COMPANIES[(i % 4) as usize];
            let time = start + chrono::Duration::seconds(i as i64 * step);
            let message_id: MessageId =
                format!("{:032x}@beispiel-handel.example", u128::from(i) * 0x1000_0000_0001).parse()?;
            let to: Vec<EmailAddress> = vec![format!("privacy@{policy}.example").parse()?];
            let prepared = Prepared {
                kind: LetterKind::Erasure,
                policy: policy.parse()?,
                company: company.into(),
                lang,
                calendar,
                to: to.clone(),
                cc: Vec::new(),
                message_id: message_id.clone(),
                stated_deadline: Some((time + chrono::Duration::days(30)).date_naive()),
                confirm_by: None,
                confirmed: Vec::new(),
                in_reply_to: None,
                authority: None,
                route: Route::Smtp,
                batch_key: None,
                readdresses: None,
                objects: objects.clone(),
            };
            let sent = Sent {
                message_id,
                attempt: 1,
                server: "smtp.beispiel-handel.example:587".into(),
                tls: true,
                code: 250,
                reply: None,
                queue_id: Some(format!("{i:010X}")),
                recipients: to,
                dsn: false,
                // The reply text object is left out: the status benchmark
                // folds the log, it does not read objects.
                objects: Vec::new(),
            };
            events.push(Event::Prepared(prepared).into_new(time, request.clone()));
            events.push(Event::Sent(sent).into_new(time, request));
        }
        log.append_group(events)?;
        case += batch;
    }
    eprintln!("{}: {} cases, {} lines", dir.join("log.jsonl").display(), n, log.next_seq());
    Ok(())
}
