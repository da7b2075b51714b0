#!/usr/bin/env python3
"""Derive lupe's German dictionary from the CC BY-SA word lists.

Reads (never at build time; run by hand when the dictionary should change):
  LEXICON/de_wordfreq.tsv          wordfreq 3.1.1, large_de (CC BY-SA 4.0)
  LEXICON/de_nouns_wiktionary.tsv  german-nouns 1.2.5 from Wiktionary (CC BY-SA 4.0)
Writes, next to this script:
  words.tsv   key, Zipf frequency x 100, flags ('n' = a noun form)
  forms.tsv   noun form -> lemma, only where Snowball German stems differ
              (Zentren -> Zentrum, Chips -> Chip, Viren -> Virus)
  splits.tsv  explicit splits from multi-word Wiktionary lemmas (Open Source)
The derived files are CC BY-SA 4.0 like their sources (see README.md here).

Keys use lupe's normalisation (src/analysis/word.rs): lowercase, ß -> ss,
and the umlaut digraph rule (ae/oe/ue -> ä/ö/ü unless u follows a vowel or q).
A Rust unit test checks that every key is a fixed point of that rule.

Reproducible: the inputs are checked against the SHA-256 sums below and the
stemmer must be PyStemmer 3.0.0 (pip install PyStemmer==3.0.0), so the same
inputs always give byte-identical files. `--check` regenerates into a scratch
folder and compares with the committed files (exit 1 on any difference).

Usage: make_dictionary.py [--check] ../shared/lexicon
"""
import filecmp
import hashlib
import importlib.metadata
import re
import sys
import tempfile
from pathlib import Path

# The exact inputs the committed files were made from (wordfreq 3.1.1 large_de,
# german-nouns 1.2.5), as laid out in ../shared/lexicon.
SOURCES = {
    "de_wordfreq.tsv": "1d18be3565d8a2ba22be9596da408d70a0f4105db8677d56c031dfc23327ef05",
    "de_nouns_wiktionary.tsv": "fa85af931c6ffe6e0cbc9b6b336dd6748b630855c0da90f46a1b48812e8d4956",
}
# forms.tsv depends on the Snowball German stems; another PyStemmer release may
# ship another Snowball and silently change which irregular forms are kept.
PYSTEMMER = "3.0.0"
OUTPUTS = ("words.tsv", "forms.tsv", "splits.tsv")

# Words below this frequency are too rare to be trusted as compound parts;
# noun forms are kept down to the end of the list (Zipf 1.0), since a noun
# head ("…speicherung") must be recognised as a noun.
MIN_ZIPF = 2.0
LETTERS = re.compile(r"^[a-zäöü]+$")
VOWELS = set("aeiouyäöü")


def digraphs(word: str) -> str:
    out = []
    i = 0
    while i < len(word):
        c = word[i]
        if i + 1 < len(word) and word[i + 1] == "e":
            prev = word[i - 1] if i > 0 else None
            rep = None
            if c == "a":
                rep = "ä"
            elif c == "o":
                rep = "ö"
            elif c == "u" and not (prev is not None and (prev in VOWELS or prev == "q")):
                rep = "ü"
            if rep:
                out.append(rep)
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def normalize(word: str) -> str:
    return digraphs(word.casefold())


def check_inputs(lexicon: Path) -> None:
    for name, want in SOURCES.items():
        got = hashlib.sha256((lexicon / name).read_bytes()).hexdigest()
        if got != want:
            sys.exit(f"{lexicon / name}: SHA-256 {got}, expected {want} (another version of the list?)")
    try:
        have = importlib.metadata.version("PyStemmer")
    except importlib.metadata.PackageNotFoundError:
        have = "none"
    if have != PYSTEMMER:
        sys.exit(f"PyStemmer {have} installed, {PYSTEMMER} required: pip install PyStemmer=={PYSTEMMER}")


