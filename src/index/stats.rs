//! What an index holds: counts, size, analyzer, dates and sources.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashSet;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocSet, Searcher, TantivyDocument};

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
    let searcher = index.reader()?.searcher();
    let articles = ArticleReader::new(&searcher, path)?.ids()?.len() as u64;
    let dates = article_dates(index, &searcher)?;
    let sources = source_counts(index, &searcher)?;
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
            Payload::label,
        ),
        written_by: payload.map_or_else(|| env!("CARGO_PKG_VERSION").to_string(), |p| p.lupe),
        first_date: dates.range.map(|(first, _)| day(first)),
        last_date: dates.range.map(|(_, last)| day(last)),
        undated_articles: dates.undated,
        sources,
    })
}

/// The date range of the articles and how many have no date.
struct Dates {
    /// Earliest and latest publication instant (Unix seconds), if any.
    range: Option<(i64, i64)>,
    undated: u64,
}

/// Dates per article (by article key), from the fast fields of live passages.
fn article_dates(index: &LupeIndex, searcher: &Searcher) -> Result<Dates> {
    let err = super::index_error(index.path());
    let fields = index.fields();
    let schema = searcher.schema();
    let mut dated: FxHashSet<u64> = FxHashSet::default();
    let mut all: FxHashSet<u64> = FxHashSet::default();
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let keys = fast
            .u64(schema.get_field_name(fields.article_key))
            .map_err(err)?;
        let dates = fast
            .date(schema.get_field_name(fields.published))
            .map_err(err)?;
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
    Ok(Dates {
        range: (first <= last).then_some((first, last)),
        undated: (all.len() - dated.len()) as u64,
    })
}

/// Distinct articles per source term, most articles first; the spelling
/// shown is the one stored in the first passage found.
fn source_counts(index: &LupeIndex, searcher: &Searcher) -> Result<Vec<SourceCount>> {
    let err = super::index_error(index.path());
    let fields = index.fields();
    let key_field = searcher.schema().get_field_name(fields.article_key);
    let mut sources: BTreeMap<String, (String, FxHashSet<u64>)> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.source).map_err(err)?;
        let keys = segment.fast_fields().u64(key_field).map_err(err)?;
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
    Ok(sources)
}
