//! Writes a synthetic evidence log for benchmarks (`benches/log_verify.sh`).
//!
//! `cargo run --release --example make_log -- DATA_DIR EVENTS`
//!
//! Events look like a real send workflow (`prepared` naming a message and
//! an attachment, then `sent` with the SMTP reply), written through
//! `dsr::evidence::Log` in groups of 10,000 (one fsync each).

use dsr::case::event::Name;
use dsr::evidence::{Log, NewEvent, RequestId, parse_time};
use serde_json::json;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: make_log DATA_DIR EVENTS")?);
    let n: u64 = args.next().ok_or("usage: make_log DATA_DIR EVENTS")?.parse()?;
    let mut log = Log::open(&dir)?;
    let message = log.store().put(b"Message-ID: <bench@example.org>\r\n\r\nPlease erase.")?;
    let attachment = log.store().put(b"identity-verification.json bytes")?;
    let start = parse_time("2026-01-01T00:00:00Z").ok_or("time")?;
    let mut written = log.next_seq().saturating_sub(1);
    while written < n {
        let batch = (n - written).min(10_000);
        let mut events = Vec::with_capacity(batch as usize);
        for i in written..written + batch {
            let request = RequestId::from_random((i / 2).to_be_bytes()[..].try_into().map(|b: [u8; 8]| {
                let mut r = [0u8; 10];
                r[2..].copy_from_slice(&b);
                r
            })?);
            let time = start + chrono::Duration::seconds(i as i64);
            let event = if i % 2 == 0 {
                NewEvent::new(
                    time,
                    Name::Prepared.as_str(),
                    Some(request),
                    json!({"objects": [message.with_role("message"), attachment.with_role("identity_record")]}),
                )
            } else {
                NewEvent::new(
                    time,
                    Name::Sent.as_str(),
                    Some(request),
                    json!({"reply": "250 2.0.0 Ok: queued as 4F2A9C1E0B"}),
                )
            };
            events.push(event);
        }
        log.append_group(events)?;
        written += batch;
    }
    eprintln!("{}: {} lines", dir.join("log.jsonl").display(), log.next_seq());
    Ok(())
}
