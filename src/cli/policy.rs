//! `dsr policy list|show|check`: what dsr knows about companies.

use super::Ctx;
use crate::Error;
use crate::lang::Lang;
use crate::policy::{Catalog, Policy, PolicyId, PolicySource, Quality, check, identifier, import};
use crate::t;
use serde::Serialize;
use std::path::PathBuf;

/// Find, read and lint company policies.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `dsr policy` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List policies (built-in and your own), optionally filtered.
    ///
    /// Example: `dsr policy list --search zendesk`
    List {
        /// Case-insensitive text to find in the id, name, legal name or brands.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Show one policy: addresses, role, identity requirements, preconditions.
    ///
    /// Example: `dsr policy show zendesk --json`
    Show {
        /// The policy id (see `dsr policy list`).
        id: PolicyId,
    },
    /// Lint policy files: schema, addresses, languages, calendars, sources,
    /// preconditions in both languages.
    ///
    /// Without paths, checks every policy dsr would use (built-in and your
    /// policies_dir). Exits 2 when anything is wrong.
    ///
    /// Example: `dsr policy check policies/`
    Check {
        /// Policy files or directories (searched recursively).
        paths: Vec<PathBuf>,
    },
    /// Convert the Datenanfragen.de directory (CC0) into dsr policies and
    /// supervisory-authority files.
    ///
    /// Reads DIR/companies/*, DIR/supervisory-authorities/*, DIR/PROVENANCE.md
    /// and DIR/LICENSE-CC0; writes OUT/imported/<slug>.toml,
    /// OUT/authorities/<id>.toml, PROVENANCE.md and LICENSE-CC0 beside them,
    /// and OUT/import-report.md (per-field counts, errors, unmapped fields and
    /// the records' comments for curators). A bad record is reported and
    /// skipped; the others are written. Exits 2 when any file failed.
    ///
    /// Example: `dsr policy import-datenanfragen ../datenanfragen-data --out policies`
    #[command(name = "import-datenanfragen")]
    ImportDatenanfragen {
        /// A copy of https://github.com/datenanfragen/data.
        dir: PathBuf,
        /// Output root (gets imported/, authorities/ and import-report.md).
        #[arg(long, value_name = "DIR", default_value = "policies")]
        out: PathBuf,
        /// Import date written to PROVENANCE.md [default: today].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::iso_date::parse)]
        date: Option<chrono::NaiveDate>,
    },
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    match &args.action {
        Action::List { search } => list(ctx, search.as_deref()),
        Action::Show { id } => show(ctx, id),
        Action::Check { paths } => check(ctx, paths),
        Action::ImportDatenanfragen { dir, out, date } => import(ctx, dir, out, *date),
    }
}

fn catalog(ctx: &Ctx) -> Result<Catalog, Error> {
    ctx.catalog()
}

#[derive(Serialize)]
struct Summary {
    id: String,
    name: String,
    legal_name: String,
    role: String,
    language: Lang,
    quality: String,
    source: String,
}

fn matches(p: &Policy, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    std::iter::once(p.id.as_str())
        .chain([&p.name, &p.entity.legal_name].map(String::as_str))
        .chain(p.runs.iter().map(String::as_str))
        .chain(p.import.as_ref().map(|i| i.slug.as_str()))
        .chain(p.supersedes.iter().map(String::as_str))
        .any(|s| s.to_lowercase().contains(&needle))
}

/// What a quality level means, for `policy show`.
fn quality_meaning(q: Quality) -> String {
    match q {
        Quality::Curated => t!("policy.quality-curated"),
        Quality::Tested => t!("policy.quality-tested"),
        Quality::Verified => t!("policy.quality-verified"),
        Quality::Imported => t!("policy.quality-imported"),
        Quality::Scraped => t!("policy.quality-scraped"),
    }
}

