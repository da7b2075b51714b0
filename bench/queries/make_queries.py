#!/usr/bin/env python3
"""Derive German keyword queries from the dewiki_klexikon corpus.

    python3 bench/queries/make_queries.py [CORPUS.jsonl] [OUT.txt]

Defaults: $SHARED/corpora/dewiki_klexikon.jsonl (SHARED defaults to ../shared,
relative to the repository root) and bench/queries/dewiki.txt.

Every query is a short keyword string (1-4 words) built from an article's
title, its section headings and its salient words, so that each query has at
least one answering article in the corpus. No sentence of the corpus is
copied: a query is a title and/or one or two single words. The output is
deterministic (fixed seed, articles in file order, stable tie-breaks).

Templates (chosen per article with fixed weights):
  title            the title alone                          "Vierwaldstättersee"
  title+word       title + a salient word of the article    "Amsel Gesang"
  title+heading    title + a topical section heading        "Donau Schifffahrt"
  two words        the article's two most salient words     "Hochofen Roheisen"
  compound         one long salient compound                "Eisenerzvorkommen"
  word+word-form   a salient word as it is inflected in the text (plural,
                   genitive) plus the title's head word     "Vulkane Island"
A share of queries is lower-cased, as people type them.
"""

import collections
import json
import math
import os
import random
import re
import sys

