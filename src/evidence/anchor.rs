//! What a verifier can say about when each line existed: the earliest
//! independent evidence (an anchor) that covers it.
//!
//! An [`Anchor`] says "the first `covers` lines existed no later than
//! `time`", on the word of someone other than the sender: a time-stamping
//! authority's token over a checkpoint ([`timestamps`]), or a checkpoint
//! carried in a message to a third party, dated by that message's `Date`
//! ([`super::witness::Witness::dated`]). Given the
//! anchors, [`earliest`] tells for every line the earliest anchor that
//! covers it, as ranges of lines; a line no anchor covers rests on the
//! sender's claim only.
//!
//! [`timestamps`] reads the log's `timestamped` lines and checks each
//! against the checkpoint line it names: the token (an object) must parse,
//! its imprint must be the SHA-256 of that checkpoint's note, its genTime
//! the one logged, and its CMS signature and signer certificate must pass
//! [`super::tsa_trust`] (chained to a CA file when the verifier has one).

use super::tsa_trust::TokenTrust;
use super::tsp::{self, TIMESTAMPED_EVENT, TOKEN_ROLE};
use super::{CHECKPOINT_EVENT, Error, LOG_FILE, ObjectRef, Sha256, Store, VerifyError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::Path;

/// The two fields of a line this module reads.
#[derive(serde::Deserialize)]
struct LineView {
    event: String,
    #[serde(default)]
    data: serde_json::Value,
}

/// Independent evidence that the first `covers` lines existed by `time`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// How many lines (from line 0) it covers.
    pub covers: u64,
    /// No later than this.
    pub time: DateTime<Utc>,
    /// Who says so, as the report words it: `timestamp by NAME`, or
    /// `witness: the message of DATE to RECIPIENT`.
    pub source: String,
    /// The log line (seq) that records it, if the log does (a timestamp;
    /// `None` for a witness).
    pub logged_on: Option<u64>,
}

/// Lines `from..=to` and the earliest anchor covering them (`None`: the
/// sender's claim only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchored {
    /// First seq.
    pub from: u64,
    /// Last seq (inclusive).
    pub to: u64,
    /// The earliest anchor over these lines.
    pub anchor: Option<Anchor>,
}

impl Anchored {
    /// The report's wording: `no later than T (timestamp by X)` or
    /// `sender's claim only`.
    pub fn wording(&self) -> String {
        match &self.anchor {
            Some(a) => {
                format!("no later than {} ({})", a.time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), a.source)
            }
            None => "sender's claim only".into(),
        }
    }
}

/// For each of `lines` lines, the earliest anchor covering it, as ranges
/// of consecutive lines with the same answer.
pub fn earliest(lines: u64, anchors: &[Anchor]) -> Vec<Anchored> {
    // An anchor covering more lines covers every line a smaller one does:
    // walking sizes from small to large, a line's earliest anchor is the
    // earliest time among anchors at least as large as it.
    //
    // "Earliest" is a total order, so that every verifier picks the same
    // anchor: the earlier time; on a tie a timestamp before a witness; then
    // the one given first (timestamps in log order, then witnesses in the
    // order named).
    let key = |(i, a): &(usize, &Anchor)| (a.time, a.logged_on.is_none(), *i);
    let mut by_size: Vec<(usize, &Anchor)> = anchors.iter().enumerate().filter(|(_, a)| a.covers > 0).collect();
    by_size.sort_by_key(|(_, a)| std::cmp::Reverse(a.covers));
    let by_size: Vec<&(usize, &Anchor)> = by_size.iter().collect();
    // best[i]: the earliest anchor among by_size[..=i] (all cover by_size[i].covers lines).
    let mut best: Vec<&Anchor> = Vec::with_capacity(by_size.len());
    let mut best_key = None;
    for entry in &by_size {
        if best_key.is_none_or(|k| key(entry) < k) {
            best_key = Some(key(entry));
            best.push(entry.1);
        } else {
            let b = best.last().copied().unwrap_or(entry.1);
            best.push(b);
        }
    }
    let by_size: Vec<&Anchor> = by_size.iter().map(|(_, a)| *a).collect();
    let mut out: Vec<Anchored> = Vec::new();
    let mut from = 0u64;
    // Ranges by increasing size: lines [prev_size, size) are covered by anchors of size >= size.
    for i in (0..by_size.len()).rev() {
        let size = by_size[i].covers.min(lines);
        if size <= from {
            continue;
        }
        push(&mut out, from, size - 1, Some(best[i].clone()));
        from = size;
    }
    if from < lines {
        push(&mut out, from, lines - 1, None);
    }
    out
}

