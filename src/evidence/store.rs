//! The object store: every artifact (sent message, letter, identity record,
//! attachments, replies) under `objects/<2 hex>/<62 hex>`, named by the
//! SHA-256 of its bytes, so `sha256sum` alone re-checks any object.
//!
//! [`Store::put`] writes a temp file in the target directory, fsyncs it,
//! renames it into place and fsyncs the directory: once it returns, the
//! object survives a crash, which is what lets an event name it
//! (write-ahead order, DESIGN §7). Putting bytes that are already stored
//! does nothing.
//!
//! For many objects at once ([`Store::put_group`], [`StoreBatch`]): each
//! new object is written to its temp file and renamed into place *without*
//! a per-file fsync; then one `syncfs(2)` on the store's filesystem makes
//! them all durable before the call returns (on Linux; elsewhere every
//! file and directory is fsynced as in [`Store::put`]). This is as durable
//! as a per-file fsync: `syncfs` writes back every dirty page and every
//! dirty inode of that filesystem and, on journalling filesystems (ext4,
//! xfs, btrfs), commits the journal and flushes the device cache before it
//! returns, so the file contents, the new directory entries (the renames)
//! and new shard directories are all on stable storage; since Linux 5.8 it
//! also reports a write-back error of that filesystem (errseq), which is
//! what `fsync` would have reported. The cost: it also flushes unrelated
//! dirty data of the same filesystem (other processes' writes), so one
//! group may wait for someone else's writes. For a group of hundreds of
//! objects that is still far cheaper than two fsyncs (file + directory,
//! each a journal commit and a cache flush) per object.

