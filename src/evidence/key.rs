//! The signing key file: one line, `PRIVATE+KEY+<name>+<id>+<base64>`
//! (see [`Signer`]), mode 0600, outside the data directory.
//!
//! The key signs the log's checkpoints, so it must not travel with the
//! data: a copy of the data directory (a backup, a bundle, a court's copy)
//! never holds it, and [`create`] refuses a path inside the data
//! directory. [`load`] refuses a file that others can read (as ssh does):
//! anyone who can read it can sign checkpoints in the log's name.
//!
//! Nothing here prints or logs the key; the private text goes from
//! [`Signer::to_private_text`] straight into the new file.

use super::note::Signer;
use super::{Error, IoContext};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// What is wrong with a key file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyProblem {
    /// [`create`] found a file already there.
    #[error("{}", crate::t!("key.exists"))]
    Exists,
    /// The path is inside the data directory.
    #[error("{}", crate::t!("evidence.key.inside-data-dir", dir = _0.display()))]
    InsideDataDir(PathBuf),
    /// Group or others may read or write it.
    #[error("{}", crate::t!("evidence.key.permissions", mode = format!("{_0:04o}")))]
    Permissions(u32),
    /// It is not a regular file.
    #[error("{}", crate::t!("ev2.key.not-a-file"))]
    NotAFile,
    /// It is far longer than a key file (its length in bytes).
    #[error("{}", crate::t!("ev2.key.too-long", length = _0))]
    TooLong(u64),
    /// It does not hold a key.
    #[error("{0}")]
    Invalid(String),
}

/// The largest key file read (a key file is one line of about 100 bytes).
const MAX_KEY_FILE_BYTES: u64 = 64 << 10;

/// Makes a new key named `name` and writes it to `path` (mode 0600,
/// refusing to replace a file), creating the directory (mode 0700) if
/// needed.
///
/// # Errors
/// [`Error::Key`] if a file exists or `path` is inside `data_dir`;
/// [`Error::Io`].
pub fn create(path: &Path, name: &str, data_dir: Option<&Path>) -> Result<Signer, Error> {
    let problem = |problem| Error::Key { path: path.to_path_buf(), problem };
    if let Some(d) = data_dir
        && is_inside(path, d)
    {
        return Err(problem(KeyProblem::InsideDataDir(d.to_path_buf())));
    }
    let signer = Signer::generate(name).map_err(|e| problem(KeyProblem::Invalid(e.to_string())))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        create_private_dir(dir).map_err(|e| Error::io(IoContext::Create, dir, e))?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(problem(KeyProblem::Exists)),
        Err(e) => return Err(Error::io(IoContext::Create, path, e)),
    };
    let text = signer.to_private_text();
    if let Err(e) = file.write_all(text.expose().as_bytes()).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(Error::io(IoContext::Write, path, e));
    }
    Ok(signer)
}

/// Reads the key at `path`; `None` if there is no file.
///
/// # Errors
/// [`Error::Key`] if others can read it or it holds no key; [`Error::Io`].
pub fn load(path: &Path) -> Result<Option<Signer>, Error> {
    let problem = |problem| Error::Key { path: path.to_path_buf(), problem };
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(IoContext::Read, path, e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(problem(KeyProblem::Permissions(mode)));
        }
    }
    // A key file is one short line; anything else is the wrong file, and
    // is not read whole.
    if !meta.is_file() {
        return Err(problem(KeyProblem::NotAFile));
    }
    if meta.len() > MAX_KEY_FILE_BYTES {
        return Err(problem(KeyProblem::TooLong(meta.len())));
    }
    let text = zeroize::Zeroizing::new(fs::read_to_string(path).map_err(|e| Error::io(IoContext::Read, path, e))?);
    Signer::parse(&text).map(Some).map_err(|e| problem(KeyProblem::Invalid(e.to_string())))
}

/// Creates `dir` (and its parents); the last component gets mode 0700.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// True if `path` lies inside `dir` (compared on absolute, normalized
/// paths; symlinks resolved where the paths exist).
fn is_inside(path: &Path, dir: &Path) -> bool {
    let norm = |p: &Path| -> PathBuf {
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().map(|c| c.join(p)).unwrap_or_else(|_| p.to_path_buf())
        };
        // Resolve the longest existing prefix, then add the rest.
        let mut existing = abs.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        for name in rest.into_iter().rev() {
            out.push(name);
        }
        let mut clean = PathBuf::new();
        for c in out.components() {
            match c {
                Component::ParentDir => {
                    clean.pop();
                }
                Component::CurDir => {}
                other => clean.push(other),
            }
        }
        clean
    };
    norm(path).starts_with(norm(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_with_mode_0600_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/dsr/signing-key");
        let signer = create(&path, "dsr", Some(&dir.path().join("data"))).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        }
        assert_eq!(load(&path).unwrap().unwrap().verifier(), signer.verifier());
        assert!(matches!(create(&path, "dsr", None), Err(Error::Key { problem: KeyProblem::Exists, .. })));
        assert!(load(&dir.path().join("none")).unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            let err = load(&path).unwrap_err();
            assert!(err.to_string().contains("its mode is 0644"), "{err}");
        }
        let inside = dir.path().join("data/../data/key");
        let err = create(&inside, "dsr", Some(&dir.path().join("data"))).unwrap_err();
        assert!(matches!(err, Error::Key { problem: KeyProblem::InsideDataDir(_), .. }), "{err}");
        fs::write(dir.path().join("junk"), "not a key").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir.path().join("junk"), fs::Permissions::from_mode(0o600)).unwrap();
        }
        let err = load(&dir.path().join("junk")).unwrap_err().to_string();
        assert!(err.contains("PRIVATE+KEY+") && !err.contains("not a key\""), "{err}");
    }
}
