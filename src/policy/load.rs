//! Finding policies: built into the binary, or in the user's directory.
//!
//! Three layers, highest precedence first: the user's `policies_dir` (a file
//! `<id>.toml` there overrides a built-in policy of the same id or adds a new
//! one), the curated built-ins (`policies/*.toml` in the source tree), and
//! imported built-ins (`policies/imported/*.toml`). Only file names are read
//! up front; a policy is parsed when it is asked for, so startup stays fast
//! with thousands of embedded policies.
//!
//! A curated or user policy can replace imported ones of the same company
//! with `supersedes = ["<imported id>"]`: the catalog then hides those ids
//! from [`Catalog::ids`] and resolves them to the superseding policy
//! ([`Catalog::superseded_by`]). Only the few curated and user files are
//! read up front for that key.
//!
//! A policy that loaded and validated is kept for the rest of the run
//! ([`Catalog::get`] parses each file once): a batch of 10,000 rows for
//! two companies parses two files, and every row of a long batch sees the
//! same policy text as the validation before it.
//!
//! With [`Catalog::set_tracer`], each policy's first load is reported as a
//! `-v` detail naming the file it came from (`policy zendesk:
//! policies/zendesk.toml (built-in)`, or the user file's path).

use super::files::BUILT_IN;
use super::{Error, Policy, PolicyId, check};
use crate::suggest::{Closeness, near};
use crate::trace::{self, Tracer};
use include_dir::Dir;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

pub use super::files::toml_files;

/// Where a policy came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// Curated, embedded in the binary.
    BuiltIn,
    /// Imported from a public directory, embedded in the binary.
    Imported,
    /// A file in the user's policy directory.
    User(PathBuf),
}

impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySource::BuiltIn => f.write_str(&crate::t!("cli.trace.source-built-in")),
            PolicySource::Imported => f.write_str(&crate::t!("cli.trace.source-imported")),
            PolicySource::User(p) => write!(f, "{}", p.display()),
        }
    }
}

#[derive(Debug, Clone)]
enum Entry {
    /// Embedded in the binary (curated or imported).
    Embedded(PolicySource, &'static str),
    /// A file in the user's directory, read when asked for.
    User(PathBuf),
}

impl Entry {
    fn source(&self) -> PolicySource {
        match self {
            Entry::Embedded(s, _) => s.clone(),
            Entry::User(p) => PolicySource::User(p.clone()),
        }
    }
}

/// The set of policies available to this run. See the module docs.
#[derive(Clone)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
    /// Imported id → id of the curated or user policy that supersedes it.
    superseded: BTreeMap<String, String>,
    /// Policies loaded so far (valid ones only), shared by clones.
    loaded: Arc<Mutex<HashMap<String, (Policy, PolicySource)>>>,
    /// Where `-v` details go: which file each policy came from.
    tracer: Tracer,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("entries", &self.entries.len())
            .field("superseded", &self.superseded)
            .finish_non_exhaustive()
    }
}

/// The one key read from curated and user files when the catalog is built.
#[derive(serde::Deserialize)]
struct Head {
    #[serde(default)]
    supersedes: Vec<String>,
}

impl Catalog {
    /// Builds the catalog from the embedded policies and, if given, a user
    /// directory of `<id>.toml` files.
    ///
    /// # Errors
    /// The user directory exists but cannot be listed.
    pub fn new(user_dir: Option<&Path>) -> Result<Catalog, Error> {
        let mut entries = BTreeMap::new();
        if let Some(imported) = BUILT_IN.get_dir("imported") {
            add_embedded(&mut entries, imported, PolicySource::Imported);
        }
        add_embedded(&mut entries, &BUILT_IN, PolicySource::BuiltIn);
        if let Some(dir) = user_dir.filter(|d| d.exists()) {
            for path in toml_files(dir)? {
                if let Some(id) = path.file_stem().and_then(|s| s.to_str()) {
                    entries.insert(id.to_string(), Entry::User(path.clone()));
                }
            }
        }
        let mut superseded = BTreeMap::new();
        for (id, entry) in &entries {
            let text = match entry {
                Entry::Embedded(PolicySource::Imported, _) => continue,
                Entry::Embedded(_, text) => std::borrow::Cow::Borrowed(*text),
                // An unreadable or malformed file is reported when it is used.
                Entry::User(path) => match crate::file::read_text(path, crate::file::Limit::TEXT) {
                    Ok(t) => std::borrow::Cow::Owned(t),
                    Err(_) => continue,
                },
            };
            let Ok(head) = toml::from_str::<Head>(&text) else { continue };
            for old in head.supersedes {
                if matches!(entries.get(&old), Some(Entry::Embedded(PolicySource::Imported, _))) {
                    superseded.insert(old, id.clone());
                }
            }
        }
        for old in superseded.keys() {
            entries.remove(old);
        }
        Ok(Catalog { entries, superseded, loaded: Arc::default(), tracer: trace::quiet() })
    }

