//! The tantivy index: schema, opening (with analyzer registration and the
//! version check), and reading stored passages back.
//!
//! Every passage is one document carrying its article's fields. Nothing
//! outside this module names a tantivy field or touches the tokenizer
//! manager; the writer lives in [`writer`].

pub mod articles;
mod directory;
pub mod lock;
pub mod lookup;
pub mod maintenance;
mod schema;
pub mod stats;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use crate::analysis::{self, Kind};
use crate::error::{Error, Result};
pub use lock::WriteLock;
pub use schema::{Fields, TITLE_POSITION};
pub use writer::{Outcome, Upsert, Writer};

/// What every commit records about the analysis that built the index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    /// German or plain analysis.
    pub analyzer: Kind,
    /// [`analysis::ANALYZER_VERSION`] at the time of the commit.
    pub analyzer_version: u32,
    /// The lupe version that made the commit.
    pub lupe: String,
}

impl Payload {
    fn current(kind: Kind) -> Payload {
        Payload {
            analyzer: kind,
            analyzer_version: analysis::ANALYZER_VERSION,
            lupe: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// "german v3": the analyzer and its version.
    pub fn label(&self) -> String {
        analyzer_label(self.analyzer, self.analyzer_version)
    }

    fn describe(&self) -> String {
        format!("the {} analyzer (lupe {})", self.label(), self.lupe)
    }
}

/// "german v3": how an analyzer and its version are named in messages and
/// in `lupe stats`.
pub fn analyzer_label(kind: Kind, version: u32) -> String {
    format!("{} v{version}", kind.name())
}

/// The label of the analyzer this lupe builds indexes with.
pub fn current_analyzer_label(kind: Kind) -> String {
    analyzer_label(kind, analysis::ANALYZER_VERSION)
}

/// Says which analysis a commit payload records ("german v3 (lupe 0.1.0)").
pub fn describe_payload(payload: Option<&str>) -> String {
    match payload.and_then(|p| serde_json::from_str::<Payload>(p).ok()) {
        Some(p) => format!("{} (lupe {})", p.label(), p.lupe),
        None => "an unknown analyzer".into(),
    }
}

/// An open lupe index.
pub struct LupeIndex {
    path: PathBuf,
    index: tantivy::Index,
    fields: Fields,
    kind: Kind,
    /// The writer lock, when the index was opened for writing.
    lock: Option<WriteLock>,
}

/// Does `path` hold an index (a committed `meta.json`)?
pub fn exists(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

/// Wraps a tantivy error (or one of the errors that convert into it) with
/// the path of the index it happened in.
pub(crate) fn index_error<E: Into<tantivy::TantivyError>>(
    path: &Path,
) -> impl Fn(E) -> Error + Copy + '_ {
    move |source| Error::Index {
        path: path.to_path_buf(),
        source: source.into(),
    }
}

/// The files of `index` (at `path`) whose content no longer matches the
/// checksum tantivy wrote with them, sorted: damage on disk (bit rot, a
/// truncated copy, a stray write). Reads every file of the last commit.
pub fn damaged_files(index: &tantivy::Index, path: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = index
        .validate_checksum()
        .map_err(index_error(path))?
        .into_iter()
        .collect();
    files.sort();
    Ok(files)
}

impl LupeIndex {
    /// Opens an existing index for searching.
    pub fn open(path: &Path) -> Result<LupeIndex> {
        if !exists(path) {
            return Err(Error::NoIndex {
                path: path.to_path_buf(),
            });
        }
        let index = Self::open_tantivy(path)?;
        let kind = Self::check(path, &index, None)?;
        Self::wrap(path, index, kind, None)
    }

    /// Opens the index at `path` for writing, creating it (and the folder)
    /// when missing. An existing index must have been built with `kind`.
    /// Takes the writer lock (held while the index is open) and first
    /// finishes or undoes an interrupted rebuild (see
    /// [`maintenance::recover`]).
    pub fn open_or_create(path: &Path, kind: Kind) -> Result<LupeIndex> {
        if path.exists() && !path.is_dir() {
            return Err(Error::NotLupeIndex {
                path: path.to_path_buf(),
                reason: "it is a file, not a folder".into(),
            });
        }
        std::fs::create_dir_all(path).map_err(Error::io("creating index folder", path))?;
        let lock = WriteLock::acquire(path)?;
        maintenance::recover(path, &lock)?;
        if exists(path) {
            let index = Self::open_tantivy(path)?;
            Self::check(path, &index, Some(kind))?;
            return Self::wrap(path, index, kind, Some(lock));
        }
        let foreign = std::fs::read_dir(path)
            .map_err(Error::io("reading", path))?
            .filter_map(|e| e.ok())
            .any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                // Hidden files (a placeholder such as index/.gitkeep, tantivy's
                // own lock file) are no one's data.
                !name.starts_with('.')
            });
        if foreign {
            return Err(Error::NotLupeIndex {
                path: path.to_path_buf(),
                reason: "the folder holds other files but no index".into(),
            });
        }
        let index = tantivy::Index::builder()
            .schema(schema::build())
            .settings(schema::settings())
            .create_in_dir(path)
            .map_err(index_error(path))?;
        Self::wrap(path, index, kind, Some(lock))
    }

