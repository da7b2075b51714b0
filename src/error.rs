//! The library's error type, for callers that must tell failures apart.
//!
//! Per-article problems during ingest are not errors: they are
//! [`crate::article::Rejected`] records, reported while valid articles go on.

use std::path::{Component, Path, PathBuf};

/// Everything that can stop a library operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists at the path.
    #[error("{}", no_index_message(path))]
    NoIndex {
        /// The index directory.
        path: PathBuf,
    },
    /// The index exists but holds no articles.
    #[error(
        "the index at {} holds no articles yet: add some with \
         `lupe ingest --index {} PATH…`",
        shown(path),
        shown(path)
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
        "the index at {} was built by {found}, but this lupe analyses text with {expected}; \
         rebuild it with `lupe rebuild --index {}` (the original files are not needed)",
        shown(path),
        shown(path)
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
        "interrupted: {discarded} {} of this run {} discarded; the index at {} is as it was at its last commit",
        if *discarded == 1 { "article" } else { "articles" },
        if *discarded == 1 { "was" } else { "were" },
        path.display()
    )]
    Interrupted {
        /// The index directory.
        path: PathBuf,
        /// Articles read since the last commit (rolled back).
        discarded: u64,
    },
    /// An export would overwrite files in a folder that holds some.
    #[error(
        "{path} is not empty: export into a new or empty folder, or add --force to \
         overwrite the files an export writes there"
    )]
    NotEmpty {
        /// The folder.
        path: PathBuf,
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

/// A path as the user would type it in a shell: a bare relative name gets
/// `./` (so "no lupe index at ./index" does not read like a word), and a
/// path with spaces or shell characters is quoted, so the commands that
/// messages suggest can be pasted as they are.
pub fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    let text = match path.components().next() {
        Some(Component::Normal(_)) => format!("./{text}"),
        _ => text,
    };
    let plain = |c: char| c.is_alphanumeric() || "/._-+:,@%=~".contains(c);
    if text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Why there is no index at `path`, with advice that works for what is
/// there. Looked at when the message is made, so every place that finds no
/// index gives the same advice.
fn no_index_message(path: &Path) -> String {
    let at = shown(path);
    let create = "create a new index with `lupe ingest --index NEW-FOLDER PATH…` \
                  (PATH: article files or folders)";
    if path.is_file() {
        format!(
            "no lupe index at {at}: it is a file; --index names the folder of an index, or {create}"
        )
    } else if path.is_dir() && holds_visible_files(path) {
        format!(
            "no lupe index at {at}: the folder holds other files but no index; --index names \
             the folder of an index, or {create}"
        )
    } else {
        format!(
            "no lupe index at {at}: create one with `lupe ingest --index {at} PATH…` \
             (PATH: article files or folders)"
        )
    }
}

/// Does the folder hold files that keep lupe from creating an index there?
/// (Hidden files are allowed, as when creating one.)
fn holds_visible_files(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.')
        })
    })
}

impl Error {
    /// For `map_err`: an I/O failure while `action` on `path`
    /// (`fs::read(&p).map_err(Error::io("reading", &p))`).
    pub fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error + use<> {
        let path = path.to_path_buf();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
