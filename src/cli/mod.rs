//! The command line: parse, call one library function, print.
//!
//! This is the only module that prints or chooses an exit code. Each
//! subcommand lives in its own file with an `Args` struct (clap derive) and an
//! `exec(ctx, args)` that translates arguments into a library call.
//! [`main`] reports errors as
//!
//! ```text
//! error: policies/x.toml:3:1: unknown field `privacy_mail`, expected …
//! help: …
//! ```
//!
//! and exits with [`Error::exit_code`](crate::Error::exit_code).

mod authority;
mod batch;
mod clap_error;
mod completions;
mod deadline;
mod dispatched;
mod evidence;
mod followup;
mod help;
mod init;
mod iso_date;
mod key;
mod log;
mod mail;
mod man;
mod output;
mod policy;
mod prompt;
mod purge;
mod render;
mod reply;
mod request_args;
mod seal;
mod send;
mod show;
mod status;
mod stdin;

pub use output::Output;

use crate::Error;
use crate::config::{self, Config};
use crate::letter::Renderer;
use crate::policy::Catalog;
use crate::t;
use crate::trace::Tracer;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::cell::OnceCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Send GDPR data-subject requests (erasure, processor deletion, reminders,
/// complaints) and keep evidence that proves what was sent, to whom and when.
#[derive(Debug, Parser)]
#[command(name = "dsr", version, propagate_version = true, max_term_width = 100)]
#[command(after_long_help = "Examples (the main job, from a new dsr.toml to a tracked case):
  dsr init
  dsr render --to zendesk --kind erasure --subject subject.toml
  dsr send --to zendesk --kind erasure --subject subject.toml
  dsr status

Exit codes: 0 ok, 1 unexpected error, 2 bad usage or input, \
3 delivery failed, 4 evidence does not verify, 5 log locked by another process.")]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by all commands, listed after each command's own under
/// their own heading.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Config file [default: ./dsr.toml, then ~/.config/dsr/dsr.toml].
    #[arg(long, global = true, env = "DSR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory of the evidence log, objects and outbox [default: data_dir from the config, else ~/.local/share/dsr].
    #[arg(long, global = true, env = "DSR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print data as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print no notes (warnings and errors still show).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more detail.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Answer yes to every confirmation question, for scripts (or set DSR_YES=1). Without a
    /// terminal and without it, commands that send, log or delete refuse.
    // DSR_YES is read by `Ctx::new`, not by clap: clap would show its value
    // in every help page and name `--yes` in usage lines it was not typed in.
    #[arg(long, global = true)]
    pub yes: bool,
    /// Language of dsr's messages and help: de or en [default: from LC_ALL, LC_MESSAGES or LANG;
    /// German when it starts with de, else English]. The letters' language is --lang.
    #[arg(long, global = true, value_name = "LANG", hide_possible_values = true)]
    pub ui_lang: Option<crate::i18n::UiLang>,
}

