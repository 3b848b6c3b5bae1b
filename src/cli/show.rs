//! `dsr show`: one case's timeline, every event and artifact.

use super::Ctx;
use crate::Error;
use crate::case;
use crate::evidence;
use crate::ops::cases;

/// Arguments of `dsr show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request id (as printed by `dsr send` and `dsr status`).
    pub request: String,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let config = ctx.config()?;
    let data_dir = ctx.data_dir()?;
    let all = cases::load(&data_dir)?;
    let c = case::find(&all, &args.request)?;
    let row = cases::row(c, config, crate::clock::now())?;
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
    o.line(format!("company   {} (policy {})", c.company, c.policy))?;
    o.line(format!("kind      {}", c.kind))?;
    o.line(format!("state     {}{}", row.state, if row.overdue { ", OVERDUE" } else { "" }))?;
    o.line(format!("message   <{}>", c.original.message_id))?;
    if let Some(t) = c.original.sent_at {
        o.line(format!("sent      {} ({})", t.to_rfc3339(), c.original.reply.clone().unwrap_or_default()))?;
    }
    if let Some(d) = row.due {
        let later = row.due_later.filter(|l| *l != d).map(|l| format!("; overdue only after {l}")).unwrap_or_default();
        o.line(format!("due       {d} ({}{later})", row.due_basis.unwrap_or("")))?;
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

fn summary(e: &evidence::Entry) -> String {
    let d = &e.data;
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    match e.event.as_str() {
        case::event::PREPARED => format!("{} to {} via {}", s("kind"), s("company"), s("route")),
        case::event::SENT => format!(
            "attempt {}: {} answered {} {}",
            d.get("attempt").and_then(|v| v.as_u64()).unwrap_or(0),
            s("server"),
            d.get("code").and_then(|v| v.as_u64()).unwrap_or(0),
            s("reply")
        ),
        case::event::SEND_FAILED => format!(
            "attempt {}: {} at {}{}{}",
            d.get("attempt").and_then(|v| v.as_u64()).unwrap_or(0),
            s("class"),
            s("stage"),
            d.get("code").and_then(|v| v.as_u64()).map(|c| format!(" ({c})")).unwrap_or_default(),
            if d.get("final").and_then(|v| v.as_bool()).unwrap_or(false) { ", gave up" } else { ", will retry" }
        ),
        case::event::OUTBOXED => format!("written to {} (not sent)", s("file")),
        case::event::REPLY_RECEIVED => format!("reply: {}", s("outcome")),
        case::event::RETRY_CONFIRMED => format!("re-send confirmed (was {})", s("from_state")),
        _ => String::new(),
    }
}
