//! Tests for `dsr completions` and `dsr man`: generated from the clap
//! definitions, so they are checked against those definitions and by the
//! tools that read them (bash, the man page formatter where installed).

use crate::support::TestEnv;
use clap::CommandFactory;
use std::process::Command;

/// Every command path (`["log", "verify"]` …) the CLI defines, help excluded.
fn commands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&dsr::cli::Cli::command(), &mut Vec::new(), &mut out);
    out
}

#[test]
fn bash_completion_is_valid_bash_and_knows_every_command_and_option() {
    let env = TestEnv::new();
    let out = env.dsr(&["completions", "bash"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let script = env.write("dsr.bash", &out.stdout);
    let check = Command::new("bash").arg("-n").arg(&script).output().unwrap();
    assert!(check.status.success(), "bash -n: {}", String::from_utf8_lossy(&check.stderr));
    // Sourced, the function completes `dsr lo` to `log`.
    let probe = format!(
        "source {}; COMP_WORDS=(dsr lo); COMP_CWORD=1; _dsr dsr lo dsr; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let done = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&done.stdout).trim(), "log", "{}", String::from_utf8_lossy(&done.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for path in commands() {
        assert!(text.contains(path.last().unwrap()), "{path:?} missing from the bash completion");
    }
    for flag in ["--retry-failed", "--data-dir", "--confirm-by", "--objects"] {
        assert!(text.contains(flag), "{flag} missing");
    }
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_refused() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = env.dsr(&["completions", shell]).output().unwrap();
        assert!(out.status.success() && out.stdout.len() > 1000, "{shell}");
    }
    let out = env.dsr(&["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'tcsh'"));
}

#[test]
fn man_writes_one_page_per_command_that_man_can_format() {
    let env = TestEnv::new();
    let out = env.dsr(&["man"]).output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH dsr 1"), "{page}");
    let out = env.dsr(&["man", "--out", "man1"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut want: Vec<String> = commands().iter().map(|p| format!("dsr-{}.1", p.join("-"))).collect();
    want.push("dsr.1".into());
    want.sort();
    let mut have: Vec<String> =
        std::fs::read_dir(env.join("man1")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    have.sort();
    assert_eq!(have, want);
    let verify = std::fs::read_to_string(env.join("man1/dsr-log-verify.1")).unwrap();
    assert!(
        verify.contains(".TH dsr-log-verify 1  \"dsr-log-verify 0.") && verify.contains("\\-\\-objects"),
        "{verify}"
    );
    // Formatted by man where it is installed (man-db), else by groff.
    let formatter = ["man", "groff"].into_iter().find(|t| Command::new(t).arg("--version").output().is_ok());
    if let Some(tool) = formatter {
        let args: &[&str] = if tool == "man" { &["-l", "-P", "cat"] } else { &["-man", "-Tutf8"] };
        let shown =
            Command::new(tool).args(args).arg(env.join("man1/dsr-send.1")).env("MANWIDTH", "80").output().unwrap();
        assert!(shown.status.success(), "{tool}: {}", String::from_utf8_lossy(&shown.stderr));
        assert!(String::from_utf8_lossy(&shown.stdout).contains("--retry-failed"));
    }
}
