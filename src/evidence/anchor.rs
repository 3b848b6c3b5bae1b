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
use super::{CHECKPOINT_EVENT, Error, IoContext, LOG_FILE, ObjectRef, Sha256, Store, VerifyError};
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
    pub source: Source,
    /// The log line (seq) that records it, if the log does (a timestamp;
    /// `None` for a witness).
    pub logged_on: Option<u64>,
}

/// Who gives an [`Anchor`]. Shown (`Display`) in the interface language;
/// serialized (the JSON reports' `by`) in English, as [`Source::english`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A time-stamping authority's token (the TSA's name).
    Timestamp(String),
    /// A checkpoint carried by a mail message.
    Witness {
        /// Its `Date` header, as written.
        date: String,
        /// Its `To` header, as written, if any.
        to: Option<String>,
    },
}

impl Source {
    /// The words in `lang`.
    pub fn text_in(&self, lang: crate::i18n::UiLang) -> String {
        match self {
            Source::Timestamp(tsa) => crate::t_in!(lang, "ev2.anchor.timestamp-by", tsa = tsa),
            Source::Witness { date, to } => {
                let to = match to {
                    Some(to) => to.trim().to_string(),
                    None => crate::t_in!(lang, "ev2.witness.no-to"),
                };
                crate::t_in!(lang, "ev2.anchor.witness", date = date.trim(), to = to)
            }
        }
    }

    /// The words in English (what the JSON reports hold).
    pub fn english(&self) -> String {
        self.text_in(crate::i18n::UiLang::En)
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text_in(crate::i18n::ui()))
    }
}

