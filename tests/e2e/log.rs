//! Tests for `dsr log verify|show|repair` and the evidence layer's purge, for the evidence
//! log under concurrent writers and SIGKILL, and for the agreement of
//! `docs/verify_log.py` with `dsr log verify`.

use crate::support::{TestEnv, assert_output, repo, smtp::python};
use dsr::evidence::{Entry, Log, NewEvent, RequestId, Sha256, Store, parse_time, read_entries};
use serde_json::json;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const A: &str = "r_aaaaaaaaaaaaaaaa";
const B: &str = "r_bbbbbbbbbbbbbbbb";

fn t(s: &str) -> chrono::DateTime<chrono::Utc> {
    parse_time(s).unwrap()
}

/// The origin of the logs these tests write (fixed, so the fixtures are).
pub(crate) const ORIGIN: &str = "dsr-evidence-log/00112233445566778899aabbccddeeff";

/// A small log like `send` would write: two requests sharing an attachment.
fn write_log(data: &Path) -> Vec<Entry> {
    let mut log = Log::open(data).unwrap();
    log.set_origin_for_new_log(ORIGIN).unwrap();
    let shared = log.store().put(b"contract.pdf bytes").unwrap();
    let mail_a = log.store().put(b"Message-ID: <a@x>\r\n\r\nerase me").unwrap();
    let mail_b = log.store().put(b"Message-ID: <b@x>\r\n\r\nerase me too").unwrap();
    let (a, b): (RequestId, RequestId) = (A.parse().unwrap(), B.parse().unwrap());
    let objs = |m: &dsr::evidence::Stored| json!([m.with_role("message"), shared.with_role("attachment")]);
    log.append_group(vec![
        NewEvent::new(t("2026-11-28T10:00:00Z"), "prepared", Some(a.clone()), json!({"objects": objs(&mail_a)})),
        NewEvent::new(t("2026-11-28T10:00:01Z"), "sent", Some(a), json!({"reply": "250 2.0.0 Ok: queued as 4F2A"})),
        NewEvent::new(t("2026-11-28T10:05:00Z"), "prepared", Some(b.clone()), json!({"objects": objs(&mail_b)})),
        NewEvent::new(t("2026-11-28T10:05:00Z"), "outboxed", Some(b), json!({})),
    ])
    .unwrap()
}

