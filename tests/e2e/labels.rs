//! Labels and search (issue 17 point 4): `status` shows each case's label
//! and filters by `--search`, `--company`, `--kind`, `--state` (also with
//! `--json`); `show` takes a label or an id prefix and lists the
//! candidates when a name fits several; after `purge` the label is
//! "(purged)".

use crate::support::{TestEnv, output_text, repo};
use serde_json::Value;
use std::process::Output;

const NOW: &str = "2026-11-30T09:00:00Z";

fn run(env: &TestEnv, args: &[&str]) -> Output {
    env.cmd().env("DSR_NOW", NOW).args(args).output().unwrap()
}

fn ok(env: &TestEnv, args: &[&str]) -> String {
    let out = run(env, args);
    assert_eq!(out.status.code(), Some(0), "dsr {args:?}\n{}", output_text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn send(env: &TestEnv, subject: &str, extra: &[&str]) -> String {
    let mut args = vec!["send", "--to", "zendesk", "--kind", "erasure", "--subject", subject, "--json"];
    args.extend(extra);
    let v: Value = serde_json::from_str(&ok(env, &args)).unwrap();
    v["request"].as_str().unwrap().to_string()
}

/// The request ids of `status ARGS --json`.
fn found(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let v: Value = serde_json::from_str(&ok(env, &[&["status"], args, &["--json"]].concat())).unwrap();
    let mut ids: Vec<String> =
        v.as_array().unwrap().iter().map(|r| r["request"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<&String>) -> Vec<String> {
    ids.sort();
    ids.into_iter().cloned().collect()
}

#[test]
fn status_search_finds_cases_by_the_subjects_name_and_show_takes_a_label() {
    let env = TestEnv::new().with_config();
    let erika = std::fs::read_to_string(repo().join("examples/subject-person.toml")).unwrap();
    env.write("erika.toml", &erika);
    env.write("max.toml", erika.replace("Erika Mustermann", "Max Muster").replace("erika.mustermann", "max.muster"));
    let a = send(&env, "erika.toml", &[]);
    let b = send(&env, "max.toml", &["--label", "Zendesk agent Max"]);
    let c = send(&env, "erika.toml", &["--again", "test: a second request for Erika"]);

    // The label is a column of the table.
    let table = ok(&env, &["status"]);
    let header = table.lines().next().unwrap();
    assert!(header.starts_with("REQUEST             LABEL"), "{table}");
    let line = |id: &str| table.lines().find(|l| l.starts_with(id)).unwrap().to_string();
    assert!(line(&a).contains("  Erika Mustermann  "), "{table}");
    assert!(line(&b).contains("  Zendesk agent Max  "), "{table}");

    // --search: the subject's name (any case), the label, the company, the id.
    assert_eq!(found(&env, &["--search", "MUSTERMANN"]), sorted(vec![&a, &c]));
    let shown = ok(&env, &["status", "--search", "mustermann"]);
    assert!(shown.contains(&a) && shown.contains(&c) && !shown.contains(&b), "{shown}");
    assert_eq!(found(&env, &["--search", "max muster"]), vec![b.clone()], "by the subject's name behind a label");
    assert_eq!(found(&env, &["--search", "agent"]), vec![b.clone()]);
    assert_eq!(found(&env, &["--search", "zendesk international"]).len(), 3);
    assert_eq!(found(&env, &["--search", &a[..10]]), vec![a.clone()]);
    // --company, --kind, --state.
    assert_eq!(found(&env, &["--company", "zendesk", "--kind", "erasure", "--state", "outboxed"]).len(), 3);
    assert_eq!(found(&env, &["--company", "Zendesk Int"]).len(), 3);
    assert!(found(&env, &["--company", "1blu"]).is_empty());
    assert!(found(&env, &["--kind", "access"]).is_empty());
    assert!(found(&env, &["--state", "sent"]).is_empty());
    let out = run(&env, &["status", "--state", "sent"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no matching cases"), "{}", output_text(&out));
    let out = run(&env, &["status", "--state", "bogus"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("one of: delivery-unknown, outboxed"),
        "{}",
        output_text(&out)
    );
    let json: Value = serde_json::from_str(&ok(&env, &["status", "--search", "agent", "--json"])).unwrap();
    assert_eq!(json[0]["label"], "Zendesk agent Max");

    // show: by label, by id prefix; a label of two cases lists both.
    let shown = ok(&env, &["show", "Zendesk agent Max"]);
    assert!(shown.starts_with(&format!("request   {b}\nlabel     Zendesk agent Max\n")), "{shown}");
    assert!(ok(&env, &["show", "zendesk AGENT max"]).starts_with(&format!("request   {b}\n")));
    assert!(ok(&env, &["show", &a[..8]]).starts_with(&format!("request   {a}\nlabel     Erika Mustermann\n")));
    let out = run(&env, &["show", "Erika Mustermann"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: the label 'Erika Mustermann' matches 2 cases: "), "{err}");
    for id in [&a, &c] {
        assert!(
            err.contains(&format!("{id} [Erika Mustermann] (Zendesk International Ltd., erasure, outboxed)")),
            "{err}"
        );
    }
    assert!(err.contains("help: name one by its id"), "{err}");
    let out = run(&env, &["show", "nobody"]);
    assert_eq!(out.status.code(), Some(2), "{}", output_text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no request 'nobody'"), "{}", output_text(&out));

    // After a purge the label is gone: "(purged)", and search no longer finds the name.
    ok(&env, &["purge", "--request", &c, "--force", "--reason", "test: purge an open case"]);
    assert!(ok(&env, &["show", &c]).starts_with(&format!("request   {c}\nlabel     (purged)\n")));
    let table = ok(&env, &["status"]);
    assert!(table.lines().find(|l| l.starts_with(c.as_str())).unwrap().contains("  (purged)  "), "{table}");
    assert_eq!(found(&env, &["--search", "mustermann"]), vec![a.clone()]);
    assert_eq!(ok(&env, &["show", "Erika Mustermann"]).lines().next().unwrap(), format!("request   {a}"));
}
