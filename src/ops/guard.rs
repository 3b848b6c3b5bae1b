//! The duplicate guard and the case tag (issue 17 points 1 and 4).
//!
//! Every new request stores one small salted JSON object with the role
//! [`TAG`]: the case's label (shown by `status` and `show`), the subject's
//! name (for `status --search`), the subject key and, for a request sent
//! with `--again`, the case it repeats and the user's reason. It holds
//! personal data, so it is an object (deleted by `dsr purge`) with 128
//! random bits inside ([`super::salt::json`]), never text in a log line.
//!
//! The subject key is the SHA-256 of the subject's normalised name and
//! email address (lowercased, whitespace collapsed; for a processor
//! deletion without either, the organisation's name). Two requests are
//! the same when their subject keys, policies and kinds are equal.
//!
//! [`duplicate`] is called with the log's writer lock held, after the log
//! was folded under it: two `dsr send` started together cannot both pass.

use crate::Error;
use crate::case::Case;
use crate::evidence::{RequestId, Sha256, Store};
use crate::kind::LetterKind;
use crate::policy::PolicyId;
use crate::request::Request;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The role of the tag object in a `prepared` event.
pub const TAG: &str = "tag";

/// What a tag object holds (besides its salt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The subject key (hex SHA-256, see the module docs).
    pub subject_key: String,
    /// The case's label.
    pub label: String,
    /// The subject's name, when the subject file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// With `--again`: the open case this request repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub again_of: Option<String>,
    /// With `--again`: the user's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub again_reason: Option<String>,
}

impl Tag {
    /// The tag of a new request: `label`, or the subject's name, or
    /// `default_label` (a batch row's key), or the company's name.
    pub fn new(req: &Request, label: Option<&str>, default_label: Option<&str>) -> Tag {
        let name = req.subject.name.clone().filter(|n| !n.trim().is_empty());
        let label = label
            .map(str::to_string)
            .or_else(|| default_label.map(str::to_string))
            .or_else(|| name.clone())
            .or_else(|| req.subject.organisation.as_ref().map(|o| o.name.clone()))
            .unwrap_or_else(|| req.policy.entity.legal_name.clone());
        Tag { subject_key: subject_key(req), label, name, again_of: None, again_reason: None }
    }

    /// The object's bytes (salted JSON).
    ///
    /// # Errors
    /// The system's random source failed.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        super::salt::json(self, false)
    }

    /// True when `text` occurs, ignoring case, in the label or the name.
    /// (`dsr status --search`, `dsr show LABEL`.)
    pub fn matches(&self, text: &str) -> bool {
        let t = text.to_lowercase();
        self.label.to_lowercase().contains(&t) || self.name.as_ref().is_some_and(|n| n.to_lowercase().contains(&t))
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The subject key of a request (see the module docs).
pub fn subject_key(req: &Request) -> String {
    let s = &req.subject;
    let name = s.name.as_deref().map(normalise).unwrap_or_default();
    let email = s.email.as_ref().map(|e| e.to_string().to_lowercase()).unwrap_or_default();
    let org = if name.is_empty() && email.is_empty() {
        s.organisation.as_ref().map(|o| normalise(&o.name)).unwrap_or_default()
    } else {
        String::new()
    };
    Sha256::digest(format!("dsr subject key 1\n{name}\n{email}\n{org}").as_bytes()).to_string()
}

/// The tag of a case, read from the store: `None` for a case logged
/// before tags existed, or whose objects were purged.
pub fn read(store: &Store, case: &Case) -> Option<Tag> {
    let r = case.original.prepared.objects.iter().find(|o| o.role == TAG)?;
    let bytes = store.get(&r.sha256).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A case's label as `status` and `show` give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labelled {
    /// The case's tag.
    Tag(Tag),
    /// The case had a tag, but its object is gone (`dsr purge`).
    Purged,
    /// A case logged before tags existed.
    Untagged,
}

impl Labelled {
    /// The label to show: the tag's, `(purged)`, or none.
    pub fn shown(&self) -> Option<&str> {
        match self {
            Labelled::Tag(t) => Some(&t.label),
            Labelled::Purged => Some("(purged)"),
            Labelled::Untagged => None,
        }
    }
}

/// The label of `case`: its tag, or why there is none.
pub fn labelled(store: &Store, case: &Case) -> Labelled {
    let Some(r) = case.original.prepared.objects.iter().find(|o| o.role == TAG) else { return Labelled::Untagged };
    match read(store, case) {
        Some(t) => Labelled::Tag(t),
        None if !store.path_of(&r.sha256).is_file() => Labelled::Purged,
        // Present but unreadable: `dsr log verify --objects` says why.
        None => Labelled::Untagged,
    }
}

/// The tags of every case that has one.
pub fn read_all(store: &Store, cases: &BTreeMap<RequestId, Case>) -> BTreeMap<RequestId, Tag> {
    cases.iter().filter_map(|(id, c)| read(store, c).map(|t| (id.clone(), t))).collect()
}

/// The open case (not closed, not confirmed or refused) about the same
/// subject with the same company and kind, if any.
pub fn duplicate<'a>(
    store: &Store,
    cases: &'a BTreeMap<RequestId, Case>,
    subject_key: &str,
    policy: &PolicyId,
    kind: LetterKind,
) -> Option<&'a Case> {
    cases
        .values()
        .filter(|c| &c.policy == policy && c.kind == kind && !c.is_settled())
        .find(|c| read(store, c).is_some_and(|t| t.subject_key == subject_key))
}

/// The refusal of a new request that duplicates `case`.
pub fn refusal(case: &Case) -> Error {
    let id = &case.request;
    // A message refused for good is not re-sent (`--retry` refuses it): a
    // corrected address is the way on.
    let retry = if case.original.refusal().is_some() {
        crate::t!("guard.duplicate-readdress", id = id)
    } else if case.original.delivery.retry_from().is_some() {
        crate::t!("guard.duplicate-retry", id = id)
    } else {
        String::new()
    };
    Error::usage(
        crate::t!("guard.duplicate", id = id, kind = case.kind, company = case.company, state = case.status().shown()),
        crate::t!("guard.duplicate-hint", id = id, retry = retry),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise("  Erika\t MUSTERMANN "), "erika mustermann");
    }

    #[test]
    fn search_ignores_case_in_label_and_name() {
        let t = Tag {
            subject_key: String::new(),
            label: "Zendesk account".into(),
            name: Some("Erika Mustermann".into()),
            again_of: None,
            again_reason: None,
        };
        assert!(t.matches("mustermann"));
        assert!(t.matches("ZENDESK"));
        assert!(!t.matches("max"));
    }
}
