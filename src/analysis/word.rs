//! From one surface word to its index terms: normalise, drop stop words,
//! stem, fold.
//!
//! Every step is a small pure function so that each can be tested on its own
//! and the whole chain can be cached per word (see [`super::Analyzer`]). The
//! order matters and is the same on both sides:
//!
//! 1. acronym `s` (needs the original case): `KIs`, `OpenAIs` → `KI`, `OpenAI`;
//! 2. lowercase;
//! 3. umlaut digraphs (`ae/oe/ue` → `ä/ö/ü`, the Snowball "german2" rule), so
//!    `Mueller` meets `Müller` on a keyboard without umlauts;
//! 4. feminine forms (`-erin`, `-erinnen`, `-innen`) → the base noun;
//! 5. stop list (stored in the same normalised spelling);
//! 6. compound splitting (index side only, see [`super::decompound`]);
//! 7. stemming with rust-stemmers' Snowball German, except for nouns in
//!    `-heit/-keit` (Snowball cuts `Sicherheit` down to `sich`, the stem of
//!    the adverb `sicher`, which would make the core topic of this tool
//!    imprecise) and words with digits (model names, years);
//! 8. folding of remaining accents (`é` → `e`).

use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Tokens longer than this many bytes are dropped. Real German compounds
/// reach about 80 letters ("Donaudampfschifffahrts…"); anything longer is
/// base64, a URL fragment or garbage, and tantivy cannot index terms past
/// 64 KiB at all.
pub const MAX_WORD_BYTES: usize = 160;

/// What turned a surface word into a term; shown by `lupe analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A word, Snowball-stemmed.
    Stem,
    /// A `-heit`/`-keit` noun kept whole (only its plural ending removed).
    Protected,
    /// A word with digits, kept as written (lowercased and folded).
    Verbatim,
    /// The joined spelling of a hyphen compound (`Open-Source` → `opensource`).
    HyphenJoin,
    /// A part of a closed compound (`Sicherheitslücke` → `lücke`).
    CompoundPart,
    /// A word written in capitals (`KI`, `EU`, `LLM`), also indexed as the
    /// acronym, in capitals: the query `KI` finds it and not "Ki-moon".
    Acronym,
}

impl Rule {
    /// Short name used in `lupe analyze` output.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Stem => "stem",
            Rule::Protected => "protected",
            Rule::Verbatim => "verbatim",
            Rule::HyphenJoin => "hyphen-join",
            Rule::CompoundPart => "compound-part",
            Rule::Acronym => "acronym",
        }
    }
}

/// Normalisations that fired on a word, as bit flags (for `lupe analyze`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Notes(u8);

impl Notes {
    /// `KIs` → `KI`.
    pub const ACRONYM_S: Notes = Notes(1);
    /// `ue` → `ü` and friends.
    pub const DIGRAPH: Notes = Notes(2);
    /// `Entwicklerinnen` → `Entwickler`.
    pub const FEMININE: Notes = Notes(4);
    /// Accents other than umlauts were folded (`é` → `e`).
    pub const FOLDED: Notes = Notes(8);
    /// An irregular noun form was replaced by its lemma (`Zentren` → `Zentrum`).
    pub const LEMMA: Notes = Notes(16);

    const NAMES: [(Notes, &'static str); 5] = [
        (Notes::ACRONYM_S, "acronym-s"),
        (Notes::DIGRAPH, "umlaut-digraph"),
        (Notes::FEMININE, "feminine-form"),
        (Notes::FOLDED, "accent-fold"),
        (Notes::LEMMA, "irregular-plural"),
    ];

    fn set(&mut self, other: Notes) {
        self.0 |= other.0;
    }

    /// These flags plus `other`.
    pub fn with(mut self, other: Notes) -> Notes {
        self.set(other);
        self
    }

    /// The names of the flags that are set.
    pub fn names(self) -> Vec<&'static str> {
        Notes::NAMES
            .iter()
            .filter(|(flag, _)| self.0 & flag.0 != 0)
            .map(|&(_, name)| name)
            .collect()
    }
}

/// The words of `stopwords_de.txt` as written, in file order.
fn stop_list() -> impl Iterator<Item = &'static str> {
    include_str!("stopwords_de.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

static STOP_WORDS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    stop_list()
        .map(|w| normalize_digraphs(&w.to_lowercase()).0)
        .collect()
});

