//! After a command that may have logged something: seal the log with a
//! signed checkpoint of every line.
//!
//! Every command that can append (send, reply, close, remind, complain,
//! purge, log repair) ends here, whether it succeeded or not: a failed
//! send still logged its attempts. If the log grew during the command,
//! dsr takes the lock again and appends a `checkpoint` line signed with
//! the signing key ([`crate::evidence::Log::checkpoint`]). Without a key
//! it says so once (a note): the lines are logged, but nothing signed
//! covers them yet; the first command after `dsr key new` covers them.
//! A checkpoint that cannot be written (the log locked by another dsr,
//! an unreadable key) is a warning, never a changed exit code: what the
//! command did is logged either way, and the next command's checkpoint
//! covers it.
//!
//! With time-stamping authorities configured (`[timestamp]`), the new
//! checkpoint is then sent to each ([`crate::ops::timestamp`]): a token is
//! logged as `timestamped`, a TSA that fails as `timestamp_failed` with a
//! warning. Neither changes the exit code; `dsr log timestamp` catches up.

use super::Ctx;
use crate::evidence::{self, LOG_FILE};

/// The log's length in bytes before the command (0 if there is none or
/// the data directory is unknown).
pub(super) fn log_len(ctx: &Ctx) -> u64 {
    ctx.data_dir().ok().and_then(|d| std::fs::metadata(d.join(LOG_FILE)).ok()).map_or(0, |m| m.len())
}

/// Seals the log if it grew since `before` (see the module docs).
pub(super) fn after_command(ctx: &Ctx, before: u64) {
    let Ok(data_dir) = ctx.data_dir() else { return };
    if log_len(ctx) == before {
        return;
    }
    let signer = match ctx.signer() {
        Ok(Some(s)) => s,
        Ok(None) => {
            let path = ctx.signing_key_path().map(|p| p.display().to_string()).unwrap_or_default();
            ctx.out.note(crate::t!("seal.no-key", path = path));
            return;
        }
        Err(e) => {
            ctx.out.warn(crate::t!("cli.misc.no-checkpoint", error = e));
            return;
        }
    };
    let sealed = evidence::Log::open(&data_dir).and_then(|mut log| {
        let entry = log.checkpoint(&signer, crate::clock::now())?;
        Ok((entry, log.path().to_path_buf()))
    });
    match sealed {
        Ok((Some(entry), path)) => {
            ctx.out.detail(crate::t!("cli.misc.trace-checkpoint", log = path.display(), seq = entry.seq));
            timestamp(ctx, &data_dir);
            witness(ctx, &data_dir);
        }
        Ok((None, _)) => {}
        Err(e) => {
            let hint = e.hint().map(|h| format!(" ({h})")).unwrap_or_default();
            ctx.out.warn(crate::t!("seal.no-checkpoint", error = e, hint = hint))
        }
    }
}

/// Timestamps the latest checkpoint with every configured TSA (see the
/// module docs): warnings only.
fn timestamp(ctx: &Ctx, data_dir: &std::path::Path) {
    let tsas = match ctx.config() {
        Ok(c) if !c.timestamp.is_empty() => c.timestamp.clone(),
        _ => return,
    };
    let done = evidence::latest_checkpoint(data_dir).and_then(|cp| match cp {
        Some(cp) => crate::ops::timestamp::timestamp_checkpoint(data_dir, &cp, &tsas, crate::clock::now),
        None => Ok(Vec::new()),
    });
    match done {
        Ok(outcomes) => report(ctx, &outcomes),
        Err(e) => ctx.out.warn(crate::t!("seal.no-timestamp", error = e)),
    }
}

/// Mails the latest checkpoint to the archive address (`[witness]
/// email`), if configured: a detail when sent or outboxed, a warning when
/// not (see [`crate::ops::witness_mail`]). Never changes the exit code.
fn witness(ctx: &Ctx, data_dir: &std::path::Path) {
    let Ok(config) = ctx.config() else { return };
    let Some(to) = config.witness_email.clone() else { return };
    let done = evidence::latest_checkpoint(data_dir).map_err(crate::Error::from).and_then(|cp| match cp {
        Some(cp) => crate::ops::witness_mail::mail_checkpoint(data_dir, config, &to, &cp, crate::clock::now).map(Some),
        None => Ok(None),
    });
    use crate::ops::witness_mail::Delivered;
    match done {
        Ok(Some(o)) => match &o.result {
            Delivered::Sent(code) => {
                ctx.out.detail(crate::t!("cli.misc.trace-witness", seq = o.entry.seq, to = o.to, code = code))
            }
            Delivered::Outboxed(file) => ctx.out.note(crate::t!("seal.witness-outboxed", to = o.to, file = file)),
            Delivered::Failed(why) => {
                ctx.out.warn(crate::t!("seal.witness-failed", to = o.to, why = why, line = o.entry.seq))
            }
        },
        Ok(None) => {}
        // Before sending (no sender, a DKIM key that does not load) or
        // after it (the log locked by another dsr): the message may have
        // gone out without a line saying so, never the other way round.
        Err(e) => ctx.out.warn(crate::t!("seal.witness-error", to = to, error = e)),
    }
}

/// One line per TSA: a detail for a token, a warning for a failure.
pub(super) fn report(ctx: &Ctx, outcomes: &[crate::ops::timestamp::Outcome]) {
    for o in outcomes {
        match &o.result {
            Ok(t) => ctx.out.detail(crate::t!(
                "cli.misc.trace-timestamp",
                seq = o.entry.seq,
                tsa = o.tsa,
                time = evidence::format_time(t)
            )),
            Err(why) => ctx.out.warn(crate::t!("seal.tsa-failed", tsa = o.tsa, why = why, line = o.entry.seq)),
        }
    }
}
