//! Synonyms applied at query time: lupe's shipped thesaurus for AI-industry
//! news (`thesaurus.txt`, embedded) and a user's own files.
//!
//! A file holds one group of words that mean the same per line, entries
//! separated by commas, as in Solr's and Elasticsearch's synonym files:
//!
//! ```text
//! # comment
//! KI, künstliche Intelligenz, artificial intelligence
//! ```
//!
//! Entries are read by lupe's own analysis, so `künstliche Intelligenz` is
//! the phrase of two stems and also matches "künstlicher Intelligenz", and
//! an entry written in capitals (`KI`) is the acronym, as it is in a query.
//! Parsing the text is cheap and needs no analyzer ([`Synonyms`]);
//! [`Thesaurus::compile`] prepares the groups for one index's analysis
//! (entries are analysed when a query first needs them), and
//! [`Thesaurus::spans`] finds the query words a group covers.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::analysis::{Analyzer, Kind, Rule, Side, word};

/// The shipped thesaurus.
pub const BUILTIN: &str = include_str!("thesaurus.txt");

/// The name the shipped thesaurus goes by in messages.
pub const BUILTIN_NAME: &str = "lupe's thesaurus";

/// The name of the synonym file that an index folder may hold; it is read
/// by every query on that index.
pub const INDEX_FILE: &str = "synonyms.txt";

/// At most this many words per entry: a group is a name for a thing, not a
/// sentence.
pub const MAX_ENTRY_WORDS: usize = 6;

/// A line of a synonym file that lupe cannot use.
#[derive(Debug, thiserror::Error)]
pub enum SynonymError {
    /// A malformed line.
    #[error("{origin}:{line}: {message}")]
    Line {
        /// The file (or [`BUILTIN_NAME`]).
        origin: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The file cannot be read.
    #[error("cannot read the synonym file {path}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// One group as written.
#[derive(Debug, Clone)]
struct Group {
    entries: Vec<String>,
    origin: std::sync::Arc<str>,
    line: usize,
}

/// Groups of synonyms as written, not yet analysed.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Group>,
}

impl Synonyms {
    /// The shipped thesaurus.
    pub fn builtin() -> Synonyms {
        // A unit test parses and compiles it, so this cannot fail in a
        // released binary.
        Synonyms::parse(BUILTIN, BUILTIN_NAME).unwrap_or_default()
    }

    /// Reads a user's synonym file.
    pub fn read(path: &Path) -> Result<Synonyms, SynonymError> {
        let shown = crate::error::shown(path).to_string();
        let bytes = std::fs::read(path).map_err(|source| SynonymError::Read {
            path: shown.clone(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            SynonymError::Line {
                origin: shown.clone(),
                line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
                message: "not UTF-8 text".into(),
            }
        })?;
        Synonyms::parse(&text, &shown)
    }

    /// Parses the text of a synonym file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Synonyms, SynonymError> {
        let origin: std::sync::Arc<str> = origin.into();
        let mut groups = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = n + 1;
            let error = |message: String| SynonymError::Line {
                origin: origin.to_string(),
                line,
                message,
            };
            let content = raw.trim_start_matches('\u{feff}').trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if content.contains("=>") {
                return Err(error(
                    "one-way rules (a => b) are not supported: write the words that mean the same, separated by commas"
                        .into(),
                ));
            }
            if content.chars().any(|c| c.is_control() && c != '\t') {
                return Err(error("the line holds a control character".into()));
            }
            let entries: Vec<String> = content.split(',').map(normalize_entry).collect();
            if let Some(i) = entries.iter().position(|e| e.is_empty()) {
                return Err(error(format!(
                    "entry {} is empty (two commas in a row, or a comma at an end)",
                    i + 1
                )));
            }
            if entries.len() < 2 {
                return Err(error(format!(
                    "a group needs at least two entries separated by commas, found only {:?}",
                    entries[0]
                )));
            }
            if let Some(long) = entries
                .iter()
                .find(|e| e.split(' ').count() > MAX_ENTRY_WORDS)
            {
                return Err(error(format!(
                    "{long:?} has more than {MAX_ENTRY_WORDS} words (a missing comma?)"
                )));
            }
            groups.push(Group {
                entries,
                origin: origin.clone(),
                line,
            });
        }
        Ok(Synonyms { groups })
    }