use super::{Error, IoContext, OBJECTS_DIR, ObjectRef, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
    /// The hash and size `bytes` will have once stored (nothing is
    /// written): what an event can be checked with before storing.
    pub fn of(bytes: &[u8]) -> Stored {
        Stored { sha256: Sha256::digest(bytes), size: bytes.len() as u64 }
    }

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
    /// A symbolic link, not a file: not followed, not evidence.
    Symlink,
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
        // Content-addressed: a file of the right size under this name holds
        // these bytes unless someone changed it, which `verify` reports.
        if self.has(&stored.sha256, stored.size) {
            return Ok(stored);
        }
        let (dir, dir_is_new) = self.write_new(&stored, bytes, true)?;
        sync_dir(&dir)?;
        if dir_is_new {
            self.sync_parents()?;
        }
        Ok(stored)
    }

    /// Fsyncs `objects/` and the data directory (after a new shard
    /// directory, or a new `objects/`).
    fn sync_parents(&self) -> Result<(), Error> {
        sync_dir(&self.root)?;
        if let Some(data_dir) = self.root.parent() {
            sync_dir(data_dir)?;
        }
        Ok(())
    }

    /// Stores several objects and makes them durable together (see the
    /// module docs): when it returns, every one of them survives a crash.
    /// Results are in the order of `objects`; bytes already stored (or
    /// repeated in `objects`) are written once.
    ///
    /// # Errors
    /// [`Error::Io`] if a directory or file cannot be created, written or
    /// renamed, or the filesystem cannot be synced; then none of the
    /// objects may be named by an event.
    pub fn put_group(&self, objects: &[&[u8]]) -> Result<Vec<Stored>, Error> {
        let batch = self.batch();
        let stored = objects.iter().map(|b| batch.put(b)).collect::<Result<Vec<_>, _>>()?;
        batch.commit()?;
        Ok(stored)
    }

    /// Stores `bytes` without waiting for the disk (on Linux; elsewhere as
    /// [`Store::put`]): durable only after [`Store::sync_objects`] of its
    /// hash, which must return before an event names it. For a writer that
    /// group-commits its events (the batch's journal).
    ///
    /// # Errors
    /// As [`Store::put`].
    pub fn put_deferred(&self, bytes: &[u8]) -> Result<Stored, Error> {
        // A batch of one, never committed: `sync_objects` makes it durable
        // (and on other systems `StoreBatch::put` syncs at once).
        self.batch().put(bytes)
    }

    /// Makes objects written by [`Store::put_deferred`] durable: an fsync
    /// of each file and of each distinct shard directory (and of
    /// `objects/` and the data directory), several at a time, since the
    /// filesystem's journal takes concurrent fsyncs in one commit. For the
    /// few small objects of one commit (a batch's reply texts) this is
    /// cheaper than `syncfs`, which also waits for every other program's
    /// pending writes to the same filesystem.
    ///
    /// # Errors
    /// [`Error::Io`] if a file or directory cannot be opened or synced.
    pub fn sync_objects(&self, objects: &[Sha256]) -> Result<(), Error> {
        let mut paths: Vec<PathBuf> = Vec::with_capacity(objects.len() * 2 + 2);
        let mut dirs = std::collections::BTreeSet::new();
        for sha in objects {
            let path = self.path_of(sha);
            dirs.insert(path.parent().expect("object paths have a parent").to_path_buf());
            paths.push(path);
        }
        paths.extend(dirs);
        paths.push(self.root.clone());
        paths.extend(self.root.parent().map(Path::to_path_buf));
        const THREADS: usize = 8;
        let chunk = paths.len().div_ceil(THREADS).max(1);
        std::thread::scope(|s| {
            let handles: Vec<_> = paths
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter().try_for_each(|p| {
                            File::open(p).and_then(|f| f.sync_all()).map_err(|e| Error::io(IoContext::Fsync, p, e))
                        })
                    })
                })
                .collect();
            handles.into_iter().try_for_each(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        })
    }

    /// Starts a [`StoreBatch`]: objects put through it are durable only
    /// after [`StoreBatch::commit`].
    pub fn batch(&self) -> StoreBatch<'_> {
        StoreBatch { store: self, state: Mutex::new(BatchState::default()) }
    }

    /// Writes a new object's temp file and renames it into place; fsyncs
    /// the file first only if `sync`. Returns the shard directory and
    /// whether it was created.
    fn write_new(&self, stored: &Stored, bytes: &[u8], sync: bool) -> Result<(PathBuf, bool), Error> {
        let path = self.path_of(&stored.sha256);
        let dir = path.parent().expect("object paths have a parent").to_path_buf();
        let temp = dir.join(format!(
            ".tmp-{}-{}-{}",
            &stored.sha256.to_string()[2..10],
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let create = || OpenOptions::new().write(true).create_new(true).open(&temp);
        // The shard directory usually exists: try first, create it only
        // when the file cannot be (one syscall per object, not four).
        let (file, dir_is_new) = match create() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(&dir).map_err(|e| Error::io(IoContext::Create, &dir, e))?;
                (create(), true)
            }
            other => (other, false),
        };
        let written = file.and_then(|mut f| f.write_all(bytes).and_then(|()| if sync { f.sync_all() } else { Ok(()) }));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(Error::io(IoContext::Write, temp, e));
        }
        if let Err(e) = fs::rename(&temp, &path) {
            let _ = fs::remove_file(&temp);
            return Err(Error::io(IoContext::RenameInto, path, e));
        }
        Ok((dir, dir_is_new))
    }

    /// Reads an object and checks that its bytes match its name.
    ///
    /// # Errors
    /// [`Error::Object`] if it is missing or altered; [`Error::Io`] if it
    /// cannot be read.
    pub fn get(&self, sha256: &Sha256) -> Result<Vec<u8>, Error> {
        let path = self.path_of(sha256);
        let mut bytes = Vec::new();
        match super::open_options().read(true).open(&path).and_then(|mut f| f.read_to_end(&mut bytes)) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Error::Object { sha256: *sha256, problem: super::ObjectProblem::Missing });
            }
            Err(e) if is_loop(&e) => {
                return Err(Error::Object { sha256: *sha256, problem: super::ObjectProblem::Symlink });
            }
            Err(e) => return Err(Error::io(IoContext::Read, path, e)),
        }
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
        let mut file = match super::open_options().read(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ObjectStatus::Missing),
            // A link to a file elsewhere is not evidence this store holds.
            Err(e) if is_loop(&e) => return Ok(ObjectStatus::Symlink),
            Err(e) => return Err(Error::io(IoContext::Open, path, e)),
        };
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut size = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(IoContext::Read, path, e)),
            };
            sha2::Digest::update(&mut hasher, &buf[..n]);
            size += n as u64;
        }
        let actual = Sha256::from_bytes(sha2::Digest::finalize(hasher).into());
        Ok(if actual == *sha256 { ObjectStatus::Intact { size } } else { ObjectStatus::Altered { actual, size } })
    }

    /// True if a file of this object's name and size exists (no hashing).
    pub(crate) fn has(&self, sha256: &Sha256, size: u64) -> bool {
        // Not following a symlink: a linked "object" is not stored (a put
        // replaces the link by the real file).
        fs::symlink_metadata(self.path_of(sha256)).is_ok_and(|m| m.is_file() && m.len() == size)
    }

    /// Deletes an object durably; `false` if it was not there.
    pub(crate) fn remove(&self, sha256: &Sha256) -> Result<bool, Error> {
        let path = self.path_of(sha256);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(Error::io(IoContext::Delete, path, e)),
        }
        sync_dir(path.parent().expect("object paths have a parent"))?;
        Ok(true)
    }
}

