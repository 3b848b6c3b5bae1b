//! Writes a synthetic format-2 evidence log like months of `dsr send`, for
//! benchmarks (`benches/evidence_v2.sh`).
//!
//! `cargo run --release --example make_signed_log -- DATA_DIR LINES`
//!
//! After the header, each case is what one `dsr send` logs: a `prepared`
//! line (a full `dsr::case::event::Prepared` naming five shared objects),
//! a `sent` line (linked to it by `data.request_prev`) and the `checkpoint`
//! line signed after the command (a fixed benchmark key,
//! `Signer::from_seed("bench", [7; 32])`), until the log has LINES lines.
//! The lines are written directly in the layout `docs/evidence-log.md`
//! specifies, not through `dsr::evidence::Log`, which would fsync twice per
//! case; `dsr log verify` on the result checks that they are right.

use dsr::address::EmailAddress;
use dsr::case::event::{Event, Prepared, Route, Sent, role};
use dsr::deadline::CalendarCode;
use dsr::evidence::merkle::{CompactRange, leaf_hash};
use dsr::evidence::note::{Checkpoint, Signer};
use dsr::evidence::{NewEvent, RequestId, Sha256, Store, format_time, parse_time};
use dsr::kind::LetterKind;
use dsr::lang::Lang;
use dsr::mail::MessageId;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// The benchmark log's origin.
const ORIGIN: &str = "dsr-evidence-log/bench0000000000000000000000000000";

struct Writer {
    out: BufWriter<std::fs::File>,
    seq: u64,
    prev: Sha256,
    tree: CompactRange,
}

impl Writer {
    fn line(&mut self, e: &NewEvent) -> std::io::Result<()> {
        let request = e.request.as_ref().map_or("null".to_string(), |r| format!("\"{r}\""));
        let line = format!(
            "{{\"seq\":{},\"time\":\"{}\",\"event\":\"{}\",\"request\":{request},\"data\":{},\"prev\":\"{}\"}}",
            self.seq,
            format_time(&e.time),
            e.event,
            serde_json::to_string(&e.data).expect("data serializes"),
            self.prev
        );
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.prev = Sha256::digest(line.as_bytes());
        self.tree.append(leaf_hash(line.as_bytes()));
        self.seq += 1;
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: make_signed_log DATA_DIR LINES";
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let lines: u64 = args.next().ok_or(usage)?.parse()?;
    std::fs::create_dir_all(&dir)?;
    let store = Store::new(&dir);
    let objects = vec![
        store.put(b"Message-ID: <bench@beispiel-handel.example>\r\n\r\nPlease erase.")?.with_role(role::MESSAGE),
        store
            .put(br#"{"mail_from":"datenschutz@beispiel-handel.example","rcpt_to":["privacy@example.com"]}"#)?
            .with_role(role::ENVELOPE),
        store.put(b"Erasure request under Art. 17 GDPR\n\nDear Sir or Madam, ...")?.with_role(role::LETTER),
        store.put(b"Identity verification record ...")?.with_role(role::IDENTITY_TXT),
        store.put(br#"{"format":"dsr-identity/1"}"#)?.with_role(role::IDENTITY_JSON),
    ];
    let signer = Signer::from_seed("bench", [7; 32])?;
    let key = signer.verifier().to_string();
    let start = parse_time("2026-01-01T00:00:00Z").ok_or("time")?;
    let mut w = Writer {
        out: BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("log.jsonl"))?),
        seq: 0,
        prev: Sha256::ZERO,
        tree: CompactRange::default(),
    };
    let header = serde_json::json!({ "format": "dsr-evidence-log/2", "origin": ORIGIN });
    w.line(&NewEvent::new(start, "log_created", None, header))?;
    let mut i = 0u64;
    while w.seq < lines {
        let mut random = [0u8; 10];
        random[2..].copy_from_slice(&i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes());
        let request = RequestId::from_random(random);
        let time = start + chrono::Duration::seconds(i as i64 * 30);
        let message_id: MessageId =
            format!("{:032x}@beispiel-handel.example", u128::from(i) * 0x1000_0000_0001).parse()?;
        let to: Vec<EmailAddress> = vec!["privacy@zendesk.example".parse()?];
        let prepared = Prepared {
            kind: LetterKind::Erasure,
            policy: "zendesk".parse()?,
            company: "Zendesk International Ltd.".into(),
            lang: Lang::En,
            calendar: CalendarCode::Ie,
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
            // The reply text object is left out: shared objects only.
            objects: Vec::new(),
        };
        let prepared_seq = w.seq;
        w.line(&Event::Prepared(prepared).into_new(time, request.clone()))?;
        let mut sent = Event::Sent(sent).into_new(time, request);
        sent.data["request_prev"] = prepared_seq.into();
        w.line(&sent)?;
        if w.seq < lines {
            let cp = Checkpoint { origin: ORIGIN.into(), size: w.seq, root: w.tree.root() };
            let data = serde_json::json!({ "key": key, "note": signer.sign(&cp.body()) });
            w.line(&NewEvent::new(time, "checkpoint", None, data))?;
        }
        i += 1;
    }
    w.out.flush()?;
    eprintln!("{}: {} lines, {i} cases, key {key}", dir.join("log.jsonl").display(), w.seq);
    Ok(())
}
