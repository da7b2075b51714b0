//! Arbitrary UTF-8 as query text: parse it, build it in both modes, and run
//! it as a full search (with highlighting) against a tiny index. Any text is
//! a valid query: neither errors nor panics are allowed.
//!
//! Invariants on every hit: ranks count from 1, highlights are non-empty,
//! sorted, non-overlapping character ranges inside the passage text, and the
//! byte ranges used for terminal output lie on char boundaries.
#![no_main]

mod known_panics;

use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use known_panics::is_known;
use lupe::analysis::Kind;
use lupe::article::Input;
use lupe::index::LupeIndex;
use lupe::ingest::{self, Options, Silent};
use lupe::search::query::{Builder, Mode};
use lupe::search::{Request, Searcher, TITLE_WEIGHT, syntax};

/// Articles that give the queries something to match, highlight and filter
/// (shared with the regression tests in tests/reliability.rs).
const ARTICLES: &str = include_str!("../fixture.jsonl");


/// libFuzzer's hook aborts on every panic; let the known ones unwind to
/// `catch_unwind` instead.
fn install_hook() {
    let abort = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !is_known(info) {
            abort(info);
        }
    }));
}

struct Fixture {
    _dir: tempfile::TempDir,
    index: LupeIndex,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        install_hook();
        let dir = tempfile::tempdir().expect("temp dir");
        let index =
            LupeIndex::open_or_create(&dir.path().join("index"), Kind::German).expect("index");
        let input = Input::Memory {
            name: "seed.jsonl".into(),
            bytes: ARTICLES.as_bytes().to_vec(),
        };
        let options = Options {
            threads: 1,
            ..Options::default()
        };
        let summary = ingest::run(&index, &[input], &options, &mut Silent).expect("ingest");
        assert_eq!(summary.added, 2, "fixture articles must be valid");
        Fixture { _dir: dir, index }
    })
}

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
