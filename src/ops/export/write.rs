//! Writing a bundle: read the log once for the chain and the case's
//! entries (folding every case on the way with
//! [`case::state::fold_log_with`]: no `serde_json::Value` per line, only
//! the case's own entries become [`Entry`]s), once more for the case's
//! exact line bytes, copy every object the case names, then write the README, the manifest and SHA256SUMS
//! (each file hashed as it is written).

use super::{CHAIN, Error, FORMAT, File, LOG_LINES, Line, MANIFEST, Manifest, Object, README, SUMS};
use crate::case;
use crate::evidence::{self, Entry, EntryRef, LOG_FILE, ObjectRef, RequestId, Sha256, Store};
use crate::kind::LetterKind;
use crate::letter::Renderer;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// What to export, from where, to where.
pub struct ExportOptions<'a> {
    /// The data directory (log and objects).
    pub data_dir: &'a Path,
    /// The request id, or an unambiguous prefix of it.
    pub request: &'a str,
    /// The bundle directory (created if missing).
    pub out: &'a Path,
    /// Replace the files of an earlier bundle in `out`.
    pub force: bool,
    /// The export time (written into the manifest).
    pub now: DateTime<Utc>,
    /// Renders README.txt.
    pub renderer: &'a Renderer,
}

/// What [`export`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    /// The bundle directory.
    pub dir: PathBuf,
    /// The request.
    pub request: RequestId,
    /// The log's head when exported.
    pub head: Line,
    /// Exported log lines.
    pub lines: usize,
    /// Objects copied into the bundle.
    pub objects: usize,
    /// Objects the case names that were purged (listed, not copied).
    pub purged: Vec<Sha256>,
    /// Every file written, `SHA256SUMS` last.
    pub files: Vec<String>,
}

