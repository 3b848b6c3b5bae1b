//! Tests for `dsr evidence export` / `dsr evidence verify` (the case
//! bundle) and `dsr status --ics` (deadlines for a calendar app).

use crate::support::smtp::{SmtpOptions, SmtpServer, python};
use crate::support::{Placeholders, TestEnv, assert_output, repo, sha256_hex};
use std::fs;
use std::path::Path;

/// A test env with a signing key and one request sent to the outbox;
/// returns its id.
fn env_with_case() -> (TestEnv, String) {
    let env = TestEnv::new().with_config();
    env.dsr(&["key", "new"]).assert().success();
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    let id = send(&env);
    (env, id)
}

fn send(env: &TestEnv) -> String {
    let out = env
        .dsr(&[
            "send",
            "--to",
            "zendesk",
            "--kind",
            "erasure",
            "--subject",
            "subject.toml",
            "--again",
            "test: one more request for the same subject",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "send failed: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("request:"))
        .map(|r| r.trim().to_string())
        .unwrap_or_else(|| panic!("no request id in {stdout}"))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Runs `dsr ARGS` in `env` and checks what it shows against `tests/golden/<name>.txt`.
#[track_caller]
fn snapshot(env: &TestEnv, args: &[&str], name: &str, placeholders: Placeholders) {
    assert_output(name, args, &env.dsr(args).output().unwrap(), placeholders);
}

#[test]
fn export_then_verify_offline() {
    let (env, id) = env_with_case();
    // A second case in between, whose content must stay out of the bundle.
    let other = send(&env);
    env.dsr(&["evidence", "export", &id, "--out", "bundle"]).assert().success();
    let b = env.join("bundle");
    let mut names: Vec<String> =
        fs::read_dir(&b).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "01-message.eml",
            "02-envelope.json",
            "03-letter.txt",
            "04-letter-context.json",
            "05-identity-verification.txt",
            "06-identity-verification.json",
            "07-case-label.json",
            "README.txt",
            "SHA256SUMS",
            "checkpoint-3.txt",
            "checkpoint.txt",
            "log-context.jsonl",
            "log-lines.jsonl",
            "manifest.json",
            "proofs.json"
        ]
    );
    // Log lines byte for byte, and the header as context.
    let log = fs::read(env.join("data/log.jsonl")).unwrap();
    let lines: Vec<&[u8]> = log.split_inclusive(|&b| b == b'\n').collect();
    let case_lines: Vec<u8> = lines
        .iter()
        .filter(|l| String::from_utf8_lossy(l).contains(&format!("\"request\":\"{id}\"")))
        .flat_map(|l| l.iter().copied())
        .collect();
    assert_eq!(fs::read(b.join("log-lines.jsonl")).unwrap(), case_lines);
    assert_eq!(fs::read(b.join("log-context.jsonl")).unwrap(), lines[0]);
    // Nothing of the other case: not its id, and no line's hash but those
    // the case's own lines carry as `prev`.
    let everything: String =
        names.iter().map(|n| String::from_utf8_lossy(&fs::read(b.join(n)).unwrap()).into_owned()).collect();
    assert!(!everything.contains(&other), "the other case's id leaked into the bundle");
    let carried = String::from_utf8_lossy(&case_lines).into_owned();
    for (i, l) in lines.iter().enumerate() {
        let mine = i == 0 || String::from_utf8_lossy(l).contains(&format!("\"request\":\"{id}\""));
        let hash = sha256_hex(&l[..l.len() - 1]);
        assert!(mine || !everything.contains(&hash) || carried.contains(&hash), "line {}'s hash leaked: {hash}", i + 1);
    }
    // The checkpoint is the log's latest (after the second send), the
    // linked one the first after the case's lines.
    let last = String::from_utf8_lossy(lines[lines.len() - 1]).into_owned();
    let note: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(note["event"], "checkpoint");
    assert_eq!(fs::read_to_string(b.join("checkpoint.txt")).unwrap(), note["data"]["note"].as_str().unwrap());
    // The message is the outbox file, byte for byte.
    let outbox = fs::read_dir(env.join("data/outbox")).unwrap().map(|e| e.unwrap().path()).collect::<Vec<_>>();
    assert!(outbox.iter().any(|p| fs::read(p).unwrap() == fs::read(b.join("01-message.eml")).unwrap()));
    // README in the case's language (zendesk's policy writes English).
    let readme = fs::read_to_string(b.join("README.txt")).unwrap();
    assert!(readme.starts_with(&format!("Evidence bundle for request {id}\n")), "{readme}");
    assert!(readme.contains("sha256sum -c SHA256SUMS"));
    readme_snapshot(&env, "en", &readme, &id);

    // Offline: move the bundle away from the data directory.
    let elsewhere = TestEnv::new();
    copy_dir(&b, &elsewhere.join("b"));
    let a = elsewhere.dsr(&["evidence", "verify", "b"]).assert().success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        stdout.starts_with(&format!("ok: request {id}, 15 files, 2 log lines, 7 objects\ntree: root ")),
        "{stdout}"
    );
    assert!(stdout.contains(", signed by dsr+"), "{stdout}");
    // The published key, given, is required; another key is refused.
    let key = String::from_utf8(env.dsr(&["key", "show"]).output().unwrap().stdout).unwrap();
    let key = key.lines().find_map(|l| l.strip_prefix("public key: ")).unwrap().to_string();
    elsewhere.dsr(&["evidence", "verify", "b", "--key", &key]).assert().success();
    let someone = TestEnv::new();
    let other = String::from_utf8(someone.dsr(&["key", "new"]).output().unwrap().stdout).unwrap();
    let other_key = other.lines().find_map(|l| l.strip_prefix("public key: ")).unwrap().to_string();
    // The key as named in messages: `<name>+<key hash>`.
    let other_key_id = other_key.splitn(3, '+').take(2).collect::<Vec<_>>().join("+");
    let placeholders =
        elsewhere.placeholders().with("[REQUEST]", &id).with("[KEY]", &other_key).with("[KEY_ID]", &other_key_id);
    snapshot(
        &elsewhere,
        &["evidence", "verify", "b", "--key", &other_key],
        "errors/evidence-verify-other-key",
        placeholders,
    );
    // --head is for format-1 bundles.
    let zeros = "0".repeat(64);
    let placeholders = elsewhere.placeholders().with("[REQUEST]", &id);
    snapshot(
        &elsewhere,
        &["evidence", "verify", "b", "--head", &zeros],
        "errors/evidence-verify-head-on-v2",
        placeholders,
    );
    // And the independent verifier agrees.
    let py = std::process::Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .args(["bundle", "b", "--key", &key])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stdout));
    let dsr_out = elsewhere.dsr(&["evidence", "verify", "b", "--key", &key]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&py.stdout), String::from_utf8_lossy(&dsr_out.stdout));
    // And coreutils agrees.
    let out =
        std::process::Command::new("sha256sum").arg("-c").arg("SHA256SUMS").current_dir(elsewhere.join("b")).output();
    if let Ok(out) = out {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn any_changed_file_fails_verification_naming_it() {
    let (env, id) = env_with_case();
    env.dsr(&["evidence", "export", &id, "--out", "bundle"]).assert().success();
    for file in [
        "01-message.eml",
        "03-letter.txt",
        "log-lines.jsonl",
        "log-context.jsonl",
        "proofs.json",
        "checkpoint.txt",
        "manifest.json",
        "README.txt",
    ] {
        let dir = env.join(&format!("changed-{file}"));
        copy_dir(&env.join("bundle"), &dir);
        let mut bytes = fs::read(dir.join(file)).unwrap();
        let i = bytes.len() / 2;
        bytes[i] ^= 0x01;
        fs::write(dir.join(file), bytes).unwrap();
        let a = env.dsr(&["evidence", "verify", dir.to_str().unwrap()]).assert().code(4);
        let err = stderr_of(&a);
        assert!(
            err.starts_with(&format!("error: bundle {} does not verify: {file}: ", dir.display())),
            "{file}: {err}"
        );
    }
    // A wrong line in SHA256SUMS names SHA256SUMS.
    let dir = env.join("changed-sums");
    copy_dir(&env.join("bundle"), &dir);
    let sums = fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let line = sums.lines().find(|l| l.ends_with("03-letter.txt")).unwrap();
    let flipped = format!("{}{}", if line.starts_with('0') { '1' } else { '0' }, &line[1..]);
    fs::write(dir.join("SHA256SUMS"), sums.replace(line, &flipped)).unwrap();
    let args = ["evidence", "verify", dir.to_str().unwrap()];
    snapshot(&env, &args, "errors/evidence-verify-sums-mismatch", env.placeholders().with("[REQUEST]", &id));
    // An added and a removed file.
    let dir = env.join("added");
    copy_dir(&env.join("bundle"), &dir);
    fs::write(dir.join("extra.txt"), "x").unwrap();
    let args = ["evidence", "verify", dir.to_str().unwrap()];
    snapshot(&env, &args, "errors/evidence-verify-extra-file", env.placeholders().with("[REQUEST]", &id));
    let dir = env.join("removed");
    copy_dir(&env.join("bundle"), &dir);
    fs::remove_file(dir.join("02-envelope.json")).unwrap();
    let args = ["evidence", "verify", dir.to_str().unwrap()];
    snapshot(&env, &args, "errors/evidence-verify-missing-file", env.placeholders().with("[REQUEST]", &id));
}

/// Rewrites SHA256SUMS and the manifest's lists of files and lines so
/// that the file layer passes again: what a forger who knows the format
/// would do.
fn reseal(dir: &Path) {
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let text = fs::read_to_string(dir.join("log-lines.jsonl")).unwrap();
    manifest["lines"] = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            serde_json::json!({"seq": v["seq"], "sha256": sha256_hex(l.as_bytes())})
        })
        .collect();
    for f in manifest["files"].as_array_mut().unwrap() {
        let bytes = fs::read(dir.join(f["path"].as_str().unwrap())).unwrap();
        f["sha256"] = sha256_hex(&bytes).into();
        f["size"] = bytes.len().into();
    }
    fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    let mut sums = String::new();
    for f in manifest["files"].as_array().unwrap() {
        sums.push_str(&format!("{}  {}\n", f["sha256"].as_str().unwrap(), f["path"].as_str().unwrap()));
    }
    sums.push_str(&format!("{}  manifest.json\n", sha256_hex(&fs::read(dir.join("manifest.json")).unwrap())));
    fs::write(dir.join("SHA256SUMS"), sums).unwrap();
}

