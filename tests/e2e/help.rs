//! `--help` of every command and subcommand, pinned as plain text in
//! `tests/golden/help/<command path>.txt` (`dsr.txt`, `send.txt`,
//! `policy-check.txt` …). The commands are enumerated from clap's
//! definition, so a new command fails here until its snapshot is blessed
//! (`DSR_BLESS=1 cargo test --test e2e help::`), and a snapshot whose
//! command is gone fails too. Every help page shows at least one example.

use crate::support::{TestEnv, snapshot, transcript};
use clap::CommandFactory;
use std::collections::BTreeSet;

/// Every command path below `cmd`, `cmd` first (clap's own `help`
/// subcommand excluded: it prints the same text as `--help`).
pub(crate) fn paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    out.push(prefix.to_vec());
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        paths(sub, &path, out);
    }
}

fn snapshot_name(path: &[String]) -> String {
    if path.is_empty() { "dsr".into() } else { path.join("-") }
}

#[test]
fn every_command_has_a_help_snapshot() {
    let mut all = Vec::new();
    paths(&dsr::cli::Cli::command(), &[], &mut all);
    assert!(all.len() > 20, "too few commands found: {all:?}");
    let env = TestEnv::new();
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    for path in &all {
        let mut args = path.clone();
        args.push("--help".into());
        let out = env.cmd().args(&args).output().unwrap();
        // --help prints to stdout and exits 0; the transcript pins both.
        let text = transcript(&args, out.status.code(), &out.stdout, &out.stderr);
        let name = snapshot_name(path);
        // Issue 17 point 7: examples everywhere.
        if !String::from_utf8_lossy(&out.stdout).contains("Example") {
            failures.push(format!("`dsr {}` --help shows no example", path.join(" ")));
        }
        if let Err(e) = snapshot::try_snapshot(&format!("help/{name}.txt"), &text, env.placeholders().into()) {
            failures.push(e);
        }
        names.insert(format!("{name}.txt"));
    }
    // A snapshot whose command no longer exists is stale.
    let dir = snapshot::golden_path("help");
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !names.contains(&file) {
            if snapshot::blessing() {
                std::fs::remove_file(dir.join(&file)).unwrap();
            } else {
                failures.push(format!("tests/golden/help/{file}: no such command any more; delete it"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
