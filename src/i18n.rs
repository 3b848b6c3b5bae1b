//! The interface language: the language of dsr's own messages, prompts,
//! table headers and help (not of the letters: that is [`crate::lang`]).
//!
//! The language is chosen once, at start-up, by [`detect`]: `--ui-lang`
//! (or `DSR_UI_LANG`), else the POSIX locale variables in their order of
//! precedence, `LC_ALL`, then `LC_MESSAGES`, then `LANG` (the first one
//! that is set and not empty decides; `de`, `de_DE.UTF-8`, `de_AT`, `de-CH`
//! … mean German, anything else, `C` and `POSIX` included, English).
//! [`set`] records it for the process; it is the one process-wide setting
//! in dsr, because error types format their text where they are made, far
//! from the command line (the same design as `i18n-embed`'s loader that
//! `rage` uses). Unset (the library used on its own, unit tests), it is
//! English.
//!
//! Every text lives in one catalogue per language, `i18n/en.toml` and
//! `i18n/de.toml` with the parts in `i18n/en/` and `i18n/de/` (evidence
//! log, mail), compiled into the binary: a flat table of keys (dotted
//! by the TOML tables they sit in) to texts with `{name}` placeholders
//! (`{{` and `}}` for literal braces). [`t!`](crate::t) looks a key up.
//! Tests fail when a key exists in one catalogue only, when the two
//! languages' texts of a key name different placeholders, and when code
//! uses a key that no catalogue has.
//!
//! Why TOML and not Fluent: the texts need nothing but placeholders (no
//! plural or gender selection: dsr writes "day(s)" / "Tag(e)"), the `toml`
//! crate is already in the binary, and the binary's size is held under
//! issue 14's 25 MB with little to spare (`fluent-bundle` with its ICU
//! plural rules would add to it).
//!
//! Help pages: clap's help comes from the doc comments in `src/cli/`
//! (English); `i18n/help.de.toml` holds their German text, applied by
//! `cli::help` when the interface is German. A command without a German
//! entry keeps its English help.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// An interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum UiLang {
    /// English (the default).
    En,
    /// German (Deutsch).
    De,
}

impl UiLang {
    /// Both languages, English first.
    pub const ALL: [UiLang; 2] = [UiLang::En, UiLang::De];

    /// The code: `en`, `de`.
    pub fn code(self) -> &'static str {
        match self {
            UiLang::En => "en",
            UiLang::De => "de",
        }
    }

    /// The letter language of the same name: a policy's texts in `de`
    /// and `en` are shown in the interface language.
    pub fn letter_lang(self) -> crate::lang::Lang {
        match self {
            UiLang::En => crate::lang::Lang::En,
            UiLang::De => crate::lang::Lang::De,
        }
    }

    /// The language a locale name (`de_DE.UTF-8`, `en_GB`, `C`, `de-AT`)
    /// stands for: German for `de` with or without a region, encoding or
    /// modifier; English for everything else.
    pub fn of_locale(locale: &str) -> UiLang {
        let language = locale.split(['_', '-', '.', '@']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("de") { UiLang::De } else { UiLang::En }
    }
}

