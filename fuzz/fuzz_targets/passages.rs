//! Arbitrary UTF-8 through the passage splitter.
//!
//! Invariants:
//! - ordinals are 0, 1, …, n-1 in order;
//! - no passage is empty or only whitespace;
//! - nothing is lost, added or reordered: the passages concatenated, with
//!   whitespace removed, equal the input with whitespace removed;
//! - no passage is longer than MAX_PASSAGE_CHARS plus two merged short
//!   neighbours (the short-paragraph merge and the short-tail merge).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lupe::passage::{MAX_PASSAGE_CHARS, MIN_PASSAGE_CHARS, split};

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let passages = split(s);
    for (i, p) in passages.iter().enumerate() {
        assert_eq!(p.ordinal as usize, i, "ordinals must count from 0");
        assert!(!p.text.trim().is_empty(), "empty passage {i}: {:?}", p.text);
        let limit = MAX_PASSAGE_CHARS + 2 * (MIN_PASSAGE_CHARS + 2);
        let n = p.text.chars().count();
        assert!(n <= limit, "passage {i} has {n} characters (limit {limit})");
    }
    let joined: String = passages.iter().map(|p| squeeze(&p.text)).collect();
    assert_eq!(joined, squeeze(s), "passages lost, added or reordered text");
    if squeeze(s).is_empty() {
        assert!(passages.is_empty());
    }
});
