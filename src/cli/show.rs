//! `dsr show`: one case's timeline, every event and artifact.

use super::Ctx;
use crate::Error;
use crate::case;
use crate::evidence;
use crate::ops::cases;
use crate::t;

/// Arguments of `dsr show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request id (as printed by `dsr send` and `dsr status`), a unique id prefix, or the
    /// case's label (or a unique part of it, or of the subject's name).
    pub request: String,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let config = ctx.config()?;
    let data_dir = ctx.data_dir()?;
    let all = cases::load(&data_dir)?;
    let store = evidence::Store::new(&data_dir);
    let c = cases::find(&store, &all, &args.request)?;
    let row = cases::row(c, config, crate::clock::now())?.labelled(&store, c);
    let entries: Vec<evidence::Entry> = evidence::read_entries(&data_dir)
        .map_err(case::Error::from)?
        .filter(|e| e.as_ref().map_or(true, |e| e.request.as_ref() == Some(&c.request)))
        .collect::<Result<_, _>>()
        .map_err(case::Error::from)?;
    if ctx.out.json {
        return ctx.out.json(&serde_json::json!({ "case": c, "status": row, "events": entries }));
    }
    let o = &ctx.out;
    o.line(t!("show.request", request = c.request))?;
    if let Some(l) = &row.label {
        o.line(t!("show.label", label = l))?;
    }
    o.line(t!("show.company", company = c.company, policy = c.policy))?;
    o.line(t!("show.kind", kind = c.kind))?;
    let overdue = if row.overdue { t!("show.overdue") } else { String::new() };
    o.line(t!("show.state", state = row.state.shown(), overdue = overdue))?;
    o.line(t!("show.message", message_id = c.original.message_id))?;
    if let Some(time) = c.original.sent_at {
        o.line(match c.original.reply.as_deref().filter(|r| !r.is_empty()) {
            Some(reply) => t!("show.sent", time = time.to_rfc3339(), reply = reply),
            None => t!("show.sent-no-reply", time = time.to_rfc3339()),
        })?;
    }
    if let Some(r) = &c.original.readdresses {
        let to = c.original.prepared.to.join(", ");
        o.line(t!("show.readdressed", to = to, reason = r.reason, message_id = r.message_id))?;
    }
    if let Some(time) = c.original.delivered_at {
        o.line(t!("show.delivered", time = time.to_rfc3339()))?;
    } else if c.original.delivered_time_unknown() {
        o.line(t!("show.delivered-time-unknown"))?;
    }
    if let Some(d) = row.due {
        let later = row.due_later.filter(|l| *l != d).map(|l| t!("show.overdue-after", date = l)).unwrap_or_default();
        o.line(t!("show.due", date = d, basis = row.due_basis.map_or("", |b| b.as_str()), later = later))?;
        if let Some(r) = row.received_on {
            let how = if row.receipt_presumed { t!("show.receipt-presumed") } else { t!("show.receipt-recorded") };
            o.line(t!("show.received", date = r, how = how))?;
        }
    }
    if row.state == case::Status::DeliveryFailed {
        o.line(t!("show.delivery-failed"))?;
    }
    o.line("")?;
    o.line(t!("show.timeline"))?;
    for e in &entries {
        o.line(format!("  {:>6}  {}  {:<16} {}", e.seq, e.time.format("%Y-%m-%dT%H:%M:%SZ"), e.event, summary(e)))?;
        for obj in e.objects() {
            o.line(t!("show.object", role = format!("{:<14}", obj.role), sha256 = obj.sha256, size = obj.size))?;
        }
    }
    o.line("")?;
    o.line(t!("show.objects-where", dir = data_dir.display()))?;
    Ok(())
}

/// One line about an event of the case: what the event says, in words.
/// The log's own events and events of a newer dsr get none.
fn summary(e: &evidence::Entry) -> String {
    use crate::case::event::Event;
    // The case's events folded already, so they decode.
    let Ok(Some(event)) = Event::decode_entry(e) else { return String::new() };
    match event {
        Event::Prepared(p) => t!("timeline.prepared", kind = p.kind, company = p.company, route = p.route.as_str()),
        Event::Sent(s) => t!("timeline.sent", attempt = s.attempt, server = s.server, reply = s.summary()),
        Event::SendFailed(f) => t!(
            "timeline.send-failed",
            attempt = f.attempt,
            class = f.class.as_str(),
            stage = f.stage.as_str(),
            code = f.code.map(|c| format!(" ({c})")).unwrap_or_default(),
            then = if f.is_final { t!("timeline.gave-up") } else { t!("timeline.will-retry") }
        ),
        Event::Outboxed(o) => t!("timeline.outboxed", file = o.file),
        Event::ReplyReceived(r) => match r.amends {
            Some(line) => t!("timeline.reply-amends", outcome = r.outcome.name(), line = line),
            None => t!("timeline.reply", outcome = r.outcome.name()),
        },
        Event::MessageReceived(m) => t!(
            "timeline.message-received",
            folder = m.folder,
            uid = m.uid,
            matched = m.matched.map_or(t!("timeline.nothing"), |b| b.as_str().to_string()),
            suggested = m.suggested.as_str()
        ),
        Event::MailSynced(s) => t!("timeline.mail-synced", folder = s.folder, uid = s.uid),
        Event::RetryConfirmed(r) => t!("timeline.retry-confirmed", state = r.from_state.as_str()),
        Event::Closed(_) => String::new(),
        Event::Dispatched(d) => {
            let when = d.date.map(|d| d.to_string()).or(d.sent_at.map(|t| t.to_rfc3339())).unwrap_or_default();
            let mut s = t!("timeline.dispatched", via = d.via, when = when);
            if let Some(number) = &d.tracking {
                s.push_str(&t!("timeline.tracking", number = number));
            }
            if let Some(p) = d.presumed_received_on {
                s.push_str(&t!("timeline.receipt-presumed", date = p));
            }
            if !d.differences.is_empty() {
                let what: Vec<&str> = d.differences.iter().map(|d| d.as_str()).collect();
                s.push_str(&t!("timeline.differs", what = what.join(", ")));
            }
            s
        }
        Event::ReceiptRecorded(r) => t!("timeline.receipt", date = r.received_on, via = r.via),
        Event::Delivered(r) | Event::Delayed(r) | Event::Bounced(r) => {
            let mut s: Vec<String> = r
                .recipients
                .iter()
                .map(|p| {
                    let mta = p.remote_mta.as_deref().map(|m| t!("timeline.by", mta = m)).unwrap_or_default();
                    let at = p.last_attempt.map(|time| t!("timeline.at", time = time.to_rfc3339())).unwrap_or_default();
                    let reply = p.diagnostic.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
                    format!("{} {}{mta}{at}{reply}", p.action.as_str(), p.status)
                })
                .collect();
            if let Some(a) = r.arrival_date {
                let mta = r.reporting_mta.clone().unwrap_or_else(|| t!("timeline.the-relay"));
                s.push(t!("timeline.arrived", mta = mta, time = a.to_rfc3339()));
            }
            let mut line = t!("timeline.delivery-report", report = s.join("; "));
            if e.event == "bounced" {
                line.push_str(&t!("timeline.bounced"));
            }
            line
        }
        Event::Read(r) => t!("timeline.read", disposition = r.disposition, field = r.disposition_field),
    }
}
