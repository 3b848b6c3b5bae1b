//! `dsr log verify|show|repair`: check, read and repair the evidence log.

use super::Ctx;
use crate::Error;
use crate::evidence::{self, Entry, RequestId, Sha256, VerifyOptions};
use clap::Subcommand;

/// Check, show or repair the evidence log (<data-dir>/log.jsonl).
///
/// Example: `dsr log verify --objects`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with the log.
    #[command(subcommand)]
    pub command: LogCommand,
}

/// The `dsr log` subcommands.
#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Check every line's seq, prev hash and time, and the header; with
    /// --objects also every object the log names.
    ///
    /// Prints `ok: N lines, head HASH` and exits 0, or names the first bad
    /// line or object and exits 4. Record the head somewhere else (an
    /// archive mailbox, a printout): a later `--head HASH` then proves that
    /// nothing up to it was changed, including the last line.
    ///
    /// Example: `dsr log verify --objects`
    Verify(VerifyArgs),
    /// Print the log as a timeline, one line per event.
    ///
    /// Example: `dsr log show --request r_k3q7z2m4x7w5abcd`
    Show(ShowArgs),
    /// Set a torn last line aside (after a crash mid-append) so the log can
    /// be appended to again.
    ///
    /// The torn bytes are kept as an object and a `repaired` event names
    /// their hash, offset and length. Does nothing if the log is sound.
    ///
    /// Example: `dsr log repair && dsr log verify`
    Repair,
}

/// Options of `dsr log verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Also check that every object named by the log exists and hashes to
    /// its name (purged objects are reported as purged).
    #[arg(long)]
    pub objects: bool,
    /// Fail unless the last line hashes to HASH (a head recorded earlier).
    #[arg(long, value_name = "HASH")]
    pub head: Option<Sha256>,
}

/// Options of `dsr log show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Only this request's events.
    #[arg(long, value_name = "ID")]
    pub request: Option<RequestId>,
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    let data_dir = ctx.data_dir()?;
    match &args.command {
        LogCommand::Verify(a) => {
            let v = evidence::verify(&data_dir, &VerifyOptions { objects: a.objects, head: a.head })?;
            if ctx.out.json {
                ctx.out.json(&serde_json::json!({
                    "ok": true,
                    "lines": v.lines,
                    "head": v.head,
                    "last_time": v.last_time,
                    "objects": a.objects.then(|| serde_json::json!({
                        "intact": v.objects_intact,
                        "purged": v.objects_purged,
                    })),
                }))
            } else if a.objects {
                ctx.out.line(format!(
                    "ok: {} lines, head {}; objects: {} intact, {} purged",
                    v.lines, v.head, v.objects_intact, v.objects_purged
                ))
            } else {
                ctx.out.line(format!("ok: {} lines, head {}", v.lines, v.head))
            }
        }
        LogCommand::Show(a) => {
            let path = data_dir.join(evidence::LOG_FILE);
            if !path.exists() {
                ctx.out.note(format!("no evidence log yet at {}", path.display()));
                return Ok(());
            }
            let mut shown = 0u64;
            for entry in evidence::read_entries(&data_dir)? {
                let entry = entry?;
                if a.request.as_ref().is_some_and(|r| entry.request.as_ref() != Some(r)) {
                    continue;
                }
                shown += 1;
                if ctx.out.json {
                    ctx.out.line(
                        serde_json::to_string(&entry)
                            .expect("a log entry serializes: it was read from JSON and has only string keys"),
                    )?;
                } else {
                    ctx.out.line(timeline_line(&entry))?;
                }
            }
            if shown == 0
                && let Some(r) = &a.request
            {
                ctx.out.note(format!("no events for request {r}"));
            }
            Ok(())
        }
        LogCommand::Repair => match evidence::repair(&data_dir, crate::clock::now())? {
            None => {
                if ctx.out.json {
                    ctx.out.json(&serde_json::json!({ "repaired": false }))
                } else {
                    ctx.out.line("nothing to repair: the last line of the log is complete")
                }
            }
            Some(r) => {
                if ctx.out.json {
                    ctx.out.json(&serde_json::json!({
                        "repaired": true,
                        "offset": r.offset,
                        "length": r.length,
                        "sha256": r.sha256,
                        "seq": r.entry.seq,
                    }))
                } else {
                    ctx.out.line(format!(
                        "repaired: moved {} torn bytes from byte {} into object {}; logged as seq {}",
                        r.length, r.offset, r.sha256, r.entry.seq
                    ))
                }
            }
        },
    }
}

/// One event as a line of text: seq, time, event, request, then the data
/// (objects as `role=hash… (size B)`, other members as `key=value`).
fn timeline_line(e: &Entry) -> String {
    let request = e.request.as_ref().map_or("-", RequestId::as_str);
    let mut details = Vec::new();
    for o in e.objects() {
        details.push(format!("{}={}… ({} B)", o.role, &o.sha256.to_string()[..12], o.size));
    }
    if let Some(map) = e.data.as_object() {
        for (k, v) in map {
            match (k.as_str(), v) {
                ("objects", _) => {}
                ("purged", serde_json::Value::Array(a)) => details.push(format!("purged={} objects", a.len())),
                (_, serde_json::Value::String(s)) => details.push(format!("{k}={s}")),
                _ => details.push(format!("{k}={v}")),
            }
        }
    }
    format!("{:>6}  {}  {:<13} {:<18}  {}", e.seq, evidence::format_time(&e.time), e.event, request, details.join(" "))
        .trim_end()
        .to_string()
}
