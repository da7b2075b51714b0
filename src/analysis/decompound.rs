//! Closed compounds: `Sicherheitslücke` → `sicherheit` + `lücke`, and the
//! lemma of irregular noun forms (`Rechenzentren` → `Rechenzentrum`).
//!
//! Splitting is decided by evidence, not by whether the whole word is in a
//! word list (frequent compounds such as "Sicherheitslücke" are in every
//! frequency list and must still be split). Following Koehn & Knight (2003,
//! "Empirical methods for compound splitting"), every way of cutting the
//! word into dictionary words is scored by the parts' mean frequency
//! (Zipf scale), with a small penalty per extra part so the fewest parts
//! win, and the best split is taken only if it beats the whole word's own
//! frequency: `Sicherheitslücke` (3.2) splits into `Sicherheit` (5.1) +
//! `Lücke` (4.1), while `Verbraucher` (4.2) stays whole against `Verb` (3.7)
//! + `Raucher` (3.6). Further rules:
//!
//! - parts have at least four letters; modifiers may carry a linking element
//!   (`Sicherheit·s·lücke`, `Arbeit·s·markt`, `Tag·es·zeit`) or drop a final
//!   `e` (`Sprach(e)·modell`) or the `en` of a verb (`Lern(en)·plattform`);
//! - the head (last part) must be a noun form: German compounds are nouns,
//!   and this keeps verbs like `beinhalten` (`Bein` + `halten`) whole;
//! - two-word Wiktionary lemmas give explicit splits (`Opensource`);
//! - a short no-split list (`nosplit.txt`) vetoes known false splits.
//!
//! The dictionary is derived from wordfreq and Wiktionary (CC BY-SA, see
//! `dict/README.md`) and compiled into the binary by `build.rs`.

use std::sync::LazyLock;

use fst::raw::{Fst, Output};
use rustc_hash::FxHashSet;

#[path = "dict/layout.rs"]
mod layout;
use layout::{
    NOUN_BIT, PLUS_E_SHIFT, PLUS_EN_SHIFT, PRESENT_BIT, TEXT_LEN_MASK, TEXT_OFFSET_SHIFT, ZIPF_BITS,
};

/// Parts shorter than this (in characters) are not words of their own in a
/// compound reliably enough: "Bau", "Tor", "Ei" split far too much.
const MIN_PART_CHARS: usize = 4;
/// Words shorter than two minimal parts cannot be split.
const MIN_COMPOUND_CHARS: usize = 2 * MIN_PART_CHARS;
/// Longer words are left alone: they are garbage, or the cost is not worth it.
const MAX_COMPOUND_BYTES: usize = 96;
const _: () = assert!(MAX_COMPOUND_BYTES <= u8::MAX as usize);
/// More parts than this are not considered ("Donaudampfschifffahrt…").
const MAX_PARTS: usize = 4;
/// A modifier must be at least this frequent (Zipf); rarer words make
/// accidental splits of names and foreign words.
const MIN_MODIFIER_ZIPF: f32 = 2.5;
/// The head may be rarer (it is also checked to be a noun form).
const MIN_HEAD_ZIPF: f32 = 1.5;
/// Subtracted from the mean Zipf per part beyond two.
const EXTRA_PART_PENALTY: f32 = 0.3;
/// Linking elements between parts (Fugenelemente), longest first.
const LINKS: [&str; 7] = ["ens", "es", "en", "er", "s", "n", "e"];
/// Irregular forms are looked up as suffixes of at least this many letters.
const MIN_FORM_CHARS: usize = 4;

static WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"));
static PARTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/parts.da"));
static PART_VALUES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/parts.values"));
static FORMS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/forms.fst"));
static FORM_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/forms.txt"));
static SPLITS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/splits.fst"));
static SPLIT_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/splits.txt"));

/// A word's dictionary entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// Zipf frequency (log10 per billion words); 0 when only known as a noun form.
    pub zipf: f32,
    /// Whether the word is a form of a Wiktionary noun.
    pub noun: bool,
}

impl Entry {
    /// A `words.fst` value: Zipf * 100, then the noun flag.
    fn from_word_value(v: u64) -> Entry {
        Entry {
            zipf: (v & ZIPF_BITS) as f32 / 100.0,
            noun: v & NOUN_BIT != 0,
        }
    }

    /// The entry in the 18 bits at `shift` of a `parts.values` value, if
    /// present. `build.rs` writes three: for the key itself, for the key
    /// plus `e` and for the key plus `en`, each as (Zipf * 100, noun,
    /// present), so the splitter sees all three at once.
    fn from_part_value(v: u64, shift: u32) -> Option<Entry> {
        let v = v >> shift;
        (v & PRESENT_BIT != 0).then(|| Entry::from_word_value(v & (PRESENT_BIT - 1)))
    }
}

