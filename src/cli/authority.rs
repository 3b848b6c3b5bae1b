//! `dsr authority list|show|check`: the supervisory authorities complaints go to.

use super::Ctx;
use crate::Error;
use crate::policy::{authority, check};
use crate::t;
use serde::Serialize;
use std::path::PathBuf;

/// Find, read and lint supervisory authorities.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `dsr authority` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List the built-in supervisory authorities, optionally filtered.
    ///
    /// Example: `dsr authority list --search berlin`
    List {
        /// Case-insensitive text to find in the id, name, country, region or jurisdiction.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Show one authority: address, email, complaint form, language.
    ///
    /// Example: `dsr authority show ie-dpc`
    Show {
        /// The authority id (see `dsr authority list`).
        id: String,
    },
    /// Lint authority files: schema, email, URLs, country codes, sources.
    ///
    /// Without paths, checks every built-in authority. Exits 2 when anything
    /// is wrong.
    ///
    /// Example: `dsr authority check policies/authorities/`
    Check {
        /// Authority files or directories of them.
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

#[derive(Serialize)]
struct Summary {
    id: String,
    country: String,
    name: String,
}

fn list(ctx: &Ctx, search: Option<&str>) -> Result<(), Error> {
    let needle = search.map(str::to_lowercase);
    let mut rows = Vec::new();
    for (id, a) in authority::all() {
        match a {
            Ok(a) => {
                let hay = [Some(&a.id), Some(&a.name), Some(&a.country), a.region.as_ref(), a.jurisdiction.as_ref()];
                if needle.as_ref().is_none_or(|n| hay.iter().flatten().any(|s| s.to_lowercase().contains(n))) {
                    rows.push(Summary { id: a.id, country: a.country, name: a.name });
                }
            }
            Err(e) => ctx.out.warn(t!("authority.invalid", id = id, error = e)),
        }
    }
    if ctx.out.json {
        return ctx.out.json(&rows);
    }
    if rows.is_empty() {
        ctx.out.note(t!("authority.none"));
        return Ok(());
    }
    let (h_id, h_country) = (t!("authority.head-id"), t!("authority.head-country"));
    let w = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(h_id.chars().count());
    let cw = h_country.chars().count().max(7);
    ctx.out.line(format!("{h_id:<w$}  {h_country:<cw$}  {}", t!("authority.head-name")))?;
    for r in &rows {
        ctx.out.line(format!("{:<w$}  {:<cw$}  {}", r.id, r.country, r.name))?;
    }
    Ok(())
}

fn show(ctx: &Ctx, id: &str) -> Result<(), Error> {
    let a = authority::get(id)?;
    if ctx.out.json {
        return ctx.out.json(&a);
    }
    let o = &ctx.out;
    o.line(format!("{} ({})", a.name, a.id))?;
    let region = a.region.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
    o.line(format!("  {:<15} {}{region}", t!("authority.country"), a.country))?;
    if let Some(j) = &a.jurisdiction {
        o.line(format!("  {:<15} {j}", t!("authority.supervises")))?;
    }
    if let Some(l) = &a.language {
        o.line(format!("  {:<15} {l}", t!("authority.language")))?;
    }
    let address = t!("authority.address");
    for (i, l) in a.address.iter().enumerate() {
        o.line(format!("  {:<15} {l}", if i == 0 { address.as_str() } else { "" }))?;
    }
    for (label, v) in [
        (t!("authority.email"), &a.email.as_ref().map(ToString::to_string)),
        (t!("authority.complaint-form"), &a.complaint_form),
        (t!("authority.web"), &a.web),
        (t!("authority.phone"), &a.phone),
        (t!("authority.fax"), &a.fax),
    ] {
        if let Some(v) = v {
            o.line(format!("  {label:<15} {v}"))?;
        }
    }
    if let Some(transport) = a.transport {
        o.line(format!("  {:<15} {}", t!("authority.prefers"), crate::policy::transport_name(transport)))?;
    }
    o.line(format!("  {}", t!("authority.sources")))?;
    for u in &a.sources.urls {
        o.line(format!("    {u}"))?;
    }
    if let Some(i) = &a.import {
        o.line(format!(
            "  {:<15} {}",
            t!("authority.imported-from"),
            t!("authority.record", source = i.source, slug = i.slug)
        ))?;
        for n in &i.notes {
            o.line(t!("policy.not-mapped", note = n))?;
        }
    }
    Ok(())
}

fn check(ctx: &Ctx, paths: &[PathBuf]) -> Result<(), Error> {
    let reports = if paths.is_empty() {
        authority::all()
            .into_iter()
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
        authority::check_paths(paths)?
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
        return Err(crate::policy::Error::AuthorityCheckFailed {
            problems: count,
            files: bad.len(),
            checked: reports.len(),
        }
        .into());
    }
    if !ctx.out.json {
        ctx.out.line(crate::t!("cli.trace.authority-ok", n = reports.len()))?;
    }
    Ok(())
}
