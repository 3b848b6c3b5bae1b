//! I/O fault injection: every `write`, `pwrite64`, `fsync`, `fdatasync`,
//! `rename` and `syncfs` a `dsr send` (and a `dsr send --batch`) makes on
//! its way from `prepared` to `sent` is made to fail in turn, with ENOSPC
//! and with EIO, by `strace --inject` (Debian package `strace`, installed
//! by `scripts/test` when run as root). After each run:
//!
//! - dsr failed cleanly: no panic, no signal;
//! - the log verifies with `--objects`, after `dsr log repair` if the
//!   failure cut off the last line (the documented recovery);
//! - nothing is marked sent that the server did not receive, and nothing
//!   the server received is missing from the log;
//! - a message the server accepted whose `sent` line could not be written
//!   shows as "delivery unknown" in `dsr status`;
//! - a run that exited 0 logged `sent` (or `outboxed`).
//!
//! The `when=K` of each injection counts that syscall's calls; K goes up
//! until a run no longer reaches a K-th call. The figures (runs per
//! syscall) are printed for docs/reliability.md.

use crate::support::smtp::{SmtpOptions, SmtpServer};
use crate::support::{TEST_CONFIG, TestEnv, repo, smtp_plain};
use std::collections::BTreeMap;
use std::process::Command;

/// The syscalls on the way from `prepared` to `sent`, and the errors each
/// is failed with.
const FAULTS: [(&str, &[&str]); 6] = [
    ("write", &["ENOSPC", "EIO"]),
    ("pwrite64", &["ENOSPC", "EIO"]),
    ("fsync", &["EIO", "ENOSPC"]),
    ("fdatasync", &["EIO", "ENOSPC"]),
    ("rename", &["ENOSPC", "EIO"]),
    ("syncfs", &["EIO", "ENOSPC"]),
];

/// No run makes more calls of one syscall than this.
const MAX_CALLS: usize = 200;

fn strace() -> std::path::PathBuf {
    let found = ["/usr/bin/strace", "/bin/strace"].into_iter().map(std::path::PathBuf::from).find(|p| p.exists());
    found.unwrap_or_else(|| {
        panic!(
            "the I/O fault tests need strace: run ./scripts/test as root, or install it with: apt-get install strace"
        )
    })
}

fn env(port: u16) -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "dsr.toml",
        format!("{TEST_CONFIG}{}", smtp_plain(port).replace("timeout_secs = 10", "retries = 0\ntimeout_secs = 5")),
    );
    env.write("batch/subject-person.toml", std::fs::read(repo().join("examples/subject-person.toml")).unwrap());
    env.write(
        "batch/b.csv",
        "key,policy,kind,subject\na,zendesk,erasure,subject-person.toml\nb,1blu,erasure,subject-person.toml\n",
    );
    env
}

fn dsr_cmd(env: &TestEnv) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("dsr"));
    c.current_dir(env.path()).env_clear().env("HOME", env.path()).env("DSR_YES", "1");
    c
}

fn dsr(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = dsr_cmd(env).args(args).output().expect("run dsr");
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

/// Runs `args` under strace failing the `when`-th call of `syscall` with
/// `errno`. Returns (exit code or None for a signal, output, injected?).
fn injected(env: &TestEnv, args: &[&str], syscall: &str, errno: &str, when: usize) -> (Option<i32>, String, bool) {
    let trace = env.join("strace.out");
    let out = Command::new(strace())
        .args(["-f", "-qq", "-o"])
        .arg(&trace)
        .arg(format!("--trace={syscall}"))
        .arg(format!("--inject={syscall}:error={errno}:when={when}"))
        .arg(assert_cmd::cargo::cargo_bin("dsr"))
        .args(args)
        .current_dir(env.path())
        .env_clear()
        .env("HOME", env.path())
        .env("DSR_YES", "1")
        .output()
        .expect("run strace");
    let hit = std::fs::read_to_string(&trace).unwrap_or_default().contains("(INJECTED)");
    let _ = std::fs::remove_file(&trace);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text, hit)
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

/// Per Message-ID of the log: (request, prepared, sent).
fn logged(env: &TestEnv) -> BTreeMap<String, (String, bool, bool)> {
    let mut m: BTreeMap<String, (String, bool, bool)> = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(env.join("data/log.jsonl")) else { return m };
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let Some(id) = v["data"]["message_id"].as_str() else { continue };
        let e = m.entry(id.into()).or_insert_with(|| (v["request"].as_str().unwrap_or_default().into(), false, false));
        match v["event"].as_str() {
            Some("prepared") => e.1 = true,
            Some("sent") => e.2 = true,
            _ => {}
        }
    }
    m
}