/// The embedded dictionary.
pub struct Dictionary {
    words: Fst<&'static [u8]>,
    /// The words again, and their forms without a final `e` or `en`, for
    /// the splitter's walks (see `build.rs`).
    parts: yada::DoubleArray<&'static [u8]>,
    forms: Fst<&'static [u8]>,
    splits: Fst<&'static [u8]>,
    nosplit: FxHashSet<&'static str>,
}

static DICTIONARY: LazyLock<Dictionary> = LazyLock::new(|| Dictionary {
    words: Fst::new(WORDS).expect("build.rs wrote a valid words.fst"),
    parts: yada::DoubleArray::new(PARTS),
    forms: Fst::new(FORMS).expect("build.rs wrote a valid forms.fst"),
    splits: Fst::new(SPLITS).expect("build.rs wrote a valid splits.fst"),
    nosplit: include_str!("dict/nosplit.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect(),
});

/// The dictionary (opened on first use, without copying).
pub fn dictionary() -> &'static Dictionary {
    &DICTIONARY
}

fn text_value(text: &'static str, v: u64) -> &'static str {
    let (offset, len) = (
        (v >> TEXT_OFFSET_SHIFT) as usize,
        (v & TEXT_LEN_MASK) as usize,
    );
    &text[offset..offset + len]
}

impl Dictionary {
    /// Looks up a normalised word.
    pub fn get(&self, key: &str) -> Option<Entry> {
        self.words
            .get(key)
            .map(|o| Entry::from_word_value(o.value()))
    }

    /// The lemma of an irregular noun form (`zentren` → `zentrum`).
    pub fn lemma(&self, form: &str) -> Option<&'static str> {
        let reversed: Vec<u8> = form.bytes().rev().collect();
        self.forms
            .get(reversed)
            .map(|o| text_value(FORM_TEXT, o.value()))
    }

    /// The part entries of every key that is a prefix of `text`, with the
    /// prefix's length in bytes, shortest first.
    fn part_prefixes<'t>(&'t self, text: &'t [u8]) -> impl Iterator<Item = (u64, usize)> + 't {
        self.parts.common_prefix_search(text).map(|(id, len)| {
            let at = id as usize * 8;
            let bytes = PART_VALUES[at..at + 8].try_into().expect("8 bytes");
            (u64::from_le_bytes(bytes), len)
        })
    }

    fn explicit_split(&self, key: &str) -> Option<Vec<String>> {
        let parts = text_value(SPLIT_TEXT, self.splits.get(key)?.value());
        Some(parts.split('|').map(str::to_string).collect())
    }

    /// Words that can stand in a compound as a part (at least
    /// `MIN_PART_CHARS` letters and `min_zipf` frequent), sorted; for
    /// exporting lupe's dictionary to other engines.
    pub fn part_words(&self, min_zipf: f32, max_chars: usize) -> Vec<String> {
        use fst::Streamer;
        let mut out = Vec::new();
        let mut stream = self.words.stream();
        while let Some((key, value)) = stream.next() {
            let entry = Entry::from_word_value(value.value());
            let Ok(word) = std::str::from_utf8(key) else {
                continue;
            };
            let letters = word.chars().count();
            if entry.zipf >= min_zipf && (MIN_PART_CHARS..=max_chars).contains(&letters) {
                out.push(word.to_string());
            }
        }
        out
    }

    /// Is `key` on the no-split list?
    pub fn is_nosplit(&self, key: &str) -> bool {
        self.nosplit.contains(key)
    }
}

/// How a part's dictionary form relates to its letters in the compound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    /// The letters are the word.
    Exact,
    /// A final `e` was dropped (`Sprach` for `Sprache`).
    PlusE,
    /// The `en` of a verb was dropped (`Lern` for `lernen`).
    PlusEn,
}