impl fmt::Display for UiLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The interface language for an explicit choice (`--ui-lang`,
/// `DSR_UI_LANG`) and the environment (`var` reads one variable).
pub fn detect(chosen: Option<UiLang>, var: impl Fn(&str) -> Option<String>) -> UiLang {
    if let Some(lang) = chosen {
        return lang;
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
        .map_or(UiLang::En, |locale| UiLang::of_locale(locale.trim()))
}

static UI: OnceLock<UiLang> = OnceLock::new();

/// Sets the interface language for the process. The first call wins; later
/// ones are ignored (the language does not change while dsr runs).
pub fn set(lang: UiLang) {
    let _ = UI.set(lang);
}

/// The interface language: what [`set`] recorded, else English.
pub fn ui() -> UiLang {
    UI.get().copied().unwrap_or(UiLang::En)
}

/// The catalogue sources, compiled in: per language the main file and the
/// files for the evidence log, mail, the operations and the commands, one
/// TOML document (each part
/// holds its own tables, `[verify.line]` beside `[verify]` and so on).
pub(crate) const SOURCES: [(UiLang, &str); 2] = [
    (
        UiLang::En,
        concat!(
            include_str!("../i18n/en.toml"),
            "\n",
            include_str!("../i18n/en/evidence.toml"),
            "\n",
            include_str!("../i18n/en/mail.toml"),
            "\n",
            include_str!("../i18n/en/ops.toml"),
            "\n",
            include_str!("../i18n/en/cli.toml"),
            "\n",
            include_str!("../i18n/en/input.toml"),
            "\n",
            include_str!("../i18n/en/policy.toml"),
            "\n",
            include_str!("../i18n/en/evidence2.toml"),
        ),
    ),
    (
        UiLang::De,
        concat!(
            include_str!("../i18n/de.toml"),
            "\n",
            include_str!("../i18n/de/evidence.toml"),
            "\n",
            include_str!("../i18n/de/mail.toml"),
            "\n",
            include_str!("../i18n/de/ops.toml"),
            "\n",
            include_str!("../i18n/de/cli.toml"),
            "\n",
            include_str!("../i18n/de/input.toml"),
            "\n",
            include_str!("../i18n/de/policy.toml"),
            "\n",
            include_str!("../i18n/de/evidence2.toml"),
        ),
    ),
];

/// The German help texts (see the module docs).
pub(crate) const HELP_DE: &str = include_str!("../i18n/help.de.toml");

/// One catalogue: key to text.
pub type Catalog = HashMap<String, String>;

/// Parses a catalogue source into its flat key → text table.
///
/// # Errors
/// The source is not TOML, or holds a value that is neither a string nor a
/// table (the message names the key).
pub fn parse(source: &str) -> Result<Catalog, String> {
    let table: toml::Table = source.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut out = Catalog::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            toml::Value::Table(t) => flatten(&full, t, out)?,
            _ => return Err(format!("{full}: a text must be a string")),
        }
    }
    Ok(())
}

fn catalog(lang: UiLang) -> &'static Catalog {
    static CATALOGS: OnceLock<[Catalog; 2]> = OnceLock::new();
    let all = CATALOGS.get_or_init(|| {
        // The catalogues are part of the binary and checked by the unit
        // tests; a broken one can only come from a broken build, and then
        // every text falls back to its key rather than taking dsr down.
        SOURCES.map(|(_, source)| parse(source).unwrap_or_default())
    });
    match lang {
        UiLang::En => &all[0],
        UiLang::De => &all[1],
    }
}

/// The text of `key` in `lang` with `args` filled in: the English text
/// when `lang` lacks it, the key itself when both do (the tests make sure
/// neither happens).
pub fn text_in(lang: UiLang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let template = catalog(lang).get(key).or_else(|| catalog(UiLang::En).get(key));
    match template {
        Some(t) => fill(t, args),
        None => key.to_string(),
    }
}

/// [`text_in`] the interface language.
pub fn text(key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    text_in(ui(), key, args)
}

/// Replaces each `{name}` by its argument; `{{` and `}}` are literal
/// braces. A placeholder without an argument stays as written.
pub fn fill(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let Some(end) = tail.find('}').filter(|_| tail.starts_with('{')) {
            let name = &tail[1..end];
            match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(&value.to_string()),
                None => out.push_str(&tail[..=end]),
            }
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names of a template, in order of appearance.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
        } else if let Some(end) = tail.find('}').filter(|_| tail.starts_with('{')) {
            names.push(tail[1..end].to_string());
            rest = &tail[end + 1..];
        } else {
            rest = &tail[1..];
        }
    }
    names
}

/// A text from the catalogue in the interface language:
/// `t!("prompt.not-confirmed")`, `t!("case.unknown-request", id = id, log = log)`.
#[macro_export]
macro_rules! t {
    ($key:literal) => {
        $crate::i18n::text($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text($key, &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+])
    };
}