/// dsr's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    // The help text is init::Args's doc comment (with its examples).
    Init(init::Args),
    /// Find, show and lint company policies.
    ///
    /// Example: dsr policy list --search zendesk   then   dsr policy show zendesk
    Policy(policy::Args),
    /// Preview a letter and its identity record; nothing is sent or logged.
    ///
    /// Checks the subject file against the company's policy, computes the
    /// deadline the letter states, and prints the subject line, the letter
    /// and the identity-verification record (or writes them with --out),
    /// followed by the policy's preconditions as a checklist.
    ///
    /// Example: dsr render --to zendesk --kind erasure --subject examples/subject-person.toml
    Render(render::Args),
    /// Send a request by email (or to the outbox) and record it in the evidence log.
    ///
    /// Validates everything first, then stores the letter, the identity
    /// record, every attachment and the exact message bytes, logs
    /// `prepared`, sends (or writes the outbox when no [smtp] is
    /// configured) and logs the outcome. Prints the request id, the
    /// Message-ID and the deadline. Exit code 3 when delivery failed.
    ///
    /// Example: dsr send --to zendesk --kind erasure --subject examples/subject-person.toml
    Send(send::Args),
    /// List cases with their state and deadline; overdue ones first.
    ///
    /// The state is derived from the evidence log every time (there is no
    /// other store). A case is overdue only after the later reading of its
    /// receipt date (mail accepted after 18:00 or on a non-working day at
    /// the company counts as received the next working day).
    ///
    /// Filters combine: --search looks in each case's label, the subject's name, the company and
    /// the request id; --company, --kind and --state narrow further, for --json and --ics too.
    ///
    /// Example: dsr status --open --search mustermann
    Status(status::Args),
    /// Show one case: its state, deadline, every event and every stored artifact.
    ///
    /// The case is named by its id, a unique id prefix, or its label (as `dsr status` shows it);
    /// a name that fits several cases lists them.
    ///
    /// Example: dsr show r_k3q7z2m4x7w5abcd   or   dsr show "Erika Mustermann"
    Show(show::Args),
    /// Record a company's reply (.eml) and what it says; it is stored as evidence.
    ///
    /// Outcomes: acknowledged, extended (the Art. 12(3) extension: dsr
    /// computes the new deadline and warns when it came after the first
    /// month), needs-identity, confirmed, refused, partial (answered in part).
    ///
    /// Example: dsr reply r_k3q7z2m4x7w5abcd --eml answer.eml --outcome confirmed
    Reply(reply::Args),
    /// Record a message you sent yourself (own mail client, post, web form), or its receipt.
    ///
    /// dsr counts nothing as sent that it did not send until it is recorded
    /// here, with its evidence. --via email takes the copy from your Sent
    /// folder: it must be the outboxed message (same Message-ID); its text,
    /// subject, addresses and attachments are compared with what dsr wrote,
    /// and any difference is reported and recorded. Its Date is the sending
    /// time. --via post records the posting day (the deadline then runs
    /// from a presumed receipt, [post] presumed_delivery_days working days
    /// later) and, once known, the day of receipt from the Rückschein or
    /// the tracking. --via webform records the day of submission with what
    /// the form showed.
    ///
    /// Example: dsr dispatched r_k3q7z2m4x7w5abcd --via email --eml ~/Sent/request.eml
    Dispatched(dispatched::Args),
    /// Fetch replies over IMAP, file delivery reports and read receipts.
    ///
    /// Example: dsr mail sync   then   dsr mail unmatched
    Mail(mail::Args),
    /// Close a case: nothing more is expected from the company.
    ///
    /// Example: dsr close r_k3q7z2m4x7w5abcd --note "deletion confirmed by phone"
    Close(reply::CloseArgs),
    /// Send a reminder, threaded to the original request, with a short new deadline.
    ///
    /// Written from the evidence log alone (the original letter's stored
    /// context). Refused before the deadline has passed unless --force.
    ///
    /// Example: dsr remind r_k3q7z2m4x7w5abcd --days 14
    Remind(followup::RemindArgs),
    /// Send a complaint under Art. 77 GDPR to a supervisory authority.
    ///
    /// States the request, its dates and Message-IDs, the replies and what
    /// went wrong, and attaches the request, reminders and replies as
    /// evidence. For data subjects' rights (erasure, access) only.
    ///
    /// Example: dsr complain r_k3q7z2m4x7w5abcd --authority ie-dpc
    Complain(followup::ComplainArgs),
    /// Compute the Art. 12(3) GDPR deadlines for a request received on a date.
    ///
    /// The one-month deadline and the extended one (three months from receipt), counted under
    /// Reg. 1182/71: the day of receipt is not counted; the period ends on the same date of the
    /// next month (or that month's last day) and moves past Saturdays, Sundays and the public
    /// holidays of the calendar where the controller acts, plus the [[holidays]] days in dsr.toml
    /// for that calendar. Prints which days moved each deadline and why.
    ///
    /// Example: dsr deadline --received 2025-05-09 --calendar DE-NW --json
    Deadline(deadline::Args),
    /// Find, show and lint supervisory authorities (where complaints go).
    ///
    /// Example: dsr authority list --search berlin
    Authority(authority::Args),
    // The help text is log::Args's doc comment (with its example).
    Log(log::Args),
    // The help text is purge::Args's doc comment (with its example).
    Purge(purge::Args),
    /// Export one case's evidence as a folder that verifies offline, or verify such a folder.
    ///
    /// Example: dsr evidence export r_k3q7z2m4x7w5abcd --out bundle   then   dsr evidence verify bundle
    Evidence(evidence::Args),
    // The help text is completions::Args's doc comment (with its examples).
    Completions(completions::Args),
    // The help text is man::Args's doc comment (with its examples).
    Man(man::Args),
    // The help text is key::Args's doc comment (with its example).
    Key(key::Args),
}