    /// Opens an existing index for writing (to delete from it): takes the
    /// writer lock and recovers from an interrupted rebuild first.
    pub fn open_writable(path: &Path) -> Result<LupeIndex> {
        if !exists(path) {
            return Err(Error::NoIndex {
                path: path.to_path_buf(),
            });
        }
        let lock = WriteLock::acquire(path)?;
        maintenance::recover(path, &lock)?;
        let index = Self::open_tantivy(path)?;
        let kind = Self::check(path, &index, None)?;
        Self::wrap(path, index, kind, Some(lock))
    }

    /// The tantivy index in `path`, through lupe's directory.
    pub(crate) fn open_tantivy(path: &Path) -> Result<tantivy::Index> {
        let directory = directory::IndexDirectory::open(path).map_err(index_error(path))?;
        tantivy::Index::open(directory).map_err(index_error(path))
    }

    /// Opens an existing index with the current schema whatever analyzer
    /// built it, to rebuild it in place with the current analyzer, under
    /// the writer `lock` the rebuild took.
    pub fn open_for_rebuild(path: &Path, lock: WriteLock) -> Result<LupeIndex> {
        if !exists(path) {
            return Err(Error::NoIndex {
                path: path.to_path_buf(),
            });
        }
        let index = Self::open_tantivy(path)?;
        if index.schema() != schema::build() {
            return Err(Error::NotLupeIndex {
                path: path.to_path_buf(),
                reason: "its schema differs from this lupe's".into(),
            });
        }
        Self::wrap(path, index, Kind::German, Some(lock))
    }

    /// Does the index at `path` use this lupe's schema (so that a rebuild
    /// can happen in place)?
    pub fn has_current_schema(path: &Path) -> Result<bool> {
        let index = Self::open_tantivy(path)?;
        Ok(index.schema() == schema::build())
    }

    /// The ids of the articles `selection` names that the index holds.
    pub fn select(&self, searcher: &Searcher, selection: &Selection) -> Result<Vec<String>> {
        let f = &self.fields;
        let query: Box<dyn tantivy::query::Query> = match selection {
            Selection::Ids(ids) => {
                let reader = articles::ArticleReader::new(searcher, &self.path)?;
                let mut found = Vec::new();
                for id in ids {
                    if reader.article(id)?.is_some() && !found.contains(id) {
                        found.push(id.clone());
                    }
                }
                return Ok(found);
            }
            Selection::Source(name) => lookup::source_query(f, &analysis::keyword(name)),
            Selection::Until(secs) => lookup::date_query(
                f,
                std::ops::Bound::Unbounded,
                std::ops::Bound::Excluded(*secs),
            ),
        };
        let addresses = searcher
            .search(&*query, &tantivy::collector::DocSetCollector)
            .map_err(index_error(&self.path))?;
        let mut ids = std::collections::BTreeSet::new();
        for address in addresses {
            let segment = searcher.segment_reader(address.segment_ord);
            let column = segment
                .fast_fields()
                .str("article_id")
                .map_err(index_error(&self.path))?;
            if let Some(column) = column
                && let Some(ord) = column.ords().first(address.doc_id)
            {
                let mut id = String::new();
                if column.ord_to_str(ord, &mut id).unwrap_or(false) {
                    ids.insert(id);
                }
            }
        }
        Ok(ids.into_iter().collect())
    }

