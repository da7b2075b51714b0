//! Looking after an index as a whole: `check` (checksums, then whole
//! articles), `rebuild` (re-indexing the stored articles with this lupe's
//! analyzer, in place or beside the old index and swapped in), and the
//! salvage of articles from the document store alone when other files of
//! the index are damaged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::TantivyDocument;
use tantivy::fastfield::AliveBitSet;
use tantivy::index::SegmentComponent;
use tantivy::schema::Value;
use tantivy::store::StoreReader;

use super::LupeIndex;
use super::articles::{ArticleFields, ArticleReader, StoredArticle};
use super::index_error;
use super::lock::WriteLock;
use crate::analysis::Kind;
use crate::article::{Article, date};
use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::passage;

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Files that fail their checksum (when any do, nothing else was read).
    pub damaged_files: Vec<PathBuf>,
    /// Articles in the index.
    pub articles: u64,
    /// Passages that belong to a readable article.
    pub passages: u64,
    /// Passages in the index (live documents).
    pub documents: u64,
    /// Articles that lack passages.
    pub incomplete: Vec<Incomplete>,
}

/// An article with fewer passages than it was written with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Incomplete {
    /// The article's id.
    pub id: String,
    /// Passages found.
    pub found: u64,
    /// Passages written.
    pub expected: u64,
}

impl CheckReport {
    /// Is the index whole: checksums correct, every article complete,
    /// every passage in an article?
    pub fn is_whole(&self) -> bool {
        self.damaged_files.is_empty() && self.incomplete.is_empty() && self.strays() == 0
    }

    /// Passages that belong to no readable article.
    pub fn strays(&self) -> u64 {
        self.documents.saturating_sub(self.passages)
    }
}

/// Verifies every file of `index` against its checksum, then (when they
/// pass) that every article has all its passages.
pub fn check(index: &LupeIndex) -> Result<CheckReport> {
    // Checksums first: reading damaged files is what makes tantivy fail.
    let damaged_files = index.damaged_files()?;
    if !damaged_files.is_empty() {
        return Ok(CheckReport {
            damaged_files,
            ..CheckReport::default()
        });
    }
    let path = index.path();
    let searcher = index.reader()?.searcher();
    let reader = ArticleReader::new(&searcher, path)?;
    let ids = reader.ids()?;
    let mut report = CheckReport {
        articles: ids.len() as u64,
        documents: searcher.num_docs(),
        ..CheckReport::default()
    };
    for id in &ids {
        let Some(article) = reader.article(id)? else {
            continue;
        };
        let found = article.passages.len() as u64;
        report.passages += found;
        if found != u64::from(article.expected_passages) {
            report.incomplete.push(Incomplete {
                id: id.clone(),
                found,
                expected: u64::from(article.expected_passages),
            });
        }
    }
    Ok(report)
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RebuildSummary {
    /// Articles re-indexed.
    pub articles: u64,
    /// Passages written.
    pub passages: u64,
    /// The analysis the old index was built with.
    pub from: String,
    /// The analysis of the new index.
    pub to: String,
    /// Whether the index was rebuilt inside its folder (one atomic commit)
    /// rather than beside it and swapped in (after a schema change, or
    /// when salvaging).
    pub in_place: bool,
    /// Whether the articles were salvaged from the document store alone,
    /// because other files of the index could not be read.
    pub salvaged: bool,
    /// Wall time.
    pub seconds: f64,
}

impl StoredArticle {
    /// The article as it was ingested (its body re-joined from passages).
    fn to_article(&self) -> Article {
        Article {
            id: self.id.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            date: self.date.as_deref().and_then(date::parse),
            source: self.source.clone(),
            url: self.url.clone(),
        }
    }
}

/// How a rebuild runs.
#[derive(Debug, Clone)]
pub struct RebuildOptions {
    /// Indexing threads.
    pub threads: usize,
    /// Set to stop: the rebuild is abandoned and the old index stays.
    pub cancel: Cancel,
}

impl Default for RebuildOptions {
    fn default() -> Self {
        RebuildOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            cancel: Cancel::default(),
        }
    }
}