    /// Adds the groups of `other` (a word in groups of both is a synonym
    /// of every entry in either).
    pub fn extend(&mut self, other: Synonyms) {
        self.groups.extend(other.groups);
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// No groups at all?
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// An entry as lupe reads it: single spaces, Unicode NFC (as article text
/// is). Cheap for the usual entry, which is already both.
fn normalize_entry(raw: &str) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    let trimmed = raw.trim();
    let spaced =
        if trimmed.contains(|c: char| c.is_whitespace() && c != ' ') || trimmed.contains("  ") {
            trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            trimmed.to_string()
        };
    if is_nfc_quick(spaced.chars()) == IsNormalized::Yes {
        spaced
    } else {
        spaced.nfc().collect()
    }
}

/// The words of a text for [`prefix`] and for bounding an entry's length:
/// its runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// One entry of a group; its terms are made on first use.
#[derive(Debug)]
struct Entry {
    text: String,
    group: u32,
    key: OnceLock<Box<[String]>>,
}

/// Synonym groups ready for one index's analysis: which query words a
/// group covers, and what they expand to.
///
/// A one-shot `lupe query` must not pay for analysing every entry (a few
/// milliseconds for the shipped thesaurus, as long as the rest of the
/// query), so entries are found by a cheap prefix of their first word and
/// analysed only when a query word could be one of them; the terms are
/// then compared exactly.
#[derive(Debug)]
pub struct Thesaurus {
    kind: Kind,
    entries: Vec<Entry>,
    /// Entries of each group.
    groups: Vec<Vec<u32>>,
    /// [`prefix`] of an entry's first word → entries.
    by_prefix: FxHashMap<String, Vec<u32>>,
    /// Most words (hyphen parts counted) of an entry: no entry has more
    /// terms.
    longest: usize,
}

/// Query words covered by a group: which of the units handed to
/// [`Thesaurus::spans`], and the entries they expand to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span<'t> {
    /// The covered units.
    pub units: Range<usize>,
    /// The other entries of the group(s), as written.
    pub synonyms: Vec<&'t str>,
}

/// One query word (or hyphen group) as [`Thesaurus::spans`] sees it.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    /// The text as typed.
    pub text: &'a str,
    /// Its terms, one slot per word position ([`key`]); `""` for a stop
    /// word.
    pub terms: Vec<String>,
}

impl Thesaurus {
    /// Prepares `synonyms` for an index analysed with `kind`. Entries of
    /// users' files are analysed at once, so that one which leaves no word
    /// (only stop words, or no letters) is an error with its line; the
    /// shipped thesaurus is checked by a unit test instead.
    pub fn compile(synonyms: &Synonyms, kind: Kind) -> Result<Thesaurus, SynonymError> {
        let mut t = Thesaurus {
            kind,
            entries: Vec::new(),
            groups: Vec::with_capacity(synonyms.groups.len()),
            by_prefix: FxHashMap::default(),
            longest: 0,
        };
        let mut analyzer = None;
        for group in &synonyms.groups {
            let id = t.groups.len() as u32;
            let mut members = Vec::with_capacity(group.entries.len());
            for text in &group.entries {
                let e = t.entries.len() as u32;
                let entry = Entry {
                    text: text.clone(),
                    group: id,
                    key: OnceLock::new(),
                };
                if &*group.origin != BUILTIN_NAME {
                    let analyzer = analyzer.get_or_insert_with(|| Analyzer::new(Side::Query, kind));
                    let terms = entry_key(analyzer, text);
                    if terms.is_empty() {
                        return Err(SynonymError::Line {
                            origin: group.origin.to_string(),
                            line: group.line,
                            message: format!(
                                "{text:?} leaves no word to search for (only stop words or punctuation)"
                            ),
                        });
                    }
                    let _ = entry.key.set(terms);
                }
                t.longest = t.longest.max(words(text).count());
                if let Some(p) = prefix(text) {
                    t.by_prefix.entry(p).or_default().push(e);
                }
                members.push(e);
                t.entries.push(entry);
            }
            t.groups.push(members);
        }
        Ok(t)
    }

    /// Number of groups.
    pub fn groups(&self) -> usize {
        self.groups.len()
    }

    /// The analysis this thesaurus was prepared for.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// An entry's terms, made on first use with `analyzer` (query side, of
    /// [`Thesaurus::kind`]).
    fn key_of(&self, e: u32, analyzer: &mut Analyzer) -> &[String] {
        let entry = &self.entries[e as usize];
        entry.key.get_or_init(|| entry_key(analyzer, &entry.text))
    }