/// The stop list as written (lowercase, with umlauts), sorted.
pub fn stop_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = stop_list().collect();
    words.sort_unstable();
    words
}

/// Is `word` (lowercased and digraph-normalised) a stop word?
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(word)
}

/// The stop word that `surface` is, in the stop list's spelling, or `None`
/// when the word is not dropped as one (for `lupe analyze`, which shows
/// the words the analysis drops).
pub fn stop_word(surface: &str) -> Option<String> {
    if surface.len() > MAX_WORD_BYTES {
        return None;
    }
    let surface = strip_acronym_s(surface).unwrap_or(surface);
    let (lower, _) = fold_foreign_accents(surface.to_lowercase());
    let (text, _) = normalize_digraphs(&lower);
    is_stop_word(&text).then_some(text)
}

/// `KIs`, `OpenAIs`, `GPUs`: an `s` after a capital letter is a plural or
/// genitive ending that Snowball keeps after vowels. Needs the original case.
pub fn strip_acronym_s(word: &str) -> Option<&str> {
    let stem = word.strip_suffix('s')?;
    let last = stem.chars().next_back()?;
    (last.is_uppercase() && stem.chars().count() >= 2).then_some(stem)
}

/// Letters an acronym has at least and at most: `KI` to `NVIDIA`-length
/// names are acronyms; a longer word in capitals is shouting, not one.
const ACRONYM_LETTERS: std::ops::RangeInclusive<usize> = 2..=5;

/// `KI`, `EU`, `IT`, `USA`, `LLM`, `GPUs`: a word of two to five letters
/// written in capitals (a plural or genitive `s` after them allowed). Needs
/// the original case.
pub fn is_acronym(surface: &str) -> bool {
    acronym_letters(surface).is_some()
}

/// The letters of an acronym (`KIs` → `KI`), when `surface` is one.
pub fn acronym_letters(surface: &str) -> Option<&str> {
    let word = strip_acronym_s(surface).unwrap_or(surface);
    (ACRONYM_LETTERS.contains(&word.chars().count())
        && word.chars().all(|c| c.is_alphabetic() && c.is_uppercase()))
    .then_some(word)
}

/// `Startups`, `Apps`, `Laptops`, `Backups`: English plurals in German
/// text whose `s` Snowball keeps (it drops an `s` only after b, d, f, g, h,
/// k, l, m, n, r, t). German words end in `-ups`, `-pps` or `-ops` rarely
/// (`Stopps`, `Klops`), and losing their `s` is harmless.
pub fn strip_english_plural(word: &str) -> Option<&str> {
    (word.len() >= 4 && (word.ends_with("ups") || word.ends_with("pps") || word.ends_with("ops")))
        .then(|| &word[..word.len() - 1])
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ö' | 'ü')
}

