//! Letters: handlebars templates rendered from plain data.
//!
//! A [`Renderer`] holds every template of every language: the built-in set
//! under `templates/<lang>/` (embedded in the binary by `embedded.rs`),
//! each file optionally replaced by a file of the same relative path in a
//! user directory. [`Renderer::render`] turns a [`LetterContext`] into a
//! [`Letter`]: a one-line subject and a plain-text body.
//!
//! Rules (DESIGN §4, research/rust-stack.md §2):
//! - **No HTML escaping**: a plain-text mail keeps `Müller & Söhne <x@y>`.
//! - **Strict mode**: a variable that does not exist is an error naming
//!   file, line, column and variable. Handlebars' own `{{#if}}` and
//!   `{{#unless}}` are exempt from strict mode, so dsr replaces them with
//!   versions that fail on a missing path too (a `null` value is present,
//!   and simply false).
//! - Helpers `{{date x}}`, `{{deadline x}}`, `{{bytes n}}` format in the
//!   context's `lang` ([`locale`]).
//! - The body is tidied after rendering ([`tidy`]): trailing spaces go,
//!   runs of blank lines become one, it ends in exactly one newline. So
//!   templates may use plain `{{#if}}` lines without whitespace control.
//!
//! Template names inside a language are the file's path below
//! `templates/<lang>/` without `.hbs`: `erasure`, `erasure.subject`,
//! `identity-verification`, `partials/signature`.

pub mod context;
mod embedded;
mod inline;
pub mod locale;
pub mod wrap;

#[cfg(test)]
pub(crate) mod golden_tests;

pub use context::{
    Access, Capacity, Complaint, Conduct, DataSubject, DeliveryRecord, Erasure, ErasureGround, EvidenceItem, Extension,
    Failure, Gender, Identifier, IdentityRecordRef, LetterContext, LetterKind, Mandate, Objection, Party, Period,
    Portability, ProcessorDeletion, Recipient, Rectification, Reminder, ReplySummary, Restriction, Sender, SentMessage,
    UnknownKind,
};

use crate::exit::ExitKind;
use crate::file;
use crate::lang::Lang;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonTruthy, Output, RenderContext, RenderError,
    RenderErrorReason, Renderable, TemplateError,
};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// Why a letter could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A letter kind name was not recognised.
    #[error(transparent)]
    UnknownKind(#[from] UnknownKind),
    /// A template does not parse.
    #[error("{}", crate::t!("letter.error.syntax", at = at, reason = reason))]
    Syntax {
        /// Where.
        at: Location,
        /// The parser's reason.
        reason: String,
    },
    /// A template uses a variable the context does not have.
    #[error("{}", crate::t!("letter.error.missing-variable", at = at, variable = variable))]
    MissingVariable {
        /// Where.
        at: Location,
        /// The variable's path as written in the template.
        variable: String,
    },
    /// Rendering failed otherwise (a missing partial, a helper given a
    /// value it cannot format).
    #[error("{at}: {reason}")]
    Render {
        /// Where.
        at: Location,
        /// What went wrong.
        reason: String,
    },
    /// The rendered subject line has a line break.
    #[error("{}", crate::t!("letter.error.multiline-subject", at = at))]
    MultilineSubject {
        /// The subject template.
        at: Location,
    },
    /// The context does not fit the letter kind.
    #[error("{}", crate::t!("letter.error.context", field = field, message = message))]
    Context {
        /// Dotted field, e.g. `erasure` or `data_subject.mandate`.
        field: String,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: String,
    },
    /// A template file in the user directory could not be read.
    #[error(transparent)]
    File(#[from] file::Error),
    /// The user template directory could not be listed.
    #[error("{}", crate::t!("letter.error.dir", path = path.display(), reason = source))]
    Dir {
        /// The directory.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The user template directory has a subdirectory that is no language.
    #[error("{}", crate::t!("letter.error.unknown-lang-dir", path = path.display()))]
    UnknownLangDir {
        /// The subdirectory.
        path: PathBuf,
    },
}

impl Error {
    /// The exit code class: bad input (a template, kind or value the user gave).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        let builtin = |at: &Location| at.builtin;
        match self {
            Error::UnknownKind(_) => Some(crate::t!("letter.error.unknown-kind-hint")),
            Error::Syntax { at, .. } if builtin(at) => Some(bug()),
            Error::Syntax { .. } => Some(crate::t!("letter.error.syntax-hint")),
            Error::MissingVariable { at, .. } if builtin(at) => Some(bug()),
            Error::MissingVariable { .. } => Some(crate::t!("letter.error.missing-variable-hint")),
            Error::Render { at, .. } if builtin(at) => Some(bug()),
            Error::Render { .. } => Some(crate::t!("letter.error.render-hint")),
            Error::MultilineSubject { .. } => Some(crate::t!("letter.error.multiline-subject-hint")),
            Error::Context { hint, .. } => Some(hint.clone()),
            Error::File(e) => e.hint(),
            Error::Dir { .. } => Some(crate::t!("letter.error.dir-hint")),
            Error::UnknownLangDir { .. } => Some(crate::t!("letter.error.unknown-lang-dir-hint")),
        }
    }
}

/// The hint for an error in one of dsr's own templates.
fn bug() -> String {
    crate::t!("letter.error.bug")
}

/// A place in a template file: the file, and line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// `templates/<lang>/<name>.hbs` for a built-in template, the full
    /// path for a user's.
    pub file: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// Whether the file is one of dsr's built-in templates.
    pub builtin: bool,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// A rendered letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The email subject, one line.
    pub subject: String,
    /// The plain-text body, ending in one newline.
    pub body: String,
}

