//! The ingest pipeline: read → validate → split into passages → upsert,
//! with progress reported to an [`Observer`] and one commit per run (or per
//! large batch, for huge inputs).

use std::time::Instant;

use crate::article::{ArticleError, Input, Item, Location, Reader, Record, Rejected};
use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::index::{LupeIndex, Upsert, Writer};
use crate::{fetch, passage};

/// Commit after this many passages in one run. A commit makes everything
/// before it durable, so a crash in a multi-gigabyte ingest loses at most
/// this much work, while a commit per article would flood the index with
/// tiny segments. 250k passages is about 600 MB of news text.
pub const COMMIT_EVERY_PASSAGES: u64 = 250_000;

/// How an ingest runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Indexing threads.
    pub threads: usize,
    /// Passages between intermediate commits.
    pub commit_every: u64,
    /// Set (e.g. by a Ctrl-C handler) to stop: the run rolls back to the
    /// last commit and returns [`Error::Interrupted`].
    pub cancel: Cancel,
    /// Follow symbolic links that lead out of a folder being read.
    pub follow_links: bool,
    /// Pages and feeds to fetch (before the files are read).
    pub urls: Vec<String>,
    /// How to fetch them.
    pub fetch: fetch::Options,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            commit_every: COMMIT_EVERY_PASSAGES,
            cancel: Cancel::default(),
            follow_links: false,
            urls: Vec::new(),
            fetch: fetch::Options::default(),
        }
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    /// New articles. Counts are per article id: an id that occurs twice in
    /// one run counts once, by its last record.
    pub added: u64,
    /// Articles whose content changed.
    pub updated: u64,
    /// Articles already in the index with the same content.
    pub unchanged: u64,
    /// Records or files that could not be ingested.
    pub rejected: u64,
    /// Files of other types in folders, skipped (a `.csv`, a `.pdf`).
    pub skipped: u64,
    /// Ids that occurred more than once in this run (the last one won).
    pub duplicates: u64,
    /// Passages written.
    pub passages: u64,
    /// Input bytes read.
    pub bytes: u64,
    /// Wall time.
    pub seconds: f64,
}

impl Summary {
    fn count(&mut self, outcome: Upsert) -> &mut u64 {
        match outcome {
            Upsert::Added => &mut self.added,
            Upsert::Updated => &mut self.updated,
            Upsert::Unchanged => &mut self.unchanged,
        }
    }
}

/// Receives progress and problems while an ingest runs.
pub trait Observer {
    /// A record or file was rejected.
    fn rejected(&mut self, rejected: &Rejected);
    /// A file of another type in a folder was skipped (not an error).
    fn skipped(&mut self, _skipped: &Rejected) {}
    /// An id occurred again in this run; this record replaces the earlier one.
    fn duplicate(&mut self, id: &str, location: &Location);
    /// Called after every article with the running totals.
    fn progress(&mut self, articles: u64, bytes: u64);
    /// A URL was fetched (or not modified, or not allowed).
    fn fetched(&mut self, _event: &fetch::Event) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {
    fn rejected(&mut self, _: &Rejected) {}
    fn duplicate(&mut self, _: &str, _: &Location) {}
    fn progress(&mut self, _: u64, _: u64) {}
}

/// Ingests all `inputs` into `index`. On an error (a full disk, say) the
/// index is rolled back to its last commit.
pub fn run(
    index: &LupeIndex,
    inputs: &[Input],
    options: &Options,
    observer: &mut dyn Observer,
) -> Result<Summary> {
    let start = Instant::now();
    let mut writer = index.writer(options.threads)?;
    let (fetcher, fetched) = fetch_urls(index, options, observer);
    let mut pass = Pass::default();
    let reader = Reader::new(inputs).follow_links(options.follow_links);
    for item in fetched.into_iter().chain(reader) {
        if options.cancel.is_cancelled() {
            writer.rollback()?;
            return Err(pass.interrupted(index));
        }
        let Some(record) = pass.take(item, observer) else {
            continue;
        };
        if let Err(e) = pass.upsert(&mut writer, &record, observer) {
            return Err(abandon(writer, e));
        }
        if pass.since_commit >= options.commit_every {
            match writer.commit_unless(&options.cancel, false) {
                Ok(true) => pass.committed(),
                Ok(false) => {
                    writer.rollback()?;
                    return Err(pass.interrupted(index));
                }
                Err(e) => return Err(abandon(writer, e)),
            }
        }
        observer.progress(pass.articles, record.bytes);
    }
    if options.cancel.is_cancelled() {
        writer.rollback()?;
        return Err(pass.interrupted(index));
    }
    if !writer.finish_unless(&options.cancel)? {
        return Err(pass.interrupted(index));
    }
    // Validators are remembered only once what they describe is committed.
    if let Some(fetcher) = &fetcher {
        fetcher.save().map_err(Error::io(
            "saving the fetch state",
            &index.path().join(fetch::STATE_FILE),
        ))?;
    }
    pass.summary.seconds = start.elapsed().as_secs_f64();
    Ok(pass.summary)
}

/// Fetches the run's URLs, one at a time and before any file is read:
/// what they yield is indexed like the files' articles, in the same
/// commit. The fetcher is returned to save its validators after that
/// commit.
fn fetch_urls(
    index: &LupeIndex,
    options: &Options,
    observer: &mut dyn Observer,
) -> (Option<fetch::Fetcher>, Vec<Item>) {
    if options.urls.is_empty() {
        return (None, Vec::new());
    }
    let mut fetcher = fetch::Fetcher::new(options.fetch.clone(), Some(index.path()));
    let mut fetched = Vec::new();
    for url in &options.urls {
        if options.cancel.is_cancelled() {
            break;
        }
        fetched.extend(fetcher.items(url, &mut |e| observer.fetched(e)));
    }
    (Some(fetcher), fetched)
}

/// The counts of one ingest run as it goes.
#[derive(Default)]
struct Pass {
    summary: Summary,
    /// Articles read (including unchanged ones).
    articles: u64,
    /// Passages written since the last commit.
    since_commit: u64,
    /// Articles read since the last commit: what an interruption discards.
    since_commit_articles: u64,
}

impl Pass {
    /// The article of `item`, or `None` after counting and reporting a
    /// skipped file or a rejected record.
    fn take(&mut self, item: Item, observer: &mut dyn Observer) -> Option<Record> {
        match item {
            Item::Rejected(r) if matches!(r.error, ArticleError::OtherType(_)) => {
                self.summary.skipped += 1;
                observer.skipped(&r);
                None
            }
            Item::Rejected(r) => {
                self.summary.rejected += 1;
                observer.rejected(&r);
                None
            }
            Item::Article(record) => Some(record),
        }
    }

