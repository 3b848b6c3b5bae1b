//! Trusted time (RFC 3161): `dsr send` against a real TSA on loopback
//! (`openssl ts -reply`, tests/support/tsa.rs). Tokens are checked by dsr,
//! by `openssl ts -verify` and by docs/verify_log.py; a TSA that refuses,
//! hangs or answers garbage never fails a send, and `dsr log timestamp`
//! catches up.

use crate::support::smtp::python;
use crate::support::tsa::TsaServer;
use crate::support::{TEST_CONFIG, TestEnv, repo};
use serde_json::Value;
use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

fn env_with(tsa: &TsaServer, timeout: u64) -> TestEnv {
    let env = TestEnv::new();
    env.write("dsr.toml", format!("{TEST_CONFIG}{}", tsa.config("loopback-tsa", timeout)));
    env.dsr(&["key", "new"]).assert().success();
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    env
}

fn send(env: &TestEnv) -> std::process::Output {
    env.dsr(&[
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
    .unwrap()
}

fn lines(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn events(env: &TestEnv, name: &str) -> Vec<Value> {
    lines(env).into_iter().filter(|l| l["event"] == name).collect()
}

/// The file of the last `outboxed` event: by the log, not by a directory
/// listing (two sends in the same second share the file names' time
/// prefix, and then the random rest decides the order).
fn last_outboxed(env: &TestEnv) -> std::path::PathBuf {
    let last = events(env, "outboxed").pop().expect("an outboxed event");
    env.join("data").join(last["data"]["file"].as_str().expect("outboxed names its file"))
}

/// (exit code, stdout) of docs/verify_log.py.
fn py(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let out = Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .arg(env.join("data"))
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn verify(env: &TestEnv) -> (i32, String) {
    let out = env.dsr(&["log", "verify", "--objects"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap(), text)
}

/// The token of a `timestamped` line verifies with `openssl ts -verify`
/// over the checkpoint note it names.
fn openssl_verifies(env: &TestEnv, tsa: &TsaServer, ts: &Value) -> bool {
    let seq = ts["data"]["checkpoint"]["seq"].as_u64().unwrap() as usize;
    let note = lines(env)[seq]["data"]["note"].as_str().unwrap().to_string();
    let data = env.write("note.txt", note);
    let h = ts["data"]["objects"][0]["sha256"].as_str().unwrap();
    let token = env.join(&format!("data/objects/{}/{}", &h[..2], &h[2..]));
    let out = Command::new("openssl")
        .args(["ts", "-verify", "-token_in", "-in"])
        .arg(&token)
        .arg("-data")
        .arg(&data)
        .arg("-CAfile")
        .arg(tsa.ca_file())
        .output()
        .unwrap();
    out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verification: OK")
}

#[test]
fn a_send_is_timestamped_and_every_verifier_agrees() {
    for key in ["ec", "rsa"] {
        let tsa = TsaServer::start(key);
        let env = env_with(&tsa, 10);
        let out = send(&env);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let ts = events(&env, "timestamped");
        assert_eq!(ts.len(), 1, "{key}");
        let cp_seq = ts[0]["data"]["checkpoint"]["seq"].as_u64().unwrap();
        assert_eq!(lines(&env)[cp_seq as usize]["event"], "checkpoint");
        assert_eq!(ts[0]["data"]["tsa"], "loopback-tsa");
        assert!(openssl_verifies(&env, &tsa, &ts[0]), "{key}: openssl ts -verify");
        // Another CA does not verify it (the check can fail).
        let other = TsaServer::start(key);
        assert!(!openssl_verifies(&env, &other, &ts[0]), "{key}: a foreign CA");

        let gen_time = ts[0]["data"]["gen_time"].as_str().unwrap();
        let (code, text) = verify(&env);
        assert_eq!(code, 0, "{text}");
        let n = lines(&env).len();
        let covered = cp_seq; // the checkpoint covers the lines before it
        let want = format!(
            "existed: lines 1-{covered}: no later than {gen_time} (timestamp by loopback-tsa)\nexisted: lines {}-{n}: sender's \
             claim only\n",
            covered + 1
        );
        assert!(text.ends_with(&want), "{text}\nwant: {want}");
        let ca = tsa.ca_file().display().to_string();
        let (pcode, ptext) = py(&env, &["--objects", "--tsa-ca", &ca]);
        assert_eq!((pcode, &ptext), (0, &text), "verify_log.py");
        let other_ca = other.ca_file().display().to_string();
        let (pcode, ptext) = py(&env, &["--tsa-ca", &other_ca]);
        assert_eq!(pcode, 4, "{ptext}");
        assert!(ptext.contains("openssl ts -verify refuses its token"), "{ptext}");
    }
}

#[test]
fn a_failing_tsa_never_fails_a_send_and_the_catch_up_timestamps_it() {
    let tsa = TsaServer::start("ec");
    let env = env_with(&tsa, 2);
    for (i, (mode, reason)) in [
        ("refuse", "HTTP 500"),
        ("reject", "the TSA refused: status 2"),
        ("garbage", "not a valid TimeStampResp"),
        ("wrong", "message imprint is not the SHA-256 of the checkpoint"),
        ("hang", "no answer within 2 s"),
    ]
    .into_iter()
    .enumerate()
    {
        tsa.set_mode(mode);
        let started = Instant::now();
        let out = send(&env);
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{mode}: {stderr}");
        assert!(took < Duration::from_secs(20), "{mode}: the send took {took:?}");
        assert!(stderr.contains("the time-stamping authority loopback-tsa gave no timestamp"), "{mode}: {stderr}");
        let failed = events(&env, "timestamp_failed");
        let last = failed.last().unwrap();
        assert!(last["data"]["reason"].as_str().unwrap().contains(reason), "{mode}: {last}");
        assert!(events(&env, "timestamped").is_empty(), "{mode}");
        // The send itself is logged: one more request in the log.
        let requests: std::collections::BTreeSet<String> =
            lines(&env).iter().filter_map(|l| l["request"].as_str().map(String::from)).collect();
        assert_eq!(requests.len(), i + 1, "{mode}");
    }
    assert_eq!(events(&env, "timestamp_failed").len(), 5);
    // Everything rests on the sender's claim until the catch-up.
    let (code, text) = verify(&env);
    assert_eq!(code, 0, "{text}");
    let n = lines(&env).len();
    assert!(text.ends_with(&format!("existed: lines 1-{n}: sender's claim only\n")), "{text}");

    // Still failing: the catch-up exits 3 and logs the failure.
    tsa.set_mode("refuse");
    let out = env.dsr(&["log", "timestamp"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(events(&env, "timestamp_failed").len(), 6);

    tsa.set_mode("ok");
    let out = env.dsr(&["log", "timestamp"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ts = events(&env, "timestamped");
    assert_eq!(ts.len(), 1);
    assert!(openssl_verifies(&env, &tsa, &ts[0]));
    // Every send before is now covered by the token.
    let cp_seq = ts[0]["data"]["checkpoint"]["seq"].as_u64().unwrap();
    let all = lines(&env);
    let last_send = all.iter().rposition(|l| l["request"].is_string()).unwrap() as u64;
    assert!(last_send < cp_seq);
    let (code, text) = verify(&env);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(&format!("existed: lines 1-{cp_seq}: no later than ")), "{text}");
    // Done: a second catch-up has nothing to do.
    let out = env.dsr(&["log", "timestamp"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("nothing to do"), "{out:?}");
    assert_eq!(events(&env, "timestamped").len(), 1);
}

#[test]
fn a_line_changed_before_a_timestamped_checkpoint_is_named_by_both_verifiers() {
    let tsa = TsaServer::start("ec");
    let env = env_with(&tsa, 10);
    assert!(send(&env).status.success());
    assert!(send(&env).status.success());
    let ts = events(&env, "timestamped");
    assert_eq!(ts.len(), 2);
    let text = env.read("data/log.jsonl");
    let mut all: Vec<String> = text.lines().map(String::from).collect();
    // Line 2 (seq 1, the first send's first line): one changed byte.
    let target = 1;
    assert!(all[target].contains("\"time\":\"2"));
    all[target] = all[target].replacen("\"time\":\"2", "\"time\":\"1", 1);
    fs::write(env.join("data/log.jsonl"), all.join("\n") + "\n").unwrap();
    let (code, dsr_text) = verify(&env);
    assert_eq!(code, 4, "{dsr_text}");
    let (pcode, py_text) = py(&env, &[]);
    assert_eq!(pcode, 4, "{py_text}");
    // Both name the changed line (its time now goes back): line 2.
    assert_eq!(named_line(&dsr_text), Some(2), "{dsr_text}");
    assert_eq!(named_line(&py_text), Some(2), "{py_text}");
}

/// The line number an error names: `log.jsonl:N:` (dsr) or `line N:` (verify_log.py).
fn named_line(text: &str) -> Option<u64> {
    let after = text.find("log.jsonl:").map(|i| &text[i + 10..]).or_else(|| text.strip_prefix("line "))?;
    after.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[test]
fn a_resigned_rewrite_or_backdating_by_the_key_holder_is_caught_by_the_timestamp() {
    // The attacker holds the data directory and the signing key: they
    // change a line (or backdate every line), re-chain every later line and
    // re-sign every checkpoint. The TSA's token, over the checkpoint as it
    // was, gives them away: both verifiers name the timestamped line.
    use crate::tamper::{line, log_lines, rechain, signer, write_lines};
    let tsa = TsaServer::start("ec");
    let env = env_with(&tsa, 10);
    assert!(send(&env).status.success());
    let key = signer(&env);
    let original = log_lines(&env.join("data"));
    let ts_line = original.iter().position(|l| l.contains("\"event\":\"timestamped\"")).unwrap() as u64 + 1;
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("rewrite", {
            let mut l = original.clone();
            l[1] = l[1].replacen("zendesk", "zendesq", 1);
            assert_ne!(l[1], original[1]);
            l
        }),
        ("backdating", {
            original
                .iter()
                .map(|x| {
                    let mut v: Value = serde_json::from_str(x).unwrap();
                    let t =
                        dsr::evidence::parse_time(v["time"].as_str().unwrap()).unwrap() - chrono::Duration::days(61);
                    v["time"] = serde_json::json!(dsr::evidence::format_time(&t));
                    line(&v)
                })
                .collect()
        }),
    ];
    for (what, mut l) in cases {
        rechain(&mut l, Some(&key));
        write_lines(&env.join("data"), &l);
        let (code, dsr_text) = verify(&env);
        let (pcode, py_text) = py(&env, &[]);
        assert_eq!((code, pcode), (4, 4), "{what}: {dsr_text}\n{py_text}");
        assert!(dsr_text.contains("were rewritten after"), "{what}: {dsr_text}");
        assert!(py_text.contains("were rewritten after"), "{what}: {py_text}");
        assert_eq!(named_line(&dsr_text), Some(ts_line), "{what}: {dsr_text}");
        assert_eq!(named_line(&py_text), Some(ts_line), "{what}: {py_text}");
    }
    // Put back, the log verifies again (the checks can pass).
    write_lines(&env.join("data"), &original);
    assert_eq!(verify(&env).0, 0);
}

/// `openssl ts -verify` of the reply the TSA served for request `n`,
/// against its request and `ca`.
fn openssl_verifies_reply(tsa: &TsaServer, n: usize, ca: &std::path::Path) -> bool {
    let dir = tsa.dir().join("tsa/requests");
    let out = Command::new("openssl")
        .args(["ts", "-verify", "-queryfile"])
        .arg(dir.join(format!("{n}.tsq")))
        .arg("-in")
        .arg(dir.join(format!("{n}.tsr")))
        .arg("-CAfile")
        .arg(ca)
        .output()
        .unwrap();
    out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verification: OK")
}

#[test]
fn a_token_not_signed_as_a_tsa_must_sign_is_refused_by_dsr_and_by_openssl() {
    for key in ["ec", "rsa"] {
        let tsa = TsaServer::start(key);
        let env = env_with(&tsa, 10);
        let ca = tsa.ca_file();
        // The good token first: dsr takes it, openssl agrees.
        assert!(send(&env).status.success());
        assert_eq!(events(&env, "timestamped").len(), 1, "{key}");
        assert!(openssl_verifies_reply(&tsa, 1, &ca), "{key}: the good token");
        for (i, (mode, reason)) in [
            ("foreign", "does not chain to"),
            ("badattr", "its signature does not verify with the signer certificate's key"),
            ("wrongess", "signing-certificate-v2 attribute names another certificate than the one that signed it"),
            ("noeku", "extendedKeyUsage is not exactly timeStamping"),
            ("expired", "the TSA certificate had expired at genTime"),
        ]
        .into_iter()
        .enumerate()
        {
            tsa.set_mode(mode);
            let out = send(&env);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{key} {mode}: {stderr}");
            let failed = events(&env, "timestamp_failed");
            assert_eq!(failed.len(), i + 1, "{key} {mode}: {stderr}");
            let got = failed.last().unwrap()["data"]["reason"].as_str().unwrap().to_string();
            assert!(got.starts_with("its token serial "), "{key} {mode}: {got}");
            assert!(got.contains(" is refused: ") && got.contains(reason), "{key} {mode}: {got}");
            assert_eq!(events(&env, "timestamped").len(), 1, "{key} {mode}: not logged as a timestamp");
            assert!(!openssl_verifies_reply(&tsa, i + 2, &ca), "{key} {mode}: openssl ts -verify took it");
        }
    }
}

#[test]
fn a_token_of_a_tsa_outside_the_given_ca_is_refused_by_both_verifiers() {
    // Sent with a TSA configured without ca_file: dsr checks the token's
    // signature and certificate, but cannot know its CA, and logs it.
    let tsa = TsaServer::start("ec");
    let env = TestEnv::new();
    let config = tsa.config("loopback-tsa", 10);
    let config: String = config.lines().filter(|l| !l.starts_with("ca_file")).map(|l| format!("{l}\n")).collect();
    env.write("dsr.toml", format!("{TEST_CONFIG}{config}"));
    env.dsr(&["key", "new"]).assert().success();
    fs::copy(repo().join("examples/subject-person.toml"), env.join("subject.toml")).unwrap();
    tsa.set_mode("foreign");
    assert!(send(&env).status.success());
    let ts = events(&env, "timestamped");
    assert_eq!(ts.len(), 1);
    let ts_line = lines(&env).iter().position(|l| l["event"] == "timestamped").unwrap() as u64 + 1;
    // Without a CA both verifiers accept it; with the CA that certified the
    // TSA's key for it (other-ca.pem) too; with the configured TSA's CA
    // (ca.pem), which did not, both refuse it and name the line.
    let other = tsa.dir().join("tsa/other-ca.pem").display().to_string();
    let ca = tsa.ca_file().display().to_string();
    assert_eq!(verify(&env).0, 0);
    let ok = env.dsr(&["log", "verify", "--tsa-ca", &other]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(py(&env, &["--tsa-ca", &other]).0, 0);
    let out = env.dsr(&["log", "verify", "--tsa-ca", &ca]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(4), "{text}");
    let token = ts[0]["data"]["objects"][0]["sha256"].as_str().unwrap();
    assert!(text.contains(&format!("the token of loopback-tsa (object {token}, token serial ")), "{text}");
    assert!(text.contains("does not chain to"), "{text}");
    assert!(text.contains("not signed by a time-stamping authority you trust"), "{text}");
    assert_eq!(named_line(&text), Some(ts_line), "{text}");
    let (pcode, ptext) = py(&env, &["--tsa-ca", &ca]);
    assert_eq!(pcode, 4, "{ptext}");
    assert!(ptext.contains("openssl ts -verify refuses its token"), "{ptext}");
    assert_eq!(named_line(&ptext), Some(ts_line), "{ptext}");
}

/// Issue 13 point 6: a witness (a sent message carrying a checkpoint) and
/// the timestamps join in one per-line report; each range names the
/// earliest anchor and which kind it is; both verifiers agree.
#[test]
fn the_report_joins_witnesses_and_timestamps_naming_the_earliest() {
    let tsa = TsaServer::start("ec");
    let env = env_with(&tsa, 10);
    // The first send's checkpoint gets no token; the second send's message
    // carries that checkpoint (a witness of it), and is itself timestamped.
    tsa.set_mode("refuse");
    assert!(send(&env).status.success());
    let first_cp = lines(&env).iter().position(|l| l["event"] == "checkpoint").unwrap() as u64;
    // A second later than the message's Date (a tie would go to the timestamp).
    tsa.set_mode("slow");
    assert!(send(&env).status.success());
    let ts = events(&env, "timestamped");
    assert_eq!(ts.len(), 1);
    let ts_size = ts[0]["data"]["checkpoint"]["size"].as_u64().unwrap();
    let gen_time = ts[0]["data"]["gen_time"].as_str().unwrap().to_string();
    let eml = last_outboxed(&env);
    let head = fs::read_to_string(&eml).unwrap();
    assert!(head.contains("DSR-Checkpoint:"), "the second message carries the first checkpoint");
    let field = |name: &str| {
        format!("\r\n{head}").split(&format!("\r\n{name}: ")).nth(1).unwrap().split("\r\n").next().unwrap().to_string()
    };
    let (date, to) = (field("Date"), field("To"));
    let when = chrono::DateTime::parse_from_rfc2822(&date).unwrap().with_timezone(&chrono::Utc);
    let when = when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);

    let eml_arg = eml.display().to_string();
    let out = env.dsr(&["log", "verify", "--checkpoint", &eml_arg]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    let n = lines(&env).len();
    let want = format!(
        "existed: lines 1-{first_cp}: no later than {when} (witness: the message of {date} to {to})\n\
         existed: lines {}-{ts_size}: no later than {gen_time} (timestamp by loopback-tsa)\n\
         existed: lines {}-{n}: sender's claim only\n",
        first_cp + 1,
        ts_size + 1
    );
    assert!(text.ends_with(&want), "{text}\nwant:\n{want}");
    let (pcode, ptext) = py(&env, &["--checkpoint", &eml_arg]);
    assert_eq!((pcode, &ptext), (0, &text), "verify_log.py agrees");
    // Without the witness, the later timestamp is the earliest anchor of them all.
    let (_, text) = verify(&env);
    assert!(text.contains(&format!("existed: lines 1-{ts_size}: no later than {gen_time} (timestamp by")), "{text}");
}

/// The request id a `dsr send` printed.
fn request_of(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout.lines().find_map(|l| l.strip_prefix("request:")).map(|r| r.trim().to_string()).unwrap()
}

/// `dsr evidence verify` and `verify_log.py bundle` of `dir` with `args`:
/// (exit code, stdout, stderr) of each.
fn verify_bundle(env: &TestEnv, dir: &str, args: &[&str]) -> ((i32, String, String), (i32, String)) {
    let mut all = vec!["evidence", "verify", dir];
    all.extend_from_slice(args);
    let out = env.dsr(&all).output().unwrap();
    let dsr = (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    let out = Command::new(python())
        .arg(repo().join("docs/verify_log.py"))
        .args(["bundle", dir])
        .args(args)
        .current_dir(env.path())
        .output()
        .unwrap();
    (dsr, (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// Recomputes the manifest's file list (dropping files that are gone) and
/// SHA256SUMS, as a forger who knows the format would.
fn reseal(dir: &std::path::Path) {
    use crate::support::sha256_hex;
    let mut manifest: Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array_mut().unwrap();
    files.retain(|f| dir.join(f["path"].as_str().unwrap()).exists());
    for f in files.iter_mut() {
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

fn copy_bundle(env: &TestEnv, from: &str, to: &str) -> std::path::PathBuf {
    let to = env.join(to);
    fs::create_dir_all(&to).unwrap();
    for e in fs::read_dir(env.join(from)).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
    to
}

/// Issue 13 points 3 and 6 for bundles: a one-case bundle carries the
/// token over the first timestamped checkpoint after the case's lines, and
/// both verifiers report per event when it existed. A token swapped for
/// one over another checkpoint, or with a changed byte, is refused by
/// both; a token dropped from the bundle leaves the events on the sender's
/// claim only, which both say.
#[test]
fn a_bundle_carries_the_case_tokens_and_both_verifiers_tamper_checks_agree() {
    let tsa = TsaServer::start("ec");
    let env = env_with(&tsa, 10);
    let a = request_of(&send(&env));
    let b = request_of(&send(&env));
    let ts = events(&env, "timestamped");
    assert_eq!(ts.len(), 2);
    let size = ts[0]["data"]["checkpoint"]["size"].as_u64().unwrap();
    let gen_time = ts[0]["data"]["gen_time"].as_str().unwrap().to_string();
    let out = env.dsr(&["evidence", "export", &a, "--out", "bundle"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(", 1 timestamp token(s)"), "{stdout}");
    let token_file = format!("timestamp-{size}-1.tst");
    let h = ts[0]["data"]["objects"][0]["sha256"].as_str().unwrap();
    let object = |h: &str| fs::read(env.join(&format!("data/objects/{}/{}", &h[..2], &h[2..]))).unwrap();
    assert_eq!(fs::read(env.join("bundle").join(&token_file)).unwrap(), object(h), "the token as stored");
    let manifest: Value = serde_json::from_slice(&fs::read(env.join("bundle/manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["timestamps"],
        serde_json::json!([{"file": token_file, "checkpoint": format!("checkpoint-{size}.txt"), "size": size,
            "tsa": "loopback-tsa", "gen_time": gen_time}])
    );
    // The independent check of the README's command.
    let ok = Command::new("openssl")
        .args(["ts", "-verify", "-data", &format!("checkpoint-{size}.txt"), "-in", &token_file, "-token_in", "-CAfile"])
        .arg(tsa.ca_file())
        .current_dir(env.join("bundle"))
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    let ca = tsa.ca_file().display().to_string();
    let case_lines: Vec<Value> = lines(&env).into_iter().filter(|l| l["request"] == a.as_str()).collect();
    let report = |says: &str| -> String {
        case_lines
            .iter()
            .map(|l| {
                format!("existed: line {} ({}): {says}\n", l["seq"].as_u64().unwrap() + 1, l["event"].as_str().unwrap())
            })
            .collect()
    };
    let ((code, dsr_out, err), (pcode, py_out)) = verify_bundle(&env, "bundle", &["--tsa-ca", &ca]);
    assert_eq!((code, pcode), (0, 0), "{err}{py_out}");
    assert_eq!(dsr_out, py_out, "both verifiers print the same");
    let timed = report(&format!("no later than {gen_time} (timestamp by loopback-tsa)"));
    assert!(
        dsr_out.ends_with(&format!("timestamps: 1 token(s), each over a checkpoint of the tree\n{timed}")),
        "{dsr_out}"
    );
    // Another TSA's CA: both refuse the token.
    let other = TsaServer::start("ec");
    let other_ca = other.ca_file().display().to_string();
    let ((code, _, err), (pcode, py_out)) = verify_bundle(&env, "bundle", &["--tsa-ca", &other_ca]);
    assert_eq!((code, pcode), (4, 4), "{err}{py_out}");
    assert!(err.contains(&format!("{token_file}: the token of loopback-tsa (token serial ")), "{err}");
    assert!(py_out.starts_with(&format!("{token_file}: openssl ts -verify refuses the token")), "{py_out}");

    // Swapped for the token over another checkpoint (the second send's).
    let dir = copy_bundle(&env, "bundle", "swapped");
    fs::write(dir.join(&token_file), object(ts[1]["data"]["objects"][0]["sha256"].as_str().unwrap())).unwrap();
    reseal(&dir);
    let ((code, _, err), (pcode, py_out)) = verify_bundle(&env, "swapped", &["--tsa-ca", &ca]);
    assert_eq!((code, pcode), (4, 4), "{err}{py_out}");
    let want = format!("{token_file}: it is not a timestamp over checkpoint-{size}.txt");
    assert!(err.contains(&format!("does not verify: {want}")), "{err}");
    assert!(py_out.starts_with(&want), "{py_out}");

    // One changed byte (in the signature, at the end).
    let dir = copy_bundle(&env, "bundle", "flipped");
    let mut bytes = fs::read(dir.join(&token_file)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(dir.join(&token_file), bytes).unwrap();
    reseal(&dir);
    let ((code, _, err), (pcode, py_out)) = verify_bundle(&env, "flipped", &["--tsa-ca", &ca]);
    assert_eq!((code, pcode), (4, 4), "{err}{py_out}");
    assert!(err.contains(&format!("does not verify: {token_file}: the token of loopback-tsa")), "{err}");
    assert!(err.contains("its signature does not verify"), "{err}");
    assert!(py_out.starts_with(&format!("{token_file}: openssl ts -verify refuses")), "{py_out}");
    // dsr refuses it without a CA too (the signature is checked against
    // the certificate the token carries).
    let ((code, _, err), _) = verify_bundle(&env, "flipped", &[]);
    assert_eq!(code, 4, "{err}");

    // Dropped (file and manifest entry): the bundle verifies, and the
    // events rest on the sender's claim only.
    let dir = copy_bundle(&env, "bundle", "dropped");
    fs::remove_file(dir.join(&token_file)).unwrap();
    let mut m: Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    m.as_object_mut().unwrap().remove("timestamps");
    fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    reseal(&dir);
    let ((code, dsr_out, err), (pcode, py_out)) = verify_bundle(&env, "dropped", &["--tsa-ca", &ca]);
    assert_eq!((code, pcode), (0, 0), "{err}{py_out}");
    assert_eq!(dsr_out, py_out);
    assert!(dsr_out.ends_with(&report("sender's claim only")), "{dsr_out}");
    assert!(!dsr_out.contains("timestamps:"), "{dsr_out}");
    let _ = b;
}

/// A case whose first checkpoint got no token is covered by the next
/// timestamped one, which the bundle links for it; a message sent in
/// between (a witness given with --checkpoint) joins the report, and the
/// earlier of the two is named.
#[test]
fn a_bundle_links_the_timestamped_checkpoint_and_a_witness_joins_its_report() {
    let tsa = TsaServer::start("ec");
    let env = env_with(&tsa, 10);
    tsa.set_mode("refuse");
    let a = request_of(&send(&env));
    // A second later than the message's Date (a tie would go to the timestamp).
    tsa.set_mode("slow");
    request_of(&send(&env));
    let ts = events(&env, "timestamped");
    assert_eq!(ts.len(), 1);
    let size = ts[0]["data"]["checkpoint"]["size"].as_u64().unwrap();
    let gen_time = ts[0]["data"]["gen_time"].as_str().unwrap().to_string();
    env.dsr(&["evidence", "export", &a, "--out", "bundle"]).assert().success();
    let manifest: Value = serde_json::from_slice(&fs::read(env.join("bundle/manifest.json")).unwrap()).unwrap();
    let linked = manifest["linked"].as_array().unwrap();
    assert!(
        linked.iter().any(|l| l["size"] == size && l["first_covers"] == serde_json::json!([])),
        "the timestamped checkpoint is linked for its token: {manifest}"
    );
    let readme = fs::read_to_string(env.join("bundle/README.txt")).unwrap();
    assert!(readme.contains("that a\n    time-stamping authority timestamped"), "{readme}");
    let ca = tsa.ca_file().display().to_string();
    let case_lines: Vec<Value> = lines(&env).into_iter().filter(|l| l["request"] == a.as_str()).collect();
    let report = |says: &str| -> String {
        case_lines
            .iter()
            .map(|l| {
                format!("existed: line {} ({}): {says}\n", l["seq"].as_u64().unwrap() + 1, l["event"].as_str().unwrap())
            })
            .collect()
    };
    let ((code, dsr_out, err), (pcode, py_out)) = verify_bundle(&env, "bundle", &["--tsa-ca", &ca]);
    assert_eq!((code, pcode), (0, 0), "{err}{py_out}");
    assert_eq!(dsr_out, py_out);
    assert!(dsr_out.ends_with(&report(&format!("no later than {gen_time} (timestamp by loopback-tsa)"))), "{dsr_out}");

    // The second message carries the checkpoint after the case's lines.
    let eml = last_outboxed(&env).display().to_string();
    let head = fs::read_to_string(&eml).unwrap();
    let field = |name: &str| {
        format!("\r\n{head}").split(&format!("\r\n{name}: ")).nth(1).unwrap().split("\r\n").next().unwrap().to_string()
    };
    let (date, to) = (field("Date"), field("To"));
    let when = chrono::DateTime::parse_from_rfc2822(&date).unwrap().with_timezone(&chrono::Utc);
    let when = when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let ((code, dsr_out, err), (pcode, py_out)) =
        verify_bundle(&env, "bundle", &["--tsa-ca", &ca, "--checkpoint", &eml]);
    assert_eq!((code, pcode), (0, 0), "{err}{py_out}");
    assert_eq!(dsr_out, py_out);
    let witness = report(&format!("no later than {when} (witness: the message of {date} to {to})"));
    assert!(dsr_out.ends_with(&witness), "{dsr_out}\nwant:\n{witness}");
}
