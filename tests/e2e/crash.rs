//! The crash test: `dsr send` and `dsr send --batch` against the real SMTP
//! test server, killed with SIGKILL at a random moment, then recovered the
//! documented way (`log repair` if the last line is torn, the same command
//! again, `send --retry` / `--retry-failed --yes` for what is "delivery
//! unknown"), and checked against what the server received:
//!
//! - **lost**: a message the server has that no `prepared` names, or a
//!   row or request that never reaches `sent` after recovery;
//! - **false sent**: a `sent` line for a message the server never got;
//! - **silent duplicate**: a message received more often than it was sent
//!   plus re-sent after the user's confirmation (`retry_confirmed`);
//! - **verify failure**: `dsr log verify --objects` fails after recovery.
//!
//! Any of them fails the test. The normal suite runs
//! [`DEFAULT_ROUNDS`] rounds (half single sends, half batches);
//! `scripts/crash-test N` runs N (1,000 for the figures in
//! docs/reliability.md). `DSR_CRASH_SEED` replays a run; every run prints
//! its seed and its figures.

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{TEST_CONFIG, TestEnv, repo};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Rounds in the normal suite.
const DEFAULT_ROUNDS: usize = 30;
/// Rows of a batch round.
const ROWS: usize = 12;

/// xorshift64*: reproducible from the printed seed, no crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..=max`.
    fn upto(&mut self, max: Duration) -> Duration {
        Duration::from_micros(self.next() % (max.as_micros() as u64 + 1))
    }
}

/// What the rounds found.
#[derive(Debug, Default)]
struct Tally {
    rounds: usize,
    /// Rounds in which the process was still running when killed.
    killed_mid_run: usize,
    torn_repaired: usize,
    /// Messages "delivery unknown" right after a kill.
    unknown_after_kill: usize,
    /// Of those, how many the server had in fact received (and were sent
    /// again after confirmation: the duplicates defect 8 is about).
    resent_after_confirmation: usize,
    lost: usize,
    false_sent: usize,
    silent_duplicates: usize,
    verify_failures: usize,
    problems: Vec<String>,
}

impl Tally {
    fn fail(&mut self, what: &str, detail: String) {
        match what {
            "lost" => self.lost += 1,
            "false sent" => self.false_sent += 1,
            "silent duplicate" => self.silent_duplicates += 1,
            _ => self.verify_failures += 1,
        }
        self.problems.push(format!("{what}: {detail}"));
    }
}

fn rounds() -> usize {
    std::env::var("DSR_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(DEFAULT_ROUNDS)
}

fn seed() -> u64 {
    std::env::var("DSR_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    })
}

/// A data directory sending to `server`, with the example subject and a
/// batch file of [`ROWS`] rows.
fn env(server: &SmtpServer) -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "dsr.toml",
        format!(
            "{TEST_CONFIG}\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\nretries = 0\ntimeout_secs = 5\n",
            server.port()
        ),
    );
    let person = std::fs::read_to_string(repo().join("examples/subject-person.toml")).unwrap();
    env.write("batch/subject-person.toml", &person);
    for i in 0..ROWS {
        env.write(
            &format!("batch/subject-person-{i}.toml"),
            person.replace("Erika Mustermann", &format!("Erika Mustermann {i}")),
        );
    }
    let mut csv = String::from("key,policy,kind,lang,subject\n");
    for i in 0..ROWS {
        let policy = if i % 2 == 0 { "zendesk" } else { "1blu" };
        csv.push_str(&format!("row-{i},{policy},erasure,de,subject-person-{i}.toml\n"));
    }
    env.write("batch/b.csv", csv);
    env
}

fn dsr(env: &TestEnv, args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("dsr"));
    c.args(args).current_dir(env.path()).env_clear().env("HOME", env.path()).env("DSR_YES", "1").stdin(Stdio::null());
    c
}

