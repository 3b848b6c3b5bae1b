//! `dsr send --batch FILE`: plan, confirm retries, run with progress, print
//! the summary. The work is in [`crate::ops::batch`].

use super::Ctx;
use crate::Error;
use crate::ops::batch::{self, Action, Inputs, Plan, RowOutcome, RowReport, RunOptions};
use crate::ops::deliver::Env;
use crate::t;
use std::io::IsTerminal;
use std::path::Path;

/// What `dsr send --batch FILE` was asked to do, beyond the file. `send`
/// fills it from its own arguments: the batch knows nothing of them, so
/// the dependency goes one way (`send` → `batch`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Options {
    /// `--dry-run`: print the plan, send nothing.
    pub dry_run: bool,
    /// `--yes`: send held rows again without asking.
    pub yes: bool,
    /// `--retry-failed`: also send rows whose delivery failed or is unknown.
    pub retry_failed: bool,
    /// `--rate N`: at most N messages per minute.
    pub rate: Option<u32>,
    /// `--allow-outside-paths`: rows may name files anywhere.
    pub allow_outside_paths: bool,
}

/// Plans, confirms, runs and reports the batch `file`.
///
/// # Errors
/// The inputs or a row are invalid, the run failed, or not every row was
/// delivered (exit code from [`crate::ops::batch`]).
pub(super) fn exec(ctx: &Ctx, args: &Options, file: &Path) -> Result<(), Error> {
    super::send::with_env(ctx, |env| exec_in(ctx, args, file, env))
}