/// Where a registered template came from.
#[derive(Debug, Clone)]
enum Origin {
    Builtin,
    User(PathBuf),
}

/// All templates of all languages, ready to render. See the module docs.
pub struct Renderer {
    registries: BTreeMap<Lang, Handlebars<'static>>,
    origins: BTreeMap<(Lang, String), Origin>,
    /// Templates registered with their partials copied in ([`inline`]):
    /// where each line of the registered text came from.
    expanded: BTreeMap<(Lang, String), inline::LineMap>,
}

impl fmt::Debug for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Renderer").field("overrides", &self.overrides()).finish()
    }
}

impl Renderer {
    /// The built-in templates, with files from `user_dir` (laid out as
    /// `<user_dir>/<lang>/<name>.hbs`) replacing those of the same path.
    /// A user file with a new name is registered too (e.g. a partial that
    /// an override uses).
    ///
    /// # Errors
    /// The user directory cannot be read or has a subdirectory other than
    /// `de`/`en`; a template file cannot be read; a template (built-in or
    /// user) has a syntax error.
    pub fn new(user_dir: Option<&Path>) -> Result<Renderer, Error> {
        let mut sources: BTreeMap<(Lang, String), (Origin, String)> = BTreeMap::new();
        for (path, text) in embedded::FILES {
            let Some((lang, name)) = split_builtin(path) else { continue };
            sources.insert((lang, name), (Origin::Builtin, (*text).to_string()));
        }
        if let Some(dir) = user_dir {
            for (lang, name, path) in list_user_dir(dir)? {
                let text = file::read_text(&path, file::Limit::TEXT)?;
                sources.insert((lang, name), (Origin::User(path), text));
            }
        }
        let mut registries = BTreeMap::new();
        for lang in Lang::ALL {
            registries.insert(lang, new_registry());
        }
        let mut origins = BTreeMap::new();
        for ((lang, name), (origin, text)) in &sources {
            let hb = registries.get_mut(lang).expect("a registry exists for every language");
            if let Err(e) = hb.register_template_string(name, text) {
                return Err(syntax_error(&e, location(*lang, name, origin)));
            }
            origins.insert((*lang, name.clone()), origin.clone());
        }
        // Every file parsed on its own above (so syntax errors name it);
        // now the templates that use partials are registered again with
        // standalone partial lines copied in.
        let mut expanded = BTreeMap::new();
        for ((lang, name), (_, text)) in &sources {
            let partial = |p: &str| sources.get(&(*lang, p.to_string())).map(|(_, t)| t.as_str());
            let Some((text, map)) = inline::expand(name, text, &partial) else { continue };
            let hb = registries.get_mut(lang).expect("a registry exists for every language");
            // Each file parsed alone; a combination that does not (a block
            // opened in one file and closed in another) fails to compile
            // and leaves the registration above, with handlebars' partials.
            if hb.register_template_string(name, &text).is_ok() {
                expanded.insert((*lang, name.clone()), map);
            }
        }
        Ok(Renderer { registries, origins, expanded })
    }