/// For each line of `seqs` (any lines, in any order), the earliest
/// anchor covering it (`None`: the sender's claim only), picked as
/// [`earliest`] picks: the earlier time; on a tie a timestamp before a
/// witness; then the one given first.
pub fn earliest_each(seqs: &[u64], anchors: &[Anchor]) -> Vec<Option<Anchor>> {
    seqs.iter()
        .map(|&seq| {
            anchors
                .iter()
                .enumerate()
                .filter(|(_, a)| a.covers > seq)
                .min_by_key(|(i, a)| (a.time, a.logged_on.is_none(), *i))
                .map(|(_, a)| a.clone())
        })
        .collect()
}

fn push(out: &mut Vec<Anchored>, from: u64, to: u64, anchor: Option<Anchor>) {
    if let Some(last) = out.last_mut()
        && last.anchor == anchor
    {
        last.to = to;
        return;
    }
    out.push(Anchored { from, to, anchor });
}

/// The anchors of the log's `timestamped` lines, each checked against the
/// checkpoint line it names (see the module docs). Call after
/// [`super::verify()`] passed.
///
/// # Errors
/// [`VerifyError::Timestamp`] naming the first `timestamped` line that
/// does not fit; the log cannot be read.
pub fn timestamps(data_dir: &Path, trust: &TokenTrust) -> Result<Vec<Anchor>, Error> {
    let path = data_dir.join(LOG_FILE);
    let store = Store::new(data_dir);
    let mut notes: HashMap<u64, (Sha256, u64)> = HashMap::new();
    let mut anchors = Vec::new();
    let file = std::fs::File::open(&path).map_err(|e| Error::io("cannot read", &path, e))?;
    let checkpoint_needle = format!("\"event\":\"{CHECKPOINT_EVENT}\"");
    let timestamped_needle = format!("\"event\":\"{TIMESTAMPED_EVENT}\"");
    // Only checkpoint and timestamped lines are parsed (the log verified
    // before this is called; other lines may nest deeper than a full parse
    // allows).
    for (seq, raw) in std::io::BufRead::split(std::io::BufReader::new(file), b'\n').enumerate() {
        let raw = raw.map_err(|e| Error::io("cannot read", &path, e))?;
        let has = |needle: &str| raw.windows(needle.len()).any(|w| w == needle.as_bytes());
        if !has(&checkpoint_needle) && !has(&timestamped_needle) {
            continue;
        }
        let Ok(line) = serde_json::from_slice::<serde_json::Value>(&raw) else { continue };
        let Ok(entry) = serde_json::from_value::<LineView>(line) else { continue };
        let seq = seq as u64;
        let bad =
            |problem: String| Error::Verify(VerifyError::Timestamp { path: path.clone(), line: seq + 1, problem });
        if entry.event == CHECKPOINT_EVENT {
            let note = entry.data.get("note").and_then(|n| n.as_str()).unwrap_or_default();
            let size = super::note::SignedCheckpoint::parse(note).map(|c| c.checkpoint.size).unwrap_or(0);
            notes.insert(seq, (Sha256::digest(note.as_bytes()), size));
            continue;
        }
        if entry.event != TIMESTAMPED_EVENT {
            continue;
        }
        let field = |name: &str| entry.data.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let cp_seq = entry.data.pointer("/checkpoint/seq").and_then(serde_json::Value::as_u64);
        let Some(cp_seq) = cp_seq else { return Err(bad("a timestamped line without data.checkpoint.seq".into())) };
        let Some(&(digest, size)) = notes.get(&cp_seq) else {
            return Err(bad(format!(
                "names checkpoint line {} (seq {cp_seq}), which is no earlier checkpoint line",
                cp_seq + 1
            )));
        };
        let objects: Vec<ObjectRef> =
            entry.data.get("objects").and_then(|v| serde::Deserialize::deserialize(v).ok()).unwrap_or_default();
        let Some(token_ref) = objects.into_iter().find(|o| o.role == TOKEN_ROLE) else {
            return Err(bad(format!("names no {TOKEN_ROLE} object")));
        };
        let der =
            store.get(&token_ref.sha256).map_err(|e| bad(format!("its token object {}: {e}", token_ref.sha256)))?;
        if Sha256::digest(&der) != token_ref.sha256 {
            return Err(bad(format!("its token object {} was changed", token_ref.sha256)));
        }
        let token = tsp::parse_token(&der).map_err(|e| bad(format!("its token object {}: {e}", token_ref.sha256)))?;
        if token.check(digest.as_bytes(), None).is_err() {
            return Err(bad(format!(
                "the token of {} is not over checkpoint line {} (seq {cp_seq}) as the log holds it now: the lines \
                 before it were rewritten after {}",
                field("tsa"),
                cp_seq + 1,
                super::format_time(&token.gen_time)
            )));
        }
        let logged = DateTime::parse_from_rfc3339(&field("gen_time")).ok().map(|t| t.with_timezone(&Utc));
        if logged != Some(token.gen_time) {
            return Err(bad(format!(
                "data.gen_time {:?} is not the token's genTime {}",
                field("gen_time"),
                super::format_time(&token.gen_time)
            )));
        }
        trust.check(&field("tsa"), &der, token.gen_time).map_err(|e| {
            Error::Verify(VerifyError::TokenRefused {
                path: path.clone(),
                line: seq + 1,
                problem: format!(
                    "the token of {} (object {}, {token}) is refused: {e}",
                    field("tsa"),
                    token_ref.sha256
                ),
            })
        })?;
        anchors.push(Anchor {
            covers: size,
            time: token.gen_time,
            source: format!("timestamp by {}", field("tsa")),
            logged_on: Some(seq),
        });
    }
    Ok(anchors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(covers: u64, minute: u32, name: &str) -> Anchor {
        Anchor {
            covers,
            time: format!("2026-12-01T10:{minute:02}:00Z").parse().unwrap(),
            source: format!("timestamp by {name}"),
            logged_on: None,
        }
    }

    #[test]
    fn each_line_gets_the_earliest_anchor_covering_it() {
        assert_eq!(earliest(3, &[]), vec![Anchored { from: 0, to: 2, anchor: None }]);
        let a = at(4, 10, "a");
        let b = at(9, 20, "b");
        let got = earliest(12, &[b.clone(), a.clone()]);
        assert_eq!(
            got,
            vec![
                Anchored { from: 0, to: 3, anchor: Some(a.clone()) },
                Anchored { from: 4, to: 8, anchor: Some(b.clone()) },
                Anchored { from: 9, to: 11, anchor: None },
            ]
        );
        assert_eq!(got[0].wording(), "no later than 2026-12-01T10:10:00Z (timestamp by a)");
        assert_eq!(got[2].wording(), "sender's claim only");
        // A larger anchor that is earlier wins over a smaller later one.
        let c = at(9, 5, "c");
        assert_eq!(earliest(9, &[a, c.clone()]), vec![Anchored { from: 0, to: 8, anchor: Some(c) }]);
    }

    #[test]
    fn single_lines_get_the_anchor_the_ranges_give() {
        let mut ts = at(4, 10, "a");
        ts.logged_on = Some(1);
        let mut w = at(9, 10, "w");
        w.source = "witness: the message of D to Y".into();
        let late = at(9, 20, "b");
        let anchors = [late, w.clone(), ts.clone()];
        let got = earliest_each(&[0, 3, 4, 8, 9], &anchors);
        // Lines 0 and 3: the timestamp ties with the witness and wins.
        assert_eq!(got, vec![Some(ts.clone()), Some(ts), Some(w.clone()), Some(w), None]);
        let ranges = earliest(10, &anchors);
        for seq in 0..10u64 {
            let r = ranges.iter().find(|r| r.from <= seq && seq <= r.to).unwrap();
            assert_eq!(earliest_each(&[seq], &anchors)[0], r.anchor, "seq {seq}");
        }
    }

    #[test]
    fn a_witness_joins_the_timestamps_and_ties_have_one_answer() {
        let ts = at(4, 10, "tsa");
        let mut w = at(8, 5, "x");
        w.source = "witness: the message of D to Y".into();
        w.logged_on = None;
        let mut ts = ts;
        ts.logged_on = Some(5);
        // The earlier witness covers more: it wins for every line.
        let got = earliest(10, &[ts.clone(), w.clone()]);
        assert_eq!(got[0], Anchored { from: 0, to: 7, anchor: Some(w.clone()) });
        assert_eq!(got[0].wording(), "no later than 2026-12-01T10:05:00Z (witness: the message of D to Y)");
        // Equal times: the timestamp, whatever the order given.
        let mut late = w.clone();
        late.time = ts.time;
        late.covers = 4;
        for anchors in [vec![ts.clone(), late.clone()], vec![late.clone(), ts.clone()]] {
            assert_eq!(earliest(4, &anchors), vec![Anchored { from: 0, to: 3, anchor: Some(ts.clone()) }]);
        }
    }
}