#[test]
fn resealed_forgeries_fail_on_the_proofs() {
    let (env, id) = env_with_case();
    env.dsr(&["evidence", "export", &id, "--out", "bundle"]).assert().success();
    // A changed log line, checksums fixed: its proof no longer leads to the
    // signed root.
    let dir = env.join("forged-line");
    copy_dir(&env.join("bundle"), &dir);
    let lines = fs::read_to_string(dir.join("log-lines.jsonl")).unwrap();
    fs::write(dir.join("log-lines.jsonl"), lines.replace("\"erasure\"", "\"access\"")).unwrap();
    reseal(&dir);
    let args = ["evidence", "verify", dir.to_str().unwrap()];
    let placeholders = env.placeholders().with("[REQUEST]", &id).pattern("[HASH]", "[0-9a-f]{64}");
    snapshot(&env, &args, "errors/evidence-verify-forged-line", placeholders);
    // A changed object, checksums fixed: the log line names other bytes.
    let dir = env.join("forged-object");
    copy_dir(&env.join("bundle"), &dir);
    fs::write(dir.join("03-letter.txt"), "a different letter").unwrap();
    reseal(&dir);
    let args = ["evidence", "verify", dir.to_str().unwrap()];
    // The letter's size depends on today's date, which it states.
    let placeholders = env
        .placeholders()
        .with("[REQUEST]", &id)
        .pattern("[HASH]", "[0-9a-f]{64}")
        .pattern("[SIZE]", r"(?<redacted>\d+) bytes named by");
    snapshot(&env, &args, "errors/evidence-verify-forged-object", placeholders);
    // A changed proof hash.
    let dir = env.join("forged-proof");
    copy_dir(&env.join("bundle"), &dir);
    let mut proofs: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("proofs.json")).unwrap()).unwrap();
    proofs["inclusion"][1]["proof"][0] = serde_json::json!("0".repeat(64));
    fs::write(dir.join("proofs.json"), serde_json::to_vec_pretty(&proofs).unwrap()).unwrap();
    reseal(&dir);
    let args = ["evidence", "verify", dir.to_str().unwrap()];
    let placeholders = env.placeholders().with("[REQUEST]", &id).pattern("[HASH]", "[0-9a-f]{64}");
    snapshot(&env, &args, "errors/evidence-verify-forged-proof", placeholders);
}