    /// Reports each policy's first [`Catalog::get`] to `tracer` from now
    /// on: `policy <id>: <file>` (the default reports nothing).
    pub fn set_tracer(&mut self, tracer: Tracer) {
        self.tracer = tracer;
    }

    /// The id of the policy that supersedes the imported policy `id`, if any.
    pub fn superseded_by(&self, id: &str) -> Option<&str> {
        self.superseded.get(id).map(String::as_str)
    }

    /// Every policy id, sorted (superseded imported ids are not included).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Number of policies.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Loads, parses and validates the policy `id`; a superseded imported
    /// id gives the policy that supersedes it.
    ///
    /// # Errors
    /// [`Error::UnknownId`] with close ids as suggestions, or the file's
    /// parse or validation error.
    pub fn get(&self, asked: &PolicyId) -> Result<(Policy, PolicySource), Error> {
        let id = self.superseded_by(asked.as_str()).unwrap_or(asked.as_str());
        // A poisoned lock only means another thread panicked while holding
        // it; the map holds complete entries either way.
        if let Some(hit) = self.loaded.lock().unwrap_or_else(PoisonError::into_inner).get(id) {
            return Ok(hit.clone());
        }
        let entry = self.entries.get(id).ok_or_else(|| Error::UnknownId {
            id: asked.clone(),
            suggestions: near(asked.as_str(), self.ids(), Closeness::Name),
        })?;
        let loaded = load(id, entry)?;
        if self.tracer.enabled() {
            if asked != id {
                self.tracer.detail(&crate::t!("cli.trace.policy-superseded", asked = asked, id = id));
            }
            self.tracer.detail(&crate::t!("cli.trace.policy-origin", id = id, origin = origin(id, &loaded.1)));
        }
        self.loaded.lock().unwrap_or_else(PoisonError::into_inner).insert(id.to_string(), loaded.clone());
        Ok(loaded)
    }

    /// Loads every policy, skipping none: each result is the policy or its error.
    /// Not kept for later [`Catalog::get`]s: a listing of thousands of
    /// policies stays flat in memory.
    pub fn all(&self) -> impl Iterator<Item = (&str, Result<(Policy, PolicySource), Error>)> {
        self.entries.iter().map(|(id, entry)| (id.as_str(), load(id, entry)))
    }
}

/// Parses and validates the policy `id` (the file's stem, not superseded)
/// from its source.
fn load(id: &str, entry: &Entry) -> Result<(Policy, PolicySource), Error> {
    let source = entry.source();
    let policy = match entry {
        Entry::Embedded(_, text) => crate::toml_file::parse(Path::new(&origin(id, &source)), text)?,
        Entry::User(path) => crate::toml_file::parse(path, &crate::file::read_text(path, crate::file::Limit::TEXT)?)?,
    };
    check::validate(&policy, &origin(id, &source), Some(id))?;
    Ok((policy, source))
}

/// How a policy is named in messages: its path, or `policies/<id>.toml`
/// (built-in, as in the source tree).
fn origin(id: &str, source: &PolicySource) -> String {
    match source {
        PolicySource::User(p) => p.display().to_string(),
        PolicySource::BuiltIn => crate::t!("cli.trace.built-in", id = id),
        PolicySource::Imported => crate::t!("cli.trace.imported", id = id),
    }
}