    /// Checks schema and analyzer; returns the analyzer kind of the index.
    fn check(path: &Path, index: &tantivy::Index, want: Option<Kind>) -> Result<Kind> {
        if index.schema() != schema::build() {
            return Err(Error::AnalyzerMismatch {
                path: path.to_path_buf(),
                found: "another lupe version (its schema differs)".into(),
                expected: Payload::current(want.unwrap_or(Kind::German)).describe(),
            });
        }
        let metas = index.load_metas().map_err(index_error(path))?;
        let payload = match &metas.payload {
            Some(p) => serde_json::from_str::<Payload>(p).map_err(|_| Error::NotLupeIndex {
                path: path.to_path_buf(),
                reason: "its commit carries no lupe analyzer record".into(),
            })?,
            // Created but never committed: nothing in it, anything goes.
            None if metas.segments.is_empty() => return Ok(want.unwrap_or(Kind::German)),
            None => {
                return Err(Error::NotLupeIndex {
                    path: path.to_path_buf(),
                    reason: "its commit carries no lupe analyzer record".into(),
                });
            }
        };
        let kind = want.unwrap_or(payload.analyzer);
        let expected = Payload::current(kind);
        if payload.analyzer != kind || payload.analyzer_version != expected.analyzer_version {
            return Err(Error::AnalyzerMismatch {
                path: path.to_path_buf(),
                found: payload.describe(),
                expected: expected.describe(),
            });
        }
        Ok(kind)
    }

    fn wrap(
        path: &Path,
        index: tantivy::Index,
        kind: Kind,
        lock: Option<WriteLock>,
    ) -> Result<LupeIndex> {
        analysis::tantivy_adapter::register(index.tokenizers(), kind);
        let fields = Fields::from_schema(&index.schema());
        Ok(LupeIndex {
            path: path.to_path_buf(),
            index,
            fields,
            kind,
            lock,
        })
    }

    /// Does this process hold the index's writer lock?
    pub(crate) fn is_locked(&self) -> bool {
        self.lock.is_some()
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The analysis this index is built with.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The JSON payload to record with a commit.
    pub(crate) fn payload(&self) -> String {
        serde_json::to_string(&Payload::current(self.kind)).expect("a payload always serialises")
    }

    /// The index files that fail their checksum (see [`damaged_files`]).
    /// Reads every file of the last commit, so it is for `check` and for
    /// diagnosing a failure, not for every command.
    pub fn damaged_files(&self) -> Result<Vec<PathBuf>> {
        damaged_files(&self.index, &self.path)
    }

    /// The underlying tantivy index (for this crate's search and writer).
    pub(crate) fn tantivy(&self) -> &tantivy::Index {
        &self.index
    }

    /// A reader that sees the last commit and never reloads by itself: a
    /// command answers from one consistent snapshot.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error(&self.path))
    }

    /// Opens the writer (takes the writer lock unless the index was opened
    /// for writing, which holds it already).
    pub fn writer(&self, threads: usize) -> Result<Writer<'_>> {
        Writer::open(self, threads)
    }

    /// Reads one stored passage.
    pub fn load(&self, searcher: &Searcher, address: DocAddress) -> Result<StoredPassage> {
        let doc: TantivyDocument = searcher.doc(address).map_err(index_error(&self.path))?;
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        Ok(StoredPassage {
            article_id: text(f.article_id).unwrap_or_default(),
            passage_id: text(f.passage_id).unwrap_or_default(),
            passage: number(f.passage) as u32,
            passages: number(f.passages) as u32,
            title: text(f.title).unwrap_or_default(),
            text: text(f.text).unwrap_or_default(),
            date: text(f.date),
            source: text(f.source),
            url: text(f.url),
        })
    }
}

/// Which articles a command acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// These ids.
    Ids(Vec<String>),
    /// Every article of this source (compared case-insensitively).
    Source(String),
    /// Every article published before this instant (Unix seconds).
    Until(i64),
}

/// A passage as stored in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassage {
    /// The article's id.
    pub article_id: String,
    /// `<article id>#<ordinal>`.
    pub passage_id: String,
    /// Ordinal of the passage in its article, from 0.
    pub passage: u32,
    /// Number of passages of the article.
    pub passages: u32,
    /// The article's title.
    pub title: String,
    /// The passage text.
    pub text: String,
    /// The article's date as given (ISO 8601).
    pub date: Option<String>,
    /// The article's source.
    pub source: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
}

/// `<article id>#<ordinal>`.
pub fn passage_id(article_id: &str, ordinal: u32) -> String {
    format!("{article_id}#{ordinal}")
}

/// A stable 64-bit key for an article id (used to group passages fast).
pub fn article_key(article_id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(article_id.as_bytes())
}
