//! Reading the log line by line and checking each line against the one
//! before it: `seq` continuity, the `prev` hash chain, non-decreasing time,
//! the header.
//!
//! Memory stays constant: one line buffer (lines are at most
//! [`MAX_LINE_LEN`] bytes) and the previous line's hash and time. Both the
//! verifier and the read side ([`read_entries`]) are built on [`Reader`],
//! so anything that reads the log sees the same checks.

use super::line::{self, Fields, LineProblem};
use super::{Entry, Error, FORMAT, HEADER_EVENT, LOG_FILE, RequestId, Sha256, VerifyError};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The longest line accepted, in bytes without the `\n` (1 MiB).
pub const MAX_LINE_LEN: usize = 1 << 20;

/// The size of the read buffer.
const READ_BUFFER: usize = 1 << 20;

/// The state carried from one line to the next.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// The `seq` the next line must have.
    pub next_seq: u64,
    /// The hash the next line's `prev` must have.
    pub prev: Sha256,
    /// The last line's time, as written (the fixed format sorts as text).
    pub last_time: String,
}

impl Default for Chain {
    fn default() -> Chain {
        Chain { next_seq: 0, prev: Sha256::ZERO, last_time: String::new() }
    }
}

impl Chain {
    /// Checks a parsed line against the state and, if it fits, advances.
    pub(crate) fn check(&mut self, fields: &Fields<'_>, hash: Sha256) -> Result<(), LineProblem> {
        if self.next_seq == 0 {
            if fields.event != HEADER_EVENT || fields.format.as_deref() != Some(FORMAT) {
                return Err(LineProblem::Header(format!(
                    "the first line must be the header: event {HEADER_EVENT:?} with data.format {FORMAT:?}"
                )));
            }
        } else if fields.event == HEADER_EVENT {
            return Err(LineProblem::Header(format!("event {HEADER_EVENT:?} is allowed only on the first line")));
        }
        if fields.seq != self.next_seq {
            return Err(LineProblem::Seq { expected: self.next_seq, found: fields.seq });
        }
        if fields.prev != self.prev {
            return Err(LineProblem::Prev { expected: self.prev, found: fields.prev });
        }
        if *fields.time < *self.last_time {
            return Err(LineProblem::TimeBackwards {
                previous: self.last_time.clone(),
                found: fields.time.to_string(),
            });
        }
        self.next_seq += 1;
        self.prev = hash;
        if *self.last_time != *fields.time {
            self.last_time.clear();
            self.last_time.push_str(&fields.time);
        }
        Ok(())
    }
}

/// One line that passed the checks, borrowed from the reader's buffer.
pub(crate) struct Checked<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The parsed members.
    pub fields: Fields<'a>,
    /// SHA-256 of the line's bytes.
    pub hash: Sha256,
    /// The line's bytes, without `\n`.
    pub bytes: &'a [u8],
}

/// Streams a log file's lines through [`Chain`].
pub(crate) struct Reader {
    path: PathBuf,
    input: BufReader<File>,
    buf: Vec<u8>,
    /// Where the current line starts.
    offset: u64,
    /// Where the next line starts.
    next_offset: u64,
    number: u64,
    chain: Chain,
}