impl serde::Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english())
    }
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
    /// The report's wording, in English (the JSON reports' `says`):
    /// `no later than T (timestamp by X)` or `sender's claim only`.
    pub fn wording(&self) -> String {
        match &self.anchor {
            Some(a) => format!(
                "no later than {} ({})",
                a.time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                a.source.english()
            ),
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
    let mut anchors = Vec::new();
    let checkpoint_needle = format!("\"event\":\"{CHECKPOINT_EVENT}\"");
    let timestamped_needle = format!("\"event\":\"{TIMESTAMPED_EVENT}\"");
    // Only checkpoint and timestamped lines are parsed (the log verified
    // before this is called; other lines may nest deeper than a full parse
    // allows). First the checkpoint lines that `timestamped` lines name,
    // so that only their notes are kept: memory stays with the number of
    // timestamps, not of checkpoints (a log without timestamps is read
    // once, and nothing is kept).
    let mut named: HashMap<u64, Option<(Sha256, u64)>> = HashMap::new();
    let mut any = false;
    lines_containing(&path, &[timestamped_needle.as_bytes()], |_, raw| {
        let Some(entry) = parse_view(raw).filter(|e| e.event == TIMESTAMPED_EVENT) else { return Ok(()) };
        // One without a seq is refused below, in its place.
        any = true;
        if let Some(cp_seq) = entry.data.pointer("/checkpoint/seq").and_then(serde_json::Value::as_u64) {
            named.insert(cp_seq, None);
        }
        Ok(())
    })?;
    if !any {
        return Ok(anchors);
    }
    let needles = [checkpoint_needle.as_bytes(), timestamped_needle.as_bytes()];
    lines_containing(&path, &needles, |seq, raw| {
        // A checkpoint line no timestamp names is skipped unparsed.
        if !named.contains_key(&seq) && !has(raw, &timestamped_needle) {
            return Ok(());
        }
        let Some(entry) = parse_view(raw) else { return Ok(()) };
        let bad =
            |problem: String| Error::Verify(VerifyError::Timestamp { path: path.clone(), line: seq + 1, problem });
        if entry.event == CHECKPOINT_EVENT {
            if let Some(slot) = named.get_mut(&seq) {
                let note = entry.data.get("note").and_then(|n| n.as_str()).unwrap_or_default();
                let size = super::note::SignedCheckpoint::parse(note).map(|c| c.checkpoint.size).unwrap_or(0);
                *slot = Some((Sha256::digest(note.as_bytes()), size));
            }
            return Ok(());
        }
        if entry.event != TIMESTAMPED_EVENT {
            return Ok(());
        }
        let field = |name: &str| entry.data.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let cp_seq = entry.data.pointer("/checkpoint/seq").and_then(serde_json::Value::as_u64);
        let Some(cp_seq) = cp_seq else { return Err(bad(crate::t!("evidence.anchor.no-checkpoint"))) };
        let Some(&Some((digest, size))) = named.get(&cp_seq).filter(|_| cp_seq < seq) else {
            return Err(bad(crate::t!("evidence.anchor.not-a-checkpoint", line = cp_seq + 1, seq = cp_seq)));
        };
        let objects: Vec<ObjectRef> =
            entry.data.get("objects").and_then(|v| serde::Deserialize::deserialize(v).ok()).unwrap_or_default();
        let Some(token_ref) = objects.into_iter().find(|o| o.role == TOKEN_ROLE) else {
            return Err(bad(crate::t!("evidence.anchor.no-token", role = TOKEN_ROLE)));
        };
        let der = store
            .get(&token_ref.sha256)
            .map_err(|e| bad(crate::t!("evidence.anchor.token-object", sha256 = token_ref.sha256, error = e)))?;
        if Sha256::digest(&der) != token_ref.sha256 {
            return Err(bad(crate::t!("evidence.anchor.token-changed", sha256 = token_ref.sha256)));
        }
        let token = tsp::parse_token(&der)
            .map_err(|e| bad(crate::t!("evidence.anchor.token-object", sha256 = token_ref.sha256, error = e)))?;
        if token.check(digest.as_bytes(), None).is_err() {
            return Err(bad(crate::t!(
                "evidence.anchor.rewritten",
                tsa = field("tsa"),
                line = cp_seq + 1,
                seq = cp_seq,
                time = super::format_time(&token.gen_time)
            )));
        }
        let logged = DateTime::parse_from_rfc3339(&field("gen_time")).ok().map(|t| t.with_timezone(&Utc));
        if logged != Some(token.gen_time) {
            return Err(bad(crate::t!(
                "evidence.anchor.gen-time",
                logged = format!("{:?}", field("gen_time")),
                time = super::format_time(&token.gen_time)
            )));
        }
        trust.check(&field("tsa"), &der, token.gen_time).map_err(|e| {
            Error::Verify(VerifyError::TokenRefused {
                path: path.clone(),
                line: seq + 1,
                problem: crate::t!(
                    "evidence.anchor.refused",
                    tsa = field("tsa"),
                    sha256 = token_ref.sha256,
                    token = token.text(),
                    error = e.text()
                ),
            })
        })?;
        anchors.push(Anchor {
            covers: size,
            time: token.gen_time,
            source: Source::Timestamp(field("tsa")),
            logged_on: Some(seq),
        });
        Ok(())
    })?;
    Ok(anchors)
}

/// Whether `line` holds `needle`.
fn has(line: &[u8], needle: &str) -> bool {
    memchr::memmem::find(line, needle.as_bytes()).is_some()
}

/// Calls `f(seq, line)` for each line of `path` (without its `\n`; the
/// last one also if the file does not end in `\n`) that holds one of
/// `needles`, in order. Reads in large blocks and finds the needles with
/// `memchr`, without copying or allocating per line.
fn lines_containing(
    path: &Path,
    needles: &[&[u8]],
    mut f: impl FnMut(u64, &[u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    use std::io::Read;
    const BLOCK: usize = 1 << 20;
    let read_err = |e| Error::io(IoContext::Read, path, e);
    let mut file = std::fs::File::open(path).map_err(read_err)?;
    let finders: Vec<memchr::memmem::Finder<'_>> = needles.iter().map(memchr::memmem::Finder::new).collect();
    let mut buf: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    // The seq of the line starting at `buf[0]`.
    let mut seq = 0u64;
    let mut hits: Vec<usize> = Vec::new();
    loop {
        let old = buf.len();
        buf.resize(old + BLOCK, 0);
        let n = loop {
            match file.read(&mut buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(read_err(e)),
            }
        };
        buf.truncate(old + n);
        let eof = n == 0;
        // The complete lines in `buf` (all of it at the end of the file).
        let upto = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf[old..]) {
                Some(i) => old + i + 1,
                None => continue,
            }
        };
        let block = &buf[..upto];
        hits.clear();
        for finder in &finders {
            hits.extend(finder.find_iter(block));
        }
        hits.sort_unstable();
        // Lines before `counted` are numbered: `seq` is the line at `counted`.
        let (mut counted, mut last_start) = (0usize, None);
        for &at in &hits {
            let start = memchr::memrchr(b'\n', &block[..at]).map_or(0, |i| i + 1);
            if last_start == Some(start) {
                continue;
            }
            last_start = Some(start);
            seq += memchr::memchr_iter(b'\n', &block[counted..start]).count() as u64;
            counted = start;
            let end = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i);
            f(seq, &block[start..end])?;
        }
        seq += memchr::memchr_iter(b'\n', &block[counted..]).count() as u64;
        if eof {
            return Ok(());
        }
        buf.drain(..upto);
    }
}

