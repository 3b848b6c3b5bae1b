//! Measures what one appended event and its signed checkpoint cost on a
//! large format-2 log (`benches/evidence_v2.sh`).
//!
//! `cargo run --release --example append_bench -- DATA_DIR ROUNDS`
//!
//! Prints, for a log written by `make_signed_log` (its benchmark key):
//! - the first open's tree rebuild (no `log.tree` yet: the whole log is
//!   read and checked once);
//! - the CPU time (user + system, from /proc/self/stat) and wall time per
//!   round of `Log::append` of one event plus `Log::checkpoint`, each with
//!   its `fdatasync`: ROUNDS rounds;
//! - the in-memory part alone, no I/O: extending the compact range by one
//!   leaf, its root, and signing the checkpoint note, averaged over 10,000
//!   rounds.

use dsr::evidence::merkle::{CompactRange, leaf_hash};
use dsr::evidence::note::{Checkpoint, Signer};
use dsr::evidence::{Log, NewEvent, RequestId, parse_time};
use std::path::PathBuf;
use std::time::Instant;

/// User + system CPU seconds of this process so far.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line; after the
    // ")" they are the 12th and 13th (0-based 11, 12). 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: append_bench DATA_DIR ROUNDS";
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let rounds: u64 = args.next().ok_or(usage)?.parse()?;
    let signer = Signer::from_seed("bench", [7; 32])?;
    let time = parse_time("2027-01-01T00:00:00Z").ok_or("time")?;

    let _ = std::fs::remove_file(dir.join("log.tree"));
    let (c0, t0) = (cpu(), Instant::now());
    let mut log = Log::open(&dir)?;
    let (size, _) = log.tree_root()?;
    println!("rebuild: {size} lines in {:.2} s wall, {:.2} s CPU", t0.elapsed().as_secs_f64(), cpu() - c0);
    drop(log);

    let (c0, t0) = (cpu(), Instant::now());
    let mut log = Log::open(&dir)?;
    println!("open with log.tree: {:.2} ms wall", t0.elapsed().as_secs_f64() * 1e3);
    let _ = c0;
    let (c0, t0) = (cpu(), Instant::now());
    for i in 0..rounds {
        let mut random = [0xffu8; 10];
        random[2..].copy_from_slice(&i.to_be_bytes());
        let request = RequestId::from_random(random);
        log.note_new_request(&request);
        log.append(NewEvent::new(time, "noted", Some(request), serde_json::json!({ "i": i })))?;
        log.checkpoint(&signer, time)?;
    }
    let (cpu_s, wall) = (cpu() - c0, t0.elapsed().as_secs_f64());
    println!(
        "append + checkpoint, {rounds} rounds: {:.3} ms CPU and {:.3} ms wall per round (two fdatasyncs each)",
        cpu_s * 1e3 / rounds as f64,
        wall * 1e3 / rounds as f64
    );

    // The in-memory part: the range as the writer keeps it.
    let text = std::fs::read_to_string(dir.join("log.jsonl"))?;
    let mut range = CompactRange::default();
    for l in text.lines() {
        range.append(leaf_hash(l.as_bytes()));
    }
    let line = text.lines().last().unwrap_or_default().to_string();
    let n = 10_000u32;
    let t0 = Instant::now();
    for _ in 0..n {
        let mut r = range.clone();
        r.append(leaf_hash(line.as_bytes()));
        let cp = Checkpoint { origin: "dsr-evidence-log/bench".into(), size: r.size(), root: r.root() };
        std::hint::black_box(signer.sign(&cp.body()));
    }
    println!(
        "tree update + root + signed note, in memory, at {} lines: {:.1} µs",
        range.size(),
        t0.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    );
    Ok(())
}