fn run(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = dsr(env, args).output().expect("run dsr");
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

/// Runs `args`, killing it with SIGKILL after `delay` if still running.
/// True when it was killed mid-run.
fn run_and_kill(env: &TestEnv, args: &[&str], delay: Duration) -> bool {
    let mut child = dsr(env, args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn dsr");
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let running = child.try_wait().expect("wait").is_none();
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    running
}

/// Per Message-ID: (request, how many `prepared`, `sent`, `retry_confirmed`).
fn logged(env: &TestEnv) -> BTreeMap<String, (String, usize, usize, usize)> {
    let mut m: BTreeMap<String, (String, usize, usize, usize)> = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(env.join("data/log.jsonl")) else { return m };
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let Some(id) = v["data"]["message_id"].as_str() else { continue };
        let e = m.entry(id.to_string()).or_insert_with(|| (v["request"].as_str().unwrap_or_default().into(), 0, 0, 0));
        match v["event"].as_str() {
            Some("prepared") => e.1 += 1,
            Some("sent") => e.2 += 1,
            Some("retry_confirmed") => e.3 += 1,
            _ => {}
        }
    }
    m
}

/// Message-ID → how often the server received it.
fn received(server: &SmtpServer) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for msg in server.messages() {
        let text = String::from_utf8_lossy(&msg.bytes);
        if let Some(line) = text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")) {
            *m.entry(line["message-id:".len()..].trim().trim_matches(['<', '>']).to_string()).or_insert(0) += 1;
        }
    }
    m
}

/// After a kill: repairs a torn last line (counted), then the log must verify.
fn recover_log(env: &TestEnv, t: &mut Tally, round: usize) {
    if !env.join("data/log.jsonl").exists() {
        return;
    }
    let (code, out) = run(env, &["log", "verify", "--objects"]);
    if code == 4 && out.contains("log repair") {
        t.torn_repaired += 1;
        let (code, out) = run(env, &["log", "repair"]);
        if code != 0 {
            t.fail("verify", format!("round {round}: repair failed: {out}"));
        }
    } else if code != 0 {
        t.fail("verify", format!("round {round}: after the kill: {out}"));
    }
}

/// The checks every round ends with, on this round's Message-IDs.
fn check(
    env: &TestEnv,
    server: &SmtpServer,
    before: &BTreeMap<String, usize>,
    t: &mut Tally,
    round: usize,
    expected_requests: usize,
) {
    let (code, out) = run(env, &["log", "verify", "--objects"]);
    if code != 0 {
        t.fail("verify", format!("round {round}: {out}"));
    }
    let log = logged(env);
    let got = received(server);
    let mut done = std::collections::BTreeSet::new();
    for (id, (request, prepared, sent, retried)) in &log {
        let n = got.get(id).copied().unwrap_or(0);
        if *sent > 0 && n == 0 {
            t.fail("false sent", format!("round {round}: {id} logged sent, never received"));
        }
        if n > prepared.min(&1) + retried {
            t.fail(
                "silent duplicate",
                format!("round {round}: {id} received {n}×, re-sent {retried}× after confirmation"),
            );
        }
        if *sent > 0 {
            done.insert(request.clone());
        }
    }
    // Every message the server got during this round is one this round's
    // log prepared: a message sent but never logged is lost evidence.
    for (id, n) in &got {
        if *n > before.get(id).copied().unwrap_or(0) && !log.contains_key(id) {
            t.fail("lost", format!("round {round}: {id} received, but no prepared names it"));
        }
    }
    if done.len() != expected_requests {
        t.fail("lost", format!("round {round}: {} of {expected_requests} requests sent after recovery", done.len()));
    }
}

/// Message-IDs this round's log names that the server received before the
/// recovery, among those "delivery unknown" (prepared, not sent).
fn unknown_now(env: &TestEnv) -> Vec<String> {
    logged(env).into_iter().filter(|(_, (_, p, s, _))| *p > 0 && *s == 0).map(|(id, _)| id).collect()
}

fn batch_round(server: &SmtpServer, rng: &mut Rng, max: Duration, t: &mut Tally, round: usize) {
    let env = env(server);
    let before = received(server);
    t.killed_mid_run += usize::from(run_and_kill(&env, &["-q", "send", "--batch", "batch/b.csv"], rng.upto(max)));
    recover_log(&env, t, round);
    let unknown = unknown_now(&env);
    let arrived = |id: &String| received(server).get(id).copied().unwrap_or(0) > before.get(id).copied().unwrap_or(0);
    t.unknown_after_kill += unknown.len();
    t.resent_after_confirmation += unknown.iter().filter(|id| arrived(id)).count();
    // The documented recovery: the same command (sends what is new, holds
    // what is unknown), then the held rows after confirmation.
    let (code, out) = run(&env, &["-q", "send", "--batch", "batch/b.csv"]);
    if code != 0 && code != 3 {
        t.fail("verify", format!("round {round}: re-run exited {code}: {out}"));
    }
    let (code, out) = run(&env, &["-q", "send", "--batch", "batch/b.csv", "--retry-failed", "--yes"]);
    if code != 0 {
        t.fail("lost", format!("round {round}: --retry-failed --yes exited {code}: {out}"));
    }
    check(&env, server, &before, t, round, ROWS);
}

