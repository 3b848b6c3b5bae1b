//! Retention: deleting a case's objects while keeping the log verifiable.
//!
//! [`purge`] finds the objects named (in `data.objects`) by the selected
//! requests' events, appends one `purged` event per request listing the
//! hashes in `data.purged` (with a `reason`), and only then deletes the
//! files. The chain is untouched, and `verify --objects` reports those
//! hashes as purged rather than missing. Logging first means a crash in
//! between leaves files that the log calls purged (harmless; purging again
//! deletes them) rather than files gone without a record.
//!
//! An object that another request still names (the same attachment in two
//! cases) is kept, because deleting it would break that case's evidence.
//! A request's references stop counting once it has been purged itself.

use super::chain::Reader;
use super::line::Fields;
use super::{Entry, Error, Log, NewEvent, PURGED_EVENT, RequestId, Sha256};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Which requests to purge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurgeSelection {
    /// One request.
    Request(RequestId),
    /// Every request with no event at or after this time (whose last event
    /// is not already its purge).
    Before(DateTime<Utc>),
    /// These requests (chosen by the caller's retention rules,
    /// `ops::purge`).
    Requests(BTreeSet<RequestId>),
}

/// A purge to carry out.
#[derive(Debug, Clone)]
pub struct Purge {
    /// Which requests.
    pub selection: PurgeSelection,
    /// Why, written into each `purged` event (no personal data).
    pub reason: String,
    /// The time of the `purged` events.
    pub time: DateTime<Utc>,
    /// Only report what would be purged; change nothing.
    pub dry_run: bool,
    /// Requests purged although the caller's rules would keep them (`dsr
    /// purge --force`): their `purged` events say `"forced": true`.
    pub forced: BTreeSet<RequestId>,
}

/// What a purge did (or would do) for one request.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Purged {
    /// The request.
    pub request: RequestId,
    /// Objects deleted (listed in its `purged` event).
    pub purged: Vec<Sha256>,
    /// Objects kept because another request still names them.
    pub kept_shared: Vec<Sha256>,
    /// The `purged` event (`None` in a dry run or when nothing was purged).
    pub entry: Option<Entry>,
}

/// What the first pass learns about one request.
#[derive(Default)]
struct RequestSummary {
    last_seq: u64,
    last_time: String,
    last_purged_seq: Option<u64>,
}

/// Purges the selected requests' objects (see the module docs).
///
/// # Errors
/// [`Error::UnknownRequest`] if a selected request is not in the log;
/// [`Error::Verify`] if the log does not read cleanly (nothing is changed
/// then); [`Error::Io`].
pub fn purge(log: &mut Log, purge: &Purge) -> Result<Vec<Purged>, Error> {
    let data_dir = log.data_dir().to_path_buf();
    // Pass 1: what each request's last event and last purge are.
    let mut requests: HashMap<String, RequestSummary> = HashMap::new();
    scan(&data_dir, |line| {
        if let Some(r) = &line.request {
            let s = requests.entry(r.to_string()).or_default();
            s.last_seq = line.seq;
            s.last_time = line.time.to_string();
            if line.event == PURGED_EVENT {
                s.last_purged_seq = Some(line.seq);
            }
        }
    })?;
    let selected: BTreeSet<String> = match &purge.selection {
        PurgeSelection::Request(id) => {
            if !requests.contains_key(id.as_str()) {
                return Err(Error::UnknownRequest { request: id.clone() });
            }
            BTreeSet::from([id.to_string()])
        }
        PurgeSelection::Requests(ids) => {
            if let Some(id) = ids.iter().find(|id| !requests.contains_key(id.as_str())) {
                return Err(Error::UnknownRequest { request: id.clone() });
            }
            ids.iter().map(|id| id.to_string()).collect()
        }
        PurgeSelection::Before(t) => {
            let before = super::format_time(t);
            requests.iter().filter(|(_, s)| s.last_time < before).map(|(r, _)| r.clone()).collect()
        }
    };
    // A request whose last event is its purge has nothing new to purge.
    let selected: BTreeSet<String> = selected
        .into_iter()
        .filter(|r| requests.get(r).is_some_and(|s| s.last_purged_seq != Some(s.last_seq)))
        .collect();

    // Pass 2: the selected requests' objects.
    let mut targets: BTreeMap<String, BTreeSet<Sha256>> = BTreeMap::new();
    scan(&data_dir, |line| {
        if let Some(r) = line.request.as_deref().filter(|r| selected.contains(*r)) {
            targets.entry(r.to_string()).or_default().extend(line.refs.objects.iter().map(|o| o.sha256));
        }
    })?;
    let candidates: BTreeSet<Sha256> = targets.values().flatten().copied().collect();

    // Pass 3: which of them other requests still name.
    let mut shared: BTreeSet<Sha256> = BTreeSet::new();
    scan(&data_dir, |line| {
        let retired = match line.request.as_deref() {
            Some(r) if selected.contains(r) => return,
            Some(r) => requests.get(r).and_then(|s| s.last_purged_seq).is_some_and(|p| p > line.seq),
            None => false,
        };
        if !retired {
            shared.extend(line.refs.objects.iter().map(|o| o.sha256).filter(|h| candidates.contains(h)));
        }
    })?;

    let mut results = Vec::new();
    let mut events = Vec::new();
    for (request, hashes) in targets {
        let request: RequestId = request.parse().map_err(|_| Error::InvalidEvent {
            event: PURGED_EVENT.into(),
            why: crate::t!("ev2.invalid.request-id"),
        })?;
        let (kept_shared, rest): (Vec<Sha256>, Vec<Sha256>) = hashes.into_iter().partition(|h| shared.contains(h));
        let purged: Vec<Sha256> = rest.into_iter().filter(|h| log.store().path_of(h).is_file()).collect();
        if !purged.is_empty() && !purge.dry_run {
            let mut data = serde_json::json!({ "purged": purged, "reason": purge.reason });
            if purge.forced.contains(&request) {
                data["forced"] = serde_json::Value::Bool(true);
            }
            events.push(NewEvent::new(purge.time, PURGED_EVENT, Some(request.clone()), data));
        }
        results.push(Purged { request, purged, kept_shared, entry: None });
    }
    if purge.dry_run {
        return Ok(results);
    }
    let mut entries = log.append_group(events)?.into_iter();
    for r in &mut results {
        if !r.purged.is_empty() {
            r.entry = entries.next();
            for h in &r.purged {
                log.store().remove(h)?;
            }
        }
    }
    Ok(results)
}

/// Calls `f` with every line of the log, checked.
fn scan(data_dir: &Path, mut f: impl FnMut(&Fields<'_>)) -> Result<(), Error> {
    if let Some(mut reader) = Reader::open(data_dir)? {
        while let Some(line) = reader.next_checked()? {
            f(&line.fields);
        }
    }
    Ok(())
}