/// Snowball "german2": `ae`, `oe`, `ue` → `ä`, `ö`, `ü`, except `ue` after a
/// vowel (`Feuer`, `Bauer`, `neue`) or after `q` (`Quelle`). Input is lowercase.
pub fn normalize_digraphs(word: &str) -> (String, bool) {
    if !word.contains("ae") && !word.contains("oe") && !word.contains("ue") {
        return (word.to_string(), false);
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if i + 1 < chars.len() && chars[i + 1] == 'e' {
            let prev = (i > 0).then(|| chars[i - 1]);
            let replacement = match c {
                'a' => Some('ä'),
                'o' => Some('ö'),
                'u' if !prev.is_some_and(|p| is_vowel(p) || p == 'q') => Some('ü'),
                _ => None,
            };
            if let Some(r) = replacement {
                out.push(r);
                changed = true;
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    (out, changed)
}

/// Feminine and gender-inclusive forms → the base noun, so `Entwickler`
/// finds `Entwicklerinnen` and `EntwicklerInnen` (already lowercased here).
/// `-innen` needs four letters before it, which keeps `gewinnen`, `beginnen`
/// and `Spinnen` intact; singular `-in` is only taken after `er`
/// (`Entwicklerin`), never in `Benzin` or `Termin`.
pub fn strip_feminine(word: &str) -> Option<&str> {
    if let Some(base) = word
        .strip_suffix("erinnen")
        .or_else(|| word.strip_suffix("erin"))
        && base.chars().count() >= 3
    {
        return Some(&word[..base.len() + 2]);
    }
    let base = word.strip_suffix("innen")?;
    (base.chars().count() >= 4).then_some(base)
}

/// Suffixes of nouns that Snowball over-stems (`Sicherheit` → `sich`).
const PROTECTED_SUFFIXES: [(&str, usize); 6] = [
    ("heiten", 2),
    ("keiten", 2),
    ("heits", 1),
    ("keits", 1),
    ("heit", 0),
    ("keit", 0),
];

/// Snowball's own umlaut and ß handling, for words that bypass the stemmer.
fn fold_umlauts(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            _ => out.push(c),
        }
    }
    out
}

/// Removes accents other than the umlauts and ß (`é`, `ñ`, `ł`), so that
/// `Café` and `Cafe` meet; runs before the stemmer, which treats `é` as a
/// consonant. ASCII words return unchanged.
pub fn fold_foreign_accents(word: String) -> (String, bool) {
    fold(word, true)
}

/// Removes all accents, umlauts included (`ä` → `a`, `ß` → `ss`).
pub fn fold_accents(word: String) -> (String, bool) {
    fold(word, false)
}

fn fold(word: String, keep_german: bool) -> (String, bool) {
    if word.is_ascii() {
        return (word, false);
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ä' | 'ö' | 'ü' | 'ß' if keep_german => out.push(c),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' => out.push('d'),
            c if c.is_ascii() => out.push(c),
            c => decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            }),
        }
    }
    let changed = out != word;
    (out, changed)
}

/// The stemming step: Snowball German, with the protections described in
/// the module docs. Input is lowercase and normalised.
pub struct Stemmer {
    snowball: rust_stemmers::Stemmer,
}

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer {
            snowball: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::German),
        }
    }
}

impl Stemmer {
    /// Stems one normalised word and says which rule applied.
    pub fn stem(&self, word: &str) -> (String, Rule) {
        if word.chars().any(|c| c.is_numeric()) {
            return (fold_umlauts(word), Rule::Verbatim);
        }
        for (suffix, cut) in PROTECTED_SUFFIXES {
            if word.len() > suffix.len() + 2 && word.ends_with(suffix) {
                return (fold_umlauts(&word[..word.len() - cut]), Rule::Protected);
            }
        }
        (self.snowball.stem(word).into_owned(), Rule::Stem)
    }
}

/// One surface word, normalised up to (not including) stemming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// Lowercase, digraph-normalised, feminine forms reduced.
    pub text: String,
    /// Which normalisations fired.
    pub notes: Notes,
}

