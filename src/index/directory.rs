//! The index folder as tantivy sees it, readable on read-only media.
//!
//! tantivy takes a short lock file even to read an index's metadata. On a
//! read-only file system (an archive on a read-only mount or share) that
//! lock cannot be created, so searching would fail although nothing is
//! written. This wrapper grants the *read* lock without a file in exactly
//! that case; the writer's lock still fails, with a clear message.
//!
//! tantivy also refuses to open an index whose `.managed.json` (its list
//! of the files it made, for garbage collection) is damaged, although the
//! index itself is intact. The wrapper then hands tantivy the list made from
//! `meta.json` instead; a writer repairs the file on disk.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

/// An mmap directory whose metadata read lock tolerates a read-only file system.
#[derive(Debug, Clone)]
pub struct IndexDirectory {
    inner: MmapDirectory,
    path: PathBuf,
}

impl IndexDirectory {
    /// Opens the folder.
    pub fn open(path: &Path) -> Result<IndexDirectory, OpenDirectoryError> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(path)?,
            path: path.to_path_buf(),
        })
    }
}

/// Is this the error of creating a file where nothing may be written?
fn cannot_write(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied
    )
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let data = self.inner.atomic_read(path)?;
        if path == Path::new(super::maintenance::MANAGED_FILE)
            && serde_json::from_slice::<Vec<String>>(&data).is_err()
            && let Ok(list) = super::maintenance::managed_list(&self.path)
        {
            return Ok(list);
        }
        Ok(data)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            // Nobody can write here either, so reading needs no lock.
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath && cannot_write(&e) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
