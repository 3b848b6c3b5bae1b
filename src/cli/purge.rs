//! `dsr purge`: delete a case's objects for retention, keeping the log
//! verifiable; the rules of what may go are in [`crate::ops::purge`].

use super::Ctx;
use crate::Error;
use crate::evidence::{self, Log};
use crate::ops::purge::{self, Decision, Selection, Verdict};
use chrono::{DateTime, NaiveDate, Utc};

/// Delete a request's stored objects (retention) and log it.
///
/// Deletes the stored objects (messages, letters, identity records,
/// replies, the case's label) of one request, or of every request without
/// activity since a date, and logs a `purged` event per request listing
/// their hashes.
///
/// Only settled cases (closed, or confirmed or refused by the company)
/// whose retention period has ended go: `[retention] years` (default 3)
/// after the end of the year of the case's last event, the limitation
/// period of § 195 and § 199 BGB. Open cases and younger ones are kept
/// unless --force with --reason. --dry-run shows each case and why it goes
/// or stays. The log itself is never changed, so `dsr log verify
/// --objects` still passes and reports the objects as purged. An object
/// another request still names is kept.
///
/// Example: dsr purge --before 2024-01-01 --dry-run
///
/// Example: dsr purge r_k3q7z2m4x7w5abcd --dry-run
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["id", "request", "before"])))]
pub struct Args {
    /// The request to purge (an id or a unique id prefix), as with --request.
    #[arg(value_name = "REQUEST")]
    pub id: Option<String>,
    /// Purge this request's objects (an id or a unique id prefix).
    #[arg(long, value_name = "ID")]
    pub request: Option<String>,
    /// Purge every request whose last event is before DATE (YYYY-MM-DD,
    /// midnight UTC, or an RFC 3339 time).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub before: Option<DateTime<Utc>>,
    /// Why, written into the log (no personal data) [default: retention
    /// period ended].
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Purge open cases and cases inside the retention period too; needs
    /// --reason, which is logged with `"forced": true`.
    #[arg(long, requires = "reason")]
    pub force: bool,
    /// Show what would be purged and why each case goes or stays; change
    /// nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// A date as every date option takes it ([`crate::clock::iso_date`], with
/// the same message), or an RFC 3339 time.
fn parse_date(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let d: NaiveDate = crate::clock::iso_date(s).map_err(|e| crate::t!("cli.purge.or-rfc3339", error = e))?;
    Ok(d.and_time(chrono::NaiveTime::MIN).and_utc())
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let selection = match (args.request.as_ref().or(args.id.as_ref()), args.before) {
        (Some(r), _) => Selection::Request(r.clone()),
        (None, Some(t)) => Selection::Before(t),
        (None, None) => {
            return Err(Error::usage(
                crate::t!("cli.purge.nothing-selected"),
                crate::t!("cli.purge.nothing-selected-hint"),
            ));
        }
    };
    if args.reason.as_deref().is_some_and(|r| r.trim().is_empty()) {
        return Err(Error::usage(crate::t!("cli.purge.empty-reason"), crate::t!("cli.purge.empty-reason-hint")));
    }
    let retention = ctx.config()?.retention;
    let data_dir = ctx.data_dir()?;
    // The writer's lock from the decision to the purge (let go only while
    // the question is open): the cases cannot change in between.
    let mut log = Log::open(&data_dir)?;
    let cases = crate::ops::cases::load(&data_dir)?;
    let now = crate::clock::now();
    let decisions = purge::plan(log.store(), &cases, &selection, retention, args.force, now.date_naive())?;
    if let (Selection::Request(_), [d]) = (&selection, decisions.as_slice())
        && !d.verdict.purges()
    {
        return Err(purge::refusal(d));
    }
    let reason = args.reason.as_deref().unwrap_or("retention period ended");
    let planned = purge::purge(&mut log, &decisions, reason, now, true)?;
    if args.dry_run {
        if ctx.out.json {
            return ctx.out.json(&serde_json::json!({ "dry_run": true, "cases": decisions, "purges": planned }));
        }
        let roles = roles(&data_dir, &planned)?;
        print_decisions(ctx, &decisions, &planned, &crate::t!("cli.purge.would-purge"), Some(&roles))?;
        ctx.out.note(crate::t!("cli.purge.dry-run"));
        return Ok(());
    }
    if planned.iter().all(|p| p.purged.is_empty()) {
        if ctx.out.json {
            return ctx.out.json(&serde_json::json!({ "cases": decisions, "purges": [] }));
        }
        print_decisions(ctx, &decisions, &planned, &crate::t!("cli.purge.would-purge"), None)?;
        return ctx.out.line(crate::t!("cli.purge.nothing"));
    }
    let mut context = vec![crate::t!("cli.purge.question-intro")];
    for (d, p) in going(&decisions, &planned) {
        context.push(crate::t!(
            "cli.purge.question-case",
            case = case_name(d),
            n = p.purged.len(),
            forced = forced_note(d)
        ));
    }
    if let Some(r) = &args.reason {
        context.push(crate::t!("cli.purge.question-reason", reason = r));
    }
    let n = planned.iter().filter(|p| !p.purged.is_empty()).count();
    if !ctx.yes {
        // Nobody waits on the lock while the user reads the question; the
        // decision is taken again under the lock, and must be the same.
        drop(log);
        crate::cli::prompt::ask(false, &context, &crate::t!("cli.purge.question", n = n))?;
        log = Log::open(&data_dir)?;
        let cases = crate::ops::cases::load(&data_dir)?;
        let again = purge::plan(log.store(), &cases, &selection, retention, args.force, now.date_naive())?;
        if purge::purge(&mut log, &again, reason, now, true)? != planned {
            return Err(Error::usage(crate::t!("cli.purge.changed"), crate::t!("cli.purge.changed-hint")));
        }
    }
    let results = purge::purge(&mut log, &decisions, reason, now, false)?;
    if ctx.out.json {
        return ctx.out.json(&serde_json::json!({ "cases": decisions, "purges": results }));
    }
    print_decisions(ctx, &decisions, &results, &crate::t!("cli.purge.purged"), None)
}

/// The role and size under which the cases that would go name each of
/// their objects (the first naming wins), for the dry run's listing.
fn roles(data_dir: &std::path::Path, purges: &[evidence::Purged]) -> Result<Roles, Error> {
    let wanted: std::collections::BTreeSet<&evidence::RequestId> =
        purges.iter().filter(|p| !p.purged.is_empty()).map(|p| &p.request).collect();
    let mut roles = Roles::new();
    if wanted.is_empty() {
        return Ok(roles);
    }
    for e in evidence::read_entries(data_dir).map_err(crate::case::Error::from)? {
        let e = e.map_err(crate::case::Error::from)?;
        if e.request.as_ref().is_some_and(|r| wanted.contains(r)) {
            for o in e.objects() {
                roles.entry(o.sha256).or_insert((o.role, o.size));
            }
        }
    }
    Ok(roles)
}

/// Object hash → (role, size).
type Roles = std::collections::HashMap<evidence::Sha256, (String, u64)>;

/// The cases that go, each with what its purge lists.
fn going<'a>(
    decisions: &'a [Decision],
    purges: &'a [evidence::Purged],
) -> impl Iterator<Item = (&'a Decision, &'a evidence::Purged)> {
    decisions
        .iter()
        .filter_map(move |d| purges.iter().find(|p| p.request == d.request).map(|p| (d, p)))
        .filter(|(_, p)| !p.purged.is_empty())
}