#[test]
fn a_bundle_line_with_data_purged_outside_a_purge_is_refused_by_both_verifiers() {
    // The log's own shape rule (docs/evidence-log.md §5) holds in a bundle
    // too: an `outboxed` line carrying `data.purged` would excuse missing objects.
    let (env, id) = env_with_case();
    env.dsr(&["evidence", "export", &id, "--out", "bundle"]).assert().success();
    let dir = env.join("forged-purged");
    copy_dir(&env.join("bundle"), &dir);
    let lines = fs::read_to_string(dir.join("log-lines.jsonl")).unwrap();
    let forged: String = lines
        .lines()
        .map(|l| {
            if l.contains("\"event\":\"outboxed\"") {
                l.replacen("\"data\":{", "\"data\":{\"purged\":[],", 1)
            } else {
                l.into()
            }
        })
        .map(|l| l + "\n")
        .collect();
    assert_ne!(forged, lines, "the bundle has an outboxed line");
    fs::write(dir.join("log-lines.jsonl"), forged).unwrap();
    reseal(&dir);
    let rule = "data.purged is allowed only in a \"purged\" line, not in \"outboxed\"";
    let out = env.dsr(&["evidence", "verify", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains(rule), "{}", String::from_utf8_lossy(&out.stderr));
    let py = std::process::Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .args(["bundle", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let py_text = format!("{}{}", String::from_utf8_lossy(&py.stdout), String::from_utf8_lossy(&py.stderr));
    assert!(!py.status.success() && py_text.contains(rule), "{py_text}");
}

#[test]
fn export_into_a_non_empty_directory_is_refused() {
    let (env, id) = env_with_case();
    env.write("bundle/notes.txt", "mine");
    let placeholders = env.placeholders().with("[REQUEST]", &id);
    snapshot(&env, &["evidence", "export", &id, "--out", "bundle"], "errors/evidence-export-not-empty", placeholders);
    assert_eq!(env.read("bundle/notes.txt"), "mine");
    // --force replaces an earlier bundle; a directory with subdirectories is not one.
    env.dsr(&["evidence", "export", &id, "--out", "bundle", "--force"]).assert().success();
    env.dsr(&["evidence", "verify", "bundle"]).assert().success();
    assert!(!env.join("bundle/notes.txt").exists());
    env.write("home/sub/file", "x");
    let args = ["evidence", "export", &id, "--out", "home", "--force"];
    snapshot(&env, &args, "errors/evidence-export-not-a-bundle", env.placeholders().with("[REQUEST]", &id));
    assert!(env.join("home/sub/file").exists());
}

#[test]
fn unknown_request_suggests_the_near_one() {
    let (env, id) = env_with_case();
    let typo = format!("{}{}", &id[..id.len() - 1], if id.ends_with('a') { 'b' } else { 'a' });
    let placeholders = env.placeholders().with("[REQUEST]", &id).with("[TYPO]", &typo);
    let args = ["evidence", "export", &typo, "--out", "bundle"];
    snapshot(&env, &args, "errors/evidence-export-unknown-request", placeholders);
    assert!(!env.join("bundle").exists());
    // An unambiguous prefix works.
    env.dsr(&["evidence", "export", &id[..8], "--out", "bundle"]).assert().success();
    let a = env.dsr(&["evidence", "verify", "bundle"]).assert().success();
    assert!(String::from_utf8_lossy(&a.get_output().stdout).contains(", 2 log lines, 7 objects\n"));
    snapshot(&env, &["evidence", "verify", "nowhere"], "errors/evidence-verify-no-bundle", env.placeholders());
}

#[test]
fn purged_objects_are_listed_and_the_bundle_still_verifies() {
    let (env, id) = env_with_case();
    env.dsr(&["purge", "--request", &id, "--force", "--reason", "test: purge an open case"]).assert().success();
    env.dsr(&["evidence", "export", &id, "--out", "bundle"]).assert().success();
    let b = env.join("bundle");
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(b.join("manifest.json")).unwrap()).unwrap();
    let objects = manifest["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 7);
    for o in objects {
        assert!(o["file"].is_null(), "{o}");
        // seq 3 is the checkpoint after the send.
        assert_eq!(o["purged_by"], serde_json::json!(4), "{o}");
    }
    assert!(!b.join("01-message.eml").exists());
    let readme = fs::read_to_string(b.join("README.txt")).unwrap();
    assert!(readme.contains("Purged objects"), "{readme}");
    let a = env.dsr(&["evidence", "verify", "bundle"]).assert().success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(stdout.contains(", 3 log lines, 0 objects (7 purged)\n"), "{stdout}");
    // Claiming an object purged without a `purged` line fails: drop that line
    // (it is the case's last, so no later line's link shows the gap).
    let dir = env.join("no-purge-line");
    copy_dir(&b, &dir);
    let lines = fs::read_to_string(dir.join("log-lines.jsonl")).unwrap();
    let kept: String = lines.lines().filter(|l| !l.contains("\"purged\"")).map(|l| format!("{l}\n")).collect();
    fs::write(dir.join("log-lines.jsonl"), kept).unwrap();
    let mut manifest = manifest.clone();
    let dropped = manifest["lines"].as_array_mut().unwrap().pop().unwrap();
    fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    let mut proofs: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("proofs.json")).unwrap()).unwrap();
    proofs["inclusion"].as_array_mut().unwrap().retain(|p| p["seq"] != dropped["seq"]);
    fs::write(dir.join("proofs.json"), serde_json::to_vec_pretty(&proofs).unwrap()).unwrap();
    reseal(&dir);
    let args = ["evidence", "verify", dir.to_str().unwrap()];
    let placeholders = env.placeholders().with("[REQUEST]", &id).pattern("[HASH]", "[0-9a-f]{64}");
    snapshot(&env, &args, "errors/evidence-verify-purge-not-logged", placeholders);
}

#[test]
fn a_missing_object_that_was_not_purged_stops_the_export() {
    let (env, id) = env_with_case();
    let log = env.read("data/log.jsonl");
    let letter = log.split("\"role\":\"letter\",\"sha256\":\"").nth(1).unwrap()[..64].to_string();
    fs::remove_file(env.join(&format!("data/objects/{}/{}", &letter[..2], &letter[2..]))).unwrap();
    let placeholders = env.placeholders().with("[REQUEST]", &id).with("[LETTER]", &letter);
    let args = ["evidence", "export", &id, "--out", "bundle"];
    snapshot(&env, &args, "errors/evidence-export-missing-object", placeholders);
    assert!(!env.join("bundle").exists());
}

#[test]
fn status_ics_parses_with_the_icalendar_package() {
    let server = SmtpServer::start(SmtpOptions::default());
    let env = TestEnv::new().with_config();
    let config = format!(
        "{}\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n",
        crate::support::TEST_CONFIG,
        server.port()
    );
    env.write("dsr.toml", config);
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    let first = send(&env);
    let second = send(&env);
    let a = env.dsr(&["status", "--ics", "deadlines.ics"]).assert().success();
    assert_eq!(String::from_utf8_lossy(&a.get_output().stdout), "wrote 2 deadline(s) to deadlines.ics\n");
    let rows: serde_json::Value =
        serde_json::from_slice(&env.dsr(&["status", "--json"]).output().unwrap().stdout).unwrap();
    let bytes = fs::read(env.join("deadlines.ics")).unwrap();
    assert!(bytes.windows(2).filter(|w| w == b"\r\n").count() == bytes.iter().filter(|&&b| b == b'\n').count());
    for line in bytes.split(|&b| b == b'\n') {
        assert!(line.len() <= 76, "line longer than 75 octets + CR: {}", String::from_utf8_lossy(line));
    }
    let script = r#"
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
out = []
for ev in cal.walk("VEVENT"):
    out.append({
        "uid": str(ev["UID"]),
        "summary": str(ev["SUMMARY"]),
        "description": str(ev["DESCRIPTION"]),
        "start": ev.decoded("DTSTART").isoformat(),
        "end": ev.decoded("DTEND").isoformat(),
        "all_day": type(ev.decoded("DTSTART")).__name__ == "date",
        "stamp": ev.decoded("DTSTAMP").isoformat(),
    })
print(json.dumps({"version": str(cal["VERSION"]), "events": out}))
"#;
    let out =
        std::process::Command::new(python()).arg("-c").arg(script).arg(env.join("deadlines.ics")).output().unwrap();
    assert!(out.status.success(), "icalendar failed: {}", String::from_utf8_lossy(&out.stderr));
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["version"], "2.0");
    let events = parsed["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    for id in [&first, &second] {
        let ev = events.iter().find(|e| e["uid"] == format!("{id}@dsr")).unwrap_or_else(|| panic!("{id}: {parsed}"));
        let row = rows.as_array().unwrap().iter().find(|r| r["request"] == id.as_str()).unwrap();
        assert_eq!(ev["summary"], "GDPR deadline: Zendesk International Ltd. (erasure)");
        assert_eq!(ev["start"], row["due"]);
        assert_eq!(ev["all_day"], true);
        let desc = ev["description"].as_str().unwrap();
        assert!(
            desc.contains(&format!("Request {id} to Zendesk International Ltd. (erasure, policy zendesk)")),
            "{desc}"
        );
        assert!(desc.contains(&format!("Due {}", row["due"].as_str().unwrap())), "{desc}");
        if row["due_later"] != row["due"] {
            assert!(desc.contains(&format!("Overdue only after {}", row["due_later"].as_str().unwrap())), "{desc}");
        }
    }
}

