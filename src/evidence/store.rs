//! The object store: every artifact (sent message, letter, identity record,
//! attachments, replies) under `objects/<2 hex>/<62 hex>`, named by the
//! SHA-256 of its bytes, so `sha256sum` alone re-checks any object.
//!
//! [`Store::put`] writes a temp file in the target directory, fsyncs it,
//! renames it into place and fsyncs the directory: once it returns, the
//! object survives a crash, which is what lets an event name it
//! (write-ahead order, DESIGN §7). Putting bytes that are already stored
//! does nothing.

use super::{Error, OBJECTS_DIR, ObjectRef, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The object store of one data directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// An object that is now in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// Its hash (and name).
    pub sha256: Sha256,
    /// Its length in bytes.
    pub size: u64,
}

impl Stored {
    /// The reference an event writes in `data.objects`.
    pub fn with_role(&self, role: impl Into<String>) -> ObjectRef {
        ObjectRef { role: role.into(), sha256: self.sha256, size: self.size }
    }
}

/// The state of one object on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStatus {
    /// Present, and its bytes hash to its name.
    Intact {
        /// Its length in bytes.
        size: u64,
    },
    /// No file.
    Missing,
    /// Present, but its bytes hash to something else.
    Altered {
        /// The hash of the bytes found.
        actual: Sha256,
        /// Their length.
        size: u64,
    },
}

/// Makes temp file names unique within the process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// The store under `<data_dir>/objects` (nothing is created yet).
    pub fn new(data_dir: &Path) -> Store {
        Store { root: data_dir.join(OBJECTS_DIR) }
    }

    /// Where the object with this hash lives (whether or not it exists).
    pub fn path_of(&self, sha256: &Sha256) -> PathBuf {
        let hex = sha256.to_string();
        self.root.join(&hex[..2]).join(&hex[2..])
    }

    /// Stores `bytes` durably and returns their hash and size.
    ///
    /// # Errors
    /// [`Error::Io`] if a directory or file cannot be created, written,
    /// fsynced or renamed.
    pub fn put(&self, bytes: &[u8]) -> Result<Stored, Error> {
        let stored = Stored { sha256: Sha256::digest(bytes), size: bytes.len() as u64 };
        let path = self.path_of(&stored.sha256);
        // Content-addressed: a file of the right size under this name holds
        // these bytes unless someone changed it, which `verify` reports.
        if fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == stored.size) {
            return Ok(stored);
        }
        let dir = path.parent().expect("object paths have a parent");
        let dir_is_new = !dir.is_dir();
        fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        let temp = dir.join(format!(
            ".tmp-{}-{}-{}",
            &stored.sha256.to_string()[2..10],
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(Error::io("cannot write", temp, e));
        }
        if let Err(e) = fs::rename(&temp, &path) {
            let _ = fs::remove_file(&temp);
            return Err(Error::io("cannot rename into", path, e));
        }
        sync_dir(dir)?;
        if dir_is_new {
            sync_dir(&self.root)?;
            if let Some(data_dir) = self.root.parent() {
                sync_dir(data_dir)?;
            }
        }
        Ok(stored)
    }

    /// Reads an object and checks that its bytes match its name.
    ///
    /// # Errors
    /// [`Error::Object`] if it is missing or altered; [`Error::Io`] if it
    /// cannot be read.
    pub fn get(&self, sha256: &Sha256) -> Result<Vec<u8>, Error> {
        let path = self.path_of(sha256);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Error::Object { sha256: *sha256, problem: super::ObjectProblem::Missing });
            }
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        let actual = Sha256::digest(&bytes);
        if actual != *sha256 {
            return Err(Error::Object { sha256: *sha256, problem: super::ObjectProblem::Altered { actual } });
        }
        Ok(bytes)
    }

    /// Checks one object on disk, streaming its bytes.
    ///
    /// # Errors
    /// [`Error::Io`] if it exists but cannot be read.
    pub fn verify(&self, sha256: &Sha256) -> Result<ObjectStatus, Error> {
        let path = self.path_of(sha256);
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ObjectStatus::Missing),
            Err(e) => return Err(Error::io("cannot open", path, e)),
        };
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut size = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io("cannot read", path, e)),
            };
            sha2::Digest::update(&mut hasher, &buf[..n]);
            size += n as u64;
        }
        let actual = Sha256::from_bytes(sha2::Digest::finalize(hasher).into());
        Ok(if actual == *sha256 { ObjectStatus::Intact { size } } else { ObjectStatus::Altered { actual, size } })
    }

    /// True if a file of this object's name and size exists (no hashing).
    pub(crate) fn has(&self, sha256: &Sha256, size: u64) -> bool {
        fs::metadata(self.path_of(sha256)).is_ok_and(|m| m.is_file() && m.len() == size)
    }

    /// Deletes an object durably; `false` if it was not there.
    pub(crate) fn remove(&self, sha256: &Sha256) -> Result<bool, Error> {
        let path = self.path_of(sha256);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(Error::io("cannot delete", path, e)),
        }
        sync_dir(path.parent().expect("object paths have a parent"))?;
        Ok(true)
    }
}

/// Fsyncs a directory, so a rename or unlink in it survives a crash.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), Error> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io("cannot fsync", dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_is_idempotent_get_checks_and_verify_finds_changes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let a = store.put(b"hello").unwrap();
        assert_eq!(a, store.put(b"hello").unwrap());
        let hex = a.sha256.to_string();
        assert_eq!(store.path_of(&a.sha256), dir.path().join("objects").join(&hex[..2]).join(&hex[2..]));
        assert_eq!(fs::read(store.path_of(&a.sha256)).unwrap(), b"hello");
        assert_eq!(store.get(&a.sha256).unwrap(), b"hello");
        assert_eq!(store.verify(&a.sha256).unwrap(), ObjectStatus::Intact { size: 5 });
        // No temp files left behind.
        assert_eq!(fs::read_dir(dir.path().join("objects").join(&hex[..2])).unwrap().count(), 1);

        fs::write(store.path_of(&a.sha256), b"hellO").unwrap();
        let altered = Sha256::digest(b"hellO");
        assert_eq!(store.verify(&a.sha256).unwrap(), ObjectStatus::Altered { actual: altered, size: 5 });
        assert_eq!(
            store.get(&a.sha256).unwrap_err().to_string(),
            format!("object {hex}: altered: its bytes hash to {altered}")
        );
        assert!(store.remove(&a.sha256).unwrap());
        assert!(!store.remove(&a.sha256).unwrap());
        assert_eq!(store.verify(&a.sha256).unwrap(), ObjectStatus::Missing);
        assert_eq!(store.get(&a.sha256).unwrap_err().to_string(), format!("object {hex}: missing"));
    }
}
