//! Compiles the German dictionary (src/analysis/dict/*.tsv, plain text under
//! review in git) into finite-state maps and a double-array trie that the
//! binary embeds. Looking a word up then needs no start-up work, which keeps
//! one-shot queries fast.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

#[path = "src/analysis/dict/layout.rs"]
mod layout;
use layout::{
    NOUN_BIT, PLUS_E_SHIFT, PLUS_EN_SHIFT, PRESENT_BIT, TEXT_LEN_MASK, TEXT_OFFSET_SHIFT, ZIPF_BITS,
};

const DICT: &str = "src/analysis/dict";

fn lines(name: &str) -> Vec<Vec<String>> {
    let path = Path::new(DICT).join(name);
    println!("cargo:rerun-if-changed={}", path.display());
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn write_map(out: &Path, name: &str, entries: &BTreeMap<Vec<u8>, u64>) {
    let file = fs::File::create(out.join(name)).expect("creating fst file");
    let mut builder = fst::MapBuilder::new(BufWriter::new(file)).expect("fst builder");
    for (key, value) in entries {
        builder.insert(key, *value).expect("sorted, unique keys");
    }
    builder.finish().expect("writing fst");
}

/// A map from key to (offset, length) into a text blob of values.
/// With `reversed`, the keys are stored byte-reversed, so that a word's
/// suffixes can be found in one walk from its end.
fn write_text_map(out: &Path, name: &str, rows: &[Vec<String>], reversed: bool) {
    let mut blob = String::new();
    let mut entries = BTreeMap::new();
    for row in rows {
        let (key, value) = (&row[0], &row[1]);
        let offset = blob.len() as u64;
        blob.push_str(value);
        let key: Vec<u8> = if reversed {
            key.bytes().rev().collect()
        } else {
            key.clone().into_bytes()
        };
        assert!(
            value.len() as u64 <= TEXT_LEN_MASK,
            "value fits its length bits"
        );
        entries.insert(key, offset << TEXT_OFFSET_SHIFT | value.len() as u64);
    }
    write_map(out, &format!("{name}.fst"), &entries);
    fs::write(out.join(format!("{name}.txt")), blob).expect("writing blob");
}

/// Every word, plus every word's form without a final `e` or `en`, keyed to
/// the entries of the word itself and of its forms with `e` and `en`. The
/// compound splitter thus finds `sprach` (for `Sprach·modell`) on its one walk
/// through the word, instead of trying an `e` and an `en` at every letter.
/// `words` maps each word to its `words.fst` value (Zipf, noun flag), which
/// is the low part of an entry.
fn word_entries(words: &BTreeMap<Vec<u8>, u64>) -> BTreeMap<Vec<u8>, u64> {
    let mut entries: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for (key, value) in words {
        let entry = value | PRESENT_BIT;
        *entries.entry(key.clone()).or_default() |= entry;
        if let Some(stem) = key.strip_suffix(b"en") {
            *entries.entry(stem.to_vec()).or_default() |= entry << PLUS_EN_SHIFT;
        }
        if let Some(stem) = key.strip_suffix(b"e") {
            *entries.entry(stem.to_vec()).or_default() |= entry << PLUS_E_SHIFT;
        }
    }
    entries
}

/// A double-array trie (`NAME.da`) whose values index a table of distinct
/// u64 values (`NAME.values`, little-endian): the trie walks far faster
/// than an fst, and the table keeps the trie's 31-bit values small.
fn write_double_array(out: &Path, name: &str, entries: &BTreeMap<Vec<u8>, u64>) {
    let mut values: Vec<u64> = entries.values().copied().collect();
    values.sort_unstable();
    values.dedup();
    let keyset: Vec<(&[u8], u32)> = entries
        .iter()
        .map(|(key, value)| {
            assert!(!key.contains(&0), "no NUL in dictionary keys");
            let id = values.binary_search(value).expect("value in table");
            (
                key.as_slice(),
                u32::try_from(id).expect("fewer than 2^31 values"),
            )
        })
        .filter(|(key, _)| !key.is_empty())
        .collect();
    let trie = yada::builder::DoubleArrayBuilder::build(&keyset).expect("double array builds");
    fs::write(out.join(format!("{name}.da")), trie).expect("writing double array");
    let table: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    fs::write(out.join(format!("{name}.values")), table).expect("writing value table");
}

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src/analysis/dict/layout.rs");
    let mut words = BTreeMap::new();
    for row in lines("words.tsv") {
        let zipf: u64 = row[1].parse().expect("zipf*100 is an integer");
        assert!(zipf <= ZIPF_BITS, "zipf*100 fits 16 bits");
        let noun = if row[2] == "n" { NOUN_BIT } else { 0 };
        words.insert(row[0].clone().into_bytes(), zipf | noun);
    }
    write_map(&out, "words.fst", &words);
    write_double_array(&out, "parts", &word_entries(&words));
    write_text_map(&out, "forms", &lines("forms.tsv"), true);
    write_text_map(&out, "splits", &lines("splits.tsv"), false);
}
