//! The event vocabulary against a log written by an earlier dsr.
//!
//! `tests/fixtures/golden-log/log.jsonl` was written by the dsr of commit
//! 4f2a864, before events were typed (`make.sh` beside it says how). It
//! holds every event kind and every enumerated value a real SMTP dialogue
//! reached. Two promises are checked against it:
//!
//! 1. it folds to the same state as it did then (`state.json`, recorded by
//!    that dsr's fold; regenerate only with `DSR_BLESS=1` — the one bless
//!    mechanism, `tests/support/snapshot.rs` — and only when the change to
//!    the state is intended and reviewed);
//! 2. every case event in it decodes and encodes again to the very bytes of
//!    its `data` (the same inputs give the same log lines).

use super::event::Event;
use super::state::{Case, fold_log};
use crate::evidence::read_entries;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden-log")
}

/// Everything the fold says about a case, as JSON: the case (its
/// serialized fields), the payload fields it keeps, its status and due date.
fn snapshot(cases: &BTreeMap<crate::evidence::RequestId, Case>) -> String {
    let now = crate::evidence::parse_time("2026-12-01T12:00:00Z").unwrap();
    let all: Vec<serde_json::Value> = cases
        .values()
        .map(|c| {
            let kept: Vec<serde_json::Value> = std::iter::once(&c.original)
                .chain(&c.followups)
                .map(|m| {
                    let k = &m.prepared;
                    serde_json::json!({
                        "lang": k.lang, "to": k.to, "cc": k.cc, "confirm_by": k.confirm_by,
                        "batch_key": k.batch_key, "objects": k.objects,
                    })
                })
                .collect();
            serde_json::json!({
                "case": c,
                "kept": kept,
                "status": c.status().name(),
                "settled": c.is_settled(),
                "due": c.due(&[]).unwrap(),
                "overdue": c.is_overdue(now, &[]).unwrap(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&all).unwrap() + "\n"
}

#[test]
fn the_golden_log_folds_to_the_state_it_had_when_written() {
    let cases = fold_log(&fixture()).unwrap();
    assert_eq!(cases.len(), 7);
    crate::snapshot::assert_file(&fixture().join("state.json"), snapshot(&cases).as_bytes());
}

#[test]
fn every_event_of_the_golden_log_encodes_to_its_own_bytes() {
    let text = std::fs::read_to_string(fixture().join("log.jsonl")).unwrap();
    let mut entries = read_entries(&fixture()).unwrap();
    let mut checked = 0;
    for line in text.lines() {
        let entry = entries.next_ref().unwrap().unwrap();
        // The data member's bytes, exactly as written.
        let start = line.find(",\"data\":").unwrap() + ",\"data\":".len();
        let end = line.rfind(",\"prev\":").unwrap();
        let written = &line[start..end];
        if let Some(again) = reencode(&entry) {
            assert_eq!(again, written, "line {}", entry.seq);
            checked += 1;
        }
    }
    assert_eq!(checked, 29, "every case event of the fixture");
}

/// The `data` of a case event decoded into its [`Event`] and encoded
/// again; `None` for the log's own events.
fn reencode(e: &crate::evidence::EntryRef<'_>) -> Option<String> {
    let event = Event::decode(e).unwrap()?;
    assert_eq!(event.name().as_str(), &*e.event);
    Some(serde_json::to_string(&event.to_data()).unwrap())
}
