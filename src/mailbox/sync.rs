//! `dsr mail sync`: what is new in the watched folders, recorded once.
//!
//! What was fetched before is read from the log, never from a state file:
//! every `message_received` line records its folder, the folder's
//! UIDVALIDITY, the UID and the stored message's hash, and so does every
//! `delivered`, `delayed`, `bounced` and `read` line a sync wrote. A sync asks each
//! folder for the UIDs above the highest one recorded under its current
//! UIDVALIDITY (all of them when the UIDVALIDITY is new) and skips
//!
//! - a (folder, UIDVALIDITY, UID) already recorded;
//! - a message whose exact bytes are already stored for a received
//!   message or a reply (the same message in two folders, or fetched
//!   again after the server changed UIDVALIDITY): recorded once;
//! - a copy of a message dsr sent (its Message-ID is dsr's).
//!
//! A skipped message leaves no line of its own, so a batch whose last
//! messages were skipped ends with a `mail_synced` line (folder,
//! UIDVALIDITY, the batch's highest UID): the next sync starts above it
//! and fetches none of them again.
//!
//! Messages are fetched and committed in batches of [`BATCH`]: objects
//! made durable, then their lines appended with one fsync. A connection
//! that drops mid-fetch loses nothing already committed, and the next
//! sync continues after it.

use super::imap::Session;
use super::matching::{self, Match};
use super::{Error, classify};
use crate::case::Case;
use crate::case::event::{Event, MailSynced, MatchBasis, MessageReceived, Place, Suggestion, role};
use crate::config::Imap;
use crate::evidence::{Log, RequestId, Sha256};
use crate::mail;
use crate::ops::report::Fetched;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

/// How many messages are fetched and committed together.
pub const BATCH: usize = 200;

/// Where a message came from.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The folder.
    pub folder: &'a str,
    /// Its UIDVALIDITY.
    pub uidvalidity: u32,
    /// The message's UID.
    pub uid: u32,
}

/// What the log says was fetched and stored.
#[derive(Debug, Default)]
pub struct State {
    seen: HashSet<(String, u32, u32)>,
    highest: HashMap<(String, u32), u32>,
    hashes: HashSet<Sha256>,
}

impl State {
    fn note(&mut self, m: &MessageReceived) {
        self.note_place(&m.folder, m.uidvalidity, m.uid);
        self.hashes.extend(m.objects.iter().filter(|o| o.role == role::REPLY).map(|o| o.sha256));
    }

    /// A message recorded from `folder`: not fetched again.
    fn note_place(&mut self, folder: &str, uidvalidity: u32, uid: u32) {
        self.seen.insert((folder.to_string(), uidvalidity, uid));
        self.note_synced(folder, uidvalidity, uid);
    }

    /// `folder` was looked at up to `uid` (a `mail_synced` line, or a
    /// message recorded from it).
    fn note_synced(&mut self, folder: &str, uidvalidity: u32, uid: u32) {
        let top = self.highest.entry((folder.to_string(), uidvalidity)).or_insert(0);
        *top = (*top).max(uid);
    }

    /// The first UID not yet looked at in `folder` under `uidvalidity`.
    pub fn next_uid(&self, folder: &str, uidvalidity: u32) -> u32 {
        self.highest.get(&(folder.to_string(), uidvalidity)).map_or(1, |u| u.saturating_add(1))
    }
}

/// A received message that no case took (matched none, or several).
#[derive(Debug, Clone, Serialize)]
pub struct Unassigned {
    /// Its `message_received` line.
    pub seq: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Where it was fetched from.
    pub folder: String,
    /// Its Message-ID as written.
    pub message_id: Option<String>,
    /// Its Date header.
    pub date: Option<DateTime<Utc>>,
    /// The cases it matched, when several.
    pub candidates: Vec<RequestId>,
    /// The suggested outcome.
    pub suggested: Suggestion,
    /// The stored message.
    pub hash: Option<Sha256>,
}

/// What the log says about the mailbox.
#[derive(Debug)]
pub struct Loaded {
    /// Every case.
    pub cases: BTreeMap<RequestId, Case>,
    /// What was fetched.
    pub state: State,
    /// The received messages no case took (and no `dsr reply` assigned since).
    pub unassigned: Vec<Unassigned>,
}