impl Command {
    /// Whether the command may append to the evidence log, and so must end
    /// with a signed checkpoint ([`seal`]).
    fn may_append(&self) -> bool {
        matches!(
            self,
            Command::Send(_)
                | Command::Reply(_)
                | Command::Close(_)
                | Command::Dispatched(_)
                | Command::Mail(_)
                | Command::Remind(_)
                | Command::Complain(_)
                | Command::Purge(_)
                | Command::Log(log::Args { command: log::LogCommand::Repair })
        )
    }
}

/// What every command gets: the global options, where to print, and the
/// config, loaded on first use.
pub struct Ctx {
    /// The global options.
    pub global: GlobalArgs,
    /// Where output goes.
    pub out: Output,
    /// The working directory (relative paths on the command line).
    pub cwd: PathBuf,
    /// `--yes`, or `DSR_YES` set to anything but empty, `0`, `false`,
    /// `no`, `n`, `off`, `f`: confirm without asking ([`prompt::ask`]).
    pub yes: bool,
    config: OnceCell<Config>,
    data_dir: OnceCell<(PathBuf, DataDirFrom)>,
}

/// Where the data directory came from, said with `-v` and in "no request"
/// errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataDirFrom {
    /// `--data-dir` or `DSR_DATA_DIR`.
    Option,
    /// `data_dir` in the config.
    Config,
    /// Nothing was configured: the user's data directory.
    Default,
}

impl DataDirFrom {
    fn why(self) -> String {
        match self {
            DataDirFrom::Option => crate::t!("cli.ctx.dir-option"),
            DataDirFrom::Config => crate::t!("cli.ctx.dir-config"),
            DataDirFrom::Default => crate::t!("cli.ctx.dir-default"),
        }
    }
}

impl Ctx {
    /// Builds the context from parsed global options.
    pub fn new(global: GlobalArgs, cwd: PathBuf) -> Ctx {
        let out = Output { json: global.json, quiet: global.quiet, verbose: global.verbose };
        let yes = global.yes || std::env::var("DSR_YES").is_ok_and(|v| yes_value(&v));
        Ctx { global, out, cwd, yes, config: OnceCell::new(), data_dir: OnceCell::new() }
    }

    /// The configuration: the file found by [`config::find`], or the
    /// embedded defaults when there is none.
    ///
    /// # Errors
    /// The file exists but is unreadable or invalid.
    pub fn config(&self) -> Result<&Config, Error> {
        if let Some(c) = self.config.get() {
            return Ok(c);
        }
        let user_dir = directories::ProjectDirs::from("", "", "dsr").map(|d| d.config_dir().to_path_buf());
        let explicit = self.global.config.as_deref();
        let loaded = match config::find(explicit, &self.cwd, user_dir.as_deref()) {
            Some(path) => {
                let how = if explicit.is_some() { crate::t!("cli.ctx.config-explicit") } else { String::new() };
                self.out.detail(crate::t!("cli.ctx.config", path = path.display(), how = how));
                Config::load(&path)?
            }
            None => {
                let mut searched = vec![self.cwd.join(config::FILE_NAME).display().to_string()];
                searched.extend(user_dir.map(|d| d.join(config::FILE_NAME).display().to_string()));
                self.out.detail(crate::t!("cli.ctx.config-none", searched = searched.join(&crate::t!("cli.ctx.and"))));
                Config::default()
            }
        };
        Ok(self.config.get_or_init(|| loaded))
    }

    /// Where library code sends its `-v` details (the SMTP dialogue, the
    /// files it used: stderr with `-v`, nowhere otherwise or with `-q`) and
    /// its warnings (stderr, always). Hand it to every workflow that has
    /// something to report (`ops::deliver::Env::tracer`).
    pub fn tracer(&self) -> Tracer {
        Arc::new(self.out)
    }

    /// The policy catalog of the config's `policies_dir` (and the built-in
    /// policies), reporting with `-v` where the policies come from.
    ///
    /// # Errors
    /// The config is invalid, or the policy directory cannot be listed.
    pub fn catalog(&self) -> Result<Catalog, Error> {
        let dir = self.config()?.policies_dir.as_deref();
        self.out.detail(match dir {
            None => crate::t!("cli.ctx.policies-builtin"),
            Some(d) if !d.exists() => crate::t!("cli.ctx.policies-missing", dir = d.display()),
            Some(d) => crate::t!("cli.ctx.policies-dir", dir = d.display()),
        });
        let mut catalog = Catalog::new(dir)?;
        catalog.set_tracer(self.tracer());
        Ok(catalog)
    }

