//! The library's error type, for callers that must tell failures apart.
//!
//! Per-article problems during ingest are not errors: they are
//! [`crate::article::Rejected`] records, reported while valid articles go on.

use std::path::PathBuf;

/// Everything that can stop a library operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists at the path.
    #[error(
        "no lupe index at {path}: create one with `lupe ingest --index {path} PATH…` \
         (PATH: article files or folders)"
    )]
    NoIndex {
        /// The index directory.
        path: PathBuf,
    },
    /// The index exists but holds no articles.
    #[error(
        "the index at {path} holds no articles yet: add some with \
         `lupe ingest --index {path} PATH…`"
    )]
    EmptyIndex {
        /// The index directory.
        path: PathBuf,
    },
    /// The directory holds something that is not a lupe index.
    #[error("{path} is not a lupe index ({reason}); use an empty or new directory")]
    NotLupeIndex {
        /// The index directory.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The index was built with different analysis rules.
    #[error(
        "the index at {path} was built by {found}, but this lupe analyses text with {expected}; \
         rebuild it with `lupe rebuild --index {path}` (the original files are not needed)"
    )]
    AnalyzerMismatch {
        /// The index directory.
        path: PathBuf,
        /// The analyzer recorded in the index.
        found: String,
        /// The analyzer of this build.
        expected: String,
    },
    /// Another process holds the index's writer lock.
    #[error(
        "index {path} is being written by another lupe process; wait for it to finish and try again"
    )]
    Locked {
        /// The index directory.
        path: PathBuf,
    },
    /// The run was interrupted (Ctrl-C); nothing since the last commit was kept.
    #[error(
        "interrupted: {discarded} articles of this run were discarded; the index at {path} is as it was at its last commit"
    )]
    Interrupted {
        /// The index directory.
        path: PathBuf,
        /// Articles read since the last commit (rolled back).
        discarded: u64,
    },
    /// A file-system operation failed.
    #[error("{action} {path}")]
    Io {
        /// What lupe was doing ("reading", "creating", …).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// tantivy reported an error for the index at `path`.
    #[error("index {path}")]
    Index {
        /// The index directory.
        path: PathBuf,
        /// The underlying error.
        source: tantivy::TantivyError,
    },
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
