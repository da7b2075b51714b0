//! lupe: search German news about the AI industry, passage by passage.
//!
//! The crate is layered; data flows one way, down the floors:
//!
//! 1. [`cli`]: argument parsing and the terminal (the only module that
//!    decides what goes to stdout and stderr);
//! 2. [`ingest`], [`batch`] and [`export`]: the jobs;
//! 3. [`printer`]: how hits look, for scripts and for people;
//! 4. [`search`]: answering one query;
//! 5. [`index`], [`article`] and [`fetch`]: the tantivy index (with its
//!    maintenance: check, rebuild, repair), reading article files, web
//!    pages and feeds, and fetching them by URL;
//! 6. [`analysis`] and [`passage`]: German text analysis, passage splitting;
//!    [`lines`]: reading lines of bounded length;
//!    [`cancel`] and [`error`]: what every floor shares.
//!
//! No module imports one from a floor above it.
#![warn(missing_docs)]

pub mod analysis;
pub mod article;
pub mod batch;
pub mod cancel;
pub mod cli;
pub mod error;
pub mod export;
mod fault;
pub mod fetch;
pub mod index;
pub mod ingest;
pub mod lines;
pub mod passage;
pub mod printer;
pub mod search;
#[cfg(test)]
mod testing;

pub use error::{Error, Result};