/// Steps 1–5 of the module docs, with foreign accents folded. Returns `None` for stop words and for
/// words too long to be words.
pub fn normalize(surface: &str) -> Option<Normalized> {
    if surface.len() > MAX_WORD_BYTES || surface.is_empty() {
        return None;
    }
    let mut notes = Notes::default();
    let surface = match strip_acronym_s(surface) {
        Some(s) => {
            notes.set(Notes::ACRONYM_S);
            s
        }
        None => surface,
    };
    let lower = surface.to_lowercase();
    let (lower, folded) = fold_foreign_accents(lower);
    if folded {
        notes.set(Notes::FOLDED);
    }
    if lower.is_empty() {
        // A "word" of combining marks only (a lone U+05B0) folds to nothing.
        return None;
    }
    let (mut text, changed) = normalize_digraphs(&lower);
    if changed {
        notes.set(Notes::DIGRAPH);
    }
    if is_stop_word(&text) {
        return None;
    }
    if let Some(base) = strip_feminine(&text) {
        text.truncate(base.len());
        notes.set(Notes::FEMININE);
    }
    if let Some(singular) = strip_english_plural(&text) {
        text.truncate(singular.len());
    }
    // The dictionary spells ß as ss (so does Snowball's stemmer).
    if text.contains('ß') {
        text = text.replace('ß', "ss");
    }
    Some(Normalized { text, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(word: &str) -> Option<String> {
        let n = normalize(word)?;
        let (stem, _) = Stemmer::default().stem(&n.text);
        Some(fold_accents(stem).0)
    }

    #[test]
    fn stop_words_include_modern_spellings() {
        for w in [
            "dass", "Dass", "daß", "muss", "über", "ueber", "für", "fuer", "und",
        ] {
            assert_eq!(term(w), None, "{w} should be a stop word");
        }
    }

    #[test]
    fn inflection_conflates() {
        let same = [
            ["Sicherheitslücke", "Sicherheitslücken"],
            ["Modell", "Modelle"],
            ["Modellen", "Modells"],
            ["Straße", "Strasse"],
            ["Häuser", "Hauser"],
        ];
        for [a, b] in same {
            assert_eq!(term(a), term(b), "{a} / {b}");
        }
    }

    #[test]
    fn digraphs_meet_umlauts() {
        for [a, b] in [
            ["Müller", "Mueller"],
            ["größer", "groesser"],
            ["Sicherheitslücke", "Sicherheitsluecke"],
            ["Ärzte", "Aerzte"],
        ] {
            assert_eq!(term(a), term(b), "{a} / {b}");
        }
        // u between vowels and after q is not a digraph.
        assert_eq!(normalize_digraphs("feuer").0, "feuer");
        assert_eq!(normalize_digraphs("quelle").0, "quelle");
        assert_eq!(normalize_digraphs("neue").0, "neue");
    }

    #[test]
    fn uber_is_not_uber() {
        assert_eq!(term("Uber").as_deref(), Some("uber"));
        assert_eq!(term("über"), None);
    }

    #[test]
    fn feminine_forms() {
        let base = term("Entwickler");
        for w in [
            "Entwicklerinnen",
            "EntwicklerInnen",
            "Entwicklerin",
            "Entwickler",
        ] {
            assert_eq!(term(w), base, "{w}");
        }
        assert_eq!(term("Expertinnen"), term("Experten"));
        for keep in ["gewinnen", "beginnen", "Benzin", "Termin", "LinkedIn"] {
            assert!(
                !normalize(keep)
                    .unwrap()
                    .notes
                    .names()
                    .contains(&"feminine-form"),
                "{keep}"
            );
        }
    }

    #[test]
    fn acronyms_and_english_plurals() {
        for w in ["KI", "EU", "IT", "USA", "LLM", "KIs", "GPUs", "ÖVP"] {
            assert!(is_acronym(w), "{w}");
        }
        for w in [
            "Ki",
            "it",
            "Eu",
            "K",
            "NVIDIAS",
            "EILMELDUNG",
            "GPT4",
            "Ki-",
        ] {
            assert!(!is_acronym(w), "{w}");
        }
        assert_eq!(term("Startups"), term("Startup"));
        assert_eq!(term("Apps"), term("App"));
        assert_eq!(term("Laptops"), term("Laptop"));
        assert_eq!(term("Chatbots"), term("Chatbot"));
        assert_eq!(term("Tokens"), term("Token"));
        assert_eq!(term("Deepfakes"), term("Deepfake"));
    }

    #[test]
    fn acronym_s() {
        assert_eq!(term("KIs"), term("KI"));
        assert_eq!(term("OpenAIs"), term("OpenAI"));
        assert_eq!(term("GPUs"), term("GPU"));
        assert_eq!(strip_acronym_s("Haus"), None);
        assert_eq!(strip_acronym_s("Is"), None);
    }

    #[test]
    fn sicherheit_is_not_sicher() {
        assert_ne!(term("Sicherheit"), term("sicher"));
        assert_eq!(term("Sicherheit"), term("Sicherheiten"));
        assert_eq!(term("Sicherheits"), term("Sicherheit"));
        assert_eq!(term("Möglichkeit").as_deref(), Some("moglichkeit"));
    }

    #[test]
    fn numbers_and_long_words() {
        assert_eq!(term("2025").as_deref(), Some("2025"));
        assert_eq!(term("4o").as_deref(), Some("4o"));
        assert_eq!(term(&"a".repeat(MAX_WORD_BYTES + 1)), None);
        assert!(term("Datenschutzgrundverordnungsänderungsgesetz").is_some());
    }

    #[test]
    fn accents_fold() {
        assert_eq!(term("Café"), term("Cafe"));
        assert_eq!(fold_accents("señor".into()).0, "senor");
    }
}