fn single_round(server: &SmtpServer, rng: &mut Rng, max: Duration, t: &mut Tally, round: usize) {
    let env = env(server);
    let subject = env.join("batch/subject-person.toml").display().to_string();
    let send = [
        "-q",
        "send",
        "--to",
        "zendesk",
        "--kind",
        "erasure",
        "--subject",
        subject.as_str(),
        "--again",
        "test: one more request for the same subject",
    ];
    let before = received(server);
    t.killed_mid_run += usize::from(run_and_kill(&env, &send, rng.upto(max)));
    recover_log(&env, t, round);
    let log = logged(&env);
    match log.iter().next() {
        // Killed before `prepared`: nothing was sent, the same command again.
        None => {
            let (code, out) = run(&env, &send);
            if code != 0 {
                t.fail("lost", format!("round {round}: the same send again exited {code}: {out}"));
            }
        }
        Some((id, (request, _, sent, _))) if *sent == 0 => {
            t.unknown_after_kill += 1;
            let now = received(server);
            if now.get(id).copied().unwrap_or(0) > before.get(id).copied().unwrap_or(0) {
                t.resent_after_confirmation += 1;
            }
            let (code, out) = run(&env, &["-q", "send", "--retry", request, "--yes"]);
            if code != 0 {
                t.fail("lost", format!("round {round}: send --retry exited {code}: {out}"));
            }
        }
        Some(_) => {}
    }
    check(&env, server, &before, t, round, 1);
}

/// How long an unkilled run takes (the kill delays are drawn up to a bit
/// more than that, so some runs finish).
fn calibrate(server: &SmtpServer, batch: bool) -> Duration {
    let env = env(server);
    let subject = env.join("batch/subject-person.toml").display().to_string();
    let start = Instant::now();
    let (code, out) = if batch {
        run(&env, &["-q", "send", "--batch", "batch/b.csv"])
    } else {
        run(
            &env,
            &[
                "-q",
                "send",
                "--to",
                "zendesk",
                "--kind",
                "erasure",
                "--subject",
                subject.as_str(),
                "--again",
                "test: one more request for the same subject",
            ],
        )
    };
    assert_eq!(code, 0, "{out}");
    start.elapsed().mul_f64(1.2)
}

#[test]
fn sigkill_at_random_points_loses_nothing_and_marks_nothing_falsely_sent() {
    let server = SmtpServer::start(SmtpOptions::default());
    let seed = seed();
    let mut rng = Rng(seed);
    let (single_max, batch_max) = (calibrate(&server, false), calibrate(&server, true));
    let (mut single, mut batch) = (Tally::default(), Tally::default());
    let n = rounds();
    let start = Instant::now();
    for round in 0..n {
        if round % 2 == 0 {
            single_round(&server, &mut rng, single_max, &mut single, round);
            single.rounds += 1;
        } else {
            batch_round(&server, &mut rng, batch_max, &mut batch, round);
            batch.rounds += 1;
        }
    }
    eprintln!("crash test: {n} rounds in {:.0?} (seed {seed})", start.elapsed());
    for (what, t) in [("send", &single), ("send --batch", &batch)] {
        eprintln!(
            "crash test: {what}: {} rounds, {} killed mid-run, {} torn lines repaired, {} delivery unknown after a \
             kill, of which {} had arrived (re-sent after confirmation); {} lost, {} false sent, {} silent \
             duplicates, {} verify failures",
            t.rounds,
            t.killed_mid_run,
            t.torn_repaired,
            t.unknown_after_kill,
            t.resent_after_confirmation,
            t.lost,
            t.false_sent,
            t.silent_duplicates,
            t.verify_failures
        );
    }
    let problems: Vec<&String> = single.problems.iter().chain(&batch.problems).collect();
    assert!(
        problems.is_empty(),
        "seed {seed}:\n{}",
        problems.iter().map(|p| p.as_str()).collect::<Vec<_>>().join("\n")
    );
}
