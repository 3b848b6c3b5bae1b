//! `dsr init`: write a commented `dsr.toml` to start from, with the
//! signer's own details (asked on a terminal, or given as options), and
//! on request the user guide's example subject files.

use super::Ctx;
use crate::t;
use crate::{Error, config};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Write a commented dsr.toml to start from, and the log's signing key.
///
/// The dsr.toml holds the sender, data dir, language and calendar, with
/// SMTP commented out, so mail goes to the outbox until you configure it.
/// The key that signs the evidence log's checkpoints is made if there is
/// none (as `dsr key new` does).
///
/// On a terminal dsr asks for the signer's name, role, organisation,
/// postal address and email (or takes them from --signer-*; without a
/// terminal, name and email must both be given). Without any of them the
/// [sender] is a fictional example, marked `example = true`:
/// sending refuses it until you put in your own details and delete that
/// line. --examples DIR writes the user guide's example subject files
/// instead (acme.toml, agent-erika.toml).
///
/// Example: dsr init --signer-name "Erika Mustermann" --signer-email datenschutz@example.org
///
/// Example: dsr init --examples subjects
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the file [default: the --config path, else ./dsr.toml].
    #[arg(long, value_name = "FILE")]
    pub path: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    /// The name of the person who signs the letters.
    #[arg(long, value_name = "NAME")]
    pub signer_name: Option<String>,
    /// The signer's role, e.g. "Datenschutzbeauftragte" (empty: none).
    #[arg(long, value_name = "ROLE")]
    pub signer_role: Option<String>,
    /// The organisation the signer acts for (empty: writing for yourself).
    #[arg(long, value_name = "NAME")]
    pub signer_organisation: Option<String>,
    /// The signer's postal address, one line per use (the return address of letters by post).
    #[arg(long, value_name = "LINE")]
    pub signer_address: Vec<String>,
    /// The address requests are sent from; replies come back to it.
    #[arg(long, value_name = "EMAIL")]
    pub signer_email: Option<String>,
    /// Write the user guide's example subject files (acme.toml: an
    /// organisation instructing its processor; agent-erika.toml: a person
    /// asking for erasure) into DIR; nothing else is written.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["path", "signer_name", "signer_role", "signer_organisation", "signer_address", "signer_email"])]
    pub examples: Option<PathBuf>,
}

/// The guide's example subject files: name and content, embedded so that
/// they exist after `cargo install`.
const EXAMPLES: [(&str, &str, &str); 2] = [
    ("acme.toml", "examples/subject-org.toml", include_str!("../../examples/subject-org.toml")),
    ("agent-erika.toml", "examples/subject-person.toml", include_str!("../../examples/subject-person.toml")),
];

/// The signer's details, as far as given.
#[derive(Debug, Default)]
struct Signer {
    name: Option<String>,
    role: Option<String>,
    organisation: Option<String>,
    address: Vec<String>,
    email: Option<String>,
}

impl Signer {
    fn complete(&self) -> bool {
        self.name.is_some() && self.email.is_some()
    }
}

