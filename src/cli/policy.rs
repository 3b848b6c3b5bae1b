//! `dsr policy list|show|check`: what dsr knows about companies.

use super::Ctx;
use crate::Error;
use crate::lang::Lang;
use crate::policy::{Catalog, Policy, PolicySource, check, identifier};
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
        id: String,
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
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    match &args.action {
        Action::List { search } => list(ctx, search.as_deref()),
        Action::Show { id } => show(ctx, id),
        Action::Check { paths } => check(ctx, paths),
    }
}

fn catalog(ctx: &Ctx) -> Result<Catalog, Error> {
    Ok(Catalog::new(ctx.config()?.policies_dir.as_deref())?)
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
    std::iter::once(&p.id)
        .chain([&p.name, &p.entity.legal_name])
        .chain(p.runs.iter())
        .any(|s| s.to_lowercase().contains(&needle))
}

fn list(ctx: &Ctx, search: Option<&str>) -> Result<(), Error> {
    let cat = catalog(ctx)?;
    let mut rows = Vec::new();
    for (id, result) in cat.all() {
        match result {
            Ok((p, src)) => {
                if search.is_none_or(|s| matches(&p, s)) {
                    rows.push(Summary {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        legal_name: p.entity.legal_name.clone(),
                        role: p.role.to_string(),
                        language: p.language,
                        quality: p.quality.to_string(),
                        source: src.to_string(),
                    });
                }
            }
            Err(e) => ctx.out.warn(format!("policy '{id}' is invalid and not listed: {e}")),
        }
    }
    if ctx.out.json {
        return ctx.out.json(&rows);
    }
    if rows.is_empty() {
        ctx.out.note("no policy matches; write your own as <policies_dir>/<id>.toml (docs/policies.md)");
        return Ok(());
    }
    let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    ctx.out.line(format!("{:<w$}  {:<10}  {:<4}  {:<9}  NAME", "ID", "ROLE", "LANG", "QUALITY"))?;
    for r in &rows {
        ctx.out.line(format!("{:<w$}  {:<10}  {:<4}  {:<9}  {}", r.id, r.role, r.language, r.quality, r.name))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ShowJson<'a> {
    source: String,
    #[serde(flatten)]
    policy: &'a Policy,
}

fn show(ctx: &Ctx, id: &str) -> Result<(), Error> {
    let (p, src) = catalog(ctx)?.get(id)?;
    if ctx.out.json {
        return ctx.out.json(&ShowJson { source: src.to_string(), policy: &p });
    }
    let o = &ctx.out;
    let en = |l: &crate::policy::Localized| l.get(Lang::En).unwrap_or_default().to_string();
    o.line(format!("{} ({})", p.name, p.id))?;
    o.line(format!("  source:       {src}"))?;
    o.line(format!("  data quality: {}", p.quality))?;
    o.line(format!("  legal entity: {}", p.entity.legal_name))?;
    for l in &p.entity.address {
        o.line(format!("                {l}"))?;
    }
    o.line(format!("  language:     {}", p.language))?;
    o.line(format!(
        "  calendar:     {}",
        p.calendar
            .map_or("none (deadlines count weekends only; dsr says so when it uses it)".into(), |c| c.to_string())
    ))?;
    if let Some(a) = &p.authority {
        o.line(format!("  authority:    {a}"))?;
    }
    let (to, cc) = p.recipients();
    o.line(format!("  transport:    {}", p.transport))?;
    o.line(format!("  to:           {}", if to.is_empty() { "-".into() } else { to.join(", ") }))?;
    if !cc.is_empty() {
        o.line(format!("  cc:           {}", cc.join(", ")))?;
    }
    for a in &p.contact.alternative_emails {
        o.line(format!("  also:         {a}"))?;
    }
    if let Some(w) = &p.contact.webform {
        o.line(format!("  web form:     {w}"))?;
    }
    o.line(format!("  role:         {}", p.role))?;
    if let Some(t) = &p.roles.controller {
        o.line(format!("    controller for: {}", en(t)))?;
    }
    if let Some(t) = &p.roles.processor {
        o.line(format!("    processor for:  {}", en(t)))?;
    }
    let label = |k: &String| format!("{} ({k})", identifier::label(k, Lang::En, Some(&p.identity.labels)));
    o.line("  identity:")?;
    o.line(format!(
        "    required:     {}",
        if p.identity.required.is_empty() {
            "-".into()
        } else {
            p.identity.required.iter().map(label).collect::<Vec<_>>().join(", ")
        }
    ))?;
    for g in &p.identity.one_of {
        o.line(format!("    one of:       {}", g.iter().map(label).collect::<Vec<_>>().join(" | ")))?;
    }
    if !p.identity.methods.is_empty() {
        o.line(format!("    methods:      {}", p.identity.methods.join(", ")))?;
    }
    o.line(format!(
        "    ID document:  {}",
        serde_json::to_value(p.identity.id_document)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    ))?;
    if !p.preconditions.is_empty() {
        o.line("  preconditions (confirm each with --confirm ID when sending):")?;
        for pc in &p.preconditions {
            let kinds = if pc.kinds.is_empty() {
                String::new()
            } else {
                format!(" [{}]", pc.kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "))
            };
            o.line(format!("    {}{kinds}: {}", pc.id, pc.text(Lang::En).unwrap_or_default()))?;
        }
    }
    for n in &p.notes {
        o.line(format!("  note: {}", en(n)))?;
    }
    o.line(format!("  sources{}:", p.sources.checked.map(|d| format!(" (checked {d})")).unwrap_or_default()))?;
    for u in &p.sources.urls {
        o.line(format!("    {u}"))?;
    }
    if let PolicySource::Imported = src {
        o.note(
            "note: imported from a public directory and not curated by hand; check the facts before relying on them",
        );
    }
    Ok(())
}

fn check(ctx: &Ctx, paths: &[PathBuf]) -> Result<(), Error> {
    let reports = if paths.is_empty() {
        let cat = catalog(ctx)?;
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
        ctx.out.line(format!("ok: {} policy file(s) checked, no problems", reports.len()))?;
    }
    Ok(())
}