/// [`t!`] in a given language: `t_in!(UiLang::En, "key", name = value)`,
/// for text that must not depend on the interface language (what the
/// evidence store keeps).
#[macro_export]
macro_rules! t_in {
    ($lang:expr, $key:literal) => {
        $crate::i18n::text_in($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text_in($lang, $key, &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn catalogs() -> Vec<(UiLang, Catalog)> {
        SOURCES
            .iter()
            .map(|(lang, src)| (*lang, parse(src).unwrap_or_else(|e| panic!("i18n/{lang}.toml: {e}"))))
            .collect()
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let all = catalogs();
        let keys = |c: &Catalog| c.keys().cloned().collect::<BTreeSet<_>>();
        let (en, de) = (keys(&all[0].1), keys(&all[1].1));
        let only_en: Vec<_> = en.difference(&de).collect();
        let only_de: Vec<_> = de.difference(&en).collect();
        assert!(only_en.is_empty(), "in i18n/en.toml only: {only_en:?}");
        assert!(only_de.is_empty(), "in i18n/de.toml only: {only_de:?}");
        assert!(en.len() > 40, "too few texts: {}", en.len());
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        let all = catalogs();
        let mut bad = Vec::new();
        for (key, en) in &all[0].1 {
            let de = &all[1].1[key];
            let (a, b): (BTreeSet<_>, BTreeSet<_>) =
                (placeholders(en).into_iter().collect(), placeholders(de).into_iter().collect());
            if a != b {
                bad.push(format!("{key}: en {a:?}, de {b:?}"));
            }
            if de.trim().is_empty() || en.trim().is_empty() {
                bad.push(format!("{key}: empty text"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    /// Every `t!("key"` in the sources names a key of the catalogue, and
    /// every key of the catalogue is used (a stale text is a translation
    /// nobody sees, or a typo in the code).
    #[test]
    fn every_key_used_in_the_code_exists_and_every_key_is_used() {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n.rs") {
                    out.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let mut sources = Vec::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut sources);
        let mut used = BTreeSet::new();
        for src in &sources {
            used.extend(macro_keys(src));
        }
        let en = parse(SOURCES[0].1).unwrap();
        let missing: Vec<_> = used.iter().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "used in src/ but in no catalogue: {missing:?}");
        let unused: Vec<_> = en.keys().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "in the catalogue but used nowhere in src/: {unused:?}");
    }

    /// The keys of every `t!(` call in `src`: the macro name must stand
    /// alone (not `assert!(`), and the key may follow on the next line.
    fn macro_keys(src: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for (i, _) in src.match_indices("t!(") {
            let before = src[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = src[i + 3..].trim_start();
            if let Some(rest) = rest.strip_prefix('"')
                && let Some(end) = rest.find('"')
            {
                keys.push(rest[..end].to_string());
            }
        }
        // `t_in!(LANG, "key"`: the key after the first comma.
        for (i, _) in src.match_indices("t_in!(") {
            if let Some(comma) = src[i..].find(',')
                && let Some(rest) = src[i + comma + 1..].trim_start().strip_prefix('"')
                && let Some(end) = rest.find('"')
            {
                keys.push(rest[..end].to_string());
            }
        }
        keys
    }

    #[test]
    fn keys_are_found_in_macro_calls_only() {
        let src = "crate::t!(\n    \"a.b\", x = 1)\nassert!(\"fax\".is_empty()); t!(\"c\")";
        assert_eq!(macro_keys(src), vec!["a.b".to_string(), "c".to_string()]);
    }

    #[test]
    fn locale_names() {
        for l in ["de", "de_DE.UTF-8", "de_AT", "de-CH", "DE_de", "de@euro", "de_DE.ISO-8859-1"] {
            assert_eq!(UiLang::of_locale(l), UiLang::De, "{l}");
        }
        for l in ["C", "POSIX", "C.UTF-8", "en_US.UTF-8", "fr_FR", "", "deu", "dk"] {
            assert_eq!(UiLang::of_locale(l), UiLang::En, "{l}");
        }
    }

    #[test]
    fn precedence_choice_then_lc_all_then_lc_messages_then_lang() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(detect(None, env(&[])), UiLang::En);
        assert_eq!(detect(None, env(&[("LANG", "de_DE.UTF-8")])), UiLang::De);
        assert_eq!(detect(None, env(&[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "C")])), UiLang::En);
        assert_eq!(detect(None, env(&[("LC_ALL", "de_DE.UTF-8"), ("LC_MESSAGES", "C")])), UiLang::De);
        assert_eq!(detect(None, env(&[("LC_ALL", ""), ("LANG", "de_AT")])), UiLang::De);
        assert_eq!(detect(Some(UiLang::En), env(&[("LC_ALL", "de_DE")])), UiLang::En);
        assert_eq!(detect(Some(UiLang::De), env(&[])), UiLang::De);
    }

    #[test]
    fn placeholders_are_filled_and_braces_escaped() {
        let n = 3;
        assert_eq!(fill("{n} day(s), {{literal}} {missing}", &[("n", &n)]), "3 day(s), {literal} {missing}");
        assert_eq!(placeholders("a {x} {{y}} {z}"), vec!["x".to_string(), "z".to_string()]);
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("odd } and {", &[]), "odd } and {");
    }

    #[test]
    fn a_key_missing_in_german_falls_back_to_english_then_to_the_key() {
        assert_eq!(text_in(UiLang::De, "no.such.key", &[]), "no.such.key");
    }
}
