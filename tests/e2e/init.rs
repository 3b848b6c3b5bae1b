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
