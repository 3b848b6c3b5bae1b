//! Tests for `dsr render`: previews, and the bad inputs of letters and
//! templates (nothing is ever stored or logged by render).

use crate::support::{TestEnv, assert_output, repo};

/// Runs `dsr ARGS` and checks what it shows against `tests/golden/<name>.txt`.
#[track_caller]
fn snapshot(env: &TestEnv, args: &[&str], name: &str) {
    assert_output(name, args, &env.dsr(args).output().unwrap(), env.placeholders());
}

fn subject(name: &str) -> String {
    repo().join("examples").join(name).display().to_string()
}

#[test]
fn render_previews_letter_identity_record_and_checklist_without_logging() {
    let env = TestEnv::new().with_config();
    let out = env
        .cmd()
        .env("DSR_NOW", "2026-11-30T09:00:00Z")
        .args(["render", "--to", "zendesk", "--kind", "processor-deletion", "--lang", "de"])
        .args(["--subject", &subject("subject-org.toml"), "--confirm", "export-data"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.starts_with("To: euprivacy@zendesk.com\nSubject: Weisung zur Löschung nach Art. 28 Abs. 3 lit. g DSGVO")
    );
    assert!(stdout.contains("Mittwoch, 30. Dezember 2026"), "the confirmation date, one month on");
    assert!(stdout.contains("----- attachment identity-verification.txt -----"));
    assert!(stderr.contains("  [ ] cancel-subscriptions: All paid Zendesk subscriptions"), "{stderr}");
    assert!(stderr.contains("  [x] export-data: "), "{stderr}");
    assert!(stderr.contains("preview only: nothing was sent or logged"));
    assert!(!env.join("data").exists(), "render must not create the data directory");

    env.dsr(&[
        "render",
        "--to",
        "zendesk",
        "--kind",
        "erasure",
        "--subject",
        &subject("subject-person.toml"),
        "--out",
        "preview",
    ])
    .assert()
    .success();
    for f in ["subject.txt", "letter.txt", "identity-verification.txt", "identity-verification.json"] {
        assert!(env.join("preview").join(f).is_file(), "{f}");
    }
    let json: serde_json::Value = serde_json::from_str(&env.read("preview/identity-verification.json")).unwrap();
    assert_eq!(json["format"], "dsr-idv/1");
}

#[test]
fn render_bad_inputs_name_file_line_and_field() {
    let env = TestEnv::new().with_config();
    let person = subject("subject-person.toml");
    // Unknown kind and language: clap lists the values.
    snapshot(
        &env,
        &["render", "--to", "zendesk", "--kind", "delete", "--subject", &person],
        "errors/render-invalid-kind",
    );
    let args = ["render", "--to", "zendesk", "--kind", "erasure", "--lang", "fr", "--subject", &person];
    snapshot(&env, &args, "errors/render-invalid-lang");
    // A subject that lacks what the policy requires.
    env.write("s.toml", std::fs::read_to_string(&person).unwrap().replace("account_email = ", "username = "));
    snapshot(
        &env,
        &["render", "--to", "zendesk", "--kind", "erasure", "--subject", "s.toml"],
        "errors/render-missing-identifier",
    );
    // A user template with a missing variable, and one with broken syntax.
    env.write("dsr.toml", format!("templates_dir = \"tpl\"\n{}", crate::support::TEST_CONFIG));
    env.write("tpl/en/erasure.subject.hbs", "Erasure {{subjekt.name}}\n");
    let args = ["render", "--to", "zendesk", "--kind", "erasure", "--subject", &person];
    // Exit 2, naming the template file, its line and the variable.
    snapshot(&env, &args, "errors/render-template-unknown-variable");
    env.write("tpl/en/erasure.subject.hbs", "Erasure {{sender.name}\n");
    snapshot(&env, &args, "errors/render-template-syntax");
}

/// Issue 16, point 13: a Bavarian seat whose municipality dsr does not know
/// (Gunzenhausen: Middle Franconia, mixed) keeps `DE-BY`, and `render` and
/// `send` warn that Assumption Day may be a holiday there; a seat whose
/// municipality is known (Munich: it is; Nuremberg: it is not) gets no
/// warning.
#[test]
fn a_bavarian_seat_without_a_known_municipality_is_warned_about() {
    let env = TestEnv::new().with_config();
    let person = subject("subject-person.toml");
    let args = ["render", "--to", "hetzner", "--kind", "erasure", "--subject", &person, "--out", "preview"];
    let out = env.cmd().env("DSR_NOW", "2026-07-15T09:00:00Z").args(args).output().unwrap();
    assert_output("notes/render-bavaria-no-municipality", &args, &out, env.placeholders());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("calendar DE-BY: dsr does not know whether the seat of"), "{stderr}");
    assert!(stderr.contains("91710 Gunzenhausen"), "{stderr}");

    let send = env
        .cmd()
        .env("DSR_NOW", "2026-07-15T09:00:00Z")
        .args(["send", "--to", "hetzner", "--kind", "erasure", "--subject", &person, "--dry-run"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(send.stderr).unwrap();
    assert_eq!(send.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("calendar DE-BY: dsr does not know whether the seat of"), "{stderr}");

    for known in ["datev", "adac"] {
        let out = env
            .cmd()
            .env("DSR_NOW", "2026-07-15T09:00:00Z")
            .args(["render", "--to", known, "--kind", "erasure", "--subject", &person, "--out", known])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("calendar DE-BY:"), "{known}: {stderr}");
    }
}
