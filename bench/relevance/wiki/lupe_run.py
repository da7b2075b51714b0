#!/usr/bin/env python3
"""Turn `lupe batch --format jsonl` output into a TREC run whose docids are
the peers' passage ids (`<article id>#<first paragraph>`, from
../shared/peers/split_passages.py), so lupe's passages are judged with the
same qrels as the peers'.

    lupe_run.py SPLIT_PASSAGES_DIR CORPUS.jsonl TAG < lupe.jsonl > run.txt

lupe numbers its passages its own way and cuts passages over 1,000
characters at sentence ends, so a lupe passage is mapped to the peers'
passage of the same article that contains the start of its text (after NFC,
dropping soft hyphens and collapsing white space). A lupe piece of a long
peer passage maps to that passage; a later piece of the same peer passage is
dropped, as eval.py keeps the first line of a repeated docid anyway. A hit
that maps to nothing is kept under its lupe id (counted as not relevant) and
counted on stderr. Python 3 standard library only.
"""
import json
import re
import sys
import unicodedata

SPACE = re.compile(r"\s+")


def norm(text):
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return SPACE.sub(" ", text).strip()


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    import split_passages as sp  # noqa: E402

    answers = [json.loads(line) for line in sys.stdin if line.strip()]
    wanted = {h["article_id"] for a in answers for h in a.get("hits", [])}
    passages = {}
    for art in sp.iter_articles(sys.argv[2]):
        if str(art.get("id")) in wanted:
            passages[str(art["id"])] = [
                (p["pid"], norm(p["text"])) for p in sp.article_passages(art)
            ]
    tag, unmapped, total = sys.argv[3], 0, 0
    for answer in answers:
        seen, rank = set(), 0
        for hit in answer.get("hits", []):
            total += 1
            head = norm(hit["text"])[:120]
            pid = next((p for p, t in passages.get(hit["article_id"], []) if head in t), None)
            if pid is None:
                unmapped += 1
                pid = "lupe:" + hit["passage_id"].replace(" ", "_")
            if pid in seen:
                continue
            seen.add(pid)
            rank += 1
            print(f"{answer['id']} Q0 {pid} {rank} {hit['score']} {tag}")
    if unmapped:
        print(f"lupe_run.py: {unmapped} of {total} hits matched no peer passage", file=sys.stderr)


if __name__ == "__main__":
    main()
