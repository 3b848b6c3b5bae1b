//! Messages per second of `dsr::mail::Mailer` on one connection, for
//! benches/batch.sh: the mailer's own path (message and terminator in one
//! write) against lettre's stock path (two writes: Nagle + delayed ACK).
//!
//!   cargo run --release --example smtp_rate -- HOST:PORT COUNT SIZE
//!
//! The stock path is taken by making the bytes not UTF-8 (one Latin-1
//! byte in the body), which the mailer hands to lettre's
//! `SmtpConnection::message` unchanged (the server needs 8BITMIME).

use dsr::config::{Smtp, TlsMode};
use dsr::mail::message::{MessageSpec, build, generate_message_id, random_id_bytes};
use dsr::mail::{Mailer, MessageBytes};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (host, port) = args.get(1).and_then(|a| a.rsplit_once(':')).ok_or("usage: smtp_rate HOST:PORT COUNT SIZE")?;
    let count: usize = args.get(2).map_or(Ok(1000), |c| c.parse())?;
    let size: usize = args.get(3).map_or(Ok(8000), |c| c.parse())?;
    let smtp = Smtp {
        host: host.into(),
        port: port.parse()?,
        tls: TlsMode::None,
        username: None,
        password: None,
        ca_file: None,
        timeout_secs: 10,
        retries: 0,
        helo_name: None,
    };
    let line = "Sehr geehrte Damen und Herren, bitte loeschen Sie alle Daten.\n";
    let body: String = line.repeat(size / line.len() + 1);
    for (label, latin1) in [("one write (dsr)", false), ("two writes (stock lettre)", true)] {
        let messages: Vec<MessageBytes> = (0..count)
            .map(|_| {
                let id = generate_message_id("beispiel-handel.example", &random_id_bytes()?)?;
                let spec = MessageSpec::new(
                    ("A".into(), "a@beispiel-handel.example".parse()?),
                    vec![(None, "b@example.org".parse()?)],
                    "rate".into(),
                    body.clone(),
                    id,
                    chrono::Utc::now(),
                );
                let m = build(&spec, None)?;
                if !latin1 {
                    return Ok(m);
                }
                let mut bytes = m.bytes().to_vec();
                let at = bytes.len() - 4;
                bytes[at] = 0xfc; // 'ü' in Latin-1: not UTF-8
                Ok(MessageBytes::from_parts(bytes, m.envelope().clone(), m.message_id().clone())?)
            })
            .collect::<Result<_, Box<dyn std::error::Error>>>()?;
        let mut mailer = Mailer::new(&smtp)?;
        let start = Instant::now();
        for m in &messages {
            mailer.send(m)?;
        }
        let secs = start.elapsed().as_secs_f64();
        mailer.close();
        println!(
            "{label}: {count} messages of {} bytes in {secs:.2} s = {:.0} messages/s ({:.2} ms each)",
            messages[0].bytes().len(),
            count as f64 / secs,
            secs * 1000.0 / count as f64
        );
    }
    Ok(())
}