/// A line's event and data, as before: through a `serde_json::Value`;
/// `None` if it does not parse.
fn parse_view(raw: &[u8]) -> Option<LineView> {
    let line = serde_json::from_slice::<serde_json::Value>(raw).ok()?;
    serde_json::from_value::<LineView>(line).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(covers: u64, minute: u32, name: &str) -> Anchor {
        Anchor {
            covers,
            time: format!("2026-12-01T10:{minute:02}:00Z").parse().unwrap(),
            source: Source::Timestamp(name.to_string()),
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
        w.source = Source::Witness { date: "D".into(), to: Some("Y".into()) };
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
        w.source = Source::Witness { date: "D".into(), to: Some("Y".into()) };
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

    /// The slow reference for [`lines_containing`]: split, then search.
    fn slow_lines(bytes: &[u8], needles: &[&[u8]]) -> Vec<(u64, Vec<u8>)> {
        let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        if bytes.ends_with(b"\n") || bytes.is_empty() {
            lines.pop();
        }
        lines
            .into_iter()
            .enumerate()
            .filter(|(_, l)| needles.iter().any(|n| l.windows(n.len()).any(|w| w == *n)))
            .map(|(i, l)| (i as u64, l.to_vec()))
            .collect()
    }

    fn fast_lines(bytes: &[u8], needles: &[&[u8]]) -> Vec<(u64, Vec<u8>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, bytes).unwrap();
        let mut got = Vec::new();
        lines_containing(&path, needles, |seq, line| {
            got.push((seq, line.to_vec()));
            Ok(())
        })
        .unwrap();
        got
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        #[test]
        fn lines_containing_agrees_with_split_and_search(
            parts in proptest::collection::vec(
                proptest::prop_oneof![proptest::strategy::Just(&b"ab"[..]), proptest::strategy::Just(&b"b"[..]), proptest::strategy::Just(&b"\n"[..]), proptest::strategy::Just(&b"xy"[..]), proptest::strategy::Just(&b"a"[..])],
                0..60,
            ),
        ) {
            let bytes: Vec<u8> = parts.concat();
            for needles in [&[&b"ab"[..]][..], &[&b"ab"[..], &b"xy"[..]][..], &[&b"b"[..], &b"ba"[..]][..]] {
                proptest::prop_assert_eq!(fast_lines(&bytes, needles), slow_lines(&bytes, needles));
            }
        }
    }

    #[test]
    fn lines_containing_across_read_blocks() {
        // Lines that straddle the 1 MiB read blocks, and a last line without `\n`.
        let mut bytes = Vec::new();
        let mut i = 0u64;
        while bytes.len() < 3 << 20 {
            let filler = "x".repeat((i as usize * 7919) % 5000);
            let mark = if i.is_multiple_of(3) { "\"event\":\"checkpoint\"" } else { "" };
            bytes.extend_from_slice(format!("{{{i}{mark}{filler}}}\n").as_bytes());
            i += 1;
        }
        bytes.extend_from_slice(b"tail \"event\":\"checkpoint\"");
        let needles: &[&[u8]] = &[b"\"event\":\"checkpoint\""];
        let fast = fast_lines(&bytes, needles);
        assert_eq!(fast, slow_lines(&bytes, needles));
        assert_eq!(fast.len() as u64, i.div_ceil(3) + 1);
    }

    #[test]
    fn a_timestamped_line_without_its_checkpoint_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(LOG_FILE);
        let head = r#"{"seq":0,"event":"log_created","data":{}}"#;
        for (line, why) in [
            (r#"{"seq":1,"event":"timestamped","data":{"tsa":"x"}}"#, "without data.checkpoint.seq"),
            (
                r#"{"seq":1,"event":"timestamped","data":{"checkpoint":{"seq":0}}}"#,
                "which is no earlier checkpoint line",
            ),
        ] {
            std::fs::write(&log, format!("{head}\n{line}\n")).unwrap();
            match timestamps(dir.path(), &TokenTrust::default()) {
                Err(Error::Verify(VerifyError::Timestamp { line: 2, problem, .. })) => {
                    assert!(problem.contains(why), "{problem}")
                }
                other => panic!("{line}: {other:?}"),
            }
        }
        std::fs::write(&log, format!("{head}\n")).unwrap();
        assert_eq!(timestamps(dir.path(), &TokenTrust::default()).unwrap(), vec![]);
    }
}
