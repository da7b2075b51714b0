//! Closed-compound splitting (`Sicherheitslücke` → `sicherheit`, `lücke`).
//!
//! The analyzer asks this module for the parts of every normalised word on
//! the index side and indexes them at the word's own position, next to the
//! whole word. Until the dictionary-driven splitter lands, no word is split.

/// The parts of a normalised (lowercase, digraph-normalised) word, in order;
/// empty when the word is not a compound.
pub fn split(_word: &str) -> Vec<&str> {
    Vec::new()
}
