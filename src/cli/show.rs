//! `dsr show`: one case's timeline, every event and artifact.

use super::Ctx;
use crate::Error;
use crate::case;
use crate::evidence;
use crate::ops::cases;

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
    o.line(format!("request   {}", c.request))?;
    if let Some(l) = &row.label {
        o.line(format!("label     {l}"))?;
    }
    o.line(format!("company   {} (policy {})", c.company, c.policy))?;
    o.line(format!("kind      {}", c.kind))?;
    o.line(format!("state     {}{}", row.state.name(), if row.overdue { ", OVERDUE" } else { "" }))?;
    o.line(format!("message   <{}>", c.original.message_id))?;
    if let Some(t) = c.original.sent_at {
        o.line(format!("sent      {} ({})", t.to_rfc3339(), c.original.reply.clone().unwrap_or_default()))?;
    }
    if let Some(r) = &c.original.readdresses {
        o.line(format!(
            "readdressed to {} ({}; replaces <{}>; the deadline counts from this message)",
            c.original.prepared.to.join(", "),
            r.reason,
            r.message_id
        ))?;
    }
    if let Some(t) = c.original.delivered_at {
        o.line(format!("delivered {} (delivery report: the company's server took the message)", t.to_rfc3339()))?;
    } else if c.original.delivered_time_unknown() {
        o.line(
            "delivered time unknown (the delivery report gives no Arrival-Date or Last-Attempt-Date; the period \
             counts from the relay's acceptance)",
        )?;
    }
    if let Some(d) = row.due {
        let later = row.due_later.filter(|l| *l != d).map(|l| format!("; overdue only after {l}")).unwrap_or_default();
        o.line(format!("due       {d} ({}{later})", row.due_basis.map_or("", |b| b.as_str())))?;
        if let Some(r) = row.received_on {
            let how = if row.receipt_presumed { "presumed; not recorded yet" } else { "recorded" };
            o.line(format!("received  {r} ({how})"))?;
        }
    }
    if row.state == case::Status::DeliveryFailed {
        o.line(
            "          delivery failed: the company's server refused the message. Send the letter to a corrected \
             address with `dsr send --readdress REQUEST --to-address NEW@ADDRESS`; `dsr send --retry` would send \
             the same bytes to the same bad address",
        )?;
    }
    o.line("")?;
    o.line("timeline")?;
    for e in &entries {
        o.line(format!("  {:>6}  {}  {:<16} {}", e.seq, e.time.format("%Y-%m-%dT%H:%M:%SZ"), e.event, summary(e)))?;
        for obj in e.objects() {
            o.line(format!("          {:<14} sha256 {}  {} bytes", obj.role, obj.sha256, obj.size))?;
        }
    }
    o.line("")?;
    o.line(format!(
        "each object is stored as {}/objects/<first 2 hex>/<other 62 hex>; check one with `sha256sum`",
        data_dir.display()
    ))?;
    Ok(())
}

/// One line about an event of the case: what the event says, in words.
/// The log's own events and events of a newer dsr get none.
fn summary(e: &evidence::Entry) -> String {
    use crate::case::event::Event;
    // The case's events folded already, so they decode.
    let Ok(Some(event)) = Event::decode_entry(e) else { return String::new() };
    match event {
        Event::Prepared(p) => format!("{} to {} via {}", p.kind, p.company, p.route.as_str()),
        Event::Sent(s) => format!("attempt {}: {} answered {}", s.attempt, s.server, s.summary()),
        Event::SendFailed(f) => format!(
            "attempt {}: {} at {}{}{}",
            f.attempt,
            f.class.as_str(),
            f.stage.as_str(),
            f.code.map(|c| format!(" ({c})")).unwrap_or_default(),
            if f.is_final { ", gave up" } else { ", will retry" }
        ),
        Event::Outboxed(o) => format!("written to {} (not sent)", o.file),
        Event::ReplyReceived(r) => match r.amends {
            Some(line) => format!("reply: {} (corrects line {line})", r.outcome.name()),
            None => format!("reply: {}", r.outcome.name()),
        },
        Event::MessageReceived(m) => format!(
            "message fetched from {} (UID {}), matched by {}, suggested: {}",
            m.folder,
            m.uid,
            m.matched.map_or("nothing", |b| b.as_str()),
            m.suggested.as_str()
        ),
        Event::MailSynced(s) => format!("{} read up to UID {}", s.folder, s.uid),
        Event::RetryConfirmed(r) => format!("re-send confirmed (was {})", r.from_state.as_str()),
        Event::Closed(_) => String::new(),
        Event::Dispatched(d) => {
            let when = d.date.map(|d| d.to_string()).or(d.sent_at.map(|t| t.to_rfc3339())).unwrap_or_default();
            let mut s = format!("sent by the user via {} on {when}", d.via);
            if let Some(t) = &d.tracking {
                s.push_str(&format!(", tracking {t}"));
            }
            if let Some(p) = d.presumed_received_on {
                s.push_str(&format!(", receipt presumed on {p}"));
            }
            if !d.differences.is_empty() {
                let what: Vec<&str> = d.differences.iter().map(|d| d.as_str()).collect();
                s.push_str(&format!(", DIFFERS from the outboxed message: {}", what.join(", ")));
            }
            s
        }
        Event::ReceiptRecorded(r) => format!("received by the company on {} (via {})", r.received_on, r.via),
        Event::Delivered(r) | Event::Delayed(r) | Event::Bounced(r) => {
            let mut s: Vec<String> = r
                .recipients
                .iter()
                .map(|p| {
                    let mta = p.remote_mta.as_deref().map(|m| format!(" by {m}")).unwrap_or_default();
                    let at = p.last_attempt.map(|t| format!(" at {}", t.to_rfc3339())).unwrap_or_default();
                    let reply = p.diagnostic.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
                    format!("{} {}{mta}{at}{reply}", p.action.as_str(), p.status)
                })
                .collect();
            if let Some(a) = r.arrival_date {
                s.push(format!("arrived at {} {}", r.reporting_mta.as_deref().unwrap_or("the relay"), a.to_rfc3339()));
            }
            let mut line = format!("delivery report: {}", s.join("; "));
            if e.event == "bounced" {
                line.push_str(" (delivery failed: send a new message to a corrected address)");
            }
            line
        }
        Event::Read(r) => format!("read receipt: {} ({})", r.disposition, r.disposition_field),
    }
}
