//! Typed access for the search layer: the filter queries (one definition
//! for `--source`/`--since`/`--until`, `source:`/`date:` and `lupe delete`),
//! the per-segment fast columns a ranking needs, and the list of sources.
//! Field names stay inside `index/`.

use std::ops::Bound;

use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, Searcher, Term};

use super::{Fields, index_error};
use crate::analysis;
use crate::error::{Error, Result};

/// Passages of articles from the source `keyword` (already in
/// [`analysis::keyword`] form).
pub fn source_query(fields: &Fields, keyword: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(fields.source, keyword),
        IndexRecordOption::Basic,
    ))
}

/// Passages of articles published within the bounds (Unix seconds).
pub fn date_query(fields: &Fields, lower: Bound<i64>, upper: Bound<i64>) -> Box<dyn Query> {
    let term = |secs: i64| {
        Term::from_field_date_for_search(fields.published, DateTime::from_timestamp_secs(secs))
    };
    Box::new(RangeQuery::new(lower.map(term), upper.map(term)))
}

/// The source keywords (lowercased, as indexed) of every article, sorted.
pub fn source_keywords(
    searcher: &Searcher,
    fields: &Fields,
    path: &std::path::Path,
) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(fields.source)
            .map_err(index_error(path))?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|e| index_error(path)(tantivy::TantivyError::from(e)))?;
        while terms.advance() {
            let info = terms.value();
            if info.doc_freq == 0 {
                continue;
            }
            out.push(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The fast columns of one snapshot: which article a passage belongs to
/// and where it stands in it, without reading stored documents.
pub struct Columns {
    article_keys: Vec<Column<u64>>,
    article_ids: Vec<StrColumn>,
    ordinals: Vec<Column<u64>>,
}

impl Columns {
    /// Opens the columns of every segment of `searcher`.
    pub fn open(searcher: &Searcher, path: &std::path::Path) -> Result<Columns> {
        let u64s = |name: &str| {
            searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().u64(name))
                .collect::<tantivy::Result<Vec<_>>>()
                .map_err(index_error(path))
        };
        let article_keys = u64s("article_key")?;
        let ordinals = u64s("passage")?;
        let article_ids = searcher
            .segment_readers()
            .iter()
            .map(|s| {
                s.fast_fields().str("article_id")?.ok_or_else(|| {
                    tantivy::TantivyError::SchemaError("article_id is not a fast field".into())
                })
            })
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(index_error(path))?;
        Ok(Columns {
            article_keys,
            article_ids,
            ordinals,
        })
    }

    /// The article key ([`super::article_key`]) of a passage.
    pub fn article_key(&self, address: DocAddress) -> u64 {
        self.article_keys[address.segment_ord as usize]
            .first(address.doc_id)
            .unwrap_or(u64::MAX)
    }

    /// The ordinal of a passage in its article.
    pub fn ordinal(&self, address: DocAddress) -> u32 {
        self.ordinals[address.segment_ord as usize]
            .first(address.doc_id)
            .unwrap_or(0) as u32
    }

    /// The article id of a passage.
    pub fn article_id(&self, address: DocAddress, path: &std::path::Path) -> Result<String> {
        let ids = &self.article_ids[address.segment_ord as usize];
        let mut id = String::new();
        if let Some(ord) = ids.ords().first(address.doc_id) {
            ids.ord_to_str(ord, &mut id).map_err(|e| Error::Index {
                path: path.to_path_buf(),
                source: e.into(),
            })?;
        }
        Ok(id)
    }
}

/// The normalised form of a source name, as [`source_query`] wants it.
pub fn source_keyword(name: &str) -> String {
    analysis::keyword(name)
}
