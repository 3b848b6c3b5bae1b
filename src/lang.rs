//! The letter languages dsr writes in.
//!
//! A policy names the company's preferred language, the config the sender's
//! default, and `--lang` overrides both. Only languages with a full set of
//! templates exist here: adding one means adding `templates/<code>/`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A letter language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// German (Deutsch).
    De,
    /// English.
    En,
}

impl Lang {
    /// Every supported language, in a stable order.
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    /// The ISO 639-1 code (`de`, `en`), also the template directory name.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// The grammatical gender German letters use for the data subject
/// ("Beschwerdeführerin", "Beschwerdeführer"); a subject file may give it
/// (`gender`), and without it letters use neutral wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// Feminine forms.
    Female,
    /// Masculine forms.
    Male,
}

/// A language code that dsr has no templates for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!("parse.lang", value = self.0))]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "de" => Ok(Lang::De),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        assert_eq!("de".parse::<Lang>(), Ok(Lang::De));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("fr".parse::<Lang>().unwrap_err().to_string(), "unknown language 'fr', expected one of: de, en");
    }
}
