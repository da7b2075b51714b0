//! Compiles the German dictionary (src/analysis/dict/*.tsv, plain text under
//! review in git) into finite-state maps that the binary embeds. Looking a
//! word up then needs no start-up work, which keeps one-shot queries fast.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

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

/// A map from key to (offset << 16 | length) into a text blob of values.
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
        entries.insert(key, offset << 16 | value.len() as u64);
    }
    write_map(out, &format!("{name}.fst"), &entries);
    fs::write(out.join(format!("{name}.txt")), blob).expect("writing blob");
}

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut words = BTreeMap::new();
    for row in lines("words.tsv") {
        let zipf: u64 = row[1].parse().expect("zipf*100 is an integer");
        let noun = u64::from(row[2] == "n");
        words.insert(row[0].clone().into_bytes(), zipf | noun << 16);
    }
    write_map(&out, "words.fst", &words);
    write_text_map(&out, "forms", &lines("forms.tsv"), true);
    write_text_map(&out, "splits", &lines("splits.tsv"), false);
}