/// Re-indexes every article stored in the index at `path` with the current
/// analyzer, without the original files. Until the new index commits,
/// readers see the old one. `progress` gets (articles done, articles).
pub fn rebuild(
    path: &Path,
    options: &RebuildOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<RebuildSummary> {
    let start = Instant::now();
    if !super::exists(path) {
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    // The lock is held to the end, over the build and the swap: an ingest
    // or delete meanwhile would be lost when the swap replaces the index.
    let lock = WriteLock::acquire(path)?;
    recover(path, &lock)?;
    crate::fault::point("rebuild:locked");
    let err = super::index_error(path);
    // Read the old index by field names: its analyzer (or schema) may be
    // one this lupe does not speak any more.
    let old = LupeIndex::open_tantivy(path)?;
    let from = super::describe_payload(old.load_metas().map_err(err)?.payload.as_deref());
    let searcher = old.reader().map(|r| r.searcher());
    let source = Source::open(&old, &searcher, path)?;
    // A salvage never writes through the damaged files.
    let in_place = !source.is_salvage() && LupeIndex::has_current_schema(path)?;
    let work = path.join(WORK_DIR);
    let (index, _lock) = if in_place {
        (LupeIndex::open_for_rebuild(path, lock)?, None)
    } else {
        // Inside the index folder: on the same file system whatever the
        // path is (`.`, a mount point, a symlink), so the swap is renames.
        let index = LupeIndex::open_or_create(&work, Kind::German)?;
        crate::fault::point("rebuild:work-created");
        (index, Some(lock))
    };
    let mut summary = RebuildSummary {
        from,
        to: super::current_analyzer_label(Kind::German),
        in_place,
        salvaged: source.is_salvage(),
        ..RebuildSummary::default()
    };
    let copied = copy_articles(&index, source, options, progress, &mut summary);
    if !matches!(copied, Ok(true)) && !in_place {
        let _ = std::fs::remove_dir_all(&work);
    }
    if !copied? {
        return Err(Error::Interrupted {
            path: path.to_path_buf(),
            discarded: summary.articles,
        });
    }
    if !in_place {
        drop(index);
        mark_ready(&work)?;
        swap_in(path, &work)?;
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Where a rebuild reads the articles from.
enum Source<'a> {
    /// The old index, through its postings.
    Index {
        reader: ArticleReader<'a>,
        ids: Vec<String>,
    },
    /// The document store alone: some index files are damaged.
    Salvaged(Vec<StoredArticle>),
}

impl<'a> Source<'a> {
    /// Files that fail their checksum (or cannot be opened to test it) are
    /// not to be trusted: damaged postings point at the wrong documents. The
    /// document store may still hold every article; salvage them from there.
    fn open(
        old: &tantivy::Index,
        searcher: &'a tantivy::Result<tantivy::Searcher>,
        path: &'a Path,
    ) -> Result<Source<'a>> {
        let damaged = super::damaged_files(old, path).map_or(true, |f| !f.is_empty());
        let readable = match searcher {
            Ok(_) if damaged => Err(None),
            Ok(searcher) => ArticleReader::new(searcher, path)
                .and_then(|r| Ok((r.ids()?, r)))
                .map_err(Some),
            Err(e) => Err(Some(super::index_error(path)(e.clone()))),
        };
        match readable {
            Ok((ids, reader)) => Ok(Source::Index { reader, ids }),
            Err(None | Some(Error::Index { .. })) => Ok(Source::Salvaged(salvage(old, path)?)),
            Err(Some(e)) => Err(e),
        }
    }

    fn is_salvage(&self) -> bool {
        matches!(self, Source::Salvaged(_))
    }

    fn len(&self) -> usize {
        match self {
            Source::Index { ids, .. } => ids.len(),
            Source::Salvaged(articles) => articles.len(),
        }
    }
}

/// Writes every article of `source` into `index` (cleared first) and
/// commits, unless cancelled: `Ok(false)` then, with nothing committed.
fn copy_articles(
    index: &LupeIndex,
    source: Source<'_>,
    options: &RebuildOptions,
    progress: &mut dyn FnMut(u64, u64),
    summary: &mut RebuildSummary,
) -> Result<bool> {
    let total = source.len() as u64;
    let mut writer = index.writer(options.threads)?;
    writer.clear()?;
    let mut add = |done: usize, stored: StoredArticle| -> Result<()> {
        let article = stored.to_article();
        let passages = passage::split(&article.body);
        writer.add(&article, &passages)?;
        crate::fault::point("rebuild:article");
        summary.articles += 1;
        summary.passages += passages.len() as u64;
        progress(done as u64 + 1, total);
        Ok(())
    };
    let copied = match source {
        Source::Index { reader, ids } => ids.iter().enumerate().try_for_each(|(done, id)| {
            if options.cancel.is_cancelled() {
                return Err(None);
            }
            match reader.article(id) {
                Ok(Some(stored)) => add(done, stored).map_err(Some),
                Ok(None) => Ok(()),
                Err(e) => Err(Some(e)),
            }
        }),
        Source::Salvaged(articles) => {
            articles
                .into_iter()
                .enumerate()
                .try_for_each(|(done, stored)| {
                    if options.cancel.is_cancelled() {
                        return Err(None);
                    }
                    add(done, stored).map_err(Some)
                })
        }
    };
    match copied {
        Ok(()) => writer.finish_unless(&options.cancel),
        Err(cause) => {
            let _ = writer.rollback();
            match cause {
                Some(e) => Err(e),
                None => Ok(false),
            }
        }
    }
}

/// The folder inside the index folder where a rebuild that cannot happen in
/// place writes the new index before it is swapped in.
pub const WORK_DIR: &str = ".lupe-rebuild";

/// In the work folder: the rebuilt index there is complete and committed.
/// From then on an interrupted swap is finished, never undone.
const READY: &str = "READY";

/// Makes renames and new files in `dir` durable.
fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io("syncing", dir))
}

