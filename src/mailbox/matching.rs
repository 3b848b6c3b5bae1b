//! Which case a received message belongs to, and why: never a guess.
//!
//! A message belongs to a case when its In-Reply-To or References name a
//! Message-ID dsr sent for that case, or its Subject has the case's
//! request id (`r_` and 16 characters). Every basis is looked at: when the
//! message points to two or more cases, it is assigned to none
//! ([`Match::Several`]) and waits in `dsr mail unmatched` for the user.
//! The basis logged is the strongest that named the case: In-Reply-To,
//! then References, then Subject.

use crate::case::Case;
use crate::case::event::MatchBasis;
use crate::evidence::RequestId;
use crate::mail::parse::Headers;
use std::collections::BTreeMap;

/// How a message matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// One case, on this basis.
    One(RequestId, MatchBasis),
    /// Several cases: not assigned.
    Several(Vec<RequestId>),
    /// No case.
    None,
}

/// The request ids written in `subject`.
pub fn request_ids_in(subject: &str) -> Vec<RequestId> {
    let mut found = Vec::new();
    let bytes = subject.as_bytes();
    let mut i = 0;
    while let Some(at) = subject[i..].find("r_") {
        let start = i + at;
        let end = start + 18;
        let bounded = |j: Option<&u8>| j.is_none_or(|b| !b.is_ascii_alphanumeric());
        if end <= bytes.len()
            && (start == 0 || bounded(bytes.get(start - 1)))
            && bounded(bytes.get(end))
            && let Ok(id) = subject[start..end].parse::<RequestId>()
            && !found.contains(&id)
        {
            found.push(id);
        }
        i = start + 2;
    }
    found
}

/// The case `headers` (and the decoded `subject`) belong to.
pub fn find(cases: &BTreeMap<RequestId, Case>, headers: &Headers, subject: Option<&str>) -> Match {
    let mut hits: Vec<(RequestId, MatchBasis)> = Vec::new();
    let mut note = |id: &RequestId, basis: MatchBasis| {
        if !hits.iter().any(|(r, _)| r == id) {
            hits.push((id.clone(), basis));
        }
    };
    for (ids, basis) in [(&headers.in_reply_to, MatchBasis::InReplyTo), (&headers.references, MatchBasis::References)] {
        for id in ids {
            for c in cases.values().filter(|c| c.message_ids().any(|m| m == id)) {
                note(&c.request, basis);
            }
        }
    }
    for id in subject.map(request_ids_in).unwrap_or_default() {
        if cases.contains_key(&id) {
            note(&id, MatchBasis::Subject);
        }
    }
    match hits.len() {
        0 => Match::None,
        1 => {
            let (r, b) = hits.remove(0);
            Match::One(r, b)
        }
        _ => Match::Several(hits.into_iter().map(|(r, _)| r).collect()),
    }
}

/// The cases other than `own` that `headers` are threaded to (In-Reply-To
/// or References), for `dsr reply`'s check.
pub fn threaded_elsewhere(cases: &BTreeMap<RequestId, Case>, headers: &Headers, own: &RequestId) -> Vec<RequestId> {
    let mut others: Vec<RequestId> = Vec::new();
    for id in headers.referenced_ids() {
        for c in cases.values().filter(|c| &c.request != own && c.message_ids().any(|m| m == id)) {
            if !others.contains(&c.request) {
                others.push(c.request.clone());
            }
        }
    }
    others
}

#[cfg(test)]
mod tests {
    use super::request_ids_in;

    #[test]
    fn finds_request_ids_in_a_subject() {
        let ids = request_ids_in("Re: [r_k3q7z2m4x7w5abcd] Ihre Anfrage / r_aaaaaaaaaaaaaaaa");
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, ["r_k3q7z2m4x7w5abcd", "r_aaaaaaaaaaaaaaaa"]);
        assert!(request_ids_in("br_k3q7z2m4x7w5abcd").is_empty(), "part of a longer word");
        assert!(request_ids_in("r_k3q7z2m4x7w5abcde").is_empty(), "too long");
        assert!(request_ids_in("r_k3q7").is_empty());
    }
}
