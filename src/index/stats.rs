//! What an index holds: counts, size, analyzer, dates and sources.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashSet;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocSet, TantivyDocument};

use super::articles::ArticleReader;
use super::{LupeIndex, Payload};
use crate::error::Result;

/// A summary of an index.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    /// The index folder.
    pub index: String,
    /// Number of articles.
    pub articles: u64,
    /// Number of passages.
    pub passages: u64,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Segments (fewer is faster to search).
    pub segments: usize,
    /// The analysis the index was built with, e.g. "german v3".
    pub analyzer: String,
    /// The lupe version of the last commit.
    pub written_by: String,
    /// Earliest article date (UTC day), if any article has a date.
    pub first_date: Option<String>,
    /// Latest article date (UTC day).
    pub last_date: Option<String>,
    /// Articles without a date.
    pub undated_articles: u64,
    /// Sources with their number of articles, most articles first.
    pub sources: Vec<SourceCount>,
}

/// One source and its number of articles.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceCount {
    /// The source as written in the articles.
    pub source: String,
    /// Its number of articles.
    pub articles: u64,
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn day(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// Computes the statistics of `index` (reads every passage's fast fields
/// and one stored passage per source).
pub fn stats(index: &LupeIndex) -> Result<Stats> {
    let path = index.path();
    let err = super::index_error(path);
    let searcher = index.reader()?.searcher();
    let reader = ArticleReader::new(&searcher, path)?;
    let articles = reader.ids()?.len() as u64;
    let fields = index.fields();

    // Dates: per article (article_key), from the fast fields of live passages.
    let mut dated: FxHashSet<u64> = FxHashSet::default();
    let mut all: FxHashSet<u64> = FxHashSet::default();
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    for segment in searcher.segment_readers() {
        let keys = segment.fast_fields().u64("article_key").map_err(err)?;
        let dates = segment.fast_fields().date("published").map_err(err)?;
        for doc in segment.doc_ids_alive() {
            let key = keys.first(doc).unwrap_or(0);
            all.insert(key);
            if let Some(d) = dates.first(doc) {
                dated.insert(key);
                let secs = d.into_timestamp_secs();
                first = first.min(secs);
                last = last.max(secs);
            }
        }
    }

    // Sources: distinct articles per source term; the spelling shown is the
    // one stored in the first passage found.
    let mut sources: BTreeMap<String, (String, FxHashSet<u64>)> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.source).map_err(err)?;
        let keys = segment.fast_fields().u64("article_key").map_err(err)?;
        let store = segment.get_store_reader(1).map_err(|e| err(e.into()))?;
        let mut terms = inverted.terms().stream().map_err(|e| err(e.into()))?;
        while terms.advance() {
            let key = String::from_utf8_lossy(terms.key()).into_owned();
            let mut postings = inverted
                .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                .map_err(|e| err(e.into()))?;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc) {
                    let entry = sources.entry(key.clone()).or_insert_with(|| {
                        let shown = store
                            .get::<TantivyDocument>(doc)
                            .ok()
                            .and_then(|d| {
                                d.get_first(fields.source)
                                    .and_then(|v| v.as_str())
                                    .map(str::to_string)
                            })
                            .unwrap_or_else(|| key.clone());
                        (shown, FxHashSet::default())
                    });
                    entry.1.insert(keys.first(doc).unwrap_or(0));
                }
                doc = postings.advance();
            }
        }
    }
    let mut sources: Vec<SourceCount> = sources
        .into_values()
        .filter(|(_, set)| !set.is_empty())
        .map(|(source, set)| SourceCount {
            source,
            articles: set.len() as u64,
        })
        .collect();
    sources.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.source.cmp(&b.source))
    });

    let payload = index
        .tantivy()
        .load_metas()
        .ok()
        .and_then(|m| m.payload)
        .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
    Ok(Stats {
        index: path.display().to_string(),
        articles,
        passages: searcher.num_docs(),
        size_bytes: folder_size(path),
        segments: searcher.segment_readers().len(),
        analyzer: payload.as_ref().map_or_else(
            || super::current_analyzer_label(index.kind()),
            super::Payload::label,
        ),
        written_by: payload.map_or_else(|| env!("CARGO_PKG_VERSION").to_string(), |p| p.lupe),
        first_date: (first <= last).then(|| day(first)),
        last_date: (first <= last).then(|| day(last)),
        undated_articles: (all.len() - dated.len()) as u64,
        sources,
    })
}
