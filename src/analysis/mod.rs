//! German text analysis: the one definition of how text becomes index terms.
//!
//! The same [`Analyzer`] runs at ingest (through the tantivy adapter in
//! [`tantivy_adapter`]), at query time and when highlighting, so a word can
//! only match if both sides agree on it. The chain is
//!
//! `tokenizer` (words, hyphen groups, gender suffixes) → [`word`] (acronym `s`,
//! lowercase, umlaut digraphs, feminine forms, stop words, stemming, accent
//! folding) → terms at positions,
//!
//! plus the joined spellings of hyphen compounds (`Open-Source` →
//! `opensource`) and the parts of closed compounds (`Sicherheitslücke` →
//! `sicherheit`, `luck`), both at the word's own position so phrases and
//! positions stay intact. The index stores them as terms; the query side
//! uses them as alternatives to the word itself (see `search::query`), so
//! an exact compound query keeps its precision.
//!
//! Analysing a word is a pure function of its surface form, and German text
//! repeats words heavily, so each analyzer caches per word.

pub mod decompound;
pub mod tantivy_adapter;
pub mod tokenizer;
pub mod word;

use std::cell::RefCell;

pub use word::{Notes, Rule};

/// Recorded in every commit; an index built under another version must be
/// rebuilt, because its terms were made by different rules. Bump it with any
/// change to the tokenizer, the word chain, the stop list or the dictionary,
/// or to the fields the terms go into (v7: every passage's `text` and
/// `parts` also hold its article's title).
pub const ANALYZER_VERSION: u32 = 7;

/// Name of the German analyzer in tantivy's tokenizer manager (every term:
/// for the title).
pub const GERMAN_TOKENIZER: &str = "lupe_de";
/// The German analyzer without compound parts (for the passage text: its
/// field length counts the words, not the parts of compounds).
pub const GERMAN_WORDS_TOKENIZER: &str = "lupe_de_words";
/// Only the compound parts of the German analyzer, at their words'
/// positions (for the passage's parts field).
pub const GERMAN_PARTS_TOKENIZER: &str = "lupe_de_parts";
/// Name of the lowercase keyword analyzer (used for `source`).
pub const KEYWORD_TOKENIZER: &str = "lupe_keyword";

/// Hyphen groups with more parts than this get no joined forms: longer chains
/// ("Ende-zu-Ende-Verschlüsselungs-…") are rare and the joins only bloat.
const MAX_JOIN_PARTS: usize = 4;

/// Upper bound on cached words per thread (both generations together).
/// Measured on 25 MB of German Wikipedia: 50k words cost 15% more CPU
/// than 200k, 100k about 8%, while saving 20 MB of memory per thread
/// against 200k (ingest must stay within 250 MB).
const MAX_CACHED_WORDS: usize = 100_000;

/// The normalised form of a keyword such as a source name: NFC, single
/// spaces, lowercase, `ß` as `ss`. `--source`, `source:` and the index all
/// compare sources in this form.
pub fn keyword(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = text.nfc().collect();
    nfc.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ß', "ss")
}

/// Which side of the search an analyzer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Ingest and highlighting: adds hyphen joins and compound parts.
    Index,
    /// Query text: words with their compound parts and only the full
    /// hyphen join; the query builder turns joins and parts into
    /// alternatives of the word.
    Query,
}

/// Which analysis an index was built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The full German chain (the default and the product).
    German,
    /// Split and lowercase only: the floor that benchmarks compare against.
    Plain,
}

impl Kind {
    /// A stable name, as stored in the index and accepted by `--analyzer`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::German => "german",
            Kind::Plain => "plain",
        }
    }
}

/// One term produced from a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Token {
    /// The index term.
    pub term: String,
    /// Byte offset where the highlighted span starts.
    pub from: usize,
    /// Byte offset just past the highlighted span.
    pub to: usize,
    /// Word position (stop words and hyphen parts count).
    pub position: u32,
    /// How the term was made.
    pub rule: Rule,
    /// Normalisations that fired on the word.
    #[serde(skip)]
    pub notes: Notes,
}