/// Writes the evidence bundle of one case (see the module docs of
/// [`super`]).
///
/// # Errors
/// An unknown request (with suggestions); `out` not empty without `force`;
/// a damaged log or a missing object that was not purged (evidence
/// invalid); I/O.
pub fn export(opts: &ExportOptions<'_>) -> Result<Exported, crate::Error> {
    // Pass 1: fold every case (to find this one, or suggest near ids),
    // noting every line's hash on the way, and this case's entries when
    // the full id was given.
    let exact: Option<RequestId> = opts.request.parse().ok();
    let mut chain: Vec<Sha256> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let all = case::state::fold_log_with(opts.data_dir, |e| {
        chain.push(e.hash);
        if exact.is_some() && e.request == exact {
            entries.push(owned(e)?);
        }
        Ok(())
    })?;
    let case = case::find(&all, opts.request)?;
    let stale = check_dir(opts.out, opts.force)?;
    if exact.as_ref() != Some(&case.request) {
        // A prefix was given: read again for this case's entries. The log
        // may have grown since; the chain stays as pass 1 saw it.
        entries.clear();
        let mut again = evidence::read_entries(opts.data_dir).map_err(case::Error::from)?;
        while let Some(e) = again.next_ref() {
            let e = e.map_err(case::Error::from)?;
            if e.seq as usize >= chain.len() {
                break;
            }
            if e.request.as_ref() == Some(&case.request) {
                entries.push(owned(&e)?);
            }
        }
    }
    let head = Line { seq: chain.len() as u64 - 1, sha256: *chain.last().expect("a case implies a line") };

    // Pass 2: the case's lines, byte for byte, checked against pass 1.
    let log_lines = raw_lines(&opts.data_dir.join(LOG_FILE), &entries)?;

    // Everything is built in memory first (a case's objects are small), so
    // a failure leaves no half-written bundle.
    let mut contents: Vec<(String, Vec<u8>)> = Vec::new();

    // Objects, numbered in the order the log first names them.
    let purged_by: BTreeMap<Sha256, u64> =
        entries.iter().flat_map(|e| e.purged().into_iter().map(move |h| (h, e.seq))).collect();
    let store = Store::new(opts.data_dir);
    let mut objects: Vec<Object> = Vec::new();
    let mut index: BTreeMap<Sha256, usize> = BTreeMap::new();
    for e in &entries {
        let kind = e.data.get("kind").and_then(|k| serde_json::from_value::<LetterKind>(k.clone()).ok());
        for r in e.objects() {
            if let Some(&i) = index.get(&r.sha256) {
                objects[i].named_by.push(e.seq);
                continue;
            }
            let file = match store.get(&r.sha256) {
                Ok(bytes) => {
                    let name = file_name(objects.len() + 1, &r, kind.filter(|k| !k.is_initial()), &bytes);
                    contents.push((name.clone(), bytes));
                    Some(name)
                }
                Err(evidence::Error::Object { problem: evidence::ObjectProblem::Missing, .. })
                    if purged_by.contains_key(&r.sha256) =>
                {
                    None
                }
                Err(evidence::Error::Object { problem: evidence::ObjectProblem::Missing, .. }) => {
                    return Err(Error::MissingObject { sha256: r.sha256, role: r.role.clone(), seq: e.seq }.into());
                }
                Err(other) => return Err(other.into()),
            };
            index.insert(r.sha256, objects.len());
            objects.push(Object {
                sha256: r.sha256,
                size: r.size,
                role: r.role.clone(),
                named_by: vec![e.seq],
                file,
                purged_by: purged_by.get(&r.sha256).copied(),
            });
        }
    }

    contents.push((LOG_LINES.into(), log_lines));
    let mut chain_txt = String::with_capacity(chain.len() * 72);
    for (seq, h) in chain.iter().enumerate() {
        chain_txt.push_str(&format!("{seq} {h}\n"));
    }
    contents.push((CHAIN.into(), chain_txt.into_bytes()));

    let lines: Vec<Line> = entries.iter().map(|e| Line { seq: e.seq, sha256: e.hash }).collect();
    let lang = case.original.prepared.lang;
    let readme = readme_data(case, &entries, &objects, &chain, head, opts.now, lang);
    let text = opts.renderer.render_template(lang, "evidence-readme", &readme)?;
    contents.push((README.into(), crate::letter::tidy(&text).into_bytes()));

    make_dir(opts.out, &stale)?;
    let mut written: Vec<File> = Vec::new();
    let out = opts.out;
    let put = |written: &mut Vec<File>, name: &str, bytes: &[u8]| -> Result<(), Error> {
        let path = out.join(name);
        fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))?;
        written.push(File { path: name.to_string(), sha256: Sha256::digest(bytes), size: bytes.len() as u64 });
        Ok(())
    };
    for (name, bytes) in &contents {
        put(&mut written, name, bytes)?;
    }

    let manifest = Manifest {
        format: FORMAT.into(),
        request: case.request.clone(),
        company: case.company.clone(),
        policy: case.policy.clone(),
        kind: case.kind,
        lang,
        head,
        exported_at: opts.now,
        dsr_version: env!("CARGO_PKG_VERSION").into(),
        files: written.clone(),
        lines,
        objects: objects.clone(),
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).expect("the manifest serializes");
    manifest_json.push(b'\n');
    put(&mut written, MANIFEST, &manifest_json)?;

    let mut sums = String::new();
    for f in &written {
        sums.push_str(&format!("{}  {}\n", f.sha256, f.path));
    }
    let path = opts.out.join(SUMS);
    fs::write(&path, sums).map_err(|e| Error::io("cannot write", &path, e))?;

    let mut files: Vec<String> = written.into_iter().map(|f| f.path).collect();
    files.push(SUMS.into());
    Ok(Exported {
        dir: opts.out.to_path_buf(),
        request: case.request.clone(),
        head,
        lines: entries.len(),
        objects: objects.iter().filter(|o| o.file.is_some()).count(),
        purged: objects.iter().filter(|o| o.file.is_none()).map(|o| o.sha256).collect(),
        files,
    })
}

