//! The ingest pipeline: read → validate → split into passages → upsert,
//! with progress reported to an [`Observer`] and one commit per run (or per
//! large batch, for huge inputs).

use std::time::Instant;

use crate::article::{Input, Item, Location, Reader, Rejected};
use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::index::{LupeIndex, Upsert};
use crate::passage;

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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            commit_every: COMMIT_EVERY_PASSAGES,
            cancel: Cancel::default(),
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
    /// An id occurred again in this run; this record replaces the earlier one.
    fn duplicate(&mut self, id: &str, location: &Location);
    /// Called after every article with the running totals.
    fn progress(&mut self, articles: u64, bytes: u64);
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
    let mut summary = Summary::default();
    let mut since_commit = 0u64;
    let mut articles = 0u64;
    let mut since_commit_articles = 0u64;
    for item in Reader::new(inputs) {
        if options.cancel.is_cancelled() {
            writer.rollback()?;
            return Err(Error::Interrupted {
                path: index.path().to_path_buf(),
                discarded: since_commit_articles,
            });
        }
        let record = match item {
            Item::Rejected(r) => {
                summary.rejected += 1;
                observer.rejected(&r);
                continue;
            }
            Item::Article(record) => record,
        };
        articles += 1;
        since_commit_articles += 1;
        summary.bytes = record.bytes;
        let passages = passage::split(&record.article.body);
        let outcome = match writer.upsert(&record.article, &passages) {
            Ok(outcome) => outcome,
            Err(e) => return Err(abandon(writer, e)),
        };
        if let Some(before) = outcome.replaced {
            // Counts are per article: the earlier record no longer counts.
            *summary.count(before) -= 1;
            summary.duplicates += 1;
            observer.duplicate(&record.article.id, &record.location);
        }
        *summary.count(outcome.now) += 1;
        if outcome.written {
            summary.passages += passages.len() as u64;
            since_commit += passages.len() as u64;
        }
        if since_commit >= options.commit_every {
            match writer.commit_unless(&options.cancel, false) {
                Ok(true) => {}
                Ok(false) => {
                    writer.rollback()?;
                    return Err(Error::Interrupted {
                        path: index.path().to_path_buf(),
                        discarded: since_commit_articles,
                    });
                }
                Err(e) => return Err(abandon(writer, e)),
            }
            since_commit = 0;
            since_commit_articles = 0;
        }
        observer.progress(articles, record.bytes);
    }
    if options.cancel.is_cancelled() {
        writer.rollback()?;
        return Err(Error::Interrupted {
            path: index.path().to_path_buf(),
            discarded: since_commit_articles,
        });
    }
    if !writer.finish_unless(&options.cancel)? {
        return Err(Error::Interrupted {
            path: index.path().to_path_buf(),
            discarded: since_commit_articles,
        });
    }
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Rolls `writer` back after `error` and returns the error.
fn abandon(writer: crate::index::Writer<'_>, error: Error) -> Error {
    // The error is what the user needs to see; a failing clean-up is
    // secondary (the index stays at its last commit either way).
    let _ = writer.rollback();
    error
}
