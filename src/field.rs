//! Where a value the user gave belongs, as data, and how each front end
//! names it.
//!
//! The same request can come from the command line (`dsr send --confirm
//! export-data`) or from a row of a batch file (`confirm` column), and its
//! subject from a subject file or from the row's own `subject.*` fields.
//! Library errors therefore name the field as data — a request option
//! ([`Opt`]) or a key of the subject ([`Field::Subject`]) — and say what to
//! do about it as data ([`Fix`]); whoever reports the error picks the
//! [`Words`]. Nothing is rewritten afterwards: the batch reporter asks for
//! [`Words::Row`], `Display` and `hint()` of an error use [`Words::Cli`].
//!
//! ```
//! use dsr::field::{Field, Fix, Opt, Words};
//!
//! let fix = Fix::Give(Opt::Confirm, vec!["export-data".into(), "cancel-subscriptions".into()]);
//! assert_eq!(fix.render(Words::Cli), "pass --confirm export-data --confirm cancel-subscriptions");
//! assert_eq!(
//!     fix.render(Words::Row { inline_subject: false }),
//!     "add export-data;cancel-subscriptions to the row's confirm field"
//! );
//! let key = Field::Subject("identifiers.account_email".into());
//! assert_eq!(key.name(Words::Row { inline_subject: true }), "subject.identifiers.account_email");
//! ```
//!
//! A leaf: it imports nothing of dsr, so inputs (`subject`) and the
//! request alike can use it.

/// An option of a request: a flag of `dsr send` and `dsr render`, and the
/// field of a batch row that means the same (`--read-receipt` has no
/// batch field, so it is not here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Opt {
    /// The policy id: `--to`, a row's `policy`.
    To,
    /// The letter kind: `--kind`, `kind`.
    Kind,
    /// The letter language: `--lang`, `lang`.
    Lang,
    /// The subject file: `--subject`, `subject`.
    Subject,
    /// Extra attachments: `--attach`, `attach`.
    Attach,
    /// Confirmed preconditions: `--confirm`, `confirm`.
    Confirm,
    /// Art. 17(1) grounds: `--ground`, `ground`.
    Ground,
    /// The processor-deletion confirmation date: `--confirm-by`, `confirm_by`.
    ConfirmBy,
    /// The holiday calendar: `--calendar`, `calendar`.
    Calendar,
    /// A copy to the archive address: `--cc-self`, `cc_self`.
    CcSelf,
    /// The particular situation behind an objection under Art. 21(1):
    /// `--situation`, `situation`.
    Situation,
    /// An objection to direct marketing under Art. 21(2):
    /// `--direct-marketing`, `direct_marketing`.
    DirectMarketing,
    /// Limits a request to some data or services: `--only`, `only`.
    Only,
    /// The controller made the data public (Art. 17(2)): `--made-public`,
    /// `made_public`.
    MadePublic,
    /// Inaccurate data and the correction (Art. 16; contested data, Art.
    /// 18(1)(a)): `--correct`, `correct`.
    Correct,
    /// Incomplete data and their completion (Art. 16): `--complete`,
    /// `complete`.
    Complete,
    /// The controller the data go to directly (Art. 20(2)):
    /// `--transmit-to`, `transmit_to`.
    TransmitTo,
}

impl Opt {
    /// Every option.
    pub const ALL: [Opt; 17] = [
        Opt::To,
        Opt::Kind,
        Opt::Lang,
        Opt::Subject,
        Opt::Attach,
        Opt::Confirm,
        Opt::Ground,
        Opt::ConfirmBy,
        Opt::Calendar,
        Opt::CcSelf,
        Opt::Situation,
        Opt::DirectMarketing,
        Opt::Only,
        Opt::MadePublic,
        Opt::Correct,
        Opt::Complete,
        Opt::TransmitTo,
    ];

