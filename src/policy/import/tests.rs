//! Tests of a whole import on small directories: malformed input gives
//! per-file errors and the rest still imports; importing twice is identical.

use super::*;

const GOOD: &str = r#"{"slug": "acme", "relevant-countries": ["ie"], "name": "ACME Ltd.",
    "address": "1 Road\nDublin\nIreland", "email": "privacy@acme.example",
    "sources": ["https://acme.example/privacy"], "quality": "verified"}"#;

const AUTHORITY: &str = r#"{"slug": "iedpc", "relevant-countries": ["ie"], "name": "DPC",
    "address": "21 Fitzwilliam Square South\nDublin 2\nIreland", "phone": "+353 1 1",
    "sources": ["https://www.dataprotection.ie"], "comments": ["Use the web form"]}"#;

fn source() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("PROVENANCE.md", "commit `0a29c3d6feee53b02e73204a3dbd312eafe56629`\n");
    w("LICENSE-CC0", "CC0\n");
    w("companies/acme.json", GOOD);
    w("companies/acme-noext", &GOOD.replace("\"acme\"", "\"acme-noext\""));
    w("companies/wrong-type.json", &GOOD.replace("\"acme\"", "\"wrong-type\"").replace("\"ACME Ltd.\"", "[1]"));
    w("companies/notes.txt", "this is not JSON");
    w("companies/other-name.json", GOOD);
    w("supervisory-authorities/iedpc.json", AUTHORITY);
    dir
}

fn run(src: &Path, out: &Path) -> Report {
    let opts = Options {
        source: src.to_path_buf(),
        out: out.to_path_buf(),
        imported_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    import_datenanfragen(&opts).unwrap()
}

#[test]
fn malformed_files_are_per_file_errors_and_the_rest_imports() {
    let src = source();
    let out = tempfile::tempdir().unwrap();
    let r = run(src.path(), out.path());
    let errors: Vec<String> = r.errors.iter().map(|e| format!("{}: {}", e.file, e.message)).collect();
    assert_eq!(
        errors,
        [
            "companies/notes.txt: not JSON: expected ident at line 1 column 2",
            "companies/other-name.json: slug 'acme' does not match the file name",
            "companies/wrong-type.json: invalid type: sequence, expected a string at line 1 column 61",
        ]
    );
    assert_eq!((r.companies.files, r.companies.imported, r.companies.failed), (5, 2, 3));
    assert_eq!((r.authorities.imported, r.authorities.failed), (1, 0));
    assert!(out.path().join("imported/acme.toml").is_file());
    assert!(out.path().join("imported/acme-noext.toml").is_file());
    assert!(out.path().join("authorities/ie-dpc.toml").is_file());
    let report = std::fs::read_to_string(out.path().join("import-report.md")).unwrap();
    assert!(report.contains("- `companies/notes.txt`: not JSON"), "{report}");
    assert!(report.contains("### authority `ie-dpc` (`iedpc`)\n\n- comment:\n  > Use the web form\n"), "{report}");
    let a = std::fs::read_to_string(out.path().join("authorities/ie-dpc.toml")).unwrap();
    assert!(!a.contains("web form"), "comments are not copied");
}

#[test]
fn missing_subdirectory_is_an_error_and_companies_still_import() {
    let src = source();
    std::fs::remove_dir_all(src.path().join("supervisory-authorities")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let r = run(src.path(), out.path());
    assert!(
        r.errors.iter().any(|e| e.file == "supervisory-authorities/" && e.message.starts_with("cannot read directory"))
    );
    assert_eq!(r.companies.imported, 2);
}

#[test]
fn missing_source_is_fatal() {
    let out = tempfile::tempdir().unwrap();
    let opts = Options {
        source: out.path().join("nope"),
        out: out.path().to_path_buf(),
        imported_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    };
    let e = import_datenanfragen(&opts).unwrap_err();
    assert_eq!(e.to_string(), format!("{}: not a directory", out.path().join("nope").display()));
}

#[test]
fn importing_twice_is_identical_and_stale_files_go() {
    let src = source();
    let out = tempfile::tempdir().unwrap();
    run(src.path(), out.path());
    let first = std::fs::read_to_string(out.path().join("imported/acme.toml")).unwrap();
    std::fs::write(out.path().join("imported/gone.toml"), "x").unwrap();
    let r = run(src.path(), out.path());
    assert_eq!(r.removed, ["gone.toml"]);
    assert_eq!(std::fs::read_to_string(out.path().join("imported/acme.toml")).unwrap(), first);
    assert!(first.contains("commit = \"0a29c3d6feee53b02e73204a3dbd312eafe56629\""), "{first}");
    let prov = std::fs::read_to_string(out.path().join("imported/PROVENANCE.md")).unwrap();
    assert_eq!(imported_on(&prov), NaiveDate::from_ymd_opt(2026, 12, 1));
}

#[test]
fn keys_from_descriptions() {
    assert_eq!(key_from_desc("Nummer Ihrer Kundenkarte"), "nummer_ihrer_kundenkarte");
    assert_eq!(key_from_desc("Numéro d'appel"), "numero_d_appel");
    assert_eq!(key_from_desc("Abo-Nr."), "abo_nr");
    assert_eq!(key_from_desc("Username"), "username");
    assert_eq!(element_key("Kundenummer"), "customer_number");
    assert_eq!(element_key("E-Mail-Adresse"), "email");
    for (from, to) in SYNONYMS {
        assert!(crate::policy::identifier::is_known(to) && !crate::policy::identifier::is_known(from), "{from}");
    }
    assert_eq!(key_from_desc("2FA code"), "id_2fa_code");
    assert_eq!(key_from_desc("…"), "id");
    let long = key_from_desc("Verhältnis zur JGU (Beispielsweise Studierende, Mitarbeiterin, etc.)");
    assert!(long.len() <= 40 && crate::policy::identifier::is_valid_key(&long), "{long}");
}