/// A borrowed view of a [`Token`], handed to sinks without allocating.
#[derive(Debug, Clone, Copy)]
pub struct TokenRef<'a> {
    /// The index term.
    pub term: &'a str,
    /// Byte offset where the highlighted span starts.
    pub from: usize,
    /// Byte offset just past the highlighted span.
    pub to: usize,
    /// Word position.
    pub position: u32,
    /// How the term was made.
    pub rule: Rule,
    /// Normalisations that fired on the word.
    pub notes: Notes,
}

impl TokenRef<'_> {
    /// An owned copy.
    pub fn to_token(self) -> Token {
        Token {
            term: self.term.to_string(),
            from: self.from,
            to: self.to,
            position: self.position,
            rule: self.rule,
            notes: self.notes,
        }
    }
}

#[derive(Debug)]
struct CachedTerm {
    text: Box<str>,
    rule: Rule,
    notes: Notes,
}

/// Analysed words of one thread, for each kind, split or not (hyphen joins
/// are analysed without splitting). Kept per thread rather than per
/// analyzer: tantivy makes a fresh analyzer for every segment it writes,
/// and a warm cache is most of the analysis speed.
///
/// Two generations bound the memory without forgetting the frequent words:
/// when the young generation is full, it becomes the old one (the previous
/// old one is dropped), and a word found in the old generation moves back
/// to the young one instead of being analysed again.
#[derive(Default)]
struct Cache {
    young: [WordMap; 4],
    old: [WordMap; 4],
    young_len: usize,
}

type WordMap = hashbrown::HashMap<String, Box<[CachedTerm]>, rustc_hash::FxBuildHasher>;

impl Cache {
    fn slot(kind: Kind, may_split: bool) -> usize {
        (kind == Kind::Plain) as usize * 2 + may_split as usize
    }