    /// The command-line flag (`--confirm-by`).
    pub fn flag(self) -> &'static str {
        match self {
            Opt::To => "--to",
            Opt::Kind => "--kind",
            Opt::Lang => "--lang",
            Opt::Subject => "--subject",
            Opt::Attach => "--attach",
            Opt::Confirm => "--confirm",
            Opt::Ground => "--ground",
            Opt::ConfirmBy => "--confirm-by",
            Opt::Calendar => "--calendar",
            Opt::CcSelf => "--cc-self",
            Opt::Situation => "--situation",
            Opt::DirectMarketing => "--direct-marketing",
            Opt::Only => "--only",
            Opt::MadePublic => "--made-public",
            Opt::Correct => "--correct",
            Opt::Complete => "--complete",
            Opt::TransmitTo => "--transmit-to",
        }
    }

    /// The batch row's field (`confirm_by`).
    pub fn column(self) -> &'static str {
        match self {
            Opt::To => "policy",
            Opt::Kind => "kind",
            Opt::Lang => "lang",
            Opt::Subject => "subject",
            Opt::Attach => "attach",
            Opt::Confirm => "confirm",
            Opt::Ground => "ground",
            Opt::ConfirmBy => "confirm_by",
            Opt::Calendar => "calendar",
            Opt::CcSelf => "cc_self",
            Opt::Situation => "situation",
            Opt::DirectMarketing => "direct_marketing",
            Opt::Only => "only",
            Opt::MadePublic => "made_public",
            Opt::Correct => "correct",
            Opt::Complete => "complete",
            Opt::TransmitTo => "transmit_to",
        }
    }

    /// The flag's value as `--help` names it (`CODE`); `None` for a switch.
    fn value_name(self) -> Option<&'static str> {
        match self {
            Opt::To => Some("POLICY"),
            Opt::Kind => Some("KIND"),
            Opt::Lang => Some("LANG"),
            Opt::Subject | Opt::Attach => Some("FILE"),
            Opt::Confirm => Some("ID"),
            Opt::Ground => Some("LETTER"),
            Opt::ConfirmBy => Some("YYYY-MM-DD"),
            Opt::Calendar => Some("CODE"),
            Opt::Situation | Opt::Only | Opt::Correct | Opt::Complete | Opt::TransmitTo => Some("TEXT"),
            Opt::CcSelf | Opt::DirectMarketing | Opt::MadePublic => None,
        }
    }

    /// True when the option takes several values (a repeated flag, a
    /// `;`-separated field).
    fn is_list(self) -> bool {
        matches!(self, Opt::Attach | Opt::Confirm | Opt::Ground | Opt::Only | Opt::Correct | Opt::Complete)
    }
}

/// Whose words a message is told in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// `dsr send`, `dsr render`: options are flags (`--confirm`), the
    /// subject is a file.
    Cli,
    /// A row of `send --batch`: options are the row's fields (`confirm`);
    /// the subject is a file, or with `inline_subject` the row's own
    /// `subject.*` fields.
    Row {
        /// The row gives its subject's fields itself.
        inline_subject: bool,
    },
}

impl Words {
    fn inline_subject(self) -> bool {
        matches!(self, Words::Row { inline_subject: true })
    }
}

/// Where a value belongs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// A request option.
    Option(Opt),
    /// A key of the subject, dotted as in a subject file
    /// (`identifiers.account_email`, `name`).
    Subject(String),
}

impl Field {
    /// The field's name: `--confirm` or `confirm`; `verification.method`,
    /// or `subject.verification.method` for an inline subject.
    pub fn name(&self, words: Words) -> String {
        match (self, words) {
            (Field::Option(o), Words::Cli) => o.flag().to_string(),
            (Field::Option(o), Words::Row { .. }) => o.column().to_string(),
            (Field::Subject(key), w) if w.inline_subject() => format!("subject.{key}"),
            (Field::Subject(key), _) => key.clone(),
        }
    }
}

/// What the user can do about a field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fix {
    /// Give the option these values: `pass --confirm a --confirm b`, `add
    /// a;b to the row's confirm field`.
    Give(Opt, Vec<String>),
    /// Give the field a value: `pass --calendar CODE`, `set the row's
    /// calendar field`; for a subject key, `add account_email = "…" under
    /// [identifiers] in the subject file` or `set the row's
    /// subject.identifiers.account_email field`.
    Set(Field),
    /// Remove the option: `drop --ground`, `remove the row's ground field`.
    Drop(Opt),
}