/// The bundle's README as a whole, in `lang` (issue 16 point 12: what the
/// server's 250 proves and what it does not), with what varies from run
/// to run (hashes, times, the request id, the key) as placeholders.
#[track_caller]
fn readme_snapshot(env: &TestEnv, lang: &str, readme: &str, id: &str) {
    let placeholders = env
        .placeholders()
        .with("[REQUEST]", id)
        .pattern("[HASH]", "[0-9a-f]{64}")
        .pattern("[TIME]", r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
        .pattern("[DATE]", r"\d{1,2}\.? [A-Z][a-zä]+ \d{4}")
        .pattern("[KEY]", r"dsr\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*")
        // Sizes vary with the dates inside the files.
        .pattern("[SIZE]", r"(?<redacted>\d[\d,.]*) (bytes|Bytes)");
    crate::support::snapshot::assert_snapshot(&format!("evidence/readme-{lang}.txt"), readme, placeholders.into());
}

#[test]
fn readme_is_in_the_case_language() {
    let env = TestEnv::new().with_config();
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    let out = env
        .dsr(&[
            "send",
            "--to",
            "zendesk",
            "--kind",
            "erasure",
            "--subject",
            "subject.toml",
            "--lang",
            "de",
            "--again",
            "test: one more request for the same subject",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("request:"))
        .unwrap()
        .trim()
        .to_string();
    env.dsr(&["evidence", "export", &id, "--out", "b"]).assert().success();
    let readme = env.read("b/README.txt");
    assert!(readme.starts_with(&format!("Beweismappe zum Vorgang {id}\n")), "{readme}");
    assert!(readme.contains("sha256sum -c SHA256SUMS"));
    readme_snapshot(&env, "de", &readme, &id);
    let manifest: serde_json::Value = serde_json::from_str(&env.read("b/manifest.json")).unwrap();
    assert_eq!(manifest["lang"], "de");
}