pub(super) fn exec(ctx: &Ctx, args: &Args) -> Result<(), Error> {
    if let Some(dir) = &args.examples {
        // `components()` drops the `.` of `--examples .`, so that paths read
        // /home/me/acme.toml, not /home/me/./acme.toml.
        let dir: PathBuf = ctx.cwd.join(dir).components().collect();
        return examples(ctx, &dir, args.force);
    }
    let path =
        args.path.clone().or_else(|| ctx.global.config.clone()).unwrap_or_else(|| ctx.cwd.join(config::FILE_NAME));
    if path.exists() && !args.force {
        return Err(exists(&path));
    }
    let given = |o: &Option<String>| o.as_ref().map(|s| s.trim().to_string());
    let mut signer = Signer {
        name: given(&args.signer_name).filter(|s| !s.is_empty()),
        role: given(&args.signer_role),
        organisation: given(&args.signer_organisation),
        address: args.signer_address.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect(),
        email: given(&args.signer_email).filter(|s| !s.is_empty()),
    };
    let asked = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if asked {
        ask(&mut signer, args.signer_address.is_empty())?;
    } else if let Some(e) = incomplete(args, &signer) {
        return Err(e);
    }
    let text = config_text(&signer);
    // What is written must load: a bad email is refused here, by its option.
    config::Config::parse(&path, &text).map_err(|e| match e {
        config::Error::Invalid { field, message, .. } => {
            Error::usage(format!("{}: {message}", option_of(&field)), crate::t!("input.init.signer-hint"))
        }
        other => other.into(),
    })?;
    write_new(&path, text.as_bytes(), args.force)?;
    let keyed = ctx.signing_key_path().and_then(|key_path| {
        let made = match crate::evidence::key::load(&key_path)? {
            Some(_) => None,
            None => Some(crate::evidence::key::create(&key_path, "dsr", ctx.data_dir().ok().as_deref())?),
        };
        Ok((key_path, made))
    });
    // The config is written: a key that cannot be made is a warning, and
    // `dsr key new` can make it later.
    let (key_path, made) = match keyed {
        Ok(k) => k,
        Err(e) => {
            ctx.out.warn(t!("init.no-key", error = e));
            if ctx.out.json {
                let written = super::output::json_path(&path)?;
                return ctx.out.json(&serde_json::json!({ "written": written, "example_sender": !signer.complete() }));
            }
            ctx.out.line(t!("render.wrote", file = path.display()))?;
            return next_steps(ctx, &signer);
        }
    };
    if ctx.out.json {
        let key = made.as_ref().map(|s| s.verifier().to_string());
        let (written, signing_key) = (super::output::json_path(&path)?, super::output::json_path(&key_path)?);
        return ctx.out.json(&serde_json::json!({
            "written": written,
            "example_sender": !signer.complete(),
            "signing_key": signing_key,
            "new_key": key,
        }));
    }
    ctx.out.line(t!("render.wrote", file = path.display()))?;
    match &made {
        Some(signer) => {
            ctx.out.line(t!("init.made-key", file = key_path.display()))?;
            ctx.out.line(t!("init.public-key", key = signer.verifier()))?;
        }
        None => ctx.out.note(t!("init.kept-key", file = key_path.display())),
    }
    next_steps(ctx, &signer)
}

/// Some `--signer-*` options given, but not both name and email, with no
/// terminal to ask for the rest: refused, rather than writing the example
/// sender over what the user gave.
fn incomplete(args: &Args, signer: &Signer) -> Option<Error> {
    let any = signer.name.is_some()
        || signer.email.is_some()
        || args.signer_role.is_some()
        || args.signer_organisation.is_some()
        || !args.signer_address.is_empty();
    if !any || signer.complete() {
        return None;
    }
    let given = [
        ("--signer-name", signer.name.is_some()),
        ("--signer-role", args.signer_role.is_some()),
        ("--signer-organisation", args.signer_organisation.is_some()),
        ("--signer-address", !args.signer_address.is_empty()),
        ("--signer-email", signer.email.is_some()),
    ];
    let given: Vec<&str> = given.iter().filter(|(_, g)| *g).map(|(o, _)| *o).collect();
    let missing: Vec<&str> = [("--signer-name", signer.name.is_none()), ("--signer-email", signer.email.is_none())]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(o, _)| *o)
        .collect();
    let missing = missing.join(&t!("cli.ctx.and"));
    Some(Error::usage(
        t!("input.init.signer-incomplete", given = given.join(", "), missing = missing),
        t!("input.init.signer-incomplete-hint", missing = missing),
    ))
}

fn next_steps(ctx: &Ctx, signer: &Signer) -> Result<(), Error> {
    if signer.complete() {
        ctx.out.note(t!("init.next"));
    } else {
        ctx.out.note(t!("init.example-sender"));
    }
    Ok(())
}

/// The `--signer-*` option a config key came from.
/// A path as a JSON value: [`Error::Json`] for one that is not UTF-8
/// (`serde_json::json!` would panic on it).
fn option_of(field: &str) -> String {
    match field.strip_prefix("sender.") {
        Some(k) => format!("--signer-{k}"),
        None => field.to_string(),
    }
}

fn exists(path: &Path) -> Error {
    Error::usage(crate::t!("init.exists", path = path.display()), crate::t!("init.exists-hint"))
}

/// Writes `bytes` to a new file (or over one with `force`), synced.
fn write_new(path: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists(path)
        } else {
            Error::io(t!("cli.io.create", path = path.display()), e)
        }
    })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(t!("cli.io.writing", path = path.display()), e))
}

