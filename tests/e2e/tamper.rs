//! The tamper classes of issue 13, against logs and bundles dsr wrote:
//! given a checkpoint kept elsewhere before the change, each is detected
//! by `dsr log verify` / `dsr evidence verify` and by `docs/verify_log.py`,
//! and both name the same first bad item (the line, or the bundle's file
//! and line).
//!
//! The scene: a data directory with a signing key and three cases, an
//! external checkpoint (`early.txt`, 8 lines) taken in the middle, and
//! more commands after it. The attacker holds the data directory; in the
//! "re-signed" classes also the signing key (the sender themself).

use crate::support::smtp::python;
use crate::support::{TestEnv, repo};
use dsr::evidence::Sha256;
use dsr::evidence::merkle::{CompactRange, leaf_hash};
use dsr::evidence::note::{Checkpoint, SignedCheckpoint, Signer};
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The data directory, key and external checkpoint the classes start from.
struct Scene {
    env: TestEnv,
    /// The published verifier key.
    key: String,
    /// Case ids: A (prepared, outboxed, closed), B (prepared, outboxed), C.
    a: String,
    b: String,
}

fn send(env: &TestEnv) -> String {
    // The same attachment in every case: a file the user gives is stored as
    // it is (not salted), so cases A and B share that object.
    let out = env
        .dsr(&[
            "send",
            "--to",
            "zendesk",
            "--kind",
            "erasure",
            "--subject",
            "subject.toml",
            "--attach",
            "cancellation.txt",
            "--again",
            "test: one more request for the same subject",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "send: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout.lines().find_map(|l| l.strip_prefix("request:")).unwrap().trim().to_string()
}

/// Lines (1-based): 1 header · 2–3 A prepared, outboxed · 4 checkpoint ·
/// 5 A closed · 6 checkpoint (of 5 lines: a-closed.txt) · 7–8 B ·
/// 9 checkpoint (of 8 lines: early.txt) · 10–11 C · 12 checkpoint ·
/// 13 C closed · 14 checkpoint.
fn scene() -> Scene {
    let env = TestEnv::new().with_config();
    let out = env.dsr(&["key", "new"]).output().unwrap();
    let key = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("public key: "))
        .unwrap()
        .to_string();
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    env.write("cancellation.txt", "Subscription cancelled on 2026-11-30.\n");
    let a = send(&env);
    env.dsr(&["close", &a, "--note", "done"]).assert().success();
    // What a recipient of A's last message would hold (5 lines).
    env.dsr(&["log", "checkpoint", "--out", "a-closed.txt"]).assert().success();
    let b = send(&env);
    env.dsr(&["log", "checkpoint", "--out", "early.txt"]).assert().success();
    let c = send(&env);
    env.dsr(&["close", &c, "--note", "done"]).assert().success();
    let lines = log_lines(&env.join("data"));
    assert_eq!(lines.len(), 14, "{lines:#?}");
    let early = SignedCheckpoint::parse(&env.read("early.txt")).unwrap();
    assert_eq!(early.checkpoint.size, 8);
    Scene { env, key, a, b }
}

pub(crate) fn log_lines(data: &Path) -> Vec<String> {
    fs::read_to_string(data.join("log.jsonl")).unwrap().lines().map(String::from).collect()
}

pub(crate) fn write_lines(data: &Path, lines: &[String]) {
    fs::write(data.join("log.jsonl"), lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    // The cache beside the log is the attacker's too; a stale one would
    // only make dsr rebuild it.
    let _ = fs::remove_file(data.join("log.tree"));
}

/// A line in the layout dsr writes.
pub(crate) fn line(v: &Value) -> String {
    let req = match &v["request"] {
        Value::Null => "null".to_string(),
        r => format!("\"{}\"", r.as_str().unwrap()),
    };
    format!(
        "{{\"seq\":{},\"time\":\"{}\",\"event\":\"{}\",\"request\":{req},\"data\":{},\"prev\":\"{}\"}}",
        v["seq"],
        v["time"].as_str().unwrap(),
        v["event"].as_str().unwrap(),
        serde_json::to_string(&v["data"]).unwrap(),
        v["prev"].as_str().unwrap()
    )
}

/// Renumbers, re-chains and (with `signer`) re-signs every checkpoint line:
/// what an attacker who knows the format does after changing lines.
pub(crate) fn rechain(lines: &mut [String], signer: Option<&Signer>) {
    let mut prev = Sha256::ZERO;
    let mut tree = CompactRange::default();
    let origin = serde_json::from_str::<Value>(&lines[0]).unwrap()["data"]["origin"].as_str().unwrap().to_string();
    for (i, l) in lines.iter_mut().enumerate() {
        let mut v: Value = serde_json::from_str(l).unwrap();
        v["seq"] = json!(i);
        v["prev"] = json!(prev.to_string());
        if v["event"] == "checkpoint"
            && let Some(s) = signer
        {
            let cp = Checkpoint { origin: origin.clone(), size: i as u64, root: tree.root() };
            v["data"]["note"] = json!(s.sign(&cp.body()));
        }
        *l = line(&v);
        prev = Sha256::digest(l.as_bytes());
        tree.append(leaf_hash(l.as_bytes()));
    }
}

pub(crate) fn signer(env: &TestEnv) -> Signer {
    dsr::evidence::key::load(&env.join(".config/dsr/signing-key")).unwrap().unwrap()
}

/// A copy of the scene's data directory.
fn copy_data(scene: &Scene, name: &str) -> PathBuf {
    let to = scene.env.join(name);
    crate::support::copy_tree(&scene.env.join("data"), &to);
    to
}

/// (exit code, text) of dsr and of the Python verifier for the same check.
struct Both {
    dsr: (i32, String),
    py: (i32, String),
}

fn run_py(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .args(args)
        .current_dir(env.path())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run_dsr(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = env.dsr(args).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let text = if code == 0 { out.stdout } else { out.stderr };
    (code, String::from_utf8_lossy(&text).into_owned())
}

fn verify_log(scene: &Scene, data: &Path, with_early: bool) -> Both {
    let d = data.to_str().unwrap();
    let mut dsr_args = vec!["--data-dir", d, "log", "verify", "--key", &scene.key];
    let mut py_args = vec!["log", d, "--key", &scene.key];
    if with_early {
        dsr_args.extend(["--checkpoint", "early.txt"]);
        py_args.extend(["--checkpoint", "early.txt"]);
    }
    Both { dsr: run_dsr(&scene.env, &dsr_args), py: run_py(&scene.env, &py_args) }
}

/// The line a message names: dsr's `log.jsonl:N:` or the first `line N`.
fn line_named(text: &str) -> Option<u64> {
    let number = |s: &str| s.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok();
    if let Some(i) = text.find("log.jsonl:") {
        return number(&text[i + 10..]);
    }
    text.match_indices("line ").find_map(|(i, _)| number(&text[i + 5..]))
}

#[track_caller]
fn assert_log_fault(name: &str, both: &Both, line: u64, why: &str) {
    assert_eq!((both.dsr.0, both.py.0), (4, 4), "{name}\ndsr: {}\npy: {}", both.dsr.1, both.py.1);
    assert_eq!(line_named(&both.dsr.1), Some(line), "{name}: dsr names another line: {}", both.dsr.1);
    assert_eq!(line_named(&both.py.1), Some(line), "{name}: verify_log.py names another line: {}", both.py.1);
    assert!(both.dsr.1.contains(why), "{name}: dsr: {}", both.dsr.1);
    assert!(both.py.1.contains(why), "{name}: py: {}", both.py.1);
}

#[test]
fn every_tamper_class_of_the_log_is_detected_by_both_verifiers_at_the_same_line() {
    let scene = scene();
    let honest = verify_log(&scene, &scene.env.join("data"), true);
    assert_eq!((honest.dsr.0, honest.py.0), (0, 0), "dsr: {}\npy: {}", honest.dsr.1, honest.py.1);
    assert_eq!(honest.dsr.1, honest.py.1);
    assert!(honest.dsr.1.contains("extends checkpoint early.txt: lines 1-8 are as it signed them"), "{}", honest.dsr.1);
    let key = signer(&scene.env);
    let lines = log_lines(&scene.env.join("data"));
    let company = |l: &str| l.replacen("Zendesk International Ltd.", "Zendesk Ireland Ltd.", 1);

    // Changed line: its hash no longer is the next line's prev.
    let d = copy_data(&scene, "changed");
    let mut l = lines.clone();
    l[6] = company(&l[6]);
    write_lines(&d, &l);
    assert_log_fault("changed line", &verify_log(&scene, &d, true), 8, "prev does not match");

    // Removed line: the next one's seq is off.
    let d = copy_data(&scene, "removed");
    let mut l = lines.clone();
    l.remove(4);
    write_lines(&d, &l);
    assert_log_fault("removed line", &verify_log(&scene, &d, true), 5, "seq is 5, expected 4");

    // Inserted line.
    let d = copy_data(&scene, "inserted");
    let mut l = lines.clone();
    l.insert(2, lines[1].clone());
    write_lines(&d, &l);
    assert_log_fault("inserted line", &verify_log(&scene, &d, true), 3, "seq is 1, expected 2");

    // Reordered lines.
    let d = copy_data(&scene, "reordered");
    let mut l = lines.clone();
    l.swap(1, 2);
    write_lines(&d, &l);
    assert_log_fault("reordered lines", &verify_log(&scene, &d, true), 2, "seq is 2, expected 1");

    // Re-chained rewrite without the key: the next checkpoint line no
    // longer matches the tree of the lines before it; the kept checkpoint,
    // compared as soon as 8 lines are read, names line 8 first.
    let d = copy_data(&scene, "rechained");
    let mut l = lines.clone();
    l[6] = company(&l[6]);
    rechain(&mut l, None);
    write_lines(&d, &l);
    assert_log_fault(
        "re-chained rewrite",
        &verify_log(&scene, &d, false),
        9,
        "checkpoint: the 8 lines before it have root",
    );
    assert_log_fault("re-chained rewrite", &verify_log(&scene, &d, true), 8, "at or before line 8 was changed");

    // Re-chained and re-signed (the key holder): only the checkpoint kept
    // elsewhere shows it; without it the log verifies.
    let d = copy_data(&scene, "resigned");
    let mut l = lines.clone();
    l[6] = company(&l[6]);
    rechain(&mut l, Some(&key));
    write_lines(&d, &l);
    let without = verify_log(&scene, &d, false);
    assert_eq!((without.dsr.0, without.py.0), (0, 0), "{}\n{}", without.dsr.1, without.py.1);
    assert_log_fault("re-signed rewrite", &verify_log(&scene, &d, true), 8, "at or before line 8 was changed");

    // Backdating every line by two months, re-chained and re-signed.
    let d = copy_data(&scene, "backdated");
    let mut l: Vec<String> = lines
        .iter()
        .map(|x| {
            let mut v: Value = serde_json::from_str(x).unwrap();
            let t = dsr::evidence::parse_time(v["time"].as_str().unwrap()).unwrap() - chrono::Duration::days(61);
            v["time"] = json!(dsr::evidence::format_time(&t));
            line(&v)
        })
        .collect();
    rechain(&mut l, Some(&key));
    write_lines(&d, &l);
    assert_log_fault("backdating", &verify_log(&scene, &d, true), 8, "at or before line 8 was changed");

    // Truncation at a line boundary, below the kept checkpoint's size.
    let d = copy_data(&scene, "truncated");
    write_lines(&d, &lines[..6]);
    assert_log_fault("truncation", &verify_log(&scene, &d, true), 6, "it covers 8 lines, but");

    // A forged line (a `reply_received` that never arrived), chained in by
    // someone without the key: the next checkpoint line is off.
    let time_of = |l: &str| serde_json::from_str::<Value>(l).unwrap()["time"].clone();
    let forged = |at: usize, request: &str, prev: u64| {
        let v = json!({"seq": 0, "time": time_of(&lines[at - 1]), "event": "reply_received", "request": request,
            "data": {"outcome": "confirmed", "message_id": "forged@zendesk.example", "date": "2026-11-30T09:00:00Z",
                     "extended_to": null, "objects": [], "request_prev": prev}, "prev": "0".repeat(64)});
        let mut l = lines.clone();
        l.insert(at, line(&v));
        l
    };
    let d = copy_data(&scene, "forged");
    let mut l = forged(5, &scene.a, 4);
    rechain(&mut l, None);
    write_lines(&d, &l);
    assert_log_fault(
        "forged line",
        &verify_log(&scene, &d, true),
        7,
        "a checkpoint line covers exactly the lines before it",
    );
    // … and by the key holder: the kept checkpoint shows it.
    let d = copy_data(&scene, "forged-signed");
    let mut l = forged(5, &scene.a, 4);
    rechain(&mut l, Some(&key));
    write_lines(&d, &l);
    assert_log_fault("forged, re-signed", &verify_log(&scene, &d, true), 8, "at or before line 8 was changed");

    // A forged line appended after the last checkpoint: not detectable as
    // a change, but both say it rests on the log's word only.
    let d = copy_data(&scene, "appended");
    let mut l = lines.clone();
    let v = json!({"seq": l.len(), "time": time_of(&l[l.len() - 1]), "event": "reply_received", "request": scene.b,
        "data": {"outcome": "confirmed", "message_id": "forged@zendesk.example", "date": "2026-12-31T09:00:00Z",
                 "extended_to": null, "objects": [], "request_prev": 7},
        "prev": Sha256::digest(l[l.len() - 1].as_bytes()).to_string()});
    l.push(line(&v));
    write_lines(&d, &l);
    let both = verify_log(&scene, &d, true);
    assert_eq!((both.dsr.0, both.py.0), (0, 0), "{}\n{}", both.dsr.1, both.py.1);
    assert_eq!(both.dsr.1, both.py.1);
    assert!(both.dsr.1.contains("not covered by a signed checkpoint: lines 15-15"), "{}", both.dsr.1);
}

// ---------------------------------------------------------------------------
// Bundles.

/// Rewrites SHA256SUMS and the manifest's file list (and, if asked, its
/// lines) so that the file layer passes again.
fn reseal(dir: &Path, relist_lines: bool) {
    let mut manifest: Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    if relist_lines {
        let text = fs::read_to_string(dir.join("log-lines.jsonl")).unwrap();
        manifest["lines"] = text
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                json!({"seq": v["seq"], "sha256": Sha256::digest(l.as_bytes()).to_string()})
            })
            .collect();
    }
    for f in manifest["files"].as_array_mut().unwrap() {
        let bytes = fs::read(dir.join(f["path"].as_str().unwrap())).unwrap();
        f["sha256"] = Sha256::digest(&bytes).to_string().into();
        f["size"] = bytes.len().into();
    }
    fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    let mut sums = String::new();
    for f in manifest["files"].as_array().unwrap() {
        sums.push_str(&format!("{}  {}\n", f["sha256"].as_str().unwrap(), f["path"].as_str().unwrap()));
    }
    sums.push_str(&format!("{}  manifest.json\n", Sha256::digest(&fs::read(dir.join("manifest.json")).unwrap())));
    fs::write(dir.join("SHA256SUMS"), sums).unwrap();
}

fn verify_bundle(scene: &Scene, dir: &Path) -> Both {
    let d = dir.to_str().unwrap();
    Both {
        dsr: run_dsr(&scene.env, &["evidence", "verify", d, "--checkpoint", "early.txt", "--key", &scene.key]),
        py: run_py(&scene.env, &["bundle", d, "--checkpoint", "early.txt", "--key", &scene.key]),
    }
}

/// The file a bundle error names: dsr's `does not verify: FILE: …`,
/// the Python verifier's `FILE: …`.
fn file_named(text: &str) -> Option<&str> {
    let rest = text.split_once("does not verify: ").map_or(text, |(_, r)| r);
    rest.split_once(": ").map(|(f, _)| f)
}

#[track_caller]
fn assert_bundle_fault(name: &str, both: &Both, file: &str, line: Option<u64>, why: &str) {
    assert_eq!((both.dsr.0, both.py.0), (4, 4), "{name}\ndsr: {}\npy: {}", both.dsr.1, both.py.1);
    assert_eq!(file_named(&both.dsr.1), Some(file), "{name}: dsr: {}", both.dsr.1);
    assert_eq!(file_named(&both.py.1), Some(file), "{name}: py: {}", both.py.1);
    let after = |t: &str| line_named(t.split_once(&format!("{file}: ")).map_or(t, |(_, r)| r));
    assert_eq!(after(&both.dsr.1), line, "{name}: dsr: {}", both.dsr.1);
    assert_eq!(after(&both.py.1), line, "{name}: py: {}", both.py.1);
    assert!(both.dsr.1.contains(why) && both.py.1.contains(why), "{name}:\ndsr: {}\npy: {}", both.dsr.1, both.py.1);
}

fn export(scene: &Scene, data: &Path, request: &str, out: &str) -> PathBuf {
    let d = data.to_str().unwrap();
    scene
        .env
        .dsr(&["--data-dir", d, "evidence", "export", request, "--out", out, "--checkpoint", "early.txt"])
        .assert()
        .success();
    scene.env.join(out)
}

#[test]
fn every_tamper_class_of_a_bundle_is_detected_by_both_verifiers_naming_the_same_file_and_line() {
    let scene = scene();
    let data = scene.env.join("data");
    let a = export(&scene, &data, &scene.a, "bundle-a");
    let honest = verify_bundle(&scene, &a);
    assert_eq!((honest.dsr.0, honest.py.0), (0, 0), "dsr: {}\npy: {}", honest.dsr.1, honest.py.1);
    assert_eq!(honest.dsr.1, honest.py.1);
    assert!(honest.dsr.1.contains("checkpoint early.txt: the bundle's tree is it or extends it"), "{}", honest.dsr.1);
    let manifest: Value = serde_json::from_slice(&fs::read(a.join("manifest.json")).unwrap()).unwrap();
    let linked: Vec<u64> = manifest["linked"].as_array().unwrap().iter().map(|l| l["size"].as_u64().unwrap()).collect();
    assert_eq!(linked, [3, 5, 8], "the first checkpoint after each of A's lines, and the one given");
    let proof_bytes = fs::metadata(a.join("proofs.json")).unwrap().len();
    assert!(proof_bytes < 16_000, "{proof_bytes}");

    let copy = |name: &str| {
        let to = scene.env.join(name);
        crate::support::copy_tree(&a, &to);
        to
    };

    // A forged line, every checksum recomputed: its proof fails.
    let d = copy("forged-line");
    let text = fs::read_to_string(d.join("log-lines.jsonl")).unwrap();
    fs::write(d.join("log-lines.jsonl"), text.replacen("\"outboxed\"", "\"sent\"", 1)).unwrap();
    reseal(&d, true);
    assert_bundle_fault(
        "forged bundle line",
        &verify_bundle(&scene, &d),
        "log-lines.jsonl",
        Some(2),
        "not in the tree of",
    );

    // An omitted line (A's outboxed, between prepared and closed), with the
    // manifest, proofs and checksums made to fit: the closed line names it.
    let d = copy("omitted-line");
    let text = fs::read_to_string(d.join("log-lines.jsonl")).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.contains("\"outboxed\"")).collect();
    fs::write(d.join("log-lines.jsonl"), kept.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let mut proofs: Value = serde_json::from_slice(&fs::read(d.join("proofs.json")).unwrap()).unwrap();
    proofs["inclusion"].as_array_mut().unwrap().retain(|p| p["seq"] != 2);
    fs::write(d.join("proofs.json"), serde_json::to_vec_pretty(&proofs).unwrap()).unwrap();
    reseal(&d, true);
    assert_bundle_fault(
        "omitted bundle line",
        &verify_bundle(&scene, &d),
        "log-lines.jsonl",
        Some(2),
        "it follows the request's line seq 2, which the bundle does not have",
    );

    // A changed manifest field.
    let d = copy("changed-manifest");
    let mut m: Value = serde_json::from_slice(&fs::read(d.join("manifest.json")).unwrap()).unwrap();
    m["company"] = json!("Somebody Else Ltd.");
    fs::write(d.join("manifest.json"), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    reseal(&d, false);
    assert_bundle_fault("changed manifest field", &verify_bundle(&scene, &d), "manifest.json", None, "company is");

    // The key holder rewrites the log (A's prepared line), re-signs every
    // checkpoint and exports a bundle that is consistent in itself: the
    // checkpoint a recipient of A's last message kept shows the rewrite.
    let rewritten = copy_data(&scene, "rewritten");
    let mut l = log_lines(&rewritten);
    l[1] = l[1].replacen("\"erasure\"", "\"access\"", 1);
    rechain(&mut l, Some(&signer(&scene.env)));
    write_lines(&rewritten, &l);
    let forged = scene.env.join("forged-bundle");
    let r = rewritten.to_str().unwrap();
    scene.env.dsr(&["--data-dir", r, "evidence", "export", &scene.a, "--out", "forged-bundle"]).assert().success();
    let alone = Both {
        dsr: run_dsr(&scene.env, &["evidence", "verify", "forged-bundle", "--key", &scene.key]),
        py: run_py(&scene.env, &["bundle", "forged-bundle", "--key", &scene.key]),
    };
    assert_eq!(
        (alone.dsr.0, alone.py.0),
        (0, 0),
        "without a kept checkpoint a re-signed forgery verifies:\n{}",
        alone.dsr.1
    );
    let kept = Both {
        dsr: run_dsr(
            &scene.env,
            &["evidence", "verify", "forged-bundle", "--checkpoint", "a-closed.txt", "--key", &scene.key],
        ),
        py: run_py(&scene.env, &["bundle", "forged-bundle", "--checkpoint", "a-closed.txt", "--key", &scene.key]),
    };
    assert_bundle_fault(
        "re-signed forgery",
        &kept,
        "--checkpoint a-closed.txt",
        None,
        "the log was rewritten since it was signed",
    );
    // The checkpoint the honest bundle links to is one the forgery cannot.
    let d = forged.to_str().unwrap();
    let without_link = Both {
        dsr: run_dsr(&scene.env, &["evidence", "verify", d, "--checkpoint", "early.txt", "--key", &scene.key]),
        py: run_py(&scene.env, &["bundle", d, "--checkpoint", "early.txt", "--key", &scene.key]),
    };
    assert_bundle_fault(
        "re-signed forgery",
        &without_link,
        "--checkpoint early.txt",
        None,
        "holds no consistency proof from a checkpoint of 8 lines",
    );
}

#[test]
fn a_bundle_of_another_case_and_a_newer_checkpoint_are_named() {
    let scene = scene();
    let data = scene.env.join("data");
    // B's bundle, given a checkpoint newer than the bundle's tree.
    let b = export(&scene, &data, &scene.b, "bundle-b");
    scene.env.dsr(&["log", "checkpoint", "--out", "now.txt"]).assert().success();
    let newer = SignedCheckpoint::parse(&scene.env.read("now.txt")).unwrap();
    let bundle: Value = serde_json::from_slice(&fs::read(b.join("manifest.json")).unwrap()).unwrap();
    assert!(newer.checkpoint.size >= bundle["tree"]["size"].as_u64().unwrap());
    // Same tree: the bundle was made after the last command.
    let d = b.to_str().unwrap();
    scene.env.dsr(&["evidence", "verify", d, "--checkpoint", "now.txt", "--key", &scene.key]).assert().success();
    // A log line of A put into B's bundle: it belongs to another request.
    let dir = scene.env.join("mixed");
    crate::support::copy_tree(&b, &dir);
    let a_line = log_lines(&data)[1].clone();
    let text = fs::read_to_string(dir.join("log-lines.jsonl")).unwrap();
    fs::write(dir.join("log-lines.jsonl"), format!("{a_line}\n{text}")).unwrap();
    reseal(&dir, true);
    let both = verify_bundle(&scene, &dir);
    assert_bundle_fault("another case's line", &both, "log-lines.jsonl", Some(1), "belongs to request");
}

/// `dsr log verify --objects` and `verify_log.py log --objects` (with the
/// early checkpoint).
fn verify_objects(scene: &Scene, data: &Path) -> Both {
    let d = data.to_str().unwrap();
    let dsr_args = ["--data-dir", d, "log", "verify", "--objects", "--key", &scene.key, "--checkpoint", "early.txt"];
    let py_args = ["log", d, "--objects", "--key", &scene.key, "--checkpoint", "early.txt"];
    Both { dsr: run_dsr(&scene.env, &dsr_args), py: run_py(&scene.env, &py_args) }
}

/// The object hashes the lines of `request` name.
fn objects_of(lines: &[String], request: &str) -> Vec<String> {
    let mut out = Vec::new();
    for l in lines {
        let v: Value = serde_json::from_str(l).unwrap();
        if v["request"] == request {
            for o in v["data"]["objects"].as_array().into_iter().flatten() {
                out.push(o["sha256"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

fn object_path(data: &Path, h: &str) -> PathBuf {
    data.join("objects").join(&h[..2]).join(&h[2..])
}

/// Adds `h` to `data.purged` of line `i` (0-based) of the purged scene
/// `from` and deletes the object;
/// re-chains and re-signs: the attacker holds the signing key, so only the
/// purge rules can catch it.
fn forge_purge(scene: &Scene, from: &Path, name: &str, lines: &[String], i: usize, h: &str) -> PathBuf {
    let d = scene.env.join(name);
    crate::support::copy_tree(from, &d);
    let mut l = lines.to_vec();
    let mut v: Value = serde_json::from_str(&l[i]).unwrap();
    match v["data"]["purged"].as_array_mut() {
        Some(list) => list.push(json!(h)),
        None => v["data"]["purged"] = json!([h]),
    }
    l[i] = line(&v);
    rechain(&mut l, Some(&signer(&scene.env)));
    write_lines(&d, &l);
    fs::remove_file(object_path(&d, h)).unwrap();
    d
}

/// Issue 13, purge accountability: a purge covers only objects its own
/// request named and no other unpurged request still names; `data.purged`
/// only in `purged` lines; objects back in the store after a purge are
/// reported. Both verifiers, the same line.
#[test]
fn purge_accountability_is_checked_by_both_verifiers_at_the_same_line() {
    let scene = scene();
    let purged = copy_data(&scene, "purged");
    let out = scene
        .env
        .dsr(&[
            "--data-dir",
            purged.to_str().unwrap(),
            "purge",
            "--request",
            &scene.a,
            "--force",
            "--reason",
            "test: purge an open case",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "purge: {}", String::from_utf8_lossy(&out.stderr));
    let honest = verify_objects(&scene, &purged);
    assert_eq!((honest.dsr.0, honest.py.0), (0, 0), "dsr: {}\npy: {}", honest.dsr.1, honest.py.1);
    assert_eq!(honest.dsr.1, honest.py.1);
    assert!(!honest.dsr.1.contains("restored"), "{}", honest.dsr.1);

    let lines = log_lines(&purged);
    let p = lines.iter().position(|l| l.contains(r#""event":"purged""#)).unwrap();
    let (a, b) = (objects_of(&lines, &scene.a), objects_of(&lines, &scene.b));
    let c_request = serde_json::from_str::<Value>(&lines[9]).unwrap()["request"].as_str().unwrap().to_string();
    let c = objects_of(&lines, &c_request);

    // A's purge lists an object only case C named (and it is gone).
    let only_c = c.iter().find(|h| !a.contains(h) && !b.contains(h)).unwrap();
    let d = forge_purge(&scene, &purged, "purge-other", &lines, p, only_c);
    assert_log_fault(
        "purge of another case's object",
        &verify_objects(&scene, &d),
        p as u64 + 1,
        "no earlier line of request",
    );

    // A's purge lists an object A named that B still names.
    let shared = a.iter().find(|h| b.contains(h)).expect("A and B share an object (the attachment)");
    let d = forge_purge(&scene, &purged, "purge-shared", &lines, p, shared);
    assert_log_fault("purge of a shared object", &verify_objects(&scene, &d), p as u64 + 1, "still names it");

    // C's `closed` line carries data.purged for one of C's objects.
    let closed = lines.iter().rposition(|l| l.contains(r#""event":"closed""#) && l.contains(&c_request)).unwrap();
    let d = forge_purge(&scene, &purged, "purge-closed", &lines, closed, only_c);
    assert_log_fault(
        "data.purged in a closed line",
        &verify_objects(&scene, &d),
        closed as u64 + 1,
        "data.purged is allowed only in a \"purged\" line",
    );

    // A purged object put back from a backup: verifies, and is reported.
    let listed: Value = serde_json::from_str(&lines[p]).unwrap();
    let back = listed["data"]["purged"][0].as_str().unwrap();
    let d = scene.env.join("restored");
    crate::support::copy_tree(&purged, &d);
    fs::copy(object_path(&scene.env.join("data"), back), object_path(&d, back)).unwrap();
    let both = verify_objects(&scene, &d);
    assert_eq!((both.dsr.0, both.py.0), (0, 0), "dsr: {}\npy: {}", both.dsr.1, both.py.1);
    assert_eq!(both.dsr.1, both.py.1);
    let want = format!("restored after purge: object {back} is listed as purged on line {}", p + 1);
    assert!(both.dsr.1.contains(&want), "{}", both.dsr.1);
}
