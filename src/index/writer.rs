//! Writing: upsert articles by id, commit with the analyzer record.
//!
//! An article's passages are deleted and added as one unit inside a commit,
//! so a crash leaves the index at its last commit with every article whole.

use rustc_hash::FxHashMap;
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

use super::schema::TITLE_POSITION;
use super::{LupeIndex, article_key, index_error, passage_id};
use crate::analysis::tantivy_adapter::{self, Select};
use crate::analysis::{Analyzer, Side};
use crate::article::Article;
use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::passage::Passage;

/// Indexing memory per writer thread. tantivy flushes a segment when a
/// thread's arena is full, and merges eight flushed segments into one, so
/// this decides the final layout: 64 MB leaves ~100 MB of German Wikipedia
/// (180k passages) in two segments of ~90k and a small one, 40 MB in four of
/// ~45k, which made `lupe batch` 12 % and one-shot queries ~20 % slower
/// (CPU, paired runs, same binary). The peak RSS on 1 GB stays at ~250 MB
/// with [`MAX_DOCS_BEFORE_MERGE`], one merge thread and the allocator
/// settings of `lupe ingest` (`bench/ingest_memory.sh`).
const MEMORY_PER_THREAD: usize = 64 << 20;

/// Segments with more passages than this are not merged again. tantivy's
/// default (10 million) let a 1 GB ingest merge segments of a million
/// passages and more, whose mapped files and merge buffers made most of the
/// peak RSS (726 MB). Merging up to eight flushed segments still keeps their
/// number bounded (segments of ~90k passages).
const MAX_DOCS_BEFORE_MERGE: usize = 30_000;

/// Merges run on one thread: tantivy's default of four ran merges side by
/// side on a two-core machine, each with its buffers (1 GB ingest: 255 ->
/// 250 MB peak RSS, 225 -> 194 s CPU).
const MERGE_THREADS: usize = 1;

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

/// The result of one upsert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// What the article's id now amounts to, compared with the index as it
    /// was when the writer opened.
    pub now: Upsert,
    /// When the id already occurred in this run: what it amounted to before
    /// this record replaced it (so counts stay per article, not per record).
    pub replaced: Option<Upsert>,
    /// Whether this record's passages were written.
    pub written: bool,
    /// Passages that this run had written for the id and that this
    /// record's passages replaced (so a run's passage count is what it
    /// stored, not what it wrote and then replaced).
    pub superseded: u64,
}

/// An id met in this run.
struct Seen {
    /// Its content hash in the index when the writer opened.
    committed: Option<u64>,
    /// The hash of its latest record in this run.
    current: u64,
    /// Whether this run has written (or deleted) its passages.
    written: bool,
    /// Passages this run wrote for it (0 when it wrote none).
    passages: u32,
}

impl Seen {
    fn outcome(&self) -> Upsert {
        match self.committed {
            None => Upsert::Added,
            Some(h) if h == self.current => Upsert::Unchanged,
            Some(_) => Upsert::Updated,
        }
    }
}

/// The index writer. Dropping it without [`Writer::commit`] discards the
/// uncommitted work.
pub struct Writer<'a> {
    index: &'a LupeIndex,
    writer: IndexWriter<TantivyDocument>,
    /// The last commit, for "does this id exist, with which hash?".
    committed: Searcher,
    /// Ids met in this run (since the writer opened).
    /// Keyed by a 128-bit hash of the id, not the id: about 50 bytes per
    /// distinct id instead of 150 and more (a run of 2 million articles
    /// held a gigabyte of ids). Two ids of one run sharing a hash is a
    /// 1-in-10^29 chance.
    seen: FxHashMap<u128, Seen>,
    /// The writer lock, when the index did not hold it already.
    _lock: Option<super::WriteLock>,
    /// Analyses each article's title once for all its passages.
    title_analyzer: Analyzer,
}