    /// The cached terms of `surface`, computing them on a miss.
    fn get_or_compute(
        &mut self,
        slot: usize,
        surface: &str,
        compute: impl FnOnce() -> Box<[CachedTerm]>,
    ) -> &[CachedTerm] {
        if self.young_len >= MAX_CACHED_WORDS / 2 && !self.young[slot].contains_key(surface) {
            self.old = std::mem::take(&mut self.young);
            self.young_len = 0;
        }
        let (young, old) = (&mut self.young[slot], &mut self.old[slot]);
        match young.entry_ref(surface) {
            hashbrown::hash_map::EntryRef::Occupied(e) => e.into_mut(),
            hashbrown::hash_map::EntryRef::Vacant(e) => {
                self.young_len += 1;
                let terms = old.remove(surface).unwrap_or_else(compute);
                e.insert(terms)
            }
        }
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// An analyzer for one side and kind; cheap to create and to clone (the
/// word cache is per thread).
#[derive(Clone)]
pub struct Analyzer {
    side: Side,
    kind: Kind,
    stemmer: std::sync::Arc<word::Stemmer>,
}

impl Analyzer {
    /// An analyzer for one side.
    pub fn new(side: Side, kind: Kind) -> Self {
        Analyzer {
            side,
            kind,
            stemmer: std::sync::Arc::new(word::Stemmer::default()),
        }
    }

    /// The German index-side analyzer.
    pub fn index() -> Self {
        Analyzer::new(Side::Index, Kind::German)
    }

    /// The German query-side analyzer.
    pub fn query() -> Self {
        Analyzer::new(Side::Query, Kind::German)
    }

    /// Which side this analyzer serves.
    pub fn side(&self) -> Side {
        self.side
    }

    /// Which analysis this analyzer runs.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Runs the chain over `text` and hands every term to `sink`, in
    /// position order (joins and compound parts right after their word).
    /// `sink` must not analyse text itself (the thread's cache is borrowed).
    pub fn for_each_token(&mut self, text: &str, mut sink: impl FnMut(TokenRef<'_>)) {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            self.run(&mut cache, text, &mut sink);
        });
    }

    fn run(&self, cache: &mut Cache, text: &str, sink: &mut impl FnMut(TokenRef<'_>)) {
        let words = Cache::slot(self.kind, true);
        let mut position: u32 = 0;
        let mut joined = String::new();
        for group in tokenizer::groups(text) {
            let n = group.parts.len();
            let join = (2..=MAX_JOIN_PARTS).contains(&n) && self.kind != Kind::Plain;
            for (i, part) in group.parts.iter().enumerate() {
                let surface = &text[part.word.clone()];
                let terms = cache.get_or_compute(words, surface, || self.compute(surface, true));
                // A query word in capitals means the acronym only: `KI`
                // must not find "Ki-moon" (the lowercase `ki` finds both).
                let acronym =
                    self.side == Side::Query && terms.iter().any(|t| t.rule == Rule::Acronym);
                for t in terms {
                    if acronym && t.rule != Rule::Acronym {
                        continue;
                    }
                    sink(TokenRef {
                        term: &t.text,
                        from: part.span.start,
                        to: part.span.end,
                        position,
                        rule: t.rule,
                        notes: t.notes,
                    });
                }
                // The joins stand at the first part's position and must come
                // before any later position: tantivy's postings need each
                // term's positions in increasing order ("Ki-Modell-Kimodell"
                // used to emit `kimodell` at 2, then at 0, and the indexing
                // thread panicked).
                if i == 0 && join {
                    self.emit_joins(cache, text, &group.parts, position, &mut joined, sink);
                }
                position = position.saturating_add(1);
            }
        }
    }

    /// The joined spellings of a hyphen group (`Open-Source` → `opensource`)
    /// at the group's first position: every prefix of two or more parts on
    /// the index side, only the whole group on the query side.
    fn emit_joins(
        &self,
        cache: &mut Cache,
        text: &str,
        parts: &[tokenizer::Part],
        position: u32,
        joined: &mut String,
        sink: &mut impl FnMut(TokenRef<'_>),
    ) {
        let joins = Cache::slot(self.kind, false);
        let n = parts.len();
        let shortest = match self.side {
            Side::Index => 2,
            Side::Query => n,
        };
        for k in shortest..=n {
            joined.clear();
            for part in &parts[..k] {
                joined.push_str(&text[part.word.clone()]);
            }
            for t in cache.get_or_compute(joins, joined, || self.compute(joined, false)) {
                sink(TokenRef {
                    term: &t.text,
                    from: parts[0].span.start,
                    to: parts[k - 1].span.end,
                    position,
                    rule: Rule::HyphenJoin,
                    notes: t.notes,
                });
            }
        }
    }

    /// All terms of `text`, owned.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t.to_token()));
        out
    }

    /// The terms of `text` in order, as one line for a field that a cluster
    /// splits at whitespace (the export's `lupe_terms`).
    ///
    /// A whitespace field cannot put two terms at one position, so the
    /// convention is: each word's own term first, and every term that shares
    /// a position with it (compound parts, the acronym form, hyphen joins)
    /// right after the last word it spans. `Sicherheitslücke` gives
    /// `sicherheitsluck sicherheit luck`, `KI-Modell` gives `ki KI modell
    /// kimodell`: the words of a text and of a hyphen group stay adjacent
    /// (phrases of them match without slop), and every term the index holds
    /// is there once, so term frequencies and field lengths equal the
    /// index's. Stop words leave no gap.
    pub fn flat_terms(&mut self, text: &str) -> String {
        let tokens = self.flat_tokens(text);
        let mut out = String::with_capacity(text.len());
        for (_, term) in tokens {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&term);
        }
        out
    }

    /// The terms of [`Analyzer::flat_terms`] with their positions in the
    /// index (for the slop a phrase needs in the flat order).
    pub fn flat_tokens(&mut self, text: &str) -> Vec<(u32, String)> {
        let mut out: Vec<(u32, String)> = Vec::new();
        // Terms held back until the word they span has ended.
        let mut held: Vec<(usize, u32, String)> = Vec::new();
        let mut last_position: Option<u32> = None;
        self.for_each_token(text, |t| {
            let shares = matches!(
                t.rule,
                Rule::HyphenJoin | Rule::CompoundPart | Rule::Acronym
            ) || last_position == Some(t.position);
            if shares {
                held.push((t.to, t.position, t.term.to_string()));
                return;
            }
            held.retain(|(end, position, term)| {
                let done = *end <= t.from;
                if done {
                    out.push((*position, term.clone()));
                }
                !done
            });
            out.push((t.position, t.term.to_string()));
            last_position = Some(t.position);
        });
        out.extend(held.into_iter().map(|(_, position, term)| (position, term)));
        out
    }

    /// The uncached chain for one word.
    fn compute(&self, surface: &str, may_split: bool) -> Box<[CachedTerm]> {
        if self.kind == Kind::Plain {
            if surface.len() > word::MAX_WORD_BYTES {
                return Box::new([]);
            }
            return Box::new([CachedTerm {
                text: surface.to_lowercase().into(),
                rule: Rule::Verbatim,
                notes: Notes::default(),
            }]);
        }
        let Some(normalized) = word::normalize(surface) else {
            return Box::new([]);
        };
        let mut notes = normalized.notes;
        let whole = match decompound::lemmatize(&normalized.text) {
            Some(lemma) => {
                notes = notes.with(Notes::LEMMA);
                lemma
            }
            None => normalized.text.clone(),
        };
        let mut out = Vec::with_capacity(1);
        let (stem, rule) = self.stemmer.stem(&whole);
        // Snowball folds umlauts itself; this catches any left in verbatim
        // and protected words.
        let (text, _) = word::fold_accents(stem);
        // Words, not joins: "KI-EU" joined is no acronym.
        // The acronym as written, not as the word chain reads it: `OECD`
        // must not become `OCD` (the umlaut digraph `oe`).
        let acronym = word::acronym_letters(surface)
            .filter(|_| may_split)
            .map(|letters| word::fold_accents(letters.to_string()).0.to_uppercase());
        out.push(CachedTerm {
            text: text.into(),
            rule,
            notes,
        });
        if let Some(acronym) = acronym {
            out.push(CachedTerm {
                text: acronym.into(),
                rule: Rule::Acronym,
                notes,
            });
        }
        if may_split {
            for part in decompound::split(&normalized.text) {
                let part = decompound::lemmatize(&part).unwrap_or(part);
                let (stem, _) = self.stemmer.stem(&part);
                let (text, _) = word::fold_accents(stem);
                if !out.iter().any(|t| *t.text == *text) {
                    out.push(CachedTerm {
                        text: text.into(),
                        rule: Rule::CompoundPart,
                        notes: Notes::default(),
                    });
                }
            }
        }
        out.into_boxed_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(analyzer: &mut Analyzer, text: &str) -> Vec<(String, u32, Rule)> {
        analyzer
            .tokens(text)
            .into_iter()
            .map(|t| (t.term, t.position, t.rule))
            .collect()
    }

    #[test]
    fn flat_terms_put_shared_positions_after_their_word() {
        let mut a = Analyzer::index();
        assert_eq!(
            a.flat_terms("Die Sicherheitslücke im KI-Modell"),
            "sicherheitsluck sicherheit luck ki KI modell kimodell"
        );
        assert_eq!(
            a.flat_terms("Open-Source-Software"),
            "open sourc opensourc softwar opensourcesoftwar"
        );
        // Every term of the index side, once each.
        let text = "Vorratsdatenspeicherung der KIs, Ende-zu-Ende";
        let mut flat: Vec<String> = a.flat_terms(text).split(' ').map(String::from).collect();
        let mut all: Vec<String> = a.tokens(text).into_iter().map(|t| t.term).collect();
        flat.sort();
        all.sort();
        assert_eq!(flat, all);
    }

    #[test]
    fn hyphen_groups_index_side() {
        let mut a = Analyzer::index();
        let got = terms(&mut a, "Open-Source-Software");
        assert_eq!(
            got,
            vec![
                ("open".into(), 0, Rule::Stem),
                ("opensourc".into(), 0, Rule::HyphenJoin),
                ("opensourcesoftwar".into(), 0, Rule::HyphenJoin),
                ("sourc".into(), 1, Rule::Stem),
                ("softwar".into(), 2, Rule::Stem),
            ]
        );
    }

    #[test]
    fn hyphen_groups_query_side_only_full_join() {
        let mut a = Analyzer::query();
        let got = terms(&mut a, "Open-Source-Software");
        assert_eq!(got.len(), 4);
        assert_eq!(got[1], ("opensourcesoftwar".into(), 0, Rule::HyphenJoin));
    }

    #[test]
    fn stop_words_keep_their_position() {
        let mut a = Analyzer::query();
        let got = terms(&mut a, "Sicherheit der Modelle");
        assert_eq!(
            got,
            vec![
                ("sicherheit".into(), 0, Rule::Protected),
                ("modell".into(), 2, Rule::Stem)
            ]
        );
    }

    #[test]
    fn gender_colon_form_is_one_word() {
        let mut a = Analyzer::index();
        let text = "Entwickler:innen bauen";
        let toks = a.tokens(text);
        assert_eq!(toks[0].term, "entwickl");
        assert_eq!(&text[toks[0].from..toks[0].to], "Entwickler:innen");
        assert_eq!(toks[1].position, 1);
    }

    #[test]
    fn nfd_input_is_the_callers_job_but_nfc_works() {
        let mut a = Analyzer::index();
        assert_eq!(terms(&mut a, "Lücke")[0].0, "luck");
    }

    #[test]
    fn plain_kind_only_lowercases() {
        let mut a = Analyzer::new(Side::Index, Kind::Plain);
        let got = terms(&mut a, "Die Open-Source-Modelle");
        assert_eq!(
            got.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
            vec!["die", "open", "source", "modelle"]
        );
    }

    #[test]
    fn cache_gives_same_answer() {
        let mut a = Analyzer::index();
        let first = a.tokens("Sicherheitslücken in Sprachmodellen");
        let second = a.tokens("Sicherheitslücken in Sprachmodellen");
        assert_eq!(first, second);
    }

    mod properties {
        //! In-process property tests: thousands of cases in well under a
        //! second each, where the binary-driven ones in tests/ afford a few.

        use proptest::prelude::*;

        use super::super::*;

        /// Fragments of German news text, with the spellings and marks the
        /// chain has rules for, plus arbitrary Unicode.
        fn fragment() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => prop::sample::select(vec![
                    "Sicherheitslücke", "Sicherheitslücken", "Open-Source-Software", "KI-Modelle",
                    "KIs", "OpenAIs", "Entwickler:innen", "EntwicklerInnen", "Forscher*innen",
                    "Mueller", "Müller", "Straße", "Strasse", "Rechenzentren", "Chips", "Café",
                    "Lu\u{308}cke", "Datenschutz-Grundverordnung", "GPT-4o", "C++", "z. B.",
                    "Dr.", "3. März", "–", "-", "„Zitat“", "don't", "Cox'", "Verbraucher",
                    "beinhalten", "Sprachmodelle", "die", "dass", "über", "E-Mail", "Start-up",
                    "ß", "ẞ", "İ", "ﬁ", "\u{200d}", "\u{301}", "😀", "日本語",
                ])
                .prop_map(str::to_string),
                1 => "\\PC{0,12}",
                1 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
            ]
        }

        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec(
                (
                    fragment(),
                    prop::sample::select(vec![" ", " ", "-", "\n", "\n\n", ", ", ". ", ""]),
                ),
                0..40,
            )
            .prop_map(|parts| parts.into_iter().map(|(f, sep)| f + sep).collect())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            #[test]
            fn tokens_are_well_formed(text in text()) {
                for side in [Side::Index, Side::Query] {
                    let tokens = Analyzer::new(side, Kind::German).tokens(&text);
                    let mut last = 0;
                    for t in &tokens {
                        prop_assert!(!t.term.is_empty(), "{t:?}");
                        prop_assert!(t.from < t.to && t.to <= text.len(), "{t:?}");
                        prop_assert!(text.is_char_boundary(t.from) && text.is_char_boundary(t.to));
                        prop_assert!(t.position >= last, "positions go back: {tokens:?}");
                        last = t.position;
                    }
                }
            }

            #[test]
            fn the_word_cache_changes_nothing(text in text(), other in text()) {
                let fresh = Analyzer::index().tokens(&text);
                let mut warm = Analyzer::index();
                warm.tokens(&other);
                warm.tokens(&text);
                prop_assert_eq!(warm.tokens(&text), fresh);
            }

            /// The invariant that makes a text find itself: every term the
            /// query side makes of a text is one the index side made of it.
            #[test]
            fn query_terms_are_index_terms(text in text()) {
                let index: std::collections::HashSet<String> =
                    Analyzer::index().tokens(&text).into_iter().map(|t| t.term).collect();
                for t in Analyzer::query().tokens(&text) {
                    prop_assert!(index.contains(&t.term), "query term {:?} not indexed", t.term);
                }
            }
        }
    }
}
