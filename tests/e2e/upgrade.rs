//! Logs and bundles of format 1 (written by dsr before the Merkle tree and
//! checkpoints, `tests/fixtures/v1/`): they keep verifying, with dsr and
//! with `docs/verify_log.py`, and the first append of this dsr upgrades the
//! log by appending only.

use crate::support::smtp::python;
use crate::support::{TestEnv, assert_output, repo};
use std::fs;
use std::process::Command;

const A: &str = "r_6zg5bsy56sw6naft";
const B: &str = "r_yjr3fqtnruukvg4p";

/// A test env holding a copy of the format-1 data directory (`data`) and
/// bundle (`bundle`).
fn v1() -> TestEnv {
    let env = TestEnv::new().with_config();
    crate::support::copy_tree(&repo().join("tests/fixtures/v1/data"), &env.join("data"));
    crate::support::copy_tree(&repo().join("tests/fixtures/v1/bundle"), &env.join("bundle"));
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

fn dsr_out(env: &TestEnv, args: &[&str]) -> String {
    let out = env.dsr(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_v1_log_and_bundle_still_verify_with_both_verifiers() {
    let env = v1();
    let log = dsr_out(&env, &["log", "verify", "--objects"]);
    assert!(
        log.starts_with("ok: 6 lines, head f134ad45edca7b1d3eb2039160cad033b7422c496dbd4f9977c2cb9b7eb33e7e;"),
        "{log}"
    );
    assert!(log.contains("(format 1: no checkpoints)\nnot covered by a signed checkpoint: lines 1-6"), "{log}");
    assert_eq!(py(&env, &["log", "data", "--objects"]), (0, log));
    let bundle = dsr_out(&env, &["evidence", "verify", "bundle"]);
    assert_eq!(
        bundle,
        format!(
            "ok: request {A}, 12 files, 3 log lines, 7 objects, head \
             f134ad45edca7b1d3eb2039160cad033b7422c496dbd4f9977c2cb9b7eb33e7e (seq 5)\n"
        )
    );
    assert_eq!(py(&env, &["bundle", "bundle"]), (0, bundle));
    let head = "f134ad45edca7b1d3eb2039160cad033b7422c496dbd4f9977c2cb9b7eb33e7e";
    dsr_out(&env, &["evidence", "verify", "bundle", "--head", head]);
    let zeros = "0".repeat(64);
    let args = ["evidence", "verify", "bundle", "--head", &zeros];
    let placeholders = env.placeholders().with("[HEAD]", head).with("[REQUEST]", A);
    assert_output("errors/evidence-verify-wrong-head", &args, &env.dsr(&args).output().unwrap(), placeholders);
    assert_eq!(py(&env, &["bundle", "bundle", "--head", &zeros]).0, 4);
}

#[test]
fn the_first_append_upgrades_a_v1_log_by_appending_and_it_verifies_end_to_end() {
    let env = v1();
    let before = fs::read(env.join("data/log.jsonl")).unwrap();
    dsr_out(&env, &["key", "new"]);
    dsr_out(&env, &["close", B, "--note", "no answer needed"]);
    let after = fs::read(env.join("data/log.jsonl")).unwrap();
    assert!(after.starts_with(&before), "the upgrade only appends");
    let text = String::from_utf8(after[before.len()..].to_vec()).unwrap();
    let new: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let events: Vec<&str> = new.iter().map(|v| v["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["upgraded", "closed", "checkpoint"]);
    assert_eq!(new[0]["data"]["format"], "dsr-evidence-log/2");
    // B's lines before the upgrade are seq 4 and 5; the close links to 5.
    assert_eq!(new[1]["data"]["request_prev"], 5);

    let log = dsr_out(&env, &["log", "verify", "--objects"]);
    assert!(log.starts_with("ok: 9 lines, head "), "{log}");
    assert!(log.contains("(format 2, origin dsr-evidence-log/"), "{log}");
    assert!(log.contains("checkpoints: 1; the last, line 9, covers lines 1-8 and is signed by dsr+"), "{log}");
    assert_eq!(py(&env, &["log", "data", "--objects"]), (0, log));

    // Bundles of both cases: A's lines are all format 1 (no links to
    // check), B's last line links to its format-1 lines.
    for (id, lines) in [(A, 3), (B, 3)] {
        let out = format!("bundle-{id}");
        dsr_out(&env, &["evidence", "export", id, "--out", &out]);
        let context = fs::read_to_string(env.join(&out).join("log-context.jsonl")).unwrap();
        assert_eq!(context.lines().count(), 2, "the header and the upgraded line");
        let verified = dsr_out(&env, &["evidence", "verify", &out]);
        assert!(verified.starts_with(&format!("ok: request {id}, ")), "{verified}");
        assert!(verified.contains(&format!(", {lines} log lines, ")), "{verified}");
        assert_eq!(py(&env, &["bundle", &out]), (0, verified));
    }
    // A second append does not upgrade again.
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    dsr_out(&env, &["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"]);
    let text = fs::read_to_string(env.join("data/log.jsonl")).unwrap();
    assert_eq!(text.matches("\"event\":\"upgraded\"").count(), 1);
    assert_eq!(py(&env, &["log", "data"]).0, 0);
}
