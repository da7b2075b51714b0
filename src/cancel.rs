//! Cooperative cancellation for long runs (ingest, rebuild): whoever owns
//! the run (the CLI's Ctrl-C handler, a test) sets the token; the run
//! looks at it between articles and rolls back to the last commit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared "please stop" flag. Clones share one flag; the default token
/// is never set by anyone, so the run goes to the end.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token nobody has set yet.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the run to stop; returns whether it had been asked before.
    pub fn cancel(&self) -> bool {
        self.0.swap(true, Ordering::SeqCst)
    }

    /// Has the run been asked to stop?
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