/// Checks one injected run; the problems found, if any.
fn check(
    env: &TestEnv,
    server: &SmtpServer,
    before: &BTreeMap<String, usize>,
    code: Option<i32>,
    out: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    match code {
        None => problems.push(format!("killed by a signal: {out}")),
        Some(101) => problems.push(format!("panicked: {out}")),
        _ if out.contains("panicked") => problems.push(format!("panicked: {out}")),
        _ => {}
    }
    if env.join("data/log.jsonl").exists() {
        let (c, o) = dsr(env, &["log", "verify", "--objects"]);
        if c == 4 && o.contains("log repair") {
            let (c, o) = dsr(env, &["log", "repair"]);
            if c != 0 {
                problems.push(format!("log repair failed: {o}"));
            }
            let (c, o) = dsr(env, &["log", "verify", "--objects"]);
            if c != 0 {
                problems.push(format!("does not verify after repair: {o}"));
            }
        } else if c != 0 {
            problems.push(format!("does not verify: {o}"));
        }
    }
    let log = logged(env);
    let got = received(server);
    let arrived = |id: &str| got.get(id).copied().unwrap_or(0) > before.get(id).copied().unwrap_or(0);
    for (id, n) in &got {
        if *n > before.get(id).copied().unwrap_or(0) && !log.get(id).is_some_and(|l| l.1) {
            problems.push(format!("{id} was received but no prepared names it"));
        }
    }
    let (_, status) = dsr(env, &["--json", "status"]);
    let states: Vec<serde_json::Value> = serde_json::from_str(&status).unwrap_or_default();
    for (id, (request, _, sent)) in &log {
        if *sent && !arrived(id) {
            problems.push(format!("{id} is logged sent but was never received"));
        }
        if arrived(id) && !sent {
            let state = states.iter().find(|s| s["request"] == request.as_str()).map(|s| s["state"].to_string());
            if state.as_deref() != Some("\"delivery-unknown\"") {
                problems.push(format!("{id} was accepted, its sent line is missing, and status says {state:?}"));
            }
        }
    }
    if code == Some(0) && !log.values().any(|l| l.2) {
        problems.push(format!("exit 0 but nothing logged sent: {out}"));
    }
    problems
}

fn inject_all(args: &[&str], syscalls: &[&str]) -> (BTreeMap<String, usize>, Vec<String>) {
    let server = SmtpServer::start(SmtpOptions::default());
    let mut runs = BTreeMap::new();
    let mut problems = Vec::new();
    for (syscall, errors) in FAULTS.iter().filter(|(s, _)| syscalls.contains(s)) {
        for errno in *errors {
            for when in 1..=MAX_CALLS {
                let env = env(server.port());
                let before = received(&server);
                let (code, out, hit) = injected(&env, args, syscall, errno, when);
                if !hit {
                    break;
                }
                *runs.entry(format!("{syscall} {errno}")).or_insert(0) += 1;
                for p in check(&env, &server, &before, code, &out) {
                    problems.push(format!("{} with {syscall} #{when} failing ({errno}): {p}", args.join(" ")));
                }
            }
        }
    }
    (runs, problems)
}

fn report(what: &str, runs: &BTreeMap<String, usize>, problems: &[String]) {
    let total: usize = runs.values().sum();
    let each: Vec<String> = runs.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    eprintln!("fault injection: {what}: {total} runs ({}), {} problems", each.join(", "), problems.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(total > 0, "no fault was injected: is strace working?");
}

#[test]
fn a_single_send_fails_cleanly_whichever_write_or_sync_fails() {
    let subject = repo().join("examples/subject-person.toml").display().to_string();
    let args = ["-q", "send", "--to", "zendesk", "--kind", "erasure", "--subject", subject.as_str()];
    let (runs, problems) = inject_all(&args, &["write", "pwrite64", "fsync", "fdatasync", "rename"]);
    report("send", &runs, &problems);
}

#[test]
fn a_batch_fails_cleanly_whichever_sync_or_rename_fails() {
    // The batch's own durability calls: syncfs for groups of objects, one
    // fdatasync per group commit, the renames of its objects.
    let args = ["-q", "send", "--batch", "batch/b.csv"];
    let (runs, problems) = inject_all(&args, &["syncfs", "fdatasync", "rename"]);
    report("send --batch", &runs, &problems);
}