impl Fix {
    /// The fix in `words`.
    pub fn render(&self, words: Words) -> String {
        match (self, words) {
            (Fix::Give(o, values), Words::Cli) => {
                let given: Vec<String> = values.iter().map(|v| format!("{} {v}", o.flag())).collect();
                crate::t!("fix.pass", options = given.join(" "))
            }
            (Fix::Give(o, values), Words::Row { .. }) if o.is_list() => {
                crate::t!("fix.row-add", values = values.join(";"), column = o.column())
            }
            (Fix::Give(o, values), Words::Row { .. }) => {
                crate::t!("fix.row-set-to", column = o.column(), values = values.join(";"))
            }
            (Fix::Set(Field::Option(o)), Words::Cli) => match o.value_name() {
                Some(value) => crate::t!("fix.pass", options = format!("{} {value}", o.flag())),
                None => crate::t!("fix.pass", options = o.flag()),
            },
            (Fix::Set(Field::Option(o)), Words::Row { .. }) => crate::t!("fix.row-set", column = o.column()),
            (Fix::Set(Field::Subject(key)), w) if w.inline_subject() => crate::t!("fix.row-set-subject", key = key),
            (Fix::Set(Field::Subject(key)), _) => match key.rsplit_once('.') {
                Some((table, leaf)) => crate::t!("fix.subject-add-under", key = leaf, table = table),
                None => crate::t!("fix.subject-add-top", key = key),
            },
            (Fix::Drop(o), Words::Cli) => crate::t!("fix.drop", option = o.flag()),
            (Fix::Drop(o), Words::Row { .. }) => crate::t!("fix.row-remove", column = o.column()),
        }
    }
}

/// A hint: words that fit every front end, or a [`Fix`] each front end
/// words in its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// The same in any words (`write it on one line`).
    Text(String),
    /// A fix of a field.
    Fix(Fix),
    /// Words that fit every front end, or else a fix for a purpose:
    /// `{text}, or {fix} {purpose}` (`set capacity = "controller", or
    /// pass --kind erasure for a person's own data`).
    Or {
        /// The first way, in any words (a boxed `str`, not a `String`:
        /// errors that carry a hint stay small).
        text: Box<str>,
        /// The other way, a fix each front end words (boxed: errors that
        /// carry a hint stay small).
        fix: Box<Fix>,
        /// What the other way is for.
        purpose: Box<str>,
    },
}

impl Hint {
    /// The hint in `words`.
    pub fn render(&self, words: Words) -> String {
        match self {
            Hint::Text(t) => t.clone(),
            Hint::Fix(f) => f.render(words),
            Hint::Or { text, fix, purpose } => {
                crate::t!("fix.or", text = text, fix = fix.render(words), purpose = purpose)
            }
        }
    }
}

impl From<&str> for Hint {
    fn from(text: &str) -> Hint {
        Hint::Text(text.to_string())
    }
}

impl From<String> for Hint {
    fn from(text: String) -> Hint {
        Hint::Text(text)
    }
}

impl From<Fix> for Hint {
    fn from(fix: Fix) -> Hint {
        Hint::Fix(fix)
    }
}

/// The most characters one text value of a policy or subject may have
/// (a name, an address line, a precondition's text). The longest in the
/// shipped policies has about 300; the limit keeps every log line and
/// message header far below what the log and mail servers accept.
pub const MAX_VALUE_CHARS: usize = 2_000;