    /// The letter templates: built-in, with the config's `templates_dir`
    /// overriding; with `-v` it reports which user files replace built-in
    /// ones.
    ///
    /// # Errors
    /// The config is invalid, or a template cannot be read or parsed.
    pub fn renderer(&self) -> Result<Renderer, Error> {
        let dir = self.config()?.templates_dir.as_deref();
        let renderer = Renderer::new(dir)?;
        if let Some(d) = dir {
            let files: Vec<String> = renderer
                .overrides()
                .into_iter()
                .map(|p| p.strip_prefix(d).unwrap_or(p).display().to_string())
                .collect();
            self.out.detail(match files.as_slice() {
                [] => crate::t!("cli.ctx.templates-empty", dir = d.display()),
                _ => crate::t!("cli.ctx.templates-dir", files = files.join(", "), dir = d.display()),
            });
        } else {
            self.out.detail(crate::t!("cli.ctx.templates-builtin"));
        }
        Ok(renderer)
    }

    /// The signing key's file: `signing_key` in the config, else
    /// `~/.config/dsr/signing-key`.
    ///
    /// # Errors
    /// The config is invalid, or no home directory can be found.
    pub fn signing_key_path(&self) -> Result<PathBuf, Error> {
        if let Some(p) = &self.config()?.signing_key {
            return Ok(self.cwd.join(p));
        }
        directories::ProjectDirs::from("", "", "dsr")
            .map(|d| d.config_dir().join("signing-key"))
            .ok_or_else(|| Error::usage(crate::t!("cli.ctx.no-key-place"), crate::t!("cli.ctx.no-key-place-hint")))
    }

    /// The signing key, `None` if there is none yet.
    ///
    /// # Errors
    /// As [`Ctx::signing_key_path`]; the file cannot be read, is readable
    /// by others, or holds no key.
    pub fn signer(&self) -> Result<Option<crate::evidence::note::Signer>, Error> {
        Ok(crate::evidence::key::load(&self.signing_key_path()?)?)
    }

    /// The data directory: `--data-dir`, else the config's `data_dir`, else
    /// the user's data directory (`~/.local/share/dsr`).
    ///
    /// # Errors
    /// The config is invalid, or no home directory can be found.
    pub fn data_dir(&self) -> Result<PathBuf, Error> {
        if let Some((d, _)) = self.data_dir.get() {
            return Ok(d.clone());
        }
        let found = if let Some(d) = &self.global.data_dir {
            (self.cwd.join(d), DataDirFrom::Option)
        } else if let Some(d) = &self.config()?.data_dir {
            (d.clone(), DataDirFrom::Config)
        } else {
            let d = directories::ProjectDirs::from("", "", "dsr")
                .map(|d| d.data_dir().to_path_buf())
                .ok_or_else(|| Error::usage(crate::t!("cli.ctx.no-data-dir"), crate::t!("cli.ctx.no-data-dir-hint")))?;
            (d, DataDirFrom::Default)
        };
        self.out.detail(crate::t!("cli.ctx.data-dir", dir = found.0.display(), why = found.1.why()));
        Ok(self.data_dir.get_or_init(|| found).0.clone())
    }

    /// The log a "no request" error searched, and why that one, if the
    /// data directory was used.
    fn log_searched(&self) -> Option<String> {
        let (dir, from) = self.data_dir.get()?;
        let log = dir.join(crate::evidence::LOG_FILE);
        Some(match from {
            DataDirFrom::Default => format!("{} ({})", log.display(), from.why()),
            DataDirFrom::Option | DataDirFrom::Config => log.display().to_string(),
        })
    }
}

/// True for a `DSR_YES` value that means yes: anything but empty, `0`,
/// `false`, `no`, `n`, `off`, `f` (any case), as clap reads boolean
/// environment variables.
fn yes_value(v: &str) -> bool {
    !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false" | "no" | "n" | "off" | "f")
}

/// Runs one parsed command.
///
/// # Errors
/// Whatever the command reports.
pub fn run(cli: Cli) -> Result<(), Error> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(crate::t!("cli.io.cwd"), e))?;
    let ctx = Ctx::new(cli.global, cwd);
    let before = cli.command.may_append().then(|| seal::log_len(&ctx));
    let result = dispatch(&ctx, &cli.command).map_err(|e| match (e, ctx.log_searched()) {
        (Error::Case(c), Some(log)) => Error::Case(c.in_log(log)),
        (e, _) => e,
    });
    if let Some(before) = before {
        seal::after_command(&ctx, before);
    }
    result
}