fn exec_in(ctx: &Ctx, args: &Options, file: &Path, env: &Env<'_>) -> Result<(), Error> {
    let config = ctx.config()?;
    let catalog = ctx.catalog()?;
    let file = ctx.cwd.join(file);
    let inputs = Inputs {
        env,
        config,
        catalog: &catalog,
        files: &crate::request::Files::new(crate::request::Files::KEEP_BYTES),
        allow_outside_paths: args.allow_outside_paths,
    };
    let mut plan = batch::plan(&file, &inputs)?;
    if args.dry_run {
        return print_plan(ctx, &plan, args.retry_failed);
    }
    let held = plan.held().count();
    if args.retry_failed && held > 0 && (args.yes || ask(&plan)?) {
        plan.confirm_retries();
    }
    confirm_send(ctx, &plan, config.smtp.as_ref())?;
    let total = plan.rows.len();
    let bar = (!ctx.out.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(&crate::t!("cli.batch.progress"))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut done = 0usize;
    let mut progress = |r: &RowReport| {
        done += 1;
        let line = format!("[{done}/{total}] {}", row_line(r));
        match &bar {
            Some(b) => {
                if matches!(r.outcome, RowOutcome::Failed | RowOutcome::Unknown | RowOutcome::NotAttempted) {
                    b.println(&line);
                }
                b.inc(1);
            }
            None => ctx.out.note(line),
        }
    };
    let opts = RunOptions { rate: args.rate, ..RunOptions::default() };
    let result = batch::run(&plan, &inputs, &opts, &mut progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = result?;
    for r in &summary.rows {
        for w in &r.warnings {
            ctx.out.warn(crate::t!("cli.batch.row-warning", row = r.row, warning = w));
        }
    }
    if ctx.out.json {
        ctx.out.json(&summary)?;
    } else {
        for r in &summary.rows {
            ctx.out.line(row_line(r))?;
        }
        ctx.out.line(crate::t!(
            "cli.batch.totals",
            sent = summary.sent,
            outboxed = summary.outboxed,
            failed = summary.failed,
            unknown = summary.unknown,
            skipped = summary.skipped,
            held = summary.held,
            not_attempted = summary.not_attempted
        ))?;
        if summary.outboxed > 0 {
            ctx.out.not_sent(summary.outboxed, None);
        }
    }
    Ok(summary.check_complete()?)
}

/// `row 3 [key]: sent r_… <message-id> (250 …)`.
fn row_line(r: &RowReport) -> String {
    let mut s = crate::t!("cli.batch.row", row = r.row);
    if let Some(l) = &r.label {
        s.push_str(&format!(" [{l}]"));
    }
    s.push_str(&format!(": {} {} {}", r.policy, r.kind, r.outcome.name()));
    if r.retried {
        s.push_str(&crate::t!("cli.batch.sent-again"));
    }
    if let Some(d) = r.earlier.filter(|_| matches!(r.outcome, RowOutcome::Skipped | RowOutcome::Held)) {
        s.push_str(&crate::t!("cli.batch.earlier", delivery = delivery_name(d)));
    }
    if let Some(req) = &r.request {
        s.push_str(&format!(" {req}"));
    }
    if let Some(m) = &r.message_id {
        s.push_str(&format!(" <{m}>"));
    }
    if let Some(d) = &r.detail {
        s.push_str(&format!(": {d}"));
    }
    s
}

fn delivery_name(d: crate::case::Delivery) -> String {
    match d {
        crate::case::Delivery::Sent => crate::t!("cli.outcome.sent"),
        crate::case::Delivery::Outboxed => crate::t!("cli.outcome.outboxed"),
        crate::case::Delivery::Failed => crate::t!("cli.outcome.failed"),
        crate::case::Delivery::Unknown => crate::t!("cli.outcome.unknown"),
        crate::case::Delivery::Dispatched => crate::t!("cli.outcome.dispatched"),
    }
}

fn print_plan(ctx: &Ctx, plan: &Plan, retry_failed: bool) -> Result<(), Error> {
    let (send, skip, retry, hold) = plan.counts();
    if ctx.out.json {
        let rows: Vec<_> = plan
            .rows
            .iter()
            .map(|p| serde_json::json!({ "row": p.row.number, "line": p.row.line, "name": p.row.name, "key": p.row.key, "label": p.row.label, "plan": p.action }))
            .collect();
        return ctx.out.json(&serde_json::json!({ "dry_run": true, "rows": rows }));
    }
    for p in &plan.rows {
        let what = match &p.action {
            Action::Send => crate::t!("cli.batch.plan-send"),
            Action::Skip { request, delivery } => {
                crate::t!("cli.batch.plan-skip", delivery = delivery_name(*delivery), request = request)
            }
            Action::Retry { request, delivery } | Action::Hold { request, delivery } => {
                let delivery = delivery_name(*delivery);
                if retry_failed {
                    crate::t!("cli.batch.plan-retry", delivery = delivery, request = request)
                } else {
                    crate::t!("cli.batch.plan-hold", delivery = delivery, request = request)
                }
            }
            Action::Refused { request, .. } => crate::t!("cli.batch.plan-refused", request = request),
        };
        ctx.out.line(crate::t!(
            "cli.batch.plan-row",
            row = p.row.number,
            line = p.row.line,
            to = p.row.options.to,
            name = p.row.name,
            what = what
        ))?;
    }
    ctx.out.line(crate::t!(
        "cli.batch.plan-totals",
        valid = plan.rows.len(),
        send = send,
        skip = skip,
        failed = retry + hold
    ))?;
    ctx.out.note(crate::t!("cli.batch.dry-run"));
    Ok(())
}

/// Asks once before the batch sends: how many rows, to whom, which kinds,
/// by which channels, how many attachments. Nothing to send, nothing to ask.
fn confirm_send(ctx: &Ctx, plan: &Plan, smtp: Option<&crate::config::Smtp>) -> Result<(), Error> {
    use std::collections::BTreeMap;
    let (send, skip, retry, hold) = plan.counts();
    if send + retry == 0 {
        return Ok(());
    }
    let mut recipients: BTreeMap<String, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut channels: BTreeMap<String, usize> = BTreeMap::new();
    let mut attachments = 0;
    for p in plan.rows.iter().filter(|p| p.action == Action::Send) {
        if let Some(v) = &p.preview {
            let to: Vec<String> = v.to.iter().map(|a| format!("<{a}>")).collect();
            *recipients.entry(format!("{} {}", v.recipient, to.join(", ")).trim_end().to_string()).or_default() += 1;
            *kinds.entry(v.kind.to_string()).or_default() += 1;
            *channels.entry(super::prompt::channel_words(v.channel, smtp)).or_default() += 1;
            attachments += v.attachments.len();
        }
    }
    let counted = |m: &BTreeMap<String, usize>| m.iter().map(|(k, n)| format!("{k} ({n})")).collect::<Vec<_>>();
    let mut context = vec![t!("batch.summary", file = plan.file.display())];
    let mut rows = t!("batch.rows", send = send);
    if retry > 0 {
        rows.push_str(&t!("batch.rows-retry", retry = retry));
    }
    if skip + hold > 0 {
        rows.push_str(&t!("batch.rows-skipped", skipped = skip + hold));
    }
    context.push(rows);
    let recipients_label = t!("batch.recipients");
    for (i, r) in counted(&recipients).into_iter().enumerate() {
        context.push(format!("  {:<13}{r}", if i == 0 { recipients_label.as_str() } else { "" }));
    }
    context.push(t!("batch.kinds", kinds = counted(&kinds).join(", ")));
    context.push(t!("batch.channels", channels = counted(&channels).join(", ")));
    context.push(t!("batch.attachments", n = attachments));
    let question = match send + retry {
        1 => t!("batch.question-one"),
        n => t!("batch.question", n = n),
    };
    super::prompt::ask(ctx.yes, &context, &question)
}

/// Asks on the terminal whether held rows may be sent again.
fn ask(plan: &Plan) -> Result<bool, Error> {
    let held: Vec<_> = plan.held().collect();
    let mut context = vec![t!("batch.held")];
    for p in &held {
        if let Action::Hold { request, delivery } = &p.action {
            context.push(t!(
                "batch.held-row",
                row = p.row.number,
                to = p.row.options.to,
                request = request,
                delivery = delivery_name(*delivery)
            ));
        }
    }
    let question = t!("batch.held-question", n = held.len());
    super::prompt::confirm_with(&context, &question, || batch::Error::RetryNotConfirmed { count: held.len() }.into())
}
