//! Passage splitting throughput (bytes/s) on a fixed German news text.
//!
//! `cargo bench --bench passage`. The fixture is the one of the analyzer
//! benchmark, read as one article body: blank-line paragraphs, short
//! headlines that merge with the next paragraph, abbreviations ("z. B.",
//! "Dr.", "Art. 15") that must not end a sentence. The passage count is
//! asserted in every iteration.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const TEXT: &str = include_str!("fixtures/de_news.txt");

/// Passages `lupe::passage::split` makes of `TEXT`.
const PASSAGES: usize = 44;
/// Passages it makes of `TEXT` joined into one paragraph.
const SENTENCE_PASSAGES: usize = 21;

fn passage(c: &mut Criterion) {
    let mut group = c.benchmark_group("passage");
    group.throughput(Throughput::Bytes(TEXT.len() as u64));
    group.bench_function("split", |b| {
        b.iter(|| {
            let passages = lupe::passage::split(black_box(TEXT));
            assert_eq!(passages.len(), PASSAGES);
            passages
        })
    });
    // The same text as one paragraph: every passage is cut at sentence ends.
    let one_paragraph = TEXT.split_whitespace().collect::<Vec<_>>().join(" ");
    group.throughput(Throughput::Bytes(one_paragraph.len() as u64));
    group.bench_function("split_sentences", |b| {
        b.iter(|| {
            let passages = lupe::passage::split(black_box(&one_paragraph));
            assert_eq!(passages.len(), SENTENCE_PASSAGES);
            passages
        })
    });
    group.finish();
}

criterion_group!(benches, passage);
criterion_main!(benches);
