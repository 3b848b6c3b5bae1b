//! The outcome dsr suggests for a received reply: simple, documented
//! German and English rules (docs/mailbox.md lists them). A suggestion is
//! never a decision: `dsr status` shows "reply received — classify" until
//! the user confirms or corrects it with `dsr reply … --outcome`.
//!
//! The text looked at is the Subject and the reply's own words: lines
//! quoted with `>` and everything after a quoting line ("On … wrote:",
//! "Am … schrieb …:", "-----Original Message-----", "Ursprüngliche
//! Nachricht") are left out, since the quoted request itself speaks of
//! erasure and identity. The rules are tried in this order, the first
//! that fires wins: needs identity, refused, extended, confirmed,
//! acknowledged; else other.

use crate::case::event::Suggestion;

/// The rules: a suggestion and the lowercase phrases that suggest it.
pub const RULES: &[(Suggestion, &[&str])] = &[
    (
        Suggestion::NeedsIdentity,
        &[
            "verify your identity",
            "proof of identity",
            "confirm your identity",
            "copy of your id",
            "identity document",
            "identität",
            "identitätsnachweis",
            "ausweiskopie",
            "kopie ihres ausweises",
            "personalausweis",
        ],
    ),
    (
        Suggestion::Refused,
        &[
            "we are unable to comply",
            "cannot comply",
            "we must decline",
            "we decline",
            "we refuse",
            "is refused",
            "manifestly unfounded",
            "lehnen wir ab",
            "lehnen ihren antrag ab",
            "müssen wir ablehnen",
            "offenkundig unbegründet",
            "nicht nachkommen",
        ],
    ),
    (
        Suggestion::Extended,
        &[
            "extend the period",
            "extended by",
            "further two months",
            "additional two months",
            "article 12(3)",
            "verlängern",
            "verlängert",
            "fristverlängerung",
            "weitere zwei monate",
        ],
    ),
    (
        Suggestion::Confirmed,
        &[
            "have been deleted",
            "has been deleted",
            "have been erased",
            "has been erased",
            "we have deleted",
            "we have erased",
            "wurden gelöscht",
            "wurde gelöscht",
            "haben wir gelöscht",
            "vollständig gelöscht",
        ],
    ),
    (
        Suggestion::Acknowledged,
        &[
            "we have received your",
            "we received your",
            "received your request",
            "acknowledge receipt",
            "ist bei uns eingegangen",
            "haben ihre anfrage erhalten",
            "haben ihren antrag erhalten",
            "eingangsbestätigung",
        ],
    ),
];

/// The reply's own words: the text without quoted lines and without what
/// follows a quoting line.
pub fn own_words(body: &str) -> String {
    let mut out = String::new();
    for line in body.lines() {
        let t = line.trim().to_lowercase();
        if t.starts_with('>') {
            continue;
        }
        if (t.starts_with("on ") && t.ends_with("wrote:"))
            || (t.starts_with("am ") && t.contains("schrieb"))
            || t.starts_with("-----original message")
            || t.contains("ursprüngliche nachricht")
        {
            break;
        }
        out.push_str(&t);
        out.push(' ');
    }
    // Line breaks inside a phrase do not hide it.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The suggested outcome of a reply with this subject and body text.
pub fn suggest(subject: Option<&str>, body: &str) -> Suggestion {
    let text = format!("{} {}", subject.unwrap_or("").to_lowercase(), own_words(body));
    RULES.iter().find(|(_, phrases)| phrases.iter().any(|p| text.contains(p))).map_or(Suggestion::Other, |(s, _)| *s)
}

/// The decoded Subject and the first text body of a message's bytes.
pub fn subject_and_text(bytes: &[u8]) -> (Option<String>, String) {
    match mail_parser::MessageParser::default().parse(bytes) {
        Some(m) => (m.subject().map(str::to_string), m.body_text(0).map(|t| t.into_owned()).unwrap_or_default()),
        None => (None, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_in_both_languages_and_quoted_text_is_ignored() {
        let s = |body: &str| suggest(Some("Re: request"), body);
        assert_eq!(s("Hello,\nwe have received your request and will answer soon."), Suggestion::Acknowledged);
        assert_eq!(s("Ihre Daten wurden\ngelöscht."), Suggestion::Confirmed);
        assert_eq!(s("Bitte senden Sie uns eine Ausweiskopie."), Suggestion::NeedsIdentity);
        assert_eq!(s("We must decline your request."), Suggestion::Refused);
        assert_eq!(s("Wir müssen die Frist um weitere zwei Monate verlängern."), Suggestion::Extended);
        assert_eq!(s("Thanks.\n\nOn Mon, 1 Dec 2026, DPO wrote:\n> please verify your identity"), Suggestion::Other);
        assert_eq!(s("> has been deleted\nok"), Suggestion::Other);
        assert_eq!(
            s("We have received your request. Your data has been deleted."),
            Suggestion::Confirmed,
            "confirmed wins over acknowledged"
        );
    }
}