def main() -> None:
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    lexicon = Path(args[0] if args else "../shared/lexicon")
    here = Path(__file__).resolve().parent
    check_inputs(lexicon)
    if not check:
        generate(lexicon, here)
        return
    with tempfile.TemporaryDirectory() as scratch:
        generate(lexicon, Path(scratch))
        differ = [n for n in OUTPUTS if not filecmp.cmp(Path(scratch) / n, here / n, shallow=False)]
    if differ:
        sys.exit(f"regenerated dictionary differs from the committed one: {', '.join(differ)}")
    print("dictionary reproduces byte for byte: " + ", ".join(OUTPUTS), file=sys.stderr)


def generate(lexicon: Path, here: Path) -> None:
    import Stemmer

    stem = Stemmer.Stemmer("german").stemWord

    zipf: dict[str, float] = {}
    with open(lexicon / "de_wordfreq.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            word, z = line.rstrip("\n").split("\t")
            z = float(z)
            key = normalize(word)
            if len(key) >= 2 and LETTERS.match(key):
                zipf[key] = max(zipf.get(key, 0.0), z)

    lemmas: set[str] = set()
    nouns: list[tuple[str, list[str]]] = []
    splits: dict[str, list[str]] = {}
    with open(lexicon / "de_nouns_wiktionary.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or "Substantiv" not in cols[1] or "Affix" in cols[1]:
                continue
            lemma, forms = cols[0], [x for x in cols[3].split("|") if x]
            if lemma.startswith("-"):
                continue
            words = lemma.split(" ")
            if len(words) == 2 and all(LETTERS.match(normalize(w)) for w in words):
                for form in forms:
                    parts = [normalize(p) for p in form.split(" ")]
                    if len(parts) == 2 and all(len(p) >= 2 and LETTERS.match(p) for p in parts):
                        splits["".join(parts)] = parts
                continue
            if " " in lemma or not LETTERS.match(normalize(lemma)):
                continue
            lemmas.add(normalize(lemma))
            nouns.append((normalize(lemma), [normalize(x) for x in forms if LETTERS.match(normalize(x))]))

    noun_forms: set[str] = set()
    forms_map: dict[str, str] = {}
    for lemma, forms in nouns:
        noun_forms.add(lemma)
        noun_forms.update(forms)
        for form in forms:
            if form == lemma or form in lemmas or form in forms_map or form not in zipf:
                continue
            if stem(form) != stem(lemma):
                forms_map[form] = lemma

    keys = {k for k, z in zipf.items() if z >= MIN_ZIPF} | (noun_forms & set(zipf))
    header = (
        "# Derived from wordfreq 3.1.1 (large_de) and german-nouns 1.2.5 (Wiktionary),\n"
        "# both CC BY-SA 4.0; this file is CC BY-SA 4.0 too. Made by make_dictionary.py.\n"
    )
    with open(here / "words.tsv", "w", encoding="utf-8") as out:
        out.write(header + "# key\tzipf*100 (0 = not in wordfreq)\tflags (n = noun form)\n")
        for key in sorted(keys):
            if len(key) < 2:
                continue
            flags = "n" if key in noun_forms else "-"
            out.write(f"{key}\t{round(zipf.get(key, 0.0) * 100)}\t{flags}\n")
    with open(here / "forms.tsv", "w", encoding="utf-8") as out:
        out.write(header + "# noun form\tlemma (only where their Snowball stems differ)\n")
        for form in sorted(forms_map):
            out.write(f"{form}\t{forms_map[form]}\n")
    with open(here / "splits.tsv", "w", encoding="utf-8") as out:
        out.write(header + "# key\tparts (from multi-word Wiktionary lemmas)\n")
        for key in sorted(splits):
            out.write(f"{key}\t{'|'.join(splits[key])}\n")
    print(f"words {len(keys)}, forms {len(forms_map)}, splits {len(splits)}", file=sys.stderr)


if __name__ == "__main__":
    main()
