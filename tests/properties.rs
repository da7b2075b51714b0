//! Property tests through the binary: random German articles, ingested and
//! queried. Few cases each (every case starts lupe several times), but every
//! case checks invariants that must hold for any input.

mod util;

use proptest::prelude::*;
use proptest::sample::Index;
use util::{TestEnv, article};

/// `PROPTEST_CASES` when set (for a longer hunt), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Words with the spellings German news uses; the content words are queried.
const CONTENT: &[&str] = &[
    "Sicherheitslücken",
    "Straße",
    "Müller",
    "Mueller",
    "größer",
    "Open-Source-Software",
    "KI-Modelle",
    "KIs",
    "Entwickler:innen",
    "EntwicklerInnen",
    "Forscher*innen",
    "OpenAI's",
    "GPT-4o",
    "Café",
    "Rechenzentren",
    "Rechenzentrum",
    "Datenschutzgrundverordnung",
    "Lu\u{0308}cke",
    "Quantencomputer",
    "Grafikprozessoren",
    "Start-ups",
    "Sprachmodell",
    "Halbleiter",
    "Zoë",
    "Übernahme",
    "Ärztinnen",
    "2025",
];

/// Words and marks that are not queried: stop words, punctuation, symbols.
const FILLER: &[&str] = &[
    "der",
    "die",
    "und",
    "dass",
    "für",
    "über",
    "–",
    "„Zitat“",
    ",",
    ";",
    "🚀",
    "z. B.",
    "3.",
    "(",
    ")",
    "…",
];

fn word() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => prop::sample::select(CONTENT),
        1 => prop::sample::select(FILLER),
    ]
}

/// A body of 1–3 paragraphs of random words.
fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(word(), 5..40), 1..4).prop_map(|paras| {
        paras
            .iter()
            .map(|p| format!("{}.", p.join(" ")))
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(12),
        max_shrink_iters: 50,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any content word of an article, typed as it appears there, finds the
    /// article, and every highlight is a valid character range.
    #[test]
    fn every_word_finds_its_article(body in body(), pick in any::<Index>()) {
        let words: Vec<&str> = body
            .split_whitespace()
            .map(|w| w.trim_end_matches('.'))
            .filter(|w| CONTENT.contains(w))
            .collect();
        prop_assume!(!words.is_empty());
        let query = words[pick.index(words.len())];
        let env = TestEnv::new();
        env.ingest_records(
            "zufall.jsonl",
            &[
                article("zufall", "Zufall", &body),
                article("anderes", "Anderes", "Das Wetter bleibt am Wochenende trocken und mild."),
            ],
        );
        let hits = env.hits(&["--per-article", "0", query]);
        prop_assert!(
            hits.iter().any(|h| h.article_id == "zufall"),
            "query {:?} did not find the article with body {:?}: {:#?}", query, body, hits
        );
        prop_assert!(hits.iter().all(|h| h.article_id != "anderes"));
        for h in &hits {
            let words = h.highlighted();
            prop_assert!(!words.is_empty(), "no highlight for {:?} in {:?}", query, h.text);
            for pair in h.highlights.windows(2) {
                prop_assert!(pair[0][1] <= pair[1][0], "overlapping highlights {:?}", h.highlights);
            }
        }
    }
}

/// Sentences with the abbreviations and ordinals that must not end a
/// sentence; each mentions "Rechenzentrum" so one query returns all passages.
const SENTENCES: &[&str] = &[
    "Das gilt z. B. für das Rechenzentrum in Frankfurt.",
    "Laut Dr. Weber wächst das Rechenzentrum weiter.",
    "Betroffen sind u. a. Kunden im Rechenzentrum.",
    "Am 3. März eröffnete das zweite Rechenzentrum.",
    "Warum braucht die Stadt ein neues Rechenzentrum?",
    "Das Rechenzentrum soll 2026 fertig sein!",
    "Der Betreiber, d. h. die Stadtwerke, plant ein Rechenzentrum mit ca. 300 Servern.",
    "Im Rechenzentrum arbeiten Ingenieurinnen und Techniker rund um die Uhr.",
];

fn paragraph_of_sentences() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SENTENCES), 1..60).prop_map(|s| s.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(10),
        max_shrink_iters: 50,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Passages cover the body exactly once, in order, numbered from 0, and
    /// are cut only at sentence ends.
    #[test]
    fn passages_partition_the_body_at_sentence_ends(
        paragraphs in prop::collection::vec(paragraph_of_sentences(), 1..5)
    ) {
        let body = paragraphs.join("\n\n");
        let env = TestEnv::new();
        env.ingest_records("saetze.jsonl", &[article("saetze", "Sätze", &body)]);
        let mut hits = env.hits(&["--per-article", "0", "-n", "1000", "Rechenzentrum"]);
        hits.sort_by_key(|h| h.passage);
        for (i, h) in hits.iter().enumerate() {
            prop_assert_eq!(h.passage as usize, i);
            prop_assert_eq!(&h.passage_id, &format!("saetze#{i}"));
            prop_assert!(
                SENTENCES.iter().any(|s| h.text.starts_with(s)),
                "passage {} starts inside a sentence: {:?}", h.passage_id, h.text
            );
            prop_assert!(
                SENTENCES.iter().any(|s| h.text.ends_with(s)),
                "passage {} ends inside a sentence: {:?}", h.passage_id, h.text
            );
        }
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let joined: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
        prop_assert_eq!(squash(&joined.join(" ")), squash(&body));
    }
}