/// One of the case's lines as an owned [`Entry`], its data parsed.
fn owned(e: &EntryRef<'_>) -> Result<Entry, case::Error> {
    e.to_entry().map_err(|message| case::Error::BadEvent { seq: e.seq, event: e.event.to_string(), message })
}

/// Checks that `out` is missing or empty; with `force`, that it holds
/// only files (an earlier bundle has no subdirectories: anything else is
/// not one), and returns them for [`make_dir`] to delete.
fn check_dir(out: &Path, force: bool) -> Result<Vec<PathBuf>, Error> {
    if !out.exists() {
        return Ok(Vec::new());
    }
    let found = fs::read_dir(out)
        .map_err(|e| Error::io("cannot read", out, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::io("cannot read", out, e))?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    if !force {
        return Err(Error::NotEmpty { path: out.to_path_buf() });
    }
    let mut files = Vec::new();
    for e in &found {
        if e.file_type().map_err(|err| Error::io("cannot read", e.path(), err))?.is_dir() {
            return Err(Error::NotABundle {
                path: out.to_path_buf(),
                name: e.file_name().to_string_lossy().into_owned(),
            });
        }
        files.push(e.path());
    }
    Ok(files)
}

/// Creates `out` and deletes an earlier bundle's files from it.
fn make_dir(out: &Path, stale: &[PathBuf]) -> Result<(), Error> {
    fs::create_dir_all(out).map_err(|e| Error::io("cannot create", out, e))?;
    for f in stale {
        fs::remove_file(f).map_err(|e| Error::io("cannot remove", f, e))?;
    }
    Ok(())
}

/// The exact bytes (each with its `\n`) of `entries`' lines, read from the
/// log file and checked against the hashes the checked read saw.
fn raw_lines(path: &Path, entries: &[Entry]) -> Result<Vec<u8>, Error> {
    let wanted: BTreeMap<u64, Sha256> = entries.iter().map(|e| (e.seq, e.hash)).collect();
    let Some(&last) = wanted.keys().next_back() else { return Ok(Vec::new()) };
    let file = fs::File::open(path).map_err(|e| Error::io("cannot open", path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut out = Vec::new();
    let mut line = Vec::new();
    for seq in 0..=last {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(|e| Error::io("cannot read", path, e))?;
        if n == 0 || line.last() != Some(&b'\n') {
            return Err(Error::Changed { path: path.to_path_buf(), seq });
        }
        if let Some(hash) = wanted.get(&seq) {
            if Sha256::digest(&line[..line.len() - 1]) != *hash {
                return Err(Error::Changed { path: path.to_path_buf(), seq });
            }
            out.extend_from_slice(&line);
        }
    }
    Ok(out)
}

/// `NN-<what>.<ext>`: a readable name for an object. `followup` is the
/// kind of a reminder's or complaint's `prepared` line, which prefixes its
/// files so they are not mistaken for the original request's.
fn file_name(n: usize, r: &ObjectRef, followup: Option<LetterKind>, bytes: &[u8]) -> String {
    let (stem, ext): (&str, &str) = match r.role.as_str() {
        case::event::role::MESSAGE => ("message", "eml"),
        case::event::role::ENVELOPE => ("envelope", "json"),
        case::event::role::LETTER => ("letter", "txt"),
        case::event::role::CONTEXT => ("letter-context", "json"),
        case::event::role::IDENTITY_TXT => ("identity-verification", "txt"),
        case::event::role::IDENTITY_JSON => ("identity-verification", "json"),
        case::event::role::SMTP_ERROR => ("smtp-error", "txt"),
        case::event::role::REPLY => ("reply", "eml"),
        case::event::role::NOTE => ("note", "txt"),
        case::event::role::MANDATE => ("mandate", sniff(bytes)),
        case::event::role::EVIDENCE => ("verification-evidence", sniff(bytes)),
        case::event::role::ATTACHMENT => ("attachment", sniff(bytes)),
        _ => ("", sniff(bytes)),
    };
    let stem = if stem.is_empty() { safe(&r.role) } else { stem.to_string() };
    match followup {
        Some(k) => format!("{n:02}-{}-{stem}.{ext}", k.name()),
        None => format!("{n:02}-{stem}.{ext}"),
    }
}

/// A role name made safe for a file name.
fn safe(role: &str) -> String {
    let s: String = role
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .take(40)
        .collect();
    if s.is_empty() { "object".into() } else { s }
}

/// A file extension from the first bytes, for attachments whose type the
/// log does not record.
fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF") {
        "pdf"
    } else if bytes.starts_with(b"\x89PNG") {
        "png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "jpg"
    } else if std::str::from_utf8(bytes).is_ok() {
        "txt"
    } else {
        "bin"
    }
}

/// The data README.txt is rendered from. `is` holds one flag per known
/// role, so the template picks the explanation (strict `{{#if}}` needs all
/// of them).
fn readme_data(
    case: &case::Case,
    entries: &[Entry],
    objects: &[Object],
    chain: &[Sha256],
    head: Line,
    now: DateTime<Utc>,
    lang: crate::lang::Lang,
) -> serde_json::Value {
    use case::event::role;
    let known = [
        ("message", role::MESSAGE),
        ("envelope", role::ENVELOPE),
        ("letter", role::LETTER),
        ("context", role::CONTEXT),
        ("identity_txt", role::IDENTITY_TXT),
        ("identity_json", role::IDENTITY_JSON),
        ("mandate", role::MANDATE),
        ("evidence", role::EVIDENCE),
        ("attachment", role::ATTACHMENT),
        ("smtp_error", role::SMTP_ERROR),
        ("reply", role::REPLY),
        ("note", role::NOTE),
    ];
    let roles: BTreeSet<&str> = known.iter().map(|(_, r)| *r).collect();
    let flags = |r: &str| {
        let mut m = serde_json::Map::new();
        for (key, name) in known {
            m.insert(key.into(), json!(r == name));
        }
        m.insert("other".into(), json!(!roles.contains(r)));
        m
    };
    let event_of = |seq: u64| entries.iter().find(|e| e.seq == seq).map(|e| e.event.clone()).unwrap_or_default();
    let files: Vec<_> = objects
        .iter()
        .filter_map(|o| {
            o.file.as_ref().map(|f| {
                json!({
                    "path": f, "role": o.role, "is": flags(&o.role), "sha256": o.sha256, "size": o.size,
                    "seq": o.named_by[0], "event": event_of(o.named_by[0]),
                })
            })
        })
        .collect();
    let purged: Vec<_> = objects
        .iter()
        .filter(|o| o.file.is_none())
        .map(|o| json!({"role": o.role, "sha256": o.sha256, "size": o.size, "seq": o.named_by[0], "purged_by": o.purged_by}))
        .collect();
    let lines: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            json!({
                "number": i + 1, "seq": e.seq, "event": e.event, "sha256": e.hash, "prev": e.prev,
                "day": e.time.date_naive().to_string(),
            })
        })
        .collect();
    let first = &entries[0];
    let example = json!({
        "seq": first.seq,
        "sha256": first.hash,
        "prev": first.prev,
        "prev_seq": first.seq.saturating_sub(1),
        "next_seq": first.seq + 1,
    });
    json!({
        "lang": lang,
        "request": case.request,
        "company": case.company,
        "policy": case.policy,
        "kind": case.kind.name(),
        "exported_date": now.date_naive().to_string(),
        "exported_at": evidence::format_time(&now),
        "dsr_version": env!("CARGO_PKG_VERSION"),
        "head": head,
        "chain_lines": chain.len(),
        "files": files,
        "purged": purged,
        "has_purged": !purged.is_empty(),
        "lines": lines,
        "example": example,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(role: &str) -> ObjectRef {
        ObjectRef { role: role.into(), sha256: Sha256::ZERO, size: 0 }
    }

    #[test]
    fn file_names_are_readable() {
        assert_eq!(file_name(1, &r("message"), None, b""), "01-message.eml");
        assert_eq!(file_name(3, &r("identity-txt"), None, b""), "03-identity-verification.txt");
        assert_eq!(file_name(7, &r("letter"), Some(LetterKind::Reminder), b""), "07-reminder-letter.txt");
        assert_eq!(file_name(9, &r("attachment"), None, b"%PDF-1.7"), "09-attachment.pdf");
        assert_eq!(file_name(10, &r("torn_tail"), None, b"\xff\x00"), "10-torn-tail.bin");
        assert_eq!(file_name(11, &r("../x"), None, b"a"), "11----x.txt");
    }

    /// A log of two cases (the exported one with a reply, a reminder, a
    /// purged object, an unknown event and a closing; the other in between)
    /// and its objects, all fixed bytes.
    fn fixed_log(dir: &Path) -> RequestId {
        use crate::case::event::{Name, Prepared, Route, role};
        use crate::deadline::CalendarCode;
        use crate::evidence::{Log, NewEvent, parse_time};
        use crate::lang::Lang;
        let mut log = Log::open(dir).unwrap();
        let put = |log: &Log, bytes: &[u8], role: &str| log.store().put(bytes).unwrap().with_role(role);
        let a: RequestId = "r_aaaaaaaaaaaaaaaa".parse().unwrap();
        let b: RequestId = "r_bbbbbbbbbbbbbbbb".parse().unwrap();
        let prepared = |kind, message_id: &str, objects| Prepared {
            kind,
            policy: "zendesk".parse().unwrap(),
            company: "Zendesk International Ltd.".into(),
            lang: Lang::De,
            calendar: CalendarCode::Ie,
            to: vec!["privacy@zendesk.example".parse().unwrap()],
            cc: Vec::new(),
            message_id: message_id.parse().unwrap(),
            stated_deadline: None,
            confirm_by: None,
            confirmed: Vec::new(),
            in_reply_to: None,
            authority: None,
            route: Route::Smtp,
            batch_key: None,
            objects,
        };
        let add = |log: &mut Log, time: &str, name: &str, request: &RequestId, data: serde_json::Value| {
            log.append(NewEvent::new(parse_time(time).unwrap(), name, Some(request.clone()), data)).unwrap();
        };
        let objects = vec![
            put(&log, b"From: a\r\n\r\nerasure\r\n", role::MESSAGE),
            put(&log, br#"{"mail_from":"a@x","rcpt_to":["privacy@zendesk.example"]}"#, role::ENVELOPE),
            put(&log, "Löschung\n\nText".as_bytes(), role::LETTER),
            put(&log, b"%PDF-1.7 mandate", role::MANDATE),
        ];
        let data = serde_json::to_value(prepared(LetterKind::Erasure, "m1@x", objects)).unwrap();
        add(&mut log, "2026-01-05T09:00:00Z", Name::Prepared.as_str(), &a, data);
        let other = vec![put(&log, b"From: b\r\n\r\nother\r\n", role::MESSAGE)];
        let data = serde_json::to_value(prepared(LetterKind::Erasure, "m2@x", other)).unwrap();
        add(&mut log, "2026-01-05T09:30:00Z", Name::Prepared.as_str(), &b, data);
        let sent = json!({"message_id": "m1@x", "attempt": 1, "server": "s:587", "tls": true, "code": 250,
            "reply": "2.0.0 Ok: queued as Q1", "recipients": ["privacy@zendesk.example"]});
        add(&mut log, "2026-01-05T09:00:01Z", Name::Sent.as_str(), &a, sent);
        let gone = put(&log, b"purged reply", role::REPLY);
        let reply = json!({"outcome": "acknowledged", "message_id": "r1@zendesk", "date": "2026-01-06T10:00:00Z",
            "extended_to": null, "objects": [gone, put(&log, b"note", role::NOTE)]});
        add(&mut log, "2026-01-06T11:00:00Z", Name::ReplyReceived.as_str(), &a, reply);
        fs::remove_file(log.store().path_of(&gone.sha256)).unwrap();
        add(&mut log, "2026-01-07T11:00:00Z", crate::evidence::PURGED_EVENT, &a, json!({"purged": [gone.sha256]}));
        let reminder = vec![put(&log, b"From: a\r\n\r\nreminder\r\n", role::MESSAGE)];
        let data = serde_json::to_value(prepared(LetterKind::Reminder, "m3@x", reminder)).unwrap();
        add(&mut log, "2026-03-01T09:00:00Z", Name::Prepared.as_str(), &a, data);
        add(&mut log, "2026-03-01T09:00:02Z", "future_event", &a, json!({"x": 1.5}));
        add(&mut log, "2026-03-02T09:00:00Z", Name::Closed.as_str(), &a, json!({"objects": []}));
        a
    }

    /// Every file of a bundle, in name order, with the dsr version (in
    /// README.txt and manifest.json) replaced by `VERSION` and the hashes
    /// and sizes that depend on it recomputed: the same bytes for any version.
    fn normalized(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let version = env!("CARGO_PKG_VERSION");
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
        for (name, bytes) in &mut files {
            if name == README {
                let new = text(bytes).replace(&format!("dsr {version}"), "dsr VERSION").into_bytes();
                renamed.insert(Sha256::digest(bytes).to_string(), Sha256::digest(&new).to_string());
                *bytes = new;
            }
        }
        for (name, bytes) in &mut files {
            if name == MANIFEST {
                let mut m: Manifest = serde_json::from_slice(bytes).unwrap();
                m.dsr_version = "VERSION".into();
                for f in &mut m.files {
                    if let Some(new) = renamed.get(&f.sha256.to_string()) {
                        f.sha256 = new.parse().unwrap();
                        f.size = f.size - version.len() as u64 + "VERSION".len() as u64;
                    }
                }
                let mut new = serde_json::to_vec_pretty(&m).unwrap();
                new.push(b'\n');
                renamed.insert(Sha256::digest(bytes).to_string(), Sha256::digest(&new).to_string());
                *bytes = new;
            }
        }
        for (name, bytes) in &mut files {
            if name == SUMS {
                let mut t = text(bytes);
                for (old, new) in &renamed {
                    t = t.replace(old, new);
                }
                *bytes = t.into_bytes();
            }
        }
        files
    }

    #[test]
    fn a_bundle_is_byte_identical_for_the_same_log() {
        let data = tempfile::tempdir().unwrap();
        let a = fixed_log(data.path());
        let renderer = Renderer::new(None).unwrap();
        let out = tempfile::tempdir().unwrap();
        let mut digests = Vec::new();
        // By the full id (entries collected while folding) and by a prefix
        // (entries read again): the same bundle.
        for (i, request) in [a.as_str(), &a.as_str()[..8]].into_iter().enumerate() {
            let dir = out.path().join(i.to_string());
            let opts = ExportOptions {
                data_dir: data.path(),
                request,
                out: &dir,
                force: false,
                now: evidence::parse_time("2026-03-03T12:00:00Z").unwrap(),
                renderer: &renderer,
            };
            let exported = export(&opts).unwrap();
            assert_eq!((exported.lines, exported.objects, exported.purged.len()), (7, 6, 1));
            let mut all = Vec::new();
            for (name, bytes) in normalized(&dir) {
                all.extend_from_slice(format!("{name} {}\n", bytes.len()).as_bytes());
                all.extend_from_slice(&bytes);
            }
            digests.push(Sha256::digest(&all).to_string());
        }
        assert_eq!(digests[0], digests[1]);
        // The bundle's bytes as dsr wrote them before the export folded
        // through `case::state::fold_log_with` (computed with `case::fold`
        // at e756571): a change here changes what export writes. Changed
        // once since, by README.txt alone: its section 4 no longer says the
        // server's 250 proves delivery (issue 16, point 12).
        assert_eq!(digests[0], "478426456868336bf5ca5631f48d55e6ad2baae1bd38c1f3b3e4a54dc6cc2a11");
    }
}