/// Asks on the terminal for each detail not given as an option; an empty
/// answer leaves it out (name and email: the example stays).
fn ask(signer: &mut Signer, address: bool) -> Result<(), Error> {
    let io = |e| Error::io(t!("cli.io.asking"), e);
    let mut err = std::io::stderr().lock();
    writeln!(err, "{}", t!("init.ask-who")).map_err(io)?;
    drop(err);
    let question = |prompt: &str| -> Result<String, Error> {
        let mut err = std::io::stderr().lock();
        write!(err, "{prompt}: ").map_err(io)?;
        err.flush().map_err(io)?;
        drop(err);
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::io(t!("cli.io.answer"), e))?;
        Ok(answer.trim().to_string())
    };
    let some = |s: String| Some(s).filter(|s| !s.is_empty());
    if signer.name.is_none() {
        signer.name = some(question(&t!("init.ask-name"))?);
    }
    if signer.role.is_none() {
        signer.role = Some(question(&t!("init.ask-role"))?);
    }
    if signer.organisation.is_none() {
        signer.organisation = Some(question(&t!("init.ask-organisation"))?);
    }
    if address {
        let line = question(&t!("init.ask-address"))?;
        signer.address = line.split(';').map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    }
    if signer.email.is_none() {
        signer.email = some(question(&t!("init.ask-email"))?);
    }
    Ok(())
}

/// The config template with the signer's details in place of the
/// example's, or, without name and email, the example marked
/// [`config::INIT_MARKER`].
fn config_text(signer: &Signer) -> String {
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::with_capacity(config::TEMPLATE.len() + 200);
    let mut in_sender = false;
    for line in config::TEMPLATE.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_sender = t.starts_with("[sender]");
            out.push_str(line);
            out.push('\n');
            if in_sender && !signer.complete() {
                out.push_str(config::INIT_MARKER);
                out.push('\n');
            }
            continue;
        }
        let key = t.split_once('=').map(|(k, _)| k.trim());
        let replaced = match (in_sender && signer.complete(), key) {
            (true, Some("name")) => signer.name.as_deref().map(|v| format!("name = {}", quoted(v))),
            (true, Some("email")) => signer.email.as_deref().map(|v| format!("email = {}", quoted(v))),
            (true, Some(k @ ("role" | "organisation"))) => {
                let v = if k == "role" { &signer.role } else { &signer.organisation };
                Some(match v.as_deref() {
                    Some(v) if !v.is_empty() => format!("{k} = {}", quoted(v)),
                    _ => format!("# {line}"),
                })
            }
            (true, Some("address")) if signer.address.is_empty() => Some(format!("# {line}")),
            (true, Some("address")) => {
                let lines: Vec<String> = signer.address.iter().map(|l| quoted(l)).collect();
                Some(format!("address = [{}]", lines.join(", ")))
            }
            _ => None,
        };
        out.push_str(replaced.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Writes the example subject files into `dir`.
fn examples(ctx: &Ctx, dir: &Path, force: bool) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(t!("cli.io.create", path = dir.display()), e))?;
    // All or nothing: an existing file is reported before any is written.
    if !force && let Some(p) = EXAMPLES.iter().map(|(n, _, _)| dir.join(n)).find(|p| p.exists()) {
        return Err(exists(&p));
    }
    let mut written = Vec::new();
    for (name, origin, text) in EXAMPLES {
        let path = dir.join(name);
        write_new(&path, text.replace(origin, name).as_bytes(), force)?;
        written.push(path);
    }
    if ctx.out.json {
        let written = written.iter().map(|p| super::output::json_path(p)).collect::<Result<Vec<_>, _>>()?;
        return ctx.out.json(&serde_json::json!({ "written": written }));
    }
    for p in &written {
        ctx.out.line(t!("render.wrote", file = p.display()))?;
    }
    let subject = written.get(1).map(|p| p.display().to_string()).unwrap_or_default();
    ctx.out.note(t!("init.next-examples", subject = subject));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_marked_and_the_signers_details_replace_it() {
        let example = config_text(&Signer::default());
        let c = config::Config::parse(Path::new("dsr.toml"), &example).unwrap();
        assert!(c.example_sender);
        assert_eq!(c.sender().unwrap().name, "Dr. Anna Beispiel");
        let own = config_text(&Signer {
            name: Some("Max \"Maxi\" Muster".into()),
            role: Some(String::new()),
            organisation: Some("Muster AG".into()),
            address: vec!["Weg 1".into(), "12345 Ort".into()],
            email: Some("max@muster.example".into()),
        });
        let c = config::Config::parse(Path::new("dsr.toml"), &own).unwrap();
        assert!(!c.example_sender);
        let s = c.sender().unwrap();
        assert_eq!(
            (s.name.as_str(), s.role.as_deref(), s.organisation.as_deref(), s.email.as_str()),
            ("Max \"Maxi\" Muster", None, Some("Muster AG"), "max@muster.example")
        );
        assert_eq!(s.address, ["Weg 1", "12345 Ort"]);
        assert!(!own.contains("Beispiel Handels GmbH\"\nrole"), "{own}");
        assert!(!config::TEMPLATE.contains("example = true"), "the repository's example config is not marked");
    }
}
