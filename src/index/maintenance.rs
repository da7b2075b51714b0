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
    let err = super::index_error(path);
    // Read the old index by field names: its analyzer (or schema) may be
    // one this lupe does not speak any more.
    let old = tantivy::Index::open_in_dir(path).map_err(err)?;
    let from = super::describe_payload(old.load_metas().map_err(err)?.payload.as_deref());
    // Files that fail their checksum (or cannot be opened to test it) are
    // not to be trusted: damaged postings point at the wrong documents. The
    // document store may still hold every article; salvage them from there.
    let damaged = super::damaged_files(&old, path).map_or(true, |f| !f.is_empty());
    let searcher = old.reader().map(|r| r.searcher());
    let readable = match &searcher {
        Ok(_) if damaged => Err(None),
        Ok(searcher) => ArticleReader::new(searcher, path)
            .and_then(|r| Ok((r.ids()?, r)))
            .map_err(Some),
        Err(e) => Err(Some(err(e.clone()))),
    };
    let (ids, reader, mut salvaged) = match readable {
        Ok((ids, reader)) => (ids, Some(reader), None),
        Err(None | Some(Error::Index { .. })) => {
            let articles = salvage(&old, path)?;
            let ids = articles.iter().map(|a| a.id.clone()).collect();
            (ids, None, Some(articles.into_iter()))
        }
        Err(Some(e)) => return Err(e),
    };
    let total = ids.len() as u64;
    // A salvage never writes into the damaged folder.
    let in_place = salvaged.is_none() && LupeIndex::has_current_schema(path)?;
    let target = if in_place {
        path.to_path_buf()
    } else {
        let name = path
            .file_name()
            .map_or("index".into(), |n| n.to_string_lossy().into_owned());
        let beside = path.with_file_name(format!(".{name}.rebuild"));
        if beside.exists() {
            std::fs::remove_dir_all(&beside).map_err(|source| Error::Io {
                action: "removing an unfinished rebuild",
                path: beside.clone(),
                source,
            })?;
        }
        beside
    };
    let index = if in_place {
        LupeIndex::open_for_rebuild(&target)?
    } else {
        LupeIndex::open_or_create(&target, Kind::German)?
    };
    let mut writer = index.writer(options.threads)?;
    writer.clear()?;
    let mut summary = RebuildSummary {
        from,
        to: format!(
            "{} v{}",
            Kind::German.name(),
            crate::analysis::ANALYZER_VERSION
        ),
        in_place,
        salvaged: salvaged.is_some(),
        ..RebuildSummary::default()
    };
    for (done, id) in ids.iter().enumerate() {
        if options.cancel.is_cancelled() {
            writer.rollback()?;
            return Err(Error::Interrupted {
                path: path.to_path_buf(),
                discarded: done as u64,
            });
        }
        let stored = match (&reader, &mut salvaged) {
            (Some(reader), _) => reader.article(id)?,
            (None, Some(articles)) => articles.next(),
            (None, None) => None,
        };
        let Some(stored) = stored else {
            continue;
        };
        let article = stored.to_article();
        let passages = passage::split(&article.body);
        writer.add(&article, &passages)?;
        summary.articles += 1;
        summary.passages += passages.len() as u64;
        progress(done as u64 + 1, total);
    }
    writer.finish()?;
    drop(index);
    if !in_place {
        swap_folders(path, &target)?;
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Puts the rebuilt index at `target` in place of the one at `path`.
fn swap_folders(path: &Path, target: &Path) -> Result<()> {
    let name = path
        .file_name()
        .map_or("index".into(), |n| n.to_string_lossy().into_owned());
    let old = path.with_file_name(format!(".{name}.old"));
    let io = |action: &'static str, p: &Path| {
        let p = p.to_path_buf();
        move |source| Error::Io {
            action,
            path: p,
            source,
        }
    };
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io("removing", &old))?;
    }
    std::fs::rename(path, &old).map_err(io("moving the old index aside", path))?;
    std::fs::rename(target, path).map_err(io("moving the rebuilt index into place", target))?;
    std::fs::remove_dir_all(&old).map_err(io("removing the old index", &old))?;
    Ok(())
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