/// Is `name` a file of a tantivy segment (`<32 hex digits>.<component>`)?
fn is_segment_file(name: &str) -> bool {
    name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name[..32].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The segment ids (32 hex digits) that the `meta.json` in `dir` lists.
fn committed_segments(dir: &Path) -> Result<Vec<String>> {
    let file = dir.join("meta.json");
    let text = std::fs::read_to_string(&file).map_err(Error::io("reading", &file))?;
    let meta: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::NotLupeIndex {
        path: dir.to_path_buf(),
        reason: format!("its meta.json cannot be read ({e})"),
    })?;
    Ok(meta["segments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["segment_id"].as_str())
        .map(|id| id.replace('-', ""))
        .collect())
}

/// tantivy's list of the files it made (for its garbage collection).
pub const MANAGED_FILE: &str = ".managed.json";

/// The content of a correct [`MANAGED_FILE`] for the index in `dir`: the
/// files of the segments its `meta.json` lists, and `meta.json`.
pub(crate) fn managed_list(dir: &Path) -> Result<Vec<u8>> {
    let segments = committed_segments(dir)?;
    let mut files = vec!["meta.json".to_string()];
    for entry in std::fs::read_dir(dir).map_err(Error::io("reading", dir))? {
        let name = entry
            .map_err(Error::io("reading", dir))?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if is_segment_file(&name) && segments.iter().any(|id| name.starts_with(id.as_str())) {
            files.push(name);
        }
    }
    files.sort();
    Ok(serde_json::to_vec(&files).expect("a list of names serialises"))
}

/// Rewrites a damaged [`MANAGED_FILE`] from `meta.json` (a truncated copy
/// blocked every command, though the index was intact).
fn repair_managed_list(path: &Path) -> Result<()> {
    let file = path.join(MANAGED_FILE);
    let damaged = match std::fs::read(&file) {
        Ok(data) => serde_json::from_slice::<Vec<String>>(&data).is_err(),
        Err(_) => false,
    };
    if damaged && super::exists(path) {
        let list = managed_list(path)?;
        let temporary = path.join(".managed.json.lupe-repair");
        std::fs::write(&temporary, list).map_err(Error::io("writing", &temporary))?;
        std::fs::rename(&temporary, &file).map_err(Error::io("writing", &file))?;
        sync_dir(path)?;
    }
    Ok(())
}

/// Records that the index in `work` is complete (see [`READY`]).
fn mark_ready(work: &Path) -> Result<()> {
    let ready = work.join(READY);
    std::fs::File::create(&ready)
        .and_then(|f| f.sync_all())
        .map_err(Error::io("writing", &ready))?;
    sync_dir(work)?;
    crate::fault::point("swap:ready");
    Ok(())
}

/// Puts the complete index in `work` in place of the one in `path`, file
/// by file, so that files in the index folder that are not lupe's stay.
///
/// Every step is a rename or a removal, and each can be repeated after a
/// crash (see [`recover`]): the new segment files move in beside the old
/// ones (their names differ), then the new `meta.json` replaces the old in
/// one atomic rename (the moment the new index takes over; before it,
/// readers see the old one, after it the new one), then tantivy's list of
/// its files, and last the old segments' files go.
fn swap_in(path: &Path, work: &Path) -> Result<()> {
    let entries = std::fs::read_dir(work).map_err(Error::io("reading", work))?;
    for entry in entries {
        let entry = entry.map_err(Error::io("reading", work))?;
        let name = entry.file_name();
        if is_segment_file(&name.to_string_lossy()) {
            std::fs::rename(entry.path(), path.join(&name))
                .map_err(Error::io("moving a rebuilt index file into", path))?;
            crate::fault::point("swap:file");
        }
    }
    sync_dir(path)?;
    for name in ["meta.json", MANAGED_FILE] {
        let from = work.join(name);
        if from.exists() {
            std::fs::rename(&from, path.join(name))
                .map_err(Error::io("moving a rebuilt index file into", path))?;
            sync_dir(path)?;
            crate::fault::point("swap:meta");
        }
    }
    let keep = committed_segments(path)?;
    let entries = std::fs::read_dir(path).map_err(Error::io("reading", path))?;
    for entry in entries {
        let entry = entry.map_err(Error::io("reading", path))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_segment_file(&name) && !keep.iter().any(|id| name.starts_with(id.as_str())) {
            std::fs::remove_file(entry.path()).map_err(Error::io("removing", &entry.path()))?;
            crate::fault::point("swap:old-file");
        }
    }
    std::fs::remove_dir_all(work).map_err(Error::io("removing", work))?;
    Ok(())
}

/// What [`recover`] found of an interrupted rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovered {
    /// The rebuilt index was complete: the swap was finished.
    Finished,
    /// The rebuild had not finished: its work folder was removed (the
    /// index itself was never touched).
    Discarded,
}