impl<'a> Writer<'a> {
    pub(super) fn open(index: &'a LupeIndex, threads: usize) -> Result<Writer<'a>> {
        let threads = threads.clamp(1, MAX_THREADS);
        let lock = if index.is_locked() {
            None
        } else {
            Some(super::WriteLock::acquire(index.path())?)
        };
        let writer = index
            .tantivy()
            .writer_with_options(
                tantivy::indexer::IndexWriterOptions::builder()
                    .num_worker_threads(threads)
                    .memory_budget_per_thread(MEMORY_PER_THREAD)
                    .num_merge_threads(MERGE_THREADS)
                    .build(),
            )
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::IoError(e),
                    _,
                ) => Error::Io {
                    action: "cannot write to the index at",
                    path: index.path().to_path_buf(),
                    source: std::io::Error::new(e.kind(), e.to_string()),
                },
                tantivy::TantivyError::LockFailure(..) => Error::Locked {
                    path: index.path().to_path_buf(),
                },
                other => index_error(index.path())(other),
            })?;
        let mut policy = tantivy::indexer::LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
        writer.set_merge_policy(Box::new(policy));
        let committed = index.reader()?.searcher();
        Ok(Writer {
            index,
            writer,
            committed,
            seen: FxHashMap::default(),
            _lock: lock,
            title_analyzer: Analyzer::new(Side::Index, index.kind()),
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
                .map_err(index_error(self.index.path()))?;
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

    /// Adds or replaces `article` with `passages`. An id met earlier in this
    /// run is replaced again ("last one wins"); the outcome is always
    /// relative to the index as it was when the writer opened, so
    /// re-ingesting the same input counts everything unchanged.
    pub fn upsert(&mut self, article: &Article, passages: &[Passage]) -> Result<Outcome> {
        let hash = article.content_hash();
        let key = xxhash_rust::xxh3::xxh3_128(article.id.as_bytes());
        let (replaced, needs_write) = match self.seen.get(&key) {
            Some(seen) => {
                let before = seen.outcome();
                // Write when the content differs from what the index will
                // hold: this run's last version, or the committed one.
                let holds = if seen.written {
                    Some(seen.current)
                } else {
                    seen.committed
                };
                (Some(before), holds != Some(hash))
            }
            None => {
                let committed = self.committed_hash(&article.id)?;
                self.seen.insert(
                    key,
                    Seen {
                        committed,
                        current: hash,
                        written: false,
                        passages: 0,
                    },
                );
                (None, committed != Some(hash))
            }
        };
        if needs_write {
            // An id neither committed nor written in this run has no
            // passages to delete: no delete operation to queue till the
            // commit (they add up on a large first ingest).
            let seen = &self.seen[&key];
            let replace = seen.committed.is_some() || seen.written;
            self.write(article, hash, passages, replace)?;
        }
        let seen = self.seen.get_mut(&key).expect("inserted above");
        seen.current = hash;
        seen.written |= needs_write;
        let mut superseded = 0;
        if needs_write {
            superseded = u64::from(seen.passages);
            seen.passages = u32::try_from(passages.len()).unwrap_or(u32::MAX);
        }
        Ok(Outcome {
            now: seen.outcome(),
            replaced,
            written: needs_write,
            superseded,
        })
    }

    /// Adds `article` without looking for an older version (for a rebuild
    /// after [`Writer::clear`]).
    pub fn add(&mut self, article: &Article, passages: &[Passage]) -> Result<()> {
        // After `clear`, nothing is there to replace.
        self.write(article, article.content_hash(), passages, false)
    }

    /// Deletes every passage of the articles `ids` (visible after commit).
    pub fn delete_articles(&mut self, ids: &[String]) {
        let field = self.index.fields().article_id;
        for id in ids {
            self.writer.delete_term(Term::from_field_text(field, id));
        }
    }

    /// Deletes everything (visible after commit; until then, and if the
    /// commit never happens, readers see the old index).
    pub fn clear(&mut self) -> Result<()> {
        self.writer
            .delete_all_documents()
            .map_err(index_error(self.index.path()))?;
        Ok(())
    }

    /// Deletes the article's passages (committed or added in this run) when
    /// `replace`, and adds the new ones.
    fn write(
        &mut self,
        article: &Article,
        hash: u64,
        passages: &[Passage],
        replace: bool,
    ) -> Result<()> {
        let fields = self.index.fields();
        if replace {
            self.writer
                .delete_term(Term::from_field_text(fields.article_id, &article.id));
        }
        let key = article_key(&article.id);
        let published = article
            .date
            .as_ref()
            .map(|d| DateTime::from_timestamp_secs(d.timestamp));
        // The title is indexed with every passage, in the passage's own
        // fields: a word in the title and in the passage then saturates as
        // one BM25 score (as in BM25F) instead of adding a whole title score
        // on top. Its positions start at TITLE_POSITION, so `text:` can
        // still tell the passage's words from the title's.
        let [title_words, title_parts] = tantivy_adapter::pre_tokenized(
            &mut self.title_analyzer,
            &article.title,
            [Select::Words, Select::Parts],
            TITLE_POSITION as usize,
        );
        for passage in passages {
            let mut doc = TantivyDocument::new();
            doc.add_text(fields.article_id, &article.id);
            doc.add_text(fields.passage_id, passage_id(&article.id, passage.ordinal));
            doc.add_u64(fields.passage, u64::from(passage.ordinal));
            doc.add_u64(fields.passages, passages.len() as u64);
            doc.add_u64(fields.article_key, key);
            doc.add_text(fields.title, &article.title);
            doc.add_text(fields.text, &passage.text);
            doc.add_text(fields.parts, &passage.text);
            doc.add_pre_tokenized_text(fields.text, title_words.clone());
            doc.add_pre_tokenized_text(fields.parts, title_parts.clone());
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
        Ok(())
    }

    /// Makes everything written so far durable and visible, recording the
    /// analyzer in the commit.
    pub fn commit(&mut self) -> Result<()> {
        self.commit_unless(&Cancel::default(), false).map(|_| ())
    }

    /// Commits unless `cancel` is set by the time the commit's data is
    /// written (the long part): then the commit is abandoned and `false`
    /// returned, and the caller rolls back. A request during the short rest
    /// of the commit cannot stop it; `cancel` says so to whoever asks.
    /// `last`: no commit follows in this run.
    pub fn commit_unless(&mut self, cancel: &Cancel, last: bool) -> Result<bool> {
        let payload = self.index.payload();
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(index_error(self.index.path()))?;
        prepared.set_payload(&payload);
        crate::fault::point("commit:prepared");
        if !cancel.begin_commit() {
            prepared.abort().map_err(index_error(self.index.path()))?;
            return Ok(false);
        }
        let committed = prepared.commit();
        cancel.end_commit(last && committed.is_ok());
        committed.map_err(index_error(self.index.path()))?;
        crate::fault::point("commit:done");
        Ok(true)
    }

    /// Commits and waits for background merges, so the process can exit
    /// without abandoning them.
    pub fn finish(self) -> Result<()> {
        self.finish_unless(&Cancel::default()).map(|_| ())
    }

    /// [`Writer::finish`], unless `cancel` is set before the commit's point
    /// of no return: then everything since the last commit is rolled back
    /// and `false` returned.
    pub fn finish_unless(mut self, cancel: &Cancel) -> Result<bool> {
        match self.commit_unless(cancel, true) {
            Ok(true) => {}
            Ok(false) => {
                self.rollback()?;
                return Ok(false);
            }
            Err(e) => {
                // Leave the index at its last commit without the debris of
                // this one (a full disk stays full otherwise).
                let _ = self.rollback();
                return Err(e);
            }
        }
        self.writer
            .wait_merging_threads()
            .map_err(index_error(self.index.path()))?;
        Ok(true)
    }

    /// Discards everything since the last commit, and deletes the files the
    /// discarded work had written (after a full disk, they fill it).
    pub fn rollback(mut self) -> Result<()> {
        self.writer
            .rollback()
            .map_err(index_error(self.index.path()))?;
        self.writer
            .garbage_collect_files()
            .wait()
            .map_err(index_error(self.index.path()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, date};
    use crate::index::Selection;
    use crate::index::articles::ArticleReader;
    use crate::passage;
    use crate::testing::{empty_index, paragraph};

    fn article(id: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            title: format!("Titel {id}"),
            body: body.into(),
            date: date::parse("2025-03-01"),
            source: Some("KI-Kurier".into()),
            url: None,
        }
    }

    fn upsert(writer: &mut Writer<'_>, article: &Article) -> Outcome {
        writer
            .upsert(article, &passage::split(&article.body))
            .unwrap()
    }

    #[test]
    fn upsert_tells_added_unchanged_and_updated_across_commits() {
        let (_dir, index) = empty_index();
        let two = format!("{}\n\n{}", paragraph("Chips"), paragraph("Halbleiter"));
        let mut writer = index.writer(1).unwrap();
        assert_eq!(upsert(&mut writer, &article("a", &two)).now, Upsert::Added);
        writer.finish().unwrap();

        let mut writer = index.writer(1).unwrap();
        let same = upsert(&mut writer, &article("a", &two));
        assert_eq!((same.now, same.written), (Upsert::Unchanged, false));
        let changed = upsert(&mut writer, &article("a", &paragraph("Rechenzentren")));
        assert_eq!(changed.now, Upsert::Updated);
        assert_eq!(changed.replaced, Some(Upsert::Unchanged));
        writer.finish().unwrap();

        let searcher = index.reader().unwrap().searcher();
        let stored = ArticleReader::new(&searcher, index.path())
            .unwrap()
            .article("a")
            .unwrap()
            .expect("stored");
        assert_eq!(stored.passages, [paragraph("Rechenzentren")]);
        assert_eq!(stored.expected_passages, 1);
        assert_eq!(stored.source.as_deref(), Some("KI-Kurier"));
    }

    #[test]
    fn rollback_keeps_the_last_commit_and_delete_removes_every_passage() {
        let (_dir, index) = empty_index();
        let two = format!("{}\n\n{}", paragraph("Chips"), paragraph("Halbleiter"));
        let mut writer = index.writer(1).unwrap();
        upsert(&mut writer, &article("a", &two));
        upsert(&mut writer, &article("b", &paragraph("Pflege")));
        writer.finish().unwrap();

        let mut writer = index.writer(1).unwrap();
        upsert(&mut writer, &article("c", &paragraph("Verordnung")));
        writer.rollback().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let reader = ArticleReader::new(&searcher, index.path()).unwrap();
        assert_eq!(reader.ids().unwrap(), ["a", "b"]);

        let chosen = index
            .select(&searcher, &Selection::Source("ki-kurier".into()))
            .unwrap();
        assert_eq!(chosen, ["a", "b"]);
        let mut writer = index.writer(1).unwrap();
        writer.delete_articles(&["a".to_string()]);
        writer.finish().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs(), 1);
        let reader = ArticleReader::new(&searcher, index.path()).unwrap();
        assert_eq!(reader.ids().unwrap(), ["b"]);
    }
}
