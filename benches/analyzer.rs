//! Analyzer throughput (tokens/s) on a fixed German news text.
//!
//! `cargo bench --bench analyzer`. The fixture (`fixtures/de_news.txt`,
//! ~20 KB, written for this benchmark) has compounds, hyphen groups, gender
//! forms, umlauts and abbreviations. Each measured iteration analyses the
//! whole text and asserts the token count, so a change in the analysis
//! shows up as a failing benchmark rather than as a silently different
//! workload (update the constants after an intended change).
//!
//! The word cache is per thread, so the plain variants measure a warm
//! cache (the steady state of a long ingest); `index_cold_thread` runs each
//! iteration on a fresh thread, i.e. with an empty cache (and the cost of
//! spawning a thread, a few tens of microseconds).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lupe::analysis::{Analyzer, Kind, Side};

const TEXT: &str = include_str!("fixtures/de_news.txt");

/// Terms the German index-side analyzer makes of `TEXT`.
const INDEX_TOKENS: usize = 2180;
/// Terms the German query-side analyzer makes of `TEXT`.
const QUERY_TOKENS: usize = 2169;
/// Terms the plain (lowercase-only) analyzer makes of `TEXT`.
const PLAIN_TOKENS: usize = 2429;

fn count(analyzer: &mut Analyzer, text: &str) -> usize {
    let mut n = 0;
    analyzer.for_each_token(text, |t| {
        black_box(t.term);
        n += 1;
    });
    n
}

fn analyzer(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyzer");

    group.throughput(Throughput::Elements(INDEX_TOKENS as u64));
    let mut index = Analyzer::index();
    group.bench_function("index", |b| {
        b.iter(|| {
            let n = count(&mut index, black_box(TEXT));
            assert_eq!(n, INDEX_TOKENS);
        })
    });
    group.bench_function("index_cold_thread", |b| {
        b.iter(|| {
            let n = std::thread::scope(|s| {
                s.spawn(|| count(&mut Analyzer::index(), black_box(TEXT)))
                    .join()
                    .expect("analysis thread")
            });
            assert_eq!(n, INDEX_TOKENS);
        })
    });

    group.throughput(Throughput::Elements(QUERY_TOKENS as u64));
    let mut query = Analyzer::query();
    group.bench_function("query", |b| {
        b.iter(|| {
            let n = count(&mut query, black_box(TEXT));
            assert_eq!(n, QUERY_TOKENS);
        })
    });

    group.throughput(Throughput::Elements(PLAIN_TOKENS as u64));
    let mut plain = Analyzer::new(Side::Index, Kind::Plain);
    group.bench_function("index_plain", |b| {
        b.iter(|| {
            let n = count(&mut plain, black_box(TEXT));
            assert_eq!(n, PLAIN_TOKENS);
        })
    });

    group.finish();
}

criterion_group!(benches, analyzer);
criterion_main!(benches);
