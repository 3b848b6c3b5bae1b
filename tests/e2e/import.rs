//! Tests for `dsr policy import-datenanfragen`, the shipped imported
//! policies and `dsr authority`.

use crate::support::{TestEnv, repo};
use std::collections::BTreeMap;
use std::path::Path;

/// The CC0 copy of the Datenanfragen.de directory kept in the repository
/// (`tests/fixtures/datenanfragen/`, see its README for the source commit),
/// unpacked into a fresh temp dir that is removed when dropped.
fn datenanfragen() -> tempfile::TempDir {
    let archive = repo().join("tests/fixtures/datenanfragen/datenanfragen.tar.gz");
    let file = std::fs::File::open(&archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));
    let dir = tempfile::tempdir().unwrap();
    tar::Archive::new(flate2::read::GzDecoder::new(file)).unpack(dir.path()).unwrap();
    dir
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        out.insert(p.file_name().unwrap().to_str().unwrap().to_string(), std::fs::read(&p).unwrap());
    }
    out
}

#[test]
fn reimporting_the_fixture_copy_gives_the_shipped_files_byte_for_byte() {
    let src = datenanfragen();
    let shipped = repo().join("policies");
    let provenance = std::fs::read_to_string(shipped.join("imported/PROVENANCE.md")).unwrap();
    let date = dsr::policy::import::imported_on(&provenance).expect("Imported on: date in PROVENANCE.md");
    let env = TestEnv::new();
    env.dsr(&[
        "policy",
        "import-datenanfragen",
        src.path().to_str().unwrap(),
        "--out",
        "out",
        "--date",
        &date.to_string(),
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains("company records: 3070 file(s), 3070 imported, 0 failed"))
    .stdout(predicates::str::contains("authority records: 57 file(s), 57 imported, 0 failed"))
    .stdout(predicates::str::contains("  required-elements                434  -> identity.required"));
    for sub in ["imported", "authorities"] {
        let (want, got) = (tree(&shipped.join(sub)), tree(&env.join("out").join(sub)));
        assert_eq!(want.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>(), "files in {sub}/");
        for (name, bytes) in &want {
            assert!(
                bytes == &got[name],
                "{sub}/{name} differs from a fresh import: re-run the import (docs/policies.md)"
            );
        }
    }
    assert_eq!(
        std::fs::read(shipped.join("import-report.md")).unwrap(),
        std::fs::read(env.join("out/import-report.md")).unwrap()
    );
}

#[test]
fn malformed_input_is_reported_per_file_and_the_rest_imports() {
    let env = TestEnv::new();
    let good = std::fs::read_to_string(datenanfragen().path().join("companies/google.json")).unwrap();
    env.write("src/companies/google.json", &good);
    env.write("src/companies/broken.json", good.replace("\"google\"", "\"broken\"").replace("\"Google LLC\"", "42"));
    env.write("src/companies/readme.txt", "not json");
    env.write("src/PROVENANCE.md", "commit 0a29c3d6feee53b02e73204a3dbd312eafe56629");
    env.write("src/LICENSE-CC0", "CC0");
    env.dsr(&["policy", "import-datenanfragen", "src", "--out", "out", "--date", "2026-12-01"])
        .assert()
        .code(2)
        .stdout(predicates::str::starts_with(
            "companies/broken.json: invalid type: integer `42`, expected a string at line 14 column 14\n\
             companies/readme.txt: not JSON: expected ident at line 1 column 2\n\
             supervisory-authorities/: cannot read directory: No such file or directory (os error 2)\n\
             company records: 3 file(s), 1 imported, 2 failed\n",
        ))
        .stderr(format!(
            "error: 3 file(s) could not be imported; 1 record(s) were written\nhelp: each error is listed above and in {}\n",
            env.path().canonicalize().unwrap().join("out/import-report.md").display()
        ));
    assert!(env.join("out/imported/google.toml").is_file());
    env.dsr(&["policy", "check", "out/imported"]).assert().success();
}

#[test]
fn missing_source_directory_is_a_clear_error() {
    let env = TestEnv::new();
    env.dsr(&["policy", "import-datenanfragen", "nope", "--out", "out"]).assert().code(2).stderr(format!(
        "error: {}: not a directory\nhelp: pass a checkout of https://github.com/datenanfragen/data (with companies/ and supervisory-authorities/)\n",
        env.path().canonicalize().unwrap().join("nope").display()
    ));
}

#[test]
fn search_finds_imported_policies_by_name_brand_and_slug() {
    let env = TestEnv::new();
    for needle in ["google", "YouTube", "Google LLC"] {
        env.dsr(&["policy", "list", "--search", needle])
            .assert()
            .success()
            .stdout(predicates::str::contains("\ngoogle "));
    }
}

#[test]
fn curated_zendesk_supersedes_the_imported_record() {
    let env = TestEnv::new();
    let out = env.dsr(&["policy", "list", "--search", "zendesk"]).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("\nzendesk ") && !out.contains("zendesk-international-ltd"), "{out}");
    env.dsr(&["policy", "show", "zendesk-international-ltd"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("Zendesk (zendesk)\n"))
        .stderr(predicates::str::contains(
            "note: 'zendesk-international-ltd' is an imported policy superseded by 'zendesk', shown instead",
        ));
}

#[test]
fn show_marks_the_data_quality() {
    let env = TestEnv::new();
    env.dsr(&["policy", "show", "google"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "  data quality: verified (a person checked these details, usually on the company's website)\n",
        ))
        .stdout(predicates::str::contains("  transport:    web form\n"))
        .stdout(predicates::str::contains("  imported from: datenanfragen record 'google' (commit 0a29c3d6feee)\n"))
        .stderr(predicates::str::contains("note: imported from a public directory"));
    env.dsr(&["policy", "show", "zendesk"])
        .assert()
        .success()
        .stdout(predicates::str::contains("  data quality: curated (written and checked by hand for dsr"));
}

#[test]
fn policy_lint_checks_the_authority_id() {
    let env = TestEnv::new();
    let text = std::fs::read_to_string(repo().join("policies/zendesk.toml")).unwrap();
    env.write("p/zendesk.toml", text.replace("authority = \"ie-dpc\"", "authority = \"ie-dcp\""));
    env.dsr(&["policy", "check", "p"]).assert().code(2).stdout(
        "p/zendesk.toml: authority: unknown supervisory authority 'ie-dcp' (did you mean 'ie-dpc'?); \
         `dsr authority list` shows the ids\n",
    );
}

#[test]
fn authorities_list_show_and_check() {
    let env = TestEnv::new();
    env.dsr(&["authority", "show", "ie-dpc"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("Irish Data Protection Commission (ie-dpc)\n  country:        IE\n"));
    env.dsr(&["authority", "list", "--search", "berlin"]).assert().success().stdout(
        "ID     COUNTRY  NAME\nde-be  DE       Berliner Beauftragte für Datenschutz und Informationsfreiheit\n",
    );
    env.dsr(&["authority", "check", repo().join("policies/authorities").to_str().unwrap()])
        .assert()
        .success()
        .stdout("ok: 57 authority file(s) checked, no problems\n");
    env.dsr(&["authority", "show", "ie-dcp"]).assert().code(2).stderr(
        "error: no supervisory authority with id 'ie-dcp'\nhelp: did you mean 'ie-dpc'? `dsr authority list` shows all\n",
    );
}
