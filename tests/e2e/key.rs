//! Tests for `dsr key new|show`, `dsr log checkpoint|prove|consistency` and
//! the checkpoint every appending command ends with: where the key lives,
//! that it never leaves its file, and what dsr does without one.

use crate::support::smtp::python;
use crate::support::{TestEnv, assert_output, files, repo, sha256_hex};
use std::fs;
use std::process::Command;

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
    assert!(out.status.success(), "send: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout.lines().find_map(|l| l.strip_prefix("request:")).unwrap().trim().to_string()
}

fn env() -> TestEnv {
    let env = TestEnv::new().with_config();
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    env
}

fn py(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .args(args)
        .current_dir(env.path())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn key_new_writes_a_private_file_outside_the_data_dir_and_show_prints_the_public_key() {
    let env = env();
    let out = env.dsr(&["key", "new", "--name", "dpo.beispiel-handel.example"]).output().unwrap();
    assert!(out.status.success());
    let path = env.join(".config/dsr/signing-key");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!("made signing key {}\npublic key: dpo.beispiel-handel.example+", path.display()))
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let shown = String::from_utf8(env.dsr(&["key", "show"]).output().unwrap().stdout).unwrap();
    let key = shown.lines().find_map(|l| l.strip_prefix("public key: ")).unwrap();
    let fingerprint = shown.lines().find_map(|l| l.strip_prefix("fingerprint: ")).unwrap();
    assert_eq!(fingerprint, sha256_hex(key.as_bytes()), "printf %s KEY | sha256sum");
    let json: serde_json::Value =
        serde_json::from_slice(&env.dsr(&["--json", "key", "show"]).output().unwrap().stdout).unwrap();
    assert_eq!(json["key"], key);
    // Never replaced.
    let placeholders = env.placeholders();
    assert_output("errors/key-exists", &["key", "new"], &env.dsr(&["key", "new"]).output().unwrap(), placeholders);
    // A key others can read is refused, naming the fix.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let args = ["key", "show"];
        assert_output("errors/key-readable-by-others", &args, &env.dsr(&args).output().unwrap(), env.placeholders());
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    }
    // signing_key inside the data directory is refused.
    let other = TestEnv::new();
    other.write(
        "dsr.toml",
        crate::support::TEST_CONFIG.replacen("language = \"de\"", "language = \"de\"\nsigning_key = \"data/key\"", 1),
    );
    let args = ["key", "new"];
    assert_output("errors/key-inside-data-dir", &args, &other.dsr(&args).output().unwrap(), other.placeholders());
    assert!(!other.join("data/key").exists());
}

#[test]
fn without_a_key_commands_say_so_once_and_the_next_command_with_one_signs_everything() {
    let env = env();
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
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("no signing key at").count(), 1, "{stderr}");
    assert!(!fs::read_to_string(env.join("data/log.jsonl")).unwrap().contains("\"checkpoint\""));
    // Commands that log nothing say nothing.
    let out = env.dsr(&["status"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("signing key"));
    env.dsr(&["key", "new"]).assert().success();
    let id = send(&env);
    let log = fs::read_to_string(env.join("data/log.jsonl")).unwrap();
    let last: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(last["event"], "checkpoint");
    let verified = String::from_utf8(env.dsr(&["log", "verify"]).output().unwrap().stdout).unwrap();
    assert!(verified.contains("checkpoints: 1; the last, line 6, covers lines 1-5"), "{verified}");
    // `log checkpoint` prints the latest one, signing none when the log
    // ends in one.
    let printed = env.dsr(&["log", "checkpoint"]).output().unwrap().stdout;
    assert_eq!(String::from_utf8(printed).unwrap(), last["data"]["note"].as_str().unwrap());
    assert_eq!(fs::read_to_string(env.join("data/log.jsonl")).unwrap(), log);
    // The key never reaches the log, an object, the outbox or any output.
    let private = fs::read_to_string(env.join(".config/dsr/signing-key")).unwrap();
    // PRIVATE+KEY+<name>+<key hash>+<base64>: the base64 may hold '+' itself.
    let secret = private.trim().splitn(5, '+').nth(4).unwrap().to_string();
    assert!(secret.len() >= 40, "{secret}");
    for (path, bytes) in files(&env.join("data")) {
        assert!(!String::from_utf8_lossy(&bytes).contains(&secret), "the key is in {}", path.display());
    }
    for args in
        [vec!["key", "show"], vec!["log", "prove", &id], vec!["-v", "log", "checkpoint"], vec!["--json", "key", "show"]]
    {
        let out = env.dsr(&args).output().unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains(&secret), "{args:?} printed the key");
    }
}

#[test]
fn prove_and_consistency_print_proofs_the_python_verifier_accepts() {
    let env = env();
    env.dsr(&["key", "new"]).assert().success();
    let key = String::from_utf8(env.dsr(&["key", "show"]).output().unwrap().stdout).unwrap();
    let key = key.lines().find_map(|l| l.strip_prefix("public key: ")).unwrap().to_string();
    let a = send(&env);
    env.dsr(&["log", "checkpoint", "--out", "old.txt"]).assert().success();
    let _b = send(&env);
    env.dsr(&["close", &a, "--note", "done"]).assert().success();
    env.dsr(&["log", "checkpoint", "--out", "new.txt"]).assert().success();

    let proof = env.dsr(&["log", "prove", &a]).output().unwrap();
    assert!(proof.status.success(), "{}", String::from_utf8_lossy(&proof.stderr));
    fs::write(env.join("proof.json"), &proof.stdout).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&proof.stdout).unwrap();
    assert_eq!(doc["format"], "dsr-inclusion-proofs/1");
    assert_eq!(doc["lines"].as_array().unwrap().len(), 3);
    assert_eq!(py(&env, &["proof", "proof.json", "--key", &key]).0, 0);
    let mut forged = doc.clone();
    forged["lines"][0]["line"] = doc["lines"][0]["line"].as_str().unwrap().replace("erasure", "access").into();
    fs::write(env.join("forged.json"), serde_json::to_vec(&forged).unwrap()).unwrap();
    let (code, text) = py(&env, &["proof", "forged.json", "--key", &key]);
    assert_eq!(code, 4, "{text}");
    assert!(text.contains("lines[0] (seq 1): the proof leads to root"), "{text}");

    let c = env.dsr(&["log", "consistency", "old.txt", "new.txt"]).output().unwrap();
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    assert!(String::from_utf8_lossy(&c.stderr).starts_with("ok: the log of 8 lines extends the log of 3 lines"));
    fs::write(env.join("c.json"), &c.stdout).unwrap();
    assert_eq!(py(&env, &["consistency", "old.txt", "new.txt", "c.json", "--key", &key]).0, 0);
    // NEW defaults to the latest checkpoint; OLD must come first.
    env.dsr(&["log", "consistency", "old.txt"]).assert().success();
    let args = ["log", "consistency", "new.txt", "old.txt"];
    assert_output("errors/log-consistency-order", &args, &env.dsr(&args).output().unwrap(), env.placeholders());
    // Against a rewritten log: the old checkpoint names what changed.
    let log = fs::read_to_string(env.join("data/log.jsonl")).unwrap();
    fs::write(env.join("data/log.jsonl"), log.replacen("Zendesk International Ltd.", "Zendesk Ireland Ltd.", 1))
        .unwrap();
    let out = env.dsr(&["log", "consistency", "old.txt", "new.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("prev does not match"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
