//! The interface language for messages of src/cli (issue 17 point 11):
//! each in English and in German, pinned in `tests/golden/i18n/{en,de}/`.

use crate::support::TestEnv;

#[test]
fn batch_file_and_purge_refusals_in_both_languages() {
    let env = TestEnv::new();
    let ph = env.placeholders();
    let mut failures = Vec::new();
    env.write("batch/cols.csv", "policy,kind,colour\nzendesk,erasure,red\n");
    env.write("batch/empty.csv", "policy,kind,subject\n");
    env.write("batch/rows.csv", "policy,kind,subject,cc_self\n,erasure,erika.toml,perhaps\n");
    for (name, file) in [("batch-unknown-column", "cols"), ("batch-empty", "empty"), ("batch-bad-row", "rows")] {
        let path = format!("batch/{file}.csv");
        crate::i18n::both(&env, name, crate::i18n::NOW, &["send", "--batch", &path], &ph, &mut failures);
    }
    crate::i18n::both(&env, "purge-nothing-selected", crate::i18n::NOW, &["purge"], &ph, &mut failures);
    crate::i18n::both(
        &env,
        "purge-empty-reason",
        crate::i18n::NOW,
        &["purge", "--before", "2026-01-01", "--reason", " "],
        &ph,
        &mut failures,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
