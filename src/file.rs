//! Reading files the user names, with errors that say which file and why.
//!
//! Every path a user gives (`--subject`, `--attach`, a policy, a reply .eml,
//! a batch file and the files its rows name) goes through here, so that "is
//! a directory", "is empty", "is binary", "too large" and "cannot be read"
//! read the same everywhere and always name the path.
//!
//! # What is refused before a byte is read
//!
//! A file is read only if it is a regular file (following symlinks), not
//! under `/proc`, `/sys` or `/dev` (whose "files" are the kernel's: the
//! process environment, with the SMTP password, is `/proc/self/environ`),
//! and not larger than the [`Limit`] of what it is for. The size is checked
//! against the file's metadata before reading, and again while reading (a
//! file that grows is cut off at the limit and refused, never read until
//! memory runs out). The file is opened non-blocking and checked again on
//! the open descriptor, so a FIFO swapped in after the check cannot make
//! dsr wait forever. The limits are documented in `docs/reliability.md`.

use crate::exit::ExitKind;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Component, Path, PathBuf};

/// What a file is read for, and how large it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What the file is, for messages ("an attachment").
    pub what: What,
    /// The most bytes it may have.
    pub bytes: u64,
}

impl Limit {
    /// An attachment, verification evidence file or mandate: 25 MiB, the
    /// size most mail servers accept for a whole message.
    pub const ATTACHMENT: Limit = Limit { what: What::Attachment, bytes: 25 << 20 };
    /// A subject, policy, authority, config or template file: 1 MiB.
    pub const TEXT: Limit = Limit { what: What::Text, bytes: 1 << 20 };
    /// A batch file: 64 MiB (hundreds of thousands of rows).
    pub const BATCH: Limit = Limit { what: What::Batch, bytes: 64 << 20 };
    /// A received reply (.eml, with its attachments): 64 MiB.
    pub const REPLY: Limit = Limit { what: What::Reply, bytes: 64 << 20 };
    /// A key, certificate or password file: 64 KiB.
    pub const KEY: Limit = Limit { what: What::Key, bytes: 64 << 10 };
    /// A signed checkpoint (a C2SP note of a few hundred bytes): 64 KiB.
    pub const CHECKPOINT: Limit = Limit { what: What::Checkpoint, bytes: 64 << 10 };
}

/// What a file is read as: its name in messages, with its article ("an
/// attachment", "einen Anhang").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// An attachment, evidence file or mandate.
    Attachment,
    /// A subject, policy, authority, config or template file.
    Text,
    /// A batch file.
    Batch,
    /// A received reply.
    Reply,
    /// A key, certificate or password file.
    Key,
    /// A signed checkpoint.
    Checkpoint,
}

/// A file that is neither a regular file nor a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// A character device (`/dev/null`, a terminal).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
    /// A FIFO (named pipe).
    Fifo,
    /// A Unix socket.
    Socket,
    /// Anything else the system may have.
    Other,
}

impl fmt::Display for Special {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            Special::CharDevice => crate::t!("file.special-char-device"),
            Special::BlockDevice => crate::t!("file.special-block-device"),
            Special::Fifo => crate::t!("file.special-fifo"),
            Special::Socket => crate::t!("file.special-socket"),
            Special::Other => crate::t!("file.special-other"),
        })
    }
}

impl fmt::Display for What {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            What::Attachment => crate::t!("file.what-attachment"),
            What::Text => crate::t!("file.what-text"),
            What::Batch => crate::t!("file.what-batch"),
            What::Reply => crate::t!("file.what-reply"),
            What::Key => crate::t!("file.what-key"),
            What::Checkpoint => crate::t!("file.what-checkpoint"),
        })
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", human(self.bytes))
    }
}