    /// The groups that cover consecutive `units`, longest match first, from
    /// left to right. A unit without terms (a stop word) is skipped inside
    /// a span, as the analysis skips it inside an entry. `analyzer` is a
    /// query-side analyzer of [`Thesaurus::kind`].
    pub fn spans(&self, units: &[Unit<'_>], analyzer: &mut Analyzer) -> Vec<Span<'_>> {
        let mut spans = Vec::new();
        let mut start = 0;
        while start < units.len() {
            let candidates = if units[start].terms.iter().all(String::is_empty) {
                None
            } else {
                prefix(units[start].text).and_then(|p| self.by_prefix.get(&p))
            };
            let mut best: Option<(usize, &[String])> = None;
            for &e in candidates.into_iter().flatten() {
                let key = self.key_of(e, analyzer);
                if let Some(end) = covers(units, start, key, self.longest)
                    && best.is_none_or(|(b, k)| end > b || (end == b && key.len() > k.len()))
                {
                    best = Some((end, key));
                }
            }
            match best {
                Some((end, key)) => {
                    let synonyms =
                        self.synonyms_of(key, candidates.into_iter().flatten(), analyzer);
                    if !synonyms.is_empty() {
                        spans.push(Span {
                            units: start..end,
                            synonyms,
                        });
                    }
                    start = end;
                }
                None => start += 1,
            }
        }
        spans
    }

    /// The entries of the groups of every candidate whose terms are `key`,
    /// other than those that are `key` itself (`Chips` and `Chip` are one
    /// entry for the analysis), one per distinct key, in the order written.
    fn synonyms_of<'s>(
        &'s self,
        key: &[String],
        candidates: impl Iterator<Item = &'s u32>,
        analyzer: &mut Analyzer,
    ) -> Vec<&'s str> {
        let key: Vec<String> = key.to_vec();
        let mut groups: Vec<u32> = Vec::new();
        for &e in candidates {
            let g = self.entries[e as usize].group;
            if !groups.contains(&g) && self.key_of(e, analyzer) == key.as_slice() {
                groups.push(g);
            }
        }
        groups.sort_unstable();
        let mut seen: Vec<Vec<String>> = vec![key];
        let mut out = Vec::new();
        for g in groups {
            for &e in &self.groups[g as usize] {
                let terms = self.key_of(e, analyzer);
                if !terms.is_empty() && !seen.iter().any(|s| s.as_slice() == terms) {
                    seen.push(terms.to_vec());
                    out.push(self.entries[e as usize].text.as_str());
                }
            }
        }
        out
    }
}

