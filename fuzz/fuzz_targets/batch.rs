//! Arbitrary bytes as `lupe batch` input (query lines and JSON lines, bad
//! UTF-8 and long lines included), answered by `lupe::batch::run` against a
//! tiny index in every output format. No panics; the batch never stops on
//! a bad line.
//!
//! Invariants: jsonl has one answer line per query, each a JSON object with
//! an "id" and either "hits" or "error"; tsv and trec lines have their
//! fixed number of fields and carry no control characters (ids are escaped).
#![no_main]

mod search_fixture;

use std::panic::{self, AssertUnwindSafe};

use libfuzzer_sys::fuzz_target;
use lupe::batch::{self, Options};
use lupe::printer::BatchFormat;
use lupe::search::Searcher;
use search_fixture::fixture;

fn hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c)
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, input)) = data.split_first() else {
        return;
    };
    let format = match choice % 4 {
        0 => BatchFormat::Jsonl { fields: Vec::new() },
        1 => BatchFormat::Tsv,
        2 => BatchFormat::Trec,
        _ => BatchFormat::EsQuery,
    };
    let options = Options {
        limit: 1 + usize::from(choice / 3 % 5),
        per_article: 2,
        format: format.clone(),
        literal: choice >= 128,
    };
    let fx = fixture();
    let mut out = Vec::new();
    let run = panic::catch_unwind(AssertUnwindSafe(|| {
        let searcher = Searcher::new(&fx.index).expect("searcher");
        batch::run(
            &searcher,
            &mut &input[..],
            &mut out,
            &options,
            &mut |_, _| {},
        )
    }));
    // Err: the known panic (any other aborted in the hook).
    let Ok(summary) = run else {
        return;
    };
    let summary = summary.expect("reading from memory and writing to a Vec cannot fail");
    let text = String::from_utf8(out).expect("answers are UTF-8");
    match format {
        BatchFormat::Jsonl { .. } | BatchFormat::EsQuery => {
            // An answer has hits (jsonl) or a body (es-query), or an error.
            let answer_key = if matches!(format, BatchFormat::EsQuery) {
                "body"
            } else {
                "hits"
            };
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), summary.queries, "one answer per query");
            for line in lines {
                let answer: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                assert!(answer.get("id").is_some(), "{line}");
                assert!(
                    answer.get(answer_key).is_some() != answer.get("error").is_some(),
                    "{line}"
                );
            }
        }
        BatchFormat::Tsv | BatchFormat::Trec => {
            let fields = if matches!(format, BatchFormat::Tsv) {
                5
            } else {
                6
            };
            for line in text.lines() {
                assert!(!line.chars().any(hostile), "control character in {line:?}");
                let n = if fields == 5 {
                    line.split('\t').count()
                } else {
                    line.split(' ').count()
                };
                assert_eq!(n, fields, "{line:?}");
            }
        }
    }
});