/// Finishes or undoes what a killed rebuild left in the index folder at
/// `path`: a complete rebuilt index is swapped in, an unfinished one is
/// removed. Needs the writer lock, and runs before any writer opens (a
/// tantivy writer would delete the moved-in files it does not know).
///
/// Also rewrites tantivy's list of its files when it is damaged.
pub fn recover(path: &Path, _lock: &WriteLock) -> Result<Option<Recovered>> {
    let work = path.join(WORK_DIR);
    if !work.is_dir() {
        repair_managed_list(path)?;
        return Ok(None);
    }
    if work.join(READY).is_file() {
        swap_in(path, &work)?;
        repair_managed_list(path)?;
        return Ok(Some(Recovered::Finished));
    }
    std::fs::remove_dir_all(&work)
        .map_err(Error::io("removing an unfinished rebuild in", &work))?;
    Ok(Some(Recovered::Discarded))
}

/// Every article the document stores of `index` still hold, read from
/// the store files (and deletion bitsets) alone, without the term
/// dictionaries, postings or fast fields: for rebuilding an index whose
/// other files are damaged. Holds all articles in memory.
pub fn salvage(index: &tantivy::Index, path: &Path) -> Result<Vec<StoredArticle>> {
    let fields = ArticleFields::from_schema(&index.schema(), path)?;
    let mut found: BTreeMap<String, (Vec<(u64, String)>, TantivyDocument)> = BTreeMap::new();
    for segment in index.searchable_segments().map_err(index_error(path))? {
        let open = |component| segment.open_read(component).map_err(index_error(path));
        let store =
            StoreReader::open(open(SegmentComponent::Store)?, 1).map_err(index_error(path))?;
        let alive = if segment.meta().has_deletes() {
            let bytes = open(SegmentComponent::Delete)?
                .read_bytes()
                .map_err(index_error(path))?;
            Some(AliveBitSet::open(bytes))
        } else {
            None
        };
        for doc in store.iter::<TantivyDocument>(alive.as_ref()) {
            let doc = doc.map_err(index_error(path))?;
            let Some(id) = doc.get_first(fields.article_id).and_then(|v| v.as_str()) else {
                continue;
            };
            let passage = fields.passage_of(&doc);
            match found.get_mut(id) {
                Some((passages, _)) => passages.push(passage),
                None => {
                    found.insert(id.to_string(), (vec![passage], doc));
                }
            }
        }
    }
    Ok(found
        .into_iter()
        .map(|(id, (passages, doc))| fields.assemble(&id, passages, &doc))
        .collect())
}
