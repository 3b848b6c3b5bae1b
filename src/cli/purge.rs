//! `dsr purge`: delete a case's objects for retention, keeping the log
//! verifiable.

use super::Ctx;
use crate::Error;
use crate::evidence::{self, Log, Purge, PurgeSelection, RequestId};
use chrono::{DateTime, NaiveDate, Utc};

/// Delete the stored objects (messages, letters, identity records, replies)
/// of one request, or of every request without activity since a date, and
/// log a `purged` event per request listing their hashes.
///
/// The log itself is never changed, so `dsr log verify --objects` still
/// passes and reports the objects as purged. An object another request
/// still names is kept.
///
/// Example: `dsr purge --before 2024-01-01 --dry-run`
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["request", "before"])))]
pub struct Args {
    /// Purge this request's objects.
    #[arg(long, value_name = "ID")]
    pub request: Option<RequestId>,
    /// Purge every request whose last event is before DATE (YYYY-MM-DD,
    /// midnight UTC, or an RFC 3339 time).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub before: Option<DateTime<Utc>>,
    /// Why, written into the log (no personal data).
    #[arg(long, value_name = "TEXT", default_value = "retention period ended")]
    pub reason: String,
    /// Show what would be purged; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// A date as every date option takes it ([`crate::clock::iso_date`], with
/// the same message), or an RFC 3339 time.
fn parse_date(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let d: NaiveDate =
        crate::clock::iso_date(s).map_err(|e| format!("{e} (or an RFC 3339 time, e.g. 2026-12-01T00:00:00Z)"))?;
    Ok(d.and_time(chrono::NaiveTime::MIN).and_utc())
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let selection = match (&args.request, args.before) {
        (Some(r), _) => PurgeSelection::Request(r.clone()),
        (None, Some(t)) => PurgeSelection::Before(t),
        (None, None) => return Err(Error::usage("nothing selected", "pass --request ID or --before DATE")),
    };
    let data_dir = ctx.data_dir()?;
    let mut log = Log::open(&data_dir)?;
    let purge = Purge { selection, reason: args.reason.clone(), time: crate::clock::now(), dry_run: args.dry_run };
    let results = evidence::purge(&mut log, &purge)?;
    if ctx.out.json {
        return ctx.out.json(&results);
    }
    if results.is_empty() {
        return ctx.out.line("nothing to purge");
    }
    let verb = if args.dry_run { "would purge" } else { "purged" };
    for r in &results {
        let mut text = format!("{verb} {}: {} objects", r.request, r.purged.len());
        if !r.kept_shared.is_empty() {
            text.push_str(&format!(" ({} kept: another request still names them)", r.kept_shared.len()));
        }
        if let Some(e) = &r.entry {
            text.push_str(&format!("; logged as seq {}", e.seq));
        }
        ctx.out.line(text)?;
    }
    Ok(())
}