/// Objects written together and made durable by one [`StoreBatch::commit`]
/// (see the module docs). [`StoreBatch::put`] may be called from several
/// threads. An object put through a batch must not be named by an event
/// before `commit` returned `Ok`; dropping a batch without `commit` leaves
/// its objects in place, but not necessarily durable.
#[derive(Debug)]
pub struct StoreBatch<'s> {
    store: &'s Store,
    state: Mutex<BatchState>,
}

#[derive(Debug, Default)]
struct BatchState {
    /// Objects put through this batch, new or not (`commit` syncs only
    /// if any).
    puts: usize,
    /// Whether a shard directory (or `objects/`) was created.
    new_dir: bool,
}

impl StoreBatch<'_> {
    /// Writes `bytes` (unless already stored) without syncing; durable only
    /// after [`StoreBatch::commit`].
    ///
    /// # Errors
    /// [`Error::Io`] if a directory or file cannot be created, written or
    /// renamed.
    pub fn put(&self, bytes: &[u8]) -> Result<Stored, Error> {
        let stored = Stored { sha256: Sha256::digest(bytes), size: bytes.len() as u64 };
        if self.store.has(&stored.sha256, stored.size) {
            // It may be a file an earlier process wrote but never synced:
            // the commit's `syncfs` makes it durable too.
            self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).puts += 1;
            return Ok(stored);
        }
        #[cfg(target_os = "linux")]
        let (_, new_dir) = self.store.write_new(&stored, bytes, false)?;
        #[cfg(not(target_os = "linux"))]
        let new_dir = {
            let (dir, new_dir) = self.store.write_new(&stored, bytes, true)?;
            sync_dir(&dir)?;
            new_dir
        };
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.puts += 1;
        state.new_dir |= new_dir;
        Ok(stored)
    }

    /// Makes every object of the batch durable: one `syncfs(2)` on Linux
    /// (see the module docs).
    ///
    /// # Errors
    /// [`Error::Io`] if the filesystem (or a directory) cannot be synced.
    pub fn commit(self) -> Result<(), Error> {
        let state = self.state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.puts == 0 {
            return Ok(());
        }
        #[cfg(target_os = "linux")]
        sync_filesystem(&self.store.root)?;
        #[cfg(not(target_os = "linux"))]
        if state.new_dir {
            self.store.sync_parents()?;
        }
        Ok(())
    }
}

/// `ELOOP`: what opening a symlink with `O_NOFOLLOW` fails with.
fn is_loop(e: &io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

/// `syncfs(2)` on the filesystem that holds `path`: every dirty page and
/// inode of that filesystem reaches stable storage before it returns.
#[cfg(target_os = "linux")]
pub(crate) fn sync_filesystem(path: &Path) -> Result<(), Error> {
    File::open(path)
        .and_then(|d| rustix::fs::syncfs(&d).map_err(io::Error::from))
        .map_err(|e| Error::io(IoContext::SyncFilesystem, path, e))
}

/// Fsyncs a directory, so a rename or unlink in it survives a crash.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), Error> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(IoContext::Fsync, dir, e))
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

    #[test]
    fn put_group_stores_durably_checks_hashes_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let existing = store.put(b"already here").unwrap();
        let objects: Vec<&[u8]> = vec![b"one", b"two", b"one", b"already here", b""];
        let stored = store.put_group(&objects).unwrap();
        assert_eq!(stored.len(), 5);
        for (s, bytes) in stored.iter().zip(&objects) {
            assert_eq!(s.sha256, Sha256::digest(bytes));
            assert_eq!(s.size, bytes.len() as u64);
            assert_eq!(store.get(&s.sha256).unwrap(), *bytes);
            assert_eq!(store.verify(&s.sha256).unwrap(), ObjectStatus::Intact { size: s.size });
        }
        assert_eq!(stored[0], stored[2]);
        assert_eq!(stored[3], existing);
        // Again: nothing changes, no temp files anywhere.
        assert_eq!(store.put_group(&objects).unwrap(), stored);
        assert_eq!(store.put_group(&[]).unwrap(), vec![]);
        let mut files = 0;
        for shard in fs::read_dir(dir.path().join("objects")).unwrap() {
            for f in fs::read_dir(shard.unwrap().path()).unwrap() {
                let name = f.unwrap().file_name().into_string().unwrap();
                assert!(!name.starts_with(".tmp"), "{name}");
                files += 1;
            }
        }
        assert_eq!(files, 4);
        // A batch from several threads, committed once.
        let batch = store.batch();
        let put: Vec<Stored> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4u8)
                .map(|i| {
                    s.spawn({
                        let b = &batch;
                        move || b.put(&[i; 100]).unwrap()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        batch.commit().unwrap();
        for (i, s) in put.iter().enumerate() {
            assert_eq!(store.get(&s.sha256).unwrap(), vec![i as u8; 100]);
        }
    }
}