    /// Splits and upserts one article and counts what happened to it.
    fn upsert(
        &mut self,
        writer: &mut Writer<'_>,
        record: &Record,
        observer: &mut dyn Observer,
    ) -> Result<()> {
        self.articles += 1;
        self.since_commit_articles += 1;
        self.summary.bytes = record.bytes;
        let passages = passage::split(&record.article.body);
        let outcome = writer.upsert(&record.article, &passages)?;
        let summary = &mut self.summary;
        if let Some(before) = outcome.replaced {
            // Counts are per article: the earlier record no longer counts.
            *summary.count(before) -= 1;
            summary.duplicates += 1;
            observer.duplicate(&record.article.id, &record.location);
        }
        *summary.count(outcome.now) += 1;
        if outcome.written {
            summary.passages = summary.passages + passages.len() as u64 - outcome.superseded;
            self.since_commit += passages.len() as u64;
        }
        Ok(())
    }

    fn committed(&mut self) {
        self.since_commit = 0;
        self.since_commit_articles = 0;
    }

    /// The error of a run stopped by the user, with what it discards.
    fn interrupted(&self, index: &LupeIndex) -> Error {
        Error::Interrupted {
            path: index.path().to_path_buf(),
            discarded: self.since_commit_articles,
        }
    }
}

/// Rolls `writer` back after `error` and returns the error.
fn abandon(writer: Writer<'_>, error: Error) -> Error {
    // The error is what the user needs to see; a failing clean-up is
    // secondary (the index stays at its last commit either way).
    let _ = writer.rollback();
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{empty_index, ingest_lines, paragraph, record};

    #[test]
    fn counts_added_unchanged_updated_and_passages_per_article() {
        let (_dir, index) = empty_index();
        let a = record("a", "Eins", &paragraph("Sprachmodelle"), "2025-01-02", "X");
        let b = record("b", "Zwei", &paragraph("Rechenzentren"), "2025-01-03", "Y");
        let first = ingest_lines(&index, &[a.clone(), b.clone()]);
        assert_eq!((first.added, first.updated, first.unchanged), (2, 0, 0));
        assert_eq!(first.passages, 2);

        let b2 = record(
            "b",
            "Zwei",
            &paragraph("Grafikprozessoren"),
            "2025-01-03",
            "Y",
        );
        let second = ingest_lines(&index, &[a, b2]);
        assert_eq!((second.added, second.updated, second.unchanged), (0, 1, 1));
        assert_eq!(second.passages, 1, "only the changed article is written");
    }

    #[test]
    fn a_repeated_id_counts_once_by_its_last_record() {
        let (_dir, index) = empty_index();
        let one = record("same", "Alt", &paragraph("Chips"), "2025-01-02", "X");
        let two = record("same", "Neu", &paragraph("Halbleiter"), "2025-01-02", "X");
        let summary = ingest_lines(&index, &[one, two]);
        assert_eq!((summary.added, summary.duplicates), (1, 1));
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs(), 1, "the first record's passage is gone");
    }

    /// Records the problems an ingest reports.
    #[derive(Default)]
    struct Collect {
        rejected: Vec<String>,
        progress: Vec<u64>,
    }

    impl Observer for Collect {
        fn rejected(&mut self, rejected: &Rejected) {
            self.rejected
                .push(format!("{}: {}", rejected.location, rejected.error));
        }
        fn duplicate(&mut self, _: &str, _: &Location) {}
        fn progress(&mut self, articles: u64, _: u64) {
            self.progress.push(articles);
        }
    }

    #[test]
    fn a_bad_record_is_reported_with_its_line_and_the_rest_is_ingested() {
        let (_dir, index) = empty_index();
        let good = record("gut", "Gut", &paragraph("Datenschutz"), "2025-01-02", "X");
        let input = Input::Memory {
            name: "mixed.jsonl".into(),
            bytes: format!("{good}\n{{\"id\": \"kaputt\", \"body\": 5}}\n").into_bytes(),
        };
        let options = Options {
            threads: 1,
            ..Options::default()
        };
        let mut observer = Collect::default();
        let summary = run(&index, &[input], &options, &mut observer).unwrap();
        assert_eq!((summary.added, summary.rejected), (1, 1));
        assert_eq!(observer.rejected.len(), 1);
        assert!(
            observer.rejected[0].contains("mixed.jsonl:2"),
            "{:?}",
            observer.rejected
        );
        assert_eq!(observer.progress, [1]);
    }
}