/// Reads the log: see [`Loaded`].
///
/// # Errors
/// The log is damaged or does not fold.
pub fn load(data_dir: &Path) -> Result<Loaded, crate::Error> {
    let mut state = State::default();
    let mut loose = Vec::new();
    let cases = crate::case::state::fold_log_with(data_dir, |e| {
        let event = Event::decode(e)?;
        // A delivery report or read receipt that a sync filed records
        // where it was fetched, as a received message does.
        let place = match &event {
            Some(Event::Delivered(r) | Event::Delayed(r) | Event::Bounced(r)) => r.place.as_ref(),
            Some(Event::Read(r)) => r.place.as_ref(),
            _ => None,
        };
        if let Some(p) = place {
            state.note_place(&p.folder, p.uidvalidity, p.uid);
        }
        if let Some(Event::MailSynced(s)) = &event {
            state.note_synced(&s.folder, s.uidvalidity, s.uid);
        }
        if let Some(Event::MessageReceived(m)) = event {
            state.note(&m);
            if e.request.is_none() {
                loose.push(Unassigned {
                    seq: e.seq,
                    recorded_at: e.time,
                    folder: m.folder,
                    message_id: m.message_id,
                    date: m.date,
                    candidates: m.candidates,
                    suggested: m.suggested,
                    hash: m.objects.iter().find(|o| o.role == role::REPLY).map(|o| o.sha256),
                });
            }
        }
        Ok(())
    })?;
    let replied: HashSet<Sha256> =
        cases.values().flat_map(|c| c.replies.iter().filter_map(|r| r.message_hash())).collect();
    state.hashes.extend(replied.iter().copied());
    loose.retain(|u| !u.hash.is_some_and(|h| replied.contains(&h)));
    Ok(Loaded { cases, state, unassigned: loose })
}

/// What [`ingest`] decided for one message.
#[derive(Debug)]
pub enum Ingested {
    /// Record it: the event (without its object yet) and its case.
    Record(Box<MessageReceived>, Option<RequestId>),
    /// Already recorded (same place, or same bytes).
    Duplicate,
    /// A copy of a message dsr sent.
    OwnMessage,
}

/// The one place a fetched message enters dsr: decides whether it is new,
/// which case it belongs to and on what basis, and what it seems to say.
pub fn ingest(cases: &BTreeMap<RequestId, Case>, state: &State, bytes: &[u8], origin: Origin<'_>) -> Ingested {
    if state.seen.contains(&(origin.folder.to_string(), origin.uidvalidity, origin.uid))
        || state.hashes.contains(&Sha256::digest(bytes))
    {
        return Ingested::Duplicate;
    }
    // A message whose headers do not parse is still evidence of what
    // arrived: it is recorded, unmatched.
    let headers = mail::parse::headers(bytes).unwrap_or_default();
    if let Some(own) = &headers.message_id
        && cases.values().any(|c| c.message_ids().any(|m| m.as_str() == own))
    {
        return Ingested::OwnMessage;
    }
    // Delivery reports and read receipts that name a case were taken by
    // `ops::report::fetched` before (in `once`); one that names no case is
    // recorded here like any other message.
    let (subject, text) = classify::subject_and_text(bytes);
    let (request, matched, candidates) = match matching::find(cases, &headers, subject.as_deref()) {
        Match::One(r, basis) => (Some(r), Some(basis), Vec::new()),
        Match::Several(rs) => (None, None, rs),
        Match::None => (None, None, Vec::new()),
    };
    let suggested = classify::suggest(subject.as_deref(), &text);
    let event = MessageReceived {
        folder: origin.folder.to_string(),
        uidvalidity: origin.uidvalidity,
        uid: origin.uid,
        message_id: headers.message_id,
        date: headers.date,
        matched,
        candidates,
        suggested,
        objects: Vec::new(),
    };
    Ingested::Record(Box::new(event), request)
}

/// One recorded message, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// Its log line.
    pub seq: u64,
    /// The folder and UID.
    pub folder: String,
    /// Its UID.
    pub uid: u32,
    /// Its case, if it matched one.
    pub request: Option<RequestId>,
    /// On what basis.
    pub matched: Option<MatchBasis>,
    /// The cases, when it matched several.
    pub candidates: Vec<RequestId>,
    /// What dsr suggests it says.
    pub suggested: Suggestion,
    /// Its Message-ID.
    pub message_id: Option<String>,
}

/// What one sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The messages recorded.
    pub recorded: Vec<Recorded>,
    /// Messages fetched but already recorded (or dsr's own).
    pub skipped: usize,
    /// Delivery reports and read receipts recorded as their events
    /// (`delivered`, `delayed`, `bounced`, `read`), not in `recorded`.
    pub reports: usize,
    /// How many messages the first watched folder had when it was read.
    #[serde(skip)]
    pub first_folder_exists: u32,
}