fn list(ctx: &Ctx, search: Option<&str>) -> Result<(), Error> {
    let cat = catalog(ctx)?;
    let mut rows = Vec::new();
    for (id, result) in cat.all() {
        match result {
            Ok((p, src)) => {
                if search.is_none_or(|s| matches(&p, s)) {
                    rows.push(Summary {
                        id: p.id.to_string(),
                        name: p.name.clone(),
                        legal_name: p.entity.legal_name.clone(),
                        role: p.role.to_string(),
                        language: p.language,
                        quality: p.quality.to_string(),
                        source: src.to_string(),
                    });
                }
            }
            Err(e) => ctx.out.warn(t!("pcheck.invalid-not-listed", id = id, error = e)),
        }
    }
    if ctx.out.json {
        return ctx.out.json(&rows);
    }
    if rows.is_empty() {
        ctx.out.note(t!("policy.list-none"));
        return Ok(());
    }
    let (h_id, h_role, h_lang, h_quality) =
        (t!("policy.head-id"), t!("policy.head-role"), t!("policy.head-lang"), t!("policy.head-quality"));
    let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(h_id.chars().count());
    ctx.out.line(format!("{h_id:<w$}  {h_role:<10}  {h_lang:<4}  {h_quality:<9}  {}", t!("policy.head-name")))?;
    for r in &rows {
        ctx.out.line(format!(
            "{:<w$}  {:<10}  {:<4}  {:<9}  {}",
            r.id,
            r.role,
            r.language.code(),
            r.quality,
            r.name
        ))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ShowJson<'a> {
    source: String,
    #[serde(flatten)]
    policy: &'a Policy,
}

fn show(ctx: &Ctx, id: &PolicyId) -> Result<(), Error> {
    let cat = catalog(ctx)?;
    let (p, src) = cat.get(id)?;
    if ctx.out.json {
        return ctx.out.json(&ShowJson { source: src.to_string(), policy: &p });
    }
    let o = &ctx.out;
    // A policy's own texts in the interface language where it has them.
    let ui = crate::i18n::ui().letter_lang();
    let en = |l: &crate::policy::Localized| l.get(ui).or_else(|| l.get(Lang::En)).unwrap_or_default().to_string();
    if let Some(by) = cat.superseded_by(id.as_str()) {
        o.note(t!("policy.superseded", id = id, by = by));
    }
    o.line(format!("{} ({})", p.name, p.id))?;
    o.line(t!("policy.source", source = src))?;
    o.line(t!("policy.quality", quality = p.quality, meaning = quality_meaning(p.quality)))?;

    o.line(t!("policy.entity", name = p.entity.legal_name))?;
    for l in &p.entity.address {
        o.line(format!("                {l}"))?;
    }
    o.line(t!("policy.language", lang = p.language))?;
    let calendar = p.calendar.map_or_else(|| t!("policy.no-calendar"), |c| c.to_string());
    o.line(t!("policy.calendar", calendar = calendar))?;
    if let Some(a) = &p.authority {
        o.line(t!("policy.authority", authority = a))?;
    }
    let (to, cc) = p.recipients();
    o.line(t!("policy.transport", transport = crate::policy::transport_name(p.transport)))?;
    o.line(t!("policy.to", to = if to.is_empty() { "-".into() } else { to.join(", ") }))?;
    if !cc.is_empty() {
        o.line(t!("policy.cc", cc = cc.join(", ")))?;
    }
    for a in &p.contact.alternative_emails {
        o.line(t!("policy.also", address = a))?;
    }
    if let Some(w) = &p.contact.webform {
        o.line(t!("policy.webform", url = w))?;
    }
    o.line(t!("policy.role", role = p.role))?;
    if let Some(text) = &p.roles.controller {
        o.line(t!("policy.controller-for", text = en(text)))?;
    }
    if let Some(text) = &p.roles.processor {
        o.line(t!("policy.processor-for", text = en(text)))?;
    }
    let label = |k: &String| format!("{} ({k})", identifier::label(k, ui, Some(&p.identity.labels)));
    o.line(t!("policy.identity"))?;
    let required = if p.identity.required.is_empty() {
        "-".into()
    } else {
        p.identity.required.iter().map(label).collect::<Vec<_>>().join(", ")
    };
    o.line(t!("policy.required", required = required))?;
    for g in &p.identity.one_of {
        o.line(t!("policy.one-of", choices = g.iter().map(label).collect::<Vec<_>>().join(" | ")))?;
    }
    if !p.identity.methods.is_empty() {
        o.line(t!("policy.methods", methods = p.identity.methods.join(", ")))?;
    }
    let id_document = serde_json::to_value(p.identity.id_document)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    o.line(t!("policy.id-document", value = id_document))?;
    if !p.preconditions.is_empty() {
        o.line(t!("policy.preconditions"))?;
        for pc in &p.preconditions {
            let kinds = if pc.kinds.is_empty() {
                String::new()
            } else {
                format!(" [{}]", pc.kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "))
            };
            o.line(format!("    {}{kinds}: {}", pc.id, pc.text(ui).or_else(|| pc.text(Lang::En)).unwrap_or_default()))?;
        }
    }
    for n in &p.notes {
        o.line(t!("policy.note", note = en(n)))?;
    }
    let checked = p.sources.checked.map(|d| t!("policy.checked", date = d)).unwrap_or_default();
    o.line(t!("policy.sources", checked = checked))?;
    for u in &p.sources.urls {
        o.line(format!("    {u}"))?;
    }
    if let Some(i) = &p.import {
        let commit = i.commit.as_ref().map(|c| format!(" (commit {})", &c[..c.len().min(12)])).unwrap_or_default();
        o.line(t!("policy.imported-from", source = i.source, slug = i.slug, commit = commit))?;
        for n in &i.notes {
            o.line(t!("policy.not-mapped", note = n))?;
        }
    }
    if let PolicySource::Imported = src {
        o.note(t!("policy.imported-note"));
    }
    Ok(())
}

fn check(ctx: &Ctx, paths: &[PathBuf]) -> Result<(), Error> {
    let mut coverage = None;
    let reports = if paths.is_empty() {
        let cat = catalog(ctx)?;
        let policies: Vec<Policy> = cat.all().filter_map(|(_, r)| r.ok()).map(|(p, _)| p).collect();
        // Each letter written as `dsr render` would, for a fictional data
        // subject: the count is what dsr can do, not what the files say.
        let config = ctx.config()?;
        let renderer = ctx.renderer()?;
        let now = crate::clock::now();
        coverage = Some(check::LetterCoverage::of(
            policies.iter().map(|p| (p, crate::ops::coverage::written(p, &cat, config, &renderer, now))),
        ));
        cat.all()
            .map(|(id, r)| check::FileReport {
                file: id.to_string(),
                id: Some(id.to_string()),
                problems: match r {
                    Ok(_) => vec![],
                    Err(e) => vec![check::ReportedProblem { field: "-".into(), message: e.to_string() }],
                },
            })
            .collect()
    } else {
        // Relative paths are taken from the working directory, as written.
        check::check_paths(paths)?
    };
    let bad: Vec<&check::FileReport> = reports.iter().filter(|r| !r.problems.is_empty()).collect();
    let count: usize = bad.iter().map(|r| r.problems.len()).sum();
    if ctx.out.json {
        ctx.out.json(&reports)?;
    } else {
        for r in &bad {
            for p in &r.problems {
                ctx.out.line(format!("{}: {}: {}", r.file, p.field, p.message))?;
            }
        }
    }
    if count > 0 {
        return Err(
            crate::policy::Error::CheckFailed { problems: count, files: bad.len(), checked: reports.len() }.into()
        );
    }
    if !ctx.out.json {
        ctx.out.line(t!("pcheck.ok", n = reports.len()))?;
        for line in coverage.iter().flat_map(|c| c.summary(8)) {
            ctx.out.line(line)?;
        }
    }
    Ok(())
}

fn import(
    ctx: &Ctx,
    dir: &std::path::Path,
    out: &std::path::Path,
    date: Option<chrono::NaiveDate>,
) -> Result<(), Error> {
    let opts = import::Options {
        source: ctx.cwd.join(dir),
        out: ctx.cwd.join(out),
        imported_on: date.unwrap_or_else(|| crate::clock::now().date_naive()),
    };
    let report = import::import_datenanfragen(&opts).map_err(crate::policy::Error::from)?;
    if ctx.out.json {
        ctx.out.json(&report)?;
    } else {
        // The errors in the interface language; the report file and the
        // JSON keep them in English.
        for e in &report.errors {
            ctx.out.line(format!("{}: {}", e.file, e.shown))?;
        }
        let (c, a) = (&report.companies, &report.authorities);
        ctx.out.line(t!("pcheck.import.company-records", files = c.files, imported = c.imported, failed = c.failed))?;
        ctx.out.line(t!(
            "pcheck.import.authority-records",
            files = a.files,
            imported = a.imported,
            failed = a.failed
        ))?;
        ctx.out.line(t!("pcheck.import.fields"))?;
        for f in &report.company_fields {
            ctx.out.line(format!("  {:<30} {:>5}  -> {}", f.field, f.records, f.mapped_to))?;
        }
        ctx.out.line(t!("pcheck.import.noted", n = report.records.len(), report = report.report_path.display()))?;
    }
    if report.failed() > 0 {
        return Err(crate::policy::Error::from(import::Error::Incomplete {
            failed: report.failed(),
            imported: report.imported(),
            report: report.report_path.clone(),
        })
        .into());
    }
    Ok(())
}
