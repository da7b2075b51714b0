//! Writing: upsert articles by id, commit with the analyzer record.
//!
//! An article's passages are deleted and added as one unit inside a commit,
//! so a crash leaves the index at its last commit with every article whole.

use rustc_hash::FxHashMap;
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

use super::{LupeIndex, article_key, index_error, passage_id};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::passage::Passage;

/// Indexing memory per writer thread. tantivy flushes a segment when a
/// thread's arena is full; 64 MB gives segments of ~20k passages, few enough
/// merges, and keeps a two-thread ingest well under 250 MB of RSS.
const MEMORY_PER_THREAD: usize = 64 << 20;

/// tantivy's indexer uses at most this many threads usefully.
const MAX_THREADS: usize = 8;

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// The id was new.
    Added,
    /// The id existed with other content; its passages were replaced.
    Updated,
    /// The id existed with the same content; nothing was written.
    Unchanged,
}

/// The index writer. Dropping it without [`Writer::commit`] discards the
/// uncommitted work.
pub struct Writer<'a> {
    index: &'a LupeIndex,
    writer: IndexWriter<TantivyDocument>,
    /// The last commit, for "does this id exist, with which hash?".
    committed: Searcher,
    /// Ids written in this run (since the writer opened), with their hashes.
    written: FxHashMap<String, u64>,
}

impl<'a> Writer<'a> {
    pub(super) fn open(index: &'a LupeIndex, threads: usize) -> Result<Writer<'a>> {
        let threads = threads.clamp(1, MAX_THREADS);
        let writer = index
            .tantivy()
            .writer_with_num_threads(threads, threads * MEMORY_PER_THREAD)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Locked {
                    path: index.path().to_path_buf(),
                },
                other => index_error(index.path())(other),
            })?;
        let committed = index.reader()?.searcher();
        Ok(Writer {
            index,
            writer,
            committed,
            written: FxHashMap::default(),
        })
    }

    /// The content hash stored for `id` in the last commit, if any.
    fn committed_hash(&self, id: &str) -> Result<Option<u64>> {
        let fields = self.index.fields();
        let term = Term::from_field_text(fields.article_id, id);
        for segment in self.committed.segment_readers() {
            let inverted = segment
                .inverted_index(fields.article_id)
                .map_err(index_error(self.index.path()))?;
            let postings = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| index_error(self.index.path())(e.into()))?;
            let Some(mut postings) = postings else {
                continue;
            };
            let hashes = segment
                .fast_fields()
                .u64("hash")
                .map_err(index_error(self.index.path()))?;
            use tantivy::DocSet;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc) {
                    return Ok(hashes.first(doc));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// Has `id` already been written in this run? Then a later record with
    /// the same id replaces it ("last one wins").
    pub fn seen_in_run(&self, id: &str) -> bool {
        self.written.contains_key(id)
    }

    /// Adds or replaces `article` with `passages`.
    pub fn upsert(&mut self, article: &Article, passages: &[Passage]) -> Result<Upsert> {
        let hash = article.content_hash();
        let previous = match self.written.get(&article.id) {
            Some(&h) => Some(h),
            None => self.committed_hash(&article.id)?,
        };
        let outcome = match previous {
            Some(h) if h == hash => return Ok(Upsert::Unchanged),
            Some(_) => Upsert::Updated,
            None => Upsert::Added,
        };
        let fields = self.index.fields();
        if outcome == Upsert::Updated {
            self.writer
                .delete_term(Term::from_field_text(fields.article_id, &article.id));
        }
        let key = article_key(&article.id);
        let published = article
            .date
            .as_ref()
            .map(|d| DateTime::from_timestamp_secs(d.timestamp));
        for passage in passages {
            let mut doc = TantivyDocument::new();
            doc.add_text(fields.article_id, &article.id);
            doc.add_text(fields.passage_id, passage_id(&article.id, passage.ordinal));
            doc.add_u64(fields.passage, u64::from(passage.ordinal));
            doc.add_u64(fields.passages, passages.len() as u64);
            doc.add_u64(fields.article_key, key);
            doc.add_text(fields.title, &article.title);
            doc.add_text(fields.text, &passage.text);
            if let (Some(date), Some(published)) = (&article.date, published) {
                doc.add_text(fields.date, &date.text);
                doc.add_date(fields.published, published);
            }
            if let Some(source) = &article.source {
                doc.add_text(fields.source, source);
            }
            if let Some(url) = &article.url {
                doc.add_text(fields.url, url);
            }
            doc.add_u64(fields.hash, hash);
            self.writer
                .add_document(doc)
                .map_err(index_error(self.index.path()))?;
        }
        self.written.insert(article.id.clone(), hash);
        Ok(outcome)
    }

    /// Makes everything written so far durable and visible, recording the
    /// analyzer in the commit.
    pub fn commit(&mut self) -> Result<()> {
        let payload = self.index.payload();
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(index_error(self.index.path()))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(index_error(self.index.path()))?;
        Ok(())
    }

    /// Commits and waits for background merges, so the process can exit
    /// without abandoning them.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        self.writer
            .wait_merging_threads()
            .map_err(index_error(self.index.path()))
    }

    /// Discards everything since the last commit.
    pub fn rollback(mut self) -> Result<()> {
        self.writer
            .rollback()
            .map_err(index_error(self.index.path()))?;
        Ok(())
    }
}