/// `25 MiB`, `64 KiB`, `17 bytes`.
pub fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Why a user-named file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file does not exist.
    #[error("{}", crate::t!("file.not-found", path = shown(path)))]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// The path names a directory where a file was expected.
    #[error("{}", crate::t!("file.directory", path = shown(path)))]
    Directory {
        /// The path as given.
        path: PathBuf,
    },
    /// The path names a device, FIFO or socket.
    #[error("{}", crate::t!("file.not-regular", path = shown(path), kind = kind))]
    NotRegular {
        /// The path as given.
        path: PathBuf,
        /// A device, a FIFO, …
        kind: Special,
    },
    /// The path is under `/proc`, `/sys` or `/dev` (after following
    /// symlinks): the kernel's data, never a document.
    #[error("{}", crate::t!("file.system", path = shown(path), root = root))]
    System {
        /// The path as given.
        path: PathBuf,
        /// `/proc`, `/sys` or `/dev`.
        root: &'static str,
    },
    /// The file is larger than its [`Limit`].
    #[error("{}", crate::t!("file.too-large", path = shown(path), what = limit.what, size = size_text(*size), limit = limit))]
    TooLarge {
        /// The path as given.
        path: PathBuf,
        /// Its size, when known (`None`: it grew past the limit while read).
        size: Option<u64>,
        /// The limit it broke.
        limit: Limit,
    },
    /// The file exists but could not be read.
    #[error("{}", crate::t!("file.read", path = shown(path), source = source))]
    Read {
        /// The path as given.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The file has no content.
    #[error("{}", crate::t!("file.empty", path = shown(path)))]
    Empty {
        /// The path as given.
        path: PathBuf,
    },
    /// A text file contains a NUL byte or is not UTF-8.
    #[error("{}", crate::t!("file.not-text", path = shown(path), offset = offset))]
    NotText {
        /// The path as given.
        path: PathBuf,
        /// Offset of the first offending byte.
        offset: usize,
    },
}

/// How a path is named in an error: `-` as standard input.
fn shown(path: &Path) -> std::borrow::Cow<'_, str> {
    if is_stdin(path) { crate::t!("file.stdin").into() } else { path.to_string_lossy() }
}

fn size_text(size: Option<u64>) -> String {
    match size {
        Some(s) => crate::t!("file.bytes", n = s),
        None => crate::t!("file.grew"),
    }
}

impl Error {
    /// The exit code class: always bad input (the user named the file).
    pub fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotFound { .. } => Some(crate::t!("file.not-found-hint")),
            Error::Directory { .. } => Some(crate::t!("file.directory-hint")),
            Error::NotRegular { .. } | Error::System { .. } => Some(crate::t!("file.not-regular-hint")),
            Error::TooLarge { limit, .. } => Some(crate::t!("file.too-large-hint", limit = limit, what = limit.what)),
            Error::Read { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => {
                Some(crate::t!("file.permission-hint"))
            }
            Error::Read { .. } => Some(crate::t!("file.read-hint")),
            Error::Empty { .. } => Some(crate::t!("file.empty-hint")),
            Error::NotText { .. } => Some(crate::t!("file.not-text-hint")),
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Error::NotFound { path }
            | Error::Directory { path }
            | Error::NotRegular { path, .. }
            | Error::System { path, .. }
            | Error::TooLarge { path, .. }
            | Error::Read { path, .. }
            | Error::Empty { path }
            | Error::NotText { path, .. } => path,
        }
    }
}

/// The kernel's pseudo-filesystems: never read as a user's file.
const SYSTEM_ROOTS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// Checks that `path` may be read as a `limit.what` (see the module docs)
/// without reading it: a regular file, not a system file, within the limit.
/// Returns its size.
///
/// # Errors
/// [`Error::NotFound`], [`Error::Directory`], [`Error::NotRegular`],
/// [`Error::System`], [`Error::TooLarge`], [`Error::Read`].
pub fn check(path: &Path, limit: Limit) -> Result<u64, Error> {
    let meta = fs::metadata(path).map_err(|e| classify(path, e))?;
    // Canonical: a symlink (or `..`) into /proc is still /proc.
    let real = fs::canonicalize(path).map_err(|e| classify(path, e))?;
    if let Some(root) = SYSTEM_ROOTS.iter().find(|r| real.starts_with(r)) {
        return Err(Error::System { path: path.to_path_buf(), root });
    }
    check_type(path, &meta)?;
    if meta.len() > limit.bytes {
        return Err(Error::TooLarge { path: path.to_path_buf(), size: Some(meta.len()), limit });
    }
    Ok(meta.len())
}