/// `r_… [label] (Company, erasure)`.
fn case_name(d: &Decision) -> String {
    let label = d.label.as_deref().map(|l| format!(" [{l}]")).unwrap_or_default();
    format!("{}{label} ({}, {})", d.request, d.company, d.kind)
}

fn forced_note(d: &Decision) -> String {
    if matches!(d.verdict, Verdict::Forced(_)) { crate::t!("cli.purge.forced") } else { String::new() }
}

/// One line per case: what goes (with `verb`) or why it stays.
/// With `roles` (a dry run), each object that would go follows its case's
/// line.
fn print_decisions(
    ctx: &Ctx,
    decisions: &[Decision],
    purges: &[evidence::Purged],
    verb: &str,
    roles: Option<&Roles>,
) -> Result<(), Error> {
    if decisions.is_empty() {
        return ctx.out.line(crate::t!("cli.purge.none"));
    }
    for d in decisions {
        let p = purges.iter().find(|p| p.request == d.request);
        let mut text = match (&d.verdict, p) {
            (Verdict::Refused(why), _) => crate::t!("cli.purge.kept", case = case_name(d), why = why),
            (_, Some(p)) if p.purged.is_empty() => crate::t!("cli.purge.nothing-left", case = case_name(d)),
            (Verdict::Qualifies(why) | Verdict::Forced(why), p) => {
                let n = p.map_or(0, |p| p.purged.len());
                let how = if matches!(d.verdict, Verdict::Forced(_)) {
                    crate::t!("cli.purge.although")
                } else {
                    String::new()
                };
                crate::t!("cli.purge.goes", verb = verb, case = case_name(d), n = n, how = how, why = why)
            }
        };
        if let Some(p) = p {
            if !p.kept_shared.is_empty() {
                text.push_str(&crate::t!("cli.purge.kept-shared", n = p.kept_shared.len()));
            }
            if let Some(e) = &p.entry {
                text.push_str(&crate::t!("cli.purge.logged", seq = e.seq));
            }
        }
        ctx.out.line(text)?;
        if let (Some(roles), Some(p)) = (roles, p.filter(|_| d.verdict.purges())) {
            for h in &p.purged {
                let (role, size) = roles.get(h).map_or(("object", 0), |(r, s)| (r.as_str(), *s));
                ctx.out.line(crate::t!("cli.purge.object", role = format!("{role:<20}"), hash = h, size = size))?;
            }
        }
    }
    Ok(())
}
