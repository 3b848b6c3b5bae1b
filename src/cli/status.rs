//! `dsr status`: every case at a glance, with deadlines.

use super::Ctx;
use crate::Error;
use crate::ops::cases::{self, Row};
use crate::ops::ics;
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
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let config = ctx.config()?;
    let data_dir = ctx.data_dir()?;
    let now = crate::clock::now();
    let mut rows: Vec<Row> = Vec::new();
    for case in cases::load(&data_dir)?.values() {
        let row = cases::row(case, config, now)?;
        if (args.open && row.settled) || (args.overdue && !row.overdue) {
            continue;
        }
        rows.push(row);
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
                .map_err(|e| Error::io("cannot write the calendar to standard output".to_string(), e));
        }
        let path = ctx.cwd.join(file);
        std::fs::write(&path, text).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        let events = rows.iter().filter(|r| ics::has_event(r)).count();
        if ctx.out.json {
            return ctx.out.json(&serde_json::json!({ "file": path, "events": events }));
        }
        return ctx.out.line(format!("wrote {events} deadline(s) to {}", file.display()));
    }
    if ctx.out.json {
        return ctx.out.json(&rows);
    }
    if rows.is_empty() {
        ctx.out.note(if args.open || args.overdue {
            "no matching cases"
        } else {
            "no cases yet: `dsr send` starts one"
        });
        return Ok(());
    }
    let cw = rows.iter().map(|r| r.company.chars().count()).max().unwrap_or(7).clamp(7, 32);
    ctx.out.line(format!(
        "{:<18}  {:<cw$}  {:<18}  {:<16}  {:<10}  REMAINING",
        "REQUEST", "COMPANY", "KIND", "STATE", "DUE"
    ))?;
    let mut overdue = 0;
    for r in &rows {
        let company: String = r.company.chars().take(cw).collect();
        let remaining = match (r.days_left, r.overdue) {
            (_, true) => {
                overdue += 1;
                format!(
                    "OVERDUE {} day(s){}",
                    r.days_left.map_or(0, |d| -d),
                    r.due_later
                        .filter(|l| Some(*l) != r.due)
                        .map(|l| format!(" (also by the later reading, {l})"))
                        .unwrap_or_default()
                )
            }
            (Some(d), false) if d < 0 => format!(
                "due {} day(s) ago; overdue after {}",
                -d,
                r.due_later.map(|l| l.to_string()).unwrap_or_default()
            ),
            (Some(0), false) => "due today".into(),
            (Some(d), false) => format!("{d} day(s) left"),
            (None, _) => "-".into(),
        };
        let remaining = match (r.received_on, r.receipt_presumed) {
            (Some(d), true) => format!("{remaining} (receipt presumed {d})"),
            _ => remaining,
        };
        let remaining = match r.delivered_at {
            Some(t) => format!("{remaining} (delivered {})", t.format("%Y-%m-%d %H:%M UTC")),
            None if r.delivered_time_unknown => format!("{remaining} (delivered, time unknown)"),
            None => remaining,
        };
        ctx.out.line(format!(
            "{:<18}  {:<cw$}  {:<18}  {:<16}  {:<10}  {remaining}",
            r.request.as_str(),
            company,
            r.kind.name(),
            r.state.name(),
            r.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        ))?;
    }
    if rows.iter().any(|r| r.state == crate::case::Status::DeliveryFailed) {
        ctx.out.note(
            "delivery-failed: a delivery report says the company's server refused the message; send the letter \
             to a corrected address with `dsr send --readdress REQUEST --to-address NEW@ADDRESS` (`dsr show \
             REQUEST` has the report), not `dsr send --retry`, which would send the same bytes to the same bad \
             address",
        );
    }
    if overdue > 0 {
        ctx.out.note(format!(
            "{overdue} overdue: counted from the later reading of receipt (mail accepted after 18:00 or on a \
             non-working day counts as received the next working day); `dsr remind REQUEST` sends a reminder"
        ));
    }
    Ok(())
}