    /// The user files that replaced or added templates, in a stable order.
    pub fn overrides(&self) -> Vec<&Path> {
        self.origins
            .values()
            .filter_map(|o| match o {
                Origin::User(p) => Some(p.as_path()),
                Origin::Builtin => None,
            })
            .collect()
    }

    /// Renders the letter `ctx.kind` in `ctx.lang`: the subject from
    /// `<kind>.subject`, the body from `<kind>`.
    ///
    /// # Errors
    /// [`Error::Context`] when the context does not fit the kind (its
    /// block is missing, the capacity is wrong for it, a representative
    /// without mandate); a missing variable or other render error naming
    /// file, line and column; a subject with a line break.
    pub fn render(&self, ctx: &LetterContext) -> Result<Letter, Error> {
        validate(ctx)?;
        let data = template_data(ctx)?;
        let subject_name = format!("{}.subject", ctx.kind.name());
        let subject = self.render_template(ctx.lang, &subject_name, &data)?;
        let subject = subject.trim().to_string();
        if subject.contains(['\n', '\r']) {
            let origin = self.origin(ctx.lang, &subject_name);
            return Err(Error::MultilineSubject { at: location(ctx.lang, &subject_name, &origin) });
        }
        // No line break after "am", inside "einen Antrag", a date or a
        // citation (issue 16, point 15): the templates are wrapped by hand
        // and the values in them vary in length.
        let body = wrap::keep_together(&tidy(&self.render_template(ctx.lang, ctx.kind.name(), &data)?), wrap::WIDTH);
        Ok(Letter { subject, body })
    }

    /// Renders one template by name (`identity-verification`, …) in `lang`.
    /// `data` must have a `lang` field for the date helpers.
    ///
    /// # Errors
    /// A missing variable or other render error naming file, line, column.
    pub fn render_template<T: Serialize>(&self, lang: Lang, name: &str, data: &T) -> Result<String, Error> {
        let hb = self.registries.get(&lang).expect("a registry exists for every language");
        if !hb.has_template(name) {
            return Err(Error::Render {
                at: Location { file: format!("templates/{lang}/{name}.hbs"), line: None, column: None, builtin: true },
                reason: crate::t!("letter.error.no-such-template"),
            });
        }
        hb.render(name, data).map_err(|e| self.render_error(lang, name, &e))
    }

    fn origin(&self, lang: Lang, name: &str) -> Origin {
        self.origins.get(&(lang, name.to_string())).cloned().unwrap_or(Origin::Builtin)
    }

    fn render_error(&self, lang: Lang, top: &str, e: &RenderError) -> Error {
        let mut name = e.template_name.clone().unwrap_or_else(|| top.to_string());
        let mut line = e.line_no;
        // A line of an expanded template: back to the file it was written in.
        if let (Some(map), Some(l)) = (self.expanded.get(&(lang, name.clone())), line)
            && let Some((file, l)) = map.origin(l)
        {
            (name, line) = (file.to_string(), Some(l));
        }
        let mut at = location(lang, &name, &self.origin(lang, &name));
        at.line = line;
        at.column = e.column_no;
        match e.reason() {
            RenderErrorReason::MissingVariable(v) => {
                Error::MissingVariable { at, variable: v.clone().unwrap_or_else(|| "?".into()) }
            }
            RenderErrorReason::TemplateError(t) => syntax_error(t, at),
            other => Error::Render { at, reason: other.to_string() },
        }
    }
}