fn dispatch(ctx: &Ctx, command: &Command) -> Result<(), Error> {
    match command {
        Command::Init(a) => init::exec(ctx, a),
        Command::Policy(a) => policy::exec(ctx, a),
        Command::Render(a) => render::exec(ctx, a),
        Command::Send(a) => send::exec(ctx, a),
        Command::Status(a) => status::exec(ctx, a),
        Command::Show(a) => show::exec(ctx, a),
        Command::Reply(a) => reply::exec(ctx, a),
        Command::Close(a) => reply::close(ctx, a),
        Command::Mail(a) => mail::exec(ctx, a),
        Command::Dispatched(a) => dispatched::exec(ctx, a),
        Command::Remind(a) => followup::remind(ctx, a),
        Command::Complain(a) => followup::complain(ctx, a),
        Command::Deadline(a) => deadline::exec(ctx, a),
        Command::Authority(a) => authority::exec(ctx, a),
        Command::Log(a) => log::exec(ctx, a),
        Command::Purge(a) => purge::exec(ctx, a),
        Command::Evidence(a) => evidence::exec(ctx, a),
        Command::Key(a) => key::exec(ctx, a),
        Command::Completions(a) => completions::exec(ctx, a),
        Command::Man(a) => man::exec(ctx, a),
    }
}

/// The binary's entry point: parse, run, report, exit.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The language is needed before clap parses: its help and errors are
    // written in it. `--ui-lang` is read again by clap, which rejects a
    // bad value.
    crate::i18n::set(crate::i18n::detect(ui_lang_arg(&args), |name| std::env::var(name).ok()));
    let mut matches =
        help::localized(Cli::command()).try_get_matches_from(args).unwrap_or_else(|e| clap_error::exit(e));
    let cli = Cli::from_arg_matches_mut(&mut matches).unwrap_or_else(|e| clap_error::exit(e));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// The value of `--ui-lang LANG` or `--ui-lang=LANG` before any `--`, if
/// it is a language dsr has.
fn ui_lang_arg(args: &[std::ffi::OsString]) -> Option<crate::i18n::UiLang> {
    use clap::ValueEnum as _;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        let value = match arg.as_ref() {
            "--" => return None,
            "--ui-lang" => args.next().map(|v| v.into_owned()),
            other => other.strip_prefix("--ui-lang=").map(str::to_string),
        };
        if let Some(v) = value {
            return crate::i18n::UiLang::from_str(&v, true).ok();
        }
    }
    None
}

/// Prints an error, its causes and its hint to stderr.
fn report(e: &Error) {
    output::stderr_line(format_args!("{} {e}", t!("report.error")));
    let mut source = std::error::Error::source(e);
    // `#[error(transparent)]` wrappers repeat their inner error as source:
    // skip causes whose text is already part of the message.
    let shown = e.to_string();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !shown.contains(&text) {
            output::stderr_line(format_args!("{} {text}", t!("report.caused-by")));
        }
        source = cause.source();
    }
    if let Some(hint) = e.hint() {
        output::stderr_line(format_args!("{} {hint}", t!("report.help")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn ui_lang_is_found_before_clap_parses() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        use crate::i18n::UiLang;
        assert_eq!(ui_lang_arg(&args(&["dsr", "status", "--ui-lang", "de"])), Some(UiLang::De));
        assert_eq!(ui_lang_arg(&args(&["dsr", "--ui-lang=en", "status"])), Some(UiLang::En));
        assert_eq!(ui_lang_arg(&args(&["dsr", "--ui-lang", "fr"])), None);
        assert_eq!(ui_lang_arg(&args(&["dsr", "reply", "--", "--ui-lang", "de"])), None);
        assert_eq!(ui_lang_arg(&args(&["dsr", "status"])), None);
    }

    #[test]
    fn dsr_yes_is_read_like_a_boolean_flag() {
        for v in ["1", "yes", "true", "Y", "on"] {
            assert!(yes_value(v), "{v:?}");
        }
        for v in ["", "0", "false", "NO", "n", "off", "f", " 0 "] {
            assert!(!yes_value(v), "{v:?}");
        }
    }
}
