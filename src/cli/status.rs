//! `dsr status`: every case at a glance, with deadlines.

use super::Ctx;
use crate::Error;
use crate::ops::cases::{self, Row};
use crate::ops::ics;
use crate::t;
use std::path::PathBuf;

/// Arguments of `dsr status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only cases still waiting for the company (not confirmed, refused or closed).
    #[arg(long)]
    pub open: bool,
    /// Only overdue cases.
    #[arg(long)]
    pub overdue: bool,
    /// Write the open cases' deadlines to FILE as an iCalendar file (one all-day event per case,
    /// on its due date) for a calendar app to import, instead of printing the table; `-` writes
    /// it to standard output.
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
    /// With --ics: an alarm DAYS days before each deadline (repeat it for several; default 7 and
    /// 1; 0 is the day itself).
    #[arg(long, value_name = "DAYS", requires = "ics", value_parser = clap::value_parser!(u32).range(0..=366))]
    pub alarm: Vec<u32>,
    /// With --ics: no alarms.
    #[arg(long, requires = "ics", conflicts_with = "alarm")]
    pub no_alarms: bool,
    /// Only cases whose label, subject name, company or request id contains TEXT (ignoring case).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only cases with this company: its policy id, or a part of its name (ignoring case).
    #[arg(long, value_name = "TEXT")]
    pub company: Option<String>,
    /// Only cases of this kind (the kind of the request that opened them).
    #[arg(long, value_name = "KIND", value_parser = super::request_args::InitialKindParser)]
    pub kind: Option<crate::kind::LetterKind>,
    /// Only cases in this state (as the STATE column shows it, e.g. sent, outboxed, overdue cases
    /// with --overdue).
    #[arg(long, value_name = "STATE", value_parser = parse_state)]
    pub state: Option<crate::case::Status>,
}

fn parse_state(text: &str) -> Result<crate::case::Status, String> {
    crate::case::Status::parse(text).ok_or_else(|| {
        let names: Vec<String> = crate::case::Status::ALL.iter().map(|s| s.shown()).collect();
        crate::t!("cli.misc.no-state", names = names.join(", "))
    })
}

impl Args {
    /// True when `row` passes every filter given.
    fn wants(&self, row: &Row) -> bool {
        let company = |c: &str| {
            let c = c.to_lowercase();
            row.policy.as_str().to_lowercase() == c || row.company.to_lowercase().contains(&c)
        };
        (!self.open || !row.settled)
            && (!self.overdue || row.overdue)
            && self.search.as_deref().is_none_or(|t| row.matches(t))
            && self.company.as_deref().is_none_or(company)
            && self.kind.is_none_or(|k| row.kind == k)
            && self.state.is_none_or(|s| row.state == s)
    }