/// Runs docs/verify_log.py; returns (exit code, stdout).
fn py_verify(data: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .arg(data)
        .args(extra)
        .output()
        .expect("python runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The line a message names: dsr's `log.jsonl:N:` / `named on …:N`, or
/// the Python verifier's `line N`.
fn line_named(text: &str) -> Option<u64> {
    let number = |s: &str| s.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok();
    if let Some(i) = text.find("log.jsonl:") {
        return number(&text[i + 10..]);
    }
    text.match_indices("line ").find_map(|(i, _)| number(&text[i + 5..]))
}

#[test]
fn verify_show_and_json_on_a_sound_log() {
    let env = TestEnv::new();
    let entries = write_log(&env.join("data"));
    let head = entries.last().unwrap().hash;
    let text = fs::read_to_string(env.join("data/log.jsonl")).unwrap();
    let mut tree = dsr::evidence::merkle::CompactRange::default();
    for l in text.lines() {
        tree.append(dsr::evidence::merkle::leaf_hash(l.as_bytes()));
    }
    let summary = format!(
        "tree: root {} of 5 lines (format 2, origin {ORIGIN})\ncheckpoints: none\nnot covered by a signed checkpoint: \
         lines 1-5 (they rest on the log's own word until one covers them)\nexisted: lines 1-5: sender's claim \
         only\n",
        tree.root()
    );
    env.dsr(&["--data-dir", "data", "log", "verify"])
        .assert()
        .success()
        .stdout(format!("ok: 5 lines, head {head}\n{summary}"));
    env.dsr(&["--data-dir", "data", "log", "verify", "--objects", "--head", &head.to_string()])
        .assert()
        .success()
        .stdout(format!("ok: 5 lines, head {head}; objects: 3 intact, 0 purged\n{summary}"));
    let out = env.dsr(&["--data-dir", "data", "--json", "log", "verify"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lines"], 5);
    assert_eq!(v["head"], head.to_string());

    let out = env.dsr(&["--data-dir", "data", "log", "show", "--request", B]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with(&format!("     3  2026-11-28T10:05:00Z  prepared      {B}  message=")), "{text}");
    assert!(lines[0].contains("(33 B) attachment="), "{text}");
    assert_eq!(lines[1], format!("     4  2026-11-28T10:05:00Z  outboxed      {B}"));
    let out = env.dsr(&["--data-dir", "data", "--json", "log", "show"]).output().unwrap();
    let first: serde_json::Value = serde_json::from_slice(out.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["event"], "log_created");
    assert_eq!(first["data"]["format"], "dsr-evidence-log/2");
    assert_eq!(first["data"]["origin"], ORIGIN);
}

#[test]
fn show_and_verify_without_a_log_say_so() {
    let env = TestEnv::new();
    let log = env.join("data/log.jsonl");
    env.dsr(&["--data-dir", "data", "log", "show"])
        .assert()
        .success()
        .stdout("")
        .stderr(format!("no evidence log yet at {}\n", log.display()));
    let args = ["--data-dir", "data", "log", "verify"];
    assert_output("errors/log-verify-no-log", &args, &env.dsr(&args).output().unwrap(), env.placeholders());
}

#[test]
fn a_changed_line_or_object_fails_with_exit_4_naming_it() {
    let env = TestEnv::new();
    let data = env.join("data");
    let entries = write_log(&data);
    let log = data.join("log.jsonl");
    let original = fs::read(&log).unwrap();
    let text = String::from_utf8(original.clone()).unwrap();
    fs::write(&log, text.replace("queued as 4F2A", "queued as 4F2B")).unwrap();
    let line3 = text.lines().take(2).map(|l| l.len() + 1).sum::<usize>();
    env.dsr(&["--data-dir", "data", "log", "verify"]).assert().code(4).stderr(format!(
        "error: {}:4: prev does not match the hash of the line before (expected {}, found {}) (seq 3, byte {})\n\
         help: the log was changed or damaged after it was written: keep a copy of the data directory as it is, \
         compare it with a backup, and do not append until you know why\n",
        log.display(),
        Sha256::digest(text.replace("4F2A", "4F2B").lines().nth(2).unwrap().as_bytes()),
        entries[1].hash,
        line3 + text.lines().nth(2).unwrap().len() + 1,
    ));
    fs::write(&log, &original).unwrap();
    let mail = entries[0].objects()[0].sha256;
    let path = Store::new(&data).path_of(&mail);
    fs::write(&path, b"Message-ID: <a@x>\r\n\r\nerase me!").unwrap();
    env.dsr(&["--data-dir", "data", "log", "verify"]).assert().success();
    env.dsr(&["--data-dir", "data", "log", "verify", "--objects"]).assert().code(4).stderr(format!(
        "error: object {mail}: altered: its bytes hash to {} (named on {}:2)\nhelp: restore the object from a backup\n",
        Sha256::digest(b"Message-ID: <a@x>\r\n\r\nerase me!"),
        log.display()
    ));
}

#[test]
fn a_torn_tail_is_refused_then_repaired_by_the_cli() {
    let env = TestEnv::new();
    let data = env.join("data");
    write_log(&data);
    let log = data.join("log.jsonl");
    let mut bytes = fs::read(&log).unwrap();
    let offset = bytes.len();
    bytes.extend_from_slice(b"{\"seq\":5,\"time\":\"2026-11-28T11");
    fs::write(&log, &bytes).unwrap();
    // Exit 4, naming the file and the byte where the torn line starts.
    let args = ["--data-dir", "data", "purge", "--request", A];
    let placeholders = env.placeholders().with("[OFFSET]", offset);
    assert_output("errors/log-torn-tail", &args, &env.dsr(&args).output().unwrap(), placeholders);
    env.dsr(&["--data-dir", "data", "log", "verify"]).assert().code(4);
    let torn = Sha256::digest(&bytes[offset..]);
    env.dsr(&["--data-dir", "data", "log", "repair"])
        .env("DSR_NOW", "2026-11-28T12:00:00Z")
        .assert()
        .success()
        .stdout(format!("repaired: moved 30 torn bytes from byte {offset} into object {torn}; logged as seq 5\n"));
    env.dsr(&["--data-dir", "data", "log", "verify", "--objects"]).assert().success();
    env.dsr(&["--data-dir", "data", "log", "repair"])
        .assert()
        .success()
        .stdout("nothing to repair: the last line of the log is complete\n");
    assert_eq!(py_verify(&data, &["--objects"]).0, 0);
}

/// The evidence layer's purge (`dsr::evidence::purge`), on a log of
/// minimal events: which objects go, which are shared and kept, and that
/// both verifiers still pass. `dsr purge` adds the retention rules on top
/// (tests/e2e/purge.rs), which need whole cases.
#[test]
fn purge_deletes_a_requests_objects_keeps_shared_ones_and_still_verifies() {
    use dsr::evidence::{Purge, PurgeSelection, purge};
    let env = TestEnv::new();
    let data = env.join("data");
    let entries = write_log(&data);
    let store = Store::new(&data);
    let [mail_a, shared] = [entries[0].objects()[0].sha256, entries[0].objects()[1].sha256];
    let (a, b): (RequestId, RequestId) = (A.parse().unwrap(), B.parse().unwrap());
    let run = |selection: PurgeSelection, time: &str, dry_run: bool| {
        let mut log = Log::open(&data).unwrap();
        let p = Purge {
            selection,
            reason: "retention period ended".into(),
            time: t(time),
            dry_run,
            forced: Default::default(),
        };
        purge(&mut log, &p).unwrap()
    };
    let summary = |r: &[dsr::evidence::Purged]| {
        r.iter()
            .map(|p| (p.request.to_string(), p.purged.len(), p.kept_shared.len(), p.entry.as_ref().map(|e| e.seq)))
            .collect::<Vec<_>>()
    };
    let dry = run(PurgeSelection::Before(t("2030-01-01T00:00:00Z")), "2027-01-01T00:00:00Z", true);
    assert_eq!(summary(&dry), [(A.to_string(), 2, 0, None), (B.to_string(), 2, 0, None)]);
    let r = run(PurgeSelection::Request(a.clone()), "2027-01-01T00:00:00Z", false);
    assert_eq!(summary(&r), [(A.to_string(), 1, 1, Some(5))]);
    assert!(!store.path_of(&mail_a).exists() && store.path_of(&shared).exists());
    env.dsr(&["--data-dir", "data", "log", "verify", "--objects"])
        .assert()
        .success()
        .stdout(predicates::str::contains("objects: 2 intact, 1 purged"));
    // Nothing left to purge for A.
    assert_eq!(summary(&run(PurgeSelection::Request(a), "2027-01-01T00:00:00Z", false)), []);
    // B's purge may now take the shared object: A's reference was retired.
    let r = run(PurgeSelection::Requests([b].into()), "2027-01-02T00:00:00Z", false);
    assert_eq!(summary(&r), [(B.to_string(), 2, 0, Some(6))]);
    assert!(!store.path_of(&shared).exists());
    env.dsr(&["--data-dir", "data", "log", "verify", "--objects"])
        .assert()
        .success()
        .stdout(predicates::str::contains("objects: 0 intact, 3 purged"));
    assert_eq!(py_verify(&data, &["--objects"]).0, 0);
    let purged: Vec<Entry> = read_entries(&data).unwrap().map(Result::unwrap).filter(|e| e.event == "purged").collect();
    // A's purge follows A's last line (the `sent` at seq 2).
    assert_eq!(purged[0].data, json!({"purged": [mail_a], "reason": "retention period ended", "request_prev": 2}));
    let mut log = Log::open(&data).unwrap();
    let unknown = Purge {
        selection: PurgeSelection::Request("r_cccccccccccccccc".parse().unwrap()),
        reason: "x".into(),
        time: t("2027-01-03T00:00:00Z"),
        dry_run: false,
        forced: Default::default(),
    };
    assert!(purge(&mut log, &unknown).is_err());
}

// ---------------------------------------------------------------------------
// The Python verifier and dsr agree.

/// A fault: a name and what to do to a sound data dir.
type Fault = (&'static str, fn(&Path));

fn edit_log(data: &Path, f: impl FnOnce(&mut Vec<u8>)) {
    let path = data.join("log.jsonl");
    let mut bytes = fs::read(&path).unwrap();
    f(&mut bytes);
    fs::write(&path, bytes).unwrap();
}

fn replace_in_line(data: &Path, line: usize, from: &str, to: &str) {
    let path = data.join("log.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    assert!(lines[line - 1].contains(from), "{from} not in line {line}");
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
}

const FAULTS: &[Fault] = &[
    ("ok", |_| {}),
    ("fail_torn_line", |d| edit_log(d, |b| b.truncate(b.len() - 10))),
    ("fail_flipped_byte", |d| edit_log(d, |b| b[200] ^= 0x01)),
    ("fail_changed_data", |d| replace_in_line(d, 3, "4F2A", "4F2B")),
    ("fail_removed_line", |d| {
        let text = fs::read_to_string(d.join("log.jsonl")).unwrap();
        let kept: Vec<&str> = text.lines().enumerate().filter(|(i, _)| *i != 2).map(|(_, l)| l).collect();
        fs::write(d.join("log.jsonl"), kept.join("\n") + "\n").unwrap();
    }),
    ("fail_time_backwards", |d| replace_in_line(d, 5, "10:05:00Z", "09:59:59Z")),
    ("fail_bad_header", |d| {
        replace_in_line(d, 1, "\"format\":\"dsr-evidence-log/2\"", "\"format\":\"dsr-evidence-log/9\"")
    }),
    ("fail_duplicate_member", |d| replace_in_line(d, 5, "\"data\":{", "\"data\":{\"a\":1,\"a\":1,")),
    ("fail_extra_member", |d| replace_in_line(d, 5, "\"request_prev\":3}", "\"request_prev\":3},\"x\":1")),
    ("fail_bad_event_name", |d| replace_in_line(d, 5, "outboxed", "Outboxed")),
    ("fail_empty_line", |d| edit_log(d, |b| b.extend_from_slice(b"\n"))),
    ("fail_missing_object", |d| {
        let e: Vec<Entry> = read_entries(d).unwrap().map(Result::unwrap).collect();
        fs::remove_file(Store::new(d).path_of(&e[3].objects()[0].sha256)).unwrap();
    }),
    ("fail_altered_object", |d| {
        let e: Vec<Entry> = read_entries(d).unwrap().map(Result::unwrap).collect();
        let p = Store::new(d).path_of(&e[1].objects()[1].sha256);
        let mut b = fs::read(&p).unwrap();
        b[0] ^= 0x20;
        fs::write(p, b).unwrap();
    }),
    ("fail_wrong_size", |d| {
        let text = fs::read_to_string(d.join("log.jsonl")).unwrap();
        // Rewrite line 4's size and re-chain what follows, so only the size is wrong.
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        lines[3] = lines[3].replacen("\"size\":18", "\"size\":19", 1);
        let prev = Sha256::digest(lines[3].as_bytes());
        let old = lines[4].split("\"prev\":\"").nth(1).unwrap()[..64].to_string();
        lines[4] = lines[4].replace(&old, &prev.to_string());
        fs::write(d.join("log.jsonl"), lines.join("\n") + "\n").unwrap();
    }),
];

#[test]
fn python_verifier_and_dsr_agree_on_faults() {
    let mut report = String::new();
    for (name, fault) in FAULTS {
        let env = TestEnv::new();
        let data = env.join("data");
        write_log(&data);
        fault(&data);
        let dsr = env.dsr(&["--data-dir", "data", "log", "verify", "--objects"]).output().unwrap();
        let dsr_code = dsr.status.code().unwrap();
        let dsr_text = String::from_utf8_lossy(if dsr_code == 0 { &dsr.stdout } else { &dsr.stderr }).into_owned();
        let (py_code, py_text) = py_verify(&data, &["--objects"]);
        let expected = if name.starts_with("ok") { 0 } else { 4 };
        assert_eq!((dsr_code, py_code), (expected, expected), "{name}\ndsr: {dsr_text}\npy: {py_text}");
        if expected == 4 {
            assert_eq!(line_named(&dsr_text), line_named(&py_text), "{name}\ndsr: {dsr_text}\npy: {py_text}");
            let dsr_object = dsr_text.strip_prefix("error: object ").map(|s| &s[..64]);
            let py_object = py_text.strip_prefix("object ").map(|s| &s[..64]);
            assert_eq!(dsr_object, py_object, "{name}");
        } else {
            assert_eq!(dsr_text, py_text, "{name}");
        }
        report.push_str(&format!("{name}: {}", py_text));
    }
    // Keep the format-2 fixtures in the repo in step (DSR_BLESS=1 rewrites
    // them, see tests/support/snapshot.rs). The format-1 ones in
    // tests/fixtures/logs/ were written by dsr before format 2 and stay as
    // they are.
    for (name, _) in FAULTS.iter().filter(|(n, _)| !n.contains("object") && !n.contains("size")) {
        let env = TestEnv::new();
        let data = env.join("data");
        write_log(&data);
        FAULTS.iter().find(|(n, _)| n == name).unwrap().1(&data);
        let fixture = repo().join(format!("tests/fixtures/logs-v2/{name}.jsonl"));
        crate::support::snapshot::assert_file(&fixture, &fs::read(data.join("log.jsonl")).unwrap());
    }
}

#[test]
fn python_verifier_and_dsr_agree_on_the_fixture_files() {
    let mut seen = 0;
    let entries = ["tests/fixtures/logs", "tests/fixtures/logs-v2"]
        .into_iter()
        .flat_map(|d| fs::read_dir(repo().join(d)).unwrap());
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let env = TestEnv::new();
        fs::create_dir_all(env.join("data")).unwrap();
        fs::copy(&path, env.join("data/log.jsonl")).unwrap();
        let dsr = env.dsr(&["--data-dir", "data", "log", "verify"]).output().unwrap();
        let (py_code, py_text) = py_verify(&env.join("data"), &[]);
        let expected = if name.starts_with("fail_") { 4 } else { 0 };
        let dsr_text = String::from_utf8_lossy(&dsr.stderr);
        assert_eq!((dsr.status.code().unwrap(), py_code), (expected, expected), "{name}: {dsr_text} / {py_text}");
        assert_eq!(line_named(&dsr_text), line_named(&py_text), "{name}: {dsr_text} / {py_text}");
        seen += 1;
    }
    assert!(seen >= 20, "fixtures missing in tests/fixtures/logs*: {seen}");
}

// ---------------------------------------------------------------------------
// Writers in other processes: this test binary re-executed as a child.

const CHILD_ENV: &str = "DSR_TEST_EVIDENCE_CHILD";

/// Runs this test binary's `name` test as a child process with `env`.
fn child(name: &str, data: &Path, mode: &str) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads=1", "-q"])
        .env(CHILD_ENV, mode)
        .env("DSR_TEST_DATA", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Child: appends events, printing `ACK <seq> <hash>` after each append
/// returns. Modes: `loop` (forever, for SIGKILL), `burst:<tag>` (20 events,
/// retrying while the log is locked), `hold` (lock until stdin closes).
#[test]
fn child_writer() {
    let Ok(mode) = std::env::var(CHILD_ENV) else { return };
    let data = PathBuf::from(std::env::var("DSR_TEST_DATA").unwrap());
    let mut out = std::io::stdout();
    let mut log = loop {
        match Log::open(&data) {
            Ok(log) => break log,
            Err(dsr::evidence::Error::Locked { .. }) => {
                writeln!(out, "LOCKED").unwrap();
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(e) => panic!("{e}"),
        }
    };
    let now = t("2026-11-28T10:00:00Z");
    if mode == "hold" {
        writeln!(out, "READY").unwrap();
        out.flush().unwrap();
        let _ = std::io::stdin().read_line(&mut String::new());
        return;
    }
    let tag = mode.strip_prefix("burst:").unwrap_or("loop").to_string();
    for i in 0u64.. {
        if mode != "loop" && i == 20 {
            break;
        }
        let entries = if i % 5 == 4 {
            let group = (0..3).map(|j| NewEvent::new(now, "noted", None, json!({"tag": tag, "i": i, "j": j})));
            log.append_group(group.collect()).unwrap()
        } else {
            let obj = log.store().put(format!("{tag} object {i} {}", "x".repeat(i as usize % 300)).as_bytes()).unwrap();
            let data = json!({"tag": tag, "i": i, "objects": [obj.with_role("message")]});
            vec![log.append(NewEvent::new(now, "prepared", None, data)).unwrap()]
        };
        for e in entries {
            writeln!(out, "ACK {} {}", e.seq, e.hash).unwrap();
        }
        out.flush().unwrap();
    }
}

#[test]
fn a_second_writer_gets_the_locked_error_from_the_cli() {
    let env = TestEnv::new();
    let data = env.join("data");
    write_log(&data);
    let mut holder = child("log::child_writer", &data, "hold");
    let mut lines = BufReader::new(holder.stdout.take().unwrap()).lines();
    assert!(lines.any(|l| l.unwrap() == "READY"));
    let args = ["--data-dir", "data", "log", "repair"];
    let placeholders = env.placeholders().with("[PID]", holder.id());
    assert_output("errors/log-locked", &args, &env.dsr(&args).output().unwrap(), placeholders);
    // Readers do not need the lock.
    env.dsr(&["--data-dir", "data", "log", "verify"]).assert().success();
    drop(holder.stdin.take());
    holder.wait().unwrap();
    env.dsr(&["--data-dir", "data", "log", "repair"]).assert().success();
}

#[test]
fn concurrent_writers_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let children: Vec<_> = (0..4).map(|i| child("log::child_writer", &data, &format!("burst:w{i}"))).collect();
    let mut acked = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        acked.extend(text.lines().filter_map(|l| l.strip_prefix("ACK ")).map(String::from));
    }
    let entries: Vec<Entry> = read_entries(&data).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(entries.len(), 1 + 4 * (16 + 4 * 3));
    assert_eq!(acked.len(), entries.len() - 1);
    // Each writer held the lock for its whole run: its events are contiguous.
    let tags: Vec<&str> = entries[1..].iter().map(|e| e.data["tag"].as_str().unwrap()).collect();
    let mut runs: Vec<&str> = tags.clone();
    runs.dedup();
    assert_eq!(runs.len(), 4, "interleaved: {tags:?}");
    assert_eq!(py_verify(&data, &["--objects"]).0, 0);
}

/// A tiny deterministic generator for the kill delays.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn a_writer_killed_at_random_moments_loses_no_acknowledged_append() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut acked: Vec<(u64, Sha256)> = Vec::new();
    let (mut torn, mut runs) = (0, 0);
    let started = std::time::Instant::now();
    while runs < 200 {
        let mut c = child("log::child_writer", &data, "loop");
        std::thread::sleep(Duration::from_micros(xorshift(&mut rng) % 25_000));
        c.kill().unwrap(); // SIGKILL
        let out = c.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        for l in text.split_inclusive('\n').filter(|l| l.ends_with('\n')) {
            if let Some(rest) = l.trim_end().strip_prefix("ACK ") {
                let (seq, hash) = rest.split_once(' ').unwrap();
                acked.push((seq.parse().unwrap(), hash.parse().unwrap()));
            }
        }
        match Log::open(&data) {
            Ok(_) => {}
            Err(dsr::evidence::Error::TornTail { .. }) => {
                torn += 1;
                dsr::evidence::repair(&data, t("2026-11-28T10:00:00Z")).unwrap().expect("repaired");
            }
            Err(e) if !data.join("log.jsonl").exists() => panic!("{e}"),
            Err(e) => panic!("run {runs}: {e}"),
        }
        runs += 1;
    }
    let entries: Vec<Entry> = read_entries(&data).unwrap().collect::<Result<_, _>>().unwrap();
    for (seq, hash) in &acked {
        assert_eq!(entries.get(*seq as usize).map(|e| e.hash), Some(*hash), "acknowledged seq {seq} lost");
    }
    dsr::evidence::verify(&data, &dsr::evidence::VerifyOptions { objects: true, head: None, ..Default::default() })
        .unwrap();
    assert_eq!(py_verify(&data, &["--objects"]).0, 0);
    eprintln!(
        "{runs} kills, {} acknowledged appends, {torn} torn tails repaired, {} lines, {:?}",
        acked.len(),
        entries.len(),
        started.elapsed()
    );
}

/// The spec's corner cases (docs/evidence-log.md §1–§2): both verifiers
/// accept or refuse each alike, at the same line.
#[test]
fn both_verifiers_judge_the_specs_corner_cases_alike() {
    let header = format!(
        r#"{{"seq":0,"time":"2026-01-01T00:00:00Z","event":"log_created","request":null,"data":{{"format":"dsr-evidence-log/1"}},"prev":"{}"}}"#,
        "0".repeat(64)
    );
    let second = |seq: &str, time: &str, data: &str, tail: &str| {
        format!(
            r#"{{"seq":{seq},"time":"{time}","event":"x","request":null,"data":{data},"prev":"{}"}}{tail}"#,
            Sha256::digest(header.as_bytes())
        )
    };
    let t = "2026-01-01T00:00:00Z";
    let nest = |n: usize| format!("{{\"a\":{}{}}}", "[".repeat(n), "]".repeat(n));
    let obj = |size: &str| format!(r#"{{"objects":[{{"role":"m","sha256":"{}","size":{size}}}]}}"#, "a".repeat(64));
    // (name, second line, the line refused: None if the log is fine)
    let cases: Vec<(&str, String, Option<u64>)> = vec![
        ("a fraction in data", second("1", t, r#"{"a":1.0}"#, ""), None),
        ("-0 in data", second("1", t, r#"{"a":-0}"#, ""), None),
        ("1e-999 in data", second("1", t, r#"{"a":1e-999}"#, ""), None),
        ("308 digits", second("1", t, &format!("{{\"a\":{}}}", "9".repeat(308)), ""), None),
        ("309 digits", second("1", t, &format!("{{\"a\":{}}}", "9".repeat(309)), ""), Some(2)),
        ("400 digits", second("1", t, &format!("{{\"a\":{}}}", "9".repeat(400)), ""), Some(2)),
        ("1e999", second("1", t, r#"{"a":1e999}"#, ""), Some(2)),
        ("-1e999", second("1", t, r#"{"a":-1e999}"#, ""), Some(2)),
        ("seq 1.0", second("1.0", t, "{}", ""), Some(2)),
        ("seq 1e0", second("1e0", t, "{}", ""), Some(2)),
        ("seq -0", second("-0", t, "{}", ""), Some(2)),
        ("size -0", second("1", t, &obj("-0"), ""), Some(2)),
        ("size 1.0", second("1", t, &obj("1.0"), ""), Some(2)),
        ("128 levels", second("1", t, &nest(126), ""), None),
        ("129 levels", second("1", t, &nest(127), ""), Some(2)),
        ("CR before LF", second("1", t, "{}", "\r"), None),
        ("spaces", second("1", t, "{ }", " "), None),
        ("a leap second", second("1", "2026-12-31T23:59:60Z", "{}", ""), Some(2)),
        ("a request_prev in format 1", second("1", t, r#"{"request_prev":0}"#, ""), Some(2)),
    ];
    let mut checked = 0;
    for (name, line, refused) in cases.iter().map(|(n, l, r)| (*n, format!("{header}\n{l}\n"), *r)).chain([
        ("year 0000", format!("{}\n", header.replace("2026-01-01T", "0000-01-01T")), Some(1)),
        (
            "a header with a request",
            format!("{}\n", header.replace("\"request\":null", "\"request\":\"r_aaaaaaaaaaaaaaaa\"")),
            Some(1),
        ),
        ("a format-2 header without origin", format!("{}\n", header.replace("log/1", "log/2")), Some(1)),
    ]) {
        let env = TestEnv::new();
        fs::create_dir_all(env.join("data")).unwrap();
        fs::write(env.join("data/log.jsonl"), &line).unwrap();
        let dsr = env.dsr(&["--data-dir", "data", "log", "verify"]).output().unwrap();
        let dsr_text = String::from_utf8_lossy(&dsr.stderr).into_owned();
        let (py_code, py_text) = py_verify(&env.join("data"), &[]);
        let expected = if refused.is_some() { 4 } else { 0 };
        assert_eq!(
            (dsr.status.code().unwrap(), py_code),
            (expected, expected),
            "{name}\ndsr: {dsr_text}\npy: {py_text}"
        );
        assert_eq!(line_named(&dsr_text), refused, "{name}: {dsr_text}");
        assert_eq!(line_named(&py_text), refused, "{name}: {py_text}");
        checked += 1;
    }
    assert_eq!(checked, 22);
}