impl Reader {
    /// Opens `<data_dir>/log.jsonl`; `None` if there is no log.
    pub(crate) fn open(data_dir: &Path) -> Result<Option<Reader>, Error> {
        let path = data_dir.join(LOG_FILE);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("cannot open", path, e)),
        };
        Ok(Some(Reader {
            path,
            input: BufReader::with_capacity(READ_BUFFER, file),
            buf: Vec::with_capacity(4096),
            offset: 0,
            next_offset: 0,
            number: 0,
            chain: Chain::default(),
        }))
    }

    /// The log file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Lines read so far.
    pub(crate) fn lines(&self) -> u64 {
        self.number
    }

    /// The hash of the last line read ([`Sha256::ZERO`] before the first).
    pub(crate) fn head(&self) -> Sha256 {
        self.chain.prev
    }

    /// The error for the current line.
    pub(crate) fn error(&self, problem: LineProblem) -> Error {
        Error::Verify(VerifyError::Line { path: self.path.clone(), line: self.number, offset: self.offset, problem })
    }

    /// Reads and checks the next line; `None` at the end of the file.
    pub(crate) fn next_checked(&mut self) -> Result<Option<Checked<'_>>, Error> {
        self.buf.clear();
        let limit = MAX_LINE_LEN as u64 + 1;
        let n = (&mut self.input)
            .take(limit)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::io("cannot read", self.path.clone(), e))?;
        if n == 0 {
            return Ok(None);
        }
        self.offset = self.next_offset;
        self.next_offset += n as u64;
        self.number += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        } else if n as u64 == limit {
            return Err(self.error(LineProblem::Syntax(format!("line longer than {MAX_LINE_LEN} bytes"))));
        } else {
            return Err(self.error(LineProblem::Torn));
        }
        let hash = Sha256::digest(&self.buf);
        let fields = match line::parse(&self.buf) {
            Ok(f) => f,
            Err(p) => return Err(self.error(p)),
        };
        if let Err(p) = self.chain.check(&fields, hash) {
            return Err(Error::Verify(VerifyError::Line {
                path: self.path.clone(),
                line: self.number,
                offset: self.offset,
                problem: p,
            }));
        }
        Ok(Some(Checked { number: self.number, fields, hash, bytes: &self.buf }))
    }
}

/// Streams the log's entries, each checked against the one before it.
///
/// Reads without taking the writer's lock: a line being appended at the same
/// moment may show up as an incomplete last line (an error item).
pub struct Entries {
    reader: Option<Reader>,
    failed: bool,
}

/// The entries of `<data_dir>/log.jsonl`, oldest first. No log yields no
/// entries.
///
/// # Errors
/// The log exists but cannot be opened. Each item is an error if its line
/// is damaged or does not fit the chain; the iterator ends after the first
/// error.
pub fn read_entries(data_dir: &Path) -> Result<Entries, Error> {
    Ok(Entries { reader: Reader::open(data_dir)?, failed: false })
}

impl Iterator for Entries {
    type Item = Result<Entry, Error>;

    fn next(&mut self) -> Option<Result<Entry, Error>> {
        if self.failed {
            return None;
        }
        let reader = self.reader.as_mut()?;
        let result = match reader.next_checked() {
            Ok(None) => return None,
            Ok(Some(c)) => to_entry(&c).map_err(|p| (c.number, p)),
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        Some(result.map_err(|(_, p)| {
            self.failed = true;
            reader.error(p)
        }))
    }
}

fn to_entry(c: &Checked<'_>) -> Result<Entry, LineProblem> {
    let f = &c.fields;
    // `parse` accepted these already; the conversions cannot fail.
    let time = line::parse_time(&f.time).ok_or_else(|| LineProblem::Syntax("time".into()))?;
    let request = match &f.request {
        Some(r) => Some(r.parse::<RequestId>().map_err(|e| LineProblem::Syntax(e.to_string()))?),
        None => None,
    };
    Ok(Entry {
        seq: f.seq,
        time,
        event: f.event.to_string(),
        request,
        data: line::data_value(c.bytes)?,
        prev: f.prev,
        hash: c.hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rules() {
        let ok = format!(
            r#"{{"seq":0,"time":"2026-01-01T00:00:00Z","event":"log_created","request":null,"data":{{"format":"{FORMAT}"}},"prev":"{}"}}"#,
            Sha256::ZERO
        );
        let mut chain = Chain::default();
        let f = line::parse(ok.as_bytes()).unwrap();
        chain.check(&f, Sha256::digest(ok.as_bytes())).unwrap();
        let again = ok.replace("\"seq\":0", "\"seq\":1").replace(&Sha256::ZERO.to_string(), &chain.prev.to_string());
        let f = line::parse(again.as_bytes()).unwrap();
        assert!(matches!(chain.check(&f, Sha256::ZERO), Err(LineProblem::Header(_))));
        let wrong_format = ok.replace(FORMAT, "dsr-evidence-log/2");
        let f = line::parse(wrong_format.as_bytes()).unwrap();
        assert!(matches!(Chain::default().check(&f, Sha256::ZERO), Err(LineProblem::Header(_))));
    }
}
