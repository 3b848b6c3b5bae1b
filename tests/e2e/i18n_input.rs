//! The interface language (issue 17 point 11): input messages, each in
//! English and in German, pinned in `tests/golden/i18n/{en,de}/`: a
//! subject's capacity that does not fit the kind of letter, an inline
//! subject's unknown or missing fields, the options `send` and `render`
//! need, a letter for post without a return address, the password
//! sources and the sender of `dsr.toml`, `dsr init`'s signer, and the
//! hints of a failed timestamp and of a path JSON cannot hold.

use crate::i18n::{NOW, both, run};
use crate::support::{TEST_CONFIG, TestEnv, closed_port, output_text, repo, snapshot, transcript, zendesk_over_smtp};

fn example(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("examples").join(name)).expect("example subject")
}

#[test]
fn subject_and_request_option_errors_in_both_languages() {
    let env = TestEnv::new().with_config();
    let ph = env.placeholders();
    let mut failures = Vec::new();
    let person = String::from_utf8(example("subject-person.toml")).unwrap();
    let org = String::from_utf8(example("subject-org.toml")).unwrap();
    env.write("subject.toml", &person);
    env.write("org.toml", &org);
    let render =
        |kind: &'static str, subject: &'static str| ["render", "--to", "zendesk", "--kind", kind, "--subject", subject];

    // A capacity that cannot send the kind of letter, both ways round.
    both(&env, "input-controller-erasure", NOW, &render("erasure", "org.toml"), &ph, &mut failures);
    both(&env, "input-controller-access", NOW, &render("access", "org.toml"), &ph, &mut failures);
    let rep = person.replace("capacity = \"data_subject\"", "capacity = \"representative\"");
    env.write("rep.toml", rep);
    both(
        &env,
        "input-data-subject-processor-deletion",
        NOW,
        &render("processor-deletion", "subject.toml"),
        &ph,
        &mut failures,
    );
    both(
        &env,
        "input-representative-processor-deletion",
        NOW,
        &render("processor-deletion", "rep.toml"),
        &ph,
        &mut failures,
    );

    // A subject file with an unknown key, and one without its capacity:
    // the TOML reader's words (the key's line and column).
    env.write("unknown-key.toml", person.replacen("\nname = ", "\nnmae = ", 1));
    let no_capacity: String = person.lines().filter(|l| !l.starts_with("capacity")).map(|l| format!("{l}\n")).collect();
    env.write("no-capacity.toml", no_capacity);
    both(&env, "input-subject-unknown-key", NOW, &render("erasure", "unknown-key.toml"), &ph, &mut failures);
    both(&env, "input-subject-no-capacity", NOW, &render("erasure", "no-capacity.toml"), &ph, &mut failures);

    // The same in a batch row's inline subject: the row's field, and a
    // capacity that does not fit the row's kind (the fix in the row's words).
    env.write(
        "unknown.csv",
        "policy,kind,subject.capacity,subject.nmae,subject.email\nzendesk,erasure,data_subject,Agent,a@b.example\n",
    );
    env.write("no-capacity.csv", "policy,kind,subject.name,subject.email\nzendesk,erasure,Agent,a@b.example\n");
    env.write("controller.csv", "policy,kind,subject.capacity,subject.name\nzendesk,erasure,controller,Agent\n");
    for (name, file) in [
        ("input-batch-inline-unknown-field", "unknown.csv"),
        ("input-batch-inline-no-capacity", "no-capacity.csv"),
        ("input-batch-inline-controller-erasure", "controller.csv"),
    ] {
        both(&env, name, NOW, &["send", "--batch", file], &ph, &mut failures);
    }

    // The options every request needs; --again without a reason.
    both(
        &env,
        "input-render-no-kind",
        NOW,
        &["render", "--to", "zendesk", "--subject", "subject.toml"],
        &ph,
        &mut failures,
    );
    both(&env, "input-render-no-subject", NOW, &["render", "--to", "zendesk", "--kind", "erasure"], &ph, &mut failures);
    let again = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml", "--again", " "];
    both(&env, "input-send-again-without-reason", NOW, &again, &ph, &mut failures);

    // A letter for post needs a return address: the data subject's own,
    // or for a controller the organisation's or the sender's.
    let mut post = render("erasure", "subject.toml").to_vec();
    post.extend(["--via", "post"]);
    both(&env, "input-post-no-return-address", NOW, &post, &ph, &mut failures);
    let no_address: String = org.lines().filter(|l| !l.starts_with("address")).map(|l| format!("{l}\n")).collect();
    env.write("org-no-address.toml", no_address);
    let no_sender_address: String =
        TEST_CONFIG.lines().filter(|l| !l.starts_with("address")).map(|l| format!("{l}\n")).collect();
    env.write("no-address.toml", no_sender_address);
    let mut post = vec!["--config", "no-address.toml"];
    post.extend(render("processor-deletion", "org-no-address.toml"));
    post.extend(["--via", "post"]);
    both(&env, "input-post-no-return-address-controller", NOW, &post, &ph, &mut failures);

    // An evidence file that looks like an identity document, for a
    // company that asks for one: sent, with a warning.
    env.write("passport.pdf", "%PDF-1.4 a scan");
    env.write(
        "with-passport.toml",
        person.replacen("[verification]\n", "[verification]\nevidence = [\"passport.pdf\"]\n", 1),
    );
    let id = [
        "render",
        "--to",
        "samedi-de",
        "--kind",
        "access",
        "--subject",
        "with-passport.toml",
        "--confirm-id-document",
        "--out",
        "letter",
    ];
    both(&env, "input-evidence-looks-like-an-id-document", NOW, &id, &ph, &mut failures);

    // `dsr init` with a signer's email that is not an address.
    let init = [
        "init",
        "--signer-name",
        "Erika Mustermann",
        "--signer-email",
        "erika(at)example.org",
        "--path",
        "new/dsr.toml",
    ];
    both(&env, "input-init-bad-signer-email", NOW, &init, &ph, &mut failures);
    assert!(!env.join("new/dsr.toml").exists(), "nothing is written");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_sender_and_the_password_sources_in_both_languages() {
    let mut failures = Vec::new();
    // No dsr.toml at all: a controller's letter needs the sender.
    let bare = TestEnv::new();
    bare.write("org.toml", example("subject-org.toml"));
    let org = ["render", "--to", "zendesk", "--kind", "processor-deletion", "--subject", "org.toml"];
    both(&bare, "input-no-config-no-sender", NOW, &org, &bare.placeholders(), &mut failures);

    // The example sender `dsr init` writes is refused for sending.
    let example_env = TestEnv::new();
    let out = run(&example_env, "en", NOW, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    example_env.write("subject.toml", example("subject-person.toml"));
    let send = ["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"];
    both(&example_env, "input-send-example-sender", NOW, &send, &example_env.placeholders(), &mut failures);

    // A password source that fails: nothing is sent or logged, and the
    // password never shows.
    let (port, _) = closed_port();
    let env = zendesk_over_smtp(port, "privacy");
    let ph = env.placeholders().with("[PORT]", port);
    let config = env.read("dsr.toml");
    for (name, source) in [
        ("input-password-env-unset", "password_env = \"DSR_TEST_SURELY_UNSET_PASSWORD\""),
        ("input-password-command-fails", "password_command = \"printf %s%s hun ter2; exit 3\""),
        ("input-password-command-empty", "password_command = \"true\""),
        ("input-password-command-not-utf8", "password_command = \"printf '%s%s\\\\377' hun ter2\""),
    ] {
        env.write("dsr.toml", format!("{config}username = \"dsr\"\n{source}\n"));
        both(&env, name, NOW, &send, &ph, &mut failures);
        for lang in ["en", "de"] {
            let out = run(&env, lang, NOW, &send);
            assert!(!output_text(&out).contains("hunter2"), "{name} {lang}: {}", output_text(&out));
        }
    }
    assert!(!env.join("data/log.jsonl").exists(), "a failed password source logs nothing");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_hints_of_a_failed_timestamp_and_of_a_path_json_cannot_hold() {
    let mut failures = Vec::new();
    // Every time-stamping authority fails: `dsr log timestamp` exits 3.
    let (port, _) = closed_port();
    let env = TestEnv::new();
    let tsa = format!(
        "\n[timestamp]\ntimeout_secs = 2\n\n[[timestamp.tsa]]\nname = \"nowhere\"\nurl = \"http://127.0.0.1:{port}/\"\n"
    );
    env.write("dsr.toml", format!("{TEST_CONFIG}{tsa}"));
    env.write("subject.toml", example("subject-person.toml"));
    for args in [&["key", "new"][..], &["send", "--to", "zendesk", "--kind", "erasure", "--subject", "subject.toml"]] {
        let out = run(&env, "en", NOW, args);
        assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    }
    let ph = env.placeholders().with("[PORT]", port);
    both(&env, "input-log-timestamp-all-failed", NOW, &["log", "timestamp"], &ph, &mut failures);

    // `--json` with a file name that is not UTF-8 (Linux allows it).
    #[cfg(unix)]
    {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let env = TestEnv::new();
        let args = [
            OsStr::new("--json"),
            OsStr::new("init"),
            OsStr::new("--force"),
            OsStr::new("--examples"),
            OsStr::from_bytes(b"ex\xff"),
        ];
        for lang in ["en", "de"] {
            let mut c = env.cmd();
            c.env("DSR_NOW", NOW).args(args);
            if lang == "de" {
                c.env("LANG", "de_DE.UTF-8");
            }
            let out = c.output().expect("run dsr");
            let text = transcript(&args, out.status.code(), &out.stdout, &out.stderr);
            let name = format!("i18n/{lang}/input-json-path-not-utf8.txt");
            if let Err(e) = snapshot::try_snapshot(&name, &text, env.placeholders().into()) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