fn check_type(path: &Path, meta: &fs::Metadata) -> Result<(), Error> {
    let t = meta.file_type();
    if t.is_dir() {
        return Err(Error::Directory { path: path.to_path_buf() });
    }
    if !t.is_file() {
        let kind = if t.is_char_device() {
            Special::CharDevice
        } else if t.is_block_device() {
            Special::BlockDevice
        } else if t.is_fifo() {
            Special::Fifo
        } else if t.is_socket() {
            Special::Socket
        } else {
            Special::Other
        };
        return Err(Error::NotRegular { path: path.to_path_buf(), kind });
    }
    Ok(())
}

/// Reads a whole file as bytes; fails if it is missing, a directory, not a
/// regular file, a system file, larger than `limit`, unreadable or empty.
///
/// # Errors
/// Every variant of [`Error`] except [`Error::NotText`].
pub fn read_bytes(path: &Path, limit: Limit) -> Result<Vec<u8>, Error> {
    if is_stdin(path) {
        return read_stdin(limit);
    }
    let size = check(path, limit)?;
    // Non-blocking: a FIFO put in the file's place since `check` makes
    // the open return at once rather than wait for a writer; the type is
    // checked again on the descriptor actually read.
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags((rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY).bits() as i32)
        .open(path)
        .map_err(|e| classify(path, e))?;
    let meta = file.metadata().map_err(|e| classify(path, e))?;
    check_type(path, &meta)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    read_at_most(file, limit.bytes, &mut bytes).map_err(|e| classify(path, e))?;
    if bytes.len() as u64 > limit.bytes {
        return Err(Error::TooLarge { path: path.to_path_buf(), size: None, limit });
    }
    if bytes.is_empty() {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(bytes)
}

/// The name that stands for standard input (or output): `-`.
pub const STDIN: &str = "-";

/// Whether `path` is `-`, standard input (or output), rather than a file.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// `path` as given on the command line, taken from `cwd`; `-` stays `-`.
pub fn from_cwd(cwd: &Path, path: &Path) -> PathBuf {
    if is_stdin(path) { path.to_path_buf() } else { cwd.join(path) }
}

/// Standard input, read once per process: a second read (the same subject
/// file validated, then sent) gets the same bytes. That two options do not
/// both name `-` is checked where the options are known (the command line).
fn read_stdin(limit: Limit) -> Result<Vec<u8>, Error> {
    static READ: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let path = Path::new(STDIN);
    if READ.get().is_none() {
        let mut bytes = Vec::new();
        // Up to the largest limit: the bytes are kept for a later read.
        read_at_most_from(io::stdin().lock(), Limit::BATCH.bytes.max(Limit::REPLY.bytes), &mut bytes)
            .map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        let _ = READ.set(bytes);
    }
    let bytes = READ.get().map(Vec::as_slice).unwrap_or_default();
    if bytes.len() as u64 > limit.bytes {
        return Err(Error::TooLarge { path: path.to_path_buf(), size: None, limit });
    }
    if bytes.is_empty() {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    Ok(bytes.to_vec())
}

/// Reads up to `limit + 1` bytes (one more tells that there was more).
fn read_at_most(file: File, limit: u64, into: &mut Vec<u8>) -> io::Result<()> {
    read_at_most_from(file, limit, into)
}

fn read_at_most_from(from: impl Read, limit: u64, into: &mut Vec<u8>) -> io::Result<()> {
    from.take(limit.saturating_add(1)).read_to_end(into).map(drop)
}

/// Reads a whole file as UTF-8 text; fails as [`read_bytes`] does, and also
/// when the content has a NUL byte or is not UTF-8.
///
/// # Errors
/// Every variant of [`Error`].
pub fn read_text(path: &Path, limit: Limit) -> Result<String, Error> {
    let bytes = read_bytes(path, limit)?;
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::NotText { path: path.to_path_buf(), offset });
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::NotText { path: path.to_path_buf(), offset: e.utf8_error().valid_up_to() })
}

/// Whether `path` — as it will be opened, so relative to the current
/// directory — lies inside `root`: after following symlinks when it
/// exists, else by its words (a `..` that climbs out of `root` is out).
/// A batch file's paths must (docs/batch.md, "Paths").
pub fn is_inside(path: &Path, root: &Path) -> bool {
    let Ok(root) = fs::canonicalize(root) else { return false };
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => return false,
        }
    };
    match fs::canonicalize(&joined) {
        Ok(real) => real.starts_with(&root),
        // Not there (yet): reading it fails later with "no such file";
        // only the words of the path can be judged.
        Err(_) => lexically_inside(&joined, &root),
    }
}

