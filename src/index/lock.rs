//! The writer lock: one lupe process writes an index at a time.
//!
//! tantivy's own writer lock covers only the life of one `IndexWriter`. A
//! rebuild beside the index, a repair and the swap that follows them do
//! not write through a writer of the index itself, so lupe takes a lock of
//! its own for the whole run of every writing command (ingest, delete,
//! rebuild, repair). It is an advisory lock on `.lupe-writer.lock` in the
//! index folder, released by the kernel when the process ends, however it
//! ends: a killed writer never leaves a stale lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The lock file's name in the index folder.
pub const LOCK_FILE: &str = ".lupe-writer.lock";

/// A held writer lock; dropping it releases the lock.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    path: PathBuf,
}

impl WriteLock {
    /// Takes the writer lock of the index folder `dir` (which must exist),
    /// or fails at once with [`Error::Locked`] when another process holds it.
    pub fn acquire(dir: &Path) -> Result<WriteLock> {
        let cannot_write = |source| Error::io("cannot write to the index at", dir)(source);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(cannot_write)?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock {
                _file: file,
                path: dir.to_path_buf(),
            }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked {
                path: dir.to_path_buf(),
            }),
            Err(TryLockError::Error(e)) => Err(cannot_write(e)),
        }
    }

    /// The index folder this lock is for.
    pub fn dir(&self) -> &Path {
        &self.path
    }
}
