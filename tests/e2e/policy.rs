//! Tests for `dsr policy list|show|check` and the bad-input messages of
//! policy and config files.

use crate::support::{TestEnv, assert_output, repo};

/// Runs `dsr ARGS` and checks what it shows against `tests/golden/<name>.txt`.
#[track_caller]
fn snapshot(env: &TestEnv, args: &[&str], name: &str) {
    assert_output(name, args, &env.dsr(args).output().unwrap(), env.placeholders());
}

#[test]
fn check_passes_on_the_shipped_policies() {
    let env = TestEnv::new();
    let dir = repo().join("policies");
    env.dsr(&["policy", "check", dir.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("ok: "));
}

#[test]
fn show_zendesk_json_prints_the_parsed_policy() {
    let env = TestEnv::new();
    let out = env.dsr(&["policy", "show", "zendesk", "--json"]).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["id"], "zendesk");
    assert_eq!(v["entity"]["legal_name"], "Zendesk International Ltd.");
    assert_eq!(v["contact"]["privacy_email"], "euprivacy@zendesk.com");
    assert_eq!(v["calendar"], "IE");
    assert_eq!(v["role"], "both");
    assert_eq!(v["preconditions"][0]["id"], "cancel-subscriptions");
    assert_eq!(v["sources"]["checked"], "2026-11-28");
}

#[test]
fn unknown_policy_suggests_a_near_id() {
    let env = TestEnv::new();
    snapshot(&env, &["policy", "show", "zendsk"], "errors/policy-unknown-did-you-mean");
}

#[test]
fn list_search_finds_by_brand() {
    let env = TestEnv::new();
    env.dsr(&["policy", "list", "--search", "zendesk chat"])
        .assert()
        .success()
        .stdout(predicates::str::contains("zendesk "));
}

const GOOD: &str = r#"id = "acme"
name = "ACME"
language = "en"
role = "controller"
calendar = "IE"
[entity]
legal_name = "ACME Ltd."
address = ["1 Road", "Dublin", "Ireland"]
[contact]
privacy_email = "privacy@acme.example"
[sources]
urls = ["https://acme.example/privacy"]
"#;

