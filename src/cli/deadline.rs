//! `dsr deadline`: the Art. 12(3) GDPR deadlines for a receipt date.

use super::Ctx;
use crate::Error;
use crate::deadline::{self, CalendarCode, Deadlines, MovedDay};
use chrono::{Datelike, NaiveDate};

/// Arguments of `dsr deadline` (the help text is on `Command::Deadline`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day the controller received the request (YYYY-MM-DD, its local date).
    #[arg(long, value_name = "DATE", value_parser = super::iso_date::parse)]
    pub received: NaiveDate,
    /// The holiday calendar of the place where the controller acts: DE, DE-BB, DE-BE, DE-BW, DE-BY,
    /// DE-HB, DE-HE, DE-HH, DE-MV, DE-NI, DE-NW, DE-RP, DE-SH, DE-SL, DE-SN, DE-ST, DE-TH, the municipal
    /// DE-BY-KATH, DE-BY-AUGSBURG, DE-SN-KATH, DE-TH-KATH; AT, BE, BG, CY, CZ, DK, EE, FI, FR,
    /// FR-ALSACE-MOSELLE, GR, HR, HU, IE, IS, IT, LI, LT, LU, LV, MT, NL, NO, PL, PT, RO, SE, SI, SK; for
    /// Spain ES (national days) or the community's ES-AN, ES-AR, ES-AS, ES-CB, ES-CE, ES-CL, ES-CM, ES-CN,
    /// ES-CT, ES-EX, ES-GA, ES-IB, ES-MC, ES-MD, ES-ML, ES-NC, ES-PV, ES-RI, ES-VC (2025–2027 only); for
    /// the UK GB-EAW (England and Wales), GB-SCT, GB-NIR; CH (Switzerland), US (federal holidays); and,
    /// written out for 2025–2027 only, CA, CA-BC, CA-ON, CA-QC, AU, AU-NSW, AU-VIC, NZ, NZ-AUK, NZ-CAN,
    /// NZ-NSN, NZ-WGN, IL, SG, HK, CN, TW, JP, AE, QA, MA, IN, IN-MH, MY, MY-10, PK, PA, MH, SC, GI, IM, RU.
    #[arg(long, value_name = "CODE")]
    pub calendar: CalendarCode,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let extra = ctx.config()?.extra_days(args.calendar);
    let d = deadline::compute(args.received, args.calendar, &extra)?;
    if ctx.out.json {
        return ctx.out.json(&d);
    }
    for line in render(&d, &extra) {
        ctx.out.line(line)?;
    }
    ctx.out.note(crate::t!("deadline.note", zone = d.calendar.time_zone(), date = d.deadline));
    Ok(())
}

/// The human-readable lines: each date with its weekday, and under each
/// deadline the days that moved it and why (labels, the calendar's and the
/// holidays' names in the interface language, padded to one column; the
/// JSON keeps the English names).
fn render(d: &Deadlines, extra: &[deadline::ExtraDay]) -> Vec<String> {
    let labels = [
        crate::t!("deadline.received"),
        crate::t!("deadline.one-month"),
        crate::t!("deadline.deadline"),
        crate::t!("deadline.three-months"),
        crate::t!("deadline.extended"),
    ];
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    let pad = |l: &str| format!("{l:width$}");
    let calendar = crate::t!("deadline.calendar", code = d.calendar, name = d.calendar.display_name());
    let mut out = vec![
        format!("{}{}   {calendar}", pad(&labels[0]), with_weekday(d.received)),
        format!("{}{}", pad(&labels[1]), with_weekday(d.raw)),
    ];
    let shown =
        |m: &MovedDay| deadline::non_working_reason_shown(m.date, d.calendar, extra).unwrap_or(m.reason.clone());
    push_end(&mut out, &pad(&labels[2]), d.deadline, &d.moved, &shown, width);
    out.push(format!("{}{}", pad(&labels[3]), with_weekday(d.raw_extended)));
    push_end(&mut out, &pad(&labels[4]), d.extended, &d.moved_extended, &shown, width);
    out
}

/// `2027-01-04 Mon`, the weekday's abbreviation in the interface language.
fn with_weekday(date: NaiveDate) -> String {
    let names = crate::t!("deadline.weekdays");
    let day = date.weekday().num_days_from_monday() as usize;
    match names.split(' ').nth(day) {
        Some(name) => format!("{date} {name}"),
        None => format!("{date} {}", date.format("%a")),
    }
}

fn push_end(
    out: &mut Vec<String>,
    label: &str,
    end: NaiveDate,
    moved: &[MovedDay],
    reason: &dyn Fn(&MovedDay) -> String,
    width: usize,
) {
    if moved.is_empty() {
        out.push(format!("{label}{}", with_weekday(end)));
        return;
    }
    out.push(format!("{label}{}   {}", with_weekday(end), crate::t!("deadline.moved-past")));
    let indent = " ".repeat(width + 2);
    out.extend(moved.iter().map(|m| format!("{indent}{}  {}", with_weekday(m.date), reason(m))));
}
