//! Arbitrary UTF-8 through the index-side and query-side German analyzers.
//!
//! Invariants, for every token:
//! - `from <= to <= s.len()`, both on char boundaries, and the span is not empty;
//! - the term is not empty;
//! - words (rules `stem`, `protected`, `verbatim`) come in non-decreasing
//!   position order, never behind a join or part emitted before them;
//!   a compound part repeats the position and span of the word emitted just
//!   before it; a hyphen join spans a hyphen group (its position is the
//!   group's first, which may be a stop word that emitted nothing);
//! - the query side emits only the full join of a hyphen group (the index
//!   side also the partial ones); the same text gives the same tokens twice
//!   (the per-thread cache changes nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lupe::analysis::{Analyzer, Rule, Token};

fn check(s: &str, tokens: &[Token], side: &str) {
    // Position of the last word token, and the highest position so far.
    let mut last_word: Option<(u32, usize, usize)> = None;
    let mut highest: Option<u32> = None;
    for t in tokens {
        assert!(
            t.from <= t.to && t.to <= s.len(),
            "{side}: span {}..{} outside 0..{} for {t:?}",
            t.from,
            t.to,
            s.len()
        );
        assert!(
            s.is_char_boundary(t.from) && s.is_char_boundary(t.to),
            "{side}: span {}..{} not on char boundaries for {t:?}",
            t.from,
            t.to
        );
        assert!(t.from < t.to, "{side}: empty span for {t:?}");
        assert!(!t.term.is_empty(), "{side}: empty term for {t:?}");
        match t.rule {
            // A compound part, and the acronym of a word in capitals, belong
            // to the word emitted right before them.
            Rule::CompoundPart | Rule::Acronym => {
                let (pos, from, to) =
                    last_word.unwrap_or_else(|| panic!("{side}: {t:?} before any word"));
                assert_eq!(t.position, pos, "{side}: part at another position: {t:?}");
                assert_eq!((t.from, t.to), (from, to), "{side}: part with another span");
            }
            // A join stands for a hyphen group of two or more parts.
            Rule::HyphenJoin => {
                let span = &s[t.from..t.to];
                assert!(
                    span.contains(['-', '\u{2010}', '\u{2011}']),
                    "{side}: join {t:?} over {span:?}, which has no hyphen"
                );
            }
            Rule::Stem | Rule::Protected | Rule::Verbatim => {
                if let Some(prev) = highest {
                    assert!(
                        t.position >= prev,
                        "{side}: position went back from {prev} to {} at {t:?}",
                        t.position
                    );
                }
                last_word = Some((t.position, t.from, t.to));
            }
        }
        highest = highest.max(Some(t.position));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let mut index = Analyzer::index();
    let tokens = index.tokens(s);
    check(s, &tokens, "index");
    assert_eq!(tokens, index.tokens(s), "index: cached analysis differs");

    let mut query = Analyzer::query();
    let tokens = query.tokens(s);
    check(s, &tokens, "query");
    // The query side joins a hyphen group only as a whole.
    for t in tokens.iter().filter(|t| t.rule == Rule::HyphenJoin) {
        let span = &s[t.from..t.to];
        assert!(
            !tokens
                .iter()
                .any(|o| o.rule == Rule::HyphenJoin && o.position == t.position && o.to != t.to),
            "query side emitted partial joins for {span:?}"
        );
    }
});
