//! Tests for `dsr init`.

use crate::support::{TestEnv, assert_output};

#[test]
fn init_writes_a_config_that_loads_and_refuses_to_overwrite() {
    let env = TestEnv::new();
    let out = env.dsr(&["init"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let key = env.join(".config/dsr/signing-key");
    assert!(
        stdout.starts_with(&format!(
            "wrote {}\nmade signing key {}\npublic key: dsr+",
            env.join("dsr.toml").display(),
            key.display()
        )),
        "{stdout}"
    );
    let text = env.read("dsr.toml");
    assert!(text.contains("[sender]") && text.contains("# [smtp]"));
    env.write("dsr.toml", "# mine\n");
    assert_output("errors/init-config-exists", &["init"], &env.dsr(&["init"]).output().unwrap(), env.placeholders());
    assert_eq!(env.read("dsr.toml"), "# mine\n");
    // --force replaces the config, never the key.
    let before = std::fs::read(&key).unwrap();
    env.dsr(&["init", "--force"]).assert().success().stdout(format!("wrote {}\n", env.join("dsr.toml").display()));
    assert!(env.read("dsr.toml").contains("[sender]"));
    assert_eq!(std::fs::read(&key).unwrap(), before);
}

/// `dsr init` on a real terminal (a pty made by `script`): it asks for
/// the signer's details and writes them, without the example marker.
#[test]
fn init_on_a_terminal_asks_for_the_signers_details() {
    let env = TestEnv::new();
    let bin = assert_cmd::cargo::cargo_bin("dsr");
    let mut child = std::process::Command::new("script")
        .args(["-qfec", &format!("{} init", bin.display()), "/dev/null"])
        .current_dir(env.path())
        .env_clear()
        .env("HOME", env.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Max Muster\nDatenschutzbeauftragter\nMuster AG\nWeg 1; 12345 Ort\nmax@muster.example\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("Your name (as it signs the letters): "), "asked on the terminal: {shown}");
    assert!(shown.contains("Your email address (requests are sent from it): "), "{shown}");
    let text = env.read("dsr.toml");
    for line in [
        "name = \"Max Muster\"",
        "role = \"Datenschutzbeauftragter\"",
        "organisation = \"Muster AG\"",
        "address = [\"Weg 1\", \"12345 Ort\"]",
        "email = \"max@muster.example\"",
    ] {
        assert!(text.contains(&format!("\n{line}\n")), "{line} in {text}");
    }
    assert!(!text.contains("example = true") && !text.contains("Anna Beispiel"), "{text}");
    // It is a config to send with: render and a dry run work.
    let subject = crate::support::repo().join("examples/subject-person.toml");
    let args = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", subject.to_str().unwrap(), "--dry-run"];
    env.dsr(&args).assert().success();
}

/// Without a terminal and without --signer-*, the example signer is
/// written and marked, and sending is refused with the fix; the options
/// give a config of one's own. The marker, not the name, is what counts:
/// the test config signs as "Dr. Anna Beispiel" and sends.
#[test]
fn the_example_signer_is_refused_for_sending_until_replaced() {
    let env = TestEnv::new();
    let out = env.dsr(&["init"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("the [sender] is a fictional example (marked `example = true`)"), "{err}");
    assert!(env.read("dsr.toml").contains("\n[sender]\nexample = true "), "the marker under [sender]");
    let subject = crate::support::repo().join("examples/subject-person.toml");
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", subject.to_str().unwrap()];
    let out = env.dsr(&send).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "sender.example: the sender is still the example `dsr init` wrote (Dr. Anna Beispiel): nothing is sent \
             in a fictional person's name"
        ),
        "{err}"
    );
    assert!(err.contains("delete the line `example = true`"), "{err}");
    assert!(!env.join("dsr-data/log.jsonl").exists(), "nothing logged");
    // A preview is no sending, but it says that the signer is fictional.
    let render = ["render", "--to", "zendesk", "--kind", "erasure", "--subject", subject.to_str().unwrap()];
    let out = env.dsr(&render).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("warning: the sender \"Dr. Anna Beispiel\" is the fictional example `dsr init` wrote"),
        "{err}"
    );
    // Options instead of questions.
    let args = [
        "init",
        "--force",
        "--signer-name",
        "Erika Muster",
        "--signer-email",
        "erika@muster.example",
        "--signer-address",
        "Weg 2",
        "--signer-address",
        "12345 Ort",
    ];
    env.dsr(&args).assert().success();
    let text = env.read("dsr.toml");
    assert!(text.contains("\nname = \"Erika Muster\"\n") && !text.contains("example = true"), "{text}");
    assert!(text.contains("\n# role = ") && text.contains("\n# organisation = "), "not given: left out: {text}");
    env.dsr(&send).assert().success();
    let out = env.dsr(&render).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("fictional"), "no warning for a real signer");
    // A bad detail is refused by its option, and nothing is written.
    let out = env.dsr(&["init", "--force", "--signer-name", "X", "--signer-email", "not-an-address"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("error: --signer-email: 'not-an-address'"));
    assert!(env.read("dsr.toml").contains("Erika Muster"));
    // A name without an email is not silently replaced by the example
    // sender: refused, naming what is missing, and nothing is written.
    let out = env.dsr(&["init", "--force", "--signer-name", "Max Muster"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("error: --signer-name given without --signer-email"), "{err}");
    assert!(err.contains("help: pass --signer-email too"), "{err}");
    assert!(env.read("dsr.toml").contains("Erika Muster"));
    // The test config's signer has the same name as the example, unmarked: it sends.
    let other = TestEnv::new().with_config();
    assert!(other.read("dsr.toml").contains("Dr. Anna Beispiel"));
    other.dsr(&send).assert().success();
}

/// `dsr init --examples DIR` writes the guide's subject files, embedded in
/// the binary, which work as the README uses them.
#[test]
fn init_examples_writes_the_guides_subject_files() {
    let env = TestEnv::new().with_config();
    let out = env.dsr(&["init", "--examples", "subjects"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "wrote {}\nwrote {}\n",
            env.join("subjects/acme.toml").display(),
            env.join("subjects/agent-erika.toml").display()
        )
    );
    let acme = env.read("subjects/acme.toml");
    assert!(acme.contains("--subject acme.toml") && !acme.contains("examples/"), "{acme}");
    env.dsr(&["render", "--to", "zendesk", "--kind", "erasure", "--subject", "subjects/agent-erika.toml"])
        .assert()
        .success();
    env.dsr(&["render", "--to", "zendesk", "--kind", "processor-deletion", "--subject", "subjects/acme.toml"])
        .assert()
        .success();
    // Never over the user's files, unless --force.
    env.write("subjects/agent-erika.toml", "# mine\n");
    let out = env.dsr(&["init", "--examples", "subjects"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("acme.toml already exists"));
    assert_eq!(env.read("subjects/agent-erika.toml"), "# mine\n");
    env.dsr(&["init", "--examples", "subjects", "--force"]).assert().success();
    assert!(env.read("subjects/agent-erika.toml").contains("Erika Mustermann"));
}