fn new_registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("if", Box::new(StrictIf { positive: true }));
    hb.register_helper("unless", Box::new(StrictIf { positive: false }));
    hb.register_helper("date", Box::new(locale::DATE));
    hb.register_helper("deadline", Box::new(locale::DEADLINE));
    hb.register_helper("bytes", Box::new(locale::BYTES));
    hb.register_helper("wrap", Box::new(wrap::WrapHelper));
    hb.register_helper("org", Box::new(locale::ORG));
    hb
}

/// `de/partials/x.hbs` → (De, `partials/x`).
fn split_builtin(path: &str) -> Option<(Lang, String)> {
    let (lang, rest) = path.split_once('/')?;
    let lang = lang.parse().ok()?;
    Some((lang, rest.strip_suffix(".hbs")?.to_string()))
}

fn location(lang: Lang, name: &str, origin: &Origin) -> Location {
    match origin {
        Origin::Builtin => {
            Location { file: format!("templates/{lang}/{name}.hbs"), line: None, column: None, builtin: true }
        }
        Origin::User(p) => Location { file: p.display().to_string(), line: None, column: None, builtin: false },
    }
}

fn syntax_error(e: &TemplateError, mut at: Location) -> Error {
    if let Some((line, col)) = e.pos() {
        at.line = Some(line);
        at.column = Some(col);
    }
    Error::Syntax { at, reason: e.reason().to_string() }
}

