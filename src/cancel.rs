//! Cooperative cancellation for long runs (ingest, rebuild): whoever owns
//! the run (the CLI's Ctrl-C handler, a test) sets the token; the run
//! looks at it between articles and rolls back to the last commit.
//!
//! The token also knows whether a commit is being written: a request that
//! comes before the commit's point of no return wins (the commit is
//! abandoned), one that comes later cannot undo it, and [`Cancel::cancel`]
//! says which, so that what the user is told is true.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

const RUNNING: u8 = 0;
const CANCELLED: u8 = 1;
const COMMITTING: u8 = 2;
/// Cancelled while a commit was being written: it is kept, then the run stops.
const COMMITTING_CANCELLED: u8 = 3;
/// The run's last commit is written; nothing is left to cancel.
const DONE: u8 = 4;

/// A shared "please stop" flag. Clones share one flag; the default token
/// is never set by anyone, so the run goes to the end.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicU8>);

/// What a request to stop achieves, by when it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The run stops and rolls back to its last commit.
    RollBack,
    /// A commit is being written and is kept; the run stops after it.
    AfterCommit,
    /// The run's last commit is already written: nothing to undo.
    TooLate,
    /// Stopping had been asked before.
    Again,
}

impl Cancel {
    /// A token nobody has set yet.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the run to stop, and says what that achieves.
    pub fn cancel(&self) -> Stop {
        let mut state = self.0.load(Ordering::SeqCst);
        loop {
            let (next, stop) = match state {
                RUNNING => (CANCELLED, Stop::RollBack),
                COMMITTING => (COMMITTING_CANCELLED, Stop::AfterCommit),
                DONE => (DONE, Stop::TooLate),
                _ => return Stop::Again,
            };
            match self
                .0
                .compare_exchange(state, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return stop,
                Err(now) => state = now,
            }
        }
    }

    /// Has the run been asked to stop (and should roll back now)?
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst) == CANCELLED
    }

    /// A commit reaches its point of no return: `false` when the run was
    /// asked to stop before, so the commit must be abandoned.
    pub(crate) fn begin_commit(&self) -> bool {
        self.0
            .compare_exchange(RUNNING, COMMITTING, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    /// The commit begun by [`Cancel::begin_commit`] is written; `last` when
    /// the run has nothing more to commit.
    pub(crate) fn end_commit(&self, last: bool) {
        let next = |state| match state {
            _ if last => Some(DONE),
            COMMITTING => Some(RUNNING),
            COMMITTING_CANCELLED => Some(CANCELLED),
            _ => None,
        };
        let _ = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_before_the_commit_wins_one_during_it_waits_for_it() {
        let c = Cancel::new();
        assert!(c.begin_commit());
        assert_eq!(c.cancel(), Stop::AfterCommit);
        assert!(!c.is_cancelled(), "the commit goes on");
        c.end_commit(false);
        assert!(c.is_cancelled(), "then the run stops");
        assert!(!c.begin_commit(), "and commits nothing more");
        assert_eq!(c.cancel(), Stop::Again);

        let c = Cancel::new();
        assert_eq!(c.cancel(), Stop::RollBack);
        assert!(!c.begin_commit());

        let c = Cancel::new();
        assert!(c.begin_commit());
        c.end_commit(true);
        assert_eq!(c.cancel(), Stop::TooLate);
        assert!(!c.is_cancelled());
    }
}