fn lexically_inside(path: &Path, root: &Path) -> bool {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return false;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.starts_with(root)
}

fn classify(path: &Path, e: io::Error) -> Error {
    let path = path.to_path_buf();
    match e.kind() {
        io::ErrorKind::NotFound => Error::NotFound { path },
        io::ErrorKind::IsADirectory => Error::Directory { path },
        _ => Error::Read { path, source: e },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Limit = Limit::TEXT;

    #[test]
    fn each_bad_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        assert_eq!(read_text(&missing, T).unwrap_err().to_string(), format!("{}: no such file", missing.display()));
        assert!(matches!(read_text(dir.path(), T), Err(Error::Directory { .. })));
        let empty = dir.path().join("empty.toml");
        fs::write(&empty, b"").unwrap();
        assert!(matches!(read_text(&empty, T), Err(Error::Empty { .. })));
        let bin = dir.path().join("bin.toml");
        fs::write(&bin, b"ab\0cd").unwrap();
        assert!(matches!(read_text(&bin, T), Err(Error::NotText { offset: 2, .. })));
        let latin1 = dir.path().join("latin1.toml");
        fs::write(&latin1, b"name = \"M\xfcller\"").unwrap();
        assert!(matches!(read_text(&latin1, T), Err(Error::NotText { offset: 9, .. })));
    }

    #[test]
    fn devices_fifos_and_system_files_are_refused_before_reading() {
        // /dev/zero would be read until memory runs out, a FIFO would block
        // forever, /proc/self/environ holds the SMTP password.
        assert!(matches!(
            read_bytes(Path::new("/dev/zero"), Limit::ATTACHMENT),
            Err(Error::System { root: "/dev", .. })
        ));
        assert!(matches!(
            read_bytes(Path::new("/proc/self/environ"), Limit::ATTACHMENT),
            Err(Error::System { root: "/proc", .. })
        ));
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("innocent.pdf");
        std::os::unix::fs::symlink("/proc/self/environ", &link).unwrap();
        let err = read_bytes(&link, Limit::ATTACHMENT).unwrap_err();
        assert_eq!(err.to_string(), format!("{}: is a system file (under /proc), not a document", link.display()));
        let fifo = dir.path().join("pipe");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let err = read_bytes(&fifo, Limit::ATTACHMENT).unwrap_err();
        assert!(matches!(err, Error::NotRegular { kind: Special::Fifo, .. }), "{err}");
        assert!(err.hint().unwrap().contains("ordinary file"));
    }

    #[test]
    fn a_file_over_its_limit_is_refused_by_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        fs::write(&big, vec![b'a'; (1 << 20) + 1]).unwrap();
        let err = read_text(&big, T).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: too large for a text file (1048577 bytes; the limit is 1 MiB)", big.display())
        );
        assert_eq!(err.exit_kind(), ExitKind::BadInput);
        fs::write(&big, vec![b'a'; 1 << 20]).unwrap();
        assert_eq!(read_text(&big, T).unwrap().len(), 1 << 20);
    }

    #[test]
    fn inside_is_judged_lexically_and_after_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("batch");
        fs::create_dir(&root).unwrap();
        fs::write(root.join("a.pdf"), b"x").unwrap();
        fs::write(dir.path().join("secret"), b"x").unwrap();
        assert!(is_inside(&root.join("a.pdf"), &root));
        assert!(is_inside(&root.join("sub/../a.pdf"), &root));
        assert!(is_inside(&root.join("missing.pdf"), &root));
        assert!(!is_inside(&root.join("../secret"), &root));
        assert!(!is_inside(&root.join("../missing"), &root));
        assert!(!is_inside(&root.join("sub/../../missing"), &root));
        assert!(!is_inside(Path::new("/etc/passwd"), &root));
        assert!(!is_inside(Path::new("/proc/self/environ"), &root));
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link.pdf")).unwrap();
        assert!(!is_inside(&root.join("link.pdf"), &root));
        // Relative paths are taken from the current directory, as opened.
        let cwd = std::env::current_dir().unwrap();
        assert!(!is_inside(Path::new("Cargo.toml"), &root));
        assert!(is_inside(Path::new("Cargo.toml"), &cwd));
    }
}