/// Every `*.hbs` file below `<dir>/<lang>/`, as (lang, name, path).
fn list_user_dir(dir: &Path) -> Result<Vec<(Lang, String, PathBuf)>, Error> {
    let read = |p: &Path| fs::read_dir(p).map_err(|source| Error::Dir { path: p.to_path_buf(), source });
    let mut out = Vec::new();
    for entry in read(dir)? {
        let entry = entry.map_err(|source| Error::Dir { path: dir.to_path_buf(), source })?;
        let path = entry.path();
        let fname = entry.file_name().to_string_lossy().to_string();
        if fname.starts_with('.') || !path.is_dir() {
            continue;
        }
        let lang: Lang = fname.parse().map_err(|_| Error::UnknownLangDir { path: path.clone() })?;
        let mut stack = vec![path];
        while let Some(d) = stack.pop() {
            for entry in read(&d)? {
                let entry = entry.map_err(|source| Error::Dir { path: d.clone(), source })?;
                let p = entry.path();
                let fname = entry.file_name().to_string_lossy().to_string();
                if fname.starts_with('.') {
                    continue;
                }
                if p.is_dir() {
                    stack.push(p);
                } else if let Some(stem) = fname.strip_suffix(".hbs") {
                    let rel_dir = d.strip_prefix(dir.join(lang.code())).unwrap_or(Path::new(""));
                    let mut name: Vec<String> =
                        rel_dir.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
                    name.push(stem.to_string());
                    out.push((lang, name.join("/"), p));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `{{#if}}` / `{{#unless}}` that, unlike handlebars' own, fail in strict
/// mode when the tested path does not exist.
#[derive(Clone, Copy)]
struct StrictIf {
    positive: bool,
}

impl HelperDef for StrictIf {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = if self.positive { "if" } else { "unless" };
        let param = h.param(0).ok_or(RenderErrorReason::ParamNotFoundForIndex(name, 0))?;
        if param.is_value_missing() {
            return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
        }
        let truthy = param.value().is_truthy(false) == self.positive;
        match if truthy { h.template() } else { h.inverse() } {
            Some(t) => t.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

/// Checks that the context fits its kind (LEGAL.md §1: roles never mix).
fn validate(ctx: &LetterContext) -> Result<(), Error> {
    let fail = |field: &str, message: String, hint: String| Err(Error::Context { field: field.into(), message, hint });
    let kind = ctx.kind;
    let present = match kind {
        LetterKind::Erasure => ctx.erasure.is_some(),
        LetterKind::Access => ctx.access.is_some(),
        LetterKind::ProcessorDeletion => ctx.processor_deletion.is_some(),
        LetterKind::Reminder => ctx.reminder.is_some(),
        LetterKind::Complaint => ctx.complaint.is_some(),
        LetterKind::Rectification => ctx.rectification.is_some(),
        LetterKind::Objection => ctx.objection.is_some(),
        LetterKind::Restriction => ctx.restriction.is_some(),
        LetterKind::Portability => ctx.portability.is_some(),
    };
    if !present {
        return fail(
            kind.key(),
            crate::t!("letter.context.block-missing", kind = kind),
            crate::t!("letter.context.block-missing-hint"),
        );
    }
    let subject_rights = || crate::t!("letter.context.subject-rights");
    let want_processor = match kind {
        LetterKind::ProcessorDeletion => true,
        LetterKind::Reminder => {
            let original = ctx.reminder.as_ref().map(|r| r.original_kind);
            match original {
                Some(LetterKind::ProcessorDeletion) => true,
                Some(k) if k.is_data_subject_right() => false,
                Some(other) => {
                    return fail(
                        "reminder.original_kind",
                        crate::t!("letter.context.cannot-remind", kind = other),
                        crate::t!("letter.context.cannot-remind-hint"),
                    );
                }
                None => false,
            }
        }
        _ => false,
    };
    let is_processor = ctx.capacity == Capacity::ControllerToProcessor;
    if want_processor != is_processor {
        let (msg, hint) = if want_processor {
            (
                crate::t!("letter.context.needs-processor-capacity"),
                crate::t!("letter.context.needs-processor-capacity-hint"),
            )
        } else {
            (crate::t!("letter.context.not-processor-capacity", kind = kind), subject_rights())
        };
        return fail("capacity", msg, hint);
    }
    if ctx.capacity == Capacity::Representative {
        let ds = ctx.data_subject.as_ref();
        if ds.and_then(|d| d.name.as_ref()).is_none() {
            return fail(
                "data_subject.name",
                crate::t!("letter.context.representative-name"),
                crate::t!("letter.context.representative-name-hint"),
            );
        }
        if ds.and_then(|d| d.mandate.as_ref()).is_none() {
            return fail(
                "data_subject.mandate",
                crate::t!("letter.context.representative-mandate"),
                crate::t!("letter.context.representative-mandate-hint"),
            );
        }
    }
    if let Some(pd) = ctx.processor_deletion.as_ref().filter(|_| kind == LetterKind::ProcessorDeletion)
        && pd.contract.is_none()
        && pd.account.is_none()
        && pd.subdomain.is_none()
    {
        return fail(
            "processor_deletion",
            crate::t!("letter.context.processor-unnamed"),
            crate::t!("letter.context.processor-unnamed-hint"),
        );
    }
    if let Some(c) = ctx.complaint.as_ref().filter(|_| kind == LetterKind::Complaint)
        && !c.request_kind.is_data_subject_right()
    {
        return fail(
            "complaint.request_kind",
            crate::t!("letter.context.complaint-kind", kind = c.request_kind),
            subject_rights(),
        );
    }
    Ok(())
}

/// The context as JSON plus derived flags the templates branch on
/// (handlebars cannot compare strings without helpers, and a misspelt flag
/// fails in strict mode where a misspelt string comparison would not):
/// `capacity_is.*`, `sender_party`, `id_document_included`, `erasure.ground.*` (with the default
/// grounds filled in), `reminder.original_is.*`, `complaint.request_is.*`,
/// `complaint.what_went_wrong_is.*`. Documented in docs/templates.md.
fn template_data(ctx: &LetterContext) -> Result<Value, Error> {
    let mut v = serde_json::to_value(ctx).map_err(|e| Error::Context {
        field: "(all)".into(),
        message: crate::t!("letter.context.serialize", reason = e),
        hint: bug(),
    })?;
    let Some(root) = v.as_object_mut() else { return Ok(v) };
    let flags = |names: &[&str], on: &str| -> Value {
        Value::Object(names.iter().map(|n| (n.to_string(), Value::Bool(*n == on))).collect::<Map<_, _>>())
    };
    root.insert(
        "capacity_is".into(),
        flags(&["data_subject", "representative", "controller_to_processor"], ctx.capacity.name()),
    );
    let id_doc = ctx.identity_record.as_ref().is_some_and(|r| r.id_document_included);
    root.insert("id_document_included".into(), json!(id_doc));
    root.insert("sender_party".into(), json!(ctx.sender.organisation.as_deref().unwrap_or(&ctx.sender.name)));
    let request_kinds: Vec<&str> = LetterKind::ALL.iter().filter(|k| k.is_initial()).map(|k| k.key()).collect();
    let request_kinds = request_kinds.as_slice();
    let gender = ctx.gender.map_or("neutral", |g| match g {
        context::Gender::Female => "female",
        context::Gender::Male => "male",
    });
    root.insert("gender_is".into(), flags(&["female", "male", "neutral"], gender));
    // The kind of request a letter is about: its own for a request, the
    // original's for a reminder or complaint.
    let request_kind = match (&ctx.reminder, &ctx.complaint) {
        (Some(r), _) if ctx.kind == LetterKind::Reminder => r.original_kind,
        (_, Some(c)) if ctx.kind == LetterKind::Complaint => c.request_kind,
        _ => ctx.kind,
    };
    root.insert("request_is".into(), flags(request_kinds, request_kind.key()));
    // Identifiers that name an account or a customer relationship, beyond
    // the person's name and contact details: without one, the letter asks
    // about "the data you hold about me", not about an account.
    let personal = ["name", "email", "postal_address", "birth_date", "phone"];
    let account = ctx.identifiers.iter().any(|i| !personal.contains(&i.key.as_str()));
    root.insert("identifiers_name_an_account".into(), json!(account));
    root.insert("account_email_given".into(), json!(ctx.identifiers.iter().any(|i| i.key == "account_email")));
    if let (Some(e), Some(obj)) = (&ctx.erasure, root.get_mut("erasure").and_then(Value::as_object_mut)) {
        let grounds: Vec<ErasureGround> =
            if e.grounds.is_empty() { ErasureGround::DEFAULT.to_vec() } else { e.grounds.clone() };
        obj.insert("grounds".into(), json!(grounds));
        let set: Map<String, Value> =
            ErasureGround::ALL.iter().map(|g| (g.letter().to_string(), json!(grounds.contains(g)))).collect();
        obj.insert("ground".into(), Value::Object(set));
    }
    if let (Some(r), Some(obj)) = (&ctx.restriction, root.get_mut("restriction").and_then(Value::as_object_mut)) {
        let set: Map<String, Value> = [ErasureGround::A, ErasureGround::B, ErasureGround::C, ErasureGround::D]
            .iter()
            .map(|g| (g.letter().to_string(), json!(r.grounds.contains(g))))
            .collect();
        obj.insert("ground".into(), Value::Object(set));
    }
    if let (Some(r), Some(obj)) = (&ctx.reminder, root.get_mut("reminder").and_then(Value::as_object_mut)) {
        obj.insert("original_is".into(), flags(request_kinds, r.original_kind.key()));
    }
    if let (Some(c), Some(obj)) = (&ctx.complaint, root.get_mut("complaint").and_then(Value::as_object_mut)) {
        obj.insert("request_is".into(), flags(request_kinds, c.request_kind.key()));
        let names: Vec<&str> = Failure::ALL.iter().map(|f| f.name()).collect();
        obj.insert("what_went_wrong_is".into(), flags(&names, c.what_went_wrong.name()));
    }
    Ok(v)
}

/// Tidies a rendered body: no trailing whitespace on any line, no leading
/// blank lines, at most one blank line in a row, exactly one final newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if blank_run > 0 && !out.is_empty() {
            out.push('\n');
        }
        blank_run = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