fn check_one(text: &str) -> (i32, String) {
    let env = TestEnv::new();
    env.write("acme.toml", text);
    let out = env.dsr(&["policy", "check", "acme.toml"]).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn policy_bad_inputs_have_exact_messages() {
    assert_eq!(check_one(GOOD), (0, "ok: 1 policy file(s) checked, no problems\n".into()));
    let cases = [
        (
            GOOD.replace("name = \"ACME\"", "name = \"ACME"),
            "acme.toml: 2:13: the text after `name =` has no closing double quote\n",
        ),
        (
            GOOD.replace("[contact]\n", "[contact]\nprivacy_mail = \"x@y.z\"\n"),
            "acme.toml: 10:1: unknown field `privacy_mail`, expected one of `privacy_email`, `alternative_emails`, `support_email`, `to`, `cc`, `web`, `webform`, `phone`, `fax`\n",
        ),
        (
            GOOD.replace("privacy@acme.example", "privacy.acme.example"),
            "acme.toml: contact.privacy_email: 'privacy.acme.example' is not a valid email address: Missing domain or user\n",
        ),
        (
            GOOD.replace("language = \"en\"", "language = \"fr\""),
            "acme.toml: 3:12: unknown variant `fr`, expected `de` or `en`\n",
        ),
        (
            GOOD.replace("calendar = \"IE\"", "calendar = \"XK\""),
            "acme.toml: 5:12: unknown holiday calendar 'XK', known calendars: DE, DE-BB, DE-BE, DE-BW, DE-BY, DE-HB, DE-HE, DE-HH, DE-MV, DE-NI, DE-NW, DE-RP, DE-SH, DE-SL, DE-SN, DE-ST, DE-TH, DE-BY-KATH, DE-BY-AUGSBURG, DE-SN-KATH, DE-TH-KATH, IE, AT, GB-EAW, GB-SCT, GB-NIR, FR, FR-ALSACE-MOSELLE, NL, BE, LU, SE, DK, FI, IT, PL, LT, CZ, EE, LI, MT, NO, PT, SK, GR, CY, RO, HU, BG, HR, SI, LV, IS, ES, ES-AN, ES-AR, ES-AS, ES-CB, ES-CE, ES-CL, ES-CM, ES-CN, ES-CT, ES-EX, ES-GA, ES-IB, ES-MC, ES-MD, ES-ML, ES-NC, ES-PV, ES-RI, ES-VC, US, CH, CA, CA-BC, CA-ON, CA-QC, AU, AU-NSW, AU-VIC, NZ, NZ-AUK, NZ-CAN, NZ-NSN, NZ-WGN, IL, SG, HK, CN, TW, JP, AE, QA, MA, IN, IN-MH, MY, MY-10, PK, PA, MH, SC, GI, IM, RU\n",
        ),
        (
            GOOD.replace("urls = [\"https://acme.example/privacy\"]", "urls = []"),
            "acme.toml: sources.urls: at least one source is required: where do these facts come from?\n",
        ),
        (
            GOOD.to_string() + "[[preconditions]]\nid = \"export\"\nen = \"Export your data first\"\n",
            "acme.toml: preconditions[0].de: missing German (de) text\n",
        ),
    ];
    for (text, expected) in cases {
        let (code, out) = check_one(&text);
        assert_eq!(code, 2, "{text}");
        assert_eq!(out, expected);
    }
}

/// `dsr policy check` over the whole catalog says how many policies give a
/// letter with an identifier and a computable deadline (issue 16), and what
/// keeps the others from one.
#[test]
fn check_of_the_catalog_counts_the_letters_it_can_write() {
    let env = TestEnv::new();
    snapshot(&env, &["policy", "check"], "notes/policy-check-letters");
}

#[test]
fn check_reports_stderr_summary_and_hint() {
    let env = TestEnv::new();
    env.write("acme.toml", GOOD.replace("urls = [\"https://acme.example/privacy\"]", "urls = []"));
    // The problem on stdout; the summary and the help on stderr.
    snapshot(&env, &["policy", "check", "acme.toml"], "errors/policy-check-missing-source");
    env.write("acme.toml", GOOD.replace("privacy@acme.example", "privacy.acme.example"));
    snapshot(&env, &["policy", "check", "acme.toml"], "errors/policy-check-invalid-email");
    env.write("acme.toml", GOOD.replace("name = \"ACME\"", "name = \"ACME"));
    snapshot(&env, &["policy", "check", "acme.toml"], "errors/policy-check-bad-toml");
}

#[test]
fn path_errors_are_named() {
    let env = TestEnv::new();
    env.write("empty.toml", "");
    env.write("bin.toml", b"id = \x00\x01");
    std::fs::create_dir(env.join("dir.toml")).unwrap();
    snapshot(&env, &["policy", "check", "missing.toml"], "errors/policy-check-no-such-file");
    snapshot(&env, &["policy", "check", "empty.toml"], "errors/policy-check-empty-file");
    snapshot(&env, &["policy", "check", "bin.toml"], "errors/policy-check-not-utf8");
    // A directory is searched for policies: this one has none.
    env.dsr(&["policy", "check", "dir.toml"]).assert().success().stdout("ok: 0 policy file(s) checked, no problems\n");
}

#[test]
fn user_policies_dir_extends_the_catalog() {
    let env = TestEnv::new();
    env.write("dsr.toml", "policies_dir = \"mine\"\n");
    env.write("mine/acme.toml", GOOD);
    env.dsr(&["policy", "show", "acme"]).assert().success().stdout(predicates::str::contains("ACME Ltd."));
    env.dsr(&["policy", "check"]).assert().success();
}

#[test]
fn config_bad_inputs_have_exact_messages() {
    let env = TestEnv::new();
    env.write("dsr.toml", "[smtp]\nhost = \"mail.example.org\"\nusername = \"u\"\npassword = \"hunter2\"\n");
    let out = env.dsr(&["policy", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_output("errors/config-inline-password", &["policy", "list"], &out, env.placeholders());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2"));

    env.write("dsr.toml", "[sender]\nname = \"A\"\nemail = \"a@b.example\"\nfoo = 1\n");
    snapshot(&env, &["policy", "list"], "errors/config-unknown-key");
}
