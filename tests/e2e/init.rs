//! Tests for `dsr init`.

use crate::support::{TestEnv, assert_output};

#[test]
fn init_writes_a_config_that_loads_and_refuses_to_overwrite() {
    let env = TestEnv::new();
    env.dsr(&["init"]).assert().success().stdout(format!("wrote {}\n", env.join("dsr.toml").display()));
    let text = env.read("dsr.toml");
    assert!(text.contains("[sender]") && text.contains("# [smtp]"));
    env.write("dsr.toml", "# mine\n");
    assert_output("errors/init-config-exists", &["init"], &env.dsr(&["init"]).output().unwrap(), env.placeholders());
    assert_eq!(env.read("dsr.toml"), "# mine\n");
    env.dsr(&["init", "--force"]).assert().success();
    assert!(env.read("dsr.toml").contains("[sender]"));
}