SEED = 20250301
TARGET = 1500

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Our own short list of German function words and of words too generic to
# be a search term in an encyclopedia (not the shared stop list).
STOP = set(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen
    anderer anderes auch auf aus bei beim bereits besonders bis bisher bzw da dabei
    dadurch dafür dagegen daher damals damit danach dann daran darauf darin darüber
    darunter das dass davon dazu dem den denen denn der deren derer des dessen die
    dies diese diesem diesen dieser dieses doch dort durch ebenfalls ein eine einem
    einen einer eines einige einigen einiger einmal er es etwa etwas euch für gab
    gegen gibt habe haben hat hatte hatten heute hier hin ihm ihn ihnen ihr ihre
    ihrem ihren ihrer ihres im immer in ins insbesondere ist ja je jedoch jedem jeden
    jeder jedes jetzt kam kann kein keine keinem keinen keiner konnte konnten können
    man mehr mehrere meist meisten mit muss musste nach nachdem neben nicht noch nun
    nur ob oder ohne rund schon sehr sei seien sein seine seinem seinen seiner seines
    seit selbst sich sie sind so sogar solche sollte sondern sowie später statt
    über um und uns unter viel viele vielen vom von vor während war waren warum was
    weil weitere weiteren weiterer weiteres welche welchem welchen welcher wenig
    wenige wenn wer werden wie wieder wird wo wurde wurden zu zum zur zwar zwei
    zwischen drei vier fünf sechs sieben acht neun zehn erste ersten erster zweite
    zweiten dritte jahr jahre jahren jahrhundert jahrhunderts jahrhunderte teil teile
    teilen zeit beispiel name namen begriff form formen weise art arten fall fälle
    seite seiten ende anfang mitte grund zahl reihe rahmen bereich bereiche bereichen
    prozent millionen million milliarden stelle stellen folge folgen laufe menschen
    einzelnachweise literatur weblinks siehe sonstiges allgemeines anmerkungen
    quellen überblick übersicht
    """.split()
)

GENERIC_HEADINGS = {
    "weblinks", "literatur", "einzelnachweise", "siehe auch", "anmerkungen",
    "quellen", "sonstiges", "allgemeines", "überblick", "übersicht", "belege",
    "fußnoten", "rezeption", "trivia", "leben", "werk", "werke", "filme", "film",
}

WORD = re.compile(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüßéèáàóç]+(?:-[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüßéèáàóç]+)*")


def clean_title(title):
    """The title as a user would type it: no parenthesised qualifier, no
    punctuation except hyphens."""
    t = re.sub(r"\s*\(.*?\)", "", title)
    t = re.sub(r"[^\w\- ]", " ", t)
    return " ".join(t.split())


def is_heading(paragraph):
    p = paragraph.strip()
    return 0 < len(p) < 50 and not p.endswith((".", ":", "!", "?", ";", ",")) and "\n" not in p


def main():
    shared = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(shared, "corpora", "dewiki_klexikon.jsonl")
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "dewiki.txt")

    articles = []
    df = collections.Counter()  # document frequency of lower-cased words
    lower_seen = collections.Counter()  # how often a word is written lower-case
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            title = clean_title(doc.get("title") or "")
            if not title:
                continue
            body = doc.get("body") or ""
            paragraphs = body.split("\n\n")
            headings = [p.strip() for p in paragraphs if is_heading(p)]
            tf = collections.Counter()
            forms = collections.defaultdict(collections.Counter)
            for p in paragraphs:
                if is_heading(p):
                    continue
                for m in WORD.finditer(p):
                    w = m.group(0)
                    if w[0].islower():
                        lower_seen[w] += 1
                        continue
                    key = w.lower()
                    tf[key] += 1
                    forms[key][w] += 1
            df.update(tf.keys())
            articles.append((title, headings, tf, forms))

    n_docs = len(articles)
    rng = random.Random(SEED)

    def salient(title, tf, forms, k=8):
        """Capitalised (noun-like) words, ranked by tf-idf; not in the title,
        not a stop word, not mostly written lower-case (sentence starts)."""
        title_words = {w.lower() for w in title.split()}
        scored = []
        for key, count in tf.items():
            if count < 3 or len(key) < 4 or key in STOP or key in title_words:
                continue
            if any(key.startswith(t[:5]) or t.startswith(key[:5]) for t in title_words if len(t) >= 5):
                continue  # an inflection of the title word
            if lower_seen[key] > count:  # an adjective or verb at sentence start
                continue
            score = count * math.log(n_docs / df[key])
            scored.append((-score, key))
        scored.sort()
        return [key for _, key in scored[:k]]

    def surface(forms, key, inflected=False):
        """The most frequent spelling of a word, or (inflected) its second
        most frequent one (a plural or genitive form), when there is one."""
        ranked = sorted(forms[key].items(), key=lambda kv: (-kv[1], kv[0]))
        if inflected and len(ranked) > 1 and ranked[1][1] >= 2:
            return ranked[1][0]
        return ranked[0][0]

    templates = [
        ("title", 14),
        ("title+word", 34),
        ("title+heading", 16),
        ("two words", 16),
        ("compound", 8),
        ("inflected", 12),
    ]
    names = [t for t, _ in templates]
    weights = [w for _, w in templates]

    queries = []
    seen = set()
    order = list(range(n_docs))
    rng.shuffle(order)
    for i in order:
        title, headings, tf, forms = articles[i]
        words = salient(title, tf, forms)
        kind = rng.choices(names, weights)[0]
        title_words = title.split()
        q = None
        if kind == "title" or (not words and kind != "title+heading"):
            q = title
        elif kind == "title+word":
            if len(title_words) <= 3:
                q = f"{title} {surface(forms, rng.choice(words[:4]))}"
            else:
                q = title
        elif kind == "title+heading":
            topical = [
                h for h in headings
                if h.lower() not in GENERIC_HEADINGS
                and len(h.split()) == 1
                and WORD.fullmatch(h)
                and h.lower() not in {w.lower() for w in title_words}
            ]
            if topical and len(title_words) <= 3:
                q = f"{title} {rng.choice(sorted(set(topical)))}"
            elif words and len(title_words) <= 3:
                q = f"{title} {surface(forms, words[0])}"
            else:
                q = title
        elif kind == "two words":
            if len(words) >= 2:
                a, b = rng.sample(words[:5], 2)
                q = f"{surface(forms, a)} {surface(forms, b)}"
            else:
                q = title
        elif kind == "compound":
            long = [w for w in words if len(w) >= 11 and "-" not in w]
            q = surface(forms, long[0]) if long else f"{title_words[-1]} {surface(forms, words[0])}"
        elif kind == "inflected":
            w = rng.choice(words[:4])
            q = f"{surface(forms, w, inflected=True)} {title_words[-1]}"
        if q is None:
            continue
        q = " ".join(q.split()[:4])
        if rng.random() < 0.15:
            q = q.lower()
        if q.lower() in seen:
            continue
        seen.add(q.lower())
        queries.append(q)
        if len(queries) >= TARGET:
            break

    with open(out_path, "w", encoding="utf-8") as f:
        for q in queries:
            f.write(q + "\n")
    counts = collections.Counter(len(q.split()) for q in queries)
    print(f"{len(queries)} queries -> {out_path}; words per query: {dict(sorted(counts.items()))}", file=sys.stderr)


if __name__ == "__main__":
    main()