fn add_embedded(entries: &mut BTreeMap<String, Entry>, dir: &'static Dir<'static>, source: PolicySource) {
    for f in dir.files() {
        let path = f.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        if let (Some(id), Some(text)) = (path.file_stem().and_then(|s| s.to_str()), f.contents_utf8()) {
            entries.insert(id.to_string(), Entry::Embedded(source.clone(), text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> PolicyId {
        s.parse().unwrap()
    }

    #[test]
    fn zendesk_is_built_in_and_valid() {
        let c = Catalog::new(None).unwrap();
        let (p, src) = c.get(&id("zendesk")).unwrap();
        assert_eq!(src, PolicySource::BuiltIn);
        assert_eq!(p.entity.legal_name, "Zendesk International Ltd.");
    }

    #[test]
    fn unknown_id_suggests() {
        let c = Catalog::new(None).unwrap();
        let e = c.get(&id("zendsk")).unwrap_err();
        assert_eq!(e.to_string(), "no policy with id 'zendsk'");
        assert!(e.hint().unwrap().starts_with("did you mean 'zendesk'?"), "{:?}", e.hint());
    }

    #[test]
    fn curated_policy_supersedes_imported_one() {
        let c = Catalog::new(None).unwrap();
        assert_eq!(c.superseded_by("zendesk-international-ltd"), Some("zendesk"));
        assert!(!c.ids().any(|id| id == "zendesk-international-ltd"));
        let (p, src) = c.get(&id("zendesk-international-ltd")).unwrap();
        assert_eq!((p.id.as_str(), src), ("zendesk", PolicySource::BuiltIn));
    }

    #[test]
    fn user_policy_can_supersede_an_imported_one() {
        let dir = tempfile::tempdir().unwrap();
        let c = Catalog::new(None).unwrap();
        let (mut p, _) = c.get(&id("google")).unwrap();
        p.id = id("my-google");
        p.supersedes = vec!["google".into(), "no-such-imported-id".into()];
        std::fs::write(dir.path().join("my-google.toml"), toml::to_string(&p).unwrap()).unwrap();
        let c = Catalog::new(Some(dir.path())).unwrap();
        assert_eq!(c.superseded_by("google"), Some("my-google"));
        assert_eq!(c.superseded_by("no-such-imported-id"), None);
        assert_eq!(c.get(&id("google")).unwrap().0.id, "my-google");
    }

    #[test]
    fn user_dir_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let text = BUILT_IN.get_file("zendesk.toml").unwrap().contents_utf8().unwrap();
        std::fs::write(
            dir.path().join("zendesk.toml"),
            text.replace("name = \"Zendesk\"", "name = \"Zendesk (mine)\""),
        )
        .unwrap();
        let c = Catalog::new(Some(dir.path())).unwrap();
        let (p, src) = c.get(&id("zendesk")).unwrap();
        assert_eq!(p.name, "Zendesk (mine)");
        assert!(matches!(src, PolicySource::User(_)));
    }

    #[test]
    fn a_policy_is_read_once_per_run_and_errors_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("zendesk.toml");
        let text = BUILT_IN.get_file("zendesk.toml").unwrap().contents_utf8().unwrap();
        std::fs::write(&file, "broken = ").unwrap();
        let c = Catalog::new(Some(dir.path())).unwrap();
        assert!(c.get(&id("zendesk")).is_err());
        // Fixed: the next get reads the file again.
        std::fs::write(&file, text).unwrap();
        let first = c.get(&id("zendesk")).unwrap();
        // Changed after a successful read: this run keeps what it read.
        std::fs::write(&file, text.replace("name = \"Zendesk\"", "name = \"Other\"")).unwrap();
        assert_eq!(c.clone().get(&id("zendesk")).unwrap(), first);
        // `all` reads afresh and keeps nothing.
        let (_, fresh) = c.all().find(|(id, _)| *id == "zendesk").unwrap();
        assert_eq!(fresh.unwrap().0.name, "Other");
        assert_eq!(c.get(&id("zendesk")).unwrap().0.name, "Zendesk");
    }
}