    fn filtered(&self) -> bool {
        self.open
            || self.overdue
            || self.search.is_some()
            || self.company.is_some()
            || self.kind.is_some()
            || self.state.is_some()
    }
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let config = ctx.config()?;
    let data_dir = ctx.data_dir()?;
    let now = crate::clock::now();
    let store = crate::evidence::Store::new(&data_dir);
    let mut rows: Vec<Row> = Vec::new();
    for case in cases::load(&data_dir)?.values() {
        let row = cases::row(case, config, now)?.labelled(&store, case);
        if args.wants(&row) {
            rows.push(row);
        }
    }
    // Overdue first, then by due date (none last), then by id.
    rows.sort_by(|a, b| {
        (!a.overdue, a.due.is_none(), a.due, &a.request).cmp(&(!b.overdue, b.due.is_none(), b.due, &b.request))
    });
    if let Some(file) = &args.ics {
        let alarms: &[u32] = match (args.no_alarms, args.alarm.is_empty()) {
            (true, _) => &[],
            (false, true) => &ics::DEFAULT_ALARMS,
            (false, false) => &args.alarm,
        };
        let text = ics::calendar(&rows, now, alarms);
        if file.as_os_str() == "-" {
            use std::io::Write as _;
            return std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| Error::io(crate::t!("cli.io.calendar-stdout"), e));
        }
        let path = ctx.cwd.join(file);
        std::fs::write(&path, text).map_err(|e| Error::io(crate::t!("cli.io.write", path = path.display()), e))?;
        let events = rows.iter().filter(|r| ics::has_event(r)).count();
        if ctx.out.json {
            return ctx.out.json(&serde_json::json!({ "file": super::output::json_path(&path)?, "events": events }));
        }
        return ctx.out.line(t!("status.wrote-ics", events = events, file = file.display()));
    }
    if ctx.out.json {
        return ctx.out.json(&rows);
    }
    if rows.is_empty() {
        ctx.out.note(if args.filtered() { t!("status.no-match") } else { t!("status.no-cases") });
        return Ok(());
    }
    let (h_request, h_label, h_company) =
        (t!("status.head-request"), t!("status.head-label"), t!("status.head-company"));
    let (h_kind, h_state, h_due) = (t!("status.head-kind"), t!("status.head-state"), t!("status.head-due"));
    let width = |h: &str, min: usize| h.chars().count().max(min);
    let cw = rows.iter().map(|r| r.company.chars().count()).max().unwrap_or(7).clamp(width(&h_company, 7), 32);
    let lw = rows
        .iter()
        .map(|r| r.label.as_deref().map_or(1, |l| l.chars().count()))
        .max()
        .unwrap_or(5)
        .clamp(width(&h_label, 5), 24);
    ctx.out.line(format!(
        "{h_request:<18}  {h_label:<lw$}  {h_company:<cw$}  {h_kind:<18}  {h_state:<16}  {h_due:<10}  {}",
        t!("status.head-remaining")
    ))?;
    let mut overdue = 0;
    for r in &rows {
        let company: String = r.company.chars().take(cw).collect();
        let label = r.label.as_deref().unwrap_or("-");
        let label: String = if label.chars().count() > lw {
            label.chars().take(lw - 1).chain(std::iter::once('…')).collect()
        } else {
            label.to_string()
        };
        let remaining = match (r.days_left, r.overdue) {
            (_, true) => {
                overdue += 1;
                let later = r
                    .due_later
                    .filter(|l| Some(*l) != r.due)
                    .map(|l| t!("status.overdue-later-too", date = l))
                    .unwrap_or_default();
                t!("status.overdue", days = r.days_left.map_or(0, |d| -d), later = later)
            }
            (Some(d), false) if d < 0 => {
                t!("status.due-ago", days = -d, date = r.due_later.map(|l| l.to_string()).unwrap_or_default())
            }
            (Some(0), false) => t!("status.due-today"),
            (Some(d), false) => t!("status.days-left", days = d),
            (None, _) => "-".into(),
        };
        let remaining = match (r.received_on, r.receipt_presumed) {
            (Some(d), true) => t!("status.receipt-presumed", remaining = remaining, date = d),
            _ => remaining,
        };
        let remaining = match r.delivered_at {
            Some(t) => {
                t!("status.delivered", remaining = remaining, time = t.format("%Y-%m-%d %H:%M UTC"))
            }
            None if r.delivered_time_unknown => t!("status.delivered-time-unknown", remaining = remaining),
            None => remaining,
        };
        ctx.out.line(format!(
            "{:<18}  {:<lw$}  {:<cw$}  {:<18}  {:<16}  {:<10}  {remaining}",
            r.request.as_str(),
            label,
            company,
            r.kind.name(),
            r.state.shown(),
            r.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        ))?;
    }
    if rows.iter().any(|r| r.state == crate::case::Status::DeliveryFailed) {
        ctx.out.note(t!("status.note-delivery-failed"));
    }
    if overdue > 0 {
        ctx.out.note(t!("status.note-overdue", overdue = overdue));
    }
    Ok(())
}