/// Connects and logs in (the password is read now, from its source).
///
/// # Errors
/// The password source fails, or [`Session::connect`] does.
pub fn connect(imap: &Imap) -> Result<Session, crate::Error> {
    let password = imap.password.resolve("imap")?;
    Ok(Session::connect(imap, &password)?)
}

/// Fetches and records what is new in every watched folder.
///
/// # Errors
/// IMAP, the store or the log failed; what was committed before stays.
pub fn once(
    session: &mut Session,
    data_dir: &Path,
    imap: &Imap,
    now: &dyn Fn() -> DateTime<Utc>,
) -> Result<Report, crate::Error> {
    let mut log = Log::open(data_dir)?;
    let Loaded { cases, mut state, .. } = load(data_dir)?;
    let mut report = Report::default();
    let mut reports_seen: HashSet<Sha256> = HashSet::new();
    for folder in &imap.folders {
        let f = session.examine(folder)?;
        if Some(folder) == imap.folders.first() {
            report.first_folder_exists = f.exists;
        }
        if f.exists == 0 {
            continue;
        }
        let uids: Vec<u32> = session
            .uids_from(state.next_uid(folder, f.uidvalidity))?
            .into_iter()
            .filter(|&u| !state.seen.contains(&(folder.clone(), f.uidvalidity, u)))
            .collect();
        for chunk in uids.chunks(BATCH) {
            let fetched = session.fetch(chunk)?;
            let batch = log.store().batch();
            let mut events = Vec::new();
            let mut planned = Vec::new();
            for (uid, bytes) in &fetched {
                // A delivery report or read receipt for a case becomes its
                // typed event (`delivered`, `delayed`, `bounced`, `read`).
                let place = Place { folder: folder.clone(), uidvalidity: f.uidvalidity, uid: *uid };
                match crate::ops::report::fetched(&cases, bytes, place) {
                    Fetched::New(request, event) => {
                        state.note_place(folder, f.uidvalidity, *uid);
                        if reports_seen.insert(Sha256::digest(bytes)) {
                            batch.put(bytes)?;
                            planned.push(None);
                            events.push(event.into_new(now(), request));
                        } else {
                            report.skipped += 1;
                        }
                        continue;
                    }
                    Fetched::AlreadyRecorded => {
                        report.skipped += 1;
                        continue;
                    }
                    Fetched::NotOurs => {}
                }
                let origin = Origin { folder, uidvalidity: f.uidvalidity, uid: *uid };
                match ingest(&cases, &state, bytes, origin) {
                    Ingested::Record(mut m, request) => {
                        m.objects = vec![batch.put(bytes)?.with_role(role::REPLY)];
                        state.note(&m);
                        planned.push(Some((m.clone(), request.clone())));
                        let event = Event::MessageReceived(*m);
                        events.push(match request {
                            Some(r) => event.into_new(now(), r),
                            None => event.into_unassigned(now()),
                        });
                    }
                    Ingested::Duplicate | Ingested::OwnMessage => report.skipped += 1,
                }
            }
            // The batch's last messages were skipped: no line records
            // their UIDs, so one says how far the folder was read.
            if let Some(&(top, _)) = fetched.last()
                && state.next_uid(folder, f.uidvalidity) <= top
            {
                state.note_synced(folder, f.uidvalidity, top);
                let synced = MailSynced { folder: folder.clone(), uidvalidity: f.uidvalidity, uid: top };
                // Last in the group, with no `planned` of its own: the
                // zip below passes over it.
                events.push(Event::MailSynced(synced).into_unassigned(now()));
            }
            batch.commit()?;
            let entries = log.append_group(events)?;
            for (entry, planned) in entries.iter().zip(planned) {
                let Some((m, request)) = planned else {
                    report.reports += 1;
                    continue;
                };
                report.recorded.push(Recorded {
                    seq: entry.seq,
                    folder: m.folder,
                    uid: m.uid,
                    request,
                    matched: m.matched,
                    candidates: m.candidates,
                    suggested: m.suggested,
                    message_id: m.message_id,
                });
            }
        }
    }
    Ok(report)
}

/// Waits in IDLE on the first watched folder until something arrives or
/// `max` passed. A message that arrived after the last sync read the
/// folder (`known` messages then) ends the wait at once.
///
/// # Errors
/// As [`Session::idle`].
pub fn wait(session: &mut Session, imap: &Imap, known: u32, max: Duration) -> Result<bool, Error> {
    let Some(first) = imap.folders.first() else { return Ok(false) };
    if session.examine(first)?.exists != known {
        return Ok(true);
    }
    session.idle(max)
}