/// The first text value in `value` (serialized) longer than
/// [`MAX_VALUE_CHARS`], with its dotted path (`entity.legal_name`,
/// `preconditions[0].text.de`) and its length in characters. Members named
/// in `skip` at the top level are not looked at.
pub fn too_long(value: &impl serde::Serialize, skip: &[&str]) -> Option<(String, usize)> {
    fn walk(v: &serde_json::Value, path: &str, skip: &[&str]) -> Option<(String, usize)> {
        match v {
            serde_json::Value::String(s) => {
                // Bytes bound characters from above: count only when needed.
                (s.len() > MAX_VALUE_CHARS)
                    .then(|| s.chars().count())
                    .filter(|&n| n > MAX_VALUE_CHARS)
                    .map(|n| (path.to_string(), n))
            }
            serde_json::Value::Array(items) => {
                items.iter().enumerate().find_map(|(i, x)| walk(x, &format!("{path}[{i}]"), &[]))
            }
            serde_json::Value::Object(members) => members
                .iter()
                .filter(|(k, _)| !skip.contains(&k.as_str()))
                .find_map(|(k, x)| walk(x, &if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, &[])),
            _ => None,
        }
    }
    walk(&serde_json::to_value(value).ok()?, "", skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_long_names_the_first_over_long_value_by_its_path() {
        let ok = serde_json::json!({"a": "x", "b": ["y"]});
        assert_eq!(too_long(&ok, &[]), None);
        let long = "é".repeat(MAX_VALUE_CHARS + 1);
        let bad = serde_json::json!({"path": long.clone(), "entity": {"legal_name": long}});
        assert_eq!(too_long(&bad, &["path"]), Some(("entity.legal_name".into(), MAX_VALUE_CHARS + 1)));
        // 2,000 two-byte characters are 4,000 bytes and still allowed.
        assert_eq!(too_long(&serde_json::json!({"n": ["é".repeat(MAX_VALUE_CHARS)]}), &[]), None);
        let listed = serde_json::json!({"n": ["", "x".repeat(MAX_VALUE_CHARS + 5)]});
        assert_eq!(too_long(&listed, &[]), Some(("n[1]".into(), MAX_VALUE_CHARS + 5)));
    }

    const CLI: Words = Words::Cli;
    const ROW: Words = Words::Row { inline_subject: false };
    const INLINE: Words = Words::Row { inline_subject: true };

    #[test]
    fn options_are_flags_on_the_command_line_and_fields_in_a_row() {
        let confirm_by = Field::Option(Opt::ConfirmBy);
        assert_eq!(
            (confirm_by.name(CLI), confirm_by.name(ROW), confirm_by.name(INLINE)),
            ("--confirm-by".to_string(), "confirm_by".to_string(), "confirm_by".to_string())
        );
        assert_eq!(Field::Option(Opt::To).name(ROW), "policy");
        assert_eq!(Field::Option(Opt::CcSelf).name(CLI), "--cc-self");
    }

    #[test]
    fn fixes_in_each_front_ends_words() {
        let give = Fix::Give(Opt::Confirm, vec!["export-data".into(), "cancel-subscriptions".into()]);
        assert_eq!(give.render(CLI), "pass --confirm export-data --confirm cancel-subscriptions");
        assert_eq!(give.render(ROW), "add export-data;cancel-subscriptions to the row's confirm field");
        let kind = Fix::Give(Opt::Kind, vec!["erasure".into()]);
        assert_eq!(
            (kind.render(CLI), kind.render(ROW)),
            ("pass --kind erasure".to_string(), "set the row's kind field to erasure".to_string())
        );
        let calendar = Fix::Set(Field::Option(Opt::Calendar));
        assert_eq!(
            (calendar.render(CLI), calendar.render(INLINE)),
            ("pass --calendar CODE".to_string(), "set the row's calendar field".to_string())
        );
        assert_eq!(Fix::Set(Field::Option(Opt::CcSelf)).render(CLI), "pass --cc-self");
        let drop = Fix::Drop(Opt::ConfirmBy);
        assert_eq!(
            (drop.render(CLI), drop.render(ROW)),
            ("drop --confirm-by".to_string(), "remove the row's confirm_by field".to_string())
        );
    }

    #[test]
    fn subject_keys_are_file_keys_unless_the_row_gives_the_subject_inline() {
        let nested = Fix::Set(Field::Subject("identifiers.account_email".into()));
        let top = Fix::Set(Field::Subject("email".into()));
        for words in [CLI, ROW] {
            assert_eq!(nested.render(words), "add account_email = \"…\" under [identifiers] in the subject file");
            assert_eq!(top.render(words), "add email = \"…\" at the top of the subject file");
            assert_eq!(Field::Subject("verification.method".into()).name(words), "verification.method");
        }
        assert_eq!(
            nested.render(INLINE),
            "set the row's subject.identifiers.account_email field (its meaning: docs/subjects.md)"
        );
        assert_eq!(top.render(INLINE), "set the row's subject.email field (its meaning: docs/subjects.md)");
        assert_eq!(Hint::from("write it on one line").render(INLINE), "write it on one line");
        let or = Hint::Or {
            text: "set capacity = \"controller\"".into(),
            fix: Box::new(Fix::Give(Opt::Kind, vec!["erasure".into()])),
            purpose: "for a person's own data".into(),
        };
        assert_eq!(or.render(CLI), "set capacity = \"controller\", or pass --kind erasure for a person's own data");
        assert_eq!(
            or.render(INLINE),
            "set capacity = \"controller\", or set the row's kind field to erasure for a person's own data"
        );
    }
}