/// Where the units from `start` on spell out `key` exactly, slot by slot
/// (stop words included, except before the first word): the end of the
/// covered units.
fn covers(units: &[Unit<'_>], start: usize, key: &[String], longest: usize) -> Option<usize> {
    let mut at = 0;
    for (i, unit) in units.iter().enumerate().skip(start).take(longest.max(1)) {
        let mut slots = unit.terms.as_slice();
        if i == start {
            let first = slots.iter().position(|s| !s.is_empty())?;
            slots = &slots[first..];
        }
        let rest = &key[at..];
        if rest.len() < slots.len() || rest[..slots.len()] != *slots {
            return None;
        }
        at += slots.len();
        if at == key.len() {
            return Some(i + 1);
        }
    }
    None
}

/// The bucket of an entry or a query word: the first two letters of its
/// first word that is not a stop word, lowercased, with umlauts, `ß` and
/// umlaut digraphs folded. Every spelling that lupe's analysis makes one
/// term (case, `Mueller`/`Müller`, `KIs`/`KI`, inflections) falls into the
/// same bucket; the bucket only narrows down which entries to compare.
/// Runs for every entry when a thesaurus is prepared, so it is kept to a
/// few string operations per word.
pub fn prefix(text: &str) -> Option<String> {
    for w in words(text) {
        let lower = w.to_lowercase();
        let stop = if lower.contains("ae") || lower.contains("oe") || lower.contains("ue") {
            word::stop_word(w).is_some()
        } else {
            word::is_stop_word(&lower)
        };
        if stop {
            continue;
        }
        let mut out = String::with_capacity(2);
        let mut chars = lower.chars().map(|c| match c {
            'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ó' | 'ò' | 'ô' => 'o',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'é' | 'è' | 'ê' => 'e',
            'ß' => 's',
            c => c,
        });
        let mut last = None;
        while out.chars().count() < 2 {
            let Some(c) = chars.next() else { break };
            // ae, oe, ue: the analysis may read them as ä, ö, ü.
            if c == 'e' && matches!(last, Some('a' | 'o' | 'u')) {
                continue;
            }
            out.push(c);
            last = Some(c);
        }
        return Some(out);
    }
    None
}

/// The terms a query makes of a text, one slot per word position: the
/// word's own term, or `""` where a stop word stands (so that "KI und
/// Chips" is not the entry "KI-Chip", while "das Internet der Dinge" is
/// "Internet der Dinge"). Alternatives (hyphen joins, compound parts) are
/// left out.
pub fn key(analyzer: &mut Analyzer, text: &str) -> Box<[String]> {
    let mut slots: Vec<String> = Vec::new();
    analyzer.for_each_token(text, |t| {
        if matches!(t.rule, Rule::HyphenJoin | Rule::CompoundPart) {
            return;
        }
        let at = t.position as usize;
        if slots.len() <= at {
            slots.resize(at + 1, String::new());
        }
        if !slots[at].is_empty() {
            slots[at].push(' ');
        }
        slots[at].push_str(t.term);
    });
    let width: usize = words(text).count();
    if slots.len() < width && !slots.is_empty() {
        slots.resize(width, String::new());
    }
    if slots.is_empty() && width > 0 {
        slots.resize(width, String::new());
    }
    slots.into_boxed_slice()
}

/// An entry's key: its slots without stop words before the first or after
/// the last word.
fn entry_key(analyzer: &mut Analyzer, text: &str) -> Box<[String]> {
    let slots = key(analyzer, text);
    let first = slots.iter().position(|s| !s.is_empty());
    let last = slots.iter().rposition(|s| !s.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => slots[a..=b].to_vec().into_boxed_slice(),
        _ => Box::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(text: &str) -> Thesaurus {
        Thesaurus::compile(&Synonyms::parse(text, "test").unwrap(), Kind::German).unwrap()
    }

    fn units(text: &str) -> Vec<Unit<'_>> {
        let mut analyzer = Analyzer::new(Side::Query, Kind::German);
        text.split(' ')
            .map(|w| Unit {
                text: w,
                terms: key(&mut analyzer, w).into_vec(),
            })
            .collect()
    }

    fn expand(t: &Thesaurus, query: &str) -> Vec<(Range<usize>, Vec<String>)> {
        let mut analyzer = Analyzer::new(Side::Query, Kind::German);
        t.spans(&units(query), &mut analyzer)
            .into_iter()
            .map(|s| (s.units, s.synonyms.into_iter().map(String::from).collect()))
            .collect()
    }

    #[test]
    fn the_shipped_thesaurus_is_valid_and_large_enough() {
        let synonyms = Synonyms::parse(BUILTIN, BUILTIN_NAME).unwrap();
        assert!(synonyms.len() >= 150, "{} groups", synonyms.len());
        let t = Thesaurus::compile(&synonyms, Kind::German).unwrap();
        assert_eq!(t.groups(), synonyms.len());
        let mut analyzer = Analyzer::new(Side::Query, Kind::German);
        let keys: Vec<Vec<String>> = (0..t.entries.len() as u32)
            .map(|e| t.key_of(e, &mut analyzer).to_vec())
            .collect();
        // Every entry leaves a word, adds something (no two entries of a
        // group are one key for the analysis), is in one group only (two
        // would silently join them), and is found by its own text.
        let mut problems = Vec::new();
        for (e, entry) in t.entries.iter().enumerate() {
            let k = &keys[e];
            if k.is_empty() {
                problems.push(format!("{:?} leaves no word", entry.text));
            }
            for (f, other) in t.entries.iter().enumerate().skip(e + 1) {
                if &keys[f] == k {
                    let why = if other.group == entry.group {
                        "is the same as"
                    } else {
                        "is in another group as"
                    };
                    problems.push(format!("{:?} {why} {:?}", entry.text, other.text));
                }
            }
            let found = expand(&t, &entry.text);
            let words = entry.text.split(' ').count();
            if !found.iter().any(|(r, _)| *r == (0..words)) {
                problems.push(format!(
                    "{:?} does not find its group: {found:?}",
                    entry.text
                ));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
        Thesaurus::compile(&synonyms, Kind::Plain).unwrap();
    }

    #[test]
    fn a_phrase_expands_to_the_acronym_and_back() {
        let t = compile("KI, künstliche Intelligenz, AI");
        assert_eq!(
            expand(&t, "künstliche Intelligenz"),
            vec![(0..2, vec!["KI".to_string(), "AI".to_string()])]
        );
        // Inflected forms are the same stems.
        assert_eq!(expand(&t, "künstlicher Intelligenz").len(), 1);
        assert_eq!(
            expand(&t, "KI Startups"),
            vec![(
                0..1,
                vec!["künstliche Intelligenz".to_string(), "AI".to_string()]
            )]
        );
    }

    #[test]
    fn an_acronym_entry_is_the_acronym_only() {
        let t = compile("KI, künstliche Intelligenz");
        assert!(expand(&t, "ki").is_empty());
        assert!(expand(&t, "Ki-moon").is_empty());
        assert_eq!(expand(&t, "KI").len(), 1);
        // The acronym's "s" (KIs) is the acronym.
        assert_eq!(expand(&t, "KIs").len(), 1);
    }

    #[test]
    fn the_longest_entry_wins_and_parts_do_not_match() {
        let t =
            compile("Intelligenz, Klugheit\nkünstliche Intelligenz, KI\nRechenzentrum, Datacenter");
        assert_eq!(expand(&t, "künstliche Intelligenz")[0].0, 0..2);
        assert_eq!(expand(&t, "Intelligenz")[0].1, vec!["Klugheit".to_string()]);
        // A word of a phrase entry alone is no match.
        assert!(expand(&t, "künstliche").is_empty());
        // Plural and singular are one entry.
        assert_eq!(
            expand(&t, "Rechenzentren neu"),
            vec![(0..1, vec!["Datacenter".to_string()])]
        );
    }

    #[test]
    fn stop_words_inside_a_phrase_are_skipped() {
        let t = compile("Internet der Dinge, IoT");
        let mut analyzer = Analyzer::new(Side::Query, Kind::German);
        let key = key(&mut analyzer, "Internet der Dinge");
        assert_eq!(&*key, ["internet", "", "ding"]);
        assert_eq!(expand(&t, "IoT").len(), 1);
        assert_eq!(
            expand(&t, "das Internet der Dinge"),
            vec![(1..4, vec!["IoT".to_string()])]
        );
        assert!(expand(&t, "der").is_empty());
        // A stop word where the entry has none is no match.
        let t = compile("KI-Chip, KI-Beschleuniger\nInternet der Dinge, IoT");
        assert!(expand(&t, "KI und Chips").is_empty());
        assert_eq!(expand(&t, "KI-Chips").len(), 1);
        assert!(expand(&t, "Internet Dinge").is_empty());
    }

    #[test]
    fn groups_sharing_an_entry_join() {
        let t = compile("Chip, Halbleiter\nChips, Mikrochip");
        let found = expand(&t, "Chip");
        assert_eq!(
            found[0].1,
            vec!["Halbleiter".to_string(), "Mikrochip".to_string()]
        );
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let bad = [
            ("a, b\nnur ein Wort\n", 2, "at least two entries"),
            ("# c\n\na,, b", 3, "empty"),
            ("a, b,", 1, "empty"),
            ("a => b", 1, "one-way"),
            (
                "a, eins zwei drei vier fünf sechs sieben",
                1,
                "more than 6 words",
            ),
        ];
        for (text, line, words) in bad {
            let e = Synonyms::parse(text, "my.txt").unwrap_err().to_string();
            assert!(e.starts_with(&format!("my.txt:{line}: ")), "{e}");
            assert!(e.contains(words), "{e}");
        }
        let e = Thesaurus::compile(
            &Synonyms::parse("x, y\nder, die", "f").unwrap(),
            Kind::German,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("f:2: "), "{e}");
        assert!(e.contains("stop words"), "{e}");
    }

    #[test]
    fn comments_blank_lines_and_spaces_are_ignored() {
        let s =
            Synonyms::parse("\u{feff}# a comment\n\n  GPU ,  Grafikprozessor  \r\n", "f").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s.groups[0].entries, vec!["GPU", "Grafikprozessor"]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_errs_with_a_line(text in "\\PC{0,200}") {
            match Synonyms::parse(&text, "f") {
                Ok(s) => { let _ = Thesaurus::compile(&s, Kind::German); }
                Err(e) => proptest::prop_assert!(e.to_string().starts_with("f:")),
            }
        }
    }
}
