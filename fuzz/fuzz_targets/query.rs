//! Arbitrary UTF-8 as query text: parse it, build it in both modes, and run
//! it as a full search (with highlighting) against a tiny index. Any text is
//! a valid query: neither errors nor panics are allowed.
//!
//! Invariants on every hit: ranks count from 1, highlights are non-empty,
//! sorted, non-overlapping character ranges inside the passage text, and the
//! byte ranges used for terminal output lie on char boundaries.
#![no_main]

mod search_fixture;

use std::panic::{self, AssertUnwindSafe};

use libfuzzer_sys::fuzz_target;
use lupe::search::query::{Builder, Mode};
use lupe::search::{Request, Searcher, TITLE_WEIGHT, syntax};
use search_fixture::fixture;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let fx = fixture();
    let run = panic::catch_unwind(AssertUnwindSafe(|| {
        // The pieces on their own: parse, then build in both modes.
        let parsed = syntax::parse(s);
        for mode in [Mode::All, Mode::Any] {
            let mut builder = Builder::new(fx.index.fields(), fx.index.kind(), TITLE_WEIGHT);
            let _ = builder.build(&parsed.clauses, mode);
        }
        // The whole search, as `lupe query` runs it.
        let searcher = Searcher::new(&fx.index).expect("searcher");
        // The Elasticsearch body of the same query: any text gives one, or
        // says why there is none.
        let es = searcher
            .es_query(&Request::new(s))
            .expect("any text is a valid query");
        assert!(es.body.is_some() != es.nothing.is_some(), "{es:?}");
        searcher.search(&Request::new(s))
    }));
    // Err: a known panic (any other aborted in the hook).
    let Ok(results) = run else {
        return;
    };
    let results = results.expect("any text is a valid query");
    for (i, hit) in results.hits.iter().enumerate() {
        assert_eq!(hit.rank, i + 1);
        let chars = hit.text.chars().count();
        let mut end = 0;
        for &[a, b] in &hit.highlights {
            assert!(
                a < b && b <= chars,
                "highlight [{a}, {b}) outside {chars} chars"
            );
            assert!(
                a >= end,
                "highlights overlap or are unsorted: {:?}",
                hit.highlights
            );
            end = b;
        }
        for r in &hit.text_ranges {
            assert!(r.start < r.end && r.end <= hit.text.len());
            assert!(hit.text.is_char_boundary(r.start) && hit.text.is_char_boundary(r.end));
        }
        for r in &hit.title_ranges {
            assert!(r.start < r.end && r.end <= hit.title.len());
            assert!(hit.title.is_char_boundary(r.start) && hit.title.is_char_boundary(r.end));
        }
    }
});
