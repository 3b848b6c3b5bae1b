//! The texts an import writes besides the records: `import-report.md` for
//! curators and `PROVENANCE.md` beside the imported files.

use super::Report;
use chrono::NaiveDate;
use std::fmt::Write;

/// `PROVENANCE.md` for `imported/` (`what` = `company`) or `authorities/`.
pub(super) fn provenance(what: &str, commit: Option<&str>, imported_on: NaiveDate) -> String {
    format!(
        "# Provenance\n\n\
         The `*.toml` files in this directory are generated from the Datenanfragen.de {what} directory\n\
         by `dsr policy import-datenanfragen`; do not edit them by hand (curate by writing a policy with\n\
         `supersedes`, see docs/policies.md).\n\n\
         - Source: GitHub `datenanfragen/data`, commit `{}`.\n\
         - Licence: CC0 1.0 Universal, copied verbatim as `LICENSE-CC0`.\n\
         - Imported on: {}\n\
         - Report: `../import-report.md` (per-field counts, unmapped fields, comments for curators).\n",
        commit.unwrap_or("unknown"),
        imported_on.format("%Y-%m-%d"),
    )
}

/// Reads the `Imported on:` date back from a [`provenance`] text.
pub fn imported_on(provenance: &str) -> Option<NaiveDate> {
    let line = provenance.lines().find_map(|l| l.strip_prefix("- Imported on: "))?;
    NaiveDate::parse_from_str(line.trim(), "%Y-%m-%d").ok()
}

/// The Markdown report.
pub(super) fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Datenanfragen.de import report\n");
    let _ = writeln!(s, "- Source commit: `{}`", r.commit.as_deref().unwrap_or("unknown"));
    let _ = writeln!(s, "- Imported on: {}", r.imported_on.format("%Y-%m-%d"));
    for (what, t) in [("Company records", &r.companies), ("Supervisory-authority records", &r.authorities)] {
        let _ = writeln!(s, "- {what}: {} file(s), {} imported, {} failed", t.files, t.imported, t.failed);
    }
    let _ = writeln!(s, "- Errors: {}", r.errors.len());
    if !r.removed.is_empty() {
        let _ = writeln!(s, "- Stale files removed from imported/: {}", r.removed.join(", "));
    }
    let _ = writeln!(
        s,
        "\nComments (free text) are never copied into policies; the facts in them (an alternative address,\n\
         a form to use) are listed below so that a curator can turn them into fields. Fields dsr cannot\n\
         map are also noted in each policy's `[import] notes`."
    );

    let _ = writeln!(s, "\n## Errors\n");
    if r.errors.is_empty() {
        let _ = writeln!(s, "None.");
    }
    for e in &r.errors {
        let _ = writeln!(s, "- `{}`: {}", e.file, e.message.replace('\n', " "));
    }

    for (title, fields) in [("Company fields", &r.company_fields), ("Authority fields", &r.authority_fields)] {
        let _ = writeln!(s, "\n## {title}\n\n| field | records | mapped to |\n|---|---:|---|");
        for f in fields {
            let _ = writeln!(s, "| `{}` | {} | {} |", f.field, f.records, f.mapped_to);
        }
    }

    let _ = writeln!(s, "\n## Mapping decisions\n\n| decision | records |\n|---|---:|");
    for (d, n) in &r.decisions {
        let _ = writeln!(s, "| {d} | {n} |");
    }

    let _ = writeln!(s, "\n## Records with unmapped fields or comments\n");
    for rec in &r.records {
        let _ = writeln!(s, "### {} `{}` (`{}`)\n", rec.kind, rec.id, rec.slug);
        for n in &rec.notes {
            let _ = writeln!(s, "- note: {}", n.replace('\n', " "));
        }
        for c in &rec.comments {
            let _ = writeln!(s, "- comment:");
            for line in c.lines() {
                let _ = writeln!(s, "  > {line}");
            }
        }
        s.push('\n');
    }
    s
}