impl Base {
    fn suffix(self) -> &'static str {
        match self {
            Base::Exact => "",
            Base::PlusE => "e",
            Base::PlusEn => "en",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Step {
    sum: f32,
    // Byte offsets below MAX_COMPOUND_BYTES: small, so the table that
    // `split` clears for every word is small too.
    from: u8,
    part_end: u8,
    base: Base,
}

/// `best[pos][parts - 1]`: the best way found to cover `word[..pos]` with
/// that many parts.
type Table = [[Option<Step>; MAX_PARTS]; MAX_COMPOUND_BYTES + 1];

/// The parts of a normalised word (lowercase, `ß` as `ss`, umlaut
/// digraphs normalised), in order, as dictionary forms; empty when the word
/// is not split. The head keeps its inflection (`modelle`).
pub fn split(word: &str) -> Vec<String> {
    let dict = dictionary();
    let chars = word.chars().count();
    if chars < MIN_COMPOUND_CHARS || word.len() > MAX_COMPOUND_BYTES || dict.is_nosplit(word) {
        return Vec::new();
    }
    if let Some(parts) = dict.explicit_split(word) {
        return parts;
    }
    // On the stack: this runs for every new long word at ingest.
    let mut best: Table = [[None; MAX_PARTS]; MAX_COMPOUND_BYTES + 1];
    let whole = fill(dict, word, &mut best);
    match choose(&best, word.len(), whole) {
        Some(parts) => backtrack(word, &best, parts),
        None => Vec::new(),
    }
}

/// Fills `best` with every way of cutting `word` into dictionary parts
/// (with linking elements and a dropped `e`/`en`), keeping the highest Zipf
/// sum per end and part count. Returns the whole word's own Zipf.
fn fill(dict: &Dictionary, word: &str, best: &mut Table) -> f32 {
    let bytes = word.as_bytes();
    let n = bytes.len();
    let mut whole = 0.0;
    for start in 0..n {
        if !word.is_char_boundary(start) {
            continue;
        }
        // (parts so far, their Zipf sum) of the ways to reach `start`.
        let mut reached = [(0usize, 0.0f32); MAX_PARTS];
        let mut reached_len = 0;
        if start == 0 {
            reached_len = 1;
        } else {
            for (k, step) in best[start][..MAX_PARTS - 1].iter().enumerate() {
                if let Some(s) = step {
                    reached[reached_len] = (k + 1, s.sum);
                    reached_len += 1;
                }
            }
        }
        if reached_len == 0 {
            continue;
        }
        let reached = &reached[..reached_len];
        for (value, len) in dict.part_prefixes(&bytes[start..]) {
            let end = start + len;
            // Keys are whole UTF-8 words, so `end` is a char boundary.
            let letters = bytes[start..end]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count();
            if letters < MIN_PART_CHARS {
                continue;
            }
            let exact = Entry::from_part_value(value, 0);
            if start == 0 && end == n {
                whole = exact.map_or(0.0, |e| e.zipf);
            }
            // The word with a final "e" (Sprach·e) or a verb's "en" (Lern·en).
            let candidates = [
                exact.map(|e| (Base::Exact, e)),
                Entry::from_part_value(value, PLUS_E_SHIFT)
                    .filter(|_| end < n)
                    .map(|e| (Base::PlusE, e)),
                Entry::from_part_value(value, PLUS_EN_SHIFT)
                    .filter(|_| end < n)
                    .map(|e| (Base::PlusEn, e)),
            ];
            let is_head = end == n;
            for (base, entry) in candidates.into_iter().flatten() {
                let usable = if is_head {
                    base == Base::Exact && entry.noun && entry.zipf >= MIN_HEAD_ZIPF
                } else {
                    entry.zipf >= MIN_MODIFIER_ZIPF
                };
                if !usable || (start == 0 && is_head) {
                    continue;
                }
                for &(parts, sum) in reached {
                    if parts >= MAX_PARTS {
                        continue;
                    }
                    let step = Step {
                        sum: sum + entry.zipf,
                        from: start as u8,
                        part_end: end as u8,
                        base,
                    };
                    let mut relax = |pos: usize| {
                        let slot = &mut best[pos][parts];
                        if slot.is_none_or(|s| s.sum < step.sum) {
                            *slot = Some(step);
                        }
                    };
                    relax(end);
                    if !is_head {
                        for link in LINKS {
                            if word[end..].starts_with(link) && end + link.len() < n {
                                relax(end + link.len());
                            }
                        }
                    }
                }
            }
        }
    }
    whole
}

/// The number of parts of the best split, if it beats the whole word: the
/// parts' mean Zipf, less a penalty per part beyond two.
fn choose(best: &Table, n: usize, whole: f32) -> Option<usize> {
    let mut choice: Option<(f32, usize)> = None;
    for parts in 2..=MAX_PARTS {
        if let Some(step) = best[n][parts - 1] {
            let score = step.sum / parts as f32 - EXTRA_PART_PENALTY * (parts - 2) as f32;
            if choice.is_none_or(|(s, _)| score > s) {
                choice = Some((score, parts));
            }
        }
    }
    choice
        .filter(|&(score, _)| score > whole)
        .map(|(_, parts)| parts)
}

/// The parts of the split with `parts` parts, read back from `best`.
fn backtrack(word: &str, best: &Table, mut parts: usize) -> Vec<String> {
    let n = word.len();
    let mut out = Vec::with_capacity(parts);
    let mut pos = n;
    while parts > 0 {
        let step = best[pos][parts - 1].expect("backtracking follows stored steps");
        let (from, part_end) = (usize::from(step.from), usize::from(step.part_end));
        let mut part = String::with_capacity(part_end - from + 2);
        part.push_str(&word[from..part_end]);
        part.push_str(step.base.suffix());
        out.push(part);
        pos = from;
        parts -= 1;
    }
    out.reverse();
    out
}

/// Replaces an irregular noun form at the end of `word` by its lemma
/// (`rechenzentren` → `rechenzentrum`, `chips` → `chip`), so that Snowball,
/// which only strips regular endings, gives both the same stem. The longest
/// such suffix wins; one walk over the reversed forms from the word's end.
pub fn lemmatize(word: &str) -> Option<String> {
    let fst = &dictionary().forms;
    let bytes = word.as_bytes();
    let mut node = fst.root();
    let mut out = Output::zero();
    let mut letters = 0;
    let mut found: Option<(usize, u64)> = None;
    for start in (0..bytes.len()).rev() {
        let Some(i) = node.find_input(bytes[start]) else {
            break;
        };
        let t = node.transition(i);
        out = out.cat(t.out);
        node = fst.node(t.addr);
        if !word.is_char_boundary(start) {
            continue;
        }
        letters += 1;
        // A suffix must leave a real modifier in front (or nothing).
        if letters >= MIN_FORM_CHARS
            && node.is_final()
            && (start == 0 || word[..start].chars().count() >= MIN_PART_CHARS - 1)
        {
            found = Some((start, out.cat(node.final_output()).value()));
        }
    }
    let (start, value) = found?;
    Some(format!(
        "{}{}",
        &word[..start],
        text_value(FORM_TEXT, value)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(word: &str) -> Vec<String> {
        split(word)
    }

    #[test]
    fn splits_news_compounds() {
        let cases: &[(&str, &[&str])] = &[
            ("sicherheitslücke", &["sicherheit", "lücke"]),
            ("sicherheitslücken", &["sicherheit", "lücken"]),
            ("sprachmodelle", &["sprache", "modelle"]),
            ("chipexporte", &["chip", "exporte"]),
            ("trainingsdaten", &["training", "daten"]),
            ("basismodell", &["basis", "modell"]),
            ("cybersicherheit", &["cyber", "sicherheit"]),
            (
                "vorratsdatenspeicherung",
                &["vorrat", "daten", "speicherung"],
            ),
            ("opensource", &["open", "source"]),
            ("rechenzentren", &["rechen", "zentren"]),
        ];
        for (word, want) in cases {
            assert_eq!(parts(word), *want, "{word}");
        }
    }

    #[test]
    fn keeps_simplex_words_and_verbs_whole() {
        for word in [
            "verbraucher",
            "beinhalten",
            "beinhaltet",
            "modelle",
            "insgesamt",
            "software",
            "entwickler",
        ] {
            assert_eq!(parts(word), Vec::<String>::new(), "{word}");
        }
    }

    /// The splitter's double array and the plain word map come from the
    /// same rows: every word's entry must read the same in both, and its
    /// `e`/`en`-less form must carry it as the `e`/`en` entry.
    #[test]
    fn double_array_agrees_with_the_word_map() {
        use fst::Streamer;
        let dict = dictionary();
        let entry_at = |key: &[u8], shift| {
            dict.part_prefixes(key)
                .find(|&(_, len)| len == key.len())
                .and_then(|(value, _)| Entry::from_part_value(value, shift))
        };
        let mut stream = dict.words.stream();
        let mut checked = 0;
        while let Some((key, value)) = stream.next() {
            checked += 1;
            if checked % 7 != 0 {
                continue;
            }
            let want = Some(Entry::from_word_value(value.value()));
            assert_eq!(entry_at(key, 0), want, "{}", String::from_utf8_lossy(key));
            if let Some(stem) = key.strip_suffix(b"en").filter(|s| !s.is_empty()) {
                assert_eq!(entry_at(stem, PLUS_EN_SHIFT), want);
            }
            if let Some(stem) = key.strip_suffix(b"e").filter(|s| !s.is_empty()) {
                assert_eq!(entry_at(stem, PLUS_E_SHIFT), want);
            }
        }
        assert!(checked > 200_000, "{checked} words");
        assert!(entry_at("lücke".as_bytes(), 0).is_some_and(|e| e.noun));
        assert!(entry_at("lück".as_bytes(), PLUS_E_SHIFT).is_some());
    }

    #[test]
    fn irregular_forms_lemmatize() {
        assert_eq!(lemmatize("rechenzentren").as_deref(), Some("rechenzentrum"));
        assert_eq!(lemmatize("zentren").as_deref(), Some("zentrum"));
        assert_eq!(lemmatize("chips").as_deref(), Some("chip"));
        assert_eq!(lemmatize("daten"), None);
        assert_eq!(lemmatize("modell"), None);
    }
}
