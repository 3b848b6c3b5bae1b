//! Per-request links: in a format-2 log every line of a request names the
//! seq of the request's previous line in `data.request_prev`, so a bundle
//! that leaves one of a case's lines out is caught (the line after the gap
//! names a line the bundle does not have).
//!
//! The writer needs each request's last seq when it appends. A [`Log`]
//! remembers the requests it wrote; for any other it reads the file
//! backwards from the end, once for all the requests of one append, until
//! it has found each one's last line ([`last_lines`]). Reading backwards
//! looks at each line's `request` member only: the line layout dsr writes
//! puts it at a fixed place, and any other layout is parsed in full. A
//! request created by this process ([`Log::note_new_request`]) skips the
//! scan: it has no earlier line.
//!
//! [`Log`]: super::Log
//! [`Log::note_new_request`]: super::Log::note_new_request

use super::RequestId;
use super::line;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// How much is read at a time, going backwards.
const CHUNK: usize = 1 << 20;

/// The seq of the last line of each of `wanted` in the first `end` bytes of
/// the log at `path`, which hold `lines` lines (seq 0 to `lines − 1`). A
/// request with no line is absent from the result.
///
/// # Errors
/// The file cannot be read.
pub(crate) fn last_lines(
    path: &Path,
    end: u64,
    lines: u64,
    wanted: &[RequestId],
) -> io::Result<HashMap<RequestId, u64>> {
    let mut found = HashMap::new();
    if wanted.is_empty() || lines == 0 {
        return Ok(found);
    }
    backwards(path, end, lines, |seq, l| {
        if let Some(r) = request_of(l)
            && let Some(w) = wanted.iter().find(|w| w.as_str().as_bytes() == r)
        {
            found.entry(w.clone()).or_insert(seq);
        }
        found.len() < wanted.len()
    })?;
    Ok(found)
}

/// Calls `f(seq, line)` for each line of the first `end` bytes of the file
/// (which hold `lines` lines), last line first, while `f` returns true.
///
/// # Errors
/// The file cannot be read.
pub(crate) fn backwards(path: &Path, end: u64, lines: u64, mut f: impl FnMut(u64, &[u8]) -> bool) -> io::Result<()> {
    let mut file = File::open(path)?;
    let mut pos = end;
    // The start of the earliest line seen so far, waiting for the chunk
    // before it (it holds a line's end, `\n` included).
    let mut pending: Vec<u8> = Vec::new();
    let mut seq = lines;
    loop {
        let from = pos.saturating_sub(CHUNK as u64);
        let mut chunk = vec![0u8; (pos - from) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&pending);
        pos = from;
        // Unless this chunk starts the file, the bytes up to its first
        // `\n` may belong to a line that starts in an earlier chunk.
        let keep = if pos == 0 {
            0
        } else {
            match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => {
                    pending = chunk;
                    continue;
                }
            }
        };
        let complete = &chunk[keep..];
        if !complete.is_empty() {
            let body = complete.strip_suffix(b"\n").unwrap_or(complete);
            for l in body.rsplit(|&b| b == b'\n') {
                seq = seq.saturating_sub(1);
                if !f(seq, l) {
                    return Ok(());
                }
            }
        }
        if pos == 0 {
            return Ok(());
        }
        pending = chunk[..keep].to_vec();
    }
}

/// The `request` member of a line (its bytes), `None` for null or a line
/// that does not parse.
fn request_of(l: &[u8]) -> Option<&[u8]> {
    if let Some(r) = request_at_fixed_place(l) {
        return r;
    }
    let fields = line::parse(l).ok()?;
    let r = fields.request?;
    // Owned only for lines with escapes in their envelope; find the same
    // bytes in the line to return a borrow.
    let needle = r.as_bytes();
    l.windows(needle.len()).find(|w| *w == needle)
}

/// `Some(request)` if the line has the layout dsr writes
/// (`{"seq":N,"time":"…","event":"…","request":…`); `None` if it does not.
fn request_at_fixed_place(l: &[u8]) -> Option<Option<&[u8]>> {
    let rest = l.strip_prefix(br#"{"seq":"#)?;
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = rest.get(digits..)?.strip_prefix(br#","time":""#)?;
    let rest = rest.get(20..)?.strip_prefix(br#"","event":""#)?;
    let name = rest.iter().position(|&c| c == b'"')?;
    let rest = rest[name..].strip_prefix(br#"","request":"#)?;
    if rest.starts_with(b"null") {
        return Some(None);
    }
    let r = rest.strip_prefix(b"\"")?.get(..18)?;
    rest.get(19).filter(|&&c| c == b'"')?;
    Some(Some(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn line(seq: u64, request: Option<&str>) -> String {
        let r = request.map_or("null".to_string(), |r| format!("\"{r}\""));
        format!(
            r#"{{"seq":{seq},"time":"2026-01-01T00:00:00Z","event":"noted","request":{r},"data":{{"pad":"{}"}},"prev":"{}"}}"#,
            "x".repeat((seq as usize * 37) % 900),
            "0".repeat(64)
        )
    }

    #[test]
    fn finds_the_last_line_of_each_request_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let ids: Vec<RequestId> = (0..5u8).map(|i| RequestId::from_random([i; 10])).collect();
        let mut f = File::create(&path).unwrap();
        let n = 6000u64;
        let mut last = HashMap::new();
        for seq in 0..n {
            let r = match seq % 7 {
                0 => None,
                k => ids.get((seq as usize * k as usize) % 4).cloned(),
            };
            if let Some(r) = &r {
                last.insert(r.clone(), seq);
            }
            writeln!(f, "{}", line(seq, r.as_ref().map(RequestId::as_str))).unwrap();
        }
        drop(f);
        let end = std::fs::metadata(&path).unwrap().len();
        assert!(end > 2 * CHUNK as u64, "spans chunks");
        let found = last_lines(&path, end, n, &ids).unwrap();
        assert_eq!(found.len(), 4, "the fifth id never appears");
        for (r, seq) in &last {
            assert_eq!(found.get(r), Some(seq), "{r}");
        }
        // A request seen only near the start of the file.
        let early = RequestId::from_random([9; 10]);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text = text.replacen(&line(1, ids.get(1).map(RequestId::as_str)), &line(1, Some(early.as_str())), 1);
        std::fs::write(&path, text).unwrap();
        let end = std::fs::metadata(&path).unwrap().len();
        assert_eq!(last_lines(&path, end, n, std::slice::from_ref(&early)).unwrap().get(&early), Some(&1));
    }

    #[test]
    fn other_layouts_are_parsed() {
        let l = line(3, Some("r_aaaaaaaaaaaaaaab"));
        assert_eq!(request_of(l.as_bytes()), Some(&b"r_aaaaaaaaaaaaaaab"[..]));
        let spaced = l.replacen("{\"seq\":3", "{ \"seq\": 3", 1);
        assert_eq!(request_at_fixed_place(spaced.as_bytes()), None);
        assert_eq!(request_of(spaced.as_bytes()), Some(&b"r_aaaaaaaaaaaaaaab"[..]));
        assert_eq!(request_of(line(3, None).as_bytes()), None);
    }
}
