//! "Did you mean …?": the known names closest to one that was mistyped.
//!
//! One helper for every unknown-name error (policy ids, authority ids,
//! request ids), bounded in cost whatever the input: a mistyped id is
//! compared by Levenshtein distance, which costs the product of the two
//! lengths, against every known name. So
//!
//! - a string longer than [`MAX_LEN`] characters is never compared: such
//!   an input is not a typo of an id (policy ids have at most 100
//!   characters, request ids 18), and gets no suggestion;
//! - a known name whose length alone puts it out of reach is skipped
//!   without computing a distance;
//! - at most [`MAX_COMPARED`] known names are compared; in the rare set
//!   larger than that, names after the first [`MAX_COMPARED`] candidates
//!   are not suggested.
//!
//! One call thus costs at most `MAX_COMPARED × MAX_LEN²` steps (about
//! 10⁸, a fraction of a second) plus one cheap pass over the names; a
//! 1 MiB typo against the 3,070 built-in policies costs nothing.
//!
//! A leaf module: no domain imports.
//!
//! ```
//! use dsr::suggest::{Closeness, near};
//! let ids = ["zendesk", "google", "google-ireland"];
//! assert_eq!(near("zendsk", ids, Closeness::Name), ["zendesk"]);
//! assert_eq!(near("goog", ids, Closeness::Name), ["google", "google-ireland"]);
//! ```

/// Longest string (in characters) that is compared at all.
pub const MAX_LEN: usize = 100;

/// Most known names compared by distance in one call.
pub const MAX_COMPARED: usize = 10_000;

/// Most suggestions returned.
pub const MAX_SUGGESTIONS: usize = 3;

/// When a known name counts as close to the wanted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closeness {
    /// Names typed whole (policy and authority ids): the input is
    /// lowercased (ASCII); a name is close within an edit distance of
    /// `max(2, len / 4)`, or when it starts with an input of at least
    /// three characters.
    Name,
    /// Ids often typed as a prefix (request ids): a name is close within
    /// an edit distance of 2 to the whole name or to its first `len`
    /// characters (a mistyped prefix).
    Prefix,
}

/// Up to [`MAX_SUGGESTIONS`] of `known` close to `wanted`, closest first
/// (ties alphabetically). See the module docs for the cost
/// bounds.
pub fn near<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>, how: Closeness) -> Vec<String> {
    let (mut scored, _) = score(wanted, known, how);
    scored.sort_unstable();
    scored.into_iter().take(MAX_SUGGESTIONS).map(|(_, k)| k.to_string()).collect()
}

/// The close names with their distance, and how many names were compared.
fn score<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>, how: Closeness) -> (Vec<(usize, &'a str)>, usize) {
    let Some(w_chars) = short_len(wanted) else { return (Vec::new(), 0) };
    let wanted = match how {
        Closeness::Name => wanted.to_ascii_lowercase(),
        Closeness::Prefix => wanted.to_string(),
    };
    let limit = match how {
        Closeness::Name => 2.max(wanted.len() / 4),
        Closeness::Prefix => 2,
    };
    let mut compared = 0;
    let mut out = Vec::new();
    for k in known {
        if compared == MAX_COMPARED {
            break;
        }
        let Some(k_chars) = short_len(k) else { continue };
        // A distance is at least the difference in length, so these can
        // be ruled out without computing one.
        let d = match how {
            Closeness::Name => {
                let prefix = wanted.len() >= 3 && k.starts_with(&wanted);
                if !prefix && w_chars.abs_diff(k_chars) > limit {
                    continue;
                }
                compared += 1;
                let d = strsim::levenshtein(&wanted, k);
                if d > limit && !prefix {
                    continue;
                }
                d
            }
            Closeness::Prefix => {
                if w_chars > k_chars + limit {
                    continue;
                }
                compared += 1;
                let head: String = k.chars().take(w_chars).collect();
                let d = strsim::levenshtein(&wanted, k).min(strsim::levenshtein(&wanted, &head));
                if d > limit {
                    continue;
                }
                d
            }
        };
        out.push((d, k));
    }
    (out, compared)
}

/// The length of `s` in characters, or `None` beyond [`MAX_LEN`]
/// (decided from the byte length first, so a long string is not counted).
fn short_len(s: &str) -> Option<usize> {
    if s.len() > 4 * MAX_LEN {
        return None;
    }
    Some(s.chars().count()).filter(|n| *n <= MAX_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_within_a_quarter_of_their_length_or_by_prefix() {
        let ids = ["ie-dpc", "ie-dcp-other", "de-bfdi", "fr-cnil"];
        assert_eq!(near("IE-DCP", ids, Closeness::Name), ["ie-dpc", "ie-dcp-other"]);
        assert_eq!(near("de-", ids, Closeness::Name), ["de-bfdi"]);
        assert_eq!(near("xx", ids, Closeness::Name), Vec::<String>::new());
        let many = ["aaaa", "aaab", "aabb", "abbb", "bbbb"];
        assert_eq!(near("aaaa", many, Closeness::Name), ["aaaa", "aaab", "aabb"]);
    }

    #[test]
    fn prefixes_with_a_typo() {
        let ids = ["r_k3q7z2m4x7w5abcd", "r_zzzzzzzzzzzzzzzz"];
        assert_eq!(near("r_k3q7z2", ids, Closeness::Prefix), ["r_k3q7z2m4x7w5abcd"]);
        assert_eq!(near("r_k3q8z2", ids, Closeness::Prefix), ["r_k3q7z2m4x7w5abcd"]);
        assert_eq!(near("r_k3q7z2m4x7w5abce", ids, Closeness::Prefix), ["r_k3q7z2m4x7w5abcd"]);
        assert_eq!(near("q_x9", ids, Closeness::Prefix), Vec::<String>::new());
        // Case matters for request ids.
        assert_eq!(near("R_K3Q7Z2", ids, Closeness::Prefix), Vec::<String>::new());
    }

    #[test]
    fn a_huge_typo_is_not_compared() {
        let huge = "zendesk".repeat(150_000);
        let ids: Vec<String> = (0..3070).map(|i| format!("company-{i}")).collect();
        for how in [Closeness::Name, Closeness::Prefix] {
            let (found, compared) = score(&huge, ids.iter().map(String::as_str), how);
            assert_eq!((found.len(), compared), (0, 0));
        }
        let long = "a".repeat(MAX_LEN + 1);
        assert_eq!(score(&long, [long.as_str()], Closeness::Name).1, 0);
        let at_limit = "a".repeat(MAX_LEN);
        assert_eq!(near(&at_limit, [at_limit.as_str()], Closeness::Name), [at_limit.as_str()]);
    }

    #[test]
    fn names_out_of_reach_by_length_are_not_compared() {
        let ids = ["a", "abcdefghijklmnop", "zendesk"];
        let (_, compared) = score("zendsk", ids, Closeness::Name);
        assert_eq!(compared, 1);
        let (_, compared) = score("r_abcdef", ["r_abcdefghij", "r_a"], Closeness::Prefix);
        assert_eq!(compared, 1);
    }

    #[test]
    fn at_most_max_compared_names_are_compared() {
        let ids: Vec<String> = (0..MAX_COMPARED + 500).map(|i| format!("p{i:06}")).collect();
        let (found, compared) = score("p000000", ids.iter().map(String::as_str), Closeness::Name);
        assert_eq!(compared, MAX_COMPARED);
        assert!(!found.is_empty());
    }
}
