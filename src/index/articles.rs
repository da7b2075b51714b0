//! Whole articles read back from the index: for `show`, `stats`, `delete`,
//! `rebuild` and `export`.
//!
//! Every passage stores its article's fields, so the index is a complete
//! copy of what was ingested: an article is its passages' texts joined by
//! blank lines, which splits into the same passages again. Reading goes by
//! field *names*, so an index written by an older lupe (other schema or
//! analyzer) can still be read for a rebuild.

use std::collections::BTreeSet;
use std::path::Path;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Schema, Value};
use tantivy::{DocSet, Searcher, TantivyDocument, Term};

use super::index_error;
use crate::error::{Error, Result};

/// An article as stored in the index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredArticle {
    /// The article's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its date as given (ISO 8601).
    pub date: Option<String>,
    /// Its source.
    pub source: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its body: the passages joined by blank lines.
    pub body: String,
    /// Its passages, in order.
    pub passages: Vec<String>,
    /// How many passages the article had when it was written (a smaller
    /// `passages.len()` means a damaged index).
    pub expected_passages: u32,
}

/// Field handles found by name in any lupe index.
#[derive(Debug, Clone, Copy)]
pub struct ArticleFields {
    pub(super) article_id: Field,
    passage: Field,
    passages: Option<Field>,
    title: Field,
    text: Field,
    date: Option<Field>,
    source: Option<Field>,
    url: Option<Field>,
}

impl ArticleFields {
    /// Looks the fields up; fails when `schema` is not a lupe schema.
    pub fn from_schema(schema: &Schema, path: &Path) -> Result<ArticleFields> {
        let required = |name: &str| {
            schema.get_field(name).map_err(|_| Error::NotLupeIndex {
                path: path.to_path_buf(),
                reason: format!("it has no {name:?} field"),
            })
        };
        let optional = |name: &str| schema.get_field(name).ok();
        Ok(ArticleFields {
            article_id: required("article_id")?,
            passage: required("passage")?,
            passages: optional("passages"),
            title: required("title")?,
            text: required("text")?,
            date: optional("date"),
            source: optional("source"),
            url: optional("url"),
        })
    }
}

/// Reads articles out of one snapshot of an index.
pub struct ArticleReader<'a> {
    searcher: &'a Searcher,
    fields: ArticleFields,
    path: &'a Path,
}

impl<'a> ArticleReader<'a> {
    /// A reader over `searcher` (an index at `path`, for messages).
    pub fn new(searcher: &'a Searcher, path: &'a Path) -> Result<ArticleReader<'a>> {
        let fields = ArticleFields::from_schema(&searcher.schema().clone(), path)?;
        Ok(ArticleReader {
            searcher,
            fields,
            path,
        })
    }

    /// Every article id with at least one live passage, sorted.
    pub fn ids(&self) -> Result<Vec<String>> {
        let mut ids = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.article_id)
                .map_err(index_error(self.path))?;
            let mut terms = inverted.terms().stream().map_err(index_error(self.path))?;
            while terms.advance() {
                let info = terms.value();
                let mut postings = inverted
                    .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                    .map_err(index_error(self.path))?;
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    if !segment.is_deleted(doc) {
                        if let Ok(id) = std::str::from_utf8(terms.key()) {
                            ids.insert(id.to_string());
                        }
                        break;
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(ids.into_iter().collect())
    }

    /// The article with `id`, if the index holds it.
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        let term = Term::from_field_text(self.fields.article_id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let addresses = self
            .searcher
            .search(&query, &DocSetCollector)
            .map_err(index_error(self.path))?;
        if addresses.is_empty() {
            return Ok(None);
        }
        let mut passages: Vec<(u64, String)> = Vec::with_capacity(addresses.len());
        let mut first: Option<TantivyDocument> = None;
        for address in addresses {
            let doc: TantivyDocument =
                self.searcher.doc(address).map_err(index_error(self.path))?;
            passages.push(self.fields.passage_of(&doc));
            if first.is_none() {
                first = Some(doc);
            }
        }
        let doc = first.expect("at least one passage");
        Ok(Some(self.fields.assemble(id, passages, &doc)))
    }
}

impl ArticleFields {
    /// A passage document's (ordinal, text).
    pub(super) fn passage_of(&self, doc: &TantivyDocument) -> (u64, String) {
        let ordinal = doc
            .get_first(self.passage)
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        let text = doc
            .get_first(self.text)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        (ordinal, text)
    }

    /// An article from its passages (ordinal, text) and one of its
    /// documents (for the article's own fields).
    pub(super) fn assemble(
        &self,
        id: &str,
        mut passages: Vec<(u64, String)>,
        doc: &TantivyDocument,
    ) -> StoredArticle {
        passages.sort_by_key(|(ordinal, _)| *ordinal);
        let text = |field: Option<Field>| {
            field
                .and_then(|field| doc.get_first(field))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let passages: Vec<String> = passages.into_iter().map(|(_, t)| t).collect();
        StoredArticle {
            id: id.to_string(),
            title: text(Some(self.title)).unwrap_or_default(),
            date: text(self.date),
            source: text(self.source),
            url: text(self.url),
            body: passages.join("\n\n"),
            expected_passages: self
                .passages
                .and_then(|field| doc.get_first(field))
                .and_then(|v| v.as_u64())
                .map_or(passages.len() as u32, |n| n as u32),
            passages,
        }
    }
}
