//! `dsr purge` keeps what may still be needed (issue 17 point 3): open
//! cases and cases inside the retention period are refused unless
//! `--force --reason`, which is logged; `--dry-run` says why each case goes
//! or stays. Dates come from the clock override `DSR_NOW`.

use crate::support::{TestEnv, assert_output, output_text, repo};
use serde_json::Value;
use std::process::Output;

fn run(env: &TestEnv, now: &str, args: &[&str]) -> Output {
    env.cmd().env("DSR_NOW", now).args(args).output().unwrap()
}

fn ok(env: &TestEnv, now: &str, args: &[&str]) -> String {
    let out = run(env, now, args);
    assert_eq!(out.status.code(), Some(0), "dsr {args:?}\n{}", output_text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Sends an erasure to Zendesk (outbox) at `now` and returns its id.
fn send(env: &TestEnv, now: &str, again: bool) -> String {
    let mut args = vec!["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml", "--json"];
    if again {
        args.extend(["--again", "test: another case for the same subject"]);
    }
    let v: Value = serde_json::from_str(&ok(env, now, &args)).unwrap();
    v["request"].as_str().unwrap().to_string()
}

fn events(env: &TestEnv) -> Vec<Value> {
    env.read("data/log.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn purges(env: &TestEnv) -> Vec<Value> {
    events(env).into_iter().filter(|e| e["event"] == "purged").collect()
}

/// Three cases: `old` sent and closed in 2022 (its retention period, 3
/// years from the end of 2022, ended on 2025-12-31), `young` sent and
/// closed in 2026, `open` sent in 2026 and still waiting.
fn setup() -> (TestEnv, [String; 3]) {
    let env = TestEnv::new().with_config();
    env.write("subject.toml", std::fs::read(repo().join("examples/subject-person.toml")).unwrap());
    let old = send(&env, "2022-03-01T09:00:00Z", false);
    ok(&env, "2022-04-01T09:00:00Z", &["close", &old]);
    let young = send(&env, "2026-11-02T09:00:00Z", false);
    ok(&env, "2026-11-20T09:00:00Z", &["close", &young]);
    let open = send(&env, "2026-11-30T09:00:00Z", false);
    (env, [old, young, open])
}

const NOW: &str = "2026-12-02T09:00:00Z";

#[test]
fn open_and_young_cases_are_refused_old_closed_ones_purged_and_force_logs_its_reason() {
    let (env, [old, young, open]) = setup();
    let log = env.read("data/log.jsonl");

    // An open case is refused, naming why and the way out.
    let out = run(&env, NOW, &["purge", "--request", &open]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("error: not purged: {open} is open (outboxed)")), "{err}");
    assert!(err.contains("nothing was deleted") && err.contains("--force --reason"), "{err}");
    // A closed case inside the retention period is refused too (named
    // as show names it: positional).
    let out = run(&env, NOW, &["purge", &young]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("inside the retention period: last event 2026-11-20, kept until 2029-12-31"), "{err}");
    assert!(err.contains("[retention] years = 3"), "{err}");
    // --force needs a reason.
    let out = run(&env, NOW, &["purge", "--request", &open, "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reason <TEXT>"), "{}", output_text(&out));
    assert_eq!(env.read("data/log.jsonl"), log, "nothing logged by refused purges");

    // The dry run says, per case, why it goes or stays.
    let shown = ok(&env, NOW, &["purge", "--before", "2030-01-01", "--dry-run"]);
    let line = |id: &str| shown.lines().find(|l| l.contains(id)).unwrap_or_else(|| panic!("{id}: {shown}"));
    assert!(
        line(&old)
            .starts_with(&format!("would purge {old} [Erika Mustermann] (Zendesk International Ltd., erasure): "))
    );
    assert!(line(&old).contains("closed, last event 2022-04-01; the retention period ended 2025-12-31"), "{shown}");
    // Then exactly what would go: each object of the case, by role and hash.
    let listed: Vec<&str> =
        shown.lines().skip_while(|l| !l.contains(old.as_str())).skip(1).take_while(|l| l.starts_with("    ")).collect();
    let n: usize = line(&old).split(": ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert_eq!(listed.len(), n, "{shown}");
    for role in ["message", "letter", "tag"] {
        assert!(listed.iter().any(|l| l.trim_start().starts_with(role) && l.contains(" sha256 ")), "{role}: {shown}");
    }
    assert!(line(&young).starts_with(&format!("kept {young} ")), "{shown}");
    assert!(line(&young).contains("inside the retention period"), "{shown}");
    assert!(line(&open).starts_with(&format!("kept {open} ")) && line(&open).contains(": open (outboxed)"), "{shown}");
    assert_eq!(env.read("data/log.jsonl"), log, "a dry run logs nothing");
    let json: Value =
        serde_json::from_str(&ok(&env, NOW, &["purge", "--before", "2030-01-01", "--dry-run", "--json"])).unwrap();
    let verdicts: Vec<&str> =
        json["cases"].as_array().unwrap().iter().map(|c| c["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts.iter().filter(|v| **v == "qualifies").count(), 1, "{json}");
    assert_eq!(verdicts.iter().filter(|v| **v == "refused").count(), 2, "{json}");

    // Without a terminal and without --yes: refused, nothing deleted.
    let out = env.cmd().env_remove("DSR_YES").env("DSR_NOW", NOW).args(["purge", "--request", &old]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("confirmation needed: Delete them (1 case(s))?"));
    assert_eq!(env.read("data/log.jsonl"), log);

    // --before purges the old closed case and keeps the others.
    let shown = ok(&env, NOW, &["purge", "--before", "2030-01-01"]);
    assert!(shown.contains(&format!("purged {old} [Erika Mustermann]")), "{shown}");
    assert!(shown.contains(&format!("kept {young} ")) && shown.contains(&format!("kept {open} ")), "{shown}");
    let p = purges(&env);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0]["request"], old.as_str());
    assert_eq!(p[0]["data"]["reason"], "retention period ended");
    assert!(p[0]["data"].get("forced").is_none(), "{}", p[0]);

    // --force with a reason purges the open case and logs the reason.
    let reason = "the data subject asked for erasure of the case file";
    let shown = ok(&env, NOW, &["purge", "--request", &open, "--force", "--reason", reason]);
    assert!(shown.contains(&format!("purged {open} [Erika Mustermann]")) && shown.contains("forced, although open"));
    let p = purges(&env);
    assert_eq!(p.len(), 2);
    assert_eq!(p[1]["request"], open.as_str());
    assert_eq!(p[1]["data"]["reason"], reason);
    assert_eq!(p[1]["data"]["forced"], true);
    ok(&env, NOW, &["log", "verify", "--objects"]);

    // On a terminal: the question lists what goes; no keeps it, yes purges.
    let args = ["purge", "--request", &young, "--force", "--reason", "test: asked on a terminal"];
    let (code, shown) = crate::confirm::on_a_terminal_at(&env, NOW, &args, "n\n");
    assert_eq!(code, Some(2), "{shown}");
    assert!(
        shown.contains(&format!("  {young} [Erika Mustermann] (Zendesk International Ltd., erasure): ")),
        "{shown}"
    );
    assert!(shown.contains("objects (forced)") && shown.contains("Delete them (1 case(s))? [y/N] "), "{shown}");
    assert_eq!(purges(&env).len(), 2, "answered no: nothing purged");
    let (code, shown) = crate::confirm::on_a_terminal_at(&env, NOW, &args, "j\n");
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains(&format!("purged {young} ")), "{shown}");
    let p = purges(&env);
    assert_eq!(
        (p.len(), &p[2]["request"], &p[2]["data"]["forced"]),
        (3, &Value::from(young.as_str()), &Value::Bool(true))
    );

    let args = ["purge", "--request", "r_cccccccccccccccc"];
    let placeholders = env.placeholders();
    assert_output("errors/purge-unknown-request", &args, &run(&env, NOW, &args), placeholders);
}
